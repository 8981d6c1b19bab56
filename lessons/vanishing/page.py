"""Lesson: Vanishing and exploding gradients (/vanishing-gradients).

Widgets and presets (lessons/vanishing/settings.py) -> frozen configs -> cached recipe calls -> figures +
explanation. No maths here: the page only chooses, formats and explains.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from lessons.kit import layout as ui
from lessons.kit.cached import cached_call
from lessons.kit.numbers import compact, short
from lessons.kit.path import try_this
from lessons.kit.widgets import draw
from lessons.vanishing import figures as figs
from lessons.vanishing import recipe, stories
from lessons.vanishing.settings import CHAIN, PRESETS, SETTINGS, TRIES, chain_config, clip_config, matrix_config
from lessons.vanishing.sweep import sweep_film
from rnn_core import curve

PAGE = "lessons/vanishing/page.py"


# -- cached engine calls -------------------------------------------------------------------------------
chain = cached_call(recipe.run_chain, max_entries=256)
activation_curve = cached_call(curve, max_entries=32)
matrix = cached_call(recipe.run_matrix, max_entries=128)


@st.cache_data(max_entries=256, show_spinner=False)
def clip_2d(ccfg: recipe.ClipConfig) -> recipe.Clip2D:
    return recipe.clip_2d(ccfg.g1, ccfg.g2, ccfg.threshold)


@st.cache_data(max_entries=256, show_spinner=False)
def clip_run(cfg: recipe.ChainConfig, c: float) -> recipe.RunClip:
    return recipe.clip_run(recipe.run_chain(cfg), c)


# Figures are cached as shared objects (cache_resource: no copy per rerun). st.plotly_chart only reads a
# figure (it serialises a deep copy), so one object can safely serve every session.
@st.cache_resource(max_entries=128, show_spinner=False)
def norm_figure(cfg: recipe.ChainConfig):
    return figs.gradient_norm_figure(chain(cfg), activation=cfg.activation)


# The w sweep: 61 runs and 61 frames (about 0.25 MB of JSON at T = 200), built once and shared. Keyed on
# recipe.sweep_key (the page's w moved to the sweep's grid: the w slider's 301 values share 61 films); the config
# itself is not hashed (the leading underscore).
@st.cache_resource(max_entries=32, show_spinner=False)
def w_sweep(_cfg: recipe.ChainConfig, key: tuple):
    sw = recipe.sweep_chain(_cfg)
    return sweep_film(sw), stories.sweep_story(sw)


@st.cache_resource(max_entries=128, show_spinner=False)
def activation_figure(cfg: recipe.ChainConfig):
    a, y, d = activation_curve(cfg.activation)
    return figs.activation_figure(cfg.activation, a, y, d, chain(cfg))


@st.cache_resource(max_entries=128, show_spinner=False)
def matrix_figures(mcfg: recipe.MatrixConfig):
    m = matrix(mcfg)
    return figs.eigenvalue_figure(m), figs.matrix_norm_figure(m, activation=mcfg.activation)


@st.cache_resource(max_entries=256, show_spinner=False)
def clip_figures(cfg: recipe.ChainConfig, ccfg: recipe.ClipConfig):
    return figs.clip_vector_figure(clip_2d(ccfg)), figs.clip_effect_figure(clip_run(cfg, ccfg.threshold))


# -- controls ------------------------------------------------------------------------------------------
def apply_preset(name: str) -> None:
    """on_click callback: runs before the script, so the widgets are created with the new values."""
    st.session_state.update(PRESETS[name].state())


def chain_controls() -> recipe.ChainConfig:
    S, values = SETTINGS, {}
    with ui.control_box():
        c1, c2, c3 = st.columns([1, 1, 1], gap="medium")
        for name, col in zip(CHAIN, (c1, c1, c2, c2, c3), strict=True):
            values[name] = draw(S[name], col)
        with c3:
            st.caption("Classic examples, one click:")
            b1, b2 = st.columns(2)
            for col, name in zip((b1, b2, b1, b2), PRESETS, strict=True):
                col.button(PRESETS[name].label, key=f"vg_preset_{name}", on_click=apply_preset, args=(name,),
                           width="stretch")
    return chain_config(values)


def gradient_table(res: recipe.ChainResult) -> pd.DataFrame:
    """The data behind the main chart, one row per distance k from the loss."""
    status = np.where(~np.isfinite(res.grad), "overflow", np.where(res.grad == 0, "exactly 0", "finite"))
    T = res.grad.shape[0] - 1
    return pd.DataFrame({"k (steps back)": res.distance, "t (state h_t, t = T - k)": T - res.distance,
                         "|dL/dh_t|": res.grad, "|w|^k": res.analytic, "(|w|*max act')^k": res.bound,
                         "status": status})


# -- sections ------------------------------------------------------------------------------------------
def norm_messages(cfg: recipe.ChainConfig, res: recipe.ChainResult) -> None:
    """Overflow and exact zeros are part of the lesson: say what happened, and why, in words."""
    fmt_name = "float32" if cfg.precision == "float32" else "float64"
    if res.forward_overflow is not None:
        st.warning(f"The forward pass overflowed at step {res.forward_overflow + 1}: h became larger than "
                   f"{fmt_name} can hold, so it is ±inf (or NaN) from there on.", icon=":material/warning:")
    if res.overflow_distance is not None:
        st.warning(f"**The gradient overflowed at k = {res.overflow_distance}** steps back from the loss: the "
                   f"number became too large for {fmt_name}, so every step beyond is inf (or NaN, where an inf "
                   "met a 0). Those points sit on the chart's top edge.", icon=":material/warning:")
    if res.zero_distance is not None:
        st.info(f"From k = {res.zero_distance} the gradient is **exactly 0** (marked on the bottom edge: a log "
                f"axis has no 0). {stories.zero_reason(res, fmt_name)}", icon=":material/info:")


def norm_section(cfg: recipe.ChainConfig, res: recipe.ChainResult) -> None:
    norm_messages(cfg, res)
    visual, text = ui.beside((3, 2))
    with visual:
        ui.plot(norm_figure(cfg), key="vg_norm",
             alt="Size of the gradient against the number of steps back from the loss, on a log axis")
        ui.csv_download(gradient_table(res), file_name="gradient_norms.csv", key="vg_csv")
    with text:
        st.markdown(stories.EQUATION)
        st.latex(r"\left|\frac{\partial L}{\partial h_{T-k}}\right| = \prod_{s=T-k+1}^{T} |w|\,|\mathrm{act}'(a_s)|")
        st.latex(r"\le\; \big(|w| \cdot \max|\mathrm{act}'|\big)^{k}")
        st.markdown(stories.POWERS)
        far = res.grad[-1]
        c1, c2 = st.columns(2)
        c1.metric(f"|∂L/∂h₀| (k = {cfg.length})", "exactly 0" if far == 0 else short(far),
                  help=f"The gradient that reached the initial state h₀, all {cfg.length} steps back.")
        c2.metric(f"|w|^{cfg.length}", short(res.analytic[-1]))


def sweep_section(cfg: recipe.ChainConfig) -> None:
    """Every w from 0 to 3 in the browser: the slider inside the chart starts at the page's w."""
    st.markdown("#### Sweep the recurrent weight")
    fig, story = w_sweep(cfg, recipe.sweep_key(cfg))
    with ui.chart_beside(fig, key="vg_sweep", ratio=(3, 2),
                         alt="The gradient against steps back on a log axis, with the slope of every step below it "
                             "and a slider over the recurrent weight w"):
        st.markdown(story)


def activation_section(cfg: recipe.ChainConfig, res: recipe.ChainResult) -> None:
    with ui.chart_beside(activation_figure(cfg), key="vg_act_fig",
                      alt="The activation function beside its derivative, with this run's steps marked"):
        st.markdown(stories.SATURATION)
        st.latex(r"\sigma'(a) = \sigma(a)\,\big(1-\sigma(a)\big) \le \tfrac14")
        st.latex(r"\tanh'(a) = 1 - \tanh^2(a) \xrightarrow{\;|a|\to\infty\;} 0")
        st.markdown(stories.SIGMOID_RELU)
    left, right = st.columns(2, gap="large")
    left.markdown(stories.LEAKY_ELU)
    right.markdown(stories.NORMALISATION)


def matrix_story(m: recipe.MatrixResult, rho: float) -> None:
    """The text under the matrix charts: why ρ matters, and the measured factor per step."""
    text, numbers = ui.beside((3, 2))
    with text:
        st.markdown(stories.MATRIX)
        st.latex(r"\left\|\frac{\partial h_T}{\partial h_{T-k}}\right\|_2 = \|(\rho Q)^k\|_2 = \rho^{k}")
    with numbers:
        rate = "—" if not np.isfinite(m.rate) else f"{m.rate:.3f}"
        st.metric("Measured factor per step", f"× {rate}", help="Geometric mean of the shrink/growth per step.")
        caption = stories.matrix_caption(m)
        if caption:
            st.caption(caption)


@st.fragment
def matrix_section(cfg: recipe.ChainConfig) -> None:
    """Many hidden units: W_hh = ρ·Q. Its own sliders rerun only this part."""
    c1, c2 = st.columns(2)
    values = {"hidden": draw(SETTINGS["hidden"], c1), "radius": draw(SETTINGS["radius"], c2)}
    mcfg = matrix_config(values, cfg)
    with ui.user_errors(stop=False):
        m = matrix(mcfg)
        eig_fig, norm_fig = matrix_figures(mcfg)
        left, right = st.columns(2, gap="large")
        with left:
            ui.plot(eig_fig, key="vg_eig",
                 alt="Eigenvalues of the recurrent matrix against the unit circle")
        with right:
            ui.plot(norm_fig, key="vg_matrix_norm",
                 alt="Spectral norm of the Jacobian from the last state back k steps, on a log axis")
        matrix_story(m, mcfg.radius)


def clip_vector_part(ccfg: recipe.ClipConfig, vector_fig) -> None:
    """The 2-D example: both rules side by side, and how far each one turns the gradient."""
    clip = clip_2d(ccfg)
    with ui.chart_beside(vector_fig, key="vg_clip",
                      alt="A two-dimensional gradient clipped by value and by norm"):
        st.markdown("Gradient clipping caps how big a step the optimizer can take. Two rules:")
        st.latex(r"\text{by value: } g_i \leftarrow \min\big(\max(g_i, -c),\, c\big)")
        st.latex(r"\text{by norm: } g \leftarrow c\,\frac{g}{\|g\|} \quad \text{if } \|g\| > c")
        st.markdown(stories.CLIP_RULES)
        a1, a2 = st.columns(2)
        a1.metric("By value: turned", degrees(clip.angle_value))
        a2.metric("By norm: turned", degrees(clip.angle_norm))


def degrees(angle: float) -> str:
    """An angle as the metrics show it: one decimal (a rounding-level 1e-6° reads 0.0°), — when undefined."""
    return "—" if not np.isfinite(angle) else f"{angle:.1f}°"


def clip_run_caption(rc: recipe.RunClip, c: float) -> None:
    """What clipping did to this run's gradient, in one line (or why it cannot help)."""
    if not np.isfinite(rc.norm_before):
        st.warning(stories.CLIP_OVERFLOW, icon=":material/warning:")
    elif rc.scale < 1:
        st.caption(f"‖g‖ = {short(rc.norm_before)} > c = {short(c)}: everything is multiplied by "
                   f"{short(rc.scale)}. By value the 3-D gradient turns {degrees(rc.angle_value)}, "
                   f"by norm {degrees(rc.angle_norm)}.")
    else:
        st.caption(f"‖g‖ = {short(rc.norm_before)} ≤ c = {short(c)}: nothing is clipped.")


def clip_run_part(cfg: recipe.ChainConfig, c: float, effect_fig) -> None:
    """Clipping the run's own gradient: the curve slides down, its shape stays."""
    rc = clip_run(cfg, c)
    with ui.chart_beside(effect_fig, key="vg_clip_effect",
                      alt="Gradient size against steps back, before and after clipping by norm"):
        st.markdown(stories.CLIP_RUN)
        clip_run_caption(rc, c)
        st.table(clip_table(rc))


def clip_table(rc: recipe.RunClip) -> pd.DataFrame:
    """The run's three-weight gradient before and after each rule, as short text (a static table: it wraps
    instead of cutting numbers off at any width)."""
    fmt = lambda values: [compact(v, width=9, digits=4) for v in values]  # noqa: E731
    return pd.DataFrame({"gradient": fmt(rc.before), "by value": fmt(rc.by_value), "by norm": fmt(rc.by_norm)},
                        index=[f"∂L/∂{name}" for name in rc.names])


@st.fragment
def clipping_section(cfg: recipe.ChainConfig) -> None:
    """Clipping by value vs by norm, on a 2-D vector and on the run's gradient. Reruns on its own."""
    columns = st.columns(3)
    ccfg = clip_config({name: draw(SETTINGS[name], col) for name, col in zip(("g1", "g2", "threshold"), columns,
                                                                            strict=True)})
    with ui.user_errors(stop=False):
        vector_fig, effect_fig = clip_figures(cfg, ccfg)
        clip_vector_part(ccfg, vector_fig)
        clip_run_part(cfg, ccfg.threshold, effect_fig)


# -- the page ------------------------------------------------------------------------------------------
ui.lesson_header("Vanishing and exploding gradients",
              "Multiply a number by itself fifty times and watch what happens to the gradient.")


@ui.lesson_body
def lesson() -> None:
    cfg = chain_controls()
    res = ui.checked(chain, cfg)

    st.subheader("1 · How far back can a gradient reach?", anchor=False)
    norm_section(cfg, res)
    sweep_section(cfg)
    st.subheader("2 · Saturation: why the activation matters", anchor=False)
    activation_section(cfg, res)
    st.subheader("3 · The matrix case: eigenvalues and the unit circle", anchor=False)
    matrix_section(cfg)
    st.subheader("4 · Gradient clipping: by value or by norm", anchor=False)
    clipping_section(cfg)


lesson()
try_this(PAGE, TRIES, SETTINGS)
