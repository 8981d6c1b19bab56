"""benchmarks/proc_cpu.py: the class load test's CPU accounting counts what it says, and keeps ended processes."""

import os
import subprocess
import sys
import time

import pytest

from benchmarks.proc_cpu import DescendantCpu, cpu_seconds

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux /proc")

BURN = "import sys, time\nt = time.process_time()\nwhile time.process_time() - t < 0.4: pass\ntime.sleep({})\n"


def burner(marker: str, linger_s: float) -> subprocess.Popen:
    """A child that uses 0.4 s of CPU, then sleeps; ``marker`` is on its command line."""
    return subprocess.Popen([sys.executable, "-c", BURN.format(linger_s), marker])


def test_cpu_seconds_of_this_process_grows():
    before = cpu_seconds(os.getpid())
    t = time.process_time()
    while time.process_time() - t < 0.2:
        pass
    assert cpu_seconds(os.getpid()) - before >= 0.15


def test_counts_marked_descendants_only_and_keeps_ended_ones():
    marked, other = burner("unrolled-marker", 1.0), burner("something-else", 1.0)
    cpu = DescendantCpu("unrolled-marker")
    try:
        deadline = time.monotonic() + 30
        while cpu_seconds(marked.pid) < 0.4 and time.monotonic() < deadline:  # until its burn is done
            time.sleep(0.02)
        cpu.sample()
        assert list(cpu.last) == [str(marked.pid)]
        seen = cpu.total
        assert 0.4 <= seen <= 0.8  # the burn and the interpreter's start
    finally:
        marked.wait(10)
        other.wait(10)
    cpu.sample()  # the marked process has ended: its last value still counts
    assert cpu.total == pytest.approx(seen)
