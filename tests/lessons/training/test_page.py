"""AppTest for the training lab: renders, trains tiny models to the end, keeps stopped runs, handles uploads."""

from __future__ import annotations

import numpy as np
import pytest
from apptest_helpers import charts, decode, open_lesson
from streamlit.testing.v1 import AppTest

from lessons.training import recipe as lab
from rnn_core.training import Trainer

PAGE = "lessons/training/page.py"
TINY = {"training_epochs": "1", "training_hidden": "4"}


def open_page(**query) -> AppTest:
    return open_lesson(PAGE, query, timeout=120)


def table(at: AppTest):
    return at.dataframe[-1].value


def test_default_view_shows_the_task_and_the_number_to_beat():
    at = open_page()
    assert len(at.get("plotly_chart")) == 1  # the series with its split; results come after training
    assert not at.error
    rows = table(at)
    assert list(rows["model / baseline"]) == [lab.AR_NAME, lab.PERSIST_NAME]
    assert at.button(key="training_train") and at.button(key="training_stop")
    assert "Press **Train**" in at.info[0].value


def test_query_params_choose_the_real_series():
    at = open_page(training_task="Sunspots 1700–2008 (real data)", training_window="11")
    overview = charts(at)[0]
    x = decode(overview["data"][0]["x"])
    assert x[0] == 1700 and len(x) == 309
    assert at.slider(key="training_window").value == 11


def test_changing_the_task_resets_window_and_epochs_to_its_defaults():
    at = open_page()
    at.selectbox(key="training_task").set_value("adding").run()
    assert at.slider(key="training_window").value == lab.DEFAULT_WINDOW["adding"]
    assert at.slider(key="training_epochs").value == 10
    assert not at.exception


def test_train_runs_to_the_end_and_shows_every_result():
    at = open_page(**TINY)
    at.button(key="training_train").click().run()
    assert not at.exception and not at.error
    assert "Trained **LSTM H=4**" in at.success[0].value
    titles = [c["layout"].get("title", {}).get("text", "") for c in charts(at)]
    assert len(titles) == 6  # overview, prediction vs truth, forecast, losses, gradient norms, gates
    assert any("steps ahead" in t for t in titles) and any("Gradient norm" in t for t in titles)
    rows = table(at)
    assert len(rows) == 3 and rows.iloc[-1][""] == "▶ this run"
    assert rows.iloc[-1]["params"] == 117  # LSTM(1, 4) + Linear(4, 1)
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Metrics (CSV)", "Weights (.npz)", "Download the data (CSV)"} <= set(labels)
    at.run()  # results persist across reruns
    assert len(at.get("plotly_chart")) == 6


def test_train_all_three_cells_fills_the_comparison_table():
    at = open_page(**TINY, training_task="Noisy sine wave")
    at.button(key="training_train_all").click().run()
    assert not at.exception
    rows = table(at)
    assert list(rows["model / baseline"])[2:] == ["RNN H=4", "LSTM H=4", "GRU H=4"]


@pytest.mark.parametrize(("task", "text"), [("Adding problem (long memory)", "Predicted vs true sum"),
                                           ("Copy task (long memory)", "what the model wrote")])
def test_memory_tasks_train_and_explain_there_is_no_forecast(task, text):
    at = open_page(**TINY, training_task=task, training_window="4")
    at.button(key="training_train").click().run()
    assert not at.exception
    titles = [c["layout"].get("title", {}).get("text", "") for c in charts(at)]
    assert any(text in t for t in titles)
    assert any("no multi-step forecast" in i.value for i in at.info)


def test_a_run_interrupted_by_a_click_is_kept_as_stopped():
    at = open_page()
    cfg = lab.LabConfig()  # the page's defaults
    trainer = Trainer(cfg.train_config(), lab.make_task(cfg.task, cfg.window).data)
    run = trainer.run()
    for _ in range(3):
        next(run)  # as if Stop was clicked after three steps
    at.session_state["training_active"] = (cfg, lab.make_task(cfg.task, cfg.window), trainer)
    at.run()
    assert not at.exception
    assert "Stopped early: 3 of" in at.warning[0].value
    assert table(at).iloc[-1][""] == "▶ this run (stopped)"


def test_diverging_training_is_reported_not_raised():
    at = open_page(training_cell="RNN", training_opt="SGD", training_lr="1.0", training_clip="off",
                   training_epochs="3", training_hidden="64", training_momentum="0.99")
    at.button(key="training_train").click().run()
    assert not at.exception
    shown = [e.value for e in at.error] + [s.value for s in at.success]
    assert shown  # either it diverged (an explained error) or it survived; never a traceback


# -- uploads ----------------------------------------------------------------------------------------------
def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="training_upload").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def csv(values, header="close") -> bytes:
    return ("\n".join([header, *map(str, values)]) + "\n").encode()


def test_upload_task_asks_for_a_file_first():
    at = open_page(training_task="My own CSV file")
    assert "Upload a CSV file" in at.info[0].value
    assert not at.get("plotly_chart")


def test_a_good_upload_trains_on_the_chosen_column():
    at = open_page(training_task="My own CSV file", **TINY)
    data = "day,close\n" + "\n".join(f"{i},{100 + np.sin(i / 4):.4f}" for i in range(80))
    upload(at, "prices.csv", data.encode())
    assert not at.error and at.selectbox(key="training_column").value == "close"
    assert len(at.get("plotly_chart")) == 1
    at.button(key="training_train").click().run()
    assert not at.exception and len(at.get("plotly_chart")) == 6


@pytest.mark.parametrize(("name", "data", "message"), [
    ("words.csv", csv([f"w{i}" for i in range(40)], header="word"), "is not numeric"),
    ("holes.csv", csv([1, 2, "", 4, "NaN"] + list(range(40))), "empty cells in row(s) 4"),
    ("nan.csv", csv([1, 2, "NaN"] + list(range(40))), "missing or infinite values (NaN/inf) in row(s) 4"),
    ("short.csv", csv([1, 3, 2, 5]), "only 4 value(s)"),
    ("big.csv", b"1\n" * 600_000, "the limit is 1.0 MB"),
    ("sheet.xlsx", b"PK\x03\x04 not really a spreadsheet", "not a text table"),
])
def test_bad_uploads_show_a_clear_message(name, data, message):
    at = open_page(training_task="My own CSV file")
    upload(at, name, data)
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert not at.get("plotly_chart")
