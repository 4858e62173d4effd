"""Tests of neuronet.course.plots: each figure shows exactly its data, with clear errors."""

import matplotlib

matplotlib.use("Agg")

import subprocess  # noqa: E402
import sys  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.colors import is_color_like, to_hex, to_rgba  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from neuronet.course import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def new_ax():
    return plt.subplots()[1]


def test_importing_the_course_figures_does_not_load_pyplot():
    # pyplot is imported when a figure is made, not with the modules: a fresh interpreter.
    modules = ["plots", "player", "playground"] + [f"explore.lesson{k:02d}" for k in range(1, 12)]
    imports = "; ".join(f"import neuronet.course.{m}" for m in modules)
    code = f"import sys; {imports}; assert 'matplotlib.pyplot' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- palette and style ----------------------------------------------------------------------------

# Okabe & Ito (2008), "Color Universal Design", as RGB triplets.
OKABE_ITO_RGB = {
    "black": (0, 0, 0),
    "orange": (230, 159, 0),
    "sky blue": (86, 180, 233),
    "bluish green": (0, 158, 115),
    "yellow": (240, 228, 66),
    "blue": (0, 114, 178),
    "vermillion": (213, 94, 0),
    "reddish purple": (204, 121, 167),
}


def test_palette_is_the_okabe_ito_set_of_eight_distinct_hex_colours():
    assert len(plots.PALETTE) == 8
    assert len(set(c.lower() for c in plots.PALETTE)) == 8
    for colour in plots.PALETTE:
        assert is_color_like(colour)
        assert colour.startswith("#") and len(colour) == 7
    rgb = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in plots.PALETTE}
    assert rgb == set(OKABE_ITO_RGB.values())


def test_use_style_sets_the_shared_look_and_rc_context_restores_it():
    with matplotlib.rc_context():
        plots.use_style()
        rc = matplotlib.rcParams
        cycle = [to_hex(c) for c in rc["axes.prop_cycle"].by_key()["color"]]
        assert cycle == [c.lower() for c in plots.PALETTE]
        assert rc["axes.spines.top"] is False and rc["axes.spines.right"] is False
        assert rc["savefig.bbox"] == "tight"
        assert rc["figure.dpi"] == 100
        assert rc["font.size"] >= 10
        assert rc["image.cmap"] == plots.SEQUENTIAL_CMAP
        line = new_ax().plot([0, 1])[0]
        assert to_hex(line.get_color()) == plots.PALETTE[0].lower()
    assert matplotlib.rcParams["axes.spines.top"] is True


def test_colormaps_exist_and_weight_colours_match_the_diverging_ends():
    diverging = matplotlib.colormaps[plots.DIVERGING_CMAP]
    matplotlib.colormaps[plots.SEQUENTIAL_CMAP]  # raises KeyError if unknown
    low, high = diverging(0.0), diverging(1.0)
    assert low[2] > low[0] and high[0] > high[2]  # blue at the low end, red at the high end
    pos, neg = to_rgba(plots.POSITIVE_COLOR), to_rgba(plots.NEGATIVE_COLOR)
    assert pos[0] > pos[2] and neg[2] > neg[0]
    assert plots.class_color(0) == plots.NEGATIVE_COLOR  # class 0 ~ P(class 1) = 0 ~ blue
    assert plots.class_color(9) == plots.PALETTE[1]


# --- activations ----------------------------------------------------------------------------------


def test_plot_activation_draws_the_function_and_its_derivative():
    ax = plots.plot_activation("sigmoid")
    assert len(ax.lines) == 2
    f, d = ax.lines
    z = f.get_xdata()
    assert z[0] == -5 and z[-1] == 5
    np.testing.assert_allclose(f.get_ydata(), sigmoid(z), rtol=1e-12)
    np.testing.assert_allclose(d.get_ydata(), sigmoid(z) * (1 - sigmoid(z)), rtol=1e-9)
    assert ax.get_title() == "sigmoid"
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None


def test_plot_activation_on_given_axes_and_inputs_without_derivative():
    ax = new_ax()
    z = np.array([-2.0, -0.5, 0.0, 1.5])
    assert plots.plot_activation("relu", z=z, ax=ax, derivative=False) is ax
    assert len(ax.lines) == 1
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [0, 0, 0, 1.5])


def test_plot_activation_of_the_step_shows_a_zero_derivative():
    ax = plots.plot_activation("step", z=np.linspace(-1, 1, 21))
    f, d = ax.lines
    np.testing.assert_array_equal(f.get_ydata(), (np.linspace(-1, 1, 21) >= 0).astype(float))
    np.testing.assert_array_equal(d.get_ydata(), np.zeros(21))


def test_plot_activation_of_softmax_shows_two_classes_as_a_sigmoid_of_the_difference():
    # softmax(z1, z2)_1 = e^z1 / (e^z1 + e^z2) = sigmoid(z1 - z2); d/dz1 = p (1 - p).
    ax = plots.plot_activation("softmax")
    f, d = ax.lines
    z = f.get_xdata()
    np.testing.assert_allclose(f.get_ydata(), sigmoid(z), rtol=1e-12)
    np.testing.assert_allclose(d.get_ydata(), sigmoid(z) * (1 - sigmoid(z)), rtol=1e-9)
    assert "z_1 - z_2" in ax.get_xlabel()


def test_plot_activation_errors():
    with pytest.raises(ValueError, match="unknown activation 'sigmoidd'"):
        plots.plot_activation("sigmoidd")
    with pytest.raises(ValueError, match=r"z must be a 1-D array of at least 2 points.*\(2, 2\)"):
        plots.plot_activation("tanh", z=np.zeros((2, 2)))


# --- decision boundaries --------------------------------------------------------------------------


def blobs(seed=0):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(-1, 0.5, (20, 2)), rng.normal(1, 0.5, (20, 2))])
    y = np.repeat([0, 1], 20)
    return X, y


def image_grid(im):
    """The pixel centres of an AxesImage drawn with origin='lower', from its extent and shape."""
    x0, x1, y0, y1 = im.get_extent()
    rows, cols = im.get_array().shape
    xs = x0 + (np.arange(cols) + 0.5) * (x1 - x0) / cols
    ys = y0 + (np.arange(rows) + 0.5) * (y1 - y0) / rows
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def logistic_model(P):
    return sigmoid(2.0 * P[:, 0] - 1.0 * P[:, 1] + 0.3)


def test_decision_boundary_image_holds_the_model_output_on_the_grid():
    X, y = blobs()
    ax = plots.plot_decision_boundary(logistic_model, X, y, resolution=40)
    (im,) = ax.images
    assert im.get_array().shape == (40, 40)
    expected = logistic_model(image_grid(im)).reshape(40, 40)
    np.testing.assert_allclose(im.get_array(), expected, rtol=1e-9)
    assert im.get_clim() == (0, 1)
    x0, x1, y0, y1 = im.get_extent()
    assert x0 < X[:, 0].min() and x1 > X[:, 0].max() and y0 < X[:, 1].min() and y1 > X[:, 1].max()
    assert any(isinstance(c, ContourSet) for c in ax.collections)  # the 0.5 boundary
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_decision_boundary_draws_train_points_filled_and_test_points_hollow():
    X, y = blobs()
    Xt, yt = blobs(seed=1)
    ax = plots.plot_decision_boundary(logistic_model, X, y, X_test=Xt[:7], y_test=yt[:7])
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points) == 3  # train class 0, train class 1, test class 0 (the first 7 are 0s)
    train0, train1, test0 = points
    np.testing.assert_array_equal(train0.get_offsets(), X[y == 0])
    np.testing.assert_array_equal(train1.get_offsets(), X[y == 1])
    np.testing.assert_array_equal(test0.get_offsets(), Xt[:7])
    assert len(test0.get_facecolors()) == 0  # hollow
    np.testing.assert_allclose(test0.get_edgecolors()[0], to_rgba(plots.class_color(0)))
    np.testing.assert_allclose(train1.get_facecolors()[0], to_rgba(plots.class_color(1)))
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["class 0 (train)", "class 1 (train)", "class 0 (test)"]


def test_decision_boundary_reads_column_1_of_a_softmax_output():
    X, y = blobs()

    def softmax_model(P):
        p = logistic_model(P)
        return np.column_stack([1 - p, p])

    ax = plots.plot_decision_boundary(softmax_model, X, y, resolution=30)
    im = ax.images[0]
    np.testing.assert_allclose(
        im.get_array(), logistic_model(image_grid(im)).reshape(30, 30), rtol=1e-9
    )


def test_decision_boundary_of_labels_and_of_scores():
    X, y = blobs()
    ax = plots.plot_decision_boundary(
        lambda P: (P[:, 0] > 0).astype(int), X, y, resolution=25, proba=False
    )
    im = ax.images[0]
    np.testing.assert_array_equal(im.get_array(), (image_grid(im)[:, 0] > 0).reshape(25, 25))
    ax = plots.plot_decision_boundary(lambda P: 3 * P[:, 0], X, y, resolution=25, proba=False)
    im = ax.images[0]
    np.testing.assert_allclose(im.get_array(), 3 * image_grid(im)[:, 0].reshape(25, 25))
    lo, hi = im.get_clim()
    assert lo == -hi  # scores are centred on 0


def test_decision_boundary_errors():
    X, y = blobs()
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\).*\(40, 3\)"):
        plots.plot_decision_boundary(logistic_model, np.zeros((40, 3)), y)
    with pytest.raises(ValueError, match="y has 39 labels but X has 40 points"):
        plots.plot_decision_boundary(logistic_model, X, y[:-1])
    with pytest.raises(ValueError, match=r"one value per point.*got shape \(100, 3\)"):
        plots.plot_decision_boundary(lambda P: np.zeros((len(P), 3)), X, y, resolution=10)
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*proba=False"):
        plots.plot_decision_boundary(lambda P: 5 * P[:, 0], X, y, resolution=10)
    with pytest.raises(ValueError, match="give both X_test and y_test"):
        plots.plot_decision_boundary(logistic_model, X, y, X_test=X)
    with pytest.raises(ValueError, match="y must hold integer class labels"):
        plots.plot_decision_boundary(logistic_model, X, y + 0.5)


# --- training curves ------------------------------------------------------------------------------


def test_plot_losses_draws_each_curve_against_its_epochs():
    ax = plots.plot_losses(
        {"a": [1.0, 0.5, 0.25], "b": [2.0, 1.0]}, yscale="log", ylabel="training loss", title="t"
    )
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [2.0, 1.0])
    assert [line.get_color() for line in ax.lines] == list(plots.LINE_COLORS[:2])
    assert ax.get_yscale() == "log" and ax.get_xscale() == "linear"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("epoch", "training loss", "t")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_plot_losses_line_colours_skip_the_yellow():
    curves = {str(k): [1.0, 0.5] for k in range(8)}
    ax = plots.plot_losses(curves)
    colours = [line.get_color() for line in ax.lines]
    assert plots.PALETTE[6] not in colours
    assert colours[:7] == list(plots.LINE_COLORS) and colours[7] == plots.LINE_COLORS[0]


def test_plot_losses_starts_at_first_epoch_or_takes_x_values():
    ax = plots.plot_losses({"before": [3.0, 2.0, 1.0]}, first_epoch=0)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1, 2])
    ax = plots.plot_losses({"updates": ([10, 20], [2.0, 1.0])}, xscale="log", legend=False)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [10, 20])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [2.0, 1.0])
    assert ax.get_xscale() == "log" and ax.get_legend() is None
    ax = plots.plot_losses({"pair of losses": (2.0, 1.0)})  # a tuple of numbers is values
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2])


def test_plot_losses_marks_the_lowest_point_a_reference_and_vertical_marks():
    curves = {"training": [1.0, 0.5, 0.2, 0.1], "validation": [0.9, 0.6, 0.7, 0.8]}
    ax = plots.plot_losses(
        curves,
        styles=("-", "--"),
        best="validation",
        reference=0.3,
        marks=[(1.5, "change"), (2.5, "change")],
        legend={"fontsize": "small"},
    )
    train, val, best, reference, first, second = ax.lines
    assert (train.get_linestyle(), val.get_linestyle()) == ("-", "--")
    assert (best.get_xdata()[0], best.get_ydata()[0]) == (2, 0.6)
    assert best.get_color() == val.get_color()
    assert best.get_label() == "lowest validation loss (epoch 2)"
    assert reference.get_ydata()[0] == 0.3 and reference.get_label().startswith("_")
    assert (first.get_xdata()[0], second.get_xdata()[0]) == (1.5, 2.5)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["training", "validation", "lowest validation loss (epoch 2)", "change"]


def test_plot_losses_draws_on_a_given_axes_and_leaves_unset_labels_alone():
    ax = new_ax()
    ax.set_ylabel("kept")
    assert plots.plot_losses({"a": [1.0]}, ax=ax, ylabel=None, xlabel=None) is ax
    assert ax.get_ylabel() == "kept" and ax.get_xlabel() == "" and ax.get_title() == ""


def test_plot_losses_errors():
    with pytest.raises(ValueError, match="at least one curve"):
        plots.plot_losses({})
    with pytest.raises(ValueError, match=r"curves\['a'\] must be a non-empty 1-D array"):
        plots.plot_losses({"a": []})
    with pytest.raises(ValueError, match=r"curves\['a'\] must hold positive values.*log"):
        plots.plot_losses({"a": [1.0, 0.0]}, yscale="log")
    with pytest.raises(ValueError, match=r"curves\['a'\] contains 1 non-finite"):
        plots.plot_losses({"a": [1.0, np.nan]})
    with pytest.raises(ValueError, match=r"curves\['a'\] has 2 values but 3 x values"):
        plots.plot_losses({"a": ([1, 2, 3], [1.0, 0.5])})
    with pytest.raises(ValueError, match="best='c' is not the label of a curve: a"):
        plots.plot_losses({"a": [1.0]}, best="c")


class FakeHistory:
    def __init__(self, loss, val_loss, accuracy=(), val_accuracy=()):
        self.loss, self.val_loss = list(loss), list(val_loss)
        self.accuracy, self.val_accuracy = list(accuracy), list(val_accuracy)


def test_plot_history_draws_train_and_validation_curves():
    h = FakeHistory([1.0, 0.5, 0.3], [1.1, 0.7, 0.6])
    ax = plots.plot_history(h)
    assert len(ax.lines) == 2
    train, val = ax.lines
    np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(train.get_ydata(), h.loss)
    np.testing.assert_array_equal(val.get_ydata(), h.val_loss)
    assert [line.get_label() for line in ax.lines] == ["train", "validation"]
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"


def test_plot_history_skips_missing_validation_and_reads_mappings():
    ax = plots.plot_history(FakeHistory([1.0, 0.5], []))
    assert len(ax.lines) == 1
    ax = plots.plot_history({"accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]}, metric="accuracy")
    assert len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [0.4, 0.7])
    assert ax.get_ylabel() == "accuracy"


def test_plot_history_errors():
    with pytest.raises(ValueError, match="metric must be 'loss' or 'accuracy', got 'f1'"):
        plots.plot_history(FakeHistory([1.0], []), metric="f1")
    with pytest.raises(ValueError, match="history has no 'accuracy' values to plot"):
        plots.plot_history(FakeHistory([1.0], [1.0]), metric="accuracy")


# --- optimizer paths ------------------------------------------------------------------------------


class StandInSurface:
    name = "stand-in bowl"
    domain = ((-2.0, 2.0), (-1.0, 1.0))
    minima = [np.array([0.0, 0.0])]

    def f(self, x):
        x = np.asarray(x)
        return x[..., 0] ** 2 + 2 * x[..., 1] ** 2


class StandInCurve:
    name = "parabola"
    domain = ((-2.0, 2.0),)
    minima = [np.array([0.0])]

    def f(self, x):
        return np.asarray(x) ** 2


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.lines}


def test_contour_path_draws_contours_paths_and_markers():
    a = np.array([[1.5, 0.8], [0.9, 0.2], [0.3, 0.05]])
    b = np.array([[-1.5, -0.8], [-0.5, -0.3]])
    ax = plots.plot_contour_path(StandInSurface(), {"sgd": a, "adam": b})
    assert len(ax.lines) == 3 * 2 + 1  # path, start, end per path; the minima
    lines = lines_by_label(ax)
    np.testing.assert_array_equal(lines["sgd"].get_xdata(), a[:, 0])
    np.testing.assert_array_equal(lines["adam"].get_ydata(), b[:, 1])
    np.testing.assert_array_equal(lines["minimum"].get_xydata(), [[0.0, 0.0]])
    starts_and_ends = [line.get_xydata()[0].tolist() for line in ax.lines[:6]]
    for point in (a[0], a[-1], b[0], b[-1]):
        assert point.tolist() in starts_and_ends
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 1.0)
    assert ax.get_title() == "stand-in bowl"
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    steps = np.diff(contours.levels)
    ratios = steps[1:] / steps[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)  # geometric spacing
    assert ratios[0] > 1.2  # 30 levels over several decades, not evenly spaced
    assert len(contours.levels) == 30


def test_contour_path_with_linear_levels_and_a_single_path():
    path = np.array([[1.0, 0.5], [0.5, 0.25]])
    ax = plots.plot_contour_path(StandInSurface(), path, levels=8, log_levels=False)
    assert lines_by_label(ax)["path"].get_xydata().tolist() == path.tolist()
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    steps = np.diff(contours.levels)
    np.testing.assert_allclose(steps, steps[0], rtol=1e-9)


def test_contour_path_on_a_curve_marks_the_path_on_the_curve():
    path = np.array([1.8, 1.0, 0.4, 0.1])
    ax = plots.plot_contour_path(StandInCurve(), {"gd": path})
    line = lines_by_label(ax)["gd"]
    np.testing.assert_array_equal(line.get_xdata(), path)
    np.testing.assert_array_equal(line.get_ydata(), path**2)
    assert len(ax.lines) == 1 + 3 + 1  # curve, path with its two markers, minima


def test_contour_path_with_a_real_surface_and_descent():
    from neuronet import landscapes

    path = landscapes.descend(landscapes.bowl, landscapes.bowl.start, "sgd", 15)
    ax = plots.plot_contour_path(landscapes.bowl, {"sgd": path})
    np.testing.assert_array_equal(lines_by_label(ax)["sgd"].get_xydata(), path)


def test_contour_path_errors():
    with pytest.raises(ValueError, match=r"path 'sgd' must have shape \(steps \+ 1, 2\)"):
        plots.plot_contour_path(StandInSurface(), {"sgd": np.zeros((4, 3))})
    with pytest.raises(ValueError, match="path 'sgd' contains 1 non-finite value"):
        plots.plot_contour_path(StandInSurface(), {"sgd": np.array([[0.0, np.nan]])})
    bad = StandInSurface()
    bad.domain = (-2.0, 2.0, -1.0, 1.0)
    with pytest.raises(ValueError, match=r"surface.domain must be \(\(x_low, x_high\)"):
        plots.plot_contour_path(bad, None)


# --- network diagrams -----------------------------------------------------------------------------


def edges(ax):
    (collection,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    return collection


def test_plot_network_draws_one_line_per_weight_with_width_proportional_to_abs_w():
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(3, 2)), rng.normal(size=(2, 1))]
    ax = plots.plot_network(weights)
    lc = edges(ax)
    flat = np.concatenate([w.ravel() for w in weights])  # i outer, j inner, layer by layer
    assert len(lc.get_segments()) == flat.size == 8
    widths = lc.get_linewidths()
    np.testing.assert_allclose(widths / np.abs(flat), (widths / np.abs(flat))[0], rtol=1e-12)
    assert np.argmax(widths) == np.argmax(np.abs(flat))
    expected = [to_rgba(plots.POSITIVE_COLOR if w > 0 else plots.NEGATIVE_COLOR) for w in flat]
    np.testing.assert_allclose(lc.get_colors(), expected)
    # the first weight joins input unit 0 (layer x = 0) to hidden unit 0 (x = 1)
    (x0, _), (x1, _) = lc.get_segments()[0]
    assert (x0, x1) == (0, 1)
    nodes = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [len(c.get_offsets()) for c in nodes] == [3, 2, 1]
    assert "3 → 2 → 1" in ax.get_title()


def test_plot_network_shows_at_most_max_units_and_an_ellipsis():
    rng = np.random.default_rng(1)
    weights = [rng.normal(size=(20, 5)), rng.normal(size=(5, 2))]
    ax = plots.plot_network(weights, max_units=12)
    lc = edges(ax)
    assert len(lc.get_segments()) == 12 * 5 + 5 * 2
    shown = np.concatenate([weights[0][:12].ravel(), weights[1].ravel()])
    widths = lc.get_linewidths()
    np.testing.assert_allclose(widths, 4.0 * np.abs(shown) / np.abs(shown).max(), rtol=1e-12)
    nodes = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [len(c.get_offsets()) for c in nodes] == [12, 5, 2]
    assert any("+8" in t.get_text() for t in ax.texts)


def test_plot_network_reads_an_mlp():
    from neuronet.network import MLP

    model = MLP([2, 3, 2], seed=0)
    ax = plots.plot_network(model)
    flat = np.concatenate([layer.params["W"].ravel() for layer in model.layers])
    widths = edges(ax).get_linewidths()
    assert len(widths) == flat.size
    np.testing.assert_allclose(widths, 4.0 * np.abs(flat) / np.abs(flat).max(), rtol=1e-12)


def test_plot_network_errors():
    with pytest.raises(ValueError, match=r"weight matrix 1 has 3 inputs \(shape \(3, 1\)\)"):
        plots.plot_network([np.ones((2, 4)), np.ones((3, 1))])
    with pytest.raises(ValueError, match=r"weight matrix 0 must be 2-D.*\(4,\)"):
        plots.plot_network([np.ones(4)])
    with pytest.raises(ValueError, match="no weight matrices"):
        plots.plot_network([])
    with pytest.raises(ValueError, match="max_units must be a positive integer"):
        plots.plot_network([np.ones((2, 2))], max_units=0)


# --- images ---------------------------------------------------------------------------------------


def test_plot_images_shows_each_image_with_its_class_name():
    rng = np.random.default_rng(2)
    images = rng.random((5, 28, 28))
    names = ["zero", "one", "two", "three", "four", "five"]
    fig = plots.plot_images(images, labels=[4, 0, 1, 1, 5], class_names=names, ncols=2)
    assert len(fig.axes) == 5
    for ax, image, label in zip(fig.axes, images, [4, 0, 1, 1, 5], strict=True):
        (im,) = ax.images
        np.testing.assert_array_equal(im.get_array(), image)
        assert im.get_clim() == (images.min(), images.max())  # one shared grey scale
        assert ax.get_title() == names[label]
    assert fig.axes[0].get_subplotspec().get_geometry()[:2] == (3, 2)


def test_plot_images_reshapes_flat_images_and_marks_mistakes():
    rng = np.random.default_rng(3)
    flat = rng.random((3, 784))
    fig = plots.plot_images(flat, labels=[0, 1, 2], predicted=[0, 2, 2], class_names="abc")
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(), flat[1].reshape(28, 28))
    titles = [ax.title for ax in fig.axes]
    assert titles[1].get_text() == "b\npred: c"
    assert to_hex(titles[1].get_color()) == plots.POSITIVE_COLOR.lower()
    assert to_hex(titles[0].get_color()) == "#000000"


def test_plot_images_of_hopfield_letters():
    from neuronet.hopfield import letters

    glyphs = letters()
    fig = plots.plot_images(list(glyphs.values()), labels=list(glyphs))
    assert [ax.get_title() for ax in fig.axes] == list(glyphs)
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), glyphs["T"])


def test_plot_images_errors():
    with pytest.raises(ValueError, match=r"perfect square, got shape \(3, 10\)"):
        plots.plot_images(np.zeros((3, 10)))
    with pytest.raises(ValueError, match="labels has 2 entries but there are 3 images"):
        plots.plot_images(np.zeros((3, 4, 4)), labels=[0, 1])
    with pytest.raises(ValueError, match="label 3 has no name: class_names has 2"):
        plots.plot_images(np.zeros((1, 4, 4)), labels=[3], class_names=["a", "b"])


# --- confusion matrix -----------------------------------------------------------------------------


def count_confusions(y_true, y_pred, k):
    counts = np.zeros((k, k))
    for t, p in zip(y_true, y_pred, strict=True):
        counts[t, p] += 1
    return counts


def test_confusion_matrix_image_equals_the_counts_normalized_by_row():
    rng = np.random.default_rng(4)
    y_true = rng.integers(0, 4, 200)
    y_pred = np.where(rng.random(200) < 0.6, y_true, rng.integers(0, 4, 200))
    counts = count_confusions(y_true, y_pred, 4)
    ax = plots.plot_confusion_matrix(y_true, y_pred, class_names=["a", "b", "c", "d"])
    shown = ax.images[0].get_array()
    np.testing.assert_allclose(shown, counts / counts.sum(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(shown.sum(axis=1), 1.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c", "d"]
    assert len(ax.texts) == 16
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"

    ax = plots.plot_confusion_matrix(y_true, y_pred, normalize=False)
    np.testing.assert_array_equal(ax.images[0].get_array(), counts)


def test_confusion_matrix_with_an_absent_class_has_a_zero_row():
    ax = plots.plot_confusion_matrix([0, 0, 2], [0, 2, 2])
    np.testing.assert_array_equal(ax.images[0].get_array(), [[0.5, 0, 0.5], [0, 0, 0], [0, 0, 1.0]])


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match=r"y_true has shape \(3,\) but y_pred has shape \(2,\)"):
        plots.plot_confusion_matrix([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="y_pred must hold class labels >= 0"):
        plots.plot_confusion_matrix([0, 1], [0, -1])
    with pytest.raises(ValueError, match="label 2 has no name: class_names has 2 entries"):
        plots.plot_confusion_matrix([0, 2], [0, 1], class_names=["a", "b"])
    with pytest.raises(ValueError, match="y_true must hold integer class labels"):
        plots.plot_confusion_matrix([0.5, 1], [0, 1])
