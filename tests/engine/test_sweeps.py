"""rnn_core.sweeps: every scaling of W_hh in one pass gives what RNN.forward gives with that weight."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import RNN
from rnn_core.sweeps import sweep_recurrent_scale

ACTS = ("tanh", "sigmoid", "relu", "leaky_relu", "elu", "identity")


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("hidden", [1, 5])
def test_each_factor_matches_a_forward_pass_with_the_scaled_weight(act, hidden):
    cell = RNN(2, hidden, nonlinearity=act, seed=3)
    x = np.random.default_rng(0).standard_normal((30, 2))
    scales = np.linspace(-3, 3, 13)
    states = sweep_recurrent_scale(cell, x, scales)
    assert states.shape == (13, 30, hidden)
    for k, s in enumerate(scales):
        ref = RNN(2, hidden, nonlinearity=act, seed=3)
        ref.params["weight_hh"] = cell.params["weight_hh"] * s
        expected = ref.forward(x).h
        finite = np.isfinite(expected)
        np.testing.assert_allclose(states[k][finite], expected[finite], rtol=1e-12, atol=1e-12)
        assert (np.isfinite(states[k]) == finite).all()  # overflow where the engine overflows


def test_overflow_is_quiet_and_shown_as_inf():
    cell = RNN(1, 1, nonlinearity="identity")
    cell.params.update(weight_ih=np.ones((1, 1)), weight_hh=np.ones((1, 1)), bias_ih=np.zeros(1),
                       bias_hh=np.zeros(1))
    x = np.zeros((200, 1))
    x[0] = 1.0
    states = sweep_recurrent_scale(cell, x, [1.0, 40.0])
    assert states[0, -1, 0] == 1.0 and not np.isfinite(states[1, -1, 0])


@pytest.mark.parametrize(("scales", "match"), [
    ([], "non-empty 1-D"), ([[1.0, 2.0]], "non-empty 1-D"), ([1.0, np.nan], "scales: contains NaN"),
    (["a"], "scales: expected a numeric array"),
])
def test_bad_scales_are_value_errors(scales, match):
    with pytest.raises(ValueError, match=match):
        sweep_recurrent_scale(RNN(1, 2), np.zeros((3, 1)), scales)


def test_bad_cells_and_inputs_are_value_errors():
    from rnn_core import GRU

    with pytest.raises(ValueError, match="expected a vanilla RNN"):
        sweep_recurrent_scale(GRU(1, 2), np.zeros((3, 1)), [1.0])
    with pytest.raises(ValueError, match="expected one sequence"):
        sweep_recurrent_scale(RNN(1, 2), np.zeros((3, 2, 1)), [1.0])
    with pytest.raises(ValueError, match="x: expected shape"):
        sweep_recurrent_scale(RNN(1, 2), np.zeros((3, 4)), [1.0])
