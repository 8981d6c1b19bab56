"""Claims of the /unrolled lesson, checked against the engine (see tests/claims/README.md).

The echo of an impulse is measured independently of the lesson's recipe: two engine runs of the same RNN,
with and without the impulse, subtracted.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from claims.helpers import number_after

from lessons.kit.settings import defaults
from lessons.unrolled import recipe, stories
from lessons.unrolled.settings import SETTINGS, TRIES, config
from rnn_core import ACTIVATIONS, RNN, get_activation

W_GRID = (-3.0, -0.9, -0.5, 0.0, 0.2, 0.5, 0.8, 0.95, 1.5, 3.0)  # the slider's corners and the texts' values
W_IN_GRID = (-3.0, 1.0, 3.0)
BIAS_GRID = (-2.0, 0.0, 2.0)
IMPULSE_GRID = [dict(w_rec=w, w_in=wi, bias=b, activation=a, length=40)
                for w, wi, b, a in itertools.product(W_GRID, W_IN_GRID, BIAS_GRID, ACTIVATIONS)]


def cfg(**kw) -> recipe.UnrolledConfig:
    return config({**defaults(SETTINGS), **kw})


def echo(c: recipe.UnrolledConfig) -> tuple[np.ndarray, np.ndarray]:
    """(the impulse's echo after the impulse, the pre-activations of the run without it), from two engine runs."""
    cell = RNN(1, 1, nonlinearity=c.activation)
    cell.params.update(weight_ih=np.array([[c.w_in]]), weight_hh=np.array([[c.w_rec]]),
                       bias_ih=np.array([c.bias]), bias_hh=np.zeros(1))
    x = recipe.input_sequence("impulse", c.length)
    with np.errstate(all="ignore"):
        loud, quiet = cell.forward(x[:, None]), cell.forward(np.zeros((c.length, 1)))
        e = (loud.h - quiet.h)[:, 0]
    k = recipe.event_step(c.length)
    return e[k:], quiet.pre["h"][k:, 0]


def sentence(c) -> str:
    run = recipe.run_unrolled(c)
    return stories.echo_sentence(run, recipe.behaviour(run))


@pytest.mark.parametrize("kw", IMPULSE_GRID, ids=lambda kw: "w{w_rec}-in{w_in}-b{bias}-{activation}".format(**kw))
def test_what_the_page_says_about_the_echo_is_what_the_engine_does(kw):
    """/unrolled, impulse: "Here the echo fades about ×f per step", "grows about ×f", "flipping sign every step",
    "is wiped out", "latches at L", "keeps its size" — whichever the page says holds for that run.

    Checked at: every activation × w ∈ {−3, −0.9, −0.5, 0, 0.2, 0.5, 0.8, 0.95, 1.5, 3} × w_in ∈ {−3, 1, 3}
    × b ∈ {−2, 0, 2}, T = 40 (540 settings, the sliders' corners included)."""
    c = cfg(**kw)
    text = sentence(c)
    e, _ = echo(c)
    tail = e[-6:]
    with np.errstate(all="ignore"):
        ratios = np.abs(tail[1:] / tail[:-1])
    if "fades about ×" in text or "grows about ×" in text:
        f = number_after(text, "about ×")
        ok = np.isfinite(ratios) & (tail[:-1] != 0)
        assert ok.any() and np.allclose(ratios[ok][-1], f, rtol=0.06, atol=0.006), (text, ratios)
        assert (f < 1) == ("fades" in text)
    if "flipping sign" in text:
        signs = np.sign(tail[tail != 0])
        assert (signs[1:] != signs[:-1]).all(), tail
    if "wiped out" in text or "vanishes completely" in text:
        assert (e[-2:] == 0).all(), e[-3:]
    if "ReLU turns a negative state into exactly 0" in text:
        assert (recipe.run_unrolled(c).h[recipe.event_step(c.length) + 1 :] == 0).any()
    if "latches at" in text:
        run = recipe.run_unrolled(c)
        assert abs(run.h[-1, 0] - number_after(text, "latches at")) < 0.006
        assert abs(e[-1]) > 0.05  # different from where the network rests without the impulse
    if "keeps its size" in text:
        assert np.all(np.abs(ratios - 1) < 0.03), ratios


@pytest.mark.parametrize("kw", [k for k in IMPULSE_GRID if k["activation"] != "relu"],
                         ids=lambda kw: "w{w_rec}-in{w_in}-b{bias}-{activation}".format(**kw))
def test_the_echo_is_multiplied_by_w_times_the_slope(kw):
    """/unrolled, impulse: "At every step the echo is multiplied by w·act′ — the same factor that carries
    gradients back through time in the next lesson."

    Checked at: the same 450 settings as above without ReLU, whose slope jumps (ReLU's echo is tested above);
    wherever the echo is small (1e-9 … 1e-4) — the slope is taken where the run without the impulse is."""
    c = cfg(**kw)
    e, a = echo(c)
    act = get_activation(c.activation)
    for t in range(1, len(e)):
        # (not where the nudge can cross leaky ReLU's kink at 0: one side has slope 1, the other 0.01)
        if 1e-9 < abs(e[t - 1]) < 1e-4 and np.isfinite(a[t]) and abs(a[t]) > 10 * abs(c.w_rec * e[t - 1]):
            slope = act.deriv(np.array([a[t]]), act(np.array([a[t]])))[0]
            assert e[t] / e[t - 1] == pytest.approx(c.w_rec * slope, rel=0.02, abs=1e-6)


def test_identity_echo_is_exactly_w():
    """/unrolled, impulse: "With the identity activation that is exactly |w|."

    Checked at: identity, every w of the grid, w_in ∈ {−3, 1, 3}, b ∈ {−2, 0, 2}."""
    for w, wi, b in itertools.product(W_GRID, W_IN_GRID, BIAS_GRID):
        if w == 0:
            continue
        e, _ = echo(cfg(w_rec=w, w_in=wi, bias=b, activation="identity", length=30))
        big = np.abs(e[:-1]) > 1e-8  # below that the subtraction of the two runs has lost the digits
        assert np.allclose(e[1:][big] / e[:-1][big], w, rtol=1e-6)


@pytest.mark.parametrize("tip", TRIES, ids=lambda t: t.label)
def test_every_try_this_tip_holds(tip):
    """/unrolled "Try this": "w = 0.5: the echo halves each step"; "w = 1.5, identity: the echo grows 1.5× each
    step"; "w = −0.9: the echo alternates in sign"; "H = 8 hidden units reading a random walk".

    Checked at: each link's exact settings."""
    c = cfg(**tip.values)
    run = recipe.run_unrolled(c)
    b = recipe.behaviour(run) if run.hidden == 1 else None
    if "halves" in tip.tip:
        assert 0.45 <= b.factor <= 0.55
    if "grows 1.5×" in tip.tip:
        assert b.factor == pytest.approx(1.5, rel=1e-9)
    if "alternates" in tip.tip:
        assert b.flips
    if "H = 8" in tip.tip:
        assert run.hidden == 8 and c.sequence == "random walk"


def test_with_identity_the_step_level_is_w_in_plus_b_over_one_minus_w_and_rises_slower_for_larger_w():
    """/unrolled, step: "With the identity activation the level is (w_in + b)/(1 − w) for |w| < 1: the larger w,
    the higher the level and the slower the climb. tanh squashes the level below 1."

    Checked at: identity with w ∈ {0.2, 0.5, 0.8, 0.9}, w_in ∈ {0.5, 1, 3}, b ∈ {0, 0.5}, T = 200; tanh with
    every w ∈ (0, 1) of the grid, every w_in and b of the grids."""
    for wi, b in itertools.product((0.5, 1.0, 3.0), (0.0, 0.5)):
        levels, times = [], []
        for w in (0.2, 0.5, 0.8, 0.9):
            beh = recipe.behaviour(recipe.run_unrolled(cfg(sequence="step", length=200, w_rec=w, w_in=wi, bias=b,
                                                           activation="identity")))
            assert beh.level == pytest.approx((wi + b) / (1 - w), rel=1e-6)
            levels.append(beh.level)
            times.append(beh.settle_steps)
        assert levels == sorted(levels) and times == sorted(times) and times[-1] > times[0]
    for w, wi, b in itertools.product((0.2, 0.5, 0.8, 0.95), W_IN_GRID, BIAS_GRID):
        run = recipe.run_unrolled(cfg(sequence="step", length=200, w_rec=w, w_in=wi, bias=b))
        assert np.abs(run.h).max() < 1


@pytest.mark.parametrize("activation", ["identity", "relu", "leaky_relu", "elu"])
def test_without_squashing_a_larger_w_gives_a_longer_lag(activation):
    """/unrolled, sine: "Without a squashing activation (identity or ReLU), a larger w means a longer memory and a
    longer lag."

    Checked at: identity, ReLU, leaky ReLU and ELU with w ∈ {0, 0.3, 0.6, 0.8, 0.9, 0.95}, w_in ∈ {0.5, 1, 3},
    T = 120."""
    for wi in (0.5, 1.0, 3.0):
        lags = [recipe.behaviour(recipe.run_unrolled(cfg(sequence="sine", length=120, w_rec=w, w_in=wi,
                                                          activation=activation))).lag
                for w in (0.0, 0.3, 0.6, 0.8, 0.9, 0.95)]
        assert lags == sorted(lags) and lags[-1] > lags[1], lags


@pytest.mark.parametrize("seed", range(5))
def test_one_impulse_echoes_through_every_unit(seed):
    """/unrolled, H > 1: "W_hh mixes the units at every step, so a single input echoes through all of them."

    Checked at: H ∈ {2, …, 8}, seeds 0–4, the default weights, tanh and identity."""
    for hidden, act in itertools.product(range(2, 9), ("tanh", "identity")):
        run = recipe.run_unrolled(cfg(hidden=hidden, seed=seed, activation=act, length=20))
        k = recipe.event_step(20)
        assert (np.abs(run.h[k + 2]) > 1e-6).all()


@pytest.mark.parametrize("seed", range(5))
def test_the_recurrent_weight_scales_every_state_by_exactly_w(seed):
    """/unrolled, "How three sliders become weight matrices": "‖W_hh h‖ = |w| ‖h‖ — w still means how much of the
    past survives one step"; "With H = 1, u = Q = v = 1, so y_t = h_t."

    Checked at: H ∈ {1, …, 8}, seeds 0–4, w ∈ the grid, five random states each."""
    rng = np.random.default_rng(seed)
    for hidden, w in itertools.product(range(1, 9), W_GRID):
        cell = recipe.build_rnn(cfg(hidden=hidden, seed=seed, w_rec=w))
        for _ in range(5):
            h = rng.standard_normal(hidden)
            assert np.linalg.norm(cell.params["weight_hh"] @ h) == pytest.approx(abs(w) * np.linalg.norm(h),
                                                                                 abs=1e-12)
    run = recipe.run_unrolled(cfg(hidden=1, seed=seed, sequence="random walk", length=50))
    np.testing.assert_array_equal(run.y, run.h[:, 0])


def test_saturated_ends_barely_move():
    """/unrolled, the activation panel: "On the flat ends of tanh or σ, a big change in a_t barely moves h_t —
    saturation."

    Checked at: a = ±4 and beyond (the panel's edges) for tanh and sigmoid."""
    for name, limit in (("tanh", 0.002), ("sigmoid", 0.02)):
        a, _, slope = recipe.curve(name, 4.0, 8.0, 9)
        assert slope.max() < limit
        a, _, slope = recipe.curve(name, -8.0, -4.0, 9)
        assert slope.max() < limit


def test_the_overflow_and_explosion_messages_quote_the_run():
    """/unrolled: "The hidden state overflowed at step t = k …", "The hidden state has grown to X by step t = n:
    it explodes", and the chart switches to a log scale there.

    Checked at: identity with w ∈ {1.5, 3} and T ∈ {30, 200}, and w = 80 (beyond the slider, for a real overflow)."""
    for w, T in ((1.5, 30), (3.0, 30), (3.0, 200), (80.0, 200)):
        run = recipe.run_unrolled(cfg(w_rec=w, length=T, activation="identity"))
        size, step = run.peak
        finite = np.abs(run.h[np.isfinite(run.h)])
        assert size == finite.max() and step == int(np.argmax(np.where(np.isfinite(run.h[:, 0]), finite[0] * 0 +
                                                                       np.abs(run.h[:, 0]), 0)))
        if run.overflow_step is not None:
            assert np.isfinite(run.h[: run.overflow_step]).all() and not np.isfinite(run.h[run.overflow_step]).all()


# -- the w sweep ------------------------------------------------------------------------------------------
def numbers_in(text: str, marker: str) -> list[float]:
    """Every w named after ``marker`` up to the next clause ("from a to b", "w ≥ a and every w ≤ −b")."""
    clause = text.split(marker, 1)[1].split(";")[0]
    return [float(v.replace("−", "-")) for v in re.findall(r"[−\-]?\d+\.\d\d", clause)]


def engine_echo_ends(c: recipe.UnrolledConfig) -> dict[float, tuple[float, float, bool]]:
    """w -> (size right after the impulse, size after the last step, overflowed anywhere), one engine run per w on
    the sweep's grid (independent of the sweep's vectorised pass)."""
    out = {}
    for w in recipe.W_GRID:
        run = recipe.run_unrolled(recipe.UnrolledConfig(**{**c.__dict__, "w_rec": float(w)}))
        size = np.abs(run.h[:, 0]) if run.hidden == 1 else np.linalg.norm(run.h, axis=1)
        out[round(float(w), 2)] = (size[recipe.event_step(run.steps)], size[-1], run.overflow_step is not None)
    return out


SWEEP_CASES = [dict(), dict(activation="identity"), dict(activation="relu"), dict(activation="elu"),
               dict(length=200, activation="identity"), dict(length=40, w_in=3.0), dict(hidden=4, length=30),
               dict(hidden=3, activation="identity", length=200), dict(length=5)]


@pytest.mark.parametrize("kw", SWEEP_CASES, ids=lambda kw: "-".join(f"{k}{v}" for k, v in kw.items()) or "defaults")
def test_the_sweep_story_names_the_ranges_the_engine_shows(kw):
    """/unrolled, "Sweep the recurrent weight": "by the last step the impulse's echo has faded below 1 % of its
    first size for every w from a to b; it still holds at least half of it / ends larger than it started for
    every w ≥ c and every w ≤ −d; it overflows for every w ≥ e" — every w in each named range does that, and the
    grid point just outside a range does not.

    Checked at: the defaults; identity, ReLU, ELU; T = 5, 12, 40, 200; w_in = 3; H = 3, 4 — one engine run per
    w on the 121-point grid each (independent of the sweep's vectorised pass)."""
    c = cfg(**kw)
    text = stories.sweep_story(recipe.sweep_w(c))
    ends = engine_echo_ends(c)
    fades = {w: np.isfinite(last) and last <= 0.01 * first for w, (first, last, _) in ends.items()}
    bounded = c.activation in recipe.BOUNDED
    holds = {w: (not np.isfinite(last)) or (last >= 0.5 * first if bounded else last > first)
             for w, (first, last, _) in ends.items()}
    ws = sorted(ends)
    if "has faded below 1 %" in text:
        lo, hi = numbers_in(text, "for every w from")
        assert all(fades[w] for w in ws if lo <= w <= hi)
        assert (lo == ws[0] or not fades[round(lo - 0.05, 2)]) and (hi == ws[-1] or not fades[round(hi + 0.05, 2)])
    else:
        assert "In this sweep" not in text or not fades[0.0]
    marker = "still holds at least half of it for every" if bounded else "ends larger than it started for every"
    if marker in text:
        for bound in numbers_in(text, marker):
            side = [w for w in ws if (w >= bound if bound > 0 else w <= bound)]
            assert side and all(holds[w] for w in side)
            inner = round(bound - 0.05, 2) if bound > 0 else round(bound + 0.05, 2)
            assert not holds[inner]
    if "overflows" in text:
        for bound in numbers_in(text, "overflows (beyond 1.8 × 10³⁰⁸) for every"):
            assert all(ends[w][2] for w in ws if (w >= bound if bound > 0 else w <= bound))
