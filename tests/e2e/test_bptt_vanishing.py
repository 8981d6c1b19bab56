"""/bptt and /vanishing-gradients in a real Chromium: they settle, show no exception, draw every chart,
react to sliders and presets, and survive extreme settings taken from the URL."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Chart order on each page (page order of the Plotly charts).
BPTT_FLOW, BPTT_CHAIN, BPTT_CONTRIB, BPTT_TRUNC, BPTT_ERR = range(5)
VG_NORM, VG_SWEEP, VG_ACT, VG_EIG, VG_MATRIX, VG_CLIP, VG_CLIP_EFFECT = range(7)


def named(traces: list[dict], part: str) -> dict:
    return next(t for t in traces if part in (t["name"] or ""))


# -- /bptt -----------------------------------------------------------------------------------------------
def test_bptt_settles_with_all_five_charts(app_page):
    assert app_page.charts_on("/bptt") == 5
    assert app_page.page.get_by_role("heading", name="Backpropagation through time").first.is_visible()
    assert app_page.page.get_by_test_id("stDownloadButton").count() == 1


def test_bptt_slider_repaints_the_waterfall_and_the_url(app_page):
    app_page.goto("/bptt")
    before, after = app_page.nudged("Recurrent weight w_rec", lambda: app_page.chart_traces(BPTT_CONTRIB)[0]["y"])
    assert after != before
    assert "bptt_w_rec=0.95" in app_page.page.url


def test_bptt_extreme_url_settles(app_page):
    extreme = "bptt_T=100&bptt_w_rec=2.0&bptt_w_in=2.0&bptt_act=identity&bptt_every=true&bptt_k=100"
    assert app_page.charts_on(f"/bptt?{extreme}") == 5


def test_bptt_bad_typed_numbers_show_a_message(app_page):
    assert "'oops'" in app_page.first_alert("/bptt?bptt_seq=typed+numbers&bptt_numbers=1,2,oops")


# -- /vanishing-gradients -------------------------------------------------------------------------------
def test_vanishing_settles_with_all_seven_charts(app_page):
    assert app_page.charts_on("/vanishing-gradients") == 7
    assert app_page.page.get_by_role("heading", name="Vanishing and exploding gradients").first.is_visible()


def test_vanishing_preset_draws_two_to_the_fifty(app_page):
    app_page.goto("/vanishing-gradients")
    app_page.page.get_by_role("button", name="2⁵⁰ explodes").click()
    app_page.redrawn()
    measured = named(app_page.chart_traces(VG_NORM), "with identity")["y"]
    assert measured[50] == 2.0**50
    assert "vg_w=2" in app_page.page.url and "vg_act=identity" in app_page.page.url


def test_vanishing_overflow_from_the_url_is_explained(app_page):
    assert app_page.charts_on("/vanishing-gradients?vg_w=3.0&vg_T=200&vg_act=identity&vg_f32=true") == 7
    alerts = " ".join(app_page.page.get_by_test_id("stAlert").all_inner_texts())
    assert "overflowed at k = 81" in alerts


def test_vanishing_matrix_fragment_reacts(app_page):
    app_page.goto("/vanishing-gradients")
    before, after = app_page.nudged("Spectral radius", lambda: named(app_page.chart_traces(VG_EIG), "eigenvalues")["x"],
                                    "ArrowLeft", times=3)
    assert after != before and len(after) == len(before)
