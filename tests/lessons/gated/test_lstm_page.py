"""AppTest for the LSTM lesson (/lstm): it renders, charts react to widgets, the URL reproduces the view, bad input
is a message."""

from __future__ import annotations

import json

import numpy as np
from apptest_helpers import at_defaults, charts, decode, error_after_typing, opener, shown, trace

from lessons.gated import recipe

PAGE = "lessons/gated/lstm_page.py"


open_page = opener(PAGE)
page = at_defaults(PAGE)


def film_texts(spec: dict, step: int | None = None) -> list[str]:
    """The texts drawn on the film's diagram at frame ``step`` (0-based; None: as the figure opens)."""
    out = []
    for index, tr in enumerate(spec["data"]):
        if tr.get("yaxis") != "y3" or tr.get("mode") != "text":
            continue
        frame = spec["frames"][step] if step is not None else None
        moving = frame is not None and index in frame["traces"]
        out += frame["data"][frame["traces"].index(index)]["text"] if moving else tr["text"]
    return out


def slider(spec: dict) -> dict:
    return spec["layout"]["sliders"][0]


def test_renders_the_film_and_the_remember_demo(page):
    specs = charts(page)
    assert len(specs) == 2  # the film (heatmaps above the cell diagram), the remember demo
    film, remember = specs
    assert [d["name"] for d in film["data"] if d["type"] == "heatmap"] == ["i", "f", "g", "o", "c", "h"]
    assert len(film["frames"]) == 40 and slider(film)["active"] == 0  # one frame per step, starting at t = 1
    assert any("Inside the LSTM cell at step t = 1 · unit 1" in t for t in film_texts(film))
    assert len(film["layout"]["shapes"]) > 10  # the diagram's wires, tanks and operations
    assert any(d["name"] == "belt c" for d in remember["data"])
    assert not page.error
    assert page.get("download_button")


def test_forget_bias_changes_the_forget_gate():
    at = open_page()
    before = decode(trace(charts(at)[0], "f")["z"])
    at.slider(key="lstm_bf").set_value(4.0).run()
    after = decode(trace(charts(at)[0], "f")["z"])
    assert after.mean() > before.mean() + 0.1  # σ(4) ≫ σ(1): the keep row brightens


def test_the_steps_link_value_is_where_the_slider_starts():
    at = open_page(lstm_t="7")
    assert not at.exception
    film = charts(at)[0]
    assert slider(film)["active"] == 6 and slider(film)["steps"][6]["label"] == "7"
    assert any("step t = 7" in t for t in film_texts(film))
    assert any("Step t = 7, in numbers" in m.value for m in at.markdown)  # the KaTeX panel: the linked step
    assert "lstm_t" not in [s.key for s in at.slider]  # the step is scrubbed in the browser, not a server slider


def test_a_step_the_sequence_does_not_have_starts_at_the_nearest_one():
    film = charts(open_page(lstm_t="99"))[0]
    assert slider(film)["active"] == 39
    at = open_page(lstm_t="soon")
    assert slider(charts(at)[0])["active"] == 0
    assert any("link asked for lstm_t" in shown(c.value) for c in at.caption)


def test_every_frame_writes_its_step_with_the_runs_numbers():
    at = open_page(lstm_unit="unit 2")
    film = charts(at)[0]
    run = recipe.run_lstm(recipe.LSTMConfig())
    v = recipe.step_values(run, 5, 1)
    texts = film_texts(film, 4)
    assert any(t.startswith("c₅ = f·c₄ + i·g = ") and f"{v['f']:.3f}" in t for t in texts)
    assert any("unit 2" in t for t in texts)
    at.selectbox(key="lstm_unit").set_value("the mean over all units").run()
    texts = film_texts(charts(at)[0], 4)
    assert any("mean over all units" in t for t in texts) and any(t.startswith("c₅ = f⊙c₄ + i⊙g") for t in texts)


def test_query_params_reproduce_the_view():
    at = open_page(lstm_T="60", lstm_H="3", lstm_pattern="sine wave", lstm_peep="true", lstm_keep_bf="6.0")
    assert at.slider(key="lstm_T").value == 60
    assert at.slider(key="lstm_H").value == 3
    assert at.selectbox(key="lstm_pattern").value == "sine wave"
    assert at.toggle(key="lstm_peep").value is True
    film = charts(at)[0]
    assert decode(trace(film, "i")["z"]).shape == (3, 60) and len(film["frames"]) == 60
    assert "peephole" in json.dumps(film["layout"]["annotations"])


def test_bad_typed_numbers_show_an_error_not_a_traceback():
    at = open_page(lstm_pattern="my own numbers")
    assert "banana" in error_after_typing(at, "lstm_numbers", "0, 1, banana")


def test_custom_numbers_set_the_sequence():
    at = open_page(lstm_pattern="my own numbers")
    at.text_input(key="lstm_numbers").set_value("0 1 0 0 -1").run()
    x = decode(trace(charts(at)[0], "x")["y"])
    np.testing.assert_allclose(x, [0, 1, 0, 0, -1])


def test_shrinking_the_sequence_clamps_the_step():
    at = open_page(lstm_t="35")
    at.slider(key="lstm_T").set_value(10).run()
    assert not at.exception
    assert slider(charts(at)[0])["active"] == 9  # steps 1..T: the film starts at the last one
    at.selectbox(key="lstm_pattern").set_value("my own numbers").run()
    at.text_input(key="lstm_numbers").set_value("5").run()  # a single step: a film of one frame
    assert not at.exception and len(charts(at)) == 2 and len(charts(at)[0]["frames"]) == 1


def test_the_belt_sentence_is_written_from_the_run():
    """The issue's case: b_f = 5, T = 97 makes the belt drift; the page says so instead of "follow the pulse"."""
    text = " ".join(m.value for m in open_page().markdown)
    assert "Follow the pulse along this row: it writes up to" in text and "less than 1%" in text
    text = " ".join(m.value for m in open_page(lstm_bf="5", lstm_T="97").markdown)
    assert "drifts away from the pulse" in text


def test_the_remember_sentence_never_shows_a_zero_power():
    at = open_page(lstm_keep_bf="2", lstm_gap="135")
    text = " ".join(m.value for m in at.markdown)
    assert "nothing you could read" in text and "= 0.000" not in text
    assert not any("= 0.000" in m.value for m in at.latex)


def test_the_step_slider_counts_from_1_to_T():
    film = charts(open_page())[0]
    assert [st["label"] for st in slider(film)["steps"]] == [str(t) for t in range(1, 41)]
    assert list(decode(trace(film, "x")["x"]))[:2] == [1, 2]  # x_1 is drawn at t = 1 (the CSV: tests/…/test_tables.py)
