"""The checks of lesson 03's exercises accept the solutions and name realistic mistakes."""

import numpy as np
import pytest
from exercise_answers import assert_hint, returns_none, unfinished

from neuronet.activations import Sigmoid
from neuronet.course.checks import check_ce_gradient, check_exp_gradient, check_saturation
from neuronet.gradcheck import numerical_gradient

# ------------------------------------------------------------------------------ exercise 1


def ce_gradient(a, y):
    return (a - y) / (a * (1 - a)) / len(a)


def test_ce_gradient_accepts_the_solution_which_matches_finite_differences():
    assert check_ce_gradient(ce_gradient)
    rng = np.random.default_rng(0)
    a, y = rng.uniform(0.1, 0.9, 6), rng.integers(0, 2, 6).astype(float)

    def cost(p):
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    assert np.allclose(ce_gradient(a, y), numerical_gradient(cost, a.copy()), atol=1e-9)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (
            lambda a, y: (a - y) / (a * (1 - a)),
            "your ce_gradient is n = 10 times too large for 10 random predictions: C is the mean",
        ),
        (
            lambda a, y: (y - a) / (a * (1 - a)) / len(a),
            "your ce_gradient has the wrong sign for 10 random predictions",
        ),
        (
            lambda a, y: (a - y) / len(a),
            "your ce_gradient returns (a − y)/n for 10 random predictions: that is ∂C/∂z",
        ),
        (lambda a, y: a - y, "missing the factor 1/n and the 1/(a(1 − a))"),
        (
            lambda a, y: (a - y) / (a * (1 - a)) / 10,
            "ce_gradient(a, y) for 7 random predictions is",
        ),
        (unfinished, "your ce_gradient is not written yet (it raises NotImplementedError)"),
        (returns_none, "your ce_gradient returned None: did you forget a return?"),
    ],
)
def test_ce_gradient_names_the_mistake(answer, hint):
    assert_hint(check_ce_gradient(answer), hint)


# ------------------------------------------------------------------------------ exercise 2

Z = np.array([0.0, 2.0, 4.0, 8.0, 16.0])
A = 1 / (1 + np.exp(-Z))  # the sigmoid, written out: an independent reference
SLOPE = A * (1 - A)


def test_saturation_accepts_the_solution():
    sig = Sigmoid()
    error = sig(Z) - 0.0
    assert check_saturation(error, error * sig.derivative(Z), error)
    assert np.allclose(error, A)


@pytest.mark.parametrize(
    ("answers", "hint"),
    [
        ((-A, A * SLOPE, A), "error is negative: it is a − y = σ(z) − 0"),
        ((SLOPE, A * SLOPE, A), "error is σ'(z), the slope"),
        ((A, A, A), "dz_quadratic equals the error a − y: for the quadratic cost"),
        ((A, SLOPE, A), "dz_quadratic is σ'(z) alone: multiply it by the error a − y"),
        ((A, A * A, A), "dz_quadratic is the error times σ(z)"),
        ((A, A * SLOPE, A * SLOPE), "dz_cross_entropy equals the quadratic's"),
        ((A, A * SLOPE, A / SLOPE), "dz_cross_entropy is ∂C/∂a"),
        ((A[:4], A * SLOPE, A), "error for z = 0, 2, 4, 8, 16 has shape (4,) but should have"),
        ((A, A * SLOPE, None), "dz_cross_entropy is None: compute it in the cell above"),
        ((..., A * SLOPE, A), "error is Ellipsis: compute it in the cell above"),
    ],
)
def test_saturation_names_the_mistake(answers, hint):
    assert_hint(check_saturation(*answers), hint)


# ------------------------------------------------------------------------------ exercise 3


def exp_gradient(a, y, tau):
    sq = np.sum((a - y) ** 2, axis=1, keepdims=True)
    return 2 * (a - y) * np.exp(sq / tau) / len(a)


def test_exp_gradient_accepts_the_solution_which_matches_finite_differences():
    assert check_exp_gradient(exp_gradient)
    rng = np.random.default_rng(1)
    a, y, tau = rng.uniform(0, 1, (3, 2)), rng.uniform(0, 1, (3, 2)), 0.7

    def cost(p):
        return np.mean(tau * np.exp(np.sum((p - y) ** 2, axis=1) / tau))

    assert np.allclose(exp_gradient(a, y, tau), numerical_gradient(cost, a.copy()), atol=1e-8)


def whole_batch(a, y, tau):
    return 2 * (a - y) * np.exp(np.sum((a - y) ** 2) / tau) / len(a)


def without_keepdims(a, y, tau):
    return 2 * (a - y) * np.exp(np.sum((a - y) ** 2, axis=1) / tau) / len(a)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (
            lambda a, y, tau: exp_gradient(a, y, tau) * len(a),
            "your exp_gradient is n = 4 times too large for a, y of shape (4, 2) and tau = 0.5",
        ),
        (
            lambda a, y, tau: exp_gradient(a, y, tau) / 2,
            "your exp_gradient is half the right value",
        ),
        (
            lambda a, y, tau: exp_gradient(a, y, tau) / tau,
            "your exp_gradient has a factor 1/tau too many for a, y of shape (4, 2) and tau = 0.5",
        ),
        (whole_batch, "summed over axis 1 only, not over the whole batch"),
        (
            without_keepdims,
            "your exp_gradient raised ValueError: operands could not be broadcast together",
        ),
        (
            lambda a, y, tau: exp_gradient(a, y, tau)[:, :1],
            "exp_gradient(a, y, tau) for a, y of shape (4, 2) and tau = 0.5 has shape (4, 1)",
        ),
        (unfinished, "your exp_gradient is not written yet (it raises NotImplementedError)"),
        (returns_none, "your exp_gradient returned None: did you forget a return?"),
    ],
)
def test_exp_gradient_names_the_mistake(answer, hint):
    assert_hint(check_exp_gradient(answer), hint)


def test_exp_gradient_names_the_missing_keepdims_when_the_shapes_broadcast():
    # A learner whose a, y happen to be square gets no error from NumPy: the check's (3, 3)
    # case still catches it.
    def square_only(a, y, tau):
        if a.shape[0] != a.shape[1]:
            return exp_gradient(a, y, tau)
        return without_keepdims(a, y, tau)

    assert_hint(check_exp_gradient(square_only), "without keepdims=True gives shape (n,)")
