"""Losses with their gradients: mean squared error and softmax cross-entropy (PyTorch's 'mean' reduction).

Each loss returns ``(loss, dpred)`` where ``dpred`` is dL/dpred with the same shape as the prediction.
Targets are data, so they are checked (shape, finite, class range). Predictions are model outputs:
if training blew up they may be inf/NaN, and the loss then becomes inf/NaN quietly so the caller can
report *when* it diverged instead of crashing.
"""

from __future__ import annotations

import numpy as np

from .validation import as_array, check_finite, check_float


def mse(pred, target) -> tuple[float, np.ndarray]:
    """Mean squared error over every element, like ``torch.nn.MSELoss()``.

    pred, target: the same shape, e.g. (B, O) or (T, B, O). Returns (loss, dL/dpred).
    """
    p = np.asarray(pred)
    if not np.issubdtype(p.dtype, np.floating):
        p = as_array("pred", pred, np.float64)
    y = as_array("target", target, p.dtype)
    if p.shape != y.shape:
        raise ValueError(f"mse: pred has shape {p.shape} but target has shape {y.shape}; they must match")
    if p.size == 0:
        raise ValueError(f"mse: pred is empty (shape {p.shape}); need at least one element")
    check_finite("target", y)
    with np.errstate(over="ignore", invalid="ignore"):
        diff = p - y
        loss = float(np.mean(diff * diff))
        dpred = diff * (2.0 / p.size)
    return loss, dpred.astype(p.dtype, copy=False)


def softmax(logits, temperature: float = 1.0) -> np.ndarray:
    """Probabilities over the last axis of ``logits / temperature`` (..., C).

    Subtracting the row maximum first keeps exp() from overflowing. Low temperature sharpens
    the distribution towards the argmax, high temperature flattens it towards uniform.
    """
    t = check_float("temperature", temperature)
    z = np.asarray(logits)
    if not np.issubdtype(z.dtype, np.floating):
        z = as_array("logits", logits, np.float64)
    if z.ndim < 1 or z.shape[-1] == 0:
        raise ValueError(f"logits: expected shape (..., C) with C >= 1, got shape {z.shape}")
    check_finite("logits", z)
    z = z / t
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def check_class_targets(targets, shape: tuple[int, ...], num_classes: int, name: str = "targets") -> np.ndarray:
    """Integer class labels of ``shape`` with values in [0, num_classes)."""
    t = np.asarray(targets)
    if t.dtype == bool or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"{name}: expected integer class indices, got dtype {t.dtype}")
    if t.shape != tuple(shape):
        raise ValueError(f"{name}: expected shape {tuple(shape)} (logits without the class axis), "
                         f"got shape {t.shape}")
    if t.size and (t.min() < 0 or t.max() >= num_classes):
        bad = int(t.min()) if t.min() < 0 else int(t.max())
        raise ValueError(f"{name}: class index {bad} is out of range; expected 0 <= index < {num_classes}")
    return t


def softmax_cross_entropy(logits, targets) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer targets, like ``torch.nn.CrossEntropyLoss()``.

    logits: (..., C); targets: (...) integers in [0, C). Loss in nats. Returns (loss, dL/dlogits),
    where dL/dlogits = (softmax(logits) - onehot(targets)) / N and N is the number of positions.
    """
    z = np.asarray(logits)
    if not np.issubdtype(z.dtype, np.floating):
        z = as_array("logits", logits, np.float64)
    if z.ndim < 1 or z.shape[-1] == 0:
        raise ValueError(f"logits: expected shape (..., C) with C >= 1, got shape {z.shape}")
    C = z.shape[-1]
    t = check_class_targets(targets, z.shape[:-1], C)
    n = t.size
    if n == 0:
        raise ValueError(f"softmax_cross_entropy: no positions (logits shape {z.shape}); need at least one")
    z2 = z.reshape(n, C)
    t1 = t.reshape(n)
    rows = np.arange(n)
    with np.errstate(over="ignore", invalid="ignore"):
        m = z2.max(axis=1, keepdims=True)
        e = np.exp(z2 - m)
        s = e.sum(axis=1, keepdims=True)
        lse = np.log(s) + m  # log-sum-exp, stable
        loss = float(np.mean(lse[:, 0] - z2[rows, t1]))
        d = e / s
        d[rows, t1] -= 1.0
        d *= 1.0 / n
    return loss, d.reshape(z.shape).astype(z.dtype, copy=False)
