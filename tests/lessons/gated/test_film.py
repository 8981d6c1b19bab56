"""The LSTM's and GRU's step-through film (lessons/gated/film.py, built as the pages build it in
lessons/gated/cell_step.py): one frame per step, every number in a frame taken from the run, and frames that change
only what Plotly switches without a redraw."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from claims.printed import printed_numbers

from lessons.gated import figures as figs
from lessons.gated import recipe
from lessons.gated.film import cell_film
from lessons.gated.settings import MAX_UNITS
from lessons.kit.heatmaps import row_offsets
from lessons.kit.theme import diverging_color

MAX_T = 120  # the sequence-length slider's end (typed numbers may be longer: recipe.MAX_STEPS)


def build(cfg, start: int = 1, unit: int | None = 0) -> go.Figure:
    """The film as the page builds it (cell_step.cell_views.film), without Streamlit."""
    lstm = isinstance(cfg, recipe.LSTMConfig)
    run = recipe.run_cell(cfg)
    series = recipe.step_series(run, unit)
    steps = [{name: float(v[k]) for name, v in series.items()} for k in range(run.steps)]
    if lstm:
        sketches = [figs.lstm_sketch(v, peephole=cfg.peephole) for v in steps]
        lines = [figs.lstm_update_lines(v, k + 1, unit is None) for k, v in enumerate(steps)]
        rows = figs.lstm_rows(run.gates, run.c, run.h)
    else:
        sketches = [figs.gru_sketch(v, reset_after=cfg.reset_after) for v in steps]
        lines = [figs.gru_update_lines(v, k + 1, unit is None) for k, v in enumerate(steps)]
        rows = figs.gru_rows(run.gates, run.h)
    lines = [[f"Inside the cell at step t = {k + 1}", *ln] for k, ln in enumerate(lines)]
    return cell_film(run.x, rows, sketches, lines, start - 1, link_key="lstm_t" if lstm else "gru_t")


def spec(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


def shown(d: dict, step: int, index: int) -> dict:
    """Trace ``index`` as frame ``step`` (0-based) draws it: the frame's update laid over the trace."""
    frame = d["frames"][step]
    base = d["data"][index]
    if index not in frame["traces"]:
        return base
    update = frame["data"][frame["traces"].index(index)]
    return {**base, **update, "textfont": {**base.get("textfont", {}), **update.get("textfont", {})}}


def label_texts(d: dict, step: int) -> list[str]:
    """Every text on the diagram's axes at frame ``step``."""
    return [t for i, tr in enumerate(d["data"]) if tr.get("yaxis") == "y3" and tr.get("mode") == "text"
            for t in shown(d, step, i)["text"]]


def traces_named(d: dict, axis: str, **match) -> list[int]:
    return [i for i, tr in enumerate(d["data"]) if tr.get("yaxis") == axis and all(tr.get(k) == v for k, v in
                                                                                   match.items())]


def test_one_frame_per_step_and_the_slider_starts_where_asked():
    d = spec(build(recipe.LSTMConfig(steps=12), start=5))
    assert [f["name"] for f in d["frames"]] == [str(k) for k in range(12)]
    slider = d["layout"]["sliders"][0]
    assert slider["active"] == 4 and [s["label"] for s in slider["steps"]] == [str(t) for t in range(1, 13)]
    assert d["layout"]["meta"]["link_key"] == "lstm_t"
    assert any("step t = 5" in t for t in label_texts(d, 4))
    with pytest.raises(ValueError):
        build(recipe.LSTMConfig(steps=12), start=13)


def test_frames_change_only_scatter_traces_and_never_the_layout():
    """redraw=False is only right when frames touch nothing but scatter traces' points, texts and fills."""
    d = spec(build(recipe.GRUConfig(steps=15, hidden=3, pattern="noise")))
    moving = d["frames"][0]["traces"]
    assert all(d["data"][i]["type"] == "scatter" for i in moving)
    assert all(tr["type"] == "heatmap" for i, tr in enumerate(d["data"]) if tr["type"] != "scatter")
    for frame in d["frames"]:
        assert set(frame) == {"name", "data", "traces"} and frame["traces"] == moving
        assert all(set(update) <= {"x", "y", "text", "textfont", "fillcolor"} for update in frame["data"])
    assert d["layout"]["sliders"][0]["steps"][3]["args"][1]["frame"]["redraw"] is False


@pytest.mark.parametrize("step", [1, 2, 20, 40])
def test_the_cursor_marks_the_step_over_every_heatmap_and_the_input(step):
    cfg = recipe.LSTMConfig()
    d = spec(build(cfg))
    run = recipe.run_lstm(cfg)
    rows = figs.lstm_rows(run.gates, run.c, run.h)
    span = row_offsets(rows)[-1] + run.hidden
    (cursor,) = traces_named(d, "y2", fill="toself")
    drawn = shown(d, step - 1, cursor)
    assert min(drawn["x"]) == step - 0.5 and max(drawn["x"]) == step + 0.5
    assert min(drawn["y"]) == -0.5 and max(drawn["y"]) == span - 0.5  # through every row, every unit
    (label,) = traces_named(d, "y", mode="text")
    assert shown(d, step - 1, label)["text"] == [f"<b>t = {step}</b>"]


@pytest.mark.parametrize("unit", [0, 3, None])
@pytest.mark.parametrize("step", [1, 2, 17, 40])
def test_every_number_in_an_lstm_frame_is_the_runs(step, unit):
    cfg = recipe.LSTMConfig(pattern="noise", seed=2)
    d = spec(build(cfg, unit=unit))
    v = {k: float(a[step - 1]) for k, a in recipe.step_series(recipe.run_lstm(cfg), unit).items()}
    texts = label_texts(d, step - 1)
    belt = next(t for t in texts if t.startswith(f"c{str(step).translate(figs.SUB)} = "))
    expected = [v["kept"], v["written"], v["c"]] if unit is None else [v["f"], v["c_prev"], v["i"], v["g"], v["c"]]
    np.testing.assert_allclose(printed_numbers(belt), expected, atol=5e-4)
    out = next(t for t in texts if t.startswith(f"h{str(step).translate(figs.SUB)} = "))
    expected = [v["h"]] if unit is None else [v["o"], v["tanh_c"], v["h"]]
    np.testing.assert_allclose(printed_numbers(out), expected, atol=5e-4)
    assert f"c<sub>t</sub> = <b>{figs.signed(v['c'])}</b>" in texts
    assert f"x<sub>t</sub> = <b>{figs.signed(v['x'])}</b>" in texts
    levels = traces_named(d, "y3", fillcolor=figs.GATE_FILL)
    ys = shown(d, step - 1, levels[0])["y"]
    tops = [ys[k + 2] - ys[k] for k in range(0, len(ys), 6)]  # each tank's fill height = its gate's value
    np.testing.assert_allclose(sorted(tops), sorted([v["f"], v["i"], v["o"]]), atol=2e-4)


@pytest.mark.parametrize("step", [1, 9, 30])
def test_every_number_in_a_gru_frame_is_the_runs(step):
    cfg = recipe.GRUConfig(pattern="sine", steps=30, reset_after=False)
    d = spec(build(cfg, unit=1))
    v = {k: float(a[step - 1]) for k, a in recipe.step_series(recipe.run_gru(cfg), 1).items()}
    texts = label_texts(d, step - 1)
    update = next(t for t in texts if t.startswith(f"h{str(step).translate(figs.SUB)} = "))
    np.testing.assert_allclose(printed_numbers(update), [v["z"], v["h_prev"], 1 - v["z"], v["n"], v["h"]], atol=5e-4)
    assert f"h<sub>t</sub> = <b>{figs.signed(v['h'])}</b>" in texts
    assert "Cho et al. 2014" in " ".join(a["text"] for a in d["layout"]["annotations"])
    band = traces_named(d, "y3", mode="lines")[-1]  # the last band: the candidate's box, coloured by n
    assert shown(d, step - 1, band)["fillcolor"] == diverging_color(v["n"], 1.0)


def test_the_diagram_lies_under_the_heatmaps_over_the_whole_width():
    d = spec(build(recipe.GRUConfig()))
    lay = d["layout"]
    assert lay["yaxis3"]["domain"][1] < lay["yaxis2"]["domain"][0]
    assert lay["xaxis3"].get("domain", [0, 1]) == [0, 1]
    assert all(s["xref"] == "x3" and s["yref"] == "y3" for s in lay["shapes"])
    for name in (k for k in lay if k.startswith("coloraxis")):  # the colour bars beside the heatmaps, not the diagram
        bar = lay[name]["colorbar"]
        assert bar["y"] - bar["len"] / 2 >= lay["yaxis2"]["domain"][0] - 0.01


@pytest.mark.parametrize("cfg", [recipe.LSTMConfig(steps=MAX_T, hidden=MAX_UNITS, pattern="noise"),
                                 recipe.GRUConfig(steps=MAX_T, hidden=MAX_UNITS, pattern="noise"),
                                 recipe.LSTMConfig(pattern="custom", values=(0.5,) * recipe.MAX_STEPS, hidden=MAX_UNITS,
                                                   peephole=True)],
                         ids=["lstm", "gru", "lstm-typed"])
def test_the_largest_films_stay_small(cfg):
    fig = build(cfg, start=cfg.steps if cfg.pattern != "custom" else recipe.MAX_STEPS)
    payload = fig.to_json()
    d = json.loads(payload)
    T = len(d["frames"])
    assert (recipe.MAX_STEPS if cfg.pattern == "custom" else MAX_T) == T
    assert len(payload) < 4_500 * T + 120_000  # ~1.4 kB a frame, plus the heatmaps once
    assert max(len(json.dumps(f)) for f in d["frames"]) < 3_000
    heat = [tr for tr in d["data"] if tr["type"] == "heatmap"]
    assert len(heat) == (6 if isinstance(cfg, recipe.LSTMConfig) else 4)


def test_the_figure_is_valid_plotly():
    fig = build(recipe.LSTMConfig(steps=6, peephole=True), start=3, unit=None)
    go.Figure(fig.to_dict())  # raises on any invalid property, frames included
