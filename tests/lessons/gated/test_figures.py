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


def labels(sk: figs.Sketch) -> str:
    """Every label of a diagram sketch: the ones that follow the step and the fixed captions."""
    return " ".join([lab[2] for lab in sk.labels] + [a["text"] for a in sk.cv.annotations])


def test_lstm_diagram_prints_the_numbers_and_shares():
    sk = figs.lstm_sketch(LSTM_VALUES)
    t = labels(sk)
    for piece in ("+0.50", "+0.13", "90%", "80%", "60%", "−0.32", "x<sub>t</sub> = <b>+1.00</b>"):
        assert piece in t, piece
    belts = [b for b in sk.bands if b[1] < figs.BELT_Y < b[3]]
    assert len(belts) == 3  # c_{t-1} | after ×f | c_t
    heights = sorted(round(y1 - y0, 3) for _, y0, _, y1 in sk.levels)
    assert heights == [0.6, 0.8, 0.9]  # each σ gate's tank is filled to its value (o, i, f)
    assert "peephole" not in t
    assert "peephole" in labels(figs.lstm_sketch(LSTM_VALUES, peephole=True))


def test_a_sketch_keeps_its_places_and_changes_only_what_the_step_changes():
    """A film takes the static layer of one step for every step: it must not depend on the numbers."""
    other = {k: -v for k, v in LSTM_VALUES.items()} | {"i": 0.1, "f": 0.2, "o": 0.3}
    a, b = figs.lstm_sketch(LSTM_VALUES), figs.lstm_sketch(other)
    assert a.cv.shapes == b.cv.shapes and a.cv.annotations == b.cv.annotations
    assert [lab[:2] for lab in a.labels] == [lab[:2] for lab in b.labels]
    assert [band[:4] for band in a.bands] == [band[:4] for band in b.bands]
    assert [band[4] for band in a.bands] != [band[4] for band in b.bands]


def test_gru_diagram_names_its_reset_form():
    after = labels(figs.gru_sketch(GRU_VALUES, reset_after=True))
    before = labels(figs.gru_sketch(GRU_VALUES, reset_after=False))
    assert "PyTorch" in after and "Cho" in before
    assert "70%" in after and "1 − z = 0.30" in after


def test_closed_gate_draws_an_empty_tank():
    sk = figs.lstm_sketch(dict(LSTM_VALUES, i=0.0))
    assert sorted(round(y1 - y0, 3) for _, y0, _, y1 in sk.levels) == [0.0, 0.6, 0.9]


def test_the_update_lines_write_the_step_with_its_numbers():
    one = figs.lstm_update_lines(LSTM_VALUES, 7, mean=False)
    assert one[0] == "c₇ = f·c₆ + i·g = 0.900·0.500 + 0.800·(−0.400) = <b>0.130</b>"
    assert one[1].startswith("h₇ = o·tanh(c₇) = 0.600·0.129 = ")
    mean = figs.lstm_update_lines(LSTM_VALUES, 1, mean=True)
    assert mean[0] == "c₁ = f⊙c₀ + i⊙g = 0.450 − 0.320 = <b>0.130</b>"
    gru = figs.gru_update_lines(GRU_VALUES, 12, mean=False)
    assert gru == ["h₁₂ = z·h₁₁ + (1−z)·n = 0.700·0.300 + 0.300·0.500 = <b>0.360</b>"]
    assert figs.gru_update_lines(GRU_VALUES, 2, mean=True) == ["h₂ = z⊙h₁ + (1−z)⊙n = 0.210 + 0.150 = <b>0.360</b>"]


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
