"""Tests of neuronet.layers.Dense: forward by hand, backward against finite differences."""

import numpy as np
import pytest

from neuronet.activations import LeakyReLU
from neuronet.gradcheck import numerical_gradient, relative_error
from neuronet.layers import Dense

DIFFERENTIABLE = ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"]


def test_forward_by_hand():
    layer = Dense(2, 2, activation="relu")
    layer.params["W"][...] = [[1.0, -2.0], [0.5, 1.0]]
    layer.params["b"][...] = [0.25, -1.0]
    # z = [3*1 + 4*0.5 + 0.25, 3*(-2) + 4*1 - 1] = [5.25, -3]; relu -> [5.25, 0]
    out = layer.forward(np.array([[3.0, 4.0]]))
    np.testing.assert_array_equal(out, [[5.25, 0.0]])


def _layer_and_data(activation, seed=0):
    rng = np.random.default_rng(seed)
    layer = Dense(4, 3, activation=activation, init="xavier", seed=seed)
    layer.params["b"][...] = rng.uniform(-0.5, 0.5, 3)
    X = rng.standard_normal((5, 4))
    R = rng.standard_normal((5, 3))  # the loss is L = sum(R * A), so dL/dA = R
    return layer, X, R


@pytest.mark.parametrize("activation", DIFFERENTIABLE)
def test_backward_matches_finite_differences(activation):
    layer, X, R = _layer_and_data(activation)
    layer.forward(X)
    # The check is only valid away from the ReLU kink: no pre-activation within 1e-3 of 0.
    assert np.abs(X @ layer.params["W"] + layer.params["b"]).min() > 1e-3
    dX = layer.backward(R)
    dW, db = layer.grads["W"].copy(), layer.grads["b"].copy()

    def loss(_):
        return float(np.sum(R * layer.forward(X)))

    assert relative_error(dW, numerical_gradient(loss, layer.params["W"], eps=1e-5)) < 1e-6
    assert relative_error(db, numerical_gradient(loss, layer.params["b"], eps=1e-5)) < 1e-6
    assert relative_error(dX, numerical_gradient(loss, X, eps=1e-5)) < 1e-6


def test_leaky_relu_with_custom_alpha_backward():
    layer, X, R = _layer_and_data(LeakyReLU(alpha=0.3))
    layer.forward(X)
    dX = layer.backward(R)
    z = X @ layer.params["W"] + layer.params["b"]
    delta = R * np.where(z > 0, 1.0, 0.3)
    np.testing.assert_allclose(layer.grads["W"], X.T @ delta, rtol=1e-12)
    np.testing.assert_allclose(dX, delta @ layer.params["W"].T, rtol=1e-12)


def test_step_cannot_backpropagate():
    layer = Dense(2, 2, activation="step")
    layer.forward(np.ones((1, 2)))
    with pytest.raises(ValueError, match="zero derivative almost everywhere"):
        layer.backward(np.ones((1, 2)))


@pytest.mark.parametrize("activation", DIFFERENTIABLE)
def test_backward_twice_gives_identical_results(activation):
    layer, X, R = _layer_and_data(activation)
    layer.forward(X)
    dX1 = layer.backward(R)
    grads1 = {k: v.copy() for k, v in layer.grads.items()}
    dX2 = layer.backward(R)
    np.testing.assert_array_equal(dX1, dX2)
    for key in grads1:
        np.testing.assert_array_equal(layer.grads[key], grads1[key])


def test_gradients_are_replaced_not_accumulated():
    layer, X, R = _layer_and_data("tanh")
    layer.forward(X)
    layer.backward(R)
    first = layer.grads["W"].copy()
    layer.backward(2 * R)
    np.testing.assert_allclose(layer.grads["W"], 2 * first, rtol=1e-12)


def test_need_input_grad_false_skips_dx_only():
    layer, X, R = _layer_and_data("sigmoid")
    layer.forward(X)
    layer.backward(R)
    expected = {k: v.copy() for k, v in layer.grads.items()}
    assert layer.backward(R, need_input_grad=False) is None
    for key in expected:
        np.testing.assert_array_equal(layer.grads[key], expected[key])


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="forward must be called first"):
        Dense(3, 2).backward(np.ones((1, 2)))


def test_input_shape_error_names_layer_and_shapes():
    layer = Dense(784, 256)
    expected = r"Dense\(784→256\) expected input of shape \(batch, 784\), got \(32, 785\)"
    with pytest.raises(ValueError, match=expected):
        layer.forward(np.zeros((32, 785)))
    with pytest.raises(ValueError, match=r"Dense\(784→256\) expected input .* got \(784,\)"):
        layer.forward(np.zeros(784))


def test_grad_output_shape_error_names_layer_and_shapes():
    layer = Dense(4, 3)
    layer.forward(np.ones((5, 4)))
    with pytest.raises(
        ValueError,
        match=r"Dense\(4→3\) expected grad_output of shape \(5, 3\).*"
        r"got \(5, 2\)",
    ):
        layer.backward(np.ones((5, 2)))


def test_non_finite_input_rejected():
    X = np.ones((2, 3))
    X[1, 2] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        Dense(3, 2).forward(X)


def test_float32_preserved_everywhere():
    layer = Dense(4, 3, activation="tanh", dtype=np.float32, seed=0)
    out = layer.forward(np.ones((2, 4)))  # float64 input is cast once
    dX = layer.backward(np.ones((2, 3)))
    assert out.dtype == np.float32
    assert dX.dtype == np.float32
    assert layer.grads["W"].dtype == np.float32
    assert layer.grads["b"].dtype == np.float32


def test_parameters_and_seed():
    a, b = Dense(5, 2, seed=3), Dense(5, 2, seed=3)
    np.testing.assert_array_equal(a.params["W"], b.params["W"])
    assert a.params["W"].shape == (5, 2)
    assert a.params["b"].shape == (2,)
    assert not a.params["b"].any()
    assert not np.array_equal(a.params["W"], Dense(5, 2, seed=4).params["W"])


def test_repr():
    assert repr(Dense(3, 2, activation="sigmoid", init="xavier")) == (
        "Dense(3→2, activation='sigmoid', init='xavier', dtype=float64)"
    )


def test_bad_construction():
    with pytest.raises(ValueError, match="n_out must be a positive integer"):
        Dense(3, 0)
    with pytest.raises(ValueError, match="unknown activation 'relux'"):
        Dense(3, 2, activation="relux")
    with pytest.raises(ValueError, match="dtype must be a floating type"):
        Dense(3, 2, dtype=np.int32)
