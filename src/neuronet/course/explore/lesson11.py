r"""Lesson 11: a Hopfield network recalls letters, descends its energy, and runs out of room.

The lesson stores the four letters of :func:`neuronet.hopfield.letters` (10 x 10 images, so a
network of :math:`N = 100` units) and lets the network clean up noisy copies of them. Recall is
asynchronous: one unit at a time aligns with its local field :math:`h_i = \sum_j W_{ij} s_j`, and
every such update leaves the energy

.. math:: E(s) = -\tfrac12\, s^\top W s

unchanged or lower. :func:`draw_recall` shows one recall (the stored letter, the noisy cue, the
state the network settles in, and the energy after every single-unit update); it is the drawing
behind the lesson's noise slider and its player. :func:`draw_architectures` contrasts a
feedforward network with a feedback one, :func:`identify` names the state a recall ends in, and
:func:`recall_errors` and :func:`draw_capacity` measure and draw how recall degrades as more
random patterns are stored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from neuronet.course.player import figure_for
from neuronet.course.plots import PALETTE
from neuronet.hopfield import Hopfield, add_noise, letters, recall_errors
from neuronet.validation import as_finite_array, check_positive

__all__ = [
    "draw_architectures",
    "draw_capacity",
    "draw_recall",
    "identify",
    "letter_network",
    "recall_errors",
]

_IMAGE = {"cmap": "gray_r", "vmin": -1, "vmax": 1, "interpolation": "nearest"}
_OK, _WRONG = PALETTE[2], PALETTE[1]  # bluish green: the stored letter; vermillion: anything else


def letter_network() -> Hopfield:
    """A fresh 100-unit Hopfield network storing every letter of :func:`~neuronet.hopfield.letters`.

    The letters are stored in the order of ``letters()`` (T, L, H, O), each flattened row by row.

    Returns
    -------
    Hopfield
        The network, with ``n_patterns`` equal to the number of letters.
    """
    images = letters()
    net = Hopfield(100)
    net.store(np.array([image.ravel() for image in images.values()]))
    return net


def identify(state: Any, patterns: Mapping[str, Any]) -> str | None:
    """Name the stored pattern a state equals, if any.

    Parameters
    ----------
    state : array_like
        A state of -1 and +1, of any shape (a vector or an image).
    patterns : mapping of str to array_like
        Name to pattern; each pattern has the same number of entries as ``state``.

    Returns
    -------
    str or None
        The name of the pattern equal to ``state``, ``"-name"`` if ``state`` is that pattern's
        negation, or None if it is neither for every pattern (a spurious state, or not a fixed
        point at all).

    Raises
    ------
    ValueError
        If a pattern does not have as many entries as ``state``.
    """
    s = as_finite_array(state, "state").ravel()
    for name, pattern in patterns.items():
        p = as_finite_array(pattern, f"patterns[{name!r}]").ravel()
        if p.shape != s.shape:
            raise ValueError(f"patterns[{name!r}] has {p.size} entries but the state has {s.size}")
        if np.array_equal(s, p):
            return name
        if np.array_equal(s, -p):
            return f"-{name}"
    return None


def _show_image(ax: Any, image: np.ndarray, title: str, color: str = "k") -> None:
    ax.imshow(image, **_IMAGE)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("0.7")
    ax.set_title(title, fontsize=10, color=color)


def draw_recall(
    letter: str = "T", noise: float = 0.15, seed: int = 0, fig: Figure | None = None
) -> Figure:
    r"""Recall one letter from a noisy cue and draw the energy after every single-unit update.

    The network is :func:`letter_network`. The cue is the letter with ``round(100 * noise)``
    pixels flipped (:func:`~neuronet.hopfield.add_noise` with ``seed``), and the recall visits
    the units in random orders drawn from the same ``seed``. The energy trace starts at the
    cue's energy and has one point per update, so it has :math:`1 + 100 \times` (number of
    sweeps) points; the last sweep changes nothing and shows as a flat end. Dotted lines mark
    the sweeps; the dashed line is the energy of the stored letter.

    Parameters
    ----------
    letter : str
        One of the keys of :func:`~neuronet.hopfield.letters`.
    noise : float
        Fraction of the 100 pixels flipped in the cue, in ``[0, 1]``.
    seed : int
        Seed of the flipped pixels and of the update order.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new 8 x 2.8 inch figure when None.

    Returns
    -------
    matplotlib.figure.Figure
        Four axes, in order: the stored letter, the cue and the final state (one image each,
        10 x 10 arrays of -1 and +1), and the energy trace (its first line is the trace).

    Raises
    ------
    ValueError
        If ``letter`` is not one of the stored letters or ``noise`` is outside ``[0, 1]``.
    """
    images = letters()
    if letter not in images:
        raise ValueError(f"unknown letter {letter!r}; the stored letters are {', '.join(images)}")
    if isinstance(noise, bool) or not isinstance(noise, int | float) or not 0 <= noise <= 1:
        raise ValueError(f"noise must be a number in [0, 1], got {noise!r}")
    net = letter_network()
    stored = images[letter]
    cue = add_noise(stored, noise, seed=seed)
    result = net.recall(cue.ravel(), seed=seed, return_energies=True)
    final = result.state.reshape(stored.shape)
    flipped = int(np.sum(cue != stored))

    fig = figure_for(fig, (8, 2.8))
    grid = fig.add_gridspec(1, 4, width_ratios=[1, 1, 1, 2.6])
    ax_stored, ax_cue, ax_final = (fig.add_subplot(grid[0, k]) for k in range(3))
    ax_energy = fig.add_subplot(grid[0, 3])

    _show_image(ax_stored, stored, f"stored {letter}")
    _show_image(ax_cue, cue, f"cue: {flipped} flipped")
    name = identify(final, images)
    if name == letter:
        verdict, color = f"recalled {letter}", _OK
    elif name is not None:
        verdict, color = "ended on " + name.replace("-", "−"), _WRONG
    else:
        verdict, color = "spurious state", _WRONG
    _show_image(ax_final, final, verdict, color)

    energies = result.energies
    ax_energy.plot(np.arange(len(energies)), energies, color=PALETTE[0], lw=1.8)
    for sweep in range(1, result.sweeps):
        ax_energy.axvline(sweep * net.n_units, color="0.6", ls=":", lw=1)
    ax_energy.axhline(net.energy(stored.ravel()), color=_OK, ls="--", lw=1.2)
    ax_energy.set_xlabel("single-unit updates")
    ax_energy.set_ylabel("energy $E$")
    ax_energy.set_title("the energy never increases", fontsize=10)
    fig.suptitle(
        f"letter {letter}, noise {noise:.0%}: {result.sweeps} sweeps, "
        f"{'converged' if result.converged else 'not converged'}",
        fontsize=11,
    )
    return fig


def _arrow(ax: Any, start: tuple[float, float], end: tuple[float, float], **style: Any) -> None:
    ax.add_patch(
        FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=9, shrinkA=9, shrinkB=9, **style
        )
    )


def draw_architectures(fig: Figure | None = None) -> Figure:
    """Draw a feedforward network next to a feedback (Hopfield) network.

    Left, a 3-4-2 feedforward network: every connection is an arrow pointing from one layer to
    the next, so an input crosses the network once and the output is a function of the input.
    Right, six units connected to each other by symmetric links (:math:`w_{ij} = w_{ji}`, one
    line per pair, no self-connections): the units keep updating one another, and the state
    evolves until it settles.

    Parameters
    ----------
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new 8 x 3.4 inch figure when None.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the feedforward network (one arrow patch per connection, 3 x 4 + 4 x 2 = 20)
        and the feedback network (one line per pair of units, 6 x 5 / 2 = 15).
    """
    fig = figure_for(fig, (8, 3.4))
    ax_ff, ax_fb = fig.subplots(1, 2)

    sizes = [3, 4, 2]
    layers = [[(float(k), (n - 1) / 2 - i) for i in range(n)] for k, n in enumerate(sizes)]
    for left, right in zip(layers[:-1], layers[1:], strict=True):
        for start in left:
            for end in right:
                _arrow(ax_ff, start, end, color="0.45", lw=1.0)
    for k, layer in enumerate(layers):
        xs, ys = zip(*layer, strict=True)
        color = PALETTE[0] if k == 0 else PALETTE[1] if k == len(layers) - 1 else "white"
        ax_ff.scatter(xs, ys, s=260, c=color, edgecolors="k", zorder=3)
    ax_ff.text(0, -2.2, "input", ha="center", fontsize=10)
    ax_ff.text(2, -2.2, "output", ha="center", fontsize=10)
    ax_ff.set_title("feedforward: one pass, input → output", fontsize=11)

    n = 6
    angles = np.pi / 2 + 2 * np.pi * np.arange(n) / n
    points = np.column_stack([np.cos(angles), np.sin(angles)]) * 1.5
    for i in range(n):
        for j in range(i + 1, n):
            ax_fb.plot(*zip(points[i], points[j], strict=True), color="0.45", lw=1.0, zorder=1)
    states = [1, -1, 1, 1, -1, -1]
    colors = [PALETTE[1] if s > 0 else PALETTE[0] for s in states]
    ax_fb.scatter(points[:, 0], points[:, 1], s=260, c=colors, edgecolors="k", zorder=3)
    for (x, y), s in zip(points, states, strict=True):
        ax_fb.text(x, y, "+" if s > 0 else "−", ha="center", va="center", color="white", zorder=4)
    ax_fb.text(0, -2.2, "update one unit at a time, until nothing changes", ha="center", fontsize=9)
    ax_fb.set_title("feedback (Hopfield): $w_{ij} = w_{ji}$", fontsize=11)

    ax_ff.set_xlim(-0.5, 2.5)
    ax_fb.set_xlim(-2.2, 2.2)
    for ax in (ax_ff, ax_fb):
        ax.set_ylim(-2.5, 2.0)
        ax.set_aspect("equal")
        ax.set_axis_off()
    return fig


def draw_capacity(
    pattern_counts: Sequence[int],
    curves: Mapping[str, Sequence[float]],
    n_units: int,
    fig: Figure | None = None,
) -> Figure:
    r"""Draw recall quality against the number of stored patterns, with two reference lines.

    The vertical lines mark :math:`0.138 N`, the capacity of Amit, Gutfreund & Sompolinsky (1985)
    for recall with a small fraction of wrong units, and :math:`N / (2 \ln N)`, below which a
    typical pattern is recalled exactly (McEliece et al. 1987), both for large :math:`N`.

    Parameters
    ----------
    pattern_counts : sequence of int
        The numbers of stored patterns :math:`p` (the x values).
    curves : mapping of str to sequence of float
        Legend label to one value in ``[0, 1]`` per count, e.g. the share of exact recalls.
    n_units : int
        Number of units :math:`N`, for the reference lines and the title.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new 6.4 x 3.8 inch figure when None.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: one line per curve, in order, then the two vertical reference lines.

    Raises
    ------
    ValueError
        If ``curves`` is empty or a curve does not have one value per count.
    """
    n_units = check_positive(n_units, "n_units", integer=True)
    counts = as_finite_array(pattern_counts, "pattern_counts")
    if not curves:
        raise ValueError("curves must name at least one curve to draw")
    fig = figure_for(fig, (6.4, 3.8))
    ax = fig.add_subplot()
    markers = "os^Dv"
    for k, (label, values) in enumerate(curves.items()):
        y = as_finite_array(values, f"curves[{label!r}]")
        if y.shape != counts.shape:
            raise ValueError(
                f"curves[{label!r}] has {y.size} values but there are {counts.size} counts"
            )
        ax.plot(counts, y, marker=markers[k % len(markers)], color=PALETTE[k], label=label)
    amit = 0.138 * n_units
    mceliece = n_units / (2 * math.log(n_units))
    ax.axvline(amit, color="0.3", ls="--", lw=1.2, label=f"0.138 N = {amit:.1f}")
    ax.axvline(mceliece, color="0.3", ls=":", lw=1.2, label=f"N / (2 ln N) = {mceliece:.1f}")
    ax.set_xlabel("number of stored random patterns $p$")
    ax.set_ylabel("share of recalls")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(f"N = {n_units} units")
    ax.legend(loc="lower left")
    return fig
