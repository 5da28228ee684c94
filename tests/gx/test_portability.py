"""The checked-in suites run unchanged in a plain GX project on PostgreSQL (no mimic-qa code at run time)."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from mimic_qa.load.ddl import qualified as qualified_name
from mimic_qa.load.ddl import schema_name
from mimic_qa.spec import load_spec
from tests.gx.dbs import CLEAN_ROWS, DIRTY_SQL, TABLES
from tests.postgres.server import fresh_database

SUITES = Path(__file__).resolve().parents[2] / "expectations" / "3.1"


@pytest.fixture(scope="module")
def pg_url(pg_server) -> str:
    """A PostgreSQL database in mimic-code layout: every spec table, rows in TABLES with the dirty plants."""
    spec = load_spec()
    with fresh_database(pg_server) as url:
        with psycopg.connect(url, autocommit=True) as con:
            for module in sorted({t.module for t in spec.tables.values()}):
                con.execute(f"CREATE SCHEMA {schema_name(module)}")
            for t in spec.tables.values():
                con.execute(f"CREATE TABLE {qualified_name(t)} ("
                            + ", ".join(f"{c.name} {c.sql_type('postgres')}" for c in t.columns) + ")")
            for name in TABLES:
                con.execute(f"INSERT INTO {qualified_name(spec.tables[name])} {CLEAN_ROWS[name]}")
            for statement in DIRTY_SQL:
                con.execute(statement)
        yield url


@pytest.fixture(scope="module")
def pg_results(pg_url) -> dict[str, dict]:
    """check id -> (success, observed_value, raised) from a plain ephemeral GX context."""
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_postgres("mimic", connection_string=pg_url)
    spec = load_spec()
    out: dict[str, dict] = {}
    for name in TABLES:
        t = spec.tables[name]
        asset = source.add_table_asset(name, table_name=name, schema_name=schema_name(t.module))
        batch = asset.add_batch_definition_whole_table("all rows")
        suite_json = json.loads((SUITES / f"{t.module}.{name}.json").read_text())
        suite = context.suites.add(gx.ExpectationSuite(**suite_json))
        run = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite)).run(
            result_format="SUMMARY")
        for r in run.results:
            info = r.exception_info or {}
            raised = info.get("raised_exception") if "raised_exception" in info else \
                any(v.get("raised_exception") for v in info.values() if isinstance(v, dict))
            out[r.expectation_config.meta["check_id"]] = {
                "success": r.success, "observed": (r.result or {}).get("observed_value"), "raised": bool(raised)}
    return out


def test_every_expectation_runs_on_postgres(pg_results):
    expected = {e["meta"]["check_id"] for n in TABLES
                for e in json.loads((SUITES / f"{load_spec().tables[n].module}.{n}.json").read_text())["expectations"]}
    assert set(pg_results) == expected
    raised = sorted(i for i, r in pg_results.items() if r["raised"])
    assert raised == [], raised
    kinds = {i.split(".")[2] for i in pg_results}
    assert {"columns", "pk", "unique", "fk", "domain", "rule", "row_count", "not_null"} <= kinds


def test_postgres_counts_match_the_planted_faults(pg_results):
    assert pg_results["hosp.patients.pk"]["observed"] == 1
    assert pg_results["hosp.labevents.pk"]["observed"] == 1
    assert pg_results["hosp.labevents.fk.subject_id"]["observed"] == 1
    assert pg_results["hosp.emar_detail.unique.emar_id_parent_field_ordinal"]["observed"] == 1
    assert pg_results["hosp.d_labitems.columns"]["success"] is False
    for check_id in ("hosp.admissions.pk", "hosp.labevents.fk.itemid", "hosp.labevents.fk.hadm_id",
                     "hosp.labevents.fk.order_provider_id", "hosp.admissions.rule.admittime_le_dischtime",
                     "hosp.patients.domain.gender", "hosp.admissions.domain.admit_provider_id"):
        assert pg_results[check_id]["success"] is True, check_id
