"""Tests of neuronet.network: the MLP, its gradients, training loop, targets and files."""

import gc
import json
import warnings

import numpy as np
import pytest

from neuronet.activations import ACTIVATIONS, LeakyReLU
from neuronet.costs import COSTS, Exponential
from neuronet.data import make_gaussians, make_moons, make_xor
from neuronet.gradcheck import gradient_check
from neuronet.network import MLP, History
from neuronet.optimizers import SGD, Adam
from neuronet.validation import TrainingDivergedError, as_batch

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
OUTPUTS = ["softmax", "sigmoid", "identity", "tanh", "relu", "leaky_relu"]

# The pairs that make sense, reasoned from each cost's domain and minimiser:
# - quadratic and exponential compare any real outputs with the targets;
# - binary cross-entropy reads each output as a probability of "yes": sigmoid only;
# - categorical cross-entropy and KL compare distributions, -y/a pushes every output up unless
#   the outputs are normalized: softmax only;
# - Hellinger, generalized KL and Itakura-Saito take sqrt, log or ratios of the outputs and are
#   minimized at a = y for any positive outputs: sigmoid or softmax.
REAL = {"quadratic", "exponential"}
POSITIVE = REAL | {"hellinger", "generalized_kl", "itakura_saito"}
VALID_COSTS = {
    "softmax": POSITIVE | {"categorical_cross_entropy", "kl_divergence"},
    "sigmoid": POSITIVE | {"cross_entropy"},
    "identity": REAL,
    "tanh": REAL,
    "relu": REAL,
    "leaky_relu": REAL,
}
VALID_PAIRS = sorted((o, c) for o, costs in VALID_COSTS.items() for c in costs)
INVALID_PAIRS = [(o, c) for o in OUTPUTS for c in COSTS if c not in VALID_COSTS[o]]
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0])


def test_valid_pair_table():
    assert len(VALID_PAIRS) == 21
    # asked of the objects: which outputs each cost suits
    table = {
        (o, c) for c, cost in COSTS.items() for o, act in ACTIVATIONS.items() if cost().suits(act())
    }
    assert table == set(VALID_PAIRS)


@pytest.mark.parametrize(("output", "cost"), VALID_PAIRS)
def test_valid_pairs_construct(output, cost):
    net = MLP([2, 3], output=output, cost=cost)
    assert (net.output.name, net.cost.name) == (output, cost)


@pytest.mark.parametrize(("output", "cost"), INVALID_PAIRS)
def test_invalid_pairs_explain(output, cost):
    with pytest.raises(ValueError, match=f"cost '{cost}' does not go with a '{output}' output"):
        MLP([2, 3], output=output, cost=cost)


def test_softmax_needs_two_units():
    with pytest.raises(ValueError, match="softmax output needs at least 2 units"):
        MLP([2, 1], output="softmax")


def test_step_output_refused():
    with pytest.raises(ValueError, match="cannot be 'step'"):
        MLP([2, 2], output="step", cost="quadratic")


@pytest.mark.parametrize("sizes", [[3], [], [2, 0, 1], [2, 2.5], "23", [True, 2], 5, [2, -1]])
def test_bad_sizes(sizes):
    with pytest.raises(ValueError, match="sizes"):
        MLP(sizes)


# ------------------------------------------------------------------- gradient checks


def _checkable(hidden, output, cost, seed=0, n=8):
    """A small float64 network and data for a gradient check, away from ReLU kinks.

    LeakyReLU uses alpha=0.2 rather than 0.01: with 0.01, weights feeding units that are
    negative on the whole batch get gradients around 1e-7, whose relative error measures
    rounding noise rather than backpropagation.
    """
    rng = np.random.default_rng(seed)
    k = 3 if output == "softmax" else 2
    leaky = LeakyReLU(alpha=0.2)
    net = MLP(
        [3, 4, 4, k],
        activation=leaky if hidden == "leaky_relu" else hidden,
        output=leaky if output == "leaky_relu" else output,
        cost=cost,
        seed=seed,
    )
    for layer in net.layers:
        layer.params["b"][...] = rng.uniform(-0.5, 0.5, layer.params["b"].shape)
    X = rng.standard_normal((n, 3))
    a = net.forward(X)
    if output == "softmax":
        Y = rng.dirichlet(np.ones(k), n)  # strictly positive rows summing to 1
    elif output == "sigmoid":
        Y = rng.uniform(0.1, 0.9, (n, k))
    else:
        Y = a + 0.5 * rng.standard_normal(a.shape)  # errors of moderate size (exponential)
        if output == "tanh":
            Y = np.clip(Y, -0.95, 0.95)
    # A step of eps = 1e-5 in one weight moves a pre-activation by eps times an activation
    # (a few units at most), so a margin of 1e-4 keeps every ReLU on its side of the kink.
    for layer in net.layers:
        if layer.activation.name in ("relu", "leaky_relu"):
            assert np.abs(layer.z).min() > 1e-4, "test data too close to a ReLU kink"
    return net, X, Y


@pytest.mark.parametrize(("output", "cost"), VALID_PAIRS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_gradient_check_every_valid_combination(hidden, output, cost):
    net, X, Y = _checkable(hidden, output, cost)
    # eps = 1e-5 balances truncation and rounding error in float64 (see neuronet.gradcheck).
    assert gradient_check(net, X, Y, eps=1e-5) <= 1e-6


@pytest.mark.parametrize(
    ("output", "cost"),
    [
        ("softmax", "categorical_cross_entropy"),
        ("sigmoid", "cross_entropy"),
        ("identity", "quadratic"),
    ],
)
def test_canonical_delta_equals_chain_rule(output, cost):
    net, X, Y = _checkable("tanh", output, cost)
    if output == "softmax":
        Y = np.eye(3)[np.arange(8) % 3]  # one-hot targets, the usual case
    assert isinstance(net.output, net.cost.canonical_output)  # the simple delta (a - y) / n
    a = net.forward(X)
    z = net.layers[-1].z
    chain = net.output.backward(z, net.cost.gradient(a, Y))  # the general chain rule
    np.testing.assert_allclose(net.cost.delta(net.output, z, a, Y), chain, rtol=1e-9, atol=1e-15)


def test_output_delta_is_a_minus_y_over_n():
    # Independent of the code's chain: dC/dW_last = a_hidden^T (a - y) / n for softmax + CE.
    net, X, _ = _checkable("tanh", "softmax", "categorical_cross_entropy")
    Y = np.eye(3)[[0, 1, 2, 0, 1, 2, 0, 1]]
    a = net.forward(X)
    hidden = net.layers[-2].a
    net.backward(Y)
    np.testing.assert_allclose(net.layers[-1].grads["W"], hidden.T @ (a - Y) / 8, rtol=1e-12)
    np.testing.assert_allclose(net.layers[-1].grads["b"], (a - Y).sum(axis=0) / 8, rtol=1e-12)


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="forward must be called first"):
        MLP([2, 3, 2]).backward([0, 1])


# ------------------------------------------------------------------------ learning


def test_mlp_learns_xor():
    net = MLP([2, 4, 1], activation="tanh", output="sigmoid", cost="cross_entropy", seed=0)
    net.fit(XOR_X, XOR_Y, optimizer="adam", lr=0.05, epochs=300, batch_size=None)
    assert net.accuracy(XOR_X, XOR_Y) == 1.0
    np.testing.assert_array_equal(net.predict(XOR_X), XOR_Y)


def test_mlp_learns_noisy_xor_with_softmax():
    X, y = make_xor(200, noise=0.1, seed=1)
    net = MLP([2, 8, 2], activation="relu", seed=0)
    history = net.fit(X, y, optimizer="adam", lr=0.01, epochs=100, batch_size=32)
    assert history.accuracy[-1] > 0.95
    assert history.loss[-1] < history.loss[0] / 4


def test_same_seed_same_weights_and_history():
    X, y = make_gaussians(120, noise=0.5, seed=0, n_classes=3)
    runs = []
    for _ in range(2):
        net = MLP([2, 6, 5, 3], activation="tanh", seed=42)
        history = net.fit(X, y, epochs=5, batch_size=16, validation_data=(X[:30], y[:30]))
        runs.append((net, history))
    (net_a, hist_a), (net_b, hist_b) = runs
    assert hist_a == hist_b
    for p, q in zip(net_a.parameters(), net_b.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)


def test_other_seed_other_weights():
    a, b = MLP([3, 4, 4, 2], seed=0), MLP([3, 4, 4, 2], seed=1)
    assert not np.array_equal(a.layers[0].params["W"], b.layers[0].params["W"])
    # Each layer draws from its own stream: two layers of the same shape and initializer differ.
    c = MLP([4, 4, 4, 2], seed=0)
    assert not np.array_equal(c.layers[0].params["W"], c.layers[1].params["W"])


def test_fit_seed_controls_shuffling():
    X, y = make_gaussians(64, noise=0.5, seed=0)
    losses = []
    for seed in (1, 1, 2):
        net = MLP([2, 4, 2], seed=0)
        losses.append(net.fit(X, y, epochs=2, batch_size=8, seed=seed).loss)
    assert losses[0] == losses[1]
    assert losses[0] != losses[2]


def test_default_init_depends_on_activation():
    relu = MLP([500, 400, 300], activation="relu")
    assert relu.layers[0].params["W"].std() == pytest.approx(np.sqrt(2 / 500), rel=0.02)  # he
    assert relu.layers[1].params["W"].std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)  # xavier
    tanh = MLP([500, 400, 300], activation="tanh")
    assert tanh.layers[0].params["W"].std() == pytest.approx(np.sqrt(2 / 900), rel=0.02)
    zeros = MLP([5, 4, 3], init="zeros")
    assert not any(p.any() for p in zeros.parameters())


# --------------------------------------------------------------------- divergence


def test_divergence_raises_with_epoch_and_learning_rate():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 3))
    y = X @ np.array([1.0, -2.0, 0.5])
    net = MLP([3, 8, 1], activation="relu", output="identity", cost="quadratic")
    message = (
        r"loss became non-finite \((nan|inf)\) at epoch \d+, batch \d+; "
        r"try a smaller learning rate \(current: 1000000.0\)"
    )
    with pytest.raises(TrainingDivergedError, match=message):
        net.fit(X, y, optimizer=SGD(lr=1e6), epochs=50, batch_size=8)


# ---------------------------------------------------------------------- training loop


@pytest.mark.parametrize(
    ("batch_size", "steps_per_epoch"), [(None, 1), (1, 10), (3, 4), (10, 1), (64, 1)]
)
def test_number_of_updates(batch_size, steps_per_epoch):
    X, y = make_gaussians(10, noise=0.5, seed=0)
    optimizer = SGD(lr=0.1)
    MLP([2, 3, 2]).fit(X, y, optimizer=optimizer, epochs=3, batch_size=batch_size)
    assert optimizer.t == 3 * steps_per_epoch


def test_full_batch_history_is_loss_and_accuracy_before_each_update():
    X, y = make_gaussians(40, noise=1.0, seed=3)
    net = MLP([2, 5, 2], activation="tanh", seed=1)
    loss0, acc0 = net.loss(X, y), net.accuracy(X, y)
    history = net.fit(X, y, optimizer="sgd", lr=0.5, epochs=2, batch_size=None)
    assert history.loss[0] == pytest.approx(loss0, rel=1e-12)
    assert history.accuracy[0] == acc0
    assert history.epochs == 2


def test_validation_metrics_use_final_weights():
    X, y = make_gaussians(80, noise=1.0, seed=4, n_classes=3)
    net = MLP([2, 6, 3], seed=2)
    history = net.fit(X[:60], y[:60], epochs=3, batch_size=10, validation_data=(X[60:], y[60:]))
    assert history.val_loss[-1] == pytest.approx(net.loss(X[60:], y[60:]), rel=1e-12)
    assert history.val_accuracy[-1] == net.accuracy(X[60:], y[60:])
    assert set(history.as_dict()) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in history.as_dict().values())


def test_regression_history_has_no_accuracy():
    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    net = MLP([1, 4, 1], activation="tanh", output="identity", cost="quadratic")
    history = net.fit(X, 2 * X[:, 0], epochs=2, batch_size=5)
    assert history.accuracy == [] and history.val_accuracy == []
    with pytest.raises(ValueError, match="accuracy is defined for classifiers"):
        net.accuracy(X, X)


def test_progress_bar_shows_loss(capsys):
    X, y = make_gaussians(40, noise=1.0, seed=0)
    MLP([2, 3, 2]).fit(X, y, epochs=2, batch_size=10, progress=True)
    err = capsys.readouterr().err
    assert "epoch 2/2" in err and "loss=" in err


@pytest.mark.parametrize("epochs", [0, -1, 1.5, True, "3"])
def test_bad_epochs(epochs):
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        MLP([2, 2]).fit(XOR_X, XOR_Y, epochs=epochs)


@pytest.mark.parametrize("batch_size", [0, -4, 2.5, False])
def test_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        MLP([2, 2]).fit(XOR_X, XOR_Y, batch_size=batch_size)


def test_lr_with_optimizer_object_is_refused():
    with pytest.raises(ValueError, match="lr is only used when optimizer is given by name"):
        MLP([2, 2]).fit(XOR_X, XOR_Y, optimizer=Adam(), lr=0.1)


def test_non_finite_inputs_refused():
    X = XOR_X.copy()
    X[2, 1] = np.inf
    with pytest.raises(ValueError, match="X contains 1 non-finite"):
        MLP([2, 2]).fit(X, XOR_Y)


@pytest.mark.parametrize("bad", [np.nan, -np.inf])
def test_non_finite_inputs_refused_among_huge_finite_ones(bad):
    """Finite values whose sum overflows are accepted; a NaN or -inf among them is not."""
    huge = np.full((4, 2), np.finfo(np.float32).max, dtype=np.float32)
    with np.errstate(over="ignore"):
        assert not np.isfinite(np.sum(huge))  # the quick whole-array test is inconclusive
    assert as_batch(huge, "X") is huge
    huge[3, 0] = bad
    with pytest.raises(ValueError, match=r"X contains 1 non-finite value.*index \(3, 0\)"):
        as_batch(huge, "X")


def test_wrong_number_of_features():
    with pytest.raises(ValueError, match=r"X has 3 feature\(s\) per sample .* expected 2"):
        MLP([2, 2]).fit(np.ones((4, 3)), XOR_Y)


def test_hidden_step_cannot_be_trained():
    net = MLP([2, 2, 2], activation="step")
    assert net.forward(XOR_X).shape == (4, 2)  # a hand-wired step network still runs
    with pytest.raises(ValueError, match="cannot train a network with step activations"):
        net.fit(XOR_X, XOR_Y)


# -------------------------------------------------------------------------- targets


def test_class_indices_and_one_hot_give_the_same_loss():
    net = MLP([2, 3, 3])
    X = np.arange(8.0).reshape(4, 2) / 8
    y = np.array([0, 2, 1, 2])
    assert net.loss(X, y) == net.loss(X, np.eye(3)[y])
    assert net.loss(X, y) == net.loss(X, y.reshape(-1, 1))


def test_label_out_of_range():
    with pytest.raises(ValueError, match="out of range for n_classes=3"):
        MLP([2, 3]).fit(XOR_X, [0, 1, 3, 0])


def test_labels_neither_indices_nor_one_hot():
    with pytest.raises(ValueError, match="labels must be class indices"):
        MLP([2, 3]).loss(XOR_X, [0, 1.5, 2, 0])
    with pytest.raises(ValueError, match=r"fits neither a softmax output with 3 classes"):
        MLP([2, 3]).loss(XOR_X, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="one-hot or probability rows"):
        MLP([2, 3]).loss(XOR_X, np.ones((4, 3)))


def test_wrong_number_of_labels():
    with pytest.raises(ValueError, match=r"Y has 3 sample\(s\) .* expected 4"):
        MLP([2, 3]).fit(XOR_X, [0, 1, 2])


def test_sigmoid_labels():
    net = MLP([2, 3, 1], output="sigmoid", cost="cross_entropy")
    assert net.loss(XOR_X, XOR_Y) == net.loss(XOR_X, XOR_Y.reshape(-1, 1))
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\] for a sigmoid output"):
        net.loss(XOR_X, [0, 1, 2, 0])
    with pytest.raises(ValueError, match=r"expected \(4,\) or \(4, 1\)"):
        net.loss(XOR_X, np.zeros((4, 2)))


def test_regression_targets_shape():
    net = MLP([2, 2], output="identity", cost="quadratic")
    with pytest.raises(ValueError, match=r"Y has shape \(4,\), expected \(4, 2\)"):
        net.loss(XOR_X, [0.0, 1.0, 2.0, 3.0])


# ------------------------------------------------------------------------- outputs


def test_predict_rules():
    X = np.random.default_rng(0).standard_normal((6, 2))
    softmax = MLP([2, 4, 3])
    np.testing.assert_array_equal(softmax.predict(X), softmax.forward(X).argmax(axis=1))
    np.testing.assert_array_equal(softmax.predict_proba(X), softmax.forward(X))
    one = MLP([2, 4, 1], output="sigmoid", cost="cross_entropy")
    np.testing.assert_array_equal(one.predict(X), (one.forward(X)[:, 0] > 0.5).astype(int))
    assert one.predict(X).shape == (6,)
    several = MLP([2, 4, 3], output="sigmoid", cost="cross_entropy")
    np.testing.assert_array_equal(several.predict(X), several.forward(X) > 0.5)
    assert several.predict(X).shape == (6, 3)
    regression = MLP([2, 4, 2], output="identity", cost="quadratic")
    np.testing.assert_array_equal(regression.predict(X), regression.forward(X))


def test_accuracy_counts_correct_samples():
    net = MLP([2, 3])
    X = np.random.default_rng(1).standard_normal((10, 2))
    predicted = net.predict(X)
    y = predicted.copy()
    y[:3] = (y[:3] + 1) % 3  # three wrong labels
    assert net.accuracy(X, y) == pytest.approx(0.7)
    assert net.accuracy(X, np.eye(3)[y]) == pytest.approx(0.7)


def test_parameters_and_gradients_are_live_and_aligned():
    net = MLP([3, 4, 2])
    params, grads = net.parameters(), net.gradients()
    assert [p.shape for p in params] == [(3, 4), (4,), (4, 2), (2,)]
    assert [g.shape for g in grads] == [p.shape for p in params]
    assert params[0] is net.layers[0].params["W"] and grads[3] is net.layers[1].grads["b"]
    X = np.ones((1, 3))
    before = net.forward(X).copy()
    params[3] += 1.0  # shift the output bias: softmax is unchanged by a common shift
    np.testing.assert_allclose(net.forward(X), before, rtol=1e-12)
    params[3][0] += 1.0  # but not by shifting one logit
    assert net.forward(X)[0, 0] > before[0, 0]


def test_float32_end_to_end():
    X, y = make_gaussians(50, noise=0.5, seed=0, n_classes=3)
    net = MLP([2, 8, 3], dtype=np.float32, seed=0)
    history = net.fit(X, y, epochs=3, batch_size=10, validation_data=(X, y))
    assert all(p.dtype == np.float32 for p in net.parameters())
    assert all(g.dtype == np.float32 for g in net.gradients())
    assert net.forward(X).dtype == np.float32
    assert all(np.isfinite(v).all() for v in history.as_dict().values())
    with pytest.raises(ValueError, match="float64"):
        gradient_check(net, X[:4], y[:4])


def test_repr():
    assert repr(MLP([784, 256, 10], dtype=np.float32)) == (
        "MLP(784→256→10, activation='relu', output='softmax', "
        "cost='categorical_cross_entropy', dtype=float32)"
    )


def test_history_dataclass():
    h = History(loss=[1.0, 0.5])
    assert h.epochs == 2
    assert h.as_dict() == {"loss": [1.0, 0.5], "accuracy": [], "val_loss": [], "val_accuracy": []}


# ---------------------------------------------------------------------- save and load


def test_save_load_round_trip(tmp_path):
    X, y = make_gaussians(60, noise=0.5, seed=0, n_classes=3)
    net = MLP([2, 6, 5, 3], activation=LeakyReLU(alpha=0.2), dtype=np.float32, seed=3)
    net.fit(X, y, epochs=2, batch_size=16)
    path = net.save(tmp_path / "model")
    assert path == tmp_path / "model.npz"
    loaded = MLP.load(path)
    assert loaded.sizes == net.sizes and loaded.dtype == np.float32
    assert loaded.activation.alpha == 0.2
    for p, q in zip(net.parameters(), loaded.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)
        assert q.dtype == np.float32
    np.testing.assert_array_equal(loaded.predict(X), net.predict(X))
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))


def test_save_load_cost_parameters(tmp_path):
    net = MLP([2, 3, 2], activation="tanh", output="identity", cost=Exponential(tau=2.5))
    loaded = MLP.load(net.save(tmp_path / "regression.npz"))
    assert (loaded.output.name, loaded.cost.name, loaded.cost.tau) == (
        "identity",
        "exponential",
        2.5,
    )
    with np.load(tmp_path / "regression.npz", allow_pickle=False) as data:
        config = json.loads(str(data["config"][()]))
    assert config["sizes"] == [2, 3, 2] and config["cost"] == {"name": "exponential", "tau": 2.5}


def test_load_rejects_files_that_are_not_models(tmp_path):
    np.savez(tmp_path / "other.npz", weights=np.arange(3))
    with pytest.raises(ValueError, match="not a neuronet model: it has no 'config' entry"):
        MLP.load(tmp_path / "other.npz")
    np.savez(tmp_path / "fake.npz", config=np.array(json.dumps({"format": "something"})))
    with pytest.raises(ValueError, match="not a neuronet model"):
        MLP.load(tmp_path / "fake.npz")
    np.save(tmp_path / "array.npy", np.arange(3))
    with pytest.raises(ValueError, match="single .npy array"):
        MLP.load(tmp_path / "array.npy")
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(ValueError, match="not a neuronet model"):
        MLP.load(tmp_path / "text.npz")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_load_names_a_corrupt_or_truncated_file_and_closes_it(tmp_path, keep):
    path = MLP([4, 8, 3]).save(tmp_path / "model.npz")
    data = path.read_bytes()
    path.write_bytes(data[: int(keep * len(data))])  # a download cut short
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)  # an unclosed file would be reported
        with pytest.raises(ValueError, match=r"model\.npz is not a (readable )?neuronet model"):
            MLP.load(path)
        gc.collect()


def test_load_names_a_file_with_a_damaged_entry(tmp_path):
    path = MLP([4, 8, 3]).save(tmp_path / "model.npz")
    data = bytearray(path.read_bytes())
    start = data.index(b"W1.npy") + 200  # inside the stored bytes of one array
    data[start : start + 64] = bytes(64)
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"model\.npz is not a readable neuronet model: .*corrupt"):
        MLP.load(path)


def test_load_rejects_mismatched_arrays(tmp_path):
    path = MLP([2, 3, 2]).save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as data:
        arrays = dict(data)
    arrays["W1"] = np.zeros((4, 2))
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=r"array 'W1' has shape \(4, 2\), expected \(3, 2\)"):
        MLP.load(path)


# ----------------------------------------------------------------- L2 and early stopping


def test_l2_adds_lambda_w_to_the_weight_gradients_only():
    """One full-batch SGD step with l2 equals the step on C + (l2/2) sum ||W||^2 by hand."""
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((20, 3)), rng.integers(0, 2, 20)
    plain, decayed = MLP([3, 4, 2], seed=1), MLP([3, 4, 2], seed=1)
    lr, l2 = 0.1, 0.5
    plain.forward(X)
    plain.backward(y)
    expected = [
        p - lr * (g + (l2 * p if p.ndim == 2 else 0))
        for p, g in zip(plain.parameters(), plain.gradients(), strict=True)
    ]
    decayed.fit(X, y, optimizer=SGD(lr), epochs=1, batch_size=None, l2=l2)
    for got, want in zip(decayed.parameters(), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_l2_shrinks_the_weights_and_the_penalty_is_half_the_squared_norm():
    X, y = make_xor(200, noise=0.1, seed=0)
    free, decayed = MLP([2, 16, 2], seed=0), MLP([2, 16, 2], seed=0)
    free.fit(X, y, optimizer=SGD(0.1), epochs=30)
    decayed.fit(X, y, optimizer=SGD(0.1), epochs=30, l2=0.05)
    assert decayed.weight_penalty() < 0.7 * free.weight_penalty()
    by_hand = 0.5 * sum(float((layer.params["W"] ** 2).sum()) for layer in decayed.layers)
    assert decayed.weight_penalty() == pytest.approx(by_hand)


@pytest.mark.parametrize("bad", [-0.1, np.inf, "0.1", True])
def test_l2_must_be_a_finite_non_negative_number(bad):
    X, y = make_xor(20, noise=0.1, seed=0)
    with pytest.raises(ValueError, match="l2 must be a finite number >= 0"):
        MLP([2, 3, 2]).fit(X, y, l2=bad)


def test_early_stopping_needs_validation_data():
    X, y = make_xor(20, noise=0.1, seed=0)
    with pytest.raises(ValueError, match="early_stopping watches the validation loss"):
        MLP([2, 3, 2]).fit(X, y, early_stopping=3)


def test_rebinding_a_gradient_array_still_trains():
    # A learner who writes layer.grads["W"] = ... gets that array used by the next step.
    net = MLP([2, 3, 1], activation="tanh", output="identity", cost="quadratic", seed=0)
    X, y = np.ones((4, 2)), np.zeros(4)
    backprop = net.backprop

    def rebinding_backprop(X, Y, l2=0.0):
        loss = backprop(X, Y, l2)
        net.layers[0].grads["W"] = np.ones((2, 3))  # a new array, not the one computed
        return loss

    net.backprop = rebinding_backprop
    W = net.layers[0].params["W"].copy()
    net.fit(X, y, optimizer=SGD(0.5), epochs=1, batch_size=None)
    np.testing.assert_allclose(net.layers[0].params["W"], W - 0.5)


def test_early_stopping_restores_the_best_epoch():
    """Overfit a tiny noisy training set; the restored weights give the best validation loss."""
    X, y = make_moons(40, noise=0.35, seed=0)
    X_val, y_val = make_moons(400, noise=0.35, seed=1)
    model = MLP([2, 64, 64, 2], seed=0)
    history = model.fit(
        X, y, optimizer=Adam(0.02), epochs=300, batch_size=None,
        validation_data=(X_val, y_val), early_stopping=20,
    )  # fmt: skip
    best = history.best_epoch
    assert best is not None and history.epochs == best + 20 < 300  # stopped 20 epochs after it
    assert history.val_loss[best - 1] == min(history.val_loss)
    assert model.loss(X_val, y_val) == pytest.approx(history.val_loss[best - 1], rel=1e-12)
