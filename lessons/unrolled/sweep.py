"""Sweep the recurrent weight: the whole sequence's state for every w on the slider's grid, one Plotly frame per w,
switched in the browser while the student drags (kit.scrub; only scatter traces change, so no redraw).

Bounded activations (tanh, σ) draw h_t itself (‖h_t‖ for several units) on a fixed linear axis; the others draw
the size on a log axis fixed over the whole sweep, where a fading or growing state is a straight line, exact
zeros sit on the bottom edge and overflowed steps on the top edge. The page's own w is a dashed reference line.
Pure functions of a ``recipe.Sweep``; no Streamlit.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons.kit.logaxes import log_axis_range, log_limits
from lessons.kit.numbers import compact
from lessons.kit.scrub import animated
from lessons.kit.theme import BLUE, HIGHLIGHT, NEUTRAL, axis, f32, figure, layout, send
from lessons.unrolled.recipe import Sweep

HEIGHT = 330


def _shown(sw: Sweep) -> np.ndarray:
    """(S, T): what the line draws — h_t for one bounded unit, else the size (|h_t| or ‖h_t‖)."""
    return sw.h[..., 0] if sw.bounded and sw.config.hidden == 1 else sw.size


def _y_axis(sw: Sweep) -> tuple[dict, float, float]:
    """(axis, floor, ceil): a fixed range over the whole sweep, so the axis never moves while dragging."""
    one = sw.config.hidden == 1
    if sw.bounded:
        values = _shown(sw)
        lo, hi = (float(values.min()), float(values.max())) if one else (0.0, float(values.max()))
        pad = 0.06 * max(hi - lo, 0.1)
        title = "h<sub>t</sub>" if one else "‖h<sub>t</sub>‖"
        return axis(title, range=[lo - pad if one else 0.0, hi + pad]), 0.0, 0.0
    floor, ceil = log_limits(sw.size)
    title = "|h<sub>t</sub>| (log scale)" if one else "‖h<sub>t</sub>‖ (log scale)"
    return axis(title, type="log", range=log_axis_range(floor, ceil), exponentformat="power"), floor, ceil


def _summary(sw: Sweep, k: int) -> str:
    name = "|h|" if sw.config.hidden == 1 else "‖h‖"
    bad = ~np.isfinite(sw.size[k])
    if bad.any():
        return f"w = {_w(sw.ws[k])}: the state overflows at t = {int(np.argmax(bad)) + 1}"
    # Two short lines: one long line runs past a phone's chart and is cut off.
    return (f"w = {_w(sw.ws[k])}: largest {name} = {compact(sw.peak[k], 7)} at t = {int(sw.peak_step[k]) + 1};<br>"
            f"after the last step {compact(sw.last[k], 7)}")


def _w(w: float) -> str:
    return f"{w:.2f}".replace("-", "−")


def _frame(sw: Sweep, k: int, t: np.ndarray, floor: float, ceil: float) -> list[dict]:
    """The moving traces for grid point k: the line (with gaps where a log axis cannot draw), the edge markers
    (log axis only) and the summary."""
    text = {"text": [_summary(sw, k)]}
    if sw.bounded:
        return [{"y": f32(_shown(sw)[k])}, text]
    size = sw.size[k]
    zero, bad = size == 0, ~np.isfinite(size)
    line = np.where(zero | bad, np.nan, size)
    return [{"y": send(line)}, {"x": t[zero], "y": np.full(int(zero.sum()), floor)},
            {"x": t[bad], "y": np.full(int(bad.sum()), ceil)}, text]


def _traces(sw: Sweep, mode: str, y_top: float) -> list[dict]:
    """Every trace, in order: the page's own w (static reference), then the moving ones, empty until filled."""
    ref = _shown(sw)[sw.start] if sw.bounded else np.where(sw.size[sw.start] > 0, sw.size[sw.start], np.nan)
    t = np.arange(1, sw.size.shape[1] + 1)
    traces = [{"type": "scatter", "x": t, "y": send(ref), "mode": "lines", "name": f"w above ({sw.config.w_rec:g})",
               "line": {"color": NEUTRAL, "width": 2, "dash": "dash"}, "hoverinfo": "skip"},
              {"type": "scatter", "x": t, "mode": mode, "name": "dragged w", "line": {"color": BLUE, "width": 3},
               "marker": {"size": 5}, "hovertemplate": "t = %{x}: %{y:.4g}<extra></extra>"}]
    if not sw.bounded:
        edge = {"type": "scatter", "mode": "markers", "hoverinfo": "skip"}
        traces += [{**edge, "name": "exactly 0", "marker": {"symbol": "triangle-down", "size": 10, "color": BLUE}},
                   {**edge, "name": "overflow", "marker": {"symbol": "triangle-up", "size": 10, "color": HIGHLIGHT}}]
    traces.append({"type": "scatter", "mode": "text", "x": [1], "y": [y_top], "textposition": "top right",
                   "showlegend": False, "hoverinfo": "skip", "cliponaxis": False, "textfont": {"size": 13},
                   "yaxis": "y2"})
    return traces


def sweep_film(sw: Sweep) -> go.Figure:
    """h_t over time for every w on the grid; the in-figure slider starts at the page's own w."""
    t = np.arange(1, sw.size.shape[1] + 1)
    y_axis, floor, ceil = _y_axis(sw)
    traces = _traces(sw, "lines+markers" if t.size <= 60 else "lines", 1.0)
    moving = list(range(1, len(traces)))
    frames = [{"data": _frame(sw, k, t, floor, ceil), "traces": moving} for k in range(sw.ws.size)]
    for trace, update in zip(traces[1:], frames[sw.start]["data"], strict=True):
        trace.update(update)
    # The legend at the top of the figure, the two-line summary under it, just above the plot.
    lay = layout(height=HEIGHT + 44, hovermode="closest", margin={"t": 80},
                 xaxis=axis("time step t", range=[0.5, t.size + 0.5]), yaxis=y_axis,
                 # the summary line sits above the plot on an axis of its own, so it never moves with the data
                 yaxis2={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True})
    lay["legend"] = {**lay["legend"], "yref": "container", "y": 1, "yanchor": "top", "x": 0, "xanchor": "left"}
    return animated(figure(traces, lay), frames, [_w(w) for w in sw.ws], sw.start, prefix="w = ",
                    redraw=False)
