"""Lesson: Backpropagation through time (/bptt).

Widgets -> a frozen BPTTConfig -> cached rnn_core.demos.bptt calls -> figures from views.figures.bptt.
No maths here: the page only chooses, formats and explains.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnn_core.demos import bptt as demo
from views.figures import bptt as figs
from views.figures.bptt import fmt
from views.lessons.common import beside, csv_download, lesson_body, lesson_header, plot, user_errors

# Labels are also what the URL stores for a bound selectbox, so they stay short.
SEQUENCE_LABELS = {"step": "step", "impulse": "impulse", "sine": "sine", "random walk": "random walk",
                   "typed": "typed numbers"}
ACTIVATION_LABELS = {"tanh": "tanh", "sigmoid": "sigmoid", "relu": "ReLU", "leaky_relu": "leaky ReLU", "elu": "ELU",
                     "identity": "identity"}


# -- cached engine calls (the config is frozen, so it is the cache key) ---------------------------------
@st.cache_data(max_entries=256, show_spinner=False)
def run(cfg: demo.BPTTConfig) -> demo.BPTTResult:
    return demo.run_bptt(cfg)


@st.cache_data(max_entries=256, show_spinner=False)
def truncate(cfg: demo.BPTTConfig, k: int) -> demo.Truncation:
    return demo.truncate(cfg, k)


@st.cache_data(max_entries=64, show_spinner=False)
def curve(cfg: demo.BPTTConfig) -> demo.TruncationCurve:
    return demo.truncation_curve(cfg)


@st.cache_data(max_entries=64, show_spinner=False)
def parse(text: str) -> tuple[float, ...]:
    return demo.parse_numbers(text)


# Figures are cached as shared objects (cache_resource: no copy per rerun). st.plotly_chart only reads a
# figure (it serialises a deep copy), so one object can safely serve every session.
@st.cache_resource(max_entries=256, show_spinner=False)
def flow_figure(cfg: demo.BPTTConfig, t: int):
    return figs.gradient_flow_figure(run(cfg), highlight=t)


@st.cache_resource(max_entries=64, show_spinner=False)
def chain_figure(cfg: demo.BPTTConfig):
    return figs.chain_rule_figure(run(cfg))


@st.cache_resource(max_entries=64, show_spinner=False)
def contributions_figure(cfg: demo.BPTTConfig):
    return figs.contributions_figure(run(cfg))


@st.cache_resource(max_entries=256, show_spinner=False)
def truncation_figures(cfg: demo.BPTTConfig, k: int):
    return (figs.truncation_figure(run(cfg), truncate(cfg, k), cfg.loss),
            figs.truncation_error_figure(curve(cfg), k))


def clamp_state(key: str, lo: int, hi: int) -> None:
    """Keep a slider whose range follows T inside that range (a shorter sequence must not raise)."""
    value = st.session_state.get(key)
    if hi > lo and value is not None and not lo <= value <= hi:
        st.session_state[key] = min(max(value, lo), hi)


# -- controls -------------------------------------------------------------------------------------------
def network_controls() -> demo.BPTTConfig:
    """The network and its loss, as on /unrolled but with one hidden unit so every gradient is a number."""
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns(4, gap="medium")
        with c1:
            sequence = st.selectbox("Input sequence", demo.SEQUENCES, index=1, key="bptt_seq",
                                    format_func=SEQUENCE_LABELS.get, bind="query-params")
            if sequence == "typed":
                text = st.text_input("Numbers (comma separated)", "0, 1, 0, 0, 0, 0, 0, 0", key="bptt_numbers",
                                     bind="query-params", help=f"Up to {demo.MAX_LENGTH} numbers within ±100.")
            else:
                length = st.slider("Sequence length T", 1, demo.MAX_LENGTH, 12, key="bptt_T", bind="query-params")
        with c2:
            w_rec = st.slider("Recurrent weight w_rec", -2.0, 2.0, 0.9, 0.05, key="bptt_w_rec", bind="query-params",
                              help="The weight on the arrow h_{t-1} → h_t, shared by every step.")
            w_in = st.slider("Input weight w_in", -2.0, 2.0, 1.0, 0.05, key="bptt_w_in", bind="query-params")
        with c3:
            activation = st.selectbox("Activation", list(ACTIVATION_LABELS), key="bptt_act",
                                      format_func=ACTIVATION_LABELS.get, bind="query-params")
            bias = st.slider("Bias b", -1.0, 1.0, 0.0, 0.05, key="bptt_b", bind="query-params")
        with c4:
            every = st.toggle("Loss at every step", value=False, key="bptt_every", bind="query-params",
                              help="Off: only the last output is compared with the target. On: every output is.")
            target = st.slider("Target y", -1.0, 1.0, 0.5, 0.05, key="bptt_y", bind="query-params")
    values: tuple[float, ...] = ()
    if sequence == "typed":
        with user_errors():
            values = parse(text)
        length = len(values)
    return demo.BPTTConfig(sequence=sequence, length=length, w_in=w_in, w_rec=w_rec, bias=bias,
                           activation=activation, loss="every" if every else "last", target=target, values=values)


def step_table(res: demo.BPTTResult, trunc: demo.Truncation | None = None) -> pd.DataFrame:
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
def intro(cfg: demo.BPTTConfig) -> None:
    st.markdown(
        "Training an RNN means asking: *if I nudge the shared weight, how does the loss change?* "
        "The weight is used at every step, so the answer has to be collected from every step. "
        "**Backpropagation through time** does exactly that: unroll the loop into a chain of steps, "
        "then run ordinary backpropagation from the loss back to the first step."
    )
    loss = r"L = \tfrac12\,(h_T - y)^2" if cfg.loss == "last" else r"L = \sum_{t=1}^{T} \tfrac12\,(h_t - y)^2"
    st.latex(r"a_t = w_{in}\,x_t + w_{rec}\,h_{t-1} + b, \qquad h_t = \mathrm{act}(a_t), \qquad " + loss)


@st.fragment
def flow_section(res: demo.BPTTResult, cfg: demo.BPTTConfig) -> None:
    """The unrolled chain with ∂L/∂h_t and a step-through of the backward recursion (reruns on its own)."""
    T = res.steps
    clamp_state("bptt_step", 1, T)
    t = st.slider("Step through the backward pass: step t", 1, T, T, key="bptt_step",
                  bind="query-params") if T > 1 else 1
    plot(flow_figure(cfg, t), key="bptt_flow",
         alt="Unrolled chain of hidden states coloured by the gradient of the loss with respect to each one")
    i = t - 1
    text, numbers = beside((1, 1))
    with text:
        st.markdown(
            "Each circle is a hidden state $h_t$, coloured by $\\partial L/\\partial h_t$: how much the loss "
            "would change if that state were nudged (orange positive, blue negative, grey ≈ 0). "
            "The gradient starts at the loss and walks **backwards**: crossing one step multiplies it by "
            "$w_{rec}\\,\\mathrm{act}'(a_t)$, the number on each arrow. A step also adds the push of its own "
            "loss, if it has one."
        )
    with numbers:
        st.latex(r"\frac{\partial L}{\partial h_t} = "
                 r"\underbrace{\frac{\partial \ell_t}{\partial h_t}}_{\text{own loss}} + "
                 r"\underbrace{w_{rec}\,\mathrm{act}'(a_{t+1})}_{\text{factor}}\;\frac{\partial L}{\partial h_{t+1}}")
        if t < T:
            st.latex(rf"\frac{{\partial L}}{{\partial h_{{{t}}}}} = {fmt(res.local[i])} + "
                     rf"({fmt(res.factors[i + 1])})\times({fmt(res.dh[i + 1])}) = \mathbf{{{fmt(res.dh[i], 4)}}}")
            st.caption(f"Step {t} (ringed): its own loss pushes {fmt(res.local[i])}; step {t + 1} sends back "
                       f"{fmt(res.dh[i + 1])} × {fmt(res.factors[i + 1])}.")
        else:
            st.latex(rf"\frac{{\partial L}}{{\partial h_{{{T}}}}} = h_{{{T}}} - y = {fmt(res.h[i])} - "
                     rf"({fmt(cfg.target)}) = \mathbf{{{fmt(res.dh[i], 4)}}}")
            st.caption("The last step (ringed): only its own loss pushes on it. Move the slider left to walk back.")


def chain_section(res: demo.BPTTResult, cfg: demo.BPTTConfig) -> None:
    visual, text = beside((3, 2))
    with visual:
        plot(chain_figure(cfg), key="bptt_chain",
             alt="Per-step factors of the chain rule and their running product on a log axis")
    with text:
        st.markdown(
            "Unfold the recursion and the chain rule becomes a **product**: to reach step $t$ from the last "
            "step, the gradient is multiplied by one factor per step in between."
        )
        st.latex(r"\frac{\partial h_T}{\partial h_t} = \prod_{s=t+1}^{T} \frac{\partial h_s}{\partial h_{s-1}}"
                 r" = \prod_{s=t+1}^{T} w_{rec}\,\mathrm{act}'(a_s)")
        st.markdown(
            "Factors below 1 in size shrink the signal, factors above 1 grow it, and a product of many of "
            "them does so *exponentially* — which is why the bottom panel needs a log axis. "
            "Since $|\\mathrm{act}'| \\le 1$ for tanh, the product can never beat $|w_{rec}|^{T-t}$ (dashed)."
        )
        if res.steps > 1:
            st.metric("Survives the trip back to step 1", f"{fmt(abs(res.running[0]))}",
                      help="|∂h_T/∂h_1|: the fraction of the last step's error that reaches the first step.")


def contributions_section(res: demo.BPTTResult, cfg: demo.BPTTConfig) -> None:
    visual, text = beside((3, 2))
    with visual:
        plot(contributions_figure(cfg), key="bptt_contrib",
             alt="Each step's contribution to the weight gradient stacked into a waterfall that ends at the total")
    with text:
        st.markdown(
            "The same weight $w_{rec}$ is used at every step, so every step adds its own piece to the "
            "gradient — **the gradients from all time steps are summed up**:"
        )
        st.latex(r"\frac{\partial L}{\partial w_{rec}} = \sum_{t=1}^{T} \underbrace{\frac{\partial L}{\partial a_t}"
                 r"\, h_{t-1}}_{\text{step } t\text{'s share}}")
        st.latex(r"\text{with}\quad \frac{\partial L}{\partial a_t} = "
                 r"\frac{\partial L}{\partial h_t}\,\mathrm{act}'(a_t)")
        st.markdown(
            "Each bar starts where the previous one ended; the last one lands exactly on the green total "
            "that `backward` computed in one pass."
        )
        c1, c2 = st.columns(2)
        c1.metric("Σ of the bars", fmt(res.contributions_sum, 6))
        c2.metric("∂L/∂w_rec from backward", fmt(res.total, 6))
        st.caption(f"Difference: {abs(res.contributions_sum - res.total):.1e} (floating-point rounding only).")


@st.fragment
def truncation_section(res: demo.BPTTResult, cfg: demo.BPTTConfig) -> None:
    """Truncated BPTT with a window slider (reruns on its own)."""
    T = res.steps
    clamp_state("bptt_k", 1, T)
    k = st.slider("Truncation window k (steps each loss may flow back)", 1, T, min(4, T), key="bptt_k",
                  bind="query-params") if T > 1 else 1
    trunc = truncate(cfg, k)
    visual, text = beside((3, 2))
    with visual:
        trunc_fig, err_fig = truncation_figures(cfg, k)
        plot(trunc_fig, key="bptt_trunc",
             alt="Per-step contributions split into what truncated BPTT keeps and what it drops")
        plot(err_fig, key="bptt_trunc_err",
             alt="Relative error of the truncated gradient against the window length k")
    with text:
        st.markdown(
            "Long sequences make the backward pass long and memory-hungry. **Truncated BPTT** lets each "
            "loss flow back at most $k$ steps and simply ignores the rest: cheaper, but the gradient is "
            "no longer exact. Hatched bars are what it throws away."
        )
        st.latex(r"\frac{\partial L}{\partial w_{rec}} \approx \sum_{s} \; \sum_{t=s-k+1}^{s} c_{s,t}")
        st.caption("$c_{s,t}$: the share step $t$ contributes to the gradient of the loss at step $s$.")
        c1, c2 = st.columns(2)
        c1.metric(f"Truncated (k = {k})", fmt(trunc.total, 5))
        c2.metric("Full BPTT", fmt(trunc.full_total, 5))
        err = trunc.rel_error
        shown = "exact (0)" if err == 0 else (f"{100 * err:.3g} %" if err >= 1e-4 else f"{err:.1e}")
        st.metric("Relative error", shown)
        st.markdown(
            "When the factors are small the far-away shares were tiny anyway, so even a short window is "
            "nearly exact; with factors near or above 1 the dropped shares matter. With $k \\ge T$ "
            "nothing is dropped and the result is exactly full BPTT."
        )
    csv_download(step_table(res, trunc), file_name="bptt_steps.csv", key="bptt_csv",
                 label="Download every per-step number (CSV)")


# -- the page ------------------------------------------------------------------------------------------
lesson_header("Backpropagation through time",
              "Follow the error backwards through the unrolled network, one multiplication at a time.")


@lesson_body
def lesson() -> None:
    cfg = network_controls()
    with user_errors():
        res = run(cfg)
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
