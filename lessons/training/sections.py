"""The training lab's sections that depend on the kind of task: the task itself (1) and the results (3).

What differs between series, adding and copy tasks is one row of ``VIEWS`` (the overview chart, the sizes
sentence, "Is memory worth it?", the prediction charts, the loss names, the gate plot's input label), looked
up by ``task.kind`` instead of branched on. Streamlit; called by lessons/training/page.py, which owns the
controls, the training loop and the stored runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from lessons.kit.curves import loss_curves
from lessons.kit.layout import beside, csv_download, plot
from lessons.kit.numbers import short
from lessons.training import figures as figs
from lessons.training import recipe

MODEL_NAME = "this model"  # the trained model's name in the prediction charts' legends


@dataclass(frozen=True)
class Source:
    """Where a task's values come from and how its axes are labelled.

    series: the values for "sunspots"/"upload" (None: the recipe generates them, or the task has no series).
    x: (N,) x positions such as years (None: 0..N-1). data_id: names the series in the run's config.
    """

    series: np.ndarray | None = None
    x: np.ndarray | None = None
    x_title: str = "time step"
    y_title: str = "value"
    data_id: str = ""

    def positions(self, n: int):
        return self.x if self.x is not None else list(range(n))


# -- 1 · the task --------------------------------------------------------------------------------------------
TASK_TEXT = {
    "stock": "A made-up stock: each day the price moves by a random percentage (a *geometric random walk*). "
             "The model reads the last **k** closing prices and predicts tomorrow's. The moves are random by "
             "construction, so the past says nothing about the next move, and **nothing beats “tomorrow = today”** "
             "on a random walk — check the table: the best any model can do is tie with it. A good lesson in "
             "itself: memory only helps when the past carries information about the future. Notice too that the "
             "held-out prices climb above anything seen in training: tanh units cannot extrapolate, one reason "
             "forecasters model daily *returns* instead (the next task).",
    "stock_returns": "The same made-up stock as **daily returns**: each value is the day's price change in percent, "
                     "100·(S_t / S_t−1 − 1). This is how forecasters look at prices: returns stay in the same range "
                     "whatever the price level. On a random walk they are independent draws, so the best forecast of "
                     "tomorrow's return is the **average return** (about 0 — which is “tomorrow = today” for the "
                     "price). No model beats it — at best they tie with it — and copying today's return "
                     "(“tomorrow = today” here) is about twice as bad: yesterday's move tells nothing about "
                     "today's.",
    "sine": "A clean sine wave with a period of 25 steps. A sine obeys an exact *linear* recurrence "
            "($x_{t+1} = 2\\cos\\omega\\, x_t - x_{t-1}$), so the linear memoryless baseline is already perfect. "
            "Can the RNN get close?",
    "noisy_sine": "The same sine with noise added. Now there is an unpredictable part: no model can get below "
                  "the noise, and every model can only learn the wave underneath.",
    "sunspots": "Yearly mean sunspot numbers since 1700 (public domain, NOAA). The ~11-year solar cycle repeats, but "
                "its height and length vary, and the rise is steeper than the fall — something a *linear* "
                "autoregression cannot describe exactly.",
    "upload": "Your own series. Values are standardised with the mean and spread of the **training part only**, "
              "so nothing from the held-out part leaks into training.",
    "adding": "Each sequence holds random numbers and two markers. The target is the **sum of the two marked "
              "numbers** — one marker in the first half, so the model must remember a value for many steps and "
              "ignore everything in between. Predicting the average sum gives MSE ≈ 0.167; solving it means "
              "getting far below that (say 0.05).\n\n"
              "**Truncation, the course's point:** a feed-forward network must be given a window of fixed size. "
              "Cut the sequence to its second half and the first marked number is simply not there — whatever "
              "the network learns, it cannot get below MSE 1/12 ≈ 0.083. Given all T steps at once, it has to "
              "learn the addition separately at every position. The recurrent network reads one step at a time "
              "with the same weights and keeps the first number in its state.",
    "copy": "The model sees 5 symbols, then blanks, then a ▶ signal: it must **repeat the 5 symbols** after the "
            "signal. Each symbol is written T + 5 steps after it was read, so a model that looks back fewer steps "
            "— a feed-forward network on a shorter window, or any model without memory — can only guess one of 8 "
            "symbols (12.5 % right).",
}


def task_section(t: recipe.Task, source: Source) -> None:
    """The task's data beside what it is and how much of it there is."""
    view = VIEWS[t.kind]
    visual, text = beside()
    with visual:
        view.overview(t, source)
    with text:
        st.markdown(TASK_TEXT[t.task])
        st.markdown(view.sizes(t))


def _series_overview(t: recipe.Task, source: Source) -> None:
    plot(figs.series_overview(source.positions(len(t.series)), t.series, t.split.split, x_title=source.x_title,
                              y_title=source.y_title,
                              title=f"{len(t.series):,} values: the last {100 * recipe.VAL_FRACTION:.0f} % "
                                    f"are held out"),
         key="training_overview", alt="The series with its training and held-out parts shaded")


def _adding_overview(t: recipe.Task, source: Source) -> None:
    plot(figs.adding_example(t.data.x_val[0], float(t.data.y_val[0, 0])), key="training_overview",
         alt="One adding-problem sequence with its two marked values")


def _copy_overview(t: recipe.Task, source: Source) -> None:
    plot(figs.copy_example(t.codes_val[:3], t.data.y_val[:3], recipe.COPY_SYMBOLS,
                           title="Three copy-task sequences: input and target"),
         key="training_overview", alt="Copy-task sequences")


def _window_sizes(t: recipe.Task) -> str:
    return (f"**{len(t.data.x_train):,}** training windows and **{len(t.data.x_val):,}** held-out "
            f"windows of k = {t.window} values, split in time (never shuffled across the cut).")


def _sequence_sizes(t: recipe.Task) -> str:
    return (f"**{len(t.data.x_train):,}** training and **{len(t.data.x_val):,}** held-out sequences "
            f"of {t.steps} steps.")


# -- 3 · results ---------------------------------------------------------------------------------------------
def metrics_table(cfg: recipe.LabConfig, base: recipe.Baselines, runs: dict) -> pd.DataFrame:
    """Baselines first, then every run in this session on the same data (the current one marked ▶)."""
    rows = [{"": "memoryless", **r} for r in base.rows]
    for c, rep in runs.items():
        if c.data_key == cfg.data_key:
            tag = "▶ this run" if c == cfg else "earlier run"
            rows.append({"": tag + (" (stopped)" if rep.stopped else ""), **rep.row})
    return pd.DataFrame(rows).rename(columns={"model": "model / baseline"})


def show_table(table: pd.DataFrame) -> None:
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.4g") for c in table.columns
                                if c not in ("", "model / baseline", "settings", "params")})


def results_section(cfg: recipe.LabConfig, task: recipe.Task, base: recipe.Baselines, rep: recipe.Report,
                    source: Source, runs: dict) -> None:
    st.subheader("3 · Results on the held-out data", anchor=False)
    _status(rep)
    _metrics(cfg, task, base, rep, runs)
    if not rep.gates:
        return  # a diverged model has nothing sensible to draw
    VIEWS[task.kind].predictions(cfg, task, base, rep, source)
    _loss_section(task, base, rep)
    _gradient_section(cfg, rep)
    _gates_section(cfg, task, rep)


def _status(rep: recipe.Report) -> None:
    done = f"{rep.steps:,} of {rep.total_steps:,} steps in {rep.elapsed:.1f} s ({rep.steps_per_second:,.0f} steps/s)"
    if rep.diverged_step is not None:
        st.error(f"Training diverged at step {rep.diverged_step}: the loss or the gradient overflowed to inf/NaN, "
                 f"so that update was skipped and training ended. Try a smaller learning rate or clip the "
                 f"gradient. ({done})", icon=":material/warning:")
    elif rep.stopped:
        st.warning(f"Stopped early: {done}. The results below are for the model as it was when you stopped.",
                   icon=":material/stop_circle:")
    else:
        st.success(f"Trained **{rep.label}** — {done}.", icon=":material/check_circle:")


def verdict_sentence(v: recipe.Verdict | None, label: str) -> str:
    """What the table answers for this run, in words, from the numbers (recipe.verdict)."""
    if v is None:
        return ""
    model, best = f"{label} scores **{short(v.loss)}** on the held-out data", f"{v.best_name} ({short(v.best_loss)})"
    if v.outcome == "wins":
        times = f"{v.ratio:,.0f}×" if v.ratio >= 10 else f"{v.ratio:.1f}×"
        return (f"**Memory wins here.** {model}, {times} lower than the best memoryless model, {best}"
                + ("." if v.rivals > 1 else " — the only one."))
    if v.outcome == "ties":
        return (f"**A tie.** {model}, within {100 * recipe.WIN_MARGIN:.0f} % of the best memoryless model, {best}: "
                f"here memory adds nothing a window could not see.")
    return f"**No win for memory here.** {model}; the best memoryless model, {best}, does better."


def _metrics(cfg: recipe.LabConfig, task: recipe.Task, base: recipe.Baselines, rep: recipe.Report,
             runs: dict) -> None:
    """The comparison table, its downloads and the weights, and what the table answers."""
    table = metrics_table(cfg, base, runs)
    show_table(table)
    d1, d2, text = st.columns([1, 1, 3], vertical_alignment="top")
    with d1:
        csv_download(table, file_name=f"unrolled_metrics_{cfg.task}.csv", key="training_dl_metrics",
                     label="Metrics (CSV)")
    d2.download_button("Weights (.npz)", recipe.weights_npz(rep.weights),
                       file_name=f"unrolled_{cfg.cell}_{cfg.task}.npz", mime="application/octet-stream",
                       key="training_dl_weights", icon=":material/download:", on_click="ignore",
                       help="The trained parameters under PyTorch's names: rnn.weight_ih_l0, rnn.weight_hh_l0, "
                            "rnn.bias_ih_l0, rnn.bias_hh_l0, head.weight, head.bias — they load into a module with "
                            "self.rnn = nn.LSTM(...) (or RNN/GRU) and self.head = nn.Linear(...).")
    with text:
        st.markdown(verdict_sentence(recipe.verdict(rep.row, base, task.kind), rep.label))
        st.markdown(VIEWS[task.kind].memory + (" " + linear_sentence(base, task.window) if task.kind == "adding"
                                                else ""))


def _series_predictions(cfg: recipe.LabConfig, task: recipe.Task, base: recipe.Baselines, rep: recipe.Report,
                        source: Source) -> None:
    """One step ahead on the true past, then many steps ahead on the model's own predictions."""
    xs = np.asarray(source.positions(len(task.series)))
    best = recipe.best_baseline(base, "series")[0] if base.rows else None
    # The flat training average only squeezes the charts, unless it is the rival to beat (returns)
    drawn = [k for k in base.pred_val if k != recipe.AVERAGE_NAME or k == best]
    preds = {MODEL_NAME: rep.pred_val, **{k: base.pred_val[k] for k in drawn}}
    visual, text = beside()
    with visual:
        plot(figs.predictions_vs_truth(xs, task.series, rep.t_val, rep.truth_val, preds, model_name=MODEL_NAME,
                                       x_title=source.x_title, y_title=source.y_title,
                                       title="One step ahead: every prediction starts from the true past"),
             key="training_pred", alt="Predictions against the truth on held-out data")
        frame = pd.DataFrame({source.x_title: xs[rep.t_val], "truth": rep.truth_val, **preds})
        csv_download(frame, file_name=f"unrolled_predictions_{cfg.task}.csv", key="training_dl_pred")
    with text:
        st.markdown("**Prediction vs truth.** For every held-out day the model gets the *real* last k values "
                    "and predicts the next one. Lines that hug the grey truth are good; a line that lags one "
                    "step behind the truth is just copying the last value.")
    visual, text = beside()
    with visual:
        fc = {MODEL_NAME: rep.forecast, **{k: base.forecast[k] for k in drawn}}
        plot(figs.forecast_figure(xs, task.series, task.split.split, xs[rep.forecast_t], fc,
                                  model_name=MODEL_NAME, x_title=source.x_title, y_title=source.y_title,
                                  title=f"{len(rep.forecast)} steps ahead on its own predictions"),
             key="training_forecast", alt="Multi-step forecast")
    with text:
        st.markdown("**A multi-step forecast** feeds each prediction back in as if it were data: the window "
                    "slides over the model's own guesses, so its errors can compound. " + forecast_sentence(rep))


def forecast_sentence(rep: recipe.Report) -> str:
    """This model's forecast error against its one-step error, from the table's numbers."""
    fc = next((v for k, v in rep.row.items() if k.startswith("Forecast RMSE")), float("nan"))
    one = rep.row.get("RMSE", float("nan"))
    if not (np.isfinite(fc) and np.isfinite(one)) or one <= 0:
        return ""
    how = "more than" if fc > 1.1 * one else "less than" if fc < 0.9 * one else "about as much as"
    return (f"Here this model's forecast misses by {short(fc)} (RMSE), {how} its one-step predictions "
            f"({short(one)}).")


def linear_sentence(base: recipe.Baselines, T: int) -> str:
    """Whether the linear model could add the marked numbers here, from its score against the average's."""
    scores = {r["model"]: r["Val MSE"] for r in base.rows}
    lin, mean = scores.get(recipe.LINEAR_NAME), scores.get(recipe.MEAN_NAME)
    if lin is None or mean is None:
        return ""
    if lin >= (1 - recipe.WIN_MARGIN) * mean:
        return (f"Here the linear model scores {short(lin)}, no better than always answering the average "
                f"({short(mean)}).")
    if T == 2:
        return (f"Here the linear model scores {short(lin)}: with T = 2 both markers always sit on the same two "
                f"steps, so adding every input is the answer.")
    return (f"Here the linear model scores {short(lin)} against the average's {short(mean)}: with only T = {T} "
            f"steps the markers have few places to be, and a weighted sum of every input gets part of the way.")


def spread_sentence(rep: recipe.Report, preds: dict) -> str:
    """How far each rival's dots stray from the diagonal, from the numbers: the mean distance |error|."""
    errs = {name: float(np.mean(np.abs(p - rep.truth_val))) for name, p in preds.items() if name != MODEL_NAME}
    mine = float(np.mean(np.abs(rep.pred_val - rep.truth_val)))
    if not errs or not np.isfinite(mine):
        return ""
    best = min(errs, key=errs.get)
    return (f"Here this model's dots miss the true sum by {short(mine)} on average; the closest memoryless one, "
            f"{best}, by {short(errs[best])}.")


def _adding_predictions(cfg: recipe.LabConfig, task: recipe.Task, base: recipe.Baselines, rep: recipe.Report,
                        source: Source) -> None:
    visual, text = beside()
    with visual:
        preds = {MODEL_NAME: rep.pred_val, **{k: v[: len(rep.truth_val)] for k, v in base.pred_val.items()}}
        plot(figs.adding_scatter(rep.truth_val, preds, model_name=MODEL_NAME,
                                 title="Predicted vs true sum on held-out sequences"),
             key="training_pred", alt="Predicted against true sums")
        csv_download(pd.DataFrame({"true sum": rep.truth_val, **preds}), file_name="unrolled_adding.csv",
                     key="training_dl_pred")
    with text:
        st.markdown("**Prediction vs truth.** A model that solved the task puts its dots on the diagonal. "
                    + spread_sentence(rep, preds))
        st.info("The adding problem has no time axis to forecast along, so there is no multi-step forecast here; "
                "pick a series task to see one.", icon=":material/info:")


def _copy_predictions(cfg: recipe.LabConfig, task: recipe.Task, base: recipe.Baselines, rep: recipe.Report,
                      source: Source) -> None:
    visual, text = beside()
    with visual:
        plot(figs.copy_example(rep.codes, rep.target, recipe.COPY_SYMBOLS, rep.predicted,
                               title="Held-out sequences: what the model wrote after ▶"),
             key="training_pred", alt="Copy-task predictions")
        frame = pd.DataFrame({"sequence": [i + 1 for i in range(len(rep.target)) for _ in rep.target[i]],
                              "t": [t for row in rep.target for t in range(len(row))],
                              "input": rep.codes.ravel(), "target": rep.target.ravel(),
                              "predicted": rep.predicted.ravel()})
        csv_download(frame, file_name="unrolled_copy.csv", key="training_dl_pred")
    with text:
        st.markdown("**Prediction vs truth.** Green cells: the model wrote the right symbol; red: a wrong one. "
                    "Only the steps after ▶ need memory; the blanks before are easy.")
        st.info("The copy task has no time axis to forecast along, so there is no multi-step forecast here.",
                icon=":material/info:")


def _loss_section(task: recipe.Task, base: recipe.Baselines, rep: recipe.Report) -> None:
    best_name, best_loss = recipe.best_baseline(base, task.kind)
    visual, text = beside()
    with visual:
        plot(loss_curves(rep.step_loss, rep.smooth_loss, rep.val_steps, rep.val_loss,
                         loss_name=VIEWS[task.kind].loss_name, baseline=best_loss, baseline_name=best_name,
                         title="Training and validation loss"),
             key="training_loss", alt="Training and validation loss curves")
    with text:
        st.markdown("**Loss curves.** The faint line is the loss of each mini-batch (noisy: every batch is "
                    "different), the dark line its moving average, orange the loss on held-out data at the end of "
                    "each epoch. Validation rising while training keeps falling means **overfitting**; the dashed "
                    "line is the best memoryless baseline.")


# How each clipping mode acts on the gradient g (a formula, or None) and what it does.
CLIP_TEXT = {
    "norm": (r"g \leftarrow g\cdot\min\!\left(1, \frac{\tau}{\lVert g\rVert}\right)",
             "Clipping **by norm** shrinks long gradients to length τ and keeps their direction; "
             "each × marks a step where it acted."),
    "value": (r"g_j \leftarrow \max(-\tau, \min(\tau, g_j))",
              "Clipping **by value** clamps every entry separately, which can turn the gradient; "
              "each × marks a step where it acted."),
    "none": (None, "No clipping: every step uses the raw gradient. Try learning rate 0.3 with an RNN and watch "
                   "the spikes (steps ten times longer than the typical one) — then turn clipping on."),
}


def _gradient_section(cfg: recipe.LabConfig, rep: recipe.Report) -> None:
    visual, text = beside()
    with visual:
        plot(figs.grad_norm_history(rep.grad_before, rep.grad_after, rep.clipped, clip=cfg.clip,
                                    threshold=cfg.clip_threshold),
             key="training_grads", alt="Gradient norm per optimizer step")
    with text:
        st.markdown("**Gradient norms.** The length of the whole gradient at every step, on a log scale. Spikes "
                    "are the exploding gradients of the earlier lessons.")
        formula, words = CLIP_TEXT[cfg.clip]
        if formula:
            st.latex(formula)
        st.markdown(words)


# What the gate heatmaps of each trained cell show.
CELL_TEXT = {
    "lstm": "**Gates of the trained LSTM.** Time runs left to right, one row per hidden unit. "
            "Bright forget-gate rows (f ≈ 1) are units that keep their belt value; input-gate flashes "
            "are moments the cell decided to write.",
    "gru": "**Gates of the trained GRU.** z ≈ 1 keeps the old state, z ≈ 0 takes the new candidate n; "
           "r decides how much of the old state the candidate may look at.",
    "rnn": "**Hidden state of the trained RNN.** A plain RNN has no gates: this is all its memory, "
           "rewritten completely at every step.",
}


def _gates_section(cfg: recipe.LabConfig, task: recipe.Task, rep: recipe.Report) -> None:
    view = VIEWS[task.kind]
    visual, text = beside()
    with visual:
        x_in, markers = recipe.gate_input(task.kind, rep.gate_x)
        plot(figs.gate_heatmaps(rep.gates, x_in, kind=cfg.cell, markers=markers, x_label=view.gate_label,
                                title="Inside the trained cell on one held-out sequence"),
             key="training_gates", alt="Gate activations of the trained cell")
    with text:
        st.markdown(CELL_TEXT[cfg.cell])
        if view.gate_note:
            st.markdown(view.gate_note)


# -- the three kinds of task, side by side -------------------------------------------------------------------
@dataclass(frozen=True)
class KindView:
    """How the page shows one kind of task (``VIEWS[task.kind]``).

    overview(task, source): the task's chart in section 1; sizes(task): how much data there is.
    memory: how to read the metrics table (beside it, under the verdict). predictions(cfg, task, base, report,
    source): the charts of what the trained model predicts. loss_name: the results' loss axis; live_loss_name: the live
    chart's while training. gate_label: the gate plot's input line; gate_note: more text beside it, if any.
    """

    overview: Callable[[recipe.Task, Source], None]
    sizes: Callable[[recipe.Task], str]
    memory: str
    predictions: Callable[[recipe.LabConfig, recipe.Task, recipe.Baselines, recipe.Report, Source], None]
    loss_name: str
    live_loss_name: str
    gate_label: str
    gate_note: str | None = None


VIEWS = {
    "series": KindView(
        _series_overview, _window_sizes,
        "**How to read the table.** Every row is scored on the same held-out windows. *Tomorrow = today* copies "
        "the last value; *the training average* ignores time altogether. The *linear AR* model predicts "
        "$\\hat x_{t+1} = w_1 x_t + \\dots + w_k x_{t-k+1} + b$ and the *feed-forward net* is a layer of tanh "
        "units on the same k values: both see exactly what the RNN sees, but have no state. RMSE and MAE are in "
        "the series' own units; the forecast column scores the multi-step forecast further down.",
        _series_predictions, loss_name="MSE, standardised", live_loss_name="MSE", gate_label="x<sub>t</sub> (std.)"),
    "adding": KindView(
        _adding_overview, _sequence_sizes,
        "**How to read the table.** The linear model sees every input at once, but adding the two *marked* "
        "numbers needs multiplying value by marker. The feed-forward nets can multiply, but one sees only the "
        "second half of the sequence (the first marked number is cut off) and the other must learn the sum "
        "separately for every pair of positions.",
        _adding_predictions, loss_name="MSE", live_loss_name="MSE", gate_label="value",
        gate_note="The outlined steps are the two **markers**: a cell that solved the task reacts there."),
    "copy": KindView(
        _copy_overview, _sequence_sizes,
        "**How to read the table.** The loss is the mean cross-entropy over all steps (blanks "
        "included); recall accuracy counts the 5 symbols after the ▶ signal. The memoryless row is exact, not "
        "fitted: the best any model can do that looks back fewer than T + 5 steps.",
        _copy_predictions, loss_name="cross-entropy", live_loss_name="cross-entropy", gate_label="symbol"),
}
