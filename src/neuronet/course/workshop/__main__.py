"""Command line: ``python -m neuronet.course.workshop {learner-copies,restore,bundle} ...``."""

from __future__ import annotations

import argparse

from neuronet.course.workshop import bundle, learner_copies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m neuronet.course.workshop", description="Tools for teaching the course."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    learner_copies.add_commands(commands)
    bundle.add_commands(commands)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
