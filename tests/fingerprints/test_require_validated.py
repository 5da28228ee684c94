"""``mimic_qa.require_validated(source, results)`` from analysis code: it passes on the copy that passed and raises
``NotValidated`` naming the changed tables (never a value), or when the results did not pass the gate; a kept
database answers for the results of the release folder it was built from. And a release folder's re-run: reused
whole when no file changed, checked again whole when one did."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import duckdb
import pytest

import mimic_qa
from mimic_qa.errors import ExitCode, MimicQAError
from tests.fingerprints.conftest import TABLES


def edited_copy(kept: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(kept, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE mimiciv_hosp.d_labitems SET label = label || 'x' WHERE itemid = "
                    "(SELECT min(itemid) FROM mimiciv_hosp.d_labitems)")
    return copy


def test_the_copy_that_passed_passes(kept, baseline):
    run = mimic_qa.require_validated(kept, baseline)
    assert run.summary.ok and sorted(run.fingerprints) == sorted(TABLES)
    assert mimic_qa.require_validated(str(kept), mimic_qa.validate(kept, checks="sql")).summary.ok  # a result object


def test_one_edited_value_raises_naming_its_table_only(kept, baseline, tmp_path):
    copy = edited_copy(kept, tmp_path)
    with pytest.raises(mimic_qa.NotValidated) as raised:
        mimic_qa.require_validated(copy, baseline)
    assert raised.value.changed == ["d_labitems"]
    assert isinstance(raised.value, MimicQAError) and raised.value.exit_code == ExitCode.FAILED
    with duckdb.connect(str(copy), read_only=True) as con:
        label = con.execute("SELECT label FROM mimiciv_hosp.d_labitems ORDER BY itemid LIMIT 1").fetchone()[0]
    assert label not in str(raised.value) and str(raised.value).endswith(": d_labitems")
    mimic_qa.require_validated(copy, baseline, tables=["patients", "labevents"])  # the tables an analysis reads


def test_results_that_failed_the_gate_raise(kept, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(kept, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("DELETE FROM mimiciv_hosp.patients WHERE subject_id = (SELECT min(subject_id) FROM "
                    "mimiciv_hosp.admissions)")
    failed = mimic_qa.validate(copy, checks="sql")
    assert not failed.ok
    with pytest.raises(mimic_qa.NotValidated, match=r"did not pass the gate \(--fail-on error\).*"
                                                    r"hosp\.admissions\.fk\.subject_id"):
        mimic_qa.require_validated(copy, failed)
    with pytest.raises(mimic_qa.NotValidated, match="not validated by these results: omr"):
        mimic_qa.require_validated(kept, kept.with_name("folder.json"), tables=["omr"])  # not among those validated


def test_a_kept_database_answers_for_its_release_folder_results(kept, real_demo, tmp_path):
    folder_results = kept.with_name("folder.json")
    assert mimic_qa.require_validated(real_demo, folder_results).summary.ok  # the files themselves
    assert mimic_qa.require_validated(kept, folder_results).summary.ok  # the database built from them, unchanged
    with pytest.raises(mimic_qa.NotValidated) as raised:
        mimic_qa.require_validated(edited_copy(kept, tmp_path), folder_results)
    assert raised.value.changed == ["d_labitems"]


def test_a_release_folder_is_reused_whole_or_checked_again_whole(kept, real_demo, tmp_path):
    folder_results = kept.with_name("folder.json")
    same = mimic_qa.validate(real_demo, tables=TABLES, checks="sql", reuse=folder_results).run
    assert same.reuse.reason is None and all(c.reused for c in same.checks)
    # the demo again, its files linked, but one file whose first label has one more character
    copy = tmp_path / "demo"
    shutil.copytree(real_demo, copy, copy_function=os.symlink)
    labitems = copy / "hosp" / "d_labitems.csv.gz"
    lines = gzip.decompress(labitems.read_bytes()).decode("utf-8").splitlines(keepends=True)
    first = lines[1].split(",")
    first[1] += "x"
    lines[1] = ",".join(first)
    labitems.unlink()
    labitems.write_bytes(gzip.compress("".join(lines).encode("utf-8")))
    changed = mimic_qa.validate(copy, tables=TABLES, checks="sql", reuse=folder_results).run
    assert changed.reuse.tables_changed == ["d_labitems"] and not any(c.reused for c in changed.checks)
    assert changed.reuse.reason == "a release folder is checked again whole when a file changed"
    with pytest.raises(mimic_qa.NotValidated, match="d_labitems$"):
        mimic_qa.require_validated(copy, folder_results)
