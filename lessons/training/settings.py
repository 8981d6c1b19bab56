"""The /training lesson's controls, each described once (see lessons/kit/settings.py)."""

from __future__ import annotations

from dataclasses import fields
from types import SimpleNamespace

from lessons.kit.settings import CELL_NAMES, Setting, Try
from lessons.kit.upload import LIMITS
from lessons.training.recipe import WINDOW_RANGE, LabConfig

# The config's defaults, read without building a LabConfig (tests/lessons/test_url_compat.py records every
# LabConfig a page builds; one built here at import time would depend on when this module was first imported).
D = SimpleNamespace(**{f.name: f.default for f in fields(LabConfig)})
# Short labels: a bound selectbox writes the label into the URL (e.g. ?training_task=Adding+problem).
TASK_LABELS = {
    "stock": "Stock prices (synthetic)",
    "stock_returns": "Stock daily returns (synthetic)",
    "sine": "Sine wave",
    "noisy_sine": "Noisy sine wave",
    "sunspots": "Sunspots 1700–2008 (real data)",
    "upload": "My own CSV file",
    "adding": "Adding problem (long memory)",
    "copy": "Copy task (long memory)",
}
# What the window means for each kind of task (the slider's label follows the task).
WINDOW_LABELS = {"series": "Window k (past values the model sees)", "adding": "Sequence length T",
                 "copy": "Delay T (steps to remember the symbols)"}
LR_CHOICES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
CLIP_CHOICES = (0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0)
CLIP_LABELS = {"none": "off", "value": "value", "norm": "norm"}  # short: they sit in a narrow column
OPT_LABELS = {"adam": "Adam", "sgd": "SGD"}

SETTINGS = {
    # 1 · the task
    "task": Setting("training_task", "Task", D.task, "select", options=tuple(TASK_LABELS), labels=TASK_LABELS),
    "window": Setting(
        "training_window", WINDOW_LABELS["series"], D.window, lo=WINDOW_RANGE[0], hi=WINDOW_RANGE[1],
        help="For a series: the model reads the last k values and predicts the next one. "
             "For the adding and copy tasks: how long the model must remember."),
    # Drawn by the page as a file uploader: a file is not a URL value (see column_setting for its column).
    "upload": Setting("training_upload", "CSV file with a column of numbers (one row per time step, oldest first)",
                      "", "text", help=f"A .csv, .txt or .tsv file: {LIMITS}. The first line may hold column "
                                       f"names."),
    # 2 · the model and how to train it
    "cell": Setting("training_cell", "Cell", D.cell, "segmented", options=tuple(CELL_NAMES), labels=CELL_NAMES),
    "hidden": Setting("training_hidden", "Hidden size H", D.hidden_size, lo=1, hi=64),
    "bptt": Setting("training_bptt", "Truncated BPTT length (0 = full)", D.bptt, lo=0, hi=WINDOW_RANGE[1],
                    help="Backpropagate through at most this many steps. The adding task's first marker sits in "
                         "the first half: truncate below T/2 and no gradient ever reaches it — yet the model still "
                         "reads the whole sequence, and the weights that learn to keep the second marked number "
                         "keep the first one too. Truncating the gradient is not truncating the input."),
    "optimizer": Setting("training_opt", "Optimizer", D.optimizer, "segmented", options=tuple(OPT_LABELS),
                         labels=OPT_LABELS,
                         help="Adam adapts a step size for every weight; SGD takes plain gradient steps, "
                              "smoothed by momentum."),
    "lr": Setting("training_lr", "Learning rate", D.lr, "select_slider", options=LR_CHOICES),
    "momentum": Setting("training_momentum", "SGD momentum", D.momentum, lo=0.0, hi=0.99, step=0.01),
    "epochs": Setting("training_epochs", "Epochs", D.epochs, lo=1, hi=200,
                      help="One epoch = one pass over every training window."),
    "seed": Setting("training_seed", "Seed", D.seed, "number", lo=0, hi=9999,
                    help="Fixes the initial weights and the batch order: the same seed trains the same model."),
    "clip": Setting("training_clip", "Gradient clipping", D.clip, "segmented", options=tuple(CLIP_LABELS),
                    labels=CLIP_LABELS),
    "clip_threshold": Setting(
        "training_clip_at", "Clip threshold", D.clip_threshold, "select_slider", options=CLIP_CHOICES,
        help="By value: every gradient entry is clamped to ±threshold. By norm: the whole gradient is shrunk to "
             "length threshold when it is longer."),
}

# "Try this": each promise is checked by tests/claims/test_training.py at exactly these settings (five seeds).
TRIES = (  # only values that differ from the defaults: the address keeps those alone (kit.widgets.sync_address)
    Try("Truncated gradient", ":material/content_cut:", "Adding problem, BPTT 9 of T = 20: no gradient reaches the "
        "first marked number, yet the trained model still adds it (MSE below 0.05)", {"bptt": 9}),
    Try("Random walk", ":material/show_chart:", "Stock prices: nothing beats “tomorrow = today” — at best a tie",
        {"task": "stock"}),
    Try("Spiky gradients", ":material/bolt:", "RNN, learning rate 0.3, no clipping: gradient steps ten times the "
        "typical one, or an overflow — then turn clipping on", {"cell": "rnn", "lr": 0.3, "clip": "none"}),
)


def column_setting(columns, default: str) -> Setting:
    """The column picker for an uploaded file: its options are the file's own columns."""
    return Setting("training_column", "Column to predict", default, "select", options=tuple(columns))


def config(values: dict, data_id: str = "") -> LabConfig:
    """The run the controls describe. ``values``: name -> widget value for the names of ``SETTINGS`` (momentum
    only when it is shown, i.e. for SGD); ``data_id`` names the series behind "sunspots"/"upload".
    Raises ValueError on an impossible combination (checked by LabConfig)."""
    return LabConfig(task=values["task"], window=int(values["window"]), cell=values["cell"],
                     hidden_size=int(values["hidden"]), bptt=int(values["bptt"]), optimizer=values["optimizer"],
                     lr=float(values["lr"]), momentum=float(values.get("momentum", D.momentum)),
                     epochs=int(values["epochs"]), clip=values["clip"],
                     clip_threshold=float(values["clip_threshold"]), seed=int(values["seed"]), data_id=data_id)
