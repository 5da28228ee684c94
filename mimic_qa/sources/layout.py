"""The file layout of a MIMIC-IV release directory, as PhysioNet ships it.

A release root holds ``hosp/<table>.csv.gz`` and ``icu/<table>.csv.gz`` (or uncompressed ``.csv``),
plus ``SHA256SUMS.txt`` and ``LICENSE.txt``. ``wget -r`` leaves it nested under
``physionet.org/files/mimiciv/<version>/``; that nesting is found automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mimic_qa.errors import UsageError
from mimic_qa.spec import Spec

MODULES = ("hosp", "icu")
SUFFIXES = (".csv.gz", ".csv")
SYNTH_MARKER = "mimic-qa-synthetic.json"  # release file written by `mimic-qa synth`
DEMO_SUBJECTS = "demo_subject_id.csv"  # present only in the demo release


@dataclass(frozen=True)
class TableFile:
    table: str
    path: Path
    relative: str  # as listed in SHA256SUMS.txt, e.g. "hosp/admissions.csv.gz"

    @property
    def compressed(self) -> bool:
        return self.path.name.endswith(".gz")


def find_release_root(path: Path) -> Path:
    """The directory holding ``hosp/`` and ``icu/``: ``path`` itself or the one ``wget -r`` nested inside it."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise UsageError(f"{path}: neither a release folder nor a DuckDB database (a file without DuckDB's "
                         "signature; give a folder holding hosp/ and icu/, a .duckdb file or a postgresql:// URL)")
    if any((path / m).is_dir() for m in MODULES):
        return path
    nested = sorted(p.parent for m in MODULES for p in path.glob(f"**/{m}") if p.is_dir())
    if not nested:
        raise UsageError(f"{path}: no hosp/ or icu/ folder found (is this a MIMIC-IV download?)")
    roots = sorted(set(nested), key=lambda p: (len(p.parts), str(p)))
    return roots[0]


def table_files(root: Path, spec: Spec) -> dict[str, TableFile]:
    """The spec's tables found under ``root``; a ``.csv.gz`` wins over a ``.csv`` of the same table."""
    found: dict[str, TableFile] = {}
    for name, table in spec.tables.items():
        for suffix in SUFFIXES:
            rel = f"{table.module}/{name}{suffix}"
            if (root / rel).is_file():
                found[name] = TableFile(name, root / rel, rel)
                break
    return found


def unexpected_files(root: Path, spec: Spec) -> list[str]:
    """Data files under hosp/ and icu/ that the spec does not define (relative paths, sorted)."""
    expected = {f"{t.module}/{n}{s}" for n, t in spec.tables.items() for s in SUFFIXES}
    out = []
    for module in MODULES:
        folder = root / module
        if folder.is_dir():
            out += [f"{module}/{p.name}" for p in folder.iterdir() if p.is_file() and f"{module}/{p.name}" not in expected]
    return sorted(out)
