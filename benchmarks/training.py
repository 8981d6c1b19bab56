"""How fast does the engine train? Steps per second, and wall time to solve the issue's two targets.

Run:  python benchmarks/training.py [--quick] [--seeds N] [--threads N]

1. Training steps per second for RNN, LSTM and GRU at the training lab's defaults (hidden 32,
   window 20, batch 32, one input, Adam, clipping by norm), float64 and float32.
2. The adding problem with T = 50: wall time (and steps) until an LSTM's validation MSE < 0.05
   (predicting the mean scores ~0.167). Target: under 60 s on a 2-core machine.
3. A character-level LSTM on the shipped text (assets/coriolanus.txt, or a built-in paragraph if
   it is missing): wall time until its validation loss is below the unigram baseline's. Target: < 30 s.
The defaults measured here (``ADDING_CONFIG``, ``CHAR_CONFIG``) are the ones the pages should use.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnn_core.baseline import unigram_loss  # noqa: E402
from rnn_core.tasks import CharDataset, adding_problem, sine, window_split  # noqa: E402
from rnn_core.training import TrainConfig, TrainData, Trainer  # noqa: E402

LAB_DEFAULTS = dict(hidden_size=32, batch_size=32, optimizer="adam", lr=0.01, clip="norm", clip_threshold=1.0)
WINDOW = 20
ADDING_T = 50
ADDING_CONFIG = TrainConfig(cell="lstm", hidden_size=32, batch_size=32, optimizer="adam", lr=0.01,
                            clip="norm", clip_threshold=1.0, epochs=100, eval_every=50, dtype="float32")
CHAR_T = 32
CHAR_CONFIG = TrainConfig(cell="lstm", hidden_size=64, batch_size=32, optimizer="adam", lr=0.01, clip="norm",
                          clip_threshold=5.0, epochs=50, mode="many_to_many", loss="xent", eval_every=10,
                          dtype="float32")
FALLBACK_TEXT = (
    "It was a bright cold day in the village, and the clocks on the church tower were striking the hour. "
    "The baker opened his shop, the children ran down the lane to school, and the old dog lay in the sun "
    "by the door of the inn, watching the carts go by. Nobody in the village knew that the day would be "
    "different from any other day, and so nobody was ready when the stranger came walking up the road. "
) * 8


def steps_per_second(cell: str, dtype: str, seconds: float, windows: int = 8) -> tuple[float, float]:
    """(best, median) optimizer steps per second on sine windows at the lab's default sizes, over
    ``windows`` timing windows (the machine is shared: the best window is the least disturbed one)."""
    data = window_split(sine(4000, period=25, noise=0.1, seed=0), k=WINDOW).train_data()
    data = TrainData(data.x_train, data.y_train)  # no validation: time the training steps only
    cfg = TrainConfig(cell=cell, dtype=dtype, epochs=1000, **LAB_DEFAULTS)
    run = Trainer(cfg, data).run()
    for _ in range(5):  # warm-up
        next(run)
    rates = []
    for _ in range(windows):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / windows:
            next(run)
            n += 1
        rates.append(n / (time.perf_counter() - start))
    return max(rates), float(np.median(rates))


def time_to_target(config: TrainConfig, data: TrainData, target: float, budget: float,
                   keep_going: bool = False) -> tuple[float, int, float, float]:
    """(seconds, steps, validation loss) when the validation loss first drops below ``target``
    (seconds is inf when it does not within ``budget`` seconds), and the last validation loss —
    after the whole budget when ``keep_going``."""
    hit = (np.inf, 0, np.inf)
    last = np.inf
    for p in Trainer(config, data).run():
        if p.val_loss is not None:
            last = p.val_loss
            if p.val_loss < target and hit[0] == np.inf:
                hit = (p.elapsed, p.step, p.val_loss)
                if not keep_going:
                    break
        if p.elapsed > budget:
            break
    return (*hit, last)


def adding_run(seed: int, budget: float) -> tuple[float, int, float]:
    X, y = adding_problem(20000, ADDING_T, seed=1000 + seed)
    Xv, yv = adding_problem(1000, ADDING_T, seed=2000 + seed)
    cfg = replace(ADDING_CONFIG, seed=seed)
    return time_to_target(cfg, TrainData(X, y, Xv, yv), 0.05, budget)[:3]


def char_run(seed: int, budget: float) -> tuple[float, int, float, float, float, str]:
    path = ROOT / "assets" / "coriolanus.txt"
    text = path.read_text(encoding="utf-8") if path.exists() else FALLBACK_TEXT
    ds = CharDataset.from_text(text)
    cut = ds.split(0.1)
    baseline = unigram_loss(ds.data[:cut], ds.data[cut:], ds.vocab_size)
    cfg = replace(CHAR_CONFIG, seed=seed)
    secs, steps, val, final = time_to_target(cfg, ds.train_data(CHAR_T, val_fraction=0.1), baseline, budget,
                                             keep_going=True)
    name = f"{path.name} ({len(text) / 1000:.0f} KB, V={ds.vocab_size})" if path.exists() else "built-in"
    return secs, steps, val, final, baseline, name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="shorter timings, one seed")
    ap.add_argument("--seeds", type=int, default=3, help="seeds for the time-to-target runs")
    ap.add_argument("--threads", type=int, default=None,
                    help="limit NumPy's BLAS threads (needs threadpoolctl); small matmuls on a busy 2-core "
                         "machine are often faster with 1")
    args = ap.parse_args()
    if args.threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
        print(f"BLAS threads limited to {args.threads}")
    seconds = 1.0 if args.quick else 3.0
    seeds = 1 if args.quick else args.seeds

    print(f"Training steps/second — hidden {LAB_DEFAULTS['hidden_size']}, window {WINDOW}, "
          f"batch {LAB_DEFAULTS['batch_size']}, 1 input, Adam, clip by norm")
    print(f"{'cell':<6}{'float64 best':>14}{'median':>8}{'float32 best':>14}{'median':>8}")
    for cell in ("rnn", "lstm", "gru"):
        (b64, m64), (b32, m32) = (steps_per_second(cell, dt, seconds) for dt in ("float64", "float32"))
        print(f"{cell.upper():<6}{b64:>14.0f}{m64:>8.0f}{b32:>14.0f}{m32:>8.0f}")

    c = ADDING_CONFIG
    print(f"\nAdding problem T={ADDING_T}: LSTM hidden {c.hidden_size}, batch {c.batch_size}, Adam lr {c.lr}, "
          f"clip norm {c.clip_threshold}, {c.dtype}; time to validation MSE < 0.05 (target < 60 s)")
    print(f"{'seed':<6}{'seconds':>10}{'steps':>8}{'val MSE':>10}")
    for seed in range(seeds):
        secs, steps, val = adding_run(seed, budget=120.0)
        print(f"{seed:<6}{secs:>10.1f}{steps:>8}{val:>10.4f}")

    c = CHAR_CONFIG
    print(f"\nChar LSTM: hidden {c.hidden_size}, T {CHAR_T}, batch {c.batch_size}, Adam lr {c.lr}, {c.dtype}; "
          "time to validation loss < unigram baseline (target < 30 s), and the loss after 30 s (nats/char)")
    print(f"{'seed':<6}{'seconds':>10}{'steps':>8}{'val loss':>10}{'unigram':>10}{'after 30 s':>12}  text")
    for seed in range(seeds):
        secs, steps, val, final, base, name = char_run(seed, budget=30.0)
        print(f"{seed:<6}{secs:>10.1f}{steps:>8}{val:>10.3f}{base:>10.3f}{final:>12.3f}  {name}")


if __name__ == "__main__":
    main()
