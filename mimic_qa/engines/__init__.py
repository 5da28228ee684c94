"""Database engines a copy can be validated in place on: one check definition, compiled per engine.

Checks are written once as DuckDB SQL (``mimic_qa.checks.sql``) and transpiled with sqlglot to the
engine's dialect. Each engine knows how to name a table, list what is there and run a query.
"""

from mimic_qa.engines.base import Engine, open_engine

__all__ = ["Engine", "open_engine"]
