"""/lstm, /gru and /gradient-flow in a real Chromium: each settles with no exception, draws every chart, and
repaints when a slider moves (and the URL follows). /bidirectional: tests/e2e/test_bidirectional_scrub.py."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def warm_app(browser, streamlit_app):
    """Visit "/" once first: on a fresh server the very first deep link (e.g. /lstm) opens a "Page not found"
    dialog that steals the keyboard focus from the sliders (reported to the app shell)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(streamlit_app + "/", wait_until="domcontentloaded")
    page.get_by_test_id("stSidebarNav").wait_for(timeout=60_000)  # navigation exists: the pages are registered
    context.close()


def named(traces: list[dict], name: str) -> dict:
    return next(t for t in traces if t["name"] == name)


def title(app_page, index: int) -> str:
    return app_page.page.evaluate("(i) => document.querySelectorAll('.js-plotly-plot')[i].layout.title.text", index)


def test_lstm_settles_with_its_film_and_the_remember_demo(app_page):
    # the film (heatmaps above the cell diagram, scrubbed in the browser: tests/e2e/test_gated_scrub.py), the demo
    assert app_page.charts_on("/lstm") == 2
    assert app_page.page.get_by_test_id("stDownloadButton").count() == 1
    assert not app_page.exceptions()


def test_lstm_forget_bias_repaints_the_keep_row(app_page):
    app_page.goto("/lstm")
    before, after = app_page.nudged("Forget-gate bias b_f", lambda: named(app_page.chart_traces(0), "f")["z"])
    assert after != before
    assert "lstm_bf=1.5" in app_page.page.url


def test_lstm_bad_numbers_from_the_url_show_a_message(app_page):
    assert "'oops'" in app_page.first_alert("/lstm?lstm_pattern=my+own+numbers&lstm_numbers=1,2,oops")


def test_gru_settles_and_reacts(app_page):
    # the film (heatmaps above the cell diagram), the two reset forms, parameter counts
    assert app_page.charts_on("/gru?gru_form=Cho+et+al.+2014:+reset+before+the+matmul") == 3
    assert "Cho" in app_page.page.get_by_test_id("stPlotlyChart").first.inner_text()
    before, after = app_page.nudged("Update-gate bias b_z", lambda: named(app_page.chart_traces(0), "z")["z"])
    assert after != before


def test_gradient_flow_opens_trained_at_its_defaults(app_page):
    assert app_page.charts_on("/gradient-flow") == 2  # from the precomputed file: nothing trains on a first visit
    assert app_page.page.get_by_role("button", name="Train RNN, LSTM & GRU").count() == 0


def test_gradient_flow_trains_on_request_and_reacts(app_page):
    # untrained: the left panel only, and a Train button
    assert app_page.charts_on("/gradient-flow?gflow_T=10&gflow_steps=120") == 1
    app_page.page.get_by_role("button", name="Train RNN, LSTM & GRU").click()
    # The training runs in a worker process; the page redraws with the trained panel when it has ended.
    app_page.page.get_by_test_id("stPlotlyChart").nth(1).wait_for(timeout=120_000)
    app_page.settle()
    assert app_page.chart_count() == 2
    before, after = app_page.nudged("LSTM forget-gate bias b_f",
                                    lambda: named(app_page.chart_traces(0), "LSTM  ‖∂L/∂c‖ (cell state)")["y"])
    assert after != before
    assert "gflow_bf=1.5" in app_page.page.url


def test_gradient_flow_stop_ends_training(app_page):
    app_page.goto("/gradient-flow?gflow_T=100&gflow_steps=960&gflow_seed=77")
    app_page.page.get_by_role("button", name="Train RNN, LSTM & GRU").click()
    # The first visit builds the page cold: on a loaded machine that once took longer than 30 s.
    app_page.page.get_by_test_id("stProgress").wait_for(timeout=90_000)
    app_page.page.wait_for_timeout(1000)
    app_page.page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Stop", exact=True).click()
    app_page.page.get_by_text("Training stopped after").wait_for(timeout=60_000)
    app_page.settle()
    assert not app_page.exceptions()
    assert "Training stopped after" in app_page.page.get_by_test_id("stMain").inner_text()
    assert app_page.chart_count() == 1
