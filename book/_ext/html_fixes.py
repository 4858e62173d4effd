"""Sphinx extension: three corrections to the HTML that Sphinx 7.4, docutils and myst-nb write.

Each one removes an error that tests/test_site_browser.py finds in every affected page:

- Repeated inline scripts. Sphinx 7.4 lists an inline script twice when an extension adds it with
  ``app.add_js_file(None, body=...)`` after the builder started: once as registered (file name
  ``None``) and once when the builder copies the registry before writing (file name ``""``),
  which it no longer recognises as the same script. sphinx-thebe and sphinx-togglebutton, which
  Jupyter Book 1 always loads, do that, so every page declared ``const THEBE_JS_URL`` twice, a
  ``SyntaxError`` in the console. The repeats are dropped just before each page is written.
- The bibliography's list. docutils wraps citations in ``<div role="list">`` and gives each one
  the DPUB role ``doc-biblioentry``, which ARIA 1.2 deprecates and which is no list item, so the
  list has no items for a screen reader (axe-core: aria-required-children, critical). Each
  citation becomes a ``role="listitem"``.
- The "Show code cell source" toggle. myst-nb names the ``<summary>`` of a hidden cell input
  ``aria-label="Toggle hidden content"`` while it shows "Show code cell source", so speech
  input users cannot say what they see (axe-core: label-content-name-mismatch, WCAG 2.5.3). The
  summary is left to be named by its visible text.

Loaded through ``sphinx: local_extensions`` in book/_config.yml.
"""

from __future__ import annotations

from html import escape
from typing import Any

from docutils import nodes

# --- repeated inline scripts -------------------------------------------------------------------


def script_key(script: Any) -> tuple:
    """What makes two script entries the same script: source, priority and attributes."""
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", {}) or {}
    return (filename, getattr(script, "priority", 500), tuple(sorted(attributes.items())))


def drop_repeated_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any):
    """On ``html-page-context``: keep the first of each script in ``context["script_files"]``."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


# --- the bibliography's list ---------------------------------------------------------------------


def visit_citation(self: Any, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self: Any, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


# --- the hidden cell input's toggle --------------------------------------------------------------


def visit_hidden_cell_input(self: Any, node: Any) -> None:
    """myst-nb's own visitor, without the aria-label that hides the visible text."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    self.body.append("<summary>\n")
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def setup(app: Any) -> dict[str, Any]:
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

    # Late, so that scripts added to this page by other handlers are seen too.
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_node(
        HideCodeCellNode, override=True, html=(visit_hidden_cell_input, depart_HideCellInput)
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
