"""A site's own checks, declared as data (``[[local-checks]]``), made into check definitions of the existing kinds.

Each entry becomes a ``CheckDef`` of its kind (not null, unique, pk, fk, domain, rule, row count, identity) with
the id ``local.<table>.<kind>[.<name>]``; its query is the kind's own, over bare table names. The site's tables
(``[site-tables.<name>]``: a derived table, a mimic-code concept) join the spec's tables for the kinds, and each is
bound to its ``schema.table`` before ``Source.compile()`` binds the MIMIC tables, so the same queries run on every
engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlglot import exp

from mimic_qa.checks import CheckDef
from mimic_qa.checks.kinds import kind
from mimic_qa.results.model import LocalCheck
from mimic_qa.spec import Spec, Table
from mimic_qa.spec.models import Column, Domain

PREFIX = "local"
LocalKind = Literal["not_null", "unique", "pk", "fk", "domain", "rule", "row_count", "identity"]
LOCAL_KINDS: tuple[str, ...] = LocalKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SiteTable:
    """A table of the site's own in the same database: where it is and the columns its checks may name."""

    name: str
    schema: str  # a schema (PostgreSQL, DuckDB) or dataset (BigQuery, Spark); ``project.dataset`` on BigQuery
    columns: tuple[str, ...]
    description: str = ""

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.name}"

    def bound(self) -> exp.Table:
        parts = self.schema.split(".")
        return exp.table_(self.name, db=parts[-1], catalog=parts[0] if len(parts) > 1 else None, quoted=True)

    def as_table(self) -> Table:
        """The table as the kinds read it (its columns' types are not declared: none of the kinds needs them)."""
        return Table(name=self.name, module=PREFIX, description=self.description or f"site table {self.relation}",
                     columns=[Column(name=c, type="TEXT", nullable=True) for c in self.columns])


def local_id(table: str, kind_name: str, name: str | None) -> str:
    return f"{PREFIX}.{table}.{kind_name}" + (f".{name}" if name else "")


def default_name(kind_name: str, columns: list[str], name: str | None) -> str | None:
    """The id's last part, as the spec's own ids have it: the column (or key) for column and key kinds."""
    if name or kind_name in ("pk", "row_count"):
        return name
    if kind_name == "identity":
        return columns[-1]
    return "_".join(columns) or None


def describe(kind_name: str, columns: list[str], params: dict[str, Any]) -> str:
    """Plain words for a local check without a description of its own (names only, never a value from data)."""
    cols = ", ".join(columns)
    if kind_name == "not_null":
        return f"{cols} is never NULL."
    if kind_name == "unique":
        return f"({cols}) is unique."
    if kind_name == "pk":
        return f"({cols}) is unique and never NULL (primary key)."
    if kind_name == "fk":
        only = f" where {params['where']}" if params.get("where") else ""
        return f"({cols}) references {params['ref_table']}({', '.join(params['ref_columns'])}){only}."
    if kind_name == "domain":
        return Domain(column=columns[0], severity="error", source="site", values=params["values"], min=params["min"],
                      max=params["max"], pattern=params["pattern"],
                      case_insensitive=params["case_insensitive"]).describe() + "."
    if kind_name == "rule":
        return f"{params['expr']} holds for every row."
    if kind_name == "row_count":
        return f"The table has exactly {params['rows']:,} rows."
    *others, key = columns
    return f"Where {key} names a row of {params['ref_table']}, that row has the same {', '.join(others)}."


@dataclass(frozen=True)
class LocalChecks:
    """The site's checks and tables, with the spec the kinds read them through."""

    spec: Spec  # the release spec and the site's tables
    checks: tuple[CheckDef, ...] = ()
    site_tables: dict[str, SiteTable] = field(default_factory=dict)

    def bind(self, query: exp.Expr) -> exp.Expr:
        """The query with each site table's bare name bound to its ``schema.table`` (MIMIC tables are left bare,
        for ``Source.compile()``)."""
        def bind(node: exp.Expr) -> exp.Expr:
            if isinstance(node, exp.Table) and not node.args.get("db") and node.name in self.site_tables:
                bound = self.site_tables[node.name].bound()
                if node.args.get("alias"):
                    bound.set("alias", node.args["alias"].copy())
                return bound
            return node

        return query.transform(bind)

    def records(self) -> list[LocalCheck]:
        """What the results say about each local check."""
        return [LocalCheck(id=c.id, table=c.table or "", kind=c.kind, severity=c.severity, description=c.description,
                           site_table=c.table in self.site_tables,
                           relation=self.site_tables[c.table].relation if c.table in self.site_tables else c.table or "")
                for c in self.checks]


def local_check(spec: Spec, table: str, kind_name: str, columns: list[str], params: dict[str, Any],
                severity: str, name: str | None, description: str | None, source: str) -> CheckDef:
    """One local check of an existing kind (``spec`` holds the site's tables too)."""
    checked = spec.tables[table]
    return CheckDef(local_id(table, kind_name, default_name(kind_name, columns, name)), table, checked.module,
                    kind_name, kind(kind_name).category, severity,  # type: ignore[arg-type]
                    description or describe(kind_name, columns, params), tuple(columns), params, source)
