r"""Checks for the exercises of lesson 05, stochastic and mini-batch gradient descent.

The lesson trains a logistic neuron on 300 standardized moons (``make_moons(300, noise=0.2,
seed=0)``) from the initial weights of ``Neuron(2, "sigmoid", seed=0)``; the checks rebuild that
set-up and compute what to expect with :meth:`neuronet.neuron.Neuron.fit`, with the noise formula
:math:`\mathbb{E}\lVert g_B - \nabla C\rVert^2 = \frac{S}{m}\frac{n - m}{n - 1}` and with the closed
form of the implicit step.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from neuronet.costs import CrossEntropy
from neuronet.course.checks._report import (
    Feedback,
    as_number,
    call,
    exercise_check,
    fail,
    require_close,
    success,
)
from neuronet.data import make_moons, standardize
from neuronet.neuron import Neuron

__all__ = ["check_large_rate", "check_noise_factor", "check_updates"]

N_SAMPLES = 300  # the lesson's moons


def _moons() -> tuple[np.ndarray, np.ndarray, Neuron]:
    X, y = make_moons(N_SAMPLES, noise=0.2, seed=0)
    X, _ = standardize(X)
    return X, y, Neuron(2, "sigmoid", seed=0)


def _by_batch_size(answer: Any, name: str) -> dict[int, float]:
    if not isinstance(answer, dict) or set(answer) != {8, 64}:
        keys = sorted(answer) if isinstance(answer, dict) else type(answer).__name__
        fail(f"{name} should be a dict with the batch sizes 8 and 64 as keys, got {keys}")
    return {m: as_number(answer[m], f"{name}[{m}]", finite=False) for m in (8, 64)}


@exercise_check
def check_updates(updates: Any, final_loss: Any) -> Feedback:
    """Check the updates per epoch and the loss after 5 epochs for batch sizes 8 and 64.

    Parameters
    ----------
    updates : dict
        ``{8: ..., 64: ...}``: the number of updates in one epoch over the 300 samples.
    final_loss : dict
        ``{8: ..., 64: ...}``: the training cross-entropy after 5 epochs of ``minibatch_gd`` at
        learning rate 0.2 from ``w0, b0``, shuffled by ``np.random.default_rng(0)``.

    Returns
    -------
    Feedback
        Correct if both match a run of ``Neuron.fit`` from the same start and seed.
    """
    n = N_SAMPLES
    counts = _by_batch_size(updates, "updates")
    for m in (8, 64):
        right = math.ceil(n / m)
        if counts[m] == right:
            continue
        if counts[m] == n // m:
            fail(
                f"with m = {m} you count {n // m} updates, but {n} = {n // m} × {m} + {n % m}: "
                f"the last {n % m} samples make one more, smaller batch, so ⌈n/m⌉ = {right}"
            )
        if math.isclose(counts[m], n / m):
            fail(
                f"updates[{m}] is {counts[m]:g}, not a whole number: an epoch makes one update "
                f"per batch, ⌈n/m⌉ = {right} (the last batch is smaller)"
            )
        fail(f"updates[{m}] is {counts[m]:g}; an epoch over {n} samples makes ⌈n/m⌉ updates")

    losses = _by_batch_size(final_loss, "final_loss")
    X, y, start = _moons()
    cost = CrossEntropy()
    expected = {}
    for m in (8, 64):
        neuron = Neuron(2, "sigmoid")
        neuron.w, neuron.b = start.w, start.b
        neuron.fit(X, y, lr=0.2, epochs=5, batch_size=m, seed=0)
        expected[m] = cost(neuron(X), y)
    if np.isclose(losses[8], expected[64]) and np.isclose(losses[64], expected[8]):
        fail("final_loss[8] and final_loss[64] are swapped")
    initial = cost(start(X), y)
    for m in (8, 64):
        if np.isclose(losses[m], expected[m]):
            continue
        if np.isclose(losses[m], initial):
            fail(
                f"final_loss[{m}] is the loss at the start, {initial:.4f}: compute it with the "
                "weights and bias that minibatch_gd returns"
            )
        if np.isclose(losses[m], n * expected[m]):
            fail(f"final_loss[{m}] is n times too large: the cost is the mean over the samples")
        fail(
            f"final_loss[{m}] is {losses[m]:.6f}, expected {expected[m]:.6f}: train with "
            f"minibatch_gd(X, y, w0, b0, 0.2, 5, {m}, np.random.default_rng(0)) and evaluate "
            "CrossEntropy() on the whole training set"
        )
    return success(
        f"{counts[8]:.0f} updates per epoch against {counts[64]:.0f}: the smaller batches end "
        f"closer to the minimum ({expected[8]:.4f} against {expected[64]:.4f})"
    )


@exercise_check
def check_noise_factor(factor: Any) -> Feedback:
    r"""Check the measured fall of the gradient noise from batches of 1 to batches of 150.

    Parameters
    ----------
    factor : float
        The measured noise for :math:`m = 1` divided by the measured noise for :math:`m = 150`,
        batches drawn without replacement from the :math:`n = 300` samples.

    Returns
    -------
    Feedback
        Correct if it is within 12 % of the formula's :math:`m (n - 1)/(n - m) = 299` (the Monte
        Carlo error of 2000 draws per batch size is about 2 %).
    """
    n, m = N_SAMPLES, 150
    expected = m * (n - 1) / (n - m)
    value = as_number(factor, "factor", finite=False)
    if not math.isfinite(value) or value <= 0:
        fail(f"factor is {value}; it should be a positive ratio of two mean squared distances")
    if abs(value / expected - 1) < 0.12:
        return success(
            f"the noise falls by about {expected:.0f}, not {m}: the factor (n − m)/(n − 1) halves "
            "it again when a batch holds half the data"
        )
    if abs(value / m - 1) < 0.12:
        fail(
            f"your factor is about {value:.0f}, the 1/m rule, which holds for batches drawn with "
            "replacement: did you use rng.choice(n, m) without replace=False? A mini-batch of a "
            "shuffled epoch holds m different samples"
        )
    if abs(value * expected - 1) < 0.12:
        fail(
            "your factor is below 1: divide the noise of batches of 1 by the noise of batches "
            "of 150, not the other way round"
        )
    fail(
        f"your factor is {value:.4g}, but the noise of a batch of 150 should be about "
        f"{expected:.0f} times smaller than that of a single sample: measure "
        "np.mean of ‖g_B − ∇C‖² over many batches drawn without replacement for each m"
    )


@exercise_check
def check_large_rate(big_explicit: Any, big_implicit: Any, limit_step: Any) -> Feedback:
    r"""Check the two runs at :math:`\eta = 100` and the limit of the implicit step.

    Parameters
    ----------
    big_explicit, big_implicit : numpy.ndarray
        The distances to the least-squares solution returned by ``distances`` with
        ``explicit_step`` and ``implicit_step`` at the constant rate 100 (20 epochs of 200
        samples).
    limit_step : callable
        ``limit_step(theta, x, y)`` returns the implicit step's limit when
        :math:`\eta\lVert x\rVert^2 \to \infty`: :math:`\theta + \frac{y - x\cdot\theta}{\lVert
        x\rVert^2} x`, the smallest move that makes the prediction on this sample exact.

    Returns
    -------
    Feedback
        Correct if the explicit run blew up, the implicit one stayed finite for its 4000 updates,
        and ``limit_step`` matches the closed form.
    """
    runs = {}
    for name, value in (("big_explicit", big_explicit), ("big_implicit", big_implicit)):
        if value is None or value is Ellipsis:
            fail(f"{name} is {value!r}: compute it with distances(...) in the cell above")
        try:
            runs[name] = np.asarray(value, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            fail(f"{name} should be the array returned by distances, got {type(value).__name__}")
    explicit, implicit = runs["big_explicit"], runs["big_implicit"]
    blew_up = {name: run.size < 4001 or run[-1] > 1e8 for name, run in runs.items()}
    if blew_up["big_implicit"] and not blew_up["big_explicit"]:
        fail("big_implicit blew up and big_explicit did not: did you swap the two steps?")
    if not blew_up["big_explicit"]:
        fail(
            f"big_explicit ends at distance {explicit[-1]:.3g} without blowing up: run "
            "distances(explicit_step, lambda t: 100.0)"
        )
    if blew_up["big_implicit"] or not np.isfinite(implicit).all():
        fail(
            "big_implicit should run all 20 epochs (4001 distances) and stay finite: run "
            "distances(implicit_step, lambda t: 100.0)"
        )

    rng = np.random.default_rng(8)
    for _ in range(3):
        theta, x, y = rng.normal(size=3), rng.normal(0, 2, size=3), float(rng.normal())
        new = call(limit_step, theta.copy(), x.copy(), y, name="your limit_step")
        expected = theta + (y - x @ theta) / (x @ x) * x
        where = f"for theta = {np.round(theta, 3)}, x = {np.round(x, 3)}, y = {y:.3f}"
        try:
            prediction = float(x @ np.asarray(new, dtype=float))
        except (TypeError, ValueError):
            prediction = None
        if prediction is not None and not math.isclose(prediction, y, rel_tol=1e-6, abs_tol=1e-9):
            fail(
                f"limit_step does not fit the sample: x · θ_new = {prediction:.4g} but y = "
                f"{y:.4g} {where}; the limit step makes the prediction exact, moving θ along x "
                "by (y − x·θ)/‖x‖²"
            )
        require_close(new, expected, "limit_step(theta, x, y)", where=where)
    return success(
        "explicit SGD blows up at η = 100, implicit SGD does not: its step tends to the smallest "
        "move that fits the sample exactly"
    )
