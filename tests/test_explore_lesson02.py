"""The drawings of lesson 02 (activation functions), their widget and their player.

Every curve drawn is compared with an independent closed form written here, not with the
package's own code: the sigmoid as (1 + tanh(z/2))/2, tanh through exponentials, the derivatives
from calculus.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets import Dropdown, FloatSlider
from matplotlib.colors import to_hex

from neuronet.activations import ACTIVATIONS
from neuronet.course.explore.lesson02 import (
    OUTPUT_RANGES,
    draw_activation,
    draw_activation_gallery,
    draw_derivatives,
    draw_network_function,
    draw_relu_sparsity,
    draw_softmax,
)
from neuronet.course.player import player, widget
from neuronet.course.plots import POSITIVE_COLOR
from neuronet.init import he, xavier

Z_MAX_VALUES = [1.0, 10.5, 20.0]  # the slider's ends and middle


def _tanh(z):
    e = np.exp(-2 * np.abs(z))
    return np.sign(z) * (1 - e) / (1 + e)


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


# name -> (function, derivative), from textbook formulas. Softmax: two classes (z, 0), the
# probability of the first one, p = sigmoid(z), and dp/dz_1 = p (1 - p).
REFERENCE = {
    "step": (lambda z: (z >= 0).astype(float), lambda z: np.zeros_like(z)),
    "sigmoid": (_sigmoid, lambda z: 0.25 / np.cosh(z / 2) ** 2),
    "tanh": (_tanh, lambda z: 1 / np.cosh(z) ** 2),
    "relu": (lambda z: np.where(z > 0, z, 0.0), lambda z: (z > 0).astype(float)),
    "leaky_relu": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1.0, 0.01)),
    "identity": (lambda z: z, lambda z: np.ones_like(z)),
    "softmax": (_sigmoid, lambda z: 0.25 / np.cosh(z / 2) ** 2),
}


@pytest.fixture(autouse=True)
def close_figures():
    plt.close("all")
    yield
    plt.close("all")


def assert_curve(line, x, y):
    np.testing.assert_allclose(line.get_xdata(), x, rtol=0, atol=1e-12)
    np.testing.assert_allclose(line.get_ydata(), y, rtol=1e-9, atol=1e-12)


def test_reference_covers_every_activation():
    assert set(REFERENCE) == set(ACTIVATIONS)
    assert set(OUTPUT_RANGES) == set(ACTIVATIONS)


# --- draw_activation: every dropdown entry at the slider's ends and middle ----------------------


@pytest.mark.parametrize("z_max", Z_MAX_VALUES)
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_draw_activation_draws_the_function_and_its_derivative(name, z_max):
    fig = draw_activation(name, z_max)
    (ax,) = fig.axes
    z = np.linspace(-z_max, z_max, 801)
    f, df = REFERENCE[name]
    assert len(ax.lines) == 3
    assert_curve(ax.lines[0], z, f(z))
    assert_curve(ax.lines[1], z, df(z))
    np.testing.assert_array_equal(ax.lines[2].get_ydata(), [0, 0])  # the zero line
    title = ax.get_title()
    assert name.replace("_", " ") in title and OUTPUT_RANGES[name] in title
    assert ax.get_xlim() == pytest.approx((-z_max, z_max))


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_curve_stays_in_its_stated_range(name):
    y = draw_activation(name, 20.0).axes[0].lines[0].get_ydata()
    if name == "step":
        assert set(np.unique(y)) == {0.0, 1.0}
    elif name in ("sigmoid", "softmax"):
        assert y.min() >= 0 and y.max() <= 1
    elif name == "tanh":
        assert y.min() >= -1 and y.max() <= 1
    elif name == "relu":
        assert y.min() == 0
    else:  # leaky ReLU and identity take negative values
        assert y.min() < 0


def test_softmax_is_shown_for_two_classes():
    ax = draw_activation("softmax", 5.0).axes[0]
    assert "two classes" in ax.get_xlabel()


def test_draw_activation_draws_into_a_given_figure():
    fig = plt.figure()
    assert draw_activation("tanh", 3.0, fig=fig) is fig
    assert len(fig.axes) == 1
    assert plt.get_fignums() == [fig.number]


def test_draw_activation_rejects_unknown_names_and_bad_ranges():
    with pytest.raises(ValueError, match="swish"):
        draw_activation("swish")
    with pytest.raises(ValueError, match="z_max must be a positive finite number, got 0"):
        draw_activation("relu", 0.0)
    with pytest.raises(ValueError, match="z_max must be a positive finite number, got -2"):
        draw_activation("relu", -2.0)


# --- the gallery -----------------------------------------------------------------------------


def test_gallery_shows_six_activations_without_the_identity():
    fig = draw_activation_gallery()
    names = ["step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]
    assert len(fig.axes) == 6
    z = np.linspace(-5, 5, 801)
    for ax, name in zip(fig.axes, names, strict=True):
        assert ax.get_title().startswith(name.replace("_", " "))
        assert_curve(ax.lines[0], z, REFERENCE[name][0](z))
        assert_curve(ax.lines[1], z, REFERENCE[name][1](z))


def test_gallery_of_chosen_names_and_range():
    fig = draw_activation_gallery(["identity", "relu"], z_max=2.0)
    assert [ax.get_title().split(" ·")[0] for ax in fig.axes] == ["identity", "relu"]
    z = np.linspace(-2, 2, 801)
    assert_curve(fig.axes[1].lines[0], z, np.maximum(z, 0))


def test_gallery_refuses_no_names():
    with pytest.raises(ValueError, match="at least one activation name"):
        draw_activation_gallery([])


# --- what a small network computes --------------------------------------------------------------


def _network_outputs(name, n_hidden, seed):
    """The documented recipe, rebuilt from the initializers with a plain NumPy forward pass."""
    seed_hidden, seed_output, seed_bias = np.random.SeedSequence(seed).spawn(3)
    W1 = he(1, n_hidden, np.random.default_rng(seed_hidden), np.float64)
    W2 = xavier(n_hidden, 1, np.random.default_rng(seed_output), np.float64)
    rng = np.random.default_rng(seed_bias)
    b1, b2 = rng.standard_normal(n_hidden), rng.standard_normal(1)
    x = np.linspace(-3, 3, 401)[:, None]
    z = x @ W1 + b1
    h = {"identity": z, "tanh": _tanh(z), "relu": np.maximum(z, 0)}[name]
    return x[:, 0], (h @ W2 + b2)[:, 0]


@pytest.mark.parametrize("seed", [0, 3])
def test_network_function_matches_a_plain_forward_pass(seed):
    ax = draw_network_function(seed=seed).axes[0]
    assert [line.get_label() for line in ax.lines] == ["identity", "tanh", "relu"]
    for line, name in zip(ax.lines, ["identity", "tanh", "relu"], strict=True):
        assert_curve(line, *_network_outputs(name, 8, seed))


def test_without_activation_the_network_draws_a_straight_line():
    ax = draw_network_function(n_hidden=32).axes[0]
    identity, tanh, relu = (np.asarray(line.get_ydata()) for line in ax.lines)
    assert np.max(np.abs(np.diff(identity, 2))) < 1e-12  # affine: second differences vanish
    assert np.max(np.abs(np.diff(tanh, 2))) > 1e-6
    # ReLU: piecewise linear, each of the 32 kinks bends at most two second differences
    assert 0 < np.count_nonzero(np.abs(np.diff(relu, 2)) > 1e-12) <= 2 * 32
    assert "1-32-1" in ax.get_title()


def test_network_function_refuses_softmax_and_empty_names():
    with pytest.raises(ValueError, match="elementwise hidden activations, got 'softmax'"):
        draw_network_function(["relu", "softmax"])
    with pytest.raises(ValueError, match="at least one activation name"):
        draw_network_function([])
    with pytest.raises(ValueError, match="n_hidden must be a positive integer, got 0"):
        draw_network_function(n_hidden=0)


# --- derivatives and saturation -----------------------------------------------------------------


@pytest.mark.parametrize("z_max", [5.0, 10.0])
def test_derivatives_on_linear_and_log_scales(z_max):
    names = ["sigmoid", "tanh", "relu", "leaky_relu"]
    linear, log = draw_derivatives(z_max=z_max).axes
    z = np.linspace(-z_max, z_max, 801)
    assert len(linear.lines) == 5 and len(log.lines) == 4
    for k, name in enumerate(names):
        assert_curve(linear.lines[k], z, REFERENCE[name][1](z))
        expected = REFERENCE[name][1](z)
        # 1 - tanh(z)**2 is exact only to about one float64 epsilon in absolute terms
        np.testing.assert_allclose(
            log.lines[k].get_ydata(), np.where(expected > 0, expected, np.nan), atol=1e-15
        )
    np.testing.assert_array_equal(linear.lines[4].get_ydata(), [0.25, 0.25])
    assert log.get_yscale() == "log"


def test_derivatives_refuse_activations_without_one():
    with pytest.raises(ValueError, match="zero derivative almost everywhere"):
        draw_derivatives(["sigmoid", "step"])
    with pytest.raises(ValueError, match="softmax is not elementwise"):
        draw_derivatives(["softmax"])
    with pytest.raises(ValueError, match="at least one activation name"):
        draw_derivatives([])


# --- ReLU sparsity ----------------------------------------------------------------------------


def test_relu_sparsity_counts_zeros_and_dead_units():
    # unit 0: always negative (dead); unit 1: 1 of 4 negative; unit 2: z = 0 twice (ReLU gives 0)
    z = np.array(
        [
            [-1.0, -2.0, 0.0],
            [-3.0, 1.0, 0.0],
            [-0.5, 2.0, 1.0],
            [-2.0, 3.0, 4.0],
        ]
    )
    hist, units = draw_relu_sparsity(z).axes
    assert hist.get_title() == "58.3% of the ReLU outputs are exactly 0"  # 7 of 12
    negative, positive = hist.containers
    assert sum(bar.get_height() for bar in negative) == 7
    assert sum(bar.get_height() for bar in positive) == 5
    (bars,) = units.containers
    np.testing.assert_allclose([bar.get_height() for bar in bars], [1.0, 0.25, 0.5])
    colors = [to_hex(bar.get_facecolor()) for bar in bars]
    assert colors[0] == POSITIVE_COLOR.lower() and colors[1] != POSITIVE_COLOR.lower()
    assert units.get_title() == "1 of 3 units dead (all outputs 0)"


def test_relu_sparsity_of_a_constant_batch():
    hist, units = draw_relu_sparsity(np.zeros((2, 2))).axes
    assert hist.get_title().startswith("100.0%")
    assert units.get_title().startswith("2 of 2 units dead")


def test_relu_sparsity_needs_a_finite_matrix():
    with pytest.raises(ValueError, match=r"2-D \(batch, units\) array, got shape \(3,\)"):
        draw_relu_sparsity([1.0, -1.0, 2.0])
    with pytest.raises(ValueError, match="z"):
        draw_relu_sparsity([[1.0, np.nan]])


# --- softmax and temperature -----------------------------------------------------------------


def test_softmax_bars_are_the_probabilities():
    scores = np.array([2.0, 1.0, 0.1])
    temperatures = [0.25, 1.0, 4.0]
    ax = draw_softmax(scores, temperatures).axes[0]
    assert len(ax.containers) == 3
    for container, t in zip(ax.containers, temperatures, strict=True):
        e = np.exp(scores / t)
        heights = [bar.get_height() for bar in container]
        np.testing.assert_allclose(heights, e / e.sum(), rtol=1e-12)
        assert sum(heights) == pytest.approx(1.0)
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "$T = 0.25$",
        "$T = 1$",
        "$T = 4$",
    ]


def test_softmax_refuses_bad_scores_and_temperatures():
    with pytest.raises(ValueError, match="at least 2 numbers, got shape"):
        draw_softmax([1.0])
    with pytest.raises(ValueError, match="temperature must be a positive finite number, got 0"):
        draw_softmax([1.0, 2.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="at least one temperature"):
        draw_softmax([1.0, 2.0], [])


# --- the live widget and the kernel-free player ----------------------------------------------


def make_widget():
    return widget(
        draw_activation,
        name=Dropdown(options=list(ACTIVATIONS), value="sigmoid"),
        z_max=FloatSlider(min=1.0, max=20.0, step=0.5, value=5.0),
    )


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_widget_redraws_for_every_dropdown_entry(name):
    live = make_widget()
    live.children[0].value = name
    live.children[1].value = 20.0
    live.update()
    ax = plt.gcf().axes[0]
    assert ax.get_title().startswith(name.replace("_", " "))
    z = np.linspace(-20, 20, 801)
    assert_curve(ax.lines[0], z, REFERENCE[name][0](z))


def test_widget_slider_ends_set_the_range():
    live = make_widget()
    for z_max in (1.0, 20.0):
        live.children[1].value = z_max
        live.update()
        assert plt.gcf().axes[0].get_xlim() == pytest.approx((-z_max, z_max))


def test_player_has_one_frame_per_activation():
    before = set(plt.get_fignums())
    html = player(draw_activation, "name", list(ACTIVATIONS), z_max=5.0, figsize=(7, 4)).data
    assert html.count("data:image/png;base64") == len(ACTIVATIONS)
    assert set(plt.get_fignums()) == before
