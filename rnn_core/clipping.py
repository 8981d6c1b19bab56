"""Gradient clipping with PyTorch's semantics (torch.nn.utils.clip_grad_value_ / clip_grad_norm_).

By value clamps every element to [-c, c]: cheap, but it changes the gradient's direction.
By norm rescales the whole gradient (all parameters together, one 2-norm) when it is too
long: the direction is kept, only the step length shrinks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NORM_EPS = 1e-6  # PyTorch adds this to the norm before dividing


@dataclass(frozen=True)
class ClipResult:
    """Clipped gradients (new arrays; the input is not modified) and the global 2-norm before and after."""

    grads: dict[str, np.ndarray]
    norm_before: float
    norm_after: float
    clipped: bool


def global_norm(grads: dict[str, np.ndarray]) -> float:
    """One 2-norm over every element of every gradient (inf if any element overflowed)."""
    if not grads:
        return 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        # Norm of the per-array norms: same value as concatenating, without the copy.
        return float(np.linalg.norm([np.linalg.norm(np.ravel(g)) for g in grads.values()]))


def _positive(name: str, value: float) -> float:
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: expected a positive finite number, got {value!r}")
    return value


def clip_by_value(grads: dict[str, np.ndarray], clip_value: float) -> ClipResult:
    """Clamp each element to [-clip_value, clip_value] (NaN stays NaN, as in PyTorch)."""
    c = _positive("clip_value", clip_value)
    before = global_norm(grads)
    out = {k: np.clip(g, -c, c) for k, g in grads.items()}
    clipped = any(bool(np.any(np.abs(g) > c)) for g in grads.values())
    return ClipResult(out, before, global_norm(out), clipped)


def clip_by_norm(grads: dict[str, np.ndarray], max_norm: float) -> ClipResult:
    """Rescale all gradients by max_norm / (total + 1e-6) when the global norm exceeds max_norm.

    With an overflowed (inf) gradient the factor is 0 and inf * 0 gives NaN; with a NaN norm the factor is NaN
    and every entry becomes NaN — exactly as PyTorch's default (error_if_nonfinite=False) does; ``norm_before``
    reports the inf or NaN.
    """
    m = _positive("max_norm", max_norm)
    before = global_norm(grads)
    coef = m / (before + NORM_EPS)
    if not (coef < 1.0 or np.isnan(coef)):  # PyTorch clamps the coefficient at 1 (a NaN stays NaN)
        return ClipResult({k: g.copy() for k, g in grads.items()}, before, before, False)
    with np.errstate(invalid="ignore"):
        out = {k: g * np.asarray(coef, dtype=g.dtype) for k, g in grads.items()}
    return ClipResult(out, before, global_norm(out), True)
