"""Run the spec's pandera schemas on a DuckDB or PostgreSQL database in mimic-code layout, inside the engine.

Per table: compare the database column types with the schema's dtypes; count the violating rows of
every not-null, domain and rule check in one aggregate query; then let pandera's ibis backend validate
the schema reduced to the checks that passed (pushed down as ``BOOL_AND`` queries), so pandera never
fetches a failing check's boolean column. Results carry identifiers and counts only. PostgreSQL is
reached through pandera's ibis backend on a read-only psycopg connection (``ibis.postgres``).
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.datatypes as dt
import pandera.ibis as pa
from ibis.common.exceptions import IbisError
from pandera.config import ValidationDepth, config_context
from pandera.engines.ibis_engine import Engine
from pandera.errors import SchemaError, SchemaErrorReason, SchemaErrors

from mimic_qa.engines.postgres import connect_read_only, is_dsn
from mimic_qa.errors import UsageError
from mimic_qa.results import CheckResult, Status
from mimic_qa.schemas.build import CHECK_IDS, build_schema
from mimic_qa.schemas.probes import DB_ERRORS, Probe, column_probes, count_failures, distinct_violations, rule_probes
from mimic_qa.spec import CheckDef, Table, build_catalog, load_spec

SAMPLE_LIMIT = 5


@dataclass(frozen=True)
class _Outcome:
    status: Status
    message: str
    failing_rows: int | None = None
    samples: list[Any] | None = None


def _error(reason: str) -> _Outcome:
    return _Outcome(Status.ERROR, reason)


def _db_error(exc: Exception) -> _Outcome:
    # Only the exception class: database messages can quote the offending value.
    return _error(f"The database could not evaluate the check ({type(exc).__name__}).")


def _connect(db: Path | str | duckdb.DuckDBPyConnection) -> ibis.BaseBackend:
    if is_dsn(db):
        return ibis.postgres.from_connection(connect_read_only(str(db)))
    if isinstance(db, duckdb.DuckDBPyConnection):  # validate's own database: a cursor on its connection
        con = ibis.duckdb.from_connection(db.cursor())
    else:
        db_path = Path(db)
        if not db_path.is_file():
            raise UsageError(f"{db_path}: no such database file")
        try:
            con = ibis.duckdb.connect(str(db_path), read_only=True)
        except duckdb.Error as exc:
            raise UsageError(f"{db_path}: cannot open it as a DuckDB database ({type(exc).__name__})") from None
    con.raw_sql("SET enable_progress_bar = false").fetchall()  # long scans would draw on stdout
    return con


def _column_types(con: ibis.BaseBackend) -> dict[tuple[str, str], dict[str, str]]:
    """(schema, table) -> {column: database type name} for every table in mimic-code's schemas."""
    rows = con.raw_sql("SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema IN ('mimiciv_hosp', 'mimiciv_icu') "
                       "ORDER BY table_schema, table_name, ordinal_position").fetchall()
    out: dict[tuple[str, str], dict[str, str]] = {}
    for schema, table, column, type_name in rows:
        out.setdefault((schema, table), {})[column] = type_name
    return out


def _unbounded(db: ibis.Table) -> ibis.Table:
    """The table with bounded strings (PostgreSQL's VARCHAR(n), CHAR(n)) read as text, in the query itself:
    pandera's ibis engine knows no string length, and text drops CHAR(n)'s padding, which the SQL checks
    do not compare either."""
    bounded = {name: dt.string for name, t in db.schema().items() if t.is_string() and t.length is not None}
    return db.cast(bounded) if bounded else db


def _edited(schema: pa.DataFrameSchema, columns: dict[str, dict[str, Any]], *, drop: Iterable[str] = (),
            checks: list[pa.Check] | None = None) -> pa.DataFrameSchema:
    """A copy of the schema with column attributes set (pandera's ``update_columns`` is not implemented for ibis)."""
    new = copy.deepcopy(schema)
    for name in drop:
        del new.columns[name]
    for name, attrs in columns.items():
        for attr, value in attrs.items():
            setattr(new.columns[name], attr, value)
    if checks is not None:
        new.checks = checks
    return new


def _usable(table: Table, db: ibis.Table, db_types: dict[str, str], out: dict[str, _Outcome]) -> pa.DataFrameSchema:
    """The table's schema restricted to what the database table can answer; type failures go to ``out``."""
    dialect = db.get_backend().name
    schema = build_schema(table, dialect)
    missing = [name for name in schema.columns if name not in db.columns]
    updates: dict[str, dict[str, Any]] = {}
    for name, col in schema.columns.items():
        ids = col.metadata[CHECK_IDS]
        dependent = [ids.get("not_null"), *(c.name for c in col.checks)]
        if name in missing:
            for cid in filter(None, dependent):
                out[cid] = _error(f"Column {name} is missing from the database table.")
        elif not col.dtype.check(Engine.dtype(db[name].type())):
            out[ids["type"]] = _Outcome(Status.FAILED, f"Column {name} has database type {db_types[name]}; "
                                                        f"the spec loads it as {table.column(name).sql_type(dialect)}.")
            for check in col.checks:
                out[check.name] = _error(f"Column {name} has the wrong database type.")
            updates[name] = {"dtype": None, "checks": []}
    return _edited(schema, updates, drop=missing)


def _passing_only(schema: pa.DataFrameSchema, failed: set[str]) -> pa.DataFrameSchema:
    """The schema without the checks in ``failed`` (a failing not-null check makes the column nullable)."""
    updates = {
        name: {"nullable": col.nullable or col.metadata[CHECK_IDS].get("not_null") in failed,
               "checks": [c for c in col.checks if c.name not in failed]}
        for name, col in schema.columns.items()
    }
    return _edited(schema, updates, checks=[c for c in schema.checks if c.name not in failed])


def _error_check_id(schema: pa.DataFrameSchema, err: SchemaError) -> str | None:
    if err.reason_code == SchemaErrorReason.SERIES_CONTAINS_NULLS and err.schema.name in schema.columns:
        return schema.columns[err.schema.name].metadata[CHECK_IDS].get("not_null")
    if err.reason_code == SchemaErrorReason.WRONG_DATATYPE and err.schema.name in schema.columns:
        return schema.columns[err.schema.name].metadata[CHECK_IDS]["type"]
    return getattr(err.check, "name", None)


def _pandera_rejections(schema: pa.DataFrameSchema, db: ibis.Table, rows: int) -> dict[str | None, str]:
    """Validate with pandera (lazy, pushed down); check id -> pandera's reason code for what it rejected.

    An empty table is validated for its schema only: pandera's ``BOOL_AND`` over no rows is NULL, which it
    reads as a failure.
    """
    depth = ValidationDepth.SCHEMA_AND_DATA if rows else ValidationDepth.SCHEMA_ONLY
    try:
        with config_context(validation_depth=depth):
            schema.validate(db, lazy=True)
    except SchemaErrors as exc:
        errors = exc.schema_errors
    except SchemaError as exc:
        errors = [exc]
    except (*DB_ERRORS, IbisError) as exc:  # pandera could not run the schema at all
        return {None: type(exc).__name__}
    else:
        return {}
    return {_error_check_id(schema, e): getattr(e.reason_code, "value", str(e.reason_code)) for e in errors}


def _counted(probe: Probe, total: int, n: int | Exception, db: ibis.Table, show_values: bool) -> _Outcome:
    if isinstance(n, Exception):
        return _db_error(n)
    if n == 0:
        return _Outcome(Status.PASSED, f"No violating rows among {total:,}.", 0)
    samples = None
    if show_values and probe.kind == "domain":
        samples = distinct_violations(db, probe.column, probe.violates, SAMPLE_LIMIT)
    return _Outcome(Status.FAILED, f"{n:,} of {total:,} rows violate it.", n, samples)


def _run_table(table: Table, db: ibis.Table, db_types: dict[str, str], show_values: bool) -> dict[str, _Outcome]:
    out: dict[str, _Outcome] = {}
    schema = _usable(table, db, db_types, out)
    probes = rule_probes(schema) + [p for name in schema.columns for p in column_probes(schema, db, name)]
    total, counts = count_failures(db, probes)
    for p in probes:
        out[p.check_id] = _counted(p, total, counts[p.check_id], db, show_values)
    failed = {cid for cid, o in out.items() if o.status is not Status.PASSED}
    rejected = _pandera_rejections(_passing_only(schema, failed), db, total)
    for cid, reason in rejected.items():
        for target in [cid] if cid is not None else [k for k, o in out.items() if o.status is Status.PASSED]:
            out[target] = _error(f"pandera rejected the check ({reason}) although SQL counted no violating rows.")
    return out


def _result(d: CheckDef, o: _Outcome) -> CheckResult:
    return CheckResult(id=d.id, table=d.table, kind=d.kind, category=d.category, severity=d.severity,
                       status=o.status, failing_rows=o.failing_rows, message=o.message, engine="pandera",
                       samples=o.samples)


def run_schemas(db: Path | str | duckdb.DuckDBPyConnection, *, tables: list[str] | None = None,
                show_values: bool = False) -> list[CheckResult]:
    """Run the not-null, domain and rule checks (and column types) of each spec table in the database
    (a DuckDB file or connection, or a ``postgresql://`` DSN).

    One result per catalogue check of kinds not_null, domain and rule of every table present (selected by
    ``tables``), plus a failed ``type`` result for each column whose database type differs from the spec.
    Quirk tolerances are not applied here. ``samples`` holds up to 5 distinct offending values of failing
    domain checks only when ``show_values`` is set.
    """
    spec = load_spec()
    unknown = sorted(set(tables or []) - set(spec.tables))
    if unknown:
        raise UsageError(f"unknown table(s): {', '.join(unknown)}")
    con = _connect(db)
    try:
        present = _column_types(con)
        results: list[CheckResult] = []
        for name, table in spec.tables.items():
            database = f"mimiciv_{table.module}"
            if (tables is not None and name not in tables) or (database, name) not in present:
                continue
            with warnings.catch_warnings():  # ibis 12 reads the schema with DuckDB 2's deprecated fetch_arrow_table
                warnings.simplefilter("ignore", DeprecationWarning)
                db = _unbounded(con.table(name, database=database))
            outcomes = _run_table(table, db, present[database, name], show_values)
            results.extend(_result(d, outcomes[d.id]) for d in build_catalog(spec, [name]) if d.id in outcomes)
        return results
    finally:
        con.disconnect()
