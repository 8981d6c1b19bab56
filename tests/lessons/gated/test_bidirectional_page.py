"""AppTest for the bidirectional-LSTM lesson (/bidirectional): it renders, charts react to widgets, the URL
reproduces the view, bad input is a message."""

from __future__ import annotations

import numpy as np
from apptest_helpers import at_defaults, charts, decode, error_after_typing, open_lesson, opener

PAGE = "lessons/gated/bidirectional_page.py"
HEAT, BARS, MAPS, READOUT = range(4)


open_page = opener(PAGE)
page = at_defaults(PAGE)


def test_renders_the_four_charts(page):
    specs = charts(page)
    assert len(specs) == 4
    assert [d["name"] for d in specs[HEAT]["data"]] == ["x", "h→", "h←", "output"]
    assert [d["name"] for d in specs[BARS]["data"]] == ["forward half →", "backward half ←"]
    assert page.get("download_button") and not page.error


def test_step_slider_moves_what_each_half_can_see():
    at = open_page()
    at.slider(key="bidir_t").set_value(3).run()
    fwd, bwd = (decode(d["y"]) for d in charts(at)[BARS]["data"])
    # Steps 1..T: entry k of the bars is input step s = k + 1.
    assert np.isnan(fwd[3:]).all() and np.isfinite(fwd[:3]).all()  # the forward half sees s <= 3 only
    assert np.isnan(bwd[:2]).all() and np.isfinite(bwd[2:]).all()  # the backward half sees s >= 3 only
    assert charts(at)[HEAT]["layout"]["shapes"][0]["x0"] == 2.5


def test_future_task_needs_the_backward_direction():
    at = open_page()
    r2 = dict(zip(["forward", "backward", "both"], decode(charts(at)[READOUT]["data"][0]["y"]), strict=True))
    assert r2["forward"] < 0.05 and r2["backward"] > 0.5  # default task: the next input
    at.radio(key="bidir_task").set_value("the previous input").run()
    r2 = dict(zip(["forward", "backward", "both"], decode(charts(at)[READOUT]["data"][0]["y"]), strict=True))
    assert r2["backward"] < 0.05 and r2["forward"] > 0.5


def test_query_params_reproduce_the_view():
    at = open_page(bidir_T="10", bidir_H="2", bidir_pattern="sine wave", bidir_t="7")
    assert at.slider(key="bidir_t").value == 7
    heat = charts(at)[HEAT]
    out = next(d for d in heat["data"] if d["name"] == "output")
    assert decode(out["z"]).shape == (4, 10)
    assert "t = 7" in charts(at)[BARS]["layout"]["title"]["text"]


def test_bad_typed_numbers_show_an_error_not_a_traceback():
    at = open_page(bidir_pattern="my own numbers")
    assert "'three'" in error_after_typing(at, "bidir_numbers", "1 2 three")


def test_the_readout_sentence_follows_the_scores():
    """The issue's case: at H = 2 the previous input is barely held, and the page says so."""
    text = " ".join(m.value for m in open_page(bidir_task="the previous input", bidir_H="2").markdown)
    assert "keeps little of it" in text and "clear" not in text.split("To output")[1].split("Both")[0]
    text = " ".join(m.value for m in open_page(bidir_task="the previous input").markdown)
    assert "has read it and holds it" in text


def test_try_links_under_the_lesson():
    at = open_lesson(PAGE)
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    assert {"Look back", "Both neighbours"} <= set(links)
    assert links["Look back"].query_string == "bidir_task=the+previous+input"
    assert links["Both neighbours"].query_string == "bidir_task=both+neighbours"
