"""Lesson: the GRU cell. Two gates and one state; the update gate as "how much of the past to keep";
PyTorch's reset-after form vs Cho et al. 2014; parameter counts of RNN, GRU and LSTM.

Widgets (lessons/gated/settings.py, GRU_SETTINGS) -> GRUConfig -> cached lessons.gated.recipe
-> lessons.gated.figures + explanation.
"""

from __future__ import annotations

import streamlit as st

from lessons.gated import figures as figs
from lessons.gated import recipe, stories
from lessons.gated.cell_step import Cell, cell_views, one_step_inside, tex_term, tex_value
from lessons.gated.controls import network_controls
from lessons.gated.settings import GRU_FORMS, GRU_SETTINGS, GRU_TRIES, SEQUENCE_PATTERNS, gru_config
from lessons.kit.cached import cached_call
from lessons.kit.layout import beside, chart_beside, lesson_body, lesson_header, plot
from lessons.kit.numbers import pct
from lessons.kit.path import try_this
from lessons.kit.widgets import draw

S = GRU_SETTINGS
PAGE = "lessons/gated/gru_page.py"


# (unit, its h in PyTorch's form, in Cho et al.'s, the largest gap over every unit and step)
form_view = cached_call(recipe.reset_form_view, max_entries=64)


@st.cache_resource(max_entries=64, show_spinner=False)
def form_figure(cfg: recipe.GRUConfig):
    unit, after, before, _ = form_view(cfg)
    return figs.reset_form_figure(after, before, unit)


counts = cached_call(recipe.param_counts, max_entries=64)


# Figures are shared, never-mutated objects: cheaper than unpickling a Plotly figure from cache_data.
@st.cache_resource(max_entries=64, show_spinner=False)
def count_figure(input_size: int, hidden: int):
    return figs.param_count_figure(counts(input_size, hidden), input_size, hidden)


def controls() -> dict:
    """The cell and its input, in four columns; returns the widgets' values (name -> value)."""
    values, columns = network_controls(S, SEQUENCE_PATTERNS, [1.3, 1, 1, 1.3])
    for name in ("update_bias", "form"):
        values[name] = draw(S[name], columns[3])
    return values


COMMON = r"""
\begin{aligned}
r_t &= \sigma(W_{ir}x_t + b_{ir} + W_{hr}h_{t-1} + b_{hr}) \\
z_t &= \sigma(W_{iz}x_t + b_{iz} + W_{hz}h_{t-1} + b_{hz}) \\
h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1}
\end{aligned}
"""
N_AFTER = (r"n_t = \tanh\big(W_{in}x_t + b_{in} + "
           r"\underbrace{r_t \odot (W_{hn}h_{t-1} + b_{hn})}_{\text{reset after}}\big)")
N_BEFORE = (r"n_t = \tanh\big(W_{in}x_t + b_{in} + "
            r"\underbrace{W_{hn}(r_t \odot h_{t-1})}_{\text{reset before}} + b_{hn}\big)")

# The same two formulas broken over two lines, for the narrow column beside the diagram.
N_AFTER_SPLIT = r"""\begin{aligned} n_t = \tanh\big(&W_{in}x_t + b_{in} \\ &+ r_t \odot (W_{hn}h_{t-1} + b_{hn})\big)
\end{aligned}"""
N_BEFORE_SPLIT = r"""\begin{aligned} n_t = \tanh\big(&W_{in}x_t + b_{in} \\ &+ W_{hn}(r_t \odot h_{t-1}) + b_{hn}\big)
\end{aligned}"""


def step_numbers(v: dict, unit: int | None, t: int) -> None:
    """The update at step ``t`` (where the film's slider starts) with the numbers put in."""
    who = "averaged over the units" if unit is None else f"unit {unit + 1}"
    st.markdown(f"**Step t = {t}, in numbers** ({who}):")
    if unit is None:
        st.latex(rf"\begin{{aligned}} h_t &= z_t\,h_{{t-1}} + (1-z_t)\,n_t \\ &= {tex_value(v['kept'])} "
                 rf"{tex_term(v['written'])} = {tex_value(v['h'])} \end{{aligned}}")
    else:
        st.latex(rf"\begin{{aligned}} h_t &= z_t\,h_{{t-1}} + (1-z_t)\,n_t \\ "
                 rf"&= {v['z']:.3f}\times({tex_value(v['h_prev'])})"
                 rf" \\ &\quad + {1 - v['z']:.3f}\times({tex_value(v['n'])}) \\ &= {tex_value(v['h'])} \end{{aligned}}")
    st.markdown(
        f"The update gate keeps **{pct(v['z'])}** of the old state and takes **{pct(1 - v['z'])}** "
        f"from the candidate. The reset gate lets **{pct(v['r'])}** of the past into that candidate."
    )
    st.caption(f"Step t = {t} is where the slider starts; the line above the diagram writes the same update for "
               "whichever step the slider is on.")


GATE_STORIES = """
**Every gate at every step** (the heatmaps above the diagram). Rows are quantities, columns time steps t = 1…T,
lines of pixels hidden units; the orange column is the step the diagram shows.

- **z — the update gate: how much of the past to keep.** At 1 a unit copies its old value forward
  untouched; at 0 it replaces it with the candidate. It does the jobs of the LSTM's forget *and* input gates
  at once, tied together: whatever share is not kept (1 − z) is written. Move the **update-gate bias** and
  watch this row brighten at every step, and the pulse linger longer in h (below b_z ≈ −2 it is gone within
  a few steps either way).
- **r — the reset gate.** How much of the past the candidate may look at. Near 0 the candidate is built
  from the current input alone, as if the sequence started afresh.
- **n — the candidate** (tanh, −1 to 1): the new content on offer.
"""


def gate_stories(cfg: recipe.GRUConfig, fate: recipe.PulseFate) -> str:
    """The bullets beside the heatmaps; the state's is written from this run."""
    return f"{GATE_STORIES}- {stories.gru_state_story(cfg.pattern, fate, cfg.update_bias, fate.peak)}\n"


def beside_the_diagram(cfg: recipe.GRUConfig, vals: dict, unit: int | None, t: int) -> None:
    """The cell's equations, the candidate's in the chosen form, then the numbers of step ``t``."""
    st.latex(COMMON)
    st.latex(N_AFTER_SPLIT if cfg.reset_after else N_BEFORE_SPLIT)
    step_numbers(vals, unit, t)


GRU = cell_views(Cell(
    key="gru", name="GRU", settings=S, run=recipe.run_gru,
    sketch=lambda vals, cfg: figs.gru_sketch(vals, reset_after=cfg.reset_after), lines=figs.gru_update_lines,
    rows=lambda r: figs.gru_rows(r.gates, r.h), gates=("r", "z", "n"), states=("h",),
    equations=beside_the_diagram, stories=gate_stories,
))


FORM_NOTES = {
    True: "`torch.nn.GRU`, Keras with `reset_after=True` (its default) and cuDNN: the reset gate scales the "
          "*result* of the recurrent matmul, so all three gates' matmuls can be done in one go before the gates "
          "are known.",
    False: "The original GRU (Cho et al., 2014), also *Dive into Deep Learning*: the reset gate scales h before "
           "the matmul. The weights have the same shapes, but the two forms compute different functions, so "
           "weights trained in one do not carry over.",
}


def reset_forms(cfg: recipe.GRUConfig) -> None:
    st.subheader("Where does the reset gate act?", anchor=False)
    left, right = st.columns(2, gap="large")
    for col, form, formula, after in ((left, GRU_FORMS[0], N_AFTER, True), (right, GRU_FORMS[1], N_BEFORE, False)):
        with col.container(border=True):
            chosen = after == cfg.reset_after
            st.markdown(f"**{form}**" + ("  :orange-badge[shown above]" if chosen else ""))
            st.latex(formula)
            st.caption(FORM_NOTES[after])
    unit, _, _, gap = form_view(cfg)
    with chart_beside(form_figure(cfg), key="gru_forms", ratio=(2.2, 1),
                      alt=f"h of unit {unit + 1} in both reset forms, and their difference"):
        st.markdown(stories.reset_form_story(gap))
        st.caption(f"The chart shows unit {unit + 1}, where the two forms differ most; the lower panel has its "
                   "own scale.")


def params_section(hidden: int) -> None:
    st.subheader("How many parameters?", anchor=False)
    visual, text = beside((3, 2))
    with text:
        d = draw(S["input_size"])
        st.caption(f"H = {hidden}, from the hidden-units slider at the top.")
        st.markdown(
            "Each gate (and the RNN's single layer) is a full layer: an input matrix H×D, a recurrent matrix "
            "H×H and, in PyTorch, two bias vectors. So the counts are one, three and four times the same block:"
        )
        st.latex(r"\begin{aligned} \text{RNN}&: H(D+H+2) \\ \text{GRU}&: 3H(D+H+2) \\ \text{LSTM}&: 4H(D+H+2)"
                 r"\end{aligned}")
        big = counts(300, 512)
        st.markdown(
            "The GRU does with three quarters of the LSTM's weights, so each step also takes about three quarters "
            "of the arithmetic; which works better depends on the task, so try both. For a typical text model "
            "with D = 300 and "
            f"H = 512: RNN **{big['RNN']:,}**, GRU **{big['GRU']:,}**, LSTM **{big['LSTM']:,}** per layer."
        )
    with visual:
        plot(count_figure(int(d), hidden), key="gru_params", alt="Parameter counts of RNN, GRU and LSTM")


lesson_header("GRU: two gates, one state", "The gated recurrent unit folds the LSTM's memory into its hidden "
              "state and lets one gate decide how much of the past to keep.", icon=":material/tune:")
st.markdown(
    "The GRU (Cho et al., 2014) simplifies the LSTM: no separate cell state, and two gates instead of three. "
    "The **update gate z** blends old and new: a share z of the previous state is kept and 1 − z is replaced "
    "by a **candidate n**. The **reset gate r** decides how much of the previous state the candidate may use."
)


@lesson_body
def lesson() -> None:
    config = one_step_inside(GRU, gru_config, controls())
    reset_forms(config)
    params_section(config.hidden)


lesson()
try_this(PAGE, GRU_TRIES, S)
