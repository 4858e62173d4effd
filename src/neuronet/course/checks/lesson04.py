r"""Checks for the exercises of lesson 04, gradient descent.

The expected values come from the closed form of gradient descent on a quadratic
(:math:`\theta_t = (1 - \eta a)^t \theta_0`), from :func:`neuronet.landscapes.descend` on
``wavy`` and from counting parameters layer by layer.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from neuronet.course.checks._report import (
    Feedback,
    as_float_array,
    as_number,
    exercise_check,
    fail,
    hint,
    require_close,
    success,
)
from neuronet.course.explore.lesson04 import quadratic
from neuronet.landscapes import descend, wavy
from neuronet.optimizers import SGD

__all__ = ["check_combinations", "check_stable_limit", "check_valleys"]

SECONDS_PER_YEAR = 365.25 * 24 * 3600


@exercise_check
def check_stable_limit(limit: Any) -> Feedback:
    r"""Check the largest stable learning rate for :math:`C(\theta) = \frac12 \cdot 4\theta^2`.

    Parameters
    ----------
    limit : float
        The rate :math:`\eta` below which gradient descent converges: each step multiplies
        :math:`\theta` by :math:`1 - 4\eta`, which must have absolute value below 1, so the answer
        is :math:`2/a = 0.5`.

    Returns
    -------
    Feedback
        Correct for 0.5; otherwise a hint based on what gradient descent does near the answer.
    """
    a = 4.0
    value = as_number(limit, "limit")
    if math.isclose(value, 2 / a, rel_tol=1e-9):
        return success("gradient descent converges exactly for 0 < η < 2/a = 0.5")
    if math.isclose(value, 1 / a, rel_tol=1e-9):
        fail(
            "limit = 1/a = 0.25 is the rate that lands on the minimum in one step; larger rates "
            "overshoot but still converge as long as |1 − ηa| < 1"
        )
    if math.isclose(value, 2.0, rel_tol=1e-9) or math.isclose(value, 1.0, rel_tol=1e-9):
        fail(
            f"limit = {value:g} is 2/a for a = {2 / value:g}; here C = ½ · 4 θ², so a = 4 "
            "(C'(θ) = 4θ)"
        )
    if value <= 0:
        fail(f"limit = {value:g}: a learning rate must be positive")
    if value < 2 / a:
        eta = value + (2 / a - value) / 2  # a larger rate that still converges
        path = descend(quadratic(a), 1.0, SGD(eta), 200)[:, 0]
        return hint(
            f"at η = {eta:.4g}, above your limit, gradient descent still converges: |θ| falls "
            f"from 1 to {abs(path[-1]):.2e} in 200 steps (each step multiplies θ by 1 − 4η = "
            f"{1 - eta * a:.4g}), so the limit is larger"
        )
    return hint(
        f"at η = {value:g} gradient descent diverges: each step multiplies |θ| by |1 − 4η| = "
        f"{abs(1 - value * a):.4g} > 1, so the limit is smaller"
    )


def _floats(value: Any, name: str, size: int) -> np.ndarray:
    if value is None or value is Ellipsis:
        fail(f"{name} is {value!r}: compute it in the cell above")
    array = as_float_array(value, name)
    if array.size != size:
        fail(f"{name} should hold {size} numbers, one per run, got shape {array.shape}")
    return array.reshape(-1)


@exercise_check
def check_valleys(starts20: Any, ends20: Any, found_global: Any) -> Feedback:
    """Check 20 runs of gradient descent on ``wavy`` (learning rate 0.05, 300 steps).

    Parameters
    ----------
    starts20 : array_like, shape (20,)
        The starting points, drawn uniformly in [-3.5, 3.5].
    ends20 : array_like, shape (20,)
        Where gradient descent ends from each start.
    found_global : int
        How many runs end at ``wavy.global_minimum``.

    Returns
    -------
    Feedback
        Correct if the starts are in range and the end points and the count match the descents
        recomputed here from the same starts.
    """
    starts = _floats(starts20, "starts20", 20)
    if not np.isfinite(starts).all():
        fail("starts20 contains NaN or infinity")
    if starts.min() >= 0 and starts.max() < 1:
        fail(
            "all your starts lie in [0, 1): rng.uniform() draws from [0, 1) unless you give "
            "it the range, rng.uniform(-3.5, 3.5, size=20)"
        )
    if starts.min() < -3.5 or starts.max() > 3.5:
        fail(f"starts20 goes from {starts.min():.3g} to {starts.max():.3g}, outside [-3.5, 3.5]")
    if np.unique(starts).size < 20:
        fail("starts20 repeats some starts: draw 20 different random starts")
    expected = np.array([descend(wavy, x0, SGD(0.05), 300)[-1, 0] for x0 in starts])
    ends = _floats(ends20, "ends20", 20)
    if np.allclose(ends, starts):
        fail(
            "ends20 equals starts20: descend returns the whole path, starting with x0; its last "
            "point is path[-1, 0]"
        )
    require_close(ends, expected, "ends20", atol=1e-6, where="(η = 0.05, 300 steps from starts20)")
    count = as_number(found_global, "found_global")
    global_minimum = float(wavy.global_minimum[0])
    right = int(np.sum(np.abs(expected - global_minimum) < 1e-3))
    if count != right:
        fail(
            f"found_global is {count:g}, but {right} of your 20 runs end at the global minimum "
            f"x = {global_minimum:.3f} (count the ends within 1e-3 of wavy.global_minimum)"
        )
    return success(
        f"{right} of the 20 runs find the global minimum; the others stop in a local one"
    )


@exercise_check
def check_combinations(sizes: Any, P: Any, digits: Any, log10_years: Any) -> Feedback:
    """Check the parameter count of a network with two hidden layers and the brute-force time.

    Parameters
    ----------
    sizes : list of int
        The layer sizes, inputs first, with two hidden layers (4 numbers).
    P : int
        The number of parameters: :math:`\\sum (n_{in} + 1)\\, n_{out}` over the layers.
    digits : int
        The number of decimal digits of :math:`10^P` (k = 10 values per parameter).
    log10_years : float
        :math:`\\log_{10}` of the years that :math:`10^P` evaluations take at :math:`10^9` per
        second.

    Returns
    -------
    Feedback
        Correct if all three numbers follow from ``sizes``.
    """
    if not isinstance(sizes, list | tuple) or not all(
        isinstance(n, int | np.integer) and n > 0 for n in sizes
    ):
        fail(f"sizes should be a list of positive integers such as [784, 100, 50, 10], got {sizes}")
    if len(sizes) != 4:
        fail(
            f"sizes = {list(sizes)} has {len(sizes) - 2} hidden layer(s); the exercise asks for "
            "two, e.g. [784, 100, 50, 10]"
        )
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    right_P = sum((n_in + 1) * n_out for n_in, n_out in pairs)
    count = as_number(P, "P")
    if count != right_P:
        if count == sum(n_in * n_out for n_in, n_out in pairs):
            fail("P counts the weights but not the biases: each layer has one bias per unit")
        if count == sum(sizes):
            fail("P is the number of units; count the parameters: weights and biases")
        fail(f"P is {count:g}; layer by layer, (n_in + 1) × n_out parameters add up to {right_P}")
    n_digits = as_number(digits, "digits")
    if n_digits != right_P + 1:
        if n_digits == right_P:
            fail(f"10^P is a 1 followed by P zeros: it has P + 1 = {right_P + 1} digits")
        fail(f"digits is {n_digits:g}; 10^{right_P} has {right_P + 1} digits")
    years = as_number(log10_years, "log10_years")
    seconds = right_P - 9  # log10 of 10^P evaluations at 10^9 per second
    right_years = seconds - math.log10(SECONDS_PER_YEAR)
    if abs(years - right_years) > 0.01:
        if abs(years - seconds) < 0.01:
            fail(
                "log10_years is the log10 of the seconds: subtract log10 of the seconds in a "
                "year (about 7.5)"
            )
        if abs(years - right_P) < 0.01:
            fail(
                "log10_years is log10(10^P): divide by 10^9 evaluations per second, then by a year"
            )
        fail(
            f"log10_years is {years:.4g}, expected P − 9 − log10(seconds per year) "
            f"≈ {right_years:.4g}"
        )
    return success(f"P = {right_P}: about 10^{right_years:.0f} years of brute force")
