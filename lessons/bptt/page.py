"""Lesson: Backpropagation through time (/bptt).

Widgets (lessons/bptt/settings.py) -> BPTTConfig -> cached recipe calls -> figures + explanation.
No maths here: the page only chooses, formats and explains.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lessons.bptt import figures as figs
from lessons.bptt import film, recipe, stories
from lessons.bptt.settings import SETTINGS, TRIES, config
from lessons.kit import layout as ui
from lessons.kit.cached import cached_call
from lessons.kit.numbers import compact
from lessons.kit.path import try_this
from lessons.kit.widgets import draw, link_value, step_slider

PAGE = "lessons/bptt/page.py"


# -- cached engine calls (the config is frozen, so it is the cache key) ---------------------------------
run = cached_call(recipe.run_bptt, max_entries=256)
# Every loss's shares (T x T numbers): truncated BPTT for any window is read off them.
shares = cached_call(recipe.loss_shares, max_entries=64)


@st.cache_data(max_entries=256, show_spinner=False)
def truncate(cfg: recipe.BPTTConfig, k: int) -> recipe.Truncation:
    return recipe.truncate(cfg, k, shares(cfg))


@st.cache_data(max_entries=64, show_spinner=False)
def curve(cfg: recipe.BPTTConfig) -> recipe.TruncationCurve:
    return recipe.truncation_curve(cfg, shares(cfg))


# Figures are cached as shared objects (cache_resource: no copy per rerun). st.plotly_chart only reads a
# figure (it serialises a deep copy), so one object can safely serve every session.
# The backward film holds every step of the backward pass (≤ 0.1 MB at T = 100, built in ~30 ms): once per view.
@st.cache_resource(max_entries=64, show_spinner=False)
def flow_film(cfg: recipe.BPTTConfig, start: int):
    return film.backward_film(run(cfg), cfg.target, start, link_key=SETTINGS["step"].key)


@st.cache_resource(max_entries=64, show_spinner=False)
def chain_figure(cfg: recipe.BPTTConfig):
    return figs.chain_rule_figure(run(cfg))


@st.cache_resource(max_entries=64, show_spinner=False)
def contributions_figure(cfg: recipe.BPTTConfig):
    return figs.contributions_figure(run(cfg))


@st.cache_resource(max_entries=256, show_spinner=False)
def truncation_figures(cfg: recipe.BPTTConfig, k: int):
    return (figs.truncation_figure(run(cfg), truncate(cfg, k), cfg.loss),
            figs.truncation_error_figure(curve(cfg), k))


# -- controls -------------------------------------------------------------------------------------------
def network_controls() -> recipe.BPTTConfig:
    """The network and its loss, as on /unrolled but with one hidden unit so every gradient is a number."""
    S, values = SETTINGS, {}
    with ui.control_box():
        c1, c2, c3, c4 = st.columns(4, gap="medium")
        values["sequence"] = draw(S["sequence"], c1)
        # Typed numbers set their own length, so the length slider gives way to the text box.
        name = "values" if values["sequence"] == "typed" else "length"
        values[name] = draw(S[name], c1)
        for name, col in (("w_rec", c2), ("w_in", c2), ("activation", c3), ("bias", c3), ("every", c4),
                          ("target", c4)):
            values[name] = draw(S[name], col)
    return ui.checked(config, values)


def step_table(res: recipe.BPTTResult, trunc: recipe.Truncation | None = None) -> pd.DataFrame:
    """The numbers behind the charts, one row per step (the CSV download)."""
    df = pd.DataFrame({
        "t": range(1, res.steps + 1), "x_t": res.x, "a_t": res.a, "h_t": res.h, "act'(a_t)": res.deriv,
        "dloss_t/dh_t": res.local, "dL/dh_t": res.dh, "factor w_rec*act'(a_t)": res.factors,
        "dh_T/dh_t": res.running, "dL/da_t": res.da, "share of dL/dw_rec": res.contributions,
    })
    if trunc is not None:
        df[f"share kept by truncated BPTT (k={trunc.k})"] = trunc.contributions
    return df


# -- sections -------------------------------------------------------------------------------------------
def intro(cfg: recipe.BPTTConfig) -> None:
    st.markdown(
        "Training an RNN means asking: *if I nudge the shared weight, how does the loss change?* "
        "The weight is used at every step, so the answer has to be collected from every step. "
        "**Backpropagation through time** does exactly that: unroll the loop into a chain of steps, "
        "then run ordinary backpropagation from the loss back to the first step."
    )
    loss = r"L = \tfrac12\,(h_T - y)^2" if cfg.loss == "last" else r"L = \sum_{t=1}^{T} \tfrac12\,(h_t - y)^2"
    st.latex(r"a_t = w_{in}\,x_t + w_{rec}\,h_{t-1} + b, \qquad h_t = \mathrm{act}(a_t), \qquad " + loss)


def flow_section(res: recipe.BPTTResult, cfg: recipe.BPTTConfig) -> None:
    """The unrolled chain with the backward pass scrubbed inside it (no rerun); a link sets the step it starts at."""
    T = res.steps
    start = link_value(SETTINGS["step"], 1, T, T)
    st.caption("Drag the slider under the chain — or press ▶ — to walk the gradient back from the loss, one step "
               "at a time.")
    ui.plot(flow_film(cfg, start), key="bptt_flow", min_width=film.min_width(T),
            alt="Unrolled chain of hidden states with a slider over the backward pass: each state is coloured by the "
                "gradient of the loss with respect to it once the gradient has reached it")
    text, numbers = ui.beside((1, 1))
    with text:
        st.markdown(
            "Each circle is a hidden state $h_t$. The gradient starts at the loss and walks **backwards**: a state "
            "fills with the colour of $\\partial L/\\partial h_t$ when it is reached (hollow until then) — how "
            "much the loss would change if that state were nudged (orange positive, blue negative, pale grey ≈ 0). "
            "Crossing one step multiplies it by $w_{rec}\\,\\mathrm{act}'(a_t)$, the number on each arrow. A step "
            "also adds the push of its own loss, if it has one."
        )
    with numbers:
        st.latex(r"\frac{\partial L}{\partial h_t} = "
                 r"\underbrace{\frac{\partial \ell_t}{\partial h_t}}_{\text{own loss}} + "
                 r"\underbrace{w_{rec}\,\mathrm{act}'(a_{t+1})}_{\text{factor}}\;\frac{\partial L}{\partial h_{t+1}}")
        st.caption("The first line above the chain is this recursion with the numbers of the step the gradient has "
                   "reached. The second is what that step adds to the shared weight's gradient, and the sum "
                   "collected so far: at t = 1 it is the whole ∂L/∂w_rec of section 3.")


def chain_section(res: recipe.BPTTResult, cfg: recipe.BPTTConfig) -> None:
    with ui.chart_beside(chain_figure(cfg), key="bptt_chain",
                      alt="Per-step factors of the chain rule and their running product on a log axis"):
        st.markdown(
            "Unfold the recursion and the chain rule becomes a **product**: to reach step $t$ from the last "
            "step, the gradient is multiplied by one factor per step in between."
        )
        st.latex(r"\frac{\partial h_T}{\partial h_t} = \prod_{s=t+1}^{T} \frac{\partial h_s}{\partial h_{s-1}}"
                 r" = \prod_{s=t+1}^{T} w_{rec}\,\mathrm{act}'(a_s)")
        st.markdown(
            "Factors below 1 in size shrink the signal (blue bars), factors above 1 grow it (orange), and a "
            "product of many of them does so *exponentially* — which is why the bottom panel needs a log axis. "
            + stories.CHAIN_BOUND
        )
        if res.steps > 1:
            st.metric("Survives the trip back to step 1", compact(abs(res.running[0]), width=9),
                      help="|∂h_T/∂h_1|: the fraction of the last step's error that reaches the first step.")


def contributions_section(res: recipe.BPTTResult, cfg: recipe.BPTTConfig) -> None:
    with ui.chart_beside(contributions_figure(cfg), key="bptt_contrib", alt="Each step's contribution to the weight "
                      "gradient stacked into a waterfall that ends at the total"):
        st.markdown(
            "The same weight $w_{rec}$ is used at every step, so every step adds its own piece to the "
            "gradient — **the gradients from all time steps are summed up**:"
        )
        st.latex(r"\frac{\partial L}{\partial w_{rec}} = \sum_{t=1}^{T} \underbrace{\frac{\partial L}{\partial a_t}"
                 r"\, h_{t-1}}_{\text{step } t\text{'s share}}")
        st.latex(r"\text{with}\quad \frac{\partial L}{\partial a_t} = "
                 r"\frac{\partial L}{\partial h_t}\,\mathrm{act}'(a_t)")
        st.markdown(stories.sum_sentence(res))
        # One under the other, digit under digit: they are there to be compared (and long numbers fit).
        st.metric("Σ of the bars", compact(res.contributions_sum, width=12, digits=7))
        st.metric("∂L/∂w_rec from backward", compact(res.total, width=12, digits=7))


def truncation_story(trunc: recipe.Truncation, k: int, steps: int) -> None:
    """The text beside the truncation charts, with the truncated and full gradients."""
    st.markdown(
        "Long sequences make the backward pass long and memory-hungry. **Truncated BPTT** lets each "
        "loss flow back at most $k$ steps and simply ignores the rest: cheaper, but in general the "
        "gradient is no longer exact. Hatched bars are what it throws away."
    )
    st.latex(r"\frac{\partial L}{\partial w_{rec}} \approx \sum_{s} \; \sum_{t=s-k+1}^{s} c_{s,t}")
    st.caption("$c_{s,t}$: the share step $t$ contributes to the gradient of the loss at step $s$.")
    st.metric(f"Truncated (k = {k})", compact(trunc.total, width=10, digits=5))
    st.metric("Full BPTT", compact(trunc.full_total, width=10, digits=5))
    st.metric("Relative error", stories.relative_error_text(trunc.rel_error))
    st.markdown(f"{stories.TRUNCATION_GENERAL}\n\n{stories.truncation_sentence(trunc, steps)}")


@st.fragment
def truncation_section(res: recipe.BPTTResult, cfg: recipe.BPTTConfig) -> None:
    """Truncated BPTT with a window slider (reruns on its own)."""
    T = res.steps
    k = step_slider(SETTINGS["k"], 1, T, recipe.WINDOW)
    trunc = truncate(cfg, k)
    visual, text = ui.beside((3, 2))
    with visual:
        trunc_fig, err_fig = truncation_figures(cfg, k)
        ui.plot(trunc_fig, key="bptt_trunc",
             alt="Per-step contributions split into what truncated BPTT keeps and what it drops")
        ui.plot(err_fig, key="bptt_trunc_err",
             alt="Relative error of the truncated gradient against the window length k")
    with text:
        truncation_story(trunc, k, T)
    ui.csv_download(step_table(res, trunc), file_name="bptt_steps.csv", key="bptt_csv",
                 label="Download every per-step number (CSV)")


# -- the page ------------------------------------------------------------------------------------------
ui.lesson_header("Backpropagation through time",
              "Follow the error backwards through the unrolled network, one multiplication at a time.")


@ui.lesson_body
def lesson() -> None:
    cfg = network_controls()
    res = ui.checked(run, cfg)
    intro(cfg)
    if res.overflow_step is not None:
        st.warning(f"The forward pass overflowed at step {res.overflow_step + 1}: the state became too large for "
                   "floating-point numbers, so the gradients below are not meaningful.", icon=":material/warning:")

    st.subheader("1 · The gradient flows backwards", anchor=False)
    flow_section(res, cfg)
    st.subheader("2 · The chain rule, one factor per step", anchor=False)
    chain_section(res, cfg)
    st.subheader("3 · Every step contributes to the weight's gradient", anchor=False)
    contributions_section(res, cfg)
    st.subheader("4 · Truncated BPTT: cutting the chain short", anchor=False)
    truncation_section(res, cfg)


lesson()
try_this(PAGE, TRIES, SETTINGS)
