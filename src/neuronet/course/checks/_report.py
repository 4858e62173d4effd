"""The machinery every exercise check shares: run the learner's code safely, compare, explain.

A check never ends in a bare ``AssertionError``. It returns a :class:`Feedback` that prints as one
line, either a success or a specific hint about what is wrong, and is truthy only on success, so
``assert check_sigmoid(my_sigmoid)`` also works in a test.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

# When this environment variable is set (the test command sets it while it runs the lessons), a
# check that fails raises ExerciseCheckFailed, so a lesson whose own solution fails its check
# fails its test. Learners never set it and only ever see the hint.
STRICT = "NEURONET_STRICT_CHECKS"


class ExerciseCheckFailed(AssertionError):
    """A check failed while ``NEURONET_STRICT_CHECKS`` was set (only in the course's tests)."""


@dataclass(frozen=True)
class Feedback:
    """The outcome of a check: ``passed`` and the message shown to the learner."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return ("Correct: " if self.passed else "Not yet: ") + self.message

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour, mark = ("#007A5A", "&#10004;") if self.passed else ("#B34F00", "&#10008;")
        text = str(self).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<p style="color:{colour};font-weight:600">{mark} {text}</p>'


def success(message: str) -> Feedback:
    """A passed check."""
    return Feedback(True, message)


def hint(message: str) -> Feedback:
    """A failed check, with a hint that says what is wrong."""
    return Feedback(False, message)


class LearnerError(Exception):
    """Raised internally when the learner's code fails; carries the hint to show."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(feedback.message)
        self.feedback = feedback


def exercise_check(check: Callable[..., Feedback]) -> Callable[..., Feedback]:
    """Decorate a check so that a :class:`LearnerError` raised inside becomes its feedback.

    Inside a check, :func:`call` the learner's code and :func:`compare` its results; return
    :func:`hint` at the first problem and :func:`success` at the end.
    """

    @functools.wraps(check)
    def run(*args: Any, **kwargs: Any) -> Feedback:
        try:
            feedback = check(*args, **kwargs)
        except LearnerError as error:
            feedback = error.feedback
        if not feedback and os.environ.get(STRICT):
            raise ExerciseCheckFailed(f"{check.__name__}: {feedback.message}")
        return feedback

    return run


def call(function: Callable[..., Any], *args: Any, name: str | None = None) -> Any:
    """Call the learner's ``function``; turn any exception into a hint naming it.

    ``NotImplementedError`` (the stub of a learner copy) and ``...`` returned from an unfinished
    cell get their own, friendlier hints.
    """
    label = name or getattr(function, "__name__", "your function")
    if not callable(function):
        raise LearnerError(hint(f"expected a function, got {type(function).__name__}"))
    try:
        result = function(*args)
    except NotImplementedError:
        raise LearnerError(
            hint(f"{label} is not written yet (it raises NotImplementedError)")
        ) from None
    except Exception as error:  # the learner's code may fail in any way: report, don't crash
        raise LearnerError(hint(f"{label} raised {type(error).__name__}: {error}")) from None
    if result is Ellipsis or result is None:
        raise LearnerError(hint(f"{label} returned {result!r}: did you forget a return?"))
    return result


def fail(message: str) -> None:
    """Stop the check here with a hint (inside a function decorated by :func:`exercise_check`)."""
    raise LearnerError(hint(message))


def as_number(value: Any, name: str, finite: bool = True) -> float:
    """The learner's answer as one number (finite unless ``finite=False``), or a hint saying
    what is wrong: still ``...`` or None, not a number, several numbers, NaN or infinity."""
    if value is None or value is Ellipsis:
        fail(f"{name} is {value!r}: replace it with your answer")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(f"{name} should be a number, got {type(value).__name__}")
    if array.size != 1:
        fail(f"{name} should be one number, got an array of shape {array.shape}")
    number = float(array.reshape(-1)[0])
    if finite and not np.isfinite(number):
        fail(f"{name} is {number}; it should be a finite number")
    return number


def as_float_array(value: Any, name: str) -> np.ndarray:
    """The learner's answer as a float array, or a hint if it is not made of numbers."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(f"{name} should be an array of numbers, got {type(value).__name__}")


def matches(got: Any, expected: np.ndarray, rtol: float = 1e-6, atol: float = 1e-12) -> bool:
    """Whether ``got`` has the shape of ``expected`` and close values (no hint: for testing which
    known mistake an answer matches)."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def require_close(
    got: Any,
    expected: np.ndarray,
    name: str,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    where: str = "",
) -> np.ndarray:
    """Check an array the learner computed against the expected one and return it as floats.

    On the first problem found it stops the check (see :func:`fail`) with a hint naming it, in
    order: not array-like, wrong shape (naming both shapes), NaN or infinity, wrong values (naming
    the first mismatching index and both values). ``where`` describes the input, e.g.
    ``"for z = 50"``.
    """
    at = f" {where}" if where else ""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        fail(f"{name}{at} should be an array of numbers, got {type(got).__name__}")
    expected = np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        fail(f"{name}{at} has shape {got.shape} but should have shape {expected.shape}")
    if not np.isfinite(got).all():
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        fail(f"{name}{at} contains {got[index]} at index {index}")
    close = np.isclose(got, expected, rtol=rtol, atol=atol)
    if not close.all():
        index = tuple(int(i) for i in np.argwhere(~close)[0])
        position = f" at index {index}" if got.ndim else ""
        fail(f"{name}{at} is {got[index]:.6g}{position}, expected {expected[index]:.6g}")
    return got
