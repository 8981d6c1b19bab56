"""AppTest for the LSTM lesson (/lstm): it renders, charts react to widgets, the URL reproduces the view, bad input
is a message."""

from __future__ import annotations

import json

import numpy as np
import pytest
from apptest_helpers import at_defaults, charts, decode, error_after_typing, opener, trace

PAGE = "lessons/gated/lstm_page.py"


open_page = opener(PAGE)
page = at_defaults(PAGE)


def test_renders_three_charts(page):
    specs = charts(page)
    assert len(specs) == 3  # cell diagram, gate heatmaps, remember demo
    diagram, stack, remember = specs
    assert len(diagram["layout"]["shapes"]) > 10 and "LSTM cell" in diagram["layout"]["title"]["text"]
    assert [d["name"] for d in stack["data"]] == ["x", "i", "f", "g", "o", "c", "h"]
    assert any(d["name"] == "belt c" for d in remember["data"])
    assert not page.error
    assert page.get("download_button")


def test_forget_bias_changes_the_forget_gate():
    at = open_page()
    before = decode(trace(charts(at)[1], "f")["z"])
    at.slider(key="lstm_bf").set_value(4.0).run()
    after = decode(trace(charts(at)[1], "f")["z"])
    assert after.mean() > before.mean() + 0.1  # σ(4) ≫ σ(1): the keep row brightens


def test_step_slider_moves_the_cursor():
    at = open_page()
    at.slider(key="lstm_t").set_value(7).run()
    assert not at.exception
    diagram, stack = charts(at)[:2]
    assert "t = 7" in diagram["layout"]["title"]["text"]
    cursor = stack["layout"]["shapes"][0]
    assert cursor["x0"] == pytest.approx(6.5) and cursor["x1"] == pytest.approx(7.5)


def test_query_params_reproduce_the_view():
    at = open_page(lstm_T="60", lstm_H="3", lstm_pattern="sine wave", lstm_peep="true", lstm_keep_bf="6.0")
    assert at.slider(key="lstm_T").value == 60
    assert at.slider(key="lstm_H").value == 3
    assert at.selectbox(key="lstm_pattern").value == "sine wave"
    assert at.toggle(key="lstm_peep").value is True
    stack = charts(at)[1]
    assert decode(trace(stack, "i")["z"]).shape == (3, 60)
    assert "peephole" in json.dumps(charts(at)[0]["layout"]["annotations"])


def test_bad_typed_numbers_show_an_error_not_a_traceback():
    at = open_page(lstm_pattern="my own numbers")
    assert "banana" in error_after_typing(at, "lstm_numbers", "0, 1, banana")


def test_custom_numbers_set_the_sequence():
    at = open_page(lstm_pattern="my own numbers")
    at.text_input(key="lstm_numbers").set_value("0 1 0 0 -1").run()
    x = decode(trace(charts(at)[1], "x")["y"])
    np.testing.assert_allclose(x, [0, 1, 0, 0, -1])


def test_shrinking_the_sequence_clamps_the_step():
    at = open_page()
    at.slider(key="lstm_t").set_value(35).run()
    at.slider(key="lstm_T").set_value(10).run()
    assert not at.exception
    assert at.slider(key="lstm_t").value == 10  # steps 1..T
    at.selectbox(key="lstm_pattern").set_value("my own numbers").run()
    at.text_input(key="lstm_numbers").set_value("5").run()  # a single step: no step slider at all
    assert not at.exception and len(charts(at)) == 3


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
    at = open_page()
    assert at.slider(key="lstm_t").min == 1 and at.slider(key="lstm_t").max == 40
    stack = charts(at)[1]
    assert list(decode(trace(stack, "x")["x"]))[:2] == [1, 2]  # x_1 is drawn at t = 1 (the CSV: tests/…/test_tables.py)
