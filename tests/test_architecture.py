"""The house's rules, read from the source: layers import one way (bot -> agent -> tools/store), no import cycles,
one docstring line opening every module, and no room grown into a hall."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("agent", "bot", "store", "tools")
# What each layer may import of ours. store and tools are the floor: they know nothing of agent or bot.
ALLOWED = {"bot": {"bot", "agent", "tools", "store"}, "agent": {"agent", "tools", "store"},
           "tools": {"tools"}, "store": {"store"}}
MAX_LINES = 650  # a room past this is a hall (the guide says ~600)
# Rooms allowed past MAX_LINES for now, with the line count they must not grow past.
HALLS: dict[str, int] = {}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: module level, try/if bodies, not under TYPE_CHECKING and
    not inside functions (those run later, when the import graph is complete)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(node)
            elif isinstance(node, ast.If) and not _is_type_checking(node):
                walk(node.body)
                walk(node.orelse)
            elif isinstance(node, ast.Try):
                walk(node.body)
                for handler in node.handlers:
                    walk(handler.body)
                walk(node.orelse)
                walk(node.finalbody)

    walk(tree.body)
    return found


def _edges(name: str, path: Path) -> set[str]:
    """Our modules that importing `name` runs first. `from package import x` runs the package's __init__ (and the
    submodule x, when x is one): a room that imports its own package while that package imports the room is the
    cycle this finds."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in _top_level_imports(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            targets = [module]
            targets += [f"{module}.{alias.name}" for alias in node.names if f"{module}.{alias.name}" in MODULES]
        out |= {t for t in targets if t in MODULES and t != name}
    return out


GRAPH = {name: _edges(name, path) for name, path in MODULES.items()}


def test_layers_import_one_way() -> None:
    wrong = [f"{name} imports {target}" for name, targets in GRAPH.items() for target in targets
             if target.split(".")[0] not in ALLOWED[name.split(".")[0]]]
    assert not wrong, wrong


def test_no_import_cycles() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(GRAPH[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_opens_with_a_one_line_docstring(name: str) -> None:
    docstring = ast.get_docstring(ast.parse(MODULES[name].read_text(encoding="utf-8")))
    if MODULES[name].name == "__init__.py" and not MODULES[name].read_text(encoding="utf-8").strip():
        return  # an empty package marker
    assert docstring, f"{name} has no docstring"


def test_no_room_grows_into_a_hall() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    halls = {name: lines for name, lines in sizes.items() if lines > HALLS.get(name, MAX_LINES)}
    assert not halls, f"split these along their concept's seams: {halls}"
