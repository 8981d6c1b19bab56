"""AppTest for the training lab: renders, trains tiny models in worker processes to the end, keeps stopped runs,
keeps training while other widgets are clicked, handles uploads (read once per file, shown literally)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from apptest_helpers import charts, decode, opener
from streamlit.testing.v1 import AppTest

from lessons.kit import live
from lessons.kit.text import JOINER
from lessons.training import recipe as lab

PAGE = "lessons/training/page.py"
TINY = {"training_epochs": "1", "training_hidden": "4"}


open_page = opener(PAGE, timeout=120)


def table(at: AppTest):
    return at.dataframe[-1].value


def fitting(at: AppTest) -> bool:
    return any("Fitting the feed-forward" in c.value for c in at.caption)


def training(at: AppTest) -> bool:
    return at.session_state["training_job"] is not None if "training_job" in at.session_state else False


def settle(at: AppTest, timeout: float = 180.0) -> AppTest:
    """Rerun (as the page's timers would) until no rival is being fitted and no training runs."""
    deadline = time.monotonic() + timeout
    while (fitting(at) or training(at)) and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
        assert not at.exception, at.exception
    assert not fitting(at) and not training(at), "still busy"
    return at


def train(at: AppTest, key: str = "training_train") -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return settle(at)


def test_default_view_shows_the_task_and_the_numbers_to_beat():
    at = settle(open_page())
    assert at.selectbox(key="training_task").value == "adding"
    assert len(at.get("plotly_chart")) == 1  # the task's example; results come after training
    assert not at.error
    assert list(table(at)["model / baseline"]) == [lab.MEAN_NAME, lab.LINEAR_NAME, lab.MLP_ALL_NAME,
                                                    lab.MLP_HALF_NAME]
    assert at.button(key="training_train") and not at.button(key="training_train").disabled
    assert "Press **Train**" in at.info[0].value


def test_query_params_choose_the_real_series():
    at = open_page(training_task="Sunspots 1700–2008 (real data)", training_window="11")
    overview = charts(at)[0]
    x = decode(overview["data"][0]["x"])
    assert x[0] == 1700 and len(x) == 309
    assert at.slider(key="training_window").value == 11


def test_changing_the_task_resets_window_and_epochs_to_its_defaults():
    at = open_page()
    at.selectbox(key="training_task").set_value("sunspots").run()
    assert at.slider(key="training_window").value == lab.DEFAULT_WINDOW["sunspots"]
    assert at.slider(key="training_epochs").value == lab.DEFAULT_EPOCHS["sunspots"]
    assert not at.exception


def test_train_runs_in_a_worker_to_the_end_and_shows_every_result():
    at = train(settle(open_page(training_task="Stock prices (synthetic)", **TINY)))
    assert not at.exception and not at.error
    assert "Trained **LSTM H=4**" in at.success[0].value
    assert not at.button(key="training_train").disabled  # free again in the run that files the result
    titles = [c["layout"].get("title", {}).get("text", "") for c in charts(at)]
    assert len(titles) == 6  # overview, prediction vs truth, forecast, losses, gradient norms, gates
    assert any("steps ahead" in t for t in titles) and any("Gradient norm" in t for t in titles)
    rows = table(at)
    assert len(rows) == 5 and rows.iloc[-1][""] == "▶ this run"
    assert lab.MLP_NAME in set(rows["model / baseline"])
    assert rows.iloc[-1]["params"] == 117  # LSTM(1, 4) + Linear(4, 1)
    pred = next(c for c in charts(at) if "One step ahead" in c["layout"]["title"]["text"])
    assert lab.MLP_NAME in {d.get("name") for d in pred["data"]}  # the window model is drawn too
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Metrics (CSV)", "Weights (.npz)", "Download the data (CSV)"} <= set(labels)
    at.run()  # results persist across reruns
    assert len(at.get("plotly_chart")) == 6


def test_train_all_three_cells_fills_the_comparison_table():
    at = train(settle(open_page(**TINY, training_task="Noisy sine wave")), "training_train_all")
    rows = table(at)
    assert list(rows["model / baseline"])[-3:] == ["RNN H=4", "LSTM H=4", "GRU H=4"]


@pytest.mark.parametrize(("task", "text"), [("Adding problem (long memory)", "Predicted vs true sum"),
                                           ("Copy task (long memory)", "what the model wrote")])
def test_memory_tasks_train_and_explain_there_is_no_forecast(task, text):
    at = train(settle(open_page(**TINY, training_task=task, training_window="4")))
    titles = [c["layout"].get("title", {}).get("text", "") for c in charts(at)]
    assert any(text in t for t in titles)
    assert any("no multi-step forecast" in i.value for i in at.info)


def long_run(at: AppTest) -> AppTest:
    at.slider(key="training_epochs").set_value(200).run()
    at.button(key="training_train").click().run()
    assert training(at)
    return at


def test_another_click_while_training_does_not_stop_it():
    """Issue 14: before, any click stopped training (the script was interrupted)."""
    at = long_run(settle(open_page(training_task="Sine wave")))
    at.slider(key="training_hidden").set_value(8).run()  # the student keeps exploring
    assert not at.exception and training(at)
    _, job, _, _ = at.session_state["training_job"]
    assert not job.done and job.state in ("queued", "running")
    assert at.button(key="training_train").disabled  # one training per student at a time
    job.stop()
    settle(at)


def test_stop_keeps_the_model_as_it_was():
    at = long_run(settle(open_page(training_task="Sine wave", training_hidden="8")))
    _, job, _, _ = at.session_state["training_job"]
    while job.progress is None or job.progress.step < 3:
        time.sleep(0.1)
        job.touch()
    at.button(key="training_stop").click().run()
    settle(at)
    assert not at.exception
    assert "Stopped early" in at.warning[0].value
    assert table(at).iloc[-1][""] == "▶ this run (stopped)"


def test_more_steps_than_one_click_may_train_are_refused_with_the_limit():
    at = settle(open_page(training_task="Copy task (long memory)", training_window="100", training_epochs="200"))
    assert at.button(key="training_train").disabled
    assert any("one click may train" in w.value for w in at.warning)


def test_a_full_queue_is_a_message(monkeypatch):
    at = settle(open_page(**TINY, training_task="Sine wave"))

    def busy(*args, **kwargs):
        raise live.jobs.Busy("2 trainings are running and 8 are waiting on this server; please try again in a minute.")

    monkeypatch.setattr(live.board(), "submit", busy)
    at.button(key="training_train").click().run()
    assert not at.exception and any("please try again" in w.value for w in at.warning)


def test_an_empty_required_value_in_a_link_is_a_note_not_a_stop():
    """Issue 14: ?training_cell= stopped the page with "got None"."""
    at = open_page(training_cell="")
    assert not at.error and at.button(key="training_train")
    assert any("training\\_cell" in c.value for c in at.caption)


def test_diverging_training_is_reported_not_raised():
    at = train(settle(open_page(training_task="Stock prices (synthetic)", training_cell="RNN", training_opt="SGD",
                                training_lr="1.0", training_clip="off", training_epochs="3", training_hidden="64",
                                training_momentum="0.99")))
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


def test_upload_task_asks_for_a_file_and_states_the_limits():
    at = open_page(training_task="My own CSV file")
    assert "Upload a CSV file" in at.info[0].value and "1 MB, 20,000 rows and 50 columns" in at.info[0].value
    assert not at.get("plotly_chart")


def test_a_good_upload_trains_on_the_chosen_column():
    at = open_page(training_task="My own CSV file", **TINY)
    data = "day,close\n" + "\n".join(f"{i},{100 + np.sin(i / 4):.4f}" for i in range(80))
    settle(upload(at, "prices.csv", data.encode()))
    assert not at.error and at.selectbox(key="training_column").value == "close"
    assert len(at.get("plotly_chart")) == 1
    train(at)
    assert not at.exception and len(at.get("plotly_chart")) == 6


def test_an_upload_is_read_once_per_file(monkeypatch):
    """Issue 14: the file was parsed again on every rerun of the page."""
    import lessons.kit.upload as up

    calls = []
    real = up.read_table
    monkeypatch.setattr(up, "read_table", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    at = open_page(training_task="My own CSV file")
    data = "day,close\n" + "\n".join(f"{i},{100 + np.sin(i / 3):.4f}" for i in range(60))
    upload(at, "once.csv", data.encode())
    for hidden in (5, 6, 7):
        at.slider(key="training_hidden").set_value(hidden).run()
    assert calls.count("once.csv") == 1


HOSTILE = '<a href="https://example.com">x</a>**b** ![i](https://example.com/i.png) <span style="font-size:300px">S'


def test_the_header_and_file_name_are_shown_literally():
    """Issue 14: a CSV header became a live link in three charts and Markdown in the caption."""
    at = open_page(training_task="My own CSV file")
    data = f'day,"{HOSTILE}"\n' + "\n".join(f"{i},{100 + np.sin(i / 3):.4f}" for i in range(60))
    settle(upload(at, "[click](https://example.com).csv", data.encode()))
    caption = next(c.value for c in at.caption if "values from" in c.value)
    assert "](https" not in caption.replace("\\](", "") and "\\[click\\]" in caption
    titles = [c["layout"]["yaxis"]["title"]["text"] for c in charts(at)]
    assert titles and all("<a " not in t and "<span" not in t for t in titles)
    assert "&lt;a href" in titles[0]


def test_a_bad_upload_message_quotes_the_file_literally():
    at = open_page(training_task="My own CSV file")
    upload(at, "**bold**.xlsx", b"PK\x03\x04")
    assert at.error and "\\*\\*bold\\*\\*" in at.error[0].value


@pytest.mark.parametrize(("name", "data", "message"), [
    ("words.csv", csv([f"w{i}" for i in range(40)], header="word"), "is not numeric"),
    ("holes.csv", csv([1, 2, "", 4, "NaN"] + list(range(40))), "empty cells in row(s) 4"),
    ("nan.csv", csv([1, 2, "NaN"] + list(range(40))), "missing or infinite values (NaN/inf) in row(s) 4"),
    ("short.csv", csv([1, 3, 2, 5]), "only 4 value(s)"),
    ("big.csv", b"1\n" * 600_000, "the limit is 1.0 MB"),
    ("sheet.xlsx", b"PK\x03\x04 not really a spreadsheet", "not a text table"),
    ("huge.csv", csv([1e300 * (-1) ** i for i in range(40)]), "holds numbers as large as"),
])
def test_bad_uploads_show_a_clear_message(name, data, message):
    at = open_page(training_task="My own CSV file")
    upload(at, name, data)
    shown = [e.value.replace("\\", "").replace(JOINER, "") for e in at.error]  # md_literal's escapes and joiners
    assert any(message in e for e in shown), shown
    assert not at.get("plotly_chart")
