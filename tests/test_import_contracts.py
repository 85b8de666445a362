"""Our own import-linter contract (scripts/importlinter_contracts.py): no app imports another app's private names."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _contracts() -> ModuleType:
    spec = importlib.util.spec_from_file_location("importlinter_contracts", ROOT / "scripts/importlinter_contracts.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    """A throwaway package `town` with two apps, on sys.path for grimp and importlib."""
    root = tmp_path / "town"
    for folder in (root, root / "parks", root / "roads", root / "roads" / "commands"):
        folder.mkdir()
        (folder / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp_path))
    yield root
    sys.path.remove(str(tmp_path))
    for name in [name for name in sys.modules if name == "town" or name.startswith("town.")]:
        del sys.modules[name]


def _write(path: Path, text: str) -> None:
    path.write_text(textwrap.dedent(text))


def test_importing_another_apps_private_name_or_module_breaks_the_contract(package: Path) -> None:
    _write(package / "roads" / "services.py", "def _gritting():\n    pass\n\ndef gritting():\n    pass\n")
    _write(package / "roads" / "commands" / "_console.py", "x = 1\n")
    _write(
        package / "parks" / "views.py",
        """
        from town.roads.services import gritting
        from town.roads.services import (
            _gritting,
        )
        from town.roads.commands._console import x


        def later():
            from town.roads import services as s
            from town.roads.services import _gritting as g
            return s, g
        """,
    )
    found = _contracts().private_imports(grimp.build_graph("town"), "town")
    assert sorted((item.importer, item.line_number, item.imported) for item in found) == [
        ("town.parks.views", 3, "town.roads.services:_gritting"),
        ("town.parks.views", 6, "town.roads.commands._console:_console"),
        ("town.parks.views", 11, "town.roads.services:_gritting"),
    ]


def test_an_apps_own_private_names_and_relative_imports_are_fine(package: Path) -> None:
    _write(package / "roads" / "services.py", "def _gritting():\n    pass\n\n__all__ = ['_gritting']\n")
    own = "from town.roads.services import _gritting\nfrom .services import _gritting as g\n"
    _write(package / "roads" / "views.py", own)
    _write(package / "parks" / "views.py", "from town.roads import services\nfrom town.roads.services import __all__\n")
    assert _contracts().private_imports(grimp.build_graph("town"), "town") == []
