"""The unrolled RNN as a film strip: drag the slider under the diagram (or press play) and the highlighted step,
its numbers and the equation follow the hand, with no trip to the server.

Every step's values come from the run (computed once by the engine); the figure holds one Plotly frame per step
and each frame changes only scatter traces — node colours, labels, the highlight, the equation — so the browser
switches frames without redrawing the chart (``kit.scrub``, ``redraw=False``).

A sequence of up to ``MAX_COLUMNS`` steps is drawn whole and the highlight moves along it. A longer one is seen
through a window of ``WINDOW`` steps that slides along with the selected step, which stays in the middle.
Pure functions of an ``UnrolledRun``; no Streamlit.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons.kit.canvas import Canvas, frozen_axes
from lessons.kit.numbers import fit, num
from lessons.kit.scrub import animated
from lessons.kit.theme import HIGHLIGHT, NEUTRAL, contrast_text, figure, layout
from lessons.unrolled.figures import (
    MARGIN,
    NODE_PX,
    PX_PER_UNIT,
    _layout_rows,
    _limits,
    _node_trace,
    _row_labels,
    _weight_texts,
    up_arrows,
)
from lessons.unrolled.recipe import UnrolledRun

MAX_COLUMNS = 15  # a sequence this long is drawn whole; a longer one through a window of WINDOW steps
WINDOW = 11  # steps visible at once in a long sequence (odd: the selected one sits in the middle)
ACT_TEXT = {"tanh": "tanh", "sigmoid": "σ", "relu": "ReLU", "leaky_relu": "LeakyReLU", "elu": "ELU",
            "identity": "id"}
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


COLUMN_PX = 44  # a node (NODE_PX) and its label need this much width per step
COLOUR_BAR_PX = 90


def min_width(steps: int) -> int:
    """The narrowest the film can be drawn without its nodes and labels overlapping (px): a phone scrolls it."""
    span = max(columns(steps) + 1, 9) + 0.2  # the x range drawn, in columns
    return int(span * COLUMN_PX + MARGIN["l"] + MARGIN["r"] + COLOUR_BAR_PX)


def columns(steps: int) -> int:
    return steps if steps <= MAX_COLUMNS else WINDOW


def first_row(steps: int, selected: int) -> int:
    """The first step (0-based row) in view when ``selected`` is highlighted."""
    n = columns(steps)
    return int(np.clip(selected - n // 2, 0, steps - n)) if n < steps else 0


def equation(run: UnrolledRun, step: int) -> str:
    """The step's update with its numbers, as plain text for the figure (subscripts in Unicode)."""
    t, act = step + 1, ACT_TEXT.get(run.config.activation, "act")
    ts, ps = str(t).translate(SUB), str(t - 1).translate(SUB)
    if run.hidden == 1:
        cfg, hp = run.config, run.h_prev[step, 0]
        return (f"a{ts} = {num(cfg.w_in)}·{num(run.x[step])} + {num(cfg.w_rec)}·{num(hp, 3)} + {num(cfg.bias)} "
                f"= {num(run.a[step, 0], 3)}   →   h{ts} = {act}(a{ts}) = <b>{num(run.h[step, 0], 3)}</b>   →   "
                f"y{ts} = {num(run.y[step], 3)}")
    shown = ", ".join(num(v) for v in run.h[step, :3]) + (", …" if run.hidden > 3 else "")
    return (f"x{ts} = {num(run.x[step])}   →   h{ts} = {act}(W_ih·x{ts} + W_hh·h{ps} + b) = [{shown}]   →   "
            f"y{ts} = {num(run.y[step], 3)}")


def _slot_rows(steps: int, step: int) -> list[tuple[float, int]]:
    """(x, row) of the visible columns; row -1 is the state before the window (h_0 when it starts at 1)."""
    first, n = first_row(steps, step), columns(steps)
    return [(0.0, first - 1)] + [(float(k + 1), first + k) for k in range(n)]


class _Cells:
    """Every value the film can show, formatted once: per row of the diagram (x, y: (T,); h: (T + 1, H) with
    h_0 first) the colour value, the label, the label's ink and the exact value for hover."""

    def __init__(self, run: UnrolledRun):
        lim_x, lim_h, lim_y = _limits(run)
        states = np.vstack([np.zeros((1, run.hidden)), run.h])  # row r + 1 is h after step r; row 0 is h_0
        self.rows = {"x": self._prepare(run.x, lim_x), "y": self._prepare(run.y, lim_y),
                     "h": self._prepare(states.ravel(), lim_h)}
        self.hidden = run.hidden

    @staticmethod
    def _prepare(values: np.ndarray, limit: float) -> dict:
        vals = np.asarray(values, dtype=float)
        color = np.clip(np.nan_to_num(vals, nan=0.0, posinf=limit, neginf=-limit), -limit, limit)
        # Four significant digits are plenty for a colour and a hover label, and keep every frame short.
        short = np.array([float(f"{v:.4g}") for v in vals], dtype=object)
        return {"color": np.array([float(f"{c:.3g}") for c in color], dtype=object),
                "text": np.array([fit(v) for v in vals], dtype=object),
                "ink": np.array([contrast_text(v, limit) for v in color], dtype=object), "exact": short}

    def take(self, name: str, index: np.ndarray, labelled: bool) -> dict:
        """The frame's update of one row of nodes: colours, labels and hover values (outlines never change: the
        selected step is ringed by a trace of its own)."""
        row = self.rows[name]
        out = {"marker": {"color": row["color"][index].tolist()}, "customdata": row["exact"][index].tolist()}
        if labelled:
            out |= {"text": row["text"][index].tolist(), "textfont": {"color": row["ink"][index].tolist()}}
        return out


def _dynamic(run: UnrolledRun, cells: _Cells, step: int, geo: dict) -> list[dict]:
    """What changes from step to step, in the order of DYNAMIC: only the changing attributes are sent."""
    slots = _slot_rows(run.steps, step)
    sel = next(x for x, r in slots if r == step)
    H = run.hidden
    rows = np.array([r for _, r in slots[1:]])
    h_index = (np.array([r for _, r in slots])[:, None] + 1) * H + np.arange(H)  # rows of the flat h values
    first = slots[0][1]
    time_text = ["start" if first < 0 else f"t = {first + 1}"]
    time_text += [f"<b>t = {row + 1}</b>" if row == step else f"t = {row + 1}" for _, row in slots[1:]]
    time_ink = [NEUTRAL] + [HIGHLIGHT if row == step else NEUTRAL for _, row in slots[1:]]
    return [{"x": [sel - 0.46, sel + 0.46, sel + 0.46, sel - 0.46, sel - 0.46]},
            {"x": [sel] * (2 + H)},
            cells.take("x", rows, True), cells.take("h", h_index.ravel(), H == 1), cells.take("y", rows, True),
            {"text": time_text, "textfont": {"color": time_ink}},
            {"x": [sel + 0.06, sel + 0.06]},
            {"text": [equation(run, step)]}]


def _dynamic_base(run: UnrolledRun, geo: dict) -> list[dict]:
    """The dynamic traces' fixed parts (positions, sizes, colour scales), filled in by the first frame."""
    H, top = run.hidden, geo["top"]
    lim_x, lim_h, lim_y = _limits(run)
    n = columns(run.steps)
    xs = [float(k + 1) for k in range(n)]
    offsets = np.zeros(1) if H == 1 else (np.arange(H)[::-1] - (H - 1) / 2) * geo["cell"]
    hx = np.repeat([0.0] + xs, H).tolist()
    hy = np.tile(geo["y_h"] + offsets, n + 1).tolist()
    hover = {"x": "x = %{customdata:.4g}", "y": "y = %{customdata:.4g}", "h": "h = %{customdata:.4g}"}
    band = {"type": "scatter", "x": [], "y": [-0.7, -0.7, top, top, -0.7], "fill": "toself", "mode": "lines",
            "fillcolor": "rgba(213, 94, 0, 0.10)", "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False}
    nodes = [_node_trace(xs, [geo["y_x"]] * n, np.zeros(n), lim_x, name="x", symbol="circle", size=NODE_PX,
                         texts=[""] * n, hover=[], line_width=[1.0] * n, show_scale=False),
             _node_trace(hx, hy, np.zeros(len(hx)), lim_h, name="h", symbol="circle" if H == 1 else "square",
                         size=NODE_PX if H == 1 else geo["cell"] * PX_PER_UNIT - 3,
                         texts=[""] * len(hx) if H == 1 else None, hover=[], line_width=[1.0] * len(hx),
                         show_scale=True),
             _node_trace(xs, [geo["y_y"]] * n, np.zeros(n), lim_y, name="y", symbol="circle", size=NODE_PX,
                         texts=[""] * n, hover=[], line_width=[1.0] * n, show_scale=False)]
    for node, name in zip(nodes, ("x", "h", "y"), strict=True):
        node.pop("hovertext", None)
        node["hoverinfo"], node["hovertemplate"] = None, hover[name] + "<extra></extra>"
    text = {"type": "scatter", "mode": "text", "hoverinfo": "skip", "showlegend": False, "cliponaxis": False}
    ring_size = NODE_PX + 6 if H == 1 else geo["cell"] * PX_PER_UNIT + 3
    rings = {"type": "scatter", "x": [], "y": [geo["y_x"], geo["y_y"], *(geo["y_h"] + offsets)], "mode": "markers",
             "marker": {"symbol": ["circle-open"] * 2 + ["circle-open" if H == 1 else "square-open"] * H,
                        "size": [NODE_PX + 6] * 2 + [ring_size] * H, "color": HIGHLIGHT, "line": {"width": 3}},
             "hoverinfo": "skip", "showlegend": False, "cliponaxis": False}
    times = {**text, "x": [0.0] + xs, "y": [geo["y_x"] - 0.52] * (n + 1), "text": [""] * (n + 1),
             "textfont": {"size": 12}}
    r = NODE_PX / 2 + 2
    w_in_txt, _, v_txt = _weight_texts(run)
    weights = {**text, "x": [], "y": [(geo["y_x"] + geo["y_h"] - geo["edge"]) / 2, geo["y_y"] - r / PX_PER_UNIT - 0.2],
               "text": [w_in_txt, v_txt], "textposition": "middle right", "textfont": {"size": 11, "color": NEUTRAL}}
    eq = {**text, "x": [-0.5], "y": [top + 0.12], "text": [""], "textposition": "middle right",
          "textfont": {"size": 14}}
    return [band, rings, *nodes, times, weights, eq]


def _static(run: UnrolledRun, geo: dict) -> tuple[Canvas, int]:
    """The parts that never move: wires, arrowheads, the recurrent weight on every arrow, the row labels."""
    cv = Canvas()
    n = columns(run.steps)
    positions = [float(k) for k in range(n + 1)]
    rec_x = [(a + b) / 2 for a, b in zip(positions[:-1], positions[1:], strict=True)]
    y_x, y_h, y_y, edge, H = geo["y_x"], geo["y_h"], geo["y_y"], geo["edge"], run.hidden
    cv.segment(0.0, y_h, float(n), y_h)
    for mx in rec_x:
        cv.head(mx, y_h, "triangle-right")
    r = NODE_PX / 2 + 2
    up_arrows(cv, positions[1:], y_x, y_h - edge, start_px=r, end_px=(r if H == 1 else 3))
    up_arrows(cv, positions[1:], y_h + edge, y_y, start_px=(r if H == 1 else 3), end_px=r)
    lift = (r / PX_PER_UNIT if H == 1 else edge) + 0.14
    _, w_rec_txt, _ = _weight_texts(run)
    cv.label(rec_x, [y_h + lift] * len(rec_x), [w_rec_txt] * len(rec_x))
    _row_labels(cv, y_x, y_h, y_y)
    return cv, n


# The traces that follow the slider, after the static ones, in this order.
DYNAMIC = ("band", "rings", "x nodes", "h nodes", "y nodes", "time labels", "weight labels", "equation")
NODE_TRACES = ("x nodes", "h nodes", "y nodes")


def film(run: UnrolledRun, start: int, link_key: str | None = None) -> go.Figure:
    """The unrolled diagram with a slider over every step (starting at ``start``, 0-based) and play buttons;
    the slider's position goes into the URL under ``link_key`` (see kit.scrub)."""
    if not 0 <= start < run.steps:
        raise ValueError(f"start: expected 0 to {run.steps - 1}, got {start}")
    y_h, stack, y_y = _layout_rows(run.hidden)
    geo = {"y_x": 0.0, "y_h": y_h, "y_y": y_y, "edge": stack / 2, "top": y_y + 0.4, "limits": _limits(run),
           "cell": stack / run.hidden if run.hidden > 1 else 0.0}
    cv, n = _static(run, geo)
    static = cv.traces()
    cells = _Cells(run)
    updates = [_dynamic(run, cells, s, geo) for s in range(run.steps)]
    dynamic = [_merge(base, update) for base, update in zip(_dynamic_base(run, geo), updates[start], strict=True)]
    # A sequence drawn whole keeps its nodes still (only the highlight moves): frames leave them out, which
    # makes each switch cheaper. Through a sliding window every node changes with the step.
    moving = [k for k, name in enumerate(DYNAMIC) if n < run.steps or name not in NODE_TRACES]
    frames = [{"data": [update[k] for k in moving], "traces": [len(static) + k for k in moving]}
              for update in updates]
    height = int((y_y + 0.9 + 0.75) * PX_PER_UNIT) + MARGIN["t"] + MARGIN["b"]
    lay = layout(height=height, legend=False, hovermode="closest", margin={**MARGIN, "t": 36}, dragmode=False,
                 **cv.layout_items(), **frozen_axes([-0.6, max(n + 1, 9) - 0.4], [-0.75, y_y + 0.75]))
    base = figure(static + dynamic, lay)
    return animated(base, frames, [str(s + 1) for s in range(run.steps)], start, prefix="step t = ", redraw=False,
                    link_key=link_key)


def _merge(base: dict, update: dict) -> dict:
    """``base`` with ``update`` laid over it, nested dicts merged (what a frame does to a trace)."""
    out = dict(base)
    for key, value in update.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
