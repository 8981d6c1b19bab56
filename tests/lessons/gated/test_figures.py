"""lessons.gated.figures (with the kit's heatmap stack) on small hand-made data: the parts of each figure a
student relies on."""

from __future__ import annotations

import numpy as np

from lessons.gated import figures as figs

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
    # Labels inside a bar are coloured for that bar (white on blue, near-black on the lighter ones), not by Plotly.
    assert list(bar.insidetextfont.color) == ["#111111", "#111111", "#FFFFFF"]
