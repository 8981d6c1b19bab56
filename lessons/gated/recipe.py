"""Recipe for the LSTM and GRU lessons: build the cell the sliders describe, run it, collect what is drawn.

NumPy and rnn_core only. Every entry point takes a frozen config (hashable, so a page can cache on it) and
returns a dataclass of arrays. Shapes: T time steps, H hidden units; the lessons feed one input feature (D = 1).
Steps are numbered as the course numbers them, t = 1..T: x_1 is the first input and h_0 = c_0 = 0 the initial
state, so step t is row t − 1 of every (T, ...) array. Functions that take a step (``step_values``) take t.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from rnn_core import GRU, LSTM, RNN, replay, signals
from rnn_core.steps import GRUStep, LSTMStep, previous_states
from rnn_core.validation import check_choice, check_int, check_number

PATTERNS = ("pulse", "pulse + noise", "step", "sine", "noise", "custom")
MAX_STEPS = 200
MAX_HIDDEN = 64
SINE_PERIOD = 12  # steps per cycle
NOISE_AFTER_PULSE = 0.25  # the distractors' scale in "pulse + noise": small next to the pulse of 1


# -- inputs -------------------------------------------------------------------------------------------
PULSE_STEP = 1  # the pulse is x_1, the first input: the cell meets it straight from h_0 = c_0 = 0


def _noise_seed(seed: int) -> list[int]:
    return [seed, 7]  # the input noise is seeded apart from the weights, which use ``seed`` itself


def input_sequence(pattern: str, steps: int, seed: int = 0, values: tuple[float, ...] = ()) -> np.ndarray:
    """The scalar input x_t, shape (T,), for one of ``PATTERNS``.

    pulse: a single 1 at t = 1 (the first input) and silence after it: what the cell must remember.
    pulse + noise: the same pulse followed by small distracting noise.
    step: 0 for the first quarter, then 1.  sine: period 12 steps.  noise: N(0, 1), seeded.
    custom: ``values`` as typed (``steps`` is ignored).
    """
    check_choice("pattern", pattern, PATTERNS)
    if pattern == "custom":
        if not values:
            raise ValueError("numbers: type at least one number, e.g. 0, 1, 0, 0")
        return np.asarray(values, dtype=np.float64)
    steps = check_int("steps", steps, 1, MAX_STEPS)
    if pattern == "pulse":
        return signals.impulse(steps, PULSE_STEP - 1)
    if pattern == "pulse + noise":
        after = np.arange(1, steps + 1) > PULSE_STEP  # the noise starts after the pulse, which stays clean
        return signals.impulse(steps, PULSE_STEP - 1) + signals.noise(steps, _noise_seed(seed),
                                                                      NOISE_AFTER_PULSE) * after
    if pattern == "step":
        return signals.step(steps, steps // 4)
    if pattern == "sine":
        return signals.sine(steps, SINE_PERIOD)
    return signals.noise(steps, _noise_seed(seed))


# -- configuring a cell from the sliders (shared with the bidirectional recipe) -----------------------
def _check_common(hidden: int, gain: float) -> None:
    check_int("hidden", hidden, 1, MAX_HIDDEN)
    if check_number("gain", gain) <= 0:
        raise ValueError(f"gain: expected a positive number, got {gain!r}")


def _scale_weights(cell, gain: float) -> None:
    """Multiply the input weights by ``gain``. PyTorch's init U(−1/√H, 1/√H) is tiny for a single input, so
    every gate would sit near 0.5; the recurrent weights keep PyTorch's scale so the dynamics stay calm."""
    cell.params["weight_ih"] = cell.params["weight_ih"] * gain


def _set_biases(cell, gate: int, value: float) -> None:
    """All biases 0 except gate number ``gate``, whose total bias (bias_ih + bias_hh) becomes ``value``."""
    H = cell.hidden_size
    b = np.zeros_like(cell.params["bias_ih"])
    b[gate * H : (gate + 1) * H] = value
    cell.params["bias_ih"] = b
    cell.params["bias_hh"] = np.zeros_like(b)


# -- one run of a gated cell --------------------------------------------------------------------------
@dataclass
class GatedRun:
    """One cell run on one scalar sequence. Every array is (T, H) except ``x`` (T,).

    gates: name -> (T, H) gate activation as the engine's forward pass reports it (LSTM i f g o, GRU r z n):
    what the heatmaps draw.  h, h_prev: hidden state after / before each step.  c, c_prev: cell state
    (LSTM only).  step: every step again, term by term (``rnn_core.steps.replay``): what the cell diagram
    prints (kept, written, tanh_c, ...).
    """

    kind: str
    x: np.ndarray
    gates: dict[str, np.ndarray]
    h: np.ndarray
    h_prev: np.ndarray
    step: LSTMStep | GRUStep
    c: np.ndarray | None = None
    c_prev: np.ndarray | None = None
    num_params: int = 0

    @property
    def steps(self) -> int:
        return self.h.shape[0]

    @property
    def hidden(self) -> int:
        return self.h.shape[1]


def _run(cell, x: np.ndarray) -> GatedRun:
    """Run ``cell`` from zero state on x (T,) and collect the run (c and c_prev for an LSTM)."""
    trace = cell.forward(x[:, None])
    lstm = cell.kind == "lstm"
    return GatedRun(kind=cell.kind, x=x, gates=dict(trace.gates), h=trace.h, h_prev=previous_states(trace, "h"),
                    step=replay(cell, trace), c=trace.c if lstm else None,
                    c_prev=previous_states(trace, "c") if lstm else None, num_params=cell.num_params())


# -- what every gated page's controls share --------------------------------------------------------------
@dataclass(frozen=True)
class CellConfig:
    """The input and the cell, as every gated page's controls describe them: the input ``pattern`` over ``steps``
    steps (``values``: the typed sequence for pattern "custom"), ``hidden`` units, PyTorch's init from ``seed``,
    and ``gain``, which multiplies the random input weights."""

    pattern: str = "pulse"
    steps: int = 40
    hidden: int = 6
    seed: int = 0
    gain: float = 3.0
    values: tuple[float, ...] = ()

    def inputs(self) -> np.ndarray:
        """The input sequence x_t, shape (T,)."""
        return input_sequence(self.pattern, self.steps, self.seed, self.values)


# -- LSTM ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LSTMConfig(CellConfig):
    """What the LSTM page's controls describe.

    forget_bias: the forget gate's total bias b_f (PyTorch splits it over bias_ih and bias_hh; we put it
    all in bias_ih). The other biases are 0, so silence writes nothing (g = tanh(0) = 0) and the belt stays
    at 0 until an input arrives: whatever shows on it afterwards came from the input.
    """

    forget_bias: float = 1.0
    peephole: bool = False


# -- GRU ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GRUConfig(CellConfig):
    """What the GRU page's controls describe. update_bias: the update gate's total bias b_z
    (large b_z -> z near 1 -> the unit keeps its past); the other biases are 0, so h stays 0 until an
    input arrives. reset_after: PyTorch's form (True) or Cho et al. 2014 (False)."""

    update_bias: float = 1.0
    reset_after: bool = True


# -- building and running either cell ------------------------------------------------------------------
# Each page's cell: its engine class, the field holding the bias of gate number 1 — the one bias a slider sets:
# the LSTM's forget gate (gate order i, f, g, o), the GRU's update gate (r, z, n) — and the field choosing its form.
_CELLS = {LSTMConfig: (LSTM, "forget_bias", "peephole"), GRUConfig: (GRU, "update_bias", "reset_after")}


def build_cell(cfg: LSTMConfig | GRUConfig) -> LSTM | GRU:
    """The cell the sliders describe: PyTorch init (seeded) times ``gain``; biases 0 except b_f (LSTM) or b_z
    (GRU)."""
    cell_class, bias_name, form = _CELLS[type(cfg)]
    _check_common(cfg.hidden, cfg.gain)
    bias = check_number(bias_name, getattr(cfg, bias_name))
    cell = cell_class(1, cfg.hidden, seed=cfg.seed, **{form: getattr(cfg, form)})
    _scale_weights(cell, cfg.gain)
    _set_biases(cell, gate=1, value=bias)
    return cell


def run_cell(cfg: LSTMConfig | GRUConfig) -> GatedRun:
    """Run the configured cell from zero state on its input: a ``GatedRun``, with c and c_prev for an LSTM."""
    return _run(build_cell(cfg), cfg.inputs())


build_lstm = build_gru = build_cell  # the names the pages use
run_lstm = run_gru = run_cell


def reset_form_gap(cfg: GRUConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same GRU weights run in both reset forms. Returns (h_after, h_before, gap) where h_* are (T, H)
    and gap (T,) is max over units |h_after − h_before|: how far the two definitions drift apart."""
    after = run_gru(replace(cfg, reset_after=True)).h
    before = run_gru(replace(cfg, reset_after=False)).h
    return after, before, np.abs(after - before).max(axis=1)


def reset_form_view(cfg: GRUConfig) -> tuple[int, np.ndarray, np.ndarray, float]:
    """What the page draws to compare the two reset forms: the unit whose h differs most between them, its h
    in PyTorch's form and in Cho et al.'s (T,) each, and the largest gap over every unit and step."""
    after, before, gap = reset_form_gap(cfg)
    unit = int(np.abs(after - before).max(axis=0).argmax())
    return unit, after[:, unit], before[:, unit], float(gap.max())


# -- what a pulse does to the memory -----------------------------------------------------------------
FADED = 0.01  # "faded": below 1 % of what the pulse wrote


@dataclass(frozen=True)
class PulseFate:
    """What became of the pulse x_1 = 1 in a run's memory (the LSTM's belt c, or the GRU's state h).

    written: max over units of |memory| at t = 1, what the pulse wrote.  end: the same at the last step T.
    kept: max over units of |memory_1 · ∏ keep_t| at T (keep = f for the LSTM, z for the GRU, t = 2..T): what
    the keep gate alone would leave of the pulse's write; the rest of the memory at T was written after t = 1.
    faded_at: the first step from which |memory| stays below FADED · written up to T, else None.
    keep_mean: the keep gate's mean over units and steps 2..T.  peak: max |memory| over the whole run.
    """

    written: float
    end: float
    kept: float
    faded_at: int | None
    keep_mean: float
    peak: float
    steps: int


def pulse_fate(run: GatedRun) -> PulseFate:
    """The pulse's fate in ``run`` (LSTM: the belt c and f; GRU: the state h and z)."""
    memory, keep = (run.c, run.gates["f"]) if run.kind == "lstm" else (run.h, run.gates["z"])
    size = np.abs(memory).max(axis=1)
    written = float(size[0])
    low = size < FADED * written
    above = np.flatnonzero(~low)
    faded_at = None
    if written > 0 and low[-1]:
        faded_at = int(above[-1]) + 2 if above.size else 1  # the step after the last one above, 1-based
    kept = float(np.abs(memory[0] * np.prod(keep[1:], axis=0)).max())
    mean = float(keep[1:].mean()) if run.steps > 1 else float(keep.mean())
    return PulseFate(written=written, end=float(size[-1]), kept=kept, faded_at=faded_at, keep_mean=mean,
                     peak=float(size.max()), steps=run.steps)


# -- one step, in numbers -----------------------------------------------------------------------------
# What the cell diagram prints, besides x and the state(s) the step started from.
STEP_KEYS = {"lstm": ("i", "f", "g", "o", "kept", "written", "c", "tanh_c", "h"),
             "gru": ("r", "z", "n", "kept", "written", "h")}


def step_values(run: GatedRun, t: int, unit: int | None = None) -> dict[str, float]:
    """The numbers the cell diagram prints at step ``t`` (1..T): one unit, or the mean over units (``unit=None``).

    LSTM keys: x, h_prev, c_prev, i, f, g, o, kept (f·c_prev), written (i·g), c, tanh_c, h.
    GRU keys: x, h_prev, r, z, n, kept (z·h_prev), written ((1-z)·n), h.
    The terms come from ``run.step`` (the engine's readable step functions). For a single unit the products
    add up exactly (c = kept + written); the means of products do too, because the mean is linear, but then
    ``kept`` is not mean(f)·mean(c_prev).
    """
    if not 1 <= t <= run.steps:  # the page's words: steps are numbered 1..T
        raise ValueError(f"t: expected a step from 1 to {run.steps}, got {t}")
    if unit is not None and not 0 <= unit < run.hidden:
        raise ValueError(f"unit: expected 0 to {run.hidden - 1}, got {unit}")

    def pick(arr: np.ndarray) -> float:
        row = arr[t - 1]
        return float(row.mean() if unit is None else row[unit])

    out = {"x": float(run.x[t - 1]), "h_prev": pick(run.h_prev)}
    if run.kind == "lstm":
        out["c_prev"] = pick(run.c_prev)
    out.update({name: pick(getattr(run.step, name)) for name in STEP_KEYS[run.kind]})
    return out


def step_series(run: GatedRun, unit: int | None = None) -> dict[str, np.ndarray]:
    """The numbers of ``step_values`` for every step at once, as (T,) arrays (row t − 1 is step t): one unit, or
    the mean over units (``unit=None``). What a film of the cell diagram shows, one frame per step."""
    if unit is not None and not 0 <= unit < run.hidden:
        raise ValueError(f"unit: expected 0 to {run.hidden - 1}, got {unit}")

    def pick(arr: np.ndarray) -> np.ndarray:
        return np.asarray(arr, dtype=float).mean(axis=1) if unit is None else np.asarray(arr[:, unit], dtype=float)

    out = {"x": np.asarray(run.x, dtype=float), "h_prev": pick(run.h_prev)}
    if run.kind == "lstm":
        out["c_prev"] = pick(run.c_prev)
    out.update({name: pick(getattr(run.step, name)) for name in STEP_KEYS[run.kind]})
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
    forget_bias starts at 4 (f = σ(4) ≈ 0.982), as the page's slider does.
    """

    forget_bias: float = 4.0
    gap: int = 40
    value: float = 0.8
    noise: float = 0.6
    seed: int = 0


@dataclass
class RememberRun:
    """Arrays (T,) over T = gap + 3 steps (row t − 1 is step t): x (T, 3) inputs, gates i f g o, c (the belt),
    h (the output). write_step, read_step: the steps (1..T) of the write and the read (the last step)."""

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

    @property
    def gap(self) -> int:
        return self.read_step - self.write_step

    @property
    def forget(self) -> float:
        """f between write and read (the same at every step there: the unit has no recurrent weights)."""
        return float(self.f[self.write_step])

    @property
    def forget_power(self) -> float:
        """f ** gap: the share of the stored value that is left at the read step (the forget gate is the only
        thing that touches it on the way)."""
        return self.forget ** self.gap

    @property
    def kept(self) -> float:
        """What is left of the stored value at the read step: stored · f^gap."""
        return self.stored * self.forget_power

    @property
    def leaked(self) -> float:
        """The rest of the belt at the read step: the noise that got through the almost closed input gate
        after the write (Σ f^(read−s) i_s g_s), recalled − kept."""
        return self.recalled - self.kept


WRITE_STEP = 3  # two steps of noise before the write
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


def remember_inputs(cfg: RememberConfig) -> np.ndarray:
    """x (T, 3): [value, write flag, read flag]; noise on the value channel everywhere but the write step.
    Row t − 1 is step t; the write is step 3, the read step 3 + gap (the last)."""
    T = WRITE_STEP + cfg.gap
    x = np.zeros((T, 3))
    rng = np.random.default_rng([cfg.seed, 11])
    x[:, 0] = cfg.noise * rng.uniform(-1, 1, T)  # distractors the closed input gate should ignore
    x[WRITE_STEP - 1] = [cfg.value, 1.0, 0.0]
    x[T - 1, 2] = 1.0
    return x


def run_remember(cfg: RememberConfig) -> RememberRun:
    """Write ``value`` at step 3, hold it for ``gap`` steps of noise, read it at step 3 + gap."""
    check_int("gap", cfg.gap, 1, MAX_STEPS)
    check_number("forget_bias", cfg.forget_bias)
    x = remember_inputs(cfg)
    read = WRITE_STEP + cfg.gap
    tr = remember_cell(cfg.forget_bias).forward(x)
    c = tr.c[:, 0]
    return RememberRun(
        x=x, i=tr.gates["i"][:, 0], f=tr.gates["f"][:, 0], g=tr.gates["g"][:, 0], o=tr.gates["o"][:, 0],
        c=c, h=tr.h[:, 0], write_step=WRITE_STEP, read_step=read, stored=float(c[WRITE_STEP - 1]),
        recalled=float(c[read - 1]),
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
