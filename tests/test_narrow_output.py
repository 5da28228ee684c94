"""At 80 columns (or fewer), and piped, the summaries keep every check id and table name whole: never folded
mid-identifier, never cut short with an ellipsis."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

import mimic_qa
from mimic_qa.cli.spec_cmd import _print_overview, _print_table
from mimic_qa.cli.validate_cmd import print_summary
from mimic_qa.diff import compare
from mimic_qa.diff.console import print_summary as print_diff
from mimic_qa.spec import load_spec
from tests.cli import run_cli
from tests.damage import ReleaseCopy

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def drawn(width: int, draw) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None, highlight=False)
    draw(console)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "…" not in text and max(len(line) for line in text.splitlines()) <= width
    return text


def words(text: str) -> set[str]:
    return set(re.findall(r"[\w.]+", text))


@pytest.fixture(scope="module")
def demo_result(real_demo):
    """The real demo validated without chartevents: 12 failing checks (warnings and infos), long ids."""
    result = mimic_qa.validate(real_demo, exclude_tables=["chartevents"], checks="sql", fail_on="info")
    assert len(result.failed) >= 10
    return result


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_failing_check_ids_stay_whole(demo_result, width):
    text = drawn(width, lambda c: print_summary(c, demo_result))
    ids = {c.id for c in demo_result.failed}
    assert ids <= words(text), sorted(ids - words(text))
    assert max(len(i) for i in ids) > 40  # long enough to have been folded at 80 columns


@pytest.mark.parametrize("width", [60, 80, 160])
def test_spec_table_names_stay_whole(width):
    spec = load_spec()
    text = drawn(width, lambda c: _print_overview(c, spec, spec.release("3.1")))
    names = {f"{t.module}.{t.name}" for t in spec.tables.values() if t.module in ("hosp", "icu")}  # v3.1's tables
    assert names <= words(text), sorted(names - words(text))
    columns = drawn(width, lambda c: _print_table(c, spec.tables["microbiologyevents"], spec.release("3.1")))
    assert set(spec.tables["microbiologyevents"].column_names) <= words(columns)


def test_spec_and_validate_piped_stay_whole(real_demo):
    """Piped, rich would assume 80 columns; the summaries are laid out 160 wide instead."""
    spec = run_cli("spec")
    assert spec.returncode == 0 and "…" not in spec.stdout
    assert {f"{t.module}.{t.name}" for t in load_spec().tables.values() if t.module in ("hosp", "icu")} \
        <= words(spec.stdout)
    done = run_cli("validate", str(real_demo), "--tables", "pharmacy,outputevents", "--checks", "sql")
    assert done.returncode == 0 and "…" not in done.stdout
    assert {"hosp.pharmacy.rule.starttime_le_stoptime", "icu.outputevents.rule.charttime_le_storetime"} \
        <= words(ANSI.sub("", done.stdout))


def test_diff_findings_stay_whole(real_demo, tmp_path):
    copy = ReleaseCopy(real_demo, tmp_path / "copy", tables=["admissions", "patients"])
    copy.delete_rows("admissions", lambda r: r["admission_type"] == "EW EMER.")
    result = compare(real_demo, copy.root, tables=["admissions", "patients"])
    assert result.findings
    text = drawn(80, lambda c: print_diff(c, result))
    shown = {f"{f.table}.{f.column}" for f in result.findings if f.column and f.severity != "info"}  # listed
    assert shown and shown <= words(text), sorted(shown - words(text))
