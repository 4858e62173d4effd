"""The exercise checks of lesson 08: right answers pass, realistic mistakes get the right hint."""

import numpy as np
import pytest
from exercise_answers import returns_none, unfinished

from neuronet.course.checks import check_adam_step, check_nesterov_step, check_rmsprop_lr

# --- answers to ex-08-1 ---------------------------------------------------------------------


def nesterov_step(theta, v, grad, lr, mu):
    v = mu * v - lr * grad(theta + mu * v)
    return theta + v, v


def nesterov_step_other_convention(theta, v, grad, lr, mu):
    # v stores the running sum of gradients, as in PyTorch: same theta, different v
    v = mu * v + grad(theta - lr * mu * v)
    return theta - lr * v, v


def classical_momentum(theta, v, grad, lr, mu):
    v = mu * v - lr * grad(theta)
    return theta + v, v


def stale_velocity(theta, v, grad, lr, mu):
    theta = theta + v  # moves with the old velocity, then updates it
    v = mu * v - lr * grad(theta + mu * v)
    return theta, v


def uphill(theta, v, grad, lr, mu):
    v = mu * v + lr * grad(theta + mu * v)
    return theta + v, v


def no_momentum_in_look_ahead(theta, v, grad, lr, mu):
    v = mu * v - lr * grad(theta + v)  # look-ahead with v instead of mu v
    return theta + v, v


def test_nesterov_accepts_the_look_ahead_rule_in_either_convention():
    for answer in (nesterov_step, nesterov_step_other_convention):
        feedback = check_nesterov_step(answer)
        assert feedback, str(feedback)
        assert "look-ahead points θ + μv are exactly the iterates of neuronet's Nesterov" in str(
            feedback
        )


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (classical_momentum, "is that of classical momentum: you took the gradient at θ"),
        (stale_velocity, "your first step did not move θ (η = 0.05, μ = 0.9)"),
        (uphill, "your first step goes uphill"),
        (no_momentum_in_look_ahead, "θ after step 2 (η = 0.05, μ = 0.9) is "),
        (unfinished, "your nesterov_step is not written yet (it raises NotImplementedError)"),
        (returns_none, "your nesterov_step returned None: did you forget a return?"),
        (lambda *args: args[0], "nesterov_step should return the tuple (theta, v), got a ndarray"),
        (
            lambda theta, v, grad, lr, mu: (theta[:1], v),
            "theta after step 1 (η = 0.05, μ = 0.9) has shape (1,) but should have shape (2,)",
        ),
    ],
)
def test_nesterov_rejects_mistakes_with_a_hint(answer, hint):
    feedback = check_nesterov_step(answer)
    assert not feedback
    assert hint in str(feedback)


# --- answers to ex-08-2 ---------------------------------------------------------------------


def adam_step(theta, m, v, grad, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_variant(correct_m=True, correct_v=True, eps_inside=False, t_from_zero=False, hat=False):
    """A realistic wrong Adam."""

    def step(theta, m, v, grad, t, lr, beta1, beta2, eps):
        t = t - 1 if t_from_zero else t
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        m_hat = m / (1 - beta1**t) if correct_m else m
        v_hat = v / (1 - beta2**t) if correct_v else v
        scale = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
        new_theta = theta - lr * m_hat / scale
        return (new_theta, m_hat, v_hat) if hat else (new_theta, m, v)

    return step


def test_adam_accepts_algorithm_1():
    feedback = check_adam_step(adam_step)
    assert feedback, str(feedback)
    assert str(feedback).startswith("Correct: your Adam matches neuronet's for 6 steps")


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (
            adam_variant(correct_m=False),
            "your m̂ is missing the bias correction m̂ = m / (1 − β1^t): on the first step m̂ "
            "should equal the gradient, so the first step should move each parameter by about "
            "lr = 0.1; yours moved them by about 0.1 lr",
        ),
        (
            adam_variant(correct_v=False),
            "your v̂ is missing the bias correction v̂ = v / (1 − β2^t)",
        ),
        (adam_variant(correct_v=False), "yours moved them by about 31.6 lr"),
        (
            adam_variant(correct_m=False, correct_v=False),
            "neither m nor v is bias-corrected: divide them by 1 − β1^t and 1 − β2^t",
        ),
        (adam_variant(eps_inside=True), "because ε is inside the square root"),
        (adam_variant(t_from_zero=True), "Is your t counted from 0?"),
        (adam_variant(hat=True), "you returned the bias-corrected m̂ after step t = 1"),
        (unfinished, "your adam_step is not written yet (it raises NotImplementedError)"),
        (returns_none, "your adam_step returned None: did you forget a return?"),
        (
            lambda theta, m, v, grad, t, lr, b1, b2, eps: (theta, m),
            "adam_step should return the tuple (theta, m, v), got a tuple of length 2",
        ),
    ],
)
def test_adam_rejects_mistakes_with_a_hint(answer, hint):
    with np.errstate(all="ignore"):  # the t-from-zero answer divides by zero
        feedback = check_adam_step(answer)
    assert not feedback
    assert hint in str(feedback)


def test_adam_hints_at_swapped_betas_and_otherwise_names_the_first_value_that_differs():
    def beta_swapped(theta, m, v, grad, t, lr, beta1, beta2, eps):
        return adam_step(theta, m, v, grad, t, lr, beta2, beta1, eps)

    feedback = check_adam_step(beta_swapped)
    assert str(feedback) == (
        "Not yet: m after step t = 1 was averaged with the other β: the gradient's average m "
        "uses β1 = 0.9 and the squared gradient's average v uses β2 = 0.999"
    )

    def half_step(theta, m, v, grad, t, lr, beta1, beta2, eps):
        new_theta, m, v = adam_step(theta, m, v, grad, t, lr, beta1, beta2, eps)
        return (theta + new_theta) / 2, m, v

    feedback = check_adam_step(half_step)
    # theta[0] = 1 with gradient 1e-3: the right step is 0.1 * 1e-3 / (1e-3 + 1e-8) = 0.099999
    assert str(feedback) == "Not yet: θ after step t = 1 is 0.95 at index (0,), expected 0.900001"


# --- answers to ex-08-3 ---------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0.02, 0.035, 0.06])
def test_rmsprop_accepts_rates_in_the_window(lr):
    feedback = check_rmsprop_lr(lr)
    assert feedback, str(feedback)
    assert "below 0.01" in str(feedback)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (0.005, "η = 0.005 is too small: after 200 steps the cost is still"),
        (0.01, "so η must be at least about 2.5/200 = 0.0125"),
        (0.2, "η = 0.2 is too large: the cost fell below 0.01 at step"),
        (1.0, "the iterates rattle around the minimum at a distance of the order of η"),
        (-0.1, "rmsprop_lr is -0.1; a learning rate must be a positive finite number"),
        (float("nan"), "rmsprop_lr is nan; a learning rate must be a positive finite number"),
        (None, "rmsprop_lr is None: replace it with your learning rate"),
        (..., "rmsprop_lr is Ellipsis: replace it with your learning rate"),
        ("0.03", "rmsprop_lr should be a number, got str"),
        (True, "rmsprop_lr should be a number, got bool"),
        (unfinished, "rmsprop_lr should be a number, got function"),
    ],
)
def test_rmsprop_rejects_rates_outside_the_window_with_a_hint(answer, hint):
    feedback = check_rmsprop_lr(answer)
    assert not feedback
    assert hint in str(feedback)


def test_the_window_is_where_the_rule_says():
    # computed here without the check: RMSProp by hand on the bowl, 200 steps
    def worst_of_last_20(lr):
        x, e = np.array([-2.5, 1.5]), np.zeros(2)
        costs = []
        for _ in range(200):
            g = np.array([x[0], 10 * x[1]])
            e = 0.9 * e + (1 - 0.9) * (g * g)
            x = x - g / (np.sqrt(e) + 1e-8) * lr
            costs.append(0.5 * (x[0] ** 2 + 10 * x[1] ** 2))
        return max(costs[-20:])

    for lr in [0.005, 0.01, 0.02, 0.035, 0.06, 0.2, 1.0]:
        assert bool(check_rmsprop_lr(lr)) == (worst_of_last_20(lr) < 0.01), lr
