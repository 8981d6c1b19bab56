"""Scrubbing in the browser: drag every in-figure slider (Plotly frames) and time input -> repaint.

    python benchmarks/scrub.py                       # every lesson page's scrub sliders
    python benchmarks/scrub.py /lstm /unrolled       # some pages
    python benchmarks/scrub.py --base http://127.0.0.1:8501 /unrolled   # a running app

For each chart that has a Plotly slider, the mouse grabs the slider's handle and moves across the rail in small
steps, as a hand would. Measured in the page's own clock, for every mouse move that changes the slider's step
("plotly_sliderchange"): from that move to the end of the first animation frame after Plotly has applied the new
frame ("plotly_animated", or "plotly_redraw" when frames redraw); and how many websocket messages the page sent
while dragging (the server is never asked: 0). A move that stays within one step changes nothing on screen, so it
has no repaint to wait for: timing it to the next step's repaint (as this script did before) measured the hand's
pace, not the page — a 12-step film dragged with 40 moves read 120 ms that way, 30-35 ms per step change.
Prints median and 90th percentile per slider. Needs Playwright and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.serving import app_cluster, launch_chromium  # noqa: E402
from lessons.catalog import LESSONS  # noqa: E402

# Before the app's scripts: count websocket sends; timestamps of input events and of repaints after Plotly.
PROBE = """
window.__sends = 0;
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (d) { window.__sends += 1; return send.call(this, d); };
window.__moves = []; window.__paints = []; window.__changes = [];
window.addEventListener('mousemove', () => window.__moves.push(performance.now()), true);
"""
HOOK = """(i) => {
  const gd = document.querySelectorAll('.js-plotly-plot')[i];
  const done = () => requestAnimationFrame(() => window.__paints.push(performance.now()));
  gd.on('plotly_animated', done); gd.on('plotly_redraw', done);
  gd.on('plotly_sliderchange', () => window.__changes.push(performance.now()));
}"""


def slider_charts(page) -> list[int]:
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
        .map((gd, i) => [i, (gd.layout && gd.layout.sliders || []).length]).filter(([, n]) => n).map(([i]) => i)""")


def drag(page, index: int, moves: int = 40) -> tuple[list[float], int]:
    """Drag chart ``index``'s slider handle across its rail; (latencies in ms, websocket sends while dragging)."""
    page.evaluate(HOOK, index)
    plot = page.locator(".js-plotly-plot").nth(index)
    grip = plot.locator(".slider-grip-rect").first
    rail = plot.locator(".slider-rail-rect").first
    grip.scroll_into_view_if_needed()
    g, r = grip.bounding_box(), rail.bounding_box()
    page.evaluate("window.__moves = []; window.__paints = []; window.__changes = []; window.__sends = 0")
    page.mouse.move(g["x"] + g["width"] / 2, g["y"] + g["height"] / 2)
    page.mouse.down()
    y = g["y"] + g["height"] / 2
    for k in range(1, moves + 1):
        page.mouse.move(r["x"] + r["width"] * k / (moves + 1), y)
        page.wait_for_timeout(60)  # a hand's pace: a few moves per 100 ms
    page.mouse.up()
    page.wait_for_timeout(400)
    moves_t, paints, changes, sends = page.evaluate(
        "[window.__moves, window.__paints, window.__changes, window.__sends]")
    latencies = []
    for change in changes:
        t = max((m for m in moves_t if m <= change), default=change)  # the move that changed the step
        after = [p - t for p in paints if p >= change]
        if after and after[0] < 1000:
            latencies.append(after[0])
    return latencies, sends


def measure(browser, url: str) -> list[tuple[int, list[float], int]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(PROBE)
    page = context.new_page()
    page.goto(url)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached",
                                                                                        timeout=120_000)
    with contextlib.suppress(Exception):  # a page without scrub sliders is reported as such
        page.locator(".js-plotly-plot .slider-grip-rect").first.wait_for(timeout=20_000)
    page.wait_for_timeout(1500)
    out = [(i, *drag(page, i)) for i in slider_charts(page)]
    context.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--base", help="a running app (default: start one)")
    args = ap.parse_args()
    paths = args.paths or ["/" + le.url_path for le in LESSONS if le.url_path]
    print(f"{'page':24} {'chart':>5} {'median ms':>9} {'p90 ms':>7} {'steps':>5} {'ws sends':>8}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = launch_chromium(pw)
        if args.base:
            report(browser, args.base, paths)
        else:
            with app_cluster(1, Path(tmp), through_nginx=False) as (base, _):
                report(browser, base, paths)
        browser.close()
    return 0


def report(browser, base: str, paths: list[str]) -> None:
    for path in paths:
        for index, lat, sends in measure(browser, base + path):
            if not lat:
                print(f"{path:24} {index:5d} {'no repaint seen':>27} {sends:8d}")
                continue
            p90 = sorted(lat)[int(0.9 * (len(lat) - 1))]
            print(f"{path:24} {index:5d} {statistics.median(lat):9.1f} {p90:7.1f} {len(lat):5d} {sends:8d}",
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())
