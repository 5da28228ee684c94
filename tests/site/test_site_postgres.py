"""The site's configuration on a real PostgreSQL server: the demo loaded with `mimic-qa load`, a derived table of
the site's in `mimiciv_derived`, and the same local checks and waiver as on DuckDB, with the same outcomes (read
from the demo's files)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import psycopg

from tests.cli import run_cli
from tests.postgres.server import fresh_database
from tests.site.conftest import TABLES
from tests.site.test_site_demo import WAIVED, site_config

DERIVED = """
CREATE SCHEMA mimiciv_derived;
CREATE TABLE mimiciv_derived.first_icu_stay AS
SELECT subject_id, hadm_id, stay_id, intime, los FROM (
    SELECT *, row_number() OVER (PARTITION BY subject_id ORDER BY intime) AS n FROM mimiciv_icu.icustays
) AS s WHERE n = 1;
"""


def test_local_checks_and_a_waiver_on_postgresql(pg_server, real_demo, tmp_path, shared_admissions, first_stays):
    with fresh_database(pg_server) as url:
        loaded = run_cli("load", str(real_demo), url, "--tables", ",".join(TABLES))
        assert loaded.returncode == 0, loaded.stderr
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(DERIVED)
        site_config(tmp_path, expires=date.today() + timedelta(days=180), rows=len(first_stays), long_stay_days=10)
        done = run_cli("validate", url, cwd=str(tmp_path))
        assert done.returncode == 0, done.stdout + done.stderr
    run = json.loads((tmp_path / "out" / "results.json").read_text())
    local = {c["id"]: (c["status"], c["failing_rows"]) for c in run["checks"] if c["id"].startswith("local.")}
    long_stays = sum(float(r["los"]) > 10 for r in first_stays.values())
    assert local == {WAIVED: ("failed", shared_admissions), "local.first_icu_stay.pk": ("passed", 0),
                     "local.first_icu_stay.row_count": ("passed", 0), "local.first_icu_stay.fk.stay_id": ("passed", 0),
                     "local.first_icu_stay.domain.los": ("failed", long_stays)}
    assert run["summary"]["source_kind"] == "postgres"
    assert {c["id"] for c in run["checks"] if (c["waiver"] or {}).get("state") == "holds"} == \
        {WAIVED, "local.first_icu_stay.domain.los"}  # 8 of 100 first stays: within the 10% ceiling
