"""The sentences under /unrolled's hidden-state chart, written from the run they describe.

Every number in them comes from ``recipe.behaviour(run)``; every general statement is checked against the
engine in tests/claims/test_unrolled.py. Pure Python (no Streamlit): Markdown strings for the page.
"""

from __future__ import annotations

import numpy as np

from lessons.kit.numbers import num
from lessons.unrolled.recipe import Behaviour, Sweep, UnrolledRun, event_step

GENERAL_ECHO = ("At every step the echo is multiplied by $w\\cdot\\mathrm{act}'$ — the same factor that carries "
                "gradients back through time in the next lesson.")
GENERAL_STEP = ("With the identity activation the level is $(w_{\\text{in}} + b)/(1 - w)$ for $|w| < 1$: the "
                "larger $w$, the higher the level and the slower the climb. tanh squashes the level below 1.")
GENERAL_SINE = ("Without a squashing activation (identity or ReLU), a larger $w$ means a longer memory and a "
                "longer lag.")
MANY_UNITS = ("Each row of the heatmap is one hidden unit: together the $H$ numbers are the network's entire "
              "memory of the past. $W_{hh}$ mixes the units at every step, so a single input echoes through all "
              "of them.\n\nTry the **impulse** and follow the echo across units and time.")
RANDOM_WALK = ("Like a day-by-day price, each value is yesterday's plus a random move. The hidden state carries "
               "a blend of the path so far — what a forecaster would want to remember.")
TYPED = "Your own sequence: change one number and see how far ahead its effect is still visible in $h_t$."


def hidden_story(run: UnrolledRun, b: Behaviour | None) -> str:
    """The explanation beside the hidden-state chart (``b``: the run's behaviour; None for H > 1)."""
    if run.hidden > 1 or b is None:
        return MANY_UNITS
    kind = run.config.sequence
    if kind == "impulse":
        return (f"After the single 1 the input is silent, so everything $h_t$ still holds is **memory**. "
                f"{echo_sentence(run, b)}\n\n{GENERAL_ECHO}")
    if kind == "step":
        return f"The input switches on and stays on. {level_sentence(b)}\n\n{GENERAL_STEP}"
    if kind == "sine":
        steps = "step" if b.lag == 1 else "steps"
        return (f"The state follows the wave with a **lag** of about {b.lag} {steps} here: it is a smoothed blend "
                f"of the present input and its own past. {GENERAL_SINE}")
    return RANDOM_WALK if kind == "random walk" else TYPED


def echo_sentence(run: UnrolledRun, b: Behaviour) -> str:
    """What became of the impulse in this run, in one or two sentences."""
    cfg, f = run.config, b.factor
    flips = ", flipping sign every step ($w < 0$)" if b.flips else ""
    if f is None:
        return "There are too few steps after the impulse to see what its echo does: lengthen the sequence."
    if cfg.w_rec == 0:
        return ("With $w = 0$ nothing is carried over: $h_t$ depends on $x_t$ alone, so the impulse is forgotten "
                "at the very next step.")
    if f == 0:
        if b.zeroed and cfg.activation == "relu":
            return "Here the echo is wiped out at once: ReLU turns a negative state into exactly 0."
        return ("Here the echo vanishes completely: it shrinks so fast that after a few steps no floating-point "
                "number can tell this run from one without the impulse.")
    if b.swing is not None:
        low, high = sorted(b.swing)
        return (f"Here the impulse starts an oscillation: the state swings between {num(low)} and {num(high)} "
                f"for ever, neither fading nor growing.")
    if not b.steady and 0.9 < f < 1.1:
        return "Here the echo neither fades nor grows steadily: its size keeps changing from step to step."
    if f > 1.02:
        return (f"Here the echo **grows** about ×{num(f)} per step{flips}: with $|w| > 1$ and nothing to squash "
                f"it, memory explodes.")
    if f >= 0.98:
        if b.level is not None and abs(b.level) > 0.05:
            return (f"Here the impulse is never forgotten: the state latches at {num(b.level)} and stays there — "
                    f"with $|w| > 1$ a squashing unit has two stable levels, a one-bit memory.")
        return "Here the echo keeps its size from step to step: a factor of 1 is the edge between fading and exploding."
    return f"Here the echo **fades** about ×{num(f)} per step{flips}. {_why_factor(cfg.activation, cfg.w_rec, f)}"


def _why_factor(activation: str, w: float, f: float) -> str:
    if activation == "identity":
        return "With the identity activation that is exactly $|w|$."
    if abs(w) > 0 and abs(f - abs(w)) <= 0.1 * abs(w):
        return f"That is about $|w| = {num(abs(w))}$: near its resting point the activation is nearly straight."
    return (f"That is $|w| = {num(abs(w))}$ times the activation's slope where the state rests "
            f"({num(f / abs(w)) if w else '—'}).")


def level_sentence(b: Behaviour) -> str:
    if b.level is not None:
        steps = "step" if b.settle_steps == 1 else "steps"
        return (f"$h_t$ climbs to {num(b.level)} and stays within 1 % of it after {b.settle_steps} {steps}: the "
                f"level where the new input and the carried-over memory balance.")
    if b.factor is not None and b.factor > 1.02:
        return "$h_t$ never settles: it grows without bound."
    return "$h_t$ is still moving at the last step: lengthen the sequence to see where it settles."


# -- the w sweep -----------------------------------------------------------------------------------------
SWEEP_HOW = ("**Drag w inside the chart**, from −3 to 3: the run for every w on the slider's grid was computed "
             "in advance, so the line follows your hand. The dashed line is the w set above; the rest of the "
             "page stays at that w until you set it above.")
RESTING_AT_ZERO = ("tanh", "identity", "relu", "leaky_relu", "elu")  # act(0) = 0: with b = 0 the state rests at 0


def sweep_story(sw: Sweep) -> str:
    """What the sweep shows, from the sweep's own numbers: for the impulse (b = 0, an activation resting at 0)
    the ranges of w where the echo fades below 1 %, keeps half, grows or overflows by the last step."""
    cfg = sw.config
    if cfg.sequence != "impulse" or cfg.bias != 0 or cfg.activation not in RESTING_AT_ZERO:
        return SWEEP_HOW  # (typed numbers set their own length: cfg.length is not the run's then)
    k = event_step(cfg.length)
    first = sw.size[:, k]
    if cfg.length - 1 - k < 3 or not (first > 0).all():
        return SWEEP_HOW
    last = sw.size[:, -1]
    with np.errstate(invalid="ignore"):
        fade = np.isfinite(last) & (last <= 0.01 * first)
        keep = ~np.isfinite(last) | (last >= 0.5 * first)
        grow = ~np.isfinite(last) | (last > first)
    parts = []
    lo, hi = _around_zero(sw.ws, fade)
    if lo is not None:
        parts.append(f"by the last step the impulse's echo has faded below 1 % of its first size for every w "
                     f"from {_w(lo)} to {_w(hi)}")
    tails = _tails(sw.ws, grow if not sw.bounded else keep)
    if tails:
        what = "ends larger than it started" if not sw.bounded else "still holds at least half of it"
        parts.append(f"it {what} for every {tails}")
    over = _tails(sw.ws, ~np.isfinite(sw.size).all(axis=1))
    if over and not sw.bounded:
        parts.append(f"it overflows (beyond 1.8 × 10³⁰⁸) for every {over}")
    return SWEEP_HOW + ("\n\nIn this sweep, " + "; ".join(parts) + "." if parts else "")


def _w(w: float) -> str:
    return f"{w:.2f}".replace("-", "−")


def _around_zero(ws: np.ndarray, ok: np.ndarray) -> tuple[float | None, float | None]:
    """The widest grid interval [lo, hi] around w = 0 where ``ok`` holds at every point (None if not at 0)."""
    zero = int(np.abs(ws).argmin())
    if not ok[zero]:
        return None, None
    lo = hi = zero
    while lo > 0 and ok[lo - 1]:
        lo -= 1
    while hi < ws.size - 1 and ok[hi + 1]:
        hi += 1
    return float(ws[lo]), float(ws[hi])


def _tails(ws: np.ndarray, ok: np.ndarray) -> str:
    """"w ≥ a" / "w ≤ −b" / both: the grid's ends from which ``ok`` holds all the way out ("" if neither)."""
    parts = []
    if ok[-1]:
        k = ws.size - 1
        while k > 0 and ok[k - 1]:
            k -= 1
        parts.append(f"w ≥ {_w(ws[k])}")
    if ok[0]:
        k = 0
        while k < ws.size - 1 and ok[k + 1]:
            k += 1
        parts.append(f"w ≤ {_w(ws[k])}")
    return " and every ".join(parts)
