r"""One artificial neuron: a weighted sum of the inputs, then an activation.

.. math:: z = w \cdot x + b, \qquad a = \sigma(z).

With the step activation this is Rosenblatt's perceptron, trained by the perceptron rule; with the
sigmoid it is logistic regression, and with the identity linear regression, both trained by
gradient descent on a cost, or by implicit SGD (:class:`ImplicitSGD`). Whatever the activation,
the decision boundary :math:`w \cdot x + b = 0` is a straight line (a hyperplane): a single
neuron can compute AND and OR, but not XOR.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from neuronet.activations import Activation, Identity, get_activation
from neuronet.costs import COSTS, Cost, get_cost
from neuronet.init import small_random
from neuronet.optimizers import SGD, Optimizer, get_optimizer
from neuronet.training import diverged, train
from neuronet.validation import as_batch, as_finite_array, check_positive, trusted

__all__ = ["ImplicitSGD", "Neuron"]


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
        cost = self._cost(cost, y)
        optimizer = _optimizer(optimizer, lr)
        rng = np.random.default_rng(self._seed_sequence.spawn(1)[0] if seed is None else seed)
        with trusted(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if isinstance(optimizer, ImplicitSGD):
                return self._fit_implicit(X, y, cost, optimizer, epochs, batch_size, rng)
            losses: list[float] = []
            record = self._recorder(X, y, cost, optimizer, losses)
            train(
                self, X, y, optimizer, epochs, batch_size, rng,
                backprop=functools.partial(self.backprop, cost=cost),
                end_of_epoch=lambda epoch, history: record(epoch),
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

    def _fit_implicit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        cost: Cost,
        optimizer: ImplicitSGD,
        epochs: int,
        batch_size: int | None,
        rng: np.random.Generator,
    ) -> list[float]:
        if not isinstance(self.activation, cost.canonical_output or ()):
            raise ValueError(
                "ImplicitSGD trains an identity neuron with the quadratic cost or a sigmoid "
                f"neuron with cross_entropy, got a {self.activation.name!r} neuron with "
                f"{cost.name!r}"
            )
        if batch_size not in (None, 1):
            raise ValueError(
                f"ImplicitSGD updates one example at a time; batch_size must be None or 1, "
                f"got {batch_size}"
            )
        losses: list[float] = []
        record = self._recorder(X, y, cost, optimizer, losses)
        for epoch in range(1, epochs + 1):
            for i in rng.permutation(len(X)):
                self.b = optimizer.step_example(self.w, self.b, X[i], y[i], self.activation)
            record(epoch)
        return losses

    def _recorder(
        self, X: np.ndarray, y: np.ndarray, cost: Cost, optimizer: Any, losses: list[float]
    ) -> Any:
        """``record(epoch)``: append the cost on the whole training set to ``losses``."""

        def record(epoch: int) -> None:
            losses.append(cost(self.activation.forward(X @ self._w + self._b[0]), y))
            if not math.isfinite(losses[-1]):
                raise diverged("loss", f"at epoch {epoch}", optimizer, value=losses[-1])

        return record

    def _data(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        """Check the training data: ``X`` of shape (n, n_inputs), ``y`` of n targets."""
        X = as_batch(X, "X", n_features=self.n_inputs, dtype=np.float64)
        y = as_finite_array(y, "y", dtype=np.float64)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.reshape(-1)
        if y.shape != (X.shape[0],):
            raise ValueError(
                f"y must have shape ({X.shape[0]},) or ({X.shape[0]}, 1) to match X of shape "
                f"{X.shape}, got {y.shape}"
            )
        low, high = self.activation.range
        if not self.activation.differentiable and not np.isin(y, (0.0, 1.0)).all():
            bad = float(y[~np.isin(y, (0.0, 1.0))][0])
            raise ValueError(
                f"a {self.activation.name} neuron needs 0/1 labels, got the value {bad!r}"
            )
        if y.min() < low or y.max() > high:
            raise ValueError(
                f"a {self.activation.name} neuron needs targets in [{low:g}, {high:g}] (0/1 "
                f"labels or probabilities), got values from {y.min()} to {y.max()}"
            )
        return X, y

    def _cost(self, cost: str | Cost | None, y: np.ndarray) -> Cost:
        """The cost to train with: the one given, or the activation's canonical cost."""
        canonical = [c for c in COSTS.values() if c.canonical_output is type(self.activation)]
        cost = get_cost(cost if cost is not None else (canonical or ["quadratic"])[0])
        if not cost.suits(self.activation):
            expects = " or ".join(sorted(cls.name for cls in cost.outputs))
            raise ValueError(
                f"cost {cost.name!r} does not go with a {self.activation.name!r} neuron; it "
                f"expects {expects} outputs"
            )
        return cost


def _optimizer(optimizer: Any, lr: float | None) -> Optimizer | ImplicitSGD:
    if optimizer is None:
        return SGD(0.1 if lr is None else lr)
    if lr is not None and not isinstance(optimizer, str):
        raise ValueError(
            "lr is only used with the default optimizer or an optimizer name; set the "
            "learning rate of the optimizer object instead"
        )
    if isinstance(optimizer, ImplicitSGD):
        return optimizer
    return get_optimizer(optimizer) if lr is None else get_optimizer(optimizer, lr=lr)


class ImplicitSGD:
    r"""Implicit (proximal) SGD for a single neuron (Toulis & Airoldi 2017).

    Explicit SGD evaluates the gradient at the current parameters, implicit SGD at the ones it is
    about to reach. For a neuron :math:`h(x \cdot \theta)` with its canonical cost (identity and
    quadratic: linear regression; sigmoid and cross-entropy: logistic regression), one example gives

    .. math:: \theta_n = \theta_{n-1} + \eta\, \bigl(y - h(x \cdot \theta_n)\bigr)\, x .

    The new parameters appear on both sides, but the step is along :math:`x`, so
    :math:`\theta_n = \theta_{n-1} + \eta\, \xi\, x` with a scalar :math:`\xi` solving

    .. math:: \xi = y - h\bigl(x \cdot \theta_{n-1} + \eta\, \xi\, \lVert x \rVert^2\bigr)

    (the bias is a weight on a constant input 1, so :math:`\lVert x \rVert^2` includes +1). For
    the identity, :math:`\xi = (y - x \cdot \theta_{n-1}) / (1 + \eta \lVert x \rVert^2)`: the
    denominator shrinks large steps, so implicit SGD stays stable where explicit SGD (stable only
    for :math:`\eta \lVert x \rVert^2 < 2`) diverges. For the sigmoid, :math:`\xi` lies between 0
    and :math:`y - h(x \cdot \theta_{n-1})` and is found by Newton's method safeguarded by
    bisection. Not an :class:`~neuronet.optimizers.Optimizer` (it needs the example, not a
    gradient): it trains a :class:`Neuron`, ``Neuron.fit(..., optimizer=ImplicitSGD(lr))``.

    Parameters
    ----------
    lr : float
        The learning rate :math:`\eta`.
    """

    name = "implicit_sgd"

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = float(check_positive(lr, "lr"))
        self.t = 0

    def __repr__(self) -> str:
        return f"ImplicitSGD(lr={self.lr!r})"

    def step_example(
        self, w: np.ndarray, b: float, x: Any, y: float, link: str | Activation = "identity"
    ) -> float:
        """One implicit step on ``(x, y)``: update the 1-D float array ``w`` **in place**, return
        the new bias. ``link`` is :math:`h`, identity or sigmoid (then ``y`` is in [0, 1])."""
        h = _link(link)
        x, b, y = _example(w, b, x, y, h)
        z = float(x @ w) + b
        s = self.lr * (float(x @ x) + 1.0)  # η ||x||², the bias input 1 included
        r = y - float(h.forward(np.float64(z)))  # the explicit residual
        xi = r / (1.0 + s) if isinstance(h, Identity) else _solve(h, z, y, s, r)
        w += self.lr * xi * x
        self.t += 1
        return b + self.lr * xi


def _link(link: str | Activation) -> Activation:
    outputs = {cost.canonical_output for cost in COSTS.values()} - {None}
    links = {cls.name: cls for cls in outputs if cls.elementwise}
    h = get_activation(link) if isinstance(link, str) and link in links else link
    if not isinstance(h, tuple(links.values())):
        raise ValueError(f"unknown link {link!r}; valid links are: {', '.join(sorted(links))}")
    return h


def _example(w: Any, b: Any, x: Any, y: Any, h: Activation) -> tuple[np.ndarray, float, float]:
    if not isinstance(w, np.ndarray) or w.dtype.kind != "f" or w.ndim != 1:
        kind = f"shape {w.shape}, dtype {w.dtype}" if isinstance(w, np.ndarray) else type(w)
        raise TypeError(f"w must be a 1-D floating-point NumPy array, got {kind}")
    x = np.asarray(x, dtype=np.float64)
    if x.shape != w.shape:
        raise ValueError(f"x has shape {x.shape} but w has shape {w.shape}")
    b, y = _scalar(b, "b"), _scalar(y, "y")
    if not (np.isfinite(x).all() and math.isfinite(b) and math.isfinite(y)):
        raise ValueError("x, b and y must be finite")
    low, high = h.range
    if not low <= y <= high:
        raise ValueError(f"a {h.name} neuron's target must be in [{low:g}, {high:g}], got {y!r}")
    return x, b, y


def _scalar(value: Any, name: str) -> float:
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a single number, got {value!r}")
    return float(arr.reshape(-1)[0])


def _solve(h: Activation, z: float, y: float, s: float, r: float) -> float:
    r"""Solve :math:`\xi = y - h(z + s\xi)` for an increasing link :math:`h`.

    :math:`F(\xi) = \xi - y + h(z + s\xi)` is increasing, :math:`F(0) = -r` and :math:`F(r)` has
    the sign of :math:`r`: the root lies between 0 and the explicit residual :math:`r`. Newton
    steps are taken while they stay inside that bracket and at least halve the previous step,
    else the bracket is bisected (the safeguard of Numerical Recipes' ``rtsafe``).
    """
    lo, hi = min(0.0, r), max(0.0, r)
    xi, last_step = 0.0, hi - lo
    with trusted():
        for _ in range(200):
            f = xi - y + float(h.forward(np.float64(z + s * xi)))
            if f == 0.0:
                break
            lo, hi = (xi, hi) if f < 0 else (lo, xi)
            newton = xi - f / (1.0 + s * float(h.derivative(np.float64(z + s * xi))))
            if lo < newton < hi and abs(newton - xi) < 0.5 * last_step:
                step, xi = abs(newton - xi), newton
            else:
                step = 0.5 * (hi - lo)
                xi = lo + step
            last_step = step
            if step <= 1e-16 * max(1.0, abs(xi)):
                break
    return xi
