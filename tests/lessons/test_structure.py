"""The shape of the tree, enforced: one folder per lesson, data flowing one way.

- a recipe imports only NumPy, the standard library, rnn_core and its own lesson's modules;
- figures never load Streamlit (they are pure functions, testable alone);
- a lesson imports lessons.kit and rnn_core but never another lesson; the engine imports no lesson;
- no function outside the engine's numeric kernels is longer than 50 lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.name for p in (ROOT / "lessons").iterdir() if p.is_dir() and p.name not in ("kit", "__pycache__"))
MAX_FUNCTION_LINES = 50
# The engine's cells: one loop over time each way, kept whole so the recursion reads in one place.
KERNELS = {("rnn_core/lstm.py", "_backward"), ("rnn_core/gru.py", "_backward")}


def imported(path: Path) -> set[str]:
    """Every module a file imports, as written (absolute dotted names; relative ones resolved to the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            out.add(".".join(p for p in (base, node.module or "") if p))
    return out


def test_every_lesson_folder_has_a_recipe_figures_and_a_page():
    assert {"home", "unrolled"} <= set(LESSONS)
    for name in LESSONS:
        files = {p.name for p in (ROOT / "lessons" / name).glob("*.py")}
        assert {"recipe.py", "figures.py"} <= files, name
        assert any(f == "page.py" or f.endswith("_page.py") for f in files), name


@pytest.mark.parametrize("lesson", LESSONS)
def test_recipes_import_numpy_the_standard_library_and_rnn_core_only(lesson):
    allowed = set(sys.stdlib_module_names) | {"numpy", "rnn_core", "__future__"}
    for path in (ROOT / "lessons" / lesson).glob("*recipe*.py"):
        for mod in imported(path):
            top = mod.split(".")[0]
            own = mod.startswith(f"lessons.{lesson}.") and "recipe" in mod
            assert top in allowed or own, f"{path.relative_to(ROOT)} imports {mod}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_lesson_never_imports_another_lesson(lesson):
    for path in (ROOT / "lessons" / lesson).glob("*.py"):
        for mod in imported(path):
            if mod.startswith("lessons."):
                assert mod.split(".")[1] in ("kit", "catalog", lesson), f"{path.relative_to(ROOT)} imports {mod}"


def test_the_engine_and_the_kit_import_no_lesson():
    """The engine imports no lesson code at all; the kit may read the catalogue (the lessons' titles and paths,
    for previous/next links) but no lesson's own folder."""
    for path in (ROOT / "rnn_core").rglob("*.py"):
        assert not any(mod.startswith("lessons") for mod in imported(path)), f"{path} imports lesson code"
    for path in (ROOT / "lessons" / "kit").glob("*.py"):
        for mod in imported(path):
            assert not mod.startswith("lessons.") or mod.split(".")[1] in ("kit", "catalog"), f"{path} imports {mod}"


def test_figures_and_recipes_load_no_streamlit():
    mods = [f"lessons.{name}.{p.stem}" for name in LESSONS for p in (ROOT / "lessons" / name).glob("*.py")
            if "figures" in p.stem or "recipe" in p.stem or p.stem == "settings"]
    code = ("import importlib, sys\n"
            f"for m in {mods!r}: importlib.import_module(m)\n"
            "assert 'streamlit' not in sys.modules, sorted(m for m in sys.modules if 'streamlit' in m)[:5]")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def python_files() -> list[Path]:
    skip = {".git", "__pycache__"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.parts) and "site-packages" not in p.parts]


def test_no_function_is_longer_than_fifty_lines():
    long = []
    for path in python_files():
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (rel, node.name) not in KERNELS:
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{rel}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, "\n".join(long)
