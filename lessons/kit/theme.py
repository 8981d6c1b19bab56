"""Shared look for every Unrolled figure: colours, the diverging scale, the house layout and legends.

Pure Python + Plotly (no Streamlit). Figures are shown with ``st.plotly_chart(..., theme="streamlit")``,
which supplies text and grid colours for the viewer's light or dark theme; so this module sets
fonts, spacing and transparent backgrounds but never a text colour that would fight the theme.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from lessons.kit.scrub import FramedFigure

FONT_FAMILY = '"Source Sans", "Source Sans Pro", "Helvetica Neue", Arial, sans-serif'
MONO_FAMILY = '"Source Code Pro", "SFMono-Regular", Menlo, Consolas, monospace'

# Okabe & Ito (2008): eight colours that stay distinguishable for deuteranopes, protanopes and
# tritanopes. Use them in this order for lines; name them when a colour carries meaning.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
BLACK = "#000000"
QUALITATIVE = [BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, BLACK]

# How each colour is drawn in each theme so that it meets WCAG AA against the page: text 4.5:1, marks (lines,
# markers, bars) 3:1. No mid-tone colour can meet 4.5:1 on both a white and a near-black page, so figures keep
# using the colours above and lessons/kit/chrome.py remaps them per theme in the browser (CSS on Plotly's inline
# styles). Worked out by darkening (light page) or lightening (dark page) each colour's HLS lightness until the
# ratio holds; hue and saturation are kept, so the colour-blind-safe pairs stay apart. "#808495" is the grey
# Streamlit's chart theme gives tick labels in light mode (3.6:1).
THEME_VARIANTS = {
    "light": {"text": {"#E69F00": "#986900", "#009E73": "#00835F", "#D55E00": "#BE5400", "#56B4E9": "#1778AF",
                       "#CC79A7": "#BA4A88", "#F0E442": "#7D750A", "#8A94A3": "#697485", "#808495": "#6E7283"},
              "mark": {"#E69F00": "#C18600", "#56B4E9": "#1D99DF", "#CC79A7": "#CB77A5", "#F0E442": "#9C920C",
                       "#8A94A3": "#8892A2"}},
    "dark": {"text": {"#0072B2": "#0087D3", "#000000": "#828282"},
             "mark": {"#000000": "#666666"}},
}
# Diagram boxes and the labels on them follow the page; PAGE_INK is the page's text colour in each theme.
THEME_VARIANTS["light"]["text"]["#010203"] = "#18212F"
THEME_VARIANTS["dark"]["text"].update({"#010203": "#E6EBF2", "#18212F": "#E6EBF2"})
THEME_VARIANTS["dark"]["mark"]["#FCFCFD"] = "#0F1621"

# A neutral mid-grey that reads on both white and near-black backgrounds (axes, arrows, muted text).
NEUTRAL = "#8A94A3"
GRID = "rgba(138, 148, 163, 0.25)"
HIGHLIGHT = VERMILLION  # the "you are here" colour: the selected time step, a cursor, a clipped point
PAPER = "#FCFCFD"  # the fill of boxes in diagrams: the page's colour (chrome.py redraws it dark on a dark page)
INK = "#18212F"  # the text colour on PAPER (redrawn light on a dark page)
PAGE_INK = "#010203"  # "the page's text colour": chrome.py draws it as the theme's text colour

# Diverging scale for signed quantities (activations, gradients), centred at 0 with ``zmid=0``.
# Blue for negative, orange for positive: the pair colour-blind viewers separate most reliably.
# The ends are opaque; towards 0 the colours fade into a faint translucent grey, so a value near 0 looks like a
# pale tint of the page in either theme — light grey on a white page (zero cells still show), a dark grey on a
# dark page (where an opaque light grey would glare).
DIVERGING_RGBA = [
    (0.0, (8, 81, 156, 1.0)),
    (0.18, (49, 130, 189, 1.0)),
    (0.36, (107, 174, 214, 0.7)),
    (0.5, (128, 128, 128, 0.2)),
    (0.64, (253, 141, 60, 0.7)),
    (0.82, (230, 85, 13, 1.0)),
    (1.0, (166, 54, 3, 1.0)),
]
DIVERGING = [[stop, f"rgba({r},{g},{b},{a})"] for stop, (r, g, b, a) in DIVERGING_RGBA]
# Sequential scale for magnitudes (norms, probabilities): cividis is designed for colour-vision deficiency.
SEQUENTIAL = "Cividis"

# st.plotly_chart(fig, config=PLOTLY_CONFIG): a quiet toolbar, crisp PNG export.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def _hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


_STOPS = np.array([s for s, _ in DIVERGING_RGBA])
_RGBA = np.array([c for _, c in DIVERGING_RGBA], dtype=float)  # (K, 4)


def symmetric_limit(values, floor: float = 1e-12) -> float:
    """Largest finite |value| (at least ``floor``): the colour range is [-limit, +limit] so 0 sits in the middle."""
    arr = np.asarray(values, dtype=float)
    finite = np.abs(arr[np.isfinite(arr)])
    return float(max(finite.max(initial=0.0), floor))


def diverging_rgba(values, limit: float) -> np.ndarray:
    """Map values to (..., 4) RGBA (0-255, alpha 0-1) on the DIVERGING scale, [-limit, limit] -> [0, 1]; inf/NaN
    clip to the ends."""
    arr = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0, posinf=limit, neginf=-limit)
    pos = np.clip(0.5 + 0.5 * arr / max(limit, 1e-300), 0.0, 1.0)
    return np.stack([np.interp(pos, _STOPS, _RGBA[:, k]) for k in range(4)], axis=-1)


def diverging_rgb(values, limit: float) -> np.ndarray:
    """The opaque colour ``diverging_rgba`` gives on a white page, (..., 3): for places with no theme (HTML)."""
    rgba = diverging_rgba(values, limit)
    return rgba[..., :3] * rgba[..., 3:] + 255.0 * (1 - rgba[..., 3:])


def diverging_color(value: float, limit: float) -> str:
    """One value -> "rgba(r,g,b,a)" on the diverging scale (for diagram nodes and belts drawn as shapes)."""
    r, g, b, a = diverging_rgba(value, limit)
    return f"rgba({r:.0f},{g:.0f},{b:.0f},{a:.2f})"


def contrast_text(value: float, limit: float) -> str:
    """The text colour for a label on ``diverging_color(value, limit)``: the page's own text colour (PAGE_INK)
    where the fill is a faint tint of the page, else black or white, whichever reads better on the colour."""
    r, g, b, a = diverging_rgba(value, limit)
    if a < 0.6:
        return PAGE_INK
    rgb = np.array([r, g, b]) / 255.0
    lin = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = float(lin @ np.array([0.2126, 0.7152, 0.0722]))
    return "#111111" if luminance > 0.22 else "#FFFFFF"


def layout(
    *,
    title: str | None = None,
    height: int = 360,
    legend: bool = True,
    hovermode: str | bool = "x unified",
    **extra,
) -> dict:
    """The house layout as a plain dict (cheap: no Plotly validation until the figure is built).

    Transparent backgrounds and no text colour, so the figure follows the app's light/dark theme;
    a generous font; small margins (axis titles get room from ``automargin``); a horizontal legend
    above the plot. ``extra`` keys override or add to the result (e.g. ``margin=...``, ``xaxis=...``).
    """
    out = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}} if title else None,
        "height": height,
        "font": {"family": FONT_FAMILY, "size": 14},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 10, "r": 10, "t": 56 if title else 24, "b": 10},
        "showlegend": legend,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1,
                   "bgcolor": "rgba(0,0,0,0)"},
        "hovermode": hovermode,
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 13}},
        "colorway": QUALITATIVE,
    }
    out.update(extra)
    return out


def axis(title: str | None = None, **extra) -> dict:
    """One axis in the house style (faint grid, room for its title); ``extra`` adds Plotly axis keys."""
    out = {"gridcolor": GRID, "zerolinecolor": GRID, "automargin": True, **extra}
    if title is not None:
        out["title"] = {"text": title}
    return out


# Legend placements beside the house default (a row above the plot, right-aligned).
LEGEND_BELOW = {"orientation": "h", "y": -0.22, "yanchor": "top", "x": 0, "xanchor": "left",
                "bgcolor": "rgba(0,0,0,0)"}
LEGEND_UNDER_TITLE = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"}
TITLE_ON_TOP = {"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 8}}
# The foot of the figure, under the x-axis title: Plotly grows the bottom margin to fit however many rows the
# legend wraps into, at any width (a legend above the plot cannot push the title away, so it would cover it).
LEGEND_AT_FOOT = {"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yref": "container", "yanchor": "bottom"}
PHONE_LEGEND_PX = 290  # the width a horizontal legend has in a chart on a 390 px phone


def legend_rows_on_a_phone(data: list[dict]) -> int:
    """How many rows a horizontal legend of ``data``'s named traces wraps into on a phone (an estimate: a
    46 px symbol and gap per entry plus 7 px a character, as Plotly draws 12-13 px labels)."""
    rows, used = 1, 0
    for name in [t.get("name") for t in data if t.get("showlegend") is not False and t.get("name")]:
        width = 46 + 7 * len(str(name))
        if used and used + width > PHONE_LEGEND_PX:
            rows, used = rows + 1, 0
        used += width
    return rows


def _legend_under_title(data: list[dict], lay: dict, title: str | None, legend_rows: int, extra: dict) -> dict:
    """``styled``'s "under title" legend: under the title when it fits in ``legend_rows`` rows even on a phone,
    else at the foot of the figure (the figure grows by those rows, so the plot keeps its height)."""
    if title:
        lay["title"] = {**lay["title"], **TITLE_ON_TOP}
    margin = extra.get("margin") or {}
    if legend_rows_on_a_phone(data) <= legend_rows:
        top = 34 + 24 * legend_rows + (30 if title else 0)
        return {"legend": LEGEND_UNDER_TITLE, **extra, "margin": {**margin, "t": top}}
    lay["height"] = lay["height"] + 24 * legend_rows
    return {"legend": LEGEND_AT_FOOT, **extra, "margin": {**margin, "t": 40 if title else 20}}


def styled(data: list[dict], *, title: str | None = None, height: int = 360, x_title: str | None = None,
           y_title: str | None = None, legend: bool | dict | str = True, legend_rows: int = 1,
           hovermode: str | bool = "x unified", **extra) -> go.Figure:
    """A new figure in the house style from trace dicts, in one unvalidated pass. Validated graph objects
    (``go.Scatter``, ``update_layout``) cost 10-60 ms per figure, paid again on every slider nudge.

    ``legend``: on/off; a dict laid over the house legend (which turns it on); or "under title": the title
    at the very top, the legend left-aligned under it, then the plot (``legend_rows`` reserves room for a
    legend that wraps) — or, for a legend that would wrap into more rows on a phone, the legend at the foot of
    the figure, so that title and legend never overlap at any width. ``extra``: more layout
    keys. Dicts are laid over the house value (``xaxis``/``yaxis``: the house axis with ``x_title``/``y_title``;
    ``margin``); further axes (``xaxis2``, ...) are taken as given. ``None`` values are dropped, as
    ``update_layout`` would.
    """
    lay = layout(title=title, height=height, legend=bool(legend), hovermode=hovermode)
    lay["xaxis"], lay["yaxis"] = axis(x_title), axis(y_title)
    if legend == "under title":
        extra = _legend_under_title(data, lay, title, legend_rows, extra)
    elif isinstance(legend, dict):
        extra = {"legend": legend, **extra}
    for key, value in extra.items():
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(lay.get(key), dict):
            lay[key] = {**lay[key], **{k: v for k, v in value.items() if v is not None}}
        else:
            lay[key] = value
    return figure(data, lay)


def figure(data: list[dict], layout: dict) -> go.Figure:
    """Build a figure from trace dicts and a layout dict in one step, without Plotly's property validation.

    Validation is what makes building a Plotly figure slow (about 15 ms for a diagram of ~100 labelled
    nodes, a large part of a page's budget, paid again on every slider nudge). Figures built here come from
    tested code, and the tests validate them by rebuilding: ``go.Figure(fig.to_dict())`` raises on any
    invalid property. The result is an ordinary ``go.Figure`` (``fig.data[0].marker.color`` etc. work).

    The margins are raised to what axis labels, outside legends and colour bars usually need
    (``margin_floor``), so that the browser draws the chart once: when ``automargin`` has to grow a
    margin, Plotly draws the whole chart a second time (measured: 30-50% of a chart's drawing time).
    """
    layout = {**layout, "margin": margin_floor(data, layout)}
    _wrap_long_title(layout)
    return go.Figure(data=data, layout=layout, _validate=False)


TITLE_CHARS = 40  # about what a chart title (17 px) fits on one line on a 390 px phone
TITLE_LINE_PX = 22


def wrapped(text: str, limit: int = TITLE_CHARS) -> str:
    """``text`` broken once so that its first line keeps within ``limit`` visible characters: after a " — ",
    ": " or " · " in its second half if there is one, else at the last space. Plotly never wraps a title, so
    a long one is cut off at the chart's edge on a phone."""
    if "<br>" in text:
        return text
    spaces, visible, in_tag = [], 0, False
    for i, ch in enumerate(text):
        in_tag = (in_tag or ch == "<") and ch != ">"
        if ch == " " and not in_tag and visible <= limit:
            spaces.append((i, visible))
        visible += not in_tag and ch != ">"
    if visible <= limit or not spaces:
        return text
    preferred = [i for i, v in spaces if v >= limit // 2 and text[i - 1] in "—:·"]
    cut = preferred[-1] if preferred else spaces[-1][0]
    return text[:cut] + "<br>" + text[cut + 1:]


def _wrap_long_title(layout: dict) -> None:
    """A long title in two lines, with the top margin one line taller."""
    title = layout.get("title")
    text = title.get("text") if isinstance(title, dict) else None
    if not text:
        return
    two = wrapped(text)
    if two != text:
        layout["title"] = {**title, "text": two}
        layout["margin"] = {**layout["margin"], "t": layout["margin"]["t"] + TITLE_LINE_PX}
        if layout.get("height"):
            layout["height"] += TITLE_LINE_PX


# Pixels that labels take outside the plot area, with Streamlit's chart theme (its axis-title standoffs
# included). Measured on the lesson pages by reading Plotly's final margins (``gd._fullLayout._size``).
Y_TICKS_PX, Y_TITLE_PX = 58, 28
X_TICKS_PX, X_TITLE_PX = 32, 32
LEGEND_ROW_PX = 26
COLORBAR_PX = 86


def _domain_start(layout: dict, axis_name: str) -> float:
    return float((layout.get(axis_name) or {}).get("domain", (0.0, 1.0))[0])


def _edge_axes(layout: dict, letter: str) -> list[dict]:
    """The visible axes of one letter that sit on the figure's outer edge (left for y, bottom for x):
    those whose partner axis (the one they are anchored to) starts at 0 of its domain."""
    other = "x" if letter == "y" else "y"
    names = [k for k in layout if k.startswith(f"{letter}axis")] or [f"{letter}axis"]
    out = []
    for name in names:
        ax = layout.get(name) or {}
        anchor = ax.get("anchor") or other  # "x", "x2", ... or "free"
        on_edge = anchor == "free" or _domain_start(layout, f"{other}axis{anchor[1:]}") < 0.01
        if ax.get("visible", True) and ax.get("side") not in ("right", "top") and on_edge:
            out.append(ax)
    return out


def margin_floor(data: list[dict], layout: dict) -> dict:
    """The layout's margin, each side raised to what its axis labels, legend and colour bars need."""
    margin = {"l": 10, "r": 10, "t": 24, "b": 10, **(layout.get("margin") or {})}
    left, bottom = _edge_axes(layout, "y"), _edge_axes(layout, "x")
    floor = {"l": 10, "r": 10, "t": 0, "b": 10}
    if any(ax.get("showticklabels", True) for ax in left):
        floor["l"] += Y_TICKS_PX
        floor["t"] = 20  # half of the top tick label sticks out above the plot
    if any((ax.get("title") or {}).get("text") for ax in left):
        floor["l"] += Y_TITLE_PX
    if any(ax.get("showticklabels", True) for ax in bottom):
        floor["b"] += X_TICKS_PX
        floor["r"] = 16  # half of the last tick label sticks out on the right
    if any((ax.get("title") or {}).get("text") for ax in bottom):
        floor["b"] += X_TITLE_PX
    legend = layout.get("legend") or {}
    has_legend = layout.get("showlegend", True) and len(data) > 1
    if has_legend and legend.get("orientation") == "h":
        if float(legend.get("y", 1.02)) < 0:
            floor["b"] += LEGEND_ROW_PX + 14
        else:
            floor["t"] = 24 + LEGEND_ROW_PX  # a legend row above the plot
    elif has_legend and float(legend.get("x", 1.02)) >= 1:
        names = [str(t.get("name") or "") for t in data if t.get("showlegend", True)]
        floor["r"] += 44 + 7 * max(map(len, names), default=0)  # a column of legend entries on the right
    if any(k.startswith("coloraxis") for k in layout) or \
            any(t.get("showscale") or (t.get("marker") or {}).get("showscale") for t in data):
        floor["r"] += COLORBAR_PX
    return {k: max(margin[k], floor[k]) for k in ("l", "r", "t", "b")} | \
        {k: v for k, v in margin.items() if k not in ("l", "r", "t", "b")}


def hline(y: float, *, color: str = NEUTRAL, dash: str = "dot", width: float = 1, yref: str = "y",
          xref: str = "x domain") -> dict:
    """A horizontal line across the plot at data value ``y`` (what ``fig.add_hline`` adds, as a dict)."""
    return {"type": "line", "xref": xref, "yref": yref, "x0": 0, "x1": 1, "y0": y, "y1": y,
            "line": {"color": color, "dash": dash, "width": width}}


def vline(x: float, *, color: str = HIGHLIGHT, dash: str = "dot", width: float = 2) -> dict:
    """A vertical line through the plot at data value ``x`` (what ``fig.add_vline`` adds, as a dict)."""
    return {"type": "line", "xref": "x", "yref": "y domain", "x0": x, "x1": x, "y0": 0, "y1": 1,
            "line": {"color": color, "dash": dash, "width": width}}


def labelled_hline(y: float, text: str, color: str, *, log: bool, above: bool = True,
                   dash: str = "dash") -> tuple[dict, dict]:
    """A dashed line across the plot at data value ``y`` and its label at the right end: (shape, annotation).

    ``fig.add_hline`` builds both through validated updates and misplaces the label on a log axis: there an
    annotation's y is log10 of the value while a shape's is the value itself, so ``log`` says which axis it is.
    """
    shape = hline(y, color=color, dash=dash, width=1.5)
    note = {"x": 1, "xref": "x domain", "xanchor": "right", "y": float(np.log10(y)) if log else y, "yref": "y",
            "yanchor": "bottom" if above else "top", "text": text, "showarrow": False,
            "font": {"size": 12, "color": color}}
    return shape, note


def note(text: str, x: float, y: float, *, xref: str = "paper", yref: str = "paper", xanchor: str = "left",
         yanchor: str = "bottom", color: str | None = None, size: int = 12, **extra) -> dict:
    """A text label (an annotation without an arrow) as a layout dict."""
    font = {"size": size, **({"color": color} if color else {})}
    return {"text": text, "x": x, "y": y, "xref": xref, "yref": yref, "xanchor": xanchor, "yanchor": yanchor,
            "showarrow": False, "font": font, **extra}


def colorbar(title: str, **extra) -> dict:
    """A slim colour bar with a title, for heatmaps."""
    return {"title": {"text": title, "side": "right"}, "thickness": 12, "len": 0.9, "outlinewidth": 0, **extra}


def f32(values) -> np.ndarray:
    """Arrays sent to the browser as float32: half the bytes and plenty of precision for a plot."""
    return np.asarray(values, dtype=np.float32)


def send(values) -> np.ndarray:
    """float32 for the browser when it is lossless enough, else float64.

    Gradients reach 1e-300 and 1e95: float32 would turn them into 0 or inf (and a log axis would then lose
    them), so such arrays keep float64.
    """
    arr = np.asarray(values, dtype=np.float64)
    mag = np.abs(arr[np.isfinite(arr) & (arr != 0)])
    if mag.size and (mag.max() > 1e38 or mag.min() < 1e-37):
        return arr
    return f32(arr)


FONT_KEYS = ("font", "textfont", "tickfont", "insidetextfont", "outsidetextfont", "titlefont")


def enlarged(fig: go.Figure, factor: float, minimum: float) -> go.Figure:
    """A copy of ``fig`` for a projector: every font size times ``factor`` and at least ``minimum`` px (the house
    font when none is set), nodes that carry a label grown with their text, and the chart a little taller."""
    spec = fig.to_plotly_json()
    frames = spec.pop("frames", None)  # a scrub film's frames change colours and positions, never sizes
    layout = spec.setdefault("layout", {})
    layout.setdefault("font", {}).setdefault("size", 14)
    _name_theme_fonts(spec)
    _grow_fonts(spec, factor, minimum)
    _decades_only(spec)
    for trace in spec.get("data", []):
        marker = trace.get("marker") or {}
        if "text" in str(trace.get("mode", "")) and "size" in marker:  # a label drawn inside its node
            marker["size"] = _scaled(marker["size"], factor, 0)
    if layout.get("height"):
        layout["height"] = int(layout["height"] * (1 + (factor - 1) / 2))
    _grow_controls(layout, factor)
    _grow_side_margins(layout, factor)
    if frames:
        return FramedFigure(spec.get("data", []), layout, frames)  # go.Frame objects would cost seconds
    return go.Figure(spec, _validate=False)


def _grow_controls(layout: dict, factor: float) -> None:
    """Make room for a scrub slider and its buttons in larger type: their offsets below the plot, the bottom
    margin holding them and the chart's height grow with the text (else the slider's labels meet the buttons)."""
    if not layout.get("sliders"):
        return
    margin = layout.setdefault("margin", {})
    bottom = margin.get("b", 10)
    for control in [*layout["sliders"], *layout.get("updatemenus", [])]:
        pad = control.setdefault("pad", {})
        pad["t"] = _scaled(pad.get("t", 0), factor, 0)
    margin["b"] = _scaled(bottom, factor, 0)
    if layout.get("height"):
        layout["height"] = int(layout["height"] + margin["b"] - bottom)


def _grow_side_margins(layout: dict, factor: float) -> None:
    """A left or right margin set wider than the house one holds labels of its own (a diagram's row names):
    it grows with their text, else the larger labels run off the chart's edge."""
    margin = layout.get("margin") or {}
    for side in ("l", "r"):
        if margin.get(side, 0) > 20:
            margin[side] = round(_scaled(margin[side], factor, 0))


STREAMLIT_TICK_PX = 12  # Streamlit's chart theme sets 12 px tick labels and axis titles, which a layout font cannot


def _name_theme_fonts(spec: dict) -> None:
    """Write out the font sizes Streamlit's chart theme would impose, so that they can be scaled like ours."""
    layout = spec["layout"]
    holders = [v for k, v in layout.items() if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict)]
    holders += [v["colorbar"] for k, v in layout.items() if k.startswith("coloraxis") and isinstance(v, dict)
                and isinstance(v.get("colorbar"), dict)]
    holders += [t["colorbar"] for t in spec.get("data", []) if isinstance(t.get("colorbar"), dict)]
    holders += [t["marker"]["colorbar"] for t in spec.get("data", [])
                if isinstance(t.get("marker"), dict) and isinstance(t["marker"].get("colorbar"), dict)]
    for holder in holders:
        holder.setdefault("tickfont", {}).setdefault("size", STREAMLIT_TICK_PX)
        title = holder.get("title")
        if isinstance(title, dict):
            title.setdefault("font", {}).setdefault("size", STREAMLIT_TICK_PX)
    layout.setdefault("legend", {}).setdefault("font", {}).setdefault("size", STREAMLIT_TICK_PX)


def _scaled(size, factor: float, minimum: float):
    if isinstance(size, list | tuple | np.ndarray):
        return [max(minimum, float(v) * factor) for v in size]
    return max(minimum, float(size) * factor)


def _grow_fonts(node, factor: float, minimum: float) -> None:
    """Scale every "size" inside a font dict anywhere in a figure spec (titles, ticks, labels, annotations)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FONT_KEYS and isinstance(value, dict) and "size" in value:
                value["size"] = _scaled(value["size"], factor, minimum)
            _grow_fonts(value, factor, minimum)
    elif isinstance(node, list):
        for item in node:
            _grow_fonts(item, factor, minimum)


# -- log axes on a projector: powers of ten only ----------------------------------------------------------------
MAX_DECADE_LABELS = 6  # a log axis in presenter mode labels at most about this many powers of ten


def decade_ticks(lo: float, hi: float, most: int = MAX_DECADE_LABELS) -> dict:
    """Tick settings for a log axis whose range is ``lo``..``hi`` decades (10**lo to 10**hi) that label powers of
    ten only: every decade, or every n-th so that about ``most`` labels appear. Plotly's own choice labels 2 and 5
    between the decades when an axis spans only a few, and those crowd a projector's large text."""
    span = max(abs(float(hi) - float(lo)), 1.0)
    return {"tick0": 0, "dtick": max(1, math.ceil(span / most))}


def _log_data_span(spec: dict, name: str) -> tuple[float, float] | None:
    """(lo, hi) in decades of the positive finite values the traces plot on layout axis ``name`` ("yaxis2")."""
    letter, ref = name[0], name[0] + name[5:]
    values = []
    for trace in spec.get("data", []):
        if trace.get(f"{letter}axis", letter) != ref or trace.get(letter) is None:
            continue
        try:
            arr = np.abs(np.asarray(trace[letter], dtype=np.float64).ravel())
        except (TypeError, ValueError):
            continue
        values.append(arr[np.isfinite(arr) & (arr > 0)])
    good = np.concatenate(values) if values else np.array([])
    if good.size == 0:
        return None
    return math.floor(math.log10(good.min())), math.ceil(math.log10(good.max()))


def _decades_only(spec: dict) -> None:
    """Every log axis without ticks of its own labels powers of ten only (``decade_ticks``), over its range or,
    when it has none, over the data drawn on it."""
    for name, ax in spec.get("layout", {}).items():
        if not (name.startswith(("xaxis", "yaxis")) and isinstance(ax, dict) and ax.get("type") == "log"):
            continue
        if ax.get("dtick") is not None or ax.get("tickvals") is not None or ax.get("tickmode") == "array":
            continue
        rng = ax.get("range")
        span = tuple(rng) if rng is not None and len(rng) == 2 and None not in rng else _log_data_span(spec, name)
        if span is not None:
            ax.update(decade_ticks(*span))
