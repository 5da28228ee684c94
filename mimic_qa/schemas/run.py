"""Run the spec's pandera schemas on a DuckDB or PostgreSQL database in mimic-code layout, inside the engine.

Per table: compare the database column types with the schema's dtypes; count the violating rows of
every not-null, domain and rule check in one aggregate query built from pandera's own check expressions
(each check evaluated once, and a failing check's boolean column never fetched, which pandera's ibis
backend would do); then let pandera validate the schema's columns and dtypes. Results carry identifiers and counts only. PostgreSQL is
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

from mimic_qa.checks import CheckDef, build_catalog
from mimic_qa.checks.kinds.domain import DomainKind
from mimic_qa.checks.kinds.not_null import NotNull
from mimic_qa.checks.kinds import Counted, kind
from mimic_qa.checks.kinds.column_type import ColumnType
from mimic_qa.compat import PANDERA_CHECKS
from mimic_qa.errors import UsageError
from mimic_qa.progress import TableEvents, ignore
from mimic_qa.results import CheckResult, Status
from mimic_qa.schemas.build import CHECK_IDS, build_schema
from mimic_qa.schemas.probes import (DB_ERRORS, Probe, column_probes, count_failures, distinct_violations, marked_sql,
                                     rule_probes)
from mimic_qa.sources.database import list_columns
from mimic_qa.sources.naming import quote_ident
from mimic_qa.sources.open import connected
from mimic_qa.spec import Spec, Table, load_spec

Database = Path | str | duckdb.DuckDBPyConnection  # a DuckDB file or connection, or a PostgreSQL DSN

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


def _backend(con: Any) -> ibis.BaseBackend:
    """pandera's ibis backend on an open (read-only) DuckDB or psycopg connection."""
    if isinstance(con, duckdb.DuckDBPyConnection):
        backend = ibis.duckdb.from_connection(con)
        backend.raw_sql("SET enable_progress_bar = false").fetchall()  # long scans would draw on stdout
        return backend
    return ibis.postgres.from_connection(con)


def _unbounded(db: ibis.Table) -> ibis.Table:
    """The table with bounded strings (PostgreSQL's VARCHAR(n), CHAR(n)) read as text, in the query itself:
    pandera's ibis engine knows no string length, and text drops CHAR(n)'s padding, which the SQL checks
    do not compare either."""
    bounded = {name: dt.string for name, t in db.schema().items() if t.is_string() and t.length is not None}
    return db.cast(bounded) if bounded else db


def _edited(schema: pa.DataFrameSchema, columns: dict[str, dict[str, Any]], *,
            drop: Iterable[str] = ()) -> pa.DataFrameSchema:
    """A copy of the schema with column attributes set (pandera's ``update_columns`` is not implemented for ibis)."""
    new = copy.deepcopy(schema)
    for name in drop:
        del new.columns[name]
    for name, attrs in columns.items():
        for attr, value in attrs.items():
            setattr(new.columns[name], attr, value)
    return new


def _usable(table: Table, catalog: list[CheckDef], db: ibis.Table, db_types: dict[str, str],
            out: dict[str, _Outcome]) -> pa.DataFrameSchema:
    """The table's schema restricted to what the database table can answer; type failures go to ``out``."""
    dialect = db.get_backend().name
    schema = build_schema(table, catalog, dialect)
    missing = [name for name in schema.columns if name not in db.columns]
    updates: dict[str, dict[str, Any]] = {}
    for name, col in schema.columns.items():
        ids = col.metadata[CHECK_IDS]
        dependent = [ids.get(NotNull.name), *(c.name for c in col.checks)]
        if name in missing:
            for cid in filter(None, dependent):
                out[cid] = _error(f"Column {name} is missing from the database table.")
        elif not col.dtype.check(Engine.dtype(db[name].type())):
            out[ids[ColumnType.name]] = _Outcome(Status.FAILED, ColumnType.stored_message(db_types[name], table.column(name).type))
            for check in col.checks:
                out[check.name] = _error(f"Column {name} has the wrong database type.")
            updates[name] = {"dtype": None, "checks": []}
    return _edited(schema, updates, drop=missing)


def _error_check_id(schema: pa.DataFrameSchema, err: SchemaError) -> str | None:
    if err.reason_code == SchemaErrorReason.SERIES_CONTAINS_NULLS and err.schema.name in schema.columns:
        return schema.columns[err.schema.name].metadata[CHECK_IDS].get(NotNull.name)
    if err.reason_code == SchemaErrorReason.WRONG_DATATYPE and err.schema.name in schema.columns:
        return schema.columns[err.schema.name].metadata[CHECK_IDS][ColumnType.name]
    return getattr(err.check, "name", None)


def _pandera_rejections(schema: pa.DataFrameSchema, db: ibis.Table) -> dict[str | None, str]:
    """Validate the schema's columns and dtypes with pandera (lazy); check id -> pandera's reason code for what it
    rejected. The data checks are not run again here: they were counted, each once, from pandera's own check
    expressions (``probes``); pandera's own data pass would scan the table once more per check."""
    try:
        with config_context(validation_depth=ValidationDepth.SCHEMA_ONLY):
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


def _counted(d: CheckDef, probe: Probe, total: int, n: int | Exception, db: ibis.Table, show_values: bool) -> _Outcome:
    if isinstance(n, Exception):
        return _db_error(n)
    counted = kind(d.kind)
    assert isinstance(counted, Counted)
    samples = None
    if n and show_values and probe.kind == DomainKind.name and probe.column is not None:
        samples = distinct_violations(db, probe.column, probe.violates, SAMPLE_LIMIT)
    return _Outcome(Status.FAILED if n else Status.PASSED, counted.message(d, n, total), n, samples)


@dataclass
class TablePlan:
    """One table's schema as the database can answer it, the probes that count its checks, and the outcomes
    already known (type failures)."""

    db: ibis.Table
    schema: pa.DataFrameSchema
    probes: list[Probe]
    catalog: dict[str, CheckDef]
    out: dict[str, _Outcome]


def _plan(table: Table, db: ibis.Table, db_types: dict[str, str], catalog: dict[str, CheckDef]) -> TablePlan:
    out: dict[str, _Outcome] = {}
    schema = _usable(table, list(catalog.values()), db, db_types, out)
    probes = rule_probes(schema) + [p for name in schema.columns for p in column_probes(schema, db, name)]
    return TablePlan(db, schema, probes, catalog, out)


def _judged(plan: TablePlan, total: int, counts: dict[str, int | Exception], show_values: bool) -> dict[str, _Outcome]:
    """The outcomes of the plan's checks from the probes' counts, then pandera's own validation of the schema's
    columns and dtypes."""
    out = dict(plan.out)
    for p in plan.probes:
        out[p.check_id] = _counted(plan.catalog[p.check_id], p, total, counts[p.check_id], plan.db, show_values)
    for cid, reason in _pandera_rejections(plan.schema, plan.db).items():
        for target in [cid] if cid is not None else [k for k, o in out.items() if o.status is Status.PASSED]:
            out[target] = _error(f"pandera rejected the schema ({reason}).")
    return out


def _run_table(table: Table, db: ibis.Table, db_types: dict[str, str], show_values: bool,
               catalog: dict[str, CheckDef]) -> dict[str, _Outcome]:
    plan = _plan(table, db, db_types, catalog)
    total, counts = count_failures(db, plan.probes)
    return _judged(plan, total, counts, show_values)


@dataclass
class StreamedSchema:
    """pandera's checks of one table that is read once and not stored (validate's check-only pass): its probes'
    tests as SQL over the relation (``source``: the relation with a column per test), each counted by the
    caller in the same scan that reads the file (``conditions``, in order), then judged (``results``)."""

    plan: TablePlan
    source: str
    conditions: list[str]

    def results(self, total: int, counts: list[int]) -> list[CheckResult]:
        """The results from the scan's counts (one per condition, in order)."""
        outcomes = _judged(self.plan, total, {p.check_id: n for p, n in zip(self.plan.probes, counts, strict=True)},
                           show_values=False)
        return [_result(d, outcomes[d.id]) for d in self.plan.catalog.values() if d.id in outcomes]


def stream_schema(con: duckdb.DuckDBPyConnection, spec: Spec, table: Table, schema_name: str,
                  catalog: list[CheckDef]) -> StreamedSchema:
    """pandera's plan for ``table`` read through the DuckDB relation ``schema_name.<table>`` (a view over its
    file, typed from the spec): nothing is read here but the relation's columns and types."""
    PANDERA_CHECKS.require()
    # no warnings.catch_warnings here: two files stream at once, and it is not thread-safe (ibis's
    # DeprecationWarning, which run_schemas hides, is ignored by Python's default filters anyway)
    db = _unbounded(_backend(con).table(table.name, database=schema_name))
    types = {name: str(t) for name, t, *_ in con.execute(
        f"DESCRIBE {quote_ident(schema_name)}.{quote_ident(table.name)}").fetchall()}
    plan = _plan(table, db, types, {d.id: d for d in catalog if d.table == table.name})
    source, conditions = marked_sql(db, plan.probes)
    return StreamedSchema(plan, source, conditions)


def _result(d: CheckDef, o: _Outcome) -> CheckResult:
    return CheckResult(id=d.id, table=d.table, kind=d.kind, category=d.category, severity=d.severity,
                       status=o.status, failing_rows=o.failing_rows, message=o.message, engine="pandera",
                       samples=o.samples)


def run_schemas(db: Database, *, tables: list[str] | None = None, show_values: bool = False, spec: Spec | None = None,
                catalog: list[CheckDef] | None = None, progress: TableEvents = ignore) -> list[CheckResult]:
    """Run the not-null, domain and rule checks (and column types) of each spec table in the database
    (a DuckDB file or connection, or a ``postgresql://`` DSN).

    One result per catalogue check of kinds not_null, domain and rule of every table present (selected by
    ``tables``), plus a failed ``type`` result for each column whose database type differs from the spec.
    Quirk tolerances are not applied here. ``samples`` holds up to 5 distinct offending values of failing
    domain checks only when ``show_values`` is set. ``spec`` and ``catalog``: the run's (by default the packaged
    spec's, and its whole catalogue). ``progress`` hears each table start and finish.
    """
    spec = spec or load_spec()
    unknown = sorted(set(tables or []) - set(spec.tables))
    if unknown:
        raise UsageError(f"unknown table(s): {', '.join(unknown)}")
    PANDERA_CHECKS.require()  # the probes read each check's own expression
    with connected(db) as raw:
        present = list_columns(raw, spec)
        checks = catalog if catalog is not None else build_catalog(spec, [t for t in spec.tables if t in present])
        con = _backend(raw)
        results: list[CheckResult] = []
        for name, table in spec.tables.items():
            if (tables is not None and name not in tables) or name not in present:
                continue
            with warnings.catch_warnings():  # ibis 12 reads the schema with DuckDB 2's deprecated fetch_arrow_table
                warnings.simplefilter("ignore", DeprecationWarning)
                db_table = _unbounded(con.table(name, database=spec.schema_of(table)))
            mine = {d.id: d for d in checks if d.table == name}
            progress("start", name, None, None)
            outcomes = _run_table(table, db_table, dict(present[name]), show_values, mine)
            progress("done", name, None, None)
            results.extend(_result(d, outcomes[d.id]) for d in mine.values() if d.id in outcomes)
        return results
