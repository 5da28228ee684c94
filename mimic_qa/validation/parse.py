"""Stage 3 (release directories): parse each CSV once, typed from the spec, into a DuckDB database.

Small copies parse into memory (about a third less CPU than a file); larger ones into a scratch file (or the
``--keep-db`` file), with DuckDB's memory capped. Two files parse at a time (gzip decoding is single-threaded
per file). ``on_parsed`` hears of each table as soon as it is in the database, so pandera can check it on the
CPU the parse leaves idle. The header, each column's values that did not parse and unreadable files are
recorded as results; the offending text itself is never read back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from mimic_qa.checks.kinds.column_type import ColumnType
from mimic_qa.checks.kinds.columns import Columns, compare_header
from mimic_qa.checks.kinds.file_readable import FileReadable
from mimic_qa.checks.kinds.header_case import HeaderCase
from mimic_qa.checks.kinds.row_count import RowCount
from mimic_qa.sources.naming import META_SCHEMA
from mimic_qa.results import Status
from mimic_qa.sources.csv_loader import ColumnRejects, LoadOutcome, create_empty, load_table, open_database
from mimic_qa.sources.layout import TableFile
from mimic_qa.spec import Table
from mimic_qa.validation.options import Progress
from mimic_qa.validation.release import Expectation
from mimic_qa.validation.store import ResultStore

MEMORY_LIMIT = "4GB"  # DuckDB's buffer pool: keeps peak RSS well under 6 GB at any scale
IN_MEMORY_FACTOR = 5  # bytes of uncompressed in-memory table per byte of csv.gz (4.2 measured at scale 0.01)
IN_MEMORY_MAX_BYTES = 2 << 30


def fits_in_memory(files: dict[str, TableFile]) -> bool:
    """Whether the files are small enough to parse into an in-memory database: stored uncompressed, it costs
    about a third less CPU to fill than a file, but a full release would spill some 100 GB to scratch."""
    size = sum(f.path.stat().st_size * (IN_MEMORY_FACTOR if f.compressed else 1) for f in files.values())
    return size <= IN_MEMORY_MAX_BYTES


def open_parse_database(path: Path | None, scratch: Path) -> duckdb.DuckDBPyConnection:
    """The database the files parse into: ``path``, or in memory (None), spilling to ``scratch``."""
    return open_database(path, memory_limit=MEMORY_LIMIT, threads=2, spill_dir=scratch)


def record_header(store: ResultStore, table: Table, observed: list[str]) -> list[str]:
    """The columns and header-case checks of a header or a stored table; returns the spec columns missing."""
    found = compare_header(table.column_names, observed)
    store.put(store.check(table.name, Columns.name), Status.FAILED if found.differences else Status.PASSED,
              found.differences, Columns.message(found))
    store.put(store.check(table.name, HeaderCase.name), Status.FAILED if found.other_case else Status.PASSED,
              len(found.other_case), HeaderCase.message(found))
    for column in found.missing:
        store.skip_column(table.name, column)
    return found.missing


def record_rejects(store: ResultStore, table: Table, rejects: dict[str, ColumnRejects],
                   skip: list[str] | None = None) -> None:
    """Each column's type check: the values that did not parse (counted, with the first line), or none."""
    for column in table.columns:
        if column.name in (skip or []):
            continue
        check = store.column_check(table, ColumnType.name, column.name)
        rej = rejects.get(column.name)
        if rej:
            store.put(check, Status.FAILED, rej.count, ColumnType.rejects_message(column.type, rej.count, rej.first_line))
        else:
            store.put(check, Status.PASSED, 0, "ok")


def _record(store: ResultStore, table: Table, outcome: LoadOutcome) -> None:
    readable = store.check(table.name, FileReadable.name)
    if outcome.unreadable:
        store.put(readable, Status.FAILED, None, FileReadable.unreadable(table, outcome.unreadable))
        store.skip_table(table.name, f"{table.file} could not be read")
        store.put(store.check(table.name, RowCount.name), Status.ERROR, None, f"{table.file} could not be read")
        return
    bad = outcome.bad_unicode_lines + outcome.other_rejects
    store.put(readable, Status.FAILED if bad else Status.PASSED, bad,
              FileReadable.message(outcome.bad_unicode_lines, outcome.other_rejects))
    missing = record_header(store, table, outcome.header or [])
    record_rejects(store, table, outcome.rejects, skip=missing)


def parse_files(store: ResultStore, con: duckdb.DuckDBPyConnection, files: dict[str, TableFile],
                progress: Progress | None, on_parsed: Callable[[str], None] | None = None
                ) -> tuple[set[str], dict[str, dict[str, ColumnRejects]]]:
    """Parse every present file, largest first, two at a time. Returns the tables parsed and, per table,
    the values that did not parse (for a kept database's metadata)."""
    spec = store.spec
    for name in store.tables:
        if name not in files:
            create_empty(con, spec.tables[name])
    todo = sorted(files, key=lambda n: -files[n].path.stat().st_size)

    def one(name: str) -> tuple[str, LoadOutcome]:
        size = files[name].path.stat().st_size
        if progress:
            progress("start", name, size, None)
        cur = con.cursor()
        outcome: LoadOutcome | None = None
        try:
            outcome = load_table(cur, spec.tables[name], files[name])
            if on_parsed and outcome.loaded:
                on_parsed(name)
            return name, outcome
        finally:
            cur.close()
            if progress:
                progress("done", name, size, outcome.rows if outcome else None)

    parsed: set[str] = set()
    rejects: dict[str, dict[str, ColumnRejects]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for name, outcome in pool.map(one, todo):
            _record(store, spec.tables[name], outcome)
            rejects[name] = outcome.rejects
            if outcome.loaded:
                parsed.add(name)
    return parsed, rejects


def write_meta(con: duckdb.DuckDBPyConnection, expectation: Expectation,
               rejects: dict[str, dict[str, ColumnRejects]]) -> None:
    """Record the release and the values that did not parse in a kept database, so that validating the
    database later expects the same counts and reports the same type failures."""
    kept = {t: {c: [r.count, r.first_line] for c, r in cols.items()} for t, cols in rejects.items() if cols}
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {META_SCHEMA}")
    con.execute(f"CREATE OR REPLACE TABLE {META_SCHEMA}.release "
                "(release VARCHAR, synthetic BOOLEAN, row_counts VARCHAR, rejects VARCHAR)")
    con.execute(f"INSERT INTO {META_SCHEMA}.release VALUES (?, ?, ?, ?)",
                [expectation.release, expectation.synthetic, json.dumps(expectation.row_counts), json.dumps(kept)])


def stored_rejects(meta: dict | None) -> dict[str, dict[str, ColumnRejects]]:
    """The values that did not parse when mimic-qa built the database (from its metadata)."""
    return {t: {c: ColumnRejects(*v) for c, v in cols.items()} for t, cols in (meta or {}).get("rejects", {}).items()}
