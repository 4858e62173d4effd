r"""Checks for the exercises of lesson 11, feedback networks.

Each check runs the learner's function on small Hopfield networks whose answers are computed
here independently (with :class:`~neuronet.hopfield.Hopfield` or with exact integer sums), and
names the likely mistake when the answer is wrong.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from neuronet.course.checks._report import (
    Feedback,
    as_float_array,
    call,
    exercise_check,
    fail,
    require_close,
    success,
)
from neuronet.hopfield import Hopfield, add_noise, letters

__all__ = ["check_count_fixed_points", "check_energy_change", "check_hebbian_weights"]

# Two patterns of four units: small enough to read, and N = 4 differs from p = 2, so dividing
# by the wrong one shows.
_SMALL = np.array([[1, -1, 1, -1], [1, 1, -1, -1]])


def _letter_patterns() -> np.ndarray:
    return np.array([image.ravel() for image in letters().values()])


def _weights(patterns: np.ndarray) -> np.ndarray:
    net = Hopfield(patterns.shape[1])
    net.store(patterns)
    return net.weights


@exercise_check
def check_hebbian_weights(hebbian_weights: Callable[[np.ndarray], Any]) -> Feedback:
    r"""Check ``hebbian_weights(patterns)``: :math:`W = \frac1N \sum_\mu \xi^\mu (\xi^\mu)^\top`,
    zero diagonal, for patterns of shape ``(p, N)``.
    """
    p, n = _SMALL.shape
    patterns = _SMALL.copy()
    got = call(hebbian_weights, patterns, name="your hebbian_weights")
    if not np.array_equal(patterns, _SMALL):
        fail("your hebbian_weights changed the patterns in place; work on a copy")
    W = as_float_array(got, "W")
    where = f"for {p} patterns of {n} units"
    if W.shape == (p, p):
        fail(
            f"W has shape ({p}, {p}), one row per pattern: patterns @ patterns.T compares "
            f"patterns; the weights connect units, so use patterns.T @ patterns, shape ({n}, {n})"
        )
    if W.shape != (n, n):
        fail(f"W {where} has shape {W.shape} but should have shape (N, N) = ({n}, {n})")
    if np.all(np.isfinite(W)) and not np.allclose(W, W.T):
        i, j = (int(k) for k in np.argwhere(~np.isclose(W, W.T))[0])
        fail(
            f"W is not symmetric: W[{i}, {j}] = {W[i, j]:g} but W[{j}, {i}] = {W[j, i]:g}; "
            "every outer product ξ ξᵀ is symmetric, and so is their sum"
        )
    diagonal = np.diag(W)
    if np.all(np.isfinite(diagonal)) and not np.allclose(diagonal, 0):
        i = int(np.argmax(~np.isclose(diagonal, 0)))
        fail(
            f"the diagonal must be 0 (no unit is connected to itself), but W[{i}, {i}] = "
            f"{W[i, i]:g}; after summing the outer products, np.fill_diagonal(W, 0)"
        )
    expected = _weights(_SMALL)
    if np.allclose(W, expected * n):
        fail(f"W is N = {n} times too large: divide the sum of outer products by N")
    if np.allclose(W, expected * n / p):
        fail(
            f"W looks divided by the number of patterns p = {p}; the Hebbian rule divides by "
            f"the number of units N = {n}"
        )
    if np.allclose(W, _weights(_SMALL[:1])):
        fail("W only holds the first pattern: sum the outer products over all the patterns")
    require_close(W, expected, "W", where=where)
    four = _letter_patterns()
    W_letters = call(hebbian_weights, four.copy(), name="your hebbian_weights")
    require_close(W_letters, _weights(four), "W", where="for the four letters (4 x 100)")
    return success("W is symmetric, has a zero diagonal and equals (1/N) Σ ξ ξᵀ")


def _energy(W: np.ndarray, s: np.ndarray) -> float:
    return -0.5 * float(s @ W @ s)


@exercise_check
def check_energy_change(energy_change: Callable[[np.ndarray, np.ndarray, int], Any]) -> Feedback:
    r"""Check ``energy_change(W, s, i)``: the change of :math:`E = -\frac12 s^\top W s` when unit
    ``i`` flips, :math:`\Delta E = 2 s_i h_i`.
    """
    four = _letter_patterns()
    cases = [
        ("the letters' network and a noisy T", _weights(four), add_noise(four[0], 0.2, seed=1)),
    ]
    rng = np.random.default_rng(11)
    A = rng.normal(size=(6, 6))
    W_random = A + A.T
    np.fill_diagonal(W_random, 0)
    cases.append(("a random symmetric W of 6 units", W_random, rng.choice([-1, 1], size=6)))
    for label, W, s in cases:
        for i in range(len(s)):
            W_in, s_in = W.copy(), s.copy()
            got = call(energy_change, W_in, s_in, i, name="your energy_change")
            if not (np.array_equal(W_in, W) and np.array_equal(s_in, s)):
                fail("your energy_change changed W or s in place; flip a copy of s (or none)")
            flipped = s.copy()
            flipped[i] = -flipped[i]
            expected = _energy(W, flipped) - _energy(W, s)
            value = as_float_array(got, "ΔE")
            where = f"for unit i = {i} of {label}"
            if value.shape != ():
                fail(f"ΔE {where} has shape {value.shape}; return one number")
            if not np.isfinite(value):
                fail(f"ΔE {where} is {float(value)}")
            value = float(value)
            if np.isclose(value, expected, rtol=1e-9, atol=1e-9):
                continue
            if np.isclose(value, -expected, rtol=1e-9, atol=1e-9):
                fail(
                    f"ΔE {where} has the wrong sign ({value:.4g}, expected {expected:.4g}): "
                    "flipping a unit that agrees with its field (s_i h_i > 0) raises the energy"
                )
            if np.isclose(value, expected / 2, rtol=1e-9, atol=1e-9):
                fail(
                    f"ΔE {where} is half the right value ({value:.4g}, expected "
                    f"{expected:.4g}): a flip changes s_i by Δs_i = -2 s_i, so ΔE = 2 s_i h_i"
                )
            if np.isclose(value, _energy(W, flipped), rtol=1e-9, atol=1e-9):
                fail(
                    f"ΔE {where} is the energy after the flip ({value:.4g}); return the change, "
                    f"E(after) - E(before) = {expected:.4g}"
                )
            fail(f"ΔE {where} is {value:.6g}, expected {expected:.6g}")
    return success("ΔE = 2 s_i h_i for every unit, without recomputing the whole energy")


def _fixed_point_counts(W: np.ndarray, states: np.ndarray) -> dict[str, int]:
    """The right count and the counts of two classic mistakes, from exact integer fields."""
    n = W.shape[0]
    fields = states @ np.rint(W * n).astype(np.int64).T  # n h, exact for these weights
    agrees = np.sign(fields) == states
    tie = fields == 0
    return {
        "right": int(np.all(agrees | tie, axis=1).sum()),
        "ties unstable": int(np.all(agrees, axis=1).sum()),
        "any unit": int(np.any(agrees | tie, axis=1).sum()),
    }


@exercise_check
def check_count_fixed_points(
    count_fixed_points: Callable[[np.ndarray, np.ndarray], Any],
) -> Feedback:
    """Check ``count_fixed_points(W, states)``: how many rows of ``states`` no update changes."""
    all_states = np.array(list(itertools.product([-1, 1], repeat=8)))
    three = np.array(
        [
            [1, 1, 1, 1, -1, -1, -1, -1],
            [1, 1, -1, -1, 1, 1, -1, -1],
            [1, -1, 1, -1, 1, -1, 1, -1],
        ]
    )
    close_pair = np.array([[1, 1, 1, 1, -1, -1, -1, -1], [1, 1, 1, -1, -1, -1, -1, -1]])
    four = _letter_patterns()
    letter_states = np.concatenate(
        [four, -four, [add_noise(x, 0.15, seed=k) for k, x in enumerate(four)]]
    )
    every = "all 256 states of 8 units storing"
    cases = [
        (f"{every} 3 orthogonal patterns", _weights(three), all_states),
        (f"{every} 2 patterns that differ in one unit", _weights(close_pair), all_states),
        ("the 4 letters, their negations and 4 noisy letters", _weights(four), letter_states),
    ]
    for label, W, states in cases:
        W_in, states_in = W.copy(), states.copy()
        got = call(count_fixed_points, W_in, states_in, name="your count_fixed_points")
        if not (np.array_equal(W_in, W) and np.array_equal(states_in, states)):
            fail("your count_fixed_points changed W or the states in place")
        value = as_float_array(got, "the count")
        if value.shape != ():
            fail(
                f"your count_fixed_points returned an array of shape {value.shape} for {label}; "
                "return one number, e.g. int(np.sum(is_fixed))"
            )
        counts = _fixed_point_counts(W, states)
        if value == counts["right"]:
            continue
        if value == counts["ties unstable"]:
            fail(
                f"you count {int(value)} fixed points among {label}, expected "
                f"{counts['right']}: a unit whose field is exactly 0 keeps its value, so it "
                "does not stop a state from being fixed (np.sign(0) is 0, not ±1)"
            )
        if value == counts["any unit"]:
            fail(
                f"you count {int(value)} fixed points among {label}, expected "
                f"{counts['right']}: a state is fixed only if every unit agrees with its field "
                "(np.all over the units, not np.any)"
            )
        fail(f"you count {value:g} fixed points among {label}, expected {counts['right']}")
    return success("every count is right, ties included")
