"""The stacked time × unit heatmaps: the input on top, then one heatmap per quantity (gates, states), all on
one time axis with a step cursor. Used wherever a recurrent cell's insides are shown over time.

Steps are numbered as the course numbers them: t = 1..T (h_0 is the initial state, before the first input),
so column k of the arrays (0-based) is drawn at t = k + 1, the cursor ``t`` is a step 1..T, and shapes passed
in ``extra_shapes`` with ``xref="x"`` use the same 1-based steps.

Pure Plotly dicts; no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .theme import DIVERGING, HIGHLIGHT, NEUTRAL, SEQUENTIAL, colorbar, f32, styled, symmetric_limit


@dataclass(frozen=True)
class Row:
    """One heatmap of the stack: a (T, H) array, its label, and how it is coloured.

    kind: "gate" (0..1, sequential), "signed" (−1..1, diverging), "state" (diverging, its own symmetric range)
    or "shared" (diverging, one symmetric range for all "shared" rows of the figure).
    """

    name: str
    label: str
    values: np.ndarray
    kind: str = "gate"


def end_ticks(lo: float, hi: float) -> list[float]:
    """At most two round values inside [lo, hi], as far apart as the rounding allows: the ticks of an axis too
    short for three labels (the input row above a heatmap stack, a colour bar one heatmap row tall)."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return [float(lo)] if np.isfinite(lo) else []
    step = 10.0 ** np.floor(np.log10(hi - lo))
    for _ in range(8):
        ticks = np.arange(np.ceil(lo / step - 1e-9) * step, hi + step * 1e-9, step)
        if len(ticks) >= 2:
            return [round(float(ticks[0]), 12) + 0.0, round(float(ticks[-1]), 12) + 0.0]
        step /= 2
    return [float(lo), float(hi)]


def outer_ticks(lo: float, hi: float) -> list[float]:
    """Two round values just outside [lo, hi] (on a grid of half the range's order of magnitude): the ticks
    and the range of an axis too short for more than two labels, which then sit at its two ends."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return [float(lo) - 1, float(hi) + 1] if np.isfinite(lo) and np.isfinite(hi) else [-1.0, 1.0]
    step = 10.0 ** np.floor(np.log10(hi - lo)) / 2
    return [round(float(np.floor(lo / step + 1e-9) * step), 12) + 0.0,
            round(float(np.ceil(hi / step - 1e-9) * step), 12) + 0.0]


def _colour_axis(kind: str, name: str, vals: np.ndarray, dom: tuple[float, float]) -> dict:
    """One kind of row's colour axis, its bar beside the rows spanning ``dom`` (paper).

    Every bar has three fixed labels (0, ½, 1; −1, 0, 1; or −L, 0, L with L round): a bar is as tall as one
    row, at least 44 px (``_Geometry``), and Plotly's own choice puts four or five labels on it, on top of
    each other. A small ypad leaves the labels the bar's whole height."""
    if kind == "gate":
        lo, hi, ticks, title = 0.0, 1.0, [0, 0.5, 1], "open"
    elif kind == "signed":
        lo, hi, ticks, title = -1.0, 1.0, [-1, 0, 1], "value"
    else:
        hi = symmetric_limit(vals)
        lo, top = -hi, end_ticks(0.0, hi)[-1]
        ticks, title = ([-top, 0.0, top] if top > 0 else [0.0]), ("value" if kind == "shared" else name)
    bar = colorbar(title, tickvals=ticks)
    bar.update({"y": (dom[0] + dom[1]) / 2, "len": max(dom[1] - dom[0], 0.16), "yanchor": "middle", "x": 1.0,
                "xpad": 8, "ypad": 2})
    return {"colorscale": SEQUENTIAL if kind == "gate" else DIVERGING, "cmin": lo, "cmax": hi, "colorbar": bar}


ROW_GAP = 0.9  # empty units between two rows of the heatmap stack


def row_offsets(rows: Sequence[Row]) -> list[float]:
    """Where each row of ``heatmap_stack`` starts on its shared y axis ("y2"): unit u of row k is drawn
    at y = offsets[k] + u, rows top to bottom with ``ROW_GAP`` between them."""
    out, y = [], 0.0
    for row in rows:
        out.append(y)
        y += np.asarray(row.values).shape[1] + ROW_GAP
    return out


@dataclass(frozen=True)
class _Geometry:
    """Where the stack's pieces sit: rows on a reversed y axis ("y2") from -0.5 to span - 0.5, the input
    row above them; heights in pixels."""

    unit_h: list[int]
    offsets: list[float]
    span: float
    heat_px: float
    x_px: float = 34
    gap_px: float = 14  # between the input row and the heatmaps

    @classmethod
    def of(cls, rows: Sequence[Row]) -> _Geometry:
        unit_h = [np.asarray(r.values).shape[1] for r in rows]
        offsets = row_offsets(rows)
        span = offsets[-1] + unit_h[-1]
        unit_px = max(44, min(110, 9 * min(unit_h) + 18)) / min(unit_h)
        return cls(unit_h, offsets, span, unit_px * span)

    @property
    def heat_top(self) -> float:
        return self.heat_px / (self.heat_px + self.x_px + self.gap_px)

    def paper_y(self, y: float) -> float:
        """y on the rows' axis (reversed) -> paper coordinates."""
        return self.heat_top * (1 - (y + 0.5) / self.span)


def _colour_key(row: Row, states_before: int) -> str:
    """Rows of one kind share a colour axis, except "state" rows: each gets its own."""
    return f"state{states_before + 1}" if row.kind == "state" else row.kind


def steps_of(T: int) -> np.ndarray:
    """The step numbers of a sequence of T steps as every chart shows them: 1..T."""
    return np.arange(1, T + 1)


def _row_traces(rows: Sequence[Row], geo: _Geometry, T: int) -> tuple[list[dict], dict]:
    """One heatmap trace per row on the shared axes, and the colour axes they use (layout entries)."""
    steps = steps_of(T)
    traces, axes, done = [], {}, {}
    states = 0
    for row, H, off in zip(rows, geo.unit_h, geo.offsets, strict=True):
        vals = np.asarray(row.values)
        key = _colour_key(row, states)
        states += row.kind == "state"
        if key not in done:
            done[key] = "coloraxis" if not done else f"coloraxis{len(done) + 1}"
            scale = vals if key != "shared" else np.concatenate([np.ravel(r.values) for r in rows
                                                                  if r.kind == "shared"])
            axes[done[key]] = _colour_axis(row.kind, row.name, scale, (geo.paper_y(off + H - 1), geo.paper_y(off - 1)))
        units = np.tile(np.arange(1, H + 1, dtype=np.int16), (T, 1)).T
        traces.append({
            "type": "heatmap", "z": f32(vals.T), "x": steps, "y": off + np.arange(H), "coloraxis": done[key],
            "name": row.name, "xaxis": "x2", "yaxis": "y2", "customdata": units,
            "hovertemplate": f"{row.name}  t=%{{x}}  unit %{{customdata}}<br>%{{z:.3f}}<extra></extra>",
        })
    return traces, axes


def _input_ticks(x: np.ndarray) -> dict:
    """The input row (34 px tall) has room for two labels: round values at its two ends, its range just
    around them."""
    lo, hi = outer_ticks(float(np.nanmin(x)), float(np.nanmax(x))) if np.isfinite(x).any() else (-1.0, 1.0)
    pad = (hi - lo) / 10
    return {"tickvals": [lo, hi], "range": [lo - pad, hi + pad], "autorange": False}


def _stack_axes(rows: Sequence[Row], geo: _Geometry, x: np.ndarray, x_label: str) -> dict:
    """The input row's axes (x, y) above the rows' shared axes (x2, y2), one time axis for all."""
    T = len(x)
    return {
        "yaxis": {"domain": [1 - geo.x_px / (geo.heat_px + geo.x_px + geo.gap_px), 1],
                  "title": {"text": x_label, "font": {"size": 13}}, "zeroline": True,
                  **_input_ticks(np.asarray(x, dtype=float))},
        "yaxis2": {"domain": [0, geo.heat_top], "range": [geo.span - 0.5, -0.5], "showgrid": False,
                   "zeroline": False, "ticks": "", "tickfont": {"size": 13}, "ticktext": [r.label for r in rows],
                   "tickvals": [off + (H - 1) / 2 for off, H in zip(geo.offsets, geo.unit_h, strict=True)]},
        "xaxis": {"anchor": "y", "showticklabels": False, "range": [0.5, T + 0.5], "showgrid": False},
        "xaxis2": {"anchor": "y2", "matches": "x", "range": [0.5, T + 0.5], "showgrid": False,
                   "title": {"text": "time step t"}},
    }


def step_cursor(t: int) -> tuple[dict, dict]:
    """The highlighted column through every row at step ``t`` (1..T) and its label: (shape, annotation)."""
    return ({"type": "rect", "xref": "x", "yref": "paper", "x0": t - 0.5, "x1": t + 0.5, "y0": 0, "y1": 1,
             "line": {"color": HIGHLIGHT, "width": 2.5}, "fillcolor": "rgba(213, 94, 0, 0.07)"},
            {"x": t, "y": 1.0, "xref": "x", "yref": "paper", "text": f"<b>t = {t}</b>",
             "showarrow": False, "yanchor": "bottom", "font": {"color": HIGHLIGHT, "size": 13}})


def heatmap_stack(x: np.ndarray, rows: Sequence[Row], t: int | None, *, title: str | None = None,
                  x_label: str = "x<sub>t</sub>", extra_shapes: Sequence[dict] = (),
                  extra_annotations: Sequence[dict] = ()) -> go.Figure:
    """The input on top, then one time × unit heatmap per row, all on one shared time axis.

    x: (T,) the input.  rows: heatmaps of shape (T, H), drawn with time across (steps 1..T: row k of an
    array is step k + 1) and unit 1..H downwards.
    t: the step cursor, a step 1..T (a highlighted column through every row), or None.
    Gates share one 0..1 colour bar, signed rows one −1..1 bar; each "state" row gets its own symmetric bar.

    The rows are stacked on *one* pair of axes (x2, y2; see ``row_offsets``) rather than one subplot each:
    the browser draws a subplot's axes, grid and hover layer separately, so six subplots cost 2-3× the time
    of one. extra_shapes / extra_annotations: layout dicts added as they are.
    """
    T = len(x)
    geo = _Geometry.of(rows)
    if t is not None and not 1 <= t <= T:
        raise ValueError(f"t: expected a step from 1 to {T}, got {t}")
    x_trace = {"type": "scatter", "x": steps_of(T), "y": f32(x), "mode": "lines+markers" if T <= 80 else "lines",
               "xaxis": "x", "yaxis": "y", "line": {"color": NEUTRAL, "width": 2}, "marker": {"size": 4},
               "name": "x", "hovertemplate": "t=%{x}<br>x=%{y:.3f}<extra></extra>"}
    heat, colour_axes = _row_traces(rows, geo, T)
    cursor = step_cursor(t) if t is not None else None  # the cursor comes first: shapes[0]
    shapes = ([cursor[0]] if cursor else []) + list(extra_shapes)
    annotations = ([cursor[1]] if cursor else []) + list(extra_annotations)
    layout = {**_stack_axes(rows, geo, x, x_label), **colour_axes}
    return styled([x_trace, *heat], title=title, height=int(geo.heat_px + geo.x_px + geo.gap_px + 90), legend=False,
                  hovermode="closest", **layout, shapes=shapes, annotations=annotations,
                  margin={"l": 10, "r": 10, "t": 64 if title else 28, "b": 10})
