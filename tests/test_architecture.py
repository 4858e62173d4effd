"""Boundary rules of the package: what imports what, and where the course's modules live.

- ``import neuronet`` stays light: no plotting, progress bars, network or widget modules;
- the exercise checks run without ``matplotlib.pyplot``;
- the library (everything under ``src/neuronet`` but ``course/``) never imports the course;
- a neuron does not depend on the network;
- the course's explorations are ``explore/lessonNN.py``, one per existing lesson, and no course
  module shadows the name of a library module.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "neuronet"
COURSE = PACKAGE / "course"
LESSONS = ROOT / "lessons"

# Run in a fresh interpreter: import `module`, then report the forbidden modules it loaded and,
# for the first one, the chain of source lines that led to it (recorded by a spying finder).
_PROBE = """
import importlib, json, sys, traceback
module, forbidden = sys.argv[1], sys.argv[2:]
def inside(name, f):
    return name == f or name.startswith(f + ".")
chain = []
class Spy:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if not chain and any(inside(name, f) for f in forbidden):
            chain.extend(
                f"{f.filename}:{f.lineno}: {f.line}" for f in traceback.extract_stack()
                if not f.filename.startswith("<") and "importlib" not in f.filename
            )
            chain.append(f"-> {name}")
sys.meta_path.insert(0, Spy)
importlib.import_module(module)
loaded = [f for f in forbidden if any(inside(name, f) for name in sys.modules)]
print(json.dumps({"loaded": loaded, "chain": chain}))
"""


def forbidden_loaded(module: str, forbidden: list[str]) -> tuple[list[str], str]:
    """Forbidden modules (or their submodules) loaded by importing ``module`` afresh, and why."""
    run = subprocess.run(
        [sys.executable, "-c", _PROBE, module, *forbidden],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, f"importing {module} failed:\n{run.stderr}"
    report = json.loads(run.stdout.splitlines()[-1])
    return report["loaded"], "\n".join(report["chain"])


def test_import_neuronet_is_light():
    forbidden = ["matplotlib", "tqdm", "urllib.request", "ipywidgets"]
    loaded, chain = forbidden_loaded("neuronet", forbidden)
    assert not loaded, f"`import neuronet` must not load {loaded}; imported through:\n{chain}"


CHECK_MODULES = ["neuronet.course.checks"] + [
    f"neuronet.course.checks.{path.stem}"
    for path in sorted((COURSE / "checks").glob("lesson[0-9][0-9].py"))
]


@pytest.mark.parametrize("module", CHECK_MODULES)
def test_checks_do_not_load_pyplot(module):
    loaded, chain = forbidden_loaded(module, ["matplotlib.pyplot"])
    assert not loaded, f"{module} must not load matplotlib.pyplot; imported through:\n{chain}"


def imports(path: Path) -> list[tuple[int, set[str]]]:
    """Every import statement of a file (at any depth): its line and the absolute names it names.

    ``import a.b`` names ``a.b``; ``from a import b`` names ``a`` and ``a.b`` (``b`` may be a
    module); relative imports are resolved against the file's package.
    """
    package = list(path.relative_to(PACKAGE.parent).parent.parts)  # of foo.py and __init__.py
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.append((node.lineno, {alias.name for alias in node.names}))
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + (node.module.split(".") if node.module else []))
            found.append((node.lineno, {module} | {f"{module}.{a.name}" for a in node.names}))
    return found


def imports_of(path: Path, target: str) -> list[str]:
    """``file:line`` of each import in ``path`` naming ``target`` or one of its submodules."""
    return [
        f"{path.relative_to(ROOT)}:{line}"
        for line, names in imports(path)
        if any(name == target or name.startswith(target + ".") for name in names)
    ]


def test_library_never_imports_the_course():
    library = [path for path in sorted(PACKAGE.rglob("*.py")) if COURSE not in path.parents]
    offenders = [where for path in library for where in imports_of(path, "neuronet.course")]
    assert not offenders, f"the library must not import neuronet.course: {offenders}"


def test_neuron_does_not_import_the_network():
    offenders = imports_of(PACKAGE / "neuron.py", "neuronet.network")
    assert not offenders, f"neuronet.neuron must not import neuronet.network: {offenders}"


def modules(paths) -> list[Path]:
    """The modules (``.py`` files) and packages (folders with ``__init__.py``) among ``paths``."""
    return [
        path
        for path in sorted(paths)
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
    ]


def test_explorations_are_one_module_per_lesson():
    lessons = {path.name[:2] for path in LESSONS.glob("[0-9][0-9]_*.ipynb")}
    misnamed = [
        str(path.relative_to(ROOT))
        for path in modules((COURSE / "explore").iterdir())
        if not (match := re.fullmatch(r"lesson(\d\d)\.py", path.name)) or match[1] not in lessons
    ]
    assert not misnamed, (
        f"course/explore/ holds only lessonNN.py for lessons that exist in lessons/; "
        f"these break the rule: {misnamed}"
    )


def test_course_modules_do_not_shadow_library_modules():
    library = {path.stem for path in modules(PACKAGE.iterdir())} - {"course"}
    clashes = [
        str(path.relative_to(ROOT)) for path in modules(COURSE.rglob("*")) if path.stem in library
    ]
    assert not clashes, f"course modules named like library modules {sorted(library)}: {clashes}"


# ----------------------------------------------------------------------------- sizes

CONCEPT_MODULES = [
    "neuron",
    "activations",
    "costs",
    "layers",
    "network",
    "optimizers",
    "init",
    "gradcheck",
]


def body_length(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's body, from the first statement after its docstring to its end."""
    body = function.body
    if ast.get_docstring(function) is not None:
        body = body[1:]
    return function.end_lineno - body[0].lineno + 1 if body else 0


def functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_the_concept_modules_fit_in_2000_lines():
    lines = {
        name: len((PACKAGE / f"{name}.py").read_text().splitlines()) for name in CONCEPT_MODULES
    }
    assert sum(lines.values()) <= 2000, (
        f"the eight concept modules hold {sum(lines.values())} lines: {lines}"
    )


def test_no_function_in_the_package_is_longer_than_60_lines():
    long = [
        f"{path.relative_to(ROOT)}:{f.lineno} {f.name} ({body_length(f)} lines)"
        for path in sorted(PACKAGE.rglob("*.py"))
        for f in functions(path)
        if body_length(f) > 60
    ]
    assert not long, "functions with bodies over 60 lines:\n" + "\n".join(long)


def test_mlp_backward_fits_on_one_screen():
    (backward,) = [f for f in functions(PACKAGE / "network.py") if f.name == "backward"]
    assert body_length(backward) <= 30
