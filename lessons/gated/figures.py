"""Figures for the LSTM and GRU lessons: cell diagrams with live numbers, the heatmap rows of each cell, the
"remember" demo and the parameter counts. (The heatmap stack itself is lessons.kit.heatmaps.)

Pure functions: numbers/arrays in, ``go.Figure`` out. No Streamlit. Diagrams are drawn on the kit's one
``Canvas``; the belt and the gate tanks below are what only the gated cells need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go

from lessons.kit.canvas import Canvas
from lessons.kit.heatmaps import Row, steps_of
from lessons.kit.numbers import num, pct, signed
from lessons.kit.theme import (
    BLUE,
    GREEN,
    INK,
    NEUTRAL,
    ORANGE,
    PAGE_INK,
    PAPER,
    PURPLE,
    SKY,
    VERMILLION,
    contrast_text,
    diverging_color,
    f32,
    send,
    styled,
)

GATE_FILL = "rgba(86, 180, 233, 0.75)"  # SKY: how far a gate is open, drawn as a fill level
BELT_HALF = 0.19  # half the belt's thickness (y units): about 18 px at the diagram's size
X_RANGE, Y_RANGE = (-0.3, 12.3), (-1.05, 7.05)  # both cell diagrams share one drawing area
ANCHORS = {"center": "middle center", "left": "middle right", "right": "middle left"}  # annotation -> text trace


# -- a diagram in two layers --------------------------------------------------------------------------
@dataclass
class Sketch:
    """A cell diagram at one step, in two layers.

    ``cv`` holds what looks the same at every step — wires, arrows, the × and + operations, the tanks' outlines,
    fixed captions — as layout shapes and annotations. The rest follows the step and becomes scatter traces, so a
    film switches steps without redrawing the chart (kit.scrub, ``redraw=False``): ``labels`` (x, y, text, size,
    text position, ink, monospaced), ``bands`` (x0, y0, x1, y1, fill colour: the belt's segments and the signed
    boxes, one trace each) and ``levels`` (x0, y0, x1, y1: how far each gate's tank is filled). The positions are
    the same at every step; only texts, inks, colours and levels change.
    """

    cv: Canvas = field(default_factory=Canvas)
    labels: list[tuple] = field(default_factory=list)
    bands: list[tuple] = field(default_factory=list)
    levels: list[tuple] = field(default_factory=list)

    def text(self, x: float, y: float, text: str, *, size: int = 13, anchor: str = "center", color: str = PAGE_INK,
             mono: bool = False) -> None:
        """A label that follows the step (rich text: <b>, <sub>, <br>), placed like ``Canvas.text``."""
        self.labels.append((x, y, text, size, ANCHORS[anchor], color, mono))


def belt(sk: Sketch, segments: Sequence[tuple[float, float, float]], y: float, lim: float) -> None:
    """A thick band split into segments (x0, x1, value) coloured by the value riding on each (diverging
    scale, ±lim), between two thin edges."""
    for x0, x1, val in segments:
        sk.bands.append((x0, y - BELT_HALF, x1, y + BELT_HALF, diverging_color(val, lim)))
    left, right = segments[0][0], segments[-1][1]
    for dy in (0.3, -0.3):
        sk.cv.line([(left, y + dy), (right, y + dy)], width=1)


def gate(sk: Sketch, x: float, y: float, name: str, fn: str, value: float, *, is_signed: bool = False,
         w: float = 1.1, h: float = 1.0) -> None:
    """A gate as a small tank filled from the bottom up to its value in [0, 1] (how far it is open).
    A signed layer (the tanh candidate) is a box coloured on the diverging scale instead."""
    x0, x1, y0, y1 = x - w / 2, x + w / 2, y - h / 2, y + h / 2
    if is_signed:
        sk.bands.append((x0, y0, x1, y1, diverging_color(value, 1.0)))
        sk.cv.rect(x0, y0, x1, y1, fill="rgba(0,0,0,0)")
        ink = contrast_text(value, 1.0)
    else:
        sk.cv.rect(x0, y0, x1, y1, fill=PAPER, width=0, layer="below")
        sk.levels.append((x0, y0, x1, y0 + float(np.clip(value, 0.0, 1.0)) * h))
        sk.cv.rect(x0, y0, x1, y1, fill="rgba(0,0,0,0)", color=BLUE, width=2)
        ink = INK
    sk.text(x, y + 0.2, f"<b>{name}</b> <span style='font-size:11px'>{fn}</span>", size=14, color=ink)
    sk.text(x, y - 0.2, signed(value) if is_signed else f"{value:.2f}", size=13, color=ink, mono=True)


# -- LSTM diagram -------------------------------------------------------------------------------------
BELT_Y, GATE_Y, BUS_Y, WRITE_Y = 6.0, 2.3, 0.7, 4.2  # rows: the belt (state), gates, input bus, products
END_X = 12.0
LSTM_X = {"f": 2.6, "i": 4.4, "g": 5.9, "o": 8.0, "tanh": 9.9}  # columns of the LSTM diagram


def _lstm_belt(sk: Sketch, v: dict[str, float]) -> None:
    """The cell state along the top: c_{t−1} → ×f → +i·g → c_t, coloured by its value."""
    fx, gx = LSTM_X["f"], LSTM_X["g"]
    lim = max(1.0, abs(v["c_prev"]), abs(v["c"]), abs(v["kept"]))
    belt(sk, [(0.0, fx, v["c_prev"]), (fx, gx, v["kept"]), (gx, END_X, v["c"])], BELT_Y, lim)
    sk.text(0.0, BELT_Y + 0.65, f"c<sub>t−1</sub> = <b>{signed(v['c_prev'])}</b>", anchor="left", size=14)
    sk.text(END_X, BELT_Y + 0.65, f"c<sub>t</sub> = <b>{signed(v['c'])}</b>", anchor="right", size=14)
    sk.text((fx + gx) / 2, BELT_Y + 0.55, f"kept f·c<sub>t−1</sub> = {signed(v['kept'])}", size=12)
    sk.cv.text(8.0, BELT_Y + 0.75, "cell state c: the conveyor belt", size=12, color=NEUTRAL)
    sk.cv.op(fx, BELT_Y, "×")
    sk.cv.op(gx, BELT_Y, "+")


def _lstm_inputs_and_writes(sk: Sketch, v: dict[str, float]) -> None:
    """The input bus [h_{t−1}, x_t] feeding every gate; f scaling the belt; i × g added to it."""
    cv = sk.cv
    fx, ix, gx, ox = LSTM_X["f"], LSTM_X["i"], LSTM_X["g"], LSTM_X["o"]
    cv.line([(0.0, BUS_Y), (ox, BUS_Y)], width=2.5)
    sk.text(0.0, BUS_Y + 0.5, f"h<sub>t−1</sub> = <b>{signed(v['h_prev'])}</b>", anchor="left", size=14)
    cv.arrow(1.2, -0.45, 1.2, BUS_Y)
    sk.text(1.2, -0.65, f"x<sub>t</sub> = <b>{signed(v['x'])}</b>", size=14)
    for xg in (fx, ix, gx, ox):
        cv.arrow(xg, BUS_Y, xg, GATE_Y - 0.5)
    # Forget gate -> × on the belt.
    cv.arrow(fx, GATE_Y + 0.5, fx, BELT_Y - 0.32)
    sk.text(fx - 0.2, WRITE_Y, f"keeps<br><b>{pct(v['f'])}</b> of<br>the belt", anchor="right", size=12)
    # Input gate × candidate -> + on the belt.
    cv.op(gx, WRITE_Y, "×")
    cv.line([(ix, GATE_Y + 0.5), (ix, WRITE_Y)])
    cv.arrow(ix, WRITE_Y, gx - 0.32, WRITE_Y)
    cv.arrow(gx, GATE_Y + 0.5, gx, WRITE_Y - 0.32)
    cv.arrow(gx, WRITE_Y + 0.32, gx, BELT_Y - 0.32)
    sk.text(gx + 0.35, WRITE_Y + 0.55, f"writes i·g = <b>{signed(v['written'])}</b>", anchor="left", size=12)
    sk.text(ix - 0.15, 3.35, f"lets<br><b>{pct(v['i'])}</b><br>of g in", anchor="right", size=12)


def _lstm_readout(sk: Sketch, v: dict[str, float]) -> None:
    """tanh(c_t) × o -> h_t along the bottom right."""
    cv = sk.cv
    ox, tx = LSTM_X["o"], LSTM_X["tanh"]
    cv.line([(tx, BELT_Y - 0.32), (tx, 4.7)])
    sk.bands.append((tx - 0.55, 3.7, tx + 0.55, 4.7, diverging_color(v["tanh_c"], 1.0)))
    cv.rect(tx - 0.55, 3.7, tx + 0.55, 4.7, fill="rgba(0,0,0,0)")
    ink = contrast_text(v["tanh_c"], 1.0)
    sk.text(tx, 4.42, "tanh", size=12, color=ink)
    sk.text(tx, 3.98, signed(v["tanh_c"]), size=13, color=ink, mono=True)
    cv.arrow(tx, 3.7, tx, GATE_Y + 0.32)
    cv.op(tx, GATE_Y, "×")
    cv.arrow(ox + 0.55, GATE_Y, tx - 0.32, GATE_Y)
    sk.text((ox + tx) / 2 + 0.1, GATE_Y - 0.8, f"shows <b>{pct(v['o'])}</b><br>of tanh c", size=12)
    cv.arrow(tx + 0.32, GATE_Y, END_X, GATE_Y, width=3)
    sk.text(END_X, GATE_Y + 0.55, f"h<sub>t</sub> = <b>{signed(v['h'])}</b>", anchor="right", size=14)


def lstm_sketch(v: dict[str, float], *, peephole: bool = False) -> Sketch:
    """The LSTM cell at one step with its numbers (keys as ``lessons.gated.recipe.step_values``).

    The cell state runs along the top as a thick belt coloured by its value: c_{t−1} → ×f → +i·g → c_t,
    then tanh and ×o give h_t along the bottom right. Each gate is a tank filled to how far it is open,
    labelled with the share it lets through.
    """
    sk = Sketch()
    _lstm_belt(sk, v)
    _lstm_inputs_and_writes(sk, v)
    _lstm_readout(sk, v)
    for name, fn in (("f", "σ"), ("i", "σ"), ("g", "tanh"), ("o", "σ")):
        gate(sk, LSTM_X[name], GATE_Y, name, fn, v[name], is_signed=name == "g")
    if peephole:
        sk.cv.text(END_X, -0.65, "peepholes on: i, f see c<sub>t−1</sub>; o sees c<sub>t</sub>", anchor="right",
                   size=11, color=NEUTRAL)
    return sk


# -- GRU diagram --------------------------------------------------------------------------------------
GRU_X = {"z": 3.0, "r": 5.6, "n": 7.6, "mix": 9.6}  # columns: update, reset, candidate, the (1−z)·n product


def _gru_state_line(sk: Sketch, v: dict[str, float]) -> None:
    """h_{t−1} along the top, kept by z and topped up with (1−z)·n; it drops to the bus feeding the gates."""
    cv = sk.cv
    zx, nx, mx = GRU_X["z"], GRU_X["n"], GRU_X["mix"]
    lim = max(1.0, abs(v["h_prev"]), abs(v["h"]), abs(v["kept"]))
    belt(sk, [(0.0, zx, v["h_prev"]), (zx, mx, v["kept"]), (mx, END_X, v["h"])], BELT_Y, lim)
    sk.text(0.0, BELT_Y + 0.65, f"h<sub>t−1</sub> = <b>{signed(v['h_prev'])}</b>", anchor="left", size=14)
    sk.text(END_X, BELT_Y + 0.65, f"h<sub>t</sub> = <b>{signed(v['h'])}</b>", anchor="right", size=14)
    sk.text((zx + mx) / 2, BELT_Y + 0.55, f"kept z·h<sub>t−1</sub> = {signed(v['kept'])}", size=12)
    cv.op(zx, BELT_Y, "×")
    cv.op(mx, BELT_Y, "+")
    cv.line([(0.9, BELT_Y - 0.3), (0.9, BUS_Y), (nx, BUS_Y)], width=2.5)
    cv.arrow(1.9, -0.45, 1.9, BUS_Y)
    sk.text(1.9, -0.65, f"x<sub>t</sub> = <b>{signed(v['x'])}</b>", size=14)
    for xg in (zx, GRU_X["r"], nx):
        cv.arrow(xg, BUS_Y, xg, GATE_Y - 0.5)


def _gru_gates(sk: Sketch, v: dict[str, float], reset_after: bool) -> None:
    """z keeps the past (up to × on the top line), 1 − z lets the candidate in; r feeds the candidate."""
    cv = sk.cv
    zx, rx, nx, mx = GRU_X["z"], GRU_X["r"], GRU_X["n"], GRU_X["mix"]
    cv.arrow(zx, GATE_Y + 0.5, zx, BELT_Y - 0.32)
    sk.text(zx - 0.2, 3.45, f"keeps<br><b>{pct(v['z'])}</b> of<br>the past", anchor="right", size=12)
    cv.op(mx, WRITE_Y, "×")
    cv.arrow(zx, WRITE_Y, mx - 0.32, WRITE_Y, width=1.5)
    sk.text((zx + mx) / 2 - 0.5, WRITE_Y + 0.3, f"1 − z = {1 - v['z']:.2f}", size=12)
    cv.line([(nx, GATE_Y + 0.5), (nx, 3.2), (mx, 3.2)])
    cv.arrow(mx, 3.2, mx, WRITE_Y - 0.32)
    cv.arrow(mx, WRITE_Y + 0.32, mx, BELT_Y - 0.32)
    sk.text(mx + 0.4, WRITE_Y + 0.1, f"writes<br>(1−z)·n<br>= <b>{signed(v['written'])}</b>", anchor="left",
            size=12)
    cv.arrow(rx + 0.55, GATE_Y, nx - 0.55, GATE_Y, width=1.5)
    sk.text((rx + nx) / 2, GATE_Y + 0.95, f"lets <b>{pct(v['r'])}</b><br>of the past in", size=12)
    h_prev = "h<sub>t−1</sub>"
    where = f"r ⊙ (W<sub>hn</sub>{h_prev} + b<sub>hn</sub>)" if reset_after else f"W<sub>hn</sub>(r ⊙ {h_prev})"
    form = "PyTorch" if reset_after else "Cho et al. 2014"
    cv.text(END_X, -0.65, f"candidate n uses {where} ({form})", anchor="right", size=12, color=NEUTRAL)


def gru_sketch(v: dict[str, float], *, reset_after: bool = True) -> Sketch:
    """The GRU cell at one step: h_{t−1} along the top, kept by z, topped up with (1−z)·n.

    Keys as ``lessons.gated.recipe.step_values`` for a GRU: x, h_prev, r, z, n, kept, written, h.
    """
    sk = Sketch()
    _gru_state_line(sk, v)
    _gru_gates(sk, v, reset_after)
    for name, fn in (("z", "σ"), ("r", "σ"), ("n", "tanh")):
        gate(sk, GRU_X[name], GATE_Y, name, fn, v[name], is_signed=name == "n")
    return sk


# -- the step's update in words and numbers, for the text above the diagram ---------------------------
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _factor(value: float) -> str:
    """A number as a factor of a product: 0.412, (−0.610)."""
    text = num(value, 3)
    return f"({text})" if text.startswith("−") else text


def _term(value: float) -> str:
    """A number as the next term of a sum: + 0.380, − 0.130."""
    text = num(value, 3)
    return f"− {text[1:]}" if text.startswith("−") else f"+ {text}"


def lstm_update_lines(v: dict[str, float], t: int, mean: bool) -> list[str]:
    """The belt's and the output's update at step ``t`` with this step's numbers (``v`` as for ``lstm_sketch``):
    term by term for one unit; for the mean over units the mean of each product (the mean of a sum is the sum
    of the means, so it still adds up, but it is not the product of the mean gates)."""
    now, before = str(t).translate(SUB), str(t - 1).translate(SUB)
    if mean:
        return [f"c{now} = f⊙c{before} + i⊙g = {num(v['kept'], 3)} {_term(v['written'])} = <b>{num(v['c'], 3)}</b>",
                f"h{now} = o⊙tanh(c{now}) = <b>{num(v['h'], 3)}</b>"]
    return [f"c{now} = f·c{before} + i·g = {num(v['f'], 3)}·{_factor(v['c_prev'])} + {num(v['i'], 3)}·"
            f"{_factor(v['g'])} = <b>{num(v['c'], 3)}</b>",
            f"h{now} = o·tanh(c{now}) = {num(v['o'], 3)}·{_factor(v['tanh_c'])} = <b>{num(v['h'], 3)}</b>"]


def gru_update_lines(v: dict[str, float], t: int, mean: bool) -> list[str]:
    """The state's update at step ``t`` with this step's numbers (``v`` as for ``gru_sketch``; ``mean`` as for
    ``lstm_update_lines``)."""
    now, before = str(t).translate(SUB), str(t - 1).translate(SUB)
    if mean:
        return [f"h{now} = z⊙h{before} + (1−z)⊙n = {num(v['kept'], 3)} {_term(v['written'])} = "
                f"<b>{num(v['h'], 3)}</b>"]
    return [f"h{now} = z·h{before} + (1−z)·n = {num(v['z'], 3)}·{_factor(v['h_prev'])} + {num(1 - v['z'], 3)}·"
            f"{_factor(v['n'])} = <b>{num(v['h'], 3)}</b>"]


# -- heatmap rows (for lessons.kit.heatmaps.heatmap_stack) --------------------------------------------
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
    """The four GRU heatmaps: the gates, the candidate and the one state."""
    return [
        Row("r", "r · reset", gates["r"], "gate"),
        Row("z", "z · keep", gates["z"], "gate"),
        Row("n", "n · candidate", gates["n"], "signed"),
        Row("h", "h · state", h, "signed"),
    ]


# -- parameter counts ---------------------------------------------------------------------------------
ON_BAR = {BLUE: "#FFFFFF"}  # the label colour inside a bar of this colour; #111111 on the lighter ones


def param_count_figure(counts: dict[str, int], input_size: int, hidden: int) -> go.Figure:
    """Horizontal bars: trainable parameters per cell for the chosen sizes, with the multiple of the RNN."""
    names = list(counts)
    vals = [counts[k] for k in names]
    base = counts.get("RNN", vals[0]) or 1
    palette = {"RNN": NEUTRAL, "GRU": GREEN, "LSTM": BLUE}
    bar = {"type": "bar", "y": names, "x": vals, "orientation": "h",
           "marker": {"color": [palette.get(k, SKY) for k in names]},
           "text": [f"{v:,}  ({v / base:.3g}× RNN)" for v in vals], "textposition": "auto",
           # Chosen per bar for its fill (Plotly's own pick is a grey that reads on a light page only).
           "insidetextfont": {"color": [ON_BAR.get(palette.get(k, SKY), "#111111") for k in names]},
           "hovertemplate": "%{y}: %{x:,} parameters<extra></extra>"}
    return styled([bar], title=f"Trainable parameters for D = {input_size}, H = {hidden}", height=250,
                  legend=False, hovermode=False, x_title="parameters in one layer", yaxis={"autorange": "reversed"},
                  margin={"l": 116})  # room for the bar labels, measured


# -- the "remember" demo ------------------------------------------------------------------------------
REMEMBER_ROWS = (0.75, 0.75, 1.5)  # relative heights: inputs, gates, belt and output
REMEMBER_GAP = 0.09  # between the rows, in paper units
# The "write" / "read" marks sit this far (px) above the top row, clear of its title even in presenter mode
# (text 1.45x larger, offsets unchanged); the top margin makes room for both.
WRITE_READ_SHIFT, REMEMBER_TOP = 30, 58


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


def _side_label(x: float, y: float, text: str, color: str, axis: int, anchor: str = "left",
                yanchor: str = "middle") -> dict:
    """A coloured label beside a line of row ``axis`` (2: gates, 3: belt), nudged off the point."""
    return {"x": x, "y": y, "xref": f"x{axis}", "yref": f"y{axis}", "text": text, "showarrow": False,
            "xanchor": anchor, "yanchor": yanchor, "xshift": 6 if anchor == "left" else -6,
            "font": {"size": 12, "color": color}}


def _input_and_gate_traces(x: np.ndarray, i: np.ndarray, f: np.ndarray, o: np.ndarray, write_step: int) -> list:
    """Row 1: the value channel as bars (the stored value in orange); row 2: the gates i, f, o."""
    steps = steps_of(len(f))
    traces = [
        {"type": "bar", "x": steps, "y": f32(x[:, 0]), "marker": {"color": NEUTRAL}, "name": "noise on the value input",
         "yaxis": "y", "hovertemplate": "t=%{x}: %{y:.2f}<extra>value input</extra>"},
        {"type": "bar", "x": [write_step], "y": [float(x[write_step - 1, 0])], "marker": {"color": ORANGE},
         "name": "the value to store", "yaxis": "y", "hovertemplate": "t=%{x}: %{y:.2f}<extra>stored value</extra>"},
    ]
    for arr, name, color in ((i, "input gate i", ORANGE), (f, "forget gate f", BLUE), (o, "output gate o", GREEN)):
        traces.append({"type": "scatter", "x": steps, "y": f32(arr), "name": name, "xaxis": "x2", "yaxis": "y2",
                       "line": {"color": color, "width": 2.5}, "hovertemplate": "%{y:.3f}"})
    return traces


def _ghost_traces(ghosts: dict[str, np.ndarray], c: np.ndarray, h: np.ndarray) -> tuple[list, list]:
    """Row 3: faint belts for other forget biases, each labelled at its end unless that label would sit on
    another (the main belt's, the output's or an earlier ghost's). Returns (traces, annotations)."""
    T = len(c)
    steps = steps_of(T)
    traces, annotations = [], []
    ends: list[float] = [float(c[-1]), float(h[-1])]
    span = max(float(np.nanmax(np.abs(c))), 0.1)
    for label, ghost in ghosts.items():
        traces.append({"type": "scatter", "x": steps, "y": f32(ghost), "name": label, "mode": "lines",
                       "xaxis": "x3", "yaxis": "y3", "line": {"color": SKY, "width": 1.3, "dash": "dot"},
                       "hovertemplate": f"belt with {label}: %{{y:.3f}}<extra></extra>"})
        end = float(ghost[-1])
        if all(abs(end - e) > 0.07 * span for e in ends):
            ends.append(end)
            annotations.append({"x": T, "y": end, "xref": "x3", "yref": "y3", "text": label, "showarrow": False,
                                "xanchor": "left", "xshift": 6, "font": {"size": 11, "color": SKY}})
    return traces, annotations


def _belt_traces(c: np.ndarray, h: np.ndarray, read_step: int) -> list:
    """Row 3: the belt c, the output h and the recalled value (a star at the read step, 1..T)."""
    steps = steps_of(len(c))
    line3 = {"type": "scatter", "xaxis": "x3", "yaxis": "y3", "hovertemplate": "%{y:.3f}"}
    return [
        {**line3, "x": steps, "y": f32(c), "name": "belt c", "line": {"color": VERMILLION, "width": 4}},
        {**line3, "x": steps, "y": f32(h), "name": "output h", "line": {"color": PURPLE, "width": 2}},
        {**line3, "x": [read_step], "y": [float(h[read_step - 1])], "mode": "markers", "name": "recalled",
         "marker": {"color": PURPLE, "size": 12, "symbol": "star"},
         "hovertemplate": "recalled h=%{y:.3f}<extra></extra>"},
    ]


def _remember_notes(doms: list[tuple[float, float]], i: np.ndarray, f: np.ndarray, o: np.ndarray, c: np.ndarray,
                    h: np.ndarray, write_step: int, read_step: int) -> list[dict]:
    """The line labels, the row titles and the "write"/"read" marks above the top row (steps 1..T)."""
    T = len(c)
    notes = [
        _side_label(T, float(c[-1]), "<b>belt c</b>", VERMILLION, 3),
        _side_label(read_step, 0.5 * float(h[read_step - 1]), "output h", PURPLE, 3, anchor="right"),
        _side_label(T, float(f[-2]), "<b>f</b> keep", BLUE, 2),
        _side_label(write_step, float(i[write_step - 1]), "<b>i</b> write", ORANGE, 2, yanchor="top"),
        _side_label(read_step, float(o[read_step - 1]), "<b>o</b> read", GREEN, 2, anchor="right", yanchor="top"),
    ]
    titles = ("inputs: one value to store, then distracting noise", "gates (0 = closed, 1 = open)",
              "belt c<sub>t</sub>, output h<sub>t</sub> (dotted: other b<sub>f</sub>)")
    for dom, text in zip(doms, titles, strict=True):
        notes.append({"x": 0, "y": dom[1], "xref": "paper", "yref": "paper", "text": text,
                      "showarrow": False, "xanchor": "left", "yanchor": "bottom", "yshift": 2,
                      "font": {"size": 13, "color": NEUTRAL}})
    for s, text, color in ((write_step, "write", ORANGE), (read_step, "read", GREEN)):
        notes.append({"x": s, "y": doms[0][1], "xref": "x", "yref": "paper", "text": f"<b>{text}</b>",
                      "showarrow": False, "yanchor": "bottom", "xanchor": "center", "yshift": WRITE_READ_SHIFT,
                      "font": {"color": color, "size": 13}})
    return notes


def _remember_axes(doms: list[tuple[float, float]], T: int) -> dict:
    """Three rows on one time axis; room on the right for the ghost labels."""
    x_range = [0.2, T + 0.8 + max(5.0, 0.14 * T)]
    return {
        "yaxis": {"domain": doms[0], "nticks": 4}, "yaxis2": {"domain": doms[1], "range": [-0.05, 1.08],
                                                              "tickvals": [0, 0.5, 1]},
        "yaxis3": {"domain": doms[2]},
        "xaxis": {"anchor": "y", "range": x_range, "showticklabels": False},
        "xaxis2": {"anchor": "y2", "matches": "x", "showticklabels": False},
        "xaxis3": {"anchor": "y3", "matches": "x", "title": {"text": "time step t"}},
    }


def remember_figure(x: np.ndarray, i: np.ndarray, f: np.ndarray, o: np.ndarray, c: np.ndarray, h: np.ndarray,
                    write_step: int, read_step: int, ghosts: dict[str, np.ndarray] | None = None) -> go.Figure:
    """Three rows on one time axis (steps 1..T): the inputs (value channel; write and read flags), the gates
    i f o, and the belt c_t with the output h_t. ``ghosts``: label -> (T,) belts for other forget biases, drawn
    faintly. x: (T, 3) [value, write flag, read flag]; the other arrays (T,), row t − 1 being step t.
    write_step, read_step: steps 1..T.
    """
    doms = _domains(REMEMBER_ROWS, REMEMBER_GAP)
    ghost_traces, ghost_notes = _ghost_traces(ghosts or {}, c, h)
    traces = [*_input_and_gate_traces(x, i, f, o, write_step), *ghost_traces, *_belt_traces(c, h, read_step)]
    annotations = ghost_notes + _remember_notes(doms, i, f, o, c, h, write_step, read_step)
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": s, "x1": s, "y0": 0, "y1": doms[0][1] + 0.03,
               "line": {"color": color, "width": 1.5, "dash": "dot"}}
              for s, color in ((write_step, ORANGE), (read_step, GREEN))]
    return styled(traces, height=540, hovermode="x unified", legend=False, **_remember_axes(doms, len(c)),
                  shapes=shapes, annotations=annotations, barmode="overlay",
                  margin={"l": 10, "r": 10, "t": REMEMBER_TOP, "b": 10})


# -- the GRU's two reset forms ------------------------------------------------------------------------
def reset_form_figure(after: np.ndarray, before: np.ndarray, unit: int) -> go.Figure:
    """One unit's h in both reset forms (top) and their difference on its own, magnified scale (bottom).

    after, before: (T,) h of unit ``unit`` (0-based) in PyTorch's form and in Cho et al.'s, steps 1..T.
    """
    steps = steps_of(len(after))
    diff = np.asarray(after, float) - np.asarray(before, float)
    line = {"type": "scatter", "x": steps, "mode": "lines"}
    traces = [
        {**line, "y": f32(after), "name": "PyTorch: reset after", "line": {"color": BLUE, "width": 2.5},
         "hovertemplate": "t=%{x}: h=%{y:.4f}<extra>PyTorch</extra>"},
        {**line, "y": f32(before), "name": "Cho et al.: reset before", "line": {"color": ORANGE, "width": 2,
                                                                                "dash": "dash"},
         "hovertemplate": "t=%{x}: h=%{y:.4f}<extra>Cho et al.</extra>"},
        {**line, "y": send(diff), "name": "difference", "xaxis": "x2", "yaxis": "y2", "showlegend": False,
         "line": {"color": NEUTRAL, "width": 2}, "fill": "tozeroy",
         "hovertemplate": "t=%{x}: %{y:.2e}<extra>PyTorch − Cho</extra>"},
    ]
    lim = float(np.abs(diff).max()) or 1e-12
    return styled(traces, height=360, hovermode="x unified",
                  legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
                  xaxis={"anchor": "y", "showticklabels": False, "range": [0.5, len(after) + 0.5]},
                  yaxis={"domain": [0.45, 1.0], "title": {"text": f"h of unit {unit + 1}"}},
                  xaxis2={"anchor": "y2", "matches": "x", "title": {"text": "time step t"}},
                  yaxis2={"domain": [0.0, 0.33], "range": [-1.15 * lim, 1.15 * lim], "exponentformat": "e",
                          "title": {"text": "difference"}},
                  margin={"l": 10, "r": 10, "t": 40, "b": 10})
