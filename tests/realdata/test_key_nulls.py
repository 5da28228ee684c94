"""Keys with a NULL part, on a copy of the real demo, checked both ways (the default path and ``--checks sql``):

- procedures_icd's declared primary key is (hadm_id, seq_num, icd_code, icd_version); icd_code may be NULL as a
  column, yet not inside a declared key (constraint.sql's PRIMARY KEY implies NOT NULL). Rows with the code blanked
  fail the key (each key value with a NULL part), and neither the column's not-null (it is nullable) nor the
  reference to d_icd_procedures (a NULL reference passes).
- an outputevents row with its hadm_id blanked still names its ICU stay, whose admission it no longer carries: the
  row fails the stay's identity (no admission is not the stay's admission) and hadm_id's not-null, while the
  admission's identity and foreign key pass (a NULL key names no row).

Every count is taken in the damaged files by this test; nothing else fails but the demo's known quirks.
"""

from __future__ import annotations

import pytest

from tests.cli import unexplained_failures, validate_json
from tests.damage import ReleaseCopy
from tests.realdata.counting import Files, duplicated_keys

TABLES = ["procedures_icd", "patients", "admissions", "d_icd_procedures", "outputevents", "icustays", "d_items"]


@pytest.fixture(scope="module")
def blanked(real_demo, tmp_path_factory) -> tuple[ReleaseCopy, dict[str, int]]:
    copy = ReleaseCopy(real_demo, tmp_path_factory.mktemp("keys") / "copy", tables=TABLES)
    copy.update("procedures_icd", lambda r: {"icd_code": ""}, lambda r: r["icd_code"] != "", limit=3)
    copy.update("outputevents", lambda r: {"hadm_id": ""}, lambda r: True, limit=2)
    files = Files(copy)
    procedures, outputs = files.rows("procedures_icd"), files.rows("outputevents")
    stays = {s["stay_id"]: s for s in files.rows("icustays")}
    expected = {
        "hosp.procedures_icd.pk": duplicated_keys(procedures, ["hadm_id", "seq_num", "icd_code", "icd_version"], True),
        "icu.outputevents.not_null.hadm_id": sum(1 for r in outputs if r["hadm_id"] == ""),
        "icu.outputevents.identity.stay_id": sum(
            1 for r in outputs if r["stay_id"] in stays
            and (stays[r["stay_id"]]["subject_id"], stays[r["stay_id"]]["hadm_id"]) != (r["subject_id"], r["hadm_id"])),
    }
    assert list(expected.values()) == [3, 2, 2]  # the demo has no NULL in these columns of its own
    return copy, expected


@pytest.mark.parametrize("checks", ["all", "sql"])
def test_keys_with_a_null_part(blanked, tmp_path, checks):
    copy, expected = blanked
    done, run = validate_json(copy.root, TABLES, tmp_path / "run.json", "--checks", checks)
    assert unexplained_failures(run) == expected, done.stdout[-2000:]
    assert all(run[i]["severity"] == "error" for i in expected) and done.returncode == 1
    assert run["icu.outputevents.identity.hadm_id"]["status"] == run["icu.outputevents.fk.hadm_id"]["status"] == "passed"
