"""The engine imports NumPy only: loading rnn_core must not drag in the app's drawing stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("streamlit", "plotly", "pandas")

CHECK = """
import sys
{imports}
loaded = sorted(m for m in {forbidden!r} if m in sys.modules)
assert not loaded, f"rnn_core loaded {{loaded}}"
"""

ALL_SUBMODULES = """
import importlib, pkgutil, rnn_core
for mod in pkgutil.walk_packages(rnn_core.__path__, "rnn_core."):
    importlib.import_module(mod.name)
"""


@pytest.mark.parametrize("imports", ["import rnn_core", ALL_SUBMODULES], ids=["package", "every-submodule"])
def test_rnn_core_imports_no_app_libraries(imports):
    code = CHECK.format(imports=imports, forbidden=FORBIDDEN)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
