r"""Preparing data for a network: scaling, label encodings, splits and mini-batches.

Gradient descent is happiest when every input feature lives on a similar scale, so the inputs are
standardized (or min–max normalized) first. The statistics used for the scaling are part of the
model: they are computed on the training set once and then *applied*, unchanged, to validation and
test data. Computing them on the test set would let information from the test set leak into the
model, and the test score would no longer measure performance on unseen data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from neuronet.validation import as_finite_array, check_positive


def _as_samples(X: Any, name: str = "X") -> np.ndarray:
    """``X`` as a finite floating array with the samples on the first axis.

    Floating dtypes are kept (float32 stays float32); integers and booleans become float64.
    """
    arr = as_finite_array(X, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must have a sample axis, got a scalar")
    if len(arr) == 0:
        raise ValueError(f"{name} has no samples (shape {arr.shape})")
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return arr


def _check_stats(stats: Any, X: np.ndarray, names: tuple[str, str]) -> tuple[np.ndarray, ...]:
    """Check a ``(first, second)`` pair of per-feature statistics against ``X``."""
    if not isinstance(stats, tuple | list) or len(stats) != 2:
        raise ValueError(
            f"stats must be the pair ({names[0]}, {names[1]}) returned by a previous call, "
            f"got {type(stats).__name__}"
        )
    arrays = []
    for name, value in zip(names, stats, strict=True):
        arr = as_finite_array(value, f"stats {name}").astype(X.dtype)
        if arr.shape != X.shape[1:]:
            raise ValueError(
                f"stats {name} has shape {arr.shape} but the samples of X have shape "
                f"{X.shape[1:]}; were the statistics computed on data with other features?"
            )
        arrays.append(arr)
    return tuple(arrays)


def standardize(
    X: Any, stats: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    r"""Shift and scale every feature to mean 0 and standard deviation 1.

    Each feature (column) becomes

    .. math:: x' = \frac{x - \mu}{\sigma},

    where :math:`\mu` and :math:`\sigma` are the mean and standard deviation of that feature over
    the samples (the first axis). With ``stats=None`` they are computed from ``X``: do this on the
    training set only. Then pass the returned ``stats`` to transform validation and test data with
    the *training* statistics; computing them on the test set leaks information about it into the
    model. A constant feature (a pixel that is always black, say) has :math:`\sigma = 0`; it is
    given :math:`\sigma = 1` so that it becomes exactly 0 instead of a division by zero.

    Parameters
    ----------
    X : array_like
        Samples, shape ``(n_samples, ...)``. Float arrays keep their dtype; integer arrays (such as
        uint8 pixels) are converted to float64.
    stats : tuple of numpy.ndarray, optional
        ``(mean, std)`` from an earlier call, each of shape ``X.shape[1:]``.

    Returns
    -------
    X_std : numpy.ndarray
        The standardized samples, same shape and (floating) dtype as ``X``.
    stats : tuple of numpy.ndarray
        ``(mean, std)``, with ``std`` 1 for constant features.

    Raises
    ------
    ValueError
        If ``X`` is empty or not finite, or ``stats`` do not match its features or have a
        standard deviation that is not positive.
    """
    X = _as_samples(X)
    if stats is None:
        mean = X.mean(axis=0, dtype=np.float64)
        std = X.std(axis=0, dtype=np.float64)
        constant = np.ptp(X, axis=0) == 0
        mean = np.where(constant, X[0], mean).astype(X.dtype)
        std = np.where(constant, 1.0, std).astype(X.dtype)
    else:
        mean, std = _check_stats(stats, X, ("mean", "std"))
        if np.any(std <= 0):
            raise ValueError(f"stats std must be positive, got a minimum of {std.min().item()}")
    return (X - mean) / std, (mean, std)


def normalize(
    X: Any, stats: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    r"""Rescale every feature linearly to the interval :math:`[0, 1]` (min–max scaling).

    .. math:: x' = \frac{x - \min}{\max - \min},

    with the minimum and maximum of each feature over the samples. The conventions are those of
    :func:`standardize`: compute ``stats`` on the training set and apply them to the test set
    (whose values may then fall slightly outside :math:`[0, 1]`); a constant feature has its range
    taken as 1 and becomes 0.

    Parameters
    ----------
    X : array_like
        Samples, shape ``(n_samples, ...)``. Float arrays keep their dtype; integer arrays are
        converted to float64.
    stats : tuple of numpy.ndarray, optional
        ``(minimum, maximum)`` from an earlier call, each of shape ``X.shape[1:]``.

    Returns
    -------
    X_01 : numpy.ndarray
        The rescaled samples, same shape and (floating) dtype as ``X``.
    stats : tuple of numpy.ndarray
        ``(minimum, maximum)`` of each feature.

    Raises
    ------
    ValueError
        If ``X`` is empty or not finite, or ``stats`` do not match its features or have a maximum
        below the minimum.
    """
    X = _as_samples(X)
    if stats is None:
        low, high = X.min(axis=0), X.max(axis=0)
    else:
        low, high = _check_stats(stats, X, ("minimum", "maximum"))
        if np.any(high < low):
            raise ValueError("stats maximum is below the minimum for some features")
    span = high - low
    span = np.where(span > 0, span, 1).astype(X.dtype)
    return (X - low) / span, (low, high)


def _as_label_indices(y: Any, name: str) -> np.ndarray:
    """1-D integer class labels as int64, or a ValueError that names the offending value."""
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of class indices, got shape {arr.shape}"
            + ("; for one-hot rows use to_class_indices first" if arr.ndim == 2 else "")
        )
    if arr.dtype.kind == "b":
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                f"{name} must hold integer class labels; got {arr[i].item()} at index {i}"
            )
    if arr.size and arr.min() < 0:
        i = int(np.argmin(arr))
        raise ValueError(
            f"{name} must be non-negative class indices; got {arr[i].item()} at index {i}"
        )
    return arr.astype(np.int64)


def one_hot(y: Any, n_classes: int | None = None, dtype: Any = np.float64) -> np.ndarray:
    r"""Encode class indices as one-hot rows.

    Label :math:`k` becomes the unit vector :math:`e_k`, a row of zeros with a 1 in column
    :math:`k`: the target a softmax output layer should produce.

    Parameters
    ----------
    y : array_like
        Class indices, shape ``(n,)``: integers, or floats with integral values.
    n_classes : int, optional
        Number of columns; by default ``max(y) + 1``.
    dtype : numpy dtype
        dtype of the result.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, n_classes)``, each row containing a single 1.

    Raises
    ------
    ValueError
        If a label is not an integer, is negative or is at least ``n_classes``; the message gives
        the offending value and its position.
    """
    labels = _as_label_indices(y, "y")
    if n_classes is None:
        if labels.size == 0:
            raise ValueError("cannot infer n_classes from an empty label array; pass n_classes")
        n_classes = int(labels.max()) + 1
    n_classes = check_positive(n_classes, "n_classes", integer=True)
    if labels.size and labels.max() >= n_classes:
        i = int(np.argmax(labels))
        raise ValueError(
            f"label {labels[i]} at index {i} is out of range for n_classes={n_classes} "
            f"(labels must be 0 .. {n_classes - 1})"
        )
    encoded = np.zeros((labels.size, n_classes), dtype=dtype)
    encoded[np.arange(labels.size), labels] = 1
    return encoded


def to_class_indices(Y: Any) -> np.ndarray:
    r"""Turn class labels in either common encoding into a 1-D array of class indices.

    Accepted are class indices (a 1-D array of non-negative integers, or floats with integral
    values; booleans count as 0 and 1), a single column of such indices, shape ``(n, 1)``, as the
    0/1 targets of a network with one sigmoid output, and one-hot rows, shape ``(n, K)`` with
    :math:`K \ge 2`, every entry 0 or 1 and exactly one 1 per row.

    Parameters
    ----------
    Y : array_like
        The labels.

    Returns
    -------
    numpy.ndarray
        int64 class indices, shape ``(n,)``.

    Raises
    ------
    ValueError
        "labels must be class indices (1-D integers) or one-hot rows; got ..." followed by what is
        wrong (shape, dtype, a non-integer or negative value, a row that is not one-hot).
    """
    prefix = "labels must be class indices (1-D integers) or one-hot rows; got "
    arr = np.asarray(Y)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{prefix}an array of dtype {arr.dtype}")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim == 1:
        if arr.dtype.kind == "f":
            bad = ~np.isfinite(arr) | (arr != np.round(arr))
            if bad.any():
                i = int(np.argmax(bad))
                raise ValueError(f"{prefix}the non-integer value {arr[i].item()} at index {i}")
        if arr.size and arr.min() < 0:
            i = int(np.argmin(arr))
            raise ValueError(f"{prefix}the negative value {arr[i].item()} at index {i}")
        return arr.astype(np.int64)
    if arr.ndim != 2:
        raise ValueError(f"{prefix}a {arr.ndim}-D array of shape {arr.shape}")
    binary = (arr == 0) | (arr == 1)
    if not binary.all():
        i, j = (int(k) for k in np.argwhere(~binary)[0])
        raise ValueError(
            f"{prefix}a 2-D array of shape {arr.shape} whose entry {arr[i, j].item()} at row {i}, "
            f"column {j} is neither 0 nor 1"
        )
    ones = (arr == 1).sum(axis=1)
    if np.any(ones != 1):
        i = int(np.argmax(ones != 1))
        raise ValueError(
            f"{prefix}a 2-D array of shape {arr.shape} whose row {i} has {ones[i]} ones "
            f"instead of exactly one"
        )
    return np.argmax(arr, axis=1).astype(np.int64)


def as_targets(Y: Any, n: int, k: int, output: Any, dtype: Any, name: str = "Y") -> np.ndarray:
    """Check the targets of ``n`` samples for an output layer of ``k`` units; return ``(n, k)``.

    Targets must lie in the output activation's ``range``. For a softmax output (``class_labels``)
    they may be class indices, which become one-hot rows, or rows of probabilities summing to 1.
    """
    Y = as_finite_array(Y, name)
    if Y.ndim == 0 or Y.shape[0] != n:
        count = Y.shape[0] if Y.ndim else "no"
        raise ValueError(f"{name} has {count} sample(s) (shape {Y.shape}), expected {n}")
    if output.class_labels and (Y.ndim == 1 or Y.shape[1:] == (1,)):
        return one_hot(to_class_indices(Y), k, dtype=dtype)
    if Y.ndim == 1 and k == 1:
        Y = Y.reshape(n, 1)
    if Y.ndim != 2 or Y.shape[1] != k:
        if output.class_labels:
            raise ValueError(
                f"{name} of shape {Y.shape} fits neither a {output.name} output with {k} classes: "
                f"expected class indices of shape ({n},) or one-hot rows of shape ({n}, {k})"
            )
        expected = f"({n},) or ({n}, 1)" if k == 1 else f"({n}, {k})"
        raise ValueError(f"{name} has shape {Y.shape}, expected {expected} for {k} output unit(s)")
    low, high = output.range
    if Y.min() < low or Y.max() > high:
        raise ValueError(
            f"{name} must lie in [{low:g}, {high:g}] for a {output.name} output, got "
            f"values from {Y.min()} to {Y.max()}"
        )
    if output.class_labels and not np.allclose(Y.sum(axis=1), 1.0):
        raise ValueError(
            f"{name} of shape {Y.shape} must hold one-hot or probability rows (entries in "
            f"[0, 1] summing to 1) for a {output.name} output; pass class indices of shape "
            f"({n},) otherwise"
        )
    return Y.astype(dtype, copy=False)


def train_test_split(
    X: Any,
    y: Any,
    test_size: float | int = 0.25,
    seed: int | None = None,
    stratify: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""Hold out a random part of the data for testing.

    The samples are shuffled and ``n_test`` of them set aside: ``test_size`` itself when it is an
    integer, or :math:`\lceil \mathrm{test\_size} \cdot n \rceil` when it is a fraction. With
    ``stratify=True`` every class is split in the same proportion (its test quota is rounded so
    the quotas add up to ``n_test``), so that a rare class cannot vanish from either part.

    Parameters
    ----------
    X : array_like
        Samples, shape ``(n, ...)``.
    y : array_like
        Labels or targets, shape ``(n, ...)``; class indices or one-hot rows when stratifying.
    test_size : float or int
        Fraction of the samples in :math:`(0, 1)`, or their number.
    seed : int or None
        Seed of the random generator.
    stratify : bool
        Keep the class proportions of ``y`` in both parts.

    Returns
    -------
    X_train, X_test, y_train, y_test : numpy.ndarray
        The two parts, in random order; ``X`` and ``y`` themselves are not modified.

    Raises
    ------
    ValueError
        If ``X`` and ``y`` differ in length, ``test_size`` is out of range or leaves one part
        empty, or (when stratifying) ``y`` is not class labels.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError("X and y must be arrays of samples, got a scalar")
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X has {n} samples but y has {len(y)}; they must match")
    if isinstance(test_size, bool) or not isinstance(
        test_size, int | float | np.integer | np.floating
    ):
        raise ValueError(f"test_size must be a fraction in (0, 1) or an integer, got {test_size!r}")
    if isinstance(test_size, int | np.integer):
        n_test = int(test_size)
    elif 0 < test_size < 1:
        n_test = int(np.ceil(test_size * n))
    else:
        raise ValueError(
            f"test_size as a fraction must lie strictly between 0 and 1, got {test_size}"
        )
    if not 0 < n_test < n:
        raise ValueError(
            f"test_size={test_size!r} gives {n_test} test samples out of {n}; "
            f"both parts need at least one sample"
        )
    rng = np.random.default_rng(seed)
    if stratify:
        labels = to_class_indices(y)
        test_idx = _stratified_test_indices(labels, n_test, rng)
    else:
        test_idx = rng.permutation(n)[:n_test]
    is_test = np.zeros(n, dtype=bool)
    is_test[test_idx] = True
    train_idx = rng.permutation(np.flatnonzero(~is_test))
    test_idx = rng.permutation(np.flatnonzero(is_test))
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def _stratified_test_indices(
    labels: np.ndarray, n_test: int, rng: np.random.Generator
) -> np.ndarray:
    """Pick ``n_test`` indices with every class represented in proportion (largest remainders)."""
    classes, counts = np.unique(labels, return_counts=True)
    quota = n_test * counts / len(labels)
    take = np.floor(quota).astype(int)
    remainder_order = np.argsort(-(quota - take), kind="stable")
    take[remainder_order[: n_test - take.sum()]] += 1
    chosen = [
        rng.permutation(np.flatnonzero(labels == c))[:k] for c, k in zip(classes, take, strict=True)
    ]
    return np.concatenate(chosen)


def minibatches(
    X: Any,
    Y: Any,
    batch_size: int | None,
    shuffle: bool = True,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    r"""Iterate once over the data in mini-batches (one epoch).

    Stochastic gradient descent estimates the gradient of the mean loss from a mini-batch of
    :math:`m` samples instead of all :math:`n`. One pass yields
    :math:`\lceil n/m \rceil` batches that together contain every sample exactly once; all have
    ``batch_size`` samples except possibly the last, which holds the remainder. With
    ``shuffle=True`` the order is a fresh random permutation.

    For reproducible training give either ``seed`` (every pass then uses the same order) or a
    generator ``rng`` shared across epochs (each pass draws a new order from it).

    Parameters
    ----------
    X : array_like
        Inputs, shape ``(n, ...)``.
    Y : array_like or None
        Targets with the same first dimension, or ``None`` to batch ``X`` alone.
    batch_size : int or None
        Samples per batch; ``None`` means a single batch of all samples (full-batch gradient
        descent).
    shuffle : bool
        Visit the samples in random order.
    seed : int or None
        Seed for the permutation (not together with ``rng``).
    rng : numpy.random.Generator or None
        Generator for the permutation.

    Returns
    -------
    iterator of tuple
        Pairs ``(X_batch, Y_batch)``; ``Y_batch`` is ``None`` when ``Y`` is.

    Raises
    ------
    ValueError
        If ``batch_size`` is not a positive integer or ``None``, ``X`` and ``Y`` differ in length,
        or both ``seed`` and ``rng`` are given. The checks happen at the call, before iterating.
    """
    X = np.asarray(X)
    if X.ndim == 0:
        raise ValueError("X must be an array of samples, got a scalar")
    n = len(X)
    if Y is not None:
        Y = np.asarray(Y)
        if Y.ndim == 0 or len(Y) != n:
            raise ValueError(
                f"X has {n} samples but Y has {len(Y) if Y.ndim else 'no sample axis'}; "
                f"they must match"
            )
    batch_size = n if batch_size is None else check_positive(batch_size, "batch_size", integer=True)
    if seed is not None and rng is not None:
        raise ValueError("give either seed or rng, not both")
    if shuffle:
        order = (rng if rng is not None else np.random.default_rng(seed)).permutation(n)
    else:
        order = None
    return _batches(X, Y, max(batch_size, 1), order)


def _batches(
    X: np.ndarray, Y: np.ndarray | None, batch_size: int, order: np.ndarray | None
) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    for start in range(0, len(X), batch_size):
        index = (
            slice(start, start + batch_size) if order is None else order[start : start + batch_size]
        )
        yield X[index], (None if Y is None else Y[index])
