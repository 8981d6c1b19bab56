"""Recipe for the bidirectional-LSTM lesson: run both directions, measure what each output step can see,
and show a task whose answer lies in the future.

NumPy and rnn_core only (the input patterns and the slider-to-weights mapping come from the LSTM/GRU recipe
next door); frozen configs in, dataclasses of arrays out. Shapes: T steps, H hidden units per direction.
Steps are numbered t = 1..T as on the pages (row t − 1 of every array is step t).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.gated.recipe import CellConfig, _check_common, _scale_weights
from rnn_core import LSTM, Bidirectional
from rnn_core.validation import check_choice, check_int

MAX_STEPS = 60  # the sensitivity map runs a batch of T·2H copies of the sequence
TASKS = ("next", "previous", "both")


@dataclass(frozen=True)
class BiConfig(CellConfig):
    """A bidirectional LSTM on one scalar sequence. The backward cell gets its own weights (seed + 1).

    Both cells: PyTorch's init (seeded), with the input weights multiplied by ``gain``. The page starts from
    noise (every step different) and a milder gain than /lstm and /gru.
    """

    pattern: str = "noise"
    steps: int = 24
    hidden: int = 8
    gain: float = 1.0


@dataclass
class BiRun:
    """x (T,); forward (T, H) and backward (T, H) hidden states, both in input time order;
    out (T, 2H) = concat [forward, backward] at each step, as PyTorch's ``bidirectional=True``."""

    x: np.ndarray
    forward: np.ndarray
    backward: np.ndarray
    out: np.ndarray


def _cell(hidden: int, seed: int, gain: float) -> LSTM:
    cell = LSTM(1, hidden, seed=seed)
    _scale_weights(cell, gain)
    return cell


def build(hidden: int, seed: int, gain: float) -> Bidirectional:
    """The two LSTMs: the forward one seeded with ``seed``, the backward one with ``seed + 1``."""
    _check_common(hidden, gain)
    return Bidirectional(_cell(hidden, seed, gain), _cell(hidden, seed + 1, gain))


def _sequence(cfg: BiConfig) -> np.ndarray:
    x = cfg.inputs()
    if len(x) > MAX_STEPS:
        raise ValueError(f"steps: at most {MAX_STEPS} for the bidirectional lesson, got {len(x)}")
    return x


def run_bidirectional(cfg: BiConfig) -> BiRun:
    x = _sequence(cfg)
    tr = build(cfg.hidden, cfg.seed, cfg.gain).forward(x[:, None])
    return BiRun(x=x, forward=tr.forward.h, backward=tr.backward.h, out=tr.h)


@dataclass
class Sensitivity:
    """forward[t, s] = ‖∂h→_t / ∂x_s‖ and backward[t, s] = ‖∂h←_t / ∂x_s‖ (2-norm over the H units), (T, T).
    The forward map is zero above the diagonal (s > t), the backward map below it (s < t)."""

    forward: np.ndarray
    backward: np.ndarray


def sensitivity(cfg: BiConfig) -> Sensitivity:
    """Exact Jacobians of every output step with respect to every input step, from gradients.

    One forward/backward pass over a batch of T·2H copies of the sequence: copy (t, k) gets the upstream
    gradient e_k at step t only, so its input gradient is row k of ∂out_t/∂x. Each copy's gradient flows
    through one direction only (unit k belongs to one of them), so the two maps separate cleanly.
    """
    x = _sequence(cfg)
    T, H = len(x), cfg.hidden
    layer = build(H, cfg.seed, cfg.gain)
    B = T * 2 * H
    xb = np.broadcast_to(x[:, None, None], (T, B, 1)).copy()
    tr = layer.forward(xb)
    dh = np.zeros((T, B, 2 * H))
    b = np.arange(B)
    dh[b // (2 * H), b, b % (2 * H)] = 1.0
    dx = layer.backward(tr, dh).x[:, :, 0]  # (T_in, B)
    jac = dx.reshape(T, T, 2 * H)  # [s, t, k] = ∂out_t[k] / ∂x_s
    fwd = np.linalg.norm(jac[:, :, :H], axis=2).T  # -> [t, s]
    bwd = np.linalg.norm(jac[:, :, H:], axis=2).T
    return Sensitivity(forward=fwd, backward=bwd)


# -- a task whose answer lies in the future ----------------------------------------------------------
@dataclass(frozen=True)
class ReadoutConfig:
    """Fit a linear readout y_t ≈ w·features_t + b on random sequences and score it on new ones.

    task: "next" (y_t = x_{t+1}, needs the future), "previous" (y_t = x_{t−1}, needs the past) or
    "both" (y_t = x_{t−1} + x_{t+1}). The LSTMs are not trained: only the readout is fitted, by least
    squares, so the scores show what information each direction's state carries.
    """

    task: str = "next"
    hidden: int = 8
    seed: int = 0
    gain: float = 1.0
    steps: int = 24
    train: int = 200
    test: int = 100


@dataclass
class Readout:
    """r2: feature set ("forward", "backward", "both") -> R² on the test sequences (1 perfect, 0 useless).
    example_t (T−2,): the steps 2..T−1 (each has a neighbour on both sides); example_y (T−2,) and
    example_pred: set -> (T−2,) predictions for one test sequence."""

    r2: dict[str, float]
    example_t: np.ndarray
    example_y: np.ndarray
    example_pred: dict[str, np.ndarray]


def _target(x: np.ndarray, task: str) -> np.ndarray:
    """x (T, N) -> y for steps 2..T−1, (T−2, N): every target needs one neighbour on each side available."""
    if task == "next":
        return x[2:]
    if task == "previous":
        return x[:-2]
    return x[:-2] + x[2:]


def readout(cfg: ReadoutConfig) -> Readout:
    """Run both LSTMs on ``train + test`` uniform-noise sequences, fit a readout per feature set on the
    first ``train`` and score it on the rest."""
    check_choice("task", cfg.task, TASKS)
    check_int("steps", cfg.steps, 4, MAX_STEPS)
    rng = np.random.default_rng([cfg.seed, 23])
    N = cfg.train + cfg.test
    x = rng.uniform(-1, 1, (cfg.steps, N))
    out = build(cfg.hidden, cfg.seed, cfg.gain).forward(x[:, :, None]).h[1:-1]  # (T-2, N, 2H)
    y = _target(x, cfg.task)
    H = cfg.hidden
    sets = {"forward": slice(0, H), "backward": slice(H, 2 * H), "both": slice(0, 2 * H)}
    r2, preds = {}, {}
    for name, cols in sets.items():
        F = out[:, :, cols]
        w = _ridge(F[:, : cfg.train].reshape(-1, F.shape[-1]), y[:, : cfg.train].reshape(-1))
        pred = _predict(F[:, cfg.train :].reshape(-1, F.shape[-1]), w).reshape(y[:, cfg.train :].shape)
        truth = y[:, cfg.train :]
        r2[name] = float(1.0 - ((truth - pred) ** 2).mean() / truth.var())
        preds[name] = pred[:, 0]
    return Readout(r2=r2, example_t=np.arange(2, cfg.steps), example_y=y[:, cfg.train], example_pred=preds)


def _ridge(F: np.ndarray, y: np.ndarray, lam: float = 1e-3) -> np.ndarray:
    A = np.c_[F, np.ones(len(F))]
    return np.linalg.solve(A.T @ A + lam * np.eye(A.shape[1]), A.T @ y)


def _predict(F: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.c_[F, np.ones(len(F))] @ w
