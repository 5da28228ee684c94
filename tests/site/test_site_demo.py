"""A site's configuration on the real demo: local checks on MIMIC tables and on a derived table of the kept
database, a waiver that holds, one that has expired and one exceeded by its ceiling. Every count expected here
is read from the demo's files with the standard library."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.cli import run_cli
from tests.site.conftest import TABLES

WAIVED = "local.icustays.unique.hadm_id"


def site_config(folder: Path, *, expires: date, ceiling: str = "", rows: int, long_stay_days: int) -> Path:
    path = folder / "mimic-qa.toml"
    path.write_text(f"""
tables = {json.dumps(TABLES)}
checks = "sql"
[outputs]
json = "out/results.json"
junit = "out/junit.xml"
report-dir = "out/report"

[[waivers]]
check = "{WAIVED}"
reason = "ICU readmissions within one admission are real; the LOS cohort keeps the first stay"
owner = "data-team@site"
expires = {expires.isoformat()}
{ceiling}

[[waivers]]
check = "ed.*"
reason = "no ED module loaded yet"
owner = "data-team@site"
expires = {(date.today() + timedelta(days=90)).isoformat()}

[[waivers]]
check = "local.first_icu_stay.domain.*"
reason = "first stays over 10 days are real; the LOS model caps them"
owner = "data-team@site"
expires = {(date.today() + timedelta(days=90)).isoformat()}
max-failing-fraction = 0.1

[site-tables.first_icu_stay]
schema = "mimiciv_derived"
columns = ["subject_id", "hadm_id", "stay_id", "intime", "los"]
description = "each patient's first ICU stay"

[[local-checks]]
kind = "unique"
table = "icustays"
columns = ["hadm_id"]

[[local-checks]]
kind = "pk"
table = "first_icu_stay"
columns = ["subject_id"]

[[local-checks]]
kind = "row_count"
table = "first_icu_stay"
rows = {rows}

[[local-checks]]
kind = "fk"
table = "first_icu_stay"
columns = ["stay_id"]
ref-table = "icustays"

[[local-checks]]
kind = "domain"
table = "first_icu_stay"
column = "los"
max = {long_stay_days}
severity = "info"
""")
    return path


@pytest.fixture
def site(tmp_path, first_stays):
    def make(**kwargs) -> Path:
        return site_config(tmp_path, rows=len(first_stays), long_stay_days=10, **kwargs)
    return make


def _results(folder: Path) -> dict:
    return json.loads((folder / "out" / "results.json").read_text())


def test_local_checks_and_a_waiver_on_the_kept_database(kept_db, site, tmp_path, shared_admissions, first_stays):
    site(expires=date.today() + timedelta(days=180))
    done = run_cli("validate", str(kept_db), cwd=str(tmp_path))  # the file is found in the working directory
    assert done.returncode == 0, done.stdout + done.stderr
    run = _results(tmp_path)
    local = {c["id"]: c for c in run["checks"] if c["id"].startswith("local.")}
    long_stays = sum(float(r["los"]) > 10 for r in first_stays.values())
    assert {i: (c["status"], c["failing_rows"]) for i, c in local.items()} == {
        WAIVED: ("failed", shared_admissions),
        "local.first_icu_stay.pk": ("passed", 0),
        "local.first_icu_stay.row_count": ("passed", 0),
        "local.first_icu_stay.fk.stay_id": ("passed", 0),
        "local.first_icu_stay.domain.los": ("failed" if long_stays else "passed", long_stays),
    }
    assert shared_admissions > 0 and long_stays > 0  # the demo has both: the checks are not vacuous
    assert local[WAIVED]["waiver"]["state"] == "holds" and "readmissions" in local[WAIVED]["waiver"]["reason"]
    # a ceiling as a share of a site table's rows: long first stays of all first stays (rows of the derived table)
    capped = local["local.first_icu_stay.domain.los"]["waiver"]
    assert capped["state"] == ("holds" if long_stays / len(first_stays) <= 0.1 else "exceeded")
    assert run["summary"]["waived"] == 1 + (capped["state"] == "holds") and run["summary"]["ok"] is True
    assert [w["matched"] for w in run["waivers"]] == [[WAIVED], [], ["local.first_icu_stay.domain.los"]]
    assert [c["relation"] for c in run["local_checks"]][1] == "mimiciv_derived.first_icu_stay"
    # the console: the waiver that matches nothing, the waived failure with its reason, the local checks
    assert "waiver 'ed.*' matches no check of this run" in done.stdout
    assert "failures waived" in done.stdout and "readmissions" in done.stdout
    assert "local.first_icu_stay.row_count" in done.stdout and f"{run['summary']['waived']} waived" in done.stdout
    skipped = [c for c in ET.parse(tmp_path / "out" / "junit.xml").iter("testcase") if c.get("name") == WAIVED]
    assert "readmissions" in skipped[0].find("skipped").get("message")
    html = (tmp_path / "out" / "report" / "report.html").read_text()
    assert 'id="waivers"' in html and 'id="local-checks"' in html and "mimiciv_derived.first_icu_stay" in html
    assert "## Waivers" in (tmp_path / "out" / "report" / "report.md").read_text()


@pytest.mark.parametrize("case", ["expired", "exceeded"])
def test_an_expired_or_exceeded_waiver_blocks_naming_the_check(kept_db, site, tmp_path, shared_admissions, case):
    if case == "expired":
        site(expires=date.today() - timedelta(days=1))
    else:
        site(expires=date.today() + timedelta(days=180), ceiling=f"max-failing-rows = {shared_admissions - 1}")
    done = run_cli("validate", str(kept_db), "--quiet", "--config", str(tmp_path / "mimic-qa.toml"))
    assert done.returncode == 1
    waived = next(c for c in _results(tmp_path)["checks"] if c["id"] == WAIVED)
    assert waived["waiver"]["state"] == case
    junit = {c.get("name"): c for c in ET.parse(tmp_path / "out" / "junit.xml").iter("testcase")}
    failure = junit[WAIVED].find("failure")
    assert failure is not None and ("expired on" if case == "expired" else "exceed the waiver's ceiling") in \
        failure.get("message")
    again = run_cli("validate", str(kept_db), "--config", str(tmp_path / "mimic-qa.toml"))
    assert WAIVED in again.stdout and ("expired on" if case == "expired" else "ceiling") in again.stdout


def test_site_tables_are_skipped_in_a_release_folder(real_demo, site, tmp_path, shared_admissions):
    site(expires=date.today() + timedelta(days=180))
    done = run_cli("validate", str(real_demo), cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    local = {c["id"]: c for c in _results(tmp_path)["checks"] if c["id"].startswith("local.")}
    assert local[WAIVED]["failing_rows"] == shared_admissions  # a MIMIC table: checked in validate's own parse
    for check_id, c in local.items():
        if check_id != WAIVED:
            assert c["status"] == "skipped" and "site tables are checked in a database" in c["message"]
