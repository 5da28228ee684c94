"""The engine protocol: a database holding MIMIC-IV in mimic-code's layout, that runs the checks' queries."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from sqlglot import exp

from mimic_qa.checks.sql import compile_query
from mimic_qa.sources.database import Columns, list_columns, one_row
from mimic_qa.sources.naming import relation
from mimic_qa.spec import Table, load_spec


class Engine(ABC):
    """A database (schemas mimiciv_hosp / mimiciv_icu, or their equivalent) that answers check queries."""

    name: str
    dialect: str  # sqlglot dialect name

    def __init__(self, location: str):
        self.location = location
        # What pandera and GX connect to when they run their checks in this database (a DuckDB file path
        # or a PostgreSQL DSN); None where validate runs every check as compiled SQL.
        self.library_target: Path | str | None = None

    @abstractmethod
    def relation(self, table: Table) -> exp.Table:
        """Where the table is, as a query node."""

    @abstractmethod
    def list_columns(self) -> Columns:
        """The spec tables present, with their columns and stored types in order."""

    @abstractmethod
    def _fetch_one(self, sql: str) -> tuple[Any, ...]:
        """Run one query (already in this dialect) and return its single row."""

    def fetch_one(self, query: exp.Expr) -> tuple[Any, ...]:
        return self._fetch_one(compile_query(query, load_spec(), self))

    def plan(self, queries: list[exp.Expr]) -> int:
        """Estimate the cost of the queries before running them (bytes; 0 where nothing is billed)."""
        return 0

    def stored_meta(self) -> dict | None:
        """The release mimic-qa recorded in the database when it built it, if any."""
        return None

    def close(self) -> None:
        """Release connections."""


class LayoutEngine(Engine):
    """An engine over one DB-API connection (``self.con``: DuckDB or psycopg) to mimic-code's layout."""

    con: Any

    def relation(self, table: Table) -> exp.Table:
        return relation(table)

    def list_columns(self) -> Columns:
        return list_columns(self.con, load_spec())

    def _fetch_one(self, sql: str) -> tuple[Any, ...]:
        return one_row(self.con, sql)
