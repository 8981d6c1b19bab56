"""Task generators: seeded, right shapes, the structure each task promises, no leakage, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import tasks
from rnn_core.training import TrainConfig, check_data


def test_sine_is_clean_periodic_and_seeded_noise():
    s = tasks.sine(100, period=20)
    np.testing.assert_allclose(s[:80], s[20:], atol=1e-12)
    assert s[5] == pytest.approx(1.0)
    a, b = tasks.sine(50, 10, noise=0.1, seed=1), tasks.sine(50, 10, noise=0.1, seed=1)
    assert np.array_equal(a, b) and not np.array_equal(a, tasks.sine(50, 10, noise=0.1, seed=2))
    assert 0.05 < np.std(a - tasks.sine(50, 10)) < 0.2


def test_stock_prices_are_a_positive_geometric_walk():
    p = tasks.stock_prices(5000, drift=0.001, volatility=0.02, start=50.0, seed=0)
    assert p[0] == 50.0 and (p > 0).all() and p.shape == (5000,)
    r = np.diff(np.log(p))
    assert r.mean() == pytest.approx(0.001, abs=0.001) and r.std() == pytest.approx(0.02, rel=0.05)
    assert np.array_equal(p, tasks.stock_prices(5000, drift=0.001, volatility=0.02, start=50.0, seed=0))
    np.testing.assert_allclose(tasks.stock_prices(4, drift=0.1, volatility=0.0), 100 * np.exp(0.1 * np.arange(4)))


def test_make_windows_last_k_predict_the_next():
    X, y = tasks.make_windows(np.arange(10.0), k=3, horizon=2)
    assert X.shape == (6, 3, 1) and y.shape == (6, 2)
    assert X[0, :, 0].tolist() == [0, 1, 2] and y[0].tolist() == [3, 4]
    assert X[-1, :, 0].tolist() == [5, 6, 7] and y[-1].tolist() == [8, 9]


def test_window_split_has_no_leakage():
    s = tasks.stock_prices(200, seed=3)
    ws = tasks.window_split(s, k=10, horizon=1, val_fraction=0.25)
    assert ws.split == 150
    assert ws.scaler == tasks.Standardizer.fit(s[:150])  # statistics of the training part only
    assert (ws.t_train < ws.split).all() and (ws.t_val >= ws.split).all()
    assert len(ws.t_train) + len(ws.t_val) == 200 - 10
    # windows and targets are the standardised series at the stated times
    np.testing.assert_allclose(ws.y_val[:, 0], ws.scaler.transform(s[ws.t_val]))
    np.testing.assert_allclose(ws.x_train[3, :, 0], ws.scaled[3:13])
    np.testing.assert_allclose(ws.scaler.inverse(ws.scaled), s)
    data = check_data(ws.train_data(), "many_to_one", "mse")
    assert data.x_train.shape == (140, 10, 1) and data.y_val.shape == (50, 1)


def test_window_split_with_horizon_drops_straddling_windows():
    ws = tasks.window_split(np.arange(40.0), k=5, horizon=3, val_fraction=0.25)
    assert (ws.t_train + 3 <= ws.split).all() and (ws.t_val >= ws.split).all()


def test_standardizer_of_constant_series_only_shifts():
    sc = tasks.Standardizer.fit(np.full(5, 3.0))
    assert sc.std == 1.0 and sc.transform([3.0])[0] == 0.0


def test_adding_problem_structure():
    X, y = tasks.adding_problem(200, 12, seed=0)
    assert X.shape == (200, 12, 2) and y.shape == (200, 1)
    markers = X[:, :, 1]
    assert (markers.sum(axis=1) == 2).all()
    assert (markers[:, :6].sum(axis=1) == 1).all() and (markers[:, 6:].sum(axis=1) == 1).all()
    np.testing.assert_allclose(y[:, 0], (X[:, :, 0] * markers).sum(axis=1))
    assert ((X[:, :, 0] >= 0) & (X[:, :, 0] < 1)).all()
    assert np.array_equal(X, tasks.adding_problem(200, 12, seed=0)[0])


def test_copy_task_structure():
    X, y = tasks.copy_task(50, T=6, seed=0, n_symbols=4, length=3)
    L = 3 + 6 + 3
    assert X.shape == (50, L, 6) and y.shape == (50, L) and y.dtype.kind == "i"
    np.testing.assert_array_equal(X.sum(axis=2), 1.0)  # one-hot
    codes = X.argmax(axis=2)
    assert ((codes[:, :3] >= 1) & (codes[:, :3] <= 4)).all()
    assert (codes[:, 3 + 6 - 1] == 5).all()  # the delimiter
    assert (np.delete(codes[:, 3:], 6 - 1, axis=1) == 0).all()  # blanks everywhere else
    np.testing.assert_array_equal(y[:, -3:], codes[:, :3])  # repeat the symbols at the end
    assert (y[:, :-3] == 0).all() and y.max() <= 4


def test_char_dataset_vocab_encode_decode_one_hot():
    ds = tasks.CharDataset.from_text("hello world")
    assert ds.vocab == sorted(set("hello world")) and ds.vocab_size == 8
    assert ds.decode(ds.encode("low hell")) == "low hell"
    assert ds.data.dtype == np.int64 and len(ds.data) == 11
    oh = ds.one_hot(ds.encode("ho"))
    assert oh.shape == (2, 8) and oh[0, ds.stoi["h"]] == 1 and oh.sum() == 2


def test_char_windows_and_batches():
    ds = tasks.CharDataset.from_text("abcdefghijklmnopqrstuvwxyz" * 4)
    x, y = ds.windows(5)
    assert x.shape == y.shape and x.shape[1] == 5
    np.testing.assert_array_equal(x[:, 1:], y[:, :-1])  # y is x shifted by one character
    assert ds.decode(x[1]) == "fghij" and ds.decode(y[1]) == "ghijk"
    gen_a, gen_b = ds.batches(7, 4, seed=0), ds.batches(7, 4, seed=0)
    xa, ya = next(gen_a)
    xb, _ = next(gen_b)
    assert xa.shape == (7, 4) and np.array_equal(xa, xb)
    np.testing.assert_array_equal(xa[1:], ya[:-1])
    data = ds.train_data(8, val_fraction=0.2)
    assert data.one_hot == data.num_classes == 26
    checked = check_data(data, "many_to_many", "xent")
    assert checked.x_train.shape[1] == 8 and checked.y_val.shape[1] == 8
    assert TrainConfig(mode="many_to_many", loss="xent")  # the matching config is valid


def test_bad_input_messages():
    with pytest.raises(ValueError, match="series: has 5 values but a window of k=5 plus horizon=1 needs at least 6"):
        tasks.make_windows(np.arange(5.0), k=5)
    with pytest.raises(ValueError, match=r"series: contains NaN or inf \(first at index \(2,\)\)"):
        tasks.make_windows([1.0, 2.0, np.nan, 4.0], k=1)
    with pytest.raises(ValueError, match=r"series: expected a 1-D array, got shape \(3, 2\)"):
        tasks.make_windows(np.zeros((3, 2)), k=1)
    with pytest.raises(ValueError, match="k: expected a positive integer, got 0"):
        tasks.make_windows(np.arange(5.0), k=0)
    with pytest.raises(ValueError, match="series: the training part has 8 values but k=10 plus horizon=1 needs"):
        tasks.window_split(np.arange(10.0), k=10)
    with pytest.raises(ValueError, match="val_fraction: expected a number strictly between 0 and 1, got 1.0"):
        tasks.chronological_split(10, 1.0)
    with pytest.raises(ValueError, match="text: has 0 characters; need at least 2"):
        tasks.CharDataset.from_text("")
    with pytest.raises(ValueError, match="text: expected a string, got bytes"):
        tasks.CharDataset.from_text(b"abc")
    ds = tasks.CharDataset.from_text("abcabc")
    with pytest.raises(ValueError, match="text: characters not in the vocabulary: 'xz'"):
        ds.encode("zax")
    with pytest.raises(ValueError, match="text: has 6 characters but sequences of T=6 need at least 7"):
        ds.windows(6)
    with pytest.raises(ValueError, match="text: the validation part has 1 characters but sequences of T=3"):
        ds.train_data(3, val_fraction=0.2)
    with pytest.raises(ValueError, match="period: expected a positive finite number, got 0.0"):
        tasks.sine(10, period=0)
    with pytest.raises(ValueError, match="noise: expected a non-negative finite number, got -1"):
        tasks.sine(10, noise=-1)
    with pytest.raises(ValueError, match="volatility: expected a non-negative finite number, got 'high'"):
        tasks.stock_prices(10, volatility="high")
    with pytest.raises(ValueError, match="start: expected a positive price, got -5.0"):
        tasks.stock_prices(10, start=-5)
    with pytest.raises(ValueError, match="T: the adding problem needs at least 2 steps"):
        tasks.adding_problem(3, 1)
    with pytest.raises(ValueError, match="n: expected a positive integer, got 0"):
        tasks.copy_task(0, 5)
