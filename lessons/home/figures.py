"""Figures for the home page: sequential data in miniature, and what a memoryless model sees. No Streamlit."""

from __future__ import annotations

import plotly.graph_objects as go

from lessons.home.recipe import Example
from lessons.kit.theme import BLUE, GREEN, HIGHLIGHT, NEUTRAL, ORANGE, axis, f32, figure, layout

COLORS = [BLUE, ORANGE, GREEN]


def examples_figure(examples: list[Example]) -> go.Figure:
    """One small line chart per example, stacked, each titled with its name and time unit. Stacked rather than
    side by side: three panels in a row leave a phone about 100 px each, and their titles run into each other."""
    n = len(examples)
    gap = 0.17
    height = (1 - gap * (n - 1)) / n
    traces, axes, anns = [], {}, []
    for k, ex in enumerate(examples):
        sfx = "" if k == 0 else str(k + 1)
        top = 1 - k * (height + gap)
        traces.append({"type": "scatter", "x": f32(ex.t), "y": f32(ex.values), "mode": "lines", "name": ex.name,
                       "line": {"color": COLORS[k % len(COLORS)], "width": 2}, "xaxis": f"x{sfx}",
                       "yaxis": f"y{sfx}", "hovertemplate": f"{ex.t_label} %{{x:.0f}}<br>%{{y:.2f}}<extra></extra>"})
        axes[f"xaxis{sfx}"] = axis(None, anchor=f"y{sfx}", nticks=6)
        axes[f"yaxis{sfx}"] = axis(None, domain=[top - height, top], anchor=f"x{sfx}", nticks=3)
        anns.append({"text": f"<b>{ex.name}</b>  · {ex.t_label}", "x": 0, "xref": "paper", "xanchor": "left",
                     "y": top, "yref": "paper", "yanchor": "bottom", "showarrow": False, "font": {"size": 14}})
    lay = layout(height=440, legend=False, hovermode="closest", annotations=anns,
                 margin={"l": 10, "r": 10, "t": 26, "b": 10}, **axes)
    return figure(traces, lay)


def memory_figure(example: Example, window: tuple[int, int]) -> go.Figure:
    """The stock series with the last few days shaded (all a memoryless model sees) and a bracket over the
    whole history (what a hidden state can summarise), plus a question mark where tomorrow goes."""
    first, last = window
    t, y = example.t, example.values
    lo, hi = float(y.min()), float(y.max())
    pad = 0.12 * (hi - lo)
    top = hi + 2.2 * pad
    shapes = [
        {"type": "rect", "x0": t[first] - 0.5, "x1": t[last] + 0.5, "y0": lo - pad, "y1": hi + pad,
         "fillcolor": ORANGE, "opacity": 0.18, "line": {"width": 0}, "layer": "below"},
        {"type": "path", "path": f"M {t[0]},{top - 0.4 * pad} V {top} H {t[last]} V {top - 0.4 * pad}",
         "line": {"color": BLUE, "width": 2}},
    ]
    anns = [
        {"x": t[last] + 0.5, "y": lo - pad, "xanchor": "right", "yanchor": "top", "showarrow": False,
         "align": "right", "text": f"a memoryless model sees<br>only the last {last - first + 1} days",
         "font": {"color": ORANGE}},
        {"x": (t[0] + t[last]) / 2, "y": top, "yanchor": "bottom", "showarrow": False,
         "text": "a hidden state can carry a summary<br>of every day so far", "font": {"color": BLUE}},
        {"x": t[last] + 3, "y": y[last], "showarrow": False, "text": "<b>?</b>",
         "font": {"size": 22, "color": HIGHLIGHT}},
    ]
    traces = [{"type": "scatter", "x": f32(t), "y": f32(y), "mode": "lines", "name": example.name,
               "line": {"color": NEUTRAL, "width": 2}, "hovertemplate": "day %{x}<br>%{y:.2f}<extra></extra>"}]
    lay = layout(height=320, legend=False, hovermode="closest", shapes=shapes, annotations=anns,
                 margin={"l": 10, "r": 10, "t": 10, "b": 10},
                 xaxis=axis(example.t_label, range=[t[0] - 2, t[last] + 6]),
                 yaxis=axis("price", range=[lo - 4.6 * pad, top + 2.4 * pad]))
    return figure(traces, lay)
