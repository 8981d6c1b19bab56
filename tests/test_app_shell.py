"""The app shell: app.py runs, the navigation lists the lessons at their fixed URLs, Home renders."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lessons.catalog import LESSONS

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
FIXED_URLS = {"", "unrolled", "bptt", "vanishing-gradients", "lstm", "gru", "bidirectional", "gradient-flow",
              "training", "char-rnn"}


def test_every_fixed_url_has_exactly_one_lesson_row():
    urls = [lesson.url_path for lesson in LESSONS]
    assert sorted(urls) == sorted(FIXED_URLS)
    files = [lesson.path for lesson in LESSONS]
    assert len(set(files)) == len(files)
    assert all(f.startswith("lessons/") and f.endswith(".py") and (ROOT / f).exists() for f in files)


def test_no_pages_folder_next_to_app():
    # A folder named pages/ beside app.py puts Streamlit's first session after start in legacy MPA-v1 mode:
    # a cold deep link then shows "Page not found". The UI code lives in views/ instead.
    assert not (ROOT / "pages").exists(), "lesson code lives in lessons/<name>/"


@pytest.fixture(scope="module")
def home() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def test_app_runs_and_home_renders_without_exception(home):
    assert not home.exception
    assert len(home.get("plotly_chart")) == 2  # the example sequences and the memory picture
    assert any("Data that comes in order" in h.value for h in home.header)


def test_home_links_only_to_lessons_that_exist(home):
    links = home.get("page_link")
    targets = {link.proto.page for link in links}
    existing = {lesson.url_path for lesson in LESSONS if (ROOT / lesson.path).exists() and lesson.url_path}
    assert targets <= existing
    assert "unrolled" in targets


@pytest.mark.parametrize("path", ["lessons/home/page.py", "lessons/unrolled/page.py"])
def test_shell_pages_switch_without_exception(path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(path).run()
    assert not at.exception


@pytest.mark.parametrize("path", [lesson.path for lesson in LESSONS if lesson.url_path])
def test_presenter_mode_folds_every_lessons_controls_into_one_strip(path):
    """In presenter mode the projector shows the lesson; the controls wait in a folded "Controls" strip."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["present"] = True
    at.run()
    at.switch_page(path).run()
    assert not at.exception
    strips = [e for e in at.expander if e.label == "Controls"]
    assert strips and all(not e.proto.expanded for e in strips)
    assert strips[0].get("slider") or strips[0].get("selectbox")  # the lesson's own controls are inside
    at.session_state["present"] = False
    at.run()
    assert not [e for e in at.expander if e.label == "Controls"]
