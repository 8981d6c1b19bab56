"""A feed-forward network on a window of the last k values: the memoryless model with a nonlinearity.

    y = W2 tanh(W1 x + b1) + b2        x: the window flattened, (k·D,)

Like linear autoregression it sees only the window and nothing older, but it can bend: it is the fair
"no memory" rival for a recurrent network. Trained here with the engine's own Adam on mean squared error,
with early stopping on the last part of the training windows (chronologically), so it is as good as it can
honestly be made without seeing the validation data. Parameters follow two torch.nn.Linear layers.
"""

from __future__ import annotations

import numpy as np

from .baseline import _flat_windows, _float_array
from .optim import Adam
from .validation import check_int, check_number


class WindowMLP:
    """``fit(X, y)`` with X (N, k) or (N, k, D) samples-first windows and y (N,) or (N, O); then ``predict(X)``.

    params: weight1 (H, k·D), bias1 (H,), weight2 (O, H), bias2 (O,), initialised like nn.Linear (seeded).
    """

    def __init__(self, hidden: int = 32, *, epochs: int = 300, lr: float = 0.01, batch_size: int = 64,
                 patience: int = 30, holdout: float = 0.15, seed: int = 0):
        self.hidden = check_int("hidden", hidden, 1, 4096)
        self.epochs = check_int("epochs", epochs, 1, 100_000)
        self.lr = check_number("lr", lr, lo=1e-12)
        self.batch_size = check_int("batch_size", batch_size, 1)
        self.patience = check_int("patience", patience, 1)
        self.holdout = check_number("holdout", holdout, 0.0, 0.5)
        self.seed = seed
        self.params: dict[str, np.ndarray] = {}
        self.epochs_run = 0
        self._window_shape: tuple[int, ...] | None = None
        self._vector_y = False

    def __repr__(self) -> str:
        return f"WindowMLP(hidden={self.hidden})"

    def num_params(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    # -- the network -------------------------------------------------------------------------------------
    def _init(self, inputs: int, outputs: int) -> None:
        rng = np.random.default_rng(self.seed)
        b1, b2 = 1 / np.sqrt(inputs), 1 / np.sqrt(self.hidden)  # PyTorch's nn.Linear bounds
        self.params = {"weight1": rng.uniform(-b1, b1, (self.hidden, inputs)),
                       "bias1": rng.uniform(-b1, b1, self.hidden),
                       "weight2": rng.uniform(-b2, b2, (outputs, self.hidden)),
                       "bias2": rng.uniform(-b2, b2, outputs)}

    def _forward(self, A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A (N, k·D) -> (hidden activations (N, H), outputs (N, O))."""
        p = self.params
        z = np.tanh(A @ p["weight1"].T + p["bias1"])
        return z, z @ p["weight2"].T + p["bias2"]

    def loss_and_grads(self, A: np.ndarray, Y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        """Mean squared error over every output and its gradient for each parameter (exact backprop)."""
        p = self.params
        z, out = self._forward(A)
        err = out - Y
        loss = float(np.mean(err * err))
        d_out = 2 * err / err.size
        dz = (d_out @ p["weight2"]) * (1 - z * z)  # through the readout, then tanh'
        return loss, {"weight2": d_out.T @ z, "bias2": d_out.sum(axis=0),
                      "weight1": dz.T @ A, "bias1": dz.sum(axis=0)}

    # -- fitting -----------------------------------------------------------------------------------------
    def fit(self, X, y) -> WindowMLP:
        A, Y = _design(X, y)
        self._window_shape, self._vector_y = np.shape(X)[1:], np.ndim(y) == 1
        self._init(A.shape[1], Y.shape[1])
        n_fit = len(A) - int(round(self.holdout * len(A))) if len(A) >= 10 else len(A)
        fit_A, fit_Y, check_A, check_Y = A[:n_fit], Y[:n_fit], A[n_fit:], Y[n_fit:]
        opt, rng = Adam(self.lr), np.random.default_rng([self.seed, 1])
        best, best_params, waited = np.inf, None, 0
        for epoch in range(self.epochs):
            for idx in np.array_split(rng.permutation(n_fit), max(1, -(-n_fit // self.batch_size))):
                opt.step(self.params, self.loss_and_grads(fit_A[idx], fit_Y[idx])[1])
            score = self.loss_and_grads(check_A, check_Y)[0] if len(check_A) else 0.0
            self.epochs_run = epoch + 1
            if score < best - 1e-12:
                best, best_params, waited = score, {k: v.copy() for k, v in self.params.items()}, 0
            elif (waited := waited + 1) >= self.patience:
                break
        self.params = best_params or self.params
        return self

    def predict(self, X) -> np.ndarray:
        if not self.params:
            raise ValueError("WindowMLP: call fit(X, y) before predict")
        if np.shape(X)[1:] != self._window_shape:
            raise ValueError(f"X: expected windows of shape (N, {', '.join(map(str, self._window_shape))}) "
                             f"like the training windows, got shape {np.shape(X)}")
        out = self._forward(_design(X)[0])[1]
        return out[:, 0] if self._vector_y else out


def _design(X, y=None) -> tuple[np.ndarray, np.ndarray | None]:
    """Windows (N, k) or (N, k, D) -> (N, k·D) float64; targets (N,) or (N, O) -> (N, O); checked."""
    A = _flat_windows("X", X)
    if y is None:
        return A, None
    Y = _float_array("y", y)
    Y = Y[:, None] if Y.ndim == 1 else Y
    if Y.ndim != 2 or len(Y) != len(A):
        raise ValueError(f"y: expected shape ({len(A)},) or ({len(A)}, O) to match X's {len(A)} windows, "
                         f"got shape {np.shape(y)}")
    return A, Y
