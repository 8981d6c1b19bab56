"""/vanishing-gradients' w sweep in a real Chromium: dragging its slider switches frames in the browser (no
websocket message), ▶ plays through w, and the page's w — from a link too — is where the slider starts."""

from __future__ import annotations

import pytest

from .test_home_unrolled import count_sends, drag_film_slider_to_the_end

pytestmark = pytest.mark.browser

SWEEP_CHART = 1  # on /vanishing-gradients: 0 the gradient at the page's w, 1 the sweep over w, then the others
READ = """(i) => { const gd = document.querySelectorAll('.js-plotly-plot')[i];
    return [gd.layout.sliders[0].active, Array.from(gd._fullData[0].y).slice(-1)[0],
            gd.data[gd.data.length - 1].text[0], window.__sends || 0]; }"""


def sweep_state(page) -> list:
    """[slider position (0-based), the gradient drawn at h₀, the readout, websocket messages sent so far]."""
    return page.evaluate(READ, SWEEP_CHART)


def test_dragging_the_sweep_to_the_end_shows_w_3_without_asking_the_server(app_page):
    """The curve, the readout and the slider follow the hand to w = 3 with no message to the server; the address
    bar keeps the page's own w (the sweep's position is not a setting of the page)."""
    app_page.goto("/vanishing-gradients")
    page = app_page.page
    start, g_before, text_before, _ = sweep_state(page)
    address = page.url
    count_sends(page)
    drag_film_slider_to_the_end(page, SWEEP_CHART)
    active, g_after, text_after, sends = sweep_state(page)
    assert start == 20 and active == 60  # w = 1.00 on the grid 0 … 3 by 0.05, then its last point
    assert text_before.startswith("w = 1.00") and text_after.startswith("w = 3.00") and g_after != g_before
    assert sends == 0 and page.url == address


def test_play_advances_w(app_page):
    app_page.goto("/vanishing-gradients?vg_w=0")
    page = app_page.page
    assert sweep_state(page)[0] == 0
    page.locator(".js-plotly-plot").nth(SWEEP_CHART).locator(".updatemenu-button").filter(has_text="fast").first.click()
    page.wait_for_timeout(1500)
    active, _, text, _ = sweep_state(page)
    assert active > 3 and text.startswith(f"w = {active * 0.05:.2f}")


def test_the_links_w_and_settings_are_where_the_sweep_starts(app_page):
    app_page.goto("/vanishing-gradients?vg_w=2.48&vg_act=identity&vg_T=200&vg_f32=true")
    assert not app_page.exceptions()
    active, _, text, _ = sweep_state(app_page.page)
    assert active == 50 and text.startswith("w = 2.50: |∂L/∂h<sub>0</sub>| overflowed at k = 97")
