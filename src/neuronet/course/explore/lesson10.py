r"""Lesson 10: the figures and small helpers of the Fashion-MNIST capstone.

A trained classifier is judged by more than one number. This module draws what the lesson looks
at before and after training: a grid of example images for every class
(:func:`draw_class_grid`), the number of images of each class in each part of the data
(:func:`draw_class_balance`), the training curves (:func:`draw_training_curves`), the confusion
matrix (:func:`confusion_matrix`, :func:`draw_confusion_matrix`, :func:`most_confused`), the
accuracy of each class (:func:`per_class_accuracy`, :func:`draw_per_class_accuracy`) and the
mistakes the network makes with the most confidence (:func:`worst_mistakes`,
:func:`draw_mistakes`).

Entry :math:`(i, j)` of the confusion matrix :math:`M` counts the images of true class :math:`i`
that the network assigned to class :math:`j`. The accuracy of class :math:`i` (its *recall*) is
the fraction of its images classified correctly,

.. math::

   \mathrm{acc}_i = \frac{M_{ii}}{\sum_j M_{ij}},

the diagonal entry divided by the sum of its row. The grids reuse
:func:`neuronet.course.plots.plot_images` and the matrix
:func:`neuronet.course.plots.plot_confusion_matrix`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from neuronet.course.player import figure_for
from neuronet.course.plots import PALETTE, plot_confusion_matrix, plot_history, plot_images
from neuronet.data import FASHION_MNIST_CLASSES
from neuronet.network import History
from neuronet.validation import as_class_labels, as_finite_array, check_positive

__all__ = [
    "class_examples",
    "confusion_matrix",
    "draw_class_balance",
    "draw_class_grid",
    "draw_confusion_matrix",
    "draw_mistakes",
    "draw_per_class_accuracy",
    "draw_training_curves",
    "join_histories",
    "most_confused",
    "per_class_accuracy",
    "worst_mistakes",
]


def _probabilities(proba: Any, name: str = "proba") -> np.ndarray:
    """Rows of class probabilities, shape ``(n, k)`` with ``k >= 2``."""
    arr = as_finite_array(proba, name, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] < 2 or arr.shape[0] == 0:
        raise ValueError(
            f"{name} must have shape (n, k): one row of class probabilities per sample, with "
            f"k >= 2 classes, got shape {arr.shape}"
        )
    return arr


# --- the data -------------------------------------------------------------------------------------


def class_examples(y: Any, per_class: int = 8, seed: int | None = 0) -> np.ndarray:
    """Pick ``per_class`` random images of every class.

    Parameters
    ----------
    y : array_like, shape (n,)
        Class labels, integers from 0.
    per_class : int
        Images to pick in each class.
    seed : int or None
        Seed of the random choice.

    Returns
    -------
    numpy.ndarray, shape (n_classes, per_class)
        Row ``k`` holds the indices of ``per_class`` different images of class ``k``, in
        increasing order; ``n_classes = max(y) + 1``.

    Raises
    ------
    ValueError
        If ``per_class`` is not a positive integer, or some class has fewer images than that.
    """
    y = as_class_labels(y, "y")
    per_class = check_positive(per_class, "per_class", integer=True)
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(int(y.max()) + 1):
        members = np.flatnonzero(y == k)
        if len(members) < per_class:
            raise ValueError(
                f"class {k} has {len(members)} image(s), fewer than per_class={per_class}"
            )
        rows.append(np.sort(rng.choice(members, size=per_class, replace=False)))
    return np.array(rows)


def draw_class_grid(
    images: Any,
    y: Any,
    class_names: Sequence[str] = FASHION_MNIST_CLASSES,
    per_class: int = 8,
    seed: int | None = 0,
    fig: Figure | None = None,
) -> Figure:
    """Show a row of random example images for every class, named on the left.

    Parameters
    ----------
    images : array_like
        The images, ``(n, 784)`` or ``(n, 28, 28)`` (any perfect square of pixels).
    y : array_like, shape (n,)
        Their class labels.
    class_names : sequence of str
        Name of each class, indexed by label.
    per_class : int
        Images per row.
    seed : int or None
        Seed of the choice of images (:func:`class_examples`).
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (cleared first); a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per image, row by row (class 0 first); the first Axes of each row has the
        class name as its y label.

    Raises
    ------
    ValueError
        If the images and labels differ in number, or a label has no name.
    """
    y = as_class_labels(y, "y")
    if len(images) != len(y):
        raise ValueError(f"images has {len(images)} entries but y has {len(y)} labels")
    n_classes = int(y.max()) + 1
    if n_classes > len(class_names):
        raise ValueError(
            f"label {n_classes - 1} has no name: class_names has {len(class_names)} entries"
        )
    chosen = class_examples(y, per_class, seed)
    fig = figure_for(fig, (0.85 * per_class + 1.3, 0.85 * n_classes + 0.5))
    plot_images(np.asarray(images)[chosen.ravel()], ncols=per_class, fig=fig)
    for k, ax in enumerate(fig.axes[::per_class]):
        ax.set_ylabel(class_names[k], rotation=0, ha="right", va="center", fontsize="small")
    fig.suptitle(f"{per_class} random images of each class")
    return fig


def draw_class_balance(
    splits: Mapping[str, Any],
    class_names: Sequence[str] = FASHION_MNIST_CLASSES,
    fig: Figure | None = None,
) -> Figure:
    """Bar chart of the number of images of each class, one group of bars per class.

    Parameters
    ----------
    splits : mapping of str to array_like
        Name of each part of the data (``"training"``, ``"validation"``, ``"test"``) to its
        class labels.
    class_names : sequence of str
        Name of each class, indexed by label.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (cleared first); a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes; its containers hold one bar group per entry of ``splits``, in order, each
        with one bar per class whose height is the count.

    Raises
    ------
    ValueError
        If ``splits`` is empty or a label has no name.
    """
    if not splits:
        raise ValueError("splits must name at least one set of labels")
    counts = {}
    for name, labels in splits.items():
        labels = as_class_labels(labels, f"splits[{name!r}]")
        if labels.max() >= len(class_names):
            raise ValueError(
                f"label {labels.max()} in splits[{name!r}] has no name: class_names has "
                f"{len(class_names)} entries"
            )
        counts[name] = np.bincount(labels, minlength=len(class_names))
    fig = figure_for(fig, (8.0, 3.6))
    ax = fig.add_subplot()
    width = 0.8 / len(counts)
    positions = np.arange(len(class_names))
    for s, (name, values) in enumerate(counts.items()):
        offset = (s - (len(counts) - 1) / 2) * width
        ax.bar(positions + offset, values, width, color=PALETTE[s % len(PALETTE)], label=name)
    ax.set_xticks(positions, class_names, rotation=30, ha="right")
    ax.set_ylabel("number of images")
    ax.set_title("images per class")
    ax.legend()
    return fig


# --- training -------------------------------------------------------------------------------------


def join_histories(*histories: History) -> History:
    """Concatenate the histories of successive calls of :meth:`~neuronet.MLP.fit`.

    Training in stages (for instance a smaller learning rate for the last epochs) gives one
    :class:`~neuronet.network.History` per call; joined, they read as one run.

    Returns
    -------
    History
        Every per-epoch list, the stages one after the other; ``best_epoch`` is None.

    Raises
    ------
    ValueError
        If no history is given.
    """
    if not histories:
        raise ValueError("join_histories needs at least one History")
    joined = History()
    for history in histories:
        for key, values in history.as_dict().items():
            getattr(joined, key).extend(values)
    return joined


def draw_training_curves(
    history: History | Mapping[str, Sequence[float]],
    stages: Sequence[int] = (),
    fig: Figure | None = None,
) -> Figure:
    """Loss and accuracy per epoch, training and validation, side by side.

    Parameters
    ----------
    history : History or mapping
        Per-epoch ``loss``, ``val_loss``, ``accuracy`` and ``val_accuracy``.
    stages : sequence of int
        Epochs after which the training changed (say, the learning rate was divided by 10);
        each gets a dotted vertical line between that epoch and the next.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (cleared first); a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        Two Axes, loss then accuracy, each with the training line first and the validation
        line second (as drawn by :func:`neuronet.course.plots.plot_history`).
    """
    fig = figure_for(fig, (9.0, 3.6))
    loss_ax, accuracy_ax = fig.subplots(1, 2)
    marks = [(epoch + 0.5, "learning rate ÷ 10") for epoch in stages]
    plot_history(history, ax=loss_ax, metric="loss", title="loss", marks=marks)
    plot_history(history, ax=accuracy_ax, metric="accuracy", title="accuracy", marks=marks)
    return fig


# --- evaluation -----------------------------------------------------------------------------------


def confusion_matrix(y_true: Any, y_pred: Any, n_classes: int | None = None) -> np.ndarray:
    """Count the samples of each true class assigned to each predicted class.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n,)
        True and predicted class labels, integers from 0.
    n_classes : int, optional
        Number of classes; by default one more than the largest label.

    Returns
    -------
    numpy.ndarray of int64, shape (n_classes, n_classes)
        Entry ``[i, j]`` is the number of samples of class ``i`` predicted as ``j``; the rows
        sum to the class sizes and the diagonal counts the correct predictions.

    Raises
    ------
    ValueError
        If the label arrays differ in shape or a label is not below ``n_classes``.
    """
    y_true, y_pred = as_class_labels(y_true, "y_true"), as_class_labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}")
    largest = int(max(y_true.max(), y_pred.max()))
    if n_classes is None:
        n_classes = largest + 1
    n_classes = check_positive(n_classes, "n_classes", integer=True)
    if largest >= n_classes:
        raise ValueError(f"label {largest} does not fit n_classes={n_classes}")
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def _square_counts(cm: Any) -> np.ndarray:
    cm = as_finite_array(cm, "the confusion matrix")
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.shape[0] == 0:
        raise ValueError(f"a confusion matrix must be square, got shape {cm.shape}")
    if np.any(cm < 0):
        raise ValueError("a confusion matrix holds counts, which cannot be negative")
    return cm


def per_class_accuracy(cm: Any) -> np.ndarray:
    r"""Accuracy of each class: the diagonal of the confusion matrix over its row sums.

    :math:`\mathrm{acc}_i = M_{ii} / \sum_j M_{ij}`, the fraction of the images of class
    :math:`i` that were classified as :math:`i` (the class's *recall*).

    Parameters
    ----------
    cm : array_like, shape (k, k)
        Confusion matrix, rows = true classes (:func:`confusion_matrix`).

    Returns
    -------
    numpy.ndarray of float64, shape (k,)
        One accuracy per class, between 0 and 1.

    Raises
    ------
    ValueError
        If the matrix is not square with non-negative entries, or a class has no samples (its
        accuracy is undefined).
    """
    cm = _square_counts(cm)
    totals = cm.sum(axis=1)
    if np.any(totals == 0):
        empty = int(np.flatnonzero(totals == 0)[0])
        raise ValueError(f"class {empty} has no samples (its row sums to 0): no accuracy")
    return np.diag(cm).astype(np.float64) / totals


def most_confused(cm: Any, top: int = 5) -> list[tuple[int, int, int]]:
    """The largest off-diagonal entries of a confusion matrix.

    Parameters
    ----------
    cm : array_like, shape (k, k)
        Confusion matrix, rows = true classes.
    top : int
        How many (true, predicted) pairs to return at most.

    Returns
    -------
    list of (int, int, int)
        ``(true class, predicted class, count)`` for the ``top`` most frequent mistakes, the
        most frequent first (ties in row-major order); pairs with a count of 0 are left out.
    """
    cm = _square_counts(cm)
    top = check_positive(top, "top", integer=True)
    off = cm.astype(np.float64).copy()
    np.fill_diagonal(off, -1.0)
    order = np.argsort(-off, axis=None, kind="stable")[:top]
    pairs = [(int(i), int(j)) for i, j in zip(*np.unravel_index(order, cm.shape), strict=True)]
    return [(i, j, int(cm[i, j])) for i, j in pairs if i != j and cm[i, j] > 0]


def draw_confusion_matrix(
    y_true: Any,
    y_pred: Any,
    class_names: Sequence[str] = FASHION_MNIST_CLASSES,
    normalize: bool = True,
    fig: Figure | None = None,
) -> Figure:
    """The confusion matrix of a classifier, drawn by
    :func:`neuronet.course.plots.plot_confusion_matrix`.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n,)
        True and predicted class labels.
    class_names : sequence of str
        Name of each class, indexed by label.
    normalize : bool
        Divide each row by its total, so the diagonal shows each class's accuracy.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (cleared first); a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes whose image holds the matrix shown.
    """
    fig = figure_for(fig, (6.6, 6.0))
    ax = fig.add_subplot()
    plot_confusion_matrix(y_true, y_pred, class_names=class_names, ax=ax, normalize=normalize)
    return fig


def draw_per_class_accuracy(
    accuracy: Any,
    class_names: Sequence[str] = FASHION_MNIST_CLASSES,
    overall: float | None = None,
    fig: Figure | None = None,
) -> Figure:
    """Horizontal bars of the accuracy of each class, the worst at the bottom.

    Parameters
    ----------
    accuracy : array_like, shape (k,)
        Accuracy of each class, between 0 and 1 (:func:`per_class_accuracy`).
    class_names : sequence of str
        Name of each class, indexed like ``accuracy``.
    overall : float, optional
        The overall accuracy, drawn as a dashed vertical line.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (cleared first); a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes with one bar per class, sorted from the best (top) to the worst (bottom):
        bar ``i`` from the bottom has the ``i``-th smallest accuracy.

    Raises
    ------
    ValueError
        If the accuracies are not between 0 and 1 or do not match ``class_names``.
    """
    accuracy = as_finite_array(accuracy, "accuracy", dtype=np.float64)
    if accuracy.ndim != 1 or len(accuracy) != len(class_names):
        raise ValueError(
            f"accuracy must have one value per class ({len(class_names)}), got shape "
            f"{accuracy.shape}"
        )
    if np.any((accuracy < 0) | (accuracy > 1)):
        raise ValueError("accuracies must lie between 0 and 1")
    order = np.argsort(accuracy, kind="stable")
    fig = figure_for(fig, (6.4, 3.8))
    ax = fig.add_subplot()
    colors = [PALETTE[1] if i == order[0] else PALETTE[0] for i in order]
    ax.barh(np.arange(len(order)), accuracy[order], color=colors)
    ax.set_yticks(np.arange(len(order)), [class_names[i] for i in order])
    for position, i in enumerate(order):
        ax.text(accuracy[i] + 0.005, position, f"{accuracy[i]:.3f}", va="center", fontsize=9)
    if overall is not None:
        ax.axvline(overall, color="k", ls="--", lw=1.2, label=f"overall {overall:.3f}")
        ax.legend(loc="lower right", frameon=True)
    ax.set_xlim(max(0.0, float(accuracy.min()) - 0.1), 1.04)
    ax.set_xlabel("accuracy on the images of the class")
    ax.set_title("accuracy per class")
    return fig


def worst_mistakes(proba: Any, y_true: Any, k: int = 12) -> np.ndarray:
    """The misclassified samples on which the network was most confident.

    The network's prediction is the class of largest probability, and its *confidence* the
    probability it gave that class. Among the samples whose prediction is wrong, this returns
    the ``k`` with the highest confidence.

    Parameters
    ----------
    proba : array_like, shape (n, n_classes)
        Predicted class probabilities (softmax outputs), one row per sample.
    y_true : array_like, shape (n,)
        True class labels.
    k : int
        How many mistakes to return at most.

    Returns
    -------
    numpy.ndarray of int64
        Indices into ``proba`` and ``y_true`` of the ``min(k, number of mistakes)`` most
        confident mistakes, the most confident first (ties broken by index).

    Raises
    ------
    ValueError
        If ``proba`` is not ``(n, n_classes)``, ``y_true`` does not have ``n`` labels or
        ``k`` is not a positive integer.
    """
    proba = _probabilities(proba)
    y_true = as_class_labels(y_true, "y_true")
    if len(y_true) != len(proba):
        raise ValueError(f"y_true has {len(y_true)} labels but proba has {len(proba)} rows")
    k = check_positive(k, "k", integer=True)
    predicted = proba.argmax(axis=1)
    wrong = np.flatnonzero(predicted != y_true)
    confidence = proba[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")[:k]].astype(np.int64)


def draw_mistakes(
    images: Any,
    y_true: Any,
    proba: Any,
    indices: Any,
    class_names: Sequence[str] = FASHION_MNIST_CLASSES,
    ncols: int = 4,
    fig: Figure | None = None,
) -> Figure:
    """Show chosen images with their true class, the prediction and its probability.

    Parameters
    ----------
    images : array_like
        All the images, ``(n, 784)`` or ``(n, 28, 28)``.
    y_true : array_like, shape (n,)
        Their true labels.
    proba : array_like, shape (n, n_classes)
        The network's class probabilities for them.
    indices : array_like of int
        Which images to show, in order (for instance :func:`worst_mistakes`).
    class_names : sequence of str
        Name of each class, indexed by label.
    ncols : int
        Images per row at most.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (cleared first); a new one when None.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes per index, titled "true class" over "pred: predicted class (probability)",
        in vermillion when the prediction is wrong.

    Raises
    ------
    ValueError
        If no index is given or an index is out of range.
    """
    proba = _probabilities(proba)
    y_true = as_class_labels(y_true, "y_true")
    indices = np.asarray(indices, dtype=np.int64).ravel()
    if indices.size == 0:
        raise ValueError("indices is empty: there is nothing to show")
    if indices.min() < 0 or indices.max() >= len(y_true):
        raise ValueError(
            f"indices must lie in [0, {len(y_true)}), got {indices.min()} to {indices.max()}"
        )
    predicted = proba[indices].argmax(axis=1)
    truth = [class_names[c] for c in y_true[indices]]
    guesses = [
        class_names[p] if p == t else f"{class_names[p]} ({proba[i, p]:.0%})"
        for i, p, t in zip(indices, predicted, y_true[indices], strict=True)
    ]
    ncols = min(check_positive(ncols, "ncols", integer=True), indices.size)
    nrows = -(-indices.size // ncols)
    fig = figure_for(fig, (1.9 * ncols, 1.9 * nrows + 0.4))
    plot_images(np.asarray(images)[indices], labels=truth, predicted=guesses, ncols=ncols, fig=fig)
    fig.suptitle("true class / predicted class (its probability)")
    return fig
