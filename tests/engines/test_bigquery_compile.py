"""BigQuery is never reached from the tests: every check query must compile to valid BigQuery SQL on PhysioNet's
datasets. The live check on PhysioNet's copy is ``bench/bigquery_live.py``."""

from __future__ import annotations

import pytest
import sqlglot

from mimic_qa.checks import build_catalog
from mimic_qa.checks.sql import compile_query, table_queries
from mimic_qa.engines.bigquery import BigQueryEngine, parse_source
from mimic_qa.errors import UsageError
from mimic_qa.spec import load_spec


def test_physionet_dataset_names():
    assert parse_source("bigquery://physionet-data") == (
        "physionet-data", {"hosp": "mimiciv_3_1_hosp", "icu": "mimiciv_3_1_icu"}, None)
    project, datasets, billing = parse_source("bigquery://physionet-data/latest?billing_project=my-lab")
    assert datasets == {"hosp": "mimiciv_hosp", "icu": "mimiciv_icu"} and billing == "my-lab"
    assert BigQueryEngine("bigquery://physionet-data/latest").unversioned
    with pytest.raises(UsageError):
        parse_source("bigquery:///x")


def test_every_query_compiles_to_bigquery_sql():
    spec = load_spec()
    catalog = build_catalog(spec)
    engine = BigQueryEngine("bigquery://physionet-data")
    n = 0
    for table in spec.tables.values():
        for query in table_queries(spec, table, catalog):
            sql = compile_query(query, spec, engine)
            parsed = sqlglot.parse_one(sql, read="bigquery")
            assert parsed is not None
            assert "SELECT *" not in sql.upper().replace("COUNT(*)", "")
            assert f"`physionet-data`.`mimiciv_3_1_{table.module}`.`{table.name}`" in sql
            assert "FILTER(WHERE" not in sql.replace(" ", "").upper() or "COUNTIF" in sql.upper()
            n += 1
    assert n == 31 + sum(c.kind in ("pk", "unique", "fk", "identity") for c in catalog)

