"""The JSON outputs of validate, diff and guard conform to the schemas shipped in docs/schemas/, and those
schemas stay in sync with the models that write the outputs (like docs/cli.md with the commands)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from mimic_qa.cli import app
from mimic_qa.docs import stale_docs, write_docs
from mimic_qa.docs.json_output import OUTPUTS
from tests.cli import run_cli
from tests.damage import ReleaseCopy
from tests.docs.conftest import DOCS
from tests.guard.mimic_like import write_csv


def schema(name: str) -> dict[str, Any]:
    """The checked-in schema file of an output (not one generated now)."""
    output = next(o for o in OUTPUTS if o.name == name)
    return json.loads((DOCS / output.file).read_text(encoding="utf-8"))


def conforms(document: dict[str, Any], name: str) -> None:
    checker = jsonschema.Draft202012Validator(schema(name))
    errors = sorted(checker.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]]


def test_schemas_are_valid_versioned_json_schemas():
    for output in OUTPUTS:
        s = schema(output.name)
        jsonschema.Draft202012Validator.check_schema(s)
        assert s["$id"] == f"urn:mimic-qa:{output.name}:v{output.version}"
        assert output.file.endswith(f".v{output.version}.schema.json")


def test_the_must_show_run_validates_against_its_schema(real_demo, real_demo_tables):
    """mimic-qa validate DEMO --exclude-tables chartevents: the demo lacks chartevents, and passes without it."""
    done = run_cli("validate", str(real_demo), "--exclude-tables", "chartevents", "--json", "-")
    assert done.returncode == 0, done.stderr[-3000:]
    run = json.loads(done.stdout)
    conforms(run, "validate")
    assert sorted(run["row_counts"]) == sorted(real_demo_tables) and "chartevents" not in run["row_counts"]
    assert run["summary"]["ok"] is True and run["summary"]["fail_on"] == "error"
    assert {c["status"] for c in run["checks"]} >= {"passed", "failed"}  # the demo's quirks: warnings
    broken = dict(run, summary={**run["summary"], "ok": "yes"})
    with pytest.raises(AssertionError):
        conforms(broken, "validate")  # the schema can fail
    with pytest.raises(AssertionError):
        conforms({k: v for k, v in run.items() if k != "checks"}, "validate")


def test_diff_json_validates_against_its_schema(real_demo, tmp_path):
    copy = ReleaseCopy(real_demo, tmp_path / "copy", tables=["patients", "admissions"])
    copy.delete_rows("admissions", lambda r: r["admission_type"] == "EW EMER.", detail="one admission type")
    done = run_cli("diff", str(real_demo), str(copy.root), "--tables", "patients,admissions", "--show-values",
                   "--json", "-")
    assert done.returncode == 1, done.stderr[-3000:]
    result = json.loads(done.stdout)
    conforms(result, "diff")
    assert result["findings"] and any(c["a"] and c["a"]["top"] for t in result["tables"] for c in t["columns"])


def test_guard_json_validates_against_its_schema(tmp_path):
    write_csv(tmp_path / "data" / "labs.csv", "labevents", 40)
    (tmp_path / "notes.md").write_text("# Plan\nCount admissions per year.\n")
    done = run_cli("guard", ".", "--format", "json", cwd=str(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads(done.stdout)
    conforms(report, "guard")
    assert report["found"] and report["findings"][0]["location"]


def test_an_edited_schema_file_is_stale(tmp_path):
    """What test_checked_in_docs_match_a_fresh_generation (tests/docs) reports after a model changes."""
    write_docs(tmp_path, app)
    assert stale_docs(tmp_path, app) == []
    target = tmp_path / next(o for o in OUTPUTS if o.name == "validate").file
    target.write_text(target.read_text(encoding="utf-8").replace('"fail_on"', '"gate"'), encoding="utf-8")
    assert stale_docs(tmp_path, app) == ["schemas/validate.v1.schema.json"]
