"""One archive for a workshop room without internet: the book, the notebooks and the package.

``python -m neuronet.course.workshop bundle OUT.zip`` (or ``OUT.tar.gz``) packs, under one folder
named after the archive:

- ``README.md``: the participants' one-page guide, written from the lessons' titles;
- ``html/``: the built, self-contained book (open ``html/index.html``);
- ``notebooks/``: the learner copy of every lesson, each exercise's solution replaced by a stub;
- ``solutions/``: the full lessons, solutions included;
- ``wheelhouse/``: the ``neuronet`` wheel, plus the wheels of its dependencies for the
  participants' platform when the instructor passes ``--wheelhouse DIR``;
- ``requirements.txt``: the pinned packages the participants need, ``neuronet`` aside;
- ``requirements-offline.txt``: the same plus ``neuronet``, for ``pip install --no-index``;
- ``data/fashion-mnist/``: the Fashion-MNIST files (lesson 10), when they are found.

The book is not built here unless ``--build`` is given: building executes every lesson, which
takes minutes. Run ``bash scripts/build.sh`` first.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from neuronet.course.workshop.learner_copies import make_learner_copy

#: The packages a participant installs next to ``neuronet``: its own dependencies, what the
#: lessons use (the kernel and the widgets) and JupyterLab to run them.
PARTICIPANT_PACKAGES: tuple[str, ...] = (
    "numpy",
    "matplotlib",
    "tqdm",
    "ipykernel",
    "ipywidgets",
    "jupyterlab",
)

#: Pins for participant packages that requirements.txt does not list (the course's own
#: environment builds and tests the book without a lab server). Checked to resolve together with
#: the pins of requirements.txt (``pip install --dry-run``); a pin there takes precedence.
EXTRA_PINS: dict[str, str] = {"jupyterlab": "4.6.6"}

#: The oldest Python the pinned packages support (numpy 2.4, matplotlib 3.11 and ipykernel 7
#: all declare ``Requires-Python: >=3.11``).
PYTHON_REQUIRED = "3.11"

#: Archive suffixes and the format each one selects.
FORMATS: dict[str, str] = {".zip": "zip", ".tar.gz": "gztar", ".tgz": "gztar"}

_LESSON = "[0-9][0-9]_*.ipynb"
_FASHION_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")
# A wheel's file name: name-version(-build)?-python-abi-platform.whl
_WHEEL = re.compile(
    r"^(?P<name>[^-]+)-(?P<version>[^-]+)(-\d[^-]*)?-(?P<tags>[^-]+-[^-]+-[^-]+)\.whl$"
)
# A platform tag's system and processor: manylinux_2_28_x86_64, win_amd64, macosx_11_0_arm64
_PLATFORM = re.compile(
    r"^(?P<system>manylinux|musllinux|linux|win|macosx)(?:\d+|_\d+_\d+)?_(?P<arch>.+)$"
)
_SYSTEMS = {
    "manylinux": "Linux",
    "musllinux": "Linux musl",
    "linux": "Linux",
    "win": "Windows",
    "macosx": "macOS",
}


class BundleError(RuntimeError):
    """A step of making the bundle failed: building the book or the ``neuronet`` wheel."""


@dataclass
class Bundle:
    """What :func:`build_bundle` wrote: the archive, its entries and warnings for the instructor."""

    path: Path
    entries: list[str]
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------- the pieces


def archive_format(out: str | os.PathLike) -> tuple[str, str]:
    """The format and the top folder name that an archive's file name selects.

    Parameters
    ----------
    out : str or os.PathLike
        The archive to write, ending in ``.zip``, ``.tar.gz`` or ``.tgz``.

    Returns
    -------
    tuple of str
        ``("zip" or "gztar", folder)``, where ``folder`` is the name without its suffix: every
        entry of ``workshop.zip`` lies under ``workshop/``.

    Raises
    ------
    ValueError
        If the name has another suffix, or nothing before it.
    """
    name = Path(out).name
    for suffix, kind in FORMATS.items():
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return kind, name[: -len(suffix)]
    raise ValueError(
        f"the archive name must end in {', '.join(FORMATS)} (after a name), got {name!r}"
    )


def find_site(site: str | os.PathLike) -> Path:
    """Check that ``site`` holds a built book and return it.

    Raises
    ------
    FileNotFoundError
        If ``site/index.html`` does not exist; the message says how to build the book.
    """
    site = Path(site)
    if not (site / "index.html").is_file():
        raise FileNotFoundError(
            f"no built book in {site} (index.html is missing): run `bash scripts/build.sh` "
            f"first, or pass --build to build it now"
        )
    return site


def find_lessons(lessons: str | os.PathLike) -> list[Path]:
    """The lesson notebooks ``NN_name.ipynb`` of a folder, in order.

    Raises
    ------
    FileNotFoundError
        If the folder holds no lesson notebook.
    """
    found = sorted(Path(lessons).glob(_LESSON))
    if not found:
        raise FileNotFoundError(f"no lesson notebooks (NN_name.ipynb) in {lessons}")
    return found


def lesson_title(notebook: nbformat.NotebookNode) -> str:
    """The title of a lesson: the first line of its first cell, without the ``#``."""
    first = notebook.cells[0].source.strip().splitlines() if notebook.cells else []
    return first[0].lstrip("#").strip() if first else "(untitled)"


def participant_requirements(requirements: str | os.PathLike) -> list[str]:
    """The pins ``name==version`` of :data:`PARTICIPANT_PACKAGES`, taken from requirements.txt.

    A package that requirements.txt does not pin gets its pin from :data:`EXTRA_PINS`.

    Raises
    ------
    ValueError
        If a participant package is pinned nowhere.
    """
    pins = {}
    for line in Path(requirements).read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line.strip())
        if match:
            pins[_normalize(match.group(1))] = f"{match.group(1)}=={match.group(2)}"
    lines = []
    for package in PARTICIPANT_PACKAGES:
        key = _normalize(package)
        if key in pins:
            lines.append(pins[key])
        elif package in EXTRA_PINS:
            lines.append(f"{package}=={EXTRA_PINS[package]}")
        else:
            raise ValueError(
                f"{requirements} has no pin `{package}==<version>`, and participants need it"
            )
    return lines


def build_wheel(root: str | os.PathLike, dest: str | os.PathLike) -> Path:
    """Build the ``neuronet`` wheel with ``pip wheel --no-deps`` and return its path.

    The project (``pyproject.toml``, the README, licence files and ``src/``) is copied to a
    temporary folder first, so the build leaves no ``build/`` folder in the repository.

    Raises
    ------
    BundleError
        If pip fails (its last lines are in the message) or produces no wheel.
    """
    root, dest = Path(root), Path(dest)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        for item in root.iterdir():
            if item.is_file() and (
                item.name in ("pyproject.toml", "setup.cfg", "setup.py", "MANIFEST.in")
                or item.name.startswith(("README", "LICENSE", "LICENCE", "COPYING"))
            ):
                shutil.copy2(item, project / item.name)
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
        shutil.copytree(root / "src", project / "src", ignore=ignore)
        command = [sys.executable, "-m", "pip", "wheel", str(project), "--no-deps", "-q"]
        done = subprocess.run(
            [*command, "-w", str(dest)], capture_output=True, text=True, check=False
        )
    wheels = sorted(dest.glob("neuronet-*.whl"))
    if done.returncode != 0 or not wheels:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise BundleError(
            f"building the neuronet wheel failed (exit code {done.returncode}); pass "
            f"--wheel PATH to use a wheel built elsewhere. pip said:\n{tail}"
        )
    return wheels[-1]


def find_fashion_mnist() -> Path | None:
    """The directory holding the Fashion-MNIST files on this machine, or ``None``.

    Searches the places :func:`neuronet.data.datasets.locate_dataset` searches, and downloads
    nothing.
    """
    from neuronet.data.datasets import locate_dataset

    try:
        return locate_dataset("fashion-mnist", download=False)
    except FileNotFoundError:
        return None


def _data_files(directory: Path) -> list[Path]:
    files = []
    for stem in _FASHION_FILES:
        found = [p for p in (directory / f"{stem}.gz", directory / stem) if p.is_file()]
        if not found:
            raise FileNotFoundError(
                f"the data folder {directory} lacks {stem}.gz (or {stem}); it needs the four "
                f"Fashion-MNIST files: {', '.join(s + '.gz' for s in _FASHION_FILES)}"
            )
        files.append(found[0])
    return files


def _wheelhouse_files(wheelhouse: Path, warnings: list[str]) -> list[Path]:
    if not wheelhouse.is_dir():
        raise FileNotFoundError(f"the wheelhouse {wheelhouse} is not a folder")
    wheels = sorted(wheelhouse.glob("*.whl"))
    if not wheels:
        raise ValueError(
            f"the wheelhouse {wheelhouse} holds no .whl files; make it with `pip download -r "
            f"participants.txt -d {wheelhouse} --only-binary=:all: --platform ... "
            f"--python-version ...`, where participants.txt is what `python -m "
            f"neuronet.course.workshop bundle --print-requirements` prints"
        )
    kept = []
    for wheel in wheels:
        if _normalize(wheel.name.split("-")[0]) == "neuronet":
            warnings.append(f"left out {wheel.name} from the wheelhouse: the bundle builds its own")
        else:
            kept.append(wheel)
    return kept


def _missing_wheels(pins: list[str], wheels: list[Path]) -> list[str]:
    have = set()
    for wheel in wheels:
        match = _WHEEL.match(wheel.name)
        if match:
            have.add((_normalize(match["name"]), match["version"]))
    missing = []
    for pin in pins:
        name, version = pin.split("==")
        if (_normalize(name), version) not in have:
            missing.append(pin)
    return missing


def _wheel_platforms(wheels: list[Path]) -> str:
    """Which Pythons and systems the compiled wheels suit, e.g. ``"CPython 3.11; Linux (x86_64)"``.

    A wheel tagged for one CPython ABI (``cp311-cp311``) needs exactly that Python version; a
    ``none-any`` wheel suits every system and is left out. Empty when no wheel is compiled.
    """
    versions, systems = set(), set()
    for wheel in wheels:
        match = _WHEEL.match(wheel.name)
        if match is None or match["tags"].endswith("-none-any"):
            continue
        python, abi, platforms = match["tags"].split("-")
        if abi == python and python.startswith("cp"):
            versions.add((int(python[2]), int(python[3:])))
        for platform in map(_PLATFORM.match, platforms.split(".")):
            if platform:
                systems.add(f"{_SYSTEMS[platform['system']]} ({platform['arch']})")
    parts = [" and ".join(f"CPython {major}.{minor}" for major, minor in sorted(versions))]
    parts.append(", ".join(sorted(systems)))
    return "; ".join(part for part in parts if part)


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


# ------------------------------------------------------------------------------- the README


# The participants' README; participant_readme fills in the fields.
_README = """# From Neuron to Network: workshop material

Everything for the workshop, usable without internet. Work in this folder.

## Read the book

Open `html/index.html` in a web browser (double-click it). The whole book works offline:
equations, figures, folded solutions and the animated players.

## Install (once, before the workshop)

You need Python {python} or newer.

{install}

{data_step}

## Start JupyterLab

```bash
.venv/bin/jupyter lab notebooks/
```

(On Windows: `.venv\\Scripts\\jupyter lab notebooks`.) JupyterLab opens in your browser. Open a
lesson and run its cells from the top (Shift+Enter); the sliders and menus respond only there,
not in the book.

## The lessons

{lessons}

## Exercises and checks

Each lesson ends with a section **Exercises**. Under each exercise, a code cell tells you in
comments what to write and raises `NotImplementedError` until you replace it with your answer.
The cell after it runs a check on your answer: it prints **Correct** or **Not yet** with a hint
about what is wrong. Change your answer, run both cells again.

The full lessons, with every solution, are in `solutions/` (the book shows them folded). Try
first; look afterwards.

If a notebook gets into a bad state: Kernel → Restart Kernel and Run All Cells. If you broke a
notebook itself, start again from a fresh copy of this archive, or from `solutions/`.
"""


def _install_section(wheel: str, offline: bool, platforms: str) -> str:
    """How to install: from the wheelhouse alone, or the ``neuronet`` wheel and PyPI."""
    if offline:
        suited = (
            f" Its compiled wheels are for {platforms}: use a Python and a system that match."
            if platforms
            else ""
        )
        return (
            f"Everything is in `wheelhouse/`: no internet is needed.{suited}\n\n"
            "```bash\n"
            "python3 -m venv .venv\n"
            ".venv/bin/python -m pip install --no-index --find-links wheelhouse "
            "-r requirements-offline.txt\n"
            "```\n\n"
            "On Windows: `py -m venv .venv`, then `.venv\\Scripts\\python -m pip install "
            "--no-index --find-links wheelhouse -r requirements-offline.txt`."
        )
    return (
        "This archive holds the `neuronet` wheel but not its dependencies, so installing "
        "needs internet once (ask your instructor for a wheelhouse otherwise):\n\n"
        "```bash\n"
        "python3 -m venv .venv\n"
        f".venv/bin/python -m pip install -r requirements.txt wheelhouse/{wheel}\n"
        "```\n\n"
        "On Windows: `py -m venv .venv`, then `.venv\\Scripts\\python -m pip install -r "
        f"requirements.txt wheelhouse\\{wheel}`."
    )


def _data_section(data: bool) -> str:
    """Where lesson 10's Fashion-MNIST comes from: the archive, or a download."""
    if data:
        return (
            "Lesson 10 trains on Fashion-MNIST, which is in `data/fashion-mnist/`. Copy that "
            "folder to `~/.cache/neuronet/fashion-mnist` (on Windows "
            "`%USERPROFILE%\\.cache\\neuronet\\fashion-mnist`), where `neuronet` looks for it, "
            "or set the environment variable `NEURONET_DATA` to the full path of `data/`."
        )
    return (
        "Lesson 10 trains on Fashion-MNIST, which this archive does not hold: `neuronet` "
        "downloads it (30 MB) the first time, if you have internet."
    )


def participant_readme(
    titles: Mapping[str, str],
    wheel: str,
    *,
    offline: bool,
    platforms: str,
    data: bool,
) -> str:
    """The participants' one-page README.

    Parameters
    ----------
    titles : mapping of str to str
        Each lesson's notebook file name and its title, in order.
    wheel : str
        The file name of the ``neuronet`` wheel.
    offline : bool
        Whether the wheelhouse holds the dependencies too (else installing needs internet once).
    platforms : str
        Which Python versions and systems the compiled wheels suit (empty if none is compiled).
    data : bool
        Whether the archive holds the Fashion-MNIST files.
    """
    return _README.format(
        python=PYTHON_REQUIRED,
        install=_install_section(wheel, offline, platforms),
        data_step=_data_section(data),
        lessons="\n".join(f"- `{name}`: {title}" for name, title in titles.items()),
    )


# ------------------------------------------------------------------------------- the bundle


def _book_entries(site: Path, notebooks: list[Path], warnings: list[str]) -> dict[str, Path]:
    """The built book's files, under ``html/``; a warning when a lesson changed after the build."""
    files = sorted(p for p in site.rglob("*") if p.is_file())
    newest = max(notebooks, key=lambda p: p.stat().st_mtime)
    if newest.stat().st_mtime > (site / "index.html").stat().st_mtime:
        warnings.append(
            f"{newest.name} changed after the book was built: rebuild it (bash scripts/build.sh)"
        )
    return {f"html/{path.relative_to(site).as_posix()}": path for path in files}


def _lesson_entries(notebooks: list[Path]) -> tuple[dict[str, str], dict[str, Path | bytes]]:
    """Each lesson's title, and its entries: the learner copy under ``notebooks/`` and the full
    lesson under ``solutions/``."""
    titles: dict[str, str] = {}
    entries: dict[str, Path | bytes] = {}
    for path in notebooks:
        titles[path.name] = lesson_title(nbformat.read(path, as_version=4))
        learner = make_learner_copy(nbformat.read(path, as_version=4), name=str(path))
        entries[f"notebooks/{path.name}"] = nbformat.writes(learner).encode("utf-8") + b"\n"
        entries[f"solutions/{path.name}"] = path
    return titles, entries


def _dependency_wheels(wheelhouse: Path, pins: list[str], warnings: list[str]) -> list[Path]:
    """The wheels of the wheelhouse; a warning naming the pins none of them provides."""
    wheels = _wheelhouse_files(wheelhouse, warnings)
    missing = _missing_wheels(pins, wheels) if wheels else []
    if missing:
        warnings.append(
            f"the wheelhouse has no wheel for {', '.join(missing)}: an offline install will fail"
        )
    return wheels


def _neuronet_wheel(root: Path, wheel: str | os.PathLike | None) -> tuple[str, bytes, str]:
    """The ``neuronet`` wheel (``wheel``, or one built from ``root``): its file name, its bytes
    and its version."""
    with tempfile.TemporaryDirectory() as tmp:
        if wheel is None:
            path = build_wheel(root, tmp)
        else:
            path = Path(wheel)
            if not path.is_file():
                raise FileNotFoundError(f"the wheel {path} does not exist")
        content = path.read_bytes()
    match = _WHEEL.match(path.name)
    if match is None or _normalize(match["name"]) != "neuronet":
        raise ValueError(f"{path.name} is not the file name of a neuronet wheel")
    return path.name, content, match["version"]


def _requirement_entries(pins: list[str], wheel_name: str, version: str) -> dict[str, bytes]:
    """``requirements.txt`` (the pins, for an install with internet) and
    ``requirements-offline.txt`` (the same and ``neuronet``, for the wheelhouse alone)."""
    return {
        "requirements.txt": _text(
            "# What the lessons need besides neuronet, pinned (Python >= "
            f"{PYTHON_REQUIRED}).\n# Online: pip install -r requirements.txt "
            f"wheelhouse/{wheel_name}\n" + "\n".join(pins)
        ),
        "requirements-offline.txt": _text(
            "# Offline: pip install --no-index --find-links wheelhouse "
            f"-r requirements-offline.txt\n-r requirements.txt\nneuronet=={version}"
        ),
    }


def build_bundle(
    out: str | os.PathLike,
    *,
    root: str | os.PathLike = ".",
    site: str | os.PathLike | None = None,
    lessons: str | os.PathLike | None = None,
    requirements: str | os.PathLike | None = None,
    wheel: str | os.PathLike | None = None,
    wheelhouse: str | os.PathLike | None = None,
    data: str | os.PathLike | None = None,
) -> Bundle:
    """Write the workshop archive.

    Parameters
    ----------
    out : str or os.PathLike
        The archive, ``NAME.zip``, ``NAME.tar.gz`` or ``NAME.tgz``; its entries lie under
        ``NAME/``. An existing file is replaced.
    root : str or os.PathLike
        The course repository; the defaults below are relative to it.
    site : str or os.PathLike, optional
        The built book, ``root/_build/html`` by default.
    lessons : str or os.PathLike, optional
        The lesson notebooks, ``root/lessons`` by default.
    requirements : str or os.PathLike, optional
        The pinned requirements, ``root/requirements.txt`` by default.
    wheel : str or os.PathLike, optional
        A ready ``neuronet`` wheel; by default one is built from ``root``.
    wheelhouse : str or os.PathLike, optional
        A folder of wheels of the dependencies for the participants' platform, copied into
        ``wheelhouse/``.
    data : str or os.PathLike, optional
        A folder holding the four Fashion-MNIST files, copied into ``data/fashion-mnist/``.

    Returns
    -------
    Bundle
        The archive's path, its entries and warnings for the instructor.

    Raises
    ------
    FileNotFoundError
        If the book is not built, there are no lessons, or a given folder or file is missing.
    ValueError
        If the archive name has an unknown suffix, a participant package is not pinned, or the
        wheelhouse holds no wheels.
    BundleError
        If the ``neuronet`` wheel cannot be built.
    """
    out, root = Path(out), Path(root)
    kind, top = archive_format(out)
    site = find_site(root / "_build" / "html" if site is None else site)
    notebooks = find_lessons(root / "lessons" if lessons is None else lessons)
    pins = participant_requirements(
        root / "requirements.txt" if requirements is None else requirements
    )
    warnings: list[str] = []
    contents: dict[str, Path | bytes] = {**_book_entries(site, notebooks, warnings)}
    titles, lesson_entries = _lesson_entries(notebooks)
    contents.update(lesson_entries)
    extra = [] if wheelhouse is None else _dependency_wheels(Path(wheelhouse), pins, warnings)
    contents.update({f"wheelhouse/{path.name}": path for path in extra})
    if data is not None:
        contents.update({f"data/fashion-mnist/{p.name}": p for p in _data_files(Path(data))})
    wheel_name, wheel_bytes, version = _neuronet_wheel(root, wheel)
    contents[f"wheelhouse/{wheel_name}"] = wheel_bytes
    contents.update(_requirement_entries(pins, wheel_name, version))
    readme = participant_readme(
        titles,
        wheel_name,
        offline=bool(extra),
        platforms=_wheel_platforms(extra),
        data=data is not None,
    )
    contents["README.md"] = _text(readme.rstrip("\n"))
    _write(out, kind, top, contents)
    return Bundle(out, [f"{top}/{name}" for name in sorted(contents)], warnings)


def _text(text: str) -> bytes:
    return (text + "\n").encode("utf-8")


def _write(out: Path, kind: str, top: str, contents: Mapping[str, Path | bytes]) -> None:
    """Write the archive next to ``out`` and move it into place when complete."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    try:
        if kind == "zip":
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                for name in sorted(contents):
                    item, arcname = contents[name], f"{top}/{name}"
                    if isinstance(item, Path):
                        archive.write(item, arcname)
                    else:
                        archive.writestr(arcname, item)
        else:
            with tarfile.open(partial, "w:gz") as archive:
                for name in sorted(contents):
                    item, arcname = contents[name], f"{top}/{name}"
                    if isinstance(item, Path):
                        archive.add(item, arcname, recursive=False)
                    else:
                        info = tarfile.TarInfo(arcname)
                        info.size, info.mode = len(item), 0o644
                        archive.addfile(info, io.BytesIO(item))
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


# ------------------------------------------------------------------------------ the command


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``bundle`` on the workshop command line."""
    parser = subparsers.add_parser(
        "bundle",
        help="pack the book, the notebooks and the package into one archive for an offline room",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument(
        "out", type=Path, nargs="?", help="the archive: NAME.zip, NAME.tar.gz or NAME.tgz"
    )
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="the course repository (default: here)"
    )
    parser.add_argument(
        "--build", action="store_true", help="build the book first (bash scripts/build.sh)"
    )
    parser.add_argument(
        "--wheel", type=Path, help="use this neuronet wheel instead of building one"
    )
    parser.add_argument(
        "--wheelhouse",
        type=Path,
        metavar="DIR",
        help="copy the wheels in DIR (the dependencies for the participants' platform, made with "
        "`pip download -r participants.txt -d DIR --only-binary=:all: --platform ... "
        "--python-version ...` from the output of --print-requirements) into the archive, for a "
        "fully offline install",
    )
    data = parser.add_mutually_exclusive_group()
    data.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="the folder with the four Fashion-MNIST files (default: wherever neuronet finds "
        "them on this machine)",
    )
    data.add_argument("--no-data", action="store_true", help="leave Fashion-MNIST out")
    parser.add_argument(
        "--print-requirements",
        action="store_true",
        help="print the participants' pinned requirements (the input of `pip download` for a "
        "wheelhouse) and stop",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``bundle`` with parsed arguments; print what happened and return the exit code."""
    if args.print_requirements:
        try:
            print("\n".join(participant_requirements(args.root / "requirements.txt")))
        except (FileNotFoundError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        return 0
    if args.out is None:
        print("error: name the archive to write, e.g. workshop.zip", file=sys.stderr)
        return 2
    data = args.data
    if data is None and not args.no_data:
        data = find_fashion_mnist()
        if data is None:
            print(
                "note: Fashion-MNIST not found on this machine, the archive goes without it "
                "(lesson 10 will download it); pass --data DIR to include it",
                file=sys.stderr,
            )
    try:
        if args.build:
            done = subprocess.run(["bash", "scripts/build.sh"], cwd=args.root, check=False)
            if done.returncode != 0:
                raise BundleError(f"building the book failed (exit code {done.returncode})")
        bundle = build_bundle(
            args.out, root=args.root, wheel=args.wheel, wheelhouse=args.wheelhouse, data=data
        )
    except (FileNotFoundError, ValueError, BundleError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for warning in bundle.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    size = bundle.path.stat().st_size / 2**20
    print(f"wrote {bundle.path} ({len(bundle.entries)} files, {size:.1f} MiB)")
    return 0
