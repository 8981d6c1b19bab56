"""Training in worker processes: the same result as training in place, a queue with positions, a limit,
stopping on request and when nobody watches any more."""

from __future__ import annotations

import time

import numpy as np
import pytest

from lessons.kit import jobs
from rnn_core.tasks import adding_problem
from rnn_core.training import TrainConfig, TrainData, Trainer

X, Y = adding_problem(96, 12, seed=0)
XV, YV = adding_problem(32, 12, seed=1)
DATA = TrainData(X, Y, XV, YV)


def until(condition, timeout: float = 60.0) -> None:
    """Wait for ``condition()`` (the monitor thread works in the background; a loaded machine is slow)."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition()


def wait(job: jobs.Job, timeout: float = 120.0) -> jobs.Job:
    deadline = time.monotonic() + timeout
    while not job.done and time.monotonic() < deadline:
        job.touch()
        time.sleep(0.05)
    assert job.done, f"job still {job.state} after {timeout} s"
    return job


@pytest.fixture(scope="module")
def board():
    return jobs.Board(max_running=1, max_waiting=2)


def test_a_job_trains_exactly_what_an_in_place_trainer_trains(board):
    cfg = TrainConfig(cell="gru", hidden_size=8, epochs=2, batch_size=16, seed=3)
    job = wait(board.submit(cfg, DATA))
    assert job.state == "finished", job.error
    here = Trainer(cfg, DATA)
    for _ in here.run():
        pass
    np.testing.assert_array_equal(job.result.step_loss, here.result().step_loss)
    for name, value in here.result().model.params.items():
        np.testing.assert_array_equal(job.result.model.params[name], value)
    losses, _, val = job.curves()
    np.testing.assert_array_equal(losses, here.result().step_loss)  # the live curve saw every step
    assert job.progress.step == job.progress.total_steps == here.total_steps


def test_jobs_wait_their_turn_and_a_full_queue_refuses(board):
    long = TrainConfig(cell="lstm", hidden_size=16, epochs=200, batch_size=8, seed=0)
    first = board.submit(long, DATA)
    second = board.submit(long, DATA)
    third = board.submit(long, DATA)
    until(lambda: first.progress is not None)  # the first one is really training
    assert (first.state, second.state, third.state) == ("running", "queued", "queued")
    assert (second.position, third.position) == (1, 2)
    with pytest.raises(jobs.Busy, match="please try again"):
        board.submit(long, DATA)
    first.stop()
    wait(first)
    assert first.result.stopped and first.result.steps < first.result.total_steps
    third.stop()  # a queued job never starts
    until(lambda: third.state == "failed" and second.state == "running")
    assert "before it started" in third.error and second.position == 0
    second.stop()
    assert wait(second).result.stopped


def test_a_job_nobody_watches_is_stopped(board, monkeypatch):
    monkeypatch.setattr(jobs, "ABANDONED_S", 1.0)
    job = board.submit(TrainConfig(cell="lstm", hidden_size=16, epochs=200, batch_size=8, seed=1), DATA)
    deadline = time.monotonic() + 60
    while not job.done and time.monotonic() < deadline:
        time.sleep(0.1)  # no touch(): the student has gone
    assert job.state == "finished" and job.result.stopped


def test_a_failing_job_reports_why(board):
    bad = TrainData(X, Y[:, :0], XV, YV[:, :0])
    job = wait(board.submit(TrainConfig(epochs=1), bad))
    assert job.state == "failed" and "ValueError" in job.error


def test_a_result_that_arrives_as_the_worker_exits_is_not_called_a_failure():
    """The monitor used to drain the worker's messages, then check whether it was alive: a result sent in between
    (the worker's last act) was never read and the finished job was reported as "ended unexpectedly"."""

    class Inbox:
        def __init__(self):
            self.messages = []

        def get_nowait(self):
            if not self.messages:
                raise jobs.queue.Empty
            return self.messages.pop(0)

    class Worker:
        """Sends its result at the moment its liveness is checked, then is dead."""

        def __init__(self, inbox, result):
            self.inbox, self.result = inbox, result

        def is_alive(self):
            self.inbox.messages.append(("result", self.result))
            return False

        def join(self, timeout=None):
            pass

    board = jobs.Board.__new__(jobs.Board)
    board._running = []
    job = jobs.Job(TrainConfig(), DATA, 10.0)
    inbox = Inbox()
    job._inbox, job._process, job._stop, job.state = inbox, Worker(inbox, "the result"), None, "running"
    board._running.append(job)
    board._collect(job)
    assert job.state == "finished" and job.result == "the result"
