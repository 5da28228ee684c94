"""``ValidateOptions``: everything a validation run is asked to do, in one object the stages share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mimic_qa.errors import UsageError
from mimic_qa.progress import TableEvents

if TYPE_CHECKING:
    from mimic_qa.sources.release import Expectation

Progress = TableEvents  # each file's parse: its table, the file's bytes, and (when done) its rows


@dataclass(frozen=True)
class ValidateOptions:
    """How to validate: which release and tables, which engines, what to keep, and whom to tell."""

    release: str | None = None  # a spec release key or a release file; None: chosen from the source
    tables: list[str] | None = None  # None: every table of the spec
    checks: Literal["all", "sql"] = "all"  # all: pandera and GX for their kinds where they run; sql: compiled SQL
    show_values: bool = False
    keep_db: Path | None = None
    expectations_dir: Path | None = None
    engine: str = "auto"
    spark_session: Any = None
    spark_master: str = "local[*]"
    max_bytes_billed: int | None = None
    command: str | None = None  # as recorded in the results (passwords redacted by the caller)
    progress: Progress | None = None
    on_release: Callable[[Expectation], None] | None = None
    notify: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        if self.checks not in ("all", "sql"):
            raise UsageError("checks must be 'all' or 'sql'")
