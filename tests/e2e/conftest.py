"""Browser end-to-end fixtures: one `streamlit run app.py` per test session, driven by Debian's Chromium.

Use in a test module (mark it ``pytestmark = pytest.mark.browser``)::

    def test_my_page(app_page):
        app_page.goto("/my-page?my_key=3")
        assert not app_page.exceptions()
        assert app_page.chart_count() >= 1

Without /usr/bin/chromium (or Playwright) the browser tests are skipped — unless the environment sets
REQUIRE_BROWSER=1 (as .ci/run does), in which case they fail. No browser is ever downloaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from benchmarks.serving import CHROMIUM, CHROMIUM_ARGS, free_port
from benchmarks.serving import stop as stop_streamlit

ROOT = Path(__file__).resolve().parents[2]
SETTLE_TIMEOUT_S = 60.0


def _unavailable(reason: str) -> None:
    """Skip, or fail when the environment demands a real browser run."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def start_streamlit(port: int, log_path: Path) -> subprocess.Popen:
    """Start the app headless on 127.0.0.1:port and wait for its health endpoint."""
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process in stop_streamlit
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    proc.log = log  # type: ignore[attr-defined]
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early; see {log_path}:\n{log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    stop_streamlit(proc)
    raise RuntimeError(f"streamlit did not become healthy in 90 s; see {log_path}")


def settle(page, timeout_s: float = SETTLE_TIMEOUT_S) -> float:
    """Wait until the app is connected, its script run is over and no skeleton is left; returns seconds."""
    t0 = time.time()
    page.wait_for_timeout(250)  # let a just-triggered rerun flip the state to "running" first
    ms = timeout_s * 1000
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(state="attached",
                                                                                          timeout=ms)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached",
                                                                                        timeout=ms)
    while page.get_by_test_id("stSkeleton").count() and time.time() - t0 < timeout_s:
        page.wait_for_timeout(100)
    return time.time() - t0 - 0.25


class AppPage:
    """A Playwright page on the running app, with the few questions every page test asks."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def goto(self, path: str = "/") -> float:
        """Open a URL path (with any query string) and wait until it has settled; returns seconds taken."""
        self.page.goto(self.base_url + path, wait_until="domcontentloaded")
        seconds = settle(self.page)
        self.wait_for_charts()
        return seconds

    def settle(self) -> float:
        return settle(self.page)

    def charts_on(self, path: str) -> int:
        """Open ``path``: it must settle with no exception on the page. Returns how many charts it drew."""
        self.goto(path)
        assert not self.exceptions()
        return self.chart_count()

    def first_alert(self, path: str) -> str:
        """Open ``path`` (a link with a value the page must refuse): it must answer with a message, not a
        traceback. Returns the first message's text."""
        self.goto(path)
        assert not self.exceptions()
        return self.page.get_by_test_id("stAlert").first.inner_text()

    def exceptions(self) -> list[str]:
        """Texts of the exception boxes Streamlit shows (a traceback on the page is always a bug)."""
        boxes = self.page.get_by_test_id("stException")
        return [boxes.nth(i).inner_text()[:500] for i in range(boxes.count())]

    def wait_for_charts(self, timeout_ms: int = 15000) -> None:
        """Plotly renders after the script run ends: wait until every chart container has drawn its SVG."""
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                     .every(el => el.querySelector('.js-plotly-plot .main-svg'))""",
            timeout=timeout_ms)

    def chart_count(self) -> int:
        """Plotly charts that are drawn and visible."""
        plots = self.page.locator(".js-plotly-plot")
        return sum(1 for i in range(plots.count()) if plots.nth(i).is_visible())

    def chart_traces(self, index: int) -> list[dict]:
        """The traces Plotly drew in chart ``index`` (page order), with x/y/z as plain lists."""
        return self.page.evaluate(
            """(i) => {
                const el = document.querySelectorAll('.js-plotly-plot')[i];
                // Plotly keeps decoded base64 arrays as {bdata, dtype, _inputArray}; typed arrays as such.
                const plain = (v) => {
                    if (v && v._inputArray) v = v._inputArray;
                    return (v && typeof v === 'object' && 'length' in v) ? Array.from(v, plain) : v;
                };
                return el.data.map((t) => ({type: t.type || 'scatter', name: t.name ?? null,
                                             x: plain(t.x), y: plain(t.y), z: plain(t.z)}));
            }""", index)

    def slider(self, label: str):
        """The thumb (an ``input[type=range]``) of the slider labelled ``label``: focus it, press keys,
        or read ``.input_value()``."""
        return self.page.get_by_test_id("stSlider").filter(has_text=label).locator("input[type=range]")

    def nudge(self, label: str, key: str = "ArrowRight", times: int = 1) -> None:
        """Press ``key`` on a slider ``times`` times, then wait for the rerun to finish."""
        thumb = self.slider(label)
        thumb.focus()
        for _ in range(times):
            thumb.press(key)
        self.settle()
        self.wait_for_charts()

    def nudged(self, label: str, read: Callable[[], object], key: str = "ArrowRight", times: int = 1) -> tuple:
        """(before, after): what ``read()`` returns around a ``nudge`` of the slider ``label``, which must leave
        no exception on the page."""
        before = read()
        self.nudge(label, key, times)
        assert not self.exceptions()
        return before, read()

    def redrawn(self) -> None:
        """After a click that reruns the app (a preset, Train): wait until it has settled and drawn its charts,
        with no exception on the page."""
        self.settle()
        self.wait_for_charts()
        assert not self.exceptions()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def streamlit_app(browser, tmp_path_factory) -> Iterator[str]:
    """Base URL of `streamlit run app.py` on a free local port, shared by the whole test session."""
    port = free_port()
    proc = start_streamlit(port, tmp_path_factory.mktemp("streamlit") / "streamlit.log")
    base = f"http://127.0.0.1:{port}"
    try:
        # Warm-up visit to "/": imports and caches are filled once, so no test pays for the cold start.
        # test_home_unrolled.py checks on its own fresh server that a cold deep link works.
        context = browser.new_context()
        warm = context.new_page()
        warm.goto(base + "/", wait_until="domcontentloaded")
        settle(warm)
        context.close()
        yield base
    finally:
        stop_streamlit(proc)


@pytest.fixture
def app_page(browser, streamlit_app) -> Iterator[AppPage]:
    """A fresh browser context (own session, own URL state) on the shared app."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(SETTLE_TIMEOUT_S * 1000)
    try:
        yield AppPage(page, streamlit_app)
    finally:
        context.close()
