"""``<table>.file.readable``: the gzip stream is complete and the text is valid UTF-8 CSV."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, Kind, Outcome, ReleaseFacts, TableFacts
from mimic_qa.spec.models import Spec, Table


class FileReadable(Kind):
    name = "file.readable"
    category = "conformance"
    stage = "files"
    tests = "the gzip stream is complete and the text is valid UTF-8"
    guide = Guide(
        "File decompresses completely and is UTF-8",
        "A truncated gzip stream (interrupted download, full disk, a copy that stopped) silently drops every "
        "row after the break in most loaders; DuckDB does not even check the gzip CRC. Lines that are not "
        "UTF-8 come from a tool that re-encoded the file. The table's other checks are skipped when the file "
        "cannot be read at all.",
        "Delete the file and download it again, then `sha256sum -c SHA256SUMS.txt`. Never open and re-save "
        "a release CSV in a spreadsheet or editor. When loading PostgreSQL, use a UTF-8 client encoding "
        "(mimic-code #840).",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        yield self.define(spec, table, None, severity="error",
                          description=f"{table.file} decompresses completely and is valid UTF-8.")

    def evaluate(self, check: CheckDef, table: Table | None, facts: TableFacts | ReleaseFacts) -> Outcome | None:
        file = facts.file if isinstance(facts, TableFacts) else None
        if file is None or file.relative is None or table is None:
            return None
        if file.unreadable:
            return Outcome.of(True, None, f"{table.file}: {file.unreadable}")
        if not (file.read and file.scanned):
            return None
        bad = file.bad_unicode_lines + file.malformed_lines
        if file.damaged and not bad:  # the parse read it without complaint, but the stream's checksums fail
            return Outcome.of(True, None, f"{table.file}: {file.damaged}; the values read from it cannot be trusted")
        parts = ([f"{file.bad_unicode_lines:,} lines are not valid UTF-8"] if file.bad_unicode_lines else []) + \
                ([f"{file.malformed_lines:,} malformed CSV lines"] if file.malformed_lines else [])
        return Outcome.of(bool(bad), bad, "; ".join(parts) or "ok")
