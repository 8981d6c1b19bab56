"""The home page's example sequences and figures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.home import figures as figs
from lessons.home import recipe as demo


def test_examples_are_seeded_finite_and_named():
    a, b = demo.example_sequences(), demo.example_sequences()
    assert [e.name for e in a] == ["Stock price", "Daily temperature (°C)", "Audio waveform"]
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x.values, y.values)
        assert x.t.shape == x.values.shape and np.isfinite(x.values).all()
    assert (a[0].values > 0).all()  # a price stays positive


def test_window_view_picks_the_last_values():
    assert demo.window_view(np.arange(20.0), 5) == (15, 19)
    with pytest.raises(ValueError, match="window"):
        demo.window_view(np.arange(3.0), 4)


def test_examples_figure_has_one_panel_per_example():
    ex = demo.example_sequences()
    fig = figs.examples_figure(ex)
    assert len(fig.data) == 3
    assert {t.xaxis for t in fig.data} == {"x", "x2", "x3"}
    go.Figure(fig.to_dict())  # valid Plotly


def test_memory_figure_shades_the_window():
    stock = demo.example_sequences()[0]
    fig = figs.memory_figure(stock, demo.window_view(stock.values, 10))
    band = fig.layout.shapes[0]
    assert band.x1 - band.x0 == pytest.approx(10)
    assert any("10 days" in a.text for a in fig.layout.annotations)
    go.Figure(fig.to_dict())
