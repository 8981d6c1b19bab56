"""The w sweep on /unrolled: the recipe's one-pass sweep is the engine's run at every w, and the figure holds one
frame per w that changes only scatter traces (switched in the browser without a redraw)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.unrolled import recipe
from lessons.unrolled.sweep import sweep_film


def sweep(**kw) -> recipe.Sweep:
    return recipe.sweep_w(recipe.UnrolledConfig(**kw))


def spec(fig: go.Figure) -> dict:
    return json.loads(json.dumps(fig.to_dict(), default=lambda v: v.tolist()))


@pytest.mark.parametrize("kw", [dict(), dict(hidden=4, sequence="sine", length=30), dict(activation="relu")])
def test_the_sweep_is_the_engines_run_at_every_w(kw):
    sw = sweep(**kw)
    assert sw.ws[0] == -3.0 and sw.ws[-1] == 3.0 and np.allclose(np.diff(sw.ws), 0.05)
    for k in (0, 37, 76, 120):
        run = recipe.run_unrolled(recipe.UnrolledConfig(**{**kw, "w_rec": float(sw.ws[k])}))
        np.testing.assert_allclose(sw.h[k], run.h, rtol=1e-12, atol=1e-12)


def test_the_grid_is_the_sliders_range_and_step():
    from lessons.unrolled.settings import SETTINGS

    s = SETTINGS["w_rec"]
    assert (recipe.W_GRID[0], recipe.W_GRID[-1]) == (s.lo, s.hi) and np.allclose(np.diff(recipe.W_GRID), s.step)


def test_one_frame_per_w_starting_at_the_pages_w_and_only_scatter_changes():
    d = spec(sweep_film(sweep(w_rec=0.8)))
    slider = d["layout"]["sliders"][0]
    assert len(d["frames"]) == 121 and slider["steps"][slider["active"]]["label"] == "0.80"
    for frame in d["frames"]:
        assert all(d["data"][i]["type"] == "scatter" for i in frame["traces"])
        assert all(set(u) <= {"x", "y", "text"} for u in frame["data"])
    assert slider["steps"][0]["args"][1]["frame"]["redraw"] is False


def test_a_bounded_activation_draws_h_itself_on_a_fixed_axis():
    sw = sweep()
    d = spec(sweep_film(sw))
    np.testing.assert_allclose(d["frames"][100]["data"][0]["y"], sw.h[100, :, 0], rtol=1e-6, atol=1e-7)
    lo, hi = d["layout"]["yaxis"]["range"]
    assert lo < sw.h.min() and hi > sw.h.max() and d["layout"]["yaxis"].get("type") != "log"


def test_an_unbounded_activation_draws_the_size_on_a_log_axis_with_zeros_and_overflow_on_the_edges():
    sw = sweep(activation="relu", length=200, w_in=1.0)
    d = spec(sweep_film(sw))
    assert d["layout"]["yaxis"]["type"] == "log"
    negative = int(np.argmin(np.abs(sw.ws + 1.0)))  # w = −1: ReLU cuts the echo to exactly 0
    line, zeros, over, _ = d["frames"][negative]["data"]
    at_zero = np.asarray(line["y"], dtype=float)[np.array(zeros["x"]) - 1]
    assert len(zeros["x"]) > 0 and np.isnan(at_zero).all()  # a gap in the line, a marker on the bottom edge
    # The sliders cannot overflow the state (3^200 · 300 < 1.8e308); a sweep that did is drawn like this:
    sw = sweep(activation="identity", length=30)
    size = sw.size.copy()
    size[120, 20:] = np.inf
    big = spec(sweep_film(dataclasses.replace(sw, size=size)))["frames"][120]["data"]
    assert len(big[2]["x"]) > 0 and "overflows at t = " in big[3]["text"][0]


def test_the_summary_quotes_the_frames_numbers():
    sw = sweep()
    text = spec(sweep_film(sw))["frames"][76]["data"][-1]["text"][0]
    assert text.startswith("w = 0.80: largest |h| = 0.762 at t = 3") and "after the last step 0.0787" in text
    assert spec(sweep_film(sw))["layout"]["sliders"][0]["steps"][0]["label"] == "−3.00"


@pytest.mark.parametrize("kw", [dict(), dict(activation="identity", hidden=5, length=60)])
def test_the_sweep_passes_plotly_validation(kw):
    go.Figure(sweep_film(sweep(**kw)).to_dict())


def test_the_story_of_a_sweep_over_typed_numbers_reads_the_runs_own_length():
    """Typed numbers with a config length that is not theirs (an engine caller, or an old link) tell the story
    without indexing past the run."""
    from lessons.unrolled.stories import SWEEP_HOW, sweep_story

    sw = sweep(sequence="typed", values=(1.0, 0.0, 0.0), length=200)
    assert sw.size.shape[1] == 3 and sweep_story(sw) == SWEEP_HOW
