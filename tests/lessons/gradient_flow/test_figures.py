"""views.figures.gradient_flow on small hand-made data. (The bidirectional figures' tests moved to
tests/lessons/gated/test_bidirectional_figures.py with that lesson.)"""

from __future__ import annotations

import numpy as np
import pytest

from lessons.gradient_flow import figures as gfigs


def texts(fig) -> str:
    return " ".join(a.text or "" for a in fig.layout.annotations)


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
    decades = fig.layout.yaxis.range[1] - fig.layout.yaxis.range[0]
    dtick = fig.layout.yaxis.dtick  # powers of ten only, at most about six labels
    assert isinstance(dtick, int) and dtick >= 1 and decades / dtick <= 7


def test_loss_figure():
    fig = gfigs.loss_figure({"rnn": np.full(5, 0.2), "gru": np.linspace(0.2, 0.01, 5)}, 1 / 6)
    assert [d.name for d in fig.data] == ["RNN", "GRU"]
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.shapes[0].y0 == pytest.approx(1 / 6)
    # On a log axis an annotation's y is log10 of the value (a shape's is the value): the label sits on the line.
    assert fig.layout.annotations[0].y == pytest.approx(np.log10(1 / 6))
    assert fig.layout.legend.x == 0 and fig.layout.legend.yanchor == "bottom"  # under the title, not over it
    assert fig.layout.yaxis.dtick == 1  # powers of ten only: no "2" and "5" between them
