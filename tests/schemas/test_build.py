"""build_schema: one pandera ibis schema per spec table, carrying the catalogue's check ids."""

from __future__ import annotations

import ibis
import pytest

from mimic_qa.checks import build_catalog
from mimic_qa.schemas import build_schema
from mimic_qa.schemas.build import CHECK_IDS
from mimic_qa.schemas.probes import column_probes, count_sql, rule_probes

KINDS = ("not_null", "domain", "rule")


def schema_ids(schema) -> list[str]:
    ids = [c.metadata[CHECK_IDS]["not_null"] for c in schema.columns.values() if "not_null" in c.metadata[CHECK_IDS]]
    ids += [check.name for c in schema.columns.values() for check in c.checks]
    return ids + [check.name for check in schema.checks]


def test_every_table_has_its_columns_in_file_order_and_every_check_id_once(spec):
    for name, table in spec.tables.items():
        schema = build_schema(table, build_catalog(spec, [table.name]))
        assert list(schema.columns) == table.column_names, name
        assert [c.nullable for c in schema.columns.values()] == [c.nullable for c in table.columns], name
        expected = [d.id for d in build_catalog(spec, [name]) if d.kind in KINDS]
        assert sorted(schema_ids(schema)) == sorted(expected), name


def test_uniqueness_is_never_left_to_pandera(spec):
    # pandera's ibis backend silently ignores Column(unique=True); keys belong to the SQL engine.
    for table in spec.tables.values():
        schema = build_schema(table, build_catalog(spec, [table.name]))
        assert schema.unique is None
        assert not any(c.unique for c in schema.columns.values())


def test_domains_map_to_pandera_builtins(spec):
    patients = build_schema(spec.tables["patients"], build_catalog(spec, [spec.tables["patients"].name]))
    assert patients.columns["gender"].checks[0].statistics == {"allowed_values": ["M", "F"]}
    assert patients.columns["anchor_age"].checks[0].statistics == {"min_value": 18, "max_value": 91, "include_min": True, "include_max": True}
    assert patients.columns["anchor_age"].checks[0].name == "hosp.patients.domain.anchor_age"
    labevents = build_schema(spec.tables["labevents"], build_catalog(spec, [spec.tables["labevents"].name]))
    assert labevents.columns["labevent_id"].checks[0].statistics == {"min_value": 1}  # min only -> ge
    assert labevents.columns["order_provider_id"].checks[0].statistics == {"pattern": "^P[0-9A-Z]{5}$"}
    assert patients.checks[0].statistics == {"expr": spec.tables["patients"].rules[0].expr}


def test_timestamps_use_the_precision_duckdb_reports(spec):
    # pandera's ibis dtypes are strict: a DuckDB TIMESTAMP is timestamp(6), not timestamp.
    schema = build_schema(spec.tables["admissions"], build_catalog(spec, [spec.tables["admissions"].name]))
    assert str(schema.columns["admittime"].dtype) == "timestamp(6)"


def test_every_check_compiles_into_one_count_query(spec):
    """Each table's not-null, domain and rule checks become one aggregate (no database needed)."""
    for name, table in spec.tables.items():
        schema = build_schema(table, build_catalog(spec, [table.name]))
        unbound = ibis.table({c: s.dtype.type for c, s in schema.columns.items()}, name=name)
        probes = rule_probes(schema) + [p for c in schema.columns for p in column_probes(schema, unbound, c)]
        assert sorted(p.check_id for p in probes) == sorted(schema_ids(schema))
        sql = count_sql(unbound, probes)
        assert sql.count("FILTER (WHERE") == len(probes), name


@pytest.mark.parametrize("table", ["patients", "transfers"])
def test_domain_probes_are_the_schema_checks_own_expressions(spec, table):
    schema = build_schema(spec.tables[table], build_catalog(spec, [spec.tables[table].name]))
    unbound = ibis.table({c: s.dtype.type for c, s in schema.columns.items()}, name=table)
    for column in schema.columns:
        for probe in column_probes(schema, unbound, column):
            assert probe.violates.op().relations == frozenset({unbound.op()})
