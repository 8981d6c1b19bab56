"""CPU time of processes from Linux /proc: one process, and every descendant of this one by kind."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path


def _stat(pid: int | str) -> list[str]:
    # the command name may hold spaces and brackets: the fields start after its closing parenthesis
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int | str) -> float:
    """User + system CPU time of a process so far, in seconds."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(root: int) -> list[str]:
    parent: dict[str, str] = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                parent[pid] = _stat(pid)[1]
            except OSError:  # ended between the listing and the read
                continue
    found, frontier = [], {str(root)}
    while frontier:
        frontier = {pid for pid, ppid in parent.items() if ppid in frontier}
        found += frontier
    return found


class DescendantCpu:
    """Samples the CPU time of every process below this one whose command line contains ``marker`` (e.g. the
    Chromium binary), so that processes which end during the run still count with their last value."""

    def __init__(self, marker: str) -> None:
        self.marker = marker.encode()
        self.last: dict[str, float] = {}

    def sample(self) -> None:
        for pid in _descendants(os.getpid()):
            try:
                if self.marker in Path(f"/proc/{pid}/cmdline").read_bytes():
                    self.last[pid] = cpu_seconds(pid)
            except OSError:
                continue

    async def run(self, every_s: float = 1.0) -> None:
        while True:
            self.sample()
            await asyncio.sleep(every_s)

    @property
    def total(self) -> float:
        return sum(self.last.values())
