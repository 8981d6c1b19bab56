"""Lesson: the bidirectional LSTM. Two LSTMs read the same sequence in opposite directions; the output at
each step joins them, so it sees the past and the future. Gradients show which inputs each half can see,
and a readout task shows when the future is needed.

Widgets (lessons/gated/settings.py, BI_SETTINGS) -> BiConfig / ReadoutConfig -> cached
lessons.gated.bidirectional_recipe -> lessons.gated.bidirectional_film (the step film: every step computed once,
scrubbed in the browser) and lessons.gated.bidirectional_figures + explanation.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lessons.gated import bidirectional_figures as figs
from lessons.gated import bidirectional_recipe as recipe
from lessons.gated import stories
from lessons.gated.bidirectional_film import MIN_WIDTH, film
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
from lessons.kit.widgets import draw, link_value

S = BI_SETTINGS
PAGE = "lessons/gated/bidirectional_page.py"
TASK_FORMULAS = {"next": r"y_t = x_{t+1}", "previous": r"y_t = x_{t-1}", "both": r"y_t = x_{t-1} + x_{t+1}"}
TARGET_LABELS = {"next": "x<sub>t+1</sub>", "previous": "x<sub>t−1</sub>", "both": "x<sub>t−1</sub> + x<sub>t+1</sub>"}


run = cached_call(recipe.run_bidirectional, max_entries=64)
sensitivity = cached_call(recipe.sensitivity, max_entries=64)
readout = cached_call(recipe.readout, max_entries=64)


# Figures: shared, never mutated after they are built (cheaper than unpickling Plotly figures).
# The film holds every step (about 130 kB at T = 60; built in tens of ms once the Jacobians are cached).
@st.cache_resource(max_entries=32, show_spinner=False)
def step_film(cfg: recipe.BiConfig, start: int):
    return film(run(cfg), sensitivity(cfg), start, link_key=S["t"].key)


@st.cache_resource(max_entries=64, show_spinner=False)
def sensitivity_maps(cfg: recipe.BiConfig):
    s = sensitivity(cfg)
    return figs.sensitivity_maps(s.forward, s.backward, None)


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


def profile_text() -> None:
    st.markdown(
        "**What can the output at step t see?** The panel at the bottom answers it exactly, by backpropagation: "
        "the gradient $\\lVert \\partial h_t / \\partial x_s \\rVert$ measures how much a small change in "
        "input $x_s$ would move the output at step t.\n\n"
        "- The **forward half** (blue) responds only to inputs at or before t: its line stops at the cursor.\n"
        "- The **backward half** (orange) responds only to inputs at or after t: its line starts there.\n\n"
        "Together they cover the whole sequence. The y axis is logarithmic and spans at most ten powers of ten: "
        "smaller values run off its bottom. The lines at the top of the picture give the exact numbers of the "
        "step on the slider: how strongly each half depends on its nearest and its farthest input, and whether "
        "that fades."
    )


def every_step_at_once(cfg: recipe.BiConfig) -> None:
    st.subheader("Every output step at once", anchor=False)
    with chart_beside(sensitivity_maps(cfg), key="bidir_maps", min_width=figs.MAPS_MIN_WIDTH, ratio=(2.2, 1),
                      alt="Sensitivity of every output step to every input step, per direction"):
        st.markdown(
            "The bottom panel of the picture above for every output step at once (rows) against every input step "
            "(columns). The forward direction fills the **lower triangle**: it is *causal*, and could run live as "
            "data arrives. The backward direction fills the **upper triangle**: it needs the whole sequence before "
            "it can start, so a bidirectional model suits tagging a finished sentence, not predicting the next "
            "stock price."
        )


def step_through(cfg: recipe.BiConfig, T: int) -> None:
    """The film: the step is chosen inside the figure (drag or play, no server round trip); a link sets where the
    slider starts."""
    visual, text = beside((2.2, 1))
    with visual:
        start = link_value(S["t"], 1, T, first_bi_step(T))
        st.caption("Drag the slider under the picture — or press ▶ — to walk through the steps: the cursor, the "
                   "output's dependence on every input (bottom) and the step's numbers (top) follow.")
        plot(step_film(cfg, start), key="bidir_film", min_width=MIN_WIDTH,
             alt="Forward, backward and concatenated hidden states, with a slider over the steps and what the "
                 "output at the chosen step depends on")
        csv_download(output_table(cfg), file_name="bilstm_states.csv", key="bidir_csv")
    with text:
        states_text()
        profile_text()
    every_step_at_once(cfg)


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
