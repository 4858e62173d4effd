"""Tests of neuronet.landscapes: gradients against finite differences, the stated minima, and
the paths that descend returns."""

import math

import numpy as np
import pytest

from neuronet.landscapes import (
    SURFACES,
    Surface,
    beale,
    bowl,
    descend,
    rosenbrock,
    saddle,
    wavy,
)
from neuronet.optimizers import SGD, Adam, Momentum
from neuronet.validation import TrainingDivergedError

TWO_D = [bowl, rosenbrock, beale, saddle]


def centered_gradient(f, x, h=1e-6):
    """Centered differences (f(x + h e_i) - f(x - h e_i)) / 2h, one coordinate at a time."""
    grad = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (float(np.squeeze(f(x + step))) - float(np.squeeze(f(x - step)))) / (2 * h)
    return grad


def random_points(surface, n, seed):
    rng = np.random.default_rng(seed)
    low = np.array([lo for lo, _ in surface.domain])
    high = np.array([hi for _, hi in surface.domain])
    return rng.uniform(low, high, size=(n, surface.dim))


@pytest.mark.parametrize("surface", list(SURFACES.values()), ids=lambda s: s.name)
def test_gradient_matches_centered_differences(surface):
    for x in random_points(surface, 20, seed=0):
        analytic = surface.gradient(x)
        numeric = centered_gradient(surface.f, x)
        rel = np.linalg.norm(analytic - numeric) / (
            np.linalg.norm(analytic) + np.linalg.norm(numeric)
        )
        assert rel <= 1e-6, (surface.name, x, analytic, numeric)


@pytest.mark.parametrize("surface", TWO_D, ids=lambda s: s.name)
def test_batches_evaluate_pointwise(surface):
    grid = random_points(surface, 12, seed=1).reshape(3, 4, 2)
    values = surface.f(grid)
    grads = surface.gradient(grid)
    assert values.shape == (3, 4) and grads.shape == (3, 4, 2)
    for i in range(3):
        for j in range(4):
            assert values[i, j] == surface.f(grid[i, j])
            np.testing.assert_array_equal(grads[i, j], surface.gradient(grid[i, j]))


def test_two_d_surfaces_refuse_other_shapes():
    with pytest.raises(ValueError, match=r"bowl is a function of 2 variables.*got shape \(3,\)"):
        bowl.f(np.zeros(3))
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        rosenbrock.gradient(1.0)


# Values at the minima, by hand:
#   bowl       (0, 0):        (0 + 0) / 2 = 0
#   rosenbrock (1, 1):        (1 - 1)^2 + 100 (1 - 1)^2 = 0
#   beale      (3, 0.5):      1.5 - 3 + 1.5 = 0, 2.25 - 3 + 0.75 = 0, 2.625 - 3 + 0.375 = 0
#   saddle     (0, +-sqrt 2): 0 - 2 + 4/4 = -1
STATED = {
    "bowl": ([(0.0, 0.0)], 0.0),
    "rosenbrock": ([(1.0, 1.0)], 0.0),
    "beale": ([(3.0, 0.5)], 0.0),
    "saddle": ([(0.0, math.sqrt(2.0)), (0.0, -math.sqrt(2.0))], -1.0),
}


@pytest.mark.parametrize("name", sorted(STATED))
def test_known_minima_have_zero_gradient_and_the_stated_value(name):
    surface = SURFACES[name]
    points, value = STATED[name]
    np.testing.assert_allclose(surface.minima, points, atol=1e-15)
    for m in surface.minima:
        np.testing.assert_allclose(surface.gradient(m), 0.0, atol=1e-12)
        assert float(surface.f(m)) == pytest.approx(value, abs=1e-14)
        # a minimum, not a saddle: the finite-difference Hessian is positive definite
        hessian = np.array(
            [centered_gradient(lambda p, i=i: surface.gradient(p)[i], m, h=1e-5) for i in range(2)]
        )
        assert np.all(np.linalg.eigvalsh(0.5 * (hessian + hessian.T)) > 0)


def test_saddle_has_a_saddle_point_at_the_origin():
    origin = np.zeros(2)
    np.testing.assert_array_equal(saddle.gradient(origin), 0.0)
    hessian = np.array(
        [centered_gradient(lambda p, i=i: saddle.gradient(p)[i], origin, h=1e-5) for i in range(2)]
    )
    np.testing.assert_allclose(hessian, np.diag([2.0, -2.0]), atol=1e-8)


def golden_section(f, a, b, tol=1e-12):
    """Minimize a unimodal f on [a, b] by golden-section search."""
    inv_phi = (math.sqrt(5.0) - 1.0) / 2.0
    c, d = b - inv_phi * (b - a), a + inv_phi * (b - a)
    while b - a > tol:
        if f(c) < f(d):
            b, d = d, c
            c = b - inv_phi * (b - a)
        else:
            a, c = c, d
            d = a + inv_phi * (b - a)
    return 0.5 * (a + b)


def test_wavy_minima_found_independently():
    ((low, high),) = wavy.domain
    grid = np.linspace(low, high, 100_001)
    values = grid**2 / 10.0 + np.sin(3.0 * grid)  # the formula, evaluated here from scratch
    interior = np.flatnonzero((values[1:-1] < values[:-2]) & (values[1:-1] < values[2:])) + 1
    step = grid[1] - grid[0]
    minima = [
        golden_section(lambda t: t**2 / 10.0 + math.sin(3.0 * t), grid[i] - step, grid[i] + step)
        for i in interior
    ]
    assert len(minima) == 4
    np.testing.assert_allclose(np.concatenate(wavy.minima), minima, atol=1e-7)
    global_min = minima[int(np.argmin([t**2 / 10.0 + math.sin(3.0 * t) for t in minima]))]
    assert wavy.global_minimum[0] == pytest.approx(global_min, abs=1e-7)
    for m in wavy.minima:
        assert abs(float(wavy.gradient(m)[0])) < 1e-12


def test_wavy_is_elementwise():
    x = np.linspace(-3.0, 3.0, 7).reshape(7, 1)
    assert wavy.f(x).shape == (7, 1)
    assert wavy.f(0.0) == pytest.approx(0.0)
    assert wavy.gradient(0.0) == pytest.approx(3.0)  # 0/5 + 3 cos 0


# ---------------------------------------------------------------- descend


def test_descend_path_shape_and_first_step():
    lr = 0.05
    x0 = np.array([-2.0, 1.0])
    path = descend(bowl, x0, SGD(lr), 10)
    assert path.shape == (11, 2) and path.dtype == np.float64
    np.testing.assert_array_equal(path[0], x0)
    np.testing.assert_array_equal(x0, [-2.0, 1.0])  # the start is copied, not moved
    # gradient (x, 10 y) = (-2, 10): x1 = (-2 + 0.1, 1 - 0.5)
    np.testing.assert_allclose(path[1], [-1.9, 0.5], rtol=1e-15)
    # along each axis SGD multiplies the coordinate by (1 - lr * curvature) per step
    np.testing.assert_allclose(path[10], [-2.0 * 0.95**10, 1.0 * 0.5**10], rtol=1e-13)


def test_descend_on_a_curve_and_by_name():
    path = descend("wavy", 2.5, SGD(0.01), 3000)
    assert path.shape == (3001, 1)
    # from 2.5 gradient descent settles in the local minimum to its left, not the global one
    second_from_right = wavy.minima[2]
    np.testing.assert_allclose(path[-1], second_from_right, atol=1e-6)
    assert not np.allclose(path[-1], wavy.global_minimum, atol=0.5)
    assert descend(rosenbrock, rosenbrock.start, "adam", 5).shape == (6, 2)


def test_descend_resets_the_optimizer_so_runs_repeat():
    opt = Adam(0.05)
    first = descend(beale, beale.start, opt, 50)
    second = descend(beale, beale.start, opt, 50)
    np.testing.assert_array_equal(first, second)


def test_descend_reports_divergence_with_the_step():
    # SGD at lr = 0.5 on the bowl: y <- y - 0.5 * 10 y = -4 y, so y_k = 1.5 (-4)^k exactly, and
    # f = (x^2 + 10 y^2) / 2 first overflows at the smallest k with 10 (1.5 * 4^k)^2 > max float.
    max_float = np.finfo(np.float64).max
    k = next(k for k in range(1, 1000) if 10.0 * 2.25 * 16.0**k > max_float)
    message = rf"became non-finite at step {k} .*smaller learning"
    with pytest.raises(TrainingDivergedError, match=message):
        descend(bowl, (-2.5, 1.5), SGD(0.5), 1000)
    # a large momentum step on Rosenbrock also diverges, and is caught rather than warned about
    with pytest.raises(TrainingDivergedError, match="rosenbrock.*became non-finite at step"):
        descend(rosenbrock, (-1.5, 2.0), Momentum(0.05), 500)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((bowl, (0.0, 0.0), SGD(0.1), 0), ValueError, "steps must be a positive integer, got 0"),
        ((bowl, (0.0, 0.0), SGD(0.1), 2.5), ValueError, "steps must be a positive integer"),
        ((bowl, (0.0, 0.0, 0.0), SGD(0.1), 5), ValueError, r"x0 must have shape \(2,\).*\(3,\)"),
        ((wavy, (0.0, 1.0), SGD(0.1), 5), ValueError, r"x0 must have shape \(1,\)"),
        ((bowl, (np.nan, 0.0), SGD(0.1), 5), ValueError, "x0 contains 1 non-finite"),
        (("himmelblau", (0.0, 0.0), SGD(0.1), 5), ValueError, "unknown surface 'himmelblau'"),
        ((3, (0.0, 0.0), SGD(0.1), 5), TypeError, "surface must be a Surface or a name"),
        ((bowl, (0.0, 0.0), "adamw", 5), ValueError, "unknown optimizer 'adamw'"),
    ],
)
def test_descend_validates_its_arguments(args, error, match):
    with pytest.raises(error, match=match):
        descend(*args)


def test_registry_and_defaults():
    assert set(SURFACES) == {"bowl", "rosenbrock", "beale", "saddle", "wavy"}
    for name, surface in SURFACES.items():
        assert isinstance(surface, Surface) and surface.name == name
        assert surface.start.shape == (surface.dim,)
        assert len(surface.domain) == surface.dim
        for (lo, hi), coordinate in zip(surface.domain, surface.start, strict=True):
            assert lo < coordinate < hi
        for m in surface.minima:
            assert all(lo <= c <= hi for (lo, hi), c in zip(surface.domain, m, strict=True))
