"""Stage 3 (release directories): parse each CSV once, typed from the spec, into a DuckDB database.

Small copies parse into memory (about a third less CPU than a file); larger ones into a scratch file (or the
``--keep-db`` file), with DuckDB's memory capped. Two files parse at a time (gzip decoding is single-threaded
per file). ``on_parsed`` hears of each table as soon as it is in the database, so pandera can check it on the
CPU the parse leaves idle. The header, each column's values that did not parse and unreadable files are
recorded as results; the offending text itself is never read back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import duckdb

from mimic_qa.checks.kinds import TableFacts
from mimic_qa.checks.kinds.columns import compare_header
from mimic_qa.sources.base import Meta
from mimic_qa.sources.csv_loader import LoadOutcome, create_table_sql, load_table
from mimic_qa.sources.duckdb import create_database
from mimic_qa.sources.layout import TableFile
from mimic_qa.sources.naming import qualified
from mimic_qa.spec import Spec, Table
from mimic_qa.progress import PHASE
from mimic_qa.validation.options import Progress
from mimic_qa.sources.release import Expectation
from mimic_qa.validation.store import ResultStore

MEMORY_LIMIT = "4GB"  # DuckDB's buffer pool: keeps peak RSS well under 6 GB at any scale
IN_MEMORY_FACTOR = 5  # bytes of uncompressed in-memory table per byte of csv.gz (4.2 measured at scale 0.01)
IN_MEMORY_MAX_BYTES = 2 << 30
T = TypeVar("T")


def fits_in_memory(files: dict[str, TableFile], share: dict[str, float] | None = None) -> bool:
    """Whether the files are small enough to parse into an in-memory database: stored uncompressed, it costs
    about a third less CPU to fill than a file, but a full release would spill some 100 GB to scratch.
    ``share``: per table, the fraction of its columns stored (all, where not given)."""
    size = sum(f.path.stat().st_size * (IN_MEMORY_FACTOR if f.compressed else 1) * (share or {}).get(n, 1.0)
               for n, f in files.items())
    return size <= IN_MEMORY_MAX_BYTES


def open_parse_database(spec: Spec, path: Path | None, scratch: Path) -> duckdb.DuckDBPyConnection:
    """The database the files parse into: ``path``, or in memory (None), spilling to ``scratch``."""
    return create_database(spec, path, memory_limit=MEMORY_LIMIT, threads=2, spill_dir=scratch)


def judge_structure(store: ResultStore, table: Table, facts: TableFacts) -> None:
    """The header and type checks of a header or a stored table; checks on a missing column are skipped."""
    for column in compare_header(table.column_names, facts.header or []).missing:
        store.skip_column(table.name, column)
    store.judge(table.name, facts, "structure")


def record_outcome(store: ResultStore, table: Table, facts: TableFacts, outcome: LoadOutcome) -> None:
    file = facts.file
    assert file is not None
    file.read, file.unreadable = True, outcome.unreadable
    file.bad_unicode_lines, file.malformed_lines = outcome.rejects.bad_unicode_lines, outcome.rejects.other_lines
    store.judge(table.name, facts, "files")
    if outcome.unreadable:
        store.judge(table.name, facts, "data")
        store.skip_table(table.name, f"{table.file} could not be read", keep_stage="files")
        return
    facts.header = outcome.header
    facts.rejects = {c: (r.count, r.first_line) for c, r in outcome.rejects.columns.items()}
    judge_structure(store, table, facts)


def parse_files(store: ResultStore, con: duckdb.DuckDBPyConnection, files: dict[str, TableFile],
                facts: dict[str, TableFacts], progress: Progress | None,
                on_parsed: Callable[[str], None] | None = None) -> set[str]:
    """Parse every present file, largest first, two at a time, into its typed table (empty for a missing
    file, so the layout is complete); the facts learned are judged. Returns the tables parsed."""
    create_missing(store, con, files)
    return parse_only(store, con, files, facts, progress, on_parsed)


def create_missing(store: ResultStore, con: duckdb.DuckDBPyConnection, files: dict[str, TableFile]) -> None:
    """An empty typed table for each selected table without a file, so the layout is complete."""
    spec = store.spec
    for name in store.tables:
        if name not in files:
            con.execute(create_table_sql(spec.tables[name], qualified(spec, spec.tables[name])))


def read_each(con: duckdb.DuckDBPyConnection, files: dict[str, TableFile], progress: Progress | None,
              read: Callable[[duckdb.DuckDBPyConnection, str], T], rows: Callable[[T], int | None]) -> Iterator[tuple[str, T]]:
    """Each file read by ``read`` (on a cursor of its own), largest first, two at a time (gzip decoding is
    single-threaded per file); ``progress`` hears the phase ("parsed") and each file, with ``rows`` of what its
    read returned. Yields (table, what the read returned), in the order of the files."""
    todo = sorted(files, key=lambda n: -files[n].path.stat().st_size)
    if progress:
        progress(PHASE, "parsed", sum(files[n].path.stat().st_size for n in todo), len(todo))

    def one(name: str) -> T:
        size = files[name].path.stat().st_size
        if progress:
            progress("start", name, size, None)
        cur = con.cursor()
        out: T | None = None
        try:
            out = read(cur, name)
            return out
        finally:
            cur.close()
            if progress:
                progress("done", name, size, rows(out) if out is not None else None)

    with ThreadPoolExecutor(max_workers=2) as pool:
        yield from zip(todo, pool.map(one, todo))


def parse_only(store: ResultStore, con: duckdb.DuckDBPyConnection, files: dict[str, TableFile],
               facts: dict[str, TableFacts], progress: Progress | None,
               on_parsed: Callable[[str], None] | None = None) -> set[str]:
    """Parse these files (``parse_files`` without the empty tables of missing files)."""
    spec = store.spec

    def load(cur: duckdb.DuckDBPyConnection, name: str) -> LoadOutcome:
        table = spec.tables[name]
        outcome = load_table(cur, table, files[name].path, qualified(spec, table))
        if on_parsed and outcome.loaded:
            on_parsed(name)
        return outcome

    parsed: set[str] = set()
    for name, outcome in read_each(con, files, progress, load, lambda o: o.rows):
        record_outcome(store, spec.tables[name], facts[name], outcome)
        if outcome.loaded:
            parsed.add(name)
    return parsed


def kept_meta(expectation: Expectation, tables: list[str] | None, facts: dict[str, TableFacts]) -> Meta:
    """What a kept database records, so that validating it later expects the same releases, tables and counts
    and reports the same type failures."""
    rejects = {t: {c: list(r) for c, r in f.rejects.items()} for t, f in facts.items() if f.rejects}
    return Meta(dict(expectation.releases), dict(expectation.row_counts), expectation.synthetic, tables, rejects)


def stored_rejects(meta: Meta | None) -> dict[str, dict[str, tuple[int, int]]]:
    """The values that did not parse when mimic-qa built the database (from its metadata)."""
    return {t: {c: (int(v[0]), int(v[1])) for c, v in cols.items()} for t, cols in (meta.rejects if meta else {}).items()}
