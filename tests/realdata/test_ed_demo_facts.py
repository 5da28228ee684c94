"""What the spec says about MIMIC-IV-ED holds in the real ED demo 2.2, measured here with DuckDB alone.

Every number a test compares with is computed from the demo's files (plain SQL over every column read as text),
never taken from mimic-qa's readers or checks: the header, row counts, SHA-256, every NOT NULL and length, that
every value parses as the spec's type, every key and relationship marked ``observed: [ed-demo-2.2]`` (against
the clinical demo, the same cohort), every domain so marked, and the rows of each quirk measured on the demo.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from mimic_qa.spec import load_spec

ED_DEMO = "ed-demo-2.2"
ED_ENV = "MIMIC_QA_ED_DEMO_DIR"
ED_BESIDE_CHECKOUT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mimic-iv-ed-demo-2.2"
CLINICAL = {"patients": "hosp", "admissions": "hosp", "transfers": "hosp", "d_icd_diagnoses": "hosp"}
SPEC = load_spec()
ED_TABLES = SPEC.module_tables("ed")


@pytest.fixture(scope="module")
def ed_demo() -> Path:
    """The real MIMIC-IV-ED demo 2.2 (``$MIMIC_QA_ED_DEMO_DIR`` or ``shared/data/`` beside the checkout); a
    failure under ``CI=true`` when absent, else a skip."""
    path = Path(os.environ.get(ED_ENV) or ED_BESIDE_CHECKOUT)
    if not (path / "ed" / "edstays.csv.gz").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the real MIMIC-IV-ED demo is not at {path} (set {ED_ENV})")
        pytest.skip(f"the real MIMIC-IV-ED demo is not at {path} (set {ED_ENV})")
    return path


@pytest.fixture(scope="module")
def con(ed_demo: Path, real_demo: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Every ED table and the clinical tables it references, each column read as text (``raw_<table>``)."""
    db = duckdb.connect()
    files = {t: ed_demo / "ed" / f"{t}.csv.gz" for t in ED_TABLES}
    files |= {t: real_demo / m / f"{t}.csv.gz" for t, m in CLINICAL.items()}
    for table, path in files.items():
        db.execute(f"CREATE TABLE raw_{table} AS SELECT * FROM read_csv('{path}', header=true, all_varchar=true, "
                   "allow_quoted_nulls=false, auto_detect=true)")
    yield db
    db.close()


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def header(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.readline().rstrip("\n").split(",")


def typed(table: str) -> str:
    """A view of ``raw_<table>`` cast to the spec's DuckDB types (where the spec's table is the ED demo's)."""
    t = SPEC.tables[table]
    cols = ", ".join(f'TRY_CAST("{c.name}" AS {c.sql_type("duckdb")}) AS "{c.name}"' for c in t.columns)
    return f"(SELECT {cols} FROM raw_{table})"


@pytest.mark.parametrize("table", ED_TABLES)
def test_header_rows_and_sha256_are_the_specs(ed_demo, con, table):
    path = ed_demo / "ed" / f"{table}.csv.gz"
    release = SPEC.release(ED_DEMO)
    assert header(path) == SPEC.tables[table].column_names
    assert scalar(con, f"SELECT count(*) FROM raw_{table}") == release.row_counts[table]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == release.files[table]["sha256"]
    assert len(gzip.decompress(path.read_bytes())) == release.files[table]["csv_bytes"]


@pytest.mark.parametrize("table", ED_TABLES)
def test_types_nulls_and_lengths_hold(con, table):
    t = SPEC.tables[table]
    assert ED_DEMO in t.observed
    for c in t.columns:
        unparsed = scalar(con, f'SELECT count(*) FROM raw_{table} WHERE "{c.name}" IS NOT NULL AND '
                               f'TRY_CAST("{c.name}" AS {c.sql_type("duckdb")}) IS NULL')
        assert unparsed == 0, (table, c.name)
        nulls = scalar(con, f'SELECT count(*) FROM raw_{table} WHERE "{c.name}" IS NULL OR "{c.name}" = \'\'')
        if not c.nullable:
            assert nulls == 0, (table, c.name)
        if c.max_length is not None:
            assert scalar(con, f'SELECT coalesce(max(length("{c.name}")), 0) FROM raw_{table}') <= c.max_length


def test_documents_disagree_items_settled_on_the_demo(con):
    """The demo's evidence behind each choice the spec made where DOCS and create.sql disagree."""
    assert scalar(con, "SELECT count(*) FROM raw_edstays WHERE hadm_id IS NULL") == 50  # nullable (create.sql)
    assert scalar(con, "SELECT max(length(icd_code)) FROM raw_diagnosis") == 7  # fits VARCHAR(8) and (10)
    assert scalar(con, "SELECT count(*) FROM raw_medrecon WHERE etc_rn IS NULL") == 0  # NOT NULL (DOCS) holds
    assert scalar(con, "SELECT count(*) FROM raw_medrecon WHERE etccode IS NULL") == 4  # ... even without a code
    words = scalar(con, "SELECT count(*) FROM raw_triage WHERE pain IS NOT NULL AND TRY_CAST(pain AS DOUBLE) IS NULL")
    assert words > 0  # triage.pain holds words: TEXT (create.sql), not NUMERIC (DOCS)
    assert SPEC.tables["triage"].column("pain").type == "TEXT"
    assert SPEC.tables["edstays"].column("hadm_id").nullable and not SPEC.tables["medrecon"].column("etc_rn").nullable


def test_declared_and_observed_keys_are_unique(con):
    for table, t in SPEC.tables.items():
        if t.module != "ed":
            continue
        keys = ([t.primary_key] if t.primary_key else []) + [k.columns for k in t.candidate_keys
                                                             if ED_DEMO in k.observed]
        for key in keys:
            cols = ", ".join(key)
            dup = scalar(con, f"SELECT count(*) FROM (SELECT {cols} FROM raw_{table} GROUP BY ALL HAVING count(*) > 1)")
            assert dup == 0, (table, key)


def test_observed_relationships_have_no_orphan(con):
    checked = 0
    for table in ED_TABLES:
        for fk in SPEC.tables[table].foreign_keys:
            if ED_DEMO not in fk.observed:
                continue
            on = " AND ".join(f"p.{r} = c.{c}" for c, r in zip(fk.columns, fk.ref_columns))
            present = " AND ".join(f"c.{c} IS NOT NULL" for c in fk.columns)
            orphans = scalar(con, f"SELECT count(*) FROM raw_{table} c WHERE {present} AND NOT EXISTS "
                                  f"(SELECT 1 FROM raw_{fk.ref_table} p WHERE {on})")
            assert orphans == 0, (table, fk.name)
            checked += 1
    assert checked >= 14  # every child's stay_id and subject_id, edstays' three links, diagnosis' codes


def test_identities_hold_across_the_two_demos(con):
    for ident in SPEC.identities:
        if ED_DEMO not in ident.observed:
            continue
        for table in ED_TABLES:
            t = SPEC.tables[table]
            if not ident.applies_to(t):
                continue
            *others, key = ident.columns
            differs = " OR ".join(f"c.{o} IS DISTINCT FROM p.{o}" for o in others)
            n = scalar(con, f"SELECT count(*) FROM raw_{table} c JOIN raw_{ident.ref_table} p USING ({key}) "
                            f"WHERE {differs}")
            assert n == 0, (table, ident.columns)
    assert scalar(con, "SELECT count(*) FROM raw_edstays WHERE hadm_id IS NOT NULL") == 172


def test_observed_domains_and_rules_hold(con):
    for table in ED_TABLES:
        t = SPEC.tables[table]
        for d in t.domains:
            if ED_DEMO not in d.observed:
                continue
            rel = typed(table)
            if d.values is not None:
                allowed = ", ".join(f"'{v}'" for v in d.values)
                bad = scalar(con, f"SELECT count(*) FROM raw_{table} WHERE {d.column} NOT IN ({allowed})")
            else:
                low = f"{d.column} < {d.min}" if d.min is not None else "FALSE"
                high = f"{d.column} > {d.max}" if d.max is not None else "FALSE"
                bad = scalar(con, f"SELECT count(*) FROM {rel} WHERE {low} OR {high}")
            assert bad == 0, (table, d.column)
    assert scalar(con, f"SELECT count(*) FROM {typed('edstays')} WHERE outtime < intime") == 0


def test_quirks_measured_on_the_demo_fail_by_their_recorded_rows(con):
    measured = {
        "ed.medrecon.unique.stay_id_charttime_name":
            "SELECT count(*) FROM (SELECT 1 FROM raw_medrecon GROUP BY stay_id, charttime, name HAVING count(*) > 1)",
        "ed.pyxis.unique.stay_id_charttime_name":
            "SELECT count(*) FROM (SELECT 1 FROM raw_pyxis GROUP BY stay_id, charttime, name HAVING count(*) > 1)",
        "ed.diagnosis.unique.stay_id_icd_code_icd_version":
            "SELECT count(*) FROM (SELECT 1 FROM raw_diagnosis GROUP BY stay_id, icd_code, icd_version "
            "HAVING count(*) > 1)",
        "ed.triage.domain.temperature":
            "SELECT count(*) FROM raw_triage WHERE temperature::DOUBLE < 80 OR temperature::DOUBLE > 115",
        "ed.vitalsign.domain.temperature":
            "SELECT count(*) FROM raw_vitalsign WHERE temperature::DOUBLE < 80 OR temperature::DOUBLE > 115",
    }
    quirks = {q.check: q for q in SPEC.quirks if ED_DEMO in q.rows}
    assert set(quirks) == set(measured)
    for check, sql in measured.items():
        rows = scalar(con, sql)
        table = check.split(".")[1]
        assert rows == quirks[check].rows[ED_DEMO], check
        assert rows <= quirks[check].tolerance(SPEC.release(ED_DEMO).row_counts[table]), check


def test_the_ed_demo_is_the_clinical_demos_cohort(con):
    """Every ED patient is a clinical demo patient, every ED stay an ED transfer of the same patient."""
    assert scalar(con, "SELECT count(DISTINCT subject_id) FROM raw_edstays") == 64
    assert scalar(con, "SELECT count(*) FROM raw_edstays e JOIN raw_transfers t ON t.transfer_id = e.stay_id "
                       "WHERE t.eventtype = 'ED' AND t.subject_id = e.subject_id AND t.intime = e.intime") == 222
