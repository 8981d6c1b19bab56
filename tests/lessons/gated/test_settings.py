"""lessons.gated.settings: the three pages' controls start where the recipes' configs do, carry their page's
prefix, and turn widget values (labels as the URL holds them, typed numbers) into configs."""

from __future__ import annotations

import pytest

from lessons.gated import settings as S
from lessons.gated.bidirectional_recipe import BiConfig, ReadoutConfig
from lessons.gated.recipe import PATTERNS, GRUConfig, LSTMConfig, RememberConfig
from lessons.kit.settings import defaults
from lessons.kit.typed import parse_numbers

TABLES = {"lstm_": S.LSTM_SETTINGS, "gru_": S.GRU_SETTINGS, "bidir_": S.BI_SETTINGS}


# -- the tables -----------------------------------------------------------------------------------------
def test_defaults_build_the_recipes_default_configs():
    assert S.lstm_config(defaults(S.LSTM_SETTINGS)) == LSTMConfig()
    assert S.remember_config(defaults(S.LSTM_SETTINGS)) == RememberConfig()
    assert S.gru_config(defaults(S.GRU_SETTINGS)) == GRUConfig()
    assert S.bi_config(defaults(S.BI_SETTINGS)) == BiConfig()
    assert S.readout_config(defaults(S.BI_SETTINGS)) == ReadoutConfig()


@pytest.mark.parametrize("prefix", TABLES)
def test_every_key_has_its_pages_prefix(prefix):
    for name, setting in TABLES[prefix].items():
        assert setting.key.startswith(prefix), (name, setting.key)


def test_pattern_labels_name_recipe_patterns():
    assert set(S.SEQUENCE_PATTERNS.values()) == set(PATTERNS)
    assert set(S.BI_PATTERNS.values()) <= set(PATTERNS)
    assert S.label_of(S.SEQUENCE_PATTERNS, "pulse") == "early pulse"


def test_values_become_configs():
    lstm = {**defaults(S.LSTM_SETTINGS), "pattern": "my own numbers", "values": "0, 1; -0.5", "peephole": True}
    assert S.lstm_config(lstm) == LSTMConfig(pattern="custom", peephole=True, values=(0.0, 1.0, -0.5))
    gru = {**defaults(S.GRU_SETTINGS), "form": S.GRU_FORMS[1], "pattern": "sine wave"}
    assert S.gru_config(gru) == GRUConfig(pattern="sine", reset_after=False)
    bi = {**defaults(S.BI_SETTINGS), "task": "both neighbours", "hidden": 2}
    assert S.readout_config(bi) == ReadoutConfig(task="both", hidden=2)
    assert S.remember_config(defaults(S.LSTM_SETTINGS), forget_bias=6.0) == RememberConfig(forget_bias=6.0)


def test_typed_numbers_are_only_read_for_my_own_numbers():
    values = {**defaults(S.LSTM_SETTINGS), "values": "not numbers"}
    assert S.lstm_config(values).values == ()
    with pytest.raises(ValueError, match="not a number"):
        S.lstm_config({**values, "pattern": "my own numbers"})


def test_unit_choices():
    assert S.unit_options(2) == ("unit 1", "unit 2", S.MEAN_OF_UNITS)
    assert S.unit_index("unit 3") == 2 and S.unit_index(S.MEAN_OF_UNITS) is None


# -- typed numbers (lessons.kit.typed, as these pages use it) ---------------------------------------------
def test_parse_numbers_accepts_common_separators():
    assert parse_numbers(" 0, 1;-0.5\n2  3e-1 ") == (0.0, 1.0, -0.5, 2.0, 0.3)


@pytest.mark.parametrize(("text", "message"), [
    ("", "at least one number"),
    ("1, two, 3", "entry 2 ('two') is not a number"),
    ("1, nan", "not a finite number"),
    ("1, 1e9", "too large"),
    (", ".join(["1"] * 201), "at most 200"),
])
def test_parse_numbers_rejects_bad_text(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_numbers(text)
