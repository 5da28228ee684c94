"""guard and the open demo: its published files are noted as open data (info); anything else stays a finding."""

from __future__ import annotations

import json
import shutil
import subprocess

from tests.cli import run_cli
from tests.damage import ReleaseCopy


def _repo(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def test_published_demo_files_are_open_data_not_leaks(real_demo, tmp_path):
    repo = _repo(tmp_path)
    for rel in ("hosp/admissions.csv.gz", "hosp/labevents.csv.gz", "icu/icustays.csv.gz"):
        (repo / "data").mkdir(exist_ok=True)
        shutil.copy(real_demo / rel, repo / "data" / rel.split("/")[1])
    done = run_cli("guard", ".", "--format", "json", cwd=str(repo))
    assert done.returncode == 0, done.stdout
    report = json.loads(done.stdout)
    assert report["found"] is False
    found = {f["path"]: f for f in report["findings"]}
    assert set(found) == {"data/admissions.csv.gz", "data/labevents.csv.gz", "data/icustays.csv.gz"}
    for f in found.values():
        assert (f["kind"], f["level"]) == ("open-data-file", "info")
        assert "ODbL" in f["reason"] and "10.13026/dp1f-ex47" in f["reason"]
    text = run_cli("guard", ".", cwd=str(repo))
    assert text.returncode == 0 and "3 open-access demo files noted (info)" in text.stdout


def test_demo_rows_that_are_not_the_published_file_are_still_findings(real_demo, tmp_path):
    """The demo's 100 patients are in the credentialed release too: rows are never judged open by their ids."""
    copy = ReleaseCopy(real_demo, tmp_path / "copy", tables=["admissions"])
    damage = copy.delete_rows("admissions", lambda r: r["hadm_id"].endswith("7"))
    assert damage.rows > 0
    repo = _repo(tmp_path)
    shutil.copy(copy.path("admissions"), repo / "admissions.csv.gz")
    done = run_cli("guard", ".", "--format", "json", cwd=str(repo))
    assert done.returncode == 1
    (finding,) = json.loads(done.stdout)["findings"]
    assert (finding["kind"], finding["level"], finding["table"]) == ("data-rows", "error", "hosp.admissions")
