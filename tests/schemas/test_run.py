"""run_schemas on small DuckDB databases: exact failing-row counts per catalogue id, no data in results."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from mimic_qa.checks import build_catalog
from mimic_qa.errors import UsageError
from mimic_qa.results import Status
from mimic_qa.schemas import run, run_schemas

KINDS = ("not_null", "domain", "rule")
FOUR = ["patients", "admissions", "icustays", "prescriptions"]
CANARY = "CANARY-q7Zx"


def by_id(results):
    return {r.id: r for r in results}


def dumped(results) -> str:
    return json.dumps([r.model_dump(mode="json") for r in results])


def test_clean_tables_pass_every_check(make_db, spec):
    db = make_db({name: [{}, {}, {}] for name in FOUR})
    results = run_schemas(db)
    expected = [d.id for d in build_catalog(spec, FOUR) if d.kind in KINDS]
    assert [r.id for r in results] == expected  # catalogue order, and no type results
    assert all(r.status is Status.PASSED and r.failing_rows == 0 and r.engine == "pandera" for r in results)
    assert all(r.samples is None for r in results)


def test_failures_are_counted_exactly_under_their_ids(make_db, spec):
    db = make_db({
        "patients": [{}, {"subject_id": None}, {"gender": "X"}, {"gender": "U"}, {"anchor_age": 95}],
        "admissions": [{}, {"dischtime": datetime(2150, 1, 1, 7, 0)}],  # discharged before admission
    })
    results = by_id(run_schemas(db))
    failing = {i: r.failing_rows for i, r in results.items() if r.status is not Status.PASSED}
    assert failing == {
        "hosp.patients.not_null.subject_id": 1,
        "hosp.patients.domain.gender": 2,
        "hosp.patients.domain.anchor_age": 1,  # 95 is also outside the documented 18-91
        "hosp.patients.rule.anchor_age_over_89_is_91": 1,
        "hosp.admissions.rule.admittime_le_dischtime": 1,
    }
    rule = results["hosp.patients.rule.anchor_age_over_89_is_91"]
    assert rule.status is Status.FAILED and rule.message == "rows violating the rule: 1 of 5 rows (20%)"
    catalogue = {d.id: d for d in build_catalog(spec, ["patients", "admissions"])}
    for r in results.values():  # severity and category as the catalogue says (no quirk tolerance here)
        assert (r.severity, r.category, r.kind) == (catalogue[r.id].severity, catalogue[r.id].category,
                                                    catalogue[r.id].kind)


def test_null_operands_pass_rules_and_domains(make_db):
    db = make_db({
        "patients": [{"anchor_age": None}],
        "admissions": [{"dischtime": None, "hospital_expire_flag": None, "admit_provider_id": None}],
    })
    assert all(r.status is Status.PASSED for r in run_schemas(db))


def test_case_insensitive_domain_and_pattern_domain(make_db):
    db = make_db({
        "transfers": [{"eventtype": "ADMIT"}, {"eventtype": "admit"}, {"eventtype": "teleport"}],
        "admissions": [{"admit_provider_id": "P03YMR"}, {"admit_provider_id": "p03ymr"}],
    })
    results = by_id(run_schemas(db))
    assert results["hosp.transfers.domain.eventtype"].failing_rows == 1
    assert results["hosp.admissions.domain.admit_provider_id"].failing_rows == 1


def test_no_data_value_in_results_unless_show_values(make_db):
    db = make_db({"patients": [{}, {"gender": CANARY}, {"gender": CANARY}, {"gender": "Z"}]})
    results = run_schemas(db)
    assert by_id(results)["hosp.patients.domain.gender"].failing_rows == 3
    assert CANARY not in dumped(results)
    assert all(r.samples is None for r in results)

    shown = by_id(run_schemas(db, show_values=True))
    assert shown["hosp.patients.domain.gender"].samples == [CANARY, "Z"]  # distinct values only
    assert all(r.samples is None for i, r in shown.items() if i != "hosp.patients.domain.gender")


def test_wrong_database_type_is_a_type_failure(make_db):
    db = make_db({"patients": [{}, {"anchor_age": "95"}]}, types={"patients": {"anchor_age": "VARCHAR"}})
    results = by_id(run_schemas(db))
    kind_type = [r for r in results.values() if r.kind == "type"]
    assert [r.id for r in kind_type] == ["hosp.patients.type.anchor_age"]
    assert kind_type[0].status is Status.FAILED and kind_type[0].failing_rows is None
    assert "VARCHAR" in kind_type[0].message and "SMALLINT" in kind_type[0].message
    assert results["hosp.patients.domain.anchor_age"].status is Status.ERROR
    assert results["hosp.patients.not_null.gender"].status is Status.PASSED


def test_a_check_that_cannot_run_is_an_error_without_data_and_the_rest_still_count(make_db):
    # los loaded as text: the los rule fails to cast the canary; the database message would quote it.
    db = make_db({"icustays": [{}, {"los": CANARY, "stay_id": 1}]}, types={"icustays": {"los": "VARCHAR"}})
    results = by_id(run_schemas(db))
    rule = results["icu.icustays.rule.los_matches_times"]
    assert rule.status is Status.ERROR and rule.message.count("\n") == 0
    assert CANARY not in dumped(results.values())
    assert results["icu.icustays.domain.stay_id"].failing_rows == 1
    assert results["icu.icustays.rule.intime_le_outtime"].status is Status.PASSED


def test_missing_column_makes_its_checks_errors(make_db):
    db = make_db({"admissions": [{}]}, drop={"admissions": ["deathtime", "admission_type"]})
    results = by_id(run_schemas(db))
    assert results["hosp.admissions.rule.admittime_le_deathtime"].status is Status.ERROR
    assert results["hosp.admissions.not_null.admission_type"].status is Status.ERROR
    assert results["hosp.admissions.rule.admittime_le_dischtime"].status is Status.PASSED
    assert not any(r.kind == "type" for r in results.values())  # the loader owns missing columns


def test_only_present_and_selected_tables(make_db):
    db = make_db({"patients": [{}], "icustays": [{}]})
    assert {r.table for r in run_schemas(db)} == {"patients", "icustays"}
    assert {r.table for r in run_schemas(db, tables=["icustays", "admissions"])} == {"icustays"}


def test_bad_input_is_a_usage_error(make_db, tmp_path):
    with pytest.raises(UsageError, match="unknown table"):
        run_schemas(make_db({"patients": [{}]}), tables=["patient"])
    with pytest.raises(UsageError, match="no such database"):
        run_schemas(tmp_path / "absent.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database\n" * 100)
    with pytest.raises(UsageError, match="cannot open"):
        run_schemas(junk)


def test_every_spec_table_loaded_with_spec_types_matches_its_schema(make_db, spec):
    """DuckDB's own types for all 31 tables satisfy pandera's strict dtypes (e.g. TIMESTAMP is timestamp(6))."""
    results = run_schemas(make_db({name: [] for name in spec.tables}))
    assert {r.table for r in results} == set(spec.tables)
    assert not [r.id for r in results if r.kind == "type" or r.status is not Status.PASSED]
