"""Figures for the bidirectional-LSTM lesson: both directions' states on one time axis (the kit's heatmap
stack; the step film in bidirectional_film.py draws it with a slider), what every output step can see
(sensitivity from gradients), and the readout task whose answer lies in the future.

Pure functions: arrays in, ``go.Figure`` out. No Streamlit.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons.kit.heatmaps import Row, heatmap_stack, row_offsets, steps_of
from lessons.kit.numbers import num
from lessons.kit.theme import BLUE, HIGHLIGHT, NEUTRAL, ORANGE, SEQUENTIAL, VERMILLION, colorbar, f32, styled

FORWARD = BLUE  # the direction that reads the past
BACKWARD = ORANGE  # the direction that reads the future
BOTH = VERMILLION
# The two sensitivity maps side by side need this width (px) for their tick labels and titles; on a phone they
# scroll sideways inside their frame.
MAPS_MIN_WIDTH = 600


def direction_heatmaps(x: np.ndarray, forward: np.ndarray, backward: np.ndarray, t: int | None) -> go.Figure:
    """Input on top, then the forward states, the backward states and the concatenated output [→ ; ←],
    all (T, H) or (T, 2H) drawn time across (steps 1..T), unit down, on one time axis with a cursor at step ``t``."""
    H = forward.shape[1]
    out = np.concatenate([forward, backward], axis=1)
    rows = [Row("h→", "forward h →", forward, "shared"), Row("h←", "← backward h", backward, "shared"),
            Row("output", "output [→ ; ←]", out, "shared")]
    # A line between the two halves of the output (the last row of the stack).
    mid = row_offsets(rows)[-1] + H - 0.5
    divider = {"type": "line", "xref": "x2 domain", "yref": "y2", "x0": 0, "x1": 1, "y0": mid, "y1": mid,
               "line": {"color": NEUTRAL, "width": 2}}
    return heatmap_stack(x, rows, t, extra_shapes=[divider])


def sensitivity_maps(forward: np.ndarray, backward: np.ndarray, t: int | None) -> go.Figure:
    """Two (T, T) maps side by side, output step t down, input step s across (both 1..T), coloured by log₁₀ of
    the sensitivity: the forward direction fills the lower triangle (s ≤ t), the backward one the upper."""
    T = forward.shape[0]
    steps = steps_of(T)
    logs = [np.where(m > 0, np.log10(np.maximum(m, 1e-300)), np.nan) for m in (forward, backward)]
    finite = np.concatenate([v[np.isfinite(v)] for v in logs]) if any(np.isfinite(v).any() for v in logs) else [0]
    lo, hi = float(np.floor(np.min(finite))), float(np.ceil(np.max(finite)))
    lo = max(lo, hi - 8)  # eight decades are plenty; anything below takes the floor colour
    logs = [np.maximum(v, lo) for v in logs]  # NaN (cannot see) stays NaN
    ticks = np.arange(lo, hi + 1)
    cbar = colorbar("‖∂h<sub>t</sub>/∂x<sub>s</sub>‖", tickvals=ticks,
                    ticktext=[f"10<sup>{int(k)}</sup>" for k in ticks])
    traces = [{"type": "heatmap", "z": f32(vals), "x": steps, "y": steps, "coloraxis": "coloraxis", "name": name,
               "xaxis": "x" if k == 1 else "x2", "yaxis": "y" if k == 1 else "y2",
               "hovertemplate": f"{name}<br>output t=%{{y}}, input s=%{{x}}<br>log₁₀ = %{{z:.2f}}<extra></extra>"}
              for k, (vals, name) in enumerate(zip(logs, ("forward →", "backward ←"), strict=True), start=1)]
    axis = {"range": [0.5, T + 0.5], "showgrid": False}
    return styled(
        traces, height=380, legend=False, hovermode="closest",
        coloraxis={"colorscale": SEQUENTIAL, "cmin": lo, "cmax": hi, "colorbar": cbar},
        xaxis={**axis, "domain": [0, 0.45], "title": {"text": "input step s"}},
        xaxis2={**axis, "domain": [0.52, 0.97], "title": {"text": "input step s"}},
        yaxis={**axis, "autorange": "reversed", "range": None, "title": {"text": "output step t"}},
        yaxis2={**axis, "autorange": "reversed", "range": None, "anchor": "x2", "matches": "y",
                "showticklabels": False},
        annotations=[
            {"x": 0.225, "y": 1.0, "xref": "paper", "yref": "paper", "text": "<b>forward →</b> sees s ≤ t",
             "showarrow": False, "xanchor": "center", "yanchor": "bottom", "font": {"color": FORWARD, "size": 13}},
            {"x": 0.745, "y": 1.0, "xref": "paper", "yref": "paper", "text": "<b>← backward</b> sees s ≥ t",
             "showarrow": False, "xanchor": "center", "yanchor": "bottom", "font": {"color": BACKWARD, "size": 13}},
        ],
        shapes=[] if t is None else [
            {"type": "rect", "xref": xr, "yref": yr, "x0": 0.5, "x1": T + 0.5, "y0": t - 0.5, "y1": t + 0.5,
             "line": {"color": HIGHLIGHT, "width": 2}} for xr, yr in (("x", "y"), ("x2", "y2"))],
        margin={"l": 10, "r": 124, "t": 36, "b": 10},  # r: the colour bar and its long title, measured
    )


def readout_figure(r2: dict[str, float], example_t: np.ndarray, example_y: np.ndarray,
                   example_pred: dict[str, np.ndarray], target_label: str) -> go.Figure:
    """Left: R² of a linear readout from each feature set (forward half, backward half, both).
    Right: the target and the three predictions on one held-out sequence."""
    names = list(r2)
    colors = {"forward": FORWARD, "backward": BACKWARD, "both": BOTH}
    labels = {"forward": "→ only", "backward": "← only", "both": "both"}
    traces = [{"type": "bar", "x": [labels[k] for k in names], "y": [max(r2[k], 0.0) for k in names],
               "xaxis": "x", "yaxis": "y", "marker": {"color": [colors[k] for k in names]},
               "text": [num(r2[k]) for k in names], "textposition": "outside", "cliponaxis": False,
               "showlegend": False, "hovertemplate": "%{x}: R² = %{text}<extra></extra>"},
              {"type": "scatter", "x": example_t, "y": f32(example_y), "name": "target", "xaxis": "x2",
               "yaxis": "y2", "mode": "lines", "line": {"color": NEUTRAL, "width": 5}, "opacity": 0.55}]
    traces += [{"type": "scatter", "x": example_t, "y": f32(example_pred[k]), "name": labels[k], "xaxis": "x2",
                "yaxis": "y2", "mode": "lines",
                "line": {"color": colors[k], "width": 2, "dash": "solid" if k == "both" else "dot"}}
               for k in names]
    return styled(
        traces, height=360, hovermode="x unified",
        xaxis={"domain": [0, 0.27]}, yaxis={"range": [0, 1.12], "title": {"text": "R² on new sequences"}},
        xaxis2={"domain": [0.43, 1], "anchor": "y2", "title": {"text": "step t of one new sequence"}},
        yaxis2={"anchor": "x2", "title": {"text": target_label}},
        legend={"x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
