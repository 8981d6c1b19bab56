"""The practice pages at their defaults, timed end to end.

- training steps per second for each cell and task of the training lab (wall clock and per CPU-second);
- the adding problem (T = 50, the lab's LSTM settings): time until validation MSE < 0.05 (target: 60 s);
- the char-RNN page's default model: time until its validation loss beats the unigram baseline (target: 30 s).

    python benchmarks/lab.py

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
    for name in ("stock", "sunspots", "adding", "copy"):
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


if __name__ == "__main__":
    print("load average", os.getloadavg())
    table_of_steps()
    adding_problem()
    char_model()
    print("load average", os.getloadavg())
