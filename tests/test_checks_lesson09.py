"""The exercise checks of lesson 09: each accepts the lesson's solution and names the usual
mistakes."""

import numpy as np
import pytest
from exercise_answers import assert_hint, returns_none, unfinished

from neuronet.course.checks import check_choose_l2, check_he_init, check_standardize_split
from neuronet.course.explore.lesson09 import L2_CANDIDATES, train_network

# --- exercise 1: He initialization ------------------------------------------------------------


def he_solution(n_in, n_out, rng):
    return np.sqrt(2 / n_in) * rng.standard_normal((n_in, n_out))


def he_uniform(n_in, n_out, rng):
    limit = np.sqrt(6 / n_in)  # variance limit² / 3 = 2 / n_in
    return rng.uniform(-limit, limit, (n_in, n_out))


def test_he_check_accepts_the_solution_and_the_uniform_variant():
    for answer in (he_solution, he_uniform):
        feedback = check_he_init(answer)
        assert feedback, str(feedback)
        assert "variance 2 / n_in" in str(feedback)


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        (
            lambda n_in, n_out, rng: np.sqrt(2 / n_out) * rng.standard_normal((n_in, n_out)),
            ["≈ 2 / n_out", "fan-in n_in"],
        ),
        (
            lambda n_in, n_out, rng: np.sqrt(1 / n_in) * rng.standard_normal((n_in, n_out)),
            ["the 2 is missing"],
        ),
        (
            lambda n_in, n_out, rng: (
                np.sqrt(2 / (n_in + n_out)) * rng.standard_normal((n_in, n_out))
            ),
            ["Xavier's choice"],
        ),
        (
            lambda n_in, n_out, rng: (2 / n_in) * rng.standard_normal((n_in, n_out)),
            ["as the standard deviation", "np.sqrt(2 / n_in)"],
        ),
        (
            lambda n_in, n_out, rng: np.sqrt(2 / n_in) * rng.standard_normal((n_out, n_in)),
            ["has shape (300, 400) but should have shape (400, 300)", "one row per input"],
        ),
        (
            lambda n_in, n_out, rng: np.sqrt(2 / n_in) * rng.random((n_in, n_out)),
            ["not 0", "rng.random"],
        ),
        (
            lambda n_in, n_out, rng: np.full((n_in, n_out), 0.05),
            ["all weights of he_init(400, 300, rng) are equal", "symmetry"],
        ),
        (
            # the mistake under test: the global generator instead of rng
            lambda n_in, n_out, rng: np.sqrt(2 / n_in) * np.random.standard_normal((n_in, n_out)),  # noqa: NPY002
            ["seeded alike gave different weights", "rng argument"],
        ),
        (
            lambda n_in, n_out, rng: (
                np.sqrt(2 / n_in) * np.random.default_rng(0).standard_normal((n_in, n_out))
            ),
            ["different generators gave the same weights"],
        ),
        (
            lambda n_in, n_out, rng: (
                np.sqrt(np.sqrt(2 / n_in)) * rng.standard_normal((n_in, n_out))
            ),
            ["square root twice"],
        ),
        (lambda n_in, n_out, rng: "weights", ["should be an array of numbers, got str"]),
        (unfinished, ["your he_init is not written yet"]),
        (returns_none, ["your he_init returned None"]),
    ],
)
def test_he_check_names_each_mistake(answer, fragments):
    assert_hint(check_he_init(answer), *fragments)


# --- exercise 2: standardization statistics ---------------------------------------------------


def standardize_solution(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std


def own_statistics(X_train, X_test):
    return standardize_solution(X_train, X_train)[0], standardize_solution(X_test, X_test)[0]


def pooled_statistics(X_train, X_test):
    both = np.concatenate([X_train, X_test])
    mean, std = both.mean(axis=0), both.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std


def per_sample(X_train, X_test):
    def scale(X):
        return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)

    return scale(X_train), scale(X_test)


def by_variance(X_train, X_test):
    mean, var = X_train.mean(axis=0), X_train.var(axis=0)
    return (X_train - mean) / var, (X_test - mean) / var


def in_place(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    X_train -= mean
    X_train /= std
    return X_train, (X_test - mean) / std


def test_standardize_check_accepts_the_solution_and_sample_std():
    assert check_standardize_split(standardize_solution)

    def sample_std(X_train, X_test):
        mean, std = X_train.mean(axis=0), X_train.std(axis=0, ddof=1)
        return (X_train - mean) / std, (X_test - mean) / std

    assert check_standardize_split(sample_std)


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        (own_statistics, ["computed its statistics on the test set", "leakage"]),
        (pooled_statistics, ["training and test sets together", "leakage"]),
        (per_sample, ["each sample (axis=1)", "axis=0"]),
        (by_variance, ["divided by the variance"]),
        (
            lambda a, b: (a / a.std(axis=0), b / a.std(axis=0)),
            ["did not subtract the mean"],
        ),
        (lambda a, b: (a - a.mean(axis=0), b - a.mean(axis=0)), ["did not divide"]),
        (in_place, ["changed its inputs in place"]),
        (lambda a, b: standardize_solution(a, b)[0], ["should return two arrays"]),
        (
            lambda a, b: (standardize_solution(a, b)[0], standardize_solution(a, b)[0]),
            ["the standardized test set has shape (40, 3) but should have (15, 3)"],
        ),
        (unfinished, ["your standardize_split is not written yet"]),
        (returns_none, ["your standardize_split returned None"]),
    ],
)
def test_standardize_check_names_each_mistake(answer, fragments):
    assert_hint(check_standardize_split(answer), *fragments)


# --- exercise 3: choosing the L2 strength -----------------------------------------------------


def choose_l2_solution(X_train, y_train, X_val, y_val):
    validation_loss = {}
    for lam in L2_CANDIDATES:
        model, _ = train_network(X_train, y_train, l2=lam)
        validation_loss[lam] = model.loss(X_val, y_val)
    return min(validation_loss, key=validation_loss.get)


def choose_by_training_loss(X_train, y_train, X_val, y_val):
    training_loss = {}
    for lam in L2_CANDIDATES:
        _, history = train_network(X_train, y_train, l2=lam)
        training_loss[lam] = history.loss[-1]
    return min(training_loss, key=training_loss.get)


def test_choose_l2_check_accepts_the_solution():
    feedback = check_choose_l2(choose_l2_solution)
    assert feedback, str(feedback)
    assert str(feedback).startswith("Correct: λ = 0.1 has the lowest validation loss")


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        (choose_by_training_loss, ["λ = 0, the strength with the lowest training loss"]),
        (lambda *data: 1.0, ["λ = 1 gives a validation loss of", "but λ = 0.1 gives"]),
        (lambda *data: 0.05, ["λ = 0.05, which is not one of L2_CANDIDATES"]),
        (lambda *data: "0.1", ["should return a number", "got str"]),
        (lambda *data: [0.1], ["should return a number", "got list"]),
        (unfinished, ["your choose_l2 is not written yet"]),
        (returns_none, ["your choose_l2 returned None"]),
    ],
)
def test_choose_l2_check_names_each_mistake(answer, fragments):
    assert_hint(check_choose_l2(answer), *fragments)


def test_the_check_data_have_a_clear_winner():
    # The check is only fair if the best strength beats the others by a margin that no
    # rounding can overturn, and if a penalty really helps.
    from neuronet.course.checks.lesson09 import _l2_reference

    _, losses = _l2_reference()
    validation = sorted(loss for _, loss in losses.values())
    assert validation[1] - validation[0] > 0.05
    assert losses[0.0][1] > validation[0] + 0.5
    assert min(losses, key=lambda lam: losses[lam][0]) == 0.0
