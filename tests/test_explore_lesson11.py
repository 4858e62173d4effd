"""Lesson 11's exploration: recalling letters, the energy trace, architectures and capacity."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets import Dropdown, FloatSlider
from matplotlib.colors import same_color
from matplotlib.patches import FancyArrowPatch

from neuronet.course.explore.lesson11 import (
    draw_architectures,
    draw_capacity,
    draw_recall,
    identify,
    letter_network,
    recall_errors,
)
from neuronet.course.player import player, widget
from neuronet.course.plots import PALETTE
from neuronet.hopfield import add_noise, capacity_curve, letters

LETTERS = list(letters())
NOISES = [0.0, 0.25, 0.5]  # the slider's ends and middle
GREEN, VERMILLION = PALETTE[2], PALETTE[1]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def hebbian(patterns):
    """W = (1/N) sum of outer products, zero diagonal: an independent reference."""
    patterns = np.asarray(patterns, dtype=float)
    W = sum(np.outer(x, x) for x in patterns) / patterns.shape[1]
    np.fill_diagonal(W, 0)
    return W


def letter_weights():
    return hebbian([image.ravel() for image in letters().values()])


def energy(W, s):
    return -0.5 * float(s @ W @ s)


def is_equilibrium(W, s):
    h = W @ s
    return bool(np.all((np.abs(h) < 1e-9) | (np.sign(h) == s)))


# --- letter_network and identify ---------------------------------------------------------------


def test_letter_network_stores_the_four_letters_with_hebbian_weights():
    net = letter_network()
    assert net.n_units == 100 and net.n_patterns == 4
    np.testing.assert_allclose(net.weights, letter_weights(), rtol=0, atol=1e-12)
    for k, image in enumerate(letters().values()):
        np.testing.assert_array_equal(net.patterns[k], image.ravel())


def test_identify_names_patterns_negations_and_nothing_else():
    patterns = {"a": np.array([1, -1, 1, 1]), "b": np.array([[1, 1], [-1, -1]])}
    assert identify([1, -1, 1, 1], patterns) == "a"
    assert identify([[-1, 1], [-1, -1]], patterns) == "-a"  # shape does not matter
    assert identify([-1, -1, 1, 1], patterns) == "-b"
    assert identify([1, 1, 1, 1], patterns) is None
    with pytest.raises(ValueError, match=r"patterns\['a'\] has 4 entries but the state has 3"):
        identify([1, 1, 1], patterns)


# --- recall_errors ------------------------------------------------------------------------------


def test_recall_errors_agree_with_capacity_curve_and_have_one_entry_per_recall():
    counts = [1, 5, 20]
    errors = recall_errors(60, counts, trials=3, noise=0.05, seed=4)
    assert [e.shape for e in errors] == [(3,), (15,), (60,)]
    exact = [np.mean(e == 0) for e in errors]
    np.testing.assert_array_equal(exact, capacity_curve(60, counts, trials=3, noise=0.05, seed=4))
    # Fractions of 60 units: multiples of 1/60 in [0, 1].
    for e in errors:
        assert np.all((e >= 0) & (e <= 1))
        np.testing.assert_allclose(e * 60, np.round(e * 60), atol=1e-9)


def test_recall_errors_are_zero_for_orthogonal_memories_and_grow_when_overloaded():
    # One pattern is always recalled exactly from itself.
    assert np.all(recall_errors(50, [1], trials=5, seed=0)[0] == 0)
    # 40 random patterns in 50 units (p/N = 0.8) leave many units wrong on average.
    overloaded = recall_errors(50, [40], trials=1, seed=0)[0]
    assert overloaded.mean() > 0.05


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_units": 0}, "n_units"),
        ({"trials": 1.5}, "trials"),
        ({"pattern_counts": [2, 0]}, "each pattern count"),
        ({"noise": 1.5}, r"noise must be a number in \[0, 1\], got 1.5"),
        ({"noise": True}, r"noise must be a number in \[0, 1\], got True"),
    ],
)
def test_recall_errors_reject_bad_arguments(kwargs, message):
    arguments = {"n_units": 20, "pattern_counts": [2], "trials": 1, "noise": 0.0} | kwargs
    with pytest.raises(ValueError, match=message):
        recall_errors(**arguments)


# --- draw_recall --------------------------------------------------------------------------------


@pytest.mark.parametrize("letter", LETTERS)
@pytest.mark.parametrize("noise", NOISES)
def test_draw_recall_shows_cue_final_state_and_a_monotone_energy_trace(letter, noise):
    W = letter_weights()
    stored = letters()[letter]
    fig = draw_recall(letter, noise, seed=0)
    ax_stored, ax_cue, ax_final, ax_energy = fig.axes
    shown_stored = ax_stored.images[0].get_array()
    cue = ax_cue.images[0].get_array()
    final = ax_final.images[0].get_array()
    np.testing.assert_array_equal(shown_stored, stored)
    # The cue is the seeded noisy letter, with round(100 * noise) pixels flipped.
    np.testing.assert_array_equal(cue, add_noise(stored, noise, seed=0))
    assert np.sum(cue != stored) == round(100 * noise)
    assert ax_cue.get_title() == f"cue: {round(100 * noise)} flipped"
    # The final state is an equilibrium of the Hebbian weights.
    assert is_equilibrium(W, np.ravel(final))
    trace = ax_energy.lines[0].get_ydata()
    assert trace[0] == pytest.approx(energy(W, np.ravel(cue)), abs=1e-9)
    assert trace[-1] == pytest.approx(energy(W, np.ravel(final)), abs=1e-9)
    assert np.all(np.diff(trace) <= 1e-12)
    # One point per update, whole sweeps of 100 updates, and a last sweep that changes nothing.
    assert (len(trace) - 1) % 100 == 0
    np.testing.assert_allclose(trace[-101:], trace[-1], atol=1e-12)
    # The dashed line is the stored letter's energy.
    assert ax_energy.lines[-1].get_ydata()[0] == pytest.approx(energy(W, stored.ravel()))
    sweeps = (len(trace) - 1) // 100
    assert fig.get_suptitle() == f"letter {letter}, noise {noise:.0%}: {sweeps} sweeps, converged"
    name = identify(final, letters())
    title = ax_final.get_title()
    if name == letter:
        assert title == f"recalled {letter}" and same_color(ax_final.title.get_color(), GREEN)
    else:
        assert same_color(ax_final.title.get_color(), VERMILLION)
        # another letter, a negated letter ("-L" is shown with a minus sign) or neither
        expected = "spurious state" if name is None else "ended on " + name.replace("-", "−")
        assert title == expected


def test_draw_recall_recalls_every_letter_at_low_noise_and_draws_into_a_given_figure():
    fig = plt.figure()
    for letter in LETTERS:
        assert draw_recall(letter, 0.1, seed=1, fig=fig) is fig
        assert len(fig.axes) == 4
        np.testing.assert_array_equal(fig.axes[2].images[0].get_array(), letters()[letter])


def test_draw_recall_rejects_unknown_letters_and_noise():
    with pytest.raises(ValueError, match="unknown letter 'X'; the stored letters are T, L, H, O"):
        draw_recall("X")
    with pytest.raises(ValueError, match=r"noise must be a number in \[0, 1\], got 1.2"):
        draw_recall("T", 1.2)


# --- draw_architectures -------------------------------------------------------------------------


def test_architectures_draw_every_connection_once():
    fig = draw_architectures()
    ax_ff, ax_fb = fig.axes
    arrows = [p for p in ax_ff.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 3 * 4 + 4 * 2
    assert len(ax_fb.lines) == 6 * 5 // 2
    # Every pair of the six units is joined exactly once, with no line from a unit to itself.
    ends = {
        frozenset(map(tuple, np.round(np.column_stack(line.get_data()), 6))) for line in ax_fb.lines
    }
    assert len(ends) == 15 and all(len(pair) == 2 for pair in ends)
    assert "feedforward" in ax_ff.get_title() and "feedback" in ax_fb.get_title()


# --- draw_capacity ------------------------------------------------------------------------------


def test_draw_capacity_plots_each_curve_and_the_two_reference_lines():
    counts = [2, 10, 20]
    curves = {"exact": [1.0, 0.5, 0.0], "close": [1.0, 0.8, 0.1]}
    fig = draw_capacity(counts, curves, n_units=100)
    (ax,) = fig.axes
    for line, values in zip(ax.lines[:2], curves.values(), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), counts)
        np.testing.assert_array_equal(line.get_ydata(), values)
    assert ax.lines[2].get_xdata()[0] == pytest.approx(13.8)
    assert ax.lines[3].get_xdata()[0] == pytest.approx(100 / (2 * math.log(100)))
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["exact", "close", "0.138 N = 13.8", "N / (2 ln N) = 10.9"]
    assert ax.get_title() == "N = 100 units"


def test_draw_capacity_rejects_mismatched_curves():
    with pytest.raises(ValueError, match="curves must name at least one curve"):
        draw_capacity([1, 2], {}, 10)
    with pytest.raises(ValueError, match=r"curves\['a'\] has 3 values but there are 2 counts"):
        draw_capacity([1, 2], {"a": [1, 1, 1]}, 10)


# --- the live widget and the player -------------------------------------------------------------


def test_widget_redraws_for_every_letter_and_noise_level():
    live = widget(
        draw_recall,
        letter=Dropdown(options=LETTERS, value="T"),
        noise=FloatSlider(value=0.15, min=0.0, max=0.5, step=0.05),
    )
    letter_control, noise_control = live.children[:2]
    for letter in LETTERS:
        letter_control.value = letter
        for noise in NOISES:
            plt.close("all")
            noise_control.value = noise
            live.update()
            fig = plt.gcf()
            assert fig.get_suptitle().startswith(f"letter {letter}, noise {noise:.0%}")
            cue = fig.axes[1].images[0].get_array()
            np.testing.assert_array_equal(cue, add_noise(letters()[letter], noise, seed=0))


def test_player_renders_one_frame_per_noise_level():
    html = player(draw_recall, "noise", [0.0, 0.25, 0.5], figsize=(8, 2.8), letter="H").data
    assert html.count("data:image/png;base64") == 3
