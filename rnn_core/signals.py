"""Simple input signals x_t, (T,) float64: what a single sequence fed to a cell looks like.

Every generator is deterministic: random ones take a ``seed`` (an int or a sequence of ints, as
``np.random.default_rng`` accepts), so the same settings always draw the same sequence.
"""

from __future__ import annotations

import numpy as np

from .validation import check_int, check_number


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
