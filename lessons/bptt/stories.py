"""The sentences of /bptt that state an outcome, written from the run they describe.

Every number in them comes from the recipe's results; every general statement is checked against the engine in
tests/claims/test_bptt.py. Pure Python (no Streamlit): Markdown strings for the page.
"""

from __future__ import annotations

import math

from lessons.bptt.recipe import BPTTResult, Truncation
from lessons.kit.numbers import compact, short

CHAIN_BOUND = ("Every activation offered here has $|\\mathrm{act}'| \\le 1$ (the sigmoid even $\\le \\tfrac14$), "
               "so the product can never exceed $|w_{rec}|^{T-t}$ (dashed): the activation can only shrink the "
               "signal further.")
TRUNCATION_GENERAL = ("Every share the window drops lies $k$ or more steps before its loss, so it crossed at least "
                      "$k$ factors on its way back. With $k \\ge T$ nothing is dropped and the result is exactly full "
                      "BPTT.")
NEARLY_EXACT = 0.01  # relative errors below this are "nearly exact"
MATTERS = 0.1  # from this relative error on, "the dropped shares matter"


def relative_error_text(err: float) -> str:
    """The truncation's relative error as the page shows it: "exact (0)", a percentage, or 1.2e-05."""
    if math.isinf(err):
        return "∞ (the full gradient is 0)"
    return "exact (0)" if err == 0 else (f"{100 * err:.3g} %" if err >= 1e-4 else f"{err:.1e}")


def sum_sentence(res: BPTTResult) -> str:
    """Where the waterfall ends: on the total exactly, or up to rounding in the last digits."""
    diff = abs(res.contributions_sum - res.total)
    if diff == 0:
        return ("Each bar starts where the previous one ended; the last one lands exactly on the green total "
                "that `backward` computed in one pass.")
    return ("Each bar starts where the previous one ended; the last one lands on the green total that `backward` "
            f"computed in one pass — up to floating-point rounding in the last digits (they differ by "
            f"{short(diff, 2)}, adding the same numbers in another order).")


def truncation_sentence(tr: Truncation, steps: int) -> str:
    """What the window of k steps did to this run's gradient, and why, in one or two sentences."""
    k = tr.k
    if k >= steps:
        return f"Here $k = {k} \\ge T = {steps}$: nothing is dropped, the gradient is exact."
    if tr.drops_nothing:
        return (f"Every share the window of {k} drops is exactly 0 in this run, so the truncated gradient is "
                f"exact anyway.")
    m = tr.largest_factor
    if m < 1:
        why = (f"Here no factor is larger than {compact(m)} in size, so the signal behind every dropped share had "
               f"shrunk to at most ${compact(m)}^{{{k}}} = {compact(tr.shrink)}$ of its size at its loss")
    else:
        why = (f"Here factors reach {compact(m)} in size, so crossing {k} of them need not shrink anything "
               f"(${compact(m)}^{{{k}}} = {compact(tr.shrink)}$)")
    return f"{why}; {_verdict(tr)}"


def _verdict(tr: Truncation) -> str:
    err = tr.rel_error
    if math.isinf(err):
        return "the full gradient is exactly 0 here, the truncated one is not."
    text = f"the truncated gradient is off by {relative_error_text(err)}"
    if err < NEARLY_EXACT:
        return text + ": nearly exact."
    if err < MATTERS:
        return text + "."
    if tr.largest_factor < 1 and tr.shrink < MATTERS:
        return (text + ": the dropped shares matter. Shrunk as they are, they are a large part of this gradient: "
                "what the window keeps is small too.")
    return text + ": the dropped shares matter."
