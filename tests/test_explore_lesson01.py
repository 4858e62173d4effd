"""Lesson 01's explorations: the decision line of a threshold neuron and the perceptron's run."""

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets import Dropdown, FloatSlider

from neuronet.course.explore.lesson01 import (
    CORNERS,
    GATES,
    LIMITS,
    count_correct,
    decision_line,
    draw_decision_line,
    draw_neuron,
    draw_perceptron_epoch,
    gate_data,
    perceptron_trajectory,
    step_decisions,
)
from neuronet.course.player import player, widget
from neuronet.neuron import Neuron

# Truth tables written from the logic, independently of GATES.
LOGIC = {
    "AND": lambda p, q: p and q,
    "OR": lambda p, q: p or q,
    "NAND": lambda p, q: not (p and q),
    "XOR": lambda p, q: p != q,
}
SLIDER = (-3.0, 0.0, 3.0)  # the ends and the middle of the weight and bias sliders


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def hand_correct(w1, w2, b, gate):
    """Count the corners a step neuron gets right, one corner at a time."""
    count = 0
    for p, q in ((0, 0), (0, 1), (1, 0), (1, 1)):
        says_yes = w1 * p + w2 * q + b >= 0
        count += says_yes == bool(LOGIC[gate](p, q))
    return count


def hand_perceptron(gate, w, b, lr, epochs):
    """Rosenblatt's rule written out in plain Python: the states after each epoch."""
    w, states = list(w), [(tuple(w), b)]
    for _ in range(epochs):
        for p, q in ((0, 0), (0, 1), (1, 0), (1, 1)):
            target = int(LOGIC[gate](p, q))
            guess = 1 if w[0] * p + w[1] * q + b >= 0 else 0
            w[0] += lr * (target - guess) * p
            w[1] += lr * (target - guess) * q
            b += lr * (target - guess)
        states.append((tuple(w), b))
    return states


# --- data and decisions ----------------------------------------------------------------------


@pytest.mark.parametrize("gate", list(LOGIC))
def test_gate_data_is_the_truth_table(gate):
    X, y = gate_data(gate.lower())
    assert X.shape == (4, 2) and y.dtype == np.int64
    for (p, q), target in zip(X, y, strict=True):
        assert target == int(LOGIC[gate](bool(p), bool(q)))


def test_the_gates_are_exactly_the_four_of_the_lesson():
    assert set(GATES) == set(LOGIC)
    np.testing.assert_array_equal(CORNERS, [[0, 0], [0, 1], [1, 0], [1, 1]])


def test_unknown_gate_is_refused_with_the_valid_names():
    with pytest.raises(ValueError, match=r"unknown gate 'XNOR'; valid gates are: AND, OR"):
        gate_data("XNOR")
    with pytest.raises(ValueError, match="unknown gate 3"):
        count_correct(1, 1, 0, gate=3)


def test_step_decisions_fire_at_zero():
    # z = x1 - x2 on the four corners: 0, -1, 1, 0, and the step says yes at z = 0.
    np.testing.assert_array_equal(step_decisions([1.0, -1.0], 0.0, CORNERS), [1, 0, 1, 1])


def test_step_decisions_refuse_bad_shapes_and_values():
    with pytest.raises(ValueError, match=r"need w of shape \(2,\)"):
        step_decisions([1.0, 2.0, 3.0], 0.0, CORNERS)
    with pytest.raises(ValueError, match="b contains 1 non-finite"):
        step_decisions([1.0, 2.0], np.nan, CORNERS)


@pytest.mark.parametrize(
    ("gate", "w1", "w2", "b"),
    [("AND", 1, 1, -1.5), ("OR", 1, 1, -0.5), ("NAND", -1, -1, 1.5)],
)
def test_hand_chosen_weights_compute_the_gate(gate, w1, w2, b):
    assert count_correct(w1, w2, b, gate) == 4


def test_no_weights_on_a_grid_compute_xor():
    values = np.linspace(-3, 3, 25)
    best = max(count_correct(w1, w2, b, "XOR") for w1, w2, b in itertools.product(values, repeat=3))
    assert best == 3


@pytest.mark.parametrize("gate", list(LOGIC))
@pytest.mark.parametrize(("w1", "w2", "b"), list(itertools.product(SLIDER, repeat=3)))
def test_count_correct_agrees_with_a_hand_count(gate, w1, w2, b):
    assert count_correct(w1, w2, b, gate) == hand_correct(w1, w2, b, gate)


# --- the decision line -----------------------------------------------------------------------


def test_decision_line_of_and_ends_on_the_square():
    x1, x2 = decision_line(1.0, 1.0, -1.5)  # x1 + x2 = 1.5 meets the square at (0, 1.5), (1.5, 0)
    ends = sorted(zip(x1.tolist(), x2.tolist(), strict=True))
    np.testing.assert_allclose(ends, [(0.0, 1.5), (1.5, 0.0)])


def test_vertical_and_horizontal_lines():
    x1, x2 = decision_line(2.0, 0.0, -1.0)  # x1 = 0.5
    np.testing.assert_allclose(x1, [0.5, 0.5])
    np.testing.assert_allclose(sorted(x2), LIMITS)
    x1, x2 = decision_line(0.0, -1.0, 0.25)  # x2 = 0.25
    np.testing.assert_allclose(sorted(x1), LIMITS)
    np.testing.assert_allclose(x2, [0.25, 0.25])


@pytest.mark.parametrize(
    ("w1", "w2", "b"),
    [(0.0, 0.0, 1.0), (1.0, 1.0, 10.0), (1.0, 1.0, -3.0)],  # w = 0; far away; touches (1.5, 1.5)
)
def test_no_line_when_it_misses_the_square(w1, w2, b):
    x1, x2 = decision_line(w1, w2, b)
    assert x1.size == 0 and x2.size == 0


def test_decision_line_refuses_bad_limits():
    with pytest.raises(ValueError, match="limits must be"):
        decision_line(1, 1, 0, limits=(1.0, 0.0))


@pytest.mark.parametrize("gate", list(LOGIC))
@pytest.mark.parametrize(("w1", "w2", "b"), list(itertools.product(SLIDER, repeat=3)))
def test_draw_decision_line_for_every_option(gate, w1, w2, b):
    fig = draw_decision_line(w1, w2, b, gate=gate)
    (ax,) = fig.axes
    correct = hand_correct(w1, w2, b, gate)
    assert ax.get_title().startswith(f"{gate}: {correct} of 4 correct")
    # The shaded regions are the step's output on the grid.
    image = np.asarray(ax.images[0].get_array())
    grid = np.linspace(*LIMITS, image.shape[0])
    assert image[0, -1] == float(w1 * grid[-1] + w2 * grid[0] + b >= 0)  # bottom right
    assert image[-1, 0] == float(w1 * grid[0] + w2 * grid[-1] + b >= 0)  # top left
    # The line, when drawn, satisfies w . x + b = 0.
    if ax.lines:
        x1, x2 = ax.lines[0].get_data()
        np.testing.assert_allclose(w1 * np.asarray(x1) + w2 * np.asarray(x2) + b, 0, atol=1e-12)
    else:
        assert (w1, w2) == (0.0, 0.0) or not decision_line(w1, w2, b)[0].size
    # Crosses mark exactly the corners the neuron gets wrong.
    wrong = [
        (p, q)
        for p, q in ((0, 0), (0, 1), (1, 0), (1, 1))
        if (w1 * p + w2 * q + b >= 0) != bool(LOGIC[gate](p, q))
    ]
    crosses = [c for c in ax.collections if c.get_label() == "wrong"]
    if wrong:
        np.testing.assert_array_equal(crosses[0].get_offsets(), wrong)
    else:
        assert not crosses


def test_draw_decision_line_draws_into_a_given_figure():
    fig = plt.figure()
    assert draw_decision_line(0.5, 1.0, -0.25, "OR", fig=fig) is fig
    assert len(fig.axes) == 1


def test_draw_decision_line_refuses_nonfinite_weights():
    with pytest.raises(ValueError, match="w1 contains 1 non-finite"):
        draw_decision_line(np.inf, 1.0, 0.0)


# --- the perceptron's run --------------------------------------------------------------------


def test_first_epoch_of_and_by_hand():
    # Start w = (-1, -1), b = 0.5, lr = 0.5. (0,0): z = 0.5 says yes, wrong: b -> 0.
    # (0,1), (1,0): z = -1, right. (1,1): z = -2 says no, wrong: w -> (-0.5, -0.5), b -> 0.5.
    # Then z on the corners is 0.5, 0, 0, -0.5: decisions 1, 1, 1, 0, all four wrong.
    weights, biases, errors = perceptron_trajectory("AND", (-1, -1), 0.5, lr=0.5, epochs=1)
    np.testing.assert_allclose(weights, [[-1.0, -1.0], [-0.5, -0.5]])
    np.testing.assert_allclose(biases, [0.5, 0.5])
    np.testing.assert_array_equal(errors, [2, 4])


@pytest.mark.parametrize("gate", list(LOGIC))
def test_trajectory_follows_the_rule_written_out(gate):
    weights, biases, errors = perceptron_trajectory(gate, (0.3, -0.7), 0.2, lr=0.25, epochs=12)
    states = hand_perceptron(gate, (0.3, -0.7), 0.2, 0.25, 12)
    np.testing.assert_allclose(weights, [s[0] for s in states], atol=1e-12)
    np.testing.assert_allclose(biases, [s[1] for s in states], atol=1e-12)
    expected = [4 - hand_correct(*s[0], s[1], gate) for s in states]
    np.testing.assert_array_equal(errors, expected)


def test_linearly_separable_gates_converge_and_xor_never_does():
    for gate in ("AND", "OR", "NAND"):
        _, _, errors = perceptron_trajectory(gate, epochs=30)
        assert errors[-1] == 0
    _, _, errors = perceptron_trajectory("XOR", epochs=30)
    assert errors.min() > 0


def test_trajectory_refuses_bad_arguments():
    with pytest.raises(ValueError, match=r"w0 must hold 2 weights, got shape \(3,\)"):
        perceptron_trajectory("AND", (1, 2, 3))
    with pytest.raises(ValueError, match="lr must be a positive finite number"):
        perceptron_trajectory("AND", lr=0.0)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        perceptron_trajectory("AND", epochs=0)


@pytest.mark.parametrize("gate", list(LOGIC))
@pytest.mark.parametrize("epoch", [0, 4, 10])
def test_draw_perceptron_epoch_for_every_option(gate, epoch):
    fig = draw_perceptron_epoch(epoch, gate=gate)
    plane, bars = fig.axes
    states = hand_perceptron(gate, (-1.0, -1.0), 0.5, 0.5, 10)
    (w1, w2), b = states[epoch]
    assert plane.get_title().startswith(f"{gate}, epoch {epoch}:")
    heights = [patch.get_height() for patch in bars.patches]
    expected = [4 - hand_correct(*s[0], s[1], gate) for s in states[: epoch + 1]]
    assert heights == expected
    assert bars.get_xlim()[1] > 10  # the axis spans every epoch, whatever the frame
    solid = [line for line in plane.lines if line.get_linestyle() == "-"]
    dashed = [line for line in plane.lines if line.get_linestyle() == "--"]
    visible_before = sum(decision_line(*s[0], s[1])[0].size > 0 for s in states[:epoch])
    assert len(dashed) == visible_before
    if solid:
        x1, x2 = solid[0].get_data()
        np.testing.assert_allclose(w1 * np.asarray(x1) + w2 * np.asarray(x2) + b, 0, atol=1e-12)
    status = "all 4 right" if expected[-1] == 0 else f"{expected[-1]} wrong"
    assert bars.get_title() == f"after epoch {epoch}: {status}"


def test_draw_perceptron_epoch_refuses_epochs_out_of_range():
    with pytest.raises(ValueError, match="epoch must be at most epochs=10, got 11"):
        draw_perceptron_epoch(11)
    with pytest.raises(ValueError, match="epoch must be an integer >= 0, got -1"):
        draw_perceptron_epoch(-1)


def test_trajectory_ends_where_neuronet_fit_ends():
    weights, biases, _ = perceptron_trajectory("AND", (-1, -1), 0.5, lr=0.5, epochs=20)
    neuron = Neuron(2, activation="step")
    neuron.w[:] = (-1, -1)
    neuron.b = 0.5
    neuron.fit(*gate_data("AND"), lr=0.5, epochs=20)
    np.testing.assert_allclose(weights[-1], neuron.w)
    assert biases[-1] == pytest.approx(neuron.b)


# --- the neuron diagram ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activation", "expected_a"),
    [("step", 1.0), ("sigmoid", 1 / (1 + np.exp(-0.25))), ("relu", 0.25)],
)
def test_draw_neuron_shows_the_numbers(activation, expected_a):
    # z = 0.5 * 1 - 1 * 0.5 + 2 * 0.25 - 0.25 = 0.25
    ax = draw_neuron([0.5, -1.0, 2.0], -0.25, [1.0, 0.5, 0.25], activation=activation)
    assert ax.get_title() == f"$z = w \\cdot x + b = 0.25$,  $a = f(z) = {expected_a:.3g}$"
    texts = [t.get_text() for t in ax.texts]
    for label in ("$x_1 = 1$", "$x_3 = 0.25$", "$w_2 = -1$", "$b = -0.25$", "$1$"):
        assert label in texts
    assert sum(1 for t in texts if t.startswith("$w_")) == 3


def test_draw_neuron_refuses_mismatched_inputs_and_softmax():
    with pytest.raises(ValueError, match=r"same length, 1 to 6; got \(2,\) and \(3,\)"):
        draw_neuron([1.0, 2.0], 0.0, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="elementwise activation, got 'softmax'"):
        draw_neuron([1.0, 2.0], 0.0, [1.0, 2.0], activation="softmax")


# --- the live widget and the kernel-free player ----------------------------------------------


def test_widget_redraws_for_every_gate_and_slider_position():
    plt.close("all")
    sliders = {
        name: FloatSlider(value=value, min=-3.0, max=3.0, step=0.1)
        for name, value in (("w1", 1.0), ("w2", 1.0), ("b", -0.5))
    }
    live = widget(draw_decision_line, **sliders, gate=Dropdown(options=list(GATES), value="AND"))
    w1_box, w2_box, b_box, gate_box = live.children[:4]
    for gate in GATES:
        gate_box.value = gate
        for value in (-3.0, 0.0, 3.0):
            w1_box.value, w2_box.value, b_box.value = value, 1.0, -1.5
            live.update()
            title = plt.gcf().axes[0].get_title()
            assert title.startswith(f"{gate}: {hand_correct(value, 1.0, -1.5, gate)} of 4 correct")
            plt.close("all")  # the inline backend closes each figure once shown; Agg does not
    assert live.result is None


def test_player_has_one_frame_per_epoch():
    html = player(draw_perceptron_epoch, "epoch", list(range(9)), figsize=(8, 3.6)).data
    assert html.count("data:image/png;base64") == 9
