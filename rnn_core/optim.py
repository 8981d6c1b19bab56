"""Optimizers with torch.optim's exact update rules, on dicts of NumPy arrays updated in place.

``opt.step(params, grads)``: ``params`` maps a name to the *live* parameter array (e.g.
``SequenceModel.params``), ``grads`` maps the same names to gradients. State (momentum buffers,
Adam moments) is keyed by parameter name, so keep the names stable between steps.
"""

from __future__ import annotations

import numpy as np

from .validation import check_float


def _check_unit(name: str, value: object) -> float:
    """A coefficient in [0, 1), such as momentum or an Adam beta."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number in [0, 1), got {value!r}") from None
    if not 0.0 <= v < 1.0:
        raise ValueError(f"{name}: expected a number in [0, 1), got {value!r}")
    return v


def _check_pairs(params: dict, grads: dict) -> None:
    missing = sorted(set(params) - set(grads))
    extra = sorted(set(grads) - set(params))
    if missing or extra:
        raise ValueError(f"grads: keys must match params; missing {missing}, unexpected {extra}")
    for key, p in params.items():
        g = grads[key]
        if np.shape(g) != p.shape:
            raise ValueError(f"grads[{key!r}]: expected shape {p.shape} (same as the parameter), "
                             f"got shape {np.shape(g)}")


class Optimizer:
    """Common plumbing: validation and the step counter. Subclasses implement ``_update``."""

    def __init__(self, lr: float):
        self.lr = check_float("lr", lr)
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.steps = 0

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Update every array in ``params`` in place from ``grads`` (same keys and shapes)."""
        _check_pairs(params, grads)
        self.steps += 1
        for key, p in params.items():
            self._update(key, p, np.asarray(grads[key], dtype=p.dtype))

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional (heavy-ball) momentum, as ``torch.optim.SGD``.

    PyTorch's convention (no dampening): the first step sets the buffer to the gradient,
    later steps do ``buf = momentum * buf + g``; then ``p -= lr * buf``.
    (Some texts write ``v = momentum * v - lr * g; p += v`` — the same for a constant lr.)
    """

    def __init__(self, lr: float, momentum: float = 0.0):
        super().__init__(lr)
        self.momentum = _check_unit("momentum", momentum)

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum})"

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        if self.momentum != 0.0:
            st = self.state.get(key)
            if st is None:
                st = self.state[key] = {"momentum_buffer": g.copy()}
            else:
                buf = st["momentum_buffer"]
                buf *= self.momentum
                buf += g
            g = st["momentum_buffer"]
        p -= self.lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with bias correction, as ``torch.optim.Adam`` (no weight decay).

    m = β1 m + (1-β1) g;  v = β2 v + (1-β2) g²;
    p -= lr / (1 - β1^t) · m / (sqrt(v) / sqrt(1 - β2^t) + eps)
    """

    def __init__(self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        super().__init__(lr)
        if len(betas) != 2:
            raise ValueError(f"betas: expected a pair (beta1, beta2), got {betas!r}")
        self.betas = (_check_unit("betas[0]", betas[0]), _check_unit("betas[1]", betas[1]))
        self.eps = check_float("eps", eps, "non-negative")

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps})"

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        b1, b2 = self.betas
        st = self.state.get(key)
        if st is None:
            st = self.state[key] = {"step": 0, "exp_avg": np.zeros_like(p), "exp_avg_sq": np.zeros_like(p)}
        st["step"] += 1
        t = st["step"]
        m, v = st["exp_avg"], st["exp_avg_sq"]
        m += (1.0 - b1) * (g - m)  # torch: exp_avg.lerp_(grad, 1 - beta1)
        v *= b2
        v += (1.0 - b2) * (g * g)
        step_size = self.lr / (1.0 - b1**t)
        denom = np.sqrt(v) / (1.0 - b2**t) ** 0.5
        denom += self.eps
        p -= step_size * (m / denom)
