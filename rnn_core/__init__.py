"""Unrolled's engine: RNN, LSTM and GRU in pure NumPy with exact backpropagation through time.

Imports NumPy only. Shapes are time-first like PyTorch: x is (T, D) or (T, B, D).
"""

from .activations import ACTIVATIONS, Activation, get_activation, sigmoid
from .analysis import JacobianNorms, jacobian_norms, singular_values, step_jacobians, truncated_backward
from .base import Grads, RecurrentCell, Trace
from .bidirectional import Bidirectional, BidirectionalTrace
from .clipping import ClipResult, clip_by_norm, clip_by_value, global_norm
from .gru import GRU
from .lstm import LSTM
from .rnn import RNN

__all__ = [
    "ACTIVATIONS", "GRU", "LSTM", "RNN", "Activation", "Bidirectional", "BidirectionalTrace", "ClipResult",
    "Grads", "JacobianNorms", "RecurrentCell", "Trace", "clip_by_norm", "clip_by_value", "get_activation",
    "global_norm", "jacobian_norms", "sigmoid", "singular_values", "step_jacobians", "truncated_backward",
]
