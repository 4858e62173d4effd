"""The figures of the course, with one shared look.

Call :func:`use_style` once at the top of a lesson; every figure then uses the same fonts, the
same colours and the same clean axes. Each plotting function draws one kind of figure the lessons
need, takes an optional ``ax`` (a new figure is made when it is ``None``), sets its title and axis
labels, and returns the Axes (:func:`plot_images`, a grid, returns the Figure). None of them calls
``plt.show()``. pyplot itself is imported only when a figure is made (:func:`new_figure`), so
that importing this module, as the exercise checks do, does not load it.

Colours are chosen for every reader, including the one in twelve men with a colour-vision
deficiency:

- ``PALETTE``, for lines, points and classes, is the eight-colour palette of Okabe & Ito (2008),
  designed to stay distinguishable under protanopia, deuteranopia and tritanopia; for many
  lines, ``LINE_COLORS`` leaves out its yellow.
- ``SEQUENTIAL_CMAP = "cividis"`` (Nuñez, Anderton & Renslow 2018), for magnitudes (confusion
  matrices, contours): perceptually uniform, and it looks nearly the same to viewers with and
  without red-green colour blindness.
- ``DIVERGING_CMAP = "RdBu_r"``, for signed quantities and probabilities around 0.5 (weights,
  decision boundaries): ColorBrewer's red-blue scheme, rated colour-blind safe (Harrower & Brewer
  2003), because the red-green deficiencies keep the blue-versus-red (yellow-brown) axis. Low is
  blue, high is red, matching ``PALETTE[0]`` (blue, class 0, negative weights) and ``PALETTE[1]``
  (vermillion, class 1, positive weights).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from neuronet.validation import as_class_labels, as_finite_array, check_positive

__all__ = [
    "DIVERGING_CMAP",
    "LINE_COLORS",
    "NEGATIVE_COLOR",
    "PALETTE",
    "POSITIVE_COLOR",
    "SEQUENTIAL_CMAP",
    "STYLE",
    "axes_for",
    "class_color",
    "describe_figure",
    "new_figure",
    "plot_activation",
    "plot_confusion_matrix",
    "plot_contour_path",
    "plot_decision_boundary",
    "plot_history",
    "plot_images",
    "plot_losses",
    "plot_network",
    "use_style",
]

#: The Okabe–Ito palette, ordered for plotting: blue, vermillion, bluish green, orange, reddish
#: purple, sky blue, yellow, black.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#E69F00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
#: Line colours for many curves: ``PALETTE`` without its yellow, too pale for a thin line on white.
LINE_COLORS: tuple[str, ...] = PALETTE[:6] + PALETTE[7:]
SEQUENTIAL_CMAP = "cividis"
DIVERGING_CMAP = "RdBu_r"
POSITIVE_COLOR = PALETTE[1]  # vermillion, the red end of DIVERGING_CMAP
NEGATIVE_COLOR = PALETTE[0]  # blue, its blue end

#: The rcParams set by :func:`use_style`; ``with matplotlib.rc_context(STYLE):`` applies them
#: temporarily.
STYLE: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2.0,
    "image.cmap": SEQUENTIAL_CMAP,
}


def use_style() -> None:
    """Give every following figure the course's look (updates ``matplotlib.rcParams``).

    Readable font sizes, the Okabe–Ito ``PALETTE`` as the colour cycle, no top and right spines,
    a screen resolution of 100 dpi, constrained layout (panels and colour bars do not overlap),
    tight bounding boxes when saving, and ``cividis`` as the default colormap. See ``STYLE``
    for the exact settings.

    In IPython (a notebook, the book's build) it also makes :func:`describe_figure` the
    plain-text form of every figure shown, so each figure output carries a text alternative
    next to its image; the book uses it as the image's ``alt`` text.
    """
    mpl.rcParams.update(STYLE)
    _register_text_alternative()


# --- text alternatives ----------------------------------------------------------------------------

_TEX_WRAPPER = re.compile(r"\\(?:mathrm|mathbf|mathit|mathcal|text|operatorname)\{([^{}]*)\}")
_TEX_SPACE = re.compile(r"\\[,;:! ]")
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")
_TEX_SYMBOLS = {
    "cdot": "·",
    "times": "×",
    "geq": "≥",
    "ge": "≥",
    "leq": "≤",
    "le": "≤",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "infty": "∞",
    "pm": "±",
    "to": "→",
    "nabla": "∇",
}
_MAX_PANELS = 8


def _plain(text: str) -> str:
    """Text without TeX markup, for reading aloud: ``$\\partial p_1$`` becomes ``partial p_1``."""
    text = _TEX_WRAPPER.sub(r"\1", text)
    text = _TEX_SPACE.sub(" ", text).replace("\\|", "|")
    text = _TEX_COMMAND.sub(lambda m: _TEX_SYMBOLS.get(m.group(1), m.group(1)), text)
    text = text.replace("$", "").replace("{", "").replace("}", "")
    return " ".join(text.split())


def _describe_axes(ax: Axes) -> str:
    titles = [_plain(ax.get_title(loc)) for loc in ("left", "center", "right")]
    title = ", ".join(t for t in titles if t)
    x, y = _plain(ax.get_xlabel()), _plain(ax.get_ylabel())
    details = []
    if x and y:
        details.append(f"{y} against {x}")
    elif x or y:
        details.append(x or y)
    if ax.images:
        details.append("image")
    legend = ax.get_legend()
    if legend is not None:
        entries = [_plain(t.get_text()) for t in legend.get_texts()]
        entries = [e for e in entries if e]
        if entries:
            details.append("legend: " + ", ".join(entries))
    text = title
    if details:
        text = f"{title}: {'; '.join(details)}" if title else "; ".join(details)
    return text


def describe_figure(fig: Figure) -> str:
    """A short text alternative of ``fig``, read from its own words.

    It names the figure's title, then each panel (Axes) with its title, its axes as
    "y-label against x-label", whether it shows an image, and its legend entries; colour bars
    are named by their label. TeX markup is removed so that the text reads aloud well. Beyond
    eight panels, the rest are counted rather than described.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to describe.

    Returns
    -------
    str
        For example ``"Figure: the perceptron's errors: misclassified corners against epoch;
        legend: AND, OR, XOR"``.

    Raises
    ------
    TypeError
        If ``fig`` is not a matplotlib Figure.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"describe_figure needs a matplotlib Figure, got {type(fig).__name__}")
    suptitle = _plain(fig.get_suptitle())
    colorbars = [a for a in fig.get_axes() if a.get_label() == "<colorbar>" and a.get_visible()]
    panels = [a for a in fig.get_axes() if a.get_label() != "<colorbar>" and a.get_visible()]
    described = [_describe_axes(ax) for ax in panels[:_MAX_PANELS]]
    parts = [f"Figure: {suptitle}" if suptitle else "Figure"]
    if len(panels) == 1:
        if described[0]:
            parts[0] += f": {described[0]}"
    elif panels:
        parts[0] += f", {len(panels)} panels"
        for i, text in enumerate(described, start=1):
            parts.append(f"({i}) {text or 'unlabelled'}")
        if len(panels) > _MAX_PANELS:
            parts.append(f"and {len(panels) - _MAX_PANELS} more panels")
    for cbar in colorbars:
        label = _plain(cbar.get_ylabel() or cbar.get_xlabel())
        parts.append(f"colour scale: {label}" if label else "colour scale")
    for legend in fig.legends:
        entries = [_plain(t.get_text()) for t in legend.get_texts() if t.get_text()]
        if entries:
            parts.append("legend: " + ", ".join(entries))
    return ". ".join(parts)


def _figure_text(fig: Figure) -> dict[str, str]:
    return {"text/plain": describe_figure(fig)}


def _register_text_alternative() -> None:
    """In IPython, make :func:`describe_figure` the ``text/plain`` form of every figure shown.

    It goes through IPython's mime-bundle formatter: the inline backend replaces the per-format
    formatters of ``Figure`` (png, text/plain...) when it starts, but leaves that one alone, and
    IPython takes a format from the bundle when no per-format formatter claims the figure.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.mimebundle_formatter.for_type(Figure, _figure_text)


def class_color(k: int) -> str:
    """The colour of class ``k``: ``PALETTE[k]``, cycling after eight classes."""
    return PALETTE[int(k) % len(PALETTE)]


def new_figure(figsize: tuple[float, float] | None = None) -> Figure:
    """A new pyplot figure of ``figsize`` inches (the default size when None).

    The one place where the course makes a figure from nothing. It goes through pyplot, so that
    a notebook shows the figure, and imports pyplot only here, so that importing the plotting
    helpers does not.
    """
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize)


def axes_for(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    """The convention of every Axes-level plot: draw on ``ax``, or on a new figure when None."""
    return new_figure(figsize).add_subplot() if ax is None else ax


# --- activations ----------------------------------------------------------------------------------


def plot_activation(
    activation: Any, z: Any = None, ax: Axes | None = None, derivative: bool = True
) -> Axes:
    r"""Plot an activation function :math:`\sigma(z)` and, dashed, its derivative.

    The step's derivative is drawn as 0: it is 0 for every :math:`z \ne 0` and does not exist at
    0, which is exactly why gradient descent cannot train a step neuron. Softmax is not
    elementwise; it is shown for two classes, as the probability of class 1,
    :math:`p_1 = \mathrm{softmax}(z_1, z_2)_1`, against :math:`z = z_1 - z_2` (which is the
    sigmoid of :math:`z`), with its derivative :math:`\partial p_1 / \partial z_1`.

    Parameters
    ----------
    activation : str or Activation
        A name such as ``"relu"`` or an activation object (see :mod:`neuronet.activations`).
    z : array_like, optional
        Inputs, 1-D; ``numpy.linspace(-5, 5, 401)`` by default.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    derivative : bool
        Also draw the derivative.

    Returns
    -------
    matplotlib.axes.Axes
        One line for the function, a second for its derivative.

    Raises
    ------
    ValueError
        If the name is unknown or ``z`` is not a 1-D array of at least two finite numbers.
    """
    from neuronet.activations import get_activation

    act = get_activation(activation)
    z = np.linspace(-5.0, 5.0, 401) if z is None else as_finite_array(z, "z", dtype=np.float64)
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"z must be a 1-D array of at least 2 points, got shape {z.shape}")
    ax = axes_for(ax)
    name = act.name.replace("_", " ")
    xlabel, label, dlabel = "$z$", name, "derivative"
    if not act.elementwise:
        pairs = np.stack([z, np.zeros_like(z)], axis=-1)
        y = act(pairs)[:, 0]
        dy = act.backward(pairs, np.tile([1.0, 0.0], (z.size, 1)))[:, 0]
        xlabel = "$z = z_1 - z_2$ (two classes)"
        label, dlabel = f"{name}: $p_1$", r"$\partial p_1 / \partial z_1$"
    elif act.name == "step":
        y, dy = act(z), np.zeros_like(z)
        dlabel = "derivative: 0 (none at $z = 0$)"
    else:
        y = act(z)
        dy = act.derivative(z) if derivative else None
    ax.plot(z, y, color=PALETTE[0], label=label)
    if derivative:
        ax.plot(z, dy, "--", color=PALETTE[1], label=dlabel)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("output")
    ax.set_title(name)
    ax.legend()
    return ax


# --- decision boundaries --------------------------------------------------------------------------

# The points of one data set on a decision-boundary plot: inputs (n, 2), labels (n,), and "train"
# or "test".
_PointSet = tuple[np.ndarray, np.ndarray, str]


def _grid(points: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """Grid coordinates covering the points with a 10% margin on each side."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = np.where(hi > lo, 0.1 * (hi - lo), 0.5)
    return (
        np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution),
        np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution),
    )


def _point_sets(X: Any, y: Any, X_test: Any, y_test: Any) -> list[_PointSet]:
    """The training points and, when given, the test points, checked."""
    X = as_finite_array(X, "X", dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"X must have shape (n, 2) with n >= 1, got {X.shape}")
    y = as_class_labels(y, "y")
    if len(y) != len(X):
        raise ValueError(f"y has {len(y)} labels but X has {len(X)} points")
    sets = [(X, y, "train")]
    if X_test is None and y_test is None:
        return sets
    if X_test is None or y_test is None:
        raise ValueError("give both X_test and y_test, or neither")
    Xt = as_finite_array(X_test, "X_test", dtype=np.float64)
    if Xt.ndim != 2 or Xt.shape[1] != 2:
        raise ValueError(f"X_test must have shape (n, 2), got {Xt.shape}")
    yt = as_class_labels(y_test, "y_test")
    if len(yt) != len(Xt):
        raise ValueError(f"y_test has {len(yt)} labels but X_test has {len(Xt)} points")
    return [*sets, (Xt, yt, "test")]


def _predict_on_grid(
    predict: Callable[[np.ndarray], Any], gx: np.ndarray, gy: np.ndarray, proba: bool
) -> np.ndarray:
    """``predict`` at every grid point, one value each, checked (probabilities in [0, 1])."""
    out = as_finite_array(predict(np.column_stack([gx.ravel(), gy.ravel()])), "predict output")
    m = gx.size
    if proba and out.shape == (m, 2):
        out = out[:, 1]
    if out.shape == (m, 1):
        out = out[:, 0]
    if out.shape != (m,):
        raise ValueError(
            f"predict must return one value per point: shape ({m},) or ({m}, 1) for the {m} "
            f"grid points, got shape {out.shape}"
        )
    if proba and (out.min() < 0 or out.max() > 1):
        raise ValueError(
            f"with proba=True predict must return probabilities in [0, 1], got values in "
            f"[{out.min():.3g}, {out.max():.3g}]; pass proba=False for scores or labels"
        )
    return out.reshape(gx.shape)


def _pixel_extent(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float, float, float]:
    """The extent of an image whose pixel centres are the grid points ``xs`` by ``ys``."""
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    return (xs[0] - dx / 2, xs[-1] + dx / 2, ys[0] - dy / 2, ys[-1] + dy / 2)


def _draw_field(
    ax: Axes,
    xs: np.ndarray,
    ys: np.ndarray,
    image: np.ndarray,
    *,
    proba: bool,
    n_classes: int,
    colorbar: bool,
) -> None:
    """Draw the model's outputs on the grid ``xs`` by ``ys`` as an image: probabilities or
    scores, each with its boundary contour and colour bar, or class labels as coloured regions."""
    common = {
        "origin": "lower",
        "extent": _pixel_extent(xs, ys),
        "aspect": "auto",
        "interpolation": "nearest",
    }
    is_labels = not proba and np.all(image == np.round(image)) and image.min() >= 0
    if proba:
        im = ax.imshow(image, cmap=DIVERGING_CMAP, vmin=0, vmax=1, alpha=0.5, **common)
        level, bar_label = 0.5, "P(class 1)"
    elif is_labels:
        k = max(int(image.max()) + 1, n_classes)
        cmap = ListedColormap([class_color(c) for c in range(k)])
        im = ax.imshow(image, cmap=cmap, vmin=-0.5, vmax=k - 0.5, alpha=0.3, **common)
        level, bar_label = None, None
    else:
        v = float(np.abs(image).max()) or 1.0
        im = ax.imshow(image, cmap=DIVERGING_CMAP, vmin=-v, vmax=v, alpha=0.5, **common)
        level, bar_label = 0.0, "score"
    if level is not None and image.min() < level < image.max():
        ax.contour(*np.meshgrid(xs, ys), image, levels=[level], colors="k", linewidths=1.5)
    if colorbar and bar_label is not None:
        ax.figure.colorbar(im, ax=ax, label=bar_label)


def _scatter_sets(ax: Axes, sets: list[_PointSet]) -> None:
    """Training points filled, test points hollow, both coloured by class."""
    for points, labels, kind in sets:
        for c in np.unique(labels):
            sel = labels == c
            style = (
                {"color": class_color(c), "edgecolors": "k", "linewidths": 0.4}
                if kind == "train"
                else {"facecolors": "none", "edgecolors": class_color(c), "linewidths": 1.5}
            )
            ax.scatter(points[sel, 0], points[sel, 1], s=28, label=f"class {c} ({kind})", **style)


def plot_decision_boundary(
    predict: Callable[[np.ndarray], Any],
    X: Any,
    y: Any,
    ax: Axes | None = None,
    X_test: Any = None,
    y_test: Any = None,
    resolution: int = 200,
    proba: bool = True,
    colorbar: bool = True,
) -> Axes:
    """Show what a 2-input classifier outputs everywhere in the plane, with the data on top.

    The model is evaluated on a ``resolution x resolution`` grid that covers the training (and
    test) points with a 10% margin; the grid points are the pixel centres of the image, so
    ``ax.images[0].get_array()`` holds exactly the values of ``predict`` on the grid (row ``i``
    is the ``i``-th y value from the bottom). Training points are filled markers, test points
    hollow ones, both coloured by class with :func:`class_color`.

    Parameters
    ----------
    predict : callable
        Maps an ``(m, 2)`` array of points to ``m`` outputs. With ``proba=True`` these are
        probabilities of class 1 in ``[0, 1]`` (shape ``(m,)`` or ``(m, 1)``; an ``(m, 2)``
        softmax output is read as its column 1); the 0.5 contour is drawn as the boundary.
        With ``proba=False``, integer outputs are read as class labels and shown as coloured
        regions; other outputs as scores whose 0 contour is drawn.
    X : array_like
        Training inputs, shape ``(n, 2)``.
    y : array_like
        Their class labels, shape ``(n,)``, integers from 0.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    X_test, y_test : array_like, optional
        Held-out points and labels, drawn hollow.
    resolution : int
        Grid points per axis.
    proba : bool
        Whether ``predict`` returns probabilities of class 1.
    colorbar : bool
        Add a colour bar for probabilities and scores.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the data have the wrong shapes, or ``predict`` returns the wrong number of values or,
        with ``proba=True``, values outside ``[0, 1]``.
    """
    sets = _point_sets(X, y, X_test, y_test)
    resolution = check_positive(resolution, "resolution", integer=True)
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution}")
    xs, ys = _grid(np.concatenate([points for points, _, _ in sets]), resolution)
    image = _predict_on_grid(predict, *np.meshgrid(xs, ys), proba)
    ax = axes_for(ax)
    n_classes = int(sets[0][1].max()) + 1
    _draw_field(ax, xs, ys, image, proba=proba, n_classes=n_classes, colorbar=colorbar)
    _scatter_sets(ax, sets)
    extent = _pixel_extent(xs, ys)
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title("decision boundary")
    ax.legend(loc="best", fontsize="small", frameon=True)
    return ax


# --- training curves ------------------------------------------------------------------------------


def _curve(label: str, values: Any, first_epoch: int, log: bool) -> tuple[np.ndarray, np.ndarray]:
    """The x and y values of one curve of :func:`plot_losses`, checked."""
    x = None
    if isinstance(values, tuple) and len(values) == 2 and np.ndim(values[0]) == 1:
        x, values = values
    y = as_finite_array(values, f"curves[{label!r}]", dtype=np.float64)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(
            f"curves[{label!r}] must be a non-empty 1-D array of values, got shape {y.shape}"
        )
    if log and (y <= 0).any():
        raise ValueError(f"curves[{label!r}] must hold positive values to be drawn on a log scale")
    if x is None:
        return first_epoch + np.arange(y.size), y
    x = as_finite_array(x, f"the x values of curves[{label!r}]", dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(
            f"curves[{label!r}] has {y.size} values but {x.size} x values (shape {x.shape})"
        )
    return x, y


def _draw_marks(ax: Axes, marks: Sequence[tuple[float, str]]) -> None:
    """Dotted vertical lines at the given x, each label named once in the legend."""
    named: set[str] = set()
    for x, label in marks:
        ax.axvline(x, color="0.5", ls=":", lw=1.5, label=None if label in named else label)
        named.add(label)


def plot_losses(
    curves: Mapping[str, Any],
    ax: Axes | None = None,
    *,
    first_epoch: int = 1,
    xscale: str = "linear",
    yscale: str = "linear",
    colors: Sequence[str] = LINE_COLORS,
    styles: Sequence[str] = ("-",),
    xlabel: str | None = "epoch",
    ylabel: str | None = "loss",
    title: str | None = None,
    best: str | None = None,
    reference: float | None = None,
    marks: Sequence[tuple[float, str]] = (),
    legend: bool | Mapping[str, Any] = True,
) -> Axes:
    """Plot loss curves (or any per-epoch curves, such as accuracies), one line per curve.

    Every training-curve figure of the course is drawn here, so they share one look: the
    colours of ``LINE_COLORS`` in order, whole epochs on a linear x axis, and, when asked, a dot
    at the lowest point of one curve, a dotted reference level and dotted vertical marks.

    Parameters
    ----------
    curves : mapping of str to array_like or (array_like, array_like)
        Label to the values, one per epoch, drawn at ``first_epoch, first_epoch + 1, ...``; or
        to a tuple ``(x, values)`` of two arrays of the same length (e.g. parameter updates).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    first_epoch : int
        The epoch of each curve's first value: 1 for values recorded after each epoch (as in a
        :class:`~neuronet.network.History`), 0 when the first is the loss before training.
    xscale, yscale : {"linear", "log"}
        The scales of the axes; on a log y axis every value must be positive.
    colors : sequence of str
        The curves' colours, in order, cycling.
    styles : sequence of str
        The curves' line styles (``"-"``, ``"--"``, ...), in order, cycling.
    xlabel, ylabel, title : str or None
        The axis labels and the title; None leaves one unset.
    best : str, optional
        The label of a curve whose lowest value gets a dot of its colour, labelled
        ``"lowest <best> loss (epoch <x>)"``.
    reference : float, optional
        A level drawn as a dotted black line, not in the legend (e.g. what a baseline reaches).
    marks : sequence of (float, str)
        Dotted grey vertical lines at these x values, with their legend labels (a label that
        repeats is named once), e.g. where the learning rate changed.
    legend : bool or mapping
        Whether to draw a legend; a mapping gives its keyword arguments, such as
        ``{"fontsize": "small"}``.

    Returns
    -------
    matplotlib.axes.Axes
        Its lines, in order: one per curve, the dot at the lowest value, the reference level,
        the marks.

    Raises
    ------
    ValueError
        If there are no curves, ``best`` names none of them, or a curve is empty, not 1-D, not
        finite, not the length of its x values, or not positive on a log scale.
    """
    if not curves:
        raise ValueError("plot_losses needs at least one curve, got none")
    labels = list(curves)
    if best is not None and best not in curves:
        raise ValueError(f"best={best!r} is not the label of a curve: {', '.join(labels)}")
    log = yscale == "log"
    checked = {label: _curve(label, curves[label], first_epoch, log) for label in labels}
    ax = axes_for(ax)
    for k, (label, (x, y)) in enumerate(checked.items()):
        ax.plot(x, y, styles[k % len(styles)], color=colors[k % len(colors)], label=label)
    if best is not None:
        x, y = checked[best]
        i = int(np.argmin(y))
        color = colors[labels.index(best) % len(colors)]
        ax.plot(x[i], y[i], "o", color=color, ms=7, label=f"lowest {best} loss (epoch {x[i]:g})")
    if reference is not None:
        ax.axhline(reference, color="k", ls=":", lw=1.2)
    _draw_marks(ax, marks)
    ax.set_xscale(xscale)
    ax.set_yscale(yscale)
    if xscale == "linear":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for text, setter in ((xlabel, ax.set_xlabel), (ylabel, ax.set_ylabel), (title, ax.set_title)):
        if text is not None:
            setter(text)
    if legend:
        ax.legend(**({} if legend is True else legend))
    return ax


def _recorded(history: Any, key: str) -> np.ndarray:
    """The per-epoch values ``history.key`` (or ``history[key]``), empty when not recorded."""
    values = history.get(key, []) if isinstance(history, Mapping) else getattr(history, key, [])
    arr = np.asarray(values if values is not None else [], dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"history.{key} must be a list of numbers, got shape {arr.shape}")
    return arr


def plot_history(
    history: Any, ax: Axes | None = None, metric: str = "loss", **options: Any
) -> Axes:
    """Plot a training curve and, when recorded, the validation curve, with :func:`plot_losses`.

    Parameters
    ----------
    history : History or mapping
        Has lists ``loss``, ``val_loss``, ``accuracy`` and ``val_accuracy`` (attributes or keys),
        one value per epoch; empty or missing lists are skipped.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    metric : {"loss", "accuracy"}
        Which pair of curves to draw.
    **options
        Keyword arguments of :func:`plot_losses` (``title``, ``marks``, ``yscale``...).

    Returns
    -------
    matplotlib.axes.Axes
        Two lines (train solid, validation dashed), or one when there is no validation data.

    Raises
    ------
    ValueError
        If ``metric`` is unknown or the history holds no values for it.
    """
    if metric not in ("loss", "accuracy"):
        raise ValueError(f"metric must be 'loss' or 'accuracy', got {metric!r}")
    recorded = {
        "train": _recorded(history, metric),
        "validation": _recorded(history, f"val_{metric}"),
    }
    curves = {label: values for label, values in recorded.items() if values.size > 0}
    if not curves:
        raise ValueError(f"history has no {metric!r} values to plot (nothing recorded yet?)")
    options = {"styles": ("-", "--"), "ylabel": metric, "title": f"{metric} per epoch", **options}
    return plot_losses(curves, ax, **options)


# --- optimizer paths on a surface -----------------------------------------------------------------


def _surface_domain(surface: Any) -> np.ndarray:
    """``surface.domain`` as an array of shape (2, 2) (a surface) or (1, 2) (a curve)."""
    domain = np.asarray(surface.domain, dtype=np.float64)
    if domain.ndim != 2 or domain.shape[1] != 2 or domain.shape[0] not in (1, 2):
        raise ValueError(
            "surface.domain must be ((x_low, x_high), (y_low, y_high)) or ((x_low, x_high),), "
            f"got shape {domain.shape}"
        )
    return domain


def _surface_paths(paths: Any, dim: int) -> dict[Any, np.ndarray]:
    """Label to path of shape ``(steps + 1, dim)``, from one path, a dict of them or None."""
    if paths is None:
        paths = {}
    elif not isinstance(paths, Mapping):
        paths = {"path": paths}
    checked = {}
    for label, path in paths.items():
        arr = as_finite_array(path, f"path {label!r}", dtype=np.float64)
        if dim == 1 and arr.ndim == 1:
            arr = arr.reshape(-1, 1)
        if arr.ndim != 2 or arr.shape[1] != dim or len(arr) == 0:
            raise ValueError(
                f"path {label!r} must have shape (steps + 1, {dim}) for a {dim}-D surface, "
                f"got {arr.shape}"
            )
        checked[label] = arr
    return checked


def _draw_contours(
    ax: Axes,
    surface: Any,
    domain: np.ndarray,
    levels: int | Sequence[float],
    log_levels: bool,
    resolution: int,
) -> None:
    """Contour lines of a 2-D surface over its domain, geometric levels above its minimum."""
    xs = np.linspace(*domain[0], resolution)
    ys = np.linspace(*domain[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    z = as_finite_array(surface.f(np.stack([gx, gy], axis=-1)), "surface values on the grid")
    if isinstance(levels, int | np.integer) and log_levels:
        span = float(z.max() - z.min())
        if span <= 0:
            raise ValueError("the surface is flat on its domain; there is nothing to contour")
        levels = float(z.min()) + np.geomspace(1e-4 * span, span, int(levels))
    ax.contour(gx, gy, z, levels=levels, cmap=SEQUENTIAL_CMAP, linewidths=0.7, alpha=0.6)
    ax.set_ylim(*domain[1])
    ax.set_ylabel("$y$")


def _draw_curve(ax: Axes, surface: Any, domain: np.ndarray, resolution: int) -> None:
    """A 1-D cost curve over its domain."""
    xs = np.linspace(*domain[0], max(resolution, 400))
    ax.plot(xs, surface.f(xs), color="0.35", lw=1.5)
    ax.set_ylabel("$f(x)$")


def _plane_coordinates(
    surface: Any, dim: int
) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Where points of the domain are drawn: at (x, y) on a contour map, (x, f(x)) on a curve."""
    if dim == 2:
        return lambda p: (p[..., 0], p[..., 1])
    return lambda p: (p[..., 0], np.asarray(surface.f(p[..., 0]), dtype=np.float64))


def _draw_path(ax: Axes, px: np.ndarray, py: np.ndarray, color: str, label: str) -> None:
    """A path as a line of dots, from a hollow circle (start) to a filled square (end)."""
    ax.plot(px, py, "-o", color=color, ms=2.5, lw=1.5, label=label)
    ax.plot(px[0], py[0], "o", ms=8, mfc="white", mec=color, mew=2)
    ax.plot(px[-1], py[-1], "s", ms=7, color=color)


def plot_contour_path(
    surface: Any,
    paths: Any = None,
    ax: Axes | None = None,
    levels: int | Sequence[float] = 30,
    log_levels: bool = True,
    resolution: int = 200,
) -> Axes:
    """Draw a cost surface and the paths optimizers took on it.

    A 2-D surface is drawn as contour lines over ``surface.domain``; a 1-D curve (a domain with
    one range) as the curve itself, with the paths marked on it. Each path starts at a hollow
    circle and ends at a filled square; known minima are black stars.

    Parameters
    ----------
    surface : Surface
        Has ``f`` (vectorized over points of shape ``(..., 2)``, or elementwise for a curve),
        ``domain`` (``((x_low, x_high), (y_low, y_high))``, or one range for a curve) and
        optionally ``minima`` (a list of points) and ``name``; see :mod:`neuronet.landscapes`.
    paths : array_like or dict, optional
        One path of shape ``(steps + 1, 2)`` (``(steps + 1, 1)`` or ``(steps + 1,)`` for a
        curve), as returned by :func:`neuronet.landscapes.descend`, or a dict from labels (such
        as optimizer names) to paths.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    levels : int or sequence of float
        Number of contour levels, or the levels themselves.
    log_levels : bool
        With a number of levels, space them geometrically above the minimum value on the grid,
        from 1e-4 of the range of values to all of it, so that the flat valleys where
        optimizers crawl get contours too.
    resolution : int
        Grid points per axis.

    Returns
    -------
    matplotlib.axes.Axes
        Three lines per path (path, start, end), plus one for the minima.

    Raises
    ------
    ValueError
        If the domain or a path has the wrong shape, or the surface is not finite on the grid.
    """
    domain = _surface_domain(surface)
    dim = domain.shape[0]
    checked = _surface_paths(paths, dim)
    resolution = check_positive(resolution, "resolution", integer=True)
    minima = [np.asarray(m, dtype=np.float64).reshape(dim) for m in getattr(surface, "minima", [])]
    ax = axes_for(ax)
    if dim == 2:
        _draw_contours(ax, surface, domain, levels, log_levels, resolution)
    else:
        _draw_curve(ax, surface, domain, resolution)
    coordinates = _plane_coordinates(surface, dim)
    for k, (label, path) in enumerate(checked.items()):
        _draw_path(ax, *coordinates(path), color=PALETTE[k % len(PALETTE)], label=str(label))
    if minima:
        mx, my = coordinates(np.array(minima))
        ax.plot(mx, my, "*", color="k", ms=13, ls="none", label="minimum")
    ax.set_xlim(*domain[0])
    ax.set_xlabel("$x$")
    ax.set_title(str(getattr(surface, "name", "cost surface")))
    if checked or minima:
        ax.legend(loc="best", fontsize="small", frameon=True)
    return ax


# --- network diagrams -----------------------------------------------------------------------------


def _weight_matrices(model_or_weights: Any) -> list[np.ndarray]:
    if hasattr(model_or_weights, "layers"):
        try:
            weights = [layer.params["W"] for layer in model_or_weights.layers]
        except (AttributeError, KeyError, TypeError) as err:
            raise ValueError(
                "model.layers must be layers with params['W'] of shape (n_in, n_out)"
            ) from err
    elif isinstance(model_or_weights, np.ndarray) and model_or_weights.ndim == 2:
        weights = [model_or_weights]
    else:
        weights = list(model_or_weights)
    if not weights:
        raise ValueError("the network has no weight matrices to draw")
    checked = []
    for k, w in enumerate(weights):
        w = as_finite_array(w, f"weight matrix {k}", dtype=np.float64)
        if w.ndim != 2 or 0 in w.shape:
            raise ValueError(f"weight matrix {k} must be 2-D (n_in, n_out), got shape {w.shape}")
        if checked and checked[-1].shape[1] != w.shape[0]:
            raise ValueError(
                f"weight matrix {k} has {w.shape[0]} inputs (shape {w.shape}) but the previous "
                f"layer has {checked[-1].shape[1]} outputs (shape {checked[-1].shape})"
            )
        checked.append(w)
    return checked


def plot_network(model_or_weights: Any, ax: Axes | None = None, max_units: int = 12) -> Axes:
    """Draw a feedforward network: units as circles, weights as lines.

    Each weight :math:`w` is a line from unit to unit, vermillion when positive and blue when
    negative, with a width proportional to :math:`|w|` (the largest weight drawn is 4 points
    wide, in every layer, so layers can be compared). Biases are not drawn. A layer with more
    than ``max_units`` units shows its first ``max_units`` and a vertical ellipsis with the
    number of hidden units.

    Parameters
    ----------
    model_or_weights : MLP, sequence of array_like or array_like
        A model with ``.layers``, each with ``.params["W"]`` of shape ``(n_in, n_out)``, a list
        of such matrices, or a single one.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    max_units : int
        Units drawn per layer at most.

    Returns
    -------
    matplotlib.axes.Axes
        Its one ``LineCollection`` holds one segment per weight drawn, layer by layer, in the
        order ``W[i, j]`` with ``i`` (input unit) outer and ``j`` inner.

    Raises
    ------
    ValueError
        If the matrices are not 2-D, are not finite or do not chain (``n_out`` of one layer must
        be ``n_in`` of the next).
    """
    weights = _weight_matrices(model_or_weights)
    max_units = check_positive(max_units, "max_units", integer=True)
    sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
    shown = [min(n, max_units) for n in sizes]
    ypos = [(n - 1) / 2 - np.arange(n) for n in shown]  # top to bottom, centred on 0
    visible = [w[: shown[k], : shown[k + 1]] for k, w in enumerate(weights)]
    wmax = max(float(np.abs(v).max()) for v in visible)
    scale = 4.0 / wmax if wmax > 0 else 0.0

    segments, widths, colors = [], [], []
    for k, v in enumerate(visible):
        for i in range(v.shape[0]):
            for j in range(v.shape[1]):
                segments.append([(k, ypos[k][i]), (k + 1, ypos[k + 1][j])])
                widths.append(scale * abs(v[i, j]))
                colors.append(POSITIVE_COLOR if v[i, j] > 0 else NEGATIVE_COLOR)
    ax = axes_for(ax)
    ax.add_collection(LineCollection(segments, linewidths=widths, colors=colors, zorder=1))
    top = max(shown) / 2 + 0.3
    for k, n in enumerate(sizes):
        ax.scatter(
            np.full(shown[k], k), ypos[k], s=180, facecolors="white", edgecolors="k", zorder=3
        )
        name = "input" if k == 0 else "output" if k == len(sizes) - 1 else f"hidden {k}"
        units = "unit" if n == 1 else "units"
        ax.text(k, top, f"{name}\n{n} {units}", ha="center", va="bottom", fontsize="small")
        if n > shown[k]:
            ax.text(k, ypos[k][-1] - 0.6, f"⋮\n+{n - shown[k]}", ha="center", va="top")
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-max(shown) / 2 - 1.5, top + 1.2)
    ax.set_axis_off()
    ax.set_title("network " + " → ".join(str(n) for n in sizes))
    ax.legend(
        handles=[
            Line2D([], [], color=POSITIVE_COLOR, label="positive weight"),
            Line2D([], [], color=NEGATIVE_COLOR, label="negative weight"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2,
        fontsize="small",
    )
    return ax


# --- images ---------------------------------------------------------------------------------------


def plot_images(
    images: Any,
    labels: Sequence[Any] | None = None,
    class_names: Sequence[str] | None = None,
    predicted: Sequence[Any] | None = None,
    ncols: int = 8,
    fig: Figure | None = None,
    cmap: str = "gray_r",
    title: str | None = None,
) -> Figure:
    """Show images in a grid, each titled with its label (and prediction).

    Used for Fashion-MNIST samples and mistakes and for Hopfield patterns. All images share one
    grey scale (from the smallest to the largest value in ``images``), so they can be compared;
    with ``gray_r`` high values are dark, so a -1/+1 pattern shows its +1 units as ink.

    Parameters
    ----------
    images : array_like
        Shape ``(k, h, w)``, or ``(k, d)`` with ``d`` a perfect square (flattened images such as
        784 = 28 x 28).
    labels : sequence, optional
        One title per image: a class index (named through ``class_names`` when given) or text.
    class_names : sequence of str, optional
        Names of the classes, indexed by label.
    predicted : sequence, optional
        Predicted classes; titles become "true / pred" and mistakes are coloured vermillion.
    ncols : int
        Images per row at most.
    fig : matplotlib.figure.Figure, optional
        Where to draw (it should be empty); a new figure sized to the grid when ``None``.
    cmap : str
        Colormap of the images.
    title : str, optional
        Title of the whole figure.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per image, in order, each holding one image.

    Raises
    ------
    ValueError
        If the images have the wrong shape, or ``labels``/``predicted`` do not have one entry
        per image, or a label has no name in ``class_names``.
    """
    arr = as_finite_array(images, "images", dtype=np.float64)
    if arr.ndim == 2:
        side = int(round(np.sqrt(arr.shape[1])))
        if side * side != arr.shape[1]:
            raise ValueError(
                f"images must have shape (k, h, w), or (k, d) with d a perfect square, got shape "
                f"{arr.shape}; pass a single image as image[None]"
            )
        arr = arr.reshape(len(arr), side, side)
    if arr.ndim != 3 or len(arr) == 0:
        raise ValueError(f"images must have shape (k, h, w) with k >= 1, got {arr.shape}")
    k = len(arr)
    for name, seq in (("labels", labels), ("predicted", predicted)):
        if seq is not None and len(seq) != k:
            raise ValueError(f"{name} has {len(seq)} entries but there are {k} images")
    if predicted is not None and labels is None:
        raise ValueError("predicted needs labels (the true classes) to compare with")
    ncols = min(check_positive(ncols, "ncols", integer=True), k)
    nrows = -(-k // ncols)

    def name_of(label: Any) -> str:
        if class_names is None or isinstance(label, str):
            return str(label)
        index = int(label)
        if not 0 <= index < len(class_names):
            raise ValueError(f"label {label!r} has no name: class_names has {len(class_names)}")
        return str(class_names[index])

    if fig is None:
        fig = new_figure((1.5 * ncols, 1.7 * nrows + (0.4 if title else 0.0)))
    vmin, vmax = float(arr.min()), float(arr.max())
    for n, image in enumerate(arr):
        ax = fig.add_subplot(nrows, ncols, n + 1)
        ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color("0.7")
        if labels is not None and predicted is None:
            ax.set_title(name_of(labels[n]), fontsize="small")
        elif predicted is not None:
            wrong = name_of(labels[n]) != name_of(predicted[n])
            ax.set_title(
                f"{name_of(labels[n])}\npred: {name_of(predicted[n])}",
                fontsize="small",
                color=POSITIVE_COLOR if wrong else "k",
            )
    if title:
        fig.suptitle(title)
    return fig


# --- confusion matrix -----------------------------------------------------------------------------


def plot_confusion_matrix(
    y_true: Any,
    y_pred: Any,
    class_names: Sequence[str] | None = None,
    ax: Axes | None = None,
    normalize: bool = True,
) -> Axes:
    """Show the confusion matrix: row = true class, column = predicted class.

    Entry :math:`(i, j)` counts the samples of class :math:`i` predicted as :math:`j`; with
    ``normalize=True`` each row is divided by its total, so the diagonal is the recall of each
    class (a class with no samples keeps a row of zeros). Cells are annotated for up to 15
    classes.

    Parameters
    ----------
    y_true, y_pred : array_like
        Class labels, integers from 0, shape ``(n,)``.
    class_names : sequence of str, optional
        Names of the classes; the number of classes is ``len(class_names)``, otherwise
        ``max(y_true, y_pred) + 1``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    normalize : bool
        Divide each row by its number of samples.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0].get_array()`` is the matrix shown.

    Raises
    ------
    ValueError
        If the labels are not non-negative integers of the same shape, or a label has no name
        in ``class_names``.
    """
    y_true = as_class_labels(y_true, "y_true")
    y_pred = as_class_labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}")
    largest = int(max(y_true.max(), y_pred.max()))
    if class_names is not None:
        k = len(class_names)
        if largest >= k:
            raise ValueError(f"label {largest} has no name: class_names has {k} entries")
    else:
        k = largest + 1
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    if normalize:
        totals = counts.sum(axis=1, keepdims=True)
        matrix = np.divide(counts, totals, out=np.zeros((k, k)), where=totals > 0)
        vmax, fmt = 1.0, "{:.2f}"
    else:
        matrix = counts
        vmax, fmt = max(int(counts.max()), 1), "{:d}"
    ax = axes_for(ax)
    ax.imshow(matrix, cmap=SEQUENTIAL_CMAP, vmin=0, vmax=vmax, interpolation="nearest")
    if k <= 15:
        for (i, j), value in np.ndenumerate(matrix):
            color = "k" if value > 0.6 * vmax else "w"
            text = fmt.format(value)
            ax.text(j, i, text, ha="center", va="center", color=color, fontsize="small")
    named = class_names is not None
    names = [str(c) for c in class_names] if named else [str(c) for c in range(k)]
    ax.set_xticks(
        np.arange(k), names, rotation=45 if named else 0, ha="right" if named else "center"
    )
    ax.set_yticks(np.arange(k), names)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("confusion matrix" + (" (each row sums to 1)" if normalize else " (counts)"))
    return ax
