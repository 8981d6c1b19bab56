"""The /vanishing-gradients lesson's controls and presets: one row each, starting where the recipe's configs start."""

from __future__ import annotations

from lessons.kit.settings import ACTIVATION_LABELS, defaults
from lessons.vanishing import recipe
from lessons.vanishing.settings import CHAIN, PRESETS, SETTINGS, TRIES, chain_config, clip_config, matrix_config


def test_the_defaults_describe_the_recipes_default_configs():
    values = defaults(SETTINGS)
    assert chain_config(values) == recipe.ChainConfig()
    assert matrix_config(values, chain_config(values)) == recipe.MatrixConfig()
    assert clip_config(values) == recipe.ClipConfig()


def test_every_key_has_the_page_prefix_and_is_unique():
    keys = [s.key for s in SETTINGS.values()]
    assert all(k.startswith("vg_") for k in keys) and len(set(keys)) == len(keys)


def test_activations_keep_this_pages_order_and_the_shared_labels():
    act = SETTINGS["activation"]
    assert act.options == ("identity", "tanh", "sigmoid", "relu", "leaky_relu", "elu")
    assert set(act.options) == set(ACTIVATION_LABELS) and act.labels == ACTIVATION_LABELS
    assert act.default == "tanh"


def test_presets_set_valid_values_of_the_chains_controls():
    assert list(PRESETS) == ["explode", "vanish", "overflow", "dead"]
    for preset in PRESETS.values():
        assert set(preset.values) <= set(CHAIN)
        assert all(SETTINGS[name].accepts(value) for name, value in preset.values.items())


def test_a_presets_state_is_keyed_by_widget_key():
    assert PRESETS["dead"].state() == {"vg_w": 0.9, "vg_T": 50, "vg_act": "relu", "vg_x": 0.5, "vg_f32": False}
    assert PRESETS["overflow"].state() == {"vg_w": 2.0, "vg_T": 200, "vg_act": "identity", "vg_f32": True}


def test_try_links_name_only_values_that_differ_from_the_defaults():
    """The address bar drops a control's default value; a Try link's values must all survive there."""
    for tip in TRIES:
        assert tip.values and all(SETTINGS[name].default != value for name, value in tip.values.items()), tip.label
