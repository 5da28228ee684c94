"""Database engines a copy can be validated in place on: each check's query is written once, as a sqlglot
expression (``mimic_qa.checks.kinds``), and compiled to the engine's dialect. Each engine knows where a table
is, what is there and how to run a query; ``mimic_qa.sources.open`` picks one for a SOURCE."""

from mimic_qa.engines.base import Engine

__all__ = ["Engine"]
