"""``ValidateOptions``: everything a validation run is asked to do, in one object the stages share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mimic_qa.errors import UsageError
from mimic_qa.progress import TableEvents
from mimic_qa.selection import check_engine, gate_level, split_names
from mimic_qa.spec.severity import Severity

if TYPE_CHECKING:
    from mimic_qa.config import SiteConfig
    from mimic_qa.sources.release import Expectation

Progress = TableEvents  # each file's parse: its table, the file's bytes, and (when done) its rows


@dataclass(frozen=True)
class ValidateOptions:
    """How to validate: which release and tables, which engines, the gate, what to keep, and whom to tell.

    Checked when made: a bad ``fail_on``, ``engine`` or ``checks`` is a ``UsageError`` before anything runs."""

    release: str | None = None  # a spec release key or a release file; None: chosen from the source
    tables: list[str] | None = None  # None: every table of the spec (names may be comma-separated)
    exclude_tables: list[str] | None = None  # left out after ``tables``
    fail_on: Severity = Severity.ERROR  # the gate: a check failed (or not run) at this severity or worse fails
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
    config: SiteConfig | None = None  # the site's waivers and local checks (``mimic_qa.config.load_config(path)``)
    history: Path | None = None  # keep this run's results in this folder and compare it with the runs before
    reuse: Path | None = None  # earlier results (JSON): their verdict stands for the tables unchanged since

    def __post_init__(self) -> None:
        if self.checks not in ("all", "sql"):
            raise UsageError("checks must be 'all' or 'sql'")
        check_engine(self.engine)
        # frozen: the normalised values are set once, here
        object.__setattr__(self, "fail_on", gate_level(self.fail_on))
        for name in ("tables", "exclude_tables"):
            object.__setattr__(self, name, split_names(getattr(self, name)) or None)
