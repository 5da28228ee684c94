"""``mimic-qa report RESULTS.json``: writes the reports; bad input is one line and exit 2."""

from __future__ import annotations

import pytest

from mimic_qa.cli.report_cmd import load_results, parse_formats
from mimic_qa.errors import UsageError
from mimic_qa.results.io import write_json
from tests.cli import run_cli
from tests.reports.htmldoc import HtmlDoc


def test_report_command_writes_html_and_markdown(damaged_run, phi_dir, tmp_path):
    results = tmp_path / "run" / "results.json"
    write_json(damaged_run, results)
    out = run_cli("report", str(results), "--phi", str(phi_dir), "--out", str(tmp_path / "rep"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [f"report: {tmp_path / 'rep' / 'report.html'}",
                                       f"report: {tmp_path / 'rep' / 'report.md'}"]
    doc = HtmlDoc((tmp_path / "rep" / "report.html").read_text())
    assert doc.text("verdict") == "FAIL" and "PERSON" in doc.text("phi-by-type")


def test_missing_results_file_exits_2_with_one_line(tmp_path):
    out = run_cli("report", str(tmp_path / "nope.json"))
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [f"mimic-qa: error: no results file at {tmp_path / 'nope.json'}"]
    assert not out.stdout


@pytest.mark.parametrize("content, message", [
    ("not json", "is not a mimic-qa results file"),
    ('{"tool": "mimic-qa"}', "is not a mimic-qa results file (tool_version: Field required)"),
])
def test_invalid_results_file_is_a_usage_error(content, message, tmp_path):
    path = tmp_path / "results.json"
    path.write_text(content)
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_results(path)
    with pytest.raises(UsageError, match="folder"):
        load_results(tmp_path)


def test_format_list():
    assert parse_formats("html, MD", ["html", "md"]) == ["html", "md"]
    for bad in ("pdf", "", "html,pdf"):
        with pytest.raises(UsageError, match="html, md"):
            parse_formats(bad, ["html", "md"])
