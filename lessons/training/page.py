"""Lesson: the training lab. Pick a task and a model, train it live in the browser, and see whether memory beats
a memoryless model on the same held-out data.

Widgets (lessons/training/settings.py) -> frozen LabConfig -> cached recipe.make_task / recipe.baselines -> a
Trainer stepped here (progress bar, live loss chart, Stop) -> recipe.Report kept in st.session_state keyed by
the config -> lessons/training/sections.py (the task and results sections, per kind of task) -> figures.

How Stop works: clicking any widget while the script runs makes Streamlit interrupt this script at its next
``st.*`` call and start a new run. The trainer of the interrupted run is parked in session_state before the
loop starts, so the new run finds it, takes a snapshot of what it had learned so far and files it as a
stopped run. The Stop button is just a widget to click.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from lessons.kit.curves import loss_curves
from lessons.kit.layout import lesson_header, live_updates, plot, user_errors
from lessons.kit.settings import CELL_NAMES
from lessons.kit.upload import UploadError, default_column, load_series, read_table, series_from_column
from lessons.kit.widgets import draw
from lessons.training import recipe
from lessons.training.sections import VIEWS, Source, metrics_table, results_section, show_table, task_section
from lessons.training.settings import SETTINGS, WINDOW_LABELS, column_setting, config
from rnn_core.training import Trainer, ema

ROOT = Path(__file__).resolve().parents[2]
SUNSPOTS = ROOT / "assets" / "sunspots.csv"
UPDATE_EVERY = 0.3  # seconds between live redraws: more than three updates a second, little overhead
MAX_STORED_RUNS = 12


# -- cached data ---------------------------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def sunspots() -> tuple[pd.Series, pd.Series]:
    """Years and sunspot numbers from assets/ (read with the same checks as an upload)."""
    data = SUNSPOTS.read_bytes()
    values, table, _ = load_series(data, SUNSPOTS.name, "sunspots")
    years = pd.to_numeric(table.frame["year"]).to_numpy()
    return years, values


@st.cache_data(max_entries=32, show_spinner=False)
def make_task(task: str, window: int, series=None) -> recipe.Task:
    return recipe.make_task(task, window, series)


@st.cache_data(max_entries=32, show_spinner=False)
def baselines(task: str, window: int, series=None) -> recipe.Baselines:
    return recipe.baselines(recipe.make_task(task, window, series))


# -- 1 · the task --------------------------------------------------------------------------------------------
def _task_changed() -> None:
    """A new task starts from its own sensible window and number of epochs."""
    task = st.session_state[SETTINGS["task"].key]
    st.session_state[SETTINGS["window"].key] = recipe.DEFAULT_WINDOW[task]
    st.session_state[SETTINGS["epochs"].key] = recipe.DEFAULT_EPOCHS[task]


def sunspots_source() -> Source:
    years, values = sunspots()
    return Source(values, years, "year", "sunspot number", "sunspots")


def upload_source() -> Source | None:
    """File + column: the series, or None after showing a message."""
    s = SETTINGS["upload"]
    # No type= filter on purpose: the reader explains a wrong file type in words instead of a bare refusal.
    up = st.file_uploader(s.label, key=s.key, help=s.help)
    if up is None:
        st.info("Upload a CSV file to train on your own series — for example daily closing prices "
                "exported from a spreadsheet. Or pick one of the shipped tasks above.", icon=":material/upload:")
        return None
    data = up.getvalue()
    try:
        table = read_table(data, up.name)
        column = draw(column_setting(table.columns, default_column(table)))
        series = series_from_column(table, column)
    except UploadError as err:
        st.error(str(err), icon=":material/error:")
        return None
    st.caption(f"{len(series):,} values from **{up.name}**, column **{column}**.")
    return Source(series, None, "row", column, hashlib.sha1(data).hexdigest()[:12] + ":" + column)


# Where each task's values come from; the generated series only need their axes named.
SOURCES = {"sunspots": sunspots_source, "upload": upload_source,
           "stock": lambda: Source(x_title="trading day", y_title="price")}


def task_controls() -> tuple[str, int, Source | None]:
    """Task, window and where the values come from (None: an upload is still missing or unreadable)."""
    c1, c2 = st.columns([3, 2], gap="large")
    task = draw(SETTINGS["task"], c1, on_change=_task_changed)
    window = draw(SETTINGS["window"], c2, label=WINDOW_LABELS[recipe.kind_of(task)])
    return task, window, SOURCES.get(task, Source)()


# -- 2 · the model -------------------------------------------------------------------------------------------
def model_controls(task: str, window: int, data_id: str) -> recipe.LabConfig:
    S = SETTINGS
    values = {"task": task, "window": window}
    c1, c2, c3, c4 = st.columns(4, gap="medium")
    for name in ("cell", "hidden", "bptt"):
        values[name] = draw(S[name], c1)
    values["optimizer"] = draw(S["optimizer"], c2)
    values["lr"] = draw(S["lr"], c2)
    if values["optimizer"] == "sgd":
        values["momentum"] = draw(S["momentum"], c2)
    values["epochs"] = draw(S["epochs"], c3)
    values["seed"] = draw(S["seed"], c3)
    values["clip"] = draw(S["clip"], c4)
    values["clip_threshold"] = draw(S["clip_threshold"], c4, disabled=values["clip"] == "none")
    return config(values, data_id)


def train_buttons(cfg: recipe.LabConfig, task: recipe.Task) -> list[recipe.LabConfig]:
    """Train / Train all three / Stop and what a run will take; returns the configs to train now."""
    steps, batches = recipe.step_plan(cfg, task)
    b1, b2, b3, b4 = st.columns([1, 1.4, 1, 3], vertical_alignment="center")
    go_one = b1.button("Train", type="primary", icon=":material/play_arrow:", key="training_train", width="stretch")
    go_all = b2.button("Train RNN, LSTM & GRU", icon=":material/compare_arrows:", key="training_train_all",
                       width="stretch", help="Train all three cells with these settings, one after the other, "
                                             "and compare them in the table.")
    b3.button("Stop", icon=":material/stop:", key="training_stop", width="stretch",
              help="Stops training and keeps the model as it is so far.")
    b4.caption(f"{steps:,} optimizer steps ({cfg.epochs} epochs × {batches} "
               f"batches of {cfg.batch_size}). Same settings and seed → the same model, every time.")
    if cfg.bptt and cfg.bptt < task.steps:
        st.caption(f"Truncated BPTT: gradients flow back through the last {cfg.bptt} of {task.steps} steps only.")
    if go_one:
        return [cfg]
    return [replace(cfg, cell=cell) for cell in CELL_NAMES] if go_all else []


# -- training ------------------------------------------------------------------------------------------------
def runs() -> dict:
    return st.session_state.setdefault("training_runs", {})


def store(cfg: recipe.LabConfig, report: recipe.Report) -> None:
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
    result = recipe.with_stopped(trainer.result())
    if result.steps:
        store(cfg, recipe.report(cfg, task, result))


def train(configs: list[recipe.LabConfig], task: recipe.Task, loss_name: str, baseline: float | None) -> None:
    """Train each config in turn with a live progress bar and loss chart (redrawn every UPDATE_EVERY s)."""
    bar = st.progress(0.0, text="Starting…")
    chart = st.empty()
    redraws = 0
    for n, cfg in enumerate(configs):
        trainer = Trainer(cfg.train_config(), task.data)
        st.session_state["training_active"] = (cfg, task, trainer)
        prefix = f"{CELL_NAMES[cfg.cell]} ({n + 1}/{len(configs)}) · " if len(configs) > 1 else ""
        for p in live_updates(trainer.run(), UPDATE_EVERY):
            rate = p.step / p.elapsed if p.elapsed > 0 else 0.0
            bar.progress(p.fraction, text=f"{prefix}step {p.step:,} of {p.total_steps:,} · epoch {p.epoch + 1} of "
                                          f"{p.epochs} · batch loss {p.train_loss:.4g} · {rate:,.0f} steps/s")
            snap = trainer.result()
            redraws += 1
            with chart:
                plot(loss_curves(snap.step_loss, ema(snap.step_loss), snap.val_steps, snap.val_loss,
                                 total_steps=p.total_steps, loss_name=loss_name, baseline=baseline,
                                 title=f"{prefix}training live", height=300),
                     key=f"training_live_{redraws}")
        st.session_state.pop("training_active", None)
        store(cfg, recipe.report(cfg, task, trainer.result()))
    bar.empty()
    chart.empty()


# -- page ----------------------------------------------------------------------------------------------------
lesson_header("Training lab", "Train a recurrent network right here, and find out whether memory beats a "
              "memoryless model on data it has never seen.", icon=":material/model_training:")

finish_interrupted()

st.subheader("1 · Pick a task", anchor=False)
with st.container(border=True):
    task_name, window, source = task_controls()
if source is None:
    st.stop()  # an upload is missing or unreadable: the message says what to do
with user_errors():
    task = make_task(task_name, window, source.series)
task_section(task, source)
base = baselines(task_name, window, source.series)

st.subheader("2 · Pick a model and how to train it", anchor=False)
with st.container(border=True):
    with user_errors():
        cfg = model_controls(task_name, window, source.data_id)
    todo = train_buttons(cfg, task)
    if todo:
        train(todo, task, VIEWS[task.kind].live_loss_name, recipe.best_baseline(base, task.kind)[1])

report = runs().get(cfg)
if report is not None:
    results_section(cfg, task, base, report, source, runs())
else:
    st.subheader("3 · Results", anchor=False)
    earlier = [c for c in runs() if c.data_key == cfg.data_key]
    msg = ("Press **Train** to train this model. " if not earlier else
           "These settings have not been trained yet — press **Train**. Earlier runs on this task are in the table. ")
    st.info(msg + "The table shows what the memoryless baselines score on the held-out data: the number to beat.",
            icon=":material/info:")
    show_table(metrics_table(cfg, base, runs()))
