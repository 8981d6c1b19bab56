"""AppTest for the /bptt lesson: renders, reacts to its widgets, reproduces state from the URL, handles bad input."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from apptest_helpers import (
    assert_clean,
    assert_every_chart,
    at_defaults,
    chart,
    decode,
    errors,
    open_lesson,
)
from streamlit.testing.v1 import AppTest

PAGE = "lessons/bptt/page.py"
CHARTS = ("bptt_flow", "bptt_chain", "bptt_contrib", "bptt_trunc", "bptt_trunc_err")


open_page = partial(open_lesson, PAGE)


def trace_ys(at: AppTest, key: str) -> list[np.ndarray]:
    return [decode(t["y"]).astype(float) for t in chart(at, key)["data"] if "y" in t]


default = at_defaults(PAGE)


def test_default_page_renders_every_chart(default):
    assert_every_chart(default, CHARTS, "bptt_")


def test_recurrent_weight_slider_changes_the_charts():
    at = open_page()
    before = trace_ys(at, "bptt_contrib")[0]
    at.slider(key="bptt_w_rec").set_value(1.5).run()
    assert_clean(at)
    after = trace_ys(at, "bptt_contrib")[0]
    assert not np.allclose(before, after)


def film(at: AppTest) -> dict:
    return chart(at, "bptt_flow")


def test_the_backward_step_is_scrubbed_in_the_figure_and_a_link_sets_where_it_starts(default):
    spec = film(open_page({"bptt_step": "4"}))
    slider = spec["layout"]["sliders"][0]
    assert len(spec["frames"]) == 12 and slider["steps"][0]["label"] == "12" and slider["steps"][-1]["label"] == "1"
    assert slider["steps"][slider["active"]]["label"] == "4"
    assert spec["data"][-1]["text"][0].startswith("∂L/∂h₄ = ")  # the numbers drawn above the chain are step 4's
    assert spec["layout"]["meta"]["link_key"] == "bptt_step"  # the slider writes its step into the address bar
    at_start = film(default)
    assert at_start["layout"]["sliders"][0]["active"] == 0 and at_start["data"][-1]["text"][0].startswith("∂L/∂h₁₂")
    assert not default.get("slider") or all(s.key != "bptt_step" for s in default.slider)  # no rerun to step


def test_an_unusable_step_in_a_link_is_named_and_the_loss_used():
    at = open_page({"bptt_step": "soon"})
    assert_clean(at)
    assert any(r"bptt\_step" in c.value and "“soon”" in c.value for c in at.caption)
    assert film(at)["layout"]["sliders"][0]["active"] == 0


def test_truncation_window_changes_kept_shares():
    at = open_page({"bptt_T": "10"})
    at.slider(key="bptt_k").set_value(2).run()
    kept_2 = trace_ys(at, "bptt_trunc")[0]
    at.slider(key="bptt_k").set_value(10).run()
    assert_clean(at)
    kept_10, dropped_10 = trace_ys(at, "bptt_trunc")
    assert not np.allclose(kept_2, kept_10)
    np.testing.assert_array_equal(dropped_10, 0.0)
    assert any(m.value == "exact (0)" for m in at.metric)


def test_query_params_reproduce_the_widget_state():
    via_widgets = open_page()
    via_widgets.selectbox(key="bptt_seq").set_value("sine").run()
    via_widgets.slider(key="bptt_w_rec").set_value(-1.2).run()
    via_widgets.selectbox(key="bptt_act").set_value("sigmoid").run()
    via_widgets.toggle(key="bptt_every").set_value(True).run()
    via_widgets.slider(key="bptt_T").set_value(20).run()
    via_url = open_page({"bptt_seq": "sine", "bptt_w_rec": "-1.2", "bptt_act": "sigmoid", "bptt_every": "true",
                         "bptt_T": "20"})
    assert_clean(via_url)
    assert via_url.slider(key="bptt_w_rec").value == -1.2 and via_url.toggle(key="bptt_every").value
    for key in CHARTS:
        assert chart(via_url, key)["data"] == chart(via_widgets, key)["data"], key


def test_loss_at_every_step_puts_a_loss_on_every_step():
    at = open_page({"bptt_every": "true", "bptt_T": "9"})
    assert_clean(at)
    squares = [t for t in chart(at, "bptt_flow")["data"] if t.get("marker", {}).get("symbol") == "square"]
    assert len(decode(squares[0]["x"])) == 9


def test_typed_numbers_set_the_sequence():
    at = open_page({"bptt_seq": "typed numbers", "bptt_numbers": "0, 1, 0.5"})
    assert_clean(at)
    assert at.selectbox(key="bptt_seq").value == "typed"
    assert len(film(at)["frames"]) == 3


@pytest.mark.parametrize("text", ["1, two, 3", "", "1e999"])
def test_bad_typed_numbers_show_a_message_not_a_traceback(text):
    at = open_page({"bptt_seq": "typed numbers"})
    at.text_input(key="bptt_numbers").set_value(text).run()
    assert_clean(at)
    assert at.error and "number" in at.error[0].value
    assert not at.get("plotly_chart")


def test_extreme_settings_reachable_from_the_url():
    for params in ({"bptt_T": "100", "bptt_w_rec": "2.0", "bptt_act": "identity", "bptt_every": "true",
                    "bptt_w_in": "2.0", "bptt_b": "1.0"},
                   {"bptt_T": "1"},
                   {"bptt_T": "100000", "bptt_w_rec": "abc", "bptt_act": "nonsense", "bptt_step": "-3"}):
        at = open_page(params)
        assert_clean(at)
        assert len(at.get("plotly_chart")) == len(CHARTS)


def test_shorter_sequences_keep_the_step_and_the_window_in_range():
    at = open_page({"bptt_T": "40", "bptt_step": "30"})
    assert film(at)["layout"]["sliders"][0]["active"] == 10  # t = 30 is ten stops back from t = 40
    at.slider(key="bptt_k").set_value(35).run()
    at.slider(key="bptt_T").set_value(5).run()
    assert_clean(at)
    slider = film(at)["layout"]["sliders"][0]
    assert len(slider["steps"]) == 5 and slider["active"] == 0  # step 30 is clamped to the last step, 5
    assert at.slider(key="bptt_k").value <= 5


@pytest.mark.parametrize("typed", ["1, [click](https://evil.example), 0", "![p](https://evil.example/x.png)",
                                   "<b>1</b>", "$x^2$", "**7**", "9" * 10_000 + "x"])
def test_typed_text_from_a_link_is_shown_literally_and_briefly(typed):
    """Issue 14: what a link puts in the numbers box comes back as text: no link, image, markup or LaTeX, and a
    huge token is quoted as a short excerpt."""
    at = open_page({"bptt_seq": "typed numbers", "bptt_numbers": typed})
    assert_clean(at)
    assert len(at.error) == 1 and not at.get("plotly_chart")
    raw, seen = at.error[0].value, errors(at)[0]
    assert "](" not in raw.replace("\\]\\(", "") and "<b>" not in raw and "$" not in raw.replace("\\$", "")
    assert len(seen) < 200
    token = next(tok for tok in typed.replace(",", " ").split() if not tok.replace(".", "").isdigit())
    assert token[:30] in seen  # quoted as typed (the first characters at least)
