"""Sphinx extension: give every figure of an executed notebook its text alternative as alt text.

myst-nb writes a figure output as an image with no ``alt`` attribute unless the cell's metadata
sets one (``mystnb: image: alt: ...``), and Sphinx then falls back to the image's file name, which
tells a screen-reader user nothing. Each figure output of a notebook also carries a ``text/plain``
form, and :func:`neuronet.course.plots.use_style` makes that form a description of the figure (its
title, axes, legend: :func:`neuronet.course.plots.describe_figure`). This extension copies it
into the image's ``alt`` attribute. An ``alt`` set in the cell metadata wins; matplotlib's generic
``<Figure size 640x480 with 1 Axes>`` is never used (tests/test_site_browser.py then reports the
image as lacking a text alternative).

Loaded through ``sphinx: local_extensions`` in book/_config.yml.
"""

from __future__ import annotations

import hashlib
import re
from binascii import a2b_base64
from pathlib import Path
from typing import Any

import nbformat
from docutils import nodes

# matplotlib's repr of a figure: says nothing about what the figure shows.
GENERIC = re.compile(r"^<(?:Figure|matplotlib\.figure\.Figure)\b.*>$", re.DOTALL)


def figure_alt_texts(notebook: Any) -> dict[str, str]:
    """Map the SHA-256 of each PNG output (myst-nb's image file name) to its text alternative.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    dict
        Hex digest of the decoded PNG bytes -> the output's ``text/plain``, for every output
        whose plain text is a real description (not matplotlib's generic figure repr).
    """
    alts: dict[str, str] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            png, text = data.get("image/png"), data.get("text/plain")
            if not png or not text:
                continue
            text = text if isinstance(text, str) else "".join(text)
            text = " ".join(text.split())
            if not text or GENERIC.match(text):
                continue
            digest = hashlib.sha256(a2b_base64(png)).hexdigest()
            alts[digest] = text
    return alts


def set_alt_texts(app: Any, doctree: nodes.document) -> None:
    """On ``doctree-read``: set the alt of each notebook figure that has none."""
    config = getattr(app.env, "mystnb_config", None)
    folder = getattr(config, "output_folder", "")
    if not folder:
        return
    executed = Path(folder, *f"{app.env.docname}.ipynb".split("/"))
    if not executed.is_file():
        return  # not a notebook, or not executed
    alts = figure_alt_texts(nbformat.read(executed, as_version=4))
    for image in doctree.findall(nodes.image):
        if image.get("alt"):
            continue
        alt = alts.get(Path(image["uri"]).stem)
        if alt:
            image["alt"] = alt


def setup(app: Any) -> dict[str, Any]:
    app.connect("doctree-read", set_alt_texts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
