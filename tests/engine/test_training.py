"""The training loop: learning happens, determinism, truncated BPTT, clipping records, stopping, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import (
    SGD,
    CharDataset,
    LinearAR,
    Progress,
    SequenceModel,
    TrainConfig,
    TrainData,
    Trainer,
    TrainResult,
    adding_problem,
    build_model,
    copy_task,
    evaluate,
    iter_train,
    mean_squared_error,
    mse,
    predict_samples,
    sine,
    train,
    truncated_backward,
    unigram_loss,
    window_split,
)


def sine_data() -> TrainData:
    return window_split(sine(240, period=25, noise=0.05, seed=0), k=10).train_data()


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_loss_goes_down(cell):
    cfg = TrainConfig(cell=cell, hidden_size=8, epochs=4, batch_size=16, lr=0.02, seed=1)
    res = train(cfg, sine_data())
    assert res.steps == 4 * 12 and res.epoch_val_loss.shape == (4,)
    assert res.val_steps[0] == 0 and len(res.val_loss) == 5  # before training + every epoch
    assert res.epoch_val_loss[-1] < 0.3 * res.val_loss[0]
    assert res.epoch_train_loss[-1] < res.epoch_train_loss[0]
    assert res.diverged_step is None and not res.stopped


def test_same_seed_gives_bitwise_identical_runs():
    cfg = TrainConfig(cell="gru", hidden_size=6, epochs=2, batch_size=10, seed=5, clip="value", clip_threshold=0.1)
    a, b = train(cfg, sine_data()), train(cfg, sine_data())
    for field in ("step_loss", "grad_norm_before", "grad_norm_after", "clipped", "val_loss"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
    for k, v in a.model.params.items():
        assert np.array_equal(v, b.model.params[k]), k
    c = train(TrainConfig(cell="gru", hidden_size=6, epochs=2, batch_size=10, seed=6), sine_data())
    assert not np.array_equal(a.step_loss, c.step_loss)


@pytest.mark.parametrize("mode", ["many_to_one", "many_to_many"])
def test_truncation_at_or_beyond_T_is_full_bptt(mode):
    X, y = copy_task(24, T=3, seed=0, n_symbols=3, length=2)  # L = 7 steps
    if mode == "many_to_many":
        data = TrainData(X, y, num_classes=4)
        base = dict(mode=mode, loss="xent")
    else:
        data = TrainData(X, y[:, -1:].astype(float))
        base = dict(mode=mode, loss="mse")
    runs = [train(TrainConfig(cell="lstm", hidden_size=5, epochs=2, batch_size=8, bptt=k, **base), data)
            for k in (None, 7, 50)]
    for r in runs[1:]:
        assert np.array_equal(r.step_loss, runs[0].step_loss)
        assert all(np.array_equal(v, runs[0].model.params[n]) for n, v in r.model.params.items())


def test_many_to_many_truncation_steps_per_chunk_and_carries_state():
    X, y = copy_task(6, T=4, seed=1, n_symbols=3, length=2)  # L = 8 steps, chunks of 3: 3 + 3 + 2
    cfg = TrainConfig(cell="lstm", hidden_size=4, optimizer="sgd", lr=0.1, momentum=0.0, epochs=1,
                      batch_size=6, clip="none", bptt=3, mode="many_to_many", loss="xent", shuffle=False)
    res = train(cfg, TrainData(X, y, num_classes=4))
    assert res.steps == 3 and res.total_steps == 3
    # by hand: each chunk starts from the previous chunk's final (h, c), no gradient across
    model = build_model(cfg, 5, 4)
    opt = SGD(0.1)
    x_tm, y_tm = X.transpose(1, 0, 2), y.T
    h = c = None
    for i, (s, e) in enumerate([(0, 3), (3, 6), (6, 8)]):
        out = model.loss_and_grads(x_tm[s:e], y_tm[s:e], mode="many_to_many", loss="xent", h0=h, c0=c)
        assert out.loss == pytest.approx(res.step_loss[i], rel=1e-13)
        opt.step(model.params, out.grads)
        h, c = SequenceModel.final_state(out.trace)
    for k, v in model.params.items():
        np.testing.assert_allclose(res.model.params[k], v, rtol=1e-13)


def test_many_to_one_truncation_matches_truncated_backward():
    X, y = adding_problem(5, 12, seed=2)
    cfg = TrainConfig(cell="gru", hidden_size=4, optimizer="sgd", lr=0.1, momentum=0.0, epochs=1,
                      batch_size=5, clip="none", bptt=4, shuffle=False)
    res = train(cfg, TrainData(X, y))
    model = build_model(cfg, 2, 1)
    x_tm = X.transpose(1, 0, 2)
    trace = model.cell.forward(x_tm)
    loss, dout = mse(model.head.forward(trace.h[-1]), y)
    head_grads, dlast = model.head.backward(trace.h[-1], dout)
    dh = np.zeros_like(trace.h)
    dh[-1] = dlast
    cell_grads = truncated_backward(model.cell, trace, dh, 4).params
    assert res.step_loss[0] == pytest.approx(loss, rel=1e-13)
    expected = {**{f"cell.{k}": v for k, v in cell_grads.items()}, **{f"head.{k}": v for k, v in head_grads.items()}}
    SGD(0.1).step(model.params, expected)
    for k, v in model.params.items():
        np.testing.assert_allclose(res.model.params[k], v, rtol=1e-12, atol=1e-15)


def test_clipping_is_recorded():
    data = sine_data()
    tight = train(TrainConfig(hidden_size=6, epochs=1, clip="norm", clip_threshold=1e-3), data)
    assert tight.clipped.all() and np.array_equal(tight.clip_events, np.arange(1, tight.steps + 1))
    np.testing.assert_allclose(tight.grad_norm_after, 1e-3, rtol=1e-3)
    assert (tight.grad_norm_before > tight.grad_norm_after).all()
    free = train(TrainConfig(hidden_size=6, epochs=1, clip="none"), data)
    assert not free.clipped.any() and free.clip_events.size == 0
    assert np.array_equal(free.grad_norm_before, free.grad_norm_after)
    by_value = train(TrainConfig(hidden_size=6, epochs=1, clip="value", clip_threshold=1e-4), data)
    assert by_value.clipped.all() and (by_value.grad_norm_after < by_value.grad_norm_before).all()


def test_stop_request_is_honoured_and_result_is_a_snapshot():
    calls = []
    res = train(TrainConfig(hidden_size=4, epochs=5), sine_data(),
                should_stop=lambda: calls.append(1) or len(calls) >= 3)
    assert res.stopped and res.steps == 3 and res.total_steps == 5 * 6
    trainer = Trainer(TrainConfig(hidden_size=4, epochs=5), sine_data())
    for p in trainer.run():
        if p.step == 7:
            break
    snap = trainer.result()
    assert isinstance(snap, TrainResult) and snap.steps == 7 and snap.epoch_train_loss.shape == (1,)
    with pytest.raises(ValueError, match="Trainer.run: this trainer has already run"):
        next(trainer.run())


def test_progress_reports():
    seen: list[Progress] = []
    res = train(TrainConfig(hidden_size=4, epochs=2, eval_every=4), sine_data(), on_progress=seen.append,
                report_interval=0.0)
    assert [p.step for p in seen] == list(range(1, 13))
    assert seen[-1].fraction == 1.0 and seen[-1].epoch == 1 and seen[0].epochs == 2
    assert [p.step for p in seen if p.val_loss is not None] == [4, 6, 8, 12]
    assert res.val_steps.tolist() == [0, 4, 6, 8, 12]
    assert seen[3].train_loss == res.step_loss[3] and seen[3].grad_norm_before == res.grad_norm_before[3]
    rare: list[Progress] = []
    train(TrainConfig(hidden_size=4, epochs=2), sine_data(), on_progress=rare.append, report_interval=1e9)
    assert [p.step for p in rare] == [1, 6, 12]  # first call, each validation, and always the last step
    gen = iter_train(TrainConfig(hidden_size=4, epochs=1), sine_data())
    with pytest.raises(StopIteration) as stop:
        while True:
            next(gen)
    assert isinstance(stop.value.value, TrainResult) and stop.value.value.steps == 6


def test_divergence_stops_quietly():
    cfg = TrainConfig(cell="rnn", nonlinearity="identity", hidden_size=4, optimizer="sgd", lr=50.0,
                      momentum=0.0, clip="none", epochs=3)
    res = train(cfg, sine_data())
    assert res.diverged_step is not None and res.steps == res.diverged_step
    assert not np.isfinite(res.step_loss[-1]) or not np.isfinite(res.grad_norm_after[-1])
    assert all(np.isfinite(v).all() for v in res.model.params.values())  # the bad update was not applied


def test_lstm_beats_the_linear_ar_baseline_on_the_adding_problem():
    X, y = adding_problem(1000, 10, seed=0)
    Xv, yv = adding_problem(300, 10, seed=1)
    ar_mse = mean_squared_error(LinearAR().fit(X, y).predict(Xv), yv)
    res = train(TrainConfig(cell="lstm", hidden_size=12, lr=0.02, epochs=8, batch_size=20, seed=0),
                TrainData(X, y, Xv, yv))
    assert ar_mse > 0.1  # a window model cannot multiply value and marker
    assert res.epoch_val_loss[-1] < 0.25 * ar_mse


def test_char_lstm_beats_the_unigram_baseline():
    text = "the cat sat on the mat. the dog sat on the log. " * 12
    ds = CharDataset.from_text(text)
    data = ds.train_data(16, val_fraction=0.2)
    cut = ds.split(0.2)
    baseline = unigram_loss(ds.data[:cut], ds.data[cut:], ds.vocab_size)
    cfg = TrainConfig(cell="lstm", hidden_size=24, lr=0.02, epochs=6, batch_size=8, mode="many_to_many",
                      loss="xent", bptt=8)
    res = train(cfg, data)
    assert res.epoch_val_loss[-1] < 0.8 * baseline
    sample = ds.decode(res.model.sample(ds.encode("the "), 20, temperature=0.5, seed=0))
    assert len(sample) == 20 and set(sample) <= set(ds.vocab)


def test_float32_training():
    res = train(TrainConfig(hidden_size=6, epochs=3, dtype="float32"), sine_data())
    assert all(v.dtype == np.float32 for v in res.model.params.values())
    assert res.epoch_val_loss[-1] < res.val_loss[0]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"cell": "cnn"}, "cell: expected one of 'rnn', 'lstm', 'gru', got 'cnn'"),
    ({"hidden_size": 0}, "hidden_size: expected a positive integer, got 0"),
    ({"lr": -0.1}, "lr: expected a positive finite number, got -0.1"),
    ({"momentum": 1.0}, r"momentum: expected a number in \[0, 1\), got 1.0"),
    ({"optimizer": "rmsprop"}, "optimizer: expected one of 'sgd', 'adam', got 'rmsprop'"),
    ({"epochs": 2.5}, "epochs: expected a positive integer, got 2.5"),
    ({"clip": "max"}, "clip: expected one of 'none', 'value', 'norm', got 'max'"),
    ({"clip_threshold": 0}, "clip_threshold: expected a positive finite number, got 0"),
    ({"bptt": 0}, "bptt: expected a positive integer, got 0"),
    ({"seed": -1}, "seed: expected a non-negative integer, got -1"),
    ({"mode": "seq2seq"}, "mode: expected one of 'many_to_one', 'many_to_many', got 'seq2seq'"),
    ({"dtype": "float16"}, "dtype: expected one of 'float64', 'float32', got 'float16'"),
])
def test_bad_config(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**kwargs)


def test_bad_data():
    X, y = np.zeros((8, 5, 1)), np.zeros((8, 1))
    cfg = TrainConfig(hidden_size=3, epochs=1)
    with pytest.raises(ValueError, match=r"y_train: for many_to_one with mse expected shape \(8, O\), got shape"):
        train(cfg, TrainData(X, np.zeros(8)))
    with pytest.raises(ValueError, match=r"x_train: expected shape \(N, T, D\), got shape \(8, 5\)"):
        train(cfg, TrainData(np.zeros((8, 5)), y))
    bad = X.copy()
    bad[2, 3, 0] = np.nan
    with pytest.raises(ValueError, match=r"x_train: contains NaN or inf \(first at index \(2, 3, 0\)\)"):
        train(cfg, TrainData(bad, y))
    with pytest.raises(ValueError, match=r"x_train: needs at least one sequence"):
        train(cfg, TrainData(np.zeros((0, 5, 1)), np.zeros((0, 1))))
    with pytest.raises(ValueError, match="y_val: missing"):
        train(cfg, TrainData(X, y, x_val=X))
    with pytest.raises(ValueError, match=r"x_val: features \(2,\) differ from x_train's \(1,\)"):
        train(cfg, TrainData(X, y, np.zeros((3, 5, 2)), np.zeros((3, 1))))
    xent = TrainConfig(hidden_size=3, epochs=1, loss="xent")
    with pytest.raises(ValueError, match="num_classes: required for loss='xent'"):
        train(xent, TrainData(X, np.zeros(8, dtype=int)))
    with pytest.raises(ValueError, match=r"y_train: class index 3 is out of range; expected 0 <= index < 3"):
        train(xent, TrainData(X, np.full(8, 3), num_classes=3))
    with pytest.raises(ValueError, match=r"x_train: with one_hot=4 expected integer indices of shape \(N, T\)"):
        train(cfg, TrainData(X, y, one_hot=4))
    with pytest.raises(ValueError, match="data: expected a TrainData, got tuple"):
        train(cfg, (X, y))
    with pytest.raises(ValueError, match="config: expected a TrainConfig, got dict"):
        train({}, TrainData(X, y))


def test_predict_samples_is_samples_first():
    data = sine_data()
    res = train(TrainConfig(hidden_size=4, epochs=1), data)
    pred = predict_samples(res.model, data.x_val)
    assert pred.shape == data.y_val.shape
    np.testing.assert_allclose(pred, res.model.predict(data.x_val.transpose(1, 0, 2)), rtol=1e-14)
    assert evaluate(res.model, data.x_val, data.y_val, mode="many_to_one", loss="mse") == pytest.approx(
        mean_squared_error(pred, data.y_val))
    ds = CharDataset.from_text("abcab" * 10)
    model = build_model(TrainConfig(hidden_size=3), 3, 3)
    x, _ = ds.windows(6)
    logits = predict_samples(model, x, mode="many_to_many", one_hot=3)
    assert logits.shape == (*x.shape, 3)
    np.testing.assert_allclose(logits[1], model.predict(ds.one_hot(x[1]), mode="many_to_many"), rtol=1e-14)


def test_planned_steps_is_what_the_trainer_runs():
    from rnn_core.training import planned_steps

    data = TrainData(*[np.zeros(s) for s in ((70, 12, 1), (70, 12, 1), (10, 12, 1), (10, 12, 1))])
    for cfg in (TrainConfig(epochs=3, batch_size=32, mode="many_to_many"),
                TrainConfig(epochs=2, batch_size=16, bptt=5, mode="many_to_many"),
                TrainConfig(epochs=2, batch_size=16, bptt=5, mode="many_to_one")):
        y = data.y_train if cfg.mode == "many_to_many" else data.y_train[:, -1]
        yv = data.y_val if cfg.mode == "many_to_many" else data.y_val[:, -1]
        trainer = Trainer(cfg, TrainData(data.x_train, y, data.x_val, yv))
        assert trainer.total_steps == planned_steps(cfg, 70, 12)
    assert planned_steps(TrainConfig(epochs=3, batch_size=32, mode="many_to_many"), 70, 12) == 9
    assert planned_steps(TrainConfig(epochs=2, batch_size=16, bptt=5, mode="many_to_many"), 70, 12) == 30
