"""How fast does Stop answer? A student trains, presses Stop, and we time what the page shows.

    python benchmarks/stop.py                 # /training (adding, sine; H = 64), /char-rnn, /gradient-flow: 3 each
    python benchmarks/stop.py --app /path/to/old/app.py -n 2

For each page: open it, press Train, wait until the live loss chart has drawn and a few more seconds have passed,
press Stop, and measure in wall-clock seconds from the click until
- the page answers that training has stopped ("Stopped at step …" in the live view, or the results' "Stopped
  early" — whichever shows first),
- the page has filed the stop (the training lab's and the character model's results of the stopped model with
  their "Stopped early", /gradient-flow's "Training stopped after …") and the script has finished.
Loopback only, one browser, one server, bounded in time. Needs Playwright and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.serving import launch_chromium, streamlit_server  # noqa: E402

CASES = {  # name -> (page and query, the page's own note once the stop is filed, its Train button)
    "adding": ("/training?training_task=Adding+problem+(long+memory)&training_hidden=64&training_epochs=200",
               "Stopped early:", "Train"),
    "sine": ("/training?training_task=Sine+wave&training_hidden=64&training_epochs=200", "Stopped early:", "Train"),
    "char-rnn": ("/char-rnn?char_epochs=20", "Stopped early (", "Train"),
    "gradient-flow": ("/gradient-flow?gflow_T=100&gflow_steps=960&gflow_seed=101", "Training stopped after",
                      "Train RNN, LSTM & GRU"),
}
STATE = "document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state')"


def button(page, name: str):
    # Streamlit's header has a "Stop" of its own while a script runs: take the page's.
    return page.get_by_test_id("stMainBlockContainer").get_by_role("button", name=name, exact=True)


def one_stop(context, base: str, case: str, train_s: float) -> tuple[float, float]:
    """(seconds until the page answers, seconds until the stopped model's results are drawn)."""
    address, results_text, train = CASES[case]
    page = context.new_page()
    page.goto(base + address)
    button(page, train).wait_for(timeout=120_000)
    page.wait_for_timeout(1000)
    button(page, train).click()
    page.get_by_test_id("stProgress").wait_for(timeout=120_000)
    page.wait_for_timeout(train_s * 1000)
    t0 = time.perf_counter()
    button(page, "Stop").click()
    answered = results = None
    while time.perf_counter() - t0 < 120 and results is None:
        if answered is None and (page.get_by_text("Stopped at step").count()
                                 or page.get_by_text(results_text).count()):
            answered = time.perf_counter() - t0
        if page.get_by_text(results_text).count() and page.evaluate(STATE) == "notRunning":
            results = time.perf_counter() - t0
            answered = min(answered or results, results)  # the text may have come between the two looks
        page.wait_for_timeout(20)
    page.close()
    inf = float("inf")
    return (answered if answered is not None else inf), (results if results is not None else inf)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", type=Path, default=ROOT / "app.py")
    ap.add_argument("-n", type=int, default=3, help="stops per page")
    ap.add_argument("--train", type=float, default=4.0, help="seconds of training before Stop")
    ap.add_argument("cases", nargs="*", default=list(CASES), help=f"some of {', '.join(CASES)}")
    args = ap.parse_args()
    print("| training | Stop → answer (median, max) | Stop → filed and drawn (median, max) |\n|---|---|---|")
    with sync_playwright() as pw, streamlit_server(args.app.resolve()) as base:
        browser = launch_chromium(pw)
        for case in args.cases:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            times = [one_stop(context, base, case, args.train) for _ in range(args.n)]
            context.close()
            answer, drawn = zip(*times, strict=True)
            print(f"| {case} | {statistics.median(answer):.2f} s, {max(answer):.2f} s | "
                  f"{statistics.median(drawn):.2f} s, {max(drawn):.2f} s |", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
