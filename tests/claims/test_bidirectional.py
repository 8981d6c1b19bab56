"""Claims of the /bidirectional lesson, checked against the engine (see tests/claims/README.md).

What each half "has read" is checked with the exact Jacobians the page draws (``recipe.sensitivity``, from the
engine's backward pass) and, independently, by running a second engine LSTM on the reversed sequence; the readout
scores are recomputed for every setting the sliders reach at their corners.
"""

from __future__ import annotations

import itertools
from functools import partial

import numpy as np
import pytest
from claims.helpers import number_after, page_config

from lessons.gated import bidirectional_film as film
from lessons.gated import bidirectional_recipe as recipe
from lessons.gated import stories
from lessons.gated.settings import BI_SETTINGS, BI_TRIES, bi_config, first_bi_step, readout_config
from lessons.kit.settings import defaults
from rnn_core import LSTM

SEEDS = range(5)
PATTERNS = ("noise", "pulse", "step", "sine")
CORNERS = [dict(steps=T, hidden=H, gain=g) for T, H, g in itertools.product((5, 24, 60), (1, 8), (0.5, 4.0))]
READOUT_GRID = [dict(hidden=H, gain=g) for H, g in itertools.product(range(1, 9), (0.5, 1.0, 2.0, 4.0))]


cfg = partial(page_config, bi_config, BI_SETTINGS)  # the page's BiConfig at its defaults, with fields changed
rcfg = partial(page_config, readout_config, BI_SETTINGS)  # ... and its ReadoutConfig


@pytest.mark.parametrize("pattern", PATTERNS)
def test_each_half_reads_one_side_and_together_they_cover_the_sequence(pattern):
    """/bidirectional: "A recurrent network reading left to right knows only the past"; "Forward (→) … at step t it has
    read x_1 … x_t. Backward (←) … at step t it has read x_T … x_t"; "The forward half (blue) responds only to
    inputs at or before t: its line stops at the cursor. The backward half (orange) responds only to inputs at or
    after t: its line starts there. Together they cover the whole sequence"; "The forward direction fills the lower
    triangle … the backward direction fills the upper triangle"; "Watch the left edge of the backward row: it has
    already read the whole sequence. The forward row's left edge has read almost nothing."

    Checked at: every pattern × T ∈ {5, 24, 60} × H ∈ {1, 8} × input scale ∈ {0.5, 4} × seeds 0–4, from the exact
    Jacobians: zero exactly where a half cannot see, non-zero everywhere it can."""
    for corner, seed in itertools.product(CORNERS, SEEDS):
        s = recipe.sensitivity(cfg(pattern=pattern, seed=seed, **corner))
        T = len(s.forward)
        lower, upper = np.tril(np.ones((T, T), bool)), np.triu(np.ones((T, T), bool))
        assert (s.forward[~lower] == 0).all() and (s.backward[~upper] == 0).all()
        assert (s.forward[lower] > 0).all() and (s.backward[upper] > 0).all()
        assert (s.forward + s.backward > 0).all()
        assert (s.backward[0] > 0).all() and (s.forward[0, 1:] == 0).all()  # the left edge, t = 1


@pytest.mark.parametrize("seed", SEEDS)
def test_the_backward_half_is_a_second_lstm_on_the_reversed_sequence(seed):
    """/bidirectional: "A bidirectional layer runs a second LSTM over the reversed sequence and joins the two states at
    each step"; "Backward (←) is a second LSTM with its own weights, fed the sequence reversed … Its states are drawn
    in the original time order"; "The output at each step stacks the two states, forward units on top …, 2H numbers
    per step."

    Checked at: every pattern, the defaults and T = 60, H = 3, seeds 0–4: the page's run against two plain engine
    LSTMs (seeds s and s + 1, input weights × the input scale)."""
    for pattern, corner in itertools.product(PATTERNS, ({}, dict(steps=60, hidden=3, gain=2.0))):
        c = cfg(pattern=pattern, seed=seed, **corner)
        run = recipe.run_bidirectional(c)
        fwd, bwd = LSTM(1, c.hidden, seed=c.seed), LSTM(1, c.hidden, seed=c.seed + 1)
        for cell in (fwd, bwd):
            cell.params["weight_ih"] = cell.params["weight_ih"] * c.gain
        np.testing.assert_allclose(run.forward, fwd.forward(run.x[:, None]).h, atol=1e-12)
        np.testing.assert_allclose(run.backward, bwd.forward(run.x[::-1, None]).h[::-1], atol=1e-12)
        np.testing.assert_array_equal(run.out, np.concatenate([run.forward, run.backward], axis=1))
        assert not np.allclose(fwd.params["weight_hh"], bwd.params["weight_hh"])  # its own weights


def test_the_output_is_what_pytorch_returns():
    """/bidirectional: "PyTorch's nn.LSTM(bidirectional=True) returns exactly this, 2H numbers per step."

    Checked at: the defaults with seeds 0–4 (skipped without PyTorch)."""
    torch = pytest.importorskip("torch")
    for seed in SEEDS:
        c = cfg(seed=seed)
        run = recipe.run_bidirectional(c)
        layer = recipe.build(c.hidden, c.seed, c.gain)
        lstm = torch.nn.LSTM(1, c.hidden, bidirectional=True).double()
        for suffix, cell in (("", layer.forward_cell), ("_reverse", layer.backward_cell)):
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(lstm, f"{name}_l0{suffix}").data = torch.tensor(cell.params[name])
        out, _ = lstm(torch.tensor(run.x[:, None, None]))
        np.testing.assert_allclose(out.detach().numpy()[:, 0], run.out, atol=1e-12)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_films_numbers_and_its_word_on_fading_are_what_the_jacobians_show(pattern):
    """/bidirectional, the text at the top of the step film (one per step, drawn from the run): "forward h→ₜ has
    read x₁…xₜ: ‖∂h→ₜ/∂xₜ‖ = a … ‖∂h→ₜ/∂x₁‖ = b"; "backward h←ₜ has read x_T…xₜ: ‖∂h←ₜ/∂xₜ‖ = c … ‖∂h←ₜ/∂x_T‖ =
    d"; "It fades with distance: memory is finite in each direction." / "The … half still depends strongly on its
    farthest input here." / "Both halves still depend strongly on their farthest input here."

    Checked at: every pattern × the corners of T, H and input scale × seeds 0–4 × every step t (every frame)."""
    for corner, seed in itertools.product(CORNERS, SEEDS):
        s = recipe.sensitivity(cfg(pattern=pattern, seed=seed, **corner))
        T = len(s.forward)
        for t in range(1, T + 1):
            text = film.step_text(s, t)
            halves = []
            for name, arrow, m, far in (("forward", "→", s.forward, 1), ("backward", "←", s.backward, T)):
                near_value = number_after(text, f"‖∂h{arrow}{sub(t)}/∂x{sub(t)}‖ = ")
                assert near_value == pytest.approx(m[t - 1, t - 1], rel=0.05)
                if far != t:
                    assert f"{name} h{arrow}{sub(t)} has read x{sub(far)}…x{sub(t)}" in text
                    far_value = number_after(text, f"‖∂h{arrow}{sub(t)}/∂x{sub(far)}‖ = ")
                    assert far_value == pytest.approx(m[t - 1, far - 1], rel=0.05)
                    faded = m[t - 1, far - 1] < stories.FADES * m[t - 1, t - 1]
                    halves.append(faded)
                    says_strong = f"The {name} half still depends strongly" in text or "Both halves still" in text
                    assert says_strong == (not faded)
                else:
                    assert f"{name} h{arrow}{sub(t)} has read only x{sub(t)}" in text
            assert ("memory is finite" in text) == (bool(halves) and all(halves))


def sub(n: int) -> str:
    return str(n).translate(film.SUB)


def test_the_readout_setup_is_as_described():
    """/bidirectional, "When the answer lies in the future": "Here nothing in the LSTMs is trained. We run them on 300
    random sequences (uniform noise), then fit only a linear readout … by least squares on 200 of them, and score it
    on the other 100 (R² = 1 perfect, 0 no better than guessing the mean)."

    Checked at: the page's readout config; a perfect readout scores 1 (the target itself as a feature)."""
    r = rcfg()
    assert (r.train, r.test) == (200, 100) and r.steps == cfg().steps
    assert recipe._ridge(np.c_[np.arange(10.0)], np.arange(10.0)) @ [1, 0] == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("task", recipe.TASKS)
def test_what_the_page_says_about_the_readout_is_what_the_scores_are(task):
    """/bidirectional, the readout: "To output the next input, the forward state is useless (R² …): it has not read
    x_{t+1} yet. The backward state has read it and holds it: R² = … / … keeps only part of it / … keeps little of it
    (…): the gap between the directions is small here"; "Both halves together score …, clearly more than … / about
    what …"; "Both neighbours need both directions: … each half alone explains about half of the target / together
    they see far more than either half alone / neither direction keeps its neighbour well"; the mirror image for the
    previous input. The issue's case: H = 2, the previous input.

    Checked at: every task × H ∈ {1, …, 8} × input scale ∈ {0.5, 1, 2, 4} × seeds 0–4 (the "useless" half:
    R² below 0.05 everywhere)."""
    for corner, seed in itertools.product(READOUT_GRID, SEEDS):
        r2 = recipe.readout(rcfg(task=task, seed=seed, **corner)).r2
        text = stories.readout_story(task, r2, corner["hidden"])
        if task in stories.HALVES:
            sees, blind = stories.HALVES[task]
            assert r2[blind] < 0.05 and "useless" in text
            seen = r2[sees]
            assert ("holds it" in text) == (seen >= stories.STRONG)
            assert ("keeps little of it" in text) == (seen < stories.WEAK)
            assert ("clearly more" in text) == (r2["both"] >= seen + stories.HELPS)
        else:
            f, b, both = r2["forward"], r2["backward"], r2["both"]
            if "about half" in text:
                assert both >= 0.7 and min(f, b) >= 0.3 and max(f, b) <= 0.6
            if "far more" in text:
                assert both >= max(f, b) + stories.HELPS
        for value in r2.values():
            shown = stories.r2_text(value)
            assert shown == "≈ 0" or float(shown) == pytest.approx(value, abs=0.005)
    r2 = recipe.readout(rcfg(task="previous", hidden=2)).r2  # the issue: forward 0.15, both 0.16
    assert "keeps little of it" in stories.readout_story("previous", r2, 2)


def test_steps_are_numbered_from_1():
    """/bidirectional, step slider, heatmaps, sensitivity charts and the CSV: steps run 1..T (x_1 the first input);
    the slider starts in the middle.

    Checked at: the setting's range and T ∈ {5, 24, 60}."""
    s = BI_SETTINGS["t"]
    assert s.lo == 1 and s.hi == recipe.MAX_STEPS
    for T in (5, 24, 60):
        assert 1 <= first_bi_step(T) <= T
    r = recipe.readout(rcfg(steps=8, train=20, test=5))
    assert r.example_t.tolist() == list(range(2, 8))


def test_the_try_links_hold():
    """/bidirectional, "Try this": "target: the previous input — now the forward half carries it (R² above 0.8) and
    the backward half scores about 0"; "target: both neighbours, x(t−1) + x(t+1) — each half explains only
    about half of it (R² 0.4–0.5); both together predict it well (R² above 0.8)".

    Checked at: each link's exact settings (the other controls at their defaults), seeds 0–4."""
    back, both = BI_TRIES
    for seed in SEEDS:
        r2 = recipe.readout(readout_config({**defaults(BI_SETTINGS), **back.values, "seed": seed})).r2
        assert r2["forward"] > 0.8 and abs(r2["backward"]) < 0.02, (seed, r2)
        r2 = recipe.readout(readout_config({**defaults(BI_SETTINGS), **both.values, "seed": seed})).r2
        assert 0.4 <= r2["forward"] <= 0.5 and 0.4 <= r2["backward"] <= 0.5 and r2["both"] > 0.8, (seed, r2)
    assert back.query(BI_SETTINGS) == {"bidir_task": "the previous input"}
