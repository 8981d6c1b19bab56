"""Check yourself on /training (see lessons/kit/tasks.py). Every answer and explanation is computed from the lab's
own tasks and memoryless models (closed-form, fast); what a trained network then does is a tested claim
(tests/claims/test_training.py)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lessons.kit.numbers import num
from lessons.kit.tasks import Task
from lessons.training import recipe
from lessons.training.settings import SETTINGS


def returns_scores(window: int = 20) -> dict[str, float]:
    """Held-out MSE (scaled) of the memoryless models on the daily returns, by model name."""
    base = recipe.baselines(recipe.make_task("stock_returns", window))
    return {r["model"]: float(r["Val MSE (scaled)"]) for r in base.rows}


def _explain_returns() -> str:
    s = returns_scores()
    avg, copy = s[recipe.AVERAGE_NAME], s[recipe.PERSIST_NAME]
    return (f"On the held-out returns “{recipe.AVERAGE_NAME}” scores **{num(avg, 3)}** and “{recipe.PERSIST_NAME}” "
            f"**{num(copy, 3)}**: **{num(copy / avg)}×** as bad. Returns barely depend on yesterday's, so copying "
            "today's return adds today's noise to tomorrow's guess — the error of two independent draws, about "
            "twice the variance. The page's LSTM does no better than the average either: a tie at best.")


def first_numbers(T: int = 20) -> tuple[np.ndarray, int]:
    """The first marked number of every held-out adding sequence of length T, and the latest step (0-based) at
    which any first marker sits in the training and held-out data."""
    d = recipe.make_task("adding", T).data
    latest = max(int(np.argmax(x[:, :, 1], axis=1).max()) for x in (d.x_train, d.x_val))
    firsts = d.x_val[np.arange(len(d.x_val)), np.argmax(d.x_val[:, :, 1], axis=1), 0]
    return firsts, latest


def _explain_half() -> str:
    firsts, latest = first_numbers(20)
    return (f"With T = 20 every first marker sits at step {latest + 1} or earlier — in the half that was cut off. "
            "Without the first number the best guess for it is its average, 0.5, and the error left is its "
            f"variance: **{num(float(np.var(firsts)), 3)}** on the held-out sequences (1/12 ≈ 0.083 for numbers "
            "drawn evenly from 0 to 1). That is the floor of the table's “last T/2 steps” row; the recurrent "
            "network reads every step and goes far below it.")


def _check_cut(values: Mapping[str, object]) -> tuple[bool, str]:
    if values.get("task") != "adding":
        return False, "Pick the **adding problem** as the task first."
    T, b = int(values["window"]), int(values["bptt"])
    _, latest = first_numbers(T)
    if b == 0 or b >= T:
        return False, ("Not yet: with BPTT 0 (or ≥ T) the gradient flows through all "
                       f"{T} steps and reaches every marker.")
    if T - b > latest:
        return True, (f"Yes: the gradient flows back through steps {T - b + 1}–{T} only, and every first marker "
                      f"sits at step {latest + 1} or earlier. Now press **Train**: does the model still learn to "
                      "add the first number?")
    return False, (f"Not yet: the gradient reaches steps {T - b + 1}–{T}, and some first markers sit as late as "
                   f"step {latest + 1}. Shorten the truncated BPTT length.")


TASKS = (
    Task("training-returns", "Predict: copying today's return",
         "On the **daily returns** (k = 20), how does “tomorrow = today” compare with always predicting the "
         "training average return, on the held-out days?",
         options=("much better", "about the same", "about twice as bad", "about ten times as bad"), answer=2,
         explain=_explain_returns),
    Task("training-half", "Predict: a window on the second half",
         "Adding problem, T = 20: a feed-forward net sees only the **last 10 steps**. However well it is trained, "
         "what held-out MSE can it not get below?",
         options=("0: it can learn the sum", "about 0.083", "about 0.167", "about 0.5"), answer=1,
         explain=_explain_half),
    Task("training-cut", "Make it happen: a gradient that never reaches the first number",
         "On the **adding problem**, set the truncated BPTT length so that no gradient ever reaches the first "
         "marked number — then train and see whether the model learns to add it anyway.", check=_check_cut,
         table=SETTINGS),
)
