"""Lesson: the training lab. Pick a task and a model, train it live in the browser, and see whether memory beats
a memoryless model on the same held-out data.

Widgets -> frozen LabConfig -> cached rnn_core.demos.training_lab task/baselines -> a Trainer stepped here
(progress bar, live loss chart, Stop) -> Report kept in st.session_state keyed by the config ->
views.figures.training.

How Stop works: clicking any widget while the script runs makes Streamlit interrupt this script at its next
``st.*`` call and start a new run. The trainer of the interrupted run is parked in session_state before the
loop starts, so the new run finds it, takes a snapshot of what it had learned so far and files it as a
stopped run. The Stop button is just a widget to click.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core.demos import training_lab as lab
from rnn_core.training import Trainer
from views.data.upload import UploadError, default_column, load_series, read_table, series_from_column
from views.figures import training as figs
from views.lessons.common import beside, csv_download, lesson_header, live_updates, plot, user_errors

ROOT = Path(__file__).resolve().parents[2]
SUNSPOTS = ROOT / "assets" / "sunspots.csv"
# Short labels: a bound selectbox writes the label into the URL (e.g. ?training_task=Adding+problem).
TASK_LABELS = {
    "stock": "Stock prices (synthetic)",
    "sine": "Sine wave",
    "noisy_sine": "Noisy sine wave",
    "sunspots": "Sunspots 1700–2008 (real data)",
    "upload": "My own CSV file",
    "adding": "Adding problem (long memory)",
    "copy": "Copy task (long memory)",
}
DEFAULT_EPOCHS = {"stock": 20, "sine": 20, "noisy_sine": 20, "sunspots": 60, "upload": 20, "adding": 10, "copy": 40}
LR_CHOICES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
CLIP_CHOICES = (0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0)
CLIP_LABELS = {"none": "off", "value": "value", "norm": "norm"}  # short: they sit in a narrow column
CELL_LABELS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
OPT_LABELS = {"adam": "Adam", "sgd": "SGD"}
UPDATE_EVERY = 0.3  # seconds between live redraws: more than three updates a second, little overhead
MAX_STORED_RUNS = 12
D = lab.LabConfig()


# -- cached data ---------------------------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def sunspots() -> tuple[pd.Series, pd.Series]:
    """Years and sunspot numbers from assets/ (read with the same checks as an upload)."""
    data = SUNSPOTS.read_bytes()
    values, table, _ = load_series(data, SUNSPOTS.name, "sunspots")
    years = pd.to_numeric(table.frame["year"]).to_numpy()
    return years, values


@st.cache_data(max_entries=32, show_spinner=False)
def make_task(task: str, window: int, series=None) -> lab.Task:
    return lab.make_task(task, window, series)


@st.cache_data(max_entries=32, show_spinner=False)
def baselines(task: str, window: int, series=None) -> lab.Baselines:
    return lab.baselines(lab.make_task(task, window, series))


# -- controls ------------------------------------------------------------------------------------------------
def _task_changed() -> None:
    """A new task starts from its own sensible window and number of epochs."""
    task = st.session_state["training_task"]
    st.session_state["training_window"] = lab.DEFAULT_WINDOW[task]
    st.session_state["training_epochs"] = DEFAULT_EPOCHS[task]


def upload_controls() -> tuple | None:
    """File + column. Returns (series, x, x title, y title, data id) or None after showing a message."""
    # No type= filter on purpose: the reader explains a wrong file type in words instead of a bare refusal.
    up = st.file_uploader("CSV file with a column of numbers (one row per time step, oldest first)",
                          key="training_upload", help="A .csv, .txt or .tsv file of at most 1 MB. The first line "
                                                      "may hold column names.")
    if up is None:
        st.info("Upload a CSV file to train on your own series — for example daily closing prices "
                "exported from a spreadsheet. Or pick one of the shipped tasks above.", icon=":material/upload:")
        return None
    data = up.getvalue()
    try:
        table = read_table(data, up.name)
        cols = table.columns
        column = st.selectbox("Column to predict", cols, index=cols.index(default_column(table)),
                              key="training_column", bind="query-params")
        series = series_from_column(table, column)
    except UploadError as err:
        st.error(str(err), icon=":material/error:")
        return None
    data_id = hashlib.sha1(data).hexdigest()[:12] + ":" + column
    st.caption(f"{len(series):,} values from **{up.name}**, column **{column}**.")
    return series, None, "row", column, data_id


def task_controls() -> tuple:
    """Task, window and the series behind it: (task, window, series or None, x, x title, y title, data id)."""
    c1, c2 = st.columns([3, 2], gap="large")
    task = c1.selectbox("Task", list(TASK_LABELS), format_func=TASK_LABELS.get, key="training_task",
                        bind="query-params", on_change=_task_changed)
    kind = "series" if task in lab.SERIES_TASKS else task
    label = {"series": "Window k (past values the model sees)", "adding": "Sequence length T",
             "copy": "Delay T (steps to remember the symbols)"}[kind]
    window = c2.slider(label, *lab.WINDOW_RANGE, lab.DEFAULT_WINDOW[D.task], key="training_window",
                       bind="query-params",
                       help="For a series: the model reads the last k values and predicts the next one. "
                            "For the adding and copy tasks: how long the model must remember.")
    series = x = None
    x_title, y_title, data_id = "time step", "value", ""
    if task == "sunspots":
        x, series = sunspots()
        x_title, y_title, data_id = "year", "sunspot number", "sunspots"
    elif task == "upload":
        got = upload_controls()
        if got is None:
            return task, window, None, None, x_title, y_title, None
        series, x, x_title, y_title, data_id = got
    elif task == "stock":
        x_title, y_title = "trading day", "price"
    return task, window, series, x, x_title, y_title, data_id


def model_controls(task: str, window: int, data_id: str) -> lab.LabConfig:
    c1, c2, c3, c4 = st.columns(4, gap="medium")
    cell = c1.segmented_control("Cell", list(CELL_LABELS), format_func=CELL_LABELS.get, default=D.cell,
                                required=True, key="training_cell", bind="query-params")
    hidden = c1.slider("Hidden size H", 1, 64, D.hidden_size, key="training_hidden", bind="query-params")
    bptt = c1.slider("Truncated BPTT length (0 = full)", 0, lab.WINDOW_RANGE[1], 0, key="training_bptt",
                     bind="query-params",
                     help="Backpropagate through at most this many steps. The adding task's markers sit far "
                          "back: truncate below T/2 and the model can no longer learn it.")
    opt = c2.segmented_control("Optimizer", list(OPT_LABELS), format_func=OPT_LABELS.get, default=D.optimizer,
                               required=True, key="training_opt", bind="query-params",
                               help="Adam adapts a step size for every weight; SGD takes plain gradient steps, "
                                    "smoothed by momentum.")
    lr = c2.select_slider("Learning rate", LR_CHOICES, D.lr, key="training_lr", bind="query-params",
                          format_func=lambda v: f"{v:g}")
    momentum = D.momentum
    if opt == "sgd":
        momentum = c2.slider("SGD momentum", 0.0, 0.99, D.momentum, 0.01, key="training_momentum", bind="query-params")
    epochs = c3.slider("Epochs", 1, 200, DEFAULT_EPOCHS[D.task], key="training_epochs", bind="query-params",
                       help="One epoch = one pass over every training window.")
    seed = c3.number_input("Seed", 0, 9999, D.seed, key="training_seed", bind="query-params",
                           help="Fixes the initial weights and the batch order: the same seed trains the same model.")
    clip = c4.segmented_control("Gradient clipping", list(CLIP_LABELS), format_func=CLIP_LABELS.get,
                                default=D.clip, required=True, key="training_clip", bind="query-params")
    threshold = c4.select_slider("Clip threshold", CLIP_CHOICES, D.clip_threshold, key="training_clip_at",
                                 bind="query-params", format_func=lambda v: f"{v:g}", disabled=clip == "none",
                                 help="By value: every gradient entry is clamped to ±threshold. By norm: the whole "
                                      "gradient is shrunk to length threshold when it is longer.")
    return lab.LabConfig(task=task, window=int(window), cell=cell, hidden_size=int(hidden), bptt=int(bptt),
                         optimizer=opt, lr=float(lr), momentum=float(momentum), epochs=int(epochs),
                         clip=clip, clip_threshold=float(threshold), seed=int(seed), data_id=data_id or "")


# -- training ------------------------------------------------------------------------------------------------
def runs() -> dict:
    return st.session_state.setdefault("training_runs", {})


def store(cfg: lab.LabConfig, report: lab.Report) -> None:
    stored = runs()
    stored.pop(cfg, None)
    stored[cfg] = report
    while len(stored) > MAX_STORED_RUNS:
        stored.pop(next(iter(stored)))


def finish_interrupted() -> None:
    """File the run a Stop click (or any other click) interrupted, with what it had learned so far."""
    active = st.session_state.pop("training_active", None)
    if active is None:
        return
    cfg, task, trainer = active
    result = lab.with_stopped(trainer.result())
    if result.steps:
        store(cfg, lab.report(cfg, task, result))


def train(configs: list[lab.LabConfig], task: lab.Task, loss_name: str, baseline: float | None) -> None:
    """Train each config in turn with a live progress bar and loss chart (redrawn every UPDATE_EVERY s)."""
    bar = st.progress(0.0, text="Starting…")
    chart = st.empty()
    redraws = 0
    for n, cfg in enumerate(configs):
        trainer = Trainer(cfg.train_config(), task.data)
        st.session_state["training_active"] = (cfg, task, trainer)
        prefix = f"{lab.CELL_NAMES[cfg.cell]} ({n + 1}/{len(configs)}) · " if len(configs) > 1 else ""
        for p in live_updates(trainer.run(), UPDATE_EVERY):
            rate = p.step / p.elapsed if p.elapsed > 0 else 0.0
            bar.progress(p.fraction, text=f"{prefix}step {p.step:,} of {p.total_steps:,} · epoch {p.epoch + 1} of "
                                          f"{p.epochs} · batch loss {p.train_loss:.4g} · {rate:,.0f} steps/s")
            snap = trainer.result()
            redraws += 1
            with chart:
                plot(figs.loss_curves(snap.step_loss, lab.ema(snap.step_loss), snap.val_steps, snap.val_loss,
                                      total_steps=p.total_steps, loss_name=loss_name, baseline=baseline,
                                      title=f"{prefix}training live", height=300),
                     key=f"training_live_{redraws}")
        st.session_state.pop("training_active", None)
        store(cfg, lab.report(cfg, task, trainer.result()))
    bar.empty()
    chart.empty()


# -- explanations --------------------------------------------------------------------------------------------
TASK_TEXT = {
    "stock": "A made-up stock: each day the price moves by a random percentage (a *geometric random walk*). "
             "The model reads the last **k** closing prices and predicts tomorrow's. Since the daily moves are "
             "random by construction, **nothing can beat “tomorrow = today” by much** — a good lesson in itself: "
             "memory only helps when the past carries information about the future. Notice too that the held-out "
             "prices may climb above anything seen in training: tanh units cannot extrapolate, which is one reason "
             "forecasters usually model daily *changes* rather than prices.",
    "sine": "A clean sine wave with a period of 25 steps. A sine obeys an exact *linear* recurrence "
            "($x_{t+1} = 2\\cos\\omega\\, x_t - x_{t-1}$), so the linear memoryless baseline is already perfect. "
            "Can the RNN get close?",
    "noisy_sine": "The same sine with noise added. Now there is an unpredictable part: the best possible error "
                  "is the noise level, and both models can only learn the wave underneath.",
    "sunspots": "Yearly mean sunspot numbers since 1700 (public domain, NOAA). The ~11-year solar cycle repeats, but "
                "its height and length vary, and the rise is steeper than the fall — something a *linear* "
                "autoregression cannot describe exactly.",
    "upload": "Your own series. Values are standardised with the mean and spread of the **training part only**, "
              "so nothing from the held-out part leaks into training.",
    "adding": "Each sequence holds random numbers and two markers. The target is the **sum of the two marked "
              "numbers** — one marker in the first half, so the model must remember a value for many steps and "
              "ignore everything in between. Predicting the average sum gives MSE ≈ 0.167; solving it means "
              "getting far below that (say 0.05).",
    "copy": "The model sees 5 symbols, then blanks, then a ▶ signal: it must **repeat the 5 symbols** after the "
            "signal. Without memory the best it can do is guess one of 8 symbols (12.5 % right).",
}


def task_section(task: str, window: int, series, x, x_title: str, y_title: str) -> lab.Task:
    with user_errors():
        t = make_task(task, window, series)
    visual, text = beside()
    with visual:
        if t.kind == "series":
            xs = x if x is not None else list(range(len(t.series)))
            plot(figs.series_overview(xs, t.series, t.split.split, x_title=x_title, y_title=y_title,
                                      title=f"{len(t.series):,} values: the last {100 * lab.VAL_FRACTION:.0f} % "
                                            f"are held out"),
                 key="training_overview", alt="The series with its training and held-out parts shaded")
        elif t.kind == "adding":
            plot(figs.adding_example(t.data.x_val[0], float(t.data.y_val[0, 0])), key="training_overview",
                 alt="One adding-problem sequence with its two marked values")
        else:
            plot(figs.copy_example(t.codes_val[:3], t.data.y_val[:3], lab.COPY_SYMBOLS,
                                   title="Three copy-task sequences: input and target"),
                 key="training_overview", alt="Copy-task sequences")
    with text:
        st.markdown(TASK_TEXT[task])
        if t.kind == "series":
            st.markdown(f"**{len(t.data.x_train):,}** training windows and **{len(t.data.x_val):,}** held-out "
                        f"windows of k = {window} values, split in time (never shuffled across the cut).")
        else:
            st.markdown(f"**{len(t.data.x_train):,}** training and **{len(t.data.x_val):,}** held-out sequences "
                        f"of {t.steps} steps.")
    return t


def metrics_table(cfg: lab.LabConfig, base: lab.Baselines) -> pd.DataFrame:
    """Baselines first, then every run in this session on the same data (the current one marked ▶)."""
    rows = [{"": "memoryless", **r} for r in base.rows]
    for c, rep in runs().items():
        if c.data_key == cfg.data_key:
            tag = "▶ this run" if c == cfg else "earlier run"
            rows.append({"": tag + (" (stopped)" if rep.stopped else ""), **rep.row})
    return pd.DataFrame(rows).rename(columns={"model": "model / baseline"})


def show_table(table: pd.DataFrame) -> None:
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.4g") for c in table.columns
                                if c not in ("", "model / baseline", "settings", "params")})


def results_section(cfg: lab.LabConfig, task: lab.Task, base: lab.Baselines, rep: lab.Report,
                    x, x_title: str, y_title: str) -> None:
    st.subheader("3 · Results on the held-out data", anchor=False)
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

    table = metrics_table(cfg, base)
    show_table(table)
    d1, d2, text = st.columns([1, 1, 3], vertical_alignment="top")
    with d1:
        csv_download(table, file_name=f"unrolled_metrics_{cfg.task}.csv", key="training_dl_metrics",
                     label="Metrics (CSV)")
    d2.download_button("Weights (.npz)", lab.weights_npz(rep.weights), file_name=f"unrolled_{cfg.cell}_{cfg.task}.npz",
                       mime="application/octet-stream", key="training_dl_weights", icon=":material/download:",
                       on_click="ignore",
                       help="The trained parameters under PyTorch's names: rnn.weight_ih_l0, rnn.weight_hh_l0, "
                            "rnn.bias_ih_l0, rnn.bias_hh_l0, head.weight, head.bias — they load into a module with "
                            "self.rnn = nn.LSTM(...) (or RNN/GRU) and self.head = nn.Linear(...).")
    with text:
        if task.kind == "series":
            st.markdown(
                "**Is memory worth it?** Every row is scored on the same held-out windows. The *linear AR* baseline "
                "predicts $\\hat x_{t+1} = w_1 x_t + \\dots + w_k x_{t-k+1} + b$: it sees the same k values as the "
                "RNN but has no state and no nonlinearity. *Tomorrow = today* copies the last value. RMSE and MAE "
                "are in the series' own units; the forecast column scores the multi-step forecast further down.")
        elif task.kind == "adding":
            st.markdown("**Is memory worth it?** A linear model sees every input at once and still cannot add the "
                        "two *marked* numbers: that needs multiplying value by marker and remembering the first "
                        "one until the second arrives.")
        else:
            st.markdown("**Is memory worth it?** The loss is the mean cross-entropy over all steps (blanks "
                        "included); recall accuracy counts the 5 symbols after the ▶ signal.")

    if not rep.gates:
        return  # a diverged model has nothing sensible to draw
    model_name = "this model"
    if task.kind == "series":
        xs = x if x is not None else list(range(len(task.series)))
        xs = np.asarray(xs)
        preds = {model_name: rep.pred_val, **base.pred_val}
        visual, text = beside()
        with visual:
            plot(figs.predictions_vs_truth(xs, task.series, rep.t_val, rep.truth_val, preds, model_name=model_name,
                                           x_title=x_title, y_title=y_title,
                                           title="One step ahead: every prediction starts from the true past"),
                 key="training_pred", alt="Predictions against the truth on held-out data")
            frame = pd.DataFrame({x_title: xs[rep.t_val], "truth": rep.truth_val,
                                  **{name: p for name, p in preds.items()}})
            csv_download(frame, file_name=f"unrolled_predictions_{cfg.task}.csv", key="training_dl_pred")
        with text:
            st.markdown("**Prediction vs truth.** For every held-out day the model gets the *real* last k values "
                        "and predicts the next one. Lines that hug the grey truth are good; a line that lags one "
                        "step behind the truth is just copying the last value.")
        visual, text = beside()
        with visual:
            fc = {model_name: rep.forecast, **base.forecast}
            plot(figs.forecast_figure(xs, task.series, task.split.split, xs[rep.forecast_t], fc,
                                      model_name=model_name, x_title=x_title, y_title=y_title,
                                      title=f"{len(rep.forecast)} steps ahead on its own predictions"),
                 key="training_forecast", alt="Multi-step forecast")
        with text:
            st.markdown("**A multi-step forecast** feeds each prediction back in as if it were data: the window "
                        "slides over the model's own guesses. Errors compound, so the forecast drifts — watch how "
                        "quickly each model loses track compared with its one-step predictions above.")
    elif task.kind == "adding":
        visual, text = beside()
        with visual:
            preds = {model_name: rep.pred_val, **{k: v[: len(rep.truth_val)] for k, v in base.pred_val.items()}}
            plot(figs.adding_scatter(rep.truth_val, preds, model_name=model_name,
                                     title="Predicted vs true sum on held-out sequences"),
                 key="training_pred", alt="Predicted against true sums")
            csv_download(pd.DataFrame({"true sum": rep.truth_val, **preds}), file_name="unrolled_adding.csv",
                         key="training_dl_pred")
        with text:
            st.markdown("**Prediction vs truth.** A model that solved the task puts its dots on the diagonal. "
                        "The memoryless baselines can only squash everything towards the middle (≈ 1).")
            st.info("The adding problem has no time axis to forecast along, so there is no multi-step forecast here; "
                    "pick a series task to see one.", icon=":material/info:")
    else:
        visual, text = beside()
        with visual:
            plot(figs.copy_example(rep.codes, rep.target, lab.COPY_SYMBOLS, rep.predicted,
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

    loss_name = "cross-entropy" if task.kind == "copy" else "MSE, standardised" if task.kind == "series" else "MSE"
    base_loss = _baseline_loss(base, task)
    visual, text = beside()
    with visual:
        plot(figs.loss_curves(rep.step_loss, rep.smooth_loss, rep.val_steps, rep.val_loss, loss_name=loss_name,
                              baseline=base_loss[1], baseline_name=base_loss[0],
                              title="Training and validation loss"),
             key="training_loss", alt="Training and validation loss curves")
    with text:
        st.markdown("**Loss curves.** The faint line is the loss of each mini-batch (noisy: every batch is "
                    "different), the dark line its moving average, orange the loss on held-out data at the end of "
                    "each epoch. Validation rising while training keeps falling means **overfitting**; the dashed "
                    "line is the best memoryless baseline.")
    visual, text = beside()
    with visual:
        plot(figs.grad_norm_history(rep.grad_before, rep.grad_after, rep.clipped, clip=cfg.clip,
                                    threshold=cfg.clip_threshold),
             key="training_grads", alt="Gradient norm per optimizer step")
    with text:
        st.markdown("**Gradient norms.** The length of the whole gradient at every step, on a log scale. Spikes "
                    "are the exploding gradients of the earlier lessons.")
        if cfg.clip == "norm":
            st.latex(r"g \leftarrow g\cdot\min\!\left(1, \frac{\tau}{\lVert g\rVert}\right)")
            st.markdown("Clipping **by norm** shrinks long gradients to length τ and keeps their direction; "
                        "each × marks a step where it acted.")
        elif cfg.clip == "value":
            st.latex(r"g_j \leftarrow \max(-\tau, \min(\tau, g_j))")
            st.markdown("Clipping **by value** clamps every entry separately, which can turn the gradient; "
                        "each × marks a step where it acted.")
        else:
            st.markdown("No clipping: every step uses the raw gradient. Try a large learning rate with an RNN "
                        "and watch the spikes — then turn clipping on.")
    visual, text = beside()
    kind = cfg.cell
    with visual:
        x_in, markers, xlab = _gate_input(task, rep)
        plot(figs.gate_heatmaps(rep.gates, x_in, kind=kind, markers=markers, x_label=xlab,
                                title="Inside the trained cell on one held-out sequence"),
             key="training_gates", alt="Gate activations of the trained cell")
    with text:
        if kind == "lstm":
            st.markdown("**Gates of the trained LSTM.** Time runs left to right, one row per hidden unit. "
                        "Bright forget-gate rows (f ≈ 1) are units that keep their belt value; input-gate flashes "
                        "are moments the cell decided to write.")
        elif kind == "gru":
            st.markdown("**Gates of the trained GRU.** z ≈ 1 keeps the old state, z ≈ 0 takes the new candidate n; "
                        "r decides how much of the old state the candidate may look at.")
        else:
            st.markdown("**Hidden state of the trained RNN.** A plain RNN has no gates: this is all its memory, "
                        "rewritten completely at every step.")
        if task.kind == "adding":
            st.markdown("The outlined steps are the two **markers**: a cell that solved the task reacts there.")


def _gate_input(task: lab.Task, rep: lab.Report):
    x = np.asarray(rep.gate_x)
    if task.kind == "adding":
        return x[:, 0], np.flatnonzero(x[:, 1] > 0.5).tolist(), "value"
    if task.kind == "copy":
        return x.argmax(axis=1).astype(float), [], "symbol"
    return x[:, 0], [], "x<sub>t</sub> (std.)"


def _baseline_loss(base: lab.Baselines, task: lab.Task) -> tuple[str, float | None]:
    """The best baseline's validation loss in the units of the training loss."""
    key = {"series": "Val MSE (scaled)", "adding": "Val MSE", "copy": "Val loss"}[task.kind]
    best = min(base.rows, key=lambda r: r[key])
    return best["model"], best[key]


# -- page ----------------------------------------------------------------------------------------------------
lesson_header("Training lab", "Train a recurrent network right here, and find out whether memory beats a "
              "memoryless model on data it has never seen.", icon=":material/model_training:")

finish_interrupted()

st.subheader("1 · Pick a task", anchor=False)
with st.container(border=True):
    task_name, window, series, x_axis, x_title, y_title, data_id = task_controls()
if task_name == "upload" and data_id is None:
    st.stop()
task = task_section(task_name, window, series, x_axis, x_title, y_title)
base = baselines(task_name, window, series)

st.subheader("2 · Pick a model and how to train it", anchor=False)
with st.container(border=True):
    with user_errors():
        cfg = model_controls(task_name, window, data_id or "")
    steps = cfg.epochs * -(-len(task.data.x_train) // cfg.batch_size)
    if cfg.bptt and cfg.task == "copy":
        steps *= -(-task.steps // cfg.bptt)
    b1, b2, b3, b4 = st.columns([1, 1.4, 1, 3], vertical_alignment="center")
    go_one = b1.button("Train", type="primary", icon=":material/play_arrow:", key="training_train", width="stretch")
    go_all = b2.button("Train RNN, LSTM & GRU", icon=":material/compare_arrows:", key="training_train_all",
                       width="stretch", help="Train all three cells with these settings, one after the other, "
                                             "and compare them in the table.")
    b3.button("Stop", icon=":material/stop:", key="training_stop", width="stretch",
              help="Stops training and keeps the model as it is so far.")
    b4.caption(f"{steps:,} optimizer steps ({cfg.epochs} epochs × {-(-len(task.data.x_train) // cfg.batch_size)} "
               f"batches of {cfg.batch_size}). Same settings and seed → the same model, every time.")
    if cfg.bptt and cfg.bptt < task.steps:
        st.caption(f"Truncated BPTT: gradients flow back through the last {cfg.bptt} of {task.steps} steps only.")
    loss_name = "cross-entropy" if task.kind == "copy" else "MSE"
    if go_one or go_all:
        todo = [cfg] if go_one else [lab.LabConfig(**{**cfg.__dict__, "cell": c}) for c in ("rnn", "lstm", "gru")]
        train(todo, task, loss_name, _baseline_loss(base, task)[1])

report = runs().get(cfg)
if report is not None:
    results_section(cfg, task, base, report, x_axis, x_title, y_title)
else:
    st.subheader("3 · Results", anchor=False)
    earlier = [c for c in runs() if c.data_key == cfg.data_key]
    msg = ("Press **Train** to train this model. " if not earlier else
           "These settings have not been trained yet — press **Train**. Earlier runs on this task are in the table. ")
    st.info(msg + "The table shows what the memoryless baselines score on the held-out data: the number to beat.",
            icon=":material/info:")
    show_table(metrics_table(cfg, base))
