"""The identity kind: a row whose hadm_id (or stay_id) names another patient's admission (or stay) passes every
foreign key, and fails its identity check. Damage comes from ``tests.damage``, on a synthetic copy and on the real
demo; the expected check ids and row counts come from the damage records and the files alone."""

from __future__ import annotations

import json

import pytest

from tests.cli import run_cli
from tests.damage import ReleaseCopy


def _someone_elses(copy: ReleaseCopy, table: str, key: str, parent: str) -> tuple[str, str]:
    """(a row's subject_id, a ``key`` of ``parent`` that belongs to another subject), read from the files."""
    header, records = copy.records(table)
    p_header, parents = copy.records(parent)
    s_at, k_at = header.index("subject_id"), header.index(key)
    row = next(r for r in records if r[k_at] != "")
    ps, pk = p_header.index("subject_id"), p_header.index(key)
    other = next(p[pk] for p in parents if p[ps] != row[s_at])
    return row[s_at], other


def _swap(copy: ReleaseCopy, table: str, key: str, parent: str):
    subject, other = _someone_elses(copy, table, key, parent)
    return copy.set_value(table, key, other, lambda r: r["subject_id"] == subject and r[key] != "",
                          detail=f"{key} of another patient's {parent} row")


def _validate(copy: ReleaseCopy, tables: list[str], tmp_path) -> tuple[int, dict[str, dict], str]:
    out = tmp_path / "v.json"
    done = run_cli("validate", str(copy.root), *[a for t in tables for a in ("--tables", t)], "--json", str(out))
    return done.returncode, {c["id"]: c for c in json.loads(out.read_text())["checks"]}, done.stdout


CASES = {  # damaged table, key, reference table, tables to validate
    "admission": ("prescriptions", "hadm_id", "admissions", ["prescriptions", "patients", "admissions", "pharmacy",
                                                              "poe", "provider"]),
    "icu stay": ("inputevents", "stay_id", "icustays", ["inputevents", "icustays", "patients", "admissions",
                                                         "d_items", "caregiver", "transfers"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_another_patients_key_fails_identity_on_the_real_demo(real_demo, tmp_path, case):
    table, key, parent, tables = CASES[case]
    copy = ReleaseCopy(real_demo, tmp_path / "copy", tables=tables)
    damage = _swap(copy, table, key, parent)
    code, results, stdout = _validate(copy, tables, tmp_path)
    identity = results[f"{damage.table}.identity.{key}"]
    assert code == 1 and f"{damage.table}.identity.{key}" in stdout
    assert (identity["status"], identity["severity"], identity["failing_rows"]) == ("failed", "error", damage.rows)
    assert results[f"{damage.table}.fk.{key}"]["status"] == "passed"  # every key exists: the foreign key holds


def test_another_patients_admission_fails_identity_on_a_synthetic_copy(tmp_path):
    from mimic_qa.synth import generate

    generate(tmp_path / "synth", scale=0.001, seed=4)
    tables = ["diagnoses_icd", "patients", "admissions", "d_icd_diagnoses"]
    copy = ReleaseCopy(tmp_path / "synth", tmp_path / "copy", tables=tables)
    damage = _swap(copy, "diagnoses_icd", "hadm_id", "admissions")
    code, results, _ = _validate(copy, tables, tmp_path)
    assert code == 1
    errors = {i: c["failing_rows"] for i, c in results.items() if c["status"] == "failed" and c["severity"] == "error"}
    assert errors == {f"{damage.table}.identity.hadm_id": damage.rows}
