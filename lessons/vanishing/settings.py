"""The /vanishing-gradients lesson's controls, each described once (see lessons/kit/settings.py), and its
one-click presets."""

from __future__ import annotations

from dataclasses import dataclass, field

from lessons.kit.settings import ACTIVATION_LABELS, Setting, Try
from lessons.vanishing.recipe import MAX_HIDDEN, MAX_LENGTH, ChainConfig, ClipConfig, MatrixConfig

# The defaults are read from the classes, not from instances: building a config at import time would look
# like a page building one (tests/lessons/test_url_compat.py records every config a page builds).
D, M, C = ChainConfig, MatrixConfig, ClipConfig
# This page lists the identity first: the lesson starts from the exact |w|^k case.
ACTIVATIONS = ("identity", "tanh", "sigmoid", "relu", "leaky_relu", "elu")

SETTINGS = {
    # The scalar chain.
    "w": Setting("vg_w", "Recurrent weight w", D.w, lo=0.0, hi=3.0, step=0.01,
                 help="The weight on h_{t−1} → h_t. Every step back multiplies the gradient by w·act′(a_t)."),
    "length": Setting("vg_T", "Sequence length T", D.length, lo=1, hi=MAX_LENGTH),
    "activation": Setting("vg_act", "Activation", D.activation, "select", options=ACTIVATIONS,
                          labels=ACTIVATION_LABELS),
    "input_scale": Setting("vg_x", "Input strength (std of the random inputs)", D.input_scale, lo=0.0, hi=3.0,
                           step=0.05, help="Strong inputs push tanh and σ into their flat, saturated zone."),
    "f32": Setting("vg_f32", "Compute in float32 (like most GPUs)", D.precision == "float32", "toggle",
                   help="float32 overflows above about 3.4e38, float64 above about 1.8e308."),
    # The matrix case.
    "hidden": Setting("vg_H", "Hidden size H", M.hidden, lo=2, hi=MAX_HIDDEN),
    "radius": Setting("vg_rho", "Spectral radius ρ", M.radius, lo=0.0, hi=2.0, step=0.01),
    # Clipping.
    "g1": Setting("vg_g1", "Gradient g₁", C.g1, lo=-10.0, hi=10.0, step=0.1),
    "g2": Setting("vg_g2", "Gradient g₂", C.g2, lo=-10.0, hi=10.0, step=0.1),
    "threshold": Setting("vg_c", "Threshold c", C.threshold, lo=0.1, hi=10.0, step=0.1),
}


@dataclass(frozen=True)
class Preset:
    """A one-click classic: its button's label and the settings it sets (name -> value)."""

    label: str
    values: dict = field(default_factory=dict)

    def state(self) -> dict:
        """The preset as widget keys -> values, for st.session_state (so the bound widgets, and the URL, follow)."""
        return {SETTINGS[name].key: value for name, value in self.values.items()}


PRESETS = {
    "explode": Preset("2⁵⁰ explodes", {"w": 2.0, "length": 50, "activation": "identity", "f32": False}),
    "vanish": Preset("0.5⁵⁰ vanishes", {"w": 0.5, "length": 50, "activation": "identity", "f32": False}),
    "overflow": Preset("float32 overflow", {"w": 2.0, "length": 200, "activation": "identity", "f32": True}),
    "dead": Preset("dead ReLU", {"w": 0.9, "length": 50, "activation": "relu", "input_scale": 0.5, "f32": False}),
}
# "Try this" links under the lesson (beside the presets, which are the four classics above the charts). Their tips
# are claims: tests/claims/test_vanishing.py checks each one. A link names only values that differ from the
# defaults: the address bar drops a control's default value, and the link's must survive there.
TRIES = (
    Try("Sigmoid's ceiling", ":material/vertical_align_top:", "σ′ ≤ ¼: even w = 3 shrinks the gradient at least "
        "×0.75 per step", {"w": 3.0, "activation": "sigmoid"}),
    Try("Saturated tanh", ":material/compress:", "strong inputs (3.0) saturate tanh: even w = 1.5 vanishes",
        {"w": 1.5, "input_scale": 3.0}),  # tanh is the default
    Try("ρ = 1, linear", ":material/radio_button_unchecked:", "ρ = 1 with the identity: the norm stays exactly 1 at "
        "every distance", {"activation": "identity"}),  # ρ = 1 is the default
    Try("Clipping turns", ":material/rotate_right:", "g = (10, 1), c = 5: clipping by value turns the gradient "
        "5.6°, by norm not at all", {"g1": 10.0, "g2": 1.0}),  # c = 5 is the default
)
CHAIN = ("w", "length", "activation", "input_scale", "f32")  # the chain's controls, in page order


def chain_config(values: dict) -> ChainConfig:
    """The scalar chain the controls describe. ``values``: name -> widget value for the names in CHAIN."""
    return ChainConfig(w=values["w"], length=int(values["length"]), activation=values["activation"],
                       input_scale=values["input_scale"], precision="float32" if values["f32"] else "float64")


def matrix_config(values: dict, chain: ChainConfig) -> MatrixConfig:
    """The matrix case: its own H and ρ, with the chain's length, activation and input strength."""
    return MatrixConfig(hidden=int(values["hidden"]), radius=values["radius"], length=chain.length,
                        activation=chain.activation, input_scale=chain.input_scale)


def clip_config(values: dict) -> ClipConfig:
    """The clipping example: the 2-D gradient and the threshold."""
    return ClipConfig(g1=values["g1"], g2=values["g2"], threshold=values["threshold"])
