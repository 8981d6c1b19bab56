"""Print every claim test as a Markdown table: page · claim · test · settings covered.

    python tests/claims/list_claims.py

Reads the docstrings of tests/claims/test_*.py (first line: the page and the claim; a line starting
"Checked at:" the settings); runs nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

HERE = Path(__file__).resolve().parent


def claims() -> list[tuple[str, str, str, str]]:
    rows = []
    for path in sorted(HERE.glob("test_*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                doc = ast.get_docstring(node) or ""
                head, _, rest = doc.partition(":")
                settings = next((ln.split(":", 1)[1].strip() for ln in doc.splitlines()
                                 if ln.strip().startswith("Checked at:")), "")
                claim = " ".join(rest.split("Checked at:")[0].split())
                rows.append((head.strip(), claim, f"{path.name}::{node.name}", settings))
    return rows


def main() -> None:
    print("| page | claim | test | settings covered |\n|---|---|---|---|")
    for row in claims():
        print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")


if __name__ == "__main__":
    main()
