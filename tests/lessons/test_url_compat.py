"""Old links keep working: every URL in url_cases.json (each "Try this" link and preset, a few hand-made ones
per page) opens with the same widget values and builds the same configs as on the day it was recorded.

The cases were recorded on the code before "one lesson, one folder" (see "about" in the JSON). For each one
the page runs in AppTest with the URL's query parameters; every config object the page builds is captured
(by wrapping the config classes' __init__) and compared with the recorded ones. The old class defaults are
left out on both sides: a page may build them at import time. A recorded widget may since have become a
control inside a figure (the step on /unrolled): then the value the page drew the figure with is compared.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from pathlib import Path

import pytest
import streamlit as st
from apptest_helpers import open_lesson
from tests_shared import lesson_pages

from lessons.kit.widgets import DRAWN

CASES_FILE = Path(__file__).with_name("url_cases.json")
DATA = json.loads(CASES_FILE.read_text(encoding="utf-8"))
# The configs a page builds from its controls, per URL path (other classes a page built were internal).
MAIN = {"unrolled": ["UnrolledConfig"], "bptt": ["BPTTConfig"], "vanishing-gradients": ["ChainConfig", "MatrixConfig"],
        "lstm": ["LSTMConfig", "RememberConfig"], "gru": ["GRUConfig"], "bidirectional": ["BiConfig", "ReadoutConfig"],
        "gradient-flow": ["FlowConfig"], "training": ["LabConfig"], "char-rnn": ["CharConfig"]}


def plain(value):
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def as_key(d: dict) -> str:
    return json.dumps({k: plain(v) for k, v in d.items()}, sort_keys=True)


def config_class(page: str, name: str):
    """The config class called ``name`` in the recipe modules next to ``page``."""
    folder = Path(page).parent
    for path in sorted((Path(__file__).resolve().parents[2] / folder).glob("*recipe*.py")):
        module = importlib.import_module(".".join(folder.parts) + "." + path.stem)
        if hasattr(module, name):
            return getattr(module, name)
    raise AssertionError(f"no config class {name} next to {page}")


def case_id(case: dict) -> str:
    return case["url"] + ("?" + "&".join(f"{k}={v}" for k, v in case["query"].items()) if case["query"] else "")


@pytest.mark.slow
@pytest.mark.parametrize("case", DATA["cases"], ids=case_id)
def test_old_links_give_the_same_view(case, monkeypatch):
    page = lesson_pages()[case["url"]]
    built: dict[str, list[str]] = {}
    for name in MAIN[case["url"]]:
        cls = config_class(page, name)

        def init(self, *args, _orig=cls.__init__, _name=name, **kwargs):
            _orig(self, *args, **kwargs)
            built.setdefault(_name, []).append(as_key(dataclasses.asdict(self)))

        monkeypatch.setattr(cls, "__init__", init)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_lesson(page, case["query"], timeout=180)
    assert not at.error, [e.value for e in at.error]
    widgets = {w.key: w.value for kind in ("slider", "selectbox", "number_input", "toggle", "text_input", "radio",
                                           "select_slider", "button_group", "text_area", "checkbox")
               for w in at.get(kind) if w.key}
    # A control that moved into a figure (the step on /unrolled is scrubbed in the browser) is no longer a
    # Streamlit widget; its link value is what the page remembered drawing with (the registry "Share" reads).
    linked = {key: value for key, (_, value, _) in at.session_state[DRAWN].items()} if DRAWN in at.session_state \
        else {}
    for key, value in case["widgets"].items():
        assert key in widgets or key in linked, f"{key} is no longer drawn"
        shown = widgets[key] if key in widgets else linked[key]
        assert plain(shown) == value, (key, shown, value)
    for name in MAIN[case["url"]]:
        old_default = as_key(DATA["defaults"][name])
        recorded = {as_key(d) for d in case["configs"][name]} - {old_default}
        now = set(built.get(name, [])) - {old_default}
        assert now == recorded, (name, now ^ recorded)
