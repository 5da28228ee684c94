"""BigQuery cannot be reached from here: every check query must compile to valid BigQuery SQL on PhysioNet's datasets."""

from __future__ import annotations

import os

import pytest
import sqlglot

from mimic_qa.checks import build_catalog
from mimic_qa.checks.sql import table_queries
from mimic_qa.sources.bigquery import BigQuerySource, parse_source
from mimic_qa.errors import UsageError
from mimic_qa.spec import load_spec


def test_physionet_dataset_names():
    spec = load_spec()
    assert parse_source("bigquery://physionet-data", spec) == (  # PhysioNet's datasets: versioned, ED and Note not
        "physionet-data", {"hosp": "mimiciv_3_1_hosp", "icu": "mimiciv_3_1_icu", "ed": "mimiciv_ed",
                           "note": "mimiciv_note"}, None, False)
    project, datasets, billing, unversioned = parse_source("bigquery://physionet-data/latest?billing_project=my-lab", spec)
    assert datasets == {"hosp": "mimiciv_hosp", "icu": "mimiciv_icu", "ed": "mimiciv_ed", "note": "mimiciv_note"}
    assert billing == "my-lab" and unversioned
    assert BigQuerySource(spec, "bigquery://physionet-data/latest").unversioned
    assert parse_source("bigquery://p/h/i", spec)[1] == {"hosp": "h", "icu": "i"}
    assert parse_source("bigquery://p/icu=x", spec)[1] == {"icu": "x"}
    for bad in ("bigquery:///x", "bigquery://p/a/b/c/d/e", "bigquery://p/nomodule=x"):
        with pytest.raises(UsageError):
            parse_source(bad, spec)


def test_every_query_compiles_to_bigquery_sql():
    spec = load_spec()
    catalog = build_catalog(spec)
    engine = BigQuerySource(spec, "bigquery://physionet-data")
    n = 0
    for table in spec.tables.values():
        for query in table_queries(spec, table, catalog):
            sql = engine.compile(query)
            parsed = sqlglot.parse_one(sql, read="bigquery")
            assert parsed is not None
            assert "SELECT *" not in sql.upper().replace("COUNT(*)", "")
            dataset = {"hosp": "mimiciv_3_1_hosp", "icu": "mimiciv_3_1_icu"}.get(table.module, f"mimiciv_{table.module}")
            assert f"`physionet-data`.`{dataset}`.`{table.name}`" in sql
            assert "FILTER(WHERE" not in sql.replace(" ", "").upper() or "COUNTIF" in sql.upper()
            n += 1
    assert n == len(spec.tables) + sum(c.kind in ("pk", "unique", "fk", "identity", "window") for c in catalog)


@pytest.mark.skipif(not (os.environ.get("MIMIC_QA_BIGQUERY_LIVE") and os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")),
                    reason="live BigQuery test: set MIMIC_QA_BIGQUERY_LIVE=1 and GOOGLE_APPLICATION_CREDENTIALS "
                    "(credentialed PhysioNet access to physionet-data)")
def test_live_physionet_patients_table():  # pragma: no cover - needs credentials
    from mimic_qa import validate

    result = validate("bigquery://physionet-data", tables=["patients"], max_bytes_billed=2 * 10**9)
    rows = {c.id: c for c in result.run.checks}
    assert rows["hosp.patients.row_count"].failing_rows == 0
