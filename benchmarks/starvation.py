"""Does one student's training starve the others? Two browser sessions on one server, before and after.

    python benchmarks/starvation.py                      # this tree
    python benchmarks/starvation.py --app /path/to/old/app.py --label before

Session B opens /unrolled (page load: from navigation until the script has run and a chart is drawn) and nudges
its first slider N times (key press until the rerun is done, as benchmarks/nudge.py measures it) — first on an
idle server, then while session A trains on /training (a long run: sine wave, H = 64, 200 epochs) and, with
``--page /char-rnn``-style options, on the character model. The ratio busy / idle is the starvation: 1.0 means A's
training costs B nothing. Then A presses Stop, and the time until its page says "Stopped early" is the Stop
latency. Loopback only, one browser, bounded in time. Needs Playwright and /usr/bin/chromium.

``--pin`` runs the server on one CPU (taskset), as a small cloud instance would give it; worker processes inherit
the mask, so this is the harsh case.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.nudge import RECORDER, WATCH_STATE, nudge_once  # noqa: E402
from benchmarks.serving import launch_chromium, streamlit_server  # noqa: E402

TRAIN_QUERY = "training_task=Sine+wave&training_hidden=64&training_epochs=200"
STATE = "document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state')"


def page_load(context, url: str, timeout_s: float = 60) -> float:
    """Seconds from navigation until the script has finished its first run and a chart is drawn."""
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    deadline = t0 + timeout_s
    while time.perf_counter() < deadline:
        if page.evaluate(STATE) == "notRunning" and page.locator(".js-plotly-plot").count() > 0:
            break
        page.wait_for_timeout(25)
    elapsed = time.perf_counter() - t0
    page.close()
    return elapsed


def nudges(context, url: str, n: int) -> list[float]:
    """Milliseconds per slider nudge on ``url`` (key press until the rerun is done)."""
    page = context.new_page()
    page.goto(url)
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.wait_for(state="attached", timeout=120_000)
    page.wait_for_timeout(2000)
    page.evaluate(WATCH_STATE)
    out = []
    for _ in range(n):
        thumb.focus()
        page.wait_for_timeout(150)
        sample = nudge_once(page, thumb)
        if sample is not None:
            out.append(sample[2])
    page.close()
    return out


def student_b(browser, base: str, n: int) -> tuple[list[float], list[float]]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(RECORDER)
    loads = [page_load(context, f"{base}/unrolled?unrolled_w={0.5 + k / 10}") for k in range(3)]
    times = nudges(context, f"{base}/unrolled", n)
    context.close()
    return loads, times


@contextmanager
def student_a_training(browser, base: str, path: str, query: str):
    """Student A presses Train on a long run; yields A's page (still training), then closes it."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{base}{path}?{query}")
    page.get_by_role("button", name="Train", exact=True).wait_for(timeout=60_000)
    page.wait_for_timeout(3000)
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("steps/s").first.wait_for(timeout=60_000)  # the progress bar: training has started
    page.wait_for_timeout(2000)
    try:
        yield page
    finally:
        context.close()


def stop_latency(page, timeout_s: float = 120) -> float:
    """Seconds from pressing Stop until the page says so; nan when the training had already ended."""
    stop = page.get_by_role("button", name="Stop")
    if not stop.count():
        return float("nan")
    t0 = time.perf_counter()
    stop.first.click()
    try:
        page.get_by_text("Stopped early").first.wait_for(timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        return float("inf")  # printed as "inf s": Stop did not answer within timeout_s
    return time.perf_counter() - t0


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", type=Path, default=ROOT / "app.py", help="the app.py to serve (another tree: before)")
    ap.add_argument("--label", default="this tree")
    ap.add_argument("-n", "--nudges", type=int, default=9)
    ap.add_argument("--path", default="/training", help="the page student A trains on")
    ap.add_argument("--query", default=TRAIN_QUERY)
    ap.add_argument("--pin", action="store_true", help="run the server on one CPU (taskset -c 0)")
    args = ap.parse_args()
    if args.pin:
        subprocess.run(["taskset", "-cp", "0", str(__import__("os").getpid())], check=True,
                       stdout=subprocess.DEVNULL)  # the server started below inherits the mask
    with sync_playwright() as pw, streamlit_server(args.app.resolve()) as base:
        browser = launch_chromium(pw)
        student_b(browser, base, 2)  # warm the caches: first visits are not what we compare
        idle_loads, idle_nudges = student_b(browser, base, args.nudges)
        with student_a_training(browser, base, args.path, args.query) as page_a:
            busy_loads, busy_nudges = student_b(browser, base, args.nudges)
            stop = stop_latency(page_a)
        browser.close()
    print(f"\n{args.label}: student B on /unrolled while student A trains on {args.path} (median)")
    print("| measure | idle server | while A trains | ratio |\n|---|---|---|---|")
    print(f"| page load (s) | {med(idle_loads):.2f} | {med(busy_loads):.2f} | "
          f"{med(busy_loads) / med(idle_loads):.2f} |")
    print(f"| slider nudge (ms) | {med(idle_nudges):.0f} | {med(busy_nudges):.0f} | "
          f"{med(busy_nudges) / med(idle_nudges):.2f} |")
    print(f"| max nudge (ms) | {max(idle_nudges, default=0):.0f} | {max(busy_nudges, default=0):.0f} | |")
    print(f"\nStop latency (click until the page says 'Stopped early'): {stop:.2f} s"
          + (" (A's training had ended before B was done: choose a longer one with --query)" if stop != stop else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
