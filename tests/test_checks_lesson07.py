"""The checks of lesson 07's exercises accept the solutions and explain realistic mistakes."""

import numpy as np
import pytest
from exercise_answers import unfinished

from neuronet.course.checks import (
    check_circles_network,
    check_parameter_count,
    check_xor_hidden_layer,
)
from neuronet.data import make_circles
from neuronet.network import MLP


def forgot_return(*args):
    pass


def hint(feedback):
    assert not feedback
    return feedback.message


# --- exercise 1: the XOR network's hidden layer -------------------------------------------


def reference_hidden_weights():
    # unit 1 = OR: x1 + x2 - 0.5 >= 0; unit 2 = NAND: -x1 - x2 + 1.5 >= 0
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    b1 = np.array([-0.5, 1.5])
    return W1, b1


def test_xor_hidden_layer_accepts_or_and_nand():
    feedback = check_xor_hidden_layer(reference_hidden_weights)
    assert feedback
    assert "gives XOR, [0, 1, 1, 0] on the four corners" in feedback.message


def test_xor_hidden_layer_accepts_other_valid_weights():
    # Any lines that cut the corners the same way will do, scaled or shifted.
    def other():
        return [[2.0, -3.0], [2.0, -3.0]], [-1.0, 4.0]

    assert check_xor_hidden_layer(other)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            lambda: (np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-0.5, 1.5])),
            "W1 looks transposed",
        ),
        (
            lambda: (np.array([[-1.0, 1.0], [-1.0, 1.0]]), np.array([1.5, -0.5])),
            "your units are swapped: unit 1 (column 0 of W1) should compute OR, unit 2 NAND",
        ),
        (
            lambda: (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([-0.5, -1.5])),
            "unit 2 computes AND; NAND is its opposite: flip the signs of its weights and of "
            "its bias",
        ),
        (
            lambda: (np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([-1.5, 1.5])),
            "unit 1 outputs [0, 0, 0, 1] (AND) on the corners (0, 0), (0, 1), (1, 0), (1, 1); "
            "OR should give [0, 1, 1, 1] (OR)",
        ),
        (
            lambda: (np.array([1.0, 1.0]), np.array([-0.5, 1.5])),
            "W1 has shape (2,) but should have shape (2, 2). W1[i, j] is the weight from input "
            "i to hidden unit j",
        ),
        (
            lambda: (np.ones((2, 2)), np.array([[-0.5, 1.5]])),
            "b1 has shape (1, 2) but should have shape (2,)",
        ),
        (
            lambda: np.ones((2, 2)),
            "hidden_weights() should return a pair (W1, b1), got ndarray",
        ),
        (
            lambda: (np.ones((2, 2)), np.ones(2), 0.0),
            "hidden_weights() should return a pair (W1, b1), got tuple of length 3",
        ),
        (unfinished, "hidden_weights() is not written yet (it raises NotImplementedError)"),
        (forgot_return, "hidden_weights() returned None: did you forget a return?"),
    ],
)
def test_xor_hidden_layer_explains_mistakes(answer, message):
    assert message in hint(check_xor_hidden_layer(answer))


# --- exercise 2: counting parameters ------------------------------------------------------


def reference_n_parameters(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=False))


def test_parameter_count_accepts_the_formula():
    feedback = check_parameter_count(reference_n_parameters)
    assert feedback
    # the check compares with neuronet, and the formula agrees with a hand count:
    # [2, 3, 2] has 2*3 + 3 weights and biases in layer 1 and 3*2 + 2 in layer 2
    assert reference_n_parameters([2, 3, 2]) == 17


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            lambda s: sum(a * b for a, b in zip(s[:-1], s[1:], strict=False)),
            "n_parameters([2, 3, 2]) is 12, the number of weights only: every unit after the "
            "inputs also has a bias (17 in all)",
        ),
        (
            lambda s: sum(a * b for a, b in zip(s[:-1], s[1:], strict=False)) + sum(s),
            "n_parameters([2, 3, 2]) is 19: you gave the 2 inputs biases too; inputs are not "
            "neurons and have none",
        ),
        (
            lambda s: s[0] * s[1] + s[1],
            "n_parameters([2, 3, 2]) is 9: you counted only the first layer",
        ),
        (
            lambda s: sum((a + 1) * (b + 1) for a, b in zip(s[:-1], s[1:], strict=False)),
            "n_parameters([2, 3, 2]) is 24, expected 17: a layer with n_in inputs and n_out "
            "units has n_in * n_out weights and n_out biases",
        ),
        (lambda s: "17", "n_parameters([2, 3, 2]) should return a number, got str"),
        (unfinished, "n_parameters([2, 3, 2]) is not written yet"),
        (forgot_return, "n_parameters([2, 3, 2]) returned None: did you forget a return?"),
    ],
)
def test_parameter_count_explains_mistakes(answer, message):
    assert message in hint(check_parameter_count(answer))


def test_parameter_count_catches_a_mistake_only_deep_networks_show():
    # right for one hidden layer, wrong beyond: it ignores the layers between hidden layers
    def shallow_only(sizes):
        return reference_n_parameters([sizes[0], *sizes[1:-1][:1], sizes[-1]])

    assert "n_parameters([2, 8, 8, 8, 2]) is 42, expected 186" in hint(
        check_parameter_count(shallow_only)
    )


# --- exercise 3: the smallest hidden layer for the circles --------------------------------


def trained(width, epochs=400, seed=0, **kwargs):
    X, y = make_circles(300, noise=0.1, seed=0)
    net = MLP([2, width, 2], activation="tanh", seed=seed, **kwargs)
    net.fit(X, y, optimizer="adam", lr=0.05, epochs=epochs, batch_size=None)
    return net


def test_circles_network_accepts_three_trained_units():
    feedback = check_circles_network(trained(3))
    assert feedback
    assert feedback.message.startswith("3 hidden units classify")


@pytest.mark.parametrize("width", [1, 2])
def test_circles_network_rejects_too_few_units(width):
    message = hint(check_circles_network(trained(width)))
    assert f"with {width} hidden unit" in message
    assert "below 95%: try more hidden units" in message


def test_circles_network_asks_for_a_smaller_layer():
    assert "4 hidden units reach" in hint(check_circles_network(trained(4)))
    assert "a smaller hidden layer can too: try 3" in hint(check_circles_network(trained(4)))


def test_circles_network_asks_to_train_an_untrained_network():
    message = hint(check_circles_network(MLP([2, 3, 2], activation="tanh")))
    assert "your network with 3 hidden units reaches" in message
    assert "train it longer, or try other seeds" in message


def test_circles_network_rejects_other_shapes():
    deep = MLP([2, 3, 3, 2])
    assert "use exactly one hidden layer, sizes [2, k, 2]; yours has 2" in hint(
        check_circles_network(deep)
    )
    sigmoid = MLP([2, 3, 1], output="sigmoid", cost="cross_entropy")
    assert "2 softmax outputs, got sizes [2, 3, 1] and a 'sigmoid' output" in hint(
        check_circles_network(sigmoid)
    )


def test_circles_network_rejects_what_is_not_a_network():
    assert hint(check_circles_network(None)) == "expected a trained neuronet MLP, got NoneType"
    assert "got int" in hint(check_circles_network(3))


def test_strict_mode_raises_on_a_wrong_answer(monkeypatch):
    from neuronet.course.checks._report import ExerciseCheckFailed

    monkeypatch.setenv("NEURONET_STRICT_CHECKS", "1")
    with pytest.raises(ExerciseCheckFailed, match="check_parameter_count: n_parameters"):
        check_parameter_count(lambda s: 0)
