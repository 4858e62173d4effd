"""Tests for neuronet.activations: closed forms, finite-difference gradients, stability, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from neuronet.activations import (
    ACTIVATIONS,
    Activation,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
    get_activation,
)

# Overflow, division by zero and invalid operations are errors; underflow to zero (e.g. exp(-1e4))
# is ordinary rounding, which NumPy also ignores by default.
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}

DIFFERENTIABLE = [Sigmoid(), Tanh(), ReLU(), LeakyReLU(0.2), Identity(), Softmax()]
ELEMENTWISE = [Sigmoid(), Tanh(), ReLU(), LeakyReLU(0.2), Identity()]


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Centered differences of the scalar function ``f`` at ``x`` (float64)."""
    x = x.astype(np.float64).copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(g: np.ndarray, n: np.ndarray) -> float:
    return float(np.max(np.abs(g - n)) / max(float(np.max(np.abs(g) + np.abs(n))), 1e-300))


def away_from_kinks(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Random z with |z| in [0.1, 2], so no finite-difference step crosses 0."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.1, 2.0, size=shape)


# --- gradients ---------------------------------------------------------------------------------


@pytest.mark.parametrize("act", DIFFERENTIABLE, ids=repr)
@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 3, 4)])
def test_backward_matches_numerical_gradient(act: Activation, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    z = away_from_kinks(rng, shape)
    g = rng.normal(size=shape)
    numeric = numerical_gradient(lambda x: float(np.sum(g * act(x))), z)
    assert relative_error(act.backward(z, g), numeric) <= 1e-6


@pytest.mark.parametrize("act", ELEMENTWISE, ids=repr)
def test_derivative_is_backward_with_unit_gradient(act: Activation) -> None:
    z = away_from_kinks(np.random.default_rng(1), (6, 3))
    np.testing.assert_array_equal(act.derivative(z), act.backward(z, np.ones_like(z)))
    assert act.elementwise


@pytest.mark.parametrize("act", ELEMENTWISE, ids=repr)
def test_derivative_matches_numerical_slope(act: Activation) -> None:
    z = away_from_kinks(np.random.default_rng(2), (10,))
    eps = 1e-6
    numeric = (act(z + eps) - act(z - eps)) / (2 * eps)
    assert relative_error(act.derivative(z), numeric) <= 1e-6


def test_softmax_backward_equals_explicit_jacobian_product() -> None:
    rng = np.random.default_rng(3)
    z, g = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    s = Softmax()(z)
    expected = np.stack(
        [(np.diag(si) - np.outer(si, si)).T @ gi for si, gi in zip(s, g, strict=True)]
    )
    np.testing.assert_allclose(Softmax().backward(z, g), expected, rtol=1e-12, atol=1e-15)
    assert not Softmax().elementwise


def test_relu_and_leaky_relu_derivative_at_zero() -> None:
    z = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(ReLU().derivative(z), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(LeakyReLU(0.2).derivative(z), [0.2, 0.2, 1.0])


# --- known values ------------------------------------------------------------------------------


def test_sigmoid_known_values() -> None:
    s = Sigmoid()
    assert s(0.0) == 0.5
    assert s(math.log(3.0)) == pytest.approx(0.75, rel=1e-15)  # 1 / (1 + 1/3)
    assert s(-math.log(3.0)) == pytest.approx(0.25, rel=1e-15)
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(s(z) + s(-z), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(s(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    assert s.derivative(0.0) == 0.25


def test_tanh_is_a_rescaled_sigmoid() -> None:
    z = np.linspace(-5, 5, 41)
    np.testing.assert_allclose(Tanh()(z), 2 * Sigmoid()(2 * z) - 1, rtol=0, atol=1e-15)
    np.testing.assert_allclose(Tanh().derivative(z), 4 * Sigmoid().derivative(2 * z), atol=1e-15)


def test_softmax_known_values_and_invariances() -> None:
    sm = Softmax()
    np.testing.assert_allclose(sm([0.0, math.log(2), math.log(3)]), [1 / 6, 2 / 6, 3 / 6])
    z = np.random.default_rng(4).normal(size=(5, 7))
    np.testing.assert_allclose(sm(z).sum(axis=-1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(sm(z + 100.0), sm(z), rtol=1e-12)
    np.testing.assert_allclose(sm(z - z[:, :1]), sm(z), rtol=1e-12)
    # softmax of two scores is the sigmoid of their difference
    np.testing.assert_allclose(
        sm(np.stack([z[:, 0], z[:, 1]], axis=-1))[:, 0], Sigmoid()(z[:, 0] - z[:, 1]), rtol=1e-14
    )


def test_softmax_acts_on_last_axis() -> None:
    z = np.random.default_rng(5).normal(size=(2, 3, 4))
    out = Softmax()(z)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(out[1, 2], Softmax()(z[1, 2]), rtol=1e-15)


def test_relu_sparsity_and_values() -> None:
    z = np.random.default_rng(6).normal(size=1000)
    out = ReLU()(z)
    assert np.array_equal(out == 0, z <= 0)
    np.testing.assert_array_equal(out[z > 0], z[z > 0])
    assert 0.4 < np.mean(out == 0) < 0.6


def test_leaky_relu_values() -> None:
    np.testing.assert_array_equal(LeakyReLU(0.2)([-5.0, 0.0, 3.0]), [-1.0, 0.0, 3.0])
    np.testing.assert_array_equal(LeakyReLU(0.0)([-5.0, 3.0]), ReLU()([-5.0, 3.0]))


def test_step_values_and_convention_at_zero() -> None:
    np.testing.assert_array_equal(Step()([-2.0, -1e-300, 0.0, 1e-300, 5.0]), [0, 0, 1, 1, 1])


def test_identity_returns_a_copy() -> None:
    z = np.array([1.0, -2.0])
    out = Identity()(z)
    np.testing.assert_array_equal(out, z)
    out[0] = 99.0
    assert z[0] == 1.0


def test_inputs_are_not_modified() -> None:
    z = np.random.default_rng(7).normal(size=(3, 4))
    g = np.ones_like(z)
    before = z.copy()
    for act in DIFFERENTIABLE:
        act(z)
        act.backward(z, g)
    np.testing.assert_array_equal(z, before)


# --- numerical stability (property tests) ------------------------------------------------------

large_z = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=1, max_dims=2, max_side=6),
    elements=st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=100, deadline=None)
@given(z=large_z)
def test_sigmoid_is_stable_and_bounded(z: np.ndarray) -> None:
    with np.errstate(**STRICT):
        s = Sigmoid()(z)
        g = Sigmoid().backward(z, np.ones_like(z))
    assert np.all((s >= 0) & (s <= 1))
    assert np.all(np.isfinite(g)) and np.all((g >= 0) & (g <= 0.25))


@settings(max_examples=100, deadline=None)
@given(z=large_z)
def test_tanh_is_stable_and_bounded(z: np.ndarray) -> None:
    with np.errstate(**STRICT):
        t = Tanh()(z)
        g = Tanh().backward(z, np.ones_like(z))
    assert np.all(np.abs(t) <= 1)
    assert np.all(np.isfinite(g)) and np.all((g >= 0) & (g <= 1))


@settings(max_examples=100, deadline=None)
@given(z=large_z, seed=st.integers(0, 2**32 - 1))
def test_softmax_is_stable_and_normalised(z: np.ndarray, seed: int) -> None:
    grad_output = np.random.default_rng(seed).normal(size=z.shape)
    with np.errstate(**STRICT):
        s = Softmax()(z)
        g = Softmax().backward(z, grad_output)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-12)
    assert np.all(np.isfinite(g))
    # each row of the Jacobian sums to zero, so a constant upstream gradient gives zero
    np.testing.assert_allclose(Softmax().backward(z, np.ones_like(z)), 0.0, atol=1e-15)


def test_extreme_inputs_give_exact_limits() -> None:
    z = np.array([-1e4, -800.0, 800.0, 1e4])
    with np.errstate(**STRICT):
        np.testing.assert_array_equal(Sigmoid()(z), [0.0, 0.0, 1.0, 1.0])
        np.testing.assert_array_equal(Softmax()([[0.0, 1e4], [-1e4, 0.0]]), [[0, 1], [0, 1]])


# --- dtype -------------------------------------------------------------------------------------


@pytest.mark.parametrize("act", [*DIFFERENTIABLE, Step()], ids=repr)
def test_float32_in_float32_out(act: Activation) -> None:
    z = away_from_kinks(np.random.default_rng(8), (4, 3)).astype(np.float32)
    assert act(z).dtype == np.float32
    if act.elementwise and not isinstance(act, Step):
        assert act.derivative(z).dtype == np.float32
    if not isinstance(act, Step):
        assert act.backward(z, np.ones_like(z)).dtype == np.float32
        np.testing.assert_allclose(act(z), act(z.astype(np.float64)), rtol=1e-6, atol=1e-7)


def test_integer_input_becomes_float64() -> None:
    out = Sigmoid()(np.array([0, 1, -1]))
    assert out.dtype == np.float64
    assert out[0] == 0.5


# --- registry ----------------------------------------------------------------------------------


def test_registry_names_match_classes() -> None:
    expected = {"step", "sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"}
    assert set(ACTIVATIONS) == expected
    for name, cls in ACTIVATIONS.items():
        assert cls.name == name


def test_get_activation_accepts_names_classes_and_instances() -> None:
    assert isinstance(get_activation("ReLU"), ReLU)
    assert isinstance(get_activation("leaky-relu"), LeakyReLU)
    assert isinstance(get_activation(ReLU), ReLU)
    leaky = LeakyReLU(0.2)
    assert get_activation(leaky) is leaky
    assert get_activation("leaky_relu").alpha == 0.01


def test_repr() -> None:
    assert repr(LeakyReLU(0.2)) == "LeakyReLU(alpha=0.2)"
    assert repr(LeakyReLU()) == "LeakyReLU(alpha=0.01)"
    assert repr(Sigmoid()) == "Sigmoid()"


# --- errors ------------------------------------------------------------------------------------


def test_unknown_name_lists_valid_names() -> None:
    with pytest.raises(ValueError, match=r"unknown activation 'swish'.*leaky_relu.*softmax"):
        get_activation("swish")


def test_get_activation_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="activation must be a name"):
        get_activation(3)


def test_step_cannot_be_differentiated() -> None:
    with pytest.raises(ValueError, match="zero derivative almost everywhere.*perceptron"):
        Step().derivative([1.0])
    with pytest.raises(ValueError, match="zero derivative almost everywhere.*sigmoid"):
        Step().backward([1.0], [1.0])


def test_softmax_derivative_points_to_backward() -> None:
    with pytest.raises(ValueError, match=r"not elementwise.*diag\(s\) - s s\^T.*backward"):
        Softmax().derivative([1.0, 2.0])


def test_softmax_rejects_scalars() -> None:
    with pytest.raises(ValueError, match="at least one axis"):
        Softmax()(1.0)


def test_nan_input_is_reported() -> None:
    with pytest.raises(ValueError, match=r"z contains 1 non-finite value.*index \(1,\)"):
        Sigmoid()([0.0, np.nan])
    with pytest.raises(ValueError, match="grad_output contains 1 non-finite"):
        ReLU().backward([1.0, 2.0], [np.inf, 0.0])


def test_backward_shape_mismatch_names_both_shapes() -> None:
    with pytest.raises(
        ValueError, match=r"z has shape \(2, 3\) but grad_output has shape \(3, 2\)"
    ):
        Tanh().backward(np.zeros((2, 3)), np.zeros((3, 2)))


@pytest.mark.parametrize("alpha", [-0.1, float("nan"), float("inf"), "0.1", True])
def test_bad_alpha_is_rejected(alpha: object) -> None:
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
        LeakyReLU(alpha)
