"""The package's layering (README, "Layout"): no import cycles, no import hidden in a function to
dodge one, and the core never imports Flask. Read from the source with ``ast``."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rivm_graph"
#: Function-level imports kept on purpose: the command line loads pySHACL, the dump writer,
#: the loader and gunicorn only for the command that needs them (start-up time).
LAZY_ALLOWED = {"rivm_graph.cli"}
#: Where Flask may be imported: the web layer and the server.
FLASK_ALLOWED = ("rivm_graph.web", "rivm_graph.server")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(name: str) -> list[tuple[str, bool]]:
    """(module imported, at module level?) for each import of ``name``."""
    path = MODULES[name]
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    in_functions = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from . import x`` imports the module x when there is one
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        else:
            continue
        found += [(t, id(node) not in in_functions) for t in targets]
    return found


def test_no_import_cycles():
    """Module to module; a package's ``__init__`` is left out (it imports its own modules, and
    importing one of them runs it first: that is not a cycle of meaning)."""
    packages = {n for n, p in MODULES.items() if p.name == "__init__.py"}
    sorter: graphlib.TopologicalSorter = graphlib.TopologicalSorter()
    for name in set(MODULES) - packages:
        sorter.add(name, *(t for t, _ in imports(name) if t in MODULES and t not in packages))
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")


@pytest.mark.parametrize("name", sorted(set(MODULES) - LAZY_ALLOWED))
def test_every_import_is_at_the_top_of_its_module(name):
    hidden = [t for t, top in imports(name) if not top]
    assert hidden == [], f"{name} imports {hidden} inside a function"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if not n.startswith(FLASK_ALLOWED)))
def test_the_core_never_imports_flask(name):
    assert not [t for t, _ in imports(name) if t.split(".")[0] in ("flask", "werkzeug")]
