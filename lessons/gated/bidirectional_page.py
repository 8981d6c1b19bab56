"""Lesson: the bidirectional LSTM. Two LSTMs read the same sequence in opposite directions; the output at
each step joins them, so it sees the past and the future. Gradients show which inputs each half can see,
and a readout task shows when the future is needed.

Widgets (lessons/gated/settings.py, BI_SETTINGS) -> BiConfig / ReadoutConfig -> cached
lessons.gated.bidirectional_recipe -> lessons.gated.bidirectional_figures + explanation.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lessons.gated import bidirectional_figures as figs
from lessons.gated import bidirectional_recipe as recipe
from lessons.gated import stories
from lessons.gated.controls import network_controls
from lessons.gated.settings import (
    BI_PATTERNS,
    BI_SETTINGS,
    BI_TRIES,
    TASKS,
    bi_config,
    first_bi_step,
    readout_config,
)
from lessons.gated.tables import direction_table
from lessons.kit.cached import cached_call
from lessons.kit.layout import beside, chart_beside, csv_download, lesson_body, lesson_header, plot, user_errors
from lessons.kit.path import try_this
from lessons.kit.widgets import draw, step_slider

S = BI_SETTINGS
PAGE = "lessons/gated/bidirectional_page.py"
TASK_FORMULAS = {"next": r"y_t = x_{t+1}", "previous": r"y_t = x_{t-1}", "both": r"y_t = x_{t-1} + x_{t+1}"}
TARGET_LABELS = {"next": "x<sub>t+1</sub>", "previous": "x<sub>t−1</sub>", "both": "x<sub>t−1</sub> + x<sub>t+1</sub>"}


run = cached_call(recipe.run_bidirectional, max_entries=64)
sensitivity = cached_call(recipe.sensitivity, max_entries=64)
readout = cached_call(recipe.readout, max_entries=64)


# Figures: shared, never mutated after they are built (cheaper than unpickling Plotly figures).
@st.cache_resource(max_entries=256, show_spinner=False)
def heatmaps(cfg: recipe.BiConfig, t: int):
    r = run(cfg)
    return figs.direction_heatmaps(r.x, r.forward, r.backward, t)


@st.cache_resource(max_entries=256, show_spinner=False)
def sensitivity_figures(cfg: recipe.BiConfig, t: int) -> tuple:
    s = sensitivity(cfg)  # row t − 1 is step t
    return (figs.sensitivity_bars(s.forward[t - 1], s.backward[t - 1], t),
            figs.sensitivity_maps(s.forward, s.backward, t))


@st.cache_data(max_entries=256, show_spinner=False)
def sensitivity_sentence(cfg: recipe.BiConfig, t: int) -> str:
    s = sensitivity(cfg)  # row t − 1 is step t
    return stories.sensitivity_story(s.forward[t - 1], s.backward[t - 1], t)


@st.cache_resource(max_entries=64, show_spinner=False)
def readout_figure(cfg: recipe.ReadoutConfig):
    r = readout(cfg)
    return figs.readout_figure(r.r2, r.example_t, r.example_y, r.example_pred, TARGET_LABELS[cfg.task])


@st.cache_data(max_entries=32, show_spinner=False)
def output_table(cfg: recipe.BiConfig) -> pd.DataFrame:
    """The data behind the heatmaps, long format: one row per (step, direction, unit)."""
    r = run(cfg)
    return direction_table(r.x, r.forward, r.backward)


def controls() -> dict:
    """The two LSTMs and their input, in three columns; returns the widgets' values (name -> value)."""
    values, _ = network_controls(S, BI_PATTERNS, [1.3, 1, 1])
    return values


def states_text() -> None:
    st.markdown(
        "**Forward (→)** is an ordinary LSTM: at step t it has read $x_1 \\dots x_t$. **Backward (←)** is a "
        "second LSTM with its own weights, fed the sequence reversed: at step t it has read "
        "$x_T \\dots x_t$. Its "
        "states are drawn in the original time order, so both rows line up with the input.\n\n"
        "The **output** at each step stacks the two states, forward units on top of the line and backward "
        "units below it — PyTorch's `nn.LSTM(bidirectional=True)` returns exactly this, "
        "2H numbers per step."
    )
    st.latex(r"y_t = \big[\,\overrightarrow{h}_t \,;\, \overleftarrow{h}_t\,\big]")
    st.caption("Watch the left edge of the backward row: it has already read the whole sequence. "
               "The forward row's left edge has read almost nothing.")


def what_each_half_sees(cfg: recipe.BiConfig, t: int) -> None:
    st.subheader("What can the output at step t see?", anchor=False)
    bars, maps = sensitivity_figures(cfg, t)
    with chart_beside(bars, key="bidir_bars", ratio=(2.2, 1),
                      alt=f"Sensitivity of the output at step {t} to each input"):
        st.markdown(
            "Backpropagation answers this exactly: the gradient $\\lVert \\partial h_t / \\partial x_s \\rVert$ "
            "measures how much a small change in input $x_s$ would move the output at step t.\n\n"
            "- The **forward half** (blue) responds only to inputs at or before t: bars stop at the cursor.\n"
            "- The **backward half** (orange) responds only to inputs at or after t.\n\n"
            "Together they cover the whole sequence. The y axis is logarithmic.\n\n"
            + sensitivity_sentence(cfg, t)
        )
    with chart_beside(maps, key="bidir_maps", alt="Sensitivity of every output step to every input step, per direction",
                      min_width=figs.MAPS_MIN_WIDTH, ratio=(2.2, 1)):
        st.markdown(
            "The same measurement for every output step at once (rows) against every input step (columns). "
            "The forward direction fills the **lower triangle**: it is *causal*, and could run live as data "
            "arrives. The backward direction fills the **upper triangle**: it needs the whole sequence before "
            "it can start, so a bidirectional model suits tagging a finished sentence, not predicting the next "
            "stock price."
        )


@st.fragment
def step_through(cfg: recipe.BiConfig, T: int) -> None:
    """The step slider and the charts it moves; only this part reruns when the step moves."""
    t = step_slider(S["t"], 1, T, first_bi_step(T))
    visual, text = beside((2.2, 1))
    with visual:
        plot(heatmaps(cfg, t), key="bidir_heatmaps", alt="Forward, backward and concatenated hidden states")
        csv_download(output_table(cfg), file_name="bilstm_states.csv", key="bidir_csv")
    with text:
        states_text()
    what_each_half_sees(cfg, t)


def future_section(values: dict) -> None:
    st.subheader("When the answer lies in the future", anchor=False)
    visual, text = beside((2.2, 1))
    with text:
        values = {**values, "task": draw(S["task"])}
        st.latex(TASK_FORMULAS[TASKS[values["task"]]])
        st.markdown(
            "Here nothing in the LSTMs is trained. We run them on 300 random sequences (uniform noise), then fit "
            "only a **linear readout** $y_t \\approx w \\cdot \\text{features}_t + b$ by least squares on 200 "
            "of them, and score it on the other 100 (R² = 1 perfect, 0 no better than guessing the mean)."
        )
    rcfg = readout_config(values)
    r2 = readout(rcfg).r2
    with visual:
        plot(readout_figure(rcfg), key="bidir_readout", alt="Readout scores per direction")
    with text:
        st.markdown(stories.readout_story(rcfg.task, r2, rcfg.hidden))
    st.caption(f"R²: forward only {stories.r2_text(r2['forward'])} · backward only "
               f"{stories.r2_text(r2['backward'])} · both {stories.r2_text(r2['both'])}. Each half has H = "
               f"{rcfg.hidden} features; 'both' has 2H = {2 * rcfg.hidden}.")


lesson_header("Bidirectional LSTM", "Two LSTMs read the same sequence, one forwards and one backwards, so every "
              "step's output knows what came before and what comes after.", icon=":material/swap_horiz:")
st.markdown(
    "A recurrent network reading left to right knows only the past. Often the meaning of a step depends on what "
    "follows: in *“he said Teddy bears are on sale”* vs *“he said Teddy Roosevelt was a president”*, whether "
    "**Teddy** is a person is decided by the next word. A **bidirectional** layer runs a second LSTM over the "
    "reversed sequence and joins the two states at each step."
)


@lesson_body
def lesson() -> None:
    values = controls()
    with user_errors():
        config = bi_config(values)
        result = run(config)
    st.subheader("Two readers, one sequence", anchor=False)
    step_through(config, len(result.x))
    future_section(values)


lesson()
try_this(PAGE, BI_TRIES, S)
