"""The controls of /lstm, /gru and /bidirectional, each described once (see lessons/kit/settings.py), and the
tables that turn their values into the recipes' configs.

The input-sequence and target choices hold their *shown labels* as option values (today's URLs carry them,
e.g. ``lstm_pattern=early pulse``); ``SEQUENCE_PATTERNS`` etc. map a label to the recipe's name.
"""

from __future__ import annotations

from dataclasses import fields
from types import SimpleNamespace

from lessons.gated.bidirectional_recipe import MAX_STEPS as BI_MAX_STEPS
from lessons.gated.bidirectional_recipe import BiConfig, ReadoutConfig
from lessons.gated.recipe import MAX_STEPS, GRUConfig, LSTMConfig, RememberConfig
from lessons.kit.settings import Setting, Try
from lessons.kit.typed import parse_numbers

# Input patterns of the LSTM and GRU pages: shown label (also what the URL holds) -> the recipe's pattern name.
SEQUENCE_PATTERNS = {
    "early pulse": "pulse",
    "pulse + noise": "pulse + noise",
    "step": "step",
    "sine wave": "sine",
    "noise": "noise",
    "my own numbers": "custom",
}
# The bidirectional page offers noise first (its default) and no pulse + noise.
BI_PATTERNS = {"noise": "noise", "early pulse": "pulse", "step": "step", "sine wave": "sine",
               "my own numbers": "custom"}
TASKS = {"the next input": "next", "the previous input": "previous", "both neighbours": "both"}
GRU_FORMS = ("PyTorch: reset after the matmul", "Cho et al. 2014: reset before the matmul")  # reset_after True, False
MEAN_OF_UNITS = "the mean over all units"
MAX_UNITS = 16  # the hidden-units slider's end on /lstm and /gru
STEP_LABEL = "Step t (where the slider inside the figure starts)"


def class_defaults(cls) -> SimpleNamespace:
    """A config class's defaults, read from the class: building an instance at import time would count as a
    config the page built (tests/lessons/test_url_compat.py records those)."""
    return SimpleNamespace(**{f.name: f.default for f in fields(cls)})


D_LSTM, D_GRU, D_REMEMBER = class_defaults(LSTMConfig), class_defaults(GRUConfig), class_defaults(RememberConfig)
D_BI, D_READOUT = class_defaults(BiConfig), class_defaults(ReadoutConfig)


def label_of(patterns: dict[str, str], name: str) -> str:
    """The shown label of a recipe's pattern (or task) name."""
    return next(label for label, value in patterns.items() if value == name)


def unit_options(hidden: int) -> tuple[str, ...]:
    """Whose numbers the cell diagram shows: "unit 1" .. "unit H", then the mean over all units."""
    return (*(f"unit {k + 1}" for k in range(hidden)), MEAN_OF_UNITS)


def unit_index(choice: str) -> int | None:
    """"unit 3" -> 2; the mean over all units -> None."""
    return None if choice == MEAN_OF_UNITS else int(choice.split()[1]) - 1


def _cell_settings(prefix: str, d: SimpleNamespace, *, gain_help: str,
                   pattern_help: str | None = None) -> dict[str, Setting]:
    """The controls the LSTM and GRU pages share: input, length, size, seed, input weight scale, step, unit."""
    return {
        "pattern": Setting(f"{prefix}_pattern", "Input sequence $x_t$", label_of(SEQUENCE_PATTERNS, d.pattern),
                           "select", options=tuple(SEQUENCE_PATTERNS), help=pattern_help),
        "values": Setting(f"{prefix}_numbers", "Numbers, separated by commas", "0, 1, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0",
                          "text"),
        "steps": Setting(f"{prefix}_T", "Sequence length T", d.steps, lo=5, hi=120),
        "hidden": Setting(f"{prefix}_H", "Hidden units H", d.hidden, lo=1, hi=MAX_UNITS),
        "seed": Setting(f"{prefix}_seed", "Seed (random weights)", d.seed, "number", lo=0, hi=9999),
        "gain": Setting(f"{prefix}_gain", "Input weight scale", d.gain, lo=0.5, hi=6.0, step=0.5, help=gain_help),
        # The step-through: which step every chart marks (1..T), and whose numbers the diagram prints.
        # Starts at t = 1, the early pulse; its end follows the sequence length (kit.widgets.step_slider).
        "t": Setting(f"{prefix}_t", STEP_LABEL, 1, lo=1, hi=MAX_STEPS),
        "unit": Setting(f"{prefix}_unit", "Numbers in the diagram for", "unit 1", "select",
                        options=unit_options(MAX_UNITS)),
    }


LSTM_SETTINGS = {
    **_cell_settings("lstm", D_LSTM,
                     gain_help="Multiplies the random input weights. PyTorch draws them from U(−1/√H, 1/√H), which "
                               "with one input leaves every gate near 0.5; scaled up, the gates react clearly.",
                     pattern_help="The early pulse is a single 1 at t = 1, the first input, followed by silence: "
                                  "can the cell still remember it many steps later?"),
    "forget_bias": Setting("lstm_bf", "Forget-gate bias b_f", D_LSTM.forget_bias, lo=-4.0, hi=6.0, step=0.5,
                           help="With nothing else going on, the forget gate sits at σ(b_f)."),
    "peephole": Setting("lstm_peep", "Peephole connections", D_LSTM.peephole, "toggle",
                        help="An extension (Gers & Schmidhuber 2000) that PyTorch's nn.LSTM does not have: "
                             "the gates also look at the cell state."),
    # The remember demo: one hand-wired unit.
    "keep_bias": Setting("lstm_keep_bf", "Forget-gate bias of this unit", D_REMEMBER.forget_bias, lo=-2.0, hi=8.0,
                         step=0.5),
    "gap": Setting("lstm_gap", "Steps to remember", D_REMEMBER.gap, lo=5, hi=150, step=5),
}

GRU_SETTINGS = {
    **_cell_settings("gru", D_GRU, gain_help="Multiplies the random input weights (PyTorch's init alone leaves "
                                             "the gates near 0.5)."),
    "update_bias": Setting("gru_bz", "Update-gate bias b_z", D_GRU.update_bias, lo=-4.0, hi=6.0, step=0.5,
                           help="With nothing else going on, the update gate sits at σ(b_z): the share of the past "
                                "each unit keeps."),
    "form": Setting("gru_form", "Reset gate form", GRU_FORMS[0 if D_GRU.reset_after else 1], "radio",
                    options=GRU_FORMS),
    "input_size": Setting("gru_D", "Input features D", 1, "number", lo=1, hi=4096,
                          help="The cell above reads one number per step (D = 1); try a word embedding, e.g. 300."),
}

BI_SETTINGS = {
    "pattern": Setting("bidir_pattern", "Input sequence $x_t$", label_of(BI_PATTERNS, D_BI.pattern), "select",
                       options=tuple(BI_PATTERNS)),
    "values": Setting("bidir_numbers", "Numbers, separated by commas", "0, 0, 1, 0, 0, 0, -1, 0, 0, 0", "text"),
    "steps": Setting("bidir_T", "Sequence length T", D_BI.steps, lo=5, hi=BI_MAX_STEPS),
    "hidden": Setting("bidir_H", "Hidden units per direction H", D_BI.hidden, lo=1, hi=8),
    "seed": Setting("bidir_seed", "Seed (random weights)", D_BI.seed, "number", lo=0, hi=9999),
    "gain": Setting("bidir_gain", "Input weight scale", D_BI.gain, lo=0.5, hi=4.0, step=0.5,
                    help="Multiplies the random input weights of both directions (1 = PyTorch's init)."),
    # Starts in the middle of the sequence (see first_bi_step), so both directions have read something.
    "t": Setting("bidir_t", STEP_LABEL, D_BI.steps // 2, lo=1,
                 hi=BI_MAX_STEPS),
    "task": Setting("bidir_task", "Target at each step", label_of(TASKS, D_READOUT.task), "radio",
                    options=tuple(TASKS)),
}


# "Try this" links under the lessons. Their tips are claims: tests/claims/test_lstm.py and test_gru.py check them.
LSTM_TRIES = (
    Try("Quick forgetting", ":material/water_drop:", "b_f = −2: f ≈ 0.1, the pulse leaves the belt within a few "
        "steps", {"forget_bias": -2.0}),
    Try("Nothing fades", ":material/all_inclusive:", "b_f = 5, T = 97: f ≈ 0.99 forgets almost nothing, and the "
        "untrained cell's own writes make the belt drift far beyond the pulse", {"forget_bias": 5.0, "steps": 97}),
)
GRU_TRIES = (
    Try("Keep everything", ":material/lock:", "b_z = 5: z ≈ 0.99 keeps h_0 = 0, so the state row stays empty",
        {"update_bias": 5.0}),
    Try("Forms apart", ":material/call_split:", "noise input, b_z = −2, input scale 6: the two reset forms part "
        "visibly", {"pattern": "noise", "update_bias": -2.0, "gain": 6.0}),
)
# Checked by tests/claims/test_bidirectional.py (test_the_try_links_hold).
BI_TRIES = (
    Try("Look back", ":material/undo:", "target: the previous input — now the forward half carries it "
        "(R² above 0.8) and the backward half scores about 0", {"task": "the previous input"}),
    Try("Both neighbours", ":material/swap_horiz:", "target: both neighbours, x(t−1) + x(t+1) — each half explains "
        "only about half of it (R² 0.4–0.5); both together predict it well (R² above 0.8)",
        {"task": "both neighbours"}),
)


def _sequence(values: dict, patterns: dict[str, str]) -> tuple[str, tuple[float, ...]]:
    """(the recipe's pattern name, the typed numbers or ()). Raises ValueError on numbers that do not parse."""
    pattern = patterns[values["pattern"]]
    return pattern, parse_numbers(values.get("values", "")) if pattern == "custom" else ()


def lstm_config(values: dict) -> LSTMConfig:
    """The LSTM the controls describe. ``values``: name -> widget value for the names of ``LSTM_SETTINGS``
    that describe the cell (the step, the unit and the remember demo's controls are not needed)."""
    pattern, typed = _sequence(values, SEQUENCE_PATTERNS)
    return LSTMConfig(pattern=pattern, steps=values["steps"], hidden=values["hidden"], seed=int(values["seed"]),
                      forget_bias=values["forget_bias"], peephole=values["peephole"], gain=values["gain"],
                      values=typed)


def remember_config(values: dict, forget_bias: float | None = None) -> RememberConfig:
    """The remember demo's unit; ``forget_bias`` overrides the slider (the faint comparison belts)."""
    bias = values["keep_bias"] if forget_bias is None else forget_bias
    return RememberConfig(forget_bias=bias, gap=values["gap"])


def gru_config(values: dict) -> GRUConfig:
    """The GRU the controls describe (``values`` as for ``lstm_config``, names of ``GRU_SETTINGS``)."""
    pattern, typed = _sequence(values, SEQUENCE_PATTERNS)
    return GRUConfig(pattern=pattern, steps=values["steps"], hidden=values["hidden"], seed=int(values["seed"]),
                     update_bias=values["update_bias"], reset_after=values["form"] == GRU_FORMS[0],
                     gain=values["gain"], values=typed)


def bi_config(values: dict) -> BiConfig:
    """The bidirectional LSTM the controls describe (names of ``BI_SETTINGS``)."""
    pattern, typed = _sequence(values, BI_PATTERNS)
    return BiConfig(pattern=pattern, steps=values["steps"], hidden=values["hidden"], seed=int(values["seed"]),
                    gain=values["gain"], values=typed)


def readout_config(values: dict) -> ReadoutConfig:
    """The future-task readout: the chosen target, on LSTMs with the cell's size, seed and input scale."""
    return ReadoutConfig(task=TASKS[values["task"]], hidden=values["hidden"], seed=int(values["seed"]),
                         gain=values["gain"])


def first_bi_step(T: int) -> int:
    """Where the bidirectional step slider (1..T) starts: the middle of the sequence (at least step 1)."""
    return max(1, T // 2)
