"""Shared test helpers: central finite differences and a relative-error measure.

Import them in any test module: ``from conftest import numeric_grad, rel_error``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest


def numeric_grad(f: Callable[[], float], arr: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central finite differences of the scalar ``f()`` with respect to every entry of ``arr``.

    ``arr`` is perturbed in place (and restored), so ``f`` must read it afresh on each call —
    pass the very array the model uses, e.g. ``cell.params["weight_hh"]`` or the ``x`` that
    ``f`` feeds to ``forward``. Use float64: in float32 the rounding error swamps the difference.
    """
    grad = np.zeros(arr.shape, dtype=np.float64)
    flat, gflat = arr.reshape(-1), grad.reshape(-1)  # views: writing flat[i] perturbs arr
    if not np.shares_memory(flat, arr):
        raise ValueError("numeric_grad: arr must be contiguous so that it can be perturbed in place")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f()
        flat[i] = old - eps
        down = f()
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return grad


def rel_error(a, b, floor: float = 1e-12) -> float:
    """max|a - b| relative to the larger of max|a| and max|b|: scale-free, and 0 for two zero arrays."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
    if a.size == 0:
        return 0.0
    scale = max(np.abs(a).max(), np.abs(b).max(), floor)
    return float(np.abs(a - b).max() / scale)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)
