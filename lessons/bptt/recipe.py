"""Recipe for the "Backpropagation through time" lesson: a one-unit RNN, a squared-error loss, and every
number BPTT computes on the way back.

With one hidden unit every quantity is a plain number per step, so the chain rule can be shown
factor by factor:

    a_t = w_in x_t + w_rec h_{t-1} + b,     h_t = act(a_t),     ℓ_t = ½ (h_t - y)²
    ∂L/∂h_t = ∂ℓ_t/∂h_t + w_rec act'(a_{t+1}) ∂L/∂h_{t+1}
    ∂L/∂w_rec = Σ_t ∂L/∂a_t · h_{t-1}          (one contribution per step: the weight is shared)

Arrays are 0-based (row i is step i); the lesson labels row i as t = i + 1, like /unrolled. The network
and its inputs are the /unrolled lesson's with one hidden unit, built here again (a lesson never imports
another) from the same rnn_core pieces, so the numbers are bit-identical. The engine does the work
(``RNN.forward`` / ``backward(per_step=True)``, ``analysis.step_jacobians``; truncated BPTT from one batched
backward that gives every loss's shares, checked against ``analysis.truncated_backward`` in the tests);
this module only builds the network the sliders describe and collects what the page draws.
NumPy and rnn_core only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_core import RNN, get_activation, signals
from rnn_core.analysis import step_jacobians
from rnn_core.steps import previous_states
from rnn_core.validation import check_choice, check_number, check_size

SEQUENCES = (*signals.KINDS, "typed")  # as on /unrolled: rnn_core.signals generates all but the typed numbers
LOSS_MODES = ("last", "every")
MAX_LENGTH = 100  # the diagram and the per-step bars stay readable up to here
WINDOW = 4  # the truncation window the lesson starts with (clamped to T)


@dataclass(frozen=True)
class BPTTConfig:
    """What the /bptt controls describe; the defaults are where the page starts. Frozen, so a page can
    cache on it.

    sequence: one of SEQUENCES (as on /unrolled); ``values`` holds the typed numbers when it is
    "typed" (then ``length`` is ignored: the sequence is as long as what was typed).
    loss: "last" puts ℓ = ½(h - y)² on the final step only, "every" sums it over all steps.
    """

    sequence: str = "impulse"
    length: int = 12
    w_in: float = 1.0
    w_rec: float = 0.9
    bias: float = 0.0
    activation: str = "tanh"
    loss: str = "last"
    target: float = 0.5
    seed: int = 0
    values: tuple[float, ...] = ()


@dataclass(frozen=True)
class BPTTResult:
    """Forward and backward pass of the scalar RNN, one entry per time step t = 0..T-1.

    w_rec: the recurrent weight.  x, a, h: (T,) input, pre-activation, hidden state.
    h_prev: (T,) the state each step started from (h_prev[0] = 0, the initial state).  deriv: (T,) act'(a_t).
    local: (T,) ∂ℓ_t/∂h_t, the loss's own push at step t (0 where the step has no loss).
    dh: (T,) the total ∂L/∂h_t (own loss + everything flowing back from later steps).
    factors: (T,) ∂h_t/∂h_{t-1} = w_rec act'(a_t), the number the signal is multiplied by
        when it crosses from step t back to step t-1.
    running: (T,) ∂h_{T-1}/∂h_t = product of factors[t+1:], i.e. how much of the last step's
        error survives the trip back to step t (1 at t = T-1).
    da: (T,) ∂L/∂a_t = ∂L/∂h_t · act'(a_t) (the engine's per-step bias gradient).
    contributions: (T,) step t's share of ∂L/∂w_rec, ∂L/∂a_t · h_{t-1}; their sum is ``total``.
    total: ∂L/∂w_rec from ``cell.backward``.  contributions_sum: the contributions added up here, in
    step order (equal to ``total`` up to rounding).  loss: the value of L.
    overflow_step: first forward step whose state is inf/NaN, else None.
    """

    w_rec: float
    x: np.ndarray
    a: np.ndarray
    h: np.ndarray
    h_prev: np.ndarray
    deriv: np.ndarray
    local: np.ndarray
    dh: np.ndarray
    da: np.ndarray
    factors: np.ndarray
    running: np.ndarray
    contributions: np.ndarray
    total: float
    contributions_sum: float
    loss: float
    overflow_step: int | None

    @property
    def steps(self) -> int:
        return int(self.h.shape[0])

    @property
    def collected(self) -> np.ndarray:
        """(T,) ∂L/∂w_rec as the backward pass collects it: collected[t] is the sum of the shares of steps t..T-1,
        the steps the gradient has reached when it arrives at step t, added from the last step back (so
        collected[0] is the whole gradient, up to rounding in the order of the sum)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return np.cumsum(self.contributions[::-1])[::-1]


@dataclass(frozen=True)
class Truncation:
    """Truncated BPTT with window k next to the full gradient.

    contributions: (T,) each step's share of ∂L/∂w_rec when every loss flows back at most k steps.
    dropped: (T,) full minus truncated share: what the truncation throws away at each step.
    total / full_total: the truncated and the full ∂L/∂w_rec.  rel_error: |total - full| / |full|
    (0 when both are 0; inf when only the full gradient is 0).
    largest_factor: the largest |w_rec act'(a_t)| a share can cross on its way back (steps 2..T; 0 for T = 1).
    drops_nothing: every share the window drops is exactly 0 (always so for k >= T).
    """

    k: int
    contributions: np.ndarray
    dropped: np.ndarray
    total: float
    full_total: float
    rel_error: float
    largest_factor: float = 0.0
    drops_nothing: bool = True

    @property
    def shrink(self) -> float:
        """largest_factor^k: the most a dropped share can have kept of its size at its loss (it crossed k or
        more factors, none larger than largest_factor)."""
        with np.errstate(over="ignore"):
            return float(self.largest_factor**self.k)


@dataclass(frozen=True)
class TruncationCurve:
    """ks: (K,) window lengths from 1 to T; rel_errors: (K,) relative error of each truncated gradient."""

    ks: np.ndarray
    rel_errors: np.ndarray


# -- inputs (generated exactly as on /unrolled) -----------------------------------------------------------
def input_sequence(kind: str, steps: int, seed: int = 0, values: tuple[float, ...] = ()) -> np.ndarray:
    """The scalar input x_t, shape (T,): the /unrolled lesson's inputs, the generated ones from
    ``rnn_core.signals.generate``; typed: ``values`` as given (``steps`` is ignored)."""
    if kind != "typed":  # the engine checks the kind and the length
        return signals.generate(kind, steps, seed)
    if not values:
        raise ValueError("numbers: type at least one number, e.g. 0, 1, 0, 0")
    return np.asarray(values, dtype=np.float64)


def make_input(cfg: BPTTConfig) -> np.ndarray:
    """(T,) the input sequence, at most MAX_LENGTH steps."""
    x = input_sequence(cfg.sequence, cfg.length, cfg.seed, cfg.values)
    if x.shape[0] > MAX_LENGTH:
        name = "numbers" if cfg.sequence == "typed" else "length"
        raise ValueError(f"{name}: at most {MAX_LENGTH} steps on this lesson, got {x.shape[0]}")
    return x


# -- the network and its loss -----------------------------------------------------------------------------
def build_cell(cfg: BPTTConfig) -> RNN:
    """The one-unit RNN of the /unrolled lesson: h_t = act(w_in x_t + w_rec h_{t-1} + b)."""
    check_choice("loss", cfg.loss, LOSS_MODES)
    check_number("target", cfg.target)
    get_activation(cfg.activation)  # ValueError listing the valid names
    for name in ("w_in", "w_rec", "bias"):
        check_number(name, getattr(cfg, name))
    cell = RNN(1, 1, nonlinearity=cfg.activation)
    cell.params["weight_ih"] = np.full((1, 1), float(cfg.w_in))
    cell.params["weight_hh"] = np.full((1, 1), float(cfg.w_rec))
    cell.params["bias_ih"] = np.full(1, float(cfg.bias))
    cell.params["bias_hh"] = np.zeros(1)  # PyTorch adds both biases; all of b is kept in one, as on /unrolled
    return cell


def loss_gradient(h: np.ndarray, cfg: BPTTConfig) -> tuple[float, np.ndarray]:
    """L and (T,) ∂ℓ_t/∂h_t = h_t - y on the steps that carry a loss, 0 elsewhere."""
    mask = np.ones_like(h) if cfg.loss == "every" else np.eye(1, h.shape[0], h.shape[0] - 1)[0]
    with np.errstate(over="ignore", invalid="ignore"):
        diff = (h - cfg.target) * mask
        loss = float(0.5 * np.sum(diff * diff))
    return loss, diff


def _setup(cfg: BPTTConfig):
    cell = build_cell(cfg)
    x = make_input(cfg)
    trace = cell.forward(x[:, None])
    loss, local = loss_gradient(trace.h[:, 0], cfg)
    # An overflowed forward pass gives inf/NaN errors; the engine only accepts a finite dL/dh.
    local = np.nan_to_num(local, nan=0.0, posinf=0.0, neginf=0.0)
    return cell, x, trace, loss, local


def _dh(local: np.ndarray) -> np.ndarray:
    """(T, 1) a fresh dL/dh array for each engine call: the engine may accumulate into the array it is
    given (it does for one hidden unit), and ``local`` must stay the loss's own push."""
    return local[:, None].copy()


# -- full BPTT ---------------------------------------------------------------------------------------------
def run_bptt(cfg: BPTTConfig) -> BPTTResult:
    """Forward, loss and full backward pass of the scalar RNN the config describes."""
    cell, x, trace, loss, local = _setup(cfg)
    grads = cell.backward(trace, _dh(local), per_step=True)
    factors = step_jacobians(cell, trace)[:, 0, 0]
    with np.errstate(over="ignore", invalid="ignore"):
        # running[t] = factors[t+1] * ... * factors[T-1]: a product accumulated from the end backwards.
        tail = np.cumprod(factors[:0:-1])[::-1]
        running = np.concatenate([tail, [1.0]])
        deriv = cell.activation.deriv(trace.pre["h"][:, 0], trace.h[:, 0])
    return BPTTResult(
        w_rec=float(cfg.w_rec), x=x, a=trace.pre["h"][:, 0].copy(), h=trace.h[:, 0].copy(),
        h_prev=previous_states(trace, "h")[:, 0],
        deriv=deriv, local=local, dh=grads.dh[:, 0].copy(), da=grads.per_step["bias_hh"][:, 0].copy(),
        factors=factors, running=running,
        contributions=grads.per_step["weight_hh"][:, 0, 0].copy(), total=float(grads.params["weight_hh"][0, 0]),
        contributions_sum=float(np.cumsum(grads.per_step["weight_hh"][:, 0, 0])[-1]),  # where the waterfall ends
        loss=loss, overflow_step=trace.overflow_step,
    )


# -- truncated BPTT ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Shares:
    """Every step's share of the gradient of every loss: what truncated BPTT keeps or drops is read off it.

    by_loss: (T, T) row s, column t: step t's share of ∂ℓ_s/∂w_rec (0 for t > s, and rows of steps without a
    loss are 0). Summed over s it is each step's share of ∂L/∂w_rec.
    full: (T,) the engine's per-step shares of the full gradient (``cell.backward(per_step=True)``).
    full_total: the engine's ∂L/∂w_rec.
    """

    by_loss: np.ndarray
    full: np.ndarray
    full_total: float
    largest_factor: float = 0.0

    @property
    def by_distance(self) -> np.ndarray:
        """(T,) the shares summed by distance j = s - t from their loss (j = 0: a loss's own step)."""
        T = self.by_loss.shape[0]
        return np.array([np.trace(self.by_loss, offset=-j) for j in range(T)])

    @property
    def lost(self) -> np.ndarray:
        """(T + 1,) lost[k]: the sum of the shares truncated BPTT with window k drops (distance >= k);
        lost[T] = 0 (nothing is dropped) and lost[0] is the whole gradient."""
        return np.concatenate([np.cumsum(self.by_distance[::-1])[::-1], [0.0]])


def loss_shares(cfg: BPTTConfig) -> Shares:
    """Each loss's shares, from one engine pass: the run as a batch of T copies, copy s carrying only the loss
    at step s. The engine's ∂ℓ_s/∂h_t of copy s times act'(a_t) h_{t-1} is step t's share of ∂ℓ_s/∂w_rec,
    exactly as ``backward`` forms it (∂L/∂a_t · h_{t-1})."""
    cell, x, trace, _, local = _setup(cfg)
    T = x.shape[0]
    batch = cell.forward(np.repeat(x[:, None, None], T, axis=1))  # (T, B = T, 1): the same run T times
    dh = np.zeros((T, T, 1))
    dh[np.arange(T), np.arange(T), 0] = local  # copy s: the loss at step s only
    per_loss = cell.backward(batch, dh).dh[:, :, 0]  # (t, s) ∂ℓ_s/∂h_t
    deriv = cell.activation.deriv(trace.pre["h"][:, 0], trace.h[:, 0])
    h_prev = previous_states(trace, "h")[:, 0]
    by_loss = ((deriv[:, None] * per_loss) * h_prev[:, None]).T  # the engine's order: (act' · ∂L/∂h) · h_{t-1}
    full = cell.backward(trace, _dh(local), per_step=True)
    factors = step_jacobians(cell, trace)[1:, 0, 0]  # the factors a share can cross: steps 2..T
    return Shares(by_loss=by_loss, full=full.per_step["weight_hh"][:, 0, 0].copy(),
                  full_total=float(full.params["weight_hh"][0, 0]),
                  largest_factor=float(np.abs(factors).max(initial=0.0)))


def relative_error(approx: float, exact: float) -> float:
    """|approx - exact| / |exact|, with 0/0 = 0 (both zero) and x/0 = inf."""
    diff = abs(approx - exact)
    if diff == 0:
        return 0.0
    return diff / abs(exact) if exact != 0 else float("inf")


def _share_of(dropped: float, full: float) -> float:
    """|dropped| / |full|: the relative error of a truncation that drops ``dropped``; 0/0 = 0, x/0 = inf."""
    if dropped == 0:
        return 0.0
    return abs(dropped) / abs(full) if full != 0 else float("inf")


def truncate(cfg: BPTTConfig, k: int, shares: Shares | None = None) -> Truncation:
    """Truncated BPTT (each loss flows back at most k steps, itself included) next to the full gradient.

    The dropped shares are those at distance k or more from their loss; the truncated gradient is the full one
    without them (so with k >= T nothing is dropped and it is exactly full BPTT). ``shares``: ``loss_shares(cfg)``
    if already computed."""
    k = check_size("k", k)
    sh = shares if shares is not None else loss_shares(cfg)
    T = sh.full.shape[0]
    s, t = np.indices((T, T))
    far = np.where(s - t >= k, sh.by_loss, 0.0)
    dropped = far.sum(axis=0)
    lost = float(sh.lost[min(k, T)])
    return Truncation(k=k, contributions=sh.full - dropped, dropped=dropped, total=sh.full_total - lost,
                      full_total=sh.full_total, rel_error=_share_of(lost, sh.full_total),
                      largest_factor=sh.largest_factor, drops_nothing=not far.any())


def truncation_curve(cfg: BPTTConfig, shares: Shares | None = None) -> TruncationCurve:
    """Relative error of truncated BPTT against the full gradient for every window k from 1 to T."""
    sh = shares if shares is not None else loss_shares(cfg)
    T = sh.full.shape[0]
    errors = [_share_of(float(lost), sh.full_total) for lost in sh.lost[1:]]
    return TruncationCurve(ks=np.arange(1, T + 1), rel_errors=np.asarray(errors))
