"""Lesson: the LSTM cell. Its gates at one step with live numbers, every gate at every step, and the belt
that remembers. Widgets -> frozen config -> cached rnn_core.demos.gated -> views.figures.gated."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnn_core.demos import gated as demo
from views.figures import gated as figs
from views.lessons.common import (
    SEQUENCE_PATTERNS,
    beside,
    csv_download,
    lesson_body,
    lesson_header,
    plot,
    sequence_picker,
    step_and_unit,
    step_unit_table,
    user_errors,
)

DEFAULT = demo.LSTMConfig()


@st.cache_data(max_entries=64, show_spinner=False)
def run_lstm(cfg: demo.LSTMConfig) -> demo.GatedRun:
    return demo.run_lstm(cfg)


@st.cache_data(max_entries=64, show_spinner=False)
def run_remember(cfg: demo.RememberConfig) -> demo.RememberRun:
    return demo.run_remember(cfg)


# Figures are cached as shared objects (cache_resource): they are never mutated after they are built, and
# unpickling a Plotly figure from cache_data would re-validate it, costing more than building it.
@st.cache_resource(max_entries=256, show_spinner=False)
def diagram(cfg: demo.LSTMConfig, t: int, unit: int | None) -> tuple:
    """The cell diagram and the numbers it shows."""
    vals = demo.step_values(run_lstm(cfg), t, unit)
    label = "mean over all units" if unit is None else f"unit {unit + 1}"
    return figs.lstm_cell_diagram(vals, t, label, peephole=cfg.peephole), vals


@st.cache_resource(max_entries=256, show_spinner=False)
def heatmaps(cfg: demo.LSTMConfig, t: int):
    r = run_lstm(cfg)
    return figs.heatmap_stack(r.x, figs.lstm_rows(r.gates, r.c, r.h), t)


def controls() -> demo.LSTMConfig:
    """The cell and its input; returns the config (raises ValueError on bad typed numbers)."""
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns([1.3, 1, 1, 1.2], gap="medium")
        pattern, text = sequence_picker(c1, SEQUENCE_PATTERNS, prefix="lstm",
                                        example="0, 1, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0",
                                        help="The early pulse is a single 1 at t = 1 followed by silence: can the "
                                             "cell still remember it many steps later?")
        steps = c2.slider("Sequence length T", 5, 120, DEFAULT.steps, key="lstm_T", bind="query-params",
                          disabled=pattern == "custom")
        hidden = c2.slider("Hidden units H", 1, 16, DEFAULT.hidden, key="lstm_H", bind="query-params")
        seed = c3.number_input("Seed (random weights)", 0, 9999, DEFAULT.seed, key="lstm_seed", bind="query-params")
        gain = c3.slider("Input weight scale", 0.5, 6.0, DEFAULT.gain, 0.5, key="lstm_gain", bind="query-params",
                         help="Multiplies the random input weights. PyTorch draws them from U(−1/√H, 1/√H), which "
                              "with one input leaves every gate near 0.5; scaled up, the gates react clearly.")
        bias = c4.slider("Forget-gate bias b_f", -4.0, 6.0, DEFAULT.forget_bias, 0.5, key="lstm_bf",
                         bind="query-params", help="With nothing else going on, the forget gate sits at σ(b_f).")
        peep = c4.toggle("Peephole connections", DEFAULT.peephole, key="lstm_peep", bind="query-params",
                         help="An extension (Gers & Schmidhuber 2000) that PyTorch's nn.LSTM does not have: "
                              "the gates also look at the cell state.")
        if peep:
            c4.caption(":material/science: extension — not in PyTorch's `nn.LSTM`")
    values = demo.parse_numbers(text) if pattern == "custom" else ()
    return demo.LSTMConfig(pattern=pattern, steps=steps, hidden=hidden, seed=int(seed), forget_bias=bias,
                           peephole=peep, gain=gain, values=values)


def step_equations(v: dict, unit: int | None, peephole: bool) -> None:
    """The update at this step with the numbers put in."""
    if unit is None:
        st.markdown("**This step, in numbers** (averaged over the units; the average of a sum is the sum of "
                    "the averages, so the belt update still adds up):")
        st.latex(rf"\begin{{aligned}} c_t &= f_t\,c_{{t-1}} + i_t\,g_t \\ &= {v['kept']:+.3f} {v['written']:+.3f}"
                 rf" = {v['c']:+.3f} \\ h_t &= o_t \tanh(c_t) = {v['h']:+.3f} \end{{aligned}}")
    else:
        st.markdown(f"**This step, in numbers** (unit {unit + 1}):")
        st.latex(rf"\begin{{aligned}} c_t &= f_t\,c_{{t-1}} + i_t\,g_t \\ &= {v['f']:.3f}\times({v['c_prev']:+.3f})"
                 rf" \\ &\quad + {v['i']:.3f}\times({v['g']:+.3f}) \\ &= {v['c']:+.3f} \\[4pt]"
                 rf" h_t &= o_t \tanh(c_t) \\ &= {v['o']:.3f}\times({v['tanh_c']:+.3f}) = {v['h']:+.3f}"
                 rf" \end{{aligned}}")
    life = demo.half_life(v["f"])
    life_txt = "never" if life == float("inf") else f"about **{life:.1f} steps**" if life >= 0.05 else "no time"
    st.markdown(
        f"The forget gate is at **{v['f']:.2f}**: if it stayed there, whatever is on the belt now would be halved "
        f"in {life_txt}. The input gate lets **{100 * v['i']:.0f}%** of the candidate in, and the output gate "
        f"shows **{100 * v['o']:.0f}%** of the squashed belt as $h_t$."
    )
    if peephole:
        st.caption("Peepholes on: the gates also add $w \\odot c$ ($c_{t-1}$ for i and f, $c_t$ for o) "
                   "before the sigmoid.")


EQUATIONS = r"""
\begin{aligned}
i_t &= \sigma(W_{ii}x_t + W_{hi}h_{t-1} + b_i) \\
f_t &= \sigma(W_{if}x_t + W_{hf}h_{t-1} + b_f) \\
g_t &= \tanh(W_{ig}x_t + W_{hg}h_{t-1} + b_g) \\
o_t &= \sigma(W_{io}x_t + W_{ho}h_{t-1} + b_o) \\
c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
h_t &= o_t \odot \tanh(c_t)
\end{aligned}
"""
PEEPHOLE_EQUATIONS = r"""
\begin{aligned}
i_t &= \sigma(\dots + w_{ci} \odot c_{t-1}) \\ f_t &= \sigma(\dots + w_{cf} \odot c_{t-1}) \\
o_t &= \sigma(\dots + w_{co} \odot c_t)
\end{aligned}
"""


@st.fragment
def step_through(cfg: demo.LSTMConfig, run: demo.GatedRun) -> None:
    """The step slider and everything that follows it; only this part reruns when the step moves."""
    t, unit = step_and_unit("lstm", run.steps, run.hidden)

    fig, vals = diagram(cfg, t, unit)
    visual, text = beside((3, 2))
    with visual:
        plot(fig, key="lstm_diagram", alt=f"LSTM cell diagram at step {t}")
    with text:
        st.latex(EQUATIONS)
        if cfg.peephole:
            st.markdown("With **peepholes** (not in PyTorch) the gates also see the cell state:")
            st.latex(PEEPHOLE_EQUATIONS)
        step_equations(vals, unit, cfg.peephole)

    st.subheader("Every gate at every step", anchor=False)
    visual, text = beside((2.2, 1))
    with visual:
        plot(heatmaps(cfg, t), key="lstm_heatmaps", alt="Heatmaps of the LSTM gates over time")
        csv_download(gate_table(cfg), file_name="lstm_gates.csv", key="lstm_csv")
    with text:
        st.markdown(GATE_STORIES)


GATE_STORIES = """
Each row is one quantity, each column one time step, each line of pixels one hidden unit. The orange
frame is step **t**; drag the slider above to move it.

- **i — the input gate (write).** Opens (bright) when the current input is worth storing. It
  multiplies the candidate **g**, so a closed input gate protects the belt from noise.
- **f — the forget gate (keep).** The share of each unit's belt value carried into the next step.
  Near 1 the memory survives; near 0 it is wiped. Move the **forget-gate bias** slider and watch this
  row brighten or darken everywhere at once.
- **g — the candidate.** A tanh layer proposing new values in (−1, 1), blue for negative, orange for positive.
- **o — the output gate (read).** How much of the memory is shown to the outside world at this step.
- **c — the cell state (long-term memory).** Nothing squashes it: it is only scaled by f and topped up by
  i·g, so it can keep a value for a long time — follow the pulse along this row.
- **h — the hidden state (short-term memory).** What the next step and any output layer see.

Gates are drawn on one 0–1 scale (dark = closed, yellow = open); signed values on the blue–grey–orange scale
centred at zero.
"""


@st.cache_data(max_entries=32, show_spinner=False)
def gate_table(cfg: demo.LSTMConfig) -> pd.DataFrame:
    """Long table behind the heatmaps: one row per (step, unit)."""
    run = run_lstm(cfg)
    series = {**{name: run.gates[name] for name in ("i", "f", "g", "o")}, "c": run.c, "h": run.h}
    return step_unit_table(run.x, series, run.steps, run.hidden)


@st.cache_resource(max_entries=64, show_spinner=False)
def remember_view(bias: float, gap: int) -> tuple:
    """The remember demo's result and figure, with faint belts for a few other forget biases."""
    res = run_remember(demo.RememberConfig(forget_bias=bias, gap=gap))
    ghosts = {f"b_f={b:g}": run_remember(demo.RememberConfig(forget_bias=b, gap=gap)).c
              for b in (0.0, 2.0, 6.0) if b != bias}
    fig = figs.remember_figure(res.x, res.i, res.f, res.o, res.c, res.h, res.write_step, res.read_step, ghosts)
    return res, fig


def remember_section() -> None:
    st.subheader("Remembering: a value on the belt", anchor=False)
    visual, text = beside((3, 2))
    with text:
        st.markdown(
            "Here one LSTM unit is **wired by hand** so that each gate has a single job. A *write* flag opens the "
            "input gate, which lets one value onto the belt; a *read* flag opens the output gate many steps later. "
            "In between, the input is noise — the closed input gate keeps it off the belt.\n\n"
            "Between write and read only the **forget gate** acts: each step the belt is multiplied by "
            "f = σ(b_f). After k steps a value keeps a share f^k of itself."
        )
        k1, k2 = st.columns(2)
        bias = k1.slider("Forget-gate bias of this unit", -2.0, 8.0, 4.0, 0.5, key="lstm_keep_bf",
                        bind="query-params")
        gap = k2.slider("Steps to remember", 5, 150, 40, 5, key="lstm_gap", bind="query-params")
    res, fig = remember_view(bias, gap)
    f = float(res.f[res.write_step + 1])
    with visual:
        plot(fig, key="lstm_remember", alt="The remember demo: inputs, gates and the cell state over time")
    with text:
        st.latex(rf"f = \sigma({bias:g}) = {f:.4f} \qquad f^{{{gap}}} = {f ** gap:.3f}")
        verdict = ("The value survives almost untouched." if res.kept_fraction > 0.8 else
                   "A good part of it survives." if res.kept_fraction > 0.3 else
                   "Most of it has leaked away: push b_f higher." if res.kept_fraction > 0.02 else
                   "It is gone: the belt forgot.")
        st.markdown(
            f"Stored **{res.stored:+.3f}** at step {res.write_step}; after {gap} steps the belt still holds "
            f"**{res.recalled:+.3f}** — **{100 * res.kept_fraction:.1f}%**. {verdict} The dotted lines show the "
            "belt for other biases.\n\n"
            "This is why LSTMs are often initialised with **b_f ≈ 1 or more**: the cell starts out remembering, "
            "and the gradient flowing back along the belt is multiplied by the same f each step instead of "
            "a squashing derivative times a weight."
        )


lesson_header("LSTM: a memory with gates", "A conveyor belt for long-term memory, and three gates that decide "
              "what to write, what to keep and what to show.", icon=":material/memory:")
st.markdown(
    "A vanilla RNN rewrites its whole hidden state at every step, so old information fades fast. The LSTM "
    "keeps a second state, the **cell state c**, that runs from step to step with only two light touches: a "
    "multiplication by the **forget gate** and an addition of new content through the **input gate**. An "
    "**output gate** decides how much of it becomes the hidden state h. Each gate is a sigmoid layer, "
    "so it outputs a fraction between 0 (closed) and 1 (open) — one per hidden unit."
)


@lesson_body
def lesson() -> None:
    with user_errors():
        config = controls()
        result = run_lstm(config)
    st.subheader("One step inside the cell", anchor=False)
    step_through(config, result)
    remember_section()


lesson()
