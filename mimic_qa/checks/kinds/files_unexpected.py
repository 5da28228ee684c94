"""``release.files.unexpected``: no table file in hosp/ or icu/ that the release does not define."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef, define
from mimic_qa.checks.kinds.base import Guide, Kind
from mimic_qa.spec.models import Spec


class FilesUnexpected(Kind):
    name = "files.unexpected"
    category = "conformance"
    stage = "files"
    tests = "no table file outside the 31 the release defines"
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
                     description="No table file outside the 31 the release defines.")

    @staticmethod
    def message(extra: list[str]) -> str:
        return f"unexpected files: {', '.join(extra)}" if extra else "ok"
