"""BigQuery is never reached from the tests: every check query must compile to valid BigQuery SQL on PhysioNet's
datasets. The live check on PhysioNet's copy is ``bench/bigquery_live.py``."""

from __future__ import annotations

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

