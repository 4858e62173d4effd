r"""Activation functions: the non-linearity :math:`a = \sigma(z)` applied to the weighted input.

Backpropagation also needs, given :math:`g = \partial L/\partial a`, the gradient
:math:`\partial L/\partial z`: the vector–Jacobian product of :meth:`Activation.backward`. When
each output depends only on its own input, the Jacobian is diagonal and the product is
:math:`g \odot \sigma'(z)`, so these classes also offer :meth:`Activation.derivative`; softmax
mixes a whole row and has only ``backward``. Every method keeps the floating dtype of its input
(float32 stays float32, which matters for speed; integers become float64).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.validation import check_z, check_z_and_grad, checked, lookup

__all__ = ["ACTIVATIONS", "Activation", "get_activation"]
__all__ += ["Identity", "LeakyReLU", "ReLU", "Sigmoid", "Softmax", "Step", "Tanh"]


class Activation:
    """Base class: a subclass writes :meth:`forward` and, if elementwise, :meth:`derivative`.

    Called by a user, the methods check their arrays first (finite, floating, same shapes); inside a
    network's passes, whose data were checked on entry, they only do the maths. ``act(z)`` is
    ``act.forward(z)``.
    """

    name: str = ""
    """The registry name, e.g. ``"relu"``."""
    elementwise: bool = True
    """True if output i depends on input i only; then ``backward(z, g) == g * derivative(z)``."""
    differentiable: bool = True
    """False for the step, whose zero derivative gives gradient descent nothing to follow."""
    classifies: bool = False
    """True for output activations whose outputs are read as class decisions (:meth:`decide`)."""
    range: tuple[float, float] = (-np.inf, np.inf)
    """The interval of the outputs, and so of an output layer's targets (checked by ``fit``)."""

    class_labels: bool = False
    """True if an output layer's targets may be class labels, one-hot encoded (softmax)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        checks = {"forward": check_z, "derivative": check_z, "backward": check_z_and_grad}
        for method, check in checks.items():
            if method in cls.__dict__:
                setattr(cls, method, checked(check)(cls.__dict__[method]))

    def __call__(self, z: Any) -> np.ndarray:
        return self.forward(z)

    def forward(self, z: Any) -> np.ndarray:
        r"""The activations :math:`\sigma(z)`, same shape and (floating) dtype as ``z``."""
        raise NotImplementedError

    def derivative(self, z: Any) -> np.ndarray:
        r"""The elementwise derivative :math:`\sigma'(z)` (Step and Softmax raise a ValueError)."""
        raise NotImplementedError

    @checked(check_z_and_grad)
    def backward(self, z: Any, grad_output: Any) -> np.ndarray:
        r""":math:`\partial L/\partial z` from :math:`g = \partial L/\partial a`; elementwise,
        :math:`g \odot \sigma'(z)`."""
        return grad_output * self.derivative(z)

    def decide(self, a: np.ndarray) -> np.ndarray:
        """The decision read from the outputs: the outputs themselves, unless the activation
        classifies (sigmoid and step: 0/1 labels; softmax: the most probable class)."""
        return a

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Step(Activation):
    r"""The Heaviside step of Rosenblatt's perceptron: 1 if :math:`z \ge 0`, else 0.

    (Some texts, Nielsen's among them, fire only for :math:`z > 0`.) The derivative is 0 for
    :math:`z \ne 0` and undefined at 0, so gradient descent gets no signal: :meth:`derivative`
    and :meth:`backward` raise. Train it with the perceptron rule, or use a :class:`Sigmoid`.
    """

    name = "step"
    differentiable = False
    classifies = True

    def forward(self, z: np.ndarray) -> np.ndarray:
        return (z >= 0).astype(z.dtype)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        raise ValueError(
            "the step activation has zero derivative almost everywhere (and none at z = 0), "
            "so gradient descent cannot train it; use the perceptron learning rule, or a "
            "sigmoid activation if you need gradients"
        )

    def decide(self, a: np.ndarray) -> np.ndarray:
        return a.astype(np.int64)


class Sigmoid(Activation):
    r"""The logistic sigmoid, a smooth step from 0 to 1.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \sigma'(z) = \sigma(z)\,(1 - \sigma(z)).

    With :math:`e = e^{-|z|} \in (0, 1]`, :math:`\sigma(z) = 1/(1+e)` for :math:`z \ge 0` and
    :math:`e/(1+e)` for :math:`z < 0`: no overflow for any :math:`z`. The link of logistic
    regression; as an output it says 1 when :math:`\sigma(z) > 0.5`, i.e. when :math:`z > 0`.
    """

    name = "sigmoid"
    classifies = True
    range = (0.0, 1.0)

    def forward(self, z: np.ndarray) -> np.ndarray:
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1, e) / (1 + e)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        s = self.forward(z)
        return s * (1 - s)

    def decide(self, a: np.ndarray) -> np.ndarray:
        return (a > 0.5).astype(np.int64)


class Tanh(Activation):
    r"""The hyperbolic tangent, a sigmoid rescaled to :math:`(-1, 1)`.

    .. math:: \tanh(z) = 2\sigma(2z) - 1, \qquad \tanh'(z) = 1 - \tanh^2(z).

    Zero-centred outputs make it a better hidden activation than the sigmoid (LeCun et al.,
    *Efficient BackProp*, 1998).
    """

    name = "tanh"

    def forward(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        return 1 - np.tanh(z) ** 2


class ReLU(Activation):
    r"""The rectified linear unit.

    .. math:: \sigma(z) = \max(z, 0), \qquad \sigma'(z) = 1 \text{ if } z > 0, \text{ else } 0

    (any value in :math:`[0, 1]` is a subgradient at 0; we use 0). Popularized for deep networks by
    Glorot, Bordes & Bengio (2011): cheap, sparse, and it does not saturate for :math:`z > 0`.
    """

    name = "relu"

    def forward(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        return (z > 0).astype(z.dtype)

    def backward(self, z: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
        return grad_output * (z > 0)  # g ⊙ σ'(z), with the boolean mask as σ'


class LeakyReLU(Activation):
    r"""A ReLU with a small slope for negative inputs, so that no unit ever dies.

    Introduced by Maas, Hannun & Ng (2013):

    .. math:: \sigma(z) = z \text{ if } z > 0, \text{ else } \alpha z, \qquad
        \sigma'(z) = 1 \text{ if } z > 0, \text{ else } \alpha.

    Parameters
    ----------
    alpha : float, default 0.01
        The slope :math:`\alpha`: finite, :math:`\ge 0` (0 is the ReLU), usually below 1.
    """

    name = "leaky_relu"

    def __init__(self, alpha: float = 0.01) -> None:
        number = not isinstance(alpha, bool) and isinstance(alpha, int | float | np.number)
        if not number or not np.isfinite(alpha) or alpha < 0:
            raise ValueError(f"alpha must be a finite number >= 0 (usually < 1), got {alpha!r}")
        self.alpha = float(alpha)

    def forward(self, z: np.ndarray) -> np.ndarray:
        return np.where(z > 0, z, self.alpha * z)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        return np.where(z > 0, 1, self.alpha).astype(z.dtype)

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha!r})"


class Identity(Activation):
    r"""The identity, :math:`\sigma(z) = z`, :math:`\sigma'(z) = 1`: the output for regression.

    It returns a copy, so that changing the output never changes ``z``.
    """

    name = "identity"

    def forward(self, z: np.ndarray) -> np.ndarray:
        return z.copy()

    def derivative(self, z: np.ndarray) -> np.ndarray:
        return np.ones_like(z)

    def backward(self, z: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
        return grad_output.copy()


class Softmax(Activation):
    r"""Softmax over the last axis: a row of scores becomes a probability distribution.

    .. math:: s_i = \frac{e^{z_i}}{\sum_j e^{z_j}}.

    Subtracting the row maximum first leaves :math:`s` unchanged and keeps every exponent
    :math:`\le 0`, so nothing overflows. Each output depends on the whole row: the derivative is the
    Jacobian :math:`\partial s_i / \partial z_j = s_i(\delta_{ij} - s_j)`, so :meth:`derivative`
    raises and :meth:`backward` computes the product without forming the matrix,

    .. math:: \frac{\partial L}{\partial z} = s \odot \Big(g - \sum_j g_j s_j\Big).

    The output of multi-class classifiers, paired with the categorical cross-entropy.
    """

    name = "softmax"
    elementwise = False
    classifies = True
    class_labels = True
    range = (0.0, 1.0)

    def forward(self, z: np.ndarray) -> np.ndarray:
        if z.ndim == 0:
            raise ValueError("softmax needs an array with at least one axis, got a scalar")
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        raise ValueError(
            "softmax is not elementwise: each output depends on the whole row, so its "
            "derivative is the Jacobian diag(s) - s s^T, not an array shaped like z; use "
            "Softmax.backward(z, grad_output) for the vector-Jacobian product"
        )

    def backward(self, z: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
        s = self.forward(z)
        return s * (grad_output - np.sum(grad_output * s, axis=-1, keepdims=True))

    def decide(self, a: np.ndarray) -> np.ndarray:
        return a.argmax(axis=-1)


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Step, Sigmoid, Tanh, ReLU, LeakyReLU, Identity, Softmax)
}


def get_activation(name_or_object: str | type[Activation] | Activation) -> Activation:
    """Return an activation given its name, its class or an instance.

    Parameters
    ----------
    name_or_object : str, Activation subclass or Activation
        A name such as ``"relu"`` (case-insensitive, ``-`` read as ``_``; an unknown one raises a
        ValueError listing the valid ones), a class such as ``ReLU`` (instantiated with its
        defaults) or a configured instance such as ``LeakyReLU(alpha=0.2)`` (returned as is).
    """
    return lookup(ACTIVATIONS, name_or_object, "activation", expected=Activation)
