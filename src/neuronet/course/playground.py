r"""Lesson 07: a playground for multilayer perceptrons, in the spirit of TensorFlow Playground.

A :class:`Playground` holds everything one experiment needs: a two-dimensional data set from
:mod:`neuronet.data` split into a training and a test part, an :class:`~neuronet.network.MLP`
with two inputs, 0 to 3 hidden layers and two softmax outputs (one per class) trained on the
categorical cross-entropy, and an optimizer. It trains one epoch at a time and records the loss
on both parts after every epoch, so that the picture can be redrawn at any moment:

* :meth:`Playground.decision_grid`: the network's probability of class 1 over the plane;
* :meth:`Playground.hidden_grids`: the output of every hidden neuron over the same plane, which
  shows what each hidden unit has learned to detect;
* :meth:`Playground.draw`: the decision boundary with the data, those hidden-unit maps, the
  network diagram (line widths proportional to the weights) and the loss curves.

The class does not import ipywidgets; :func:`playground_widget` wires its settings to controls
and buttons for learners running a kernel, and :meth:`Playground.record` keeps snapshots of a
training run so that a kernel-free player can replay it in the book.

Settings that change the data or the network (``dataset``, ``noise``, ``train_fraction``,
``n_samples``, ``hidden_layers``, ``neurons``, ``activation``, ``seed``; :data:`RESET_SETTINGS`)
rebuild the playground from scratch. The training settings (``lr``, ``optimizer``,
``batch_size``, ``l2``; :data:`LIVE_SETTINGS`) apply live to the next epoch and keep the
weights.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from neuronet.activations import ACTIVATIONS
from neuronet.course.player import figure_for
from neuronet.course.plots import (
    DIVERGING_CMAP,
    PALETTE,
    new_figure,
    plot_decision_boundary,
    plot_losses,
    plot_network,
)
from neuronet.data import (
    make_circles,
    make_gaussians,
    make_moons,
    make_spirals,
    make_xor,
    train_test_split,
)
from neuronet.network import MLP
from neuronet.optimizers import OPTIMIZERS, Optimizer, get_optimizer
from neuronet.validation import TrainingDivergedError, check_positive

__all__ = [
    "BATCH_SIZES",
    "DATASETS",
    "HIDDEN_ACTIVATIONS",
    "L2_STRENGTHS",
    "LIVE_SETTINGS",
    "MAX_HIDDEN_LAYERS",
    "MAX_NEURONS",
    "Playground",
    "PlaygroundConfig",
    "RESET_SETTINGS",
    "Snapshot",
    "playground_widget",
]

#: The data sets, by name: each maps ``(n_samples, noise, seed)`` to ``(X, y)`` with two classes.
DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "xor": make_xor,
    "gaussians": make_gaussians,
    "circles": make_circles,
    "moons": make_moons,
    "spirals": make_spirals,
}

#: The activations a hidden layer can use: all of ``ACTIVATIONS`` except the step (no gradient)
#: and softmax (an output activation).
HIDDEN_ACTIVATIONS: tuple[str, ...] = tuple(a for a in ACTIVATIONS if a not in ("step", "softmax"))

#: The batch sizes the widget offers; ``"full"`` is full-batch gradient descent.
BATCH_SIZES: tuple[int | str, ...] = (1, 5, 10, 30, "full")

#: The L2 strengths the widget offers: 0 (off), then log-spaced from 1e-5 to 0.1.
L2_STRENGTHS: tuple[float, ...] = (0.0, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)

#: At most this many hidden layers, and this many neurons in each.
MAX_HIDDEN_LAYERS = 3
MAX_NEURONS = 8

#: Settings that rebuild the data and the network when they change.
RESET_SETTINGS = frozenset(
    ("dataset", "noise", "train_fraction", "n_samples", "seed")  # the data
    + ("hidden_layers", "neurons", "activation")  # the network
)
#: Settings that apply to the next epoch and keep the weights.
LIVE_SETTINGS = frozenset({"lr", "optimizer", "batch_size", "l2"})

_TRAIN_COLOR, _TEST_COLOR = PALETTE[0], PALETTE[3]


def _name(value: Any, options: Sequence[str], what: str) -> str:
    """Normalize a name (case, ``-`` and spaces) and check that it is one of ``options``."""
    key = (
        value.strip().lower().replace("-", "_").replace(" ", "_")
        if isinstance(value, str)
        else None
    )
    if key not in options:
        raise ValueError(f"unknown {what} {value!r}; valid {what} names are: {', '.join(options)}")
    return key


def _count(value: Any, name: str, low: int, high: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or not low <= value <= high
    ):
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class PlaygroundConfig:
    """The settings of a :class:`Playground`; every field is checked when the object is made.

    Attributes
    ----------
    dataset : str
        One of :data:`DATASETS`.
    noise : float
        Standard deviation of the noise added to the points, from 0 to 1.
    train_fraction : float
        Share of the points used for training, strictly between 0 and 1; the rest is the test
        part, held out from training.
    n_samples : int
        Number of points, from 20 to 2000 (a few hundred keep an epoch fast).
    hidden_layers : int
        Number of hidden layers, 0 to :data:`MAX_HIDDEN_LAYERS`; with 0 the network is a single
        softmax layer (logistic regression), whose decision boundary is a straight line.
    neurons : int
        Neurons in each hidden layer, 1 to :data:`MAX_NEURONS`.
    activation : str
        Activation of the hidden layers, one of :data:`HIDDEN_ACTIVATIONS`.
    lr : float
        Learning rate, positive.
    optimizer : str
        One of :data:`neuronet.optimizers.OPTIMIZERS`.
    batch_size : int or "full"
        Samples per update; ``"full"`` uses the whole training part (full-batch gradient descent).
    l2 : float
        L2 regularization strength :math:`\\lambda \\ge 0` (weight decay, see
        :meth:`neuronet.network.MLP.fit`).
    seed : int
        Seeds the data, the split, the initial weights and the shuffling.
    """

    dataset: str = "circles"
    noise: float = 0.1
    train_fraction: float = 0.5
    n_samples: int = 300
    hidden_layers: int = 2
    neurons: int = 4
    activation: str = "tanh"
    lr: float = 0.1
    optimizer: str = "sgd"
    batch_size: int | str = 10
    l2: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        def put(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        put("dataset", _name(self.dataset, tuple(DATASETS), "dataset"))
        put("activation", _name(self.activation, HIDDEN_ACTIVATIONS, "hidden activation"))
        put("optimizer", _name(self.optimizer, tuple(OPTIMIZERS), "optimizer"))
        for name in ("noise", "train_fraction", "l2"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float | np.number):
                raise ValueError(f"{name} must be a number, got {value!r}")
            put(name, float(value))
        if not 0 <= self.noise <= 1:
            raise ValueError(f"noise must be between 0 and 1, got {self.noise!r}")
        if not 0 < self.train_fraction < 1:
            raise ValueError(
                f"train_fraction must be strictly between 0 and 1, got {self.train_fraction!r}"
            )
        if not 0 <= self.l2 < math.inf:
            raise ValueError(f"l2 must be a finite number >= 0, got {self.l2!r}")
        put("n_samples", _count(self.n_samples, "n_samples", 20, 2000))
        n_test = round((1 - self.train_fraction) * self.n_samples)
        if not 0 < n_test < self.n_samples:
            raise ValueError(
                f"train_fraction={self.train_fraction} of {self.n_samples} points leaves "
                f"{self.n_samples - n_test} for training and {n_test} for testing; both parts "
                "need at least one point"
            )
        put("hidden_layers", _count(self.hidden_layers, "hidden_layers", 0, MAX_HIDDEN_LAYERS))
        put("neurons", _count(self.neurons, "neurons", 1, MAX_NEURONS))
        put("lr", float(check_positive(self.lr, "lr")))
        if self.batch_size != "full":
            put("batch_size", check_positive(self.batch_size, "batch_size", integer=True))
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer):
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        if self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        put("seed", int(self.seed))

    @property
    def sizes(self) -> list[int]:
        """Layer sizes of the network: 2 inputs, the hidden layers, 2 outputs."""
        return [2, *[self.neurons] * self.hidden_layers, 2]

    @property
    def n_test(self) -> int:
        """Number of test points: :math:`(1 - \\text{train\\_fraction})\\,n`, rounded."""
        return round((1 - self.train_fraction) * self.n_samples)

    def seeds(self) -> dict[str, int]:
        """The four seeds derived from ``seed``, one per random use, so that none reuses another.

        Returns
        -------
        dict
            ``{"data", "split", "model", "shuffle"}`` to integers, the four 32-bit words of
            ``numpy.random.SeedSequence(seed).generate_state(4)``.
        """
        words = np.random.SeedSequence(self.seed).generate_state(4)
        return dict(zip(("data", "split", "model", "shuffle"), map(int, words), strict=True))


@dataclass(frozen=True, repr=False)
class Snapshot:
    """The state of a :class:`Playground` after some epoch: weights and loss histories.

    Attributes
    ----------
    epoch : int
        Epochs trained.
    sizes : tuple of int
        Layer sizes of the network the weights belong to.
    params : tuple of numpy.ndarray
        Copies of ``MLP.parameters()``: ``W1, b1, W2, b2, ...``.
    train_loss, test_loss : tuple of float
        Loss histories, from epoch 0 to ``epoch``.
    """

    epoch: int
    sizes: tuple[int, ...]
    params: tuple[np.ndarray, ...]
    train_loss: tuple[float, ...]
    test_loss: tuple[float, ...]

    def __repr__(self) -> str:
        return f"Snapshot(epoch={self.epoch})"

    __str__ = __repr__


class Playground:
    """A two-class MLP experiment on a toy data set, trained one epoch at a time.

    Parameters
    ----------
    config : PlaygroundConfig, optional
        The settings; :class:`PlaygroundConfig`'s defaults when omitted.
    **settings
        Settings that override ``config``, e.g. ``Playground(dataset="xor", hidden_layers=1)``.

    Raises
    ------
    ValueError
        If a setting is unknown or out of range (the message names it).

    Notes
    -----
    The data are made by ``DATASETS[dataset](n_samples, noise, seed=seeds["data"])`` and split by
    :func:`neuronet.data.train_test_split` (stratified, so both parts keep the class balance);
    they are not standardized, since every set already lies within a few units of the origin.
    The network is ``MLP(sizes, activation, output="softmax",
    cost="categorical_cross_entropy", seed=seeds["model"])``, so the same seed always gives the
    same initial weights. With ``optimizer="averaged_sgd"`` the playground shows and evaluates the
    SGD iterates, not their running average.
    """

    def __init__(self, config: PlaygroundConfig | None = None, **settings: Any) -> None:
        self._check_names(settings)
        self._config = replace(config or PlaygroundConfig(), **settings)
        self.reset()

    # --------------------------------------------------------------------- settings

    @staticmethod
    def _check_names(settings: dict[str, Any]) -> None:
        valid = [f.name for f in fields(PlaygroundConfig)]
        unknown = sorted(set(settings) - set(valid))
        if unknown:
            raise ValueError(
                f"unknown playground setting(s) {', '.join(unknown)}; valid settings are: "
                f"{', '.join(valid)}"
            )

    @property
    def config(self) -> PlaygroundConfig:
        """The current settings (immutable; change them with :meth:`set`)."""
        return self._config

    def set(self, **changes: Any) -> bool:
        """Change settings.

        A change to any of :data:`RESET_SETTINGS` rebuilds the data and the network (as
        :meth:`reset`); changes to :data:`LIVE_SETTINGS` only apply from the next epoch on: a
        new learning rate is given to the optimizer, a new optimizer starts with fresh state
        (no velocity, no moments) from the current weights, and the batch size and L2 strength
        are read at every epoch.

        Parameters
        ----------
        **changes
            New values, by setting name.

        Returns
        -------
        bool
            True if the playground was reset.

        Raises
        ------
        ValueError
            If a setting is unknown or a value is out of range; nothing changes then.
        """
        self._check_names(changes)
        old, new = self._config, replace(self._config, **changes)
        changed = {f.name for f in fields(new) if getattr(new, f.name) != getattr(old, f.name)}
        self._config = new
        if changed & RESET_SETTINGS:
            self.reset()
            return True
        if "optimizer" in changed:
            self._optimizer = get_optimizer(new.optimizer, lr=new.lr)
        elif "lr" in changed:
            self._optimizer.lr = new.lr
        return False

    # ----------------------------------------------------------------------- training

    def reset(self) -> None:
        """Rebuild the data and the network from the settings and forget all training.

        The same settings always give the same data, split and initial weights, so resetting
        after training restores exactly the weights the playground started with.
        """
        c = self._config
        seeds = c.seeds()
        X, y = DATASETS[c.dataset](c.n_samples, c.noise, seed=seeds["data"])
        split = train_test_split(X, y, test_size=c.n_test, seed=seeds["split"], stratify=True)
        self._X_train, self._X_test, self._y_train, self._y_test = split
        for array in split:
            array.flags.writeable = False
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = np.where(hi > lo, 0.1 * (hi - lo), 0.5)
        self._bounds = np.stack([lo - pad, hi + pad], axis=1)  # ((x1_lo, x1_hi), (x2_lo, x2_hi))
        self._model = MLP(c.sizes, activation=c.activation, seed=seeds["model"])
        self._optimizer = get_optimizer(c.optimizer, lr=c.lr)
        self._shuffle = np.random.default_rng(seeds["shuffle"])
        self._epoch = 0
        self._train_loss: list[float] = []
        self._test_loss: list[float] = []
        self._record_losses()

    def _record_losses(self) -> None:
        self._train_loss.append(self._model.loss(self._X_train, self._y_train))
        self._test_loss.append(self._model.loss(self._X_test, self._y_test))

    def step_epoch(self) -> float:
        """Train for one epoch: one pass over the training part, in shuffled mini-batches.

        Each mini-batch makes one update with the current learning rate, optimizer, batch size
        and L2 strength (:meth:`neuronet.network.MLP.fit` with ``epochs=1``). Afterwards the loss
        is evaluated on the whole training part and on the whole test part and appended to the
        histories.

        Returns
        -------
        float
            The training loss after the epoch.

        Raises
        ------
        TrainingDivergedError
            If the loss or the weights become NaN or infinite (the learning rate is too large).
            The weights are then put back as they were before the epoch and the optimizer starts
            afresh, so a smaller learning rate can carry on from there.
        """
        c = self._config
        before = [p.copy() for p in self._model.parameters()]
        try:
            self._model.fit(
                self._X_train,
                self._y_train,
                optimizer=self._optimizer,
                epochs=1,
                batch_size=None if c.batch_size == "full" else c.batch_size,
                seed=int(self._shuffle.integers(2**32)),
                l2=c.l2,
            )
        except TrainingDivergedError as error:
            for param, saved in zip(self._model.parameters(), before, strict=True):
                param[...] = saved
            self._optimizer = get_optimizer(c.optimizer, lr=c.lr)
            raise TrainingDivergedError(
                f"{error}. The weights were put back as they were after epoch {self._epoch}."
            ) from None
        self._epoch += 1
        self._record_losses()
        return self._train_loss[-1]

    def run(self, n_epochs: int) -> float:
        """Train for ``n_epochs`` epochs (see :meth:`step_epoch`); return the last training loss.

        Raises
        ------
        ValueError
            If ``n_epochs`` is not a positive integer.
        TrainingDivergedError
            As :meth:`step_epoch`; the epochs before the failing one are kept.
        """
        n_epochs = check_positive(n_epochs, "n_epochs", integer=True)
        for _ in range(n_epochs):
            self.step_epoch()
        return self._train_loss[-1]

    # --------------------------------------------------------------------- state

    @property
    def model(self) -> MLP:
        """The network being trained."""
        return self._model

    @property
    def optimizer(self) -> Optimizer:
        """The optimizer of the next epoch."""
        return self._optimizer

    @property
    def epoch(self) -> int:
        """Epochs trained since the last reset."""
        return self._epoch

    @property
    def X_train(self) -> np.ndarray:
        """Training points, shape ``(n_train, 2)`` (read-only)."""
        return self._X_train

    @property
    def y_train(self) -> np.ndarray:
        """Training labels, 0 or 1 (read-only)."""
        return self._y_train

    @property
    def X_test(self) -> np.ndarray:
        """Test points, held out from training, shape ``(n_test, 2)`` (read-only)."""
        return self._X_test

    @property
    def y_test(self) -> np.ndarray:
        """Test labels (read-only)."""
        return self._y_test

    @property
    def train_loss_history(self) -> list[float]:
        """Loss on the training part after each epoch, from epoch 0 (before training)."""
        return list(self._train_loss)

    @property
    def test_loss_history(self) -> list[float]:
        """Loss on the test part after each epoch, from epoch 0 (never trained on)."""
        return list(self._test_loss)

    @property
    def train_accuracy(self) -> float:
        """Fraction of the training points classified correctly now."""
        return self._model.accuracy(self._X_train, self._y_train)

    @property
    def test_accuracy(self) -> float:
        """Fraction of the test points classified correctly now."""
        return self._model.accuracy(self._X_test, self._y_test)

    def snapshot(self) -> Snapshot:
        """Copy the current weights and histories into a :class:`Snapshot`."""
        return Snapshot(
            epoch=self._epoch,
            sizes=tuple(self._model.sizes),
            params=tuple(p.copy() for p in self._model.parameters()),
            train_loss=tuple(self._train_loss),
            test_loss=tuple(self._test_loss),
        )

    def _load(self, snapshot: Snapshot) -> None:
        if not isinstance(snapshot, Snapshot):
            raise TypeError(f"expected a Snapshot, got {type(snapshot).__name__}")
        if tuple(snapshot.sizes) != tuple(self._model.sizes):
            raise ValueError(
                f"the snapshot belongs to a network of sizes {list(snapshot.sizes)}, but this "
                f"playground's network has sizes {self._model.sizes}"
            )
        for param, saved in zip(self._model.parameters(), snapshot.params, strict=True):
            param[...] = saved
        self._epoch = snapshot.epoch
        self._train_loss = list(snapshot.train_loss)
        self._test_loss = list(snapshot.test_loss)

    def restore(self, snapshot: Snapshot) -> None:
        """Go back to a snapshot: its weights, epoch and histories; the optimizer starts afresh.

        Raises
        ------
        TypeError
            If ``snapshot`` is not a :class:`Snapshot`.
        ValueError
            If it was taken from a network of other sizes.
        """
        self._load(snapshot)
        self._optimizer = get_optimizer(self._config.optimizer, lr=self._config.lr)

    def record(self, epochs: Sequence[int]) -> list[Snapshot]:
        """Train up to each of ``epochs`` in turn and take a snapshot there.

        This trains once, for a player that replays the run: drawing a snapshot is then cheap.

        Parameters
        ----------
        epochs : sequence of int
            Increasing epoch numbers, none below the current epoch.

        Returns
        -------
        list of Snapshot
            One per entry of ``epochs``.

        Raises
        ------
        ValueError
            If ``epochs`` is empty, not increasing or starts before the current epoch.
        """
        epochs = [int(e) for e in epochs]
        if not epochs:
            raise ValueError("record needs at least one epoch, got none")
        if epochs[0] < self._epoch or any(b <= a for a, b in zip(epochs, epochs[1:], strict=False)):
            raise ValueError(
                f"epochs must increase, starting at or after the current epoch {self._epoch}; "
                f"got {epochs}"
            )
        snapshots = []
        for target in epochs:
            if target > self._epoch:
                self.run(target - self._epoch)
            snapshots.append(self.snapshot())
        return snapshots

    # ---------------------------------------------------------------- over the plane

    def plane(self, resolution: int = 60) -> tuple[np.ndarray, np.ndarray]:
        """The grid over which the maps are computed.

        It covers all the points (training and test) with a margin of 10% of their range on
        each side, the same grid :func:`neuronet.course.plots.plot_decision_boundary` uses.

        Parameters
        ----------
        resolution : int
            Grid points per axis, at least 2.

        Returns
        -------
        x1, x2 : numpy.ndarray
            The grid coordinates along each axis, shape ``(resolution,)``.
        """
        resolution = check_positive(resolution, "resolution", integer=True)
        if resolution < 2:
            raise ValueError(f"resolution must be at least 2, got {resolution}")
        return np.linspace(*self._bounds[0], resolution), np.linspace(*self._bounds[1], resolution)

    def _layer_maps(self, resolution: int) -> list[np.ndarray]:
        """Every layer's activations on the grid, each ``(units, resolution, resolution)``."""
        x1, x2 = self.plane(resolution)
        g1, g2 = np.meshgrid(x1, x2)
        a = np.column_stack([g1.ravel(), g2.ravel()])
        maps = []
        for layer in self._model.layers:
            a = layer.forward(a)
            maps.append(a.T.reshape(-1, resolution, resolution))
        return maps

    def decision_grid(self, resolution: int = 60) -> np.ndarray:
        """The network's probability of class 1 at every point of :meth:`plane`.

        Returns
        -------
        numpy.ndarray, shape (resolution, resolution)
            Entry ``[i, j]`` is the output at ``(x1[j], x2[i])``: rows go up the plane.
        """
        return self._layer_maps(resolution)[-1][1]

    def hidden_grids(self, resolution: int = 60) -> list[np.ndarray]:
        """The output of every hidden neuron at every point of :meth:`plane`.

        Returns
        -------
        list of numpy.ndarray
            One array per hidden layer, of shape ``(neurons, resolution, resolution)``;
            ``grids[l][k, i, j]`` is the activation of neuron ``k`` of hidden layer ``l + 1`` at
            ``(x1[j], x2[i])``. Empty when the network has no hidden layer.
        """
        return self._layer_maps(resolution)[:-1]

    # ----------------------------------------------------------------------- figures

    def draw(
        self,
        fig: Figure | None = None,
        snapshot: Snapshot | None = None,
        resolution: int = 50,
        last_epoch: int | None = None,
    ) -> Figure:
        """Draw the playground: what the network decides, what each hidden unit does, and how
        training went.

        Four parts, left to right: the probability of class 1 over the plane with the 0.5
        boundary, training points filled and test points hollow; the output of every hidden
        neuron over the same plane (:meth:`draw_hidden`); the network diagram, each weight a
        line whose width is proportional to its size (vermillion positive, blue negative); and
        the training and test loss after each epoch.

        Parameters
        ----------
        fig : matplotlib.figure.Figure, optional
            Where to draw (it is cleared); a new 10 x 4.2 inch figure when None.
        snapshot : Snapshot, optional
            Draw this recorded state instead of the current one; the playground is left as it
            was.
        resolution : int
            Grid points per axis of the maps.
        last_epoch : int, optional
            Right end of the loss axis (a player uses the last epoch it shows, so that the axis
            stays still); the current epoch when None.

        Returns
        -------
        matplotlib.figure.Figure
        """
        if snapshot is not None:
            return self._draw_snapshot(snapshot, fig, resolution, last_epoch)
        fig = figure_for(fig, (10, 4.2))
        # A fixed layout: constrained layout would re-measure some twenty panels on every frame
        # of a player, for no visible gain.
        fig.set_layout_engine("none")
        left, middle, right = fig.add_gridspec(
            1,
            3,
            width_ratios=[1.25, 1.0, 1.1],
            left=0.07,
            right=0.98,
            bottom=0.12,
            top=0.86,
            wspace=0.3,
        )
        self._draw_decision(fig.add_subplot(left), resolution)
        self._draw_maps(fig, middle, resolution)
        if self._config.hidden_layers > 1:
            box = middle.get_position(fig)
            fig.text(
                (box.x0 + box.x1) / 2,
                box.y1 + 0.065,
                "hidden neurons",
                ha="center",
                va="bottom",
                fontsize="medium",
            )
        net_spec, loss_spec = right.subgridspec(2, 1, height_ratios=[1.2, 1.0], hspace=0.45)
        net_ax, loss_ax = fig.add_subplot(net_spec), fig.add_subplot(loss_spec)
        self._draw_network(net_ax)
        self._draw_losses(loss_ax, last_epoch)
        return fig

    def _draw_snapshot(
        self, snapshot: Snapshot, fig: Figure | None, resolution: int, last_epoch: int | None
    ) -> Figure:
        """Draw a recorded state, then put the current one back."""
        current = self.snapshot()
        self._load(snapshot)
        try:
            return self.draw(fig, resolution=resolution, last_epoch=last_epoch)
        finally:
            self._load(current)

    def _draw_decision(self, ax: Axes, resolution: int) -> None:
        """The probability of class 1 over the plane, with the training and test points."""
        plot_decision_boundary(
            lambda points: self._model.forward(points)[:, 1],
            self._X_train,
            self._y_train,
            ax=ax,
            X_test=self._X_test,
            y_test=self._y_test,
            resolution=resolution,
            colorbar=False,
        )
        ax.get_legend().remove()
        ax.set_title(
            f"{self._config.dataset}, epoch {self._epoch}\ntest accuracy {self.test_accuracy:.2f}",
            fontsize="medium",
        )

    def _draw_network(self, ax: Axes) -> None:
        """The network diagram, made compact: the title names the sizes, so no unit labels."""
        plot_network(self._model, ax=ax)
        ax.get_legend().remove()
        for text in list(ax.texts):
            text.remove()
        for units in ax.collections[1:]:
            units.set_sizes([60])
        ax.set_title(
            f"{self._config.activation} network " + "-".join(map(str, self._model.sizes)),
            fontsize="medium",
        )

    def _draw_losses(self, ax: Axes, last_epoch: int | None) -> None:
        """The training and test loss after each epoch, on an axis that runs to ``last_epoch``."""
        plot_losses(
            {"train": self._train_loss, "test": self._test_loss},
            ax,
            first_epoch=0,
            colors=(_TRAIN_COLOR, _TEST_COLOR),
            styles=("-", "--"),
            ylabel=None,
            legend={"loc": "upper right", "fontsize": "small"},
        )
        ax.set_xlim(0, max(self._epoch, last_epoch or 0, 1))
        top = max(*self._train_loss, *self._test_loss)
        ax.set_ylim(0, 1.05 * top if top > 0 else 1.0)
        ax.set_title(
            f"loss: train {self._train_loss[-1]:.3f}, test {self._test_loss[-1]:.3f}",
            fontsize="medium",
        )

    def draw_hidden(self, fig: Figure | SubFigure | None = None, resolution: int = 50) -> Any:
        """Draw the output of every hidden neuron over the plane, one small map per neuron.

        Column ``l`` shows hidden layer ``l + 1``, one neuron per row, the first at the top;
        each map covers the same part of the plane as :meth:`decision_grid`. The colours are
        centred on the activation's value at 0 (white): 0.5 for the sigmoid, 0 for the others.
        Bounded activations use their whole range (0 to 1 for the sigmoid, -1 to 1 for tanh);
        the others a range symmetric about 0 set by the largest output in the layer. Vermillion
        means the neuron is on (above its value at 0), blue that it is off. In the first layer
        every map changes along one direction only: each neuron's weighted sum is constant along
        the lines perpendicular to its weights.

        Parameters
        ----------
        fig : Figure or SubFigure, optional
            Where to draw (a new figure when None; a figure passed in is not cleared).
        resolution : int
            Grid points per axis.

        Returns
        -------
        Figure or SubFigure
            With one Axes per hidden layer holding one image, the layer's maps stacked from the
            top with blank (NaN) rows between them; a single Axes with a note when the network
            has no hidden layer.
        """
        if fig is None:
            n = max(self._config.hidden_layers, 1)
            fig = new_figure((1.6 * n + 0.4, 1.4 * self._config.neurons + 0.5))
        self._draw_maps(fig, fig.add_gridspec(1, 1)[0], resolution)
        if self._config.hidden_layers > 1:
            fig.suptitle("hidden neurons", fontsize="medium")
        return fig

    def _draw_maps(self, fig: Figure | SubFigure, spec: Any, resolution: int) -> None:
        """Draw the hidden neurons' maps into the grid cell ``spec`` of ``fig``."""
        grids = self.hidden_grids(resolution)
        if not grids:
            ax = fig.add_subplot(spec)
            ax.set_axis_off()
            ax.text(
                0.5,
                0.5,
                "no hidden layer:\nthe output neurons\nsee the inputs directly,\n"
                "so the boundary\nis a straight line",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            ax.set_title("hidden neurons", fontsize="medium")
            return
        columns = spec.subgridspec(1, len(grids), wspace=0.12)
        name = self._config.activation
        for layer, maps in enumerate(grids):
            vmin, vmax = _color_range(name, maps)
            ax = fig.add_subplot(columns[0, layer])
            # One image per layer, the neurons' maps stacked with blank gaps: far cheaper to
            # draw than one Axes per neuron.
            ax.imshow(
                _stack(maps),
                origin="lower",
                aspect="auto",
                cmap=DIVERGING_CMAP,
                vmin=vmin,
                vmax=vmax,
                interpolation="nearest",
            )
            ax.set_axis_off()
            title = (
                f"hidden neurons\nlayer {layer + 1}" if len(grids) == 1 else f"layer {layer + 1}"
            )
            ax.set_title(title, fontsize="small")


def _stack(maps: np.ndarray) -> np.ndarray:
    """Stack maps ``(n, r, r)`` into one image, map 0 on top, separated by rows of NaN.

    With ``origin="lower"`` row 0 of each map is its bottom row, so map ``k`` occupies rows
    ``(n - 1 - k) * (r + gap)`` to ``(n - 1 - k) * (r + gap) + r`` of the result, with
    ``gap = max(1, r // 6)``; NaN is drawn blank.
    """
    n, r, c = maps.shape
    gap = max(1, r // 6)
    image = np.full((n * r + (n - 1) * gap, c), np.nan)
    for k in range(n):
        start = (n - 1 - k) * (r + gap)
        image[start : start + r] = maps[k]
    return image


def _color_range(activation: str, maps: np.ndarray) -> tuple[float, float]:
    """Colour limits for a layer's maps, centred on the activation's value at 0."""
    if activation == "sigmoid":
        return 0.0, 1.0
    if activation == "tanh":
        return -1.0, 1.0
    top = float(np.abs(maps).max())
    top = top if top > 0 else 1.0
    return -top, top


# --------------------------------------------------------------------------- the widget


def _setting_controls(w: Any, c: PlaygroundConfig) -> dict[str, Any]:
    """One ipywidgets control per setting, showing the values of ``c``."""

    def options(values: Sequence[Any], current: Any) -> list[Any]:
        return list(values) if current in values else [*values, current]

    controls: dict[str, Any] = {
        "dataset": w.Dropdown(options=list(DATASETS), value=c.dataset, description="data set"),
        "noise": w.FloatSlider(value=c.noise, min=0.0, max=0.5, step=0.05, description="noise"),
        "train_fraction": w.FloatSlider(
            value=c.train_fraction, min=0.1, max=0.9, step=0.1, description="training part"
        ),
        "seed": w.IntSlider(value=c.seed, min=0, max=max(9, c.seed), description="seed"),
        "hidden_layers": w.IntSlider(
            value=c.hidden_layers, min=0, max=MAX_HIDDEN_LAYERS, description="hidden layers"
        ),
        "neurons": w.IntSlider(value=c.neurons, min=1, max=MAX_NEURONS, description="neurons"),
        "activation": w.Dropdown(
            options=list(HIDDEN_ACTIVATIONS), value=c.activation, description="activation"
        ),
        "lr": w.FloatLogSlider(
            value=c.lr, base=10, min=-4, max=0, step=0.1, description="learning rate"
        ),
        "optimizer": w.Dropdown(
            options=list(OPTIMIZERS), value=c.optimizer, description="optimizer"
        ),
        "batch_size": w.Dropdown(
            options=options(BATCH_SIZES, c.batch_size), value=c.batch_size, description="batch size"
        ),
        "l2": w.SelectionSlider(
            options=[(f"{v:g}", v) for v in sorted(options(L2_STRENGTHS, c.l2))],
            value=c.l2,
            description="L2 strength",
        ),
    }
    for control in controls.values():
        control.style = {"description_width": "90px"}
        control.layout = w.Layout(width="auto")
    return controls


def _action_widgets(w: Any) -> dict[str, Any]:
    """The slider of N, the three buttons, the status line and the figure's output area."""
    return {
        "n_epochs": w.IntSlider(
            value=20, min=1, max=200, description="N", style={"description_width": "20px"}
        ),
        "step": w.Button(description="Step one epoch"),
        "run": w.Button(description="Run N epochs"),
        "reset": w.Button(description="Reset"),
        "status": w.HTML(),
        "output": w.Output(),
    }


class _WidgetActions:
    """What the widget does when a setting changes or a button is pressed.

    ``parts`` holds the widgets of :func:`_action_widgets`.
    """

    def __init__(self, pg: Playground, parts: dict[str, Any]) -> None:
        self.pg = pg
        self.parts = parts

    def connect(self, controls: dict[str, Any]) -> None:
        """Wire every setting control and every button to its action."""
        for name, control in controls.items():
            control.observe(self.on_change(name), names="value")
        self.parts["step"].on_click(lambda _: self.train(1))
        self.parts["run"].on_click(lambda _: self.train(self.parts["n_epochs"].value))
        self.parts["reset"].on_click(lambda _: self.reset())

    def show_status(self, message: str = "") -> None:
        """The epoch, the two losses and the test accuracy in bold, then ``message``."""
        pg = self.pg
        text = (
            f"epoch {pg.epoch} · training loss {pg.train_loss_history[-1]:.3f} · "
            f"test loss {pg.test_loss_history[-1]:.3f} · "
            f"test accuracy {pg.test_accuracy:.2f}"
        )
        self.parts["status"].value = f"<b>{text}</b>" + (f"<br>{message}" if message else "")

    def redraw(self, message: str = "") -> None:
        """Draw the playground again in the output area, and update the status."""
        import matplotlib.pyplot as plt
        from IPython.display import display

        output = self.parts["output"]
        with output:
            output.clear_output(wait=True)
            fig = self.pg.draw()
            display(fig)
            plt.close(fig)
        self.show_status(message)

    def on_change(self, name: str) -> Callable[[dict], None]:
        """The observer of the setting ``name``: apply the new value, redraw after a reset."""

        def handle(change: dict) -> None:
            try:
                was_reset = self.pg.set(**{name: change["new"]})
            except ValueError as error:
                self.show_status(f"Not applied: {error}")
                return
            if was_reset:
                self.redraw()
            else:
                self.show_status(f"{name} = {change['new']} applies from the next epoch")

        return handle

    def train(self, n: int) -> None:
        """Train ``n`` epochs and redraw; a divergence is reported in the status."""
        try:
            self.pg.run(n)
        except TrainingDivergedError as error:
            self.redraw(f"Training diverged: {error} Lower the learning rate, or press Reset.")
            return
        self.redraw()

    def reset(self) -> None:
        """Rebuild the playground from its settings and redraw."""
        self.pg.reset()
        self.redraw()


def _widget_layout(w: Any, controls: dict[str, Any], parts: dict[str, Any]) -> Any:
    """The settings in three groups side by side (wrapping onto the next line when the page is
    narrow), then the buttons, the status line and the figure."""

    def group(title: str, names: Sequence[str]) -> Any:
        heading = w.HTML(f"<b>{title}</b>")
        return w.VBox([heading, *(controls[k] for k in names)], layout=w.Layout(width="290px"))

    settings = w.HBox(
        [
            group("Data (resets)", ("dataset", "noise", "train_fraction", "seed")),
            group("Network (resets)", ("hidden_layers", "neurons", "activation")),
            group("Training (live)", ("lr", "optimizer", "batch_size", "l2")),
        ],
        layout=w.Layout(flex_flow="row wrap"),
    )
    buttons = w.HBox(
        [parts[k] for k in ("step", "n_epochs", "run", "reset")],
        layout=w.Layout(flex_flow="row wrap"),
    )
    return w.VBox([settings, buttons, parts["status"], parts["output"]])


def playground_widget(playground: Playground | None = None) -> Any:
    """The playground as ipywidgets controls, buttons and a figure, for learners with a kernel.

    Menus choose the data set, the activation, the optimizer and the batch size; sliders set
    the noise, the share of training points, the number of hidden layers and of neurons per
    layer, the seed, the learning rate and the L2 strength (both on a log scale). Buttons train
    one epoch, train N epochs (N from its own slider) or reset. A data or network setting resets
    the playground and redraws it; a training setting applies from the next epoch.

    Parameters
    ----------
    playground : Playground, optional
        The playground to drive; a new one with the default settings when None.

    Returns
    -------
    ipywidgets.VBox
        The whole explorer. For tests and for scripting it carries two extra attributes:
        ``playground``, and ``controls``, a dict of every control by setting name plus
        ``"n_epochs"``, ``"step"``, ``"run"``, ``"reset"``, ``"status"`` and ``"output"``.
    """
    import ipywidgets as w

    pg = playground if playground is not None else Playground()
    controls = _setting_controls(w, pg.config)
    parts = _action_widgets(w)
    actions = _WidgetActions(pg, parts)
    actions.connect(controls)
    box = _widget_layout(w, controls, parts)
    box.playground = pg
    box.controls = {**controls, **parts}
    actions.redraw()
    return box
