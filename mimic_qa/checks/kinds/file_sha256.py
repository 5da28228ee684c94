"""``<table>.file.sha256``: the file's SHA-256 is the one SHA256SUMS.txt lists."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, Kind, Outcome, ReleaseFacts, TableFacts
from mimic_qa.results import Status
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

    def evaluate(self, check: CheckDef, table: Table | None, facts: TableFacts | ReleaseFacts) -> Outcome | None:
        file = facts.file if isinstance(facts, TableFacts) else None
        if file is None or file.relative is None:
            return None
        if file.listed is None:
            return Outcome(Status.SKIPPED, None, f"no {SUMS_FILE} in the release")
        if not file.listed:
            return Outcome.of(True, 1, f"{file.relative} is not listed in {SUMS_FILE}")
        if file.sha256_matches is None:
            return None
        return Outcome.of(not file.sha256_matches, 0 if file.sha256_matches else 1,
                          "ok" if file.sha256_matches else f"{file.relative} does not match {SUMS_FILE}")
