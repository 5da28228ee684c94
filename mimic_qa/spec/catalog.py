"""Every check id the spec defines, with its kind, Kahn category, severity and plain-words meaning.

Check ids are stable: ``<module>.<table>.<kind>[.<name>]`` (e.g. ``hosp.admissions.fk.subject_id``),
plus dataset-level ids under ``release.``. Validators, GX suites, docs and reports all enumerate
checks from here, so a check exists once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mimic_qa.spec.models import Category, Quirk, Severity, Spec, Table

KINDS: dict[str, tuple[Category, str]] = {
    # kind: (Kahn category, what it tests, used in docs)
    "file.present": ("completeness", "the file exists in the release layout"),
    "file.readable": ("conformance", "the gzip stream is complete and the text is valid UTF-8"),
    "file.sha256": ("conformance", "the file's SHA-256 equals the entry in SHA256SUMS.txt"),
    "columns": ("conformance", "the header names the spec's columns in file order (names compared without letter case)"),
    "header_case": ("conformance", "the header spells the column names in the spec's letter case"),
    "type": ("conformance", "every value parses as the column's type"),
    "not_null": ("completeness", "the NOT NULL column has no NULL (empty field)"),
    "empty_string": ("completeness", "the NOT NULL text column has no zero-length string"),
    "max_length": ("conformance", "no value is longer than the column's declared length"),
    "pk": ("conformance", "the declared primary key is unique and not NULL"),
    "unique": ("conformance", "the candidate key is unique"),
    "fk": ("conformance", "every non-NULL reference has a parent row"),
    "domain": ("conformance", "values lie in the documented domain"),
    "rule": ("plausibility", "the row-level rule holds"),
    "row_count": ("completeness", "the table has exactly the release's row count"),
}


@dataclass(frozen=True)
class CheckDef:
    """One check as the spec defines it (not yet run)."""

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


def _table_checks(spec: Spec, t: Table) -> list[CheckDef]:
    base = f"{t.module}.{t.name}"
    out: list[CheckDef] = []

    def add(kind: str, name: str | None, severity: Severity, description: str, columns: tuple[str, ...] = (),
            category: Category | None = None, observed: list[str] = t.observed, **params: Any) -> None:
        cid = f"{base}.{kind}" + (f".{name}" if name else "")
        source = params.pop("source", None)
        quirk = spec.quirk_for(cid)
        seen = tuple(r for r in observed if quirk is None or r not in quirk.rows)
        out.append(CheckDef(cid, t.name, t.module, kind, category or KINDS[kind][0], severity, description,
                            columns, params, source, quirk, seen))

    add("file.present", None, "error", f"{t.file} is present.")
    add("file.readable", None, "error", f"{t.file} decompresses completely and is valid UTF-8.")
    add("file.sha256", None, "error", f"{t.file} matches its SHA256SUMS.txt entry (when the file list is present).")
    add("columns", None, "error", f"The header of {t.file} is: {', '.join(t.column_names)}.")
    add("header_case", None, "warning", f"The header of {t.file} spells its column names in lower case, as the spec does.")
    for c in t.columns:
        add("type", c.name, "error", f"{c.name} parses as {c.type}.", (c.name,))
        if not c.nullable:
            add("not_null", c.name, "error", f"{c.name} is never NULL.", (c.name,))
            if c.kind == "string":
                add("empty_string", c.name, "error", f"{c.name} is never a zero-length string.", (c.name,))
        if c.max_length is not None:
            add("max_length", c.name, "error", f"{c.name} is at most {c.max_length} characters.", (c.name,),
                max_length=c.max_length)
    if t.primary_key:
        add("pk", None, "error", f"({', '.join(t.primary_key)}) is unique (declared primary key).",
            tuple(t.primary_key), source="mimic-code constraint.sql")
    for k in t.candidate_keys:
        add("unique", k.name, k.severity, f"({', '.join(k.columns)}) is unique (candidate key, not declared).",
            tuple(k.columns), observed=k.observed, source=k.source)
    for fk in t.foreign_keys:
        how = "declared in constraint.sql" if fk.declared else "documented, not declared"
        add("fk", fk.name, fk.severity,
            f"({', '.join(fk.columns)}) references {fk.ref_table}({', '.join(fk.ref_columns)}) ({how}).",
            tuple(fk.columns), observed=fk.observed, ref_table=fk.ref_table, ref_columns=list(fk.ref_columns),
            declared=fk.declared, source=fk.note or ("mimic-code constraint.sql" if fk.declared else None))
    for d in t.domains:
        add("domain", d.column, d.severity, d.describe() + ".", (d.column,), category=d.category,
            observed=d.observed, values=d.values, min=d.min, max=d.max, pattern=d.pattern,
            case_insensitive=d.case_insensitive, source=d.source)
    for r in t.rules:
        add("rule", r.name, r.severity, r.description, observed=r.observed, expr=r.expr, source=r.source)
    add("row_count", None, "error", "The table has exactly the release's row count.")
    return out


def build_catalog(spec: Spec, tables: list[str] | None = None) -> list[CheckDef]:
    """All checks of the spec, in table order (hosp then icu, as in the spec file)."""
    out: list[CheckDef] = [
        CheckDef("release.files.unexpected", None, None, "files.unexpected", "conformance", "warning",
                 "No table file outside the 31 the release defines."),
        CheckDef("release.sha256sums.listed", None, None, "sha256sums.listed", "completeness", "error",
                 "Every file listed in SHA256SUMS.txt is present."),
    ]
    for name, t in spec.tables.items():
        if tables is None or name in tables:
            out.extend(_table_checks(spec, t))
    ids = [c.id for c in out]
    if len(ids) != len(set(ids)):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"duplicate check ids in spec: {dupes}")
    return out
