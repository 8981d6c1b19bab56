"""How long each page's script takes to run at its default settings (warm caches), printed as a table.

    python benchmarks/pages.py            # every lesson whose file exists, 20 runs each
    python benchmarks/pages.py -n 50 unrolled bptt

Each page is run through Streamlit's AppTest (the real script runner, in process): one warm-up run fills
the caches, then N reruns are timed. A trivial one-slider script, written to a temporary folder, is timed
the same way as the floor: what a rerun costs before a page does anything. Target: well under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRIVIAL = 'import streamlit as st\nst.slider("x", 0, 100, 50, key="x")\n'


def lessons() -> list[tuple[str, str]]:
    """(url path, file) of every lesson in the course map whose file exists."""
    from lessons.catalog import LESSONS

    return [("/" + lesson.url_path, lesson.path) for lesson in LESSONS if (ROOT / lesson.path).exists()]


def time_runs(make, runs: int) -> tuple[list[float], int]:
    """Milliseconds of ``runs`` reruns after one warm-up run, and the number of charts on the page."""
    at = make()
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - t0) * 1000)
        if at.exception:
            raise RuntimeError(at.exception[0].message)
    return samples, len(at.get("plotly_chart"))


def main() -> int:
    # Run as a script, this file's folder is sys.path[0] and this very file would shadow the app's
    # `pages` module name; put the project root there instead (it also makes `lessons` importable).
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != here]
    from streamlit.testing.v1 import AppTest

    from benchmarks.page_session import open_page

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=20)
    ap.add_argument("pages", nargs="*", help="URL paths without the slash (default: all)")
    args = ap.parse_args()

    targets = lessons()
    if args.pages:
        targets = [(u, f) for u, f in targets if u.strip("/") in args.pages or (u == "/" and "home" in args.pages)]

    print(f"{'page':28} {'median ms':>9} {'p90 ms':>7} {'min ms':>7} {'charts':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial.py"
        trivial.write_text(TRIVIAL)
        rows = [("(trivial one-slider page)", lambda: AppTest.from_file(str(trivial), default_timeout=60).run())]
        # open_page runs the app shell first: until b986120 three lessons were silently measured as Home.
        rows += [(url, lambda path=path: open_page(path).run()) for url, path in targets]
        for name, make in rows:
            try:
                samples, charts = time_runs(make, args.runs)
            except Exception as err:  # a broken page is reported, not fatal: the others still get measured
                print(f"{name:28} failed: {str(err)[:80]}")
                continue
            samples.sort()
            p90 = samples[min(len(samples) - 1, int(0.9 * len(samples)))]
            print(f"{name:28} {statistics.median(samples):9.1f} {p90:7.1f} {samples[0]:7.1f} {charts:6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
