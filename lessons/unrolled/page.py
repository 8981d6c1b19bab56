"""Lesson: the unrolled RNN — one cell, copied across time, sharing its weights.

Widgets (lessons/unrolled/settings.py) -> UnrolledConfig -> cached recipe.run_unrolled -> figures + explanation.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lessons.kit import layout as ui
from lessons.kit.cached import cached_call
from lessons.kit.code import step_code
from lessons.kit.numbers import num
from lessons.kit.path import try_this
from lessons.kit.settings import ACTIVATION_LABELS
from lessons.kit.widgets import draw, link_value
from lessons.unrolled import figures as figs
from lessons.unrolled import recipe
from lessons.unrolled.film import MAX_COLUMNS, WINDOW, film
from lessons.unrolled.film import min_width as film_width
from lessons.unrolled.settings import SETTINGS, TRIES, config, first_step
from lessons.unrolled.stories import hidden_story, sweep_story
from lessons.unrolled.sweep import sweep_film
from rnn_core.steps import rnn_step

PAGE = "lessons/unrolled/page.py"


run_network = cached_call(recipe.run_unrolled, max_entries=128)


@st.cache_data(max_entries=128, show_spinner=False)
def behaviour(cfg: recipe.UnrolledConfig) -> recipe.Behaviour:
    return recipe.behaviour(run_network(cfg))


# A film holds every step (up to ~2 MB in memory at T = 200, H = 8; built in up to 0.6 s): built once per view and
# shared, read-only, between sessions.
@st.cache_resource(max_entries=32, show_spinner=False)
def step_film(cfg: recipe.UnrolledConfig, start: int):
    return film(run_network(cfg), start, link_key=SETTINGS["t"].key)


@st.cache_resource(max_entries=32, show_spinner=False)
def w_sweep(cfg: recipe.UnrolledConfig):
    """The w sweep's figure and story (every w on the slider's grid, one engine pass; ≤ 0.5 MB at T = 200)."""
    sw = recipe.sweep_w(cfg)
    return sweep_film(sw), sweep_story(sw)


activation_curve = cached_call(recipe.activation_curve, max_entries=32)


# -- controls -------------------------------------------------------------------------------------------
def controls() -> recipe.UnrolledConfig:
    """The network's controls in three columns; returns the config (shows an error and stops on bad input)."""
    S, values = SETTINGS, {}
    with ui.control_box():
        c1, c2, c3 = st.columns(3, gap="large")
        values["sequence"] = draw(S["sequence"], c1)
        typed = values["sequence"] == "typed"
        if typed:
            values["values"] = draw(S["values"], c1)
        values["length"] = draw(S["length"], c1, disabled=typed,
                                help="Typed numbers set their own length." if typed else None)
        for name in ("w_in", "w_rec", "bias"):
            values[name] = draw(S[name], c2)
        for name in ("activation", "hidden", "seed"):
            values[name] = draw(S[name], c3)
        with c1, ui.user_errors():
            return config(values)


# -- the step-through part (a fragment: switching the view reruns only this) ------------------------------
@st.fragment
def step_through(run: recipe.UnrolledRun) -> None:
    T = run.steps
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    view = draw(SETTINGS["view"], left)
    # The step is chosen inside the figure (drag or play, no server round trip); a link sets where it starts.
    t = link_value(SETTINGS["t"], 1, T, first_step(T), right)
    right.caption("Drag the slider under the diagram — or press ▶ — to walk through the steps."
                  if view != "Rolled" else f"The rolled cell at step t = {t}; switch to *Unrolled* to walk through.")
    diagram(run, t - 1, rolled=view == "Rolled")
    one_step(run, t - 1)


def diagram(run: recipe.UnrolledRun, step: int, rolled: bool) -> None:
    visual, text = ui.beside((4, 1.25))
    with visual:
        if rolled:
            ui.plot(figs.rolled_diagram(run, step), key="unrolled_diagram",
                 alt=f"Rolled diagram of the RNN at step {step + 1}")
        else:
            ui.plot(step_film(run.config, step), key="unrolled_diagram", min_width=film_width(run.steps),
                 alt="Unrolled diagram of the RNN with a slider over its steps")
    with text:
        if rolled:
            st.markdown(
                "The usual textbook picture: **one cell with a loop**. The loop is a one-step delay — "
                "what leaves as $h_t$ comes back as $h_{t-1}$ at the next step.\n\n"
                "Unrolling simply draws every trip around the loop as its own column. "
                "Switch back to *Unrolled* to see them side by side.")
        else:
            st.markdown(
                "Each **column is the same cell** at a different moment. Read it bottom-up: "
                "$x_t$ arrives, meets the memory $h_{t-1}$ coming in from the left, and the new state $h_t$ "
                "is passed on to the right and read out as $y_t$.\n\n"
                "Every horizontal arrow carries **the same weight**. Unrolling copies the cell, not its "
                "parameters — that is why one small network can read a sequence of any length.")
            if run.steps > MAX_COLUMNS:
                st.caption(f"Long sequences are seen through a window of {WINDOW} steps that slides along "
                           "with the slider.")
        st.caption("Colours: blue < 0 < orange, grey ≈ 0; each row has its own colour range. "
                   "Hover a node for its exact value.")


def one_step(run: recipe.UnrolledRun, step: int) -> None:
    st.subheader("What the cell computes at every step", anchor=False)
    eq, curve_col = ui.beside((3, 1.15))
    with eq:
        st.latex(figs.step_equation(run, step))
        st.caption(f"With the numbers of step t = {step + 1}, where the slider starts; the line above the diagram "
                   "writes the same update for whichever step the slider is on.")
        st.markdown(
            "One step is just three moves: **mix** the input with the previous state ($a_t$), **squash** "
            "the mix with the activation ($h_t$), and **read out** an output ($y_t$). "
            "The same three moves, with the same numbers $w_{\\text{in}}, w, b$, repeat at every step.")
        step_code(rnn_step, figs.step_equation(run, step),
                  f"`rnn_step(params, x, h_prev, {run.config.activation!r})` with this step's $x_t$ and "
                  f"$h_{{t-1}}$ returns `from_input`, `from_memory`, `bias`, `a` and `h` — the parts of the "
                  "equation above.")
    with curve_col:
        a_max = figs.curve_extent(run.a)
        ui.plot(figs.activation_marker(activation_curve(run.config.activation, a_max), run.a.ravel(), run.h.ravel(),
                                    ACTIVATION_LABELS[run.config.activation]),
             key="unrolled_activation", alt="activation function with every step's point marked")
        st.caption("Where every step's $a_t$ lands on the activation. On the flat ends of tanh or σ, "
                   "a big change in $a_t$ barely moves $h_t$ — *saturation*, which matters again for gradients.")


def state_warning(run: recipe.UnrolledRun) -> None:
    """Overflow, and a state grown too large for a linear axis, are part of the lesson: say what happened."""
    if run.overflow_step is not None:
        st.warning(f"The hidden state overflowed at step t = {run.overflow_step + 1}: the numbers grew past what a "
                   "computer can store (about 1.8 × 10³⁰⁸). That is the *exploding* state — lower |w| or use a "
                   "squashing activation. The chart below marks every step beyond the float range.",
                   icon=":material/warning:")
    elif figs.exploded(run):
        size, step = run.peak
        st.info(f"The hidden state has grown to {num(size)} by step t = {step + 1}: it *explodes*. "
                "The chart below shows its size on a log scale, where steady growth by a factor per step is a "
                "straight line.", icon=":material/trending_up:")


def main_chart_frame(run: recipe.UnrolledRun) -> pd.DataFrame:
    """The data behind the main chart: one row per step."""
    cols = {"t": range(1, run.steps + 1), "x": run.x}
    if run.hidden == 1:
        cols["h"] = run.h[:, 0]
    else:
        cols.update({f"h_unit{k + 1}": run.h[:, k] for k in range(run.hidden)})
    cols["y"] = run.y
    return pd.DataFrame(cols)


def weight_matrices_note() -> None:
    """How the scalar sliders scale fixed matrices when H > 1 (static text in an expander)."""
    with st.expander("How three sliders become weight matrices when H > 1", icon=":material/grid_on:"):
        st.markdown("With one hidden unit every weight is a single number. With $H$ units the cell needs a "
                    "vector $W_{ih}$, a matrix $W_{hh}$ and a readout $v$, so each slider scales a fixed, "
                    "seeded shape:")
        st.latex(r"W_{ih} = w_{\text{in}}\,u,\qquad W_{hh} = w\,Q,\qquad b = b\,\mathbf 1,\qquad y_t = v^\top h_t + c")
        st.markdown("- $u$: random, scaled so its largest entry is 1 — $w_{\\text{in}}$ is the strongest input "
                    "weight.\n"
                    "- $Q$: a random **orthogonal** matrix (it rotates without stretching), so "
                    "$\\lVert W_{hh} h\\rVert = |w|\\,\\lVert h\\rVert$ — $w$ still means *how much of the past "
                    "survives one step*.\n"
                    "- $v$: a random unit vector, $c = 0$. With $H = 1$, $u = Q = v = 1$, so $y_t = h_t$.\n\n"
                    "The seed picks $u$, $Q$ and $v$; the sliders only scale them.")


# -- the page -------------------------------------------------------------------------------------------
ui.lesson_header("The unrolled RNN", "A recurrent network is one small cell used again and again — "
              "unroll it in time and every step becomes visible.")


@ui.lesson_body
def lesson() -> None:
    cfg = controls()
    run = ui.checked(run_network, cfg)

    state_warning(run)
    weight_matrices_note()

    step_through(run)

    # Outside the step-through fragment on purpose: moving the step slider leaves this chart alone.
    st.subheader("The hidden state over time", anchor=False)
    with ui.chart_beside(figs.hidden_over_time(run), key="unrolled_main", ratio=(3, 1.15),
                      alt="input, output and hidden state over time"):
        st.markdown(hidden_story(run, behaviour(run.config) if run.hidden == 1 else None))
        ui.csv_download(main_chart_frame(run), file_name="unrolled_rnn.csv", key="unrolled_csv")
    sweep_section(run.config)


def sweep_section(cfg: recipe.UnrolledConfig) -> None:
    st.subheader("Sweep the recurrent weight", anchor=False)
    fig, story = w_sweep(cfg)
    with ui.chart_beside(fig, key="unrolled_sweep", ratio=(3, 1.15),
                      alt="the hidden state over time, with a slider over the recurrent weight w"):
        st.markdown(story)


lesson()
try_this(PAGE, TRIES, SETTINGS)
