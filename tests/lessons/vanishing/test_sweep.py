"""The w sweep on /vanishing-gradients: the recipe's one-pass sweep is the engine's chain at every w (bitwise), and
the figure holds one frame per w, with the run's numbers, that changes only scatter traces (no redraw)."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.kit.numbers import compact
from lessons.kit.scrub import CONTROLS_PX
from lessons.vanishing import recipe
from lessons.vanishing.settings import SETTINGS
from lessons.vanishing.sweep import HEIGHT, readout, rounded, sweep_film

CASES = [dict(), dict(activation="identity", length=200, precision="float32"),
         dict(activation="relu", length=200, input_scale=3.0), dict(activation="sigmoid", length=1),
         dict(activation="identity", length=200)]
IDS = ["defaults", "identity-T200-float32", "relu-T200-x3", "sigmoid-T1", "identity-T200"]
SAMPLES = (0, 1, 19, 20, 21, 30, 41, 60)  # w = 0, 0.05, 0.95, 1, 1.05, 1.5, 2.05, 3


def sweep(**kw) -> recipe.ChainSweep:
    return recipe.sweep_chain(recipe.ChainConfig(**kw))


def spec(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


def as_floats(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def test_the_grid_is_the_sliders_range_in_steps_of_0_05():
    s = SETTINGS["w"]
    assert recipe.W_GRID.size == 61 and (recipe.W_GRID[0], recipe.W_GRID[-1]) == (s.lo, s.hi)
    assert np.allclose(np.diff(recipe.W_GRID), 0.05)


@pytest.mark.parametrize("kw", CASES, ids=IDS)
def test_the_sweep_is_the_engines_chain_at_every_w(kw):
    sw = sweep(**kw)
    for s in SAMPLES:
        run = recipe.run_chain(recipe.ChainConfig(**{**kw, "w": float(sw.ws[s])}))
        assert np.array_equal(sw.grad[s], run.grad, equal_nan=True)
        assert np.array_equal(sw.analytic[s], run.analytic) and np.array_equal(sw.deriv[s], run.deriv, equal_nan=True)
        assert sw.overflow[s] == (-1 if run.overflow_distance is None else run.overflow_distance)
        assert sw.zero[s] == (-1 if run.zero_distance is None else run.zero_distance)
        with np.errstate(divide="ignore"):
            assert sw.rate[s] == pytest.approx(np.exp(np.mean(np.log(run.factors))), rel=1e-12, abs=0)


def test_the_sweep_starts_at_the_grid_point_nearest_the_pages_w():
    assert sweep(w=1.73).start == 35 and sweep(w=0.0).start == 0 and sweep(w=3.0).start == 60
    assert recipe.sweep_key(recipe.ChainConfig(w=1.73)) == recipe.sweep_key(recipe.ChainConfig(w=1.76))
    assert recipe.sweep_key(recipe.ChainConfig(w=1.73)) != recipe.sweep_key(recipe.ChainConfig(w=1.73, length=49))


def test_one_frame_per_w_starting_at_the_pages_w_and_only_scatter_changes():
    d = spec(sweep_film(sweep(w=0.5)))
    slider = d["layout"]["sliders"][0]
    assert len(d["frames"]) == 61 and slider["steps"][slider["active"]]["label"] == "0.50"
    assert [step["label"] for step in slider["steps"]] == [f"{w:.2f}" for w in recipe.W_GRID]
    for frame in d["frames"]:
        assert all(d["data"][i]["type"] == "scatter" for i in frame["traces"])
        assert all(set(u) <= {"x", "y", "text"} for u in frame["data"])
    assert slider["steps"][0]["args"][1]["frame"]["redraw"] is False
    assert "meta" not in d["layout"]  # the position is not written to the address bar: the page's w is


@pytest.mark.parametrize("kw", CASES, ids=IDS)
def test_every_frame_draws_the_engines_numbers(kw):
    sw = sweep(**kw)
    d = spec(sweep_film(sw))
    for s in SAMPLES:
        run = recipe.run_chain(recipe.ChainConfig(**{**kw, "w": float(sw.ws[s])}))
        line, power, zeros, over, slopes, level, text = d["frames"][s]["data"]
        drawn = np.isfinite(run.grad) & (run.grad > 0)
        np.testing.assert_allclose(as_floats(line["y"])[drawn], run.grad[drawn], rtol=6e-4)
        assert np.isnan(as_floats(line["y"])[~drawn]).all()  # no point where a log axis cannot draw one
        end = run.analytic[-1] if run.analytic[-1] > 0 else np.nan  # |0|^T = 0 has no place on a log axis
        np.testing.assert_allclose(as_floats(power["y"]), [1.0, end], rtol=6e-4)
        np.testing.assert_allclose(as_floats(slopes["y"]), run.deriv[::-1], rtol=6e-4, atol=1e-12)
        assert zeros["x"][1:] == np.flatnonzero(run.grad == 0).tolist()
        assert over["x"][1:] == np.flatnonzero(~np.isfinite(run.grad)).tolist()
        assert level["y"][0] == (pytest.approx(1 / sw.ws[s], rel=6e-4) if sw.ws[s] > 0 else None)
        assert text["text"][0].startswith(f"w = {sw.ws[s]:.2f}: |∂L/∂h<sub>0</sub>|")


@pytest.mark.parametrize("kw", CASES, ids=IDS)
def test_the_log_axis_is_fixed_over_the_whole_sweep_and_holds_every_point(kw):
    sw = sweep(**kw)
    d = spec(sweep_film(sw))
    lo, hi = d["layout"]["yaxis"]["range"]
    shown = np.concatenate([as_floats(f["data"][0]["y"]) for f in d["frames"]])
    shown = shown[np.isfinite(shown)]
    assert lo < np.log10(shown.min()) and np.log10(shown.max()) < hi
    edges = [y for f in d["frames"] for trace in f["data"][2:4] for y in trace["y"] if y is not None]
    assert all(lo < np.log10(y) < hi for y in edges)  # zeros and overflow sit inside the drawn range
    assert "range" not in d["frames"][0] and d["layout"]["height"] == HEIGHT + CONTROLS_PX


def test_the_readout_quotes_the_runs_numbers():
    sw = sweep()
    run = recipe.run_chain(recipe.ChainConfig(w=1.0))
    expected = f"w = 1.00: |∂L/∂h<sub>0</sub>| = {compact(run.grad[-1], 8)}, |w|<sup>50</sup> = 1<br>"
    assert readout(sw, 20).startswith(expected)
    float32 = sweep(activation="identity", length=200, precision="float32")
    assert "overflowed at k = 81" in readout(float32, 60) and "= 2.66e95" in readout(float32, 60)
    assert readout(float32, 20).endswith("= 1: keeps its size") and readout(float32, 0).startswith(
        "w = 0.00: |∂L/∂h<sub>0</sub>| = 0 (from k = 1)")


def test_rounded_keeps_four_significant_digits_and_turns_the_unplottable_into_gaps():
    assert rounded([1.23456789e-300, 2.0**50, np.nan, np.inf, 0.0]) == [1.235e-300, 1.126e15, None, None, 0.0]


@pytest.mark.parametrize("kw", CASES, ids=IDS)
def test_the_sweep_passes_plotly_validation(kw):
    go.Figure(sweep_film(sweep(**kw)).to_dict())
