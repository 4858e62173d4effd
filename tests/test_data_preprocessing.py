"""Tests for neuronet.data.preprocessing, against hand computations."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuronet.data import (
    minibatches,
    normalize,
    one_hot,
    standardize,
    to_class_indices,
    train_test_split,
)

# --------------------------------------------------------------------------------- standardize


def test_standardize_by_hand():
    X = np.array([[1.0, 2.0], [3.0, 2.0], [5.0, 2.0]])
    X_std, (mean, std) = standardize(X)
    np.testing.assert_allclose(mean, [3.0, 2.0])
    # Population standard deviation of 1, 3, 5: sqrt(((-2)^2 + 0 + 2^2) / 3) = sqrt(8/3).
    np.testing.assert_allclose(std, [np.sqrt(8 / 3), 1.0])
    np.testing.assert_allclose(X_std[:, 0], np.array([-2.0, 0.0, 2.0]) / np.sqrt(8 / 3))
    np.testing.assert_array_equal(X_std[:, 1], 0.0)


def test_standardize_gives_zero_mean_unit_variance():
    X = np.random.default_rng(0).normal(5.0, 3.0, size=(500, 4))
    X_std, _ = standardize(X)
    np.testing.assert_allclose(X_std.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X_std.std(axis=0), 1.0, rtol=1e-12)


def test_standardize_applies_training_statistics_to_test_data():
    rng = np.random.default_rng(1)
    X_train, X_test = rng.normal(2.0, 4.0, (50, 3)), rng.normal(2.0, 4.0, (20, 3))
    _, stats = standardize(X_train)
    X_test_std, returned = standardize(X_test, stats)
    expected = (X_test - X_train.mean(axis=0)) / X_train.std(axis=0)
    np.testing.assert_allclose(X_test_std, expected, rtol=1e-12)
    np.testing.assert_array_equal(returned[0], stats[0])
    # Not the same as standardizing the test set with its own statistics.
    assert not np.allclose(X_test_std, standardize(X_test)[0])


def test_constant_columns_become_exactly_zero():
    # 0.1 is not representable, so the computed mean and std of a constant column of 0.1 would
    # be off by rounding: the constant column must still come out as exact zeros.
    X = np.column_stack([np.full(7, 0.1), np.arange(7.0), np.zeros(7)])
    X_std, (_, std) = standardize(X)
    np.testing.assert_array_equal(X_std[:, 0], 0.0)
    np.testing.assert_array_equal(X_std[:, 2], 0.0)
    np.testing.assert_array_equal(std[[0, 2]], 1.0)


def test_standardize_keeps_float32_and_converts_integers():
    X32 = np.random.default_rng(2).random((10, 3)).astype(np.float32)
    X_std, (mean, std) = standardize(X32)
    assert X_std.dtype == mean.dtype == std.dtype == np.float32
    X_int = np.array([[0, 255], [255, 0], [128, 128]], dtype=np.uint8)
    X_std, _ = standardize(X_int)
    assert X_std.dtype == np.float64
    np.testing.assert_allclose(X_std.mean(axis=0), 0.0, atol=1e-12)


def test_standardize_works_on_images_and_does_not_modify_input():
    X = np.random.default_rng(3).random((6, 4, 4))
    before = X.copy()
    X_std, (mean, std) = standardize(X)
    assert X_std.shape == X.shape and mean.shape == std.shape == (4, 4)
    np.testing.assert_array_equal(X, before)


def test_standardize_errors():
    X = np.ones((5, 3))
    with pytest.raises(ValueError, match=r"stats mean has shape \(2,\) but the samples of X"):
        standardize(X, (np.zeros(2), np.ones(2)))
    with pytest.raises(ValueError, match="stats std must be positive"):
        standardize(X, (np.zeros(3), np.array([1.0, 0.0, 1.0])))
    with pytest.raises(ValueError, match="stats must be the pair"):
        standardize(X, np.zeros(3))
    with pytest.raises(ValueError, match="non-finite"):
        standardize(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(ValueError, match="no samples"):
        standardize(np.zeros((0, 3)))


# ----------------------------------------------------------------------------------- normalize


def test_normalize_by_hand_and_with_training_stats():
    X = np.array([[0.0, -1.0, 4.0], [5.0, 1.0, 4.0], [10.0, 0.0, 4.0]])
    X01, (low, high) = normalize(X)
    np.testing.assert_array_equal(low, [0.0, -1.0, 4.0])
    np.testing.assert_array_equal(high, [10.0, 1.0, 4.0])
    np.testing.assert_allclose(X01, [[0.0, 0.0, 0.0], [0.5, 1.0, 0.0], [1.0, 0.5, 0.0]])
    test = np.array([[20.0, 0.0, 5.0]])
    test01, _ = normalize(test, (low, high))
    # (20 - 0) / 10 = 2, (0 + 1) / 2 = 0.5, constant column: (5 - 4) / 1 = 1.
    np.testing.assert_allclose(test01, [[2.0, 0.5, 1.0]])


def test_normalize_keeps_float32_and_checks_stats():
    X = np.array([[1.0, 2.0], [3.0, 5.0]], dtype=np.float32)
    X01, _ = normalize(X)
    assert X01.dtype == np.float32
    with pytest.raises(ValueError, match="maximum is below the minimum"):
        normalize(X, (np.array([1.0, 1.0]), np.array([0.0, 2.0])))
    with pytest.raises(ValueError, match=r"stats minimum has shape \(3,\)"):
        normalize(X, (np.zeros(3), np.ones(3)))


# ------------------------------------------------------------------------------------- one_hot


def test_one_hot_by_hand():
    np.testing.assert_array_equal(
        one_hot([2, 0, 1, 2]), [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    )
    Y = one_hot(np.array([1, 0]), n_classes=4, dtype=np.float32)
    assert Y.dtype == np.float32
    np.testing.assert_array_equal(Y, [[0, 1, 0, 0], [1, 0, 0, 0]])
    np.testing.assert_array_equal(one_hot([0.0, 2.0]), [[1, 0, 0], [0, 0, 1]])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=50))
def test_one_hot_round_trip(labels):
    Y = one_hot(labels, n_classes=10)
    assert Y.shape == (len(labels), 10)
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(to_class_indices(Y), labels)


def test_one_hot_errors_name_the_offending_label():
    with pytest.raises(ValueError, match=r"got 1\.5 at index 1"):
        one_hot([0, 1.5, 2])
    with pytest.raises(ValueError, match="got -1 at index 2"):
        one_hot([0, 1, -1])
    with pytest.raises(ValueError, match=r"label 3 at index 1 is out of range for n_classes=3"):
        one_hot([0, 3, 1], n_classes=3)
    with pytest.raises(ValueError, match="1-D array of class indices.*to_class_indices"):
        one_hot(np.eye(3))
    with pytest.raises(ValueError, match="integer class labels, got dtype <U1"):
        one_hot(["a", "b"])
    with pytest.raises(ValueError, match="empty"):
        one_hot([])
    with pytest.raises(ValueError, match="n_classes must be a positive integer"):
        one_hot([0, 1], n_classes=0)


# ---------------------------------------------------------------------------- to_class_indices


def test_to_class_indices_accepts_the_common_encodings():
    np.testing.assert_array_equal(to_class_indices([2, 0, 1]), [2, 0, 1])
    np.testing.assert_array_equal(to_class_indices(np.array([1.0, 0.0, 3.0])), [1, 0, 3])
    np.testing.assert_array_equal(to_class_indices([[0, 1], [1, 0], [0, 1]]), [1, 0, 1])
    np.testing.assert_array_equal(to_class_indices([[1.0], [0.0], [1.0]]), [1, 0, 1])
    np.testing.assert_array_equal(to_class_indices(np.array([True, False])), [1, 0])
    assert to_class_indices([3, 1]).dtype == np.int64


@pytest.mark.parametrize(
    ("labels", "what"),
    [
        ([0.0, 0.5], r"non-integer value 0\.5 at index 1"),
        ([1, -2], "negative value -2 at index 1"),
        ([[1, 0], [1, 1]], "row 1 has 2 ones instead of exactly one"),
        ([[0, 0], [1, 0]], "row 0 has 0 ones"),
        ([[0.3, 0.7], [1, 0]], r"entry 0\.3 at row 0, column 0 is neither 0 nor 1"),
        (np.zeros((2, 2, 2)), r"3-D array of shape \(2, 2, 2\)"),
        (["cat", "dog"], "dtype <U3"),
        ([0.0, np.nan], "non-integer value nan"),
    ],
)
def test_to_class_indices_rejects_everything_else(labels, what):
    with pytest.raises(
        ValueError, match=r"^labels must be class indices \(1-D integers\) or one-hot rows; got "
    ):
        to_class_indices(labels)
    with pytest.raises(ValueError, match=what):
        to_class_indices(labels)


# ---------------------------------------------------------------------------- train_test_split


def test_split_is_a_partition_that_keeps_pairs():
    X = np.arange(200).reshape(100, 2)
    y = np.arange(100) * 10
    X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0)
    assert len(X_test) == 25 and len(X_train) == 75
    np.testing.assert_array_equal(np.sort(np.concatenate([X_train[:, 0], X_test[:, 0]])), X[:, 0])
    np.testing.assert_array_equal(y_train, X_train[:, 0] * 5)
    np.testing.assert_array_equal(y_test, X_test[:, 0] * 5)


def test_split_sizes_and_determinism():
    X, y = np.arange(10.0), np.arange(10)
    assert len(train_test_split(X, y, test_size=3, seed=0)[1]) == 3
    # ceil(0.33 * 10) = 4
    assert len(train_test_split(X, y, test_size=0.33, seed=0)[1]) == 4
    a = train_test_split(X, y, seed=5)
    b = train_test_split(X, y, seed=5)
    c = train_test_split(X, y, seed=6)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[1], c[1])


def test_stratified_split_keeps_class_proportions():
    y = np.array([0] * 80 + [1] * 20)
    X = np.arange(100)
    for seed in range(5):
        _, X_test, y_train, y_test = train_test_split(X, y, 0.25, seed=seed, stratify=True)
        np.testing.assert_array_equal(np.bincount(y_test), [20, 5])
        np.testing.assert_array_equal(np.bincount(y_train), [60, 15])
        np.testing.assert_array_equal(y[X_test], y_test)


def test_stratified_split_accepts_one_hot_and_rounds_to_the_requested_size():
    labels = np.array([0] * 7 + [1] * 7 + [2] * 7)
    Y = one_hot(labels)
    _, _, _, Y_test = train_test_split(np.zeros((21, 2)), Y, test_size=5, seed=1, stratify=True)
    assert Y_test.shape == (5, 3)
    # Quotas 5/3 each: two classes get 2 test samples, one gets 1.
    assert sorted(Y_test.sum(axis=0)) == [1.0, 2.0, 2.0]


@pytest.mark.parametrize("test_size", [0, 0.0, 1.0, 1.5, -0.2, 10, 12, "half", True])
def test_split_rejects_bad_test_sizes(test_size):
    with pytest.raises(ValueError, match="test_size"):
        train_test_split(np.zeros(10), np.zeros(10), test_size=test_size)


def test_split_requires_matching_lengths():
    with pytest.raises(ValueError, match="X has 10 samples but y has 9"):
        train_test_split(np.zeros((10, 2)), np.zeros(9))


# --------------------------------------------------------------------------------- minibatches


def test_minibatches_cover_every_sample_once():
    X = np.arange(100).reshape(50, 2)
    Y = np.arange(50)
    batches = list(minibatches(X, Y, 16, seed=0))
    assert [len(xb) for xb, _ in batches] == [16, 16, 16, 2]
    seen = np.concatenate([yb for _, yb in batches])
    np.testing.assert_array_equal(np.sort(seen), Y)
    for xb, yb in batches:
        np.testing.assert_array_equal(xb[:, 0], 2 * yb)
    assert not np.array_equal(seen, Y), "shuffle=True should change the order"


def test_minibatch_order_depends_on_the_seed_and_rng():
    X = np.arange(40)

    def order(**kw):
        return np.concatenate([xb for xb, _ in minibatches(X, None, 8, **kw)])

    np.testing.assert_array_equal(order(seed=1), order(seed=1))
    assert not np.array_equal(order(seed=1), order(seed=2))
    rng = np.random.default_rng(0)
    first, second = order(rng=rng), order(rng=rng)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(np.sort(second), X)
    np.testing.assert_array_equal(order(shuffle=False), X)


def test_minibatch_sizes_edge_cases():
    X = np.arange(10)
    ((xb, yb),) = list(minibatches(X, None, None, shuffle=False))
    np.testing.assert_array_equal(xb, X)
    assert yb is None
    assert [len(xb) for xb, _ in minibatches(X, X, 100)] == [10]
    assert [len(xb) for xb, _ in minibatches(X, X, 1)] == [1] * 10
    assert [len(xb) for xb, _ in minibatches(X, X, 5)] == [5, 5]


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, True, "8"])
def test_minibatches_validate_at_the_call(batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        minibatches(np.zeros(10), None, batch_size)


def test_minibatches_other_errors():
    with pytest.raises(ValueError, match="X has 10 samples but Y has 9"):
        minibatches(np.zeros(10), np.zeros(9), 4)
    with pytest.raises(ValueError, match="either seed or rng"):
        minibatches(np.zeros(10), None, 4, seed=0, rng=np.random.default_rng(0))
