"""The readout that turns hidden states into predictions: y = V h + c, laid out like torch.nn.Linear."""

from __future__ import annotations

import numpy as np

from .validation import as_array, check_size


class Linear:
    """A linear readout applied to every hidden state it is given.

    params: ``weight`` (O, H) and ``bias`` (O,) — PyTorch's ``nn.Linear`` names and layout,
    initialised like it, U(-1/sqrt(H), 1/sqrt(H)), reproducible from ``seed``.
    Assigning new arrays of the right shape into ``params`` changes the head.
    """

    def __init__(self, in_features: int, out_features: int, *, seed: int | None = None, dtype=np.float64):
        self.in_features = check_size("in_features", in_features)
        self.out_features = check_size("out_features", out_features)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            raise ValueError(f"dtype: expected float32 or float64, got {self.dtype}")
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(self.in_features)
        self.params: dict[str, np.ndarray] = {
            "weight": rng.uniform(-bound, bound, size=(self.out_features, self.in_features)).astype(self.dtype),
            "bias": rng.uniform(-bound, bound, size=(self.out_features,)).astype(self.dtype),
        }

    def __repr__(self) -> str:
        return f"Linear(in_features={self.in_features}, out_features={self.out_features})"

    def num_params(self) -> int:
        return self.in_features * self.out_features + self.out_features

    def _check_h(self, h: object) -> np.ndarray:
        arr = as_array("h", h, self.dtype)
        if arr.ndim < 1 or arr.shape[-1] != self.in_features:
            raise ValueError(f"h: expected shape (..., {self.in_features}), got shape {arr.shape}")
        return arr

    def forward(self, h) -> np.ndarray:
        """h: (..., H) -> y: (..., O). Leading axes (time, batch) are kept."""
        arr = self._check_h(h)
        W, b = self.params["weight"], self.params["bias"]
        y = arr.reshape(-1, self.in_features) @ W.T  # one matmul for every step and sequence
        y += b
        return y.reshape(*arr.shape[:-1], self.out_features)

    def backward(self, h, dy) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Gradients from dL/dy (..., O): returns ({"weight": (O, H), "bias": (O,)}, dL/dh (..., H)).

        The weight gradient is summed over every leading position (every step and sequence).
        """
        arr = self._check_h(h)
        dY = as_array("dy", dy, self.dtype)
        expected = (*arr.shape[:-1], self.out_features)
        if dY.shape != expected:
            raise ValueError(f"dy: expected shape {expected} (h's leading axes, then out_features), "
                             f"got shape {dY.shape}")
        h2 = arr.reshape(-1, self.in_features)
        dy2 = dY.reshape(-1, self.out_features)
        grads = {"weight": dy2.T @ h2, "bias": dy2.sum(axis=0)}
        dh = (dy2 @ self.params["weight"]).reshape(arr.shape)
        return grads, dh
