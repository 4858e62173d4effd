r"""Checks for the exercises of lesson 09, training in practice.

Each check runs the learner's function on data of its own and compares the result with a closed
form (the variance :math:`2/n_{in}` of He initialization), with :mod:`neuronet`
(:func:`~neuronet.data.standardize`) or with training runs it makes itself
(:func:`~neuronet.course.explore.lesson09.train_network`), and names the likely mistake when the
answer is wrong.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from neuronet.course.checks._report import (
    Feedback,
    as_float_array,
    call,
    exercise_check,
    fail,
    require_close,
    success,
)
from neuronet.course.explore.lesson09 import L2_CANDIDATES, train_network
from neuronet.data import make_moons, standardize, train_test_split

__all__ = ["check_choose_l2", "check_he_init", "check_standardize_split"]

# Shapes for the He check: n_in differs from n_out (so fan-in and fan-out tell apart) and each
# has enough entries (120,000 and 40,000) for the sample variance to be within about 1% of the
# true one.
_HE_SHAPES = ((400, 300), (50, 800))
# Relative tolerance on the variance: 8 standard errors of the smaller sample (40,000 draws).
_VARIANCE_RTOL = 0.06


def _near(value: float, target: float) -> bool:
    return abs(value - target) <= _VARIANCE_RTOL * target


def _he_weights(he_init: Callable[..., Any], n_in: int, n_out: int, seed: int) -> np.ndarray:
    """The learner's ``he_init(n_in, n_out, rng)`` with a generator seeded ``seed``, as floats."""
    got = call(he_init, n_in, n_out, np.random.default_rng(seed), name="your he_init")
    return as_float_array(got, f"he_init({n_in}, {n_out}, rng)")


def _check_he_shape_and_mean(W: np.ndarray, n_in: int, n_out: int) -> None:
    """Stop with a hint when ``W`` has the wrong shape, non-finite or equal entries, or a mean
    that is not 0."""
    where = f"he_init({n_in}, {n_out}, rng)"
    if W.shape == (n_out, n_in):
        fail(
            f"{where} has shape {W.shape} but should have shape ({n_in}, {n_out}): in "
            "neuronet a layer computes X @ W, so W has one row per input"
        )
    if W.shape != (n_in, n_out):
        fail(f"{where} has shape {W.shape} but should have shape ({n_in}, {n_out})")
    if not np.isfinite(W).all():
        fail(f"{where} contains NaN or infinite weights")
    if np.ptp(W) == 0:
        fail(
            f"all weights of {where} are equal: every unit would compute the same thing "
            "(symmetry); draw them at random"
        )
    mean, target = float(W.mean()), 2 / n_in
    if abs(mean) > 0.05 * np.sqrt(target) + 3 * np.sqrt(float(W.var()) / W.size):
        fail(
            f"the weights of {where} have mean {mean:.3g}, not 0: draw from a distribution "
            "centred on 0 (rng.standard_normal or rng.normal(0, std, shape)), not "
            "rng.random, which is uniform on [0, 1)"
        )


def _check_he_variance(W: np.ndarray, n_in: int, n_out: int) -> None:
    """Stop with a hint when the variance of ``W`` is not 2 / n_in, naming the usual mistakes."""
    variance, target = float(W.var()), 2 / n_in
    if _near(variance, target):
        return
    where = f"he_init({n_in}, {n_out}, rng)"
    wrong = {
        2 / n_out: "2 / n_out: He uses the fan-in n_in, the number of inputs each unit "
        "adds up (the forward pass), not n_out",
        1 / n_in: f"1 / n_in = {1 / n_in:.3g}: the 2 is missing; a ReLU zeroes about half "
        "of its inputs, and the 2 makes up for it",
        2 / (n_in + n_out): "2 / (n_in + n_out), Xavier's choice; He's variance is 2 / n_in",
        (2 / n_in) ** 2: "(2 / n_in)², so you used 2 / n_in as the standard deviation; it is "
        "the variance: multiply by np.sqrt(2 / n_in)",
        np.sqrt(2 / n_in): "√(2 / n_in): you took the square root twice; the standard "
        "deviation is √(2 / n_in), so that the variance is 2 / n_in",
    }
    for value, message in wrong.items():
        if _near(variance, value):
            fail(f"the weights of {where} have variance {variance:.3g} ≈ {message}")
    fail(f"the weights of {where} have variance {variance:.3g}, expected 2 / n_in = {target:.3g}")


def _check_he_draws_from_rng(he_init: Callable[..., Any]) -> None:
    """Stop with a hint unless equal seeds give equal weights and different seeds different
    ones (the weights come from the ``rng`` argument)."""
    first, again = _he_weights(he_init, 20, 30, 1), _he_weights(he_init, 20, 30, 1)
    if not np.array_equal(first, again):
        fail(
            "two calls with generators seeded alike gave different weights: draw from the rng "
            "argument (rng.standard_normal), not from np.random, so a seed reproduces a network"
        )
    if np.array_equal(first, _he_weights(he_init, 20, 30, 2)):
        fail("different generators gave the same weights: draw them from the rng argument")


@exercise_check
def check_he_init(he_init: Callable[..., Any]) -> Feedback:
    r"""Check ``he_init(n_in, n_out, rng)``: weights of shape ``(n_in, n_out)``, variance
    :math:`2/n_{in}`, mean 0, drawn from ``rng``.

    Parameters
    ----------
    he_init : callable
        The learner's initializer.

    Returns
    -------
    Feedback
        Correct if the shape, mean and variance are right for two layer shapes and the draws
        come from the given generator; otherwise what is wrong (fan-out instead of fan-in, the
        missing 2, a standard deviation of :math:`2/n_{in}`, Xavier's variance, ...).
    """
    for n_in, n_out in _HE_SHAPES:
        W = _he_weights(he_init, n_in, n_out, 0)
        _check_he_shape_and_mean(W, n_in, n_out)
        _check_he_variance(W, n_in, n_out)
    _check_he_draws_from_rng(he_init)
    return success("your weights have shape (n_in, n_out), mean 0 and variance 2 / n_in")


def _standardize_data() -> tuple[np.ndarray, np.ndarray]:
    """Training and test sets whose features have very different scales and shifted test
    statistics, so that statistics computed on the wrong set show."""
    rng = np.random.default_rng(9)
    scale, shift = np.array([100.0, 1.0, 0.01]), np.array([5.0, -2.0, 0.3])
    X_train = shift + scale * rng.standard_normal((40, 3))
    X_test = shift + scale * (0.5 + 1.5 * rng.standard_normal((15, 3)))
    return X_train, X_test


@exercise_check
def check_standardize_split(standardize_split: Callable[..., Any]) -> Feedback:
    """Check ``standardize_split(X_train, X_test)``: both sets scaled with the training set's
    per-feature mean and standard deviation.

    Parameters
    ----------
    standardize_split : callable
        Returns ``(X_train_std, X_test_std)``.

    Returns
    -------
    Feedback
        Correct if both arrays equal :func:`neuronet.data.standardize` with the training
        statistics (a standard deviation with ``ddof=1`` is accepted too); otherwise what is
        wrong (test statistics, pooled statistics, per-sample statistics, the variance ...).
    """
    X_train, X_test = _standardize_data()
    train_arg, test_arg = X_train.copy(), X_test.copy()
    got = call(standardize_split, train_arg, test_arg, name="your standardize_split")
    if not (np.array_equal(train_arg, X_train) and np.array_equal(test_arg, X_test)):
        fail("your standardize_split changed its inputs in place; return new arrays")
    if not isinstance(got, tuple | list) or len(got) != 2:
        fail(
            "standardize_split should return two arrays, (X_train_std, X_test_std), got "
            f"{type(got).__name__}" + (f" of length {len(got)}" if hasattr(got, "__len__") else "")
        )
    train_std = as_float_array(got[0], "the standardized training set")
    test_std = as_float_array(got[1], "the standardized test set")
    for name, arr, shape in (
        ("training", train_std, X_train.shape),
        ("test", test_std, X_test.shape),
    ):
        if arr.shape != shape:
            fail(f"the standardized {name} set has shape {arr.shape} but should have {shape}")

    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    sample_std = X_train.std(axis=0, ddof=1)  # the other common convention, also accepted
    if np.allclose(train_std, (X_train - mean) / sample_std) and np.allclose(
        test_std, (X_test - mean) / sample_std
    ):
        return success("both sets are scaled with the training set's mean and standard deviation")

    pooled = np.concatenate([X_train, X_test])
    if np.allclose(test_std, standardize(X_test)[0]):
        fail(
            "your standardized test set has mean 0 and standard deviation 1 exactly: you "
            "computed its statistics on the test set. Use the training set's mean and std for "
            "both sets; the test set must play no part in fitting anything (leakage)"
        )
    if np.allclose(train_std, standardize(pooled)[0][: len(X_train)]):
        fail(
            "you computed the statistics on the training and test sets together: the test "
            "set then shapes the preprocessing (leakage); use the training set alone"
        )
    per_sample = X_train - X_train.mean(axis=1, keepdims=True)
    if np.allclose(train_std, per_sample / X_train.std(axis=1, keepdims=True)):
        fail(
            "you took the mean and std of each sample (axis=1); standardization works per "
            "feature, over the samples: X_train.mean(axis=0), X_train.std(axis=0)"
        )
    if np.allclose(train_std, (X_train - mean) / std**2):
        fail("you divided by the variance; divide by the standard deviation (np.std)")
    if np.allclose(train_std, X_train / std):
        fail("you divided by the standard deviation but did not subtract the mean first")
    if np.allclose(train_std, X_train - mean):
        fail("you subtracted the mean but did not divide by the standard deviation")
    require_close(train_std, (X_train - mean) / std, "the standardized training set")
    require_close(
        test_std,
        (X_test - mean) / std,
        "the standardized test set",
        where="(scaled with the training statistics)",
    )
    return success("both sets are scaled with the training set's mean and standard deviation")


def _l2_data() -> tuple[np.ndarray, ...]:
    """The check's own small problem: 30 training and 200 validation points of noisy moons,
    standardized with the training statistics."""
    X, y = make_moons(230, noise=0.3, seed=21)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=200, seed=3)
    X_train, stats = standardize(X_train)
    X_val, _ = standardize(X_val, stats)
    return X_train, y_train, X_val, y_val


@functools.cache
def _l2_reference() -> tuple[tuple[np.ndarray, ...], dict[float, tuple[float, float]]]:
    """The check's data, and for every candidate λ its final (training, validation) loss."""
    data = _l2_data()
    X_train, y_train, X_val, y_val = data
    losses = {}
    for lam in L2_CANDIDATES:
        model, history = train_network(X_train, y_train, l2=lam)
        losses[lam] = (history.loss[-1], model.loss(X_val, y_val))
    return data, losses


@exercise_check
def check_choose_l2(choose_l2: Callable[..., Any]) -> Feedback:
    r"""Check ``choose_l2(X_train, y_train, X_val, y_val)``: the :math:`\lambda` among
    ``L2_CANDIDATES`` whose network (trained by ``train_network``) has the lowest final
    validation loss.

    Parameters
    ----------
    choose_l2 : callable
        The learner's selection procedure; it returns a number.

    Returns
    -------
    Feedback
        Correct if it returns the right candidate on the check's own data; otherwise whether it
        chose by training loss, picked a worse candidate, or returned something that is not
        a candidate.
    """
    (X_train, y_train, X_val, y_val), losses = _l2_reference()
    got = call(
        choose_l2, X_train.copy(), y_train.copy(), X_val.copy(), y_val.copy(), name="your choose_l2"
    )
    if isinstance(got, bool) or not isinstance(got, int | float | np.integer | np.floating):
        fail(f"choose_l2 should return a number, the strength λ, got {type(got).__name__}")
    lam = float(got)
    matches = [c for c in L2_CANDIDATES if np.isclose(lam, c, rtol=1e-9, atol=0)]
    if not matches:
        fail(
            f"choose_l2 returned λ = {lam:g}, which is not one of L2_CANDIDATES "
            f"{L2_CANDIDATES}; try each of them and return the best"
        )
    lam = matches[0]
    by_validation = min(L2_CANDIDATES, key=lambda c: losses[c][1])
    by_training = min(L2_CANDIDATES, key=lambda c: losses[c][0])
    best_val = losses[by_validation][1]
    if lam == by_validation:
        return success(
            f"λ = {lam:g} has the lowest validation loss, {best_val:.3f}, against "
            f"{losses[0.0][1]:.3f} without a penalty"
        )
    if lam == by_training:
        fail(
            f"you returned λ = {lam:g}, the strength with the lowest training loss: a penalty "
            "pulls the weights away from the best fit of the training data, so the training loss "
            "favours the weakest one; compare the validation losses, model.loss(X_val, y_val)"
        )
    fail(
        f"λ = {lam:g} gives a validation loss of {losses[lam][1]:.3f}, but λ = "
        f"{by_validation:g} gives {best_val:.3f}; return the λ with the lowest final "
        "validation loss of a network trained with train_network(X_train, y_train, l2=λ)"
    )
