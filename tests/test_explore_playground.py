"""Lesson 07's playground: every setting, the training loop, the maps, the figure and the widget."""

import math
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection

from neuronet import data
from neuronet.course.playground import (
    BATCH_SIZES,
    DATASETS,
    HIDDEN_ACTIVATIONS,
    L2_STRENGTHS,
    LIVE_SETTINGS,
    RESET_SETTINGS,
    Playground,
    PlaygroundConfig,
    Snapshot,
    playground_widget,
)
from neuronet.gradcheck import numerical_gradient
from neuronet.network import MLP
from neuronet.optimizers import OPTIMIZERS
from neuronet.validation import TrainingDivergedError

# Activations written out independently of neuronet.
NUMPY_ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "identity": lambda z: z,
}
SMALL = {"n_samples": 100, "hidden_layers": 1, "neurons": 3}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def reference_forward(pg, X):
    """Every layer's output for the points X, from the weights and NumPy formulas alone."""
    f = NUMPY_ACTIVATIONS[pg.config.activation]
    a, outputs = np.asarray(X, dtype=float), []
    layers = pg.model.layers
    for k, layer in enumerate(layers):
        z = a @ layer.params["W"] + layer.params["b"]
        if k < len(layers) - 1:
            a = f(z)
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            a = e / e.sum(axis=1, keepdims=True)
        outputs.append(a)
    return outputs


def reference_loss(pg, X, y):
    """Categorical cross-entropy, mean over the samples, computed by hand."""
    p = reference_forward(pg, X)[-1]
    return float(-np.mean(np.log(p[np.arange(len(y)), y])))


def grid_points(pg, resolution):
    x1, x2 = pg.plane(resolution)
    g1, g2 = np.meshgrid(x1, x2)
    return np.column_stack([g1.ravel(), g2.ravel()])


def params(pg):
    return [p.copy() for p in pg.model.parameters()]


# --- settings -----------------------------------------------------------------------------


def test_the_menus_list_the_registries():
    assert list(DATASETS) == ["xor", "gaussians", "circles", "moons", "spirals"]
    assert set(HIDDEN_ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "identity"}
    assert "full" in BATCH_SIZES and L2_STRENGTHS[0] == 0.0
    assert all(
        b / a == pytest.approx(10)
        for a, b in zip(L2_STRENGTHS[1::2], L2_STRENGTHS[3::2], strict=False)
    )
    assert not RESET_SETTINGS & LIVE_SETTINGS
    assert RESET_SETTINGS | LIVE_SETTINGS == {f for f in PlaygroundConfig.__dataclass_fields__}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"dataset": "swirls"}, "unknown dataset 'swirls'; valid dataset names are: xor"),
        ({"activation": "step"}, "unknown hidden activation 'step'"),
        ({"activation": "softmax"}, "unknown hidden activation 'softmax'"),
        ({"optimizer": "lbfgs"}, "unknown optimizer 'lbfgs'"),
        ({"hidden_layers": 4}, "hidden_layers must be an integer from 0 to 3, got 4"),
        ({"neurons": 0}, "neurons must be an integer from 1 to 8, got 0"),
        ({"neurons": 2.0}, "neurons must be an integer from 1 to 8, got 2.0"),
        ({"lr": 0.0}, "lr must be a positive finite number, got 0.0"),
        ({"batch_size": 0}, "batch_size must be a positive integer, got 0"),
        ({"batch_size": "half"}, "batch_size must be a positive integer, got 'half'"),
        ({"train_fraction": 1.0}, "train_fraction must be strictly between 0 and 1, got 1.0"),
        ({"noise": -0.1}, "noise must be between 0 and 1, got -0.1"),
        ({"l2": -1}, "l2 must be a finite number >= 0, got -1.0"),
        ({"l2": "big"}, "l2 must be a number, got 'big'"),
        ({"n_samples": 10}, "n_samples must be an integer from 20 to 2000, got 10"),
        ({"n_samples": 20, "train_fraction": 0.99}, "leaves 20 for training and 0 for testing"),
        ({"seed": -1}, "seed must be a non-negative integer, got -1"),
        ({"layers": 2}, "unknown playground setting(s) layers; valid settings are: dataset"),
    ],
)
def test_invalid_settings_are_refused_with_a_clear_message(settings, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Playground(**settings)


def test_names_are_normalized():
    config = PlaygroundConfig(dataset=" Spirals", activation="Leaky-ReLU", optimizer="ADAM")
    assert (config.dataset, config.activation, config.optimizer) == (
        "spirals",
        "leaky_relu",
        "adam",
    )


def test_a_refused_change_leaves_everything_as_it_was():
    pg = Playground(**SMALL)
    pg.step_epoch()
    before = (pg.config, params(pg), pg.epoch)
    with pytest.raises(ValueError, match="hidden_layers must be an integer from 0 to 3"):
        pg.set(hidden_layers=5)
    assert pg.config == before[0] and pg.epoch == before[2]
    assert all(np.array_equal(a, b) for a, b in zip(params(pg), before[1], strict=True))


# --- data -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
def test_each_dataset_is_split_into_disjoint_train_and_test_parts(name):
    pg = Playground(dataset=name, n_samples=200, noise=0.2, train_fraction=0.7, seed=3)
    seed = int(np.random.SeedSequence(3).generate_state(4)[0])
    X, y = getattr(data, f"make_{name}")(200, 0.2, seed=seed)
    assert len(pg.X_train) == 140 and len(pg.X_test) == 60
    both = np.concatenate([pg.X_train, pg.X_test])
    labels = np.concatenate([pg.y_train, pg.y_test])
    order, reference = np.lexsort(both.T), np.lexsort(X.T)
    assert np.array_equal(both[order], X[reference])
    assert np.array_equal(labels[order], y[reference])
    train_rows = {tuple(row) for row in pg.X_train}
    assert not any(tuple(row) in train_rows for row in pg.X_test)
    # stratified: each class keeps its share in the test part (30 of each class in 60)
    assert np.bincount(pg.y_test).tolist() == [30, 30]
    with pytest.raises(ValueError, match="read-only"):
        pg.X_train[0, 0] = 0.0


def test_the_plane_covers_every_point_with_a_margin():
    pg = Playground(dataset="moons", n_samples=100)
    x1, x2 = pg.plane(30)
    both = np.concatenate([pg.X_train, pg.X_test])
    lo, hi = both.min(axis=0), both.max(axis=0)
    assert np.allclose([x1[0], x2[0]], lo - 0.1 * (hi - lo))
    assert np.allclose([x1[-1], x2[-1]], hi + 0.1 * (hi - lo))
    assert len(x1) == len(x2) == 30
    with pytest.raises(ValueError, match="resolution must be at least 2, got 1"):
        pg.plane(1)


# --- architecture and activations --------------------------------------------------------


@pytest.mark.parametrize("layers", [0, 1, 2, 3])
def test_zero_to_three_hidden_layers(layers):
    pg = Playground(hidden_layers=layers, neurons=5, n_samples=60)
    assert pg.model.sizes == [2] + [5] * layers + [2]
    grids = pg.hidden_grids(12)
    assert [g.shape for g in grids] == [(5, 12, 12)] * layers
    reference = reference_forward(pg, grid_points(pg, 12))
    for grid, outputs in zip(grids, reference[:-1], strict=True):
        # grid[k, i, j] is unit k at (x1[j], x2[i]): row-major over the meshgrid
        assert np.allclose(grid.reshape(5, -1).T, outputs, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_each_activation_is_used_by_the_hidden_units(activation):
    pg = Playground(activation=activation, **SMALL)
    assert pg.model.activation.name == activation
    points = grid_points(pg, 15)
    W, b = pg.model.layers[0].params["W"], pg.model.layers[0].params["b"]
    expected = NUMPY_ACTIVATIONS[activation](points @ W + b)
    assert np.allclose(pg.hidden_grids(15)[0].reshape(3, -1).T, expected, rtol=1e-12, atol=1e-14)
    pg.run(2)  # and it trains
    assert pg.epoch == 2


def test_the_decision_grid_is_the_probability_of_class_1():
    pg = Playground(dataset="xor", hidden_layers=2, neurons=3, n_samples=80)
    pg.run(3)
    probability = reference_forward(pg, grid_points(pg, 20))[-1][:, 1]
    grid = pg.decision_grid(20)
    assert grid.shape == (20, 20)
    assert np.allclose(grid.ravel(), probability, rtol=1e-12, atol=1e-14)


# --- training -----------------------------------------------------------------------------


def test_reset_restores_the_initial_weights_of_the_seed():
    pg = Playground(dataset="moons", hidden_layers=2, neurons=4, seed=5, n_samples=80)
    initial = params(pg)
    model_seed = int(np.random.SeedSequence(5).generate_state(4)[2])
    fresh = MLP([2, 4, 4, 2], activation="tanh", seed=model_seed)
    assert all(np.array_equal(a, b) for a, b in zip(initial, fresh.parameters(), strict=True))
    pg.run(4)
    assert not np.array_equal(params(pg)[0], initial[0])
    pg.reset()
    assert pg.epoch == 0 and len(pg.train_loss_history) == 1
    assert all(np.array_equal(a, b) for a, b in zip(params(pg), initial, strict=True))


def test_step_and_run_advance_the_epochs_and_lower_the_training_loss():
    pg = Playground(dataset="gaussians", noise=0.3, hidden_layers=1, neurons=2, n_samples=100)
    assert pg.step_epoch() == pg.train_loss_history[-1]
    assert pg.epoch == 1
    pg.run(19)
    assert pg.epoch == 20
    assert len(pg.train_loss_history) == len(pg.test_loss_history) == 21
    assert pg.train_loss_history[-1] < 0.5 * pg.train_loss_history[0]
    assert pg.train_accuracy > 0.9
    with pytest.raises(ValueError, match="n_epochs must be a positive integer, got 0"):
        pg.run(0)


def test_losses_are_measured_on_each_part_and_the_test_part_is_held_out():
    pg = Playground(dataset="circles", hidden_layers=1, neurons=4, n_samples=120)
    pg.run(3)
    train = reference_loss(pg, pg.X_train, pg.y_train)
    test = reference_loss(pg, pg.X_test, pg.y_test)
    assert pg.train_loss_history[-1] == pytest.approx(train, rel=1e-12)
    assert pg.test_loss_history[-1] == pytest.approx(test, rel=1e-12)
    assert train != pytest.approx(test, rel=1e-3)
    assert pg.test_accuracy == np.mean(reference_forward(pg, pg.X_test)[-1].argmax(1) == pg.y_test)
    # Training never sees the test part: changing its labels changes nothing in training.
    twin = Playground(dataset="circles", hidden_layers=1, neurons=4, n_samples=120)
    twin._y_test = 1 - twin.y_test
    twin.run(3)
    assert all(np.array_equal(a, b) for a, b in zip(params(twin), params(pg), strict=True))
    assert twin.train_loss_history == pg.train_loss_history
    assert twin.test_loss_history != pg.test_loss_history


def test_a_full_batch_sgd_epoch_is_one_gradient_step():
    pg = Playground(optimizer="sgd", lr=0.5, batch_size="full", **SMALL)
    before = params(pg)
    # the gradient of the training loss, by finite differences on the weights themselves
    expected = []
    for p in pg.model.parameters():
        g = numerical_gradient(lambda _: reference_loss(pg, pg.X_train, pg.y_train), p)
        expected.append(g)
    pg.step_epoch()
    assert pg.optimizer.t == 1
    for new, old, g in zip(params(pg), before, expected, strict=True):
        assert np.allclose(new, old - 0.5 * g, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("batch_size", BATCH_SIZES)
def test_each_batch_size_makes_ceil_n_over_b_updates_per_epoch(batch_size):
    pg = Playground(batch_size=batch_size, train_fraction=0.5, **SMALL)  # 50 training points
    pg.step_epoch()
    expected = 1 if batch_size == "full" else math.ceil(50 / batch_size)
    assert pg.optimizer.t == expected


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_each_optimizer_trains_the_network(name):
    pg = Playground(optimizer=name, lr=0.01, **SMALL)
    assert isinstance(pg.optimizer, OPTIMIZERS[name])
    assert pg.optimizer.lr == 0.01
    before = params(pg)
    pg.run(2)
    assert pg.optimizer.t == 2 * math.ceil(50 / 10)
    assert not np.array_equal(params(pg)[0], before[0])


def test_l2_shrinks_each_weight_by_lr_times_lambda_times_itself():
    plain = Playground(optimizer="sgd", lr=0.1, batch_size="full", **SMALL)
    decayed = Playground(optimizer="sgd", lr=0.1, batch_size="full", l2=0.05, **SMALL)
    start = params(plain)
    plain.step_epoch()
    decayed.step_epoch()
    # same start, same gradient of the cost: the difference is the decay term -lr * l2 * W
    for k, (a, b, w0) in enumerate(
        zip(decayed.model.parameters(), params(plain), start, strict=True)
    ):
        decay = -0.1 * 0.05 * w0 if k % 2 == 0 else np.zeros_like(w0)  # biases are not decayed
        assert np.allclose(a - b, decay, rtol=1e-9, atol=1e-13)


def test_l2_gives_smaller_weights_after_training():
    settings = {"dataset": "moons", "optimizer": "adam", "lr": 0.03, **SMALL}
    plain, decayed = Playground(**settings), Playground(l2=0.03, **settings)
    plain.run(30)
    decayed.run(30)
    assert decayed.model.weight_penalty() < 0.8 * plain.model.weight_penalty()


def test_the_same_seed_gives_the_same_run_and_another_seed_another():
    runs = [Playground(dataset="spirals", seed=s, **SMALL) for s in (4, 4, 5)]
    for pg in runs:
        pg.run(3)
    a, b, c = runs
    assert a.train_loss_history == b.train_loss_history
    assert all(np.array_equal(p, q) for p, q in zip(params(a), params(b), strict=True))
    assert not np.array_equal(a.X_train, c.X_train)
    assert a.train_loss_history != c.train_loss_history


# --- live and resetting changes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "value"),
    [("lr", 0.2), ("optimizer", "momentum"), ("batch_size", 5), ("l2", 1e-3)],
)
def test_live_settings_keep_the_weights_and_the_epoch(setting, value):
    pg = Playground(**SMALL)
    pg.run(2)
    before, history = params(pg), pg.train_loss_history
    assert pg.set(**{setting: value}) is False
    assert getattr(pg.config, setting) == value
    assert pg.epoch == 2 and pg.train_loss_history == history
    assert all(np.array_equal(a, b) for a, b in zip(params(pg), before, strict=True))


def test_a_new_learning_rate_reaches_the_optimizer_and_a_new_optimizer_starts_afresh():
    pg = Playground(optimizer="momentum", **SMALL)
    pg.step_epoch()
    pg.set(lr=0.2)
    assert pg.optimizer.lr == 0.2 and pg.optimizer.t == 5  # same optimizer, state kept
    pg.set(optimizer="adam")
    assert type(pg.optimizer).__name__ == "Adam"
    assert pg.optimizer.lr == 0.2 and pg.optimizer.t == 0


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("dataset", "xor"),
        ("noise", 0.3),
        ("train_fraction", 0.8),
        ("n_samples", 80),
        ("hidden_layers", 2),
        ("neurons", 5),
        ("activation", "relu"),
        ("seed", 9),
    ],
)
def test_data_and_architecture_settings_reset_the_playground(setting, value):
    pg = Playground(**SMALL)
    pg.run(2)
    assert pg.set(**{setting: value}) is True
    assert pg.epoch == 0 and len(pg.test_loss_history) == 1
    fresh = Playground(**{**SMALL, setting: value})
    assert pg.model.sizes == fresh.model.sizes
    assert np.array_equal(pg.X_test, fresh.X_test)
    assert all(np.array_equal(a, b) for a, b in zip(params(pg), params(fresh), strict=True))


def test_setting_the_same_value_changes_nothing():
    pg = Playground(**SMALL)
    pg.step_epoch()
    assert pg.set(dataset=pg.config.dataset) is False
    assert pg.epoch == 1


def test_divergence_puts_the_weights_back_and_training_can_go_on():
    pg = Playground(activation="identity", optimizer="sgd", lr=1.0, batch_size=1, **SMALL)
    pg.step_epoch()
    before = params(pg)
    pg.set(lr=1e12)
    with pytest.raises(TrainingDivergedError, match="put back as they were after epoch 1"):
        pg.step_epoch()
    assert pg.epoch == 1 and len(pg.train_loss_history) == 2
    assert all(np.array_equal(a, b) for a, b in zip(params(pg), before, strict=True))
    pg.set(lr=0.01)
    pg.step_epoch()
    assert pg.epoch == 2 and np.isfinite(pg.train_loss_history[-1])


# --- snapshots ----------------------------------------------------------------------------


def test_record_snapshots_and_restore_them():
    pg = Playground(**SMALL)
    snapshots = pg.record([0, 2, 5])
    assert [s.epoch for s in snapshots] == [0, 2, 5] and pg.epoch == 5
    assert str(snapshots[1]) == "Snapshot(epoch=2)"
    other = Playground(**SMALL)
    other.run(2)
    pg.restore(snapshots[1])
    assert pg.epoch == 2 and pg.train_loss_history == other.train_loss_history
    assert all(np.array_equal(a, b) for a, b in zip(params(pg), params(other), strict=True))
    assert pg.optimizer.t == 0
    with pytest.raises(ValueError, match="epochs must increase, starting at or after"):
        pg.record([3, 1])
    with pytest.raises(ValueError, match="record needs at least one epoch"):
        pg.record([])
    with pytest.raises(TypeError, match="expected a Snapshot, got dict"):
        pg.restore({})
    wider = Playground(**{**SMALL, "neurons": 4})
    with pytest.raises(ValueError, match=r"sizes \[2, 3, 2\], but this playground's"):
        wider.restore(snapshots[0])
    assert isinstance(snapshots[0], Snapshot)


# --- the figure ---------------------------------------------------------------------------


def assert_stacked(image, maps):
    """The column shows each neuron's map, the first at the top, with blank gaps of 2 rows."""
    n, r, _ = maps.shape
    assert image.shape == (n * r + (n - 1) * 2, r)
    for k in range(n):
        top = image.shape[0] - k * (r + 2)  # origin="lower": the last rows are drawn on top
        assert np.allclose(image[top - r : top], maps[k])
        if k < n - 1:
            assert np.all(np.isnan(np.ma.filled(image[top - r - 2 : top - r], np.nan)))


def is_hollow(collection):
    faces = collection.get_facecolor()
    return len(faces) == 0 or np.all(faces[:, 3] == 0)


def image_axes(fig):
    return [ax for ax in fig.axes if ax.images]


@pytest.mark.parametrize(
    ("dataset", "layers", "activation"),
    [
        ("xor", 0, "tanh"),
        ("gaussians", 1, "sigmoid"),
        ("circles", 2, "relu"),
        ("moons", 3, "leaky_relu"),
        ("spirals", 2, "identity"),
    ],
)
def test_draw_shows_the_decision_the_hidden_units_the_network_and_the_losses(
    dataset, layers, activation
):
    pg = Playground(
        dataset=dataset, hidden_layers=layers, neurons=3, activation=activation, n_samples=80
    )
    pg.run(2)
    fig = pg.draw(resolution=16)
    decision, *hidden = image_axes(fig)
    # the decision boundary, then one column of maps per hidden layer
    assert len(hidden) == layers
    assert np.allclose(decision.images[0].get_array(), pg.decision_grid(16))
    assert dataset in decision.get_title() and "epoch 2" in decision.get_title()
    assert f"test accuracy {pg.test_accuracy:.2f}" in decision.get_title()
    points = [c for c in decision.collections if isinstance(c, PathCollection)]
    filled = [c for c in points if not is_hollow(c)]
    hollow = [c for c in points if is_hollow(c)]
    assert sum(len(c.get_offsets()) for c in filled) == len(pg.X_train)
    assert sum(len(c.get_offsets()) for c in hollow) == len(pg.X_test)
    for ax, maps in zip(hidden, pg.hidden_grids(16), strict=True):
        assert_stacked(ax.images[0].get_array(), maps)
    network = next(
        ax for ax in fig.axes if any(isinstance(c, LineCollection) for c in ax.collections)
    )
    assert network.get_title() == f"{activation} network " + "-".join(map(str, pg.model.sizes))
    widths = network.collections[0].get_linewidths()
    weights = np.concatenate([layer.params["W"].ravel() for layer in pg.model.layers])
    assert np.allclose(widths, 4 * np.abs(weights) / np.abs(weights).max())
    losses = next(ax for ax in fig.axes if ax.get_xlabel() == "epoch")
    train, test = losses.get_lines()
    assert list(train.get_ydata()) == pg.train_loss_history
    assert list(test.get_ydata()) == pg.test_loss_history
    assert list(train.get_xdata()) == [0, 1, 2]


def test_without_hidden_layers_the_middle_panel_says_so():
    fig = Playground(hidden_layers=0, n_samples=60).draw(resolution=8)
    assert any("no hidden layer" in t.get_text() for ax in fig.axes for t in ax.texts)


@pytest.mark.parametrize(
    ("activation", "limits"),
    [("sigmoid", (0.0, 1.0)), ("tanh", (-1.0, 1.0)), ("relu", None), ("identity", None)],
)
def test_hidden_maps_are_coloured_around_the_activation_at_zero(activation, limits):
    pg = Playground(activation=activation, hidden_layers=2, neurons=2, n_samples=60)
    fig = pg.draw_hidden(resolution=12)
    assert [ax.get_title() for ax in fig.axes] == ["layer 1", "layer 2"]
    assert fig._suptitle.get_text() == "hidden neurons"
    for ax, maps in zip(fig.axes, pg.hidden_grids(12), strict=True):
        assert_stacked(ax.images[0].get_array(), maps)
        expected = limits or (-np.abs(maps).max(), np.abs(maps).max())
        assert ax.images[0].get_clim() == pytest.approx(expected)


def test_draw_a_snapshot_leaves_the_playground_as_it_was():
    pg = Playground(**SMALL)
    first, _ = pg.record([1, 4])
    state = (params(pg), pg.epoch, pg.train_loss_history)
    fig = plt.figure()
    assert pg.draw(fig=fig, snapshot=first, resolution=8, last_epoch=4) is fig
    losses = next(ax for ax in fig.axes if ax.get_xlabel() == "epoch")
    assert list(losses.get_lines()[0].get_ydata()) == list(first.train_loss)
    assert losses.get_xlim() == (0, 4)
    assert pg.epoch == state[1] and pg.train_loss_history == state[2]
    assert all(np.array_equal(a, b) for a, b in zip(params(pg), state[0], strict=True))


# --- the widget ---------------------------------------------------------------------------


def test_the_widget_drives_the_playground():
    pg = Playground(**SMALL)
    box = playground_widget(pg)
    controls = box.controls
    assert box.playground is pg
    assert plt.get_fignums() == []  # each redraw closes its figure
    assert "epoch 0" in controls["status"].value

    controls["step"].click()
    assert pg.epoch == 1 and "epoch 1" in controls["status"].value
    controls["n_epochs"].value = 3
    controls["run"].click()
    assert pg.epoch == 4

    # training settings apply live
    controls["lr"].value = 0.01
    controls["optimizer"].value = "rmsprop"
    controls["batch_size"].value = "full"
    controls["l2"].value = 1e-3
    assert (pg.config.lr, pg.config.optimizer, pg.config.batch_size, pg.config.l2) == (
        pytest.approx(0.01),
        "rmsprop",
        "full",
        1e-3,
    )
    assert pg.epoch == 4 and "applies from the next epoch" in controls["status"].value
    controls["step"].click()
    assert pg.epoch == 5 and pg.optimizer.t == 1  # one full batch with the new optimizer

    # data and architecture settings reset
    changes = {
        "dataset": "spirals",
        "noise": 0.2,
        "train_fraction": 0.6,
        "seed": 2,
        "hidden_layers": 2,
        "neurons": 5,
        "activation": "relu",
    }
    for name, value in changes.items():
        controls["step"].click()
        controls[name].value = value
        assert pg.epoch == 0, name
        assert getattr(pg.config, name) == pytest.approx(value)
    assert pg.model.sizes == [2, 5, 5, 2]
    initial = params(pg)
    controls["run"].click()
    assert pg.epoch == 3
    controls["reset"].click()
    assert pg.epoch == 0
    assert all(np.array_equal(a, b) for a, b in zip(params(pg), initial, strict=True))
    assert plt.get_fignums() == []


def test_the_widget_starts_from_the_playground_settings():
    pg = Playground(
        dataset="moons",
        hidden_layers=3,
        activation="sigmoid",
        l2=0.05,
        batch_size=7,
        **{"n_samples": 60, "neurons": 2},
    )
    controls = playground_widget(pg).controls
    assert controls["dataset"].value == "moons" and controls["hidden_layers"].value == 3
    assert controls["activation"].value == "sigmoid"
    # values outside the menus are added to them
    assert controls["l2"].value == 0.05 and controls["batch_size"].value == 7
    assert list(controls["activation"].options) == list(HIDDEN_ACTIVATIONS)
    assert list(controls["optimizer"].options) == list(OPTIMIZERS)
    assert controls["lr"].base == 10  # a log-scale slider


def test_the_widget_reports_divergence_and_keeps_the_weights():
    pg = Playground(activation="identity", optimizer="sgd", lr=1.0, batch_size=1, **SMALL)
    controls = playground_widget(pg).controls
    controls["step"].click()
    before = params(pg)
    pg.set(lr=1e12)
    controls["step"].click()
    assert "Training diverged" in controls["status"].value
    assert pg.epoch == 1
    assert all(np.array_equal(a, b) for a, b in zip(params(pg), before, strict=True))


def test_a_default_widget_makes_its_own_playground():
    box = playground_widget()
    assert isinstance(box.playground, Playground)
    assert box.playground.config == PlaygroundConfig()
