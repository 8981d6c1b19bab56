"""lessons.gated.bidirectional_figures on small hand-made data."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.gated import bidirectional_figures as bfigs


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
    assert fig.layout.shapes[0].x0 == 1.5  # the step cursor at t = 2, steps 1..T
    np.testing.assert_array_equal(heat[0].x, np.arange(1, T + 1))


def test_sensitivity_maps_are_triangles_on_a_log_colour_scale():
    T = 4
    fwd = np.tril(np.full((T, T), 0.1))
    bwd = np.triu(np.full((T, T), 0.01))
    fig = bfigs.sensitivity_maps(fwd, bwd, t=1)
    f, b = fig.data
    np.testing.assert_array_equal(f.x, [1, 2, 3, 4]) and np.testing.assert_array_equal(f.y, [1, 2, 3, 4])
    assert fig.layout.shapes[0].y0 == 0.5 and fig.layout.shapes[0].y1 == 1.5  # the row of output step t = 1
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
    assert list(bars.text) == ["−0.01", "0.90", "0.95"]
    tiny = bfigs.readout_figure({"forward": -0.001, "backward": 0.9, "both": 0.95}, t, np.ones(4),
                                {k: np.ones(4) for k in r2}, "x")
    assert tiny.data[0].text[0] == "0.00"  # never "-0.00"
    assert [d.name for d in fig.data[1:]] == ["target", "→ only", "← only", "both"]
