r"""Implicit (proximal) SGD, a way to train a single neuron (Toulis & Airoldi 2017).

Explicit SGD evaluates the gradient at the current parameters, implicit SGD at the ones it is
about to reach. For a neuron :math:`h(x \cdot \theta)` with its canonical cost (identity and
quadratic: linear regression; sigmoid and cross-entropy: logistic regression), one example gives

.. math:: \theta_n = \theta_{n-1} + \eta\, \bigl(y - h(x \cdot \theta_n)\bigr)\, x .

The new parameters appear on both sides, but the step is along :math:`x`, so
:math:`\theta_n = \theta_{n-1} + \eta\, \xi\, x` with a scalar :math:`\xi` solving

.. math:: \xi = y - h\bigl(x \cdot \theta_{n-1} + \eta\, \xi\, \lVert x \rVert^2\bigr)

(the bias is a weight on a constant input 1, so :math:`\lVert x \rVert^2` includes +1). For
the identity, :math:`\xi = (y - x \cdot \theta_{n-1}) / (1 + \eta \lVert x \rVert^2)`: the
denominator shrinks large steps, so implicit SGD stays stable where explicit SGD (stable only
for :math:`\eta \lVert x \rVert^2 < 2`) diverges. For the sigmoid, :math:`\xi` lies between 0
and :math:`y - h(x \cdot \theta_{n-1})` and is found by Newton's method safeguarded by
bisection.

It is not an :class:`~neuronet.optimizers.Optimizer`, since it needs the example rather than a
gradient: it trains a :class:`~neuronet.neuron.Neuron`, ``Neuron.fit(...,
optimizer=ImplicitSGD(lr))``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from neuronet.activations import Activation, Identity, get_activation
from neuronet.costs import COSTS, Cost
from neuronet.validation import check_example, check_positive, trusted

__all__ = ["ImplicitSGD"]


class ImplicitSGD:
    """Implicit SGD with learning rate ``lr`` (:math:`\\eta`), one example at a time."""

    name = "implicit_sgd"

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = float(check_positive(lr, "lr"))
        self.t = 0

    def __repr__(self) -> str:
        return f"ImplicitSGD(lr={self.lr!r})"

    def step_example(
        self, w: np.ndarray, b: float, x: Any, y: float, link: str | Activation = "identity"
    ) -> float:
        """One implicit step on ``(x, y)``: update the 1-D float array ``w`` **in place**, return
        the new bias. ``link`` is :math:`h`, identity or sigmoid (then ``y`` is in [0, 1])."""
        h = _link(link)
        x, b, y = check_example(w, b, x, y, h.range, h.name)
        z = float(x @ w) + b
        s = self.lr * (float(x @ x) + 1.0)  # η ||x||², the bias input 1 included
        r = y - float(h.forward(np.float64(z)))  # the explicit residual
        xi = r / (1.0 + s) if isinstance(h, Identity) else _solve(h, z, y, s, r)
        w += self.lr * xi * x
        self.t += 1
        return b + self.lr * xi

    def train(
        self,
        neuron: Any,
        X: np.ndarray,
        y: np.ndarray,
        cost: Cost,
        epochs: int,
        batch_size: int | None,
        rng: np.random.Generator,
        end_of_epoch: Callable[[int], None],
    ) -> None:
        """Train ``neuron`` on checked data: every epoch, one step per example in a shuffled
        order, then ``end_of_epoch(epoch)``. The cost must be the activation's canonical one."""
        if not isinstance(neuron.activation, cost.canonical_output or ()):
            raise ValueError(
                "ImplicitSGD trains an identity neuron with the quadratic cost or a sigmoid "
                f"neuron with cross_entropy, got a {neuron.activation.name!r} neuron with "
                f"{cost.name!r}"
            )
        if batch_size not in (None, 1):
            raise ValueError(
                f"ImplicitSGD updates one example at a time; batch_size must be None or 1, "
                f"got {batch_size}"
            )
        for epoch in range(1, epochs + 1):
            for i in rng.permutation(len(X)):
                neuron.b = self.step_example(neuron.w, neuron.b, X[i], y[i], neuron.activation)
            end_of_epoch(epoch)


def _link(link: str | Activation) -> Activation:
    outputs = {cost.canonical_output for cost in COSTS.values()} - {None}
    links = {cls.name: cls for cls in outputs if cls.elementwise}
    h = get_activation(link) if isinstance(link, str) and link in links else link
    if not isinstance(h, tuple(links.values())):
        raise ValueError(f"unknown link {link!r}; valid links are: {', '.join(sorted(links))}")
    return h


def _solve(h: Activation, z: float, y: float, s: float, r: float) -> float:
    r"""Solve :math:`\xi = y - h(z + s\xi)` for an increasing link :math:`h`.

    :math:`F(\xi) = \xi - y + h(z + s\xi)` is increasing, :math:`F(0) = -r` and :math:`F(r)` has
    the sign of :math:`r`: the root lies between 0 and the explicit residual :math:`r`. Newton
    steps are taken while they stay inside that bracket and at least halve the previous step,
    else the bracket is bisected (the safeguard of Numerical Recipes' ``rtsafe``).
    """
    lo, hi = min(0.0, r), max(0.0, r)
    xi, last_step = 0.0, hi - lo
    with trusted():
        for _ in range(200):
            f = xi - y + float(h.forward(np.float64(z + s * xi)))
            if f == 0.0:
                break
            lo, hi = (xi, hi) if f < 0 else (lo, xi)
            newton = xi - f / (1.0 + s * float(h.derivative(np.float64(z + s * xi))))
            if lo < newton < hi and abs(newton - xi) < 0.5 * last_step:
                step, xi = abs(newton - xi), newton
            else:
                step = 0.5 * (hi - lo)
                xi = lo + step
            last_step = step
            if step <= 1e-16 * max(1.0, abs(xi)):
                break
    return xi
