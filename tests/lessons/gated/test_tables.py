"""lessons.gated.tables: the CSV downloads number steps as the pages do, t = 1..T."""

from __future__ import annotations

import numpy as np

from lessons.gated.tables import direction_table, step_unit_table


def test_step_unit_table_numbers_steps_from_1():
    T, H = 4, 2
    x = np.arange(T, dtype=float)
    h = np.arange(T * H, dtype=float).reshape(T, H)
    df = step_unit_table(x, {"h": h}, T, H)
    assert df["t"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4] and df["unit"].tolist() == [1, 2] * T
    assert df.loc[df.t == 1, "x"].tolist() == [0.0, 0.0]  # x_1 is the first input (row 0)
    assert df.loc[(df.t == 3) & (df.unit == 2), "h"].item() == h[2, 1]


def test_direction_table_numbers_steps_from_1():
    T, H = 3, 2
    fwd, bwd = np.ones((T, H)), -np.ones((T, H))
    df = direction_table(np.array([5.0, 6.0, 7.0]), fwd, bwd)
    assert sorted(set(df["t"])) == [1, 2, 3]
    assert df.loc[df.t == 1, "x"].unique().tolist() == [5.0]
    assert len(df) == T * 2 * H
