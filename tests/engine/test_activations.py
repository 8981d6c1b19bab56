"""Activations travel to and from worker processes."""

from __future__ import annotations

import pickle

import numpy as np

from rnn_core import RNN, get_activation
from rnn_core.activations import ACTIVATIONS


def test_activations_and_an_rnn_pickle_by_name():
    """A model trained in a worker process comes back pickled; an RNN cell used to fail (its activation held
    lambdas), so the worker died silently and the lab said "the training process ended unexpectedly"."""
    for name in ACTIVATIONS:
        assert pickle.loads(pickle.dumps(get_activation(name))) is get_activation(name)
    cell = RNN(2, 3, nonlinearity="leaky_relu", seed=1)
    back = pickle.loads(pickle.dumps(cell))
    x = np.linspace(-1, 1, 12).reshape(3, 2, 2)
    np.testing.assert_array_equal(back.forward(x).h, cell.forward(x).h)
