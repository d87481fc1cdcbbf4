"""The package's shape: layers that import only downwards, no cycles, no imports hidden
in functions, and a linted tree. A wrong-way import fails here, not in review."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "planner"
LINT_IMPORTS = ("import sys; from importlinter.cli import lint_imports; "
                "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))")


def test_every_import_runs_down_the_layers_and_none_makes_a_cycle():
    # the contracts are in pyproject.toml: layers of the package and of `solve`, no cycles;
    # in a process of its own, as import-linter configures logging for the process
    done = subprocess.run([sys.executable, "-c", LINT_IMPORTS], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _imports_inside_functions(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            names = ([inner.module or ""] if isinstance(inner, ast.ImportFrom)
                     else [a.name for a in inner.names] if isinstance(inner, ast.Import)
                     else [])
            found += [f"{path.relative_to(root)}:{inner.lineno} {name}"
                      for name in names if name == "planner" or name.startswith("planner.")]
    return found


def test_no_planner_import_hides_inside_a_function_but_in_the_cli():
    hidden = [found for path in sorted(PACKAGE.rglob("*.py")) if path.name != "cli.py"
              for found in _imports_inside_functions(path)]
    assert hidden == []


def test_the_hidden_import_check_finds_one(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import planner\n\n\ndef f():\n    from planner.core import domain\n"
                     "    return domain\n")
    assert _imports_inside_functions(probe, tmp_path) == ["probe.py:5 planner.core"]


def test_the_tree_is_ruff_clean():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "planner", "tests", "bench",
                           "sample_orgs"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
