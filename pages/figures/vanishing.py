"""Figures for the /vanishing-gradients lesson: gradient size against distance from the loss (log axis,
with the analytic |w|^k), an activation next to its derivative, eigenvalues against the unit circle,
and gradient clipping by value vs by norm.

Pure functions: demo dataclasses in, ``go.Figure`` out. No Streamlit. Zeros and overflows on log axes
are drawn as labelled markers (``add_log_series``), never dropped.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnn_core.demos.vanishing import ChainResult, Clip2D, MatrixResult, RunClip

from .bptt import add_log_series, fmt, log_axis_range, log_limits
from .theme import BLUE, GREEN, NEUTRAL, ORANGE, PURPLE, VERMILLION, f32, style

SATURATED = 0.1  # act'(a) below this: the unit is "saturated" and passes back less than a tenth
ACTIVATION_LABEL = {"identity": "identity", "tanh": "tanh", "sigmoid": "σ (sigmoid)", "relu": "ReLU",
                    "leaky_relu": "leaky ReLU", "elu": "ELU"}


def _log_layout(fig: go.Figure, floor: float, ceil: float, *, height: int, x_title: str, y_title: str) -> None:
    style(fig, height=height, hovermode="x unified", x_title=x_title, y_title=y_title)
    fig.update_yaxes(type="log", range=log_axis_range(floor, ceil), exponentformat="power")
    fig.update_layout(legend={"orientation": "h", "y": -0.22, "yanchor": "top", "x": 0, "xanchor": "left"},
                      margin={"t": 24, "b": 10, "l": 10, "r": 10})


def _one_line(fig: go.Figure, floor: float, ceil: float) -> None:
    """A dotted line at 1: above it the gradient grew on its way back, below it it shrank."""
    if floor < 1 < ceil:
        fig.add_hline(y=1, line={"color": NEUTRAL, "dash": "dot", "width": 1})


# -- the scalar chain -----------------------------------------------------------------------------------
def gradient_norm_figure(chain: ChainResult, *, activation: str) -> go.Figure:
    """|∂L/∂h_t| against k = steps back from the loss (log axis), with |w|^k and, where act' ≤ c < 1,
    the best case (|w|·c)^k. Exact zeros sit on the floor, overflows on the ceiling, both labelled.
    """
    k = chain.distance
    show_bound = not np.allclose(chain.bound, chain.analytic, equal_nan=True)
    floor, ceil = log_limits(chain.grad, chain.analytic, *([chain.bound] if show_bound else []))
    fig = go.Figure()
    add_log_series(fig, k, chain.analytic, name=f"|w|<sup>k</sup> = {fmt(abs(chain.w), 3)}<sup>k</sup>",
                   color=NEUTRAL, dash="dash", floor=floor, ceil=ceil, mode="lines", special=False, width=2)
    if show_bound:
        add_log_series(fig, k, chain.bound, name="(|w|·max act′)<sup>k</sup>: the best case", color=ORANGE,
                       dash="dot", floor=floor, ceil=ceil, mode="lines", special=False, width=2)
    add_log_series(fig, k, chain.grad, name=f"|∂L/∂h| with {ACTIVATION_LABEL.get(activation, activation)}",
                   color=BLUE, floor=floor, ceil=ceil, width=3)
    _one_line(fig, floor, ceil)
    if chain.overflow_distance is not None:
        fig.add_vline(x=chain.overflow_distance, line={"color": VERMILLION, "dash": "dot", "width": 2},
                      annotation_text=f"overflowed at k = {chain.overflow_distance}",
                      annotation_position="top left", annotation_font_color=VERMILLION)
    if chain.zero_distance is not None:
        fig.add_annotation(x=chain.zero_distance, y=np.log10(floor), text=f"exactly 0 from k = {chain.zero_distance}",
                           showarrow=True, arrowhead=2, ax=40, ay=-36, font={"size": 12, "color": BLUE},
                           arrowcolor=BLUE)
    _log_layout(fig, floor, ceil, height=400, x_title="k = steps back from the loss",
                y_title="|∂L/∂h<sub>T−k</sub>|")
    return fig


def activation_figure(name: str, a: np.ndarray, y: np.ndarray, d: np.ndarray, chain: ChainResult | None = None,
                      ) -> go.Figure:
    """Left: act(a). Right: act'(a), with the saturated zone (act' < 0.1) shaded and its maximum marked.
    ``chain``: the run's own (a_t, act(a_t), act'(a_t)) drawn as dots, so you see where the steps landed.
    """
    lo, hi = float(a[0]), float(a[-1])
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=f32(a), y=f32(y), mode="lines", line={"color": BLUE, "width": 3}, name="act(a)",
                             hovertemplate="a = %{x:.2f}: act(a) = %{y:.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=f32(a), y=f32(d), mode="lines", line={"color": ORANGE, "width": 3}, name="act′(a)",
                             xaxis="x2", yaxis="y2", hovertemplate="a = %{x:.2f}: act′(a) = %{y:.3f}<extra></extra>"))
    # Shade where the derivative is tiny: a gradient crossing such a step is cut by 10× or more.
    sat = d < SATURATED
    if sat.any() and not sat.all():
        edges = np.flatnonzero(np.diff(sat.astype(int)))
        starts = [0, *list(edges + 1)] if sat[0] else list(edges + 1)
        for s0 in starts:
            if not sat[s0]:
                continue
            e = s0
            while e + 1 < sat.size and sat[e + 1]:
                e += 1
            for xref, yref in (("x", "y domain"), ("x2", "y2 domain")):
                fig.add_shape(type="rect", x0=float(a[s0]), x1=float(a[e]), y0=0, y1=1, xref=xref, yref=yref,
                              fillcolor="rgba(213,94,0,0.08)", line_width=0, layer="below")
        fig.add_annotation(x=float(a[np.flatnonzero(sat)[0]]), y=1, xref="x2", yref="y2 domain", xanchor="left",
                           yanchor="top", showarrow=False, text="saturated:<br>act′ < 0.1",
                           font={"size": 11, "color": VERMILLION})
    dmax = float(np.max(d))
    fig.add_shape(type="line", xref="x2 domain", yref="y2", x0=0, x1=1, y0=dmax, y1=dmax,
                  line={"color": NEUTRAL, "dash": "dot", "width": 1})
    note = {"sigmoid": "σ′ ≤ 0.25 everywhere", "tanh": "tanh′ ≤ 1, → 0 for large |a|",
            "relu": "ReLU′ is 0 or 1", "leaky_relu": "0.01 or 1", "elu": "e<sup>a</sup> for a < 0, else 1",
            "identity": "always 1"}.get(name, f"max {dmax:.3g}")
    fig.add_annotation(x=1, y=dmax, xref="x2 domain", yref="y2", xanchor="right", yanchor="bottom",
                       showarrow=False, text=note, font={"size": 12})
    if chain is not None:
        pa = np.clip(chain.pre, lo, hi)
        out = int(np.sum((np.abs(chain.pre) > max(abs(lo), abs(hi))) | ~np.isfinite(chain.pre)))
        steps = np.arange(1, chain.pre.shape[0] + 1)
        fig.add_trace(go.Scatter(
            x=f32(pa), y=f32(np.clip(np.nan_to_num(chain.h), -1e6, 1e6)), mode="markers", name="this run's steps",
            marker={"color": PURPLE, "size": 6, "opacity": 0.6}, customdata=steps,
            hovertemplate="step %{customdata}: a = %{x:.2f}<extra></extra>", legendgroup="run"))
        fig.add_trace(go.Scatter(
            x=f32(pa), y=f32(np.nan_to_num(chain.deriv)), mode="markers", name="this run's steps", xaxis="x2",
            yaxis="y2", marker={"color": PURPLE, "size": 6, "opacity": 0.6}, customdata=steps, showlegend=False,
            hovertemplate="step %{customdata}: act′(a) = %{y:.3f}<extra></extra>", legendgroup="run"))
        if out:
            fig.add_annotation(x=0.5, y=-0.3, xref="paper", yref="paper", showarrow=False,
                               text=f"{out} step{'s' if out > 1 else ''} had |a| > {hi:g}: drawn at the edge",
                               font={"size": 12, "color": NEUTRAL})
    style(fig, height=330, hovermode="closest")
    ylo = float(min(np.min(y), -0.1))
    yhi = float(max(np.max(y), 1.1))
    fig.update_layout(
        xaxis={"domain": [0, 0.46], "title": {"text": "a"}, "range": [lo, hi]},
        yaxis={"title": {"text": f"{ACTIVATION_LABEL.get(name, name)}(a)"}, "range": [ylo - 0.1, yhi + 0.1]},
        xaxis2={"domain": [0.56, 1], "anchor": "y2", "title": {"text": "a"}, "range": [lo, hi]},
        yaxis2={"anchor": "x2", "title": {"text": "derivative"}, "range": [-0.05, max(1.1, dmax * 1.15)]},
        legend={"y": 1.12, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        margin={"t": 40, "b": 10, "l": 10, "r": 10},
    )
    if name == "identity":
        fig.update_yaxes(range=[lo, hi], selector={"anchor": "x"})
    return fig


# -- the matrix case ------------------------------------------------------------------------------------
def _circle(r: float, n: int = 181) -> tuple[np.ndarray, np.ndarray]:
    th = np.linspace(0, 2 * np.pi, n)
    return r * np.cos(th), r * np.sin(th)


def radius_color(rho: float) -> str:
    """Blue when gradients shrink (ρ < 1), vermillion when they grow, green on the unit circle."""
    return GREEN if abs(rho - 1) < 1e-9 else (BLUE if rho < 1 else VERMILLION)


def eigenvalue_figure(m: MatrixResult) -> go.Figure:
    """Eigenvalues of W_hh in the complex plane, the unit circle, and the circle |λ| = ρ they lie on."""
    fig = go.Figure()
    cx, cy = _circle(1.0)
    fig.add_trace(go.Scatter(x=f32(cx), y=f32(cy), mode="lines", name="unit circle |λ| = 1",
                             line={"color": NEUTRAL, "dash": "dash", "width": 1.5}, hoverinfo="skip"))
    col = radius_color(m.radius)
    if m.radius > 0:
        rx, ry = _circle(m.radius)
        fig.add_trace(go.Scatter(x=f32(rx), y=f32(ry), mode="lines", name=f"|λ| = ρ = {m.radius:.2f}",
                                 line={"color": col, "width": 1.5}, opacity=0.6, hoverinfo="skip"))
    ev = m.eigenvalues
    fig.add_trace(go.Scatter(
        x=f32(ev.real), y=f32(ev.imag), mode="markers", name="eigenvalues of W<sub>hh</sub>",
        marker={"color": col, "size": 10, "line": {"color": "white", "width": 1}},
        hovertemplate="λ = %{x:.3f} %{y:+.3f}i<extra></extra>",
    ))
    lim = max(1.3, 1.15 * m.radius)
    style(fig, height=380, hovermode="closest", x_title="Re λ", y_title="Im λ")
    fig.update_xaxes(range=[-lim, lim], zeroline=True, constrain="domain")
    fig.update_yaxes(range=[-lim, lim], zeroline=True, scaleanchor="x", scaleratio=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.18, "yanchor": "top", "x": 0, "xanchor": "left"},
                      margin={"t": 16, "b": 10, "l": 10, "r": 10})
    return fig


def matrix_norm_figure(m: MatrixResult, *, activation: str) -> go.Figure:
    """‖∂h_T/∂h_{T−k}‖₂ against k (log axis) next to ρ^k."""
    k = m.distance
    floor, ceil = log_limits(m.norms, m.analytic)
    fig = go.Figure()
    add_log_series(fig, k, m.analytic, name=f"ρ<sup>k</sup> = {m.radius:.2f}<sup>k</sup>", color=NEUTRAL,
                   dash="dash", floor=floor, ceil=ceil, mode="lines", special=False, width=2)
    label = ACTIVATION_LABEL.get(activation, activation)
    add_log_series(fig, k, m.norms, name=f"‖∂h<sub>T</sub>/∂h<sub>T−k</sub>‖ with {label}",
                   color=radius_color(m.radius), floor=floor, ceil=ceil, width=3)
    _one_line(fig, floor, ceil)
    _log_layout(fig, floor, ceil, height=380, x_title="k = steps back", y_title="spectral norm")
    return fig


# -- clipping -----------------------------------------------------------------------------------------
def _arrow_trace(v: np.ndarray, name: str, color: str, width: float = 3.5, dash: str | None = None) -> go.Scatter:
    return go.Scatter(
        x=[0.0, float(v[0])], y=[0.0, float(v[1])], mode="lines+markers", name=name,
        line={"color": color, "width": width, **({"dash": dash} if dash else {})},
        marker={"symbol": ["circle", "arrow"], "size": [4, 16], "angleref": "previous", "color": color},
        hovertemplate=f"{name}<br>(%{{x:.3g}}, %{{y:.3g}})<extra></extra>",
    )


def clip_vector_figure(c: Clip2D) -> go.Figure:
    """A 2-D gradient, its value-clipped version (each entry into the square [−c, c]²) and its norm-clipped
    version (shortened onto the circle of radius c, same direction)."""
    thr = c.threshold
    fig = go.Figure()
    fig.add_shape(type="rect", x0=-thr, y0=-thr, x1=thr, y1=thr, line={"color": ORANGE, "dash": "dot", "width": 1.5},
                  fillcolor="rgba(230,159,0,0.06)")
    fig.add_shape(type="circle", x0=-thr, y0=-thr, x1=thr, y1=thr, line={"color": BLUE, "dash": "dot", "width": 1.5})
    fig.add_trace(_arrow_trace(c.original, f"gradient g (length {fmt(c.norm_original)})", NEUTRAL, width=3))
    ang_v = "—" if np.isnan(c.angle_value) else f"{c.angle_value:.1f}°"
    fig.add_trace(_arrow_trace(c.by_value, f"clip by value: turned {ang_v}", ORANGE))
    ang_n = "—" if np.isnan(c.angle_norm) else f"{c.angle_norm:.1f}°"
    fig.add_trace(_arrow_trace(c.by_norm, f"clip by norm: turned {ang_n}", BLUE, dash="dash"))
    lim = 1.15 * max(abs(c.original).max(), thr, 1e-9)
    style(fig, height=420, hovermode="closest", x_title="g<sub>1</sub>", y_title="g<sub>2</sub>")
    fig.update_xaxes(range=[-lim, lim], zeroline=True, constrain="domain")
    fig.update_yaxes(range=[-lim, lim], zeroline=True, scaleanchor="x", scaleratio=1)
    fig.update_layout(legend={"orientation": "v", "y": 1, "yanchor": "top", "x": 1.02, "xanchor": "left"},
                      margin={"t": 16, "b": 10, "l": 10, "r": 10})
    fig.add_annotation(x=thr, y=-thr, text="c", showarrow=False, xanchor="left", yanchor="top",
                       font={"color": ORANGE, "size": 13})
    return fig


def clip_effect_figure(rc: RunClip) -> go.Figure:
    """|∂L/∂h| by distance from the loss, before and after clipping the run's gradient by norm.

    Clipping by norm multiplies the whole gradient by one factor, exactly as if the loss had been
    scaled: on a log axis the curve slides down without changing shape.
    """
    k = np.arange(rc.grad.shape[0])
    floor, ceil = log_limits(rc.grad, rc.clipped)
    fig = go.Figure()
    add_log_series(fig, k, rc.grad, name="before clipping", color=NEUTRAL, floor=floor, ceil=ceil)
    if np.isfinite(rc.scale):
        add_log_series(fig, k, rc.clipped, name=f"after clip by norm (× {fmt(rc.scale, 2)})", color=BLUE,
                       floor=floor, ceil=ceil, width=3)
    _one_line(fig, floor, ceil)
    _log_layout(fig, floor, ceil, height=360, x_title="k = steps back from the loss",
                y_title="|∂L/∂h<sub>T−k</sub>|")
    return fig
