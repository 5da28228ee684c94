"""``release.files.unexpected``: no table file in hosp/ or icu/ that the release does not define."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef, define
from mimic_qa.checks.kinds.base import Guide, Kind, Outcome, ReleaseFacts, TableFacts
from mimic_qa.spec.models import Spec, Table


class FilesUnexpected(Kind):
    name = "files.unexpected"
    category = "conformance"
    stage = "files"
    tests = "no table file in a module folder that the release does not define"
    guide = Guide(
        "Unexpected table files",
        "A `.csv.gz` in `hosp/` or `icu/` that the release does not define is usually a file left over from "
        "another version in the same folder, or an extract you saved inside the release. Tools that load "
        "every file they find will load it too.",
        "Keep one pristine folder per release version (`physionet.org/files/mimiciv/3.1/`). Move your own "
        "files elsewhere; delete files of other versions. This is a warning: it fails the gate only with "
        "`--fail-on warning`.",
    )

    def release_checks(self, spec: Spec) -> Iterator[CheckDef]:
        yield define(spec, None, self.name, None, category=self.category, severity="warning",
                     description="No table file in a module folder that the release does not define.")

    def evaluate(self, check: CheckDef, table: Table | None, facts: TableFacts | ReleaseFacts) -> Outcome | None:
        if not isinstance(facts, ReleaseFacts):
            return None
        extra = facts.unexpected
        return Outcome.of(bool(extra), len(extra), f"unexpected files: {', '.join(extra)}" if extra else "ok")
