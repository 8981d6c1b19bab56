"""Training loop: mini-batches, truncated BPTT, clipping, optimizer steps, live progress reports.

Data convention: a ``TrainData`` holds *samples first* arrays, as tasks.py makes them —
x (N, T, D), and the loop turns each mini-batch into the cells' *time-first* (T, B, D).

Three ways to run it, all deterministic for a given ``TrainConfig.seed``:
- ``train(config, data, on_progress=..., should_stop=...)`` -> TrainResult (callbacks throttled in time);
- ``iter_train(config, data)``: a generator of ``Progress`` after every optimizer step whose return
  value (``StopIteration.value``) is the TrainResult;
- ``Trainer(config, data)``: ``for p in trainer.run(): ...`` then ``trainer.result()`` at any moment,
  including after breaking out of the loop (a Stop button).

Truncated BPTT with length k (``config.bptt``):
- many_to_many: each sequence is cut into chunks of k steps; every chunk is one optimizer step; the
  final (h, c) of a chunk starts the next one but no gradient crosses the boundary.
- many_to_one: the only loss is at the last step, so the first T - k steps are run forward (no
  gradient) to build the state and backpropagation covers the last k steps only.
With k >= T (or None) this is exactly full BPTT.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from .clipping import clip_by_norm, clip_by_value, global_norm
from .gru import GRU
from .heads import Linear
from .losses import check_class_targets, mse, softmax_cross_entropy
from .lstm import LSTM
from .model import LOSSES, MODES, SequenceModel, check_choice
from .optim import SGD, Adam, Optimizer
from .rnn import RNN
from .validation import check_finite

CELLS = ("rnn", "lstm", "gru")
OPTIMIZERS = ("sgd", "adam")
CLIPS = ("none", "value", "norm")
DTYPES = ("float64", "float32")
EVAL_BATCH = 1024  # validation runs in slices of this many sequences to bound memory


def _positive_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {value!r}")


def _positive_float(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number) or not (
        math.isfinite(value) and value > 0
    ):
        raise ValueError(f"{name}: expected a positive finite number, got {value!r}")


@dataclass(frozen=True)
class TrainConfig:
    """Every training setting; frozen, so a page can use it as a cache key.

    cell: "rnn" | "lstm" | "gru"; nonlinearity: the RNN's activation.
    optimizer: "adam" | "sgd" (momentum is used by SGD only).
    clip: "none" | "value" | "norm", with clip_threshold the clip value or max norm.
    bptt: truncation length k, or None for full backpropagation through time.
    mode: "many_to_one" | "many_to_many"; loss: "mse" | "xent".
    eval_every: also compute the validation loss every this many steps (always at epoch ends).
    """

    cell: str = "lstm"
    hidden_size: int = 32
    optimizer: str = "adam"
    lr: float = 0.01
    momentum: float = 0.9
    epochs: int = 10
    batch_size: int = 32
    clip: str = "norm"
    clip_threshold: float = 1.0
    bptt: int | None = None
    seed: int = 0
    mode: str = "many_to_one"
    loss: str = "mse"
    nonlinearity: str = "tanh"
    dtype: str = "float64"
    eval_every: int | None = None
    shuffle: bool = True

    def __post_init__(self):
        check_choice("cell", self.cell, CELLS)
        _positive_int("hidden_size", self.hidden_size)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        _positive_float("lr", self.lr)
        if isinstance(self.momentum, bool) or not isinstance(self.momentum, int | float) or not (
            0.0 <= self.momentum < 1.0
        ):
            raise ValueError(f"momentum: expected a number in [0, 1), got {self.momentum!r}")
        _positive_int("epochs", self.epochs)
        _positive_int("batch_size", self.batch_size)
        check_choice("clip", self.clip, CLIPS)
        _positive_float("clip_threshold", self.clip_threshold)
        if self.bptt is not None:
            _positive_int("bptt", self.bptt)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer) or self.seed < 0:
            raise ValueError(f"seed: expected a non-negative integer, got {self.seed!r}")
        check_choice("mode", self.mode, MODES)
        check_choice("loss", self.loss, LOSSES)
        check_choice("dtype", self.dtype, DTYPES)
        if self.eval_every is not None:
            _positive_int("eval_every", self.eval_every)


@dataclass
class TrainData:
    """Training and (optional) validation samples, samples first.

    x: (N, T, D) floats, or (N, T) integer class indices when ``one_hot`` = V (expanded to one-hot
    (T, B, V) batch by batch, which keeps a char dataset small).
    y by mode and loss: many_to_one mse (N, O); many_to_many mse (N, T, O);
    many_to_one xent (N,) ints; many_to_many xent (N, T) ints, classes in [0, num_classes).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray | None = None
    y_val: np.ndarray | None = None
    one_hot: int | None = None
    num_classes: int | None = None

    @property
    def has_val(self) -> bool:
        return self.x_val is not None

    @property
    def input_size(self) -> int:
        return int(self.one_hot) if self.one_hot else int(np.shape(self.x_train)[-1])

    def output_size(self, loss: str) -> int:
        return int(self.num_classes) if loss == "xent" else int(np.shape(self.y_train)[-1])


def _check_split(data: TrainData, part: str, mode: str, loss: str, dtype: np.dtype) -> tuple:
    x, y = getattr(data, f"x_{part}"), getattr(data, f"y_{part}")
    xn, yn = f"x_{part}", f"y_{part}"
    if y is None:
        raise ValueError(f"{yn}: missing (give both {xn} and {yn} or neither)")
    if data.one_hot:
        x = np.asarray(x)
        if x.ndim != 2 or not np.issubdtype(x.dtype, np.integer):
            raise ValueError(f"{xn}: with one_hot={data.one_hot} expected integer indices of shape (N, T), "
                             f"got shape {x.shape} and dtype {x.dtype}")
        check_class_targets(x, x.shape, data.one_hot, name=xn)
    else:
        try:
            x = np.asarray(x, dtype=dtype)
        except (TypeError, ValueError):
            raise ValueError(f"{xn}: expected a numeric array of shape (N, T, D)") from None
        if x.ndim != 3:
            raise ValueError(f"{xn}: expected shape (N, T, D), got shape {x.shape}")
        check_finite(xn, x)
    N, T = x.shape[:2]
    if N == 0 or T == 0:
        raise ValueError(f"{xn}: needs at least one sequence of at least one step, got shape {x.shape}")
    lead = (N,) if mode == "many_to_one" else (N, T)
    if loss == "xent":
        if not data.num_classes:
            raise ValueError("num_classes: required for loss='xent' (the number of output classes)")
        y = check_class_targets(y, lead, int(data.num_classes), name=yn)
    else:
        try:
            y = np.asarray(y, dtype=dtype)
        except (TypeError, ValueError):
            raise ValueError(f"{yn}: expected a numeric array") from None
        if y.ndim != len(lead) + 1 or y.shape[:-1] != lead:
            raise ValueError(f"{yn}: for {mode} with mse expected shape ({', '.join(map(str, lead))}, O), "
                             f"got shape {y.shape}")
        check_finite(yn, y)
    return x, y


def check_data(data: TrainData, mode: str, loss: str, dtype=np.float64) -> TrainData:
    """Validate shapes, dtypes and values; returns a TrainData with arrays converted to ``dtype``."""
    if not isinstance(data, TrainData):
        raise ValueError(f"data: expected a TrainData, got {type(data).__name__}")
    if data.one_hot is not None:
        _positive_int("one_hot", data.one_hot)
    if data.num_classes is not None:
        _positive_int("num_classes", data.num_classes)
    dtype = np.dtype(dtype)
    xt, yt = _check_split(data, "train", mode, loss, dtype)
    xv = yv = None
    if data.x_val is not None or data.y_val is not None:
        if data.x_val is None:
            raise ValueError("x_val: missing (give both x_val and y_val or neither)")
        xv, yv = _check_split(data, "val", mode, loss, dtype)
        width = xt.shape[2:]
        if xv.shape[2:] != width:
            raise ValueError(f"x_val: features {xv.shape[2:]} differ from x_train's {width}")
        if loss == "mse" and yv.shape[-1] != yt.shape[-1]:
            raise ValueError(f"y_val: {yv.shape[-1]} outputs but y_train has {yt.shape[-1]}")
    return TrainData(xt, yt, xv, yv, data.one_hot, data.num_classes)


def build_model(config: TrainConfig, input_size: int, output_size: int) -> SequenceModel:
    """The untrained model a config describes; weights reproducible from ``config.seed``."""
    cell_seed, head_seed = (int(s) for s in np.random.SeedSequence(config.seed).generate_state(2))
    dtype = np.dtype(config.dtype)
    H = config.hidden_size
    if config.cell == "rnn":
        cell = RNN(input_size, H, nonlinearity=config.nonlinearity, seed=cell_seed, dtype=dtype)
    elif config.cell == "lstm":
        cell = LSTM(input_size, H, seed=cell_seed, dtype=dtype)
    else:
        cell = GRU(input_size, H, seed=cell_seed, dtype=dtype)
    return SequenceModel(cell, Linear(H, output_size, seed=head_seed, dtype=dtype))


def build_optimizer(config: TrainConfig) -> Optimizer:
    return Adam(config.lr) if config.optimizer == "adam" else SGD(config.lr, momentum=config.momentum)


@dataclass(frozen=True)
class Progress:
    """A report after one optimizer step (what a live chart draws).

    step: optimizer steps done so far (1-based); total_steps: planned for the whole run.
    epoch: the current epoch (0-based). train_loss: this step's mini-batch loss.
    val_loss: the validation loss when it was just computed at this step, else None.
    grad_norm_before / grad_norm_after: global 2-norm of the gradient before/after clipping.
    """

    step: int
    total_steps: int
    epoch: int
    epochs: int
    train_loss: float
    val_loss: float | None
    grad_norm_before: float
    grad_norm_after: float
    clipped: bool
    elapsed: float

    @property
    def fraction(self) -> float:
        return min(1.0, self.step / self.total_steps)


@dataclass
class TrainResult:
    """Everything a run produced. Per-step arrays have one entry per optimizer step.

    step_loss, grad_norm_before, grad_norm_after: (S,); clipped: (S,) bool;
    clip_events: step numbers (1-based) where clipping changed the gradient.
    val_steps, val_loss: when the validation loss was computed (step 0 = before training) and its value.
    epoch_train_loss: (E,) mean mini-batch loss of each completed epoch; epoch_val_loss: (E,) (NaN without val).
    stopped: a stop request ended the run; diverged_step: the step whose loss or gradient was not finite
    (that update was not applied), else None.
    """

    model: SequenceModel
    config: TrainConfig
    step_loss: np.ndarray
    grad_norm_before: np.ndarray
    grad_norm_after: np.ndarray
    clipped: np.ndarray
    val_steps: np.ndarray
    val_loss: np.ndarray
    epoch_train_loss: np.ndarray
    epoch_val_loss: np.ndarray
    stopped: bool = False
    diverged_step: int | None = None
    elapsed: float = 0.0
    total_steps: int = 0

    @property
    def steps(self) -> int:
        return len(self.step_loss)

    @property
    def clip_events(self) -> np.ndarray:
        return np.flatnonzero(self.clipped) + 1


def evaluate(model: SequenceModel, x, y, *, mode: str, loss: str, one_hot: int | None = None) -> float:
    """Mean loss of ``model`` on samples-first data (same conventions as TrainData), fresh state per sequence."""
    n = len(x)
    total = 0.0
    for s in range(0, n, EVAL_BATCH):
        xb, yb = _batch(x, y, np.arange(s, min(n, s + EVAL_BATCH)), mode, one_hot, model.dtype)
        out = model.predict(xb, mode=mode)
        value = mse(out, yb)[0] if loss == "mse" else softmax_cross_entropy(out, yb)[0]
        total += value * (len(yb) if mode == "many_to_one" else yb.shape[1])
    return total / n


def predict_samples(model: SequenceModel, x, *, mode: str = "many_to_one", one_hot: int | None = None) -> np.ndarray:
    """The model's readout for samples-first x (N, T, D) (or (N, T) indices with ``one_hot``), fresh state
    per sequence: (N, O) for many_to_one, (N, T, O) for many_to_many (logits for a classifier)."""
    check_choice("mode", mode, MODES)
    x = np.asarray(x)
    outs = []
    for s in range(0, len(x), EVAL_BATCH):
        idx = np.arange(s, min(len(x), s + EVAL_BATCH))
        xb = np.eye(one_hot, dtype=model.dtype)[x[idx].T] if one_hot else x[idx].transpose(1, 0, 2)
        out = model.predict(xb, mode=mode)
        outs.append(out if mode == "many_to_one" else np.swapaxes(out, 0, 1))
    return np.concatenate(outs)


def _batch(x, y, idx, mode: str, one_hot: int | None, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Samples-first rows ``idx`` -> time-first x (T, B, D) and y ((B, ...) or (T, B, ...))."""
    # one-hot rows picked per batch (T, B, V); float sequences transposed to time-first
    xb = np.eye(one_hot, dtype=dtype)[x[idx].T] if one_hot else np.ascontiguousarray(x[idx].transpose(1, 0, 2))
    yb = y[idx]
    if mode == "many_to_many":
        yb = np.ascontiguousarray(np.swapaxes(yb, 0, 1))
    return xb, yb


def batches_per_epoch(config: TrainConfig, n_train: int) -> int:
    """Mini-batches in one pass over ``n_train`` training sequences (the last one may be smaller)."""
    return -(-n_train // config.batch_size)


def chunks_per_batch(config: TrainConfig, seq_len: int) -> int:
    """Optimizer steps per mini-batch: one, or one per truncated-BPTT chunk of a many-to-many sequence."""
    k = config.bptt
    return -(-seq_len // k) if (k and config.mode == "many_to_many") else 1


def planned_steps(config: TrainConfig, n_train: int, seq_len: int) -> int:
    """Optimizer steps a full run takes on ``n_train`` sequences of ``seq_len`` steps."""
    return config.epochs * batches_per_epoch(config, n_train) * chunks_per_batch(config, seq_len)


class Trainer:
    """One training run, stepped by the ``run()`` generator. ``result()`` works at any moment."""

    def __init__(self, config: TrainConfig, data: TrainData, *, model: SequenceModel | None = None):
        if not isinstance(config, TrainConfig):
            raise ValueError(f"config: expected a TrainConfig, got {type(config).__name__}")
        self.config = config
        self.data = check_data(data, config.mode, config.loss, np.dtype(config.dtype))
        out_size = self.data.output_size(config.loss)
        self.model = model or build_model(config, self.data.input_size, out_size)
        if self.model.cell.input_size != self.data.input_size or self.model.head.out_features != out_size:
            raise ValueError(f"model: expects {self.model.cell.input_size} inputs and "
                             f"{self.model.head.out_features} outputs, the data has {self.data.input_size} "
                             f"and {out_size}")
        self.optimizer = build_optimizer(config)
        # A separate stream for shuffling, so changing the model size does not change the batch order.
        self._rng = np.random.default_rng(np.random.SeedSequence(config.seed).spawn(3)[2])
        N, T = self.data.x_train.shape[:2]
        self.batches_per_epoch = batches_per_epoch(config, N)
        self.chunks = chunks_per_batch(config, T)
        self.total_steps = planned_steps(config, N, T)
        self._loss: list[float] = []
        self._before: list[float] = []
        self._after: list[float] = []
        self._clipped: list[bool] = []
        self._val_steps: list[int] = []
        self._val: list[float] = []
        self._epoch_train: list[float] = []
        self._epoch_val: list[float] = []
        self.stopped = False
        self.diverged_step: int | None = None
        self.elapsed = 0.0
        self._started = False

    # -- one optimizer step ------------------------------------------------------------------
    def _clip(self, grads: dict) -> tuple[dict, float, float, bool]:
        cfg = self.config
        if cfg.clip == "none":
            norm = global_norm(grads)
            return grads, norm, norm, False
        res = (clip_by_norm if cfg.clip == "norm" else clip_by_value)(grads, cfg.clip_threshold)
        return res.grads, res.norm_before, res.norm_after, res.clipped

    def _update(self, x, y, h0, c0):
        """Loss, gradients, clipping and the optimizer step on one (chunk of a) batch."""
        cfg = self.config
        res = self.model.loss_and_grads(x, y, mode=cfg.mode, loss=cfg.loss, h0=h0, c0=c0)
        grads, before, after, clipped = self._clip(res.grads)
        self._loss.append(res.loss)
        self._before.append(before)
        self._after.append(after)
        self._clipped.append(clipped)
        if not (math.isfinite(res.loss) and math.isfinite(after)):
            self.diverged_step = len(self._loss)
            return None
        self.optimizer.step(self.model.params, grads)
        return res.trace

    def _batch_steps(self, xb: np.ndarray, yb: np.ndarray) -> Iterator[None]:
        """Yield after each optimizer step on one time-first batch (several with truncated BPTT)."""
        cfg, T = self.config, xb.shape[0]
        k = cfg.bptt if cfg.bptt and cfg.bptt < T else T
        if cfg.mode == "many_to_one":
            h0 = c0 = None
            if k < T:  # build the state over the first T - k steps; no gradient flows there
                trace = self.model.cell.forward(xb[: T - k])
                h0, c0 = SequenceModel.final_state(trace)
            self._update(xb[T - k :], yb, h0, c0)
            yield
            return
        h0 = c0 = None
        for s in range(0, T, k):
            trace = self._update(xb[s : s + k], yb[s : s + k], h0, c0)
            yield
            if trace is None:
                return
            h0, c0 = SequenceModel.final_state(trace)  # carried forward, detached

    def _validate(self) -> float | None:
        d = self.data
        if not d.has_val:
            return None
        v = evaluate(self.model, d.x_val, d.y_val, mode=self.config.mode, loss=self.config.loss,
                     one_hot=d.one_hot)
        self._val_steps.append(len(self._loss))
        self._val.append(v)
        return v

    def run(self, should_stop: Callable[[], bool] | None = None) -> Iterator[Progress]:
        """Train, yielding a Progress after every optimizer step. Can only be run once."""
        if self._started:
            raise ValueError("Trainer.run: this trainer has already run; make a new Trainer")
        self._started = True
        cfg, d = self.config, self.data
        t0 = time.perf_counter()
        self._validate()  # the starting point of the validation curve
        N = len(d.x_train)
        for epoch in range(cfg.epochs):
            order = self._rng.permutation(N) if cfg.shuffle else np.arange(N)
            first = len(self._loss)
            for b in range(self.batches_per_epoch):
                idx = order[b * cfg.batch_size : (b + 1) * cfg.batch_size]
                xb, yb = _batch(d.x_train, d.y_train, idx, cfg.mode, d.one_hot, self.model.dtype)
                for _ in self._batch_steps(xb, yb):
                    if self.diverged_step is not None:
                        self.elapsed = time.perf_counter() - t0
                        return
                    step = len(self._loss)
                    end_of_epoch = step - first == self.batches_per_epoch * self.chunks
                    val = None
                    if end_of_epoch or (cfg.eval_every and step % cfg.eval_every == 0):
                        val = self._validate()
                    if end_of_epoch:
                        self._epoch_train.append(float(np.mean(self._loss[first:])))
                        self._epoch_val.append(np.nan if val is None else val)
                    self.elapsed = time.perf_counter() - t0
                    yield Progress(step, self.total_steps, epoch, cfg.epochs, self._loss[-1], val,
                                   self._before[-1], self._after[-1], self._clipped[-1], self.elapsed)
                    if should_stop is not None and should_stop():
                        self.stopped = True
                        return

    def result(self) -> TrainResult:
        """A snapshot of the run so far (the model is the live, trained one)."""
        f = lambda a, dt=float: np.asarray(a, dtype=dt)  # noqa: E731
        return TrainResult(
            model=self.model, config=self.config, step_loss=f(self._loss),
            grad_norm_before=f(self._before), grad_norm_after=f(self._after), clipped=f(self._clipped, bool),
            val_steps=f(self._val_steps, int), val_loss=f(self._val), epoch_train_loss=f(self._epoch_train),
            epoch_val_loss=f(self._epoch_val), stopped=self.stopped, diverged_step=self.diverged_step,
            elapsed=self.elapsed, total_steps=self.total_steps,
        )


def iter_train(config: TrainConfig, data: TrainData, *, should_stop: Callable[[], bool] | None = None,
               model: SequenceModel | None = None):
    """Generator of Progress (one per optimizer step); its return value is the TrainResult."""
    trainer = Trainer(config, data, model=model)
    yield from trainer.run(should_stop)
    return trainer.result()


def train(config: TrainConfig, data: TrainData, *, on_progress: Callable[[Progress], None] | None = None,
          should_stop: Callable[[], bool] | None = None, report_interval: float = 0.25,
          model: SequenceModel | None = None) -> TrainResult:
    """Run a whole training and return its TrainResult.

    on_progress(progress) is called at most every ``report_interval`` seconds, whenever a validation
    loss was computed, and after the last step. should_stop() is checked after every step.
    """
    trainer = Trainer(config, data, model=model)
    last = -math.inf
    progress = None
    for progress in trainer.run(should_stop):
        if on_progress is not None and (progress.val_loss is not None
                                        or progress.elapsed - last >= report_interval):
            last = progress.elapsed
            on_progress(progress)
            progress = None
    if on_progress is not None and progress is not None:
        on_progress(progress)
    return trainer.result()


def ema(values, alpha: float = 0.1) -> np.ndarray:
    """Exponential moving average (S,) -> (S,), NaN-safe: a readable trend through noisy mini-batch losses.

    Non-finite entries (a skipped, overflowed step) leave the average where it was.
    """
    v = np.asarray(values, dtype=np.float64)
    out = np.empty_like(v)
    acc = np.nan
    for i, x in enumerate(v):
        if np.isfinite(x):
            acc = x if not np.isfinite(acc) else (1 - alpha) * acc + alpha * x
        out[i] = acc
    return out
