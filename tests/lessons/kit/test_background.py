"""The spare helper process: a result per key, computed once, shared; a failing call reports its error; a dead
worker is replaced."""

from __future__ import annotations

import math
import os

import pytest

from lessons.kit.background import Pool


@pytest.fixture(scope="module")
def pool():
    p = Pool(workers=1, max_kept=3)
    yield p
    p.shutdown()


def test_the_same_key_is_computed_once(pool):
    first = pool.ask("sqrt 2", math.sqrt, 2.0)
    assert first.result(timeout=120) == pytest.approx(2**0.5)
    assert pool.ask("sqrt 2", math.sqrt, 99.0) is first  # the key decides, not the arguments


def test_it_runs_in_another_process_at_a_lower_priority(pool):
    assert pool.ask("pid", os.getpid).result(timeout=120) != os.getpid()
    assert pool.ask("nice", os.nice, 0).result(timeout=120) >= os.nice(0)


def test_a_failing_call_keeps_its_error(pool):
    fut = pool.ask("bad", math.sqrt, -1.0)
    with pytest.raises(ValueError):
        fut.result(timeout=120)


def test_at_most_max_kept_results_are_kept(pool):
    for k in range(6):
        pool.ask(("n", k), abs, -k).result(timeout=120)
    assert len(pool) <= 3


def test_a_dead_worker_is_replaced():
    p = Pool(workers=1)
    try:
        with pytest.raises(Exception):  # noqa: B017, PT011 - the worker dies: BrokenProcessPool
            p.ask("die", os._exit, 1).result(timeout=120)
        assert p.ask("die", abs, -3).result(timeout=120) == 3  # asked again, in a fresh worker
    finally:
        p.shutdown()
