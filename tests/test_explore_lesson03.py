"""The exploration of lesson 03: every cost and its gradient for a single output."""

import matplotlib

matplotlib.use("Agg")

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ipywidgets import FloatSlider

from neuronet.costs import COSTS, Exponential
from neuronet.course.explore.lesson03 import (
    COST_NAMES,
    PREDICTIONS,
    TWO_OUTCOME,
    cost_curves,
    cost_label,
    draw_costs,
    draw_slowdown,
    family,
    gradient_advice,
    single_output_cost,
)
from neuronet.course.player import player, widget

SPACING = 0.005  # of PREDICTIONS
SLIDER_PREDICTIONS = (0.01, 0.5, 0.99)  # the ends and the middle of the lesson's slider
SLIDER_TARGETS = (0.05, 0.5, 0.95)


def y_log_y_over(y, a):
    """y ln(y/a), with 0 ln 0 = 0."""
    y = np.asarray(y, dtype=float)
    return np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / a), 0.0)


def reference(name, a, y, tau=1.0):
    """Each cost of one prediction a (target y) and its derivative, written out by hand."""
    a = np.asarray(a, dtype=float)
    if name == "quadratic":
        return 0.5 * (a - y) ** 2, a - y
    if name in ("cross_entropy", "categorical_cross_entropy"):
        # binary cross-entropy; the categorical one on (a, 1 - a) is the same function
        value = -(y * np.log(a) + (1 - y) * np.log(1 - a))
        return value, (a - y) / (a * (1 - a))
    if name == "kl_divergence":  # on (a, 1 - a) and (y, 1 - y)
        value = y_log_y_over(y, a) + y_log_y_over(1 - y, 1 - a)
        return value, -y / a + (1 - y) / (1 - a)
    if name == "exponential":
        e = np.exp((a - y) ** 2 / tau)
        return tau * e, 2 * (a - y) * e
    if name == "hellinger":
        return (np.sqrt(a) - np.sqrt(y)) ** 2 / math.sqrt(2), (1 - np.sqrt(y / a)) / math.sqrt(2)
    if name == "generalized_kl":
        return y_log_y_over(y, a) - y + a, 1 - y / a
    if name == "itakura_saito":
        return y / a - np.log(y / a) - 1, (a - y) / a**2
    raise AssertionError(f"no reference for {name}")


def curves_of(ax):
    """The cost curves of an axes (labelled lines), by label."""
    return {line.get_label(): line for line in ax.lines if not line.get_label().startswith("_")}


def markers_of(ax):
    return {
        line.get_label().removeprefix("_marker "): line
        for line in ax.lines
        if line.get_label().startswith("_marker ")
    }


# --- the numbers ---------------------------------------------------------------------------------


def test_the_family_is_every_registered_cost():
    assert COST_NAMES == tuple(COSTS)
    costs = family(tau=0.25)
    assert [c.name for c in costs] == list(COSTS)
    assert isinstance(costs[COST_NAMES.index("exponential")], Exponential)
    assert costs[COST_NAMES.index("exponential")].tau == 0.25


def test_predictions_grid_spacing():
    assert PREDICTIONS[0] > 0 and PREDICTIONS[-1] < 1
    np.testing.assert_allclose(np.diff(PREDICTIONS), SPACING)


@pytest.mark.parametrize("name", COST_NAMES)
@pytest.mark.parametrize("target", (*SLIDER_TARGETS, 1.0))
def test_single_output_cost_matches_the_formula(name, target):
    for a in (0.01, 0.3, 0.7, 0.99):
        value, grad = single_output_cost(name, a, target)
        ref_value, ref_grad = reference(name, a, target)
        assert value == pytest.approx(float(ref_value), rel=1e-12, abs=1e-14)
        assert grad == pytest.approx(float(ref_grad), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("name", COST_NAMES)
def test_single_output_derivative_matches_finite_differences(name):
    h = 1e-6
    for a in (0.1, 0.45, 0.8):
        _, grad = single_output_cost(name, a, 0.6)
        up, _ = single_output_cost(name, a + h, 0.6)
        down, _ = single_output_cost(name, a - h, 0.6)
        assert grad == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-8)


def test_single_output_cost_takes_a_configured_instance():
    value, grad = single_output_cost(Exponential(tau=0.5), 0.2, 0.7)
    ref_value, ref_grad = reference("exponential", 0.2, 0.7, tau=0.5)
    assert value == pytest.approx(float(ref_value), rel=1e-12)
    assert grad == pytest.approx(float(ref_grad), rel=1e-12)


def test_two_outcome_costs_share_the_cross_entropy_gradient():
    for name in TWO_OUTCOME:
        for a in (0.05, 0.5, 0.93):
            assert single_output_cost(name, a, 0.3)[1] == pytest.approx(
                single_output_cost("cross_entropy", a, 0.3)[1], rel=1e-12
            )


@settings(max_examples=25, deadline=None)
@given(target=st.floats(min_value=0.02, max_value=1.0))
def test_every_cost_is_smallest_at_the_target_and_its_gradient_changes_sign_there(target):
    curves = cost_curves(target)
    assert list(curves) == list(COST_NAMES)
    far = np.abs(PREDICTIONS - target) > 1e-9
    for name, (values, grads) in curves.items():
        assert abs(PREDICTIONS[np.argmin(values)] - target) <= SPACING + 1e-12, name
        np.testing.assert_array_equal(
            np.sign(grads[far]), np.sign(PREDICTIONS[far] - target), err_msg=name
        )


def test_cost_curves_on_given_predictions_and_costs():
    a = [0.2, 0.4]
    curves = cost_curves(0.5, costs=["itakura_saito"], predictions=a)
    assert list(curves) == ["itakura_saito"]
    ref_values, ref_grads = reference("itakura_saito", np.array(a), 0.5)
    np.testing.assert_allclose(curves["itakura_saito"][0], ref_values, rtol=1e-12)
    np.testing.assert_allclose(curves["itakura_saito"][1], ref_grads, rtol=1e-12)


def test_gradient_advice_follows_the_sign():
    assert gradient_advice(0.2, 0.7) == "a < y: every gradient is negative, so descent raises a"
    assert gradient_advice(0.9, 0.7) == "a > y: every gradient is positive, so descent lowers a"
    assert gradient_advice(0.7, 0.7) == "a = y: every gradient is zero, nothing to change"


def test_cost_label_names_the_cost_and_tau():
    assert cost_label("quadratic") == "quadratic"
    assert cost_label(Exponential(tau=2.0)) == "exponential (τ=2)"
    assert cost_label("kl_divergence") == "KL on (a, 1−a)"


@pytest.mark.parametrize(
    ("prediction", "target", "message"),
    [
        (0.0, 0.5, r"prediction must lie in \(0, 1\), got 0.0"),
        (1.0, 0.5, r"prediction must lie in \(0, 1\), got 1.0"),
        (0.5, 0.0, r"target must lie in \(0, 1\], got 0.0"),
        (0.5, 1.5, r"target must lie in \(0, 1\], got 1.5"),
        (float("nan"), 0.5, "prediction contains 1 non-finite value"),
    ],
)
def test_out_of_range_inputs_are_refused(prediction, target, message):
    with pytest.raises(ValueError, match=message):
        single_output_cost("quadratic", prediction, target)
    with pytest.raises(ValueError, match=message):
        gradient_advice(prediction, target)


def test_unknown_cost_and_bad_tau_are_refused():
    with pytest.raises(ValueError, match="unknown cost 'hinge'; valid cost names are"):
        single_output_cost("hinge", 0.5, 0.5)
    with pytest.raises(ValueError, match="tau must be a positive finite number, got -1.0"):
        draw_costs(0.5, 0.5, tau=-1.0)
    with pytest.raises(ValueError, match="target must lie in"):
        draw_costs(0.5, 0.0)
    plt.close("all")


# --- the figures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("prediction", SLIDER_PREDICTIONS)
@pytest.mark.parametrize("target", SLIDER_TARGETS)
def test_draw_costs_draws_every_cost_and_its_gradient(prediction, target):
    fig = draw_costs(prediction, target)
    ax_cost, ax_grad = fig.axes
    assert ax_cost.get_title() == f"Costs at a = {prediction:.2f}, target y = {target:.2f}"
    assert ax_grad.get_title().replace("\n", " ") == gradient_advice(prediction, target)
    assert ax_cost.get_xlabel() == ax_grad.get_xlabel() == "prediction $a$"
    assert ax_cost.get_ylabel() == "cost $C(a)$"
    assert ax_grad.get_ylabel() == "gradient $dC/da$"
    expected_labels = [cost_label(c) for c in family()]
    for ax, part in ((ax_cost, 0), (ax_grad, 1)):
        curves = curves_of(ax)
        assert list(curves) == expected_labels
        markers = markers_of(ax)
        assert list(markers) == list(COST_NAMES)
        for name, label in zip(COST_NAMES, expected_labels, strict=True):
            x, data = curves[label].get_data()
            np.testing.assert_allclose(x, PREDICTIONS)
            np.testing.assert_allclose(
                data, reference(name, x, target)[part], rtol=1e-10, atol=1e-12
            )
            mx, my = markers[name].get_data()
            assert list(mx) == [prediction]
            assert my[0] == pytest.approx(float(reference(name, prediction, target)[part]))
        target_lines = [line for line in ax.lines if list(line.get_xdata()) == [target, target]]
        assert len(target_lines) == 1  # the dotted line at a = y
    legend_texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend_texts == expected_labels
    plt.close(fig)


def test_draw_costs_without_a_prediction_and_with_tau():
    fig = draw_costs(None, 0.7, tau=0.5)
    ax_cost, ax_grad = fig.axes
    assert markers_of(ax_cost) == {} and markers_of(ax_grad) == {}
    assert ax_cost.get_title() == "Costs for target y = 0.70"
    assert ax_grad.get_title() == "Gradients: sign changes at a = y = 0.70"
    line = curves_of(ax_cost)["exponential (τ=0.5)"]
    x, data = line.get_data()
    np.testing.assert_allclose(data, reference("exponential", x, 0.7, tau=0.5)[0], rtol=1e-12)
    plt.close(fig)


def test_draw_costs_draws_into_a_given_figure():
    fig = plt.figure()
    assert draw_costs(0.4, 0.6, fig=fig) is fig
    assert len(fig.axes) == 2
    plt.close(fig)


def test_draw_slowdown_draws_each_history():
    outputs = {"quadratic": [0.98, 0.97, 0.96], "cross-entropy": [0.98, 0.6, 0.2]}
    fig = draw_slowdown(outputs, target=0.0)
    (ax,) = fig.axes
    lines = curves_of(ax)
    assert list(lines) == ["quadratic", "cross-entropy", "target y = 0"]
    for label, values in outputs.items():
        x, data = lines[label].get_data()
        np.testing.assert_array_equal(x, [0, 1, 2])
        np.testing.assert_array_equal(data, values)
    np.testing.assert_array_equal(lines["target y = 0"].get_ydata(), [0, 0])
    assert ax.get_xlabel() == "epoch"
    plt.close(fig)


def test_draw_slowdown_refuses_empty_or_badly_shaped_outputs():
    with pytest.raises(ValueError, match="outputs must map at least one cost"):
        draw_slowdown({}, target=0.0)
    with pytest.raises(ValueError, match=r"outputs\['q'\] must be a non-empty 1-D sequence"):
        draw_slowdown({"q": [[0.1, 0.2]]}, target=0.0)
    plt.close("all")


# --- the live widget and the player -----------------------------------------------------------


def lesson_widget():
    return widget(
        draw_costs,
        prediction=FloatSlider(value=0.3, min=0.01, max=0.99, step=0.01),
        target=FloatSlider(value=0.7, min=0.05, max=0.95, step=0.05),
    )


@pytest.mark.parametrize(
    ("prediction", "target"), list(zip(SLIDER_PREDICTIONS, SLIDER_TARGETS, strict=True))
)
def test_widget_redraws_at_the_slider_values(prediction, target):
    plt.close("all")
    live = lesson_widget()
    live.children[0].value = prediction
    live.children[1].value = target
    live.update()
    ax_cost, ax_grad = plt.gcf().axes
    assert ax_cost.get_title() == f"Costs at a = {prediction:.2f}, target y = {target:.2f}"
    marker = markers_of(ax_grad)["quadratic"]
    assert list(marker.get_xdata()) == [prediction]
    assert marker.get_ydata()[0] == pytest.approx(prediction - target)
    assert live.result is None
    plt.close("all")


def test_player_has_one_frame_per_prediction():
    html = player(draw_costs, "prediction", [0.1, 0.5, 0.9], target=0.7, figsize=(8, 4)).data
    assert html.count("data:image/png;base64") == 3
    assert "<script" in html
