"""The shared training curves: a loss per step with its moving average, validation points and a baseline line."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.kit import curves


def names(fig) -> list[str]:
    return [t.name for t in fig.data]


def test_loss_curves_pass_plotly_validation():
    """Rebuild with Plotly's validation on: the figures skip it for speed, so the tests must not."""
    loss = np.geomspace(5, 0.01, 1200)  # long enough for WebGL lines
    for fig in (curves.loss_curves(loss, loss, np.array([600, 1200]), np.array([0.5, 0.02]), baseline=0.05,
                                   total_steps=2400, title="live"),
                curves.loss_curves(loss[:5], loss[:5], np.array([]), np.array([]))):
        go.Figure(fig.to_dict())


def test_loss_curves_go_log_when_the_loss_falls_far_and_show_the_baseline():
    loss = np.geomspace(5, 0.01, 300)
    fig = curves.loss_curves(loss, loss, np.array([0, 100, 300]), np.array([6, 0.1, 0.02]), baseline=0.05,
                             baseline_name="memoryless", total_steps=400)
    assert names(fig) == ["training (each batch)", "training (smoothed)", "validation"]
    assert fig.layout.yaxis.type == "log" and tuple(fig.layout.xaxis.range) == (0, 400)
    note = next(a for a in fig.layout.annotations if a.text == "memoryless")
    assert note.y == pytest.approx(np.log10(0.05))  # placed in log units on a log axis
    assert fig.layout.shapes[0].y0 == 0.05


def test_loss_curves_stay_linear_for_a_flat_loss_and_thin_long_runs():
    loss = 1 + 0.1 * np.sin(np.arange(5000))
    fig = curves.loss_curves(loss, loss, np.array([]), np.array([]))
    assert fig.layout.yaxis.type == "linear" and len(fig.data) == 2
    assert len(fig.data[0].x) <= curves.MAX_LINE_POINTS + 1 and fig.data[0].x[-1] == 5000
