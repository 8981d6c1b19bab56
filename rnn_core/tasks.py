"""Seeded sequence tasks: series to forecast, long-memory benchmarks and a character dataset.

Layout: everything here is **samples first** — X (N, T, D), y (N, O) or (N, T) — because that is
what you shuffle, split and show in a table. The training loop turns each mini-batch into the
cells' time-first (T, B, D); to run a model on samples-first X yourself use ``X.transpose(1, 0, 2)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .training import TrainData
from .validation import check_finite, check_size


def _series(name: str, values: object, min_len: int = 1) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a 1-D numeric array, got {type(values).__name__}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    if len(arr) < min_len:
        raise ValueError(f"{name}: has {len(arr)} values, need at least {min_len}")
    check_finite(name, arr)
    return arr


def _number(name: str, value: object, expected: str) -> float:
    """float(value), with a ValueError naming the argument for text or None."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected {expected}, got {value!r}") from None


def _fraction(name: str, value: float) -> float:
    v = _number(name, value, "a number strictly between 0 and 1")
    if not 0.0 < v < 1.0:
        raise ValueError(f"{name}: expected a number strictly between 0 and 1, got {value!r}")
    return v


def _nonneg(name: str, value: float) -> float:
    v = _number(name, value, "a non-negative finite number")
    if not np.isfinite(v) or v < 0:
        raise ValueError(f"{name}: expected a non-negative finite number, got {value!r}")
    return v


# -- time series ---------------------------------------------------------------------------------
def sine(n: int, period: float = 25.0, noise: float = 0.0, seed: int | None = None, *,
         amplitude: float = 1.0, phase: float = 0.0) -> np.ndarray:
    """(n,) samples of amplitude * sin(2π t / period + phase) plus Gaussian noise of std ``noise``."""
    n = check_size("n", n)
    period = _number("period", period, "a positive finite number")
    if not np.isfinite(period) or period <= 0:
        raise ValueError(f"period: expected a positive finite number, got {period!r}")
    noise = _nonneg("noise", noise)
    t = np.arange(n, dtype=np.float64)
    clean = float(amplitude) * np.sin(2.0 * np.pi * t / period + float(phase))
    return clean + noise * np.random.default_rng(seed).standard_normal(n) if noise else clean


def stock_prices(n: int, drift: float = 0.0005, volatility: float = 0.01, start: float = 100.0,
                 seed: int | None = None) -> np.ndarray:
    """(n,) prices of a geometric random walk: S_0 = start, S_t = S_{t-1} · exp(drift + volatility · ε_t).

    drift: mean daily log-return (0.0005 ≈ +13 % a year); volatility: std of the daily log-return;
    ε_t ~ N(0, 1). Prices stay positive, like a stock's.
    """
    n = check_size("n", n)
    volatility = _nonneg("volatility", volatility)
    drift = _number("drift", drift, "a finite number")
    start = _number("start", start, "a positive price")
    if not np.isfinite(drift):
        raise ValueError(f"drift: expected a finite number, got {drift!r}")
    if not np.isfinite(start) or start <= 0:
        raise ValueError(f"start: expected a positive price, got {start!r}")
    steps = drift + volatility * np.random.default_rng(seed).standard_normal(n - 1)
    return start * np.exp(np.concatenate([[0.0], np.cumsum(steps)]))


def make_windows(series, k: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Slide a window over a series: "the last k values predict the next ``horizon``".

    Returns X (N, k, 1) and y (N, horizon), samples first, with N = len(series) - k - horizon + 1;
    X[i] = series[i : i+k] and y[i] = series[i+k : i+k+horizon].
    """
    k = check_size("k", k)
    horizon = check_size("horizon", horizon)
    s = _series("series", series)
    if len(s) < k + horizon:
        raise ValueError(f"series: has {len(s)} values but a window of k={k} plus horizon={horizon} "
                         f"needs at least {k + horizon}")
    N = len(s) - k - horizon + 1
    idx = np.arange(N)[:, None]
    X = s[idx + np.arange(k)][:, :, None]
    y = s[idx + k + np.arange(horizon)]
    return X, y


@dataclass(frozen=True)
class Standardizer:
    """z = (x - mean) / std, fitted on training values only (so validation stays unseen)."""

    mean: float
    std: float

    @classmethod
    def fit(cls, values) -> Standardizer:
        v = _series("values", values)
        std = float(v.std())
        return cls(float(v.mean()), std if std > 0 else 1.0)  # a constant series: only shift it

    def transform(self, x) -> np.ndarray:
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.std

    def inverse(self, z) -> np.ndarray:
        return np.asarray(z, dtype=np.float64) * self.std + self.mean


def chronological_split(n: int, val_fraction: float = 0.2) -> int:
    """Index where validation starts for n items in time order: the last ``val_fraction`` is held out."""
    n = check_size("n", n)
    f = _fraction("val_fraction", val_fraction)
    cut = int(round(n * (1.0 - f)))
    if cut < 1 or cut >= n:
        raise ValueError(f"val_fraction: {f} of {n} items leaves an empty training or validation part")
    return cut


@dataclass(frozen=True)
class WindowSplit:
    """A series cut into windows and split in time, normalised with the training part's statistics.

    x_train (N_tr, k, 1), y_train (N_tr, horizon), x_val, y_val: standardised windows.
    t_train, t_val: (N,) index in the series of each window's first target (for plotting against time).
    scaler: the Standardizer fitted on series[:split]; split: first index held out.
    scaled: the whole standardised series.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    t_train: np.ndarray
    t_val: np.ndarray
    scaler: Standardizer
    split: int
    scaled: np.ndarray
    k: int
    horizon: int

    def train_data(self) -> TrainData:
        """For ``train(config, data)`` with mode many_to_one and loss mse."""
        return TrainData(self.x_train, self.y_train, self.x_val, self.y_val)


def window_split(series, k: int, horizon: int = 1, val_fraction: float = 0.2) -> WindowSplit:
    """Chronological split without leakage: the scaler sees only series[:split]; every training
    target lies before ``split`` and every validation target at or after it (validation inputs may
    reach back into the training part, as they would in real forecasting).
    """
    k = check_size("k", k)
    horizon = check_size("horizon", horizon)
    s = _series("series", series)
    split = chronological_split(len(s), val_fraction)
    if split < k + horizon:
        raise ValueError(f"series: the training part has {split} values but k={k} plus horizon={horizon} "
                         f"needs at least {k + horizon}; use a longer series or a smaller k")
    if len(s) - split < horizon:
        raise ValueError(f"series: the validation part has {len(s) - split} values, fewer than horizon={horizon}")
    scaler = Standardizer.fit(s[:split])
    z = scaler.transform(s)
    X, y = make_windows(z, k, horizon)
    first_target = np.arange(len(X)) + k
    train = first_target + horizon <= split  # the whole target window is in the past
    val = first_target >= split
    return WindowSplit(X[train], y[train], X[val], y[val], first_target[train], first_target[val],
                       scaler, split, z, k, horizon)


# -- long-range memory tasks ---------------------------------------------------------------------
def adding_problem(n: int, T: int, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Hochreiter & Schmidhuber's adding problem (in the form of Le et al. 2015).

    Each sequence has T steps and two channels: channel 0 holds values U(0, 1), channel 1 is a
    marker, 1 at exactly two steps (one in the first half, one in the second) and 0 elsewhere.
    The target is the sum of the two marked values. Predicting the mean, 1, scores MSE ≈ 1/6.
    Returns X (n, T, 2) and y (n, 1).
    """
    n = check_size("n", n)
    T = check_size("T", T)
    if T < 2:
        raise ValueError(f"T: the adding problem needs at least 2 steps (two markers), got {T}")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n, T))
    half = T // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, T, size=n)
    X = np.zeros((n, T, 2))
    X[:, :, 0] = values
    rows = np.arange(n)
    X[rows, first, 1] = 1.0
    X[rows, second, 1] = 1.0
    y = (values[rows, first] + values[rows, second])[:, None]
    return X, y


def copy_task(n: int, T: int, seed: int | None = None, *, n_symbols: int = 8,
              length: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """The copy (memory) task of Arjovsky et al. 2016: remember ``length`` symbols for T steps.

    Input per sequence (L = length + T + length steps, one-hot over n_symbols + 2 codes):
    ``length`` random symbols (codes 1..n_symbols), T - 1 blanks (code 0), a delimiter
    (code n_symbols + 1) that says "now repeat", then ``length`` blanks.
    Target (integers in [0, n_symbols], i.e. num_classes = n_symbols + 1): blank for the first
    length + T steps, then the ``length`` symbols. Train many_to_many with xent.
    Returns X (n, L, n_symbols + 2) and y (n, L).
    """
    n, T = check_size("n", n), check_size("T", T)
    n_symbols, length = check_size("n_symbols", n_symbols), check_size("length", length)
    rng = np.random.default_rng(seed)
    symbols = rng.integers(1, n_symbols + 1, size=(n, length))
    L = 2 * length + T
    codes = np.zeros((n, L), dtype=np.int64)
    codes[:, :length] = symbols
    codes[:, length + T - 1] = n_symbols + 1
    y = np.zeros((n, L), dtype=np.int64)
    y[:, length + T :] = symbols
    X = np.eye(n_symbols + 2)[codes]
    return X, y


# -- characters ----------------------------------------------------------------------------------
class CharDataset:
    """A text as a sequence of character indices, for next-character prediction.

    vocab: the distinct characters, sorted; index i <-> vocab[i]. ``data``: (len(text),) int64.
    """

    def __init__(self, text: str, vocab: list[str]):
        self.text = text
        self.vocab = vocab
        self.stoi = {ch: i for i, ch in enumerate(vocab)}
        self.data = self.encode(text)

    @classmethod
    def from_text(cls, text: str) -> CharDataset:
        if not isinstance(text, str):
            raise ValueError(f"text: expected a string, got {type(text).__name__}")
        if len(text) < 2:
            raise ValueError(f"text: has {len(text)} characters; need at least 2 to predict a next character")
        return cls(text, sorted(set(text)))

    def __repr__(self) -> str:
        return f"CharDataset({len(self.text)} characters, vocab_size={self.vocab_size})"

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def encode(self, s: str) -> np.ndarray:
        """String -> (len(s),) int64 indices; characters outside the vocabulary are a ValueError."""
        unknown = sorted(set(s) - set(self.stoi))
        if unknown:
            raise ValueError(f"text: characters not in the vocabulary: {''.join(unknown)!r}")
        return np.fromiter((self.stoi[ch] for ch in s), dtype=np.int64, count=len(s))

    def decode(self, indices) -> str:
        idx = np.asarray(indices)
        if idx.size and (idx.min() < 0 or idx.max() >= self.vocab_size):
            raise ValueError(f"indices: expected values in [0, {self.vocab_size}), got {idx.min()}..{idx.max()}")
        return "".join(self.vocab[i] for i in idx.reshape(-1))

    def one_hot(self, indices, dtype=np.float64) -> np.ndarray:
        """(...) indices -> (..., vocab_size) one-hot vectors."""
        return np.eye(self.vocab_size, dtype=dtype)[np.asarray(indices)]

    def _check_T(self, T: int, n: int) -> int:
        T = check_size("T", T)
        if n < T + 1:
            raise ValueError(f"text: has {n} characters but sequences of T={T} need at least {T + 1}")
        return T

    def windows(self, T: int, *, start: int = 0, stop: int | None = None,
                stride: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Samples-first windows of data[start:stop]: x (N, T) and y (N, T), y[:, t] = the character after x[:, t].

        stride defaults to T (non-overlapping windows).
        """
        seg = self.data[start:stop]
        T = self._check_T(T, len(seg))
        stride = T if stride is None else check_size("stride", stride)
        starts = np.arange(0, len(seg) - T, stride)
        idx = starts[:, None] + np.arange(T + 1)
        w = seg[idx]
        return w[:, :-1], w[:, 1:]

    def batches(self, T: int, B: int, seed: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Endless random mini-batches, time first: x (T, B) and y (T, B) index arrays."""
        T, B = self._check_T(T, len(self.data)), check_size("B", B)
        rng = np.random.default_rng(seed)
        offsets = np.arange(T + 1)[:, None]
        while True:
            starts = rng.integers(0, len(self.data) - T, size=B)
            w = self.data[starts[None, :] + offsets]  # (T + 1, B)
            yield w[:-1], w[1:]

    def split(self, val_fraction: float = 0.1) -> int:
        """Index where the held-out (validation) text starts: the last ``val_fraction`` of the text."""
        return chronological_split(len(self.data), val_fraction)

    def train_data(self, T: int, val_fraction: float = 0.1, stride: int | None = None) -> TrainData:
        """Windows of length T from the first part (train) and the held-out end (val), as TrainData
        with one_hot = num_classes = vocab_size; train many_to_many with xent."""
        cut = self.split(val_fraction)
        T = check_size("T", T)
        for part, n in (("training", cut), ("validation", len(self.data) - cut)):
            if n < T + 1:
                raise ValueError(f"text: the {part} part has {n} characters but sequences of T={T} need at "
                                 f"least {T + 1}; use a longer text, a smaller T or another val_fraction")
        xt, yt = self.windows(T, stop=cut, stride=stride)
        xv, yv = self.windows(T, start=cut)
        return TrainData(xt, yt, xv, yv, one_hot=self.vocab_size, num_classes=self.vocab_size)
