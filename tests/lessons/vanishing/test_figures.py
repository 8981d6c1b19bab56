"""The /vanishing-gradients lesson's figures on their own: data in the traces, log axes, overflow and zero markers,
clipping arrows."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.kit.theme import BLUE, GREEN, VERMILLION
from lessons.vanishing import figures as figs
from lessons.vanishing import recipe as demo
from rnn_core import curve


@pytest.mark.parametrize("cfg", [demo.ChainConfig(), demo.ChainConfig(w=3.0, length=200, activation="identity",
                                                                       precision="float32"),
                                 demo.ChainConfig(w=0.9, activation="relu", input_scale=0.5),
                                 demo.ChainConfig(activation="sigmoid", length=1)])
def test_every_figure_passes_plotly_validation(cfg):
    """The figures skip Plotly's validation for speed; rebuilding them with it on catches any typo."""
    res = demo.run_chain(cfg)
    a, y, d = curve(cfg.activation)
    m = demo.run_matrix(demo.MatrixConfig(hidden=4, length=cfg.length, activation=cfg.activation))
    for fig in (figs.gradient_norm_figure(res, activation=cfg.activation),
                figs.activation_figure(cfg.activation, a, y, d, res), figs.eigenvalue_figure(m),
                figs.matrix_norm_figure(m, activation=cfg.activation), figs.clip_vector_figure(demo.clip_2d(3, 4, 1)),
                figs.clip_effect_figure(demo.clip_run(res, 1.0))):
        go.Figure(fig.to_dict())


def by_name(fig: go.Figure, part: str) -> list:
    return [t for t in fig.data if part in (t.name or "")]


def ys(trace) -> np.ndarray:
    return np.asarray(trace.y, dtype=float)


# -- the gradient-size chart -----------------------------------------------------------------------------
def test_gradient_norm_figure_carries_measured_and_analytic():
    res = demo.run_chain(demo.ChainConfig(w=0.8, length=20, activation="tanh"))
    fig = figs.gradient_norm_figure(res, activation="tanh")
    assert fig.layout.yaxis.type == "log"
    measured = by_name(fig, "|∂L/∂h| with tanh")[0]
    np.testing.assert_allclose(ys(measured), res.grad, rtol=1e-6)
    analytic = by_name(fig, "|w|<sup>k</sup>")[0]
    np.testing.assert_allclose(ys(analytic), 0.8 ** np.arange(21), rtol=1e-6)
    assert not by_name(fig, "best case")  # tanh' ≤ 1: the bound is |w|^k itself
    assert not by_name(fig, "exactly 0") and not by_name(fig, "overflow")


def test_sigmoid_adds_the_quarter_bound():
    res = demo.run_chain(demo.ChainConfig(w=1.0, length=10, activation="sigmoid"))
    fig = figs.gradient_norm_figure(res, activation="sigmoid")
    np.testing.assert_allclose(ys(by_name(fig, "best case")[0]), 0.25 ** np.arange(11), rtol=1e-6)


def test_overflow_is_drawn_and_labelled():
    res = demo.run_chain(demo.ChainConfig(w=3.0, length=200, activation="identity", precision="float32"))
    fig = figs.gradient_norm_figure(res, activation="identity")
    over = by_name(fig, "overflow")[0]
    assert list(over.x) == list(range(81, 201))
    assert any("overflowed at k = 81" in (a.text or "") for a in fig.layout.annotations)
    lo, hi = fig.layout.yaxis.range
    assert lo < np.log10(over.y[0]) < hi
    # Values above float32's range are sent as float64 so that they are not turned into inf on the way.
    assert np.isfinite(ys(by_name(fig, "|∂L/∂h| with identity")[0])[:81]).all()


def test_exact_zeros_are_drawn_on_the_floor():
    res = demo.run_chain(demo.ChainConfig(w=0.9, length=50, activation="relu", input_scale=0.5))
    fig = figs.gradient_norm_figure(res, activation="relu")
    zeros = by_name(fig, "exactly 0")[0]
    assert list(zeros.x) == list(range(res.zero_distance, 51))
    assert any(f"exactly 0 from k = {res.zero_distance}" in (a.text or "") for a in fig.layout.annotations)
    assert np.log10(zeros.y[0]) > fig.layout.yaxis.range[0]


# -- activation ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "note"), [("sigmoid", "σ′ ≤ 0.25"), ("tanh", "→ 0 for large"),
                                            ("relu", "0 or 1"), ("identity", "always 1")])
def test_activation_figure(name, note):
    a, y, d = curve(name)
    res = demo.run_chain(demo.ChainConfig(length=12, activation=name))
    fig = figs.activation_figure(name, a, y, d, res)
    fn, deriv = fig.data[0], fig.data[1]
    np.testing.assert_allclose(ys(fn), y, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(ys(deriv), d, rtol=1e-6, atol=1e-7)
    assert deriv.xaxis == "x2" and deriv.yaxis == "y2"
    assert any(note in (ann.text or "") for ann in fig.layout.annotations)
    run = by_name(fig, "this run's steps")
    assert len(run) == 2 and len(run[0].x) == 12
    saturated = [s for s in fig.layout.shapes if s.type == "rect"]
    assert bool(saturated) == (name in ("sigmoid", "tanh", "relu"))


def test_activation_figure_reports_points_off_the_chart():
    a, y, d = curve("identity")
    res = demo.run_chain(demo.ChainConfig(w=2.0, length=30, activation="identity"))
    fig = figs.activation_figure("identity", a, y, d, res)
    assert any("drawn at the edge" in (ann.text or "") for ann in fig.layout.annotations)
    assert np.abs(np.asarray(by_name(fig, "this run's steps")[0].x, dtype=float)).max() <= 6.0


def test_activation_and_derivative_are_stacked_full_width():
    """One panel above the other, each as wide as the figure: the derivative's labels fit on a phone."""
    a, y, d = curve("tanh")
    fig = figs.activation_figure("tanh", a, y, d, demo.run_chain(demo.ChainConfig(activation="tanh")))
    lay = fig.layout
    assert tuple(lay.xaxis.domain) == tuple(lay.xaxis2.domain) == (0, 1)
    assert lay.yaxis.domain[0] > lay.yaxis2.domain[1]


def test_run_points_and_arrows_are_drawn_opaque():
    """Marks at reduced opacity fall below 3:1 against the page (WCAG AA for graphics)."""
    a, y, d = curve("tanh")
    fig = figs.activation_figure("tanh", a, y, d, demo.run_chain(demo.ChainConfig(activation="tanh")))
    for trace in by_name(fig, "this run's steps"):
        assert trace.marker.opacity in (None, 1) and trace.opacity in (None, 1)
    for arrow in figs.clip_vector_figure(demo.clip_2d(8.0, 3.0, 5.0)).data:
        assert arrow.marker.opacity == 1  # a list of sizes would otherwise make Plotly draw them at 0.7


# -- matrix case ---------------------------------------------------------------------------------------
def test_eigenvalue_figure():
    m = demo.run_matrix(demo.MatrixConfig(hidden=6, radius=1.4, length=10, activation="identity"))
    fig = figs.eigenvalue_figure(m)
    ev = by_name(fig, "eigenvalues")[0]
    assert len(ev.x) == 6
    np.testing.assert_allclose(np.hypot(np.asarray(ev.x, float), ys(ev)), 1.4, rtol=1e-5)
    unit = by_name(fig, "unit circle")[0]
    np.testing.assert_allclose(np.hypot(np.asarray(unit.x, float), ys(unit)), 1.0, rtol=1e-5)
    assert fig.layout.yaxis.scaleanchor == "x"
    assert ev.marker.color == VERMILLION  # outside the unit circle: growth
    assert figs.radius_color(0.5) == BLUE and figs.radius_color(1.0) == GREEN


def test_matrix_norm_figure():
    m = demo.run_matrix(demo.MatrixConfig(hidden=6, radius=0.7, length=10, activation="tanh"))
    fig = figs.matrix_norm_figure(m, activation="tanh")
    np.testing.assert_allclose(ys(by_name(fig, "with tanh")[0]), m.norms, rtol=1e-6)
    np.testing.assert_allclose(ys(by_name(fig, "ρ<sup>k</sup>")[0]), 0.7 ** np.arange(10), rtol=1e-6)


# -- clipping ------------------------------------------------------------------------------------------
def test_clip_vector_figure_draws_three_arrows_with_angles():
    c = demo.clip_2d(8.0, 3.0, 5.0)
    fig = figs.clip_vector_figure(c)
    orig, val, nrm = fig.data
    assert (orig.x[1], orig.y[1]) == (8.0, 3.0)
    assert (val.x[1], val.y[1]) == (5.0, 3.0)
    assert np.hypot(nrm.x[1], nrm.y[1]) == pytest.approx(5.0, rel=1e-6)
    assert f"{c.angle_value:.1f}°" in val.name and "0.0°" in nrm.name
    assert list(val.marker.symbol) == ["circle", "arrow"]
    kinds = sorted(s.type for s in fig.layout.shapes)
    assert kinds == ["circle", "rect"]


def test_clip_effect_figure_slides_the_curve_down():
    chain = demo.run_chain(demo.ChainConfig(w=2.0, length=50, activation="identity"))
    rc = demo.clip_run(chain, 1.0)
    fig = figs.clip_effect_figure(rc)
    before, after = by_name(fig, "before")[0], by_name(fig, "after clip by norm")[0]
    np.testing.assert_allclose(ys(after) / ys(before), rc.scale, rtol=1e-5)


def test_clip_effect_figure_of_an_overflowed_gradient_has_no_after_curve():
    chain = demo.run_chain(demo.ChainConfig(w=3.0, length=200, activation="identity", precision="float32"))
    fig = figs.clip_effect_figure(demo.clip_run(chain, 1.0))
    assert not by_name(fig, "after clip")
    assert by_name(fig, "overflow")


def test_log_axes_label_powers_of_ten_only():
    """A flat curve (ρ = 1, identity) spans two decades: Plotly would label 2 and 5 between them at 9 px."""
    m = demo.run_matrix(demo.MatrixConfig(radius=1.0, activation="identity"))
    res = demo.run_chain(demo.ChainConfig())
    for fig in (figs.matrix_norm_figure(m, activation="identity"), figs.gradient_norm_figure(res, activation="tanh"),
                figs.clip_effect_figure(demo.clip_run(res, 1.0))):
        assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.dtick >= 1 and fig.layout.yaxis.tick0 == 0
