"""The /unrolled lesson's controls, each described once (see lessons/kit/settings.py)."""

from __future__ import annotations

from lessons.kit.settings import ACTIVATION_LABELS, Setting, Try
from lessons.kit.typed import MAX_ABS, MAX_TYPED, parse_numbers
from lessons.unrolled.recipe import MAX_HIDDEN, MAX_STEPS, UnrolledConfig, event_step

D = UnrolledConfig()
# Shown in the menu and written into the URL (a bound select box stores the label), so keep them short.
SEQUENCE_LABELS = {"impulse": "Impulse", "step": "Step", "sine": "Sine wave", "random walk": "Random walk",
                   "typed": "Typed numbers"}

SETTINGS = {
    "sequence": Setting(
        "unrolled_seq", "Input sequence", D.sequence, "select", options=tuple(SEQUENCE_LABELS), labels=SEQUENCE_LABELS,
        help="**Impulse**: a single 1, then silence — what does the network remember?  \n"
             "**Step**: 0, then 1 for ever.  \n**Sine wave**: period 12 steps.  \n"
             "**Random walk**: a stock-like log price; the seed picks the path.  \n"
             "**Typed numbers**: your own sequence."),
    "values": Setting("unrolled_values", "Numbers (commas or spaces between them)", "0, 0, 1, 0, 0, 0, 0.5, -1, 0, 0",
                      "text", help=f"Up to {MAX_TYPED} numbers, each within ±{MAX_ABS}."),
    "length": Setting("unrolled_T", "Sequence length T", D.length, lo=1, hi=MAX_STEPS),
    "w_in": Setting("unrolled_win", "Input weight w_in", D.w_in, lo=-3.0, hi=3.0, step=0.05,
                    help="How strongly the new input x_t pushes the hidden state."),
    "w_rec": Setting("unrolled_w", "Recurrent weight w", D.w_rec, lo=-3.0, hi=3.0, step=0.05,
                     help="How much of the previous state h_{t−1} is carried into h_t."),
    "bias": Setting("unrolled_b", "Bias b", D.bias, lo=-2.0, hi=2.0, step=0.05),
    "activation": Setting("unrolled_act", "Activation", D.activation, "select", options=tuple(ACTIVATION_LABELS),
                          labels=ACTIVATION_LABELS),
    "hidden": Setting("unrolled_H", "Hidden size H", D.hidden, lo=1, hi=MAX_HIDDEN,
                      help="Number of hidden units. With H > 1 the scalar weights scale fixed random matrices."),
    "seed": Setting("unrolled_seed", "Seed", D.seed, "number", lo=0, hi=9999,
                    help="Picks the random walk and, for H > 1, the fixed weight shapes."),
    # The step-through: which step every picture highlights, and how the network is drawn.
    "t": Setting("unrolled_t", "Step t", 1, lo=1, hi=MAX_STEPS,
                 help="Highlights one step in every picture and writes its update with the real numbers."),
    "view": Setting("unrolled_view", "View", "Unrolled", "segmented", options=("Unrolled", "Rolled")),
}


# "Try this" links under the lesson. Their tips are claims: tests/claims/test_unrolled.py checks each one.
TRIES = (
    Try("Fading memory", ":material/water_drop:", "w = 0.5: the echo halves each step", {"w_rec": 0.5, "length": 20}),
    Try("Exploding memory", ":material/local_fire_department:", "w = 1.5, identity: the echo grows 1.5× each step",
        {"w_rec": 1.5, "activation": "identity", "length": 30}),
    Try("Flipping sign", ":material/swap_vert:", "w = −0.9: the echo alternates in sign",
        {"w_rec": -0.9, "length": 20}),
    Try("Eight units", ":material/grid_view:", "H = 8 hidden units reading a random walk",
        {"hidden": 8, "sequence": "random walk", "length": 60}),
)


def config(values: dict) -> UnrolledConfig:
    """The network the controls describe. ``values``: name -> widget value, for the names of ``SETTINGS``
    that describe the network (the step and the view only choose what is shown). Raises ValueError on typed
    numbers that do not parse."""
    typed = parse_numbers(values.get("values", "")) if values["sequence"] == "typed" else ()
    # Typed numbers set their own length: the (disabled) length slider's value must not make a second config
    # for the same run, nor reach code that reads the length from the config.
    return UnrolledConfig(sequence=values["sequence"], length=len(typed) or int(values["length"]),
                          w_in=values["w_in"], w_rec=values["w_rec"], bias=values["bias"],
                          activation=values["activation"], hidden=int(values["hidden"]), seed=int(values["seed"]),
                          values=typed)


def first_step(T: int) -> int:
    """Where the step slider starts: two steps after the impulse, so the echo is already under way."""
    return min(T, event_step(T) + 2)
