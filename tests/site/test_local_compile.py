"""Local checks compile through the kinds' own queries to another engine's SQL: a site table bound to its
``schema.table`` (a BigQuery ``project.dataset``), the MIMIC tables to the engine's own relations."""

from __future__ import annotations

import sqlglot

from mimic_qa.checks.kinds import PerRow, SetBased, kind
from mimic_qa.checks.sql import aggregate_query, count_query
from mimic_qa.config import load_config
from mimic_qa.sources.bigquery import BigQuerySource
from mimic_qa.spec import load_spec


def test_local_checks_compile_to_bigquery(tmp_path):
    config = tmp_path / "mimic-qa.toml"
    config.write_text('[site-tables.cohort]\nschema = "my-lab.derived"\ncolumns = ["subject_id", "stay_id", "los"]\n'
                      '[[local-checks]]\nkind = "fk"\ntable = "cohort"\ncolumns = ["stay_id"]\nref-table = "icustays"\n'
                      '[[local-checks]]\nkind = "rule"\ntable = "cohort"\nname = "los"\nexpr = "los >= 0"\n'
                      '[[local-checks]]\nkind = "pk"\ntable = "icustays"\ncolumns = ["stay_id"]\n')
    local = load_config(config).local
    engine = BigQuerySource(load_spec(), "bigquery://physionet-data")
    fk, rule, pk = local.checks
    assert isinstance(kind(rule.kind), PerRow) and isinstance(kind(fk.kind), SetBased)
    queries = {"fk": count_query(fk, local.spec), "rule": aggregate_query(local.spec.tables["cohort"], [rule]),
               "pk": count_query(pk, local.spec)}
    sql = {name: engine.compile(local.bind(q)) for name, q in queries.items()}
    for text in sql.values():
        assert sqlglot.parse_one(text, read="bigquery") is not None
    assert "`my-lab`.`derived`.`cohort`" in sql["fk"] and "`physionet-data`.`mimiciv_3_1_icu`.`icustays`" in sql["fk"]
    assert "`my-lab`.`derived`.`cohort`" in sql["rule"] and "COUNTIF" in sql["rule"].upper()
    assert "`physionet-data`.`mimiciv_3_1_icu`.`icustays`" in sql["pk"] and "cohort" not in sql["pk"]
