"""The secondary indexes mimic-code's ``index.sql`` builds, read from ``indexes.yaml`` and checked against the spec."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

from mimic_qa.load.ddl import DEFAULT_PREFIX, ident, qualified
from mimic_qa.spec import Spec, Table

INDEX_FILE = "indexes.yaml"


@dataclass(frozen=True)
class Index:
    """One index: its name, its table and its columns, in order."""

    name: str
    table: str
    columns: tuple[str, ...]

    def create_sql(self, table: Table, prefix: str = DEFAULT_PREFIX) -> str:
        cols = ", ".join(ident(c) for c in self.columns)
        return f"CREATE INDEX IF NOT EXISTS {ident(self.name)} ON {qualified(table, prefix)} ({cols})"


@cache
def _listed() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(module, table, name, columns) for every index of the data file."""
    data = yaml.safe_load(files("mimic_qa.load").joinpath(INDEX_FILE).read_text(encoding="utf-8"))
    return tuple((module, table, name, tuple(columns)) for module, tables in data.items()
                 for table, indexes in tables.items() for name, columns in indexes.items())


def spec_indexes(spec: Spec) -> list[Index]:
    """Every index of the data file, in its order; a ValueError when one names a table, module or column the spec
    does not have (the file and the spec must not drift apart)."""
    out = []
    for module, table, name, columns in _listed():
        t = spec.tables.get(table)
        if t is None or t.module != module:
            raise ValueError(f"{INDEX_FILE}: index {name} is on {module}.{table}, which the spec does not have")
        missing = [c for c in columns if c not in t.column_names]
        if missing:
            raise ValueError(f"{INDEX_FILE}: index {name} names columns {table} does not have: {', '.join(missing)}")
        out.append(Index(name, table, columns))
    return out
