r"""A Hopfield network: a feedback network that settles into stored memories.

A feedforward network computes its output in one pass from input to output. A Hopfield network
(Hopfield 1982) is recurrent: every unit is connected to every other unit, and the state keeps
changing until it stops. There are :math:`n` binary units :math:`s_i \in \{-1, +1\}`, symmetric
weights :math:`W_{ij} = W_{ji}` and no self-connections, :math:`W_{ii} = 0`.

Memories are stored with the Hebbian rule (a connection grows when its two units agree in a
pattern and shrinks when they disagree): for patterns :math:`\xi^{1}, \dots, \xi^{p}`,

.. math:: W = \frac{1}{n} \sum_{\mu=1}^{p} \xi^{\mu} (\xi^{\mu})^\top,
   \qquad \text{then } W_{ii} = 0.

Recall is asynchronous: one unit at a time looks at its local field
:math:`h_i = \sum_j W_{ij} s_j` and aligns with it, :math:`s_i \leftarrow \operatorname{sign}(h_i)`.
Every such update can only lower (or keep) the energy

.. math:: E(s) = -\tfrac{1}{2} s^\top W s,

because flipping unit :math:`i` changes it by :math:`\Delta E = -\Delta s_i \, h_i \le 0` (this
uses :math:`W = W^\top` and :math:`W_{ii} = 0`). The energy is bounded below and there are finitely
many states, so the network must come to rest in an equilibrium: a state that no single update
changes. Stored patterns are such equilibria when there are not too many of them; so are their
negations and some mixtures ("spurious states").

The network keeps the integer Hebbian sums :math:`\sum_\mu \xi^\mu_i \xi^\mu_j` and divides by
:math:`n` only when the weights are read, so local fields, ties (:math:`h_i = 0`) and energies are
computed exactly, without rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from neuronet.validation import as_finite_array, check_positive


def _as_spins(x: Any, name: str) -> np.ndarray:
    """Return ``x`` as an integer array whose entries are all -1 or +1."""
    arr = as_finite_array(x, name)
    bad = (arr != 1) & (arr != -1)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must contain only -1 and +1, but {int(bad.sum())} value(s) differ, "
            f"the first {arr[first]!r} at index {first}; map 0/1 data to -1/+1 with 2 * x - 1"
        )
    return arr.astype(np.int64)


def _as_state(x: Any, n_units: int, name: str = "state") -> np.ndarray:
    """Return ``x`` as a 1-D vector of ``n_units`` spins (-1 or +1)."""
    arr = _as_spins(x, name)
    if arr.shape != (n_units,):
        hint = "; flatten images with .ravel()" if arr.size == n_units else ""
        raise ValueError(
            f"{name} must be a 1-D vector of {n_units} values, got shape {arr.shape}{hint}"
        )
    return arr


@dataclass(frozen=True)
class Recall:
    """The result of :meth:`Hopfield.recall`.

    Attributes
    ----------
    state : numpy.ndarray
        The final state, a vector of -1 and +1.
    energies : numpy.ndarray or None
        When asked for, the energy of the starting state followed by the energy after every
        single-unit update (``1 + n_units * sweeps`` values, never increasing); otherwise ``None``.
    sweeps : int
        Number of sweeps performed. A sweep visits every unit once, in a fresh random order. The
        last sweep of a converged recall is the one that changed nothing.
    converged : bool
        Whether an equilibrium was reached (a full sweep changed no unit) within ``max_sweeps``.
    """

    state: np.ndarray
    energies: np.ndarray | None
    sweeps: int
    converged: bool


class Hopfield:
    r"""A Hopfield network of ``n_units`` binary (-1/+1) units with Hebbian weights.

    Parameters
    ----------
    n_units : int
        Number of units :math:`n`, one per pixel of the patterns to remember.

    Notes
    -----
    The thresholds are zero: the local field is :math:`h_i = \sum_j W_{ij} s_j` and the energy is
    :math:`E(s) = -\frac{1}{2} s^\top W s`. With zero thresholds every state and its negation
    :math:`-s` have the same energy, so :math:`-\xi` is remembered along with :math:`\xi`.

    Examples
    --------
    >>> net = Hopfield(4)
    >>> net.store([[1, -1, 1, -1]])
    >>> net.recall([1, 1, 1, -1], seed=0).state
    array([ 1, -1,  1, -1])
    """

    def __init__(self, n_units: int) -> None:
        self.n_units = check_positive(n_units, "n_units", integer=True)
        self._hebb = np.zeros((self.n_units, self.n_units), dtype=np.int64)
        self._patterns = np.zeros((0, self.n_units), dtype=np.int64)

    @property
    def n_patterns(self) -> int:
        """Number of patterns stored so far."""
        return len(self._patterns)

    @property
    def patterns(self) -> np.ndarray:
        """The stored patterns, an array of shape ``(n_patterns, n_units)`` (a copy)."""
        return self._patterns.copy()

    @property
    def weights(self) -> np.ndarray:
        """The weight matrix :math:`W`, symmetric with a zero diagonal (a new float array)."""
        return self._hebb / self.n_units

    def store(self, patterns: Any) -> None:
        r"""Add memories with the Hebbian rule.

        Each pattern :math:`\xi` adds :math:`\xi \xi^\top / n` to the weights (with the diagonal
        kept at zero), so storing twice is the same as storing everything at once.

        Parameters
        ----------
        patterns : array_like
            Shape ``(p, n_units)`` of -1 and +1; a single pattern of shape ``(n_units,)`` is
            accepted too.

        Raises
        ------
        ValueError
            If a value is not -1 or +1, or the shape does not match ``n_units``.
        """
        xi = _as_spins(patterns, "patterns")
        if xi.ndim == 1:
            xi = xi.reshape(1, -1)
        if xi.ndim != 2 or xi.shape[1] != self.n_units or xi.shape[0] == 0:
            raise ValueError(
                f"patterns must have shape (p, {self.n_units}) with p >= 1 (or be a single "
                f"pattern of shape ({self.n_units},)), got shape {np.shape(patterns)}"
            )
        hebb = xi.T @ xi
        np.fill_diagonal(hebb, 0)
        self._hebb += hebb
        self._patterns = np.concatenate([self._patterns, xi])

    def _field(self, state: np.ndarray, i: int) -> int:
        """:math:`n h_i`, the local field of unit ``i`` times :math:`n` (an exact integer)."""
        return int(self._hebb[i] @ state)

    def energy(self, state: Any) -> float:
        r"""The energy :math:`E(s) = -\frac{1}{2} s^\top W s` of a state (zero thresholds).

        Parameters
        ----------
        state : array_like
            A vector of ``n_units`` values, each -1 or +1.

        Returns
        -------
        float
            The energy; stored patterns sit at the bottom of valleys of this function.

        Raises
        ------
        ValueError
            If the state has the wrong shape or a value other than -1 and +1.
        """
        s = _as_state(state, self.n_units)
        return -float(s @ self._hebb @ s) / (2 * self.n_units)

    def update(self, state: Any, i: int) -> np.ndarray:
        r"""Update one unit asynchronously: :math:`s_i \leftarrow \operatorname{sign}(h_i)`.

        A tie, :math:`h_i = 0`, keeps the current value of :math:`s_i`; this convention makes
        every update leave the energy unchanged or lower it, never raise it.

        Parameters
        ----------
        state : array_like
            A vector of ``n_units`` values, each -1 or +1. It is not modified.
        i : int
            The unit to update, ``0 <= i < n_units``.

        Returns
        -------
        numpy.ndarray
            A new state equal to ``state`` except possibly at unit ``i``.

        Raises
        ------
        ValueError
            If the state is invalid or ``i`` is not a valid unit index.
        """
        s = _as_state(state, self.n_units).copy()
        if isinstance(i, bool) or not isinstance(i, int | np.integer) or not 0 <= i < self.n_units:
            raise ValueError(f"unit index i must be an integer in [0, {self.n_units}), got {i!r}")
        h = self._field(s, int(i))
        if h != 0:
            s[i] = 1 if h > 0 else -1
        return s

    def recall(
        self,
        state: Any,
        max_sweeps: int = 100,
        seed: int | np.random.Generator | None = None,
        return_energies: bool = False,
    ) -> Recall:
        """Let the network settle from ``state`` into an equilibrium.

        Each sweep visits every unit once in a fresh random order and applies :meth:`update`. The
        recall stops after the first sweep that changes nothing (an equilibrium: every unit agrees
        with its local field) or after ``max_sweeps`` sweeps.

        Parameters
        ----------
        state : array_like
            The starting state (a cue, e.g. a noisy stored pattern), ``n_units`` values of -1/+1.
        max_sweeps : int
            Maximum number of sweeps.
        seed : int, numpy.random.Generator or None
            Seed of the random update order.
        return_energies : bool
            Also record the energy after every single-unit update, to plot its descent.

        Returns
        -------
        Recall
            ``state``, ``energies`` (or ``None``), ``sweeps`` and ``converged``.

        Raises
        ------
        ValueError
            If the state is invalid or ``max_sweeps`` is not a positive integer.
        """
        s = _as_state(state, self.n_units).copy()
        max_sweeps = check_positive(max_sweeps, "max_sweeps", integer=True)
        rng = np.random.default_rng(seed)
        # Track 2 n E = -s^T H s, with H the integer Hebbian sums, exactly in integers.
        twice_n_energy = -int(s @ self._hebb @ s)
        energies = [twice_n_energy] if return_energies else None
        converged = False
        sweeps = 0
        while sweeps < max_sweeps and not converged:
            sweeps += 1
            converged = True
            for i in rng.permutation(self.n_units):
                h = self._field(s, i)
                if h != 0 and (h > 0) != (s[i] > 0):
                    # Flipping s_i changes s^T H s by 2 * (new - old) * h = -4 * old * h.
                    twice_n_energy += 4 * int(s[i]) * h
                    s[i] = -s[i]
                    converged = False
                if energies is not None:
                    energies.append(twice_n_energy)
        if energies is not None:
            energies = np.asarray(energies, dtype=np.float64) / (2 * self.n_units)
        return Recall(state=s, energies=energies, sweeps=sweeps, converged=converged)

    def is_fixed_point(self, state: Any) -> bool:
        """Whether no single-unit update changes ``state`` (every unit agrees with its field).

        Raises
        ------
        ValueError
            If the state is invalid.
        """
        s = _as_state(state, self.n_units)
        h = self._hebb @ s
        return bool(np.all((h == 0) | (np.sign(h) == s)))

    def __repr__(self) -> str:
        return f"Hopfield(n_units={self.n_units}, n_patterns={self.n_patterns})"


def overlap(a: Any, b: Any) -> float:
    r"""The overlap :math:`m = \frac{1}{n} a \cdot b` of two -1/+1 patterns.

    It counts agreeing minus disagreeing units, divided by :math:`n`: when :math:`k` units differ,
    :math:`m = 1 - 2k/n`. It is 1 for identical patterns, -1 for a pattern and its negation, and
    close to 0 for unrelated random patterns.

    Raises
    ------
    ValueError
        If the patterns differ in shape or contain values other than -1 and +1.
    """
    a = _as_spins(a, "a")
    b = _as_spins(b, "b")
    if a.shape != b.shape or a.size == 0:
        raise ValueError(f"a and b must be non-empty with the same shape, got {a.shape}, {b.shape}")
    return float(np.sum(a * b)) / a.size


def add_noise(
    pattern: Any, flip_fraction: float, seed: int | np.random.Generator | None = None
) -> np.ndarray:
    """Flip exactly ``round(flip_fraction * n)`` randomly chosen units of a -1/+1 pattern.

    Parameters
    ----------
    pattern : array_like
        A pattern of -1 and +1 of any shape (a vector or an image); it is not modified.
    flip_fraction : float
        Fraction of units to flip, in ``[0, 1]``. The number flipped is rounded to the nearest
        integer (ties to even, as Python's ``round``).
    seed : int, numpy.random.Generator or None
        Seed of the choice of units.

    Returns
    -------
    numpy.ndarray
        A noisy copy with the same shape.

    Raises
    ------
    ValueError
        If the pattern is not -1/+1 or ``flip_fraction`` is outside ``[0, 1]``.
    """
    x = _as_spins(pattern, "pattern")
    if isinstance(flip_fraction, bool) or not isinstance(flip_fraction, int | float | np.number):
        raise ValueError(f"flip_fraction must be a number in [0, 1], got {flip_fraction!r}")
    if not 0 <= flip_fraction <= 1:
        raise ValueError(f"flip_fraction must be in [0, 1], got {flip_fraction!r}")
    rng = np.random.default_rng(seed)
    k = round(float(flip_fraction) * x.size)
    flat = x.ravel()  # a copy: _as_spins returned a new array
    idx = rng.choice(x.size, size=k, replace=False)
    flat[idx] = -flat[idx]
    return flat.reshape(x.shape)


_GLYPHS = {
    "T": """
        ##########
        ##########
        ....##....
        ....##....
        ....##....
        ....##....
        ....##....
        ....##....
        ....##....
        ....##....
        """,
    "L": """
        ##........
        ##........
        ##........
        ##........
        ##........
        ##........
        ##........
        ##........
        ##########
        ##########
        """,
    "H": """
        ##......##
        ##......##
        ##......##
        ##......##
        ##########
        ##########
        ##......##
        ##......##
        ##......##
        ##......##
        """,
    "O": """
        ..######..
        .########.
        ###....###
        ##......##
        ##......##
        ##......##
        ##......##
        ###....###
        .########.
        ..######..
        """,
}


def _parse_glyph(drawing: str) -> np.ndarray:
    """Turn a drawing of '#' (+1) and '.' (-1) rows into a -1/+1 integer image."""
    rows = [line.strip() for line in drawing.strip().splitlines()]
    return np.array([[1 if c == "#" else -1 for c in row] for row in rows], dtype=np.int64)


def letters() -> dict[str, np.ndarray]:
    """Small binary images of letters to store in a Hopfield network (lesson 11).

    The letters T, L, H and O are chosen to overlap little (at most 0.28 in absolute value), so
    that a 100-unit network stores all four and recalls each from a cue with 10-20% of its pixels
    flipped. Letters that are nearly each other's negation, such as X and O (overlap -0.52),
    shrink each other's basins of attraction.

    Returns
    -------
    dict[str, numpy.ndarray]
        Letter to a 10 x 10 image of -1 (background, '.') and +1 (ink, '#'). Flatten an image
        with ``.ravel()`` to get a state of a 100-unit network; the images are new arrays.
    """
    return {name: _parse_glyph(drawing) for name, drawing in _GLYPHS.items()}


def recall_errors(
    n_units: int,
    pattern_counts: Sequence[int],
    trials: int = 10,
    noise: float = 0.0,
    seed: int | None = None,
) -> list[np.ndarray]:
    r"""Fraction of wrong units after recall, for every pattern stored in random networks.

    The experiment behind :func:`capacity_curve`, keeping more than a yes/no per recall: for each
    count :math:`p` and each of ``trials`` fresh networks of ``n_units`` units, :math:`p` random
    patterns are stored, each is corrupted by flipping a fraction
    ``noise`` of its units and recalled, and the fraction of units on which the final state
    differs from the pattern is recorded. A 0 is an exact recall; a recall that settles a few
    units away from the pattern, as retrieval states below :math:`0.138 N` do, gives a small
    positive number. The share of zeros for each count is :func:`capacity_curve`.

    Parameters
    ----------
    n_units : int
        Number of units :math:`N`.
    pattern_counts : sequence of int
        Numbers of patterns :math:`p` to try (each at least 1).
    trials : int
        Independent networks per count.
    noise : float
        Fraction of units flipped in each cue, in ``[0, 1]``.
    seed : int or None
        Seed of the patterns, the noise and the update orders.

    Returns
    -------
    list of numpy.ndarray
        One array per count, of ``p * trials`` fractions in ``[0, 1]``.

    Raises
    ------
    ValueError
        If a count, ``n_units`` or ``trials`` is not a positive integer, or ``noise`` is outside
        ``[0, 1]``.
    """
    n_units = check_positive(n_units, "n_units", integer=True)
    trials = check_positive(trials, "trials", integer=True)
    counts = [check_positive(p, "each pattern count", integer=True) for p in pattern_counts]
    if isinstance(noise, bool) or not isinstance(noise, int | float) or not 0 <= noise <= 1:
        raise ValueError(f"noise must be a number in [0, 1], got {noise!r}")
    rng = np.random.default_rng(seed)
    errors = []
    for p in counts:
        wrong = []
        for _ in range(trials):
            xi = rng.choice(np.array([-1, 1]), size=(p, n_units))
            net = Hopfield(n_units)
            net.store(xi)
            for pattern in xi:
                cue = add_noise(pattern, noise, rng)
                result = net.recall(cue, seed=rng)
                wrong.append(np.mean(result.state != pattern))
        errors.append(np.array(wrong))
    return errors


def capacity_curve(
    n_units: int,
    pattern_counts: Sequence[int],
    trials: int = 10,
    noise: float = 0.0,
    seed: int | None = None,
) -> np.ndarray:
    r"""Fraction of random patterns recalled exactly, for each number of stored patterns.

    For each count :math:`p` and each trial, :math:`p` random patterns (each unit -1 or +1 with
    probability 1/2) are stored in a fresh network of ``n_units`` units; every pattern is
    corrupted by flipping a fraction ``noise`` of its units and recalled. A recall counts as a
    success when it ends exactly on the stored pattern. With ``noise=0`` this measures whether
    the memories are fixed points.

    How many patterns fit? For random patterns and large :math:`n`, retrieval states close to the
    patterns (with under 2% of the units wrong) exist up to :math:`p \approx 0.138 n` (Amit,
    Gutfreund & Sompolinsky 1985); beyond that, recall collapses. That limit allows small errors:
    exact recall, with every unit of a pattern stable, needs far fewer patterns, about
    :math:`p \lesssim n / (2 \ln n)` for a typical pattern and :math:`n / (4 \ln n)` for all
    patterns at once (McEliece, Posner, Rodemich & Venkatesh 1987). For :math:`n = 100` these are
    13.8, 10.9 and 5.4 patterns.

    Parameters
    ----------
    n_units : int
        Number of units :math:`n`.
    pattern_counts : sequence of int
        Numbers of patterns :math:`p` to try (each at least 1).
    trials : int
        Independent networks per count.
    noise : float
        Fraction of units flipped in each cue, in ``[0, 1]``.
    seed : int or None
        Seed of the patterns, the noise and the update orders.

    Returns
    -------
    numpy.ndarray
        Fractions in ``[0, 1]``, one per entry of ``pattern_counts``.

    Raises
    ------
    ValueError
        If a count, ``n_units`` or ``trials`` is not a positive integer or ``noise`` is outside
        ``[0, 1]``.
    """
    errors = recall_errors(n_units, pattern_counts, trials=trials, noise=noise, seed=seed)
    return np.array([np.mean(wrong == 0) for wrong in errors])
