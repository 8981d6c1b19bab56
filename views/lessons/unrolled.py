"""Lesson: the unrolled RNN — one cell, copied across time, sharing its weights.

Widgets -> UnrolledConfig -> cached rnn_core.demos.unrolled.run_unrolled -> figures + explanation.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnn_core import ACTIVATIONS
from rnn_core.demos import unrolled as demo
from views.figures import unrolled as figs
from views.lessons.common import beside, csv_download, lesson_body, lesson_header, plot, user_errors

# Shown in the menus and written into the URL (a bound selectbox stores the label), so keep them short.
SEQUENCE_LABELS = {"impulse": "Impulse", "step": "Step", "sine": "Sine wave", "random walk": "Random walk",
                   "typed": "Typed numbers"}
ACTIVATION_LABELS = {"tanh": "tanh", "sigmoid": "sigmoid", "relu": "ReLU", "leaky_relu": "leaky ReLU",
                     "elu": "ELU", "identity": "identity"}
SEQUENCE_HELP = ("**Impulse**: a single 1, then silence — what does the network remember?  \n"
                 "**Step**: 0, then 1 for ever.  \n**Sine wave**: period 12 steps.  \n"
                 "**Random walk**: a stock-like log price; the seed picks the path.  \n"
                 "**Typed numbers**: your own sequence.")
DEFAULT_TYPED = "0, 0, 1, 0, 0, 0, 0.5, -1, 0, 0"
PAGE = "views/lessons/unrolled.py"


@st.cache_data(max_entries=128, show_spinner=False)
def run_network(cfg: demo.UnrolledConfig) -> demo.UnrolledRun:
    return demo.run_unrolled(cfg)


@st.cache_data(max_entries=32, show_spinner=False)
def activation_curve(name: str, a_max: float):
    return demo.activation_curve(name, a_max)


@st.cache_data(max_entries=64, show_spinner=False)
def parse_typed(text: str) -> tuple[float, ...]:
    return demo.parse_numbers(text)


# -- controls -------------------------------------------------------------------------------------------
def input_controls() -> tuple[str, int, tuple[float, ...]]:
    """Sequence kind, length and typed values (empty unless "typed")."""
    kind = st.selectbox("Input sequence", list(SEQUENCE_LABELS), format_func=SEQUENCE_LABELS.get,
                        key="unrolled_seq", bind="query-params", help=SEQUENCE_HELP)
    typed = kind == "typed"
    if typed:
        text = st.text_input("Numbers (commas or spaces between them)", DEFAULT_TYPED, key="unrolled_values",
                             bind="query-params", help="Up to 200 numbers, each within ±100.")
    length = st.slider("Sequence length T", 1, demo.MAX_STEPS, 12, key="unrolled_T", bind="query-params",
                       disabled=typed, help="Typed numbers set their own length." if typed else None)
    values = ()
    if typed:
        with user_errors():
            values = parse_typed(text)
    return kind, length, values


def weight_controls() -> tuple[float, float, float]:
    w_in = st.slider("Input weight w_in", -3.0, 3.0, 1.0, 0.05, key="unrolled_win", bind="query-params",
                     help="How strongly the new input x_t pushes the hidden state.")
    w_rec = st.slider("Recurrent weight w", -3.0, 3.0, 0.8, 0.05, key="unrolled_w", bind="query-params",
                      help="How much of the previous state h_{t−1} is carried into h_t.")
    bias = st.slider("Bias b", -2.0, 2.0, 0.0, 0.05, key="unrolled_b", bind="query-params")
    return w_in, w_rec, bias


def cell_controls() -> tuple[str, int, int]:
    act = st.selectbox("Activation", list(ACTIVATIONS), format_func=ACTIVATION_LABELS.get, key="unrolled_act",
                       bind="query-params")
    hidden = st.slider("Hidden size H", 1, demo.MAX_HIDDEN, 1, key="unrolled_H", bind="query-params",
                       help="Number of hidden units. With H > 1 the scalar weights scale fixed random matrices.")
    seed = st.number_input("Seed", 0, 9999, 0, key="unrolled_seed", bind="query-params",
                           help="Picks the random walk and, for H > 1, the fixed weight shapes.")
    return act, hidden, int(seed)


# -- the step-through part (a fragment: moving t reruns only this) ----------------------------------------
def clamp_step(steps: int) -> None:
    """Keep the remembered step inside 1..T when T shrinks, before the slider is drawn."""
    if st.session_state.get("unrolled_t", 1) > steps:
        st.session_state["unrolled_t"] = steps


@st.fragment
def step_through(run: demo.UnrolledRun) -> None:
    T = run.steps
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    view = left.segmented_control("View", ["Unrolled", "Rolled"], default="Unrolled", required=True,
                                  key="unrolled_view", bind="query-params")
    clamp_step(T)
    if T > 1:
        t = right.slider("Step t", 1, T, min(T, demo.event_step(T) + 2), key="unrolled_t", bind="query-params",
                         help="Highlights one step in every picture and writes its update with the real numbers.")
    else:
        t = 1
        right.caption("A single step: t = 1.")
    step = t - 1

    visual, text = beside((4, 1.25))
    with visual:
        fig = figs.unrolled_diagram(run, step) if view != "Rolled" else figs.rolled_diagram(run, step)
        plot(fig, key="unrolled_diagram", alt=f"{view} diagram of the RNN at step {t}")
    with text:
        if view != "Rolled":
            st.markdown(
                "Each **column is the same cell** at a different moment. Read it bottom-up: "
                "$x_t$ arrives, meets the memory $h_{t-1}$ coming in from the left, and the new state $h_t$ "
                "is passed on to the right and read out as $y_t$.\n\n"
                "Every horizontal arrow carries **the same weight**. Unrolling copies the cell, not its "
                "parameters — that is why one small network can read a sequence of any length.")
            if T > figs.MAX_COLUMNS:
                st.caption("Long sequences: the first and last steps and the steps around t are drawn; "
                           "⋯ stands for the rest.")
        else:
            st.markdown(
                "The usual textbook picture: **one cell with a loop**. The loop is a one-step delay — "
                "what leaves as $h_t$ comes back as $h_{t-1}$ at the next step.\n\n"
                "Unrolling simply draws every trip around the loop as its own column. "
                "Switch back to *Unrolled* to see them side by side.")
        st.caption("Colours: blue < 0 < orange, grey ≈ 0; each row has its own colour range. "
                   "Hover a node for its exact value.")

    st.subheader(f"What the cell computes at step t = {t}", anchor=False)
    eq, curve_col = beside((3, 1.15))
    with eq:
        st.latex(figs.step_equation(run, step))
        st.markdown(
            "One step is just three moves: **mix** the input with the previous state ($a_t$), **squash** "
            "the mix with the activation ($h_t$), and **read out** an output ($y_t$). "
            "The same three moves, with the same numbers $w_{\\text{in}}, w, b$, repeat at every step.")
    with curve_col:
        a_max = figs.curve_extent(run.a[step])
        plot(figs.activation_marker(activation_curve(run.config.activation, a_max), run.a[step], run.h[step],
                                    ACTIVATION_LABELS[run.config.activation]),
             key="unrolled_activation", alt="activation function with this step's point marked")
        st.caption("Where $a_t$ lands on the activation. On the flat ends of tanh or σ, "
                   "a big change in $a_t$ barely moves $h_t$ — *saturation*, which matters again for gradients.")



def hidden_story(run: demo.UnrolledRun) -> str:
    cfg = run.config
    if run.hidden > 1:
        return ("Each row of the heatmap is one hidden unit: together the $H$ numbers are the network's "
                "entire memory of the past. $W_{hh}$ mixes the units at every step, so a single input "
                "echoes through all of them.\n\nTry the **impulse** and follow the echo across units and time.")
    stories = {
        "impulse": "After the single 1 the input is silent, so everything $h_t$ still holds is **memory**. "
                   "With $|w| < 1$ the echo fades by about a factor $w$ per step; with identity and "
                   "$|w| > 1$ it grows without bound; a negative $w$ makes it flip sign every step.",
        "step": "The input switches on and stays on. $h_t$ climbs towards a level where the new input and "
                "the carried-over memory balance — larger $w$ means a slower, higher climb.",
        "sine": "The state follows the wave with a **lag**: it is a smoothed blend of the present input and "
                "its own past. Raise $w$ to lengthen the memory and watch the lag grow.",
        "random walk": "Like a day-by-day price, each value is yesterday's plus a random move. The hidden "
                       "state is a running summary of the path so far — exactly what a forecaster would "
                       "need to predict tomorrow.",
        "typed": "Your own sequence: change one number and see how far ahead its effect is still visible "
                 "in $h_t$.",
    }
    return stories[cfg.sequence]


def main_chart_frame(run: demo.UnrolledRun) -> pd.DataFrame:
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
lesson_header("The unrolled RNN", "A recurrent network is one small cell used again and again — "
              "unroll it in time and every step becomes visible.")


@lesson_body
def lesson() -> None:
    with st.container(border=True):
        c1, c2, c3 = st.columns(3, gap="large")
        with c1:
            kind, length, values = input_controls()
        with c2:
            w_in, w_rec, bias = weight_controls()
        with c3:
            act, hidden, seed = cell_controls()

    with user_errors():
        cfg = demo.UnrolledConfig(sequence=kind, length=length, w_in=w_in, w_rec=w_rec, bias=bias, activation=act,
                                  hidden=hidden, seed=seed, values=values)
        run = run_network(cfg)

    if run.overflow_step is not None:
        st.warning(f"The hidden state overflowed at step t = {run.overflow_step + 1}: the numbers grew past what a "
                   "computer can store. That is the *exploding* state — lower |w| or use a squashing activation.",
                   icon=":material/warning:")

    weight_matrices_note()

    step_through(run)

    # Outside the step-through fragment on purpose: moving the step slider leaves this chart alone.
    st.subheader("The hidden state over time", anchor=False)
    visual, text = beside((3, 1.15))
    with visual:
        plot(figs.hidden_over_time(run), key="unrolled_main", alt="input, output and hidden state over time")
    with text:
        st.markdown(hidden_story(run))
        csv_download(main_chart_frame(run), file_name="unrolled_rnn.csv", key="unrolled_csv")


lesson()

st.divider()
st.markdown("**Try this:**")
TRIES = [  # (label, icon, what happens, the settings as URL query parameters)
    ("Fading memory", ":material/water_drop:", "w = 0.5: the echo halves each step",
     {"unrolled_w": "0.5", "unrolled_T": "20"}),
    ("Exploding memory", ":material/local_fire_department:", "w = 1.5, identity: the echo grows 1.5× each step",
     {"unrolled_w": "1.5", "unrolled_act": ACTIVATION_LABELS["identity"], "unrolled_T": "30"}),
    ("Flipping sign", ":material/swap_vert:", "w = −0.9: the echo alternates in sign",
     {"unrolled_w": "-0.9", "unrolled_T": "20"}),
    ("Eight units", ":material/grid_view:", "H = 8 hidden units reading a random walk",
     {"unrolled_H": "8", "unrolled_seq": SEQUENCE_LABELS["random walk"], "unrolled_T": "60"}),
]
for col, (label, icon, tip, params) in zip(st.columns(len(TRIES)), TRIES, strict=True):
    col.page_link(PAGE, label=label, icon=icon, help=tip, query_params=params)
