"""Optimizers: the rules that turn a gradient into a step.

Plain gradient descent moves every parameter against its gradient,
:math:`\\theta \\leftarrow \\theta - \\eta \\nabla C`. Each optimizer here keeps that idea and
changes one thing: momentum remembers past steps, averaged SGD reports the mean of its iterates,
AdaGrad, RMSProp and Adam give every parameter its own step size from the history of its
gradients, and implicit SGD evaluates the gradient at the point it is about to reach.

All of them share one contract with the network: ``step(params, grads)`` receives the list of
parameter arrays and the list of their gradients, in the same order every time, and updates the
parameters **in place**. The per-parameter state (velocities, squared-gradient sums, moments) is
kept by position in that list and created lazily, on the first step, with the shape and dtype of
each parameter, so a float32 network stays float32. Updates use NumPy ufuncs with ``out=`` into a
scratch buffer, so a step allocates no temporary arrays.

The optimizers do not check gradients for NaN or infinity (that would cost a pass over every
array at every step); a diverging run shows up in the loss, which ``MLP.fit`` watches.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from neuronet.validation import check_positive, registry_key

__all__ = [
    "OPTIMIZERS",
    "AdaGrad",
    "Adam",
    "AveragedSGD",
    "ImplicitSGD",
    "Momentum",
    "Nesterov",
    "Optimizer",
    "RMSProp",
    "SGD",
    "get_optimizer",
]


def _check_fraction(value: Any, name: str, low_open: bool) -> float:
    """Check that ``value`` lies in ``[0, 1)`` (or ``(0, 1)`` if ``low_open``) and return it."""
    interval = "(0, 1)" if low_open else "[0, 1)"
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"{name} must be a number in {interval}, got {value!r}")
    value = float(value)
    low_ok = value > 0 if low_open else value >= 0
    if not (math.isfinite(value) and low_ok and value < 1):
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return value


def _as_list(arrays: Any, name: str) -> list[Any]:
    """Read a bare array as a one-element list; refuse anything that is not a sequence."""
    if isinstance(arrays, np.ndarray):
        return [arrays]
    if isinstance(arrays, Sequence) and not isinstance(arrays, str):
        return list(arrays)
    raise TypeError(f"{name} must be a list of NumPy arrays (or one array), got {type(arrays)}")


class Optimizer:
    """Base class: validates the arrays, counts steps and keeps per-parameter state.

    Subclasses list the names of their state arrays in ``state_names`` and implement
    ``_update(p, g, state)``, which must change ``p`` in place; ``state["buffer"]`` is a scratch
    array of ``p``'s shape and dtype for the intermediate results.

    Parameters
    ----------
    lr : float
        The learning rate :math:`\\eta > 0`.

    Attributes
    ----------
    t : int
        Number of steps taken since creation or the last :meth:`reset`.
    state : list of dict
        One dictionary of state arrays per parameter, in the order of ``params``, keyed by
        ``state_names`` plus ``"buffer"``; empty before the first step. Every array has the
        shape and dtype of its parameter.
    """

    name = "optimizer"
    state_names: tuple[str, ...] = ()
    hyperparameters: tuple[str, ...] = ("lr",)

    def __init__(self, lr: float) -> None:
        self.lr = float(check_positive(lr, "lr"))
        self.t = 0
        self.state: list[dict[str, np.ndarray]] = []

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.hyperparameters)
        return f"{type(self).__name__}({args})"

    def reset(self) -> None:
        """Forget all state (velocities, accumulated squares, moments) and set ``t`` to 0."""
        self.t = 0
        self.state = []

    def step(self, params: Any, grads: Any) -> None:
        """Update every parameter in place from its gradient.

        Parameters
        ----------
        params : list of numpy.ndarray, or numpy.ndarray
            The floating-point parameter arrays, in the same order at every step.
        grads : list of numpy.ndarray, or numpy.ndarray
            :math:`\\partial C / \\partial \\theta` for each parameter, same shapes.

        Raises
        ------
        TypeError
            If a parameter is not a floating-point NumPy array (it could not change in place).
        ValueError
            If ``grads`` does not match ``params`` in number or shapes, or if the number or
            shapes of the parameters differ from the previous step (call :meth:`reset` to
            reuse an optimizer on other parameters).
        """
        self._step(*self._check(params, grads))

    def _step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """:meth:`step` without the checks, for a caller that has already run them once."""
        self.t += 1
        if not self.state:
            self.state = [self._new_state(p) for p in params]
        for p, g, state in zip(params, grads, self.state, strict=True):
            self._update(p, g, state)

    def _new_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        state = {key: np.zeros_like(p) for key in self.state_names}
        state["buffer"] = np.empty_like(p)
        return state

    def _check(self, params: Any, grads: Any) -> tuple[list[np.ndarray], list[np.ndarray]]:
        params = _as_list(params, "params")
        grads = _as_list(grads, "grads")
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
        if self.state:
            if len(params) != len(self.state):
                raise ValueError(
                    f"{type(self).__name__} holds state for {len(self.state)} parameter "
                    f"array(s) but got {len(params)}; call reset() to use it on new parameters"
                )
            for i, (p, s) in enumerate(zip(params, self.state, strict=True)):
                shape = s["buffer"].shape
                if p.shape != shape:
                    raise ValueError(
                        f"params[{i}] has shape {p.shape} but {type(self).__name__} holds state "
                        f"of shape {shape} for it; call reset() to use it on new parameters"
                    )
        return params, grads

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent: :math:`\\theta \\leftarrow \\theta - \\eta\\, g`.

    The gradient :math:`g` is whatever the caller computed: on one example (online or stochastic
    learning), a mini-batch or the whole training set (batch gradient descent).

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate :math:`\\eta`.
    """

    name = "sgd"

    def __init__(self, lr: float = 0.01) -> None:
        super().__init__(lr)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        buf = state["buffer"]
        np.multiply(g, self.lr, out=buf)
        p -= buf


class Momentum(Optimizer):
    """Gradient descent with momentum, classical or Nesterov.

    Classical momentum (Polyak 1964; Rumelhart, Hinton & Williams 1986) keeps a velocity
    :math:`v` that accumulates past steps, so that consistent gradients speed it up and
    alternating ones cancel:

    .. math::

        v \\leftarrow \\mu v - \\eta\\, g, \\qquad \\theta \\leftarrow \\theta + v.

    Nesterov's accelerated gradient, in the form of Sutskever et al. (2013), evaluates the
    gradient at the look-ahead point :math:`\\theta + \\mu v`. Writing the parameters at that
    point, :math:`\\phi = \\theta + \\mu v`, turns it into an update that only needs the gradient
    at the current parameters, which is what a network provides:

    .. math::

        v \\leftarrow \\mu v - \\eta\\, g(\\phi), \\qquad
        \\phi \\leftarrow \\phi + \\mu v - \\eta\\, g(\\phi).

    Both forms give the same sequence of look-ahead points :math:`\\phi`.

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate :math:`\\eta`.
    momentum : float, default 0.9
        The momentum coefficient :math:`\\mu \\in [0, 1)`; 0 gives plain SGD.
    nesterov : bool, default False
        Use Nesterov's update.

    Raises
    ------
    ValueError
        If ``lr`` is not positive or ``momentum`` is outside :math:`[0, 1)`.
    """

    name = "momentum"
    state_names = ("velocity",)
    hyperparameters = ("lr", "momentum", "nesterov")

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, nesterov: bool = False) -> None:
        super().__init__(lr)
        self.momentum = _check_fraction(momentum, "momentum", low_open=False)
        if not isinstance(nesterov, bool | np.bool_):
            raise ValueError(f"nesterov must be True or False, got {nesterov!r}")
        self.nesterov = bool(nesterov)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        v, buf = state["velocity"], state["buffer"]
        np.multiply(g, self.lr, out=buf)  # buf = lr g
        v *= self.momentum
        v -= buf  # v = mu v - lr g
        if self.nesterov:
            p -= buf  # p - lr g ...
            np.multiply(v, self.momentum, out=buf)
            p += buf  # ... + mu v
        else:
            p += v


class Nesterov(Momentum):
    """Nesterov momentum: :class:`Momentum` with ``nesterov=True`` (the registry's ``"nesterov"``).

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate :math:`\\eta`.
    momentum : float, default 0.9
        The momentum coefficient :math:`\\mu \\in [0, 1)`.
    """

    name = "nesterov"
    hyperparameters = ("lr", "momentum")

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(lr, momentum, nesterov=True)


class AveragedSGD(Optimizer):
    """SGD that also keeps the Polyak–Ruppert average of its iterates (Polyak & Juditsky 1992).

    The parameters take ordinary SGD steps, :math:`\\theta_t = \\theta_{t-1} - \\eta g_t`, which
    keep jittering around the minimum when the gradients are noisy. The average of the iterates
    after the first ``start`` steps,

    .. math::

        \\bar\\theta_t = \\frac{1}{t - s} \\sum_{k=s+1}^{t} \\theta_k,

    updated as a running mean :math:`\\bar\\theta \\leftarrow \\bar\\theta +
    (\\theta_t - \\bar\\theta)/(t - s)`, averages that jitter away. The average is what you
    *evaluate* (copy it into the model to predict or test); the optimizer keeps *stepping* the
    raw parameters. While :math:`t \\le s` the average simply equals the current iterate.

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate :math:`\\eta`.
    start : int, default 0
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

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        avg, buf = state["average"], state["buffer"]
        np.multiply(g, self.lr, out=buf)
        p -= buf
        count = self.t - self.start
        if count <= 1:
            np.copyto(avg, p)
        else:
            np.subtract(p, avg, out=buf)
            buf /= count
            avg += buf


class AdaGrad(Optimizer):
    """AdaGrad (Duchi, Hazan & Singer 2011): a step size per parameter that only shrinks.

    Each parameter accumulates the squares of all its gradients and divides its step by their
    square root, so parameters with large or frequent gradients slow down and rare ones keep
    moving:

    .. math::

        G \\leftarrow G + g^2, \\qquad
        \\theta \\leftarrow \\theta - \\frac{\\eta}{\\sqrt{G} + \\epsilon}\\, g.

    Because :math:`G` never decreases, the effective rate :math:`\\eta / (\\sqrt{G} + \\epsilon)`
    (see :meth:`effective_lr`) shrinks monotonically, which helps on convex problems and can
    stall training of deep networks.

    Parameters
    ----------
    lr : float, default 0.01
        The base learning rate :math:`\\eta`.
    eps : float, default 1e-8
        :math:`\\epsilon > 0`, keeps the division finite.
    """

    name = "adagrad"
    state_names = ("sum_squares",)
    hyperparameters = ("lr", "eps")

    def __init__(self, lr: float = 0.01, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.eps = float(check_positive(eps, "eps"))

    def effective_lr(self) -> list[np.ndarray]:
        """Return the per-parameter step size :math:`\\eta / (\\sqrt{G} + \\epsilon)`.

        Returns
        -------
        list of numpy.ndarray
            One array per parameter (empty before the first step).
        """
        return [self.lr / (np.sqrt(s["sum_squares"]) + self.eps) for s in self.state]

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        acc, buf = state["sum_squares"], state["buffer"]
        np.multiply(g, g, out=buf)
        acc += buf
        _scaled_step(p, g, acc, self.lr, self.eps, buf)


def _scaled_step(
    p: np.ndarray, g: np.ndarray, sq: np.ndarray, lr: float, eps: float, buf: np.ndarray
) -> None:
    """Apply ``p -= lr * g / (sqrt(sq) + eps)`` using ``buf`` as the only scratch array."""
    np.sqrt(sq, out=buf)
    buf += eps
    np.divide(g, buf, out=buf)
    buf *= lr
    p -= buf


class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton 2012, lecture 6.5): AdaGrad with a fading memory.

    Instead of the sum of all squared gradients, keep an exponential moving average of them, so
    the step size adapts to the recent gradient scale and does not decay to zero:

    .. math::

        E \\leftarrow \\rho E + (1 - \\rho) g^2, \\qquad
        \\theta \\leftarrow \\theta - \\frac{\\eta}{\\sqrt{E} + \\epsilon}\\, g.

    Parameters
    ----------
    lr : float, default 0.001
        The learning rate :math:`\\eta`.
    rho : float, default 0.9
        The decay rate :math:`\\rho \\in (0, 1)` of the average.
    eps : float, default 1e-8
        :math:`\\epsilon > 0`, keeps the division finite.
    """

    name = "rmsprop"
    state_names = ("mean_square",)
    hyperparameters = ("lr", "rho", "eps")

    def __init__(self, lr: float = 0.001, rho: float = 0.9, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.rho = _check_fraction(rho, "rho", low_open=True)
        self.eps = float(check_positive(eps, "eps"))

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        ms, buf = state["mean_square"], state["buffer"]
        np.multiply(g, g, out=buf)
        buf *= 1.0 - self.rho
        ms *= self.rho
        ms += buf
        _scaled_step(p, g, ms, self.lr, self.eps, buf)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015, Algorithm 1): momentum and RMSProp, with bias correction.

    Adam keeps moving averages of the gradient (first moment :math:`m`) and of its square
    (second moment :math:`v`). Both start at zero, so early on they are biased towards zero;
    dividing by :math:`1 - \\beta^t` removes that bias:

    .. math::

        m &\\leftarrow \\beta_1 m + (1 - \\beta_1) g, \\qquad
        v \\leftarrow \\beta_2 v + (1 - \\beta_2) g^2, \\\\
        \\hat m &= \\frac{m}{1 - \\beta_1^t}, \\qquad \\hat v = \\frac{v}{1 - \\beta_2^t}, \\qquad
        \\theta \\leftarrow \\theta - \\eta\\, \\frac{\\hat m}{\\sqrt{\\hat v} + \\epsilon}.

    On the first step :math:`\\hat m = g` and :math:`\\hat v = g^2`, so every parameter moves by
    about :math:`\\eta` whatever the size of its gradient: the learning rate is a step length.

    The state holds the moments without their constant factors, the discounted sums
    :math:`\\tilde m = m / (1 - \\beta_1)` and :math:`\\tilde v = v / (1 - \\beta_2)`:

    .. math::

        \\tilde m &\\leftarrow \\beta_1 \\tilde m + g, \\qquad
        \\tilde v \\leftarrow \\beta_2 \\tilde v + g^2, \\\\
        \\theta &\\leftarrow \\theta - \\frac{\\eta (1 - \\beta_1) c_2}{c_1 k}\\,
        \\frac{\\tilde m}{\\sqrt{\\tilde v} + \\epsilon c_2 / k},

    with :math:`c_1 = 1 - \\beta_1^t`, :math:`c_2 = \\sqrt{1 - \\beta_2^t}` and
    :math:`k = \\sqrt{1 - \\beta_2}`. This is Algorithm 1 exactly, rearranged so that every
    constant folds into two scalars; it saves two of twelve passes over the parameters per
    step, about 4% of a Fashion-MNIST epoch (see ``benchmarks/README.md``). :meth:`moments`
    returns :math:`m` and :math:`v` as the paper defines them.

    Parameters
    ----------
    lr : float, default 0.001
        The step size :math:`\\eta`.
    beta1 : float, default 0.9
        Decay :math:`\\beta_1 \\in [0, 1)` of the first-moment average.
    beta2 : float, default 0.999
        Decay :math:`\\beta_2 \\in [0, 1)` of the second-moment average.
    eps : float, default 1e-8
        :math:`\\epsilon > 0`, added to :math:`\\sqrt{\\hat v}` as in Algorithm 1.
    """

    name = "adam"
    state_names = ("m_sum", "v_sum")
    hyperparameters = ("lr", "beta1", "beta2", "eps")

    def __init__(
        self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        super().__init__(lr)
        self.beta1 = _check_fraction(beta1, "beta1", low_open=False)
        self.beta2 = _check_fraction(beta2, "beta2", low_open=False)
        self.eps = float(check_positive(eps, "eps"))

    def moments(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Return the moving averages :math:`(m, v)` of Algorithm 1, one pair per parameter.

        Returns
        -------
        list of (numpy.ndarray, numpy.ndarray)
            New arrays :math:`m = (1 - \\beta_1)\\tilde m` and
            :math:`v = (1 - \\beta_2)\\tilde v`, before bias correction (empty before the first
            step).
        """
        return [
            ((1.0 - self.beta1) * s["m_sum"], (1.0 - self.beta2) * s["v_sum"]) for s in self.state
        ]

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        m_sum, v_sum, buf = state["m_sum"], state["v_sum"], state["buffer"]
        b1, b2 = self.beta1, self.beta2
        m_sum *= b1
        m_sum += g
        np.square(g, out=buf)
        v_sum *= b2
        v_sum += buf
        c1 = 1.0 - b1**self.t
        c2 = math.sqrt(1.0 - b2**self.t)
        k = math.sqrt(1.0 - b2)
        np.sqrt(v_sum, out=buf)
        buf += self.eps * c2 / k
        np.divide(m_sum, buf, out=buf)
        buf *= self.lr * (1.0 - b1) * c2 / (c1 * k)
        p -= buf


_LINKS = ("identity", "sigmoid")


def _scalar(value: Any, name: str) -> float:
    """Read a number, or an array holding exactly one number, as a float."""
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a single number, got {value!r}")
    return float(arr.reshape(-1)[0])


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class ImplicitSGD(Optimizer):
    """Implicit (proximal) SGD for a single neuron (Toulis & Airoldi 2017).

    Explicit SGD evaluates the gradient at the current parameters. Implicit SGD evaluates it at
    the parameters it is about to reach. For a neuron with output :math:`h(x \\cdot \\theta)`
    trained with its canonical loss (quadratic for the identity link, i.e. linear regression;
    cross-entropy for the sigmoid link, i.e. logistic regression) the update on one example is

    .. math::

        \\theta_n = \\theta_{n-1} + \\eta\\, \\bigl(y - h(x \\cdot \\theta_n)\\bigr)\\, x .

    The new parameters appear on both sides, but the step is along :math:`x`, so
    :math:`\\theta_n = \\theta_{n-1} + \\eta\\, \\xi\\, x` with a scalar :math:`\\xi` solving

    .. math::

        \\xi = y - h\\bigl(x \\cdot \\theta_{n-1} + \\eta\\, \\xi\\, \\lVert x \\rVert^2\\bigr).

    For the identity link this is linear: :math:`\\xi = (y - x \\cdot \\theta_{n-1}) /
    (1 + \\eta \\lVert x \\rVert^2)`. The denominator shrinks large steps, which is why implicit
    SGD stays stable at learning rates where explicit SGD (stable only for
    :math:`\\eta \\lVert x \\rVert^2 < 2`) diverges. For the sigmoid link :math:`\\xi` lies between
    0 and :math:`y - h(x \\cdot \\theta_{n-1})` and is found by Newton's method safeguarded by
    bisection.

    The bias is a weight on a constant input 1, so :math:`\\lVert x \\rVert^2` includes
    :math:`+1`.

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate :math:`\\eta`.
    """

    name = "implicit_sgd"

    def __init__(self, lr: float = 0.01) -> None:
        super().__init__(lr)

    def step(self, params: Any, grads: Any) -> None:
        """Refuse: implicit SGD needs the data point, not a gradient.

        Raises
        ------
        TypeError
            Always; use :meth:`step_example`.
        """
        raise TypeError(
            "ImplicitSGD cannot step from a gradient: the implicit update evaluates the "
            "gradient at the new parameters, so it needs the example itself; call "
            "step_example(w, b, x, y, link='identity' or 'sigmoid')"
        )

    def step_example(
        self, w: np.ndarray, b: float, x: Any, y: float, link: str = "identity"
    ) -> float:
        """Take one implicit step on the example ``(x, y)``.

        Parameters
        ----------
        w : numpy.ndarray
            The 1-D floating-point weight vector, updated **in place**.
        b : float
            The current bias (a 1-element array is read as its value).
        x : array_like
            One input, shape ``w.shape``.
        y : float
            Its target (in :math:`[0, 1]` for the sigmoid link; a 1-element array is accepted).
        link : {"identity", "sigmoid"}
            The output function :math:`h`; the loss is the matching canonical one.

        Returns
        -------
        float
            The new bias (a float cannot change in place).

        Raises
        ------
        ValueError
            If ``link`` is unknown, shapes differ, values are not finite or a sigmoid target is
            outside :math:`[0, 1]`.
        TypeError
            If ``w`` is not a 1-D floating-point NumPy array.
        """
        if link not in _LINKS:
            raise ValueError(f"unknown link {link!r}; valid links are: {', '.join(_LINKS)}")
        if not isinstance(w, np.ndarray) or w.dtype.kind != "f" or w.ndim != 1:
            kind = f"shape {w.shape}, dtype {w.dtype}" if isinstance(w, np.ndarray) else type(w)
            raise TypeError(f"w must be a 1-D floating-point NumPy array, got {kind}")
        x = np.asarray(x, dtype=np.float64)
        if x.shape != w.shape:
            raise ValueError(f"x has shape {x.shape} but w has shape {w.shape}")
        b, y = _scalar(b, "b"), _scalar(y, "y")
        if not (np.isfinite(x).all() and math.isfinite(b) and math.isfinite(y)):
            raise ValueError("x, b and y must be finite")
        if link == "sigmoid" and not 0.0 <= y <= 1.0:
            raise ValueError(f"a sigmoid neuron's target must be in [0, 1], got {y!r}")
        z = float(x @ w) + b
        scale = self.lr * (float(x @ x) + 1.0)  # lr ||x||^2, the bias input 1 included
        if link == "identity":
            xi = (y - z) / (1.0 + scale)
        else:
            xi = self._solve_logistic(z, y, scale)
        w += (self.lr * xi) * x
        self.t += 1
        return b + self.lr * xi

    @staticmethod
    def _solve_logistic(z: float, y: float, scale: float) -> float:
        """Solve :math:`\\xi = y - \\sigma(z + s\\xi)` for :math:`\\xi`.

        :math:`F(\\xi) = \\xi - y + \\sigma(z + s\\xi)` is increasing, and with the explicit
        residual :math:`r = y - \\sigma(z)`, :math:`F(0) = -r` while :math:`F(r)` has the sign of
        :math:`r`, so the root lies between 0 and :math:`r`. Newton steps are taken while they
        stay inside that bracket and at least halve the previous step; otherwise the bracket is
        bisected (the safeguard of Numerical Recipes' ``rtsafe``).
        """
        r = y - _sigmoid(z)
        lo, hi = min(0.0, r), max(0.0, r)
        xi, last_step = 0.0, hi - lo
        for _ in range(200):
            a = _sigmoid(z + scale * xi)
            f = xi - y + a
            if f == 0.0:
                break
            if f < 0:
                lo = xi
            else:
                hi = xi
            newton = xi - f / (1.0 + scale * a * (1.0 - a))
            if lo < newton < hi and abs(newton - xi) < 0.5 * last_step:
                step = abs(newton - xi)
                xi = newton
            else:
                step = 0.5 * (hi - lo)
                xi = lo + step
            last_step = step
            if step <= 1e-16 * max(1.0, abs(xi)):
                break
        return xi


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "averaged_sgd": AveragedSGD,
    "adagrad": AdaGrad,
    "rmsprop": RMSProp,
    "adam": Adam,
}


def get_optimizer(name_or_object: Any, **kwargs: Any) -> Optimizer:
    """Return an optimizer from a name, a class or an instance.

    Parameters
    ----------
    name_or_object : str, Optimizer subclass or Optimizer
        A name from ``OPTIMIZERS`` (case-insensitive; ``-`` and spaces read as ``_``) or an
        optimizer class, instantiated with ``kwargs``; or an optimizer instance, returned as is.
    **kwargs
        Hyper-parameters such as ``lr`` for a name or class.

    Returns
    -------
    Optimizer

    Raises
    ------
    ValueError
        If the name is unknown (the message lists the valid names), or if ``kwargs`` are given
        with an instance, whose hyper-parameters are already set.
    TypeError
        If ``name_or_object`` is none of the above.
    """
    if isinstance(name_or_object, str):
        return OPTIMIZERS[registry_key(OPTIMIZERS, name_or_object, "optimizer")](**kwargs)
    if isinstance(name_or_object, type) and issubclass(name_or_object, Optimizer):
        return name_or_object(**kwargs)
    if isinstance(name_or_object, Optimizer):
        if kwargs:
            raise ValueError(
                f"cannot apply {sorted(kwargs)} to the existing optimizer {name_or_object!r}; "
                "pass a name or class to set hyper-parameters"
            )
        return name_or_object
    raise TypeError(
        "optimizer must be a name, an Optimizer class or an Optimizer instance, "
        f"got {name_or_object!r}"
    )
