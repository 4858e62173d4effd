r"""Gradient checking: test backpropagation against finite differences.

Backpropagation is easy to get subtly wrong, and a wrong gradient often still lowers the cost a
little, so training "works" and the bug hides. The cure is to compare the gradient it computes
with a numerical estimate from the definition of the derivative, using centered differences:

.. math:: \frac{\partial f}{\partial x_i}
   \approx \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2\epsilon},

whose truncation error is :math:`O(\epsilon^2)` (the one-sided difference's is
:math:`O(\epsilon)`). Rounding works the other way: :math:`f` is only known to about
:math:`10^{-16}|f|` in float64, an error that the division by :math:`2\epsilon` magnifies. The two
balance near :math:`\epsilon \approx 10^{-16/3} \approx 10^{-5}`, where a correct gradient is
typically reproduced to an absolute error of about :math:`10^{-11}`; with
:math:`\epsilon = 10^{-6}` it is about :math:`10^{-10}`. So a correct backward pass gives relative
errors around :math:`10^{-7}` or smaller, except on gradient entries that are themselves tiny, and
a relative error of :math:`10^{-2}` is a bug, not noise. Functions with kinks (ReLU at 0) must be
checked at points farther than :math:`\epsilon` from the kink. In float32 the step is below the
rounding error, so :func:`numerical_gradient` and :func:`gradient_check` refuse anything but
float64.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from neuronet.validation import check_positive

__all__ = ["gradient_check", "numerical_gradient", "relative_error"]


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    r"""Estimate the gradient of a scalar function by centered differences.

    Each entry :math:`x_i` in turn is set to :math:`x_i + \epsilon`, then :math:`x_i - \epsilon`,
    then back to its saved value, so ``x`` is restored bit for bit. The array is perturbed **in
    place**, so ``f`` may ignore its argument and read ``x`` through a closure, as when ``x`` is a
    weight matrix of a network and ``f`` computes the network's loss.

    Parameters
    ----------
    f : callable
        Called as ``f(x)``; returns a scalar.
    x : numpy.ndarray
        The float64 point at which to differentiate; modified during the call and restored.
    eps : float
        The step :math:`\epsilon`.
    """
    if not isinstance(x, np.ndarray):
        raise TypeError(f"x must be a NumPy array (it is perturbed in place), got {type(x)}")
    if x.dtype != np.float64:
        raise ValueError(
            f"numerical gradients need float64, got {x.dtype}: with eps={eps:g} the "
            "perturbation is at or below float32's rounding error (about 1e-7 relative), so "
            "the differences would measure rounding noise"
        )
    check_positive(eps, "eps")
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = float(f(x))
        x[index] = original - eps
        f_minus = float(f(x))
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(analytic: np.ndarray, numerical: np.ndarray) -> float:
    r"""The largest relative error between two gradients, entry by entry.

    .. math:: \max_i \frac{|g_i - \hat g_i|}{\max(|g_i| + |\hat g_i|,\ 10^{-12})},

    the CS231n convention: scale-free, so it means the same for large and small gradients, and
    0 (not 0/0) where both are exactly zero. It lies in [0, 1]; 1 means opposite signs or one of
    them zero.
    """
    analytic = np.asarray(analytic, dtype=np.float64)
    numerical = np.asarray(numerical, dtype=np.float64)
    if analytic.shape != numerical.shape:
        raise ValueError(
            f"analytic gradient has shape {analytic.shape} but numerical has {numerical.shape}"
        )
    if analytic.size == 0:
        return 0.0
    scale = np.maximum(np.abs(analytic) + np.abs(numerical), 1e-12)
    return float(np.max(np.abs(analytic - numerical) / scale))


def gradient_check(model: Any, X: Any, Y: Any, eps: float = 1e-6) -> float:
    r"""The largest relative error between a model's backpropagated and numerical gradients.

    Runs ``model.forward(X)`` and ``model.backward(Y)``, copies ``model.gradients()``, then
    differentiates ``model.loss(X, Y)`` numerically with respect to every entry of every array
    in ``model.parameters()``. Works for an :class:`~neuronet.network.MLP` or any object with
    those five methods. Expect about 1e-7 or less for a correct backward pass.

    Parameters
    ----------
    model : MLP or compatible
        A model in float64.
    X, Y : array_like
        A small batch (every parameter costs two loss evaluations per entry).
    eps : float
        Finite-difference step.
    """
    params = model.parameters()
    for i, p in enumerate(params):
        if p.dtype != np.float64:
            raise ValueError(
                f"gradient checking needs a float64 model, but parameter {i} is {p.dtype}: in "
                "float32 finite differences are dominated by rounding errors (about 1e-7 "
                "relative per operation), so the check could not tell a bug from rounding; "
                "build the model with dtype=np.float64"
            )
    model.forward(X)
    model.backward(Y)
    analytic = [np.array(g, dtype=np.float64) for g in model.gradients()]
    worst = 0.0
    for p, g in zip(params, analytic, strict=True):
        numerical = numerical_gradient(lambda _: model.loss(X, Y), p, eps)
        worst = max(worst, relative_error(g, numerical))
    return worst
