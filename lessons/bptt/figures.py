"""Figures for the "Backpropagation through time" lesson: the static pieces of the unrolled chain (the backward
film, lessons/bptt/film.py, draws the gradient over them), the chain-rule factors and their running product, the
per-step contributions summing to ∂L/∂w_rec, truncated BPTT.

Pure functions of the recipe's results (lessons.bptt.recipe); no Streamlit. Steps are labelled t = 1..T
(array row i is step t = i + 1; h_0 is the initial state), as on /unrolled. Log axes never lose 0 or inf
(``lessons.kit.logaxes``). Every figure is built from plain dicts in one unvalidated pass (``theme.figure``);
the tests validate them by rebuilding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lessons.bptt.recipe import BPTTResult, Truncation, TruncationCurve
from lessons.kit.logaxes import log_axis_range, log_limits, log_traces
from lessons.kit.numbers import compact
from lessons.kit.theme import (
    BLUE,
    GREEN,
    LEGEND_BELOW,
    NEUTRAL,
    ORANGE,
    PURPLE,
    VERMILLION,
    axis,
    decade_ticks,
    figure,
    hline,
    layout,
    note,
    send,
    styled,
    vline,
)

POSITIVE, NEGATIVE = ORANGE, BLUE  # the diverging scale's two ends: orange > 0, blue < 0
LABEL_MAX_STEPS = 16  # above this many steps, numbers go into the hover text instead of onto the figure
PLOT_WIDTH_PX = 880  # the diagram is drawn full width; node sizes assume about this much room
MARGIN = {"t": 30, "b": 10, "l": 10, "r": 10}


def _steps(res: BPTTResult) -> np.ndarray:
    return np.arange(1, res.steps + 1)


def step_axis(T: int, **extra) -> dict:
    """An x axis of integer steps 1..T: every step labelled while they fit on a phone (T ≤ 12), else every n-th
    (about ten labels)."""
    return axis(**{"tickmode": "array", "tickvals": step_ticks(T), **extra})


def step_ticks(T: int, first: int = 1) -> list[int]:
    """The labelled steps first..T: all of them up to 12 steps, else about ten, evenly spaced."""
    return list(range(first, T + 1, 1 if T <= 12 else -(-T // 10)))


EVERY_STEP_TICKED = 24  # up to this many steps the chain's axis labels every step (0..T), then about ten of them
# Room per step (px) a narrow screen must leave the chain: its numbers ("×0.38" on the arrow, "−0.031" under the
# node) at 12 px when labelled; two-digit step labels on every step up to EVERY_STEP_TICKED steps; beyond, only
# the small nodes (about ten labels on the axis). Plus the colour bar and margins.
LABELLED_STEP_PX, STEP_PX, NODE_STEP_PX, CHAIN_EXTRA_PX = 50, 22, 8, 140


def flow_min_width(T: int) -> int:
    """The narrowest the unrolled chain can be drawn without its labels running into each other (px): below it,
    the page lets it scroll sideways in its own frame (``kit.layout.plot(min_width=)``)."""
    per_step = LABELLED_STEP_PX if T <= LABEL_MAX_STEPS else STEP_PX if T <= EVERY_STEP_TICKED else NODE_STEP_PX
    return int(per_step * (T + 1.2) + CHAIN_EXTRA_PX)


# -- the unrolled chain with ∂L/∂h_t ------------------------------------------------------------------
@dataclass(frozen=True)
class _Chain:
    """How the chain is drawn: T steps at x = 1..T, h_0 at x = 0. ``labels``: numbers written on the figure
    (short sequences only). ``node``: marker size in pixels; ``gap``: room left around each node for the arrows."""

    T: int
    t: np.ndarray
    labels: bool
    node: int
    gap: float

    @classmethod
    def of(cls, res: BPTTResult) -> _Chain:
        T = res.steps
        labels = T <= LABEL_MAX_STEPS
        # Marker sizes are in pixels: size them for a full-width chart (~880 px of plot area).
        spacing = PLOT_WIDTH_PX / (T + 1.2)
        node = int(min(40, max(7, 0.55 * spacing))) if labels else int(min(16, max(6, 0.85 * spacing)))
        gap = min(0.45, (node / 2 + 4) / spacing) if labels else 0.0
        return cls(T, _steps(res), labels, node, gap)


def _segments(x0: np.ndarray, x1: np.ndarray, y: float) -> tuple[list, list]:
    """Many horizontal segments as one line trace: points separated by None."""
    xs, ys = [], []
    for a, b in zip(x0, x1, strict=True):
        xs += [float(a), float(b), None]
        ys += [y, y, None]
    return xs, ys


def _backward_arrows(res: BPTTResult, ch: _Chain) -> list[dict]:
    """Arrows h_t -> h_{t-1}, thicker where |factor| is larger (four widths, one trace each); with labels,
    arrowheads and the factor written above each arrow."""
    t, gap = ch.t, ch.gap
    data = []
    mag = np.abs(np.nan_to_num(res.factors, nan=0.0, posinf=1e9, neginf=-1e9))
    level = np.minimum(3, (4 * mag / max(mag.max(), 1e-12)).astype(int))
    for lv in range(4):
        sel = level == lv
        if sel.any():
            xs, ys = _segments(t[sel] - gap, t[sel] - 1 + gap, 1.0)
            data.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "hoverinfo": "skip",
                         "line": {"color": NEUTRAL, "width": 1.5 + 1.2 * lv}, "showlegend": False})
    if ch.labels:
        data.append({
            "type": "scatter", "x": t - 1 + gap + 0.05, "y": np.ones(ch.T), "mode": "markers", "showlegend": False,
            "marker": {"symbol": "triangle-left", "size": 12, "color": NEUTRAL},
            "customdata": np.stack([t, t - 1, res.factors], axis=1),
            "hovertemplate": "from h<sub>%{customdata[0]}</sub> back to h<sub>%{customdata[1]}</sub>: "
                             "× w·act′(a) = %{customdata[2]:.3g}<extra></extra>",
        })
        data.append({"type": "scatter", "x": t - 0.5, "y": np.full(ch.T, 1.2), "mode": "text", "hoverinfo": "skip",
                     "text": [f"×{compact(f, 5, 2)}" for f in res.factors], "textfont": {"size": 12, "color": NEUTRAL},
                     "showlegend": False})
    return data


def _loss_pushes(res: BPTTResult, lt: np.ndarray, has_loss: np.ndarray) -> list[dict]:
    """With labels: a purple arrow down from each loss to its step, with the push ∂ℓ_t/∂h_t written beside it."""
    xs, ys = [], []
    for ti in lt:
        xs += [float(ti), float(ti), None]
        ys += [1.74, 1.3, None]
    return [
        {"type": "scatter", "x": xs, "y": ys, "mode": "lines", "hoverinfo": "skip",
         "line": {"color": PURPLE, "width": 2}, "showlegend": False},
        {"type": "scatter", "x": lt, "y": np.full(lt.size, 1.3), "mode": "markers", "hoverinfo": "skip",
         "showlegend": False, "marker": {"symbol": "triangle-down", "size": 10, "color": PURPLE}},
        {"type": "scatter", "x": lt + 0.07, "y": np.full(lt.size, 1.52), "mode": "text",
         "textposition": "middle right", "text": [compact(v, 5, 2) for v in res.local[has_loss]],
         "textfont": {"size": 11, "color": PURPLE}, "hoverinfo": "skip", "showlegend": False},
    ]


def _losses(res: BPTTResult, ch: _Chain) -> list[dict]:
    """The losses ℓ_t above the steps that have one, and their own push ∂ℓ_t/∂h_t."""
    has_loss = res.local != 0
    if not has_loss.any():
        return []
    lt = ch.t[has_loss]
    labels = ch.labels
    data = _loss_pushes(res, lt, has_loss) if labels else []
    data.append({
        "type": "scatter", "x": lt, "y": np.full(lt.size, 1.88 if labels else 1.55),
        "mode": "markers+text" if labels else "markers", "name": "loss",
        "marker": {"symbol": "square", "size": 28 if labels else 6, "color": "rgba(204,121,167,0.18)",
                   "line": {"color": PURPLE, "width": 2 if labels else 1}},
        "text": [f"ℓ<sub>{ti}</sub>" for ti in lt], "textfont": {"size": 13}, "showlegend": False,
        "customdata": res.local[has_loss],
        "hovertemplate": "loss ℓ<sub>%{x}</sub> pushes ∂ℓ/∂h = %{customdata:.3g}<extra></extra>",
    })
    return data


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
    with np.errstate(over="ignore", under="ignore"):
        ref = np.abs(res.w_rec) ** (T - t).astype(np.float64)
    floor, ceil = log_limits(res.running, ref, pad=0.5)
    data = [{
        "type": "bar", "x": t, "y": send(f), "marker": {"color": list(colors)}, "name": "factor w·act′(a_t)",
        "showlegend": False, "customdata": np.stack([res.deriv, t - 1], axis=1),
        "hovertemplate": "step %{x} → %{customdata[1]}: w·act′(a) = %{y:.3g}"
                         "<br>act′(a) = %{customdata[0]:.3g}<extra></extra>",
    }]
    data += log_traces(t, res.running, name="|∂h<sub>T</sub>/∂h<sub>t</sub>|: the running product", color=PURPLE,
                       floor=floor, ceil=ceil, yaxis="y2", xaxis="x2", hover="|∂h_T/∂h_t| = %{y:.3g}")
    data += log_traces(t, ref, name="|w|<sup>T−t</sup>: if act′ were 1 everywhere", color=NEUTRAL, dash="dash",
                       floor=floor, ceil=ceil, yaxis="y2", xaxis="x2", mode="lines", special=False, width=1.5)
    x_range = [0.4, T + 0.6]
    return styled(
        data, height=430, legend=LEGEND_BELOW, hovermode="closest", margin=MARGIN,
        yaxis=axis("factor", domain=[0.6, 1.0], zeroline=True),
        yaxis2=axis("|∂h<sub>T</sub>/∂h<sub>t</sub>|", domain=[0.0, 0.45], type="log",
                    range=log_axis_range(floor, ceil), exponentformat="power", anchor="x2",
                    **decade_ticks(*log_axis_range(floor, ceil))),  # powers of ten only: no minor "2", "5"
        xaxis=step_axis(T, anchor="y", matches="x2", showticklabels=False, range=x_range),
        xaxis2=step_axis(T, anchor="y2", title="time step t", range=x_range),
        shapes=[hline(1.0), hline(-1.0)],
        # A short panel label (a phone shows ~40 characters); the colours are explained beside the chart.
        annotations=[note("each step's factor w·act′(a<sub>t</sub>)", 0, 1.02, xref="x domain", yref="y domain",
                          color=NEUTRAL)],
    )


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
    xt = T + 1.5
    data = [
        {"type": "bar", "x": t, "y": send(c), "base": send(base), "name": "step t's share", "showlegend": False,
         "marker": {"color": list(colors), "line": {"width": 0}},
         "customdata": np.stack([res.da, res.h_prev, base + c], axis=1),
         "hovertemplate": "step %{x}: ∂L/∂a · h<sub>t−1</sub> = %{customdata[0]:.3g} × %{customdata[1]:.3g}"
                          " = %{y:.3g}<br>running sum: %{customdata[2]:.4g}<extra></extra>"},
        {"type": "bar", "x": [xt], "y": [res.total], "marker": {"color": GREEN}, "name": "total ∂L/∂w", "width": 0.9,
         "showlegend": False, "hovertemplate": "∂L/∂w_rec from backward: %{y:.6g}<extra></extra>"},
    ]
    ticks = step_ticks(T)
    lay = layout(
        height=340, legend=False, hovermode="closest", bargap=0.25, margin={**MARGIN, "t": 16},
        yaxis=axis("∂L/∂w<sub>rec</sub>"),
        xaxis=axis("time step t", tickmode="array", tickvals=[*ticks, xt], range=[0.4, xt + 0.6],
                   ticktext=[str(v) for v in ticks] + ["<b>total</b>"]),
        shapes=[hline(res.total, color=GREEN, dash="dash", width=1.5), hline(0.0, dash="solid", width=1)],
        annotations=[note(f"Σ of all steps = <b>{compact(res.total, 9, 4)}</b> = ∂L/∂w<sub>rec</sub>", 0.45, res.total,
                          xref="x", yref="y", yanchor="bottom" if res.total >= 0 else "top", color=GREEN, size=13)],
    )
    return figure(data, lay)


# -- truncated BPTT -----------------------------------------------------------------------------------
def truncation_figure(res: BPTTResult, trunc: Truncation, loss: str) -> go.Figure:
    """Per-step shares of ∂L/∂w_rec split into what truncated BPTT keeps (solid) and drops (hatched).

    ``loss`` "last": the window is the last k steps and is shaded.
    """
    T = res.steps
    t = _steps(res)
    data = [
        {"type": "bar", "x": t, "y": send(trunc.contributions), "name": "kept", "marker": {"color": BLUE},
         "hovertemplate": "step %{x}: kept %{y:.3g}<extra></extra>"},
        {"type": "bar", "x": t, "y": send(trunc.dropped), "name": "dropped by truncation",
         "marker": {"color": "rgba(213,94,0,0.25)", "line": {"color": VERMILLION, "width": 1},
                    "pattern": {"shape": "/", "fgcolor": VERMILLION, "size": 6}},
         "hovertemplate": "step %{x}: dropped %{y:.3g}<extra></extra>"},
    ]
    shapes, notes = [], []
    if loss == "last" and trunc.k < T:
        x0 = T - trunc.k + 0.5
        shapes.append({"type": "rect", "xref": "x", "yref": "y domain", "x0": x0, "x1": T + 0.5, "y0": 0, "y1": 1,
                       "fillcolor": "rgba(0,158,115,0.10)", "line": {"width": 0}, "layer": "below"})
        # Anchored at the window's right end, so the label stays inside the chart however narrow the window.
        notes.append(note(f"window: the last {trunc.k} step{'s' if trunc.k > 1 else ''}", T + 0.5, 1.0, xref="x",
                          xanchor="right", color=GREEN))
    return styled(
        data, height=340, legend={**LEGEND_BELOW, "y": -0.25}, hovermode="closest", barmode="relative",
        bargap=0.25, margin=MARGIN, yaxis=axis("share of ∂L/∂w<sub>rec</sub>"),
        xaxis=step_axis(T, range=[0.4, T + 0.6], title="time step t"), shapes=shapes, annotations=notes,
    )


def truncation_error_figure(curve: TruncationCurve, k: int) -> go.Figure:
    """Relative error of the truncated gradient against the window length k (log axis), k marked."""
    floor, ceil = log_limits(curve.rel_errors, pad=0.5)
    ceil = max(ceil, 10.0)
    data = log_traces(curve.ks, curve.rel_errors, name="relative error", color=VERMILLION, floor=floor, ceil=ceil,
                      hover="k = %{x}: %{y:.2e}")
    return styled(
        data, height=320, legend={**LEGEND_BELOW, "y": -0.3}, hovermode="closest", margin=MARGIN,
        xaxis=axis("window k (steps)"),
        yaxis=axis("|g<sub>k</sub> − g| / |g|", type="log", range=log_axis_range(floor, ceil),
                   exponentformat="power", **decade_ticks(*log_axis_range(floor, ceil))),
        shapes=[vline(k)], annotations=[note(f"k = {k}", k, 1.0, xref="x", xanchor="center")],
    )
