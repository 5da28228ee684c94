"""``<table>.file.sha256``: the file's SHA-256 is the one SHA256SUMS.txt lists."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, Kind
from mimic_qa.spec.models import Spec, Table

SUMS_FILE = "SHA256SUMS.txt"


class FileSha256(Kind):
    name = "file.sha256"
    category = "conformance"
    stage = "files"
    tests = "the file's SHA-256 equals the entry in SHA256SUMS.txt"
    guide = Guide(
        "File matches SHA256SUMS.txt",
        "The checksum is the only proof that the bytes are the ones PhysioNet published. A corrupt download "
        "often shows up much later as odd parse errors (mimic-code #293). Skipped when the release folder "
        "has no `SHA256SUMS.txt`.",
        "Download the file again and run `sha256sum -c SHA256SUMS.txt` in the release folder. Make sure "
        "`SHA256SUMS.txt` comes from the same version as the files.",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        yield self.define(spec, table, None, severity="error",
                          description=f"{table.file} matches its SHA256SUMS.txt entry (when the file list is present).")

    @staticmethod
    def message(relative: str, listed: bool, matches: bool) -> str:
        if not listed:
            return f"{relative} is not listed in {SUMS_FILE}"
        return "ok" if matches else f"{relative} does not match {SUMS_FILE}"
