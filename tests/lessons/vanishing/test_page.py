"""AppTest for the /vanishing-gradients lesson: renders, presets, URL state, overflow and zeros as messages."""

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
    open_lesson,
)
from streamlit.testing.v1 import AppTest

PAGE = "lessons/vanishing/page.py"
CHARTS = ("vg_norm", "vg_sweep", "vg_act_fig", "vg_eig", "vg_matrix_norm", "vg_clip", "vg_clip_effect")


open_page = partial(open_lesson, PAGE)


def named(at: AppTest, key: str, part: str) -> dict:
    return next(t for t in chart(at, key)["data"] if part in t.get("name", ""))


default = at_defaults(PAGE)


def test_default_page_renders_every_chart(default):
    assert_every_chart(default, CHARTS, "vg_")
    assert chart(default, "vg_norm")["layout"]["yaxis"]["type"] == "log"


def test_weight_slider_changes_the_gradient_curve():
    at = open_page()
    before = decode(named(at, "vg_norm", "|∂L/∂h| with")["y"]).astype(float)
    at.slider(key="vg_w").set_value(1.8).run()
    assert_clean(at)
    after = decode(named(at, "vg_norm", "|∂L/∂h| with")["y"]).astype(float)
    assert not np.allclose(before, after, equal_nan=True)


@pytest.mark.parametrize(("preset", "w", "T", "act"), [
    ("explode", 2.0, 50, "identity"), ("vanish", 0.5, 50, "identity"),
    ("overflow", 2.0, 200, "identity"), ("dead", 0.9, 50, "relu"),
])
def test_presets_set_the_widgets_and_the_url(preset, w, T, act):
    at = open_page()
    at.button(key=f"vg_preset_{preset}").click().run()
    assert_clean(at)
    assert at.slider(key="vg_w").value == w and at.slider(key="vg_T").value == T
    assert at.selectbox(key="vg_act").value == act
    assert float(at.query_params["vg_w"]) == w  # the URL follows, so the preset can be shared as a link


def test_two_to_the_fifty_is_drawn():
    at = open_page()
    at.button(key="vg_preset_explode").click().run()
    measured = decode(named(at, "vg_norm", "|∂L/∂h| with identity")["y"]).astype(float)
    assert measured[50] == 2.0**50
    vanish = open_page({"vg_w": "0.5", "vg_act": "identity"})
    assert decode(named(vanish, "vg_norm", "|∂L/∂h| with identity")["y"]).astype(float)[50] == pytest.approx(
        8.881784197001252e-16, rel=1e-6)


def test_overflow_from_the_url_is_a_message_not_a_traceback():
    at = open_page({"vg_w": "3.0", "vg_T": "200", "vg_act": "identity", "vg_f32": "true"})
    assert_clean(at)
    texts = " ".join(w.value for w in at.warning)
    assert "overflowed at k = 81" in texts and "forward pass overflowed" in texts
    assert len(at.get("plotly_chart")) == len(CHARTS)
    over = named(at, "vg_norm", "overflow")
    assert decode(over["x"]).tolist()[0] == 81


def test_exact_zeros_are_explained():
    at = open_page({"vg_w": "0.9", "vg_act": "ReLU", "vg_x": "0.5"})
    assert_clean(at)
    assert at.info and "exactly 0" in at.info[0].value and "dead" in at.info[0].value
    assert named(at, "vg_norm", "exactly 0")


def test_query_params_reproduce_the_widget_state():
    via_widgets = open_page()
    via_widgets.slider(key="vg_w").set_value(1.7).run()
    via_widgets.selectbox(key="vg_act").set_value("sigmoid").run()
    via_widgets.slider(key="vg_rho").set_value(0.8).run()
    via_widgets.slider(key="vg_c").set_value(2.5).run()
    via_url = open_page({"vg_w": "1.7", "vg_act": "sigmoid", "vg_rho": "0.8", "vg_c": "2.5"})
    assert_clean(via_url)
    for key in CHARTS:
        assert chart(via_url, key)["data"] == chart(via_widgets, key)["data"], key


def test_matrix_and_clipping_sliders_change_their_charts():
    at = open_page()
    eig = decode(named(at, "vg_eig", "eigenvalues")["x"]).astype(float)
    clip = named(at, "vg_clip", "clip by value")
    at.slider(key="vg_rho").set_value(1.5).run()
    at.slider(key="vg_c").set_value(1.0).run()
    assert_clean(at)
    eig2 = decode(named(at, "vg_eig", "eigenvalues")["x"]).astype(float)
    np.testing.assert_allclose(eig2, eig * 1.5, rtol=1e-5, atol=1e-6)
    assert named(at, "vg_clip", "clip by value") != clip


def test_out_of_range_url_values_are_ignored():
    at = open_page({"vg_w": "1e308", "vg_T": "0", "vg_act": "swish", "vg_H": "9999", "vg_c": "-1"})
    assert_clean(at)
    assert at.slider(key="vg_w").value == 1.0 and at.slider(key="vg_T").value == 50
    assert len(at.get("plotly_chart")) == len(CHARTS)


def test_a_gradient_down_among_the_smallest_floats_is_drawn_not_a_crash():
    """w = 0.01 over 200 steps: 1e-322 and then exactly 0. The log axis' floor went one decade below that, to 0,
    and the page stopped with "math domain error"."""
    at = open_page({"vg_w": "0.01", "vg_T": "200", "vg_act": "identity"})
    assert_clean(at)
    assert len(at.get("plotly_chart")) == len(CHARTS)
    assert any("exactly 0" in i.value and "underflowed" in i.value for i in at.info)


@pytest.mark.parametrize("w", ["0.5", "2.0", "3.0"])
def test_the_clipping_table_lists_the_equations_three_weights_in_short_numbers(w):
    """The table listed weight_ih, weight_hh, bias_ih, bias_hh (the equation has w only, and now u and b) and was an
    interactive grid that cut long numbers off at w = 2."""
    at = open_page({"vg_w": w, "vg_T": "200", "vg_act": "identity"})
    assert_clean(at)
    table = at.table[0].value
    assert list(table.index) == ["∂L/∂w", "∂L/∂u", "∂L/∂b"]
    assert list(table.columns) == ["gradient", "by value", "by norm"]
    assert all(isinstance(v, str) and len(v) <= 9 for v in table.to_numpy().ravel())
    assert not at.dataframe  # no scrolling grid
    assert any("h_t = \\mathrm{act}(w\\,h_{t-1} + u\\,x_t + b)" in m.value for m in at.markdown)


def sweep_start(at: AppTest) -> tuple[str, int]:
    """(the w the sweep's slider starts at, its number of frames)."""
    fig = chart(at, "vg_sweep")
    slider = fig["layout"]["sliders"][0]
    return slider["steps"][slider["active"]]["label"], len(fig["frames"])


def test_the_w_sweep_starts_at_the_pages_w_and_follows_the_slider():
    at = open_page()
    assert sweep_start(at) == ("1.00", 61)
    assert any("In this sweep the gradient that reaches $h_0$, all 50 steps back" in m.value for m in at.markdown)
    at.slider(key="vg_w").set_value(2.33).run()
    assert_clean(at)
    assert sweep_start(at) == ("2.35", 61)  # the nearest point of the sweep's grid


def test_the_w_sweep_starts_at_the_links_w_with_the_links_other_settings():
    at = open_page({"vg_w": "2.5", "vg_act": "identity", "vg_T": "200", "vg_f32": "true"})
    assert_clean(at)
    assert sweep_start(at) == ("2.50", 61)
    frames = chart(at, "vg_sweep")["frames"]
    assert "overflowed at k = 81" in frames[60]["data"][-1]["text"][0]  # w = 3 in float32, as the page computes
    assert any("it overflows for every w from 1.60 to 3.00" in m.value for m in at.markdown)
