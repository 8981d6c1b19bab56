"""The feed-forward window baseline: exact gradients, honest early stopping, and what it can and cannot see."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import numeric_grad, rel_error

from rnn_core import LinearAR, WindowMLP
from rnn_core.tasks import sine, window_split


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    A, Y = rng.standard_normal((9, 6)), rng.standard_normal((9, 2))
    m = WindowMLP(hidden=5, seed=3)
    m._init(6, 2)
    _, grads = m.loss_and_grads(A, Y)
    for name, arr in m.params.items():
        num = numeric_grad(lambda: m.loss_and_grads(A, Y)[0], arr)
        assert rel_error(grads[name], num) < 1e-7, name


def test_it_learns_a_nonlinear_window_function_a_line_cannot():
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (800, 3))
    y = X[:, 0] * X[:, 1]  # a product: no linear model of the window can fit it
    mlp = WindowMLP(hidden=16, epochs=400, seed=0).fit(X[:600], y[:600])
    ar = LinearAR().fit(X[:600], y[:600])
    mse = lambda p: float(np.mean((p - y[600:]) ** 2))  # noqa: E731
    assert mse(mlp.predict(X[600:])) < 0.2 * mse(ar.predict(X[600:]))
    assert mlp.predict(X[600:]).shape == (200,)


def test_fit_is_deterministic_and_stops_early():
    s = sine(400, period=25.0, noise=0.25, seed=7)
    d = window_split(s, 10, 1, 0.2).train_data()
    a = WindowMLP(seed=4, patience=5).fit(d.x_train, d.y_train)
    b = WindowMLP(seed=4, patience=5).fit(d.x_train, d.y_train)
    np.testing.assert_array_equal(a.predict(d.x_val), b.predict(d.x_val))
    assert a.epochs_run < a.epochs
    assert a.num_params() == 10 * 32 + 32 + 32 + 1


@pytest.mark.parametrize(("make", "message"), [
    (lambda: WindowMLP(hidden=0), "hidden: expected an integer from 1 to 4096"),
    (lambda: WindowMLP(lr=-1), "lr: expected a number of at least"),
    (lambda: WindowMLP().predict(np.zeros((2, 3))), "call fit"),
    (lambda: WindowMLP().fit(np.zeros((5, 3)), np.zeros(4)), r"y: expected shape \(5,\)"),
    (lambda: WindowMLP(epochs=2).fit(np.zeros((5, 3)), np.zeros(5)).predict(np.zeros((2, 4))), "X: expected windows"),
    (lambda: WindowMLP().fit(np.full((5, 3), np.nan), np.zeros(5)), "contains NaN or inf"),
])
def test_bad_input_is_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()
