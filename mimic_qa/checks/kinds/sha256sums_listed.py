"""``release.sha256sums.listed``: every file SHA256SUMS.txt lists is present (and a non-table file matches)."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef, define
from mimic_qa.checks.kinds.base import Guide, Kind
from mimic_qa.spec.models import Spec


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

    @staticmethod
    def message(listed: int, absent: list[str], mismatched: list[str], not_selected: int) -> str:
        s = {1: ""}  # 1 file, 2 files
        problems = ([f"{len(absent)} listed file{s.get(len(absent), 's')} missing"] if absent else []) + \
                   [f"{p} does not match" for p in mismatched]
        narrowed = f"; {not_selected} of tables not selected (--tables) not checked" if not_selected else ""
        return ("; ".join(problems) or f"{listed} file{s.get(listed, 's')} listed") + narrowed
