"""The spec says exactly what shared/reference says: tables, columns, keys and row counts."""

from __future__ import annotations

import pytest

from mimic_qa.spec import load_spec
from tests.reference import (
    declared_foreign_keys,
    declared_primary_keys,
    require_reference,
    row_counts,
    schema_columns,
)

# create.sql spells double precision "FLOAT" in the ICU tables; PostgreSQL treats both as one type.
PG_ALIASES = {"FLOAT": "DOUBLE PRECISION"}
# Where the documents disagree with each other and the real ED demo settled it (spec/modules/ed.yaml says how):
# (table, column) -> the nullability the spec keeps instead of create.sql's.
SETTLED_ON_DATA = {("medrecon", "etc_rn"): False}  # DOCS NOT NULL, create.sql nullable; no NULL in the demo
CLINICAL = ("hosp", "icu")


@pytest.fixture(scope="module")
def ref():
    return require_reference()


def test_tables_and_modules(ref):
    spec = load_spec()
    expected = {t: module for t, (module, _) in schema_columns(ref).items()}
    assert {t.name: t.module for t in spec.tables.values()} == expected
    assert sum(m in CLINICAL for m in expected.values()) == 31 and len(expected) == 41


@pytest.mark.parametrize("table", sorted(load_spec().tables))
def test_columns_in_file_order(ref, table):
    module, columns = schema_columns(ref)[table]
    spec_table = load_spec().tables[table]
    expected = [(pos, name, PG_ALIASES.get(pg_type, pg_type), SETTLED_ON_DATA.get((table, name), nullable))
                for pos, name, pg_type, nullable in columns]
    got = [(i, c.name, c.type, c.nullable) for i, c in enumerate(spec_table.columns, 1)]
    assert got == expected


def test_declared_primary_keys(ref):
    spec = load_spec()
    expected = declared_primary_keys(ref)
    for name, table in spec.tables.items():
        if table.module in CLINICAL:
            assert table.primary_key == expected.get(name), name
    assert sum(1 for t in spec.tables.values() if t.primary_key and t.module in CLINICAL) == 24


def test_declared_foreign_keys(ref):
    spec = load_spec()
    got = {(t.name, fk.columns[0], fk.ref_table, fk.ref_columns[0])
           for t in spec.tables.values() for fk in t.foreign_keys if fk.declared and t.module in CLINICAL}
    assert got == declared_foreign_keys(ref)
    assert len(got) == 51


def test_row_counts_v31_and_demo(ref):
    spec = load_spec()
    full, demo = row_counts(ref)
    assert spec.release("3.1").row_counts == full
    assert spec.release("demo-2.2").row_counts == demo
    # the three third-party counts that mimic-code's validate.sql lacks
    assert (full["provider"], full["caregiver"], full["ingredientevents"]) == (42_244, 17_984, 14_253_480)
    assert (demo["provider"], demo["caregiver"], demo["ingredientevents"]) == (40_508, 15_468, 25_728)
