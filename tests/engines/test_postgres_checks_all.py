"""validate --checks all on PostgreSQL: pandera and GX run inside the server and find planted faults by id."""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg
import pytest
import sqlalchemy as sa

from mimic_qa import validate
from mimic_qa.results import Status
from mimic_qa.sources.postgres import sqlalchemy_url
from mimic_qa.spec import load_spec
from mimic_qa.synth import generate
from mimic_qa.validation.libraries import GX_KINDS, PANDERA_KINDS
from tests.postgres.server import fresh_database

SCALE = 0.0005
TABLES = ["patients", "admissions", "d_labitems", "labevents"]  # no candidate (unique) key among them
CANARY = "CANARY-Zq7xW-do-not-print"
PASSWORD = "pw-Zq7xW-never-printed"  # the throwaway server trusts local connections, so any password works


def _with_password(url: str) -> str:
    user, rest = url.split("://", 1)[1].split("@", 1)
    return f"postgresql://{user}:{PASSWORD}@{rest}"


def comparable(result) -> set[tuple[str, str, int | None]]:
    return {(c.id, c.status.value, c.failing_rows) for c in result.run.checks}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, pg_server):
    """(DSN with a password, release file) of a synthetic copy loaded with `mimic-qa load`, before damage."""
    csv = tmp_path_factory.mktemp("pg-all") / "csv"
    generate(csv, scale=SCALE, seed=5)
    with fresh_database(pg_server) as url:
        load = subprocess.run([sys.executable, "-m", "mimic_qa", "load", str(csv), url, "--no-constraints",
                               "--tables", ",".join(TABLES)], capture_output=True, text=True, check=False)
        assert load.returncode == 0, load.stderr[-2000:]
        yield _with_password(url), str(csv / "mimic-qa-synthetic.json")


def test_clean_copy_passes_with_libraries_inside_postgres(loaded):
    dsn, release = loaded
    result = validate(dsn, release=release, tables=TABLES, checks="all")
    assert result.ok, [(c.id, c.message) for c in result.failed]
    ran = [c for c in result.run.checks if c.status is not Status.SKIPPED]
    engines = {(c.kind, c.engine) for c in ran if c.kind in PANDERA_KINDS | GX_KINDS}
    assert engines == {(k, "pandera") for k in PANDERA_KINDS} | {(k, "gx") for k in GX_KINDS - {"unique"}}


def test_faults_fail_with_the_right_ids_and_counts(loaded):
    dsn, release = loaded
    spec = load_spec()
    admissions = spec.tables["admissions"]
    not_null = next(c.name for c in admissions.columns if not c.nullable and c.name not in admissions.primary_key)
    gender = next(d for d in spec.tables["patients"].domains if d.column == "gender")
    assert "X" not in gender.values
    with psycopg.connect(dsn, autocommit=True) as con:
        gone = con.execute("SELECT min(subject_id) FROM mimiciv_hosp.admissions").fetchone()[0]
        n_adm = con.execute("SELECT count(*) FROM mimiciv_hosp.admissions WHERE subject_id = %s", (gone,)).fetchone()[0]
        n_lab = con.execute("SELECT count(*) FROM mimiciv_hosp.labevents WHERE subject_id = %s", (gone,)).fetchone()[0]
        con.execute("DELETE FROM mimiciv_hosp.patients WHERE subject_id = %s", (gone,))  # a deleted patient
        con.execute(f"ALTER TABLE mimiciv_hosp.admissions ALTER COLUMN {not_null} DROP NOT NULL")
        con.execute(f"UPDATE mimiciv_hosp.admissions SET {not_null} = NULL WHERE hadm_id = "
                    "(SELECT max(hadm_id) FROM mimiciv_hosp.admissions)")
        con.execute("UPDATE mimiciv_hosp.patients SET gender = 'X' WHERE subject_id = "
                    "(SELECT max(subject_id) FROM mimiciv_hosp.patients)")
        # an orphan itemid, carrying the canary in a free-text column
        con.execute("INSERT INTO mimiciv_hosp.labevents (labevent_id, subject_id, specimen_id, itemid, comments) "
                    "SELECT max(labevent_id) + 1, max(subject_id), 1, -1, %s FROM mimiciv_hosp.labevents", (CANARY,))
    on_libraries = validate(dsn, release=release, tables=TABLES, checks="all")
    on_sql = validate(dsn, release=release, tables=TABLES, checks="sql")
    assert comparable(on_libraries) == comparable(on_sql)
    failed = {c.id: (c.failing_rows, c.engine) for c in on_libraries.failed}
    assert failed["hosp.patients.row_count"] == (1, "gx")
    assert failed["hosp.admissions.fk.subject_id"] == (n_adm, "gx")
    assert failed["hosp.labevents.fk.itemid"] == (1, "gx")
    assert failed[f"hosp.admissions.not_null.{not_null}"] == (1, "pandera")
    assert failed["hosp.patients.domain.gender"] == (1, "pandera")
    if n_lab:
        assert failed["hosp.labevents.fk.subject_id"] == (n_lab, "gx")
    text = on_libraries.run.model_dump_json()
    assert CANARY not in text and PASSWORD not in text and '"X"' not in text
    shown = validate(dsn, release=release, tables=["patients"], checks="all", show_values=True)
    assert next(c for c in shown.run.checks if c.id == "hosp.patients.domain.gender").samples == ["X"]


def test_the_gx_url_is_read_only_and_masks_the_password(loaded):
    dsn, _ = loaded
    url = sqlalchemy_url(dsn)
    assert PASSWORD not in str(url) and PASSWORD in url.render_as_string(hide_password=False)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as con, pytest.raises(sa.exc.InternalError, match="read-only"):
            con.execute(sa.text("CREATE TABLE mimiciv_hosp.scratch (x int)"))
    finally:
        engine.dispose()


def test_json_from_the_cli_names_engines_and_holds_no_password(loaded, tmp_path):
    dsn, release = loaded
    out = subprocess.run([sys.executable, "-m", "mimic_qa", "validate", dsn, "--release", release, "--tables",
                          "patients", "--json", str(tmp_path / "r.json"), "-q"], capture_output=True, text=True,
                         check=False)
    assert out.returncode in (0, 1), out.stderr[-2000:]
    text = (tmp_path / "r.json").read_text()
    assert PASSWORD not in text + out.stdout + out.stderr
    engines = {c["kind"]: c["engine"] for c in json.loads(text)["checks"] if c["status"] != "skipped"}
    assert engines["row_count"] == "gx" and engines["not_null"] == "pandera"
