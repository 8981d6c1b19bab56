"""/training and /char-rnn in a real Chromium: they settle, train with live progress, stop on request, and draw."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

RESULTS = "Results on the held-out data"


def click(app_page, name: str) -> None:
    """A button on the page itself (while a script runs, Streamlit's header shows its own "Stop")."""
    app_page.page.get_by_test_id("stMainBlockContainer").get_by_role("button", name=name, exact=True).click()


def test_training_lab_settles_with_its_task_chart(app_page):
    assert app_page.charts_on("/training") == 1
    assert app_page.page.get_by_role("heading", name="1 · Pick a task").is_visible()


# The default task (the adding problem) has no time axis, so no multi-step forecast: task chart, scatter, loss,
# gradient norms, gates. A series task adds the forecast.
@pytest.mark.parametrize(("task", "charts"), [("", 5), ("&training_task=Sine+wave", 6)])
def test_training_lab_trains_a_tiny_model_and_shows_results(app_page, task, charts):
    app_page.goto(f"/training?training_epochs=2&training_hidden=4{task}")
    click(app_page, "Train")
    app_page.page.get_by_text(RESULTS).wait_for(timeout=120_000)
    app_page.redrawn()
    assert app_page.chart_count() == charts
    assert app_page.page.get_by_test_id("stDataFrame").count() == 1


def test_stop_keeps_the_model_trained_so_far(app_page):
    # Long enough (200 epochs of the adding problem) that Stop always arrives mid-run.
    app_page.goto("/training?training_task=Adding+problem+(long+memory)&training_epochs=200&training_hidden=8")
    click(app_page, "Train")
    app_page.page.get_by_test_id("stProgress").wait_for(timeout=60_000)
    # The task chart, then the live loss chart once the worker process has sent its first losses (its start
    # can take seconds on a loaded machine).
    app_page.page.get_by_test_id("stPlotlyChart").nth(1).wait_for(timeout=60_000)
    click(app_page, "Stop")
    app_page.page.get_by_text("Stopped early").wait_for(timeout=60_000)
    app_page.settle()
    assert not app_page.exceptions()
    assert app_page.page.get_by_text("this run (stopped)").count() >= 1


def test_bad_query_values_do_not_break_the_lab(app_page):
    assert app_page.charts_on("/training?training_task=nonsense&training_window=9999&training_lr=banana") == 1


def test_char_rnn_settles_trains_and_writes(app_page):
    assert app_page.charts_on("/char-rnn?char_epochs=1&char_hidden=16&char_T=20") == 1
    click(app_page, "Train")
    app_page.page.get_by_text("3 · Let it write").wait_for(timeout=120_000)
    app_page.redrawn()
    assert app_page.chart_count() == 4
    sample = app_page.page.get_by_test_id("stCode").first.inner_text()
    assert sample.startswith("MENENIUS:")
    # the Karpathy view: characters wrapped in coloured spans
    assert app_page.page.locator("span[title^='unit']").count() > 100


def test_char_rnn_rejects_a_too_short_pasted_text(app_page):
    app_page.goto("/char-rnn?char_source=My+own+text")
    box = app_page.page.get_by_test_id("stTextArea").locator("textarea")
    box.fill("Much too short.")
    box.press("Control+Enter")
    app_page.settle()
    assert not app_page.exceptions()
    assert app_page.page.get_by_text("only 15 characters").is_visible()
