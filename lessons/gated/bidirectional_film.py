"""The bidirectional LSTM as a film: drag the slider under the picture (or press play) and the step cursor, what
the output at that step depends on, and the step's numbers follow the hand, with no trip to the server.

One figure, one time axis, top to bottom: a line of text with the step's numbers; the input and both directions'
states (the heatmap stack of ``bidirectional_figures.direction_heatmaps``, drawn once); the *profile* of the
output at step t — ‖∂h→_t/∂x_s‖ and ‖∂h←_t/∂x_s‖ against the input step s, on a log axis. The forward line
stops at the cursor, the backward line starts there.

Every step's profile is a row of the Jacobians ``bidirectional_recipe.sensitivity`` computed once for every t;
each frame changes only scatter traces (the two profile lines, the cursor rectangles, the step label and the
text), so the browser switches frames without redrawing the heatmaps (``kit.scrub``, ``redraw=False``).
Pure functions of the recipe's arrays; no Streamlit.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from lessons.gated.bidirectional_figures import BACKWARD, FORWARD, direction_heatmaps
from lessons.gated.bidirectional_recipe import BiRun, Sensitivity
from lessons.gated.stories import FADES, power
from lessons.kit.heatmaps import steps_of
from lessons.kit.scrub import animated
from lessons.kit.theme import HIGHLIGHT, figure

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
DECADES = 10  # the profile's log axis shows this many powers of ten below the largest value; smaller ones run off
TEXT_PX = 84  # the step's numbers: four lines of 13 px text
LABEL_PX = 22  # the "t = 7" label above the input row
GAP_PX = 56  # the heatmaps' step numbers and the profile's colour key
PROFILE_PX = 200
# The text lines and the heatmaps' row labels need this width (px); on a phone the film scrolls sideways.
MIN_WIDTH = 560


# -- the step's numbers, as text inside the figure ---------------------------------------------------------
def _h(arrow: str, t: int) -> str:
    return f"h{arrow}{str(t).translate(SUB)}"


def _x(s: int) -> str:
    return f"x{str(s).translate(SUB)}"


def _half_line(name: str, arrow: str, row: np.ndarray, t: int, far: int) -> str:
    """What one half has read at step t and how its output depends on the nearest and the farthest input."""
    h = _h(arrow, t)
    near_part = f"‖∂{h}/∂{_x(t)}‖ = {power(row[t - 1])}"
    if far == t:
        return f"{name} {h} has read only {_x(t)}:  {near_part}"
    # In reading order: the forward half x₁…x_t, the backward half x_T…x_t.
    return (f"{name} {h} has read {_x(far)}…{_x(t)}:  {near_part}  …  "
            f"‖∂{h}/∂{_x(far)}‖ = {power(row[far - 1])}")


def fades(row: np.ndarray, t: int, far: int) -> bool:
    """The farthest input counts less than ``FADES`` of the nearest (the page says "fades with distance")."""
    return bool(row[far - 1] < FADES * row[t - 1])


def verdict(forward_row: np.ndarray, backward_row: np.ndarray, t: int) -> str:
    """Whether each half's dependence fades from the nearest input (x_t) to the farthest one it has read."""
    T = len(forward_row)
    halves = [(name, fades(row, t, far)) for name, row, far in (("forward", forward_row, 1),
                                                                 ("backward", backward_row, T)) if far != t]
    if not halves:
        return "With a single step both halves see only x₁."
    if all(faded for _, faded in halves):
        return "It fades with distance: memory is finite in each direction."
    strong = [name for name, faded in halves if not faded]
    if len(strong) == 2:
        return "Both halves still depend strongly on their farthest input here."
    return f"The {strong[0]} half still depends strongly on its farthest input here."


def step_text(sens: Sensitivity, t: int) -> str:
    """The figure's text at step t (1..T): the output's parts, what each half has read, its dependence on the
    nearest and the farthest input it has read (from the Jacobians) and whether that fades. Numbers and fixed
    words only (Plotly renders tags in text)."""
    fwd, bwd = sens.forward[t - 1], sens.backward[t - 1]
    T = len(fwd)
    return "<br>".join([
        f"<b>t = {t}</b>:  output y{str(t).translate(SUB)} = [{_h('→', t)} ; {_h('←', t)}]",
        _half_line("forward", "→", fwd, t, 1),
        _half_line("backward", "←", bwd, t, T),
        verdict(fwd, bwd, t),
    ])


# -- the geometry -------------------------------------------------------------------------------------------
def profile_decades(sens: Sensitivity) -> tuple[int, int]:
    """(lowest, highest) power of ten on the profile's axis: every value up to ``DECADES`` below the largest."""
    vals = np.concatenate([sens.forward.ravel(), sens.backward.ravel()])
    good = vals[np.isfinite(vals) & (vals > 0)]
    if good.size == 0:
        return -1, 1
    hi = math.ceil(math.log10(good.max()))
    return max(math.floor(math.log10(good.min())), hi - DECADES), hi


def _squeezed(stack: dict, bottom: float, top: float) -> dict:
    """The heatmap stack's layout moved from the whole paper into the band [bottom, top] (paper): its axes'
    domains and its colour bars. Its shapes are drawn in data coordinates and need no change."""
    scale = top - bottom
    out = dict(stack)
    for key, value in stack.items():
        if key.startswith("yaxis") and "domain" in value:
            lo, hi = value["domain"]
            out[key] = {**value, "domain": [bottom + lo * scale, bottom + hi * scale]}
        elif key.startswith("coloraxis") and "colorbar" in value:
            bar = value["colorbar"]
            out[key] = {**value, "colorbar": {**bar, "y": bottom + bar["y"] * scale, "len": bar["len"] * scale}}
    return out


def _stack_px(stack: dict) -> float:
    """The height of the heatmap stack's plot area (px), as heatmap_stack sized it."""
    margin = stack.get("margin") or {}
    return stack["height"] - margin.get("t", 0) - margin.get("b", 0)


def _box(t: int, y0: float, y1: float) -> dict:
    return {"x": [t - 0.5, t + 0.5, t + 0.5, t - 0.5, t - 0.5], "y": [y0, y0, y1, y1, y0]}


def _bands(stack: dict) -> dict:
    """Where each part sits (paper, bottom to top: profile, gap, heatmap stack, step label, text) and the height
    of the whole plot area (px)."""
    stack_px = _stack_px(stack)
    total = PROFILE_PX + GAP_PX + stack_px + LABEL_PX + TEXT_PX
    profile_top = PROFILE_PX / total
    stack_bottom = (PROFILE_PX + GAP_PX) / total
    stack_top = (PROFILE_PX + GAP_PX + stack_px) / total
    return {"px": total, "profile": [0.0, profile_top], "stack": (stack_bottom, stack_top),
            "text": [1 - TEXT_PX / total, 1.0]}


# -- the film -------------------------------------------------------------------------------------------------
# The traces that follow the slider, after the heatmap stack's, in this order.
DYNAMIC = ("forward profile", "backward profile", "input cursor", "state cursor", "profile cursor", "step label",
           "numbers")


def _short(values: np.ndarray) -> list:
    """Four significant digits (a short payload), None where a half cannot see (a gap in its line)."""
    return [float(f"{v:.4g}") if v > 0 else None for v in values.tolist()]


def _frames(sens: Sensitivity) -> list[list[dict]]:
    """Every step's update of the DYNAMIC traces: only what changes (the lines' y, the cursors' x, the texts)."""
    T = len(sens.forward)
    out = []
    for t in range(1, T + 1):
        box = _box(t, 0, 0)["x"]
        out.append([{"y": _short(sens.forward[t - 1])}, {"y": _short(sens.backward[t - 1])},
                    {"x": box}, {"x": box}, {"x": box},
                    {"x": [t], "text": [f"<b>t = {t}</b>"]}, {"text": [step_text(sens, t)]}])
    return out


def _dynamic_base(T: int, limits: dict, start: int) -> list[dict]:
    """The dynamic traces' fixed parts (axes, colours, the cursors' heights), at step ``start``."""
    s = steps_of(T)
    line = {"type": "scatter", "x": s, "xaxis": "x3", "yaxis": "y3", "mode": "lines+markers",
            "marker": {"size": 5}, "showlegend": False}
    profiles = [{**line, "name": name, "line": {"color": color, "width": 2.5}, "marker": {"size": 5, "color": color},
                 "hovertemplate": "x<sub>%{x}</sub>: %{y:.3g}<extra>" + name + "</extra>"}
                for name, color in (("forward →", FORWARD), ("backward ←", BACKWARD))]
    rim = {"type": "scatter", "mode": "lines", "fill": "toself", "fillcolor": "rgba(213, 94, 0, 0.08)",
           "line": {"color": HIGHLIGHT, "width": 2.5}, "hoverinfo": "skip", "showlegend": False}
    cursors = [{**rim, **_box(start, *limits[axes]), "xaxis": axes[0], "yaxis": axes[1]}
               for axes in (("x", "y"), ("x2", "y2"), ("x3", "y3"))]
    text = {"type": "scatter", "mode": "text", "hoverinfo": "skip", "showlegend": False, "cliponaxis": False}
    label = {**text, "x": [start], "y": [limits[("x", "y")][1]], "xaxis": "x", "yaxis": "y",
             "textposition": "top center", "textfont": {"color": HIGHLIGHT, "size": 13}}
    numbers = {**text, "x": [0.0], "y": [0.5], "xaxis": "x4", "yaxis": "y4", "textposition": "middle right",
               "textfont": {"size": 13}}
    return [*profiles, *cursors, label, numbers]


def _layout(stack: dict, bands: dict, decades: tuple[int, int], T: int) -> dict:
    """The stack's layout squeezed into its band, the profile's axes under it and the text's axes over it."""
    lo, hi = decades
    lay = _squeezed(stack, *bands["stack"])
    lay["xaxis2"] = {**lay["xaxis2"], "title": None}  # the profile under it names the steps
    lay["xaxis3"] = {"anchor": "y3", "matches": "x", "range": [0.5, T + 0.5], "showgrid": False, "automargin": True,
                     "title": {"text": "input step s   (← the past · the future →)"}}
    lay["yaxis3"] = {"domain": bands["profile"], "type": "log", "range": [lo - 0.2, hi + 0.2], "automargin": True,
                     "exponentformat": "power", "dtick": 1 if hi - lo <= 6 else 2,
                     "gridcolor": stack["yaxis"]["gridcolor"],
                     "title": {"text": "‖∂h<sub>t</sub> / ∂x<sub>s</sub>‖", "font": {"size": 13}}}
    lay["xaxis4"] = {"domain": [0, 1], "anchor": "y4", "range": [0, 1], "visible": False, "fixedrange": True}
    lay["yaxis4"] = {"domain": bands["text"], "anchor": "x4", "range": [0, 1], "visible": False, "fixedrange": True}
    top = bands["profile"][1]
    lay["annotations"] = [*stack.get("annotations", ()), *(
        {"x": x, "y": top, "xref": "paper", "yref": "paper", "text": text, "showarrow": False, "xanchor": "center",
         "yanchor": "bottom", "font": {"color": color, "size": 13}}
        for x, text, color in ((0.25, "<b>forward →</b> sees s ≤ t", FORWARD),
                               (0.75, "<b>← backward</b> sees s ≥ t", BACKWARD)))]
    lay["margin"] = {**stack["margin"], "t": 10, "b": 10}
    lay["height"] = int(bands["px"]) + 20
    lay["dragmode"] = False
    return lay


def film(run: BiRun, sens: Sensitivity, start: int, link_key: str | None = None) -> go.Figure:
    """Both directions' states with a slider over every step t (starting at ``start``, 1..T) and play buttons:
    the cursor, the output's profile over the inputs and the step's numbers follow the slider, whose position
    goes into the URL under ``link_key`` (see kit.scrub)."""
    T = len(run.x)
    if not 1 <= start <= T:
        raise ValueError(f"start: expected a step from 1 to {T}, got {start}")
    heat = direction_heatmaps(run.x, run.forward, run.backward, None)
    stack = heat.layout.to_plotly_json()
    decades = profile_decades(sens)
    limits = {("x", "y"): tuple(stack["yaxis"]["range"]), ("x2", "y2"): tuple(sorted(stack["yaxis2"]["range"])),
              ("x3", "y3"): (10.0 ** (decades[0] - 0.2), 10.0 ** (decades[1] + 0.2))}
    static = [trace.to_plotly_json() for trace in heat.data]
    updates = _frames(sens)
    dynamic = [_merge(base, update) for base, update in zip(_dynamic_base(T, limits, start), updates[start - 1],
                                                            strict=True)]
    indices = list(range(len(static), len(static) + len(DYNAMIC)))
    frames = [{"data": update, "traces": indices} for update in updates]
    base = figure(static + dynamic, _layout(stack, _bands(stack), decades, T))
    return animated(base, frames, [str(t) for t in steps_of(T)], start - 1, prefix="step t = ", redraw=False,
                    link_key=link_key)


def _merge(base: dict, update: dict) -> dict:
    """``base`` with ``update`` laid over it (what a frame does to a trace; updates here are flat)."""
    return {**base, **update}
