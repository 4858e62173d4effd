"""Input checks shared by the whole package.

Every public function of ``neuronet`` that takes data, a name or a hyper-parameter checks it here,
so that a mistake is reported where it is made, in words that name the problem, rather than as a
NumPy broadcasting error three calls later or, worse, as a silently wrong result.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

_TRUSTED = contextvars.ContextVar("neuronet_trusted", default=False)


@contextmanager
def trusted() -> Iterator[None]:
    """Inside this block, arrays are not checked again: they were checked where they came in.

    A network checks the data a user hands it once, on entry to ``forward``, ``fit`` or ``loss``,
    and then runs its layers, activations and cost inside ``trusted()``, so that the inner calls
    do only the maths. Called directly by a user, the same methods check their arguments.
    """
    token = _TRUSTED.set(True)
    try:
        yield
    finally:
        _TRUSTED.reset(token)


def is_trusted() -> bool:
    """True inside :func:`trusted`, where arrays have already been checked."""
    return _TRUSTED.get()


def checked(check: Callable[..., tuple[Any, ...]]) -> Callable[[Callable], Callable]:
    """Decorate ``method(self, *arrays)`` to run ``check(self, *arrays)`` first, unless trusted.

    The activations and costs use it to check the arrays a user hands them (finite, floating,
    matching shapes) while the body of each method stays the plain maths.
    """

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def boundary(self: Any, *arrays: Any) -> Any:
            if not _TRUSTED.get():
                arrays = check(self, *arrays)
            return method(self, *arrays)

        return boundary

    return decorate


class TrainingDivergedError(RuntimeError):
    """Raised when the loss becomes NaN or infinite during training."""


def registry_key(registry: Mapping[str, Any], name: str, kind: str) -> str:
    """The registry key for ``name``: case-insensitive, ``-`` and spaces read as ``_``.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the valid names.
    """
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in registry:
        valid = ", ".join(sorted(registry))
        raise ValueError(f"unknown {kind} {name!r}; valid {kind} names are: {valid}")
    return key


def lookup(
    registry: Mapping[str, Any], name_or_object: Any, kind: str, expected: type | None = None
) -> Any:
    """Resolve ``name_or_object`` in ``registry``.

    A string is looked up (see :func:`registry_key`); a class found in the registry is
    instantiated with no arguments; anything else is returned unchanged, so that configured
    objects such as ``LeakyReLU(alpha=0.1)`` pass straight through.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the valid names.
    TypeError
        If ``expected`` is given and the result is not an instance of it.
    """
    if isinstance(name_or_object, str):
        result = registry[registry_key(registry, name_or_object, kind)]()
    elif isinstance(name_or_object, type):
        if name_or_object not in registry.values():
            raise ValueError(f"{name_or_object.__name__} is not a known {kind} class")
        result = name_or_object()
    else:
        result = name_or_object
    if expected is not None and not isinstance(result, expected):
        article = "an" if expected.__name__[0] in "AEIOU" else "a"
        raise TypeError(
            f"{kind} must be a name, {article} {expected.__name__} class or {article} "
            f"{expected.__name__} instance, got {name_or_object!r} of type "
            f"{type(name_or_object).__name__}"
        )
    return result


def as_finite_array(x: Any, name: str, dtype: Any = None) -> np.ndarray:
    """Return ``x`` as an array, refusing NaN and infinite entries.

    Raises
    ------
    ValueError
        If any entry is NaN or infinite; the message counts them and gives the first position.
    """
    arr = np.asarray(x, dtype=dtype)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric, got an array of dtype {arr.dtype}")
    # The sum is non-finite whenever an entry is (NaN and infinities propagate through it), so
    # one reduction without a temporary array clears finite data; only a non-finite sum, which
    # can also come from finite values overflowing, is looked at entry by entry.
    if arr.dtype.kind == "f" and not _sum_is_finite(arr) and not np.isfinite(arr).all():
        bad = ~np.isfinite(arr)
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} non-finite value(s) (NaN or inf), "
            f"the first at index {first}; clean or impute the data before using it"
        )
    return arr


def _sum_is_finite(arr: np.ndarray) -> bool:
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(np.sum(arr)))


def as_float_array(x: Any, name: str) -> np.ndarray:
    """Return ``x`` as a finite floating array; float dtypes are kept, others become float64."""
    arr = as_finite_array(x, name)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def as_batch(x: Any, name: str, n_features: int | None = None, dtype: Any = None) -> np.ndarray:
    """Return ``x`` as a finite 2-D ``(batch, features)`` array.

    A 1-D input is read as a single sample. ``n_features``, when given, is checked.
    """
    arr = as_finite_array(x, name, dtype=dtype)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (batch, features), got shape {arr.shape}")
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(
            f"{name} has {arr.shape[1]} feature(s) per sample (shape {arr.shape}), "
            f"expected {n_features}"
        )
    return arr


def as_class_labels(y: Any, name: str) -> np.ndarray:
    """Return class labels as a non-empty 1-D int64 array of non-negative integers.

    Raises
    ------
    ValueError
        If ``y`` is not 1-D, is empty, holds non-integer values or negative labels.
    """
    arr = as_finite_array(y, name)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of class labels, got {arr.shape}")
    if arr.dtype.kind == "f" and np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must hold integer class labels, got non-integer values")
    if np.any(arr < 0):
        raise ValueError(f"{name} must hold class labels >= 0, got the minimum {arr.min()}")
    return arr.astype(np.int64)


def check_positive(value: Any, name: str, integer: bool = False) -> Any:
    """Check that a hyper-parameter is a positive finite number (an integer if asked)."""
    if integer:
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Check that two arrays have the same shape, naming both in the error."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}")
