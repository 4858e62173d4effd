"""The checks of lesson 10's exercises accept right answers and explain wrong ones."""

import numpy as np
import pytest
from exercise_answers import unfinished

from neuronet.course.checks import (
    check_per_class_accuracy,
    check_standardize_with,
    check_worst_mistakes,
)


def forgot_return(*args):
    pass


def message(feedback):
    assert not feedback, f"a wrong answer passed: {feedback}"
    return str(feedback)


# --- per-class accuracy --------------------------------------------------------------------------


def per_class_accuracy(cm):  # the lesson's solution
    cm = np.asarray(cm)
    return np.diag(cm) / cm.sum(axis=1)


def test_per_class_accuracy_accepts_the_solution_and_a_loop():
    assert check_per_class_accuracy(per_class_accuracy)

    def with_a_loop(cm):
        return [cm[i, i] / sum(cm[i]) for i in range(len(cm))]

    feedback = check_per_class_accuracy(with_a_loop)
    assert feedback and str(feedback).startswith("Correct: per_class_accuracy divides")


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda cm: np.diag(cm) / cm.sum(axis=0), "you divided by the column sums"),
        (lambda cm: np.diag(cm) / cm.sum(), "you divided by the total number of images"),
        (lambda cm: np.diag(cm), "you returned the diagonal counts [5, 6, 1]"),
        (lambda cm: np.diag(cm) // cm.sum(axis=1), "integer division (//)?"),
        (lambda cm: np.trace(cm) / cm.sum(), "you returned one number, 0.5455, the overall"),
        (lambda cm: cm / cm.sum(axis=1, keepdims=True), "has shape (3, 3) but should have shape"),
        (lambda cm: np.diag(cm)[:3] / cm.sum(axis=1)[:3], "for a 10 x 10 matrix has shape (3,)"),
        (lambda cm: {"a": 1}, "the result should be an array of numbers, got dict"),
    ],
)
def test_per_class_accuracy_explains_wrong_answers(answer, hint):
    assert hint in message(check_per_class_accuracy(answer))


def test_per_class_accuracy_notices_a_modified_matrix():
    def in_place(cm):
        cm[0, 0] = 0
        return per_class_accuracy(cm)

    assert "changed the confusion matrix" in message(check_per_class_accuracy(in_place))


def test_per_class_accuracy_unfinished_answers():
    assert "is not written yet" in message(check_per_class_accuracy(unfinished))
    assert "returned None: did you forget a return?" in message(
        check_per_class_accuracy(forgot_return)
    )


# --- standardize_with ----------------------------------------------------------------------------


def standardize_with(X_train, X):  # the lesson's solution
    return (X - X_train.mean(axis=0)) / X_train.std(axis=0)


def test_standardize_with_accepts_the_solution_and_the_sample_std():
    feedback = check_standardize_with(standardize_with)
    assert feedback and "exactly as the training data were" in str(feedback)

    def sample_std(X_train, X):
        return (X - X_train.mean(axis=0)) / X_train.std(axis=0, ddof=1)

    feedback = check_standardize_with(sample_std)
    assert feedback and "ddof=1" in str(feedback)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda Xt, X: (X - X.mean(axis=0)) / X.std(axis=0), "with its own statistics"),
        (
            lambda Xt, X: (X - np.vstack([Xt, X]).mean(axis=0)) / np.vstack([Xt, X]).std(axis=0),
            "on X_train and X together",
        ),
        (lambda Xt, X: (X - Xt.mean()) / Xt.std(), "one mean and one standard deviation for all"),
        (lambda Xt, X: X - Xt.mean(axis=0), "did not divide by the standard deviation"),
        (lambda Xt, X: (X - Xt.mean(axis=0)) / Xt.var(axis=0), "you divided by the variance"),
        (lambda Xt, X: (Xt - Xt.mean(axis=0)) / Xt.std(axis=0), "has shape (50, 4)"),
        (
            lambda Xt, X: (X - Xt.mean(axis=0)) / Xt.std(axis=0) + 0.1,
            "the standardized X for an X of shape (20, 4) is",
        ),
    ],
)
def test_standardize_with_explains_wrong_answers(answer, hint):
    assert hint in message(check_standardize_with(answer))


def test_standardize_with_notices_inputs_changed_in_place():
    def in_place(X_train, X):
        X -= X_train.mean(axis=0)
        X /= X_train.std(axis=0)
        return X

    assert "changed its inputs in place" in message(check_standardize_with(in_place))


def test_standardize_with_unfinished_answers():
    assert "is not written yet" in message(check_standardize_with(unfinished))
    assert "returned None" in message(check_standardize_with(forgot_return))


# --- worst_mistakes ------------------------------------------------------------------------------


def worst_mistakes(proba, y_true, k):  # the lesson's solution
    predicted = proba.argmax(axis=1)
    wrong = np.flatnonzero(predicted != y_true)
    confidence = proba[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")[:k]]


def test_worst_mistakes_accepts_the_solution_and_a_plain_python_version():
    assert check_worst_mistakes(worst_mistakes)

    def plain(proba, y_true, k):
        mistakes = [
            (-max(row), i) for i, row in enumerate(proba.tolist()) if np.argmax(row) != y_true[i]
        ]
        return [i for _, i in sorted(mistakes)[:k]]

    assert check_worst_mistakes(plain)


def positions_not_indices(proba, y_true, k):
    predicted = proba.argmax(axis=1)
    wrong = predicted != y_true
    confidence = proba[wrong].max(axis=1)
    return np.argsort(-confidence)[:k]


def includes_correct_ones(proba, y_true, k):
    return np.argsort(-proba.max(axis=1))[:k]


def by_true_class(proba, y_true, k):
    wrong = np.flatnonzero(proba.argmax(axis=1) != y_true)
    return wrong[np.argsort(proba[wrong, y_true[wrong]])[:k]]


def least_confident_first(proba, y_true, k):
    return worst_mistakes(proba, y_true, 100)[::-1][:k]


def always_three(proba, y_true, k):
    wrong = np.flatnonzero(proba.argmax(axis=1) != y_true)
    return wrong[np.argsort(-proba[wrong].max(axis=1))[:3]]


def pads_with_zeros(proba, y_true, k):
    found = worst_mistakes(proba, y_true, k)
    return np.concatenate([found, np.zeros(k - len(found), dtype=int)])


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (positions_not_indices, "positions among the mistakes ([3, 1, 0])"),
        (includes_correct_ones, "you returned sample 6, which the network classified correctly"),
        (by_true_class, "you ranked by the lowest probability of the true class"),
        (least_confident_first, "the least confident first"),
        (lambda p, y, k: worst_mistakes(p, y, k)[[1, 0, 2]], "the right samples in the wrong"),
        (lambda p, y, k: worst_mistakes(p, y, k + 1), "with k=3 you returned 4 indices"),
        (always_three, "with k=8 there are only 5 mistakes"),
        (pads_with_zeros, "with k=8 there are only 5 mistakes"),
        (lambda p, y, k: [0.5, 1.5, 2.0], "should hold indices (integers)"),
        (lambda p, y, k: [20, 21, 22], "not indices of the 10 samples"),
    ],
)
def test_worst_mistakes_explains_wrong_answers(answer, hint):
    assert hint in message(check_worst_mistakes(answer))


def test_worst_mistakes_unfinished_answers():
    assert "is not written yet" in message(check_worst_mistakes(unfinished))
    assert "returned None" in message(check_worst_mistakes(forgot_return))
