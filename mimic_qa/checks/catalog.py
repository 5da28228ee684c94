"""Every check id the spec defines: each kind of the registry reads its facts from the spec.

Ids are stable: ``<module>.<table>.<kind>[.<name>]`` (e.g. ``hosp.admissions.fk.subject_id``), plus
``release.<kind>`` for the checks of the whole release. Validators, GX suites, pandera schemas, docs and
reports all enumerate checks from here.
"""

from __future__ import annotations

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds import KINDS
from mimic_qa.spec.models import Spec, Table


def _table_checks(spec: Spec, table: Table) -> list[CheckDef]:
    """In catalogue order: table kinds, with the per-column kinds listed column by column where they stand."""
    column_kinds = [k for k in KINDS if k.per_column]
    out: list[CheckDef] = []
    for k in KINDS:
        if not k.per_column:
            out.extend(k.table_checks(spec, table))
        elif k is column_kinds[0]:
            out.extend(c for column in table.columns for ck in column_kinds for c in ck.column_checks(spec, table, column))
    return out


def build_catalog(spec: Spec, tables: list[str] | None = None) -> list[CheckDef]:
    """All checks of the spec (of ``tables`` only, when given), in table order (hosp then icu, as in the spec)."""
    out = [c for k in KINDS for c in k.release_checks(spec)]
    for name, t in spec.tables.items():
        if tables is None or name in tables:
            out.extend(_table_checks(spec, t))
    ids = [c.id for c in out]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate check ids in spec: {sorted({i for i in ids if ids.count(i) > 1})}")
    return out
