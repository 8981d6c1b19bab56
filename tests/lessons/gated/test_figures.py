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


def test_end_ticks_are_two_round_values_inside_the_range():
    assert figs.end_ticks(0.0, 1.0) == [0.0, 1.0]
    assert figs.end_ticks(-1.0, 1.0) == [-1.0, 1.0]
    assert figs.end_ticks(-0.93, 1.2) == [0.0, 1.0]
    assert figs.end_ticks(0.0, 0.41) == [0.0, 0.4]
    assert figs.end_ticks(2.0, 2.0) == [2.0]
    for lo, hi in ((-0.37, 0.05), (1e-4, 3e-4), (-5.0, -2.0), (0.2, 0.9)):
        ticks = figs.end_ticks(lo, hi)
        assert len(ticks) == 2 and lo <= ticks[0] < ticks[1] <= hi, (lo, hi, ticks)


def test_stack_keeps_short_axes_to_a_few_ticks():
    rng = np.random.default_rng(0)
    T, H = 12, 3
    gates = {k: rng.uniform(size=(T, H)) for k in "ifo"} | {"g": rng.uniform(-1, 1, size=(T, H))}
    c = rng.uniform(-0.41, 0.41, size=(T, H))
    fig = figs.stack(np.r_[1.0, np.zeros(T - 1)], figs.lstm_rows(gates, c, np.tanh(c)), 3)
    assert list(fig.layout.yaxis.tickvals) == [0.0, 1.0]  # the input row: two labels at its ends, not three
    assert list(fig.layout.yaxis.range) == [-0.1, 1.1]
    bars = {name: fig.layout[name].colorbar.tickvals for name in ("coloraxis", "coloraxis2", "coloraxis3")}
    assert list(bars["coloraxis"]) == [0, 0.5, 1] and list(bars["coloraxis2"]) == [-1, 0, 1]
    top = bars["coloraxis3"][-1]  # the belt's own bar: -L, 0, L with L round and inside its range
    assert list(bars["coloraxis3"]) == [-top, 0.0, top] and 0.5 * fig.layout.coloraxis3.cmax <= top
    assert top <= fig.layout.coloraxis3.cmax


def test_outer_ticks_hold_the_range_between_two_round_values():
    assert figs.outer_ticks(0.0, 1.0) == [0.0, 1.0]
    assert figs.outer_ticks(-1.9, 1.6) == [-2.0, 2.0]
    assert figs.outer_ticks(-0.93, 1.2) == [-1.0, 1.5]
    assert figs.outer_ticks(2.0, 2.0) == [1.0, 3.0]
    for lo, hi in ((-0.37, 0.05), (1e-4, 3e-4), (-5.0, -2.0), (0.2, 0.9), (-3.3, 2.9)):
        a, b = figs.outer_ticks(lo, hi)
        assert a <= lo < hi <= b and b - a <= 2 * (hi - lo) + 1e-12, (lo, hi, a, b)
