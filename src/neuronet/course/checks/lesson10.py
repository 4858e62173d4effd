"""Checks for the exercises of lesson 10, the Fashion-MNIST capstone.

Every expected value is computed here from small arrays and closed forms (a diagonal divided by
row sums, a mean and a standard deviation per column, a sort), never from the learner's code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from neuronet.course.checks._report import (
    Feedback,
    call,
    exercise_check,
    fail,
    require_close,
    success,
)

__all__ = ["check_per_class_accuracy", "check_standardize_with", "check_worst_mistakes"]

# A confusion matrix whose row sums (6, 12, 4) and column sums (7, 10, 5) differ everywhere, so
# that dividing by the wrong one, or by the total, is caught.
_CM = np.array([[5, 1, 0], [2, 6, 4], [0, 3, 1]])


def _as_numbers(got: Any, name: str) -> np.ndarray:
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        fail(f"{name} should be an array of numbers, got {type(got).__name__}")


@exercise_check
def check_per_class_accuracy(per_class_accuracy: Callable[[np.ndarray], Any]) -> Feedback:
    """Check ``per_class_accuracy(cm)``: the diagonal of ``cm`` divided by its row sums."""
    cm = _CM.copy()
    got = _as_numbers(call(per_class_accuracy, cm, name="your per_class_accuracy"), "the result")
    if not np.array_equal(cm, _CM):
        fail("your per_class_accuracy changed the confusion matrix it was given; leave it intact")
    diagonal = np.diag(_CM).astype(float)
    expected = diagonal / _CM.sum(axis=1)
    where = "for the 3 x 3 matrix [[5, 1, 0], [2, 6, 4], [0, 3, 1]]"
    if got.ndim == 0:
        if np.isclose(got, np.trace(_CM) / _CM.sum()):
            fail(
                f"you returned one number, {float(got):.4f}, the overall accuracy; return one "
                "accuracy per class (per row)"
            )
        fail(f"you returned one number ({float(got):.4g}); return one accuracy per class")
    if got.shape == expected.shape:
        wrong_divisors = {
            "the column sums (the images *predicted* as each class): that is the precision. "
            "The accuracy of a class divides by its row sum, the images that truly are of that "
            "class": diagonal / _CM.sum(axis=0),
            "the total number of images; divide each diagonal entry by the sum of its own "
            "row": diagonal / _CM.sum(),
        }
        for explanation, value in wrong_divisors.items():
            if np.allclose(got, value):
                fail(f"{where} you divided by {explanation}")
        if np.allclose(got, diagonal):
            fail(
                f"{where} you returned the diagonal counts {diagonal.astype(int).tolist()}; "
                "divide each by the sum of its row"
            )
        if np.allclose(got, np.floor(expected)):
            fail(f"{where} you got {got.tolist()}: integer division (//)? Use / instead")
    require_close(got, expected, "the per-class accuracy", where=where)
    # A larger matrix, so that code written for 3 classes only is caught.
    big = np.random.default_rng(10).integers(0, 50, size=(10, 10)) + np.diag(np.full(10, 400))
    got = _as_numbers(
        call(per_class_accuracy, big.copy(), name="your per_class_accuracy"), "the result"
    )
    require_close(
        got, np.diag(big) / big.sum(axis=1), "the per-class accuracy", where="for a 10 x 10 matrix"
    )
    return success(
        "per_class_accuracy divides each diagonal entry by the sum of its row: the fraction of "
        "the images of each class that were classified correctly"
    )


@exercise_check
def check_standardize_with(standardize_with: Callable[[np.ndarray, np.ndarray], Any]) -> Feedback:
    """Check ``standardize_with(X_train, X)``: ``X`` scaled with the training statistics."""
    rng = np.random.default_rng(10)
    scales = np.array([1.0, 5.0, 0.2, 3.0])
    X_train = rng.normal(size=(50, 4)) * scales + np.array([2.0, -1.0, 0.5, 10.0])
    # Other data from a shifted distribution: its own statistics differ from the training ones.
    X_other = rng.normal(size=(20, 4)) * scales * 1.5 + np.array([3.0, 1.0, 0.0, 12.0])
    train_copy, other_copy = X_train.copy(), X_other.copy()
    got = call(standardize_with, X_train, X_other, name="your standardize_with")
    if not (np.array_equal(X_train, train_copy) and np.array_equal(X_other, other_copy)):
        fail(
            "your standardize_with changed its inputs in place; return a new array and leave "
            "X_train and X as they were"
        )
    got = _as_numbers(got, "the result")
    if got.shape != X_other.shape:
        fail(
            f"the result has shape {got.shape}, but standardize_with(X_train, X) should return "
            f"X standardized, with the shape of X {X_other.shape}"
        )
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    if np.allclose(got, (X_other - mean) / X_train.std(axis=0, ddof=1)):
        return success(
            "X is scaled with the training statistics (you used the sample standard deviation, "
            "ddof=1; neuronet uses ddof=0, a negligible difference with 54,000 images)"
        )
    both = np.concatenate([X_train, X_other])
    wrong = {
        "every column of your result has mean 0 and standard deviation 1: you standardized X "
        "with its own statistics. Use the mean and standard deviation of X_train, so that new "
        "data are transformed exactly like the training data": (X_other - X_other.mean(axis=0))
        / X_other.std(axis=0),
        "you computed the statistics on X_train and X together, so the test data leak into the "
        "preprocessing; use X_train alone": (X_other - both.mean(axis=0)) / both.std(axis=0),
        "you used one mean and one standard deviation for all the features; compute them for "
        "each feature (each column, axis=0)": (X_other - X_train.mean()) / X_train.std(),
        "you subtracted the training mean but did not divide by the standard deviation": X_other
        - mean,
        "you divided by the variance; divide by the standard deviation, its square root": (
            X_other - mean
        )
        / X_train.var(axis=0),
    }
    for hint, value in wrong.items():
        if np.allclose(got, value):
            fail(hint)
    require_close(
        got, (X_other - mean) / std, "the standardized X", where="for an X of shape (20, 4)"
    )
    return success(
        "X is shifted and scaled with the mean and standard deviation of each feature of the "
        "training data, exactly as the training data were"
    )


# Ten samples, three classes. Correct: 0, 1, 3, 6, 8 (0 and 6 very confidently). Mistakes, by
# confidence of the (wrong) predicted class: 7 (0.90), 4 (0.70), 2 (0.60), 9 (0.55), 5 (0.50).
# Ranked by the lowest probability of the true class they would come in another order:
# 2 (0.05), 7 (0.10), 5 (0.15), 9 (0.20), 4 (0.30).
_MISTAKES_PROBA = np.array(
    [
        [0.98, 0.01, 0.01],
        [0.20, 0.70, 0.10],
        [0.05, 0.60, 0.35],
        [0.10, 0.10, 0.80],
        [0.30, 0.70, 0.00],
        [0.15, 0.35, 0.50],
        [0.01, 0.99, 0.00],
        [0.90, 0.10, 0.00],
        [0.25, 0.25, 0.50],
        [0.25, 0.20, 0.55],
    ]
)
_MISTAKES_TRUE = np.array([0, 1, 0, 2, 0, 0, 1, 1, 2, 1])
_MISTAKES_EXPECTED = np.array([7, 4, 2, 9, 5])
_MISTAKES_WHERE = "for the check's 10 samples"


def _mistake_indices(worst_mistakes: Callable[..., Any], k: int) -> np.ndarray:
    """The learner's answer for the check's samples and ``k``, as a flat array of numbers."""
    got = call(
        worst_mistakes, _MISTAKES_PROBA.copy(), _MISTAKES_TRUE.copy(), k, name="your worst_mistakes"
    )
    return _as_numbers(got, "the result").ravel()


def _check_sample_indices(got: np.ndarray) -> np.ndarray:
    """The answer for k=3 as three integer sample indices, or a hint."""
    where = _MISTAKES_WHERE
    if got.size and np.any(got != np.round(got)):
        fail(f"the result {got.tolist()} should hold indices (integers) of samples")
    got = got.astype(int)
    if got.size and (got.min() < 0 or got.max() >= len(_MISTAKES_TRUE)):
        fail(f"{where} you returned {got.tolist()}, which are not indices of the 10 samples")
    if got.size != 3:
        fail(f"{where} with k=3 you returned {got.size} indices; return the 3 worst mistakes")
    return got


def _check_top_three(got: np.ndarray) -> None:
    """Stop with a hint unless ``got`` is the three most confident mistakes, in order."""
    where, expected = _MISTAKES_WHERE, _MISTAKES_EXPECTED[:3]
    mistakes = np.flatnonzero(_MISTAKES_PROBA.argmax(axis=1) != _MISTAKES_TRUE)
    confidence = _MISTAKES_PROBA[mistakes].max(axis=1)
    if np.array_equal(got, np.argsort(-confidence, kind="stable")[:3]):
        fail(
            f"{where} you returned positions among the mistakes ({got.tolist()}), not indices "
            "of samples: map them back to the whole set, e.g. np.flatnonzero(wrong)[order]"
        )
    correct = [int(i) for i in got if i not in mistakes]
    if correct:
        fail(
            f"{where} you returned sample {correct[0]}, which the network classified correctly; "
            "keep only the mistakes (predicted class != true class)"
        )
    if np.array_equal(got, [2, 7, 5]):
        fail(
            f"{where} you ranked by the lowest probability of the true class; rank by the "
            "confidence of the prediction (the probability of the predicted, wrong class)"
        )
    if np.array_equal(got, _MISTAKES_EXPECTED[::-1][:3]):
        fail(f"{where} you returned {got.tolist()}, the least confident first; sort decreasing")
    if sorted(got.tolist()) == sorted(expected.tolist()) and not np.array_equal(got, expected):
        fail(
            f"{where} you returned the right samples in the wrong order, {got.tolist()}; the "
            f"most confident first: {expected.tolist()}"
        )
    if not np.array_equal(got, expected):
        fail(f"{where} with k=3 you returned {got.tolist()}, expected {expected.tolist()}")


@exercise_check
def check_worst_mistakes(worst_mistakes: Callable[[np.ndarray, np.ndarray, int], Any]) -> Feedback:
    """Check ``worst_mistakes(proba, y_true, k)``: the most confident wrong predictions."""
    top_three = _check_sample_indices(_mistake_indices(worst_mistakes, 3))
    _check_top_three(top_three)
    got, expected = _mistake_indices(worst_mistakes, 8), _MISTAKES_EXPECTED
    if got.size != expected.size or not np.array_equal(got, expected):
        fail(
            f"{_MISTAKES_WHERE} with k=8 there are only 5 mistakes: return all 5, most confident "
            f"first, {expected.tolist()}; you returned {got.astype(int).tolist()}"
        )
    return success(
        "worst_mistakes keeps the wrong predictions and ranks them by the probability the "
        "network gave its (wrong) answer"
    )
