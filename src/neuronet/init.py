r"""Weight initializers: where gradient descent starts.

A layer computes :math:`z_j = \sum_{i=1}^{n_{in}} x_i w_{ij} + b_j`. If the inputs :math:`x_i` are
independent with mean zero and variance :math:`\mathrm{Var}(x)`, and the weights are drawn
independently with mean zero and variance :math:`\mathrm{Var}(w)`, then

.. math::

   \mathrm{Var}(z_j) = n_{in} \, \mathrm{Var}(w) \, \mathrm{Var}(x).

So the size of the weights decides whether the signal grows (:math:`n_{in}\mathrm{Var}(w) > 1`),
shrinks (:math:`< 1`) or keeps its scale as it passes through layer after layer. The same argument
applies to the gradients on the way back, with :math:`n_{out}` in place of :math:`n_{in}`. A deep
network whose activations explode or fade away also has exploding or vanishing gradients, and
learns badly or not at all. The initializers below differ only in the variance they choose:

- :func:`zeros`: every weight 0. It never breaks the symmetry between the units of a layer.
- :func:`small_random`: a fixed small scale, "close to zero", independent of the layer's size.
- :func:`xavier`: :math:`\mathrm{Var}(w) = 2/(n_{in}+n_{out})` (Glorot & Bengio 2010), for
  sigmoid, tanh and identity units.
- :func:`he`: :math:`\mathrm{Var}(w) = 2/n_{in}` (He et al. 2015), for ReLU units.

Each initializer has the signature ``f(n_in, n_out, rng, dtype=np.float64) -> W`` and returns a
weight matrix of shape ``(n_in, n_out)``, so that a batch ``X`` of shape ``(batch, n_in)`` maps to
``X @ W`` of shape ``(batch, n_out)``. Biases are best started at zero (the random weights already
break the symmetry). Random draws are made in float64 and then rounded to ``dtype``, so a float32
and a float64 network built from the same seed start from the same weights, up to rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from neuronet.validation import check_positive, lookup

Initializer = Callable[..., np.ndarray]

__all__ = ["INITIALIZERS", "get_initializer", "he", "small_random", "xavier", "zeros"]


def _shape(n_in: int, n_out: int) -> tuple[int, int]:
    return check_positive(n_in, "n_in", integer=True), check_positive(n_out, "n_out", integer=True)


def _normal(
    n_in: int, n_out: int, std: float, rng: np.random.Generator | int | None, dtype: Any
) -> np.ndarray:
    rng = np.random.default_rng(rng)
    return (std * rng.standard_normal((n_in, n_out))).astype(dtype, copy=False)


def zeros(
    n_in: int, n_out: int, rng: np.random.Generator | int | None = None, dtype: Any = np.float64
) -> np.ndarray:
    r"""All weights zero: the initialization that cannot learn features.

    With equal weights every unit of a layer computes the same output, receives the same gradient
    and takes the same update, so the units stay identical forever: a layer of 100 units behaves as
    one unit. Gradient descent never breaks this symmetry; only a random start does. (With ReLU,
    zero weights are worse still: every hidden pre-activation is 0, so no gradient flows back.)
    Zeros are fine for biases and for a single neuron, which has no symmetry to break.

    Parameters
    ----------
    n_in, n_out : int
        Number of inputs and outputs of the layer.
    rng : numpy.random.Generator, int or None
        Unused; accepted so that every initializer has the same signature.
    dtype : numpy dtype
        Floating type of the result.

    Returns
    -------
    numpy.ndarray
        A zero matrix of shape ``(n_in, n_out)``.
    """
    return np.zeros(_shape(n_in, n_out), dtype=dtype)


def small_random(
    n_in: int,
    n_out: int,
    rng: np.random.Generator | int | None = None,
    dtype: Any = np.float64,
    scale: float = 0.01,
) -> np.ndarray:
    r"""Weights "close to zero": normal with a fixed standard deviation ``scale``.

    Random weights break the symmetry between units, and small ones keep sigmoid and tanh units in
    their steep middle range. But the scale does not depend on the layer's width, so the variance
    of the activations is multiplied by :math:`n_{in} \cdot \mathrm{scale}^2` at every layer:
    with 256 inputs and ``scale=0.01`` that is 0.0256, and after a few layers the signal, and the
    gradient with it, has all but vanished.

    Parameters
    ----------
    n_in, n_out : int
        Number of inputs and outputs of the layer.
    rng : numpy.random.Generator, int or None
        Source of randomness (a seed is turned into a generator).
    dtype : numpy dtype
        Floating type of the result.
    scale : float
        Standard deviation of the weights.

    Returns
    -------
    numpy.ndarray
        A matrix of shape ``(n_in, n_out)`` drawn from :math:`\mathcal{N}(0, \mathrm{scale}^2)`.
    """
    check_positive(scale, "scale")
    n_in, n_out = _shape(n_in, n_out)
    return _normal(n_in, n_out, scale, rng, dtype)


def xavier(
    n_in: int, n_out: int, rng: np.random.Generator | int | None = None, dtype: Any = np.float64
) -> np.ndarray:
    r"""Xavier (Glorot) initialization: :math:`\mathrm{Var}(w) = 2 / (n_{in} + n_{out})`.

    Glorot & Bengio (2010) ask for two things at once: that the forward signal keep its variance,
    :math:`n_{in}\mathrm{Var}(w) = 1`, and that the backward gradient keep its variance,
    :math:`n_{out}\mathrm{Var}(w) = 1`. Both hold only for square layers, so they take the
    compromise :math:`\mathrm{Var}(w) = 2/(n_{in}+n_{out})`, the harmonic mean of the two. The
    argument assumes units that are roughly linear near zero, as tanh, sigmoid (up to its offset)
    and the identity are.

    The paper states it with a uniform distribution on :math:`[-r, r]`,
    :math:`r = \sqrt{6/(n_{in}+n_{out})}`, whose variance :math:`r^2/3` is the same
    :math:`2/(n_{in}+n_{out})`. We draw from the normal distribution with that variance; the two
    versions behave alike, since only the variance enters the argument.

    Parameters
    ----------
    n_in, n_out : int
        Number of inputs and outputs of the layer.
    rng : numpy.random.Generator, int or None
        Source of randomness (a seed is turned into a generator).
    dtype : numpy dtype
        Floating type of the result.

    Returns
    -------
    numpy.ndarray
        A matrix of shape ``(n_in, n_out)`` drawn from
        :math:`\mathcal{N}(0, 2/(n_{in}+n_{out}))`.
    """
    n_in, n_out = _shape(n_in, n_out)
    return _normal(n_in, n_out, np.sqrt(2.0 / (n_in + n_out)), rng, dtype)


def he(
    n_in: int, n_out: int, rng: np.random.Generator | int | None = None, dtype: Any = np.float64
) -> np.ndarray:
    r"""He (Kaiming) initialization: :math:`\mathrm{Var}(w) = 2 / n_{in}`.

    A ReLU sets about half of its inputs to zero, so for a pre-activation :math:`z` symmetric
    about zero, :math:`E[\mathrm{relu}(z)^2] = \mathrm{Var}(z)/2`: each ReLU layer halves the
    second moment of the signal. He et al. (2015) double the weight variance to compensate,
    :math:`n_{in}\mathrm{Var}(w)/2 = 1`, so that the activations of a deep ReLU network keep
    their scale from layer to layer (Xavier's choice would halve it at every layer).

    Parameters
    ----------
    n_in, n_out : int
        Number of inputs and outputs of the layer.
    rng : numpy.random.Generator, int or None
        Source of randomness (a seed is turned into a generator).
    dtype : numpy dtype
        Floating type of the result.

    Returns
    -------
    numpy.ndarray
        A matrix of shape ``(n_in, n_out)`` drawn from :math:`\mathcal{N}(0, 2/n_{in})`.
    """
    n_in, n_out = _shape(n_in, n_out)
    return _normal(n_in, n_out, np.sqrt(2.0 / n_in), rng, dtype)


INITIALIZERS: dict[str, Initializer] = {
    "zeros": zeros,
    "small_random": small_random,
    "xavier": xavier,
    "he": he,
}


def get_initializer(name_or_function: str | Initializer) -> Initializer:
    r"""Return the initializer called ``name_or_function``, or the callable itself.

    Parameters
    ----------
    name_or_function : str or callable
        A name from :data:`INITIALIZERS` (``"zeros"``, ``"small_random"``, ``"xavier"``,
        ``"he"``) or any function with the signature ``f(n_in, n_out, rng, dtype) -> W``.

    Returns
    -------
    callable
        The initializer.

    Raises
    ------
    ValueError
        If the name is unknown (the message lists the valid names).
    TypeError
        If the argument is neither a name nor a callable.
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
