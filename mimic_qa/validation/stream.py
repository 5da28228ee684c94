"""Stage 3, check-only (release folders without ``--keep-db``): each file is read once, its single-row checks are
counted in that read, and only the columns keys, references, identities and windows need are kept.

Per file, one DuckDB statement reads the CSV typed from the spec (through a view naming the columns as the spec
does, rejecting the values that do not parse, as ``parse`` does) and stores the kept columns plus BIGINT flag
columns, one bit per single-row check: compiled SQL's (``PerRow.violates``) and, with ``--checks all``, pandera's
probes, built from pandera's own check expressions (``mimic_qa.schemas.stream_schema``). Every column is read and
typed (so a value that does not parse rejects its row, whichever columns are kept); the flags are counted in one
scan of themselves, then dropped. The kept tables carry the spec's names, so the set-based checks (compiled SQL or
the GX suites) run on them as on a full parse. A file whose statement fails (damaged, unreadable, a check that does
not bind) is parsed whole instead (``parse``), and checked as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds import PerRow, SetBased, TableFacts, engine_of, kind
from mimic_qa.checks.sql import counted
from mimic_qa.errors import WriteError
from mimic_qa.results import CheckResult
from mimic_qa.sources.csv_loader import LoadOutcome, collect_rejects, csv_read, read_header, write_failure
from mimic_qa.sources.layout import TableFile
from mimic_qa.sources.naming import qualified, quote_ident
from mimic_qa.sources.release import Expectation
from mimic_qa.spec import Spec, Table
from mimic_qa.validation.counting import record_per_row
from mimic_qa.validation.options import Progress, ValidateOptions
from mimic_qa.validation.parse import create_missing, read_each, record_outcome
from mimic_qa.validation.store import ResultStore

VIEWS = "mimic_qa_stream"  # the schema of the views each file is read through
BITS = 62  # flags per BIGINT column
FLAG = "__mimic_qa_flags_{}"
READ_ALL = "__mimic_qa_read_all"


def kept_columns(spec: Spec, checks: list[CheckDef]) -> dict[str, set[str]]:
    """Per table, the columns the set-based checks read, as the checked table or as the table referred to."""
    out: dict[str, set[str]] = {}
    for c in checks:
        if c.table is None or not isinstance(kind(c.kind), SetBased):
            continue
        out.setdefault(c.table, set()).update(c.columns)
        p = c.params
        if p.get("where"):
            out[c.table].update(spec.tables[c.table].column_names)  # a condition over the child's columns
        ref = p.get("ref_table")
        if ref is None:
            continue
        other = out.setdefault(ref, set())
        other.update(p.get("ref_columns") or ())
        if c.kind == "identity":
            other.update(c.columns)
        if c.kind == "window":
            out[c.table].update([p["column"], *p["key"]])
            other.update([*p["key"], *(b for b in (p["start"], p["end"]) if b)])
    return out


@dataclass
class Streamed:
    """What one file's read found: the parse's outcome, the counts of compiled SQL's checks (check id -> rows),
    and pandera's results (None: pandera does not run, or the file was parsed whole instead)."""

    outcome: LoadOutcome
    counts: dict[str, int] = field(default_factory=dict)
    pandera: list[CheckResult] | None = None


def _violates(check: CheckDef, table: Table) -> str:
    """A single-row check's violation, as a DuckDB condition over the table's columns."""
    per_row = kind(check.kind)
    assert isinstance(per_row, PerRow)
    return per_row.violates(check, table).sql(dialect="duckdb")


def _flags(conditions: list[str]) -> list[str]:
    """BIGINT columns of flag bits, bit i of column g set where condition g*BITS+i holds (NULL: not set)."""
    return [f"({' | '.join(f'(CASE WHEN {c} THEN {1 << i} ELSE 0 END)' for i, c in enumerate(group))})::BIGINT "
            f"AS {FLAG.format(g)}" for g, group in enumerate(conditions[k:k + BITS] for k in range(0, len(conditions), BITS))]


def _counts(cur: duckdb.DuckDBPyConnection, relation: str, n: int) -> tuple[int, list[int]]:
    """The rows of the kept table, and how many have each of the ``n`` flags set."""
    bits = [f"count(*) FILTER (WHERE ({FLAG.format(i // BITS)} & {1 << (i % BITS)}) <> 0)" for i in range(n)]
    total, *counts = cur.execute(f"SELECT {', '.join(['count(*)', *bits])} FROM {relation}").fetchone() or (0,)
    return int(total), [int(x) for x in counts]


def _view_sql(spec: Spec, table: Table, path: Path, header: list[str]) -> str:
    """The file as a relation with the spec's column names and types (a column the file lacks is NULL)."""
    spelled = table.spelled_in(header)
    columns = ", ".join(f"{quote_ident(spelled[c.name])} AS {quote_ident(c.name)}" if c.name in spelled
                        else f"CAST(NULL AS {c.sql_type('duckdb')}) AS {quote_ident(c.name)}" for c in table.columns)
    read = csv_read(path, header, table.duckdb_types(header), rejects=table.name)
    return f"CREATE OR REPLACE VIEW {VIEWS}.{quote_ident(table.name)} AS SELECT {columns} FROM {read}"


def stream_table(cur: duckdb.DuckDBPyConnection, spec: Spec, table: Table, path: Path, keep: set[str],
                 checks: list[CheckDef], pandera: list[CheckDef] | None) -> Streamed | None:
    """Read one file once into its kept columns, counting ``checks`` (single-row, compiled SQL) and, when
    ``pandera`` is given (the table's catalogue), pandera's checks. None: the file must be parsed whole instead."""
    try:
        header = read_header(path)
    except ValueError:
        return None
    if len(header) != len(table.columns) or len(table.spelled_in(header)) != len(header):
        return None  # a header other than the spec's columns (in any letter case): the full parse judges it
    target = qualified(spec, table)
    view = f"{VIEWS}.{quote_ident(table.name)}"
    try:
        try:
            cur.execute(_view_sql(spec, table, path, header))
        except duckdb.Error:  # a header the view cannot bind (a column named twice): the full parse says why
            _drop_rejects(cur, table.name)
            return None
        source, conditions, schema = f"SELECT * FROM {view}", [], None
        if pandera is not None:
            try:
                from mimic_qa.schemas import stream_schema

                schema = stream_schema(cur, spec, table, VIEWS, pandera)
            except Exception:  # noqa: BLE001  (parsed whole, pandera meets the table as it did, and says so)
                return None
            source, conditions = schema.source, list(schema.conditions)
        conditions = [_violates(c, table) for c in checks] + conditions
        present = [quote_ident(c) for c in table.column_names if c in table.spelled_in(header)]
        # every column read and typed: a value that does not parse rejects its row, as in a full parse
        read_all = [f"({' AND '.join(f'{c} IS NULL' for c in present)}) AS {READ_ALL}"] if present else []
        kept = [quote_ident(c) for c in table.column_names if c in keep] or [quote_ident(table.column_names[0])]
        flags = _flags(conditions)
        try:
            cur.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT {', '.join([*kept, *flags, *read_all])} "
                        f"FROM ({source}) AS src")
        except duckdb.Error as exc:
            if why := write_failure(exc):
                raise WriteError(f"cannot write the database {table.name} is checked in: {why}") from None
            _drop_rejects(cur, table.name)
            return None
        rows, counts = _counts(cur, target, len(conditions))
        for column in [*(FLAG.format(g) for g in range(len(flags))), *([READ_ALL] if read_all else [])]:
            cur.execute(f"ALTER TABLE {target} DROP COLUMN {column}")
        outcome = LoadOutcome(table.name, header=header, loaded=True, rows=rows,
                              rejects=collect_rejects(cur, table.name, table.column_names))
        streamed = Streamed(outcome, {c.id: n for c, n in zip(checks, counts)})
        if schema is not None:
            streamed.pandera = schema.results(rows, counts[len(checks):])
        return streamed
    finally:
        cur.execute(f"DROP VIEW IF EXISTS {view}")


def _drop_rejects(cur: duckdb.DuckDBPyConnection, tag: str) -> None:
    cur.execute(f"DROP TABLE IF EXISTS rejects_{tag}")
    cur.execute(f"DROP TABLE IF EXISTS rejects_scan_{tag}")


def stream_files(con: duckdb.DuckDBPyConnection, spec: Spec, files: dict[str, TableFile],
                 keep: dict[str, set[str]], checks: dict[str, list[CheckDef]], pandera: dict[str, list[CheckDef]] | None,
                 progress: Progress | None, heard: Callable[[str, Streamed | None], None]) -> None:
    """Stream every present file, largest first, two at a time; ``heard`` is told each table's outcome (None: to
    be parsed whole), on this thread, in the order of the files."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {VIEWS}")

    def read(cur: duckdb.DuckDBPyConnection, name: str) -> Streamed | None:
        return stream_table(cur, spec, spec.tables[name], files[name].path, keep.get(name, set()),
                            checks.get(name, []), pandera.get(name) if pandera is not None else None)

    for name, streamed in read_each(con, files, progress, read, lambda s: s.outcome.rows if s else None):
        heard(name, streamed)


@dataclass
class StreamRun:
    """What the check-only pass left: the tables streamed (checked and kept), the files to parse whole, and
    pandera's results of the streamed tables."""

    present: set[str] = field(default_factory=set)
    whole: dict[str, TableFile] = field(default_factory=dict)
    pandera: list[CheckResult] = field(default_factory=list)


def stream_stage(store: ResultStore, con: duckdb.DuckDBPyConnection, files: dict[str, TableFile],
                 facts: dict[str, TableFacts], expectation: Expectation, libraries: bool,
                 progress: Progress | None) -> StreamRun:
    """Stream the selected tables' files (``libraries``: pandera's checks counted too), judging what each read
    found as a full parse would, and recording each table's rows and single-row results."""
    spec = store.spec
    create_missing(store, con, files)
    single = {n: [c for c in store.checks(n) if isinstance(kind(c.kind), PerRow)
                  and engine_of(c.kind, libraries) == "sql"] for n in files}
    run = StreamRun()

    def heard(name: str, streamed: Streamed | None) -> None:
        if streamed is None:
            run.whole[name] = files[name]
            return
        record_outcome(store, spec.tables[name], facts[name], streamed.outcome)
        results = [counted(c, streamed.counts[c.id], streamed.outcome.rows, "sql") for c in single[name]]
        record_per_row(store, name, streamed.outcome.rows, results, expectation, libraries)
        run.pandera += streamed.pandera or []
        run.present.add(name)

    stream_files(con, spec, files, kept_columns(spec, store.catalog), single,
                 {n: store.checks(n) for n in files} if libraries else None, progress, heard)
    return run


def check_only(options: ValidateOptions) -> bool:
    """Whether a release folder is validated by streaming: nothing is kept (no ``--keep-db``), no offending
    values are shown (they are read from the stored columns) and no site checks run (they may read any column)."""
    return options.keep_db is None and not options.show_values and not (options.config and options.config.local.checks)


def kept_share(spec: Spec, checks: list[CheckDef], files: dict[str, TableFile]) -> dict[str, float]:
    """Per table, the fraction of its columns the check-only pass keeps (to size its database)."""
    keep = kept_columns(spec, checks)
    return {n: max(len(keep.get(n, ())), 1) / len(spec.tables[n].columns) for n in files}
