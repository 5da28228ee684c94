"""Invariants of the spec and its check catalogue that hold with or without the reference files."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from mimic_qa.checks import build_catalog
from mimic_qa.spec import load_spec
from mimic_qa.spec.models import Spec


def test_headline_v31_counts():
    counts = load_spec().release("3.1").row_counts
    assert counts["patients"] == 364_627
    assert counts["admissions"] == 546_028
    assert counts["icustays"] == 94_458
    assert sum(counts.values()) == 886_043_036


def test_demo_has_100_patients_and_same_tables():
    spec = load_spec()
    assert spec.release("demo-2.2").row_counts["patients"] == 100
    assert set(spec.release("demo-2.2").row_counts) == set(spec.tables)


def test_module_split_and_files():
    tables = load_spec().tables.values()
    assert sum(t.module == "hosp" for t in tables) == 22
    assert sum(t.module == "icu" for t in tables) == 9
    assert load_spec().tables["chartevents"].file == "icu/chartevents.csv.gz"


def test_detection_releases_match_appendix():
    spec = load_spec()
    assert spec.release("2.2").row_counts["patients"] == 299_712
    assert spec.release("3.0").row_counts["labevents"] == 158_478_383
    assert spec.validatable_releases == ["3.1", "demo-2.2"]


def test_max_length_derives_from_type():
    t = load_spec().tables["admissions"]
    assert t.column("language").max_length == 25
    assert t.column("admittime").max_length is None
    assert load_spec().tables["pharmacy"].column("starttime").precision == 3


def test_documented_undeclared_relationships_present():
    spec = load_spec()

    def fks(table):
        return {(tuple(f.columns), f.ref_table, f.declared) for f in spec.tables[table].foreign_keys}

    assert (("admit_provider_id",), "provider", False) in fks("admissions")
    assert (("caregiver_id",), "caregiver", False) in fks("chartevents")
    assert (("stay_id",), "icustays", False) in fks("ingredientevents")
    assert (("itemid",), "d_items", False) in fks("ingredientevents")
    assert (("icd_code", "icd_version"), "d_icd_diagnoses", False) in fks("diagnoses_icd")
    assert (("icd_code", "icd_version"), "d_icd_procedures", False) in fks("procedures_icd")
    assert (("poe_id",), "poe", False) in fks("emar")
    assert (("pharmacy_id",), "pharmacy", False) in fks("prescriptions")


def test_free_text_columns_are_text():
    spec = load_spec()
    targets = {(t.name, c) for t in spec.tables.values() for c in t.free_text}
    assert {("labevents", "comments"), ("microbiologyevents", "comments"), ("poe_detail", "field_value"),
            ("chartevents", "value"), ("omr", "result_value")} <= targets
    for table, col in targets:
        assert spec.tables[table].column(col).kind == "string"


def test_catalog_ids_stable_unique_and_tagged():
    catalog = build_catalog(load_spec())
    ids = [c.id for c in catalog]
    assert len(ids) == len(set(ids))
    assert "hosp.admissions.fk.subject_id" in ids
    assert "hosp.admissions.pk" in ids
    assert "icu.icustays.row_count" in ids
    pattern = re.compile(r"^(release\.[a-z0-9_.]+|(hosp|icu)\.[a-z_]+\.[a-z_.]+(\.[a-z0-9_]+)?)$")
    for c in catalog:
        assert pattern.match(c.id), c.id
        assert c.severity in ("error", "warning", "info")
        assert c.category in ("conformance", "completeness", "plausibility")


def test_known_quirks_attach_to_checks_with_references():
    spec = load_spec()
    by_id = {c.id: c for c in build_catalog(spec)}
    q = by_id["hosp.admissions.rule.admittime_le_dischtime"].quirk
    assert q is not None and q.rows["3.1"] == 175 and "QC" in q.reference
    for quirk in spec.quirks:
        assert by_id[quirk.check].quirk is quirk
        assert quirk.reference
    assert by_id["hosp.emar_detail.unique.emar_id_parent_field_ordinal"].quirk is not None
    assert by_id["hosp.prescriptions.empty_string.drug"].quirk is not None
    assert by_id["hosp.microbiologyevents.empty_string.spec_type_desc"].quirk is not None


def test_quirk_tolerance_scales_with_table_size():
    q = load_spec().quirk_for("hosp.pharmacy.rule.starttime_le_stoptime")
    assert q is not None
    assert q.tolerance(17_847_567) >= 717_515  # the full release's own count is tolerated
    assert q.tolerance(1_000) == 60
    small = load_spec().quirk_for("hosp.transfers.rule.intime_le_outtime")
    assert small is not None and small.tolerance(100) == 10


def _raw_spec() -> dict:
    from mimic_qa.spec import merged_document

    return merged_document()


def test_spec_rejects_unknown_fk_target():
    raw = _raw_spec()
    raw["tables"]["admissions"]["foreign_keys"][0]["ref_table"] = "no_such_table"
    with pytest.raises(ValidationError, match="unknown table no_such_table"):
        Spec.model_validate(raw)


def test_spec_rejects_missing_row_count_and_unknown_keys():
    raw = _raw_spec()
    del raw["releases"]["3.1"]["row_counts"]["omr"]
    with pytest.raises(ValidationError, match="row counts missing"):
        Spec.model_validate(raw)
    raw = _raw_spec()
    raw["tables"]["omr"]["colums"] = []
    with pytest.raises(ValidationError):
        Spec.model_validate(raw)


def test_spec_rejects_domain_on_unknown_column():
    raw = _raw_spec()
    raw["tables"]["patients"]["domains"][0]["column"] = "sex"
    with pytest.raises(ValidationError, match="unknown columns"):
        Spec.model_validate(raw)
