"""The checks of lesson 01's exercises accept the solutions and name realistic mistakes."""

import numpy as np
import pytest
from exercise_answers import assert_hint, returns_none, unfinished

from neuronet.course.checks import check_nand_xor, check_perceptron, check_scaled
from neuronet.course.explore.lesson01 import gate_data
from neuronet.neuron import Neuron

CORNERS, _ = gate_data("AND")


def step_neuron(w, b, activation="step"):
    neuron = Neuron(2, activation=activation)
    neuron.w, neuron.b = w, b
    return neuron


AND = step_neuron([1.0, 1.0], -1.5)
OR = step_neuron([1.0, 1.0], -0.5)
NAND = step_neuron([-1.0, -1.0], 1.5)


def xor_from(nand, output=AND):
    return output(np.column_stack([OR(CORNERS), nand(CORNERS)]))


# ------------------------------------------------------------------------------ exercise 1


def test_nand_xor_accepts_the_solution():
    feedback = check_nand_xor(NAND, xor_from(NAND))
    assert feedback, str(feedback)
    assert np.array_equal(xor_from(NAND), gate_data("XOR")[1])  # the reference is right


@pytest.mark.parametrize(
    ("nand", "xor", "hint"),
    [
        (AND, xor_from(NAND), "your nand_neuron computes AND, not NAND"),
        (
            step_neuron([-1.0, -1.0], 2.5),
            xor_from(NAND),
            "your nand_neuron gives 1 for inputs (1, 1), where NAND is 0: there z = w1 + w2 + b "
            "must be negative",
        ),
        (
            step_neuron([-1.0, -1.0], 0.5),
            xor_from(NAND),
            "your nand_neuron gives 0 for inputs (0, 1), where NAND is 1: there z = w2 + b must "
            "be zero or more",
        ),
        (NAND, xor_from(NAND, output=OR), "xor_output is 1 for inputs (0, 0), where XOR is 0"),
        (NAND, AND(CORNERS), "xor_output is the truth table of AND, not XOR"),
        (NAND, xor_from(NAND)[:3], "xor_output has shape (3,)"),
        (NAND, None, "xor_output is None: compute it with and_neuron in the cell above"),
        (
            step_neuron([-1.0, -1.0], 1.5, "sigmoid"),
            xor_from(NAND),
            "should hold 0s and 1s (a step neuron's outputs)",
        ),
    ],
)
def test_nand_xor_names_the_mistake(nand, xor, hint):
    assert_hint(check_nand_xor(nand, xor), hint)


def test_nand_xor_rejects_an_unfinished_or_empty_neuron():
    assert_hint(
        check_nand_xor(unfinished, None),
        "your nand_neuron is not written yet (it raises NotImplementedError)",
    )
    assert_hint(
        check_nand_xor(returns_none, None),
        "your nand_neuron returned None: did you forget a return?",
    )


# ------------------------------------------------------------------------------ exercise 2


def scaled(neuron, c, activation="step"):
    copy = Neuron(neuron.n_inputs, activation=activation)
    copy.w, copy.b = c * neuron.w, c * neuron.b
    return copy


def scaled_in_place(neuron, c, activation="step"):
    neuron.w, neuron.b = c * neuron.w, c * neuron.b
    return neuron


def scaled_weights_only(neuron, c, activation="step"):
    copy = Neuron(2, activation=activation)
    copy.w, copy.b = c * neuron.w, neuron.b
    return copy


def scaled_always_step(neuron, c, activation="step"):
    return scaled(neuron, c)


def scaled_by_absolute_value(neuron, c, activation="step"):
    return scaled(neuron, abs(c), activation)


def scaled_returns_weights(neuron, c, activation="step"):
    return c * neuron.w


def test_scaled_accepts_the_solution():
    assert check_scaled(scaled)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (scaled_in_place, "scaled(neuron, 3.0) changed the neuron you gave it"),
        (
            scaled_weights_only,
            "the bias of scaled(neuron, 3.0) is still 0.4: multiply the bias by c too",
        ),
        (
            scaled_always_step,
            "scaled(neuron, 10.0, activation='sigmoid') still gives 0s and 1s like a step: pass "
            "the activation on",
        ),
        (
            scaled_by_absolute_value,
            "the weights of scaled(neuron, -2.0) for w = [ 0.7 -1.3] is 1.4 at index (0,), "
            "expected -1.4",
        ),
        (scaled_returns_weights, "scaled(neuron, 3.0) should return a Neuron, got ndarray"),
        (unfinished, "your scaled is not written yet (it raises NotImplementedError)"),
        (returns_none, "your scaled returned None: did you forget a return?"),
    ],
)
def test_scaled_names_the_mistake(answer, hint):
    assert_hint(check_scaled(answer), hint)


# ------------------------------------------------------------------------------ exercise 3


def perceptron(X, y, w, b, lr=0.1, epochs=10):
    w = np.array(w, dtype=float)
    for _ in range(epochs):
        for x_i, y_i in zip(X, y, strict=True):
            y_hat = 1.0 if w @ x_i + b >= 0 else 0.0
            w = w + lr * (y_i - y_hat) * x_i
            b = b + lr * (y_i - y_hat)
    return w, b


def variant(*, strict=False, update_bias=True, sign=1.0, copy=True, passes=None, batch=False):
    """The perceptron written with one realistic mistake."""

    def wrong(X, y, w, b, lr=0.1, epochs=10):
        w = np.array(w, dtype=float) if copy else w
        for _ in range(epochs if passes is None else passes):
            dw, db = np.zeros_like(w), 0.0  # the corrections of one epoch, for batch=True
            for x_i, y_i in zip(X, y, strict=True):
                z = w @ x_i + b
                y_hat = 1.0 if (z > 0 if strict else z >= 0) else 0.0
                if batch:
                    dw, db = dw + lr * (y_i - y_hat) * x_i, db + lr * (y_i - y_hat)
                    continue
                w += sign * lr * (y_i - y_hat) * x_i
                if update_bias:
                    b = b + sign * lr * (y_i - y_hat)
            w, b = w + dw, b + db
        return w, b

    return wrong


def test_perceptron_accepts_the_solution_and_matches_neuronet_by_hand():
    assert check_perceptron(perceptron)
    # the reference against a hand computation: OR from zero weights, lr = 0.1, one epoch
    X, y = gate_data("OR")
    w, b = perceptron(X, y, [0.0, 0.0], 0.0, lr=0.1, epochs=1)
    # (0,0): z = 0 -> yes, wrong -> b = -0.1; (0,1): z = -0.1 -> no, wrong -> w2 = b = 0;
    # (1,0): z = 0 -> yes, right; (1,1): z = 0.1 -> yes, right
    assert np.allclose(w, [0.0, 0.1]) and np.isclose(b, 0.0)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (
            variant(strict=True),
            "your perceptron goes wrong: it predicts 0 when w·x + b = 0: the step neuron says 1 "
            "when w·x + b ≥ 0",
        ),
        (variant(update_bias=False), "it never changes b: the rule also updates b"),
        (variant(sign=-1.0), "its updates have the wrong sign: the rule adds lr (y − ŷ) x"),
        (variant(passes=1), "it makes a single pass over the examples: repeat it epochs times"),
        (variant(copy=False), "your perceptron changed the array w passed to it"),
        (variant(batch=True), "it adds up the corrections over an epoch before applying them"),
        (lambda X, y, w, b, lr, epochs: np.zeros(2), "should return the pair (w, b), got ndarray"),
        (unfinished, "your perceptron is not written yet (it raises NotImplementedError)"),
        (returns_none, "your perceptron returned None: did you forget a return?"),
    ],
)
def test_perceptron_names_the_mistake(answer, hint):
    assert_hint(check_perceptron(answer), hint)


def test_perceptron_reports_the_expected_weights_when_no_known_mistake_fits():
    X, y = gate_data("AND")
    w_right, _ = perceptron(X, y, [-1.0, -1.0], 0.5, lr=0.5, epochs=8)
    feedback = check_perceptron(lambda X, y, w, b, lr, epochs: (np.zeros(2), 0.0))
    assert_hint(
        feedback,
        "the weights w after training on AND from w = (-1, -1), b = 0.5, lr = 0.5, 8 epochs is 0 "
        f"at index (0,), expected {w_right[0]:.6g}",
    )
