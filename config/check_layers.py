"""`python -m config.check_layers`: fail when an app imports against the layering.

organizations ← members ← reviews ← reports ← demo: an app may import the apps to its left, never
those to its right (STYLE.md, "Shape of the project"). `config` and the tests may import
anything; no app imports `config`. Run by `make lint`.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

LAYERS = ("organizations", "members", "reviews", "reports", "demo")
ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def violations() -> list[str]:
    problems = []
    for rank, app in enumerate(LAYERS):
        forbidden = {*LAYERS[rank + 1 :], "config"}
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, module in imported_modules(path):
                top = module.split(".")[0]
                if top in forbidden:
                    problems.append(f"{path.relative_to(ROOT)}:{line}: {app} imports {module}")
    return problems


def main() -> int:
    problems = violations()
    for problem in problems:
        sys.stdout.write(problem + "\n")
    if problems:
        sys.stdout.write(f"{len(problems)} import(s) against the layering {' ← '.join(LAYERS)}.\n")
        return 1
    sys.stdout.write(f"Layering holds: {' ← '.join(LAYERS)}.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
