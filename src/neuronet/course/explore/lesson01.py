r"""Explorations of lesson 01: one threshold neuron and the line it draws in the plane.

A step neuron with two inputs answers "yes" (1) when its weighted sum is not negative,

.. math::

   z = w_1 x_1 + w_2 x_2 + b \ge 0,

so the plane is cut in two by the decision line :math:`w_1 x_1 + w_2 x_2 + b = 0`. The weight
vector :math:`w = (w_1, w_2)` is perpendicular to that line and points to the "yes" side; the
bias :math:`b` shifts the line, whose signed distance from the origin is :math:`-b / \lVert w
\rVert`. The functions below draw that line over the four inputs of a Boolean gate
(:func:`draw_decision_line`), follow the perceptron rule as it moves the line epoch after epoch
(:func:`perceptron_trajectory`, :func:`draw_perceptron_epoch`), and draw a neuron as a diagram
(:func:`draw_neuron`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Patch

from neuronet.activations import get_activation
from neuronet.course.plots import (
    NEGATIVE_COLOR,
    POSITIVE_COLOR,
    axes_for,
    class_color,
    new_figure,
)
from neuronet.neuron import Neuron
from neuronet.validation import as_finite_array, check_positive

__all__ = [
    "CORNERS",
    "GATES",
    "LIMITS",
    "count_correct",
    "decision_line",
    "draw_decision_line",
    "draw_neuron",
    "draw_perceptron_epoch",
    "gate_data",
    "perceptron_trajectory",
    "plot_gate",
    "step_decisions",
]

#: The four Boolean inputs :math:`(x_1, x_2)`, in the order of a truth table.
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

#: The target of each gate for the four ``CORNERS``.
GATES: dict[str, tuple[int, int, int, int]] = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "XOR": (0, 1, 1, 0),
}

#: The range shown on both axes: the unit square with a margin.
LIMITS = (-0.5, 1.5)

# Light versions of the two class colours for the "no" and "yes" half-planes.
_REGIONS = ListedColormap([NEGATIVE_COLOR, POSITIVE_COLOR])


def _gate_name(gate: str) -> str:
    key = str(gate).strip().upper() if isinstance(gate, str) else None
    if key not in GATES:
        raise ValueError(f"unknown gate {gate!r}; valid gates are: {', '.join(GATES)}")
    return key


def _number(value: Any, name: str) -> float:
    arr = as_finite_array(value, name, dtype=np.float64)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    return float(arr)


def gate_data(gate: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a gate as a data set.

    Parameters
    ----------
    gate : str
        One of ``GATES``: ``"AND"``, ``"OR"``, ``"NAND"``, ``"XOR"`` (any case).

    Returns
    -------
    X : numpy.ndarray
        The four inputs ``CORNERS``, shape ``(4, 2)``, float64.
    y : numpy.ndarray
        Their targets, shape ``(4,)``, int64.

    Raises
    ------
    ValueError
        If the gate is unknown; the message lists the valid names.
    """
    return CORNERS.copy(), np.array(GATES[_gate_name(gate)], dtype=np.int64)


def step_decisions(w: Any, b: float, X: Any) -> np.ndarray:
    r"""The decisions of a step neuron: 1 where :math:`w \cdot x + b \ge 0`, else 0.

    Parameters
    ----------
    w : array_like, shape (2,)
        The weights.
    b : float
        The bias.
    X : array_like, shape (n, 2)
        Inputs, one per row.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``, int64: 1 ("yes") or 0 ("no").

    Raises
    ------
    ValueError
        If the shapes do not match or a value is not finite.
    """
    w = as_finite_array(w, "w", dtype=np.float64)
    X = as_finite_array(X, "X", dtype=np.float64)
    if w.shape != (2,) or X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"need w of shape (2,) and X of shape (n, 2), got {w.shape} and {X.shape}")
    return (X @ w + _number(b, "b") >= 0).astype(np.int64)


def count_correct(w1: float, w2: float, b: float, gate: str = "AND") -> int:
    """How many of the four inputs of ``gate`` the step neuron ``(w1, w2, b)`` gets right.

    Parameters
    ----------
    w1, w2 : float
        The weights of :math:`x_1` and :math:`x_2`.
    b : float
        The bias.
    gate : str
        One of ``GATES``.

    Returns
    -------
    int
        From 0 to 4.

    Raises
    ------
    ValueError
        If the gate is unknown or a number is not finite.
    """
    X, y = gate_data(gate)
    decisions = step_decisions([_number(w1, "w1"), _number(w2, "w2")], b, X)
    return int(np.count_nonzero(decisions == y))


def decision_line(
    w1: float, w2: float, b: float, limits: tuple[float, float] = LIMITS
) -> tuple[np.ndarray, np.ndarray]:
    r"""The part of the line :math:`w_1 x_1 + w_2 x_2 + b = 0` inside the square ``limits``.

    The line is clipped to the square :math:`[\ell, h]^2`: its crossings with the four sides are
    collected and the two farthest apart are its ends.

    Parameters
    ----------
    w1, w2 : float
        The weights; the line exists only if they are not both 0.
    b : float
        The bias.
    limits : tuple of float
        ``(low, high)`` of both axes.

    Returns
    -------
    x1, x2 : numpy.ndarray
        The coordinates of the two ends, shape ``(2,)`` each; both empty when the line misses
        the square or :math:`w = 0` (then the neuron says the same thing everywhere).

    Raises
    ------
    ValueError
        If a number is not finite or ``limits`` is not an increasing pair.
    """
    w1, w2, b = _number(w1, "w1"), _number(w2, "w2"), _number(b, "b")
    low, high = (float(v) for v in limits)
    if not low < high:
        raise ValueError(f"limits must be (low, high) with low < high, got {limits!r}")
    points = []
    if w2 != 0:
        for x1 in (low, high):
            x2 = -(b + w1 * x1) / w2
            if low <= x2 <= high:
                points.append((x1, x2))
    if w1 != 0:
        for x2 in (low, high):
            x1 = -(b + w2 * x2) / w1
            if low <= x1 <= high:
                points.append((x1, x2))
    if len(points) < 2:
        return np.empty(0), np.empty(0)
    p = np.array(points)
    distances = np.linalg.norm(p[:, None, :] - p[None, :, :], axis=-1)
    i, j = np.unravel_index(np.argmax(distances), distances.shape)
    if distances[i, j] == 0:  # the line only touches a corner
        return np.empty(0), np.empty(0)
    return p[[i, j], 0], p[[i, j], 1]


def _draw_regions(ax: Axes, w1: float, w2: float, b: float) -> None:
    """The neuron's decision on a grid over ``LIMITS``: light vermillion "yes", light blue "no"."""
    low, high = LIMITS
    grid = np.linspace(low, high, 201)
    g1, g2 = np.meshgrid(grid, grid)
    regions = (w1 * g1 + w2 * g2 + b >= 0).astype(np.float64)
    ax.imshow(
        regions,
        origin="lower",
        extent=(low, high, low, high),
        cmap=_REGIONS,
        vmin=0,
        vmax=1,
        alpha=0.18,
        interpolation="nearest",
        aspect="equal",
    )


def _draw_boundary(ax: Axes, w1: float, w2: float, b: float) -> None:
    """The decision line, or a note saying why there is none in view."""
    x1, x2 = decision_line(w1, w2, b)
    if x1.size:
        ax.plot(x1, x2, color="k", lw=2, zorder=2.5, label="$w \\cdot x + b = 0$")
        return
    why = "w = 0: no line," if w1 == w2 == 0 else "the line is out of view:"
    ax.text(
        0.5,
        0.03,
        f"{why} the same answer everywhere",
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize="small",
    )


def _draw_normal(ax: Axes, w: np.ndarray, b: float) -> None:
    """An arrow along ``w`` from the point of the line nearest the square's centre, pointing to
    the "yes" side, when there is a line and that point is in view."""
    norm = float(np.hypot(*w))
    if norm == 0:
        return
    centre = np.array([0.5, 0.5])
    unit = w / norm
    foot = centre - (centre @ w + b) * unit / norm
    low, high = LIMITS
    if not np.all((foot >= low) & (foot <= high)):
        return
    ax.annotate(
        "",
        xy=tuple(foot + 0.35 * unit),
        xytext=tuple(foot),
        arrowprops={"arrowstyle": "-|>", "color": "k", "lw": 1.5},
        zorder=2.5,
    )
    side = foot + 0.2 * unit + 0.09 * np.array([-unit[1], unit[0]])
    ax.text(*side, "$w$", ha="center", va="center", zorder=2.5)


def _draw_inputs(ax: Axes, X: np.ndarray, y: np.ndarray, z: np.ndarray, show_z: bool) -> None:
    """The inputs coloured by target, a cross on each misclassified one, and optionally z."""
    for cls in (0, 1):
        sel = y == cls
        ax.scatter(
            X[sel, 0],
            X[sel, 1],
            s=140,
            color=class_color(cls),
            edgecolors="k",
            linewidths=0.8,
            zorder=3,
            label=f"target {cls}",
        )
    wrong = (z >= 0).astype(np.int64) != y
    if wrong.any():
        ax.scatter(X[wrong, 0], X[wrong, 1], s=60, marker="x", color="k", zorder=4, label="wrong")
    if show_z:
        for (p1, p2), zi in zip(X, z, strict=True):
            ax.text(p1 + 0.07, p2 + 0.09, f"z={zi:+.2f}", fontsize="small", zorder=5)


def _square_axes(ax: Axes, title: str) -> None:
    """The unit square with a margin, equal scales, ticks at 0 and 1, labels and ``title``."""
    low, high = LIMITS
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.set_aspect("equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)


def plot_gate(
    ax: Axes,
    w1: float,
    w2: float,
    b: float,
    gate: str = "AND",
    title: str | None = None,
    show_z: bool = True,
) -> int:
    r"""Draw a step neuron's decision over the four inputs of a gate, on ``ax``.

    What is drawn, in this order:

    - ``ax.images[0]``: the neuron's decision on a grid covering ``LIMITS`` (1 = "yes",
      light vermillion; 0 = "no", light blue);
    - ``ax.lines[0]``: the decision line :math:`w \cdot x + b = 0` (absent when it misses the
      square or :math:`w = 0`);
    - an arrow along :math:`w` from the point of the line nearest the square's centre, pointing
      to the "yes" side (when that point is visible);
    - the four inputs, coloured by their target (class 0 blue, class 1 vermillion), with a
      black cross on each one the neuron gets wrong, and their weighted sums :math:`z` as text.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    w1, w2, b : float
        The neuron.
    gate : str
        One of ``GATES``.
    title : str or None
        The title; by default the gate and the number of inputs classified correctly.
    show_z : bool
        Write :math:`z` next to each input.

    Returns
    -------
    int
        The number of inputs classified correctly, 0 to 4.

    Raises
    ------
    ValueError
        If the gate is unknown or a number is not finite.
    """
    name = _gate_name(gate)
    w1, w2, b = _number(w1, "w1"), _number(w2, "w2"), _number(b, "b")
    X, y = gate_data(name)
    w = np.array([w1, w2])
    z = X @ w + b
    correct = int(np.count_nonzero((z >= 0).astype(np.int64) == y))
    _draw_regions(ax, w1, w2, b)
    _draw_boundary(ax, w1, w2, b)
    _draw_normal(ax, w, b)
    _draw_inputs(ax, X, y, z, show_z)
    _square_axes(ax, title if title is not None else f"{name}: {correct} of 4 correct")
    return correct


def _region_legend(ax: Axes) -> None:
    handles, _ = ax.get_legend_handles_labels()
    handles += [
        Patch(color=POSITIVE_COLOR, alpha=0.3, label="says yes ($z \\geq 0$)"),
        Patch(color=NEGATIVE_COLOR, alpha=0.3, label="says no ($z < 0$)"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")


def draw_decision_line(
    w1: float = 1.0, w2: float = 1.0, b: float = -0.5, gate: str = "AND", fig: Figure | None = None
) -> Figure:
    r"""Draw the decision line of the step neuron :math:`(w_1, w_2, b)` over a gate's inputs.

    The figure behind the lesson's sliders: one panel (see :func:`plot_gate`) titled with the gate,
    the number of inputs classified correctly and the neuron's equation, and a legend.

    Parameters
    ----------
    w1, w2 : float
        The weights.
    b : float
        The bias.
    gate : str
        One of ``GATES``: the targets shown.
    fig : matplotlib.figure.Figure or None
        Draw into this (empty) figure; a new one when None.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the gate is unknown or a number is not finite.
    """
    name = _gate_name(gate)
    if fig is None:
        fig = new_figure((6.4, 4.0))
    ax = fig.add_subplot()
    correct = count_correct(w1, w2, b, name)
    equation = f"$z = {float(w1):.2f}\\,x_1 {float(w2):+.2f}\\,x_2 {float(b):+.2f}$"
    plot_gate(ax, w1, w2, b, name, title=f"{name}: {correct} of 4 correct\n{equation}")
    _region_legend(ax)
    return fig


def perceptron_trajectory(
    gate: str = "AND",
    w0: Sequence[float] = (-1.0, -1.0),
    b0: float = 0.5,
    lr: float = 0.5,
    epochs: int = 10,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Train a step neuron on a gate with the perceptron rule and record every epoch.

    The neuron starts at ``w0``, ``b0`` and is trained by :meth:`neuronet.neuron.Neuron.fit`
    one epoch at a time. In an epoch the four inputs are visited in order and, after each,

    .. math::

       w \leftarrow w + \eta\,(y - \hat y)\,x, \qquad b \leftarrow b + \eta\,(y - \hat y).

    Once an epoch ends with no error nothing changes any more (every correction is zero).

    Parameters
    ----------
    gate : str
        One of ``GATES``.
    w0 : sequence of float
        The starting weights :math:`(w_1, w_2)`.
    b0 : float
        The starting bias.
    lr : float
        The learning rate :math:`\eta > 0`.
    epochs : int
        How many epochs to record.

    Returns
    -------
    weights : numpy.ndarray
        Shape ``(epochs + 1, 2)``: row ``k`` holds the weights after ``k`` epochs (row 0, the
        start).
    biases : numpy.ndarray
        Shape ``(epochs + 1,)``.
    errors : numpy.ndarray
        Shape ``(epochs + 1,)``, int64: the inputs misclassified after each epoch.

    Raises
    ------
    ValueError
        If the gate is unknown, ``w0`` is not two finite numbers, or ``lr`` or ``epochs`` is not
        positive.
    """
    X, y = gate_data(gate)
    w0 = as_finite_array(w0, "w0", dtype=np.float64)
    if w0.shape != (2,):
        raise ValueError(f"w0 must hold 2 weights, got shape {w0.shape}")
    lr = check_positive(lr, "lr")
    epochs = check_positive(epochs, "epochs", integer=True)
    neuron = Neuron(2, activation="step")
    neuron.w[:] = w0
    neuron.b = _number(b0, "b0")
    weights, biases = [neuron.w.copy()], [neuron.b]
    errors = [int(np.count_nonzero(step_decisions(neuron.w, neuron.b, X) != y))]
    for _ in range(epochs):
        errors += neuron.fit(X, y, lr=lr, epochs=1)
        weights.append(neuron.w.copy())
        biases.append(neuron.b)
    return np.array(weights), np.array(biases), np.array(errors, dtype=np.int64)


def draw_perceptron_epoch(
    epoch: int = 0,
    gate: str = "AND",
    w0: Sequence[float] = (-1.0, -1.0),
    b0: float = 0.5,
    lr: float = 0.5,
    epochs: int = 10,
    fig: Figure | None = None,
) -> Figure:
    """Draw the perceptron's decision line after ``epoch`` epochs, and its errors so far.

    Left: the line after ``epoch`` epochs over the gate's inputs (see :func:`plot_gate`), with
    the lines of the earlier epochs dashed and grey (``ax.lines[0]`` is the current line, when it
    crosses the square). Right: the number of misclassified inputs after each epoch up to
    ``epoch``, one bar per epoch, on an axis that always spans ``0 .. epochs`` so that frames of
    a player line up.

    Parameters
    ----------
    epoch : int
        The epoch shown, from 0 (the start) to ``epochs``.
    gate, w0, b0, lr, epochs
        As in :func:`perceptron_trajectory`.
    fig : matplotlib.figure.Figure or None
        Draw into this (empty) figure; a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the plane and the error bars.

    Raises
    ------
    ValueError
        As :func:`perceptron_trajectory`, or if ``epoch`` is not in ``0 .. epochs``.
    """
    if isinstance(epoch, bool) or not isinstance(epoch, int | np.integer) or epoch < 0:
        raise ValueError(f"epoch must be an integer >= 0, got {epoch!r}")
    epochs = check_positive(epochs, "epochs", integer=True)
    if epoch > epochs:
        raise ValueError(f"epoch must be at most epochs={epochs}, got {epoch}")
    name = _gate_name(gate)
    weights, biases, errors = perceptron_trajectory(name, w0, b0, lr, epochs)
    if fig is None:
        fig = new_figure((8.0, 3.6))
    plane, bars = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1.0]})
    (w1, w2), b = weights[epoch], biases[epoch]
    plot_gate(
        plane,
        w1,
        w2,
        b,
        name,
        title=f"{name}, epoch {epoch}: $w = ({w1:.2f}, {w2:.2f})$, $b = {b:.2f}$",
        show_z=False,
    )
    for k in range(epoch):
        x1, x2 = decision_line(*weights[k], biases[k])
        if x1.size:
            plane.plot(x1, x2, "--", color="0.55", lw=1, zorder=1.5)

    shown = np.arange(epoch + 1)
    colors = [POSITIVE_COLOR if e else "0.4" for e in errors[: epoch + 1]]
    bars.bar(shown, errors[: epoch + 1], color=colors, width=0.7)
    bars.set_xlim(-0.6, epochs + 0.6)
    bars.set_ylim(0, 4.2)
    bars.set_yticks(range(5))
    bars.set_xlabel("epoch")
    bars.set_ylabel("misclassified inputs")
    status = "all 4 right" if errors[epoch] == 0 else f"{errors[epoch]} wrong"
    bars.set_title(f"after epoch {epoch}: {status}")
    return fig


# Where draw_neuron puts the neuron's body.
_BODY = np.array([3.6, 0.0])


def _draw_weighted_input(
    ax: Axes, row: float, label: str, weight: str, value: float, bias: bool = False
) -> None:
    """One input of the neuron diagram at height ``row``: its label, an arrow to the body
    coloured by the sign of its weight (dotted for the bias), and the weight on the arrow."""
    start = np.array([0.35, row])
    ax.text(0.0, row, label, ha="right", va="center")
    color = POSITIVE_COLOR if value > 0 else NEGATIVE_COLOR if value < 0 else "0.5"
    ax.annotate(
        "",
        xy=tuple(_BODY + 0.58 * (start - _BODY) / np.linalg.norm(start - _BODY)),
        xytext=tuple(start),
        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.5, "ls": ":" if bias else "-"},
    )
    middle = start + 0.4 * (_BODY - start)
    ax.text(
        *middle,
        weight,
        color=color,
        ha="center",
        va="center",
        fontsize="small",
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
    )


def draw_neuron(
    w: Any,
    b: float,
    x: Any,
    activation: str = "step",
    ax: Axes | None = None,
) -> Axes:
    r"""Draw one neuron as a diagram, with the numbers flowing through it.

    Each input :math:`x_i` sends an arrow labelled with its weight :math:`w_i` to the neuron,
    which adds them up with the bias, :math:`z = w \cdot x + b`, applies the activation and
    outputs :math:`a = f(z)`. The bias is drawn as the weight of an extra input that is always 1.

    Parameters
    ----------
    w : array_like, shape (n,)
        The weights, one per input (1 to 6 inputs).
    b : float
        The bias.
    x : array_like, shape (n,)
        One input sample.
    activation : str
        The activation's name, e.g. ``"step"`` or ``"sigmoid"``.
    ax : matplotlib.axes.Axes or None
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        Its title gives :math:`z` and :math:`a`.

    Raises
    ------
    ValueError
        If ``w`` and ``x`` do not have the same length of 1 to 6, a value is not finite, or the
        activation is unknown or not elementwise.
    """
    w = as_finite_array(w, "w", dtype=np.float64)
    x = as_finite_array(x, "x", dtype=np.float64)
    if w.ndim != 1 or x.shape != w.shape or not 1 <= w.size <= 6:
        raise ValueError(
            f"w and x must be 1-D with the same length, 1 to 6; got {w.shape} and {x.shape}"
        )
    act = get_activation(activation)
    if not act.elementwise:
        raise ValueError(f"a single neuron needs an elementwise activation, got {act.name!r}")
    b = _number(b, "b")
    z = float(w @ x + b)
    a = float(act(np.array([z]))[0])
    ax = axes_for(ax, (6.4, 3.2))
    n = w.size
    rows = np.linspace(1.0, -1.0, n + 1) * (0.45 * (n + 1))  # inputs, then the constant 1
    ax.add_patch(Circle(tuple(_BODY), 0.55, facecolor="white", edgecolor="k", lw=1.5, zorder=3))
    ax.text(*_BODY, f"$\\Sigma$, {act.name}", ha="center", va="center", fontsize="small", zorder=4)
    for i in range(n):
        _draw_weighted_input(
            ax, rows[i], f"$x_{i + 1} = {x[i]:g}$", f"$w_{i + 1} = {w[i]:g}$", w[i]
        )
    _draw_weighted_input(ax, rows[n], "$1$", f"$b = {b:g}$", b, bias=True)
    ax.annotate(
        "",
        xy=(5.4, 0.0),
        xytext=(4.18, 0.0),
        arrowprops={"arrowstyle": "-|>", "color": "k", "lw": 1.5},
    )
    ax.text(5.5, 0.0, f"$a = {a:.3g}$", ha="left", va="center")
    ax.set_xlim(-1.4, 6.8)
    ax.set_ylim(rows[-1] - 0.5, rows[0] + 0.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(f"$z = w \\cdot x + b = {z:.3g}$,  $a = f(z) = {a:.3g}$")
    return ax
