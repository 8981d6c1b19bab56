"""AppTest for the gradient-flow lesson, on a small setting (short sequences, 120 steps) so the test trains in
about a second: it renders, the sliders change the curves, the URL reproduces the view."""

from __future__ import annotations

import json

import numpy as np
from apptest_helpers import charts, decode, open_lesson
from streamlit.testing.v1 import AppTest

PAGE = "lessons/gradient_flow/page.py"
SMALL = {"gflow_T": "10", "gflow_steps": "120"}


def open_page(**query) -> AppTest:
    return open_lesson(PAGE, {**SMALL, **query}, timeout=120)


def curve(spec: dict, name: str, panel: int = 0) -> np.ndarray:
    """The ``panel``-th trace called ``name`` (0: at initialisation, 1: after training)."""
    return decode([d for d in spec["data"] if d.get("name") == name][panel]["y"])


def test_renders_flow_and_loss_charts():
    at = open_page()
    flow, loss = charts(at)
    names = {d.get("name") for d in flow["data"]}
    assert {"RNN  ‖∂L/∂h‖", "LSTM  ‖∂L/∂h‖", "LSTM  ‖∂L/∂c‖ (cell state)", "GRU  ‖∂L/∂h‖"} <= names
    assert flow["layout"]["yaxis"]["type"] == "log"
    assert "after 120 training steps" in json.dumps(flow["layout"]["annotations"])
    assert [d["name"] for d in loss["data"]] == ["RNN", "LSTM", "GRU"]
    assert len(decode(loss["data"][0]["y"])) == 120
    assert at.get("download_button") and at.dataframe


def test_forget_bias_changes_only_the_lstm():
    at = open_page()
    rnn, lstm = curve(charts(at)[0], "RNN  ‖∂L/∂h‖"), curve(charts(at)[0], "LSTM  ‖∂L/∂c‖ (cell state)")
    at.slider(key="gflow_bf").set_value(4.0).run()
    assert not at.exception
    flow = charts(at)[0]
    np.testing.assert_array_equal(curve(flow, "RNN  ‖∂L/∂h‖"), rnn)
    assert curve(flow, "LSTM  ‖∂L/∂c‖ (cell state)")[-1] > 2 * lstm[-1]  # the belt carries it further


def test_query_params_reproduce_the_view():
    at = open_page(gflow_T="15", gflow_bf="2.5", gflow_seed="3")
    assert at.slider(key="gflow_T").value == 15 and at.slider(key="gflow_bf").value == 2.5
    assert at.number_input(key="gflow_seed").value == 3
    assert len(curve(charts(at)[0], "GRU  ‖∂L/∂h‖")) == 15
