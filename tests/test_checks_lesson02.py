"""The checks of lesson 02's exercises accept the solutions and name realistic mistakes."""

import numpy as np
import pytest
from exercise_answers import assert_hint, returns_none, unfinished

from neuronet.activations import Sigmoid
from neuronet.course.checks import check_collapse, check_dead_share, check_tanh_derivative
from neuronet.layers import Dense

sigmoid = Sigmoid()


# ------------------------------------------------------------------------------ exercise 1


def tanh_derivative(z):
    s = sigmoid(2 * z)
    return 4 * s * (1 - s)


def test_tanh_derivative_accepts_the_solution_which_matches_finite_differences():
    assert check_tanh_derivative(tanh_derivative)
    z, h = np.linspace(-4, 4, 17), 1e-5
    assert np.allclose(tanh_derivative(z), (np.tanh(z + h) - np.tanh(z - h)) / (2 * h), atol=1e-9)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (
            lambda z: sigmoid(z) * (1 - sigmoid(z)),
            "your tanh_derivative(0) is 0.25, but tanh'(0) = 1: that is σ'(0)",
        ),
        (
            lambda z: 2 * sigmoid(2 * z) * (1 - sigmoid(2 * z)),
            "your tanh_derivative(0) is 0.5, but tanh'(0) = 1: half of it",
        ),
        (
            lambda z: 2 * sigmoid(2 * z) - 1,
            "your tanh_derivative(0) is 0, but tanh'(0) = 1: did you return tanh(z) itself",
        ),
        (
            lambda z: 1 - z**2,
            "your tanh_derivative(-5) is -24, but tanh'(-5) = 1 − tanh²(-5) = 0.000181583",
        ),
        (
            lambda z: float(tanh_derivative(z[0])),
            "tanh_derivative(z) for z of shape (11,) has shape () but should have shape (11,)",
        ),
        (unfinished, "your tanh_derivative is not written yet (it raises NotImplementedError)"),
        (returns_none, "your tanh_derivative returned None: did you forget a return?"),
    ],
)
def test_tanh_derivative_names_the_mistake(answer, hint):
    assert_hint(check_tanh_derivative(answer), hint)


def test_tanh_derivative_expected_value_in_the_hint_is_right():
    # the number quoted above: 1 - tanh(5)^2 = 4 / (e^5 + e^-5)^2 = sech(5)^2
    assert f"{4 / (np.exp(5) + np.exp(-5)) ** 2:.6g}" == "0.000181583"


# ------------------------------------------------------------------------------ exercise 2


def collapse(layers):
    W_all, b_all = np.eye(layers[0].n_in), np.zeros(layers[0].n_in)
    for lay in layers:
        W, b = lay.params["W"], lay.params["b"]
        W_all, b_all = W_all @ W, b_all @ W + b
    return W_all, b_all


def collapse_transposed(layers):
    W, b = collapse(layers)
    return W.T, b


def collapse_last_bias_only(layers):
    W, _ = collapse(layers)
    return W, layers[-1].params["b"]


def collapse_without_last_bias(layers):
    W, b = collapse(layers)
    return W, b - layers[-1].params["b"]


def collapse_without_biases(layers):
    W, b = collapse(layers)
    return W, np.zeros_like(b)


def collapse_in_place(layers):
    W_all = layers[0].params["W"]
    b_all = layers[0].params["b"]
    for lay in layers[1:]:
        W_all = W_all @ lay.params["W"]
        b_all[...] = 0.0  # overwrites the first layer's bias
    return W_all, b_all


def collapse_three_layers_only(layers):
    first, second, third = layers
    return collapse([first, second, third])


def test_collapse_accepts_the_solution_which_matches_the_layers_forward_pass():
    assert check_collapse(collapse)
    rng = np.random.default_rng(0)
    layers = [Dense(5, 4, "identity", seed=1), Dense(4, 3, "identity", seed=2)]
    for layer in layers:
        layer.params["b"][:] = rng.standard_normal(layer.n_out)
    X = rng.standard_normal((7, 5))
    W, b = collapse(layers)
    assert np.allclose(layers[1].forward(layers[0].forward(X)), X @ W + b)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (
            collapse_transposed,
            "W has shape (2, 5) but should have shape (5, 2) for 5 → 4 → 3 → 2: neuronet computes "
            "X @ W",
        ),
        (collapse_last_bias_only, "b is the last layer's bias alone (5 → 4 → 3 → 2)"),
        (collapse_without_last_bias, "b misses the last layer's own bias (5 → 4 → 3 → 2)"),
        (collapse_without_biases, "b is zero, but the layers have biases (5 → 4 → 3 → 2)"),
        (collapse_in_place, "your collapse changed the weights or biases of the layers"),
        (
            collapse_three_layers_only,
            "your collapse raised ValueError: not enough values to unpack (expected 3, got 2)",
        ),
        (lambda layers: collapse(layers)[0], "should return the pair (W, b), got ndarray"),
        (unfinished, "your collapse is not written yet (it raises NotImplementedError)"),
        (returns_none, "your collapse returned None: did you forget a return?"),
    ],
)
def test_collapse_names_the_mistake(answer, hint):
    assert_hint(check_collapse(answer), hint)


# ------------------------------------------------------------------------------ exercise 3


def dead_share(layer, X):
    return np.mean(np.all(layer.forward(X) == 0, axis=0))


def test_dead_share_accepts_the_solution_which_counts_by_hand():
    assert check_dead_share(dead_share)
    layer = Dense(2, 3, activation="relu", seed=0)
    layer.params["W"][...] = [[1.0, -1.0, 0.0], [1.0, -1.0, 0.0]]
    layer.params["b"][...] = [0.0, 0.0, -1.0]  # unit 3 is always off, unit 2 on for x < 0
    X = np.array([[1.0, 1.0], [-1.0, -1.0]])
    assert dead_share(layer, X) == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (
            lambda layer, X: np.sum(np.all(layer.forward(X) == 0, axis=0)),
            "you returned the number of dead units",
        ),
        (
            lambda layer, X: np.mean(np.any(layer.forward(X) == 0, axis=0)),
            "a unit is dead only if it is 0 for every input (np.all, not np.any)",
        ),
        (
            lambda layer, X: np.mean(np.all(layer.forward(X) == 0, axis=1)),
            "you took the share of inputs on which every unit is 0",
        ),
        (
            lambda layer, X: np.mean(layer.forward(X) == 0),
            "you took the share of outputs that are 0",
        ),
        (
            lambda layer, X: 100 * dead_share(layer, X),
            "you returned a percentage; return a share between 0 and 1",
        ),
        (
            lambda layer, X: np.all(layer.forward(X) == 0, axis=0),
            "dead_share should return one number (a share)",
        ),
        (unfinished, "your dead_share is not written yet (it raises NotImplementedError)"),
        (returns_none, "your dead_share returned None: did you forget a return?"),
    ],
)
def test_dead_share_names_the_mistake(answer, hint):
    assert_hint(check_dead_share(answer), hint)
