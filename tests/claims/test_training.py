"""Claims of the /training lesson, checked against the engine (see tests/claims/README.md).

Trainings run at the page's settings (LabConfig defaults: LSTM, H = 32, Adam lr 0.01, clip by norm 1, 20 epochs)
with five model seeds, two at a time in worker processes (the runs are independent and deterministic), once per
module. Memoryless rivals are fitted exactly as the page fits them (recipe.baselines, recipe.window_models).
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np
import pytest
from claims.helpers import assert_the_seed_decides_the_model, train_all, trained

from lessons.kit.settings import defaults
from lessons.training import recipe as lab
from lessons.training import sections
from lessons.training.settings import SETTINGS, TRIES, config
from rnn_core.clipping import clip_by_norm, clip_by_value
from rnn_core.training import Trainer, batches_per_epoch

# A module's first slow test also trains the shared runs of its fixture (five seeds, several settings): minutes
# on a loaded 2-core machine, so these tests get more than the suite's 300 s each.
pytestmark = pytest.mark.timeout(1200)

SEEDS = range(5)
D = config(defaults(SETTINGS))  # the page's defaults


def _fit(cfg: lab.LabConfig):
    """One training, in a worker: (the run's report row, its result)."""
    task = lab.make_task(cfg.task, cfg.window)
    result = trained(cfg.train_config(), task.data)
    return lab.report(cfg, task, result), result


@functools.cache
def rivals_of(name: str, window: int) -> lab.Baselines:
    task = lab.make_task(name, window)
    return lab.merged(lab.baselines(task), lab.window_models(task))


def rivals(task: lab.Task) -> lab.Baselines:
    """Every memoryless rival of a shipped task, as the page shows them (fitted once per module run)."""
    return rivals_of(task.task, task.window)


def loss(row: dict, kind: str) -> float:
    return row[lab.KINDS[kind].loss_column]


# -- the default task: memory wins -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def adding_runs() -> dict:
    """The default task at the page's defaults, and with truncated BPTT at the slider's corners below T/2."""
    cfgs = {(b, s): replace(D, bptt=b, seed=s) for b in (0, 1, 9) for s in SEEDS}
    return dict(zip(cfgs, train_all(_fit, list(cfgs.values())), strict=True))


@pytest.fixture(scope="module")
def adding_task() -> lab.Task:
    return lab.make_task(D.task, D.window)


@pytest.mark.slow
def test_the_default_task_shows_memory_winning(adding_runs, adding_task):
    """/training, results: "**Memory wins here.** LSTM H=32 scores … on the held-out data, N× lower than the best
    memoryless model" — at the page's defaults the trained model beats every memoryless rival, the feed-forward
    window models included, by far.

    Checked at: the page's defaults (adding problem, T = 20, LSTM H = 32, 20 epochs), seeds 0–4; rivals: the
    average, linear regression, a feed-forward net on all T steps and one on the last T/2 steps."""
    base = rivals(adding_task)
    assert {r["model"] for r in base.rows} == {lab.MEAN_NAME, lab.LINEAR_NAME, lab.MLP_ALL_NAME, lab.MLP_HALF_NAME}
    for s in SEEDS:
        rep, _ = adding_runs[(0, s)]
        v = lab.verdict(rep.row, base, "adding")
        assert v.outcome == "wins" and v.ratio > 10, (s, v)
        assert sections.verdict_sentence(v, rep.label).startswith("**Memory wins here.**")


@pytest.mark.slow
def test_solving_the_adding_problem_means_far_below_the_average(adding_runs, adding_task):
    """/training, adding problem: "Predicting the average sum gives MSE ≈ 0.167; solving it means getting far below
    that (say 0.05)."

    Checked at: T ∈ {2, 3, 20, 50, 100} for the average (the window slider's range, both ends); the page's
    defaults, seeds 0–4, for the trained model."""
    for T in (2, 3, 20, 50, 100):
        mean = next(r for r in lab.baselines(lab.make_task("adding", T)).rows if r["model"] == lab.MEAN_NAME)
        assert mean["Val MSE"] == pytest.approx(1 / 6, abs=0.02)
    assert all(adding_runs[(0, s)][0].row["Val MSE"] < 0.05 for s in SEEDS)


@pytest.mark.slow
def test_truncation_cuts_off_the_first_number_and_memory_keeps_it(adding_runs, adding_task):
    """/training, adding problem: "Cut the sequence to its second half and the first marked number is simply not
    there — whatever the network learns, it cannot get below MSE 1/12 ≈ 0.083. … The recurrent network reads one
    step at a time with the same weights and keeps the first number in its state."

    Checked at: T ∈ {2, 7, 20, 100} (every first marker lies in the cut-off half; the truncated feed-forward net's
    score); the page's defaults, seeds 0–4, for the recurrent model (below 1/12, so it used the first number)."""
    for T in (2, 7, 20, 100):
        task = lab.make_task("adding", T)
        for x in (task.data.x_train, task.data.x_val):
            assert (x[:, : lab.adding_half(T), 1].sum(axis=1) == 1).all()  # the first marker: always cut off
        if T in (2, 20):
            half = next(r for r in rivals(task).rows if r["model"] == lab.MLP_HALF_NAME)
            assert half["Val MSE"] > 0.9 / 12
    assert all(adding_runs[(0, s)][0].row["Val MSE"] < 1 / 12 / 2 for s in SEEDS)


@pytest.mark.slow
def test_truncated_bptt_does_not_truncate_what_the_state_carries(adding_runs, adding_task):
    """/training, help of "Truncated BPTT length": "truncate below T/2 and no gradient ever reaches it — yet the
    model still reads the whole sequence, and the weights that learn to keep the second marked number keep the
    first one too."

    Checked at: the page's defaults with BPTT 1 and 9 (the slider's corners below T/2 = 10), seeds 0–4: the model
    still solves the task (MSE < 0.05, far below the 1/12 of a model without the first number); and one update
    with BPTT k uses the inputs of the last k steps only for its gradient (the earlier ones only build the state)."""
    for b in (1, 9):
        assert all(adding_runs[(b, s)][0].row["Val MSE"] < 0.05 for s in SEEDS), b
    cfg = replace(D, bptt=9, clip="none", epochs=1)
    x, y = adding_task.data.x_train[:32].transpose(1, 0, 2), adding_task.data.y_train[:32]
    trainer = Trainer(cfg.train_config(), adding_task.data)
    model = trainer.model
    # by hand: the first 11 steps only build the state (no gradient), the last 9 carry the gradient
    h0, c0 = model.final_state(model.cell.forward(x[:11]))
    expected = model.loss_and_grads(x[11:], y, mode="many_to_one", loss="mse", h0=h0, c0=c0).grads
    taken = []
    trainer.optimizer.step = lambda params, grads: taken.append(grads)
    assert len(list(trainer._batch_steps(x, y))) == 1
    for name, g in expected.items():
        np.testing.assert_allclose(taken[0][name], g, rtol=1e-12, atol=1e-15)


@pytest.mark.slow
def test_a_cell_that_solved_the_task_reacts_at_the_markers(adding_runs, adding_task):
    """/training, gates (adding problem): "The outlined steps are the two **markers**: a cell that solved the task
    reacts there."

    Checked at: the page's defaults, seeds 0–4 (each solved the task); the held-out sequence the page shows: the
    cell state moves more at the marked steps than at any other step (the first step aside, where the state
    leaves zero whatever it reads)."""
    for s in SEEDS:
        rep, _ = adding_runs[(0, s)]
        assert rep.row["Val MSE"] < 0.05
        c = rep.gates["c"]
        move = np.abs(np.diff(np.vstack([np.zeros((1, c.shape[1])), c]), axis=0)).sum(axis=1)  # |Δc_t| per step
        _, marked = lab.gate_input("adding", rep.gate_x)
        others = np.delete(move, [0, *marked])
        assert move[marked].min() > others.max(), (s, move[marked], others.max())


# -- series tasks ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def series_runs() -> dict:
    cfgs = {(t, s): replace(D, task=t, seed=s) for t in ("stock", "stock_returns", "noisy_sine") for s in SEEDS}
    return dict(zip(cfgs, train_all(_fit, list(cfgs.values())), strict=True))


@pytest.mark.slow
def test_nothing_beats_tomorrow_equals_today_on_a_random_walk(series_runs):
    """/training, stock prices: "nothing beats “tomorrow = today” on a random walk — check the table: the best any
    model can do is tie with it."

    Checked at: k ∈ {2, 20, 100} (the window slider's ends and default) for every memoryless rival; the page's
    defaults (k = 20), seeds 0–4, for the LSTM."""
    for k in (2, 20, 100):
        base = rivals(lab.make_task("stock", k))
        persist = next(r for r in base.rows if r["model"] == lab.PERSIST_NAME)["Val MSE (scaled)"]
        for r in base.rows:
            assert r["Val MSE (scaled)"] >= (1 - lab.WIN_MARGIN) * persist, (k, r["model"])
        if k == 20:
            for s in SEEDS:
                v = lab.verdict(series_runs[("stock", s)][0].row, base, "series")
                assert v.outcome in ("ties", "loses") and v.best_name in (lab.PERSIST_NAME, lab.AR_NAME), v


def test_held_out_prices_climb_above_the_training_range():
    """/training, stock prices: "the held-out prices climb above anything seen in training"

    Checked at: the shipped series (fixed data seed) and every window (the split does not depend on k)."""
    task = lab.make_task("stock", 20)
    assert task.series[task.split.split :].max() > task.series[: task.split.split].max()


@pytest.mark.slow
def test_on_returns_nothing_beats_the_average_and_copying_is_twice_as_bad(series_runs):
    """/training, stock returns: "the best forecast of tomorrow's return is the **average return** … No model beats
    it — at best they tie with it — and copying today's return (“tomorrow = today” here) is about twice as bad"

    Checked at: k ∈ {2, 20, 100} for every rival; the page's defaults (k = 20), seeds 0–4, for the LSTM (a tie:
    within 10 %, the page's margin)."""
    for k in (2, 20, 100):
        scores = {r["model"]: r["Val MSE (scaled)"] for r in rivals(lab.make_task("stock_returns", k)).rows}
        avg = scores[lab.AVERAGE_NAME]
        assert 1.7 < scores[lab.PERSIST_NAME] / avg < 2.5, k
        assert all(v >= (1 - lab.WIN_MARGIN) * avg for v in scores.values()), scores
    base = rivals(lab.make_task("stock_returns", 20))
    for s in SEEDS:
        v = lab.verdict(series_runs[("stock_returns", s)][0].row, base, "series")
        assert v.best_name == lab.AVERAGE_NAME and v.outcome == "ties", v


def test_a_clean_sine_is_predicted_exactly_by_the_linear_baseline():
    """/training, sine: "A sine obeys an exact *linear* recurrence …, so the linear memoryless baseline is already
    perfect."

    Checked at: k ∈ {2, 3, 20, 50, 100} (the window slider's range)."""
    for k in (2, 3, 20, 50, 100):
        ar = next(r for r in lab.baselines(lab.make_task("sine", k)).rows if r["model"] == lab.AR_NAME)
        assert ar["RMSE"] < 1e-8, k


@pytest.mark.slow
def test_no_model_gets_below_the_noise(series_runs):
    """/training, noisy sine: "no model can get below the noise, and every model can only learn the wave underneath."

    Checked at: k ∈ {2, 20, 100} for every rival; the page's defaults (k = 20), seeds 0–4, for the LSTM; the floor
    is the variance of the noise actually added to the held-out targets (in standardised units), less 10 %."""
    clean, noisy = lab.tasks.sine(600, period=25.0), lab.generated_series("noisy_sine")
    for k in (2, 20, 100):
        task = lab.make_task("noisy_sine", k)
        floor = np.mean((noisy - clean)[task.split.t_val] ** 2) / task.split.scaler.std**2
        scores = [r["Val MSE (scaled)"] for r in rivals(task).rows]
        if k == 20:
            scores += [series_runs[("noisy_sine", s)][0].row["Val MSE (scaled)"] for s in SEEDS]
        assert min(scores) > 0.9 * floor, (k, min(scores), floor)


def test_sunspot_cycles_vary_and_rise_faster_than_they_fall():
    """/training, sunspots: "The ~11-year solar cycle repeats, but its height and length vary, and the rise is
    steeper than the fall"

    Checked at: the shipped data (1700–2008): cycles from minimum to minimum."""
    years, values = np.loadtxt(lab_root() / "assets" / "sunspots.csv", delimiter=",", skiprows=1).T
    mins = []
    for i in range(len(values)):
        if values[i] == values[max(0, i - 5) : i + 6].min() and (not mins or i - mins[-1] > 6):
            mins.append(i)
    peaks = [a + int(np.argmax(values[a : b + 1])) for a, b in zip(mins[:-1], mins[1:], strict=True)]
    rise = np.array(peaks) - np.array(mins[:-1])
    fall = np.array(mins[1:]) - np.array(peaks)
    lengths = np.diff(mins)
    assert 10 <= lengths.mean() <= 12 and lengths.min() < lengths.max() - 3
    assert max(values[peaks]) > 2 * min(values[peaks])
    assert rise.mean() < fall.mean()


def lab_root():
    from pathlib import Path

    return Path(lab.__file__).resolve().parents[2]


def test_an_upload_is_standardised_with_the_training_part_only():
    """/training, my own CSV: "Values are standardised with the mean and spread of the **training part only**, so
    nothing from the held-out part leaks into training."

    Checked at: a series whose held-out part is far from its training part; k ∈ {2, 20}."""
    series = np.r_[np.sin(np.arange(200) / 3), 100 + np.sin(np.arange(50) / 3)]
    for k in (2, 20):
        sp = lab.make_task("upload", k, series).split
        train = series[: sp.split]
        assert sp.scaler.mean == pytest.approx(train.mean()) and sp.scaler.std == pytest.approx(train.std())


def test_the_rivals_see_the_same_window_as_the_rnn():
    """/training, table (series): "The *linear AR* model … and the *feed-forward net* is a layer of tanh units on the
    same k values: both see exactly what the RNN sees, but have no state."

    Checked at: noisy sine, k ∈ {2, 20}: the rivals' parameter counts are those of models with k inputs."""
    for k in (2, 20):
        task = lab.make_task("noisy_sine", k)
        assert task.data.x_train.shape[1:] == (k, 1)
        rows = {r["model"]: r["params"] for r in rivals(task).rows}
        assert rows[lab.AR_NAME] == k + 1 and rows[lab.MLP_NAME] == lab.MLP_HIDDEN * (k + 2) + 1


@pytest.mark.slow
def test_the_forecast_sentence_reads_the_tables_numbers(series_runs):
    """/training, forecast: "Here this model's forecast misses by F (RMSE), more than / less than / about as much as
    its one-step predictions (E)."

    Checked at: stock prices, stock returns and the noisy sine at the page's defaults (k = 20), seeds 0–4: the
    sentence quotes the row's forecast RMSE and one-step RMSE, and its comparison matches them."""
    for t in ("stock", "stock_returns", "noisy_sine"):
        for s in SEEDS:
            rep = series_runs[(t, s)][0]
            text = sections.forecast_sentence(rep)
            fc = next(v for k, v in rep.row.items() if k.startswith("Forecast RMSE"))
            assert sections.short(fc) in text and sections.short(rep.row["RMSE"]) in text
            word = "more than" if fc > 1.1 * rep.row["RMSE"] else "less than" if fc < 0.9 * rep.row["RMSE"] else "about"
            assert word in text


# -- adding and copy: the memoryless rows ----------------------------------------------------------------------
def test_the_linear_model_cannot_add_the_marked_numbers_except_where_the_page_says():
    """/training, table (adding): "Here the linear model scores …, no better than always answering the average" /
    "with only T = … steps the markers have few places to be, and a weighted sum of every input gets part of the
    way" / "with T = 2 both markers always sit on the same two steps, so adding every input is the answer."

    Checked at: T ∈ {2, 3, 5, 10, 11, 20, 50, 100}: whichever sentence the page writes matches the scores."""
    for T in (2, 3, 5, 10, 11, 20, 50, 100):
        base = lab.baselines(lab.make_task("adding", T))
        text = sections.linear_sentence(base, T)
        lin = next(r["Val MSE"] for r in base.rows if r["model"] == lab.LINEAR_NAME)
        mean = next(r["Val MSE"] for r in base.rows if r["model"] == lab.MEAN_NAME)
        if "no better than" in text:
            assert lin >= 0.9 * mean
        elif T == 2:
            assert lin < 1e-20
        else:
            assert lin < 0.9 * mean and "part of the way" in text


def test_without_looking_back_far_enough_copy_is_a_guess():
    """/training, copy task: "Each symbol is written T + 5 steps after it was read, so a model that looks back fewer
    steps — a feed-forward network on a shorter window, or any model without memory — can only guess one of 8
    symbols (12.5 % right)."

    Checked at: T ∈ {2, 10, 50, 100} (the delay slider): each target is the symbol read exactly T + 5 steps earlier,
    the symbols that the last T + 5 inputs still show carry no information about it, symbols are uniform, and the
    table's row is that guess."""
    for T in (2, 10, 50, 100):
        task = lab.make_task("copy", T)
        codes, y = task.data.x_train.argmax(axis=-1), task.data.y_train
        reach = lab.copy_reach(T)
        recall = np.arange(lab.COPY_LENGTH + T, 2 * lab.COPY_LENGTH + T)
        np.testing.assert_array_equal(y[:, recall], codes[:, recall - reach])  # read exactly T + 5 steps earlier
        # within the last T + 5 steps only the *other* symbols can be seen, and they say nothing about this one:
        # the best guess of symbol 0 from symbol 1 (the most informative mapping) is right about 1/8 of the time
        pairs = np.bincount(codes[:, 0] * 16 + codes[:, 1], minlength=16 * 16).reshape(16, 16)
        assert pairs.max(axis=0).sum() / len(codes) < 1 / 8 + 0.05
        share = np.bincount(codes[:, : lab.COPY_LENGTH].ravel(), minlength=lab.COPY_SYMBOLS + 1)[1:] / codes[:, :5].size
        assert np.allclose(share, 1 / 8, atol=0.02)
        (row,) = lab.baselines(task).rows
        assert row["Recall accuracy"] == 1 / 8


def test_blanks_are_easy_only_recall_needs_memory():
    """/training, copy task: "Only the steps after ▶ need memory; the blanks before are easy."

    Checked at: the copy task's defaults (T = 10) after one epoch of the page's LSTM, seeds 0–4: every blank target
    before ▶ is already right."""
    task = lab.make_task("copy", 10)
    cfgs = [lab.LabConfig(task="copy", window=10, epochs=1, seed=s) for s in SEEDS]
    for rep, _ in train_all(_fit, cfgs):
        model_blank = rep.predicted[:, : lab.COPY_LENGTH + 10]
        assert (model_blank == 0).all() and (rep.target[:, : lab.COPY_LENGTH + 10] == 0).all()
    assert task.data.y_val[:, : lab.COPY_LENGTH + 10].max() == 0


# -- gradients and clipping ------------------------------------------------------------------------------------
def test_norm_clipping_keeps_the_direction_value_clipping_can_turn_it():
    """/training, gradient norms: "Clipping **by norm** shrinks long gradients to length τ and keeps their
    direction"; "Clipping **by value** clamps every entry separately, which can turn the gradient"; help of "Clip
    threshold": "By value: every gradient entry is clamped to ±threshold. By norm: the whole gradient is shrunk to
    length threshold when it is longer."

    Checked at: every clip threshold the page offers, 20 random gradients each (seeded)."""
    rng = np.random.default_rng(0)
    turned = False
    for tau in SETTINGS["clip_threshold"].options:
        for _ in range(20):
            g = {"a": rng.standard_normal((4, 3)) * 10 ** rng.uniform(-3, 3), "b": rng.standard_normal(5)}
            flat = np.concatenate([v.ravel() for v in g.values()])
            n = clip_by_norm(g, tau)
            out = np.concatenate([v.ravel() for v in n.grads.values()])
            norm = np.linalg.norm(flat)
            assert np.linalg.norm(out) == pytest.approx(min(norm, tau))
            assert out @ flat == pytest.approx(np.linalg.norm(out) * norm)  # same direction
            v = np.concatenate([x.ravel() for x in clip_by_value(g, tau).grads.values()])
            assert np.abs(v).max() <= tau and np.allclose(v, np.clip(flat, -tau, tau))
            turned |= v @ flat < (1 - 1e-9) * np.linalg.norm(v) * norm
    assert turned


def test_a_large_learning_rate_without_clipping_spikes_and_clipping_caps_the_steps():
    """/training, gradient norms (no clipping): "Try learning rate 0.3 with an RNN and watch the spikes (steps ten
    times longer than the typical one) — then turn clipping on."

    Checked at: the default task with an RNN and lr 0.3, seeds 0–4: without clipping (the page's 20 epochs) the
    longest step is at least ten times the median step, or the run overflows; with clipping by norm at the page's
    default (two epochs) no step taken is longer than the threshold."""
    cfgs = [replace(D, cell="rnn", lr=0.3, clip="none", seed=s) for s in SEEDS]
    cfgs += [replace(D, cell="rnn", lr=0.3, epochs=2, seed=s) for s in SEEDS]
    for cfg, (_, res) in zip(cfgs, train_all(_fit, cfgs), strict=True):
        g = res.grad_norm_before
        if cfg.clip == "none":
            assert not np.isfinite(g).all() or g.max() >= 10 * np.median(g), cfg.seed
        else:
            assert (res.grad_norm_after <= cfg.clip_threshold * (1 + 1e-9)).all()


# -- training itself -------------------------------------------------------------------------------------------
def test_same_settings_and_seed_give_the_same_model():
    """/training, under the Train button: "Same settings and seed → the same model, every time."; help of "Seed":
    "Fixes the initial weights and the batch order: the same seed trains the same model."

    Checked at: every cell, the default task, seeds 0 and 1, the first 20 steps (trained twice each; a worker
    process trains the same model as in place: tests/lessons/kit/test_jobs.py)."""
    task = lab.make_task(D.task, D.window)
    for cell in ("rnn", "lstm", "gru"):
        assert_the_seed_decides_the_model(lambda seed, c=cell: replace(D, cell=c, seed=seed).train_config(),
                                          task.data, steps=20)


def test_an_epoch_is_one_pass_over_every_training_window():
    """/training, help of "Epochs": "One epoch = one pass over every training window."; help of the window slider:
    "For a series: the model reads the last k values and predicts the next one. For the adding and copy tasks: how
    long the model must remember."

    Checked at: stock (k = 20), the adding problem (T = 20), the copy task (T = 10): batches per epoch cover every
    training sample exactly once; series windows are k values with the next value as target; the copy task's
    symbols are recalled T + 5 steps after they were read (see the copy claim) and the adding sequences are T long."""
    for name, w in (("stock", 20), ("adding", 20), ("copy", 10)):
        task = lab.make_task(name, w)
        cfg = replace(D, task=name, window=w, epochs=1, hidden_size=2)  # the size does not change the batches
        trainer = Trainer(cfg.train_config(), task.data)
        seen = []
        real = trainer.model.loss_and_grads

        def spy(x, y, _real=real, _seen=seen, **kw):
            _seen.append(x.shape[1])
            return _real(x, y, **kw)

        trainer.model.loss_and_grads = spy
        for _ in trainer.run():
            pass
        assert sum(seen) == len(task.data.x_train) and len(seen) == batches_per_epoch(cfg.train_config(),
                                                                                       len(task.data.x_train))
    stock = lab.make_task("stock", 20)
    z = stock.split.scaled
    np.testing.assert_array_equal(stock.data.x_train[5, :, 0], z[5:25])
    assert stock.data.y_train[5, 0] == z[25]
    assert lab.make_task("adding", 20).data.x_train.shape[1] == 20


def test_the_loss_charts_dashed_line_is_the_best_memoryless_model():
    """/training, loss curves: "the dashed line is the best memoryless baseline."

    Checked at: the default task's rivals; the line is drawn at the lowest validation loss of the table."""
    from lessons.kit.curves import loss_curves

    base = rivals(lab.make_task(D.task, D.window))
    name, best = lab.best_baseline(base, "adding")
    assert best == min(r["Val MSE"] for r in base.rows)
    fig = loss_curves(np.array([0.5, 0.2]), np.array([0.5, 0.3]), np.array([0, 2]), np.array([0.4, 0.2]),
                      baseline=best, baseline_name=name)
    assert fig.layout.shapes[0].y0 == pytest.approx(best) and fig.layout.shapes[0].line.dash == "dash"


def test_the_gru_keeps_its_state_where_z_is_one_and_takes_the_candidate_where_z_is_zero():
    """/training, gates (GRU): "z ≈ 1 keeps the old state, z ≈ 0 takes the new candidate n; r decides how much of the
    old state the candidate may look at."

    Checked at: a GRU of the engine (H = 3) on a random sequence: h_t = (1 − z)·n + z·h_{t−1} at every step."""
    from rnn_core import GRU

    cell = GRU(2, 3, seed=0)
    trace = cell.forward(np.random.default_rng(1).standard_normal((6, 1, 2)))
    h_prev = np.vstack([np.zeros((1, 1, 3)), trace.h[:-1]])
    z, n = trace.gates["z"], trace.gates["n"]
    np.testing.assert_allclose(trace.h, (1 - z) * n + z * h_prev, atol=1e-12)


def test_the_verdict_and_the_scatter_sentence_are_the_numbers_in_words():
    """/training, results: "**Memory wins here.** … N× lower than the best memoryless model" / "**A tie.** …, within
    10 % of the best memoryless model …: here memory adds nothing a window could not see." / "**No win for memory
    here.** …; the best memoryless model, …, does better."; adding: "Here this model's dots miss the true sum by E on
    average; the closest memoryless one, …, by F."

    Checked at: losses from 0.001 to 10 times the best rival's (every outcome and the margins), and the default
    task's rivals with a prediction 0.05 off every true sum."""
    base = lab.Baselines(({"model": "a", "Val MSE": 0.1}, {"model": "b", "Val MSE": 0.2}))
    for loss in (1e-4, 0.05, 0.0899, 0.0901, 0.1, 0.1099, 0.1101, 1.0):
        v = lab.verdict({"Val MSE": loss}, base, "adding")
        text = sections.verdict_sentence(v, "LSTM H=32")
        expected = ("**Memory wins here.**" if loss <= 0.09 else "**A tie.**" if loss <= 0.11 else
                    "**No win for memory here.**")
        assert text.startswith(expected) and sections.short(loss) in text and "a (0.1)" in text
    task = lab.make_task(D.task, D.window)
    base = rivals(task)
    truth = task.data.y_val[: lab.MAX_SHOWN, 0]
    rep = type("R", (), {"truth_val": truth, "pred_val": truth + 0.05})()
    preds = {sections.MODEL_NAME: rep.pred_val, **{k: v[: len(truth)] for k, v in base.pred_val.items()}}
    text = sections.spread_sentence(rep, preds)
    errs = {k: np.mean(np.abs(v[: len(truth)] - truth)) for k, v in base.pred_val.items()}
    best = min(errs, key=errs.get)
    assert "by 0.05 on average" in text and f"{best}, by {sections.short(errs[best])}" in text


# -- "Try this" ----------------------------------------------------------------------------------------------------
# Each link's promise and the claims test that trains exactly the link's settings (seeds 0–4, the link's seed among
# them): the configs below are the ones those tests train.
TRY_BACKED_BY = {
    "Truncated gradient": ("test_truncated_bptt_does_not_truncate_what_the_state_carries",
                           {replace(D, bptt=9, seed=s) for s in SEEDS}),
    "Random walk": ("test_nothing_beats_tomorrow_equals_today_on_a_random_walk",
                    {replace(D, task="stock", seed=s) for s in SEEDS}),
    "Spiky gradients": ("test_a_large_learning_rate_without_clipping_spikes_and_clipping_caps_the_steps",
                        {replace(D, cell="rnn", lr=0.3, clip="none", seed=s) for s in SEEDS}),
}


@pytest.mark.parametrize("tip", TRIES, ids=lambda t: t.label)
def test_every_try_this_link_opens_settings_its_claim_trains(tip):
    """/training "Try this": "Adding problem, BPTT 9 of T = 20: no gradient reaches the first marked number, yet the
    trained model still adds it (MSE below 0.05)"; "Stock prices: nothing beats “tomorrow = today” — at best a tie";
    "RNN, learning rate 0.3, no clipping: gradient steps ten times the typical one, or an overflow — then turn clipping
    on".

    Checked at: each link's exact settings as the page reads them back from the link (window and epochs: the task's
    own, which a link leaves at the page's defaults), trained by the slow claims named in TRY_BACKED_BY, seeds 0–4."""
    claim, trained = TRY_BACKED_BY[tip.label]
    assert callable(globals()[claim])
    values = defaults(SETTINGS)
    for name, raw in tip.query(SETTINGS).items():
        setting = next(s for s in SETTINGS.values() if s.key == name)
        values[next(n for n, s in SETTINGS.items() if s is setting)] = setting.from_link(raw)
    cfg = config(values)
    assert cfg in trained, cfg
    assert all(values[n] != SETTINGS[n].default for n in tip.values)  # a default would not stay in the address
    assert cfg.window == lab.DEFAULT_WINDOW[cfg.task] and cfg.epochs == lab.DEFAULT_EPOCHS[cfg.task]
    if tip.label == "Truncated gradient":
        assert 0 < cfg.bptt < lab.adding_half(cfg.window)  # "no gradient reaches the first marked number"
