"""Slow helper computations (fitting a baseline model for a few seconds) in one spare worker process per server,
so that a page rerun never waits for them: the page asks, shows "fitting…", and polls.

``Pool.ask(key, fn, *args)`` returns the ``concurrent.futures.Future`` of ``fn(*args)`` run in the worker (the
same future for the same key, so a result is computed once per server and shared by every session). The pool
keeps at most ``max_kept`` results (the oldest finished ones are forgotten first) and starts its worker only
when first asked. The worker is spawned (not forked: the server has threads), runs one BLAS thread at a lower
CPU priority, and is restarted if it dies. ``fn`` and its arguments must be picklable (a module-level function,
arrays, numbers, strings). No Streamlit here: a page keeps one ``Pool`` per server with ``st.cache_resource``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

NICE = 10
# Children inherit the environment when they start: one BLAS thread each (set before any child exists, as
# lessons.kit.jobs does; the server's own NumPy was loaded long before and is not affected).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def _lower_priority() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"  # before NumPy is imported in the worker
    with contextlib.suppress(OSError):
        os.nice(NICE)


class Pool:
    """One worker process and the futures of what it was asked, by key (see the module docstring)."""

    def __init__(self, workers: int = 1, max_kept: int = 32):
        self.workers = workers
        self.max_kept = max_kept
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._futures: OrderedDict[Hashable, Future] = OrderedDict()

    def ask(self, key: Hashable, fn: Callable, *args) -> Future:
        """The future of ``fn(*args)`` for ``key``: the one already asked for, or a new one."""
        with self._lock:
            fut = self._futures.get(key)
            if fut is not None and not _broken(fut):
                self._futures.move_to_end(key)
                return fut
            fut = self._submit(fn, args)
            self._futures[key] = fut
            self._forget_old()
            return fut

    def _submit(self, fn: Callable, args: tuple) -> Future:
        for _ in range(2):  # a worker that died (killed, out of memory) breaks the executor: start a new one
            if self._executor is None:
                self._executor = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"),
                                                     initializer=_lower_priority)
            try:
                return self._executor.submit(fn, *args)
            except BrokenProcessPool:
                self._executor = None
        raise RuntimeError("the helper process could not be started")  # pragma: no cover

    def _forget_old(self) -> None:
        done = [k for k, f in self._futures.items() if f.done()]
        while len(self._futures) > self.max_kept and done:
            self._futures.pop(done.pop(0))

    def __len__(self) -> int:
        return len(self._futures)

    def shutdown(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None


def _broken(fut: Future) -> bool:
    """A future that failed because its worker died (not because ``fn`` raised): worth asking again."""
    return fut.done() and isinstance(fut.exception(), BrokenProcessPool)
