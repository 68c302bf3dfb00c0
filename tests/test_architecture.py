"""The package's shape: layers that import only downwards, no import cycle (imports inside
functions counted), a library that never talks to the terminal, and SQL only where records are
queried (the store, rules, the duty engine, reports): never in the CLI, the domain or history."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "aimama_cli"

# Each layer may import itself and the layers before it, never one after it (docs/architecture.md).
LAYERS = ("messages", "core", "store", "model", "rules", "domain", "history", "reports", "cli")
ENTRY_POINTS = {"aimama_cli", "aimama_cli.__main__", "aimama_cli.entry"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _type_checking_only(node, parents) -> bool:
    return any(isinstance(p, ast.If) and "TYPE_CHECKING" in ast.unparse(p.test) for p in parents)


def _imports(name: str, path: Path, modules: dict) -> set[str]:
    """The aimama_cli modules ``name`` imports, wherever the import statement stands."""
    is_package = path.name == "__init__.py"
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents: dict = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    def chain(node):
        while node in parents:
            node = parents[node]
            yield node

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            targets = [f"{target}.{a.name}" if f"{target}.{a.name}" in modules else target
                       for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        if _type_checking_only(node, chain(node)):
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter[0]
                    counter[0] += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph[succ]))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def _layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    assert _cycles(_graph()) == []


def test_every_module_lives_in_a_layer():
    stray = [name for name in _modules() if name not in ENTRY_POINTS and _layer(name) is None]
    assert stray == []


def test_layers_import_only_downwards():
    wrong = []
    for name, targets in _graph().items():
        layer = _layer(name)
        if layer is None:
            continue
        for target in targets:
            other = _layer(target)
            if other and LAYERS.index(other) > LAYERS.index(layer):
                wrong.append(f"{name} -> {target}")
    assert sorted(wrong) == []


def test_the_library_never_touches_the_terminal():
    """typer and click live in cli/ only; the library returns values and raises errors, and
    never reads or writes the terminal itself."""
    offenders = []
    for name, path in _modules().items():
        if _layer(name) == "cli" or name in ENTRY_POINTS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if any(n.split(".")[0] in ("typer", "click") for n in names):
                    offenders.append(f"{name}: imports {names}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("print", "input"):
                offenders.append(f"{name}:{node.lineno}: {node.func.id}()")
            elif (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr", "stdin")
                  and isinstance(node.value, ast.Name) and node.value.id == "sys"):
                offenders.append(f"{name}:{node.lineno}: sys.{node.attr}")
    assert offenders == []


def test_sql_stays_where_the_records_are_queried():
    """The index's tables are known to the store (its query API), the rules (repository rules are
    queries), the duty engine and the reports' tallies; commands, the domain and history ask the
    query API."""
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b|\.execute\(|\.executemany\(")
    offenders = [f"{path.relative_to(PACKAGE)}:{n}"
                 for layer in ("cli", "domain", "history", "core", "messages")
                 for path in (PACKAGE / layer).rglob("*.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if sql.search(line)]
    assert offenders == []


def test_rule_modules_are_not_a_helper_library():
    """What rules and commands share lives in model/ (or core/, store/): outside rules/, only the
    package (its registry and FILE_CHECKS) and the checker are imported, never a rule module."""
    allowed = {"aimama_cli.rules", "aimama_cli.rules.checker"}
    borrowed = sorted(f"{name} -> {target}" for name, targets in _graph().items() if _layer(name) != "rules"
                      for target in targets if _layer(target) == "rules" and target not in allowed)
    assert borrowed == []
