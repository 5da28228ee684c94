"""Synthetic ED and Note copies: published counts, and identifiers that are the clinical copy's of the same seed.

Each expectation comes from the spec's published counts or the documents' structure (note_id format, headings,
``___``), checked with plain DuckDB over the written files, never from the generator's own records.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from mimic_qa.spec import load_spec
from mimic_qa.synth import generate

SPEC = load_spec()
SEED = 7


def _read(con: duckdb.DuckDBPyConnection, root: Path, module: str, tables: list[str]) -> None:
    for t in tables:
        con.execute(f"CREATE TABLE {t} AS SELECT * FROM read_csv('{root / module / t}.csv.gz', header=true)")


@pytest.fixture(scope="module")
def ed_copy(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """The synthetic clinical demo and ED demo copies of one seed, loaded side by side."""
    work = tmp_path_factory.mktemp("family")
    clinical = generate(work / "clinical", release="demo-2.2", seed=SEED).out_dir
    ed = generate(work / "ed", release="ed-demo-2.2", seed=SEED).out_dir
    con = duckdb.connect()
    _read(con, clinical, "hosp", ["patients", "admissions", "transfers"])
    _read(con, ed, "ed", SPEC.module_tables("ed"))
    return con


def q(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def test_ed_copy_has_the_ed_demo_counts(ed_copy):
    for table, n in SPEC.release("ed-demo-2.2").row_counts.items():
        assert q(ed_copy, f"SELECT count(*) FROM {table}") == n, table


def test_ed_identifiers_are_the_clinical_copys(ed_copy):
    assert q(ed_copy, "SELECT count(*) FROM edstays WHERE subject_id NOT IN (SELECT subject_id FROM patients)") == 0
    assert q(ed_copy, "SELECT count(*) FROM edstays e JOIN admissions a USING (hadm_id) "
                      "WHERE a.subject_id <> e.subject_id") == 0
    assert q(ed_copy, "SELECT count(*) FROM edstays WHERE hadm_id IS NOT NULL AND hadm_id NOT IN "
                      "(SELECT hadm_id FROM admissions)") == 0
    assert q(ed_copy, "SELECT count(*) FROM edstays e JOIN transfers t ON t.transfer_id = e.stay_id "
                      "WHERE t.eventtype = 'ED' AND t.subject_id = e.subject_id") == 222
    assert 0 < q(ed_copy, "SELECT count(*) FROM edstays WHERE hadm_id IS NULL") < 222
    for child in ("diagnosis", "medrecon", "pyxis", "triage", "vitalsign"):
        assert q(ed_copy, f"SELECT count(*) FROM {child} c LEFT JOIN edstays e USING (stay_id) "
                          "WHERE e.subject_id IS DISTINCT FROM c.subject_id") == 0, child


def test_ed_keys_times_and_documented_values_hold(ed_copy):
    assert q(ed_copy, "SELECT count(*) - count(DISTINCT stay_id) FROM edstays") == 0
    assert q(ed_copy, "SELECT count(*) - count(DISTINCT (stay_id, seq_num)) FROM diagnosis") == 0
    assert q(ed_copy, "SELECT count(*) - count(DISTINCT (stay_id, charttime)) FROM vitalsign") == 0
    assert q(ed_copy, "SELECT count(*) FROM edstays WHERE outtime < intime") == 0
    assert q(ed_copy, "SELECT count(*) FROM edstays WHERE arrival_transport NOT IN "
                      "('WALK IN', 'AMBULANCE', 'UNKNOWN', 'OTHER', 'HELICOPTER')") == 0
    assert q(ed_copy, "SELECT count(*) FROM triage WHERE acuity NOT IN (1, 2, 3, 4, 5)") == 0
    assert q(ed_copy, "SELECT count(*) FROM diagnosis WHERE icd_version NOT IN (9, 10)") == 0


@pytest.fixture(scope="module")
def note_copy(tmp_path_factory) -> tuple[duckdb.DuckDBPyConnection, Path]:
    work = tmp_path_factory.mktemp("notes")
    clinical = generate(work / "clinical", release="3.1", scale=0.0003, seed=SEED).out_dir
    notes = generate(work / "note", release="note-2.2", scale=0.0003, seed=SEED, inject=["phi:all"]).out_dir
    con = duckdb.connect()
    _read(con, clinical, "hosp", ["patients", "admissions"])
    _read(con, notes, "note", SPEC.module_tables("note"))
    return con, notes


def test_note_copy_has_the_published_counts_at_scale(note_copy):
    con, _ = note_copy
    for table, n in SPEC.release("note-2.2").row_counts.items():
        assert q(con, f"SELECT count(*) FROM {table}") == round(n * 0.0003), table


def test_notes_name_the_clinical_copys_patients_and_admissions(note_copy):
    con, _ = note_copy
    for t in ("discharge", "radiology"):
        assert q(con, f"SELECT count(*) FROM {t} WHERE subject_id NOT IN (SELECT subject_id FROM patients)") == 0
        assert q(con, f"SELECT count(*) FROM {t} n LEFT JOIN admissions a USING (hadm_id) "
                      "WHERE n.hadm_id IS NOT NULL AND a.subject_id IS DISTINCT FROM n.subject_id") == 0
        assert q(con, f"SELECT count(*) FROM {t} WHERE note_id <> subject_id::VARCHAR || '-' || note_type || '-' "
                      "|| note_seq::VARCHAR") == 0
        assert q(con, f"SELECT count(*) - count(DISTINCT note_id) FROM {t}") == 0
    assert q(con, "SELECT count(*) FROM discharge WHERE note_type NOT IN ('DS', 'AD')") == 0
    assert q(con, "SELECT count(*) FROM radiology WHERE note_type NOT IN ('RR', 'AR')") == 0
    assert q(con, "SELECT count(*) FROM radiology WHERE hadm_id IS NULL") > 0


def test_radiology_links_resolve_and_detail_rows_name_their_notes(note_copy):
    con, _ = note_copy
    for field in ("parent_note_id", "addendum_note_id"):
        assert q(con, f"SELECT count(*) FROM radiology_detail WHERE field_name = '{field}'") > 0
        assert q(con, f"SELECT count(*) FROM radiology_detail WHERE field_name = '{field}' AND field_value NOT IN "
                      "(SELECT note_id FROM radiology)") == 0
    assert q(con, "SELECT count(*) FROM radiology_detail WHERE note_id NOT IN (SELECT note_id FROM radiology)") == 0
    assert q(con, "SELECT count(*) FROM discharge_detail WHERE note_id NOT IN (SELECT note_id FROM discharge)") == 0
    assert q(con, "SELECT count(*) FROM radiology_detail WHERE field_name NOT IN "
                  "('addendum_note_id', 'parent_note_id', 'cpt_code', 'exam_code', 'exam_name')") == 0


def test_note_text_has_the_published_structure(note_copy):
    con, _ = note_copy
    headings = ["Admission Date:", "Discharge Date:", "Service:", "Allergies:", "Chief Complaint:",
                "History of Present Illness:", "Brief Hospital Course:", "Discharge Medications:",
                "Discharge Diagnosis:", "Discharge Instructions:", "Followup Instructions:"]
    for h in headings:
        assert q(con, f"SELECT count(*) FROM discharge WHERE NOT contains(text, '{h}')") == 0, h
    for h in ["EXAMINATION:", "INDICATION:", "TECHNIQUE:", "COMPARISON:", "FINDINGS:", "IMPRESSION:"]:
        assert q(con, f"SELECT count(*) FROM radiology WHERE NOT contains(text, '{h}')") == 0, h
    assert q(con, "SELECT count(*) FROM discharge WHERE NOT contains(text, '___')") == 0
    assert 8_000 < q(con, "SELECT avg(length(text)) FROM discharge") < 13_000
    assert 1_200 < q(con, "SELECT avg(length(text)) FROM radiology") < 2_200


def test_planted_phi_lies_at_its_recorded_offsets(note_copy):
    con, root = note_copy
    truth = [json.loads(line) for line in (root / "phi-ground-truth.jsonl").read_text().splitlines()]
    assert {t["entity_type"] for t in truth} >= {"PERSON", "US_SSN", "PHONE_NUMBER"}
    for t in truth:
        table = t["table"].split(".")[1]
        text = con.execute(f"SELECT text FROM {table} WHERE note_id = ?", [t["row"]["note_id"]]).fetchone()[0]
        assert len(text) == t["text_length"]
        span = text[t["start"]:t["end"]]
        assert span and "___" not in span and span.strip() == span
