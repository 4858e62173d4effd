r"""Cost functions: one number that says how far the network's outputs are from the targets.

Following Nielsen, a cost must be an average over training samples of per-sample costs,

.. math:: C = \frac{1}{n} \sum_x C_x,

and each :math:`C_x` may depend on the network only through its output activations
:math:`a = a^L(x)`. Backpropagation then starts from :math:`\partial C / \partial a`, which is
what :meth:`Cost.gradient` returns.

Conventions shared by every cost here:

- ``y_pred`` (the outputs :math:`a`) and ``y_true`` (the targets :math:`y`) have the same shape.
  The first axis indexes samples and :math:`n` is its length; the other axes are output units
  and are summed over. A 1-D array is :math:`n` samples of one output, a 0-d array one sample.
- ``cost(y_pred, y_true)`` returns a Python float; ``gradient`` returns an array of the shape
  and dtype of ``y_pred`` that includes the factor :math:`1/n`.
- Costs with logarithms, square roots or divisions evaluate themselves at a *clipped*
  prediction, :math:`\tilde a = \min(\max(a, \epsilon), 1 - \epsilon)` for the cross-entropies
  (the upper bound only where :math:`\ln(1-a)` appears) and :math:`\tilde a = \max(a, \epsilon)`
  for the divergences, with :math:`\epsilon = 10^{-12}` in float64 and :math:`10^{-7}` in float32.
  Predictions of exactly 0 or 1 thus give finite values and gradients and no warnings. The
  gradient is the exact derivative of the clipped cost, so it is zero where clipping is
  active: there the clipped cost is flat. That is acceptable because the true cost and
  gradient are infinite there (no finite answer is right), it only concerns predictions
  within :math:`\epsilon` of the boundary, i.e. saturated output units, and a network that
  pairs a sigmoid or softmax output with a cross-entropy can use the combined delta
  :math:`a - y`, which never goes through this gradient.
- Inputs with NaN or infinite entries, or outside a cost's domain, raise a ValueError that
  names the problem.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from neuronet.validation import as_finite_array, check_positive, check_same_shape, lookup

__all__ = [
    "COSTS",
    "CategoricalCrossEntropy",
    "Cost",
    "CrossEntropy",
    "Exponential",
    "GeneralizedKL",
    "Hellinger",
    "ItakuraSaito",
    "KLDivergence",
    "Quadratic",
    "get_cost",
]


def _clip_eps(a: np.ndarray) -> np.floating:
    """The clipping constant in the dtype of ``a``: 1e-12 for float64 or wider, 1e-7 for float32."""
    return a.dtype.type(1e-12 if np.finfo(a.dtype).eps < 1e-10 else 1e-7)


def _check_min(x: np.ndarray, name: str, cost: str, low: float, strict: bool, why: str) -> None:
    """Raise a ValueError naming the smallest entry of ``x`` if it is below ``low``."""
    smallest = float(x.min())
    if smallest < low or (strict and smallest == low):
        sign = ">" if strict else ">="
        raise ValueError(f"{cost} needs {name} {sign} {low:g} ({why}), got a value of {smallest!r}")


def _check_unit_interval(x: np.ndarray, name: str, cost: str, why: str) -> None:
    """Raise a ValueError naming the offending entry if ``x`` leaves :math:`[0, 1]`."""
    smallest, largest = float(x.min()), float(x.max())
    if smallest < 0 or largest > 1:
        bad = smallest if smallest < 0 else largest
        raise ValueError(f"{cost} needs {name} in [0, 1] ({why}), got a value of {bad!r}")


class Cost:
    """Base class of the cost functions.

    Subclasses implement ``_total`` (the sum of the per-sample costs, before dividing by
    :math:`n`) and ``_gradient`` (its derivative with respect to ``y_pred``), and may override
    ``_check`` to validate their domain. Arrays reaching them are finite, have the same shape and
    share a floating dtype of at least float32 precision.
    """

    name: str = ""
    """The registry name, e.g. ``"cross_entropy"``."""

    def __call__(self, y_pred: Any, y_true: Any) -> float:
        """Return the cost, summed over output units and averaged over samples.

        Parameters
        ----------
        y_pred : array_like
            The network's outputs :math:`a`, shape ``(n, ...)``, ``(n,)`` or ``()``.
        y_true : array_like
            The targets :math:`y`, same shape.

        Returns
        -------
        float

        Raises
        ------
        ValueError
            If the shapes differ, an input is empty or not finite, or outside the domain of
            the cost.
        """
        a, y, _ = self._prepare(y_pred, y_true)
        return float(self._total(a, y)) / _n_samples(a)

    def gradient(self, y_pred: Any, y_true: Any) -> np.ndarray:
        r"""Return :math:`\partial C / \partial a`, including the factor :math:`1/n`.

        Parameters
        ----------
        y_pred, y_true : array_like
            As for calling the cost.

        Returns
        -------
        numpy.ndarray
            Same shape and dtype as ``y_pred`` (float64 if ``y_pred`` holds integers).

        Raises
        ------
        ValueError
            As for calling the cost.
        """
        a, y, out_dtype = self._prepare(y_pred, y_true)
        grad = self._gradient(a, y) / _n_samples(a)
        return grad.astype(out_dtype, copy=False)

    def _prepare(self, y_pred: Any, y_true: Any) -> tuple[np.ndarray, np.ndarray, np.dtype]:
        a = as_finite_array(y_pred, "y_pred")
        y = as_finite_array(y_true, "y_true")
        check_same_shape(a, y, "y_pred", "y_true")
        if a.size == 0:
            raise ValueError(f"y_pred and y_true are empty (shape {a.shape}); the cost needs data")
        out_dtype = a.dtype if a.dtype.kind == "f" else np.dtype(np.float64)
        work = np.promote_types(out_dtype, np.float32)
        a, y = a.astype(work, copy=False), y.astype(work, copy=False)
        self._check(a, y)
        return a, y, out_dtype

    def _check(self, a: np.ndarray, y: np.ndarray) -> None:
        """Validate the domain; by default every finite value is allowed."""

    def _total(self, a: np.ndarray, y: np.ndarray) -> float:
        raise NotImplementedError

    def _gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _n_samples(a: np.ndarray) -> int:
    return a.shape[0] if a.ndim else 1


def _sum(terms: np.ndarray) -> float:
    return float(np.sum(terms, dtype=np.float64))


class Quadratic(Cost):
    r"""The quadratic cost (mean squared error, up to a factor 1/2), for regression.

    .. math::

        C = \frac{1}{n} \sum_x \tfrac{1}{2} \lVert a - y \rVert^2, \qquad
        \frac{\partial C_x}{\partial a} = a - y.

    Domain: any real outputs and targets. It is the negative log-likelihood of Gaussian noise;
    with sigmoid outputs its gradient carries a factor :math:`\sigma'(z)` that makes saturated
    neurons learn slowly, which is Nielsen's motivation for the cross-entropy.
    """

    name = "quadratic"

    def _total(self, a: np.ndarray, y: np.ndarray) -> float:
        d = a - y
        return 0.5 * _sum(d * d)

    def _gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        return a - y


class CrossEntropy(Cost):
    r"""The binary cross-entropy (Bernoulli negative log-likelihood), for sigmoid outputs.

    .. math::

        C = -\frac{1}{n} \sum_x \sum_j \big[y_j \ln a_j + (1 - y_j) \ln(1 - a_j)\big], \qquad
        \frac{\partial C_x}{\partial a_j} = \frac{a_j - y_j}{a_j (1 - a_j)}.

    With a sigmoid output the :math:`a(1-a) = \sigma'(z)` cancels and the delta is
    :math:`a - y`: the larger the error, the faster the neuron learns.

    Domain: ``y_pred`` and ``y_true`` in :math:`[0, 1]` (each output unit is an independent
    probability; targets may be soft labels). Predictions are clipped into
    :math:`[\epsilon, 1 - \epsilon]` (see the module notes), so the cost of one unit is at most
    :math:`-\ln \epsilon \approx 27.6` in float64.
    """

    name = "cross_entropy"

    def _check(self, a: np.ndarray, y: np.ndarray) -> None:
        _check_unit_interval(y, "y_true", self.name, "targets are probabilities")
        _check_unit_interval(a, "y_pred", self.name, "predictions are probabilities; logits?")

    def _total(self, a: np.ndarray, y: np.ndarray) -> float:
        eps = _clip_eps(a)
        a = np.clip(a, eps, 1 - eps)
        return -_sum(y * np.log(a) + (1 - y) * np.log1p(-a))

    def _gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        inside = (a >= eps) & (a <= 1 - eps)
        a = np.clip(a, eps, 1 - eps)
        return np.where(inside, (a - y) / (a * (1 - a)), 0)


class CategoricalCrossEntropy(Cost):
    r"""The categorical cross-entropy (multinomial negative log-likelihood), for softmax outputs.

    .. math::

        C = -\frac{1}{n} \sum_x \sum_j y_j \ln a_j, \qquad
        \frac{\partial C_x}{\partial a_j} = -\frac{y_j}{a_j}.

    With a softmax output whose targets sum to 1 the delta is :math:`a - y`. It equals the
    :class:`KLDivergence` plus the entropy of the targets, which does not depend on the
    network, so the two share their gradient.

    Domain: ``y_pred`` and ``y_true`` in :math:`[0, 1]`; each row of ``y_true`` should be one-hot
    or a probability distribution (not checked). Predictions are clipped below at
    :math:`\epsilon` (see the module notes).
    """

    name = "categorical_cross_entropy"

    def _check(self, a: np.ndarray, y: np.ndarray) -> None:
        _check_unit_interval(y, "y_true", self.name, "targets are one-hot rows or probabilities")
        _check_unit_interval(a, "y_pred", self.name, "predictions are probabilities; logits?")

    def _total(self, a: np.ndarray, y: np.ndarray) -> float:
        return -_sum(y * np.log(np.maximum(a, _clip_eps(a))))

    def _gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        return np.where(a >= eps, -y / np.maximum(a, eps), 0)


class Exponential(Cost):
    r"""The exponential cost, which punishes large errors exponentially.

    .. math::

        C_x = \tau \exp\!\Big(\frac{\lVert a - y \rVert^2}{\tau}\Big), \qquad
        \frac{\partial C_x}{\partial a} = \frac{2}{\tau} (a - y)\, C_x.

    Its minimum is :math:`\tau` (at :math:`a = y`), not 0. A small :math:`\tau` makes it
    sharper and quickly overflows: an error of norm :math:`e` needs
    :math:`e^2 / \tau \lesssim 709` in float64 (88 in float32).

    Parameters
    ----------
    tau : float, default 1.0
        The temperature; a positive finite number.

    Raises
    ------
    ValueError
        If ``tau`` is not a positive finite number; when evaluated, if the cost or its gradient
        overflows (the message suggests a larger ``tau``).
    """

    name = "exponential"

    def __init__(self, tau: float = 1.0) -> None:
        self.tau = float(check_positive(tau, "tau"))

    def _per_sample(self, a: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
        """Return the errors, their per-sample squared norms and the per-sample costs."""
        d = a - y
        sq = d * d if d.ndim <= 1 else (d * d).reshape(d.shape[0], -1).sum(axis=1)
        with np.errstate(over="ignore"):
            c = self.tau * np.exp(sq / self.tau)
        self._check_finite(c, sq)
        return d, sq, c

    def _check_finite(self, values: np.ndarray, sq: np.ndarray) -> None:
        if not np.isfinite(values).all():
            raise ValueError(
                f"the exponential cost overflowed in {values.dtype}: ||y_pred - y_true||^2 / tau "
                f"reaches {float(sq.max()) / self.tau:.4g} with tau = {self.tau:g}; use a larger "
                "tau or smaller errors"
            )

    def _total(self, a: np.ndarray, y: np.ndarray) -> float:
        _, _, c = self._per_sample(a, y)
        return _sum(c)

    def _gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        d, sq, c = self._per_sample(a, y)
        c = c.reshape(c.shape + (1,) * (d.ndim - 1)) if d.ndim > 1 else c
        with np.errstate(over="ignore"):
            grad = (2 / self.tau) * d * c
        self._check_finite(grad, sq)
        return grad

    def __repr__(self) -> str:
        return f"Exponential(tau={self.tau!r})"


class Hellinger(Cost):
    r"""A Hellinger-distance cost, comparing square roots of non-negative outputs and targets.

    .. math::

        C_x = \frac{1}{\sqrt 2} \sum_j \big(\sqrt{a_j} - \sqrt{y_j}\big)^2, \qquad
        \frac{\partial C_x}{\partial a_j} = \frac{\sqrt{a_j} - \sqrt{y_j}}{\sqrt 2 \sqrt{a_j}}.

    The Hellinger distance itself is
    :math:`H = \tfrac{1}{\sqrt 2} \lVert \sqrt a - \sqrt y \rVert_2`; this cost is
    :math:`\sqrt 2\, H^2`, which has the same minimiser and, unlike :math:`H`, is smooth at
    :math:`a = y`. It is a symmetric divergence, bounded by :math:`\sqrt 2` for probability
    distributions.

    Domain: ``y_pred`` and ``y_true`` non-negative, typically in :math:`[0, 1]` (sigmoid outputs
    or distributions). Predictions are clipped below at :math:`\epsilon`, since the gradient
    blows up as :math:`a \to 0`.
    """

    name = "hellinger"

    def _check(self, a: np.ndarray, y: np.ndarray) -> None:
        _check_min(y, "y_true", self.name, 0, False, "square roots of targets are taken")
        _check_min(a, "y_pred", self.name, 0, False, "square roots of predictions are taken")

    def _total(self, a: np.ndarray, y: np.ndarray) -> float:
        d = np.sqrt(np.maximum(a, _clip_eps(a))) - np.sqrt(y)
        return _sum(d * d) / math.sqrt(2)

    def _gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        ratio = np.sqrt(y / np.maximum(a, eps))
        return np.where(a >= eps, (1 - ratio) / math.sqrt(2), 0)


def _y_log_y_over(y: np.ndarray, a: np.ndarray) -> np.ndarray:
    r"""Return :math:`y \ln(y / a)` with the convention :math:`0 \ln 0 = 0`, for ``a > 0``."""
    return y * np.log(np.where(y > 0, y, 1) / a)


class KLDivergence(Cost):
    r"""The Kullback–Leibler divergence of the predicted distribution from the target one.

    .. math::

        C_x = \sum_j y_j \ln \frac{y_j}{a_j}, \qquad
        \frac{\partial C_x}{\partial a_j} = -\frac{y_j}{a_j},

    with :math:`0 \ln 0 = 0`. Also called relative entropy or information gain: the information
    lost when :math:`a` is used to approximate :math:`y`.

    Domain: non-negative ``y_pred`` and ``y_true`` whose rows are probability distributions
    (e.g. softmax outputs). Only non-negativity is checked; the cost is guaranteed
    :math:`\ge 0` only for distributions, so for unnormalised data use :class:`GeneralizedKL`.
    Predictions are clipped below at :math:`\epsilon`.
    """

    name = "kl_divergence"

    def _check(self, a: np.ndarray, y: np.ndarray) -> None:
        _check_min(y, "y_true", self.name, 0, False, "targets are probabilities")
        _check_min(a, "y_pred", self.name, 0, False, "predictions are probabilities")

    def _total(self, a: np.ndarray, y: np.ndarray) -> float:
        return _sum(_y_log_y_over(y, np.maximum(a, _clip_eps(a))))

    def _gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        return np.where(a >= eps, -y / np.maximum(a, eps), 0)


class GeneralizedKL(Cost):
    r"""The generalized Kullback–Leibler divergence (I-divergence), for non-negative data.

    .. math::

        C_x = \sum_j \Big[y_j \ln \frac{y_j}{a_j} - y_j + a_j\Big], \qquad
        \frac{\partial C_x}{\partial a_j} = 1 - \frac{y_j}{a_j},

    with :math:`0 \ln 0 = 0`. The extra terms make it :math:`\ge 0`, with equality only at
    :math:`a = y`, for any non-negative vectors, not just distributions; it is the cost of
    Lee & Seung's non-negative matrix factorization and the Poisson negative log-likelihood up
    to a constant.

    Domain: ``y_pred`` and ``y_true`` non-negative (need not sum to 1). Predictions are clipped
    below at :math:`\epsilon`.
    """

    name = "generalized_kl"

    def _check(self, a: np.ndarray, y: np.ndarray) -> None:
        _check_min(y, "y_true", self.name, 0, False, "targets are non-negative intensities")
        _check_min(a, "y_pred", self.name, 0, False, "predictions are non-negative intensities")

    def _total(self, a: np.ndarray, y: np.ndarray) -> float:
        a = np.maximum(a, _clip_eps(a))
        return _sum(_y_log_y_over(y, a) - y + a)

    def _gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        return np.where(a >= eps, 1 - y / np.maximum(a, eps), 0)


class ItakuraSaito(Cost):
    r"""The Itakura–Saito divergence, a scale-invariant cost for positive data such as spectra.

    .. math::

        C_x = \sum_j \Big[\frac{y_j}{a_j} - \ln \frac{y_j}{a_j} - 1\Big], \qquad
        \frac{\partial C_x}{\partial a_j} = \frac{a_j - y_j}{a_j^2}.

    It is :math:`\ge 0`, zero only at :math:`a = y`, and depends only on the ratio
    :math:`y / a`, so it weighs errors on small and large values alike (the reason it is used
    for audio power spectra).

    Domain: ``y_true`` strictly positive (a zero target makes :math:`-\ln(y/a)` infinite; add a
    small floor to data that contain zeros) and ``y_pred`` non-negative, clipped below at
    :math:`\epsilon`.
    """

    name = "itakura_saito"

    def _check(self, a: np.ndarray, y: np.ndarray) -> None:
        _check_min(y, "y_true", self.name, 0, True, "ln(y_true / y_pred) must be finite")
        _check_min(a, "y_pred", self.name, 0, False, "predictions are positive intensities")

    def _total(self, a: np.ndarray, y: np.ndarray) -> float:
        r = y / np.maximum(a, _clip_eps(a))
        return _sum(r - np.log(r) - 1)

    def _gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        a_clipped = np.maximum(a, eps)
        return np.where(a >= eps, (1 - y / a_clipped) / a_clipped, 0)


COSTS: dict[str, type[Cost]] = {
    cls.name: cls
    for cls in (
        Quadratic,
        CrossEntropy,
        CategoricalCrossEntropy,
        Exponential,
        Hellinger,
        KLDivergence,
        GeneralizedKL,
        ItakuraSaito,
    )
}


def get_cost(name_or_object: str | type[Cost] | Cost) -> Cost:
    """Return a cost given its name, its class or an instance.

    Parameters
    ----------
    name_or_object : str, Cost subclass or Cost
        A registry name such as ``"cross_entropy"`` (case-insensitive, ``-`` read as ``_``), a
        class such as ``Quadratic`` (instantiated with its defaults) or a configured instance
        such as ``Exponential(tau=2.0)`` (returned as is).

    Returns
    -------
    Cost

    Raises
    ------
    ValueError
        If the name or class is unknown; the message lists the valid names.
    TypeError
        If ``name_or_object`` is none of the above.
    """
    return lookup(COSTS, name_or_object, "cost", expected=Cost)
