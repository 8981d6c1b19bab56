"""Recipe for the "Unrolled RNN" lesson: the small RNN the sliders describe, run over the chosen input.

NumPy and rnn_core only. The page has *scalar* sliders (input weight, recurrent weight, bias) but the hidden state
may have H = 1..8 units, so each scalar scales a fixed, seeded shape:

    W_ih = w_in · u        u (H, 1): seeded, largest |u_i| = 1, so w_in is the strongest input weight
    W_hh = w    · Q        Q (H, H): seeded orthogonal matrix, so ‖W_hh h‖ = |w|·‖h‖ exactly:
                                     w keeps its meaning "how much of the past survives one step"
    b    = bias · 1        the same bias for every unit
    y_t  = v · h_t + c     v (H,): seeded unit vector (‖v‖ = 1), c = 0: a fixed linear readout

For H = 1 all three shapes are exactly 1, so the network is h_t = act(w_in x_t + w h_{t-1} + b), y_t = h_t.
Time is 0-based in the arrays (row i is step i); the lesson labels row i as t = i + 1, with h_0 the
initial state (zeros).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_core import RNN, curve, get_activation, replay, signals
from rnn_core.steps import previous_states
from rnn_core.validation import check_int, check_number

SEQUENCES = ("step", "impulse", "sine", "random walk", "typed")
MAX_STEPS = 200
MAX_HIDDEN = 8
SINE_PERIOD = 12  # steps per cycle: a few cycles fit in the default length
WALK_VOLATILITY = 0.1  # daily std of the log-price change: a lively but bounded "stock"



@dataclass(frozen=True)
class UnrolledConfig:
    """What the lesson's controls describe (hashable: the page caches on it).

    sequence: one of SEQUENCES; length: T for the generated ones (ignored for "typed", which uses
    ``values``); w_in, w_rec, bias: the scalar weights above; activation: a name in rnn_core.ACTIVATIONS;
    hidden: H, 1..8; seed: picks u, Q, v and the random walk.
    """

    sequence: str = "impulse"
    length: int = 12
    w_in: float = 1.0
    w_rec: float = 0.8
    bias: float = 0.0
    activation: str = "tanh"
    hidden: int = 1
    seed: int = 0
    values: tuple[float, ...] = ()


@dataclass
class UnrolledRun:
    """One forward pass, everything the lesson draws. T steps, H units.

    x: (T,) input.  a: (T, H) pre-activation W_ih x_t + W_hh h_{t-1} + b.  h: (T, H) hidden state.
    h_prev: (T, H) the state each step started from (row 0 is h_0 = 0).  y: (T,) readout.
    from_input: (T, H) W_ih x_t and from_memory: (T, H) W_hh h_{t-1}: a = from_input + from_memory + b.
    w_ih: (H,) input weights (one input feature).  w_hh: (H, H).  b: (H,).  v: (H,).  c: readout bias.
    overflow_step: first row whose state is inf/NaN, else None.
    """

    config: UnrolledConfig
    x: np.ndarray
    a: np.ndarray
    h: np.ndarray
    h_prev: np.ndarray
    y: np.ndarray
    w_ih: np.ndarray
    w_hh: np.ndarray
    b: np.ndarray
    v: np.ndarray
    c: float
    overflow_step: int | None
    from_input: np.ndarray
    from_memory: np.ndarray

    @property
    def steps(self) -> int:
        return self.x.shape[0]

    @property
    def hidden(self) -> int:
        return self.h.shape[1]


# -- inputs ---------------------------------------------------------------------------------------------
def event_step(steps: int) -> int:
    """Where the step and the impulse happen: a few quiet steps first, so "before" is visible."""
    return min(steps - 1, max(1, steps // 6))


# The input kinds: how each one is generated from its length T and the seed.
GENERATORS = {
    "step": lambda T, seed: signals.step(T, event_step(T)),
    "impulse": lambda T, seed: signals.impulse(T, event_step(T)),
    "sine": lambda T, seed: signals.sine(T, SINE_PERIOD),
    "random walk": lambda T, seed: signals.random_walk(T, WALK_VOLATILITY, [seed, 4]),
}


def input_sequence(kind: str, steps: int, seed: int = 0, values: tuple[float, ...] = ()) -> np.ndarray:
    """The scalar input x_t, shape (T,).

    step: 0 then 1 from ``event_step``.  impulse: a single 1 at ``event_step``, 0 elsewhere.
    sine: period 12 steps.  random walk: a stock-like log price log(p_t / p_0), seeded.
    typed: ``values`` as given (``steps`` is ignored).
    """
    if kind not in SEQUENCES:
        raise ValueError(f"sequence: expected one of {', '.join(SEQUENCES)}, got {kind!r}")
    if kind == "typed":
        if not values:
            raise ValueError("numbers: type at least one number, e.g. 0, 1, 0, 0")
        return np.asarray(values, dtype=np.float64)
    return GENERATORS[kind](check_int("length", steps, 1, MAX_STEPS), seed)


# -- the network ----------------------------------------------------------------------------------------
def shapes(hidden: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The fixed seeded shapes (u (H,), Q (H, H), v (H,)) that the scalar sliders scale.

    H = 1 gives u = Q = v = 1. Otherwise Q is a Haar-random orthogonal matrix (QR of a Gaussian with
    the signs fixed), u is scaled so max |u_i| = 1 and v so ‖v‖ = 1 with v_1 > 0.
    """
    check_int("hidden", hidden, 1, MAX_HIDDEN)
    if hidden == 1:
        return np.ones(1), np.ones((1, 1)), np.ones(1)
    g = np.random.default_rng([seed, 1]).standard_normal((hidden, hidden))
    q, r = np.linalg.qr(g)
    q = q * np.sign(np.diag(r))  # makes the factorisation unique, so Q is uniformly distributed
    u = np.random.default_rng([seed, 2]).standard_normal(hidden)
    u = u / np.abs(u).max()
    v = np.random.default_rng([seed, 3]).standard_normal(hidden)
    v = v / np.linalg.norm(v) * (1 if v[0] >= 0 else -1)
    return u, q, v


def build_rnn(cfg: UnrolledConfig) -> RNN:
    """The rnn_core.RNN the sliders describe (one input feature), with the weights set as in the module doc."""
    _check_config(cfg)
    u, q, _ = shapes(cfg.hidden, cfg.seed)
    cell = RNN(1, cfg.hidden, nonlinearity=cfg.activation)
    cell.params["weight_ih"] = cfg.w_in * u[:, None]
    cell.params["weight_hh"] = cfg.w_rec * q
    cell.params["bias_ih"] = np.full(cfg.hidden, float(cfg.bias))
    cell.params["bias_hh"] = np.zeros(cfg.hidden)  # PyTorch adds both biases; we keep all of b in one
    return cell


def readout(cfg: UnrolledConfig) -> tuple[np.ndarray, float]:
    """(v (H,), c): the fixed linear readout y_t = v · h_t + c."""
    return shapes(cfg.hidden, cfg.seed)[2], 0.0


def run_unrolled(cfg: UnrolledConfig) -> UnrolledRun:
    """Build the network, run it from h_0 = 0 over the chosen input and collect every intermediate value."""
    x = input_sequence(cfg.sequence, cfg.length, cfg.seed, cfg.values)
    cell = build_rnn(cfg)
    trace = cell.forward(x[:, None])
    v, c = readout(cfg)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowed state gives inf values, on purpose
        y = trace.h @ v + c
        step = replay(cell, trace)  # every step again, term by term, as the lesson writes it
    return UnrolledRun(
        config=cfg, x=x, a=trace.pre["h"], h=trace.h, h_prev=previous_states(trace), y=y,
        w_ih=cell.params["weight_ih"][:, 0], w_hh=cell.params["weight_hh"], b=step.bias, v=v, c=c,
        overflow_step=trace.overflow_step, from_input=step.from_input, from_memory=step.from_memory,
    )


def activation_curve(name: str, a_max: float = 4.0, points: int = 161) -> tuple[np.ndarray, np.ndarray]:
    """(a, act(a)) on [-a_max, a_max]: the curve on which the lesson marks where a_t landed."""
    if not np.isfinite(a_max) or a_max <= 0:
        raise ValueError(f"a_max: expected a positive finite number, got {a_max!r}")
    a, y, _ = curve(name, -a_max, a_max, points)
    return a, y


# -- checks ---------------------------------------------------------------------------------------------
def _check_config(cfg: UnrolledConfig) -> None:
    get_activation(cfg.activation)  # ValueError listing the valid names
    check_int("hidden", cfg.hidden, 1, MAX_HIDDEN)
    for name in ("w_in", "w_rec", "bias"):
        check_number(name, getattr(cfg, name))
