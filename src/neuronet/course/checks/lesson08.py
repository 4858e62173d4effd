r"""Checks for the exercises of lesson 08, optimizers.

The expected iterates come from the update rules themselves, written out here in NumPy, and from
:mod:`neuronet.optimizers`: Nesterov's look-ahead form is checked against
:class:`~neuronet.optimizers.Nesterov`, which uses the rewritten form of Sutskever et al.
(2013), and Adam against :class:`~neuronet.optimizers.Adam`. The RMSProp learning rate is judged
by running :class:`~neuronet.optimizers.RMSProp` on the ``bowl``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from neuronet.course.checks._report import (
    Feedback,
    as_float_array,
    call,
    exercise_check,
    fail,
    hint,
    require_close,
    success,
)
from neuronet.landscapes import bowl, descend
from neuronet.optimizers import Adam, Nesterov, RMSProp

__all__ = ["check_adam_step", "check_nesterov_step", "check_rmsprop_lr"]


def _quadratic(scales: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """The gradient of :math:`\\frac12 \\sum_i s_i \\theta_i^2`, which is :math:`s \\theta`."""
    return lambda theta: scales * np.asarray(theta, dtype=float)


def _parts(result: Any, names: tuple[str, ...], function: str) -> tuple[Any, ...]:
    """Unpack the learner's returned tuple, or stop with a hint naming what is expected."""
    expected = "(" + ", ".join(names) + ")"
    if not isinstance(result, tuple | list) or len(result) != len(names):
        kind = f"a {type(result).__name__}"
        if isinstance(result, tuple | list):
            kind += f" of length {len(result)}"
        fail(f"{function} should return the tuple {expected}, got {kind}")
    return tuple(result)


def _array(value: Any, name: str, shape: tuple[int, ...], where: str) -> np.ndarray:
    """The learner's array as float64, or a hint (not numbers, wrong shape)."""
    array = as_float_array(value, f"{name} {where}")
    if array.shape != shape:
        fail(f"{name} {where} has shape {array.shape} but should have shape {shape}")
    return array


# --- Nesterov ---------------------------------------------------------------------------------

# Two problems: the elongated bowl from its start, and a three-parameter quadratic with very
# different curvatures, at two settings of (lr, momentum).
_NESTEROV_CASES = (
    (np.array([1.0, 10.0]), np.array([-2.5, 1.5]), 0.05, 0.9),
    (np.array([0.5, 4.0, 20.0]), np.array([1.0, -2.0, 0.5]), 0.02, 0.6),
)
_NESTEROV_STEPS = 8


def _look_ahead_path(
    grad: Callable[[np.ndarray], np.ndarray], theta0: np.ndarray, lr: float, mu: float, steps: int
) -> np.ndarray:
    """Nesterov's rule as stated in the lesson, in NumPy: the gradient at theta + mu v."""
    theta, v = theta0.copy(), np.zeros_like(theta0)
    path = [theta.copy()]
    for _ in range(steps):
        v = mu * v - lr * grad(theta + mu * v)
        theta = theta + v
        path.append(theta.copy())
    return np.array(path)


def _classical_path(
    grad: Callable[[np.ndarray], np.ndarray], theta0: np.ndarray, lr: float, mu: float, steps: int
) -> np.ndarray:
    """Classical momentum in NumPy: the gradient at theta itself."""
    theta, v = theta0.copy(), np.zeros_like(theta0)
    path = [theta.copy()]
    for _ in range(steps):
        v = mu * v - lr * grad(theta)
        theta = theta + v
        path.append(theta.copy())
    return np.array(path)


@exercise_check
def check_nesterov_step(nesterov_step: Callable[..., Any]) -> Feedback:
    r"""Check ``nesterov_step(theta, v, grad, lr, mu) -> (theta, v)``.

    One step of Nesterov momentum in the look-ahead form: with the gradient function ``grad``,
    :math:`v \leftarrow \mu v - \eta \nabla C(\theta + \mu v)` and
    :math:`\theta \leftarrow \theta + v`. The check runs 8 steps from :math:`v = 0` on two
    quadratics and compares every :math:`\theta` with the rule written out here; any sign
    convention for :math:`v` is accepted, since only :math:`\theta` is compared. It then
    confirms that the look-ahead points :math:`\theta_t + \mu(\theta_t - \theta_{t-1})` are the
    iterates of :class:`neuronet.optimizers.Nesterov`.

    Parameters
    ----------
    nesterov_step : callable
        The learner's function.

    Returns
    -------
    Feedback
        Correct, or a hint (gradient taken at :math:`\theta`, which is classical momentum; a
        first step that does not move or goes uphill; the first step that differs).
    """
    for scales, theta0, lr, mu in _NESTEROV_CASES:
        grad = _quadratic(scales)
        expected = _look_ahead_path(grad, theta0, lr, mu, _NESTEROV_STEPS)
        classical = _classical_path(grad, theta0, lr, mu, _NESTEROV_STEPS)
        shape = theta0.shape
        theta, v = theta0.copy(), np.zeros_like(theta0)
        got = [theta0.copy()]
        settings = f"(η = {lr}, μ = {mu})"
        for k in range(1, _NESTEROV_STEPS + 1):
            where = f"after step {k} {settings}"
            with np.errstate(all="ignore"):
                result = call(
                    nesterov_step, theta.copy(), v.copy(), grad, lr, mu, name="your nesterov_step"
                )
            new_theta, new_v = _parts(result, ("theta", "v"), "nesterov_step")
            theta = _array(new_theta, "theta", shape, where)
            v = _array(new_v, "v", shape, where)
            got.append(theta.copy())
            if k == 1 and np.array_equal(theta, theta0):
                fail(
                    f"your first step did not move θ {settings}: compute the new velocity "
                    "v ← μv − η∇C(θ + μv) first, then add it to θ"
                )
            if k == 1 and np.allclose(theta, theta0 + lr * grad(theta0), rtol=1e-9):
                fail(
                    "your first step goes uphill: the velocity must point against the "
                    "gradient, v ← μv − η∇C(θ + μv)"
                )
            if not np.allclose(theta, expected[k], rtol=1e-9, atol=1e-12):
                if np.allclose(theta, classical[k], rtol=1e-9, atol=1e-12):
                    fail(
                        f"θ {where} is that of classical momentum: you took the gradient at θ. "
                        "Nesterov takes it at the look-ahead point θ + μv, where the velocity "
                        "is about to carry the parameters"
                    )
                require_close(theta, expected[k], "θ", rtol=1e-9, atol=1e-12, where=where)
        # The look-ahead points theta_t + mu v_t, with v_t = theta_t - theta_{t-1}, are what
        # neuronet's Nesterov stores as its parameters (the form of Sutskever et al. 2013).
        path = np.array(got)
        look_ahead = path[1:] + mu * (path[1:] - path[:-1])
        phi, optimizer = theta0.copy(), Nesterov(lr, mu)
        for k in range(_NESTEROV_STEPS):
            optimizer.step([phi], [grad(phi)])
            require_close(
                look_ahead[k],
                phi,
                "the look-ahead point θ + μv",
                rtol=1e-9,
                atol=1e-12,
                where=f"after step {k + 1} {settings}",
            )
    return success(
        "your θ follows Nesterov's rule, and your look-ahead points θ + μv are exactly the "
        "iterates of neuronet's Nesterov"
    )


# --- Adam -------------------------------------------------------------------------------------

# Gradients of very different sizes on the three coordinates: the first step must still move
# each of them by about lr.
_ADAM_SCALES = np.array([1e-3, 1.0, 1e3])
_ADAM_START = np.array([1.0, -2.0, 1.0])
_ADAM_SETTINGS = {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
_ADAM_STEPS = 6


def _first_step_hint(ratio: float, lr: float, beta1: float, beta2: float) -> str | None:
    """Name the missing bias correction from the length of the first step in units of lr."""
    m_only = 1 - beta1  # m not corrected, v corrected: m = (1 - b1) g, v_hat = g^2
    v_only = 1 / math.sqrt(1 - beta2)  # v not corrected
    neither = m_only * v_only
    moved = f"yours moved them by about {ratio:.3g} lr"
    if math.isclose(ratio, m_only, rel_tol=1e-3):
        return (
            "your m̂ is missing the bias correction m̂ = m / (1 − β1^t): on the first step m̂ "
            f"should equal the gradient, so the first step should move each parameter by about "
            f"lr = {lr}; {moved}"
        )
    if math.isclose(ratio, v_only, rel_tol=1e-3):
        return (
            "your v̂ is missing the bias correction v̂ = v / (1 − β2^t): on the first step v̂ "
            f"should equal g², so the first step should move each parameter by about lr = {lr}; "
            f"{moved}"
        )
    if math.isclose(ratio, neither, rel_tol=1e-3):
        return (
            "neither m nor v is bias-corrected: divide them by 1 − β1^t and 1 − β2^t. Then the "
            f"first step moves each parameter by about lr = {lr}, whatever the size of its "
            f"gradient; {moved} ((1 − β1)/√(1 − β2) = {neither:.3g})"
        )
    return None


def _call_adam_step(
    adam_step: Callable[..., Any],
    theta: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    g: np.ndarray,
    t: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The learner's ``(theta, m, v)`` after step ``t``, as arrays of the right shape, or a hint."""
    s = _ADAM_SETTINGS
    with np.errstate(all="ignore"):
        result = call(
            adam_step,
            theta.copy(),
            m.copy(),
            v.copy(),
            g.copy(),
            t,
            s["lr"],
            s["beta1"],
            s["beta2"],
            s["eps"],
            name="your adam_step",
        )
    names = ("theta", "m", "v")
    parts = _parts(result, names, "adam_step")
    where = f"after step t = {t}"
    new_theta, new_m, new_v = (
        _array(part, name, theta.shape, where) for part, name in zip(parts, names, strict=True)
    )
    return new_theta, new_m, new_v


def _check_first_adam_step(new_theta: np.ndarray, theta: np.ndarray) -> None:
    """Stop with a hint when the first step is not finite, or when its length (the same for
    every coordinate) is that of a missing bias correction."""
    s = _ADAM_SETTINGS
    if not np.isfinite(new_theta).all():
        fail(
            "your first step is not finite: with t = 1 the corrections divide by "
            "1 − β1 and 1 − β2. Is your t counted from 0? The check passes t = 1 on "
            "the first step"
        )
    ratios = np.abs(new_theta - theta) / s["lr"]
    if np.allclose(ratios, ratios.mean(), rtol=1e-3):
        message = _first_step_hint(float(ratios.mean()), s["lr"], s["beta1"], s["beta2"])
        if message is not None:
            fail(message)


def _check_adam_theta(
    new_theta: np.ndarray,
    theta: np.ndarray,
    reference: np.ndarray,
    moments: tuple[np.ndarray, np.ndarray],
    t: int,
) -> None:
    """Compare θ after step ``t`` with neuronet's Adam (whose raw moments are ``moments``),
    naming ε put inside the square root."""
    if np.allclose(new_theta, reference, rtol=1e-9, atol=1e-12):
        return
    s = _ADAM_SETTINGS
    where = f"after step t = {t}"
    m_hat = moments[0] / (1 - s["beta1"] ** t)
    v_hat = moments[1] / (1 - s["beta2"] ** t)
    inside = theta - s["lr"] * m_hat / np.sqrt(v_hat + s["eps"])
    if np.allclose(new_theta, inside, rtol=1e-9, atol=1e-12):
        fail(
            f"θ {where} is off because ε is inside the square root: Algorithm 1 of "
            "Kingma & Ba adds it after, θ ← θ − η m̂ / (√v̂ + ε). Inside, it changes "
            "the step of the coordinate with the smallest gradient (here 1e-3)"
        )
    require_close(new_theta, reference, "θ", rtol=1e-9, atol=1e-12, where=where)


def _check_adam_moments(
    new: tuple[np.ndarray, np.ndarray],
    old: tuple[np.ndarray, np.ndarray],
    g: np.ndarray,
    moments: tuple[np.ndarray, np.ndarray],
    t: int,
) -> None:
    """Compare the learner's new ``(m, v)`` with neuronet's raw ``moments`` after step ``t``,
    naming bias-corrected moments returned and swapped β."""
    beta1, beta2 = _ADAM_SETTINGS["beta1"], _ADAM_SETTINGS["beta2"]
    where = f"after step t = {t}"
    (m, v), (state_m, state_v) = old, moments
    swapped = {"m": beta2 * m + (1 - beta2) * g, "v": beta1 * v + (1 - beta1) * g**2}
    for name, got, raw, corrected in [
        ("m", new[0], state_m, state_m / (1 - beta1**t)),
        ("v", new[1], state_v, state_v / (1 - beta2**t)),
    ]:
        if np.allclose(got, raw, rtol=1e-9, atol=1e-300):
            continue
        if np.allclose(got, corrected, rtol=1e-9, atol=1e-300):
            fail(
                f"you returned the bias-corrected {name}̂ {where}; return the raw "
                f"moving average {name} (the correction is recomputed from t at every "
                "step, never stored)"
            )
        if np.allclose(got, swapped[name], rtol=1e-9, atol=1e-300):
            fail(
                f"{name} {where} was averaged with the other β: the gradient's average "
                f"m uses β1 = {beta1} and the squared gradient's average v uses "
                f"β2 = {beta2}"
            )
        require_close(got, raw, name, rtol=1e-9, atol=1e-300, where=where)


@exercise_check
def check_adam_step(adam_step: Callable[..., Any]) -> Feedback:
    r"""Check ``adam_step(theta, m, v, grad, t, lr, beta1, beta2, eps) -> (theta, m, v)``.

    One step of Adam (Kingma & Ba 2015, Algorithm 1) from the gradient ``grad`` at step
    ``t`` (counted from 1), returning the new parameters and the new, uncorrected moments. The
    check runs 6 steps on :math:`\frac12\sum_i s_i\theta_i^2` with
    :math:`s = (10^{-3}, 1, 10^3)`, so that the gradients differ by six orders of magnitude,
    and compares :math:`\theta`, :math:`m` and :math:`v` with
    :class:`neuronet.optimizers.Adam` after every step.

    Parameters
    ----------
    adam_step : callable
        The learner's function.

    Returns
    -------
    Feedback
        Correct, or a hint: a missing bias correction (read from the length of the first step),
        :math:`t` counted from 0, :math:`\epsilon` inside the square root, corrected moments
        returned instead of the raw ones, :math:`\beta_1` and :math:`\beta_2` swapped, or the
        first value that differs.
    """
    s = _ADAM_SETTINGS
    grad = _quadratic(_ADAM_SCALES)
    reference, optimizer = _ADAM_START.copy(), Adam(s["lr"], s["beta1"], s["beta2"], s["eps"])
    theta = _ADAM_START.copy()
    m, v = np.zeros(theta.shape), np.zeros(theta.shape)
    for t in range(1, _ADAM_STEPS + 1):
        g = grad(theta)
        optimizer.step([reference], [grad(reference)])
        moments = optimizer.moments()[0]
        new_theta, new_m, new_v = _call_adam_step(adam_step, theta, m, v, g, t)
        if t == 1:
            _check_first_adam_step(new_theta, theta)
        _check_adam_theta(new_theta, theta, reference, moments, t)
        _check_adam_moments((new_m, new_v), (m, v), g, moments, t)
        theta, m, v = new_theta, new_m, new_v
    return success(
        "your Adam matches neuronet's for 6 steps; its first step moved each parameter by lr, "
        "although their gradients differ by a factor of a million"
    )


# --- RMSProp learning rate --------------------------------------------------------------------

_RMSPROP_STEPS = 200
_RMSPROP_LAST = 20
_RMSPROP_LEVEL = 0.01


def _rate(value: Any, name: str) -> float:
    """The learner's learning rate as a positive finite float, or a hint."""
    if value is None or value is Ellipsis:
        fail(f"{name} is {value!r}: replace it with your learning rate")
    if isinstance(value, bool | str) or not isinstance(value, int | float | np.number):
        fail(f"{name} should be a number, got {type(value).__name__}")
    rate = float(value)
    if not math.isfinite(rate) or rate <= 0:
        fail(f"{name} is {rate}; a learning rate must be a positive finite number")
    return rate


@exercise_check
def check_rmsprop_lr(rmsprop_lr: Any) -> Feedback:
    r"""Check a learning rate for RMSProp on the ``bowl``.

    RMSProp (:math:`\rho = 0.9`) runs 200 steps from ``bowl.start``; the rate is right when the
    cost stays below 0.01 over the last 20 steps. Too small a rate has not arrived; too large a
    one arrives and then rattles around the minimum, because near it RMSProp's steps stay about
    :math:`\eta` long.

    Parameters
    ----------
    rmsprop_lr : float
        The learner's learning rate.

    Returns
    -------
    Feedback
        Correct, or a hint saying whether the rate is too small or too large and why.
    """
    lr = _rate(rmsprop_lr, "rmsprop_lr")
    path = descend(bowl, bowl.start, RMSProp(lr), _RMSPROP_STEPS)
    costs = bowl.f(path)
    last = costs[-_RMSPROP_LAST:]
    first = _RMSPROP_STEPS - _RMSPROP_LAST + 1
    final_steps = f"steps {first}–{_RMSPROP_STEPS}"
    if last.max() < _RMSPROP_LEVEL:
        return success(
            f"with η = {lr:g}, RMSProp's cost is at most {last.max():.2g} over {final_steps}, "
            "below 0.01"
        )
    below = np.flatnonzero(costs < _RMSPROP_LEVEL)
    if below.size == 0 or below[0] >= first:
        distance = abs(bowl.start[0])
        return hint(
            f"η = {lr:g} is too small: after 200 steps the cost is still {costs[-1]:.3g}. "
            "While the gradient changes slowly, RMSProp moves each coordinate by about η per "
            f"step, and the start is {distance:g} from the minimum along x, so η must be at least "
            f"about {distance:g}/200 = {distance / 200:.3g}, and larger to arrive with time to "
            "spare",
        )
    return hint(
        f"η = {lr:g} is too large: the cost fell below 0.01 at step {below[0]} but was back "
        f"up to {last.max():.3g} over {final_steps}. Near the minimum RMSProp's steps stay about "
        "η long, because it divides the gradient by its own recent size, so the iterates "
        "rattle around the minimum at a distance of the order of η; a smaller η rattles less",
    )
