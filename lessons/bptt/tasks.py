"""Check yourself on /bptt (see lessons/kit/tasks.py). Every answer and explanation comes from the engine."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lessons.bptt import recipe
from lessons.bptt.settings import SETTINGS, config
from lessons.kit.numbers import num, short
from lessons.kit.tasks import Task, run_on


def _run(**kw) -> recipe.BPTTResult:
    base = {name: s.default for name, s in SETTINGS.items()}
    return recipe.run_bptt(config({**base, **kw}))


# Answers to "how much of the last step's error reaches step 1", by decade.
REACH_OPTIONS = ("more than 10 %", "between 1 % and 10 %", "between 0.01 % and 1 %", "less than 0.01 %")


def reach_option(share: float) -> int:
    """Which of REACH_OPTIONS a share |∂h_T/∂h_1| falls in."""
    s = abs(share)
    return 0 if s > 0.1 else 1 if s > 0.01 else 2 if s >= 1e-4 else 3


def reached(w_rec: float) -> float:
    """|∂h_T/∂h_1| with the page's network (impulse, T = 12, tanh) and this recurrent weight."""
    return float(abs(_run(w_rec=w_rec).running[0]))


def _explain_reach() -> str:
    share, n = reached(0.5), _run().steps - 1
    return (f"The engine says **{short(share, 2)}** of it ({short(100 * share, 2)} %) reaches step 1: {n} "
            f"factors w_rec·tanh′(a) ≤ 0.5 multiply, and 0.5^{n} = {short(0.5 ** n, 2)} is already the most they "
            "could give. Each step back shrinks the signal again — that is the vanishing gradient.")


def zero_share_steps() -> list[int]:
    """The steps (1-based) whose share of ∂L/∂w_rec is exactly 0 with the page's defaults."""
    return [int(t) + 1 for t in np.flatnonzero(_run().contributions == 0)]


def impulse_step() -> int:
    """The step (1-based) of the page's impulse."""
    return int(np.flatnonzero(_run().x)[0]) + 1


def _explain_zeros() -> str:
    res = _run()
    steps = zero_share_steps()
    return (f"Steps {', '.join(map(str, steps))} add exactly 0 (the impulse arrives at step {impulse_step()}). "
            "A step's share is ∂L/∂a_t · h_(t−1), and before the impulse the state is still exactly 0 — even "
            f"though ∂L/∂a_t there is not ({num(res.da[0], 3)} at step 1). The weight could not have changed "
            "anything the state did not yet carry.")


def _current(values: Mapping[str, object]) -> recipe.BPTTResult | None:
    return run_on(values, lambda v: recipe.run_bptt(config(v)))


def _check_grow(values: Mapping[str, object]) -> tuple[bool, str]:
    res = _current(values)
    if res is None:
        return False, "Fix the settings above first (the page shows what is wrong)."
    if res.steps < 10:
        return False, f"Use a sequence of at least 10 steps (it has {res.steps})."
    share = float(abs(res.running[0]))
    if np.isfinite(share) and share > 1:
        return True, (f"Yes: step 1 receives {short(share)} times the last step's error — the gradient grew on "
                      f"its way back through {res.steps - 1} steps.")
    return False, (f"Not yet: only {short(share)} of it reaches step 1. Each step multiplies by w_rec·act′(a): "
                   "how large must |w_rec| be, and which activation never has a slope below 1?")


TASKS = (
    Task("bptt-reach", "Predict: how much reaches step 1?",
         "With w_rec = 0.5 (impulse, T = 12, tanh, the rest as the page starts), how much of the last step's "
         "error — |∂h_T/∂h_1|, the metric beside the chain-rule chart — reaches step 1?",
         options=REACH_OPTIONS, answer=2, explain=_explain_reach),  # tests: reach_option(reached(0.5)) == 2
    Task("bptt-zero-shares", "Predict: which steps add nothing to ∂L/∂w_rec?",
         "With the page's starting settings (an impulse, loss on the last step), which steps' shares of "
         "∂L/∂w_rec — the bars of section 3 — are exactly 0?",
         options=("none: every step uses the weight", "the steps up to and including the impulse",
                  "the steps after the impulse", "only the last step"),
         answer=1, explain=_explain_zeros),
    Task("bptt-grow", "Make it happen: a gradient that grows on its way back",
         "With a sequence of at least 10 steps, find settings where step 1 receives **more** of the last step's "
         "error than the last step itself (|∂h_T/∂h_1| > 1).", check=_check_grow, table=SETTINGS),
)
