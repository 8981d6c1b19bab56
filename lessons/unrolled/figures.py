"""Figures for the "Unrolled RNN" lesson: the unrolled and rolled diagrams, h_t over time, the step equation.

Pure functions of an ``UnrolledRun`` (lessons.unrolled.recipe); no Streamlit. ``step`` is always the
0-based row index; labels show it as t = step + 1, with h_0 the initial state.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons.kit.canvas import HEAD_PX, Canvas, frozen_axes
from lessons.kit.logaxes import log_axis_range, log_limits, log_traces
from lessons.kit.numbers import HUGE, fit, num, tex, tex_paren
from lessons.kit.theme import (
    BLUE,
    DIVERGING,
    GREEN,
    HIGHLIGHT,
    NEUTRAL,
    ORANGE,
    PAPER,
    axis,
    colorbar,
    contrast_text,
    f32,
    figure,
    layout,
    note,
    send,
    symmetric_limit,
)
from lessons.unrolled.recipe import UnrolledRun

PX_PER_UNIT = 76  # the diagram's vertical scale: data units -> pixels (fixed, so stacks of squares fit)
NODE_PX = 36  # circle diameter for x_t, y_t and a one-unit h_t
CELL_UNITS = 0.33  # height of one hidden unit's square when H > 1 (data units)
ROW_GAP = 1.4  # vertical distance between the x row, the hidden stack and the y row (data units)
MARGIN = {"l": 84, "r": 8, "t": 12, "b": 4}


# -- helpers --------------------------------------------------------------------------------------------
def _layout_rows(hidden: int) -> tuple[float, float, float]:
    """(y of the hidden row's centre, its total height, y of the output row) in data units."""
    stack = 0.0 if hidden == 1 else hidden * CELL_UNITS
    y_h = ROW_GAP + stack / 2
    return y_h, stack, y_h + stack / 2 + ROW_GAP


def up_arrows(cv: Canvas, xs: list[float], y_from: float, y_to: float, *, start_px: float, end_px: float) -> None:
    """Upward arrows at every x, as merged segments and heads; the vertical scale is fixed (PX_PER_UNIT), so
    the pixel gaps at both ends are exact."""
    y0, y1 = y_from + start_px / PX_PER_UNIT, y_to - end_px / PX_PER_UNIT - HEAD_PX / 2 / PX_PER_UNIT
    for x in xs:
        cv.segment(x, y0, x, y1)
        cv.head(x, y1, "triangle-up")


def _node_trace(xs, ys, values, limit: float, *, name: str, symbol: str, size: float, texts: list[str] | None,
                hover: list[str], line_width: list[float], show_scale: bool) -> dict:
    """One row of nodes filled by value on the diverging scale; inf is drawn at the scale's end."""
    vals = np.asarray(values, dtype=float)
    color = np.clip(np.nan_to_num(vals, nan=0.0, posinf=limit, neginf=-limit), -limit, limit)
    marker = {"symbol": symbol, "size": size, "color": send(color), "colorscale": DIVERGING,
              "cmin": -limit, "cmax": limit,
              "line": {"color": [HIGHLIGHT if w > 1.5 else NEUTRAL for w in line_width], "width": line_width},
              "showscale": show_scale}
    if show_scale:
        marker["colorbar"] = colorbar("h value", x=1.0, xpad=4)
    return {"type": "scatter", "x": xs, "y": ys, "mode": "markers+text" if texts else "markers", "name": name,
            "text": texts, "textposition": "middle center",
            "textfont": {"size": 11, "color": [contrast_text(v, limit) for v in color]},
            "hovertext": hover, "hoverinfo": "text", "marker": marker, "cliponaxis": False, "showlegend": False}


def _limits(run: UnrolledRun) -> tuple[float, float, float]:
    """Colour ranges for the x, h and y rows: each row has its own symmetric range around 0."""
    return symmetric_limit(run.x), symmetric_limit(run.h), symmetric_limit(run.y)


def _weight_texts(run: UnrolledRun) -> tuple[str, str, str]:
    """What the arrows say: the actual numbers for one unit, the matrix names for H > 1."""
    cfg = run.config
    if run.hidden == 1:
        return f"×{num(cfg.w_in)}", f"×{num(cfg.w_rec)}", f"×{num(float(run.v[0]))}"
    return "W<sub>ih</sub>", "W<sub>hh</sub>", "v"


def _hidden_nodes(run: UnrolledRun, slots: list[tuple[float, int]], y_h: float, lim_h: float,
                  selected: int, h0_slot: float | None) -> dict:
    """h_t at each (slot x, row) plus optionally h_0: a circle for H = 1, a column of H squares otherwise."""
    H = run.hidden
    offsets = np.zeros(1) if H == 1 else (np.arange(H)[::-1] - (H - 1) / 2) * CELL_UNITS
    xs, ys, vals, hover, widths = [], [], [], [], []
    columns = [(h0_slot, -1)] if h0_slot is not None else []
    columns += slots
    for sx, row in columns:
        state = np.zeros(H) if row < 0 else run.h[row]
        name = "h<sub>0</sub> (initial state)" if row < 0 else f"h<sub>{row + 1}</sub>"
        for k in range(H):
            xs.append(sx)
            ys.append(y_h + offsets[k])
            vals.append(state[k])
            unit = f" unit {k + 1}" if H > 1 else ""
            hover.append(f"{name}{unit} = {num(state[k], 3)}")
            widths.append(3.0 if row == selected else 1.0)
    texts = [fit(v) for v in vals] if H == 1 else None
    size = NODE_PX if H == 1 else CELL_UNITS * PX_PER_UNIT - 3
    return _node_trace(xs, ys, vals, lim_h, name="h", symbol="circle" if H == 1 else "square", size=size,
                       texts=texts, hover=hover, line_width=widths, show_scale=True)


def _io_nodes(values: np.ndarray, slots: list[tuple[float, int]], y: float, lim: float, selected: int,
              label: str) -> dict:
    xs = [sx for sx, _ in slots]
    vals = [values[row] for _, row in slots]
    hover = [f"{label}<sub>{row + 1}</sub> = {num(values[row], 3)}" for _, row in slots]
    widths = [3.0 if row == selected else 1.0 for _, row in slots]
    return _node_trace(xs, [y] * len(xs), vals, lim, name=label, symbol="circle", size=NODE_PX,
                       texts=[fit(v) for v in vals], hover=hover, line_width=widths, show_scale=False)


def _row_labels(cv: Canvas, y_x: float, y_h: float, y_y: float) -> None:
    for y, text in ((y_y, "output y<sub>t</sub>"), (y_h, "hidden h<sub>t</sub>"), (y_x, "input x<sub>t</sub>")):
        cv.annotations.append({"x": 0, "xref": "paper", "xanchor": "right", "xshift": -8, "y": y, "yref": "y",
                               "text": f"<b>{text}</b>", "showarrow": False, "font": {"size": 13}})


def _diagram_figure(traces: list, cv: Canvas, n_slots: int, y_top: float, min_slots: int = 9) -> go.Figure:
    """Build once with fixed axes: a known px-per-unit vertically, short sequences left-aligned."""
    height = int((y_top + 0.45 + 0.75) * PX_PER_UNIT) + MARGIN["t"] + MARGIN["b"]
    lay = layout(height=height, legend=False, hovermode="closest", margin=MARGIN, dragmode=False,
                 **cv.layout_items(), **frozen_axes([-0.6, max(n_slots, min_slots) - 0.4], [-0.75, y_top + 0.45]))
    return figure(cv.traces() + traces, lay)


# -- the rolled diagram ---------------------------------------------------------------------------------
def rolled_diagram(run: UnrolledRun, step: int) -> go.Figure:
    """The same network drawn as one cell with a loop: h_t goes back in as h_{t-1} at the next step.

    Values at ``step`` are shown; the loop carries the recurrent weight.
    """
    if not 0 <= step < run.steps:
        raise ValueError(f"step: expected 0 to {run.steps - 1}, got {step}")
    H = run.hidden
    y_h, stack, y_y = _layout_rows(H)
    w_in_txt, w_rec_txt, v_txt = _weight_texts(run)
    cx = 2.0
    r = NODE_PX / 2 + 2
    edge = stack / 2
    cv = Canvas()
    up_arrows(cv, [cx], 0.0, y_h - edge, start_px=r, end_px=(r if H == 1 else 3))
    up_arrows(cv, [cx], y_h + edge, y_y, start_px=(r if H == 1 else 3), end_px=r)
    cv.label([cx + 0.06] * 2, [(y_h - edge) / 2, (y_h + edge + y_y) / 2], [w_in_txt, v_txt],
             position="middle right")
    # The feedback loop: out of the cell's right side, round over the top, and back into its left side.
    top = y_h + max(edge, 0.3) + 0.35
    path = (f"M {cx + 0.25},{y_h} C {cx + 1.1},{y_h} {cx + 1.1},{top} {cx},{top} "
            f"C {cx - 1.1},{top} {cx - 1.1},{y_h} {cx - 0.32},{y_h}")
    cv.shapes.append({"type": "path", "path": path, "line": {"color": NEUTRAL, "width": 2.2}, "layer": "below"})
    cv.arrow(cx - 0.5, y_h, cx - 0.16, y_h, width=2.2, size=1, end_px=NODE_PX / 2 if H == 1 else 12)
    cv.text(cx - 0.75, top, f"{w_rec_txt}<br>h<sub>t−1</sub> → h<sub>t</sub>", anchor="right", size=12,
            color=NEUTRAL, align="right")
    cv.text(cx, -0.52, f"values at t = {step + 1}", size=12, color=HIGHLIGHT)
    _row_labels(cv, 0.0, y_h, y_y)
    slots = [(cx, step)]
    lim_x, lim_h, lim_y = _limits(run)
    nodes = [_io_nodes(run.x, slots, 0.0, lim_x, -1, "x"),
             _hidden_nodes(run, slots, y_h, lim_h, -1, h0_slot=None),
             _io_nodes(run.y, slots, y_y, lim_y, -1, "y")]
    return _diagram_figure(nodes, cv, 6, y_y)


# -- h_t over time --------------------------------------------------------------------------------------
def exploded(run: UnrolledRun) -> bool:
    """Whether the state left the range a linear axis can show: beyond ±10⁴ (HUGE) or not finite at all."""
    h = np.abs(np.asarray(run.h, dtype=float))
    return bool((~np.isfinite(h)).any() or h.max(initial=0.0) >= HUGE)


def hidden_over_time(run: UnrolledRun, step: int | None = None) -> go.Figure:
    """Input (and output) on top; below, h_t as a line (H = 1) or a time × unit heatmap (H > 1, zmid = 0).

    When the state explodes (``exploded``) the lower panel switches to a log axis of |h_t| (or ‖h_t‖ for
    H > 1), so the growth stays visible all the way, and steps beyond the float range are marked on the top
    edge and shaded — never a line that silently stops. A vertical line marks ``step``.
    """
    t = np.arange(1, run.steps + 1)
    mode = "lines+markers" if run.steps <= 60 else "lines"
    top = {"xaxis": "x", "yaxis": "y2"}
    traces = [{"type": "scatter", "x": t, "y": f32(run.x), "mode": mode, "name": "input x<sub>t</sub>",
               "line": {"color": ORANGE, "width": 2}, "marker": {"size": 5}, **top}]
    big = exploded(run)
    if not big:
        traces.append({"type": "scatter", "x": t, "y": f32(run.y), "mode": mode, "name": "output y<sub>t</sub>",
                        "line": {"color": GREEN, "width": 2, "dash": "dot"}, "marker": {"size": 5}, **top})
    lower, y_axis, shapes, anns = (_log_state(run, t) if big else
                                   _line_state(run, t, mode) if run.hidden == 1 else _heat_state(run, t))
    if step is not None:
        shapes.append({"type": "line", "x0": step + 1, "x1": step + 1, "xref": "x", "y0": 0, "y1": 1,
                       "yref": "paper", "line": {"color": HIGHLIGHT, "width": 2, "dash": "dash"}, "opacity": 0.8})
    lay = layout(height=440, hovermode="x unified" if run.hidden == 1 or big else "closest", shapes=shapes,
                 annotations=anns, xaxis=axis("time step t", anchor="y"), yaxis=y_axis,
                 yaxis2=axis("x<sub>t</sub>" if big else "x<sub>t</sub>, y<sub>t</sub>", domain=[0.74, 1.0],
                             anchor="x"))
    return figure(traces + lower, lay)


def _line_state(run: UnrolledRun, t: np.ndarray, mode: str) -> tuple[list, dict, list, list]:
    trace = {"type": "scatter", "x": t, "y": f32(run.h[:, 0]), "mode": mode, "name": "hidden h<sub>t</sub>",
             "line": {"color": BLUE, "width": 3}, "marker": {"size": 6}, "xaxis": "x", "yaxis": "y"}
    return [trace], axis("h<sub>t</sub>", domain=[0, 0.66]), [], []


def _heat_state(run: UnrolledRun, t: np.ndarray) -> tuple[list, dict, list, list]:
    lim = symmetric_limit(run.h)
    trace = {"type": "heatmap", "x": t, "y": np.arange(1, run.hidden + 1), "z": f32(np.clip(run.h.T, -lim, lim)),
             "colorscale": DIVERGING, "zmid": 0.0, "zmin": -lim, "zmax": lim, "name": "h",
             "colorbar": colorbar("h value", y=0.33, len=0.66), "xgap": 1 if run.steps <= 60 else 0, "ygap": 1,
             "hovertemplate": "t = %{x}<br>unit %{y}<br>h = %{z:.3f}<extra></extra>", "xaxis": "x", "yaxis": "y"}
    return [trace], axis("hidden unit", domain=[0, 0.66], dtick=1, autorange="reversed"), [], []


def _log_state(run: UnrolledRun, t: np.ndarray) -> tuple[list, dict, list, list]:
    """|h_t| (H = 1) or ‖h_t‖ and |y_t| (H > 1) on a log axis; non-finite steps on the top edge, shaded."""
    with np.errstate(over="ignore", invalid="ignore"):
        size = np.abs(run.h[:, 0]) if run.hidden == 1 else np.linalg.norm(run.h, axis=1)
    name = "|h<sub>t</sub>|" if run.hidden == 1 else "‖h<sub>t</sub>‖"
    series = [(size, name, BLUE, None)] + ([] if run.hidden == 1 else [(run.y, "|y<sub>t</sub>|", GREEN, "dot")])
    floor, ceil = log_limits(*(v for v, *_ in series))
    traces = []
    for values, label, color, dash in series:
        traces += log_traces(t, values, name=label, color=color, dash=dash, floor=floor, ceil=ceil,
                             hover=f"{label} = %{{y:.3g}}", mode="lines")
    shapes, anns = [], []
    bad = np.flatnonzero(~np.isfinite(size))
    if bad.size:
        k = int(bad[0]) + 1
        shapes.append({"type": "rect", "xref": "x", "yref": "y domain", "x0": k - 0.5, "x1": run.steps + 0.5,
                       "y0": 0, "y1": 1, "fillcolor": "rgba(213, 94, 0, 0.10)", "line": {"width": 0},
                       "layer": "below"})
        anns.append(note(f"beyond the float range from t = {k}", k, 1.0, xref="x", yref="y domain",
                         yanchor="top", color=HIGHLIGHT))
    y_axis = axis(f"{name} (log scale)", domain=[0, 0.66], type="log", range=log_axis_range(floor, ceil),
                  exponentformat="power")
    return traces, y_axis, shapes, anns


# -- the activation with a_t marked ---------------------------------------------------------------------
def curve_extent(a_t: np.ndarray, floor: float = 4.0, cap: float = 1e6) -> float:
    """How wide to draw the activation: at least ±4 (where tanh and σ flatten), wide enough to show every
    finite a_t, rounded up to a whole number so a cached curve is reused across nearby steps."""
    finite = np.abs(np.asarray(a_t, dtype=float))
    finite = finite[np.isfinite(finite)]
    return float(min(max(floor, np.ceil(1.15 * finite.max(initial=0.0))), cap))


def activation_marker(curve: tuple[np.ndarray, np.ndarray], a_t: np.ndarray, h_t: np.ndarray,
                      name: str) -> go.Figure:
    """The activation function with (a_t, h_t) points on it: where the given steps and units sit on the curve."""
    a, y = curve
    ok = np.isfinite(a_t) & np.isfinite(h_t)
    traces = [
        {"type": "scatter", "x": f32(a), "y": f32(y), "mode": "lines", "line": {"color": BLUE, "width": 3},
         "name": name, "hoverinfo": "skip"},
        # a point beyond the drawn curve (an exploding state) sits on its edge instead of overflowing float32
        {"type": "scatter", "x": f32(np.clip(a_t[ok], a[0], a[-1])), "y": f32(np.clip(h_t[ok], y.min(), y.max())),
         "mode": "markers", "name": "steps",
         # opaque (a translucent vermillion falls below 3:1 on the light page); the page-coloured outline separates
         # points that overlap
         "marker": {"color": HIGHLIGHT, "size": 9, "line": {"color": PAPER, "width": 1}},
         "hovertemplate": "a = %{x:.3f}<br>h = %{y:.3f}<extra></extra>"},
    ]
    lay = layout(height=240, legend=False, hovermode="closest", margin={"l": 10, "r": 10, "t": 10, "b": 10},
                 xaxis=axis("pre-activation a<sub>t</sub>"), yaxis=axis("h<sub>t</sub>"))
    return figure(traces, lay)


# -- the update equation with numbers -------------------------------------------------------------------
_ACT_TEX = {"tanh": r"\tanh", "sigmoid": r"\sigma", "relu": r"\operatorname{ReLU}",
            "leaky_relu": r"\operatorname{LeakyReLU}", "elu": r"\operatorname{ELU}", "identity": r"\operatorname{id}"}


def _vec(values: np.ndarray, digits: int = 2) -> str:
    return r"\begin{bmatrix}" + r"\\".join(tex(v, digits) for v in values) + r"\end{bmatrix}"


def _mat(m: np.ndarray, digits: int = 2) -> str:
    rows = [" & ".join(tex(v, digits) for v in row) for row in m]
    return r"\begin{bmatrix}" + r"\\".join(rows) + r"\end{bmatrix}"


def step_equation(run: UnrolledRun, step: int) -> str:
    """LaTeX for the update at ``step`` with the actual numbers (an ``aligned`` block for st.latex).

    H = 1: scalars, a_t = w_in x_t + w h_{t-1} + b, h_t = act(a_t), y_t = v h_t + c.
    H > 1: the same in matrix form, vectors written out.
    """
    if not 0 <= step < run.steps:
        raise ValueError(f"step: expected 0 to {run.steps - 1}, got {step}")
    t, tp = step + 1, step
    act = _ACT_TEX.get(run.config.activation, r"\phi")
    x, a, h, hp, y = run.x[step], run.a[step], run.h[step], run.h_prev[step], run.y[step]
    cfg = run.config
    if run.hidden == 1:
        lines = [
            rf"a_{{{t}}} &= w_{{\text{{in}}}}\,x_{{{t}}} + w\,h_{{{tp}}} + b"
            rf" = {tex(cfg.w_in)}\cdot{tex_paren(x)} + {tex(cfg.w_rec)}\cdot{tex_paren(hp[0], 3)}"
            rf" + {tex_paren(cfg.bias)}"
            rf" = {tex(a[0], 3)}",
            rf"h_{{{t}}} &= {act}(a_{{{t}}}) = {act}({tex(a[0], 3)}) = \mathbf{{{tex(h[0], 3)}}}",
            rf"y_{{{t}}} &= v\,h_{{{t}}} + c = {tex(run.v[0])}\cdot{tex_paren(h[0], 3)} + {tex(run.c)}"
            rf" = {tex(y, 3)}",
        ]
    else:
        # Matrices of H×H numbers do not fit beside the picture; the three contributions to a_t do,
        # and they are the point: new input + carried-over memory + bias.
        lines = [
            rf"a_{{{t}}} &= W_{{ih}}\,x_{{{t}}} + W_{{hh}}\,h_{{{tp}}} + b"
            rf" \qquad x_{{{t}}} = {tex(x)}",
            rf"&= \underbrace{{{_vec(run.from_input[step])}}}_{{\text{{input}}}} + "
            rf"\underbrace{{{_vec(run.from_memory[step])}}}_{{\text{{memory}}}} + "
            rf"\underbrace{{{_vec(run.b)}}}_{{\text{{bias}}}} = {_vec(a)}"
            rf" \;\xrightarrow{{\;{act}\;}}\; h_{{{t}}} = {_vec(h)}",
            rf"y_{{{t}}} &= v^\top h_{{{t}}} + c = {tex(y, 3)}",
        ]
    return r"\begin{aligned}" + r"\\[4pt]".join(lines) + r"\end{aligned}"
