r"""Cost functions: one number that says how far the network's outputs are from the targets.

Following Nielsen, a cost is an average of per-sample costs, :math:`C = \frac{1}{n} \sum_x C_x`,
each depending on the network only through its outputs :math:`a = a^L(x)`; backpropagation
starts from :math:`\partial C / \partial a`, which :meth:`Cost.gradient` returns. The outputs
``y_pred`` (:math:`a`) and targets ``y_true`` (:math:`y`) share one shape: the first axis indexes
the :math:`n` samples, the others are output units, summed over. ``cost(y_pred, y_true)`` returns
a float, ``gradient`` an array shaped like ``y_pred`` that includes the :math:`1/n`. NaN,
infinite or out-of-domain inputs raise a ValueError that names the problem.

Logarithms, roots and divisions see a *clipped* prediction, :math:`\max(a, \epsilon)` (and
:math:`\min(\cdot, 1 - \epsilon)` where :math:`\ln(1-a)` appears), with :math:`\epsilon = 10^{-12}`
in float64 and :math:`10^{-7}` in float32, so that outputs of exactly 0 or 1 give finite values.
The gradient is that of the clipped cost, zero where clipping acts: the true one is infinite
there, and a sigmoid or softmax output with its cross-entropy uses :math:`a - y` instead.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from neuronet.activations import Activation, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from neuronet.validation import (
    check_at_least,
    check_cost_inputs,
    check_positive,
    check_unit_interval,
    checked,
    lookup,
)

__all__ = ["COSTS", "Cost", "get_cost", "CategoricalCrossEntropy", "CrossEntropy", "Quadratic"]
__all__ += ["Exponential", "GeneralizedKL", "Hellinger", "ItakuraSaito", "KLDivergence"]

#: The outputs that any real-valued target can be compared with.
_REAL_OUTPUTS = (Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax)


def _clip_eps(a: np.ndarray) -> np.floating:
    """The clipping constant in the dtype of ``a``: 1e-12 for float64 or wider, 1e-7 for float32."""
    return a.dtype.type(1e-12 if np.finfo(a.dtype).eps < 1e-10 else 1e-7)


class Cost:
    """Base class: a subclass writes ``__call__`` (:math:`C`), :meth:`gradient` and :meth:`check`.

    Called by a user, they check their arrays first; inside a network's training loop they only do
    the maths. A cost also says which outputs it suits and with which its output error is
    :math:`a - y` (:meth:`delta`), so that a network asks the cost, not a table.
    """

    name: str = ""
    """The registry name, e.g. ``"cross_entropy"``."""
    outputs: tuple[type[Activation], ...] = _REAL_OUTPUTS
    """The output activations this cost is meant for."""
    canonical_output: type[Activation] | None = None
    """The output activation whose derivative cancels against this cost's gradient."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for method in ("__call__", "gradient"):
            if method in cls.__dict__:
                setattr(cls, method, checked(check_cost_inputs)(cls.__dict__[method]))

    def __call__(self, y_pred: Any, y_true: Any) -> float:
        """The cost of the outputs ``y_pred`` against the targets ``y_true`` (same shape)."""
        raise NotImplementedError

    def gradient(self, y_pred: Any, y_true: Any) -> np.ndarray:
        r""":math:`\partial C / \partial a`, including the factor :math:`1/n`."""
        raise NotImplementedError

    def check(self, a: np.ndarray, y: np.ndarray) -> None:
        """Refuse inputs outside the cost's domain (by default, none)."""

    def suits(self, output: Activation) -> bool:
        """True if this cost is meant for the output activation ``output``."""
        return isinstance(output, self.outputs)

    def delta(self, output: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        r"""The output error :math:`\delta = \partial C/\partial z`, where :math:`a = \sigma(z)`.

        By the chain rule, the output activation's vector–Jacobian product with
        :math:`\partial C/\partial a`. For the canonical pairs (sigmoid and cross-entropy,
        softmax and categorical cross-entropy, identity and quadratic) it is exactly
        :math:`\delta = (a - y)/n`. For the sigmoid,
        :math:`\partial C/\partial a = \frac{1}{n}\frac{a-y}{a(1-a)}` and
        :math:`\sigma'(z) = a(1-a)` cancel; for softmax with probability-row targets,
        :math:`\frac1n\sum_k (-y_k/a_k)\,a_k(\delta_{kj} - a_j) = \frac1n(a_j - y_j)`. No
        :math:`\sigma'(z)` is left to vanish when a unit saturates (the learning slowdown of the
        quadratic cost).
        """
        if self.canonical_output is not None and isinstance(output, self.canonical_output):
            return (a - y) / _n_samples(a)
        return output.backward(z, self.gradient(a, y))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _n_samples(a: np.ndarray) -> int:
    return a.shape[0] if a.ndim else 1


def _mean(terms: np.ndarray) -> float:
    """Sum the per-unit terms (in float64) and divide by the number of samples."""
    return float(np.sum(terms, dtype=np.float64)) / _n_samples(terms)


class Quadratic(Cost):
    r"""The quadratic cost (half the mean squared error), for regression.

    .. math:: C = \frac{1}{n} \sum_x \tfrac{1}{2} \lVert a - y \rVert^2, \qquad
        \frac{\partial C_x}{\partial a} = a - y.

    The negative log-likelihood of Gaussian noise. With sigmoid outputs the :math:`\sigma'(z)` in
    its delta makes saturated neurons learn slowly, Nielsen's motivation for the cross-entropy.
    """

    name = "quadratic"
    canonical_output = Identity

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        d = a - y
        return 0.5 * _mean(d * d)

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (a - y) / _n_samples(a)


class CrossEntropy(Cost):
    r"""The binary cross-entropy (Bernoulli negative log-likelihood), for sigmoid outputs.

    .. math:: C = -\frac{1}{n} \sum_x \sum_j \big[y_j \ln a_j + (1 - y_j) \ln(1 - a_j)\big], \qquad
        \frac{\partial C_x}{\partial a_j} = \frac{a_j - y_j}{a_j (1 - a_j)}.

    With a sigmoid output :math:`a(1-a) = \sigma'(z)` cancels: the delta is :math:`a - y`, and the
    larger the error, the faster the neuron learns. Outputs and targets (soft labels allowed) lie in
    :math:`[0, 1]`; clipping caps the cost of a unit at :math:`-\ln \epsilon \approx 27.6`.
    """

    name = "cross_entropy"
    outputs = (Sigmoid,)
    canonical_output = Sigmoid

    def check(self, a: np.ndarray, y: np.ndarray) -> None:
        check_unit_interval(y, "y_true", self.name, "targets are probabilities")
        check_unit_interval(a, "y_pred", self.name, "predictions are probabilities; logits?")

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        eps = _clip_eps(a)
        a = np.clip(a, eps, 1 - eps)
        return -_mean(y * np.log(a) + (1 - y) * np.log1p(-a))

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        inside = (a >= eps) & (a <= 1 - eps)
        a = np.clip(a, eps, 1 - eps)
        return np.where(inside, (a - y) / (a * (1 - a)), 0) / _n_samples(a)


class CategoricalCrossEntropy(Cost):
    r"""The categorical cross-entropy (multinomial negative log-likelihood), for softmax outputs.

    .. math:: C = -\frac{1}{n} \sum_x \sum_j y_j \ln a_j, \qquad
        \frac{\partial C_x}{\partial a_j} = -\frac{y_j}{a_j}.

    With a softmax output and targets that sum to 1 (one-hot or probability rows; not checked) the
    delta is :math:`a - y`. It is the :class:`KLDivergence` plus the entropy of the targets, which
    does not depend on the network, so the two share their gradient.
    """

    name = "categorical_cross_entropy"
    outputs = (Softmax,)
    canonical_output = Softmax

    def check(self, a: np.ndarray, y: np.ndarray) -> None:
        check_unit_interval(y, "y_true", self.name, "targets are one-hot rows or probabilities")
        check_unit_interval(a, "y_pred", self.name, "predictions are probabilities; logits?")

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        return -_mean(y * np.log(np.maximum(a, _clip_eps(a))))

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        return np.where(a >= eps, -y / np.maximum(a, eps), 0) / _n_samples(a)


class Exponential(Cost):
    r"""The exponential cost, which punishes large errors exponentially.

    .. math:: C_x = \tau \exp\!\Big(\frac{\lVert a - y \rVert^2}{\tau}\Big), \qquad
        \frac{\partial C_x}{\partial a} = \frac{2}{\tau} (a - y)\, C_x.

    Its minimum is :math:`\tau`, at :math:`a = y`. A small :math:`\tau` makes it sharper and
    overflows sooner: an error of norm :math:`e` needs :math:`e^2/\tau \lesssim 709` in float64
    (88 in float32).

    Parameters
    ----------
    tau : float
        The temperature :math:`\tau > 0`.
    """

    name = "exponential"

    def __init__(self, tau: float = 1.0) -> None:
        self.tau = float(check_positive(tau, "tau"))

    def _per_sample(self, a: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
        """The errors, their per-sample squared norms and the per-sample costs."""
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

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        _, _, c = self._per_sample(a, y)
        return float(np.sum(c, dtype=np.float64)) / _n_samples(a)

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        d, sq, c = self._per_sample(a, y)
        c = c.reshape(c.shape + (1,) * (d.ndim - 1)) if d.ndim > 1 else c
        with np.errstate(over="ignore"):
            grad = (2 / self.tau) * d * c
        self._check_finite(grad, sq)
        return grad / _n_samples(a)

    def __repr__(self) -> str:
        return f"Exponential(tau={self.tau!r})"


class Hellinger(Cost):
    r"""A Hellinger-distance cost, comparing square roots of non-negative outputs and targets.

    .. math:: C_x = \frac{1}{\sqrt 2} \sum_j \big(\sqrt{a_j} - \sqrt{y_j}\big)^2, \qquad
        \frac{\partial C_x}{\partial a_j} = \frac{\sqrt{a_j} - \sqrt{y_j}}{\sqrt 2 \sqrt{a_j}}.

    This is :math:`\sqrt 2\, H^2` for the Hellinger distance
    :math:`H = \tfrac{1}{\sqrt 2} \lVert \sqrt a - \sqrt y \rVert_2`: the same minimiser, but
    smooth at :math:`a = y`. A symmetric divergence, bounded by :math:`\sqrt 2` for distributions.
    """

    name = "hellinger"
    outputs = (Sigmoid, Softmax)

    def check(self, a: np.ndarray, y: np.ndarray) -> None:
        check_at_least(y, "y_true", self.name, 0, False, "square roots of targets are taken")
        check_at_least(a, "y_pred", self.name, 0, False, "square roots of predictions are taken")

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        d = np.sqrt(np.maximum(a, _clip_eps(a))) - np.sqrt(y)
        return _mean(d * d) / math.sqrt(2)

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        ratio = np.sqrt(y / np.maximum(a, eps))
        return np.where(a >= eps, (1 - ratio) / math.sqrt(2), 0) / _n_samples(a)


def _y_log_y_over(y: np.ndarray, a: np.ndarray) -> np.ndarray:
    r""":math:`y \ln(y / a)` with :math:`0 \ln 0 = 0`, for ``a > 0``."""
    return y * np.log(np.where(y > 0, y, 1) / a)


class KLDivergence(Cost):
    r"""The Kullback–Leibler divergence of the predicted distribution from the target one.

    .. math:: C_x = \sum_j y_j \ln \frac{y_j}{a_j}, \qquad
        \frac{\partial C_x}{\partial a_j} = -\frac{y_j}{a_j},

    with :math:`0 \ln 0 = 0`: the information lost when :math:`a` approximates :math:`y`. It is
    :math:`\ge 0` only for distributions (only non-negativity is checked); for unnormalised data use
    :class:`GeneralizedKL`.
    """

    name = "kl_divergence"
    outputs = (Softmax,)

    def check(self, a: np.ndarray, y: np.ndarray) -> None:
        check_at_least(y, "y_true", self.name, 0, False, "targets are probabilities")
        check_at_least(a, "y_pred", self.name, 0, False, "predictions are probabilities")

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        return _mean(_y_log_y_over(y, np.maximum(a, _clip_eps(a))))

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        return np.where(a >= eps, -y / np.maximum(a, eps), 0) / _n_samples(a)


class GeneralizedKL(Cost):
    r"""The generalized Kullback–Leibler divergence (I-divergence), for non-negative data.

    .. math:: C_x = \sum_j \Big[y_j \ln \frac{y_j}{a_j} - y_j + a_j\Big], \qquad
        \frac{\partial C_x}{\partial a_j} = 1 - \frac{y_j}{a_j}.

    The extra terms make it :math:`\ge 0`, zero only at :math:`a = y`, for any non-negative vectors:
    the cost of Lee & Seung's non-negative matrix factorization, and the Poisson negative
    log-likelihood up to a constant.
    """

    name = "generalized_kl"
    outputs = (Sigmoid, Softmax)

    def check(self, a: np.ndarray, y: np.ndarray) -> None:
        check_at_least(y, "y_true", self.name, 0, False, "targets are non-negative intensities")
        check_at_least(a, "y_pred", self.name, 0, False, "predictions are non-negative intensities")

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        a = np.maximum(a, _clip_eps(a))
        return _mean(_y_log_y_over(y, a) - y + a)

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        return np.where(a >= eps, 1 - y / np.maximum(a, eps), 0) / _n_samples(a)


class ItakuraSaito(Cost):
    r"""The Itakura–Saito divergence, a scale-invariant cost for positive data such as spectra.

    .. math:: C_x = \sum_j \Big[\frac{y_j}{a_j} - \ln \frac{y_j}{a_j} - 1\Big], \qquad
        \frac{\partial C_x}{\partial a_j} = \frac{a_j - y_j}{a_j^2}.

    It is :math:`\ge 0`, zero only at :math:`a = y`, and depends only on :math:`y / a`, so it weighs
    errors on small and large values alike. Targets must be positive (add a floor to zeros).
    """

    name = "itakura_saito"
    outputs = (Sigmoid, Softmax)

    def check(self, a: np.ndarray, y: np.ndarray) -> None:
        check_at_least(y, "y_true", self.name, 0, True, "ln(y_true / y_pred) must be finite")
        check_at_least(a, "y_pred", self.name, 0, False, "predictions are positive intensities")

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        r = y / np.maximum(a, _clip_eps(a))
        return _mean(r - np.log(r) - 1)

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        eps = _clip_eps(a)
        a_clipped = np.maximum(a, eps)
        return np.where(a >= eps, (1 - y / a_clipped) / a_clipped, 0) / _n_samples(a)


COSTS: dict[str, type[Cost]] = {
    cls.name: cls
    for cls in (Quadratic, CrossEntropy, CategoricalCrossEntropy, Exponential, Hellinger)
    + (KLDivergence, GeneralizedKL, ItakuraSaito)
}


def get_cost(name_or_object: str | type[Cost] | Cost) -> Cost:
    """Return a cost given its name (such as ``"cross_entropy"``), its class or an instance.

    As :func:`~neuronet.activations.get_activation`: a class is instantiated with its defaults, a
    configured instance such as ``Exponential(tau=2.0)`` is returned as is.
    """
    return lookup(COSTS, name_or_object, "cost", expected=Cost)
