"""Every control of a lesson described once: URL key, label, range, default, help.

A lesson's ``settings.py`` lists its controls as ``Setting`` rows; ``kit.widgets.draw`` turns a row into a
Streamlit widget bound to the URL, and the lesson's ``config(values)`` turns the widgets' values into the frozen
config its recipe takes. Defaults come from the recipe's config dataclass (``default=D.w_rec``), so the page
and the recipe cannot disagree about where a lesson starts.

Pure Python (no Streamlit): tests read the tables without running a page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

# The widget kinds kit.widgets can draw. Choices keep their option values in the config; what a choice
# shows (and what a bound choice writes into the URL) is ``Setting.text(value)``.
# Names every lesson shows for the engine's activations and cells. A bound choice writes these into the URL,
# so they never change.
ACTIVATION_LABELS = {"tanh": "tanh", "sigmoid": "sigmoid", "relu": "ReLU", "leaky_relu": "leaky ReLU",
                     "elu": "ELU", "identity": "identity"}
CELL_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}

KINDS = ("slider", "number", "select", "radio", "segmented", "select_slider", "toggle", "text")
CHOICES = ("select", "radio", "segmented", "select_slider")


@dataclass(frozen=True)
class Setting:
    """One control.

    key: the widget key and URL parameter, prefixed by the page (``unrolled_w``); never rename it — old
        classroom links carry it.
    label, help: what the student reads. default: the starting value, in the config's terms.
    kind: one of KINDS. lo, hi, step: a slider's or number box's range.
    options: a choice's values; labels: value -> shown text (a bound choice writes the shown text into the
        URL, so labels are short and never change).
    """

    key: str
    label: str
    default: object
    kind: str = "slider"
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    options: tuple = ()
    labels: Mapping = field(default_factory=dict)
    help: str | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: unknown widget kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        if self.kind in CHOICES and self.default not in self.options:
            raise ValueError(f"{self.key}: default {self.default!r} is not one of its options {self.options!r}")
        if self.kind in ("slider", "number") and not self.lo <= self.default <= self.hi:
            raise ValueError(f"{self.key}: default {self.default!r} is outside {self.lo}..{self.hi}")

    def text(self, value) -> str:
        """How a choice shows ``value``: its label, ``f"{v:g}"`` for a number, else ``str(value)``."""
        if value in self.labels:
            return self.labels[value]
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def link_text(self, value) -> str:
        """How ``value`` is written in a link: a choice's label, true/false, or the number as typed."""
        if self.kind in CHOICES:
            return self.text(value)
        if self.kind == "toggle":
            return "true" if value else "false"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def from_link(self, raw: str) -> object:
        """The value a link's text ``raw`` asks for, or ValueError saying why this control cannot show it.

        Choices are written into links as their shown text; numbers as numbers; toggles as true/false.
        """
        if self.kind in CHOICES:
            for option in self.options:
                if self.text(option) == raw:
                    return option
            raise ValueError(f"not one of the choices ({', '.join(self.text(o) for o in self.options)})")
        if self.kind == "toggle":
            if raw.lower() not in ("true", "false"):
                raise ValueError("expected true or false")
            return raw.lower() == "true"
        if self.kind == "text":
            return raw
        return self._number_from_link(raw)

    def _number_from_link(self, raw: str) -> float | int:
        whole = isinstance(self.default, int) and not isinstance(self.step, float)
        try:
            value = float(raw)
        except ValueError:
            raise ValueError("not a number") from None
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        if whole and value != int(value):
            raise ValueError("not a whole number")
        if not self.lo <= value <= self.hi:
            raise ValueError(f"outside {self.text(self.lo)} … {self.text(self.hi)}")
        return int(value) if whole else value

    def accepts(self, value) -> bool:
        """Whether ``value`` is one this control can show (a choice among its options; a number in range)."""
        if self.kind in CHOICES:
            return value in self.options
        if self.kind in ("slider", "number"):
            return isinstance(value, int | float) and not isinstance(value, bool) and self.lo <= value <= self.hi
        if self.kind == "toggle":
            return isinstance(value, bool)
        return isinstance(value, str)


@dataclass(frozen=True)
class Try:
    """A "Try this" link: a few control values (by setting name, in the config's terms) and what they show."""

    label: str
    icon: str
    tip: str
    values: Mapping[str, object]

    def query(self, table: Mapping[str, Setting]) -> dict[str, str]:
        """The link's query parameters."""
        return {table[name].key: table[name].link_text(value) for name, value in self.values.items()}


def defaults(table: Mapping[str, Setting]) -> dict[str, object]:
    """name -> default for every row of a settings table: the values a page starts from."""
    return {name: s.default for name, s in table.items()}
