"""``mimic-qa --version``, ``--help`` and ``spec`` as a user runs them."""

from __future__ import annotations

import json

from mimic_qa import __version__
from mimic_qa.spec import load_spec
from tests.cli import run_cli


def test_version_and_help():
    out = run_cli("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"mimic-qa {__version__}"
    helped = run_cli("--help")
    assert helped.returncode == 0 and "spec" in helped.stdout


def test_spec_json_lists_31_tables_with_columns_keys_counts():
    out = run_cli("spec", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["release"] == "3.1" and data["doi"] == "10.13026/kpb9-mt58"
    tables = data["tables"]
    assert len(tables) == 31
    adm = tables["admissions"]
    assert adm["module"] == "hosp"
    assert adm["columns"][0] == {"name": "subject_id", "type": "INTEGER", "nullable": False}
    assert adm["primary_key"] == ["hadm_id"]
    assert {"columns": ["subject_id"], "ref_table": "patients", "ref_columns": ["subject_id"],
            "declared": True} in adm["foreign_keys"]
    assert adm["row_count"] == 546_028
    assert tables["chartevents"]["primary_key"] is None
    assert sum(t["row_count"] for t in tables.values()) == 886_043_036
    spec = load_spec()
    for name, t in tables.items():
        assert [c["name"] for c in t["columns"]] == spec.tables[name].column_names


def test_spec_demo_table_shows_expected_rows():
    out = run_cli("spec", "--release", "demo-2.2", "--table", "patients")
    assert out.returncode == 0, out.stderr
    assert "rows expected in MIMIC-IV Clinical Database Demo v2.2: 100" in out.stdout
    assert "anchor_year_group" in out.stdout
    as_json = json.loads(run_cli("spec", "--release", "demo-2.2", "--table", "patients", "--json").stdout)
    assert as_json["tables"]["patients"]["row_count"] == 100


def test_spec_overview_totals():
    out = run_cli("spec")
    assert out.returncode == 0
    assert "886,043,036" in out.stdout and "chartevents" in out.stdout


def test_bad_arguments_give_one_line_and_exit_2():
    for args in (("spec", "--release", "9.9"), ("spec", "--table", "nonsense")):
        out = run_cli(*args)
        assert out.returncode == 2
        assert "Traceback" not in out.stderr
        lines = [line for line in out.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("mimic-qa: error:")
