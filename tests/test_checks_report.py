"""The shared machinery of the exercise checks."""

import subprocess
import sys

import numpy as np

from neuronet.course.checks import Feedback
from neuronet.course.checks._report import call, exercise_check, fail, require_close, success


@exercise_check
def check_double(double) -> Feedback:
    x = np.array([[1.0, -2.0, 3.0]])
    argument = x.copy()
    got = call(double, argument, name="your double")
    if not np.array_equal(argument, x):
        fail("your double changed its input in place; return a new array")
    require_close(got, 2 * x, "the output", where="for x = [[1, -2, 3]]")
    return success("double works")


def test_a_right_answer_passes_and_is_truthy():
    feedback = check_double(lambda x: 2 * x)
    assert feedback and feedback.passed
    assert str(feedback) == "Correct: double works"


def test_each_kind_of_mistake_gets_its_own_hint():
    def unfinished(x):
        raise NotImplementedError

    def in_place(x):
        x *= 2
        return x

    cases = {
        unfinished: "your double is not written yet (it raises NotImplementedError)",
        (lambda x: x / 0 * np.nan): "the output for x = [[1, -2, 3]] contains nan at index (0, 0)",
        (lambda x: ...): "your double returned Ellipsis: did you forget a return?",
        (lambda x: 2 * x.T): "the output for x = [[1, -2, 3]] has shape (3, 1) but should have "
        "shape (1, 3)",
        (lambda x: x + x[0, 0]): "the output for x = [[1, -2, 3]] is -1 at index (0, 1), "
        "expected -4",
        (lambda x: {}["key"]): "your double raised KeyError: 'key'",
        in_place: "your double changed its input in place; return a new array",
    }
    for answer, message in cases.items():
        with np.errstate(all="ignore"):
            feedback = check_double(answer)
        assert not feedback
        assert str(feedback) == f"Not yet: {message}"


def test_feedback_renders_as_coloured_html_in_a_notebook():
    html = Feedback(False, "a < b")._repr_html_()
    assert "a &lt; b" in html and "#B34F00" in html
    assert "#007A5A" in Feedback(True, "fine")._repr_html_()


def test_strict_mode_turns_a_failed_check_into_an_error(monkeypatch):
    import pytest

    from neuronet.course.checks._report import ExerciseCheckFailed

    monkeypatch.setenv("NEURONET_STRICT_CHECKS", "1")
    assert check_double(lambda x: 2 * x)
    with pytest.raises(ExerciseCheckFailed, match="check_double: your double returned None"):
        check_double(lambda x: None)


def test_importing_the_checks_does_not_load_pyplot():
    # A fresh interpreter: this one has loaded pyplot for other tests. Importing the package
    # imports every lesson's checks.
    code = "import sys, neuronet.course.checks; assert 'matplotlib.pyplot' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
