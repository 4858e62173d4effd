"""Lesson 07's figures and helpers: XOR's hidden representation, bending features, the sawtooth."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import PathCollection

from neuronet.course.explore.lesson01 import gate_data
from neuronet.course.explore.lesson07 import (
    count_linear_pieces,
    direction_spread,
    draw_sawtooth,
    draw_xor_solution,
    input_gradients,
    layer_outputs,
    output_line,
    sawtooth_network,
)
from neuronet.gradcheck import numerical_gradient
from neuronet.network import MLP

XOR_X, XOR_Y = gate_data("XOR")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def tent(x):
    return 2 * np.minimum(x, 1 - x)


# --- layer outputs and the output's line --------------------------------------------------


def test_layer_outputs_follow_the_layers():
    net = MLP([2, 3, 4, 2], activation="tanh", seed=1)
    X = np.random.default_rng(0).normal(size=(5, 2))
    h1, h2, out = layer_outputs(net, X)
    W1, b1 = net.layers[0].params["W"], net.layers[0].params["b"]
    W2, b2 = net.layers[1].params["W"], net.layers[1].params["b"]
    assert np.allclose(h1, np.tanh(X @ W1 + b1))
    assert np.allclose(h2, np.tanh(h1 @ W2 + b2))
    assert np.allclose(out, net.forward(X))


@pytest.mark.parametrize("seed", range(5))
def test_the_output_line_separates_what_the_network_predicts(seed):
    net = MLP([2, 3, 2], activation="sigmoid", seed=seed)
    X = np.random.default_rng(seed).normal(size=(200, 2))
    v, c = output_line(net)
    hidden = layer_outputs(net, X)[0]
    assert np.array_equal(net.predict(X), (hidden @ v + c > 0).astype(int))


def test_output_line_needs_a_hidden_layer_and_two_softmax_outputs():
    with pytest.raises(ValueError, match=r"needs a hidden layer and two softmax outputs.*\[2, 2\]"):
        output_line(MLP([2, 2]))
    with pytest.raises(ValueError, match="'sigmoid' output"):
        output_line(MLP([2, 2, 1], output="sigmoid", cost="cross_entropy"))


def test_draw_xor_solution_shows_lines_hidden_points_and_decision():
    net = MLP([2, 2, 2], activation="sigmoid", seed=0)
    net.fit(XOR_X, XOR_Y, optimizer="adam", lr=0.05, epochs=200, batch_size=None)
    fig = draw_xor_solution(net, XOR_X, XOR_Y)
    ax_in, ax_hidden, ax_out = fig.axes
    # left: the two units' lines z_j = 0
    W1, b1 = net.layers[0].params["W"], net.layers[0].params["b"]
    for j, line in enumerate(ax_in.get_lines()):
        x, y = line.get_xydata().T
        assert np.allclose(W1[0, j] * x + W1[1, j] * y + b1[j], 0, atol=1e-9)
    # middle: the points sit at their hidden representation, and the last line is the output's
    hidden = layer_outputs(net, XOR_X)[0]
    scatters = [c for c in ax_hidden.collections if isinstance(c, PathCollection)]
    shown = np.concatenate([c.get_offsets() for c in scatters])
    assert sorted(map(tuple, np.round(shown, 12))) == sorted(map(tuple, np.round(hidden, 12)))
    v, c = output_line(net)
    x, y = ax_hidden.get_lines()[-1].get_xydata().T
    assert np.allclose(v[0] * x + v[1] * y + c, 0, atol=1e-9)
    labels = [t.get_text() for t in ax_hidden.texts]
    assert sorted(" and ".join(labels).split(" and ")) == ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"]
    # right: P(class 1) over the plane
    xs = np.linspace(-0.5, 1.5, 200)
    g1, g2 = np.meshgrid(xs, xs)
    expected = net.forward(np.column_stack([g1.ravel(), g2.ravel()]))[:, 1].reshape(200, 200)
    assert np.allclose(ax_out.images[0].get_array(), expected)
    assert ax_hidden.get_title() == "hidden representation"


def test_draw_xor_solution_refuses_other_networks():
    with pytest.raises(ValueError, match=r"sizes \[2, 2, 2\].*got sizes \[2, 3, 2\]"):
        draw_xor_solution(MLP([2, 3, 2]), XOR_X, XOR_Y)
    with pytest.raises(ValueError, match=r"y must have shape \(4,\)"):
        draw_xor_solution(MLP([2, 2, 2]), XOR_X, XOR_Y[:3])


# --- input gradients and their spread -----------------------------------------------------


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "leaky_relu", "identity"])
def test_input_gradients_match_finite_differences(activation):
    net = MLP([2, 4, 3, 2], activation=activation, seed=2)
    X = np.random.default_rng(1).normal(size=(6, 2))
    gradients = input_gradients(net, X)
    assert [g.shape for g in gradients] == [(6, 4, 2), (6, 3, 2)]
    for layer, g in enumerate(gradients):
        for unit in range(g.shape[1]):
            point = X.copy()

            def unit_output(_, layer=layer, unit=unit, point=point):
                return float(np.sum(layer_outputs(net, point)[layer][:, unit]))

            # each sample's output depends on its own input only, so the gradient of the sum
            # with respect to the points is the per-sample gradient
            numerical = numerical_gradient(unit_output, point)
            assert np.allclose(g[:, unit], numerical, rtol=1e-6, atol=1e-9)


def test_a_first_layer_unit_changes_along_its_weights_only():
    net = MLP([2, 5, 5, 2], activation="tanh", seed=3)
    X = np.random.default_rng(2).uniform(-2, 2, size=(400, 2))
    first, second = input_gradients(net, X)
    for unit in range(5):
        assert direction_spread(first[:, unit]) < 1e-9
    assert min(direction_spread(second[:, k]) for k in range(5)) > 1.0


def test_direction_spread_by_hand():
    # directions at 0, 30 and 60 degrees (signs do not matter): mean 30, spread 30
    angles = np.radians([0.0, 30.0, 60.0])
    g = np.column_stack([np.cos(angles), np.sin(angles)]) * np.array([[1.0], [-2.0], [0.5]])
    assert direction_spread(g) == pytest.approx(30.0)
    # a zero gradient has no direction and is ignored
    assert direction_spread(np.vstack([g, [0.0, 0.0]])) == pytest.approx(30.0)
    assert direction_spread(np.zeros((3, 2))) == 0.0
    with pytest.raises(ValueError, match=r"gradients must have shape \(n, 2\), got \(3,\)"):
        direction_spread(np.zeros(3))


@settings(max_examples=50, deadline=None)
@given(st.floats(-3.0, 3.0), st.floats(0.1, 5.0))
def test_direction_spread_of_one_direction_is_zero(angle, scale):
    lengths = np.linspace(-scale, scale, 11)
    g = lengths[:, None] * np.array([np.cos(angle), np.sin(angle)])
    assert direction_spread(g) == pytest.approx(0.0, abs=1e-6)


# --- the sawtooth -------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1, 2, 3, 5])
def test_the_sawtooth_network_composes_the_tent_map(depth):
    net = sawtooth_network(depth)
    assert net.sizes == [1] + [2] * depth + [1]
    x = np.linspace(0.0, 1.0, 2**depth * 8 + 1)
    expected = x.copy()
    for _ in range(depth):
        expected = tent(expected)
    assert np.allclose(net.forward(x[:, None])[:, 0], expected, atol=1e-12)
    assert count_linear_pieces(x, expected) == 2**depth


def test_count_linear_pieces_by_hand():
    x = np.linspace(-2, 2, 9)
    assert count_linear_pieces(x, 3 * x + 1) == 1
    assert count_linear_pieces(x, np.abs(x)) == 2
    assert count_linear_pieces(x, np.maximum(x, 0) - 2 * np.maximum(x - 1, 0)) == 3
    with pytest.raises(ValueError, match="strictly increasing"):
        count_linear_pieces(x[::-1], x)
    with pytest.raises(ValueError, match="same length, at least 2; got 9 and 3"):
        count_linear_pieces(x, x[:3])


def test_one_hidden_layer_of_m_relu_units_makes_at_most_m_plus_1_pieces():
    for m in (1, 3, 6, 10):
        net = MLP([1, m, 1], activation="relu", output="identity", cost="quadratic", seed=m)
        w, b = net.layers[0].params["W"][0], net.layers[0].params["b"]
        kinks = -b / w  # each unit bends the line where its weighted sum is 0
        inside = kinks[(kinks > -3) & (kinks < 3)]
        # sample exactly at the kinks, so that each one starts a new piece
        x = np.union1d(np.linspace(-3, 3, 601), inside)
        pieces = count_linear_pieces(x, net.forward(x[:, None])[:, 0])
        assert pieces == len(np.unique(inside)) + 1
        assert pieces <= m + 1


@pytest.mark.parametrize("depths", [(1,), (1, 2, 3, 4)])
def test_draw_sawtooth_draws_each_depth(depths):
    fig = draw_sawtooth(depths)
    assert len(fig.axes) == len(depths)
    x = np.linspace(0, 1, 1025)
    for ax, depth in zip(fig.axes, depths, strict=True):
        (line,) = ax.get_lines()
        expected = x.copy()
        for _ in range(depth):
            expected = tent(expected)
        assert np.allclose(line.get_ydata(), expected, atol=1e-12)
        assert f"{2**depth} linear pieces" in ax.get_title()
        assert f"{2 * depth} units" in ax.get_title()
    with pytest.raises(ValueError, match="at least one depth"):
        draw_sawtooth([])
