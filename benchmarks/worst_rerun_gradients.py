"""The worst rerun of /bptt and /vanishing-gradients: server time of one page run at the heaviest settings
a widget or a link can reach, with cold caches (a setting nobody has asked for yet), printed as a table.

    python benchmarks/worst_rerun_gradients.py            # every case, 3 cold runs each
    python benchmarks/worst_rerun_gradients.py -n 1 bptt  # one page, one run per case

Each case opens the app through Streamlit's AppTest (the real script runner, in process) with the case's
URL query, clears every st.cache_data / st.cache_resource entry, and times one run of the page: wall time
and the process's CPU time. The budget (issue 14) is about 1 s of server time per rerun on the reference
2-core machine; a warm rerun (same settings again) is listed for comparison.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPED_100 = ", ".join(str((-1) ** i * (i % 7) * 14.0) for i in range(100))  # 100 typed numbers up to ±84


def bptt_cases() -> list[dict]:
    """The /bptt corners: T = 100, a loss on every step or the last, every input kind, the weight corners,
    the truncation window and the step-through in the middle."""
    cases = []
    for every, seq, act, w in itertools.product(("true", "false"), ("random walk", "sine", "step"),
                                                ("identity", "tanh", "sigmoid"), ("2.0", "-2.0")):
        cases.append({"bptt_T": "100", "bptt_every": every, "bptt_seq": seq, "bptt_act": act, "bptt_w_rec": w,
                      "bptt_w_in": "2.0", "bptt_b": "1.0", "bptt_k": "50", "bptt_step": "50"})
    cases.append({"bptt_seq": "typed numbers", "bptt_numbers": TYPED_100, "bptt_every": "true",
                  "bptt_act": "identity", "bptt_w_rec": "2.0", "bptt_k": "99"})
    return cases


def vanishing_cases() -> list[dict]:
    """The /vanishing-gradients corners: T = 200, H = 64, every activation, ρ and w at both ends, float32 and
    float64, the strongest inputs."""
    cases = []
    for act, f32, rho, w in itertools.product(("identity", "tanh", "sigmoid", "ReLU", "leaky ReLU", "ELU"),
                                              ("true", "false"), ("0.0", "1.0", "2.0"), ("0.0", "3.0")):
        cases.append({"vg_T": "200", "vg_H": "64", "vg_act": act, "vg_f32": f32, "vg_rho": rho, "vg_w": w,
                      "vg_x": "3.0", "vg_c": "0.1"})
    return cases


PAGES = {"bptt": ("lessons/bptt/page.py", bptt_cases), "vanishing-gradients": ("lessons/vanishing/page.py",
                                                                                vanishing_cases)}


def one_run(path: str, query: dict) -> tuple[float, float, float]:
    """(cold wall ms, cold CPU ms, warm wall ms) of the page at ``query``."""
    from benchmarks.page_session import clear_caches, open_page, timed_run

    at = open_page(path, query)
    clear_caches()
    cold, cpu = timed_run(at)
    warm, _ = timed_run(at)
    return cold * 1000, cpu * 1000, warm * 1000


def label(query: dict) -> str:
    return " ".join(f"{k.split('_', 1)[1]}={v[:12]}" for k, v in query.items() if k.split("_", 1)[1] != "numbers") + (
        " numbers=<100 typed>" if any(k.endswith("numbers") for k in query) else "")


def main() -> int:
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != here]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=3, help="cold runs per case (the median is reported)")
    ap.add_argument("--top", type=int, default=5, help="slowest cases listed per page")
    ap.add_argument("pages", nargs="*", help=f"any of {', '.join(PAGES)} (default: both)")
    args = ap.parse_args()
    from streamlit import logger

    logger.set_log_level("error")  # AppTest's "No runtime found" lines would bury the table
    for page in args.pages or list(PAGES):
        path, make = PAGES[page]
        rows = []
        for query in make():
            runs = [one_run(path, query) for _ in range(args.runs)]
            rows.append((statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
                         statistics.median(r[2] for r in runs), query))
        rows.sort(key=lambda r: -r[0])
        print(f"\n/{page}: {len(rows)} cases, cold caches, median of {args.runs}")
        print(f"{'cold wall ms':>12} {'cold CPU ms':>11} {'warm ms':>8}  settings")
        for cold, cpu, warm, query in rows[: args.top]:
            print(f"{cold:12.0f} {cpu:11.0f} {warm:8.0f}  {label(query)}")
        print(f"{'median':>12}: {statistics.median(r[0] for r in rows):.0f} ms cold over all cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
