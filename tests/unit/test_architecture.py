"""The compiler's shape: no import cycles between its modules (lazy imports
inside functions included), nothing imports the driver but the CLI and the
build integration (idlgen.project),
and the runtime never imports the compiler."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPILER = ROOT / "compiler" / "idlgen"
RUNTIME = ROOT / "runtime" / "idlgen_runtime"


def module_of(path: Path, root: Path, package: str) -> str:
    parts = [package, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(root: Path, package: str) -> dict[str, set[str]]:
    modules = {module_of(p, root, package): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                parent_package = name.startswith(target + ".")  # a module of its own package
                if target and target != name and not parent_package:
                    graph[name].add(target)
    return graph


def test_no_import_cycles_in_the_compiler():
    graph = imports(COMPILER, "idlgen")
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_only_the_cli_imports_the_driver():
    graph = imports(COMPILER, "idlgen")
    importers = {m for m, targets in graph.items() if "idlgen.driver" in targets}
    # the edges: the command line, and the build integration (idlgen.project) under it
    assert "idlgen.cli" in importers, importers
    assert all(m == "idlgen.cli" or m.startswith("idlgen.project.") for m in importers), importers
    assert "idlgen.pipeline" in graph["idlgen.backends.xdr_python"]  # what stages share


def test_the_runtime_never_imports_the_compiler():
    graph = imports(RUNTIME, "idlgen_runtime")
    assert not {t for targets in graph.values() for t in targets if t.split(".")[0] == "idlgen"}
    for path in RUNTIME.rglob("*.py"):
        assert "import idlgen\n" not in path.read_text() and "from idlgen " not in path.read_text()
