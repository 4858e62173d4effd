r"""Lesson 06: which part of the error each weight is responsible for.

The exploration of the backpropagation lesson works on the smallest network that has a hidden
layer worth the name: two inputs, two sigmoid hidden units, one sigmoid output and the quadratic
cost of one sample,

.. math::

   z_1 = x W_1 + b_1, \quad a_1 = \sigma(z_1), \quad
   z_2 = a_1 W_2 + b_2, \quad a_2 = \sigma(z_2), \quad
   C = \tfrac12 (a_2 - y)^2,

with :math:`W_1` of shape ``(2, 2)`` and :math:`W_2` of shape ``(2, 1)`` (neuronet's
``(n_in, n_out)`` convention). Its nine parameters are named after their place in these arrays:
``w1_ij`` is :math:`W_1[i, j]`, the weight from input :math:`i` to hidden unit :math:`j`;
``b1_j`` is the bias of hidden unit :math:`j`; ``w2_j1`` is the weight from hidden unit :math:`j`
to the output and ``b2_1`` the output's bias (indices start at 1, as in the text).

Because the network has a single output, each parameter reaches the cost along exactly one path,
and the chain rule writes its derivative as a product of local factors, one per step of that path.
:func:`weight_share` returns those factors; :func:`draw_weight_share` draws the network with the
path highlighted. :func:`draw_layer_norms` draws the size of the error signal layer by layer,
for the lesson's look at vanishing gradients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from neuronet.activations import Sigmoid
from neuronet.course.player import figure_for
from neuronet.course.plots import PALETTE
from neuronet.validation import as_finite_array

__all__ = [
    "PARAMETER_NAMES",
    "SAMPLES",
    "WeightShare",
    "draw_layer_norms",
    "draw_weight_share",
    "tiny_network",
    "weight_share",
]

#: The nine parameters of the 2-2-1 network, in the order of the bar chart.
PARAMETER_NAMES: tuple[str, ...] = (
    "w1_11",
    "w1_12",
    "w1_21",
    "w1_22",
    "b1_1",
    "b1_2",
    "w2_11",
    "w2_21",
    "b2_1",
)

#: The samples ``((x1, x2), y)`` offered by the lesson's sample selector. In the third, input 1
#: is zero, so the weights leaving it have no share of the error.
SAMPLES: tuple[tuple[tuple[float, float], float], ...] = (
    ((0.8, -0.4), 0.0),
    ((-0.5, 1.0), 1.0),
    ((0.0, -1.0), 1.0),
)

_SIGMOID = Sigmoid()
_HIGHLIGHT = PALETTE[1]  # vermillion: the chosen parameter
_PATH = PALETTE[3]  # orange: the way back from the cost
_OTHER = "0.75"  # light grey: everything else


def tiny_network() -> dict[str, np.ndarray]:
    """The weights of the lesson's 2-2-1 network (fresh arrays on every call).

    Returns
    -------
    dict
        ``{"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}``, float64.
    """
    return {
        "W1": np.array([[0.5, -0.3], [0.8, 0.2]]),
        "b1": np.array([0.1, -0.1]),
        "W2": np.array([[1.5], [-1.0]]),
        "b2": np.array([0.2]),
    }


@dataclass(frozen=True)
class WeightShare:
    r"""The derivative of the cost with respect to one parameter, split into chain-rule factors.

    Attributes
    ----------
    name : str
        The parameter, e.g. ``"w1_21"``.
    value : float
        The parameter's current value.
    gradient : float
        :math:`\partial C/\partial w`, the product of the factors.
    factors : tuple of (str, float)
        ``(symbol, value)`` of each local derivative on the path from the cost back to the
        parameter, cost side first. The symbols are matplotlib mathtext.
    derivatives : tuple of str
        What each factor is, in plain text, aligned with ``factors``: ``"∂C/∂a2"``,
        ``"∂a2/∂z2"``, ..., ending with the derivative with respect to the parameter.
    path : tuple of str
        The edges the error travels back along: ``"cost"`` (output to cost), then the
        parameters crossed, ending with ``name``.
    cost : float
        The cost :math:`C = \frac12 (a_2 - y)^2` of the sample.
    """

    name: str
    value: float
    gradient: float
    factors: tuple[tuple[str, float], ...]
    derivatives: tuple[str, ...]
    path: tuple[str, ...]
    cost: float


def _parameter_index(name: str) -> tuple[str, tuple[int, ...]]:
    """Array key and index of a parameter name, e.g. ``"w1_21" -> ("W1", (1, 0))``."""
    if name not in PARAMETER_NAMES:
        raise ValueError(
            f"unknown parameter {name!r}; the 2-2-1 network's parameters are "
            f"{', '.join(PARAMETER_NAMES)}"
        )
    kind, digits = name.split("_")
    key = kind[0].upper() + kind[1] if kind[0] == "w" else kind
    return key, tuple(int(d) - 1 for d in digits)


def _checked(params: Mapping[str, Any] | None, x: Any, y: Any) -> tuple[dict, np.ndarray, float]:
    if params is None:
        params = tiny_network()
    shapes = {"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}
    checked = {}
    for key, shape in shapes.items():
        if key not in params:
            raise ValueError(f"params must have the keys W1, b1, W2, b2; {key!r} is missing")
        value = as_finite_array(params[key], f"params[{key!r}]", dtype=np.float64)
        if value.shape != shape:
            raise ValueError(f"params[{key!r}] must have shape {shape}, got {value.shape}")
        checked[key] = value
    x = as_finite_array(SAMPLES[0][0] if x is None else x, "x", dtype=np.float64)
    if x.shape != (2,):
        raise ValueError(f"x must be one sample with 2 inputs, shape (2,), got {x.shape}")
    y = as_finite_array(SAMPLES[0][1] if y is None else y, "y", dtype=np.float64)
    if y.size != 1:
        raise ValueError(f"y must be a single target value, got shape {y.shape}")
    return checked, x, float(y.reshape(()))


def weight_share(
    name: str, params: Mapping[str, Any] | None = None, x: Any = None, y: Any = None
) -> WeightShare:
    r"""Split :math:`\partial C/\partial w` for one parameter of the 2-2-1 network into factors.

    The forward pass gives :math:`z_1, a_1, z_2, a_2`. Going back from the cost, every parameter
    first meets :math:`\partial C/\partial a_2 = a_2 - y` and
    :math:`\partial a_2/\partial z_2 = \sigma'(z_2)`, whose product is the output error
    :math:`\delta_2`. An output weight ``w2_j1`` then contributes its input,
    :math:`\partial z_2/\partial w_{j1} = a_{1,j}` (1 for the bias ``b2_1``). A hidden parameter
    goes one layer further: :math:`\partial z_2/\partial a_{1,j} = W_2[j, 1]`,
    :math:`\partial a_{1,j}/\partial z_{1,j} = \sigma'(z_{1,j})`, and finally the input
    :math:`x_i` of ``w1_ij`` (1 for the bias ``b1_j``). So, for example,

    .. math::

       \frac{\partial C}{\partial W_1[i, j]}
       = (a_2 - y)\, \sigma'(z_2)\, W_2[j, 1]\, \sigma'(z_{1,j})\, x_i .

    Parameters
    ----------
    name : str
        One of :data:`PARAMETER_NAMES`.
    params : mapping, optional
        ``{"W1", "b1", "W2", "b2"}`` with the shapes of :func:`tiny_network`; that network when
        None.
    x : array_like, shape (2,), optional
        The input; the first of :data:`SAMPLES` when None.
    y : float, optional
        The target; the first of :data:`SAMPLES` when None.

    Returns
    -------
    WeightShare
        The factors, their product (the gradient) and the path they come from.

    Raises
    ------
    ValueError
        If ``name`` is not a parameter of the network, or an array has the wrong shape or is not
        finite.
    """
    key, index = _parameter_index(name)
    p, x, y = _checked(params, x, y)
    z1 = x @ p["W1"] + p["b1"]
    a1 = _SIGMOID(z1)
    z2 = a1 @ p["W2"] + p["b2"]
    a2 = float(_SIGMOID(z2)[0])
    s2 = float(_SIGMOID.derivative(z2)[0])
    factors = [(r"$(a_2 - y)$", a2 - y), (r"$\sigma'(z_2)$", s2)]
    derivatives = ["∂C/∂a2", "∂a2/∂z2"]
    if key in ("W2", "b2"):
        j = index[0]
        factors.append((f"$a_{{1,{j + 1}}}$", float(a1[j])) if key == "W2" else ("$1$", 1.0))
        derivatives.append(f"∂z2/∂{name}")
        path = ("cost", name)
    else:
        j = index[-1]  # the hidden unit the parameter feeds
        unit = f"1_{j + 1}"
        factors.append((f"w2_{j + 1}1", float(p["W2"][j, 0])))
        factors.append((f"$\\sigma'(z_{{1,{j + 1}}})$", float(_SIGMOID.derivative(z1)[j])))
        derivatives += [f"∂z2/∂a{unit}", f"∂a{unit}/∂z{unit}", f"∂z{unit}/∂{name}"]
        if key == "W1":
            i = index[0]
            factors.append((f"$x_{{{i + 1}}}$", float(x[i])))
        else:
            factors.append(("$1$", 1.0))
        path = ("cost", f"w2_{j + 1}1", name)
    gradient = float(np.prod([value for _, value in factors]))
    return WeightShare(
        name=name,
        value=float(p[key][index]),
        gradient=gradient,
        factors=tuple(factors),
        derivatives=tuple(derivatives),
        path=path,
        cost=0.5 * (a2 - y) ** 2,
    )


# --- drawing ----------------------------------------------------------------------------------

#: Where each node of the diagram sits, in data coordinates.
_NODES: dict[str, tuple[float, float]] = {
    "x1": (0.0, 0.6),
    "x2": (0.0, -0.6),
    "h1": (1.0, 0.6),
    "h2": (1.0, -0.6),
    "out": (2.0, 0.0),
    "C": (3.0, 0.0),
    "bias1": (0.0, 1.6),
    "bias2": (1.0, 1.6),
}
_NODE_LABELS = {
    "x1": "$x_1$",
    "x2": "$x_2$",
    "h1": "$a_{1,1}$",
    "h2": "$a_{1,2}$",
    "out": "$a_2$",
    "C": "$C$",
    "bias1": "1",
    "bias2": "1",
}
#: Each edge of the diagram, named after the parameter it carries ("cost": output to cost).
_EDGES: dict[str, tuple[str, str]] = {
    "w1_11": ("x1", "h1"),
    "w1_12": ("x1", "h2"),
    "w1_21": ("x2", "h1"),
    "w1_22": ("x2", "h2"),
    "b1_1": ("bias1", "h1"),
    "b1_2": ("bias1", "h2"),
    "w2_11": ("h1", "out"),
    "w2_21": ("h2", "out"),
    "b2_1": ("bias2", "out"),
    "cost": ("out", "C"),
}


def _draw_diagram(ax: Any, share: WeightShare) -> None:
    for edge, (start, end) in _EDGES.items():
        (x0, y0), (x1, y1) = _NODES[start], _NODES[end]
        if edge == share.name:
            color, width, style, z = _HIGHLIGHT, 4.0, "-", 2
        elif edge in share.path:
            color, width, style, z = _PATH, 2.5, "--", 2
        else:
            color, width, style, z = _OTHER, 1.2, "-", 1
        ax.add_line(Line2D([x0, x1], [y0, y1], color=color, lw=width, ls=style, zorder=z, gid=edge))
    on_path = {node for edge in share.path for node in _EDGES[edge]}
    for node, (xn, yn) in _NODES.items():
        square = node.startswith("bias")
        ax.scatter(
            [xn],
            [yn],
            s=260 if square else 620,
            marker="s" if square else "o",
            facecolors="white",
            edgecolors=_PATH if node in on_path else "k",
            linewidths=2.0 if node in on_path else 1.0,
            zorder=3,
        )
        ax.text(xn, yn, _NODE_LABELS[node], ha="center", va="center", fontsize=9, zorder=4)
    start, end = _EDGES[share.name]
    (x0, y0), (x1, y1) = _NODES[start], _NODES[end]
    ax.text(
        0.5 * (x0 + x1),
        0.5 * (y0 + y1) + 0.12,
        f"{share.name} = {share.value:.2f}",
        color=_HIGHLIGHT,
        ha="center",
        va="bottom",
        fontsize=9,
        zorder=5,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.85},
    )
    ax.annotate(
        "",
        xy=(0.3, -1.25),
        xytext=(2.9, -1.25),
        arrowprops={"arrowstyle": "->", "color": _PATH, "lw": 1.5},
    )
    ax.text(
        1.6,
        -1.38,
        "backward pass: the error flows from C",
        color=_PATH,
        ha="center",
        va="top",
        fontsize=9,
    )
    ax.set_xlim(-0.35, 3.35)
    ax.set_ylim(-1.7, 1.95)
    ax.set_aspect("equal")
    ax.set_axis_off()


def draw_weight_share(weight: str = "w1_11", sample: int = 0, fig: Figure | None = None) -> Figure:
    r"""Draw the 2-2-1 network with one parameter's share of the error.

    Three parts: the network diagram with the chosen parameter in vermillion and the path the
    error travels back from the cost to it in dashed orange; a bar chart of
    :math:`\partial C/\partial w` for all nine parameters (the chosen one in vermillion), which
    shows how the error of this sample is shared out; and, underneath, the chain-rule product
    that gives the chosen derivative, factor by factor, with the numbers.

    Parameters
    ----------
    weight : str
        One of :data:`PARAMETER_NAMES`.
    sample : int
        Index into :data:`SAMPLES`.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new 8 x 4 inch figure when None.

    Returns
    -------
    matplotlib.figure.Figure
        Its axes are, in order: the diagram (one ``Line2D`` per edge, ``gid`` = parameter name or
        ``"cost"``), the bar chart (bars in :data:`PARAMETER_NAMES` order) and the text panel.

    Raises
    ------
    ValueError
        If ``weight`` is not a parameter of the network or ``sample`` is not an index of
        :data:`SAMPLES`.
    """
    _parameter_index(weight)
    if (
        isinstance(sample, bool)
        or not isinstance(sample, int | np.integer)
        or not (0 <= sample < len(SAMPLES))
    ):
        raise ValueError(f"sample must be an index from 0 to {len(SAMPLES) - 1}, got {sample!r}")
    x, y = SAMPLES[sample]
    shares = {name: weight_share(name, x=x, y=y) for name in PARAMETER_NAMES}
    share = shares[weight]

    fig = figure_for(fig, (8, 4))
    grid = fig.add_gridspec(2, 2, width_ratios=[1.6, 1], height_ratios=[6, 1])
    ax_net = fig.add_subplot(grid[0, 0])
    ax_bar = fig.add_subplot(grid[0, 1])
    ax_text = fig.add_subplot(grid[1, :])

    _draw_diagram(ax_net, share)
    ax_net.set_title(f"x = ({x[0]:g}, {x[1]:g}), y = {y:g}: cost C = {share.cost:.4f}")

    grads = [shares[name].gradient for name in PARAMETER_NAMES]
    colors = [_HIGHLIGHT if name == weight else _OTHER for name in PARAMETER_NAMES]
    positions = np.arange(len(PARAMETER_NAMES))
    ax_bar.barh(positions, grads, color=colors)
    ax_bar.set_yticks(positions, PARAMETER_NAMES)
    ax_bar.invert_yaxis()
    ax_bar.axvline(0.0, color="k", lw=0.8)
    reach = 1.15 * max(abs(g) for g in grads) or 1.0  # all zero when a_2 = y exactly
    ax_bar.set_xlim(-reach, reach)
    ax_bar.xaxis.set_major_locator(MaxNLocator(nbins=4, symmetric=True))
    ax_bar.set_xlabel(r"$\partial C / \partial w$")
    ax_bar.set_title("every parameter's share")

    symbols = r" $\times$ ".join(symbol for symbol, _ in share.factors)
    numbers = r" $\times$ ".join(f"({value:.3g})" for _, value in share.factors)
    ax_text.text(
        0.0,
        0.5,
        f"$\\partial C / \\partial$ {weight} = {symbols}\n= {numbers} = {share.gradient:.4g}",
        ha="left",
        va="center",
        fontsize=10,
        transform=ax_text.transAxes,
    )
    ax_text.set_axis_off()
    fig.suptitle(
        f"share of the error of {weight}: $\\partial C/\\partial w$ = {share.gradient:.4g}"
    )
    return fig


def draw_layer_norms(
    norms: Mapping[str, Sequence[float]],
    fig: Figure | None = None,
    ylabel: str = r"$\Vert \delta^l \Vert$",
    title: str = "size of the error signal, layer by layer",
) -> Figure:
    r"""Plot a per-layer size, such as :math:`\lVert\delta^l\rVert`, for several networks.

    Parameters
    ----------
    norms : mapping of str to sequence of float
        Network label to its values for layers 1, 2, ..., L (first hidden layer first); all
        positive.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (cleared first); a new one when None.
    ylabel, title : str
        Axis label and title.

    Returns
    -------
    matplotlib.figure.Figure
        One line per entry of ``norms``, in order, with x data ``1, ..., L``.

    Raises
    ------
    ValueError
        If ``norms`` is empty or a sequence is empty, not finite or not positive (a log scale
        cannot show zero).
    """
    if not norms:
        raise ValueError("norms must map at least one network label to its per-layer values")
    fig = figure_for(fig, None)
    ax = fig.add_subplot()
    for k, (label, values) in enumerate(norms.items()):
        values = as_finite_array(values, f"norms[{label!r}]", dtype=np.float64)
        if values.ndim != 1 or values.size == 0 or (values <= 0).any():
            raise ValueError(
                f"norms[{label!r}] must be a non-empty 1-D sequence of positive values, got "
                f"{values!r}"
            )
        layers = np.arange(1, values.size + 1)
        ax.semilogy(layers, values, marker="o", color=PALETTE[k % len(PALETTE)], label=label)
    ax.set_xlabel("layer $l$ (1 = first hidden layer)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend()
    return fig
