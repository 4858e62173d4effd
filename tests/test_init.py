"""Tests of neuronet.init: shapes, variances, reproducibility, and the claims of the docstrings."""

import numpy as np
import pytest

from neuronet.init import INITIALIZERS, get_initializer, he, small_random, xavier, zeros
from neuronet.network import MLP

ALL = [zeros, small_random, xavier, he]


@pytest.mark.parametrize("init", ALL)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_shape_and_dtype(init, dtype):
    W = init(5, 3, np.random.default_rng(0), dtype=dtype)
    assert W.shape == (5, 3)
    assert W.dtype == dtype


def test_zeros_is_all_zero():
    assert not zeros(4, 6).any()


@pytest.mark.parametrize(
    ("init", "n_in", "n_out", "std"),
    [
        (small_random, 300, 400, 0.01),
        (xavier, 400, 1600, np.sqrt(2 / 2000)),
        (he, 400, 1600, np.sqrt(2 / 400)),
    ],
)
def test_standard_deviation_and_mean(init, n_in, n_out, std):
    # 640,000 draws: the sample standard deviation is within 0.2% of the truth with
    # overwhelming probability, so 1% separates the formulas clearly (xavier/he differ by 2.2x).
    W = init(n_in, n_out, np.random.default_rng(1))
    assert W.std() == pytest.approx(std, rel=0.01)
    assert abs(W.mean()) < 0.01 * std


def test_he_is_sqrt2_times_xavier_on_a_square_layer():
    # n_in = n_out = n: Var_he = 2/n and Var_xavier = 2/(2n), so the standard deviations differ
    # by sqrt(2); with the same seed both scale the same standard normal draws.
    a = xavier(100, 100, np.random.default_rng(3))
    b = he(100, 100, np.random.default_rng(3))
    np.testing.assert_allclose(b / a, np.sqrt(2.0))


def test_small_random_scale_parameter():
    W = small_random(200, 200, np.random.default_rng(2), scale=0.5)
    assert W.std() == pytest.approx(0.5, rel=0.02)


@pytest.mark.parametrize("init", [small_random, xavier, he])
def test_same_seed_same_weights_other_seed_other_weights(init):
    np.testing.assert_array_equal(init(4, 3, 7), init(4, 3, np.random.default_rng(7)))
    assert not np.array_equal(init(4, 3, 7), init(4, 3, 8))


def test_float32_is_float64_rounded():
    np.testing.assert_array_equal(he(6, 5, 11, np.float32), he(6, 5, 11).astype(np.float32))


def _second_moments(init, depth=10, width=256, n=512):
    """Mean squared activation after each of ``depth`` ReLU layers started with ``init``."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, width))
    moments = []
    for _ in range(depth):
        a = np.maximum(a @ init(width, width, rng), 0)
        moments.append(float(np.mean(a * a)))
    return np.array(moments)


def test_he_keeps_relu_activations_at_scale_xavier_and_small_random_shrink_them():
    # He: E[a^2] stays at about Var(x)/2 * 2 = 1 layer after layer (ratio last/first near 1).
    he_m = _second_moments(he)
    assert 0.5 < he_m[-1] / he_m[0] < 2
    # Xavier on a square ReLU layer has n Var(w) = 1, so each layer halves E[a^2]: 2^-9 after
    # nine more layers.
    xa_m = _second_moments(xavier)
    assert xa_m[-1] / xa_m[0] == pytest.approx(2.0**-9, rel=0.5)
    # small_random: factor n scale^2 / 2 = 256e-4 / 2 = 0.0128 per layer, vanishing.
    sr_m = _second_moments(small_random)
    assert sr_m[-1] / sr_m[0] == pytest.approx(0.0128**9, rel=0.5)


def test_zeros_never_break_symmetry():
    # Every hidden unit starts identical, gets the same gradient and stays identical: after
    # training, all columns of W1 (incoming weights of each hidden unit) are still equal, and
    # so are all rows of W2. XOR is then out of reach: the 4 hidden units act as one.
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])
    net = MLP([2, 4, 1], activation="sigmoid", output="sigmoid", cost="cross_entropy", init="zeros")
    net.fit(X, y, optimizer="sgd", lr=1.0, epochs=200, batch_size=None)
    W1, W2 = net.layers[0].params["W"], net.layers[1].params["W"]
    np.testing.assert_array_equal(W1, np.repeat(W1[:, :1], 4, axis=1))
    np.testing.assert_array_equal(W2, np.repeat(W2[:1, :], 4, axis=0))
    assert net.accuracy(X, y) < 1.0


def test_registry_and_lookup():
    assert set(INITIALIZERS) == {"zeros", "small_random", "xavier", "he"}
    assert get_initializer("He") is he
    assert get_initializer("small-random") is small_random

    def custom(n_in, n_out, rng, dtype=np.float64):
        return np.ones((n_in, n_out), dtype)

    assert get_initializer(custom) is custom


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown initializer 'glorot'.*he, small_random"):
        get_initializer("glorot")


def test_non_callable_is_a_type_error():
    with pytest.raises(TypeError, match="initializer must be a name"):
        get_initializer(3)


@pytest.mark.parametrize("bad", [0, -2, 2.5, True])
def test_bad_sizes(bad):
    with pytest.raises(ValueError, match="n_in must be a positive integer"):
        he(bad, 3, 0)
    with pytest.raises(ValueError, match="n_out must be a positive integer"):
        xavier(3, bad, 0)


def test_bad_scale():
    with pytest.raises(ValueError, match="scale must be a positive"):
        small_random(3, 3, 0, scale=0.0)
