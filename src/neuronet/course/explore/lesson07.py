r"""Lesson 07: what hidden layers do, in figures and small helpers.

Three pictures of the multilayer perceptron:

* XOR solved by one hidden layer (:func:`draw_xor_solution`). Each hidden unit draws a line in
  the input plane; the hidden layer maps the four corners to new points, its *hidden
  representation*, where one more line, the output's (:func:`output_line`), separates the
  classes.
* Features that change along one direction only, and features that bend
  (:func:`input_gradients`, :func:`direction_spread`): a first-layer unit's output depends on
  the input only through its weighted sum :math:`\mathbf{w}\cdot\mathbf{x} + b`, so its level
  lines are parallel straight lines; units further up combine several of these and their level
  lines curve.
* Depth as composition (:func:`sawtooth_network`, :func:`draw_sawtooth`): a ReLU network with
  :math:`k` hidden layers of two units computes the tent map
  :math:`t(x) = 2\min(x, 1 - x)` composed :math:`k` times, a sawtooth with :math:`2^k` linear
  pieces on :math:`[0, 1]`, while one hidden layer of :math:`m` ReLU units makes at most
  :math:`m + 1` pieces from a single input (:func:`count_linear_pieces`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from neuronet.course.player import figure_for
from neuronet.course.plots import DIVERGING_CMAP, PALETTE, class_color
from neuronet.network import MLP
from neuronet.validation import as_batch, as_finite_array, check_positive

__all__ = [
    "count_linear_pieces",
    "direction_spread",
    "draw_sawtooth",
    "draw_xor_solution",
    "input_gradients",
    "layer_outputs",
    "output_line",
    "sawtooth_network",
]

_UNIT_COLORS = (PALETTE[2], PALETTE[4], PALETTE[3], PALETTE[5])


def layer_outputs(model: MLP, X: Any) -> list[np.ndarray]:
    """The activations of every layer of ``model`` for the inputs ``X``.

    Parameters
    ----------
    model : MLP
        Any network.
    X : array_like, shape (n, n_inputs)
        Inputs, one per row.

    Returns
    -------
    list of numpy.ndarray
        One ``(n, units)`` array per layer, the hidden layers first and the output last.
    """
    a = as_batch(X, "X", n_features=model.sizes[0], dtype=model.dtype)
    outputs = []
    for layer in model.layers:
        a = layer.forward(a)
        outputs.append(a)
    return outputs


def output_line(model: MLP) -> tuple[np.ndarray, float]:
    r"""The output layer's decision line in the space of the last hidden layer.

    With two softmax outputs, class 1 wins when its weighted sum exceeds that of class 0:
    :math:`\mathbf{h}\cdot W_{:,1} + b_1 > \mathbf{h}\cdot W_{:,0} + b_0`, that is when
    :math:`\mathbf{h}\cdot\mathbf{v} + c > 0` with :math:`\mathbf{v} = W_{:,1} - W_{:,0}` and
    :math:`c = b_1 - b_0`. The output layer is one straight line (a hyperplane) drawn in the
    hidden representation :math:`\mathbf{h}`.

    Parameters
    ----------
    model : MLP
        A network with at least one hidden layer and two softmax outputs.

    Returns
    -------
    v : numpy.ndarray, shape (hidden units,)
        The normal vector of the line, pointing towards class 1.
    c : float
        Its offset.

    Raises
    ------
    ValueError
        If the network has no hidden layer or its output is not two softmax units.
    """
    if len(model.layers) < 2 or model.sizes[-1] != 2 or model.output.name != "softmax":
        raise ValueError(
            "output_line needs a hidden layer and two softmax outputs, got an MLP with sizes "
            f"{model.sizes} and a {model.output.name!r} output"
        )
    W, b = model.layers[-1].params["W"], model.layers[-1].params["b"]
    return W[:, 1] - W[:, 0], float(b[1] - b[0])


def draw_xor_solution(
    model: MLP, X: Any, y: Any, fig: Figure | None = None, limits: tuple[float, float] = (-0.5, 1.5)
) -> Figure:
    """Draw how a network with one hidden layer of two units solves XOR, in three panels.

    Left: the input plane with the points and each hidden unit's line :math:`z_j = 0`. Middle:
    the hidden representation, every point moved to :math:`(h_1, h_2)`, with the image of the
    input square's grid lines (thin grey curves) and the output's decision line
    (:func:`output_line`), class 1 on its shaded side. Right: the network's probability of
    class 1 over the input plane, with the hidden units' lines dashed.

    Parameters
    ----------
    model : MLP
        A network ``[2, 2, 2]`` with a softmax output.
    X : array_like, shape (n, 2)
        Points to show, e.g. the four corners of the square.
    y : array_like, shape (n,)
        Their classes, 0 or 1.
    fig : matplotlib.figure.Figure, optional
        Where to draw (it is cleared); a new 8.4 x 3.1 inch figure when None.
    limits : (float, float)
        The part of each input axis shown.

    Returns
    -------
    matplotlib.figure.Figure
        Three Axes. The middle one holds one line per grid curve, then the output's line; the
        right one holds one image, the probability of class 1 on a 200 x 200 grid over
        ``limits``.

    Raises
    ------
    ValueError
        If the network is not ``[2, 2, 2]`` with a softmax output, or the points do not fit.
    """
    if list(model.sizes) != [2, 2, 2] or model.output.name != "softmax":
        raise ValueError(
            f"draw_xor_solution needs an MLP of sizes [2, 2, 2] with a softmax output, got "
            f"sizes {model.sizes} and a {model.output.name!r} output"
        )
    X = as_batch(X, "X", n_features=2, dtype=np.float64)
    y = as_finite_array(y, "y").astype(np.int64)
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},), one class per point, got {y.shape}")
    fig = figure_for(fig, (8.4, 3.1))
    ax_in, ax_hidden, ax_out = fig.subplots(1, 3)
    _draw_input_plane(ax_in, model, X, y, limits)
    _draw_hidden_plane(ax_hidden, model, X, y, limits)
    _draw_network_decision(ax_out, model, X, y, limits)
    return fig


def _draw_input_plane(
    ax: Axes, model: MLP, X: np.ndarray, y: np.ndarray, limits: tuple[float, float]
) -> None:
    """The input plane: the points and each hidden unit's line :math:`z_j = 0`."""
    W1, b1 = model.layers[0].params["W"], model.layers[0].params["b"]
    t = np.linspace(*limits, 2)
    for j in range(2):
        w, b = W1[:, j], b1[j]
        label = f"unit {j + 1}: $z_{j + 1} = 0$"
        if abs(w[1]) >= abs(w[0]):
            ax.plot(t, -(w[0] * t + b) / w[1], color=_UNIT_COLORS[j], label=label)
        else:
            ax.plot(-(w[1] * t + b) / w[0], t, color=_UNIT_COLORS[j], label=label)
    _scatter(ax, X, y)
    ax.set(xlim=limits, ylim=limits, xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    ax.set_title("input plane", fontsize="medium")
    ax.legend(handles=ax.get_lines(), loc="best", fontsize="x-small", frameon=True)


def _draw_hidden_plane(
    ax: Axes, model: MLP, X: np.ndarray, y: np.ndarray, limits: tuple[float, float]
) -> None:
    """The hidden representation: the input square's grid lines and the points carried to
    :math:`(h_1, h_2)`, and the output's decision line with class 1 on its shaded side."""
    hidden = layer_outputs(model, X)[0]
    _draw_hidden_grid(ax, model, limits)
    _scatter(ax, hidden, y)
    if len(X) <= 8:
        _name_hidden_points(ax, X, hidden)
    h_lo, h_hi = _activation_box(model, hidden)
    _draw_output_line(ax, model, (h_lo, h_hi))
    ax.set(xlim=(h_lo, h_hi), ylim=(h_lo, h_hi), xlabel="$h_1$", ylabel="$h_2$")
    ax.set_aspect("equal")
    ax.set_title("hidden representation", fontsize="medium")
    ax.legend(loc="best", fontsize="x-small", frameon=True)


def _draw_hidden_grid(ax: Axes, model: MLP, limits: tuple[float, float]) -> None:
    """The images in the hidden plane of 9 horizontal and 9 vertical lines of the input square,
    as thin grey curves."""
    fine = np.linspace(*limits, 100)
    for g in np.linspace(*limits, 9):
        for points in (
            np.column_stack([fine, np.full_like(fine, g)]),
            np.column_stack([np.full_like(fine, g), fine]),
        ):
            h = layer_outputs(model, points)[0]
            ax.plot(h[:, 0], h[:, 1], color="0.8", lw=0.6, zorder=1)


def _name_hidden_points(ax: Axes, X: np.ndarray, hidden: np.ndarray) -> None:
    """Name each hidden point by its input; points that land together share one label."""
    span = float(np.ptp(hidden)) or 1.0
    groups: list[tuple[np.ndarray, list[str]]] = []
    for (x1, x2), h in zip(X, hidden, strict=True):
        name = f"({x1:g}, {x2:g})"
        for place, names in groups:
            if np.linalg.norm(place - h) < 0.08 * span:
                names.append(name)
                break
        else:
            groups.append((h, [name]))
    for place, names in groups:
        ax.annotate(
            " and ".join(names),
            tuple(place),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize="x-small",
        )


def _draw_output_line(ax: Axes, model: MLP, box: tuple[float, float]) -> None:
    """The output's decision line across the square ``box`` of the hidden plane, class 1's side
    shaded."""
    v, c = output_line(model)
    s = np.linspace(*box, 2)
    if abs(v[1]) >= abs(v[0]):
        line = (s, -(v[0] * s + c) / v[1])
    else:
        line = (-(v[1] * s + c) / v[0], s)
    ax.plot(*line, color="k", lw=1.5, label="output's line")
    g1, g2 = np.meshgrid(np.linspace(*box, 200), np.linspace(*box, 200))
    ax.contourf(
        g1,
        g2,
        (g1 * v[0] + g2 * v[1] + c > 0).astype(float),
        levels=[0.5, 1.5],
        colors=[class_color(1)],
        alpha=0.12,
    )


def _draw_network_decision(
    ax: Axes, model: MLP, X: np.ndarray, y: np.ndarray, limits: tuple[float, float]
) -> None:
    """The network's probability of class 1 over the input plane, its 0.5 contour, and the
    hidden units' lines dashed."""
    lo, hi = limits
    W1, b1 = model.layers[0].params["W"], model.layers[0].params["b"]
    xs = np.linspace(lo, hi, 200)
    p1, p2 = np.meshgrid(xs, xs)
    points = np.column_stack([p1.ravel(), p2.ravel()])
    proba = model.forward(points)[:, 1].reshape(200, 200)
    d = xs[1] - xs[0]
    ax.imshow(
        proba,
        origin="lower",
        extent=(lo - d / 2, hi + d / 2, lo - d / 2, hi + d / 2),
        cmap=DIVERGING_CMAP,
        vmin=0,
        vmax=1,
        alpha=0.5,
        interpolation="nearest",
    )
    for j in range(2):
        z = (points @ W1[:, j] + b1[j]).reshape(200, 200)
        if z.min() < 0 < z.max():
            ax.contour(p1, p2, z, levels=[0.0], colors=[_UNIT_COLORS[j]], linestyles="--")
    if proba.min() < 0.5 < proba.max():
        ax.contour(p1, p2, proba, levels=[0.5], colors="k", linewidths=1.5)
    _scatter(ax, X, y)
    ax.set(xlim=limits, ylim=limits, xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    ax.set_title("network: P(class 1)", fontsize="medium")


def _activation_box(model: MLP, hidden: np.ndarray) -> tuple[float, float]:
    """Limits of the hidden-space panel: the activation's range, or the data's."""
    name = model.activation.name
    if name == "sigmoid":
        return -0.05, 1.05
    if name == "tanh":
        return -1.1, 1.1
    lo, hi = float(hidden.min()), float(hidden.max())
    pad = 0.1 * (hi - lo) if hi > lo else 0.5
    return lo - pad, hi + pad


def _scatter(ax: Axes, points: np.ndarray, y: np.ndarray) -> None:
    """The points, coloured by class."""
    for k in np.unique(y):
        sel = y == k
        ax.scatter(
            points[sel, 0],
            points[sel, 1],
            s=70,
            color=class_color(k),
            edgecolors="k",
            linewidths=0.6,
            zorder=3,
            label=f"class {k}",
        )


# ------------------------------------------------------------------------- directions


def input_gradients(model: MLP, X: Any) -> list[np.ndarray]:
    r"""The gradient of every unit's output with respect to the input, for each sample.

    Forward-mode differentiation: the input's Jacobian is the identity, and each layer maps
    the Jacobian of its input :math:`J` to :math:`f'(Z) \odot (J W)`, the chain rule applied to
    :math:`A = f(A_{\text{prev}} W + \mathbf{b})`. For the first layer this is
    :math:`f'(z_j)\,\mathbf{w}_j`: always a multiple of the unit's weight vector.

    Parameters
    ----------
    model : MLP
        A network with elementwise activations (softmax is allowed only as the output, whose
        gradient is not computed).
    X : array_like, shape (n, n_inputs)
        The points.

    Returns
    -------
    list of numpy.ndarray
        One array per hidden layer, of shape ``(n, units, n_inputs)``: entry ``[i, k]`` is the
        gradient of unit ``k``'s output at sample ``i``.
    """
    a = as_batch(X, "X", n_features=model.sizes[0], dtype=np.float64)
    jacobian = np.broadcast_to(np.eye(a.shape[1]), (a.shape[0], a.shape[1], a.shape[1]))
    gradients = []
    for layer in model.layers[:-1]:
        z = a @ layer.params["W"] + layer.params["b"]
        # d z_k / d x = sum_j W[j, k] d a_j / d x, for every sample
        dz = np.einsum("njd,jk->nkd", jacobian, layer.params["W"])
        jacobian = layer.activation.derivative(z)[:, :, None] * dz
        a = layer.activation(z)
        gradients.append(jacobian)
    return gradients


def direction_spread(gradients: Any, floor: float = 1e-3) -> float:
    r"""How far the direction of steepest change of one unit turns across the plane, in degrees.

    For a function of one weighted sum, :math:`f(\mathbf{w}\cdot\mathbf{x} + b)`, the gradient
    :math:`f'\,\mathbf{w}` always points along :math:`\pm\mathbf{w}`: the spread is 0 and the
    level lines are parallel straight lines. A function that combines several directions has
    level lines that bend, and its gradient turns.

    Directions are taken up to sign (angles modulo 180 degrees), at the points where the
    gradient is longer than ``floor`` times the longest one (a zero gradient has no direction).
    The spread is the largest angle between one of those directions and their mean direction,
    computed as the mean of the doubled angles, the usual way to average axes.

    Parameters
    ----------
    gradients : array_like, shape (n, 2)
        The gradient of one unit at ``n`` points, e.g. ``input_gradients(model, X)[l][:, k]``.
    floor : float
        Relative length below which a gradient counts as zero and is ignored.

    Returns
    -------
    float
        The spread, from 0 to 90 degrees; 0 when every gradient is zero.

    Raises
    ------
    ValueError
        If ``gradients`` does not have shape ``(n, 2)``.
    """
    g = as_finite_array(gradients, "gradients", dtype=np.float64)
    if g.ndim != 2 or g.shape[1] != 2:
        raise ValueError(f"gradients must have shape (n, 2), got {g.shape}")
    length = np.hypot(g[:, 0], g[:, 1])
    steep = length > check_positive(floor, "floor") * length.max() if length.size else length
    if not np.any(steep):
        return 0.0
    doubled = 2 * np.arctan2(g[steep, 1], g[steep, 0])
    mean = np.angle(np.mean(np.exp(1j * doubled)))
    deviation = np.abs(np.angle(np.exp(1j * (doubled - mean)))) / 2
    return float(np.degrees(deviation.max()))


# ------------------------------------------------------------------------ the sawtooth


def sawtooth_network(depth: int) -> MLP:
    r"""A ReLU network that folds the unit interval ``depth`` times: a sawtooth.

    The tent map :math:`t(x) = 2\min(x, 1 - x)` sends :math:`[0, 1]` onto itself, folding it in
    the middle, and two ReLU units compute it: :math:`t(x) = 2\,\mathrm{relu}(x) -
    4\,\mathrm{relu}(x - \tfrac12)` for :math:`0 \le x \le 1`. Each hidden layer holds these two
    units; the next layer reads :math:`t` of its input from them, so the network with
    ``depth`` hidden layers and an identity output computes :math:`t` composed ``depth``
    times, which has :math:`2^{\text{depth}}` linear pieces and :math:`2^{\text{depth} - 1}`
    teeth, with only ``2 * depth`` hidden units.

    Parameters
    ----------
    depth : int
        Number of hidden layers, at least 1.

    Returns
    -------
    MLP
        Sizes ``[1, 2, ..., 2, 1]``, ReLU hidden layers, identity output, quadratic cost.
    """
    depth = check_positive(depth, "depth", integer=True)
    net = MLP([1, *[2] * depth, 1], activation="relu", output="identity", cost="quadratic")
    first, *middle, last = net.layers
    first.params["W"][...] = [[1.0, 1.0]]
    first.params["b"][...] = [0.0, -0.5]
    for layer in middle:
        # u = 2 h1 - 4 h2 = t(previous input); this layer computes relu(u) and relu(u - 1/2).
        layer.params["W"][...] = [[2.0, 2.0], [-4.0, -4.0]]
        layer.params["b"][...] = [0.0, -0.5]
    last.params["W"][...] = [[2.0], [-4.0]]
    last.params["b"][...] = [0.0]
    return net


def count_linear_pieces(x: Any, y: Any, tol: float = 1e-9) -> int:
    """Count the linear pieces of a piecewise-linear function sampled at ``x``.

    The slope between neighbouring samples is computed; every change of slope larger than
    ``tol`` (relative to the largest slope) starts a new piece. Kinks must fall on sample
    points for the count to be exact, or a kink between two samples adds a short extra piece.

    Parameters
    ----------
    x : array_like, shape (n,)
        Increasing sample points, at least 2.
    y : array_like, shape (n,)
        The function's values there.
    tol : float
        Relative tolerance on a change of slope.

    Returns
    -------
    int
        The number of pieces, at least 1.
    """
    x = as_finite_array(x, "x", dtype=np.float64).ravel()
    y = as_finite_array(y, "y", dtype=np.float64).ravel()
    if x.size < 2 or y.size != x.size:
        raise ValueError(f"x and y need the same length, at least 2; got {x.size} and {y.size}")
    if np.any(np.diff(x) <= 0):
        raise ValueError("x must be strictly increasing")
    slopes = np.diff(y) / np.diff(x)
    scale = max(float(np.abs(slopes).max()), 1.0)
    return 1 + int(np.sum(np.abs(np.diff(slopes)) > tol * scale))


def draw_sawtooth(depths: Sequence[int] = (1, 2, 3, 4), fig: Figure | None = None) -> Figure:
    """Draw the output of :func:`sawtooth_network` for several depths, one panel each.

    Parameters
    ----------
    depths : sequence of int
        The depths to show.
    fig : matplotlib.figure.Figure, optional
        Where to draw (it is cleared); a new figure 2.2 inches wide per panel when None.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per depth, each with one line: the network's output on ``[0, 1]``, sampled
        at 1025 evenly spaced points.
    """
    depths = [check_positive(d, "depth", integer=True) for d in depths]
    if not depths:
        raise ValueError("draw_sawtooth needs at least one depth, got none")
    fig = figure_for(fig, (2.2 * len(depths), 2.4))
    axes = fig.subplots(1, len(depths), sharey=True, squeeze=False)[0]
    x = np.linspace(0.0, 1.0, 1025)
    for ax, depth in zip(axes, depths, strict=True):
        y = sawtooth_network(depth).forward(x[:, None])[:, 0]
        ax.plot(x, y, color=PALETTE[0], lw=1.5)
        units = 2 * depth
        ax.set_title(
            f"{depth} hidden layer{'s' if depth > 1 else ''}, {units} units\n"
            f"{count_linear_pieces(x, y)} linear pieces",
            fontsize="small",
        )
        ax.set_xlabel("$x$")
    axes[0].set_ylabel("output")
    return fig
