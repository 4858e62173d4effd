r"""One artificial neuron: a weighted sum of the inputs, then an activation.

.. math::

   z = w \cdot x + b, \qquad a = \sigma(z).

With the step activation this is Rosenblatt's perceptron, trained by the perceptron rule; with the
sigmoid it is logistic regression, and with the identity linear regression, both trained by
gradient descent on a cost. Whatever the activation, the neuron's decision boundary
:math:`w \cdot x + b = 0` is a straight line (a hyperplane): a single neuron can compute AND and
OR, but not XOR.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.activations import Activation, get_activation
from neuronet.costs import Cost, get_cost
from neuronet.init import small_random
from neuronet.network import COMPATIBLE_OUTPUTS, FUSED_PAIRS
from neuronet.optimizers import SGD, ImplicitSGD, Optimizer, get_optimizer
from neuronet.validation import TrainingDivergedError, as_batch, as_finite_array, check_positive

__all__ = ["Neuron"]

# The loss that implicit SGD minimizes for each link (its canonical loss).
_IMPLICIT_LINKS = {"identity": "quadratic", "sigmoid": "cross_entropy"}


class Neuron:
    r"""A single neuron :math:`a = \sigma(w \cdot x + b)`.

    Parameters
    ----------
    n_inputs : int
        Number of inputs.
    activation : str or Activation
        An elementwise activation: ``"step"`` (the perceptron), ``"sigmoid"``, ``"identity"``,
        ``"tanh"``, ``"relu"``, ``"leaky_relu"``.
    seed : int or None
        Seed of the initial weights (small random numbers, see
        :func:`neuronet.init.small_random`) and of the shuffling in :meth:`fit`.

    Attributes
    ----------
    w : numpy.ndarray, shape (n_inputs,)
        The weights.
    b : float
        The bias, initially 0.

    Raises
    ------
    ValueError
        If ``n_inputs`` is not a positive integer or the activation is softmax (which needs
        several units).
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
        # Kept as a 1-element array so that optimizers can update it in place.
        self._b = np.zeros(1)

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
        """The weighted input :math:`z = X w + b`.

        Parameters
        ----------
        X : array_like, shape (n, n_inputs) or (n_inputs,)
            Several samples, one per row, or a single sample.

        Returns
        -------
        numpy.ndarray of shape (n,), or float for a single sample.

        Raises
        ------
        ValueError
            If ``X`` has the wrong shape or contains NaN or infinity.
        """
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

    def predict(self, X: Any) -> np.ndarray | int:
        """The neuron's decision: 0/1 for step and sigmoid neurons, the output otherwise.

        A sigmoid neuron says 1 when its output exceeds 0.5, i.e. when :math:`z > 0`.
        """
        a = np.asarray(self(X))
        if self.activation.name == "step":
            decision = a.astype(np.int64)
        elif self.activation.name == "sigmoid":
            decision = (a > 0.5).astype(np.int64)
        else:
            return self(X)
        return int(decision) if decision.ndim == 0 else decision

    def fit(
        self,
        X: Any,
        y: Any,
        lr: float | None = None,
        epochs: int = 100,
        cost: str | Cost | None = None,
        optimizer: str | Optimizer | None = None,
        batch_size: int | None = None,
        seed: int | None = None,
    ) -> list[float]:
        r"""Train the neuron; return one number per epoch.

        **Step neuron: the perceptron rule** (Rosenblatt 1958). The examples are visited in the
        order given; after each one,

        .. math::

           w \leftarrow w + \eta\,(y - \hat y)\,x, \qquad b \leftarrow b + \eta\,(y - \hat y),

        which changes nothing when the prediction :math:`\hat y` is right and moves the boundary
        towards the example when it is wrong. The list returned holds, for each epoch, the
        number of training examples misclassified at its end, and training stops at the first
        epoch with none. If the classes are linearly separable this happens after finitely many
        updates (the perceptron convergence theorem); if they are not, as for XOR, it never
        happens.

        **Other activations: gradient descent** on the cost, in batches of ``batch_size``
        (shuffled every epoch) or on the full set, with the optimizer. For sigmoid with
        cross-entropy the gradient with respect to :math:`z` is :math:`(a - y)/n` (see
        :meth:`neuronet.network.MLP.backward`). With an :class:`~neuronet.optimizers.ImplicitSGD`
        optimizer the update is made example by example, in a shuffled order, by
        ``optimizer.step_example``. The list returned holds the cost on the whole training set at
        the end of each epoch.

        Parameters
        ----------
        X : array_like, shape (n, n_inputs)
            Training inputs.
        y : array_like, shape (n,) or (n, 1)
            Targets: 0/1 for a step neuron, in [0, 1] for a sigmoid neuron, real otherwise.
        lr : float or None
            Learning rate :math:`\eta` of the perceptron rule or of the default optimizer,
            ``SGD(lr)``; 0.1 if not given.
        epochs : int
            Maximum number of passes over the data.
        cost : str, Cost or None
            Gradient descent only. Default: ``"cross_entropy"`` for a sigmoid neuron,
            ``"quadratic"`` otherwise.
        optimizer : str, Optimizer or None
            Gradient descent only. Default: ``SGD(lr)``.
        batch_size : int or None
            Gradient descent only: None for full-batch gradient descent.
        seed : int or None
            Seed of the shuffling; None derives one from the neuron's seed.

        Returns
        -------
        list
            Misclassified examples after each epoch (step neuron) or the training cost after
            each epoch (other activations).

        Raises
        ------
        ValueError
            For invalid data, targets, hyper-parameters or combinations (a cost or optimizer
            for the perceptron, an incompatible activation and cost).
        TrainingDivergedError
            If the cost or the outputs become NaN or infinite (learning rate too large).
        """
        epochs = check_positive(epochs, "epochs", integer=True)
        if batch_size is not None:
            batch_size = check_positive(batch_size, "batch_size", integer=True)
        X = as_batch(X, "X", n_features=self.n_inputs, dtype=np.float64)
        y = as_finite_array(y, "y", dtype=np.float64)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.reshape(-1)
        if y.shape != (X.shape[0],):
            raise ValueError(
                f"y must have shape ({X.shape[0]},) or ({X.shape[0]}, 1) to match X of shape "
                f"{X.shape}, got {y.shape}"
            )
        rng = np.random.default_rng(self._seed_sequence.spawn(1)[0] if seed is None else seed)
        if self.activation.name == "step":
            if cost is not None or optimizer is not None or batch_size is not None:
                raise ValueError(
                    "a step neuron is trained by the perceptron rule, one example at a time, "
                    "without a cost, an optimizer or batches (its derivative is zero almost "
                    "everywhere); use activation='sigmoid' for gradient descent"
                )
            _check_binary(y, "a step neuron")
            return self._perceptron(X, y, 0.1 if lr is None else check_positive(lr, "lr"), epochs)

        if self.activation.name == "sigmoid" and ((y < 0).any() or (y > 1).any()):
            raise ValueError(
                f"a sigmoid neuron needs targets in [0, 1] (0/1 labels or probabilities), got "
                f"values from {y.min()} to {y.max()}"
            )
        cost = get_cost(cost if cost is not None else _default_cost(self.activation))
        allowed = COMPATIBLE_OUTPUTS.get(cost.name)
        if allowed is not None and self.activation.name not in allowed:
            raise ValueError(
                f"cost {cost.name!r} does not go with a {self.activation.name!r} neuron; it "
                f"expects {' or '.join(sorted(allowed))} outputs"
            )
        if optimizer is None:
            optimizer = SGD(0.1 if lr is None else lr)
        elif lr is not None:
            if not isinstance(optimizer, str):
                raise ValueError(
                    "lr is only used with the default optimizer or an optimizer name; set the "
                    "learning rate of the optimizer object instead"
                )
            optimizer = get_optimizer(optimizer, lr=lr)
        else:
            optimizer = get_optimizer(optimizer)

        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if isinstance(optimizer, ImplicitSGD):
                return self._implicit(X, y, cost, optimizer, epochs, batch_size, rng)
            return self._gradient_descent(X, y, cost, optimizer, epochs, batch_size, rng)

    # ------------------------------------------------------------------ training loops

    def _perceptron(self, X: np.ndarray, y: np.ndarray, lr: float, epochs: int) -> list[float]:
        errors: list[float] = []
        for _ in range(epochs):
            for x_i, y_i in zip(X, y, strict=True):
                y_hat = 1.0 if float(x_i @ self.w) + self.b >= 0 else 0.0
                if y_hat != y_i:
                    self.w += (lr * (y_i - y_hat)) * x_i
                    self.b += lr * (y_i - y_hat)
            predictions = (X @ self.w + self.b >= 0).astype(np.float64)
            errors.append(int(np.count_nonzero(predictions != y)))
            if errors[-1] == 0:
                break
        return errors

    def _gradient_descent(
        self,
        X: np.ndarray,
        y: np.ndarray,
        cost: Cost,
        optimizer: Optimizer,
        epochs: int,
        batch_size: int | None,
        rng: np.random.Generator,
    ) -> list[float]:
        n = X.shape[0]
        batch = n if batch_size is None else min(batch_size, n)
        fused = (self.activation.name, cost.name) in FUSED_PAIRS
        params = [self.w, self._b]
        grad_w, grad_b = np.empty_like(self.w), np.empty(1)
        losses: list[float] = []
        for epoch in range(1, epochs + 1):
            order = rng.permutation(n) if batch < n else np.arange(n)
            for start in range(0, n, batch):
                rows = order[start : start + batch]
                xb, yb = X[rows], y[rows]
                z = xb @ self.w + self.b
                a = self.activation._forward(z)
                if not np.isfinite(a).all():
                    self._diverged(np.nan, epoch, optimizer)
                if fused:
                    delta = (a - yb) / len(rows)
                else:
                    delta = self.activation._backward(z, cost.gradient(a, yb))
                np.matmul(xb.T, delta, out=grad_w)
                grad_b[0] = delta.sum()
                optimizer.step(params, [grad_w, grad_b])
            losses.append(self._epoch_loss(X, y, cost, epoch, optimizer))
        return losses

    def _implicit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        cost: Cost,
        optimizer: ImplicitSGD,
        epochs: int,
        batch_size: int | None,
        rng: np.random.Generator,
    ) -> list[float]:
        link = self.activation.name
        if _IMPLICIT_LINKS.get(link) != cost.name:
            raise ValueError(
                "ImplicitSGD trains an identity neuron with the quadratic cost or a sigmoid "
                f"neuron with cross_entropy, got a {link!r} neuron with {cost.name!r}"
            )
        if batch_size not in (None, 1):
            raise ValueError(
                f"ImplicitSGD updates one example at a time; batch_size must be None or 1, "
                f"got {batch_size}"
            )
        losses: list[float] = []
        for epoch in range(1, epochs + 1):
            for i in rng.permutation(X.shape[0]):
                self.b = optimizer.step_example(self.w, self.b, X[i], y[i], link=link)
            losses.append(self._epoch_loss(X, y, cost, epoch, optimizer))
        return losses

    def _epoch_loss(
        self, X: np.ndarray, y: np.ndarray, cost: Cost, epoch: int, optimizer: Optimizer
    ) -> float:
        a = self.activation._forward(X @ self.w + self.b)
        loss = float(cost(a, y)) if np.isfinite(a).all() else np.nan
        if not np.isfinite(loss):
            self._diverged(loss, epoch, optimizer)
        return loss

    @staticmethod
    def _diverged(loss: float, epoch: int, optimizer: Optimizer) -> None:
        raise TrainingDivergedError(
            f"loss became non-finite ({loss}) at epoch {epoch}; try a smaller learning rate "
            f"(current: {optimizer.lr})"
        )


def _default_cost(activation: Activation) -> str:
    return "cross_entropy" if activation.name == "sigmoid" else "quadratic"


def _check_binary(y: np.ndarray, who: str) -> None:
    if not np.isin(y, (0.0, 1.0)).all():
        bad = float(y[~np.isin(y, (0.0, 1.0))][0])
        raise ValueError(f"{who} needs 0/1 labels, got the value {bad!r}")
