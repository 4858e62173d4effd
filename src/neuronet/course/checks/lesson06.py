r"""Checks for the exercises of lesson 06, backpropagation.

The expected gradients come from :class:`neuronet.network.MLP` (its ``backward``) with the
learner's weights copied in; the paths of exercise 2 from the chain rule written out entry by
entry. Every check also tries a network whose layers are not square, so that a transposed
gradient shows up as a wrong shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.activations import Sigmoid
from neuronet.course.checks._report import (
    Feedback,
    call,
    exercise_check,
    fail,
    matches,
    require_close,
    success,
)
from neuronet.network import MLP

__all__ = ["check_fixed_gradients", "check_tanh_gradients", "check_two_paths"]

_sigmoid = Sigmoid()


def _network(sizes: tuple[int, int, int], seed: int) -> tuple[Any, ...]:
    """A sample ``x``, a target ``y`` and random weights ``W1, b1, W2, b2`` for ``sizes``."""
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out = sizes
    x = rng.normal(size=n_in)
    y = float(rng.uniform()) if n_out == 1 else rng.uniform(size=n_out)
    W1, b1 = rng.normal(size=(n_in, n_hidden)), rng.normal(size=n_hidden)
    W2, b2 = rng.normal(size=(n_hidden, n_out)), rng.normal(size=n_out)
    return x, y, W1, b1, W2, b2


def _mlp_gradients(hidden: str, x: Any, y: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> dict:
    """The gradients of ½‖a2 − y‖² from neuronet's MLP (sigmoid output, quadratic cost)."""
    sizes = [W1.shape[0], W1.shape[1], W2.shape[1]]
    net = MLP(sizes, activation=hidden, output="sigmoid", cost="quadratic")
    for layer, W, b in zip(net.layers, (W1, W2), (b1, b2), strict=True):
        layer.params["W"][...], layer.params["b"][...] = W, b
    net.forward(x[np.newaxis, :])
    net.backward(np.reshape(y, (1, -1)))
    first, second = net.layers
    return {
        "W1": first.grads["W"].copy(),
        "b1": first.grads["b"].copy(),
        "W2": second.grads["W"].copy(),
        "b2": second.grads["b"].copy(),
    }


def _describe(sizes: tuple[int, int, int]) -> str:
    return "a {}-{}-{} network".format(*sizes)


def _tanh_variant(x: Any, y: Any, W1: Any, b1: Any, W2: Any, b2: Any, mistake: str) -> tuple:
    """dW1, db1 of the tanh network computed with a known mistake (to name it)."""
    z1 = x @ W1 + b1
    z2 = np.tanh(z1) @ W2 + b2
    a2 = _sigmoid(z2)
    delta2 = (a2 - y) if mistake == "output" else (a2 - y) * _sigmoid.derivative(z2)
    hidden_slope = {
        "sigmoid": _sigmoid.derivative(z1),
        "z_squared": 1 - z1**2,
        "output": 1 - np.tanh(z1) ** 2,
        "no_slope": np.ones_like(z1),
    }[mistake]
    delta1 = (delta2 @ W2.T) * hidden_slope
    return np.outer(x, delta1), delta1


_TANH_MISTAKES = {
    "sigmoid": "you used the sigmoid's derivative in the hidden layer; with tanh units, "
    "δ1 = (δ2 W2ᵀ) ⊙ (1 − tanh²(z1))",
    "z_squared": "you used 1 − z1²; the derivative of tanh at z1 is 1 − tanh²(z1)",
    "output": "δ2 lacks σ'(z2): the output is still a sigmoid with the quadratic cost, so "
    "δ2 = (a2 − y) σ'(z2)",
    "no_slope": "δ1 lacks the hidden layer's derivative: multiply δ2 W2ᵀ by 1 − tanh²(z1)",
}


@exercise_check
def check_tanh_gradients(tanh_gradients: Any) -> Feedback:
    r"""Check ``tanh_gradients(x, y, W1, b1, W2, b2)`` for a tanh hidden layer.

    Parameters
    ----------
    tanh_gradients : callable
        Returns ``(dW1, db1)``, the gradients of :math:`C = \frac12 (a_2 - y)^2` for the tiny
        network with tanh hidden units and a sigmoid output, for one sample ``x`` (1-D).

    Returns
    -------
    Feedback
        Correct if both match ``MLP(..., activation="tanh", output="sigmoid",
        cost="quadratic")`` on a 3-2-1 and a 2-2-1 network.
    """
    for sizes, seed in (((3, 2, 1), 21), ((2, 2, 1), 22)):
        args = _network(sizes, seed)
        result = call(tanh_gradients, *(np.copy(a) for a in args), name="your tanh_gradients")
        if not isinstance(result, tuple | list) or len(result) != 2:
            fail(f"tanh_gradients should return the pair (dW1, db1), got {type(result).__name__}")
        dW1, db1 = result
        expected = _mlp_gradients("tanh", *args)
        W1 = args[2]
        got_shape = np.shape(dW1)
        if got_shape == W1.T.shape != W1.shape:
            fail(
                f"dW1 has shape {got_shape} but W1 has shape {W1.shape} (on {_describe(sizes)}): "
                "W1[i, j] connects input i to hidden unit j, so dW1[i, j] = x[i] δ1[j], that is "
                "np.outer(x, delta1)"
            )
        if matches(np.transpose(dW1), expected["W1"]) and not matches(dW1, expected["W1"]):
            fail(
                f"dW1 is the transpose of ∂C/∂W1 (on {_describe(sizes)}): W1[i, j] connects "
                "input i to hidden unit j, so dW1[i, j] = x[i] δ1[j], that is np.outer(x, delta1)"
            )
        if not (matches(dW1, expected["W1"]) and matches(db1, expected["b1"])):
            for mistake, explanation in _TANH_MISTAKES.items():
                wrong_W1, wrong_b1 = _tanh_variant(*args, mistake)
                if matches(dW1, wrong_W1) and matches(db1, wrong_b1):
                    fail(f"on {_describe(sizes)}, {explanation}")
        where = f"on {_describe(sizes)}"
        require_close(dW1, expected["W1"], "dW1", rtol=1e-6, atol=1e-12, where=where)
        require_close(db1, expected["b1"], "db1", rtol=1e-6, atol=1e-12, where=where)
    return success("only the hidden layer's derivative changes: δ1 = (δ2 W2ᵀ) ⊙ (1 − tanh²(z1))")


def _paths(x: Any, y: Any, W1: Any, b1: Any, W2: Any, b2: Any, **wrong: int | bool) -> np.ndarray:
    """The two chain-rule products from the cost to W1[1, 0], one per output (or a mistake)."""
    z1 = x @ W1 + b1
    z2 = _sigmoid(z1) @ W2 + b2
    a2 = _sigmoid(z2)
    row, unit, source = wrong.get("row", 0), wrong.get("unit", 0), wrong.get("input", 1)
    out_slope = np.ones(2) if wrong.get("no_output_slope") else _sigmoid.derivative(z2)
    return np.array(
        [
            (a2[k] - y[k]) * out_slope[k] * W2[row, k] * _sigmoid.derivative(z1[unit]) * x[source]
            for k in range(2)
        ]
    )


_PATH_MISTAKES = {
    "you used W2[1, k]: W1[1, 0] feeds hidden unit 0, which reaches output k through W2[0, k]": {
        "row": 1
    },
    "you used σ'(z1[1]): W1[1, 0] feeds hidden unit 0, so the factor is σ'(z1[0])": {"unit": 1},
    "you used x[0]: W1[1, 0] multiplies input x[1], so the last factor is x[1]": {"input": 0},
    "each path needs the output's slope σ'(z2[k]) after the error a2[k] − y[k]": {
        "no_output_slope": True
    },
}


@exercise_check
def check_two_paths(two_paths: Any) -> Feedback:
    r"""Check ``two_paths(x, y, W1, b1, W2, b2)``: the two chain-rule products to ``W1[1, 0]``.

    Parameters
    ----------
    two_paths : callable
        For the tiny network with two sigmoid outputs and :math:`C = \frac12\lVert a_2 -
        y\rVert^2`, returns the pair (path through output 0, path through output 1), each
        :math:`(a_2[k] - y[k])\,\sigma'(z_2[k])\,W_2[0, k]\,\sigma'(z_1[0])\,x[1]`; their sum is
        :math:`\partial C/\partial W_1[1, 0]`.

    Returns
    -------
    Feedback
        Correct if both paths are right and their sum equals ``MLP``'s gradient, on two networks.
    """
    for sizes, seed in (((2, 2, 2), 31), ((3, 2, 2), 32)):
        args = _network(sizes, seed)
        result = call(two_paths, *(np.copy(a) for a in args), name="your two_paths")
        expected = _paths(*args)
        where = f"on {_describe(sizes)}"
        if np.size(result) == 1:
            fail(
                "two_paths returned one number; return the two paths as a pair (through output "
                "0, through output 1), whose sum is ∂C/∂W1[1, 0]"
            )
        try:
            got = np.asarray(result, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            fail(f"two_paths should return two numbers, got {type(result).__name__}")
        if got.shape != (2,):
            fail(f"two_paths should return two numbers, one per output, got {got.size}")
        if np.allclose(got, expected[::-1]) and not np.allclose(expected, expected[::-1]):
            fail("your two paths are in the wrong order: first through output 0, then output 1")
        if np.allclose(got, expected[0]) and not np.isclose(expected[0], expected[1]):
            fail(
                "both of your paths are the one through output 0: the second goes through output "
                "1, with a2[1] − y[1], σ'(z2[1]) and W2[0, 1]"
            )
        if not np.allclose(got, expected):
            for explanation, wrong in _PATH_MISTAKES.items():
                if np.allclose(got, _paths(*args, **wrong)):
                    fail(f"{explanation} ({where})")
        require_close(got, expected, "the two paths", where=where)
        total = _mlp_gradients("sigmoid", *args)["W1"][1, 0]
        require_close(got.sum(), total, "the sum of the two paths", where=where)
    return success("∂C/∂W1[1, 0] is the sum of one chain-rule product per output")


@exercise_check
def check_fixed_gradients(wrong: Any, fixed_gradients: Any) -> Feedback:
    """Check the name of the wrong gradient of ``buggy_gradients`` and the fixed function.

    Parameters
    ----------
    wrong : str
        The key of the wrong gradient: ``"W1"``, ``"b1"``, ``"W2"`` or ``"b2"``.
    fixed_gradients : callable
        ``fixed_gradients(x, y, W1, b1, W2, b2)`` returns a dict of the four gradients of the tiny
        network's cost (sigmoid units, quadratic cost), with the bug fixed.

    Returns
    -------
    Feedback
        Correct if ``wrong`` is ``"W1"`` and every gradient matches ``MLP`` on a 2-2-1 network
        and on a 3-4-2 network.
    """
    keys = ("W1", "b1", "W2", "b2")
    if wrong not in keys:
        fail(f"wrong should be one of {', '.join(map(repr, keys))}, got {wrong!r}")
    if wrong != "W1":
        fail(
            f"the gradient of {wrong} from buggy_gradients is right (its relative error against "
            "numerical_gradient is tiny); compare all four and look for the large one"
        )
    for sizes, seed in (((2, 2, 1), 41), ((3, 4, 2), 42)):
        args = _network(sizes, seed)
        grads = call(fixed_gradients, *(np.copy(a) for a in args), name="your fixed_gradients")
        if not isinstance(grads, dict) or set(grads) != set(keys):
            got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
            fail(f"fixed_gradients should return a dict with keys W1, b1, W2, b2, got {got}")
        expected = _mlp_gradients("sigmoid", *args)
        params = dict(zip(keys, args[2:], strict=True))
        where = f"on {_describe(sizes)}"
        for key in keys:
            got, right = grads[key], expected[key]
            shape = np.shape(got)
            if shape == right.T.shape != right.shape:
                fail(
                    f"fixed_gradients(...)['{key}'] has shape {shape} but {key} has shape "
                    f"{params[key].shape} ({where}): the bug is still there"
                )
            if matches(np.transpose(got), right) and not matches(got, right):
                fail(
                    f"fixed_gradients(...)['{key}'] is still the transpose of ∂C/∂{key} ({where}): "
                    "W1[i, j] connects input i to hidden unit j, so its gradient is x[i] δ1[j], "
                    "np.outer(x, delta1)"
                )
            require_close(got, right, f"fixed_gradients(...)['{key}']", where=where)
    return success("W1's gradient was transposed: np.outer(x, delta1), not np.outer(delta1, x)")
