r"""Lesson 09, *Training in practice*: initialization, overfitting and regularization.

The drawing functions behind the lesson's figures, its live widget and its kernel-free player,
and the small helpers its experiments share. Every drawing function takes an optional ``fig``:
when it is ``None`` a new figure is created, otherwise the drawing goes into the given figure
(cleared first), which is how :func:`neuronet.course.player` reuses one figure for every frame.
Each returns the figure and none calls ``plt.show()``.

How the signal travels through a deep network at initialization:

- :func:`layer_activations` feeds standard normal inputs through a stack of equally wide dense
  layers and returns what every layer outputs; :func:`activation_stats` reduces that to the
  standard deviation per layer.
- :func:`draw_activation_stats`: that standard deviation, layer by layer, and the distribution of
  the first and last layers' outputs, for one initializer and one activation (the widget and the
  player).
- :func:`draw_initializer_comparison`: the same standard deviations for several initializers
  side by side, one panel per activation.
- :func:`draw_saturation`: the distribution of the pre-activations :math:`z` of a tanh layer,
  with the saturated region :math:`|z| > 4` shaded and :math:`\tanh'(z)` on top.

Training on little data:

- :func:`train_network` trains the lesson's network (2-64-64-2, ReLU, softmax) with a fixed
  recipe, so that runs differ only in the regularization they are given.
- :func:`draw_learning_curves` (with :func:`neuronet.course.plots.plot_losses`) and
  :func:`draw_decision_boundaries` draw what those runs did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from neuronet.activations import Tanh
from neuronet.course.player import figure_for
from neuronet.course.plots import PALETTE, plot_decision_boundary, plot_losses
from neuronet.layers import Dense
from neuronet.network import MLP, History
from neuronet.validation import as_finite_array, check_positive

__all__ = [
    "DEPTH",
    "EPOCHS",
    "L2_CANDIDATES",
    "LEARNING_RATE",
    "N_SAMPLES",
    "SIZES",
    "WIDTH",
    "activation_stats",
    "draw_activation_stats",
    "draw_decision_boundaries",
    "draw_initializer_comparison",
    "draw_learning_curves",
    "draw_saturation",
    "layer_activations",
    "train_network",
]

#: Depth, width and batch size of the deep networks whose activations the lesson measures.
DEPTH, WIDTH, N_SAMPLES = 10, 100, 200

#: The network of the overfitting experiments: 2 inputs, two hidden layers of 64 ReLU units,
#: a softmax over the 2 classes.
SIZES: tuple[int, ...] = (2, 64, 64, 2)
#: Adam's learning rate and the number of full-batch epochs of :func:`train_network`.
LEARNING_RATE, EPOCHS = 0.003, 400
#: The L2 strengths of the lesson's exercise, a logarithmic grid with 0 (no penalty) first.
L2_CANDIDATES: tuple[float, ...] = (0.0, 1e-3, 1e-2, 1e-1, 1.0)

_FIRST, _LAST = PALETTE[0], PALETTE[1]  # blue: first layer, vermillion: last layer
_COMPARED = ("small_random", "xavier", "he")

# --- the signal at initialization -------------------------------------------------------------


def layer_activations(
    init: Any,
    depth: int = DEPTH,
    activation: Any = "relu",
    width: int = WIDTH,
    n_samples: int = N_SAMPLES,
    seed: int = 0,
) -> list[np.ndarray]:
    r"""Feed random inputs through ``depth`` fresh dense layers and return every layer's output.

    The inputs are ``n_samples`` standard normal vectors of size ``width`` (so every input
    feature has mean 0 and variance 1, like standardized data). Each layer is a
    :class:`~neuronet.layers.Dense` of ``width`` units with the given activation, weights from
    ``init`` and zero biases. Nothing is trained: this is the network as gradient descent finds
    it. With :math:`\mathrm{Var}(z) = n_{in}\,\mathrm{Var}(w)\,E[x^2]` at every layer, the
    initializer decides whether the signal keeps its size, shrinks or grows with depth.

    One generator, ``numpy.random.default_rng(seed)``, draws first the inputs, then the weights
    of layer 1, layer 2, and so on, so the same arguments always give the same numbers.

    Parameters
    ----------
    init : str or callable
        An initializer of :mod:`neuronet.init` (``"zeros"``, ``"small_random"``, ``"xavier"``,
        ``"he"``) or a function ``f(n_in, n_out, rng, dtype)``.
    depth : int
        Number of layers.
    activation : str or Activation
        The activation of every layer.
    width : int
        Number of inputs and of units in every layer.
    n_samples : int
        Number of input vectors.
    seed : int
        Seed of the generator.

    Returns
    -------
    list of numpy.ndarray
        ``depth`` arrays of shape ``(n_samples, width)``: the activations of layers
        :math:`1, \dots,` ``depth``.

    Raises
    ------
    ValueError
        If ``depth``, ``width`` or ``n_samples`` is not a positive integer, or ``init`` or
        ``activation`` is unknown.
    """
    depth = check_positive(depth, "depth", integer=True)
    width = check_positive(width, "width", integer=True)
    n_samples = check_positive(n_samples, "n_samples", integer=True)
    rng = np.random.default_rng(seed)
    signal = rng.standard_normal((n_samples, width))
    outputs = []
    for _ in range(depth):
        signal = Dense(width, width, activation, init, seed=rng).forward(signal)
        outputs.append(signal)
    return outputs


def activation_stats(
    init: Any,
    depth: int = DEPTH,
    activation: Any = "relu",
    width: int = WIDTH,
    n_samples: int = N_SAMPLES,
    seed: int = 0,
) -> np.ndarray:
    """The standard deviation of every layer's activations (see :func:`layer_activations`).

    Each value is the standard deviation over all samples and all units of a layer. It is exactly
    0 when every unit outputs the same number for every input (then the layer carries no
    information), even where ``numpy.std`` would return a rounding error such as
    :math:`10^{-18}`.

    Returns
    -------
    numpy.ndarray
        Shape ``(depth,)``, layer 1 first.
    """
    outputs = layer_activations(init, depth, activation, width, n_samples, seed)
    return np.array([_spread(a) for a in outputs])


def _spread(a: np.ndarray) -> float:
    """Standard deviation of all entries, exactly 0 when they are all equal."""
    return 0.0 if np.ptp(a) == 0 else float(a.std())


def _name(thing: Any) -> str:
    """A readable name for an initializer or activation given by name or as an object."""
    name = thing if isinstance(thing, str) else getattr(thing, "name", None)
    return str(name or getattr(thing, "__name__", type(thing).__name__)).replace("_", " ")


def _log_limits(values: np.ndarray) -> tuple[float, float]:
    """Log-axis limits that always show 0.01 to 10 and extend to cover ``values``."""
    positive = values[values > 0]
    low = min(1e-2, positive.min() / 3) if positive.size else 1e-2
    high = max(10.0, positive.max() * 3) if positive.size else 10.0
    return low, high


def draw_activation_stats(
    init: str = "he", depth: int = DEPTH, activation: str = "relu", fig: Figure | None = None
) -> Figure:
    r"""Draw how the size of the signal changes from layer to layer in a fresh deep network.

    Left: the standard deviation of each layer's activations (:func:`activation_stats`, on a
    log scale, with a dotted line at 1, the inputs' standard deviation). Right: histograms of the
    outputs of the first and the last layer, on the same bins. Values that are exactly 0 (a ReLU
    that is off, every unit of a zero-initialized layer) are counted in the legend, not drawn,
    so that the spike they make does not flatten the rest.

    Parameters
    ----------
    init : str
        A key of :data:`neuronet.init.INITIALIZERS`.
    depth : int
        Number of layers (at least 1).
    activation : str
        A key of :data:`neuronet.activations.ACTIVATIONS`.
    fig : matplotlib.figure.Figure, optional
        Where to draw (cleared first); a new 8 x 3.4 inch figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        Two Axes. The left one holds one line, the standard deviations of layers 1 to ``depth``
        where they are positive (no line when all are 0; a note says so), and the dotted
        reference line; its title names the initializer, the activation and the depth. The right
        one holds one histogram per layer shown (``patches`` grouped by container).

    Raises
    ------
    ValueError
        If ``init`` or ``activation`` is unknown or ``depth`` is not a positive integer.
    """
    outputs = layer_activations(init, depth, activation)
    stds = np.array([_spread(a) for a in outputs])
    fig = figure_for(fig, (8.0, 3.4))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1.0]})
    _draw_stds_by_layer(left, stds)
    left.set_title(f"{_name(init)} init · {_name(activation)} · {len(stds)} layers")
    _draw_output_histograms(right, outputs)
    return fig


def _note(ax: Axes, text: str) -> None:
    """A vermillion note in the middle of ``ax``."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color=_LAST)


def _draw_stds_by_layer(ax: Axes, stds: np.ndarray) -> None:
    """The standard deviation of each layer's activations where positive, on a log scale, with
    a dotted line at the inputs' 1 and a note when some layers have none."""
    layers = np.arange(1, len(stds) + 1)
    shown = stds > 0
    ax.axhline(1.0, color="0.6", linestyle=":", linewidth=1.2, label="inputs")
    if shown.any():
        ax.plot(layers[shown], stds[shown], "o-", color=_FIRST, label="activations")
    if not shown.all():
        flat = "every layer" if not shown.any() else "some layers"
        _note(ax, f"std = 0 in {flat}:\nall units output the same value")
    ax.set_yscale("log")
    ax.set_ylim(*_log_limits(stds))
    ax.set_xlim(0.5, len(stds) + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer")
    ax.set_ylabel("std of the activations")
    ax.legend(loc="lower left")


def _draw_output_histograms(ax: Axes, outputs: list[np.ndarray]) -> None:
    """Histograms of the first and last layers' outputs on shared bins, the values that are
    exactly 0 counted in the legend rather than drawn."""
    panels = [(1, outputs[0], _FIRST)]
    if len(outputs) > 1:
        panels.append((len(outputs), outputs[-1], _LAST))
    values = np.concatenate([a.ravel() for _, a, _ in panels])
    nonzero = values[values != 0]
    low, high = (nonzero.min(), nonzero.max()) if nonzero.size else (-1.0, 1.0)
    if low == high:
        low, high = low - 0.5, high + 0.5
    bins = np.linspace(low, high, 41)
    for layer, a, colour in panels:
        kept = a[a != 0]
        zeros = 1.0 - kept.size / a.size
        label = f"layer {layer}" + (f" ({zeros:.0%} exactly 0)" if zeros > 0 else "")
        if kept.size:
            ax.hist(
                kept,
                bins=bins,
                density=True,
                histtype="stepfilled",
                alpha=0.45,
                color=colour,
                edgecolor=colour,
                label=label,
            )
        else:
            ax.plot([], [], color=colour, label=label)
    if not nonzero.size:
        _note(ax, "every output is exactly 0")
    ax.set_xlabel("activation value")
    ax.set_ylabel("density")
    ax.set_title("what the layers output")
    ax.legend(loc="upper right", fontsize="small")


def draw_initializer_comparison(
    depth: int = DEPTH,
    activations: Sequence[str] = ("tanh", "relu"),
    fig: Figure | None = None,
) -> Figure:
    r"""Compare the initializers: standard deviation of the activations, layer by layer.

    One panel per activation, one line per initializer among ``small_random``, ``xavier`` and
    ``he`` (:func:`activation_stats` with its defaults). ``zeros`` is not drawn: its standard
    deviation is 0 in every layer, which a log scale cannot show; the legend says so.

    Parameters
    ----------
    depth : int
        Number of layers.
    activations : sequence of str
        One panel for each, in order.
    fig : matplotlib.figure.Figure, optional
        Where to draw (cleared first); a new figure, 4 inches wide per panel, when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per activation, titled with its name, holding three lines (small random,
        xavier, he, in that order) with x data ``1, ..., depth`` and the dotted line at 1; the
        first Axes also holds the legend, with an entry for zeros that has no line.

    Raises
    ------
    ValueError
        If ``activations`` is empty or holds an unknown name.
    """
    if len(activations) == 0:
        raise ValueError("activations must name at least one activation, got none")
    fig = figure_for(fig, (4.0 * len(activations), 3.4))
    axes = np.atleast_1d(fig.subplots(1, len(activations), sharey=True))
    for ax, activation in zip(axes, activations, strict=True):
        ax.axhline(1.0, color="0.6", linestyle=":", linewidth=1.2)
        for k, init in enumerate(_COMPARED):
            stds = activation_stats(init, depth, activation)
            ax.semilogy(
                np.arange(1, depth + 1),
                stds,
                "o-",
                markersize=4,
                color=PALETTE[(0, 3, 2)[k]],
                label=_name(init),
            )
        ax.set_title(f"{_name(activation)} layers")
        ax.set_xlabel("layer")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_ylabel("std of the activations")
    # zeros gets a legend entry without a line: its standard deviation is 0 everywhere.
    axes[0].plot([], [], linestyle="none", label="zeros: std 0 (not drawn)")
    axes[0].legend(loc="lower left", fontsize="small")
    return fig


def draw_saturation(
    pre_activations: Mapping[str, Any], threshold: float = 4.0, fig: Figure | None = None
) -> Figure:
    r"""Histograms of tanh pre-activations, with the saturated region and :math:`\tanh'(z)`.

    Where :math:`|z| > 4`, :math:`\tanh'(z) = 1 - \tanh^2(z) < 1.4 \times 10^{-3}`: such a unit
    passes back less than a thousandth of the error signal it receives, and its incoming weights
    barely learn. The region beyond ``threshold`` is shaded grey.

    Parameters
    ----------
    pre_activations : mapping of str to array_like
        A label (e.g. the initializer) to the weighted sums :math:`z` of a layer, any shape.
    threshold : float
        Where saturation is taken to start.
    fig : matplotlib.figure.Figure, optional
        Where to draw (cleared first); a new figure, 4 inches wide per panel, when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per entry, titled with the label and the share of :math:`|z|` above
        ``threshold``, holding the histogram (40 bins, density) and, on a twin Axes, the curve
        :math:`\tanh'(z)`.

    Raises
    ------
    ValueError
        If ``pre_activations`` is empty or holds an empty or non-finite array.
    """
    if not pre_activations:
        raise ValueError("pre_activations must map at least one label to an array of z values")
    threshold = check_positive(threshold, "threshold")
    fig = figure_for(fig, (4.0 * len(pre_activations), 3.2))
    axes = np.atleast_1d(fig.subplots(1, len(pre_activations)))
    tanh = Tanh()
    for k, (ax, (label, z)) in enumerate(zip(axes, pre_activations.items(), strict=True)):
        z = as_finite_array(z, f"pre_activations[{label!r}]", dtype=np.float64).ravel()
        if z.size == 0:
            raise ValueError(f"pre_activations[{label!r}] is empty")
        reach = max(float(np.abs(z).max()), 1.5 * threshold)
        ax.hist(
            z, bins=np.linspace(-reach, reach, 41), density=True, color=PALETTE[k % 2], alpha=0.6
        )
        for side in (-1, 1):
            ax.axvspan(side * threshold, side * reach, color="0.85", zorder=0)
        ax.set_xlim(-reach, reach)
        ax.set_xlabel("weighted sum $z$")
        ax.set_ylabel("density")
        share = float(np.mean(np.abs(z) > threshold))
        ax.set_title(f"{label}: {share:.0%} of |z| > {threshold:g}")
        twin = ax.twinx()
        grid = np.linspace(-reach, reach, 401)
        twin.plot(grid, tanh.derivative(grid), color="0.2", linewidth=1.2)
        twin.set_ylim(0, 1.05)
        twin.set_ylabel(r"$\tanh'(z)$")
        twin.spines["right"].set_visible(True)
    return fig


# --- training on little data ------------------------------------------------------------------


def train_network(
    X: Any,
    y: Any,
    l2: float = 0.0,
    validation_data: tuple[Any, Any] | None = None,
    early_stopping: int | None = None,
    epochs: int = EPOCHS,
    seed: int = 0,
) -> tuple[MLP, History]:
    r"""Train the lesson's network with its fixed recipe; only the regularization varies.

    Builds ``MLP(SIZES, activation="relu", seed=seed)`` (softmax output, categorical
    cross-entropy, He initialization) and trains it with Adam at ``LEARNING_RATE`` for
    ``epochs`` full-batch epochs:

    .. code-block:: python

       model = MLP(list(SIZES), activation="relu", seed=seed)
       history = model.fit(X, y, optimizer="adam", lr=LEARNING_RATE, epochs=epochs,
                           batch_size=None, l2=l2, validation_data=validation_data,
                           early_stopping=early_stopping)

    Parameters
    ----------
    X, y : array_like
        Training inputs ``(n, 2)`` and class labels ``(n,)``.
    l2 : float
        L2 strength :math:`\lambda` (see :meth:`neuronet.network.MLP.fit`).
    validation_data : (X_val, y_val) or None
        Held-out data evaluated after every epoch.
    early_stopping : int or None
        Patience; needs ``validation_data``.
    epochs : int
        Number of full-batch epochs.
    seed : int
        Seed of the network's initialization.

    Returns
    -------
    (MLP, History)
        The trained network and its history.
    """
    model = MLP(list(SIZES), activation="relu", seed=seed)
    history = model.fit(
        X,
        y,
        optimizer="adam",
        lr=LEARNING_RATE,
        epochs=epochs,
        batch_size=None,
        l2=l2,
        validation_data=validation_data,
        early_stopping=early_stopping,
    )
    return model, history


def draw_learning_curves(
    history: History, title: str = "training and validation loss", fig: Figure | None = None
) -> Figure:
    """Draw the training and validation loss of a run, marking the best validation epoch.

    The curves are drawn by :func:`neuronet.course.plots.plot_losses`.

    Parameters
    ----------
    history : History
        A history with ``loss`` and ``val_loss`` (train with ``validation_data``).
    title : str
        Title of the plot.
    fig : matplotlib.figure.Figure, optional
        Where to draw (cleared first); a new 6.4 x 3.4 inch figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes (log scale) with the training loss (solid) and validation loss (dashed), x data
        ``1, ..., epochs``; a point at the lowest validation loss; and, when
        ``history.best_epoch`` is set (early stopping), a vertical line at that epoch.

    Raises
    ------
    ValueError
        If the history has no validation losses or has non-positive losses.
    """
    train = as_finite_array(history.loss, "history.loss", dtype=np.float64)
    val = as_finite_array(history.val_loss, "history.val_loss", dtype=np.float64)
    if val.size == 0 or val.size != train.size:
        raise ValueError(
            "history needs one validation loss per epoch: train with validation_data "
            f"(got {train.size} training and {val.size} validation losses)"
        )
    restored = history.best_epoch
    marks = (
        [] if restored is None else [(restored, f"restored by early stopping (epoch {restored})")]
    )
    fig = figure_for(fig, (6.4, 3.4))
    plot_losses(
        {"training": train, "validation": val},
        fig.add_subplot(),
        yscale="log",
        styles=("-", "--"),
        ylabel="cross-entropy",
        title=title,
        best="validation",
        marks=marks,
        legend={"fontsize": "small"},
    )
    return fig


def draw_decision_boundaries(
    models: Mapping[str, MLP],
    X: Any,
    y: Any,
    X_val: Any = None,
    y_val: Any = None,
    show_norm: bool = True,
    fig: Figure | None = None,
) -> Figure:
    r"""Draw the decision boundary of several two-input classifiers side by side.

    Each panel is :func:`neuronet.course.plots.plot_decision_boundary` of one model (the
    probability of class 1, with the 0.5 contour as the boundary), with the training points
    filled and the validation points, if given, hollow. The title gives the label and (with
    ``show_norm``) the size of the weights,
    :math:`\lVert W \rVert = (\sum_l \lVert W^l \rVert^2)^{1/2}`.

    Parameters
    ----------
    models : mapping of str to MLP
        A label to a network with 2 inputs and a 2-unit softmax (or 1-unit sigmoid) output.
    X, y : array_like
        Training inputs ``(n, 2)`` and labels.
    X_val, y_val : array_like, optional
        Validation inputs and labels.
    show_norm : bool
        Whether the titles give the size of the weights.
    fig : matplotlib.figure.Figure, optional
        Where to draw (cleared first); a new figure, 4 inches wide per panel, when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per model, in order.

    Raises
    ------
    ValueError
        If ``models`` is empty (or the data have the wrong shapes).
    """
    if not models:
        raise ValueError("models must map at least one label to a trained network")
    fig = figure_for(fig, (4.0 * len(models), 3.8))
    axes = np.atleast_1d(fig.subplots(1, len(models), sharex=True, sharey=True))
    for ax, (label, model) in zip(axes, models.items(), strict=True):

        def probability(points: np.ndarray, model: MLP = model) -> np.ndarray:
            out = model.forward(points)
            return out[:, -1]

        plot_decision_boundary(
            probability, X, y, ax=ax, X_test=X_val, y_test=y_val, resolution=150, colorbar=False
        )
        # plot_decision_boundary calls held-out points "test"; here they validate.
        for points in ax.collections:
            points.set_label(points.get_label().replace("(test)", "(validation)"))
        norm = np.sqrt(2 * model.weight_penalty())
        ax.set_title(f"{label}: ‖W‖ = {norm:.1f}" if show_norm else label)
        if ax is axes[0]:
            ax.legend(loc="lower left", fontsize="x-small", frameon=True)
        else:
            ax.set_ylabel("")
            ax.get_legend().remove()
    return fig
