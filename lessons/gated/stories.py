"""The sentences of /lstm, /gru and /bidirectional that depend on a run, written from that run.

Every number comes from the recipes (``recipe.pulse_fate``, ``RememberRun``, ``recipe.reset_form_view``,
``bidirectional_recipe.readout``); every statement is checked against the engine in tests/claims/test_lstm.py,
test_gru.py and test_bidirectional.py. Pure Python (no Streamlit): Markdown strings for the pages.
"""

from __future__ import annotations

from lessons.gated.recipe import FADED, PulseFate, RememberRun
from lessons.kit.numbers import num

PULSE_PATTERNS = ("pulse", "pulse + noise")
GROWN = 1.5  # "grows": the memory at T is more than 1.5× what the pulse wrote
KEEPS = 0.9  # a forget gate around this or higher: "hardly anything is forgotten"
EMPTY = 0.05  # a GRU whose |h| never reaches this looks empty on the −1..1 colour scale
CLEAR_GAP = 0.05  # the reset forms differ "visibly" from here on (5 % of h's range of ±1)
TINY_GAP = 0.01


def share(value: float) -> str:
    """A share 0..1 as a percentage that never rounds a non-zero share to "0 %" or a partial one to "100 %"."""
    p = 100 * value
    if p == 0 or p >= 99.95:
        return f"{p:.0f} %" if p == 0 or p == 100 else "99.9 %"
    if p < 0.1:
        return "less than 0.1 %"
    return f"{p:.1f} %" if p < 10 or p >= 90 else f"{p:.0f} %"


FADES = 0.1  # the farthest input counts less than a tenth of the nearest: "fades with distance"


def power(value: float) -> str:
    """A size or a small power like f^135, readably, to three significant digits: 0.485, 0.0256, 12.3, 4.4e−8
    (never 0.000 for a non-zero value)."""
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 0.01:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}".replace("-", "−")


def tex_power(value: float) -> str:
    """``power`` for LaTeX: 4.4\\times10^{-8}."""
    text = power(value).replace("−", "-")
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times 10^{{{exponent}}}"
    return text


# -- /lstm ----------------------------------------------------------------------------------------------------
BELT_GENERAL = ("**c — the cell state (long-term memory).** Nothing squashes it: it is only scaled by f and topped "
                "up by i·g, so it can keep a value for a long time.")


def belt_story(pattern: str, fate: PulseFate) -> str:
    """The heatmaps' bullet for the belt c: for a pulse, what became of it in this run."""
    if pattern not in PULSE_PATTERNS or fate.written == 0:
        return BELT_GENERAL
    start = f"{BELT_GENERAL} Follow the pulse along this row: it writes up to {power(fate.written)} at t = 1"
    if fate.steps == 1:
        return start + "."
    if fate.faded_at is not None:
        return (f"{start}, and from t = {fate.faded_at} on less than {FADED:.0%} of that is left: a forget gate "
                f"around {fate.keep_mean:.2f} empties the belt quickly. Raise b_f to keep it longer.")
    if fate.end <= GROWN * fate.written:
        return (f"{start}; at t = {fate.steps} the belt still holds up to {power(fate.end)}. The forget gate alone "
                f"(around {fate.keep_mean:.2f}) would have kept {power(fate.kept)} of the pulse; the rest the cell "
                f"wrote itself on the way, through i·g.")
    alone = f"The forget gate alone would have kept only {power(fate.kept)} of the pulse itself."
    if fate.keep_mean >= KEEPS:
        return (f"{start}, yet by t = {fate.steps} the belt holds up to {power(fate.end)}: with f around "
                f"{fate.keep_mean:.2f} hardly anything is forgotten, and this untrained cell keeps writing its own "
                f"candidate i·g on top (g reads h, which reads the belt), so the belt drifts away from the pulse. "
                f"{alone}")
    return (f"{start}, yet by t = {fate.steps} the belt holds up to {power(fate.end)}, more than the pulse wrote: "
            f"this untrained cell keeps writing its own candidate i·g (g reads h, which reads the belt), while a "
            f"forget gate around {fate.keep_mean:.2f} wipes what was there. {alone}")


def remember_story(res: RememberRun) -> str:
    """What the belt holds at the read step, split into what is left of the stored value and what leaked in."""
    left = res.forget_power
    head = f"Stored **{num(res.stored, 3)}** at step {res.write_step}; at step {res.read_step} the belt holds " \
           f"**{num(res.recalled, 3)}**."
    if left >= 0.001:
        body = (f"Of the stored value a share $f^{{{res.gap}}}$ = {power(left)} is left ({num(res.kept, 3)}, "
                f"{share(left)})")
    else:
        body = f"Of the stored value only $f^{{{res.gap}}}$ = {power(left)} is left: nothing you could read"
    leak = (f"; the other {num(res.leaked, 3)} is noise that got through the almost closed input gate."
            if abs(res.leaked) >= 0.0005 else ".")
    return f"{head} {body}{leak} {verdict(left)}"


def verdict(left: float) -> str:
    """How much of the stored value survives (``left`` = f^gap)."""
    return ("The value survives almost untouched." if left > 0.8 else
            "A good part of it survives." if left > 0.3 else
            "Most of it is forgotten: push b_f higher." if left > 0.02 else
            "It is gone: the belt forgot.")


# -- /gru ------------------------------------------------------------------------------------------------------
H_GENERAL = "**h — the state.** The GRU has no separate cell state: h is both the memory and the output."


def gru_state_story(pattern: str, fate: PulseFate, update_bias: float, peak: float) -> str:
    """The heatmaps' bullet for h: why the row may look empty, and for a pulse how long it lingers."""
    parts = [H_GENERAL]
    if peak < EMPTY:
        parts.append(f"Here the row looks empty: the update gate keeps about {share(fate.keep_mean)} of the past at "
                     f"every step ($b_z$ = {update_bias:g}), and the past starts at $h_0 = 0$, so only $1 - z$ of each "
                     f"candidate gets in and $|h|$ never exceeds {power(peak)}. A unit that keeps everything takes in "
                     f"nothing new: lower $b_z$ to let the input in.")
    if pattern in PULSE_PATTERNS and fate.written > 0 and fate.steps > 1:
        if fate.faded_at is not None:
            parts.append(f"The pulse enters h at t = 1 (up to {power(fate.written)}) and from t = {fate.faded_at} "
                         f"on less than {FADED:.0%} of it is left.")
        else:
            parts.append(f"The pulse enters h at t = 1 (up to {power(fate.written)}); at t = {fate.steps} h still "
                         f"holds up to {power(fate.end)}.")
    return " ".join(parts)


def reset_form_story(gap: float) -> str:
    """How much the reset form changes h for these weights."""
    if gap < TINY_GAP:
        size = ("far too little to see in the heatmaps: for this freshly initialised cell the two forms barely "
                "differ (the chart below magnifies the difference)")
    elif gap < CLEAR_GAP:
        size = "a small difference, hard to see in the heatmaps but clear in the chart below"
    else:
        size = "enough to see in the heatmaps when you switch form, and in the chart below"
    return (f"With the weights above, switching form changes h by at most **{power(gap)}** over this sequence: "
            f"{size}. The forms differ only where r differs from unit to unit, or through the recurrent bias "
            "$b_{hn}$ (0 here): with every $r$ equal, $r \\odot (W_{hn} h) = W_{hn} (r \\odot h)$.")


# -- /bidirectional -------------------------------------------------------------------------------------------
def r2_text(value: float) -> str:
    """An R² for a sentence: "≈ 0" below 0.005 (also when a little negative), else two decimals."""
    return "≈ 0" if value < 0.005 else f"{value:.2f}"


STRONG, WEAK = 0.5, 0.2  # R² from which a state "holds" the target, and below which it "keeps little of it"


def _holds(name: str, r2: float, hidden: int) -> str:
    if r2 >= STRONG:
        return f"The {name} state has read it and holds it: R² = {r2_text(r2)}."
    if r2 >= WEAK:
        return (f"The {name} state has read it, but with H = {hidden} units it keeps only part of it: "
                f"R² = {r2_text(r2)}.")
    return (f"The {name} state has read it, yet with H = {hidden} units and this input scale it keeps little of "
            f"it (R² = {r2_text(r2)}): the gap between the directions is small here. Add units to widen it.")


HALVES = {"next": ("backward", "forward"), "previous": ("forward", "backward")}  # (sees the target, cannot)
HELPS = 0.1  # "clearly more": both halves together beat the better half alone by at least this much R²


def readout_story(task: str, r2: dict[str, float], hidden: int) -> str:
    """The bullets beside the readout chart, for the chosen task, from its R² scores."""
    f, b, both = r2["forward"], r2["backward"], r2["both"]
    if task in HALVES:
        sees, blind = HALVES[task]
        target = "$x_{t+1}$" if task == "next" else "$x_{t-1}$"
        what = "the next input" if task == "next" else "the previous input"
        return (f"- To output **{what}**, the {blind} state is useless (R² {r2_text(r2[blind])}): it has not read "
                f"{target} yet. {_holds(sees, r2[sees], hidden)}\n- {_together(both, r2[sees], sees, blind)}")
    head = (f"- **Both neighbours** need both directions: the forward state alone scores R² {r2_text(f)}, the "
            f"backward state alone {r2_text(b)}, both together {r2_text(both)}")
    if both >= 0.7 and min(f, b) >= 0.3 and max(f, b) <= 0.6:
        return head + ": each half alone explains about half of the target."
    if both >= max(f, b) + HELPS:
        return head + ": together they see far more than either half alone."
    return head + f": with H = {hidden} units neither direction keeps its neighbour well."


def _together(both: float, seeing: float, sees: str, blind: str) -> str:
    if both >= seeing + HELPS:
        return (f"Both halves together score {r2_text(both)}, clearly more than the {sees} half alone: the {blind} "
                f"half cannot see the target, yet it helps a linear readout pick it out of the {sees} half's state.")
    return (f"Both halves together score {r2_text(both)}, about what the {sees} half scores alone: the {blind} half "
            f"adds little here.")
