"""Tests of neuronet.neuron.Neuron: the perceptron rule, gradient descent and implicit SGD."""

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from neuronet.implicit import ImplicitSGD
from neuronet.neuron import Neuron
from neuronet.optimizers import SGD, Adam
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
    with pytest.raises(
        TrainingDivergedError, match=r"at epoch \d+(, batch \d+)?; try a smaller learning rate"
    ):
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
    with pytest.raises(ValueError, match="a step neuron needs 0/1 labels, got 2.0"):
        Neuron(2, activation="step").fit(X, [0, 1, 2, 0])
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\] for a sigmoid output"):
        Neuron(2).fit(X, [0, 1, 2, 0])
    with pytest.raises(ValueError, match="cost 'cross_entropy' does not go with a 'identity'"):
        Neuron(2, activation="identity").fit(X, AND, cost="cross_entropy")
    with pytest.raises(ValueError, match=r"y has 3 sample\(s\) \(shape \(3,\)\), expected 4"):
        Neuron(2).fit(X, [0, 1, 1])
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        Neuron(2).fit(X, AND, epochs=0)
    with pytest.raises(ValueError, match="lr is only used when optimizer is given by name"):
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


# ---------------------------------------------------------------- implicit SGD


def test_implicit_linear_step_solves_the_proximal_equation():
    """theta_n = theta + lr (y - x.theta_n) x  <=>  (I + lr x x^T) theta_n = theta + lr y x."""
    rng = np.random.default_rng(1)
    for lr in (0.01, 0.5, 10.0):
        w = rng.standard_normal(3)
        b = float(rng.standard_normal())
        x = rng.standard_normal(3)
        y = float(rng.standard_normal())
        xt = np.append(x, 1.0)  # the bias is a weight on a constant input 1
        theta = np.append(w, b)
        expected = np.linalg.solve(np.eye(4) + lr * np.outer(xt, xt), theta + lr * y * xt)
        new_b = ImplicitSGD(lr).step_example(w, b, x, y, link="identity")
        np.testing.assert_allclose(np.append(w, new_b), expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    lr=st.floats(1e-3, 100.0),
    y=st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0)),
)
@example(seed=3496, lr=34.0, y=0.0)  # once made an unguarded Newton iteration ping-pong
def test_implicit_logistic_step_satisfies_its_fixed_point(seed, lr, y):
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, 2.0, 4)
    b = float(rng.normal())
    x = rng.normal(0.0, 2.0, 4)
    w0, b0 = w.copy(), b
    residual = y - 1.0 / (1.0 + math.exp(-(x @ w0 + b0)))
    new_b = ImplicitSGD(lr).step_example(w, b, x, y, link="sigmoid")
    xi = (new_b - b0) / lr
    # the step is lr * xi along (x, 1) ...
    np.testing.assert_allclose(w, w0 + lr * xi * x, rtol=1e-12, atol=1e-12)
    # ... xi = y - sigmoid(x.w_new + b_new) ...
    assert xi == pytest.approx(y - 1.0 / (1.0 + math.exp(-(x @ w + new_b))), abs=1e-10)
    # ... and xi lies between 0 and the explicit residual, up to the rounding of b + lr xi
    # that our reconstruction of xi from the new bias inherits
    slack = 2.0 * np.spacing(max(abs(b0), abs(new_b))) / lr
    assert min(0.0, residual) - slack <= xi <= max(0.0, residual) + slack


def regression_data(noise, seed=0, n=200):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 2.0, n)
    y = 3.0 * x - 1.0 + noise * rng.standard_normal(n)
    return x, y


def test_implicit_sgd_is_stable_where_explicit_sgd_diverges():
    lr = 1.0  # lr * ||(x, 1)||^2 = 1 + x^2 > 2 whenever |x| > 1, which is most examples
    x, y = regression_data(noise=0.1)
    design = np.column_stack([x, np.ones_like(x)])
    assert np.mean(lr * (design**2).sum(axis=1) > 2) > 0.5

    explicit = SGD(lr)
    theta = np.zeros(2)
    for xt, target in zip(design[:30], y[:30], strict=True):
        explicit.step(theta, -(target - xt @ theta) * xt)  # gradient of (y - x.theta)^2 / 2
    assert np.abs(theta).max() > 1e5

    implicit = ImplicitSGD(lr)
    w, b = np.zeros(1), 0.0
    for _ in range(3):
        for xi_, target in zip(x, y, strict=True):
            b = implicit.step_example(w, b, xi_[None], target)
            assert abs(w[0]) < 10 and abs(b) < 10
    assert implicit.t == 3 * len(x)


def test_implicit_sgd_reads_one_element_arrays_as_numbers():
    w1, w2 = np.array([0.5, -1.0]), np.array([0.5, -1.0])
    x = np.array([2.0, 1.0])
    b1 = ImplicitSGD(0.3).step_example(w1, 0.2, x, 1.0, link="sigmoid")
    b2 = ImplicitSGD(0.3).step_example(w2, np.array([0.2]), x, np.array([1.0]), link="sigmoid")
    assert isinstance(b2, float) and b1 == b2
    np.testing.assert_array_equal(w1, w2)


def test_implicit_sgd_reaches_the_least_squares_solution():
    lr = 1.0
    x, y = regression_data(noise=0.0)
    design = np.column_stack([x, np.ones_like(x)])
    least_squares = np.linalg.lstsq(design, y, rcond=None)[0]
    opt = ImplicitSGD(lr)
    w, b = np.zeros(1), 0.0
    for _ in range(5):
        for xi_, target in zip(x, y, strict=True):
            b = opt.step_example(w, b, xi_[None], target)
    np.testing.assert_allclose([w[0], b], least_squares, atol=1e-8)


def test_implicit_sgd_refuses_unknown_links_and_bad_examples():
    opt = ImplicitSGD(0.1)
    with pytest.raises(ValueError, match="unknown link 'relu'; valid links are: identity, sigmoid"):
        opt.step_example(np.zeros(2), 0.0, np.ones(2), 1.0, link="relu")
    with pytest.raises(ValueError, match=r"x has shape \(3,\) but w has shape \(2,\)"):
        opt.step_example(np.zeros(2), 0.0, np.ones(3), 1.0)
    with pytest.raises(ValueError, match=r"target must be in \[0, 1\], got 2.0"):
        opt.step_example(np.zeros(2), 0.0, np.ones(2), 2.0, link="sigmoid")
    with pytest.raises(TypeError, match="w must be a 1-D floating-point NumPy array"):
        opt.step_example(np.zeros(2, dtype=int), 0.0, np.ones(2), 1.0)
    with pytest.raises(ValueError, match=r"y must be a single number, got array\(\[1., 2.\]\)"):
        opt.step_example(np.zeros(2), 0.0, np.ones(2), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="must be finite"):
        opt.step_example(np.zeros(2), 0.0, np.array([1.0, np.nan]), 1.0)


def test_implicit_sgd_needs_a_positive_rate():
    with pytest.raises(ValueError, match="lr must be a positive finite number"):
        ImplicitSGD(0)
