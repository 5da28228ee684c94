"""The checked-in suites: generated from the spec without drift, loadable by GX, portable, data-free SQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from mimic_qa.checks import build_catalog
from mimic_qa.checks.kinds.rule import is_portable
from mimic_qa.gx.suites import render_suites, write_suites
from mimic_qa.spec import load_spec
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
SUITES = ROOT / "expectations"
SUITE_FILES = sorted(p for p in SUITES.rglob("*.json"))
# Kinds every suite covers for each catalogue check (rules: when portable).
COVERED = {"columns", "row_count", "not_null", "pk", "unique", "fk", "identity", "window", "domain"}


def _suites() -> list[tuple[Path, dict]]:
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in SUITE_FILES]


def _queries() -> list[tuple[str, str]]:
    return [(e["meta"]["check_id"], e["kwargs"]["unexpected_rows_query"]) for _, s in _suites()
            for e in s["expectations"] if e["type"] == "unexpected_rows_expectation"]


def test_regenerated_suites_match_the_checked_in_files_byte_for_byte(tmp_path):
    spec = load_spec()
    write_suites(tmp_path, spec)
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.json"))
    assert generated == [p.relative_to(SUITES) for p in SUITE_FILES]
    per_release = {r: len([t for t in spec.tables if spec.project_of(t).key == spec.release(r).project])
                   for r in spec.validatable_releases}
    assert len(generated) == sum(per_release.values()) == 2 * 31 + 2 * 6 + 4
    for rel in generated:
        assert (tmp_path / rel).read_bytes() == (SUITES / rel).read_bytes(), f"{rel} drifted: run mimic-qa expectations build"


def test_every_catalogue_check_of_a_covered_kind_has_one_expectation():
    spec = load_spec()
    for path, suite in _suites():
        release = path.parent.name
        module, table = path.stem.split(".")
        ids = [e["meta"]["check_id"] for e in suite["expectations"]]
        assert len(ids) == len(set(ids))
        checks = [c for c in build_catalog(spec, [table]) if c.table == table]
        want = {c.id for c in checks if c.kind in COVERED or (c.kind == "rule" and is_portable(c.params["expr"]))}
        assert set(ids) == want, path
        left_out = {c.id for c in checks if c.kind == "rule"} - want
        assert set(suite["meta"]["mimic_qa"].get("rules_not_in_suite", [])) == left_out
        count = next(e for e in suite["expectations"] if e["meta"]["kind"] == "row_count")["kwargs"]["value"]
        assert count == spec.release(release).row_counts[table]
        assert suite["meta"]["mimic_qa"]["schema"] == f"mimiciv_{module}"


def test_suites_load_as_gx_1x_suites():
    import great_expectations as gx

    for _, suite in _suites():
        loaded = gx.ExpectationSuite(**suite)
        round_trip = loaded.to_json_dict()["expectations"]
        assert [(e["type"], e["kwargs"], e["meta"], e["id"]) for e in round_trip] == \
            [(e["type"], e["kwargs"], e["meta"], e["id"]) for e in suite["expectations"]]


@pytest.mark.parametrize("dialect", ["postgres", "bigquery", "duckdb"])
def test_unexpected_rows_queries_parse_in_each_dialect(dialect):
    queries = _queries()
    assert len(queries) > 100
    for check_id, query in queries:
        sql = query.format(batch="mimiciv_hosp.some_table")  # GX's own substitution, braces unescaped
        try:
            sqlglot.parse_one(sql, read=dialect)
        except sqlglot.errors.ParseError as exc:
            pytest.fail(f"{check_id}: does not parse as {dialect}: {exc}")


def test_unexpected_rows_queries_select_no_column_values():
    """A COMPLETE result format in a user's project copies the selected rows: they hold only constants or counts."""
    for check_id, query in _queries():
        select = sqlglot.parse_one(query.format(batch="t"), read="postgres")
        for projection in select.expressions:
            inner = projection.this if isinstance(projection, exp.Alias) else projection
            assert isinstance(inner, (exp.Literal, exp.Count)), f"{check_id} selects {projection.sql()}"
            assert not list(inner.find_all(exp.Column)), check_id


def test_key_queries_group_instead_of_counting_distinct():
    for check_id, query in _queries():
        assert "COUNT(DISTINCT" not in query.upper().replace(" ", ""), check_id
        if ".pk" in check_id or ".unique." in check_id:
            assert "GROUP BY" in query and "HAVING COUNT(*) > 1" in query


def test_cli_check_passes_on_the_repository_and_fails_on_drift(tmp_path):
    ok = run_cli("expectations", "build", "--check", "--out", str(SUITES))
    assert ok.returncode == 0, ok.stderr
    copy = tmp_path / "suites"
    built = run_cli("expectations", "build", "--out", str(copy))
    assert built.returncode == 0, built.stderr
    assert sorted(p.relative_to(copy) for p in copy.rglob("*.json")) == [p.relative_to(SUITES) for p in SUITE_FILES]
    edited = copy / "3.1" / "hosp.patients.json"
    edited.write_text(edited.read_text().replace('"critical"', '"warning"'))
    (copy / "3.1" / "extra.json").write_text("{}")
    drift = run_cli("expectations", "build", "--check", "--out", str(copy))
    assert drift.returncode == 1
    assert "3.1/hosp.patients.json" in drift.stderr and "3.1/extra.json" in drift.stderr
    assert "Traceback" not in drift.stderr
    assert write_suites(copy, load_spec()) == ["3.1/extra.json", "3.1/hosp.patients.json"]
    assert not (copy / "3.1" / "extra.json").exists()
    assert edited.read_bytes() == (SUITES / "3.1" / "hosp.patients.json").read_bytes()


def test_render_is_deterministic():
    spec = load_spec()
    assert render_suites(spec) == render_suites(spec)
