"""Recipe for the "Vanishing & exploding gradients" lesson: how a gradient shrinks or grows as it travels back
through time.

Scalar chain: one hidden unit h_t = act(w h_{t-1} + u x_t + b) with u = 1 and b = 0, a random input sequence
and the loss L = h_T (so ∂L/∂h_T = 1). Going back k steps multiplies the gradient by k factors w·act'(a_t);
with the identity activation that is exactly |w|^k.

Matrix case: H hidden units with W_hh = ρ Q (Q a random orthogonal matrix), so every eigenvalue
sits on the circle of radius ρ and a linear network scales gradients by exactly ρ per step.

Clipping: the engine's ``clip_by_value`` / ``clip_by_norm`` on a 2-D vector and on the run's gradient with
respect to the three weights of the equation, (∂L/∂w, ∂L/∂u, ∂L/∂b).
NumPy and rnn_core only; the engine computes every gradient.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from rnn_core import RNN, get_activation, signals
from rnn_core.analysis import spectral_norms, step_jacobians
from rnn_core.clipping import NORM_EPS, clip_by_norm, clip_by_value
from rnn_core.sweep_bptt import sweep_recurrent_bptt
from rnn_core.validation import check_choice, check_int, check_number

MAX_LENGTH = 200
MAX_HIDDEN = 64
PRECISIONS = {"float64": np.float64, "float32": np.float32}
# The largest act'(a) over all a: the best case for how much one step can pass through.
MAX_DERIV = {"identity": 1.0, "tanh": 1.0, "sigmoid": 0.25, "relu": 1.0, "leaky_relu": 1.0, "elu": 1.0}


@dataclass(frozen=True)
class ChainConfig:
    """The scalar chain; the defaults are where the page starts. input_scale: standard deviation of the
    random inputs (drives saturation)."""

    w: float = 1.0
    length: int = 50
    activation: str = "tanh"
    input_scale: float = 0.5
    precision: str = "float64"
    seed: int = 0


@dataclass(frozen=True)
class ChainResult:
    """Indexed by distance k = 0..T from the loss, in the lesson's 1-based labels: k = 0 is the last
    state h_T, k = T the initial state h_0 (so w = 2 over T = 50 steps reaches exactly 2^50).

    grad: (T+1,) |∂L/∂h_{T-k}| in float64 (inf where it overflowed, NaN where inf met 0, exact 0s kept).
    analytic: (T+1,) |w|^k.  bound: (T+1,) (|w|·max act')^k, the best any input could do (equals analytic
    unless max act' < 1, as for the sigmoid).
    pre, h, deriv: (T,) a_t, act(a_t) and act'(a_t) in time order (where on the activation curve the run lives).
    contributions: (T,) |step T-1-k's share of ∂L/∂w| (by distance).
    param_grads: the run's gradient with respect to the equation's three weights, {"w", "u", "b"}: the
    engine's weight_hh, weight_ih and bias (PyTorch's two bias vectors get the same gradient; b is one number).
    forward_overflow: first time step (0-based) whose h is inf/NaN, else None.
    overflow_distance: smallest k where the gradient is inf/NaN, else None.
    zero_distance: smallest k where the gradient is exactly 0, else None.
    zero_cause: why the gradient became exactly 0 at zero_distance (None if it never did): "w" (w = 0: nothing
    flows back), "dead" (a ReLU step with a <= 0: slope exactly 0), "flat" (a slope that rounded to exactly 0 on
    a saturated end) or "underflow" (every factor nonzero; the product fell below the smallest number).
    """

    w: float
    grad: np.ndarray
    analytic: np.ndarray
    bound: np.ndarray
    pre: np.ndarray
    h: np.ndarray
    deriv: np.ndarray
    contributions: np.ndarray
    param_grads: dict
    forward_overflow: int | None
    overflow_distance: int | None
    zero_distance: int | None
    zero_cause: str | None = None

    @property
    def distance(self) -> np.ndarray:
        return np.arange(self.grad.shape[0])

    @property
    def factors(self) -> np.ndarray:
        """(T,) |w·act'(a_t)| in time order: what crossing step t back to t-1 multiplies the gradient by."""
        with np.errstate(invalid="ignore", over="ignore"):
            return np.abs(self.w * self.deriv)


@dataclass(frozen=True)
class MatrixConfig:
    """The matrix case: H units, W_hh = ρQ. The page takes length, activation and input scale from the
    chain's controls, so the defaults are the chain's."""

    hidden: int = 16
    radius: float = 1.0
    length: int = ChainConfig.length
    activation: str = ChainConfig.activation
    input_scale: float = ChainConfig.input_scale
    seed: int = ChainConfig.seed


@dataclass(frozen=True)
class MatrixResult:
    """eigenvalues: (H,) complex eigenvalues of W_hh.  norms: (T,) ‖∂h_{T-1}/∂h_{T-1-k}‖₂ by distance k.
    analytic: (T,) ρ^k.  rate: the measured average factor per step (geometric mean), NaN if undefined.
    """

    radius: float
    eigenvalues: np.ndarray
    norms: np.ndarray
    analytic: np.ndarray
    rate: float

    @property
    def distance(self) -> np.ndarray:
        return np.arange(self.norms.shape[0])

    @property
    def decade_steps(self) -> float:
        """Steps for a 10× change at the measured rate (inf when the rate is 1 or undefined)."""
        if not np.isfinite(self.rate) or self.rate <= 0:
            return float("inf")
        decades = abs(np.log10(self.rate))
        return float("inf") if decades < 1e-9 else float(1.0 / decades)  # 1 up to rounding: no change


@dataclass(frozen=True)
class ClipConfig:
    """The clipping example the page starts with: the 2-D gradient (g1, g2) and the threshold c."""

    g1: float = 8.0
    g2: float = 3.0
    threshold: float = 5.0


@dataclass(frozen=True)
class Clip2D:
    """A 2-D gradient and what each clipping rule makes of it. Angles in degrees from the original."""

    original: np.ndarray
    by_value: np.ndarray
    by_norm: np.ndarray
    threshold: float
    angle_value: float
    angle_norm: float
    norm_original: float
    norm_value: float
    norm_norm: float


@dataclass(frozen=True)
class RunClip:
    """Clipping the chain's real gradient (all four parameters at once), PyTorch style, after BPTT.

    scale: the factor clip-by-norm multiplied every parameter gradient by (1 when the norm was within
    the threshold; NaN when the gradient had overflowed). Clipping by norm is the same as scaling the
    loss by ``scale``, so every |∂L/∂h_t| scales by it too: ``grad`` (T+1,) before and ``clipped`` (T+1,)
    after, by distance k from the loss.
    names, before, by_value, by_norm: (3,) the run's gradient (∂L/∂w, ∂L/∂u, ∂L/∂b) before and after each rule,
    in ``names`` order ("w", "u", "b").
    angle_value / angle_norm: how far each rule turns that 3-D gradient, in degrees (NaN if undefined).
    """

    threshold: float
    scale: float
    norm_before: float
    grad: np.ndarray
    clipped: np.ndarray
    names: tuple[str, ...]
    before: np.ndarray
    by_value: np.ndarray
    by_norm: np.ndarray
    angle_value: float
    angle_norm: float


# -- helpers --------------------------------------------------------------------------------------
def _first(mask: np.ndarray) -> int | None:
    return int(np.argmax(mask)) if mask.any() else None


def _powers(base: float, T: int) -> np.ndarray:
    """(T,) base^k for k = 0..T-1 in float64 (may reach inf or 0 quietly)."""
    with np.errstate(over="ignore", under="ignore"):
        return np.power(float(base), np.arange(T, dtype=np.float64))


# -- the scalar chain -----------------------------------------------------------------------------
def chain_inputs(T: int, scale: float, seed: int) -> np.ndarray:
    """(T,) random inputs N(0, scale²): the same sequence for the same seed."""
    return signals.noise(T, seed, scale)


def _chain_cell(w: float, activation: str, dtype) -> RNN:
    """h_t = act(w h_{t-1} + x_t): one unit, input weight 1, no bias."""
    cell = RNN(1, 1, nonlinearity=activation, dtype=dtype)
    cell.params.update(
        weight_ih=np.ones((1, 1), dtype), weight_hh=np.full((1, 1), w, dtype),
        bias_ih=np.zeros(1, dtype), bias_hh=np.zeros(1, dtype),
    )
    return cell


def run_chain(cfg: ChainConfig) -> ChainResult:
    """Run the scalar RNN h_t = act(w h_{t-1} + x_t) and backpropagate L = h_{T-1}."""
    T = check_int("length", cfg.length, 1, MAX_LENGTH)
    w = check_number("w", cfg.w)
    dtype = PRECISIONS[check_choice("precision", cfg.precision, PRECISIONS)]
    act = get_activation(cfg.activation)
    cell = _chain_cell(w, act.name, dtype)
    x = chain_inputs(T, check_number("input_scale", cfg.input_scale), cfg.seed)
    trace = cell.forward(x[:, None])
    dh = np.zeros((T, 1), dtype)
    dh[-1] = 1.0
    grads = cell.backward(trace, dh, per_step=True)  # dh is not reused: the engine may write into it
    with np.errstate(invalid="ignore", over="ignore"):
        # dL/dh for the T states, last first, then dL/dh_0: the gradient that crossed all T steps.
        grad = np.abs(np.concatenate([grads.dh[::-1, 0], grads.h0]).astype(np.float64))
        contrib = np.abs(grads.per_step["weight_hh"][::-1, 0, 0].astype(np.float64))
        pre, h = trace.pre["h"][:, 0].astype(np.float64), trace.h[:, 0].astype(np.float64)
        deriv = act.deriv(pre, h)
    bad, zero = ~np.isfinite(grad), _first(grad == 0)
    params = {"w": grads.params["weight_hh"][0], "u": grads.params["weight_ih"][0], "b": grads.params["bias_hh"]}
    return ChainResult(
        w=w, grad=grad, analytic=_powers(abs(w), T + 1), bound=_powers(abs(w) * MAX_DERIV[act.name], T + 1),
        pre=pre, h=h, deriv=deriv, contributions=contrib,
        param_grads={k: v.astype(np.float64) for k, v in params.items()},
        forward_overflow=trace.overflow_step, overflow_distance=_first(bad), zero_distance=zero,
        zero_cause=None if zero is None else zero_cause(w, act.name, pre[T - zero], deriv[T - zero]),
    )


def zero_cause(w: float, activation: str, pre: float, deriv: float) -> str:
    """Why one step back made the gradient exactly 0, from that step's w, a_t and act'(a_t) (see ChainResult)."""
    if w == 0:
        return "w"
    if deriv == 0:
        return "dead" if activation == "relu" and pre <= 0 else "flat"
    return "underflow"


# -- sweeping the recurrent weight ----------------------------------------------------------------
W_GRID = np.round(np.linspace(0.0, 3.0, 61), 2)  # the w slider's range (0 … 3) in steps of 0.05


@dataclass(frozen=True)
class ChainSweep:
    """The scalar chain of ``config`` for every w on ``ws`` (W_GRID), from one vectorised engine pass: row s is
    ``run_chain`` with w = ws[s] (bitwise: the same operations in the same order).

    grad, analytic: (S, T+1) |∂L/∂h_{T-k}| and |w|^k by distance k, as in ChainResult. deriv: (S, T) act'(a_t)
    in time order. overflow, zero: (S,) the smallest k where the gradient is not finite / exactly 0, -1 where it
    never is. rate: (S,) the average factor per step, the geometric mean of the T factors |w·act'(a_t)| (NaN when a
    slope is not finite). start: the index of the grid point nearest the page's own w.
    """

    config: ChainConfig
    ws: np.ndarray
    grad: np.ndarray
    analytic: np.ndarray
    deriv: np.ndarray
    overflow: np.ndarray
    zero: np.ndarray
    rate: np.ndarray
    start: int


def _first_each(mask: np.ndarray) -> np.ndarray:
    """(S,) the first True column of each row of ``mask``, -1 where a row has none."""
    return np.where(mask.any(axis=1), np.argmax(mask, axis=1), -1)


def sweep_key(cfg: ChainConfig) -> tuple:
    """What makes one sweep differ from another: every setting of ``cfg``, with w moved to the nearest point of
    W_GRID (only where the slider starts depends on w, so every w between two grid points gives the same film)."""
    start = float(W_GRID[np.abs(W_GRID - check_number("w", cfg.w)).argmin()])
    return tuple(start if f.name == "w" else getattr(cfg, f.name) for f in fields(cfg))


def sweep_chain(cfg: ChainConfig) -> ChainSweep:
    """Run ``cfg``'s chain for every w on W_GRID (its other settings as given) and backpropagate L = h_T."""
    T = check_int("length", cfg.length, 1, MAX_LENGTH)
    dtype = PRECISIONS[check_choice("precision", cfg.precision, PRECISIONS)]
    act = get_activation(cfg.activation)
    x = chain_inputs(T, check_number("input_scale", cfg.input_scale), cfg.seed)
    dh = np.zeros((T, 1))
    dh[-1] = 1.0
    runs = sweep_recurrent_bptt(_chain_cell(1.0, act.name, dtype), x[:, None], W_GRID, dh)  # W_hh = 1, scaled by w
    with np.errstate(invalid="ignore", over="ignore", divide="ignore", under="ignore"):
        grad = np.abs(np.concatenate([runs.dh[:, ::-1, 0], runs.dh0], axis=1).astype(np.float64))
        deriv = act.deriv(runs.pre[..., 0].astype(np.float64), runs.h[..., 0].astype(np.float64))
        rate = np.exp(np.mean(np.log(np.abs(W_GRID[:, None] * deriv)), axis=1))
        analytic = np.power(W_GRID[:, None], np.arange(T + 1, dtype=np.float64))
    return ChainSweep(config=cfg, ws=W_GRID, grad=grad, analytic=analytic, deriv=deriv,
                      overflow=_first_each(~np.isfinite(grad)), zero=_first_each(grad == 0), rate=rate,
                      start=int(np.abs(W_GRID - check_number("w", cfg.w)).argmin()))


# -- the matrix case ------------------------------------------------------------------------------
def random_orthogonal(n: int, seed: int) -> np.ndarray:
    """(n, n) a Haar-random orthogonal matrix: QR of a Gaussian matrix with the signs of R's diagonal fixed."""
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def run_matrix(cfg: MatrixConfig) -> MatrixResult:
    """W_hh = ρQ, random inputs, exact ‖∂h_{T-1}/∂h_{T-1-k}‖₂ for every k: the engine's per-step Jacobians
    ∂h_t/∂h_{t-1} = diag(act'(a_t)) W_hh (``analysis.step_jacobians``) multiplied from the last step back — one
    H×H product per step, the chain rule itself. (``analysis.jacobian_norms`` gets the same numbers from a backward
    pass over H copies of the run, with every weight gradient too: about twice the time at H = 64, T = 200; the
    tests compare the two.)"""
    H = check_int("hidden", cfg.hidden, 1, MAX_HIDDEN)
    T = check_int("length", cfg.length, 1, MAX_LENGTH)
    rho = check_number("radius", cfg.radius, lo=0)  # the spectral radius is a size: never negative
    W = rho * random_orthogonal(H, cfg.seed)
    cell = RNN(H, H, nonlinearity=cfg.activation)
    cell.params.update(weight_ih=np.eye(H), weight_hh=W, bias_ih=np.zeros(H), bias_hh=np.zeros(H))
    x = check_number("input_scale", cfg.input_scale) * np.random.default_rng(cfg.seed + 1).standard_normal((T, H))
    steps = step_jacobians(cell, cell.forward(x))  # (T, H, H): ∂h_t/∂h_{t-1}
    back = np.empty_like(steps)  # back[k] = ∂h_{T-1}/∂h_{T-1-k}
    back[0] = np.eye(H)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for k in range(1, T):
            np.matmul(back[k - 1], steps[T - k], out=back[k])
    norms = spectral_norms(back)
    return MatrixResult(radius=rho, eigenvalues=np.linalg.eigvals(W), norms=norms,
                        analytic=_powers(rho, T), rate=geometric_rate(norms))


def geometric_rate(norms: np.ndarray) -> float:
    """Average factor per step, (n_k / n_0)^(1/k) at the farthest finite, nonzero k; NaN when undefined."""
    ok = np.flatnonzero(np.isfinite(norms) & (norms > 0))
    if ok.size < 2 or norms[0] <= 0:
        return float("nan")
    k = int(ok[-1])
    return float(np.exp((np.log(norms[k]) - np.log(norms[0])) / k))


# -- clipping -------------------------------------------------------------------------------------
def angle_between(u: np.ndarray, v: np.ndarray) -> float:
    """Angle in degrees between two vectors; NaN if either is zero or not finite."""
    u, v = np.ravel(u).astype(np.float64), np.ravel(v).astype(np.float64)
    if not (np.isfinite(u).all() and np.isfinite(v).all()):
        return float("nan")
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        return float("nan")
    # Normalise first so huge (exploded) vectors do not overflow the dot product.
    return float(np.degrees(np.arccos(np.clip(np.dot(u / nu, v / nv), -1.0, 1.0))))


def clip_2d(g1: float, g2: float, threshold: float) -> Clip2D:
    """Clip the vector (g1, g2) by value (each entry to [-c, c]) and by norm (length to at most c)."""
    g = {"g": np.array([check_number("g1", g1), check_number("g2", g2)])}
    val, nrm = clip_by_value(g, threshold), clip_by_norm(g, threshold)
    return Clip2D(
        original=g["g"], by_value=val.grads["g"], by_norm=nrm.grads["g"], threshold=float(threshold),
        angle_value=angle_between(g["g"], val.grads["g"]), angle_norm=angle_between(g["g"], nrm.grads["g"]),
        norm_original=val.norm_before, norm_value=val.norm_after, norm_norm=nrm.norm_after,
    )


PARAMS = ("w", "u", "b")  # the equation's weights, in the order the page lists them


def _flat(grads: dict) -> np.ndarray:
    return np.concatenate([np.ravel(grads[k]) for k in PARAMS])


def clip_run(chain: ChainResult, threshold: float) -> RunClip:
    """Clip the chain's whole gradient by value and by norm; norm clipping rescales every step alike."""
    val, nrm = clip_by_value(chain.param_grads, threshold), clip_by_norm(chain.param_grads, threshold)
    before, by_norm = _flat(chain.param_grads), _flat(nrm.grads)
    # An overflowed gradient cannot be rescaled meaningfully: the engine, like PyTorch, turns it into NaN.
    scale = (float("nan") if not np.isfinite(nrm.norm_before)
             else float(threshold) / (nrm.norm_before + NORM_EPS) if nrm.clipped else 1.0)
    with np.errstate(invalid="ignore", over="ignore"):
        clipped = chain.grad * scale
    return RunClip(
        threshold=float(threshold), scale=scale, norm_before=nrm.norm_before, grad=chain.grad, clipped=clipped,
        names=PARAMS, before=before, by_value=_flat(val.grads), by_norm=by_norm,
        angle_value=angle_between(before, _flat(val.grads)), angle_norm=angle_between(before, by_norm),
    )
