"""assets/gradient_flow_runs.json.gz, the runs a first visit of /gradient-flow shows without training, is what the
engine produces today. When one of these fails, the engine or a setting changed: run
``python -m lessons.gradient_flow.precompute`` again."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.gradient_flow import recipe as demo
from lessons.gradient_flow.settings import SEEDS, precomputed_configs

STORE = demo.load_store()
RTOL = 2e-3  # the file keeps 4 significant digits


def same_flow(stored: demo.Flow, now: demo.Flow) -> None:
    np.testing.assert_allclose(stored.h, now.h, rtol=RTOL, atol=1e-300)
    if now.c is not None:
        np.testing.assert_allclose(stored.c, now.c, rtol=RTOL, atol=1e-300)
    assert stored.reach == now.reach and stored.loss == pytest.approx(now.loss, rel=1e-6)
    for name in ("keep", "write"):
        a, b = getattr(stored, name), getattr(now, name)
        assert (a is None) == (b is None) and (a is None or a == pytest.approx(b, rel=1e-6)), name


def test_the_file_holds_the_defaults_and_every_try_link_at_every_seed():
    assert set(STORE) == {demo.store_key(c) for c in precomputed_configs()}
    assert demo.STORE.stat().st_size < 200_000  # a small file


@pytest.mark.parametrize("cfg", precomputed_configs(), ids=lambda c: f"T{c.T}-bf{c.forget_bias:g}-seed{c.seed}")
def test_every_stored_run_starts_where_the_engine_starts(cfg):
    """Cheap for every entry: the untrained flows, and the first 30 steps of training (their losses)."""
    runs = STORE[demo.store_key(cfg)]
    for cell, flow in demo.initial_flows(cfg).items():
        same_flow(runs[cell].init, flow)
        own = demo.for_cell(cfg, cell)
        first = demo.train_steps(own, demo.initial_state(own, cell), 30)
        np.testing.assert_allclose(runs[cell].losses[:30], first.losses, rtol=RTOL)


@pytest.mark.slow
@pytest.mark.parametrize("cfg", [c for c in precomputed_configs() if c.seed == SEEDS[0]],
                         ids=lambda c: f"T{c.T}-bf{c.forget_bias:g}")
def test_stored_runs_are_what_training_produces(cfg):
    """Every setting trained again in full at the first seed (the one a first visit shows)."""
    for cell, stored in STORE[demo.store_key(cfg)].items():
        run = demo.train_cell(cfg, cell)
        same_flow(stored.trained, run.trained)
        np.testing.assert_allclose(stored.losses, run.losses, rtol=RTOL)
