"""How diff treats each column, derived from the spec: identifier, categorical, numeric, temporal, text, free text.

* **identifier**: a column of a foreign key, a column a foreign key references, a single-column primary key
  (all except columns with an enumerated domain, such as ``icd_version``), or a column named ``*_id`` or an
  integer ``*id`` (``itemid``, ``orderid``). Identifiers are profiled (null rate, distinct count) and, for the
  patient, hospitalization, ICU-stay and dictionary keys, compared as exact key sets; never as distributions.
* **free_text**: the spec's ``free_text`` columns. Profiled by null rate and length only, never by value.
* **numeric** (integer and float) and **temporal** (date, timestamp; compared as seconds since the epoch):
  quantile sketches and a Kolmogorov-Smirnov distance. An integer column with an enumerated domain
  (``hospital_expire_flag``, ``icd_version``) is categorical instead.
* **categorical**: the other string columns, when a copy holds at most ``MAX_CATEGORIES`` distinct values;
  compared by total variation distance of their frequencies. Above that they are **text** (null rate and
  length, like free text).

Columns a copy has that the spec does not know are numeric or temporal by their stored type, and free text
otherwise (an unknown string could hold anything). **other**: a column stored as another kind of value in
each copy, or as a type outside these kinds (BOOLEAN); profiled by null rate and distinct count only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mimic_qa.spec import Spec, Table

Role = Literal["identifier", "categorical", "numeric", "temporal", "text", "free_text", "other"]
Kind = Literal["integer", "float", "string", "date", "timestamp"]

MAX_CATEGORIES = 10_000  # distinct values (approximate count) up to which a string column is categorical

# Whose identifiers are compared as exact key sets: these tables, and every table without a subject_id column
# (the d_* dictionaries, provider, caregiver). Event tables' own ids (labevent_id, emar_id, poe_id) are not.
ENTITY_TABLES = ("patients", "admissions", "icustays")

# The measure of an EAV table: the first of these columns it has; its unit column is named after it.
MEASURES = ("valuenum", "value", "amount")


def _enumerated(table: Table, column: str) -> bool:
    return any(d.column == column and d.values is not None for d in table.domains)


def _key_columns(spec: Spec, table: Table) -> set[str]:
    """Columns of the table's foreign keys, the columns other tables' foreign keys reference, and a
    single-column primary key."""
    cols = {c for fk in table.foreign_keys for c in fk.columns}
    cols |= {c for t in spec.tables.values() for fk in t.foreign_keys if fk.ref_table == table.name
             for c in fk.ref_columns}
    if table.primary_key and len(table.primary_key) == 1:
        cols.add(table.primary_key[0])
    return cols


def spec_role(spec: Spec, table: Table, column: str, kind: Kind) -> Role | None:
    """The role of a spec column read as ``kind``; None for strings that may be categorical (decided by
    their distinct count)."""
    if column in table.free_text:
        return "free_text"
    if column.endswith("_id") or (kind == "integer" and column.endswith("id")):
        return "identifier"
    if column in _key_columns(spec, table) and not _enumerated(table, column):
        return "identifier"
    if kind in ("integer", "float"):
        return "categorical" if _enumerated(table, column) else "numeric"
    if kind in ("date", "timestamp"):
        return "temporal"
    return None


def column_role(spec: Spec, table: Table, column: str, kind: Kind) -> Role | None:
    """A column's role in a copy (spec columns by the spec, others by their stored kind); None: categorical or
    text, decided by the distinct count."""
    if column in table.column_names:
        return spec_role(spec, table, column, kind)
    if kind in ("integer", "float"):
        return "numeric"
    if kind in ("date", "timestamp"):
        return "temporal"
    return "free_text"


def keyset_tables(spec: Spec) -> set[str]:
    """Tables whose keys are compared as sets wherever they appear."""
    return set(ENTITY_TABLES) | {n for n, t in spec.tables.items() if "subject_id" not in t.column_names}


def key_sets(spec: Spec, table: Table) -> list[tuple[str, ...]]:
    """Column groups of ``table`` compared as exact key sets: its foreign keys into the entity and dictionary
    tables, and, for those tables themselves, the key the others reference (their primary key)."""
    targets = keyset_tables(spec)
    out: list[tuple[str, ...]] = []
    if table.name in targets:
        referenced = [tuple(fk.ref_columns) for t in spec.tables.values() for fk in t.foreign_keys
                      if fk.ref_table == table.name]
        own = tuple(table.primary_key) if table.primary_key else (referenced[0] if referenced else ())
        if own:
            out.append(own)
    for fk in table.foreign_keys:
        if fk.ref_table in targets:
            out.append(tuple(fk.columns))
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Eav:
    """An entity-attribute-value table: rows per ``itemid``, a measure and its unit."""

    item: str
    measure: str
    unit: str | None


def eav(spec: Spec, table: Table) -> Eav | None:
    """The EAV layout of a table whose ``itemid`` references a dictionary (d_items, d_labitems), else None."""
    if not any(fk.columns == ["itemid"] and fk.ref_table in keyset_tables(spec) for fk in table.foreign_keys):
        return None
    for name in MEASURES:
        if name in table.column_names and table.column(name).kind != "string":
            unit = name.removesuffix("num") + "uom"
            return Eav("itemid", name, unit if unit in table.column_names else None)
    return None
