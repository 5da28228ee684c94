"""Reports from a clean and a damaged run: verdict, counts, row counts, DUA, DOIs, and no data values."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from markupsafe import escape

from mimic_qa.errors import UsageError
from mimic_qa.reports import render_report
from mimic_qa.results.model import RunResult
from mimic_qa.spec import load_spec
from tests.reports.conftest import CANARY, CANARY_CHECK, DAMAGE, SKIPPED_TABLE, make_run, quirk_warnings
from tests.reports.htmldoc import HtmlDoc

PAPER_DOI = "10.1038/s41597-022-01899-x"
PHYSIONET_DOI = "10.1161/01.CIR.101.23.e215"


def render(run: RunResult, out: Path, **kw) -> tuple[HtmlDoc, str, str]:
    paths = render_report(run, out, **kw)
    assert [p.name for p in paths] == ["report.html", "report.md"]
    text = (out / "report.html").read_text(encoding="utf-8")
    return HtmlDoc(text), text, (out / "report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, tuple[HtmlDoc, str, str]]:
    """The clean and the damaged run rendered once for the tests that only read them."""
    out = tmp_path_factory.mktemp("reports")
    return {"clean_run": render(make_run("3.1"), out / "clean"),
            "damaged_run": render(make_run("demo-2.2", damaged=True), out / "damaged")}


def chip_counts(doc: HtmlDoc) -> dict[str, int]:
    counts = {}
    for part in re.findall(r"([\d,]+) ([a-z ()]+?)(?= [\d,]+ |$)", doc.text("counts")):
        counts[part[1]] = int(part[0].replace(",", ""))
    return counts


def test_clean_report_passes_with_quirk_warnings(clean_run, reports):
    doc, text, md = reports["clean_run"]
    warnings = len(quirk_warnings("3.1"))
    assert doc.text("verdict") == "PASS"
    assert chip_counts(doc) == {"failed (error)": 0, "could not run": 0, "warning": warnings, "info": 0,
                                "passed": len(clean_run.checks) - warnings, "skipped": 0}
    assert "# MIMIC-IV audit report: PASS" in md
    assert f"| warning | {warnings} |" in md
    # every quirk warning is listed among the findings with its reference
    findings = doc.text("findings-table")
    for q in load_spec().quirks:
        if "3.1" in q.rows:
            assert q.check in findings
    clinical = next(q for q in load_spec().quirks if q.check.startswith(("hosp.", "icu.")))
    assert html.escape(clinical.reference) in text


def test_damaged_report_fails_with_counts(damaged_run, reports):
    doc, _, md = reports["damaged_run"]
    assert doc.text("verdict") == "FAIL"
    counts = chip_counts(doc)
    assert counts["failed (error)"] == 4 and counts["could not run"] == 1
    assert counts["skipped"] == sum(c.table == SKIPPED_TABLE for c in damaged_run.checks)
    findings = doc.text("findings-table")
    for check_id in DAMAGE:
        assert check_id in findings
        assert f"`{check_id}`" in md
    # row counts: the short table shows its difference; the skipped one is "not counted"
    patients = [a for a in doc.find_all("tr") if a.get("data-table") == "patients"]
    assert patients
    assert re.search(r"patients \| 2 \| 0 \| 0 \| 0 \| \d+ \| 0 \| 98 \| 100 \| -2 \|", md)
    assert f"| icu | {SKIPPED_TABLE} |" in md and "not counted" in md
    assert "98 / 100 (-2)" in doc.all_text  # the row-count picture labels the gap


@pytest.mark.parametrize("fixture", ["clean_run", "damaged_run"])
def test_dua_and_three_dois_always_present(fixture, request, reports):
    run = request.getfixturevalue(fixture)
    doc, text, md = reports[fixture]
    dataset_doi = load_spec().release(run.release).doi
    for body in (doc.all_text, md):
        assert "PHI-report@physionet.org" in body
        for doi in (dataset_doi, PAPER_DOI, PHYSIONET_DOI):
            assert doi in body
        for duty in ("Do not share the data or your access", "Do not try to re-identify anyone",
                     "Make your analysis code available", "Cite the data set"):
            assert duty in body
    assert doc.find_all("a", href="mailto:PHI-report@physionet.org")
    assert "@misc{mimiciv-" + run.release in text and "```bibtex" in md


def test_citations_follow_the_release(reports):
    spec = load_spec()
    _, demo, _ = reports["damaged_run"]  # a demo-2.2 run
    _, full, _ = reports["clean_run"]  # a 3.1 run
    assert spec.release("demo-2.2").doi in demo and spec.release("3.1").doi not in demo
    assert spec.release("3.1").doi in full and spec.release("demo-2.2").doi not in full
    assert "openly published" in demo and "openly published" not in full


def test_run_facts_for_reproducibility(damaged_run, reports):
    doc, _, md = reports["damaged_run"]
    for fact in (damaged_run.command, damaged_run.source, damaged_run.started_at, damaged_run.finished_at,
                 damaged_run.tool_version, "spec version 1", "3 min 26 s", "given with --release"):
        assert fact in doc.all_text
        assert fact in md


def test_canary_value_never_reaches_a_report(damaged_run, reports):
    assert any(c.samples == [CANARY] for c in damaged_run.checks)  # planted in the data-bearing field
    _, text, md = reports["damaged_run"]
    for body in (text, md):
        assert "CANARY" not in body
        assert "Sample values" not in body


def test_values_shown_only_with_show_values_and_escaped(tmp_path):
    run = make_run("demo-2.2", damaged=True, show_values=True)
    doc, text, md = render(run, tmp_path)
    assert CANARY not in text  # never raw HTML
    assert str(escape(CANARY)) in text
    assert CANARY in doc.all_text  # the reader sees the value as text
    assert f"`{CANARY}`" in md  # Markdown: inside a code span, where nothing is interpreted
    assert "This report contains values from the data" in doc.all_text and "do not share" in md.lower()
    row = next(line for line in md.splitlines() if f"`{CANARY_CHECK}`" in line)
    assert row.count("|") - row.count("\\|") == 7  # the value did not break the table


def test_markdown_escapes_text_from_results(tmp_path):
    run = make_run("3.1")
    hostile = "<script>alert(1)</script> | *x* [link](http://e.org)"
    run.checks[0].message = hostile
    run.checks[0].status = "failed"
    _, text, md = render(run, tmp_path)
    assert "<script>" not in text and "<script>" not in md
    assert "\\<script\\>" in md and "\\| \\*x\\* \\[link\\]" in md


def test_html_is_self_contained(reports):
    doc, text, _ = reports["damaged_run"]
    assert not doc.find_all("script") and not doc.find_all("link") and not doc.find_all("img")
    assert not re.search(r"""(src|href)=["']?(https?:)?//[^"']*\.(css|js|png|svg|woff2?)""", text)
    assert "@media print" in text
    svgs = doc.find_all("svg")
    assert len(svgs) >= 3 and all(s.get("role") == "img" for s in svgs)


def test_phi_summary_counts_only(damaged_run, phi_dir, reports, tmp_path):
    doc, _, md = render(damaged_run, tmp_path, phi_dir=phi_dir)
    assert "PERSON 4" in doc.text("phi-by-type") and "PHONE_NUMBER 3" in doc.text("phi-by-type")
    assert "labevents 5" in doc.text("phi-by-table")
    assert "7 possible identifiers" in doc.all_text and "7 possible identifiers" in md
    assert "| PERSON | 4 |" in md
    _, plain, _ = reports["damaged_run"]  # the same run without --phi
    assert "Residual-PHI scan" not in plain


def test_phi_dir_without_summary_is_a_usage_error(damaged_run, tmp_path):
    with pytest.raises(UsageError, match="scan-summary.json"):
        render_report(damaged_run, tmp_path / "out", phi_dir=tmp_path)


def test_formats_and_atomic_writes(damaged_run, tmp_path):
    assert render_report(damaged_run, tmp_path / "o", formats=["md"]) == [tmp_path / "o" / "report.md"]
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["report.md"]  # no temp files left behind
    with pytest.raises(ValueError):
        render_report(damaged_run, tmp_path / "o", formats=["pdf"])


def test_extra_fields_and_unknown_checks_are_tolerated(tmp_path):
    data = make_run("3.1").model_dump(mode="json")
    data["new_top_level_field"] = {"added": "later"}
    data["checks"].append({"id": "hosp.admissions.some_future_check", "table": "admissions", "kind": "future",
                           "category": "plausibility", "severity": "info", "status": "failed", "failing_rows": 2,
                           "message": "2 rows", "new_field": 1})
    doc, _, _ = render(RunResult.model_validate(data), tmp_path)
    assert "hosp.admissions.some_future_check" in doc.text("findings-table")


def test_run_of_an_unknown_release_with_no_checks_still_reports(tmp_path):
    run = make_run("3.1").model_copy(update={"release": "9.9", "checks": [], "row_counts": {}})
    doc, _, md = render(run, tmp_path)
    assert doc.text("verdict") == "PASS" and "Every check that ran passed." in doc.all_text
    assert load_spec().release("3.1").doi in md  # cites the newest full release
    assert "PHI-report@physionet.org" in md


def test_markdown_renders_as_tables_without_raw_html(tmp_path):
    from markdown_it import MarkdownIt  # installed with rich

    run = make_run("demo-2.2", damaged=True, show_values=True)
    run.checks[0].message = "<script>alert(1)</script> | *x*"
    run.checks[0].status = "failed"
    _, _, md = render(run, tmp_path)
    page = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>CANARY" not in page and "<code>&lt;b&gt;CANARY-7f3e&lt;/b&gt; &amp;" in page  # a literal code span
    groups = {c.table or "release" for c in run.checks}  # one check table per table, plus the release's
    assert page.count("<table>") == 3 + len(groups)  # + outcome counts, findings, tables overview
