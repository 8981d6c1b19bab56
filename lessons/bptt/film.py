"""The backward pass as a film: drag the slider under the unrolled chain (or press play) and the gradient walks
back from the loss at t = T to t = 1, one step per frame, with no trip to the server.

Each frame shows how far the gradient has got: the states it has reached are coloured by ∂L/∂h_t (with their
value underneath on a short chain), the ones it has not reached yet are hollow; the step it has just reached is
ringed and the arrow it crossed is lit; above the chain, the step's recursion with its real numbers and the share
it adds to ∂L/∂w_rec, with the sum collected so far. Every number comes from the recipe's arrays (the engine's
backward pass); the film only formats them.

Frames change scatter traces only — how many of the (pre-coloured) reached nodes are drawn, the ring, the lit
arrow, the text — so the browser switches frames without redrawing the chart (``kit.scrub``, ``redraw=False``).
The reached nodes are stored from the last step back, so "the gradient has reached steps T..t" is just "draw the
first T − t + 1 points" (and of the hollow ones from step 1, the first t − 1): a frame sends short lists of x
positions, not colours. Pure functions of a
``BPTTResult``; no Streamlit.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons.bptt.figures import (
    EVERY_STEP_TICKED,
    MARGIN,
    _backward_arrows,
    _Chain,
    _losses,
    flow_min_width,
    step_axis,
)
from lessons.bptt.recipe import BPTTResult
from lessons.kit.numbers import compact
from lessons.kit.scrub import animated
from lessons.kit.theme import (
    DIVERGING,
    HIGHLIGHT,
    NEUTRAL,
    colorbar,
    contrast_text,
    figure,
    layout,
    note,
    send,
    symmetric_limit,
)

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
# A state the gradient has not reached yet is hollow: the colour scale's own "≈ 0" is a pale grey fill.
HOLLOW = "rgba(0,0,0,0)"
TEXT_PX = 720  # the two lines of numbers above the chain need about this much width at 13-14 px


def min_width(steps: int) -> int:
    """The narrowest the film can be drawn (px): the chain's own minimum, and room for its two lines of numbers.
    A phone scrolls it sideways in its own frame (``kit.layout.plot(min_width=)``)."""
    return max(flow_min_width(steps), TEXT_PX)


def _sub(t: int) -> str:
    """Step numbers as Unicode subscripts: h₁₂ is plain text, which Plotly lays out faster than h<sub>12</sub>
    (every frame re-lays the labels of the nodes it shows)."""
    return str(t).translate(SUB)


def _paren(value: float) -> str:
    """A number after an operator: negative ones in parentheses."""
    text = compact(value, 8, 3)
    return f"({text})" if text.startswith("−") else text


def recursion_line(res: BPTTResult, target: float, t: int) -> str:
    """Step t's line of the backward recursion with its numbers (t = 1..T), as plain text for the figure."""
    T, i, ts = res.steps, t - 1, _sub(t)
    result = f"<b>{compact(res.dh[i], 8, 4)}</b>"
    if t == T:
        return f"∂L/∂h{ts} = h{ts} − y = {compact(res.h[i], 8, 4)} − {_paren(target)} = {result}"
    n = _sub(t + 1)
    return (f"∂L/∂h{ts} = ∂ℓ{ts}/∂h{ts} + w_rec·act′(a{n}) · ∂L/∂h{n} = {compact(res.local[i], 8, 3)} + "
            f"{_paren(res.factors[i + 1])} × {_paren(res.dh[i + 1])} = {result}")


def share_line(res: BPTTResult, t: int) -> str:
    """What step t adds to ∂L/∂w_rec and the sum collected from steps T..t, as plain text for the figure."""
    T, i, ts = res.steps, t - 1, _sub(t)
    steps = f"step {T}" if t == T else f"steps {T}…{t}"
    share, so_far = compact(res.contributions[i], 8, 3), compact(res.collected[i], 9, 4)
    return (f"step {t}'s share of ∂L/∂w_rec: ∂L/∂a{ts} · h{_sub(t - 1)} = {_paren(res.da[i])} × "
            f"{_paren(res.h_prev[i])} = {share};   collected from {steps}: <b>{so_far}</b>")


def _rows(labels: bool) -> dict:
    """Where things sit (data units): the chain at y = 1; values under it; two lines of numbers above the losses."""
    if labels:
        return {"values": 0.6, "lines": (2.42, 2.2), "range": (0.4, 2.56), "height": 330}
    return {"values": None, "lines": (1.98, 1.78), "range": (0.8, 2.1), "height": 260}


def _hollow_states(ch: _Chain, xs: np.ndarray, size: float) -> dict:
    """States the gradient has not reached (or never changes: h_0, the fixed initial state): hollow, labelled in
    grey. The reached states are coloured by a trace of their own, so no label is ever drawn twice."""
    return {"type": "scatter", "x": xs, "y": np.ones(len(xs)), "mode": "markers+text" if ch.labels else "markers",
            "text": ["h" + _sub(k) for k in xs] if ch.labels else None, "textfont": {"size": 13, "color": NEUTRAL},
            "marker": {"size": size, "color": HOLLOW, "line": {"color": NEUTRAL, "width": 1.2}},
            "hoverinfo": "skip", "showlegend": False, "name": "not reached yet"}


def _reached_base(res: BPTTResult, ch: _Chain, rows: dict) -> list[dict]:
    """The traces the frames drive, fully styled: the coloured states and their values (points ordered from the last
    step back), the states not reached yet and their "?" (from step 1 on), the lit arrow, the ring, the two lines of
    numbers. A frame only sets how many points of each show."""
    back = np.arange(ch.T, 0, -1)  # steps T, T-1, ..., 1
    dh = np.nan_to_num(res.dh, nan=0.0)[back - 1]
    lim = symmetric_limit(dh)
    text = {"type": "scatter", "mode": "text", "hoverinfo": "skip", "showlegend": False, "cliponaxis": False}
    nodes = {
        "type": "scatter", "x": back, "y": np.ones(ch.T), "mode": "markers+text" if ch.labels else "markers",
        "name": "∂L/∂h", "text": ["h" + _sub(k) for k in back] if ch.labels else None,
        "textfont": {"size": 13, "color": [contrast_text(v, lim) for v in dh]} if ch.labels else None,
        "marker": {"size": ch.node, "color": send(dh), "colorscale": DIVERGING, "cmin": -lim, "cmax": lim, "cmid": 0,
                   "line": {"color": NEUTRAL, "width": 1}, "showscale": True,
                   # The unlabelled chain is short: a few ticks on its colour bar, or they run together.
                   "colorbar": colorbar("∂L/∂h<sub>t</sub>", len=1.0, nticks=5 if ch.labels else 3)},
        "customdata": np.stack([res.h, res.dh, res.deriv], axis=1)[back - 1], "showlegend": False,
        "hovertemplate": "step %{x}<br>h = %{customdata[0]:.4g}<br>∂L/∂h = %{customdata[1]:.4g}"
                         "<br>act′(a) = %{customdata[2]:.3g}<extra></extra>",
    }
    values = {**text, "x": back, "y": np.full(ch.T, rows["values"] or 0.0), "textfont": {"size": 12},
              "text": [compact(v, 6, 2) for v in res.dh[back - 1]] if ch.labels else [""] * ch.T}
    arrow = {"type": "scatter", "x": [], "y": [1.0, 1.0], "mode": "lines", "hoverinfo": "skip", "showlegend": False,
             "line": {"color": HIGHLIGHT, "width": 4}}
    ring = {"type": "scatter", "x": [], "y": [1.0], "mode": "markers", "hoverinfo": "skip", "showlegend": False,
            "name": "the gradient is here", "marker": {"size": ch.node + 12, "color": "rgba(0,0,0,0)",
                                                       "line": {"color": HIGHLIGHT, "width": 3}}}
    lines = {**text, "x": [-0.5, -0.5], "y": list(rows["lines"]), "text": ["", ""], "textposition": "middle right",
             "textfont": {"size": [14, 13]}}
    pending = {**text, "x": ch.t, "y": np.full(ch.T, rows["values"] or 0.0), "textfont": {"size": 12, "color": NEUTRAL},
               "text": ["?" if ch.labels else ""] * ch.T}
    return [nodes, values, _hollow_states(ch, ch.t, ch.node), pending, arrow, ring, lines]


# The traces that follow the slider, after the static ones, in this order.
DYNAMIC = ("reached nodes", "reached values", "pending nodes", "pending values", "lit arrow", "ring", "numbers")
VALUE_TRACES = ("reached values", "pending values")  # written under the nodes of a short chain only


def _frame(res: BPTTResult, target: float, ch: _Chain, t: int) -> list[dict]:
    """What changes when the gradient reaches step t, in the order of DYNAMIC: only the changing attributes."""
    reached = list(range(ch.T, t - 1, -1))  # the first T - t + 1 points of the reached traces
    crossed = [t + 1 - ch.gap, t + ch.gap] if t < ch.T else []
    pending = list(range(1, t))  # the first t - 1 points of the pending traces
    return [{"x": reached}, {"x": reached}, {"x": pending}, {"x": pending}, {"x": crossed}, {"x": [t]},
            {"text": [recursion_line(res, target, t), share_line(res, t)]}]


def backward_film(res: BPTTResult, target: float, start: int, link_key: str | None = None) -> go.Figure:
    """The unrolled chain with a slider over the backward pass, from the loss at t = T back to t = 1 (the slider's
    labels are the steps t), starting at step ``start`` (1-based), and play buttons; ``target``: the loss's y
    (written in the last step's line). The slider's position goes into the URL under ``link_key``."""
    T = res.steps
    if not 1 <= start <= T:
        raise ValueError(f"start: expected 1 to {T}, got {start}")
    ch = _Chain.of(res)
    rows = _rows(ch.labels)
    static = _backward_arrows(res, ch) + _losses(res, ch) + [_hollow_states(ch, np.zeros(1, dtype=int), ch.node * 0.85)]
    updates = [_frame(res, target, ch, t) for t in range(T, 0, -1)]
    dynamic = [{**base, **update} for base, update in zip(_reached_base(res, ch, rows), updates[T - start],
                                                             strict=True)]
    # A long chain writes no values under its nodes: its frames leave those traces alone.
    moving = [k for k, name in enumerate(DYNAMIC) if ch.labels or name not in VALUE_TRACES]
    frames = [{"data": [update[k] for k in moving], "traces": [len(static) + k for k in moving]} for update in updates]
    lay = layout(
        height=rows["height"], legend=False, hovermode="closest", margin=MARGIN, dragmode=False,
        xaxis=step_axis(T, range=[-0.6, T + 0.6], showgrid=False, zeroline=False, title="time step t",
                        fixedrange=True, **({"tickvals": list(range(0, T + 1))} if T <= EVERY_STEP_TICKED else {})),
        yaxis={"range": list(rows["range"]), "visible": False, "fixedrange": True},
        annotations=[note("⟵ the gradient travels backwards in time", 0.5, 1.0, xanchor="center", size=13,
                          color=NEUTRAL)],
    )
    base = figure(static + dynamic, lay)
    return animated(base, frames, [str(t) for t in range(T, 0, -1)], T - start,
                    prefix="the gradient has reached step t = ", redraw=False, link_key=link_key)
