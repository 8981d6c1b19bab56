"""How long a slider nudge takes in a real browser, page by page, against a trivial one-slider page.

    python benchmarks/nudge.py                     # every lesson, 11 nudges each
    python benchmarks/nudge.py -n 21 /unrolled /lstm

For each page the first slider gets focus and ArrowRight is pressed N times, so every nudge asks for a
value the caches have not seen (as a student exploring would). Each nudge is timed in the page's own clock:

- ``send``: key press -> the widget update leaves on the websocket (frontend work before the server hears);
- ``last msg``: key press -> the last message of the rerun is handled (server work, plus any frontend work
  that delayed the handling);
- ``done``: key press -> the app's ``data-test-script-state`` is back to ``notRunning`` (what
  ``shoot.py --interact`` reports; that tool skips the reruns too quick to show "running" at all, which
  makes its trivial-page figure a little slower than this one).

A trivial app (one slider and one ``st.write``), written to a temporary folder, is measured the same way;
``× trivial`` is each page's median ``done`` over the trivial one. Needs Playwright and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.serving import launch_chromium, streamlit_server  # noqa: E402

TRIVIAL = 'import streamlit as st\nv = st.slider("Value", 0, 100, 50, key="v")\nst.write(v)\n'

# Runs before the app's own scripts: timestamps for websocket sends and received messages.
RECORDER = """
window.__ev = [];
const stamp = (f) => function (e) { window.__ev.push(['msg', performance.now()]); return f.call(this, e); };
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (d) { window.__ev.push(['send', performance.now()]); return send.call(this, d); };
const listen = WebSocket.prototype.addEventListener;
WebSocket.prototype.addEventListener = function (type, f, opts) {
  return listen.call(this, type, type === 'message' ? stamp(f) : f, opts);
};
const onmsg = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
Object.defineProperty(WebSocket.prototype, 'onmessage', {
  set(f) { onmsg.set.call(this, stamp(f)); },
  get() { return onmsg.get.call(this); },
});
"""
WATCH_STATE = """() => { const app = document.querySelector("[data-testid='stApp']");
  new MutationObserver(() => window.__ev.push([app.getAttribute('data-test-script-state'), performance.now()]))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']}); }"""


def lesson_paths() -> list[str]:
    """URL paths of the lessons in the course map, Home excluded: it has no slider."""
    from lessons.catalog import LESSONS

    return [f"/{lesson.url_path}" for lesson in LESSONS if lesson.url_path]


def nudge_once(page, thumb, timeout_s: float = 15) -> tuple[float, float, float] | None:
    """(send, last msg, done) in ms after one ArrowRight, or None if nothing reached the server.

    A rerun too quick for the browser to paint "running" in between shows no state change at all
    (common on the trivial page); its end is then the last message handled.
    """
    page.evaluate("window.__ev = []")
    t0 = page.evaluate("performance.now()")
    thumb.press("ArrowRight")
    deadline = time.time() + timeout_s
    page.wait_for_timeout(400)
    while time.time() < deadline and page.evaluate("document.querySelector(\"[data-testid='stApp']\")"
                                                   ".getAttribute('data-test-script-state')") == "running":
        page.wait_for_timeout(50)
    page.wait_for_timeout(600)  # late messages of the same rerun
    events = [(kind, t - t0) for kind, t in page.evaluate("window.__ev")]
    sends = [t for kind, t in events if kind == "send"]
    msgs = [t for kind, t in events if kind == "msg"]
    done = [t for kind, t in events if kind == "notRunning"]
    if not (sends and msgs):
        return None
    return sends[0], msgs[-1], done[-1] if done else msgs[-1]


def measure(browser, url: str, nudges: int) -> list[tuple[float, float, float]]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.goto(url)
    page.wait_for_timeout(6000)  # settle: first run, fonts, charts
    page.evaluate(WATCH_STATE)
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    samples = []
    for _ in range(nudges):
        thumb.focus()
        page.wait_for_timeout(200)
        if (sample := nudge_once(page, thumb)) is not None:
            samples.append(sample)
    context.close()
    return samples


def row(name: str, samples: list, floor: float | None) -> str:
    if not samples:
        return f"{name:28s} {'no rerun seen':>40s}"
    send, last, done = (statistics.median(s[k] for s in samples) for k in range(3))
    ratio = f"{done / floor:6.2f}" if floor else "     -"
    return f"{name:28s} {send:7.0f} {last:9.0f} {done:7.0f} {ratio:>10s} {len(samples):4d}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", help="URL paths, e.g. /unrolled (default: every lesson)")
    ap.add_argument("-n", "--nudges", type=int, default=11)
    args = ap.parse_args()
    print(f"{'page':28s} {'send':>7s} {'last msg':>9s} {'done':>7s} {'× trivial':>10s} {'n':>4s}   (median ms)")
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        with tempfile.TemporaryDirectory() as tmp:
            trivial = Path(tmp) / "app.py"
            trivial.write_text(TRIVIAL)
            with streamlit_server(trivial) as url:
                base = measure(browser, url, args.nudges)
        floor = statistics.median(s[2] for s in base) if base else None
        print(row("trivial one-slider page", base, floor))
        with streamlit_server(ROOT / "app.py") as url:
            for path in args.paths or lesson_paths():
                print(row(path, measure(browser, url + path, args.nudges), floor), flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
