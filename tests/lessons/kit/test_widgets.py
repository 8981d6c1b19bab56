"""Controls drawn from settings: a link value a control cannot show gets a visible note, never a traceback
or a silent reset (checked on /unrolled, whose controls are all drawn by lessons.kit.widgets)."""

from __future__ import annotations

import pytest
from apptest_helpers import open_lesson, shown

from lessons.kit.settings import Setting

PAGE = "lessons/unrolled/page.py"


def notes(at) -> list[str]:
    return [shown(c.value) for c in at.caption if "link asked for" in c.value]


@pytest.mark.parametrize(("query", "key", "expected", "why"), [
    ({"unrolled_seed": "inf"}, "unrolled_seed", 0, "not a finite number"),
    ({"unrolled_seed": "2.5"}, "unrolled_seed", 0, "not a whole number"),
    ({"unrolled_w": "99"}, "unrolled_w", 0.8, "outside -3 … 3"),
    ({"unrolled_w": "abc"}, "unrolled_w", 0.8, "not a number"),
    ({"unrolled_act": "swish"}, "unrolled_act", "tanh", "not one of the choices"),
    ({"unrolled_act": ""}, "unrolled_act", "tanh", "not one of the choices"),
])
def test_an_unusable_link_value_is_named_and_the_default_shown(query, key, expected, why):
    at = open_lesson(PAGE, query)
    widget = at.number_input(key=key) if key == "unrolled_seed" else (
        at.selectbox(key=key) if key == "unrolled_act" else at.slider(key=key))
    assert widget.value == expected
    found = notes(at)
    assert len(found) == 1 and why in found[0] and key in found[0], found


def test_good_link_values_get_no_note():
    at = open_lesson(PAGE, {"unrolled_seed": "7", "unrolled_w": "-0.5", "unrolled_act": "ReLU"})
    assert not notes(at)
    assert at.number_input(key="unrolled_seed").value == 7 and at.selectbox(key="unrolled_act").value == "relu"


def test_hostile_link_text_is_quoted_short_and_inert():
    at = open_lesson(PAGE, {"unrolled_act": "[click](https://evil.example)" + "x" * 500})
    (note,) = [c.value for c in at.caption if "link asked for" in c.value]
    assert "](" not in note.replace("\\]\\(", "") and len(note) < 400


def test_settings_read_link_text():
    s = Setting("k_w", "w", 0.5, lo=-1.0, hi=1.0, step=0.05)
    assert s.from_link("0.25") == 0.25
    n = Setting("k_n", "n", 3, "number", lo=0, hi=10)
    assert n.from_link("7") == 7 and isinstance(n.from_link("7.0"), int)
    t = Setting("k_t", "t", False, "toggle")
    assert t.from_link("TRUE") is True
    c = Setting("k_c", "c", "a", "select", options=("a", "b"), labels={"a": "Alpha", "b": "Beta"})
    assert c.from_link("Beta") == "b"
    for setting, raw in ((s, "2"), (n, "nan"), (t, "yes"), (c, "b")):
        with pytest.raises(ValueError):
            setting.from_link(raw)


def _share_script():
    import streamlit as st

    from lessons.kit.settings import Setting
    from lessons.kit.widgets import link_query, link_value, new_run

    new_run()
    step = Setting("demo_t", "Step", 4, "slider", 1, 20, 1)
    st.write(link_value(step, 1, 12, 4))
    if st.button("scrubbed", key="scrub"):
        st.query_params["demo_t"] = "9"  # what the page's script writes when the figure's slider moves
    if st.button("far", key="far"):
        st.query_params["demo_t"] = "15"  # a step the setting allows but this figure does not have
    st.code(repr(link_query()))


def test_the_share_link_names_where_a_figure_slider_is_now_within_its_range():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_share_script)
    at.query_params["demo_t"] = "6"
    at.run()
    assert at.code[0].value == "{'demo_t': '6'}"
    at.button(key="scrub").click().run()
    assert at.code[0].value == "{'demo_t': '9'}"
    at.button(key="far").click().run()
    assert at.code[0].value == "{'demo_t': '12'}"  # clamped to the steps the figure has
