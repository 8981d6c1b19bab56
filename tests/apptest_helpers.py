"""Shared helpers for the AppTest page tests (tests/test_page_*.py): open a lesson, read its Plotly charts.

Import them like conftest's helpers: ``from apptest_helpers import open_lesson, charts, decode``
(pytest puts tests/ on sys.path, since tests/ is not a package).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_lesson(page: str, query: dict[str, str] | None = None, *, timeout: float = 60) -> AppTest:
    """Run the app, set the URL's query params, switch to ``page`` (e.g. "views/lessons/gru.py"), run it,
    and check that it raised nothing."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    # One run first: st.navigation registers the lesson under its url_path, which switch_page needs.
    at.run()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert_clean(at)
    return at


def opener(page: str, *, timeout: float = 60):
    """``open_page(**query)`` for one lesson's tests: ``open_page(gru_bz="4")`` opens ``page`` with that link."""
    return lambda **query: open_lesson(page, query, timeout=timeout)


def at_defaults(page: str):
    """A module-scoped fixture: ``page`` opened once at its defaults, for the tests that only read it
    (``page = at_defaults(PAGE)`` in a test module; the fixture takes the name it is assigned to)."""
    return pytest.fixture(scope="module")(lambda: open_lesson(page))


def assert_every_chart(at: AppTest, charts: tuple[str, ...], prefix: str, downloads: int = 1) -> None:
    """A lesson drawn in full: no exception and no error, exactly ``charts`` (by key), ``downloads`` download
    buttons, and every one of its own widget keys starting with ``prefix``."""
    assert_clean(at)
    assert sorted(chart_keys(at)) == sorted(charts)
    assert len(at.get("download_button")) == downloads
    assert not at.error
    every_key = lesson_keys(at)
    assert every_key and all(k.startswith(prefix) for k in every_key)


SHELL_KEYS = frozenset({"present", "share_make"})  # app.py's sidebar: presenter mode and "Share this view"


def lesson_keys(at: AppTest, kinds=("slider", "selectbox", "toggle", "button", "number_input", "button_group",
                                    "radio", "text_input", "text_area", "select_slider", "checkbox")) -> set[str]:
    """The keys of the lesson's own widgets: not the app shell's, not the "Check yourself" tasks' (task_…)."""
    keys = {w.key for kind in kinds for w in at.get(kind) if w.key}
    return {k for k in keys if k not in SHELL_KEYS and not k.startswith("task_")}


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def decode(value) -> np.ndarray:
    """A Plotly JSON array: Plotly 7 ships numpy arrays as base64 {"dtype", "bdata", "shape"} (decoded with their
    dtype and shape); a plain list of numbers becomes a float array (JSON null -> NaN)."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return arr.reshape([int(s) for s in str(value["shape"]).split(",")]) if "shape" in value else arr
    return np.asarray(value, dtype=float)


def charts(at: AppTest) -> list[dict]:
    """Every Plotly chart on the page, in page order, as its JSON spec."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def chart_keys(at: AppTest) -> list[str]:
    """The widget keys of the page's Plotly charts, in page order."""
    return [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]


def chart(at: AppTest, key: str) -> dict:
    """The JSON spec of the one chart whose widget key is ``key``."""
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, f"chart {key!r} not found"
    return json.loads(found[0].proto.spec)


def trace(spec: dict, name: str) -> dict:
    """The first trace called ``name`` in a chart spec."""
    return next(d for d in spec["data"] if d.get("name") == name)


def shown(markdown: str) -> str:
    """What a reader sees of a Markdown string whose user text was escaped (``\\'`` shows as ``'``)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def errors(at: AppTest) -> list[str]:
    """The text of every st.error on the page, as a reader sees it."""
    return [shown(e.value) for e in at.error]


def error_after_typing(at: AppTest, box: str, typed: str) -> str:
    """Type ``typed`` into the text box keyed ``box``: the page must answer with an error, not a traceback.
    Returns the first error's text, as a reader sees it."""
    at.text_input(key=box).set_value(typed).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.error
    return errors(at)[0]
