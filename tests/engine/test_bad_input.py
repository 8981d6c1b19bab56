"""Bad input raises ValueError whose message names the argument, what it got and what it expected.

Pages show these messages to students, so the text matters: every case asserts on it with ``match=``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import rnn_core

CELLS = [
    pytest.param(lambda D, H: rnn_core.RNN(D, H, seed=0), id="rnn"),
    pytest.param(lambda D, H: rnn_core.LSTM(D, H, seed=0), id="lstm"),
    pytest.param(lambda D, H: rnn_core.LSTM(D, H, peephole=True, seed=0), id="lstm-peephole"),
    pytest.param(lambda D, H: rnn_core.GRU(D, H, seed=0), id="gru"),
]


def m(text: str) -> str:
    """``match=`` pattern for a literal piece of the message."""
    return re.escape(text)


@pytest.mark.parametrize("make", CELLS)
@pytest.mark.parametrize(
    ("x", "message"),
    [
        (np.zeros(3), "x: expected shape (T, 3) or (T, B, 3), got shape (3,)"),
        (np.zeros((2, 1, 1, 3)), "x: expected shape (T, 3) or (T, B, 3), got shape (2, 1, 1, 3)"),
        (np.zeros((4, 2)), "x: expected shape (T, 3) or (T, B, 3), got shape (4, 2)"),
        (np.zeros((4, 2, 5)), "x: expected shape (T, 3) or (T, B, 3), got shape (4, 2, 5)"),
        (np.zeros((0, 3)), "x: the sequence is empty (T = 0, shape (0, 3))"),
        (np.zeros((0, 2, 3)), "x: the sequence is empty (T = 0, shape (0, 2, 3))"),
        (np.zeros((4, 0, 3)), "x: the batch is empty (B = 0, shape (4, 0, 3))"),
        ([[0.0, np.nan, 1.0]], "x: contains NaN or inf (first at index (0, 1))"),
        (np.array([[[0, 0, 0]], [[0, 0, np.inf]]]), "x: contains NaN or inf (first at index (1, 0, 2))"),
        ("abc", "x: expected a numeric array, got str"),
        ([[1.0, 2.0, 3.0], [1.0]], "x: expected a numeric array, got list"),
    ],
    ids=["rank1", "rank4", "wrong-D", "wrong-D-batched", "empty", "empty-batched", "empty-batch", "nan", "inf",
         "string", "ragged"],
)
def test_bad_x(make, x, message):
    with pytest.raises(ValueError, match=m(message)):
        make(3, 4).forward(x)


@pytest.mark.parametrize("make", CELLS)
@pytest.mark.parametrize(
    ("x_shape", "h0", "message"),
    [
        ((5, 3), np.zeros(5), "h0: expected shape (4,), got shape (5,)"),
        ((5, 3), np.zeros((1, 4)), "h0: expected shape (4,), got shape (1, 4)"),
        ((5, 2, 3), np.zeros(4), "h0: expected shape (2, 4), got shape (4,)"),
        ((5, 2, 3), np.zeros((3, 4)), "h0: expected shape (2, 4), got shape (3, 4)"),
        ((5, 3), [0, 0, np.nan, 0], "h0: contains NaN or inf (first at index (2,))"),
    ],
)
def test_bad_h0(make, x_shape, h0, message):
    with pytest.raises(ValueError, match=m(message)):
        make(3, 4).forward(np.zeros(x_shape), h0)


@pytest.mark.parametrize(
    ("x_shape", "c0", "message"),
    [
        ((5, 3), np.zeros(3), "c0: expected shape (4,), got shape (3,)"),
        ((5, 2, 3), np.zeros((2, 5)), "c0: expected shape (2, 4), got shape (2, 5)"),
        ((5, 3), [0, np.inf, 0, 0], "c0: contains NaN or inf (first at index (1,))"),
    ],
)
def test_bad_c0(x_shape, c0, message):
    with pytest.raises(ValueError, match=m(message)):
        rnn_core.LSTM(3, 4).forward(np.zeros(x_shape), None, c0)


@pytest.mark.parametrize("cls", [rnn_core.RNN, rnn_core.GRU])
def test_c0_given_to_a_cell_without_cell_state(cls):
    with pytest.raises(ValueError, match=m(f"c0: only an LSTM has a cell state; {cls.__name__} takes h0 only")):
        cls(3, 4).forward(np.zeros((5, 3)), np.zeros(4), np.zeros(4))


@pytest.mark.parametrize("cls", [rnn_core.RNN, rnn_core.LSTM, rnn_core.GRU])
@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ((3, 0), "hidden_size: expected a positive integer, got 0"),
        ((3, -2), "hidden_size: expected a positive integer, got -2"),
        ((3, 2.0), "hidden_size: expected a positive integer, got 2.0"),
        ((3, True), "hidden_size: expected a positive integer, got True"),
        ((0, 3), "input_size: expected a positive integer, got 0"),
        (("3", 3), "input_size: expected a positive integer, got '3'"),
    ],
)
def test_bad_sizes(cls, sizes, message):
    with pytest.raises(ValueError, match=m(message)):
        cls(*sizes)


def test_sizes_accept_numpy_integers():
    assert rnn_core.RNN(np.int64(2), np.int32(3)).hidden_size == 3


@pytest.mark.parametrize("name", ["swish", "Tanh", "", None])
def test_unknown_nonlinearity(name):
    valid = "elu, identity, leaky_relu, relu, sigmoid, tanh"
    with pytest.raises(ValueError, match=m(f"nonlinearity: unknown activation {name!r}; expected one of {valid}")):
        rnn_core.RNN(3, 4, nonlinearity=name)


@pytest.mark.parametrize("dtype", [np.float16, np.int32, complex, "banana"])
def test_bad_dtype(dtype):
    with pytest.raises(ValueError, match="dtype: expected float32 or float64, got"):
        rnn_core.RNN(3, 4, dtype=dtype)


@pytest.mark.parametrize("make", CELLS)
@pytest.mark.parametrize(
    ("x_shape", "dh_shape"),
    [((5, 3), (5, 5)), ((5, 3), (4, 4)), ((5, 3), (5, 1, 4)), ((5, 2, 3), (5, 4)), ((5, 2, 3), (5, 2, 3))],
)
def test_wrong_dh_shape(make, x_shape, dh_shape):
    cell = make(3, 4)
    trace = cell.forward(np.zeros(x_shape))
    expected = f"dh: expected shape {trace.h.shape} (same as trace.h), got shape {dh_shape}"
    with pytest.raises(ValueError, match=m(expected)):
        cell.backward(trace, np.zeros(dh_shape))


def test_nonfinite_dh():
    cell = rnn_core.GRU(3, 4)
    trace = cell.forward(np.zeros((5, 3)))
    dh = np.zeros((5, 4))
    dh[3, 2] = np.nan
    with pytest.raises(ValueError, match=m("dh: contains NaN or inf (first at index (3, 2))")):
        cell.backward(trace, dh)


def test_trace_from_another_kind_of_cell():
    trace = rnn_core.LSTM(3, 4).forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=m("trace: comes from a lstm cell, not a gru")):
        rnn_core.GRU(3, 4).backward(trace, np.zeros((5, 4)))


def test_trace_from_a_cell_with_other_parameters():
    trace = rnn_core.LSTM(3, 4, peephole=True).forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=m("trace: computed with parameters")):
        rnn_core.LSTM(3, 4).backward(trace, np.zeros((5, 4)))


@pytest.mark.parametrize("make", CELLS)
@pytest.mark.parametrize("key", ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])
def test_params_of_wrong_shape(make, key):
    cell = make(3, 4)
    expected = cell.params[key].shape
    wrong = expected[:-1] + (expected[-1] + 1,)
    cell.params[key] = np.zeros(wrong)
    with pytest.raises(ValueError, match=m(f"params[{key!r}]: expected shape {expected}, got shape {wrong}")):
        cell.forward(np.zeros((5, 3)))


def test_peephole_of_wrong_shape():
    cell = rnn_core.LSTM(3, 4, peephole=True)
    cell.params["weight_cf"] = np.zeros((4, 1))
    with pytest.raises(ValueError, match=m("params['weight_cf']: expected shape (4,), got shape (4, 1)")):
        cell.forward(np.zeros((5, 3)))


def test_missing_and_nonfinite_and_nonnumeric_params():
    cell = rnn_core.RNN(3, 4)
    del cell.params["bias_hh"]
    with pytest.raises(ValueError, match=m("params: missing 'bias_hh' (expected shape (4,))")):
        cell.forward(np.zeros((5, 3)))
    cell = rnn_core.RNN(3, 4)
    cell.params["weight_hh"][1, 2] = np.inf
    with pytest.raises(ValueError, match=m("params['weight_hh']: contains NaN or inf (first at index (1, 2))")):
        cell.forward(np.zeros((5, 3)))
    cell.params["weight_hh"] = "abc"
    with pytest.raises(ValueError, match=m("params['weight_hh']: expected a numeric array, got str")):
        cell.forward(np.zeros((5, 3)))
