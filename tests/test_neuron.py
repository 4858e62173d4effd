"""Tests of neuronet.neuron.Neuron: the perceptron rule, gradient descent and implicit SGD."""

import numpy as np
import pytest

from neuronet.neuron import Neuron
from neuronet.optimizers import SGD, Adam, ImplicitSGD
from neuronet.validation import TrainingDivergedError

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
AND = np.array([0, 0, 0, 1])
OR = np.array([0, 1, 1, 1])
XOR = np.array([0, 1, 1, 0])


def _linear_data(n=100, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, 3))
    return A, A @ np.array([1.0, -2.0, 0.5]) + 0.3


def test_weighted_sum_and_output_by_hand():
    neuron = Neuron(3, activation="sigmoid")
    neuron.w[...] = [0.5, -1.0, 2.0]
    neuron.b = 0.25
    # z = 0.5*1 - 1*2 + 2*3 + 0.25 = 4.75
    assert neuron.weighted_sum([1.0, 2.0, 3.0]) == 4.75
    assert neuron([1.0, 2.0, 3.0]) == pytest.approx(1 / (1 + np.exp(-4.75)), rel=1e-15)
    np.testing.assert_allclose(neuron.weighted_sum([[1.0, 2.0, 3.0], [0, 0, 0]]), [4.75, 0.25])


def test_initial_weights_small_and_seeded():
    a, b = Neuron(5, seed=1), Neuron(5, seed=1)
    np.testing.assert_array_equal(a.w, b.w)
    assert a.w.shape == (5,) and np.abs(a.w).max() < 0.05 and a.b == 0.0
    assert not np.array_equal(a.w, Neuron(5, seed=2).w)


@pytest.mark.parametrize("labels", [AND, OR], ids=["AND", "OR"])
def test_perceptron_learns_linearly_separable_functions(labels):
    neuron = Neuron(2, activation="step", seed=0)
    errors = neuron.fit(X, labels, epochs=100)
    assert errors[-1] == 0
    assert len(errors) < 100  # stopped early, at the first epoch without errors
    assert all(e > 0 for e in errors[:-1])
    np.testing.assert_array_equal(neuron.predict(X), labels)


def test_perceptron_never_learns_xor():
    neuron = Neuron(2, activation="step", seed=0)
    errors = neuron.fit(X, XOR, epochs=2000)
    assert len(errors) == 2000  # never converged
    assert min(errors) >= 1  # at every single epoch at least one point is wrong
    assert (neuron.predict(X) != XOR).any()


def test_perceptron_update_rule_by_hand():
    neuron = Neuron(2, activation="step")
    neuron.w[...] = [0.0, 0.0]
    # One epoch on AND with lr 0.5, starting at w = 0, b = 0 (the step fires at z = 0):
    # (0,0): predicts 1, wrong -> b = -0.5; (0,1): z = -0.5 -> 0, right; (1,0): right;
    # (1,1): z = -0.5 -> 0, wrong -> w = [0.5, 0.5], b = 0.
    neuron.fit(X, AND, lr=0.5, epochs=1)
    np.testing.assert_array_equal(neuron.w, [0.5, 0.5])
    assert neuron.b == 0.0


def test_sigmoid_neuron_learns_and_by_gradient_descent():
    neuron = Neuron(2, activation="sigmoid", seed=0)
    losses = neuron.fit(X, AND, lr=1.0, epochs=2000)
    assert len(losses) == 2000
    assert losses[-1] < 0.05 < losses[0]
    np.testing.assert_array_equal(neuron.predict(X), AND)


def test_one_full_batch_step_matches_the_formula():
    # Cross-entropy with a sigmoid: w <- w - lr X^T (a - y) / n, b <- b - lr mean(a - y).
    neuron = Neuron(2, activation="sigmoid", seed=3)
    w0, b0 = neuron.w.copy(), neuron.b
    a = 1 / (1 + np.exp(-(X @ w0 + b0)))
    neuron.fit(X, AND, lr=0.7, epochs=1)
    np.testing.assert_allclose(neuron.w, w0 - 0.7 * X.T @ (a - AND) / 4, rtol=1e-12)
    assert neuron.b == pytest.approx(b0 - 0.7 * np.mean(a - AND), rel=1e-12)


def test_quadratic_cost_step_matches_the_formula():
    # Quadratic cost on a sigmoid: delta = (a - y) a (1 - a) / n.
    neuron = Neuron(2, activation="sigmoid", seed=3)
    w0, b0 = neuron.w.copy(), neuron.b
    a = 1 / (1 + np.exp(-(X @ w0 + b0)))
    neuron.fit(X, AND, lr=0.7, epochs=1, cost="quadratic")
    delta = (a - AND) * a * (1 - a) / 4
    np.testing.assert_allclose(neuron.w, w0 - 0.7 * X.T @ delta, rtol=1e-12)
    assert neuron.b == pytest.approx(b0 - 0.7 * delta.sum(), rel=1e-12)


def test_linear_neuron_recovers_least_squares():
    A, t = _linear_data()
    neuron = Neuron(3, activation="identity", seed=0)
    losses = neuron.fit(A, t, optimizer=Adam(lr=0.05), epochs=400, batch_size=20, seed=0)
    assert losses[-1] < 1e-6
    np.testing.assert_allclose(neuron.w, [1.0, -2.0, 0.5], atol=1e-3)
    assert neuron.b == pytest.approx(0.3, abs=1e-3)


def test_implicit_sgd_is_stable_where_sgd_diverges():
    A, t = _linear_data()
    with pytest.raises(TrainingDivergedError, match=r"at epoch \d+; try a smaller learning rate"):
        Neuron(3, activation="identity", seed=0).fit(A, t, lr=5.0, epochs=20, batch_size=1)
    neuron = Neuron(3, activation="identity", seed=0)
    losses = neuron.fit(A, t, optimizer=ImplicitSGD(lr=5.0), epochs=20)
    lstsq = np.linalg.lstsq(np.column_stack([A, np.ones(len(A))]), t, rcond=None)[0]
    np.testing.assert_allclose(np.append(neuron.w, neuron.b), lstsq, atol=1e-8)
    assert losses[-1] < 1e-12


def test_implicit_sgd_logistic():
    A, t = _linear_data()
    y = (t > 0).astype(float)
    neuron = Neuron(3, activation="sigmoid", seed=0)
    losses = neuron.fit(A, y, optimizer=ImplicitSGD(lr=1.0), epochs=30)
    assert losses[-1] < losses[0]
    assert (neuron.predict(A) == y).mean() > 0.95


def test_implicit_sgd_needs_canonical_pair():
    A, t = _linear_data()
    with pytest.raises(ValueError, match="ImplicitSGD trains an identity neuron"):
        Neuron(3, activation="tanh").fit(A, np.tanh(t), optimizer=ImplicitSGD(0.1))
    with pytest.raises(ValueError, match="batch_size must be None or 1"):
        Neuron(3, activation="identity").fit(A, t, optimizer=ImplicitSGD(0.1), batch_size=10)


def test_same_seed_same_training():
    A, t = _linear_data()
    runs = [Neuron(3, "identity", seed=4) for _ in range(2)]
    losses = [n.fit(A, t, lr=0.01, epochs=3, batch_size=7) for n in runs]
    assert losses[0] == losses[1]
    np.testing.assert_array_equal(runs[0].w, runs[1].w)


def test_predict_outputs():
    step = Neuron(2, activation="step", seed=0)
    assert set(np.unique(step.predict(X))) <= {0, 1}
    sigmoid = Neuron(2, activation="sigmoid", seed=0)
    np.testing.assert_array_equal(sigmoid.predict(X), (sigmoid(X) > 0.5).astype(int))
    assert isinstance(sigmoid.predict(X[0]), int)
    linear = Neuron(2, activation="identity", seed=0)
    np.testing.assert_array_equal(linear.predict(X), linear.weighted_sum(X))


def test_validation():
    with pytest.raises(ValueError, match="needs an elementwise activation"):
        Neuron(2, activation="softmax")
    with pytest.raises(ValueError, match="n_inputs must be a positive integer"):
        Neuron(0)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\) or \(2,\).*got \(3,\)"):
        Neuron(2).weighted_sum([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="perceptron rule"):
        Neuron(2, activation="step").fit(X, AND, cost="quadratic")
    with pytest.raises(ValueError, match="a step neuron needs 0/1 labels, got the value 2.0"):
        Neuron(2, activation="step").fit(X, [0, 1, 2, 0])
    with pytest.raises(ValueError, match=r"a sigmoid neuron needs targets in \[0, 1\]"):
        Neuron(2).fit(X, [0, 1, 2, 0])
    with pytest.raises(ValueError, match="cost 'cross_entropy' does not go with a 'identity'"):
        Neuron(2, activation="identity").fit(X, AND, cost="cross_entropy")
    with pytest.raises(ValueError, match=r"y must have shape \(4,\) or \(4, 1\)"):
        Neuron(2).fit(X, [0, 1, 1])
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        Neuron(2).fit(X, AND, epochs=0)
    with pytest.raises(ValueError, match="lr is only used with the default optimizer"):
        Neuron(2).fit(X, AND, lr=0.1, optimizer=SGD(0.1))
    with pytest.raises(ValueError, match="non-finite"):
        Neuron(2).fit(np.array([[0, np.nan]] * 4), AND)


def test_assigned_weights_are_converted_and_checked():
    neuron = Neuron(2, activation="step")
    neuron.w = [1, 1]  # a list of ints becomes the float weight vector, not a longer list
    assert neuron.w.dtype == np.float64
    np.testing.assert_array_equal(neuron.w, [1.0, 1.0])
    with pytest.raises(ValueError, match=r"w must hold 2 weight\(s\)"):
        neuron.w = [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="non-finite"):
        neuron.w = [np.nan, 1.0]
