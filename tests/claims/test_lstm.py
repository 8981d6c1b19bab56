"""Claims of the /lstm lesson, checked against the engine (see tests/claims/README.md).

The LSTM's arithmetic is checked on the engine's own forward pass (rnn_core.LSTM); the remember demo's share of
the stored value and its gradient are checked against the same unit run (and differentiated) by the engine.
"""

from __future__ import annotations

import itertools
from functools import partial

import numpy as np
import pytest
from claims.helpers import every_step_value, number_after, page_config
from claims.printed import close, printed_numbers

from lessons.gated import figures, recipe, stories
from lessons.gated.settings import LSTM_SETTINGS, LSTM_TRIES, SEQUENCE_PATTERNS, lstm_config, remember_config

SEEDS = range(5)
PATTERNS = [p for p in recipe.PATTERNS if p != "custom"]
CORNERS = [dict(steps=T, hidden=H, gain=g, forget_bias=b) for T, H, g, b in
           itertools.product((5, 40, 120), (1, 6, 16), (0.5, 3.0, 6.0), (-4.0, 1.0, 6.0))]
KEEP_BIASES = tuple(np.arange(-2.0, 8.5, 0.5))  # the remember demo's slider, every notch
GAPS = (5, 40, 100, 135, 150)  # its ends, its default and the f^135


cfg = partial(page_config, lstm_config, LSTM_SETTINGS)  # the page's LSTM at its defaults, with fields changed


def runs(patterns=PATTERNS, corners=CORNERS, seeds=SEEDS):
    for pattern, corner, seed in itertools.product(patterns, corners, seeds):
        yield recipe.run_lstm(cfg(pattern=pattern, seed=seed, **corner))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_belt_is_only_scaled_by_f_and_topped_up_by_i_g(pattern):
    """/lstm, introduction and heatmaps: "The LSTM keeps a second state, the cell state c, that runs from step to
    step with only two light touches: a multiplication by the forget gate and an addition of new content through
    the input gate. An output gate decides how much of it becomes the hidden state h. Each gate is a sigmoid layer,
    so it outputs a fraction between 0 (closed) and 1 (open)"; "c — … Nothing squashes it: it is only scaled by f
    and topped up by i·g"; "g — A tanh layer proposing new values in (−1, 1)".

    Checked at: every input pattern × T ∈ {5, 40, 120} × H ∈ {1, 6, 16} × input scale ∈ {0.5, 3, 6} × b_f ∈
    {−4, 1, 6} × seeds 0–4, on the engine's forward pass; peepholes too at the defaults."""
    cases = list(runs([pattern]))
    cases.append(recipe.run_lstm(cfg(pattern=pattern, peephole=True)))
    for run in cases:
        g = run.gates
        np.testing.assert_allclose(run.c, g["f"] * run.c_prev + g["i"] * g["g"], atol=1e-12)
        np.testing.assert_allclose(run.h, g["o"] * np.tanh(run.c), atol=1e-12)
        for name in "ifo":
            assert ((g[name] >= 0) & (g[name] <= 1)).all()
        assert (np.abs(g["g"]) <= 1).all()


def test_the_step_numbers_add_up_and_the_half_life_is_right():
    """/lstm, "This step, in numbers": "(averaged over the units; the average of a sum is the sum of the averages, so
    the belt update still adds up)"; "The forget gate is at f: if it stayed there, whatever is on the belt now would
    be halved in about L steps. The input gate lets i of the candidate in, and the output gate shows o of the
    squashed belt as h_t."

    Checked at: every pattern at the defaults, seeds 0–4, every step, every unit and the mean over units."""
    for unit, v in every_step_value(lambda **kw: recipe.run_lstm(cfg(**kw)), PATTERNS, SEEDS):
        assert v["c"] == pytest.approx(v["kept"] + v["written"], abs=1e-12)
        if unit is not None:
            assert v["written"] == pytest.approx(v["i"] * v["g"]) and v["h"] == pytest.approx(v["o"] * v["tanh_c"])
        life = recipe.half_life(v["f"])
        if 0 < v["f"] < 1:
            assert v["f"] ** life == pytest.approx(0.5)


def test_a_closed_input_gate_lets_nothing_onto_the_belt():
    """/lstm, heatmaps: "i — the input gate (write). How much of the candidate g is written onto the belt: where it
    is closed (dark), nothing reaches the belt, whatever the input."

    Checked at: every pattern × the corners of T, H, input scale and b_f × seeds 0–4: the write i·g never exceeds
    i, whatever x is."""
    for run in runs():
        written = run.step.written
        assert (np.abs(written) <= run.gates["i"] + 1e-15).all()


def test_the_forget_bias_brightens_or_darkens_the_f_row_everywhere_at_once():
    """/lstm, heatmaps: "f — the forget gate (keep) … Move the forget-gate bias slider and watch this row brighten or
    darken everywhere at once."

    Checked at: every pattern × T ∈ {5, 40, 120} × H ∈ {1, 6, 16} × input scale ∈ {0.5, 3, 6} × seeds 0–4, b_f on
    every notch from −4 to 6: raising b_f by one notch raises the row's mean over units at every single step."""
    for pattern, T, H, gain, seed in itertools.product(PATTERNS, (5, 40, 120), (1, 6, 16), (0.5, 3.0, 6.0), SEEDS):
        rows = [recipe.run_lstm(cfg(pattern=pattern, steps=T, hidden=H, gain=gain, seed=seed, forget_bias=b))
                .gates["f"].mean(axis=1) for b in np.arange(-4.0, 6.5, 0.5)]
        assert all((later > earlier).all() for earlier, later in itertools.pairwise(rows))


@pytest.mark.parametrize("pattern", ["pulse", "pulse + noise"])
def test_what_the_page_says_about_the_pulse_on_the_belt_is_what_the_engine_does(pattern):
    """/lstm, heatmaps: "Follow the pulse along this row: it writes up to w at t = 1, and from t = k on less than 1%
    of that is left" / "at t = T the belt still holds up to e. The forget gate alone … would have kept q of the pulse;
    the rest the cell wrote itself on the way" / "yet by t = T the belt holds up to e: with f around … hardly anything
    is forgotten, and this untrained cell keeps writing its own candidate i·g on top … The forget gate alone would
    have kept only q of the pulse itself." / "… more than the pulse wrote: this untrained cell keeps writing its own
    candidate i·g …, while a forget gate around f wipes what was there."

    Checked at: both pulse patterns × the corners of T, H, input scale and b_f × seeds 0–4, against the engine's
    run: the pulse's write, the belt at every step, and the belt the forget gate alone would leave."""
    for run in runs([pattern]):
        fate = recipe.pulse_fate(run)
        text = stories.belt_story(pattern, fate)
        size = np.abs(run.c).max(axis=1)
        assert number_after(text, "writes up to") == pytest.approx(size[0], rel=0.05)
        alone = np.abs(run.c[0] * np.prod(run.gates["f"][1:], axis=0)).max()
        if "less than 1%" in text:
            k = int(number_after(text, "from t ="))
            assert (size[k - 1 :] < 0.01 * size[0]).all() and (k == 1 or size[k - 2] >= 0.01 * size[0])
        elif "still holds" in text:
            assert size[-1] <= stories.GROWN * size[0] and size[-1] >= 0.01 * size[0]
            assert number_after(text, "still holds up to") == pytest.approx(size[-1], rel=0.05)
            assert number_after(text, "would have kept") == pytest.approx(alone, rel=0.05)
        elif run.steps > 1:
            assert "more than the pulse wrote" in text or "drifts away" in text
            assert size[-1] > stories.GROWN * size[0]
            assert number_after(text, "would have kept only") == pytest.approx(alone, rel=0.05)
            assert ("hardly anything is forgotten" in text) == (run.gates["f"][1:].mean() >= stories.KEEPS)


def test_other_inputs_get_the_general_sentence_only():
    """/lstm, heatmaps, any input but a pulse: "c — the cell state (long-term memory). Nothing squashes it: it is only
    scaled by f and topped up by i·g, so it can keep a value for a long time." (The mechanism is checked above;
    keeping a value for long: the remember demo below.)

    Checked at: step, sine, noise at the defaults."""
    for pattern in ("step", "sine", "noise"):
        fate = recipe.pulse_fate(recipe.run_lstm(cfg(pattern=pattern)))
        assert stories.belt_story(pattern, fate) == stories.BELT_GENERAL


def test_the_try_links_hold():
    """/lstm, "Try this": "b_f = −2: f ≈ 0.1, the pulse leaves the belt within a few steps"; "b_f = 5, T = 97: f ≈
    0.99 forgets almost nothing, and the untrained cell's own writes make the belt drift far beyond the pulse".

    Checked at: each link's exact settings, seeds 0–9."""
    quick, drift = LSTM_TRIES
    for seed in range(10):
        run = recipe.run_lstm(cfg(seed=seed, **quick.values))
        fate = recipe.pulse_fate(run)
        assert fate.keep_mean == pytest.approx(0.1, abs=0.03)
        assert fate.faded_at is not None and fate.faded_at <= 6
        run = recipe.run_lstm(cfg(seed=seed, **drift.values))
        fate = recipe.pulse_fate(run)
        assert fate.keep_mean == pytest.approx(0.99, abs=0.01) and fate.end > 5 * fate.written
        assert "drifts away" in stories.belt_story("pulse", fate)
        assert (np.abs(run.step.written[1:]).sum(axis=0) > fate.written).any()  # the cell's own writes


def remember(bias: float, gap: int, seed: int = 0) -> recipe.RememberRun:
    return recipe.run_remember(recipe.RememberConfig(forget_bias=float(bias), gap=gap, seed=seed))


def test_the_hand_wired_unit_writes_keeps_and_reads():
    """/lstm, "Remembering": "A write flag opens the input gate, which lets one value onto the belt; a read flag opens
    the output gate many steps later. In between, the input is noise — the input gate, almost closed at σ(−6) ≈
    0.25 %, lets only a trace of it onto the belt. Between write and read only the forget gate acts: each step the
    belt is multiplied by f = σ(b_f). After k steps a value keeps a share f^k of itself."

    Checked at: every notch of the unit's forget bias (−2 … 8) × gap ∈ {5, 40, 100, 135, 150}, seeds 0–4."""
    for bias, gap, seed in itertools.product(KEEP_BIASES, GAPS, SEEDS):
        res = remember(bias, gap, seed)
        w, r = res.write_step - 1, res.read_step - 1
        assert res.i[w] > 0.99 and res.o[r] > 0.99 and res.o[w:r].max() < 0.003
        quiet = np.delete(np.arange(len(res.i)), w)
        np.testing.assert_allclose(res.i[quiet], 1 / (1 + np.exp(6.0)))
        np.testing.assert_allclose(res.f, 1 / (1 + np.exp(-bias)))
        leak = sum(res.forget ** (r - s) * res.i[s] * res.g[s] for s in range(w + 1, r + 1))
        assert res.recalled == pytest.approx(res.stored * res.forget**gap + leak, abs=1e-12)
        assert res.leaked == pytest.approx(leak, abs=1e-12)


def test_what_the_page_says_about_the_remembered_value():
    """/lstm, "Remembering": "Stored s at step 3; at step 3 + k the belt holds r. Of the stored value a share f^k = …
    is left (…, … %) / only f^k = … is left: nothing you could read; the other … is noise that got through the
    almost closed input gate." and the verdict ("survives almost untouched", "a good part", "most of it is
    forgotten", "it is gone"). Never "0.000" for a share that is not zero (the issue's f^135).

    Checked at: every notch of the forget bias (−2 … 8) × gap ∈ {5, 40, 100, 135, 150}, seed 0 (the page's)."""
    for bias, gap in itertools.product(KEEP_BIASES, GAPS):
        res = remember(bias, gap)
        text = stories.remember_story(res)
        assert number_after(text, "Stored") == pytest.approx(res.stored, abs=0.0006)
        assert number_after(text, "the belt holds") == pytest.approx(res.recalled, abs=0.0006)
        shown = number_after(text, f"$f^{{{gap}}}$ =")
        assert shown == pytest.approx(res.forget_power, rel=0.06, abs=1e-300) and shown > 0
        assert "0.000 " not in text and "= 0.000" not in stories.tex_power(res.forget_power)
        if "noise that got through" in text:
            assert number_after(text, "the other") == pytest.approx(res.leaked, abs=0.0006)
        left = res.forget_power
        verdicts = ("survives almost untouched", "A good part", "Most of it is forgotten", "It is gone")
        expected = 0 if left > 0.8 else 1 if left > 0.3 else 2 if left > 0.02 else 3
        assert verdicts[expected] in text


def test_the_gradient_back_along_the_belt_is_exactly_f_to_the_k():
    """/lstm, "Remembering": "in this unit, which has no recurrent weights, the belt is the only road from the read
    back to the write, and ∂c_read/∂c_write is exactly f^k — the same f at every step instead of a squashing derivative
    times a weight."

    Checked at: forget bias ∈ {−2, 0, 4, 8} × gap ∈ {5, 40, 150}: the engine's backward pass from c at the read step
    (through h = o·tanh(c) with o ≈ 1) compared with f^k · ∂L/∂c_read."""
    for bias, gap in itertools.product((-2.0, 0.0, 4.0, 8.0), (5, 40, 150)):
        res = remember(bias, gap)
        cell = recipe.remember_cell(bias)
        x = recipe.remember_inputs(recipe.RememberConfig(forget_bias=bias, gap=gap))
        trace = cell.forward(x)
        dh = np.zeros_like(trace.h)
        dh[-1] = 1.0
        grads = cell.backward(trace, dh)
        at_read = grads.dc[res.read_step - 1, 0]
        at_write = grads.dc[res.write_step - 1, 0]
        assert at_write == pytest.approx(at_read * res.forget**gap, rel=1e-9, abs=1e-300)


def test_steps_are_numbered_from_1_with_h0_the_initial_state():
    """/lstm, step slider, diagram and heatmaps: "Step t" runs 1..T; at t = 1 the cell starts from h_0 = c_0 = 0 and
    reads x_1 (the early pulse)."

    Checked at: every pattern at the defaults and T ∈ {5, 120}."""
    s = LSTM_SETTINGS["t"]
    assert s.lo == 1 and s.default == 1
    for pattern, T in itertools.product(PATTERNS, (5, 120)):
        run = recipe.run_lstm(cfg(pattern=pattern, steps=T))
        first = recipe.step_values(run, 1, None)
        assert first["h_prev"] == first["c_prev"] == 0 and first["x"] == run.x[0]
        recipe.step_values(run, T, 0)  # the last step exists …
        with pytest.raises(ValueError):
            recipe.step_values(run, T + 1, 0)  # … and nothing after it
    assert recipe.input_sequence(SEQUENCE_PATTERNS["early pulse"], 10)[0] == 1
    assert remember_config({"keep_bias": 4.0, "gap": 40}) == recipe.RememberConfig()


def test_the_update_written_above_the_diagram_is_the_engines_and_adds_up():
    """/lstm, the film: the lines above the cell diagram, at whichever step the slider is on: "c₇ = f·c₆ + i·g =
    0.934·0.412 + 0.221·(−0.610) = 0.250" and "h₇ = o·tanh(c₇) = 0.710·0.245 = 0.174" (one unit); "c₇ = f⊙c₆ + i⊙g
    = 0.380 − 0.130 = 0.250" and "h₇ = o⊙tanh(c₇) = 0.174" (the mean over units); "Step t = k is where the slider
    starts; the lines above the diagram write the same update for whichever step the slider is on."

    Checked at: every pattern × T ∈ {5, 40, 120} × H ∈ {1, 6, 16} × b_f ∈ {−4, 1, 6}, seed 0, peepholes off and on,
    every step and every unit and the mean: each printed number is the engine's forward pass (to its 3 decimals),
    and the printed arithmetic holds to the rounding."""
    for pattern, T, H, b, peep in itertools.product(PATTERNS, (5, 40, 120), (1, 6, 16), (-4.0, 1.0, 6.0),
                                                     (False, True)):
        run = recipe.run_lstm(cfg(pattern=pattern, steps=T, hidden=H, forget_bias=b, peephole=peep))
        g, c, c_prev = run.gates, run.c, run.c_prev
        for unit in [None, *range(H)]:
            series = recipe.step_series(run, unit)
            for t in range(1, T + 1):
                v = {k: float(a[t - 1]) for k, a in series.items()}
                belt, out = (printed_numbers(line) for line in figures.lstm_update_lines(v, t, unit is None))
                if unit is None:
                    kept, written = (g["f"] * c_prev)[t - 1].mean(), (g["i"] * g["g"])[t - 1].mean()
                    assert close(belt, [kept, written, c[t - 1].mean()])
                    assert belt[0] + belt[1] == pytest.approx(belt[2], abs=1.6e-3)
                    assert close(out, [run.h[t - 1].mean()])
                    continue
                row = t - 1
                engine = [g["f"][row, unit], c_prev[row, unit], g["i"][row, unit], g["g"][row, unit], c[row, unit]]
                assert close(belt, engine)
                assert belt[0] * belt[1] + belt[2] * belt[3] == pytest.approx(belt[4], abs=2e-3 + 1e-3 * abs(belt[1]))
                assert close(out, [g["o"][row, unit], np.tanh(c[row, unit]), run.h[row, unit]])
