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


# -- which steps the diagram draws ----------------------------------------------------------------------
def test_short_sequences_show_every_step():
    assert figs.visible_steps(5, 2) == [0, 1, 2, 3, 4]


def test_long_sequences_elide_the_middle_but_keep_ends_and_the_selected_step():
    cols = figs.visible_steps(200, 100)
    assert cols[:3] == [0, 1, 2] and cols[-3:] == [197, 198, 199]
    assert all(s in cols for s in range(98, 103))
    assert cols.count(None) == 2
    assert len(cols) <= figs.MAX_COLUMNS


@pytest.mark.parametrize("selected", [0, 3, 4, 5, 194, 199])
def test_elision_never_hides_a_single_step(selected):
    cols = figs.visible_steps(200, selected)
    shown = [c for c in cols if c is not None]
    assert shown == sorted(shown) and selected in shown
    for a, b in zip(cols, cols[1:], strict=False):
        if a is not None and b is not None:
            assert b == a + 1  # consecutive unless a gap marker sits between them


# -- the unrolled diagram -------------------------------------------------------------------------------
def test_diagram_has_one_column_per_step_and_the_same_weight_on_every_recurrent_arrow():
    r = run(length=6, w_rec=0.8)
    fig = figs.unrolled_diagram(r, 2)
    x_nodes, y_nodes, h_nodes = traces_named(fig, "x")[0], traces_named(fig, "y")[0], traces_named(fig, "h")[0]
    assert len(x_nodes.x) == len(y_nodes.x) == 6
    assert len(h_nodes.x) == 7  # h_0 plus one per step
    np.testing.assert_allclose(np.asarray(h_nodes.marker.color[1:], dtype=float), r.h[:, 0], rtol=1e-6)
    assert heads(fig, "triangle-up") == 2 * 6  # x -> h and h -> y in every column
    assert heads(fig, "triangle-right") == 6  # h_{t-1} -> h_t, h_0 -> h_1 included
    assert not arrows(fig)  # no per-arrow annotations: they are slow to draw
    assert labels(fig).count("×0.80") == 6  # the same recurrent weight on every arrow
    assert labels(fig).count("×1.00") == 2  # w_in and v, written once beside the selected step


def test_diagram_colours_are_a_diverging_scale_centred_on_zero():
    fig = figs.unrolled_diagram(run(sequence="sine", length=10), 4)
    for name in ("x", "h", "y"):
        marker = traces_named(fig, name)[0].marker
        assert marker.cmin == -marker.cmax  # symmetric around 0


def test_selected_step_is_highlighted():
    fig = figs.unrolled_diagram(run(length=8), 5)
    band = fig.layout.shapes[0]
    x_nodes = traces_named(fig, "x")[0]
    widths = list(x_nodes.marker.line.width)
    assert widths.index(max(widths)) == 5
    assert band.x0 < x_nodes.x[5] < band.x1


def test_long_diagram_marks_the_gaps_and_stays_small():
    r = run(sequence="random walk", length=200, hidden=4)
    fig = figs.unrolled_diagram(r, 120)
    assert labels(fig).count("⋯") == 2
    assert len(traces_named(fig, "x")[0].x) <= figs.MAX_COLUMNS
    assert len(traces_named(fig, "h")[0].x) == 4 * (len(traces_named(fig, "x")[0].x) + 1)
    assert "<b>t = 121</b>" in labels(fig)
    assert sum(int(t[1:]) for t in labels(fig) if t.startswith("+")) + len(traces_named(fig, "x")[0].x) == 200


def test_overflow_values_are_drawn_at_the_end_of_the_scale():
    r = run(length=4)
    r.h[2:] = np.inf  # as after an overflow
    fig = figs.unrolled_diagram(r, 3)
    colors = np.asarray(traces_named(fig, "h")[0].marker.color, dtype=float)
    assert np.isfinite(colors).all()
    assert "∞" in traces_named(fig, "h")[0].text


def test_step_out_of_range_is_a_value_error():
    with pytest.raises(ValueError, match="step: expected 0 to 3"):
        figs.unrolled_diagram(run(length=4), 4)


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


def test_huge_values_still_fit_in_the_nodes():
    r = run(sequence="impulse", length=200, w_rec=3.0, activation="identity")
    fig = figs.unrolled_diagram(r, 199)
    labels = [t for d in fig.data if d.mode and "text" in d.mode and d.text for t in d.text if t]
    assert "2e79" in labels and all(len(t) <= 5 for t in labels if t[0].isdigit() or t[0] == "−")


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
    built = [figs.unrolled_diagram(r, 20), figs.rolled_diagram(r, 3), figs.hidden_over_time(r, 3),
             figs.activation_marker(demo.activation_curve("tanh", 4.0), r.a[3], r.h[3], "tanh")]
    for fig in built:
        go.Figure(fig.to_dict())  # raises ValueError on any invalid property
