"""The lessons run on Colab and Binder: setup cells, apt.txt and runtime.txt.

Every lesson's first code cell installs ``neuronet`` from the course repository, and only when it
is missing (on Colab); Binder builds its image from requirements.txt, apt.txt (the Fashion-MNIST
package) and runtime.txt (the Python version).
"""

import ast
import importlib.metadata
import re
import shlex
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from IPython.core.inputtransformer2 import TransformerManager

from neuronet.course.workshop.bundle import PARTICIPANT_PACKAGES, PYTHON_REQUIRED

REPO = Path(__file__).resolve().parents[1]
LESSONS = sorted((REPO / "lessons").glob("[0-9][0-9]_*.ipynb"))
REPOSITORY_URL = yaml.safe_load((REPO / "book" / "_config.yml").read_text())["repository"]["url"]


class MagicRecorder:
    """Stands in for IPython's shell: records the line magics a cell runs."""

    def __init__(self, on_call=None):
        self.calls = []
        self.on_call = on_call

    def run_line_magic(self, name, line):
        self.calls.append((name, line))
        if self.on_call:
            self.on_call()


def install_block(path: Path) -> tuple[ast.Try, str]:
    """The ``try: import neuronet`` statement of a lesson's first code cell, and its pip line."""
    notebook = nbformat.read(path, as_version=4)
    first = next(cell for cell in notebook.cells if cell.cell_type == "code")
    # IPython turns `%pip install ...` into get_ipython().run_line_magic('pip', 'install ...')
    tree = ast.parse(TransformerManager().transform_cell(first.source))
    guards = [
        i
        for i, node in enumerate(tree.body)
        if isinstance(node, ast.Try) and [ast.unparse(n) for n in node.body] == ["import neuronet"]
    ]
    assert len(guards) == 1, f"{path.name}: the first code cell needs one `try: import neuronet`"
    block = tree.body[guards[0]]
    # nothing before the guard may need neuronet
    before = ast.Module(body=tree.body[: guards[0]], type_ignores=[])
    assert "neuronet" not in ast.unparse(before), f"{path.name}: neuronet is used before the guard"
    assert not block.orelse and not block.finalbody
    assert len(block.handlers) == 1
    handler = block.handlers[0]
    assert ast.unparse(handler.type) == "ImportError"
    magic = handler.body[0]
    call = magic.value if isinstance(magic, ast.Expr) else None
    assert isinstance(call, ast.Call), f"{path.name}: the except branch must start with %pip"
    assert ast.unparse(call.func) == "get_ipython().run_line_magic"
    name, line = (ast.literal_eval(arg) for arg in call.args)
    assert name == "pip"
    # after the install, at most a fresh import of neuronet
    assert [ast.unparse(node) for node in handler.body[1:]] in ([], ["import neuronet"])
    return block, line


def run(block: ast.Try, shell: MagicRecorder) -> dict:
    namespace = {"get_ipython": lambda: shell}
    exec(compile(ast.Module(body=[block], type_ignores=[]), "<setup cell>", "exec"), namespace)
    return namespace


def test_there_are_lessons():
    assert len(LESSONS) >= 6


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_the_setup_cell_installs_neuronet_from_the_course_repository(path):
    _, line = install_block(path)
    words = shlex.split(line)
    assert words[0] == "install"
    assert [w for w in words[1:] if not w.startswith("-")] == [f"neuronet @ git+{REPOSITORY_URL}"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_the_setup_cell_does_nothing_when_neuronet_is_installed(path):
    block, _ = install_block(path)
    shell = MagicRecorder()
    namespace = run(block, shell)
    assert shell.calls == []
    assert namespace["neuronet"] is sys.modules["neuronet"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_the_setup_cell_runs_pip_when_neuronet_is_missing(path, monkeypatch):
    block, line = install_block(path)
    installed = sys.modules["neuronet"]
    monkeypatch.setitem(sys.modules, "neuronet", None)  # `import neuronet` now fails
    with pytest.raises(ImportError):
        import neuronet  # noqa: F401

    def install():  # what %pip does on Colab: afterwards the import works
        sys.modules["neuronet"] = installed

    shell = MagicRecorder(on_call=install)
    run(block, shell)
    assert shell.calls == [("pip", line)]
    assert f"git+{REPOSITORY_URL}" in line


def test_binder_installs_the_fashion_mnist_package():
    packages = (REPO / "apt.txt").read_text().split()
    assert "dataset-fashion-mnist" in packages


def _lower_bound(requires_python: str) -> tuple[int, ...]:
    match = re.search(r">=\s*(\d+(?:\.\d+)*)", requires_python or "")
    return tuple(int(part) for part in match.group(1).split(".")) if match else (3,)


def test_runtime_txt_pins_the_python_the_pinned_packages_need():
    """numpy 2.4 and friends need Python >= 3.11; Binder's default Python is older."""
    pins = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("#")[0].strip().split("==")
            pins[name.lower()] = version
    bounds = []
    for package in PARTICIPANT_PACKAGES:
        if package not in pins:
            continue
        # the installed copy is the pinned one, so its metadata is the pin's metadata
        assert importlib.metadata.version(package) == pins[package]
        bounds.append(_lower_bound(importlib.metadata.metadata(package)["Requires-Python"]))
    needed = max(bounds)
    assert needed >= (3, 11)  # numpy 2.4.6 declares >=3.11
    runtime = (REPO / "runtime.txt").read_text().strip()
    assert runtime == f"python-{'.'.join(map(str, needed))}"
    assert PYTHON_REQUIRED == ".".join(map(str, needed))  # what the workshop README says
