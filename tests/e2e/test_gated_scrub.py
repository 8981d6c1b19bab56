"""/lstm and /gru in a real Chromium: the step is scrubbed inside the film (heatmaps above the cell diagram).
Dragging its slider moves the cursor over the heatmaps and repaints the diagram's numbers and the step's update
with no message to the server; ▶ plays the steps; a link's step is where the slider starts, and the slider writes
its step back into the address bar."""

from __future__ import annotations

import pytest

from .test_home_unrolled import count_sends, drag_film_slider_to_the_end

pytestmark = pytest.mark.browser

PAGES = {"lstm": ("/lstm", "lstm_t", "LSTM", "c"), "gru": ("/gru", "gru_t", "GRU", "h")}  # path, key, cell, state
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

# The film's state as the browser holds and draws it: the slider's position, the step's lines (headline and
# update: the first texts of the last trace), the cursor's columns over the heatmaps, every text and fill colour
# drawn on the page's scatter traces, and the websocket messages sent so far.
STATE_JS = """() => {
  const gd = document.querySelectorAll('.js-plotly-plot')[0];
  const cursor = gd.data.findIndex((t) => t.yaxis === 'y2' && t.fill === 'toself');
  return {active: gd.layout.sliders[0].active, lines: Array.from(gd.data[gd.data.length - 1].text).slice(0, 3),
          cursor: Array.from(gd.data[cursor].x),
          texts: [...gd.querySelectorAll('.scatterlayer text')].map((t) => t.textContent),
          fills: [...gd.querySelectorAll('.scatterlayer path.js-fill')].map((p) => p.style.fill),
          sends: window.__sends || 0};
}"""


@pytest.fixture(scope="module", autouse=True)
def warm_app(browser, streamlit_app):
    """Visit "/" once first: on a fresh server the very first deep link opens a "Page not found" dialog."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(streamlit_app + "/", wait_until="domcontentloaded")
    page.get_by_test_id("stSidebarNav").wait_for(timeout=60_000)
    context.close()


def state(page) -> dict:
    return page.evaluate(STATE_JS)


@pytest.mark.parametrize("name", list(PAGES))
def test_dragging_to_the_end_repaints_the_diagram_the_cursor_and_the_numbers_without_the_server(app_page, name):
    path, key, cell, memory = PAGES[name]
    app_page.goto(path)
    page = app_page.page
    before = state(page)
    assert before["active"] == 0 and before["cursor"][:2] == [0.5, 1.5]
    assert f"Inside the {cell} cell at step t = 1 · unit 1" in before["texts"]
    count_sends(page)
    drag_film_slider_to_the_end(page)
    after = state(page)
    assert after["active"] == 39 and after["sends"] == 0
    assert after["cursor"][:2] == [39.5, 40.5]  # the column of the last step, over every heatmap
    headline = f"Inside the {cell} cell at step t = 40 · unit 1"
    assert after["lines"][0] == headline and headline in after["texts"]  # in the data and drawn on the page
    update = next(t for t in after["texts"] if t.startswith(f"{memory}{'40'.translate(SUB)} = "))
    assert update not in before["texts"]
    assert after["fills"] != before["fills"]  # the belt's colours and the tanks' levels follow the step
    assert f"{key}=40" in page.url  # written into the address bar, without a rerun


@pytest.mark.parametrize("name", list(PAGES))
def test_play_advances_the_step(app_page, name):
    path, key, cell, _ = PAGES[name]
    app_page.goto(f"{path}?{key}=1")
    page = app_page.page
    page.locator(".js-plotly-plot").nth(0).locator(".updatemenu-button").filter(has_text="fast").first.click()
    page.wait_for_timeout(1500)
    now = state(page)
    assert now["active"] > 3
    assert f"Inside the {cell} cell at step t = {now['active'] + 1} · unit 1" in now["texts"] or now["active"] == 39


@pytest.mark.parametrize("name", list(PAGES))
def test_the_links_step_is_where_the_slider_starts(app_page, name):
    path, key, cell, _ = PAGES[name]
    app_page.goto(f"{path}?{key}=12")
    assert not app_page.exceptions()
    now = state(app_page.page)
    assert now["active"] == 11 and now["cursor"][:2] == [11.5, 12.5]
    assert f"Inside the {cell} cell at step t = 12 · unit 1" in now["texts"]
    assert app_page.page.get_by_text("Step t = 12, in numbers").count() == 1  # the panel beside: the same step
