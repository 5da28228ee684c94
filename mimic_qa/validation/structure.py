"""Stage 3 (databases): each table's columns and stored types, from the database's own catalogue."""

from __future__ import annotations

from mimic_qa.checks.kinds import TableFacts
from mimic_qa.sources.base import Source
from mimic_qa.spec import Table
from mimic_qa.validation.parse import judge_structure
from mimic_qa.validation.store import ResultStore

NOT_FILES = "source is a database, not release files"


def record_structure(store: ResultStore, source: Source, table: Table, stored: list[tuple[str, str]] | None,
                     rejects: dict[str, tuple[int, int]]) -> bool:
    """Columns and stored types of one table; False when the table is not in the database.

    A database mimic-qa built remembers the values that did not parse when it was loaded (``rejects``)."""
    store.skip_stage(table.name, "files", NOT_FILES)
    facts = TableFacts(source.relation(table).sql(dialect=source.dialect), in_database=stored is not None)
    if stored is None:
        store.judge(table.name, facts, "data")
        store.skip_table(table.name, f"{facts.where} is not in the database")
        return False
    facts.header, facts.stored_types, facts.rejects = [c for c, _ in stored], dict(stored), rejects
    judge_structure(store, table, facts)
    return True
