"""Exercises in every lesson, learner copies made from them, and the solutions put back.

The tests run over every lesson ``lessons/NN_*.ipynb``, so a new lesson is covered as soon as it
lands: its exercises must follow the anatomy (exercise, solution-start, solution, solution-end,
check), its learner copy must hide the solutions and run up to the first exercise, and restoring
the solutions must give back the lesson exactly.
"""

import ast
import copy
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import neuronet.course.checks
from neuronet.course.workshop.__main__ import main
from neuronet.course.workshop.learner_copies import (
    exercise_label,
    make_learner_copy,
    restore_solutions,
    stub_source,
)

REPO = Path(__file__).resolve().parents[1]
LESSONS = sorted((REPO / "lessons").glob("[0-9][0-9]_*.ipynb"))
RAISE = (
    'raise NotImplementedError("Exercise {}: write your answer above, then run the check below")'
)


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def directive(cell, name: str) -> str | None:
    """The argument of a ```{name} directive in a markdown cell, or None."""
    if cell.cell_type != "markdown":
        return None
    found = re.search(rf"^```\{{{name}\}}[ \t]*([^\n]*)$", cell.source, re.M)
    return found[1].strip() if found else None


def tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def python(cell) -> ast.Module:
    """A code cell as Python (IPython turns %magics into calls first)."""
    return ast.parse(TransformerManager().transform_cell(cell.source))


def bound_names(tree: ast.AST) -> set[str]:
    """Every name a piece of code binds: assignments, loop targets, defs, imports."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def exercises(notebook) -> list[tuple[int, str]]:
    return [(i, label) for i, c in enumerate(notebook.cells) if (label := exercise_label(c))]


def lesson_number(path: Path) -> str:
    return path.name[:2]


lessons = pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])


# ------------------------------------------------------------------------ the exercise anatomy


@lessons
def test_every_exercise_has_a_solution_and_a_check_in_the_anatomy_order(path):
    notebook = read(path)
    cells = notebook.cells
    found = exercises(notebook)
    assert found, f"{path.name} has no exercises"
    labels = [label for _, label in found]
    number = lesson_number(path)
    assert labels == [f"ex-{number}-{k}" for k in range(1, len(found) + 1)], labels
    for i, label in found:
        start, solution, end, check = cells[i + 1 : i + 5]
        where = f"{path.name}, {label}"
        assert directive(start, "solution-start") == label, f"{where}: no solution-start after it"
        assert ":class: dropdown" in start.source, f"{where}: the solution must fold"
        assert solution.cell_type == "code" and "solution" in tags(solution), where
        assert directive(end, "solution-end") == "", f"{where}: no solution-end after the solution"
        assert check.cell_type == "code" and "check" in tags(check), f"{where}: no check cell"
    # no other solution or check cells anywhere
    solutions = [c for c in cells if c.cell_type == "code" and "solution" in tags(c)]
    checks = [c for c in cells if c.cell_type == "code" and "check" in tags(c)]
    assert len(solutions) == len(checks) == len(found)


@lessons
def test_every_solution_starts_with_comments_saying_what_to_write(path):
    for cell in read(path).cells:
        if "solution" in tags(cell):
            first = cell.source.splitlines()[0]
            assert first.startswith("# "), f"{path.name}: a solution starts with {first!r}"


@lessons
def test_every_check_cell_calls_one_imported_check_on_names_its_solution_defines(path):
    cells = read(path).cells
    imported: set[str] = set()
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        tree = python(cell)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "neuronet.course.checks":
                imported.update(alias.asname or alias.name for alias in node.names)
        if "check" not in tags(cell):
            continue
        assert len(tree.body) == 1, f"{path.name}: a check cell must be one call"
        call = tree.body[0].value if isinstance(tree.body[0], ast.Expr) else None
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name), cell.source
        name = call.func.id
        assert name in neuronet.course.checks.__all__, (
            f"{path.name}: {name} is not in neuronet.course.checks"
        )
        assert callable(getattr(neuronet.course.checks, name))
        assert name in imported, f"{path.name}: {name} is not imported before its check cell"
        solution = cells[i - 2]
        assert "solution" in tags(solution)
        arguments = call.args + [keyword.value for keyword in call.keywords]
        used = {n.id for arg in arguments for n in ast.walk(arg) if isinstance(n, ast.Name)}
        missing = used - bound_names(python(solution))
        assert not missing, (
            f"{path.name}: {name} uses {missing}, which its solution does not define"
        )


# ------------------------------------------------------------------------------ learner copies


@lessons
def test_the_learner_copy_has_stubs_instead_of_solutions_and_no_outputs(path):
    lesson = read(path)
    before = nbformat.writes(lesson)
    learner = make_learner_copy(lesson)
    assert nbformat.writes(lesson) == before, "make_learner_copy changed the lesson"
    nbformat.validate(learner)

    cells = learner.cells
    assert not [c for c in cells if "solution" in tags(c)]
    assert not [c for c in cells if directive(c, "solution-start") is not None]
    assert not [c for c in cells if directive(c, "solution-end") is not None]
    for cell in cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None

    # one stub per exercise, between the exercise and its check, keeping the instructions
    solutions = {c.id: c for c in lesson.cells if "solution" in tags(c)}
    found = exercises(learner)
    stubs = [c for c in cells if "stub" in tags(c)]
    assert len(stubs) == len(found) == len(solutions)
    for i, label in found:
        stub, check = cells[i + 1], cells[i + 2]
        assert "stub" in tags(stub) and "check" in tags(check)
        original = solutions[stub.metadata["neuronet"]["solution_id"]]
        comments = []
        for line in original.source.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line)
        number = label.removeprefix("ex-").replace("-", ".")
        assert stub.source == "\n".join([*comments, RAISE.format(number)])
        assert stub.id != original.id

    # everything else is the lesson's cells, in order: the solution blocks are gone
    kept = [c.id for c in cells if "stub" not in tags(c)]
    removed = set()
    for i, _ in exercises(lesson):
        removed.update(c.id for c in lesson.cells[i + 1 : i + 4])
    assert kept == [c.id for c in lesson.cells if c.id not in removed]


@lessons
def test_restoring_the_solutions_gives_back_the_lesson_exactly(path):
    lesson = read(path)
    learner = make_learner_copy(lesson)
    on_disk = nbformat.reads(nbformat.writes(learner), as_version=4)  # as read back from a file
    restored = restore_solutions(on_disk, lesson)
    assert nbformat.writes(restored) == nbformat.writes(lesson)


@lessons
def test_the_learner_copy_is_the_lesson_up_to_its_first_exercise(path):
    """Up to the first stub a learner copy holds exactly the lesson's cells.

    The lesson itself runs top to bottom under nbval in the same test command, so these cells
    are known to run; executing every copy again would double the time of the lesson tests. One
    copy is executed for real below.
    """
    lesson = read(path)
    learner = make_learner_copy(lesson)
    first = next(i for i, c in enumerate(learner.cells) if "stub" in tags(c))
    first_solution = next(i for i, c in enumerate(lesson.cells) if "solution" in tags(c))
    before = [(c.cell_type, c.source) for c in learner.cells[:first]]
    # the lesson's solution-start cell sits between the exercise and its solution; the copy drops it
    lesson_before = [
        (c.cell_type, c.source)
        for c in lesson.cells[:first_solution]
        if "solution-start" not in c.source
    ]
    assert before == lesson_before


@pytest.mark.parametrize("path", LESSONS[:1], ids=[p.stem for p in LESSONS[:1]])
def test_the_learner_copy_runs_up_to_the_first_exercise(path):
    learner = make_learner_copy(read(path))
    first = next(i for i, c in enumerate(learner.cells) if "stub" in tags(c))
    learner.cells = learner.cells[: first + 1]
    client = NotebookClient(
        learner,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    with pytest.raises(CellExecutionError) as raised:
        client.execute()
    assert raised.value.ename == "NotImplementedError"
    errors = [
        i
        for i, cell in enumerate(learner.cells)
        if cell.cell_type == "code" and any(o.output_type == "error" for o in cell.outputs)
    ]
    assert errors == [first], "only the stub may fail"
    assert f"Exercise {lesson_number(path)}.1:" in raised.value.evalue


# --------------------------------------------------------------- the functions, on a tiny lesson


def tiny_lesson(
    solution: str = "# Write double(x).\ndef double(x):\n    return 2 * x",
) -> nbformat.NotebookNode:
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = [
        md("# 01 · Tiny"),
        code("from neuronet.course.checks import Feedback", metadata={"tags": ["remove-input"]}),
        md("## Exercises"),
        md("```{exercise} Double\n:label: ex-01-1\nWrite `double(x)`.\n```"),
        md("```{solution-start} ex-01-1\n:class: dropdown\n```"),
        code(solution, metadata={"tags": ["solution", "hide-output"]}),
        md("Doubling is adding `x` to itself.\n\n```{solution-end}\n```"),
        code("print(double(2))", metadata={"tags": ["check"]}),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.cells[5].outputs = [nbformat.v4.new_output("stream", text="done\n")]
    notebook.cells[5].execution_count = 3
    return notebook


def test_a_stub_keeps_the_comments_and_raises_with_the_exercise_number():
    source = stub_source(
        "# Write double(x)\n# returning 2 x.\ndef double(x):\n    return 2 * x", "ex-03-2"
    )
    assert source == "# Write double(x)\n# returning 2 x.\n" + RAISE.format("03.2")
    with pytest.raises(NotImplementedError, match=r"^Exercise 03\.2: write your answer above"):
        exec(source, {})


def test_the_stub_records_its_solution_and_keeps_the_other_tags():
    lesson = tiny_lesson()
    learner = make_learner_copy(lesson)
    kinds = ["markdown", "code", "markdown", "markdown", "code", "code"]
    assert [c.cell_type for c in learner.cells] == kinds
    stub = learner.cells[4]
    assert stub.metadata["tags"] == ["stub", "hide-output"]
    assert stub.metadata["neuronet"] == {"solution_id": lesson.cells[5].id}
    assert stub.outputs == [] and stub.execution_count is None
    assert "adding `x` to itself" not in nbformat.writes(learner)  # the explanation is gone


def solution_cell(source: str):
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["solution"]})


def without_comments(cells):
    cells[5] = solution_cell("def double(x):\n    return 2 * x")


def without_start(cells):
    del cells[4]


def without_end(cells):
    del cells[6:]


def without_solution(cells):
    del cells[5]


def with_two_solutions(cells):
    cells.insert(5, solution_cell("# Another answer."))


def with_an_untagged_cell(cells):
    cells.insert(5, nbformat.v4.new_code_cell("x = 1"))


def with_an_early_end(cells):
    cells.insert(3, copy.deepcopy(cells[6]))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            without_comments,
            "01_tiny.ipynb, cell 5: the solution of ex-01-1 must start with comment",
        ),
        (without_start, "01_tiny.ipynb, cell 4: a code cell tagged 'solution' outside a"),
        (without_end, "01_tiny.ipynb: the solution of ex-01-1 has no {solution-end}"),
        (without_solution, "the solution of ex-01-1 has no code cell tagged 'solution'"),
        (with_two_solutions, "cell 6: the solution of ex-01-1 has more than one code cell"),
        (with_an_untagged_cell, "cell 5: a code cell inside the solution of ex-01-1 is not tagged"),
        (with_an_early_end, "cell 3: {solution-end} without a {solution-start}"),
    ],
)
def test_a_lesson_that_breaks_the_anatomy_is_refused_with_a_clear_error(change, message):
    lesson = tiny_lesson()
    change(lesson.cells)
    with pytest.raises(ValueError, match=re.escape(message)):
        make_learner_copy(lesson, name="01_tiny.ipynb")


def test_restore_keeps_the_learners_other_cells_and_refuses_missing_or_unknown_stubs():
    lesson = tiny_lesson()
    learner = make_learner_copy(lesson)
    note = nbformat.v4.new_markdown_cell("My notes.")
    learner.cells.insert(1, note)
    restored = restore_solutions(learner, lesson)
    assert restored.cells[1] == note
    assert restored.cells[5:8] == lesson.cells[4:7]  # the whole solution block is back

    deleted = copy.deepcopy(learner)
    del deleted.cells[5]  # the stub (after the inserted note)
    with pytest.raises(ValueError, match="no stub for the solution of ex-01-1"):
        restore_solutions(deleted, lesson)
    unknown = copy.deepcopy(learner)
    unknown.cells[5].metadata["neuronet"]["solution_id"] = "nothere"
    with pytest.raises(ValueError, match="refers to solution cell 'nothere'"):
        restore_solutions(unknown, lesson)


# ------------------------------------------------------------------------------ command line


def test_the_command_line_makes_learner_copies_and_restores_them(tmp_path, capsys):
    out, back = tmp_path / "learner", tmp_path / "restored"
    lessons_dir = str(REPO / "lessons")
    assert main(["learner-copies", lessons_dir, str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in LESSONS]
    printed = capsys.readouterr().out
    for path in LESSONS:
        written = read(out / path.name)
        assert nbformat.writes(written) == nbformat.writes(make_learner_copy(read(path)))
        assert f"{out / path.name}: " in printed

    assert main(["restore", str(out), lessons_dir, str(back)]) == 0
    for path in LESSONS:
        assert nbformat.writes(read(back / path.name)) == nbformat.writes(read(path))


def test_the_command_line_defaults_to_lessons_and_build_learner(tmp_path, monkeypatch):
    (tmp_path / "lessons").mkdir()
    shutil.copy(LESSONS[0], tmp_path / "lessons")
    monkeypatch.chdir(tmp_path)
    assert main(["learner-copies"]) == 0
    assert [p.name for p in (tmp_path / "build" / "learner").iterdir()] == [LESSONS[0].name]


def test_the_command_line_refuses_to_overwrite_the_lessons(tmp_path, capsys):
    lessons_dir = tmp_path / "lessons"
    lessons_dir.mkdir()
    shutil.copy(LESSONS[0], lessons_dir)
    before = (lessons_dir / LESSONS[0].name).read_bytes()
    assert main(["learner-copies", str(lessons_dir), str(lessons_dir)]) == 2
    assert "would overwrite the lessons" in capsys.readouterr().err
    assert main(["restore", str(lessons_dir), str(lessons_dir), str(lessons_dir)]) == 2
    assert "would overwrite the lessons" in capsys.readouterr().err
    assert (lessons_dir / LESSONS[0].name).read_bytes() == before


def test_the_command_line_reports_bad_lessons_and_missing_originals(tmp_path, capsys):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    broken = tiny_lesson("def double(x):\n    return 2 * x")
    nbformat.write(broken, src / "01_tiny.ipynb")
    nbformat.write(tiny_lesson(), src / "02_fine.ipynb")
    assert main(["learner-copies", str(src), str(out)]) == 1
    err = capsys.readouterr().err
    assert "01_tiny.ipynb" in err and "the solution of ex-01-1 must start with comment lines" in err
    assert [p.name for p in out.iterdir()] == ["02_fine.ipynb"]  # the good one is still written

    assert main(["restore", str(out), str(tmp_path / "nowhere"), str(tmp_path / "r")]) == 1
    assert "no lesson" in capsys.readouterr().err
    assert main(["learner-copies", str(tmp_path / "empty"), str(out)]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_the_help_lists_both_commands(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "learner-copies" in text and "restore" in text
