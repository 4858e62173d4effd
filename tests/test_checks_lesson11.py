"""The exercise checks of lesson 11: right answers pass, realistic mistakes get their hint."""

import itertools

import numpy as np
import pytest
from exercise_answers import returns_none, unfinished

from neuronet.course.checks import (
    check_count_fixed_points,
    check_energy_change,
    check_hebbian_weights,
)
from neuronet.hopfield import Hopfield, add_noise, letters

# --- reference solutions, as in the lesson ------------------------------------------------------


def hebbian_weights(patterns):
    patterns = np.asarray(patterns)
    W = patterns.T @ patterns / patterns.shape[1]
    np.fill_diagonal(W, 0)
    return W


def energy_change(W, s, i):
    return 2 * s[i] * (W[i] @ s)


def count_fixed_points(W, states):
    fields = states @ W
    agrees = (fields == 0) | (np.sign(fields) == states)
    return int(np.sum(np.all(agrees, axis=1)))


def not_yet(feedback):
    assert not feedback
    return str(feedback).removeprefix("Not yet: ")


# --- the reference solutions are right, by independent means ------------------------------------


def test_reference_solutions_agree_with_the_definitions():
    rng = np.random.default_rng(0)
    patterns = rng.choice([-1, 1], size=(3, 10))
    by_loops = np.zeros((10, 10))
    for x in patterns:
        for i in range(10):
            for j in range(10):
                if i != j:
                    by_loops[i, j] += x[i] * x[j] / 10
    np.testing.assert_allclose(hebbian_weights(patterns), by_loops, atol=1e-15)
    s = rng.choice([-1, 1], size=10)
    for i in range(10):
        flipped = s.copy()
        flipped[i] = -s[i]
        direct = -0.5 * flipped @ by_loops @ flipped + 0.5 * s @ by_loops @ s
        assert energy_change(by_loops, s, i) == pytest.approx(direct, abs=1e-12)
    net = Hopfield(10)
    net.store(patterns)
    states = np.array(list(itertools.product([-1, 1], repeat=10)))
    assert count_fixed_points(net.weights, states) == sum(net.is_fixed_point(x) for x in states)


# --- check_hebbian_weights ----------------------------------------------------------------------


def test_hebbian_check_accepts_the_solution():
    feedback = check_hebbian_weights(hebbian_weights)
    assert feedback
    assert str(feedback) == "Correct: W is symmetric, has a zero diagonal and equals (1/N) Σ ξ ξᵀ"


def keep_diagonal(P):
    return np.asarray(P).T @ np.asarray(P) / np.asarray(P).shape[1]


def no_division(P):
    W = P.T @ P
    np.fill_diagonal(W, 0)
    return W


def divided_by_p(P):
    W = P.T @ P / len(P)
    np.fill_diagonal(W, 0)
    return W


def first_pattern_only(P):
    W = np.outer(P[0], P[0]) / P.shape[1]
    np.fill_diagonal(W, 0)
    return W


def upper_triangle(P):
    return np.triu(hebbian_weights(P))


def in_place(P):
    P *= 1  # harmless, but then the patterns are changed:
    P[0, 0] = -P[0, 0]
    return hebbian_weights(P)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (
            keep_diagonal,
            "the diagonal must be 0 (no unit is connected to itself), but W[0, 0] = 0.5; after "
            "summing the outer products, np.fill_diagonal(W, 0)",
        ),
        (
            lambda P: P @ P.T / P.shape[1],
            "W has shape (2, 2), one row per pattern: patterns @ patterns.T compares patterns; "
            "the weights connect units, so use patterns.T @ patterns, shape (4, 4)",
        ),
        (no_division, "W is N = 4 times too large: divide the sum of outer products by N"),
        (
            divided_by_p,
            "W looks divided by the number of patterns p = 2; the Hebbian rule divides by the "
            "number of units N = 4",
        ),
        (
            first_pattern_only,
            "W only holds the first pattern: sum the outer products over all the patterns",
        ),
        (
            upper_triangle,
            "W is not symmetric: W[0, 3] = -0.5 but W[3, 0] = 0; every outer product ξ ξᵀ is "
            "symmetric, and so is their sum",
        ),
        (in_place, "your hebbian_weights changed the patterns in place; work on a copy"),
        (
            lambda P: np.zeros((3, 3)),
            "W for 2 patterns of 4 units has shape (3, 3) but should have shape (N, N) = (4, 4)",
        ),
        (unfinished, "your hebbian_weights is not written yet (it raises NotImplementedError)"),
        (returns_none, "your hebbian_weights returned None: did you forget a return?"),
    ],
)
def test_hebbian_check_names_each_mistake(answer, hint):
    assert not_yet(check_hebbian_weights(answer)) == hint


def test_hebbian_check_also_tests_the_letters():
    """Right on the small case, wrong on the 100-unit one (a hard-coded N): still rejected."""

    def four_units_only(P):
        W = P.T @ P / 4
        np.fill_diagonal(W, 0)
        return W

    hint = not_yet(check_hebbian_weights(four_units_only))
    assert hint.startswith("W for the four letters (4 x 100) is ")


# --- check_energy_change ------------------------------------------------------------------------


def test_energy_change_check_accepts_the_solution_and_the_slow_way():
    assert check_energy_change(energy_change)

    def twice_the_energy(W, s, i):  # right, just slower
        t = s.copy()
        t[i] = -t[i]
        return -0.5 * t @ W @ t + 0.5 * s @ W @ s

    assert check_energy_change(twice_the_energy)


def flip_in_place(W, s, i):
    change = 2 * s[i] * (W[i] @ s)
    s[i] = -s[i]
    return change


def energy_after(W, s, i):
    t = s.copy()
    t[i] = -t[i]
    return -0.5 * t @ W @ t


WHERE = "for unit i = {i} of the letters' network and a noisy T"


def first_case():
    """The check's first case, rebuilt here: W of the letters and a T with 20 pixels flipped."""
    patterns = np.array([image.ravel() for image in letters().values()])
    W = sum(np.outer(x, x) for x in patterns) / 100.0
    np.fill_diagonal(W, 0)
    s = add_noise(patterns[0], 0.2, seed=1)
    assert np.sum(s != patterns[0]) == 20

    def energy(t):
        return -0.5 * t @ W @ t

    changes, afters = [], []
    for i in range(100):
        t = s.copy()
        t[i] = -t[i]
        changes.append(energy(t) - energy(s))
        afters.append(energy(t))
    return changes, afters


def wrong_energy_answers():
    changes, afters = first_case()
    d0, after0 = changes[0], afters[0]
    # A constant answer is right for unit 0 and fails at the first unit with another change.
    k = next(i for i, d in enumerate(changes) if not np.isclose(d, d0))
    return [
        (
            lambda W, s, i: -2 * s[i] * (W[i] @ s),
            f"ΔE {WHERE.format(i=0)} has the wrong sign ({-d0:.4g}, expected {d0:.4g}): "
            "flipping a unit that agrees with its field (s_i h_i > 0) raises the energy",
        ),
        (
            lambda W, s, i: s[i] * (W[i] @ s),
            f"ΔE {WHERE.format(i=0)} is half the right value ({d0 / 2:.4g}, expected "
            f"{d0:.4g}): a flip changes s_i by Δs_i = -2 s_i, so ΔE = 2 s_i h_i",
        ),
        (
            energy_after,
            f"ΔE {WHERE.format(i=0)} is the energy after the flip ({after0:.4g}); return the "
            f"change, E(after) - E(before) = {d0:.4g}",
        ),
        (lambda W, s, i: W @ s, f"ΔE {WHERE.format(i=0)} has shape (100,); return one number"),
        (flip_in_place, "your energy_change changed W or s in place; flip a copy of s (or none)"),
        (
            lambda W, s, i: d0,
            f"ΔE {WHERE.format(i=k)} is {d0:.6g}, expected {changes[k]:.6g}",
        ),
        (unfinished, "your energy_change is not written yet (it raises NotImplementedError)"),
        (returns_none, "your energy_change returned None: did you forget a return?"),
    ]


@pytest.mark.parametrize("case", range(8))
def test_energy_change_check_names_each_mistake(case):
    answer, hint = wrong_energy_answers()[case]
    assert not_yet(check_energy_change(answer)) == hint


# --- check_count_fixed_points -------------------------------------------------------------------

EVERY = "all 256 states of 8 units storing"


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (
            lambda W, S: int(np.sum(np.all(np.sign(S @ W) == S, axis=1))),
            f"you count 0 fixed points among {EVERY} 2 patterns that differ in one unit, "
            "expected 4: a unit whose field is exactly 0 keeps its value, so it does not stop "
            "a state from being fixed (np.sign(0) is 0, not ±1)",
        ),
        (
            lambda W, S: int(np.sum(np.any(np.sign(S @ W) == S, axis=1))),
            f"you count 238 fixed points among {EVERY} 3 orthogonal patterns, expected 14: a "
            "state is fixed only if every unit agrees with its field (np.all over the units, "
            "not np.any)",
        ),
        (
            lambda W, S: np.all((S @ W == 0) | (np.sign(S @ W) == S), axis=1),
            f"your count_fixed_points returned an array of shape (256,) for {EVERY} 3 "
            "orthogonal patterns; return one number, e.g. int(np.sum(is_fixed))",
        ),
        (
            lambda W, S: len(S),
            f"you count 256 fixed points among {EVERY} 3 orthogonal patterns, expected 14",
        ),
        (unfinished, "your count_fixed_points is not written yet (it raises NotImplementedError)"),
        (returns_none, "your count_fixed_points returned None: did you forget a return?"),
    ],
)
def test_count_check_names_each_mistake(answer, hint):
    assert not_yet(check_count_fixed_points(answer)) == hint


def test_count_check_accepts_the_solution_and_rejects_in_place_changes():
    assert str(check_count_fixed_points(count_fixed_points)) == (
        "Correct: every count is right, ties included"
    )

    def sorts_in_place(W, S):
        S.sort(axis=1)
        return count_fixed_points(W, S)

    assert not_yet(check_count_fixed_points(sorts_in_place)) == (
        "your count_fixed_points changed W or the states in place"
    )


def test_checks_run_fast():
    import time

    for check, answer in [
        (check_hebbian_weights, hebbian_weights),
        (check_energy_change, energy_change),
        (check_count_fixed_points, count_fixed_points),
    ]:
        start = time.perf_counter()
        assert check(answer)
        assert time.perf_counter() - start < 2
