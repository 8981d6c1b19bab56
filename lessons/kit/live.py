"""Training from a page without holding the server: a job in a worker process (lessons.kit.jobs), watched live.

One ``jobs.Board`` per server (``board()``, shared by every lesson that trains), the page's ``Job`` in the session.
``watch(job, ...)`` is a fragment that reruns by itself every ``POLL_S`` seconds: while the job waits it shows
its place in the queue, while it runs a progress bar and the live loss curve from the job's snapshots, and a
Stop button that answers within a second; when the job has ended it reruns the whole page, which files the
result. Any other click on the page reruns the script as usual — the training goes on in its process.
"""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from lessons.kit import jobs
from lessons.kit.curves import loss_curves
from lessons.kit.layout import plot
from lessons.kit.text import md_literal
from rnn_core.training import TrainConfig, TrainData, ema

POLL_S = 0.5  # how often the live view asks the job for news
KEEPS_MODEL = "Drawing the results of the model as it is now…"  # what a Stop leads to in the training lab
STOP_WAIT_S = 0.9  # after Stop, how long the view waits for the worker's last snapshot before redrawing


@st.cache_resource(show_spinner=False)
def board() -> jobs.Board:
    """The server's trainings: at most one fewer than the cores run at once, up to 8 wait."""
    return jobs.Board()


def start(config: TrainConfig, data: TrainData, *, max_seconds: float, runner=None) -> jobs.Job | None:
    """Submit a training (``runner``: a lesson's own loop, see jobs.Job), or show why it cannot be queued (a full
    queue) and return None."""
    try:
        return board().submit(config, data, max_seconds=max_seconds, runner=runner)
    except jobs.Busy as err:
        st.warning(f"Training is busy on this server: {md_literal(err)}", icon=":material/hourglass_top:")
        return None


def progress_text(p) -> str:
    rate = p.step / p.elapsed if p.elapsed > 0 else 0.0
    return (f"step {p.step:,} of {p.total_steps:,} · epoch {p.epoch + 1} of {p.epochs} · batch loss "
            f"{p.train_loss:.4g} · {rate:,.0f} steps/s")


def _queued(job: jobs.Job) -> None:
    running, waiting = board().load()
    st.info(f"Waiting for a free trainer: you are number **{job.position}** in the queue ({running} training now, "
            f"{waiting} waiting). Your training starts by itself; keep this page open.",
            icon=":material/hourglass_top:")


def _running(job: jobs.Job, *, title: str, loss_name: str, baseline: float | None, baseline_name: str,
             key: str, describe) -> None:
    p = job.progress
    st.progress(p.fraction if p else 0.0, text=(title + " · " if title else "") + (describe(p) if p else
                                                                                   "starting the worker…"))
    losses, val_steps, val_loss = job.curves()
    if len(losses):
        plot(loss_curves(losses, ema(losses), val_steps, val_loss, total_steps=p.total_steps if p else None,
                         loss_name=loss_name, baseline=baseline, baseline_name=baseline_name,
                         title=f"{title} · training live" if title else "training live", height=300),
             key=f"{key}_live")


@st.fragment(run_every=POLL_S)
def watch(job: jobs.Job, *, key: str, title: str = "", loss_name: str = "loss", baseline: float | None = None,
          baseline_name: str = "memoryless baseline", describe=progress_text, after_stop: str = KEEPS_MODEL) -> None:
    """The live view of ``job`` (see the module docstring). ``key`` prefixes the widget keys; ``describe(progress)``
    is the progress bar's text; ``after_stop`` what Stop's answer says happens next."""
    job.touch()
    if job.done:
        st.rerun()  # the page files the result
    if st.button("Stop", icon=":material/stop:", key=f"{key}_stop",
                 help="Stops training and keeps the model as it is so far."):
        job.stop()
        stopping(job, after_stop)
        deadline = time.monotonic() + STOP_WAIT_S
        while not job.done and time.monotonic() < deadline:
            time.sleep(0.05)
        st.rerun()
    if job.state == "queued":
        _queued(job)
    else:
        _running(job, title=title, loss_name=loss_name, baseline=baseline, baseline_name=baseline_name, key=key,
                 describe=describe)


def stopping(job: jobs.Job, after_stop: str = KEEPS_MODEL) -> None:
    """Stop's answer, at once: the worker is told now, and drawing the stopped model's results is a full rerun
    that takes a second or more on a busy server — the student should not wonder whether the click counted."""
    p = job.progress
    if p is None:  # still queued, or the worker has not sent its first step: there is no model to show
        st.warning("Stopped before training began: nothing was trained.", icon=":material/stop_circle:")
        return
    st.warning(f"Stopped at step {p.step:,} of {p.total_steps:,}. {after_stop}", icon=":material/stop_circle:")


def failed(job: jobs.Job) -> None:
    """A job that ended without a result, in words (its error is shown literally)."""
    st.error(f"Training did not finish: {md_literal(job.error or 'unknown error', limit=300)}",
             icon=":material/error:")


def curves_of(job: jobs.Job) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return job.curves()
