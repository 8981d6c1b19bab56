"""Every page on every screen: a phone (390 px), a laptop (1400 px) and a projector (1920 px), light and dark.

On each, the checks of screen_checks.py must find nothing: no serious axe-core violation, no two chart labels on
top of each other, no chart text cut off at its chart's edge, no sideways scrolling of the page (a diagram may
scroll inside its own frame), no chart text below 11 px, no chart text below WCAG AA contrast, no chart mark
below 3:1. The same after a training, on the training lab and the character model. In presenter mode at
1920 px every chart label is at least 16 px, readable from the back of a classroom.
"""

from __future__ import annotations

import pytest

from lessons.catalog import LESSONS

from . import screen_checks as checks
from .conftest import settle

pytestmark = pytest.mark.browser

PATHS = ["/" + lesson.url_path for lesson in LESSONS]
WIDTHS = (390, 1400, 1920)
SCHEMES = ("light", "dark")


def open_screen(browser, base: str, path: str, width: int, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(base + path, wait_until="domcontentloaded")
    settle(page)
    wait_for_charts(page)
    return context, page


def wait_for_charts(page) -> None:
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                                     .every(el => el.querySelector('.js-plotly-plot .main-svg'))""", timeout=30_000)
    page.wait_for_timeout(800)  # the chrome script marks the theme and scrollers on the next animation frames


def problems(page) -> dict:
    sideways = checks.sideways_scroll(page)
    found = {"axe (serious, critical)": checks.axe_problems(page),
             "overlapping chart labels": checks.overlapping_labels(page),
             "page scrolls sideways": [sideways] if sideways["scroll"] else [],
             "chart text cut off at the chart's edge": checks.cut_off_chart_text(page),
             "chart text under 11 px": checks.small_chart_text(page, 11),
             "chart text below AA": checks.low_contrast_chart_text(page),
             "chart marks below 3:1": checks.low_contrast_marks(page)}
    return {name: items[:8] for name, items in found.items() if items}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PATHS)
def test_nothing_overlaps_is_cut_off_or_unreadable(browser, streamlit_app, path, width):
    """One visit per page and width; the theme is switched in place (Streamlit follows the system setting live),
    which halves the page loads without changing what is checked."""
    context, page = open_screen(browser, streamlit_app, path, width)
    try:
        found = {}
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            wait_for_charts(page)
            found[scheme] = problems(page)
    finally:
        context.close()
    assert not any(found.values()), found


@pytest.mark.parametrize("path", PATHS)
def test_presenter_mode_on_a_projector_has_no_chart_text_under_16_px(browser, streamlit_app, path):
    context, page = open_screen(browser, streamlit_app, path + "?present=true", 1920)
    try:
        small = checks.small_chart_text(page, 16)
        overlaps = checks.overlapping_labels(page)
        cut = checks.cut_off_chart_text(page)
    finally:
        context.close()
    assert not small and not overlaps and not cut, {"under 16 px": small[:8], "overlapping": overlaps[:8],
                                                    "cut off": cut[:8]}


# The results of a training are the pages' largest screens: each kind of task once, trained small.
TRAINED = [("/training?training_epochs=2&training_hidden=4", "Results on the held-out data"),
           ("/training?training_epochs=2&training_hidden=4&training_task=Sine+wave", "Results on the held-out data"),
           ("/training?training_epochs=2&training_hidden=4&training_task=Copy+task+(long+memory)",
            "Results on the held-out data"),
           ("/char-rnn?char_epochs=1&char_hidden=16&char_T=20", "3 · Let it write")]


@pytest.mark.timeout(900)
@pytest.mark.parametrize(("url", "done"), TRAINED)
def test_after_training_nothing_overlaps_is_cut_off_or_unreadable(browser, streamlit_app, url, done):
    """Train once, then look at the results at every width (the window resized in place) and in both themes."""
    context, page = open_screen(browser, streamlit_app, url, WIDTHS[1])
    try:
        page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train", exact=True).click()
        page.get_by_text(done).wait_for(timeout=240_000)
        settle(page)
        found = {}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(1200)  # Plotly redraws its charts at the new width
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                wait_for_charts(page)
                found[(width, scheme)] = problems(page)
    finally:
        context.close()
    assert not any(found.values()), {k: v for k, v in found.items() if v}
