"""run_suites on small DuckDB databases: the right check ids fail with the right counts, and no data leaks."""

from __future__ import annotations

import json
import shutil

import pytest

from mimic_qa.checks import build_catalog
from mimic_qa.errors import UsageError
from mimic_qa.gx import RUN_KINDS, run_suites
from mimic_qa.gx.suites import load_suite
from mimic_qa.resources import expectations_dir
from mimic_qa.results import Status
from mimic_qa.spec import load_spec
from tests.gx.dbs import CANARY, TABLES, row_counts


def _expected_ids(tables=TABLES) -> set[str]:
    return {c.id for c in build_catalog(load_spec(), list(tables)) if c.kind in RUN_KINDS and c.table in tables}


def test_one_result_per_validate_check_of_each_present_table(clean_results):
    assert set(clean_results) == _expected_ids()
    assert all(r.engine == "gx" for r in clean_results.values())
    catalog = {c.id: c for c in build_catalog(load_spec())}
    for r in clean_results.values():
        assert (r.severity, r.category, r.kind, r.table) == (catalog[r.id].severity, catalog[r.id].category,
                                                            catalog[r.id].kind, catalog[r.id].table)


def test_clean_database_passes_columns_keys_fks_and_counts(clean_results):
    catalog = {c.id: c for c in build_catalog(load_spec(), list(TABLES))}
    for r in clean_results.values():
        ref = catalog[r.id].params.get("ref_table")
        if ref is not None and ref not in TABLES:
            assert r.status is Status.SKIPPED and ref in r.message
        else:
            assert r.status is Status.PASSED, (r.id, r.message)
            assert r.failing_rows == 0
    assert clean_results["hosp.labevents.fk.hadm_id"].status is Status.PASSED  # a NULL hadm_id is not an orphan


def test_without_the_duckdb_patch_gx_errors_instead_of_passing(clean_db, monkeypatch):
    import contextlib

    monkeypatch.setattr("mimic_qa.gx.runner.persisted_duckdb_connections", contextlib.nullcontext)
    results = run_suites(clean_db, "3.1", tables=["patients"], expected_row_counts=row_counts(clean_db))
    status = {r.id: r.status for r in results}
    assert status["hosp.patients.pk"] is Status.ERROR and status["hosp.patients.row_count"] is Status.ERROR


@pytest.mark.parametrize("check_id, failing_rows, words", [
    ("hosp.patients.pk", 1, "key value"),
    ("hosp.labevents.pk", 1, "NULL"),
    ("hosp.labevents.fk.subject_id", 1, "patients(subject_id)"),
    ("hosp.d_labitems.columns", 1, "unexpected: extra_col"),
    ("hosp.emar_detail.unique.emar_id_parent_field_ordinal", 1, "key value"),
    ("hosp.admissions.row_count", 3, "expected 5"),
])
def test_each_planted_fault_fails_its_check(dirty_results, check_id, failing_rows, words):
    by_id = {r.id: r for r in dirty_results}
    r = by_id[check_id]
    assert r.status is Status.FAILED
    assert r.failing_rows == failing_rows
    assert words in r.message


def test_only_planted_faults_fail(dirty_results):
    failed = {r.id for r in dirty_results if r.status is Status.FAILED}
    assert failed == {"hosp.patients.pk", "hosp.labevents.pk", "hosp.labevents.fk.subject_id",
                      "hosp.d_labitems.columns", "hosp.emar_detail.unique.emar_id_parent_field_ordinal",
                      "hosp.admissions.row_count"}


def test_no_data_value_in_results(dirty_results):
    text = json.dumps([r.model_dump(mode="json") for r in dirty_results])
    assert CANARY not in text
    assert "19999999" not in text  # the orphan's subject_id is a value, not part of any message
    assert all(r.samples is None for r in dirty_results)


def test_literal_release_counts_apply_without_override(clean_db):
    results = {r.id: r for r in run_suites(clean_db, "demo-2.2", tables=["patients"])}
    assert set(results) == _expected_ids(["patients"])
    r = results["hosp.patients.row_count"]
    demo = load_spec().release("demo-2.2").row_counts["patients"]
    assert r.status is Status.FAILED and r.failing_rows == demo - row_counts(clean_db)["patients"]


def test_missing_table_has_no_results_and_missing_parent_skips_fk(tmp_path):
    from tests.gx.dbs import build_db
    db = build_db(tmp_path / "m.duckdb", ["DROP TABLE mimiciv_hosp.d_labitems"])
    results = {r.id: r for r in run_suites(db, "3.1", tables=["d_labitems", "labevents"])}
    assert not any(i.startswith("hosp.d_labitems.") for i in results)
    assert results["hosp.labevents.fk.itemid"].status is Status.SKIPPED
    assert results["hosp.labevents.fk.subject_id"].status is Status.PASSED


def test_user_edited_suites_are_used(clean_db, tmp_path):
    edited = tmp_path / "mine"
    shutil.copytree(expectations_dir() / "3.1", edited)
    path = edited / "hosp.patients.json"
    suite = load_suite(path)
    for e in suite["expectations"]:
        if e["meta"]["kind"] == "row_count":
            e["kwargs"]["value"] = row_counts(clean_db)["patients"]
    suite["expectations"] = [e for e in suite["expectations"] if e["meta"]["kind"] != "pk"]
    path.write_text(json.dumps(suite))
    results = {r.id: r for r in run_suites(clean_db, "3.1", tables=["patients"], expectations_dir=edited)}
    assert results["hosp.patients.row_count"].status is Status.PASSED
    assert results["hosp.patients.pk"].status is Status.SKIPPED


def test_an_expectation_gx_drops_is_an_error(clean_db, tmp_path):
    shutil.copytree(expectations_dir() / "3.1", tmp_path / "s")
    path = tmp_path / "s" / "hosp.patients.json"
    suite = load_suite(path)
    next(e for e in suite["expectations"] if e["meta"]["kind"] == "pk")["type"] = "expect_no_such_thing"
    path.write_text(json.dumps(suite))
    results = {r.id: r for r in run_suites(clean_db, "3.1", tables=["patients"], expectations_dir=tmp_path / "s")}
    assert results["hosp.patients.pk"].status is Status.ERROR and "did not run" in results["hosp.patients.pk"].message
    assert results["hosp.patients.columns"].status is Status.PASSED


def test_kinds_select_the_expectations_that_run(dirty_db, dirty_results):
    only = run_suites(dirty_db, "3.1", kinds=("fk", "pk"))
    assert {r.kind for r in only} == {"fk", "pk"}
    expected = {r.id: (r.status, r.failing_rows) for r in dirty_results if r.kind in ("fk", "pk")}
    assert {r.id: (r.status, r.failing_rows) for r in only} == expected
    assert any(r.status is Status.FAILED for r in only)


def test_bad_input_is_a_usage_error(clean_db, tmp_path):
    with pytest.raises(UsageError, match="GX runs only these check kinds"):
        run_suites(clean_db, "3.1", kinds=("domain",))
    with pytest.raises(UsageError, match="unknown release"):
        run_suites(clean_db, "9.9")
    with pytest.raises(UsageError, match="no such database file"):
        run_suites(tmp_path / "absent.duckdb", "3.1")
    with pytest.raises(UsageError, match="expectations directory"):
        run_suites(clean_db, "3.1", expectations_dir=tmp_path / "nowhere")
    (tmp_path / "hosp.patients.json").write_text("{not json")
    with pytest.raises(UsageError, match="cannot read expectation suite"):
        run_suites(clean_db, "3.1", tables=["patients"], expectations_dir=tmp_path)
    bad = {"expectations": [{"type": "expect_table_row_count_to_equal", "kwargs": {"value": "many"},
                             "meta": {"check_id": "hosp.patients.row_count", "kind": "row_count"}}]}
    (tmp_path / "hosp.patients.json").write_text(json.dumps(bad))
    with pytest.raises(UsageError, match="hosp.patients is not valid GX 1.x"):
        run_suites(clean_db, "3.1", tables=["patients"], expectations_dir=tmp_path)


def test_run_is_quiet_writes_nothing_and_restores_gx(clean_db, tmp_path, monkeypatch, capfd):
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    before = engine_module._PERSISTED_CONNECTION_DIALECTS
    monkeypatch.chdir(tmp_path)
    results = run_suites(clean_db, "3.1", tables=["admissions"], expected_row_counts=row_counts(clean_db))
    assert results and all(r.status is not Status.ERROR for r in results)
    assert list(tmp_path.iterdir()) == []
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert engine_module._PERSISTED_CONNECTION_DIALECTS == before
    assert "duckdb" not in before
