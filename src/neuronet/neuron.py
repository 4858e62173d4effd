r"""One artificial neuron: a weighted sum of the inputs, then an activation.

.. math:: z = w \cdot x + b, \qquad a = \sigma(z).

With the step activation this is Rosenblatt's perceptron, trained by the perceptron rule; with the
sigmoid it is logistic regression, and with the identity linear regression, both trained by
gradient descent on a cost, or by implicit SGD (:mod:`neuronet.implicit`). Whatever the activation,
the decision boundary :math:`w \cdot x + b = 0` is a straight line (a hyperplane): a single
neuron can compute AND and OR, but not XOR.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from neuronet.activations import Activation, get_activation
from neuronet.costs import COSTS, Cost, get_cost
from neuronet.data.preprocessing import as_targets
from neuronet.implicit import ImplicitSGD
from neuronet.init import small_random
from neuronet.optimizers import SGD, Optimizer, get_optimizer
from neuronet.training import diverged, train
from neuronet.validation import (
    as_batch,
    as_finite_array,
    check_output_and_cost,
    check_positive,
    trusted,
)

__all__ = ["Neuron"]


class Neuron:
    r"""A single neuron :math:`a = \sigma(w \cdot x + b)`, with weights ``w`` and bias ``b``.

    Parameters
    ----------
    n_inputs : int
        Number of inputs.
    activation : str or Activation
        An elementwise activation: ``"step"`` (the perceptron), ``"sigmoid"``, ``"identity"``,
        ``"tanh"``, ``"relu"``, ``"leaky_relu"`` (not softmax, which needs several units).
    seed : int or None
        Seed of the initial weights (:func:`neuronet.init.small_random`; the bias starts at 0) and
        of the shuffling in :meth:`fit`.
    """

    def __init__(
        self, n_inputs: int, activation: str | Activation = "sigmoid", seed: int | None = None
    ) -> None:
        self.n_inputs = check_positive(n_inputs, "n_inputs", integer=True)
        self.activation = get_activation(activation)
        if not self.activation.elementwise:
            raise ValueError(
                f"a single neuron needs an elementwise activation, got {self.activation.name!r} "
                "(softmax normalizes over several units; use an MLP with 2 or more outputs)"
            )
        self._seed_sequence = np.random.SeedSequence(seed)
        rng = np.random.default_rng(self._seed_sequence.spawn(1)[0])
        self._w = small_random(self.n_inputs, 1, rng).reshape(-1)
        self._b = np.zeros(1)  # an array, so that optimizers can update it in place
        self._grads = [np.zeros_like(self._w), np.zeros(1)]

    @property
    def w(self) -> np.ndarray:
        """The weights, a float64 array of shape ``(n_inputs,)``."""
        return self._w

    @w.setter
    def w(self, value: Any) -> None:
        w = as_finite_array(value, "w", dtype=np.float64).reshape(-1)
        if w.shape != (self.n_inputs,):
            raise ValueError(
                f"w must hold {self.n_inputs} weight(s), one per input, got shape {np.shape(value)}"
            )
        self._w[...] = w

    @property
    def b(self) -> float:
        """The bias."""
        return float(self._b[0])

    @b.setter
    def b(self, value: float) -> None:
        self._b[0] = value

    def __repr__(self) -> str:
        return f"Neuron(n_inputs={self.n_inputs}, activation={self.activation.name!r})"

    def weighted_sum(self, X: Any) -> np.ndarray | float:
        """The weighted input :math:`z = X w + b`: shape ``(n,)`` for ``X`` of shape
        ``(n, n_inputs)``, a float for one sample of shape ``(n_inputs,)``."""
        X = as_finite_array(X, "X")
        if X.ndim == 1 and X.shape[0] == self.n_inputs:
            return float(X @ self.w) + self.b
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(
                f"X must have shape (n, {self.n_inputs}) or ({self.n_inputs},) for a neuron with "
                f"{self.n_inputs} input(s), got {X.shape}"
            )
        return X @ self.w + self.b

    def __call__(self, X: Any) -> np.ndarray | float:
        r"""The output :math:`a = \sigma(w \cdot x + b)` (same shapes as :meth:`weighted_sum`)."""
        z = self.weighted_sum(X)
        a = self.activation(z)
        return float(a) if np.ndim(z) == 0 else a

    def predict(self, X: Any) -> np.ndarray | int | float:
        """The neuron's decision: 0/1 for step and sigmoid neurons (a sigmoid neuron says 1 when
        its output exceeds 0.5, i.e. when :math:`z > 0`), the output otherwise."""
        decision = self.activation.decide(np.asarray(self(X)))
        return decision.item() if decision.ndim == 0 else decision

    def parameters(self) -> list[np.ndarray]:
        """``[w, b]``, the live arrays an optimizer updates (the bias as a 1-element array)."""
        return [self._w, self._b]

    def gradients(self) -> list[np.ndarray]:
        """``[dC/dw, dC/db]`` from the last :meth:`backprop`."""
        return self._grads

    def backprop(self, X: np.ndarray, y: np.ndarray, cost: Cost) -> float:
        r"""Forward and backward pass on one checked batch; return its cost.

        With :math:`\delta = \partial C/\partial z` from the cost (:meth:`Cost.delta`),
        :math:`\partial C/\partial w = X^\top\delta` and
        :math:`\partial C/\partial b = \sum_i \delta_i`.
        """
        with trusted():
            z = X @ self._w + self._b[0]
            a = self.activation.forward(z)
            loss = cost(a, y)
            delta = cost.delta(self.activation, z, a, y)
        self._grads = [X.T @ delta, np.array([delta.sum()])]
        return loss

    def fit(
        self,
        X: Any,
        y: Any,
        lr: float | None = None,
        epochs: int = 100,
        cost: str | Cost | None = None,
        optimizer: str | Optimizer | ImplicitSGD | None = None,
        batch_size: int | None = None,
        seed: int | None = None,
    ) -> list[float]:
        r"""Train the neuron; return one number per epoch.

        **Step neuron: the perceptron rule** (Rosenblatt 1958). After each example, in order,

        .. math:: w \leftarrow w + \eta\,(y - \hat y)\,x, \qquad
            b \leftarrow b + \eta\,(y - \hat y).

        Nothing changes when the prediction :math:`\hat y` is right; the boundary moves towards
        the example when it is wrong. Returns the number of mistakes after each epoch, and stops at
        the first epoch with none: after finitely many updates if the classes are linearly
        separable (the perceptron convergence theorem), never for XOR.

        **Other activations: gradient descent** on the cost, in shuffled batches or on the full set
        (:func:`neuronet.training.train`), or example by example with :class:`ImplicitSGD`. Returns
        the cost on the training set after each epoch.

        Parameters
        ----------
        X, y : array_like, shapes (n, n_inputs) and (n,) or (n, 1)
            Training data; targets 0/1 for a step neuron, in [0, 1] for a sigmoid, else real.
        lr : float or None
            Learning rate :math:`\eta` of the perceptron rule or of the default optimizer (0.1).
        epochs : int
            Maximum number of passes over the data.
        cost, optimizer, batch_size : optional
            Gradient descent only: the cost (by default the activation's canonical one, else
            ``"quadratic"``), the optimizer (``SGD(lr)``) and the batch size (None: the full set).
        seed : int or None
            Seed of the shuffling; None derives one from the neuron's seed.
        """
        epochs = check_positive(epochs, "epochs", integer=True)
        if batch_size is not None:
            batch_size = check_positive(batch_size, "batch_size", integer=True)
        X, y = self._data(X, y)
        if not self.activation.differentiable:
            if cost is not None or optimizer is not None or batch_size is not None:
                raise ValueError(
                    f"a {self.activation.name} neuron is trained by the perceptron rule, one "
                    "example at a time, without a cost, an optimizer or batches (its derivative "
                    "is zero almost everywhere); use activation='sigmoid' for gradient descent"
                )
            return self._perceptron(X, y, 0.1 if lr is None else check_positive(lr, "lr"), epochs)
        cost = self._cost(cost)
        optimizer = _optimizer(optimizer, lr)
        rng = np.random.default_rng(self._seed_sequence.spawn(1)[0] if seed is None else seed)
        losses: list[float] = []  # the cost on the whole training set after each epoch

        def record(epoch: int, history: Any = None) -> None:
            losses.append(cost(self.activation.forward(X @ self._w + self._b[0]), y))
            if not math.isfinite(losses[-1]):
                raise diverged("loss", f"at epoch {epoch}", optimizer, value=losses[-1])

        with trusted(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if isinstance(optimizer, ImplicitSGD):
                optimizer.train(self, X, y, cost, epochs, batch_size, rng, record)
                return losses
            train(
                self, X, y, optimizer, epochs, batch_size, rng,
                backprop=functools.partial(self.backprop, cost=cost),
                end_of_epoch=record,
            )  # fmt: skip
        return losses

    def _perceptron(self, X: np.ndarray, y: np.ndarray, lr: float, epochs: int) -> list[int]:
        w, b = self._w, self._b
        errors: list[int] = []
        for _ in range(epochs):
            for x_i, y_i in zip(X, y, strict=True):
                y_hat = 1.0 if x_i @ w + b[0] >= 0 else 0.0
                w += lr * (y_i - y_hat) * x_i
                b += lr * (y_i - y_hat)
            errors.append(int(np.count_nonzero((X @ w + b[0] >= 0) != y)))
            if errors[-1] == 0:
                break
        return errors

    def _data(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        """Check the training data: ``X`` of shape (n, n_inputs), ``y`` of n targets."""
        X = as_batch(X, "X", n_features=self.n_inputs, dtype=np.float64)
        y = as_targets(y, len(X), 1, self.activation, np.float64, "y")[:, 0]
        if not self.activation.differentiable and not np.isin(y, (0.0, 1.0)).all():
            bad = float(y[~np.isin(y, (0.0, 1.0))][0])
            raise ValueError(f"a {self.activation.name} neuron needs 0/1 labels, got {bad!r}")
        return X, y

    def _cost(self, cost: str | Cost | None) -> Cost:
        """The cost to train with: the one given, or the activation's canonical cost."""
        canonical = [c for c in COSTS.values() if c.canonical_output is type(self.activation)]
        cost = get_cost(cost if cost is not None else (canonical or ["quadratic"])[0])
        check_output_and_cost(self.activation, cost, 1, COSTS)
        return cost


def _optimizer(optimizer: Any, lr: float | None) -> Optimizer | ImplicitSGD:
    if optimizer is None:
        return SGD(0.1 if lr is None else lr)
    if isinstance(optimizer, ImplicitSGD) and lr is None:
        return optimizer
    return get_optimizer(optimizer, lr=lr)
