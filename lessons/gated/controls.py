"""Streamlit controls the three gated-cell pages share: the box they open with (the input-sequence picker, with
its box of typed numbers, and the network's size, seed and gain) and the choice of whose numbers the cell diagram
prints, with the step a link asks for.

Page-side only (imports Streamlit); the controls themselves are described in lessons/gated/settings.py.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from lessons.gated.settings import unit_index, unit_options
from lessons.kit.layout import control_box
from lessons.kit.settings import Setting
from lessons.kit.widgets import draw, link_value


def sequence_picker(table: dict[str, Setting], where, patterns: dict[str, str]) -> dict:
    """The input-sequence select box and, for "my own numbers", a text box of typed numbers below it.
    Returns {"pattern": label} or {"pattern": label, "values": typed text}."""
    out = {"pattern": draw(table["pattern"], where)}
    if patterns[out["pattern"]] == "custom":
        out["values"] = draw(table["values"], where)
    return out


def typed(values: dict, patterns: dict[str, str]) -> bool:
    """Whether the chosen sequence is typed by hand (then its length slider is disabled)."""
    return patterns[values["pattern"]] == "custom"


def step_and_unit(table: dict[str, Setting], steps: int, hidden: int) -> tuple[int, int | None]:
    """The choice of whose numbers the cell diagram shows (one unit or the mean over all of them) beside a word
    on the step, which is chosen inside the film (drag or play, no server round trip): a link's step, kept within
    1..T, is where it starts. Returns (t, unit index, or None for the mean)."""
    a, b = st.columns([3, 1.2], gap="large", vertical_alignment="bottom")
    choice = draw(replace(table["unit"], options=unit_options(hidden)), b)
    t = link_value(table["t"], 1, steps, table["t"].default, a)
    a.caption("Drag the slider under the diagram — or press ▶ — to walk through the steps: the cursor on the "
              "heatmaps, the diagram and the update above it follow.")
    return t, unit_index(choice)


def network_controls(table: dict[str, Setting], patterns: dict[str, str], widths: list[float]) -> tuple[dict, list]:
    """The bordered box of controls every gated page opens with: the input sequence, then its length and the
    hidden units, then the seed and the weights' gain, in the first three of the ``widths`` columns. Returns the
    widgets' values (name -> value) and the columns, in which a page adds its cell's own controls."""
    with control_box():
        columns = st.columns(widths, gap="medium")
        c1, c2, c3 = columns[:3]
        values = sequence_picker(table, c1, patterns)
        values["steps"] = draw(table["steps"], c2, disabled=typed(values, patterns))
        values["hidden"] = draw(table["hidden"], c2)
        values["seed"] = draw(table["seed"], c3)
        values["gain"] = draw(table["gain"], c3)
    return values, columns
