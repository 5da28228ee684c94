"""The DDL builder is dialect-aware: the same spec-derived statements build the layout in DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from mimic_qa.errors import UsageError
from mimic_qa.load import ddl
from mimic_qa.spec import load_spec

SPEC = load_spec()


def test_duckdb_tables_follow_the_spec_and_accept_the_primary_keys() -> None:
    con = duckdb.connect()
    for module in SPEC.modules:
        con.execute(ddl.create_schema_sql(module))
    for table in SPEC.tables.values():
        con.execute(ddl.create_table_sql(table, dialect="duckdb"))
        if (pk := ddl.primary_key(table)) is not None:
            con.execute(pk.sql)
    for name, table in SPEC.tables.items():
        cols = con.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
            [ddl.schema_name(table.module), name],
        ).fetchall()
        keyed = set(table.primary_key or [])
        assert cols == [
            (c.name, c.sql_type("duckdb"), "YES" if c.nullable and c.name not in keyed else "NO")
            for c in table.columns
        ], name


def test_constraint_names_follow_mimic_code_and_are_unique() -> None:
    names = [c.name for t in SPEC.tables.values() for c in [ddl.primary_key(t), *ddl.foreign_keys(t, SPEC)] if c]
    assert len(names) == len(set(names))
    assert ddl.primary_key(SPEC.tables["admissions"]).name == "admissions_pk"
    assert [c.name for c in ddl.foreign_keys(SPEC.tables["admissions"], SPEC)] == ["admissions_patients_fk"]
    assert ddl.primary_key(SPEC.tables["chartevents"]) is None  # constraint.sql declares none


def test_schema_prefix_must_be_a_plain_identifier() -> None:
    assert ddl.schema_name("icu", ddl.check_prefix("mimic4")) == "mimic4_icu"
    with pytest.raises(UsageError, match="schema prefix"):
        ddl.check_prefix('x"; DROP SCHEMA public; --')
