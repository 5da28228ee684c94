"""A download as PhysioNet ships it: release roots of csv.gz files, read by DuckDB where they lie.

Each table is a ``read_csv`` relation over its file (the one builder, ``csv_loader.csv_read``), typed from the spec
by the file's own header; queries run on an in-memory DuckDB connection (or a host's). What the roots say about
their release (the synthetic release file of ``mimic-qa synth``, a release's marker file) is read here too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from mimic_qa.errors import UsageError
from mimic_qa.sources.base import Columns, Meta, Source
from mimic_qa.sources.csv_loader import VARCHAR, csv_read, read_header
from mimic_qa.sources.layout import SYNTH_MARKER, Root, TableFile, find_roots, table_files
from mimic_qa.spec import Spec, Table


class FolderSource(Source):
    kind = "release folder"
    engine = "duckdb"
    dialect = "duckdb"

    def __init__(self, spec: Spec, roots: list[Root], host: duckdb.DuckDBPyConnection | None = None):
        super().__init__(spec, ", ".join(str(r.path) for r in roots))
        self.roots = roots
        self.files: dict[str, TableFile] = table_files(roots, spec)
        self.con = host or duckdb.connect()
        self.owned = host is None
        self._headers: dict[str, list[str] | None] = {}

    def header(self, table: Table) -> list[str]:
        """The file's header names; raises ValueError with a one-line reason when it cannot be read."""
        return read_header(self.files[table.name].path)

    def columns(self) -> Columns:
        """Tables whose file is present and has a readable header, with the header's names ("CSV": untyped)."""
        out: Columns = {}
        for name in self.files:
            try:
                out[name] = [(c, "CSV") for c in self.header(self.spec.tables[name])]
            except ValueError:
                continue
        return out

    def modules(self) -> list[str]:
        """The module folders the roots hold (a module folder with no readable file still counts)."""
        held = {m for r in self.roots for m in r.modules}
        return [m for m in self.spec.modules if m in held]

    def read(self, table: Table, *, types: dict[str, str] | None = None, varchar: bool = False,
             rejects: str | None = None) -> str:
        """The table's file as a FROM-able ``read_csv(...)``: typed from the spec by the file's header (or by
        ``types``: header name -> DuckDB type), every column as text with ``varchar``, rejects kept under a tag."""
        header = self.header(table)
        typed = VARCHAR if varchar else types or table.duckdb_types(header)
        return csv_read(self.files[table.name].path, header, typed, rejects=rejects)

    def relation(self, table: Table) -> exp.Expr:
        return sqlglot.parse_one(f"SELECT * FROM {self.read(table)}", read="duckdb").args["from_"].this

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        cur = self.con.cursor()
        try:
            return cur.execute(sql).fetchall()
        finally:
            cur.close()

    def meta(self) -> Meta | None:
        """The synthetic release file ``mimic-qa synth`` writes at a root, if there is one."""
        for root in self.roots:
            if (root.path / SYNTH_MARKER).is_file():
                return read_release_file(self.spec, root.path / SYNTH_MARKER)
        return None

    def marker_releases(self) -> dict[str, str]:
        """project -> the release whose marker file a root holds (the demo's ``demo_subject_id.csv``)."""
        found: dict[str, str] = {}
        for key, release in self.spec.releases.items():
            if release.marker and any((r.path / release.marker).is_file() for r in self.roots
                                      if set(r.modules) & set(self.spec.projects[release.project].modules)):
                found.setdefault(release.project, key)
        return found

    def close(self) -> None:
        if self.owned:
            self.con.close()


def read_release_file(spec: Spec, path: Path) -> Meta:
    """A release file (``mimic-qa synth``'s, or one given to ``--release``): JSON with ``release`` and the row
    counts expected (``expected_row_counts`` or ``row_counts``), overriding the release's own where given."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        release = str(data["release"])
        counts = data.get("expected_row_counts") or data["row_counts"]
        row_counts = {str(k): int(v) for k, v in counts.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise UsageError(f"{path}: not a readable release file (JSON with 'release' and 'row_counts')") from None
    if release not in spec.validatable_releases:
        raise UsageError(f"{path}: release {release!r} is not one of {', '.join(spec.validatable_releases)}")
    unknown = set(row_counts) - set(spec.tables)
    if unknown:
        raise UsageError(f"{path}: row counts for unknown tables: {', '.join(sorted(unknown))}")
    full = {**spec.release(release).row_counts, **row_counts}
    return Meta({spec.release(release).project: release}, full, synthetic=data.get("generator") == "mimic-qa synth")


def open_folder(spec: Spec, path: Path, host: duckdb.DuckDBPyConnection | None = None) -> FolderSource:
    """The download in ``path`` (its release roots, nested as ``wget -r`` leaves them or not)."""
    return FolderSource(spec, find_roots(path, spec), host)
