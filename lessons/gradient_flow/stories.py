"""The sentences of /gradient-flow that depend on a run, written from that run.

Every number comes from the recipe's ``Flow`` and ``CellRun`` results; every statement is checked against the
engine in tests/claims/test_gradient_flow.py. Pure Python (no Streamlit): Markdown strings for the page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from lessons.gradient_flow.recipe import BASELINE_MSE, REACH_THRESHOLD, CellRun, Flow
from lessons.kit.settings import CELL_NAMES

LEARNED = BASELINE_MSE / 5  # "learns the task": a fifth of the loss of always answering 1, or less
PARTLY = 0.6 * BASELINE_MSE  # "gets part of the way": clearly below always answering 1 (0.1), not LEARNED
SHUT = 0.05  # the LSTM's mean input gate below this: the belt's gradient hardly gets off the belt


def _reach(reach: int, T: int) -> str:
    if reach >= T - 1:
        return f"all {T - 1} steps back, to the first input"
    return f"{reach} step{'s' if reach != 1 else ''} back"


def init_story(flows: Mapping[str, Flow], T: int, forget_bias: float) -> str:
    """How far each cell's gradient reaches at initialisation, and why the LSTM's does not go further."""
    r = {cell: f.reach for cell, f in flows.items()}
    text = (f"**At initialisation** the gradient reaches {_reach(r['rnn'], T)} in the RNN, {_reach(r['lstm'], T)} "
            f"in the LSTM and {_reach(r['gru'], T)} in the GRU.")
    lstm = flows["lstm"]
    if r["lstm"] < T - 1 and lstm.write < SHUT and lstm.c[-1] >= REACH_THRESHOLD:
        text += (f" Here the LSTM's input gate starts almost shut (its bias is −b_f = {_minus(-forget_bias)}, so i ≈ "
                 f"{lstm.write:.3f}): the belt carries the gradient all the way back (dashed line), but little of it "
                 "gets off the belt into $h_t$, which reaches the belt only through the gates.")
    elif r["lstm"] <= r["rnn"] and r["lstm"] < T - 1 and forget_bias <= 0:
        text += (f" With b_f = {_minus(forget_bias)} the forget gate starts at about {_sigmoid(forget_bias):.2f}: "
                 "the belt forgets at every step, and the LSTM's gradient fades at least as fast as the RNN's.")
    return text


def _minus(x: float) -> str:
    return f"{x:g}".replace("-", "−")


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def outcome(run: CellRun) -> str:
    """learned / partly / not, from the trained loss."""
    loss = run.trained.loss
    return "learned" if loss <= LEARNED else "partly" if loss <= PARTLY else "not"


def trained_story(runs: Mapping[str, CellRun], T: int, steps: int) -> str:
    """One bullet per cell: did it learn the task, and how far back does its gradient reach now."""
    lines = [f"**After {steps} training steps** (always answering 1 scores a loss of {BASELINE_MSE:.3f}):"]
    for cell, run in runs.items():
        name, loss = CELL_NAMES[cell], run.trained.loss
        verdict = {"learned": f"learns the task (loss {loss:.3f})",
                   "partly": f"gets part of the way (loss {loss:.3f})",
                   "not": f"does not learn the task (loss {loss:.3f})"}[outcome(run)]
        lines.append(f"- the {name} {verdict}; its gradient reaches {_reach(run.trained.reach, T)}.")
    return "\n".join(lines)


def gru_story(runs: Mapping[str, CellRun] | None, init: Mapping[str, Flow]) -> str:
    """The GRU's paragraph: its update gate at initialisation, and what training did to it."""
    z, rnn, gru = init["gru"].keep, init["rnn"].reach, init["gru"].reach
    slope = "less steeply than the RNN's here" if gru > rnn else "about as steeply as the RNN's here"
    text = (f"The GRU's road is its update gate: $h_t = z_t \\odot h_{{t-1}} + (1 - z_t) \\odot n_t$, so along the "
            f"direct path each step passes $z_t$. At initialisation z ≈ {z:.2f}, so this road roughly halves the "
            f"gradient at every step, and the GRU's curve falls too — {slope}.")
    if runs is None:
        return text + " Train the cells to see what training makes of it."
    after = runs["gru"].trained.keep
    change = "raised" if after > z else "lowered"
    return (text + f" Training {change} its mean z to {after:.2f} — compare the GRU's curve before and after "
            f"(it now reaches {_reach(runs['gru'].trained.reach, len(init['gru'].h))}).")
