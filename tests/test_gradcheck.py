"""Tests of neuronet.gradcheck against closed-form derivatives and deliberately broken models."""

import numpy as np
import pytest

from neuronet.gradcheck import gradient_check, numerical_gradient, relative_error
from neuronet.network import MLP


def test_numerical_gradient_of_known_functions():
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**3), x), 3 * x**2, rtol=1e-8)
    # f = prod(sin x): df/dx_i = cos(x_i) prod_{j != i} sin(x_j)
    y = np.array([0.4, 1.1, -0.6])
    expected = np.cos(y) * np.prod(np.sin(y)) / np.sin(y)
    np.testing.assert_allclose(
        numerical_gradient(lambda v: np.prod(np.sin(v)), y), expected, rtol=1e-8
    )


def test_restores_x_exactly():
    x = np.array([0.1, 1 / 3, -7.3, 1e-8, 0.7])
    # Undoing the perturbations by arithmetic (+eps, -2 eps, +eps) would not restore these
    # values bit for bit:
    assert ((1 / 3 + 1e-6) - 2e-6) + 1e-6 != 1 / 3
    assert ((0.7 + 1e-6) - 2e-6) + 1e-6 != 0.7
    original = x.copy()
    numerical_gradient(lambda v: float(np.sum(np.exp(v))), x)
    np.testing.assert_array_equal(x, original)


def test_perturbs_in_place_so_closures_see_it():
    w = np.array([1.0, 2.0])
    seen = []

    def loss(_):
        seen.append(w.copy())  # reads w through the closure, not through the argument
        return float(w @ w)

    np.testing.assert_allclose(numerical_gradient(loss, w, eps=1e-6), 2 * np.array([1.0, 2.0]))
    assert seen[0][0] == 1.0 + 1e-6 and seen[1][0] == 1.0 - 1e-6


def test_numerical_gradient_refuses_float32_and_lists():
    with pytest.raises(ValueError, match="numerical gradients need float64, got float32"):
        numerical_gradient(np.sum, np.ones(3, dtype=np.float32))
    with pytest.raises(TypeError, match="must be a NumPy array"):
        numerical_gradient(sum, [1.0, 2.0])


@pytest.mark.parametrize(
    ("g", "n", "expected"),
    [
        ([1.0], [1.0], 0.0),
        ([1.0], [-1.0], 1.0),
        ([0.0], [0.0], 0.0),
        ([1.0], [1.1], 0.1 / 2.1),
        ([2.0, 1e-3], [2.0, 2e-3], 1e-3 / 3e-3),
        ([0.0], [1e-20], 1e-20 / 1e-12),
    ],
)
def test_relative_error_formula(g, n, expected):
    assert relative_error(np.array(g), np.array(n)) == pytest.approx(expected, rel=1e-12)


class _Linear:
    """y = X w with quadratic loss, gradients derived by hand: dL/dw = X^T (Xw - y) / n."""

    def __init__(self, bug=1.0):
        self.w = np.array([0.5, -1.0, 2.0])
        self.grad = np.zeros(3)
        self.bug = bug

    def parameters(self):
        return [self.w]

    def gradients(self):
        return [self.grad]

    def forward(self, X):
        self.X = np.asarray(X)
        return self.X @ self.w

    def loss(self, X, y):
        return 0.5 * float(np.mean((self.forward(X) - y) ** 2))

    def backward(self, y):
        self.grad[...] = self.bug * self.X.T @ (self.X @ self.w - y) / len(y)


def test_gradient_check_accepts_any_model_with_the_protocol():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((6, 3)), rng.standard_normal(6)
    assert gradient_check(_Linear(), X, y) < 1e-7
    # A 1% error in the backward pass is caught: relative error 0.01 / 2.01.
    assert gradient_check(_Linear(bug=1.01), X, y) == pytest.approx(0.01 / 2.01, rel=1e-3)


def test_gradient_check_catches_a_broken_mlp_backward():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 3, 5)
    net = MLP([3, 4, 3], activation="tanh", seed=0)
    assert gradient_check(net, X, y) < 1e-6
    broken = MLP([3, 4, 3], activation="tanh", seed=0)
    # Sabotage backprop: forget the hidden activation's derivative (treat tanh' as 1).
    broken.layers[0].activation.backward = lambda z, g: g
    assert gradient_check(broken, X, y) > 1e-2


def test_gradient_check_leaves_parameters_unchanged():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((4, 2)), rng.integers(0, 2, 4)
    net = MLP([2, 3, 2], activation="sigmoid")
    before = [p.copy() for p in net.parameters()]
    gradient_check(net, X, y)
    for p, q in zip(before, net.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)


def test_gradient_check_requires_float64():
    net = MLP([2, 3, 2], dtype=np.float32)
    with pytest.raises(
        ValueError, match="gradient checking needs a float64 model, but parameter 0"
    ):
        gradient_check(net, np.ones((2, 2)), [0, 1])
