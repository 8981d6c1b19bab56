"""The /bptt lesson's controls: one row each, starting where the recipe's config starts."""

from __future__ import annotations

import pytest

from lessons.bptt import recipe
from lessons.bptt.settings import SETTINGS, TRIES, config
from lessons.kit.settings import ACTIVATION_LABELS, defaults


def test_the_defaults_describe_the_recipes_default_config():
    assert config(defaults(SETTINGS)) == recipe.BPTTConfig()


def test_the_page_starts_on_the_impulse_with_target_one_half():
    assert recipe.BPTTConfig().sequence == "impulse" and recipe.BPTTConfig().target == 0.5


def test_every_key_has_the_page_prefix_and_is_unique():
    keys = [s.key for s in SETTINGS.values()]
    assert all(k.startswith("bptt_") for k in keys) and len(set(keys)) == len(keys)


def test_choices_keep_their_option_values_and_labels():
    assert SETTINGS["sequence"].options == recipe.SEQUENCES
    assert SETTINGS["sequence"].text("typed") == "typed numbers"  # what old links carry
    assert SETTINGS["activation"].options == tuple(ACTIVATION_LABELS)
    assert SETTINGS["activation"].labels == ACTIVATION_LABELS


def test_typed_numbers_set_the_length_and_the_toggle_the_loss():
    values = {**defaults(SETTINGS), "sequence": "typed", "values": "0, 1; 0.5", "every": True}
    cfg = config(values)
    assert cfg.values == (0.0, 1.0, 0.5) and cfg.length == 3 and cfg.loss == "every"
    with pytest.raises(ValueError, match=r"entry 2 \('two'\) is not a number"):
        config({**values, "values": "1, two"})


def test_try_links_name_only_values_that_differ_from_the_defaults():
    """The address bar drops a control's default value; a Try link's values must all survive there."""
    for tip in TRIES:
        assert tip.values and all(SETTINGS[name].default != value for name, value in tip.values.items()), tip.label
