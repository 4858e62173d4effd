"""Input checks shared by the whole package.

Every public function of ``neuronet`` that takes data, a name or a hyper-parameter checks it here,
so that a mistake is reported where it is made, in words that name the problem, rather than as a
NumPy broadcasting error three calls later or, worse, as a silently wrong result.
"""

from __future__ import annotations

import contextvars
import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
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


def check_fraction(value: Any, name: str, low_open: bool) -> float:
    """Check that ``value`` lies in ``[0, 1)`` (or ``(0, 1)`` if ``low_open``) and return it."""
    interval = "(0, 1)" if low_open else "[0, 1)"
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"{name} must be a number in {interval}, got {value!r}")
    value = float(value)
    low_ok = value > 0 if low_open else value >= 0
    if not (math.isfinite(value) and low_ok and value < 1):
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return value


def as_array_list(arrays: Any, name: str) -> list[Any]:
    """Read a bare array as a one-element list; refuse anything that is not a sequence."""
    if isinstance(arrays, np.ndarray):
        return [arrays]
    if isinstance(arrays, Sequence) and not isinstance(arrays, str):
        return list(arrays)
    raise TypeError(f"{name} must be a list of NumPy arrays (or one array), got {type(arrays)}")


def check_params_and_grads(
    params: Any, grads: Any, shapes: list[tuple[int, ...]], who: str
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Check an optimizer's arguments: floating parameter arrays, matching gradients, and the
    ``shapes`` of the parameters it holds state for (empty before its first step)."""
    params, grads = as_array_list(params, "params"), as_array_list(grads, "grads")
    if len(grads) != len(params):
        raise ValueError(f"got {len(params)} parameter array(s) but {len(grads)} gradient(s)")
    for i, p in enumerate(params):
        if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
            kind = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
            raise TypeError(
                f"params[{i}] must be a floating-point NumPy array so that it can be updated "
                f"in place, got {kind}"
            )
    grads = [np.asarray(g) for g in grads]
    for i, (p, g) in enumerate(zip(params, grads, strict=True)):
        if g.shape != p.shape:
            raise ValueError(f"grads[{i}] has shape {g.shape} but params[{i}] has {p.shape}")
    if shapes and len(params) != len(shapes):
        raise ValueError(
            f"{who} holds state for {len(shapes)} parameter array(s) but got "
            f"{len(params)}; call reset() to use it on new parameters"
        )
    for i, (p, shape) in enumerate(zip(params, shapes, strict=False)):
        if p.shape != shape:
            raise ValueError(
                f"params[{i}] has shape {p.shape} but {who} holds state of shape {shape} "
                "for it; call reset() to use it on new parameters"
            )
    return params, grads


def check_at_least(x: np.ndarray, name: str, cost: str, low: float, strict: bool, why: str) -> None:
    """Raise a ValueError naming the smallest entry of ``x`` if it is below ``low``."""
    smallest = float(x.min())
    if smallest < low or (strict and smallest == low):
        sign = ">" if strict else ">="
        raise ValueError(f"{cost} needs {name} {sign} {low:g} ({why}), got a value of {smallest!r}")


def check_unit_interval(x: np.ndarray, name: str, cost: str, why: str) -> None:
    """Raise a ValueError naming the offending entry if ``x`` leaves :math:`[0, 1]`."""
    smallest, largest = float(x.min()), float(x.max())
    if smallest < 0 or largest > 1:
        bad = smallest if smallest < 0 else largest
        raise ValueError(f"{cost} needs {name} in [0, 1] ({why}), got a value of {bad!r}")


def as_scalar(value: Any, name: str) -> float:
    """Read a number, or an array holding exactly one number, as a float."""
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a single number, got {value!r}")
    return float(arr.reshape(-1)[0])


def check_example(
    w: Any, b: Any, x: Any, y: Any, target_range: tuple[float, float], who: str
) -> tuple[np.ndarray, float, float]:
    """Check one example ``(x, y)`` for a neuron with weights ``w`` and bias ``b``."""
    if not isinstance(w, np.ndarray) or w.dtype.kind != "f" or w.ndim != 1:
        kind = f"shape {w.shape}, dtype {w.dtype}" if isinstance(w, np.ndarray) else type(w)
        raise TypeError(f"w must be a 1-D floating-point NumPy array, got {kind}")
    x = np.asarray(x, dtype=np.float64)
    if x.shape != w.shape:
        raise ValueError(f"x has shape {x.shape} but w has shape {w.shape}")
    b, y = as_scalar(b, "b"), as_scalar(y, "y")
    if not (np.isfinite(x).all() and math.isfinite(b) and math.isfinite(y)):
        raise ValueError("x, b and y must be finite")
    low, high = target_range
    if not low <= y <= high:
        raise ValueError(f"a {who} neuron's target must be in [{low:g}, {high:g}], got {y!r}")
    return x, b, y


def check_sizes(sizes: Any) -> list[int]:
    """Check a network's layer sizes: at least two positive integers, inputs first."""
    if isinstance(sizes, str | bytes) or not hasattr(sizes, "__len__"):
        raise ValueError(f"sizes must be a list of layer sizes such as [2, 4, 1], got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least two entries (inputs and outputs), got {sizes!r}")
    for i, s in enumerate(sizes):
        if isinstance(s, bool) or not isinstance(s, int | np.integer) or s <= 0:
            raise ValueError(f"sizes must be positive integers, got {s!r} at position {i}")
    return [int(s) for s in sizes]


def check_output_and_cost(output: Any, cost: Any, n_out: int, costs: Mapping[str, type]) -> None:
    """Check that an output layer of ``n_out`` units can be trained with ``cost`` (the other
    ``costs`` of the registry are named in the error as the ones that would suit)."""
    if not output.differentiable:
        raise ValueError(
            f"the output activation cannot be {output.name!r}: its derivative is zero almost "
            "everywhere, so no cost can train it; use 'sigmoid' for yes/no outputs"
        )
    if not output.elementwise and n_out == 1:
        raise ValueError(
            f"a {output.name} output needs at least 2 units: over a single unit it always "
            "outputs 1; for a yes/no output use output='sigmoid' with cost='cross_entropy'"
        )
    if not cost.suits(output):
        expects = " or ".join(sorted(cls.name for cls in cost.outputs))
        suiting = [name for name, cls in costs.items() if cls().suits(output)]
        raise ValueError(
            f"cost {cost.name!r} does not go with a {output.name!r} output; it expects "
            f"{expects} outputs. Costs that suit a {output.name!r} output: {', '.join(suiting)}"
        )


def check_z(activation: Any, z: Any) -> tuple[np.ndarray]:
    """The check of an activation's input ``z`` (finite, floating)."""
    return (as_float_array(z, "z"),)


def check_z_and_grad(activation: Any, z: Any, grad_output: Any) -> tuple[np.ndarray, np.ndarray]:
    """The check of an activation's ``backward`` arguments: finite, floating, same shape."""
    z, grad_output = as_float_array(z, "z"), as_float_array(grad_output, "grad_output")
    check_same_shape(z, grad_output, "z", "grad_output")
    return z, grad_output


def check_cost_inputs(cost: Any, y_pred: Any, y_true: Any) -> tuple[np.ndarray, np.ndarray]:
    """Check a cost's arguments; give both one floating dtype, at least float32."""
    a, y = as_finite_array(y_pred, "y_pred"), as_finite_array(y_true, "y_true")
    check_same_shape(a, y, "y_pred", "y_true")
    if a.size == 0:
        raise ValueError(f"y_pred and y_true are empty (shape {a.shape}); the cost needs data")
    work = np.promote_types(a.dtype if a.dtype.kind == "f" else np.float64, np.float32)
    a, y = a.astype(work, copy=False), y.astype(work, copy=False)
    cost.check(a, y)
    return a, y
