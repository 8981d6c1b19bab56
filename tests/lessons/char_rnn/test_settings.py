"""The char-RNN lesson's controls: one description each, starting where the recipe's config starts."""

from __future__ import annotations

from lessons.char_rnn import recipe, settings
from lessons.kit.settings import defaults


def test_the_table_defaults_build_the_recipe_default():
    assert settings.config(defaults(settings.SETTINGS)) == recipe.CharConfig()


def test_every_key_has_the_page_prefix_and_is_unique():
    keys = [s.key for s in settings.SETTINGS.values()]
    assert all(k.startswith("char_") for k in keys), keys
    assert len(set(keys)) == len(keys)


def test_every_default_is_one_its_control_accepts():
    for name, s in settings.SETTINGS.items():
        assert s.accepts(s.default), name


def test_the_shipped_text_is_the_default_text():
    assert settings.SETTINGS["source"].default == recipe.CharConfig().text_id == "shipped"
    assert settings.SETTINGS["prime"].default == settings.SHIPPED_PRIME
