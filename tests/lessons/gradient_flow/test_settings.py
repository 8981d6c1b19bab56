"""/gradient-flow's controls: described once, starting where the recipe's config starts."""

from __future__ import annotations

from lessons.gradient_flow.recipe import FlowConfig
from lessons.gradient_flow.settings import SEEDS, SETTINGS, STEP_CHOICES, TRIES, config, precomputed_configs
from lessons.kit.settings import defaults


def test_the_table_starts_at_the_recipes_defaults():
    assert config(defaults(SETTINGS)) == FlowConfig()


def test_keys_carry_the_page_prefix_and_step_choices_are_valid():
    assert all(s.key.startswith("gflow_") for s in SETTINGS.values())
    assert all(FlowConfig(steps=steps).steps == steps for steps in STEP_CHOICES)


def test_the_defaults_and_every_try_link_are_trained_ahead_at_five_seeds():
    pre = precomputed_configs()
    assert len(pre) == len(set(pre)) == (1 + len(TRIES)) * len(SEEDS) and len(SEEDS) >= 5
    assert FlowConfig() in pre
    for tip in TRIES:
        values = {**defaults(SETTINGS), **tip.values}
        assert all(config({**values, "seed": s}) in pre for s in SEEDS)
        assert all(SETTINGS[name].accepts(v) for name, v in tip.values.items())
