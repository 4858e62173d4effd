"""Tests of neuronet.optimizers.

The first steps of every optimizer are checked against numbers worked out by hand from the
update rule of its paper; behaviour (convergence, speed-ups, stability) is checked on the
surfaces of neuronet.landscapes.
"""

import math

import numpy as np
import pytest

from neuronet.implicit import ImplicitSGD
from neuronet.landscapes import bowl, descend, rosenbrock, saddle
from neuronet.optimizers import (
    OPTIMIZERS,
    SGD,
    AdaGrad,
    Adam,
    AveragedSGD,
    Momentum,
    Nesterov,
    Optimizer,
    RMSProp,
    get_optimizer,
)

# A tiny sequence used for the hand computations: one scalar parameter starting at 1.0 and the
# gradients 0.5, then -0.2, then 0.4.
G1, G2, G3 = 0.5, -0.2, 0.4


def run(opt, grads, p0=1.0):
    """Step ``opt`` on a one-element float64 parameter and return the values after each step."""
    p = np.array([p0])
    values = []
    for g in grads:
        opt.step([p], [np.array([g])])
        values.append(p[0])
    return values


# ---------------------------------------------------------------- first steps, by hand


def test_sgd_first_steps_by_hand():
    lr = 0.1
    values = run(SGD(lr), [G1, G2, G3])
    # p <- p - lr g: 1 - 0.05 = 0.95; 0.95 + 0.02 = 0.97; 0.97 - 0.04 = 0.93
    assert values == pytest.approx([0.95, 0.97, 0.93], rel=1e-15)


def test_momentum_first_steps_by_hand():
    values = run(Momentum(0.1, momentum=0.9), [G1, G2, G3])
    # v1 = -0.1*0.5 = -0.05;            p1 = 1 - 0.05 = 0.95
    # v2 = 0.9*(-0.05) + 0.02 = -0.025; p2 = 0.95 - 0.025 = 0.925
    # v3 = 0.9*(-0.025) - 0.04 = -0.0625; p3 = 0.925 - 0.0625 = 0.8625
    assert values == pytest.approx([0.95, 0.925, 0.8625], rel=1e-14)


def test_nesterov_first_steps_by_hand():
    values = run(Momentum(0.1, momentum=0.9, nesterov=True), [G1, G2, G3])
    # v <- mu v - lr g; p <- p + mu v - lr g
    # v1 = -0.05;    p1 = 1 + 0.9*(-0.05) - 0.05 = 0.905
    # v2 = -0.025;   p2 = 0.905 + 0.9*(-0.025) + 0.02 = 0.9025
    # v3 = -0.0625;  p3 = 0.9025 + 0.9*(-0.0625) - 0.04 = 0.80625
    assert values == pytest.approx([0.905, 0.9025, 0.80625], rel=1e-14)


def test_nesterov_equals_the_look_ahead_form():
    """Sutskever et al.'s form, gradient at theta + mu v, gives phi = theta + mu v."""
    lr, mu = 0.02, 0.9
    theta = bowl.start.copy()
    v = np.zeros(2)
    phi = bowl.start.copy()
    opt = Nesterov(lr, momentum=mu)
    for _ in range(25):
        v = mu * v - lr * bowl.gradient(theta + mu * v)
        theta = theta + v
        opt.step([phi], [bowl.gradient(phi)])
        np.testing.assert_allclose(phi, theta + mu * v, rtol=1e-12, atol=1e-15)


def test_momentum_zero_is_sgd():
    assert run(Momentum(0.1, momentum=0.0), [G1, G2, G3]) == pytest.approx(
        run(SGD(0.1), [G1, G2, G3]), rel=1e-15
    )


def test_adagrad_first_steps_by_hand():
    lr, eps = 0.1, 1e-8
    values = run(AdaGrad(lr, eps=eps), [G1, G2])
    # G1 = 0.25: the first step is lr g / (|g| + eps), i.e. lr * sign(g) up to eps
    p1 = 1.0 - lr * 0.5 / (0.5 + eps)
    # G2 = 0.25 + 0.04 = 0.29
    p2 = p1 + lr * 0.2 / (math.sqrt(0.29) + eps)
    assert values == pytest.approx([p1, p2], rel=1e-14)
    assert values[0] == pytest.approx(0.9, abs=1e-8)


def test_rmsprop_first_steps_by_hand():
    lr, rho, eps = 0.01, 0.9, 1e-8
    values = run(RMSProp(lr, rho=rho, eps=eps), [G1, G2])
    # E1 = 0.1 * 0.25 = 0.025: the first step is lr / sqrt(1 - rho) * sign(g) up to eps
    p1 = 1.0 - lr * 0.5 / (math.sqrt(0.025) + eps)
    # E2 = 0.9 * 0.025 + 0.1 * 0.04 = 0.0265
    p2 = p1 + lr * 0.2 / (math.sqrt(0.0265) + eps)
    assert values == pytest.approx([p1, p2], rel=1e-14)
    assert 1.0 - values[0] == pytest.approx(lr / math.sqrt(0.1), rel=1e-7)


def test_adam_first_steps_by_hand():
    lr, eps = 0.1, 1e-8
    values = run(Adam(lr, beta1=0.9, beta2=0.999, eps=eps), [G1, G2, G3])
    # step 1: m = 0.1*0.5 = 0.05, v = 0.001*0.25 = 0.00025
    #         m_hat = 0.05/0.1 = 0.5, v_hat = 0.00025/0.001 = 0.25
    p1 = 1.0 - lr * 0.5 / (math.sqrt(0.25) + eps)
    # step 2: m = 0.9*0.05 - 0.1*0.2 = 0.025, v = 0.999*0.00025 + 0.001*0.04 = 0.00028975
    #         m_hat = 0.025/(1 - 0.9**2) = 0.025/0.19, v_hat = 0.00028975/(1 - 0.999**2)
    p2 = p1 - lr * (0.025 / 0.19) / (math.sqrt(0.00028975 / 0.001999) + eps)
    # step 3: m = 0.9*0.025 + 0.1*0.4 = 0.0625,
    #         v = 0.999*0.00028975 + 0.001*0.16 = 0.00044946025
    c1 = 1.0 - 0.9**3
    c2 = 1.0 - 0.999**3
    p3 = p2 - lr * (0.0625 / c1) / (math.sqrt(0.00044946025 / c2) + eps)
    assert values == pytest.approx([p1, p2, p3], rel=1e-12)


def test_adam_moments_are_the_papers_moving_averages():
    """The state keeps discounted sums; moments() gives m and v of Algorithm 1 by hand."""
    opt = Adam(0.1, beta1=0.9, beta2=0.999)
    run(opt, [G1, G2, G3])
    ((m, v),) = opt.moments()
    # the values of step 3 in test_adam_first_steps_by_hand
    assert float(m[0]) == pytest.approx(0.0625, rel=1e-13)
    assert float(v[0]) == pytest.approx(0.00044946025, rel=1e-13)
    assert Adam().moments() == []


def test_adam_first_step_is_lr_times_sign_whatever_the_gradient_size():
    lr, eps = 0.01, 1e-8
    g = np.array([1e-3, -5.0, 200.0, -1e-2])
    p = np.zeros(4)
    Adam(lr, eps=eps).step(p, g)
    # bias correction makes m_hat = g and v_hat = g^2 on step 1: the step is lr g / (|g| + eps)
    np.testing.assert_allclose(p, -lr * g / (np.abs(g) + eps), rtol=1e-12)
    # which is lr * sign(g) to within eps / |g| <= 1e-5 relative
    np.testing.assert_allclose(p, -lr * np.sign(g), rtol=1.1e-5)


def test_averaged_sgd_is_the_mean_of_the_iterates():
    rng = np.random.default_rng(0)
    grads = rng.standard_normal((12, 3))
    for start in (0, 4):
        opt = AveragedSGD(0.1, start=start)
        p = np.array([1.0, -2.0, 0.5])
        iterates = []
        for t, g in enumerate(grads, start=1):
            opt.step([p], [g])
            iterates.append(p.copy())
            expected = iterates[-1] if t <= start else np.mean(iterates[start:], axis=0)
            np.testing.assert_allclose(opt.averaged[0], expected, rtol=1e-12, atol=1e-14)
        # the parameters themselves are plain SGD iterates
        np.testing.assert_allclose(p, np.array([1.0, -2.0, 0.5]) - 0.1 * grads.sum(axis=0))


def test_adagrad_effective_step_shrinks_monotonically():
    opt = AdaGrad(0.5)
    assert opt.effective_lr() == []
    previous = None
    path = [np.array([-1.2, 1.0])]
    for _ in range(50):
        x = path[-1]
        opt.step(x, rosenbrock.gradient(x))
        current = opt.effective_lr()[0]
        assert current.shape == (2,)
        if previous is not None:
            assert np.all(current < previous)
        previous = current.copy()
    # and it is lr / (sqrt(sum of squared gradients) + eps)
    np.testing.assert_allclose(
        opt.effective_lr()[0], 0.5 / (np.sqrt(opt.state[0]["sum_squares"]) + 1e-8)
    )


# ---------------------------------------------------------------- convex quadratic

# Learning rates for the bowl f = (x^2 + 10 y^2)/2 (curvatures 1 and 10), from (-2.5, 1.5).
# SGD is stable for lr < 2/10; momentum's rate is smaller because mu = 0.9 multiplies the
# effective step by about 1/(1 - mu); Adam and RMSProp take steps of about lr.
BOWL_SETTINGS = [
    (SGD(0.15), 200),
    (Momentum(0.05, momentum=0.9), 300),
    (Nesterov(0.05, momentum=0.9), 300),
    (AveragedSGD(0.15), 200),
    (AdaGrad(1.0), 200),
    (RMSProp(1e-3), 3500),
    (Adam(0.1), 300),
]


@pytest.mark.parametrize(("opt", "steps"), BOWL_SETTINGS, ids=lambda v: repr(v))
def test_every_optimizer_converges_on_the_bowl(opt, steps):
    path = descend(bowl, bowl.start, opt, steps)
    assert np.linalg.norm(path[-1]) < 1e-3
    assert np.linalg.norm(path[0]) > 2.9


def test_rmsprop_ends_in_a_two_cycle_of_half_the_learning_rate():
    # Near the minimum E tracks g^2, so each step is lr * sign(g): x -> x - lr sign(x) settles
    # into the cycle x = +-lr/2 in each coordinate. A constant lr cannot get closer.
    lr = 1e-3
    path = descend(bowl, bowl.start, RMSProp(lr), 3500)
    np.testing.assert_allclose(np.abs(path[-20:]), lr / 2, rtol=1e-4)


def test_averaged_sgd_average_converges_on_the_bowl_after_burn_in():
    opt = AveragedSGD(0.15, start=50)
    descend(bowl, bowl.start, opt, 200)
    assert np.linalg.norm(opt.averaged[0]) < 1e-3


# ---------------------------------------------------------------- Rosenbrock and the saddle


def test_momentum_nesterov_adam_beat_sgd_on_rosenbrock():
    start, steps = (-1.2, 1.0), 2000
    # SGD gets every learning rate on this grid and keeps its best result; 2e-3 is about the
    # largest stable one (at 2.5e-3 it bounces between the valley walls).
    sgd_best = min(
        float(rosenbrock.f(descend(rosenbrock, start, SGD(lr), steps)[-1]))
        for lr in (5e-4, 1e-3, 2e-3)
    )
    # The others at their usual settings: mu = 0.9 with the SGD-sized lr 1e-3, Adam at 0.02.
    for opt in (Momentum(1e-3, momentum=0.9), Nesterov(1e-3, momentum=0.9), Adam(0.02)):
        value = float(rosenbrock.f(descend(rosenbrock, start, opt, steps)[-1]))
        assert value < sgd_best, opt


def steps_to_escape(opt, start=(0.0, 1e-3), steps=1000):
    """First step at which f < -0.5, halfway from the saddle (f = 0) down to the minima (-1)."""
    values = saddle.f(descend(saddle, start, opt, steps))
    below = np.flatnonzero(values < -0.5)
    assert below.size, f"{opt!r} did not escape the saddle in {steps} steps"
    return int(below[0])


def test_momentum_escapes_the_saddle_faster_than_sgd():
    lr, mu = 0.01, 0.9
    n_sgd = steps_to_escape(SGD(lr))
    n_momentum = steps_to_escape(Momentum(lr, momentum=mu))
    assert n_momentum < n_sgd
    # Linearized along y (curvature -2), SGD multiplies y by 1 + 2 lr per step while momentum
    # grows like the largest root of r^2 - (1 + mu + 2 lr) r + mu = 0; the escape times should
    # be in about the ratio of the logarithms of these growth rates (about 5).
    b = 1.0 + mu + 2.0 * lr
    r_momentum = (b + math.sqrt(b * b - 4.0 * mu)) / 2.0
    predicted = math.log(r_momentum) / math.log(1.0 + 2.0 * lr)
    assert n_sgd / n_momentum == pytest.approx(predicted, rel=0.15)


# ---------------------------------------------------------------- dtypes, state and errors


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_float32_stays_float32_and_matches_float64(name):
    rng = np.random.default_rng(2)
    shapes = [(6, 4), (4,)]
    p64 = [rng.standard_normal(s) for s in shapes]
    p32 = [p.astype(np.float32) for p in p64]
    opt64, opt32 = get_optimizer(name, lr=0.01), get_optimizer(name, lr=0.01)
    for _ in range(3):
        g64 = [rng.standard_normal(s) for s in shapes]
        opt64.step(p64, g64)
        opt32.step(p32, [g.astype(np.float32) for g in g64])
    for a32, a64 in zip(p32, p64, strict=True):
        assert a32.dtype == np.float32
        np.testing.assert_allclose(a32, a64, rtol=1e-5, atol=1e-6)
    for state in opt32.state:
        assert all(arr.dtype == np.float32 for arr in state.values())
    # float64 gradients on float32 parameters are cast, not upcast
    opt32.step(p32, g64)
    assert all(p.dtype == np.float32 for p in p32)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_mismatches_are_reported(name):
    opt = get_optimizer(name)
    params = [np.zeros((2, 3)), np.zeros(3)]
    with pytest.raises(ValueError, match=r"got 2 parameter array\(s\) but 1 gradient"):
        opt.step(params, [np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"grads\[1\] has shape \(2,\) but params\[1\] has \(3,\)"):
        opt.step(params, [np.zeros((2, 3)), np.zeros(2)])
    opt.step(params, [np.ones((2, 3)), np.ones(3)])
    with pytest.raises(ValueError, match=r"holds state for 2 parameter array\(s\) but got 1"):
        opt.step([np.zeros((2, 3))], [np.zeros((2, 3))])
    with pytest.raises(
        ValueError, match=r"params\[1\] has shape \(4,\) but .* holds state of shape \(3,\)"
    ):
        opt.step([np.zeros((2, 3)), np.zeros(4)], [np.zeros((2, 3)), np.zeros(4)])
    assert opt.t == 1
    opt.reset()
    assert opt.t == 0 and opt.state == []
    opt.step([np.zeros(4)], [np.ones(4)])
    assert opt.t == 1


def test_parameters_must_be_float_arrays():
    with pytest.raises(TypeError, match=r"params\[0\] must be a floating-point NumPy array.*int"):
        SGD(0.1).step([np.zeros(2, dtype=np.int64)], [np.ones(2)])
    with pytest.raises(TypeError, match=r"params\[0\] must be .* got list"):
        SGD(0.1).step([[0.0, 1.0]], [np.ones(2)])
    with pytest.raises(TypeError, match="params must be a list of NumPy arrays"):
        SGD(0.1).step(3.0, 1.0)


def test_bare_arrays_are_accepted():
    p = np.array([1.0, 2.0])
    SGD(0.5).step(p, np.array([2.0, -2.0]))
    np.testing.assert_array_equal(p, [0.0, 3.0])


def test_reset_restarts_from_scratch():
    opt = Adam(0.1)
    first = run(opt, [G1, G2])
    opt.reset()
    assert run(opt, [G1, G2]) == first


@pytest.mark.parametrize(
    ("factory", "match"),
    [
        (lambda: SGD(0), "lr must be a positive finite number, got 0"),
        (lambda: SGD(-0.1), "lr must be a positive finite number"),
        (lambda: SGD(float("nan")), "lr must be a positive finite number"),
        (lambda: SGD("0.1"), "lr must be a positive number, got '0.1'"),
        (lambda: Momentum(0.1, momentum=1.0), r"momentum must be in \[0, 1\), got 1.0"),
        (lambda: Momentum(0.1, momentum=-0.1), r"momentum must be in \[0, 1\)"),
        (lambda: Momentum(0.1, nesterov="yes"), "nesterov must be True or False"),
        (lambda: RMSProp(rho=0.0), r"rho must be in \(0, 1\), got 0.0"),
        (lambda: RMSProp(rho=1.0), r"rho must be in \(0, 1\)"),
        (lambda: RMSProp(eps=0.0), "eps must be a positive finite number"),
        (lambda: Adam(beta1=1.0), r"beta1 must be in \[0, 1\)"),
        (lambda: Adam(beta2=-0.5), r"beta2 must be in \[0, 1\)"),
        (lambda: Adam(beta2=True), r"beta2 must be a number in \[0, 1\)"),
        (lambda: Adam(eps=-1e-8), "eps must be a positive finite number"),
        (lambda: AdaGrad(eps=0), "eps must be a positive finite number"),
        (lambda: AveragedSGD(start=-1), "start must be a non-negative integer, got -1"),
        (lambda: AveragedSGD(start=1.5), "start must be a non-negative integer"),
    ],
)
def test_bad_hyperparameters_are_refused(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


def test_repr_shows_hyperparameters():
    assert repr(Adam()) == "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(Momentum(0.1)) == "Momentum(lr=0.1, momentum=0.9, nesterov=False)"
    assert repr(Nesterov(0.1, 0.5)) == "Nesterov(lr=0.1, momentum=0.5)"
    assert repr(AveragedSGD(0.2, start=10)) == "AveragedSGD(lr=0.2, start=10)"
    assert repr(RMSProp()) == "RMSProp(lr=0.001, rho=0.9, eps=1e-08)"
    assert repr(AdaGrad()) == "AdaGrad(lr=0.01, eps=1e-08)"
    assert repr(SGD(3)) == "SGD(lr=3.0)"


def test_registry_and_get_optimizer():
    assert set(OPTIMIZERS) == {
        "sgd",
        "momentum",
        "nesterov",
        "averaged_sgd",
        "adagrad",
        "rmsprop",
        "adam",
    }
    nesterov = get_optimizer("Nesterov", lr=0.05)
    assert isinstance(nesterov, Momentum) and nesterov.nesterov and nesterov.lr == 0.05
    assert isinstance(get_optimizer("averaged-sgd"), AveragedSGD)
    adam = get_optimizer(Adam, lr=0.02, beta1=0.8)
    assert (adam.lr, adam.beta1) == (0.02, 0.8)
    with pytest.raises(TypeError, match="optimizer must be a name, an Optimizer class"):
        get_optimizer(ImplicitSGD(0.3))  # it trains a Neuron from examples, not from gradients
    same = RMSProp(0.01)
    assert get_optimizer(same) is same
    for name in OPTIMIZERS:
        assert isinstance(get_optimizer(name), Optimizer)


def test_get_optimizer_errors():
    with pytest.raises(
        ValueError,
        match="unknown optimizer 'adamw'; valid optimizer names are: adagrad, adam, "
        "averaged_sgd, momentum, nesterov, rmsprop, sgd",
    ):
        get_optimizer("adamw")
    with pytest.raises(ValueError, match=r"lr is only used when optimizer is given by name"):
        get_optimizer(SGD(0.1), lr=0.2)
    with pytest.raises(TypeError, match="optimizer must be a name, an Optimizer class"):
        get_optimizer(0.1)
    with pytest.raises(TypeError, match="optimizer must be a name"):
        get_optimizer(dict)
