"""Check yourself on /unrolled (see lessons/kit/tasks.py). Every answer and explanation comes from the engine."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lessons.kit.numbers import num, pct
from lessons.kit.tasks import Task, run_on
from lessons.unrolled import recipe
from lessons.unrolled.settings import SETTINGS, config


def _run(**kw) -> recipe.UnrolledRun:
    base = {name: s.default for name, s in SETTINGS.items()}
    return recipe.run_unrolled(config({**base, **kw}))


def echo_left(w: float, steps: int) -> float:
    """The share of the impulse's echo left ``steps`` steps after it, with the lesson's tanh network."""
    run = _run(w_rec=w, length=40)
    k = recipe.event_step(40)
    return float(abs(run.h[k + steps, 0] / run.h[k, 0]))


def _explain_half() -> str:
    left = echo_left(0.5, 5)
    return (f"The engine says **{pct(left)}** is left after 5 steps (0.5⁵ = 3.1 %): each step keeps about half. "
            "Near 0, tanh is almost a straight line, so w alone sets the factor.")


def _explain_sign() -> str:
    lows = {act: float(_run(activation=act, w_rec=-0.9, w_in=-1.0, length=20).h.min())
            for act in ("tanh", "identity", "sigmoid", "elu")}
    shown = ", ".join(f"{act} {num(low)}" for act, low in lows.items())
    return (f"The lowest h over 20 steps with w = −0.9 and a negative input: {shown}. The sigmoid's output lies "
            "between 0 and 1, so its state can never be negative.")


def _current(values: Mapping[str, object]) -> recipe.UnrolledRun | None:
    return run_on(values, lambda v: recipe.run_unrolled(config(v)))


def _check_grow(values: Mapping[str, object]) -> tuple[bool, str]:
    run = _current(values)
    if run is None or run.config.sequence != "impulse" or run.hidden != 1:
        return False, "Use the impulse input and one hidden unit, then try again."
    k = recipe.event_step(run.steps)
    if run.steps < k + 11:
        return False, "Make the sequence long enough to see 10 steps after the impulse (T ≥ 14)."
    start, later = abs(run.h[k, 0]), abs(run.h[k + 10, 0])
    if np.isfinite(later) and later > start:
        return True, f"Yes: |h| went from {num(start)} to {num(later)} in 10 steps — the echo explodes."
    return False, (f"Not yet: 10 steps after the impulse |h| is {num(later)}, down from {num(start)}. "
                   "What must |w| be for the echo to grow — and which activation does not squash it?")


def _check_flip(values: Mapping[str, object]) -> tuple[bool, str]:
    run = _current(values)
    if run is None or run.config.sequence != "impulse" or run.hidden != 1:
        return False, "Use the impulse input and one hidden unit, then try again."
    b = recipe.behaviour(run)
    if b.flips:
        return True, "Yes: after the impulse the state changes sign at every step."
    return False, "Not yet: the state keeps its sign. What does a negative recurrent weight do to h_{t−1}?"


TASKS = (
    Task("unrolled-half", "Predict: how much is left after 5 steps?",
         "With the recurrent weight w = 0.5 (tanh, the other settings as they start), how much of the impulse's "
         "echo is left **5 steps** after it?",
         options=("about half", "about 10 %", "about 3 %", "less than 0.1 %"), answer=2, explain=_explain_half),
    Task("unrolled-never-negative", "Predict: which activation keeps h ≥ 0?",
         "One of these activations can never give a negative hidden state, whatever w and the input are. Which?",
         options=("tanh", "identity", "sigmoid", "ELU"), answer=2, explain=_explain_sign),
    Task("unrolled-explode", "Make it happen: an echo that grows",
         "With the **impulse** input and one hidden unit, find settings where |h| ten steps after the impulse is "
         "larger than right after it.", check=_check_grow, table=SETTINGS),
    Task("unrolled-flip", "Make it happen: a state that flips sign",
         "With the **impulse** input and one hidden unit, make the hidden state change sign at every step after "
         "the impulse.", check=_check_flip, table=SETTINGS),
)
