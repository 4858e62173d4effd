r"""The multilayer perceptron: a stack of dense layers trained by backpropagation.

An :class:`MLP` with ``sizes = [n_0, n_1, ..., n_L]`` holds ``L`` :class:`~neuronet.layers.Dense`
layers. The hidden layers share one activation; the last layer has its own (the *output*
activation), matched to the *cost* that measures its error. The forward pass feeds a batch through
the layers; the backward pass starts from the cost's gradient and applies the chain rule layer by
layer, from the last to the first, leaving :math:`\partial C/\partial W` and
:math:`\partial C/\partial b` in each layer's ``grads``. :meth:`MLP.fit` repeats this on shuffled
mini-batches and lets an optimizer update the weights.

Not every output activation goes with every cost: :data:`COMPATIBLE_OUTPUTS` lists, for each cost,
the output activations it makes sense with, and the constructor refuses the other pairs.
"""

from __future__ import annotations

import inspect
import json
from dataclasses import asdict, dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from neuronet.activations import ACTIVATIONS, Activation, get_activation
from neuronet.costs import COSTS, Cost, get_cost
from neuronet.data import minibatches, one_hot, to_class_indices
from neuronet.layers import Dense
from neuronet.optimizers import Optimizer, get_optimizer
from neuronet.validation import TrainingDivergedError, as_batch, as_finite_array, check_positive

__all__ = ["COMPATIBLE_OUTPUTS", "FUSED_PAIRS", "MLP", "History"]

_ANY_REAL = frozenset({"identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"})
_POSITIVE = frozenset({"sigmoid", "softmax"})

#: For each cost, the output activations it is meant for. The quadratic and exponential costs
#: compare any real outputs with their targets. Binary cross-entropy reads each output as the
#: probability of a yes/no event, so it needs sigmoid units; categorical cross-entropy and the
#: Kullback–Leibler divergence compare two probability distributions, so they need a softmax.
#: Hellinger, generalized KL and Itakura–Saito take square roots, logarithms or ratios of the
#: outputs, which must therefore be positive (sigmoid or softmax).
COMPATIBLE_OUTPUTS: dict[str, frozenset[str]] = {
    "quadratic": _ANY_REAL,
    "exponential": _ANY_REAL,
    "cross_entropy": frozenset({"sigmoid"}),
    "categorical_cross_entropy": frozenset({"softmax"}),
    "kl_divergence": frozenset({"softmax"}),
    "hellinger": _POSITIVE,
    "generalized_kl": _POSITIVE,
    "itakura_saito": _POSITIVE,
}

#: (output activation, cost) pairs whose gradient with respect to the output pre-activation
#: simplifies to :math:`(a - y)/n`.
FUSED_PAIRS = frozenset({("softmax", "categorical_cross_entropy"), ("sigmoid", "cross_entropy")})

_RELU_LIKE = frozenset({"relu", "leaky_relu"})
_FORMAT = "neuronet.MLP"


@dataclass
class History:
    """What happened during :meth:`MLP.fit`, one entry per epoch.

    Attributes
    ----------
    loss : list of float
        Mean training loss of each epoch.
    accuracy : list of float
        Training accuracy of each epoch (classifiers only; empty otherwise).
    val_loss, val_accuracy : list of float
        Loss and accuracy on the validation data at the end of each epoch (empty without
        validation data; accuracy only for classifiers).
    best_epoch : int or None
        With early stopping: the epoch (counted from 1) whose weights the network was given back,
        the one with the lowest validation loss. None otherwise.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    best_epoch: int | None = None

    @property
    def epochs(self) -> int:
        """Number of epochs recorded."""
        return len(self.loss)

    def as_dict(self) -> dict[str, list[float]]:
        """The four per-epoch lists as a dictionary, for a table or a plot."""
        return {key: value for key, value in asdict(self).items() if isinstance(value, list)}


class MLP:
    r"""A multilayer perceptron (a feedforward network of dense layers).

    Parameters
    ----------
    sizes : sequence of int
        Number of units of each layer, inputs first: ``[784, 256, 128, 10]`` is a network with
        784 inputs, two hidden layers and 10 outputs.
    activation : str or Activation
        Activation of the hidden layers.
    output : str or Activation
        Activation of the output layer: ``"softmax"`` for one class among several, ``"sigmoid"``
        for yes/no (one unit) or independent yes/no labels (several units), ``"identity"`` for
        regression.
    cost : str or Cost
        The cost minimized by :meth:`fit`; must suit the output (see
        :data:`COMPATIBLE_OUTPUTS`).
    init : str, callable or None
        Weight initializer for every layer. None picks, layer by layer, ``"he"`` for ReLU-like
        layers and ``"xavier"`` for the others (including the output layer).
    seed : int or None
        Seeds everything random: each layer's initialization gets its own stream derived from
        it (``numpy.random.SeedSequence.spawn``), and so does each call of :meth:`fit` that is
        not given a seed of its own. The same seed and the same calls give the same weights and
        the same history.
    dtype : numpy dtype
        Floating type of the weights and of all computations (float32 halves the memory and
        speeds up the matrix products; gradient checks need float64).

    Raises
    ------
    ValueError
        If ``sizes`` is not a sequence of at least two positive integers, a name is unknown, the
        output and the cost do not go together, or a softmax output has a single unit.
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
        self.sizes = _check_sizes(sizes)
        self.activation = get_activation(activation)
        self.output = get_activation(output)
        self.cost = get_cost(cost)
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "f":
            raise ValueError(f"dtype must be a floating type such as float64, got {self.dtype}")
        _check_output_cost(self.output, self.cost, self.sizes[-1])
        #: Whether :meth:`backward` uses the simplified output gradient :math:`(a - y)/n`.
        #: Set it to False to run the general chain rule instead (same result, slower).
        self.fused = (self.output.name, self.cost.name) in FUSED_PAIRS
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

    # ----------------------------------------------------------------- forward and backward

    @property
    def is_classifier(self) -> bool:
        """True for softmax and sigmoid outputs, whose outputs are read as class decisions."""
        return self.output.name in ("softmax", "sigmoid")

    def forward(self, X: Any) -> np.ndarray:
        """Feed a batch through every layer and return the network's output.

        For a softmax output each row is a probability distribution over the classes; for a
        sigmoid output each entry is the probability of a "yes".

        Parameters
        ----------
        X : array_like, shape (batch, n_inputs) or (n_inputs,)
            The inputs, one sample per row (a 1-D array is one sample).

        Returns
        -------
        numpy.ndarray, shape (batch, n_outputs)
            The activations of the output layer.

        Raises
        ------
        ValueError
            If ``X`` has the wrong number of features or contains NaN or infinity.
        """
        return self._forward(as_batch(X, "X", n_features=self.sizes[0], dtype=self.dtype))

    predict_proba = forward

    def _forward(self, X: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            X = layer._forward(X)
        return X

    def backward(self, Y: Any) -> None:
        r"""Back-propagate the error of the last forward pass; fill every layer's ``grads``.

        The backward pass starts at the output. For most pairs it takes the cost's gradient
        :math:`\partial C/\partial a` and multiplies it by the output activation's derivative
        (for softmax, its Jacobian) to get :math:`\delta = \partial C/\partial z`. For softmax
        with categorical cross-entropy, and for sigmoid with binary cross-entropy, that product
        simplifies, exactly, to

        .. math::

           \delta = \frac{\partial C}{\partial z} = \frac{a - y}{n}.

        For the sigmoid: :math:`\partial C/\partial a = \frac{1}{n}\frac{a - y}{a(1-a)}` and
        :math:`\sigma'(z) = a(1-a)`, which cancel. For softmax with one-hot (or any
        probability-row) targets: :math:`\partial C/\partial z_j = \frac{1}{n}\sum_k
        (-y_k/a_k)\, a_k(\delta_{kj} - a_j) = \frac{1}{n}(a_j - y_j)`. This is the chain rule,
        not an approximation, and it is why these pairs learn well: the error signal is
        proportional to how wrong the output is and contains no :math:`\sigma'(z)`, so a
        saturated, confidently wrong unit still gets a large gradient, where the quadratic
        cost's gradient :math:`(a - y)\sigma'(z)` nearly vanishes (the learning slowdown). It
        is also cheaper and avoids dividing by outputs close to 0. The result equals the
        general path (set ``fused = False`` to compare).

        Parameters
        ----------
        Y : array_like
            Targets for the batch of the last :meth:`forward`; class indices are accepted for
            a softmax output (see :meth:`fit`).

        Raises
        ------
        RuntimeError
            If :meth:`forward` has not been called first.
        ValueError
            If the targets do not fit the last batch or the output.
        """
        a = self.layers[-1]._a
        if a is None:
            raise RuntimeError(
                "forward must be called first: backward propagates the error of the last "
                "forward pass"
            )
        self._backward(a, self._targets(Y, a.shape[0], "Y"))

    def _backward(self, a: np.ndarray, Y: np.ndarray) -> None:
        last = len(self.layers) - 1
        output_layer = self.layers[last]
        if self.fused:
            delta = a - Y
            delta *= 1.0 / a.shape[0]
            grad = output_layer._backward_delta(delta, last > 0)
        else:
            grad = output_layer._backward(self.cost.gradient(a, Y), last > 0)
        for i in range(last - 1, -1, -1):
            # The first layer's input gradient (with respect to the data) is never needed.
            grad = self.layers[i]._backward(grad, i > 0)

    def parameters(self) -> list[np.ndarray]:
        """The live parameter arrays ``[W1, b1, W2, b2, ...]``, for an optimizer to update."""
        return [p for layer in self.layers for p in (layer.params["W"], layer.params["b"])]

    def gradients(self) -> list[np.ndarray]:
        """The live gradient arrays, aligned with :meth:`parameters`."""
        return [g for layer in self.layers for g in (layer.grads["W"], layer.grads["b"])]

    # --------------------------------------------------------------------- evaluation

    def loss(self, X: Any, Y: Any) -> float:
        """The cost of the network's outputs on ``X`` against the targets ``Y``.

        Parameters
        ----------
        X : array_like, shape (n, n_inputs)
            Inputs.
        Y : array_like
            Targets (as in :meth:`fit`).

        Returns
        -------
        float
            The cost, averaged over the samples.
        """
        a = self.forward(X)
        return float(self.cost(a, self._targets(Y, a.shape[0], "Y")))

    def predict(self, X: Any) -> np.ndarray:
        """The network's decisions on ``X``.

        Returns
        -------
        numpy.ndarray
            Softmax output: the class with the largest probability, shape ``(n,)``. Sigmoid
            output with one unit: 1 where the probability exceeds 0.5, else 0, shape ``(n,)``;
            with several units, the same rule for each unit, shape ``(n, k)``. Other outputs
            (regression): the raw outputs, shape ``(n, k)``.
        """
        return self._decide(self.forward(X))

    def _decide(self, a: np.ndarray) -> np.ndarray:
        name = self.output.name
        if name == "softmax":
            return a.argmax(axis=1)
        if name == "sigmoid":
            labels = (a > 0.5).astype(np.int64)
            return labels[:, 0] if labels.shape[1] == 1 else labels
        return a

    def accuracy(self, X: Any, y: Any) -> float:
        """Fraction of the samples classified correctly.

        Parameters
        ----------
        X : array_like, shape (n, n_inputs)
            Inputs.
        y : array_like
            True labels: class indices ``(n,)`` or one-hot rows for a softmax output; 0/1
            labels ``(n,)`` or ``(n, 1)`` for one sigmoid unit, ``(n, k)`` for several (a
            sample counts as correct when all its labels are).

        Returns
        -------
        float
            Accuracy between 0 and 1.

        Raises
        ------
        ValueError
            If the network is not a classifier, or the labels do not fit it.
        """
        if not self.is_classifier:
            raise ValueError(
                f"accuracy is defined for classifiers (softmax or sigmoid output); this network "
                f"has a {self.output.name!r} output, use loss() instead"
            )
        a = self.forward(X)
        # Prepared targets are one-hot or 0/1 rows, so the decision rule recovers the labels.
        truth = self._decide(self._targets(y, a.shape[0], "y"))
        return _agreement(self._decide(a), truth)

    # ------------------------------------------------------------------------ training

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
        r"""Train the network by mini-batch gradient descent on the cost.

        Each epoch visits the training set once, in a fresh random order (if ``shuffle``), in
        batches of ``batch_size`` samples: forward pass, cost, backward pass, one optimizer
        step per batch.

        Parameters
        ----------
        X : array_like, shape (n, n_inputs)
            Training inputs. Checked once (shape, finite values) and cast to the network's dtype.
        Y : array_like
            Targets. Softmax output: class indices ``(n,)`` or probability rows ``(n, k)``
            (one-hot or soft labels). Sigmoid output: values in [0, 1], ``(n,)`` or ``(n, 1)``
            for one unit, ``(n, k)`` for several. Other outputs: any real targets.
        optimizer : str or Optimizer
            An optimizer object, or a name from :data:`neuronet.optimizers.OPTIMIZERS` created
            with its default settings (and learning rate ``lr`` if given). An object keeps its
            state (momentum, Adam's moments) from one call of ``fit`` to the next.
        epochs : int
            Number of passes over the training set.
        batch_size : int or None
            Samples per update: None (or ``n``) is full-batch gradient descent, 1 is stochastic
            gradient descent, anything in between is mini-batch gradient descent. The last batch
            of an epoch may be smaller.
        shuffle : bool
            Reshuffle the training set at the start of every epoch (not needed for full batches).
        seed : int or None
            Seed of the shuffling. None derives a fresh stream from the network's seed.
        validation_data : (X_val, Y_val) or None
            Held-out data evaluated at the end of every epoch.
        progress : bool
            Show a tqdm progress bar for each epoch, with the running loss.
        lr : float or None
            Learning rate, when ``optimizer`` is a name.
        l2 : float
            L2 regularization (weight decay) strength :math:`\lambda \ge 0`: training
            minimizes :math:`C + \frac{\lambda}{2}\sum_l \lVert W^l \rVert^2`, so every
            weight gradient gains :math:`\lambda W^l` (biases are not penalized). The losses
            recorded in the history are the cost alone, without the penalty, so that runs with
            different ``l2`` compare on the same scale; :meth:`weight_penalty` gives the rest.
        early_stopping : int or None
            Patience: stop when the validation loss has not improved for this many epochs, and
            give the network back the weights of its best epoch (``History.best_epoch``).
            Needs ``validation_data``.

        Returns
        -------
        History
            Per epoch: ``loss``, the mean of the batch losses weighted by batch size, each
            computed on the forward pass of its batch just before that batch's update (a running
            average during the epoch, as Keras reports it, which costs nothing extra);
            ``accuracy``, the fraction of training samples classified correctly on those same
            forward passes (classifiers only); ``val_loss`` and ``val_accuracy`` on the whole
            validation set with the weights at the end of the epoch.

        Raises
        ------
        ValueError
            For invalid data, targets or hyper-parameters, or a hidden step activation (which
            has no useful gradient).
        TrainingDivergedError
            If a batch loss (or, at the end of an epoch, a weight) becomes NaN or infinite,
            typically because the learning rate is too large. The network is left in its last
            state, the weights that produced the non-finite loss, so it can be inspected.
        """
        epochs = check_positive(epochs, "epochs", integer=True)
        if isinstance(l2, bool) or not isinstance(l2, int | float) or not 0 <= l2 < np.inf:
            raise ValueError(f"l2 must be a finite number >= 0, got {l2!r}")
        if early_stopping is not None:
            early_stopping = check_positive(early_stopping, "early_stopping", integer=True)
            if validation_data is None:
                raise ValueError(
                    "early_stopping watches the validation loss: pass validation_data=(X_val, "
                    "Y_val), held-out data the network does not train on"
                )
        if batch_size is not None:
            batch_size = check_positive(batch_size, "batch_size", integer=True)
        if self.activation.name == "step":
            raise ValueError(
                "cannot train a network with step activations by gradient descent: the step's "
                "derivative is zero almost everywhere, so no error flows back; use 'sigmoid' "
                "(or train a single step neuron with the perceptron rule, Neuron.fit)"
            )
        if isinstance(optimizer, str):
            optimizer = get_optimizer(optimizer) if lr is None else get_optimizer(optimizer, lr=lr)
        elif lr is not None:
            raise ValueError(
                "lr is only used when optimizer is given by name; set the learning rate of the "
                f"optimizer object instead (it has lr={getattr(optimizer, 'lr', None)!r})"
            )
        X = as_batch(X, "X", n_features=self.sizes[0], dtype=self.dtype)
        Y = self._targets(Y, X.shape[0], "Y")
        if validation_data is not None:
            X_val, Y_val = _unpack_validation(validation_data)
            X_val = as_batch(X_val, "validation X", n_features=self.sizes[0], dtype=self.dtype)
            Y_val = self._targets(Y_val, X_val.shape[0], "validation Y")
        rng = np.random.default_rng(self._seed_sequence.spawn(1)[0] if seed is None else seed)
        history = History()
        best: tuple[float, list[np.ndarray]] | None = None
        # Overflow inside a diverging run is reported once, as TrainingDivergedError, not as a
        # cascade of NumPy warnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(1, epochs + 1):
                loss, accuracy = self._epoch(
                    X, Y, optimizer, batch_size, shuffle, rng, epoch, epochs, progress, l2
                )
                history.loss.append(loss)
                if self.is_classifier:
                    history.accuracy.append(accuracy)
                if validation_data is not None:
                    a_val = self._forward(X_val)
                    history.val_loss.append(float(self.cost(a_val, Y_val)))
                    if self.is_classifier:
                        history.val_accuracy.append(
                            _agreement(self._decide(a_val), self._decide(Y_val))
                        )
                if early_stopping is not None:
                    if best is None or history.val_loss[-1] < best[0]:
                        best = (history.val_loss[-1], [p.copy() for p in self.parameters()])
                        history.best_epoch = epoch
                    elif epoch - history.best_epoch >= early_stopping:
                        break
        if best is not None:
            for param, saved in zip(self.parameters(), best[1], strict=True):
                param[...] = saved
        return history

    def weight_penalty(self) -> float:
        r"""Half the sum of the squared weights, :math:`\frac12\sum_l \lVert W^l \rVert^2`.

        Multiplied by ``l2`` this is what L2 regularization adds to the cost (biases excluded).
        """
        return 0.5 * sum(float(np.sum(layer.params["W"] ** 2)) for layer in self.layers)

    def _epoch(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        optimizer: Optimizer,
        batch_size: int | None,
        shuffle: bool,
        rng: np.random.Generator,
        epoch: int,
        epochs: int,
        progress: bool,
        l2: float = 0.0,
    ) -> tuple[float, float]:
        """One pass over the training set; returns the mean batch loss and the accuracy."""
        n = X.shape[0]
        batch = n if batch_size is None else min(batch_size, n)
        batches = minibatches(X, Y, batch, shuffle=shuffle and batch < n, rng=rng)
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(batches, total=-(-n // batch), desc=f"epoch {epoch}/{epochs}")
            batches = bar
        params, grads = self.parameters(), self.gradients()
        total_loss, correct, seen = 0.0, 0, 0
        for b, (xb, yb) in enumerate(batches, start=1):
            a = self._forward(xb)
            # The targets were checked once for this cost, and the outputs come from an output
            # layer the cost accepts, so the per-batch checks of cost(a, yb) are skipped; only
            # finiteness can change from batch to batch (one small array).
            if np.isfinite(a).all():
                batch_loss = float(self.cost._total(a, yb)) / a.shape[0]
            else:
                batch_loss = float("nan")
            if not np.isfinite(batch_loss):
                if bar is not None:
                    bar.close()
                raise TrainingDivergedError(
                    f"loss became non-finite ({batch_loss}) at epoch {epoch}, batch {b}; try a "
                    f"smaller learning rate (current: {getattr(optimizer, 'lr', 'unknown')})"
                )
            self._backward(a, yb)
            if l2:
                for layer in self.layers:
                    layer.grads["W"] += l2 * layer.params["W"]
            if b == 1:
                optimizer.step(params, grads)  # checks the arrays once per epoch
            else:
                optimizer._step(params, grads)
            seen += a.shape[0]
            total_loss += batch_loss * a.shape[0]
            if self.is_classifier:
                correct += _count_agreement(self._decide(a), self._decide(yb))
            if bar is not None:
                bar.set_postfix(loss=f"{total_loss / seen:.4f}", refresh=False)
        if not all(np.isfinite(p).all() for p in params):
            raise TrainingDivergedError(
                f"the weights became non-finite at epoch {epoch}, after the last batch; try a "
                f"smaller learning rate (current: {getattr(optimizer, 'lr', 'unknown')})"
            )
        return total_loss / n, correct / n

    # ----------------------------------------------------------------------- targets

    def _targets(self, Y: Any, n: int, name: str) -> np.ndarray:
        """Check targets against the output and return them as ``(n, k)`` in the model dtype."""
        k = self.sizes[-1]
        out = self.output.name
        Y = as_finite_array(Y, name)
        if Y.ndim == 0 or Y.shape[0] != n:
            raise ValueError(f"{name} has {_len(Y)} sample(s) (shape {Y.shape}), expected {n}")
        if out == "softmax":
            if Y.ndim == 2 and Y.shape[1] == k:
                if (Y < 0).any() or (Y > 1).any() or not np.allclose(Y.sum(axis=1), 1.0):
                    raise ValueError(
                        f"{name} of shape {Y.shape} must hold one-hot or probability rows "
                        f"(entries in [0, 1] summing to 1) for a softmax output; pass class "
                        f"indices of shape ({n},) otherwise"
                    )
                return Y.astype(self.dtype, copy=False)
            if Y.ndim == 1 or (Y.ndim == 2 and Y.shape[1] == 1):
                return one_hot(to_class_indices(Y), k, dtype=self.dtype)
            raise ValueError(
                f"{name} of shape {Y.shape} fits neither a softmax output with {k} classes: "
                f"expected class indices of shape ({n},) or one-hot rows of shape ({n}, {k})"
            )
        if Y.ndim == 1 and k == 1:
            Y = Y.reshape(n, 1)
        if Y.ndim != 2 or Y.shape[1] != k:
            expected = f"({n},) or ({n}, 1)" if k == 1 else f"({n}, {k})"
            raise ValueError(
                f"{name} has shape {Y.shape}, expected {expected} for a network with {k} output(s)"
            )
        if out == "sigmoid" and ((Y < 0).any() or (Y > 1).any()):
            raise ValueError(
                f"{name} must lie in [0, 1] for a sigmoid output (0/1 labels or probabilities), "
                f"got values from {Y.min()} to {Y.max()}"
            )
        return Y.astype(self.dtype, copy=False)

    # ----------------------------------------------------------------- save and load

    def save(self, path: str | PathLike[str]) -> Path:
        """Save the weights and the configuration to a ``.npz`` file.

        The archive holds arrays ``W0, b0, W1, b1, ...`` and ``config``, a JSON description of
        the network (sizes, activations with their parameters, cost, dtype) stored as a 0-d
        string array, so that loading needs no pickle.

        Parameters
        ----------
        path : str or path-like
            Where to write; ``.npz`` is appended if the name does not end with it.

        Returns
        -------
        pathlib.Path
            The path of the file written.

        Raises
        ------
        ValueError
            If an activation or the cost is a custom class that cannot be described by name.
        """
        config = {
            "format": _FORMAT,
            "version": 1,
            "sizes": list(self.sizes),
            "activation": _describe(self.activation, ACTIVATIONS, "activation"),
            "output": _describe(self.output, ACTIVATIONS, "output activation"),
            "cost": _describe(self.cost, COSTS, "cost"),
            "dtype": self.dtype.name,
            "fused": self.fused,
        }
        arrays = {}
        for i, layer in enumerate(self.layers):
            arrays[f"W{i}"] = layer.params["W"]
            arrays[f"b{i}"] = layer.params["b"]
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_name(path.name + ".npz")
        np.savez(path, config=np.array(json.dumps(config)), **arrays)
        return path

    @classmethod
    def load(cls, path: str | PathLike[str]) -> MLP:
        """Load a network saved by :meth:`save`.

        Raises
        ------
        ValueError
            If the file is not a ``.npz`` archive written by :meth:`save`, or its arrays do not
            match its configuration.
        """
        try:
            data = np.load(path, allow_pickle=False)
        except ValueError as err:
            raise ValueError(f"{path} is not a neuronet model (.npz archive): {err}") from err
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError(f"{path} is a single .npy array, not a neuronet model (.npz archive)")
        with data:
            if "config" not in data.files:
                raise ValueError(
                    f"{path} is not a neuronet model: it has no 'config' entry "
                    f"(entries: {', '.join(data.files) or 'none'}); save models with MLP.save"
                )
            try:
                config = json.loads(str(data["config"][()]))
            except (ValueError, TypeError) as err:
                raise ValueError(f"{path}: the 'config' entry is not valid JSON ({err})") from err
            if not isinstance(config, dict) or config.get("format") != _FORMAT:
                raise ValueError(f"{path} is not a neuronet model (config format is not MLP)")
            try:
                model = cls(
                    config["sizes"],
                    activation=_rebuild(config["activation"], ACTIVATIONS),
                    output=_rebuild(config["output"], ACTIVATIONS),
                    cost=_rebuild(config["cost"], COSTS),
                    dtype=config["dtype"],
                )
            except (KeyError, TypeError) as err:
                raise ValueError(f"{path}: incomplete or invalid model config ({err!r})") from err
            model.fused = bool(config.get("fused", model.fused))
            for i, layer in enumerate(model.layers):
                for key in ("W", "b"):
                    entry = f"{key}{i}"
                    if entry not in data.files:
                        raise ValueError(f"{path} is missing the array {entry!r}")
                    value = data[entry]
                    if value.shape != layer.params[key].shape:
                        raise ValueError(
                            f"{path}: array {entry!r} has shape {value.shape}, expected "
                            f"{layer.params[key].shape} from the saved sizes {model.sizes}"
                        )
                    layer.params[key][...] = value
        return model


# ------------------------------------------------------------------------------ helpers


def _check_sizes(sizes: Any) -> list[int]:
    if isinstance(sizes, str | bytes) or not hasattr(sizes, "__len__"):
        raise ValueError(f"sizes must be a list of layer sizes such as [2, 4, 1], got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least two entries (inputs and outputs), got {sizes!r}")
    for i, s in enumerate(sizes):
        if isinstance(s, bool) or not isinstance(s, int | np.integer) or s <= 0:
            raise ValueError(f"sizes must be positive integers, got {s!r} at position {i}")
    return [int(s) for s in sizes]


def _check_output_cost(output: Activation, cost: Cost, n_out: int) -> None:
    if output.name == "step":
        raise ValueError(
            "the output activation cannot be 'step': its derivative is zero almost everywhere, "
            "so no cost can train it; use 'sigmoid' for yes/no outputs"
        )
    if output.name == "softmax" and n_out == 1:
        raise ValueError(
            "a softmax output needs at least 2 units: over a single unit it always outputs 1; "
            "for a yes/no output use output='sigmoid' with cost='cross_entropy'"
        )
    allowed = COMPATIBLE_OUTPUTS.get(cost.name)
    if allowed is not None and output.name in _ANY_REAL and output.name not in allowed:
        suits = [c for c, outputs in COMPATIBLE_OUTPUTS.items() if output.name in outputs]
        raise ValueError(
            f"cost {cost.name!r} does not go with a {output.name!r} output; it expects "
            f"{' or '.join(sorted(allowed))} outputs. Costs that suit a {output.name!r} output: "
            f"{', '.join(suits)}"
        )


def _default_init(activation: Activation) -> str:
    return "he" if activation.name in _RELU_LIKE else "xavier"


def _unpack_validation(validation_data: Any) -> tuple[Any, Any]:
    if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
        raise ValueError("validation_data must be a pair (X_val, Y_val)")
    return validation_data[0], validation_data[1]


def _len(Y: np.ndarray) -> int | str:
    return Y.shape[0] if Y.ndim else "no"


def _count_agreement(predicted: np.ndarray, truth: np.ndarray) -> int:
    same = predicted == truth
    if same.ndim == 2:
        same = same.all(axis=1)
    return int(np.count_nonzero(same))


def _agreement(predicted: np.ndarray, truth: np.ndarray) -> float:
    return _count_agreement(predicted, truth) / len(truth)


def _describe(obj: Any, registry: dict[str, type], kind: str) -> dict[str, Any]:
    """Name and constructor arguments of a registry object, for the JSON config."""
    cls = registry.get(getattr(obj, "name", None))
    if cls is None or type(obj) is not cls:
        raise ValueError(
            f"cannot save a custom {kind} ({type(obj).__name__}); only the built-in ones "
            f"({', '.join(sorted(registry))}) can be described in the file"
        )
    description: dict[str, Any] = {"name": obj.name}
    for param in inspect.signature(cls).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if not hasattr(obj, param.name):
            raise ValueError(
                f"cannot save {kind} {obj.name!r}: its parameter {param.name!r} is not stored"
            )
        value = getattr(obj, param.name)
        description[param.name] = value.item() if isinstance(value, np.generic) else value
    return description


def _rebuild(description: dict[str, Any], registry: dict[str, type]) -> Any:
    params = dict(description)
    name = params.pop("name")
    if name not in registry:
        raise ValueError(f"unknown name {name!r} in the saved config")
    return registry[name](**params)
