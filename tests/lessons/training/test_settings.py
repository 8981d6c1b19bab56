"""The training lab's controls: one description each, starting where the recipe's config starts."""

from __future__ import annotations

import pytest

from lessons.kit.settings import defaults
from lessons.training import recipe, settings

D = recipe.LabConfig()


def test_the_table_defaults_build_the_recipe_default():
    assert settings.config(defaults(settings.SETTINGS)) == D


def test_every_key_has_the_page_prefix_and_is_unique():
    keys = [s.key for s in settings.SETTINGS.values()] + [settings.column_setting(["day", "close"], "close").key]
    assert all(k.startswith("training_") for k in keys), keys
    assert len(set(keys)) == len(keys)


def test_every_default_is_one_its_control_accepts():
    for name, s in settings.SETTINGS.items():
        assert s.accepts(s.default), name


@pytest.mark.parametrize("task", recipe.TASKS)
def test_every_task_starts_from_a_window_and_epochs_the_sliders_can_show(task):
    assert settings.SETTINGS["window"].accepts(recipe.DEFAULT_WINDOW[task])
    assert settings.SETTINGS["epochs"].accepts(recipe.DEFAULT_EPOCHS[task])
    assert settings.SETTINGS["task"].text(task) == settings.TASK_LABELS[task]


def test_the_default_task_starts_where_the_config_does():
    assert recipe.DEFAULT_WINDOW[D.task] == D.window and recipe.DEFAULT_EPOCHS[D.task] == D.epochs


def test_window_labels_name_every_kind_of_task():
    assert set(settings.WINDOW_LABELS) == set(recipe.KINDS)


def test_momentum_counts_only_when_its_slider_is_shown():
    values = defaults(settings.SETTINGS)
    assert settings.config({**values, "optimizer": "sgd", "momentum": 0.5}).momentum == 0.5
    values.pop("momentum")
    assert settings.config(values).momentum == D.momentum


def test_the_column_picker_offers_the_files_columns():
    s = settings.column_setting(["day", "close"], "close")
    assert s.options == ("day", "close") and s.default == "close" and s.text("close") == "close"
