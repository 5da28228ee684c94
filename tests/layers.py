"""The package's structure, read from its source with ``ast`` (nothing imported): the import graph (imports
inside functions included), its cycles, and the counts the source-layer refactor set out to bring down.

    python tests/layers.py [PACKAGE_DIR]      # default: mimic_qa/ of this checkout

Used by tests/test_layers.py; run it on another checkout's ``mimic_qa/`` to compare trees.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "mimic_qa"
KIND_NAMES = ("files.unexpected", "sha256sums.listed", "file.present", "file.readable", "file.sha256", "columns",
              "header_case", "type", "not_null", "empty_string", "max_length", "pk", "unique", "fk", "identity",
              "domain", "rule", "row_count")
GENERIC = {"columns", "type", "rule", "domain", "unique"}  # kind names that are also everyday keys and words
# check ids written by hand: "<module>.<table>.<kind>[.<name>]", or an f-string of that shape
_ID_PIECE = re.compile(r"^[\w{}]+\.[\w{}]+\.(" + "|".join(re.escape(k) for k in KIND_NAMES) + r")(\.|$)")
RELEASE_OR_MODULE = re.compile(r"^(3\.1|demo-2\.2|3\.0|2\.2|hosp|icu|mimiciv_(hosp|icu|ed|note))$")


@dataclass
class Tree:
    """What the source says: modules, their imports (module-level and inside functions), and literals."""

    root: Path
    imports: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    inner_imports: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    literals: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    functions: dict[str, list[tuple[str, set[str]]]] = field(default_factory=lambda: defaultdict(list))

    @property
    def modules(self) -> list[str]:
        return sorted(self.literals)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(name: str, known: set[str]) -> str | None:
    """The package module an import names (``from mimic_qa.x import y``: ``mimic_qa.x.y`` if a module, else x)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def read_tree(root: Path) -> Tree:
    tree = Tree(root)
    files = {module_name(root, p): p for p in root.rglob("*.py")}
    known = set(files)
    for mod, path in files.items():
        parsed = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(parsed) | {id(k) for n in ast.walk(parsed) if isinstance(n, ast.Dict) for k in n.keys
                                      if k is not None}  # dict keys name fields of outputs, not kinds
        tree.literals[mod] = []
        for node in ast.walk(parsed):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                tree.literals[mod].append(node.value)
            if isinstance(node, ast.JoinedStr):
                tree.literals[mod].append("".join(v.value if isinstance(v, ast.Constant) else "{}"
                                                  for v in node.values))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                names |= {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
                tree.functions[mod].append((node.name, names))
        top = set(id(n) for n in parsed.body)
        for node in ast.walk(parsed):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level:
                base = mod.split(".")[: len(mod.split(".")) - node.level + (path.name == "__init__.py")]
                targets = [".".join([*base, *(node.module or "").split(".")]).strip(".") + f".{a.name}"
                           for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                if not target.startswith(PACKAGE):
                    continue
                found = _resolve(target, known)
                if found and found != mod:
                    tree.imports[mod].add(found)
                    if id(node) not in top and not _under_type_checking(parsed, node):
                        tree.inner_imports[mod].add(found)
    return tree


def _under_type_checking(parsed: ast.Module, node: ast.AST) -> bool:
    for top in parsed.body:
        if isinstance(top, ast.If) and "TYPE_CHECKING" in ast.unparse(top.test) and node in list(ast.walk(top)):
            return True
    return False


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def package_of(module: str) -> str:
    """The layer a module belongs to: its first subpackage (``mimic_qa.checks.kinds.fk`` -> ``checks``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def package_graph(tree: Tree) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for mod, targets in tree.imports.items():
        for t in targets:
            if package_of(mod) != package_of(t):
                graph[package_of(mod)].add(package_of(t))
    return graph


def counts(tree: Tree) -> dict[str, object]:
    """The figures the source-layer issue asks for, from the tree."""
    code = {m: lits for m, lits in tree.literals.items()}
    read_csv = sorted(m for m, lits in code.items() if any("read_csv(" in s for s in lits))
    dispatchers = sorted(f"{m}.{f}" for m, fns in tree.functions.items() for f, names in fns
                         if "is_duckdb_file" in names and f != "is_duckdb_file")
    naming = sorted(m for m, lits in code.items() if any(RELEASE_OR_MODULE.match(s) for s in lits))
    kinds_outside = sorted(m for m, lits in code.items() if ".checks.kinds" not in m
                           and any((s in KIND_NAMES and s not in GENERIC) or _ID_PIECE.search(s) for s in lits))
    return {
        "source dispatchers (functions deciding what a SOURCE is)": dispatchers,
        "read_csv builders (modules writing a read_csv call)": read_csv,
        "modules naming a release key or a module in code": naming,
        "modules with a kind name or a hand-built check id outside checks/kinds": kinds_outside,
        "import cycles between modules (inner imports included)": cycles(tree.imports),
        "import cycles between packages (inner imports included)": cycles(package_graph(tree)),
        "imports inside functions (module -> package module)":
            sorted(f"{m} -> {t}" for m, ts in tree.inner_imports.items() for t in ts),
    }


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / PACKAGE
    for label, value in counts(read_tree(root)).items():
        items = value if isinstance(value, list) else [value]
        print(f"{label}: {len(items)}")
        for item in items:
            print(f"    {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
