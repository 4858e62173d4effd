r"""Lesson 08: optimizers racing on the test surfaces.

Every optimizer of :mod:`neuronet.optimizers` turns the gradient into a step in its own way:
plain SGD, :math:`\theta \leftarrow \theta - \eta g`; momentum and Nesterov with a velocity;
averaged SGD with a running mean of its iterates; AdaGrad, RMSProp and Adam with a step size per
coordinate. Their behaviour is easiest to see on the two-variable surfaces of
:mod:`neuronet.landscapes`, where a path can be drawn on the contour map.

:func:`draw_optimizer_path` is the drawing behind the lesson's widget and player: one optimizer,
one learning rate, one surface, the path and the cost at every step. :func:`race` and
:func:`draw_race` put several optimizers on one map. Learning rates are not comparable across
optimizers (for AdaGrad, RMSProp and Adam :math:`\eta` is roughly a step *length*, for SGD a
multiplier of the gradient), so each optimizer gets its own rate for each surface,
:data:`TUNED_LR`, the best of a coarse grid by the rule of :func:`best_lr`.

The other helpers support the lesson's experiments: :func:`noisy_descent` adds seeded noise to
the gradient (the situation averaged SGD is made for), :func:`steps_to_reach` counts steps to a
cost level, and :func:`plot_lr_sweep` draws a learning-rate sweep (loss curves are drawn by
:func:`neuronet.course.plots.plot_losses`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from neuronet.course.player import figure_for
from neuronet.course.plots import LINE_COLORS, PALETTE, STYLE, axes_for, plot_contour_path
from neuronet.landscapes import SURFACES, Surface, descend, get_surface
from neuronet.network import MLP
from neuronet.optimizers import AdaGrad, Optimizer, RMSProp, get_optimizer
from neuronet.validation import TrainingDivergedError, as_finite_array, check_positive

__all__ = [
    "LR_GRID",
    "OPTIMIZER_SURFACES",
    "STEPS",
    "TUNED_LR",
    "best_lr",
    "draw_optimizer_path",
    "draw_race",
    "effective_rates",
    "noisy_descent",
    "optimizer_path",
    "plot_effective_rates",
    "plot_lr_sweep",
    "race",
    "steps_to_reach",
    "training_losses",
]

#: The surfaces of the lesson's dropdown: the elongated ``bowl``, Rosenbrock's curved valley,
#: Beale's plateau and the ``saddle``.
#:
#: :meta hide-value:
OPTIMIZER_SURFACES: dict[str, Surface] = {
    name: SURFACES[name] for name in ("bowl", "rosenbrock", "beale", "saddle")
}

#: Number of steps shown on each surface.
STEPS: dict[str, int] = {"bowl": 100, "rosenbrock": 500, "beale": 300, "saddle": 100}

#: The learning rates tried by :func:`best_lr`: :math:`10^{-4}, 10^{-3.5}, \dots, 1`.
LR_GRID: tuple[float, ...] = tuple(10.0 ** (k / 2) for k in range(-8, 1))

#: For each surface and optimizer, the rate of :data:`LR_GRID` chosen by :func:`best_lr` for
#: :data:`STEPS` steps from the surface's start (tests/test_explore_optimizers.py recomputes it).
TUNED_LR: dict[str, dict[str, float]] = {
    "bowl": {
        "sgd": LR_GRID[6],
        "momentum": LR_GRID[5],
        "nesterov": LR_GRID[6],
        "averaged_sgd": LR_GRID[6],
        "adagrad": LR_GRID[8],
        "rmsprop": LR_GRID[6],
        "adam": LR_GRID[8],
    },
    "rosenbrock": {
        "sgd": LR_GRID[3],
        "momentum": LR_GRID[3],
        "nesterov": LR_GRID[2],
        "averaged_sgd": LR_GRID[3],
        "adagrad": LR_GRID[8],
        "rmsprop": LR_GRID[5],
        "adam": LR_GRID[8],
    },
    "beale": {
        "sgd": LR_GRID[5],
        "momentum": LR_GRID[3],
        "nesterov": LR_GRID[3],
        "averaged_sgd": LR_GRID[5],
        "adagrad": LR_GRID[8],
        "rmsprop": LR_GRID[5],
        "adam": LR_GRID[7],
    },
    "saddle": {
        "sgd": LR_GRID[7],
        "momentum": LR_GRID[7],
        "nesterov": LR_GRID[7],
        "averaged_sgd": LR_GRID[7],
        "adagrad": LR_GRID[8],
        "rmsprop": LR_GRID[6],
        "adam": LR_GRID[8],
    },
}

# In best_lr, cost gaps below this count as arrived.
_AT_MINIMUM = 1e-10

# Contour levels of draw_optimizer_path: fewer than plot_contour_path's 30 keep the player's
# frames light.
_LEVELS = 20


def _name(optimizer: Any) -> str:
    """The registry name of an optimizer given by name, class or instance."""
    if isinstance(optimizer, str):
        return get_optimizer(optimizer).name
    return optimizer.name


def _resolve(optimizer: Any, lr: float | None, surface: Surface) -> Optimizer:
    """An optimizer object: a name or class with ``lr`` (tuned when None), or an instance."""
    if isinstance(optimizer, Optimizer):
        if lr is not None:
            raise ValueError(
                f"lr={lr!r} cannot be applied to the optimizer object {optimizer!r}; pass its "
                "name instead, or set its learning rate when you create it"
            )
        return optimizer
    if lr is None:
        name = _name(optimizer)
        if surface.name not in TUNED_LR or name not in TUNED_LR[surface.name]:
            raise ValueError(
                f"no tuned learning rate for {name!r} on {surface.name!r}; give lr (tuned "
                f"rates exist for the surfaces {', '.join(TUNED_LR)})"
            )
        lr = TUNED_LR[surface.name][name]
    return get_optimizer(optimizer, lr=lr)


def _steps(steps: int | None, surface: Surface) -> int:
    if steps is None:
        return STEPS.get(surface.name, 100)
    return check_positive(steps, "steps", integer=True)


def _values(surface: Surface, path: np.ndarray) -> np.ndarray:
    """The surface at each point of a path of shape ``(n, dim)``, as shape ``(n,)``."""
    points = path[:, 0] if surface.dim == 1 else path
    return np.asarray(surface.f(points), dtype=np.float64).reshape(len(path))


def optimizer_path(
    optimizer: Any,
    lr: float | None = None,
    surface: Any = "rosenbrock",
    steps: int | None = None,
    x0: Any = None,
) -> tuple[np.ndarray, int | None]:
    r"""Run an optimizer on a surface and return its path, stopping where it diverges.

    At every step the gradient at the current point goes to ``optimizer.step([x], [g])``, as in
    :func:`neuronet.landscapes.descend`; the optimizer is reset first. Unlike ``descend``, a
    point or value that overflows to infinity or NaN ends the path instead of raising, and the
    step at which it happened is returned.

    Parameters
    ----------
    optimizer : str, Optimizer class or Optimizer
        A name from :data:`neuronet.optimizers.OPTIMIZERS` (or a class), created with
        learning rate ``lr``, or an optimizer object (then ``lr`` must be None).
    lr : float or None
        The learning rate :math:`\eta`; None takes :data:`TUNED_LR` for this surface.
    surface : Surface or str
        A surface or its name in :data:`neuronet.landscapes.SURFACES`.
    steps : int or None
        Number of steps; None takes :data:`STEPS` for this surface (100 for others).
    x0 : array_like, optional
        The starting point; ``surface.start`` by default.

    Returns
    -------
    path : numpy.ndarray
        The finite points :math:`x_0, x_1, \dots`, shape ``(n, dim)``, with ``n = steps + 1``
        unless the run diverged.
    diverged_at : int or None
        The step whose point (or value) was no longer finite, or None.

    Raises
    ------
    ValueError
        If a name is unknown, ``lr`` is not positive or is given with an optimizer object, no
        tuned rate exists for ``lr=None``, or ``steps`` or ``x0`` is invalid.
    """
    surface = get_surface(surface)
    opt = _resolve(optimizer, lr, surface)
    x = surface.start if x0 is None else x0
    try:
        return descend(surface, x, opt, _steps(steps, surface)), None
    except TrainingDivergedError as error:
        return error.path, error.step


def best_lr(
    optimizer: Any,
    surface: Any,
    steps: int | None = None,
    grid: Sequence[float] = LR_GRID,
) -> float:
    r"""The learning rate of ``grid`` that keeps the cost lowest over a run of ``steps`` steps.

    Each rate runs ``steps`` steps from ``surface.start`` (:func:`optimizer_path`) and is scored
    by the mean, over the points of the path, of :math:`\log_{10}(f(x_t) - f^\star)`, the
    area under the curve of the right panel of :func:`draw_optimizer_path`: it rewards getting
    down fast and staying down. Gaps below :math:`10^{-10}` count as :math:`10^{-10}` (the run
    has arrived), and a run that diverges scores :math:`+\infty`. Among equal scores the
    smallest rate wins.

    Parameters
    ----------
    optimizer : str or Optimizer class
        The optimizer, with its other hyper-parameters at their defaults.
    surface : Surface or str
        The surface.
    steps : int or None
        The step budget; None takes :data:`STEPS`.
    grid : sequence of float
        The rates to try, in increasing order.

    Returns
    -------
    float
        The chosen rate, an element of ``grid``.

    Raises
    ------
    ValueError
        If ``grid`` is empty or not increasing, or as :func:`optimizer_path`.
    """
    surface = get_surface(surface)
    rates = as_finite_array(grid, "grid", dtype=np.float64)
    if rates.ndim != 1 or rates.size == 0 or np.any(np.diff(rates) <= 0):
        raise ValueError(f"grid must be a non-empty increasing sequence of rates, got {grid!r}")
    floor = float(_values(surface, surface.global_minimum[None, :])[0])
    scores = []
    for lr in rates:
        path, diverged_at = optimizer_path(optimizer, float(lr), surface, steps)
        if diverged_at is not None:
            scores.append(np.inf)
        else:
            gap = _values(surface, path) - floor
            scores.append(float(np.mean(np.log10(np.maximum(gap, _AT_MINIMUM)))))
    return float(rates[int(np.argmin(scores))])


def steps_to_reach(surface: Any, path: Any, level: float) -> int | None:
    """The first step at which the cost is below ``level``, or None if it never is.

    Parameters
    ----------
    surface : Surface or str
        The surface the path ran on.
    path : array_like
        Points of shape ``(n, dim)``, row 0 the start (as returned by
        :func:`optimizer_path` or :func:`neuronet.landscapes.descend`).
    level : float
        The cost level.

    Returns
    -------
    int or None
        The index ``k`` of the first point with :math:`f(x_k) < \\text{level}`.

    Raises
    ------
    ValueError
        If the path does not have shape ``(n, dim)``.
    """
    surface = get_surface(surface)
    path = as_finite_array(path, "path", dtype=np.float64)
    if path.ndim != 2 or path.shape[1] != surface.dim:
        raise ValueError(
            f"path must have shape (n, {surface.dim}) for {surface.name!r}, got {path.shape}"
        )
    below = np.flatnonzero(_values(surface, path) < level)
    return int(below[0]) if below.size else None


def race(
    surface: Any,
    optimizers: Sequence[str] | Mapping[str, Optimizer],
    steps: int | None = None,
    x0: Any = None,
) -> dict[str, np.ndarray]:
    """Run several optimizers from the same start and return their paths.

    Parameters
    ----------
    surface : Surface or str
        The surface.
    optimizers : sequence of str, or mapping of str to Optimizer
        Names, each run at its rate in :data:`TUNED_LR` and labelled ``"name, η = ..."``; or a
        mapping from labels to optimizer objects.
    steps : int or None
        Number of steps; None takes :data:`STEPS`.
    x0 : array_like, optional
        The common start; ``surface.start`` by default.

    Returns
    -------
    dict of str to numpy.ndarray
        Label to path, shape ``(n, dim)`` (shorter when a run diverged), in the given order.

    Raises
    ------
    ValueError
        If there are no optimizers, or as :func:`optimizer_path`.
    """
    surface = get_surface(surface)
    if len(optimizers) == 0:
        raise ValueError("race needs at least one optimizer, got none")
    if isinstance(optimizers, Mapping):
        runs = [(label, opt, None) for label, opt in optimizers.items()]
    else:
        runs = []
        for name in optimizers:
            lr = TUNED_LR.get(surface.name, {}).get(_name(name))
            runs.append((f"{_name(name)}, η = {lr:.3g}" if lr else str(name), name, None))
    return {label: optimizer_path(opt, lr, surface, steps, x0)[0] for label, opt, lr in runs}


def draw_race(
    surface: Any,
    optimizers: Sequence[str] | Mapping[str, Optimizer],
    steps: int | None = None,
    ax: Axes | None = None,
    x0: Any = None,
) -> Axes:
    """Draw the paths of :func:`race` on the surface's contour map.

    Parameters
    ----------
    surface : Surface or str
        The surface.
    optimizers : sequence of str, or mapping of str to Optimizer
        As for :func:`race`.
    steps : int or None
        Number of steps; None takes :data:`STEPS`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    x0 : array_like, optional
        The common start.

    Returns
    -------
    matplotlib.axes.Axes
        Titled with the surface and the number of steps; three lines per path (path, start,
        end, as drawn by :func:`neuronet.course.plots.plot_contour_path`) and one for the minima.
    """
    surface = get_surface(surface)
    n = _steps(steps, surface)
    paths = race(surface, optimizers, n, x0)
    ax = plot_contour_path(surface, paths, ax=ax)
    ax.set_title(f"{surface.name}: {n} steps")
    return ax


def noisy_descent(
    surface: Any,
    x0: Any,
    optimizer: Optimizer,
    steps: int,
    noise: float,
    seed: int,
) -> np.ndarray:
    r"""Descend with a noisy gradient, as stochastic gradient descent sees it.

    At each step the optimizer receives :math:`\nabla f(x) + \sigma \xi` with
    :math:`\xi \sim N(0, I)` drawn from ``numpy.random.default_rng(seed)``: an unbiased but noisy
    estimate of the gradient, like a mini-batch gradient (:func:`neuronet.landscapes.descend`
    with ``noise``). The optimizer is reset first and keeps its state afterwards (for
    :class:`~neuronet.optimizers.AveragedSGD`, its ``averaged``). Returns the path, shape
    ``(steps + 1, dim)``; a run that overflows raises
    :class:`~neuronet.validation.TrainingDivergedError`.
    """
    return descend(surface, x0, optimizer, steps, noise=noise, seed=seed)


def effective_rates(optimizer: AdaGrad | RMSProp, surface: Any, steps: int) -> np.ndarray:
    r"""The per-coordinate step size of AdaGrad or RMSProp after each step on a surface.

    Both divide the learning rate by the root of a running measure of the squared gradients,
    :math:`\eta / (\sqrt{s} + \epsilon)`: for AdaGrad :math:`s = G`, the sum of all squared
    gradients so far (:meth:`~neuronet.optimizers.AdaGrad.effective_lr`); for RMSProp
    :math:`s = E`, their exponential moving average. The optimizer starts at
    ``surface.start`` (after a reset) and uses the exact gradient.

    Parameters
    ----------
    optimizer : AdaGrad or RMSProp
        The optimizer object.
    surface : Surface or str
        The surface.
    steps : int
        Number of steps.

    Returns
    -------
    numpy.ndarray
        Shape ``(steps, dim)``: row ``t - 1`` holds the step size of each coordinate after
        step ``t``, the one that multiplies the gradient at step ``t``.

    Raises
    ------
    TypeError
        If ``optimizer`` is neither AdaGrad nor RMSProp.
    ValueError
        If ``steps`` is not a positive integer.
    """
    if isinstance(optimizer, AdaGrad):
        key = "sum_squares"
    elif isinstance(optimizer, RMSProp):
        key = "mean_square"
    else:
        raise TypeError(f"effective_rates needs an AdaGrad or RMSProp optimizer, got {optimizer!r}")
    surface = get_surface(surface)
    steps = check_positive(steps, "steps", integer=True)
    x = surface.start.copy()
    optimizer.reset()
    rates = np.empty((steps, surface.dim))
    for t in range(steps):
        optimizer.step([x], [surface.gradient(x)])
        rates[t] = optimizer.lr / (np.sqrt(optimizer.state[0][key]) + optimizer.eps)
    return rates


def plot_effective_rates(runs: Mapping[str, Any], ax: Axes | None = None) -> Axes:
    """Plot per-coordinate step sizes against the step, on a log scale.

    Parameters
    ----------
    runs : mapping of str to array_like
        Label to an array of shape ``(steps, 2)`` as returned by :func:`effective_rates`; each
        run gets one colour, a solid line for :math:`x` and a dotted one for :math:`y`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        Two lines per run, in order (``"label, x"`` then ``"label, y"``), with x data
        1, 2, ..., steps.

    Raises
    ------
    ValueError
        If there are no runs, or a run is not a finite, positive array of shape ``(steps, 2)``.
    """
    if not runs:
        raise ValueError("plot_effective_rates needs at least one run, got none")
    ax = axes_for(ax)
    for k, (label, rates) in enumerate(runs.items()):
        values = as_finite_array(rates, f"runs[{label!r}]", dtype=np.float64)
        if values.ndim != 2 or values.shape[1] != 2 or len(values) == 0 or values.min() <= 0:
            raise ValueError(
                f"runs[{label!r}] must be a positive array of shape (steps, 2), got shape "
                f"{values.shape}"
            )
        steps = np.arange(1, len(values) + 1)
        color = LINE_COLORS[k % len(LINE_COLORS)]
        for j, (coordinate, style) in enumerate([("x", "-"), ("y", ":")]):
            ax.plot(steps, values[:, j], style, color=color, label=f"{label}, {coordinate}")
    ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"effective step size $\eta / (\sqrt{s} + \epsilon)$")
    ax.set_title("per-coordinate step sizes")
    ax.legend(ncol=2, fontsize="small")
    return ax


def draw_optimizer_path(
    optimizer: Any = "adam",
    lr: float | None = None,
    surface: Any = "rosenbrock",
    fig: Figure | None = None,
    steps: int | None = None,
) -> Figure:
    r"""Draw one optimizer's path on a surface and its cost at every step.

    The left panel shows the path on the contour map
    (:func:`neuronet.course.plots.plot_contour_path` with 20 levels: hollow circle = start,
    square = last point, star = minimum). The right panel shows how far the cost is above the
    minimum, :math:`\log_{10}(f(x_t) - f^\star)`: a falling straight line is steady convergence,
    a level stretch a point that is stuck or hovering, a rising line a run that escapes. Steps
    where the gap is exactly 0 have no logarithm and are left out (NaN in the line's data). The
    figure title names the optimizer,
    the rate and the surface and says what happened.

    Parameters
    ----------
    optimizer : str or Optimizer class
        A name from :data:`neuronet.optimizers.OPTIMIZERS`, with default hyper-parameters
        (momentum 0.9, Adam's :math:`\beta_1 = 0.9, \beta_2 = 0.999`, ...).
    lr : float or None
        The learning rate; None takes :data:`TUNED_LR` (the title then says "tuned").
    surface : Surface or str
        A surface, usually one of :data:`OPTIMIZER_SURFACES`.
    fig : matplotlib.figure.Figure, optional
        Draw into this figure (cleared first); a new 8 x 3.6 inch figure when None.
    steps : int or None
        Number of steps; None takes :data:`STEPS`.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the path (its line labelled ``"name, η = ..."``) and the log cost gap (one
        line).

    Raises
    ------
    ValueError
        As :func:`optimizer_path`.
    """
    surface = get_surface(surface)
    name = _name(optimizer)
    tuned = lr is None
    opt = _resolve(optimizer, lr, surface)
    n = _steps(steps, surface)
    path, diverged_at = optimizer_path(opt, None, surface, n)
    values = _values(surface, path)
    floor = float(_values(surface, surface.global_minimum[None, :])[0])

    with mpl.rc_context(STYLE):
        fig = figure_for(fig, (8.0, 3.6))
        ax_path, ax_cost = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1.0]})
        label = f"{name}, η = {opt.lr:.3g}"
        plot_contour_path(surface, {label: path}, ax=ax_path, levels=_LEVELS)
        ax_path.set_title(f"path on {surface.name}")

        gap = values - floor
        log_gap = np.full(gap.shape, np.nan)
        np.log10(gap, out=log_gap, where=gap > 0)
        ax_cost.plot(np.arange(len(path)), log_gap, "-", color=PALETTE[0], lw=1.5)
        ax_cost.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax_cost.set_xlim(0, n)
        ax_cost.set_xlabel("step $t$")
        ax_cost.set_ylabel(r"$\log_{10}\,(f(x_t) - f^\star)$")
        ax_cost.set_title("cost above the minimum")

        if diverged_at is not None:
            status = f"diverged at step {diverged_at}"
        elif values[-1] < values[0]:
            status = f"cost fell from {values[0]:.3g} to {values[-1]:.3g} in {n} steps"
        else:
            status = f"cost rose from {values[0]:.3g} to {values[-1]:.3g} in {n} steps"
        rate = f"η = {opt.lr:.3g}" + (" (tuned)" if tuned else "")
        fig.suptitle(f"{name} on {surface.name}, {rate}: {status}", fontsize=11)
    return fig


def plot_lr_sweep(
    lrs: Any,
    results: Mapping[str, Any],
    ax: Axes | None = None,
    ylabel: str = "final training loss",
) -> Axes:
    """Plot a final loss against the learning rate, one line per optimizer, both axes log.

    Non-finite losses (diverged runs) are left out of the line (gaps), and each line's lowest
    point, its best rate, is circled.

    Parameters
    ----------
    lrs : array_like
        The learning rates tried, 1-D, positive.
    results : mapping of str to array_like
        Label to the final losses, one per rate (``inf`` or NaN for a diverged run).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    ylabel : str
        The label of the loss axis.

    Returns
    -------
    matplotlib.axes.Axes
        For each label, in order, its line (NaN where the run diverged) then its best-rate
        marker (a line labelled ``"_best"``, hidden from the legend).

    Raises
    ------
    ValueError
        If there are no results, the rates are not positive, or a result does not have one
        value per rate or has no finite value.
    """
    rates = as_finite_array(lrs, "lrs", dtype=np.float64)
    if rates.ndim != 1 or rates.size == 0 or np.any(rates <= 0):
        raise ValueError(f"lrs must be a non-empty 1-D array of positive rates, got {lrs!r}")
    if not results:
        raise ValueError("plot_lr_sweep needs at least one result, got none")
    ax = axes_for(ax)
    for k, (label, losses) in enumerate(results.items()):
        values = np.asarray(losses, dtype=np.float64)
        if values.shape != rates.shape:
            raise ValueError(
                f"results[{label!r}] has shape {values.shape} but there are {rates.size} rates"
            )
        finite = np.isfinite(values)
        if not finite.any():
            raise ValueError(f"results[{label!r}] has no finite loss: every run diverged")
        shown = np.where(finite, values, np.nan)
        color = LINE_COLORS[k % len(LINE_COLORS)]
        ax.plot(rates, shown, "-o", ms=3.5, color=color, label=str(label))
        best = int(np.nanargmin(shown))
        ax.plot(rates[best], shown[best], "o", ms=10, mfc="none", mec=color, mew=1.5, label="_best")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"learning rate $\eta$")
    ax.set_ylabel(ylabel)
    ax.set_title("learning-rate sweep")
    ax.legend(fontsize="small")
    return ax


# --- the same network, every optimizer ------------------------------------------------------


def _loss_at_average(net: Any, optimizer: Any, X: np.ndarray, y: np.ndarray) -> float:
    """The loss with averaged SGD's average in place of the weights, which are then put back."""
    current = [p.copy() for p in net.parameters()]
    for p, average in zip(net.parameters(), optimizer.averaged, strict=True):
        p[...] = average
    loss = net.loss(X, y)
    for p, saved in zip(net.parameters(), current, strict=True):
        p[...] = saved
    return loss


def training_losses(
    name: str,
    lr: float,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int = 40,
    sizes: Sequence[int] = (2, 16, 16, 2),
    batch_size: int = 32,
    seed: int = 0,
) -> np.ndarray:
    """Train a fresh MLP with one optimizer and return its loss on ``(X, y)`` after each epoch.

    The network ``MLP(sizes, seed=seed)`` trains with ``get_optimizer(name, lr=lr)`` in
    mini-batches of ``batch_size``, epoch ``e`` shuffled with seed ``e``. Averaged SGD starts
    averaging half-way through the run and is evaluated at its average, the weights it reports
    (Polyak & Juditsky 1992). A run that diverges scores ``inf`` for the epochs it could not
    finish, so a sweep over learning rates can rank it last without stopping.

    Parameters
    ----------
    name : str
        An optimizer name of :data:`neuronet.optimizers.OPTIMIZERS`.
    lr : float
        Its learning rate.
    X, y : numpy.ndarray
        The training data and class labels; the loss is measured on them.
    epochs, sizes, batch_size, seed
        The run: number of epochs, layer sizes, mini-batch size, seed of the initial weights.

    Returns
    -------
    numpy.ndarray
        ``epochs`` losses.
    """
    net = MLP(list(sizes), seed=seed)
    batches = -(-len(X) // batch_size)
    half = {"start": batches * epochs // 2} if name == "averaged_sgd" else {}
    optimizer = get_optimizer(name, lr=lr, **half)
    losses = []
    for epoch in range(epochs):
        try:
            net.fit(X, y, optimizer, epochs=1, batch_size=batch_size, seed=epoch)
        except TrainingDivergedError:
            return np.array(losses + [np.inf] * (epochs - epoch))
        if name == "averaged_sgd":
            losses.append(_loss_at_average(net, optimizer, X, y))
        else:
            losses.append(net.loss(X, y))
    return np.array(losses)
