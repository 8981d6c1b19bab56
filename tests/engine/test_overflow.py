"""Overflow is part of the lesson: identity activation, w = 3, T = 1000 must run quietly to inf.

Forward and backward raise nothing and warn nothing; trace.overflow_step / grads.overflow_step say
where it began. The expected steps come from the same recurrences run in plain Python floats.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import rnn_core

T, W = 1000, 3.0


def exploding_rnn(dtype=np.float64) -> rnn_core.RNN:
    """h_t = 3 h_{t-1} + x_t: identity activation, W_ih = 1, W_hh = 3, no bias."""
    cell = rnn_core.RNN(1, 1, nonlinearity="identity", dtype=dtype)
    cell.params.update(weight_ih=np.ones((1, 1)), weight_hh=np.full((1, 1), W),
                       bias_ih=np.zeros(1), bias_hh=np.zeros(1))
    return cell


def first_inf_forward() -> int:
    h = 0.0
    for t in range(T):
        h = 1.0 + W * h  # the engine's a_t = W_ih x_t + W_hh h_{t-1} with x_t = 1
        if math.isinf(h):
            return t
    raise AssertionError("no overflow")


def backward_reference() -> np.ndarray:
    """dL/dh_t for L = h_{T-1}: 3^(T-1-t), by repeated multiplication as BPTT does it."""
    g, out = 1.0, np.empty(T)
    for t in range(T - 1, -1, -1):
        out[t] = g
        g *= W
    return out


@pytest.mark.parametrize("batched", [False, True], ids=["unbatched", "batched"])
def test_identity_w3_overflows_quietly_and_says_where(batched):
    cell = exploding_rnn()
    x = np.ones((T, 2, 1) if batched else (T, 1))
    dh = np.zeros((T, 2, 1) if batched else (T, 1))
    dh[-1] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning (overflow, invalid value) fails the test
        trace = cell.forward(x)
        grads = cell.backward(trace, dh)

    start = first_inf_forward()
    assert start == 646  # 3^647 / 2 > 1.8e308, the largest float64
    assert trace.overflow_step == start
    h = trace.h.reshape(T, -1)
    assert np.isfinite(h[:start]).all()
    assert np.isinf(h[start:]).all()

    expected = backward_reference()
    back = int(np.flatnonzero(np.isinf(expected))[-1])
    assert back == T - 1 - 647  # 3^647 > 1.8e308: the gradient overflows 647 steps back from the loss
    assert grads.overflow_step == back
    dh_total = grads.dh.reshape(T, -1)
    assert np.isinf(dh_total[: back + 1]).all()
    np.testing.assert_array_equal(dh_total[:, 0], expected)
    assert not np.isfinite(grads.params["weight_hh"]).all()


def test_float32_overflows_sooner():
    cell = exploding_rnn(np.float32)
    dh = np.zeros((T, 1), dtype=np.float32)
    dh[-1] = 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = cell.forward(np.ones((T, 1)))
        grads = cell.backward(trace, dh)
    # float32 tops out at 3.4e38 ≈ 3^80.8: h_t ≈ 3^(t+1)/2 overflows at t = 81; 3^81 overflows 81 steps back.
    assert trace.overflow_step == 81
    assert grads.overflow_step == T - 1 - 81


@pytest.mark.parametrize("make", [
    lambda: rnn_core.RNN(2, 3, nonlinearity="tanh", seed=0),
    lambda: rnn_core.LSTM(2, 3, peephole=True, seed=0),
    lambda: rnn_core.GRU(2, 3, seed=0),
])
def test_bounded_cells_never_overflow_forward(make):
    """Huge weights saturate tanh/σ instead of overflowing: no warnings, no overflow step."""
    cell = make()
    for arr in cell.params.values():
        arr *= 1e6
    x = np.random.default_rng(0).standard_normal((50, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = cell.forward(x)
        grads = cell.backward(trace, np.ones_like(trace.h))
    assert trace.overflow_step is None
    assert np.isfinite(trace.h).all()
    assert grads.overflow_step is None or grads.overflow_step >= 0  # may explode backward, but quietly
