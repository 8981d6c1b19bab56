"""A cache bounded by entries *and* bytes, for large values (a task's arrays can be 20 MB; Streamlit's
``st.cache_data`` bounds entries only, and copies every value on every hit).

``Bounded(max_entries, max_bytes).get(key, make)`` returns the value stored for ``key`` or ``make()``, keeping the
most recently used values within both limits (a single value larger than ``max_bytes`` is returned but not kept).
Values are shared, not copied: treat them as read-only. Thread-safe. No Streamlit here: a page keeps one per
server with ``st.cache_resource``.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np


def nbytes(value: object) -> int:
    """The bytes held by the NumPy arrays in ``value`` (a dataclass, dict, list or tuple of them, nested)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(nbytes(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return sum(nbytes(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(nbytes(v) for v in value)
    return 0


class Bounded:
    """Least-recently-used values, at most ``max_entries`` of them and ``max_bytes`` in total."""

    def __init__(self, max_entries: int, max_bytes: float, size: Callable[[object], int] = nbytes):
        self.max_entries, self.max_bytes, self._size = max_entries, max_bytes, size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], object]) -> object:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = make()  # outside the lock: another session may read meanwhile
        size = self._size(value)
        with self._lock:
            if size <= self.max_bytes:
                self._items[key] = (value, size)
                self._items.move_to_end(key)
                while len(self._items) > self.max_entries or self.total_bytes > self.max_bytes:
                    self._items.popitem(last=False)
        return value

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items
