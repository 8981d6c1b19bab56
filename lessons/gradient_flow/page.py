"""Lesson: gradient flow compared. RNN, LSTM and GRU on the adding problem: how far back the loss is felt,
at initialisation and after training.

What a visit costs the server: the left panel (no training: one forward and backward pass per cell) is computed
for any setting. Trained results come from assets/gradient_flow_runs.json.gz (the defaults and every "Try this"
link, seeds 0–4, trained ahead of time) or from this server's memory of earlier runs; any other setting trains
only when the student presses Train: in a worker process on the server's training board, with progress and a
Stop button, like the training lab (benchmarks/gradient_flow.py measures it).
"""

from __future__ import annotations

from collections import OrderedDict

import pandas as pd
import streamlit as st

from lessons.gradient_flow import figures as figs
from lessons.gradient_flow import recipe as demo
from lessons.gradient_flow import stories
from lessons.gradient_flow.settings import SETTINGS, TRIES
from lessons.gradient_flow.settings import config as flow_config
from lessons.kit import live
from lessons.kit.cached import cached_call
from lessons.kit.layout import beside, checked, control_box, csv_download, lesson_header, plot
from lessons.kit.path import try_this
from lessons.kit.settings import CELL_NAMES
from lessons.kit.widgets import draw

PAGE = "lessons/gradient_flow/page.py"
MAX_REMEMBERED = 32  # trained runs kept in this server's memory (a few kB each)
TRAINING = "gflow_training"  # session key: (config, job) while this student's training runs or waits
STOPPED = "gflow_stopped"  # session key: (config, step reached) of the last run stopped early
MAX_SECONDS = 300.0  # one click's training ends after this long (the largest setting needs about a minute)


@st.cache_resource(show_spinner=False)
def precomputed() -> dict:
    """The runs trained ahead of time: ``store_key(config)`` -> cell -> CellRun."""
    return demo.load_store()


@st.cache_resource(show_spinner=False)
def remembered() -> OrderedDict:
    """Runs trained on this server since it started (shared by every session), newest last."""
    return OrderedDict()


def stored_runs(cfg: demo.FlowConfig) -> dict | None:
    """The trained runs for ``cfg`` if they exist without training, else None."""
    return precomputed().get(demo.store_key(cfg)) or remembered().get(cfg)


def remember(cfg: demo.FlowConfig, runs: dict) -> None:
    memory = remembered()
    memory[cfg] = runs
    memory.move_to_end(cfg)
    while len(memory) > MAX_REMEMBERED:
        memory.popitem(last=False)


initial = cached_call(demo.initial_flows, max_entries=64)


def _curves(flow: demo.Flow) -> dict:
    return {"h": flow.h, "c": flow.c, "reach": flow.reach}


@st.cache_resource(max_entries=64, show_spinner=False)
def flow_chart(cfg: demo.FlowConfig, trained: bool):
    panels = {"at initialisation": {c: _curves(f) for c, f in initial(cfg).items()}}
    if trained:
        runs = stored_runs(cfg)
        panels[f"after {cfg.steps} training steps"] = {c: _curves(r.trained) for c, r in runs.items()}
    return figs.flow_figure(panels, demo.REACH_THRESHOLD)


@st.cache_resource(max_entries=64, show_spinner=False)
def loss_chart(cfg: demo.FlowConfig):
    return figs.loss_figure({c: r.losses for c, r in stored_runs(cfg).items()}, demo.BASELINE_MSE)


def flow_table(cfg: demo.FlowConfig, runs: dict | None) -> pd.DataFrame:
    """The data behind the main chart: one row per (phase, cell, quantity, distance)."""
    phases = {"init": initial(cfg)}
    if runs is not None:
        phases["trained"] = {c: r.trained for c, r in runs.items()}
    rows = []
    for phase, flows in phases.items():
        for cell, f in flows.items():
            for quantity, vals in (("h", f.h), ("c", f.c)):
                if vals is not None:
                    rows += [(phase, CELL_NAMES[cell], quantity, d, float(v)) for d, v in enumerate(vals)]
    return pd.DataFrame(rows, columns=["phase", "cell", "state", "distance_from_loss", "relative_grad_norm"])


def reach_table(cfg: demo.FlowConfig, runs: dict | None) -> pd.DataFrame:
    """Cells as columns: how far back the gradient reaches before (and after) training, and the final loss."""
    init = initial(cfg)
    rows = {"reach at init": [f"{init[c].reach}" for c in demo.CELLS]}
    if runs is not None:
        rows["reach trained"] = [f"{runs[c].trained.reach}" for c in demo.CELLS]
        rows["loss trained"] = [f"{runs[c].trained.loss:.3f}" for c in demo.CELLS]
    return pd.DataFrame.from_dict(rows, orient="index", columns=[CELL_NAMES[c] for c in demo.CELLS])


def controls() -> demo.FlowConfig:
    with control_box():
        columns = st.columns([1.2, 1.2, 1.2, 0.8], gap="medium")
        values = {name: draw(SETTINGS[name], col) for name, col in zip(SETTINGS, columns, strict=True)}
    return flow_config(values)


def progress_text(p: demo.TrainProgress) -> str:
    return f"training the {CELL_NAMES[p.cell]}: step {p.cell_step:,} of {p.steps:,}"


def collect() -> None:
    """File a job that has ended: its runs join the server's memory (whatever the page shows now); a stopped one
    leaves a note for its settings."""
    active = st.session_state.get(TRAINING)
    if active is None or not active[1].done:
        return
    cfg, job = st.session_state.pop(TRAINING)
    if job.result is not None:
        remember(cfg, job.result)
    elif job.error:  # failed in the worker, or left the queue before it started (nothing to say then)
        if "before it started" not in job.error:
            live.failed(job)
    elif job.progress is not None:  # stopped (by Stop or the time cap): train_all keeps no partial run
        st.session_state[STOPPED] = (cfg, job.progress.step)


def train_panel(cfg: demo.FlowConfig) -> None:
    """For settings not trained yet: a Train button, and the live view while a training of this student runs.
    Training runs in a worker process on the server's training board (lessons.kit.live), like the training lab's."""
    active = st.session_state.get(TRAINING)
    box = st.container(border=True)
    note = (f"These settings have not been trained yet. **Train** trains the RNN, the LSTM and the GRU for "
            f"{cfg.steps} steps each, here on the server (a few seconds to a minute, depending on T and the steps).")
    stopped = st.session_state.get(STOPPED)
    if stopped is not None and stopped[0] == cfg:
        note = f"Training stopped after {stopped[1]} of {3 * cfg.steps} steps. " + note
    box.markdown(note)
    if box.button("Train RNN, LSTM & GRU", type="primary", icon=":material/play_arrow:", key="gflow_train",
                  disabled=active is not None):
        job = live.start(cfg, None, max_seconds=MAX_SECONDS, runner=demo.train_all)
        if job is not None:
            st.session_state.pop(STOPPED, None)
            st.session_state[TRAINING] = (cfg, job)
            st.rerun()  # the button as busy, and the live view


def live_view() -> None:
    """The running (or waiting) training of this student, whichever settings the page shows now."""
    active = st.session_state.get(TRAINING)
    if active is None:
        return
    cfg, job = active
    with st.container(border=True):
        live.watch(job, key="gflow", title=f"T = {cfg.T}, {cfg.steps} steps, seed {cfg.seed}",
                   describe=progress_text, after_stop="A run of three cells is kept only when all three finish.")


lesson_header("Gradient flow compared", "The same loss, three cells: how far back in time does the gradient "
              "still arrive?", icon=":material/compare_arrows:")
st.markdown(
    "The **adding problem**: each sequence carries random numbers and two markers; the answer, given at the last "
    "step, is the sum of the two marked numbers. The first marker can be almost T steps before the answer, so a "
    "model can only learn the task if the loss's gradient travels that far back. Below, an RNN, an LSTM and a GRU "
    "with 8 hidden units each, initialised from the same seed (input weights × 3, as on the LSTM and GRU pages), "
    "see the same sequences."
)
config = checked(controls)
collect()
runs = stored_runs(config)
if runs is None:
    train_panel(config)
live_view()
init = initial(config)

st.subheader("How far back the gradient reaches", anchor=False)
visual, text = beside((2.2, 1))
with visual:
    plot(flow_chart(config, runs is not None), key="gflow_flow",
         alt="Gradient norm against distance from the loss for RNN, LSTM, GRU")
    csv_download(flow_table(config, runs), file_name="gradient_flow.csv", key="gflow_csv")
with text:
    st.markdown(
        f"Each curve is $\\lVert \\partial L / \\partial h_t \\rVert$ on {demo.N_EVAL} test sequences, divided by its "
        "value at the last step, against how many steps back step t is. The y axis is **logarithmic**: a straight "
        "falling line means the gradient shrinks by the same factor at every step — it **vanishes exponentially**. "
        "The diamonds mark the last step where at least a thousandth of the signal still arrives."
    )
    st.markdown(stories.init_story(init, config.T, config.forget_bias))
    if runs is not None:
        st.markdown(stories.trained_story(runs, config.T, config.steps))
    st.dataframe(reach_table(config, runs), width="stretch")
    st.caption(f"Reach: steps back (T − 1 = {config.T - 1} is the whole sequence). Loss: mean squared error "
               f"on the test sequences after training; always answering 1 scores {demo.BASELINE_MSE:.3f}.")

visual, text = beside((2.2, 1))
if runs is not None:
    with visual:
        plot(loss_chart(config), key="gflow_loss", alt="Training loss of each cell")
with text:
    st.markdown(
        "**Why the curves differ.** Going back one step multiplies the gradient by the Jacobian "
        "$\\partial h_t / \\partial h_{t-1}$. For the RNN that is $\\mathrm{diag}(\\tanh'(a_t))\\,W_{hh}$: a "
        "squashing derivative, at most 1, times a weight matrix. At this initialisation the product of many of them "
        "shrinks fast: in the left panel the RNN's gradient falls below a thousandth within about a dozen steps.\n\n"
        "The LSTM's cell state has a second road back. Along the belt, $c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$, "
        "so the **direct path** gives $\\partial c_t / \\partial c_{t-1} = \\mathrm{diag}(f_t)$: just the forget "
        "gate, no weight matrix, no squashing (dashed line). That is not the whole Jacobian: the gates also read "
        "$h_{t-1}$, which depends on $c_{t-1}$, and those indirect paths add terms with weights and squashing "
        "derivatives, as the RNN's do. With $f \\approx 1$ the direct path carries the gradient almost "
        "untouched: raise the **forget-gate bias** from −2 to 3 and watch the LSTM's curves in the left panel reach "
        "further. Higher still, the input gate (bias −b_f) shuts, and the gradient can stay on the belt instead of "
        "reaching $h_t$; the note beside the chart says when that happens.\n\n"
        + stories.gru_story(runs, init)
    )

try_this(PAGE, TRIES, SETTINGS, heading="**Try this** (trained ahead of time, so they open at once):")
