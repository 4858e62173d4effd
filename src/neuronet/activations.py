r"""Activation functions: the non-linearity a neuron applies to its weighted input.

A neuron computes the weighted input :math:`z = w \cdot x + b` and then its activation
:math:`a = \sigma(z)`. Backpropagation needs one more thing from :math:`\sigma`: given the
gradient of the loss with respect to the outputs, :math:`g = \partial L / \partial a`, the
gradient with respect to the inputs, :math:`\partial L / \partial z`. That is the
vector–Jacobian product computed by :meth:`Activation.backward`.

For an elementwise activation each output depends only on its own input, the Jacobian is
diagonal and the product is simply :math:`g \odot \sigma'(z)`, so these classes also offer
:meth:`Activation.derivative`. Softmax mixes all the inputs of a row and has only ``backward``.

Every method accepts arrays of any shape and keeps their floating dtype: float32 in gives float32
out, which matters for speed. Integer input is converted to float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.validation import as_finite_array, check_same_shape, lookup

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "Identity",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Step",
    "Tanh",
    "get_activation",
]


def _as_float_array(x: Any, name: str) -> np.ndarray:
    """Return ``x`` as a finite floating array; float dtypes are kept, integers become float64."""
    arr = as_finite_array(x, name)
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return arr


class Activation:
    """Base class of the activation functions.

    Subclasses implement ``_forward`` and, if elementwise, ``_derivative``; the public methods
    check their inputs and then call them.
    """

    name: str = ""
    """The registry name, e.g. ``"relu"``."""

    elementwise: bool = True
    """True if each output depends only on the input at the same position, so that
    :meth:`derivative` exists and ``backward(z, g) == g * derivative(z)``."""

    def __call__(self, z: Any) -> np.ndarray:
        """Apply the activation.

        Parameters
        ----------
        z : array_like
            Weighted inputs, any shape.

        Returns
        -------
        numpy.ndarray
            The activations, same shape and (floating) dtype as ``z``.

        Raises
        ------
        ValueError
            If ``z`` contains NaN or infinite values.
        """
        return self._forward(_as_float_array(z, "z"))

    def derivative(self, z: Any) -> np.ndarray:
        r"""Return the elementwise derivative :math:`\sigma'(z)`, same shape and dtype as ``z``.

        Raises
        ------
        ValueError
            If ``z`` contains NaN or infinite values, or the activation has no usable
            elementwise derivative (:class:`Step`, :class:`Softmax`).
        """
        return self._derivative(_as_float_array(z, "z"))

    def backward(self, z: Any, grad_output: Any) -> np.ndarray:
        r"""Return the vector–Jacobian product :math:`\partial L / \partial z`.

        Parameters
        ----------
        z : array_like
            The weighted inputs the activation was applied to.
        grad_output : array_like
            :math:`\partial L / \partial a`, the gradient of the loss with respect to the
            activations; same shape as ``z``.

        Returns
        -------
        numpy.ndarray
            :math:`\partial L / \partial z`, same shape as ``z``. For an elementwise
            activation this is ``grad_output * derivative(z)``.

        Raises
        ------
        ValueError
            If the shapes differ, either array is not finite, or the activation cannot be
            differentiated (:class:`Step`).
        """
        z = _as_float_array(z, "z")
        grad_output = _as_float_array(grad_output, "grad_output")
        check_same_shape(z, grad_output, "z", "grad_output")
        return self._backward(z, grad_output)

    def _forward(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _backward(self, z: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
        return grad_output * self._derivative(z)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Step(Activation):
    r"""The Heaviside step, the activation of Rosenblatt's perceptron.

    .. math:: \sigma(z) = 1 \text{ if } z \ge 0, \text{ else } 0.

    Convention: the step *fires* at :math:`z = 0` (output 1.0); some texts, Nielsen's among them,
    use a strict :math:`z > 0` instead. The derivative is 0 for every :math:`z \ne 0` and does
    not exist at 0, so gradient descent gets no signal from it: :meth:`derivative` and
    :meth:`backward` raise. Train a step neuron with the perceptron learning rule, or replace
    the step by its smooth cousin, :class:`Sigmoid`.
    """

    name = "step"

    def _forward(self, z: np.ndarray) -> np.ndarray:
        return (z >= 0).astype(z.dtype)

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        raise ValueError(
            "the step activation has zero derivative almost everywhere (and none at z = 0), "
            "so gradient descent cannot train it; use the perceptron learning rule, or a "
            "sigmoid activation if you need gradients"
        )

    def _backward(self, z: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
        return self._derivative(z)


class Sigmoid(Activation):
    r"""The logistic sigmoid, a smooth step from 0 to 1.

    .. math::

        \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \sigma'(z) = \sigma(z)\,(1 - \sigma(z)).

    Computed without overflow for any :math:`z`: with :math:`e = e^{-|z|} \in (0, 1]`,
    :math:`\sigma(z) = 1/(1+e)` for :math:`z \ge 0` and :math:`e/(1+e)` for :math:`z < 0`.
    The derivative uses the product form, which never divides by a tiny number.

    It is the link function of logistic regression (not of linear regression, whose link is the
    identity), and was the default hidden activation of early neural networks.
    """

    name = "sigmoid"

    def _forward(self, z: np.ndarray) -> np.ndarray:
        e = np.exp(-np.abs(z))
        s = 1 / (1 + e)
        return np.where(z >= 0, s, e * s)

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        s = self._forward(z)
        return s * (1 - s)


class Tanh(Activation):
    r"""The hyperbolic tangent, a sigmoid rescaled to :math:`(-1, 1)`.

    .. math::

        \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = 2\sigma(2z) - 1, \qquad
        \tanh'(z) = 1 - \tanh^2(z).

    Zero-centred outputs make it a better hidden activation than the sigmoid (LeCun et al.,
    *Efficient BackProp*, 1998).
    """

    name = "tanh"

    def _forward(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z)

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        t = np.tanh(z)
        return 1 - t * t


class ReLU(Activation):
    r"""The rectified linear unit.

    .. math::

        \sigma(z) = \max(z, 0), \qquad \sigma'(z) = 1 \text{ if } z > 0, \text{ else } 0.

    The derivative does not exist at :math:`z = 0`; we use 0 there (any value in
    :math:`[0, 1]` is a valid subgradient). Popularized for deep networks by Glorot, Bordes &
    Bengio (2011), who argued it is more biologically plausible than the sigmoid, a debatable
    claim; its practical merits are cheap evaluation, sparse activations and no saturation for
    :math:`z > 0`.
    """

    name = "relu"

    def _forward(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0)

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        return (z > 0).astype(z.dtype)

    def _backward(self, z: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
        # A product with the boolean mask is several times faster than np.where here.
        return grad_output * (z > 0)


class LeakyReLU(Activation):
    r"""A ReLU with a small slope ``alpha`` for negative inputs, so that no unit is ever dead.

    .. math::

        \sigma(z) = z \text{ if } z > 0, \text{ else } \alpha z, \qquad
        \sigma'(z) = 1 \text{ if } z > 0, \text{ else } \alpha

    (we use :math:`\alpha` at :math:`z = 0`). Introduced by Maas, Hannun & Ng (2013).

    Parameters
    ----------
    alpha : float, default 0.01
        Slope for :math:`z \le 0`. Must be finite and non-negative; values below 1 are the usual
        choice (``alpha = 0`` is the ReLU).

    Raises
    ------
    ValueError
        If ``alpha`` is negative, not finite or not a number.
    """

    name = "leaky_relu"

    def __init__(self, alpha: float = 0.01) -> None:
        if (
            isinstance(alpha, bool)
            or not isinstance(alpha, int | float | np.number)
            or not np.isfinite(alpha)
            or alpha < 0
        ):
            raise ValueError(f"alpha must be a finite number >= 0 (usually < 1), got {alpha!r}")
        self.alpha = float(alpha)

    def _forward(self, z: np.ndarray) -> np.ndarray:
        return np.where(z > 0, z, self.alpha * z)

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        return np.where(z > 0, 1, self.alpha).astype(z.dtype)

    def _backward(self, z: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
        return np.where(z > 0, grad_output, self.alpha * grad_output)

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha!r})"


class Identity(Activation):
    r"""The identity, :math:`\sigma(z) = z` with :math:`\sigma'(z) = 1`.

    The output activation for regression: with the quadratic cost it gives linear regression.
    Returns a copy, so that changing the output never changes ``z``.
    """

    name = "identity"

    def _forward(self, z: np.ndarray) -> np.ndarray:
        return z.copy()

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        return np.ones_like(z)

    def _backward(self, z: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
        return grad_output.copy()


class Softmax(Activation):
    r"""Softmax over the last axis: turns a row of scores into a probability distribution.

    .. math:: s_i = \frac{e^{z_i}}{\sum_j e^{z_j}}.

    Subtracting the row maximum first leaves :math:`s` unchanged and keeps every exponent
    :math:`\le 0`, so nothing overflows. Each output depends on the whole row, so the
    derivative is a Jacobian, :math:`\partial s_i / \partial z_j = s_i(\delta_{ij} - s_j)`,
    i.e. :math:`\operatorname{diag}(s) - s s^T`, rather than an elementwise array:
    :meth:`derivative` raises, and :meth:`backward` computes the vector–Jacobian product
    without forming the matrix,

    .. math:: \frac{\partial L}{\partial z} = s \odot \Big(g - \sum_j g_j s_j\Big).

    The output activation of multi-class classifiers, paired with the categorical
    cross-entropy.
    """

    name = "softmax"
    elementwise = False

    def _forward(self, z: np.ndarray) -> np.ndarray:
        if z.ndim == 0:
            raise ValueError("softmax needs an array with at least one axis, got a scalar")
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def _derivative(self, z: np.ndarray) -> np.ndarray:
        raise ValueError(
            "softmax is not elementwise: each output depends on the whole row, so its "
            "derivative is the Jacobian diag(s) - s s^T, not an array shaped like z; use "
            "Softmax.backward(z, grad_output) for the vector-Jacobian product"
        )

    def _backward(self, z: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
        s = self._forward(z)
        return s * (grad_output - np.sum(grad_output * s, axis=-1, keepdims=True))


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Step, Sigmoid, Tanh, ReLU, LeakyReLU, Identity, Softmax)
}


def get_activation(name_or_object: str | type[Activation] | Activation) -> Activation:
    """Return an activation given its name, its class or an instance.

    Parameters
    ----------
    name_or_object : str, Activation subclass or Activation
        A registry name such as ``"relu"`` (case-insensitive, ``-`` read as ``_``), a class such
        as ``ReLU`` (instantiated with its defaults) or a configured instance such as
        ``LeakyReLU(alpha=0.2)`` (returned as is).

    Returns
    -------
    Activation

    Raises
    ------
    ValueError
        If the name or class is unknown; the message lists the valid names.
    TypeError
        If ``name_or_object`` is none of the above.
    """
    return lookup(ACTIVATIONS, name_or_object, "activation", expected=Activation)
