"""The /bptt lesson's figures on their own: they carry the recipe's numbers, and log axes never lose 0 or inf."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.bptt import figures as figs
from lessons.bptt import recipe as demo
from lessons.kit.logaxes import log_limits, log_traces
from lessons.kit.numbers import short
from lessons.kit.theme import send

CFG = demo.BPTTConfig(sequence="impulse", length=8)


@pytest.fixture(scope="module")
def res() -> demo.BPTTResult:
    return demo.run_bptt(CFG)


def validated(fig: go.Figure) -> go.Figure:
    """Rebuild with Plotly's validation on: the figures skip it for speed, so the tests must not."""
    return go.Figure(fig.to_dict())


@pytest.mark.parametrize("cfg", [CFG, demo.BPTTConfig(length=60, loss="every", activation="relu", w_in=-1.0),
                                 demo.BPTTConfig(length=1)])
def test_every_figure_passes_plotly_validation(cfg):
    r = demo.run_bptt(cfg)
    k = min(3, r.steps)
    for fig in (figs.chain_rule_figure(r), figs.contributions_figure(r),
                figs.truncation_figure(r, demo.truncate(cfg, k), cfg.loss),
                figs.truncation_error_figure(demo.truncation_curve(cfg), k)):
        validated(fig)


def by_name(fig: go.Figure, prefix: str) -> list:
    return [t for t in fig.data if (t.name or "").startswith(prefix)]


# -- the log helpers the charts rely on (lessons.kit.logaxes, theme.send) ------------------------------
def test_log_limits_pad_whole_decades():
    assert log_limits(np.array([0.03, 0.0, np.inf, 50.0])) == (1e-3, 1e3)
    assert log_limits(np.array([0.0, np.nan])) == (0.1, 10.0)


def test_log_traces_mark_zeros_and_overflows():
    y = np.array([1.0, 0.5, 0.0, np.inf, np.nan, 2.0])
    main, zeros, over = log_traces(np.arange(6), y, name="g", color="#000000", floor=1e-3, ceil=1e3)
    shown = np.asarray(main["y"], dtype=float)
    assert np.isnan(shown[2:5]).all() and shown[0] == 1.0 and shown[5] == 2.0
    assert list(zeros["x"]) == [2] and list(zeros["y"]) == [1e-3] and "exactly 0" in zeros["name"]
    assert list(over["x"]) == [3, 4] and list(over["y"]) == [1e3, 1e3] and "overflow" in over["name"]


def test_log_traces_without_special_points_is_one_trace():
    assert len(log_traces([0, 1], [0.0, 1.0], name="g", color="#000", floor=0.1, ceil=10, special=False)) == 1


# -- the chain (the backward film draws it: test_film.py) --------------------------------------------
def test_step_labels_thin_out_on_long_sequences():
    """Every step is labelled up to 12 (they fit on a phone), then about ten evenly spaced labels."""
    assert figs.step_ticks(12) == list(range(1, 13))
    assert figs.step_ticks(24) == list(range(1, 25, 3)) and len(figs.step_ticks(60)) == 10
    assert figs.step_ticks(1) == [1]


def test_the_chain_keeps_room_for_its_numbers_on_a_narrow_screen():
    """At least 50 px per labelled step (the numbers on the arrows and under the nodes do not touch); the page
    gives the chart this minimum width and lets it scroll inside its own frame on a phone."""
    for T in (1, 8, 16):
        assert figs.flow_min_width(T) >= 50 * (T + 1)
    assert figs.flow_min_width(17) < figs.flow_min_width(16)  # no numbers drawn above 16 steps
    assert figs.flow_min_width(12) > 390
    assert figs.flow_min_width(100) < 1000  # ~ten axis labels and small nodes: a long chain fits a laptop


# -- chain rule, contributions, truncation --------------------------------------------------------------
def test_chain_rule_figure(res):
    fig = figs.chain_rule_figure(res)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    np.testing.assert_allclose(np.asarray(bars[0].y, dtype=float), res.factors, rtol=1e-6)
    assert fig.layout.yaxis2.type == "log"
    running = by_name(fig, "|∂h")[0]
    np.testing.assert_allclose(np.asarray(running.y, dtype=float), np.abs(res.running), rtol=1e-6)


def test_chain_rule_figure_marks_exact_zeros():
    # A negative impulse into a ReLU: act'(a) = 0 from then on, so the running product is exactly 0.
    zero = demo.run_bptt(demo.BPTTConfig(sequence="impulse", length=8, activation="relu", w_in=-1.0))
    assert np.count_nonzero(zero.running[:-1]) == 0
    fig = figs.chain_rule_figure(zero)
    marks = by_name(fig, "|∂h<sub>T</sub>/∂h<sub>t</sub>|: the running product: exactly 0")
    assert len(marks) == 1 and list(marks[0].x) == list(range(1, 8))


def test_contributions_waterfall_lands_on_the_total(res):
    fig = figs.contributions_figure(res)
    steps, total = [t for t in fig.data if isinstance(t, go.Bar)]
    base, y = np.asarray(steps.base, dtype=float), np.asarray(steps.y, dtype=float)
    np.testing.assert_allclose(base[1:], np.cumsum(res.contributions)[:-1], rtol=1e-5, atol=1e-9)
    assert base[-1] + y[-1] == pytest.approx(res.total, rel=1e-5)
    assert total.y[0] == pytest.approx(res.total)
    assert any(s.y0 == s.y1 == pytest.approx(res.total) for s in fig.layout.shapes)
    assert any("Σ" in a.text for a in fig.layout.annotations)


def test_truncation_figure_splits_kept_and_dropped(res):
    tr = demo.truncate(CFG, 3)
    fig = figs.truncation_figure(res, tr, "last")
    kept, dropped = fig.data
    np.testing.assert_allclose(np.asarray(kept.y, float) + np.asarray(dropped.y, float), res.contributions,
                               rtol=1e-5, atol=1e-9)
    assert fig.layout.barmode == "relative"
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].x0 == pytest.approx(8 - 3 + 0.5)
    assert "last 3 steps" in fig.layout.annotations[0].text


def test_truncation_figure_has_no_window_for_every_step_losses(res):
    tr = demo.truncate(demo.BPTTConfig(sequence="impulse", length=8, loss="every"), 3)
    assert not figs.truncation_figure(res, tr, "every").layout.shapes


def test_truncation_error_figure_marks_k_and_exact_zero():
    c = demo.truncation_curve(CFG)
    fig = figs.truncation_error_figure(c, 5)
    assert fig.layout.yaxis.type == "log"
    assert any(s.x0 == 5 for s in fig.layout.shapes)
    zeros = by_name(fig, "relative error: exactly 0")
    assert zeros and 8 in list(zeros[0].x)
    lo, hi = fig.layout.yaxis.range
    assert lo < math.log10(zeros[0].y[0]) < hi


def test_short_numbers_on_the_figures():
    """The figures' labels use lessons.kit.numbers.short (the old ``fmt``)."""
    assert short(0.123456) == "0.123"
    assert short(float("inf")) == "inf" and short(float("-inf")) == "-inf" and short(float("nan")) == "NaN"


def test_send_keeps_float64_when_float32_would_lose_values():
    assert send([0.5, 2.0]).dtype == np.float32
    assert send([1e-60, 1.0]).dtype == np.float64
    assert send([1e60, np.inf, np.nan]).dtype == np.float64
    main = log_traces([0, 1], [1.0, 1e-200], name="g", color="#000", floor=1e-201, ceil=10)[0]
    assert np.asarray(main["y"])[1] == 1e-200  # not rounded to 0 (which a log axis would drop)


def test_extreme_gradients_are_sent_without_overflow():
    huge = demo.run_bptt(demo.BPTTConfig(length=100, w_rec=2.0, w_in=2.0, bias=1.0, activation="identity",
                                         loss="every"))
    fig = figs.contributions_figure(huge)
    assert np.isfinite(np.asarray(fig.data[0].y, dtype=float)).all()


def test_log_axes_label_powers_of_ten_only(res):
    """Short log axes would get minor "2" and "5" labels between the decades."""
    chain = figs.chain_rule_figure(res)
    err = figs.truncation_error_figure(demo.truncation_curve(CFG, demo.loss_shares(CFG)), 4)
    assert chain.layout.yaxis2.dtick >= 1 and err.layout.yaxis.dtick >= 1
