"""Checks for the exercises of lesson 02, activation functions.

The expected values come from closed forms (:math:`\\tanh' = 1 - \\tanh^2`, the product of the
weight matrices) or from the layer's weights, never from the learner's own code.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.course.checks._report import (
    Feedback,
    call,
    exercise_check,
    fail,
    require_close,
    success,
)
from neuronet.layers import Dense

__all__ = ["check_collapse", "check_dead_share", "check_tanh_derivative"]


def _as_floats(value: Any) -> np.ndarray | None:
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


@exercise_check
def check_tanh_derivative(tanh_derivative: Any) -> Feedback:
    r"""Check ``tanh_derivative(z)`` against :math:`1 - \tanh^2 z`, elementwise.

    Parameters
    ----------
    tanh_derivative : callable
        Returns :math:`\tanh'(z)` for an array ``z`` of any shape (the exercise asks for it in
        terms of the sigmoid: :math:`4\sigma(2z)(1 - \sigma(2z))`).

    Returns
    -------
    Feedback
        Correct if it matches on :math:`[-20, 20]` and keeps the shape of its input.
    """
    z = np.array([0.0, -5.0, -2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 5.0, -20.0, 20.0])
    got = call(tanh_derivative, z.copy(), name="your tanh_derivative")
    values = _as_floats(got)
    if values is not None and values.shape == z.shape and np.isfinite(values[0]):
        at_zero = values[0]
        if np.isclose(at_zero, 0.0):
            fail(
                "your tanh_derivative(0) is 0, but tanh'(0) = 1: did you return tanh(z) itself "
                "(2σ(2z) − 1) instead of its derivative?"
            )
        explanations = {
            0.25: "that is σ'(0): by the chain rule, tanh(z) = 2σ(2z) − 1 gives two factors 2, "
            "one from the 2 in front and one from the inner 2z",
            0.5: "half of it: you have only one of the chain rule's two factors 2 (one from the "
            "2 in front of σ, one from the inner 2z)",
            2.0: "twice too large: the chain rule gives 2 · σ'(2z) · 2, and σ'(u) = σ(u)(1 − σ(u))",
        }
        for ratio, explanation in explanations.items():
            if np.isclose(at_zero, ratio):
                fail(f"your tanh_derivative(0) is {at_zero:g}, but tanh'(0) = 1: {explanation}")
    expected = 1 - np.tanh(z) ** 2
    if values is None or values.shape != z.shape or not np.isfinite(values).all():
        require_close(got, expected, "tanh_derivative(z)", where=f"for z of shape {z.shape}")
    wrong = ~np.isclose(values, expected, rtol=1e-6, atol=1e-9)
    if wrong.any():
        i = int(np.argmax(wrong))
        fail(
            f"your tanh_derivative({z[i]:g}) is {values[i]:.6g}, but tanh'({z[i]:g}) = "
            f"1 − tanh²({z[i]:g}) = {expected[i]:.6g}"
        )
    grid = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    got = call(tanh_derivative, grid.copy(), name="your tanh_derivative")
    require_close(got, 1 - np.tanh(grid) ** 2, "tanh_derivative(z)", where="for z of shape (3, 4)")
    return success("tanh'(z) = 4σ(2z)(1 − σ(2z)) = 1 − tanh²(z)")


def _stack(sizes: list[int], seed: int) -> list[Dense]:
    rng = np.random.default_rng(seed)
    layers = [
        Dense(n_in, n_out, activation="identity", seed=seed + i)
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True))
    ]
    for layer in layers:
        layer.params["b"][:] = rng.standard_normal(layer.params["b"].shape)
    return layers


@exercise_check
def check_collapse(collapse: Any) -> Feedback:
    r"""Check ``collapse(layers)``: one ``(W, b)`` computing the same as a stack of linear layers.

    Parameters
    ----------
    collapse : callable
        ``collapse(layers)`` takes a list of ``Dense`` layers with the identity activation and
        returns ``(W, b)`` such that ``X @ W + b`` equals the stack's output for every batch ``X``.

    Returns
    -------
    Feedback
        Correct if it is right for the stack of the exercise (5 → 4 → 3 → 2, with nonzero biases)
        and for a stack of two layers, without changing the layers.
    """
    for sizes, seed in (([5, 4, 3, 2], 11), ([6, 3, 4], 12)):
        layers = _stack(sizes, seed)
        saved = [(layer.params["W"].copy(), layer.params["b"].copy()) for layer in layers]
        arrow = " → ".join(map(str, sizes))
        result = call(collapse, layers, name="your collapse")
        for layer, (W, b) in zip(layers, saved, strict=True):
            if not (np.array_equal(layer.params["W"], W) and np.array_equal(layer.params["b"], b)):
                fail(
                    f"your collapse changed the weights or biases of the layers of {arrow}: "
                    "work on copies (W @ W2 makes a new array; W @= ... or W[...] = ... do not)"
                )
        if not isinstance(result, tuple | list) or len(result) != 2:
            fail(f"your collapse should return the pair (W, b), got {type(result).__name__}")
        W_got, b_got = result
        W_all, b_all = np.eye(sizes[0]), np.zeros(sizes[0])
        for W, b in saved:
            W_all, b_all = W_all @ W, b_all @ W + b
        W_arr = _as_floats(W_got)
        if W_arr is not None and W_arr.shape == W_all.T.shape != W_all.shape:
            fail(
                f"W has shape {W_arr.shape} but should have shape {W_all.shape} for {arrow}: "
                "neuronet computes X @ W with one sample per row, so multiply W1 @ W2 @ ... from "
                "left to right"
            )
        where = f"for layers {arrow}"
        require_close(W_got, W_all, "W", where=where)
        b_arr = _as_floats(b_got)
        if b_arr is not None and b_arr.shape == b_all.shape:
            last = saved[-1][1]
            if np.allclose(b_arr, last):
                fail(
                    f"b is the last layer's bias alone ({arrow}): every earlier bias also "
                    "reaches the output, multiplied by the weights of the layers after it"
                )
            if np.allclose(b_arr, b_all - last):
                fail(f"b misses the last layer's own bias ({arrow}): add it at the end")
            if np.allclose(b_arr, 0):
                fail(f"b is zero, but the layers have biases ({arrow}): push each one through")
        require_close(b_got, b_all, "b", where=where)
    return success("a stack of linear layers is one linear layer: X @ W + b")


@exercise_check
def check_dead_share(dead_share: Any) -> Feedback:
    """Check ``dead_share(layer, X)``: the share of a ReLU layer's units that are 0 on every input.

    Parameters
    ----------
    dead_share : callable
        ``dead_share(layer, X)`` returns the fraction (between 0 and 1) of the units of the
        ``Dense`` layer whose output is 0 for every row of the batch ``X``.

    Returns
    -------
    Feedback
        Correct if it is right for layers with no, some and only dead units.
    """
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 20))
    n_units = 40
    for shift in (0.0, -4.0, -30.0):
        layer = Dense(20, n_units, activation="relu", init="he", seed=5)
        layer.params["b"][:] = shift + rng.uniform(-2.0, 2.0, n_units)
        Z = X @ layer.params["W"] + layer.params["b"]  # weighted inputs, (samples, units)
        dead = np.all(Z <= 0, axis=0)
        expected = float(np.mean(dead))
        where = f"for {n_units} units with biases near {shift:g} on {len(X)} inputs"
        got = call(dead_share, layer, X.copy(), name="your dead_share")
        value = _as_floats(got)
        if value is None or value.size != 1:
            fail(f"dead_share should return one number (a share), got {got!r}")
        value = float(value.reshape(-1)[0])
        if np.isclose(value, expected):
            continue
        mistakes = {
            float(np.sum(dead)): f"you returned the number of dead units, {np.sum(dead)}; return "
            f"their share, {np.sum(dead)} / {n_units}",
            100 * expected: "you returned a percentage; return a share between 0 and 1",
            float(np.mean(np.any(Z <= 0, axis=0))): "you counted the units that are 0 for at "
            "least one input; a unit is dead only if it is 0 for every input (np.all, not np.any)",
            float(np.mean(np.all(Z <= 0, axis=1))): "you took the share of inputs on which every "
            "unit is 0; the units are the columns of the layer's output, so use axis=0",
            float(np.mean(Z <= 0)): "you took the share of outputs that are 0; a unit is dead "
            "only if its whole column of outputs is 0",
        }
        for wrong, explanation in mistakes.items():
            if not np.isclose(wrong, expected) and np.isclose(value, wrong):
                fail(f"dead_share is {value:g} {where}, expected {expected:g}: {explanation}")
        fail(f"dead_share is {value:g} {where}, expected {expected:g}")
    return success("dead_share counts the units that are silent on the whole batch")
