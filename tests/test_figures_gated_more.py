"""views.figures.bidirectional and views.figures.gradient_flow on small hand-made data."""

from __future__ import annotations

import numpy as np
import pytest

from views.figures import bidirectional as bfigs
from views.figures import gradient_flow as gfigs


def texts(fig) -> str:
    return " ".join(a.text or "" for a in fig.layout.annotations)


# -- bidirectional ------------------------------------------------------------------------------------
def test_direction_heatmaps_stack_both_halves():
    T, H = 6, 2
    fwd, bwd = np.full((T, H), 0.5), np.full((T, H), -0.2)
    fig = bfigs.direction_heatmaps(np.zeros(T), fwd, bwd, t=2)
    heat = [d for d in fig.data if d.type == "heatmap"]
    assert [d.name for d in heat] == ["h→", "h←", "output"]
    out = heat[2].z  # (2H, T): forward units first, then backward
    np.testing.assert_allclose(out[:H], 0.5)
    np.testing.assert_allclose(out[H:], -0.2)
    assert len({d.coloraxis for d in heat}) == 1  # one shared symmetric scale
    assert fig.layout.coloraxis.cmax == pytest.approx(0.5) and fig.layout.coloraxis.cmin == pytest.approx(-0.5)
    divider = [s for s in fig.layout.shapes if s.type == "line"][0]
    out_start = heat[2].y[0]  # the output row: forward units at out_start .. out_start + H - 1, then backward
    assert divider.y0 == divider.y1 == out_start + H - 0.5 and divider.yref == "y2"
    assert fig.layout.shapes[0].x0 == 1.5  # the step cursor


def test_sensitivity_bars_leave_out_what_a_direction_cannot_see():
    fwd = np.array([0.01, 0.1, 1.0, 0.0, 0.0])
    bwd = np.array([0.0, 0.0, 0.8, 0.2, 0.05])
    fig = bfigs.sensitivity_bars(fwd, bwd, t=2)
    f, b = fig.data
    assert np.isnan(f.y[3:]).all() and np.isnan(b.y[:2]).all()
    assert fig.layout.yaxis.type == "log"
    assert "t = 2" in fig.layout.title.text and "the future" in fig.layout.xaxis.title.text


def test_sensitivity_maps_are_triangles_on_a_log_colour_scale():
    T = 4
    fwd = np.tril(np.full((T, T), 0.1))
    bwd = np.triu(np.full((T, T), 0.01))
    fig = bfigs.sensitivity_maps(fwd, bwd, t=1)
    f, b = fig.data
    assert np.isnan(f.z[0, 3]) and f.z[3, 0] == pytest.approx(-1.0)
    assert np.isnan(b.z[3, 0]) and b.z[0, 3] == pytest.approx(-2.0)
    assert fig.layout.coloraxis.cmin == -2 and fig.layout.coloraxis.cmax == -1
    assert "s ≤ t" in texts(fig) and "s ≥ t" in texts(fig)
    assert len(fig.layout.shapes) == 2  # the row of step t, in both maps


def test_readout_figure():
    r2 = {"forward": -0.01, "backward": 0.9, "both": 0.95}
    t = np.arange(1, 5)
    fig = bfigs.readout_figure(r2, t, np.ones(4), {k: np.ones(4) for k in r2}, "x<sub>t+1</sub>")
    bars = fig.data[0]
    assert list(bars.y) == [0.0, 0.9, 0.95]  # a negative R² is drawn as 0
    assert list(bars.text) == ["-0.01", "0.90", "0.95"]
    assert [d.name for d in fig.data[1:]] == ["target", "→ only", "← only", "both"]


# -- gradient flow ------------------------------------------------------------------------------------
def _panel(scale: float) -> dict:
    d = np.arange(10)
    return {"rnn": {"h": 0.3**d, "c": None, "reach": 5},
            "lstm": {"h": 0.8**d * scale, "c": 0.9**d, "reach": 9},
            "gru": {"h": np.r_[1.0, np.zeros(9)], "c": None, "reach": 0}}


def test_flow_figure_has_two_log_panels_and_reach_markers():
    fig = gfigs.flow_figure({"at initialisation": _panel(1.0), "after training": _panel(1.0)}, 1e-3)
    assert fig.layout.yaxis.type == fig.layout.yaxis2.type == "log"
    assert fig.layout.yaxis2.matches == "y"
    assert "at initialisation" in texts(fig) and "after training" in texts(fig)
    lines = [d for d in fig.data if d.mode == "lines"]
    assert {d.name for d in lines} >= {"RNN  ‖∂L/∂h‖", "LSTM  ‖∂L/∂c‖ (cell state)", "GRU  ‖∂L/∂h‖"}
    assert sum(d.showlegend is not False for d in lines) == 4  # legend entries once, not per panel
    diamonds = [d for d in fig.data if d.mode == "markers"]
    assert sorted(int(d.x[0]) for d in diamonds) == [0, 0, 5, 5, 9, 9]
    gru = next(d for d in lines if d.name == "GRU  ‖∂L/∂h‖")
    assert np.isnan(gru.y[1:]).all()  # zeros cannot sit on a log axis
    assert [s.y0 for s in fig.layout.shapes] == [1e-3, 1e-3]


def test_loss_figure():
    fig = gfigs.loss_figure({"rnn": np.full(5, 0.2), "gru": np.linspace(0.2, 0.01, 5)}, 1 / 6)
    assert [d.name for d in fig.data] == ["RNN", "GRU"]
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.shapes[0].y0 == pytest.approx(1 / 6)
    # On a log axis an annotation's y is log10 of the value (a shape's is the value): the label sits on the line.
    assert fig.layout.annotations[0].y == pytest.approx(np.log10(1 / 6))
