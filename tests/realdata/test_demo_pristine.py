"""The real open demo v2.2, untouched: it must pass, and what the spec says about it must be true.

The demo is the only real MIMIC data the project has. Every spec fact marked ``observed: [demo-2.2]``
must hold in it, every known quirk measured on it must fail by exactly the recorded number of rows (and
be tolerated), and every relationship it holds is enforced at error severity.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape as html_escape

import mimic_qa
from mimic_qa.checks import build_catalog
from mimic_qa.results import Status
from mimic_qa.spec import load_spec
from tests.cli import run_cli

DEMO = "demo-2.2"


def tables_args(tables: list[str]) -> list[str]:
    return [arg for t in tables for arg in ("--tables", t)]


@pytest.fixture(scope="module")
def pristine(real_demo, real_demo_tables):
    """validate on the 30 tables present, default mode (pandera and GX), through the Python API."""
    return mimic_qa.validate(real_demo, tables=real_demo_tables)


def test_the_cli_passes_the_30_tables_present(real_demo, real_demo_tables, tmp_path):
    done = run_cli("validate", str(real_demo), *tables_args(real_demo_tables), "--json", str(tmp_path / "v.json"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    run = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))
    assert run["release"] == DEMO and run["summary"]["failed_by_severity"]["error"] == 0
    assert len(run["row_counts"]) == 30 and all(c["observed"] == c["expected"] for c in run["row_counts"].values())


def test_every_check_that_did_not_pass_is_a_known_quirk(pristine):
    not_passed = [c for c in pristine.run.checks if c.status is not Status.PASSED]
    assert not_passed, "the real demo has known quirks: some checks must fail within their tolerance"
    assert [c.id for c in not_passed if not c.quirk_reference] == []
    assert all(c.status is Status.FAILED and c.severity in ("warning", "info") for c in not_passed)


def test_the_spec_evidence_holds_in_the_demo(pristine, real_demo_tables):
    """observed facts pass; quirks measured on the demo fail by exactly their recorded rows; nothing the
    demo could confirm is left as 'documents only'."""
    results = {c.id: c for c in pristine.run.checks}
    catalog = [c for c in build_catalog(load_spec(), real_demo_tables)]
    for check in catalog:
        result = results[check.id]
        measured = check.quirk.rows.get(DEMO) if check.quirk else None
        if DEMO in check.observed:
            assert result.status is Status.PASSED, (check.id, result.message)
        elif measured is not None:
            assert (result.status, result.failing_rows) == (Status.FAILED, measured), (check.id, result.message)
            assert result.quirk_reference
        else:
            assert check.table is None, f"{check.id}: the demo holds this table, but the fact is not marked observed"


def test_observed_relationships_really_have_parents_in_the_demo(real_demo):
    """An independent count (plain DuckDB over the CSV files) behind every relationship marked observed."""
    spec = load_spec()
    con = duckdb.connect()
    for name, t in spec.tables.items():
        for fk in t.foreign_keys:
            if DEMO not in fk.observed:
                continue
            parent = spec.tables[fk.ref_table]
            child_file, parent_file = real_demo / t.file, real_demo / parent.file
            on = " AND ".join(f'c."{a}" = p."{b}"' for a, b in zip(fk.columns, fk.ref_columns))
            filled = " AND ".join(f'c."{a}" IS NOT NULL' for a in fk.columns)
            rows, orphans = con.execute(
                f"SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM read_csv('{parent_file}', "
                f"all_varchar=true) p WHERE {on})) FROM read_csv('{child_file}', all_varchar=true) c WHERE {filled}"
            ).fetchone()
            assert rows > 0 and orphans == 0, (name, fk.columns, rows, orphans)


def test_every_relationship_is_enforced_at_error():
    """No relationship has a documented exception, and the real demos (clinical and ED) hold each without an
    orphan or as a measured quirk: so each is an error (a quirk tolerates the measured rate as a warning). The
    Note module's relationships rest on documents only (no open note text) and may be warnings."""
    spec = load_spec()
    soft = [f"{n}.{fk.name}" for n, t in spec.tables.items() for fk in t.foreign_keys
            if fk.severity != "error" and t.module != "note"]
    assert soft == []


def test_all_31_tables_name_the_missing_file(real_demo, tmp_path):
    """Without --tables the copy is incomplete (chartevents is not in it): exit 1, naming the file."""
    done = run_cli("validate", str(real_demo), "--checks", "sql", "--json", str(tmp_path / "v.json"))
    assert done.returncode == 1
    failed = {c["id"]: c for c in json.loads((tmp_path / "v.json").read_text())["checks"] if c["status"] == "failed"}
    assert {"icu.chartevents.file.present", "release.sha256sums.listed"} <= set(failed)
    assert "icu.chartevents.file.present" in done.stdout
    assert failed["release.sha256sums.listed"]["message"] == "1 listed file missing"  # not "1 listed files"


def test_the_audit_report_renders(real_demo, real_demo_tables, tmp_path):
    out = tmp_path / "audit"
    done = run_cli("validate", str(real_demo), *tables_args(real_demo_tables), "--checks", "sql",
                   "--report-dir", str(out), "--json", str(tmp_path / "run.json"))
    assert done.returncode == 0, done.stderr[-2000:]
    html = (out / "report.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    for text in (html, md):
        assert "MIMIC-IV Clinical Database Demo v2.2" in text and "10.13026/dp1f-ex47" in text
        assert "icu.procedureevents.header_case" in text and "hosp.emar.fk.poe_id" in text
    assert "PASS" in md or "pass" in md.lower()
    # each finding gives its known quirk's reference once (its message already quotes it on the real demo)
    references = {c["id"]: c["quirk_reference"] for c in json.loads((tmp_path / "run.json").read_text())["checks"]
                  if c["status"] != "passed" and c["quirk_reference"]}
    assert references
    findings = html.partition('id="findings-table"')[2].partition("</table>")[0]
    for row in findings.split("<tr data-check=")[1:]:
        check = row.split('"')[1]
        if check in references:
            assert row.count(str(html_escape(references[check]))) == 1, check
    assert "<details" in html and " open>" not in html  # the per-table lists start closed


def test_the_audit_report_is_short_on_screen_and_on_paper(real_demo, real_demo_tables, tmp_path):
    """This report was 32,252 px tall at 1,280 px and printed on 48 A4 pages: the tables with a finding open on
    screen, every table open in print, and each finding's reference twice. With the per-table lists closed (their
    findings are under Findings) it is 7,570 px and 7 pages."""
    from tests.reports.browser import page_height, print_pdf

    done = run_cli("validate", str(real_demo), *tables_args(real_demo_tables), "--checks", "sql",
                   "--report-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    html = tmp_path / "report.html"
    assert page_height(html) < 12_000
    pdf = print_pdf(html, tmp_path / "report.pdf").read_bytes()
    assert 3 <= max(int(n) for n in re.findall(rb"/Count (\d+)", pdf)) <= 12


def test_demo_file_hashes_in_the_spec_match_the_published_list(real_demo):
    """The spec's demo-2.2 file hashes (used by guard) are the ones PhysioNet's SHA256SUMS.txt lists."""
    listed = dict(line.split(" ", 1)[::-1] for line in (real_demo / "SHA256SUMS.txt").read_text().splitlines())
    spec = load_spec()
    files = spec.release(DEMO).files
    assert set(files) == set(spec.module_tables("hosp") + spec.module_tables("icu"))
    for name, info in files.items():
        assert info["sha256"] == listed[spec.tables[name].file], name


def test_validate_never_writes_into_the_source(real_demo, real_demo_tables):
    before = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in Path(real_demo).rglob("*")}
    mimic_qa.validate(real_demo, tables=real_demo_tables[:3], checks="sql")
    assert {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in Path(real_demo).rglob("*")} == before
