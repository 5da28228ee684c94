"""``mimic-qa validate`` on synthetic copies: a clean copy passes, every injected fault fails the right check."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import duckdb
import pytest

from mimic_qa import ValidationFailed
from mimic_qa import validate as validate_api
from mimic_qa.results import Status
from mimic_qa.results.io import read_json
from mimic_qa.sources.layout import SYNTH_MARKER
from mimic_qa.spec import load_spec
from tests.cli import run_cli

# One damaged copy carries every fault, each aimed at its own table so they do not mask each other.
FAULTS = {
    "missing-file": "hosp.hcpcsevents",
    "empty-file": "hosp.drgcodes",
    "truncated-gzip": "hosp.labevents",
    "corrupt-gzip": "icu.chartevents",
    "checksum-mismatch": "hosp.services",
    "non-utf8": "hosp.microbiologyevents",
    "missing-row": "icu.outputevents",
    "extra-row": "icu.procedureevents",
    "duplicate-pk": "hosp.procedures_icd",
    "orphan-fk": "hosp.emar.fk.subject_id",
    "null-in-not-null": "hosp.poe.ordertime",
    "unparseable-value": "hosp.admissions.admittime",
    "out-of-domain": "hosp.patients.domain.gender",
    "time-order": "icu.icustays.rule.intime_le_outtime",
    "renamed-column": "hosp.omr",
    "reordered-columns": "hosp.transfers",
    "missing-column": "icu.ingredientevents",
    "extra-column": "hosp.d_hcpcs",
}


@pytest.fixture(scope="module")
def all_faults(damaged, tmp_path_factory):
    """(copy, injected records, results JSON, CLI output) of one validate run over the many-fault copy."""
    copy = damaged(",".join(f"{k}:{v}" for k, v in FAULTS.items()))
    out_json = tmp_path_factory.mktemp("allfaults") / "r.json"
    out = run_cli("validate", str(copy), "--json", str(out_json))
    injected = json.loads((copy / SYNTH_MARKER).read_text())["injected"]
    return copy, injected, read_json(out_json), out


def _failed(run) -> dict[str, object]:
    return {c.id: c for c in run.checks if c.status in (Status.FAILED, Status.ERROR)}


def test_clean_copy_passes_with_quirks_as_warnings(clean_copy, tmp_path):
    out = run_cli("validate", str(clean_copy), "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    assert "synthetic" in out.stderr and "PASS" in out.stdout
    run = read_json(tmp_path / "r.json")
    assert run.summary.failed_by_severity.error == 0
    assert run.summary.ok is True
    assert {"tool", "source", "release", "started_at", "finished_at", "summary", "checks"} <= set(run.model_dump())
    warned = {c.id: c for c in run.checks if c.status is Status.FAILED and c.severity == "warning"}
    quirk = warned.get("hosp.pharmacy.rule.starttime_le_stoptime")
    assert quirk is not None and quirk.quirk_reference and quirk.failing_rows > 0
    assert not [c.id for c in run.checks if c.status is Status.SKIPPED and c.kind not in ("file.sha256",)]
    suites = ET.parse(tmp_path / "r.xml").getroot()
    assert len(suites.findall(".//testcase")) == len(run.checks)
    assert not suites.findall(".//failure")


def test_many_fault_copy_exits_1_without_traceback(all_faults):
    _, injected, _, out = all_faults
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr and "FAIL" in out.stdout
    assert {item["fault"] for item in injected} == set(FAULTS)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_fault_fails_the_checks_it_damages(all_faults, fault):
    _, injected, run, _ = all_faults
    records = [item for item in injected if item["fault"] == fault]
    assert records, f"synth recorded nothing for {fault}"
    expected = {cid for item in records for cid in item["check_ids"]}
    failed = _failed(run)
    assert expected and not expected - set(failed), f"{fault}: not reported: {sorted(expected - set(failed))}"
    table = FAULTS[fault].split(".")[1]
    assert any(failed[cid].table == table for cid in expected), f"{fault}: no failure names {table}"
    assert any(failed[cid].severity == "error" for cid in expected), f"{fault}: only warnings"


@pytest.mark.parametrize(("fault", "words"), [("truncated-gzip", "ends early"), ("corrupt-gzip", "damaged"),
                                              ("empty-file", "empty file")])
def test_unreadable_files_give_a_clear_message(all_faults, fault, words):
    _, _, run, out = all_faults
    table = FAULTS[fault]
    readable = next(c for c in run.checks if c.id == f"{table}.file.readable")
    assert readable.status is Status.FAILED and words in readable.message
    assert f"{table}.file.readable" in out.stdout


def test_same_results_from_directory_and_kept_database(clean_copy, damaged, tmp_path, monkeypatch):
    """The kept database file, the default in-memory parse and the scratch file used for large copies agree."""
    import mimic_qa.validation.parse as validation_parse

    for name, copy in (("clean", clean_copy), ("damaged", damaged("orphan-fk,duplicate-pk"))):
        db = tmp_path / f"{name}.duckdb"
        from_dir = validate_api(copy, keep_db=db)
        from_db = validate_api(db)
        in_memory = validate_api(copy)
        with monkeypatch.context() as m:
            m.setattr(validation_parse, "IN_MEMORY_MAX_BYTES", 0)
            on_scratch_file = validate_api(copy)
        assert from_db.run.release == from_dir.run.release
        assert from_db.run.summary.source_kind == "duckdb"

        def data_checks(res):
            return {(c.id, c.status, c.failing_rows, c.severity) for c in res.run.checks
                    if not c.kind.startswith("file.") and not c.id.startswith("release.")}

        assert data_checks(from_dir) == data_checks(from_db) == data_checks(in_memory) == data_checks(on_scratch_file)
        assert {c.id for c in in_memory.run.checks} == {c.id for c in from_dir.run.checks}
        assert from_dir.ok is from_db.ok is in_memory.ok is on_scratch_file.ok


def test_python_api_result(damaged):
    result = validate_api(damaged("orphan-fk,duplicate-pk"))
    assert not result.ok and result.failed
    assert all(c.status in (Status.FAILED, Status.ERROR) for c in result.failed)
    with pytest.raises(ValidationFailed, match=r"\.pk"):
        result.raise_for_failures()


def test_nested_wget_layout_is_found(clean_copy, tmp_path):
    nested = tmp_path / "physionet.org" / "files" / "mimiciv" / "3.1"
    shutil.copytree(clean_copy, nested)
    result = validate_api(tmp_path)
    assert result.ok
    assert result.run.summary.tables_loaded == 31


def test_tables_option_limits_the_run(clean_copy):
    result = validate_api(clean_copy, tables=["patients", "admissions"])
    assert {c.table for c in result.run.checks if c.table} == {"patients", "admissions"}
    assert result.ok


def _rewrite(copy: Path, table: str, sql: str) -> None:
    """Rewrite one table file through DuckDB (sql selects from 't')."""
    t = load_spec().tables[table]
    path = copy / t.file
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', all_varchar=true, header=true, "
                f"allow_quoted_nulls=false)")
    con.execute(sql)
    plain = path.with_suffix("")
    con.execute(f"COPY t TO '{plain}' (HEADER, DELIMITER ',')")
    with plain.open("rb") as src, gzip.open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    plain.unlink()


def test_canary_value_never_reaches_outputs(clean_copy, copy_of, tmp_path):
    copy = copy_of(clean_copy)
    canary = "CANARY7F3A"
    _rewrite(copy, "admissions", f"UPDATE t SET admission_type = '{canary}' WHERE rowid = 0")
    _rewrite(copy, "patients", f"UPDATE t SET subject_id = '{canary}9' WHERE rowid = 0")
    out = run_cli("validate", str(copy), "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"))
    assert out.returncode == 1
    failed = _failed(read_json(tmp_path / "r.json"))
    assert "hosp.admissions.domain.admission_type" in failed
    assert "hosp.patients.type.subject_id" in failed
    for text in (out.stdout, out.stderr, (tmp_path / "r.json").read_text(), (tmp_path / "r.xml").read_text()):
        assert canary not in text
    shown = run_cli("validate", str(copy), "--checks", "sql", "--show-values", "--json", str(tmp_path / "v.json"))
    assert shown.returncode == 1
    run = read_json(tmp_path / "v.json")
    assert run.show_values and canary in (next(c for c in run.checks
                                              if c.id == "hosp.admissions.domain.admission_type").samples or [])


def test_wrong_release_is_named(clean_copy):
    result = validate_api(clean_copy, release="demo-2.2")
    assert not result.ok
    assert result.run.release == "demo-2.2"
    assert any(c.id.endswith(".row_count") for c in result.failed)


def test_bad_sources_exit_2_with_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "not-a-db.duckdb").write_bytes(b"hello")
    for args in ([str(tmp_path / "nope")], [str(tmp_path / "empty")], [str(tmp_path / "empty"), "--fail-on", "x"],
                 [str(tmp_path / "empty"), "--release", "9.9"]):
        out = run_cli("validate", *args)
        assert out.returncode == 2, args
        lines = [line for line in out.stderr.splitlines() if line.strip()]
        assert lines and lines[-1].startswith("mimic-qa: error:") and "Traceback" not in out.stderr
