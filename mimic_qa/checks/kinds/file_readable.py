"""``<table>.file.readable``: the gzip stream is complete and the text is valid UTF-8 CSV."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, Kind
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

    @staticmethod
    def message(bad_unicode_lines: int, malformed_lines: int) -> str:
        parts = ([f"{bad_unicode_lines:,} lines are not valid UTF-8"] if bad_unicode_lines else []) + \
                ([f"{malformed_lines:,} malformed CSV lines"] if malformed_lines else [])
        return "; ".join(parts) or "ok"

    @staticmethod
    def unreadable(table: Table, reason: str) -> str:
        return f"{table.file}: {reason}"

    @staticmethod
    def damaged_stream(table: Table, reason: str) -> str:
        return f"{table.file}: {reason}; the values read from it cannot be trusted"
