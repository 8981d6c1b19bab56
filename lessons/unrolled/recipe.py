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

from rnn_core import RNN, curve, get_activation, replay, signals, sweep_recurrent_scale
from rnn_core.signals import SINE_PERIOD, event_step
from rnn_core.steps import previous_states
from rnn_core.validation import check_int, check_number

SEQUENCES = (*signals.KINDS, "typed")  # step, impulse, sine, random walk: rnn_core.signals generates them
MAX_STEPS = signals.MAX_STEPS
MAX_HIDDEN = 8


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

    @property
    def peak(self) -> tuple[float, int]:
        """(largest |h| over every unit and finite step, 0-based step where it occurs); (0, 0) for none."""
        size = np.where(np.isfinite(self.h), np.abs(self.h), 0.0).max(axis=1)
        step = int(np.argmax(size))
        return float(size[step]), step


# -- inputs ---------------------------------------------------------------------------------------------
def input_sequence(kind: str, steps: int, seed: int = 0, values: tuple[float, ...] = ()) -> np.ndarray:
    """The scalar input x_t, shape (T,): ``rnn_core.signals.generate`` makes the generated kinds (step, impulse,
    sine with period 12, a seeded random walk); typed: ``values`` as given (``steps`` is ignored)."""
    if kind != "typed":  # the engine checks the kind and the length
        return signals.generate(kind, steps, seed)
    if not values:
        raise ValueError("numbers: type at least one number, e.g. 0, 1, 0, 0")
    return np.asarray(values, dtype=np.float64)


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


@dataclass(frozen=True)
class Behaviour:
    """What the one-unit state did after the input's event (the impulse, or the switch-on of the step).

    factor: typical per-step factor of the impulse's echo over the last steps — the echo being the state minus
        the state the same network reaches without the impulse (geometric mean of up to 8 ratios of consecutive
        non-zero finite values; None when there are fewer than two; 0 when the echo was wiped out).
    flips: the echo's sign alternated on nearly every step (for at least 3 steps).
    level: where the state came to rest (None while it still moves), and settle_steps: steps after the event
        until it stays within 1 % of it.
    lag: for the sine input, the delay in steps at which h_t best matches the input (None otherwise).
    steady: the echo's size changed by the same factor (within 3 %) over the last steps.
    swing: (a, b) when the state ends up alternating between two values, else None.
    """

    factor: float | None
    flips: bool
    level: float | None
    settle_steps: int | None
    lag: int | None
    steady: bool = True
    swing: tuple[float, float] | None = None
    zeroed: bool = False  # the state was exactly 0 at some step after the event (a ReLU cut it off)


def behaviour(run: UnrolledRun) -> Behaviour:
    """Describe a one-unit run in the numbers the lesson's sentences quote (see lessons/unrolled/stories.py)."""
    h = run.h[:, 0]
    start = event_step(run.steps) if run.config.sequence in ("impulse", "step") else 0
    quiet = build_rnn(run.config).forward(np.zeros((run.steps, 1))).h[:, 0]  # the same network, no input
    with np.errstate(all="ignore"):
        echo = (h - quiet)[start:]
    level, settle = _resting(h[start:])
    lag = sine_lag(run.x, h) if run.config.sequence == "sine" else None
    return Behaviour(_factor(echo), _flips(echo), level, settle, lag, _steady(echo), _swing(h[start:]),
                     bool((h[start + 1 :] == 0).any()))


def _steady(e: np.ndarray) -> bool:
    with np.errstate(all="ignore"):
        tail = e[-6:]
        ratios = np.abs(tail[1:] / tail[:-1])
    ratios = ratios[np.isfinite(ratios) & (ratios > 0)]
    return bool(ratios.size < 2 or ratios.max() <= 1.03 * ratios.min())


def _swing(h: np.ndarray) -> tuple[float, float] | None:
    """The two values a state alternates between at the end (a 2-cycle), or None."""
    if h.size < 6 or not np.isfinite(h[-6:]).all():
        return None
    a, b = h[-1], h[-2]
    tol = 1e-6 * max(1.0, abs(a), abs(b))
    if abs(a - b) > 1e-3 and np.allclose(h[-6::2], h[-6], atol=tol) and np.allclose(h[-5::2], h[-5], atol=tol):
        return float(b), float(a)
    return None


def _factor(h: np.ndarray) -> float | None:
    with np.errstate(all="ignore"):
        ok = np.isfinite(h[1:]) & np.isfinite(h[:-1]) & (h[:-1] != 0)
        ratios = np.abs(h[1:][ok] / h[:-1][ok])[-8:]
    ratios = ratios[np.isfinite(ratios)]
    if ratios.size and ratios[-1] == 0 or (h.size > 1 and np.all(h[1:] == 0)):
        return 0.0  # wiped out (a ReLU turned the echo into exactly 0)
    if ratios.size < 2:
        return None
    return float(np.exp(np.mean(np.log(ratios))))


def _flips(h: np.ndarray) -> bool:
    signs = np.sign(h[np.isfinite(h) & (h != 0)])
    return signs.size >= 4 and bool(np.mean(signs[1:] != signs[:-1]) > 0.9)


def _resting(h: np.ndarray) -> tuple[float | None, int | None]:
    """(the level the state stays at, the first step from which it stays within 1 % of it) or (None, None)."""
    if h.size < 3 or not np.isfinite(h).all():
        return None, None
    end = float(h[-1])
    tol = 0.01 * max(abs(end), 1e-3)
    if abs(h[-1] - h[-2]) > 1e-6 * max(1.0, abs(end)):
        return None, None
    inside = np.abs(h - end) <= tol
    first = int(np.flatnonzero(~inside)[-1] + 1) if (~inside).any() else 0
    return end, first


def sine_lag(x: np.ndarray, h: np.ndarray) -> int:
    """The delay (0 .. one period) at which the state's second half best matches the input, by correlation."""
    half = len(h) // 2
    best, lag = -np.inf, 0
    for d in range(min(SINE_PERIOD, half)):
        xs, hs = x[half - d : len(h) - d], h[half:]
        if np.std(xs) == 0 or np.std(hs) == 0 or not np.isfinite(hs).all():
            continue
        r = float(np.corrcoef(xs, hs)[0, 1])
        if r > best + 1e-12:
            best, lag = r, d
    return lag


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


# -- sweeping the recurrent weight -----------------------------------------------------------------------
W_GRID = np.round(np.linspace(-3.0, 3.0, 121), 2)  # the w slider's range and step (-3 … 3 by 0.05)
BOUNDED = ("tanh", "sigmoid")  # activations whose state cannot leave a fixed interval


@dataclass(frozen=True)
class Sweep:
    """The same network and input for every w on ``W_GRID``, from one vectorised engine pass.

    h: (S, T, H) states; size: (S, T) |h_t| (H = 1) or ‖h_t‖; peak, peak_step, last: (S,) the largest size, the
    step (0-based) where it is reached first, and the size after the last step (inf/NaN after an overflow).
    start: the grid index nearest to the config's own w.
    """

    config: UnrolledConfig
    ws: np.ndarray
    h: np.ndarray
    size: np.ndarray
    peak: np.ndarray
    peak_step: np.ndarray
    last: np.ndarray
    start: int

    @property
    def bounded(self) -> bool:
        return self.config.activation in BOUNDED


def sweep_w(cfg: UnrolledConfig) -> Sweep:
    """Run the network the sliders describe for every w on W_GRID (other settings as in ``cfg``)."""
    x = input_sequence(cfg.sequence, cfg.length, cfg.seed, cfg.values)
    cell = build_rnn(cfg)
    cell.params["weight_hh"] = shapes(cfg.hidden, cfg.seed)[1]  # W_hh = Q; the sweep scales it by each w
    h = sweep_recurrent_scale(cell, x[:, None], W_GRID)
    with np.errstate(over="ignore", invalid="ignore"):
        size = np.abs(h[..., 0]) if cfg.hidden == 1 else np.sqrt(np.sum(h * h, axis=-1))
    shown = np.where(np.isfinite(size), size, np.inf)  # an overflowed step counts as the largest
    return Sweep(config=cfg, ws=W_GRID, h=h, size=size, peak=shown.max(axis=1), peak_step=shown.argmax(axis=1),
                 last=size[:, -1], start=int(np.abs(W_GRID - cfg.w_rec).argmin()))
