"""Home and /unrolled in a real Chromium: they settle, show no exception, draw their charts and react."""

from __future__ import annotations

import pytest

from .conftest import ROOT, free_port, settle, start_streamlit, stop_streamlit

pytestmark = pytest.mark.browser

MAIN_CHART = 2  # on /unrolled: 0 the diagram, 1 the activation curve, 2 h over time, 3 the sweep over w
SWEEP_CHART = 3


def test_home_settles_with_charts_and_lesson_links(app_page):
    assert app_page.charts_on("/") == 2
    assert app_page.page.get_by_role("heading", name="Data that comes in order").is_visible()
    assert app_page.page.get_by_test_id("stPageLink").filter(has_text="Unrolled RNN").count() >= 1


def test_unrolled_settles_with_its_four_charts(app_page):
    assert app_page.charts_on("/unrolled") == 4
    assert app_page.page.get_by_role("heading", name="The unrolled RNN").is_visible()
    h = app_page.chart_traces(MAIN_CHART)[-1]["y"]
    assert len(h) == 12


def test_query_params_set_the_widgets_and_the_chart(app_page):
    app_page.goto("/unrolled?unrolled_w=0.5&unrolled_H=3&unrolled_T=20&unrolled_act=ReLU")
    assert not app_page.exceptions()
    assert float(app_page.slider("Recurrent weight w").input_value()) == 0.5
    assert app_page.slider("Hidden size H").input_value() == "3"
    assert app_page.page.get_by_role("combobox", name="Activation").input_value() == "ReLU"
    heat = app_page.chart_traces(MAIN_CHART)[-1]
    assert heat["type"] == "heatmap" and len(heat["z"]) == 3 and len(heat["z"][0]) == 20


def test_nudging_a_slider_repaints_the_chart_and_the_url(app_page):
    app_page.goto("/unrolled")
    before, after = app_page.nudged("Recurrent weight w", lambda: app_page.chart_traces(MAIN_CHART)[-1]["y"], times=3)
    assert len(after) == len(before) and after != before
    assert "unrolled_w=0.95" in app_page.page.url  # 0.80 + 3 steps of 0.05, bound to the URL


def drag_film_slider_to_the_end(page, chart: int = 0) -> None:
    plot = page.locator(".js-plotly-plot").nth(chart)
    grip, rail = plot.locator(".slider-grip-rect").first, plot.locator(".slider-rail-rect").first
    grip.scroll_into_view_if_needed()
    g, r = grip.bounding_box(), rail.bounding_box()
    page.mouse.move(g["x"] + g["width"] / 2, g["y"] + g["height"] / 2)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(g["x"] + (r["x"] + r["width"] - g["x"]) * k / 10, g["y"] + g["height"] / 2)
        page.wait_for_timeout(50)
    page.mouse.up()
    page.wait_for_timeout(500)


def film_state(page) -> list:
    """[slider position (0-based), the equation drawn above the diagram, websocket messages sent so far]."""
    return page.evaluate("""() => { const gd = document.querySelectorAll('.js-plotly-plot')[0];
        return [gd.layout.sliders[0].active, gd.data[gd.data.length - 1].text[0], window.__sends || 0]; }""")


def test_dragging_the_film_slider_walks_the_steps_without_asking_the_server(app_page):
    """The step is scrubbed inside the diagram: the highlight and the equation follow the slider to the last step,
    and the page sends the server nothing while the hand moves."""
    app_page.goto("/unrolled?unrolled_t=2")
    page = app_page.page
    assert film_state(page)[0] == 1  # the link's step is where the slider starts
    page.evaluate("""() => { window.__sends = 0; const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (d) { window.__sends += 1; return send.call(this, d); }; }""")
    drag_film_slider_to_the_end(page)
    active, equation, sends = film_state(page)
    assert active == 11 and "h₁₂ = " in equation and sends == 0
    assert page.get_by_text("t = 12", exact=True).count() >= 1  # the bold time label under the last column


def count_sends(page) -> None:
    page.evaluate("""() => { window.__sends = 0; const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (d) { window.__sends += 1; return send.call(this, d); }; }""")


def test_dragging_the_sweep_walks_w_to_3_without_asking_the_server(app_page):
    """The sweep film: dragging its slider to the end shows w = 3 (the line and the summary change) with no
    websocket message; the page's own w is still the dashed reference."""
    app_page.goto("/unrolled")
    page = app_page.page
    read = """(i) => { const gd = document.querySelectorAll('.js-plotly-plot')[i];
        return [gd.layout.sliders[0].active, Array.from(gd._fullData[1].y).slice(-1)[0],
                gd.data[gd.data.length - 1].text[0], window.__sends || 0]; }"""
    start, y_before, summary_before, _ = page.evaluate(read, SWEEP_CHART)
    count_sends(page)
    drag_film_slider_to_the_end(page, SWEEP_CHART)
    active, y_after, summary_after, sends = page.evaluate(read, SWEEP_CHART)
    assert start == 76 and active == 120  # w = 0.80 on the grid −3 … 3 by 0.05, then its last point
    assert summary_after.startswith("w = 3.00") and summary_after != summary_before and y_after != y_before
    assert sends == 0


def test_play_advances_the_step(app_page):
    app_page.goto("/unrolled?unrolled_t=1")
    page = app_page.page
    plot = page.locator(".js-plotly-plot").nth(0)
    plot.locator(".updatemenu-button").filter(has_text="fast").first.click()
    page.wait_for_timeout(1500)
    assert film_state(page)[0] > 3


def decode_qr(png: bytes) -> list[str]:
    import io

    import numpy as np
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(np.asarray(Image.open(io.BytesIO(png)).convert("L")))]


def test_the_scrubbed_step_is_in_the_address_bar_the_next_rerun_and_the_share_link(app_page):
    app_page.goto("/unrolled")
    page = app_page.page
    drag_film_slider_to_the_end(page)
    assert "unrolled_t=12" in page.url  # written without a rerun
    app_page.nudge("Recurrent weight w", "ArrowRight")
    assert film_state(page)[0] == 11  # the rerun started the new film at the scrubbed step
    page.get_by_role("button", name="Share this view").click()
    page.get_by_role("button", name="Show the link and QR code").click()
    app_page.settle()
    link = page.get_by_test_id("stCode").filter(has_text="http").first.inner_text().strip()
    assert "unrolled_t=12" in link and "unrolled_w=0.85" in link
    assert decode_qr(page.locator("[data-testid='stImage'] img").last.screenshot()) == [link]


def test_bad_typed_numbers_show_a_message(app_page):
    assert "'oops'" in app_page.first_alert("/unrolled?unrolled_seq=Typed+numbers&unrolled_values=1,2,oops")


def test_first_visit_by_deep_link_shows_no_page_not_found_dialog(browser, tmp_path):
    """A classroom link is often the first visit after the server starts (Community Cloud wakes the app).
    Streamlit 1.67 runs that first session in legacy MPA-v1 mode whenever a folder named pages/ sits next
    to app.py, and then shows "Page not found" over the right page; that is why the UI code lives in lessons/."""
    proc = start_streamlit(free_port_for := free_port(), tmp_path / "streamlit.log")
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{free_port_for}/unrolled", wait_until="domcontentloaded")
        settle(page)
        page.wait_for_timeout(500)
        dialogs = page.get_by_text("Page not found").count()
        context.close()
    finally:
        stop_streamlit(proc)
    assert dialogs == 0
    assert not (ROOT / "pages").exists()
