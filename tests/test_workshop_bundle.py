"""The offline workshop bundle: ``python -m neuronet.course.workshop bundle OUT.zip``."""

import os
import tarfile
import zipfile
from pathlib import Path

import nbformat
import pytest

from neuronet.course.workshop import bundle
from neuronet.course.workshop.__main__ import main

REPO = Path(__file__).resolve().parents[1]

# Markers that occur only in the solutions' bodies: a learner copy must contain none of them.
SECRETS = ("return 2.0 * x  # SECRET-01", "return x - 1.0  # SECRET-02")


def lesson(number: int, title: str, function: str, body: str, check: str) -> nbformat.NotebookNode:
    """A tiny lesson with one exercise in the course's exercise anatomy."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    label = f"ex-{number:02d}-1"
    return nbformat.v4.new_notebook(
        cells=[
            md(
                f"# {number:02d} · {title}\n\n**Learning objectives**\n\n- One.\n\n"
                "**Time**: about 10 minutes."
            ),
            code(
                "try:\n    import neuronet  # noqa: F401\nexcept ImportError:\n"
                '    %pip install --quiet "neuronet @ git+https://example.org/course"'
            ),
            md("## Exercises"),
            md(f"```{{exercise}} {title}\n:label: {label}\nWrite `{function}`.\n```"),
            md(f"```{{solution-start}} {label}\n:class: dropdown\n```"),
            code(
                f"# Write {function}(x) as the exercise says.\ndef {function}(x):\n    {body}",
                metadata={"tags": ["solution"]},
            ),
            md("```{solution-end}\n```"),
            code(f"{check}({function})", metadata={"tags": ["check"]}),
        ]
    )


@pytest.fixture
def course(tmp_path):
    """A fake course repository: a built site, two lessons, pinned requirements, a wheel."""
    root = tmp_path / "course"
    (root / "lessons").mkdir(parents=True)
    nbformat.write(
        lesson(1, "Doubling", "double", SECRETS[0], "check_double"),
        root / "lessons" / "01_doubling.ipynb",
    )
    nbformat.write(
        lesson(2, "Shifting", "shift", SECRETS[1], "check_shift"),
        root / "lessons" / "02_shifting.ipynb",
    )
    (root / "lessons" / "notes.ipynb").write_text("{}")  # not a lesson: NN_name.ipynb only
    site = root / "_build" / "html"
    (site / "_static").mkdir(parents=True)
    (site / "index.html").write_text("<html>the book</html>")
    (site / "_static" / "book.css").write_text("body {}")
    built = max(p.stat().st_mtime for p in (root / "lessons").iterdir()) + 1
    os.utime(site / "index.html", (built, built))  # the book was built after the lessons
    (root / "requirements.txt").write_text(
        "-e .\n# core\nnumpy==9.1.0\nmatplotlib==9.2.0  # plots\ntqdm==9.3.0\n"
        "ipykernel==9.4.0\nipywidgets==9.5.0\npytest==9.6.0\njupyter-book==9.7.0\n"
    )
    wheel = tmp_path / "neuronet-0.7.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("neuronet/__init__.py", "")
    return root, wheel


def listing(path: Path) -> set[str]:
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            return set(archive.namelist())
    with tarfile.open(path) as archive:
        return {member.name for member in archive.getmembers()}


def read(path: Path, name: str) -> bytes:
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            return archive.read(name)
    with tarfile.open(path) as archive:
        return archive.extractfile(name).read()


EXPECTED = {
    "html/index.html",
    "html/_static/book.css",
    "notebooks/01_doubling.ipynb",
    "notebooks/02_shifting.ipynb",
    "solutions/01_doubling.ipynb",
    "solutions/02_shifting.ipynb",
    "wheelhouse/neuronet-0.7.0-py3-none-any.whl",
    "README.md",
    "requirements.txt",
    "requirements-offline.txt",
}


@pytest.mark.parametrize("name", ["workshop.zip", "workshop.tar.gz", "workshop.tgz"])
def test_the_archive_holds_book_notebooks_solutions_wheel_and_readme(course, tmp_path, name):
    root, wheel = course
    out = tmp_path / "out" / name
    result = bundle.build_bundle(out, root=root, wheel=wheel)

    assert result.path == out and out.is_file()
    assert listing(out) == {f"workshop/{entry}" for entry in EXPECTED}
    assert sorted(result.entries) == sorted(f"workshop/{entry}" for entry in EXPECTED)
    assert read(out, "workshop/html/index.html") == b"<html>the book</html>"
    assert read(out, "workshop/wheelhouse/neuronet-0.7.0-py3-none-any.whl") == wheel.read_bytes()
    for lesson_file in ("01_doubling.ipynb", "02_shifting.ipynb"):
        solutions = read(out, f"workshop/solutions/{lesson_file}")
        assert solutions == (root / "lessons" / lesson_file).read_bytes()
    assert not out.with_name(name + ".partial").exists()


def test_learner_notebooks_have_stubs_instead_of_solutions(course, tmp_path):
    root, wheel = course
    out = tmp_path / "workshop.zip"
    bundle.build_bundle(out, root=root, wheel=wheel)
    for lesson_file, secret, check in [
        ("01_doubling.ipynb", SECRETS[0], "check_double(double)"),
        ("02_shifting.ipynb", SECRETS[1], "check_shift(shift)"),
    ]:
        learner = nbformat.reads(read(out, f"workshop/notebooks/{lesson_file}").decode(), 4)
        text = "\n".join(cell.source for cell in learner.cells)
        assert secret not in text
        assert "NotImplementedError" in text
        assert "as the exercise says." in text  # the stub keeps the instructions
        assert check in text  # and the check cell stays
        # the solution's own notebook still has the answer
        assert secret in read(out, f"workshop/solutions/{lesson_file}").decode()


def test_requirements_pin_what_participants_need_and_nothing_else(course, tmp_path):
    root, wheel = course
    out = tmp_path / "w.zip"
    bundle.build_bundle(out, root=root, wheel=wheel)
    requirements = read(out, "w/requirements.txt").decode()
    pins = [line for line in requirements.splitlines() if line and not line.startswith("#")]
    assert pins == [
        "numpy==9.1.0",
        "matplotlib==9.2.0",
        "tqdm==9.3.0",
        "ipykernel==9.4.0",
        "ipywidgets==9.5.0",
        f"jupyterlab=={bundle.EXTRA_PINS['jupyterlab']}",
    ]
    offline = read(out, "w/requirements-offline.txt").decode().splitlines()
    assert [line for line in offline if not line.startswith("#")] == [
        "-r requirements.txt",
        "neuronet==0.7.0",
    ]


def test_the_readme_says_how_to_open_install_start_and_find_the_exercises(course, tmp_path):
    root, wheel = course
    out = tmp_path / "w.zip"
    bundle.build_bundle(out, root=root, wheel=wheel)
    readme = read(out, "w/README.md").decode()
    assert "`html/index.html`" in readme
    # no wheelhouse of dependencies: the online install, with the wheel given by its path
    assert "pip install -r requirements.txt wheelhouse/neuronet-0.7.0-py3-none-any.whl" in readme
    assert "--no-index" not in readme
    assert ".venv/bin/jupyter lab notebooks/" in readme
    assert "- `01_doubling.ipynb`: 01 · Doubling" in readme
    assert "- `02_shifting.ipynb`: 02 · Shifting" in readme
    assert "NotImplementedError" in readme and "`solutions/`" in readme
    assert f"Python {bundle.PYTHON_REQUIRED} or newer" in readme
    assert len(readme.splitlines()) < 80  # one page


def test_a_missing_site_says_to_build_the_book_first(course, tmp_path, capsys):
    root, wheel = course
    (root / "_build" / "html" / "index.html").unlink()
    out = tmp_path / "w.zip"
    with pytest.raises(FileNotFoundError, match=r"run `bash scripts/build\.sh` first"):
        bundle.build_bundle(out, root=root, wheel=wheel)
    assert not out.exists()

    code = main(["bundle", str(out), "--root", str(root), "--wheel", str(wheel), "--no-data"])
    assert code == 1
    err = capsys.readouterr().err
    assert "no built book in" in err and "index.html is missing" in err
    assert "--build" in err
    assert not out.exists()


def test_the_command_line_writes_the_archive(course, tmp_path, capsys):
    root, wheel = course
    out = tmp_path / "w.tar.gz"
    code = main(["bundle", str(out), "--root", str(root), "--wheel", str(wheel), "--no-data"])
    assert code == 0
    assert listing(out) == {f"w/{entry}" for entry in EXPECTED}
    assert f"wrote {out} ({len(EXPECTED)} files" in capsys.readouterr().out


def test_the_wheelhouse_option_copies_wheels_and_switches_to_the_offline_install(course, tmp_path):
    root, wheel = course
    house = tmp_path / "house"
    house.mkdir()
    wheels = [
        "numpy-9.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "matplotlib-9.2.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "tqdm-9.3.0-py3-none-any.whl",
        "ipykernel-9.4.0-py3-none-any.whl",
        "pyzmq-27.0.0-cp311-cp311-manylinux_2_28_x86_64.whl",  # a dependency of a dependency
    ]
    for name in wheels:
        (house / name).write_bytes(name.encode())
    (house / "neuronet-0.1.0-py3-none-any.whl").write_bytes(b"an old build")
    (house / "notes.txt").write_text("not a wheel")

    out = tmp_path / "w.zip"
    result = bundle.build_bundle(out, root=root, wheel=wheel, wheelhouse=house)

    entries = listing(out)
    assert entries == {f"w/{e}" for e in EXPECTED} | {f"w/wheelhouse/{name}" for name in wheels}
    assert read(out, f"w/wheelhouse/{wheels[0]}") == wheels[0].encode()
    # the bundle's own neuronet wheel wins over a stale one in the wheelhouse
    assert "w/wheelhouse/neuronet-0.1.0-py3-none-any.whl" not in entries
    assert any("left out neuronet-0.1.0-py3-none-any.whl" in w for w in result.warnings)
    # two pinned packages have no wheel: an offline install would fail, so the instructor is told
    missing = [w for w in result.warnings if "has no wheel for" in w]
    assert missing == [
        "the wheelhouse has no wheel for ipywidgets==9.5.0, "
        f"jupyterlab=={bundle.EXTRA_PINS['jupyterlab']}: an offline install will fail"
    ]
    readme = read(out, "w/README.md").decode()
    assert (
        ".venv/bin/python -m pip install --no-index --find-links wheelhouse "
        "-r requirements-offline.txt"
    ) in readme
    # which machines the compiled wheels suit
    assert "Its compiled wheels are for CPython 3.11; Linux (x86_64): use a Python" in readme


def test_a_complete_wheelhouse_gives_no_warning(course, tmp_path):
    root, wheel = course
    house = tmp_path / "house"
    house.mkdir()
    pins = bundle.participant_requirements(root / "requirements.txt")
    for pin in pins:
        name, version = pin.split("==")
        (house / f"{name}-{version}-py3-none-any.whl").write_bytes(b"")
    result = bundle.build_bundle(tmp_path / "w.zip", root=root, wheel=wheel, wheelhouse=house)
    assert result.warnings == []
    readme = read(tmp_path / "w.zip", "w/README.md").decode()
    assert "--no-index --find-links wheelhouse" in readme
    assert "compiled wheels" not in readme  # pure-Python wheels suit every machine


def test_a_wheelhouse_must_exist_and_hold_wheels(course, tmp_path):
    root, wheel = course
    with pytest.raises(FileNotFoundError, match="the wheelhouse .*nowhere is not a folder"):
        bundle.build_bundle(
            tmp_path / "w.zip", root=root, wheel=wheel, wheelhouse=tmp_path / "nowhere"
        )
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(
        ValueError,
        match=r"no \.whl files; make it with `pip download -r participants\.txt .*--print-req",
    ):
        bundle.build_bundle(tmp_path / "w.zip", root=root, wheel=wheel, wheelhouse=empty)


def test_the_data_option_adds_fashion_mnist(course, tmp_path):
    root, wheel = course
    data = tmp_path / "fmnist"
    data.mkdir()
    names = [
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte",  # decompressed files are fine too
        "t10k-labels-idx1-ubyte.gz",
    ]
    for name in names:
        (data / name).write_bytes(name.encode())
    out = tmp_path / "w.zip"
    bundle.build_bundle(out, root=root, wheel=wheel, data=data)
    assert listing(out) == {f"w/{e}" for e in EXPECTED} | {
        f"w/data/fashion-mnist/{name}" for name in names
    }
    assert read(out, "w/data/fashion-mnist/t10k-images-idx3-ubyte") == b"t10k-images-idx3-ubyte"
    assert "`data/fashion-mnist/`" in read(out, "w/README.md").decode()

    (data / "train-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="lacks train-labels-idx1-ubyte.gz"):
        bundle.build_bundle(out, root=root, wheel=wheel, data=data)


def test_unknown_archive_suffixes_and_missing_pieces_are_refused(course, tmp_path):
    root, wheel = course
    with pytest.raises(ValueError, match=r"must end in \.zip, \.tar\.gz, \.tgz .*got 'w\.rar'"):
        bundle.build_bundle(tmp_path / "w.rar", root=root, wheel=wheel)
    with pytest.raises(ValueError, match=r"got '\.zip'"):
        bundle.build_bundle(tmp_path / ".zip", root=root, wheel=wheel)
    with pytest.raises(FileNotFoundError, match="no lesson notebooks"):
        bundle.build_bundle(tmp_path / "w.zip", root=root, wheel=wheel, lessons=tmp_path)
    with pytest.raises(FileNotFoundError, match="the wheel .*missing.whl does not exist"):
        bundle.build_bundle(tmp_path / "w.zip", root=root, wheel=tmp_path / "missing.whl")
    (root / "requirements.txt").write_text("numpy==1.0\n")
    with pytest.raises(ValueError, match="has no pin `matplotlib==<version>`"):
        bundle.build_bundle(tmp_path / "w.zip", root=root, wheel=wheel)


def test_a_book_older_than_the_lessons_is_reported(course, tmp_path):
    root, wheel = course
    index = root / "_build" / "html" / "index.html"
    lesson_file = root / "lessons" / "02_shifting.ipynb"
    stamp = lesson_file.stat().st_mtime
    os.utime(index, (stamp - 60, stamp - 60))
    result = bundle.build_bundle(tmp_path / "w.zip", root=root, wheel=wheel)
    assert result.warnings == [
        "02_shifting.ipynb changed after the book was built: rebuild it (bash scripts/build.sh)"
    ]


def test_the_real_requirements_pin_every_participant_package():
    pins = bundle.participant_requirements(REPO / "requirements.txt")
    assert [pin.split("==")[0] for pin in pins] == list(bundle.PARTICIPANT_PACKAGES)
    assert "numpy==" + _pinned("numpy") in pins


def _pinned(name: str) -> str:
    for line in (REPO / "requirements.txt").read_text().splitlines():
        if line.startswith(name + "=="):
            return line.split("==")[1].strip()
    raise AssertionError(f"{name} is not pinned in requirements.txt")


def test_the_real_wheel_builds_from_the_repository_without_leaving_a_build_folder(tmp_path):
    had_build = (REPO / "build").exists()
    wheel = bundle.build_wheel(REPO, tmp_path)
    assert wheel.name.startswith("neuronet-") and wheel.suffix == ".whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        assert "Name: neuronet" in archive.read(metadata).decode()
    for module in (
        "neuronet/__init__.py",
        "neuronet/course/checks/_report.py",
        "neuronet/data/datasets.py",
    ):
        assert module in names
    assert not any("__pycache__" in n for n in names)
    assert (REPO / "build").exists() == had_build


def test_a_failing_wheel_build_explains_what_to_do(tmp_path):
    broken = tmp_path / "broken"
    (broken / "src").mkdir(parents=True)
    (broken / "pyproject.toml").write_text("[project\nname = ")  # not TOML
    with pytest.raises(bundle.BundleError, match=r"pass --wheel PATH .*\n"):
        bundle.build_wheel(broken, tmp_path / "out")


def test_the_tar_archive_entries_are_plain_readable_files(course, tmp_path):
    root, wheel = course
    out = tmp_path / "w.tar.gz"
    bundle.build_bundle(out, root=root, wheel=wheel)
    with tarfile.open(out) as archive:
        for member in archive.getmembers():
            assert member.isfile(), member.name
            assert member.mode & 0o444 == 0o444, member.name
            assert len(archive.extractfile(member).read()) == member.size


def test_the_participants_requirements_can_be_printed_for_pip_download(course, capsys):
    root, _ = course
    code = main(["bundle", "--print-requirements", "--root", str(root)])
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "numpy==9.1.0",
        "matplotlib==9.2.0",
        "tqdm==9.3.0",
        "ipykernel==9.4.0",
        "ipywidgets==9.5.0",
        f"jupyterlab=={bundle.EXTRA_PINS['jupyterlab']}",
    ]
    assert main(["bundle", "--root", str(root)]) == 2
    assert "name the archive to write" in capsys.readouterr().err


def test_the_readme_names_the_pythons_and_systems_of_a_mixed_wheelhouse(course, tmp_path):
    root, wheel = course
    house = tmp_path / "house"
    house.mkdir()
    for name in [
        "numpy-9.1.0-cp311-cp311-win_amd64.whl",
        "numpy-9.1.0-cp312-cp312-macosx_14_0_arm64.whl",
        "pyzmq-27.0.0-cp310-abi3-macosx_10_15_universal2.whl",  # abi3: any CPython >= 3.10
        "psutil-7.0.0-cp36-abi3-manylinux2010_x86_64.manylinux_2_12_x86_64.whl",
        "tqdm-9.3.0-py3-none-any.whl",
    ]:
        (house / name).write_bytes(b"")
    bundle.build_bundle(tmp_path / "w.zip", root=root, wheel=wheel, wheelhouse=house)
    readme = read(tmp_path / "w.zip", "w/README.md").decode()
    assert (
        "Its compiled wheels are for CPython 3.11 and CPython 3.12; Linux (x86_64), "
        "Windows (amd64), macOS (arm64), macOS (universal2): use a Python"
    ) in readme
