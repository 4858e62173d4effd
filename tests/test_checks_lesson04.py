"""The checks of lesson 04's exercises accept the solutions and name realistic mistakes."""

import math

import numpy as np
import pytest
from exercise_answers import assert_hint

from neuronet.course.checks import check_combinations, check_stable_limit, check_valleys
from neuronet.landscapes import descend, wavy
from neuronet.network import MLP
from neuronet.optimizers import SGD

# ------------------------------------------------------------------------------ exercise 1


def test_stable_limit_accepts_two_over_a():
    assert check_stable_limit(2 / 4.0)
    assert check_stable_limit(np.float64(0.5))


@pytest.mark.parametrize(
    ("limit", "hint"),
    [
        (0.25, "limit = 1/a = 0.25 is the rate that lands on the minimum in one step"),
        (1.0, "limit = 1 is 2/a for a = 2; here C = ½ · 4 θ², so a = 4"),
        (2.0, "limit = 2 is 2/a for a = 1"),
        (
            0.3,
            "at η = 0.4, above your limit, gradient descent still converges: |θ| falls from 1 to "
            f"{0.6**200:.2e} in 200 steps (each step multiplies θ by 1 − 4η = -0.6)",
        ),
        (0.6, "at η = 0.6 gradient descent diverges: each step multiplies |θ| by |1 − 4η| = 1.4"),
        (-0.5, "limit = -0.5: a learning rate must be positive"),
        (None, "limit is None: replace it with your answer"),
        (..., "limit is Ellipsis: replace it with your answer"),
        ({"eta": 0.5}, "limit should be a number, got dict"),
        ([0.5, 0.25], "limit should be one number, got an array of shape (2,)"),
    ],
)
def test_stable_limit_names_the_mistake(limit, hint):
    assert_hint(check_stable_limit(limit), hint)


# ------------------------------------------------------------------------------ exercise 2


def solution(seed=0):
    rng = np.random.default_rng(seed)
    starts20 = rng.uniform(-3.5, 3.5, size=20)
    ends20 = np.array([descend(wavy, x0, SGD(0.05), 300)[-1, 0] for x0 in starts20])
    minima = np.concatenate(wavy.minima)
    which = np.argmin(np.abs(ends20[:, None] - minima[None, :]), axis=1)
    found_global = int(np.isclose(minima[which], wavy.global_minimum[0]).sum())
    return starts20, ends20, found_global


def test_valleys_accepts_the_solution_which_ends_in_minima():
    starts20, ends20, found_global = solution()
    assert check_valleys(starts20, ends20, found_global)
    # the reference ends where the slope of f = x²/10 + sin(3x) vanishes: x/5 + 3 cos(3x) = 0
    assert np.allclose(ends20 / 5 + 3 * np.cos(3 * ends20), 0, atol=1e-6)
    assert 0 < found_global < 20


def test_valleys_names_the_mistake():
    starts20, ends20, found_global = solution()
    short = np.array([descend(wavy, x0, SGD(0.05), 20)[-1, 0] for x0 in starts20])
    cases = [
        (
            (np.random.default_rng(0).uniform(size=20), ends20, found_global),
            "all your starts lie in [0, 1): rng.uniform() draws from [0, 1)",
        ),
        ((starts20 * 2, ends20, found_global), "outside [-3.5, 3.5]"),
        ((np.full(20, 1.0), ends20, found_global), "starts20 repeats some starts"),
        ((starts20[:10], ends20, found_global), "starts20 should hold 20 numbers, one per run"),
        (
            (starts20, starts20, found_global),
            "ends20 equals starts20: descend returns the whole path",
        ),
        ((starts20, short, found_global), "ends20 (η = 0.05, 300 steps from starts20) is"),
        ((starts20, ends20, found_global + 1), f"but {found_global} of your 20 runs end at"),
        ((starts20, ends20, None), "found_global is None"),
        ((starts20, None, found_global), "ends20 is None: compute it in the cell above"),
    ]
    for answers, hint in cases:
        assert_hint(check_valleys(*answers), hint)


# ------------------------------------------------------------------------------ exercise 3

SIZES = [784, 100, 50, 10]


def reference(sizes):
    P = sum(p.size for p in MLP(sizes, output="sigmoid", cost="cross_entropy").parameters())
    digits = P + 1  # 10**P is a 1 and P zeros (as len(str(10**9)) == 10 shows for P = 9)
    assert len(str(10**9)) == 9 + 1
    log10_years = P - 9 - math.log10(365.25 * 24 * 3600)
    return P, digits, log10_years


def test_combinations_accepts_the_solution():
    P, digits, log10_years = reference(SIZES)
    assert P == 785 * 100 + 101 * 50 + 51 * 10
    assert check_combinations(SIZES, P, digits, log10_years)
    assert check_combinations([2, 3, 3, 1], *reference([2, 3, 3, 1]))


@pytest.mark.parametrize(
    ("change", "hint"),
    [
        (
            {"P": 784 * 100 + 100 * 50 + 50 * 10},
            "P counts the weights but not the biases",
        ),
        ({"P": 944}, "P is the number of units"),
        ({"digits": 84060}, "10^P is a 1 followed by P zeros: it has P + 1 = 84061 digits"),
        ({"log10_years": 84060 - 9}, "log10_years is the log10 of the seconds"),
        ({"log10_years": 84060}, "log10_years is log10(10^P)"),
        ({"log10_years": 84060 - 9 - 7.0}, "log10_years is 8.404e+04, expected"),
        ({"sizes": [784, 30, 10]}, "sizes = [784, 30, 10] has 1 hidden layer(s)"),
        ({"sizes": [784, 100.0, 50, 10]}, "sizes should be a list of positive integers"),
        ({"P": None}, "P is None: replace it with your answer"),
    ],
)
def test_combinations_names_the_mistake(change, hint):
    P, digits, log10_years = reference(SIZES)
    answers = {"sizes": SIZES, "P": P, "digits": digits, "log10_years": log10_years} | change
    assert P == 84060
    assert_hint(check_combinations(**answers), hint)
