r"""Lesson 05: batch, mini-batch and stochastic gradient descent, seen on a line fit.

The exploration fits a straight line :math:`\hat y = w x + b` to noisy points with the quadratic
cost

.. math::

    C(w, b) = \frac{1}{n} \sum_{i=1}^{n} \tfrac12 (w x_i + b - y_i)^2 ,

whose two parameters make a picture: the cost is a bowl over the :math:`(w, b)` plane, with
elliptical contours, and every update of gradient descent is a point on it. Full-batch gradient
descent walks smoothly down the bowl, one step per pass over the data; stochastic gradient
descent takes :math:`n` small noisy steps per pass, each one downhill for a single point, and
zig-zags; mini-batches sit in between.

The other functions draw the lesson's figures from results computed in the notebook: loss curves
of several batch sizes, the variance of the mini-batch gradient against the batch size, and the
distance of explicit and implicit SGD from the least-squares solution.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from matplotlib.figure import Figure

from neuronet.course.player import figure_for
from neuronet.course.plots import PALETTE, SEQUENTIAL_CMAP, plot_losses
from neuronet.optimizers import SGD
from neuronet.training import train
from neuronet.validation import TrainingDivergedError, as_finite_array, check_positive

__all__ = [
    "BATCH_SIZES",
    "LineRun",
    "draw_minibatch",
    "fit_line",
    "line_cost",
    "line_data",
    "line_gradient",
    "plot_distance_to_solution",
    "plot_gradient_noise",
    "plot_loss_curves",
]

#: The batch sizes of the widget and the player; ``"full"`` is full-batch gradient descent.
BATCH_SIZES: tuple[int | str, ...] = (1, 2, 4, 8, 16, 32, 64, "full")

#: Where :func:`fit_line` starts, far enough from the minimum for the paths to show.
START = (-1.0, 3.0)

#: The part of the :math:`(w, b)` plane that :func:`draw_minibatch` shows.
DOMAIN = ((-2.0, 4.0), (-3.0, 4.0))

# A run is declared diverged once a parameter leaves this range (far outside the picture), which
# also stops it long before NumPy would overflow.
_DIVERGED = 1e3


def line_data(
    n_samples: int = 128, noise: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    r"""Noisy points around the line :math:`y = 2x - 1`.

    The inputs are :math:`x \sim N(1, 0.5^2)`, not centred, so that :math:`w` and :math:`b`
    are correlated and the cost's contours are tilted, elongated ellipses (a mildly
    ill-conditioned bowl, like real costs); the targets are :math:`y = 2x - 1 + \varepsilon`
    with :math:`\varepsilon \sim N(0, \text{noise}^2)`.

    Parameters
    ----------
    n_samples : int
        Number of points :math:`n`.
    noise : float
        Standard deviation of :math:`\varepsilon`.
    seed : int
        Seed of the random generator.

    Returns
    -------
    x, y : numpy.ndarray
        Inputs and targets, each of shape ``(n_samples,)``.

    Raises
    ------
    ValueError
        If ``n_samples`` is not a positive integer or ``noise`` is negative.
    """
    n_samples = check_positive(n_samples, "n_samples", integer=True)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    x = rng.normal(1.0, 0.5, n_samples)
    y = 2.0 * x - 1.0 + rng.normal(0.0, noise, n_samples)
    return x, y


def _xy(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = as_finite_array(x, "x", dtype=np.float64)
    y = as_finite_array(y, "y", dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0:
        raise ValueError(
            f"x and y must be non-empty 1-D arrays of the same length, got shapes {x.shape} "
            f"and {y.shape}"
        )
    return x, y


def line_cost(w: Any, b: Any, x: Any, y: Any) -> np.ndarray | float:
    r"""The quadratic cost :math:`C(w, b) = \frac1n \sum_i \frac12 (w x_i + b - y_i)^2`.

    Parameters
    ----------
    w, b : float or array_like
        Slope and intercept; arrays of the same shape (a grid) give one cost per point.
    x, y : array_like
        The data, 1-D arrays of the same length.

    Returns
    -------
    float or numpy.ndarray
        The cost, with the shape of ``w`` and ``b``.

    Raises
    ------
    ValueError
        If the data are not 1-D arrays of equal length.
    """
    x, y = _xy(x, y)
    w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
    # Expanding the square turns the sum over the data into five moments, so a whole grid of
    # (w, b) costs no more than one point: mean((w x + b - y)^2) =
    # w^2 <x^2> + b^2 + <y^2> + 2 w b <x> - 2 w <xy> - 2 b <y>.
    mx, my, mxx, mxy, myy = x.mean(), y.mean(), (x * x).mean(), (x * y).mean(), (y * y).mean()
    mse = w * w * mxx + b * b + myy + 2 * w * b * mx - 2 * w * mxy - 2 * b * my
    cost = 0.5 * np.maximum(mse, 0.0)  # rounding can push an exact fit a hair below zero
    return float(cost) if cost.ndim == 0 else cost


def line_gradient(w: float, b: float, x: Any, y: Any) -> np.ndarray:
    r"""The gradient of :func:`line_cost` on the samples ``x, y`` (a batch or all of them).

    With the residuals :math:`r_i = w x_i + b - y_i` of the :math:`m` samples,

    .. math::

        \frac{\partial C}{\partial w} = \frac1m \sum_i r_i x_i, \qquad
        \frac{\partial C}{\partial b} = \frac1m \sum_i r_i .

    Parameters
    ----------
    w, b : float
        Slope and intercept.
    x, y : array_like
        The samples, 1-D arrays of the same length.

    Returns
    -------
    numpy.ndarray
        ``[dC/dw, dC/db]``.
    """
    x, y = _xy(x, y)
    r = w * x + b - y
    return np.array([np.mean(r * x), np.mean(r)])


class LineRun(NamedTuple):
    """The record of :func:`fit_line`.

    Attributes
    ----------
    path : numpy.ndarray
        ``(updates + 1, 2)``: the start, then :math:`(w, b)` after every update.
    losses : numpy.ndarray
        The cost on all the data at the start and after every completed epoch.
    diverged : bool
        True if the parameters left :math:`[-10^3, 10^3]`, which stopped the run.
    """

    path: np.ndarray
    losses: np.ndarray
    diverged: bool


def _batch_size(batch_size: int | str | None, n: int) -> int:
    """Read ``None`` or ``"full"`` as ``n`` and check anything else is a positive integer."""
    if batch_size is None or batch_size == "full":
        return n
    if isinstance(batch_size, str):
        raise ValueError(f"batch_size must be a positive integer or 'full', got {batch_size!r}")
    return min(check_positive(batch_size, "batch_size", integer=True), n)


def fit_line(
    x: Any,
    y: Any,
    batch_size: int | str | None,
    lr: float,
    epochs: int = 10,
    start: tuple[float, float] = START,
    seed: int = 0,
) -> LineRun:
    r"""Fit :math:`\hat y = w x + b` by mini-batch gradient descent and record every update.

    The package's training loop (:func:`neuronet.training.train`, one generator for the whole
    run) shuffles the data every epoch and takes one step
    :math:`\theta \leftarrow \theta - \eta\, \nabla C_B(\theta)` per batch :math:`B`, with the
    gradient of :func:`line_gradient` on that batch.

    Parameters
    ----------
    x, y : array_like
        The data, 1-D arrays of the same length :math:`n`.
    batch_size : int, "full" or None
        Samples per update: 1 is stochastic gradient descent, ``"full"`` (or None, or any
        number :math:`\ge n`) full-batch gradient descent.
    lr : float
        The learning rate :math:`\eta`.
    epochs : int
        Passes over the data.
    start : (float, float)
        The initial :math:`(w, b)`.
    seed : int
        Seed of the shuffling.

    Returns
    -------
    LineRun
        The path, the cost after every epoch, and whether the run diverged. A diverged run
        stops at the update that left the range; its ``losses`` cover the completed epochs.

    Raises
    ------
    ValueError
        For invalid data, a batch size that is neither a positive integer nor ``"full"``, or a
        learning rate or number of epochs that is not positive.
    """
    x, y = _xy(x, y)
    m = _batch_size(batch_size, x.size)
    optimizer = SGD(float(check_positive(lr, "lr")))
    epochs = check_positive(epochs, "epochs", integer=True)
    line = _Line(start)
    losses = [line_cost(*line.theta, x, y)]
    try:
        train(
            line, x, y, optimizer, epochs, m, np.random.default_rng(seed),
            end_of_epoch=lambda epoch, history: losses.append(line_cost(*line.theta, x, y)),
        )  # fmt: skip
        diverged = False
    except TrainingDivergedError:
        diverged = True
    path = line.path if diverged else [*line.path, line.theta]
    return LineRun(np.array(path), np.array(losses), diverged)


class _Line:
    """The line :math:`\\hat y = w x + b` as a model that :func:`neuronet.training.train` trains.

    It records every point :math:`(w, b)` that a step starts from, and reports a run whose
    parameters leave :math:`[-10^3, 10^3]` as diverged (an infinite cost), before it overflows.
    """

    def __init__(self, start: tuple[float, float]) -> None:
        self.theta = np.array(start, dtype=np.float64)
        self.path: list[np.ndarray] = []
        self._gradient = np.zeros(2)

    def parameters(self) -> list[np.ndarray]:
        return [self.theta]

    def gradients(self) -> list[np.ndarray]:
        return [self._gradient]

    def backprop(self, x: np.ndarray, y: np.ndarray) -> float:
        self.path.append(self.theta.copy())
        if np.abs(self.theta).max() > _DIVERGED:
            return math.inf
        self._gradient = line_gradient(self.theta[0], self.theta[1], x, y)
        return float(line_cost(*self.theta, x, y))


def _batch_label(batch_size: int | str | None, n: int) -> str:
    m = _batch_size(batch_size, n)
    return f"full batch ({n})" if m == n else f"batch size {m}"


def draw_minibatch(
    batch_size: int | str | None = 16,
    lr: float = 0.1,
    fig: Figure | None = None,
    epochs: int = 10,
    seed: int = 0,
) -> Figure:
    r"""The exploration of lesson 05: one batch size and learning rate on the line fit.

    Left: the contours of the cost :math:`C(w, b)` of :func:`line_data`, the least-squares
    minimum (a star) and the path of :func:`fit_line` from :data:`START`, one point per
    update. Right: the cost after every epoch, for this batch size and, for comparison, for
    full-batch gradient descent with the same learning rate, on a log scale, above the minimum.

    Parameters
    ----------
    batch_size : int, "full" or None
        Samples per update (one of :data:`BATCH_SIZES` in the widget).
    lr : float
        The learning rate :math:`\eta`.
    fig : matplotlib.figure.Figure, optional
        Draw into this figure (cleared first); a new one when None.
    epochs : int
        Passes over the data.
    seed : int
        Seed of the shuffling.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes. The path axes has the contour set, the path line, its start and end markers
        and the minimum; the loss axes has one line per run and a dotted line at the minimum.
    """
    x, y = line_data()
    n = x.size
    run = fit_line(x, y, batch_size, lr, epochs=epochs, seed=seed)
    full = fit_line(x, y, "full", lr, epochs=epochs, seed=seed)
    slope, intercept = np.polyfit(x, y, 1)  # the least-squares line, computed independently
    best = line_cost(slope, intercept, x, y)
    label = _batch_label(batch_size, n)
    color = PALETTE[1]  # vermillion stands out on the blue-yellow contours

    fig = figure_for(fig, (8.0, 3.6))
    ax_path, ax_loss = fig.subplots(1, 2)
    ws = np.linspace(*DOMAIN[0], 120)
    bs = np.linspace(*DOMAIN[1], 120)
    gw, gb = np.meshgrid(ws, bs)
    costs = line_cost(gw, gb, x, y)
    levels = best + np.geomspace(1e-3, 1.0, 14) * (costs.max() - best)
    ax_path.contour(gw, gb, costs, levels=levels, cmap=SEQUENTIAL_CMAP, linewidths=0.7)
    path = run.path
    ax_path.plot(path[:, 0], path[:, 1], "-", color=color, lw=0.9, alpha=0.85, label=label)
    ax_path.plot(*path[0], "o", ms=8, mfc="white", mec=color, mew=2)
    ax_path.plot(*path[-1], "s", ms=7, color=color)
    ax_path.plot(slope, intercept, "*", color="k", ms=13, ls="none", label="least squares")
    ax_path.set_xlim(*DOMAIN[0])
    ax_path.set_ylim(*DOMAIN[1])
    ax_path.set_xlabel("slope $w$")
    ax_path.set_ylabel("intercept $b$")
    updates = len(path) - 1
    status = "diverged" if run.diverged else f"{updates} updates"
    ax_path.set_title(f"{label}, $\\eta$ = {lr:.3g}: {status}")
    ax_path.legend(loc="lower left", fontsize="small", frameon=True)

    epochs_done = np.arange(run.losses.size)
    ax_loss.plot(epochs_done, run.losses, "-o", ms=3, color=color, label=label)
    if _batch_size(batch_size, n) != n:
        ax_loss.plot(
            np.arange(full.losses.size), full.losses, "--", color="0.45", label="full batch"
        )
    ax_loss.axhline(best, color="k", ls=":", lw=1.2, label="minimum")
    if run.diverged:
        ax_loss.text(
            0.5,
            0.5,
            f"diverged at update {updates}",
            transform=ax_loss.transAxes,
            ha="center",
            va="center",
            color=color,
        )
    ax_loss.set_yscale("log")
    ax_loss.set_xlim(0, epochs)
    ax_loss.set_xlabel("epoch (passes over the data)")
    ax_loss.set_ylabel("cost $C(w, b)$")
    ax_loss.set_title("cost after each epoch")
    ax_loss.legend(loc="best", fontsize="small")
    return fig


def plot_loss_curves(
    curves: Mapping[str, tuple[Any, int]],
    reference: float | None = None,
    fig: Figure | None = None,
) -> Figure:
    """Training loss of several runs against passes over the data and against updates.

    Both panels are drawn by :func:`neuronet.course.plots.plot_losses`.

    Parameters
    ----------
    curves : mapping
        Label to ``(losses, updates_per_epoch)``, where ``losses[k]`` is the training loss after
        ``k`` epochs (``losses[0]`` before training).
    reference : float, optional
        A loss level drawn as a dotted horizontal line on both panels (for example what full
        batch reaches at the end).
    fig : matplotlib.figure.Figure, optional
        Draw into this figure (cleared first); a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, "per epoch" and "per update", with one line per run (plus the reference
        line). The update axis is logarithmic, so it starts after the first epoch.

    Raises
    ------
    ValueError
        If there are no curves, a curve has fewer than two values or a non-positive number of
        updates per epoch.
    """
    if not curves:
        raise ValueError("plot_loss_curves needs at least one curve, got none")
    per_epoch, per_update = {}, {}
    for label, (losses, updates) in curves.items():
        losses = as_finite_array(losses, f"losses of {label!r}", dtype=np.float64)
        if losses.ndim != 1 or losses.size < 2:
            raise ValueError(
                f"losses of {label!r} must be a 1-D array with the loss before training and "
                f"after each epoch, got shape {losses.shape}"
            )
        updates = check_positive(updates, f"updates per epoch of {label!r}", integer=True)
        per_epoch[label] = losses
        per_update[label] = (updates * np.arange(1, losses.size), losses[1:])
    fig = figure_for(fig, (8.0, 3.4))
    ax_epoch, ax_update = fig.subplots(1, 2, sharey=True)
    plot_losses(
        per_epoch,
        ax_epoch,
        first_epoch=0,
        reference=reference,
        xlabel="epoch (passes over the data)",
        ylabel="training loss",
        title="per pass over the data",
    )
    plot_losses(
        per_update,
        ax_update,
        xscale="log",
        reference=reference,
        xlabel="parameter updates",
        ylabel=None,
        title="per update",
        legend=False,
    )
    return fig


def plot_gradient_noise(
    batch_sizes: Sequence[int],
    measured: Any,
    stderr: Any,
    predicted: Any,
    fig: Figure | None = None,
) -> Figure:
    r"""The variance of the mini-batch gradient against the batch size, on log-log axes.

    Parameters
    ----------
    batch_sizes : sequence of int
        The batch sizes :math:`m`.
    measured : array_like
        The measured mean squared distance :math:`E\lVert g_B - \nabla C\rVert^2` for each
        :math:`m`.
    stderr : array_like
        The standard error of each measurement; drawn as error bars of two standard errors.
    predicted : array_like
        The predicted value for each :math:`m`.
    fig : matplotlib.figure.Figure, optional
        Draw into this figure (cleared first); a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with the measurements (an error-bar container), the prediction and a dashed
        :math:`1/m` line through the first measurement.

    Raises
    ------
    ValueError
        If the arrays do not all have one value per batch size.
    """
    m = as_finite_array(batch_sizes, "batch_sizes", dtype=np.float64)
    arrays = [
        as_finite_array(a, name, dtype=np.float64)
        for a, name in ((measured, "measured"), (stderr, "stderr"), (predicted, "predicted"))
    ]
    for arr, name in zip(arrays, ("measured", "stderr", "predicted"), strict=True):
        if arr.shape != m.shape or m.ndim != 1:
            raise ValueError(
                f"{name} must have one value per batch size ({m.shape}), got shape {arr.shape}"
            )
    measured, stderr, predicted = arrays
    fig = figure_for(fig, (5.5, 3.8))
    ax = fig.subplots()
    ax.plot(m, measured[0] / m, "--", color="0.5", lw=1.2, label="$1/m$")
    ax.plot(m, predicted, "-", color=PALETTE[1], label="predicted")
    ax.errorbar(
        m,
        measured,
        yerr=2 * stderr,
        fmt="o",
        color=PALETTE[0],
        capsize=3,
        label="measured ($\\pm$2 s.e.)",
    )
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("batch size $m$")
    ax.set_ylabel("$E\\,\\|g_B - \\nabla C\\|^2$")
    ax.set_title("gradient noise vs batch size")
    ax.legend()
    return fig


def plot_distance_to_solution(
    panels: Mapping[str, Mapping[str, Any]], fig: Figure | None = None
) -> Figure:
    r"""Distance to a solution after every update, one panel per setting, log-log axes.

    Parameters
    ----------
    panels : mapping
        Panel title to a mapping from a run's label to its distances
        :math:`\lVert \theta_t - \theta^\star \rVert` for :math:`t = 0, 1, \ldots` (a diverged
        run may be shorter). The start, :math:`t = 0`, has no place on a log axis and is not
        drawn.
    fig : matplotlib.figure.Figure, optional
        Draw into this figure (cleared first); a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel, side by side, sharing the y axis, with one line per run.

    Raises
    ------
    ValueError
        If there are no panels, or a run has no update or a distance that is not positive.
    """
    if not panels:
        raise ValueError("plot_distance_to_solution needs at least one panel, got none")
    fig = figure_for(fig, (8.0, 3.4))
    axes = np.atleast_1d(fig.subplots(1, len(panels), sharey=True))
    for ax, (title, runs) in zip(axes, panels.items(), strict=True):
        for k, (label, dist) in enumerate(runs.items()):
            dist = as_finite_array(dist, f"distances of {label!r}", dtype=np.float64)
            if dist.ndim != 1 or dist.size < 2 or (dist <= 0).any():
                raise ValueError(
                    f"distances of {label!r} must be a 1-D array of positive numbers, from the "
                    f"start and after at least one update, got {dist.size} value(s)"
                )
            t = np.arange(1, dist.size)
            ax.plot(t, dist[1:], color=PALETTE[k % len(PALETTE)], lw=1.2, label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("update $t$")
        ax.set_title(str(title))
        ax.legend()
    axes[0].set_ylabel("$\\|\\theta_t - \\theta_{LS}\\|$")
    return fig
