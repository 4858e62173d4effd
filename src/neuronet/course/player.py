"""The two faces of every exploration: a live widget and a kernel-free player.

pyplot is imported by the functions that show or close figures, not with the module, so that
importing an exploration (as some exercise checks do) does not load it.
"""

from __future__ import annotations

import html as html_escape
import re
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib as mpl
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

from neuronet.course.plots import new_figure

DrawFunction = Callable[..., Figure]

# matplotlib's player draws its buttons with Font Awesome icons loaded from a CDN; the course's
# pages load nothing from outside, so each icon becomes a plain character (the buttons keep their
# titles and aria-labels).
_ICONS = {
    "fa-minus": "&minus;",
    "fa-fast-backward": "&laquo;",
    "fa-step-backward": "&lsaquo;",
    "fa-play fa-flip-horizontal": "&#9664;",
    "fa-pause": "&#10074;&#10074;",
    "fa-play": "&#9654;",
    "fa-step-forward": "&rsaquo;",
    "fa-fast-forward": "&raquo;",
    "fa-plus": "+",
}
_CDN_STYLESHEET = re.compile(r"<link[^>]*font-awesome[^>]*>", re.IGNORECASE)
_ICON = re.compile(r'<i class="fa ([^"]+)"></i>')


def _self_contained(html: str, alt: str, parameter: str) -> str:
    """Remove the player's only external resource and give its frames and slider text names.

    The frame slider is an ``<input type="range">`` without a label in matplotlib's template;
    a screen reader would announce it as an unnamed slider, so it gets an ``aria-label``.
    """
    html = _CDN_STYLESHEET.sub("", html)
    html = _ICON.sub(lambda match: _ICONS[match.group(1)], html)
    html = html.replace(
        'class="anim-slider"',
        f'class="anim-slider" aria-label="{html_escape.escape(f"Frame ({parameter})")}"',
        1,
    )
    return html.replace("<img id=", f'<img alt="{html_escape.escape(alt)}" id=', 1)


def figure_for(fig: Figure | None, figsize: tuple[float, float] | None) -> Figure:
    """The drawing convention of every exploration: draw into ``fig`` (cleared) if one is given,
    as the player does for each frame, or into a new figure of ``figsize``."""
    if fig is None:
        return new_figure(figsize)
    fig.clear()
    return fig


def widget(draw: DrawFunction, **controls: Any) -> Any:
    """Return an ``ipywidgets.interactive`` that redraws ``draw(**values)`` when a control moves.

    ``draw`` must create and return a new figure; ``controls`` maps each of its keyword arguments
    to an ipywidgets control or to anything ``interact`` accepts (a list for a dropdown, a tuple
    for a slider, a fixed value with ``ipywidgets.fixed``). The wrapper returns nothing, so the
    figure is shown once, by the inline backend, and not a second time as the function's result.
    """
    import matplotlib.pyplot as plt
    from ipywidgets import interactive

    def show(**values: Any) -> None:
        draw(**values)
        plt.show()

    return interactive(show, **controls)


def player(
    draw: DrawFunction,
    parameter: str,
    values: Sequence[Any],
    *,
    interval: int = 700,
    figsize: tuple[float, float] | None = None,
    dpi: int = 90,
    alt: str | None = None,
    **fixed: Any,
) -> Any:
    """Render ``draw`` for each of ``values`` as a scrubbable animation that needs no kernel.

    Each frame is ``draw(fig=fig, **{parameter: value}, **fixed)`` drawn into one reused figure,
    which must therefore accept a ``fig`` keyword and draw into it. The result is an IPython HTML
    object holding every frame as an image plus matplotlib's JavaScript player controls (play,
    step, a slider), so it keeps working in the static book.

    Parameters
    ----------
    draw
        The same drawing function the live widget uses.
    parameter
        The keyword argument the player steps through.
    values
        One frame per value, in order.
    interval
        Milliseconds between frames when playing.
    figsize
        Size of the figure, in inches; matplotlib's default if None.
    dpi
        Resolution of the stored frames.
    alt
        Text alternative of the frames for screen readers; by default it names the parameter
        and its values.
    **fixed
        Other keyword arguments, the same for every frame.
    """
    import matplotlib.pyplot as plt
    from IPython.display import HTML

    if len(values) == 0:
        raise ValueError(f"player needs at least one value of {parameter!r}, got none")
    fig = new_figure(figsize)

    def frame(i: int) -> list:
        fig.clear()
        draw(fig=fig, **{parameter: values[i]}, **fixed)
        return []

    animation = FuncAnimation(fig, frame, frames=len(values), interval=interval, blit=False)
    # Frames are stored as PNGs in the page: screen resolution keeps the page light and fast.
    with mpl.rc_context({"savefig.dpi": dpi}):
        html = animation.to_jshtml(default_mode="once")
    plt.close(fig)
    if alt is None:
        alt = f"Figure stepping through {parameter} = " + ", ".join(str(v) for v in values)
    return HTML(_self_contained(html, alt, parameter))
