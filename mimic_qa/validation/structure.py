"""Stage 3 (databases): each table's columns and stored types, from the database's own catalogue."""

from __future__ import annotations

from mimic_qa.checks.kinds.column_type import ColumnType, type_compatible
from mimic_qa.checks.kinds.columns import spec_to_observed
from mimic_qa.checks.kinds.row_count import RowCount
from mimic_qa.engines import Engine
from mimic_qa.results import Status
from mimic_qa.sources.csv_loader import ColumnRejects
from mimic_qa.spec import Table
from mimic_qa.validation.parse import record_header, record_rejects
from mimic_qa.validation.store import ResultStore

NOT_FILES = "source is a database, not release files"


def record_structure(store: ResultStore, engine: Engine, table: Table, stored: list[tuple[str, str]] | None,
                     rejects: dict[str, ColumnRejects]) -> bool:
    """Columns and stored types of one table; False when the table is not in the database.

    A database mimic-qa built remembers the values that did not parse when it was loaded (``rejects``)."""
    for kind in ("file.present", "file.readable", "file.sha256"):
        store.skip(store.check(table.name, kind), NOT_FILES)
    where = f"{engine.relation(table).sql(dialect=engine.dialect)}"
    if stored is None:
        store.put(store.check(table.name, RowCount.name), Status.FAILED, None, f"{where} is not in the database")
        store.skip_table(table.name, f"{where} is not in the database")
        return False
    missing = record_header(store, table, [c for c, _ in stored])
    types = dict(stored)
    spelled = spec_to_observed(table.column_names, list(types))
    wrong = [c for c in table.columns if c.name not in missing and not type_compatible(c, types[spelled[c.name]])]
    for column in wrong:
        store.put(store.column_check(table, ColumnType.name, column.name), Status.FAILED, None,
                  ColumnType.stored_message(types[spelled[column.name]], column.type))
    record_rejects(store, table, rejects, skip=missing + [c.name for c in wrong])
    return True
