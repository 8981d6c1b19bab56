"""Scrub and play in the browser: every position of a figure computed once on the server and sent as Plotly
frames, with a slider in the figure and play/pause buttons. Dragging the slider or playing switches frames in
the browser, with no message to the server, so the picture follows the hand.

Pure Plotly dicts; no Streamlit. The numbers in every frame come from the lesson's recipe (NumPy): the browser
only switches between them.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

SPEEDS = (("slow", 700), ("play", 300), ("fast", 90))  # ms per frame; short names: four buttons fit a phone
# Under the plot: the slider (its value, rail, ticks and tick labels take about 75 px below a 44 px pad), then the
# buttons. 120 px left the tick labels touching the buttons' top edge (seen on a phone).
BUTTONS_TOP_PX = 132
CONTROLS_PX = 172  # the room the slider and the buttons add under the plot


class FramedFigure(go.Figure):
    """A figure whose frames stay plain dicts. go.Frame objects are built through Plotly's validators even when
    validation is off — 2-9 s for 200 frames here — while Streamlit only needs the figure's ``to_dict()``."""

    def __init__(self, data, layout: dict, frames: list[dict]):
        super().__init__(data=data, layout=layout, _validate=False)
        self._raw_frames = frames

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["frames"] = self._raw_frames
        return out

    def to_plotly_json(self) -> dict:
        return self.to_dict()


def animated(base: go.Figure, frames: Sequence[dict], labels: Sequence[str], start: int, *,
             prefix: str = "", redraw: bool = True, speeds=SPEEDS, link_key: str | None = None) -> go.Figure:
    """``base`` with ``frames`` (dicts with "data" and/or "layout", optionally "traces"), a slider over them
    labelled ``labels`` that starts at ``start``, and ▶ buttons for each speed plus ❚❚.

    ``link_key``: the URL parameter that holds the slider's position. The page's script (kit.chrome) writes the
    label of every position the slider moves to into the address bar under this key, without a rerun, so the
    address bar — and the next rerun, and "Share this view" — always name the step on screen.

    ``redraw=False`` is faster but Plotly then only moves scatter traces' points: use it when a frame changes
    nothing else (no shapes, annotations, text or other trace types).
    """
    if len(frames) != len(labels):
        raise ValueError(f"frames: {len(frames)} frames but {len(labels)} labels")
    named = [{**f, "name": str(k)} for k, f in enumerate(frames)]
    step_args = {"mode": "immediate", "frame": {"duration": 0, "redraw": redraw}, "transition": {"duration": 0}}
    # The slider under the x-axis title (its value label would otherwise meet the title on a phone), the buttons
    # under the slider: they never overlap, at any width.
    # A translucent grey rail reads on a light and a dark page alike (Plotly's default is near-white).
    slider = {"active": int(start), "pad": {"t": 44, "b": 4}, "len": 0.98, "x": 0.01, "y": 0, "yanchor": "top",
              "bgcolor": "rgba(128, 128, 128, 0.25)", "bordercolor": "rgba(128, 128, 128, 0.7)",
              "currentvalue": {"prefix": prefix, "xanchor": "left", "font": {"size": 14}},
              "steps": [{"label": str(lab), "method": "animate", "args": [[str(k)], step_args]}
                        for k, lab in enumerate(labels)]}
    buttons = [{"label": f"▶ {name}", "method": "animate",
                "args": [None, {"frame": {"duration": ms, "redraw": redraw}, "fromcurrent": True,
                                "transition": {"duration": 0}, "mode": "immediate"}]} for name, ms in speeds]
    buttons.append({"label": "❚❚", "method": "animate", "args": [[None], {**step_args, "mode": "immediate"}]})
    menu = {"type": "buttons", "direction": "right", "showactive": False, "x": 0.01, "xanchor": "left", "y": 0,
            "yanchor": "top", "pad": {"t": BUTTONS_TOP_PX, "r": 8}, "buttons": buttons}
    layout = base.layout.to_plotly_json()
    height = (layout.get("height") or 360) + CONTROLS_PX
    margin = {**(layout.get("margin") or {}), "b": max((layout.get("margin") or {}).get("b", 10), CONTROLS_PX)}
    extra = {"meta": {"link_key": link_key}} if link_key else {}
    return FramedFigure(list(base.data), {**layout, "sliders": [slider], "updatemenus": [menu], "height": height,
                                          "margin": margin, **extra}, named)
