"""AppTest for the bidirectional-LSTM lesson (/bidirectional): it renders, charts react to widgets, the URL
reproduces the view, bad input is a message."""

from __future__ import annotations

import numpy as np
from apptest_helpers import at_defaults, charts, decode, error_after_typing, open_lesson, opener

PAGE = "lessons/gated/bidirectional_page.py"
FILM, MAPS, READOUT = range(3)


open_page = opener(PAGE)
page = at_defaults(PAGE)


def film_numbers(spec: dict) -> str:
    """The step's numbers drawn at the top of the film (its last trace)."""
    return spec["data"][-1]["text"][0]


def test_renders_the_three_charts(page):
    specs = charts(page)
    assert len(specs) == 3
    assert [d["name"] for d in specs[FILM]["data"][:6]] == ["x", "h→", "h←", "output", "forward →", "backward ←"]
    assert len(specs[FILM]["frames"]) == 24 and specs[FILM]["layout"]["sliders"][0]["active"] == 11  # t = 12
    assert not specs[MAPS]["layout"].get("shapes")  # no cursor on the maps: they show every step at once
    assert page.get("download_button") and not page.error


def test_the_film_starts_at_the_linked_step():
    at = open_page(bidir_t="3")
    film = charts(at)[FILM]
    assert film["layout"]["sliders"][0]["active"] == 2
    fwd, bwd = (decode(d["y"]) for d in film["data"][4:6])
    # Steps 1..T: entry k of a profile is input step s = k + 1.
    assert np.isnan(fwd[3:]).all() and np.isfinite(fwd[:3]).all()  # the forward half sees s <= 3 only
    assert np.isnan(bwd[:2]).all() and np.isfinite(bwd[2:]).all()  # the backward half sees s >= 3 only
    assert "<b>t = 3</b>" in film_numbers(film)


def test_a_step_link_the_film_cannot_show_gets_a_note():
    at = open_page(bidir_t="three")
    assert charts(at)[FILM]["layout"]["sliders"][0]["active"] == 11
    assert any("bidir\\_t = “three”" in c.value and "Starting at 12" in c.value for c in at.caption)
    # A step the setting allows (up to 60) but this sequence (T = 24) does not have: its last step.
    assert charts(open_page(bidir_t="30"))[FILM]["layout"]["sliders"][0]["active"] == 23


def test_future_task_needs_the_backward_direction():
    at = open_page()
    r2 = dict(zip(["forward", "backward", "both"], decode(charts(at)[READOUT]["data"][0]["y"]), strict=True))
    assert r2["forward"] < 0.05 and r2["backward"] > 0.5  # default task: the next input
    at.radio(key="bidir_task").set_value("the previous input").run()
    r2 = dict(zip(["forward", "backward", "both"], decode(charts(at)[READOUT]["data"][0]["y"]), strict=True))
    assert r2["backward"] < 0.05 and r2["forward"] > 0.5


def test_query_params_reproduce_the_view():
    at = open_page(bidir_T="10", bidir_H="2", bidir_pattern="sine wave", bidir_t="7")
    film = charts(at)[FILM]
    out = next(d for d in film["data"] if d["name"] == "output")
    assert decode(out["z"]).shape == (4, 10)
    assert len(film["frames"]) == 10 and film["layout"]["sliders"][0]["active"] == 6
    assert film_numbers(film).startswith("<b>t = 7</b>")


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
