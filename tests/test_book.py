"""Checks of the course book: its sources, and the site that `bash book/build.sh` builds.

The source checks always run. The checks of the built site need `_build/html`; without it they
are skipped, unless the environment variable ``NEURONET_REQUIRE_BOOK=1`` is set (CI builds the
book first and sets it), which turns the skip into a failure. The site as a reader's browser
shows it is tested in ``tests/test_site_browser.py``.
"""

from __future__ import annotations

import functools
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
TOC = ROOT / "book" / "_toc.yml"
SITE = ROOT / "_build" / "html"
# The ipywidgets models of the controls a learner moves (one of them must be on a widget page).
CONTROL_MODELS = {
    "FloatSliderModel",
    "FloatLogSliderModel",
    "IntSliderModel",
    "SelectionSliderModel",
    "DropdownModel",
    "PlayModel",
}

TITLE = re.compile(r"^# (\d{2}) · \S.*$")
LESSON_NAME = re.compile(r"^(\d{2})_[a-z0-9_]+\.ipynb$")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# Script types that a browser executes; other types (widget state, thebe config) are data.
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Tag attributes through which a page loads something (a plain <a href> is a link, not a load).
LOADING_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src",),
    "iframe": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}


def lesson_notebooks() -> list[Path]:
    return sorted(p for p in LESSONS.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def toc_files() -> list[str]:
    """Every document the table of contents names: the root and each `file:` entry."""
    toc = yaml.safe_load(TOC.read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return files


# --- (a) table of contents ------------------------------------------------------------------


def test_there_are_lesson_notebooks():
    assert lesson_notebooks(), f"no notebooks found in {LESSONS}"


def test_every_lesson_notebook_is_in_the_toc():
    listed = set(toc_files())
    missing = [f"lessons/{p.stem}" for p in lesson_notebooks() if f"lessons/{p.stem}" not in listed]
    assert not missing, f"notebooks missing from {TOC.relative_to(ROOT)}: {missing}"


def test_every_toc_entry_exists():
    files = toc_files()
    missing = [
        f
        for f in files
        if not any((ROOT / f"{f}{suffix}").is_file() for suffix in (".md", ".ipynb"))
    ]
    assert not missing, f"toc entries with no .md or .ipynb file: {missing}"
    duplicates = sorted({f for f in files if files.count(f) > 1})
    assert not duplicates, f"toc entries listed more than once: {duplicates}"


# --- (b) notebooks are stored clean, with the title convention ---------------------------------


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, (
        f"{path.name}: code cells {dirty} have stored outputs or execution counts; "
        "clear them before committing (the book and the tests execute the notebook)"
    )
    assert "widgets" not in nb.metadata, f"{path.name}: stored widget state in notebook metadata"


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.name)
def test_notebook_name_and_title(path: Path):
    name = LESSON_NAME.match(path.name)
    assert name, f"{path.name}: expected a name like 01_the_neuron.ipynb"
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0] if nb.cells else None
    assert first is not None and first.cell_type == "markdown", (
        f"{path.name}: the first cell must be a markdown title cell"
    )
    title_line = first.source.splitlines()[0] if first.source else ""
    title = TITLE.match(title_line)
    assert title, f"{path.name}: first line {title_line!r} is not of the form '# NN · Title'"
    assert title.group(1) == name.group(1), (
        f"{path.name}: title number {title.group(1)} does not match file number {name.group(1)}"
    )


# --- (c) the built site ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        message = f"the book is not built ({SITE} is missing): run `bash book/build.sh`"
        if os.environ.get("NEURONET_REQUIRE_BOOK") == "1":
            pytest.fail(message + " (NEURONET_REQUIRE_BOOK=1)")
        pytest.skip(message)
    return SITE


class PageParser(HTMLParser):
    """Collects what a page loads: URLs in loading attributes, and inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.attributes: list[tuple[str, dict[str, str]]] = []
        self.inline_scripts: list[tuple[str, str]] = []  # (type, body)
        self._script: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        self.attributes.append((tag, values))
        for attribute in LOADING_ATTRIBUTES.get(tag, ()):
            if attribute in values:
                if tag == "link" and values.get("rel", "").lower() == "canonical":
                    continue  # names the page's public address, loads nothing
                self.loads.append((tag, attribute, values[attribute]))
        if tag == "script" and "src" not in values:
            self._script = (values.get("type", "").strip().lower(), [])

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.inline_scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


@functools.cache
def parse(page: Path) -> PageParser:
    parser = PageParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def pages(site: Path) -> list[Path]:
    skip = {"_static", "_sources", "_images"}
    return sorted(p for p in site.rglob("*.html") if not skip & set(p.relative_to(site).parts))


def is_inside_site(url: str) -> bool:
    """A relative URL, a fragment or a self-contained data: URI; nothing with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme == "data":
        return True
    return not parts.scheme and not parts.netloc and not url.strip().startswith("/")


def local_target(page: Path, url: str) -> Path:
    return (page.parent / unquote(urlsplit(url).path)).resolve()


def test_site_has_the_pages_of_the_toc(site: Path):
    for doc in toc_files():
        assert (site / f"{doc}.html").is_file(), f"{doc}.html was not built"


def test_pages_load_nothing_from_outside_the_site(site: Path):
    outside, missing = [], []
    for page in pages(site):
        for tag, attribute, url in parse(page).loads:
            where = f"{page.relative_to(site)}: <{tag} {attribute}={url!r}>"
            if not is_inside_site(url):
                outside.append(where)
            elif urlsplit(url).path and not url.startswith("data:"):
                if not local_target(page, url).exists():
                    missing.append(where)
    assert not outside, "pages load resources from outside the site:\n" + "\n".join(outside)
    assert not missing, "pages load files that are not in the site:\n" + "\n".join(missing)


def test_inline_scripts_name_no_external_url(site: Path):
    """No inline script configures a load from the internet (require paths, CDNs...).

    The one exception is sphinx-thebe's THEBE_JS_URL constant, which Jupyter Book writes on
    every page but which is only fetched by a thebe launch button; the book has none (the
    check fails if one appears).
    """
    found = []
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        for script_type, body in parse(page).inline_scripts:
            if script_type not in EXECUTABLE_SCRIPT_TYPES:
                continue
            for url in re.findall(r"""https?://[^\s"'`)<>]+""", body):
                dormant_thebe = (
                    re.search(r'const THEBE_JS_URL = "' + re.escape(url) + '"', body)
                    and "thebe-launch-button" not in html
                )
                if not dormant_thebe:
                    found.append(f"{page.relative_to(site)}: {url}")
        for _tag, values in parse(page).attributes:
            cdn = values.get("data-jupyter-widgets-cdn")
            if cdn is not None and not is_inside_site(cdn):
                found.append(f"{page.relative_to(site)}: data-jupyter-widgets-cdn={cdn!r}")
    assert not found, "external URLs in inline scripts:\n" + "\n".join(found)


def script_sources(page: Path) -> list[str]:
    return [urlsplit(url).path for tag, _, url in parse(page).loads if tag == "script"]


def test_mathjax_is_served_locally(site: Path):
    math_pages = [p for p in pages(site) if 'class="math' in p.read_text(encoding="utf-8")]
    assert math_pages, "no page contains math, so the MathJax check checks nothing"
    for page in math_pages:
        mathjax = [s for s in script_sources(page) if s.endswith("/mathjax/tex-mml-chtml.js")]
        assert mathjax, f"{page.relative_to(site)} has math but loads no local MathJax"
        assert local_target(page, mathjax[0]).is_file()
    fonts = site / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2"
    assert any(fonts.glob("*.woff")), f"MathJax fonts missing from {fonts}"


def lesson_pages_with_widgets(site: Path) -> list[Path]:
    """The built page of every lesson that imports ipywidgets."""
    out = []
    for nb_path in lesson_notebooks():
        nb = nbformat.read(nb_path, as_version=4)
        if any(c.cell_type == "code" and "ipywidgets" in c.source for c in nb.cells):
            out.append(site / "lessons" / f"{nb_path.stem}.html")
    return out


def test_widget_pages_embed_state_and_a_local_widget_manager(site: Path):
    with_widgets = lesson_pages_with_widgets(site)
    assert with_widgets, "no lesson uses ipywidgets, so the widget check checks nothing"
    for page in with_widgets:
        parser = parse(page)
        states = [json.loads(body) for kind, body in parser.inline_scripts if kind == WIDGET_STATE]
        assert len(states) == 1, (
            f"{page.name}: expected one embedded widget state, got {len(states)}"
        )
        assert states[0]["state"], f"{page.name}: the embedded widget state is empty"
        models = {m["model_name"] for m in states[0]["state"].values()}
        assert models & CONTROL_MODELS, (
            f"{page.name}: no control among the widget models {sorted(models)}"
        )
        sources = script_sources(page)
        for name in ("/widgets/require.js", "/widgets/local-loader.js", "/widgets/embed-amd.js"):
            hits = [s for s in sources if s.endswith(name)]
            assert hits, f"{page.name}: {name} is not loaded"
            assert local_target(page, hits[0]).is_file(), f"{page.name}: {name} is missing"
        order = [
            next(i for i, s in enumerate(sources) if s.endswith(n))
            for n in ("/widgets/require.js", "/widgets/local-loader.js", "/widgets/embed-amd.js")
        ]
        assert order == sorted(order), f"{page.name}: widget scripts load in the wrong order"


def test_lesson_pages_have_launch_buttons_for_the_configured_repository(site: Path):
    config = yaml.safe_load((ROOT / "book" / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]["url"].rstrip("/")
    branch = config["repository"]["branch"]
    owner_name = urlsplit(repo).path.strip("/")
    binder = config["launch_buttons"]["binderhub_url"].rstrip("/")
    colab = config["launch_buttons"]["colab_url"].rstrip("/")
    for nb_path in lesson_notebooks():
        page = site / "lessons" / f"{nb_path.stem}.html"
        links = re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8"))
        notebook = f"lessons/{nb_path.name}"
        expected = {
            "Binder": f"{binder}/v2/gh/{owner_name}/{branch}?urlpath=lab/tree/{notebook}",
            "Colab": f"{colab}/github/{owner_name}/blob/{branch}/{notebook}",
        }
        for service, url in expected.items():
            assert url in links, f"{page.name}: no {service} button to {url}"
        assert (ROOT / notebook).is_file()
