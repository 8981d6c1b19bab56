"""AppTest for the GRU lesson (/gru): it renders, charts react to widgets, the URL reproduces the view, bad input
is a message."""

from __future__ import annotations

import json

import numpy as np
from apptest_helpers import at_defaults, charts, decode, error_after_typing, opener, trace

from lessons.gated import figures as figs
from lessons.gated import recipe
from lessons.kit.numbers import num

PAGE = "lessons/gated/gru_page.py"
PYTORCH, CHO = "PyTorch: reset after the matmul", "Cho et al. 2014: reset before the matmul"


open_page = opener(PAGE)
page = at_defaults(PAGE)


def film_texts(spec: dict, step: int) -> list[str]:
    """The texts drawn on the film's diagram at frame ``step`` (0-based)."""
    frame, out = spec["frames"][step], []
    for index, tr in enumerate(spec["data"]):
        if tr.get("yaxis") == "y3" and tr.get("mode") == "text":
            out += frame["data"][frame["traces"].index(index)]["text"] if index in frame["traces"] else tr["text"]
    return out


def test_renders_the_film_the_reset_forms_and_parameter_counts(page):
    film, forms, counts = charts(page)
    assert any("Inside the GRU cell at step t = 1" in t for t in film_texts(film, 0))
    assert [d["name"] for d in forms["data"]] == ["PyTorch: reset after", "Cho et al.: reset before", "difference"]
    assert [d["name"] for d in film["data"] if d.get("name")] == ["x", "r", "z", "n", "h"]
    assert len(film["frames"]) == 40 and film["layout"]["meta"]["link_key"] == "gru_t"
    bars = counts["data"][0]
    assert bars["y"] == ["RNN", "GRU", "LSTM", "LSTM + peepholes"]
    assert list(decode(bars["x"])) == [54, 162, 216, 234]  # D = 1, H = 6
    assert page.get("download_button") and not page.error


def test_update_bias_is_how_much_of_the_past_to_keep():
    at = open_page()
    before = decode(trace(charts(at)[0], "z")["z"]).mean()
    at.slider(key="gru_bz").set_value(4.0).run()
    assert decode(trace(charts(at)[0], "z")["z"]).mean() > before + 0.15


def test_reset_form_toggle_changes_the_candidate_and_the_formula():
    at = open_page(gru_pattern="noise")
    n_after = decode(trace(charts(at)[0], "n")["z"])
    assert any("W_{hn}h_{t-1} + b_{hn})" in m.value for m in at.latex)
    at.radio(key="gru_form").set_value(CHO).run()
    assert not at.exception
    n_before = decode(trace(charts(at)[0], "n")["z"])
    assert not np.allclose(n_after, n_before)
    assert "Cho" in json.dumps(charts(at)[0]["layout"]["annotations"])


def test_input_size_changes_the_counts():
    at = open_page()
    at.number_input(key="gru_D").set_value(300).run()
    bars = charts(at)[2]["data"][0]
    block = 6 * (300 + 6 + 2)
    assert list(decode(bars["x"]))[:3] == [block, 3 * block, 4 * block]


def test_query_params_reproduce_the_view():
    at = open_page(gru_H="3", gru_T="50", gru_form=CHO, gru_t="9")
    assert at.radio(key="gru_form").value == CHO
    film, _, counts = charts(at)
    assert film["layout"]["sliders"][0]["active"] == 8  # the link's step t = 9 is where the film starts
    assert any("step t = 9" in t for t in film_texts(film, 8))
    assert any("Step t = 9, in numbers" in m.value for m in at.markdown)
    assert decode(trace(film, "z")["z"]).shape == (3, 50)
    assert "H = 3" in counts["layout"]["title"]["text"]


def test_every_frame_writes_the_state_update_with_the_runs_numbers():
    at = open_page(gru_unit="the mean over all units", gru_pattern="noise")
    run = recipe.run_gru(recipe.GRUConfig(pattern="noise"))
    for step in (1, 12, 40):
        v = recipe.step_values(run, step, None)
        texts = film_texts(charts(at)[0], step - 1)
        update = next(t for t in texts if t.startswith(f"h{str(step).translate(figs.SUB)} = z⊙h"))
        assert update.endswith(f"<b>{num(v['h'], 3)}</b>") and num(v["kept"], 3) in update


def test_bad_typed_numbers_show_an_error_not_a_traceback():
    at = open_page(gru_pattern="my own numbers")
    assert "not a finite number" in error_after_typing(at, "gru_numbers", "1; 2; inf")


def test_an_empty_state_row_is_explained():
    text = " ".join(m.value for m in open_page(gru_bz="5").markdown)
    assert "Here the row looks empty" in text


def test_the_reset_form_sentence_says_how_much_the_forms_differ():
    text = " ".join(m.value for m in open_page().markdown)
    assert "far too little to see" in text
    text = " ".join(m.value for m in open_page(gru_pattern="noise", gru_bz="-2", gru_gain="6").markdown)
    assert "enough to see in the heatmaps" in text
