"""The unrolled diagram as a film strip (lessons/unrolled/film.py): one frame per step, every frame's numbers taken
from the run, and frames that change only what Plotly can switch without a redraw."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.unrolled import recipe as demo
from lessons.unrolled.film import DYNAMIC, MAX_COLUMNS, WINDOW, film, first_row

NODES = {"x": DYNAMIC.index("x nodes"), "h": DYNAMIC.index("h nodes"), "y": DYNAMIC.index("y nodes")}


def run(**kw) -> demo.UnrolledRun:
    return demo.run_unrolled(demo.UnrolledConfig(**kw))


def spec(fig: go.Figure) -> dict:
    return json.loads(json.dumps(fig.to_dict(), default=lambda v: v.tolist()))


def frame_trace(d: dict, step: int, name: str) -> dict:
    """What frame ``step`` sets on the dynamic trace ``name`` (the drawn trace itself when the frame leaves it be)."""
    index = len(d["data"]) - len(DYNAMIC) + DYNAMIC.index(name)
    frame = d["frames"][step]
    return frame["data"][frame["traces"].index(index)] if index in frame["traces"] else d["data"][index]


def texts(d: dict) -> list[str]:
    return [str(t) for tr in d["data"] if "text" in str(tr.get("mode", "")) for t in (tr.get("text") or []) if t]


def test_one_frame_per_step_and_the_slider_starts_where_asked():
    d = spec(film(run(length=9), 4))
    assert [f["name"] for f in d["frames"]] == [str(k) for k in range(9)]
    slider = d["layout"]["sliders"][0]
    assert slider["active"] == 4 and [s["label"] for s in slider["steps"]] == [str(k) for k in range(1, 10)]
    assert "a₅ = " in d["data"][-1]["text"][0]  # the figure opens on the start step's frame


def test_frames_change_only_scatter_points_colours_and_labels():
    """redraw=False is only right when frames touch nothing but scatter traces' data and styling."""
    d = spec(film(run(sequence="random walk", length=30, hidden=3), 0))
    moving = d["frames"][0]["traces"]
    assert moving == list(range(len(d["data"]) - len(DYNAMIC), len(d["data"])))
    assert all(d["data"][i]["type"] == "scatter" for i in moving)
    allowed = {"x", "y", "marker", "text", "textfont", "customdata"}
    for frame in d["frames"]:
        assert set(frame) <= {"name", "data", "traces"}  # no layout: shapes and annotations stay put
        assert all(set(update) <= allowed for update in frame["data"])
    assert d["layout"]["sliders"][0]["steps"][3]["args"][1]["frame"]["redraw"] is False


def test_a_sequence_drawn_whole_keeps_its_nodes_still_and_colours_them_with_the_run():
    r = run(sequence="sine", length=8, w_rec=0.6)
    d = spec(film(r, 0))
    nodes = {len(d["data"]) - len(DYNAMIC) + DYNAMIC.index(name) for name in ("x nodes", "h nodes", "y nodes")}
    assert all(not nodes & set(f["traces"]) for f in d["frames"])  # only the highlight moves: cheaper frames
    h = np.asarray(frame_trace(d, 5, "h nodes")["marker"]["color"], dtype=float)
    np.testing.assert_allclose(h[1:], r.h[:, 0], rtol=2e-3, atol=1e-12)  # h_0 first, then one per step
    x = np.asarray(frame_trace(d, 5, "x nodes")["customdata"], dtype=float)
    np.testing.assert_allclose(x, r.x, rtol=1e-3, atol=1e-12)


@pytest.mark.parametrize("step", [0, 57, 199])
def test_through_the_window_every_frame_colours_its_nodes_with_the_run(step):
    r = run(sequence="sine", length=200, w_rec=0.6)
    d = spec(film(r, 0))
    first = first_row(200, step)
    h = np.asarray(frame_trace(d, step, "h nodes")["customdata"], dtype=float)
    states = np.concatenate([[0.0], r.h[:, 0]])  # h_0, then the state after each step
    np.testing.assert_allclose(h, states[first: first + WINDOW + 1], rtol=1e-3, atol=1e-12)
    y = np.asarray(frame_trace(d, step, "y nodes")["customdata"], dtype=float)
    np.testing.assert_allclose(y, r.y[first: first + WINDOW], rtol=1e-3, atol=1e-12)


def test_the_same_recurrent_weight_is_written_on_every_arrow():
    d = spec(film(run(length=6, w_rec=0.8), 2))
    assert texts(d).count("×0.80") == 6  # h_0 -> h_1 included
    heads = [s for tr in d["data"] if tr.get("mode") == "markers" and isinstance(tr["marker"].get("symbol"), list)
             for s in tr["marker"]["symbol"]]
    assert heads.count("triangle-up") == 2 * 6 and heads.count("triangle-right") == 6


@pytest.mark.parametrize("step", [0, 3, 5])
def test_the_selected_step_is_banded_ringed_and_bold(step):
    d = spec(film(run(length=8), 0))
    band = frame_trace(d, step, "band")["x"]
    assert min(band) < step + 1 < max(band)  # column k + 1 holds step k
    assert set(frame_trace(d, step, "rings")["x"]) == {step + 1}
    assert f"<b>t = {step + 1}</b>" in frame_trace(d, step, "time labels")["text"]


def test_a_long_sequence_is_seen_through_a_window_that_follows_the_step():
    r = run(sequence="random walk", length=200, hidden=4)
    d = spec(film(r, 120))
    x_nodes = d["data"][len(d["data"]) - len(DYNAMIC) + NODES["x"]]
    assert len(x_nodes["x"]) == WINDOW
    assert len(d["data"][len(d["data"]) - len(DYNAMIC) + NODES["h"]]["x"]) == 4 * (WINDOW + 1)
    labels = frame_trace(d, 120, "time labels")["text"]
    assert labels[0] == "t = 115" and labels[1 + WINDOW // 2] == "<b>t = 121</b>"
    assert frame_trace(d, 0, "time labels")["text"][:2] == ["start", "<b>t = 1</b>"]  # clamped at the ends
    assert frame_trace(d, 199, "time labels")["text"][-1] == "<b>t = 200</b>"
    assert first_row(200, 199) == 200 - WINDOW and first_row(MAX_COLUMNS, 14) == 0


def test_each_frame_writes_its_step_with_the_numbers():
    r = run(length=5, w_in=1.0, w_rec=0.5, bias=0.25)
    d = spec(film(r, 0))
    eq = frame_trace(d, 2, "equation")["text"][0]
    assert eq.startswith("a₃ = 1.00·") and "0.50·" in eq and f"<b>{r.h[2, 0]:.3f}</b>" in eq


def test_overflow_and_huge_values_fit_in_the_nodes():
    r = run(sequence="impulse", length=200, w_rec=3.0, activation="identity")
    d = spec(film(r, 199))
    labels = frame_trace(d, 199, "h nodes")["text"]
    assert "2e79" in labels and all(len(t) <= 5 for t in labels)
    r = run(length=4)
    r.h[2:] = np.inf  # as after an overflow
    d = spec(film(r, 3))
    h = frame_trace(d, 3, "h nodes")
    assert np.isfinite(np.asarray(h["marker"]["color"], dtype=float)).all() and "∞" in h["text"]


def test_a_start_outside_the_sequence_is_a_value_error():
    with pytest.raises(ValueError, match="start: expected 0 to 3, got 4"):
        film(run(length=4), 4)


@pytest.mark.parametrize("hidden", [1, 5])
def test_the_film_passes_plotly_validation_frames_included(hidden):
    fig = film(run(sequence="random walk", length=20, hidden=hidden), 3)
    go.Figure(fig.to_dict())  # raises ValueError on any invalid property, in the figure or its frames
