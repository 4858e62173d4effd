"""The exploration of lesson 05: mini-batch gradient descent on a line fit, and its figures."""

import matplotlib

matplotlib.use("Agg")

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets import FloatLogSlider, SelectionSlider
from matplotlib.container import ErrorbarContainer

from neuronet.course.explore.lesson05 import (
    BATCH_SIZES,
    START,
    draw_minibatch,
    fit_line,
    line_cost,
    line_data,
    line_gradient,
    plot_distance_to_solution,
    plot_gradient_noise,
    plot_loss_curves,
)
from neuronet.course.player import player, widget


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    return line_data()


def least_squares(x, y):
    """The minimizing (w, b) by NumPy's least squares, independent of the module."""
    theta, *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    return theta


def full_batch_path(x, y, lr, steps, start=START):
    """Full-batch gradient descent in matrix form: theta <- theta - lr (A theta - c)."""
    A = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    c = np.array([np.mean(x * y), np.mean(y)])
    theta, path = np.array(start, dtype=float), [np.array(start, dtype=float)]
    for _ in range(steps):
        theta = theta - lr * (A @ theta - c)
        path.append(theta)
    return np.array(path)


# --- data, cost and gradient ------------------------------------------------------------------


def test_line_data_is_reproducible_and_around_the_line():
    x, y = line_data(n_samples=2000, noise=0.5, seed=3)
    x2, y2 = line_data(n_samples=2000, noise=0.5, seed=3)
    assert x.shape == y.shape == (2000,)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    # With 2000 points the least-squares line is within a few standard errors of y = 2x - 1.
    w, b = least_squares(x, y)
    assert abs(w - 2.0) < 0.1 and abs(b + 1.0) < 0.1
    assert abs(np.std(y - (2 * x - 1)) - 0.5) < 0.05


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_samples": 0}, "n_samples"), ({"noise": -1.0}, "noise must be a finite number >= 0")],
)
def test_line_data_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        line_data(**kwargs)


def test_line_cost_is_half_the_mean_squared_error(data):
    x, y = data
    rng = np.random.default_rng(1)
    for w, b in rng.normal(0, 3, size=(5, 2)):
        direct = 0.5 * np.mean((w * x + b - y) ** 2)
        assert math.isclose(line_cost(w, b, x, y), direct, rel_tol=1e-12)
    gw, gb = np.meshgrid(np.linspace(-2, 4, 7), np.linspace(-3, 4, 5))
    grid = line_cost(gw, gb, x, y)
    assert grid.shape == (5, 7)
    direct = 0.5 * np.mean((gw[..., None] * x + gb[..., None] - y) ** 2, axis=-1)
    np.testing.assert_allclose(grid, direct, rtol=1e-12)


def test_line_gradient_matches_finite_differences_and_vanishes_at_least_squares(data):
    x, y = data
    w, b, h = 0.7, 1.3, 1e-6
    numerical = [
        (line_cost(w + h, b, x, y) - line_cost(w - h, b, x, y)) / (2 * h),
        (line_cost(w, b + h, x, y) - line_cost(w, b - h, x, y)) / (2 * h),
    ]
    np.testing.assert_allclose(line_gradient(w, b, x, y), numerical, rtol=1e-7)
    np.testing.assert_allclose(line_gradient(*least_squares(x, y), x, y), 0.0, atol=1e-12)


def test_line_cost_refuses_mismatched_data():
    with pytest.raises(ValueError, match=r"same length, got shapes \(3,\) and \(2,\)"):
        line_cost(1.0, 0.0, [1.0, 2.0, 3.0], [1.0, 2.0])


# --- fit_line ---------------------------------------------------------------------------------


@pytest.mark.parametrize("batch_size", ["full", None, 128, 500])
def test_full_batch_is_gradient_descent_in_matrix_form(data, batch_size):
    x, y = data
    run = fit_line(x, y, batch_size, lr=0.3, epochs=12)
    np.testing.assert_allclose(run.path, full_batch_path(x, y, 0.3, 12), rtol=1e-12, atol=1e-12)
    assert not run.diverged


def test_sgd_steps_on_one_sample_at_a_time_each_once_per_epoch(data):
    x, y = data
    lr, epochs = 0.05, 3
    run = fit_line(x, y, 1, lr=lr, epochs=epochs, seed=4)
    steps = np.diff(run.path, axis=0)
    assert len(steps) == epochs * x.size
    orders = []
    for epoch in range(epochs):
        used = []
        for k in range(epoch * x.size, (epoch + 1) * x.size):
            w, b = run.path[k]
            # A single-sample step is -lr r_i (x_i, 1): its w-part over its b-part is x_i.
            i = int(np.argmin(np.abs(x - steps[k, 0] / steps[k, 1])))
            expected = -lr * (w * x[i] + b - y[i]) * np.array([x[i], 1.0])
            np.testing.assert_allclose(steps[k], expected, rtol=1e-9, atol=1e-15)
            used.append(i)
        assert sorted(used) == list(range(x.size))
        orders.append(used)
    # Shuffled: not the stored order, and a new order every epoch.
    assert orders[0] != sorted(orders[0])
    assert orders[0] != orders[1] != orders[2]


@pytest.mark.parametrize("batch_size", [2, 16, 50])
def test_minibatch_run_counts_updates_and_records_epoch_costs(data, batch_size):
    x, y = data
    run = fit_line(x, y, batch_size, lr=0.1, epochs=4)
    per_epoch = -(-x.size // batch_size)
    assert run.path.shape == (4 * per_epoch + 1, 2)
    ends = run.path[::per_epoch]
    direct = [0.5 * np.mean((w * x + b - y) ** 2) for w, b in ends]
    np.testing.assert_allclose(run.losses, direct, rtol=1e-12)


def test_smaller_batches_get_closer_in_a_few_epochs_at_a_small_rate(data):
    x, y = data
    best = line_cost(*least_squares(x, y), x, y)
    gaps = [fit_line(x, y, m, lr=0.02, epochs=5).losses[-1] - best for m in (1, 8, "full")]
    assert gaps[0] < gaps[1] < gaps[2]


def test_a_too_large_learning_rate_diverges_and_stops(data):
    x, y = data
    run = fit_line(x, y, 1, lr=1.0, epochs=10)
    assert run.diverged
    assert np.abs(run.path[-1]).max() > 1e3
    assert np.abs(run.path[:-1]).max() <= 1e3
    assert len(run.path) < 10 * x.size + 1
    assert np.all(np.isfinite(run.losses))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": "half"}, "batch_size must be a positive integer or 'full', got 'half'"),
        ({"batch_size": 0}, "batch_size"),
        ({"lr": 0.0}, "lr"),
        ({"epochs": 0}, "epochs"),
    ],
)
def test_fit_line_refuses_bad_arguments(data, kwargs, message):
    x, y = data
    arguments = {"batch_size": 4, "lr": 0.1, "epochs": 2} | kwargs
    with pytest.raises(ValueError, match=message):
        fit_line(x, y, **arguments)


# --- the widget's drawing function ------------------------------------------------------------


def check_drawing(fig, batch_size, lr, x, y):
    ax_path, ax_loss = fig.axes[:2]
    n = x.size
    full = batch_size in ("full", None) or batch_size >= n
    label = f"full batch ({n})" if full else f"batch size {batch_size}"
    run = fit_line(x, y, batch_size, lr)
    # The path line is the run, and it is a full-batch gradient descent for the full option.
    path_line = ax_path.lines[0]
    np.testing.assert_allclose(path_line.get_xdata(), run.path[:, 0])
    np.testing.assert_allclose(path_line.get_ydata(), run.path[:, 1])
    if full:
        reference = full_batch_path(x, y, lr, 10)
        if np.abs(reference).max() <= 1e3:
            np.testing.assert_allclose(run.path, reference, rtol=1e-10)
    assert ax_path.collections, "the cost contours are missing"
    star = ax_path.lines[-1]
    np.testing.assert_allclose([star.get_xdata()[0], star.get_ydata()[0]], least_squares(x, y))
    title = ax_path.get_title()
    assert label in title and f"{lr:.3g}" in title
    if run.diverged:
        assert "diverged" in title
        assert any("diverged" in t.get_text() for t in ax_loss.texts)
    else:
        assert f"{len(run.path) - 1} updates" in title
    # Loss panel: the run, the full-batch comparison (unless this is full batch), the minimum.
    assert len(ax_loss.lines) == (2 if full else 3)
    np.testing.assert_allclose(ax_loss.lines[0].get_ydata(), run.losses)
    minimum = ax_loss.lines[-1].get_ydata()[0]
    assert math.isclose(minimum, line_cost(*least_squares(x, y), x, y), rel_tol=1e-9)


@pytest.mark.parametrize("batch_size", BATCH_SIZES)
def test_draw_minibatch_for_every_batch_size(data, batch_size):
    lr = 10**-1.5  # the middle of the learning-rate slider
    fig = draw_minibatch(batch_size, lr)
    check_drawing(fig, batch_size, lr, *data)


@pytest.mark.parametrize("batch_size", [1, "full"])
@pytest.mark.parametrize("lr", [1e-3, 1.0])
def test_draw_minibatch_at_the_ends_of_the_learning_rate_slider(data, batch_size, lr):
    fig = draw_minibatch(batch_size, lr)
    check_drawing(fig, batch_size, lr, *data)


def test_draw_minibatch_draws_into_a_given_figure_cleared_first():
    fig = plt.figure()
    fig.add_subplot().set_title("an earlier frame")
    assert draw_minibatch(4, 0.1, fig=fig) is fig
    assert len(fig.axes) == 2
    assert "batch size 4" in fig.axes[0].get_title()


def test_widget_redraws_for_the_chosen_batch_size_and_rate():
    live = widget(
        draw_minibatch,
        batch_size=SelectionSlider(options=BATCH_SIZES, value=16),
        lr=FloatLogSlider(value=0.1, base=10, min=-3, max=0),
    )
    live.children[0].value = "full"
    live.children[1].value = 0.01
    live.update()
    title = plt.gcf().axes[0].get_title()
    assert "full batch (128)" in title and "0.01" in title
    live.children[0].value = 2
    live.update()
    assert "batch size 2" in plt.gcf().axes[0].get_title()


def test_player_has_one_frame_per_batch_size():
    html = player(draw_minibatch, "batch_size", [1, "full"], lr=0.2, figsize=(8, 3.6)).data
    assert html.count("data:image/png;base64") == 2


# --- the lesson's other figures ---------------------------------------------------------------


def test_plot_loss_curves_per_epoch_and_per_update():
    curves = {"full": ([1.0, 0.8, 0.7], 1), "mini": ([1.0, 0.5, 0.3], 19)}
    fig = plot_loss_curves(curves, reference=0.7)
    ax_epoch, ax_update = fig.axes
    np.testing.assert_array_equal(ax_epoch.lines[1].get_xdata(), [0, 1, 2])
    np.testing.assert_array_equal(ax_epoch.lines[1].get_ydata(), [1.0, 0.5, 0.3])
    np.testing.assert_array_equal(ax_update.lines[1].get_xdata(), [19, 38])
    np.testing.assert_array_equal(ax_update.lines[1].get_ydata(), [0.5, 0.3])
    assert ax_update.get_xscale() == "log"
    assert ax_epoch.lines[-1].get_ydata()[0] == 0.7  # the reference line
    assert [t.get_text() for t in ax_epoch.get_legend().get_texts()] == ["full", "mini"]


@pytest.mark.parametrize(
    ("curves", "message"),
    [
        ({}, "at least one curve"),
        ({"a": ([1.0], 1)}, "loss before training and after each epoch"),
        ({"a": ([1.0, 0.5], 0)}, "updates per epoch of 'a'"),
    ],
)
def test_plot_loss_curves_refuses_bad_curves(curves, message):
    with pytest.raises(ValueError, match=message):
        plot_loss_curves(curves)


def test_plot_gradient_noise_draws_measurement_prediction_and_one_over_m():
    m = [1, 4, 16]
    fig = plot_gradient_noise(m, [0.4, 0.1, 0.03], [0.01, 0.003, 0.001], [0.41, 0.1, 0.024])
    ax = fig.axes[0]
    one_over_m, predicted = ax.lines[0], ax.lines[1]
    np.testing.assert_allclose(one_over_m.get_ydata(), [0.4, 0.1, 0.025])
    np.testing.assert_allclose(predicted.get_ydata(), [0.41, 0.1, 0.024])
    bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(bars) == 1
    np.testing.assert_allclose(bars[0].lines[0].get_ydata(), [0.4, 0.1, 0.03])
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"


def test_plot_gradient_noise_refuses_mismatched_arrays():
    with pytest.raises(ValueError, match=r"stderr must have one value per batch size"):
        plot_gradient_noise([1, 2], [0.2, 0.1], [0.01], [0.2, 0.1])


def test_plot_distance_to_solution_one_panel_per_setting():
    panels = {
        "constant": {"explicit": [5.0, 50.0, 500.0], "implicit": [5.0, 1.0, 0.5, 0.4]},
        "decreasing": {"implicit": [5.0, 0.1]},
    }
    fig = plot_distance_to_solution(panels)
    left, right = fig.axes
    assert [left.get_title(), right.get_title()] == ["constant", "decreasing"]
    assert len(left.lines) == 2 and len(right.lines) == 1
    np.testing.assert_array_equal(left.lines[1].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(left.lines[1].get_ydata(), [1.0, 0.5, 0.4])
    assert left.get_yscale() == "log" and left.get_xscale() == "log"


@pytest.mark.parametrize(
    ("panels", "message"),
    [({}, "at least one panel"), ({"p": {"run": [1.0, 0.0]}}, "positive numbers")],
)
def test_plot_distance_to_solution_refuses_bad_runs(panels, message):
    with pytest.raises(ValueError, match=message):
        plot_distance_to_solution(panels)


def test_what_the_lesson_says_about_the_ends_of_the_learning_rate_slider(data):
    x, y = data
    # eta = 1 is beyond 2 / lambda_max of the bowl (the Hessian of the cost, computed directly).
    hessian = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    assert 2 / np.linalg.eigvalsh(hessian).max() < 1.0
    assert all(fit_line(x, y, m, lr=1.0).diverged for m in (1, 2, 4, 8, 16))
    full = fit_line(x, y, "full", lr=1.0)
    assert full.losses[-1] > full.losses[-2] > full.losses[-3]  # climbing out of the bowl
    # At eta = 0.001 full batch hardly moves; SGD, with 128 times more steps, moves more.
    crawl = fit_line(x, y, "full", lr=1e-3)
    assert crawl.losses[-1] > 0.99 * crawl.losses[0]
    sgd = fit_line(x, y, 1, lr=1e-3)
    assert sgd.losses[-1] < crawl.losses[-1]
