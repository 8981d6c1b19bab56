"""What /gradient-flow costs the server: a first visit and a rerun at the defaults, at every "Try this" link and at
the heaviest links (T = 100, 960 steps, any seed), and what an explicit Train costs.

    python benchmarks/gradient_flow.py            # about a minute, plus the Train timings (another minute or two)
    python benchmarks/gradient_flow.py --no-train

A visit is the page script run through Streamlit's AppTest (the real script runner, in process): "first" with
every Streamlit cache emptied (a server that has never seen the setting), "rerun" the median of three reruns.
Target: at most about 1 s for any visit; only the Train button may take longer (it trains in a worker process on
the server's training board, with progress and Stop: benchmarks/stop.py times Stop).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = "lessons/gradient_flow/page.py"


def settings() -> list[tuple[str, dict]]:
    from lessons.gradient_flow.settings import SETTINGS, TRIES

    rows = [("defaults", {})]
    rows += [(f"Try: {tip.label}", tip.query(SETTINGS)) for tip in TRIES]
    heavy = {"gflow_T": "100", "gflow_steps": "960"}
    rows += [(f"T=100, 960 steps, b_f={bf}, seed={seed}", {**heavy, "gflow_bf": bf, "gflow_seed": seed})
             for bf, seed in (("6", "1234"), ("-2", "9999"), ("1", "42"))]
    return rows


def visit(query: dict) -> tuple[float, float, bool]:
    """(first visit s, median rerun s, whether trained results were shown) for one link."""
    from benchmarks.page_session import clear_caches, open_page, timed_run

    at = open_page(PAGE, query, timeout=300)
    clear_caches()
    first = timed_run(at)[0]
    reruns = [timed_run(at)[0] for _ in range(3)]
    return first, statistics.median(reruns), len(at.get("plotly_chart")) == 2


def train_times(T: int, steps: int) -> dict[str, tuple[float, float]]:
    """Per cell: (seconds to train, the longest single step in seconds)."""
    from lessons.gradient_flow import recipe

    cfg = recipe.FlowConfig(T=T, steps=steps, seed=7)
    out = {}
    for cell in recipe.CELLS:
        marks = [time.perf_counter()]
        recipe.train_cell(cfg, cell, on_step=lambda _k, marks=marks: marks.append(time.perf_counter()))
        steps = [b - a for a, b in zip(marks, marks[1:], strict=False)]
        out[cell] = (marks[-1] - marks[0], max(steps))
    return out


def main() -> int:
    sys.path[:0] = [str(ROOT)]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-train", action="store_true", help="skip timing the Train button's work")
    args = ap.parse_args()
    visit({})  # imports and the first AppTest start-up, not counted
    print(f"{'link':38} {'first visit s':>13} {'rerun s':>8}  shows")
    for name, query in settings():
        first, rerun, trained = visit(query)
        print(f"{name:38} {first:13.2f} {rerun:8.2f}  {'trained (from the file)' if trained else 'untrained + Train'}")
    if args.no_train:
        return 0
    print(f"\n{'Train (explicit)':38} {'RNN s':>7} {'LSTM s':>7} {'GRU s':>7} {'longest step s':>16}")
    for T, steps in ((30, 480), (100, 960)):
        t = train_times(T, steps)
        total = "  ".join(f"{t[c][0]:7.1f}" for c in ("rnn", "lstm", "gru"))
        print(f"{f'T={T}, {steps} steps':38} {total} {max(v[1] for v in t.values()):16.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
