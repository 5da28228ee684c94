"""Load a MIMIC-IV release directory into PostgreSQL the way mimic-code does.

Steps (mimic-code ``create.sql``, ``load_gz.sql``, ``constraint.sql``, ``index.sql``): schemas ``<prefix>_hosp``
and ``<prefix>_icu``; per table, in one transaction, CREATE TABLE from the spec and ``COPY ... FROM
STDIN (FORMAT csv, HEADER true, NULL '')`` fed with the file decompressed in chunks (never whole in
memory); then the declared primary keys, then the declared foreign keys, then mimic-code's secondary
indexes (``indexes.yaml``). The password comes from the URL, ``PGPASSWORD`` or ``~/.pgpass`` (libpq) and is
never printed.
"""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import psycopg

from mimic_qa.errors import MimicQAError, UsageError
from mimic_qa.load import ddl
from mimic_qa.load.indexes import spec_indexes
from mimic_qa.load.pg_errors import describe
from mimic_qa.progress import TableEvents, ignore
from mimic_qa.load.ddl import schema_name, schema_names
from mimic_qa.sources.base import Meta
from mimic_qa.sources.csv_loader import read_header
from mimic_qa.sources.layout import TableFile
from mimic_qa.sources.meta import read_meta, write_meta
from mimic_qa.sources.postgres import connect, mask_dsn
from mimic_qa.spec import Spec, Table

CHUNK_BYTES = 1 << 20
Progress = Callable[[str], None]


class LoadError(MimicQAError):
    """The data did not load: a COPY or a constraint was rejected."""

    exit_code = 1


@dataclass
class LoadResult:
    """What a load did: rows copied per table, constraints added, indexes created, and how long each phase took."""

    rows: dict[str, int] = field(default_factory=dict)
    copy_seconds: float = 0.0
    constraints: list[str] = field(default_factory=list)
    constraint_seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)  # foreign keys whose target table is absent
    indexes: list[str] = field(default_factory=list)
    index_seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def check_header(table: Table, tf: TableFile, prefix: str) -> None:
    """Refuse a file whose header is not the spec's column list (COPY maps columns by position). Names are
    compared without letter case, as SQL compares them (the real procedureevents spells ORIGINALAMOUNT)."""
    try:
        found = read_header(tf.path)
    except ValueError as exc:
        raise LoadError(f"{tf.relative}: {exc}; is it a complete download?") from None
    expected = table.column_names
    if [f.lower() for f in found] == expected:
        return
    first = next((i for i, (a, b) in enumerate(zip(expected, found)) if a != b), min(len(expected), len(found)))
    want = f"'{expected[first]}'" if first < len(expected) else "no further column"
    raise LoadError(f"{tf.relative}: header differs from the spec for {schema_name(table.module, prefix)}."
                    f"{table.name}: {len(expected)} columns expected, {len(found)} found; "
                    f"column {first + 1} should be {want}")


def copy_file(cur: psycopg.Cursor, table: Table, tf: TableFile, prefix: str) -> int:
    """Stream one CSV(.gz) file into its (just created) table; returns the rows copied."""
    cols = ", ".join(ddl.ident(c) for c in table.column_names)
    stmt = (f"COPY {ddl.qualified(table, prefix)} ({cols}) FROM STDIN "
            "WITH (FORMAT csv, HEADER true, NULL '', FREEZE true)")
    opener = gzip.open if tf.compressed else open
    with opener(tf.path, "rb") as f, cur.copy(stmt) as copy:
        while chunk := f.read(CHUNK_BYTES):
            copy.write(chunk)
    return cur.rowcount


def existing_tables(conn: psycopg.Connection, spec: Spec, prefix: str) -> set[str]:
    """Spec tables already present in the database under ``prefix``."""
    rows = conn.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = ANY(%s)",
        (schema_names(spec, prefix),),
    ).fetchall()
    present = set(rows)
    return {n for n, t in spec.tables.items() if (schema_name(t.module, prefix), n) in present}


def existing_constraints(conn: psycopg.Connection, spec: Spec, prefix: str) -> set[str]:
    """Names of the constraints on tables in the modules' schemas."""
    rows = conn.execute(
        "SELECT c.conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = ANY(%s)",
        (schema_names(spec, prefix),),
    ).fetchall()
    return {r[0] for r in rows}


def load_table(conn: psycopg.Connection, table: Table, tf: TableFile, prefix: str, drop: bool) -> int:
    """(Drop,) create and fill one table in a single transaction: a failure leaves the database as it was."""
    where = f"{schema_name(table.module, prefix)}.{table.name}"
    try:
        with conn.transaction(), conn.cursor() as cur:
            if drop:
                cur.execute(ddl.drop_table_sql(table, prefix))
            cur.execute(ddl.create_table_sql(table, prefix, "postgres"))
            return copy_file(cur, table, tf, prefix)
    except psycopg.Error as exc:
        raise LoadError(f"{where}: COPY from {tf.relative} failed: {describe(exc)}") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise LoadError(f"{where}: cannot read {tf.relative} ({type(exc).__name__}); "
                        "is it a complete download?") from None


def planned_constraints(spec: Spec, loaded: Iterable[str], present: set[str],
                        prefix: str) -> tuple[list[ddl.Constraint], list[ddl.Constraint]]:
    """What to add: primary keys of the loaded tables, then every declared foreign key that touches a
    loaded table and whose two tables are both present (so keys a DROP ... CASCADE removed come back);
    and, separately, the loaded tables' foreign keys that cannot be added yet (target table absent)."""
    loaded = set(loaded)
    pks = [pk for n, t in spec.tables.items() if n in loaded and (pk := ddl.primary_key(t, prefix))]
    fks, blocked = [], []
    for n, t in spec.tables.items():
        for fk in ddl.foreign_keys(t, spec, prefix) if n in present else []:
            if fk.ref_table in present and (n in loaded or fk.ref_table in loaded):
                fks.append(fk)
            elif n in loaded and fk.ref_table not in present:
                blocked.append(fk)
    return pks + fks, blocked


def add_constraints(conn: psycopg.Connection, planned: list[ddl.Constraint], prefix: str, spec: Spec,
                    progress: Progress) -> list[str]:
    """Add each constraint in its own transaction (like constraint.sql); stop at the first rejection."""
    have = existing_constraints(conn, spec, prefix)
    added = []
    for c in planned:
        if c.name in have:
            continue
        where = f"{schema_name(spec.tables[c.table].module, prefix)}.{c.table}"
        start = time.perf_counter()
        try:
            conn.execute(c.sql)
        except psycopg.Error as exc:
            raise LoadError(f"{where}: {c.kind} {c.name} rejected: {describe(exc)}") from None
        added.append(c.name)
        progress(f"  {where}: {c.kind} {c.name} added in {time.perf_counter() - start:.2f} s")
    return added


def create_indexes(conn: psycopg.Connection, spec: Spec, loaded: Iterable[str], prefix: str,
                   progress: Progress) -> list[str]:
    """Create mimic-code's indexes on the loaded tables, one statement each (like index.sql)."""
    loaded = set(loaded)
    made = []
    for index in spec_indexes(spec):
        if index.table not in loaded:
            continue
        table = spec.tables[index.table]
        where = f"{schema_name(table.module, prefix)}.{table.name}"
        start = time.perf_counter()
        try:
            conn.execute(index.create_sql(table, prefix))
        except psycopg.Error as exc:
            raise LoadError(f"{where}: index {index.name} not created: {describe(exc)}") from None
        made.append(index.name)
        progress(f"  {where}: index {index.name} created in {time.perf_counter() - start:.2f} s")
    return made


def load_release(
    files: dict[str, TableFile],
    dsn: str,
    spec: Spec,
    *,
    prefix: str = ddl.DEFAULT_PREFIX,
    constraints: bool = True,
    indexes: bool = True,
    drop: bool = False,
    progress: Progress = lambda _msg: None,
    tables: TableEvents = ignore,
    meta: Meta | None = None,
) -> LoadResult:
    """Load ``files`` (table -> file, in spec order) into the database at ``dsn``, then add the constraints and
    create the indexes. ``meta``: the releases and table selection to record (in mimic-code's own schemas only),
    so that validating the database later expects what was loaded."""
    prefix = ddl.check_prefix(prefix)
    result = LoadResult()
    for name, tf in files.items():
        check_header(spec.tables[name], tf, prefix)
    with connect(dsn) as conn:
        clash = sorted(existing_tables(conn, spec, prefix) & set(files), key=list(spec.tables).index)
        if clash and not drop:
            names = ", ".join(f"{schema_name(spec.tables[n].module, prefix)}.{n}" for n in clash[:3])
            more = f" and {len(clash) - 3} more" if len(clash) > 3 else ""
            raise UsageError(f"{names}{more} already exist in {mask_dsn(dsn)}; pass --drop to replace them")
        for module in sorted({spec.tables[n].module for n in files}):
            conn.execute(ddl.create_schema_sql(module, prefix))
        for name, tf in files.items():
            table = spec.tables[name]
            where, size = f"{schema_name(table.module, prefix)}.{name}", tf.path.stat().st_size
            tables("start", where, size, None)
            start = time.perf_counter()
            rows = load_table(conn, table, tf, prefix, drop)
            result.rows[name] = rows
            result.copy_seconds += time.perf_counter() - start
            tables("done", where, size, rows)
        if constraints:
            start = time.perf_counter()
            planned, blocked = planned_constraints(spec, files, existing_tables(conn, spec, prefix), prefix)
            for fk in blocked:
                target = f"{schema_name(spec.tables[str(fk.ref_table)].module, prefix)}.{fk.ref_table}"
                progress(f"  foreign key {fk.name} not added: {target} is not loaded")
            result.skipped = [fk.name for fk in blocked]
            result.constraints = add_constraints(conn, planned, prefix, spec, progress)
            result.constraint_seconds = time.perf_counter() - start
        if indexes:
            start = time.perf_counter()
            result.indexes = create_indexes(conn, spec, files, prefix, progress)
            result.index_seconds = time.perf_counter() - start
        if meta is not None and prefix == ddl.DEFAULT_PREFIX:
            remember(conn, spec, meta)
    return result


def remember(conn: psycopg.Connection, spec: Spec, meta: Meta) -> None:
    """Record the releases and the tables loaded, with what earlier loads recorded: a database loaded project by
    project (the clinical database, then MIMIC-IV-ED) holds both; a project loaded again replaces its release."""
    before = read_meta(conn, {k: r.project for k, r in spec.releases.items()})
    if before is not None:
        def tables(m: Meta) -> set[str]:  # None: every table of the meta's projects
            if m.tables is not None:
                return set(m.tables)
            return {t for t in spec.tables if spec.project_of(t).key in m.releases}

        kept = {p: r for p, r in before.releases.items() if p not in meta.releases or before.releases[p] == r}
        earlier = {t for t in tables(before) if spec.project_of(t).key in kept}
        selection = None if before.tables is None and meta.tables is None else \
            [t for t in spec.tables if t in earlier | tables(meta)]
        counts = {t: n for t, n in before.row_counts.items() if spec.project_of(t).key in kept}
        meta = Meta({p: (meta.releases.get(p) or kept[p]) for p in spec.projects if p in kept or p in meta.releases},
                    {**counts, **meta.row_counts}, meta.synthetic or before.synthetic, selection, {})
    with conn.transaction():
        write_meta(conn, meta, "%s")
