"""/gradient-flow's controls: described once, starting where the recipe's config starts."""

from __future__ import annotations

from lessons.gradient_flow.recipe import FlowConfig
from lessons.gradient_flow.settings import SETTINGS, STEP_CHOICES, config
from lessons.kit.settings import defaults


def test_the_table_starts_at_the_recipes_defaults():
    assert config(defaults(SETTINGS)) == FlowConfig()


def test_keys_carry_the_page_prefix_and_step_choices_fit_the_chunks():
    assert all(s.key.startswith("gflow_") for s in SETTINGS.values())
    assert all(steps % FlowConfig().chunks == 0 for steps in STEP_CHOICES)
