"""Checks for the exercises of lesson 07, the multilayer perceptron."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.course.checks._report import (
    Feedback,
    as_float_array,
    call,
    exercise_check,
    fail,
    success,
)
from neuronet.data import make_circles
from neuronet.network import MLP

__all__ = [
    "CIRCLES_ACCURACY",
    "check_circles_network",
    "check_parameter_count",
    "check_xor_hidden_layer",
]

# The four inputs, in truth-table order, and the gates the hidden units must compute.
_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_OR = np.array([0, 1, 1, 1])
_NAND = np.array([1, 1, 1, 0])
_AND = np.array([0, 0, 0, 1])
_XOR = np.array([0, 1, 1, 0])
_GATE_NAMES = {
    (0, 1, 1, 1): "OR",
    (1, 1, 1, 0): "NAND",
    (0, 0, 0, 1): "AND",
    (1, 0, 0, 0): "NOR",
    (0, 1, 1, 0): "XOR",
    (1, 0, 0, 1): "XNOR",
    (0, 0, 0, 0): "always 0",
    (1, 1, 1, 1): "always 1",
}

#: Test accuracy a network must reach on fresh circles data (noise 0.1) in the circles exercise.
CIRCLES_ACCURACY = 0.95
#: One hidden layer needs this many units for the circles: with fewer the class-1 region is
#: unbounded (see the exercise's solution), so it cannot lie inside the outer ring.
_SMALLEST_CIRCLES_LAYER = 3


def _step(z: np.ndarray) -> np.ndarray:
    """The threshold activation, firing at z >= 0 as neuronet's Step does."""
    return (z >= 0).astype(np.int64)


def _table(column: np.ndarray) -> str:
    gate = _GATE_NAMES.get(tuple(int(v) for v in column))
    values = "[" + ", ".join(str(int(v)) for v in column) + "]"
    return f"{values} ({gate})" if gate else values


def _array(value: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    arr = as_float_array(value, name)
    if arr.shape != shape:
        hint = (
            " W1[i, j] is the weight from input i to hidden unit j, so W1 has one row per input "
            "and one column per unit."
            if name == "W1"
            else ""
        )
        fail(f"{name} has shape {arr.shape} but should have shape {shape}.{hint}")
    if not np.isfinite(arr).all():
        fail(f"{name} contains NaN or infinity")
    return arr


@exercise_check
def check_xor_hidden_layer(hidden_weights: Any) -> Feedback:
    """Check ``hidden_weights()``: a ``(W1, b1)`` whose step units compute OR and NAND.

    With :math:`H = \\mathrm{step}(X W_1 + \\mathbf{b}_1)` on the four corners in truth-table
    order, column 0 must be OR and column 1 NAND; an AND unit on top then gives XOR.
    """
    result = call(hidden_weights, name="hidden_weights()")
    if not isinstance(result, tuple | list) or len(result) != 2:
        fail(
            f"hidden_weights() should return a pair (W1, b1), got {type(result).__name__}"
            + (f" of length {len(result)}" if isinstance(result, tuple | list) else "")
        )
    W1 = _array(result[0], "W1", (2, 2))
    b1 = _array(result[1], "b1", (2,))
    hidden = _step(_CORNERS @ W1 + b1)
    if np.array_equal(hidden[:, 0], _NAND) and np.array_equal(hidden[:, 1], _OR):
        fail("your units are swapped: unit 1 (column 0 of W1) should compute OR, unit 2 NAND")
    transposed = _step(_CORNERS @ W1.T + b1)
    if (
        not (np.array_equal(hidden[:, 0], _OR) and np.array_equal(hidden[:, 1], _NAND))
        and np.array_equal(transposed[:, 0], _OR)
        and np.array_equal(transposed[:, 1], _NAND)
    ):
        fail(
            "W1 looks transposed: W1[i, j] is the weight from input i to unit j, so the "
            "weights of unit j form column j, not row j"
        )
    for unit, (target, gate) in enumerate(((_OR, "OR"), (_NAND, "NAND"))):
        got = hidden[:, unit]
        if np.array_equal(got, target):
            continue
        if gate == "NAND" and np.array_equal(got, _AND):
            fail(
                "unit 2 computes AND; NAND is its opposite: flip the signs of its weights "
                "and of its bias"
            )
        fail(
            f"unit {unit + 1} outputs {_table(got)} on the corners (0, 0), (0, 1), (1, 0), "
            f"(1, 1); {gate} should give {_table(target)}"
        )
    xor = _step(hidden @ np.array([1.0, 1.0]) - 1.5)
    if not np.array_equal(xor, _XOR):  # cannot happen once the units are OR and NAND
        fail(f"the AND of your hidden units gives {_table(xor)}, not XOR")
    values = ", ".join(str(int(v)) for v in xor)
    return success(
        "unit 1 computes OR and unit 2 NAND, and an AND unit on top of them gives XOR, "
        f"[{values}] on the four corners"
    )


@exercise_check
def check_parameter_count(n_parameters: Any) -> Feedback:
    """Check ``n_parameters(sizes)`` against ``MLP(sizes).parameters()`` for several networks."""
    cases = ([2, 3, 2], [2, 2], [2, 8, 8, 8, 2], [784, 30, 10], [784, 256, 128, 10], [5, 3])
    for sizes in cases:
        got = call(n_parameters, list(sizes), name=f"n_parameters({sizes})")
        if isinstance(got, bool) or not isinstance(got, int | float | np.integer | np.floating):
            fail(f"n_parameters({sizes}) should return a number, got {type(got).__name__}")
        expected = sum(p.size for p in MLP(list(sizes)).parameters())
        if got == expected:
            continue
        pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
        weights = sum(a * b for a, b in pairs)
        if got == weights:
            fail(
                f"n_parameters({sizes}) is {got}, the number of weights only: every unit "
                f"after the inputs also has a bias ({expected} in all)"
            )
        if got == expected + sizes[0]:
            fail(
                f"n_parameters({sizes}) is {got}: you gave the {sizes[0]} inputs biases too; "
                "inputs are not neurons and have none"
            )
        if got == pairs[0][0] * pairs[0][1] + pairs[0][1] and len(pairs) > 1:
            fail(f"n_parameters({sizes}) is {got}: you counted only the first layer")
        fail(
            f"n_parameters({sizes}) is {got}, expected {expected}: a layer with n_in inputs "
            "and n_out units has n_in * n_out weights and n_out biases"
        )
    return success(
        "your counts match MLP.parameters() for all six networks, from [2, 2] to "
        "[784, 256, 128, 10]"
    )


@exercise_check
def check_circles_network(model: Any) -> Feedback:
    """Check a network for the circles: one hidden layer, as small as possible, accurate.

    The network is evaluated on fresh data, ``make_circles(1000, noise=0.1, seed=7)``, which it
    has never seen.
    """
    if not isinstance(model, MLP):
        fail(f"expected a trained neuronet MLP, got {type(model).__name__}")
    sizes = list(model.sizes)
    if sizes[0] != 2 or sizes[-1] != 2 or model.output.name != "softmax":
        fail(
            f"the network should have 2 inputs and 2 softmax outputs, got sizes {sizes} and "
            f"a {model.output.name!r} output"
        )
    if len(sizes) != 3:
        fail(
            f"use exactly one hidden layer, sizes [2, k, 2]; yours has {len(sizes) - 2} "
            f"(sizes {sizes})"
        )
    width = sizes[1]
    X, y = make_circles(1000, noise=0.1, seed=7)
    with np.errstate(all="ignore"):
        accuracy = model.accuracy(X, y)
    if accuracy < CIRCLES_ACCURACY and width < _SMALLEST_CIRCLES_LAYER:
        fail(
            f"with {width} hidden unit{'s' if width > 1 else ''} the network classifies "
            f"{accuracy:.1%} of fresh points correctly, below {CIRCLES_ACCURACY:.0%}: "
            "try more hidden units"
        )
    if accuracy < CIRCLES_ACCURACY:
        fail(
            f"your network with {width} hidden units reaches {accuracy:.1%} on fresh points, "
            f"below {CIRCLES_ACCURACY:.0%}: train it longer, or try other seeds"
        )
    if width > _SMALLEST_CIRCLES_LAYER:
        fail(
            f"{width} hidden units reach {accuracy:.1%}, but a smaller hidden layer can too: "
            f"try {width - 1}"
        )
    return success(
        f"{width} hidden units classify {accuracy:.1%} of 1000 fresh points correctly, and no "
        "smaller hidden layer can: with 1 or 2 units the region called 'inner circle' is "
        "unbounded"
    )
