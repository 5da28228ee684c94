"""A range domain pushed past both its ends, on a copy of the real demo: drgcodes' drg_severity lies in 1-4 (APR
DRG severity; NULL on HCFA rows). One row set below the range and two above fail the domain by the rows this test
counts in the damaged file, at the domain's own severity, and nothing else fails; on the default path (pandera)
and on ``--checks sql``. (test_kind_faults.py damages a domain of listed values.)"""

from __future__ import annotations

import pytest

from tests.cli import unexplained_failures, validate_json
from tests.damage import ReleaseCopy
from tests.realdata.counting import Files

TABLES = ["drgcodes", "patients", "admissions"]


@pytest.fixture(scope="module")
def pushed(real_demo, tmp_path_factory) -> tuple[ReleaseCopy, int]:
    copy = ReleaseCopy(real_demo, tmp_path_factory.mktemp("bounds") / "copy", tables=TABLES)
    copy.update("drgcodes", lambda r: {"drg_severity": "0"}, lambda r: r["drg_severity"] != "", limit=1)
    copy.update("drgcodes", lambda r: {"drg_severity": "5"}, lambda r: r["drg_severity"] not in ("", "0"), limit=2)
    outside = sum(1 for v in Files(copy).column("drgcodes", "drg_severity") if v and not 1 <= int(v) <= 4)
    assert outside == 3  # the demo's own values are all in 1-4
    return copy, outside


@pytest.mark.parametrize("checks", ["all", "sql"])
def test_a_range_domain_fails_on_both_sides(pushed, tmp_path, checks):
    copy, outside = pushed
    done, run = validate_json(copy.root, TABLES, tmp_path / "run.json", "--checks", checks, "--fail-on", "warning")
    assert unexplained_failures(run) == {"hosp.drgcodes.domain.drg_severity": outside}, done.stdout[-2000:]
    assert run["hosp.drgcodes.domain.drg_severity"]["severity"] == "warning" and done.returncode == 1
