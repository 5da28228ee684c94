"""Small DuckDB databases in mimic-code layout, built from the spec, for the pandera schema tests.

A row is a dict of overrides on a *clean* row: every column holds a value that passes every spec check
(the first enumerated value, the range minimum, or a plain value of the column's kind), so a test only
names the columns it damages.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from mimic_qa.spec import Table, load_spec

KIND_DEFAULTS: dict[str, Any] = {
    "integer": 1, "float": 1.0, "string": "x", "date": date(2150, 1, 1), "timestamp": datetime(2150, 1, 1, 8, 0),
}
# Clean values the rules need beyond the column defaults (equal timestamps make the time-order rules hold).
RULE_FRIENDLY: dict[str, dict[str, Any]] = {
    "admissions": {"deathtime": None},  # no death, so hospital_expire_flag 0 agrees
    "icustays": {"los": 0.0},  # intime == outtime
}


def clean_row(table: Table) -> dict[str, Any]:
    """A row of ``table`` passing every not-null, domain and rule check of the spec."""
    domains = {d.column: d for d in table.domains}
    row: dict[str, Any] = {}
    for c in table.columns:
        d = domains.get(c.name)
        if d is None:
            row[c.name] = KIND_DEFAULTS[c.kind]
        elif d.values is not None:
            row[c.name] = str(d.values[0]) if c.kind == "string" else d.values[0]
        elif d.pattern is not None:
            assert c.nullable, f"no clean value for the pattern domain of NOT NULL {table.name}.{c.name}"
            row[c.name] = None
        else:
            bound = d.min if d.min is not None else d.max
            row[c.name] = int(bound) if c.kind == "integer" else bound
    return {**row, **RULE_FRIENDLY.get(table.name, {})}


@pytest.fixture(scope="session")
def spec():
    return load_spec()


@pytest.fixture
def make_db(tmp_path, spec):
    """make_db({table: [overrides, ...]}, types={table: {column: duckdb_type}}) -> path of a new database."""
    counter = iter(range(1000))

    def make(rows: dict[str, list[dict[str, Any]]], types: dict[str, dict[str, str]] | None = None,
             drop: dict[str, list[str]] | None = None) -> Path:
        path = tmp_path / f"mimic{next(counter)}.duckdb"
        with duckdb.connect(str(path)) as con:
            for name, overrides in rows.items():
                table = spec.tables[name]
                schema = f"mimiciv_{table.module}"
                kept = [c for c in table.columns if c.name not in (drop or {}).get(name, [])]
                typed = {c.name: (types or {}).get(name, {}).get(c.name, c.sql_type("duckdb")) for c in kept}
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
                con.execute(f"CREATE TABLE {schema}.{name} ({', '.join(f'{k} {v}' for k, v in typed.items())})")
                values = [[{**clean_row(table), **o}[c.name] for c in kept] for o in overrides]
                if values:
                    con.executemany(f"INSERT INTO {schema}.{name} VALUES ({', '.join('?' * len(kept))})", values)
        return path

    return make


def _rows(result: Any) -> int:
    """Rows in whatever an ibis backend call handed to Python (1 for a scalar)."""
    for attr in ("num_rows", "shape"):
        if hasattr(result, attr):
            value = getattr(result, attr)
            return value if isinstance(value, int) else value[0]
    return len(result) if hasattr(result, "__len__") and not isinstance(result, str) else 1


def spy_fetches(monkeypatch: pytest.MonkeyPatch, backend: type) -> list[int]:
    """Row counts of every result the ibis ``backend`` class hands to Python (execute, to_pyarrow)."""
    sizes: list[int] = []
    for name in ("execute", "to_pyarrow"):
        original = getattr(backend, name)

        def spy(self, expr, /, *args, _original=original, **kwargs):
            result = _original(self, expr, *args, **kwargs)
            sizes.append(_rows(result))
            return result

        monkeypatch.setattr(backend, name, spy)
    return sizes
