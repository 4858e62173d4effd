"""The widget and player wrappers shared by every lesson's exploration."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets import FloatSlider

from neuronet.course.player import player, widget


def draw_line(slope: float = 1.0, fig=None):
    fig = fig or plt.figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, slope])
    ax.set_title(f"slope {slope}")
    return fig


def test_player_has_one_frame_per_value():
    html = player(draw_line, "slope", [0.5, 1.0, 2.0]).data
    assert html.count("data:image/png;base64") == 3
    assert "<script" in html  # the JavaScript controls that work without a kernel


def test_player_refuses_no_values():
    with pytest.raises(ValueError, match="at least one value of 'slope'"):
        player(draw_line, "slope", [])


def test_player_leaves_no_open_figure():
    before = set(plt.get_fignums())
    player(draw_line, "slope", [1.0])
    assert set(plt.get_fignums()) == before


def test_widget_redraws_with_the_control_value():
    plt.close("all")
    live = widget(draw_line, slope=FloatSlider(min=0.0, max=3.0, value=1.0))
    live.children[0].value = 2.5
    live.update()
    ax = plt.gcf().axes[0]
    assert ax.get_title() == "slope 2.5"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0, 2.5])
    assert live.result is None  # nothing returned, so the figure is not shown twice
    plt.close("all")


def test_player_loads_nothing_from_outside_and_has_alt_text():
    html = player(draw_line, "slope", [0.5, 2.0]).data
    assert "font-awesome" not in html and "https://" not in html
    assert 'class="fa' not in html  # every icon became a character
    assert 'alt="Figure stepping through slope = 0.5, 2.0"' in html
    assert 'title="Play"' in html  # the buttons keep their names
