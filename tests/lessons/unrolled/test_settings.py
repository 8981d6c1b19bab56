"""/unrolled's controls: described once, starting where the recipe's config starts."""

from __future__ import annotations

import pytest

from lessons.kit.settings import defaults
from lessons.unrolled.recipe import UnrolledConfig
from lessons.unrolled.settings import SETTINGS, config, first_step


def test_the_table_starts_at_the_recipes_defaults():
    assert config(defaults(SETTINGS)) == UnrolledConfig()


def test_typed_numbers_are_parsed_only_for_the_typed_sequence():
    values = {**defaults(SETTINGS), "sequence": "typed", "values": "1, -2 3"}
    assert config(values).values == (1.0, -2.0, 3.0)
    with pytest.raises(ValueError, match=r"entry 2 \('x'\) is not a number"):
        config({**values, "values": "1, x"})
    assert config({**defaults(SETTINGS), "values": "not parsed"}).values == ()


def test_keys_carry_the_page_prefix_and_the_step_starts_after_the_impulse():
    assert all(s.key.startswith("unrolled_") for s in SETTINGS.values())
    assert first_step(12) == 4 and first_step(1) == 1


def test_typed_numbers_set_the_length_whatever_the_disabled_length_slider_says():
    """A link with typed numbers and T = 200 once made the w sweep's story index step 33 of a 10-step run."""
    values = {**defaults(SETTINGS), "sequence": "typed", "values": "1, -2 3", "length": 200}
    assert config(values).length == 3
