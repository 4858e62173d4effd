"""Test surfaces for watching optimizers move.

A network's cost lives in thousands of dimensions; these functions of one or two variables are
small enough to draw, yet each shows one difficulty of the real thing:

- ``bowl``: a convex quadratic, elongated so that one learning rate is too small along one axis
  and nearly too large along the other (condition number 10);
- ``rosenbrock``: a long, curved, flat-bottomed valley;
- ``beale``: steep walls and a flat plateau;
- ``saddle``: a saddle point at the origin with two minima beside it, which an optimizer
  started near the saddle must escape;
- ``wavy``: a 1-D curve with several local minima and one global minimum.

Every surface is a :class:`Surface` with ``f`` and ``gradient``. A 2-D surface takes a point of
shape ``(2,)`` or a batch of shape ``(..., 2)`` (a whole grid, for contour plots); a 1-D surface
works elementwise on an array of any shape. :func:`descend` runs an optimizer from a starting
point and returns the path it takes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from neuronet.optimizers import Optimizer, get_optimizer
from neuronet.training import diverged
from neuronet.validation import (
    as_finite_array,
    check_positive,
    registry_key,
)

__all__ = [
    "SURFACES",
    "Surface",
    "beale",
    "bowl",
    "descend",
    "get_surface",
    "rosenbrock",
    "saddle",
    "wavy",
]

Function = Callable[[np.ndarray], np.ndarray]


class Surface:
    """A cost function of one or two variables, with its gradient and what is known about it.

    Parameters
    ----------
    name : str
        Short name, the key in ``SURFACES``.
    f : callable
        The function; for ``dim == 2`` it maps ``(..., 2)`` to ``(...)``, for ``dim == 1`` it
        works elementwise.
    gradient : callable
        Its gradient, with the shape of the input.
    minima : list of array_like
        Known minimizers, each of shape ``(dim,)``.
    domain : tuple of (float, float)
        One ``(low, high)`` range per variable, for plotting.
    start : array_like
        A starting point that shows the surface's difficulty, shape ``(dim,)``.
    dim : int
        1 or 2.

    Attributes
    ----------
    minima : list of numpy.ndarray
        The known minimizers, float64 arrays of shape ``(dim,)``.
    domain : tuple of tuple of float
        The plotting range of each variable.
    start : numpy.ndarray
        The default starting point, shape ``(dim,)``.
    """

    def __init__(
        self,
        name: str,
        f: Function,
        gradient: Function,
        minima: list[Any],
        domain: tuple[tuple[float, float], ...],
        start: Any,
        dim: int = 2,
    ) -> None:
        self.name = name
        self.dim = dim
        self._f = f
        self._gradient = gradient
        self.minima = [np.array(m, dtype=np.float64).reshape(dim) for m in minima]
        self.domain = tuple((float(lo), float(hi)) for lo, hi in domain)
        self.start = np.array(start, dtype=np.float64).reshape(dim)

    def __repr__(self) -> str:
        return f"Surface({self.name!r}, dim={self.dim})"

    def _points(self, x: Any) -> np.ndarray:
        arr = np.asarray(x, dtype=np.float64)
        if self.dim == 2 and (arr.ndim == 0 or arr.shape[-1] != 2):
            raise ValueError(
                f"{self.name} is a function of 2 variables: x must have shape (2,) or (..., 2), "
                f"got shape {arr.shape}"
            )
        return arr

    def f(self, x: Any) -> np.ndarray:
        """Evaluate the surface at ``x`` (shape ``(..., 2)``, or any shape for a 1-D curve)."""
        return self._f(self._points(x))

    def __call__(self, x: Any) -> np.ndarray:
        return self.f(x)

    def point(self, x0: Any = None) -> np.ndarray:
        """Return ``x0`` as a new float64 point of shape ``(dim,)``; None gives ``start``.

        Raises
        ------
        ValueError
            If ``x0`` is not finite or does not have shape ``(dim,)`` (a number is accepted
            for a 1-D curve).
        """
        if x0 is None:
            return self.start.copy()
        x = np.array(as_finite_array(x0, "x0", dtype=np.float64), dtype=np.float64)
        if self.dim == 1 and x.ndim == 0:
            x = x.reshape(1)
        if x.shape != (self.dim,):
            raise ValueError(
                f"x0 must have shape ({self.dim},) for the {self.dim}-D surface "
                f"{self.name!r}, got shape {x.shape}"
            )
        return x

    def gradient(self, x: Any) -> np.ndarray:
        """Return the gradient at ``x``, an array of the same shape as ``x``."""
        return self._gradient(self._points(x))

    @property
    def global_minimum(self) -> np.ndarray:
        """The known minimizer with the lowest value (the first one in case of a tie)."""
        values = [float(np.squeeze(self.f(m))) for m in self.minima]
        return self.minima[int(np.argmin(values))]


def _xy(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return p[..., 0], p[..., 1]


# bowl: f = (x^2 + 10 y^2) / 2, Hessian diag(1, 10), minimum 0 at the origin.
def _bowl_f(p: np.ndarray) -> np.ndarray:
    x, y = _xy(p)
    return 0.5 * (x**2 + 10.0 * y**2)


def _bowl_grad(p: np.ndarray) -> np.ndarray:
    x, y = _xy(p)
    return np.stack([x, 10.0 * y], axis=-1)


# rosenbrock: f = (a - x)^2 + b (y - x^2)^2, a = 1, b = 100, minimum 0 at (1, 1).
_A, _B = 1.0, 100.0


def _rosenbrock_f(p: np.ndarray) -> np.ndarray:
    x, y = _xy(p)
    return (_A - x) ** 2 + _B * (y - x**2) ** 2


def _rosenbrock_grad(p: np.ndarray) -> np.ndarray:
    x, y = _xy(p)
    inner = y - x**2
    return np.stack([-2.0 * (_A - x) - 4.0 * _B * x * inner, 2.0 * _B * inner], axis=-1)


# beale: sum over k = 1, 2, 3 of (c_k - x + x y^k)^2, c = (1.5, 2.25, 2.625), minimum 0 at (3, 0.5).
_BEALE_C = (1.5, 2.25, 2.625)


def _beale_f(p: np.ndarray) -> np.ndarray:
    x, y = _xy(p)
    return sum((c - x + x * y**k) ** 2 for k, c in enumerate(_BEALE_C, start=1))


def _beale_grad(p: np.ndarray) -> np.ndarray:
    x, y = _xy(p)
    gx = np.zeros_like(x)
    gy = np.zeros_like(y)
    for k, c in enumerate(_BEALE_C, start=1):
        r = c - x + x * y**k
        gx = gx + 2.0 * r * (y**k - 1.0)
        gy = gy + 2.0 * r * k * x * y ** (k - 1)
    return np.stack([gx, gy], axis=-1)


# saddle: f = x^2 - y^2 + y^4 / 4. Saddle at the origin (Hessian diag(2, -2)); minima -1 at
# (0, +-sqrt 2).
def _saddle_f(p: np.ndarray) -> np.ndarray:
    x, y = _xy(p)
    return x**2 - y**2 + 0.25 * y**4


def _saddle_grad(p: np.ndarray) -> np.ndarray:
    x, y = _xy(p)
    return np.stack([2.0 * x, -2.0 * y + y**3], axis=-1)


# wavy: f = x^2 / 10 + sin(3x), a parabola with ripples.
def _wavy_f(x: np.ndarray) -> np.ndarray:
    return x**2 / 10.0 + np.sin(3.0 * x)


def _wavy_grad(x: np.ndarray) -> np.ndarray:
    return x / 5.0 + 3.0 * np.cos(3.0 * x)


def _wavy_minima(low: float, high: float) -> list[float]:
    """Locate the minima of ``wavy`` in ``[low, high]``: where f' turns from - to +, bisected."""
    grid = np.linspace(low, high, 4001)
    slope = _wavy_grad(grid)
    minima = []
    for i in np.flatnonzero((slope[:-1] < 0) & (slope[1:] >= 0)):
        a, b = grid[i], grid[i + 1]
        for _ in range(60):
            mid = 0.5 * (a + b)
            if _wavy_grad(mid) < 0:
                a = mid
            else:
                b = mid
        minima.append(0.5 * (a + b))
    return minima


bowl = Surface(
    "bowl",
    _bowl_f,
    _bowl_grad,
    minima=[(0.0, 0.0)],
    domain=((-3.0, 3.0), (-2.0, 2.0)),
    start=(-2.5, 1.5),
)
"""Elongated convex quadratic :math:`f(x, y) = (x^2 + 10 y^2)/2`, minimum 0 at the origin.

The Hessian is :math:`\\mathrm{diag}(1, 10)`: gradient descent is stable only for
:math:`\\eta < 2/10`, and at such a rate it crawls along :math:`x`.
"""

rosenbrock = Surface(
    "rosenbrock",
    _rosenbrock_f,
    _rosenbrock_grad,
    minima=[(1.0, 1.0)],
    domain=((-2.0, 2.0), (-1.0, 3.0)),
    start=(-1.2, 1.0),
)
"""Rosenbrock's valley :math:`f(x, y) = (1 - x)^2 + 100 (y - x^2)^2`, minimum 0 at (1, 1).

The standard start (-1.2, 1) lies across the curved valley from the minimum.
"""

beale = Surface(
    "beale",
    _beale_f,
    _beale_grad,
    minima=[(3.0, 0.5)],
    domain=((-4.5, 4.5), (-4.5, 4.5)),
    start=(1.0, 1.5),
)
"""Beale's function :math:`\\sum_{k=1}^{3} (c_k - x + x y^k)^2` with
:math:`c = (1.5, 2.25, 2.625)`, minimum 0 at (3, 0.5): steep walls around a flat floor.
"""

saddle = Surface(
    "saddle",
    _saddle_f,
    _saddle_grad,
    minima=[(0.0, np.sqrt(2.0)), (0.0, -np.sqrt(2.0))],
    domain=((-2.0, 2.0), (-2.0, 2.0)),
    start=(1.5, 1e-3),
)
"""A saddle with somewhere to go: :math:`f(x, y) = x^2 - y^2 + y^4/4`.

The pure saddle :math:`x^2 - y^2` has no minimum, so the quartic term bends the falling direction
back up: the origin is a saddle point (curvature +2 along :math:`x`, -2 along :math:`y`) and the
minima, with value -1, are at :math:`(0, \\pm\\sqrt{2})`. The default start lies almost on the
ridge line :math:`y = 0`, where the gradient first pulls the point into the saddle and the
optimizer must then escape along :math:`y`.
"""

_WAVY_DOMAIN = (-4.0, 4.0)
wavy = Surface(
    "wavy",
    _wavy_f,
    _wavy_grad,
    minima=_wavy_minima(*_WAVY_DOMAIN),
    domain=(_WAVY_DOMAIN,),
    start=2.5,
    dim=1,
)
"""A 1-D curve with ripples, :math:`f(x) = x^2/10 + \\sin 3x`.

On its domain [-4, 4] it has four local minima (located numerically), of which the one near
:math:`x \\approx -0.51` is the global one. Gradient descent from the default start 2.5 settles
in the local minimum near 1.54.
"""

SURFACES: dict[str, Surface] = {s.name: s for s in (bowl, rosenbrock, beale, saddle, wavy)}


def get_surface(surface: Any, surfaces: Mapping[str, Surface] = SURFACES) -> Surface:
    """Return ``surface`` itself, or the surface of that name in ``surfaces``.

    Names are case-insensitive, with ``-`` and spaces read as ``_``.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the valid names.
    TypeError
        If ``surface`` is neither a Surface nor a name.
    """
    if isinstance(surface, Surface):
        return surface
    if isinstance(surface, str):
        return surfaces[registry_key(surfaces, surface, "surface")]
    raise TypeError(f"surface must be a Surface or a name, got {type(surface).__name__}")


def descend(
    surface: Any, x0: Any, optimizer: Any, steps: int, noise: float = 0.0, seed: Any = None
) -> np.ndarray:
    r"""Run ``optimizer`` on ``surface`` from ``x0`` and return the path.

    At every step the gradient at the current point is handed to
    ``optimizer.step([x], [gradient])``, exactly as a network hands over its weight gradients.
    The optimizer is :meth:`~neuronet.optimizers.Optimizer.reset` first, so each path starts
    from fresh state.

    Parameters
    ----------
    surface : Surface or str
        The surface, or its name in ``SURFACES``.
    x0 : array_like
        Starting point, shape ``(dim,)`` (a number is accepted for a 1-D curve).
    optimizer : Optimizer or str
        An optimizer, or a name for :func:`~neuronet.optimizers.get_optimizer` (default
        hyper-parameters).
    steps : int
        Number of steps, positive.
    noise : float
        Standard deviation of Gaussian noise added to every gradient, a stand-in for the error of
        a mini-batch's gradient (0: exact gradients).
    seed : int, numpy.random.Generator or None
        Seed of the noise.

    Returns
    -------
    numpy.ndarray
        The float64 path of shape ``(steps + 1, dim)``; row 0 is ``x0``.

    Raises
    ------
    ValueError
        If ``steps`` is not a positive integer or ``x0`` has the wrong shape or is not finite.
    TrainingDivergedError
        If the point or its value becomes NaN or infinite; the message names the step and
        suggests a smaller learning rate. The error carries the finite part of the path as
        ``path`` (points :math:`x_0, \dots, x_{k-1}`) and the step :math:`k` as ``step``.
    """
    surface = get_surface(surface)
    optimizer: Optimizer = get_optimizer(optimizer)
    steps = check_positive(steps, "steps", integer=True)
    if isinstance(noise, bool) or not isinstance(noise, int | float) or not 0 <= noise < np.inf:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    x = surface.point(x0)
    optimizer.reset()
    path = np.empty((steps + 1, surface.dim))
    path[0] = x
    # Overflow is expected when a learning rate is too large: let it happen quietly and report
    # it once, as a divergence, instead of as a stream of RuntimeWarnings.
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            g = surface.gradient(x)
            optimizer.step([x], [g + noise * rng.standard_normal(surface.dim) if noise else g])
            if not (np.isfinite(x).all() and np.isfinite(surface.f(x)).all()):
                raise diverged(
                    f"descent on {surface.name!r} with {optimizer!r}: the point or its value",
                    f"at step {k} (last finite point {path[k - 1]})",
                    optimizer,
                    path=path[:k].copy(),  # what a figure of the run needs
                    step=k,
                )
            path[k] = x
    return path
