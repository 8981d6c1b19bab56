"""Parity with torch.nn.RNN / LSTM / GRU (and a bidirectional LSTM) in float64: outputs, final states, gradients.

Skipped when torch is not installed. The same weights go into both; the upstream gradient dL/dh_t is a
random array fed to torch.autograd.grad as grad_outputs and to our backward as dh.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import rel_error

import rnn_core

torch = pytest.importorskip("torch")

TOL = 1e-12
NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
CASES = {
    "rnn-tanh": (rnn_core.RNN, {"nonlinearity": "tanh"}, torch.nn.RNN, {"nonlinearity": "tanh"}),
    "rnn-relu": (rnn_core.RNN, {"nonlinearity": "relu"}, torch.nn.RNN, {"nonlinearity": "relu"}),
    "lstm": (rnn_core.LSTM, {}, torch.nn.LSTM, {}),
    "gru": (rnn_core.GRU, {}, torch.nn.GRU, {}),
}


def tensor(a: np.ndarray, grad: bool = True):
    return torch.tensor(np.ascontiguousarray(a), dtype=torch.float64, requires_grad=grad)


def torch_run(net, x, states, dh):
    """Output, final states and dL/d(x, states, params) from torch, as numpy."""
    inputs = [tensor(x)] + [tensor(s) for s in states]
    out, final = net(inputs[0], tuple(inputs[1:]) if len(states) == 2 else inputs[1])
    final = final if isinstance(final, tuple) else (final,)
    params = dict(net.named_parameters())
    grads = torch.autograd.grad(out, inputs + list(params.values()), tensor(dh, grad=False))
    n = len(inputs)
    return (out.detach().numpy(), [f.detach().numpy() for f in final], [g.numpy() for g in grads[:n]],
            {k: g.numpy() for k, g in zip(params, grads[n:], strict=True)})


def load_into_torch(net, params: dict, suffix: str = "") -> None:
    with torch.no_grad():
        for name in NAMES:
            getattr(net, f"{name}_l0{suffix}").copy_(torch.from_numpy(params[name]))


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("case", CASES)
def test_matches_torch(case, batched):
    ours_cls, ours_kw, torch_cls, torch_kw = CASES[case]
    rng = np.random.default_rng(7)
    T, B, D, H = 6, 3, 4, 5
    cell = ours_cls(D, H, seed=3, **ours_kw)
    net = torch_cls(D, H, dtype=torch.float64, **torch_kw)
    load_into_torch(net, cell.params)
    lead, state = ((T, B), (B, H)) if batched else ((T,), (H,))
    x = rng.standard_normal((*lead, D))
    h0 = rng.standard_normal(state)
    c0 = rng.standard_normal(state) if cell.takes_c0 else None
    dh = rng.standard_normal((*lead, H))

    trace = cell.forward(x, h0, c0)
    grads = cell.backward(trace, dh)
    states = [h0[None]] + ([c0[None]] if c0 is not None else [])
    out, final, (gx, *gstates), gparams = torch_run(net, x, states, dh)

    assert rel_error(trace.h, out) < TOL
    assert rel_error(trace.h[-1], final[0][0]) < TOL
    assert rel_error(grads.x, gx) < TOL
    assert rel_error(grads.h0, gstates[0][0]) < TOL
    if c0 is not None:
        assert rel_error(trace.c[-1], final[1][0]) < TOL
        assert rel_error(grads.c0, gstates[1][0]) < TOL
    for name in NAMES:
        assert rel_error(grads.params[name], gparams[f"{name}_l0"]) < TOL, name


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
def test_bidirectional_lstm_matches_torch(batched):
    rng = np.random.default_rng(11)
    T, B, D, H = 5, 2, 3, 4
    bi = rnn_core.Bidirectional(rnn_core.LSTM(D, H, seed=1), rnn_core.LSTM(D, H, seed=2))
    net = torch.nn.LSTM(D, H, bidirectional=True, dtype=torch.float64)
    load_into_torch(net, bi.forward_cell.params)
    load_into_torch(net, bi.backward_cell.params, "_reverse")
    lead, state = ((T, B), (2, B, H)) if batched else ((T,), (2, H))
    x = rng.standard_normal((*lead, D))
    h0, c0 = rng.standard_normal(state), rng.standard_normal(state)
    dh = rng.standard_normal((*lead, 2 * H))

    trace = bi.forward(x, h0, c0)
    grads = bi.backward(trace, dh)
    out, (hn, cn), (gx, gh0, gc0), gparams = torch_run(net, x, [h0, c0], dh)

    assert rel_error(trace.h, out) < TOL
    # Final states as PyTorch reports them: forward after step T-1, backward after reading step 0.
    assert rel_error(np.stack([trace.forward.h[-1], trace.backward.h[0]]), hn) < TOL
    assert rel_error(np.stack([trace.forward.c[-1], trace.backward.c[0]]), cn) < TOL
    assert rel_error(grads.x, gx) < TOL
    assert rel_error(grads.h0, gh0) < TOL
    assert rel_error(grads.c0, gc0) < TOL
    for name in NAMES:
        assert rel_error(grads.params[name], gparams[f"{name}_l0"]) < TOL, name
        assert rel_error(grads.params[name + "_reverse"], gparams[f"{name}_l0_reverse"]) < TOL, name
