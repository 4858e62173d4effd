r"""Every cost of :mod:`neuronet.costs` seen through a single output (lesson 03).

The lesson's exploration fixes a target :math:`y` and moves one prediction :math:`a` through
:math:`(0, 1)`, showing each cost :math:`C(a)` and its derivative :math:`\partial C / \partial a`.
Most costs compare a single output with a single target directly. Two of them only make sense for
probability distributions, the categorical cross-entropy and the Kullback–Leibler divergence; they
are fed the two-outcome distributions :math:`(a, 1 - a)` and :math:`(y, 1 - y)`, and their
derivative is taken along that line,

.. math::

   \frac{dC}{da} = \frac{\partial C}{\partial a_1} - \frac{\partial C}{\partial a_2}
   \quad \text{for } (a_1, a_2) = (a, 1 - a).

On that line the categorical cross-entropy is the binary cross-entropy, and the Kullback–Leibler
divergence is the binary cross-entropy minus the entropy of :math:`(y, 1 - y)`, so all three share
one derivative.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from neuronet.costs import COSTS, Cost, Exponential, get_cost
from neuronet.course.plots import PALETTE, new_figure
from neuronet.validation import as_finite_array, check_positive

__all__ = [
    "COST_NAMES",
    "PREDICTIONS",
    "TWO_OUTCOME",
    "cost_curves",
    "cost_label",
    "draw_costs",
    "draw_slowdown",
    "family",
    "gradient_advice",
    "single_output_cost",
]

#: The costs the exploration shows, in the order of :data:`neuronet.costs.COSTS`.
COST_NAMES: tuple[str, ...] = tuple(COSTS)

#: The costs that compare probability distributions; a single output :math:`a` is fed to them
#: as the distribution :math:`(a, 1 - a)`.
TWO_OUTCOME = frozenset({"categorical_cross_entropy", "kl_divergence"})

#: The predictions at which the curves are drawn: 199 points from 0.005 to 0.995, 0.005 apart.
PREDICTIONS: np.ndarray = np.linspace(0.005, 0.995, 199)

_LABELS = {
    "quadratic": "quadratic",
    "cross_entropy": "cross-entropy",
    "categorical_cross_entropy": "categorical CE on (a, 1−a)",
    "exponential": "exponential",
    "hellinger": "Hellinger (√2·H²)",
    "kl_divergence": "KL on (a, 1−a)",
    "generalized_kl": "generalized KL",
    "itakura_saito": "Itakura–Saito",
}

# (colour, line style). On the two-outcome line the categorical cross-entropy is the binary one
# and the KL divergence has the same gradient, so those two are broken lines through which the
# cross-entropy's solid line shows.
_STYLES = {
    "quadratic": (PALETTE[0], "-"),
    "cross_entropy": (PALETTE[1], "-"),
    "categorical_cross_entropy": (PALETTE[7], (0, (1, 3))),
    "exponential": (PALETTE[2], "-"),
    "hellinger": (PALETTE[3], "-"),
    "kl_divergence": (PALETTE[4], (0, (5, 4))),
    "generalized_kl": (PALETTE[5], "-"),
    "itakura_saito": (PALETTE[7], "-"),
}


def family(tau: float = 1.0) -> list[Cost]:
    """Return one instance of every cost in :data:`COST_NAMES`.

    Parameters
    ----------
    tau : float
        The temperature of the exponential cost.

    Returns
    -------
    list of Cost
        In the order of :data:`COST_NAMES`; the exponential one is ``Exponential(tau)``.

    Raises
    ------
    ValueError
        If ``tau`` is not a positive finite number.
    """
    return [Exponential(tau) if name == "exponential" else get_cost(name) for name in COST_NAMES]


def cost_label(cost: str | Cost) -> str:
    """Return the legend label of a cost, e.g. ``"exponential (τ=1)"``.

    Parameters
    ----------
    cost : str or Cost
        A registry name or an instance.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If the name is unknown.
    """
    cost = get_cost(cost)
    label = _LABELS.get(cost.name, cost.name)
    if isinstance(cost, Exponential):
        label += f" (τ={cost.tau:g})"
    return label


def _check_probability(value: Any, name: str, upper_included: bool) -> float:
    """Return ``value`` as a float in :math:`(0, 1)` (or :math:`(0, 1]`), else raise."""
    x = float(as_finite_array(value, name))
    if not (0 < x < 1 or (upper_included and x == 1)):
        interval = "(0, 1]" if upper_included else "(0, 1)"
        raise ValueError(f"{name} must lie in {interval}, got {x!r}")
    return x


def single_output_cost(cost: str | Cost, prediction: float, target: float) -> tuple[float, float]:
    r"""Return the cost of one prediction and its derivative with respect to that prediction.

    A cost in :data:`TWO_OUTCOME` compares :math:`(a, 1 - a)` with :math:`(y, 1 - y)` and its
    derivative is :math:`\partial C / \partial a_1 - \partial C / \partial a_2`; any other cost
    compares :math:`a` with :math:`y`. In both cases this is one sample, so :math:`n = 1`.

    Parameters
    ----------
    cost : str or Cost
        A registry name or an instance (e.g. ``Exponential(tau=0.5)``).
    prediction : float
        The prediction :math:`a`, in :math:`(0, 1)`.
    target : float
        The target :math:`y`, in :math:`(0, 1]`.

    Returns
    -------
    tuple of float
        :math:`C(a)` and :math:`dC/da`.

    Raises
    ------
    ValueError
        If the cost is unknown or ``prediction`` or ``target`` is outside its interval.
    """
    cost = get_cost(cost)
    a = _check_probability(prediction, "prediction", upper_included=False)
    y = _check_probability(target, "target", upper_included=True)
    if cost.name in TWO_OUTCOME:
        a_pair, y_pair = np.array([[a, 1 - a]]), np.array([[y, 1 - y]])
        grad = cost.gradient(a_pair, y_pair)
        return cost(a_pair, y_pair), float(grad[0, 0] - grad[0, 1])
    return cost(a, y), float(cost.gradient(a, y))


def cost_curves(
    target: float,
    costs: Sequence[str | Cost] | None = None,
    predictions: Any = None,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return each cost and its derivative along a range of predictions, for a fixed target.

    Parameters
    ----------
    target : float
        The target :math:`y`, in :math:`(0, 1]`.
    costs : sequence of str or Cost, optional
        The costs; all of them (:func:`family`) by default.
    predictions : array_like, optional
        The predictions :math:`a`, each in :math:`(0, 1)`; :data:`PREDICTIONS` by default.

    Returns
    -------
    dict
        Maps each cost's name to a pair of arrays (values, derivatives), one entry per
        prediction.

    Raises
    ------
    ValueError
        As :func:`single_output_cost`.
    """
    costs = family() if costs is None else [get_cost(c) for c in costs]
    grid = PREDICTIONS if predictions is None else as_finite_array(predictions, "predictions")
    curves = {}
    for cost in costs:
        pairs = np.array([single_output_cost(cost, a, target) for a in np.ravel(grid)])
        curves[cost.name] = (pairs[:, 0], pairs[:, 1])
    return curves


@lru_cache(maxsize=64)
def _family_curves(target: float, tau: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """:func:`cost_curves` of the whole family, cached (read-only arrays) for the player."""
    curves = cost_curves(target, family(tau))
    for arrays in curves.values():
        for array in arrays:
            array.setflags(write=False)
    return curves


def gradient_advice(prediction: float, target: float) -> str:
    """Say in words what the sign of every cost's gradient tells gradient descent to do.

    Parameters
    ----------
    prediction, target : float
        :math:`a` in :math:`(0, 1)` and :math:`y` in :math:`(0, 1]`.

    Returns
    -------
    str
        For example ``"a < y: every gradient is negative, so descent raises a"``.

    Raises
    ------
    ValueError
        If ``prediction`` or ``target`` is outside its interval.
    """
    a = _check_probability(prediction, "prediction", upper_included=False)
    y = _check_probability(target, "target", upper_included=True)
    if a < y:
        return "a < y: every gradient is negative, so descent raises a"
    if a > y:
        return "a > y: every gradient is positive, so descent lowers a"
    return "a = y: every gradient is zero, nothing to change"


def _asinh_axis(ax: Axes, bottom: float | None = None) -> None:
    """Give ``ax`` an asinh vertical scale with ticks at 0 and at plus or minus 1, 2, 5, 10, ...

    Only powers of 10 are ticked when the 1-2-5 ticks would be more than nine.
    """
    low, high = ax.get_ylim()
    low = low if bottom is None else bottom
    ax.set_yscale("asinh", linear_width=0.5)
    for mantissas in ((1, 2, 5), (1,)):
        steps = [m * 10.0**k for k in range(7) for m in mantissas]
        ticks = [t for t in [-s for s in steps] + [0.0] + steps if low <= t <= high]
        if len(ticks) <= 9:
            break
    ax.yaxis.set_major_locator(FixedLocator(sorted(ticks)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}".replace("-", "−")))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_ylim(low, high)


def draw_costs(
    prediction: float | None = 0.3,
    target: float = 0.7,
    fig: Figure | None = None,
    tau: float = 1.0,
) -> Figure:
    """Draw every cost and its gradient for one output, with markers at one prediction.

    Left panel: :math:`C(a)` for each cost, as the prediction :math:`a` sweeps
    :data:`PREDICTIONS`, with the target :math:`y` fixed. Right panel: the derivatives
    :math:`dC/da`. A dotted vertical line marks :math:`a = y`, where every cost is smallest and
    every derivative changes sign. Both vertical axes have an asinh scale (linear near 0,
    logarithmic far from it), so that the steep walls near :math:`a = 0` fit next to the gentle
    quadratic cost. One legend names the costs, below the panels.

    Parameters
    ----------
    prediction : float or None
        Where to put a marker on each curve, in :math:`(0, 1)`; None draws no markers.
    target : float
        The target :math:`y`, in :math:`(0, 1]`.
    fig : matplotlib.figure.Figure, optional
        An (empty) figure to draw into, switched to constrained layout; a new 8 x 4 inch
        figure when None.
    tau : float
        The temperature of the exponential cost.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, each with one line per cost (label: the cost's label) followed, when
        ``prediction`` is given, by one single-point marker line per cost (labelled
        ``"_marker <name>"``, which legends skip).

    Raises
    ------
    ValueError
        If ``prediction``, ``target`` or ``tau`` is invalid.
    """
    tau = float(check_positive(tau, "tau"))
    y = _check_probability(target, "target", upper_included=True)
    a = None if prediction is None else _check_probability(prediction, "prediction", False)
    costs = family(tau)
    curves = _family_curves(y, tau)
    if fig is None:
        fig = new_figure((8, 4))
    fig.set_layout_engine("constrained")  # room for the legend below the panels
    ax_cost, ax_grad = fig.subplots(1, 2)
    for cost in costs:
        values, grads = curves[cost.name]
        color, style = _STYLES[cost.name]
        for ax, data in ((ax_cost, values), (ax_grad, grads)):
            ax.plot(PREDICTIONS, data, color=color, linestyle=style, label=cost_label(cost))
    if a is not None:
        for cost in costs:
            value, grad = single_output_cost(cost, a, y)
            color, style = _STYLES[cost.name]
            size = 7 if style == "-" else 4  # a broken line's marker sits inside a solid one's
            for ax, point in ((ax_cost, value), (ax_grad, grad)):
                ax.plot(
                    [a], [point], "o", color=color, markersize=size, label=f"_marker {cost.name}"
                )
    _asinh_axis(ax_cost, bottom=-0.1)  # every cost here is >= 0
    _asinh_axis(ax_grad)
    for ax in (ax_cost, ax_grad):
        ax.axvline(y, color="0.5", linestyle=":", linewidth=1.2)
        ax.set_xlim(0, 1)
        ax.set_xlabel("prediction $a$")
    ax_grad.axhline(0, color="0.5", linewidth=0.8)
    ax_cost.set_ylabel("cost $C(a)$")
    ax_grad.set_ylabel("gradient $dC/da$")
    ax_cost.set_title(f"Costs for target y = {y:.2f}")
    if a is None:
        ax_grad.set_title(f"Gradients: sign changes at a = y = {y:.2f}")
    else:
        ax_cost.set_title(f"Costs at a = {a:.2f}, target y = {y:.2f}")
        ax_grad.set_title(gradient_advice(a, y).replace(", so", ",\nso"), fontsize=10)
    handles, labels = ax_cost.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=4, fontsize=8)
    return fig


def draw_slowdown(
    outputs: Mapping[str, Sequence[float]], target: float, fig: Figure | None = None
) -> Figure:
    """Draw a neuron's output against the epoch for each cost it was trained with.

    Parameters
    ----------
    outputs : mapping
        Maps a label (e.g. ``"quadratic"``) to the outputs at epochs 0, 1, 2, ...
    target : float
        The target, drawn as a dotted horizontal line.
    fig : matplotlib.figure.Figure, optional
        An (empty) figure to draw into; a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one line per entry of ``outputs``, in order, labelled with its key.

    Raises
    ------
    ValueError
        If ``outputs`` is empty or an entry is not a non-empty 1-D sequence of finite numbers.
    """
    if len(outputs) == 0:
        raise ValueError("outputs must map at least one cost to its outputs, got none")
    target = float(as_finite_array(target, "target"))
    if fig is None:
        fig = new_figure((6.4, 3.6))
    ax = fig.subplots()
    for k, (label, values) in enumerate(outputs.items()):
        values = as_finite_array(values, f"outputs[{label!r}]", dtype=np.float64)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(
                f"outputs[{label!r}] must be a non-empty 1-D sequence, got shape {values.shape}"
            )
        ax.plot(np.arange(values.size), values, color=PALETTE[k % len(PALETTE)], label=label)
    ax.axhline(target, color="0.5", linestyle=":", linewidth=1.2, label=f"target y = {target:g}")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("output $a$")
    ax.set_title("Output of a badly started sigmoid neuron")
    ax.legend()
    return fig
