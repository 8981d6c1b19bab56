"""lessons.gated.figures (with the kit's heatmap stack) on small hand-made data: the parts of each figure a
student relies on."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.gated import figures as figs
from lessons.kit.heatmaps import ROW_GAP, heatmap_stack, row_offsets

LSTM_VALUES = {"x": 1.0, "h_prev": 0.1, "c_prev": 0.5, "i": 0.8, "f": 0.9, "g": -0.4, "o": 0.6, "kept": 0.45,
               "written": -0.32, "c": 0.13, "tanh_c": float(np.tanh(0.13)), "h": 0.6 * float(np.tanh(0.13))}
GRU_VALUES = {"x": -1.0, "h_prev": 0.3, "r": 0.25, "z": 0.7, "n": 0.5, "kept": 0.21, "written": 0.15, "h": 0.36}


def texts(fig) -> str:
    return " ".join(a.text or "" for a in fig.layout.annotations)


def test_lstm_diagram_prints_the_numbers_and_shares():
    fig = figs.lstm_cell_diagram(LSTM_VALUES, 3, "unit 2")
    t = texts(fig)
    for piece in ("+0.50", "+0.13", "90%", "80%", "60%", "−0.32", "x<sub>t</sub> = <b>+1.00</b>"):
        assert piece in t, piece
    assert "t = 3" in fig.layout.title.text and "unit 2" in fig.layout.title.text
    belts = [s for s in fig.layout.shapes if s.type == "line" and s.line.width == figs.BELT_WIDTH]
    assert len(belts) == 3  # c_{t-1} | after ×f | c_t
    fills = [s for s in fig.layout.shapes if s.type == "rect" and s.fillcolor == figs.GATE_FILL]
    heights = sorted(round(s.y1 - s.y0, 3) for s in fills)
    assert heights == [0.6, 0.8, 0.9]  # each σ gate's tank is filled to its value (o, i, f)
    assert "peephole" not in t
    assert "peephole" in texts(figs.lstm_cell_diagram(LSTM_VALUES, 3, "unit 2", peephole=True))


def test_gru_diagram_names_its_reset_form():
    after = figs.gru_cell_diagram(GRU_VALUES, 0, "mean over all units", reset_after=True)
    before = figs.gru_cell_diagram(GRU_VALUES, 0, "mean over all units", reset_after=False)
    assert "PyTorch" in texts(after) and "Cho" in texts(before)
    assert "70%" in texts(after) and "1 − z = 0.30" in texts(after)


def test_closed_gate_draws_no_fill():
    vals = dict(LSTM_VALUES, i=0.0)
    fig = figs.lstm_cell_diagram(vals, 0, "unit 1")
    assert len([s for s in fig.layout.shapes if s.fillcolor == figs.GATE_FILL]) == 2


def test_heatmap_stack_shares_time_and_marks_the_step():
    T, H = 9, 3
    rng = np.random.default_rng(0)
    gates = {k: rng.uniform(0, 1, (T, H)) for k in "ifo"}
    gates["g"] = rng.uniform(-1, 1, (T, H))
    c, h = rng.normal(0, 2, (T, H)), rng.uniform(-1, 1, (T, H))
    fig = heatmap_stack(np.arange(T, dtype=float), figs.lstm_rows(gates, c, h), t=4)
    heat = [d for d in fig.data if d.type == "heatmap"]
    assert [d.name for d in heat] == ["i", "f", "g", "o", "c", "h"]
    np.testing.assert_allclose(heat[1].z, gates["f"].T.astype(np.float32))  # unit down, time across
    assert heat[0].z.dtype == np.float32
    # One colour bar per kind: gates 0..1, signed −1..1, and the cell state symmetric around 0.
    axes = {d.coloraxis for d in heat}
    assert len(axes) == 3
    lay = fig.layout
    assert (lay.coloraxis.cmin, lay.coloraxis.cmax) == (0, 1)
    state_axis = lay[heat[4].coloraxis]
    assert state_axis.cmin == -state_axis.cmax == pytest.approx(-np.abs(c).max())
    # The rows share one pair of axes under the input, on the input's time axis, one labelled band each,
    # top to bottom in data-flow order; the cursor spans the full height at t = 4.
    assert {d.xaxis for d in heat} == {"x2"} and {d.yaxis for d in heat} == {"y2"} and lay.xaxis2.matches == "x"
    offsets = row_offsets(figs.lstm_rows(gates, c, h))
    assert [d.y[0] for d in heat] == offsets
    np.testing.assert_allclose(np.diff(offsets), H + ROW_GAP)
    assert list(lay.yaxis2.ticktext) == ["i · write", "f · keep", "g · candidate", "o · read", "c · belt", "h · output"]
    assert lay.yaxis2.range[0] > lay.yaxis2.range[1]  # reversed: the first row on top
    np.testing.assert_array_equal(heat[2].customdata[:, 0], [1, 2, 3])  # hover shows unit numbers 1..H
    cursor = lay.shapes[0]
    assert (cursor.x0, cursor.x1, cursor.y0, cursor.y1) == (3.5, 4.5, 0, 1)
    assert "t = 4" in texts(fig)


def test_heatmap_stack_without_cursor():
    fig = heatmap_stack(np.zeros(4), figs.gru_rows({k: np.zeros((4, 2)) for k in "rzn"}, np.zeros((4, 2))), None)
    assert not fig.layout.shapes
    assert [d.name for d in fig.data] == ["x", "r", "z", "n", "h"]


def test_remember_figure_rows_and_labels():
    T = 12
    x = np.zeros((T, 3))
    x[2] = [0.8, 1, 0]
    x[-1, 2] = 1
    c = np.r_[0, 0, np.full(T - 2, 0.6)]
    one = np.ones(T)
    fig = figs.remember_figure(x, one * 0.01, one * 0.98, one * 0.01, c, c * 0.1, 2, T - 1,
                               ghosts={"b_f=0": c * 0.0, "b_f=6": c})
    names = [d.name for d in fig.data]
    assert {"belt c", "output h", "forget gate f", "b_f=0", "b_f=6"} <= set(names)
    t = texts(fig)
    assert "write" in t and "read" in t
    assert "b_f=0" in t and "b_f=6" not in t  # a ghost sitting on the main belt is not labelled twice


def test_param_count_figure():
    fig = figs.param_count_figure({"RNN": 10, "GRU": 30, "LSTM": 40}, 1, 2)
    bar = fig.data[0]
    assert list(bar.y) == ["RNN", "GRU", "LSTM"] and list(bar.x) == [10, 30, 40]
    assert "4× RNN" in bar.text[2]
    assert "D = 1" in fig.layout.title.text
