"""The layering rules, checked on the source: no import cycles between Siaga's parts, SQL only
in the store, and a core that knows no web or database framework.

Each finding names the importing file and line. The checker reads imports with `ast` (no
module is imported), including imports inside functions.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "siaga"

FRAMEWORKS = ("sqlalchemy", "fastapi", "starlette", "jinja2", "weasyprint")
OUTER = ("siaga.store", "siaga.services", "siaga.api", "siaga.web")
CORE = ("briefing", "cases", "detect", "risk", "events", "participation", "regions", "maps",
        "domain", "readiness")


@dataclass(frozen=True)
class Import:
    """One import statement: the file and line it is on and the module it names."""

    path: Path
    line: int
    module: str

    def where(self, root: Path) -> str:
        """Return 'file:line imports module', the file relative to the package's parent."""
        return f"{self.path.relative_to(root.parent)}:{self.line} imports {self.module}"


def module_name(path: Path, root: Path) -> str:
    """Return the dotted module name of a file under the package folder `root`."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> Iterator[Import]:
    """Yield every import in a file, relative ones resolved to absolute module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module_name(path, root).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            yield Import(path, node.lineno, base)
            for alias in node.names:  # `from siaga.store import schema` names a module too
                yield Import(path, node.lineno, f"{base}.{alias.name}")


def all_imports(root: Path) -> list[Import]:
    """Return the imports of every Python file under `root`."""
    return [i for path in sorted(root.rglob("*.py")) for i in imports_of(path, root)]


def _once_per_line(found: list[Import], root: Path) -> list[str]:
    """Return each finding as text, one per file and line (`from a import b` names a and a.b)."""
    kept: dict[tuple[Path, int], Import] = {}
    for item in found:
        kept.setdefault((item.path, item.line), item)
    return [i.where(root) for i in kept.values()]


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def node_of(module: str, root: Path) -> str | None:
    """Return the part of the package a module belongs to (its top-level subpackage or
    module), or None for a module outside the package."""
    parts = module.split(".")
    if parts[0] != root.name or len(parts) < 2:
        return None
    return parts[1]


def part_cycles(imports: list[Import], root: Path) -> list[str]:
    """Return one line per import cycle between the package's parts, with the imports that
    close it (file and line)."""
    edges: dict[str, dict[str, Import]] = {}
    for item in imports:
        source = node_of(module_name(item.path, root), root)
        target = node_of(item.module, root)
        if source is None or target is None or source == target:
            continue
        if (root / target).is_dir() or (root / f"{target}.py").is_file():
            edges.setdefault(source, {}).setdefault(target, item)
    found: list[str] = []
    seen: set[frozenset[str]] = set()
    for start in sorted(edges):
        for path in _paths_back(edges, start):
            key = frozenset(path)
            if key in seen:
                continue
            seen.add(key)
            steps = [edges[a][b].where(root) for a, b in zip(path, path[1:] + path[:1],
                                                                strict=True)]
            found.append(" -> ".join([*path, path[0]]) + ": " + "; ".join(steps))
    return found


def _paths_back(edges: dict[str, dict[str, Import]], start: str) -> Iterator[list[str]]:
    """Yield the simple paths from `start` that lead back to it."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    while stack:
        node, path = stack.pop()
        for nxt in sorted(edges.get(node, {})):
            if nxt == start:
                yield path
            elif nxt not in path and nxt > start:  # each cycle once, from its smallest part
                stack.append((nxt, [*path, nxt]))


def sql_outside_store(imports: list[Import], root: Path) -> list[str]:
    """Return the imports of sqlalchemy or the store's schema made outside the store."""
    store = root / "store"
    return _once_per_line([i for i in imports if not i.path.is_relative_to(store) and (
        _within(i.module, "sqlalchemy") or _within(i.module, f"{root.name}.store.schema"))], root)


def core_leaks(imports: list[Import], root: Path, core: tuple[str, ...] = CORE) -> list[str]:
    """Return the imports of frameworks or outer layers made by the core packages."""
    outer = tuple(o.replace("siaga", root.name, 1) for o in OUTER)
    found = []
    for item in imports:
        part = node_of(module_name(item.path, root), root)
        if part in core and any(_within(item.module, f) for f in (*FRAMEWORKS, *outer)):
            found.append(item)
    return _once_per_line(found, root)


# The checks on Siaga itself.

IMPORTS = all_imports(ROOT)


def test_no_import_cycle_between_parts() -> None:
    cycles = part_cycles(IMPORTS, ROOT)
    assert not cycles, "import cycles between parts of siaga:\n" + "\n".join(cycles)


def test_only_the_store_speaks_sql() -> None:
    found = sql_outside_store(IMPORTS, ROOT)
    assert not found, "sqlalchemy or store.schema outside siaga/store:\n" + "\n".join(found)


def test_yaml_is_read_in_one_place() -> None:
    # Rules files, lexicons and source mappings all go through the one reader, whose errors
    # name the file and the line.
    found = [i.where(ROOT) for i in IMPORTS if _within(i.module, "yaml")
             and i.path.relative_to(ROOT).as_posix() != "datafiles/rules_yaml.py"]
    assert not found, "YAML read outside siaga/datafiles/rules_yaml.py:\n" + "\n".join(found)


def test_the_core_imports_no_framework_nor_outer_layer() -> None:
    found = core_leaks(IMPORTS, ROOT)
    assert not found, "the core reaches out:\n" + "\n".join(found)


# The checker on a package made up for the purpose: it must find what is wrong there.

def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@pytest.fixture
def fake(tmp_path: Path) -> Path:
    root = tmp_path / "fakepkg"
    _write(root, {
        "__init__.py": "",
        "domain/__init__.py": "",
        "domain/model.py": "from fakepkg.services.use import run\n",
        "services/__init__.py": "",
        "services/use.py": "import os\n\nfrom fakepkg.domain import model\n",
        "store/__init__.py": "",
        "store/schema.py": "import sqlalchemy\n",
        "cases/__init__.py": "",
        "cases/pack.py": "import json\n\n\ndef f():\n    from jinja2 import Template\n",
        "cases/flow.py": "from ..store import schema\n",
        "maps.py": "import math\n",
    })
    return root


def test_the_checker_reports_a_cycle_with_file_and_line(fake: Path) -> None:
    cycles = part_cycles(all_imports(fake), fake)
    assert len(cycles) == 1
    assert cycles[0].startswith("domain -> services -> domain")
    assert "fakepkg/domain/model.py:1 imports fakepkg.services.use" in cycles[0]
    assert "fakepkg/services/use.py:3 imports fakepkg.domain" in cycles[0]


def test_the_checker_reports_sql_and_framework_imports(fake: Path) -> None:
    imports = all_imports(fake)
    sql = sql_outside_store(imports, fake)
    assert sql == ["fakepkg/cases/flow.py:1 imports fakepkg.store.schema"]  # not the store's own
    leaks = core_leaks(imports, fake)
    assert "fakepkg/cases/pack.py:5 imports jinja2" in leaks
    assert "fakepkg/cases/flow.py:1 imports fakepkg.store" in leaks
    assert "fakepkg/domain/model.py:1 imports fakepkg.services.use" in leaks
    assert not any("store/schema.py" in x for x in [*sql, *leaks])  # the store may use SQL


def test_a_clean_package_passes(tmp_path: Path) -> None:
    root = tmp_path / "cleanpkg"
    _write(root, {"__init__.py": "", "domain/__init__.py": "", "domain/a.py": "import os\n",
                  "services/__init__.py": "", "services/b.py": "from cleanpkg.domain import a\n"})
    imports = all_imports(root)
    assert part_cycles(imports, root) == []
    assert sql_outside_store(imports, root) == []
    assert core_leaks(imports, root) == []


# Use cases return typed results: no public service function, and no public method of the
# application's method groups, is annotated to return `Any` or a container of it (such as
# `dict[str, Any]` or `list[dict[str, Any]]`). TypedDicts, dataclasses and models are fine.

GROUP_BASES = ("Concern",)  # the application's method groups derive from it
APPLICATION_OBJECT = "Siaga"


def _loose(annotation: ast.expr | None) -> bool:
    """Return whether a return annotation names `Any` anywhere (bare, or inside a container);
    a quoted annotation is read too."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        annotation = ast.parse(annotation.value, mode="eval").body
    return annotation is not None and any(
        (isinstance(n, ast.Name) and n.id == "Any")
        or (isinstance(n, ast.Attribute) and n.attr == "Any") for n in ast.walk(annotation))


Function = ast.FunctionDef | ast.AsyncFunctionDef


def _public(nodes: list[ast.stmt]) -> Iterator[Function]:
    for node in nodes:
        if isinstance(node, Function) and not node.name.startswith("_"):
            yield node


def _use_cases(tree: ast.Module, with_groups: bool) -> Iterator[Function]:
    """Yield the module's public functions and, with `with_groups`, the public methods of its
    method groups (classes deriving from Concern) and of the application object."""
    yield from _public(tree.body)
    for node in tree.body:
        if with_groups and isinstance(node, ast.ClassDef) and (
                node.name == APPLICATION_OBJECT or any(
                    isinstance(b, ast.Name) and b.id in GROUP_BASES for b in node.bases)):
            yield from _public(node.body)


def untyped_results(root: Path) -> list[str]:
    """Return 'file:line name -> annotation' for each use case returning `Any` or a dict of it."""
    found = []
    for folder, with_groups in (("services", False), ("application", True)):
        for path in sorted((root / folder).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for func in _use_cases(tree, with_groups):
                if _loose(func.returns):
                    assert func.returns is not None
                    found.append(f"{path.relative_to(root.parent)}:{func.lineno} {func.name} "
                                 f"-> {ast.unparse(func.returns)}")
    return found


def test_use_cases_return_typed_results() -> None:
    found = untyped_results(ROOT)
    assert not found, "use cases returning untyped values:\n" + "\n".join(found)


def test_the_result_checker_catches_an_untyped_use_case(tmp_path: Path) -> None:
    root = tmp_path / "typedpkg"
    _write(root, {
        "services/rows.py": (
            "from typing import Any, TypedDict\n\n\nclass Row(TypedDict):\n    code: str\n\n\n"
            "def rows() -> list[dict[str, Any]]:\n    return []\n\n\n"
            "def typed() -> list[Row]:\n    return []\n\n\n"
            "def _helper() -> Any:\n    return None\n\n\n"
            "def one() -> 'dict[str, Any] | None':\n    return None\n"),
        "application/group.py": (
            "from typing import Any\n\n\nclass Concern:\n    pass\n\n\n"
            "class Things(Concern):\n    def find(self) -> Any:\n        return None\n\n"
            "    def count(self) -> int:\n        return 0\n\n\n"
            "class View:\n    def to_dict(self) -> dict[str, Any]:\n        return {}\n"),
    })
    # Caught: a dict of Any in a list, a quoted one, a method group's Any. Not caught: the
    # TypedDict, the private helper, the plain class's to_dict (the JSON edge).
    assert untyped_results(root) == [
        "typedpkg/services/rows.py:8 rows -> list[dict[str, Any]]",
        "typedpkg/services/rows.py:20 one -> 'dict[str, Any] | None'",
        "typedpkg/application/group.py:9 find -> Any",
    ]
