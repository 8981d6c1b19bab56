"""The /unrolled page in Streamlit's AppTest: renders, reacts to sliders, restores from the URL, survives bad input."""

from __future__ import annotations

import json

import numpy as np
from apptest_helpers import at_defaults, decode, errors, opener
from streamlit.testing.v1 import AppTest

PAGE = "lessons/unrolled/page.py"


open_page = opener(PAGE)
default_page = at_defaults(PAGE)


def main_chart(at: AppTest) -> dict:
    """The h-over-time chart (as its JSON spec): the only one with a 'time step t' axis."""
    for spec in (json.loads(chart.proto.spec) for chart in at.get("plotly_chart")):
        if spec["layout"].get("xaxis", {}).get("title", {}).get("text") == "time step t":
            return spec
    raise AssertionError("no h-over-time chart")


def hidden_series(at: AppTest) -> np.ndarray:
    spec = main_chart(at)
    trace = spec["data"][-1]
    return decode(trace["z"] if trace["type"] == "heatmap" else trace["y"])


def test_default_view_has_diagram_activation_and_main_chart(default_page):
    at = default_page
    assert len(at.get("plotly_chart")) == 4  # diagram, activation, h over time, the w sweep
    assert len(at.get("latex")) >= 2  # the update equation and the H > 1 weight mapping
    assert len(at.get("download_button")) == 1
    assert not at.error
    assert hidden_series(at).shape == (12,)


def test_every_widget_is_bound_to_the_url_with_a_page_prefix(default_page):
    at = default_page
    for kind in ("slider", "selectbox", "number_input", "button_group"):
        for widget in at.get(kind):
            assert widget.key and widget.key.startswith("unrolled_"), (kind, widget.key)
            assert widget.proto.query_param_key == widget.key, (kind, widget.key)


def test_moving_the_recurrent_weight_changes_the_chart():
    at = open_page()
    before = hidden_series(at).copy()
    at.slider(key="unrolled_w").set_value(0.3).run()
    assert not at.exception
    after = hidden_series(at)
    assert before.shape == after.shape and not np.allclose(before, after)


def diagram(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_the_step_is_scrubbed_in_the_figure_and_a_link_sets_where_it_starts():
    spec = diagram(open_page(unrolled_t="7"))
    slider = spec["layout"]["sliders"][0]
    assert slider["active"] == 6 and len(slider["steps"]) == 12 and len(spec["frames"]) == 12
    assert "a₇ = " in spec["data"][-1]["text"][0]  # the equation drawn above the diagram is step 7's
    assert "a₃ = " in spec["frames"][2]["data"][-1]["text"][0]  # and frame 3 carries step 3's


def test_the_equation_under_the_diagram_uses_the_start_step(default_page):
    at = open_page(unrolled_t="7")
    assert any("a_{7}" in el.value for el in at.get("latex"))
    assert not any("a_{7}" in el.value for el in default_page.get("latex"))


def test_query_params_reproduce_the_view():
    at = open_page(unrolled_w="0.5", unrolled_H="3", unrolled_T="20", unrolled_seq="Sine wave",
                   unrolled_act="ReLU", unrolled_t="9", unrolled_view="Rolled")
    assert at.slider(key="unrolled_w").value == 0.5
    assert at.slider(key="unrolled_H").value == 3
    assert at.selectbox(key="unrolled_seq").value == "sine"
    assert at.selectbox(key="unrolled_act").value == "relu"
    assert any("a_{9}" in el.value for el in at.get("latex"))  # the rolled cell shows step 9
    assert hidden_series(at).shape == (3, 20)  # a heatmap: units x time


def test_a_step_beyond_the_sequence_starts_at_its_last_step():
    at = open_page(unrolled_T="10", unrolled_t="35")
    assert not at.exception
    assert diagram(at)["layout"]["sliders"][0]["active"] == 9


def test_an_unusable_step_in_a_link_is_named_and_the_default_used():
    at = open_page(unrolled_t="soon")
    assert not at.exception
    assert any(r"unrolled\_t" in c.value and "“soon”" in c.value for c in at.caption)
    assert diagram(at)["layout"]["sliders"][0]["active"] == 3


def test_the_w_sweep_starts_at_the_pages_w_and_its_story_quotes_the_sweep():
    at = open_page(unrolled_w="1.5")
    sweep = json.loads(at.get("plotly_chart")[3].proto.spec)
    slider = sweep["layout"]["sliders"][0]
    assert slider["steps"][slider["active"]]["label"] == "1.50" and len(sweep["frames"]) == 121
    assert any("In this sweep, by the last step the impulse's echo has faded" in m.value for m in at.markdown)


def test_single_step_sequence_works():
    at = open_page(unrolled_T="1")
    assert not at.exception
    assert hidden_series(at).shape == (1,)


def test_bad_typed_numbers_show_an_error_not_an_exception():
    at = open_page(unrolled_seq="Typed numbers")
    assert hidden_series(at).shape == (10,)  # the example sequence
    at.text_input(key="unrolled_values").input("1, 2, banana").run()
    assert not at.exception
    assert any("'banana'" in e and "not a number" in e for e in errors(at))
    assert not at.get("plotly_chart")  # nothing is drawn from a sequence that could not be read


def test_typed_numbers_drive_the_network():
    at = open_page(unrolled_seq="Typed numbers", unrolled_values="0 0 2 0")
    assert not at.exception
    spec = main_chart(at)
    np.testing.assert_allclose(decode(spec["data"][0]["y"]), [0, 0, 2, 0])
    assert at.slider(key="unrolled_T").disabled


def test_an_exploding_state_is_announced_with_its_size_and_drawn_on_a_log_scale():
    at = open_page(unrolled_w="3", unrolled_act="identity", unrolled_T="200")
    assert any("has grown to" in i.value and "by step t = 200" in i.value for i in at.info)
    logs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert any(s["layout"].get("yaxis", {}).get("type") == "log" for s in logs)
    assert not at.warning  # finite: an explosion, not an overflow


def test_the_story_under_the_chart_quotes_this_run():
    at = open_page(unrolled_w="0.5", unrolled_T="20")
    assert any("**fades** about ×0.50 per step" in m.value for m in at.markdown)
    at = open_page(unrolled_w="-0.9", unrolled_T="20")
    assert any("flipping sign every step" in m.value for m in at.markdown)
