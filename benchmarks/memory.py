"""Does the server's memory stay bounded? One student opens a page with many distinct settings, one after another.

    python benchmarks/memory.py                        # /unrolled, 200 distinct settings
    python benchmarks/memory.py --page lstm -n 200     # another page (URL path without the slash)

Each visit is a link with a fresh combination of the page's controls (from its settings.py: a random value in
every slider's and number box's range on its step, a random option of every choice, a random toggle), opened in
the same browser tab, so every visit adds new entries to the server's caches. Reports the app process's resident
memory (RSS, /proc) before the first visit and after every 25, and the largest seen. The caches are bounded by
entries (and, where entries are large, by bytes), so the curve flattens: the issue's bound is 500 MB after 200
settings. Needs Playwright and /usr/bin/chromium; loopback only; bounded by -n and --timeout per visit.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.serving import free_port, launch_chromium, rss_mb, start_app, stop  # noqa: E402
from benchmarks.worst_rerun import settings_of  # noqa: E402
from lessons.catalog import LESSONS  # noqa: E402
from lessons.kit.settings import CHOICES, Setting  # noqa: E402

STATE = "document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state')"


def random_value(s: Setting, rng: random.Random):
    """A value the control can show: on its step inside its range, one of its options, or a toggle state."""
    if s.kind in CHOICES:
        return rng.choice(list(s.options))
    if s.kind == "toggle":
        return rng.random() < 0.5
    step = s.step or 1
    value = s.lo + step * rng.randint(0, int(round((s.hi - s.lo) / step)))
    return round(value, 10) if isinstance(step, float) else int(value)


def settings_queries(table: list[Setting], n: int, seed: int = 0) -> list[dict[str, str]]:
    """``n`` distinct link queries over the page's controls (free text keeps its default)."""
    rng, seen, out = random.Random(seed), set(), []
    controls = [s for s in table if s.kind in CHOICES or s.kind in ("toggle", "slider", "number")]
    for _ in range(50 * n):
        query = {s.key: s.link_text(random_value(s, rng)) for s in controls}
        if tuple(query.items()) not in seen:
            seen.add(tuple(query.items()))
            out.append(query)
        if len(out) == n:
            break
    return out


def visit(page, url: str, timeout_s: float) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_timeout(200)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and page.evaluate(STATE) != "notRunning":
        page.wait_for_timeout(50)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--page", default="unrolled", help="URL path without the slash")
    ap.add_argument("-n", type=int, default=200, help="distinct settings to open (at most 1000)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds one visit may take")
    ap.add_argument("--limit", type=float, default=500.0, help="MB the server may reach (exit status 1 above)")
    args = ap.parse_args()
    lesson = next(ls for ls in LESSONS if ls.url_path == args.page)
    queries = settings_queries(settings_of(lesson), min(args.n, 1000))
    port = free_port()
    proc = start_app(port, None)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            visit(page, f"http://127.0.0.1:{port}/{args.page}", args.timeout)
            rows.append((0, rss_mb(proc.pid)))
            for k, query in enumerate(queries, 1):
                visit(page, f"http://127.0.0.1:{port}/{args.page}?{urlencode(query)}", args.timeout)
                if k % 25 == 0 or k == len(queries):
                    rows.append((k, rss_mb(proc.pid)))
            browser.close()
    finally:
        stop(proc)
    print(f"/{args.page}: server memory over {len(queries)} distinct settings (one session)")
    print("| settings opened | RSS (MB) |\n|---|---|")
    for k, mb in rows:
        print(f"| {k} | {mb:.0f} |")
    peak = max(mb for _, mb in rows)
    print(f"\nlargest: {peak:.0f} MB (limit {args.limit:.0f} MB)")
    return int(peak > args.limit)


if __name__ == "__main__":
    sys.exit(main())
