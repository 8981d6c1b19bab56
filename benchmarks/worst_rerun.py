"""The most expensive rerun of every lesson page, over the values its controls (and links) can take.

    python benchmarks/worst_rerun.py                 # every lesson
    python benchmarks/worst_rerun.py lstm training   # some (URL paths without the slash)

Every control is described in its lesson's settings.py, so the candidates come from there: each choice's every
option, each slider's and number box's two ends, each toggle both ways — one control at a time from the
defaults (as a link would set it) — and then all numeric controls at their maximum together with each option
of the page's choices. Each candidate is opened cold, as a fresh link: a new AppTest session with Streamlit's
caches cleared, so nothing computed for an earlier candidate helps. The time is the server's script time for
that first run (AppTest), which is what one student's click or link costs the server. "Train" buttons are never
pressed: training is an explicit action with progress and Stop, and is measured by benchmarks/lab.py.

Prints, per page: the number of candidates, the default's time, the worst single control and the worst
combination with their settings. Exit status 1 when any candidate raised or took more than --limit seconds.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.page_session import clear_caches, open_page, timed_run  # noqa: E402
from lessons.catalog import LESSONS  # noqa: E402
from lessons.kit.settings import CHOICES, Setting  # noqa: E402

PREFIX = {"unrolled": "unrolled_", "bptt": "bptt_", "vanishing-gradients": "vg_", "lstm": "lstm_", "gru": "gru_",
          "bidirectional": "bidir_", "gradient-flow": "gflow_", "training": "training_", "char-rnn": "char_"}


def settings_of(lesson) -> list[Setting]:
    """Every Setting in the lesson's settings module(s) whose key belongs to this page."""
    module = importlib.import_module(".".join(Path(lesson.path).parent.parts) + ".settings")
    found: dict[str, Setting] = {}
    for value in vars(module).values():
        rows = value.values() if isinstance(value, dict) else value if isinstance(value, list | tuple) else [value]
        for row in rows:
            if isinstance(row, Setting) and row.key.startswith(PREFIX[lesson.url_path]):
                found[row.key] = row
    return list(found.values())


def values_of(s: Setting) -> list:
    if s.kind in CHOICES:
        return list(s.options)
    if s.kind == "toggle":
        return [False, True]
    if s.kind in ("slider", "number"):
        return [s.lo, s.hi]
    return []  # free text: typed numbers are bounded by kit.typed (200 values) and measured with the page tests


def candidates(table: list[Setting]) -> list[dict[str, str]]:
    """Query strings to try: one control at a time, then every numeric control at its top with each choice."""
    out = [{}]
    for s in table:
        out += [{s.key: s.link_text(v)} for v in values_of(s) if v != s.default]
    tops = {s.key: s.link_text(s.hi) for s in table if s.kind in ("slider", "number")}
    tops |= {s.key: "true" for s in table if s.kind == "toggle"}
    choices = [s for s in table if s.kind in CHOICES]
    if choices:
        for combo in itertools.islice(itertools.product(*[s.options for s in choices]), 64):
            out.append(tops | {s.key: s.link_text(v) for s, v in zip(choices, combo, strict=True)})
    else:
        out.append(tops)
    return out


def cold_run(page: str, query: dict[str, str], timeout: float) -> float:
    """Seconds of the page's first run for ``query``, with every Streamlit cache cleared first."""
    at = open_page(page, query, timeout)
    clear_caches()
    return timed_run(at)[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="*")
    ap.add_argument("--limit", type=float, default=1.0, help="seconds a rerun may take (default 1)")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--over", action="store_true", help="also list every candidate over --limit, in full")
    args = ap.parse_args()
    lessons = [le for le in LESSONS if le.url_path in PREFIX and (not args.pages or le.url_path in args.pages)]
    failed = False
    print(f"{'page':22} {'cands':>5} {'default s':>9} {'worst s':>8}  worst setting")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for lesson in lessons:
        cold_run(lesson.path, {}, args.timeout)  # warm-up: imports and first-use costs are not a click's
        results = []
        for query in candidates(settings_of(lesson)):
            try:
                results.append((cold_run(lesson.path, query, args.timeout), query))
            except Exception as err:  # noqa: BLE001 - reported, not fatal: the other candidates still run
                print(f"  {lesson.url_path}: {query} raised {str(err)[:200]}")
                failed = True
        default = results[0][0]
        worst, query = max(results, key=lambda r: r[0])
        failed |= worst > args.limit
        shown = "&".join(f"{k}={v}" for k, v in query.items()) or "(defaults)"
        print(f"/{lesson.url_path:21} {len(results):5d} {default:9.2f} {worst:8.2f}  {shown[:110]}", flush=True)
        for seconds, over in sorted(results, key=lambda r: -r[0]):
            if args.over and seconds > args.limit:
                print(f"    {seconds:6.2f} s  " + "&".join(f"{k}={v}" for k, v in over.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
