"""Lesson 10's figures and helpers: class grids, class balance, curves, confusion, mistakes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import same_color

from neuronet.course.explore.lesson10 import (
    class_examples,
    confusion_matrix,
    draw_class_balance,
    draw_class_grid,
    draw_confusion_matrix,
    draw_mistakes,
    draw_per_class_accuracy,
    draw_training_curves,
    join_histories,
    most_confused,
    per_class_accuracy,
    worst_mistakes,
)
from neuronet.course.plots import PALETTE
from neuronet.data import FASHION_MNIST_CLASSES
from neuronet.network import History

NAMES = ("zero", "one", "two")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def toy():
    """30 random 4 x 4 'images', 10 of each of 3 classes, in a shuffled order."""
    rng = np.random.default_rng(3)
    y = rng.permutation(np.repeat([0, 1, 2], 10))
    images = rng.random((30, 16))
    return images, y


# --- class_examples and draw_class_grid ---------------------------------------------------------


def test_class_examples_picks_distinct_images_of_each_class(toy):
    _, y = toy
    chosen = class_examples(y, per_class=4, seed=1)
    assert chosen.shape == (3, 4)
    for k, row in enumerate(chosen):
        assert all(y[i] == k for i in row)
        assert len(set(row.tolist())) == 4
        assert list(row) == sorted(row)
    assert np.array_equal(chosen, class_examples(y, per_class=4, seed=1))
    assert not np.array_equal(chosen, class_examples(y, per_class=4, seed=2))


def test_class_examples_refuses_a_class_that_is_too_small(toy):
    _, y = toy
    with pytest.raises(ValueError, match="class 0 has 10 image"):
        class_examples(y, per_class=11)
    with pytest.raises(ValueError, match="per_class must be a positive integer"):
        class_examples(y, per_class=0)


@pytest.mark.parametrize("per_class", [1, 3, 10])
def test_class_grid_shows_per_class_images_of_each_class_in_rows(toy, per_class):
    images, y = toy
    fig = draw_class_grid(images, y, NAMES, per_class=per_class, seed=5)
    chosen = class_examples(y, per_class, seed=5)
    assert len(fig.axes) == 3 * per_class
    for n, ax in enumerate(fig.axes):
        k, column = divmod(n, per_class)
        shown = ax.images[0].get_array()
        assert np.array_equal(shown, images[chosen[k, column]].reshape(4, 4))
        assert ax.get_ylabel() == (NAMES[k] if column == 0 else "")
    assert fig._suptitle.get_text() == f"{per_class} random images of each class"


def test_class_grid_draws_into_a_given_figure_and_checks_its_inputs(toy):
    images, y = toy
    fig = plt.figure()
    fig.add_subplot()  # leftovers are cleared
    assert draw_class_grid(images, y, NAMES, per_class=2, fig=fig) is fig
    assert len(fig.axes) == 6
    with pytest.raises(ValueError, match="images has 29 entries but y has 30 labels"):
        draw_class_grid(images[:-1], y, NAMES)
    with pytest.raises(ValueError, match="label 2 has no name"):
        draw_class_grid(images, y, NAMES[:2])


def test_class_grid_names_the_fashion_mnist_classes_by_default():
    y = np.repeat(np.arange(10), 2)
    fig = draw_class_grid(np.zeros((20, 784)), y, per_class=2)
    labels = [ax.get_ylabel() for ax in fig.axes[::2]]
    assert labels == list(FASHION_MNIST_CLASSES)


# --- draw_class_balance --------------------------------------------------------------------------


def test_class_balance_bars_count_the_labels_of_every_split():
    splits = {"training": [0, 0, 1, 2, 2, 2], "test": [1, 1, 0]}
    fig = draw_class_balance(splits, NAMES)
    ax = fig.axes[0]
    assert len(ax.containers) == 2
    expected = {"training": [2, 1, 3], "test": [1, 2, 0]}  # counted by hand
    for container, (name, counts) in zip(ax.containers, expected.items(), strict=True):
        assert [bar.get_height() for bar in container] == counts
        assert container.get_label() == name
    assert [t.get_text() for t in ax.get_xticklabels()] == list(NAMES)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training", "test"]
    # Bars of one class sit side by side around its tick.
    first, second = ax.containers[0][0], ax.containers[1][0]
    assert first.get_x() + first.get_width() == pytest.approx(second.get_x())


def test_class_balance_checks_its_inputs():
    with pytest.raises(ValueError, match="at least one set of labels"):
        draw_class_balance({})
    with pytest.raises(ValueError, match="label 3 in splits\\['test'\\] has no name"):
        draw_class_balance({"test": [0, 3]}, NAMES)


# --- histories and curves ------------------------------------------------------------------------


def test_join_histories_puts_the_stages_one_after_the_other():
    a = History(loss=[3.0, 2.0], accuracy=[0.1, 0.2], val_loss=[3.5, 2.5], val_accuracy=[0.1, 0.1])
    b = History(loss=[1.0], accuracy=[0.5], val_loss=[1.5], val_accuracy=[0.4], best_epoch=1)
    joined = join_histories(a, b)
    assert joined.loss == [3.0, 2.0, 1.0]
    assert joined.accuracy == [0.1, 0.2, 0.5]
    assert joined.val_loss == [3.5, 2.5, 1.5]
    assert joined.val_accuracy == [0.1, 0.1, 0.4]
    assert joined.best_epoch is None
    assert a.loss == [3.0, 2.0]  # the inputs are not modified
    with pytest.raises(ValueError, match="at least one History"):
        join_histories()


@pytest.mark.parametrize("stages", [(), (2,), (1, 3)])
def test_training_curves_show_loss_and_accuracy_with_the_stage_lines(stages):
    history = History(
        loss=[2.0, 1.0, 0.5, 0.3],
        accuracy=[0.3, 0.6, 0.8, 0.9],
        val_loss=[2.1, 1.2, 0.9, 1.0],
        val_accuracy=[0.3, 0.5, 0.7, 0.7],
    )
    fig = draw_training_curves(history, stages=stages)
    loss_ax, accuracy_ax = fig.axes
    assert loss_ax.get_title() == "loss" and accuracy_ax.get_title() == "accuracy"
    for ax, (train, val) in [
        (loss_ax, (history.loss, history.val_loss)),
        (accuracy_ax, (history.accuracy, history.val_accuracy)),
    ]:
        curves, marks = ax.lines[:2], ax.lines[2:]
        assert list(curves[0].get_ydata()) == train
        assert list(curves[1].get_ydata()) == val
        assert list(curves[0].get_xdata()) == [1, 2, 3, 4]
        assert [line.get_xdata()[0] for line in marks] == [s + 0.5 for s in stages]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert ("learning rate ÷ 10" in legend) == bool(stages)


# --- confusion matrix and per-class accuracy -----------------------------------------------------

Y_TRUE = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
Y_PRED = np.array([0, 1, 0, 1, 2, 2, 0, 0, 2])
# Counted by hand: row = true class, column = predicted class.
CM = np.array([[2, 1, 0], [0, 1, 1], [2, 0, 2]])


def test_confusion_matrix_counts_true_against_predicted():
    cm = confusion_matrix(Y_TRUE, Y_PRED)
    assert cm.dtype == np.int64
    assert np.array_equal(cm, CM)
    bigger = confusion_matrix(Y_TRUE, Y_PRED, n_classes=5)
    assert bigger.shape == (5, 5) and np.array_equal(bigger[:3, :3], CM) and bigger.sum() == 9


def test_confusion_matrix_checks_its_inputs():
    with pytest.raises(ValueError, match="y_true has shape \\(9,\\) but y_pred has shape \\(8,\\)"):
        confusion_matrix(Y_TRUE, Y_PRED[:-1])
    with pytest.raises(ValueError, match="label 2 does not fit n_classes=2"):
        confusion_matrix(Y_TRUE, Y_PRED, n_classes=2)
    with pytest.raises(ValueError, match="class labels >= 0"):
        confusion_matrix([0, -1], [0, 0])


def test_per_class_accuracy_is_the_diagonal_over_the_row_sums():
    assert np.allclose(per_class_accuracy(CM), [2 / 3, 1 / 2, 2 / 4])
    # The same numbers straight from the labels.
    from_labels = [np.mean(Y_PRED[Y_TRUE == k] == k) for k in range(3)]
    assert np.allclose(per_class_accuracy(confusion_matrix(Y_TRUE, Y_PRED)), from_labels)


def test_per_class_accuracy_refuses_empty_classes_and_bad_matrices():
    with pytest.raises(ValueError, match="class 1 has no samples"):
        per_class_accuracy([[3, 0], [0, 0]])
    with pytest.raises(ValueError, match="must be square, got shape \\(2, 3\\)"):
        per_class_accuracy(np.ones((2, 3)))
    with pytest.raises(ValueError, match="cannot be negative"):
        per_class_accuracy([[1, -1], [0, 1]])


def test_most_confused_lists_the_largest_off_diagonal_entries():
    assert most_confused(CM, top=3) == [(2, 0, 2), (0, 1, 1), (1, 2, 1)]
    assert most_confused(CM, top=10) == [(2, 0, 2), (0, 1, 1), (1, 2, 1)]  # zeros left out
    assert most_confused(np.diag([5, 5])) == []
    with pytest.raises(ValueError, match="top must be a positive integer"):
        most_confused(CM, top=0)


@pytest.mark.parametrize("normalize", [True, False])
def test_confusion_figure_shows_the_matrix(normalize):
    fig = draw_confusion_matrix(Y_TRUE, Y_PRED, NAMES, normalize=normalize)
    ax = fig.axes[0]
    shown = ax.images[0].get_array()
    expected = CM / CM.sum(axis=1, keepdims=True) if normalize else CM
    assert np.allclose(shown, expected)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(NAMES)
    assert ax.get_title().endswith("(each row sums to 1)" if normalize else "(counts)")


def test_per_class_accuracy_figure_sorts_the_bars_and_marks_the_worst():
    accuracy = np.array([0.9, 0.6, 0.95])
    fig = draw_per_class_accuracy(accuracy, NAMES, overall=0.82)
    ax = fig.axes[0]
    bars = ax.containers[0]
    assert [bar.get_width() for bar in bars] == [0.6, 0.9, 0.95]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["one", "zero", "two"]
    assert same_color(bars[0].get_facecolor(), PALETTE[1])  # the worst, vermillion
    assert all(same_color(bar.get_facecolor(), PALETTE[0]) for bar in bars[1:])
    assert ax.lines[0].get_xdata()[0] == 0.82
    assert ax.get_legend().get_texts()[0].get_text() == "overall 0.820"
    assert draw_per_class_accuracy(accuracy, NAMES).axes[0].get_legend() is None


def test_per_class_accuracy_figure_checks_its_inputs():
    with pytest.raises(ValueError, match="one value per class \\(3\\), got shape \\(2,\\)"):
        draw_per_class_accuracy([0.5, 0.5], NAMES)
    with pytest.raises(ValueError, match="between 0 and 1"):
        draw_per_class_accuracy([0.5, 1.5, 0.2], NAMES)


# --- the most confident mistakes -----------------------------------------------------------------


def reference_worst(proba, y, k):
    """Brute force: every wrong sample with its confidence, sorted by (-confidence, index)."""
    wrong = [(-max(p), i) for i, p in enumerate(proba.tolist()) if int(np.argmax(p)) != y[i]]
    return [i for _, i in sorted(wrong)[:k]]


def test_worst_mistakes_ranks_the_wrong_answers_by_confidence():
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4], [0.45, 0.55], [0.95, 0.05]])
    y = np.array([1, 1, 0, 1, 0, 0])  # wrong: 0 (0.9), 2 (0.7), 3 (0.6), 4 (0.55)
    assert worst_mistakes(proba, y, k=2).tolist() == [0, 2]
    assert worst_mistakes(proba, y, k=10).tolist() == [0, 2, 3, 4]
    assert worst_mistakes(proba, y, k=2).dtype == np.int64
    assert worst_mistakes(proba[[1, 5]], y[[1, 5]], k=3).size == 0  # no mistakes


def test_worst_mistakes_agrees_with_brute_force_on_random_data():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(200, 5))
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = rng.integers(0, 5, size=200)
    for k in (1, 7, 500):
        assert worst_mistakes(proba, y, k).tolist() == reference_worst(proba, y, k)


def test_worst_mistakes_checks_its_inputs():
    with pytest.raises(ValueError, match="proba must have shape \\(n, k\\)"):
        worst_mistakes(np.ones(3), [0, 1, 0])
    with pytest.raises(ValueError, match="y_true has 2 labels but proba has 3 rows"):
        worst_mistakes(np.full((3, 2), 0.5), [0, 1])
    with pytest.raises(ValueError, match="k must be a positive integer"):
        worst_mistakes(np.full((2, 2), 0.5), [0, 1], k=0)


def test_mistakes_figure_titles_truth_prediction_and_probability():
    rng = np.random.default_rng(1)
    images = rng.random((4, 9))
    y = np.array([0, 1, 2, 0])
    proba = np.array([[0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.5, 0.25, 0.25]])
    fig = draw_mistakes(images, y, proba, [2, 0, 1], NAMES, ncols=2)
    assert len(fig.axes) == 3
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["two\npred: zero (60%)", "zero\npred: one (80%)", "one\npred: one"]
    wrong = [same_color(ax.title.get_color(), PALETTE[1]) for ax in fig.axes]
    assert wrong == [True, True, False]
    for ax, i in zip(fig.axes, [2, 0, 1], strict=True):
        assert np.array_equal(ax.images[0].get_array(), images[i].reshape(3, 3))
    assert fig._suptitle.get_text() == "true class / predicted class (its probability)"


def test_mistakes_figure_checks_its_inputs():
    proba = np.full((2, 2), 0.5)
    with pytest.raises(ValueError, match="nothing to show"):
        draw_mistakes(np.zeros((2, 4)), [0, 1], proba, [], NAMES)
    with pytest.raises(ValueError, match="indices must lie in \\[0, 2\\), got 0 to 2"):
        draw_mistakes(np.zeros((2, 4)), [0, 1], proba, [0, 2], NAMES)
