"""The exploration behind lesson 08 (optimizers): paths, tuned rates, drawings, widget and player.

Every path is compared with the update rule of its optimizer written out by hand here, on the
surfaces' formulas written out by hand too, so that neither neuronet.optimizers nor
neuronet.landscapes is used as its own reference.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets import Dropdown, FloatLogSlider

from neuronet.course.explore.lesson08 import (
    LR_GRID,
    OPTIMIZER_SURFACES,
    STEPS,
    TUNED_LR,
    best_lr,
    draw_optimizer_path,
    draw_race,
    effective_rates,
    noisy_descent,
    optimizer_path,
    plot_effective_rates,
    plot_lr_sweep,
    race,
    steps_to_reach,
)
from neuronet.course.player import player, widget
from neuronet.landscapes import Surface, bowl, descend, wavy
from neuronet.optimizers import (
    OPTIMIZERS,
    SGD,
    AdaGrad,
    Adam,
    AveragedSGD,
    Momentum,
    RMSProp,
)
from neuronet.validation import TrainingDivergedError

# The widget's learning-rate slider: 10**-4 ... 10**0; its two ends and its middle.
LR_MIN, LR_MAX = -4.0, 0.0
SLIDER_LRS = [10.0**LR_MIN, 10.0 ** ((LR_MIN + LR_MAX) / 2), 10.0**LR_MAX]

# --- the surfaces, by hand: value, gradient, minimum value, start -----------------------------

C = (1.5, 2.25, 2.625)


def beale_f(p):
    x, y = p
    return sum((c - x + x * y**k) ** 2 for k, c in enumerate(C, start=1))


def beale_grad(p):
    x, y = p
    gx = sum(2 * (c - x + x * y**k) * (y**k - 1) for k, c in enumerate(C, start=1))
    gy = sum(2 * (c - x + x * y**k) * k * x * y ** (k - 1) for k, c in enumerate(C, start=1))
    return np.array([gx, gy])


HAND = {
    "bowl": (
        lambda p: 0.5 * (p[0] ** 2 + 10 * p[1] ** 2),
        lambda p: np.array([p[0], 10 * p[1]]),
        0.0,
        (-2.5, 1.5),
    ),
    "rosenbrock": (
        lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2,
        lambda p: np.array(
            [-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2), 200 * (p[1] - p[0] ** 2)]
        ),
        0.0,
        (-1.2, 1.0),
    ),
    "beale": (beale_f, beale_grad, 0.0, (1.0, 1.5)),
    "saddle": (
        lambda p: p[0] ** 2 - p[1] ** 2 + p[1] ** 4 / 4,
        lambda p: np.array([2 * p[0], -2 * p[1] + p[1] ** 3]),
        -1.0,
        (1.5, 1e-3),
    ),
}


def hand_rule(name, lr):
    """One optimizer's update, as a function (x, g, state, t) -> x, by its textbook formula."""
    eps = 1e-8
    if name in ("sgd", "averaged_sgd"):  # averaging does not change the iterates
        return lambda x, g, s, t: x - lr * g
    if name == "momentum":

        def step(x, g, s, t):
            s["v"] = 0.9 * s.get("v", 0.0) - lr * g
            return x + s["v"]

        return step
    if name == "nesterov":  # the stored parameters are the look-ahead points phi

        def step(x, g, s, t):
            v_old = s.get("v", 0.0)
            s["v"] = 0.9 * v_old - lr * g
            return (x - lr * g) + 0.9 * s["v"]

        return step
    if name == "adagrad":

        def step(x, g, s, t):
            s["G"] = s.get("G", 0.0) + g * g
            return x - g / (np.sqrt(s["G"]) + eps) * lr

        return step
    if name == "rmsprop":

        def step(x, g, s, t):
            s["E"] = 0.9 * s.get("E", 0.0) + (1 - 0.9) * (g * g)
            return x - g / (np.sqrt(s["E"]) + eps) * lr

        return step
    assert name == "adam"

    def step(x, g, s, t):
        s["m"] = 0.9 * s.get("m", 0.0) + (1 - 0.9) * g
        s["v"] = 0.999 * s.get("v", 0.0) + (1 - 0.999) * (g * g)
        m_hat, v_hat = s["m"] / (1 - 0.9**t), s["v"] / (1 - 0.999**t)
        return x - lr * m_hat / (np.sqrt(v_hat) + eps)

    return step


def hand_path(name, lr, surface, steps):
    """The path by hand, stopping at the first step whose point or value is not finite."""
    f, grad, _, start = HAND[surface]
    rule, state = hand_rule(name, lr), {}
    x = np.array(start, dtype=float)
    path = [x]
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            x = rule(x, grad(x), state, t)
            if not (np.all(np.isfinite(x)) and np.isfinite(f(x))):
                return np.array(path), t
            path.append(x)
    return np.array(path), None


def hand_score(name, lr, surface):
    """best_lr's rule by hand: mean of log10(max(gap, 1e-10)), inf for a diverged run."""
    f, _, floor, _ = HAND[surface]
    path, diverged_at = hand_path(name, lr, surface, STEPS[surface])
    if diverged_at is not None:
        return np.inf
    gaps = np.array([f(p) for p in path]) - floor
    return np.mean(np.log10(np.maximum(gaps, 1e-10)))


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- optimizer_path -----------------------------------------------------------------------------


@pytest.mark.parametrize("surface", list(OPTIMIZER_SURFACES))
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_path_follows_the_update_rule_at_the_tuned_rate(name, surface):
    lr = TUNED_LR[surface][name]
    path, diverged_at = optimizer_path(name, None, surface, steps=40)
    expected, expected_at = hand_path(name, lr, surface, 40)
    assert diverged_at is None and expected_at is None
    np.testing.assert_allclose(path, expected, rtol=1e-9, atol=1e-12)


def test_default_steps_and_start_come_from_the_surface():
    path, _ = optimizer_path("sgd", 0.01, "beale")
    assert path.shape == (STEPS["beale"] + 1, 2)
    np.testing.assert_array_equal(path[0], [1.0, 1.5])
    path, _ = optimizer_path("adam", 0.1, "bowl", steps=3, x0=(1.0, 2.0))
    np.testing.assert_array_equal(path[0], [1.0, 2.0])
    # Adam's first step moves each coordinate by lr against the gradient (1, 20)
    np.testing.assert_allclose(path[1], [0.9, 1.9], rtol=1e-7)


def test_path_stops_where_it_diverges():
    path, diverged_at = optimizer_path("sgd", 1.0, "rosenbrock", steps=50)
    expected, expected_at = hand_path("sgd", 1.0, "rosenbrock", 50)
    assert diverged_at == expected_at is not None
    assert len(path) == expected_at
    np.testing.assert_allclose(path, expected, rtol=1e-12)


def test_path_accepts_an_optimizer_object_and_agrees_with_descend():
    path, diverged_at = optimizer_path(Momentum(0.01, 0.5), None, "bowl", steps=30)
    assert diverged_at is None
    np.testing.assert_array_equal(path, descend(bowl, bowl.start, Momentum(0.01, 0.5), 30))


def test_path_refuses_bad_requests():
    with pytest.raises(ValueError, match=r"lr=0.1 cannot be applied to the optimizer object"):
        optimizer_path(SGD(0.01), 0.1, "bowl")
    with pytest.raises(ValueError, match="no tuned learning rate for 'sgd' on 'wavy'"):
        optimizer_path("sgd", None, wavy)
    with pytest.raises(ValueError, match="unknown surface 'valley'; valid surface names are"):
        optimizer_path("sgd", 0.1, "valley")
    with pytest.raises(TypeError, match="surface must be a Surface or a name, got int"):
        optimizer_path("sgd", 0.1, 3)
    with pytest.raises(ValueError, match=r"x0 must have shape \(2,\) .* got shape \(3,\)"):
        optimizer_path("sgd", 0.1, "bowl", x0=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="steps must be a positive integer, got 0"):
        optimizer_path("sgd", 0.1, "bowl", steps=0)
    with pytest.raises(ValueError, match="unknown optimizer 'lion'"):
        optimizer_path("lion", 0.1, "bowl")


# --- best_lr and the tuned table ----------------------------------------------------------------


def test_tuned_table_is_what_best_lr_chooses():
    for surface in OPTIMIZER_SURFACES:
        for name in OPTIMIZERS:
            assert best_lr(name, surface) == TUNED_LR[surface][name], (surface, name)


@pytest.mark.parametrize(("name", "surface"), [("momentum", "bowl"), ("adam", "beale")])
def test_best_lr_rule_by_hand(name, surface):
    scores = [hand_score(name, lr, surface) for lr in LR_GRID]
    assert TUNED_LR[surface][name] == LR_GRID[int(np.argmin(scores))]


def test_best_lr_skips_diverging_rates_and_checks_the_grid():
    # SGD on the bowl diverges for lr > 0.2: 0.3 and 1 must lose to 0.1
    assert best_lr("sgd", "bowl", steps=50, grid=[0.01, 0.1, 0.3, 1.0]) == 0.1
    with pytest.raises(ValueError, match="grid must be a non-empty increasing sequence"):
        best_lr("sgd", "bowl", grid=[0.1, 0.01])
    with pytest.raises(ValueError, match="grid must be a non-empty increasing sequence"):
        best_lr("sgd", "bowl", grid=[])


# --- steps_to_reach, race, draw_race ------------------------------------------------------------


def test_steps_to_reach_finds_the_first_step_below_the_level():
    path = np.array([[2.0, 0.0], [1.0, 0.0], [0.5, 0.0], [0.0, 0.1]])  # costs 2, 0.5, 0.125, 0.05
    assert steps_to_reach("bowl", path, 0.6) == 1
    assert steps_to_reach("bowl", path, 0.1) == 3
    assert steps_to_reach("bowl", path, 0.01) is None
    with pytest.raises(ValueError, match=r"path must have shape \(n, 2\) for 'bowl', got \(3,\)"):
        steps_to_reach("bowl", np.zeros(3), 0.1)


def test_race_runs_names_at_their_tuned_rates():
    paths = race("rosenbrock", ["sgd", "adam"], steps=25)
    lr_sgd, lr_adam = TUNED_LR["rosenbrock"]["sgd"], TUNED_LR["rosenbrock"]["adam"]
    assert list(paths) == [f"sgd, η = {lr_sgd:.3g}", f"adam, η = {lr_adam:.3g}"]
    np.testing.assert_allclose(
        paths[f"sgd, η = {lr_sgd:.3g}"], hand_path("sgd", lr_sgd, "rosenbrock", 25)[0]
    )
    np.testing.assert_allclose(
        paths[f"adam, η = {lr_adam:.3g}"], hand_path("adam", lr_adam, "rosenbrock", 25)[0]
    )


def test_race_with_objects_keeps_the_labels_and_a_common_start():
    paths = race("saddle", {"slow": SGD(0.01), "fast": SGD(0.1)}, steps=5, x0=(0.5, 0.5))
    assert list(paths) == ["slow", "fast"]
    for lr, path in zip([0.01, 0.1], paths.values(), strict=True):
        x = np.array([0.5, 0.5])
        expected = [x]
        for _ in range(5):
            x = x - lr * HAND["saddle"][1](x)
            expected.append(x)
        np.testing.assert_allclose(path, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="race needs at least one optimizer"):
        race("bowl", [])


def test_draw_race_draws_three_lines_per_path_and_the_minima():
    ax = draw_race("saddle", {"a": SGD(0.1), "b": Momentum(0.1)}, steps=20)
    assert ax.get_title() == "saddle: 20 steps"
    labels = [line.get_label() for line in ax.lines]
    assert labels.count("a") == 1 and labels.count("b") == 1 and labels[-1] == "minimum"
    assert len(ax.lines) == 2 * 3 + 1
    (line_b,) = [line for line in ax.lines if line.get_label() == "b"]
    x = np.array(HAND["saddle"][3])
    v = np.zeros(2)
    xs = [x[0]]
    for _ in range(20):
        v = 0.9 * v - 0.1 * HAND["saddle"][1](x)
        x = x + v
        xs.append(x[0])
    np.testing.assert_allclose(line_b.get_xdata(), xs, rtol=1e-12)
    default = draw_race("bowl", ["sgd"])
    assert default.get_title() == f"bowl: {STEPS['bowl']} steps"


# --- noisy_descent and effective_rates ----------------------------------------------------------


def test_noisy_descent_adds_seeded_gaussian_noise_and_keeps_the_state():
    optimizer = AveragedSGD(0.05, start=10)
    path = noisy_descent("bowl", (1.0, -1.0), optimizer, steps=40, noise=0.5, seed=7)
    rng = np.random.default_rng(7)
    x = np.array([1.0, -1.0])
    expected = [x]
    for _ in range(40):
        x = x - 0.05 * (HAND["bowl"][1](x) + 0.5 * rng.standard_normal(2))
        expected.append(x)
    np.testing.assert_allclose(path, expected, rtol=1e-12)
    np.testing.assert_allclose(optimizer.averaged[0], np.mean(expected[11:], axis=0), rtol=1e-12)


def test_noisy_descent_without_noise_is_descend_and_refuses_bad_input():
    path = noisy_descent("bowl", bowl.start, Adam(0.1), steps=15, noise=0.0, seed=0)
    np.testing.assert_array_equal(path, descend(bowl, bowl.start, Adam(0.1), 15))
    with pytest.raises(ValueError, match="noise must be a finite number >= 0, got -1"):
        noisy_descent("bowl", bowl.start, SGD(0.1), 5, -1.0, 0)
    with pytest.raises(TrainingDivergedError, match="became non-finite at step"):
        noisy_descent("bowl", bowl.start, SGD(10.0), 2000, 0.0, 0)


def test_effective_rates_by_hand():
    rates = effective_rates(AdaGrad(0.5), "bowl", 4)
    x, G, expected = np.array([-2.5, 1.5]), np.zeros(2), []
    for _ in range(4):
        g = HAND["bowl"][1](x)
        G = G + g**2
        expected.append(0.5 / (np.sqrt(G) + 1e-8))
        x = x - expected[-1] * g
    np.testing.assert_allclose(rates, expected, rtol=1e-12)

    rates = effective_rates(RMSProp(0.01, rho=0.8), "rosenbrock", 4)
    x, E, expected = np.array([-1.2, 1.0]), np.zeros(2), []
    for _ in range(4):
        g = HAND["rosenbrock"][1](x)
        E = 0.8 * E + 0.2 * g**2
        expected.append(0.01 / (np.sqrt(E) + 1e-8))
        x = x - expected[-1] * g
    np.testing.assert_allclose(rates, expected, rtol=1e-12)
    with pytest.raises(TypeError, match="needs an AdaGrad or RMSProp optimizer, got SGD"):
        effective_rates(SGD(0.1), "bowl", 3)


def test_plot_effective_rates_draws_x_solid_and_y_dotted():
    runs = {"A": np.array([[1.0, 2.0], [0.5, 1.0]]), "B": np.array([[3.0, 3.0], [4.0, 5.0]])}
    ax = plot_effective_rates(runs)
    assert [line.get_label() for line in ax.lines] == ["A, x", "A, y", "B, x", "B, y"]
    assert [line.get_linestyle() for line in ax.lines] == ["-", ":", "-", ":"]
    np.testing.assert_array_equal(ax.lines[3].get_ydata(), [3.0, 5.0])
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2])
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="at least one run"):
        plot_effective_rates({})
    with pytest.raises(ValueError, match=r"runs\['A'\] must be a positive array of shape"):
        plot_effective_rates({"A": np.ones(3)})


# --- draw_optimizer_path, for every option of the widget ----------------------------------------


def path_line(ax, name):
    (line,) = [ln for ln in ax.lines if ln.get_label().startswith(f"{name}, η = ")]
    return line


@pytest.mark.parametrize("surface", list(OPTIMIZER_SURFACES))
@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("lr", [*SLIDER_LRS, None])
def test_draw_optimizer_path_shows_the_path_the_costs_and_the_outcome(name, surface, lr):
    fig = draw_optimizer_path(name, lr, surface)
    rate = TUNED_LR[surface][name] if lr is None else lr
    steps = STEPS[surface]
    expected, expected_at = hand_path(name, rate, surface, steps)
    ax_path, ax_cost = fig.axes
    assert ax_path.get_title() == f"path on {surface}"
    line = path_line(ax_path, name)
    assert line.get_label() == f"{name}, η = {rate:.3g}"
    drawn = np.column_stack([line.get_xdata(), line.get_ydata()])
    # Some of these runs are chaotic (SGD with lr = 1 on the saddle iterates the cubic map
    # y -> 3y - y^3), where a difference in the last bit of a gradient grows to 1e-12 within 60
    # steps. The first 40 steps are compared with the rule by hand, the whole drawn path with
    # optimizer_path (itself tested against the rule above), its length with the hand's.
    shown = min(41, len(expected))
    np.testing.assert_allclose(drawn[:shown], expected[:shown], rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(drawn, optimizer_path(name, rate, surface)[0])
    assert len(drawn) == (steps + 1 if expected_at is None else expected_at)

    f, _, floor, _ = HAND[surface]
    gap = np.array([f(p) for p in drawn]) - floor
    (cost,) = ax_cost.lines
    np.testing.assert_array_equal(cost.get_xdata(), np.arange(len(drawn)))
    # Gaps at rounding level (the saddle's minimum value is -1) differ between any two ways of
    # computing f, so their logarithms are compared only above 1e-9.
    clear = gap > 1e-9
    np.testing.assert_allclose(cost.get_ydata()[clear], np.log10(gap[clear]), rtol=1e-6)

    title = fig._suptitle.get_text()
    tuned = " (tuned)" if lr is None else ""
    assert title.startswith(f"{name} on {surface}, η = {rate:.3g}{tuned}: ")
    values = gap + floor
    if expected_at is not None:
        assert title.endswith(f"diverged at step {expected_at}")
    else:
        verb = "fell" if values[-1] < values[0] else "rose"
        assert title.endswith(
            f"cost {verb} from {values[0]:.3g} to {values[-1]:.3g} in {steps} steps"
        )


def test_draw_optimizer_path_leaves_out_steps_exactly_at_the_minimum():
    # SGD with lr = 1 on the round bowl (x^2 + y^2)/2 lands on the minimum in one step
    round_bowl = Surface(
        "round",
        lambda p: 0.5 * (p[..., 0] ** 2 + p[..., 1] ** 2),
        lambda p: p,
        [(0.0, 0.0)],
        ((-2.0, 2.0), (-2.0, 2.0)),
        (1.0, -1.0),
    )
    fig = draw_optimizer_path("sgd", 1.0, round_bowl, steps=3)
    y = fig.axes[1].lines[0].get_ydata()
    assert y[0] == 0.0  # log10 of the starting cost 1
    assert np.isnan(y[1:]).all()
    assert fig._suptitle.get_text().endswith("cost fell from 1 to 0 in 3 steps")


def test_draw_optimizer_path_draws_into_a_given_figure():
    fig = plt.figure()
    assert draw_optimizer_path("sgd", 0.01, "bowl", fig=fig, steps=10) is fig
    assert len(fig.axes) == 2
    assert fig.axes[1].get_xlim() == (0.0, 10.0)


# --- the live widget and the player -------------------------------------------------------------


def test_widget_redraws_for_every_option():
    live = widget(
        draw_optimizer_path,
        optimizer=Dropdown(options=list(OPTIMIZERS), value="momentum"),
        lr=FloatLogSlider(value=0.003, base=10, min=LR_MIN, max=LR_MAX, step=0.25),
        surface=Dropdown(options=list(OPTIMIZER_SURFACES), value="rosenbrock"),
    )
    optimizer, slider, surface = live.children[:3]
    surfaces = list(OPTIMIZER_SURFACES)
    # every optimizer, every slider position and every surface at least once
    for i, name in enumerate(OPTIMIZERS):
        lr, surface_name = SLIDER_LRS[i % 3], surfaces[i % 4]
        plt.close("all")
        optimizer.value, slider.value, surface.value = name, lr, surface_name
        live.update()
        fig = plt.gcf()
        assert fig._suptitle.get_text().startswith(f"{name} on {surface_name}, η = {lr:.3g}: ")
        expected, _ = hand_path(name, lr, surface_name, STEPS[surface_name])
        line = path_line(fig.axes[0], name)
        shown = min(41, len(expected))  # before chaos can amplify rounding
        drawn = np.column_stack([line.get_xdata(), line.get_ydata()])[:shown]
        np.testing.assert_allclose(drawn, expected[:shown], rtol=1e-9, atol=1e-12)
    assert live.result is None


def test_player_has_one_frame_per_optimizer_and_a_text_alternative():
    html = player(
        draw_optimizer_path,
        "optimizer",
        list(OPTIMIZERS),
        surface="saddle",
        figsize=(8, 3.6),
        alt="seven optimizers on the saddle",
    )
    assert html.data.count("data:image/png;base64") == len(OPTIMIZERS)
    assert 'alt="seven optimizers on the saddle"' in html.data


# --- plot_lr_sweep -------------------------------------------------------------------------------


def test_plot_lr_sweep_leaves_gaps_for_diverged_runs_and_circles_the_best():
    lrs = [0.01, 0.1, 1.0]
    ax = plot_lr_sweep(lrs, {"sgd": [0.5, 0.2, np.inf], "adam": [0.1, 0.3, 0.9]})
    sgd_line, sgd_best, adam_line, adam_best = ax.lines
    assert sgd_line.get_label() == "sgd" and sgd_best.get_label() == "_best"
    y = sgd_line.get_ydata()
    np.testing.assert_array_equal(y[:2], [0.5, 0.2])
    assert np.isnan(y[2])
    assert (sgd_best.get_xdata()[0], sgd_best.get_ydata()[0]) == (0.1, 0.2)
    assert (adam_best.get_xdata()[0], adam_best.get_ydata()[0]) == (0.01, 0.1)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sgd", "adam"]


def test_plot_lr_sweep_refuses_bad_input():
    with pytest.raises(ValueError, match="at least one result"):
        plot_lr_sweep([0.1], {})
    with pytest.raises(ValueError, match="positive rates"):
        plot_lr_sweep([0.0, 0.1], {"a": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"results\['a'\] has shape \(1,\) but there are 2 rates"):
        plot_lr_sweep([0.1, 1.0], {"a": [1.0]})
    with pytest.raises(ValueError, match=r"results\['a'\] has no finite loss"):
        plot_lr_sweep([0.1, 1.0], {"a": [np.inf, np.nan]})
