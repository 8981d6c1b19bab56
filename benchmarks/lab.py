"""The practice pages at their defaults, timed end to end.

- training steps per second for each cell and task of the training lab (wall clock and per CPU-second);
- the adding problem (T = 50, the lab's LSTM settings): time until validation MSE < 0.05 (target: 60 s);
- the char-RNN page's default model: time until its validation loss beats the unigram baseline (target: 30 s);
- every task at its page defaults: the training's steps and seconds, the feed-forward rivals' fitting seconds, and
  whether the model beat every memoryless rival (``--defaults``);
- the worst page rerun over link settings (server script time through AppTest, training excluded), /training and
  /char-rnn (``--reruns``).

    python benchmarks/lab.py [--defaults] [--reruns]

On a shared machine the wall-clock figures only mean something when the load average is low; the
per-CPU-second figures are steadier.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from lessons.char_rnn import recipe as chard  # noqa: E402
from lessons.training import recipe as lab  # noqa: E402
from rnn_core.training import TrainConfig, Trainer  # noqa: E402


def steps_per_second(cfg: lab.LabConfig, task) -> tuple[float, float, int]:
    trainer = Trainer(cfg.train_config(), task.data)
    t0, c0 = time.perf_counter(), time.process_time()
    n = sum(1 for _ in trainer.run())
    return n / (time.perf_counter() - t0), n / (time.process_time() - c0), n


def table_of_steps() -> None:
    print("| task | cell | window | steps | steps/s (wall) | steps per CPU-second |")
    print("|---|---|---|---|---|---|")
    sunspots = np.loadtxt(ROOT / "assets" / "sunspots.csv", delimiter=",", skiprows=1)[:, 1]
    for name in ("stock", "stock_returns", "sunspots", "adding", "copy"):
        window = lab.DEFAULT_WINDOW[name]
        task = lab.make_task(name, window, sunspots if name == "sunspots" else None)
        for cell in ("rnn", "lstm", "gru"):
            wall, cpu, n = steps_per_second(lab.LabConfig(task=name, window=window, cell=cell, epochs=2), task)
            print(f"| {name} | {cell} | {window} | {n} | {wall:,.0f} | {cpu:,.0f} |")


def time_until(trainer: Trainer, target: float, limit_s: float = 120.0):
    """(wall s, CPU s, step, val loss) when the validation loss first drops below ``target``."""
    c0 = time.process_time()
    for p in trainer.run():
        if p.val_loss is not None and p.val_loss < target:
            return round(p.elapsed, 2), round(time.process_time() - c0, 2), p.step, round(p.val_loss, 4)
        if p.elapsed > limit_s:
            return None
    return None


def adding_problem() -> None:
    cfg = lab.LabConfig(task="adding", window=50, epochs=100)
    tc = TrainConfig(**{**cfg.train_config().__dict__, "eval_every": 20})
    hit = time_until(Trainer(tc, lab.make_task("adding", 50).data), 0.05)
    print(f"adding problem T=50, LSTM: val MSE < 0.05 at (wall s, CPU s, step, val) = {hit}")


def char_model() -> None:
    corpus = chard.make_corpus((ROOT / "assets" / "coriolanus.txt").read_text())
    cfg = chard.CharConfig()
    tc = TrainConfig(**{**cfg.train_config().__dict__, "eval_every": 10})
    hit = time_until(Trainer(tc, chard.train_data(corpus, cfg.seq_len)), corpus.unigram)
    print(f"char LSTM: unigram baseline {corpus.unigram:.3f} nats; beaten at (wall s, CPU s, step, val) = {hit}")


def default_runs() -> None:
    """Each task as a student finds it after choosing it: its default window and epochs, the page's model."""
    print("| task | steps | train s (wall) | train s (CPU) | rivals fitted in s | model | best rival | verdict |")
    print("|---|---|---|---|---|---|---|---|")
    sunspots = np.loadtxt(ROOT / "assets" / "sunspots.csv", delimiter=",", skiprows=1)[:, 1]
    for name in lab.TASKS:
        if name == "upload":
            continue
        w, e = lab.DEFAULT_WINDOW[name], lab.DEFAULT_EPOCHS[name]
        series = sunspots if name == "sunspots" else None
        task = lab.make_task(name, w, series)
        t0 = time.perf_counter()
        base = lab.merged(lab.baselines(task), lab.window_models(task))
        fit_s = time.perf_counter() - t0
        cfg = lab.LabConfig(task=name, window=w, epochs=e, data_id="sunspots" if series is not None else "")
        trainer = Trainer(cfg.train_config(), task.data)
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in trainer.run():
            pass
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        rep = lab.report(cfg, task, trainer.result())
        v = lab.verdict(rep.row, base, task.kind)
        print(f"| {name} (k/T={w}, {e} ep.) | {rep.steps:,} | {wall:.1f} | {cpu:.1f} | {fit_s:.1f} | {v.loss:.4g} | "
              f"{v.best_name}: {v.best_loss:.4g} | {v.outcome} |", flush=True)


def _timed_runs(at, n: int = 3) -> float:
    """The slowest of ``n`` reruns of an AppTest page, in seconds (warm caches)."""
    worst = 0.0
    for _ in range(n):
        t0 = time.perf_counter()
        at.run()
        worst = max(worst, time.perf_counter() - t0)
    return worst


def worst_reruns() -> None:
    """Script time of a rerun at the heaviest link settings of both practice pages (after the first visit)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from apptest_helpers import open_lesson

    cases = [("/training", "lessons/training/page.py", {"training_task": t, "training_window": str(w)})
             for t in ("Copy task (long memory)", "Adding problem (long memory)", "Stock prices (synthetic)")
             for w in (2, 100)]
    cases += [("/char-rnn", "lessons/char_rnn/page.py", {"char_T": "10", "char_hidden": "128"})]
    print("| page | link | first run s | worst warm rerun s |\n|---|---|---|---|")
    for path, page, query in cases:
        t0 = time.perf_counter()
        at = open_lesson(page, query, timeout=300)
        first = time.perf_counter() - t0
        print(f"| {path} | {query} | {first:.2f} | {_timed_runs(at):.3f} |", flush=True)
    pasted = ((ROOT / "assets" / "coriolanus.txt").read_text() * 5)[:200_000]
    at = open_lesson("lessons/char_rnn/page.py", {"char_source": "My own text"}, timeout=300)
    t0 = time.perf_counter()
    at.text_area(key="char_text").set_value(pasted).run()
    print(f"| /char-rnn | 200,000 pasted characters | {time.perf_counter() - t0:.2f} | {_timed_runs(at):.3f} |")


if __name__ == "__main__":
    print("load average", os.getloadavg())
    if "--defaults" in sys.argv:
        default_runs()
    elif "--reruns" in sys.argv:
        worst_reruns()
    else:
        table_of_steps()
        adding_problem()
        char_model()
    print("load average", os.getloadavg())
