"""The /gradient-flow lesson's controls, each described once (see lessons/kit/settings.py), and its "Try this"
links."""

from __future__ import annotations

from dataclasses import fields

from lessons.gradient_flow.recipe import FlowConfig
from lessons.kit.settings import Setting, Try

D = {f.name: f.default for f in fields(FlowConfig)}  # read from the class: building one here would count as a page's
STEP_CHOICES = (120, 240, 480, 960)  # optimizer steps
SEEDS = range(5)  # the seeds trained ahead of time for the defaults and every "Try this" link

SETTINGS = {
    "T": Setting("gflow_T", "Sequence length T", D["T"], lo=10, hi=100, step=5,
                 help="Steps between the first marked number and the answer can be up to T − 1."),
    "forget_bias": Setting("gflow_bf", "LSTM forget-gate bias b_f", D["forget_bias"], lo=-2.0, hi=6.0, step=0.5,
                           help="At rest the forget gate is σ(b_f): the share of the cell state (and of its "
                                "gradient) kept per step. The input gate's bias is −b_f (chrono initialisation): "
                                "a cell that keeps much starts out writing little."),
    "steps": Setting("gflow_steps", "Training steps", D["steps"], "select_slider", options=STEP_CHOICES,
                     help="Adam, learning rate 0.02, batches of 32, gradient norm clipped at 1. Settings that were "
                          "not trained ahead of time train when you press Train."),
    "seed": Setting("gflow_seed", "Seed", D["seed"], "number", lo=0, hi=9999),
}

# "Try this" links. Their tips are claims: tests/claims/test_gradient_flow.py checks each one over SEEDS, and
# every one of them (× SEEDS) is trained ahead of time, so a first visit trains nothing.
TRIES = (
    Try("Sixty steps", ":material/straighten:", "T = 60, b_f = 3: the LSTM and the GRU learn the task and their "
        "gradients reach the first step; the RNN does not learn it", {"T": 60, "forget_bias": 3.0}),
    Try("A closed belt", ":material/block:", "b_f = −2: the forget gate starts almost closed, and at "
        "initialisation the LSTM's gradient fades at least as fast as the RNN's", {"forget_bias": -2.0}),
)


def config(values: dict) -> FlowConfig:
    return FlowConfig(T=int(values["T"]), forget_bias=values["forget_bias"], steps=int(values["steps"]),
                      seed=int(values["seed"]))


def precomputed_configs() -> list[FlowConfig]:
    """The settings trained ahead of time: the defaults and every "Try this" link, each at SEEDS."""
    base = {name: s.default for name, s in SETTINGS.items()}
    tables = [base, *({**base, **tip.values} for tip in TRIES)]
    return [config({**values, "seed": seed}) for values in tables for seed in SEEDS]
