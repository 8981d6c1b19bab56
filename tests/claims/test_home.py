"""Claims of the Home page, checked against the engine (see tests/claims/README.md)."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.home import recipe
from rnn_core import RNN, LinearAR, WindowMLP
from rnn_core.tasks import make_windows


def test_in_sequential_data_each_value_depends_on_the_ones_before():
    """/, "Data that comes in order": "the order carries the meaning, and each value depends on the ones before
    it"; "stock prices — today's price is yesterday's plus a move".

    Checked at: the three example sequences the page draws (seeds 3, as shown, and 0–4), against the same values
    shuffled."""
    for seed in (3, 0, 1, 2, 4):
        for ex in recipe.example_sequences(seed):
            v = ex.values
            lag1 = np.corrcoef(v[:-1], v[1:])[0, 1]
            shuffled = np.random.default_rng(seed).permutation(v)
            assert lag1 > 0.5 and lag1 > np.corrcoef(shuffled[:-1], shuffled[1:])[0, 1] + 0.4, ex.name
        price = recipe.example_sequences(seed)[0].values
        moves = np.diff(np.log(price))
        assert abs(np.corrcoef(moves[:-1], moves[1:])[0, 1]) < 0.3  # the moves themselves are random


def test_the_memoryless_picture_shows_exactly_the_last_window():
    """/, "Does the model remember?": "a memoryless model sees only the last 10 days".

    Checked at: the page's stock series."""
    stock = recipe.example_sequences()[0]
    first, last = recipe.window_view(stock.values, recipe.WINDOW)
    assert (first, last) == (len(stock.values) - 10, len(stock.values) - 1)


@pytest.mark.parametrize("seed", range(5))
def test_window_models_are_blind_beyond_k_and_grow_with_k(seed):
    """/, "Does the model remember?": "An autoregressive model makes f a weighted sum; a feed-forward network
    makes it a nonlinear function. Both are blind to anything older than k steps, and a longer window means more
    weights."

    Checked at: LinearAR and the engine's WindowMLP, k ∈ {5, 10, 20}, seeds 0–4 (random walks)."""
    rng = np.random.default_rng(seed)
    series = np.cumsum(rng.standard_normal(400))
    counts = {}
    for k in (5, 10, 20):
        x, y = make_windows(series, k, 1)
        ar, mlp = LinearAR().fit(x, y), WindowMLP(hidden=8, epochs=20, seed=seed).fit(x, y)
        window = series[-k:].reshape(1, k, 1)
        longer = np.r_[rng.standard_normal(50) * 100, series[-k:]]  # wildly different older history
        assert ar.predict(window) == pytest.approx(ar.predict(longer[-k:].reshape(1, k, 1)))
        assert mlp.predict(window) == pytest.approx(mlp.predict(longer[-k:].reshape(1, k, 1)))
        counts[k] = (ar.weights.size + ar.bias.size, mlp.num_params())
    assert counts[5] < counts[10] < counts[20]


def test_one_set_of_weights_reads_any_length_and_can_carry_the_first_value_to_the_end():
    """/, "Models with memory": "the same weights each time … That state can, in principle, carry information
    from arbitrarily far back — and sequences of any length fit the same network."

    Checked at: one RNN (identity, w = 1) on T ∈ {1, 10, 1000}; the first input's effect on h_T for T = 1000."""
    cell = RNN(1, 1, nonlinearity="identity", seed=0)
    cell.params.update(weight_ih=np.ones((1, 1)), weight_hh=np.ones((1, 1)), bias_ih=np.zeros(1),
                       bias_hh=np.zeros(1))
    for T in (1, 10, 1000):
        assert cell.forward(np.zeros((T, 1))).h.shape == (T, 1)
    x = np.zeros((1000, 1))
    base = cell.forward(x).h[-1, 0]
    x[0] = 1.0
    assert cell.forward(x).h[-1, 0] - base == pytest.approx(1.0)  # the first value, 999 steps later, intact
