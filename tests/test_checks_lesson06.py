"""The checks of lesson 06's exercises accept the solutions and name realistic mistakes."""

import numpy as np
import pytest
from exercise_answers import assert_hint, returns_none, unfinished

from neuronet.course.checks import check_fixed_gradients, check_tanh_gradients, check_two_paths
from neuronet.gradcheck import numerical_gradient, relative_error


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


# The lesson's tiny network.
x = np.array([0.8, -0.4])
y = 0.0
W1 = np.array([[0.5, -0.3], [0.8, 0.2]])
b1 = np.array([0.1, -0.1])
W2 = np.array([[1.5], [-1.0]])
b2 = np.array([0.2])


# ------------------------------------------------------------------------------ exercise 1


def tanh_gradients(x, y, W1, b1, W2, b2):
    z1 = x @ W1 + b1
    z2 = np.tanh(z1) @ W2 + b2
    delta2 = (sigmoid(z2) - y) * sigmoid_prime(z2)
    delta1 = (delta2 @ W2.T) * (1 - np.tanh(z1) ** 2)
    return np.outer(x, delta1), delta1


def tanh_variant(hidden_slope=None, output_slope=True, transposed=False):
    def wrong(x, y, W1, b1, W2, b2):
        z1 = x @ W1 + b1
        z2 = np.tanh(z1) @ W2 + b2
        delta2 = sigmoid(z2) - y
        if output_slope:
            delta2 = delta2 * sigmoid_prime(z2)
        slope = 1 - np.tanh(z1) ** 2 if hidden_slope is None else hidden_slope(z1)
        delta1 = (delta2 @ W2.T) * slope
        return (np.outer(delta1, x) if transposed else np.outer(x, delta1)), delta1

    return wrong


def test_tanh_gradients_accepts_the_solution_which_passes_a_gradient_check():
    assert check_tanh_gradients(tanh_gradients)

    def cost(_):
        return 0.5 * np.sum((sigmoid(np.tanh(x @ W1 + b1) @ W2 + b2) - y) ** 2)

    dW1, db1 = tanh_gradients(x, y, W1, b1, W2, b2)
    assert relative_error(dW1, numerical_gradient(cost, W1)) < 1e-7
    assert relative_error(db1, numerical_gradient(cost, b1)) < 1e-7


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (
            tanh_variant(hidden_slope=sigmoid_prime),
            "you used the sigmoid's derivative in the hidden",
        ),
        (tanh_variant(hidden_slope=lambda z: 1 - z**2), "you used 1 − z1²"),
        (tanh_variant(output_slope=False), "δ2 lacks σ'(z2)"),
        (tanh_variant(hidden_slope=np.ones_like), "δ1 lacks the hidden layer's derivative"),
        (
            tanh_variant(transposed=True),
            "dW1 has shape (2, 3) but W1 has shape (3, 2) (on a 3-2-1 network)",
        ),
        (lambda *args: tanh_gradients(*args)[0], "should return the pair (dW1, db1), got ndarray"),
        (unfinished, "your tanh_gradients is not written yet (it raises NotImplementedError)"),
        (returns_none, "your tanh_gradients returned None: did you forget a return?"),
    ],
)
def test_tanh_gradients_names_the_mistake(answer, hint):
    assert_hint(check_tanh_gradients(answer), hint)


def test_tanh_gradients_transposed_on_the_square_network_is_caught_by_its_values():
    # On the 2-2-1 network a transposed dW1 has the right shape; the values give it away.
    def transposes_only_square(x, y, W1, b1, W2, b2):
        dW1, db1 = tanh_gradients(x, y, W1, b1, W2, b2)
        return (dW1.T if W1.shape[0] == W1.shape[1] else dW1), db1

    assert_hint(
        check_tanh_gradients(transposes_only_square),
        "dW1 is the transpose of ∂C/∂W1 (on a 2-2-1 network)",
    )


# ------------------------------------------------------------------------------ exercise 2


def two_paths(x, y, W1, b1, W2, b2):
    z1 = x @ W1 + b1
    z2 = sigmoid(z1) @ W2 + b2
    a2 = sigmoid(z2)
    return [
        (a2[k] - y[k]) * sigmoid_prime(z2[k]) * W2[0, k] * sigmoid_prime(z1[0]) * x[1]
        for k in range(2)
    ]


def path_variant(row=0, unit=0, source=1, output_slope=True, outputs=(0, 1)):
    def wrong(x, y, W1, b1, W2, b2):
        z1 = x @ W1 + b1
        z2 = sigmoid(z1) @ W2 + b2
        a2 = sigmoid(z2)
        slope = sigmoid_prime(z2) if output_slope else np.ones(2)
        return [
            (a2[k] - y[k]) * slope[k] * W2[row, k] * sigmoid_prime(z1[unit]) * x[source]
            for k in outputs
        ]

    return wrong


def test_two_paths_accepts_the_solution_whose_sum_is_the_gradient():
    assert check_two_paths(two_paths)
    W2_two, b2_two, y_two = np.array([[1.5, 0.4], [-1.0, 0.7]]), np.array([0.2, -0.3]), [0, 1]

    def cost(_):
        return 0.5 * np.sum((sigmoid(sigmoid(x @ W1 + b1) @ W2_two + b2_two) - y_two) ** 2)

    total = sum(two_paths(x, np.array(y_two), W1, b1, W2_two, b2_two))
    assert np.isclose(total, numerical_gradient(cost, W1)[1, 0], rtol=1e-7)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (path_variant(row=1), "you used W2[1, k]: W1[1, 0] feeds hidden unit 0"),
        (path_variant(unit=1), "you used σ'(z1[1])"),
        (path_variant(source=0), "you used x[0]: W1[1, 0] multiplies input x[1]"),
        (path_variant(output_slope=False), "each path needs the output's slope σ'(z2[k])"),
        (path_variant(outputs=(0, 0)), "both of your paths are the one through output 0"),
        (path_variant(outputs=(1, 0)), "your two paths are in the wrong order"),
        (lambda *args: sum(two_paths(*args)), "two_paths returned one number"),
        (
            lambda *args: two_paths(*args) + [0.0],
            "should return two numbers, one per output, got 3",
        ),
        (unfinished, "your two_paths is not written yet (it raises NotImplementedError)"),
        (returns_none, "your two_paths returned None: did you forget a return?"),
    ],
)
def test_two_paths_names_the_mistake(answer, hint):
    assert_hint(check_two_paths(answer), hint)


# ------------------------------------------------------------------------------ exercise 3


def buggy_gradients(x, y, W1, b1, W2, b2):
    z1 = x @ W1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2
    delta2 = (sigmoid(z2) - y) * sigmoid_prime(z2)
    delta1 = (delta2 @ W2.T) * sigmoid_prime(z1)
    return {"W1": np.outer(delta1, x), "b1": delta1, "W2": np.outer(a1, delta2), "b2": delta2}


def fixed_gradients(x, y, W1, b1, W2, b2):
    grads = buggy_gradients(x, y, W1, b1, W2, b2)
    grads["W1"] = grads["W1"].T
    return grads


def test_fixed_gradients_accepts_the_solution_which_passes_a_gradient_check():
    assert check_fixed_gradients("W1", fixed_gradients)

    def cost(_):
        return 0.5 * np.sum((sigmoid(sigmoid(x @ W1 + b1) @ W2 + b2) - y) ** 2)

    grads = fixed_gradients(x, y, W1, b1, W2, b2)
    for key, param in {"W1": W1, "b1": b1, "W2": W2, "b2": b2}.items():
        assert relative_error(grads[key], numerical_gradient(cost, param)) < 1e-7


def transposes_only_square(x, y, W1, b1, W2, b2):
    grads = buggy_gradients(x, y, W1, b1, W2, b2)
    if W1.shape[0] == W1.shape[1]:
        grads["W1"] = grads["W1"].T
    return grads


@pytest.mark.parametrize(
    ("answers", "hint"),
    [
        (("W2", fixed_gradients), "the gradient of W2 from buggy_gradients is right"),
        (("w1", fixed_gradients), "wrong should be one of 'W1', 'b1', 'W2', 'b2', got 'w1'"),
        ((..., fixed_gradients), "wrong should be one of"),
        (
            ("W1", buggy_gradients),
            "fixed_gradients(...)['W1'] is still the transpose of ∂C/∂W1 (on a 2-2-1 network)",
        ),
        (
            ("W1", transposes_only_square),
            "fixed_gradients(...)['W1'] has shape (4, 3) but W1 has shape (3, 4) (on a 3-4-2 "
            "network): the bug is still there",
        ),
        (
            ("W1", lambda *args: {k: v for k, v in fixed_gradients(*args).items() if k != "b2"}),
            "should return a dict with keys W1, b1, W2, b2, got ['W1', 'W2', 'b1']",
        ),
        (
            ("W1", lambda *args: fixed_gradients(*args) | {"b2": np.zeros(args[5].shape)}),
            "fixed_gradients(...)['b2'] on a 2-2-1 network is 0 at index (0,)",
        ),
        (("W1", unfinished), "your fixed_gradients is not written yet"),
        (("W1", returns_none), "your fixed_gradients returned None: did you forget a return?"),
    ],
)
def test_fixed_gradients_names_the_mistake(answers, hint):
    assert_hint(check_fixed_gradients(*answers), hint)
