"""Activation functions, each one object holding the function and its derivative.

The derivative takes both the pre-activation ``a`` and the output ``y = f(a)``
because for tanh and sigmoid the cheapest exact form uses ``y`` (tanh' = 1 - y²,
σ' = y(1 - y)), while ReLU-like functions need the sign of ``a``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01  # PyTorch's default negative_slope for LeakyReLU
ELU_ALPHA = 1.0  # PyTorch's default alpha for ELU


@dataclass(frozen=True)
class Activation:
    """A pointwise nonlinearity: ``fn(a) -> y`` and ``deriv(a, y) -> dy/da``."""

    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    deriv: Callable[[np.ndarray, np.ndarray], np.ndarray]
    latex: str

    def __call__(self, a: np.ndarray) -> np.ndarray:
        return self.fn(a)


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Logistic sigmoid written through tanh: exact, and never overflows in exp()."""
    return 0.5 * np.tanh(0.5 * a) + 0.5


def _elu(a: np.ndarray) -> np.ndarray:
    # expm1 of a clipped argument: positive a would overflow exp() for nothing.
    return np.where(a > 0, a, ELU_ALPHA * np.expm1(np.minimum(a, 0)))


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation("tanh", np.tanh, lambda a, y: 1.0 - y * y, r"\tanh(a)"),
    "sigmoid": Activation("sigmoid", sigmoid, lambda a, y: y * (1.0 - y), r"\sigma(a) = 1/(1+e^{-a})"),
    "relu": Activation(
        "relu", lambda a: np.maximum(a, 0), lambda a, y: (a > 0).astype(a.dtype), r"\max(0, a)"
    ),
    "leaky_relu": Activation(
        "leaky_relu",
        lambda a: np.where(a > 0, a, LEAKY_SLOPE * a),
        lambda a, y: np.where(a > 0, 1.0, LEAKY_SLOPE).astype(a.dtype),
        r"\max(0.01a, a)",
    ),
    "elu": Activation(
        "elu", _elu, lambda a, y: np.where(a > 0, 1.0, y + ELU_ALPHA).astype(a.dtype), r"a \text{ if } a>0 \text{ else } e^a-1"
    ),
    "identity": Activation("identity", lambda a: a.copy(), lambda a, y: np.ones_like(a), r"a"),
}


def get_activation(name: str) -> Activation:
    """Look an activation up by name; ``ValueError`` listing the valid names otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        valid = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"nonlinearity: unknown activation {name!r}; expected one of {valid}") from None
