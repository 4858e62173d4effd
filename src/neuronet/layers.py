r"""The fully connected (dense) layer, with its forward and backward pass.

A dense layer maps a batch :math:`X` (one sample per row) to :math:`Z = X W + b` and
:math:`A = \sigma(Z)`, where :math:`W` has shape ``(n_in, n_out)``, :math:`b` is added to every
row and :math:`\sigma` acts elementwise (softmax: row by row). The backward pass receives
:math:`\partial C/\partial A` and applies the chain rule through both steps:

.. math:: \delta = \frac{\partial C}{\partial Z} = \sigma'(Z) \odot \frac{\partial C}{\partial A},
   \qquad \frac{\partial C}{\partial W} = X^\top \delta, \qquad
   \frac{\partial C}{\partial b} = \sum_{\text{rows}} \delta, \qquad
   \frac{\partial C}{\partial X} = \delta \, W^\top.

:math:`\delta` is what Nielsen calls the error of the layer. Summing over the rows adds up the
samples' contributions; the :math:`1/n` of a mean cost is already inside
:math:`\partial C/\partial A`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.activations import Activation, get_activation
from neuronet.init import get_initializer
from neuronet.validation import as_finite_array, check_positive, is_trusted

__all__ = ["Dense"]


class Dense:
    r"""A fully connected layer :math:`A = \sigma(XW + b)`.

    Its live parameters are ``params = {"W": (n_in, n_out), "b": (n_out,)}``; :meth:`backward`
    overwrites (never accumulates) the gradients ``grads``, same keys and shapes. ``X``, ``z`` and
    ``a`` keep the input, pre-activation and activation of the last :meth:`forward`.

    Parameters
    ----------
    n_in, n_out : int
        Number of inputs (features per sample) and of units.
    activation : str or Activation
        The activation :math:`\sigma`, by name or as an object (``LeakyReLU(alpha=0.1)``).
    init : str or callable
        Weight initializer (see :mod:`neuronet.init`); the bias starts at zero.
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Seed of the weight initialization.
    dtype : numpy dtype
        Floating type of the parameters and of the computation; :meth:`forward` casts its input
        to it once, so a float32 layer computes in float32.
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
        W = np.ascontiguousarray(W, dtype=self.dtype)
        self.params = {"W": W, "b": np.zeros(self.n_out, dtype=self.dtype)}
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        self.X: np.ndarray | None = None
        self.z: np.ndarray | None = None
        self.a: np.ndarray | None = None

    @property
    def name(self) -> str:
        """Short name for error messages, e.g. ``Dense(784→256)``."""
        return f"Dense({self.n_in}→{self.n_out})"

    def __repr__(self) -> str:
        return (
            f"Dense({self.n_in}→{self.n_out}, activation={self.activation.name!r}, "
            f"init={self.init!r}, dtype={self.dtype.name})"
        )

    def forward(self, X: Any) -> np.ndarray:
        r"""Return :math:`A = \sigma(XW + b)` for ``X`` of shape ``(batch, n_in)``; keep ``X``,
        ``z`` and ``a`` for the backward pass."""
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.n_in:
            raise ValueError(
                f"{self.name} expected input of shape (batch, {self.n_in}), got {X.shape}"
            )
        if not is_trusted():
            as_finite_array(X, f"input of {self.name}")
        self.X = X.astype(self.dtype, copy=False)
        self.z = self.X @ self.params["W"]
        self.z += self.params["b"]
        self.a = self.activation.forward(self.z)
        return self.a

    def backward(self, grad_output: Any, need_input_grad: bool = True) -> np.ndarray | None:
        r"""Back-propagate :math:`\partial C/\partial A` (``grad_output``) through the layer.

        The layer's error :math:`\delta = \sigma'(Z) \odot \partial C/\partial A` (for softmax, the
        vector–Jacobian product) goes to :meth:`backward_delta`. With ``need_input_grad`` False the
        product for :math:`\partial C/\partial X`, which a network's first layer does not need, is
        skipped and None returned.
        """
        z = self._last_z()
        grad_output = np.asarray(grad_output)
        if grad_output.shape != z.shape:
            raise ValueError(
                f"{self.name} expected grad_output of shape {z.shape} (the shape of its last "
                f"output), got {grad_output.shape}"
            )
        delta = self.activation.backward(z, grad_output.astype(self.dtype, copy=False))
        return self.backward_delta(delta, need_input_grad)

    def backward_delta(self, delta: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        r"""The backward pass from the layer's error :math:`\delta = \partial C/\partial Z`.

        Sets ``grads["W"]`` to :math:`X^\top\delta` and ``grads["b"]`` to the column sums of
        :math:`\delta` (overwritten, never accumulated: twice gives the same result), and returns
        :math:`\partial C/\partial X = \delta W^\top` (None if not ``need_input_grad``).
        """
        self._last_z()
        delta = np.asarray(delta, dtype=self.dtype)
        np.matmul(self.X.T, delta, out=self.grads["W"])
        np.sum(delta, axis=0, out=self.grads["b"])
        return delta @ self.params["W"].T if need_input_grad else None

    def _last_z(self) -> np.ndarray:
        if self.z is None:
            raise RuntimeError(
                f"{self.name}: forward must be called first; backward needs the input and the "
                "pre-activation of the last forward pass"
            )
        return self.z
