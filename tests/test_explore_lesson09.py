"""Lesson 09's explorations: the signal through fresh deep networks, and training on little data.

The activations are recomputed here with NumPy from the documented seeding scheme and activation
formulas written out independently; the standard deviations are compared with closed forms.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets import Dropdown, IntSlider
from matplotlib.patches import Polygon

from neuronet.activations import ACTIVATIONS
from neuronet.course.explore.lesson09 import (
    EPOCHS,
    LEARNING_RATE,
    SIZES,
    activation_stats,
    draw_activation_stats,
    draw_decision_boundaries,
    draw_initializer_comparison,
    draw_learning_curves,
    draw_saturation,
    layer_activations,
    train_network,
)
from neuronet.course.player import player, widget
from neuronet.data import make_moons
from neuronet.init import INITIALIZERS
from neuronet.network import MLP, History

# The activations, written independently of neuronet.activations.
REFERENCE = {
    "step": lambda z: (z >= 0).astype(float),
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2)),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "identity": lambda z: z,
    "softmax": lambda z: (
        np.exp(z - z.max(axis=1, keepdims=True))
        / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)
    ),
}
WIDTH, N = 100, 200


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def reference_activations(init, depth, activation, width=WIDTH, n=N, seed=0):
    """The documented scheme: one generator draws the inputs, then each layer's weights."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, width))
    outputs = []
    for _ in range(depth):
        W = INITIALIZERS[init](width, width, rng)
        a = REFERENCE[activation](a @ W)
        outputs.append(a)
    return outputs


def reference_stds(init, depth, activation):
    return np.array(
        [0.0 if np.ptp(a) == 0 else a.std() for a in reference_activations(init, depth, activation)]
    )


# --- layer_activations and activation_stats ---------------------------------------------------


@pytest.mark.parametrize("init", list(INITIALIZERS))
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "softmax"])
def test_layer_activations_follow_the_documented_scheme(init, activation):
    got = layer_activations(init, depth=4, activation=activation)
    expected = reference_activations(init, 4, activation)
    assert len(got) == 4
    for a, e in zip(got, expected, strict=True):
        assert a.shape == (N, WIDTH)
        np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12)


def test_he_relu_first_layer_matches_the_half_normal_closed_form():
    # z ~ N(0, n_in * 2/n_in * 1) = N(0, 2); relu(z) has variance Var(z) (1/2 - 1/(2 pi)).
    std = activation_stats("he", depth=1, activation="relu", n_samples=4000)[0]
    assert std == pytest.approx(np.sqrt(2 * (0.5 - 1 / (2 * np.pi))), rel=0.03)


def test_small_random_shrinks_relu_activations_by_the_predicted_factor():
    stds = activation_stats("small_random", depth=10, activation="relu")
    factor = np.sqrt(WIDTH * 0.01**2 / 2)
    steps = stds[1:] / stds[:-1]
    assert np.exp(np.log(steps).mean()) == pytest.approx(factor, rel=0.05)


def test_he_keeps_relu_and_xavier_halves_its_variance_per_layer():
    he = activation_stats("he", depth=10, activation="relu")
    assert he.max() / he.min() < 2
    xavier = activation_stats("xavier", depth=10, activation="relu")
    assert (xavier[-1] / xavier[0]) ** (1 / 9) == pytest.approx(1 / np.sqrt(2), rel=0.05)


def test_zero_weights_give_zero_spread_for_every_activation():
    for activation in ACTIVATIONS:
        assert np.array_equal(activation_stats("zeros", 3, activation), np.zeros(3))


def test_same_seed_same_numbers_and_another_seed_others():
    a = activation_stats("he", 3, "relu", seed=5)
    assert np.array_equal(a, activation_stats("he", 3, "relu", seed=5))
    assert not np.array_equal(a, activation_stats("he", 3, "relu", seed=6))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="depth"):
        layer_activations("he", depth=0)
    with pytest.raises(ValueError, match="initializer"):
        layer_activations("uniform", depth=2)
    with pytest.raises(ValueError, match="width"):
        activation_stats("he", width=-3)


# --- draw_activation_stats: every option of the widget ----------------------------------------


@pytest.mark.parametrize("init", list(INITIALIZERS))
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_draw_activation_stats_for_every_initializer_and_activation(init, activation):
    fig = draw_activation_stats(init, 4, activation)
    left, right = fig.axes
    title = left.get_title()
    assert init.replace("_", " ") in title and activation.replace("_", " ") in title
    assert "4 layers" in title
    stds = reference_stds(init, 4, activation)
    lines = [line for line in left.lines if line.get_label() == "activations"]
    reference_line = [line for line in left.lines if line.get_label() == "inputs"]
    assert len(reference_line) == 1 and np.all(np.asarray(reference_line[0].get_ydata()) == 1.0)
    if (stds > 0).any():
        (line,) = lines
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 5)[stds > 0])
        np.testing.assert_allclose(line.get_ydata(), stds[stds > 0], rtol=1e-10)
    else:
        assert lines == []
        assert any("std = 0" in text.get_text() for text in left.texts)
    outputs = reference_activations(init, 4, activation)
    if all(np.all(a == 0) for a in (outputs[0], outputs[-1])):
        assert any("exactly 0" in text.get_text() for text in right.texts)
    assert left.get_yscale() == "log"
    low, high = left.get_ylim()
    assert low <= min(1e-2, stds[stds > 0].min(initial=1.0)) and high >= 10
    assert [t.get_text().split(" (")[0] for t in right.get_legend().get_texts()] == [
        "layer 1",
        "layer 4",
    ]


def test_histograms_show_the_nonzero_outputs_and_count_the_zeros():
    fig = draw_activation_stats("he", 10, "relu")
    right = fig.axes[1]
    first, last = (
        reference_activations("he", 10, "relu")[0],
        reference_activations("he", 10, "relu")[-1],
    )
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert labels[0] == f"layer 1 ({np.mean(first == 0):.0%} exactly 0)"
    assert labels[1] == f"layer 10 ({np.mean(last == 0):.0%} exactly 0)"
    patches = [p for p in right.patches if isinstance(p, Polygon)]
    assert len(patches) == 2
    # the densities integrate to 1 over the shared bins
    kept = np.concatenate([first[first != 0], last[last != 0]])
    bins = np.linspace(kept.min(), kept.max(), 41)
    heights, _ = np.histogram(first[first != 0], bins=bins, density=True)
    assert np.sum(heights * np.diff(bins)) == pytest.approx(1.0)


@pytest.mark.parametrize("depth", [1, 15, 30])
def test_draw_activation_stats_at_the_slider_ends_and_middle(depth):
    fig = draw_activation_stats("xavier", depth, "tanh")
    left, right = fig.axes
    (line,) = [line for line in left.lines if line.get_label() == "activations"]
    np.testing.assert_allclose(line.get_ydata(), reference_stds("xavier", depth, "tanh"))
    assert f"{depth} layers" in left.get_title()
    assert len(right.get_legend().get_texts()) == (1 if depth == 1 else 2)


def test_draw_activation_stats_reuses_a_given_figure():
    fig = plt.figure()
    fig.add_subplot().plot([0, 1])
    assert draw_activation_stats("he", 3, "relu", fig=fig) is fig
    assert len(fig.axes) == 2


# --- the live widget and the kernel-free player -----------------------------------------------


def make_widget():
    return widget(
        draw_activation_stats,
        init=Dropdown(options=list(INITIALIZERS), value="he"),
        depth=IntSlider(10, min=1, max=30),
        activation=Dropdown(options=list(ACTIVATIONS), value="relu"),
    )


@pytest.mark.parametrize("init", list(INITIALIZERS))
def test_widget_redraws_for_every_initializer(init):
    live = make_widget()
    live.children[1].value = 3
    live.children[0].value = init
    live.update()
    left = plt.gcf().axes[0]
    assert left.get_title().startswith(init.replace("_", " "))
    stds = reference_stds(init, 3, "relu")
    lines = [line for line in left.lines if line.get_label() == "activations"]
    assert len(lines) == int((stds > 0).any())


def test_widget_depth_slider_ends_and_activation_menu():
    live = make_widget()
    for depth in (1, 30):
        live.children[1].value = depth
        live.update()
        assert plt.gcf().axes[0].get_xlim() == pytest.approx((0.5, depth + 0.5))
    live.children[2].value = "identity"
    live.update()
    assert "identity" in plt.gcf().axes[0].get_title()


def test_player_has_one_frame_per_initializer_and_closes_its_figure():
    before = set(plt.get_fignums())
    html = player(
        draw_activation_stats,
        "init",
        list(INITIALIZERS),
        depth=2,
        activation="relu",
        figsize=(4, 2),
    ).data
    assert html.count("data:image/png;base64") == len(INITIALIZERS)
    assert set(plt.get_fignums()) == before


# --- the comparison and the saturation figures ------------------------------------------------


def test_initializer_comparison_draws_three_lines_per_activation():
    fig = draw_initializer_comparison(depth=6, activations=("tanh", "relu", "sigmoid"))
    assert [ax.get_title() for ax in fig.axes] == ["tanh layers", "relu layers", "sigmoid layers"]
    for ax, activation in zip(fig.axes, ("tanh", "relu", "sigmoid"), strict=True):
        lines = [line for line in ax.lines if line.get_label() in ("small random", "xavier", "he")]
        assert [line.get_label() for line in lines] == ["small random", "xavier", "he"]
        for line, init in zip(lines, ("small_random", "xavier", "he"), strict=True):
            np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 7))
            np.testing.assert_allclose(line.get_ydata(), reference_stds(init, 6, activation))
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["small random", "xavier", "he", "zeros: std 0 (not drawn)"]
    with pytest.raises(ValueError, match="at least one activation"):
        draw_initializer_comparison(activations=())


def test_saturation_histograms_and_shares():
    rng = np.random.default_rng(3)
    z = {"wide": 10 * rng.standard_normal(2000), "narrow": rng.standard_normal(2000)}
    fig = draw_saturation(z)
    main = [ax for ax in fig.axes if ax.get_ylabel() == "density"]
    twins = [ax for ax in fig.axes if ax.get_ylabel() == r"$\tanh'(z)$"]
    assert len(main) == 2 and len(twins) == 2
    for ax, (label, values) in zip(main, z.items(), strict=True):
        assert ax.get_title() == f"{label}: {np.mean(np.abs(values) > 4):.0%} of |z| > 4"
        reach = max(np.abs(values).max(), 6.0)
        heights, _ = np.histogram(values, bins=np.linspace(-reach, reach, 41), density=True)
        bars = ax.containers[0]  # the histogram's bars, not the shaded regions
        np.testing.assert_allclose([bar.get_height() for bar in bars], heights)
    x, y = twins[0].lines[0].get_data()
    np.testing.assert_allclose(y, 1 / np.cosh(x) ** 2, atol=1e-15)
    with pytest.raises(ValueError, match="at least one label"):
        draw_saturation({})
    with pytest.raises(ValueError, match="is empty"):
        draw_saturation({"none": []})


# --- training on little data ------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_data():
    X, y = make_moons(60, noise=0.3, seed=4)
    return X[:20], y[:20], X[20:], y[20:]


def test_train_network_is_the_documented_recipe(small_data):
    X, y, X_val, y_val = small_data
    model, history = train_network(X, y, l2=0.01, validation_data=(X_val, y_val), epochs=30)
    reference = MLP(list(SIZES), activation="relu", seed=0)
    expected = reference.fit(
        X,
        y,
        optimizer="adam",
        lr=LEARNING_RATE,
        epochs=30,
        batch_size=None,
        l2=0.01,
        validation_data=(X_val, y_val),
    )
    assert history.loss == expected.loss and history.val_loss == expected.val_loss
    for a, b in zip(model.parameters(), reference.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert EPOCHS == 400 and model.sizes == [2, 64, 64, 2]


def test_train_network_passes_on_early_stopping(small_data):
    X, y, X_val, y_val = small_data
    model, history = train_network(
        X, y, validation_data=(X_val, y_val), early_stopping=3, epochs=100
    )
    assert history.best_epoch is not None and history.epochs == history.best_epoch + 3
    assert model.loss(X_val, y_val) == pytest.approx(min(history.val_loss), rel=1e-12)


def test_learning_curves_mark_the_best_epoch():
    history = History(loss=[1.0, 0.5, 0.2, 0.1], val_loss=[0.9, 0.6, 0.7, 0.8])
    ax = draw_learning_curves(history, title="run").axes[0]
    train, val, best = ax.lines[:3]
    np.testing.assert_array_equal(train.get_ydata(), history.loss)
    np.testing.assert_array_equal(val.get_ydata(), history.val_loss)
    assert (best.get_xdata()[0], best.get_ydata()[0]) == (2, 0.6)
    assert len(ax.lines) == 3  # no early stopping, no vertical line
    history.best_epoch = 2
    ax = draw_learning_curves(history).axes[0]
    assert ax.lines[3].get_xdata()[0] == 2
    assert "epoch 2" in ax.lines[3].get_label()
    with pytest.raises(ValueError, match="validation_data"):
        draw_learning_curves(History(loss=[1.0, 0.5]))


def test_decision_boundaries_one_panel_per_model(small_data):
    X, y, X_val, y_val = small_data
    models = {"first": MLP([2, 8, 2], seed=1), "second": MLP([2, 8, 2], seed=2)}
    fig = draw_decision_boundaries(models, X, y, X_val, y_val)
    assert len(fig.axes) == 2
    for ax, (label, model) in zip(fig.axes, models.items(), strict=True):
        norm = np.sqrt(sum(np.sum(layer.params["W"] ** 2) for layer in model.layers))
        assert ax.get_title() == f"{label}: ‖W‖ = {norm:.1f}"
        # the image holds the probability of class 1 on the grid
        grid = ax.images[0].get_array()
        assert grid.min() >= 0 and grid.max() <= 1
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "class 0 (validation)" in legend and not any("test" in t for t in legend)
    assert fig.axes[1].get_legend() is None
    fig = draw_decision_boundaries(models, X, y, show_norm=False)
    assert [ax.get_title() for ax in fig.axes] == ["first", "second"]
    with pytest.raises(ValueError, match="at least one label"):
        draw_decision_boundaries({}, X, y)
