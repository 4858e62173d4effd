r"""Explorations of lesson 02, *Activation functions*.

The drawing functions behind the lesson's figures, its live widget and its kernel-free player.
Each takes an optional ``fig``: when it is ``None`` a new figure is created, otherwise the
drawing goes into the given (empty) figure, which is how :func:`neuronet.course.player` reuses
one figure for every frame. Every function returns the figure and none calls ``plt.show()``.

- :func:`draw_activation`: one activation and its derivative on :math:`[-z_{\max}, z_{\max}]`
  (the widget and the player).
- :func:`draw_activation_gallery`: several activations side by side.
- :func:`draw_network_function`: what a small random network computes with each hidden
  activation; with the identity it is a straight line, however many units it has.
- :func:`draw_derivatives`: the derivatives together, on a linear and a logarithmic scale
  (saturation).
- :func:`draw_relu_sparsity`: how many ReLU outputs are exactly zero, and which units are dead.
- :func:`draw_softmax`: a softmax distribution at several temperatures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from neuronet.activations import Softmax, get_activation
from neuronet.course.player import figure_for
from neuronet.course.plots import NEGATIVE_COLOR, PALETTE, POSITIVE_COLOR, plot_activation
from neuronet.layers import Dense
from neuronet.validation import as_finite_array, check_positive

__all__ = [
    "OUTPUT_RANGES",
    "draw_activation",
    "draw_activation_gallery",
    "draw_derivatives",
    "draw_network_function",
    "draw_relu_sparsity",
    "draw_softmax",
]

#: The set of values each activation can output, as shown in the figure titles.
OUTPUT_RANGES: dict[str, str] = {
    "step": "{0, 1}",
    "sigmoid": "(0, 1)",
    "tanh": "(−1, 1)",
    "relu": "[0, ∞)",
    "leaky_relu": "(−∞, ∞)",
    "identity": "(−∞, ∞)",
    "softmax": "(0, 1), summing to 1",
}

#: The activations of the gallery: the identity is left out, it is the subject of its own section.
GALLERY: tuple[str, ...] = ("step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax")


def _title(name: str) -> str:
    """The title of an activation's panel: its name and the range of its outputs."""
    return f"{name.replace('_', ' ')} · outputs in {OUTPUT_RANGES[name]}"


def draw_activation(name: str = "sigmoid", z_max: float = 5.0, fig: Figure | None = None) -> Figure:
    r"""Draw an activation and, dashed, its derivative for :math:`-z_{\max} \le z \le z_{\max}`.

    A thin layer over :func:`neuronet.course.plots.plot_activation`, on 801 points from
    :math:`-z_{\max}` to :math:`z_{\max}` (0 included). The step's derivative is drawn as 0, its
    value everywhere except at 0, where it has none. Softmax is not elementwise, so it is shown
    for two classes: the probability :math:`p_1 = \mathrm{softmax}(z_1, z_2)_1` of the first
    class against the difference :math:`z = z_1 - z_2`, which is the sigmoid of :math:`z`.

    Parameters
    ----------
    name : str
        A key of :data:`neuronet.activations.ACTIVATIONS`, such as ``"relu"``.
    z_max : float
        Half-width of the input range; widen it to see the sigmoid and tanh saturate.
    fig : matplotlib.figure.Figure, optional
        Where to draw (empty); a new 7 x 4 inch figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes titled with the name and the range of the outputs, holding three lines: the
        activation, its derivative, and a thin grey line at 0.

    Raises
    ------
    ValueError
        If ``name`` is unknown (the message lists the valid names) or ``z_max`` is not a
        positive finite number.
    """
    act = get_activation(name)
    z_max = check_positive(z_max, "z_max")
    fig = figure_for(fig, (7.0, 4.0))
    ax = fig.add_subplot()
    plot_activation(act, np.linspace(-z_max, z_max, 801), ax=ax)
    ax.set_title(_title(act.name))
    ax.set_xlim(-z_max, z_max)
    ax.axhline(0.0, color="0.8", linewidth=0.8, zorder=0)
    ax.legend(loc="upper left")
    return fig


def draw_activation_gallery(
    names: Sequence[str] = GALLERY, z_max: float = 5.0, fig: Figure | None = None
) -> Figure:
    r"""Draw several activations with their derivatives, one panel each, two per row.

    Parameters
    ----------
    names : sequence of str
        Keys of :data:`neuronet.activations.ACTIVATIONS`, in the order of the panels; by default
        step, sigmoid, tanh, ReLU, leaky ReLU and softmax.
    z_max : float
        Every panel shows :math:`-z_{\max} \le z \le z_{\max}`.
    fig : matplotlib.figure.Figure, optional
        Where to draw (empty); a new figure sized to the grid when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per name, each holding the activation then, dashed, its derivative, as in
        :func:`draw_activation` but without a legend.

    Raises
    ------
    ValueError
        If ``names`` is empty or holds an unknown name, or ``z_max`` is not positive.
    """
    acts = [get_activation(name) for name in names]
    if not acts:
        raise ValueError("names must hold at least one activation name, got none")
    z_max = check_positive(z_max, "z_max")
    ncols = min(2, len(acts))
    nrows = -(-len(acts) // ncols)
    fig = figure_for(fig, (3.4 * ncols, 2.4 * nrows))
    z = np.linspace(-z_max, z_max, 801)
    for k, act in enumerate(acts):
        ax = fig.add_subplot(nrows, ncols, k + 1)
        plot_activation(act, z, ax=ax)
        ax.set_title(_title(act.name), fontsize="medium")
        ax.set_xlim(-z_max, z_max)
        ax.set_ylabel("")
        ax.get_legend().remove()  # the caption says: solid function, dashed derivative
    return fig


def draw_network_function(
    names: Sequence[str] = ("identity", "tanh", "relu"),
    n_hidden: int = 8,
    seed: int = 0,
    fig: Figure | None = None,
) -> Figure:
    r"""Draw the function :math:`x \mapsto y` computed by a random 1-``n_hidden``-1 network.

    The network is two :class:`neuronet.layers.Dense` layers: ``n_hidden`` hidden units with the
    activation under test, then one identity output unit. Every hidden activation gets the same
    weights (He initialization for the hidden layer, Xavier for the output) and the same biases
    (standard normal), all drawn from independent streams spawned from ``seed``, so the curves
    differ only by the activation. With the
    identity the network is affine, :math:`y = (w_1 W_2) x + (b_1 W_2 + b_2)`: a straight line.

    Parameters
    ----------
    names : sequence of str
        The hidden activations to compare, one curve each (elementwise ones: not softmax).
    n_hidden : int
        Number of hidden units.
    seed : int
        Seed of the weights and biases.
    fig : matplotlib.figure.Figure, optional
        Where to draw (empty); a new 6.4 x 4 inch figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes with one line per name, labelled with the name, on 401 points of
        :math:`[-3, 3]`.

    Raises
    ------
    ValueError
        If ``names`` is empty, holds an unknown name or softmax, or ``n_hidden`` is not a
        positive integer.
    """
    acts = [get_activation(name) for name in names]
    if not acts:
        raise ValueError("names must hold at least one activation name, got none")
    for act in acts:
        if not act.elementwise:
            raise ValueError(
                f"draw_network_function needs elementwise hidden activations, got {act.name!r}"
            )
    n_hidden = check_positive(n_hidden, "n_hidden", integer=True)
    # Three independent streams: the weights of each layer, and the biases.
    seed_hidden, seed_output, seed_bias = np.random.SeedSequence(seed).spawn(3)
    rng = np.random.default_rng(seed_bias)
    b1 = rng.standard_normal(n_hidden)
    b2 = rng.standard_normal(1)
    x = np.linspace(-3.0, 3.0, 401)[:, None]
    fig = figure_for(fig, (6.4, 4.0))
    ax = fig.add_subplot()
    for k, act in enumerate(acts):
        hidden = Dense(1, n_hidden, activation=act, init="he", seed=seed_hidden)
        output = Dense(n_hidden, 1, activation="identity", init="xavier", seed=seed_output)
        hidden.params["b"][:] = b1
        output.params["b"][:] = b2
        y = output.forward(hidden.forward(x))[:, 0]
        ax.plot(x[:, 0], y, color=PALETTE[k % len(PALETTE)], label=act.name.replace("_", " "))
    ax.set_xlabel("input $x$")
    ax.set_ylabel("network output $y$")
    ax.set_title(f"one random 1-{n_hidden}-1 network, different hidden activations")
    ax.legend(title="hidden activation")
    return fig


def draw_derivatives(
    names: Sequence[str] = ("sigmoid", "tanh", "relu", "leaky_relu"),
    z_max: float = 10.0,
    fig: Figure | None = None,
) -> Figure:
    r"""Draw the derivatives of several activations together, on a linear and a log scale.

    Left, every :math:`\sigma'(z)` for :math:`|z| \le z_{\max}`, with a dotted line at
    :math:`1/4`, the largest value of the sigmoid's derivative. Right, the same curves on a
    logarithmic scale, which shows how fast the sigmoid's and tanh's derivatives fall as
    :math:`|z|` grows: saturation. A log scale cannot show 0, so zero values are left out of the
    right panel (ReLU for :math:`z \le 0`, and tanh's :math:`1 - \tanh^2 z` beyond
    :math:`|z| \approx 19`, where :math:`\tanh z` rounds to :math:`\pm 1` in float64).

    Parameters
    ----------
    names : sequence of str
        Elementwise activations with a derivative (not step or softmax).
    z_max : float
        Half-width of the input range.
    fig : matplotlib.figure.Figure, optional
        Where to draw (empty); a new 8.5 x 3.6 inch figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        Two Axes. The left one holds one line per name, in order, then the dotted 1/4 line; the
        right one holds one line per name, in order, with NaN where the derivative is 0.

    Raises
    ------
    ValueError
        If ``names`` is empty or names an activation without an elementwise derivative, or
        ``z_max`` is not positive.
    """
    acts = [get_activation(name) for name in names]
    if not acts:
        raise ValueError("names must hold at least one activation name, got none")
    z_max = check_positive(z_max, "z_max")
    z = np.linspace(-z_max, z_max, 801)
    derivatives = [act.derivative(z) for act in acts]  # step and softmax raise ValueError here
    fig = figure_for(fig, (8.5, 3.6))
    linear, log = fig.subplots(1, 2)
    for k, (act, d) in enumerate(zip(acts, derivatives, strict=True)):
        label, color = act.name.replace("_", " "), PALETTE[k % len(PALETTE)]
        linear.plot(z, d, color=color, label=label)
        log.semilogy(z, np.where(d > 0, d, np.nan), color=color, label=label)
    linear.axhline(0.25, color="0.4", linestyle=":", linewidth=1.2, label="1/4")
    linear.set_title("derivatives $\\sigma'(z)$")
    linear.set_xlabel("$z$")
    linear.set_ylabel("$\\sigma'(z)$")
    linear.legend(loc="upper left", fontsize="small")
    log.set_title("log scale: how small they get")
    log.set_xlabel("$z$")
    log.legend(loc="lower center", fontsize="small")
    return fig


def draw_relu_sparsity(z: Any, fig: Figure | None = None) -> Figure:
    r"""Show which ReLU outputs are exactly zero, for a batch of pre-activations.

    A ReLU unit outputs :math:`\max(z, 0)`, so it outputs exactly 0 wherever :math:`z \le 0`.
    Left, the histogram of all the pre-activations, the part that the ReLU sets to zero in blue;
    the title gives that fraction. Right, for each unit, the fraction of samples on which it
    outputs 0; a unit at 1 is *dead* on this batch (vermillion): it outputs 0 and receives a
    zero gradient for every sample.

    Parameters
    ----------
    z : array_like, shape (batch, units)
        Pre-activations :math:`Z = XW + b` of a layer, one sample per row.
    fig : matplotlib.figure.Figure, optional
        Where to draw (empty); a new 8.5 x 3.4 inch figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        Two Axes: the histogram (two bar containers, ``z <= 0`` then ``z > 0``) and the bars of
        the per-unit zero fractions (one bar per unit, in unit order).

    Raises
    ------
    ValueError
        If ``z`` is not a finite 2-D array with at least one row and one column.
    """
    z = as_finite_array(z, "z", dtype=np.float64)
    if z.ndim != 2 or 0 in z.shape:
        raise ValueError(f"z must be a 2-D (batch, units) array, got shape {z.shape}")
    zero = z <= 0
    per_unit = zero.mean(axis=0)
    dead = per_unit == 1.0
    fig = figure_for(fig, (8.5, 3.4))
    hist, units = fig.subplots(1, 2, width_ratios=(1, 1.3))
    bins = np.linspace(z.min(), z.max(), 41) if z.max() > z.min() else 41
    low, _, _ = hist.hist(
        z[zero], bins=bins, color=NEGATIVE_COLOR, label="$z \\leq 0$: ReLU gives 0"
    )
    high, _, _ = hist.hist(
        z[~zero], bins=bins, color=POSITIVE_COLOR, label="$z > 0$: ReLU gives $z$"
    )
    hist.set_ylim(0, 1.45 * max(low.max(), high.max(), 1))  # room for the legend
    hist.set_xlabel("pre-activation $z$")
    hist.set_ylabel("count")
    hist.set_title(f"{zero.mean():.1%} of the ReLU outputs are exactly 0")
    hist.legend(loc="upper left", fontsize="small")
    colors = np.where(dead, POSITIVE_COLOR, "0.6")
    units.bar(np.arange(z.shape[1]), per_unit, width=1.0, color=colors)
    units.set_ylim(0, 1.05)
    units.set_xlabel("unit")
    units.set_ylabel("share of samples with output 0")
    units.set_title(f"{int(dead.sum())} of {z.shape[1]} units dead (all outputs 0)")
    return fig


def draw_softmax(
    scores: Any, temperatures: Sequence[float] = (1.0,), fig: Figure | None = None
) -> Figure:
    r"""Draw the softmax probabilities of a vector of scores, at one or more temperatures.

    At temperature :math:`T` the probabilities are :math:`\mathrm{softmax}(z / T)`: a small
    :math:`T` sharpens them towards the one-hot vector of the largest score (a hard decision), a
    large :math:`T` flattens them towards the uniform distribution. :math:`T = 1` is the plain
    softmax.

    Parameters
    ----------
    scores : array_like, shape (K,)
        The scores (logits) :math:`z_1, \dots, z_K`, at least two.
    temperatures : sequence of float
        Positive temperatures, one group of bars each.
    fig : matplotlib.figure.Figure, optional
        Where to draw (empty); a new 7 x 3.6 inch figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes with one bar container per temperature, in order, each holding the ``K``
        probabilities as bar heights.

    Raises
    ------
    ValueError
        If ``scores`` is not a finite 1-D array of at least two numbers, or a temperature is not
        positive, or there is none.
    """
    z = as_finite_array(scores, "scores", dtype=np.float64)
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"scores must be a 1-D array of at least 2 numbers, got shape {z.shape}")
    temps = [check_positive(t, "temperature") for t in temperatures]
    if not temps:
        raise ValueError("temperatures must hold at least one temperature, got none")
    softmax = Softmax()
    fig = figure_for(fig, (7.0, 3.6))
    ax = fig.add_subplot()
    width = 0.8 / len(temps)
    classes = np.arange(z.size)
    for k, t in enumerate(temps):
        offset = (k - (len(temps) - 1) / 2) * width
        ax.bar(
            classes + offset,
            softmax(z / t),
            width=width,
            color=PALETTE[k % len(PALETTE)],
            label=f"$T = {t:g}$",
        )
    ax.set_xticks(classes, [f"class {k}\n$z = {v:g}$" for k, v in enumerate(z)])
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    ax.set_title("softmax$(z / T)$: one probability distribution per temperature")
    ax.legend(title="temperature")
    return fig
