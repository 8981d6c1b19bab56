"""Claims of the /gru lesson, checked against the engine (see tests/claims/README.md).

The GRU's arithmetic is checked on the engine's forward pass (rnn_core.GRU) and its one-step function
(rnn_core.steps.gru_step); the two reset forms are compared on the same weights.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import partial

import numpy as np
import pytest
from claims.helpers import every_step_value, number_after, page_config
from claims.printed import close, printed_numbers

from lessons.gated import figures, recipe, stories
from lessons.gated.settings import GRU_SETTINGS, GRU_TRIES, gru_config
from rnn_core import GRU
from rnn_core.steps import gru_step

SEEDS = range(5)
PATTERNS = [p for p in recipe.PATTERNS if p != "custom"]
CORNERS = [dict(steps=T, hidden=H, gain=g, update_bias=b) for T, H, g, b in
           itertools.product((5, 40, 120), (1, 6, 16), (0.5, 3.0, 6.0), (-4.0, 1.0, 6.0))]
BZ_GRID = tuple(np.arange(-4.0, 6.5, 0.5))


cfg = partial(page_config, gru_config, GRU_SETTINGS)  # the page's GRU at its defaults, with fields changed


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_update_gate_blends_old_and_new(pattern):
    """/gru, introduction and heatmaps: "The update gate z blends old and new: a share z of the previous state is kept
    and 1 − z is replaced by a candidate n"; "At 1 a unit copies its old value forward untouched; at 0 it replaces
    it with the candidate … whatever share is not kept (1 − z) is written"; "n — the candidate (tanh, −1 to 1)".

    Checked at: every pattern × T ∈ {5, 40, 120} × H ∈ {1, 6, 16} × input scale ∈ {0.5, 3, 6} × b_z ∈ {−4, 1, 6}
    × seeds 0–4, both reset forms, on the engine's forward pass."""
    for corner, seed, after in itertools.product(CORNERS, SEEDS, (True, False)):
        run = recipe.run_gru(cfg(pattern=pattern, seed=seed, reset_after=after, **corner))
        z, n = run.gates["z"], run.gates["n"]
        np.testing.assert_allclose(run.h, z * run.h_prev + (1 - z) * n, atol=1e-12)
        assert (np.abs(n) <= 1).all() and ((z >= 0) & (z <= 1)).all()


def test_the_step_numbers_are_the_engines():
    """/gru, "This step, in numbers": "The update gate keeps z of the old state and takes 1 − z from the candidate.
    The reset gate lets r of the past into that candidate."

    Checked at: every pattern at the defaults, seeds 0–4, every step, every unit and the mean."""
    for unit, v in every_step_value(lambda **kw: recipe.run_gru(cfg(**kw)), PATTERNS, SEEDS):
        assert v["h"] == pytest.approx(v["kept"] + v["written"], abs=1e-12)
        if unit is not None:
            assert v["kept"] == pytest.approx(v["z"] * v["h_prev"])
            assert v["written"] == pytest.approx((1 - v["z"]) * v["n"])


@pytest.mark.parametrize("after", [True, False], ids=["pytorch", "cho"])
def test_a_closed_reset_gate_builds_the_candidate_from_the_input_alone(after):
    """/gru, heatmaps: "r — the reset gate. How much of the past the candidate may look at. Near 0 the candidate is
    built from the current input alone, as if the sequence started afresh."

    Checked at: both reset forms, seeds 0–4, H ∈ {1, 6}, random x and h_{t−1}; r forced to 0 by a large negative
    reset-gate bias, with the page's zero recurrent bias b_hn."""
    rng = np.random.default_rng(0)
    for seed, H in itertools.product(SEEDS, (1, 6)):
        cell = recipe.build_gru(cfg(seed=seed, hidden=H, reset_after=after))
        params = {k: v.copy() for k, v in cell.params.items()}
        params["bias_ih"][:H] = -60.0  # r = σ(−60 + …) = 0 to machine precision
        x, h = rng.normal(size=1), rng.normal(size=H)
        step = gru_step(params, x, h, reset_after=after)
        fresh = gru_step(params, x, np.zeros(H), reset_after=after)
        assert np.abs(step.r).max() < 1e-20
        np.testing.assert_allclose(step.n, fresh.n, atol=1e-15)


def test_the_update_bias_brightens_z_everywhere_and_the_pulse_lingers_longer():
    """/gru, heatmaps: "Move the update-gate bias and watch this row brighten at every step, and the pulse linger
    longer in h (below b_z ≈ −2 it is gone within a few steps either way)."

    Checked at: T ∈ {5, 40, 120} × H ∈ {1, 6, 16} × input scale ∈ {0.5, 3, 6} × seeds 0–4, every b_z notch: z's
    mean over units rises at every step (every pattern); for the pulse, from b_z = −2 up the step from which less
    than 1 % of it is left never comes earlier, and at b_z ≤ −2 it comes by t = 8 (T ≥ 40)."""
    for pattern, T, H, gain, seed in itertools.product(PATTERNS, (5, 40, 120), (1, 6, 16), (0.5, 3.0, 6.0), SEEDS):
        runs = [recipe.run_gru(cfg(pattern=pattern, steps=T, hidden=H, gain=gain, seed=seed, update_bias=b))
                for b in BZ_GRID]
        rows = [r.gates["z"].mean(axis=1) for r in runs]
        assert all((later > earlier).all() for earlier, later in itertools.pairwise(rows))
        if pattern != "pulse":
            continue
        fades = {b: (f.faded_at or T + 1) for b, f in zip(BZ_GRID, map(recipe.pulse_fate, runs), strict=True)}
        upper = [fades[b] for b in BZ_GRID if b >= -2]
        assert upper == sorted(upper), upper
        assert T < 40 or all(fades[b] <= 8 for b in BZ_GRID if b <= -2)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_what_the_page_says_about_the_state_row_is_what_the_engine_does(pattern):
    """/gru, heatmaps: "Here the row looks empty: the update gate keeps about z of the past at every step (b_z = …),
    and the past starts at h_0 = 0, so only 1 − z of each candidate gets in and |h| never exceeds …"; "The pulse
    enters h at t = 1 (up to …) and from t = k on less than 1 % of it is left" / "at t = T h still holds up to …".

    Checked at: every pattern × the corners of T, H, input scale and b_z × seeds 0–4."""
    for corner, seed in itertools.product(CORNERS, SEEDS):
        c = cfg(pattern=pattern, seed=seed, **corner)
        run = recipe.run_gru(c)
        fate = recipe.pulse_fate(run)
        text = stories.gru_state_story(pattern, fate, c.update_bias, fate.peak)
        peak = np.abs(run.h).max()
        assert ("looks empty" in text) == (peak < stories.EMPTY)
        if "looks empty" in text:
            assert number_after(text, "never exceeds") == pytest.approx(peak, rel=0.05)
            assert (run.h_prev[0] == 0).all()
            assert f"about {stories.share(run.gates['z'][1:].mean() if run.steps > 1 else run.gates['z'].mean())}" \
                in text
        size = np.abs(run.h).max(axis=1)
        if "from t =" in text:
            k = int(number_after(text, "from t ="))
            assert (size[k - 1 :] < 0.01 * size[0]).all()
        if "h still holds" in text:
            assert number_after(text, "h still holds up to") == pytest.approx(size[-1], rel=0.05)


def form_gap(params: dict, x: np.ndarray) -> float:
    """The largest |h| difference between the two reset forms with the same ``params`` on x (T, 1)."""
    H = params["weight_hh"].shape[1]
    a, b = GRU(1, H, reset_after=True), GRU(1, H, reset_after=False)
    a.params.update(params)
    b.params.update(params)
    return float(np.abs(a.forward(x).h - b.forward(x).h).max())


def test_the_reset_forms_differ_only_through_r_varying_or_b_hn():
    """/gru, "Where does the reset gate act?": "The forms differ only where r differs from unit to unit, or through
    the recurrent bias b_hn (0 here): with every r equal, r ⊙ (W_hn h) = W_hn (r ⊙ h)"; FORM_NOTES: "The weights
    have the same shapes, but the two forms compute different functions".

    Checked at: seeds 0–4, H ∈ {2, 6}: the page's cells have b_hn = 0; with the reset gate's weights made equal for
    every unit the forms agree exactly; give b_hn a value, or leave r free, and they differ."""
    for seed, H in itertools.product(SEEDS, (2, 6)):
        c = cfg(seed=seed, hidden=H, pattern="noise")
        cell = recipe.build_gru(c)
        assert (cell.params["bias_hh"][2 * H :] == 0).all() and (cell.params["bias_ih"][2 * H :] == 0).all()
        x = recipe.input_sequence("noise", 30, seed)[:, None]

        same_r = {k: v.copy() for k, v in cell.params.items()}
        same_r["weight_ih"][:H] = same_r["weight_ih"][0]
        same_r["weight_hh"][:H] = same_r["weight_hh"][0]
        assert form_gap(same_r, x) < 1e-14
        with_bias = {k: v.copy() for k, v in same_r.items()}
        with_bias["bias_hh"][2 * H :] = 0.5
        assert form_gap(with_bias, x) > 1e-4
        assert form_gap(dict(cell.params), x) > 1e-6


def test_what_the_page_says_about_the_reset_forms_is_what_the_engine_does():
    """/gru, "Where does the reset gate act?": "With the weights above, switching form changes h by at most g over
    this sequence: far too little to see in the heatmaps … / a small difference … / enough to see in the heatmaps";
    "The chart shows unit k, where the two forms differ most".

    Checked at: every pattern × the corners of T, H, input scale and b_z × seeds 0–4."""
    for pattern, corner, seed in itertools.product(PATTERNS, CORNERS, SEEDS):
        c = cfg(pattern=pattern, seed=seed, **corner)
        after = recipe.run_gru(replace(c, reset_after=True)).h
        before = recipe.run_gru(replace(c, reset_after=False)).h
        gap = np.abs(after - before)
        unit, a, b, shown = recipe.reset_form_view(c)
        assert shown == gap.max() and gap[:, unit].max() == gap.max()
        np.testing.assert_array_equal(a, after[:, unit])
        text = stories.reset_form_story(shown)
        if shown > 0:
            assert number_after(text, "at most **") == pytest.approx(shown, rel=0.05)
        assert ("far too little" in text) == (shown < stories.TINY_GAP)
        assert ("enough to see" in text) == (shown >= stories.CLEAR_GAP)


def test_the_try_links_hold():
    """/gru, "Try this": "b_z = 5: z ≈ 0.99 keeps h_0 = 0, so the state row stays empty"; "noise input, b_z = −2,
    input scale 6: the two reset forms part visibly".

    Checked at: each link's exact settings, seeds 0–9."""
    keep, apart = GRU_TRIES
    for seed in range(10):
        run = recipe.run_gru(cfg(seed=seed, **keep.values))
        fate = recipe.pulse_fate(run)
        assert fate.keep_mean == pytest.approx(0.99, abs=0.005) and fate.peak < stories.EMPTY
        assert "looks empty" in stories.gru_state_story("pulse", fate, 5.0, fate.peak)
        values = {**apart.values, "pattern": "noise"}
        gap = recipe.reset_form_view(cfg(seed=seed, **values))[3]
        assert gap >= stories.CLEAR_GAP and "enough to see" in stories.reset_form_story(gap)


@pytest.mark.parametrize(("D", "H"), [(1, 1), (1, 6), (1, 16), (300, 512), (4096, 16)])
def test_parameter_counts_are_one_three_and_four_blocks(D, H):
    """/gru, "How many parameters?": "the counts are one, three and four times the same block: RNN H(D+H+2), GRU
    3H(D+H+2), LSTM 4H(D+H+2)"; "The GRU does with three quarters of the LSTM's weights, so each step also takes
    about three quarters of the arithmetic".

    Checked at: D ∈ {1, 300, 4096} (the box's ends and the text's example) × H ∈ {1, 6, 16, 512}, against the
    engine's cells; the arithmetic of a step: the multiply-adds of its matrix products, counted from the weights."""
    counts = recipe.param_counts(D, H)
    block = H * (D + H + 2)
    assert (counts["RNN"], counts["GRU"], counts["LSTM"]) == (block, 3 * block, 4 * block)
    assert counts["GRU"] / counts["LSTM"] == 0.75
    macs = {name: cls(D, H).params["weight_ih"].size + cls(D, H).params["weight_hh"].size
            for name, cls in (("GRU", GRU), ("LSTM", recipe.LSTM))}
    assert macs["GRU"] / macs["LSTM"] == 0.75


def test_steps_are_numbered_from_1_with_h0_the_initial_state():
    """/gru, step slider, diagram and heatmaps: "Step t" runs 1..T; at t = 1 the cell starts from h_0 = 0.

    Checked at: every pattern at the defaults and T ∈ {5, 120}."""
    assert GRU_SETTINGS["t"].lo == 1 and GRU_SETTINGS["t"].default == 1
    for pattern, T in itertools.product(PATTERNS, (5, 120)):
        run = recipe.run_gru(cfg(pattern=pattern, steps=T))
        first = recipe.step_values(run, 1, None)
        assert first["h_prev"] == 0 and first["x"] == run.x[0]
        with pytest.raises(ValueError):
            recipe.step_values(run, T + 1, 0)


def test_the_update_written_above_the_diagram_is_the_engines_and_adds_up():
    """/gru, the film: the line above the cell diagram, at whichever step the slider is on: "h₇ = z·h₆ + (1−z)·n =
    0.930·0.412 + 0.070·(−0.610) = 0.340" (one unit); "h₇ = z⊙h₆ + (1−z)⊙n = 0.380 − 0.040 = 0.340" (the mean over
    units); "Step t = k is where the slider starts; the line above the diagram writes the same update for whichever
    step the slider is on."

    Checked at: every pattern × T ∈ {5, 40, 120} × H ∈ {1, 6, 16} × b_z ∈ {−4, 1, 6}, seed 0, both reset forms,
    every step and every unit and the mean: each printed number is the engine's forward pass (to its 3 decimals),
    and the printed arithmetic holds to the rounding."""
    for pattern, T, H, b, after in itertools.product(PATTERNS, (5, 40, 120), (1, 6, 16), (-4.0, 1.0, 6.0),
                                                      (True, False)):
        run = recipe.run_gru(replace(cfg(pattern=pattern, steps=T, hidden=H, update_bias=b), reset_after=after))
        z, n, h, h_prev = run.gates["z"], run.gates["n"], run.h, run.h_prev
        for unit in [None, *range(H)]:
            series = recipe.step_series(run, unit)
            for t in range(1, T + 1):
                v = {k: float(a[t - 1]) for k, a in series.items()}
                (line,) = figures.gru_update_lines(v, t, unit is None)
                got, row = printed_numbers(line), t - 1
                if unit is None:
                    kept, written = (z * h_prev)[row].mean(), ((1 - z) * n)[row].mean()
                    assert close(got, [kept, written, h[row].mean()])
                    assert got[0] + got[1] == pytest.approx(got[2], abs=1.6e-3)
                    continue
                engine = [z[row, unit], h_prev[row, unit], 1 - z[row, unit], n[row, unit], h[row, unit]]
                assert close(got, engine)
                assert got[0] * got[1] + got[2] * got[3] == pytest.approx(got[4], abs=2e-3 + 1e-3 * abs(got[1]))
