"""Figures for the /bptt lesson: the gradient flowing back along the unrolled chain, the chain-rule
factors and their running product, the per-step contributions summing to ∂L/∂w_rec, truncated BPTT.

Also the log-axis helpers the gradient lessons share (``log_limits``, ``add_log_series``): a log axis
cannot show 0 or inf, so those points become labelled markers at the bottom / top edge instead of
silently disappearing.

Pure functions: demo dataclasses in, ``go.Figure`` out. No Streamlit. Steps are labelled t = 1..T
(array row i is step t = i + 1; h_0 is the initial state), as on /unrolled.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from rnn_core.demos.bptt import BPTTResult, Truncation, TruncationCurve

from .theme import (
    BLUE,
    DIVERGING,
    GREEN,
    HIGHLIGHT,
    NEUTRAL,
    ORANGE,
    PURPLE,
    VERMILLION,
    colorbar,
    contrast_text,
    f32,
    style,
    symmetric_limit,
)

POSITIVE, NEGATIVE = ORANGE, BLUE  # the diverging scale's two ends: orange > 0, blue < 0
LABEL_MAX_STEPS = 16  # above this many steps, numbers go into the hover text instead of onto the figure
PLOT_WIDTH_PX = 880  # the diagram is drawn full width; node sizes assume about this much room


# -- log-axis helpers (shared with the vanishing-gradients figures) -------------------------------------
def log_limits(*arrays, pad: float = 1.0) -> tuple[float, float]:
    """(floor, ceil) for a log axis holding every finite positive value of ``arrays``.

    ``pad`` decades are added on each side; the floor is where "exactly 0" markers sit and the
    ceiling where overflow (inf/NaN) markers sit. (1e-1, 1e1) when there is nothing positive.
    """
    vals = np.concatenate([np.abs(np.ravel(np.asarray(a, dtype=np.float64))) for a in arrays]) if arrays else []
    good = vals[np.isfinite(vals) & (vals > 0)] if len(vals) else np.array([])
    if good.size == 0:
        return 10.0 ** -pad, 10.0**pad
    lo, hi = math.floor(math.log10(good.min())), math.ceil(math.log10(good.max()))
    return 10.0 ** (lo - pad), 10.0 ** (hi + pad)


def log_axis_range(floor: float, ceil: float) -> list[float]:
    """Plotly wants a log axis range in decades."""
    return [math.log10(floor) - 0.4, math.log10(ceil) + 0.4]


def add_log_series(
    fig: go.Figure, x, y, *, name: str, color: str, floor: float, ceil: float, dash: str | None = None,
    mode: str = "lines+markers", xaxis: str = "x", yaxis: str = "y", hover: str = "%{y:.3g}",
    special: bool = True, showlegend: bool = True, width: float = 2.5,
) -> dict[str, int]:
    """Plot |y| against x on a log axis; zeros and inf/NaN become markers at ``floor`` / ``ceil``.

    Returns how many points were exactly zero and how many were not finite, for the page to explain.
    """
    x = np.asarray(x)
    y = np.abs(np.asarray(y, dtype=np.float64))
    finite = np.isfinite(y)
    zero = finite & (y == 0)
    bad = ~finite
    shown = np.where(finite & (y > 0), y, np.nan)
    fig.add_trace(go.Scatter(
        x=x, y=send(shown), name=name, mode=mode,
        line={"color": color, "width": width, **({"dash": dash} if dash else {})}, marker={"size": 5},
        xaxis=xaxis, yaxis=yaxis, connectgaps=False, hovertemplate=f"{hover}<extra>{name}</extra>",
        legendgroup=name, showlegend=showlegend,
    ))
    if special and zero.any():
        fig.add_trace(go.Scatter(
            x=x[zero], y=np.full(int(zero.sum()), floor), name=f"{name}: exactly 0", mode="markers",
            marker={"symbol": "triangle-down", "size": 10, "color": color, "line": {"width": 1, "color": "white"}},
            xaxis=xaxis, yaxis=yaxis, hovertemplate="exactly 0 (a log axis has no 0)<extra>" + name + "</extra>",
            legendgroup=name, showlegend=showlegend,
        ))
    if special and bad.any():
        fig.add_trace(go.Scatter(
            x=x[bad], y=np.full(int(bad.sum()), ceil), name=f"{name}: overflow (not finite)", mode="markers",
            marker={"symbol": "triangle-up", "size": 11, "color": VERMILLION, "line": {"width": 1, "color": "white"}},
            xaxis=xaxis, yaxis=yaxis, hovertemplate="overflow: not a finite number<extra>" + name + "</extra>",
            legendgroup=name, showlegend=showlegend,
        ))
    return {"zeros": int(zero.sum()), "overflows": int(bad.sum())}


def send(values) -> np.ndarray:
    """float32 for the browser when it is lossless enough, else float64.

    Gradients here reach 1e-300 and 1e95: float32 would turn them into 0 or inf (and a log axis
    would then lose them), so such arrays keep float64.
    """
    arr = np.asarray(values, dtype=np.float64)
    mag = np.abs(arr[np.isfinite(arr) & (arr != 0)])
    if mag.size and (mag.max() > 1e38 or mag.min() < 1e-37):
        return arr
    return f32(arr)


def fmt(value: float, digits: int = 3) -> str:
    """A compact number for labels: 0.431, -2.1e-05, inf."""
    if not np.isfinite(value):
        return "inf" if value > 0 else ("-inf" if value < 0 else "NaN")
    return f"{value:.{digits}g}"


def _steps(res: BPTTResult) -> np.ndarray:
    return np.arange(1, res.steps + 1)


def _step_axis(fig: go.Figure, T: int, **kw) -> None:
    """Integer step ticks; every step labelled while they fit."""
    ticks = {"tickmode": "array", "tickvals": list(range(1, T + 1))} if T <= 24 else {"tickmode": "auto"}
    fig.update_xaxes(**ticks, **kw)


# -- the unrolled chain with ∂L/∂h_t ------------------------------------------------------------------
def gradient_flow_figure(res: BPTTResult, *, highlight: int | None = None) -> go.Figure:
    """The unrolled chain h_0 ← h_1 ← … ← h_T with each node coloured by ∂L/∂h_t (diverging, 0 = grey).

    Losses ℓ_t sit above the steps that have one and push their own gradient down; arrows between
    hidden states point backwards in time, thicker where the factor w_rec·act'(a_t) is larger.
    ``highlight``: a step t (1-based) to ring, for the step-through.
    """
    T = res.steps
    t = _steps(res)
    dh = np.nan_to_num(res.dh, nan=0.0)
    lim = symmetric_limit(dh)
    labels = T <= LABEL_MAX_STEPS
    # Marker sizes are in pixels: size them for a full-width chart (~880 px of plot area).
    spacing = PLOT_WIDTH_PX / (T + 1.2)
    node = int(min(40, max(7, 0.55 * spacing)))
    gap = min(0.45, (node / 2 + 4) / spacing) if labels else 0.0
    fig = go.Figure()

    # Backward arrows h_t -> h_{t-1}: one segment per crossing, width by |factor| (how much passes).
    mag = np.abs(np.nan_to_num(res.factors, nan=0.0, posinf=1e9, neginf=-1e9))
    widths = 1.0 + 4.0 * np.clip(mag / max(mag.max(), 1e-12), 0, 1)
    for i in range(T):
        fig.add_trace(go.Scatter(
            x=[t[i] - gap, t[i] - 1 + gap], y=[1, 1], mode="lines", line={"color": NEUTRAL, "width": widths[i]},
            hoverinfo="skip", showlegend=False,
        ))
    if labels:
        fig.add_trace(go.Scatter(
            x=t - 1 + gap + 0.05, y=np.ones(T), mode="markers", showlegend=False,
            marker={"symbol": "triangle-left", "size": 12, "color": NEUTRAL},
            customdata=np.stack([t, t - 1, res.factors], axis=1),
            hovertemplate="from h<sub>%{customdata[0]}</sub> back to h<sub>%{customdata[1]}</sub>: "
                          "× w·act′(a) = %{customdata[2]:.3g}<extra></extra>",
        ))
        fig.add_trace(go.Scatter(
            x=t - 0.5, y=np.full(T, 1.2), mode="text", text=[f"×{fmt(f, 2)}" for f in res.factors],
            textfont={"size": 12, "color": NEUTRAL}, hoverinfo="skip", showlegend=False,
        ))

    # Losses and their own push ∂ℓ_t/∂h_t.
    has_loss = res.local != 0
    if has_loss.any():
        lt = t[has_loss]
        if labels:
            for ti in lt:
                fig.add_trace(go.Scatter(x=[ti, ti], y=[1.74, 1.3], mode="lines", hoverinfo="skip", showlegend=False,
                                         line={"color": PURPLE, "width": 2}))
            fig.add_trace(go.Scatter(
                x=lt, y=np.full(lt.size, 1.3), mode="markers", showlegend=False, hoverinfo="skip",
                marker={"symbol": "triangle-down", "size": 10, "color": PURPLE},
            ))
            fig.add_trace(go.Scatter(
                x=lt + 0.07, y=np.full(lt.size, 1.52), mode="text", textposition="middle right",
                text=[fmt(v, 2) for v in res.local[has_loss]], textfont={"size": 11, "color": PURPLE},
                hoverinfo="skip", showlegend=False,
            ))
        fig.add_trace(go.Scatter(
            x=lt, y=np.full(lt.size, 1.88 if labels else 1.55), mode="markers+text" if labels else "markers",
            marker={"symbol": "square", "size": 28 if labels else 6, "color": "rgba(204,121,167,0.18)",
                    "line": {"color": PURPLE, "width": 2 if labels else 1}},
            text=[f"ℓ<sub>{ti}</sub>" for ti in lt], textfont={"size": 13}, showlegend=False,
            customdata=res.local[has_loss],
            hovertemplate="loss ℓ<sub>%{x}</sub> pushes ∂ℓ/∂h = %{customdata:.3g}<extra></extra>",
        ))

    # h_0 (grey: the fixed initial state) and the hidden states coloured by ∂L/∂h_t, value underneath.
    fig.add_trace(go.Scatter(
        x=[0], y=[1], mode="markers+text", text=["h<sub>0</sub>"] if labels else [""],
        textfont={"size": 13, "color": NEUTRAL},
        marker={"size": node * 0.85, "color": "rgba(138,148,163,0.18)", "line": {"color": NEUTRAL, "width": 1.5}},
        hovertemplate="h<sub>0</sub> = 0, the initial state<extra></extra>", showlegend=False,
    ))
    fig.add_trace(go.Scatter(
        x=t, y=np.ones(T), mode="markers+text" if labels else "markers",
        text=[f"h<sub>{ti}</sub>" for ti in t] if labels else None,
        textfont={"size": 13, "color": [contrast_text(v, lim) for v in dh]},
        marker={"size": node, "color": send(dh), "colorscale": DIVERGING, "cmin": -lim, "cmax": lim, "cmid": 0,
                "line": {"color": NEUTRAL, "width": 1}, "showscale": True,
                "colorbar": colorbar("∂L/∂h<sub>t</sub>", len=1.0)},
        customdata=np.stack([res.h, res.dh, res.deriv], axis=1), showlegend=False,
        hovertemplate="step %{x}<br>h = %{customdata[0]:.4g}<br>∂L/∂h = %{customdata[1]:.4g}"
                      "<br>act′(a) = %{customdata[2]:.3g}<extra></extra>",
    ))
    if labels:
        fig.add_trace(go.Scatter(
            x=t, y=np.full(T, 0.6), mode="text", text=[fmt(v, 2) for v in res.dh],
            textfont={"size": 12}, hoverinfo="skip", showlegend=False,
        ))
    if highlight is not None and 1 <= highlight <= T:
        fig.add_trace(go.Scatter(
            x=[highlight], y=[1], mode="markers", hoverinfo="skip", showlegend=False,
            marker={"size": node + 12, "color": "rgba(0,0,0,0)", "line": {"color": HIGHLIGHT, "width": 3}},
        ))
    fig.add_annotation(x=0.5, y=1.0, xref="paper", yref="paper", showarrow=False, yanchor="bottom",
                       text="⟵ the gradient travels backwards in time", font={"size": 13, "color": NEUTRAL})
    style(fig, height=270 if labels else 200, legend=False, hovermode="closest")
    fig.update_layout(margin={"t": 30, "b": 10, "l": 10, "r": 10})
    _step_axis(fig, T, range=[-0.6, T + 0.6], showgrid=False, zeroline=False, title_text="time step t")
    if T <= 24:
        fig.update_xaxes(tickvals=list(range(0, T + 1)))
    fig.update_yaxes(range=[0.4 if labels else 0.8, 2.12 if labels else 1.7], visible=False, fixedrange=True)
    return fig


# -- the chain rule ---------------------------------------------------------------------------------
def chain_rule_figure(res: BPTTResult) -> go.Figure:
    """Top: each step's factor w_rec·act'(a_t) (bars; |factor| < 1 shrinks the signal, > 1 grows it).
    Bottom: their running product |∂h_T/∂h_t| on a log axis, next to |w_rec|^(T-t) (what it would be
    if act' were 1 everywhere).
    """
    T = res.steps
    t = _steps(res)
    f = res.factors
    colors = np.where(np.abs(f) < 1, BLUE, ORANGE)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=t, y=send(f), marker={"color": list(colors)}, name="factor w·act′(a_t)", showlegend=False,
        customdata=np.stack([res.deriv, t - 1], axis=1),
        hovertemplate="step %{x} → %{customdata[1]}: w·act′(a) = %{y:.3g}"
                      "<br>act′(a) = %{customdata[0]:.3g}<extra></extra>",
    ))
    for level in (1, -1):
        fig.add_shape(type="line", xref="x domain", yref="y", x0=0, x1=1, y0=level, y1=level,
                      line={"color": NEUTRAL, "dash": "dot", "width": 1})
    with np.errstate(over="ignore", under="ignore"):
        ref = np.abs(res.w_rec) ** (T - t).astype(np.float64)
    floor, ceil = log_limits(res.running, ref, pad=0.5)
    add_log_series(fig, t, res.running, name="|∂h<sub>T</sub>/∂h<sub>t</sub>|: the running product", color=PURPLE,
                   floor=floor, ceil=ceil, yaxis="y2", xaxis="x2", hover="|∂h_T/∂h_t| = %{y:.3g}")
    add_log_series(fig, t, ref, name="|w|<sup>T−t</sup>: if act′ were 1 everywhere", color=NEUTRAL, dash="dash",
                   floor=floor, ceil=ceil, yaxis="y2", xaxis="x2", mode="lines", special=False, width=1.5)
    style(fig, height=430, hovermode="closest")
    fig.update_layout(
        yaxis={"domain": [0.6, 1.0], "title": {"text": "factor"}, "zeroline": True},
        yaxis2={"domain": [0.0, 0.45], "type": "log", "title": {"text": "|∂h<sub>T</sub>/∂h<sub>t</sub>|"},
                "range": log_axis_range(floor, ceil), "exponentformat": "power", "anchor": "x2"},
        xaxis={"anchor": "y", "matches": "x2", "showticklabels": False},
        xaxis2={"anchor": "y2", "title": {"text": "time step t"}},
        legend={"y": -0.22, "yanchor": "top", "x": 0, "xanchor": "left"},
        margin={"t": 30, "b": 10, "l": 10, "r": 10},
    )
    _step_axis(fig, T, range=[0.4, T + 0.6])
    fig.add_annotation(x=0, y=1.02, xref="x domain", yref="y domain", xanchor="left", yanchor="bottom",
                       showarrow=False, font={"size": 12, "color": NEUTRAL},
                       text="each step's factor w·act′(a<sub>t</sub>) — blue: |factor| < 1 shrinks the signal, "
                            "orange: > 1 grows it")
    return fig


# -- contributions summed over time ----------------------------------------------------------------
def contributions_figure(res: BPTTResult) -> go.Figure:
    """Each step's share of ∂L/∂w_rec as a floating bar that starts where the previous one ended
    (a waterfall), then the total from ``cell.backward`` as a bar and a dashed line: the stack ends
    exactly on it.
    """
    T = res.steps
    t = _steps(res)
    c = res.contributions
    base = np.concatenate([[0.0], np.cumsum(c)[:-1]])
    colors = np.where(c >= 0, POSITIVE, NEGATIVE)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=t, y=send(c), base=send(base), marker={"color": list(colors), "line": {"width": 0}}, name="step t's share",
        customdata=np.stack([res.da, res.h_prev, base + c], axis=1), showlegend=False,
        hovertemplate="step %{x}: ∂L/∂a · h<sub>t−1</sub> = %{customdata[0]:.3g} × %{customdata[1]:.3g}"
                      " = %{y:.3g}<br>running sum: %{customdata[2]:.4g}<extra></extra>",
    ))
    xt = T + 1.5
    fig.add_trace(go.Bar(
        x=[xt], y=[res.total], marker={"color": GREEN}, name="total ∂L/∂w", width=0.9, showlegend=False,
        hovertemplate="∂L/∂w_rec from backward: %{y:.6g}<extra></extra>",
    ))
    fig.add_shape(type="line", xref="x", yref="y", x0=0.4, x1=xt + 0.5, y0=res.total, y1=res.total,
                  line={"color": GREEN, "dash": "dash", "width": 1.5})
    fig.add_shape(type="line", xref="x", yref="y", x0=0.4, x1=xt + 0.5, y0=0, y1=0,
                  line={"color": NEUTRAL, "width": 1})
    fig.add_annotation(x=0.45, y=res.total, xanchor="left", yanchor="bottom" if res.total >= 0 else "top",
                       text=f"Σ of all steps = <b>{fmt(res.total, 4)}</b> = ∂L/∂w<sub>rec</sub>", showarrow=False,
                       font={"color": GREEN, "size": 13})
    style(fig, height=340, legend=False, hovermode="closest", y_title="∂L/∂w<sub>rec</sub>")
    fig.update_layout(bargap=0.25, margin={"t": 16, "b": 10, "l": 10, "r": 10})
    ticks = list(range(1, T + 1)) if T <= 24 else list(range(1, T + 1, max(1, T // 10)))
    fig.update_xaxes(tickmode="array", tickvals=ticks + [xt], ticktext=[str(v) for v in ticks] + ["<b>total</b>"],
                     range=[0.4, xt + 0.6], title_text="time step t")
    return fig


# -- truncated BPTT -----------------------------------------------------------------------------------
def truncation_figure(res: BPTTResult, trunc: Truncation, loss: str) -> go.Figure:
    """Per-step shares of ∂L/∂w_rec split into what truncated BPTT keeps (solid) and drops (hatched).

    ``loss`` "last": the window is the last k steps and is shaded.
    """
    T = res.steps
    t = _steps(res)
    fig = go.Figure()
    if loss == "last" and trunc.k < T:
        fig.add_vrect(x0=T - trunc.k + 0.5, x1=T + 0.5, fillcolor="rgba(0,158,115,0.10)", line_width=0)
        fig.add_annotation(x=T - trunc.k + 0.5, y=1.0, yref="paper", xanchor="left", yanchor="bottom",
                           showarrow=False, font={"size": 12, "color": GREEN},
                           text=f"window: the last {trunc.k} step{'s' if trunc.k > 1 else ''}")
    fig.add_trace(go.Bar(
        x=t, y=send(trunc.contributions), name="kept", marker={"color": BLUE},
        hovertemplate="step %{x}: kept %{y:.3g}<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        x=t, y=send(trunc.dropped), name="dropped by truncation",
        marker={"color": "rgba(213,94,0,0.25)", "line": {"color": VERMILLION, "width": 1},
                "pattern": {"shape": "/", "fgcolor": VERMILLION, "size": 6}},
        hovertemplate="step %{x}: dropped %{y:.3g}<extra></extra>",
    ))
    style(fig, height=340, hovermode="closest", y_title="share of ∂L/∂w<sub>rec</sub>")
    fig.update_layout(barmode="relative", bargap=0.25, margin={"t": 30, "b": 10, "l": 10, "r": 10},
                      legend={"y": -0.25, "yanchor": "top", "x": 0, "xanchor": "left"})
    _step_axis(fig, T, range=[0.4, T + 0.6], title_text="time step t")
    return fig


def truncation_error_figure(curve: TruncationCurve, k: int) -> go.Figure:
    """Relative error of the truncated gradient against the window length k (log axis), k marked."""
    floor, ceil = log_limits(curve.rel_errors, pad=0.5)
    ceil = max(ceil, 10.0)
    fig = go.Figure()
    add_log_series(fig, curve.ks, curve.rel_errors, name="relative error", color=VERMILLION, floor=floor,
                   ceil=ceil, hover="k = %{x}: %{y:.2e}")
    fig.add_vline(x=k, line={"color": HIGHLIGHT, "dash": "dot", "width": 2},
                  annotation_text=f"k = {k}", annotation_position="top")
    style(fig, height=320, hovermode="closest", x_title="window k (steps)", y_title="|g<sub>k</sub> − g| / |g|")
    fig.update_yaxes(type="log", range=log_axis_range(floor, ceil), exponentformat="power")
    fig.update_layout(legend={"y": -0.3, "yanchor": "top", "x": 0, "xanchor": "left"},
                      margin={"t": 30, "b": 10, "l": 10, "r": 10})
    return fig
