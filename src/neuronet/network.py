r"""The multilayer perceptron: a stack of dense layers trained by backpropagation.

An :class:`MLP` with ``sizes = [n_0, n_1, ..., n_L]`` holds ``L`` :class:`~neuronet.layers.Dense`
layers. The hidden layers share one activation; the last layer has its own (the *output*
activation), matched to the *cost* that measures its error (the constructor refuses the pairs
that make no sense, :meth:`~neuronet.costs.Cost.suits`). The forward pass feeds a batch through
the layers; the backward pass starts from the output layer's error and applies the chain rule
layer by layer, from the last to the first, leaving :math:`\partial C/\partial W` and
:math:`\partial C/\partial b` in each layer's ``grads``. :meth:`MLP.fit` repeats this on shuffled
mini-batches (:func:`neuronet.training.train`) and lets an optimizer update the weights.
"""

from __future__ import annotations

import functools
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from neuronet.activations import Activation, LeakyReLU, ReLU, get_activation
from neuronet.costs import COSTS, Cost, get_cost
from neuronet.data.preprocessing import as_targets
from neuronet.layers import Dense
from neuronet.optimizers import Optimizer, get_optimizer
from neuronet.saving import load, save
from neuronet.training import History, train
from neuronet.validation import (
    as_batch,
    check_output_and_cost,
    check_positive,
    check_sizes,
    is_trusted,
    trusted,
)

__all__ = ["MLP"]


class MLP:
    """A multilayer perceptron (a feedforward network of dense layers).

    Parameters
    ----------
    sizes : sequence of int
        Number of units of each layer, inputs first: ``[784, 256, 128, 10]`` is a network with 784
        inputs, two hidden layers and 10 outputs.
    activation : str or Activation
        Activation of the hidden layers.
    output : str or Activation
        Activation of the output layer: ``"softmax"`` for one class among several (2 units or
        more), ``"sigmoid"`` for yes/no labels, ``"identity"`` for regression.
    cost : str or Cost
        The cost minimized by :meth:`fit`; it must suit the output.
    init : str, callable or None
        Weight initializer of every layer; None picks ``"he"`` for ReLU-like layers and
        ``"xavier"`` for the others (including the output layer).
    seed : int or None
        Seeds everything random: each layer's initialization, and each call of :meth:`fit` not
        given a seed, gets its own stream (``numpy.random.SeedSequence.spawn``). The same seed and
        the same calls give the same weights and the same history.
    dtype : numpy dtype
        Floating type of the weights and of all computations (float32 halves the memory and speeds
        up the matrix products; gradient checks need float64).
    """

    def __init__(
        self,
        sizes: Any,
        activation: str | Activation = "relu",
        output: str | Activation = "softmax",
        cost: str | Cost = "categorical_cross_entropy",
        init: Any = None,
        seed: int | None = 0,
        dtype: Any = np.float64,
    ) -> None:
        self.sizes = check_sizes(sizes)
        self.activation = get_activation(activation)
        self.output = get_activation(output)
        self.cost = get_cost(cost)
        self.dtype = np.dtype(dtype)  # a floating type, checked by each layer
        check_output_and_cost(self.output, self.cost, self.sizes[-1], COSTS)
        self._seed_sequence = np.random.SeedSequence(seed)
        n_layers = len(self.sizes) - 1
        layer_seeds = self._seed_sequence.spawn(n_layers)
        self.layers: list[Dense] = []
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:], strict=True)):
            act = self.output if i == n_layers - 1 else self.activation
            layer_init = init if init is not None else _default_init(act)
            self.layers.append(Dense(n_in, n_out, act, layer_init, layer_seeds[i], self.dtype))

    def __repr__(self) -> str:
        arrows = "→".join(str(n) for n in self.sizes)
        return (
            f"MLP({arrows}, activation={self.activation.name!r}, output={self.output.name!r}, "
            f"cost={self.cost.name!r}, dtype={self.dtype.name})"
        )

    @property
    def is_classifier(self) -> bool:
        """True for softmax and sigmoid outputs, whose outputs are read as class decisions."""
        return self.output.classifies

    def forward(self, X: Any) -> np.ndarray:
        """The output layer's activations for ``X``, one sample per row (a 1-D ``X`` is one
        sample): for softmax, a distribution over the classes; for a sigmoid, P(yes)."""
        a = as_batch(X, "X", n_features=self.sizes[0], dtype=self.dtype)
        with trusted():
            for layer in self.layers:
                a = layer.forward(a)
        return a

    predict_proba = forward

    def backward(self, Y: Any) -> None:
        r"""Back-propagate the error of the last :meth:`forward` against the targets ``Y``.

        The output layer's error comes from the cost, :math:`\delta^L = \partial C/\partial z^L`
        (:meth:`Cost.delta`: :math:`(a - y)/n` for the canonical pairs). Each layer turns its
        :math:`\delta` into its ``grads``, :math:`\partial C/\partial W = X^\top\delta` and
        :math:`\partial C/\partial b = \sum \delta`, and hands
        :math:`\partial C/\partial a = \delta W^\top` down to the layer below, whose activation
        makes it that layer's :math:`\delta`.
        """
        last = self.layers[-1]
        if last.a is None:
            raise RuntimeError(
                "forward must be called first: backward propagates the error of the last "
                "forward pass"
            )
        if not is_trusted():
            Y = self._targets(Y, last.a.shape[0], "Y")
        with trusted():
            delta = self.cost.delta(self.output, last.z, last.a, Y)
            grad = last.backward_delta(delta, need_input_grad=len(self.layers) > 1)
            for i in range(len(self.layers) - 2, -1, -1):
                # The first layer's input gradient (with respect to the data) is never needed.
                grad = self.layers[i].backward(grad, need_input_grad=i > 0)

    def backprop(self, X: np.ndarray, Y: np.ndarray, l2: float = 0.0) -> float:
        r"""Forward pass, cost and backward pass on one batch prepared by :meth:`fit`; return the
        cost. With ``l2``, every weight gradient gains :math:`\lambda W` (the cost does not)."""
        with trusted():
            a = X
            for layer in self.layers:
                a = layer.forward(a)
            cost = self.cost(a, Y)
            if np.isfinite(cost):
                self.backward(Y)
            if l2:  # the gradient of the penalty (λ/2) Σ ||W||² is λ W
                for layer in self.layers:
                    layer.grads["W"] += l2 * layer.params["W"]
        return cost

    def parameters(self) -> list[np.ndarray]:
        """The live parameter arrays ``[W1, b1, W2, b2, ...]``, for an optimizer to update."""
        return [p for layer in self.layers for p in (layer.params["W"], layer.params["b"])]

    def gradients(self) -> list[np.ndarray]:
        """The gradient arrays of the last backward pass, aligned with :meth:`parameters`."""
        return [g for layer in self.layers for g in (layer.grads["W"], layer.grads["b"])]

    def loss(self, X: Any, Y: Any) -> float:
        """The cost of the outputs on ``X`` against the targets ``Y`` (as in :meth:`fit`)."""
        a = self.forward(X)
        Y = self._targets(Y, a.shape[0], "Y")
        with trusted():
            return self.cost(a, Y)

    def predict(self, X: Any) -> np.ndarray:
        """The decisions on ``X``: for softmax the most probable class, ``(n,)``; for sigmoid 1
        where the probability exceeds 0.5, ``(n,)`` or ``(n, k)``; for regression the outputs."""
        return self._decide(self.forward(X))

    def accuracy(self, X: Any, y: Any) -> float:
        """Fraction of the samples classified correctly, for labels ``y`` as in :meth:`fit` (with
        several sigmoid units, a sample is correct when all its labels are)."""
        if not self.is_classifier:
            raise ValueError(
                f"accuracy is defined for classifiers (softmax or sigmoid output); this network "
                f"has a {self.output.name!r} output, use loss() instead"
            )
        a = self.forward(X)
        truth = self._decide(self._targets(y, len(a), "y"))
        return _count_agreement(self._decide(a), truth) / len(a)

    def _decide(self, a: np.ndarray) -> np.ndarray:
        decision = self.output.decide(a)
        one_label = self.output.classifies and decision.ndim == 2 and decision.shape[1] == 1
        return decision[:, 0] if one_label else decision

    def _count_correct(self, Y: np.ndarray) -> int:
        """How many samples of the last batch the network got right (for the training loop)."""
        return _count_agreement(self._decide(self.layers[-1].a), self._decide(Y))

    def fit(
        self,
        X: Any,
        Y: Any,
        optimizer: str | Optimizer = "adam",
        epochs: int = 10,
        batch_size: int | None = 32,
        shuffle: bool = True,
        seed: int | None = None,
        validation_data: tuple[Any, Any] | None = None,
        progress: bool = False,
        lr: float | None = None,
        l2: float = 0.0,
        early_stopping: int | None = None,
    ) -> History:
        r"""Train the network by mini-batch gradient descent on the cost; return the history.

        Each epoch visits the training set once, in a fresh random order (if ``shuffle``), in
        batches of ``batch_size`` samples: forward pass, cost, backward pass, one optimizer step per
        batch (:func:`neuronet.training.train`). The :class:`History` holds, per epoch, ``loss`` and
        (for classifiers) ``accuracy`` on the training batches as they were visited, and
        ``val_loss`` and ``val_accuracy`` at the end of the epoch. A non-finite loss or weight (the
        learning rate is too large) raises a ``TrainingDivergedError`` and leaves the network as it
        then was.

        Parameters
        ----------
        X : array_like, shape (n, n_inputs)
            Training inputs, checked once and cast to the network's dtype.
        Y : array_like
            Targets. Softmax output: class indices ``(n,)`` or probability rows ``(n, k)``
            (one-hot or soft labels). Sigmoid output: values in [0, 1], ``(n,)`` or ``(n, 1)`` for
            one unit, ``(n, k)`` for several. Other outputs: any real targets.
        optimizer : str or Optimizer
            An optimizer, or a name from :data:`neuronet.optimizers.OPTIMIZERS` (created with its
            defaults and ``lr``). An object keeps its state (momentum, Adam's moments) from one
            call to the next.
        epochs : int
            Number of passes over the training set.
        batch_size : int or None
            Samples per update: None (or ``n``) is full-batch gradient descent, 1 stochastic
            gradient descent, anything in between mini-batch; the last batch may be smaller.
        shuffle : bool
            Reshuffle the training set at the start of every epoch.
        seed : int or None
            Seed of the shuffling; None derives a fresh stream from the network's seed.
        validation_data : (X_val, Y_val) or None
            Held-out data evaluated at the end of every epoch.
        progress : bool
            Show a tqdm progress bar for each epoch, with the running loss.
        lr : float or None
            Learning rate, when ``optimizer`` is a name.
        l2 : float
            L2 regularization (weight decay) :math:`\lambda \ge 0`: training minimizes
            :math:`C + \frac{\lambda}{2}\sum_l \lVert W^l \rVert^2`, so every weight gradient
            gains :math:`\lambda W^l` (biases are not penalized). The history records the cost
            alone, so that runs with different ``l2`` compare (see :meth:`weight_penalty`).
        early_stopping : int or None
            Patience: stop when the validation loss has not improved for this many epochs, and
            restore the weights of the best epoch (``History.best_epoch``).
        """
        if isinstance(l2, bool) or not isinstance(l2, int | float) or not 0 <= l2 < np.inf:
            raise ValueError(f"l2 must be a finite number >= 0, got {l2!r}")
        if not self.activation.differentiable:
            raise ValueError(
                f"cannot train a network with {self.activation.name} activations by gradient "
                "descent: the step's derivative is zero almost everywhere, so no error flows "
                "back; use 'sigmoid' (or train a single step neuron with the perceptron rule, "
                "Neuron.fit)"
            )
        optimizer = get_optimizer(optimizer, lr=lr)
        X = as_batch(X, "X", n_features=self.sizes[0], dtype=self.dtype)
        Y = self._targets(Y, X.shape[0], "Y")
        validate = self._validation(validation_data, early_stopping)
        rng = np.random.default_rng(self._seed_sequence.spawn(1)[0] if seed is None else seed)
        # Overflow in a diverging run is reported once, as TrainingDivergedError.
        with trusted(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return train(
                self, X, Y, optimizer, epochs, batch_size, rng,
                shuffle=shuffle,
                progress=progress,
                backprop=functools.partial(self.backprop, l2=l2),
                score=self._count_correct if self.is_classifier else None,
                validate=validate,
                patience=early_stopping,
            )  # fmt: skip

    def _validation(self, validation_data: Any, patience: int | None) -> Any:
        """``validate()`` for the training loop: the cost and accuracy on held-out data."""
        if patience is not None:
            check_positive(patience, "early_stopping", integer=True)
            if validation_data is None:
                raise ValueError(
                    "early_stopping watches the validation loss: pass validation_data=(X_val, "
                    "Y_val), held-out data the network does not train on"
                )
        if validation_data is None:
            return None
        if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (X_val, Y_val)")
        X_val = as_batch(validation_data[0], "validation X", self.sizes[0], dtype=self.dtype)
        Y_val = self._targets(validation_data[1], X_val.shape[0], "validation Y")

        def validate() -> tuple[float, float | None]:
            a = self.forward(X_val)
            right = _count_agreement(self._decide(a), self._decide(Y_val))
            return self.cost(a, Y_val), right / len(a) if self.is_classifier else None

        return validate

    def weight_penalty(self) -> float:
        r"""Half the sum of the squared weights, :math:`\frac12\sum_l \lVert W^l \rVert^2`: times
        ``l2``, the L2 penalty (biases excluded)."""
        return 0.5 * sum(float(np.sum(layer.params["W"] ** 2)) for layer in self.layers)

    def _targets(self, Y: Any, n: int, name: str) -> np.ndarray:
        """Targets checked against the output layer, as ``(n, k)`` in the model's dtype."""
        return as_targets(Y, n, self.sizes[-1], self.output, self.dtype, name)

    def save(self, path: str | PathLike[str]) -> Path:
        """Save the weights and configuration to a ``.npz`` file (:func:`neuronet.saving.save`)."""
        return save(self, path)

    @classmethod
    def load(cls, path: str | PathLike[str]) -> MLP:
        """Load a network saved by :meth:`save` (:func:`neuronet.saving.load`)."""
        return load(path, cls)


def _default_init(activation: Activation) -> str:
    return "he" if isinstance(activation, ReLU | LeakyReLU) else "xavier"


def _count_agreement(predicted: np.ndarray, truth: np.ndarray) -> int:
    same = predicted == truth
    if same.ndim == 2:
        same = same.all(axis=1)
    return int(np.count_nonzero(same))
