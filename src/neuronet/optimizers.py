r"""Optimizers: the rules that turn a gradient into a step.

Plain gradient descent moves every parameter against its gradient,
:math:`\theta \leftarrow \theta - \eta \nabla C`, with the learning rate :math:`\eta` (``lr``).
Each optimizer here changes one thing: momentum remembers past steps, averaged SGD reports the
mean of its iterates, AdaGrad, RMSProp and Adam give every parameter its own step size from the
history of its gradients (implicit SGD, which needs the example, is in :mod:`neuronet.implicit`).

``step(params, grads)`` updates the parameter arrays **in place**, given in the same order at
every step; the per-parameter state (velocities, sums of squares, moments) is created on the
first step with each parameter's shape and dtype, so a float32 network stays float32. Gradients
are not checked for NaN (a pass over every array at every step): a diverging run shows up in the
cost, which the training loop watches.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from neuronet.validation import (
    check_fraction,
    check_params_and_grads,
    check_positive,
    is_trusted,
    registry_key,
)

__all__ = ["OPTIMIZERS", "Optimizer", "get_optimizer", "AdaGrad", "Adam", "AveragedSGD"]
__all__ += ["Momentum", "Nesterov", "RMSProp", "SGD"]


class Optimizer:
    """Base class: counts the steps ``t``, keeps the per-parameter ``state`` and checks arrays.

    A subclass names its state arrays in ``state_names`` and writes :meth:`update`, the paper's
    equation for one parameter, in place. ``state`` holds one dictionary per parameter, in the order
    of ``params`` (empty before the first step).
    """

    name = "optimizer"
    state_names: tuple[str, ...] = ()
    hyperparameters: tuple[str, ...] = ("lr",)

    def __init__(self, lr: float) -> None:
        self.lr = float(check_positive(lr, "lr"))
        self.reset()

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.hyperparameters)
        return f"{type(self).__name__}({args})"

    def reset(self) -> None:
        """Forget all state (velocities, accumulated squares, moments) and set ``t`` to 0."""
        self.t = 0
        self.state: list[dict[str, np.ndarray]] = []
        self._shapes: list[tuple[int, ...]] = []

    def step(self, params: Any, grads: Any) -> None:
        """Update every parameter (a floating-point array) in place from its gradient.

        The parameters must keep their number and shapes from one step to the next: call
        :meth:`reset` to use the optimizer on other parameters.
        """
        if not is_trusted():
            params, grads = check_params_and_grads(params, grads, self._shapes, type(self).__name__)
        self.t += 1
        if not self.state:
            self.state = [{key: np.zeros_like(p) for key in self.state_names} for p in params]
            self._shapes = [p.shape for p in params]
        for p, g, state in zip(params, grads, self.state, strict=True):
            self.update(p, g, state)

    def update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        """Update one parameter ``p`` in place from its gradient ``g`` and its ``state``."""
        raise NotImplementedError


class SGD(Optimizer):
    r"""Stochastic gradient descent: :math:`\theta \leftarrow \theta - \eta\, g`.

    The learning rate :math:`\eta` is ``lr``; the gradient :math:`g` is whatever the caller
    computed: on one example (online or stochastic learning), a mini-batch or the whole training
    set (batch gradient descent).
    """

    name = "sgd"

    def __init__(self, lr: float = 0.01) -> None:
        super().__init__(lr)

    def update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        p -= self.lr * g


class Momentum(Optimizer):
    r"""Gradient descent with momentum, classical or Nesterov.

    Classical momentum (Polyak 1964; Rumelhart, Hinton & Williams 1986) keeps a velocity :math:`v`
    that accumulates past steps, so that consistent gradients speed it up and alternating ones
    cancel:

    .. math:: v \leftarrow \mu v - \eta\, g, \qquad \theta \leftarrow \theta + v.

    Nesterov's accelerated gradient, in the form of Sutskever et al. (2013), evaluates the gradient
    at the look-ahead point :math:`\phi = \theta + \mu v`. Written for :math:`\phi`, the update
    needs only the gradient at the current parameters, which is what a network provides, and gives
    the same sequence of look-ahead points:

    .. math:: v \leftarrow \mu v - \eta\, g(\phi), \qquad
        \phi \leftarrow \phi + \mu v - \eta\, g(\phi).

    Parameters
    ----------
    momentum : float
        The momentum coefficient :math:`\mu \in [0, 1)`; 0 gives plain SGD.
    nesterov : bool
        Use Nesterov's update.
    """

    name = "momentum"
    state_names = ("velocity",)
    hyperparameters = ("lr", "momentum", "nesterov")

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, nesterov: bool = False) -> None:
        super().__init__(lr)
        self.momentum = check_fraction(momentum, "momentum", low_open=False)
        if not isinstance(nesterov, bool | np.bool_):
            raise ValueError(f"nesterov must be True or False, got {nesterov!r}")
        self.nesterov = bool(nesterov)

    def update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        v = state["velocity"]
        v[...] = self.momentum * v - self.lr * g  # v ← μ v − η g
        if self.nesterov:
            p += self.momentum * v - self.lr * g  # φ ← φ + μ v − η g
        else:
            p += v  # θ ← θ + v


class Nesterov(Momentum):
    """Nesterov momentum: :class:`Momentum` with ``nesterov=True`` (registry: ``"nesterov"``)."""

    name = "nesterov"
    hyperparameters = ("lr", "momentum")

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(lr, momentum, nesterov=True)


class AveragedSGD(Optimizer):
    r"""SGD that also keeps the Polyak–Ruppert average of its iterates (Polyak & Juditsky 1992).

    Plain SGD steps keep jittering around the minimum when the gradients are noisy; the running
    mean of the iterates after the first :math:`s` steps averages the jitter away:

    .. math:: \bar\theta_t = \frac{1}{t - s} \sum_{k=s+1}^{t} \theta_k, \qquad
        \bar\theta \leftarrow \bar\theta + \frac{\theta_t - \bar\theta}{t - s}.

    You *evaluate* the average (:attr:`averaged`: copy it into the model to predict); the optimizer
    keeps *stepping* the raw parameters.

    Parameters
    ----------
    start : int
        Number :math:`s` of initial steps left out of the average (a burn-in).
    """

    name = "averaged_sgd"
    state_names = ("average",)
    hyperparameters = ("lr", "start")

    def __init__(self, lr: float = 0.01, start: int = 0) -> None:
        super().__init__(lr)
        if isinstance(start, bool) or not isinstance(start, int | np.integer) or start < 0:
            raise ValueError(f"start must be a non-negative integer, got {start!r}")
        self.start = int(start)

    @property
    def averaged(self) -> list[np.ndarray]:
        """The Polyak–Ruppert averages, in the order of ``params`` (empty before a step)."""
        return [s["average"] for s in self.state]

    def update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        average = state["average"]
        p -= self.lr * g  # an ordinary SGD step
        k = self.t - self.start  # the number of iterates in the average
        if k <= 1:
            average[...] = p
        else:
            average += (p - average) / k  # the running mean of the iterates


class AdaGrad(Optimizer):
    r"""AdaGrad (Duchi, Hazan & Singer 2011): a step size per parameter that only shrinks.

    Each parameter divides its step by the root of the sum of its squared gradients, so parameters
    with large or frequent gradients slow down and rare ones keep moving:

    .. math:: G \leftarrow G + g^2, \qquad
        \theta \leftarrow \theta - \frac{\eta}{\sqrt{G} + \epsilon}\, g.

    As :math:`G` never decreases, the effective rate (:meth:`effective_lr`) only shrinks: good on
    convex problems, it can stall deep networks.

    Parameters
    ----------
    eps : float
        :math:`\epsilon > 0`, keeps the division finite.
    """

    name = "adagrad"
    state_names = ("sum_squares",)
    hyperparameters = ("lr", "eps")

    def __init__(self, lr: float = 0.01, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.eps = float(check_positive(eps, "eps"))

    def effective_lr(self) -> list[np.ndarray]:
        r"""The step size :math:`\eta / (\sqrt{G} + \epsilon)`, one array per parameter."""
        return [self.lr / (np.sqrt(s["sum_squares"]) + self.eps) for s in self.state]

    def update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        G = state["sum_squares"]
        G += g * g  # G ← G + g²
        p -= self.lr * g / (np.sqrt(G) + self.eps)


class RMSProp(Optimizer):
    r"""RMSProp (Tieleman & Hinton 2012, lecture 6.5): AdaGrad with a fading memory.

    A moving average of the squared gradients replaces their sum, so the step size follows the
    recent gradient scale and does not decay to zero:

    .. math:: E \leftarrow \rho E + (1 - \rho) g^2, \qquad
        \theta \leftarrow \theta - \frac{\eta}{\sqrt{E} + \epsilon}\, g.

    Parameters
    ----------
    rho : float
        The decay rate :math:`\rho \in (0, 1)` of the average.
    eps : float
        :math:`\epsilon > 0`, keeps the division finite.
    """

    name = "rmsprop"
    state_names = ("mean_square",)
    hyperparameters = ("lr", "rho", "eps")

    def __init__(self, lr: float = 0.001, rho: float = 0.9, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.rho = check_fraction(rho, "rho", low_open=True)
        self.eps = float(check_positive(eps, "eps"))

    def update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        E = state["mean_square"]
        E[...] = self.rho * E + (1 - self.rho) * g * g  # E ← ρ E + (1 − ρ) g²
        p -= self.lr * g / (np.sqrt(E) + self.eps)


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015, Algorithm 1): momentum and RMSProp, with bias correction.

    Adam keeps moving averages of the gradient (first moment :math:`m`) and of its square (second
    moment :math:`v`). Both start at zero, so early on they are biased towards zero; dividing by
    :math:`1 - \beta^t` removes that bias:

    .. math::

        m &\leftarrow \beta_1 m + (1 - \beta_1) g, \qquad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \\
        \hat m &= \frac{m}{1 - \beta_1^t}, \qquad \hat v = \frac{v}{1 - \beta_2^t}, \qquad
        \theta \leftarrow \theta - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}.

    On the first step :math:`\hat m = g` and :math:`\hat v = g^2`, so every parameter moves by about
    :math:`\eta` whatever the size of its gradient: the learning rate is a step length.

    Parameters
    ----------
    beta1, beta2 : float
        The decays :math:`\beta_1, \beta_2 \in [0, 1)` of the two moment averages.
    eps : float
        :math:`\epsilon > 0`, added to :math:`\sqrt{\hat v}` as in Algorithm 1.
    """

    name = "adam"
    state_names = ("m", "v", "scratch")
    hyperparameters = ("lr", "beta1", "beta2", "eps")

    def __init__(
        self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        super().__init__(lr)
        self.beta1 = check_fraction(beta1, "beta1", low_open=False)
        self.beta2 = check_fraction(beta2, "beta2", low_open=False)
        self.eps = float(check_positive(eps, "eps"))

    def moments(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Copies of :math:`(m, v)`, before bias correction, one pair per parameter."""
        return [(s["m"].copy(), s["v"].copy()) for s in self.state]

    def update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        # Algorithm 1 line by line, in place: Adam runs every long training of the course, and
        # the same lines written as array expressions allocate nine temporary arrays per step,
        # which made a Fashion-MNIST epoch 2.3x slower (benchmarks/README.md). ``s`` is one
        # scratch array; the other arrays are the paper's.
        m, v, s = state["m"], state["v"], state["scratch"]
        b1, b2, t = self.beta1, self.beta2, self.t
        m *= b1
        m += np.multiply(1 - b1, g, out=s)  # m ← β1 m + (1 − β1) g
        v *= b2
        v += np.multiply(1 - b2, np.square(g, out=s), out=s)  # v ← β2 v + (1 − β2) g²
        np.divide(v, 1 - b2**t, out=s)  # v̂ = v / (1 − β2ᵗ)
        np.sqrt(s, out=s)
        s += self.eps  # √v̂ + ε
        np.divide(m, s, out=s)
        s *= self.lr / (1 - b1**t)  # η m̂ / (√v̂ + ε), with m̂ = m / (1 − β1ᵗ)
        p -= s  # θ ← θ − η m̂ / (√v̂ + ε)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, AveragedSGD, AdaGrad, RMSProp, Adam)
}


def get_optimizer(name_or_object: Any, lr: float | None = None, **kwargs: Any) -> Optimizer:
    """Return an optimizer from a name, a class or an instance.

    Parameters
    ----------
    name_or_object : str, Optimizer subclass or Optimizer
        A name from ``OPTIMIZERS`` (case-insensitive; ``-`` and spaces read as ``_``) or a class,
        instantiated with ``lr`` and ``kwargs`` (the other hyper-parameters); or an instance,
        returned as is (its hyper-parameters are set, so ``lr`` and ``kwargs`` are refused).
    """
    if lr is not None:
        kwargs["lr"] = lr
    if isinstance(name_or_object, str):
        return OPTIMIZERS[registry_key(OPTIMIZERS, name_or_object, "optimizer")](**kwargs)
    if isinstance(name_or_object, type) and issubclass(name_or_object, Optimizer):
        return name_or_object(**kwargs)
    if isinstance(name_or_object, Optimizer):
        if kwargs:
            raise ValueError(
                f"{', '.join(sorted(kwargs))} is only used when optimizer is given by name: "
                f"set the hyper-parameters of the optimizer object {name_or_object!r} instead"
            )
        return name_or_object
    raise TypeError(
        "optimizer must be a name, an Optimizer class or an Optimizer instance, "
        f"got {name_or_object!r}"
    )
