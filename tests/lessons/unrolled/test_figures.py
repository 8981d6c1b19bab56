"""Figures of the unrolled-RNN lesson, built from small runs and inspected as Plotly objects."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.unrolled import figures as figs
from lessons.unrolled import recipe as demo


def run(**kw) -> demo.UnrolledRun:
    return demo.run_unrolled(demo.UnrolledConfig(**kw))


def traces_named(fig: go.Figure, name: str) -> list:
    return [t for t in fig.data if t.name == name]


def arrows(fig: go.Figure) -> list:
    return [a for a in fig.layout.annotations if a.showarrow]


def labels(fig: go.Figure) -> list[str]:
    """Every text drawn by the diagram's label trace."""
    return [str(t) for tr in fig.data if tr.mode == "text" for t in tr.text]


def heads(fig: go.Figure, symbol: str) -> int:
    return sum(list(tr.marker.symbol).count(symbol) for tr in fig.data
               if tr.mode == "markers" and not isinstance(tr.marker.symbol, str) and tr.marker.symbol is not None)


# -- the rolled diagram (the unrolled one is the film: test_film.py) ---------------------------------------
def test_rolled_diagram_has_one_cell_and_a_loop():
    fig = figs.rolled_diagram(run(length=5, w_rec=0.3), 1)
    assert len(traces_named(fig, "x")[0].x) == 1
    assert [s.type for s in fig.layout.shapes] == ["path"]
    assert any("×0.30" in (a.text or "") for a in fig.layout.annotations)


# -- h over time ----------------------------------------------------------------------------------------
def test_hidden_over_time_is_a_line_for_one_unit():
    r = run(length=9)
    fig = figs.hidden_over_time(r, 3)
    kinds = [t.type for t in fig.data]
    assert kinds == ["scatter", "scatter", "scatter"]
    np.testing.assert_allclose(np.asarray(fig.data[2].y, dtype=float), r.h[:, 0], rtol=1e-6)
    assert fig.layout.shapes[0].x0 == 4  # the step cursor, 1-based


def test_hidden_over_time_is_a_heatmap_centred_at_zero_for_several_units():
    r = run(length=9, hidden=3)
    fig = figs.hidden_over_time(r)
    heat = [t for t in fig.data if t.type == "heatmap"][0]
    assert np.asarray(heat.z).shape == (3, 9)
    assert heat.zmid == 0 and heat.zmin == -heat.zmax


def test_an_exploding_state_is_drawn_on_a_log_axis_all_the_way():
    r = run(sequence="impulse", length=200, w_rec=3.0, activation="identity")
    assert r.overflow_step is None and np.abs(r.h).max() > 1e79  # finite, but far beyond float32
    fig = figs.hidden_over_time(r, 0)
    assert fig.layout.yaxis.type == "log"
    line = next(d for d in fig.data if d.name == "|h<sub>t</sub>|")
    shown = np.asarray(line.y, dtype=float)
    assert np.isfinite(shown[-1]) and shown[-1] > 1e79  # the line reaches the last step: nothing cut off
    assert fig.layout.yaxis.range[1] >= np.log10(shown[-1])


def test_overflow_is_marked_on_the_chart_not_dropped():
    r = run(sequence="impulse", length=200, w_rec=80.0, activation="identity")  # 80^167 > 1.8e308
    k = r.overflow_step + 1
    fig = figs.hidden_over_time(r, 0)
    assert any(f"beyond the float range from t = {k}" in a.text for a in fig.layout.annotations)
    marks = next(d for d in fig.data if d.name == "|h<sub>t</sub>|: overflow (not finite)")
    assert list(marks.x) == list(range(k, 201))  # every overflowed step has its marker on the top edge
    assert any(s.type == "rect" and s.x0 == k - 0.5 for s in fig.layout.shapes)


def test_figures_send_float32():
    fig = figs.hidden_over_time(run(length=5), 0)
    assert np.asarray(fig.data[0].y).dtype == np.float32


# -- the equation ---------------------------------------------------------------------------------------
def test_equation_shows_the_actual_numbers_for_one_unit():
    r = run(length=6, w_in=1.0, w_rec=0.8)
    tex = figs.step_equation(r, 3)  # t = 4, after the impulse at t = 2
    assert "a_{4}" in tex and "h_{3}" in tex and r"\tanh" in tex
    assert "0.80" in tex and f"{r.h_prev[3, 0]:.3f}" in tex and f"{r.a[3, 0]:.3f}" in tex
    assert rf"\mathbf{{{r.h[3, 0]:.3f}}}" in tex
    assert tex.startswith(r"\begin{aligned}") and tex.endswith(r"\end{aligned}")


def test_equation_for_several_units_shows_the_three_contributions():
    r = run(length=6, hidden=3, activation="relu")
    tex = figs.step_equation(r, 2)
    assert tex.count(r"\begin{bmatrix}") == 5  # input, memory, bias, a_t, h_t
    assert r"\text{memory}" in tex and r"\operatorname{ReLU}" in tex


def test_activation_marker_and_curve_extent():
    assert figs.curve_extent(np.array([0.3])) == 4.0
    assert figs.curve_extent(np.array([9.0, np.inf])) == 11.0
    fig = figs.activation_marker(demo.activation_curve("tanh", 4.0), np.array([0.5]), np.array([np.tanh(0.5)]),
                                 "tanh")
    assert len(fig.data) == 2 and len(fig.data[1].x) == 1


@pytest.mark.parametrize("hidden", [1, 4])
def test_every_figure_passes_plotly_validation(hidden):
    """Figures are built without validation for speed (theme.figure); rebuilding validates every property."""
    r = run(sequence="random walk", length=30, hidden=hidden)
    built = [figs.rolled_diagram(r, 3), figs.hidden_over_time(r, 3),
             figs.activation_marker(demo.activation_curve("tanh", 4.0), r.a[3], r.h[3], "tanh")]
    for fig in built:
        go.Figure(fig.to_dict())  # raises ValueError on any invalid property
