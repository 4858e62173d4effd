r"""Weight initializers: where gradient descent starts.

A layer computes :math:`z_j = \sum_{i=1}^{n_{in}} x_i w_{ij} + b_j`. If the inputs :math:`x_i` are
independent with mean zero and variance :math:`\mathrm{Var}(x)`, and the weights are drawn
independently with mean zero and variance :math:`\mathrm{Var}(w)`, then

.. math:: \mathrm{Var}(z_j) = n_{in} \, \mathrm{Var}(w) \, \mathrm{Var}(x).

So the size of the weights decides whether the signal grows (:math:`n_{in}\mathrm{Var}(w) > 1`),
shrinks (:math:`< 1`) or keeps its scale as it passes through layer after layer. The same argument
applies to the gradients on the way back, with :math:`n_{out}` in place of :math:`n_{in}`. A deep
network whose activations explode or fade away also has exploding or vanishing gradients, and
learns badly or not at all. The initializers below differ only in the variance they choose.

Each has the signature ``f(n_in, n_out, rng=None, dtype=np.float64) -> W``: ``n_in`` and ``n_out``
are the layer's numbers of inputs and outputs, ``rng`` a generator or a seed, and ``W`` a matrix of
shape ``(n_in, n_out)``, so that a batch ``X`` of shape ``(batch, n_in)`` maps to ``X @ W``.
Draws are made in float64, then rounded to ``dtype``: a float32 and a float64 network built from
the same seed start from the same weights, up to rounding. Biases are best started at zero (the
random weights already break the symmetry).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from neuronet.validation import check_positive, lookup

Initializer = Callable[..., np.ndarray]
Seed = np.random.Generator | int | None

__all__ = ["INITIALIZERS", "get_initializer", "he", "small_random", "xavier", "zeros"]


def _shape(n_in: int, n_out: int) -> tuple[int, int]:
    return check_positive(n_in, "n_in", integer=True), check_positive(n_out, "n_out", integer=True)


def _normal(n_in: int, n_out: int, std: float, rng: Seed, dtype: Any) -> np.ndarray:
    rng = np.random.default_rng(rng)
    return (std * rng.standard_normal((n_in, n_out))).astype(dtype, copy=False)


def zeros(n_in: int, n_out: int, rng: Seed = None, dtype: Any = np.float64) -> np.ndarray:
    r"""All weights zero: the initialization that cannot learn features.

    With equal weights every unit of a layer computes the same output, receives the same gradient
    and takes the same update, so the units stay identical forever: a layer of 100 units behaves as
    one unit. Gradient descent never breaks this symmetry; only a random start does. (With ReLU,
    zero weights are worse still: every hidden pre-activation is 0, so no gradient flows back.)
    Zeros are fine for biases and for a single neuron, which has no symmetry to break.
    """
    return np.zeros(_shape(n_in, n_out), dtype=dtype)


def small_random(
    n_in: int, n_out: int, rng: Seed = None, dtype: Any = np.float64, scale: float = 0.01
) -> np.ndarray:
    r"""Weights "close to zero": normal with a fixed standard deviation ``scale``.

    Random weights break the symmetry between units, and small ones keep sigmoid and tanh units in
    their steep middle range. But the scale does not depend on the layer's width, so the variance
    of the activations is multiplied by :math:`n_{in} \cdot \mathrm{scale}^2` at every layer:
    with 256 inputs and ``scale=0.01`` that is 0.0256, and after a few layers the signal, and the
    gradient with it, has all but vanished.

    Parameters
    ----------
    scale : float
        Standard deviation of the weights (the other arguments: see the module notes).
    """
    check_positive(scale, "scale")
    n_in, n_out = _shape(n_in, n_out)
    return _normal(n_in, n_out, scale, rng, dtype)


def xavier(n_in: int, n_out: int, rng: Seed = None, dtype: Any = np.float64) -> np.ndarray:
    r"""Xavier (Glorot) initialization: :math:`\mathrm{Var}(w) = 2 / (n_{in} + n_{out})`.

    Glorot & Bengio (2010) ask for two things at once: that the forward signal keep its variance,
    :math:`n_{in}\mathrm{Var}(w) = 1`, and that the backward gradient keep its variance,
    :math:`n_{out}\mathrm{Var}(w) = 1`. Both hold only for square layers, so they take the
    compromise :math:`\mathrm{Var}(w) = 2/(n_{in}+n_{out})`, the harmonic mean of the two. The
    argument assumes units with :math:`f'(0) = 1` and zero mean, as tanh and the identity have;
    the logistic sigmoid, with :math:`f'(0) = 1/4` and mean 1/2, does not fit it.

    The paper draws from the uniform distribution on :math:`[-r, r]`,
    :math:`r = \sqrt{6/(n_{in}+n_{out})}`, whose variance :math:`r^2/3` is the same; we draw from
    the normal distribution with that variance, since only the variance enters the argument.
    """
    n_in, n_out = _shape(n_in, n_out)
    return _normal(n_in, n_out, np.sqrt(2.0 / (n_in + n_out)), rng, dtype)


def he(n_in: int, n_out: int, rng: Seed = None, dtype: Any = np.float64) -> np.ndarray:
    r"""He (Kaiming) initialization: :math:`\mathrm{Var}(w) = 2 / n_{in}`.

    A ReLU sets about half of its inputs to zero, so for a pre-activation :math:`z` symmetric
    about zero, :math:`E[\mathrm{relu}(z)^2] = \mathrm{Var}(z)/2`: each ReLU layer halves the
    second moment of the signal. He et al. (2015) double the weight variance to compensate,
    :math:`n_{in}\mathrm{Var}(w)/2 = 1`, so that the activations of a deep ReLU network keep
    their scale from layer to layer (Xavier's choice would halve it at every layer).
    """
    n_in, n_out = _shape(n_in, n_out)
    return _normal(n_in, n_out, np.sqrt(2.0 / n_in), rng, dtype)


INITIALIZERS: dict[str, Initializer] = {f.__name__: f for f in (zeros, small_random, xavier, he)}


def get_initializer(name_or_function: str | Initializer) -> Initializer:
    r"""Return the initializer called ``name_or_function``, or the callable itself.

    Parameters
    ----------
    name_or_function : str or callable
        A name from :data:`INITIALIZERS` (``"zeros"``, ``"small_random"``, ``"xavier"``,
        ``"he"``) or any function ``f(n_in, n_out, rng, dtype) -> W``.
    """
    # ``lookup`` calls what it finds in the registry, so register factories returning functions.
    factories = {name: (lambda f=f: f) for name, f in INITIALIZERS.items()}
    init = lookup(factories, name_or_function, "initializer")
    if not callable(init):
        raise TypeError(
            f"initializer must be a name ({', '.join(INITIALIZERS)}) or a callable "
            f"f(n_in, n_out, rng, dtype), got {name_or_function!r}"
        )
    return init
