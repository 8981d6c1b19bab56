"""The cache bounded by entries and bytes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.kit.bounded import Bounded, nbytes


@dataclass
class Box:
    a: np.ndarray
    more: tuple = ()


def test_nbytes_counts_arrays_in_nested_values():
    assert nbytes(Box(np.zeros(10), (np.zeros(5), {"x": np.zeros(2, np.float32)}))) == 80 + 40 + 8
    assert nbytes("text") == 0


def test_values_are_made_once_and_shared():
    cache, made = Bounded(4, 1e6), []
    for _ in range(3):
        value = cache.get("k", lambda: made.append(1) or np.zeros(3))
    assert len(made) == 1 and cache.get("k", lambda: None) is value


def test_bounded_by_entries_and_by_bytes_oldest_first():
    cache = Bounded(3, 1000)
    for k in range(5):
        cache.get(k, lambda: np.zeros(10))  # 80 bytes each
    assert len(cache) == 3 and 0 not in cache and 4 in cache
    cache.get("big", lambda: np.zeros(100))  # 800 bytes: the older ones make room
    assert cache.total_bytes <= 1000 and "big" in cache and 2 not in cache
    huge = cache.get("huge", lambda: np.zeros(1000))  # larger than the whole cache: returned, not kept
    assert huge.shape == (1000,) and "huge" not in cache


def test_recently_used_values_stay():
    cache = Bounded(2, 1e6)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)  # a is used again
    cache.get("c", lambda: 3)
    assert "a" in cache and "b" not in cache
