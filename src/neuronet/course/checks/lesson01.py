"""Checks for the exercises of lesson 01, the neuron.

Each check runs the learner's answer on inputs of its own and compares the result with the truth
table of a gate (:data:`neuronet.course.explore.lesson01.GATES`) or with
:class:`neuronet.neuron.Neuron`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.activations import Sigmoid
from neuronet.course.checks._report import (
    Feedback,
    as_float_array,
    call,
    exercise_check,
    fail,
    require_close,
    success,
)
from neuronet.course.explore.lesson01 import GATES, gate_data
from neuronet.neuron import Neuron

__all__ = ["check_nand_xor", "check_perceptron", "check_scaled"]


def _corner(x: np.ndarray) -> str:
    return f"({x[0]:.0f}, {x[1]:.0f})"


def _truth_table(got: Any, name: str) -> np.ndarray:
    """The learner's four outputs as an array of 0s and 1s, or a hint saying what is wrong."""
    table = as_float_array(got, name)
    if table.shape != (4,):
        fail(f"{name} has shape {table.shape}; it should hold one output per corner, shape (4,)")
    if not np.isin(table, (0.0, 1.0)).all():
        fail(f"{name} should hold 0s and 1s (a step neuron's outputs), got {table}")
    return table


@exercise_check
def check_nand_xor(nand_neuron: Any, xor_output: Any) -> Feedback:
    """Check a NAND neuron on the four corners, then the XOR built from three neurons.

    Parameters
    ----------
    nand_neuron : callable
        A step neuron (``Neuron(2, activation="step")``) computing NAND: ``nand_neuron(X)``
        returns one output for each row of ``X``.
    xor_output : array_like, shape (4,)
        ``and_neuron`` applied to the outputs of ``or_neuron`` and ``nand_neuron``, for the four
        corners of ``gate_data("XOR")`` in that order.

    Returns
    -------
    Feedback
        Correct if both truth tables are right; otherwise the first corner that is wrong.
    """
    corners, nand = gate_data("NAND")
    got = call(nand_neuron, corners.copy(), name="your nand_neuron")
    table = _truth_table(got, "the output of your nand_neuron for the 4 corners")
    for gate in ("AND", "OR"):
        if np.array_equal(table, GATES[gate]):
            fail(
                f"your nand_neuron computes {gate}, not NAND: NAND is 0 only for (1, 1); "
                "flip the signs of the AND neuron's weights and bias"
            )
    for x, a, target in zip(corners, table, nand, strict=True):
        if a != target:
            z = " + ".join(name for name, on in zip(("w1", "w2"), x, strict=True) if on)
            z = f"{z} + b" if z else "b"
            sign = "negative" if target == 0 else "zero or more"
            fail(
                f"your nand_neuron gives {a:.0f} for inputs {_corner(x)}, where NAND is "
                f"{target}: there z = {z} must be {sign}"
            )

    xor = np.array(GATES["XOR"])
    if xor_output is None or xor_output is Ellipsis:
        fail(f"xor_output is {xor_output!r}: compute it with and_neuron in the cell above")
    if np.shape(xor_output) != (4,):
        fail(
            f"xor_output has shape {np.shape(xor_output)}; it should hold one output per corner "
            "of gate_data('XOR'), shape (4,): feed np.column_stack([or_neuron(inputs), "
            "nand_neuron(inputs)]) to and_neuron"
        )
    table = _truth_table(xor_output, "xor_output")
    for gate in ("AND", "OR", "NAND"):
        if np.array_equal(table, GATES[gate]):
            fail(
                f"xor_output is the truth table of {gate}, not XOR: the hidden layer is "
                "or_neuron and nand_neuron (two columns), and and_neuron combines them"
            )
    for x, a, target in zip(corners, table, xor, strict=True):
        if a != target:
            fail(f"xor_output is {a:.0f} for inputs {_corner(x)}, where XOR is {target}")
    return success("your NAND neuron is right, and three neurons compute XOR")


@exercise_check
def check_scaled(scaled: Any) -> Feedback:
    """Check ``scaled(neuron, c, activation="step")``: a new neuron with weights and bias times c.

    Parameters
    ----------
    scaled : callable
        ``scaled(neuron, c, activation="step")`` returns a new two-input ``Neuron`` with the given
        activation, weights ``c * neuron.w`` and bias ``c * neuron.b``, leaving ``neuron``
        unchanged.

    Returns
    -------
    Feedback
        Correct if it scales both, for a step and a sigmoid neuron, without touching the original.
    """
    w, b = np.array([0.7, -1.3]), 0.4
    original = Neuron(2, activation="step")
    original.w, original.b = w, b
    points = np.random.default_rng(1).uniform(-1.0, 2.0, size=(50, 2))
    z = points @ w + b

    for c in (3.0, 0.5, -2.0):
        new = call(scaled, original, c, name="your scaled")
        if not np.array_equal(original.w, w) or original.b != b:
            fail(
                f"scaled(neuron, {c}) changed the neuron you gave it (its weights became "
                f"{original.w}, its bias {original.b:g}): create a new Neuron and leave the "
                "original alone"
            )
        if new is original:
            fail(f"scaled(neuron, {c}) returned the neuron itself; return a new Neuron")
        if not (hasattr(new, "w") and hasattr(new, "b") and callable(new)):
            fail(f"scaled(neuron, {c}) should return a Neuron, got {type(new).__name__}")
        where = f"of scaled(neuron, {c})"
        if np.allclose(np.ravel(new.w), c * w) and np.isclose(float(np.ravel(new.b)[0]), b):
            fail(f"the bias {where} is still {b:g}: multiply the bias by c too, not just w")
        require_close(new.w, c * w, f"the weights {where}", where=f"for w = {w}")
        require_close(new.b, c * b, f"the bias {where}", where=f"for b = {b:g}")
        outputs = call(new, points, name=f"the neuron returned by scaled(neuron, {c})")
        require_close(outputs, (c * z >= 0).astype(float), f"the outputs {where}")

    c = 10.0
    soft = call(scaled, original, c, "sigmoid", name="your scaled")
    outputs = call(soft, points, name=f"the neuron returned by scaled(neuron, {c}, 'sigmoid')")
    if np.isin(np.asarray(outputs, dtype=float), (0.0, 1.0)).all():
        fail(
            f"scaled(neuron, {c}, activation='sigmoid') still gives 0s and 1s like a step: pass "
            "the activation on to the new Neuron"
        )
    require_close(
        outputs, Sigmoid()(c * z), f"the outputs of scaled(neuron, {c}, activation='sigmoid')"
    )
    return success("scaled multiplies w and b by c and returns a new neuron")


def _perceptron(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    b: float,
    lr: float,
    epochs: int,
    *,
    strict: bool = False,
    bias: bool = True,
    sign: float = 1.0,
    batch: bool = False,
    epochs_used: int | None = None,
) -> tuple[np.ndarray, float]:
    """The perceptron rule and the usual ways of getting it wrong (to name a learner's mistake)."""
    w = np.array(w, dtype=float)
    for _ in range(epochs if epochs_used is None else epochs_used):
        dw, db = np.zeros_like(w), 0.0
        for x_i, y_i in zip(X, y, strict=True):
            z = x_i @ w + b
            y_hat = 1.0 if (z > 0 if strict else z >= 0) else 0.0
            step = sign * lr * (y_i - y_hat)
            if batch:
                dw, db = dw + step * x_i, db + step
            else:
                w, b = w + step * x_i, b + (step if bias else 0.0)
        if batch:
            w, b = w + dw, b + (db if bias else 0.0)
    return w, b


_MISTAKES = {
    "strict": (
        {"strict": True},
        "it predicts 0 when w·x + b = 0: the step neuron says 1 when w·x + b ≥ 0, zero included",
    ),
    "bias": ({"bias": False}, "it never changes b: the rule also updates b ← b + lr (y − ŷ)"),
    "sign": ({"sign": -1.0}, "its updates have the wrong sign: the rule adds lr (y − ŷ) x"),
    "epochs": (
        {"epochs_used": 1},
        "it makes a single pass over the examples: repeat it epochs times",
    ),
    "batch": (
        {"batch": True},
        "it adds up the corrections over an epoch before applying them: the perceptron updates "
        "w and b after every example",
    ),
}


@exercise_check
def check_perceptron(perceptron: Any) -> Feedback:
    """Check ``perceptron(X, y, w, b, lr, epochs)`` against ``Neuron.fit`` of a step neuron.

    Parameters
    ----------
    perceptron : callable
        ``perceptron(X, y, w, b, lr, epochs)`` returns the trained ``(w, b)``, visiting the
        examples in order in each epoch and applying the perceptron rule.

    Returns
    -------
    Feedback
        Correct if it matches ``neuronet`` on AND, on OR from zero weights (where the neuron's
        answer at ``z = 0`` matters) and on random data with three inputs.
    """
    rng = np.random.default_rng(7)
    X3 = rng.normal(size=(12, 3))
    y3 = (X3 @ np.array([1.0, -2.0, 0.5]) + 0.3 >= 0).astype(float)
    cases = [
        ("AND from w = (-1, -1), b = 0.5, lr = 0.5, 8 epochs", "AND", [-1.0, -1.0], 0.5, 0.5, 8),
        ("OR from w = (0, 0), b = 0, lr = 0.1, 10 epochs", "OR", [0.0, 0.0], 0.0, 0.1, 10),
        ("12 random samples with 3 inputs, 4 epochs", (X3, y3), [0.2, 0.1, -0.3], 0.0, 0.25, 4),
    ]
    runs = []  # (label, X, y, w0, b0, lr, epochs, learner's w, learner's b)
    for label, data, w0, b0, lr, epochs in cases:
        X, y = gate_data(data) if isinstance(data, str) else data
        y = np.asarray(y, dtype=float)
        w_start = np.array(w0)
        result = call(perceptron, X, y, w_start, b0, lr, epochs, name="your perceptron")
        if not np.array_equal(w_start, w0):
            fail(
                "your perceptron changed the array w passed to it; start with a copy, "
                "w = np.array(w, dtype=float)"
            )
        if not isinstance(result, tuple | list) or len(result) != 2:
            fail(f"your perceptron should return the pair (w, b), got {type(result).__name__}")
        runs.append((label, X, y, w0, b0, lr, epochs, *result))

    def same(w_got: Any, b_got: Any, w: np.ndarray, b: float) -> bool:
        try:
            w_got, b_got = np.asarray(w_got, dtype=float), np.asarray(b_got, dtype=float)
        except (TypeError, ValueError):
            return False
        return (
            w_got.shape == w.shape
            and b_got.size == 1
            and np.allclose(w_got, w)
            and (np.isclose(float(b_got.reshape(-1)[0]), b))
        )

    # A known mistake is named only if it explains every run.
    for options, explanation in _MISTAKES.values():
        wrong = [
            _perceptron(X, y, w0, b0, lr, ep, **options) for _, X, y, w0, b0, lr, ep, *_ in runs
        ]
        if all(same(*run[-2:], *bad) for run, bad in zip(runs, wrong, strict=True)):
            fail(f"your perceptron goes wrong: {explanation}")
    for label, X, y, w0, b0, lr, epochs, w_got, b_got in runs:
        reference = Neuron(X.shape[1], activation="step")
        reference.w, reference.b = w0, b0
        reference.fit(X, y, lr=lr, epochs=epochs)
        where = f"after training on {label}"
        require_close(w_got, reference.w, "the weights w", where=where)
        require_close(b_got, reference.b, "the bias b", where=where)
    return success("your perceptron learns exactly the weights and bias of neuronet's")
