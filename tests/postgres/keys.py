"""The declared keys as the spec states them and as a PostgreSQL database has them."""

from __future__ import annotations

import psycopg

from mimic_qa.load.ddl import schema_name
from mimic_qa.spec import load_spec

SPEC = load_spec()
SCHEMAS = [schema_name(m) for m in SPEC.modules]

CONSTRAINTS_SQL = """
SELECT c.contype, rel.relname, ref.relname, c.conname,
       ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
       ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)
FROM pg_constraint c
JOIN pg_class rel ON rel.oid = c.conrelid
JOIN pg_namespace ns ON ns.oid = rel.relnamespace
LEFT JOIN pg_class ref ON ref.oid = c.confrelid
WHERE ns.nspname = ANY(%s) AND c.contype IN ('p', 'f')
"""


def expected_keys(tables: set[str] | None = None) -> tuple[set, set]:
    """The declared keys of ``tables`` (default: every spec table) whose referenced tables are among them."""
    names = set(SPEC.tables) if tables is None else tables
    pks = {(n, tuple(t.primary_key)) for n, t in SPEC.tables.items() if t.primary_key and n in names}
    fks = {(n, tuple(fk.columns), fk.ref_table, tuple(fk.ref_columns))
           for n, t in SPEC.tables.items() for fk in t.foreign_keys if fk.declared and n in names
           and fk.ref_table in names}
    return pks, fks


def actual_keys(dsn: str) -> tuple[set, set, list[str]]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(CONSTRAINTS_SQL, (SCHEMAS,)).fetchall()
    pks = {(rel, tuple(cols)) for kind, rel, _, _, cols, _ in rows if kind == "p"}
    fks = {(rel, tuple(cols), ref, tuple(refcols)) for kind, rel, ref, _, cols, refcols in rows if kind == "f"}
    return pks, fks, [r[3] for r in rows]
