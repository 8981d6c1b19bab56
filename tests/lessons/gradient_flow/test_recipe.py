"""lessons/gradient_flow/recipe.py: configured models, training that resumes exactly, and the
gradient-flow measurement (checked against finite differences)."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.gradient_flow import recipe as demo

TINY = demo.FlowConfig(T=8, hidden=4, steps=60, batch=8)


def test_config_validation():
    with pytest.raises(ValueError, match="T: expected an integer from 4 to 400"):
        demo.FlowConfig(T=2)
    with pytest.raises(ValueError, match="forget_bias"):
        demo.FlowConfig(forget_bias=float("inf"))
    with pytest.raises(ValueError, match="steps"):
        demo.FlowConfig(steps=-1)
    with pytest.raises(ValueError, match="cell: expected one of rnn, lstm, gru"):
        demo.build(TINY, "transformer")


def test_only_the_lstm_depends_on_the_forget_bias():
    a, b = demo.FlowConfig(forget_bias=1.0), demo.FlowConfig(forget_bias=3.0)
    assert demo.for_cell(a, "rnn") == demo.for_cell(b, "rnn")
    assert demo.for_cell(a, "gru") == demo.for_cell(b, "gru")
    assert demo.for_cell(a, "lstm") != demo.for_cell(b, "lstm")
    lstm = demo.build(b, "lstm")
    H = b.hidden
    bias = lstm.cell.params["bias_ih"] + lstm.cell.params["bias_hh"]
    np.testing.assert_allclose(bias[H : 2 * H], 3.0)  # the forget gate: b_f
    np.testing.assert_allclose(bias[:H], -3.0)  # the input gate: −b_f (chrono initialisation)
    other = demo.build(a, "lstm")  # everything else is the same PyTorch init
    np.testing.assert_array_equal(other.cell.params["weight_hh"], lstm.cell.params["weight_hh"])
    np.testing.assert_array_equal(other.cell.params["bias_ih"][2 * H :], lstm.cell.params["bias_ih"][2 * H :])


def test_input_weights_are_scaled_for_every_cell():
    for cell in demo.CELLS:
        one = demo.build(demo.FlowConfig(input_scale=1.0), cell)
        three = demo.build(demo.FlowConfig(), cell)
        np.testing.assert_allclose(three.cell.params["weight_ih"], 3 * one.cell.params["weight_ih"])
        np.testing.assert_array_equal(three.cell.params["weight_hh"], one.cell.params["weight_hh"])


def test_training_resumes_where_it_stopped():
    state = demo.train_steps(TINY, demo.initial_state(TINY, "gru"), 25)
    state = demo.train_steps(TINY, state, TINY.steps - 25)
    assert len(state.losses) == TINY.steps and np.isfinite(state.losses).all()
    assert all(s["step"] == TINY.steps for s in state.adam.values())  # Adam's moments carried over
    again = demo.train_steps(TINY, demo.initial_state(TINY, "gru"), TINY.steps)  # never stopped
    for key in state.params:
        np.testing.assert_array_equal(state.params[key], again.params[key])  # deterministic, and the same run
    np.testing.assert_array_equal(state.losses, again.losses)
    assert not np.allclose(state.params["cell.weight_hh"], demo.initial_state(TINY, "gru").params["cell.weight_hh"])


def test_gradient_flow_shapes_and_normalisation():
    for cell in demo.CELLS:
        f = demo.gradient_flow(TINY, demo.initial_state(TINY, cell))
        assert f.h.shape == (TINY.T,) and f.h[0] == pytest.approx(1.0)
        assert 0 <= f.reach <= TINY.T - 1 and f.loss > 0
        assert (f.c is not None) == (cell == "lstm")


def test_the_measured_gradient_matches_finite_differences():
    """The ∂L/∂h_t that gradient_flow takes norms of (BPTT's total gradient at h_t) equals a finite-difference
    gradient with respect to a perturbation added to h_t."""
    cfg = demo.FlowConfig(T=6, hidden=3)
    model = demo.build(cfg, "rnn")
    _, _, xe, ye = demo.data(cfg)
    x, y = xe[:, :1], ye[:1]
    cell, W = model.cell, model.cell.params

    def loss_with_nudge(t: int, delta: np.ndarray) -> float:
        h = np.zeros(3)
        for s in range(cfg.T):
            h = np.tanh(W["weight_ih"] @ x[s, 0] + W["bias_ih"] + W["weight_hh"] @ h + W["bias_hh"])
            if s == t:
                h = h + delta
        out = model.head.params["weight"] @ h + model.head.params["bias"]
        return float(((out - y[0]) ** 2).mean())

    trace, out = model.forward(x, mode="many_to_one")
    _, dread = model.head.backward(trace.h[-1], 2 * (out - y) / out.size)
    dh = np.zeros_like(trace.h)
    dh[-1] = dread
    total = cell.backward(trace, dh).dh[:, 0]  # (T, H)
    eps = 1e-6
    for t in (0, 3, 5):
        num = np.array([(loss_with_nudge(t, eps * e) - loss_with_nudge(t, -eps * e)) / (2 * eps) for e in np.eye(3)])
        np.testing.assert_allclose(total[t], num, rtol=1e-5, atol=1e-10)


def test_a_larger_forget_bias_carries_the_lstm_gradient_further():
    lo = demo.FlowConfig(T=30, forget_bias=-1.0)
    hi = demo.FlowConfig(T=30, forget_bias=4.0)
    f_lo = demo.gradient_flow(lo, demo.initial_state(lo, "lstm"))
    f_hi = demo.gradient_flow(hi, demo.initial_state(hi, "lstm"))
    assert f_hi.h[20] > 100 * f_lo.h[20]
    assert f_hi.c[20] > 100 * f_lo.c[20]
    assert f_hi.reach > f_lo.reach


def test_rnn_gradient_vanishes_at_initialisation():
    cfg = demo.FlowConfig(T=40)
    f = demo.gradient_flow(cfg, demo.initial_state(cfg, "rnn"))
    assert f.h[30] < 1e-4 and f.reach < 39


def test_a_run_survives_the_file_round_trip(tmp_path):
    runs = {cell: demo.train_cell(TINY, cell) for cell in demo.CELLS}
    assert all(len(r.losses) == TINY.steps for r in runs.values())
    path = tmp_path / "runs.json.gz"
    demo.save_store([demo.run_record(TINY, runs)], path)
    back = demo.load_store(path)[demo.store_key(TINY)]
    for cell, run in runs.items():
        np.testing.assert_allclose(back[cell].trained.h, run.trained.h, rtol=1e-3)
        np.testing.assert_allclose(back[cell].losses, run.losses, rtol=1e-3)
        assert back[cell].init.reach == run.init.reach and back[cell].trained.keep == run.trained.keep
    assert (back["lstm"].init.c is not None) and back["rnn"].init.c is None
    assert demo.load_store(tmp_path / "missing.json.gz") == {}


def test_train_cell_reports_every_step():
    seen = []
    demo.train_cell(TINY, "rnn", on_step=seen.append)
    assert seen == list(range(1, TINY.steps + 1))


def test_train_all_is_train_cell_for_every_cell_and_stops_when_asked():
    """The worker's loop (lessons.kit.jobs runs it) trains exactly what the page used to train, reports every
    step over the three cells together, and keeps nothing of a run stopped before its last step."""
    cfg = demo.FlowConfig(T=10, steps=12)
    seen = []
    runs = demo.train_all(cfg, report=seen.append, should_stop=lambda: False)
    for cell in demo.CELLS:
        alone = demo.train_cell(cfg, cell)
        np.testing.assert_array_equal(runs[cell].losses, alone.losses)
        np.testing.assert_array_equal(runs[cell].trained.h, alone.trained.h)
    assert [p.step for p in seen] == list(range(1, 3 * 12 + 1)) and seen[-1].fraction == 1.0
    assert (seen[12].cell, seen[12].cell_step) == ("lstm", 1)
    assert demo.train_all(cfg, report=seen.append, should_stop=lambda: len(seen) > 40) is None
