"""Simple input signals x_t, (T,) float64: what a single sequence fed to a cell looks like.

Every generator is deterministic: random ones take a ``seed`` (an int or a sequence of ints, as
``np.random.default_rng`` accepts), so the same settings always draw the same sequence.

``generate`` makes the named input kinds (``KINDS``) from just a length and a seed, so that every place that
feeds a one-input cell "an impulse" or "a random walk" feeds it bit for bit the same numbers.
"""

from __future__ import annotations

import numpy as np

from .validation import check_choice, check_int, check_number


def impulse(steps: int, at: int) -> np.ndarray:
    """A single 1 at index ``at``, 0 everywhere else: after it, whatever a cell still holds is memory."""
    steps = check_int("steps", steps, 1)
    return (np.arange(steps) == check_int("at", at, 0, steps - 1)).astype(np.float64)


def step(steps: int, at: int) -> np.ndarray:
    """0 before index ``at``, 1 from there on."""
    steps = check_int("steps", steps, 1)
    return (np.arange(steps) >= check_int("at", at, 0, steps)).astype(np.float64)


def sine(steps: int, period: float) -> np.ndarray:
    """sin(2π t / period) for t = 0 .. T-1."""
    steps = check_int("steps", steps, 1)
    return np.sin(2 * np.pi * np.arange(steps) / check_number("period", period, lo=1e-9))


def noise(steps: int, seed, scale: float = 1.0) -> np.ndarray:
    """Independent N(0, scale²) values."""
    return scale * np.random.default_rng(seed).standard_normal(check_int("steps", steps, 1))


def random_walk(steps: int, volatility: float, seed) -> np.ndarray:
    """A stock-like log price log(p_t / p_0): the cumulative sum of i.i.d. N(0, volatility²) returns
    (a geometric random walk, the textbook toy model of a share price)."""
    return np.cumsum(noise(steps, seed, check_number("volatility", volatility, lo=0)))


# -- named input kinds, each made from its length T and a seed --------------------------------------------
MAX_STEPS = 200  # the longest generated input
SINE_PERIOD = 12  # steps per cycle: a few cycles fit in a dozen steps
WALK_VOLATILITY = 0.1  # daily std of the log-price change: a lively but bounded "stock"


def event_step(steps: int) -> int:
    """Where the step and the impulse happen: a few quiet steps first, so "before" is visible."""
    return min(steps - 1, max(1, steps // 6))


GENERATORS = {
    "step": lambda T, seed: step(T, event_step(T)),
    "impulse": lambda T, seed: impulse(T, event_step(T)),
    "sine": lambda T, seed: sine(T, SINE_PERIOD),
    "random walk": lambda T, seed: random_walk(T, WALK_VOLATILITY, [seed, 4]),
}
KINDS = tuple(GENERATORS)


def generate(sequence: str, length: int, seed=0) -> np.ndarray:
    """The input kind ``sequence`` (one of ``KINDS``), ``length`` steps long (1 .. MAX_STEPS).

    step: 0 then 1 from ``event_step``.  impulse: a single 1 at ``event_step``, 0 elsewhere.
    sine: period SINE_PERIOD steps.  random walk: a stock-like log price log(p_t / p_0), seeded.
    """
    check_choice("sequence", sequence, KINDS)
    return GENERATORS[sequence](check_int("length", length, 1, MAX_STEPS), seed)
