r"""The fully connected (dense) layer, with its forward and backward pass.

A dense layer maps a batch of inputs :math:`X` (one sample per row) to

.. math::

   Z = X W + b, \qquad A = \sigma(Z),

where :math:`W` has shape ``(n_in, n_out)``, the bias :math:`b` is added to every row and the
activation :math:`\sigma` acts elementwise (softmax: row by row). The backward pass receives
:math:`\partial C/\partial A` and applies the chain rule through both steps:

.. math::

   \delta = \frac{\partial C}{\partial Z} = \sigma'(Z) \odot \frac{\partial C}{\partial A}, \qquad
   \frac{\partial C}{\partial W} = X^\top \delta, \qquad
   \frac{\partial C}{\partial b} = \sum_{\text{rows}} \delta, \qquad
   \frac{\partial C}{\partial X} = \delta \, W^\top.

:math:`\delta` is what Nielsen calls the error of the layer. Summing over the rows of the batch
adds up the contributions of the samples; the :math:`1/n` of a mean cost is already inside
:math:`\partial C/\partial A`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.activations import Activation, get_activation
from neuronet.init import get_initializer
from neuronet.validation import as_finite_array, check_positive

__all__ = ["Dense"]


class Dense:
    r"""A fully connected layer :math:`A = \sigma(XW + b)`.

    Parameters
    ----------
    n_in, n_out : int
        Number of inputs (features per sample) and of units.
    activation : str or Activation
        The activation :math:`\sigma`, by name (``"relu"``, ``"sigmoid"``, ...) or as an object
        such as ``LeakyReLU(alpha=0.1)``.
    init : str or callable
        Weight initializer (see :mod:`neuronet.init`); the bias starts at zero.
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Seed of the weight initialization.
    dtype : numpy dtype
        Floating type of the parameters and of the computation. Inputs of another type are cast
        to it once, at the entry of :meth:`forward`, so a float32 layer computes in float32.

    Attributes
    ----------
    params : dict
        ``{"W": (n_in, n_out), "b": (n_out,)}``, the live parameter arrays.
    grads : dict
        The gradients of the cost with respect to ``params``, same keys and shapes, filled by
        :meth:`backward` (overwritten in place, never accumulated).
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        activation: str | Activation = "relu",
        init: Any = "he",
        seed: Any = None,
        dtype: Any = np.float64,
    ) -> None:
        self.n_in = check_positive(n_in, "n_in", integer=True)
        self.n_out = check_positive(n_out, "n_out", integer=True)
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "f":
            raise ValueError(f"dtype must be a floating type such as float64, got {self.dtype}")
        self.activation = get_activation(activation)
        initializer = get_initializer(init)
        self.init = getattr(initializer, "__name__", repr(initializer))
        W = np.asarray(initializer(n_in, n_out, np.random.default_rng(seed), self.dtype))
        if W.shape != (self.n_in, self.n_out):
            raise ValueError(
                f"initializer {self.init} returned shape {W.shape}, "
                f"expected ({self.n_in}, {self.n_out})"
            )
        self.params = {
            "W": np.ascontiguousarray(W, dtype=self.dtype),
            "b": np.zeros(self.n_out, dtype=self.dtype),
        }
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        self._X: np.ndarray | None = None
        self._z: np.ndarray | None = None
        self._a: np.ndarray | None = None

    @property
    def name(self) -> str:
        """Short name used in error messages, e.g. ``Dense(784→256)``."""
        return f"Dense({self.n_in}→{self.n_out})"

    def __repr__(self) -> str:
        return (
            f"Dense({self.n_in}→{self.n_out}, activation={self.activation.name!r}, "
            f"init={self.init!r}, dtype={self.dtype.name})"
        )

    def forward(self, X: Any) -> np.ndarray:
        r"""Compute :math:`A = \sigma(XW + b)` and remember what the backward pass needs.

        Parameters
        ----------
        X : array_like, shape (batch, n_in)
            One sample per row. Cast to the layer's dtype if needed; not copied otherwise.

        Returns
        -------
        numpy.ndarray, shape (batch, n_out)
            The activations :math:`A`.

        Raises
        ------
        ValueError
            If ``X`` is not 2-D with ``n_in`` columns (the message names the layer and both
            shapes), or contains NaN or infinity.
        """
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.n_in:
            raise ValueError(
                f"{self.name} expected input of shape (batch, {self.n_in}), got {X.shape}"
            )
        return self._forward(as_finite_array(X, f"input of {self.name}"))

    def _forward(self, X: np.ndarray) -> np.ndarray:
        """Forward pass without checks (the network's inner loop; shapes are known to fit)."""
        if X.dtype != self.dtype:
            X = X.astype(self.dtype)
        z = X @ self.params["W"]
        z += self.params["b"]
        a = self.activation._forward(z)
        # References, not copies: X must not be modified in place before backward.
        self._X, self._z, self._a = X, z, a
        return a

    def backward(self, grad_output: Any, need_input_grad: bool = True) -> np.ndarray | None:
        r"""Back-propagate :math:`\partial C/\partial A` through the layer.

        Computes the layer's error :math:`\delta = \sigma'(Z) \odot \partial C/\partial A`
        (for softmax, the vector–Jacobian product), then fills ``grads["W"]`` with
        :math:`X^\top\delta` and ``grads["b"]`` with the column sums of :math:`\delta`. The
        gradients are overwritten in place, never accumulated, so calling ``backward`` twice
        after one forward pass gives the same result and the same ``grads``, and lists of the
        gradient arrays held by an optimizer stay valid.

        Parameters
        ----------
        grad_output : array_like, shape (batch, n_out)
            Gradient of the cost with respect to this layer's output :math:`A`.
        need_input_grad : bool
            If False, skip computing :math:`\partial C/\partial X` and return None (the first
            layer of a network does not need it, and it costs a matrix product).

        Returns
        -------
        numpy.ndarray of shape (batch, n_in), or None
            :math:`\partial C/\partial X = \delta W^\top`.

        Raises
        ------
        RuntimeError
            If :meth:`forward` has not been called first.
        ValueError
            If ``grad_output`` does not have the shape of the last output, or is not finite.
        """
        z = self._cached_z()
        grad_output = np.asarray(grad_output)
        if grad_output.shape != z.shape:
            raise ValueError(
                f"{self.name} expected grad_output of shape {z.shape} (the shape of its last "
                f"output), got {grad_output.shape}"
            )
        return self._backward(as_finite_array(grad_output, "grad_output"), need_input_grad)

    def _backward(self, grad_output: np.ndarray, need_input_grad: bool) -> np.ndarray | None:
        """Backward pass without checks, from the gradient with respect to the output A."""
        if grad_output.dtype != self.dtype:
            grad_output = grad_output.astype(self.dtype)
        delta = self.activation._backward(self._cached_z(), grad_output)
        return self._backward_delta(delta, need_input_grad)

    def _backward_delta(self, delta: np.ndarray, need_input_grad: bool) -> np.ndarray | None:
        """Backward pass without checks, from the error delta = dC/dZ of the layer."""
        if delta.dtype != self.dtype:
            delta = delta.astype(self.dtype)
        np.matmul(self._X.T, delta, out=self.grads["W"])
        np.sum(delta, axis=0, out=self.grads["b"])
        if not need_input_grad:
            return None
        return delta @ self.params["W"].T

    def _cached_z(self) -> np.ndarray:
        if self._z is None:
            raise RuntimeError(
                f"{self.name}: forward must be called first; backward needs the input and the "
                "pre-activation of the last forward pass"
            )
        return self._z
