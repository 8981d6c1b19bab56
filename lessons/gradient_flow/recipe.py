"""Recipe for the gradient-flow lesson: RNN, LSTM and GRU on the adding problem, the size of ∂L/∂h_t at
every distance from the loss, at initialisation and after a short training run.

NumPy and rnn_core only. Training is split into chunks that each return a small picklable ``TrainState`` (parameters,
Adam moments, losses), so a page can cache every chunk and show progress between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
N_EVAL = 32


@dataclass(frozen=True)
class FlowConfig:
    """The adding problem with T steps; every cell has H hidden units and starts from the same seed.

    forget_bias: the LSTM's forget-gate bias b_f (its other parameters keep PyTorch's init).
    steps: optimizer steps of the short training run, done in ``chunks`` equal chunks.
    """

    T: int = 30
    forget_bias: float = 1.0
    hidden: int = 8
    steps: int = 480
    chunks: int = 8
    seed: int = 0
    lr: float = 0.01
    batch: int = 32
    clip: float = 1.0

    def __post_init__(self):
        check_int("T", self.T, 4, 400)
        check_number("forget_bias", self.forget_bias)
        if self.steps < 0 or self.chunks < 1 or (self.steps and self.steps % self.chunks):
            raise ValueError(f"steps: expected a multiple of chunks ({self.chunks}), got {self.steps}")

    @property
    def chunk_steps(self) -> int:
        return self.steps // self.chunks


def for_cell(cfg: FlowConfig, cell: str) -> FlowConfig:
    """The part of ``cfg`` that matters to ``cell``: only the LSTM has a forget gate, so the others get a
    fixed b_f — a cache keyed on the result retrains only the LSTM when the forget-bias slider moves."""
    return cfg if cell == "lstm" else replace(cfg, forget_bias=0.0)


def _train_config(cfg: FlowConfig, cell: str) -> TrainConfig:
    return TrainConfig(cell=cell, hidden_size=cfg.hidden, lr=cfg.lr, batch_size=cfg.batch, clip="norm",
                       clip_threshold=cfg.clip, seed=cfg.seed, mode="many_to_one", loss="mse")


def build(cfg: FlowConfig, cell: str) -> SequenceModel:
    """The untrained model: PyTorch init from ``cfg.seed``; for the LSTM the forget bias is set to b_f."""
    check_choice("cell", cell, CELLS)
    model = build_model(_train_config(cfg, cell), input_size=2, output_size=1)
    if cell == "lstm":
        H = cfg.hidden
        for key, value in (("bias_ih", cfg.forget_bias), ("bias_hh", 0.0)):
            b = model.cell.params[key].copy()
            b[H : 2 * H] = value  # rows H..2H: the forget gate
            model.cell.params[key] = b
    return model


def data(cfg: FlowConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Training and evaluation sets of the adding problem, time-first: x (T, N, 2), y (N, 1)."""
    x, y = adding_problem(N_TRAIN, cfg.T, seed=cfg.seed)
    xe, ye = adding_problem(N_EVAL, cfg.T, seed=cfg.seed + 10_000)
    return x.transpose(1, 0, 2).copy(), y, xe.transpose(1, 0, 2).copy(), ye


@dataclass
class TrainState:
    """Where a cell's training stands after some chunks: parameters (SequenceModel names), Adam's state,
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


def train_chunk(cfg: FlowConfig, state: TrainState, chunk: int) -> TrainState:
    """Run chunk number ``chunk`` (0-based) of the training: ``cfg.chunk_steps`` Adam steps with
    gradient-norm clipping on mini-batches drawn with a seed that depends only on (seed, chunk)."""
    model = state.model(cfg)
    opt = Adam(cfg.lr)
    opt.state = {k: {kk: (vv.copy() if isinstance(vv, np.ndarray) else vv) for kk, vv in v.items()}
                 for k, v in state.adam.items()}
    x, y, _, _ = data(cfg)
    rng = np.random.default_rng([cfg.seed, 99, chunk])
    losses = list(state.losses)
    for _ in range(cfg.chunk_steps):
        idx = rng.choice(N_TRAIN, size=cfg.batch, replace=False)
        res = model.loss_and_grads(x[:, idx], y[idx], mode="many_to_one", loss="mse")
        losses.append(float(res.loss))
        if not np.isfinite(res.loss):
            break
        opt.step(model.params, clip_by_norm(res.grads, cfg.clip).grads)
    return TrainState(cell=state.cell, params={k: v.copy() for k, v in model.params.items()}, adam=opt.state,
                      losses=losses)


@dataclass
class Flow:
    """Gradient sizes on the evaluation batch, against the distance d = T−1−t from the loss (d = 0 first).

    h: (T,) mean over sequences of ‖∂L/∂h_t‖ / ‖∂L/∂h_{T−1}‖ (1 at d = 0).
    c: (T,) the same for the LSTM's cell state ‖∂L/∂c_t‖ (None for the others).
    reach: the largest distance with h ≥ REACH_THRESHOLD (T−1: the gradient reaches the first step).
    loss: mean squared error on the evaluation batch.
    """

    h: np.ndarray
    c: np.ndarray | None
    reach: int
    loss: float


def gradient_flow(cfg: FlowConfig, state: TrainState) -> Flow:
    """How far back the loss at the last step is felt, for the model in ``state``.

    Only the last step has a loss, so ∂L/∂h_{T−1} = ∂L/∂ŷ · V; every earlier ∂L/∂h_t is that vector carried
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
    return Flow(h=h, c=c, reach=int(above.max()) if above.size else 0, loss=float(loss))
