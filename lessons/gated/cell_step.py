""""One step inside the cell", as the LSTM and GRU pages both show it: the step slider, the cell diagram beside
its equations with this step's numbers, then every gate at every step (heatmaps, their CSV, a story beside them).

A page describes its cell once (``Cell``: what differs between the two); ``cell_views`` builds the cached views
of its runs, and ``one_step_inside`` draws the part. Page-side only (imports Streamlit).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from lessons.gated import recipe
from lessons.gated.controls import step_and_unit
from lessons.gated.tables import step_unit_table
from lessons.kit.cached import cached_call, shared_view
from lessons.kit.heatmaps import heatmap_stack
from lessons.kit.layout import beside, chart_beside, csv_download, plot, user_errors
from lessons.kit.numbers import signed
from lessons.kit.settings import Setting


@dataclass(frozen=True)
class Cell:
    """What the LSTM and the GRU page's step-through do differently."""

    key: str  # "lstm": the prefix of chart and download keys, and of the CSV's file name
    name: str  # "LSTM": in the charts' alt texts
    settings: Mapping[str, Setting]  # the page's controls (the step slider and the unit choice among them)
    run: Callable[[Any], recipe.GatedRun]  # the recipe's run: config -> GatedRun
    draw: Callable[[dict, int, str, Any], Any]  # (numbers at step t, t, whose numbers, config) -> cell diagram
    rows: Callable[[recipe.GatedRun], list]  # a run -> the rows of its heatmap stack
    gates: tuple[str, ...]  # the CSV's columns: these gates (run.gates), then these states (run.h, run.c)
    states: tuple[str, ...]
    equations: Callable[[Any, dict, int | None], None]  # (config, numbers at step t, unit): beside the diagram
    stories: Callable[[Any, recipe.PulseFate], str]  # (config, the pulse's fate) -> Markdown beside the heatmaps
    diagram_min_width: int | None = None


@dataclass(frozen=True)
class CellViews:
    """A cell's cached views, each keeping the cache size the pages have always had."""

    cell: Cell
    run: Callable[[Any], recipe.GatedRun]
    diagram: Callable[[Any, int, int | None], tuple]  # (config, t, unit) -> (figure, the numbers it shows)
    heatmaps: Callable[[Any, int], Any]  # (config, t) -> figure
    pulse_fate: Callable[[Any], recipe.PulseFate]
    gate_table: Callable[[Any], pd.DataFrame]


def cell_views(cell: Cell) -> CellViews:
    """The cached views of ``cell``'s runs; their caches are named after ``cell.key``, one set per cell."""
    run = cached_call(cell.run, max_entries=64)

    def diagram(cfg, t: int, unit: int | None) -> tuple:
        vals = recipe.step_values(run(cfg), t, unit)
        label = "mean over all units" if unit is None else f"unit {unit + 1}"
        return cell.draw(vals, t, label, cfg), vals

    def heatmaps(cfg, t: int):
        r = run(cfg)
        return heatmap_stack(r.x, cell.rows(r), t)

    def pulse_fate(cfg) -> recipe.PulseFate:
        return recipe.pulse_fate(run(cfg))

    def gate_table(cfg) -> pd.DataFrame:
        """Long table behind the heatmaps: one row per (step, unit)."""
        r = run(cfg)
        series = {**{name: r.gates[name] for name in cell.gates}, **{name: getattr(r, name) for name in cell.states}}
        return step_unit_table(r.x, series, r.steps, r.hidden)

    return CellViews(cell, run, shared_view(diagram, max_entries=256, name=f"{cell.key}.diagram"),
                     shared_view(heatmaps, max_entries=256, name=f"{cell.key}.heatmaps"),
                     cached_call(pulse_fate, max_entries=64, name=f"{cell.key}.pulse_fate"),
                     cached_call(gate_table, max_entries=32, name=f"{cell.key}.gate_table"))


def one_step_inside(views: CellViews, make_config: Callable[[dict], Any], values: dict):
    """The config made from the controls' ``values``, its run, and the step-through under its heading; returns
    the config (bad input shows its message and stops the page)."""
    with user_errors():
        config = make_config(values)
        run = views.run(config)
    st.subheader("One step inside the cell", anchor=False)
    step_through(views, config, run)
    return config


@st.fragment
def step_through(views: CellViews, cfg, run: recipe.GatedRun) -> None:
    """The step slider and everything that follows it; only this part reruns when the step moves."""
    cell = views.cell
    t, unit = step_and_unit(cell.settings, run.steps, run.hidden)

    fig, vals = views.diagram(cfg, t, unit)
    with chart_beside(fig, key=f"{cell.key}_diagram", alt=f"{cell.name} cell diagram at step {t}",
                      min_width=cell.diagram_min_width):
        cell.equations(cfg, vals, unit)

    st.subheader("Every gate at every step", anchor=False)
    visual, text = beside((2.2, 1))
    with visual:
        plot(views.heatmaps(cfg, t), key=f"{cell.key}_heatmaps", alt=f"Heatmaps of the {cell.name} gates over time")
        csv_download(views.gate_table(cfg), file_name=f"{cell.key}_gates.csv", key=f"{cell.key}_csv")
    with text:
        st.markdown(cell.stories(cfg, views.pulse_fate(cfg)))


def tex_value(value: float) -> str:
    """A signed value for the step's equations: +0.123, -0.123, never -0.000."""
    return signed(value, 3).replace("−", "-")


def tex_term(value: float) -> str:
    """A signed value as the next term of a sum: + 0.123, - 0.123."""
    text = tex_value(value)
    return f"- {text[1:]}" if text.startswith("-") else f"+ {text.lstrip('+')}"
