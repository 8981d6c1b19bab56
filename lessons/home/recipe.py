"""Small example sequences for the home page: what "sequential data" looks like. NumPy and rnn_core only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_core import signals

WINDOW = 10  # days a memoryless model is shown in the "Does the model remember?" picture


@dataclass(frozen=True)
class Example:
    """One example sequence: ``values`` (T,) sampled at ``t`` (T,), with a name and the unit of t."""

    name: str
    t: np.ndarray
    values: np.ndarray
    t_label: str


def example_sequences(seed: int = 3) -> list[Example]:
    """Three dynamic datasets in miniature (seeded, so the home page looks the same on every visit).

    - a stock price: a geometric random walk, 120 trading days, starting at 100;
    - a daily temperature: a yearly cycle plus weather noise, one year;
    - audio: a 440 Hz tone fading out, sampled at 8 kHz for 10 ms.
    """
    days = np.arange(120)
    price = 100 * np.exp(signals.random_walk(120, 0.025, [seed, 4]))  # ~2.5 % daily moves
    doy = np.arange(365)
    rng = np.random.default_rng([seed, 9])
    temp = 11 - 9 * np.cos(2 * np.pi * (doy - 15) / 365) + np.convolve(rng.normal(0, 2.2, 371), np.ones(7) / 7, "valid")
    ms = np.arange(80) / 8.0  # 80 samples at 8 kHz = 10 ms
    audio = np.exp(-ms / 4) * np.sin(2 * np.pi * 0.44 * ms)
    return [
        Example("Stock price", days, price, "trading day"),
        Example("Daily temperature (°C)", doy, temp, "day of the year"),
        Example("Audio waveform", ms, audio, "milliseconds"),
    ]


def window_view(series: np.ndarray, window: int) -> tuple[int, int]:
    """(first, last) index of the last ``window`` values: all a memoryless model is shown to predict the next."""
    if not 1 <= window <= len(series):
        raise ValueError(f"window: expected 1 to {len(series)}, got {window}")
    return len(series) - window, len(series) - 1
