"""Import-linter contracts of our own, named in `.importlinter` under `contract_types`.

`private_names`: no app imports another app's private names: a name or module starting with one underscore
(`from saferhomes.cases.services.record import _inspect_upload`, `saferhomes.housing.management.commands._console`).
An app's private helpers may change without notice; what other apps need is made public where it lives. Lazy imports
inside functions count too. "App" is the second part of the module path (saferhomes.<app>...).
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


@dataclass(frozen=True)
class PrivateImport:
    importer: str
    line_number: int
    imported: str


def _is_private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def _app(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def _source(module: str) -> Path | None:
    """The module's file, found without importing it (or its package: an app's __init__ may need Django set up)."""
    root, *rest = module.split(".")
    spec = importlib.util.find_spec(root)
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations))).joinpath(*rest)
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _resolve(importer: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def private_imports(graph: ImportGraph, root: str) -> list[PrivateImport]:
    """Every import in `root` of another app's private name or module, with where it is."""
    found: list[PrivateImport] = []
    for importer in sorted(graph.modules):
        if not importer.startswith(root + "."):
            continue
        path = _source(importer)
        if path is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            targets: list[tuple[str, list[str]]] = []
            if isinstance(node, ast.ImportFrom):
                module = _resolve(importer, node, is_package)
                targets.append((module, [alias.name for alias in node.names]))
            elif isinstance(node, ast.Import):
                targets.extend((alias.name, []) for alias in node.names)
            for module, names in targets:
                if not module.startswith(root + ".") or _app(module) == _app(importer):
                    continue
                private_parts = [part for part in module.split(".") if _is_private(part)]
                private_names = [name for name in names if _is_private(name)]
                for private in [*private_parts, *private_names]:
                    found.append(PrivateImport(importer, node.lineno, f"{module}:{private}"))
    return found


class PrivateNamesContract(Contract):
    """No module imports a private name or module (one leading underscore) of another app."""

    root = fields.StringField()

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        found = private_imports(graph, str(self.root))
        return ContractCheck(kept=not found, metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["found"]:
            output.print_error(f"{item.importer}:{item.line_number} imports {item.imported}, private to its app")
            output.new_line()
