"""/bptt's backward film in a real Chromium: dragging its slider walks the gradient back to step 1 with no message
to the server, Play advances it, and a link's step is where it starts."""

from __future__ import annotations

import pytest

from .test_home_unrolled import count_sends, drag_film_slider_to_the_end

pytestmark = pytest.mark.browser

FILM = 0  # the first chart on /bptt
# [slider position, the recursion line above the chain, states drawn as reached, websocket messages sent so far].
# The reached states are the seventh trace from the end (lessons/bptt/film.py DYNAMIC).
STATE_JS = """(i) => { const gd = document.querySelectorAll('.js-plotly-plot')[i], n = gd.data.length;
    return [gd.layout.sliders[0].active, gd.data[n - 1].text[0], Array.from(gd.data[n - 7].x).length,
            window.__sends || 0]; }"""


def film_state(page) -> list:
    return page.evaluate(STATE_JS, FILM)


def test_dragging_the_film_walks_the_gradient_back_to_step_one_without_asking_the_server(app_page):
    app_page.goto("/bptt")
    page = app_page.page
    active, line, reached, _ = film_state(page)
    assert active == 0 and line.startswith("∂L/∂h₁₂ = h₁₂ − y") and reached == 1  # at the loss
    count_sends(page)
    drag_film_slider_to_the_end(page, FILM)
    active, line, reached, sends = film_state(page)
    assert active == 11 and line.startswith("∂L/∂h₁ = ") and reached == 12 and sends == 0
    # What is drawn changed, not just the data: the lines above the chain name step 1 and the whole sum.
    assert page.locator(".js-plotly-plot").nth(FILM).get_by_text("collected from steps 12…1").count() >= 1
    assert "bptt_step=1" in page.url  # the slider writes its step into the address bar, without a rerun


def test_play_walks_the_gradient_back(app_page):
    app_page.goto("/bptt")
    page = app_page.page
    page.locator(".js-plotly-plot").nth(FILM).locator(".updatemenu-button").filter(has_text="fast").first.click()
    page.wait_for_timeout(1500)
    active, _, reached, _ = film_state(page)
    assert active > 3 and reached == active + 1


def test_a_links_step_is_where_the_film_starts(app_page):
    app_page.goto("/bptt?bptt_step=5")
    assert not app_page.exceptions()
    active, line, reached, _ = film_state(app_page.page)
    assert active == 7 and line.startswith("∂L/∂h₅ = ") and reached == 8  # steps 12 … 5 reached
