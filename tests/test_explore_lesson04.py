"""The exploration behind lesson 04 (gradient descent): paths, drawings, widget and player.

Every path is compared with a descent written out by hand here, from the formulas of the
surfaces (or, for the quadratic and the bowl, with the closed form of the iterates).
"""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets import Dropdown, FloatLogSlider, IntSlider

from neuronet.course.explore.lesson04 import (
    DESCENT_SURFACES,
    descent_path,
    draw_descent,
    plot_iterates,
    quadratic,
)
from neuronet.course.player import player, widget

# The widget's learning-rate slider: 10**-4 ... 10**1; its two ends and its middle.
LR_MIN, LR_MAX = -4.0, 1.0
SLIDER_LRS = [10.0**LR_MIN, 10.0 ** ((LR_MIN + LR_MAX) / 2), 10.0**LR_MAX]

# Each surface of the dropdown, by hand: (value, gradient, minimum value).
HAND = {
    "quadratic": (lambda x: x**2, lambda x: 2.0 * x, 0.0),  # a = 2: C = x^2, C' = 2x
    "wavy": (
        lambda x: x**2 / 10.0 + np.sin(3.0 * x),
        lambda x: x / 5.0 + 3.0 * np.cos(3.0 * x),
        None,  # the global minimum is found numerically below
    ),
    "bowl": (
        lambda p: 0.5 * (p[0] ** 2 + 10.0 * p[1] ** 2),
        lambda p: np.array([p[0], 10.0 * p[1]]),
        0.0,
    ),
    "rosenbrock": (
        lambda p: (1.0 - p[0]) ** 2 + 100.0 * (p[1] - p[0] ** 2) ** 2,
        lambda p: np.array(
            [
                -2.0 * (1.0 - p[0]) - 400.0 * p[0] * (p[1] - p[0] ** 2),
                200.0 * (p[1] - p[0] ** 2),
            ]
        ),
        0.0,
    ),
}
STARTS = {"quadratic": [2.5], "wavy": [2.5], "bowl": [-2.5, 1.5], "rosenbrock": [-1.2, 1.0]}


def wavy_global_minimum_value() -> float:
    """Minimum of x^2/10 + sin 3x on [-4, 4] by a fine grid, then Newton on f'."""
    f, grad, _ = HAND["wavy"]
    grid = np.linspace(-4.0, 4.0, 80001)
    x = grid[np.argmin(f(grid))]
    for _ in range(20):
        x -= grad(x) / (0.2 - 9.0 * np.sin(3.0 * x))
    return float(f(x))


def hand_descent(name: str, lr: float, steps: int) -> tuple[np.ndarray, int | None]:
    """x <- x - lr grad(x), stopping at the first step whose point or value is not finite."""
    f, grad, _ = HAND[name]
    x = np.array(STARTS[name], dtype=np.float64)
    path = [x.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            x = x - lr * grad(x if x.size > 1 else x[0])
            if not (np.all(np.isfinite(x)) and np.isfinite(f(x if x.size > 1 else x[0]))):
                return np.array(path), k
            path.append(np.atleast_1d(x).copy())
    return np.array(path), None


def hand_values(name: str, path: np.ndarray) -> np.ndarray:
    f = HAND[name][0]
    return np.array([f(p if p.size > 1 else p[0]) for p in path], dtype=np.float64)


def minimum_value(name: str) -> float:
    value = HAND[name][2]
    return wavy_global_minimum_value() if value is None else value


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- the quadratic ------------------------------------------------------------------------------


def test_quadratic_value_and_gradient_by_hand():
    q = quadratic(4.0)
    assert q.f(1.5) == pytest.approx(0.5 * 4.0 * 1.5**2)  # 4.5
    assert q.gradient(1.5) == pytest.approx(6.0)
    eps = 1e-6
    numerical = (q.f(0.7 + eps) - q.f(0.7 - eps)) / (2 * eps)
    assert q.gradient(0.7) == pytest.approx(numerical, rel=1e-8)
    assert q.dim == 1 and q.name == "quadratic"
    np.testing.assert_array_equal(q.global_minimum, [0.0])


@pytest.mark.parametrize("a", [0.0, -1.0, float("inf")])
def test_quadratic_refuses_a_non_positive_curvature(a):
    with pytest.raises(ValueError, match="a must be a positive"):
        quadratic(a)


# --- descent_path ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [1e-4, 0.2, 0.5, 0.9, 1.0, 1.2])
def test_quadratic_path_is_the_geometric_sequence(lr):
    # theta_t = (1 - lr a)^t theta_0 with a = 2
    path, diverged_at = descent_path("quadratic", lr, 40)
    expected = 2.5 * (1.0 - 2.0 * lr) ** np.arange(41)
    assert diverged_at is None
    np.testing.assert_allclose(path[:, 0], expected, rtol=1e-12, atol=1e-300)


def test_quadratic_boundary_rate_bounces_forever():
    path, _ = descent_path(quadratic(4.0), 2.0 / 4.0, 10, x0=1.5)
    np.testing.assert_array_equal(path[:, 0], 1.5 * (-1.0) ** np.arange(11))


def test_quadratic_divergence_step_matches_the_overflow_of_the_cost():
    # lr = 10, a = 2: |theta_t| = 2.5 * 19^t and C = theta^2 overflows when
    # 2 log10 |theta_t| exceeds log10 of the largest double.
    limit = math.log10(np.finfo(np.float64).max)
    expected = next(t for t in range(1, 1000) if 2 * (math.log10(2.5) + t * math.log10(19)) > limit)
    path, diverged_at = descent_path("quadratic", 10.0, 500)
    assert diverged_at == expected
    assert path.shape == (expected, 1)
    np.testing.assert_allclose(np.abs(path[:, 0]), 2.5 * 19.0 ** np.arange(expected), rtol=1e-9)


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.19, 0.21])
def test_bowl_path_is_geometric_along_each_axis(lr):
    path, diverged_at = descent_path("bowl", lr, 30)
    t = np.arange(31)
    assert diverged_at is None
    np.testing.assert_allclose(path[:, 0], -2.5 * (1.0 - lr) ** t, rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], 1.5 * (1.0 - 10.0 * lr) ** t, rtol=1e-11, atol=1e-14)


@pytest.mark.parametrize("name", list(DESCENT_SURFACES))
@pytest.mark.parametrize("lr", SLIDER_LRS)
def test_path_matches_the_descent_by_hand(name, lr):
    path, diverged_at = descent_path(name, lr, 60)
    expected, expected_at = hand_descent(name, lr, 60)
    assert diverged_at == expected_at
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-12)


def test_path_starts_where_asked():
    path, _ = descent_path("wavy", 0.05, 3, x0=-1.0)
    assert path[0, 0] == -1.0
    assert path[1, 0] == pytest.approx(-1.0 - 0.05 * (-0.2 + 3.0 * np.cos(-3.0)))


def test_path_refuses_bad_arguments():
    with pytest.raises(ValueError, match="unknown surface 'hill'; valid surface names are"):
        descent_path("hill", 0.1, 10)
    with pytest.raises(TypeError, match="surface must be a Surface or a name, got int"):
        descent_path(3, 0.1, 10)
    with pytest.raises(ValueError, match="lr must be a positive finite number, got -0.1"):
        descent_path("bowl", -0.1, 10)
    with pytest.raises(ValueError, match="steps must be a positive integer, got 0"):
        descent_path("bowl", 0.1, 0)
    with pytest.raises(ValueError, match=r"x0 must have shape \(2,\) .* got shape \(3,\)"):
        descent_path("bowl", 0.1, 10, x0=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="x0 contains 1 non-finite value"):
        descent_path("quadratic", 0.1, 10, x0=float("nan"))


# --- draw_descent, for every option of the widget ------------------------------------------------


def path_line(ax):
    """The line of the path: the one labelled with the learning rate."""
    (line,) = [ln for ln in ax.lines if ln.get_label().startswith("η = ")]
    return line


@pytest.mark.parametrize("name", list(DESCENT_SURFACES))
@pytest.mark.parametrize("lr", SLIDER_LRS)
@pytest.mark.parametrize("steps", [5, 200])
def test_draw_descent_shows_the_path_the_costs_and_the_outcome(name, lr, steps):
    fig = draw_descent(name, lr, steps)
    expected, expected_at = hand_descent(name, lr, steps)
    ax_path, ax_cost = fig.axes
    assert ax_path.get_title() == f"path on {name}"

    line = path_line(ax_path)
    assert line.get_label() == f"η = {lr:.3g}"
    np.testing.assert_allclose(line.get_xdata(), expected[:, 0], rtol=1e-12, atol=1e-12)
    values = hand_values(name, expected)
    if expected.shape[1] == 2:
        np.testing.assert_allclose(line.get_ydata(), expected[:, 1], rtol=1e-12, atol=1e-12)
    else:  # points on the curve
        np.testing.assert_allclose(line.get_ydata(), values, rtol=1e-12, atol=1e-12)

    (cost,) = ax_cost.lines
    gap = values - minimum_value(name)
    with np.errstate(divide="ignore"):
        expected_log = np.where(gap > 0, np.log10(np.where(gap > 0, gap, 1.0)), np.nan)
    np.testing.assert_array_equal(cost.get_xdata(), np.arange(len(expected)))
    np.testing.assert_allclose(cost.get_ydata(), expected_log, rtol=1e-9, atol=1e-9)

    title = fig._suptitle.get_text()
    assert title.startswith(f"{name}, η = {lr:.3g}: ")
    if expected_at is not None:
        assert title.endswith(f"diverged at step {expected_at}")
    elif values[-1] < values[0]:
        assert f"cost fell from {values[0]:.3g} to {values[-1]:.3g} in {steps} steps" in title
    else:
        assert f"cost rose from {values[0]:.3g} to {values[-1]:.3g} in {steps} steps" in title


def test_draw_descent_reports_each_kind_of_outcome():
    assert draw_descent("rosenbrock", 0.1, 30)._suptitle.get_text().endswith("diverged at step 5")
    assert "cost rose from 6.25 to " in draw_descent("quadratic", 1.1, 30)._suptitle.get_text()
    assert "cost fell from 6.25 to " in draw_descent("quadratic", 0.4, 30)._suptitle.get_text()
    title = draw_descent("quadratic", 1.0, 30)._suptitle.get_text()
    assert title.endswith("cost stayed at 6.25 for 30 steps")  # theta bounces between +-2.5


def test_draw_descent_keeps_the_curve_in_view_when_the_points_run_away():
    fig = draw_descent("quadratic", 1.5, 20)  # theta_t = 2.5 * (-2)^t
    low, high = fig.axes[0].get_ylim()
    assert low < 0.0 and 9.0 < high < 10.0  # the curve x^2 on [-3, 3], with a margin


def test_draw_descent_step_zero_gap_is_left_out():
    # lr = 1/a jumps to the minimum in one step: the gap is exactly 0 and has no logarithm
    fig = draw_descent("quadratic", 0.5, 5)
    y = fig.axes[1].lines[0].get_ydata()
    assert y[0] == pytest.approx(np.log10(6.25))
    assert np.isnan(y[1:]).all()


def test_draw_descent_draws_into_a_given_figure():
    fig = plt.figure()
    assert draw_descent("bowl", 0.1, 10, fig=fig) is fig
    assert len(fig.axes) == 2


# --- plot_iterates ------------------------------------------------------------------------------


def test_plot_iterates_draws_one_line_per_run_and_the_minimum():
    runs = {"a": [2.0, 1.0, 0.5], "b": np.array([[2.0], [-1.0], [0.5]])}
    ax = plot_iterates(runs)
    assert [ln.get_label() for ln in ax.lines] == ["a", "b", "minimum"]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1, 2])
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [2.0, -1.0, 0.5])
    np.testing.assert_array_equal(ax.lines[2].get_ydata(), [0.0, 0.0])


def test_plot_iterates_refuses_bad_runs():
    with pytest.raises(ValueError, match="at least one run"):
        plot_iterates({})
    with pytest.raises(ValueError, match=r"iterates 'a' must be a 1-D sequence .* \(2, 2\)"):
        plot_iterates({"a": np.ones((2, 2))})


# --- the live widget and the player ---------------------------------------------------------------


def test_widget_redraws_for_every_surface_and_the_slider_ends():
    live = widget(
        draw_descent,
        surface=Dropdown(options=list(DESCENT_SURFACES), value="quadratic"),
        lr=FloatLogSlider(value=0.1, base=10, min=LR_MIN, max=LR_MAX),
        steps=IntSlider(value=30, min=5, max=500, step=5),
    )
    dropdown, slider, steps = live.children[:3]
    for name in DESCENT_SURFACES:
        for lr in SLIDER_LRS:
            plt.close("all")
            dropdown.value = name
            slider.value = lr
            steps.value = 40
            live.update()
            fig = plt.gcf()
            assert fig._suptitle.get_text().startswith(f"{name}, η = {lr:.3g}: ")
            expected, _ = hand_descent(name, lr, 40)
            line = path_line(fig.axes[0])
            np.testing.assert_allclose(line.get_xdata(), expected[:, 0], rtol=1e-12, atol=1e-12)
    assert live.result is None


def test_player_has_one_frame_per_learning_rate():
    rates = np.geomspace(0.02, 1.5, 4)
    html = player(draw_descent, "lr", rates, surface="quadratic", steps=20, figsize=(8, 3.6))
    assert html.data.count("data:image/png;base64") == len(rates)
