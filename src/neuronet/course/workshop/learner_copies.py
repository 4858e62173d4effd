"""Learner copies of the lessons: each exercise's solution becomes a stub, and can come back.

Every exercise of a lesson has the same cells (see the book's lesson anatomy)::

    ```{exercise} Title                  markdown: the task, with :label: ex-NN-k
    ```{solution-start} ex-NN-k          markdown (the solution's dropdown opens)
    # What to write ...                  code, tagged "solution": comment lines, then the answer
    ```{solution-end}                    markdown (with any explanation of the solution)
    check_something(answer)              code, tagged "check"

A learner copy keeps the task and the check, drops the two solution markdown cells, and replaces
the solution code cell by a *stub*: its leading comment lines, which say what to write, followed by
``raise NotImplementedError("Exercise NN.k: ...")``. The stub is tagged ``stub`` and records the
solution cell's id in its metadata (``{"neuronet": {"solution_id": ...}}``), so that
:func:`restore_solutions` can put the solution back from the original lesson. All outputs and
execution counts are cleared.

Command line (``python -m neuronet.course.workshop``)::

    learner-copies [SRC_DIR] [OUT_DIR]           # default: lessons/ -> build/learner/
    restore LEARNER_DIR SOLUTIONS_DIR OUT_DIR    # solutions back from the original lessons
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode

__all__ = [
    "CHECK_TAG",
    "SOLUTION_TAG",
    "STUB_TAG",
    "add_commands",
    "exercise_label",
    "make_learner_copy",
    "restore_solutions",
    "stub_source",
]

SOLUTION_TAG = "solution"
STUB_TAG = "stub"
CHECK_TAG = "check"
#: The key, in a stub's metadata, of the record ``{"solution_id": ...}``.
METADATA_KEY = "neuronet"
#: The lesson notebooks of a folder: ``NN_name.ipynb``.
LESSON_PATTERN = "[0-9][0-9]_*.ipynb"

# A MyST directive on its own line: ```{name} argument  (or :::{name} argument).
_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<argument>[^\n]*)$", re.M)
_LABEL = re.compile(r"^\s*:label:\s*(?P<label>\S+)\s*$", re.M)
_NUMBERED = re.compile(r"^ex-(?P<lesson>\d+)-(?P<k>\d+)$")


def _directive(cell: NotebookNode, name: str) -> re.Match | None:
    if cell.cell_type != "markdown":
        return None
    return next((m for m in _DIRECTIVE.finditer(cell.source) if m["name"] == name), None)


def _tags(cell: NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def exercise_label(cell: NotebookNode) -> str | None:
    """The label of an ``{exercise}`` directive in a markdown cell, or None.

    Parameters
    ----------
    cell : nbformat.NotebookNode
        Any notebook cell.

    Returns
    -------
    str or None
        The ``:label:`` of the exercise (e.g. ``"ex-01-2"``), or None if the cell holds no
        exercise directive. An exercise without a label gives the empty string.
    """
    if _directive(cell, "exercise") is None:
        return None
    found = _LABEL.search(cell.source)
    return found["label"] if found else ""


def _exercise_name(label: str) -> str:
    """``"ex-01-2"`` -> ``"01.2"``; other labels are shown as they are."""
    numbered = _NUMBERED.match(label)
    return f"{numbered['lesson']}.{numbered['k']}" if numbered else label


def stub_source(solution: str, label: str) -> str:
    """The learner's stub for a solution: its leading comment lines and a ``raise``.

    Parameters
    ----------
    solution : str
        The source of the solution cell; it must start with comment lines that tell the learner
        what to write.
    label : str
        The exercise's label, ``ex-NN-k``, named in the message as ``Exercise NN.k``.

    Returns
    -------
    str
        The comment lines, then
        ``raise NotImplementedError("Exercise NN.k: write your answer above, then run the check
        below")``.

    Raises
    ------
    ValueError
        If the solution does not start with a comment line.
    """
    lines = solution.splitlines()
    comments = []
    for line in lines:
        if not line.lstrip().startswith("#"):
            break
        comments.append(line)
    if not comments:
        first = lines[0] if lines else ""
        raise ValueError(
            f"the solution of {label} must start with comment lines telling the learner what to "
            f"write (they become the learner's stub); it starts with {first!r}"
        )
    message = f"Exercise {_exercise_name(label)}: write your answer above, then run the check below"
    return "\n".join([*comments, f'raise NotImplementedError("{message}")'])


def _solution_blocks(notebook: NotebookNode, name: str) -> list[tuple[int, int, int, str]]:
    """Each solution block as (start index, solution cell index, end index, label).

    A block runs from a ``{solution-start}`` markdown cell to the next ``{solution-end}`` and
    holds exactly one code cell, tagged ``solution``.
    """
    blocks = []
    start = label = None
    solution: int | None = None
    for i, cell in enumerate(notebook.cells):
        opens = _directive(cell, "solution-start")
        closes = _directive(cell, "solution-end")
        is_solution = cell.cell_type == "code" and SOLUTION_TAG in _tags(cell)
        where = f"{name}, cell {i}"
        if opens and closes:
            raise ValueError(f"{where}: solution-start and solution-end belong in separate cells")
        if opens:
            if start is not None:
                raise ValueError(f"{where}: {{solution-start}} inside the solution of {label}")
            start, label, solution = i, opens["argument"].strip(), None
        elif is_solution:
            if start is None:
                raise ValueError(
                    f"{where}: a code cell tagged {SOLUTION_TAG!r} outside a "
                    "{solution-start} ... {solution-end} block"
                )
            if solution is not None:
                raise ValueError(f"{where}: the solution of {label} has more than one code cell")
            solution = i
        elif closes:
            if start is None:
                raise ValueError(f"{where}: {{solution-end}} without a {{solution-start}}")
            if solution is None:
                raise ValueError(
                    f"{where}: the solution of {label} has no code cell tagged {SOLUTION_TAG!r}"
                )
            blocks.append((start, solution, i, label))
            start = solution = None
        elif start is not None and cell.cell_type == "code":
            raise ValueError(
                f"{where}: a code cell inside the solution of {label} is not tagged "
                f"{SOLUTION_TAG!r}"
            )
    if start is not None:
        raise ValueError(f"{name}: the solution of {label} has no {{solution-end}}")
    return blocks


def _stub_id(solution_id: str) -> str:
    return f"{solution_id[:59]}-stub"  # cell ids have at most 64 characters


def make_learner_copy(notebook: NotebookNode, name: str = "the notebook") -> NotebookNode:
    """A learner's copy of a lesson: every solution replaced by a stub, no outputs.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A lesson (nbformat 4.5 or later, so that cells have ids); it is not modified.
    name : str
        How to name the notebook in error messages.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook without the ``{solution-start}`` and ``{solution-end}`` markdown cells,
        in which each ``solution`` code cell is a ``stub`` (see :func:`stub_source`) whose
        metadata records the solution's cell id; outputs and execution counts are cleared.

    Raises
    ------
    ValueError
        If the solutions do not follow the anatomy (a ``solution`` cell outside a solution block,
        a block without exactly one, a block that does not close, a solution without leading
        comment lines, a cell without an id).
    """
    learner = copy.deepcopy(notebook)
    blocks = _solution_blocks(learner, name)
    stubs = {}
    for start, index, end, label in blocks:
        solution = learner.cells[index]
        if not solution.get("id"):
            raise ValueError(f"{name}, cell {index}: the solution of {label} has no cell id")
        metadata = copy.deepcopy(solution.metadata)
        metadata["tags"] = [STUB_TAG if tag == SOLUTION_TAG else tag for tag in _tags(solution)]
        metadata[METADATA_KEY] = {"solution_id": solution.id}
        try:
            source = stub_source(solution.source, label)
        except ValueError as error:
            raise ValueError(f"{name}, cell {index}: {error}") from None
        stub = nbformat.v4.new_code_cell(source, metadata=metadata)
        stub.id = _stub_id(solution.id)
        stubs[start] = (stub, end)
    cells, i = [], 0
    while i < len(learner.cells):
        if i in stubs:
            stub, end = stubs[i]
            cells.append(stub)
            i = end + 1
            continue
        cells.append(learner.cells[i])
        i += 1
    for cell in cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    learner.cells = cells
    return learner


def restore_solutions(
    learner: NotebookNode, lesson: NotebookNode, name: str = "the notebook"
) -> NotebookNode:
    """Put the solutions of ``lesson`` back into a learner copy, in place of its stubs.

    Each ``stub`` cell is replaced by the whole solution block of the original lesson (the
    ``{solution-start}`` cell, the solution, the ``{solution-end}`` cell); every other cell of
    the learner copy is kept as it is. For an unmodified learner copy the result equals the
    lesson.

    Parameters
    ----------
    learner : nbformat.NotebookNode
        A notebook made by :func:`make_learner_copy` (possibly edited by a learner); it is not
        modified.
    lesson : nbformat.NotebookNode
        The original lesson, with its solutions.
    name : str
        How to name the notebook in error messages.

    Returns
    -------
    nbformat.NotebookNode
        The learner copy with the solutions back.

    Raises
    ------
    ValueError
        If a stub names a solution the lesson does not have, or a solution of the lesson has no
        stub in the learner copy (its cell was deleted).
    """
    blocks = {
        lesson.cells[index].id: (label, lesson.cells[start : end + 1])
        for start, index, end, label in _solution_blocks(lesson, name)
    }
    restored = copy.deepcopy(learner)
    cells, used = [], set()
    for i, cell in enumerate(learner.cells):
        if cell.cell_type == "code" and STUB_TAG in _tags(cell):
            solution_id = cell.metadata.get(METADATA_KEY, {}).get("solution_id")
            if solution_id not in blocks:
                raise ValueError(
                    f"{name}, cell {i}: the stub refers to solution cell {solution_id!r}, which "
                    "the original lesson does not have"
                )
            cells.extend(copy.deepcopy(blocks[solution_id][1]))
            used.add(solution_id)
        else:
            cells.append(copy.deepcopy(cell))
    missing = [label for solution_id, (label, _) in blocks.items() if solution_id not in used]
    if missing:
        raise ValueError(
            f"{name}: no stub for the solution of {', '.join(missing)} (was its cell deleted?)"
        )
    restored.cells = cells
    return restored


# -------------------------------------------------------------------------------- command line


def _lessons(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    found = sorted(folder.glob(LESSON_PATTERN))
    if not found:
        raise FileNotFoundError(f"no lesson notebooks (NN_name.ipynb) in {folder}")
    return found


def _same_folder(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _run_learner_copies(args: argparse.Namespace) -> int:
    src, out = Path(args.src), Path(args.out)
    if _same_folder(src, out):
        print(f"error: the learner copies would overwrite the lessons in {src}", file=sys.stderr)
        return 2
    try:
        lessons = _lessons(src)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in lessons:
        try:
            learner = make_learner_copy(nbformat.read(path, as_version=4), name=str(path))
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            failed += 1
            continue
        nbformat.write(learner, out / path.name)
        stubs = sum(STUB_TAG in _tags(cell) for cell in learner.cells)
        print(f"{out / path.name}: {stubs} exercise(s)")
    return 1 if failed else 0


def _run_restore(args: argparse.Namespace) -> int:
    learner_dir, solutions, out = Path(args.learner), Path(args.solutions), Path(args.out)
    if _same_folder(solutions, out):
        print(f"error: restoring into {solutions} would overwrite the lessons", file=sys.stderr)
        return 2
    try:
        copies = _lessons(learner_dir)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in copies:
        original = solutions / path.name
        if not original.is_file():
            print(
                f"error: {path}: no lesson {original} to take the solutions from", file=sys.stderr
            )
            failed += 1
            continue
        try:
            restored = restore_solutions(
                nbformat.read(path, as_version=4),
                nbformat.read(original, as_version=4),
                name=str(path),
            )
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            failed += 1
            continue
        nbformat.write(restored, out / path.name)
        print(f"{out / path.name}: solutions restored from {original}")
    return 1 if failed else 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``learner-copies`` and ``restore`` on the workshop command line."""
    copies = subparsers.add_parser(
        "learner-copies",
        help="write every lesson with its solutions replaced by stubs, for learners",
        description="Write a learner copy of every lesson NN_name.ipynb of SRC_DIR into OUT_DIR: "
        "each solution becomes a stub that says what to write and raises NotImplementedError; "
        "the exercises and their checks stay.",
    )
    copies.add_argument(
        "src",
        nargs="?",
        type=Path,
        default=Path("lessons"),
        metavar="SRC_DIR",
        help="the lessons (default: lessons)",
    )
    copies.add_argument(
        "out",
        nargs="?",
        type=Path,
        default=Path("build/learner"),
        metavar="OUT_DIR",
        help="where to write the copies (default: build/learner)",
    )
    copies.set_defaults(run=_run_learner_copies)

    restore = subparsers.add_parser(
        "restore",
        help="put the solutions back into learner copies, from the original lessons",
        description="For every notebook of LEARNER_DIR, replace each stub by the solution of the "
        "lesson of the same name in SOLUTIONS_DIR and write the result into OUT_DIR.",
    )
    restore.add_argument("learner", type=Path, metavar="LEARNER_DIR", help="the learner copies")
    restore.add_argument(
        "solutions", type=Path, metavar="SOLUTIONS_DIR", help="the original lessons"
    )
    restore.add_argument("out", type=Path, metavar="OUT_DIR", help="where to write the results")
    restore.set_defaults(run=_run_restore)
