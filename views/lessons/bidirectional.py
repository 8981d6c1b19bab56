"""Lesson: the bidirectional LSTM. Two LSTMs read the same sequence in opposite directions; the output at
each step joins them, so it sees the past and the future. Gradients show which inputs each half can see,
and a readout task shows when the future is needed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnn_core.demos import bidirectional as demo
from rnn_core.demos.gated import parse_numbers
from views.figures import bidirectional as figs
from views.lessons.common import (
    beside,
    csv_download,
    lesson_body,
    lesson_header,
    plot,
    sequence_picker,
    step_slider,
    user_errors,
)

PATTERNS = {
    "noise": "noise",
    "early pulse": "pulse",
    "step": "step",
    "sine wave": "sine",
    "my own numbers": "custom",
}
TASKS = {"the next input": "next", "the previous input": "previous", "both neighbours": "both"}
TASK_FORMULAS = {"next": r"y_t = x_{t+1}", "previous": r"y_t = x_{t-1}", "both": r"y_t = x_{t-1} + x_{t+1}"}
TARGET_LABELS = {"next": "x<sub>t+1</sub>", "previous": "x<sub>t−1</sub>", "both": "x<sub>t−1</sub> + x<sub>t+1</sub>"}
DEFAULT = demo.BiConfig()


@st.cache_data(max_entries=64, show_spinner=False)
def run(cfg: demo.BiConfig) -> demo.BiRun:
    return demo.run_bidirectional(cfg)


@st.cache_data(max_entries=64, show_spinner=False)
def sensitivity(cfg: demo.BiConfig) -> demo.Sensitivity:
    return demo.sensitivity(cfg)


@st.cache_data(max_entries=64, show_spinner=False)
def readout(cfg: demo.ReadoutConfig) -> demo.Readout:
    return demo.readout(cfg)


# Figures: shared, never mutated after they are built (cheaper than unpickling Plotly figures).
@st.cache_resource(max_entries=256, show_spinner=False)
def heatmaps(cfg: demo.BiConfig, t: int):
    r = run(cfg)
    return figs.direction_heatmaps(r.x, r.forward, r.backward, t)


@st.cache_resource(max_entries=256, show_spinner=False)
def sensitivity_figures(cfg: demo.BiConfig, t: int) -> tuple:
    s = sensitivity(cfg)
    return figs.sensitivity_bars(s.forward[t], s.backward[t], t), figs.sensitivity_maps(s.forward, s.backward, t)


@st.cache_resource(max_entries=64, show_spinner=False)
def readout_figure(cfg: demo.ReadoutConfig):
    r = readout(cfg)
    return figs.readout_figure(r.r2, r.example_t, r.example_y, r.example_pred, TARGET_LABELS[cfg.task])


@st.cache_data(max_entries=32, show_spinner=False)
def output_table(cfg: demo.BiConfig) -> pd.DataFrame:
    """The data behind the heatmaps, long format: one row per (step, direction, unit)."""
    r = run(cfg)
    T, H = r.forward.shape
    rows = [(t, d, k + 1, float(r.x[t]), float(states[t, k]))
            for t in range(T) for d, states in (("forward", r.forward), ("backward", r.backward)) for k in range(H)]
    return pd.DataFrame(rows, columns=["t", "direction", "unit", "x", "h"])


def controls() -> demo.BiConfig:
    with st.container(border=True):
        c1, c2, c3 = st.columns([1.3, 1, 1], gap="medium")
        pattern, text = sequence_picker(c1, PATTERNS, prefix="bidir", example="0, 0, 1, 0, 0, 0, -1, 0, 0, 0")
        steps = c2.slider("Sequence length T", 5, demo.MAX_STEPS, DEFAULT.steps, key="bidir_T", bind="query-params",
                          disabled=pattern == "custom")
        hidden = c2.slider("Hidden units per direction H", 1, 8, DEFAULT.hidden, key="bidir_H", bind="query-params")
        seed = c3.number_input("Seed (random weights)", 0, 9999, DEFAULT.seed, key="bidir_seed", bind="query-params")
        gain = c3.slider("Input weight scale", 0.5, 4.0, DEFAULT.gain, 0.5, key="bidir_gain", bind="query-params",
                         help="Multiplies the random input weights of both directions (1 = PyTorch's init).")
    values = parse_numbers(text) if pattern == "custom" else ()
    return demo.BiConfig(pattern=pattern, steps=steps, hidden=hidden, seed=int(seed), gain=gain, values=values)


@st.fragment
def step_through(cfg: demo.BiConfig, T: int) -> None:
    t = step_slider(st, "Step t (moves the cursor in the charts of this section)", T, T // 2, "bidir_t")
    visual, text = beside((2.2, 1))
    with visual:
        plot(heatmaps(cfg, t), key="bidir_heatmaps", alt="Forward, backward and concatenated hidden states")
        csv_download(output_table(cfg), file_name="bilstm_states.csv", key="bidir_csv")
    with text:
        st.markdown(
            "**Forward (→)** is an ordinary LSTM: at step t it has read $x_0 \\dots x_t$. **Backward (←)** is a "
            "second LSTM with its own weights, fed the sequence reversed: at step t it has read "
            "$x_{T-1} \\dots x_t$. Its "
            "states are drawn in the original time order, so both rows line up with the input.\n\n"
            "The **output** at each step stacks the two states, forward units on top of the line and backward "
            "units below it — PyTorch's `nn.LSTM(bidirectional=True)` returns exactly this, "
            "2H numbers per step."
        )
        st.latex(r"y_t = \big[\,\overrightarrow{h}_t \,;\, \overleftarrow{h}_t\,\big]")
        st.caption("Watch the left edge of the backward row: it has already read the whole sequence. "
                   "The forward row's left edge has read almost nothing.")

    st.subheader("What can the output at step t see?", anchor=False)
    bars, maps = sensitivity_figures(cfg, t)
    visual, text = beside((2.2, 1))
    with visual:
        plot(bars, key="bidir_bars", alt=f"Sensitivity of the output at step {t} to each input")
    with text:
        st.markdown(
            "Backpropagation answers this exactly: the gradient $\\lVert \\partial h_t / \\partial x_s \\rVert$ "
            "measures how much a small change in input $x_s$ would move the output at step t.\n\n"
            "- The **forward half** (blue) responds only to inputs at or before t: bars stop at the cursor.\n"
            "- The **backward half** (orange) responds only to inputs at or after t.\n\n"
            "Together they cover the whole sequence. Both fade with distance (the y axis is logarithmic): "
            "memory is finite in each direction."
        )
    visual, text = beside((2.2, 1))
    with visual:
        plot(maps, key="bidir_maps", alt="Sensitivity of every output step to every input step, per direction")
    with text:
        st.markdown(
            "The same measurement for every output step at once (rows) against every input step (columns). "
            "The forward direction fills the **lower triangle**: it is *causal*, and could run live as data "
            "arrives. The backward direction fills the **upper triangle**: it needs the whole sequence before "
            "it can start, so a bidirectional model suits tagging a finished sentence, not predicting the next "
            "stock price."
        )


def r2_text(value: float) -> str:
    return "≈ 0" if value < 0.005 else f"{value:.2f}"


def future_section(cfg: demo.BiConfig) -> None:
    st.subheader("When the answer lies in the future", anchor=False)
    visual, text = beside((2.2, 1))
    with text:
        label = st.radio("Target at each step", list(TASKS), key="bidir_task", bind="query-params")
        task = TASKS[label]
        st.latex(TASK_FORMULAS[task])
        st.markdown(
            "Here nothing in the LSTMs is trained. We run them on 300 random sequences (uniform noise), then fit "
            "only a **linear readout** $y_t \\approx w \\cdot \\text{features}_t + b$ by least squares on 200 "
            "of them, and score it on the "
            "other 100 (R² = 1 perfect, 0 no better than guessing the mean).\n\n"
            "- To output **the next input**, the forward state is useless (R² ≈ 0): it has not read $x_{t+1}$ yet. "
            "The backward state has.\n"
            "- **The previous input** is the mirror image.\n"
            "- **Both neighbours** need both directions: each half alone explains about half of the target."
        )
    rcfg = demo.ReadoutConfig(task=task, hidden=cfg.hidden, seed=cfg.seed, gain=cfg.gain)
    with visual:
        plot(readout_figure(rcfg), key="bidir_readout", alt="Readout scores per direction")
    r2 = readout(rcfg).r2
    st.caption(f"R²: forward only {r2_text(r2['forward'])} · backward only {r2_text(r2['backward'])} · both "
               f"{r2_text(r2['both'])}. The 'both' readout has twice as many features (2H = {2 * cfg.hidden}), "
               "which helps a little on its own; the gaps between the directions are the point.")


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
    with user_errors():
        config = controls()
        result = run(config)
    st.subheader("Two readers, one sequence", anchor=False)
    step_through(config, len(result.x))
    future_section(config)


lesson()
