"""The /bptt lesson's controls, each described once (see lessons/kit/settings.py)."""

from __future__ import annotations

from lessons.bptt.recipe import MAX_LENGTH, SEQUENCES, WINDOW, BPTTConfig
from lessons.kit.settings import ACTIVATION_LABELS, Setting, Try
from lessons.kit.typed import MAX_ABS, parse_numbers

# The defaults are read from the class, not from an instance: building a config at import time would look
# like a page building one (tests/lessons/test_url_compat.py records every config a page builds).
D = BPTTConfig
# Shown in the menu and written into the URL (a bound select box stores the label), so they never change.
SEQUENCE_LABELS = {"step": "step", "impulse": "impulse", "sine": "sine", "random walk": "random walk",
                   "typed": "typed numbers"}

SETTINGS = {
    "sequence": Setting("bptt_seq", "Input sequence", D.sequence, "select", options=SEQUENCES,
                        labels=SEQUENCE_LABELS),
    "values": Setting("bptt_numbers", "Numbers (comma separated)", "0, 1, 0, 0, 0, 0, 0, 0", "text",
                      help=f"Up to {MAX_LENGTH} numbers within ±{MAX_ABS}."),
    "length": Setting("bptt_T", "Sequence length T", D.length, lo=1, hi=MAX_LENGTH),
    "w_rec": Setting("bptt_w_rec", "Recurrent weight w_rec", D.w_rec, lo=-2.0, hi=2.0, step=0.05,
                     help="The weight on the arrow h_{t-1} → h_t, shared by every step."),
    "w_in": Setting("bptt_w_in", "Input weight w_in", D.w_in, lo=-2.0, hi=2.0, step=0.05),
    "activation": Setting("bptt_act", "Activation", D.activation, "select", options=tuple(ACTIVATION_LABELS),
                          labels=ACTIVATION_LABELS),
    "bias": Setting("bptt_b", "Bias b", D.bias, lo=-1.0, hi=1.0, step=0.05),
    "every": Setting("bptt_every", "Loss at every step", D.loss == "every", "toggle",
                     help="Off: only the last output is compared with the target. On: every output is."),
    "target": Setting("bptt_y", "Target y", D.target, lo=-1.0, hi=1.0, step=0.05),
    # The step the backward film starts at: scrubbed inside the figure (no widget), its range follows T; a link
    # sets it and the film writes it back (kit.scrub link_key). The key is the old step slider's: old links work.
    "step": Setting("bptt_step", "Backward pass: the step t the gradient has reached", D.length, lo=1, hi=MAX_LENGTH,
                    help="Where the slider under the chain starts: the gradient has walked back from the loss to "
                         "step t."),
    # The truncation window: its range follows T (kit.widgets.step_slider).
    "k": Setting("bptt_k", "Truncation window k (steps each loss may flow back)", WINDOW, lo=1, hi=MAX_LENGTH),
}

# "Try this" links under the lesson. Their tips are claims: tests/claims/test_bptt.py checks each one.
TRIES = (
    Try("Fading error", ":material/water_drop:", "w_rec = 0.5, T = 20: less than a millionth of the last step's "
        "error reaches step 1", {"w_rec": 0.5, "length": 20}),
    Try("Growing error", ":material/local_fire_department:", "w_rec = 1.5, identity, T = 30: step 1 gets 1.5²⁹ ≈ "
        "128 000 times the last step's error", {"w_rec": 1.5, "activation": "identity", "length": 30}),
    Try("Exact truncation", ":material/content_cut:", "k = 9: the impulse comes at step 3, and truncation drops "
        "only shares that are exactly 0", {"k": 9}),
    Try("A loss at every step", ":material/stacked_line_chart:", "every step's own loss pushes on its state",
        {"every": True}),
)


def config(values: dict) -> BPTTConfig:
    """The network and loss the controls describe. ``values``: name -> widget value for the names of
    ``SETTINGS`` above "step" ("length" is not needed for typed numbers, "values" only for them).
    Raises ValueError on typed numbers that do not parse."""
    typed = values["sequence"] == "typed"
    numbers = parse_numbers(values["values"]) if typed else ()
    return BPTTConfig(sequence=values["sequence"], length=len(numbers) if typed else int(values["length"]),
                      w_in=values["w_in"], w_rec=values["w_rec"], bias=values["bias"],
                      activation=values["activation"], loss="every" if values["every"] else "last",
                      target=values["target"], values=numbers)
