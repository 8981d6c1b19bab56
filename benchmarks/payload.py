"""What a first visit sends down the websocket: the bytes every lesson page receives until it has settled.

    python benchmarks/payload.py                          # this tree
    python benchmarks/payload.py --app /path/to/old/app.py # another tree (before)

Frames multiply a figure's data (one Plotly frame per step or per swept value), so this is the price of scrubbing
in the browser. Each page is opened once in a fresh browser context at its defaults; every websocket message the
page receives is counted until the script has finished and no skeleton is left (and a second more). Loopback,
one server, headless Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.serving import launch_chromium, streamlit_server  # noqa: E402
from lessons.catalog import LESSONS  # noqa: E402

STATE = "document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state')"


def received_bytes(browser, url: str, timeout_s: float = 120) -> tuple[int, int]:
    """(bytes, messages) the page receives over its websocket during a first visit to ``url``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    got = [0, 0]

    def on_socket(ws) -> None:
        def count(payload) -> None:
            got[0] += len(payload)
            got[1] += 1
        ws.on("framereceived", count)

    page.on("websocket", on_socket)
    page.goto(url)
    deadline = time.monotonic() + timeout_s
    page.wait_for_timeout(500)
    while time.monotonic() < deadline:
        if page.evaluate(STATE) == "notRunning" and not page.get_by_test_id("stSkeleton").count():
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(1000)  # late messages (a fragment's first run, the address sync)
    context.close()
    return got[0], got[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", type=Path, default=ROOT / "app.py", help="the app.py to serve (another tree: before)")
    ap.add_argument("paths", nargs="*", help="URL paths (default: every lesson)")
    args = ap.parse_args()
    paths = args.paths or ["/" + le.url_path for le in LESSONS]
    print("| page | bytes received | messages |\n|---|---|---|")
    with sync_playwright() as pw, streamlit_server(args.app.resolve()) as base:
        browser = launch_chromium(pw)
        received_bytes(browser, base + "/")  # the server's first page load warms imports: not counted
        for path in paths:
            size, count = received_bytes(browser, base + path)
            print(f"| {path} | {size / 1024:,.0f} kB | {count} |", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
