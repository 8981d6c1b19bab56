"""SequenceModel: end-to-end gradients vs central differences, live parameter views, export, sampling."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import numeric_grad, rel_error

from rnn_core import GRU, LSTM, RNN
from rnn_core.heads import Linear
from rnn_core.model import SequenceModel
from rnn_core.optim import SGD

TOL = 1e-7
FLOOR = 1e-2  # some peephole gradients are ~1e-4: measure their error against a typical gradient size
CELLS = {
    "rnn": lambda D, H, s: RNN(D, H, seed=s),
    "lstm": lambda D, H, s: LSTM(D, H, seed=s),
    "lstm-peephole": lambda D, H, s: LSTM(D, H, peephole=True, seed=s),
    "gru": lambda D, H, s: GRU(D, H, seed=s),
    "gru-cho": lambda D, H, s: GRU(D, H, reset_after=False, seed=s),
}


def make_model(kind: str, D=2, H=3, O=2, seed=0) -> SequenceModel:
    cell = CELLS[kind](D, H, seed)
    for arr in cell.params.values():  # wider than the default init so every gate does real work
        arr *= 2.0
    return SequenceModel(cell, Linear(H, O, seed=seed + 1))


def make_targets(rng, mode, loss, T, B, O):
    lead = (B,) if mode == "many_to_one" else (T, B)
    return rng.integers(0, O, size=lead) if loss == "xent" else rng.standard_normal((*lead, O))


@pytest.mark.parametrize("kind", list(CELLS))
@pytest.mark.parametrize("mode", ["many_to_one", "many_to_many"])
@pytest.mark.parametrize("loss", ["mse", "xent"])
def test_gradients_match_finite_differences(kind, mode, loss):
    rng = np.random.default_rng([len(kind), len(mode), len(loss)])
    T, B, D, O = 4, 3, 2, 3
    model = make_model(kind, D=D, O=O)
    x = rng.standard_normal((T, B, D))
    y = make_targets(rng, mode, loss, T, B, O)
    h0 = 0.3 * rng.standard_normal((B, 3))
    c0 = 0.3 * rng.standard_normal((B, 3)) if kind.startswith("lstm") else None
    res = model.loss_and_grads(x, y, mode=mode, loss=loss, h0=h0, c0=c0)
    f = lambda: model.loss_and_grads(x, y, mode=mode, loss=loss, h0=h0, c0=c0).loss  # noqa: E731
    assert set(res.grads) == set(model.params)
    for name, arr in model.params.items():
        assert rel_error(res.grads[name], numeric_grad(f, arr), floor=FLOOR) < TOL, name


@pytest.mark.parametrize("mode", ["many_to_one", "many_to_many"])
def test_unbatched_and_T1_gradients(mode, rng):
    model = make_model("lstm")
    for T in (1, 5):
        x = rng.standard_normal((T, 2))
        y = rng.standard_normal((2,) if mode == "many_to_one" else (T, 2))
        res = model.loss_and_grads(x, y, mode=mode)
        assert res.output.shape == y.shape
        f = lambda x=x, y=y: model.loss_and_grads(x, y, mode=mode).loss  # noqa: E731
        for name, arr in model.params.items():
            assert rel_error(res.grads[name], numeric_grad(f, arr)) < TOL, (T, name)


def test_loss_and_grads_pieces(rng):
    model = make_model("gru")
    x = rng.standard_normal((5, 4, 2))
    y = rng.standard_normal((4, 2))
    loss, grads, trace, out = model.loss_and_grads(x, y)
    assert out.shape == (4, 2) and trace.h.shape == (5, 4, 3)
    np.testing.assert_allclose(out, model.predict(x), rtol=1e-15)
    assert loss == pytest.approx(np.mean((out - y) ** 2))
    assert grads["cell.weight_hh"].shape == (9, 3) and grads["head.weight"].shape == (2, 3)


def test_params_are_live_views():
    model = make_model("lstm")
    p = model.params
    assert set(p) == {"cell.weight_ih", "cell.weight_hh", "cell.bias_ih", "cell.bias_hh", "head.weight", "head.bias"}
    assert p["cell.weight_hh"] is model.cell.params["weight_hh"]
    assert p["head.bias"] is model.head.params["bias"]
    x = np.ones((3, 2))
    before = model.predict(x).copy()
    SGD(0.5).step(p, {k: np.ones_like(v) for k, v in p.items()})
    assert not np.allclose(model.predict(x), before)  # the optimizer trained the real model
    assert model.num_params() == sum(v.size for v in p.values())


def test_training_step_lowers_the_loss(rng):
    model = make_model("rnn")
    x, y = rng.standard_normal((6, 8, 2)), rng.standard_normal((8, 2))
    first = model.loss_and_grads(x, y)
    SGD(0.05).step(model.params, first.grads)
    assert model.loss_and_grads(x, y).loss < first.loss


def test_final_state_carries_h_and_c(rng):
    model = make_model("lstm")
    x = rng.standard_normal((6, 2, 2))
    full = model.forward(x, mode="many_to_many")[1]
    trace = model.forward(x[:4], mode="many_to_many")[0]
    h, c = SequenceModel.final_state(trace)
    rest = model.forward(x[4:], mode="many_to_many", h0=h, c0=c)[1]
    np.testing.assert_allclose(rest, full[4:], rtol=1e-14)
    assert SequenceModel.final_state(make_model("gru").forward(x)[0])[1] is None


def test_state_dict_torch_names_and_round_trip():
    model = make_model("lstm")
    sd = model.state_dict_torch()
    assert sorted(sd) == ["head.bias", "head.weight", "rnn.bias_hh_l0", "rnn.bias_ih_l0", "rnn.weight_hh_l0",
                          "rnn.weight_ih_l0"]
    sd["rnn.weight_hh_l0"] += 1.0  # copies: editing the export does not touch the model
    assert not np.allclose(model.cell.params["weight_hh"], sd["rnn.weight_hh_l0"])
    other = make_model("lstm", seed=7)
    other.load_state_dict_torch(model.state_dict_torch())
    x = np.ones((3, 2))
    np.testing.assert_array_equal(other.predict(x), model.predict(x))
    assert "rnn.weight_ci_l0" in make_model("lstm-peephole").state_dict_torch()
    with pytest.raises(ValueError, match=r"state\['head.bias'\]: expected shape \(2,\), got shape \(3,\)"):
        other.load_state_dict_torch({**model.state_dict_torch(), "head.bias": np.zeros(3)})
    with pytest.raises(ValueError, match=r"state: missing \['head.weight'\]"):
        other.load_state_dict_torch({k: v for k, v in sd.items() if k != "head.weight"})


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_state_dict_loads_into_torch(kind, rng):
    torch = pytest.importorskip("torch")
    model = make_model(kind, D=2, H=4, O=3)
    module_cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = module_cls(2, 4)
            self.head = torch.nn.Linear(4, 3)

        def forward(self, x):
            return self.head(self.rnn(x)[0])

    net = Net().double()
    net.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict_torch().items()})
    x = rng.standard_normal((5, 2, 2))
    np.testing.assert_allclose(net(torch.from_numpy(x)).detach().numpy(),
                               model.predict(x, mode="many_to_many"), rtol=1e-12, atol=1e-14)


def test_sample_is_seeded_and_greedy_at_low_temperature():
    V = 5
    model = SequenceModel(LSTM(V, 8, seed=0), Linear(8, V, seed=1))
    a = model.sample(np.array([0, 1]), 20, temperature=1.0, seed=3)
    b = model.sample(np.array([0, 1]), 20, temperature=1.0, seed=3)
    assert a.shape == (20,) and np.array_equal(a, b) and a.min() >= 0 and a.max() < V
    greedy = model.sample(np.array([0, 1]), 6, temperature=1e-6, seed=0)
    # greedy decoding by hand: always the argmax of the next-step logits
    seq = [0, 1]
    for _ in range(6):
        logits = model.predict(np.eye(V)[seq], mode="many_to_one")
        seq.append(int(np.argmax(logits)))
    assert greedy.tolist() == seq[2:]
    probs = model.predict_proba(np.eye(V)[[0, 1, 2]])
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0)


def test_bad_input(rng):
    with pytest.raises(ValueError, match="head: in_features is 4 but the cell's hidden_size is 3; they must match"):
        SequenceModel(RNN(2, 3), Linear(4, 1))
    with pytest.raises(ValueError, match="head: dtype float32 differs from the cell's dtype float64"):
        SequenceModel(RNN(2, 3), Linear(3, 1, dtype=np.float32))
    with pytest.raises(ValueError, match="cell: expected an RNN, LSTM or GRU from rnn_core, got str"):
        SequenceModel("lstm", Linear(3, 1))
    model = make_model("rnn")
    x = rng.standard_normal((4, 5, 2))
    with pytest.raises(ValueError, match="mode: expected one of 'many_to_one', 'many_to_many', got 'one'"):
        model.loss_and_grads(x, np.zeros((5, 2)), mode="one")
    with pytest.raises(ValueError, match="loss: expected one of 'mse', 'xent', got 'mae'"):
        model.loss_and_grads(x, np.zeros((5, 2)), loss="mae")
    with pytest.raises(ValueError, match=r"mse: pred has shape \(5, 2\) but target has shape \(5, 1\)"):
        model.loss_and_grads(x, np.zeros((5, 1)))
    with pytest.raises(ValueError, match="y: expected integer class indices, got dtype float64"):
        model.loss_and_grads(x, np.zeros(5), loss="xent")
    with pytest.raises(ValueError, match=r"y: class index 2 is out of range; expected 0 <= index < 2"):
        model.loss_and_grads(x, np.full((4, 5), 2), mode="many_to_many", loss="xent")
    with pytest.raises(ValueError, match=r"x: expected shape"):
        model.loss_and_grads(np.zeros((4, 5, 3)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="prime: expected a non-empty 1-D array of class indices"):
        SequenceModel(RNN(3, 2), Linear(2, 3)).sample(np.array([]), 5)
    with pytest.raises(ValueError, match="sample: the model reads 2 input classes but predicts 3"):
        SequenceModel(RNN(2, 2), Linear(2, 3)).sample(np.array([0]), 5)


def test_overflow_reports_nan_loss_instead_of_raising():
    cell = RNN(1, 1, nonlinearity="identity", seed=0)
    cell.params["weight_hh"][:] = 3.0
    model = SequenceModel(cell, Linear(1, 1, seed=0))
    res = model.loss_and_grads(np.ones((1000, 1)), np.zeros(1))
    assert not np.isfinite(res.loss)
    assert all(not np.isfinite(g).all() for k, g in res.grads.items() if k.startswith("cell."))


def test_sample_from_a_float32_model():
    V = 7
    model = SequenceModel(GRU(V, 5, seed=0, dtype=np.float32), Linear(5, V, seed=1, dtype=np.float32))
    out = model.sample(np.array([3]), 200, temperature=1.3, seed=0)
    assert out.shape == (200,) and len(set(out.tolist())) > 1
