"""Run the GX suites on a DuckDB or PostgreSQL database in mimic-code layout, for the check kinds GX owns in validate.

One ephemeral GX context per run (nothing written to disk), one read-only datasource (GX's SQL datasource on a
DuckDB file, or its PostgreSQL datasource on a ``postgresql://`` DSN, through psycopg 3), one table asset and validation definition per table (batched per table), results in
the SUMMARY format (never COMPLETE, which copies offending rows into the result). GX's analytics,
progress bars, logs, warnings and prints are kept off the console.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
import sqlalchemy as sa

from mimic_qa.checks import CheckDef, build_catalog
from mimic_qa.checks.kinds import LIBRARY_ENGINES
from mimic_qa.checks.kinds.columns import Columns
from mimic_qa.checks.kinds.row_count import RowCount
from mimic_qa.errors import UsageError
from mimic_qa.gx.duckdb_patch import persisted_duckdb_connections
from mimic_qa.gx.outcomes import outcome, result_for
from mimic_qa.gx.suites import load_suite, suite_file
from mimic_qa.gx.unexpected_rows import UnexpectedRowsStore, unexpected_rows_once
from mimic_qa.progress import PHASE, TableEvents, ignore
from mimic_qa.resources import expectations_dir as default_expectations_dir
from mimic_qa.results import CheckResult, Status
from mimic_qa.sources.database import list_columns
from mimic_qa.sources.open import connected
from mimic_qa.sources.postgres import is_dsn, mask_dsn, sqlalchemy_url
from mimic_qa.spec import Spec, Table, load_spec

Database = Path | str | duckdb.DuckDBPyConnection  # a DuckDB file or connection, or a PostgreSQL DSN

# The kinds GX evaluates in validate, and the header (for a database) when asked.
RUN_KINDS = (Columns.name, *(k for k, engine in LIBRARY_ENGINES.items() if engine == "gx"))
RESULT_FORMAT = "SUMMARY"
NOT_RUN = "GX did not run this expectation (is its type a GX 1.x expectation, with valid arguments?)."


def database_columns(db: Database, spec: Spec) -> dict[str, list[str]]:
    """Columns, in order, of every spec table present in its mimic-code schema of the database."""
    with connected(db) as con:
        return {name: [c for c, _ in cols] for name, cols in list_columns(con, spec).items()}


def _suite_dir(expectations_dir: Path | None, release: str) -> Path:
    """``DIR/<release>`` when it exists (the layout ``expectations build`` writes), else ``DIR`` itself."""
    base = default_expectations_dir() if expectations_dir is None else Path(expectations_dir)
    if not base.is_dir():
        raise UsageError(f"expectations directory not found: {base}")
    return base / release if (base / release).is_dir() else base


def _blocker(check: CheckDef, spec: Spec, db_columns: dict[str, list[str]]) -> CheckResult | None:
    """Why a check cannot run on this database (a referenced table or column is absent), else None."""
    def lacking(table: str, columns: list[str] | tuple[str, ...]) -> list[str]:
        have = {c.lower() for c in db_columns[table]}
        return [c for c in columns if c.lower() not in have]

    ref = check.params.get("ref_table")
    if ref is not None:
        if ref not in db_columns:
            return result_for(check, Status.SKIPPED, f"The referenced table {ref} is not in the database.")
        absent = lacking(ref, check.params.get("ref_columns", check.columns))
        if absent:
            return result_for(check, Status.ERROR, f"The referenced table {ref} lacks column(s) {', '.join(absent)}.")
    absent = lacking(check.table or "", check.columns)
    if absent:
        return result_for(check, Status.ERROR, f"The table lacks column(s) {', '.join(absent)}.")
    return None


def import_great_expectations() -> None:
    """Import GX ahead of its first use (about 3 s: validate does it on a worker while it works on the data).

    mimic-qa never runs GX on Spark, so unless the process already uses pyspark, GX is imported with pyspark
    hidden (GX then treats it as not installed): that saves pyspark's own import, about a third of GX's.
    Warnings are kept off the console; stdout is left alone, as this may run beside the progress display."""
    if "great_expectations" in sys.modules:
        return
    hide = "pyspark" not in sys.modules
    if hide:
        # an import of it then raises ImportError
        sys.modules["pyspark"] = None  # type: ignore[assignment]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations  # noqa: F401
    finally:
        if hide and sys.modules.get("pyspark", 0) is None:
            del sys.modules["pyspark"]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Keep GX's logs, warnings and prints off the console (stdout may carry a command's JSON)."""
    logger = logging.getLogger("great_expectations")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


class _Session:
    """An ephemeral GX context with one read-only datasource on the database (``schemas``: module -> schema, those
    present)."""

    def __init__(self, db: Database, schemas: dict[str, str], unexpected_rows: UnexpectedRowsStore) -> None:
        self.schemas = schemas
        import_great_expectations()
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self._gx = gx
        self._unexpected_rows = unexpected_rows
        self.context = gx.get_context(mode="ephemeral", project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        ))
        if is_dsn(db):
            self._add_postgres(str(db))
            return
        if isinstance(db, duckdb.DuckDBPyConnection):  # validate's own database: share its connection
            from duckdb_engine import ConnectionWrapper

            self.datasource = self.context.data_sources.add_sql(
                name="mimic_qa", connection_string="duckdb:///:memory:",
                kwargs={"creator": lambda: ConnectionWrapper(db.cursor())})  # type: ignore[call-arg]
        else:
            url = sa.engine.URL.create("duckdb", database=str(db), query={"access_mode": "read_only"})
            self.datasource = self.context.data_sources.add_sql(
                name="mimic_qa", connection_string=url.render_as_string(hide_password=False))
        self.engine = self.datasource.get_execution_engine()
        # duckdb-engine's column reflection fails under SQLAlchemy 2.1, and GX's fallback then queries the
        # bare table name; a search path over mimic-code's schemas lets that fallback find the table.
        with self.engine.get_connection() as con:
            con.execute(sa.text(f"SET search_path = '{','.join(sorted(set(schemas.values())))}'"))

    def _add_postgres(self, dsn: str) -> None:
        """GX's PostgreSQL datasource; a connection failure is one line naming the masked DSN (never the password)."""
        try:
            self.datasource = self.context.data_sources.add_postgres(
                name="mimic_qa", connection_string=sqlalchemy_url(dsn).render_as_string(hide_password=False))
            self.engine = self.datasource.get_execution_engine()
        except Exception as exc:  # noqa: BLE001  (GX wraps driver errors; their text may carry the URL)
            raise UsageError(f"GX cannot connect to {mask_dsn(dsn)} ({type(exc).__name__})") from None

    def validate(self, table: Table, expectations: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Any]]:
        """Run one table's expectations as one batch: (expectation dict, GX result or None if GX dropped it).

        The suite is validated on the table's batch directly (``Batch.validate``): the ephemeral context keeps
        no suite, validation definition or results, which GX would serialise for every table."""
        gx = self._gx
        asset = self.datasource.add_table_asset(name=table.name, table_name=table.name,
                                                schema_name=self.schemas[table.module])
        try:
            # Ids stay out (GX assigns its own); so does a per-expectation result_format, which could ask for COMPLETE.
            suite = gx.ExpectationSuite(name=f"{table.module}.{table.name}", expectations=[
                {k: v for k, v in e.items() if k not in ("id", "result_format")} for e in expectations])
        except Exception as exc:  # a user's edited suite that GX rejects
            raise UsageError(f"the expectation suite for {table.qualified_name} is not valid GX 1.x "
                             f"({type(exc).__name__})") from None
        try:
            batch = asset.get_batch(asset.build_batch_request())
            run = batch.validate(suite, result_format=RESULT_FORMAT)  # type: ignore[call-overload]
        finally:
            self._unexpected_rows.clear(self.engine)
        by_id = {r.expectation_config.meta["check_id"]: r for r in run.results}
        return [(e, by_id.get(e["meta"]["check_id"])) for e in expectations]

    def close(self) -> None:
        self.engine.close()
        self.datasource.get_engine().dispose()


@contextlib.contextmanager
def gx_session(db: Database, schemas: dict[str, str]) -> Iterator[_Session]:
    """A quiet GX session on the database, with the DuckDB patches (a persisted connection, unexpected-rows
    queries evaluated once) applied only inside it."""
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    with _quiet(), persisted_duckdb_connections(), unexpected_rows_once() as unexpected_rows:
        session = _Session(db, schemas, unexpected_rows)
        try:
            yield session
        finally:
            session.close()


def _plan(spec: Spec, table: Table, suite_path: Path, checks: dict[str, CheckDef],
          db_columns: dict[str, list[str]], expected_rows: int | None) -> tuple[list[dict[str, Any]], list[CheckResult]]:
    """The suite's expectations for the validate kinds that can run, and results for those that cannot."""
    if not suite_path.is_file():
        return [], []
    runnable: list[dict[str, Any]] = []
    blocked: list[CheckResult] = []
    for exp in load_suite(suite_path)["expectations"]:
        check = checks.get(str((exp.get("meta") or {}).get("check_id")))
        if check is None or check.table != table.name:
            continue
        problem = _blocker(check, spec, db_columns)
        if problem is not None:
            blocked.append(problem)
            continue
        if check.kind == RowCount.name and expected_rows is not None:
            exp = {**exp, "kwargs": {**exp.get("kwargs", {}), "value": expected_rows}}
        runnable.append(exp)
    return runnable, blocked


def run_suites(db: Database, release: str | Mapping[str, str], *, tables: list[str] | None = None,
               expected_row_counts: dict[str, int] | None = None, expectations_dir: Path | None = None,
               kinds: Iterable[str] = RUN_KINDS, rows: dict[str, int | None] | None = None, spec: Spec | None = None,
               catalog: list[CheckDef] | None = None, progress: TableEvents = ignore) -> list[CheckResult]:
    """Run the expectations of ``RUN_KINDS`` (or those of ``kinds``, a subset) of each table present in the
    database (a DuckDB file or connection, or a ``postgresql://`` DSN), from the suites of ``release`` (a release
    key, or project -> release key for a copy of several projects).

    Returns one CheckResult per such catalogue check of every present table (in catalogue order); checks
    of tables absent from the database are left out. ``expected_row_counts`` overrides the suites' counts;
    ``rows`` (the tables' row counts, when known) completes the messages. ``spec`` and ``catalog``: the run's (by
    default the packaged spec's, and its whole catalogue). ``progress`` hears the phase ("checked") and each
    table's suite.
    """
    spec = spec or load_spec()
    releases = {spec.release(release).project: release} if isinstance(release, str) and \
        release in spec.validatable_releases else dict(release) if not isinstance(release, str) else {}
    if not releases or any(r not in spec.validatable_releases for r in releases.values()):
        raise UsageError(f"unknown release {release!r}; choose one of: {', '.join(spec.validatable_releases)}")
    unknown = sorted(set(tables or []) - set(spec.tables))
    if unknown:
        raise UsageError(f"unknown table(s): {', '.join(unknown)}")
    kinds = frozenset(kinds)
    if not kinds <= set(RUN_KINDS):
        raise UsageError(f"GX runs only these check kinds: {', '.join(RUN_KINDS)}")
    db_columns = database_columns(db, spec)
    names = [n for n in spec.tables if n in db_columns and (tables is None or n in tables)
             and spec.project_of(n).key in releases]
    checks = {c.id: c for c in (catalog if catalog is not None else build_catalog(spec, names))
              if c.kind in kinds and c.table in names}
    counts = expected_row_counts or {}

    results: dict[str, CheckResult] = {}
    plans: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        t = spec.tables[name]
        own = releases[spec.project_of(name).key]
        suite = _suite_dir(expectations_dir, own) / Path(suite_file(own, t)).name
        plans[name], blocked = _plan(spec, t, suite, checks, db_columns, counts.get(name))
        results.update((r.id, r) for r in blocked)
    planned = [name for name, expectations in plans.items() if expectations]
    progress(PHASE, "checked", None, len(planned))
    if planned:
        with gx_session(db, {spec.tables[n].module: spec.schema_of(spec.tables[n]) for n in db_columns}) as session:
            for name in planned:
                progress("start", name, None, None)
                validated = session.validate(spec.tables[name], plans[name])
                progress("done", name, None, None)
                for exp, r in validated:
                    check = checks[exp["meta"]["check_id"]]
                    results[check.id] = result_for(check, Status.ERROR, NOT_RUN) if r is None else \
                        outcome(check, exp, r.success, dict(r.result or {}), r.exception_info, (rows or {}).get(name))
    return [results.get(cid) or result_for(c, Status.SKIPPED, "The expectation suite has no expectation for this check.")
            for cid, c in checks.items()]
