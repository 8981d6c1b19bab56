"""Check yourself on /lstm, /gru and /bidirectional (see lessons/kit/tasks.py). Every answer and explanation
comes from the engine, through the lessons' own recipes."""

from __future__ import annotations

import numpy as np

from lessons.gated import bidirectional_recipe as brecipe
from lessons.gated import recipe
from lessons.gated.settings import GRU_SETTINGS, LSTM_SETTINGS, gru_config, remember_config
from lessons.kit.numbers import num, pct
from lessons.kit.tasks import Task, reading

HOLD_STEPS, HOLD_SHARE = 100, 0.5  # the "make" task of /lstm: keep half of the value for 100 steps
KEEP_Z = 0.97  # the "make" task of /gru: the update gate keeps at least this share everywhere
SEES_T = 12  # the step asked about on /bidirectional (the middle of the default 24 steps)


# -- /lstm ----------------------------------------------------------------------------------------------
def _explain_fade() -> str:
    run = recipe.run_remember(recipe.RememberConfig(forget_bias=3.0, gap=20))
    return (f"f = σ(3) = {run.forget:.4f}, and f²⁰ = **{pct(run.forget_power)}**: the belt keeps "
            f"{num(run.kept, 3)} of the stored {num(run.stored, 3)}. Twenty multiplications by 0.95 cost more than "
            "half: a forget gate has to sit very close to 1 for a long memory.")


@reading(lambda v: recipe.run_remember(remember_config(v)), "The remember demo's controls")
def _check_hold(run: recipe.RememberRun) -> tuple[bool, str]:
    if run.gap < HOLD_STEPS:
        return False, f"Set **Steps to remember** to {HOLD_STEPS} or more first."
    if run.forget_power >= HOLD_SHARE:
        return True, (f"Yes: f = {run.forget:.4f}, and after {run.gap} steps f^{run.gap} = {pct(run.forget_power)} "
                      "of the value is still on the belt.")
    return False, (f"Not yet: f = {run.forget:.4f} keeps only {pct(run.forget_power)} after {run.gap} steps. "
                   "How close to 1 must f be — and which bias gives that?")


# -- /gru -----------------------------------------------------------------------------------------------
def _explain_params() -> str:
    counts = recipe.param_counts(300, 128)
    return (f"For D = 300, H = 128: RNN {counts['RNN']:,}, GRU **{counts['GRU']:,}** "
            f"({counts['GRU'] / counts['RNN']:g}×), LSTM {counts['LSTM']:,} ({counts['LSTM'] / counts['RNN']:g}×). "
            "The GRU has three blocks of weights (r, z, n), each the size of the plain RNN's one; the LSTM has four.")


@reading(lambda v: recipe.run_gru(gru_config(v)), "The cell's controls")
def _check_keep(run: recipe.GatedRun) -> tuple[bool, str]:
    z, h = float(run.gates["z"].min()), float(np.abs(run.h).max())
    if z >= KEEP_Z:
        return True, (f"Yes: z never drops below {z:.3f}, so every step keeps at least {pct(z)} of $h_{{t-1}}$ and "
                      f"lets little new in: |h| stays below {num(h, 3)} everywhere.")
    return False, (f"Not yet: somewhere z is only {z:.3f}. With nothing else going on z sits at σ(b_z): which b_z "
                   f"gives σ(b_z) above {KEEP_Z}?")


# -- /bidirectional -------------------------------------------------------------------------------------
def _explain_sees() -> str:
    sens = brecipe.sensitivity(brecipe.BiConfig())
    fwd, bwd = sens.forward[SEES_T - 1], sens.backward[SEES_T - 1]
    f_steps, b_steps = np.flatnonzero(fwd > 0) + 1, np.flatnonzero(bwd > 0) + 1
    span = "$x_{{{}}}$ … $x_{{{}}}$".format
    return (f"From the gradients at t = {SEES_T} (the page's starting view): the forward half depends on "
            f"{span(f_steps.min(), f_steps.max())} and is exactly 0 for every later input; the backward half on "
            f"{span(b_steps.min(), b_steps.max())}. The forward LSTM has simply not read the future yet.")


def _explain_next() -> str:
    r2 = brecipe.readout(brecipe.ReadoutConfig(task="next")).r2
    return (f"R² on new sequences (1 is perfect, 0 no better than guessing the mean): forward half "
            f"{num(r2['forward'])}, backward half **{num(r2['backward'])}**, both {num(r2['both'])}. $x_{{t+1}}$ has "
            "been read only by the backward LSTM, which runs from the end of the sequence.")


TASKS = {
    "lstm": (
        Task("lstm-fade", "Predict: how much is left after 20 steps?",
             "In **Remembering: a value on the belt**, set the forget-gate bias to **b_f = 3** (f = σ(3) ≈ 0.95) "
             "and the gap to **20 steps**. How much of the stored value is still on the belt at the read?",
             options=("about 95 %", "about 40 %", "about 5 %", "less than 0.1 %"), answer=1, explain=_explain_fade),
        Task("lstm-hold", "Make it happen: remember for 100 steps",
             f"In **Remembering: a value on the belt**, keep at least **half** of the stored value on the belt for "
             f"**{HOLD_STEPS} steps** or more.", check=_check_hold, table=LSTM_SETTINGS),
    ),
    "gru": (
        Task("gru-params", "Predict: how many parameters?",
             "A GRU layer and a plain RNN layer read the same input size D and have the same hidden size H. How many "
             "trainable parameters does the GRU have?",
             options=("the same number", "twice as many", "three times as many", "four times as many"), answer=2,
             explain=_explain_params),
        Task("gru-keep", "Make it happen: a cell that keeps its past",
             f"Make the update gate keep at least **{pct(KEEP_Z)}** of $h_{{t-1}}$ at every step and in every unit "
             "(z ≥ 0.97 everywhere in the z row).", check=_check_keep, table=GRU_SETTINGS),
    ),
    "bidirectional": (
        Task("bidir-sees", "Predict: what can the forward half see?",
             f"The output at step t = {SEES_T} is [h→ ; h←]. Which inputs $x_s$ does its **forward** half h→ depend "
             "on?", options=("only x_t", "x_s for s ≤ t", "x_s for s ≥ t", "every input x_1 … x_T"), answer=1,
             explain=_explain_sees),
        Task("bidir-next", "Predict: who knows the next input?",
             "A linear readout is fitted on one half of the output at a time to predict the **next input** "
             "$x_{t+1}$. Which half carries it?",
             options=("the forward half h→", "the backward half h←", "neither: the LSTMs are untrained"), answer=1,
             explain=_explain_next),
    ),
}
