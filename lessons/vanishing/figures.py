"""Figures for the "Vanishing & exploding gradients" lesson: gradient size against distance from the loss (log
axis, with the analytic |w|^k), an activation next to its derivative, eigenvalues against the unit circle,
and gradient clipping by value vs by norm.

Pure functions of the recipe's results (lessons.vanishing.recipe); no Streamlit. Zeros and overflows on log
axes are drawn as labelled markers (``lessons.kit.logaxes.log_traces``), never dropped. Every figure is built
from plain dicts in one unvalidated pass (``theme.styled``); the tests validate them by rebuilding.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons.kit.logaxes import log_axis_range, log_limits, log_traces
from lessons.kit.numbers import short
from lessons.kit.theme import (
    BLUE,
    GREEN,
    LEGEND_BELOW,
    NEUTRAL,
    ORANGE,
    PAPER,
    PURPLE,
    VERMILLION,
    axis,
    decade_ticks,
    f32,
    hline,
    note,
    send,
    styled,
    vline,
)
from lessons.vanishing.recipe import ChainResult, Clip2D, MatrixResult, RunClip

SATURATED = 0.1  # act'(a) below this: the unit is "saturated" and passes back less than a tenth
# How the figures name an activation in legends and axis titles (the controls use kit.settings.ACTIVATION_LABELS).
ACTIVATION_LABEL = {"identity": "identity", "tanh": "tanh", "sigmoid": "σ (sigmoid)", "relu": "ReLU",
                    "leaky_relu": "leaky ReLU", "elu": "ELU"}
DERIVATIVE_NOTE = {"sigmoid": "σ′ ≤ 0.25 everywhere", "tanh": "tanh′ ≤ 1, → 0 for large |a|",
                   "relu": "ReLU′ is 0 or 1", "leaky_relu": "0.01 or 1", "elu": "e<sup>a</sup> for a < 0, else 1",
                   "identity": "always 1"}
MARGIN = {"t": 16, "b": 10, "l": 10, "r": 10}
PALE = "rgba(138,148,163,0.45)"  # the analytic line, drawn wide underneath the measured one


def _log_figure(data: list[dict], floor: float, ceil: float, *, height: int, x_title: str, y_title: str,
                shapes: list | None = None, **extra) -> go.Figure:
    """A log-y chart with the legend below; a dotted line at 1 (above: the gradient grew; below: it shrank)."""
    ones = [hline(1.0)] if floor < 1 < ceil else []
    return styled(
        data, height=height, hovermode="x unified", legend=LEGEND_BELOW, margin={**MARGIN, "t": 24},
        xaxis=axis(x_title), yaxis=axis(y_title, type="log", range=log_axis_range(floor, ceil), exponentformat="power",
                                        **decade_ticks(*log_axis_range(floor, ceil))),  # no minor "2", "5" labels
        shapes=ones + (shapes or []), **extra,
    )


# -- the scalar chain -----------------------------------------------------------------------------------
def _chain_marks(chain: ChainResult, floor: float) -> tuple[list[dict], list[dict]]:
    """Where the gradient overflowed (a line and a label) and where it became exactly 0 (an arrow)."""
    shapes, notes = [], []
    if chain.overflow_distance is not None:
        shapes.append(vline(chain.overflow_distance, color=VERMILLION))
        notes.append(note(f"overflowed at k = {chain.overflow_distance}", chain.overflow_distance, 1.0, xref="x",
                          xanchor="right", yanchor="top", color=VERMILLION))
    if chain.zero_distance is not None:
        notes.append({"x": chain.zero_distance, "y": np.log10(floor), "xref": "x", "yref": "y",
                      "text": f"exactly 0 from k = {chain.zero_distance}", "showarrow": True, "arrowhead": 2,
                      "ax": 40, "ay": -36, "font": {"size": 12, "color": BLUE}, "arrowcolor": BLUE})
    return shapes, notes


def gradient_norm_figure(chain: ChainResult, *, activation: str) -> go.Figure:
    """|∂L/∂h_{T-k}| against k = steps back from the loss (log axis), with |w|^k and, where act' ≤ c < 1,
    the best case (|w|·c)^k. Exact zeros sit on the floor, overflows on the ceiling, both labelled.
    """
    k = chain.distance
    show_bound = not np.allclose(chain.bound, chain.analytic, equal_nan=True)
    floor, ceil = log_limits(chain.grad, chain.analytic, *([chain.bound] if show_bound else []))
    # The analytic line underneath as a wide pale band, so an exact match (identity) still shows both.
    data = log_traces(k, chain.analytic, name=f"|w|<sup>k</sup> = {short(abs(chain.w), 3)}<sup>k</sup>",
                      color=PALE, floor=floor, ceil=ceil, mode="lines", special=False, width=6)
    if show_bound:
        data += log_traces(k, chain.bound, name="(|w|·max act′)<sup>k</sup>: the best case", color=ORANGE, dash="dot",
                           floor=floor, ceil=ceil, mode="lines", special=False, width=2)
    data += log_traces(k, chain.grad, name=f"|∂L/∂h| with {ACTIVATION_LABEL.get(activation, activation)}",
                       color=BLUE, floor=floor, ceil=ceil, width=2.5)
    shapes, notes = _chain_marks(chain, floor)
    return _log_figure(data, floor, ceil, height=400,
                       x_title="k = steps back from the loss (k = T: h₀)",
                       y_title="|∂L/∂h<sub>T−k</sub>|", shapes=shapes, annotations=notes)


# -- the activation and its slope -----------------------------------------------------------------------
def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of every run of True in ``mask``."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


SATURATED_LABEL = {"relu": "dead:<br>act′ = 0", "leaky_relu": "act′ = 0.01:<br>small, never 0"}


def _saturation(name: str, a: np.ndarray, d: np.ndarray) -> tuple[list[dict], list[dict]]:
    """Shade where the derivative is tiny (a gradient crossing such a step is cut by 10× or more) in both
    panels, and mark the derivative's maximum. The zone's label sits halfway up, clear of the maximum's line."""
    shapes, notes = [], []
    sat = d < SATURATED
    if sat.any() and not sat.all():
        for i0, i1 in _runs(sat):
            for xref, yref in (("x", "y domain"), ("x2", "y2 domain")):
                shapes.append({"type": "rect", "x0": float(a[i0]), "x1": float(a[i1]), "y0": 0, "y1": 1,
                               "xref": xref, "yref": yref, "fillcolor": "rgba(213,94,0,0.08)",
                               "line": {"width": 0}, "layer": "below"})
        i0, i1 = _runs(sat)[0]
        notes.append(note(SATURATED_LABEL.get(name, "saturated:<br>act′ < 0.1"), float(a[i0] + a[i1]) / 2, 0.55,
                          xref="x2", yref="y2 domain", xanchor="center", yanchor="middle", size=11,
                          color=VERMILLION))
    dmax = float(np.max(d))
    shapes.append(hline(dmax, yref="y2", xref="x2 domain"))
    notes.append(note(DERIVATIVE_NOTE.get(name, f"max {dmax:.3g}"), 1, dmax, xref="x2 domain", yref="y2",
                      xanchor="right"))
    return shapes, notes


def _run_points(chain: ChainResult, lo: float, hi: float, y_range: list[float]) -> tuple[list[dict], list[dict]]:
    """The run's own (a_t, act(a_t)) and (a_t, act'(a_t)) as dots. Steps off the chart (|a| beyond its edge,
    or not finite) are drawn on its edge as triangles, and counted in a note: never silently left out."""
    pre = np.asarray(chain.pre, dtype=np.float64)
    inside = np.abs(pre) <= max(abs(lo), abs(hi))  # False for inf and NaN too
    pa = np.clip(np.nan_to_num(pre, nan=0.0, posinf=hi, neginf=lo), lo, hi)
    ph = np.clip(np.nan_to_num(chain.h, nan=0.0, posinf=y_range[1], neginf=y_range[0]), *y_range)
    pd = np.nan_to_num(chain.deriv, nan=0.0, posinf=1.0)
    steps = np.arange(1, pre.shape[0] + 1)
    edge = np.where(np.nan_to_num(pre, nan=1.0) < 0, "triangle-left", "triangle-right")  # which edge it is beyond
    data = []
    for where, name in ((inside, "this run's steps"), (~inside, "steps beyond the edge (|a| larger)")):
        if not where.any():
            continue
        run = {"type": "scatter", "mode": "markers", "name": name, "legendgroup": name,
               # Opaque (a faint dot is below 3:1 on the page), outlined in the page's colour so that
               # neighbours stay apart.
               "marker": {"color": PURPLE, "size": 7 if where is inside else 10,
                          "line": {"color": PAPER, "width": 1},
                          "symbol": "circle" if where is inside else list(edge[where])},
               "customdata": np.stack([steps[where], send(pre[where])], axis=1)}
        data += [{**run, "x": f32(pa[where]), "y": f32(ph[where]),
                  "hovertemplate": "step %{customdata[0]}: a = %{customdata[1]:.3g}<extra></extra>"},
                 {**run, "x": f32(pa[where]), "y": f32(pd[where]), "xaxis": "x2", "yaxis": "y2", "showlegend": False,
                  "hovertemplate": "step %{customdata[0]}: act′(a) = %{y:.3f}<extra></extra>"}]
    out = int((~inside).sum())
    notes = []
    if out:
        notes.append(note(f"{out} step{'s' if out > 1 else ''} had |a| > {hi:g}: drawn at the edge (▸)", 0.5,
                          0, xanchor="center", yanchor="top", yshift=-OFF_CHART_SHIFT, color=NEUTRAL))
    return data, notes


OFF_CHART_SHIFT = 74  # px below the plot: under the bottom panel's tick labels and title (theme.margin_floor)


def activation_figure(name: str, a: np.ndarray, y: np.ndarray, d: np.ndarray, chain: ChainResult | None = None,
                      ) -> go.Figure:
    """Top: act(a). Below it: act'(a), with the saturated zone (act' < 0.1) shaded and its maximum marked.
    ``a, y, d``: the curve (``rnn_core.curve``). ``chain``: the run's own (a_t, act(a_t), act'(a_t)) drawn as
    dots, so you see where the steps landed. Stacked, not side by side: each panel keeps the figure's full width,
    so the labels inside the derivative panel fit on a phone as well.
    """
    lo, hi = float(a[0]), float(a[-1])
    data = [
        {"type": "scatter", "x": f32(a), "y": f32(y), "mode": "lines", "line": {"color": BLUE, "width": 3},
         "name": "act(a)", "hovertemplate": "a = %{x:.2f}: act(a) = %{y:.3f}<extra></extra>"},
        {"type": "scatter", "x": f32(a), "y": f32(d), "mode": "lines", "line": {"color": ORANGE, "width": 3},
         "name": "act′(a)", "xaxis": "x2", "yaxis": "y2",
         "hovertemplate": "a = %{x:.2f}: act′(a) = %{y:.3f}<extra></extra>"},
    ]
    shapes, notes = _saturation(name, a, d)
    y_range = [lo, hi] if name == "identity" else [float(min(np.min(y), -0.1)) - 0.1, float(max(np.max(y), 1.1)) + 0.1]
    off_chart = []
    if chain is not None:
        points, off_chart = _run_points(chain, lo, hi, y_range)
        data += points
    return styled(
        data, height=470, hovermode="closest",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left",
                "bgcolor": "rgba(0,0,0,0)"},
        margin={**MARGIN, "t": 50, **({"b": OFF_CHART_SHIFT + 26} if off_chart else {})},
        xaxis=axis(None, domain=[0, 1], range=[lo, hi], anchor="y"),
        yaxis=axis(f"{ACTIVATION_LABEL.get(name, name)}(a)", domain=[0.58, 1], range=y_range),
        xaxis2=axis("a", domain=[0, 1], anchor="y2", range=[lo, hi]),
        yaxis2=axis("derivative", domain=[0, 0.42], anchor="x2", range=[-0.05, max(1.1, float(np.max(d)) * 1.15)]),
        shapes=shapes, annotations=notes + off_chart,
    )


# -- the matrix case ------------------------------------------------------------------------------------
def _circle(r: float, n: int = 181) -> tuple[np.ndarray, np.ndarray]:
    th = np.linspace(0, 2 * np.pi, n)
    return r * np.cos(th), r * np.sin(th)


def radius_color(rho: float) -> str:
    """Blue when gradients shrink (ρ < 1), vermillion when they grow, green on the unit circle."""
    return GREEN if abs(rho - 1) < 1e-9 else (BLUE if rho < 1 else VERMILLION)


def eigenvalue_figure(m: MatrixResult) -> go.Figure:
    """Eigenvalues of W_hh in the complex plane, the unit circle, and the circle |λ| = ρ they lie on."""
    cx, cy = _circle(1.0)
    col = radius_color(m.radius)
    data = [{"type": "scatter", "x": f32(cx), "y": f32(cy), "mode": "lines", "name": "unit circle |λ| = 1",
             "line": {"color": NEUTRAL, "dash": "dash", "width": 1.5}, "hoverinfo": "skip"}]
    if m.radius > 0:
        rx, ry = _circle(m.radius)
        data.append({"type": "scatter", "x": f32(rx), "y": f32(ry), "mode": "lines", "opacity": 0.6,
                     "name": f"|λ| = ρ = {m.radius:.2f}", "line": {"color": col, "width": 1.5}, "hoverinfo": "skip"})
    ev = m.eigenvalues
    data.append({"type": "scatter", "x": f32(ev.real), "y": f32(ev.imag), "mode": "markers",
                 "name": "eigenvalues of W<sub>hh</sub>",
                 "marker": {"color": col, "size": 10, "line": {"color": "white", "width": 1}},
                 "hovertemplate": "λ = %{x:.3f} %{y:+.3f}i<extra></extra>"})
    lim = max(1.3, 1.15 * m.radius)
    return styled(
        data, height=380, hovermode="closest", legend={**LEGEND_BELOW, "y": -0.18}, margin=MARGIN,
        xaxis=axis("Re λ", range=[-lim, lim], zeroline=True, constrain="domain"),
        yaxis=axis("Im λ", range=[-lim, lim], zeroline=True, scaleanchor="x", scaleratio=1),
    )


def matrix_norm_figure(m: MatrixResult, *, activation: str) -> go.Figure:
    """‖∂h_T/∂h_{T−k}‖₂ against k (log axis) next to ρ^k."""
    k = m.distance
    floor, ceil = log_limits(m.norms, m.analytic)
    label = ACTIVATION_LABEL.get(activation, activation)
    data = log_traces(k, m.analytic, name=f"ρ<sup>k</sup> = {m.radius:.2f}<sup>k</sup>", color=PALE,
                      floor=floor, ceil=ceil, mode="lines", special=False, width=6)
    data += log_traces(k, m.norms, name=f"‖∂h<sub>T</sub>/∂h<sub>T−k</sub>‖ with {label}",
                       color=radius_color(m.radius), floor=floor, ceil=ceil, width=2.5)
    return _log_figure(data, floor, ceil, height=380, x_title="k = steps back", y_title="spectral norm")


# -- clipping -----------------------------------------------------------------------------------------
def _arrow(v: np.ndarray, name: str, color: str, width: float = 3.5, dash: str | None = None) -> dict:
    return {"type": "scatter", "x": [0.0, float(v[0])], "y": [0.0, float(v[1])], "mode": "lines+markers", "name": name,
            "line": {"color": color, "width": width, **({"dash": dash} if dash else {})},
            # A list of sizes makes Plotly draw the markers at 0.7 opacity unless told otherwise: too faint.
            "marker": {"symbol": ["circle", "arrow"], "size": [4, 16], "angleref": "previous", "color": color,
                       "opacity": 1},
            "hovertemplate": f"{name}<br>(%{{x:.3g}}, %{{y:.3g}})<extra></extra>"}


def _angle(deg: float) -> str:
    return "—" if np.isnan(deg) else f"{deg:.1f}°"


def clip_vector_figure(c: Clip2D) -> go.Figure:
    """A 2-D gradient, its value-clipped version (each entry into the square [−c, c]²) and its norm-clipped
    version (shortened onto the circle of radius c, same direction)."""
    thr = c.threshold
    data = [
        _arrow(c.original, f"gradient g (length {short(c.norm_original)})", NEUTRAL, width=3),
        _arrow(c.by_value, f"clip by value: turned {_angle(c.angle_value)}", ORANGE),
        _arrow(c.by_norm, f"clip by norm: turned {_angle(c.angle_norm)}", BLUE, dash="dash"),
    ]
    lim = 1.15 * max(abs(c.original).max(), thr, 1e-9)
    return styled(
        data, height=440, hovermode="closest", legend={**LEGEND_BELOW, "y": -0.18}, margin=MARGIN,
        xaxis=axis("g<sub>1</sub>", range=[-lim, lim], zeroline=True, constrain="domain"),
        yaxis=axis("g<sub>2</sub>", range=[-lim, lim], zeroline=True, scaleanchor="x", scaleratio=1,
                   constrain="domain"),  # on a phone the square shrinks instead of the y range growing
        shapes=[
            {"type": "rect", "x0": -thr, "y0": -thr, "x1": thr, "y1": thr, "fillcolor": "rgba(230,159,0,0.06)",
             "line": {"color": ORANGE, "dash": "dot", "width": 1.5}},
            {"type": "circle", "x0": -thr, "y0": -thr, "x1": thr, "y1": thr,
             "line": {"color": BLUE, "dash": "dot", "width": 1.5}},
        ],
        annotations=[note("c", thr, -thr, xref="x", yref="y", yanchor="top", color=ORANGE, size=13)],
    )


def clip_effect_figure(rc: RunClip) -> go.Figure:
    """|∂L/∂h| by distance from the loss, before and after clipping the run's gradient by norm.

    Clipping by norm multiplies the whole gradient by one factor, exactly as if the loss had been
    scaled: on a log axis the curve slides down without changing shape.
    """
    k = np.arange(rc.grad.shape[0])
    floor, ceil = log_limits(rc.grad, rc.clipped)
    data = log_traces(k, rc.grad, name="before clipping", color=NEUTRAL, floor=floor, ceil=ceil)
    if np.isfinite(rc.scale):
        data += log_traces(k, rc.clipped, name=f"after clip by norm (× {short(rc.scale, 2)})", color=BLUE,
                           floor=floor, ceil=ceil, width=3)
    return _log_figure(data, floor, ceil, height=360, x_title="k = steps back from the loss",
                       y_title="|∂L/∂h<sub>T−k</sub>|")
