"""lessons.gated.bidirectional_film: one frame per step, each frame's numbers the recipe's, only scatter traces
moving (so the browser switches frames without a redraw), and a layout whose parts never overlap."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.gated import bidirectional_film as bf
from lessons.gated import bidirectional_recipe as recipe
from lessons.gated.stories import power

DEFAULT = recipe.BiConfig()
LARGEST = recipe.BiConfig(steps=recipe.MAX_STEPS, hidden=8)  # the page's maximum T and H


@pytest.fixture(scope="module", params=[DEFAULT, LARGEST], ids=["defaults", "T60-H8"])
def case(request):
    cfg = request.param
    run, sens = recipe.run_bidirectional(cfg), recipe.sensitivity(cfg)
    start = cfg.steps // 2
    return cfg, run, sens, start, bf.film(run, sens, start, link_key="bidir_t").to_dict()


def shown(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def dynamic_index(spec: dict, name: str) -> int:
    return len(spec["data"]) - len(bf.DYNAMIC) + bf.DYNAMIC.index(name)


def test_one_frame_per_step_and_the_slider_starts_at_the_start(case):
    cfg, _, _, start, spec = case
    slider = spec["layout"]["sliders"][0]
    assert len(spec["frames"]) == cfg.steps
    assert [s["label"] for s in slider["steps"]] == [str(t) for t in range(1, cfg.steps + 1)]
    assert slider["active"] == start - 1 and spec["layout"]["meta"]["link_key"] == "bidir_t"


def test_frames_move_only_scatter_traces_without_a_redraw(case):
    *_, spec = case
    moving = {i for f in spec["frames"] for i in f["traces"]}
    assert {spec["data"][i]["type"] for i in moving} == {"scatter"}
    assert all(s["args"][1]["frame"]["redraw"] is False for s in spec["layout"]["sliders"][0]["steps"])
    heat = [d for d in spec["data"] if d["type"] == "heatmap"]
    assert [d["name"] for d in heat] == ["h→", "h←", "output"]  # drawn once, never in a frame


@pytest.mark.parametrize("where", ["first", "start", "middle", "last"])
def test_every_frame_holds_the_recipes_numbers_for_its_step(case, where):
    cfg, _, sens, start, spec = case
    T = cfg.steps
    t = {"first": 1, "start": start, "middle": T // 3, "last": T}[where]
    frame = dict(zip(spec["frames"][t - 1]["traces"], spec["frames"][t - 1]["data"], strict=True))
    fwd = shown(frame[dynamic_index(spec, "forward profile")]["y"])
    bwd = shown(frame[dynamic_index(spec, "backward profile")]["y"])
    # The forward line stops at the cursor, the backward line starts there: a gap exactly where a half is blind.
    assert np.isnan(fwd[t:]).all() and np.isnan(bwd[: t - 1]).all()
    np.testing.assert_allclose(fwd[:t], sens.forward[t - 1, :t], rtol=1e-3)
    np.testing.assert_allclose(bwd[t - 1:], sens.backward[t - 1, t - 1:], rtol=1e-3)
    for name in ("input cursor", "state cursor", "profile cursor"):
        assert frame[dynamic_index(spec, name)]["x"] == [t - 0.5, t + 0.5, t + 0.5, t - 0.5, t - 0.5]
    text = frame[dynamic_index(spec, "numbers")]["text"][0]
    assert text == bf.step_text(sens, t) and f"<b>t = {t}</b>" in text
    assert power(sens.forward[t - 1, t - 1]) in text and power(sens.backward[t - 1, t - 1]) in text


def test_the_start_frame_is_what_the_figure_first_shows(case):
    _, _, sens, start, spec = case
    fwd = shown(spec["data"][dynamic_index(spec, "forward profile")]["y"])
    np.testing.assert_allclose(fwd[:start], sens.forward[start - 1, :start], rtol=1e-3)
    assert spec["data"][dynamic_index(spec, "numbers")]["text"] == [bf.step_text(sens, start)]
    assert spec["data"][dynamic_index(spec, "step label")]["x"] == [start]


def test_the_parts_are_stacked_without_overlap(case):
    *_, spec = case
    lay = spec["layout"]
    profile, states, row_x, text = (lay[k]["domain"] for k in ("yaxis3", "yaxis2", "yaxis", "yaxis4"))
    assert 0 == profile[0] < profile[1] < states[0] < states[1] < row_x[0] < row_x[1] <= text[0] < text[1] == 1
    bar = lay["coloraxis"]["colorbar"]  # the colour bar moved with the heatmaps it explains
    assert states[0] <= bar["y"] - bar["len"] / 2 and bar["y"] + bar["len"] / 2 <= row_x[1]
    assert lay["yaxis3"]["type"] == "log" and lay["xaxis3"]["matches"] == "x"  # one time axis for all


def test_the_payload_stays_small(case):
    cfg, run, sens, start, _ = case
    size = len(bf.film(run, sens, start).to_json())
    assert size < (60_000 if cfg.steps == 24 else 160_000), size


def test_the_figure_is_valid_plotly(case):
    *_, spec = case
    go.Figure({k: v for k, v in spec.items() if k != "frames"})  # raises on an invalid property
    for frame in spec["frames"][:3]:
        go.Frame(frame)
    json.dumps(spec["frames"])


def test_the_profile_axis_spans_at_most_ten_decades():
    sens = recipe.Sensitivity(forward=np.tril(np.full((4, 4), 1e-30)) + np.diag([2.0] * 4),
                              backward=np.triu(np.full((4, 4), 0.5)))
    assert bf.profile_decades(sens) == (1 - bf.DECADES, 1)
    assert bf.profile_decades(recipe.Sensitivity(np.zeros((2, 2)), np.zeros((2, 2)))) == (-1, 1)


def test_step_text_at_the_ends_and_for_a_single_step():
    fwd = np.tril(np.full((5, 5), 0.01)) + np.diag([0.5] * 5)
    bwd = np.triu(np.full((5, 5), 0.3)) + np.diag([0.2] * 5)
    sens = recipe.Sensitivity(forward=fwd, backward=bwd)
    first = bf.step_text(sens, 1)
    assert "forward h→₁ has read only x₁" in first and "backward h←₁ has read x₅…x₁" in first
    assert "The backward half still depends strongly" in first  # 0.3 on x₅ against 0.5 on x₁
    last = bf.step_text(sens, 5)
    assert "forward h→₅ has read x₁…x₅" in last and "backward h←₅ has read only x₅" in last
    assert "It fades with distance" in last  # 0.01 on x₁ against 0.51 on x₅
    both = recipe.Sensitivity(forward=np.tril(np.ones((3, 3))), backward=np.triu(np.ones((3, 3))))
    assert "Both halves still depend strongly on their farthest input" in bf.step_text(both, 2)
    one = recipe.Sensitivity(forward=np.ones((1, 1)), backward=np.ones((1, 1)))
    assert "both halves see only x₁" in bf.step_text(one, 1)


def test_a_start_outside_the_sequence_is_refused():
    run, sens = recipe.run_bidirectional(DEFAULT), recipe.sensitivity(DEFAULT)
    with pytest.raises(ValueError, match="start: expected a step from 1 to 24, got 25"):
        bf.film(run, sens, 25)
