"""The readable one-step functions (rnn_core/steps.py) compute exactly what the fast cells compute.

Every cell and option, batched and unbatched, from non-zero initial states, in float64: every named
intermediate must agree with the fast path's trace to 1e-12.
"""

from __future__ import annotations

import numpy as np
import pytest

import rnn_core
from rnn_core.steps import gru_step, lstm_step, previous_states, replay, rnn_step

TOL = 1e-12
CELLS = [
    pytest.param(lambda act=act: rnn_core.RNN(3, 4, nonlinearity=act, seed=1), id=f"rnn-{act}")
    for act in rnn_core.ACTIVATIONS
] + [
    pytest.param(lambda: rnn_core.LSTM(3, 4, seed=2), id="lstm"),
    pytest.param(lambda: rnn_core.LSTM(3, 4, peephole=True, seed=3), id="lstm-peephole"),
    pytest.param(lambda: rnn_core.GRU(3, 4, seed=4), id="gru-pytorch"),
    pytest.param(lambda: rnn_core.GRU(3, 4, reset_after=False, seed=5), id="gru-cho"),
]


def run(cell, batched: bool):
    rng = np.random.default_rng(7)
    shape = (9, 2, 3) if batched else (9, 3)
    x = 2 * rng.standard_normal(shape)
    h0 = rng.standard_normal(shape[1:-1] + (4,))
    c0 = rng.standard_normal(h0.shape) if cell.kind == "lstm" else None
    return cell.forward(x, h0=h0, c0=c0)


def close(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


@pytest.mark.parametrize("batched", [False, True], ids=["unbatched", "batched"])
@pytest.mark.parametrize("make", CELLS)
def test_replay_matches_the_fast_cell(make, batched):
    cell = make()
    trace = run(cell, batched)
    step = replay(cell, trace)
    assert close(step.h, trace.h) < TOL
    if cell.kind == "rnn":
        assert close(step.a, trace.pre["h"]) < TOL
        assert close(step.from_input + step.from_memory + step.bias, step.a) < TOL
    elif cell.kind == "lstm":
        assert close(step.c, trace.c) < TOL
        for name in "ifgo":
            assert close(getattr(step, name), trace.gates[name]) < TOL, name
            assert close(getattr(step, f"a_{name}"), trace.pre[name]) < TOL, name
        assert close(step.kept + step.written, step.c) < TOL
        assert close(step.kept, step.f * previous_states(trace, "c")) < TOL
        assert close(step.tanh_c, np.tanh(trace.c)) < TOL
    else:
        for name in "rzn":
            assert close(getattr(step, name), trace.gates[name]) < TOL, name
            assert close(getattr(step, f"a_{name}"), trace.pre[name]) < TOL, name
        assert close(step.kept + step.written, step.h) < TOL
        assert close(step.kept, step.z * previous_states(trace, "h")) < TOL


def test_a_single_step_from_scratch_is_the_first_step_of_a_sequence():
    cell = rnn_core.LSTM(2, 3, seed=0)
    x = np.array([[0.5, -1.0], [1.0, 0.25]])
    trace = cell.forward(x)
    zeros = np.zeros(3)
    first = lstm_step(cell.params, x[0], zeros, zeros)
    assert close(first.h, trace.h[0]) < TOL and close(first.c, trace.c[0]) < TOL
    second = lstm_step(cell.params, x[1], first.h, first.c)
    assert close(second.h, trace.h[1]) < TOL


def test_the_two_gru_forms_differ_only_in_the_candidate():
    cell = rnn_core.GRU(2, 3, seed=0)
    rng = np.random.default_rng(0)
    x, h = rng.standard_normal(2), rng.standard_normal(3)
    after, before = gru_step(cell.params, x, h, True), gru_step(cell.params, x, h, False)
    assert close(after.r, before.r) == 0 and close(after.z, before.z) == 0
    assert close(after.n, before.n) > 1e-3


def test_rnn_step_is_the_textbook_equation():
    params = {"weight_ih": np.array([[2.0]]), "weight_hh": np.array([[0.5]]), "bias_ih": np.array([0.1]),
              "bias_hh": np.array([0.2])}
    step = rnn_step(params, np.array([1.0]), np.array([4.0]), "identity")
    assert step.from_input[0] == 2.0 and step.from_memory[0] == 2.0 and step.bias[0] == pytest.approx(0.3)
    assert step.h[0] == pytest.approx(4.3)


def test_previous_states_start_from_the_initial_state():
    cell = rnn_core.RNN(1, 2, seed=0)
    trace = cell.forward(np.ones((3, 1)), h0=np.array([0.5, -0.5]))
    prev = previous_states(trace)
    assert prev.shape == trace.h.shape
    np.testing.assert_array_equal(prev[0], [0.5, -0.5])
    np.testing.assert_array_equal(prev[1:], trace.h[:-1])


def test_replay_refuses_a_non_cell():
    class Other:
        kind = "transformer"

    with pytest.raises(ValueError, match="expected an RNN, LSTM or GRU"):
        replay(Other(), rnn_core.RNN(1, 1, seed=0).forward(np.ones((2, 1))))
