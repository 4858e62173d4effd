"""The published book, tested as a reader meets it: every page in a real browser, offline.

One headless Chromium session (Debian's ``chromium`` and ``chromium-driver``, driven by Selenium)
visits every page of the built site, served from 127.0.0.1 with every other host unresolvable,
and records what a reader would meet: console errors, requests that leave the site, math that
MathJax did not typeset, images that did not load or have no text alternative, widgets that
were not drawn, and the accessibility violations that axe-core (pinned in book/package.json)
finds. It also takes a full-page screenshot of each page, 1280 pixels wide. The tests below then
check those records, and a few check interactions: the kernel-free players step, the "next"
link leads from the introduction to the first lesson, search finds pages, and the launch buttons
open Binder and Colab on the page's own notebook.

Where things are (environment variables, with their defaults):

- ``NEURONET_SITE``: the built site, ``_build/html`` (``bash book/build.sh`` builds it);
- ``NEURONET_SCREENSHOTS``: where the screenshots go, ``_build/screenshots``.

Without a built site the tests are skipped, unless ``NEURONET_REQUIRE_BOOK=1`` (CI sets it); without
Chromium, chromedriver, Selenium or axe-core they are skipped, unless
``NEURONET_REQUIRE_BROWSER=1`` (CI sets it too). Either variable turns the skip into a failure.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("NEURONET_SITE") or ROOT / "_build" / "html")
SCREENSHOTS = Path(os.environ.get("NEURONET_SCREENSHOTS") or ROOT / "_build" / "screenshots")
AXE = ROOT / "book" / "node_modules" / "axe-core" / "axe.min.js"
CONFIG = ROOT / "book" / "_config.yml"
TOC = ROOT / "book" / "_toc.yml"
WIDTH = 1280
# Screenshots show the whole page down to this height. Every lesson fits (the longest is about
# 30 000 pixels); the API reference, over 150 000 pixels tall and growing with the package, is
# cut there, which keeps its screenshot a readable PNG of a few megabytes.
MAX_SCREENSHOT_HEIGHT = 50_000
# Folders of the site that hold no reading pages: assets, sources, and viewcode's source listings.
NOT_PAGES = {"_static", "_sources", "_images", "_modules"}
# axe's two highest impact levels fail the test; moderate and minor ones go to report.json.
FAILING_IMPACTS = {"serious", "critical"}

# What the widget manager draws for each kind of model a reader sees, by the CSS class it gives.
DRAWN_AS = {
    "FloatSliderModel": "widget-slider",
    "FloatLogSliderModel": "widget-slider",
    "IntSliderModel": "widget-slider",
    "SelectionSliderModel": "widget-slider",
    "DropdownModel": "widget-dropdown",
    "PlayModel": "widget-play",
    "FloatProgressModel": "widget-hprogress",
    "IntProgressModel": "widget-hprogress",
    "OutputModel": "widget-output",
}

# Accessibility violations that come from the theme (pydata-sphinx-theme, under
# sphinx-book-theme), cannot be changed from book/_config.yml, and are excused here one rule and
# one element at a time, so that the same rule still fails anywhere else.
THEME_EXCEPTIONS: dict[str, list[str]] = {
    # WCAG 2.5.3 (label in name) wants a control's visible text inside its accessible name. The
    # theme's two search buttons are named aria-label="Search" but show "Search Ctrl + K", and
    # its colour-mode button is named "Color mode" but shows an icon whose title ("Light",
    # "Dark", "System Settings") counts as its text. Both names come from the theme's templates.
    "label-content-name-mismatch": [
        ".search-button__button",
        ".theme-switch-button",
    ],
}

WAIT_FOR_PAGE = """
const done = arguments[arguments.length - 1];
const deadline = Date.now() + arguments[0];
const views = () => Array.from(document.querySelectorAll(
  'script[type="application/vnd.jupyter.widget-view+json"]'));
const drawn = (script) => {
  const output = script.closest(".cell_output") || script.parentElement;
  return output.querySelector(".jupyter-widgets") !== null;
};
const imagesDone = () => Array.from(document.images).every((img) => img.complete);
// An Output widget draws its stored figure a moment after the widget itself.
const storesFigures = Array.from(document.querySelectorAll(
  'script[type="application/vnd.jupyter.widget-state+json"]'))
  .some((script) => script.textContent.includes('"image/png"'));
const figuresDrawn = () => !storesFigures || document.querySelector(".widget-output img") !== null;
const mathjax = () => (window.MathJax && MathJax.startup && MathJax.startup.promise)
  ? MathJax.startup.promise : Promise.resolve();
function poll() {
  if ((views().every(drawn) && figuresDrawn() && imagesDone()) || Date.now() > deadline) {
    mathjax().then(() => document.fonts.ready).then(() => done(true), () => done(false));
  } else {
    setTimeout(poll, 100);
  }
}
poll();
"""

INSPECT_PAGE = """
const RAW_TEX = ["\\\\(", "\\\\)", "\\\\[", "\\\\]", "$$"];
// Visible text outside code, scripts and MathJax's own output.
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
  acceptNode: (node) => node.parentElement.closest(
    "pre, code, script, style, textarea, mjx-container, .highlight, [hidden]")
    ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
});
// MyST that was not parsed: a code fence, or a role such as {term}`neuron`.
const RAW_MYST = /```|\\{[a-z][a-z:-]*\\}`/;
const rawTex = [];
const rawMyst = [];
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.textContent;
  if (RAW_TEX.some((d) => text.includes(d))) rawTex.push(text.trim().slice(0, 120));
  if (RAW_MYST.test(text)) rawMyst.push(text.trim().slice(-120));
}
const math = Array.from(document.querySelectorAll(".math"));
const figureCaption = (img) => {
  const figure = img.closest("figure");
  const caption = figure && figure.querySelector("figcaption");
  return caption ? caption.textContent.trim() : "";
};
const views = Array.from(document.querySelectorAll(
  'script[type="application/vnd.jupyter.widget-view+json"]'));
// The model names in the page's stored widget state, and "OutputImage" per stored figure.
function widgetModels() {
  const names = [];
  document.querySelectorAll('script[type="application/vnd.jupyter.widget-state+json"]')
    .forEach((script) => {
      Object.values(JSON.parse(script.textContent).state).forEach((model) => {
        names.push(model.model_name);
        ((model.state && model.state.outputs) || []).forEach((output) => {
          if (output.data && output.data["image/png"]) names.push("OutputImage");
        });
      });
    });
  return names;
}
return {
  title: document.title,
  math: math.length,
  typeset: math.filter((m) => m.querySelector("mjx-container")).length,
  untypeset: math.filter((m) => !m.querySelector("mjx-container"))
    .map((m) => m.textContent.trim().slice(0, 80)),
  rawTex: rawTex,
  rawMyst: rawMyst,
  images: Array.from(document.images).map((img) => ({
    src: img.currentSrc.startsWith("data:") ? img.currentSrc.slice(0, 40) + "..." : img.currentSrc,
    alt: img.getAttribute("alt"),
    caption: figureCaption(img),
    loaded: img.complete && img.naturalWidth > 0,
    decorative: img.getAttribute("role") === "presentation"
      || img.getAttribute("aria-hidden") === "true",
  })),
  widgetViews: views.length,
  widgetsDrawn: views.filter((s) => (s.closest(".cell_output") || s.parentElement)
    .querySelector(".jupyter-widgets")).length,
  widgetModels: widgetModels(),
  widgetClasses: Array.from(new Set(Array.from(document.querySelectorAll(".jupyter-widgets"))
    .flatMap((e) => Array.from(e.classList).filter((c) => c.startsWith("widget-"))))),
  widgetFigures: document.querySelectorAll(".widget-output img").length,
  players: document.querySelectorAll(".animation").length,
  links: Array.from(document.querySelectorAll("a[href]")).map((a) => a.href),
  height: Math.max(document.documentElement.scrollHeight, document.body.scrollHeight),
};
"""

# Steps each matplotlib player as a reader does: pause, first frame, "Next frame", then the slider
# to the last frame. Reports, per player, whether the shown image became frame 1, then the last.
STEP_PLAYERS = """
return Array.from(document.querySelectorAll(".animation")).map((player) => {
  const img = player.querySelector("img");
  const slider = player.querySelector("input.anim-slider");
  const button = (title) => player.querySelector(`button[title="${title}"]`);
  const name = img.id.replace("_anim_img", "anim");
  const frames = (window[name] && window[name].frames) || [];
  button("Pause").click();
  button("First frame").click();
  const first = img.src;
  button("Next frame").click();
  const next = {src: img.src, slider: slider.value};
  const last = Number(slider.max);
  slider.value = String(last);
  slider.dispatchEvent(new Event("input", {bubbles: true}));
  return {
    id: img.id,
    frames: frames.length,
    firstIsFrame0: frames.length > 0 && first === frames[0].src,
    nextIsFrame1: frames.length > 1 && next.src === frames[1].src && next.slider === "1",
    sliderShowsLast: frames.length > 1 && img.src === frames[last].src && img.src !== first,
  };
});
"""

RUN_AXE = """
const done = arguments[arguments.length - 1];
const exceptions = arguments[0];
axe.run(document, {resultTypes: ["violations"]}).then((results) => {
  done(results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => {
      const element = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
      const excused = element !== null && (exceptions[v.id] || []).some((s) => element.matches(s));
      return {target: n.target.join(" "), html: n.html.slice(0, 160), excused: excused};
    }),
  })));
}, (error) => done({error: String(error)}));
"""


# --- where things are --------------------------------------------------------------------------


def require_or_skip(variable: str, message: str) -> None:
    if os.environ.get(variable) == "1":
        pytest.fail(f"{message} ({variable}=1)")
    pytest.skip(message)


def site_pages(site: Path) -> list[str]:
    """Every reading page of the site, relative to it: the toc's pages, genindex, search...

    The root index.html only redirects to the introduction; it is visited by the navigation test.
    """
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if NOT_PAGES & set(rel.parts) or rel.as_posix() == "index.html":
            continue
        pages.append(rel.as_posix())
    return pages


def first_chapter() -> str:
    toc = yaml.safe_load(TOC.read_text(encoding="utf-8"))
    chapters = toc["parts"][0]["chapters"] if "parts" in toc else toc["chapters"]
    return chapters[0]["file"]


def has_math_in_source(site: Path, page: str) -> bool:
    return 'class="math' in (site / page).read_text(encoding="utf-8")


def has_widget_state(site: Path, page: str) -> bool:
    return "application/vnd.jupyter.widget-state+json" in (site / page).read_text(encoding="utf-8")


def is_meaningful(alt: str | None) -> bool:
    """An alt text that describes something, not a file name or matplotlib's generic repr."""
    if alt is None:
        return False
    alt = alt.strip()
    return bool(alt) and not (
        re.search(r"\.(png|jpe?g|gif|svg|webp)$", alt, re.IGNORECASE)
        or "_images/" in alt
        or re.match(r"^<(matplotlib\.figure\.)?Figure\b", alt)
        or alt.lower() in {"figure", "image", "plot"}
    )


# --- the server and the browser -----------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class PageRecord:
    """What one visit of a page found."""

    page: str
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    violations: list[dict[str, Any]] = field(default_factory=list)
    axe_error: str = ""
    screenshot: Path | None = None
    players: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Visit:
    driver: Any
    base: str
    site: Path
    records: dict[str, PageRecord]
    seconds: float


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "book" / "intro.html").is_file():
        require_or_skip(
            "NEURONET_REQUIRE_BOOK",
            f"the book is not built ({SITE} has no book/intro.html): run `bash book/build.sh`"
            " or point NEURONET_SITE at a built site",
        )
    return SITE


def chrome_paths() -> tuple[str, str]:
    browser = next(
        (found for n in ("chromium", "chromium-browser") if (found := shutil.which(n))), None
    )
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        require_or_skip(
            "NEURONET_REQUIRE_BROWSER",
            "headless Chromium and its driver are not installed "
            "(Debian: apt-get install chromium chromium-driver)",
        )
    return browser, driver


def new_driver() -> Any:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        require_or_skip(
            "NEURONET_REQUIRE_BROWSER",
            "selenium is not installed: pip install -r requirements.txt",
        )
    browser, driver = chrome_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root, in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={WIDTH},900",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        # Nothing but the test server can be reached: any other host name does not resolve.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # An explicit driver path: Selenium Manager, which would download a driver, is never run.
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def screenshot_name(page: str) -> str:
    return page.removesuffix(".html").replace("/", "__") + ".png"


def full_page_screenshot(driver: Any, height: int, path: Path) -> None:
    """The page in a window as tall as the page (up to MAX_SCREENSHOT_HEIGHT), 1280 wide.

    The window is resized for the shot rather than using Chromium's captureBeyondViewport,
    which after a few pages drew the article shifted sideways, out of the picture.
    """
    height = min(height, MAX_SCREENSHOT_HEIGHT)
    metrics = {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "optimizeForSpeed": True},  # half the time, a slightly larger file
        )
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    path.write_bytes(base64.b64decode(shot["data"]))


def network_events(driver: Any) -> tuple[list[str], list[str]]:
    """The URLs the page requested, and those that failed or answered with an error status."""
    requests, failed, urls = [], [], {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            url = params["request"]["url"]
            urls[params["requestId"]] = url
            requests.append(url)
        elif message["method"] == "Network.responseReceived":
            status = params["response"]["status"]
            if status >= 400:
                failed.append(f"{params['response']['url']} ({status})")
        elif message["method"] == "Network.loadingFailed" and not params.get("canceled"):
            failed.append(f"{urls.get(params['requestId'], '?')} ({params.get('errorText')})")
    return requests, failed


def severe_messages(driver: Any) -> list[str]:
    """The console's errors since it was last read (uncaught exceptions, failed loads...)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def visit(driver: Any, base: str, page: str, axe_source: str | None) -> PageRecord:
    record = PageRecord(page)
    start = time.perf_counter()
    driver.get_log("browser")  # forget what earlier pages logged
    driver.get_log("performance")
    driver.get(f"{base}/{page}")
    driver.execute_async_script(WAIT_FOR_PAGE, 15000)
    record.info = driver.execute_script(INSPECT_PAGE)
    record.console = severe_messages(driver)
    record.requests, record.failed = network_events(driver)
    # The screenshot comes before axe, which scrolls things into view to test colour contrast.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    record.screenshot = SCREENSHOTS / screenshot_name(page)
    full_page_screenshot(driver, record.info["height"], record.screenshot)
    if axe_source is not None:
        driver.execute_script(axe_source)
        result = driver.execute_async_script(RUN_AXE, THEME_EXCEPTIONS)
        if isinstance(result, dict):
            record.axe_error = result["error"]
        else:
            record.violations = result
    if record.info["players"]:
        record.players = driver.execute_script(STEP_PLAYERS)
        record.console += severe_messages(driver)  # errors of the players' own scripts
    record.seconds = time.perf_counter() - start
    return record


def write_report(records: dict[str, PageRecord], seconds: float) -> None:
    """Save what the visits found next to the screenshots (CI keeps both)."""
    summary = {
        "seconds": round(seconds, 1),
        "pages": {
            page: {
                "seconds": round(r.seconds, 2),
                "screenshot": r.screenshot.name if r.screenshot else None,
                "console_errors": r.console,
                "failed_requests": r.failed,
                "math": [r.info["typeset"], r.info["math"]],
                "images": len(r.info["images"]),
                "widgets": [r.info["widgetsDrawn"], r.info["widgetViews"]],
                "players": r.players,
                "axe": [
                    {
                        "id": v["id"],
                        "impact": v["impact"],
                        "nodes": len(v["nodes"]),
                        "excused": sum(n["excused"] for n in v["nodes"]),
                    }
                    for v in r.violations
                ],
            }
            for page, r in records.items()
        },
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "report.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def visited(site: Path) -> Iterator[Visit]:
    """Serve the site on 127.0.0.1 and visit every page once, in one browser session."""
    axe_source = AXE.read_text(encoding="utf-8") if AXE.is_file() else None
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    driver = None
    try:
        driver = new_driver()
        driver.set_script_timeout(60)
        start = time.perf_counter()
        records = {}
        for page in site_pages(site):
            try:
                records[page] = visit(driver, base, page, axe_source)
            except Exception as error:  # a browser failure: say which page caused it
                raise RuntimeError(f"visiting {page} failed: {error}") from error
        seconds = time.perf_counter() - start
        write_report(records, seconds)
        yield Visit(driver, base, site, records, seconds)
    finally:
        if driver is not None:
            driver.quit()
        server.shutdown()
        server.server_close()


def report(problems: list[str]) -> str:
    return "\n".join(problems)


# --- every page ----------------------------------------------------------------------------------


def test_the_site_has_its_reading_pages(visited: Visit):
    pages = set(visited.records)
    for page in ("book/intro.html", "genindex.html", "search.html", f"{first_chapter()}.html"):
        assert page in pages, f"{page} is not in the built site {visited.site}"


def test_pages_log_no_console_errors(visited: Visit):
    problems = [f"{r.page}: {m}" for r in visited.records.values() for m in r.console]
    assert not problems, "console errors:\n" + report(problems)


def test_pages_request_nothing_outside_the_site(visited: Visit):
    inside = (visited.base + "/", "data:", "blob:", "about:")
    outside = [
        f"{r.page}: {url}"
        for r in visited.records.values()
        for url in r.requests
        if not url.startswith(inside)
    ]
    assert not outside, "requests that leave 127.0.0.1:\n" + report(outside)
    failed = [f"{r.page}: {f}" for r in visited.records.values() for f in r.failed]
    assert not failed, "requests that failed:\n" + report(failed)


def test_math_is_typeset(visited: Visit):
    math_pages = [r for r in visited.records.values() if has_math_in_source(visited.site, r.page)]
    assert math_pages, "no page has math, so the MathJax check checks nothing"
    problems = []
    for record in math_pages:
        info = record.info
        if info["math"] == 0 or info["typeset"] != info["math"]:
            problems.append(
                f"{record.page}: {info['typeset']} of {info['math']} math elements typeset; "
                f"not typeset: {info['untypeset'][:5]}"
            )
    for record in visited.records.values():
        if record.info["rawTex"]:
            problems.append(f"{record.page}: raw TeX in the text: {record.info['rawTex'][:5]}")
    assert not problems, "math that MathJax did not typeset:\n" + report(problems)


def test_no_myst_markup_is_left_in_the_text(visited: Visit):
    problems = [
        f"{r.page}: ...{text!r}" for r in visited.records.values() for text in r.info["rawMyst"]
    ]
    assert not problems, (
        "MyST markup shown as text (a fence closed on a line of text, an unknown role...):\n"
        + report(problems)
    )


def test_every_image_loads(visited: Visit):
    problems = [
        f"{r.page}: {img['src']}"
        for r in visited.records.values()
        for img in r.info["images"]
        if not img["loaded"]
    ]
    assert not problems, "images that did not load:\n" + report(problems)


def test_every_figure_has_a_caption_or_alt_text(visited: Visit):
    problems = [
        f"{r.page}: {img['src']} has alt={img['alt']!r} and no caption"
        for r in visited.records.values()
        for img in r.info["images"]
        if not img["decorative"] and not img["caption"] and not is_meaningful(img["alt"])
    ]
    assert not problems, (
        "images without a text alternative (call neuronet.course.plots.use_style() in the lesson "
        "so that figures describe themselves, or set the cell metadata mystnb: image: alt:):\n"
        + report(problems)
    )


def test_widgets_are_drawn_on_pages_with_widget_state(visited: Visit):
    """Every stored widget view is drawn, with each kind of control and every stored figure."""
    widget_pages = [r for r in visited.records.values() if has_widget_state(visited.site, r.page)]
    problems = []
    for record in widget_pages:
        info = record.info
        if info["widgetViews"] == 0 or info["widgetsDrawn"] != info["widgetViews"]:
            problems.append(f"{record.page}: {info['widgetsDrawn']} of {info['widgetViews']} drawn")
        models = set(info["widgetModels"])
        for model in sorted(models & set(DRAWN_AS)):
            if DRAWN_AS[model] not in info["widgetClasses"]:
                problems.append(f"{record.page}: no .{DRAWN_AS[model]} drawn for its {model}")
        if "OutputImage" in models and info["widgetFigures"] == 0:
            problems.append(f"{record.page}: the widgets stored figures but drew none")
    assert not problems, "widgets not drawn:\n" + report(problems)


def test_pages_have_no_serious_accessibility_violations(visited: Visit):
    if not AXE.is_file():
        require_or_skip(
            "NEURONET_REQUIRE_BROWSER",
            f"axe-core is not installed ({AXE}): run `npm ci --prefix book`",
        )
    errors = [f"{r.page}: {r.axe_error}" for r in visited.records.values() if r.axe_error]
    assert not errors, "axe-core did not run:\n" + report(errors)
    problems = []
    for record in visited.records.values():
        for violation in record.violations:
            if violation["impact"] not in FAILING_IMPACTS:
                continue
            for node in violation["nodes"]:
                if not node["excused"]:
                    problems.append(
                        f"{record.page}: {violation['id']} ({violation['impact']}: "
                        f"{violation['help']}) at {node['target']}: {node['html']}"
                    )
    assert not problems, "serious or critical accessibility violations:\n" + report(problems)


def test_every_page_has_a_full_page_screenshot(visited: Visit):
    from PIL import Image

    problems = []
    for record in visited.records.values():
        path = record.screenshot
        if path is None or not path.is_file():
            problems.append(f"{record.page}: no screenshot")
            continue
        with Image.open(path) as image:
            width, height = image.size
            colours = image.convert("L").getextrema()
        expected = min(record.info["height"], MAX_SCREENSHOT_HEIGHT)
        if (width, height) != (WIDTH, expected):
            problems.append(f"{record.page}: {width}x{height} pixels, not {WIDTH}x{expected}")
        if colours[0] == colours[1]:
            problems.append(f"{record.page}: screenshot is blank")
    assert not problems, "screenshots:\n" + report(problems)


# --- interactions ------------------------------------------------------------------------------


def test_players_step_without_a_kernel(visited: Visit):
    """Every player's "Next frame" button shows frame 1, and its slider shows the last frame."""
    with_players = [r for r in visited.records.values() if r.info["players"]]
    assert with_players, "no page has a kernel-free player, so the player check checks nothing"
    problems = []
    for record in with_players:
        if len(record.players) != record.info["players"]:
            problems.append(f"{record.page}: {len(record.players)} players stepped")
        for player in record.players:
            if player["frames"] < 2:
                problems.append(f"{record.page}: {player['id']} has {player['frames']} frames")
            elif not player["firstIsFrame0"]:
                problems.append(f"{record.page}: 'First frame' did not show frame 0")
            elif not player["nextIsFrame1"]:
                problems.append(f"{record.page}: 'Next frame' did not show frame 1")
            elif not player["sliderShowsLast"]:
                problems.append(f"{record.page}: the slider did not show the last frame")
    assert not problems, "players that do not respond:\n" + report(problems)


def test_a_player_button_responds_to_a_real_click(visited: Visit):
    """One player clicked through the browser (the checks above click from JavaScript)."""
    from selenium.webdriver.common.by import By

    page = next((r.page for r in visited.records.values() if r.info["players"]), None)
    assert page, "no page has a kernel-free player"
    driver = visited.driver
    driver.get(f"{visited.base}/{page}")
    player = driver.find_element(By.CSS_SELECTOR, ".animation")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", player)
    image = player.find_element(By.CSS_SELECTOR, "img")
    player.find_element(By.CSS_SELECTOR, 'button[title="Pause"]').click()
    player.find_element(By.CSS_SELECTOR, 'button[title="First frame"]').click()
    first = image.get_attribute("src")
    player.find_element(By.CSS_SELECTOR, 'button[title="Next frame"]').click()
    assert image.get_attribute("src") != first, f"{page}: 'Next frame' changed nothing"
    slider = player.find_element(By.CSS_SELECTOR, "input.anim-slider")
    assert slider.get_attribute("value") == "1"


def test_next_link_leads_from_the_introduction_to_the_first_lesson(visited: Visit):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = visited.driver
    driver.get(f"{visited.base}/")  # the root redirects to the introduction
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/book/intro.html"))
    link = driver.find_element(By.CSS_SELECTOR, "a.right-next")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
    link.click()
    target = f"/{first_chapter()}.html"
    WebDriverWait(driver, 10).until(lambda d: urlsplit(d.current_url).path == target)
    heading = driver.find_element(By.CSS_SELECTOR, "article h1").text
    number = re.match(r"lessons/(\d{2})_", first_chapter())
    assert number and heading.startswith(number.group(1)), f"{target}: heading {heading!r}"


def test_search_finds_pages(visited: Visit):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = visited.driver
    driver.get(f"{visited.base}/search.html?q=gradient")
    # Sphinx shows results one by one, then says how many it found.
    summary = WebDriverWait(driver, 20).until(
        lambda d: next(
            (e.text for e in d.find_elements(By.CSS_SELECTOR, "p.search-summary") if e.text), None
        )
    )
    assert re.search(r"found \d+ page", summary), f"search for 'gradient': {summary!r}"
    results = driver.find_elements(By.CSS_SELECTOR, "#search-results ul.search li a")
    hrefs = {urlsplit(a.get_attribute("href")).path for a in results}
    assert any("gradient_descent" in h for h in hrefs), f"search for 'gradient' found {hrefs}"


def launch_urls(page: str) -> dict[str, str]:
    """The Binder and Colab addresses of a lesson page, from book/_config.yml."""
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    repository = config["repository"]["url"].rstrip("/")
    branch = config["repository"]["branch"]
    owner_name = urlsplit(repository).path.strip("/")
    notebook = page.removesuffix(".html") + ".ipynb"
    binder = config["launch_buttons"]["binderhub_url"].rstrip("/")
    colab = config["launch_buttons"]["colab_url"].rstrip("/")
    return {
        "Binder": f"{binder}/v2/gh/{owner_name}/{branch}?urlpath=lab/tree/{notebook}",
        "Colab": f"{colab}/github/{owner_name}/blob/{branch}/{notebook}",
    }


def test_launch_buttons_open_the_page_notebook_on_binder_and_colab(visited: Visit):
    from selenium.webdriver.common.by import By

    lessons = [p for p in visited.records if p.startswith("lessons/")]
    assert lessons, "no lesson pages in the site"
    problems = []
    for page in lessons:
        links = visited.records[page].info["links"]
        for service, url in launch_urls(page).items():
            if url not in links:
                problems.append(f"{page}: no {service} link to {url}")
        assert (ROOT / page.removesuffix(".html")).with_suffix(".ipynb").is_file()
    # As a reader does it, on the first lesson: open the launch menu and see both links.
    driver = visited.driver
    driver.get(f"{visited.base}/{lessons[0]}")
    driver.find_element(By.CSS_SELECTOR, ".dropdown-launch-buttons button").click()
    for service, url in launch_urls(lessons[0]).items():
        shown = [
            a
            for a in driver.find_elements(By.CSS_SELECTOR, ".dropdown-launch-buttons a")
            if a.get_attribute("href") == url and a.is_displayed()
        ]
        if not shown:
            problems.append(f"{lessons[0]}: the launch menu shows no {service} link to {url}")
    assert not problems, "launch buttons:\n" + report(problems)
