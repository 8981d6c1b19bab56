"""Train /gradient-flow's defaults and "Try this" settings ahead of time, so a first visit trains nothing.

    python -m lessons.gradient_flow.precompute        # about 4 minutes on one core

Writes assets/gradient_flow_runs.json.gz (recipe.STORE). tests/lessons/gradient_flow/test_store.py fails when the
file no longer matches what the engine produces (or misses a setting), which means: run this again.
"""

from __future__ import annotations

import time

from lessons.gradient_flow import recipe
from lessons.gradient_flow.settings import precomputed_configs


def main() -> None:
    records = []
    for cfg in precomputed_configs():
        t0 = time.perf_counter()
        runs = {cell: recipe.train_cell(cfg, cell) for cell in recipe.CELLS}
        records.append(recipe.run_record(cfg, runs))
        summary = ", ".join(f"{c} reach {r.trained.reach} loss {r.trained.loss:.3f}" for c, r in runs.items())
        print(f"T={cfg.T} b_f={cfg.forget_bias:g} seed={cfg.seed}: {summary} ({time.perf_counter() - t0:.0f} s)",
              flush=True)
    recipe.save_store(records)
    print(f"wrote {recipe.STORE} ({recipe.STORE.stat().st_size / 1024:.0f} kB)")


if __name__ == "__main__":
    main()
