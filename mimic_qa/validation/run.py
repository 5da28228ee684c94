"""``validate``: check a MIMIC-IV copy (release directory or DuckDB database) against its release.

Each CSV is decompressed and parsed once into a typed DuckDB database (``--keep-db`` keeps it);
every check then runs as set-based SQL on that database. Results carry ids and counts only.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from mimic_qa import __version__
from mimic_qa.checks.header import compare_header, spec_to_observed
from mimic_qa.checks.quirks import apply_quirks
from mimic_qa.checks.sql import (
    AGGREGATE_KINDS,
    KEY_KINDS,
    SAMPLED_KINDS,
    run_aggregate,
    run_key_check,
    sample_sql,
    table_queries,
)
from mimic_qa.engines import Engine, open_engine
from mimic_qa.engines.base import type_compatible
from mimic_qa.engines.duckdb import META_SCHEMA, DuckDBEngine
from mimic_qa.errors import UsageError
from mimic_qa.results import CheckResult, RunResult, Status
from mimic_qa.sources.csv_loader import (
    ColumnRejects,
    LoadOutcome,
    create_empty,
    load_table,
    open_database,
)
from mimic_qa.sources.layout import SUFFIXES, find_release_root, table_files, unexpected_files
from mimic_qa.spec import CheckDef, Spec, Table, build_catalog, load_spec
from mimic_qa.spec.models import Severity
from mimic_qa.validation.checksums import SUMS_FILE, FileScan, read_sums, scan_file, sha256_of
from mimic_qa.validation.outcome import ValidationResult, summarize
from mimic_qa.validation.release import Expectation, choose_release, detect_release

Progress = Callable[[str, str, int], None]  # (event, table, bytes) — "start" / "done"

MEMORY_LIMIT = "4GB"  # DuckDB's buffer pool: keeps peak RSS well under 6 GB at any scale
IN_MEMORY_FACTOR = 5  # bytes of uncompressed in-memory table per byte of csv.gz (4.2 measured at scale 0.01)
IN_MEMORY_MAX_BYTES = 2 << 30


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class _Run:
    """State of one validation run; results are keyed by check id."""

    def __init__(self, spec: Spec, catalog: list[CheckDef], tables: list[str]):
        self.spec = spec
        self.catalog = catalog
        self.by_id = {c.id: c for c in catalog}
        self.tables = tables
        self.results: dict[str, CheckResult] = {}
        self.skip_reason: dict[str, str] = {}  # check id -> why it could not apply
        self.rows: dict[str, int | None] = {}
        self.rejects: dict[str, dict[str, ColumnRejects]] = {}  # table -> column -> values that did not parse

    def put(self, check: CheckDef, status: Status, failing: int | None = None, message: str = "",
            engine: str = "sql") -> None:
        self.results[check.id] = CheckResult(id=check.id, table=check.table, kind=check.kind,
                                             category=check.category, severity=check.severity, status=status,
                                             failing_rows=failing, message=message, engine=engine)

    def table_checks(self, table: str, kinds: frozenset[str] | None = None) -> list[CheckDef]:
        return [c for c in self.catalog if c.table == table and (kinds is None or c.kind in kinds)]

    def skip_table(self, table: str, reason: str, keep: tuple[str, ...] = ()) -> None:
        for c in self.table_checks(table):
            if c.id not in self.results and c.kind not in keep:
                self.skip_reason[c.id] = reason

    def skip_column(self, table: str, column: str) -> None:
        for c in self.table_checks(table):
            if column in c.columns and c.id not in self.results:
                self.skip_reason[c.id] = f"column {column} is missing"

    def put_columns(self, table: Table, actual: list[str]) -> list[str]:
        """Record the header/columns and header-case checks; returns the expected columns that are missing."""
        found = compare_header(table.column_names, actual)
        self.put(self.by_id[f"{table.qualified_name}.columns"], Status.FAILED if found.differences else Status.PASSED,
                 found.differences, found.columns_message())
        self.put(self.by_id[f"{table.qualified_name}.header_case"], Status.FAILED if found.other_case else Status.PASSED,
                 len(found.other_case), found.case_message())
        for column in found.missing:
            self.skip_column(table.name, column)
        return found.missing

    def finish(self) -> list[CheckResult]:
        out = []
        for c in self.catalog:
            r = self.results.get(c.id)
            if r is None:
                r = CheckResult(id=c.id, table=c.table, kind=c.kind, category=c.category, severity=c.severity,
                                status=Status.SKIPPED, message=self.skip_reason.get(c.id, "not applicable"))
            out.append(r)
        return out


def _file_checks(run: _Run, root: Path, pool: ThreadPoolExecutor
                 ) -> tuple[dict, dict[str, str] | None, dict[str, Future[FileScan]]]:
    """Presence, unexpected files and SHA256SUMS.txt; each file's hash and gzip scan start in the background."""
    spec = run.spec
    files = table_files(root, spec)
    by_id = run.by_id
    sums = read_sums(root)
    hashes: dict[str, Future[FileScan]] = {}
    for name in run.tables:
        t = spec.tables[name]
        check = by_id[f"{t.qualified_name}.file.present"]
        if name in files:
            run.put(check, Status.PASSED, 0, files[name].relative)
            hashes[name] = pool.submit(scan_file, files[name].path, (sums or {}).get(files[name].relative))
        else:
            run.put(check, Status.FAILED, 1, f"{t.file} is missing")
            run.skip_table(name, f"{t.file} is missing", keep=("row_count",))
    extra = unexpected_files(root, spec)
    run.put(by_id["release.files.unexpected"], Status.FAILED if extra else Status.PASSED, len(extra),
            f"unexpected files: {', '.join(extra)}" if extra else "ok")
    listed = by_id["release.sha256sums.listed"]
    if sums is None:
        run.skip_reason[listed.id] = f"no {SUMS_FILE} in the release"
        for name in run.tables:
            run.skip_reason[f"{spec.tables[name].qualified_name}.file.sha256"] = f"no {SUMS_FILE} in the release"
    else:
        tables_rel = {f.relative for f in files.values()}
        unselected = {f"{t.module}/{n}{s}" for n, t in spec.tables.items() if n not in run.tables for s in SUFFIXES}
        considered = [p for p in sums if p not in unselected]
        absent = sorted(p for p in considered if not (root / p).is_file())
        others = [p for p in considered
                  if p not in tables_rel and (root / p).is_file() and not p.startswith(("hosp/", "icu/"))]
        bad_others = [p for p in others if sha256_of(root / p) != sums[p]]
        problems = [f"{len(absent)} listed files missing"] if absent else []
        problems += [f"{p} does not match" for p in bad_others]
        narrowed = f"; {len(sums) - len(considered)} of tables not selected (--tables) not checked" \
            if len(considered) < len(sums) else ""
        run.put(listed, Status.FAILED if problems else Status.PASSED, len(absent) + len(bad_others),
                ("; ".join(problems) or f"{len(sums)} files listed") + narrowed)
        for name in run.tables:
            if name in files and files[name].relative not in sums:
                run.put(by_id[f"{spec.tables[name].qualified_name}.file.sha256"], Status.FAILED, 1,
                        f"{files[name].relative} is not listed in {SUMS_FILE}")
    return files, sums, hashes


def _record_load(run: _Run, t: Table, outcome: LoadOutcome) -> None:
    base = t.qualified_name
    by_id = run.by_id
    if outcome.unreadable:
        run.put(by_id[f"{base}.file.readable"], Status.FAILED, None, f"{t.file}: {outcome.unreadable}")
        run.skip_table(t.name, f"{t.file} could not be read")
        run.put(by_id[f"{base}.row_count"], Status.ERROR, None, f"{t.file} could not be read")
        return
    bad = outcome.bad_unicode_lines + outcome.other_rejects
    parts = ([f"{outcome.bad_unicode_lines:,} lines are not valid UTF-8"] if outcome.bad_unicode_lines else []) + \
            ([f"{outcome.other_rejects:,} malformed CSV lines"] if outcome.other_rejects else [])
    run.put(by_id[f"{base}.file.readable"], Status.FAILED if bad else Status.PASSED, bad, "; ".join(parts) or "ok")
    missing = run.put_columns(t, outcome.header or [])
    for col in t.columns:
        check = by_id[f"{base}.type.{col.name}"]
        if col.name in missing:
            continue
        _put_type(run, check, col.type, outcome.rejects.get(col.name))
    run.rejects[t.name] = outcome.rejects


def _put_type(run: _Run, check: CheckDef, type_name: str, rej: ColumnRejects | None) -> None:
    if rej:
        run.put(check, Status.FAILED, rej.count, f"{rej.count:,} values do not parse as {type_name} "
                f"(first at line {rej.first_line:,}); those rows were not loaded")
    else:
        run.put(check, Status.PASSED, 0, "ok")


def _db_structure(run: _Run, engine: Engine, t: Table, present: set[str],
                  stored_rejects: dict[str, dict[str, ColumnRejects]]) -> bool:
    """Columns and stored types of a table in a database; False when the table is absent."""
    base = t.qualified_name
    by_id = run.by_id
    if t.name not in present:
        run.put(by_id[f"{base}.row_count"], Status.FAILED, None, f"{engine.relation(t)} is not in the database")
        run.skip_table(t.name, f"{engine.relation(t)} is not in the database")
        return False
    cols = engine.columns(t)
    types = dict(cols)
    missing = run.put_columns(t, [c[0] for c in cols])
    stored = spec_to_observed(t.column_names, list(types))
    for col in t.columns:
        if col.name in missing:
            continue
        check = by_id[f"{base}.type.{col.name}"]
        if not type_compatible(col, types[stored[col.name]]):
            run.put(check, Status.FAILED, None, f"stored as {types[stored[col.name]]}, which cannot hold {col.type}")
        else:  # a database mimic-qa built remembers the values that did not parse when it was loaded
            _put_type(run, check, col.type, stored_rejects.get(t.name, {}).get(col.name))
    for kind in ("file.present", "file.readable", "file.sha256"):
        run.skip_reason[f"{base}.{kind}"] = "source is a database, not release files"
    return True


PANDERA_KINDS = frozenset({"not_null", "domain", "rule"})
GX_KINDS = frozenset({"row_count", "pk", "unique", "fk"})


def _data_checks(run: _Run, engine: Engine, expectation: Expectation, loaded: set[str],
                 delegated: frozenset[str] = frozenset(), show_values: bool = False) -> None:
    """Column-level checks (one scan per table), row counts, then keys and foreign keys.

    Kinds in ``delegated`` are left to pandera and GX (their results are merged afterwards); the
    scan still counts rows, which quirk tolerances and the report need."""
    spec = run.spec
    for name in run.tables:
        if name not in loaded:
            continue
        t = spec.tables[name]
        checks = [c for c in run.table_checks(name, AGGREGATE_KINDS - delegated) if c.id not in run.skip_reason]
        try:
            rows, results = run_aggregate(engine.fetch_one, engine.relation(t), checks)
        except Exception as exc:  # noqa: BLE001  (engine errors may quote data: keep only their type)
            for c in run.table_checks(name):
                if c.id not in run.results:
                    run.put(c, Status.ERROR, None, f"query failed on {engine.name} ({type(exc).__name__})")
            loaded.discard(name)
            continue
        run.rows[name] = rows
        by_id = {c.id: c for c in checks}
        for r in results:
            run.results[r.id] = r
            if show_values and r.status is Status.FAILED and r.kind in SAMPLED_KINDS:
                r.samples = list(engine.fetch_one(sample_sql(engine.relation(t), by_id[r.id]))[0] or [])
        if "row_count" in delegated:
            continue
        expected = expectation.row_counts[name]
        check = next(c for c in run.table_checks(name, frozenset({"row_count"})))
        diff = abs(rows - expected)
        run.put(check, Status.FAILED if diff else Status.PASSED, diff,
                f"{rows:,} rows, expected {expected:,}" + (f" ({rows - expected:+,})" if diff else ""))
    for name in run.tables:
        if name not in loaded:
            continue
        for check in run.table_checks(name, KEY_KINDS):
            if check.id in run.skip_reason:
                continue
            parent = check.params.get("ref_table")
            if check.kind == "fk" and parent not in run.tables:
                run.skip_reason[check.id] = f"parent table {parent} is not among the selected tables (--tables)"
                continue
            if check.kind == "fk" and parent not in loaded:
                run.skip_reason[check.id] = f"parent table {parent} is not available"
                continue
            if check.kind in delegated:
                continue
            try:
                run.results[check.id] = run_key_check(engine.fetch_one, spec, check, engine.relation,
                                                      run.rows[name] or 0, engine.trim_codes)
            except Exception as exc:  # noqa: BLE001
                run.put(check, Status.ERROR, None, f"query failed on {engine.name} ({type(exc).__name__})")


def _delegated_checks(run: _Run, db_path: Path | str | duckdb.DuckDBPyConnection, expectation: Expectation,
                      loaded: set[str], opts: _Options, from_files: bool,
                      pandera_results: list[CheckResult] | None = None) -> None:
    """pandera schemas (NOT NULL, domains, row rules) and the GX suites (row counts, keys, foreign keys;
    columns too for a database) on the DuckDB (file or connection) or PostgreSQL database; each result
    keeps its engine's name. ``pandera_results``: the schemas' results when they already ran."""
    from mimic_qa.gx import run_suites
    from mimic_qa.schemas import run_schemas

    tables = [t for t in run.tables if t in loaded]
    if not tables:
        return
    kinds = {"pandera": PANDERA_KINDS, "gx": GX_KINDS | (frozenset() if from_files else {"columns"})}
    if pandera_results is None:
        pandera_results = run_schemas(db_path, tables=tables, show_values=opts.show_values)
    found = pandera_results + run_suites(
        db_path, expectation.release, tables=tables, expected_row_counts=expectation.row_counts,
        expectations_dir=opts.expectations_dir, kinds=kinds["gx"])
    for r in found:
        if r.kind in kinds.get(r.engine or "", ()) and r.id not in run.skip_reason and (
                r.id not in run.results or r.kind == "columns"):
            run.results[r.id] = r


def _write_meta(con: duckdb.DuckDBPyConnection, expectation: Expectation, run: _Run) -> None:
    """Record the release and the values that did not parse in a kept database, so that validating
    the database later expects the same counts and reports the same type failures."""
    rejects = {t: {c: [r.count, r.first_line] for c, r in cols.items()} for t, cols in run.rejects.items() if cols}
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {META_SCHEMA}")
    con.execute(f"CREATE OR REPLACE TABLE {META_SCHEMA}.release "
                "(release VARCHAR, synthetic BOOLEAN, row_counts VARCHAR, rejects VARCHAR)")
    con.execute(f"INSERT INTO {META_SCHEMA}.release VALUES (?, ?, ?, ?)",
                [expectation.release, expectation.synthetic, json.dumps(expectation.row_counts), json.dumps(rejects)])


def _select_tables(spec: Spec, tables: list[str] | None) -> list[str]:
    if not tables:
        return list(spec.tables)
    unknown = [t for t in tables if t not in spec.tables]
    if unknown:
        raise UsageError(f"unknown table(s): {', '.join(unknown)}")
    return [t for t in spec.tables if t in tables]


def validate(source: str | Path, *, release: str | None = None, tables: list[str] | None = None,
             fail_on: Severity = "error", show_values: bool = False, keep_db: str | Path | None = None,
             command: str | None = None, progress: Progress | None = None,
             on_release: Callable[[Expectation], None] | None = None, engine: str = "auto",
             spark_session: Any = None, spark_master: str = "local[*]", max_bytes_billed: int | None = None,
             notify: Callable[[str], None] | None = None, checks: str = "all",
             expectations_dir: str | Path | None = None) -> ValidationResult:
    """Validate a MIMIC-IV copy; see ``mimic-qa validate --help``. Returns the results and the verdict.

    SOURCE: a release directory, a DuckDB database file, a Parquet directory, ``postgresql://...``,
    ``bigquery://PROJECT[...]``, or (``engine="spark"`` / ``spark_session=``) Parquet or a Spark catalog.
    ``checks="all"`` runs NOT NULL, domains and rules through pandera and row counts, keys and foreign
    keys through the Great Expectations suites (inside DuckDB or PostgreSQL); ``checks="sql"`` runs every
    check as compiled SQL (the only mode on Parquet, Spark and BigQuery).
    """
    if checks not in ("all", "sql"):
        raise UsageError("checks must be 'all' or 'sql'")
    opts = _Options(checks == "all", show_values, Path(expectations_dir) if expectations_dir else None)
    spec = load_spec()
    path = Path(source).expanduser()
    selected = _select_tables(spec, tables)
    catalog = build_catalog(spec, selected) if tables else build_catalog(spec)
    run = _Run(spec, catalog, selected)
    started = _now()
    clock = time.monotonic()
    db = open_engine(str(source), engine=engine, spark_session=spark_session, spark_master=spark_master,
                     max_bytes_billed=max_bytes_billed, notify=notify)
    notes: list[str] = []
    if db is not None:
        source_kind, shown = db.name, db.location
        expectation, loaded = _validate_engine(run, db, release, on_release, opts)
        if getattr(db, "unversioned", False):
            notes.append("unversioned BigQuery datasets: the release is detected from row counts")
    else:
        expectation, loaded = _validate_directory(run, path, release, keep_db, progress, on_release, opts)
        source_kind, shown = "directory", str(path)
    checks = run.finish()
    apply_quirks(checks, spec, {k: v or 0 for k, v in run.rows.items()})
    detected = None if expectation.synthetic else detect_release(spec, dict(run.rows), expectation.release)
    if detected:
        notes.append(f"this copy looks like {spec.releases[detected].title}, not {spec.release(expectation.release).title}")
    result = RunResult(
        tool="mimic-qa", tool_version=__version__, command=command or "mimic_qa.validate(...)",
        source=shown, release=expectation.release, release_reason=expectation.reason,
        spec_version=spec.spec_version, started_at=started, finished_at=_now(), show_values=show_values,
        detected_release=detected, notes=notes,
        row_counts={t: {"observed": run.rows.get(t), "expected": expectation.row_counts[t]} for t in selected},
        checks=checks,
    )
    result.summary = {**summarize(checks, fail_on), "duration_seconds": round(time.monotonic() - clock, 2),
                      "source_kind": source_kind, "synthetic": expectation.synthetic,
                      "tables_loaded": len(loaded)}
    return ValidationResult(result, fail_on)


@dataclass(frozen=True)
class _Options:
    with_libraries: bool  # pandera + GX for their kinds (DuckDB, PostgreSQL), else compiled SQL for all
    show_values: bool
    expectations_dir: Path | None


def _validate_engine(run: _Run, engine: Engine, release: str | None,
                     on_release: Callable[[Expectation], None] | None, opts: _Options) -> tuple[Expectation, set[str]]:
    """Validate a database in place: structure from its catalogue, then every check as a query."""
    db_file = engine.library_target
    delegated = PANDERA_KINDS | GX_KINDS if opts.with_libraries and db_file else frozenset()
    try:
        meta = engine.stored_meta()
        expectation = choose_release(run.spec, release, None, meta)
        if on_release:
            on_release(expectation)
        present = engine.present()
        engine.plan([q for name in run.tables if name in present
                     for q in table_queries(run.spec, run.catalog, run.spec.tables[name], engine.relation,
                                            engine.trim_codes)])
        rejects = {t: {c: ColumnRejects(*v) for c, v in cols.items()}
                   for t, cols in (meta or {}).get("rejects", {}).items()}
        loaded = {name for name in run.tables if _db_structure(run, engine, run.spec.tables[name], present, rejects)}
        _data_checks(run, engine, expectation, loaded, delegated, opts.show_values)
        run.skip_reason["release.files.unexpected"] = "source is a database, not release files"
        run.skip_reason["release.sha256sums.listed"] = "source is a database, not release files"
    finally:
        engine.close()
    if delegated and db_file is not None:
        _delegated_checks(run, db_file, expectation, loaded, opts, from_files=False)
    return expectation, loaded


def _validate_directory(run: _Run, path: Path, release: str | None, keep_db: str | Path | None,
                        progress: Progress | None, on_release: Callable[[Expectation], None] | None,
                        opts: _Options) -> tuple[Expectation, set[str]]:
    root = find_release_root(path)
    expectation = choose_release(run.spec, release, root)
    if on_release:
        on_release(expectation)
    build_path: Path | None = None  # None: an in-memory database
    if keep_db:
        db_path = Path(keep_db).expanduser()
        if db_path.exists():
            raise UsageError(f"{db_path}: already exists (--keep-db writes a new database)")
        build_path = db_path.with_name(db_path.name + ".partial")
        build_path.unlink(missing_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="mimic-qa-"))
    delegated = PANDERA_KINDS | GX_KINDS if opts.with_libraries else frozenset()
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            files, sums, hashes = _file_checks(run, root, pool)
            if build_path is None and not _fits_in_memory(files):
                build_path = workdir / "mimic.duckdb"
            con = open_database(build_path, memory_limit=MEMORY_LIMIT, threads=2, spill_dir=workdir)
            try:
                loaded, pandera = _load_all_with_schemas(run, con, files, progress, opts, delegated)
                _data_checks(run, DuckDBEngine(str(build_path or path), con), expectation, loaded, delegated,
                             opts.show_values)
                if delegated:
                    _delegated_checks(run, con, expectation, loaded, opts, from_files=True, pandera_results=pandera)
                _finish_hashes(run, sums, files, hashes)
                if keep_db:
                    _write_meta(con, expectation, run)
            finally:
                con.close()
        if keep_db:
            build_path.rename(db_path)
        return expectation, loaded
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if keep_db and build_path.exists():
            build_path.unlink()


def _fits_in_memory(files: dict) -> bool:
    """Whether the tables' files are small enough to parse into an in-memory database: stored uncompressed,
    it costs about a third less CPU to fill than a file, but a full release would spill some 100 GB to scratch."""
    size = sum(f.path.stat().st_size * (IN_MEMORY_FACTOR if f.path.name.endswith(".gz") else 1)
               for f in files.values())
    return size <= IN_MEMORY_MAX_BYTES


def _load_all_with_schemas(run: _Run, con: duckdb.DuckDBPyConnection, files: dict, progress: Progress | None,
                           opts: _Options, delegated: frozenset[str]) -> tuple[set[str], list[CheckResult] | None]:
    """Parse every file; with the libraries on, pandera checks each table as soon as it is parsed (on the CPU
    the parse leaves idle) and GX is imported meanwhile. Returns the loaded tables and pandera's results."""
    if not delegated:
        return _load_all(run, con, files, progress), None
    futures: list[Future[list[CheckResult]]] = []
    # One worker for the GX import and pandera: both change the process-wide warning filters, which is not
    # thread-safe. The pool is left only when its tasks are done.
    with ThreadPoolExecutor(max_workers=1) as schemas:
        schemas.submit(_import_gx)
        loaded = _load_all(run, con, files, progress,
                           lambda name: futures.append(schemas.submit(_pandera_table, con, name, opts)))
    return loaded, [r for f in futures for r in f.result()]


def _import_gx() -> None:
    from mimic_qa.gx import import_great_expectations

    import_great_expectations()


def _pandera_table(con: duckdb.DuckDBPyConnection, name: str, opts: _Options) -> list[CheckResult]:
    from mimic_qa.schemas import run_schemas

    return run_schemas(con, tables=[name], show_values=opts.show_values)


def _load_all(run: _Run, con: duckdb.DuckDBPyConnection, files: dict, progress: Progress | None,
              on_loaded: Callable[[str], None] | None = None) -> set[str]:
    """Parse every present file once, two at a time (gzip decoding is single-threaded per file);
    ``on_loaded(table)`` is called as soon as a table has been parsed."""
    spec = run.spec
    for name in run.tables:
        if name not in files:
            create_empty(con, spec.tables[name])
    todo = sorted((n for n in run.tables if n in files), key=lambda n: -files[n].path.stat().st_size)

    def one(name: str) -> tuple[str, LoadOutcome]:
        size = files[name].path.stat().st_size
        if progress:
            progress("start", name, size)
        cur = con.cursor()
        try:
            outcome = load_table(cur, spec.tables[name], files[name])
            if on_loaded and outcome.loaded:
                on_loaded(name)
            return name, outcome
        finally:
            cur.close()
            if progress:
                progress("done", name, size)

    loaded: set[str] = set()
    with ThreadPoolExecutor(max_workers=2) as pool:
        for name, outcome in pool.map(one, todo):
            _record_load(run, spec.tables[name], outcome)
            if outcome.loaded:
                loaded.add(name)
    return loaded


def _finish_hashes(run: _Run, sums: dict[str, str] | None, files: dict,
                   hashes: dict[str, Future[FileScan]]) -> None:
    """Record SHA256SUMS.txt matches, and gzip damage that the parse did not notice (DuckDB skips CRCs)."""
    by_id = run.by_id
    for name, fut in hashes.items():
        t = run.spec.tables[name]
        scan = fut.result()
        rel = files[name].relative
        if sums is not None and rel in sums:
            ok = scan.sha256 == sums[rel]
            run.put(by_id[f"{t.qualified_name}.file.sha256"], Status.PASSED if ok else Status.FAILED, 0 if ok else 1,
                    "ok" if ok else f"{rel} does not match {SUMS_FILE}")
        readable = run.results.get(f"{t.qualified_name}.file.readable")
        if scan.gzip_error and readable is not None and readable.status is Status.PASSED:
            run.put(by_id[f"{t.qualified_name}.file.readable"], Status.FAILED, None,
                    f"{t.file}: {scan.gzip_error}; the values read from it cannot be trusted")
