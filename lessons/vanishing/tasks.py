"""Check yourself on /vanishing-gradients (see lessons/kit/tasks.py). Every answer and explanation comes from the
engine."""

from __future__ import annotations

import numpy as np

from lessons.kit.numbers import short
from lessons.kit.tasks import Task, reading
from lessons.vanishing import recipe, stories
from lessons.vanishing.settings import CHAIN, SETTINGS, chain_config

OVERFLOW_OPTIONS = (50, 128, 1000)  # "after about k steps"; the last answer is "never"
SIGMOID_WS = (1.0, 2.0, 3.0)  # the answers to "which w keeps the sigmoid's gradient alive" (3 is the slider's end)
ALIVE = 1e-6  # "keeps the gradient from vanishing": at least a millionth reaches h₀


def _run(**kw) -> recipe.ChainResult:
    base = {name: SETTINGS[name].default for name in CHAIN}
    return recipe.run_chain(chain_config({**base, **kw}))


def overflow_run() -> recipe.ChainResult:
    return _run(w=2.0, activation="identity", length=200, f32=True)


def overflow_option(res: recipe.ChainResult) -> int:
    """The option closest to where the gradient overflowed (the last one, "never", when it did not)."""
    if res.overflow_distance is None:
        return len(OVERFLOW_OPTIONS)
    return int(np.argmin([abs(np.log(k / res.overflow_distance)) for k in OVERFLOW_OPTIONS]))


def _explain_overflow() -> str:
    res, wide = overflow_run(), _run(w=2.0, activation="identity", length=200, f32=False)
    largest = float(np.finfo(np.float32).max)
    return (f"The engine: it overflows at **k = {res.overflow_distance}**. With the identity each step back doubles "
            f"it, so after k steps it is 2^k, and float32's largest number is {short(largest, 2)} ≈ "
            f"2^{np.log2(largest):.0f}. In float64 (up to about 2^1024) the same 200 steps "
            f"{'stay finite' if wide.overflow_distance is None else 'overflow too'}.")


def sigmoid_reach() -> dict[float, float]:
    """|∂L/∂h₀| with the sigmoid for each w of SIGMOID_WS (the page's other settings)."""
    return {w: float(_run(w=w, activation="sigmoid").grad[-1]) for w in SIGMOID_WS}


def sigmoid_answer() -> int:
    alive = [k for k, g in enumerate(sigmoid_reach().values()) if g >= ALIVE]
    return alive[0] if alive else len(SIGMOID_WS)


def _explain_sigmoid() -> str:
    T = SETTINGS["length"].default
    reach = ", ".join(f"w = {w:g}: {short(g, 2)}" for w, g in sigmoid_reach().items())
    return (f"What reaches h₀ after {T} steps — {reach}. σ′ is at most ¼, so one step back multiplies the gradient "
            f"by at most w/4: even w = 3 gives 0.75^{T} = {short(0.75 ** T, 2)} in the best case. On the slider's "
            "range the sigmoid always vanishes.")


def _chain(values: dict) -> tuple[recipe.ChainConfig, recipe.ChainResult]:
    cfg = chain_config(values)
    return cfg, recipe.run_chain(cfg)


@reading(_chain, unreadable="Fix the settings above first (the page shows what is wrong).")
def _check_zero(chain: tuple[recipe.ChainConfig, recipe.ChainResult]) -> tuple[bool, str]:
    cfg, res = chain
    if cfg.w == 0:
        return False, "w = 0 is too easy: nothing flows back at all. Keep w above 0."
    if res.zero_distance is not None:
        fmt = "float32" if cfg.precision == "float32" else "float64"
        return True, f"Yes: from k = {res.zero_distance} the gradient is exactly 0. {stories.zero_reason(res, fmt)}"
    return False, (f"Not yet: the smallest gradient is {short(np.nanmin(res.grad), 2)}, tiny perhaps, but not 0. "
                   "Which activation has a slope of exactly 0 somewhere — or how small can a float32 get?")


TASKS = (
    Task("vanishing-overflow", "Predict: when does float32 give up?",
         "With the identity, w = 2 and T = 200 computed in **float32**, how many steps back from the loss does the "
         "gradient overflow?",
         options=(*(f"after about {k} steps" for k in OVERFLOW_OPTIONS), "never: it stays finite"),
         answer=1, explain=_explain_overflow),  # tests: overflow_option(overflow_run()) == 1
    Task("vanishing-sigmoid", "Predict: can a large w save the sigmoid?",
         f"With the sigmoid and T = {SETTINGS['length'].default} (the rest as the page starts), which recurrent "
         f"weight lets at least a millionth of the gradient reach h₀?",
         options=(*(f"w = {w:g}" for w in SIGMOID_WS), "none of them"), answer=3,  # tests: == sigmoid_answer()
         explain=_explain_sigmoid),
    Task("vanishing-exact-zero", "Make it happen: a gradient of exactly 0",
         "With a recurrent weight **above 0**, make the gradient reaching some earlier step exactly 0 (not just "
         "small): the chart marks it on its bottom edge.", check=_check_zero, table=SETTINGS),
)
