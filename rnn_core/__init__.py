"""Unrolled's engine: RNN, LSTM and GRU in pure NumPy with exact backpropagation through time.

Imports NumPy only. Shapes are time-first like PyTorch: x is (T, D) or (T, B, D).
"""

from . import signals
from .activations import ACTIVATIONS, Activation, curve, get_activation, sigmoid
from .analysis import JacobianNorms, jacobian_norms, singular_values, step_jacobians, truncated_backward
from .base import Grads, RecurrentCell, Trace
from .baseline import (
    LinearAR,
    copy_task_baseline_loss,
    last_value,
    mean_absolute_error,
    mean_squared_error,
    recursive_forecast,
    regression_metrics,
    root_mean_squared_error,
    unigram_loss,
)
from .bidirectional import Bidirectional, BidirectionalTrace
from .clipping import ClipResult, clip_by_norm, clip_by_value, global_norm
from .gru import GRU
from .heads import Linear
from .losses import mse, softmax, softmax_cross_entropy
from .lstm import LSTM
from .model import LossGrads, SequenceModel
from .optim import SGD, Adam
from .rnn import RNN
from .steps import GRUStep, LSTMStep, RNNStep, gru_step, lstm_step, previous_states, replay, rnn_step
from .sweeps import sweep_recurrent_scale
from .tasks import (
    CharDataset,
    Standardizer,
    WindowSplit,
    adding_problem,
    chronological_split,
    copy_task,
    make_windows,
    sine,
    stock_prices,
    window_split,
)
from .training import (
    Progress,
    TrainConfig,
    TrainData,
    Trainer,
    TrainResult,
    build_model,
    evaluate,
    iter_train,
    planned_steps,
    predict_samples,
    train,
)
from .window_mlp import WindowMLP

__all__ = [
    "ACTIVATIONS",
    "GRUStep",
    "LSTMStep",
    "RNNStep",
    "curve",
    "gru_step",
    "lstm_step",
    "planned_steps",
    "previous_states",
    "replay",
    "rnn_step",
    "signals",
    "sweep_recurrent_scale",
    "GRU",
    "LSTM",
    "RNN",
    "Activation",
    "Bidirectional",
    "BidirectionalTrace",
    "ClipResult",
    "Grads",
    "JacobianNorms",
    "RecurrentCell",
    "Trace",
    "clip_by_norm",
    "clip_by_value",
    "get_activation",
    "global_norm",
    "Linear",
    "mse",
    "softmax",
    "softmax_cross_entropy",
    "SGD",
    "Adam",
    "LossGrads",
    "SequenceModel",
    "Progress",
    "TrainConfig",
    "TrainData",
    "Trainer",
    "TrainResult",
    "build_model",
    "evaluate",
    "iter_train",
    "predict_samples",
    "train",
    "CharDataset",
    "Standardizer",
    "WindowSplit",
    "adding_problem",
    "chronological_split",
    "copy_task",
    "make_windows",
    "sine",
    "stock_prices",
    "window_split",
    "LinearAR",
    "WindowMLP",
    "copy_task_baseline_loss",
    "last_value",
    "mean_absolute_error",
    "mean_squared_error",
    "recursive_forecast",
    "regression_metrics",
    "root_mean_squared_error",
    "unigram_loss",
    "jacobian_norms",
    "sigmoid",
    "singular_values",
    "step_jacobians",
    "truncated_backward",
]
