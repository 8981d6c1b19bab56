"""Training in worker processes, so that one student's "Train" does not slow the whole class down.

Streamlit serves every session from one Python process. A training loop inside a page script holds that
process's interpreter: measured before this module, one training turned another student's slider rerun from
0.3 s into 4.8 s. Here a ``Job`` runs ``rnn_core.training.Trainer`` in its own process (the ``spawn`` start
method, one BLAS thread, a lower CPU priority) and streams snapshots back; the page only draws them. A lesson
with a training loop of its own passes a ``runner`` instead (see ``Job``): it runs in a worker all the same,
on the same board, so it counts against the same limits.

At most ``max_running`` jobs run at once per server (by default one fewer than the cores, at least one), so
the pages keep a core; later jobs wait in a first-come queue whose position the page shows, and when the
queue is full a new job is refused with a message. A job is stopped when asked, when it exceeds its time
budget, and when no page has looked at it for ``ABANDONED_S`` seconds (its student closed the tab or left).

No Streamlit here: a page keeps one ``Board`` per server (``st.cache_resource``) and its ``Job`` in the
session. Tested in tests/lessons/kit/test_jobs.py.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from rnn_core.training import Progress, TrainConfig, TrainData, Trainer, TrainResult

# Children inherit the environment when they start: one BLAS thread each (set before any child exists; the
# server's own NumPy was loaded long before and is not affected).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

SNAPSHOT_EVERY_S = 0.25  # how often a worker reports progress
ABANDONED_S = 20.0  # a running job no page has polled for this long is stopped
NICE = 10  # workers run at a lower priority than the server that draws the pages


class Busy(RuntimeError):
    """Too many trainings are waiting already; the message says so in words."""


@dataclass
class Job:
    """One training run. Read its fields under ``lock``; the board's monitor thread writes them.

    Without a ``runner`` the worker trains ``config`` on ``data`` with ``rnn_core.training.Trainer``. With one it
    calls ``runner(config, data, report=..., should_stop=...)`` and the job's result is what that returns:
    ``runner`` must be a module-level function (the worker process imports it), ``report(progress)`` may be called
    after every step (the worker forwards at most one every SNAPSHOT_EVERY_S) with an object that has ``step``,
    ``total_steps`` and ``fraction``, and ``should_stop()`` turns true on Stop or when time is up.
    """

    config: object  # a TrainConfig, or the runner's first argument
    data: object  # a TrainData, or the runner's second argument
    max_seconds: float
    runner: Callable | None = None
    state: str = "queued"  # queued -> running -> finished | failed
    progress: Progress | None = None
    step_loss: list[float] = field(default_factory=list)
    val_steps: list[int] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    result: TrainResult | None = None
    error: str | None = None
    position: int = 0  # place in the queue (1 = next); 0 once running
    submitted: float = field(default_factory=time.monotonic)
    polled: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _stop: object = field(default=None, repr=False)  # an mp.Event once running
    _stop_asked: bool = False
    _process: object = field(default=None, repr=False)
    _inbox: object = field(default=None, repr=False)

    def stop(self) -> None:
        """Ask the worker to stop after its current step; a queued job never starts."""
        with self.lock:
            self._stop_asked = True
            if self._stop is not None:
                self._stop.set()

    def touch(self) -> None:
        """A page is still watching (see ABANDONED_S)."""
        self.polled = time.monotonic()

    @property
    def done(self) -> bool:
        return self.state in ("finished", "failed")

    def curves(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(step losses, validation steps, validation losses) received so far, for a live chart."""
        with self.lock:
            return np.asarray(self.step_loss), np.asarray(self.val_steps, dtype=int), np.asarray(self.val_loss)


def _work(config: TrainConfig, data: TrainData, out, stop, max_seconds: float) -> None:
    """The worker process: train, report every SNAPSHOT_EVERY_S, then send the result (or the error)."""
    with contextlib.suppress(OSError):  # not allowed here: run at normal priority
        os.nice(NICE)
    try:
        trainer = Trainer(config, data)
        sent, last = 0, 0.0
        for p in trainer.run(should_stop=lambda: stop.is_set() or trainer.elapsed > max_seconds):
            now = time.monotonic()
            if now - last >= SNAPSHOT_EVERY_S or p.step == p.total_steps:
                snap = trainer.result()
                out.put(("progress", p, snap.step_loss[sent:].tolist(), snap.val_steps.tolist(),
                         snap.val_loss.tolist()))
                sent, last = len(snap.step_loss), now
        out.put(("result", trainer.result()))
    except Exception as err:  # noqa: BLE001 - reported to the page as a failed job, in words
        out.put(("error", f"{type(err).__name__}: {err}"))


def _run(runner: Callable, config, data, out, stop, max_seconds: float) -> None:
    """The worker process for a lesson's own training loop (``Job.runner``)."""
    with contextlib.suppress(OSError):
        os.nice(NICE)
    started, last = time.monotonic(), [0.0]

    def report(progress) -> None:
        now = time.monotonic()
        if now - last[0] >= SNAPSHOT_EVERY_S or progress.step == progress.total_steps:
            out.put(("progress", progress, [], [], []))
            last[0] = now

    try:
        result = runner(config, data, report=report,
                        should_stop=lambda: stop.is_set() or time.monotonic() - started > max_seconds)
        out.put(("result", result))
    except Exception as err:  # noqa: BLE001 - reported to the page as a failed job, in words
        out.put(("error", f"{type(err).__name__}: {err}"))


class Board:
    """The trainings of one server: which run, which wait. ``submit`` returns a Job to poll."""

    def __init__(self, max_running: int | None = None, max_waiting: int = 8):
        self.max_running = max_running or max(1, (os.cpu_count() or 2) - 1)
        self.max_waiting = max_waiting
        self._ctx = mp.get_context("spawn")  # fork would copy the server's threads and locks
        self._lock = threading.Lock()
        self._queue: list[Job] = []
        self._running: list[Job] = []
        self._monitor = threading.Thread(target=self._watch, name="training-board", daemon=True)
        self._monitor.start()

    def submit(self, config, data, *, max_seconds: float = 120.0, runner: Callable | None = None) -> Job:
        """Queue a training (see ``Job``); raises Busy when the queue is full."""
        job = Job(config, data, max_seconds, runner)
        with self._lock:
            if len(self._queue) >= self.max_waiting:
                raise Busy(f"{len(self._running)} trainings are running and {len(self._queue)} are waiting on "
                           f"this server; please try again in a minute.")
            self._queue.append(job)
            self._renumber()
            self._start_next()
        return job

    def load(self) -> tuple[int, int]:
        """(running, waiting) right now."""
        with self._lock:
            return len(self._running), len(self._queue)

    # -- the monitor thread ------------------------------------------------------------------------------
    def _watch(self) -> None:
        while True:
            time.sleep(0.05)
            with self._lock:
                for job in list(self._running):
                    self._collect(job)
                self._queue = [j for j in self._queue if not (j._stop_asked and self._drop(j))]
                self._renumber()
                self._start_next()

    def _start_next(self) -> None:
        while self._queue and len(self._running) < self.max_running:
            job = self._queue.pop(0)
            inbox, stop = self._ctx.Queue(), self._ctx.Event()
            target, args = (_work, ()) if job.runner is None else (_run, (job.runner,))
            proc = self._ctx.Process(target=target, args=(*args, job.config, job.data, inbox, stop, job.max_seconds),
                                     daemon=True, name="unrolled-training")
            with job.lock:
                job._inbox, job._stop, job._process, job.state, job.position = inbox, stop, proc, "running", 0
                if job._stop_asked:
                    stop.set()
            proc.start()
            self._running.append(job)
            self._renumber()

    def _collect(self, job: Job) -> None:
        """Move the worker's messages into the job; retire it when its process has ended."""
        if time.monotonic() - job.polled > ABANDONED_S:
            job._stop.set()
        # Liveness first: a worker seen dead has flushed every message, so the drain below gets its result. (Draining
        # first raced: the result could arrive between the drain and the check, and the job was called failed.)
        alive = job._process.is_alive()
        while True:
            try:
                msg = job._inbox.get_nowait()
            except queue.Empty:
                break
            with job.lock:
                _apply(job, msg)
        if not alive and not job.done:
            with job.lock:
                job.state, job.error = "failed", job.error or "the training process ended unexpectedly"
        if job.done:
            job._process.join(timeout=1)
            self._running.remove(job)

    def _drop(self, job: Job) -> bool:
        with job.lock:
            job.state, job.error = "failed", "stopped before it started"
        return True

    def _renumber(self) -> None:
        for k, job in enumerate(self._queue, start=1):
            job.position = k


def _apply(job: Job, msg: tuple) -> None:
    kind = msg[0]
    if kind == "progress":
        _, p, losses, val_steps, val_loss = msg
        job.progress = p
        job.step_loss.extend(losses)
        job.val_steps, job.val_loss = val_steps, val_loss
    elif kind == "result":
        job.result, job.state = msg[1], "finished"
    else:
        job.error, job.state = msg[1], "failed"
