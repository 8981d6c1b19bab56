"""Unrolled's engine: RNN, LSTM and GRU in pure NumPy with exact backpropagation through time.

Imports NumPy only. Shapes are time-first like PyTorch: x is (T, D) or (T, B, D).
"""

from .activations import ACTIVATIONS, Activation, get_activation, sigmoid
from .base import Grads, RecurrentCell, Trace
from .gru import GRU
from .lstm import LSTM
from .rnn import RNN

__all__ = [
    "ACTIVATIONS", "GRU", "LSTM", "RNN", "Activation", "Grads", "RecurrentCell", "Trace",
    "get_activation", "sigmoid",
]
