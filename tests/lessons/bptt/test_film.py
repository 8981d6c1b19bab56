"""The backward pass as a film (lessons/bptt/film.py): one frame per backward step from t = T to t = 1, every
frame's numbers the engine's, and frames that change only what Plotly can switch without a redraw."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from apptest_helpers import decode

from lessons.bptt import figures as figs
from lessons.bptt import recipe as demo
from lessons.bptt.film import DYNAMIC, SUB, TEXT_PX, backward_film, min_width, recursion_line, share_line
from lessons.kit.numbers import compact

CFG = demo.BPTTConfig(sequence="impulse", length=8)


def spec(fig: go.Figure) -> dict:
    """The figure as the browser gets it, typed arrays ({"dtype", "bdata"}) decoded into lists."""
    return plain(json.loads(fig.to_json()))


def plain(value):
    if isinstance(value, dict):
        return decode(value).tolist() if "bdata" in value else {k: plain(v) for k, v in value.items()}
    return [plain(v) for v in value] if isinstance(value, list) else value


def film_of(cfg: demo.BPTTConfig, start: int | None = None) -> tuple[demo.BPTTResult, dict]:
    res = demo.run_bptt(cfg)
    return res, spec(backward_film(res, cfg.target, res.steps if start is None else start))


def index(d: dict, name: str) -> int:
    return len(d["data"]) - len(DYNAMIC) + DYNAMIC.index(name)


def at_step(d: dict, t: int, name: str) -> dict:
    """Dynamic trace ``name`` as the frame of step t draws it: the base trace with the frame's update over it."""
    T = len(d["frames"])
    frame, k = d["frames"][T - t], index(d, name)
    update = frame["data"][frame["traces"].index(k)] if k in frame["traces"] else {}
    return {**d["data"][k], **update}


def shown(trace: dict, key: str) -> list:
    """The first len(x) entries of a per-point attribute: what Plotly draws when a frame shortens x."""
    values = trace[key] if key in trace else trace["marker"][key.split(".")[1]]
    return list(values)[: len(trace["x"])]


def paren(value: float) -> str:
    text = compact(value, 8, 3)
    return f"({text})" if value < 0 else text


def engine_dh(cfg: demo.BPTTConfig) -> np.ndarray:
    """∂L/∂h_t straight from the engine's backward pass on the lesson's network."""
    cell = demo.build_cell(cfg)
    trace = cell.forward(demo.make_input(cfg)[:, None])
    _, local = demo.loss_gradient(trace.h[:, 0], cfg)
    return cell.backward(trace, local[:, None].copy()).dh[:, 0]


def test_one_frame_per_backward_step_from_the_loss_back_to_step_one():
    res, d = film_of(CFG, start=5)
    assert [f["name"] for f in d["frames"]] == [str(k) for k in range(8)]
    slider = d["layout"]["sliders"][0]
    assert [s["label"] for s in slider["steps"]] == [str(t) for t in range(8, 0, -1)]  # t = T first
    assert slider["active"] == 3  # step 5 is the fourth stop back from t = 8
    assert d["data"][-1]["text"][0].startswith("∂L/∂h₅ = ")  # the figure opens on the start step's frame


def test_frames_change_only_scatter_points_and_text():
    """redraw=False is only right when frames touch nothing but scatter traces' points and text."""
    _, d = film_of(demo.BPTTConfig(length=12, loss="every"))
    for frame in d["frames"]:
        assert set(frame) <= {"name", "data", "traces"}  # no layout: shapes and annotations stay put
        assert all(d["data"][k]["type"] == "scatter" for k in frame["traces"])
        assert all(set(update) <= {"x", "text"} for update in frame["data"])
    assert d["layout"]["sliders"][0]["steps"][3]["args"][1]["frame"]["redraw"] is False


@pytest.mark.parametrize("cfg", [CFG, demo.BPTTConfig(length=16, loss="every", w_rec=-1.2, sequence="sine"),
                                 demo.BPTTConfig(length=100, sequence="random walk", activation="relu", loss="every"),
                                 demo.BPTTConfig(length=1)])
def test_each_frame_colours_exactly_the_reached_states_with_the_engines_gradient(cfg):
    res, d = film_of(cfg)
    dh, T = engine_dh(cfg), res.steps
    for t in sorted({T, max(1, T // 2), min(T, 3), 1}):
        nodes = at_step(d, t, "reached nodes")
        assert nodes["x"] == list(range(T, t - 1, -1))  # the gradient has reached steps T, T-1, ..., t
        colours = np.asarray(shown(nodes, "marker.color"), dtype=float)
        np.testing.assert_allclose(colours, dh[T - 1: t - 2 if t > 1 else None: -1], rtol=1e-6, atol=1e-30)
        exact = np.asarray(shown(nodes, "customdata"), dtype=float)[:, 1]  # hover: ∂L/∂h in full
        np.testing.assert_array_equal(exact, dh[::-1][: T - t + 1])
        assert at_step(d, t, "ring")["x"] == [t]


def test_a_short_chain_writes_the_reached_values_and_a_question_mark_under_the_others():
    res, d = film_of(CFG)
    values, pending = at_step(d, 3, "reached values"), at_step(d, 3, "pending values")
    assert values["x"] == [8, 7, 6, 5, 4, 3] and shown(values, "text") == [compact(v, 6, 2) for v in res.dh[7:1:-1]]
    assert pending["x"] == [1, 2] and shown(pending, "text") == ["?", "?"]
    assert at_step(d, 8, "pending values")["x"] == list(range(1, 8))
    for t in range(1, 9):  # every state is drawn once, hollow or coloured: no label sits on another
        reached, pending = at_step(d, t, "reached nodes")["x"], at_step(d, t, "pending nodes")["x"]
        assert sorted(reached + pending) == list(range(1, 9))
        assert shown(at_step(d, t, "pending nodes"), "text") == ["h" + str(k).translate(SUB) for k in range(1, t)]


def test_the_arrow_just_crossed_is_lit():
    _, d = film_of(CFG)
    lit = at_step(d, 5, "lit arrow")["x"]
    assert len(lit) == 2 and 5 < min(lit) < max(lit) < 6  # between h_5 and h_6, clear of both nodes
    assert at_step(d, 8, "lit arrow")["x"] == []  # at the loss nothing has been crossed yet


def test_each_frame_writes_the_recursion_with_the_steps_numbers():
    cfg = demo.BPTTConfig(length=6, w_rec=0.5, loss="every", target=-0.25)
    res, d = film_of(cfg)
    last, middle = at_step(d, 6, "numbers")["text"], at_step(d, 3, "numbers")["text"]
    assert last[0] == f"∂L/∂h₆ = h₆ − y = {compact(res.h[5], 8, 4)} − (−0.25) = <b>{compact(res.dh[5], 8, 4)}</b>"
    assert middle[0] == (f"∂L/∂h₃ = ∂ℓ₃/∂h₃ + w_rec·act′(a₄) · ∂L/∂h₄ = {compact(res.local[2], 8, 3)} + "
                         f"{paren(res.factors[3])} × {paren(res.dh[3])} = <b>{compact(res.dh[2], 8, 4)}</b>")
    assert middle[1].endswith(f"collected from steps 6…3: <b>{compact(res.contributions[2:].sum(), 9, 4)}</b>")
    assert f"= {compact(res.contributions[2], 8, 3)};" in middle[1]


def test_the_sum_collected_on_the_way_back_ends_on_the_whole_gradient():
    res = demo.run_bptt(demo.BPTTConfig(length=30, sequence="random walk", loss="every"))
    np.testing.assert_allclose(res.collected, np.cumsum(res.contributions[::-1])[::-1])
    assert res.collected[0] == pytest.approx(res.total, rel=1e-12)
    assert share_line(res, 1).endswith(f"collected from steps 30…1: <b>{compact(res.collected[0], 9, 4)}</b>")


def test_a_long_chain_drops_the_labels_and_sends_no_values():
    _, d = film_of(demo.BPTTConfig(length=80))
    nodes = d["data"][index(d, "reached nodes")]
    assert nodes["mode"] == "markers" and nodes["marker"]["colorbar"]["nticks"] == 3
    assert all(index(d, "reached values") not in f["traces"] for f in d["frames"])
    assert all(index(d, "pending values") not in f["traces"] for f in d["frames"])


def test_one_loss_per_loss_step():
    squares = lambda d: [t for t in d["data"] if t.get("marker", {}).get("symbol") == "square"]  # noqa: E731
    assert len(squares(film_of(CFG)[1])[0]["x"]) == 1
    assert len(squares(film_of(demo.BPTTConfig(length=8, loss="every"))[1])[0]["x"]) == 8


def test_extreme_gradients_are_sent_without_overflow():
    huge = demo.BPTTConfig(length=100, w_rec=2.0, w_in=2.0, bias=1.0, activation="identity", loss="every")
    _, d = film_of(huge)
    assert np.isfinite(np.asarray(d["data"][index(d, "reached nodes")]["marker"]["color"], dtype=float)).all()
    assert "e" in at_step(d, 1, "numbers")["text"][0]  # huge numbers in short scientific form


def test_the_film_keeps_room_for_its_numbers():
    for T in (1, 8, 16, 17, 100):
        assert min_width(T) >= max(figs.flow_min_width(T), TEXT_PX)


def test_a_start_outside_the_backward_pass_is_a_value_error():
    res = demo.run_bptt(CFG)
    with pytest.raises(ValueError, match="start: expected 1 to 8, got 9"):
        backward_film(res, CFG.target, 9)


def test_the_link_key_is_written_into_the_figure():
    res = demo.run_bptt(CFG)
    assert backward_film(res, CFG.target, 8, link_key="bptt_step").to_dict()["layout"]["meta"] == {
        "link_key": "bptt_step"}


@pytest.mark.parametrize("cfg", [CFG, demo.BPTTConfig(length=60, loss="every", activation="relu", w_in=-1.0),
                                 demo.BPTTConfig(length=1)])
def test_the_film_passes_plotly_validation_frames_included(cfg):
    res = demo.run_bptt(cfg)
    go.Figure(backward_film(res, cfg.target, 1).to_dict())  # raises ValueError on any invalid property


def test_recursion_line_of_the_last_step_is_its_own_loss():
    res = demo.run_bptt(CFG)
    assert recursion_line(res, 0.5, 8).startswith("∂L/∂h₈ = h₈ − y = ")
