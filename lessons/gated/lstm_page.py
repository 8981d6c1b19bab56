"""Lesson: the LSTM cell. Its gates at one step with live numbers, every gate at every step, and the belt
that remembers.

Widgets (lessons/gated/settings.py, LSTM_SETTINGS) -> LSTMConfig / RememberConfig -> cached lessons.gated.recipe
-> lessons.gated.figures + explanation.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from lessons.gated import figures as figs
from lessons.gated import recipe, stories
from lessons.gated.cell_step import Cell, cell_views, one_step_inside, tex_term, tex_value
from lessons.gated.controls import network_controls
from lessons.gated.settings import LSTM_SETTINGS, LSTM_TRIES, SEQUENCE_PATTERNS, lstm_config, remember_config
from lessons.kit.cached import cached_call
from lessons.kit.layout import beside, lesson_body, lesson_header, plot
from lessons.kit.numbers import pct
from lessons.kit.path import try_this
from lessons.kit.widgets import draw

S = LSTM_SETTINGS
PAGE = "lessons/gated/lstm_page.py"
GHOST_BIASES = (0.0, 2.0, 6.0)  # the remember demo's faint comparison belts


run_remember = cached_call(recipe.run_remember, max_entries=64)


# Figures are cached as shared objects (cache_resource): they are never mutated after they are built, and
# unpickling a Plotly figure from cache_data would re-validate it, costing more than building it.
@st.cache_resource(max_entries=64, show_spinner=False)
def remember_view(cfg: recipe.RememberConfig) -> tuple:
    """The remember demo's result and figure, with faint belts for a few other forget biases."""
    res = run_remember(cfg)
    ghosts = {f"b_f={b:g}": run_remember(replace(cfg, forget_bias=b)).c for b in GHOST_BIASES if b != cfg.forget_bias}
    fig = figs.remember_figure(res.x, res.i, res.f, res.o, res.c, res.h, res.write_step, res.read_step, ghosts)
    return res, fig


def controls() -> dict:
    """The cell and its input, in four columns; returns the widgets' values (name -> value)."""
    values, columns = network_controls(S, SEQUENCE_PATTERNS, [1.3, 1, 1, 1.2])
    for name in ("forget_bias", "peephole"):
        values[name] = draw(S[name], columns[3])
    if values["peephole"]:
        columns[3].caption(":material/science: extension — not in PyTorch's `nn.LSTM`")
    return values


def step_equations(v: dict, unit: int | None, peephole: bool, t: int) -> None:
    """The update at step ``t`` (where the film's slider starts) with the numbers put in."""
    if unit is None:
        st.markdown(f"**Step t = {t}, in numbers** (averaged over the units; the average of a sum is the sum of "
                    "the averages, so the belt update still adds up):")
        st.latex(rf"\begin{{aligned}} c_t &= f_t\,c_{{t-1}} + i_t\,g_t \\ &= {tex_value(v['kept'])} "
                 rf"{tex_term(v['written'])} = {tex_value(v['c'])} \\ h_t &= o_t \tanh(c_t) = {tex_value(v['h'])}"
                 r" \end{aligned}")
    else:
        st.markdown(f"**Step t = {t}, in numbers** (unit {unit + 1}):")
        st.latex(rf"\begin{{aligned}} c_t &= f_t\,c_{{t-1}} + i_t\,g_t \\ "
                 rf"&= {v['f']:.3f}\times({tex_value(v['c_prev'])})"
                 rf" \\ &\quad + {v['i']:.3f}\times({tex_value(v['g'])}) \\ &= {tex_value(v['c'])} \\[4pt]"
                 rf" h_t &= o_t \tanh(c_t) \\ &= {v['o']:.3f}\times({tex_value(v['tanh_c'])}) = {tex_value(v['h'])}"
                 rf" \end{{aligned}}")
    life = recipe.half_life(v["f"])
    life_txt = "never" if life == float("inf") else f"about **{life:.1f} steps**" if life >= 0.05 else "no time"
    st.markdown(
        f"The forget gate is at **{v['f']:.2f}**: if it stayed there, whatever is on the belt now would be halved "
        f"in {life_txt}. The input gate lets **{pct(v['i'])}** of the candidate in, and the output gate "
        f"shows **{pct(v['o'])}** of the squashed belt as $h_t$."
    )
    st.caption(f"Step t = {t} is where the slider starts; the lines above the diagram write the same update for "
               "whichever step the slider is on.")
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

GATE_HEAD = """
**Every gate at every step** (the heatmaps above the diagram). Each row is one quantity, each column one time
step t = 1…T, each line of pixels one hidden unit. The orange column is the step the diagram shows.

- **i — the input gate (write).** How much of the candidate **g** is written onto the belt: where it is
  closed (dark), nothing reaches the belt, whatever the input. A trained LSTM learns to open it for what is
  worth storing; this one has random weights.
- **f — the forget gate (keep).** The share of each unit's belt value carried into the next step.
  Near 1 the memory survives; near 0 it is wiped. Move the **forget-gate bias** slider and watch this
  row brighten or darken everywhere at once.
- **g — the candidate.** A tanh layer proposing new values in (−1, 1), blue for negative, orange for positive.
- **o — the output gate (read).** How much of the memory is shown to the outside world at this step.
"""
GATE_TAIL = """- **h — the hidden state (short-term memory).** What the next step and any output layer see.

Gates are drawn on one 0–1 scale (dark = closed, yellow = open); signed values on the blue–grey–orange scale
centred at zero; the belt c gets its own scale, symmetric around zero.
"""


def gate_stories(cfg: recipe.LSTMConfig, fate: recipe.PulseFate) -> str:
    """The bullets beside the heatmaps; the belt's is written from this run."""
    return f"{GATE_HEAD}- {stories.belt_story(cfg.pattern, fate)}\n{GATE_TAIL}"


def beside_the_diagram(cfg: recipe.LSTMConfig, vals: dict, unit: int | None, t: int) -> None:
    """The cell's equations (with peepholes when they are on), then the numbers of step ``t``."""
    st.latex(EQUATIONS)
    if cfg.peephole:
        st.markdown("With **peepholes** (not in PyTorch) the gates also see the cell state:")
        st.latex(PEEPHOLE_EQUATIONS)
    step_equations(vals, unit, cfg.peephole, t)


LSTM = cell_views(Cell(
    key="lstm", name="LSTM", settings=S, run=recipe.run_lstm,
    sketch=lambda vals, cfg: figs.lstm_sketch(vals, peephole=cfg.peephole), lines=figs.lstm_update_lines,
    rows=lambda r: figs.lstm_rows(r.gates, r.c, r.h), gates=("i", "f", "g", "o"), states=("c", "h"),
    equations=beside_the_diagram, stories=gate_stories,
))


def remember_section() -> None:
    st.subheader("Remembering: a value on the belt", anchor=False)
    visual, text = beside((3, 2))
    with text:
        st.markdown(
            "Here one LSTM unit is **wired by hand** so that each gate has a single job. A *write* flag opens the "
            "input gate, which lets one value onto the belt; a *read* flag opens the output gate many steps later. "
            "In between, the input is noise — the input gate, almost closed at σ(−6) ≈ 0.25 %, lets only a trace "
            "of it onto the belt.\n\n"
            "Between write and read only the **forget gate** acts: each step the belt is multiplied by "
            "$f = \\sigma(b_f)$. After k steps a value keeps a share $f^k$ of itself."
        )
        k1, k2 = st.columns(2)
        values = {"keep_bias": draw(S["keep_bias"], k1), "gap": draw(S["gap"], k2)}
    res, fig = remember_view(remember_config(values))
    with visual:
        plot(fig, key="lstm_remember", alt="The remember demo: inputs, gates and the cell state over time")
    with text:
        st.latex(rf"f = \sigma({values['keep_bias']:g}) = {res.forget:.4f} \qquad f^{{{res.gap}}} = "
                 rf"{stories.tex_power(res.forget_power)}")
        st.markdown(
            f"{stories.remember_story(res)} The dotted lines show the belt for other biases.\n\n"
            "This is why LSTMs are often initialised with **b_f ≈ 1 or more**: the cell starts out remembering. "
            "The gradient travels back the same road: in this unit, which has no recurrent weights, the belt is "
            f"the only road from the read back to the write, and $\\partial c_{{{res.read_step}}} / \\partial "
            f"c_{{{res.write_step}}}$ is exactly $f^{{{res.gap}}}$ — the same f at every step instead of a squashing "
            "derivative times a weight."
        )


lesson_header("LSTM: a memory with gates", "A conveyor belt for long-term memory, and three gates that decide "
              "what to write, what to keep and what to show.", icon=":material/memory:")
st.markdown(
    "A vanilla RNN rewrites its whole hidden state at every step: whatever it keeps of the past is pushed through "
    "the same weights and the same squashing function again and again, which is how old information fades (the "
    "earlier lessons showed how fast). The LSTM "
    "keeps a second state, the **cell state c**, that runs from step to step with only two light touches: a "
    "multiplication by the **forget gate** and an addition of new content through the **input gate**. An "
    "**output gate** decides how much of it becomes the hidden state h. Each gate is a sigmoid layer, "
    "so it outputs a fraction between 0 (closed) and 1 (open) — one per hidden unit."
)


@lesson_body
def lesson() -> None:
    one_step_inside(LSTM, lstm_config, controls())
    remember_section()


lesson()
try_this(PAGE, LSTM_TRIES, S)
