"""docs/checks.md and docs/cli.md are generated from the spec and the commands, and stay in sync."""

from __future__ import annotations

import re


import mimic_qa
from mimic_qa.checks import build_catalog
from mimic_qa.checks.kinds import KINDS
from mimic_qa.cli.main import app
from mimic_qa.docs import CHECKS_PAGE, CLI_PAGE, catalogue, stale_docs, write_docs
from mimic_qa.docs.catalogue import quirk_counts, render_checks
from mimic_qa.docs.cli_reference import render_cli
from mimic_qa.spec import Spec, load_spec, merged_document
from tests.cli import run_cli
from tests.docs.conftest import DOCS

ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
CELL_SEP = re.compile(r"(?<!\\)\|")


def anchors(text: str) -> list[str]:
    return ANCHOR.findall(text)


def spec_with_extra_rule() -> tuple[Spec, str]:
    """The packaged spec plus one new row rule on admissions, and the new check's id."""
    data = merged_document()
    data["tables"]["admissions"].setdefault("rules", []).append(
        {"name": "docs_sync_probe", "expr": "admittime <= admittime", "severity": "info",
         "description": "A rule added only by this test."})
    return Spec.model_validate(data), "hosp.admissions.rule.docs_sync_probe"


def test_checked_in_docs_match_a_fresh_generation():
    assert stale_docs(DOCS, app) == [], "regenerate: mimic-qa spec --docs docs/"


def test_adding_a_check_without_regenerating_fails_the_sync(tmp_path):
    spec, new_id = spec_with_extra_rule()
    write_docs(tmp_path, app, spec)
    fresh = (tmp_path / CHECKS_PAGE).read_text(encoding="utf-8")
    assert new_id in anchors(fresh)
    assert new_id not in anchors((DOCS / CHECKS_PAGE).read_text(encoding="utf-8"))
    assert stale_docs(DOCS, app, spec) == [CHECKS_PAGE]  # what the sync test above would report
    assert stale_docs(tmp_path, app, spec) == []
    assert stale_docs(tmp_path, app) == [CHECKS_PAGE]  # and the other way round


def test_spec_docs_command_writes_and_checks(tmp_path):
    out = tmp_path / "docs"
    done = run_cli("spec", "--docs", str(out))
    assert done.returncode == 0, done.stderr
    assert {p.name for p in out.iterdir()} == {CHECKS_PAGE, CLI_PAGE}  # no temporary files left behind
    assert (out / CHECKS_PAGE).read_bytes() == (DOCS / CHECKS_PAGE).read_bytes()
    assert run_cli("spec", "--docs", str(out), "--check").returncode == 0

    cli_page = out / CLI_PAGE
    cli_page.write_text(cli_page.read_text(encoding="utf-8").replace("--fail-on", "--fail-at"), encoding="utf-8")
    stale = run_cli("spec", "--docs", str(out), "--check")
    assert stale.returncode == 1 and CLI_PAGE in stale.stderr and CHECKS_PAGE not in stale.stderr

    usage = run_cli("spec", "--check")
    assert usage.returncode == 2 and usage.stderr.count("\n") == 1 and "Traceback" not in usage.stderr


def test_every_check_id_has_exactly_one_anchor():
    ids = [c.id for c in build_catalog(load_spec())]
    # 984, + a header_case check per table and two relationships the demo holds (ingredientevents.orderid,
    # icustays.stay_id), + 33 identity checks
    assert len(ids) == 1050
    found = anchors((DOCS / CHECKS_PAGE).read_text(encoding="utf-8"))
    assert sorted(a for a in found if a in set(ids)) == sorted(ids)


def test_every_id_validate_emits_has_an_entry(wget_copy):
    result = mimic_qa.validate(wget_copy, checks="sql")
    emitted = {c.id for c in result.run.checks}
    assert result.ok and len(emitted) == 1050
    documented = set(anchors((DOCS / CHECKS_PAGE).read_text(encoding="utf-8")))
    assert emitted <= documented, sorted(emitted - documented)[:10]


def test_check_rows_are_well_formed_table_rows():
    text = (DOCS / CHECKS_PAGE).read_text(encoding="utf-8")
    ids = {c.id for c in build_catalog(load_spec())}
    rows = [line for line in text.splitlines() if line.startswith('| <a id="') and ANCHOR.search(line).group(1) in ids]
    assert len(rows) == len(ids)
    for row in rows:
        assert len(CELL_SEP.split(row)) == 9, row  # 7 cells: id, kind, category, severity, what, evidence, official


def test_every_kind_links_to_its_guidance():
    spec = load_spec()
    text = render_checks(spec)
    for kind in {c.kind for c in build_catalog(spec)}:
        anchor = catalogue.kind_anchor(kind)
        assert f'<a id="{anchor}"></a>' in text and f"](#{anchor})" in text


def test_every_kind_of_the_registry_carries_its_guidance():
    for kind in KINDS:
        assert kind.tests and kind.guide.title and len(kind.guide.why) > 40 and len(kind.guide.fix) > 40, kind.name
    text = render_checks(load_spec())
    assert all(kind.guide.why in text for kind in KINDS)


def test_quirks_show_reference_count_and_tolerance():
    spec = load_spec()
    text = (DOCS / CHECKS_PAGE).read_text(encoding="utf-8")
    rows = {ANCHOR.search(line).group(1): line for line in text.splitlines() if line.startswith('| <a id="quirk-')}
    assert len(rows) == len(spec.quirks)
    for q in spec.quirks:
        row = rows[f"quirk-{q.check}"]
        table = next(c.table for c in build_catalog(spec) if c.id == q.check)
        assert catalogue.cell(q.reference) in row and catalogue.cell(quirk_counts(q)) in row
        assert f"| {q.tolerance(spec.release('3.1').row_counts[table]):,} |" in row
    assert "| 175 in v3.1 |" in rows["quirk-hosp.admissions.rule.admittime_le_dischtime"]


def test_releases_row_counts_are_shown_per_table():
    spec = load_spec()
    text = (DOCS / CHECKS_PAGE).read_text(encoding="utf-8")
    for name, t in spec.tables.items():
        section = text.split(f'<a id="table-{t.qualified_name}"></a>', 1)[1].split("\n## ", 1)[0]
        for key in spec.validatable_releases:
            assert f"{spec.release(key).title}: {spec.release(key).row_counts[name]:,}" in section


def test_cli_page_has_every_command_and_ignores_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "37")
    text = render_cli(app)
    assert text == (DOCS / CLI_PAGE).read_text(encoding="utf-8")
    for command in ("spec", "synth", "validate", "demo", "load", "guard", "scan-phi", "report", "cite",
                    "expectations", "expectations build"):
        assert f"Usage: mimic-qa {command} [OPTIONS]" in text
    assert "--docs" in text and "/tmp" not in text and "/work" not in text
