"""``mimic-qa scan-phi`` end to end on small sources: DuckDB database, release directory, single file."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import duckdb
import pytest

from mimic_qa.errors import UsageError
from mimic_qa.phi.run import scan_phi
from mimic_qa.phi.scan import ScanOptions
from tests.cli import run_cli
from tests.phi.conftest import build_db, export_release

PHI_TEXT = "Critical value called to Jane Doe, RN at 14:20; fax 617-555-0100."
CLEAN = ["___ CALLED TO ___ AT 10:15 ON ___.", "VERIFIED BY REPLICATE ANALYSIS.", "HEMOLYZED SPECIMEN.",
         "Foley catheter draining.", None]
# row i+1 holds CLEAN[i % 5]; the PHI value sits in rows 7 and 12
COMMENTS = [PHI_TEXT if i in (7, 12) else CLEAN[i % len(CLEAN)] for i in range(1, 41)]


def _read(out: Path) -> tuple[list[dict], dict]:
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines()]
    return findings, json.loads((out / "scan-summary.json").read_text())


def _no_text_in(out: Path, secrets: list[str]) -> None:
    for path in out.iterdir():
        body = path.read_text()
        for secret in secrets:
            assert secret not in body, path.name


@pytest.fixture(scope="module")
def phi_db(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("db") / "mimic.duckdb", COMMENTS, ["Foley", "Heart Rate"])


def test_duckdb_source_with_phi(phi_db, tmp_path):
    out = tmp_path / "scan"
    proc = run_cli("scan-phi", str(phi_db), "--tables", "labevents", "--out", str(out))
    assert proc.returncode == 1, proc.stderr
    findings, summary = _read(out)
    located = sorted((f["row"]["labevent_id"], f["entity_type"], f["start"], f["end"]) for f in findings)
    name, fax = PHI_TEXT.index("Jane Doe"), PHI_TEXT.index("617-555-0100")
    assert located == sorted((row, kind, start, start + length) for row in (7, 12)
                             for kind, start, length in (("PERSON", name, 8), ("FAX_NUMBER", fax, 12)))
    assert set(findings[0]) == {"table", "column", "row", "entity_type", "start", "end", "score", "recognizer"}
    assert summary["rows_scanned"] == 40 and summary["findings_total"] == 4
    assert summary["by_entity_type"] == {"FAX_NUMBER": 2, "PERSON": 2} and summary["by_table"] == {"labevents": 4}
    assert summary["columns_scanned"] == ["labevents.value", "labevents.comments"]
    # distinct values: 5 comment texts (4 clean + 1 PHI), value column all NULL
    assert summary["distinct_values"] == 5
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o600}
    _no_text_in(out, ["Jane", "Doe", "617-555"])
    draft = (out / "phi-report-draft.md").read_text()
    assert "PHI-report@physionet.org" in draft and "labevent_id=7" in draft and "Nothing has been sent" in draft
    assert "mimiciv_hosp.labevents" in draft and "fax number (E)" in draft
    assert "labevent_id=12" in (out / "phi-report-draft.txt").read_text()
    assert "Jane" not in proc.stdout + proc.stderr


def test_include_context_masks_the_findings(phi_db, tmp_path):
    out = tmp_path / "scan"
    outcome = scan_phi(phi_db, out, tables=["labevents"], options=ScanOptions(include_context=True, workers=1))
    assert outcome.findings_total == 4
    findings, _ = _read(out)
    person = next(f for f in findings if f["entity_type"] == "PERSON")
    assert "called to [PERSON], RN at 14:20" in person["context"]
    assert all("Jane" not in f["context"] and "617" not in f["context"] for f in findings)


def test_clean_source_exits_zero(tmp_path):
    db = build_db(tmp_path / "clean.duckdb", [c for c in CLEAN * 4])
    out = tmp_path / "scan"
    proc = run_cli("scan-phi", str(db), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    findings, summary = _read(out)
    assert findings == [] and summary["findings_total"] == 0 and summary["rows_scanned"] == 20
    assert "no findings" in proc.stdout
    assert not list(out.glob("phi-report-draft*"))  # nothing to report: no draft e-mail


def test_a_clean_rescan_removes_the_earlier_draft(phi_db, tmp_path):
    out = tmp_path / "scan"
    assert scan_phi(phi_db, out, tables=["labevents"], options=ScanOptions(workers=1)).findings_total == 4
    assert {p.name for p in out.glob("phi-report-draft*")} == {"phi-report-draft.md", "phi-report-draft.txt"}
    clean = build_db(tmp_path / "clean.duckdb", CLEAN)
    assert scan_phi(clean, out, options=ScanOptions(workers=1)).findings_total == 0
    assert sorted(p.name for p in out.iterdir()) == ["findings.jsonl", "scan-summary.json"]


def test_release_directory_and_min_score(phi_db, tmp_path):
    release = export_release(phi_db, tmp_path / "release")
    out = tmp_path / "scan"
    outcome = scan_phi(release, out, columns=["labevents.comments"], options=ScanOptions(workers=1))
    findings, summary = _read(out)
    assert outcome.findings_total == 4 and summary["source"] == "release"
    assert {f["row"]["labevent_id"] for f in findings} == {7, 12}  # integer keys, as in the ground truth
    strict = scan_phi(release, tmp_path / "strict", columns=["labevents.comments"],
                      options=ScanOptions(min_score=0.8, workers=1))
    assert strict.summary["by_entity_type"] == {}  # PERSON scores 0.75, FAX 0.75


def test_single_file_with_key(tmp_path):
    path = tmp_path / "cohort.csv"
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (101, 'stable'), (102, 'spoke with Dr. Smith'), "
                "(103, NULL)) AS v(stay_id, note)")
    con.execute(f"COPY t TO '{path}' (HEADER)")
    out = tmp_path / "scan"
    outcome = scan_phi(path, out, key=["stay_id"], options=ScanOptions(workers=1))
    assert outcome.findings_total == 1
    findings, summary = _read(out)
    assert [(f["table"], f["column"], f["row"], f["entity_type"]) for f in findings] == [
        ("cohort", "note", {"stay_id": "102"}, "PERSON")]
    assert summary["source"] == "file" and summary["rows_scanned"] == 3
    no_key = scan_phi(path, tmp_path / "nokey", options=ScanOptions(workers=1))
    assert no_key.findings_total == 2 - 1  # stay_id scanned too, but numbers are not PHI
    findings, _ = _read(tmp_path / "nokey")
    assert findings[0]["row"] == {"row_number": 2}


@pytest.mark.parametrize("args, message", [
    (["/nonexistent/place"], "no such file"),
    (["{db}", "--min-score", "2"], "--min-score"),
])
def test_bad_input_is_one_line(phi_db, tmp_path, args, message):
    proc = run_cli("scan-phi", *[a.format(db=phi_db) for a in args], "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("kwargs, message", [
    ({"tables": ["nosuch"]}, "unknown table"),
    ({"columns": ["labevents.nosuch"]}, "no column"),
    ({"columns": ["comments"]}, "expected table.column"),
    ({"key": ["nosuch"], "source": "file"}, "--key nosuch"),
    ({"options": ScanOptions(nlp_model="no_such_model_pkg")}, "nothing is downloaded"),
])
def test_bad_arguments_raise_usage_errors(phi_db, tmp_path, kwargs, message):
    source = phi_db
    if kwargs.pop("source", None) == "file":
        source = tmp_path / "x.csv"
        source.write_text("a,b\n1,2\n")
    with pytest.raises(UsageError, match=message):
        scan_phi(source, tmp_path / "o", **kwargs)


def test_corrupt_table_file_is_one_line(tmp_path):
    release = tmp_path / "release"
    (release / "hosp").mkdir(parents=True)
    (release / "hosp" / "labevents.csv.gz").write_bytes(b"not gzip at all")
    proc = run_cli("scan-phi", str(release), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()  # the progress announces the table before it is read
    assert lines[-1] == "mimic-qa: error: hosp/labevents.csv.gz: cannot be read (IOException)"
    assert [line for line in lines if "error" in line.lower() or "Traceback" in line] == lines[-1:]


def test_worker_processes_give_the_same_findings(phi_db, tmp_path, monkeypatch):
    """Values analysed in two spawned processes, in small chunks, come back matched to the right values."""
    from mimic_qa.phi import workers

    single = scan_phi(phi_db, tmp_path / "one", tables=["labevents"], options=ScanOptions(workers=1))
    monkeypatch.setattr(workers, "IN_PROCESS_BELOW", 0)
    monkeypatch.setattr(workers, "CHUNK", 2)
    pooled = scan_phi(phi_db, tmp_path / "two", tables=["labevents"], options=ScanOptions(workers=2))
    assert pooled.findings_total == single.findings_total == 4
    assert (tmp_path / "one" / "findings.jsonl").read_text() == (tmp_path / "two" / "findings.jsonl").read_text()
