"""AppTest for the gradient-flow lesson: the defaults and the "Try this" links open with trained results from the
precomputed file (no training on page load); other settings show the untrained panel and a Train button, which
trains (here on a small setting: short sequences, 120 steps) with progress."""

from __future__ import annotations

import json
import time

import numpy as np
from apptest_helpers import charts, decode, opener
from streamlit.testing.v1 import AppTest

from lessons.gradient_flow import recipe as demo
from lessons.gradient_flow.settings import SETTINGS, TRIES

PAGE = "lessons/gradient_flow/page.py"
SMALL = {"gflow_T": "10", "gflow_steps": "120"}


open_page = opener(PAGE, timeout=120)


def curve(spec: dict, name: str, panel: int = 0) -> np.ndarray:
    """The ``panel``-th trace called ``name`` (0: at initialisation, 1: after training)."""
    return decode([d for d in spec["data"] if d.get("name") == name][panel]["y"])


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_defaults_open_trained_from_the_file():
    at = open_page()
    flow, loss = charts(at)
    names = {d.get("name") for d in flow["data"]}
    assert {"RNN  ‖∂L/∂h‖", "LSTM  ‖∂L/∂h‖", "LSTM  ‖∂L/∂c‖ (cell state)", "GRU  ‖∂L/∂h‖"} <= names
    assert flow["layout"]["yaxis"]["type"] == "log"
    assert "after 480 training steps" in json.dumps(flow["layout"]["annotations"])
    assert [d["name"] for d in loss["data"]] == ["RNN", "LSTM", "GRU"]
    assert len(decode(loss["data"][0]["y"])) == 480
    assert "Train RNN, LSTM & GRU" not in buttons(at)
    text = " ".join(m.value for m in at.markdown)
    assert "At initialisation" in text and "After 480 training steps" in text and "learns the task" in text
    assert at.get("download_button") and at.dataframe and not at.exception


def test_every_try_link_opens_trained():
    for tip in TRIES:
        at = open_page(**tip.query(SETTINGS))
        assert len(charts(at)) == 2 and "Train RNN, LSTM & GRU" not in buttons(at), tip.label
        assert not at.exception


def test_other_settings_wait_for_train_then_train():
    at = open_page(**SMALL)
    assert len(charts(at)) == 1  # the untrained panel only
    flow = charts(at)[0]
    assert "after" not in json.dumps(flow["layout"]["annotations"])
    assert "Train RNN, LSTM & GRU" in buttons(at)
    at.button(key="gflow_train").click().run(timeout=120)
    assert not at.exception
    cfg, job = at.session_state["gflow_training"]
    assert job.runner is demo.train_all  # in a worker process on the server's training board, not in the page
    assert at.button(key="gflow_train").disabled  # one training per student at a time
    settle(at)
    flow, loss = charts(at)
    assert "after 120 training steps" in json.dumps(flow["layout"]["annotations"])
    assert len(decode(loss["data"][0]["y"])) == 120
    at.slider(key="gflow_bf").set_value(2.0).run()
    assert len(charts(at)) == 1  # a new setting: untrained again
    at.slider(key="gflow_bf").set_value(1.0).run()
    assert len(charts(at)) == 2  # the trained run is remembered on the server


def test_stop_ends_training_and_says_how_far_it_got():
    at = open_page(gflow_T="100", gflow_steps="960")
    at.button(key="gflow_train").click().run()
    _, job = at.session_state["gflow_training"]
    while job.progress is None or job.progress.step < 3:
        time.sleep(0.1)
        job.touch()
    at.button(key="gflow_stop").click().run()
    settle(at)
    assert not at.exception and len(charts(at)) == 1  # a partial run of three cells is not kept
    assert any("Training stopped after" in m.value for m in at.markdown)
    assert not at.button(key="gflow_train").disabled


def settle(at: AppTest, timeout: float = 180.0) -> AppTest:
    """Rerun (as the live view's timer would) until this student's training has ended and been filed."""
    deadline = time.monotonic() + timeout
    while "gflow_training" in at.session_state and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
        assert not at.exception, at.exception
    assert "gflow_training" not in at.session_state, "still training"
    return at


def test_forget_bias_changes_only_the_lstm():
    at = open_page(**SMALL)
    rnn, lstm = curve(charts(at)[0], "RNN  ‖∂L/∂h‖"), curve(charts(at)[0], "LSTM  ‖∂L/∂c‖ (cell state)")
    at.slider(key="gflow_bf").set_value(3.0).run()
    assert not at.exception
    flow = charts(at)[0]
    np.testing.assert_array_equal(curve(flow, "RNN  ‖∂L/∂h‖"), rnn)
    assert curve(flow, "LSTM  ‖∂L/∂c‖ (cell state)")[-1] > 2 * lstm[-1]  # the belt carries it further


def test_query_params_reproduce_the_view():
    at = open_page(gflow_T="15", gflow_bf="2.5", gflow_seed="3")
    assert at.slider(key="gflow_T").value == 15 and at.slider(key="gflow_bf").value == 2.5
    assert at.number_input(key="gflow_seed").value == 3
    assert len(curve(charts(at)[0], "GRU  ‖∂L/∂h‖")) == 15
