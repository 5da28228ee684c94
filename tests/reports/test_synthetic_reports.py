"""The must-show: ``validate --report-dir`` on a clean and on a damaged synthetic copy, read back as HTML."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from mimic_qa.results.io import read_json
from mimic_qa.spec import load_spec
from mimic_qa.synth import generate
from tests.cli import run_cli
from tests.reports.htmldoc import HtmlDoc

CANARY = "CANARY-5b2e<i>x</i>"
DOIS = ("10.13026/kpb9-mt58", "10.1038/s41597-022-01899-x", "10.1161/01.CIR.101.23.e215")


@pytest.fixture(scope="module")
def synthetic_copy(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "mimic"
    generate(out, scale=0.001, seed=11)
    return out


def _plant(copy: Path, table: str, column: str, value: str) -> None:
    """Write ``value`` into one field of the first row of a table's .csv.gz (set-based, in DuckDB)."""
    path = copy / load_spec().tables[table].file
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar=true, header=true)", [str(path)])
    con.execute(f'UPDATE t SET "{column}" = ? WHERE rowid = 0', [value])
    plain = path.with_suffix("")
    con.execute(f"COPY t TO '{plain}' (HEADER, DELIMITER ',')")
    with plain.open("rb") as src, gzip.open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    plain.unlink()


def _chips(doc: HtmlDoc) -> dict[str, int]:
    return {label: int(n.replace(",", "")) for n, label in
            re.findall(r"([\d,]+) ([a-z ()]+?)(?= [\d,]+ |$)", doc.text("counts"))}


def _read(out_dir: Path) -> tuple[HtmlDoc, str, str]:
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    return HtmlDoc(html), html, (out_dir / "report.md").read_text(encoding="utf-8")


def test_clean_synthetic_copy_report(synthetic_copy, tmp_path):
    out = run_cli("validate", str(synthetic_copy), "--json", str(tmp_path / "r.json"), "--report-dir",
                  str(tmp_path / "rep"), "--quiet")
    assert out.returncode == 0, out.stderr
    run = read_json(tmp_path / "r.json")
    doc, _, md = _read(tmp_path / "rep")
    assert doc.text("verdict") == "PASS" and "**Verdict: PASS.**" in md
    chips = _chips(doc)
    assert chips["passed"] == run.summary.passed
    assert chips["warning"] == run.summary.failed_by_severity.warning
    assert chips["failed (error)"] == 0 and chips["could not run"] == run.summary.error == 0
    assert "synthetic copy" in doc.all_text
    for counts in run.row_counts.values():  # observed vs expected, per table
        assert f"{counts['observed']:,} / {counts['expected']:,}" in doc.all_text
    for body in (doc.all_text, md):
        assert "PHI-report@physionet.org" in body and all(doi in body for doi in DOIS)


def test_damaged_synthetic_copy_report_hides_the_canary(synthetic_copy, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(synthetic_copy, copy)
    _plant(copy, "patients", "gender", CANARY)
    out = run_cli("validate", str(copy), "--tables", "patients", "--tables", "admissions", "--json",
                  str(tmp_path / "r.json"), "--report-dir", str(tmp_path / "rep"), "--quiet")
    assert out.returncode == 1, out.stderr
    run = read_json(tmp_path / "r.json")
    doc, html, md = _read(tmp_path / "rep")
    assert doc.text("verdict") == "FAIL" and "**Verdict: FAIL.**" in md
    failed = {c.id for c in run.checks if c.status.value in ("failed", "error") and c.severity == "error"}
    assert "hosp.patients.domain.gender" in failed
    assert _chips(doc)["failed (error)"] == len([c for c in run.checks if c.status.value == "failed"
                                                 and c.severity == "error"])
    for check_id in failed:
        assert check_id in doc.text("findings-table") and f"`{check_id}`" in md
    for body in (doc.all_text, md):
        assert "PHI-report@physionet.org" in body and all(doi in body for doi in DOIS)
    for text in (html, md, (tmp_path / "r.json").read_text()):
        assert "CANARY-5b2e" not in text
