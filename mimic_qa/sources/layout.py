"""The file layout of a download, as PhysioNet ships it: a release root per project.

A root holds its project's module folders (``hosp/<table>.csv.gz``, ``icu/...``; the ED project ``ed/``, the Note
project ``note/``; uncompressed ``.csv`` too), plus ``SHA256SUMS.txt`` and ``LICENSE.txt``. ``wget -r`` leaves it
nested under ``physionet.org/files/<project>/<version>/``; that nesting is found automatically, and one folder may
hold several projects' roots, or one root holding several projects' module folders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mimic_qa.errors import UsageError
from mimic_qa.spec import Spec

SUFFIXES = (".csv.gz", ".csv")
SYNTH_MARKER = "mimic-qa-synthetic.json"  # release file written by `mimic-qa synth`


@dataclass(frozen=True)
class TableFile:
    table: str
    path: Path
    relative: str  # as listed in its root's SHA256SUMS.txt, e.g. "hosp/admissions.csv.gz"
    root: Path

    @property
    def compressed(self) -> bool:
        return self.path.name.endswith(".gz")


@dataclass(frozen=True)
class Root:
    """One release root: the folder holding module folders (and, from PhysioNet, its SHA256SUMS.txt)."""

    path: Path
    modules: tuple[str, ...]  # the spec modules whose folders it holds, in spec order


def _modules_in(path: Path, spec: Spec) -> tuple[str, ...]:
    return tuple(m for m in spec.modules if (path / m).is_dir())


def find_roots(path: Path, spec: Spec) -> list[Root]:
    """The release roots in ``path``: ``path`` itself when it holds module folders, else the roots nested in it
    (the shallowest per module; a module found in two roots is ambiguous)."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise UsageError(f"{path}: neither a release folder nor a DuckDB database (a file without DuckDB's "
                         "signature; give a folder holding the module folders, a .duckdb file or a postgresql:// URL)")
    here = _modules_in(path, spec)
    if here:
        return [Root(path, here)]
    nested = sorted({p.parent for m in spec.modules for p in path.glob(f"**/{m}") if p.is_dir()},
                    key=lambda p: (len(p.parts), str(p)))
    roots: list[Root] = []
    for candidate in nested:
        if any(r.path in candidate.parents for r in roots):
            continue  # a folder inside a root found already (e.g. a module's own subfolder)
        roots.append(Root(candidate, _modules_in(candidate, spec)))
    if not roots:
        folders = "/, ".join(spec.modules)
        raise UsageError(f"{path}: no {folders}/ folder found (is this a MIMIC-IV download?)")
    for module in spec.modules:
        holding = [r.path for r in roots if module in r.modules]
        if len(holding) > 1:
            raise UsageError(f"{path}: {module}/ found in {len(holding)} places ({', '.join(map(str, holding[:3]))}); "
                             "give the release folder you mean")
    return roots


def table_files(roots: list[Root], spec: Spec) -> dict[str, TableFile]:
    """The spec's tables found in the roots; a ``.csv.gz`` wins over a ``.csv`` of the same table."""
    found: dict[str, TableFile] = {}
    for root in roots:
        for name, table in spec.tables.items():
            if table.module not in root.modules:
                continue
            for suffix in SUFFIXES:
                rel = f"{table.module}/{name}{suffix}"
                if (root.path / rel).is_file():
                    found[name] = TableFile(name, root.path / rel, rel, root.path)
                    break
    return found


def unexpected_files(root: Root, spec: Spec) -> list[str]:
    """Data files in the root's module folders that the spec does not define (relative paths, sorted)."""
    expected = {f"{t.module}/{n}{s}" for n, t in spec.tables.items() for s in SUFFIXES}
    out = []
    for module in root.modules:
        out += [f"{module}/{p.name}" for p in (root.path / module).iterdir()
                if p.is_file() and f"{module}/{p.name}" not in expected]
    return sorted(out)
