"""Recipe for the gradient-flow lesson: RNN, LSTM and GRU on the adding problem, the size of ∂L/∂h_t at
every distance from the loss, at initialisation and after a short training run.

NumPy and rnn_core only. Training reports after every step (a page shows progress there, and Streamlit can stop it
there); each step's mini-batch depends only on (seed, step), so a run resumed from a ``TrainState`` (parameters,
Adam moments, losses) continues exactly as an uninterrupted one. The runs a first
visit shows (the defaults and the "Try this" links, seeds 0–4) are trained once, ahead of time, into
assets/gradient_flow_runs.json.gz (``python -m lessons.gradient_flow.precompute``).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from rnn_core.clipping import clip_by_norm
from rnn_core.losses import mse
from rnn_core.model import SequenceModel
from rnn_core.optim import Adam
from rnn_core.tasks import adding_problem
from rnn_core.training import TrainConfig, build_model
from rnn_core.validation import check_choice, check_int, check_number

CELLS = ("rnn", "lstm", "gru")
BASELINE_MSE = 1.0 / 6.0  # always answering 1 (the mean of the sum of two U(0, 1) values)
REACH_THRESHOLD = 1e-3  # "still reaches" = at least a thousandth of the gradient at the loss
N_TRAIN = 512
N_EVAL = 256


@dataclass(frozen=True)
class FlowConfig:
    """The adding problem with T steps; every cell has H hidden units and starts from the same seed.

    forget_bias: the LSTM's forget-gate bias b_f; its input-gate bias is −b_f (chrono initialisation, Tallec &
    Ollivier 2018: a cell that keeps much starts out writing little). Its other parameters keep PyTorch's init.
    input_scale: multiplies every cell's input weights (PyTorch's U(−1/√H, 1/√H) leaves the gates of a cell
    with two inputs near 0.5, deaf to the markers; as the "input weight scale" of /lstm and /gru).
    steps: optimizer steps of the training run.
    """

    T: int = 30
    forget_bias: float = 1.0
    hidden: int = 8
    steps: int = 480
    seed: int = 0
    lr: float = 0.02
    batch: int = 32
    clip: float = 1.0
    input_scale: float = 3.0

    def __post_init__(self):
        check_int("T", self.T, 4, 400)
        check_number("forget_bias", self.forget_bias)
        check_int("hidden", self.hidden, 1, 256)
        check_number("input_scale", self.input_scale)
        check_int("steps", self.steps, 0, 100_000)


def for_cell(cfg: FlowConfig, cell: str) -> FlowConfig:
    """The part of ``cfg`` that matters to ``cell``: only the LSTM has a forget gate, so the others get a
    fixed b_f — a cache keyed on the result retrains only the LSTM when the forget-bias slider moves."""
    return cfg if cell == "lstm" else replace(cfg, forget_bias=0.0)


def _train_config(cfg: FlowConfig, cell: str) -> TrainConfig:
    return TrainConfig(cell=cell, hidden_size=cfg.hidden, lr=cfg.lr, batch_size=cfg.batch, clip="norm",
                       clip_threshold=cfg.clip, seed=cfg.seed, mode="many_to_one", loss="mse")


def build(cfg: FlowConfig, cell: str) -> SequenceModel:
    """The untrained model: PyTorch init from ``cfg.seed``, input weights × input_scale; for the LSTM the
    forget-gate bias is b_f and the input-gate bias −b_f (all in bias_ih; bias_hh 0 for those gates)."""
    check_choice("cell", cell, CELLS)
    model = build_model(_train_config(cfg, cell), input_size=2, output_size=1)
    model.cell.params["weight_ih"] = model.cell.params["weight_ih"] * cfg.input_scale
    if cell == "lstm":
        H = cfg.hidden
        b_ih, b_hh = model.cell.params["bias_ih"].copy(), model.cell.params["bias_hh"].copy()
        b_ih[:H], b_ih[H : 2 * H] = -cfg.forget_bias, cfg.forget_bias  # rows 0..H: input gate, H..2H: forget
        b_hh[: 2 * H] = 0.0
        model.cell.params["bias_ih"], model.cell.params["bias_hh"] = b_ih, b_hh
    return model


def data(cfg: FlowConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Training and evaluation sets of the adding problem, time-first: x (T, N, 2), y (N, 1)."""
    x, y = adding_problem(N_TRAIN, cfg.T, seed=cfg.seed)
    xe, ye = adding_problem(N_EVAL, cfg.T, seed=cfg.seed + 10_000)
    return x.transpose(1, 0, 2).copy(), y, xe.transpose(1, 0, 2).copy(), ye


@dataclass
class TrainState:
    """Where a cell's training stands after some steps: parameters (SequenceModel names), Adam's state,
    and the mini-batch loss of every step so far."""

    cell: str
    params: dict[str, np.ndarray]
    adam: dict = field(default_factory=dict)
    losses: list[float] = field(default_factory=list)

    def model(self, cfg: FlowConfig) -> SequenceModel:
        model = build(cfg, self.cell)
        for key, value in self.params.items():
            prefix, name = key.split(".", 1)
            (model.cell if prefix == "cell" else model.head).params[name] = value.copy()
        return model


def initial_state(cfg: FlowConfig, cell: str) -> TrainState:
    model = build(cfg, cell)
    return TrainState(cell=cell, params={k: v.copy() for k, v in model.params.items()})


def train_steps(cfg: FlowConfig, state: TrainState, steps: int, on_step=None) -> TrainState:
    """``steps`` more Adam steps from ``state``, with gradient-norm clipping, on mini-batches drawn with a seed that
    depends only on (seed, step number): resuming gives exactly the run that never stopped.
    ``on_step(n)`` is called after step n (1-based, counted from the start of the whole run)."""
    model = state.model(cfg)
    opt = Adam(cfg.lr)
    opt.state = {k: {kk: (vv.copy() if isinstance(vv, np.ndarray) else vv) for kk, vv in v.items()}
                 for k, v in state.adam.items()}
    x, y, _, _ = data(cfg)
    losses = list(state.losses)
    for step in range(len(losses), len(losses) + steps):
        idx = np.random.default_rng([cfg.seed, 99, step]).choice(N_TRAIN, size=cfg.batch, replace=False)
        res = model.loss_and_grads(x[:, idx], y[idx], mode="many_to_one", loss="mse")
        losses.append(float(res.loss))
        if not np.isfinite(res.loss):
            break
        opt.step(model.params, clip_by_norm(res.grads, cfg.clip).grads)
        if on_step is not None:
            on_step(step + 1)
    return TrainState(cell=state.cell, params={k: v.copy() for k, v in model.params.items()}, adam=opt.state,
                      losses=losses)


@dataclass
class Flow:
    """Gradient sizes on the evaluation batch, against the distance d = T−t from the loss (d = 0 first: step T).

    h: (T,) mean over sequences of ‖∂L/∂h_t‖ / ‖∂L/∂h_T‖ (1 at d = 0).
    c: (T,) the same for the LSTM's cell state ‖∂L/∂c_t‖ (None for the others).
    reach: the largest distance with h ≥ REACH_THRESHOLD (T−1: the gradient reaches the first step).
    loss: mean squared error on the evaluation batch.
    keep: the mean of the gate that keeps the memory (the LSTM's f, the GRU's z; None for the RNN), over every
    step, unit and evaluation sequence.
    write: the LSTM's input gate i, averaged the same way (None for the others): how open the way is between the
    belt and what writes it.
    """

    h: np.ndarray
    c: np.ndarray | None
    reach: int
    loss: float
    keep: float | None = None
    write: float | None = None


def gradient_flow(cfg: FlowConfig, state: TrainState) -> Flow:
    """How far back the loss at the last step is felt, for the model in ``state``.

    Only the last step has a loss, so ∂L/∂h_T = ∂L/∂ŷ · V; every earlier ∂L/∂h_t is that vector carried
    back through the Jacobians of the cell. Dividing by its size at d = 0 removes how wrong the prediction
    happens to be and leaves only what the cell does to the signal on the way back.
    """
    model = state.model(cfg)
    _, _, xe, ye = data(cfg)
    trace, out = model.forward(xe, mode="many_to_one")
    loss, dout = mse(out, ye)
    _, dread = model.head.backward(trace.h[-1], dout)
    dh = np.zeros_like(trace.h)
    dh[-1] = dread
    grads = model.cell.backward(trace, dh)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        norms = np.linalg.norm(grads.dh, axis=2)  # (T, B)
        scale = norms[-1]
        h = (norms / scale).mean(axis=1)[::-1]
        c = None
        if grads.dc is not None:
            c = (np.linalg.norm(grads.dc, axis=2) / scale).mean(axis=1)[::-1]
    above = np.flatnonzero(h >= REACH_THRESHOLD)
    keep = {"lstm": "f", "gru": "z"}.get(state.cell)
    return Flow(h=h, c=c, reach=int(above.max()) if above.size else 0, loss=float(loss),
                keep=float(trace.gates[keep].mean()) if keep else None,
                write=float(trace.gates["i"].mean()) if state.cell == "lstm" else None)


# -- a whole run: every cell at initialisation and after training ---------------------------------------------
@dataclass
class CellRun:
    """One cell's part of a run: its gradient flow at initialisation and after training, and the mini-batch
    loss of every training step."""

    init: Flow
    trained: Flow
    losses: np.ndarray


def initial_flows(cfg: FlowConfig) -> dict[str, Flow]:
    """Every cell's gradient flow at initialisation: one forward and backward pass each, no training."""
    return {cell: gradient_flow(for_cell(cfg, cell), initial_state(for_cell(cfg, cell), cell)) for cell in CELLS}


def train_cell(cfg: FlowConfig, cell: str, on_step=None) -> CellRun:
    """Train ``cell`` for ``cfg.steps`` steps; ``on_step(n)`` is called after step n — a page draws its progress
    there (and Streamlit may stop the run there)."""
    own = for_cell(cfg, cell)
    state = initial_state(own, cell)
    init = gradient_flow(own, state)
    state = train_steps(own, state, cfg.steps, on_step)
    return CellRun(init=init, trained=gradient_flow(own, state), losses=np.asarray(state.losses))


@dataclass(frozen=True)
class TrainProgress:
    """Where a run of all three cells is: ``step`` of ``total_steps`` over the cells together, ``cell_step`` of
    ``steps`` within ``cell`` (what a progress bar says)."""

    step: int
    total_steps: int
    cell: str
    cell_step: int
    steps: int

    @property
    def fraction(self) -> float:
        return self.step / self.total_steps


class _Stopped(Exception):
    """Raised from a step's callback to end a run early: a partial run of three cells is not kept."""


def train_all(cfg: FlowConfig, _data=None, *, report, should_stop) -> dict[str, CellRun] | None:
    """Train every cell in turn (a worker process runs this: lessons.kit.jobs); ``report(TrainProgress)`` after
    every step; None when ``should_stop()`` turned true before the last step."""
    runs: dict[str, CellRun] = {}
    for n, cell in enumerate(CELLS):
        def on_step(k: int, n: int = n, cell: str = cell) -> None:
            report(TrainProgress(n * cfg.steps + k, len(CELLS) * cfg.steps, cell, k, cfg.steps))
            if should_stop() and not (n == len(CELLS) - 1 and k == cfg.steps):
                raise _Stopped
        try:
            runs[cell] = train_cell(cfg, cell, on_step=on_step)
        except _Stopped:
            return None
    return runs


# -- results stored in a file (assets/gradient_flow_runs.json.gz: the settings a first visit shows) ------------
DIGITS = 4  # significant digits kept in the file


def _rounded(values) -> list[float] | None:
    if values is None:
        return None
    return [float(f"{v:.{DIGITS}g}") for v in np.asarray(values, dtype=float)]


def _flow_record(flow: Flow) -> dict:
    return {"h": _rounded(flow.h), "c": _rounded(flow.c), "reach": flow.reach, "loss": flow.loss, "keep": flow.keep,
            "write": flow.write}


def _flow_from(record: dict) -> Flow:
    c = record["c"]
    return Flow(h=np.asarray(record["h"]), c=None if c is None else np.asarray(c), reach=int(record["reach"]),
                loss=float(record["loss"]), keep=record["keep"], write=record["write"])


def run_record(cfg: FlowConfig, runs: dict[str, CellRun]) -> dict:
    """A run as JSON-ready data: its config and, per cell, both flows and the losses (DIGITS digits)."""
    return {"config": asdict(cfg), "cells": {cell: {"init": _flow_record(r.init), "trained": _flow_record(r.trained),
                                                    "losses": _rounded(r.losses)} for cell, r in runs.items()}}


def store_key(config: FlowConfig | dict) -> tuple:
    """How the file's runs are looked up: the config's fields as a sorted tuple (reading the file builds no
    config objects)."""
    fields = asdict(config) if isinstance(config, FlowConfig) else config
    return tuple(sorted(fields.items()))


def run_from(record: dict) -> tuple[tuple, dict[str, CellRun]]:
    """The inverse of ``run_record``: (the config's ``store_key``, its runs)."""
    runs = {cell: CellRun(init=_flow_from(r["init"]), trained=_flow_from(r["trained"]),
                          losses=np.asarray(r["losses"])) for cell, r in record["cells"].items()}
    return store_key(record["config"]), runs


STORE = Path(__file__).resolve().parents[2] / "assets" / "gradient_flow_runs.json.gz"


def load_store(path: Path = STORE) -> dict[tuple, dict[str, CellRun]]:
    """Every run in the file (``store_key(config)`` -> runs); empty when there is no file."""
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    return dict(run_from(record) for record in data["runs"])


def save_store(records: list[dict], path: Path = STORE) -> None:
    """Write run records (``run_record``) to the file, compactly and reproducibly (no timestamp in the gzip)."""
    text = json.dumps({"about": "Precomputed by python -m lessons.gradient_flow.precompute; checked against the "
                                "engine by tests/lessons/gradient_flow/test_store.py.", "runs": records},
                      separators=(",", ":"))
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(text.encode("utf-8"))
