"""Recipe for the training lab: build a task, train a model on it, and measure it against memoryless baselines.

NumPy and rnn_core only. The page turns its widgets into a frozen ``LabConfig`` (the cache and session key), calls
``make_task`` for the data, steps a ``rnn_core.training.Trainer`` itself (so it can draw progress and be
stopped), and hands the finished ``TrainResult`` to ``report`` for everything the results section draws.

Three kinds of task, each one row of ``KINDS`` (what differs between them is looked up, never branched on):
- series ("stock", "stock_returns", "sine", "noisy_sine", "sunspots", "upload"): the last k values predict the
  next one, many-to-one with MSE on values standardised with training statistics only;
- "adding": Hochreiter & Schmidhuber's adding problem, many-to-one with MSE (the default: memory wins clearly);
- "copy": remember 5 symbols for T steps, many-to-many with cross-entropy.
Shapes: N samples, T (or k) time steps, H hidden units, S optimizer steps.

The memoryless rivals come in two parts: ``baselines`` (closed form, milliseconds: persistence, the average,
linear models, the copy task's best guess) and ``window_models`` (feed-forward networks on a window of inputs,
``rnn_core.WindowMLP``, trained for a few seconds — the page runs them in a spare process). ``merged`` joins them.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from rnn_core import tasks
from rnn_core.baseline import LinearAR, copy_task_baseline_loss, last_value, recursive_forecast
from rnn_core.losses import softmax_cross_entropy
from rnn_core.model import SequenceModel
from rnn_core.training import TrainConfig, TrainData, TrainResult, batches_per_epoch, ema, planned_steps
from rnn_core.validation import check_choice, check_int
from rnn_core.window_mlp import WindowMLP

SERIES_TASKS = ("stock", "stock_returns", "sine", "noisy_sine", "sunspots", "upload")
TASKS = (*SERIES_TASKS, "adding", "copy")
# A good starting window per task: about a month of trading days, one sine period, one solar cycle,
# a sequence long enough that memory matters for the two benchmarks.
DEFAULT_WINDOW = {"stock": 20, "stock_returns": 20, "sine": 20, "noisy_sine": 20, "sunspots": 12, "upload": 20,
                  "adding": 20, "copy": 10}
# A good starting number of epochs per task: the short sunspot series needs more passes.
DEFAULT_EPOCHS = {"stock": 20, "stock_returns": 20, "sine": 20, "noisy_sine": 20, "sunspots": 60, "upload": 20,
                  "adding": 20, "copy": 40}
WINDOW_RANGE = (2, 100)
DATA_SEED = 2024  # fixed: changing the model seed must not change the data, or runs would not be comparable
VAL_FRACTION = 0.2
SERIES_LENGTH = {"stock": 750, "stock_returns": 750, "sine": 600, "noisy_sine": 600}  # values generated
ADDING_SIZES = (3000, 300)  # training and validation sequences
COPY_SIZES = (2000, 200)
COPY_SYMBOLS, COPY_LENGTH = 8, 5
FORECAST_STEPS = 40
MAX_SHOWN = 200  # points in the adding-problem scatter
COPY_SHOWN = 6  # held-out copy sequences in the report
MLP_HIDDEN = 32  # the feed-forward rival has as many hidden units as the default recurrent model
MLP_WORK = 4e7  # input values the feed-forward rival may process while fitting (epochs × windows × inputs): seconds
MLP_MAX_EPOCHS = 300


def kind_of(task: str) -> str:
    """"series" for every series task, else the task's own name ("adding", "copy"): the key of ``KINDS``."""
    return "series" if task in SERIES_TASKS else task


@dataclass(frozen=True)
class LabConfig:
    """Every setting of one training run; frozen and hashable, so it keys caches and stored results.

    window: k (series tasks: how many past values the model sees) or T (adding: sequence length,
    copy: how long the symbols must be remembered). bptt: truncated-BPTT length, 0 = full BPTT.
    data_id: identifies the series behind "sunspots"/"upload" (e.g. a hash of the file and column).
    """

    task: str = "adding"
    window: int = 20
    cell: str = "lstm"
    hidden_size: int = 32
    bptt: int = 0
    optimizer: str = "adam"
    lr: float = 0.01
    momentum: float = 0.9
    epochs: int = 20
    clip: str = "norm"
    clip_threshold: float = 1.0
    seed: int = 0
    batch_size: int = 32
    data_id: str = ""

    def __post_init__(self):
        check_choice("task", self.task, TASKS)
        check_int("window", self.window, *WINDOW_RANGE)
        # Not check_int: the message says what 0 means.
        if isinstance(self.bptt, bool) or not isinstance(self.bptt, int | np.integer) or self.bptt < 0:
            raise ValueError(f"bptt: expected 0 (full BPTT) or a positive number of steps, got {self.bptt!r}")
        self.train_config()  # every other setting is checked by TrainConfig

    @property
    def data_key(self) -> tuple:
        """Runs with the same data key share data and split, so their metrics are comparable."""
        return (self.task, self.window, self.data_id)

    @property
    def kind(self) -> str:
        return kind_of(self.task)

    def train_config(self) -> TrainConfig:
        kind = KINDS[self.kind]
        return TrainConfig(
            cell=self.cell, hidden_size=self.hidden_size, optimizer=self.optimizer, lr=self.lr,
            momentum=self.momentum, epochs=self.epochs, batch_size=self.batch_size, clip=self.clip,
            clip_threshold=self.clip_threshold, bptt=self.bptt or None, seed=self.seed,
            mode=kind.mode, loss=kind.loss,
        )

    @property
    def label(self) -> str:
        """Short model name for tables and legends, e.g. "LSTM H=32" (the engine's cell kinds are acronyms)."""
        return f"{self.cell.upper()} H={self.hidden_size}"

    @property
    def settings(self) -> str:
        """How it was trained, e.g. "Adam lr 0.01 · 20 epochs · clip norm 1 · seed 0"."""
        opt = "Adam" if self.optimizer == "adam" else f"SGD (momentum {self.momentum:g})"
        parts = [f"{opt} lr {self.lr:g}", f"{self.epochs} epochs"]
        if self.bptt:
            parts.append(f"BPTT {self.bptt}")
        parts.append("no clipping" if self.clip == "none" else f"clip {self.clip} {self.clip_threshold:g}")
        parts.append(f"seed {self.seed}")
        return " · ".join(parts)


# -- tasks --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Task:
    """The data one run trains on.

    data: TrainData (samples first, standardised for series). kind: "series" | "adding" | "copy".
    Series only: series (N,) in original units, split (WindowSplit), k.
    copy only: codes_val (N_val, L) the input symbol codes (0 blank, 1..8 symbols, 9 "repeat now").
    """

    task: str
    window: int
    kind: str
    data: TrainData
    series: np.ndarray | None = None
    split: tasks.WindowSplit | None = None
    codes_val: np.ndarray | None = None

    @property
    def steps(self) -> int:
        return int(self.data.x_train.shape[1])


def generated_series(task: str) -> np.ndarray:
    """The synthetic series behind "stock", "stock_returns", "sine" and "noisy_sine" (fixed seed), (N,).
    "stock_returns" is the same price path as daily returns in percent, 100·(S_t / S_{t−1} − 1): one value fewer."""
    n = SERIES_LENGTH[task]
    if task in ("stock", "stock_returns"):
        prices = tasks.stock_prices(n, drift=0.0004, volatility=0.015, start=100.0, seed=DATA_SEED)
        return prices if task == "stock" else 100.0 * (prices[1:] / prices[:-1] - 1.0)
    return tasks.sine(n, period=25.0, noise=0.25 if task == "noisy_sine" else 0.0, seed=DATA_SEED)


def make_task(task: str, window: int, series=None) -> Task:
    """Build the data for ``task``. ``series`` (N,) is required for "sunspots" and "upload", ignored otherwise."""
    check_choice("task", task, TASKS)
    return KINDS[kind_of(task)].make(task, window, series)


def _series_task(task: str, window: int, series) -> Task:
    if task in SERIES_LENGTH:
        series = generated_series(task)
    elif series is None:
        raise ValueError(f"series: the {task!r} task needs its series of values")
    s = np.asarray(series, dtype=np.float64)
    split = tasks.window_split(s, window, 1, VAL_FRACTION)
    if len(split.x_val) < 2:
        raise ValueError(f"series: with {len(s)} values and a window of k={window} only {len(split.x_val)} "
                         f"validation window(s) remain; use a smaller window or a longer series")
    return Task(task, window, "series", split.train_data(), series=s, split=split)


def _adding_task(task: str, window: int, series=None) -> Task:
    xt, yt = tasks.adding_problem(ADDING_SIZES[0], window, seed=DATA_SEED)
    xv, yv = tasks.adding_problem(ADDING_SIZES[1], window, seed=DATA_SEED + 1)
    return Task(task, window, "adding", TrainData(xt, yt, xv, yv))


def _copy_task(task: str, window: int, series=None) -> Task:
    xt, yt = _copy(COPY_SIZES[0], window, DATA_SEED)
    xv, yv = _copy(COPY_SIZES[1], window, DATA_SEED + 1)
    return Task(task, window, "copy", TrainData(xt, yt, xv, yv, num_classes=COPY_SYMBOLS + 1),
                codes_val=xv.argmax(axis=-1))


def _copy(n: int, T: int, seed: int):
    return tasks.copy_task(n, T, seed, n_symbols=COPY_SYMBOLS, length=COPY_LENGTH)


def step_plan(cfg: LabConfig, task: Task) -> tuple[int, int]:
    """(optimizer steps of a full run, mini-batches per epoch), as the engine's Trainer will count them."""
    tc, n = cfg.train_config(), len(task.data.x_train)
    return planned_steps(tc, n, task.steps), batches_per_epoch(tc, n)


# -- baselines -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Baselines:
    """Memoryless models on the task's validation part, for the comparison table and the charts.

    rows: one dict per baseline (same columns as the model rows of ``report``).
    pred_val: name -> (N_val,) one-step predictions in original units (series) or of the sum (adding).
    forecast: name -> (F,) recursive forecast from the start of the validation part (series only).
    """

    rows: tuple[dict, ...]
    pred_val: dict[str, np.ndarray] = field(default_factory=dict)
    forecast: dict[str, np.ndarray] = field(default_factory=dict)


AR_NAME = "Linear AR (last k values)"
PERSIST_NAME = "Tomorrow = today"
AVERAGE_NAME = "Always the training average"
MLP_NAME = "Feed-forward net (last k values)"
LINEAR_NAME = "Linear regression on all inputs"
MEAN_NAME = "Always the average sum"
MLP_ALL_NAME = "Feed-forward net (all T steps)"
MLP_HALF_NAME = "Feed-forward net (last T/2 steps)"
COPY_NAME = "No memory (best guess)"


def baselines(task: Task) -> Baselines:
    """The closed-form memoryless baselines, fitted on the training part and scored on the validation part
    (milliseconds). The feed-forward rivals are ``window_models``."""
    return KINDS[task.kind].baselines(task)


def window_models(task: Task) -> Baselines:
    """The feed-forward rivals (``rnn_core.WindowMLP``) trained on the training part, scored like the baselines.
    Seconds of work, bounded by MLP_WORK; deterministic (seed 0)."""
    return KINDS[task.kind].window_models(task)


def window_models_for(task: str, window: int, series=None) -> Baselines:
    """``window_models(make_task(task, window, series))``: what a worker process is sent (plain arguments)."""
    return window_models(make_task(task, window, series))


def merged(*parts: Baselines) -> Baselines:
    """One table of baselines from several parts, in order."""
    return Baselines(tuple(r for p in parts for r in p.rows), {k: v for p in parts for k, v in p.pred_val.items()},
                     {k: v for p in parts for k, v in p.forecast.items()})


def best_baseline(base: Baselines, kind: str) -> tuple[str, float]:
    """The best baseline's name and validation loss, in the units of the training loss of a ``kind`` task."""
    key = KINDS[kind].loss_column
    best = min(base.rows, key=lambda r: r[key])
    return best["model"], best[key]


@dataclass(frozen=True)
class _HeldOut:
    """A series task's held-out part in original units: truth (N_val,) for the one-step predictions,
    truth_forecast (F,) for the forecast, which starts from the scaled window ``start`` (k,)."""

    truth: np.ndarray
    truth_forecast: np.ndarray
    start: np.ndarray

    @property
    def steps(self) -> int:
        return len(self.truth_forecast)


def _held_out(task: Task) -> _HeldOut:
    sp = task.split
    steps = forecast_steps(task)
    return _HeldOut(truth=sp.scaler.inverse(task.data.y_val[:, 0]),
                    truth_forecast=task.series[sp.split : sp.split + steps],
                    start=sp.scaled[sp.split - sp.k : sp.split])


class _LastValue:
    """Tomorrow = today: the last value of each window."""

    @staticmethod
    def predict(x: np.ndarray) -> np.ndarray:
        return last_value(x)[:, 0]


class _Average:
    """The training targets' mean, whatever the window: a model that has learned nothing about time."""

    def __init__(self, y: np.ndarray):
        self.value = float(np.mean(y))

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.full(len(x), self.value)


def _series_models(task: Task, models: tuple) -> Baselines:
    """Score (name, fitted model with .predict on windows, parameters, how it was fitted) rows on a series task."""
    d, sp, held = task.data, task.split, _held_out(task)
    inv = sp.scaler.inverse
    rows, preds, fc = [], {}, {}
    for name, model, params, how in models:
        preds[name] = inv(np.asarray(model.predict(d.x_val)).reshape(len(d.x_val), -1)[:, 0])
        fc[name] = inv(recursive_forecast(model, held.start, held.steps))
        rows.append(_with_settings(_series_row(name, params, preds[name], held.truth, fc[name], held.truth_forecast,
                                               sp.scaler.std), how))
    return Baselines(tuple(rows), preds, fc)


def _series_baselines(task: Task) -> Baselines:
    d, k = task.data, task.window
    return _series_models(task, (
        (PERSIST_NAME, _LastValue(), 0, "repeats the last value; nothing to fit"),
        (AVERAGE_NAME, _Average(d.y_train), 1, "the mean of the training part; blind to time"),
        (AR_NAME, LinearAR().fit(d.x_train, d.y_train), k + 1, "least squares on the training windows")))


def _mlp(x: np.ndarray, y: np.ndarray) -> WindowMLP:
    """A WindowMLP fitted with at most MLP_WORK input values processed (epochs × windows × inputs)."""
    work = max(1, x.shape[0] * int(np.prod(x.shape[1:])))
    epochs = int(min(MLP_MAX_EPOCHS, max(5, MLP_WORK // work)))
    return WindowMLP(MLP_HIDDEN, epochs=epochs, seed=0).fit(x, y)


def _series_window_models(task: Task) -> Baselines:
    d = task.data
    mlp = _mlp(d.x_train, d.y_train[:, 0])
    how = (f"{MLP_HIDDEN} tanh units on the same k values; Adam, {mlp.epochs_run} epochs with early stopping")
    return _series_models(task, ((MLP_NAME, mlp, mlp.num_params(), how),))


def _adding_baselines(task: Task) -> Baselines:
    d = task.data
    flat_tr = d.x_train.reshape(len(d.x_train), -1)
    pred_lin = LinearAR().fit(flat_tr, d.y_train).predict(d.x_val.reshape(len(d.x_val), -1))[:, 0]
    truth = d.y_val[:, 0]
    mean = np.full_like(truth, float(d.y_train.mean()))
    rows = (_with_settings(_adding_row(MEAN_NAME, 1, mean, truth), "the mean target of the training set"),
            _with_settings(_adding_row(LINEAR_NAME, flat_tr.shape[1] + 1, pred_lin, truth),
                           "least squares on all 2T inputs at once"))
    return Baselines(rows, {MEAN_NAME: mean, LINEAR_NAME: pred_lin})


def adding_half(T: int) -> int:
    """Where the adding problem's second half starts: the first marker always lies before it."""
    return T // 2


def _adding_window_models(task: Task) -> Baselines:
    """Two feed-forward nets: one sees the whole sequence at once (no state, no shared weights), one only its
    second half — truncated, it never sees the first marked number (at best MSE = Var U(0, 1) = 1/12)."""
    d, truth, half = task.data, task.data.y_val[:, 0], adding_half(task.window)
    rows, preds = [], {}
    for name, cut, what in ((MLP_ALL_NAME, 0, "all 2T inputs at once"),
                            (MLP_HALF_NAME, half, f"the last {task.window - half} steps only")):
        mlp = _mlp(d.x_train[:, cut:], d.y_train[:, 0])
        preds[name] = mlp.predict(d.x_val[:, cut:])
        rows.append(_with_settings(_adding_row(name, mlp.num_params(), preds[name], truth),
                                   f"{MLP_HIDDEN} tanh units on {what}; {mlp.epochs_run} epochs"))
    return Baselines(tuple(rows), preds)


def _copy_baselines(task: Task) -> Baselines:
    loss = copy_task_baseline_loss(task.window, COPY_SYMBOLS, COPY_LENGTH)
    return Baselines(({"model": COPY_NAME, "settings": f"what any model that looks back at most T + "
                                                      f"{COPY_LENGTH} = {task.window + COPY_LENGTH} steps can do: "
                                                      f"blanks right, symbols guessed",
                       "params": 0, "Val loss": loss, "Recall accuracy": 1.0 / COPY_SYMBOLS},),)


def copy_reach(T: int) -> int:
    """How far back the copy task's recall reaches: each symbol is written T + length steps after it was read."""
    return T + COPY_LENGTH


def _no_models(task: Task) -> Baselines:
    return Baselines(())


def _with_settings(row: dict, settings: str) -> dict:
    """Put a "settings" column right after "model"."""
    return {"model": row["model"], "settings": settings, **{k: v for k, v in row.items() if k != "model"}}


def forecast_steps(task: Task) -> int:
    return int(min(FORECAST_STEPS, len(task.series) - task.split.split))


def _series_row(name, params, pred, truth, fc, truth_fc, std) -> dict:
    err = pred - truth
    return {"model": name, "params": int(params),
            "Val MSE (scaled)": float(np.mean(err**2) / std**2),
            "RMSE": float(np.sqrt(np.mean(err**2))), "MAE": float(np.mean(np.abs(err))),
            f"Forecast RMSE ({len(fc)} steps)": float(np.sqrt(np.mean((fc - truth_fc) ** 2)))}


def _adding_row(name, params, pred, truth) -> dict:
    err = pred - truth
    return {"model": name, "params": int(params), "Val MSE": float(np.mean(err**2)),
            "MAE": float(np.mean(np.abs(err)))}


# -- after training ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    """What the results section draws for one finished (or stopped) run.

    Curves (S = optimizer steps): step_loss, grad_before, grad_after (S,), clipped (S,) bool;
    val_steps, val_loss (V,); smooth_loss (S,) an exponential moving average of step_loss.
    row: this model's metrics (same columns as the baselines' rows).
    Series: t_val (N_val,) series index of each held-out target; truth_val, pred_val (N_val,) original units;
    forecast_t (F,), forecast (F,), truth_forecast (F,).  Adding: truth_val, pred_val (N_val,) sums.
    Copy: codes (n, L) inputs of a few held-out sequences, target (n, L), predicted (n, L).
    Gates on one held-out sequence: gate_x (T, D) its input, gates: name -> (T, H) (plus "c" for an LSTM,
    "h" for every cell). weights: PyTorch state_dict names -> arrays.
    """

    label: str
    row: dict
    step_loss: np.ndarray
    smooth_loss: np.ndarray
    val_steps: np.ndarray
    val_loss: np.ndarray
    grad_before: np.ndarray
    grad_after: np.ndarray
    clipped: np.ndarray
    gates: dict[str, np.ndarray]
    gate_x: np.ndarray
    weights: dict[str, np.ndarray]
    stopped: bool
    diverged_step: int | None
    steps: int
    total_steps: int
    elapsed: float
    t_val: np.ndarray | None = None
    truth_val: np.ndarray | None = None
    pred_val: np.ndarray | None = None
    forecast_t: np.ndarray | None = None
    forecast: np.ndarray | None = None
    truth_forecast: np.ndarray | None = None
    codes: np.ndarray | None = None
    target: np.ndarray | None = None
    predicted: np.ndarray | None = None

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.elapsed if self.elapsed > 0 else float("nan")


def _time_first(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(x, dtype=np.float64).transpose(1, 0, 2))


def _healthy(model: SequenceModel) -> bool:
    return all(np.isfinite(p).all() for p in model.params.values())


def report(cfg: LabConfig, task: Task, result: TrainResult) -> Report:
    """Evaluate a trained (or stopped) model on the held-out data of ``task``."""
    model, kind = result.model, KINDS[task.kind]
    ok = _healthy(model)
    x_val = task.data.x_val
    seq = np.asarray(x_val[kind.gate_sample(len(x_val))], dtype=np.float64)
    gates, gate_x = _gates(model, seq) if ok else ({}, seq)
    return Report(
        label=cfg.label, step_loss=result.step_loss, smooth_loss=ema(result.step_loss),
        val_steps=result.val_steps, val_loss=result.val_loss, grad_before=result.grad_norm_before,
        grad_after=result.grad_norm_after, clipped=result.clipped, weights=model.state_dict_torch(),
        stopped=result.stopped, diverged_step=result.diverged_step, steps=result.steps,
        total_steps=result.total_steps, elapsed=result.elapsed, gates=gates, gate_x=gate_x,
        **kind.evaluate(cfg, task, model, ok),
    )


def _series_report(cfg: LabConfig, task: Task, model: SequenceModel, ok: bool) -> dict:
    """One-step predictions and the recursive forecast in original units (NaN for a broken model)."""
    d, sp = task.data, task.split
    inv, held = sp.scaler.inverse, _held_out(task)
    pred = inv(model.predict(_time_first(d.x_val))[:, 0]) if ok else np.full_like(held.truth, np.nan)
    fc = inv(recursive_forecast(model, held.start, held.steps)) if ok else np.full(held.steps, np.nan)
    row = _series_row(cfg.label, model.num_params(), pred, held.truth, fc, held.truth_forecast, sp.scaler.std)
    return {"row": _with_settings(row, cfg.settings), "t_val": sp.t_val, "truth_val": held.truth, "pred_val": pred,
            "forecast_t": np.arange(sp.split, sp.split + held.steps), "forecast": fc,
            "truth_forecast": held.truth_forecast}


def _adding_report(cfg: LabConfig, task: Task, model: SequenceModel, ok: bool) -> dict:
    """Predicted sums of the held-out sequences (the first MAX_SHOWN for the scatter)."""
    d = task.data
    truth = d.y_val[:, 0]
    pred = model.predict(_time_first(d.x_val))[:, 0] if ok else np.full_like(truth, np.nan)
    row = _with_settings(_adding_row(cfg.label, model.num_params(), pred, truth), cfg.settings)
    return {"row": row, "truth_val": truth[:MAX_SHOWN], "pred_val": pred[:MAX_SHOWN]}


def _copy_report(cfg: LabConfig, task: Task, model: SequenceModel, ok: bool) -> dict:
    """Cross-entropy over every step, recall accuracy over the steps after the ▶ signal, a few sequences."""
    d = task.data
    recall = slice(COPY_LENGTH + task.window, None)
    if ok:
        logits = model.predict(_time_first(d.x_val), mode="many_to_many")  # (L, N, C)
        predicted = logits.argmax(axis=-1).T  # (N, L)
        loss = softmax_cross_entropy(logits, d.y_val.T)[0]
        acc = float((predicted[:, recall] == d.y_val[:, recall]).mean())
    else:
        loss, acc, predicted = float("nan"), float("nan"), np.zeros_like(d.y_val)
    row = {"model": cfg.label, "settings": cfg.settings, "params": model.num_params(), "Val loss": loss,
           "Recall accuracy": acc}
    n = COPY_SHOWN
    return {"row": row, "codes": task.codes_val[:n], "target": d.y_val[:n], "predicted": predicted[:n]}


def _gates(model: SequenceModel, x: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    trace = model.cell.forward(x)
    out = {} if model.cell.kind == "rnn" else {k: np.asarray(v) for k, v in trace.gates.items()}
    if trace.c is not None:
        out["c"] = np.asarray(trace.c)
    out["h"] = np.asarray(trace.h)
    return out, x


def gate_input(kind: str, gate_x: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """The line drawn above the gate heatmaps for a ``kind`` task's sequence (T, D), and the steps to outline."""
    return KINDS[kind].gate_line(np.asarray(gate_x))


def weights_npz(weights: dict[str, np.ndarray]) -> bytes:
    """The trained parameters as an .npz file (PyTorch names: load with ``np.load`` then ``torch.tensor``)."""
    buf = io.BytesIO()
    np.savez(buf, **{k: np.asarray(v) for k, v in weights.items()})
    return buf.getvalue()


WIN_MARGIN = 0.1  # "wins" means a held-out loss at least 10 % below every rival's; within 10 % is a tie


@dataclass(frozen=True)
class Verdict:
    """How one trained model compares with the memoryless rivals on the held-out data (lower loss is better).

    loss: the model's validation loss; best_name, best_loss: the best rival's; outcome: "wins" (at least
    WIN_MARGIN below every rival), "ties" (within WIN_MARGIN of the best) or "loses"; ratio: best_loss / loss
    (how many times lower the model's loss is); rivals: how many rivals were compared.
    """

    loss: float
    best_name: str
    best_loss: float
    outcome: str
    ratio: float
    rivals: int


def verdict(row: dict, base: Baselines, kind: str) -> Verdict | None:
    """The comparison the page puts into words, or None when there is nothing to compare (no rivals yet, or a
    model whose loss is not a number)."""
    col = KINDS[kind].loss_column
    loss = float(row[col])
    if not base.rows or not np.isfinite(loss):
        return None
    name, best = best_baseline(base, kind)
    if loss <= (1 - WIN_MARGIN) * best:
        outcome = "wins"
    elif loss <= (1 + WIN_MARGIN) * best:
        outcome = "ties"
    else:
        outcome = "loses"
    return Verdict(loss, name, float(best), outcome, float(best) / loss if loss > 0 else float("inf"),
                   len(base.rows))


def with_stopped(result: TrainResult) -> TrainResult:
    """The snapshot of a run that was interrupted from outside (a Stop click) marked as stopped."""
    return replace(result, stopped=True)


# -- the three kinds of task, side by side ---------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    """Everything one kind of task does its own way.

    mode, loss: how the model is trained ("many_to_one"/"many_to_many", "mse"/"xent").
    loss_column: the metric rows' validation loss, in the units of the training loss (the baseline to beat).
    make(task, window, series) -> Task; baselines(task) -> Baselines (closed form); window_models(task) ->
    Baselines (the feed-forward rivals, seconds);
    evaluate(cfg, task, model, healthy) -> the model's metric row and the Report fields its charts need.
    gate_sample(n_val) -> which held-out sequence to look inside the cell with.
    gate_line(x (T, D)) -> (the input as one line (T,), the steps to outline).
    """

    mode: str
    loss: str
    loss_column: str
    make: Callable[[str, int, object], Task]
    baselines: Callable[[Task], Baselines]
    window_models: Callable[[Task], Baselines]
    evaluate: Callable[[LabConfig, Task, SequenceModel, bool], dict]
    gate_sample: Callable[[int], int]
    gate_line: Callable[[np.ndarray], tuple[np.ndarray, list[int]]]


KINDS = {
    "series": Kind("many_to_one", "mse", "Val MSE (scaled)", _series_task, _series_baselines,
                   _series_window_models, _series_report,
                   gate_sample=lambda n: n // 2, gate_line=lambda x: (x[:, 0], [])),
    # the adding problem's input is (value, marker): draw the values, outline the two marked steps
    "adding": Kind("many_to_one", "mse", "Val MSE", _adding_task, _adding_baselines, _adding_window_models,
                   _adding_report,
                   gate_sample=lambda n: 0, gate_line=lambda x: (x[:, 0], np.flatnonzero(x[:, 1] > 0.5).tolist())),
    # the copy task's input is one-hot: draw the symbol codes
    "copy": Kind("many_to_many", "xent", "Val loss", _copy_task, _copy_baselines, _no_models, _copy_report,
                 gate_sample=lambda n: 0, gate_line=lambda x: (x.argmax(axis=1).astype(float), [])),
}
