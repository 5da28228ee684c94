"""The clinical demo and the ED demo, two real PhysioNet projects of the same 100 patients, validated as one copy;
and copies of the ED demo damaged by ``tests.damage`` (the expected failures come from the damage records)."""

from __future__ import annotations

import pytest

import mimic_qa
from mimic_qa.results import Status
from mimic_qa.spec import load_spec
from tests.cli import run_cli
from tests.damage import ReleaseCopy

SPEC = load_spec()


def tables_of(*modules: str, present: list[str]) -> list[str]:
    return [t for t in present if SPEC.tables[t].module in modules]


@pytest.fixture(scope="module")
def together(real_demo, real_ed_demo, real_demo_tables):
    ed = SPEC.module_tables("ed")
    return mimic_qa.validate([real_demo, real_ed_demo], tables=real_demo_tables + ed)


def test_both_demos_together_pass_every_warning_a_measured_quirk(together):
    assert together.ok and together.run.summary.failed_by_severity.error == 0
    failed = [c for c in together.run.checks if c.status is Status.FAILED]
    assert failed and all(c.quirk_reference for c in failed)
    assert not [c for c in together.run.checks if c.status in (Status.ERROR, Status.SKIPPED)]


def test_cross_module_checks_run_and_hold_on_the_real_cohort(together):
    ed = set(SPEC.module_tables("ed"))
    cross = [c for c in together.run.checks if c.table in ed and c.kind in ("fk", "identity", "window")
             and any(SPEC.tables[r].module != "ed" for r in _refs(c.id))]
    assert {c.id for c in cross} >= {"ed.edstays.fk.subject_id", "ed.edstays.fk.hadm_id",
                                       "ed.edstays.identity.hadm_id", "ed.edstays.window.intime_in_admission"}
    assert all(c.status is Status.PASSED for c in cross)


def _refs(check_id: str) -> list[str]:
    table = check_id.split(".")[1]
    t = SPEC.tables[table]
    return [f.ref_table for f in t.foreign_keys] + [w.ref_table for w in t.windows] + \
        [i.ref_table for i in SPEC.identities if i.applies_to(t)]


def test_the_ed_demo_alone_skips_its_cross_module_checks_saying_why(real_ed_demo):
    result = mimic_qa.validate(real_ed_demo)
    assert result.ok and result.run.release == "ed-demo-2.2"
    skipped = {c.id: c.message for c in result.run.checks if c.status is Status.SKIPPED}
    assert "ed.edstays.fk.subject_id" in skipped and "hosp module" in skipped["ed.edstays.fk.subject_id"]
    assert all("cross-module" in m for m in skipped.values())


@pytest.fixture
def ed_copy(real_ed_demo, tmp_path):
    return ReleaseCopy(real_ed_demo, tmp_path / "ed")


def errors(result) -> dict[str, int | None]:
    return {c.id: c.failing_rows for c in result.failed}


def test_an_orphan_stay_id_fails_its_foreign_key(ed_copy, real_demo, real_demo_tables):
    _, stays = ed_copy.records("edstays")
    absent = str(max(int(r[2]) for r in stays) + 1)  # edstays: subject_id, hadm_id, stay_id, ...
    d = ed_copy.set_value("vitalsign", "stay_id", absent, lambda r: True, limit=2)
    result = mimic_qa.validate([real_demo, ed_copy.root], tables=real_demo_tables + SPEC.module_tables("ed"))
    assert errors(result) == {f"{d.table}.fk.stay_id": d.rows}


def test_a_stay_naming_another_patients_admission_fails_the_identity(ed_copy, real_demo, real_demo_tables):
    header, stays = ed_copy.records("edstays")
    subject, hadm = header.index("subject_id"), header.index("hadm_id")
    first = next(r for r in stays if r[hadm])
    other = next(r[hadm] for r in stays if r[hadm] and r[subject] != first[subject])
    d = ed_copy.set_value("edstays", "hadm_id", other, lambda r: r["stay_id"] == first[header.index("stay_id")])
    result = mimic_qa.validate([real_demo, ed_copy.root], tables=real_demo_tables + SPEC.module_tables("ed"))
    assert errors(result) == {f"{d.table}.identity.hadm_id": d.rows}


def test_a_duplicated_stay_fails_the_key_and_the_count(ed_copy):
    d = ed_copy.duplicate_rows("edstays", lambda r: True)
    result = mimic_qa.validate(ed_copy.root)
    assert errors(result) == {f"{d.table}.pk": d.rows, f"{d.table}.row_count": d.rows}


def test_a_broken_header_exits_1_naming_the_columns_check(ed_copy, tmp_path):
    d = ed_copy.rename_column("edstays", "intime", "in_time")
    proc = run_cli("validate", str(ed_copy.root), "--json", str(tmp_path / "r.json"))
    assert proc.returncode == 1
    assert f"{d.table}.columns" in proc.stdout
    result = mimic_qa.validate(ed_copy.root)
    assert set(errors(result)) == {f"{d.table}.columns"}


def test_a_vital_sign_charted_a_year_off_falls_outside_its_stay(ed_copy, real_demo, real_demo_tables):
    header, rows = ed_copy.records("vitalsign")
    at = header.index("charttime")
    first = rows[0][at].strip('"')
    shifted = str(int(first[:4]) + 1) + first[4:]  # mimic-code #1694: charttimes about a year off
    d = ed_copy.set_value("vitalsign", "charttime", shifted, lambda r: r["charttime"] == first)
    result = mimic_qa.validate([real_demo, ed_copy.root], tables=real_demo_tables + SPEC.module_tables("ed"))
    window = next(c for c in result.run.checks if c.id == f"{d.table}.window.charttime_in_stay")
    assert (window.status, window.failing_rows, window.severity) == (Status.FAILED, d.rows, "warning")
    assert result.ok  # a warning: the gate holds at --fail-on error
