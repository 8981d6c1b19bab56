"""Sweep the recurrent weight on /vanishing-gradients: the gradient against the number of steps back, with the
analytic |w|^k, for every w on the slider's grid — one Plotly frame per w, switched in the browser while the
student drags (kit.scrub; only scatter traces change, so no redraw).

Top: |∂L/∂h_{T-k}| on a log axis whose range is fixed over the whole sweep, so the curve visibly swings from
vanishing to exploding; exact zeros sit on the bottom edge and overflowed steps on the top edge (a log axis has
neither 0 nor inf). Below: the slope act'(a_t) every step back contributed, and the level 1/|w| above which a
step grows the gradient. Above the plot: the frame's numbers, written from the run.
Pure functions of a ``recipe.ChainSweep``; no Streamlit.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from lessons.kit.logaxes import log_axis_range, log_limits
from lessons.kit.numbers import compact
from lessons.kit.scrub import animated
from lessons.kit.theme import BLUE, HIGHLIGHT, NEUTRAL, ORANGE, axis, decade_ticks, figure, hline, layout
from lessons.vanishing.figures import PALE
from lessons.vanishing.recipe import MAX_DERIV, ChainSweep

HEIGHT = 500
TOP, BOTTOM = [0.43, 1.0], [0.0, 0.25]  # the two panels' share of the plot's height


def rounded(values) -> list:
    """Four significant digits as plain floats (None where not finite), row by row for a 2-D array: plenty for a
    line and a hover label, and every frame stays short (a float64 written in full takes about 20 characters).
    One pass over all the numbers (NumPy's own string formatting is slower than Python's here)."""
    arr = np.asarray(values, dtype=np.float64)
    flat = [float(f"{v:.4g}") if math.isfinite(v) else None for v in arr.ravel().tolist()]
    if arr.ndim < 2:
        return flat
    width = arr.shape[-1]
    return [flat[i:i + width] for i in range(0, len(flat), width)]


def _w(w: float) -> str:
    return f"{w:.2f}"


def readout(sw: ChainSweep, s: int) -> str:
    """The frame's numbers in two short lines (one long line runs past a phone's chart): what reached h₀ beside
    |w|^T, and the average factor per step."""
    T = sw.grad.shape[1] - 1
    if sw.overflow[s] >= 0:
        reached = f" overflowed at k = {sw.overflow[s]}"
    elif sw.zero[s] >= 0:
        reached = f" = 0 (from k = {sw.zero[s]})"
    else:
        reached = f" = {compact(sw.grad[s, -1], 8)}"
    first = f"w = {_w(sw.ws[s])}: |∂L/∂h<sub>0</sub>|{reached}, |w|<sup>{T}</sup> = {compact(sw.analytic[s, -1], 8)}"
    return f"{first}<br>{factor_text(float(sw.rate[s]))}"


def factor_text(rate: float) -> str:
    """The average factor per step and what it does to the gradient, in one short line."""
    if not np.isfinite(rate):
        return "a slope was not a finite number: no average factor"
    shown = f"{rate:.3g}" if rate == 1 or f"{rate:.3g}" != "1" else f"{rate:.6g}"  # never a bare 1 that is not 1
    trend = "shrinks" if rate < 1 else ("grows" if rate > 1 else "keeps its size")
    return f"mean factor per step |w·act′| = {shown}: {trend}"


def _frames(sw: ChainSweep, floor: float, ceil: float) -> list[list[dict]]:
    """The moving traces for every grid point, in trace order (see ``_traces``); the numbers rounded in bulk."""
    k = np.arange(sw.grad.shape[1])
    zero, bad = sw.grad == 0, ~np.isfinite(sw.grad)
    lines = rounded(np.where(zero | bad, np.nan, sw.grad))
    ends = rounded(np.where(sw.analytic[:, -1] > 0, sw.analytic[:, -1], np.nan))  # |0|^T = 0: off a log axis
    slopes = rounded(sw.deriv[:, ::-1])  # by distance: the slope of step T - k + 1, crossed to reach k
    with np.errstate(divide="ignore"):
        levels = rounded(np.where(sw.ws > 0, 1.0 / sw.ws, np.nan))  # act' = 1/|w|: there |w·act'| is exactly 1
    return [[{"y": lines[s]}, {"y": [1.0, ends[s]]},
             # A leading gap keeps the markers' legend entries when there are none (Plotly leaves an empty trace out)
             {"x": [None, *k[zero[s]].tolist()], "y": [None] + [floor] * int(zero[s].sum())},
             {"x": [None, *k[bad[s]].tolist()], "y": [None] + [ceil] * int(bad[s].sum())},
             {"y": slopes[s]}, {"y": [levels[s], levels[s]]}, {"text": [readout(sw, s)]}]
            for s in range(sw.ws.size)]


def _traces(T: int, mode: str) -> list[dict]:
    """Every trace, empty of what the frames fill in: gradient, |w|^k, zero and overflow markers (top panel),
    slopes and 1/|w| (bottom panel), the readout (above the plot)."""
    k = np.arange(T + 1)
    edge = {"type": "scatter", "mode": "markers", "hoverinfo": "skip"}
    return [
        {"type": "scatter", "x": k, "mode": mode, "name": "|∂L/∂h<sub>T−k</sub>|",
         "line": {"color": BLUE, "width": 3}, "marker": {"size": 5}, "connectgaps": False,
         "hovertemplate": "k = %{x}: %{y:.4g}<extra></extra>"},
        {"type": "scatter", "x": [0, T], "mode": "lines", "name": "|w|<sup>k</sup>", "hoverinfo": "skip",
         "line": {"color": PALE, "width": 7}},
        {**edge, "name": "exactly 0", "marker": {"symbol": "triangle-down", "size": 10, "color": BLUE}},
        {**edge, "name": "overflow", "marker": {"symbol": "triangle-up", "size": 10, "color": HIGHLIGHT}},
        {"type": "scatter", "x": k[1:], "mode": "markers", "name": "act′(a) of the step", "showlegend": False,
         "xaxis": "x2", "yaxis": "y2", "marker": {"color": ORANGE, "size": 6},
         "hovertemplate": "k = %{x}: act′ = %{y:.3f}<extra></extra>"},
        {"type": "scatter", "x": [0.5, T + 0.5], "mode": "lines+text", "name": "1/|w|", "showlegend": False,
         "xaxis": "x2", "yaxis": "y2", "line": {"color": NEUTRAL, "width": 2, "dash": "dash"},
         "text": ["", "1/|w|"], "textposition": "top left", "hoverinfo": "skip", "cliponaxis": False},
        {"type": "scatter", "mode": "text", "x": [0], "y": [1.0], "textposition": "top right", "showlegend": False,
         "hoverinfo": "skip", "cliponaxis": False, "textfont": {"size": 13}, "xaxis": "x", "yaxis": "y3"},
    ]


def _layout(sw: ChainSweep, floor: float, ceil: float) -> dict:
    """Two panels sharing k; both y ranges fixed over the whole sweep, so nothing but the data moves."""
    T = sw.grad.shape[1] - 1
    x_range = [-0.5, T + 0.5]
    decades = log_axis_range(floor, ceil)
    top = MAX_DERIV[sw.config.activation] * 1.12
    lay = layout(height=HEIGHT, hovermode="closest", margin={"t": 114}, shapes=[hline(1.0)],
                 # k's title between the panels: under the lower one it would meet the slider's label on a phone
                 xaxis=axis("k = steps back from the loss", range=x_range, anchor="y"),
                 yaxis=axis("|∂L/∂h<sub>T−k</sub>|", type="log", range=decades, exponentformat="power",
                            domain=TOP, **decade_ticks(*decades)),
                 xaxis2=axis(None, range=x_range, anchor="y2", matches="x"),
                 yaxis2=axis("act′(a)", range=[-0.04 * top, top], domain=BOTTOM),
                 # the readout sits above the plot on an axis of its own, so it never moves with the data
                 yaxis3={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True})
    # The legend from the figure's left edge (not the plot's): on a phone it then wraps into two rows, not four
    lay["legend"] = {**lay["legend"], "yref": "container", "y": 1, "yanchor": "top", "xref": "container", "x": 0,
                     "xanchor": "left"}
    return lay


def sweep_film(sw: ChainSweep) -> go.Figure:
    """The gradient against k for every w on the grid; the in-figure slider starts at the page's own w."""
    T = sw.grad.shape[1] - 1
    floor, ceil = log_limits(sw.grad, sw.analytic)
    traces = _traces(T, "lines+markers" if T <= 60 else "lines")
    frames = [{"data": data, "traces": list(range(len(traces)))} for data in _frames(sw, floor, ceil)]
    for trace, update in zip(traces, frames[sw.start]["data"], strict=True):
        trace.update(update)
    return animated(figure(traces, _layout(sw, floor, ceil)), frames, [_w(w) for w in sw.ws], sw.start,
                    prefix="w = ", redraw=False)
