"""The pure document modules import the standard library and their one library only."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.allocation.test_allocation_imports import imported_modules

ROOT = Path(__file__).resolve().parents[2]
PURE_MODULES = {"svg.py": {"markupsafe"}, "spreadsheets.py": {"openpyxl"}}


@pytest.mark.parametrize(("filename", "third_party"), PURE_MODULES.items())
def test_pure_modules_import_no_web_or_database_code(filename: str, third_party: set[str]
                                                      ) -> None:
    path = ROOT / "app" / "documents" / filename
    for name in imported_modules(path):
        top = name.split(".")[0]
        assert top in sys.stdlib_module_names | {"__future__"} | third_party, (
            f"{filename} imports {name}")
