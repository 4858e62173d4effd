"""Text alternatives and the book's HTML fixes, tested without a browser.

``neuronet.course.plots.describe_figure`` writes a figure's text alternative from its own words, and
``use_style()`` makes it the figure's ``text/plain`` in IPython; the book's Sphinx extensions
(book/_ext/) copy it into the image's alt text and correct the HTML. tests/test_site_browser.py
checks the result in the built site; these tests check each piece on its own.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from neuronet.course import plots
from neuronet.course.player import player

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))

import figure_alt_text  # noqa: E402
import html_fixes  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- describe_figure -----------------------------------------------------------------------------


def test_a_one_panel_figure_is_described_by_title_axes_and_legend():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 1], label="AND")
    ax.plot([1, 2], [2, 2], label="XOR")
    ax.set(title="the perceptron's errors", xlabel="epoch", ylabel="misclassified corners")
    ax.legend()
    assert plots.describe_figure(fig) == (
        "Figure: the perceptron's errors: misclassified corners against epoch; legend: AND, XOR"
    )


def test_panels_are_numbered_and_tex_is_read_as_words_and_symbols():
    fig, axes = plt.subplots(1, 2)
    axes[0].set(title=r"$\sigma(z)$", xlabel="$z$", ylabel="output")
    axes[1].set(xlabel=r"$w \cdot x$")
    fig.suptitle(r"$\mathrm{softmax}$ and $z \geq 0$")
    assert plots.describe_figure(fig) == (
        "Figure: softmax and z ≥ 0, 2 panels. (1) sigma(z): output against z. (2) w · x"
    )


def test_an_image_with_a_colour_bar_and_an_unlabelled_panel():
    fig, axes = plt.subplots(1, 2)
    shown = axes[0].imshow(np.eye(3))
    fig.colorbar(shown, ax=axes[0], label="count")
    assert plots.describe_figure(fig) == (
        "Figure, 2 panels. (1) image. (2) unlabelled. colour scale: count"
    )


def test_many_panels_are_counted_after_eight():
    fig, axes = plt.subplots(2, 6)
    for i, ax in enumerate(axes.flat):
        ax.set_title(f"digit {i}")
    text = plots.describe_figure(fig)
    assert text.startswith("Figure, 12 panels. (1) digit 0. (2) digit 1.")
    assert "(8) digit 7. and 4 more panels" in text
    assert "digit 8" not in text


def test_describe_figure_refuses_what_is_not_a_figure():
    _, ax = plt.subplots()
    with pytest.raises(TypeError, match="needs a matplotlib Figure, got Axes"):
        plots.describe_figure(ax)


# --- use_style makes it the figure's text/plain in IPython ------------------------------------


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def test_use_style_makes_the_description_the_plain_text_of_a_figure(shell):
    from IPython.core.pylabtools import select_figure_formats

    fig, ax = plt.subplots()
    ax.set(title="costs", xlabel="a", ylabel="C(a)")
    assert shell.display_formatter.format(fig)[0]["text/plain"].startswith("<Figure size")
    with matplotlib.rc_context():
        plots.use_style()
    # The inline backend resets the per-format formatters of figures when it starts (after the
    # lesson's first cell): the description must survive that.
    select_figure_formats(shell, {"png"})
    data, _ = shell.display_formatter.format(fig)
    assert data["text/plain"] == "Figure: costs: C(a) against a"
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")


def test_use_style_outside_ipython_only_sets_the_style(monkeypatch):
    monkeypatch.setattr("IPython.get_ipython", lambda: None)
    with matplotlib.rc_context():
        plots.use_style()
        assert matplotlib.rcParams["image.cmap"] == plots.SEQUENTIAL_CMAP


# --- the player's controls have names ----------------------------------------------------------


def draw_line(slope: float = 1.0, fig=None):
    fig = fig or plt.figure()
    fig.add_subplot().plot([0, 1], [0, slope])
    return fig


def test_the_player_slider_has_an_accessible_name():
    html = player(draw_line, "slope", [0.5, 2.0]).data
    slider = re.search(r"<input[^>]*class=\"anim-slider\"[^>]*>", html)
    assert slider, "no frame slider in the player"
    assert 'aria-label="Frame (slope)"' in slider.group(0)
    # every other input of the player is a radio button with its own <label for=...>
    for radio in re.findall(r'<input type="radio"[^>]*id="([^"]+)"', html):
        assert f'<label for="{radio}">' in html


# --- figure_alt_text: text/plain of a figure output -> alt of its image -----------------------


PNG_A = b"\x89PNG\r\n\x1a\n" + b"first figure"
PNG_B = b"\x89PNG\r\n\x1a\n" + b"second figure"
GENERIC = "<Figure size 640x480 with 1 Axes>"  # matplotlib's repr: no description


def executed_notebook() -> nbformat.NotebookNode:
    def figure(png: bytes, text: str) -> nbformat.NotebookNode:
        return nbformat.v4.new_output(
            "display_data",
            data={"image/png": base64.b64encode(png).decode(), "text/plain": text},
        )

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("a", outputs=[figure(PNG_A, "Figure: loss against epoch")]),
        nbformat.v4.new_code_cell("b", outputs=[figure(PNG_B, GENERIC)]),
        nbformat.v4.new_markdown_cell("text"),
    ]
    return nb


def test_alt_texts_are_keyed_by_the_sha256_of_the_png_and_skip_generic_reprs():
    alts = figure_alt_text.figure_alt_texts(executed_notebook())
    assert alts == {hashlib.sha256(PNG_A).hexdigest(): "Figure: loss against epoch"}


def doctree_with_images(*images: nodes.image) -> nodes.document:
    document = new_document("<test>", get_default_settings(Parser))
    document.extend(images)
    return document


def test_set_alt_texts_fills_missing_alts_and_keeps_explicit_ones(tmp_path):
    folder = tmp_path / "jupyter_execute"
    (folder / "lessons").mkdir(parents=True)
    nbformat.write(executed_notebook(), folder / "lessons" / "01_x.ipynb")
    digest_a = hashlib.sha256(PNG_A).hexdigest()
    digest_b = hashlib.sha256(PNG_B).hexdigest()
    missing = nodes.image(uri=f"/_build/jupyter_execute/{digest_a}.png")
    explicit = nodes.image(uri=f"/_build/jupyter_execute/{digest_a}.png", alt="by the author")
    generic = nodes.image(uri=f"/_build/jupyter_execute/{digest_b}.png")
    app = SimpleNamespace(
        env=SimpleNamespace(
            docname="lessons/01_x", mystnb_config=SimpleNamespace(output_folder=str(folder))
        )
    )
    figure_alt_text.set_alt_texts(app, doctree_with_images(missing, explicit, generic))
    assert missing["alt"] == "Figure: loss against epoch"
    assert explicit["alt"] == "by the author"
    assert "alt" not in generic  # left for the browser test to report


def test_set_alt_texts_ignores_pages_that_are_not_executed_notebooks(tmp_path):
    image = nodes.image(uri="picture.png")
    app = SimpleNamespace(
        env=SimpleNamespace(docname="book/intro", mystnb_config=SimpleNamespace(output_folder=""))
    )
    figure_alt_text.set_alt_texts(app, doctree_with_images(image))
    app.env.mystnb_config.output_folder = str(tmp_path)
    figure_alt_text.set_alt_texts(app, doctree_with_images(image))
    assert "alt" not in image


# --- html_fixes: each inline script once -----------------------------------------------------


def test_an_inline_script_registered_twice_is_written_once():
    from sphinx.builders.html._assets import _JavaScript

    thebe = "const THEBE_JS_URL = 'x'"
    scripts = [
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript(None, body=thebe),  # as app.add_js_file registered it
        _JavaScript("", body=thebe),  # as the builder copied it from the registry
        _JavaScript("", body="var other = 1"),
        _JavaScript("_static/doctools.js", priority=200),
    ]
    assert scripts[1] != scripts[2]  # Sphinx 7.4's own comparison misses the repeat
    context = {"script_files": scripts}
    html_fixes.drop_repeated_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] is scripts  # edited in place: it is the builder's list
    assert [(s.filename, s.attributes.get("body")) for s in scripts] == [
        ("_static/doctools.js", None),
        (None, thebe),
        ("", "var other = 1"),
    ]


def test_scripts_that_differ_in_priority_or_attributes_are_kept():
    from sphinx.builders.html._assets import _JavaScript

    scripts = [
        _JavaScript("a.js", priority=200),
        _JavaScript("a.js", priority=500),
        _JavaScript("a.js", priority=500, defer="defer"),
    ]
    context = {"script_files": list(scripts)}
    html_fixes.drop_repeated_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] == scripts
