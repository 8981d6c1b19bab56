"""The /gradient-flow lesson's controls, each described once (see lessons/kit/settings.py)."""

from __future__ import annotations

from lessons.gradient_flow.recipe import FlowConfig
from lessons.kit.settings import Setting

D = FlowConfig()
STEP_CHOICES = (120, 240, 480, 960)  # optimizer steps; each must be a multiple of FlowConfig.chunks

SETTINGS = {
    "T": Setting("gflow_T", "Sequence length T", D.T, lo=10, hi=100, step=5,
                 help="Steps between the first marked number and the answer can be up to T − 1."),
    "forget_bias": Setting("gflow_bf", "LSTM forget-gate bias b_f", D.forget_bias, lo=-2.0, hi=6.0, step=0.5,
                           help="At rest the forget gate is σ(b_f): the share of the cell state (and of its "
                                "gradient) kept per step."),
    "steps": Setting("gflow_steps", "Training steps", D.steps, "select_slider", options=STEP_CHOICES,
                     help="Adam, learning rate 0.01, batches of 32, gradient norm clipped at 1. Longer runs take "
                          "longer the first time."),
    "seed": Setting("gflow_seed", "Seed", D.seed, "number", lo=0, hi=9999),
}


def config(values: dict) -> FlowConfig:
    return FlowConfig(T=int(values["T"]), forget_bias=values["forget_bias"], steps=int(values["steps"]),
                      seed=int(values["seed"]))
