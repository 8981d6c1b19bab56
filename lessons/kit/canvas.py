"""The diagram canvas: boxes, wires, arrows and labels in data coordinates, built into one figure in one pass.

Two ways to draw, with different costs in the browser:
- ``shapes`` and ``annotations`` (``line``, ``rect``, ``op``, ``arrow``, ``text``): exact pixel standoffs and
  rich text, but Plotly pays per item when it draws — fine for a cell diagram of a few dozen pieces;
- merged traces (``segment``, ``head``, ``label``): thousands of pieces for the price of three traces —
  what a long unrolled sequence needs (one annotation per arrow took ~0.1 s to repaint).

Plotly validates the whole layout on every ``add_shape``/``add_annotation`` call, so pieces are collected as
plain dicts and handed over once (see ``theme.figure``). Pure Plotly dicts; no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .theme import INK, MONO_FAMILY, NEUTRAL, PAPER

HEAD_PX = 9  # arrowhead marker size of the merged-trace arrows


@dataclass
class Canvas:
    """Collects a diagram's pieces; ``layout_items()`` and ``traces()`` hand them to a figure."""

    shapes: list[dict] = field(default_factory=list)
    annotations: list[dict] = field(default_factory=list)
    _lines: tuple[list, list] = field(default_factory=lambda: ([], []))
    _heads: tuple[list, list, list] = field(default_factory=lambda: ([], [], []))
    _labels: dict[str, list] = field(default_factory=lambda: {k: [] for k in ("x", "y", "text", "size", "color",
                                                                              "position")})

    # -- shapes and annotations -------------------------------------------------------------------------
    def line(self, pts: Sequence[tuple[float, float]], *, color: str = NEUTRAL, width: float = 2.0) -> None:
        """A wire through ``pts``, drawn below everything else."""
        path = "M " + " L ".join(f"{x},{y}" for x, y in pts)
        self.shapes.append({"type": "path", "path": path, "line": {"color": color, "width": width}, "layer": "below"})

    def arrow(self, x0: float, y0: float, x1: float, y1: float, *, color: str = NEUTRAL, width: float = 2.0,
              size: float = 1.1, start_px: float = 0, end_px: float = 0) -> None:
        """An arrow from (x0, y0) to (x1, y1); ``start_px``/``end_px`` leave a gap in pixels at each end."""
        self.annotations.append({"x": x1, "y": y1, "ax": x0, "ay": y0, "xref": "x", "yref": "y", "axref": "x",
                                 "ayref": "y", "text": "", "showarrow": True, "arrowhead": 2, "arrowsize": size,
                                 "arrowwidth": width, "arrowcolor": color, "standoff": end_px,
                                 "startstandoff": start_px})

    def text(self, x: float, y: float, text: str, *, size: int = 13, anchor: str = "center", valign: str = "middle",
             color: str | None = None, mono: bool = False, **extra) -> None:
        """A rich-text label (HTML subset: <b>, <sub>, <br>) centred on (x, y) unless anchored otherwise."""
        font: dict = {"size": size}
        if color:
            font["color"] = color
        if mono:
            font["family"] = MONO_FAMILY
        self.annotations.append({"x": x, "y": y, "xref": "x", "yref": "y", "text": text, "showarrow": False,
                                 "font": font, "xanchor": anchor, "yanchor": valign, **extra})

    def rect(self, x0: float, y0: float, x1: float, y1: float, *, fill: str = PAPER, color: str = NEUTRAL,
             width: float = 1.5, layer: str = "above", **extra) -> None:
        self.shapes.append({"type": "rect", "x0": x0, "y0": y0, "x1": x1, "y1": y1, "fillcolor": fill,
                            "line": {"color": color, "width": width}, "layer": layer, **extra})

    def op(self, x: float, y: float, symbol: str, r: float = 0.3) -> None:
        """A pointwise operation (× or +) drawn as a circle on the wires."""
        self.shapes.append({"type": "circle", "x0": x - r, "y0": y - r, "x1": x + r, "y1": y + r,
                            "fillcolor": PAPER, "line": {"color": NEUTRAL, "width": 2}})
        self.text(x, y, symbol, size=19, color=INK)

    # -- merged traces ----------------------------------------------------------------------------------
    def segment(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """A straight wire, merged with every other segment into one line trace."""
        self._lines[0].extend([x0, x1, None])
        self._lines[1].extend([y0, y1, None])

    def head(self, x: float, y: float, symbol: str) -> None:
        """An arrowhead marker ("triangle-up", "triangle-right", ...) at (x, y)."""
        for column, value in zip(self._heads, (x, y, symbol), strict=True):
            column.append(value)

    def label(self, xs, ys, texts, *, size: int = 11, color: str | list = NEUTRAL,
              position: str = "middle center") -> None:
        """Plain-text labels at (xs[k], ys[k]), merged into one text trace."""
        n = len(texts)
        lab = self._labels
        lab["x"] += list(xs)
        lab["y"] += list(ys)
        lab["text"] += list(texts)
        lab["size"] += [size] * n
        lab["color"] += list(color) if isinstance(color, list) else [color] * n
        lab["position"] += [position] * n

    def traces(self) -> list[dict]:
        """The merged wires, arrowheads and labels as three scatter traces (drawn over the shapes)."""
        common = {"type": "scatter", "hoverinfo": "skip", "showlegend": False, "cliponaxis": False}
        lab = self._labels
        return [
            {**common, "x": self._lines[0], "y": self._lines[1], "mode": "lines",
             "line": {"color": NEUTRAL, "width": 1.8}},
            {**common, "x": self._heads[0], "y": self._heads[1], "mode": "markers",
             "marker": {"symbol": self._heads[2], "size": HEAD_PX, "color": NEUTRAL}},
            {**common, "x": lab["x"], "y": lab["y"], "mode": "text", "text": lab["text"],
             "textposition": lab["position"], "textfont": {"size": lab["size"], "color": lab["color"]}},
        ]

    def layout_items(self) -> dict:
        """``shapes`` and ``annotations`` for a layout dict."""
        return {"shapes": self.shapes, "annotations": self.annotations}


def frozen_axes(x_range: Sequence[float], y_range: Sequence[float]) -> dict:
    """Invisible axes with fixed ranges: a diagram has no scale to read and nothing to zoom."""
    return {"xaxis": {"visible": False, "range": list(x_range), "fixedrange": True},
            "yaxis": {"visible": False, "range": list(y_range), "fixedrange": True}}
