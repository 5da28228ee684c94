"""The gate on a real PostgreSQL server (loaded with ``mimic-qa load``, without constraints, as many sites load):
results kept from run to run (``--reuse results.json --json results.json``); one value edited, a row deleted, a row
added, each caught on the next run with only its dependents re-run; ``require_validated`` names the changed tables."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import psycopg
import pytest

import mimic_qa
from mimic_qa.results import RunResult
from tests.cli import run_cli
from tests.fingerprints.conftest import TABLES, expected_rerun, ids_of, outcome
from tests.postgres.server import fresh_database


def gate(url: str, results: Path) -> RunResult:
    done = run_cli("validate", url, "--checks", "sql", "--reuse", str(results), "--json", str(results))
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    return RunResult.model_validate_json(results.read_text())


def test_edits_in_postgresql_are_caught_on_the_rerun(pg_server, real_demo, demo_rows, tmp_path):
    itemid, labs = Counter(r["itemid"] for r in demo_rows["labevents"]).most_common(1)[0]
    subject, stays = Counter(r["subject_id"] for r in demo_rows["admissions"]).most_common(1)[0]
    hadm = demo_rows["admissions"][0]["hadm_id"]
    results, validated = tmp_path / "results.json", tmp_path / "validated.json"
    with fresh_database(pg_server) as url:
        loaded = run_cli("load", str(real_demo), url, "--tables", ",".join(TABLES), "--no-constraints")
        assert loaded.returncode == 0, loaded.stderr
        first = gate(url, results)  # no earlier results: every check runs
        assert first.reuse.checks_reused == 0 and first.summary.ok
        assert {f.method for f in first.fingerprints.values()} == {"postgres-hashtext-sum-1"}
        shutil.copy(results, validated)
        again = gate(url, results)
        assert again.reuse.tables_changed == [] and all(c.reused for c in again.checks)
        mimic_qa.require_validated(url, validated)  # the copy that passed

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"UPDATE mimiciv_hosp.d_labitems SET itemid = 99999999 WHERE itemid = {itemid}")
        edited = gate(url, results)
        assert edited.reuse.tables_changed == ["d_labitems"]
        assert ids_of(edited, reused=False) == expected_rerun(edited, "d_labitems")
        assert outcome(edited, "hosp.labevents.fk.itemid") == ("failed", labs)

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DELETE FROM mimiciv_hosp.patients WHERE subject_id = {subject}")
        deleted = gate(url, results)  # d_labitems has not changed since the last run's results
        assert deleted.reuse.tables_changed == ["patients"]
        assert ids_of(deleted, reused=False) == expected_rerun(deleted, "patients")
        assert outcome(deleted, "hosp.admissions.fk.subject_id") == ("failed", stays)
        assert outcome(deleted, "hosp.labevents.fk.itemid") == ("failed", labs)  # reused, still failing

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("INSERT INTO mimiciv_hosp.admissions "
                         f"SELECT * FROM mimiciv_hosp.admissions WHERE hadm_id = {hadm}")
        added = gate(url, results)
        assert added.reuse.tables_changed == ["admissions"]
        assert ids_of(added, reused=False) == expected_rerun(added, "admissions")
        assert outcome(added, "hosp.admissions.pk") == ("failed", 1)

        with pytest.raises(mimic_qa.NotValidated) as changed:
            mimic_qa.require_validated(url, validated)
        with pytest.raises(mimic_qa.NotValidated, match="did not pass the gate"):
            mimic_qa.require_validated(url, results)  # the latest results: failed
    assert sorted(changed.value.changed) == ["admissions", "d_labitems", "patients"]
    message = str(changed.value)
    assert message.endswith("admissions, d_labitems, patients") and "password" not in message
    assert not any(v in message for v in (itemid, subject, hadm, "99999999"))  # identifiers of tables only
