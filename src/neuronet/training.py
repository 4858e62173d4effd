r"""The training loop: mini-batch gradient descent, shared by every model of the package.

One epoch visits the training set once, in a fresh random order, in mini-batches of :math:`m`
samples. For each batch :math:`B` the model runs its forward and backward pass, which gives the
batch's cost :math:`C_B` and its gradient :math:`\nabla C_B`, and the optimizer takes one step,

.. math:: \theta \leftarrow \theta - \eta \nabla C_B(\theta) \quad \text{(or its improved forms)}.

:math:`m = 1` is stochastic (online) gradient descent, :math:`m = n` batch gradient descent, and
anything in between mini-batch gradient descent. A cost that becomes NaN or infinite means the
steps are too large: the loop stops with a :class:`TrainingDivergedError` that says where.

A model trains here if it has ``parameters()`` and ``gradients()`` (aligned lists of arrays) and
``backprop(X, Y)``, which runs the forward and backward pass on one batch, leaves the gradients
in ``gradients()`` and returns the batch's cost.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

from neuronet.data.preprocessing import minibatches
from neuronet.optimizers import Optimizer
from neuronet.validation import TrainingDivergedError, check_positive

__all__ = ["History", "Trainable", "diverged", "train"]


class Trainable(Protocol):
    """What the loop needs from a model."""

    def parameters(self) -> list[np.ndarray]: ...

    def gradients(self) -> list[np.ndarray]: ...

    def backprop(self, X: np.ndarray, Y: np.ndarray) -> float: ...


@dataclass
class History:
    """What happened during training, one entry per epoch.

    Attributes
    ----------
    loss : list of float
        Mean training cost of each epoch: the batch costs weighted by batch size, each computed
        on the forward pass just before that batch's update (a running average, as Keras
        reports it, which costs nothing extra).
    accuracy : list of float
        Training accuracy of each epoch on those same forward passes (classifiers only).
    val_loss, val_accuracy : list of float
        Cost and accuracy on validation data at the end of each epoch (empty without it).
    best_epoch : int or None
        With early stopping: the epoch (counted from 1) whose weights the model was given back.
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


def diverged(
    what: str, where: str, optimizer: Any, value: float | None = None, **details: Any
) -> TrainingDivergedError:
    """The error that stops a diverging run: what became non-finite, where, and what to try.

    Every model and exploration of the package builds its divergence error here. ``details``
    (such as the finite part of a descent's path) are attached to the error as attributes.
    """
    seen = "" if value is None else f" ({value})"
    rate = getattr(optimizer, "lr", "unknown")
    error = TrainingDivergedError(
        f"{what} became non-finite{seen} {where}; try a smaller learning rate (current: {rate})"
    )
    for name, detail in details.items():
        setattr(error, name, detail)
    return error


def train(
    model: Trainable,
    X: np.ndarray,
    Y: np.ndarray,
    optimizer: Optimizer,
    epochs: int,
    batch_size: int | None,
    rng: np.random.Generator,
    shuffle: bool = True,
    progress: bool = False,
    backprop: Callable[[np.ndarray, np.ndarray], float] | None = None,
    score: Callable[[np.ndarray], int] | None = None,
    validate: Callable[[], tuple[float, float | None]] | None = None,
    patience: int | None = None,
    end_of_epoch: Callable[[int, History], Any] | None = None,
) -> History:
    """Train ``model`` by mini-batch gradient descent; return the :class:`History`.

    Parameters
    ----------
    model : Trainable
        Has ``parameters()``, ``gradients()`` and ``backprop(X, Y) -> float``.
    X, Y : numpy.ndarray
        The training data, already checked by the model (the loop does not check it again).
    optimizer : Optimizer
        Takes one step per batch.
    epochs : int
        Passes over the data.
    batch_size : int or None
        Samples per step; None (or ``n``) for full-batch gradient descent.
    rng : numpy.random.Generator
        Draws the order of every epoch.
    shuffle : bool
        Reshuffle at the start of every epoch (a full batch is never shuffled).
    progress : bool
        Show a tqdm progress bar per epoch with the running cost.
    backprop : callable, optional
        Used instead of ``model.backprop``, e.g. with a weight penalty bound to it.
    score : callable, optional
        ``score(Y_batch)`` counts the samples of the last batch the model got right; the loop
        records their fraction in ``History.accuracy``.
    validate : callable, optional
        ``validate()`` returns the cost and accuracy (or None) on held-out data, recorded after
        each epoch in ``History.val_loss`` and ``History.val_accuracy``.
    patience : int, optional
        Early stopping: stop when the validation cost has not improved for ``patience`` epochs,
        and give the model back the weights of its best epoch (``History.best_epoch``).
    end_of_epoch : callable, optional
        ``end_of_epoch(epoch, history)``, called after each epoch.

    Raises
    ------
    TrainingDivergedError
        If a batch cost, or at the end of an epoch a parameter, is NaN or infinite. The model is
        left as it was then, so that it can be inspected.
    """
    epochs = check_positive(epochs, "epochs", integer=True)
    n = len(X)
    m = n if batch_size is None else min(check_positive(batch_size, "batch_size", integer=True), n)
    backprop = backprop or model.backprop
    history, best = History(), []
    for epoch in range(1, epochs + 1):
        batches = minibatches(X, Y, m, shuffle=shuffle and m < n, rng=rng)
        if progress:
            from tqdm.auto import tqdm

            batches = tqdm(batches, total=math.ceil(n / m), desc=f"epoch {epoch}/{epochs}")
        total, correct = 0.0, 0
        for b, (xb, yb) in enumerate(batches, start=1):
            loss = backprop(xb, yb)
            if not math.isfinite(loss):
                raise diverged("loss", f"at epoch {epoch}, batch {b}", optimizer, value=loss)
            optimizer.step(model.parameters(), model.gradients())
            total += loss * len(xb)
            correct += score(yb) if score else 0
            if progress:
                batches.set_postfix(loss=f"{total / min(b * m, n):.4f}", refresh=False)
        if not all(np.isfinite(p).all() for p in model.parameters()):
            raise diverged("the weights", f"at epoch {epoch}", optimizer)
        history.loss.append(total / n)
        if score:
            history.accuracy.append(correct / n)
        if validate:
            val_loss, val_accuracy = validate()
            history.val_loss.append(val_loss)
            if val_accuracy is not None:
                history.val_accuracy.append(val_accuracy)
        if end_of_epoch:
            end_of_epoch(epoch, history)
        if patience and _no_progress(model, history, best, epoch, patience):
            break
    for param, saved in zip(model.parameters(), best, strict=False):
        param[...] = saved  # early stopping gives back the weights of the best epoch
    return history


def _no_progress(
    model: Trainable, history: History, best: list[np.ndarray], epoch: int, patience: int
) -> bool:
    """Early stopping: keep the weights of the epoch with the lowest validation cost in
    ``best``; True once ``patience`` epochs have passed without a lower one."""
    if not best or history.val_loss[-1] < history.val_loss[history.best_epoch - 1]:
        best[:] = [p.copy() for p in model.parameters()]
        history.best_epoch = epoch
    return epoch - history.best_epoch >= patience
