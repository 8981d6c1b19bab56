"""What several claims modules do the same way (import as ``claims.helpers``: tests/ is on the path).

- reading a number back out of a sentence a page wrote (``number_after``);
- the page's config at its defaults with a few fields changed (``page_config``);
- every step and unit of a gated cell's "This step, in numbers" panel (``every_step_value``);
- training: to a given step (``trained``), two at a time in worker processes (``train_all``), and the seed
  promise "the same seed and settings train the same model" (``assert_the_seed_decides_the_model``).
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np

from lessons.gated.recipe import step_values
from lessons.kit.settings import Setting, defaults
from rnn_core.training import TrainConfig, TrainData, Trainer, TrainResult

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # for the worker processes of train_all: one BLAS thread each, no spinning

NUMBER = r"\s*\**([−\-]?\d+(?:\.\d+)?(?:e[−\-]?\d+)?)"  # after the marker: spaces, Markdown bold, a number


def number_after(text: str, marker: str) -> float:
    """The number that follows ``marker`` in ``text`` (a page's "−" read as a minus sign)."""
    raw = re.search(re.escape(marker) + NUMBER, text).group(1)
    return float(raw.replace("−", "-"))


def page_config(make: Callable[[dict], object], settings: Mapping[str, Setting], **kw):
    """The config ``make`` builds from the page's default control values, with ``kw`` (the recipe's names) changed."""
    return replace(make(defaults(settings)), **kw)


def every_step_value(run_at: Callable[..., object], patterns: Iterable[str], seeds: Iterable[int]) -> Iterator:
    """(unit, step values) at every step t = 1..T and every unit (None: the mean over units) of the gated runs
    ``run_at(pattern=..., seed=...)`` for every pattern × seed — what the "This step, in numbers" panel can show."""
    for pattern, seed in itertools.product(patterns, seeds):
        run = run_at(pattern=pattern, seed=seed)
        for t, unit in itertools.product(range(1, run.steps + 1), [None, *range(run.hidden)]):
            yield unit, step_values(run, t, unit)


def trained(config: TrainConfig, data: TrainData, stop_at: int | None = None) -> TrainResult:
    """Train with the engine's Trainer, as the page steps it; ``stop_at``: stop after that step (the Stop button)."""
    trainer = Trainer(config, data)
    for p in trainer.run():
        if p.step == stop_at:
            break
    return trainer.result()


def train_all(fit: Callable, cfgs: list) -> list:
    """``fit`` of every config, two at a time (the CI machine has two cores), in order. ``fit`` runs in a worker
    process, so it must be a module-level function."""
    with ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as pool:
        return list(pool.map(fit, cfgs))


def assert_the_seed_decides_the_model(config_of_seed: Callable[[int], TrainConfig], data: TrainData,
                                      steps: int) -> None:
    """Seeds 0, 0 and 1, each stopped after ``steps`` steps: the two runs of seed 0 end with the same parameters
    to the bit, and seed 1 takes other steps."""
    runs = [trained(config_of_seed(seed), data, stop_at=steps) for seed in (0, 0, 1)]
    for name, value in runs[0].model.params.items():
        np.testing.assert_array_equal(value, runs[1].model.params[name])
    assert not np.array_equal(runs[0].step_loss, runs[2].step_loss)
