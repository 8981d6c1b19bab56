"""rnn_core.sweep_bptt: BPTT for every scaling of W_hh in one pass gives what RNN.forward + RNN.backward give with
that weight — bitwise for the one-unit chain of /vanishing-gradients, to rounding for a matrix."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import GRU, RNN
from rnn_core.sweep_bptt import sweep_recurrent_bptt

ACTS = ("tanh", "sigmoid", "relu", "leaky_relu", "elu", "identity")


def engine_run(cell: RNN, x: np.ndarray, scale: float, dh: np.ndarray):
    ref = RNN(cell.input_size, cell.hidden_size, nonlinearity=cell.nonlinearity, dtype=cell.dtype)
    ref.params.update({k: v.copy() for k, v in cell.params.items()})
    ref.params["weight_hh"] = (cell.params["weight_hh"] * scale).astype(cell.dtype)
    trace = ref.forward(x)
    return trace, ref.backward(trace, dh.copy())


@pytest.mark.parametrize("act", ACTS)
def test_each_factor_matches_the_engines_passes_with_the_scaled_weight(act):
    cell = RNN(2, 4, nonlinearity=act, seed=5)
    x = np.random.default_rng(1).standard_normal((25, 2))
    dh = np.random.default_rng(2).standard_normal((25, 4))
    scales = np.linspace(-2, 2, 9)
    out = sweep_recurrent_bptt(cell, x, scales, dh)
    assert out.dh.shape == out.pre.shape == out.deriv.shape == (9, 25, 4) and out.dh0.shape == (9, 4)
    for k, s in enumerate(scales):
        trace, grads = engine_run(cell, x, s, dh)
        np.testing.assert_allclose(out.pre[k], trace.pre["h"], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(out.dh[k], grads.dh, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(out.dh0[k], grads.h0, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("act", ACTS)
def test_one_unit_with_unit_weight_is_bitwise_the_engine_overflow_and_zeros_included(act, dtype):
    cell = RNN(1, 1, nonlinearity=act, dtype=dtype)
    cell.params.update(weight_ih=np.ones((1, 1), dtype), weight_hh=np.ones((1, 1), dtype),
                       bias_ih=np.zeros(1, dtype), bias_hh=np.zeros(1, dtype))
    x = np.random.default_rng(0).standard_normal((200, 1))
    dh = np.zeros((200, 1))
    dh[-1] = 1.0
    scales = np.array([0.0, 0.5, 1.0, 2.0, 3.0])
    out = sweep_recurrent_bptt(cell, x, scales, dh)
    for k, s in enumerate(scales):
        _, grads = engine_run(cell, x, s, dh)
        assert np.array_equal(out.dh[k], grads.dh, equal_nan=True)
        assert np.array_equal(out.dh0[k], grads.h0, equal_nan=True)


def test_bad_gradients_cells_and_inputs_are_value_errors():
    with pytest.raises(ValueError, match=r"dh: expected shape \(3, 2\)"):
        sweep_recurrent_bptt(RNN(1, 2), np.zeros((3, 1)), [1.0], np.zeros((3, 1)))
    with pytest.raises(ValueError, match="dh: contains NaN"):
        sweep_recurrent_bptt(RNN(1, 2), np.zeros((3, 1)), [1.0], np.full((3, 2), np.nan))
    with pytest.raises(ValueError, match="expected a vanilla RNN"):
        sweep_recurrent_bptt(GRU(1, 2), np.zeros((3, 1)), [1.0], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="scales: expected a non-empty 1-D"):
        sweep_recurrent_bptt(RNN(1, 2), np.zeros((3, 1)), [], np.zeros((3, 2)))
