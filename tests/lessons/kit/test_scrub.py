"""kit.scrub: a figure with one frame per position, a slider and play buttons that never overlap it."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from lessons.kit import scrub
from lessons.kit.scrub import SPEEDS, animated
from lessons.kit.theme import enlarged


def base() -> go.Figure:
    return go.Figure([go.Scatter(x=[0, 1], y=[0, 1], mode="markers+text", text=["a", "b"])],
                     layout={"height": 300, "margin": {"b": 20}})


def frames(n: int) -> list[dict]:
    return [{"data": [{"y": [k, k + 1]}], "traces": [0]} for k in range(n)]


def test_the_slider_starts_at_the_start_and_names_every_frame():
    spec = animated(base(), frames(5), list("ABCDE"), 2, prefix="t = ").to_dict()
    slider = spec["layout"]["sliders"][0]
    assert slider["active"] == 2 and [s["label"] for s in slider["steps"]] == list("ABCDE")
    assert [s["args"][0] for s in slider["steps"]] == [[str(k)] for k in range(5)]
    assert [f["name"] for f in spec["frames"]] == [str(k) for k in range(5)]
    assert spec["frames"][3]["data"] == [{"y": [3, 4]}]


def test_one_play_button_per_speed_and_a_pause():
    menu = animated(base(), frames(3), ["1", "2", "3"], 0).to_dict()["layout"]["updatemenus"][0]
    durations = [b["args"][1]["frame"]["duration"] for b in menu["buttons"][:-1]]
    assert durations == [ms for _, ms in SPEEDS] and menu["buttons"][-1]["args"][0] == [None]


def test_room_is_made_under_the_plot_for_slider_and_buttons():
    lay = animated(base(), frames(3), ["1", "2", "3"], 0).to_dict()["layout"]
    assert lay["height"] == 300 + scrub.CONTROLS_PX and lay["margin"]["b"] >= scrub.CONTROLS_PX
    assert lay["updatemenus"][0]["pad"]["t"] > lay["sliders"][0]["pad"]["t"]  # buttons below the slider


def test_redraw_is_passed_to_every_step_and_button():
    lay = animated(base(), frames(2), ["1", "2"], 0, redraw=False).to_dict()["layout"]
    assert all(s["args"][1]["frame"]["redraw"] is False for s in lay["sliders"][0]["steps"])
    assert all(b["args"][1]["frame"]["redraw"] is False for b in lay["updatemenus"][0]["buttons"])


def test_frames_and_labels_must_match():
    with pytest.raises(ValueError, match="3 frames but 2 labels"):
        animated(base(), frames(3), ["1", "2"], 0)


def test_presenter_enlarging_keeps_the_frames():
    fig = enlarged(animated(base(), frames(4), list("abcd"), 1), 1.45, 16)
    spec = fig.to_dict()
    assert len(spec["frames"]) == 4 and spec["layout"]["sliders"][0]["currentvalue"]["font"]["size"] >= 16
