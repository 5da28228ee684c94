"""Copies of the real demo, damaged by ``tests.damage``: each damage fails the check it must, by the rows it
touched, and the gate exits 1 naming the table. Expected failures come from the damage records only."""

from __future__ import annotations

import json

import pytest

import mimic_qa
from mimic_qa.results import Status
from tests.cli import run_cli
from tests.damage import ReleaseCopy


def failed(result) -> dict[str, int | None]:
    return {c.id: c.failing_rows for c in result.run.checks if c.status is Status.FAILED}


def errors(result) -> set[str]:
    return {c.id for c in result.failed}


@pytest.fixture
def demo_copy(real_demo, tmp_path):
    def make(tables: list[str] | None = None) -> ReleaseCopy:
        return ReleaseCopy(real_demo, tmp_path / "copy", tables=tables)
    return make


def test_an_orphan_caregiver_is_an_error(demo_copy):
    copy = demo_copy(["inputevents", "caregiver", "patients", "admissions", "icustays", "d_items"])
    _, caregivers = copy.records("caregiver")
    absent = str(max(int(r[0]) for r in caregivers) + 1)
    d = copy.set_value("inputevents", "caregiver_id", absent, lambda r: r["caregiver_id"] != "", limit=3)
    result = mimic_qa.validate(copy.root, tables=["inputevents", "caregiver", "patients", "admissions",
                                                  "icustays", "d_items"])
    check = f"{d.table}.fk.{d.column}"
    assert failed(result)[check] == d.rows == 3
    assert errors(result) == {check}


def test_an_orphan_lab_ordering_provider_is_an_error(demo_copy):
    tables = ["labevents", "provider", "patients", "admissions", "d_labitems"]
    copy = demo_copy(tables)
    _, providers = copy.records("provider")
    absent = next(f"P{n:05d}" for n in range(100000) if f"P{n:05d}" not in {r[0] for r in providers})
    d = copy.set_value("labevents", "order_provider_id", absent, lambda r: r["order_provider_id"] != "")
    result = mimic_qa.validate(copy.root, tables=tables)
    check = f"{d.table}.fk.{d.column}"
    assert failed(result)[check] == d.rows == 1
    assert errors(result) == {check}


def test_a_missing_patient_fails_the_count_and_every_reference_to_it(demo_copy, real_demo_tables, tmp_path):
    copy = demo_copy()
    subject = "10000032"
    referencing = {}  # table -> rows naming the patient, counted from the files themselves
    for table in real_demo_tables:
        header, records = copy.records(table)
        if table != "patients" and "subject_id" in header:
            at = header.index("subject_id")
            if n := sum(1 for r in records if r[at] == subject):
                referencing[copy.qualified(table)] = n
    d = copy.delete_rows("patients", lambda r: r["subject_id"] == subject)
    assert d.rows == 1 and len(referencing) > 10
    out = tmp_path / "v.json"
    done = run_cli("validate", str(copy.root), *[a for t in real_demo_tables for a in ("--tables", t)],
                   "--json", str(out))
    assert done.returncode == 1
    assert "hosp.patients.row_count" in done.stdout
    results = {c["id"]: c for c in json.loads(out.read_text())["checks"]}
    assert results["hosp.patients.row_count"]["failing_rows"] == d.rows
    for table, n in referencing.items():
        fk = results[f"{table}.fk.subject_id"]
        assert (fk["status"], fk["severity"], fk["failing_rows"]) == ("failed", "error", n), table


def test_a_broken_header_is_an_error_naming_the_table(demo_copy):
    copy = demo_copy(["admissions", "patients", "provider"])
    d = copy.rename_column("admissions", "admission_type", "admit_type")
    done = run_cli("validate", str(copy.root), "--tables", "admissions", "--tables", "patients",
                   "--tables", "provider", "--checks", "sql")
    assert done.returncode == 1
    assert f"{d.table}.columns" in done.stdout and "admission_type" in done.stdout


def test_a_header_in_other_letter_case_is_only_a_warning(demo_copy):
    copy = demo_copy(["admissions", "patients", "provider"])
    d = copy.rename_column("admissions", "admission_type", "ADMISSION_TYPE")
    result = mimic_qa.validate(copy.root, tables=["admissions", "patients", "provider"])
    assert result.ok
    by_id = {c.id: c for c in result.run.checks}
    assert by_id[f"{d.table}.header_case"].status is Status.FAILED
    assert by_id[f"{d.table}.header_case"].severity == "warning"
    assert by_id[f"{d.table}.columns"].status is Status.PASSED
    assert by_id[f"{d.table}.domain.{d.column}"].status is Status.PASSED  # the column was read by name


def test_a_flipped_byte_fails_the_checksum(demo_copy):
    copy = demo_copy(["labevents", "d_labitems"])
    d = copy.flip_byte("labevents")
    result = mimic_qa.validate(copy.root, tables=["labevents", "d_labitems"], checks="sql")
    assert f"{d.table}.file.sha256" in errors(result)
    assert all(i.startswith(d.table) for i in errors(result))


def test_foreign_keys_into_tables_not_selected_are_skipped_with_the_reason(real_demo):
    result = mimic_qa.validate(real_demo, tables=["labevents", "d_labitems"], checks="sql")
    assert result.ok
    by_id = {c.id: c for c in result.run.checks}
    for parent, fk in (("patients", "subject_id"), ("admissions", "hadm_id"), ("provider", "order_provider_id")):
        check = by_id[f"hosp.labevents.fk.{fk}"]
        assert check.status is Status.SKIPPED and parent in check.message and "--tables" in check.message
    assert by_id["hosp.labevents.fk.itemid"].status is Status.PASSED
    assert by_id["release.sha256sums.listed"].status is Status.PASSED
