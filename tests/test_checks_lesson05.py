"""The checks of lesson 05's exercises accept the solutions and name realistic mistakes."""

import numpy as np
import pytest
from exercise_answers import assert_hint, returns_none, unfinished

from neuronet.course.checks import check_large_rate, check_noise_factor, check_updates
from neuronet.data import make_moons, standardize
from neuronet.neuron import Neuron

# The lesson's set-up, written out as in the notebook (plain NumPy, not Neuron.fit).
X, y = make_moons(300, noise=0.2, seed=0)
X, _ = standardize(X)
n = len(y)
start = Neuron(2, "sigmoid", seed=0)
w0, b0 = start.w.copy(), start.b


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def cross_entropy(w, b):
    a = sigmoid(X @ w + b)
    return -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))


def minibatch_gd(w, b, lr, epochs, batch_size, rng):
    w = w.copy()
    for _ in range(epochs):
        order = rng.permutation(n)
        for begin in range(0, n, batch_size):
            rows = order[begin : begin + batch_size]
            delta = (sigmoid(X[rows] @ w + b) - y[rows]) / len(rows)
            w -= lr * X[rows].T @ delta
            b -= lr * delta.sum()
    return w, b


# ------------------------------------------------------------------------------ exercise 1


def solution():
    updates, final_loss = {}, {}
    for m in (8, 64):
        updates[m] = -(-n // m)
        final_loss[m] = cross_entropy(*minibatch_gd(w0, b0, 0.2, 5, m, np.random.default_rng(0)))
    return updates, final_loss


def test_updates_accepts_the_solution():
    updates, final_loss = solution()
    assert updates == {8: 38, 64: 5}  # 300 = 37 * 8 + 4 = 4 * 64 + 44
    assert check_updates(updates, final_loss)


def test_updates_names_the_mistake():
    updates, final_loss = solution()
    other_seed = {
        m: cross_entropy(*minibatch_gd(w0, b0, 0.2, 5, m, np.random.default_rng(1)))
        for m in (8, 64)
    }
    cases = [
        (({8: 37, 64: 4}, final_loss), "with m = 8 you count 37 updates, but 300 = 37 × 8 + 4"),
        (({8: 300 / 8, 64: 300 / 64}, final_loss), "updates[8] is 37.5, not a whole number"),
        (({8: 38, 64: 6}, final_loss), "updates[64] is 6; an epoch over 300 samples makes ⌈n/m⌉"),
        (([38, 5], final_loss), "updates should be a dict with the batch sizes 8 and 64 as keys"),
        (
            (updates, {8: final_loss[64], 64: final_loss[8]}),
            "final_loss[8] and final_loss[64] are swapped",
        ),
        (
            (updates, {8: cross_entropy(w0, b0), 64: final_loss[64]}),
            "final_loss[8] is the loss at the start",
        ),
        (
            (updates, {m: n * loss for m, loss in final_loss.items()}),
            "final_loss[8] is n times too large",
        ),
        (
            (updates, other_seed),
            f"final_loss[8] is {other_seed[8]:.6f}, expected {final_loss[8]:.6f}: train with "
            "minibatch_gd(X, y, w0, b0, 0.2, 5, 8, np.random.default_rng(0))",
        ),
        ((updates, {8: final_loss[8]}), "final_loss should be a dict with the batch sizes"),
        ((updates, {8: None, 64: 0.3}), "final_loss[8] is None"),
    ]
    for answers, hint in cases:
        assert_hint(check_updates(*answers), hint)


# ------------------------------------------------------------------------------ exercise 2


def noise_factor(replace, seed=0, draws=2000):
    a = sigmoid(X @ w0 + b0)
    G = (a - y)[:, None] * np.column_stack([X, np.ones(n)])
    g = G.mean(axis=0)
    rng = np.random.default_rng(seed)
    noise = {
        m: np.mean(
            [
                np.sum((G[rng.choice(n, m, replace=replace)].mean(axis=0) - g) ** 2)
                for _ in range(draws)
            ]
        )
        for m in (1, 150)
    }
    return noise[1] / noise[150]


def test_noise_factor_accepts_a_measurement_near_the_formula():
    measured = noise_factor(replace=False)
    assert abs(measured / (150 * 299 / 150) - 1) < 0.12
    assert check_noise_factor(measured)
    assert check_noise_factor(299)


@pytest.mark.parametrize(
    ("factor", "hint"),
    [
        (None, "factor is None: replace it with your answer"),
        (1 / 299, "your factor is below 1: divide the noise of batches of 1 by"),
        (150.0, "your factor is about 150, the 1/m rule"),
        (80.0, "your factor is 80, but the noise of a batch of 150 should be about 299 times"),
        (float("inf"), "factor is inf; it should be a positive ratio"),
        ([299.0, 150.0], "factor should be one number, got an array of shape (2,)"),
    ],
)
def test_noise_factor_names_the_mistake(factor, hint):
    assert_hint(check_noise_factor(factor), hint)


def test_noise_factor_recognizes_batches_drawn_with_replacement():
    assert_hint(check_noise_factor(noise_factor(replace=True)), "without replace=False")


# ------------------------------------------------------------------------------ exercise 3


def limit_step(theta, x, y):
    return theta + (y - x @ theta) / (x @ x) * x


EXPLODED = np.array([1.0, 50.0, 3e4, 2e8])  # distances() stops once beyond 1e8
STABLE = np.abs(np.sin(np.arange(4001))) + 0.5  # 20 epochs of 200 updates, bounded


def test_large_rate_accepts_the_solution():
    assert check_large_rate(EXPLODED, STABLE, limit_step)
    # the limit of the implicit step lr / (1 + lr x.x) (y - x.theta) x as lr grows
    rng = np.random.default_rng(0)
    theta, x, target = rng.normal(size=3), rng.normal(size=3), 0.7
    lr = 1e10
    implicit = theta + lr / (1 + lr * x @ x) * (target - x @ theta) * x
    assert np.allclose(limit_step(theta, x, target), implicit)


@pytest.mark.parametrize(
    ("answers", "hint"),
    [
        ((STABLE, EXPLODED, limit_step), "big_implicit blew up and big_explicit did not"),
        ((STABLE, STABLE, limit_step), "big_explicit ends at distance"),
        ((EXPLODED, EXPLODED, limit_step), "big_implicit should run all 20 epochs"),
        ((None, STABLE, limit_step), "big_explicit is None"),
        (
            (EXPLODED, STABLE, lambda theta, x, y: theta + (y - x @ theta) * x),
            "limit_step does not fit the sample: x · θ_new",
        ),
        (
            (EXPLODED, STABLE, lambda theta, x, y: theta + (y - x @ theta) / np.sqrt(x @ x) * x),
            "moving θ along x by (y − x·θ)/‖x‖²",
        ),
        (
            (
                EXPLODED,
                STABLE,
                lambda theta, x, y: np.append(theta[:2], theta[2] + (y - x @ theta) / x[2]),
            ),
            "limit_step(theta, x, y) for theta =",
        ),
        ((EXPLODED, STABLE, unfinished), "your limit_step is not written yet"),
        ((EXPLODED, STABLE, returns_none), "your limit_step returned None"),
    ],
)
def test_large_rate_names_the_mistake(answers, hint):
    assert_hint(check_large_rate(*answers), hint)
