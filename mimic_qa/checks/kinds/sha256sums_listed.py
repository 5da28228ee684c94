"""``release.sha256sums.listed``: every file SHA256SUMS.txt lists is present (and a non-table file matches)."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef, define
from mimic_qa.checks.kinds.base import Guide, Kind, Outcome, ReleaseFacts, TableFacts
from mimic_qa.checks.kinds.file_sha256 import SUMS_FILE
from mimic_qa.results import Status
from mimic_qa.spec.models import Spec, Table


class Sha256sumsListed(Kind):
    name = "sha256sums.listed"
    category = "completeness"
    stage = "files"
    tests = "every file listed in SHA256SUMS.txt is present"
    guide = Guide(
        "Every file in SHA256SUMS.txt is present",
        "PhysioNet lists every file of the release in `SHA256SUMS.txt`. A listed file that is missing means an "
        "incomplete download; a non-table file (e.g. `LICENSE.txt`) that does not match was changed.",
        "Resume the download (`wget -r -N -c -np ...` again: it fetches only what is missing), then run "
        "`sha256sum -c SHA256SUMS.txt` in the release folder. With `--tables`, the files of the tables you did "
        "not select are not expected.",
    )

    def release_checks(self, spec: Spec) -> Iterator[CheckDef]:
        yield define(spec, None, self.name, None, category=self.category, severity="error",
                     description="Every file listed in SHA256SUMS.txt is present.")

    def evaluate(self, check: CheckDef, table: Table | None, facts: TableFacts | ReleaseFacts) -> Outcome | None:
        if not isinstance(facts, ReleaseFacts):
            return None
        if facts.listed is None:
            return Outcome(Status.SKIPPED, None, f"no {SUMS_FILE} in the release")
        s = {1: ""}  # 1 file, 2 files
        problems = ([f"{len(facts.absent)} listed file{s.get(len(facts.absent), 's')} missing"] if facts.absent
                    else []) + [f"{p} does not match" for p in facts.mismatched]
        narrowed = f"; {facts.not_selected} of tables not selected (--tables) not checked" if facts.not_selected else ""
        return Outcome.of(bool(problems), len(facts.absent) + len(facts.mismatched),
                          ("; ".join(problems) or f"{facts.listed} file{s.get(facts.listed, 's')} listed") + narrowed)
