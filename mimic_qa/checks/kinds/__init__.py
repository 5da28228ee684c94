"""The registry of check kinds: one module per kind, in catalogue order, and which engine runs which kind.

A check id names its kind (``hosp.labevents.fk.subject_id`` is an ``fk`` check): its module here defines
everything about it, from the checks the spec gives rise to, through its query and its GX and pandera forms, to
its message and its guide.
"""

from __future__ import annotations

from typing import Literal

from mimic_qa.checks.kinds.base import (UNEXPECTED_ROWS, Counted, FileFacts, Guide, Kind, Outcome, PanderaCheck,
                                        PanderaPart, PerRow, ReleaseFacts, SetBased, Stage, TableFacts)
from mimic_qa.checks.kinds.column_type import ColumnType
from mimic_qa.checks.kinds.columns import Columns
from mimic_qa.checks.kinds.domain import DomainKind
from mimic_qa.checks.kinds.empty_string import EmptyString
from mimic_qa.checks.kinds.file_present import FilePresent
from mimic_qa.checks.kinds.file_readable import FileReadable
from mimic_qa.checks.kinds.file_sha256 import FileSha256
from mimic_qa.checks.kinds.files_unexpected import FilesUnexpected
from mimic_qa.checks.kinds.fk import ForeignKey
from mimic_qa.checks.kinds.header_case import HeaderCase
from mimic_qa.checks.kinds.identity import IdentityKind
from mimic_qa.checks.kinds.max_length import MaxLength
from mimic_qa.checks.kinds.not_null import NotNull
from mimic_qa.checks.kinds.pk import PrimaryKey
from mimic_qa.checks.kinds.row_count import RowCount
from mimic_qa.checks.kinds.rule import RuleKind
from mimic_qa.checks.kinds.sha256sums_listed import Sha256sumsListed
from mimic_qa.checks.kinds.unique import CandidateKey

KINDS: tuple[Kind, ...] = (
    FilesUnexpected(), Sha256sumsListed(), FilePresent(), FileReadable(), FileSha256(), Columns(), HeaderCase(),
    ColumnType(), NotNull(), EmptyString(), MaxLength(),
    PrimaryKey(), CandidateKey(), ForeignKey(), IdentityKind(), DomainKind(), RuleKind(), RowCount(),
)
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}

Engine = Literal["files", "structure", "sql", "pandera", "gx"]
# Which engine evaluates each kind a database counts, under --checks all on DuckDB and PostgreSQL. Under
# --checks sql (and on Parquet, Spark and BigQuery, always) these run as compiled SQL like every other counted
# kind. File kinds are the integrity stage's; header and stored types come from the parse or the database catalog.
LIBRARY_ENGINES: dict[str, Engine] = {
    "not_null": "pandera", "domain": "pandera", "rule": "pandera",
    "row_count": "gx", "pk": "gx", "unique": "gx", "fk": "gx", "identity": "gx",
}


def kind(name: str) -> Kind:
    return BY_NAME[name]


def engine_of(name: str, libraries: bool) -> Engine:
    """The engine that evaluates a kind: with ``libraries`` (--checks all on DuckDB or PostgreSQL) or not."""
    k = BY_NAME[name]
    if k.stage != "data":
        return k.stage
    return LIBRARY_ENGINES.get(name, "sql") if libraries else "sql"


__all__ = ["BY_NAME", "KINDS", "LIBRARY_ENGINES", "UNEXPECTED_ROWS", "Counted", "Engine", "FileFacts", "Guide", "Kind",
           "Outcome", "PanderaCheck", "PanderaPart", "PerRow", "ReleaseFacts", "SetBased", "Stage", "TableFacts",
           "engine_of", "kind"]
