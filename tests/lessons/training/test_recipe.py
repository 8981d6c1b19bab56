"""The training lab's recipe: tasks and splits, baselines, tiny seeded runs that learn, reports, weights export."""

from __future__ import annotations

import io

import numpy as np
import pytest

from lessons.training import recipe as lab
from rnn_core.training import Trainer, ema


def train(cfg: lab.LabConfig, task: lab.Task, steps: int | None = None):
    trainer = Trainer(cfg.train_config(), task.data)
    for p in trainer.run():
        if steps is not None and p.step >= steps:
            break
    return trainer.result()


@pytest.fixture(scope="module")
def adding_task() -> lab.Task:
    return lab.make_task("adding", 10)


# -- config ---------------------------------------------------------------------------------------------
def test_config_is_hashable_and_maps_to_train_config():
    cfg = lab.LabConfig(task="copy", window=7, bptt=3, clip="value", clip_threshold=0.5)
    assert hash(cfg) == hash(lab.LabConfig(task="copy", window=7, bptt=3, clip="value", clip_threshold=0.5))
    tc = cfg.train_config()
    assert (tc.mode, tc.loss, tc.bptt, tc.clip, tc.clip_threshold) == ("many_to_many", "xent", 3, "value", 0.5)
    assert lab.LabConfig().train_config().bptt is None  # 0 means full BPTT
    assert lab.LabConfig().train_config().mode == "many_to_one"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"task": "weather"}, "task: expected one of"),
    ({"window": 1}, "window: expected an integer from 2 to 100"),
    ({"window": 101}, "window: expected an integer from 2 to 100"),
    ({"bptt": -1}, "bptt: expected 0"),
    ({"lr": 0.0}, "lr: expected a positive"),
    ({"cell": "transformer"}, "cell: expected one of"),
    ({"clip": "sometimes"}, "clip: expected one of"),
])
def test_bad_settings_are_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lab.LabConfig(**kwargs)


def test_labels_name_the_model_and_its_training():
    cfg = lab.LabConfig(cell="gru", hidden_size=8, optimizer="sgd", momentum=0.5, bptt=4, clip="none")
    assert cfg.label == "GRU H=8"
    assert cfg.settings == "SGD (momentum 0.5) lr 0.01 · 20 epochs · BPTT 4 · no clipping · seed 0"


# -- tasks ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("task", ["stock", "sine", "noisy_sine"])
def test_generated_series_are_split_in_time_without_leakage(task):
    t = lab.make_task(task, 12)
    sp = t.split
    assert t.kind == "series" and t.data.x_train.shape[1:] == (12, 1) and t.data.y_train.shape[1] == 1
    assert sp.t_train.max() < sp.split <= sp.t_val.min()  # every training target is before the cut
    # standardised with the training part only
    assert sp.scaler.mean == pytest.approx(t.series[: sp.split].mean())
    np.testing.assert_allclose(sp.scaler.inverse(t.data.y_val[:, 0]), t.series[sp.t_val], atol=1e-12)


def test_the_same_task_twice_is_the_same_data():
    a, b = lab.make_task("stock", 20), lab.make_task("stock", 20)
    np.testing.assert_array_equal(a.series, b.series)
    assert a.series.min() > 0  # prices stay positive


def test_real_and_uploaded_series_need_their_values():
    with pytest.raises(ValueError, match="needs its series"):
        lab.make_task("sunspots", 12)
    t = lab.make_task("upload", 5, np.sin(np.arange(100) / 3))
    assert len(t.data.x_val) > 1


def test_a_window_too_long_for_the_series_is_a_clear_error():
    with pytest.raises(ValueError, match="smaller k|validation window"):
        lab.make_task("upload", 40, np.arange(50.0) ** 0.5)


def test_adding_and_copy_tasks(adding_task):
    x = adding_task.data.x_train
    assert x.shape == (lab.ADDING_SIZES[0], 10, 2) and (x[:, :, 1].sum(axis=1) == 2).all()
    c = lab.make_task("copy", 4)
    L = 2 * lab.COPY_LENGTH + 4
    assert c.data.x_train.shape == (lab.COPY_SIZES[0], L, lab.COPY_SYMBOLS + 2)
    assert c.codes_val.shape == (lab.COPY_SIZES[1], L) and c.data.num_classes == lab.COPY_SYMBOLS + 1


# -- baselines ------------------------------------------------------------------------------------------
def test_linear_ar_is_exact_on_a_clean_sine():
    base = lab.baselines(lab.make_task("sine", 10))
    ar = next(r for r in base.rows if r["model"] == lab.AR_NAME)
    assert ar["RMSE"] < 1e-8  # a sine obeys a linear recurrence
    assert set(base.forecast) == {lab.AR_NAME, lab.PERSIST_NAME, lab.AVERAGE_NAME}


def test_stock_returns_are_the_prices_daily_changes_in_percent():
    prices, returns = lab.generated_series("stock"), lab.generated_series("stock_returns")
    np.testing.assert_allclose(returns, 100 * np.diff(prices) / prices[:-1])
    task = lab.make_task("stock_returns", 20)
    assert task.kind == "series" and len(task.series) == len(prices) - 1


def test_the_feed_forward_rival_sees_the_same_window_and_is_drawn_like_the_others():
    task = lab.make_task("noisy_sine", 10)
    wm = lab.window_models(task)
    (row,) = wm.rows
    assert row["model"] == lab.MLP_NAME and row["params"] == lab.MLP_HIDDEN * (10 + 2) + 1
    assert wm.pred_val[lab.MLP_NAME].shape == (len(task.data.x_val),)
    assert wm.forecast[lab.MLP_NAME].shape == (lab.forecast_steps(task),)
    again = lab.window_models_for("noisy_sine", 10)
    np.testing.assert_array_equal(again.pred_val[lab.MLP_NAME], wm.pred_val[lab.MLP_NAME])  # deterministic
    both = lab.merged(lab.baselines(task), wm)
    assert [r["model"] for r in both.rows][-1] == lab.MLP_NAME and lab.MLP_NAME in both.forecast


def test_adding_rivals_one_sees_everything_one_only_the_second_half(monkeypatch):
    monkeypatch.setattr(lab, "MLP_MAX_EPOCHS", 5)
    task = lab.make_task("adding", 10)
    wm = lab.window_models(task)
    names = [r["model"] for r in wm.rows]
    assert names == [lab.MLP_ALL_NAME, lab.MLP_HALF_NAME]
    full, half = wm.rows
    assert full["params"] == lab.MLP_HIDDEN * (20 + 2) + 1 and half["params"] == lab.MLP_HIDDEN * (10 + 2) + 1
    first = task.data.x_train[:, :, 1].argmax(axis=1)
    assert (first < lab.adding_half(10)).all()  # the cut-off half holds every first marker


def test_copy_has_no_trained_rival():
    assert lab.window_models(lab.make_task("copy", 5)).rows == ()


@pytest.mark.parametrize(("loss", "outcome"), [(0.05, "wins"), (0.095, "ties"), (0.105, "ties"), (0.2, "loses")])
def test_verdict_compares_with_the_best_rival(loss, outcome):
    base = lab.Baselines(({"model": "a", "Val MSE": 0.1}, {"model": "b", "Val MSE": 0.3}))
    v = lab.verdict({"Val MSE": loss}, base, "adding")
    assert v.outcome == outcome and v.best_name == "a" and v.ratio == pytest.approx(0.1 / loss)
    assert lab.verdict({"Val MSE": float("nan")}, base, "adding") is None
    assert lab.verdict({"Val MSE": 0.1}, lab.Baselines(()), "adding") is None


def test_adding_baselines_sit_near_one_sixth(adding_task):
    base = lab.baselines(adding_task)
    for row in base.rows:
        assert 0.1 < row["Val MSE"] < 0.2  # a linear model gains a little on short sequences


def test_copy_baseline_guesses_symbols():
    (row,) = lab.baselines(lab.make_task("copy", 5)).rows
    assert row["Recall accuracy"] == pytest.approx(1 / 8)
    assert row["Val loss"] == pytest.approx(5 * np.log(8) / 15)


# -- training -------------------------------------------------------------------------------------------
def test_loss_goes_down_on_the_stock_task():
    cfg = lab.LabConfig(task="stock", window=10, hidden_size=8, epochs=3)
    res = train(cfg, lab.make_task("stock", 10))
    assert res.val_loss[-1] < 0.5 * res.val_loss[0]
    assert res.step_loss[-5:].mean() < res.step_loss[:5].mean()


def test_training_is_deterministic_for_a_seed():
    task = lab.make_task("noisy_sine", 8)
    runs = [train(lab.LabConfig(task="noisy_sine", window=8, hidden_size=6, epochs=2, seed=s), task)
            for s in (3, 3, 4)]
    np.testing.assert_array_equal(runs[0].step_loss, runs[1].step_loss)
    assert not np.array_equal(runs[0].step_loss, runs[2].step_loss)


def test_lstm_beats_the_memoryless_baselines_on_the_adding_problem(adding_task):
    cfg = lab.LabConfig(task="adding", window=10, hidden_size=16, epochs=3)
    rep = lab.report(cfg, adding_task, train(cfg, adding_task))
    best_baseline = min(r["Val MSE"] for r in lab.baselines(adding_task).rows)
    assert rep.row["Val MSE"] < 0.25 * best_baseline


def test_series_report_has_predictions_forecast_and_gates():
    task = lab.make_task("sine", 10)
    cfg = lab.LabConfig(task="sine", window=10, cell="gru", hidden_size=5, epochs=2)
    rep = lab.report(cfg, task, train(cfg, task))
    n_val = len(task.data.x_val)
    assert rep.pred_val.shape == rep.truth_val.shape == rep.t_val.shape == (n_val,)
    assert rep.forecast.shape == rep.truth_forecast.shape == (lab.forecast_steps(task),)
    assert set(rep.gates) == {"r", "z", "n", "h"} and rep.gates["z"].shape == (10, 5)
    assert rep.row["model"] == "GRU H=5" and rep.row["settings"] == cfg.settings
    assert set(rep.row) >= {"Val MSE (scaled)", "RMSE", "MAE"}
    assert rep.steps == rep.total_steps == len(rep.step_loss) and not rep.stopped
    assert rep.smooth_loss.shape == rep.step_loss.shape


def test_rnn_report_shows_only_the_hidden_state_and_lstm_adds_the_cell(adding_task):
    for cell, keys in (("rnn", {"h"}), ("lstm", {"i", "f", "g", "o", "c", "h"})):
        cfg = lab.LabConfig(task="adding", window=10, cell=cell, hidden_size=3, epochs=1)
        rep = lab.report(cfg, adding_task, train(cfg, adding_task, steps=2))
        assert set(rep.gates) == keys and rep.gate_x.shape == (10, 2)


def test_copy_report_scores_recall():
    task = lab.make_task("copy", 3)
    cfg = lab.LabConfig(task="copy", window=3, hidden_size=8, epochs=1)
    rep = lab.report(cfg, task, train(cfg, task))
    assert 0 <= rep.row["Recall accuracy"] <= 1 and np.isfinite(rep.row["Val loss"])
    assert rep.codes.shape == rep.target.shape == rep.predicted.shape == (6, 2 * lab.COPY_LENGTH + 3)


def test_a_stopped_run_is_marked_and_reported():
    task = lab.make_task("stock", 10)
    cfg = lab.LabConfig(task="stock", window=10, hidden_size=4, epochs=5)
    res = lab.with_stopped(train(cfg, task, steps=3))
    rep = lab.report(cfg, task, res)
    assert rep.stopped and rep.steps == 3 < rep.total_steps


def test_a_diverged_run_reports_without_crashing():
    task = lab.make_task("stock", 10)
    cfg = lab.LabConfig(task="stock", window=10, cell="rnn", hidden_size=4, epochs=2, optimizer="sgd", lr=1.0,
                        clip="none")
    res = train(cfg, task)
    res.model.cell.params["weight_hh"][...] = np.nan  # as if the weights had overflowed
    rep = lab.report(cfg, task, res)
    assert rep.gates == {} and np.isnan(rep.row["RMSE"])


def test_clipping_events_line_up_with_the_norms():
    task = lab.make_task("stock", 10)
    cfg = lab.LabConfig(task="stock", window=10, hidden_size=8, epochs=1, clip="norm", clip_threshold=0.01)
    rep = lab.report(cfg, task, train(cfg, task))
    assert rep.clipped.all()  # a tiny max norm clips every step
    np.testing.assert_allclose(rep.grad_after, 0.01, rtol=1e-3)
    assert (rep.grad_before > 0.01).all()


def test_ema_smooths_and_skips_nan():
    out = ema([1.0, np.nan, 3.0], alpha=0.5)
    np.testing.assert_allclose(out, [1.0, 1.0, 2.0])


# -- export ---------------------------------------------------------------------------------------------
def test_weights_npz_uses_pytorch_names(adding_task):
    cfg = lab.LabConfig(task="adding", window=10, hidden_size=4, epochs=1)
    rep = lab.report(cfg, adding_task, train(cfg, adding_task, steps=2))
    loaded = np.load(io.BytesIO(lab.weights_npz(rep.weights)))
    assert set(loaded.files) == {"rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                                 "head.weight", "head.bias"}
    assert loaded["rnn.weight_hh_l0"].shape == (16, 4)


def test_exported_weights_reproduce_the_model_in_torch(adding_task):
    torch = pytest.importorskip("torch")
    cfg = lab.LabConfig(task="adding", window=10, hidden_size=4, epochs=1)
    res = train(cfg, adding_task, steps=5)
    loaded = np.load(io.BytesIO(lab.weights_npz(res.model.state_dict_torch())))

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = torch.nn.LSTM(2, 4)
            self.head = torch.nn.Linear(4, 1)

    net = Net().double()
    net.load_state_dict({k: torch.tensor(loaded[k]) for k in loaded.files})
    x = adding_task.data.x_val[:7].transpose(1, 0, 2)
    with torch.no_grad():
        out, _ = net.rnn(torch.tensor(x))
        y_torch = net.head(out[-1]).numpy()
    np.testing.assert_allclose(res.model.predict(x), y_torch, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("task", "kwargs"), [("stock", {}), ("copy", {"bptt": 4}), ("adding", {"bptt": 4})])
def test_step_plan_counts_what_the_trainer_will_run(task, kwargs):
    t = lab.make_task(task, 10)
    cfg = lab.LabConfig(task=task, window=10, epochs=3, **kwargs)
    steps, batches = lab.step_plan(cfg, t)
    assert steps == Trainer(cfg.train_config(), t.data).total_steps
    assert batches == -(-len(t.data.x_train) // cfg.batch_size)


def test_the_best_baseline_is_the_lowest_validation_loss(adding_task):
    base = lab.baselines(adding_task)
    name, loss = lab.best_baseline(base, "adding")
    assert loss == min(r["Val MSE"] for r in base.rows) and name in {r["model"] for r in base.rows}


def test_copy_loss_is_the_engines_cross_entropy():
    task = lab.make_task("copy", 3)
    cfg = lab.LabConfig(task="copy", window=3, hidden_size=4, epochs=1)
    res = train(cfg, task, steps=2)
    rep = lab.report(cfg, task, res)
    logits = res.model.predict(task.data.x_val.transpose(1, 0, 2), mode="many_to_many")
    z = logits - logits.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    expected = -np.take_along_axis(logp, task.data.y_val.T[..., None], axis=-1).mean()
    assert rep.row["Val loss"] == pytest.approx(expected, rel=1e-12)


def test_gate_input_per_kind(adding_task):
    x = adding_task.data.x_val[0]
    line, markers = lab.gate_input("adding", x)
    assert line.shape == (10,) and len(markers) == 2
    copy = lab.make_task("copy", 3)
    line, markers = lab.gate_input("copy", copy.data.x_val[0])
    assert list(line) == list(copy.codes_val[0]) and markers == []
