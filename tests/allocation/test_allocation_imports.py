"""The allocation engine stays pure: standard library and OR-Tools only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "app" / "allocation"
ALLOWED_THIRD_PARTY = {"ortools"}


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules a source file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            names.add(node.module or "")
    return names


def test_engine_imports_only_the_standard_library_ortools_and_itself() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert modules, "no modules found"
    for path in modules:
        for name in imported_modules(path):
            top = name.split(".")[0]
            allowed = (
                top in sys.stdlib_module_names
                or top == "__future__"
                or top in ALLOWED_THIRD_PARTY
                or name == "app.allocation"
                or name.startswith("app.allocation.")
            )
            assert allowed, f"{path.relative_to(ROOT)} imports {name}"


def test_import_linter_contract_is_kept(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
