"""Activation functions, each one object holding the function and its derivative.

The derivative takes both the pre-activation ``a`` and the output ``y = f(a)``
because for tanh and sigmoid the cheapest exact form uses ``y`` (tanh' = 1 - y²,
σ' = y(1 - y)), while ReLU-like functions need the sign of ``a``.

Each activation also has ``apply(a, out)`` and ``deriv_into(a, y, out)``: the same
function and derivative written into a given array, so that the cells fill memory they
have already allocated instead of making a fresh temporary array every time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01  # PyTorch's default negative_slope for LeakyReLU
ELU_ALPHA = 1.0  # PyTorch's default alpha for ELU


@dataclass(frozen=True)
class Activation:
    """A pointwise nonlinearity: ``fn(a) -> y`` and ``deriv(a, y) -> dy/da``.

    ``into(a, out)`` and ``deriv_into(a, y, out)``, when given, compute the same into ``out``.
    """

    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    deriv: Callable[[np.ndarray, np.ndarray], np.ndarray]
    latex: str
    into: Callable[[np.ndarray, np.ndarray], None] | None = None
    deriv_into_fn: Callable[[np.ndarray, np.ndarray, np.ndarray], None] | None = None

    def __call__(self, a: np.ndarray) -> np.ndarray:
        return self.fn(a)

    def apply(self, a: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Write fn(a) into ``out`` (which must not be ``a``) and return it."""
        if self.into is None:
            out[...] = self.fn(a)
        else:
            self.into(a, out)
        return out

    def deriv_into(self, a: np.ndarray, y: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Write deriv(a, y) into ``out`` (which must be neither ``a`` nor ``y``) and return it."""
        if self.deriv_into_fn is None:
            out[...] = self.deriv(a, y)
        else:
            self.deriv_into_fn(a, y, out)
        return out

    def __reduce__(self):
        """Pickled by name (its functions include lambdas, which pickle cannot send): a model with an RNN cell can
        go to and from a worker process."""
        return get_activation, (self.name,)


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Logistic sigmoid written through tanh: exact, and never overflows in exp()."""
    return 0.5 * np.tanh(0.5 * a) + 0.5


def sigmoid_into(a: np.ndarray, out: np.ndarray) -> None:
    np.multiply(a, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5


def _elu(a: np.ndarray) -> np.ndarray:
    # expm1 of a clipped argument: positive a would overflow exp() for nothing.
    return np.where(a > 0, a, ELU_ALPHA * np.expm1(np.minimum(a, 0)))


def _elu_into(a: np.ndarray, out: np.ndarray) -> None:
    # α·expm1(min(a, 0)) + max(a, 0): each term is zero where the other one applies.
    np.minimum(a, 0, out=out)
    np.expm1(out, out=out)
    if ELU_ALPHA != 1.0:
        out *= ELU_ALPHA
    out += np.maximum(a, 0)


def _leaky_into(a: np.ndarray, out: np.ndarray) -> None:
    np.multiply(a, LEAKY_SLOPE, out=out)
    np.maximum(a, out, out=out)  # max(a, 0.01 a) picks a when a > 0 and 0.01 a otherwise


def _tanh_deriv_into(a: np.ndarray, y: np.ndarray, out: np.ndarray) -> None:
    np.multiply(y, y, out=out)
    np.subtract(1.0, out, out=out)  # 1 - y²


def _sigmoid_deriv_into(a: np.ndarray, y: np.ndarray, out: np.ndarray) -> None:
    np.subtract(1.0, y, out=out)
    out *= y  # y (1 - y)


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation(
        "tanh", np.tanh, lambda a, y: 1.0 - y * y, r"\tanh(a)", lambda a, out: np.tanh(a, out=out), _tanh_deriv_into
    ),
    "sigmoid": Activation(
        "sigmoid", sigmoid, lambda a, y: y * (1.0 - y), r"\sigma(a) = 1/(1+e^{-a})", sigmoid_into, _sigmoid_deriv_into
    ),
    "relu": Activation(
        "relu", lambda a: np.maximum(a, 0), lambda a, y: (a > 0).astype(a.dtype), r"\max(0, a)",
        lambda a, out: np.maximum(a, 0, out=out), lambda a, y, out: np.greater(a, 0, out=out),
    ),
    "leaky_relu": Activation(
        "leaky_relu",
        lambda a: np.where(a > 0, a, LEAKY_SLOPE * a),
        lambda a, y: np.where(a > 0, 1.0, LEAKY_SLOPE).astype(a.dtype),
        r"\max(0.01a, a)",
        _leaky_into,
    ),
    "elu": Activation(
        "elu", _elu, lambda a, y: np.where(a > 0, 1.0, y + ELU_ALPHA).astype(a.dtype),
        r"a \text{ if } a>0 \text{ else } e^a-1", _elu_into,
    ),
    "identity": Activation(
        "identity", lambda a: a.copy(), lambda a, y: np.ones_like(a), r"a", lambda a, out: np.copyto(out, a),
        lambda a, y, out: out.fill(1.0),
    ),
}


def get_activation(name: str) -> Activation:
    """Look an activation up by name; ``ValueError`` listing the valid names otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        valid = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"nonlinearity: unknown activation {name!r}; expected one of {valid}") from None


def curve(name: str, lo: float = -6.0, hi: float = 6.0, points: int = 241) -> tuple[np.ndarray, ...]:
    """(a, act(a), act'(a)) on ``points`` evenly spaced values from ``lo`` to ``hi``: the function and
    its slope, for drawing where a step lands and how much gradient it passes back."""
    act = get_activation(name)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"curve: expected finite lo < hi, got lo={lo!r}, hi={hi!r}")
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise ValueError(f"points: expected an integer of at least 2, got {points!r}")
    a = np.linspace(lo, hi, points)
    y = act.fn(a)
    return a, y, act.deriv(a, y)
