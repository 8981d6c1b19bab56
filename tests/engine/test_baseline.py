"""Memoryless baselines: least-squares AR, persistence, metrics, recursive forecasts, unigram/copy losses."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import (
    LSTM,
    Linear,
    LinearAR,
    SequenceModel,
    copy_task_baseline_loss,
    last_value,
    make_windows,
    mean_absolute_error,
    mean_squared_error,
    recursive_forecast,
    regression_metrics,
    root_mean_squared_error,
    sine,
    unigram_loss,
    window_split,
)


def test_linear_ar_recovers_a_noiseless_ar2_process():
    s = np.zeros(60)
    s[:2] = [1.0, 0.5]
    for t in range(2, 60):
        s[t] = 0.3 + 1.2 * s[t - 1] - 0.5 * s[t - 2]
    X, y = make_windows(s, k=2)
    ar = LinearAR().fit(X, y)
    np.testing.assert_allclose(ar.weights[:, 0], [-0.5, 1.2], atol=1e-10)  # oldest value first
    np.testing.assert_allclose(ar.bias, [0.3], atol=1e-10)
    assert ar.predict(X).shape == (len(X), 1)
    assert LinearAR().fit(X[:, :, 0], y[:, 0]).predict(X[:, :, 0]).shape == (len(X),)


def test_ar_beats_trivial_predictors_on_a_sine():
    ws = window_split(sine(400, period=25, noise=0.05, seed=0), k=10)
    ar = LinearAR().fit(ws.x_train, ws.y_train)
    ar_mse = mean_squared_error(ar.predict(ws.x_val), ws.y_val)
    mean_mse = mean_squared_error(np.zeros_like(ws.y_val), ws.y_val)  # the training mean is 0 after scaling
    persistence_mse = mean_squared_error(last_value(ws.x_val), ws.y_val)
    assert ar_mse < 0.1 * mean_mse and ar_mse < 0.5 * persistence_mse


def test_metrics():
    pred, target = np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0])
    assert mean_squared_error(pred, target) == pytest.approx(13 / 3)
    assert mean_absolute_error(pred, target) == pytest.approx(5 / 3)
    assert root_mean_squared_error(pred, target) == pytest.approx(np.sqrt(13 / 3))
    assert regression_metrics(pred, target) == {"MSE": pytest.approx(13 / 3), "MAE": pytest.approx(5 / 3),
                                                "RMSE": pytest.approx(np.sqrt(13 / 3))}


def test_recursive_forecast_with_ar_continues_a_sine():
    s = sine(300, period=20)
    X, y = make_windows(s[:200], k=8)
    ar = LinearAR().fit(X, y)
    fc = recursive_forecast(ar, s[192:200], steps=40)
    np.testing.assert_allclose(fc, s[200:240], atol=1e-6)
    batch = recursive_forecast(ar, np.stack([s[192:200], s[193:201]])[:, :, None], steps=5)
    assert batch.shape == (2, 5)
    np.testing.assert_allclose(batch[0], fc[:5], atol=1e-12)


def test_recursive_forecast_with_a_sequence_model_feeds_predictions_back(rng):
    model = SequenceModel(LSTM(1, 4, seed=0), Linear(4, 1, seed=1))
    w = rng.standard_normal(6)
    fc = recursive_forecast(model, w, steps=3)
    win = list(w)
    for step in range(3):  # by hand: predict, slide, append
        nxt = model.predict(np.array(win[-6:])[:, None])[0]
        assert fc[step] == pytest.approx(nxt, rel=1e-13)
        win.append(nxt)


def test_unigram_loss_is_the_cross_entropy_of_character_frequencies():
    train = np.array([0, 0, 0, 1])
    assert unigram_loss(train, np.array([0, 1]), 2, alpha=0.0) == pytest.approx(-(np.log(0.75) + np.log(0.25)) / 2)
    # an unseen character costs a finite amount thanks to smoothing
    assert np.isfinite(unigram_loss(train, np.array([2]), 3))
    assert unigram_loss(np.arange(4), np.arange(4), 4) == pytest.approx(np.log(4))


def test_copy_task_baseline_loss():
    assert copy_task_baseline_loss(10, n_symbols=8, length=5) == pytest.approx(5 * np.log(8) / 20)


def test_bad_input():
    with pytest.raises(ValueError, match="LinearAR: call fit"):
        LinearAR().predict(np.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match=r"y: expected shape \(4,\) or \(4, O\) to match X's 4 windows, got shape"):
        LinearAR().fit(np.zeros((4, 3, 1)), np.zeros(3))
    with pytest.raises(ValueError, match=r"X: expected windows of shape \(N, k\) or \(N, k, D\)"):
        LinearAR().fit(np.zeros(4), np.zeros(4))
    ar = LinearAR().fit(np.random.default_rng(0).random((6, 3, 1)), np.zeros(6))
    with pytest.raises(ValueError, match=r"X: expected windows of shape \(N, 3, 1\) like the training windows"):
        ar.predict(np.zeros((2, 4, 1)))
    with pytest.raises(ValueError, match=r"X: contains NaN or inf"):
        LinearAR().fit(np.full((4, 3), np.nan), np.zeros(4))
    with pytest.raises(ValueError, match=r"pred has shape \(2,\) but target has shape \(3,\)"):
        mean_squared_error(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match="steps: expected a positive integer, got 0"):
        recursive_forecast(ar, np.zeros(3), 0)
    with pytest.raises(ValueError, match=r"window: expected shape \(k,\), \(k, 1\) or \(B, k, 1\)"):
        recursive_forecast(ar, np.zeros((2, 3, 2)), 2)
    with pytest.raises(ValueError, match="model: expected a LinearAR or a SequenceModel, got str"):
        recursive_forecast("ar", np.zeros(3), 2)
    with pytest.raises(ValueError, match=r"eval_indices: indices must lie in \[0, 3\), got 0..5"):
        unigram_loss(np.array([0, 1]), np.array([0, 5]), 3)
