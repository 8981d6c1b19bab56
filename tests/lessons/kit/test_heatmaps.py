"""lessons.kit.heatmaps: the stacked time × unit heatmaps, on small hand-made data. Steps are numbered 1..T."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.kit.heatmaps import ROW_GAP, Row, end_ticks, heatmap_stack, outer_ticks, row_offsets


def texts(fig) -> str:
    return " ".join(a.text or "" for a in fig.layout.annotations)


def lstm_rows(gates: dict, c: np.ndarray, h: np.ndarray) -> list[Row]:
    """Six rows as an LSTM lesson stacks them."""
    return [Row("i", "i · write", gates["i"], "gate"), Row("f", "f · keep", gates["f"], "gate"),
            Row("g", "g · candidate", gates["g"], "signed"), Row("o", "o · read", gates["o"], "gate"),
            Row("c", "c · belt", c, "state"), Row("h", "h · output", h, "signed")]


def lstm_like(T: int = 9, H: int = 3):
    rng = np.random.default_rng(0)
    gates = {k: rng.uniform(0, 1, (T, H)) for k in "ifo"}
    gates["g"] = rng.uniform(-1, 1, (T, H))
    return gates, rng.normal(0, 2, (T, H)), rng.uniform(-1, 1, (T, H))


def test_heatmap_stack_shares_time_and_marks_the_step():
    T, H = 9, 3
    gates, c, h = lstm_like(T, H)
    fig = heatmap_stack(np.arange(T, dtype=float), lstm_rows(gates, c, h), t=4)
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
    # top to bottom in data-flow order.
    assert {d.xaxis for d in heat} == {"x2"} and {d.yaxis for d in heat} == {"y2"} and lay.xaxis2.matches == "x"
    offsets = row_offsets(lstm_rows(gates, c, h))
    assert [d.y[0] for d in heat] == offsets
    np.testing.assert_allclose(np.diff(offsets), H + ROW_GAP)
    assert list(lay.yaxis2.ticktext) == ["i · write", "f · keep", "g · candidate", "o · read", "c · belt", "h · output"]
    assert lay.yaxis2.range[0] > lay.yaxis2.range[1]  # reversed: the first row on top
    np.testing.assert_array_equal(heat[2].customdata[:, 0], [1, 2, 3])  # hover shows unit numbers 1..H


def test_steps_are_numbered_from_1_to_T_and_the_cursor_is_a_step():
    """The course's numbering: x_1 is the first input, so array row k is drawn at t = k + 1, and the cursor
    t = 4 frames the fourth column."""
    T = 9
    gates, c, h = lstm_like(T)
    fig = heatmap_stack(np.arange(T, dtype=float), lstm_rows(gates, c, h), t=4)
    for trace in fig.data:
        np.testing.assert_array_equal(trace.x, np.arange(1, T + 1))
    assert list(fig.layout.xaxis.range) == [0.5, T + 0.5] == list(fig.layout.xaxis2.range)
    cursor = fig.layout.shapes[0]
    assert (cursor.x0, cursor.x1, cursor.y0, cursor.y1) == (3.5, 4.5, 0, 1)
    assert "t = 4" in texts(fig)
    for t in (1, T):
        cur = heatmap_stack(np.zeros(T), [Row("h", "h", h)], t).layout.shapes[0]
        assert cur.x0 == t - 0.5 and cur.x1 == t + 0.5
    for bad in (0, T + 1):
        with pytest.raises(ValueError, match="from 1 to 9"):
            heatmap_stack(np.zeros(T), [Row("h", "h", h)], bad)


def test_heatmap_stack_without_cursor():
    """The training lab's call: no cursor (t=None), a title, an x label and extra shapes."""
    rows = [Row(k, k, np.zeros((4, 2)), "gate") for k in "rzn"] + [Row("h", "h", np.zeros((4, 2)), "signed")]
    fig = heatmap_stack(np.zeros(4), rows, None)
    assert not fig.layout.shapes
    assert [d.name for d in fig.data] == ["x", "r", "z", "n", "h"]
    outline = {"type": "rect", "xref": "x", "yref": "paper", "x0": 1.5, "x1": 2.5, "y0": 0, "y1": 1}
    fig = heatmap_stack(np.zeros(4), [Row("h", "h · state", np.zeros((4, 2)), "signed")], None, title="T",
                        x_label="price", extra_shapes=[outline])
    assert len(fig.layout.shapes) == 1 and fig.layout.title.text == "T"


def test_end_ticks_are_two_round_values_inside_the_range():
    assert end_ticks(0.0, 1.0) == [0.0, 1.0]
    assert end_ticks(-1.0, 1.0) == [-1.0, 1.0]
    assert end_ticks(-0.93, 1.2) == [0.0, 1.0]
    assert end_ticks(0.0, 0.41) == [0.0, 0.4]
    assert end_ticks(2.0, 2.0) == [2.0]
    for lo, hi in ((-0.37, 0.05), (1e-4, 3e-4), (-5.0, -2.0), (0.2, 0.9)):
        ticks = end_ticks(lo, hi)
        assert len(ticks) == 2 and lo <= ticks[0] < ticks[1] <= hi, (lo, hi, ticks)


def test_stack_keeps_short_axes_to_a_few_ticks():
    rng = np.random.default_rng(0)
    T, H = 12, 3
    gates = {k: rng.uniform(size=(T, H)) for k in "ifo"} | {"g": rng.uniform(-1, 1, size=(T, H))}
    c = rng.uniform(-0.41, 0.41, size=(T, H))
    fig = heatmap_stack(np.r_[1.0, np.zeros(T - 1)], lstm_rows(gates, c, np.tanh(c)), 3)
    assert list(fig.layout.yaxis.tickvals) == [0.0, 1.0]  # the input row: two labels at its ends, not three
    assert list(fig.layout.yaxis.range) == [-0.1, 1.1]
    bars = {name: fig.layout[name].colorbar.tickvals for name in ("coloraxis", "coloraxis2", "coloraxis3")}
    assert list(bars["coloraxis"]) == [0, 0.5, 1] and list(bars["coloraxis2"]) == [-1, 0, 1]
    top = bars["coloraxis3"][-1]  # the belt's own bar: -L, 0, L with L round and inside its range
    assert list(bars["coloraxis3"]) == [-top, 0.0, top] and 0.5 * fig.layout.coloraxis3.cmax <= top
    assert top <= fig.layout.coloraxis3.cmax


def test_outer_ticks_hold_the_range_between_two_round_values():
    assert outer_ticks(0.0, 1.0) == [0.0, 1.0]
    assert outer_ticks(-1.9, 1.6) == [-2.0, 2.0]
    assert outer_ticks(-0.93, 1.2) == [-1.0, 1.5]
    assert outer_ticks(2.0, 2.0) == [1.0, 3.0]
    for lo, hi in ((-0.37, 0.05), (1e-4, 3e-4), (-5.0, -2.0), (0.2, 0.9), (-3.3, 2.9)):
        a, b = outer_ticks(lo, hi)
        assert a <= lo < hi <= b and b - a <= 2 * (hi - lo) + 1e-12, (lo, hi, a, b)
