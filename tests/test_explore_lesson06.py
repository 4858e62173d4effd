"""Lesson 06's exploration: each parameter's share of the error in the 2-2-1 network."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ipywidgets import Dropdown
from matplotlib.colors import same_color

from neuronet.course.explore.lesson06 import (
    PARAMETER_NAMES,
    SAMPLES,
    WeightShare,
    draw_layer_norms,
    draw_weight_share,
    tiny_network,
    weight_share,
)
from neuronet.course.player import player, widget
from neuronet.course.plots import PALETTE
from neuronet.gradcheck import numerical_gradient, relative_error
from neuronet.network import MLP

VERMILLION, ORANGE = PALETTE[1], PALETTE[3]
# Where each parameter name lives, written out by hand: w1_ij is W1[i-1, j-1], and so on.
LOCATION = {
    "w1_11": ("W1", (0, 0)),
    "w1_12": ("W1", (0, 1)),
    "w1_21": ("W1", (1, 0)),
    "w1_22": ("W1", (1, 1)),
    "b1_1": ("b1", (0,)),
    "b1_2": ("b1", (1,)),
    "w2_11": ("W2", (0, 0)),
    "w2_21": ("W2", (1, 0)),
    "b2_1": ("b2", (0,)),
}
CASES = [(name, k) for name in PARAMETER_NAMES for k in range(len(SAMPLES))]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def reference_cost(params, x, y):
    """The 2-2-1 network's quadratic cost, written independently of the module."""
    hidden = 1 / (1 + np.exp(-(np.asarray(x) @ params["W1"] + params["b1"])))
    out = 1 / (1 + np.exp(-(hidden @ params["W2"] + params["b2"])))
    return 0.5 * float(np.sum((out - y) ** 2))


def reference_gradients(params, x, y):
    """Every parameter's derivative by centered finite differences, keyed by name."""
    grads = {}
    for key in ("W1", "b1", "W2", "b2"):
        g = numerical_gradient(lambda _: reference_cost(params, x, y), params[key])
        for name, (k, index) in LOCATION.items():
            if k == key:
                grads[name] = g[index]
    return grads


# --- weight_share -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "sample"), CASES)
def test_factors_multiply_to_the_numerical_gradient(name, sample):
    x, y = SAMPLES[sample]
    share = weight_share(name, x=x, y=y)
    numerical = reference_gradients(tiny_network(), x, y)[name]
    assert isinstance(share, WeightShare)
    assert share.name == name
    assert np.prod([v for _, v in share.factors]) == share.gradient
    assert relative_error(np.array(share.gradient), np.array(numerical)) < 1e-7


@pytest.mark.parametrize(("name", "sample"), CASES)
def test_factors_are_the_local_derivatives_on_the_path(name, sample):
    x, y = np.array(SAMPLES[sample][0]), SAMPLES[sample][1]
    p = tiny_network()
    z1 = x @ p["W1"] + p["b1"]
    a1 = 1 / (1 + np.exp(-z1))
    z2 = a1 @ p["W2"] + p["b2"]
    a2 = 1 / (1 + np.exp(-z2[0]))
    share = weight_share(name, x=x, y=y)
    values = [v for _, v in share.factors]
    expected = [a2 - y, a2 * (1 - a2)]  # dC/da2 and sigma'(z2), shared by every parameter
    key, index = LOCATION[name]
    if key == "W2":
        expected.append(a1[index[0]])
    elif key == "b2":
        expected.append(1.0)
    else:
        j = index[-1]
        expected += [p["W2"][j, 0], a1[j] * (1 - a1[j]), x[index[0]] if key == "W1" else 1.0]
    np.testing.assert_allclose(values, expected, rtol=1e-12)
    assert share.value == p[key][index]
    assert share.cost == pytest.approx(reference_cost(p, x, y), rel=1e-12)
    hidden_unit = f"w2_{index[-1] + 1}1"
    assert share.path == (("cost", name) if key in ("W2", "b2") else ("cost", hidden_unit, name))


def test_derivatives_name_each_factor():
    hidden = weight_share("w1_21")
    assert hidden.derivatives == ("∂C/∂a2", "∂a2/∂z2", "∂z2/∂a1_1", "∂a1_1/∂z1_1", "∂z1_1/∂w1_21")
    output = weight_share("b2_1")
    assert output.derivatives == ("∂C/∂a2", "∂a2/∂z2", "∂z2/∂b2_1")
    for name in PARAMETER_NAMES:
        share = weight_share(name)
        assert len(share.derivatives) == len(share.factors)
        assert share.derivatives[-1].endswith(f"/∂{name}")


def test_a_zero_input_gives_its_weights_no_share():
    x, y = SAMPLES[2]
    assert x[0] == 0.0
    assert weight_share("w1_11", x=x, y=y).gradient == 0.0
    assert weight_share("w1_12", x=x, y=y).gradient == 0.0
    assert weight_share("w1_21", x=x, y=y).gradient != 0.0


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(-3, 3), min_size=9, max_size=9),
    x=st.tuples(st.floats(-2, 2), st.floats(-2, 2)),
    y=st.floats(0, 1),
)
def test_weight_share_matches_the_mlp_backward_pass(values, x, y):
    params = {
        "W1": np.array(values[:4]).reshape(2, 2),
        "b1": np.array(values[4:6]),
        "W2": np.array(values[6:8]).reshape(2, 1),
        "b2": np.array(values[8:]),
    }
    net = MLP([2, 2, 1], activation="sigmoid", output="sigmoid", cost="quadratic")
    for layer, W, b in zip(net.layers, ["W1", "W2"], ["b1", "b2"], strict=True):
        layer.params["W"][...] = params[W]
        layer.params["b"][...] = params[b]
    net.forward(np.array([x]))
    net.backward([[y]])
    mlp_grads = {"W1": net.layers[0].grads["W"], "b1": net.layers[0].grads["b"]}
    mlp_grads |= {"W2": net.layers[1].grads["W"], "b2": net.layers[1].grads["b"]}
    for name, (key, index) in LOCATION.items():
        share = weight_share(name, params, x, y)
        assert share.gradient == pytest.approx(mlp_grads[key][index], rel=1e-10, abs=1e-15)


def test_defaults_are_the_first_sample_and_the_tiny_network():
    x, y = SAMPLES[0]
    assert weight_share("w1_21") == weight_share("w1_21", tiny_network(), x, y)


def test_tiny_network_returns_fresh_arrays():
    first = tiny_network()
    first["W1"][0, 0] = 99.0
    assert tiny_network()["W1"][0, 0] == 0.5


def test_unknown_parameter_is_refused():
    with pytest.raises(ValueError, match=r"unknown parameter 'w3_11'.*w1_11, w1_12"):
        weight_share("w3_11")


def test_bad_params_are_refused():
    params = tiny_network()
    params["W2"] = np.ones((1, 2))
    with pytest.raises(ValueError, match=r"params\['W2'\] must have shape \(2, 1\), got \(1, 2\)"):
        weight_share("w2_11", params)
    del params["W2"]
    with pytest.raises(ValueError, match="'W2' is missing"):
        weight_share("w2_11", params)
    params = tiny_network()
    params["b1"] = np.array([np.nan, 0.0])
    with pytest.raises(ValueError, match="non-finite"):
        weight_share("b1_1", params)


def test_bad_sample_is_refused():
    with pytest.raises(ValueError, match=r"x must be one sample with 2 inputs.*got \(3,\)"):
        weight_share("w1_11", x=[1.0, 2.0, 3.0], y=0.0)
    with pytest.raises(ValueError, match=r"y must be a single target value, got shape \(2,\)"):
        weight_share("w1_11", x=[1.0, 2.0], y=[0.0, 1.0])


# --- draw_weight_share ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "sample"), CASES)
def test_drawing_shows_the_parameter_its_path_every_share_and_the_product(name, sample):
    x, y = SAMPLES[sample]
    share = weight_share(name, x=x, y=y)
    fig = draw_weight_share(name, sample)
    ax_net, ax_bar, ax_text = fig.axes
    assert name in fig.get_suptitle()

    # The diagram: the parameter in vermillion, the way back from the cost dashed orange.
    edges = {line.get_gid(): line for line in ax_net.lines}
    assert set(edges) == set(PARAMETER_NAMES) | {"cost"}
    for edge, line in edges.items():
        if edge == name:
            assert same_color(line.get_color(), VERMILLION)
            assert line.get_linewidth() == max(ln.get_linewidth() for ln in edges.values())
        elif edge in share.path:
            assert same_color(line.get_color(), ORANGE) and line.get_linestyle() == "--"
        else:
            assert not same_color(line.get_color(), VERMILLION)
            assert not same_color(line.get_color(), ORANGE)
    assert f"{x[0]:g}, {x[1]:g}" in ax_net.get_title()
    assert f"C = {reference_cost(tiny_network(), x, y):.4f}" in ax_net.get_title()

    # The bars: every parameter's derivative, by finite differences; the chosen one highlighted.
    bars = ax_bar.patches
    assert len(bars) == len(PARAMETER_NAMES)
    numerical = reference_gradients(tiny_network(), x, y)
    widths = np.array([bar.get_width() for bar in bars])
    np.testing.assert_allclose(
        widths, [numerical[p] for p in PARAMETER_NAMES], rtol=1e-6, atol=1e-10
    )
    assert [t.get_text() for t in ax_bar.get_yticklabels()] == list(PARAMETER_NAMES)
    for p, bar in zip(PARAMETER_NAMES, bars, strict=True):
        assert same_color(bar.get_facecolor(), VERMILLION) == (p == name)

    # The text: the factors, multiplied, equal to the derivative.
    text = ax_text.texts[0].get_text()
    assert text.count(r"$\times$") == 2 * (len(share.factors) - 1)
    assert text.endswith(f"= {share.gradient:.4g}")
    assert share.gradient == pytest.approx(numerical[name], rel=1e-6, abs=1e-10)


def test_drawing_into_a_given_figure_replaces_its_content():
    fig = plt.figure()
    assert draw_weight_share("w1_11", 0, fig=fig) is fig
    draw_weight_share("b2_1", 1, fig=fig)
    assert len(fig.axes) == 3
    assert "b2_1" in fig.get_suptitle()


@pytest.mark.parametrize("sample", [3, -1, True, 1.0])
def test_drawing_refuses_a_bad_sample(sample):
    with pytest.raises(ValueError, match="sample must be an index from 0 to 2"):
        draw_weight_share("w1_11", sample)


def test_drawing_refuses_an_unknown_parameter():
    with pytest.raises(ValueError, match="unknown parameter 'W1'"):
        draw_weight_share("W1")


# --- draw_layer_norms -------------------------------------------------------------------------


def test_layer_norms_draws_one_log_line_per_network():
    norms = {"sigmoid": [1e-4, 1e-3, 1e-2, 0.1], "relu": [0.2, 0.3, 0.25, 0.2]}
    fig = draw_layer_norms(norms)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.lines] == ["sigmoid", "relu"]
    for line, values in zip(ax.lines, norms.values(), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
        np.testing.assert_array_equal(line.get_ydata(), values)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sigmoid", "relu"]


def test_layer_norms_draws_into_a_given_figure():
    fig = plt.figure()
    draw_layer_norms({"a": [1.0, 2.0]}, fig=fig)
    assert draw_layer_norms({"b": [3.0]}, fig=fig, title="t") is fig
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == "t"
    assert [line.get_label() for line in fig.axes[0].lines] == ["b"]


def test_layer_norms_refuses_empty_or_non_positive_values():
    with pytest.raises(ValueError, match="at least one network"):
        draw_layer_norms({})
    with pytest.raises(ValueError, match=r"norms\['x'\] must be a non-empty 1-D sequence"):
        draw_layer_norms({"x": [1.0, 0.0]})
    with pytest.raises(ValueError, match=r"norms\['x'\] must be a non-empty 1-D sequence"):
        draw_layer_norms({"x": []})


# --- the live widget and the player -----------------------------------------------------------


def test_widget_redraws_for_every_parameter_and_sample():
    live = widget(
        draw_weight_share,
        weight=Dropdown(options=list(PARAMETER_NAMES), value="w1_11"),
        sample=Dropdown(options=[(f"sample {k}", k) for k in range(len(SAMPLES))], value=0),
    )
    weight_control, sample_control = live.children[:2]
    for sample in range(len(SAMPLES)):
        sample_control.value = sample
        for name in PARAMETER_NAMES:
            plt.close("all")
            weight_control.value = name
            live.update()
            fig = plt.gcf()
            assert name in fig.get_suptitle()
            x, y = SAMPLES[sample]
            assert f"y = {y:g}" in fig.axes[0].get_title()
            bar = fig.axes[1].patches[PARAMETER_NAMES.index(name)]
            assert same_color(bar.get_facecolor(), VERMILLION)
            assert bar.get_width() == weight_share(name, x=x, y=y).gradient


def test_player_renders_one_frame_per_parameter():
    html = player(draw_weight_share, "weight", list(PARAMETER_NAMES[:3]), figsize=(8, 4)).data
    assert html.count("data:image/png;base64") == 3
