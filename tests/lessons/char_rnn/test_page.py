"""AppTest for the char-RNN lesson: renders, trains a tiny LSTM, samples, looks inside, rejects bad text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apptest_helpers import open_lesson
from streamlit.testing.v1 import AppTest

from lessons.char_rnn import recipe as demo
from rnn_core.training import Trainer

PAGE = "lessons/char_rnn/page.py"
TINY = {"char_epochs": "1", "char_hidden": "16", "char_T": "20"}


def open_page(**query) -> AppTest:
    return open_lesson(PAGE, query, timeout=120)


def titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"].get("title", {}).get("text", "") for c in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def trained() -> AppTest:
    at = open_page(**TINY)
    at.button(key="char_train").click().run()
    assert not at.exception, at.exception
    return at


def test_default_view_shows_the_text_and_the_baseline():
    at = open_page()
    assert len(at.get("plotly_chart")) == 1 and "memoryless" in titles(at)[0]
    assert any("nats" in m.value and "memoryless" in m.value for m in at.markdown)
    assert "Press **Train**" in at.info[0].value
    assert not at.error


def test_training_shows_loss_sample_and_inside_view(trained):
    at = trained
    assert at.success and "nats per character" in at.success[0].value
    got = titles(at)
    assert len(got) == 4  # frequencies, loss, temperature, top-k
    assert any("Cross-entropy" in t for t in got) and any("next character" in t for t in got)
    sample = at.get("code")[0].proto.code_text
    assert sample.startswith("MENENIUS:\n") and len(sample) == len("MENENIUS:\n") + 400
    html = [h.proto.body for h in at.get("html")]
    assert any("<span title=" in h for h in html)
    assert at.dataframe  # the unit finder's leads


def test_temperature_and_seed_change_the_sample(trained):
    at = trained
    before = at.get("code")[0].proto.code_text
    at.slider(key="char_temp").set_value(1.6).run()
    assert not at.exception
    hot = at.get("code")[0].proto.code_text
    assert hot != before
    at.number_input(key="char_sample_seed").set_value(7).run()
    assert at.get("code")[0].proto.code_text != hot


def test_unknown_start_characters_are_a_message(trained):
    at = trained
    at.text_input(key="char_prime").set_value("Zebra €").run()
    assert not at.exception
    assert any("never saw" in e.value for e in at.error)
    at.text_input(key="char_prime").set_value("MENENIUS:\\n").run()  # restore for other tests


def test_choosing_a_unit_and_the_cell_state_recolours_the_text(trained):
    at = trained
    body = lambda: next(h.proto.body for h in at.get("html") if "<span title=" in h.proto.body)  # noqa: E731
    before = body()
    at.number_input(key="char_unit").set_value(3).run()
    at.segmented_control(key="char_state").set_value("h").run()
    assert not at.exception
    after = body()
    assert after != before and "unit 3 h" in after


def test_query_params_reproduce_the_training_settings():
    at = open_page(char_hidden="32", char_T="30", char_lr="0.003", char_epochs="4", char_seed="5")
    assert at.slider(key="char_hidden").value == 32 and at.slider(key="char_T").value == 30
    assert at.select_slider(key="char_lr").value == 0.003 and at.number_input(key="char_seed").value == 5


@pytest.mark.parametrize(("text", "message"), [
    ("", "The text is empty"),
    ("Far too short.", "only 14 characters"),
    ("".join(chr(0x0400 + i) for i in range(120)) * 10, "uses 120 different characters"),
])
def test_bad_pasted_text_shows_a_message(text, message):
    at = open_page(char_source="My own text")
    at.text_area(key="char_text").set_value(text).run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert not at.get("plotly_chart")


def test_pasted_text_trains():
    text = ("The quick brown fox jumps over the lazy dog. " * 40).strip()
    at = open_page(char_source="My own text", **TINY)
    at.text_area(key="char_text").set_value(text).run()
    assert not at.error and len(at.get("plotly_chart")) == 1
    at.button(key="char_train").click().run()
    assert not at.exception and at.get("code")[0].proto.code_text.startswith(text[:10])


def test_an_interrupted_run_is_kept_as_stopped():
    at = open_page()
    cfg = demo.CharConfig()
    corpus = demo.make_corpus((Path(__file__).resolve().parents[3] / "assets" / "coriolanus.txt").read_text())
    trainer = Trainer(cfg.train_config(), demo.train_data(corpus, cfg.seq_len))
    run = trainer.run()
    for _ in range(2):
        next(run)
    at.session_state["char_active"] = (cfg, trainer)
    at.run()
    assert not at.exception
    assert at.warning and "Stopped early" in at.warning[0].value
