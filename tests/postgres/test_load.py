"""`mimic-qa load` into a real PostgreSQL server: DDL from the spec, COPY, declared keys, clean failures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from mimic_qa.load import indexes
from mimic_qa.load.ddl import schema_name
from mimic_qa.load.postgres import LoadError, load_release
from mimic_qa.sources.folder import open_folder
from mimic_qa.spec import load_spec
from tests.cli import run_cli
from tests.postgres.indexes import actual_indexes, expected_indexes
from tests.postgres.keys import SCHEMAS, actual_keys, expected_keys
from tests.postgres.release import write_release
from tests.postgres.server import fresh_database, with_database

SPEC = load_spec()
N_ROWS = 3

# How information_schema.columns names each spec base type.
PG_DATA_TYPE = {
    "INTEGER": "integer", "SMALLINT": "smallint", "BIGINT": "bigint", "DOUBLE PRECISION": "double precision",
    "REAL": "real", "TEXT": "text", "DATE": "date", "TIMESTAMP": "timestamp without time zone",
    "VARCHAR": "character varying", "CHAR": "character", "NUMERIC": "numeric",
}

def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("mimic-qa: error:")]


@pytest.fixture(scope="module")
def filled_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every table with three rows of valid keys; d_items as plain .csv to cover both file kinds."""
    return write_release(tmp_path_factory.mktemp("release"), SPEC, filled=SPEC.tables, n_rows=N_ROWS,
                         plain=["d_items"])


@pytest.fixture(scope="module")
def loaded(pg_server: str, filled_release: Path) -> Iterator[tuple[str, object]]:
    """A database loaded from ``filled_release`` with `mimic-qa load`, and the finished process."""
    with fresh_database(pg_server) as url:
        yield url, run_cli("load", str(filled_release), url)


def test_create_table_matches_spec_types_order_and_nullability(pg_database: str, tmp_path: Path) -> None:
    release = write_release(tmp_path, SPEC)  # header-only files: the tables are created, nothing copied
    # Without constraints: exactly create.sql (a primary key would make its columns NOT NULL too).
    result = load_release(open_folder(SPEC, release).files, pg_database, SPEC, constraints=False)
    assert result.rows == {n: 0 for n in SPEC.tables}
    with psycopg.connect(pg_database) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name, data_type, character_maximum_length, datetime_precision, is_nullable "
            "FROM information_schema.columns WHERE table_schema = ANY(%s) ORDER BY table_name, ordinal_position",
            (SCHEMAS,),
        ).fetchall()
    actual: dict[str, list[tuple]] = {}
    for table, *col in rows:
        actual.setdefault(table, []).append(tuple(col))
    assert set(actual) == set(SPEC.tables)
    for name, table in SPEC.tables.items():
        expected = []
        for c in table.columns:
            precision = (6 if c.precision is None else c.precision) if c.kind == "timestamp" else (
                0 if c.kind == "date" else None)
            expected.append((c.name, PG_DATA_TYPE[c.base_type], c.max_length, precision,
                             "YES" if c.nullable else "NO"))
        assert actual[name] == expected, name
    assert actual_keys(pg_database) == (set(), set(), [])


def test_load_copies_every_row_and_adds_all_declared_keys(loaded: tuple[str, object]) -> None:
    url, done = loaded
    assert done.returncode == 0, done.stderr
    assert error_lines(done.stderr) == [] and "Traceback" not in done.stderr
    with psycopg.connect(url) as conn:
        for name, table in SPEC.tables.items():
            n = conn.execute(f'SELECT count(*) FROM "{schema_name(table.module)}"."{name}"').fetchone()[0]
            assert n == N_ROWS, name
            line = next(ln for ln in done.stderr.splitlines() if ln.startswith(f"loaded {schema_name(table.module)}.{name}: "))
            assert f", {N_ROWS} rows, " in line  # one progress line per table in a log (no terminal)
    pks, fks, names = actual_keys(url)
    assert (pks, fks) == expected_keys()
    # mimic-code's constraint.sql names: <table>_pk and <table>_<referenced table>_fk
    assert sorted(names) == sorted([f"{t}_pk" for t, _ in pks] + [f"{t}_{ref}_fk" for t, _, ref, _ in fks])
    assert f"added {len(pks) + len(fks)} constraint(s)" in done.stderr


def test_load_creates_mimic_codes_indexes_and_says_how_long_it_took(loaded: tuple[str, object]) -> None:
    url, done = loaded
    assert done.returncode == 0, done.stderr
    wanted = expected_indexes(set(SPEC.tables))
    assert actual_indexes(url) == wanted
    assert re.search(rf"; created {len(wanted)} index\(es\) in \d+\.\d s$", done.stderr.strip().splitlines()[-1])
    assert "  mimiciv_hosp.admissions: index admissions_idx01 created in " in done.stderr


def test_the_index_list_must_name_spec_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {(i.table, i.name) for i in indexes.spec_indexes(SPEC)} == set(expected_indexes(set(SPEC.tables)))
    monkeypatch.setattr(indexes, "_listed", lambda: (("hosp", "admissions", "admissions_idx09", ("admitime",)),))
    with pytest.raises(ValueError, match="admissions_idx09 names columns admissions does not have: admitime"):
        indexes.spec_indexes(SPEC)
    monkeypatch.setattr(indexes, "_listed", lambda: (("icu", "admissions", "admissions_idx01", ("admittime",)),))
    with pytest.raises(ValueError, match="index admissions_idx01 is on icu.admissions, which the spec does not have"):
        indexes.spec_indexes(SPEC)


def test_char_columns_come_back_space_padded(loaded: tuple[str, object]) -> None:
    """PostgreSQL pads CHAR(n) to n characters on read (the CSV has none): comparisons must trim."""
    url, done = loaded
    assert done.returncode == 0, done.stderr
    chars = [(n, t, c) for n, t in SPEC.tables.items() for c in t.columns if c.base_type == "CHAR"]
    assert chars
    with psycopg.connect(url) as conn:
        for name, table, column in chars:
            got = conn.execute(
                f'SELECT "{column.name}", "{column.name}" = %s, rtrim("{column.name}") '
                f'FROM "{schema_name(table.module)}"."{name}" ORDER BY 1 LIMIT 1', ("1",)
            ).fetchone()
            assert got == ("1".ljust(column.max_length), True, "1"), (name, column.name)


def test_existing_tables_need_drop_and_reload_restores_foreign_keys(pg_database: str, filled_release: Path) -> None:
    files = open_folder(SPEC, filled_release).files
    load_release(files, pg_database, SPEC)
    again = run_cli("load", str(filled_release), pg_database, "--tables", "patients")
    assert again.returncode == 2
    assert error_lines(again.stderr) == [
        f"mimic-qa: error: mimiciv_hosp.patients already exist in {pg_database}; pass --drop to replace them"
    ]
    # Dropping patients CASCADE removes every foreign key pointing at it; the reload puts them back.
    messages: list[str] = []
    reload = load_release({"patients": files["patients"]}, pg_database, SPEC, drop=True, progress=messages.append)
    assert reload.rows == {"patients": N_ROWS}
    assert "  mimiciv_icu.icustays: foreign key icustays_patients_fk added" in [m.split(" in ")[0] for m in messages]
    pks, fks, _ = actual_keys(pg_database)
    assert (pks, fks) == expected_keys()
    assert set(reload.constraints) == {"patients_pk"} | {f"{t}_patients_fk" for t, _, ref, _ in fks if ref == "patients"}


def test_orphan_foreign_key_fails_with_one_data_free_line(pg_database: str, tmp_path: Path) -> None:
    orphan = "987654321"
    release = write_release(tmp_path, SPEC, filled=SPEC.tables, n_rows=2,
                            first_row={("admissions", "subject_id"): orphan})
    done = run_cli("load", str(release), pg_database)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "DETAIL" not in done.stderr
    assert orphan not in done.stderr + done.stdout
    [line] = error_lines(done.stderr)
    assert line.startswith("mimic-qa: error: mimiciv_hosp.admissions: foreign key admissions_patients_fk rejected")
    assert "[SQLSTATE 23503]" in line


def test_bad_value_fails_naming_table_line_and_column_without_the_value(pg_database: str, tmp_path: Path) -> None:
    table = SPEC.tables["patients"]
    column = next(c.name for c in table.columns if c.kind == "integer" and c.name not in table.primary_key)
    bad = "zzqx-not-a-number"
    release = write_release(tmp_path, SPEC, filled=["patients"], first_row={("patients", column): bad})
    done = run_cli("load", str(release), pg_database, "--tables", "patients")
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert bad not in done.stderr + done.stdout
    [line] = error_lines(done.stderr)
    assert line.startswith("mimic-qa: error: mimiciv_hosp.patients: COPY from hosp/patients.csv.gz failed")
    assert f"at line 2, column {column}" in line
    with psycopg.connect(pg_database) as conn:  # the failed table's transaction was rolled back
        assert conn.execute("SELECT to_regclass('mimiciv_hosp.patients')").fetchone()[0] is None


def test_password_is_never_printed(pg_server: str, filled_release: Path) -> None:
    secret = "s3cret-Pw-4711"
    url = with_database(make_conninfo(pg_server, password=secret), "no_such_database")
    assert secret in url
    done = run_cli("load", str(filled_release), url)
    assert done.returncode == 2
    assert secret not in done.stderr + done.stdout
    [line] = error_lines(done.stderr)
    assert line.startswith("mimic-qa: error: cannot connect to postgresql://") and "/no_such_database:" in line


def test_subset_load_adds_keys_it_can_and_names_the_ones_it_cannot(pg_database: str, filled_release: Path) -> None:
    files = {n: f for n, f in open_folder(SPEC, filled_release).files.items() if n == "admissions"}
    messages: list[str] = []
    result = load_release(files, pg_database, SPEC, progress=messages.append)
    assert result.rows == {"admissions": N_ROWS}
    assert result.constraints == ["admissions_pk"] and result.skipped == ["admissions_patients_fk"]
    assert "  foreign key admissions_patients_fk not added: mimiciv_hosp.patients is not loaded" in messages
    # Loading the missing target later adds the foreign key that was waiting for it.
    later = load_release({"patients": open_folder(SPEC, filled_release).files["patients"]}, pg_database, SPEC)
    assert later.constraints == ["patients_pk", "admissions_patients_fk"] and later.skipped == []


def test_truncated_download_fails_cleanly_and_leaves_no_table(pg_database: str, tmp_path: Path) -> None:
    release = write_release(tmp_path, SPEC, filled=["patients"], n_rows=5000)
    gz = release / "hosp" / "patients.csv.gz"
    gz.write_bytes(gz.read_bytes()[: gz.stat().st_size // 2])  # as an interrupted download leaves it
    with pytest.raises(LoadError, match=r"^mimiciv_hosp\.patients: cannot read hosp/patients\.csv\.gz .*complete download"):
        load_release({"patients": open_folder(SPEC, release).files["patients"]}, pg_database, SPEC)
    with psycopg.connect(pg_database) as conn:
        assert conn.execute("SELECT to_regclass('mimiciv_hosp.patients')").fetchone()[0] is None
