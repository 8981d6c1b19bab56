"""Figures for the gated-cell lessons (LSTM, GRU, bidirectional): cell diagrams with live numbers,
time × unit heatmaps on one shared time axis with a step cursor, the "remember" demo, parameter counts.

Pure functions: arrays/dicts in, ``go.Figure`` out. No Streamlit.

Speed: Plotly validates the whole layout on every ``add_shape``/``add_annotation`` call, so a diagram
with forty pieces built that way costs ~300 ms. Here shapes and annotations are collected as plain dicts
and handed to ``go.Figure`` once (~10 ms), and stacked subplots are laid out by hand for the same reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go

from .theme import (
    BLUE,
    DIVERGING,
    GREEN,
    HIGHLIGHT,
    MONO_FAMILY,
    NEUTRAL,
    ORANGE,
    PURPLE,
    SEQUENTIAL,
    SKY,
    VERMILLION,
    colorbar,
    contrast_text,
    diverging_color,
    f32,
    styled,
    symmetric_limit,
)

GATE_FILL = "rgba(86, 180, 233, 0.75)"  # SKY: how far a gate is open, drawn as a fill level
PAPER = "#FCFCFD"  # opaque light fill behind dark text, so labels inside boxes read in both themes
INK = "#18212F"
BELT_WIDTH = 18


# -- diagram canvas -----------------------------------------------------------------------------------
@dataclass
class Canvas:
    """Collects shapes and annotations as dicts (data coordinates) to build one figure in a single pass."""

    shapes: list[dict] = field(default_factory=list)
    annotations: list[dict] = field(default_factory=list)

    def line(self, pts: Sequence[tuple[float, float]], *, color: str = NEUTRAL, width: float = 2.0) -> None:
        path = "M " + " L ".join(f"{x},{y}" for x, y in pts)
        self.shapes.append({"type": "path", "path": path, "line": {"color": color, "width": width}, "layer": "below"})

    def arrow(self, x0: float, y0: float, x1: float, y1: float, *, color: str = NEUTRAL, width: float = 2.0) -> None:
        self.annotations.append({"x": x1, "y": y1, "ax": x0, "ay": y0, "xref": "x", "yref": "y", "axref": "x",
                                 "ayref": "y", "text": "", "showarrow": True, "arrowhead": 2, "arrowsize": 1.1,
                                 "arrowwidth": width, "arrowcolor": color, "standoff": 0, "startstandoff": 0})

    def text(self, x: float, y: float, text: str, *, size: int = 13, anchor: str = "center", valign: str = "middle",
             color: str | None = None, mono: bool = False) -> None:
        font: dict = {"size": size}
        if color:
            font["color"] = color
        if mono:
            font["family"] = MONO_FAMILY
        self.annotations.append({"x": x, "y": y, "xref": "x", "yref": "y", "text": text, "showarrow": False,
                                 "font": font, "xanchor": anchor, "yanchor": valign})

    def rect(self, x0: float, y0: float, x1: float, y1: float, *, fill: str = PAPER, color: str = NEUTRAL,
             width: float = 1.5, layer: str = "above") -> None:
        self.shapes.append({"type": "rect", "x0": x0, "y0": y0, "x1": x1, "y1": y1, "fillcolor": fill,
                            "line": {"color": color, "width": width}, "layer": layer})

    def op(self, x: float, y: float, symbol: str, r: float = 0.3) -> None:
        """A pointwise operation (× or +) drawn as a circle on the wires."""
        self.shapes.append({"type": "circle", "x0": x - r, "y0": y - r, "x1": x + r, "y1": y + r,
                            "fillcolor": PAPER, "line": {"color": NEUTRAL, "width": 2}})
        self.text(x, y, symbol, size=19, color=INK)

    def belt(self, segments: Sequence[tuple[float, float, float]], y: float, lim: float) -> None:
        """A thick band split into segments coloured by the value riding on each (diverging scale)."""
        for x0, x1, val in segments:
            self.shapes.append({"type": "line", "x0": x0, "y0": y, "x1": x1, "y1": y, "layer": "below",
                                "line": {"color": diverging_color(val, lim), "width": BELT_WIDTH}})
        left, right = segments[0][0], segments[-1][1]
        for dy in (0.3, -0.3):
            self.line([(left, y + dy), (right, y + dy)], width=1)

    def gate(self, x: float, y: float, name: str, fn: str, value: float, *, signed: bool = False,
             w: float = 1.1, h: float = 1.0) -> None:
        """A gate as a small tank filled from the bottom up to its value in [0, 1] (how far it is open).
        A signed layer (the tanh candidate) is a box coloured on the diverging scale instead."""
        x0, x1, y0, y1 = x - w / 2, x + w / 2, y - h / 2, y + h / 2
        if signed:
            self.rect(x0, y0, x1, y1, fill=diverging_color(value, 1.0))
            ink = contrast_text(value, 1.0)
        else:
            self.rect(x0, y0, x1, y1, fill=PAPER, width=0)
            level = float(np.clip(value, 0.0, 1.0))
            if level > 0:
                self.rect(x0, y0, x1, y0 + level * h, fill=GATE_FILL, width=0)
            self.rect(x0, y0, x1, y1, fill="rgba(0,0,0,0)", color=BLUE, width=2)
            ink = INK
        self.text(x, y + 0.2, f"<b>{name}</b> <span style='font-size:11px'>{fn}</span>", size=14, color=ink)
        self.text(x, y - 0.2, f"{_s(value)}" if signed else f"{value:.2f}", size=13, color=ink, mono=True)

    def figure(self, xr: tuple[float, float], yr: tuple[float, float], height: int, title: str) -> go.Figure:
        return styled([], title=title, height=height, legend=False, hovermode=False,
                      xaxis={"visible": False, "range": list(xr), "fixedrange": True},
                      yaxis={"visible": False, "range": list(yr), "fixedrange": True},
                      margin={"l": 4, "r": 4, "t": 44, "b": 4}, dragmode=False,
                      shapes=self.shapes, annotations=self.annotations)


def _s(v: float, digits: int = 2) -> str:
    """Signed number with a typographic minus: +0.25, −0.25."""
    return f"{v:+.{digits}f}".replace("-", "−")


def _pct(v: float) -> str:
    return f"{100 * v:.0f}%"


# -- LSTM diagram -------------------------------------------------------------------------------------
def lstm_cell_diagram(v: dict[str, float], t: int, unit_label: str, *, peephole: bool = False) -> go.Figure:
    """The LSTM cell at step ``t`` with its numbers (keys as ``rnn_core.demos.gated.step_values``).

    The cell state runs along the top as a thick belt coloured by its value: c_{t−1} → ×f → +i·g → c_t,
    then tanh and ×o give h_t along the bottom right. Each gate is a tank filled to how far it is open,
    labelled with the share it lets through.
    """
    cv = Canvas()
    belt, gy, bus, wy = 6.0, 2.3, 0.7, 4.2  # rows: belt, gates, input bus, the i×g product
    fx, ix, gx, ox, tx, end = 2.6, 4.4, 5.9, 8.0, 9.9, 12.0  # columns
    lim = max(1.0, abs(v["c_prev"]), abs(v["c"]), abs(v["kept"]))
    cv.belt([(0.0, fx, v["c_prev"]), (fx, gx, v["kept"]), (gx, end, v["c"])], belt, lim)
    cv.text(0.0, belt + 0.65, f"c<sub>t−1</sub> = <b>{_s(v['c_prev'])}</b>", anchor="left", size=14)
    cv.text(end, belt + 0.65, f"c<sub>t</sub> = <b>{_s(v['c'])}</b>", anchor="right", size=14)
    cv.text((fx + gx) / 2, belt + 0.55, f"kept f·c<sub>t−1</sub> = {_s(v['kept'])}", size=12)
    cv.text(8.0, belt + 0.75, "cell state c: the conveyor belt", size=12, color=NEUTRAL)
    cv.op(fx, belt, "×")
    cv.op(gx, belt, "+")
    # Input bus: [h_{t-1}, x_t] feeds every gate.
    cv.line([(0.0, bus), (ox, bus)], width=2.5)
    cv.text(0.0, bus + 0.5, f"h<sub>t−1</sub> = <b>{_s(v['h_prev'])}</b>", anchor="left", size=14)
    cv.arrow(1.2, -0.45, 1.2, bus)
    cv.text(1.2, -0.65, f"x<sub>t</sub> = <b>{_s(v['x'])}</b>", size=14)
    for xg in (fx, ix, gx, ox):
        cv.arrow(xg, bus, xg, gy - 0.5)
    # Forget gate -> × on the belt.
    cv.arrow(fx, gy + 0.5, fx, belt - 0.32)
    cv.text(fx - 0.2, wy, f"keeps<br><b>{_pct(v['f'])}</b> of<br>the belt", anchor="right", size=12)
    # Input gate × candidate -> + on the belt.
    cv.op(gx, wy, "×")
    cv.line([(ix, gy + 0.5), (ix, wy)])
    cv.arrow(ix, wy, gx - 0.32, wy)
    cv.arrow(gx, gy + 0.5, gx, wy - 0.32)
    cv.arrow(gx, wy + 0.32, gx, belt - 0.32)
    cv.text(gx + 0.35, wy + 0.55, f"writes i·g = <b>{_s(v['written'])}</b>", anchor="left", size=12)
    cv.text(ix - 0.15, 3.35, f"lets<br><b>{_pct(v['i'])}</b><br>of g in", anchor="right", size=12)
    # Read-out: tanh(c_t) × o -> h_t.
    cv.line([(tx, belt - 0.32), (tx, 4.7)])
    cv.rect(tx - 0.55, 3.7, tx + 0.55, 4.7, fill=diverging_color(v["tanh_c"], 1.0))
    ink = contrast_text(v["tanh_c"], 1.0)
    cv.text(tx, 4.42, "tanh", size=12, color=ink)
    cv.text(tx, 3.98, f"{_s(v['tanh_c'])}", size=13, color=ink, mono=True)
    cv.arrow(tx, 3.7, tx, gy + 0.32)
    cv.op(tx, gy, "×")
    cv.arrow(ox + 0.55, gy, tx - 0.32, gy)
    cv.text((ox + tx) / 2 + 0.1, gy - 0.8, f"shows <b>{_pct(v['o'])}</b><br>of tanh c", size=12)
    cv.arrow(tx + 0.32, gy, end, gy, width=3)
    cv.text(end, gy + 0.55, f"h<sub>t</sub> = <b>{_s(v['h'])}</b>", anchor="right", size=14)
    for xg, name, fn, key in ((fx, "f", "σ", "f"), (ix, "i", "σ", "i"), (gx, "g", "tanh", "g"), (ox, "o", "σ", "o")):
        cv.gate(xg, gy, name, fn, v[key], signed=key == "g")
    if peephole:
        cv.text(end, -0.65, "peepholes on: i, f see c<sub>t−1</sub>; o sees c<sub>t</sub>", anchor="right", size=11,
                color=NEUTRAL)
    return cv.figure((-0.3, 12.3), (-1.05, 7.05), 440, f"Inside the LSTM cell at step t = {t} · {unit_label}")


# -- GRU diagram --------------------------------------------------------------------------------------
def gru_cell_diagram(v: dict[str, float], t: int, unit_label: str, *, reset_after: bool = True) -> go.Figure:
    """The GRU cell at step ``t``: h_{t−1} along the top, kept by z, topped up with (1−z)·n.

    Keys as ``rnn_core.demos.gated.step_values`` for a GRU: x, h_prev, r, z, n, kept, written, h.
    """
    cv = Canvas()
    top, gy, bus, wy = 6.0, 2.3, 0.7, 4.2
    zx, rx, nx, mx, end = 3.0, 5.6, 7.6, 9.6, 12.0  # columns: update, reset, candidate, the (1−z)·n product
    lim = max(1.0, abs(v["h_prev"]), abs(v["h"]), abs(v["kept"]))
    cv.belt([(0.0, zx, v["h_prev"]), (zx, mx, v["kept"]), (mx, end, v["h"])], top, lim)
    cv.text(0.0, top + 0.65, f"h<sub>t−1</sub> = <b>{_s(v['h_prev'])}</b>", anchor="left", size=14)
    cv.text(end, top + 0.65, f"h<sub>t</sub> = <b>{_s(v['h'])}</b>", anchor="right", size=14)
    cv.text((zx + mx) / 2, top + 0.55, f"kept z·h<sub>t−1</sub> = {_s(v['kept'])}", size=12)
    cv.op(zx, top, "×")
    cv.op(mx, top, "+")
    # h_{t-1} drops from the top line to the bus, which feeds z, r and the candidate n.
    cv.line([(0.9, top - 0.3), (0.9, bus), (nx, bus)], width=2.5)
    cv.arrow(1.9, -0.45, 1.9, bus)
    cv.text(1.9, -0.65, f"x<sub>t</sub> = <b>{_s(v['x'])}</b>", size=14)
    for xg in (zx, rx, nx):
        cv.arrow(xg, bus, xg, gy - 0.5)
    # Update gate: z keeps the past (up to × on the top line); 1 − z lets the candidate in.
    cv.arrow(zx, gy + 0.5, zx, top - 0.32)
    cv.text(zx - 0.2, 3.45, f"keeps<br><b>{_pct(v['z'])}</b> of<br>the past", anchor="right", size=12)
    cv.op(mx, wy, "×")
    cv.arrow(zx, wy, mx - 0.32, wy, width=1.5)
    cv.text((zx + mx) / 2 - 0.5, wy + 0.3, f"1 − z = {1 - v['z']:.2f}", size=12)
    cv.line([(nx, gy + 0.5), (nx, 3.2), (mx, 3.2)])
    cv.arrow(mx, 3.2, mx, wy - 0.32)
    cv.arrow(mx, wy + 0.32, mx, top - 0.32)
    cv.text(mx + 0.4, wy + 0.1, f"writes<br>(1−z)·n<br>= <b>{_s(v['written'])}</b>", anchor="left", size=12)
    # Reset gate feeds the candidate.
    cv.arrow(rx + 0.55, gy, nx - 0.55, gy, width=1.5)
    cv.text((rx + nx) / 2, gy + 0.95, f"lets <b>{_pct(v['r'])}</b><br>of the past in", size=12)
    h_prev = "h<sub>t−1</sub>"
    where = f"r ⊙ (W<sub>hn</sub>{h_prev} + b<sub>hn</sub>)" if reset_after else f"W<sub>hn</sub>(r ⊙ {h_prev})"
    form = "PyTorch" if reset_after else "Cho et al. 2014"
    cv.text(end, -0.65, f"candidate n uses {where} ({form})", anchor="right", size=12, color=NEUTRAL)
    for xg, name, fn, key in ((zx, "z", "σ", "z"), (rx, "r", "σ", "r"), (nx, "n", "tanh", "n")):
        cv.gate(xg, gy, name, fn, v[key], signed=key == "n")
    return cv.figure((-0.3, 12.3), (-1.05, 7.05), 440,
                     f"Inside the GRU cell at step t = {t} · {unit_label} · h is its only memory")


# -- heatmaps -----------------------------------------------------------------------------------------
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


def _domains(weights: Sequence[float], gap: float) -> list[tuple[float, float]]:
    """Vertical paper domains for stacked rows, top to bottom, proportional to ``weights``."""
    free = 1.0 - gap * (len(weights) - 1)
    total = float(sum(weights))
    out, top = [], 1.0
    for w in weights:
        h = free * w / total
        out.append((max(0.0, top - h), top))
        top -= h + gap
    return out


def _colour_axis(kind: str, name: str, vals: np.ndarray, dom: tuple[float, float]) -> dict:
    if kind == "shared":
        lim = symmetric_limit(vals)
        spec = {"colorscale": DIVERGING, "cmin": -lim, "cmax": lim, "colorbar": colorbar("value")}
    elif kind == "gate":
        spec = {"colorscale": SEQUENTIAL, "cmin": 0, "cmax": 1, "colorbar": colorbar("open", tickvals=[0, 0.5, 1])}
    elif kind == "signed":
        spec = {"colorscale": DIVERGING, "cmin": -1, "cmax": 1, "colorbar": colorbar("value", tickvals=[-1, 0, 1])}
    else:
        lim = symmetric_limit(vals)
        spec = {"colorscale": DIVERGING, "cmin": -lim, "cmax": lim, "colorbar": colorbar(name)}
    length = max(dom[1] - dom[0], 0.16)
    spec["colorbar"].update({"y": (dom[0] + dom[1]) / 2, "len": length, "yanchor": "middle", "x": 1.0,
                             "xpad": 8})
    return spec


ROW_GAP = 0.9  # empty units between two rows of the heatmap stack


def row_offsets(rows: Sequence[Row]) -> list[float]:
    """Where each row of ``heatmap_stack`` starts on its shared y axis ("y2"): unit u of row k is drawn
    at y = offsets[k] + u, rows top to bottom with ``ROW_GAP`` between them."""
    out, y = [], 0.0
    for row in rows:
        out.append(y)
        y += np.asarray(row.values).shape[1] + ROW_GAP
    return out


def heatmap_stack(x: np.ndarray, rows: Sequence[Row], t: int | None, *, title: str | None = None,
                  x_label: str = "x<sub>t</sub>", extra_shapes: Sequence[dict] = (),
                  extra_annotations: Sequence[dict] = ()) -> go.Figure:
    """The input on top, then one time × unit heatmap per row, all on one shared time axis.

    x: (T,) the input.  rows: heatmaps of shape (T, H), drawn with time across and unit 1..H downwards.
    t: the step cursor (a highlighted column through every row), or None.
    Gates share one 0..1 colour bar, signed rows one −1..1 bar; each "state" row gets its own symmetric bar.

    The rows are stacked on *one* pair of axes (x2, y2; see ``row_offsets``) rather than one subplot each:
    the browser draws a subplot's axes, grid and hover layer separately, so six subplots cost 2-3× the time
    of one. extra_shapes / extra_annotations: layout dicts added as they are.
    """
    T = len(x)
    steps = np.arange(T)
    unit_h = [np.asarray(r.values).shape[1] for r in rows]
    offsets = row_offsets(rows)
    span = offsets[-1] + unit_h[-1]  # y runs from -0.5 to span - 0.5
    unit_px = max(44, min(110, 9 * min(unit_h) + 18)) / min(unit_h)
    heat_px = unit_px * span
    x_px = 34
    heat_top = heat_px / (heat_px + x_px + 14)  # the input row sits above, 14 px apart

    def paper_y(y: float) -> float:  # y2 (reversed) -> paper
        return heat_top * (1 - (y + 0.5) / span)

    traces: list = [{"type": "scatter", "x": steps, "y": f32(x), "mode": "lines+markers" if T <= 80 else "lines",
                     "xaxis": "x", "yaxis": "y", "line": {"color": NEUTRAL, "width": 2}, "marker": {"size": 4},
                     "name": "x", "hovertemplate": "t=%{x}<br>x=%{y:.3f}<extra></extra>"}]
    layout: dict = {"yaxis": {"domain": [1 - x_px / (heat_px + x_px + 14), 1],
                              "title": {"text": x_label, "font": {"size": 13}}, "nticks": 3, "zeroline": True}}
    axes_done: dict[str, str] = {}
    states = 0
    for row, H, off in zip(rows, unit_h, offsets, strict=True):
        vals = np.asarray(row.values)
        if row.kind == "state":
            states += 1
            key = f"state{states}"
        else:
            key = row.kind
        if key not in axes_done:
            ca = "coloraxis" if not axes_done else f"coloraxis{len(axes_done) + 1}"
            axes_done[key] = ca
            scale = vals
            if key == "shared":
                scale = np.concatenate([np.ravel(r.values) for r in rows if r.kind == "shared"])
            layout[ca] = _colour_axis(row.kind, row.name, scale, (paper_y(off + H - 1), paper_y(off - 1)))
        traces.append({
            "type": "heatmap", "z": f32(vals.T), "x": steps, "y": off + np.arange(H), "coloraxis": axes_done[key],
            "name": row.name, "xaxis": "x2", "yaxis": "y2", "customdata": np.tile(np.arange(1, H + 1, dtype=np.int16),
                                                                                   (T, 1)).T,
            "hovertemplate": f"{row.name}  t=%{{x}}  unit %{{customdata}}<br>%{{z:.3f}}<extra></extra>",
        })
    layout["yaxis2"] = {"domain": [0, heat_top], "range": [span - 0.5, -0.5], "showgrid": False, "zeroline": False,
                        "ticks": "", "tickvals": [off + (H - 1) / 2 for off, H in zip(offsets, unit_h, strict=True)],
                        "ticktext": [r.label for r in rows], "tickfont": {"size": 13}}
    layout["xaxis"] = {"anchor": "y", "showticklabels": False, "range": [-0.5, T - 0.5], "showgrid": False}
    layout["xaxis2"] = {"anchor": "y2", "matches": "x", "range": [-0.5, T - 0.5], "showgrid": False,
                        "title": {"text": "time step t"}}
    shapes, annotations = [], []
    if t is not None:  # the cursor comes first: shapes[0]
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": t - 0.5, "x1": t + 0.5, "y0": 0, "y1": 1,
                       "line": {"color": HIGHLIGHT, "width": 2.5}, "fillcolor": "rgba(213, 94, 0, 0.07)"})
        annotations.append({"x": t, "y": 1.0, "xref": "x", "yref": "paper", "text": f"<b>t = {t}</b>",
                            "showarrow": False, "yanchor": "bottom", "font": {"color": HIGHLIGHT, "size": 13}})
    shapes += list(extra_shapes)
    annotations += list(extra_annotations)
    return styled(traces, title=title, height=int(heat_px + x_px + 14 + 90), legend=False, hovermode="closest",
                  **layout, shapes=shapes, annotations=annotations,
                  margin={"l": 10, "r": 10, "t": 64 if title else 28, "b": 10})


def lstm_rows(gates: dict[str, np.ndarray], c: np.ndarray, h: np.ndarray) -> list[Row]:
    """The six LSTM heatmaps in the order the data flows through the cell."""
    return [
        Row("i", "i · write", gates["i"], "gate"),
        Row("f", "f · keep", gates["f"], "gate"),
        Row("g", "g · candidate", gates["g"], "signed"),
        Row("o", "o · read", gates["o"], "gate"),
        Row("c", "c · belt", c, "state"),
        Row("h", "h · output", h, "signed"),
    ]


def gru_rows(gates: dict[str, np.ndarray], h: np.ndarray) -> list[Row]:
    return [
        Row("r", "r · reset", gates["r"], "gate"),
        Row("z", "z · keep", gates["z"], "gate"),
        Row("n", "n · candidate", gates["n"], "signed"),
        Row("h", "h · state", h, "signed"),
    ]


# -- the "remember" demo ------------------------------------------------------------------------------
def remember_figure(x: np.ndarray, i: np.ndarray, f: np.ndarray, o: np.ndarray, c: np.ndarray, h: np.ndarray,
                    write_step: int, read_step: int, ghosts: dict[str, np.ndarray] | None = None) -> go.Figure:
    """Three rows on one time axis: the inputs (value channel; write and read flags), the gates i f o,
    and the belt c_t with the output h_t. ``ghosts``: label -> (T,) belts for other forget biases, drawn faintly.
    x: (T, 3) [value, write flag, read flag]; the other arrays (T,).
    """
    T = len(c)
    steps = np.arange(T)
    doms = _domains([0.75, 0.75, 1.5], 0.09)
    traces = [
        {"type": "bar", "x": steps, "y": f32(x[:, 0]), "marker": {"color": NEUTRAL}, "name": "noise on the value input",
         "yaxis": "y", "hovertemplate": "t=%{x}: %{y:.2f}<extra>value input</extra>"},
        {"type": "bar", "x": [write_step], "y": [float(x[write_step, 0])], "marker": {"color": ORANGE},
         "name": "the value to store", "yaxis": "y", "hovertemplate": "t=%{x}: %{y:.2f}<extra>stored value</extra>"},
    ]
    for arr, name, color in ((i, "input gate i", ORANGE), (f, "forget gate f", BLUE), (o, "output gate o", GREEN)):
        traces.append({"type": "scatter", "x": steps, "y": f32(arr), "name": name, "xaxis": "x2", "yaxis": "y2",
                       "line": {"color": color, "width": 2.5}, "hovertemplate": "%{y:.3f}"})
    annotations = []
    ends: list[float] = [float(c[-1]), float(h[-1])]
    span = max(float(np.nanmax(np.abs(c))), 0.1)
    for label, ghost in (ghosts or {}).items():
        traces.append({"type": "scatter", "x": steps, "y": f32(ghost), "name": label, "mode": "lines",
                       "xaxis": "x3", "yaxis": "y3", "line": {"color": SKY, "width": 1.3, "dash": "dot"},
                       "hovertemplate": f"belt with {label}: %{{y:.3f}}<extra></extra>"})
        end = float(ghost[-1])
        if all(abs(end - e) > 0.07 * span for e in ends):  # label only where it will not sit on another
            ends.append(end)
            annotations.append({"x": T - 1, "y": end, "xref": "x3", "yref": "y3", "text": label, "showarrow": False,
                                "xanchor": "left", "xshift": 6, "font": {"size": 11, "color": SKY}})
    line3 = {"type": "scatter", "xaxis": "x3", "yaxis": "y3", "hovertemplate": "%{y:.3f}"}
    traces += [
        {**line3, "x": steps, "y": f32(c), "name": "belt c", "line": {"color": VERMILLION, "width": 4}},
        {**line3, "x": steps, "y": f32(h), "name": "output h", "line": {"color": PURPLE, "width": 2}},
        {**line3, "x": [read_step], "y": [float(h[read_step])], "mode": "markers", "name": "recalled",
         "marker": {"color": PURPLE, "size": 12, "symbol": "star"},
         "hovertemplate": "recalled h=%{y:.3f}<extra></extra>"},
    ]

    def label(x, y, text, color, axis, anchor="left", yanchor="middle"):
        annotations.append({"x": x, "y": y, "xref": f"x{axis}", "yref": f"y{axis}", "text": text,
                            "showarrow": False, "xanchor": anchor, "yanchor": yanchor, "xshift": 6 if anchor == "left"
                            else -6, "font": {"size": 12, "color": color}})

    label(T - 1, float(c[-1]), "<b>belt c</b>", VERMILLION, 3)
    label(read_step, 0.5 * float(h[read_step]), "output h", PURPLE, 3, anchor="right")
    label(T - 1, float(f[-2]), "<b>f</b> keep", BLUE, 2)
    label(write_step, float(i[write_step]), "<b>i</b> write", ORANGE, 2, yanchor="top")
    label(read_step, float(o[read_step]), "<b>o</b> read", GREEN, 2, anchor="right", yanchor="top")
    titles = ("inputs: one value to store, then distracting noise", "gates (0 = closed, 1 = open)",
              "the belt c<sub>t</sub> (dotted: other forget biases) and the output h<sub>t</sub>")
    for dom, text in zip(doms, titles, strict=True):
        annotations.append({"x": 0, "y": dom[1], "xref": "paper", "yref": "paper", "text": text,
                            "showarrow": False, "xanchor": "left", "yanchor": "bottom", "yshift": 2,
                            "font": {"size": 13, "color": NEUTRAL}})
    for s, text, color in ((write_step, "write", ORANGE), (read_step, "read", GREEN)):
        annotations.append({"x": s, "y": doms[0][1], "xref": "x", "yref": "paper", "text": f"<b>{text}</b>",
                            "showarrow": False, "yanchor": "bottom", "xanchor": "center", "yshift": 18,
                            "font": {"color": color, "size": 13}})
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": s, "x1": s, "y0": 0, "y1": doms[0][1] + 0.03,
               "line": {"color": color, "width": 1.5, "dash": "dot"}}
              for s, color in ((write_step, ORANGE), (read_step, GREEN))]
    x_range = [-0.8, T - 0.2 + max(5.0, 0.14 * T)]
    layout = {
        "yaxis": {"domain": doms[0], "nticks": 4}, "yaxis2": {"domain": doms[1], "range": [-0.05, 1.08],
                                                              "tickvals": [0, 0.5, 1]},
        "yaxis3": {"domain": doms[2]},
        "xaxis": {"anchor": "y", "range": x_range, "showticklabels": False},
        "xaxis2": {"anchor": "y2", "matches": "x", "showticklabels": False},
        "xaxis3": {"anchor": "y3", "matches": "x", "title": {"text": "time step t"}},
    }
    return styled(traces, height=540, hovermode="x unified", legend=False, **layout, shapes=shapes,
                  annotations=annotations, barmode="overlay", margin={"l": 10, "r": 10, "t": 44, "b": 10})


# -- parameter counts ---------------------------------------------------------------------------------
def param_count_figure(counts: dict[str, int], input_size: int, hidden: int) -> go.Figure:
    """Horizontal bars: trainable parameters per cell for the chosen sizes, with the multiple of the RNN."""
    names = list(counts)
    vals = [counts[k] for k in names]
    base = counts.get("RNN", vals[0]) or 1
    palette = {"RNN": NEUTRAL, "GRU": GREEN, "LSTM": BLUE}
    bar = {"type": "bar", "y": names, "x": vals, "orientation": "h",
           "marker": {"color": [palette.get(k, SKY) for k in names]},
           "text": [f"{v:,}  ({v / base:.3g}× RNN)" for v in vals], "textposition": "auto",
           "hovertemplate": "%{y}: %{x:,} parameters<extra></extra>"}
    return styled([bar], title=f"Trainable parameters for D = {input_size}, H = {hidden}", height=250,
                  legend=False, hovermode=False, x_title="parameters in one layer", yaxis={"autorange": "reversed"},
                  margin={"l": 116})  # room for the bar labels, measured
