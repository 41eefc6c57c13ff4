"""The shape of the code (ARCHITECTURE.md, principles 9 and 12), read from the source with ast.

- No import cycle in eage/, payroll/, accounting/: every import counts, module-level and
  function-level alike (function-level imports are where cycles hid), except the ones under
  `if TYPE_CHECKING:`, which never run.
- One direction of flow in the domain: accounting/ never imports payroll/; payroll/ uses
  accounting.money and nothing else of accounting/.
- No function longer than 80 lines (decorators to last line).
- Every rounding is named: `quantize` with its rounding mode, never the built-in round()."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("eage", "payroll", "accounting")
NOT_MODULES = ("eage/migrations",)  # Alembic's env.py and revisions are run by path
MAX_FUNCTION_LINES = 80


def _module_files() -> dict[str, Path]:
    """Dotted module name → file, for every module of the three packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative.as_posix().startswith(NOT_MODULES):
                continue
            parts = relative.with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _is_type_checking(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under `node`, at any depth, but those only run by type checkers."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif isinstance(child, ast.If) and _is_type_checking(child):
            yield from _imports(ast.Module(body=child.orelse, type_ignores=[]))
        else:
            yield from _imports(child)


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of `name` that is one of our modules."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in modules:
            return ".".join(parts[:end])
    return None


def _targets(module: str, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> set[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            is_package = modules[module].name == "__init__.py"
            anchor = module.split(".")[: len(module.split(".")) - node.level + is_package]
            base = ".".join([*anchor, base] if base else anchor)
        names = [f"{base}.{alias.name}" for alias in node.names]
    return {t for t in (_known(n, modules) for n in names) if t is not None and t != module}


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of ours it imports."""
    modules = _module_files()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[module] = set()
        for node in _imports(tree):
            graph[module] |= _targets(module, node, modules)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


@dataclass(frozen=True)
class Function:
    path: str
    line: int
    name: str
    lines: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.name} ({self.lines} lines)"


def functions() -> Iterator[Function]:
    for path in _module_files().values():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lines = (node.end_lineno or node.lineno) - first + 1
                yield Function(path.relative_to(ROOT).as_posix(), node.lineno, node.name, lines)


def test_the_graph_sees_function_level_imports() -> None:
    graph = import_graph()
    assert "eage.extensions" in graph["eage"]  # module level
    assert "accounting.money" in graph["payroll.compute"]
    assert all(target in graph for targets in graph.values() for target in targets)


def test_cycles_are_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


# …and the typesetting door both domains' documents go through (Typst → PDF, issue 17),
# which knows no document of either.
PAYROLL_MAY_USE = {
    "accounting.money",
    "accounting.formats",
    "accounting.months",
    "accounting.typst_pdf",
}


def test_the_domain_flows_one_way() -> None:
    """Principle 9: accounting/ never imports payroll/; payroll/ uses only accounting's shared
    values: money, the French formats, the month type and the Typst typesetting door."""
    wrong = [
        (module, target)
        for module, targets in import_graph().items()
        for target in sorted(targets)
        if (module.startswith("accounting") and target.startswith("payroll"))
        or (
            module.startswith("payroll")
            and target.startswith("accounting")
            and target not in PAYROLL_MAY_USE
        )
    ]
    assert wrong == []


def test_no_function_over_80_lines() -> None:
    long = [str(f) for f in functions() if f.lines > MAX_FUNCTION_LINES]
    assert long == []


def _unnamed_roundings() -> Iterator[str]:
    for path in _module_files().values():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            line = getattr(node, "lineno", None)
            if line is not None and "# float-ok" in lines[line - 1]:
                continue  # a float that is not money (a chart's axis), said on its line
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "quantize"
                and len(node.args) < 2
                and not any(k.arg == "rounding" for k in node.keywords)
            ):
                yield f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "round"
            ):
                yield f"{path.relative_to(ROOT).as_posix()}:{node.lineno} round()"


def test_every_rounding_is_named() -> None:
    """ARCHITECTURE §3: `quantize` always says its rounding mode (ROUND_HALF_UP at the points
    SPEC names, another mode only with its reason); never the built-in round()."""
    assert list(_unnamed_roundings()) == []
