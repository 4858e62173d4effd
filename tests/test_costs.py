"""Tests for neuronet.costs: values by hand, finite-difference gradients, stability, errors."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from neuronet.costs import (
    COSTS,
    CategoricalCrossEntropy,
    Cost,
    CrossEntropy,
    Exponential,
    GeneralizedKL,
    Hellinger,
    ItakuraSaito,
    KLDivergence,
    Quadratic,
    get_cost,
)

# Overflow, division by zero and invalid operations are errors; underflow to zero or to a
# subnormal number is ordinary rounding, which NumPy also ignores by default.
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6):
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


def distributions(rng: np.random.Generator, shape: tuple[int, int], floor: float) -> np.ndarray:
    p = rng.uniform(floor, 1.0, size=shape)
    return p / p.sum(axis=1, keepdims=True)


def valid_inputs(cost: Cost, rng: np.random.Generator, n: int = 4, k: int = 3):
    """A (y_pred, y_true) pair inside the domain of ``cost``, away from the clipping range."""
    shape = (n, k)
    if isinstance(cost, (Quadratic, Exponential)):
        return rng.normal(size=shape), rng.normal(size=shape)
    if isinstance(cost, CrossEntropy):
        return rng.uniform(0.05, 0.95, size=shape), rng.uniform(0.0, 1.0, size=shape)
    if isinstance(cost, CategoricalCrossEntropy):
        return distributions(rng, shape, 0.1), np.eye(k)[rng.integers(0, k, size=n)]
    if isinstance(cost, KLDivergence):
        y = distributions(rng, shape, 0.1)
        if k > 1:
            y[0, 0] = 0.0  # a zero target probability exercises 0 ln 0 = 0
            y[0] /= y[0].sum()
        return distributions(rng, shape, 0.1), y
    if isinstance(cost, Hellinger):
        return rng.uniform(0.05, 1.0, size=shape), rng.uniform(0.0, 1.0, size=shape)
    if isinstance(cost, GeneralizedKL):
        y = rng.uniform(0.0, 3.0, size=shape)
        y[0, 0] = 0.0
        return rng.uniform(0.2, 3.0, size=shape), y
    if isinstance(cost, ItakuraSaito):
        return rng.uniform(0.2, 3.0, size=shape), rng.uniform(0.2, 3.0, size=shape)
    raise AssertionError(f"no valid inputs for {cost!r}")


ALL_COSTS = [
    Quadratic(),
    CrossEntropy(),
    CategoricalCrossEntropy(),
    Exponential(tau=2.0),
    Hellinger(),
    KLDivergence(),
    GeneralizedKL(),
    ItakuraSaito(),
]


# --- values computed by hand -------------------------------------------------------------------


def test_quadratic_by_hand() -> None:
    # per sample: (0 + 2^2)/2 = 2 and (3^2 + 0)/2 = 4.5; mean 3.25
    assert Quadratic()([[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0], [0.0, 4.0]]) == 3.25


def test_cross_entropy_by_hand() -> None:
    assert CrossEntropy()([0.5], [1.0]) == pytest.approx(math.log(2), rel=1e-15)
    assert CrossEntropy()([[0.8]], [[0.0]]) == pytest.approx(-math.log(0.2), rel=1e-15)
    # soft target: -(0.3 ln 0.6 + 0.7 ln 0.4)
    expected = -(0.3 * math.log(0.6) + 0.7 * math.log(0.4))
    assert CrossEntropy()(0.6, 0.3) == pytest.approx(expected, rel=1e-15)


def test_categorical_cross_entropy_by_hand() -> None:
    a = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]
    y = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    expected = -(math.log(0.7) + math.log(0.8)) / 2
    assert CategoricalCrossEntropy()(a, y) == pytest.approx(expected, rel=1e-15)


def test_exponential_by_hand() -> None:
    # one sample with ||a - y||^2 = 0.6^2 + 0.8^2 = 1 and tau = 2: 2 e^(1/2)
    assert Exponential(tau=2.0)([[0.6, 0.8]], [[0.0, 0.0]]) == pytest.approx(
        2 * math.exp(0.5), rel=1e-15
    )
    assert Exponential(tau=3.0)([[1.0, 1.0]], [[1.0, 1.0]]) == 3.0  # minimum is tau


def test_hellinger_by_hand() -> None:
    # (sqrt(0.25) - sqrt(1))^2 / sqrt 2 + (sqrt(0.64) - sqrt(0.04))^2 / sqrt 2
    expected = (0.25 + 0.36) / math.sqrt(2)
    assert Hellinger()([[0.25, 0.64]], [[1.0, 0.04]]) == pytest.approx(expected, rel=1e-14)


def test_kl_divergence_by_hand() -> None:
    expected = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)
    assert KLDivergence()([[0.25, 0.75]], [[0.5, 0.5]]) == pytest.approx(expected, rel=1e-14)
    # a zero target contributes 0 ln 0 = 0
    assert KLDivergence()([[0.4, 0.6]], [[0.0, 1.0]]) == pytest.approx(math.log(1 / 0.6), rel=1e-14)
    assert KLDivergence()([[0.3, 0.7]], [[0.3, 0.7]]) == 0.0


def test_generalized_kl_by_hand() -> None:
    expected = (2 * math.log(2) - 2 + 1) + (0 - 0 + 0.5)
    assert GeneralizedKL()([[1.0, 0.5]], [[2.0, 0.0]]) == pytest.approx(expected, rel=1e-14)


def test_itakura_saito_by_hand() -> None:
    expected = (2 - math.log(2) - 1) + (0.5 - math.log(0.5) - 1)
    assert ItakuraSaito()([[1.0, 4.0]], [[2.0, 2.0]]) == pytest.approx(expected, rel=1e-14)
    # scale invariance: multiplying predictions and targets by 1000 changes nothing
    assert ItakuraSaito()([[1e3, 4e3]], [[2e3, 2e3]]) == pytest.approx(expected, rel=1e-13)


def test_kl_and_categorical_cross_entropy_differ_by_target_entropy() -> None:
    rng = np.random.default_rng(0)
    a, y = distributions(rng, (5, 4), 0.1), distributions(rng, (5, 4), 0.1)
    entropy = -np.sum(y * np.log(y)) / 5
    assert KLDivergence()(a, y) == pytest.approx(CategoricalCrossEntropy()(a, y) - entropy)
    np.testing.assert_allclose(
        KLDivergence().gradient(a, y), CategoricalCrossEntropy().gradient(a, y), rtol=1e-15
    )


@pytest.mark.parametrize(
    "cost",
    [
        Quadratic(),
        Exponential(tau=2.0),
        Hellinger(),
        KLDivergence(),
        GeneralizedKL(),
        ItakuraSaito(),
    ],
    ids=repr,
)
def test_minimum_at_perfect_prediction(cost: Cost) -> None:
    a, _ = valid_inputs(cost, np.random.default_rng(1))
    n = a.shape[0]
    assert cost(a, a) == pytest.approx(
        cost.tau if isinstance(cost, Exponential) else 0.0, abs=1e-12
    )
    if isinstance(cost, KLDivergence):
        # -y/a = -1 everywhere: orthogonal to the simplex, so no descent direction within it
        np.testing.assert_allclose(cost.gradient(a, a), -1.0 / n, rtol=1e-15)
    else:
        np.testing.assert_allclose(cost.gradient(a, a), 0.0, atol=1e-15)


# --- gradients ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cost", ALL_COSTS, ids=repr)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_matches_numerical_gradient(cost: Cost, seed: int) -> None:
    a, y = valid_inputs(cost, np.random.default_rng(seed))
    numeric = numerical_gradient(lambda x: cost(x, y), a)
    assert relative_error(cost.gradient(a, y), numeric) <= 1e-6


@pytest.mark.parametrize("cost", ALL_COSTS, ids=repr)
def test_cost_is_a_mean_over_samples(cost: Cost) -> None:
    a, y = valid_inputs(cost, np.random.default_rng(3))
    a2, y2 = np.concatenate([a, a]), np.concatenate([y, y])
    assert cost(a2, y2) == pytest.approx(cost(a, y), rel=1e-14)
    g, g2 = cost.gradient(a, y), cost.gradient(a2, y2)
    np.testing.assert_allclose(g2, np.concatenate([g, g]) / 2, rtol=1e-14)
    per_sample = [cost(a[i : i + 1], y[i : i + 1]) for i in range(len(a))]
    assert cost(a, y) == pytest.approx(np.mean(per_sample), rel=1e-14)


@pytest.mark.parametrize("cost", ALL_COSTS, ids=repr)
def test_one_dimensional_input_is_samples_of_one_output(cost: Cost) -> None:
    a, y = valid_inputs(cost, np.random.default_rng(4), n=6, k=1)
    if isinstance(cost, (CategoricalCrossEntropy, KLDivergence)):
        a, y = a * 0.5, y * 0.5  # single-column "distributions" would all be 1
    assert cost(a[:, 0], y[:, 0]) == pytest.approx(cost(a, y), rel=1e-14)
    np.testing.assert_allclose(cost.gradient(a[:, 0], y[:, 0]), cost.gradient(a, y)[:, 0])
    assert cost(a[0, 0], y[0, 0]) == pytest.approx(cost(a[:1], y[:1]), rel=1e-14)
    assert cost.gradient(a[0, 0], y[0, 0]).shape == ()


def test_exponential_sums_over_all_trailing_axes() -> None:
    rng = np.random.default_rng(5)
    a, y = rng.normal(size=(3, 2, 2)) * 0.5, rng.normal(size=(3, 2, 2)) * 0.5
    flat_a, flat_y = a.reshape(3, 4), y.reshape(3, 4)
    expected = np.mean(2.0 * np.exp(np.sum((flat_a - flat_y) ** 2, axis=1) / 2.0))
    assert Exponential(tau=2.0)(a, y) == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(
        Exponential(tau=2.0).gradient(a, y).reshape(3, 4),
        Exponential(tau=2.0).gradient(flat_a, flat_y),
        rtol=1e-15,
    )


def test_clipping_caps_the_cost_and_flattens_the_gradient() -> None:
    assert CrossEntropy()([0.0], [1.0]) == pytest.approx(-math.log(1e-12), rel=1e-9)
    assert CrossEntropy().gradient([0.0, 1.0], [1.0, 0.0]).tolist() == [0.0, 0.0]
    # just inside the clipping range the gradient is the (large) exact one
    assert CrossEntropy().gradient([1e-9], [1.0])[0] == pytest.approx(-1 / 1e-9, rel=1e-6)


# --- numerical stability (property tests) ------------------------------------------------------


def unit(width: int) -> st.SearchStrategy[float]:
    """Numbers in [0, 1], with the boundary values 0 and 1 drawn often."""
    return st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0, width=width))


def positive(width: int) -> st.SearchStrategy[float]:
    """Numbers in (0, 10], tiny ones included."""
    return st.one_of(
        st.sampled_from([1.0, 10.0]), st.floats(0.0, 10.0, exclude_min=True, width=width)
    )


def zero_or_positive(width: int) -> st.SearchStrategy[float]:
    return st.one_of(st.just(0.0), positive(width))


@pytest.mark.parametrize(
    ("cost", "targets"),
    [
        (CrossEntropy(), unit),
        (CategoricalCrossEntropy(), unit),
        (KLDivergence(), unit),
        (GeneralizedKL(), zero_or_positive),
        (Hellinger(), unit),
        (ItakuraSaito(), positive),
    ],
    ids=lambda v: repr(v) if isinstance(v, Cost) else None,
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_finite_values_and_gradients_at_the_boundary(
    cost: Cost, targets: Callable[[int], st.SearchStrategy[float]], dtype: type
) -> None:
    width = np.finfo(dtype).bits

    @settings(max_examples=60, deadline=None)
    @given(
        a=hnp.arrays(dtype, (3, 4), elements=unit(width)),
        y=hnp.arrays(dtype, (3, 4), elements=targets(width)),
    )
    def check(a: np.ndarray, y: np.ndarray) -> None:
        with np.errstate(**STRICT):
            value = cost(a, y)
            grad = cost.gradient(a, y)
        assert math.isfinite(value)
        assert np.all(np.isfinite(grad))
        assert grad.dtype == dtype

    check()


# --- dtype and return types --------------------------------------------------------------------


@pytest.mark.parametrize("cost", ALL_COSTS, ids=repr)
def test_float32_in_float32_out(cost: Cost) -> None:
    a, y = valid_inputs(cost, np.random.default_rng(6))
    a32, y32 = a.astype(np.float32), y.astype(np.float32)
    value = cost(a32, y32)
    assert type(value) is float
    assert value == pytest.approx(cost(a, y), rel=1e-5)
    grad = cost.gradient(a32, y32)
    assert grad.dtype == np.float32
    np.testing.assert_allclose(grad, cost.gradient(a, y), rtol=1e-5, atol=1e-6)


def test_gradient_dtype_follows_predictions_not_targets() -> None:
    a, y = np.array([[0.2, 0.8]], dtype=np.float32), np.array([[0.0, 1.0]])
    assert CrossEntropy().gradient(a, y).dtype == np.float32
    assert Quadratic().gradient(np.array([1, 2]), np.array([0.5, 0.5])).dtype == np.float64


# --- registry ----------------------------------------------------------------------------------


def test_registry() -> None:
    assert set(COSTS) == {
        "quadratic",
        "cross_entropy",
        "categorical_cross_entropy",
        "exponential",
        "hellinger",
        "kl_divergence",
        "generalized_kl",
        "itakura_saito",
    }
    for name, cls in COSTS.items():
        assert cls.name == name
    assert isinstance(get_cost("Cross-Entropy"), CrossEntropy)
    assert isinstance(get_cost(Hellinger), Hellinger)
    exp = Exponential(tau=5.0)
    assert get_cost(exp) is exp
    assert get_cost("exponential").tau == 1.0
    assert repr(exp) == "Exponential(tau=5.0)"
    assert repr(Quadratic()) == "Quadratic()"


# --- errors ------------------------------------------------------------------------------------


def test_unknown_name_lists_valid_names() -> None:
    with pytest.raises(ValueError, match=r"unknown cost 'hinge'.*cross_entropy.*itakura_saito"):
        get_cost("hinge")


def test_get_cost_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="cost must be a name"):
        get_cost(1.5)


def test_shape_mismatch_names_both_shapes() -> None:
    with pytest.raises(
        ValueError, match=r"y_pred has shape \(2, 3\) but y_true has shape \(3, 2\)"
    ):
        Quadratic()(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"y_pred has shape \(4,\) but y_true has shape \(4, 1\)"):
        CrossEntropy().gradient(np.full(4, 0.5), np.ones((4, 1)))


def test_non_finite_inputs_are_reported() -> None:
    with pytest.raises(ValueError, match=r"y_pred contains 1 non-finite value.*index \(0, 1\)"):
        Quadratic()([[0.0, np.nan]], [[0.0, 0.0]])
    with pytest.raises(ValueError, match="y_true contains 2 non-finite"):
        CrossEntropy().gradient([0.5, 0.5], [np.inf, -np.inf])


def test_empty_batch_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"empty \(shape \(0, 3\)\)"):
        Quadratic()(np.zeros((0, 3)), np.zeros((0, 3)))


@pytest.mark.parametrize(
    ("cost", "a", "y", "message"),
    [
        (CrossEntropy(), 0.5, 1.5, r"y_true in \[0, 1\].*1\.5"),
        (CrossEntropy(), 0.5, -0.25, r"y_true in \[0, 1\].*-0\.25"),
        (CrossEntropy(), 2.0, 1.0, r"y_pred in \[0, 1\].*logits\?.*2\.0"),
        (CategoricalCrossEntropy(), -0.5, 1.0, r"y_pred in \[0, 1\].*-0\.5"),
        (KLDivergence(), 0.5, -0.1, r"y_true >= 0.*-0\.1"),
        (GeneralizedKL(), -3.0, 1.0, r"y_pred >= 0.*-3\.0"),
        (Hellinger(), 0.5, -1.0, r"y_true >= 0.*-1\.0"),
        (ItakuraSaito(), 0.5, 0.0, r"y_true > 0.*0\.0"),
        (ItakuraSaito(), -0.5, 1.0, r"y_pred >= 0.*-0\.5"),
    ],
    ids=lambda v: repr(v) if isinstance(v, Cost) else None,
)
def test_domain_violations_name_the_value(cost: Cost, a: float, y: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cost([a, 0.5], [y, 0.5])
    with pytest.raises(ValueError, match=message):
        cost.gradient([a, 0.5], [y, 0.5])


@pytest.mark.parametrize("tau", [0, -1.0, float("nan"), float("inf"), "2"])
def test_bad_tau_is_rejected(tau: object) -> None:
    with pytest.raises(ValueError, match="tau must be a positive"):
        Exponential(tau=tau)


def test_exponential_overflow_suggests_larger_tau() -> None:
    with pytest.raises(ValueError, match=r"overflowed in float64.*reaches 1e\+04.*larger tau"):
        Exponential(tau=1e-4)([[1.0]], [[0.0]])
    with pytest.raises(ValueError, match=r"overflowed in float32.*larger tau"):
        Exponential(tau=1.0).gradient(np.array([10.0], np.float32), np.array([0.0], np.float32))
    # the same errors are fine with a larger tau
    assert math.isfinite(Exponential(tau=10.0)([[10.0]], [[0.0]]))
