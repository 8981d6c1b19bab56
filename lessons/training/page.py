"""Lesson: the training lab. Pick a task and a model, train it live, and see whether memory beats the memoryless
models — persistence, the average, linear models and feed-forward window networks — on data it has never seen.

Widgets (lessons/training/settings.py) -> frozen LabConfig -> the task (a per-server cache bounded by entries
and bytes) and its rivals: the closed-form baselines at once (st.cache_data), the feed-forward window models in a
spare process (lessons.kit.background; the table says "fitting…" until they are in) -> Train submits a job to the
server's training board (lessons.kit.live: a worker process, a queue, a live view with Stop) -> when the job has
ended its recipe.Report is kept in st.session_state keyed by the config -> lessons/training/sections.py -> figures.

Cost per rerun is bounded: an upload is read once per file (lessons.kit.upload.read_upload, cached), a task is
built once per server, nothing trains in the page script, and one click trains at most MAX_WORK steps ×
sequence length, each training at most MAX_SECONDS seconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import streamlit as st

from lessons.kit import background, live
from lessons.kit.bounded import Bounded
from lessons.kit.layout import control_box, lesson_header
from lessons.kit.path import try_this
from lessons.kit.settings import CELL_NAMES
from lessons.kit.text import md_literal
from lessons.kit.upload import LIMITS, Upload, UploadError, read_upload
from lessons.kit.widgets import draw
from lessons.training import recipe
from lessons.training.sections import VIEWS, Source, metrics_table, results_section, show_table, task_section
from lessons.training.settings import SETTINGS, TRIES, WINDOW_LABELS, column_setting, config

ROOT = Path(__file__).resolve().parents[2]
PAGE = "lessons/training/page.py"
SUNSPOTS = ROOT / "assets" / "sunspots.csv"
MAX_STORED_RUNS = 12
MAX_WORK = 600_000  # optimizer steps × sequence length one click may ask for (all three cells together):
# 30,000 steps on windows of 20, fewer on longer sequences, whose steps cost more
MAX_SECONDS = 180.0  # and the time a single training may take before it stops itself
TASKS_KEPT = (8, 150e6)  # tasks kept per server: entries, bytes (a copy task at T = 100 holds 21 MB)


# -- cached data ---------------------------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def sunspots() -> tuple:
    """Years and sunspot numbers from assets/ (read with the same checks as an upload)."""
    up = read_upload(SUNSPOTS.read_bytes(), SUNSPOTS.name)
    return up.series("year"), up.series("sunspots")


@st.cache_data(max_entries=4, show_spinner=False)
def read_file(data: bytes, name: str) -> Upload:
    """An uploaded file, read once (the bytes are the key): every rerun after that is a cache hit."""
    return read_upload(data, name)


@st.cache_resource(show_spinner=False)
def task_store() -> Bounded:
    return Bounded(*TASKS_KEPT)


@st.cache_resource(show_spinner=False)
def helpers() -> background.Pool:
    """The spare process that fits the feed-forward rivals (shared by every session)."""
    return background.Pool(workers=1, max_kept=32)


def make_task(task: str, window: int, source: Source) -> recipe.Task:
    return task_store().get((task, window, source.data_id), lambda: recipe.make_task(task, window, source.series))


@st.cache_data(max_entries=64, show_spinner=False)
def baselines(task: str, window: int, data_id: str, _series=None) -> recipe.Baselines:
    return recipe.baselines(recipe.make_task(task, window, _series))


def rivals(task: str, window: int, source: Source) -> tuple[recipe.Baselines, object]:
    """Every memoryless rival ready so far, and the future of the feed-forward ones (None once they are in)."""
    fast = baselines(task, window, source.data_id, source.series)
    fut = helpers().ask(("window models", task, window, source.data_id), recipe.window_models_for, task, window,
                        source.series)
    if not fut.done():
        return fast, fut
    if fut.exception() is not None:
        st.caption(f":material/error: The feed-forward rival could not be fitted: {md_literal(fut.exception())}")
        return fast, None
    return recipe.merged(fast, fut.result()), None


@st.fragment(run_every=0.7)
def await_rivals(fut) -> None:
    if fut.done():
        st.rerun()
    st.caption(":material/hourglass_top: Fitting the feed-forward window model — a few seconds, once per task "
               "for everyone. Its row appears by itself.")


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
    up = st.file_uploader(s.label, key=s.key, help=s.help, max_upload_size=2)
    if up is None:
        st.info("Upload a CSV file to train on your own series — for example daily closing prices "
                f"exported from a spreadsheet ({LIMITS}). Or pick one of the shipped tasks above.",
                icon=":material/upload:")
        return None
    data = up.getvalue()
    try:
        upload = read_file(data, up.name)
        column = draw(column_setting(upload.columns, upload.default))
        series = upload.series(column)
    except UploadError as err:
        st.error(md_literal(err), icon=":material/error:")
        return None
    st.caption(f"{len(series):,} values from **{md_literal(up.name, 60)}**, column **{md_literal(column, 60)}**.")
    return Source(series, None, "row", column, hashlib.sha1(data).hexdigest()[:12] + ":" + column)


# Where each task's values come from; the generated series only need their axes named.
SOURCES = {"sunspots": sunspots_source, "upload": upload_source,
           "stock": lambda: Source(x_title="trading day", y_title="price"),
           "stock_returns": lambda: Source(x_title="trading day", y_title="daily return (%)")}


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


def train_buttons(cfg: recipe.LabConfig, task: recipe.Task, busy: bool) -> list[recipe.LabConfig]:
    """Train / Train all three and what a run will take; returns the configs to train now."""
    steps, batches = recipe.step_plan(cfg, task)
    work = steps * task.steps
    one_ok, all_ok = work <= MAX_WORK, 3 * work <= MAX_WORK
    b1, b2, b3 = st.columns([1, 1.4, 4], vertical_alignment="center")
    why = "A training of yours is running: stop it or wait for it." if busy else None
    go_one = b1.button("Train", type="primary", icon=":material/play_arrow:", key="training_train", width="stretch",
                       disabled=busy or not one_ok, help=why)
    go_all = b2.button("Train RNN, LSTM & GRU", icon=":material/compare_arrows:", key="training_train_all",
                       width="stretch", disabled=busy or not all_ok,
                       help=why or "Train all three cells with these settings, one after the other, and compare "
                                   "them in the table.")
    b3.caption(f"{steps:,} optimizer steps ({cfg.epochs} epochs × {batches} batches of {cfg.batch_size}). Same "
               f"settings and seed → the same model, every time. One click trains at most "
               f"{MAX_WORK // task.steps:,} steps on sequences of {task.steps} (all three cells together), for at "
               f"most {MAX_SECONDS / 60:g} minutes each.")
    if not one_ok:
        st.warning(f"That is more than the {MAX_WORK // task.steps:,} steps one click may train on this shared server "
                   f"(optimizer steps × sequence length ≤ {MAX_WORK:,}): lower the epochs to "
                   f"{max(1, MAX_WORK // (batches * task.steps))} or fewer, or the window.", icon=":material/speed:")
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


def submit(todo: list[recipe.LabConfig], task: recipe.Task) -> None:
    """Queue the first config on the server's board; the rest wait in the session for their turn. One training per
    student at a time: a second submit while one is active is ignored."""
    if st.session_state.get("training_job") is not None:
        return
    job = live.start(todo[0].train_config(), task.data, max_seconds=MAX_SECONDS)
    if job is not None:
        st.session_state["training_job"] = (todo[0], job, task, len(todo))
        st.session_state["training_todo"] = todo[1:]
        st.rerun()  # redraw the buttons as busy and show the live view


def collect() -> None:
    """File a finished job (and start the next one of "all three"). Runs before the buttons are drawn, so they are
    enabled again in the same run."""
    active = st.session_state.get("training_job")
    if active is None or not active[1].done:
        return
    cfg, job, task, _ = st.session_state.pop("training_job")
    todo = st.session_state.pop("training_todo", [])
    if job.result is not None:
        store(cfg, recipe.report(cfg, task, job.result))
    elif "before it started" not in (job.error or ""):
        live.failed(job)
    if todo and job.result is not None and not job.result.stopped:
        submit(todo, task)


def watch(loss_name: str, baseline: float | None, baseline_name: str) -> None:
    """The live view of the running (or waiting) job, if there is one."""
    active = st.session_state.get("training_job")
    if active is None:
        return
    cfg, job, _, count = active
    n = count - len(st.session_state.get("training_todo", []))
    title = f"{CELL_NAMES[cfg.cell]} ({n}/{count})" if count > 1 else cfg.label
    live.watch(job, key="training", title=title, loss_name=loss_name, baseline=baseline, baseline_name=baseline_name)


# -- page ----------------------------------------------------------------------------------------------------
lesson_header("Training lab", "Train a recurrent network right here, and find out whether memory beats a "
              "memoryless model on data it has never seen.", icon=":material/model_training:")

st.subheader("1 · Pick a task", anchor=False)
with control_box():
    task_name, window, source = task_controls()
if source is None:
    st.stop()  # an upload is missing or unreadable: the message says what to do
try:
    task = make_task(task_name, window, source)
except ValueError as err:
    st.error(md_literal(err, 600), icon=":material/error:")
    st.stop()
task_section(task, source)
base, pending = rivals(task_name, window, source)

st.subheader("2 · Pick a model and how to train it", anchor=False)
with control_box():
    try:
        cfg = model_controls(task_name, window, source.data_id)
    except ValueError as err:
        st.error(md_literal(err, 600), icon=":material/error:")
        st.stop()
    collect()
    todo = train_buttons(cfg, task, busy=st.session_state.get("training_job") is not None)
    if todo:
        submit(todo, task)
    best = recipe.best_baseline(base, task.kind)
    watch(VIEWS[task.kind].live_loss_name, best[1], best[0])

report = runs().get(cfg)
if report is not None:
    results_section(cfg, task, base, report, source, runs())
else:
    st.subheader("3 · Results", anchor=False)
    earlier = [c for c in runs() if c.data_key == cfg.data_key]
    msg = ("Press **Train** to train this model. " if not earlier else
           "These settings have not been trained yet — press **Train**. Earlier runs on this task are in the table. ")
    st.info(msg + "The table shows what the memoryless models score on the held-out data: the number to beat.",
            icon=":material/info:")
    show_table(metrics_table(cfg, base, runs()))
if pending is not None:
    await_rivals(pending)
try_this(PAGE, TRIES, SETTINGS)
