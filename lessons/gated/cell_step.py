""""One step inside the cell", as the LSTM and GRU pages both show it: one film (lessons/gated/film.py) of every
gate at every step above the cell diagram, with a step slider inside it that the browser moves without the
server; beside it the cell's equations with the numbers of the step the link names, and the story of the run.

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
from lessons.gated.figures import Sketch
from lessons.gated.film import MIN_WIDTH, cell_film
from lessons.gated.tables import step_unit_table
from lessons.kit.cached import cached_call, shared_view
from lessons.kit.layout import beside, csv_download, plot, user_errors
from lessons.kit.numbers import signed
from lessons.kit.settings import Setting


@dataclass(frozen=True)
class Cell:
    """What the LSTM and the GRU page's step-through do differently."""

    key: str  # "lstm": the prefix of chart and download keys, and of the CSV's file name
    name: str  # "LSTM": in the charts' alt texts
    settings: Mapping[str, Setting]  # the page's controls (the step and the unit choice among them)
    run: Callable[[Any], recipe.GatedRun]  # the recipe's run: config -> GatedRun
    sketch: Callable[[dict, Any], Sketch]  # (numbers at one step, config) -> the cell diagram at that step
    lines: Callable[[dict, int, bool], list[str]]  # (numbers at step t, t, averaged?) -> the update, as text
    rows: Callable[[recipe.GatedRun], list]  # a run -> the rows of its heatmap stack
    gates: tuple[str, ...]  # the CSV's columns: these gates (run.gates), then these states (run.h, run.c)
    states: tuple[str, ...]
    equations: Callable[[Any, dict, int | None, int], None]  # (config, numbers at step t, unit, t): beside the film
    stories: Callable[[Any, recipe.PulseFate], str]  # (config, the pulse's fate) -> Markdown beside the heatmaps


@dataclass(frozen=True)
class CellViews:
    """A cell's cached views, each keeping the cache size the pages have always had."""

    cell: Cell
    run: Callable[[Any], recipe.GatedRun]
    film: Callable[[Any, int, int | None], Any]  # (config, first step t, unit) -> the film of every step
    numbers: Callable[[Any, int, int | None], dict]  # (config, t, unit) -> the numbers at step t
    pulse_fate: Callable[[Any], recipe.PulseFate]
    gate_table: Callable[[Any], pd.DataFrame]


def cell_views(cell: Cell) -> CellViews:
    """The cached views of ``cell``'s runs; their caches are named after ``cell.key``, one set per cell."""
    run = cached_call(cell.run, max_entries=64)

    def film(cfg, start: int, unit: int | None):
        """Every step's diagram and update, one frame each, from one pass over the run's arrays."""
        r = run(cfg)
        series = recipe.step_series(r, unit)
        steps = [{name: float(values[k]) for name, values in series.items()} for k in range(r.steps)]
        label = "mean over all units" if unit is None else f"unit {unit + 1}"
        sketches = [cell.sketch(v, cfg) for v in steps]
        lines = [[f"Inside the {cell.name} cell at step t = {k + 1} · {label}", *cell.lines(v, k + 1, unit is None)]
                 for k, v in enumerate(steps)]
        return cell_film(r.x, cell.rows(r), sketches, lines, start - 1, link_key=cell.settings["t"].key)

    def numbers(cfg, t: int, unit: int | None) -> dict:
        return recipe.step_values(run(cfg), t, unit)

    def pulse_fate(cfg) -> recipe.PulseFate:
        return recipe.pulse_fate(run(cfg))

    def gate_table(cfg) -> pd.DataFrame:
        """Long table behind the heatmaps: one row per (step, unit)."""
        r = run(cfg)
        series = {**{name: r.gates[name] for name in cell.gates}, **{name: getattr(r, name) for name in cell.states}}
        return step_unit_table(r.x, series, r.steps, r.hidden)

    # A film holds every step of one view (≤ 0.3 MB at T = 120, H = 16): shared, read-only, between sessions.
    return CellViews(cell, run, shared_view(film, max_entries=32, name=f"{cell.key}.film"),
                     cached_call(numbers, max_entries=256, name=f"{cell.key}.numbers"),
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
    """The unit choice, the film and what is written beside it; only this part reruns when the unit changes.
    The step moves inside the film, in the browser; a link's step is where its slider starts."""
    cell = views.cell
    t, unit = step_and_unit(cell.settings, run.steps, run.hidden)
    visual, text = beside((1.9, 1))  # the film keeps its MIN_WIDTH beside the equations at 1400 px
    with visual:
        plot(views.film(cfg, t, unit), key=f"{cell.key}_film", min_width=MIN_WIDTH,
             alt=f"Heatmaps of the {cell.name} gates over time above the {cell.name} cell diagram, with a slider "
                 "over the steps")
        csv_download(views.gate_table(cfg), file_name=f"{cell.key}_gates.csv", key=f"{cell.key}_csv")
    with text:
        cell.equations(cfg, views.numbers(cfg, t, unit), unit, t)
        st.markdown(cell.stories(cfg, views.pulse_fate(cfg)))


def tex_value(value: float) -> str:
    """A signed value for the step's equations: +0.123, -0.123, never -0.000."""
    return signed(value, 3).replace("−", "-")


def tex_term(value: float) -> str:
    """A signed value as the next term of a sum: + 0.123, - 0.123."""
    text = tex_value(value)
    return f"- {text[1:]}" if text.startswith("-") else f"+ {text.lstrip('+')}"
