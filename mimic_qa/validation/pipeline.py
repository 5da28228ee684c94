"""``validate``: check a MIMIC-IV copy against its release, as a pipeline of small stages.

  1. open the source SOURCE names (``sources.open``); choose each project's release (``release``)
  2. file integrity (directories): presence, SHA256SUMS.txt, gzip streams (``integrity``)
  3. parse each CSV once into DuckDB (``parse``), or read a database's columns and types (``structure``)
  4. the checks a database counts: compiled SQL (``counting``) and, with ``--checks all``, pandera and GX
     (``libraries``); then the site's local checks, as compiled SQL (``local_checks``)
  5. known quirks (``quirks``), then the site's waivers (``mimic_qa.results.gate.judge_waivers``)
  6. the run record and the gate (``result``); with ``history``, the run kept and compared (``mimic_qa.history``)

Results carry ids and counts only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mimic_qa import selection
from mimic_qa.checks.catalog import build_catalog
from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.sql import table_queries
from mimic_qa.errors import UsageError
from mimic_qa.interrupts import removed_if_interrupted
from mimic_qa.progress import ignore
from mimic_qa.sources.base import Source
from mimic_qa.sources.duckdb import DuckDBSource
from mimic_qa.sources.fingerprint import Fingerprint, combined, database_file_digest, table_fingerprints
from mimic_qa.sources.folder import FolderSource
from mimic_qa.sources.meta import write_meta
from mimic_qa.sources.open import Options, open_sources
from mimic_qa.spec import Spec, load_spec
from mimic_qa.spec.severity import Severity
from mimic_qa.results.gate import judge_waivers
from mimic_qa.validation.counting import count_rows_and_per_row, count_set_based, skip_unreachable
from mimic_qa.validation.fingerprints import changed_since_built, scanned_fingerprints, with_fingerprints
from mimic_qa.validation.integrity import check_files, record_scans
from mimic_qa.validation.libraries import PANDERA_KINDS, Libraries
from mimic_qa.validation.local_checks import LocalRun, run_local_checks
from mimic_qa.validation.options import ValidateOptions
from mimic_qa.validation.parse import (fits_in_memory, kept_meta, open_parse_database, parse_files, parse_only,
                                      stored_rejects)
from mimic_qa.validation.quirks import apply_quirks
from mimic_qa.validation.reuse import Plan, earlier_fingerprints, merged, plan_reuse, read_earlier, recorded
from mimic_qa.sources.release import Expectation, choose_release
from mimic_qa.validation.result import ValidationResult, run_record
from mimic_qa.validation.store import ResultStore
from mimic_qa.validation.stream import check_only, kept_share, stream_stage
from mimic_qa.validation.structure import NOT_FILES, record_structure


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def select_tables(spec: Spec, tables: list[str] | None, projects: list[str],
                  exclude: list[str] | None = None) -> list[str]:
    """The tables checked, in spec order: those asked for, else every table of the projects the copy holds;
    less those excluded."""
    return selection.select_tables(spec, tables, exclude,
                                   among=[t for t in spec.tables if spec.project_of(t).key in projects])


def validate(source: str | Path | Sequence[str | Path], options: ValidateOptions | None = None, *,
             fail_on: Severity | str | None = None, **settings: Any) -> ValidationResult:
    """Validate a MIMIC-IV copy; see ``mimic-qa validate --help``. Returns the results and the verdict at ``fail_on``
    (``error``, ``warning`` or ``info``; anything else is a ``UsageError``, raised before anything runs).

    SOURCE: a release directory, a DuckDB database file, a Parquet directory, ``postgresql://...``,
    ``bigquery://PROJECT[...]``, or (``engine="spark"`` / ``spark_session=``) Parquet or a Spark catalog; or a list
    of download folders, one per PhysioNet project (MIMIC-IV, MIMIC-IV-ED, MIMIC-IV-Note), checked as one copy.
    Settings are those of ``ValidateOptions`` (given as an object, or as keywords): ``checks="all"`` runs
    NOT NULL, domains and rules through pandera and row counts, keys, references and identities through the
    Great Expectations suites (inside DuckDB or PostgreSQL); ``checks="sql"`` runs every check as compiled SQL
    (the only mode on Parquet, Spark and BigQuery).
    """
    if fail_on is not None:
        settings["fail_on"] = fail_on
    options = ValidateOptions(**settings) if options is None else replace(options, **settings)
    spec = load_spec()
    selection.select_tables(spec, options.tables, options.exclude_tables)  # a misspelt name: before the source opens
    started, clock = _now(), time.monotonic()
    arguments = [str(source)] if isinstance(source, (str, Path)) else [str(s) for s in source]
    opened = open_sources(arguments, spec, Options(
        engine=options.engine, spark_session=options.spark_session, spark_master=options.spark_master,
        max_bytes_billed=options.max_bytes_billed, notify=options.notify), command="validate")
    with opened:
        meta = opened.meta()
        remembered = meta.tables if meta is not None and not options.tables else None
        selected = select_tables(spec, options.tables or remembered, opened.projects(), options.exclude_tables)
        catalog = build_catalog(spec, selected)
        digest, prints, plan = _fingerprints(spec, catalog, selected, opened, options)
        notes: list[str] = changed_since_built(meta, prints)
        reused = plan.reused if plan else {}
        store = ResultStore(spec, [c for c in catalog if c.id not in reused], selected)
        store.fingerprints = dict(prints)
        local = LocalRun()  # the site's own checks, run after the release's
        if plan and plan.complete(catalog):  # nothing changed: the earlier verdict stands, no check runs
            expectation, present = _unchanged(store, opened, options, local, plan)
        elif isinstance(opened, FolderSource):
            expectation, present = _directory(store, opened, options, local)
        else:
            expectation, present = _database(store, opened, options, local)
            if getattr(opened, "unversioned", False):
                notes.append("unversioned BigQuery datasets: the release is detected from row counts")
    fresh = store.finish() + local.results
    apply_quirks(fresh, spec, {k: v or 0 for k, v in store.rows.items()})
    if plan:
        store.rows = {**plan.observed_rows(selected), **store.rows}
        plan.record.checks_reused, plan.record.checks_run = len(reused), len(fresh)
    checks = merged(catalog, reused, fresh)
    site = options.config
    waivers = judge_waivers(checks, site.waivers if site else (), {**local.rows, **store.rows}, datetime.now().date())
    notes += [f"waiver {w.check!r} matches no check of this run ({site.path if site else ''})"
              for w in waivers if not w.matched]
    run = run_record(spec, checks, expectation, store.rows, selected, command=options.command,
                     shown=opened.location, source_kind="directory" if isinstance(opened, FolderSource)
                     else opened.engine, started=started, finished=_now(), seconds=time.monotonic() - clock,
                     show_values=options.show_values, notes=notes, tables_loaded=len(present))
    if site:
        run.config, run.waivers, run.local_checks = str(site.path), waivers, site.local.records()
    run.checks_mode, run.reuse = options.checks, plan.record if plan else None
    run.fingerprints = recorded({t: f if f.rows is not None else replace(f, rows=store.rows.get(t))
                                 for t, f in store.fingerprints.items()})
    run.fingerprint, run.database_sha256 = combined(store.fingerprints, expectation.releases), digest
    result = ValidationResult(run, options.fail_on)
    if options.history:
        from mimic_qa.history import keep_run

        run.history = keep_run(run, Path(options.history).expanduser())
    return result


def _fingerprints(spec: Spec, catalog: list[CheckDef], selected: list[str], source: Source,
                  options: ValidateOptions) -> tuple[str | None, dict[str, Fingerprint], Plan | None]:
    """A DuckDB file's digest; the tables' fingerprints known before the checks (a database's; a folder's only
    when reusing, else they come with the files' hashes); and, with ``--reuse``, what the earlier results answer.
    The same database file as the earlier results': their fingerprints stand, no table is scanned."""
    digest = database_file_digest(source)
    folder = isinstance(source, FolderSource)
    reuse = Path(options.reuse).expanduser() if options.reuse else None
    earlier = read_earlier(reuse) if reuse else None
    prints = earlier_fingerprints(earlier, digest)
    prints.update(table_fingerprints(source, [t for t in selected if t not in prints] if reuse or not folder else []))
    if reuse is None:
        return digest, prints, None
    plan = plan_reuse(reuse, earlier, spec, catalog, selected, prints,
                      releases=choose_release(spec, options.release, source).releases,
                      source_kind="directory" if folder else source.engine, checks_mode=options.checks,
                      show_values=options.show_values, whole=folder)
    if folder and plan.reused and options.config and options.config.local.checks:  # they need the parsed files
        why = "the site's local checks run on the parsed files"
        plan = Plan(plan.record.model_copy(update={"tables_reused": [], "reason": why}), plan.earlier)
    return digest, prints, plan


def _unchanged(store: ResultStore, source: Source, options: ValidateOptions, local: LocalRun,
               plan: Plan) -> tuple[Expectation, set[str]]:
    """Every check reused: the release is chosen and the site's local checks run; nothing else reads the data."""
    expectation = _chosen(store, source, options)
    present = set(source.columns()) & set(store.tables)
    _local(store, source, options, present, not isinstance(source, FolderSource), local)
    return expectation, present


def _chosen(store: ResultStore, source: Source, options: ValidateOptions) -> Expectation:
    expectation = choose_release(store.spec, options.release, source)
    if options.on_release:
        options.on_release(expectation)
    return expectation


def _local(store: ResultStore, source: Source, options: ValidateOptions, present: set[str], in_database: bool,
           local: LocalRun) -> None:
    """The site's local checks (configuration file), on the source the release's checks ran on."""
    if options.config and options.config.local.checks:
        found = run_local_checks(options.config.local, source, store.tables, present, in_database)
        local.results, local.rows = found.results, found.rows


def _database(store: ResultStore, source: Source, options: ValidateOptions,
              local: LocalRun) -> tuple[Expectation, set[str]]:
    """A database in place: structure from its catalogue, then every check as a query (or a library's)."""
    spec = store.spec
    libs = Libraries(gx_apart=True) if options.checks == "all" and source.library_target is not None else None
    # pandera shares a DuckDB file's open connection (through a cursor); GX, in its own process, opens it itself
    schemas_on: Any = source.con if isinstance(source, DuckDBSource) else source.library_target
    try:
        expectation = _chosen(store, source, options)
        columns = source.columns()
        source.plan([q for name in store.tables if name in columns
                     for q in table_queries(spec, spec.tables[name], store.checks(name))])
        rejects = stored_rejects(source.meta())
        present = {n for n in store.tables
                   if record_structure(store, source, spec.tables[n], columns.get(n), rejects.get(n, {}))}
        store.skip_stage(None, "files", NOT_FILES)
        if libs:
            # the tables with checks of pandera's kinds (when reusing, the others have only relationships to check)
            libs.check_tables(store, schemas_on, [t for t in store.tables if t in present
                                                  and store.checks(t, PANDERA_KINDS)], options)
        heard = options.progress or ignore
        count_rows_and_per_row(store, source, expectation, present, libs is not None, options.show_values, heard)
        skip_unreachable(store, present)
        count_set_based(store, source, present, libs is not None, heard)
        _local(store, source, options, present, True, local)
        if libs and source.library_target is not None:
            libs.finish(store, source.library_target, expectation, present, options)
            libs = None
    finally:
        if libs:
            libs.abandon()
    return expectation, present


def _directory(store: ResultStore, source: FolderSource, options: ValidateOptions,
               local: LocalRun) -> tuple[Expectation, set[str]]:
    """Release files: integrity, one parse into DuckDB, then every check on that database."""
    spec = store.spec
    expectation = _chosen(store, source, options)
    kept: Path | None = None
    if options.keep_db:
        kept = Path(options.keep_db).expanduser()
        if kept.exists():
            raise UsageError(f"{kept}: already exists (--keep-db writes a new database)")
    # built under a name of this run's own (two runs keeping the same path cannot mix their files), then linked
    # into place only if nothing took the name meanwhile
    building = kept.with_name(f".{kept.name}.{os.getpid()}.partial") if kept else None
    with contextlib.ExitStack() as stack:  # on any exit, and on Ctrl-C, nothing half-built is left behind
        scratch = Path(tempfile.mkdtemp(prefix="mimic-qa-"))
        stack.callback(shutil.rmtree, scratch, ignore_errors=True)
        stack.enter_context(removed_if_interrupted(scratch))
        if building:  # the database being built, and DuckDB's write-ahead log beside it
            for part in (building, building.with_name(building.name + ".wal")):
                part.unlink(missing_ok=True)
                stack.callback(part.unlink, missing_ok=True)
                stack.enter_context(removed_if_interrupted(part))
        libs = Libraries(gx_apart=False) if options.checks == "all" else None
        if libs:
            stack.callback(libs.abandon)
        with ThreadPoolExecutor(max_workers=2) as pool:
            files = check_files(store, source, pool)
            share = kept_share(spec, store.catalog, files.found) if check_only(options) else None
            db_path = building or (None if fits_in_memory(files.found, share) else scratch / "mimic.duckdb")
            con = open_parse_database(spec, db_path, scratch)
            try:
                on_parsed = (lambda table: libs.check_tables(store, con, [table], options)) if libs else None
                if check_only(options):  # each file read once, its single-row checks counted as it is read
                    streamed = stream_stage(store, con, files.found, files.facts, expectation, libs is not None,
                                            options.progress)
                    if libs:
                        libs.add(streamed.pandera)
                    whole = parse_only(store, con, streamed.whole, files.facts, None, on_parsed)
                else:
                    streamed, whole = None, parse_files(store, con, files.found, files.facts, options.progress,
                                                        on_parsed)
                parsed = DuckDBSource(spec, con, str(db_path or source.location), owned=False)
                heard = options.progress or ignore
                count_rows_and_per_row(store, parsed, expectation, whole, libs is not None, options.show_values,
                                       heard)
                present = whole | (streamed.present if streamed else set())
                skip_unreachable(store, present)
                count_set_based(store, parsed, present, libs is not None, heard)
                _local(store, parsed, options, present, False, local)
                if libs:
                    libs.finish(store, con, expectation, present, options)
                record_scans(store, files)
                store.fingerprints = store.fingerprints or scanned_fingerprints(files)
                if building:
                    chosen = store.tables if options.tables or options.exclude_tables else None  # remembered
                    write_meta(con, with_fingerprints(kept_meta(expectation, chosen, files.facts), parsed, present,
                                                      store.fingerprints))
            finally:
                con.close()
        if kept and building:
            try:
                os.link(building, kept)
            except FileExistsError:
                raise UsageError(f"{kept}: created by another run meanwhile; this run's database is not kept") from None
        return expectation, present
