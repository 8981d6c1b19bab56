"""The LSTM's or GRU's step-through as one film: every gate at every step (the kit's heatmap stack) above the cell
diagram at one step, with a slider under the diagram and ▶ buttons (kit.scrub). Dragging moves the cursor over
the heatmaps, and the diagram's numbers and the step's update follow the hand, with no trip to the server.

Why one figure and one slider rather than a film for each: the diagram and the cursor show the same step, and a
second slider would show a second step (and both would write the step into the address bar). The heatmaps sit on
top and the diagram right above the slider, so the numbers to read stay in view next to the thumb on a phone and on
a projector, while the cursor — a column through every row — still shows in the lowest rows of the stack.

Every step's numbers come from the run (``recipe.step_series``: the engine's replay, computed once); each frame
changes only scatter traces — the cursor's x, the diagram's labels, the belt's colours, the tanks' levels — so
the browser switches frames without redrawing the chart (``redraw=False``). Pure functions; no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lessons.gated.figures import GATE_FILL, X_RANGE, Y_RANGE, Sketch
from lessons.kit.heatmaps import Row, heatmap_stack
from lessons.kit.scrub import animated
from lessons.kit.theme import FONT_FAMILY, HIGHLIGHT, MONO_FAMILY, PAGE_INK

DIAGRAM_PX = 392  # the diagram's drawing area, as tall as the still diagram's was
LINES_PX = 70  # the step's headline and update, between the heatmaps' time axis and the diagram
AXIS_PX = 62  # the heatmaps' time axis: its tick labels and title
STACK_MARGIN_PX = 90  # heatmap_stack's height is its rows' area plus this much for its margins
# Below this width (px) the diagram's labels run into each other: on a phone the film scrolls sideways inside its
# own frame.
MIN_WIDTH = 560
# The heatmaps' share of the width (paper x): their row labels to the left and colour bars to the right sit inside
# the plot area, so that the diagram below can use the whole width (at MIN_WIDTH, about 90 px on each side).
STACK_X = (0.17, 0.84)
CURSOR = {"mode": "lines", "fill": "toself", "fillcolor": "rgba(213, 94, 0, 0.07)",
          "line": {"color": HIGHLIGHT, "width": 2.5}, "hoverinfo": "skip", "showlegend": False}


def _column(t: int) -> list[float]:
    return [t - 0.5, t + 0.5, t + 0.5, t - 0.5, t - 0.5]


def _squeezed_stack(layout: dict, share: float) -> dict:
    """The heatmap stack's layout moved into the top ``share`` of the figure (paper y from 1 − share to 1) and
    between ``STACK_X`` (paper x), its row labels and colour bars beside it inside the plot area: its axes'
    domains and its colour bars."""
    low = 1.0 - share
    out = dict(layout)
    for name in ("yaxis", "yaxis2"):
        a, b = layout[name]["domain"]
        out[name] = {**layout[name], "domain": [low + a * share, low + b * share]}
    for name in ("xaxis", "xaxis2"):
        out[name] = {**layout[name], "domain": list(STACK_X)}
    for name, value in layout.items():
        if name.startswith("coloraxis") and "colorbar" in value:
            bar = value["colorbar"]
            out[name] = {**value, "colorbar": {**bar, "y": low + bar["y"] * share, "len": bar["len"] * share,
                                               "x": STACK_X[1] + 0.01, "xanchor": "left"}}
    return out


def _on_diagram_axes(items: Sequence[dict]) -> list[dict]:
    """Shapes and annotations drawn on "x"/"y", moved to the diagram's axes "x3"/"y3"."""
    refs = {"xref": "x3", "yref": "y3"}
    out = []
    for item in items:
        moved = {**item, **refs}
        if "axref" in item:
            moved |= {"axref": "x3", "ayref": "y3"}
        out.append(moved)
    return out


class _Labels:
    """Every label of the film, formatted once: the step's lines above the diagram, then the diagram's own labels,
    as (T, L) tables of texts and inks. ``moving`` are the labels whose text or ink changes with the step (one
    trace, updated by every frame); the others never change (a trace of their own, sent once)."""

    def __init__(self, sketches: Sequence[Sketch], lines: Sequence[Sequence[str]], top: float):
        first, n = sketches[0], len(lines[0])
        self.x = [X_RANGE[0] + 0.05] * n + [lab[0] for lab in first.labels]
        self.y = [top - 0.42 * k for k in range(n)] + [lab[1] for lab in first.labels]
        self.position = ["middle right"] * n + [lab[4] for lab in first.labels]
        self.size = [14] * n + [lab[3] for lab in first.labels]
        self.family = [FONT_FAMILY] * n + [MONO_FAMILY if lab[6] else FONT_FAMILY for lab in first.labels]
        self.text = np.array([[*ln, *(lab[2] for lab in sk.labels)] for sk, ln in zip(sketches, lines, strict=True)],
                             dtype=object)
        self.ink = np.array([[HIGHLIGHT] + [PAGE_INK] * (n - 1) + [lab[5] for lab in sk.labels] for sk in sketches],
                            dtype=object)
        still = (self.text == self.text[0]).all(axis=0) & (self.ink == self.ink[0]).all(axis=0)
        self.moving, self.fixed = np.flatnonzero(~still), np.flatnonzero(still)
        self.inks_move = bool((self.ink[:, self.moving] != self.ink[0, self.moving]).any())

    def trace(self, index: np.ndarray, step: int) -> dict:
        """The labels ``index`` as one text trace on the diagram's axes, drawn as at ``step`` (0-based)."""
        def pick(values):
            return [values[k] for k in index]

        return {"type": "scatter", "mode": "text", "x": pick(self.x), "y": pick(self.y), "xaxis": "x3", "yaxis": "y3",
                "text": self.text[step, index].tolist(), "textposition": pick(self.position),
                "textfont": {"size": pick(self.size), "color": self.ink[step, index].tolist(),
                             "family": pick(self.family)},
                "hoverinfo": "skip", "showlegend": False, "cliponaxis": False}

    def update(self, step: int) -> dict:
        """What a frame changes on the moving labels."""
        out = {"text": self.text[step, self.moving].tolist()}
        if self.inks_move:
            out["textfont"] = {"color": self.ink[step, self.moving].tolist()}
        return out


def _levels(sk: Sketch) -> tuple[list, list]:
    """The tanks' fills as one polygon per tank (separated by gaps): (x, y), y rounded for a short frame."""
    xs, ys = [], []
    for x0, y0, x1, y1 in sk.levels:
        xs += [x0, x1, x1, x0, x0, None]
        ys += [round(y, 4) for y in (y0, y0, y1, y1, y0)] + [None]
    return xs, ys


def _cursors(t: int, input_range: list[float], span: float) -> list[dict]:
    """The step's column over the heatmaps and over the input row, and its label above them, at step ``t``."""
    lo, hi = input_range
    return [
        {**CURSOR, "type": "scatter", "x": _column(t), "y": [-0.5, -0.5, span - 0.5, span - 0.5, -0.5],
         "xaxis": "x2", "yaxis": "y2"},
        {**CURSOR, "type": "scatter", "x": _column(t), "y": [lo, lo, hi, hi, lo], "xaxis": "x", "yaxis": "y"},
        {"type": "scatter", "mode": "text", "x": [t], "y": [hi], "text": [f"<b>t = {t}</b>"], "xaxis": "x",
         "yaxis": "y", "textposition": "top center", "textfont": {"size": 13, "color": HIGHLIGHT},
         "hoverinfo": "skip", "showlegend": False, "cliponaxis": False},
    ]


def _fills(sk: Sketch) -> list[dict]:
    """The tanks' levels (one trace), then each band (the belt's segments, the signed boxes: a trace each)."""
    xs, ys = _levels(sk)
    common = {"type": "scatter", "mode": "lines", "fill": "toself", "line": {"width": 0}, "xaxis": "x3",
              "yaxis": "y3", "hoverinfo": "skip", "showlegend": False}
    return [{**common, "x": xs, "y": ys, "fillcolor": GATE_FILL},
            *({**common, "x": [x0, x1, x1, x0, x0], "y": [y0, y0, y1, y1, y0], "fillcolor": colour}
              for x0, y0, x1, y1, colour in sk.bands)]


def _frame(sk: Sketch, labels: _Labels, t: int) -> list[dict]:
    """What a frame changes, trace by trace in the order of ``_traces``' moving ones: only what moves."""
    return [{"x": _column(t)}, {"x": _column(t)}, {"x": [t], "text": [f"<b>t = {t}</b>"]}, {"y": _levels(sk)[1]},
            *({"fillcolor": band[4]} for band in sk.bands), labels.update(t - 1)]


def _layout(stack: dict, plot_px: float, top: float, cv) -> dict:
    """The heatmap stack's layout squeezed into the top of the figure, the diagram's axes under it over the whole
    width, and the diagram's wires, arrows and fixed captions."""
    below = DIAGRAM_PX + LINES_PX
    return {**_squeezed_stack(stack, (stack["height"] - STACK_MARGIN_PX) / plot_px), "height": int(28 + plot_px + 10),
            "margin": {"l": 10, "r": 10, "t": 28, "b": 10}, "dragmode": False,
            "xaxis3": {"visible": False, "range": list(X_RANGE), "fixedrange": True, "anchor": "y3"},
            "yaxis3": {"visible": False, "range": [Y_RANGE[0], top], "fixedrange": True, "anchor": "x3",
                       "domain": [0.0, below / plot_px]},
            "shapes": _on_diagram_axes(cv.shapes), "annotations": _on_diagram_axes(cv.annotations)}


def cell_film(x: np.ndarray, rows: Sequence[Row], sketches: Sequence[Sketch], lines: Sequence[Sequence[str]],
              start: int, *, link_key: str | None = None) -> go.Figure:
    """The heatmap stack of ``rows`` over the input ``x`` (T,), above the cell diagram, with a slider over the
    steps that starts at ``start`` (0-based). ``sketches[k]`` is the diagram at step k + 1 and ``lines[k]`` the
    text above it (a headline, then the step's update); the slider's position goes into the URL under
    ``link_key`` (see kit.scrub)."""
    T = len(x)
    if not (len(sketches) == len(lines) == T and 0 <= start < T):
        raise ValueError(f"cell_film: {T} steps, {len(sketches)} diagrams, {len(lines)} texts, start {start}")
    stack = heatmap_stack(x, rows, None).to_plotly_json()
    lay = stack["layout"]
    plot_px = lay["height"] - STACK_MARGIN_PX + AXIS_PX + LINES_PX + DIAGRAM_PX
    top = Y_RANGE[1] + LINES_PX * (Y_RANGE[1] - Y_RANGE[0]) / DIAGRAM_PX  # the diagram's axis reaches the text
    labels = _Labels(sketches, lines, top - 0.3)
    # Drawn in this order: heatmaps, cursors, fills, then every label on top. All but the fixed labels move.
    moving = [*_cursors(start + 1, lay["yaxis"]["range"], lay["yaxis2"]["range"][0] + 0.5), *_fills(sketches[start])]
    traces = [*stack["data"], *moving, labels.trace(labels.fixed, start), labels.trace(labels.moving, start)]
    n = len(stack["data"])
    indices = [*range(n, n + len(moving)), len(traces) - 1]
    frames = [{"data": _frame(sk, labels, k + 1), "traces": indices} for k, sk in enumerate(sketches)]
    # Not theme.figure: its margin floor would give the row labels and colour bars margins of their own, which
    # would narrow the diagram too; they sit inside the plot area, beside the heatmaps (see _squeezed_stack).
    base = go.Figure(data=traces, layout=_layout(lay, plot_px, top, sketches[start].cv), _validate=False)
    return animated(base, frames, [str(k + 1) for k in range(T)], start, prefix="step t = ", redraw=False,
                    link_key=link_key)
