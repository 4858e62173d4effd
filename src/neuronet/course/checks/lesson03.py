r"""Checks for the exercises of lesson 03, cost functions.

The expected gradients come from :mod:`neuronet.costs` and the expected derivatives from
:class:`neuronet.activations.Sigmoid`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.activations import Sigmoid
from neuronet.costs import CrossEntropy, Exponential
from neuronet.course.checks._report import (
    Feedback,
    call,
    exercise_check,
    fail,
    matches,
    require_close,
    success,
)

__all__ = ["check_ce_gradient", "check_exp_gradient", "check_saturation"]


def _name_mistake(got: Any, expected: np.ndarray, mistakes: dict[str, np.ndarray | None]) -> None:
    """Stop with the hint of the first known mistake that reproduces ``got`` (and is wrong)."""
    if matches(got, expected):
        return
    for explanation, wrong in mistakes.items():
        if wrong is None or matches(wrong, expected):
            continue
        if matches(got, wrong):
            fail(explanation)


@exercise_check
def check_ce_gradient(ce_gradient: Any) -> Feedback:
    r"""Check ``ce_gradient(a, y)``, the gradient of the mean binary cross-entropy.

    Parameters
    ----------
    ce_gradient : callable
        ``ce_gradient(a, y)`` returns :math:`\partial C/\partial a` for 1-D arrays of ``n``
        predictions ``a`` in (0, 1) and targets ``y``, where
        :math:`C = -\frac1n \sum [y \ln a + (1 - y)\ln(1 - a)]`.

    Returns
    -------
    Feedback
        Correct if it equals ``CrossEntropy().gradient`` for 10 and for 7 samples.
    """
    rng = np.random.default_rng(4)
    cases = [
        (rng.uniform(0.05, 0.95, 10), rng.integers(0, 2, 10).astype(float)),
        (rng.uniform(0.05, 0.95, 7), rng.uniform(0.0, 1.0, 7)),
    ]
    for a, y in cases:
        n = len(a)
        where = f"for {n} random predictions"
        got = call(ce_gradient, a.copy(), y.copy(), name="your ce_gradient")
        expected = CrossEntropy().gradient(a, y)
        _name_mistake(
            got,
            expected,
            {
                f"your ce_gradient is n = {n} times too large {where}: C is the mean over the n "
                "samples, so each entry of the gradient has a factor 1/n": expected * n,
                f"your ce_gradient has the wrong sign {where}: the derivative of −y ln a is "
                "−y/a, and of −(1 − y) ln(1 − a) it is +(1 − y)/(1 − a)": -expected,
                f"your ce_gradient returns (a − y)/n {where}: that is ∂C/∂z, after the "
                "multiplication by σ'(z) = a(1 − a); ∂C/∂a itself is (a − y)/(a(1 − a))/n": (a - y)
                / n,
                f"your ce_gradient is missing the factor 1/n and the 1/(a(1 − a)) {where}: "
                "(a − y) is ∂C/∂z for one sample": a - y,
            },
        )
        require_close(got, expected, "ce_gradient(a, y)", where=where)
    return success("∂C/∂a = (a − y) / (a(1 − a)) / n, and σ'(z) = a(1 − a) cancels the denominator")


@exercise_check
def check_saturation(error: Any, dz_quadratic: Any, dz_cross_entropy: Any) -> Feedback:
    r"""Check the error and :math:`\partial C/\partial z` of a sigmoid neuron with target 0.

    Parameters
    ----------
    error, dz_quadratic, dz_cross_entropy : array_like, shape (5,)
        For ``z_values = [0, 2, 4, 8, 16]`` and ``y = 0``: the error :math:`a - y`, then
        :math:`\partial C/\partial z` for the quadratic cost, :math:`(a - y)\sigma'(z)`, and for
        the cross-entropy, :math:`a - y`.

    Returns
    -------
    Feedback
        Correct if all three match the closed forms.
    """
    z = np.array([0.0, 2.0, 4.0, 8.0, 16.0])
    where = "for z = 0, 2, 4, 8, 16"
    sigmoid = Sigmoid()
    a, slope = sigmoid(z), sigmoid.derivative(z)
    for name, value in (
        ("error", error),
        ("dz_quadratic", dz_quadratic),
        ("dz_cross_entropy", dz_cross_entropy),
    ):
        if value is None or value is Ellipsis:
            fail(f"{name} is {value!r}: compute it in the cell above")

    _name_mistake(
        error,
        a,
        {
            "error is negative: it is a − y = σ(z) − 0, the output minus the target": -a,
            "error is σ'(z), the slope; the error is a − y = σ(z) − 0": slope,
        },
    )
    require_close(error, a, "error", atol=1e-12, where=where)
    _name_mistake(
        dz_quadratic,
        a * slope,
        {
            "dz_quadratic equals the error a − y: for the quadratic cost, ∂C/∂z = (a − y) σ'(z)": a,
            "dz_quadratic is σ'(z) alone: multiply it by the error a − y": slope,
            "dz_quadratic is the error times σ(z): σ'(z) is σ(z)(1 − σ(z))": a * a,
        },
    )
    require_close(dz_quadratic, a * slope, "dz_quadratic", atol=1e-12, where=where)
    _name_mistake(
        dz_cross_entropy,
        a,
        {
            "dz_cross_entropy equals the quadratic's: for the cross-entropy the σ'(z) cancels, "
            "so ∂C/∂z = a − y": a * slope,
            "dz_cross_entropy is ∂C/∂a, (a − y)/(a(1 − a)); multiply by σ'(z) = a(1 − a) to get "
            "∂C/∂z": a / (a * (1 - a)),
        },
    )
    require_close(dz_cross_entropy, a, "dz_cross_entropy", atol=1e-12, where=where)
    return success(
        "the error grows towards 1 while the quadratic cost's ∂C/∂z falls towards 0; the "
        "cross-entropy's ∂C/∂z is the error itself"
    )


def _exp_variant(a: np.ndarray, y: np.ndarray, tau: float, **mistake: bool) -> np.ndarray | None:
    """A known wrong version of the exponential cost's gradient (None where it cannot run)."""
    diff = a - y
    if mistake.get("no_keepdims") and diff.shape[0] != diff.shape[1]:
        return None  # the shapes (1, n) and (n, k) do not broadcast: NumPy raises an error
    if mistake.get("whole_batch"):
        sq = np.sum(diff**2)
    elif mistake.get("no_keepdims"):
        sq = np.sum(diff**2, axis=1)[np.newaxis, :]
    else:
        sq = np.sum(diff**2, axis=1, keepdims=True)
    return 2 * diff * np.exp(sq / tau) / len(a)


@exercise_check
def check_exp_gradient(exp_gradient: Any) -> Feedback:
    r"""Check ``exp_gradient(a, y, tau)``, the gradient of the mean exponential cost.

    Parameters
    ----------
    exp_gradient : callable
        ``exp_gradient(a, y, tau)`` returns :math:`\partial C/\partial a` for arrays of shape
        ``(n, k)``, where :math:`C = \frac1n \sum_x \tau \exp(\lVert a - y\rVert^2/\tau)`.

    Returns
    -------
    Feedback
        Correct if it equals ``Exponential(tau).gradient`` for several shapes and values of tau.
    """
    rng = np.random.default_rng(6)
    cases = [((4, 2), 0.5), ((3, 3), 2.0), ((5, 1), 1.0)]
    for shape, tau in cases:
        a, y = rng.uniform(0, 1, size=shape), rng.uniform(0, 1, size=shape)
        n = shape[0]
        where = f"for a, y of shape {shape} and tau = {tau:g}"
        got = call(exp_gradient, a.copy(), y.copy(), tau, name="your exp_gradient")
        expected = Exponential(tau).gradient(a, y)
        mistakes: dict[str, np.ndarray | None] = {
            f"your exp_gradient is n = {n} times too large {where}: the cost is a mean over the "
            "n samples (rows), so the gradient has a factor 1/n": expected * n,
            f"your exp_gradient is half the right value {where}: the derivative of "
            "‖a − y‖² is 2 (a − y)": expected / 2,
            f"your exp_gradient has a factor 1/tau too many {where}: the τ in front of the "
            "exponential cancels the 1/τ from the chain rule": expected / tau,
            f"your exp_gradient is wrong {where}: each sample's exponential uses its own "
            "‖a − y‖², summed over axis 1 only, not over the whole batch": _exp_variant(
                a, y, tau, whole_batch=True
            ),
            f"your exp_gradient is wrong {where}: np.sum(..., axis=1) without keepdims=True "
            "gives shape (n,), which broadcasts each sample's exponential along the wrong "
            "axis": _exp_variant(a, y, tau, no_keepdims=True),
        }
        _name_mistake(got, expected, mistakes)
        require_close(got, expected, "exp_gradient(a, y, tau)", where=where)
    return success("∂C/∂a = 2 (a − y) exp(‖a − y‖²/τ) / n")
