"""Small DuckDB databases in mimic-code layout, typed from the spec, filled with a few rows by SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb

from mimic_qa.load.ddl import qualified as qualified_name
from mimic_qa.load.ddl import schema_name
from mimic_qa.spec import load_spec

TABLES = ("patients", "admissions", "d_labitems", "labevents", "emar_detail")
CANARY = "CANARY-Zq7xW-do-not-print"

# Key columns only: every other column stays NULL. Each block is valid on its own (a clean database).
CLEAN_ROWS = {
    "patients": "(subject_id, gender) VALUES (10000001, 'F'), (10000002, 'M')",
    "admissions": "(subject_id, hadm_id) VALUES (10000001, 20000001), (10000002, 20000002)",
    "d_labitems": "(itemid, label) VALUES (50001, 'a'), (50002, 'b')",
    "labevents": "(labevent_id, subject_id, hadm_id, itemid) VALUES (1, 10000001, 20000001, 50001), "
                 "(2, 10000002, 20000002, 50002), (3, 10000002, NULL, 50001)",
    "emar_detail": "(subject_id, emar_id, parent_field_ordinal) VALUES (10000001, '10000001-1', 1), "
                   "(10000001, '10000001-1', 2), (10000002, '10000002-1', NULL)",
}

# Faults planted on top of CLEAN_ROWS (the comments name the check each one fails).
DIRTY_SQL = [
    # hosp.patients.pk: one duplicated key value
    "INSERT INTO mimiciv_hosp.patients (subject_id, gender) VALUES (10000002, 'M')",
    # hosp.labevents.fk.subject_id: one orphan row, carrying the canary in a free-text column
    f"INSERT INTO mimiciv_hosp.labevents (labevent_id, subject_id, itemid, comments) VALUES (4, 19999999, 50001, '{CANARY}')",
    # hosp.labevents.pk: a NULL key
    "INSERT INTO mimiciv_hosp.labevents (labevent_id, subject_id, itemid) VALUES (NULL, 10000001, 50001)",
    # hosp.d_labitems.columns: one unexpected column
    "ALTER TABLE mimiciv_hosp.d_labitems ADD COLUMN extra_col INTEGER",
    # hosp.emar_detail.unique.emar_id_parent_field_ordinal: the same key in two more rows (one key value)
    f"INSERT INTO mimiciv_hosp.emar_detail (subject_id, emar_id, parent_field_ordinal, reason_for_no_barcode) "
    f"VALUES (10000001, '10000001-1', 1, '{CANARY}'), (10000001, '10000001-1', 1, NULL)",
]


def build_db(path: Path, extra_sql: list[str] | tuple[str, ...] = ()) -> Path:
    """Create the TABLES from the spec's DuckDB types, load CLEAN_ROWS, then run ``extra_sql``."""
    spec = load_spec()
    con = duckdb.connect(str(path))
    try:
        for module in sorted({spec.tables[n].module for n in TABLES}):
            con.execute(f"CREATE SCHEMA {schema_name(module)}")
        for name in TABLES:
            t = spec.tables[name]
            cols = ", ".join(f"{c.name} {c.sql_type('duckdb')}" for c in t.columns)
            con.execute(f"CREATE TABLE {qualified_name(t)} ({cols})")
            con.execute(f"INSERT INTO {qualified_name(t)} {CLEAN_ROWS[name]}")
        for sql in extra_sql:
            con.execute(sql)
    finally:
        con.close()
    return path


def row_counts(path: Path) -> dict[str, int]:
    spec = load_spec()
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {n: con.execute(f"SELECT count(*) FROM {qualified_name(spec.tables[n])}").fetchone()[0] for n in TABLES}
    finally:
        con.close()
