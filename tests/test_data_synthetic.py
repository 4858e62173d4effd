"""Tests for neuronet.data.synthetic: shapes, balance, determinism and the clean geometry."""

import numpy as np
import pytest

from neuronet.data import make_circles, make_gaussians, make_moons, make_spirals, make_xor

GENERATORS = [make_xor, make_gaussians, make_circles, make_moons, make_spirals]


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n", [2, 7, 200, 201])
def test_shapes_dtypes_and_balance(make, n):
    X, y = make(n, 0.1, 0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=2)
    assert len(counts) == 2 and counts.sum() == n
    assert counts.max() - counts.min() <= 1
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make", [make_gaussians, make_spirals])
def test_several_classes_are_balanced(make):
    _, y = make(300, 0.1, 1, n_classes=3)
    np.testing.assert_array_equal(np.bincount(y), [100, 100, 100])
    _, y = make(301, 0.1, 1, n_classes=3)
    assert sorted(np.bincount(y)) == [100, 100, 101]


@pytest.mark.parametrize("make", GENERATORS)
def test_same_seed_same_data_and_other_seeds_differ(make):
    X1, y1 = make(100, 0.2, 42)
    X2, y2 = make(100, 0.2, 42)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = make(100, 0.2, 43)
    assert not np.allclose(X1, X3)


@pytest.mark.parametrize("make", GENERATORS)
def test_rows_are_shuffled(make):
    _, y = make(200, 0.1, 3)
    assert np.any(np.diff(y) < 0), "rows should not be sorted by class"


def test_xor_labels_follow_the_quadrant_rule_without_noise():
    X, y = make_xor(400, 0.0, 0)
    assert np.all(np.abs(X) <= 1) and np.all(X != 0)
    x1_pos, x2_pos = X[:, 0] > 0, X[:, 1] > 0
    np.testing.assert_array_equal(y, (x1_pos != x2_pos).astype(int))
    # All four quadrants are used.
    quadrant = 2 * x1_pos + x2_pos
    assert set(quadrant) == {0, 1, 2, 3}


def test_xor_noise_moves_points_but_not_labels():
    X0, y0 = make_xor(400, 0.0, 5)
    X1, y1 = make_xor(400, 0.3, 5)
    assert not np.allclose(X0, X1)
    # Most noisy points stay in their quadrant, some cross an axis.
    agree = (np.sign(X1[:, 0]) * np.sign(X1[:, 1]) < 0) == (y1 == 1)
    assert 0.6 < agree.mean() < 1.0


def test_circles_radii_without_noise():
    X, y = make_circles(300, 0.0, 1, factor=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0, rtol=1e-12)
    np.testing.assert_allclose(radius[y == 1], 0.3, rtol=1e-12)


def test_moons_geometry_without_noise():
    X, y = make_moons(300, 0.0, 2)
    upper, lower = X[y == 0], X[y == 1]
    # Upper moon: the upper half of the unit circle.
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, rtol=1e-12)
    assert np.all(upper[:, 1] >= 0)
    # Lower moon: the lower half of the unit circle centred at (1, 1/2).
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, rtol=1e-12)
    assert np.all(lower[:, 1] <= 0.5)


def test_gaussians_sit_on_their_centres_without_noise():
    X, y = make_gaussians(400, 0.0, 0, n_classes=4, spread=2.0)
    centres = np.array([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [0.0, -2.0]])
    np.testing.assert_allclose(X, centres[y], atol=1e-12)


def test_gaussian_noise_has_the_requested_standard_deviation():
    X, y = make_gaussians(20000, 0.5, 0, spread=3.0)
    residual = X - np.where(y[:, None] == 0, [3.0, 0.0], [-3.0, 0.0])
    # The sample standard deviation of 20000 normal draws is within 3% of sigma with
    # overwhelming probability (its relative standard error is 1/sqrt(2n) = 0.5%).
    np.testing.assert_allclose(residual.std(axis=0), 0.5, rtol=0.03)
    np.testing.assert_allclose(residual.mean(axis=0), 0.0, atol=0.03)


@pytest.mark.parametrize("turns", [0.5, 1.0, 1.75])
def test_spiral_points_lie_on_their_arm_without_noise(turns):
    X, y = make_spirals(300, 0.0, 4, n_classes=3, turns=turns)
    z = X[:, 0] + 1j * X[:, 1]
    r = np.abs(z)
    assert np.all(r <= 1)
    expected = r * np.exp(1j * (2 * np.pi * turns * r + 2 * np.pi * y / 3))
    np.testing.assert_allclose(z, expected, atol=1e-12)


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n", [0, -5, 2.5, True, "10"])
def test_bad_n_samples(make, n):
    with pytest.raises(ValueError, match="n_samples must be a positive integer"):
        make(n)


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("noise", [-0.1, np.nan, np.inf, "0.1"])
def test_bad_noise(make, noise):
    with pytest.raises(ValueError, match="noise must be a non-negative"):
        make(10, noise)


@pytest.mark.parametrize("factor", [0.0, 1.0, 1.5, -0.5])
def test_circles_factor_must_lie_between_0_and_1(factor):
    with pytest.raises(ValueError, match="factor"):
        make_circles(10, factor=factor)


@pytest.mark.parametrize("make", [make_gaussians, make_spirals])
def test_class_count_checks(make):
    with pytest.raises(ValueError, match="n_classes must be at least 2, got 1"):
        make(10, n_classes=1)
    with pytest.raises(ValueError, match="n_samples=3 is too small for 4 classes"):
        make(3, n_classes=4)


def test_spread_and_turns_must_be_positive():
    with pytest.raises(ValueError, match="spread"):
        make_gaussians(10, spread=0.0)
    with pytest.raises(ValueError, match="turns"):
        make_spirals(10, turns=-1.0)
