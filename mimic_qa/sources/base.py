"""``Source``: one copy of (part of) the MIMIC-IV family, however it is stored, as every command reads it.

One implementation per kind of source (release folder of csv.gz, DuckDB, Parquet, PostgreSQL, Spark, BigQuery),
chosen by ``mimic_qa.sources.open.open_source``. A source lists the spec tables it holds with their columns, gives
each as a sqlglot relation in its dialect, runs queries written over the spec's bare table names, and reads (and,
where it is a database mimic-qa may write, records) what mimic-qa stored about the copy.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sqlglot import exp

from mimic_qa.spec import Spec, Table

Columns = dict[str, list[tuple[str, str]]]  # spec table -> [(column, stored type)] in stored order


@dataclass
class Meta:
    """What mimic-qa recorded in a database it built (``validate --keep-db``, ``load``): the release of each
    project, the tables it was built with, their expected row counts, the values that did not parse, and each
    table's fingerprint as built (with the release file's it came from)."""

    releases: dict[str, str]  # project -> release key
    row_counts: dict[str, int]
    synthetic: bool = False
    tables: list[str] | None = None  # the table selection (None: every table of the projects)
    rejects: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # table -> column -> [count, first line]
    # table -> its fingerprint when built (``mimic_qa.sources.fingerprint``), and that of the file it was parsed from
    fingerprints: dict[str, dict[str, Any]] = field(default_factory=dict)
    file_fingerprints: dict[str, dict[str, Any]] = field(default_factory=dict)


class Source(ABC):
    """A copy in mimic-code's layout (or a release folder), queried where it lives."""

    kind: ClassVar[str]  # how the copy is described to the user: "release folder", "PostgreSQL database", ...
    engine: ClassVar[str]  # the engine's name in results: duckdb, parquet, postgres, spark, bigquery
    dialect: ClassVar[str]  # sqlglot dialect

    def __init__(self, spec: Spec, location: str):
        self.spec = spec
        self.location = location  # as shown to the user (no password)
        # What pandera and GX connect to in this database (a DuckDB file path or a PostgreSQL DSN); None where
        # every check runs as compiled SQL.
        self.library_target: Path | str | None = None

    @abstractmethod
    def columns(self) -> Columns:
        """The spec tables present, with their columns and stored types in order."""

    @abstractmethod
    def relation(self, table: Table) -> exp.Expr:
        """Where the table is, as a query node in this source's dialect."""

    @abstractmethod
    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Run one query, already in this dialect."""

    def modules(self) -> list[str]:
        """The spec modules the copy holds (at least one table of), in spec order."""
        held = {self.spec.tables[t].module for t in self.columns()}
        return [m for m in self.spec.modules if m in held]

    def projects(self) -> list[str]:
        """The projects whose modules the copy holds, in spec order."""
        held = {self.spec.modules[m].project for m in self.modules()}
        return [p for p in self.spec.projects if p in held]

    def compile(self, query: exp.Expr) -> str:
        """The query in this dialect, each bare spec table name bound to this source's relation."""
        def bind(node: exp.Expr) -> exp.Expr:
            if isinstance(node, exp.Table) and not node.args.get("db") and node.name in self.spec.tables:
                bound = self.relation(self.spec.tables[node.name]).copy()
                if node.args.get("alias"):
                    bound.set("alias", node.args["alias"].copy())
                return bound
            return node

        return query.transform(bind).sql(dialect=self.dialect)

    def fetch_all(self, query: exp.Expr | str) -> list[tuple[Any, ...]]:
        """Every row of a query (a sqlglot expression over bare spec names, or SQL in this dialect)."""
        return self._rows(query if isinstance(query, str) else self.compile(query))

    def fetch_one(self, query: exp.Expr | str) -> tuple[Any, ...]:
        """The single row of an aggregate query."""
        rows = self.fetch_all(query)
        if not rows:
            raise RuntimeError("an aggregate query returned no row")
        return tuple(rows[0])

    def plan(self, queries: Iterable[exp.Expr]) -> int:
        """Estimate the cost of the queries before running them (bytes; 0 where nothing is billed)."""
        return 0

    def meta(self) -> Meta | None:
        """What mimic-qa recorded in the copy when it built it, if anything."""
        return None

    def close(self) -> None:
        """Release connections."""

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
