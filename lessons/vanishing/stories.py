"""The sentences of /vanishing-gradients that state an outcome: the general ones, qualified to where they hold,
and the ones written from the run they describe.

Every statement here is checked against the engine in tests/claims/test_vanishing.py. Pure Python (no
Streamlit): Markdown strings for the page.
"""

from __future__ import annotations

import numpy as np

from lessons.kit.numbers import compact
from lessons.vanishing.recipe import ChainResult, ChainSweep, MatrixResult

EQUATION = ("A one-unit RNN $h_t = \\mathrm{act}(w\\,h_{t-1} + u\\,x_t + b)$, with $u = 1$ and $b = 0$, reads "
            "random inputs; the loss is simply $L = h_T$. Going back one step multiplies the gradient by "
            "$w\\,\\mathrm{act}'(a_t)$, so going back $k$ steps multiplies it by $k$ such factors:")
POWERS = ("With the identity activation every factor is exactly $w$: the gradient is $|w|^k$, a straight line on "
          "this log axis. $2^{50} \\approx 1.13\\times10^{15}$ (it **explodes**), $0.5^{50} \\approx "
          "8.9\\times10^{-16}$ (it **vanishes**): the first input is effectively forgotten. No activation offered "
          "here has a slope above 1, so any other one can only bend the line further down: tanh and σ saturate "
          "(only tanh at $a = 0$ passes the full factor), ReLU passes it whole or cuts it to 0.")
SATURATION = ("Each factor contains the activation's **slope** $\\mathrm{act}'(a_t)$ at the point the step landed "
              "on (purple dots: this run's steps). Where the curve is flat — *saturated* — the slope is nearly 0 "
              "and the gradient is nearly cut.")
SIGMOID_RELU = ("The sigmoid's slope is at most ¼, so a step multiplies the gradient by at most $|w|/4$: with "
                "$|w| \\le 1$ it loses at least 4× per step even in the best case, and on this slider ($w \\le 3$) "
                "it shrinks at every step. ReLU's slope is exactly 1 or exactly 0, so a step multiplies the "
                "gradient by exactly $w$ or kills it completely (a negative input): the activation itself never "
                "shrinks it a little.")
LEAKY_ELU = ("**Leaky ReLU and ELU** are ReLU's repairs. For $a > 0$ their slope is exactly 1, like ReLU's — no "
             "flat end on that side, unlike tanh and σ. For $a < 0$ they pass back a little instead of nothing: "
             "0.01 for leaky ReLU, $e^{a}$ for ELU. So a negative input shrinks the gradient but no step cuts it "
             "to exactly 0: the unit is never dead and can still learn. Try the **dead ReLU** example, then "
             "switch to leaky ReLU or ELU: the gradient no longer drops to 0. Leaky ReLU's 0.01 still costs a "
             "factor of 100 on every negative step; ELU costs much less, since $e^{a}$ is close to 1 for slightly "
             "negative $a$.")
NORMALISATION = ("**What about batch normalisation?** Course notes list it among the cures. It rescales each "
                 "unit's pre-activation with the mean and standard deviation over the current mini-batch, which "
                 "keeps $a_t$ away from the flat ends of tanh and σ in deep feed-forward networks. Inside a "
                 "recurrent network it is rarely used: the statistics differ from step to step (the first step "
                 "sees only the input, later ones the input and the memory), so it needs one "
                 "set per time step (awkward for sequences of varying length, and for longer sequences at test "
                 "time than in training) and is unreliable with small batches. The usual recurrent alternative is "
                 "**layer normalisation** (Ba, Kiros & Hinton, 2016): it normalises over the units of one "
                 "sequence at one step, so it works the same at every step and for a batch of one. Neither appears "
                 "in this lesson's network (layer normalisation needs more than one unit to normalise over).")
MATRIX = ("With $H$ hidden units the factor per step is a matrix, $\\partial h_t/\\partial h_{t-1} = "
          "\\mathrm{diag}\\big(\\mathrm{act}'(a_t)\\big)\\,W_{hh}$, and what matters is how much it can stretch a "
          "vector. Here $W_{hh} = \\rho\\,Q$ with $Q$ a random orthogonal matrix (a pure rotation), so every "
          "eigenvalue sits on the circle $|\\lambda| = \\rho$. Inside the unit circle ($\\rho < 1$) gradients "
          "always shrink — no activation here has a slope above 1, so it can only shrink them more; outside they "
          "can grow. For a linear RNN it is exact:")
CLIP_RULES = ("Clipping **by value** squeezes each entry into the orange square separately, so the gradient "
              "**turns** — unless no entry is clipped, or all of its nonzero entries are clipped alike "
              "(g = (8, 8) stays on its diagonal). Clipping **by norm** shrinks a vector longer than $c$ onto the "
              "blue circle (a shorter one is left alone) and keeps its direction.")
CLIP_RUN = ("**On this run's gradient**: the three weights of the equation above, $(\\partial L/\\partial w,\\; "
            "\\partial L/\\partial u,\\; \\partial L/\\partial b)$, after BPTT. Clipping by norm multiplies "
            "everything by one factor — exactly as if the loss had been scaled — so the curve slides down but "
            "keeps its shape: the far past still dominates an exploding gradient, and a vanishing one is not "
            "helped, because clipping only ever *shrinks*.")
CLIP_OVERFLOW = ("This gradient overflowed (inf/NaN): no clipping can repair it. By norm, PyTorch's "
                 "clip_grad_norm_ multiplies it by $c/\\|g\\|$ — 0 for an infinite norm, NaN for a NaN one — so "
                 "every inf becomes NaN; by value, an inf becomes ±c (and NaN stays NaN) — a direction that has "
                 "nothing to do with the true gradient any more. The fix has to come earlier: smaller weights, "
                 "float64, or a gated cell.")
FORMATS = {"float32": "float32 (smallest about 1e−45)", "float64": "float64 (smallest about 5e−324)"}


def zero_reason(res: ChainResult, precision: str) -> str:
    """Why the gradient became exactly 0, from the step where it did (``res.zero_cause``)."""
    z, T = res.zero_distance, res.grad.shape[0] - 1
    step = T - z + 1  # crossing step t = T - k + 1 back to t - 1 gave the first 0 at distance k
    a = compact(res.pre[step - 1])
    if res.zero_cause == "w":
        return "With $w = 0$ nothing flows back from one step to the step before."
    if res.zero_cause == "dead":
        return (f"At step {step} the ReLU's input was not positive ($a = {a}$): it passes back nothing at all — a "
                f"dead unit.")
    if res.zero_cause == "flat":
        return (f"At step {step} the activation was so saturated ($a = {a}$) that its slope rounded to exactly 0 "
                f"in {precision}.")
    return (f"No single step cut it (every factor was nonzero): the product underflowed — it fell below the "
            f"smallest number {FORMATS.get(precision, precision)} can hold.")


def matrix_caption(m: MatrixResult) -> str:
    """The measured factor per step in words: how many steps per 10×, and whether saturation beat ρ > 1."""
    if np.isfinite(m.decade_steps):
        verb = "shrinks" if m.rate < 1 else "grows"
        text = f"The gradient {verb} 10× every {m.decade_steps:.1f} steps (ρ alone: × {m.radius:.2f}/step)."
        if m.rate < 1 < m.radius:
            text += " Saturation wins here: it shrinks although ρ > 1 — every act′ < 1 takes its share."
        return text
    if np.isfinite(m.rate):
        return "Factor 1: the gradient keeps its size — the edge between vanishing and exploding."
    return ""


SWEEP_HOW = ("Drag the slider under the chart — or press ▶ — to sweep $w$ from 0 to 3 in steps of 0.05, the other "
             "settings as above. The engine computed every $w$ in one pass, so the picture follows your hand, and the "
             "axes stay put for the whole sweep. The wide grey line is $|w|^k$, the blue curve the gradient the run "
             "really passes back. Below it, each step's slope $\\mathrm{act}'(a)$, plotted at the distance $k$ it "
             "brings the gradient to; the dashed line is $1/|w|$: a step whose slope lies above it multiplies the "
             "gradient by more than 1, one below it by less.")


def _grid_ranges(ws: np.ndarray, mask: np.ndarray) -> str:
    """The grid points where ``mask`` holds, as runs: "w = 0.00", "every w from 0.05 to 1.00 and w = 2.10"."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    runs = [(ws[a], ws[b - 1]) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    return " and ".join(f"w = {lo:.2f}" if lo == hi else f"every w from {lo:.2f} to {hi:.2f}" for lo, hi in runs)


def sweep_story(sw: ChainSweep) -> str:
    """How to read the sweep, then what reached h₀ across it, from the sweep's own numbers."""
    T = sw.grad.shape[1] - 1
    g0 = sw.grad[:, -1]
    with np.errstate(invalid="ignore"):
        groups = (("is exactly 0", g0 == 0), ("is smaller than 1", (g0 > 0) & (g0 < 1)),
                  ("keeps exactly its size, 1,", g0 == 1), ("is larger than 1", np.isfinite(g0) & (g0 > 1)),
                  ("overflows", ~np.isfinite(g0)))
    parts = [f"{what} for {_grid_ranges(sw.ws, mask)}" for what, mask in groups if mask.any()]
    return (f"{SWEEP_HOW}\n\nIn this sweep the gradient that reaches $h_0$, all {T} steps back, "
            + "; it ".join(parts) + ".")
