r"""Gradient descent with one learning rate, on curves and surfaces (lesson 04).

Plain gradient descent repeats one step,

.. math::

    \theta \leftarrow \theta - \eta\, \nabla C(\theta),

with a fixed learning rate :math:`\eta`. Whether that converges, oscillates or blows up depends
on :math:`\eta` and on the curvature of :math:`C`: on the quadratic
:math:`C(\theta) = \tfrac12 a \theta^2` the step is :math:`\theta \leftarrow (1 - \eta a)\theta`,
which shrinks :math:`\theta` exactly when :math:`0 < \eta < 2/a`.

:func:`draw_descent` shows a descent on one of the surfaces in :data:`DESCENT_SURFACES` (the
quadratic, the rippled ``wavy`` curve, the elongated ``bowl`` and Rosenbrock's valley): the path
on the curve or on the contours, and the cost at every step. It is the drawing behind the
lesson's learning-rate widget and player. :func:`descent_path` computes the path and reports a
divergence instead of raising; :func:`plot_iterates` draws :math:`\theta_t` against :math:`t`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from neuronet.course.plots import PALETTE, STYLE, axes_for, new_figure, plot_contour_path
from neuronet.landscapes import (
    SURFACES,
    Surface,
    bowl,
    descend,
    get_surface,
    rosenbrock,
    wavy,
)
from neuronet.optimizers import SGD
from neuronet.validation import TrainingDivergedError, as_finite_array, check_positive

__all__ = [
    "DESCENT_SURFACES",
    "descent_path",
    "draw_descent",
    "plot_iterates",
    "quadratic",
]


def quadratic(a: float = 2.0) -> Surface:
    r"""The 1-D quadratic cost :math:`C(\theta) = \tfrac12 a \theta^2`, as a surface.

    Its gradient is :math:`C'(\theta) = a\theta` and its curvature :math:`C'' = a`, so gradient
    descent with learning rate :math:`\eta` multiplies :math:`\theta` by :math:`1 - \eta a` at
    every step: it converges for :math:`0 < \eta < 2/a` (and oscillates when
    :math:`\eta > 1/a`), bounces between :math:`\pm\theta_0` at :math:`\eta = 2/a` and diverges
    beyond.

    Parameters
    ----------
    a : float
        The curvature, positive.

    Returns
    -------
    Surface
        A 1-D surface named ``"quadratic"``, minimum 0 at 0, plotted on :math:`[-3, 3]`, with
        the default start 2.5.

    Raises
    ------
    ValueError
        If ``a`` is not a positive finite number.
    """
    a = float(check_positive(a, "a"))
    return Surface(
        "quadratic",
        lambda x: 0.5 * a * x**2,
        lambda x: a * x,
        minima=[0.0],
        domain=((-3.0, 3.0),),
        start=2.5,
        dim=1,
    )


#: The surfaces of the lesson's dropdown, in its order: the quadratic :math:`\theta^2`
#: (``a = 2``), the rippled curve ``wavy``, the elongated ``bowl`` and Rosenbrock's valley.
#:
#: :meta hide-value:
DESCENT_SURFACES: dict[str, Surface] = {
    "quadratic": quadratic(2.0),
    "wavy": wavy,
    "bowl": bowl,
    "rosenbrock": rosenbrock,
}


def _surface(surface: Any) -> Surface:
    """Resolve a surface object, or a name in ``DESCENT_SURFACES`` or ``landscapes.SURFACES``."""
    return get_surface(surface, {**SURFACES, **DESCENT_SURFACES})


def descent_path(
    surface: Any, lr: float, steps: int, x0: Any = None
) -> tuple[np.ndarray, int | None]:
    r"""Run plain gradient descent and return its path, stopping where it diverges.

    The steps are :func:`neuronet.landscapes.descend` with :class:`~neuronet.optimizers.SGD`,
    i.e. :math:`x_{t+1} = x_t - \eta \nabla f(x_t)`. When a point or its value overflows to
    infinity or NaN, ``descend`` raises :class:`~neuronet.validation.TrainingDivergedError`;
    here that ends the path instead: the finite points and the step are returned.

    Parameters
    ----------
    surface : Surface or str
        A surface, or a name in :data:`DESCENT_SURFACES` or
        :data:`neuronet.landscapes.SURFACES`.
    lr : float
        The learning rate :math:`\eta`, positive.
    steps : int
        Number of steps to take, positive.
    x0 : array_like, optional
        The starting point, shape ``(dim,)`` (a number for a 1-D curve); ``surface.start`` by
        default.

    Returns
    -------
    path : numpy.ndarray
        The finite points :math:`x_0, x_1, \dots`, shape ``(n, dim)``: ``n = steps + 1`` when
        the descent stayed finite, fewer when it diverged.
    diverged_at : int or None
        The step :math:`k` whose point (or value) was no longer finite, or None.

    Raises
    ------
    ValueError
        If the surface name is unknown, ``lr`` or ``steps`` is not positive, or ``x0`` has the
        wrong shape or is not finite.
    TypeError
        If ``surface`` is neither a Surface nor a name.
    """
    surface = _surface(surface)
    x = surface.start if x0 is None else x0
    try:
        return descend(surface, x, SGD(lr), steps), None
    except TrainingDivergedError as error:
        return error.path, error.step


def _values(surface: Surface, points: np.ndarray) -> np.ndarray:
    """The surface at each point of a path of shape ``(n, dim)``, as shape ``(n,)``."""
    if surface.dim == 1:
        return np.asarray(surface.f(points[:, 0]), dtype=np.float64)
    return np.asarray(surface.f(points), dtype=np.float64)


def draw_descent(
    surface: Any = "quadratic",
    lr: float = 0.1,
    steps: int = 30,
    fig: Figure | None = None,
    x0: Any = None,
) -> Figure:
    r"""Draw ``steps`` steps of gradient descent with learning rate ``lr`` on a surface.

    The left panel shows the path: points on the curve for a 1-D cost, a path on the contours
    for a 2-D one (:func:`neuronet.course.plots.plot_contour_path`; hollow circle = start, square =
    last point, star = known minima). The right panel shows how far the cost is above the
    global minimum, as :math:`\log_{10}(C(x_t) - C^\star)`, at every step: a straight falling
    line is steady (linear) convergence, a level line a point that has stopped, a rising one a
    descent that runs away. Steps where the gap is exactly 0 have no logarithm and are left
    out (NaN in the line's data).

    The figure title names the surface and the learning rate and says what happened: "diverged
    at step k" when the point overflowed (see :func:`descent_path`), otherwise whether the cost
    fell or rose from the start to the last step.

    Parameters
    ----------
    surface : Surface or str
        A surface or a name in :data:`DESCENT_SURFACES` (or
        :data:`neuronet.landscapes.SURFACES`).
    lr : float
        The learning rate :math:`\eta`.
    steps : int
        Number of steps.
    fig : matplotlib.figure.Figure, optional
        An empty figure to draw into; a new 8 x 3.6 inch figure when None.
    x0 : array_like, optional
        The starting point; ``surface.start`` by default.

    Returns
    -------
    matplotlib.figure.Figure
        With two Axes: the path (its first line is the curve for a 1-D cost; the path's own
        line is labelled with the learning rate) and the log cost gap, a single line.

    Raises
    ------
    ValueError
        As :func:`descent_path`.
    """
    surface = _surface(surface)
    path, diverged_at = descent_path(surface, lr, steps, x0)
    with mpl.rc_context(STYLE):
        if fig is None:
            fig = new_figure((8.0, 3.6))
        _draw_descent(fig, surface, lr, steps, path, diverged_at)
    return fig


def _draw_descent(
    fig: Figure,
    surface: Surface,
    lr: float,
    steps: int,
    path: np.ndarray,
    diverged_at: int | None,
) -> None:
    ax_path, ax_cost = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1.0]})

    plot_contour_path(surface, {f"η = {lr:.3g}": path}, ax=ax_path)
    if surface.dim == 1:  # keep the view on the curve, even when the points run away
        curve = _values(surface, np.linspace(*surface.domain[0], 401)[:, None])
        pad = 0.08 * (curve.max() - curve.min())
        ax_path.set_ylim(curve.min() - pad, curve.max() + pad)
    ax_path.set_title(f"path on {surface.name}")

    values = _values(surface, path)
    best = float(_values(surface, surface.global_minimum[None, :])[0])
    gap = values - best
    # log10 on a linear axis rather than a log axis: a diverging descent reaches 1e300, where
    # matplotlib's log-axis ticks overflow
    log_gap = np.full(gap.shape, np.nan)
    np.log10(gap, out=log_gap, where=gap > 0)
    ax_cost.plot(np.arange(len(path)), log_gap, "-o", ms=2.5)
    ax_cost.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_cost.set_xlim(0, steps)
    ax_cost.set_xlabel("step $t$")
    ax_cost.set_ylabel(r"$\log_{10}\,(C(x_t) - C^\star)$")
    ax_cost.set_title("cost above the minimum")

    if diverged_at is not None:
        status = f"diverged at step {diverged_at}"
    else:
        first, last = values[0], values[-1]
        if last == first:
            status = f"cost stayed at {first:.3g} for {steps} steps"
        else:
            verb = "rose" if last > first else "fell"
            status = f"cost {verb} from {first:.3g} to {last:.3g} in {steps} steps"
    fig.suptitle(f"{surface.name}, η = {lr:.3g}: {status}")


def plot_iterates(iterates: Mapping[str, Any], ax: Axes | None = None) -> Axes:
    r"""Plot 1-D iterates :math:`\theta_t` against the step :math:`t`, one line per run.

    A dashed line marks :math:`\theta = 0`, the minimum of the quadratic.

    Parameters
    ----------
    iterates : mapping of str to array_like
        Label (such as ``"η = 0.1"``) to the iterates :math:`\theta_0, \theta_1, \dots`, 1-D or
        of shape ``(n, 1)`` as returned by :func:`neuronet.landscapes.descend`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        One line per run, in order, then the dashed zero line.

    Raises
    ------
    ValueError
        If there are no runs, or a run is not a finite 1-D sequence.
    """
    if not iterates:
        raise ValueError("iterates must hold at least one run, got none")
    ax = axes_for(ax)
    for k, (label, run) in enumerate(iterates.items()):
        theta = as_finite_array(run, f"iterates {label!r}", dtype=np.float64)
        if theta.ndim == 2 and theta.shape[1] == 1:
            theta = theta[:, 0]
        if theta.ndim != 1 or theta.size == 0:
            raise ValueError(
                f"iterates {label!r} must be a 1-D sequence of values, got shape {theta.shape}"
            )
        ax.plot(np.arange(theta.size), theta, "-o", ms=4, color=PALETTE[k % 8], label=str(label))
    ax.axhline(0.0, color="0.4", ls="--", lw=1.0, label="minimum")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"$\theta_t$")
    ax.set_title("gradient descent iterates")
    ax.legend()
    return ax
