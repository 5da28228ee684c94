"""``CheckDef``: one check as the spec defines it (not yet run), and the one place its id is formed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mimic_qa.spec.models import Category, Quirk, Severity, Spec, Table


@dataclass(frozen=True)
class CheckDef:
    """A check id with its kind, Kahn category, severity, plain-words meaning and parameters."""

    id: str
    table: str | None
    module: str | None
    kind: str
    category: Category
    severity: Severity
    description: str
    columns: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    source: str | None = None
    quirk: Quirk | None = field(default=None, compare=False, hash=False)
    # Releases whose real data pass this check (a quirk's own counts are its evidence instead).
    observed: tuple[str, ...] = ()


def check_id(table: Table | None, kind: str, name: str | None = None) -> str:
    """``<module>.<table>.<kind>[.<name>]``, or ``release.<kind>`` for a check of the whole release."""
    base = f"{table.module}.{table.name}" if table is not None else "release"
    return f"{base}.{kind}" + (f".{name}" if name else "")


def define(spec: Spec, table: Table | None, kind: str, name: str | None, *, category: Category,
           severity: Severity, description: str, columns: tuple[str, ...] = (), source: str | None = None,
           observed: list[str] | tuple[str, ...] | None = None, **params: Any) -> CheckDef:
    """A check of ``kind`` on ``table`` (None: the release), with its known quirk and its evidence.

    ``observed`` defaults to the table's own evidence; a release whose count the quirk records is left out."""
    cid = check_id(table, kind, name)
    quirk = spec.quirk_for(cid)
    seen = table.observed if observed is None and table is not None else (observed or ())
    return CheckDef(cid, table.name if table else None, table.module if table else None, kind, category, severity,
                    description, columns, params, source, quirk,
                    tuple(r for r in seen if quirk is None or r not in quirk.rows))
