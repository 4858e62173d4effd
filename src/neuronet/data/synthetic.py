r"""Toy two-dimensional classification problems, generated in code.

Each generator draws ``n_samples`` points in the plane and returns ``(X, y)``: ``X`` of shape
``(n_samples, 2)`` and dtype float64, ``y`` of shape ``(n_samples,)`` and dtype int64 holding class
indices ``0, 1, ...``. The classes are balanced: with :math:`K` classes each gets
:math:`\lfloor n/K \rfloor` or :math:`\lceil n/K \rceil` points (exactly :math:`n/K` when
:math:`K` divides :math:`n`). The rows come in random order, so any slice is a fair sample.

``noise`` is the standard deviation of Gaussian noise added to both coordinates (``noise=0`` gives
the clean geometry), and ``seed`` feeds :func:`numpy.random.default_rng`: the same seed gives the
same data set, ``seed=None`` a fresh one each call.

The sets are chosen for what they teach: two Gaussian blobs are linearly separable (a single
neuron suffices), XOR is the classic problem one neuron cannot solve, and circles, moons and
spirals need increasingly curved decision boundaries, hence hidden layers.
"""

from __future__ import annotations

import numpy as np

from neuronet.validation import check_positive


def _check_common(n_samples: int, noise: float) -> tuple[int, float]:
    """Validate the arguments every generator shares."""
    n_samples = check_positive(n_samples, "n_samples", integer=True)
    if isinstance(noise, bool) or not isinstance(noise, int | float | np.integer | np.floating):
        raise ValueError(f"noise must be a non-negative number, got {noise!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a non-negative finite number, got {noise!r}")
    return n_samples, float(noise)


def _class_sizes(n_samples: int, n_classes: int) -> np.ndarray:
    """Split ``n_samples`` into ``n_classes`` counts that differ by at most one."""
    if n_samples < n_classes:
        raise ValueError(
            f"n_samples={n_samples} is too small for {n_classes} classes; "
            f"need at least one sample per class"
        )
    sizes = np.full(n_classes, n_samples // n_classes)
    sizes[: n_samples % n_classes] += 1
    return sizes


def _finish(
    X: np.ndarray, y: np.ndarray, noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Add Gaussian noise of standard deviation ``noise`` and shuffle the rows."""
    if noise > 0:
        X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(X))
    return np.ascontiguousarray(X[order], dtype=np.float64), y[order].astype(np.int64)


def make_xor(
    n_samples: int = 200, noise: float = 0.1, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""The XOR problem: opposite quadrants share a class.

    Points are drawn uniformly in the square :math:`[-1, 1]^2`, with the quadrants chosen so that
    the classes are balanced, and labelled by the exclusive-or of the signs,

    .. math:: y = [\, x_1 > 0 \,] \oplus [\, x_2 > 0 \,],

    that is class 1 where :math:`x_1 x_2 < 0` (second and fourth quadrants) and class 0 where
    :math:`x_1 x_2 > 0`. No straight line separates the classes. The labels are fixed before the
    noise is added, so with ``noise > 0`` a few points near the axes cross into a neighbouring
    quadrant; with ``noise=0`` every label obeys the rule exactly.

    Parameters
    ----------
    n_samples : int
        Number of points.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int or None
        Seed of the random generator.

    Returns
    -------
    X : numpy.ndarray
        Points, shape ``(n_samples, 2)``, float64.
    y : numpy.ndarray
        Labels 0 or 1, shape ``(n_samples,)``, int64.

    Raises
    ------
    ValueError
        If ``n_samples`` is not a positive integer or ``noise`` is negative.
    """
    n_samples, noise = _check_common(n_samples, noise)
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n_samples, 2)
    y = np.repeat(np.arange(2), sizes)
    # Magnitudes in (0, 1], so that no clean point lies on an axis.
    magnitude = 1.0 - rng.random((n_samples, 2))
    sign_1 = rng.choice([-1.0, 1.0], size=n_samples)
    sign_2 = np.where(y == 1, -sign_1, sign_1)
    X = magnitude * np.column_stack([sign_1, sign_2])
    return _finish(X, y, noise, rng)


def make_gaussians(
    n_samples: int = 200,
    noise: float = 0.1,
    seed: int | None = None,
    *,
    n_classes: int = 2,
    spread: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Round Gaussian blobs, one per class, with centres evenly spaced on a circle.

    The centre of class :math:`k` is
    :math:`\mu_k = s\,(\cos(2\pi k/K), \sin(2\pi k/K))` with :math:`s` = ``spread``, and its
    points are :math:`\mu_k + \sigma\,\varepsilon` with :math:`\varepsilon \sim N(0, I)` and
    :math:`\sigma` = ``noise``. Two classes sit at :math:`(\pm s, 0)`; they are linearly
    separable with high probability while ``noise`` is small compared with ``spread``.

    Parameters
    ----------
    n_samples : int
        Number of points.
    noise : float
        Standard deviation of each blob.
    seed : int or None
        Seed of the random generator.
    n_classes : int
        Number of blobs (at least 2).
    spread : float
        Distance of every centre from the origin.

    Returns
    -------
    X : numpy.ndarray
        Points, shape ``(n_samples, 2)``, float64.
    y : numpy.ndarray
        Labels ``0 .. n_classes - 1``, shape ``(n_samples,)``, int64.

    Raises
    ------
    ValueError
        If an argument is out of range, or ``n_samples < n_classes``.
    """
    n_samples, noise = _check_common(n_samples, noise)
    n_classes = _check_n_classes(n_classes)
    spread = check_positive(spread, "spread")
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), _class_sizes(n_samples, n_classes))
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    centres = spread * np.column_stack([np.cos(angles), np.sin(angles)])
    return _finish(centres[y], y, noise, rng)


def make_circles(
    n_samples: int = 200, noise: float = 0.1, seed: int | None = None, *, factor: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two concentric circles: class 0 on the unit circle, class 1 on the circle of radius factor.

    Angles are uniform on :math:`[0, 2\pi)`. A neuron draws straight lines only; separating the
    rings needs a closed boundary, which hidden units can build (or a feature such as
    :math:`x_1^2 + x_2^2`).

    Parameters
    ----------
    n_samples : int
        Number of points.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int or None
        Seed of the random generator.
    factor : float
        Radius of the inner circle, strictly between 0 and 1.

    Returns
    -------
    X : numpy.ndarray
        Points, shape ``(n_samples, 2)``, float64.
    y : numpy.ndarray
        0 for the outer circle, 1 for the inner one; shape ``(n_samples,)``, int64.

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    n_samples, noise = _check_common(n_samples, noise)
    factor = check_positive(factor, "factor")
    if factor >= 1:
        raise ValueError(f"factor (the inner radius) must be between 0 and 1, got {factor!r}")
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(2), _class_sizes(n_samples, 2))
    theta = rng.uniform(0.0, 2 * np.pi, n_samples)
    radius = np.where(y == 0, 1.0, factor)
    X = radius[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _finish(X, y, noise, rng)


def make_moons(
    n_samples: int = 200, noise: float = 0.1, seed: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaving half circles.

    With :math:`t` uniform on :math:`[0, \pi]`, class 0 is the upper half of the unit circle,
    :math:`(\cos t, \sin t)`, and class 1 the same arc flipped and shifted,
    :math:`(1 - \cos t, \tfrac12 - \sin t)`: a half circle of radius 1 centred at
    :math:`(1, \tfrac12)`, opening upwards into the first one.

    Parameters
    ----------
    n_samples : int
        Number of points.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int or None
        Seed of the random generator.

    Returns
    -------
    X : numpy.ndarray
        Points, shape ``(n_samples, 2)``, float64.
    y : numpy.ndarray
        0 for the upper moon, 1 for the lower one; shape ``(n_samples,)``, int64.

    Raises
    ------
    ValueError
        If ``n_samples`` is not a positive integer or ``noise`` is negative.
    """
    n_samples, noise = _check_common(n_samples, noise)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(2), _class_sizes(n_samples, 2))
    t = rng.uniform(0.0, np.pi, n_samples)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where((y == 0)[:, None], upper, lower)
    return _finish(X, y, noise, rng)


def make_spirals(
    n_samples: int = 200,
    noise: float = 0.1,
    seed: int | None = None,
    *,
    n_classes: int = 2,
    turns: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Interleaved spiral arms, one per class.

    A point of class :math:`k` has a radius :math:`r` uniform on :math:`[0, 1]` and the angle

    .. math:: \theta = 2\pi \cdot \mathrm{turns} \cdot r + \frac{2\pi k}{K},

    so each arm is an Archimedean spiral winding ``turns`` times around the origin, and the
    :math:`K` arms are rotated copies of one another. It is the hardest of these sets: the
    boundary between arms curls around the origin.

    Parameters
    ----------
    n_samples : int
        Number of points.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int or None
        Seed of the random generator.
    n_classes : int
        Number of arms (at least 2).
    turns : float
        How many times each arm winds around the origin.

    Returns
    -------
    X : numpy.ndarray
        Points, shape ``(n_samples, 2)``, float64.
    y : numpy.ndarray
        Arm indices ``0 .. n_classes - 1``, shape ``(n_samples,)``, int64.

    Raises
    ------
    ValueError
        If an argument is out of range, or ``n_samples < n_classes``.
    """
    n_samples, noise = _check_common(n_samples, noise)
    n_classes = _check_n_classes(n_classes)
    turns = check_positive(turns, "turns")
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), _class_sizes(n_samples, n_classes))
    r = rng.random(n_samples)
    theta = 2 * np.pi * turns * r + 2 * np.pi * y / n_classes
    X = r[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _finish(X, y, noise, rng)


def _check_n_classes(n_classes: int) -> int:
    n_classes = check_positive(n_classes, "n_classes", integer=True)
    if n_classes < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes}")
    return n_classes
