"""/bidirectional in a real Chromium: the step film. Dragging its slider or pressing play moves the cursor, the
output's dependence on every input and the step's numbers in the browser, with no message to the server; a
link's step is where the slider starts, and the slider writes its step back into the address bar."""

from __future__ import annotations

import pytest

from .test_gated import warm_app  # noqa: F401 (autouse: a first visit to "/" before the deep links)
from .test_home_unrolled import count_sends, drag_film_slider_to_the_end, film_state

pytestmark = pytest.mark.browser

FILM = 0  # the first chart of the page

# What the film shows: [slider position, the forward profile, the state cursor's x, the step label].
PICTURE_JS = """() => { const gd = document.querySelectorAll('.js-plotly-plot')[0];
    const byName = (n) => gd.data.filter(d => d.name === n)[0];
    const n = gd.data.length;
    return [gd.layout.sliders[0].active, Array.from(byName('forward →').y), Array.from(gd.data[n - 4].x),
            gd.data[n - 2].text[0]]; }"""


def test_the_link_says_where_the_slider_starts(app_page):
    assert app_page.charts_on("/bidirectional?bidir_t=5") == 3
    active, numbers, _ = film_state(app_page.page)
    assert active == 4 and numbers.startswith("<b>t = 5</b>")
    assert "forward h→₅ has read x₁…x₅" in numbers


def test_dragging_to_the_end_changes_the_picture_without_asking_the_server(app_page):
    app_page.goto("/bidirectional")
    page = app_page.page
    before = page.evaluate(PICTURE_JS)
    count_sends(page)
    drag_film_slider_to_the_end(page, FILM)
    after = page.evaluate(PICTURE_JS)
    active, numbers, sends = film_state(page)
    assert before[0] == 11 and after[0] == active == 23  # t = 12 (the middle) -> t = 24 (the end)
    assert after[1] != before[1] and None not in after[1]  # at the last step the forward half sees every input
    assert after[2] == [23.5, 24.5, 24.5, 23.5, 23.5] and after[3] == "<b>t = 24</b>"
    assert numbers.startswith("<b>t = 24</b>") and "backward h←₂₄ has read only x₂₄" in numbers
    assert sends == 0
    assert "bidir_t=24" in page.url  # written into the address bar without a rerun


def test_play_advances_the_step(app_page):
    app_page.goto("/bidirectional?bidir_t=1")
    page = app_page.page
    page.locator(".js-plotly-plot").nth(FILM).locator(".updatemenu-button").filter(has_text="fast").first.click()
    page.wait_for_timeout(1500)
    assert film_state(page)[0] > 3


def test_a_rerun_keeps_the_scrubbed_step_and_the_film_follows_the_controls(app_page):
    app_page.goto("/bidirectional")
    page = app_page.page
    drag_film_slider_to_the_end(page, FILM)
    rows = lambda: len(next(t for t in app_page.chart_traces(FILM) if t["name"] == "output")["z"])  # noqa: E731
    before, after = app_page.nudged("Hidden units per direction H", rows, "ArrowLeft")
    assert after == before - 2  # one unit fewer in each direction
    assert film_state(page)[0] == 23  # the new film starts where the slider was
