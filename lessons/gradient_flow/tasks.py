"""Check yourself on /gradient-flow (see lessons/kit/tasks.py). Both tasks are about the gradient at
initialisation (one forward and backward pass, no training), so checking them is quick; every answer and
explanation comes from the engine through the lesson's recipe."""

from __future__ import annotations

from collections.abc import Mapping

from lessons.gradient_flow import recipe
from lessons.gradient_flow.settings import SETTINGS, config
from lessons.kit.settings import defaults
from lessons.kit.tasks import Task, reading

FAR_T = 60  # the predict task: T = 60, b_f from 1 to 3
LONG_T = 100  # the make task: reach the first step of a sequence this long


def lstm_reach(values: Mapping[str, object]) -> tuple[int, int]:
    """(how many steps back the LSTM's gradient reaches at initialisation, T − 1) for these control values."""
    cfg = config(dict(values))
    own = recipe.for_cell(cfg, "lstm")
    return recipe.gradient_flow(own, recipe.initial_state(own, "lstm")).reach, cfg.T - 1


def _explain_far() -> str:
    base = {**defaults(SETTINGS), "T": FAR_T}
    before, whole = lstm_reach({**base, "forget_bias": 1.0})
    after, _ = lstm_reach({**base, "forget_bias": 3.0})
    return (f"At T = {FAR_T}, seed {base['seed']}: with b_f = 1 the LSTM's gradient stays above 1/1,000 of the signal "
            f"for **{before}** steps back; with b_f = 3 for **{after}** of the {whole} — "
            f"{'the whole sequence' if after == whole else 'nearly the whole sequence'}. σ(3) ≈ 0.95 of the cell "
            "state's gradient survives each step back along the belt, σ(1) ≈ 0.73 only.")


@reading(lstm_reach)
def _check_long(reached: tuple[int, int]) -> tuple[bool, str]:
    reach, whole = reached
    if whole + 1 < LONG_T:
        return False, f"Set the **sequence length T** to {LONG_T} first."
    if reach >= whole:
        return True, f"Yes: at initialisation the LSTM's gradient reaches all {whole} steps back, to the first input."
    return False, (f"Not yet: at initialisation it reaches {reach} of the {whole} steps back. What keeps the cell "
                   "state's gradient from shrinking at each step?")


TASKS = (
    Task("gflow-far", "Predict: a larger forget-gate bias",
         f"Set **T = {FAR_T}** (seed 0, as the page starts) and raise the LSTM forget-gate bias from **b_f = 1** "
         "to **b_f = 3**. At initialisation, how far back does the LSTM's gradient now reach (above 1/1,000 of the "
         "signal)?",
         options=("about as far as with b_f = 1 (some 20 steps)", "about twice as far", "to the first step"),
         answer=2, explain=_explain_far),
    Task("gflow-long", "Make it happen: reach back 99 steps",
         f"With **T = {LONG_T}**, make the LSTM's gradient reach the **first step** of the sequence at "
         "initialisation (the left panel, no training needed).", check=_check_long, table=SETTINGS),
)
