"""Training-lab figures built from small arrays: the traces, axes and marks a student relies on.
(The loss curves are lessons.kit.curves: tests/lessons/kit/test_curves.py.)"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.training import figures as figs


def names(fig) -> list[str]:
    return [t.name for t in fig.data]


def validated(fig: go.Figure) -> go.Figure:
    """Rebuild with Plotly's validation on: the figures skip it for speed, so the tests must not."""
    return go.Figure(fig.to_dict())


def test_every_figure_passes_plotly_validation():
    x = np.arange(60)
    series = np.sin(x / 4)
    t_val = np.arange(50, 60)
    preds = {"this model": series[t_val] + 0.1, "Linear AR": series[t_val]}
    adding = np.zeros((10, 2))
    adding[:, 0] = np.linspace(0, 0.9, 10)
    adding[[2, 7], 1] = 1
    before = np.geomspace(0.1, 10, 40)
    gates = {k: np.random.default_rng(0).uniform(-1, 1, (12, 3)) for k in "ifgoch"}
    figures = [
        figs.series_overview(x, series, 48, x_title="t", y_title="v", title="the series"),
        figs.adding_example(adding, 0.9),
        figs.copy_example(np.array([[1, 2, 0, 9, 0, 0]]), np.array([[0, 0, 0, 0, 1, 2]]), 8,
                          np.array([[0, 0, 0, 0, 1, 3]]), title="copy"),
        *(figs.grad_norm_history(before, np.minimum(before, 1.0), before > 1, clip=clip, threshold=1.0)
          for clip in ("none", "value", "norm")),
        figs.predictions_vs_truth(x, series, t_val, series[t_val], preds, model_name="this model", x_title="t",
                                  y_title="v", title="one step"),
        figs.forecast_figure(x, series, 50, np.arange(50, 55), {"this model": np.zeros(5)}, model_name="this model",
                             x_title="t", y_title="v"),
        figs.adding_scatter(np.array([0.5, 1.5]), {"m": np.array([0.6, 1.4]), "b": np.ones(2)}, model_name="m"),
        figs.gate_heatmaps(gates, np.linspace(0, 1, 12), kind="lstm", markers=[2, 9], title="gates"),
    ]
    for fig in figures:
        validated(fig)


def test_series_overview_shades_training_and_held_out_parts():
    fig = figs.series_overview(np.arange(100), np.sin(np.arange(100) / 5), 80, x_title="t", y_title="value")
    train, held = fig.layout.shapes
    assert (train.x0, train.x1, held.x0, held.x1) == (0, 80, 80, 99)
    assert {a.text for a in fig.layout.annotations} >= {"held out"}
    assert fig.data[0].y.dtype == np.float32


def test_adding_example_highlights_the_two_markers():
    x = np.zeros((10, 2))
    x[:, 0] = np.linspace(0, 0.9, 10)
    x[[2, 7], 1] = 1
    fig = figs.adding_example(x, 0.2 + 0.7)
    colours = list(fig.data[0].marker.color)
    assert colours[2] == colours[7] == figs.VERMILLION and colours[0] != figs.VERMILLION
    assert "0.90" in fig.layout.title.text


def test_copy_example_marks_right_and_wrong_recalls():
    codes = np.array([[1, 2, 0, 9, 0, 0]])
    target = np.array([[0, 0, 0, 0, 1, 2]])
    predicted = np.array([[0, 0, 0, 0, 1, 3]])
    fig = figs.copy_example(codes, target, 8, predicted)
    z = np.asarray(fig.data[0].z)
    assert z.shape == (3, 6)  # input, target, model rows
    assert z[2, 4] == 2 and z[2, 5] == 3  # right, wrong
    text = np.asarray(fig.data[0].text)
    assert list(text[0]) == ["A", "B", "·", "▶", "·", "·"]


def test_grad_norms_mark_clipping_events_on_a_log_axis():
    before = np.array([0.5, 3.0, 0.2, 8.0])
    after = np.minimum(before, 1.0)
    fig = figs.grad_norm_history(before, after, before > 1, clip="norm", threshold=1.0)
    clipped = next(t for t in fig.data if t.name == "clipped")
    assert list(clipped.x) == [2, 4] and fig.layout.yaxis.type == "log"
    assert "clipped 2 of 4 steps" in fig.layout.title.text
    assert any(a.text == "max norm 1" for a in fig.layout.annotations)


def test_grad_norm_ticks_read_as_numbers():
    """Issue 10 item 6: the log axis read "2, 1, 5, 2, 0.1, 5, 2" (Plotly's bare minor labels)."""
    before = np.geomspace(0.15, 3.0, 50)
    fig = figs.grad_norm_history(before, np.minimum(before, 1), before > 1, clip="norm", threshold=1.0)
    ax = fig.layout.yaxis
    assert ax.tickvals is not None and list(ax.ticktext) == [f"{v:g}" for v in ax.tickvals]
    assert list(ax.ticktext) == ["0.1", "0.2", "0.5", "1", "2", "5", "10"]
    wide = figs.grad_norm_history(np.geomspace(1e-6, 1e8, 50), np.ones(50), np.zeros(50, bool), clip="none",
                                  threshold=1.0)
    assert list(wide.layout.yaxis.ticktext)[:3] == ["1e-6", "1e-5", "0.0001"] and "1e8" in wide.layout.yaxis.ticktext


def test_grad_norms_that_overflow_or_vanish_are_marked_not_dropped():
    before = np.array([0.5, np.inf, np.nan, 0.0, 2.0])
    fig = figs.grad_norm_history(before, before, np.zeros(5, bool), clip="none", threshold=1.0)
    over = next(t for t in fig.data if t.name == "overflow (not finite)")
    zero = next(t for t in fig.data if t.name == "exactly 0")
    assert list(over.x) == [2, 3] and list(zero.x) == [4]
    lo, hi = fig.layout.yaxis.range
    assert 10**lo < zero.y[0] and over.y[0] < 10**hi


def test_axis_titles_from_a_file_are_literal():
    evil = '<a href="https://x.org">p</a>'
    x = np.arange(60)
    for fig in (figs.series_overview(x, np.sin(x), 50, x_title="t", y_title=evil),
                figs.predictions_vs_truth(x, np.sin(x), np.arange(50, 60), np.sin(x[50:]), {"m": np.sin(x[50:])},
                                          model_name="m", x_title=evil, y_title=evil),
                figs.forecast_figure(x, np.sin(x), 50, np.arange(50, 55), {"m": np.zeros(5)}, model_name="m",
                                     x_title="t", y_title=evil)):
        assert fig.layout.yaxis.title.text.startswith("&lt;a href=")
        assert all("<a" not in (t.hovertemplate or "") + (t.name or "") for t in fig.data)


def test_grad_norms_without_clipping_draw_one_line():
    fig = figs.grad_norm_history(np.ones(5), np.ones(5), np.zeros(5, bool), clip="none", threshold=1.0)
    assert names(fig) == ["‖∇‖ before clipping"] and "no clipping" in fig.layout.title.text


def test_predictions_and_forecast_put_the_model_first_in_vermillion():
    x = np.arange(60)
    series = np.sin(x / 4)
    t_val = np.arange(50, 60)
    preds = {"this model": series[t_val] + 0.1, "Linear AR": series[t_val]}
    fig = figs.predictions_vs_truth(x, series, t_val, series[t_val], preds, model_name="this model",
                                    x_title="t", y_title="v")
    model = next(t for t in fig.data if t.name == "this model")
    assert model.line.color == figs.VERMILLION and len(model.x) == 10
    fc = figs.forecast_figure(x, series, 50, np.arange(50, 55), {"this model": np.zeros(5)},
                              model_name="this model", x_title="t", y_title="v")
    line = next(t for t in fc.data if t.name == "this model")
    assert len(line.x) == 6 and line.y[0] == pytest.approx(series[49])  # starts from the last known value


def test_adding_scatter_has_the_diagonal():
    fig = figs.adding_scatter(np.array([0.5, 1.5]), {"m": np.array([0.6, 1.4])}, model_name="m")
    assert names(fig) == ["perfect", "m"] and list(fig.data[0].x) == [0, 2]


@pytest.mark.parametrize(("kind", "gates", "rows"), [
    ("lstm", ("i", "f", "g", "o", "c", "h"), 7),
    ("gru", ("r", "z", "n", "h"), 5),
    ("rnn", ("h",), 2),
])
def test_gate_heatmaps_stack_every_gate(kind, gates, rows):
    T, H = 12, 3
    g = {k: np.random.default_rng(0).uniform(-1, 1, (T, H)) for k in gates}
    fig = figs.gate_heatmaps(g, np.linspace(0, 1, T), kind=kind, markers=[2, 9])
    assert len(fig.data) == rows  # the input line plus one heatmap per gate/state
    assert sum(1 for s in fig.layout.shapes if s.x0 in (1.5, 8.5)) == 2
