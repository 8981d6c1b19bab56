"""Recipes for the LSTM and GRU lessons: build the cell the sliders describe, run it, collect what is drawn.

NumPy only. Every entry point takes a frozen config (hashable, so a page can cache on it) and returns
a dataclass of arrays. Shapes: T time steps, H hidden units; the lessons feed one input feature (D = 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from ..gru import GRU
from ..lstm import LSTM
from ..rnn import RNN

PATTERNS = ("pulse", "pulse + noise", "step", "sine", "noise", "custom")
MAX_STEPS = 200
MAX_CUSTOM = 200


# -- inputs -------------------------------------------------------------------------------------------
def parse_numbers(text: str) -> tuple[float, ...]:
    """'0, 1, -0.5 2' -> (0.0, 1.0, -0.5, 2.0). Commas, spaces, semicolons or new lines separate numbers.

    Raises ValueError naming the first entry that is not a number, or when there are none or too many.
    """
    tokens = [tok for tok in re.split(r"[,\s;]+", text.strip()) if tok]
    if not tokens:
        raise ValueError("numbers: type at least one number, e.g. 0, 1, 0, 0")
    if len(tokens) > MAX_CUSTOM:
        raise ValueError(f"numbers: at most {MAX_CUSTOM} values, got {len(tokens)}")
    values = []
    for k, tok in enumerate(tokens, start=1):
        try:
            val = float(tok)
        except ValueError:
            raise ValueError(f"numbers: entry {k} ({tok!r}) is not a number") from None
        if not np.isfinite(val):
            raise ValueError(f"numbers: entry {k} ({tok!r}) is not a finite number")
        if abs(val) > 100:
            raise ValueError(f"numbers: entry {k} ({tok}) is too large; keep inputs within ±100")
        values.append(val)
    return tuple(values)


def input_sequence(pattern: str, steps: int, seed: int = 0, values: tuple[float, ...] = ()) -> np.ndarray:
    """The scalar input x_t, shape (T,), for one of ``PATTERNS``.

    pulse: a single 1 at t = 1 and silence after it: what the cell must remember.
    pulse + noise: the same pulse followed by small distracting noise.
    step: 0 for the first quarter, then 1.  sine: period 12 steps.  noise: N(0, 1), seeded.
    custom: ``values`` as typed (``steps`` is ignored).
    """
    if pattern not in PATTERNS:
        raise ValueError(f"pattern: expected one of {', '.join(PATTERNS)}, got {pattern!r}")
    if pattern == "custom":
        if not values:
            raise ValueError("numbers: type at least one number, e.g. 0, 1, 0, 0")
        return np.asarray(values, dtype=np.float64)
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps: expected an integer from 1 to {MAX_STEPS}, got {steps!r}")
    t = np.arange(steps)
    noise = np.random.default_rng([seed, 7]).standard_normal(steps)  # seeded apart from the weights
    if pattern == "pulse":
        return (t == min(1, steps - 1)).astype(np.float64)
    if pattern == "pulse + noise":
        return (t == min(1, steps - 1)) + 0.25 * noise * (t > 1)
    if pattern == "step":
        return (t >= steps // 4).astype(np.float64)
    if pattern == "sine":
        return np.sin(2 * np.pi * t / 12)
    return noise


def _scale_weights(cell, gain: float) -> None:
    """Multiply the input weights by ``gain``. PyTorch's init U(−1/√H, 1/√H) is tiny for a single input, so
    every gate would sit near 0.5; the recurrent weights keep PyTorch's scale so the dynamics stay calm."""
    cell.params["weight_ih"] = cell.params["weight_ih"] * gain


# -- LSTM ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LSTMConfig:
    """What the LSTM page's controls describe.

    forget_bias: the forget gate's total bias b_f (PyTorch splits it over bias_ih and bias_hh; we put it
    all in bias_ih). The other biases are 0, so silence writes nothing (g = tanh(0) = 0) and the belt stays
    at 0 until an input arrives: whatever shows on it afterwards came from the input.
    gain: multiplies the random input weights. values: the typed sequence for pattern "custom".
    """

    pattern: str = "pulse"
    steps: int = 40
    hidden: int = 6
    seed: int = 0
    forget_bias: float = 1.0
    peephole: bool = False
    gain: float = 3.0
    values: tuple[float, ...] = ()


@dataclass
class GatedRun:
    """One cell run on one scalar sequence. Every array is (T, H) except ``x`` (T,).

    gates: name -> (T, H) gate activation (LSTM i f g o, GRU r z n).
    h, h_prev: hidden state after / before each step.  c, c_prev: cell state (LSTM only).
    """

    kind: str
    x: np.ndarray
    gates: dict[str, np.ndarray]
    h: np.ndarray
    h_prev: np.ndarray
    c: np.ndarray | None = None
    c_prev: np.ndarray | None = None
    num_params: int = 0

    @property
    def steps(self) -> int:
        return self.h.shape[0]

    @property
    def hidden(self) -> int:
        return self.h.shape[1]


def _set_biases(cell, gate: int, value: float) -> None:
    """All biases 0 except gate number ``gate``, whose total bias (bias_ih + bias_hh) becomes ``value``."""
    H = cell.hidden_size
    b = np.zeros_like(cell.params["bias_ih"])
    b[gate * H : (gate + 1) * H] = value
    cell.params["bias_ih"] = b
    cell.params["bias_hh"] = np.zeros_like(b)


def _check_common(hidden: int, gain: float) -> None:
    if isinstance(hidden, bool) or not isinstance(hidden, int | np.integer) or not 1 <= hidden <= 64:
        raise ValueError(f"hidden: expected an integer from 1 to 64, got {hidden!r}")
    if not np.isfinite(gain) or gain <= 0:
        raise ValueError(f"gain: expected a positive number, got {gain!r}")


def build_lstm(cfg: LSTMConfig) -> LSTM:
    """The LSTM the sliders describe: PyTorch init (seeded) times ``gain``; biases 0 except b_f."""
    _check_common(cfg.hidden, cfg.gain)
    if not np.isfinite(cfg.forget_bias):
        raise ValueError(f"forget_bias: expected a finite number, got {cfg.forget_bias!r}")
    cell = LSTM(1, cfg.hidden, peephole=cfg.peephole, seed=cfg.seed)
    _scale_weights(cell, cfg.gain)
    _set_biases(cell, gate=1, value=cfg.forget_bias)  # gate order i, f, g, o
    return cell


def run_lstm(cfg: LSTMConfig) -> GatedRun:
    """Run the configured LSTM from zero state on the chosen input. Returns a ``GatedRun`` with c and c_prev."""
    x = input_sequence(cfg.pattern, cfg.steps, cfg.seed, cfg.values)
    cell = build_lstm(cfg)
    tr = cell.forward(x[:, None])
    zeros = np.zeros((1, cfg.hidden))
    return GatedRun(
        kind="lstm", x=x, gates={k: v for k, v in tr.gates.items()}, h=tr.h,
        h_prev=np.concatenate([zeros, tr.h[:-1]]), c=tr.c, c_prev=np.concatenate([zeros, tr.c[:-1]]),
        num_params=cell.num_params(),
    )


# -- GRU ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GRUConfig:
    """What the GRU page's controls describe. update_bias: the update gate's total bias b_z
    (large b_z -> z near 1 -> the unit keeps its past); the other biases are 0, so h stays 0 until an
    input arrives. reset_after: PyTorch's form (True) or Cho et al. 2014 (False)."""

    pattern: str = "pulse"
    steps: int = 40
    hidden: int = 6
    seed: int = 0
    update_bias: float = 1.0
    reset_after: bool = True
    gain: float = 3.0
    values: tuple[float, ...] = ()


def build_gru(cfg: GRUConfig) -> GRU:
    _check_common(cfg.hidden, cfg.gain)
    if not np.isfinite(cfg.update_bias):
        raise ValueError(f"update_bias: expected a finite number, got {cfg.update_bias!r}")
    cell = GRU(1, cfg.hidden, reset_after=cfg.reset_after, seed=cfg.seed)
    _scale_weights(cell, cfg.gain)
    _set_biases(cell, gate=1, value=cfg.update_bias)  # gate order r, z, n
    return cell


def run_gru(cfg: GRUConfig) -> GatedRun:
    """Run the configured GRU from zero state. Returns a ``GatedRun`` (no cell state)."""
    x = input_sequence(cfg.pattern, cfg.steps, cfg.seed, cfg.values)
    cell = build_gru(cfg)
    tr = cell.forward(x[:, None])
    zeros = np.zeros((1, cfg.hidden))
    return GatedRun(kind="gru", x=x, gates=dict(tr.gates), h=tr.h, h_prev=np.concatenate([zeros, tr.h[:-1]]),
                    num_params=cell.num_params())


# -- one step, in numbers -----------------------------------------------------------------------------
def step_values(run: GatedRun, t: int, unit: int | None = None) -> dict[str, float]:
    """The numbers the cell diagram prints at step ``t``: one unit, or the mean over units (``unit=None``).

    LSTM keys: x, h_prev, c_prev, i, f, g, o, kept (f·c_prev), written (i·g), c, tanh_c, h.
    GRU keys: x, h_prev, r, z, n, kept (z·h_prev), written ((1-z)·n), h.
    For a single unit the products add up exactly (c = kept + written); the means of products do too,
    because the mean is linear, but then ``kept`` is not mean(f)·mean(c_prev).
    """
    if not 0 <= t < run.steps:
        raise ValueError(f"t: expected a step from 0 to {run.steps - 1}, got {t}")
    if unit is not None and not 0 <= unit < run.hidden:
        raise ValueError(f"unit: expected 0 to {run.hidden - 1}, got {unit}")

    def pick(arr: np.ndarray) -> float:
        row = arr[t]
        return float(row.mean() if unit is None else row[unit])

    out = {"x": float(run.x[t]), "h_prev": pick(run.h_prev), "h": pick(run.h)}
    out.update({name: pick(g) for name, g in run.gates.items()})
    if run.kind == "lstm":
        out["c_prev"] = pick(run.c_prev)
        out["c"] = pick(run.c)
        out["kept"] = pick(run.gates["f"] * run.c_prev)
        out["written"] = pick(run.gates["i"] * run.gates["g"])
        out["tanh_c"] = pick(np.tanh(run.c))
    else:
        z = run.gates["z"]
        out["kept"] = pick(z * run.h_prev)
        out["written"] = pick((1 - z) * run.gates["n"])
    return out


def half_life(gate_value: float) -> float:
    """Steps until a value multiplied by ``gate_value`` each step falls to half: log(0.5) / log(gate)."""
    if gate_value >= 1.0:
        return float("inf")
    if gate_value <= 0.0:
        return 0.0
    return float(np.log(0.5) / np.log(gate_value))


# -- the "remember" demo: a hand-wired one-unit LSTM --------------------------------------------------
@dataclass(frozen=True)
class RememberConfig:
    """A one-unit LSTM wired by hand to write a value, keep it, and read it out ``gap`` steps later.

    Inputs have three channels: the value, a "write" flag (opens the input gate) and a "read" flag
    (opens the output gate). Between write and read the value channel carries distracting noise.
    """

    forget_bias: float = 3.0
    gap: int = 40
    value: float = 0.8
    noise: float = 0.6
    seed: int = 0


@dataclass
class RememberRun:
    """Arrays (T,) over T = gap + 3 steps: x (T, 3) inputs, gates i f g o, c (the belt), h (the output)."""

    x: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    h: np.ndarray
    write_step: int
    read_step: int
    stored: float  # c right after the write
    recalled: float  # c when it is read
    kept_fraction: float  # recalled / stored, ~ f ** gap


WRITE_STEP = 2
GATE_SHARPNESS = 12.0  # pre-activation ±6 -> the write/read gates are 0.0025 closed, 0.9975 open


def remember_cell(forget_bias: float) -> LSTM:
    """i = σ(12·write − 6), f = σ(b_f), g = tanh(1.5·value), o = σ(12·read − 6); no recurrent weights."""
    cell = LSTM(3, 1, seed=0)
    k, half = GATE_SHARPNESS, GATE_SHARPNESS / 2
    cell.params["weight_ih"] = np.array([[0.0, k, 0.0], [0.0, 0.0, 0.0], [1.5, 0.0, 0.0], [0.0, 0.0, k]])
    cell.params["weight_hh"] = np.zeros((4, 1))
    cell.params["bias_ih"] = np.array([-half, forget_bias, 0.0, -half])
    cell.params["bias_hh"] = np.zeros(4)
    return cell


def run_remember(cfg: RememberConfig) -> RememberRun:
    """Write ``value`` at step 2, hold it for ``gap`` steps of noise, read it at step 2 + gap."""
    if isinstance(cfg.gap, bool) or not isinstance(cfg.gap, int | np.integer) or not 1 <= cfg.gap <= MAX_STEPS:
        raise ValueError(f"gap: expected an integer from 1 to {MAX_STEPS}, got {cfg.gap!r}")
    if not np.isfinite(cfg.forget_bias):
        raise ValueError(f"forget_bias: expected a finite number, got {cfg.forget_bias!r}")
    read = WRITE_STEP + cfg.gap
    T = read + 1
    x = np.zeros((T, 3))
    rng = np.random.default_rng([cfg.seed, 11])
    x[:, 0] = cfg.noise * rng.uniform(-1, 1, T)  # distractors the closed input gate should ignore
    x[WRITE_STEP] = [cfg.value, 1.0, 0.0]
    x[read, 2] = 1.0
    tr = remember_cell(cfg.forget_bias).forward(x)
    c = tr.c[:, 0]
    stored, recalled = float(c[WRITE_STEP]), float(c[read])
    return RememberRun(
        x=x, i=tr.gates["i"][:, 0], f=tr.gates["f"][:, 0], g=tr.gates["g"][:, 0], o=tr.gates["o"][:, 0],
        c=c, h=tr.h[:, 0], write_step=WRITE_STEP, read_step=read, stored=stored, recalled=recalled,
        kept_fraction=recalled / stored if stored else 0.0,
    )


# -- parameter counts ---------------------------------------------------------------------------------
def param_counts(input_size: int, hidden: int) -> dict[str, int]:
    """Trainable parameters of one layer of each cell (PyTorch layout, two bias vectors each).

    RNN H(D+H+2), GRU 3H(D+H+2), LSTM 4H(D+H+2); peepholes add 3H.
    """
    return {
        "RNN": RNN(input_size, hidden).num_params(),
        "GRU": GRU(input_size, hidden).num_params(),
        "LSTM": LSTM(input_size, hidden).num_params(),
        "LSTM + peepholes": LSTM(input_size, hidden, peephole=True).num_params(),
    }


def reset_form_gap(cfg: GRUConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same GRU weights run in both reset forms. Returns (h_after, h_before, gap) where h_* are (T, H)
    and gap (T,) is max over units |h_after − h_before|: how far the two definitions drift apart."""
    after = run_gru(replace(cfg, reset_after=True)).h
    before = run_gru(replace(cfg, reset_after=False)).h
    return after, before, np.abs(after - before).max(axis=1)
