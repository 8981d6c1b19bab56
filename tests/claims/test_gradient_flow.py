"""Claims of the /gradient-flow lesson, checked against the engine (see tests/claims/README.md).

Trained claims are checked on the runs the page shows at its defaults and "Try this" links, seeds 0–4: those come
from assets/gradient_flow_runs.json.gz, which tests/lessons/gradient_flow/test_store.py checks against fresh
training. Untrained claims are recomputed here over the sliders' ranges.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import numpy as np
import pytest

from lessons.gradient_flow import recipe, stories
from lessons.gradient_flow.settings import SEEDS, SETTINGS, TRIES, config
from lessons.kit.settings import defaults
from rnn_core import LSTM
from rnn_core.tasks import adding_problem

STORE = recipe.load_store()
T_GRID = (10, 30, 60, 100)  # the slider's ends and the values the page's links use
BF_GRID = tuple(np.arange(-2.0, 6.5, 0.5))  # the forget-bias slider, every notch
SEEDS_10 = range(10)


def cfg(**kw) -> recipe.FlowConfig:
    return config({**defaults(SETTINGS), **kw})


def tip_configs(tip=None) -> list[recipe.FlowConfig]:
    values = tip.values if tip else {}
    return [cfg(**values, seed=s) for s in SEEDS]


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?:all )?(\d+) steps? back", text)]


def test_the_first_marker_can_be_almost_T_steps_before_the_answer():
    """/gradient-flow, intro: "The first marker can be almost T steps before the answer, so a model can only learn
    the task if the loss's gradient travels that far back."

    Checked at: T ∈ {10, 30, 60, 100}, the training sets of seeds 0–4."""
    for T, seed in itertools.product(T_GRID, SEEDS):
        x, y = adding_problem(recipe.N_TRAIN, T, seed=seed)
        first = x[:, :, 1].argmax(axis=1)
        assert first.min() == 0  # the first input: T − 1 steps before the answer at step T
        np.testing.assert_allclose(y[:, 0], (x[:, :, 0] * x[:, :, 1]).sum(axis=1))


def test_three_cells_of_8_units_share_the_seed_and_the_sequences():
    """/gradient-flow, intro: "Below, an RNN, an LSTM and a GRU with 8 hidden units each, initialised from the same
    seed (input weights × 3, as on the LSTM and GRU pages), see the same sequences"; caption: "always answering 1
    scores 0.167".

    Checked at: the defaults and T ∈ {10, 100}, seeds 0–4."""
    for T, seed in itertools.product((10, 30, 100), SEEDS):
        c = cfg(T=T, seed=seed)
        assert c.hidden == 8 and c.input_scale == 3.0
        for cell in recipe.CELLS:
            model = recipe.build(recipe.for_cell(c, cell), cell)
            assert model.cell.hidden_size == 8
            plain = recipe.build(replace(recipe.for_cell(c, cell), input_scale=1.0), cell)
            np.testing.assert_allclose(model.cell.params["weight_ih"], 3 * plain.cell.params["weight_ih"])
            np.testing.assert_array_equal(recipe.data(recipe.for_cell(c, cell))[0], recipe.data(c)[0])
        _, _, _, ye = recipe.data(c)
        assert float(((ye - 1) ** 2).mean()) == pytest.approx(recipe.BASELINE_MSE, abs=0.03)
    assert f"{recipe.BASELINE_MSE:.3f}" == "0.167"


@pytest.mark.parametrize("T", T_GRID)
def test_the_curves_are_relative_and_the_diamonds_mark_the_reach(T):
    """/gradient-flow, beside the chart: "Each curve is ‖∂L/∂h_t‖ on 256 test sequences, divided by its value at the
    last step … The diamonds mark the last step where at least a thousandth of the signal still arrives."

    Checked at: T ∈ {10, 30, 60, 100}, b_f ∈ {−2, 1, 6}, seeds 0–4, every cell at initialisation."""
    for bf, seed in itertools.product((-2.0, 1.0, 6.0), SEEDS):
        for flow in recipe.initial_flows(cfg(T=T, forget_bias=bf, seed=seed)).values():
            assert flow.h[0] == pytest.approx(1.0) and len(flow.h) == T
            assert flow.h[flow.reach] >= recipe.REACH_THRESHOLD
            assert np.all(flow.h[flow.reach + 1 :] < recipe.REACH_THRESHOLD)
    assert recipe.N_EVAL == 256


@pytest.mark.parametrize("T", T_GRID)
def test_what_the_page_says_at_initialisation_is_what_the_engine_does(T):
    """/gradient-flow, beside the chart: "At initialisation the gradient reaches r steps back in the RNN, … in the
    LSTM and … in the GRU";
    "Here the LSTM's input gate starts almost shut (its bias is −b_f = …, so i ≈ …): the belt carries the gradient
    all the way back (dashed line), but little of it gets off the belt into h_t";
    "With b_f = … the forget gate starts at about …: the belt forgets at every step, and the LSTM's gradient fades
    at least as fast as the RNN's."

    Checked at: T ∈ {10, 30, 60, 100} × every b_f notch from −2 to 6 × seeds 0–4 (340 settings)."""
    for bf, seed in itertools.product(BF_GRID, SEEDS):
        c = cfg(T=T, forget_bias=float(bf), seed=seed)
        flows = recipe.initial_flows(c)
        text = stories.init_story(flows, T, c.forget_bias)
        assert numbers(text) == [flows[cell].reach for cell in recipe.CELLS], text
        lstm = flows["lstm"]
        if "almost shut" in text:
            assert lstm.reach < T - 1 and lstm.write < stories.SHUT
            assert lstm.c[-1] >= recipe.REACH_THRESHOLD  # the dashed line reaches the first step
            assert lstm.c[-1] > 10 * lstm.h[-1]  # … and the belt's gradient stays far above h's
        if "forgets at every step" in text:
            assert lstm.reach <= flows["rnn"].reach and lstm.reach < T - 1
            assert lstm.keep == pytest.approx(1 / (1 + np.exp(-c.forget_bias)), abs=0.1)


def test_the_rnn_gradient_falls_below_a_thousandth_within_a_dozen_steps():
    """/gradient-flow, "Why the curves differ": "For the RNN that is diag(tanh′(a_t)) W_hh: a squashing derivative,
    at most 1, times a weight matrix. At this initialisation the product of many of them shrinks fast: in the left
    panel the RNN's gradient falls below a thousandth within about a dozen steps."

    Checked at: T ∈ {10, 20, …, 100} × seeds 0–9."""
    for T, seed in itertools.product(range(10, 101, 10), SEEDS_10):
        rnn = recipe.initial_flows(cfg(T=T, seed=seed))["rnn"]
        assert rnn.reach <= 12
        if T >= 20:
            assert rnn.h[13:].max() < recipe.REACH_THRESHOLD


def belt_jacobian(cell: LSTM, x: np.ndarray, *, through_h: bool, eps: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """(∂c_T/∂c_{T−1} by central differences on the last step, f_T), for one sequence x (T, 1, D).

    through_h=False nudges c_{T−1} alone (the direct path); True also lets the nudge reach h_{T−1} =
    o_{T−1} ⊙ tanh(c_{T−1}), which the gates at step T read (every path of one step)."""
    trace = cell.forward(x)
    h0, c0, o0 = trace.h[-2], trace.c[-2], trace.gates["o"][-2]
    H = cell.hidden_size
    jac = np.zeros((H, H))
    for k in range(H):
        ends = []
        for sign in (1, -1):
            c = c0.copy()
            c[0, k] += sign * eps
            h = o0 * np.tanh(c) if through_h else h0
            ends.append(cell.forward(x[-1:], h0=h, c0=c).c[-1, 0])
        jac[:, k] = (ends[0] - ends[1]) / (2 * eps)
    return jac, trace.gates["f"][-1, 0]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_belt_jacobian_is_diag_f_on_the_direct_path_only(seed):
    """/gradient-flow, "Why the curves differ": "Along the belt, c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t, so the direct
    path gives ∂c_t/∂c_{t−1} = diag(f_t) … That is not the whole Jacobian: the gates also read h_{t−1}, which
    depends on c_{t−1}, and those indirect paths add terms."

    Checked at: seeds 0–4, the page's LSTM (H = 8, b_f = 1, input weights × 3), one adding-problem sequence, by
    central differences on the engine's forward pass."""
    c = cfg(seed=seed)
    cell = recipe.build(c, "lstm").cell
    _, _, xe, _ = recipe.data(c)
    x = xe[:, :1]
    direct, f = belt_jacobian(cell, x, through_h=False)
    np.testing.assert_allclose(direct, np.diag(f), atol=1e-8)
    full, _ = belt_jacobian(cell, x, through_h=True)
    assert np.abs(full - np.diag(f)).max() > 1e-3


@pytest.mark.parametrize("T", T_GRID)
def test_raising_the_forget_bias_from_minus_2_to_3_carries_the_lstm_gradient_further(T):
    """/gradient-flow, "Why the curves differ": "With f ≈ 1 the direct path carries the gradient almost untouched:
    raise the forget-gate bias from −2 to 3 and watch the LSTM's curves in the left panel reach further. Higher
    still, the input gate (bias −b_f) shuts, and the gradient can stay on the belt instead of reaching h_t."

    Checked at: T ∈ {10, 30, 60, 100} × seeds 0–9 × every b_f notch from −2 to 3 (the reach never shrinks, and
    grows from −2 to 3; the cell-state curve at the first step rises); "can stay on the belt": at least one
    setting with b_f > 3 shows the note."""
    for seed in SEEDS_10:
        flows = [recipe.initial_flows(cfg(T=T, forget_bias=bf, seed=seed))["lstm"]
                 for bf in np.arange(-2.0, 3.5, 0.5)]
        reach = [f.reach for f in flows]
        assert reach == sorted(reach) and reach[-1] > reach[0], reach
        far = [f.c[-1] for f in flows]
        assert far == sorted(far), far
    if T >= 30:
        notes = [stories.init_story(fl, T, bf) for bf in (5.5, 6.0) for s in SEEDS
                 for fl in [recipe.initial_flows(cfg(T=T, forget_bias=bf, seed=s))]]
        assert any("almost shut" in n for n in notes)


@pytest.mark.parametrize("T", T_GRID)
def test_the_gru_update_gate_starts_near_a_half_and_its_curve_falls_too(T):
    """/gradient-flow, "Why the curves differ": "At initialisation z ≈ 0.50, so this road roughly halves the
    gradient at every step, and the GRU's curve falls too — less steeply than the RNN's here" (or "about as
    steeply", whichever the page computes).

    Checked at: T ∈ {10, 30, 60, 100} × seeds 0–9 (the GRU does not depend on b_f)."""
    for seed in SEEDS_10:
        flows = recipe.initial_flows(cfg(T=T, seed=seed))
        gru, rnn = flows["gru"], flows["rnn"]
        assert 0.4 <= gru.keep <= 0.6
        assert gru.h[-1] < 0.5 * gru.h[0]
        text = stories.gru_story(None, flows)
        assert f"z ≈ {gru.keep:.2f}" in text
        assert ("less steeply" in text) == (gru.reach > rnn.reach)
    assert all(recipe.initial_flows(cfg(T=T, seed=s))["gru"].reach > recipe.initial_flows(cfg(T=T, seed=s))["rnn"]
               .reach for s in SEEDS) or T == 10


@pytest.mark.parametrize("run_cfg", [c for tip in (None, *TRIES) for c in tip_configs(tip)],
                         ids=lambda c: f"T{c.T}-bf{c.forget_bias:g}-seed{c.seed}")
def test_what_the_page_says_after_training_is_what_training_did(run_cfg):
    """/gradient-flow, beside the chart: "After 480 training steps …: the X learns the task (loss …) / gets part
    of the way / does not learn the task; its gradient reaches … steps back"; "Training raised (lowered) its mean
    z to … (it now reaches … steps back)."

    Checked at: the defaults and every "Try this" link, seeds 0–4 (the runs a first visit shows)."""
    runs = STORE[recipe.store_key(run_cfg)]
    text = stories.trained_story(runs, run_cfg.T, run_cfg.steps)
    assert numbers(text) == [runs[c].trained.reach for c in recipe.CELLS]
    for run in runs.values():
        assert f"(loss {run.trained.loss:.3f})" in text
        verdict = stories.outcome(run)
        assert verdict == ("learned" if run.trained.loss <= recipe.BASELINE_MSE / 5 else
                           "partly" if run.trained.loss <= 0.1 else "not")
    gru = stories.gru_story(runs, recipe.initial_flows(run_cfg))
    assert f"its mean z to {runs['gru'].trained.keep:.2f}" in gru
    assert ("raised" in gru) == (runs["gru"].trained.keep > runs["gru"].init.keep)


@pytest.mark.parametrize("tip", [None, TRIES[0]], ids=["defaults", "sixty steps"])
def test_gated_cells_learn_and_carry_the_gradient_to_the_first_step_and_the_rnn_does_not_learn(tip):
    """/gradient-flow, the lesson at its defaults and "Try this" (Sixty steps): "T = 60, b_f = 3: the LSTM and the
    GRU learn the task and their gradients reach the first step; the RNN does not learn it."

    Checked at: the defaults (T = 30, b_f = 1, 480 steps) and T = 60, b_f = 3, seeds 0–4 each."""
    for c in tip_configs(tip):
        runs = STORE[recipe.store_key(c)]
        for cell in ("lstm", "gru"):
            assert stories.outcome(runs[cell]) == "learned", (c, cell, runs[cell].trained.loss)
            assert runs[cell].trained.reach == c.T - 1
        assert stories.outcome(runs["rnn"]) == "not", (c, runs["rnn"].trained.loss)


def test_a_closed_belt_fades_at_least_as_fast_as_the_rnn():
    """/gradient-flow, "Try this" (A closed belt): "b_f = −2: the forget gate starts almost closed, and at
    initialisation the LSTM's gradient fades at least as fast as the RNN's."

    Checked at: the link's setting (T = 30, b_f = −2) at seeds 0–9, and T ∈ {20, 60, 100} at seeds 0–4."""
    closed = TRIES[1].values["forget_bias"]
    assert 1 / (1 + np.exp(-closed)) < 0.15
    settings = [cfg(forget_bias=closed, seed=s) for s in SEEDS_10]
    settings += [cfg(forget_bias=closed, T=T, seed=s) for T in (20, 60, 100) for s in SEEDS]
    for c in settings:
        flows = recipe.initial_flows(c)
        assert flows["lstm"].reach <= flows["rnn"].reach
        assert "forgets at every step" in stories.init_story(flows, c.T, c.forget_bias)
