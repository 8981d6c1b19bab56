"""Claims of the /bptt lesson, checked against the engine (see tests/claims/README.md).

Each claim is checked against numbers the lesson did not compute itself: the engine's backward pass on the same
one-unit RNN, its truncated backward (``analysis.truncated_backward``, one backward per loss window) and its
Jacobians (``analysis.jacobian_norms``).
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest

from lessons.bptt import figures, film, recipe, stories
from lessons.bptt.settings import SETTINGS, TRIES, config
from lessons.kit.numbers import compact
from lessons.kit.settings import ACTIVATION_LABELS, defaults
from rnn_core.analysis import jacobian_norms, truncated_backward

ACTIVATIONS = tuple(ACTIVATION_LABELS)
TYPED = {"typed": (0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),  # the page's example
         "typed ±100": tuple(float((-1) ** i * (100 if i % 3 == 0 else i)) for i in range(30))}
# (w_in, b, target) corners, cycled through the grid so every one meets every activation and loss.
CORNERS = ((1.0, 0.0, 0.5), (2.0, 1.0, -1.0), (-2.0, -1.0, 1.0), (2.0, -1.0, 0.5))


def grid() -> list[dict]:
    """The settings every claim is checked at (about 1,900 runs)."""
    out = []
    kinds = ("impulse", "step", "sine", "random walk", "typed", "typed ±100")
    for n, (kind, T, w, act, loss) in enumerate(itertools.product(kinds, (1, 2, 12, 100), (-2.0, -0.5, 0.0, 0.9, 2.0),
                                                                  ACTIVATIONS, ("last", "every"))):
        w_in, b, y = CORNERS[n % len(CORNERS)]
        seq, values = ("typed", TYPED[kind]) if kind.startswith("typed") else (kind, ())
        if seq == "typed" and T != 12:
            continue  # typed numbers set their own length
        out.append(dict(sequence=seq, values=values, length=T, w_rec=w, w_in=w_in, bias=b, target=y,
                        activation=act, loss=loss, seed=0))
    for seed, T, w, act, loss in itertools.product(range(1, 5), (12, 100), (-2.0, 0.9, 2.0), ACTIVATIONS,
                                                   ("last", "every")):
        out.append(dict(sequence="random walk", values=(), length=T, w_rec=w, w_in=2.0, bias=1.0, target=-1.0,
                        activation=act, loss=loss, seed=seed))
    return out


GRID = grid()


@functools.cache
def _cfg(items: tuple) -> recipe.BPTTConfig:
    return recipe.BPTTConfig(**dict(items))


def cfg_of(kw: dict) -> recipe.BPTTConfig:
    return _cfg(tuple(sorted(kw.items())))


@functools.cache
def result(c: recipe.BPTTConfig) -> recipe.BPTTResult:
    return recipe.run_bptt(c)


@functools.cache
def shares(c: recipe.BPTTConfig) -> recipe.Shares:
    return recipe.loss_shares(c)


def engine(c: recipe.BPTTConfig):
    """The engine's own run of the network: (cell, trace, ∂ℓ_t/∂h_t)."""
    cell = recipe.build_cell(c)
    trace = cell.forward(recipe.make_input(c)[:, None])
    local = np.where(np.arange(trace.steps) == trace.steps - 1, 1.0, 0.0) if c.loss == "last" else np.ones(
        trace.steps)
    return cell, trace, (trace.h[:, 0] - c.target) * local


def test_the_defaults_are_in_the_grid():
    """/bptt, the controls: the page starts where every claim below is checked (impulse, T = 12, w_rec = 0.9, tanh,
    a loss on the last step, the window k = 4).

    Checked at: the page's defaults."""
    d = recipe.BPTTConfig()
    assert any(cfg_of(kw) == d for kw in GRID)
    assert SETTINGS["k"].default == recipe.WINDOW == 4


def test_the_gradient_walks_back_one_factor_at_a_time():
    """/bptt, section 1: "The gradient starts at the loss and walks backwards: a state fills with the colour of
    ∂L/∂h_t when it is reached [...] Crossing one step multiplies it by w_rec·act′(a_t), the number on each arrow.
    A step also adds the push of its own loss, if it has one." — and the backward film's line for step t:
    "∂L/∂h_t = ∂ℓ_t/∂h_t + w_rec·act′(a_t+1) · ∂L/∂h_t+1 = X + F × Y = Z", for the last step "∂L/∂h_T = h_T − y".

    Checked at: impulse, step, sine, random walk (seeds 0–4), the page's typed example and 30 typed numbers up to
    ±100 × T ∈ {1, 2, 12, 100} × w_rec ∈ {−2, −0.5, 0, 0.9, 2} × every activation × loss on the last step or every
    step × (w_in, b, y) corners (±2, ±1, ±1) — about 1,900 runs, the defaults included; the film's arrows' labels
    and its lines at the steps T, T/2 and 1 at every fifth of those."""
    for n, kw in enumerate(GRID):
        c = cfg_of(kw)
        res = result(c)
        cell, trace, local = engine(c)
        full = cell.backward(trace, local[:, None].copy())
        np.testing.assert_array_equal(res.dh, full.dh[:, 0])  # the numbers on the page are the engine's
        np.testing.assert_array_equal(res.local, local)
        act_slope = cell.activation.deriv(trace.pre["h"][:, 0], trace.h[:, 0])
        np.testing.assert_array_equal(res.factors, c.w_rec * act_slope)
        scale = np.abs(res.local[:-1]) + np.abs(res.factors[1:] * res.dh[1:]) + 1e-300
        assert np.all(np.abs(res.dh[:-1] - (res.local[:-1] + res.factors[1:] * res.dh[1:])) <= 1e-14 * scale)
        assert res.dh[-1] == res.local[-1] == res.h[-1] - c.target
        if n % 5 == 0:
            film_lines_are_the_engines(res, c, full.dh[:, 0])


def film_lines_are_the_engines(res: recipe.BPTTResult, c: recipe.BPTTConfig, dh: np.ndarray) -> None:
    """The film draws one factor per arrow (short chains) and, for each step, the recursion with the engine's
    ∂L/∂h of that step and of the one after it."""
    fig = film.backward_film(res, c.target, res.steps).to_dict()
    if res.steps <= figures.LABEL_MAX_STEPS:
        labels = next(d for d in fig["data"] if d.get("mode") == "text" and str(d["text"][0]).startswith("×"))
        assert len(labels["text"]) == res.steps  # one label per arrow h_t -> h_(t-1), the factor of step t
    lines = {int(s["label"]): f["data"][-1]["text"] for s, f in zip(fig["layout"]["sliders"][0]["steps"],
                                                                   fig["frames"], strict=True)}
    T = res.steps
    for t in {T, max(1, T // 2), 1}:
        own = f"{compact(res.h[T - 1], 8, 4)} − " if t == T else f"{compact(res.local[t - 1], 8, 3)} + "
        assert own in lines[t][0] and lines[t][0].endswith(f" = <b>{compact(dh[t - 1], 8, 4)}</b>")
        if t < T:
            assert f"× {film._paren(dh[t])} = " in lines[t][0]  # what step t + 1 sends back


def test_the_film_collects_the_weight_gradient_on_the_way_back():
    """/bptt, section 1, the backward film's second line: "step t's share of ∂L/∂w_rec: ∂L/∂a_t · h_t−1 = A × B =
    C; collected from steps T…t: S" — and beside it: "The second is what that step adds to the shared weight's
    gradient, and the sum collected so far: at t = 1 it is the whole ∂L/∂w_rec of section 3."

    Checked at: impulse, step, sine, random walk (seeds 0–4), the page's typed example and 30 typed numbers up to
    ±100 × T ∈ {1, 2, 12, 100} × w_rec ∈ {−2, −0.5, 0, 0.9, 2} × every activation × loss on the last step or every
    step × (w_in, b, y) corners (±2, ±1, ±1) — about 1,900 runs, the defaults included: every step's share and sum
    against the engine's per-step shares; the drawn lines at steps T, T/2 and 1 at every fifth."""
    for n, kw in enumerate(GRID):
        c = cfg_of(kw)
        res = result(c)
        cell, trace, local = engine(c)
        full = cell.backward(trace, local[:, None].copy(), per_step=True)
        shares_ = full.per_step["weight_hh"][:, 0, 0]
        np.testing.assert_array_equal(res.contributions, shares_)
        np.testing.assert_array_equal(res.da, full.per_step["bias_hh"][:, 0])  # ∂L/∂a_t
        scale = 4 * res.steps * np.finfo(float).eps * np.abs(shares_).sum()
        assert np.all(np.abs(res.collected - np.cumsum(shares_[::-1])[::-1]) <= scale)
        assert abs(res.collected[0] - full.params["weight_hh"][0, 0]) <= scale, kw  # the whole gradient at t = 1
        assert compact(res.collected[0], 9, 4) == compact(res.total, 9, 4), kw  # as the film writes it
        if n % 5 == 0:
            T = res.steps
            for t in {T, max(1, T // 2), 1}:
                line = film.share_line(res, t)
                assert f"= {compact(shares_[t - 1], 8, 3)};" in line
                assert line.endswith(f": <b>{compact(np.sum(shares_[t - 1:][::-1]), 9, 4)}</b>")


def test_no_activation_lets_the_product_beat_w_to_the_power_of_the_distance():
    """/bptt, section 2: "Every activation offered here has |act′| ≤ 1 (the sigmoid even ≤ ¼), so the product can
    never exceed |w_rec|^(T−t) (dashed): the activation can only shrink the signal further." — and the metric
    "Survives the trip back to step 1" = |∂h_T/∂h_1|.

    Checked at: impulse, step, sine, random walk (seeds 0–4), the page's typed example and 30 typed numbers up to
    ±100 × T ∈ {1, 2, 12, 100} × w_rec ∈ {−2, −0.5, 0, 0.9, 2} × every activation × loss on the last step or every
    step × (w_in, b, y) corners (±2, ±1, ±1) — about 1,900 runs, the defaults included; |∂h_T/∂h_1| against the
    engine's Jacobian at T ∈ {2, 12, 100}."""
    for kw in GRID:
        c = cfg_of(kw)
        res = result(c)
        dist = res.steps - np.arange(1, res.steps + 1)  # T - t
        bound = np.abs(c.w_rec) ** dist.astype(float) * (1 + 1e-13 * (dist + 1))
        assert np.all(np.abs(res.running) <= bound), kw
        if c.activation == "sigmoid":
            assert np.all(np.abs(res.running) <= (abs(c.w_rec) / 4) ** dist * (1 + 1e-13 * (dist + 1)))
        if res.steps > 1 and kw["target"] == 0.5:
            cell, trace, _ = engine(c)
            jac = jacobian_norms(cell, recipe.make_input(c)[:, None]).h[0]
            assert abs(res.running[0]) == pytest.approx(jac, rel=1e-12, abs=1e-300)


def test_the_waterfall_lands_on_the_total_of_backward():
    """/bptt, section 3: "the gradients from all time steps are summed up"; "Each bar starts where the previous one
    ended; the last one lands exactly on the green total that backward computed in one pass" — or, where the sum
    in step order differs in the last digits, "up to floating-point rounding (they differ by d)".

    Checked at: impulse, step, sine, random walk (seeds 0–4), the page's typed example and 30 typed numbers up to
    ±100 × T ∈ {1, 2, 12, 100} × w_rec ∈ {−2, −0.5, 0, 0.9, 2} × every activation × loss on the last step or every
    step × (w_in, b, y) corners (±2, ±1, ±1) — about 1,900 runs, the defaults included; the drawn waterfall at every
    fifth; the total against finite differences of the loss at about 20 of them."""
    for n, kw in enumerate(GRID):
        c = cfg_of(kw)
        res = result(c)
        fig = figures.contributions_figure(res) if n % 5 == 0 else None
        if fig is not None:
            bars = next(d for d in fig.data if d.name == "step t's share")
            end = float(np.asarray(bars.base, dtype=float)[-1] + np.asarray(bars.y, dtype=float)[-1])
            assert end == pytest.approx(res.contributions_sum, rel=1e-6)  # where the last bar ends (float32 sent)
        assert res.contributions_sum == float(np.cumsum(res.contributions)[-1])  # added in step order
        diff = abs(res.contributions_sum - res.total)
        assert diff <= 4 * res.steps * np.finfo(float).eps * np.abs(res.contributions).sum(), kw
        text = stories.sum_sentence(res)
        assert ("lands exactly on" in text) == (diff == 0) and ("rounding" in text) == (diff != 0)
        if n % 48 == 0 and res.steps <= 12 and abs(res.total) < 1e6:
            eps = 1e-6
            up = recipe.run_bptt(recipe.BPTTConfig(**{**kw, "w_rec": kw["w_rec"] + eps})).loss
            down = recipe.run_bptt(recipe.BPTTConfig(**{**kw, "w_rec": kw["w_rec"] - eps})).loss
            assert res.total == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-7)


def windows(T: int) -> list[int]:
    """The truncation window's slider runs 1..T: its ends, the page's start (4) and a few between."""
    return sorted(k for k in {1, 2, 4, T // 2, T - 1, T} if 1 <= k <= T)


def test_truncated_bptt_is_what_the_engine_computes_and_exact_from_k_equal_t():
    """/bptt, section 4: "Truncated BPTT lets each loss flow back at most k steps and simply ignores the rest"; the
    metrics "Truncated (k)", "Full BPTT", "Relative error"; "With k ≥ T nothing is dropped and the result is
    exactly full BPTT."; the error-vs-k chart.

    Checked at: impulse, step, sine, random walk (seeds 0–4), the page's typed example and 30 typed numbers up to
    ±100 × T ∈ {1, 2, 12, 100} × w_rec ∈ {−2, −0.5, 0, 0.9, 2} × every activation × loss on the last step or every
    step × (w_in, b, y) corners (±2, ±1, ±1) — about 1,900 runs, the defaults included × every window k ∈ {1, 2, 4,
    T/2, T − 1, T}: the lesson's truncated gradient against the engine's truncated_backward (one backward per loss
    window)."""
    for n, kw in enumerate(GRID):
        c = cfg_of(kw)
        sh, T = shares(c), result(c).steps
        cell, trace, local = engine(c)
        curve = recipe.truncation_curve(c, sh)
        scale = np.abs(sh.by_loss).sum() + 1e-300
        heavy = T > 12 and c.loss == "every" and n % 3  # the engine takes T backward passes per window there
        for k in ([1, 4, T] if heavy else windows(T)):
            tr = recipe.truncate(c, k, sh)
            eng = truncated_backward(cell, trace, local[:, None].copy(), k)
            assert abs(tr.total - eng.params["weight_hh"][0, 0]) <= 1e-13 * scale, (kw, k)
            assert tr.rel_error == curve.rel_errors[k - 1]
            if tr.full_total != 0 and math.isfinite(tr.rel_error):
                exact = abs(eng.params["weight_hh"][0, 0] - tr.full_total) / abs(tr.full_total)
                assert abs(tr.rel_error - exact) <= 1e-12 * scale / abs(tr.full_total)
            if k >= T:
                assert tr.rel_error == 0 and tr.total == tr.full_total == result(c).total
                assert not tr.dropped.any() and tr.drops_nothing


def test_the_signal_behind_a_dropped_share_crossed_k_factors():
    """/bptt, section 4: "Every share the window drops lies k or more steps before its loss, so it crossed at least
    k factors on its way back." — and, from the run, "Here no factor is larger than m in size, so the signal behind
    every dropped share had shrunk to at most m^k of its size at its loss" or "Here factors reach m in size, so
    crossing k of them need not shrink anything (m^k ≥ 1)".

    Checked at: impulse, step, sine, random walk (seeds 0–4), the page's typed example and 30 typed numbers up to
    ±100 × T ∈ {1, 2, 12, 100} × w_rec ∈ {−2, −0.5, 0, 0.9, 2} × every activation × loss on the last step or every
    step × (w_in, b, y) corners (±2, ±1, ±1) — about 1,900 runs, the defaults included × every window k ∈ {1, 2, 4,
    T/2, T − 1}: each loss's signal ∂ℓ_s/∂h_t from the engine's backward of that loss alone (up to 9 losses per run,
    the last one included)."""
    for kw in GRID:
        c = cfg_of(kw)
        res, sh = result(c), shares(c)
        T = res.steps
        cell, trace, local = engine(c)
        m = float(np.abs(res.factors[1:]).max(initial=0.0))
        assert sh.largest_factor == m
        losses = np.flatnonzero(local)
        for s in {*losses[:: max(1, losses.size // 8)], *losses[-1:]}:  # up to 9 of the losses, the last included
            only = np.zeros((T, 1))
            only[s] = local[s]
            signal = np.abs(cell.backward(trace, only).dh[:, 0])  # |∂ℓ_s/∂h_t|
            dist = s - np.arange(T)
            with np.errstate(over="ignore"):
                bound = abs(local[s]) * m ** np.maximum(dist, 0).astype(float)
            before = dist >= 0
            assert np.all(signal[before] <= bound[before] * (1 + 1e-13 * (dist[before] + 1)) + 1e-300), (kw, s)
            assert np.all(signal[~before] == 0)
        for k in (k for k in windows(T) if k < T):
            tr = recipe.truncate(c, k, sh)
            text = stories.truncation_sentence(tr, T)
            if tr.drops_nothing:
                assert "exactly 0" in text and tr.rel_error == 0
            elif m < 1:
                assert f"at most ${stories.compact(m)}^{{{k}}}" in text and tr.shrink == pytest.approx(m**k)
            else:
                assert "need not shrink anything" in text and tr.shrink >= 1


def test_the_verdict_on_the_window_quotes_the_run():
    """/bptt, section 4, from the run: "the truncated gradient is off by E: nearly exact" (E < 1 %), "… off by E"
    (1–10 %), "… off by E: the dropped shares matter" (≥ 10 %), and where small factors (m^k < 0.1) still leave
    E ≥ 10 %: "Shrunk as they are, they are a large part of this gradient: what the window keeps is small too";
    "Every share the window of k drops is exactly 0 in this run, so the truncated gradient is exact anyway".

    Checked at: impulse, step, sine, random walk (seeds 0–4), the page's typed example and 30 typed numbers up to
    ±100 × T ∈ {1, 2, 12, 100} × w_rec ∈ {−2, −0.5, 0, 0.9, 2} × every activation × loss on the last step or every
    step × (w_in, b, y) corners (±2, ±1, ±1) — about 1,900 runs, the defaults included × every window k ∈ {1, 2, 4,
    T/2, T − 1}; the page's default (impulse, T = 12, w = 0.9, k = 4: off by 45.9 %, the old text's "even a short
    window is nearly exact" did not hold there)."""
    for kw in GRID:
        c = cfg_of(kw)
        sh, T = shares(c), result(c).steps
        for k in (k for k in windows(T) if k < T):
            tr = recipe.truncate(c, k, sh)
            text = stories.truncation_sentence(tr, T)
            err = tr.rel_error
            if tr.drops_nothing:
                assert err == 0 and not np.any(np.tril(sh.by_loss, -k))
                continue
            assert ("nearly exact" in text) == (err < 0.01)
            assert ("the dropped shares matter" in text) == (err >= 0.1 and math.isfinite(err))
            if "small too" in text:
                kept, lost = tr.total, tr.full_total - tr.total
                assert tr.shrink < 0.1 and abs(kept) <= 11 * abs(lost) * (1 + 1e-9)
            if math.isfinite(err) and err > 0:
                assert stories.relative_error_text(err) in text
    default = recipe.truncate(recipe.BPTTConfig(), recipe.WINDOW)
    assert default.rel_error > 0.4 and "the dropped shares matter" in stories.truncation_sentence(default, 12)


def test_every_chart_shows_every_value_nothing_overflows():
    """/bptt, every chart: no value silently missing — the forward pass never overflows at any setting the page
    offers (its warning "The forward pass overflowed" never has to show), every chart's numbers reach the browser
    finite, and the log charts draw every value or mark it (exactly 0).

    Checked at: impulse, step, sine, random walk (seeds 0–4), the page's typed example and 30 typed numbers up to
    ±100 × T ∈ {1, 2, 12, 100} × w_rec ∈ {−2, −0.5, 0, 0.9, 2} × every activation × loss on the last step or every
    step × (w_in, b, y) corners (±2, ±1, ±1) — about 1,900 runs, the defaults included at T = 100, and the largest
    state the sliders allow (T = 100, w_rec = ±2, identity, w_in = 2, b = 1, typed inputs ±100)."""
    worst = recipe.BPTTConfig(sequence="typed", values=(100.0,) * 100, w_rec=2.0, w_in=2.0, bias=1.0,
                              activation="identity", loss="every", target=-1.0)
    for n, c in enumerate([worst] + [cfg_of(kw) for kw in GRID if result(cfg_of(kw)).steps == 100]):
        res = result(c)
        if n % 4 == 0:  # the backward film: every state's colour and every frame's line reach the browser finite
            f = film.backward_film(res, c.target, 50)
            nodes = f.data[len(f.data) - len(film.DYNAMIC) + film.DYNAMIC.index("reached nodes")]
            assert np.all(np.isfinite(np.asarray(nodes.marker.color, dtype=float)))
            lines = [line for fr in f.to_dict()["frames"] for line in fr["data"][-1]["text"]]
            assert len(lines) == 200 and not any("NaN" in line or "∞" in line for line in lines)
        assert res.overflow_step is None and np.all(np.isfinite(res.dh)) and np.isfinite(res.total)
        sh = shares(c)
        tr = recipe.truncate(c, recipe.WINDOW, sh)
        curve = recipe.truncation_curve(c, sh)
        figs = [figures.chain_rule_figure(res),
                figures.contributions_figure(res), figures.truncation_figure(res, tr, c.loss),
                figures.truncation_error_figure(curve, recipe.WINDOW)]
        for fig in figs:
            for d in fig.data:
                if d.y is not None and d.type == "bar":
                    assert np.all(np.isfinite(np.asarray(d.y, dtype=float)))
        chain = figs[0]
        drawn = {int(x) for d in chain.data if d.yaxis == "y2" and d.name.startswith("|∂h")
                 for x, v in zip(d.x, np.asarray(d.y, dtype=float), strict=True) if np.isfinite(v)}
        assert drawn == set(range(1, res.steps + 1))
        errs = {int(x) for d in figs[3].data for x, v in zip(d.x, np.asarray(d.y, dtype=float), strict=True)
                if np.isfinite(v)}
        assert errs == set(range(1, res.steps + 1))


def try_config(tip) -> recipe.BPTTConfig:
    """The network a "Try this" link opens: the page's defaults with the link's values (as the page reads them)."""
    return config({**defaults(SETTINGS), **tip.values})


@pytest.mark.parametrize("tip", TRIES, ids=lambda t: t.label)
def test_every_try_this_tip_holds(tip):
    """/bptt "Try this": "w_rec = 0.5, T = 20: less than a millionth of the last step's error reaches step 1";
    "w_rec = 1.5, identity, T = 30: step 1 gets 1.5²⁹ ≈ 128 000 times the last step's error"; "k = 9: the impulse
    comes at step 3, and truncation drops only shares that are exactly 0"; "every step's own loss pushes on its
    state".

    Checked at: each link's exact settings (the page's defaults otherwise), against the engine's Jacobian
    (jacobian_norms), its inputs and its truncated backward (truncated_backward)."""
    c = try_config(tip)
    res = result(c)
    cell, trace, local = engine(c)
    if "millionth" in tip.tip or "128 000" in tip.tip:
        jac = jacobian_norms(cell, recipe.make_input(c)[:, None]).h[0]  # |∂h_T/∂h_1| from the engine
        assert abs(res.running[0]) == pytest.approx(jac, rel=1e-12)
        assert (jac < 1e-6) if "millionth" in tip.tip else (jac == pytest.approx(1.5 ** 29, rel=1e-12)
                                                          and round(jac, -3) == 128_000)
    if "truncation drops only" in tip.tip:
        x = recipe.make_input(c)
        assert int(np.flatnonzero(x)[0]) + 1 == 3 and np.count_nonzero(x) == 1  # the impulse, at step 3
        tr = recipe.truncate(c, tip.values["k"], shares(c))
        eng = truncated_backward(cell, trace, local[:, None].copy(), tip.values["k"])
        assert tr.drops_nothing and tr.rel_error == 0
        assert eng.params["weight_hh"][0, 0] == pytest.approx(res.total, rel=1e-13)
    if "every step's own loss" in tip.tip:
        assert c.loss == "every" and np.all(local != 0) and np.array_equal(res.local, local)
