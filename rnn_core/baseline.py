"""Memoryless baselines to compare recurrent models with, and forecast metrics.

A memoryless model sees only a fixed window (or nothing at all): linear autoregression on the last
k values, "tomorrow = today", the training mean, or a character's overall frequency. If an RNN
cannot beat these, it has not learned anything a window could not already tell.
"""

from __future__ import annotations

import numpy as np

from .model import SequenceModel
from .validation import check_finite, check_size


def _float_array(name: str, value: object) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a numeric array, got {type(value).__name__}") from None
    check_finite(name, arr)
    return arr


def _flat_windows(name: str, X: object) -> np.ndarray:
    """(N, k) or (N, k, D) windows -> (N, k*D) design matrix."""
    arr = _float_array(name, X)
    if arr.ndim not in (2, 3) or arr.shape[0] == 0:
        raise ValueError(f"{name}: expected windows of shape (N, k) or (N, k, D) with N >= 1, got shape {arr.shape}")
    return arr.reshape(len(arr), -1)


class LinearAR:
    """Linear autoregression: y = w · (last k values) + b, fitted by least squares (numpy lstsq).

    ``fit(X, y)`` with X (N, k) or (N, k, D) samples-first windows and y (N,) or (N, O).
    After fitting: ``weights`` (k*D, O), ``bias`` (O,). ``predict(X)`` returns y's shape.
    """

    def __init__(self):
        self.weights: np.ndarray | None = None
        self.bias: np.ndarray | None = None
        self._window_shape: tuple[int, ...] | None = None
        self._vector_y = False

    def __repr__(self) -> str:
        fitted = "unfitted" if self.weights is None else f"window {self._window_shape}"
        return f"LinearAR({fitted})"

    def fit(self, X, y) -> LinearAR:
        A = _flat_windows("X", X)
        Y = _float_array("y", y)
        self._vector_y = Y.ndim == 1
        Y = Y[:, None] if Y.ndim == 1 else Y
        if Y.ndim != 2 or len(Y) != len(A):
            raise ValueError(f"y: expected shape ({len(A)},) or ({len(A)}, O) to match X's {len(A)} windows, "
                             f"got shape {np.shape(y)}")
        design = np.hstack([A, np.ones((len(A), 1))])  # the bias is a weight on a constant 1
        coef, *_ = np.linalg.lstsq(design, Y, rcond=None)
        self.weights, self.bias = coef[:-1], coef[-1]
        self._window_shape = np.shape(X)[1:]
        return self

    def predict(self, X) -> np.ndarray:
        if self.weights is None:
            raise ValueError("LinearAR: call fit(X, y) before predict")
        if np.shape(X)[1:] != self._window_shape:
            raise ValueError(f"X: expected windows of shape (N, {', '.join(map(str, self._window_shape))}) "
                             f"like the training windows, got shape {np.shape(X)}")
        out = _flat_windows("X", X) @ self.weights + self.bias
        return out[:, 0] if self._vector_y else out


def last_value(X) -> np.ndarray:
    """The persistence forecast "next = the last value seen": (N, k, 1) or (N, k) windows -> (N, 1)."""
    arr = _float_array("X", X)
    if arr.ndim not in (2, 3):
        raise ValueError(f"X: expected windows of shape (N, k) or (N, k, 1), got shape {arr.shape}")
    return arr[:, -1].reshape(len(arr), -1)[:, :1]


# -- metrics -------------------------------------------------------------------------------------
def _pair(pred, target) -> tuple[np.ndarray, np.ndarray]:
    p, t = _float_array("pred", pred), _float_array("target", target)
    if p.shape != t.shape:
        raise ValueError(f"pred has shape {p.shape} but target has shape {t.shape}; they must match")
    if p.size == 0:
        raise ValueError("pred: is empty; need at least one value")
    return p, t


def mean_squared_error(pred, target) -> float:
    p, t = _pair(pred, target)
    return float(np.mean((p - t) ** 2))


def mean_absolute_error(pred, target) -> float:
    p, t = _pair(pred, target)
    return float(np.mean(np.abs(p - t)))


def root_mean_squared_error(pred, target) -> float:
    return float(np.sqrt(mean_squared_error(pred, target)))


def regression_metrics(pred, target) -> dict[str, float]:
    """{"MSE", "MAE", "RMSE"} for a metrics table."""
    return {"MSE": mean_squared_error(pred, target), "MAE": mean_absolute_error(pred, target),
            "RMSE": root_mean_squared_error(pred, target)}


# -- forecasting ---------------------------------------------------------------------------------
def _one_step(model, windows: np.ndarray) -> np.ndarray:
    """Next value for each window (B, k, 1) -> (B,), for a LinearAR or a SequenceModel (many_to_one)."""
    if isinstance(model, SequenceModel):
        out = model.predict(windows.transpose(1, 0, 2).astype(model.dtype, copy=False), mode="many_to_one")
    elif hasattr(model, "predict"):
        out = model.predict(windows)
    else:
        raise ValueError(f"model: expected a LinearAR or a SequenceModel, got {type(model).__name__}")
    out = np.asarray(out, dtype=np.float64)
    return out.reshape(len(windows), -1)[:, 0]


def recursive_forecast(model, window, steps: int) -> np.ndarray:
    """Forecast ``steps`` values ahead by feeding each prediction back into the window.

    window: the last k values, (k,), (k, 1) or a batch (B, k, 1). Each step predicts one value,
    drops the oldest value and appends the prediction; errors therefore compound, which is the
    point of the picture. Returns (steps,) or (B, steps).
    """
    steps = check_size("steps", steps)
    w = _float_array("window", window)
    single = w.ndim in (1, 2) and (w.ndim == 1 or w.shape[-1] == 1)
    if w.ndim == 1:
        w = w[None, :, None]
    elif w.ndim == 2 and w.shape[-1] == 1:
        w = w[None]
    if w.ndim != 3 or w.shape[-1] != 1 or w.shape[1] == 0:
        raise ValueError(f"window: expected shape (k,), (k, 1) or (B, k, 1), got shape {np.shape(window)}")
    w = w.copy()
    out = np.empty((len(w), steps))
    for s in range(steps):
        nxt = _one_step(model, w)
        out[:, s] = nxt
        w[:, :-1] = w[:, 1:]
        w[:, -1, 0] = nxt
    return out[0] if single else out


# -- classification baselines --------------------------------------------------------------------
def unigram_loss(train_indices, eval_indices, vocab_size: int, alpha: float = 1.0) -> float:
    """Cross-entropy (nats per character) of ``eval_indices`` under the training text's character
    frequencies (add-``alpha`` smoothing so an unseen character is not infinitely surprising).

    The memoryless char baseline: a char-RNN has learned something only when its loss is lower.
    """
    V = check_size("vocab_size", vocab_size)
    tr, ev = np.asarray(train_indices).ravel(), np.asarray(eval_indices).ravel()
    for name, arr in (("train_indices", tr), ("eval_indices", ev)):
        if arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"{name}: expected a non-empty integer array, got shape {arr.shape} dtype {arr.dtype}")
        if arr.min() < 0 or arr.max() >= V:
            raise ValueError(f"{name}: indices must lie in [0, {V}), got {arr.min()}..{arr.max()}")
    if not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha: expected a non-negative finite number, got {alpha!r}")
    counts = np.bincount(tr, minlength=V) + float(alpha)
    logp = np.log(counts) - np.log(counts.sum())
    with np.errstate(divide="ignore"):
        return float(-np.mean(logp[ev]))


def copy_task_baseline_loss(T: int, n_symbols: int = 8, length: int = 5) -> float:
    """Best cross-entropy without memory on ``tasks.copy_task``: blanks are predictable, the
    ``length`` symbols to recall are a uniform guess among n_symbols. Mean over all L positions."""
    T, n_symbols, length = check_size("T", T), check_size("n_symbols", n_symbols), check_size("length", length)
    return float(length * np.log(n_symbols) / (T + 2 * length))
