"""Figures for the training lab: the task's data, gradient norms with clipping events, predictions against the
truth, a multi-step forecast, the copy task's recall, and the trained cell's gates (the stacked heatmaps of
lessons.kit.heatmaps, for the same look as the gated-cell lessons). The loss curves are lessons.kit.curves.

Pure functions: arrays in, ``go.Figure`` out. No Streamlit.

Speed: traces and layout are plain dicts built into a figure in one unvalidated pass (``theme.styled``).
Plotly's validation of every trace and update cost several milliseconds per figure, paid again on every
rerun of the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from lessons.kit.curves import MAX_LINE_POINTS, line, thin
from lessons.kit.heatmaps import Row, heatmap_stack
from lessons.kit.logaxes import log_axis_range, log_limits, log_ticks
from lessons.kit.text import plotly_literal
from lessons.kit.theme import (
    BLUE,
    GREEN,
    HIGHLIGHT,
    NEUTRAL,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    f32,
    labelled_hline,
    send,
    styled,
    vline,
)

TRAIN_FILL = "rgba(0, 114, 178, 0.06)"
VAL_FILL = "rgba(230, 159, 0, 0.12)"
BASELINE_COLOURS = [BLUE, GREEN, PURPLE, SKY]


# -- the task ------------------------------------------------------------------------------------------
def series_overview(x: np.ndarray, series: np.ndarray, split: int, *, x_title: str, y_title: str,
                    title: str | None = None) -> go.Figure:
    """The whole series with the training part and the held-out (validation) part shaded.

    x, series: (N,). split: index of the first held-out value. The axis titles may be a file's column header:
    they are shown literally (no Plotly markup).
    """
    x, series = np.asarray(x), np.asarray(series)
    x_title, y_title = plotly_literal(x_title, 60), plotly_literal(y_title, 60)
    x0, xs, x1 = float(x[0]), float(x[split]), float(x[-1])
    shapes = [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": xs, "y0": 0, "y1": 1,
         "fillcolor": TRAIN_FILL, "line": {"width": 0}, "layer": "below"},
        {"type": "rect", "xref": "x", "yref": "paper", "x0": xs, "x1": x1, "y0": 0, "y1": 1,
         "fillcolor": VAL_FILL, "line": {"width": 0}, "layer": "below"},
    ]
    notes = [
        {"x": (x0 + xs) / 2, "y": 1.0, "xref": "x", "yref": "paper", "text": "training (fits weights and scaling)",
         "showarrow": False, "yanchor": "top", "font": {"size": 12, "color": BLUE}},
        {"x": (xs + x1) / 2, "y": 1.0, "xref": "x", "yref": "paper", "text": "held out",
         "showarrow": False, "yanchor": "top", "font": {"size": 12, "color": ORANGE}},
    ]
    return styled([line(x, series, y_title, BLUE, hover="%{y:.4g} at %{x}")], title=title, height=300,
                  x_title=x_title, y_title=y_title, legend=False, hovermode="x", shapes=shapes, annotations=notes)


def adding_example(x: np.ndarray, y: float) -> go.Figure:
    """One adding-problem sequence: x (T, 2) values and markers; the two marked bars are highlighted."""
    x = np.asarray(x)
    T = len(x)
    marked = x[:, 1] > 0.5
    colours = np.where(marked, VERMILLION, NEUTRAL)  # opaque: the other values are data too (3:1 on either page)
    bar = {"type": "bar", "x": np.arange(T), "y": f32(x[:, 0]), "marker": {"color": colours.tolist()},
           "hovertemplate": "t=%{x}<br>value %{y:.3f}<extra></extra>"}
    a, b = np.flatnonzero(marked)[:2]
    title = f"Target: the marked {x[a, 0]:.2f} + {x[b, 0]:.2f} = <b>{y:.2f}</b>"
    return styled([bar], title=title, height=260, x_title="time step t", y_title="value", legend=False,
                  hovermode="closest", bargap=0.15, yaxis={"range": [0, 1.05]})


def _symbol_text(codes: np.ndarray, n_symbols: int) -> np.ndarray:
    """Codes -> what a student reads: blank '·', symbols 'A'..'H', the repeat signal '▶'."""
    lookup = np.array(["·"] + [chr(ord("A") + i) for i in range(n_symbols)] + ["▶"])
    return lookup[np.asarray(codes)]


def copy_example(codes: np.ndarray, target: np.ndarray, n_symbols: int, predicted: np.ndarray | None = None,
                 *, title: str | None = None) -> go.Figure:
    """The copy task as rows of letters: input, target and (optionally) the model's output for each sequence.

    codes, target, predicted: (n, L) integer codes; predicted cells are green when right, red when wrong
    (only on the recall steps, where the target is a symbol).
    """
    codes, target = np.atleast_2d(codes), np.atleast_2d(target)
    n, L = codes.shape
    rows, labels, colour = [], [], []
    for s in range(n):
        parts = [("input", codes[s], 0), ("target", target[s], 1)]
        if predicted is not None:
            ok = np.where(target[s] > 0, np.where(np.atleast_2d(predicted)[s] == target[s], 2, 3), 1)
            parts.append(("model", np.atleast_2d(predicted)[s], ok))
        for name, row, kind in parts:
            rows.append(_symbol_text(row, n_symbols))
            labels.append(f"#{s + 1} {name}" if name == "input" else name)
            colour.append(np.broadcast_to(kind, (L,)))
    z = np.array(colour, dtype=float)
    # 0 input, 1 target/neutral, 2 right, 3 wrong
    scale = [[0.0, "#DCEAF6"], [0.25, "#DCEAF6"], [0.25, "#F1F1F1"], [0.5, "#F1F1F1"],
             [0.5, "#BDE5D5"], [0.75, "#BDE5D5"], [0.75, "#F7C6B0"], [1.0, "#F7C6B0"]]
    text = np.array(rows)
    heat = {"type": "heatmap", "z": z, "x": np.arange(L), "y": np.arange(len(rows)), "text": text,
            "texttemplate": "%{text}", "textfont": {"size": 14, "color": "#18212F"}, "colorscale": scale, "zmin": 0,
            "zmax": 3, "showscale": False, "xgap": 2, "ygap": 2, "hoverinfo": "skip"}
    return styled([heat], title=title, height=100 + 26 * len(rows), x_title="time step t", legend=False,
                  hovermode=False, xaxis={"showgrid": False},
                  yaxis={"tickvals": list(range(len(rows))), "ticktext": labels, "autorange": "reversed",
                         "showgrid": False})


# -- gradient norms -------------------------------------------------------------------------------------
def _edge_markers(x: np.ndarray, y: np.ndarray, at: float, name: str, symbol: str, colour: str) -> dict:
    return {"type": "scatter", "x": x, "y": np.full(len(x), at), "mode": "markers", "name": name,
            "marker": {"symbol": symbol, "size": 10 if len(x) < 40 else 6, "color": colour,
                       "line": {"width": 1, "color": "white"}},
            "hovertemplate": f"step %{{x}}: {name}<extra></extra>"}


def grad_norm_history(before: np.ndarray, after: np.ndarray, clipped: np.ndarray, *, clip: str,
                      threshold: float, title: str | None = None) -> go.Figure:
    """‖∇‖ before and after clipping for every step (log scale), clipping events marked.

    before, after: (S,) global gradient norms; clipped: (S,) bool. clip: "none" | "value" | "norm".
    A log axis cannot show 0 or an overflowed (inf/NaN) norm: those steps are markers on the bottom / top edge.
    """
    before, after = np.asarray(before, float), np.asarray(after, float)
    clipped = np.asarray(clipped, bool)
    steps = np.arange(1, len(before) + 1)
    floor, ceil = log_limits(before, after, [threshold] if clip == "norm" else [], pad=0)
    drawn = [("‖∇‖ before clipping", before, PURPLE)]
    if clip != "none":
        drawn.append(("‖∇‖ after clipping (the step taken)", after, GREEN))
    traces = []
    for name, values, colour in drawn:
        xs, ys = thin(steps, np.where(np.isfinite(values) & (values > 0), values, np.nan))
        traces.append({**line(xs, send(ys), name, colour, width=1.5, hover="%{y:.3g}"), "connectgaps": False})
    bad, zero = ~np.isfinite(before), before == 0
    if bad.any():
        traces.append(_edge_markers(steps[bad], before[bad], ceil, "overflow (not finite)", "triangle-up", VERMILLION))
    if zero.any():
        traces.append(_edge_markers(steps[zero], before[zero], floor, "exactly 0", "triangle-down", PURPLE))
    if clipped.any():
        idx = np.flatnonzero(clipped & np.isfinite(before))
        if len(idx) > MAX_LINE_POINTS:
            idx = idx[:: -(-len(idx) // MAX_LINE_POINTS)]
        traces.append({"type": "scatter", "x": steps[idx], "y": send(before[idx]), "mode": "markers",
                       "name": "clipped", "marker": {"color": HIGHLIGHT, "size": 6, "symbol": "x-thin",
                                                     "line": {"width": 2, "color": HIGHLIGHT}},
                       "hovertemplate": "step %{x}: clipped (norm was %{y:.3g})<extra></extra>"})
    shapes, notes = None, None
    if clip == "norm":
        limit, note = labelled_hline(threshold, f"max norm {threshold:g}", HIGHLIGHT, log=True, above=False)
        shapes, notes = [limit], [note]
    n_clip = int(clipped.sum())
    if title is None and len(before):
        title = f"Gradient norm per step — clipped {n_clip} of {len(before)} steps" if clip != "none" else \
            "Gradient norm per step (no clipping)"
    tickvals, ticktext = log_ticks(floor, ceil)
    return styled(traces, title=title, legend="under title", height=330, x_title="optimizer step",
                  y_title="global ‖∇L‖₂", hovermode="x unified", shapes=shapes, annotations=notes,
                  yaxis={"type": "log", "range": log_axis_range(floor, ceil), "tickvals": tickvals,
                         "ticktext": ticktext})


# -- results ---------------------------------------------------------------------------------------------
def predictions_vs_truth(x_all: np.ndarray, series: np.ndarray, t_val: np.ndarray, truth: np.ndarray,
                         preds: Mapping[str, np.ndarray], *, model_name: str, x_title: str, y_title: str,
                         context: int = 40, title: str | None = None) -> go.Figure:
    """One-step-ahead predictions on the held-out part against the truth.

    x_all, series: (N,) the whole series (its tail before the held-out part is drawn for context).
    t_val: (M,) series index of each held-out target; truth (M,); preds: name -> (M,), the model first.
    Axis titles are shown literally.
    """
    x_all, series = np.asarray(x_all), np.asarray(series)
    x_title, y_title = plotly_literal(x_title, 60), plotly_literal(y_title, 60)
    first = int(t_val[0])
    lo = max(0, first - context)
    xv = x_all[t_val]
    traces = [
        line(x_all[lo : first + 1], series[lo : first + 1], "training data (context)", NEUTRAL, width=1.5,
             dash="dot"),
        line(xv, truth, "truth", NEUTRAL, width=2.5),
    ]
    colours = iter(BASELINE_COLOURS)
    for name, p in preds.items():
        is_model = name == model_name
        traces.append(line(xv, p, name, VERMILLION if is_model else next(colours), width=2.5 if is_model else 1.5,
                           dash=None if is_model else "dash"))
    return styled(traces, title=title, legend="under title", legend_rows=2, height=400, x_title=x_title,
                  y_title=y_title, shapes=[vline(float(x_all[first]), color=ORANGE, width=1)])


def adding_scatter(truth: np.ndarray, preds: Mapping[str, np.ndarray], *, model_name: str,
                   title: str | None = None) -> go.Figure:
    """Predicted sum against the true sum on held-out sequences; perfect predictions lie on the diagonal."""
    traces = [{"type": "scatter", "x": [0, 2], "y": [0, 2], "mode": "lines", "name": "perfect",
               "line": {"color": NEUTRAL, "dash": "dot"}, "hoverinfo": "skip"}]
    colours = iter(BASELINE_COLOURS)
    for name, p in preds.items():
        is_model = name == model_name
        traces.append({
            "type": "scatter", "x": f32(truth), "y": f32(p), "mode": "markers", "name": name,
            "marker": {"color": VERMILLION if is_model else next(colours), "size": 7 if is_model else 5,
                       "opacity": 0.85 if is_model else 0.45},
            "hovertemplate": f"{name}<br>true %{{x:.3f}}, predicted %{{y:.3f}}<extra></extra>"})
    return styled(traces, title=title, legend="under title", legend_rows=2, height=420, x_title="true sum",
                  y_title="predicted sum", hovermode="closest", xaxis={"range": [-0.05, 2.05]},
                  yaxis={"range": [-0.15, 2.15]})


def forecast_figure(x_all: np.ndarray, series: np.ndarray, split: int, forecast_x: np.ndarray,
                    forecasts: Mapping[str, np.ndarray], *, model_name: str, x_title: str, y_title: str,
                    context: int = 60, title: str | None = None) -> go.Figure:
    """Recursive multi-step forecasts from the end of the training part, against what really happened.

    forecast_x: (F,) x positions of the forecast; forecasts: name -> (F,), the model first. Axis titles are shown
    literally.
    """
    x_all, series = np.asarray(x_all), np.asarray(series)
    x_title, y_title = plotly_literal(x_title, 60), plotly_literal(y_title, 60)
    lo = max(0, split - context)
    end = split + len(forecast_x)
    traces = [
        line(x_all[lo:split], series[lo:split], "what the model saw", NEUTRAL, width=2),
        line(x_all[split - 1 : end], series[split - 1 : end], "what really happened", NEUTRAL, width=2, dash="dot"),
    ]
    colours = iter(BASELINE_COLOURS)
    for name, fc in forecasts.items():
        is_model = name == model_name
        xs = np.r_[x_all[split - 1], forecast_x]
        ys = np.r_[series[split - 1], fc]  # start each forecast from the last known value
        traces.append(line(xs, ys, name, VERMILLION if is_model else next(colours), width=2.5 if is_model else 1.5,
                           dash=None if is_model else "dash"))
    start = float(x_all[split - 1])
    # the label where add_vline(annotation_position="top left") puts it: left of the line's top end
    note = {"x": start, "xref": "x", "xanchor": "right", "y": 1, "yref": "y domain", "yanchor": "top",
            "text": "forecast starts", "showarrow": False, "font": {"size": 12, "color": ORANGE}}
    return styled(traces, title=title, legend="under title", legend_rows=2, height=400, x_title=x_title,
                  y_title=y_title, shapes=[vline(start, color=ORANGE, width=1)], annotations=[note])


# The rows of the gate heatmaps per cell kind, in the order the data flows through the cell:
# (gate or state name, row label, colouring; see lessons.kit.heatmaps.Row).
GATE_ROWS = {
    "lstm": (("i", "i · write", "gate"), ("f", "f · keep", "gate"), ("g", "g · candidate", "signed"),
             ("o", "o · read", "gate"), ("c", "c · belt", "state"), ("h", "h · output", "signed")),
    "gru": (("r", "r · reset", "gate"), ("z", "z · keep", "gate"), ("n", "n · candidate", "signed"),
            ("h", "h · state", "signed")),
    "rnn": (("h", "h · state", "signed"),),
}


def gate_heatmaps(gates: Mapping[str, np.ndarray], x: np.ndarray, *, kind: str, title: str | None = None,
                  markers: Sequence[int] = (), x_label: str = "x<sub>t</sub>") -> go.Figure:
    """The trained cell's gates and states over one held-out sequence (the gated lessons' heatmap stack).

    gates: "i","f","g","o","c","h" (LSTM), "r","z","n","h" (GRU) or "h" (RNN), each (T, H).
    x: (T,) the input line drawn on top. markers: time steps to outline (e.g. the adding problem's markers).
    """
    rows = [Row(name, label, gates[name], colour) for name, label, colour in GATE_ROWS[kind]]
    outlines = [{"type": "rect", "xref": "x", "yref": "paper", "x0": t - 0.5, "x1": t + 0.5, "y0": 0, "y1": 1,
                 "line": {"color": HIGHLIGHT, "width": 2}, "fillcolor": "rgba(213, 94, 0, 0.06)"} for t in markers]
    return heatmap_stack(np.asarray(x, float), rows, None, title=title, x_label=x_label, extra_shapes=outlines)
