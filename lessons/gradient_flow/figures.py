"""Figures for the gradient-flow lesson: ‖∂L/∂h_t‖ against the distance from the loss for RNN, LSTM and GRU,
at initialisation and after training (log scale), and the training losses.

Pure functions: arrays in, ``go.Figure`` out. No Streamlit.

Speed: traces and layout are plain dicts built into a figure in one unvalidated pass (``theme.styled``),
which saves Plotly's validation of every trace and update.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from lessons.kit.settings import CELL_NAMES
from lessons.kit.theme import BLUE, GREEN, NEUTRAL, SKY, VERMILLION, f32, labelled_hline, styled

COLORS = {"rnn": VERMILLION, "lstm": BLUE, "gru": GREEN}
CELL_STATE = SKY


def _positive(values: np.ndarray) -> np.ndarray:
    """Zeros and non-finite values cannot sit on a log axis: leave gaps instead."""
    v = np.asarray(values, dtype=float)
    return f32(np.where(np.isfinite(v) & (v > 0), v, np.nan))


def _cell_traces(phase: str, cell: str, curves: dict, xa: str, ya: str, legend: bool) -> list[dict]:
    """One cell's curves in one panel: ‖∂L/∂h‖, the LSTM's ‖∂L/∂c‖ (dashed) and a diamond at its reach."""
    h = np.asarray(curves["h"], dtype=float)
    d = np.arange(len(h))
    color = COLORS.get(cell, NEUTRAL)
    name = CELL_NAMES.get(cell, cell)
    common = {"type": "scatter", "xaxis": xa, "yaxis": ya}
    out = [{**common, "x": d, "y": _positive(h), "name": f"{name}  ‖∂L/∂h‖", "legendgroup": cell,
            "showlegend": legend, "mode": "lines", "line": {"color": color, "width": 2.8},
            "hovertemplate": f"{name} h, d=%{{x}}: %{{y:.2e}}<extra>{phase}</extra>"}]
    if curves.get("c") is not None:
        out.append({**common, "x": d, "y": _positive(curves["c"]), "name": f"{name}  ‖∂L/∂c‖ (cell state)",
                    "legendgroup": cell + "c", "showlegend": legend, "mode": "lines",
                    "line": {"color": CELL_STATE, "width": 2.2, "dash": "dash"},
                    "hovertemplate": f"{name} c, d=%{{x}}: %{{y:.2e}}<extra>{phase}</extra>"})
    reach = int(curves["reach"])
    out.append({**common, "x": [reach], "y": [max(float(h[reach]), 1e-300)], "mode": "markers", "showlegend": False,
                "marker": {"symbol": "diamond", "size": 11, "color": color, "line": {"color": "white", "width": 1}},
                "hovertemplate": f"{name} reaches {reach} steps back<extra>{phase}</extra>"})
    return out


def _positive_range(panels: Mapping[str, Mapping[str, dict]]) -> tuple[float, float]:
    """(smallest, largest) positive finite value over every curve of every panel (inf, 1 when none)."""
    lo, hi = np.inf, 1.0
    for curves in (c for panel in panels.values() for c in panel.values()):
        for key in ("h", "c"):
            if curves.get(key) is None:
                continue
            v = np.asarray(curves[key], dtype=float)
            v = v[np.isfinite(v) & (v > 0)]
            if v.size:
                lo = min(lo, v.min())
                hi = max(hi, v.max()) if key == "h" else hi
    return lo, hi


def _panel_axes(k: int, x0: float, width: float, phase: str, threshold: float) -> tuple[dict, list, list]:
    """Panel k's axes (layout entries), its title and threshold label (annotations), its threshold line."""
    xa, ya = ("x", "y") if k == 1 else (f"x{k}", f"y{k}")
    axes = {f"xaxis{'' if k == 1 else k}": {"domain": [x0, x0 + width], "anchor": ya,
                                            "title": {"text": "steps back"}},
            f"yaxis{'' if k == 1 else k}": {"anchor": xa, "type": "log", "exponentformat": "power",
                                            "matches": None if k == 1 else "y", "showticklabels": k == 1}}
    notes = [{"x": x0 + width / 2, "y": 1.0, "xref": "paper", "yref": "paper", "text": f"<b>{phase}</b>",
              "showarrow": False, "xanchor": "center", "yanchor": "bottom", "font": {"size": 14}},
             {"x": 0, "y": np.log10(threshold), "xref": f"{xa} domain", "yref": ya,
              "text": f"1/{round(1 / threshold):,} of the signal", "showarrow": False, "xanchor": "left",
              "yanchor": "top", "font": {"size": 11, "color": NEUTRAL}}]
    line = {"type": "line", "xref": f"{xa} domain", "yref": ya, "x0": 0, "x1": 1, "y0": threshold, "y1": threshold,
            "line": {"color": NEUTRAL, "width": 1.5, "dash": "dot"}}
    return axes, notes, [line]


def flow_figure(panels: Mapping[str, Mapping[str, dict]], threshold: float) -> go.Figure:
    """Side-by-side log plots, one per phase (e.g. "at initialisation", "after 240 steps").

    panels: phase title -> cell ("rnn" | "lstm" | "gru") -> {"h": (T,), "c": (T,) or None, "reach": int},
    where index d of each array is the distance from the loss. The LSTM's cell-state gradient is dashed.
    A dotted line marks ``threshold``; a diamond marks how far back each cell's gradient stays above it.
    """
    gap = 0.06
    width = (1 - gap * (len(panels) - 1)) / len(panels)
    traces, annotations, shapes, layout = [], [], [], {}
    for k, phase in enumerate(panels, start=1):
        xa, ya = ("x", "y") if k == 1 else (f"x{k}", f"y{k}")
        for cell, curves in panels[phase].items():
            traces += _cell_traces(phase, cell, curves, xa, ya, legend=k == 1)
        axes, notes, lines = _panel_axes(k, (k - 1) * (width + gap), width, phase, threshold)
        layout.update(axes)
        annotations[len(annotations):] = [notes[0], notes[1]]
        shapes += lines
    lo, hi = _positive_range(panels)
    floor = max(lo, 1e-40) if np.isfinite(lo) else threshold / 10
    layout["yaxis"]["range"] = [min(np.log10(floor), np.log10(threshold)) - 0.5, np.log10(max(hi, 1.0)) + 0.3]
    # Powers of ten only, at most about six of them: Plotly's own choice on a short log range adds "2" and "5"
    # between the decades, labels that collide in presenter mode.
    layout["yaxis"]["dtick"] = max(1, int(np.ceil((layout["yaxis"]["range"][1] - layout["yaxis"]["range"][0]) / 6)))
    layout["yaxis"]["title"] = {"text": "‖∂L/∂h<sub>t</sub>‖ relative to the last step"}
    return styled(traces, height=440, hovermode="closest", **layout, annotations=annotations, shapes=shapes,
                  legend={"orientation": "h", "y": -0.22, "x": 0.5, "xanchor": "center", "yanchor": "top"},
                  margin={"l": 10, "r": 10, "t": 40, "b": 10})


def loss_figure(losses: Mapping[str, np.ndarray], baseline: float) -> go.Figure:
    """Mini-batch MSE per training step for each cell; the dashed line is the loss of always guessing 1."""
    traces = []
    for cell, vals in losses.items():
        v = np.asarray(vals, dtype=float)
        traces.append({"type": "scatter", "x": np.arange(1, len(v) + 1), "y": f32(v),
                       "name": CELL_NAMES.get(cell, cell), "mode": "lines",
                       "line": {"color": COLORS.get(cell, NEUTRAL), "width": 2}})
    line, note = labelled_hline(baseline, "always guess 1", NEUTRAL, log=True)
    return styled(traces, title="Training loss on the adding problem", height=300, x_title="training step",
                  legend="under title",
                  y_title="mean squared error", yaxis={"type": "log", "exponentformat": "power", "dtick": 1},
                  shapes=[line],
                  annotations=[note])
