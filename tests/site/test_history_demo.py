"""Three runs of a copy of the real demo kept in a history folder (pristine, damaged, repaired): what the report
and `mimic-qa history` say changed, and the report's "since last run" section and trend pictures drawn by headless
Chromium. What must change comes from the damage record and the files, never from mimic-qa."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from mimic_qa.history import compare, load_runs
from mimic_qa.reports.charts import COLORS, ROWS_LINE
from tests.cli import run_cli
from tests.damage import ReleaseCopy
from tests.reports.browser import FLAGS, chromium, screenshot

TABLES = ["patients", "admissions", "icustays", "transfers"]
SUBJECT = "10000032"


def _validate(copy: Path, history: Path, out: Path) -> dict:
    done = run_cli("validate", str(copy), "--tables", ",".join(TABLES), "--checks", "sql", "--history", str(history),
                   "--json", str(out / "results.json"), "--report-dir", str(out))
    assert done.returncode in (0, 1), done.stderr
    return json.loads((out / "results.json").read_text())


def _box(page: Path, selector: str) -> tuple[int, int, int, int]:
    """Where ``selector`` is drawn in a 1280-pixel-wide window (read by a script added to a copy of the page)."""
    with tempfile.TemporaryDirectory(prefix="mimic-qa-box-") as tmp:
        probe = Path(tmp) / page.name
        probe.write_text(page.read_text().replace("</body>", (
            f"<script>const r = document.querySelector('{selector}').getBoundingClientRect();"
            "document.body.dataset.box = [r.left, r.top, r.right, r.bottom].map(Math.round).join(',')</script></body>")))
        with tempfile.TemporaryDirectory(prefix="mimic-qa-chromium-") as profile:
            proc = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1000",
                                   "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=90)
    found = re.search(r'data-box="(-?\d+),(-?\d+),(-?\d+),(-?\d+)"', proc.stdout)
    assert found, proc.stderr[-2000:]
    return tuple(int(n) for n in found.groups())  # type: ignore[return-value]


def _share(image: Image.Image, colour: str, box: tuple[int, int, int, int]) -> float:
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(image.crop(box).convert("RGB"), dtype=np.int16)
    return float((np.abs(pixels - rgb).sum(axis=2) < 24).mean())


def test_three_runs_pristine_damaged_repaired(real_demo, tmp_path):
    copy = ReleaseCopy(real_demo, tmp_path / "copy", tables=TABLES)
    history = tmp_path / "history"
    referencing = {}  # table -> rows naming the patient the damage removes, counted in the files
    for table in TABLES[1:]:
        header, records = copy.records(table)
        at = header.index("subject_id")
        referencing[copy.qualified(table)] = sum(r[at] == SUBJECT for r in records)
    pristine = copy.path("patients").read_bytes()

    first = _validate(copy.root, history, tmp_path / "run1")
    assert first["history"]["since_last_run"] is None and first["summary"]["ok"]
    damage = copy.delete_rows("patients", lambda r: r["subject_id"] == SUBJECT)
    second = _validate(copy.root, history, tmp_path / "run2")
    copy.path("patients").write_bytes(pristine)
    copy._update_sum(copy.path("patients"))
    third = _validate(copy.root, history, tmp_path / "run3")

    broken = {"hosp.patients.row_count"} | {f"{t}.fk.subject_id" for t, n in referencing.items() if n}
    assert len(broken) == 4  # the patient has admissions, transfers and ICU stays
    since = second["history"]["since_last_run"]
    assert {c["id"] for c in since["newly_failing"]} == broken and not since["fixed"] and not since["still_failing"]
    assert {c["id"]: c["after"] for c in since["newly_failing"] if ".fk." in c["id"]} == \
        {f"{t}.fk.subject_id": n for t, n in referencing.items()}
    assert since["row_changes"] == [{"table": "patients", "before": 100, "after": 100 - damage.rows}]
    back = third["history"]["since_last_run"]
    assert {c["id"] for c in back["fixed"]} == broken and not back["newly_failing"] and not back["still_failing"]
    assert back["row_changes"] == [{"table": "patients", "before": 100 - damage.rows, "after": 100}]
    assert [p["failing"]["patients"] for p in third["history"]["trend"]] == [0, 1, 0]
    assert [p["blocking"]["patients"] for p in third["history"]["trend"]] == [0, 1, 0]
    assert [p["rows"]["patients"] for p in third["history"]["trend"]] == [100, 100 - damage.rows, 100]

    # kept files hold ids and counts only: no message, no sample
    kept = next((history / "runs").glob("*.json")).read_text()
    assert '"message"' not in kept and '"samples"' not in kept

    listing = run_cli("history", str(history))
    assert listing.returncode == 0
    assert re.findall(r"\b(PASS|FAIL)\b", listing.stdout) == ["PASS", "FAIL", "PASS"]
    both = run_cli("history", str(history), "--compare", "1", "3")
    assert "0 newly failing, 0 fixed, 0 still failing; rows changed in 0 table(s)" in both.stdout

    # the repaired run's report, in headless Chromium: the section, and the trend pictures with the damaged run's
    # failing checks as red bars beside the rows line
    page = tmp_path / "run3" / "report.html"
    html = page.read_text()
    assert 'id="since-last-run"' in html and html.count('class="trend"') == len(TABLES)
    box = _box(page, ".trends")
    png = screenshot(page, tmp_path / "run3.png", 1280, box[3] + 40)
    image = Image.open(png)
    assert _share(image, COLORS["error"][0], box) > 0.001  # the red bars of the damaged run
    assert _share(image, ROWS_LINE, box) > 0.001  # the rows lines
    assert _share(image, COLORS["error"][0], (0, 0, 1280, box[1])) < 0.001  # nothing red above them: a PASS


def test_runs_of_different_releases_are_compared_with_that_said(tmp_path):
    from mimic_qa.history.store import KeptCheck, KeptRun

    def run(release: str, status: str) -> KeptRun:
        return KeptRun(id=release, started_at="2026-01-01T00:00:00+00:00", finished_at="2026-01-01T00:00:01+00:00",
                       duration_seconds=1, tool_version="0", spec_version=1, command="c", source="s",
                       source_kind="directory", release=release, releases={"mimiciv": release}, fail_on="error",
                       ok=status == "passed", rows={"patients": 100 if release == "demo-2.2" else 364627},
                       checks={"hosp.patients.row_count": KeptCheck(status=status, severity="error")})

    below = run("3.1", "failed")
    below.checks["hosp.omr.pk"] = KeptCheck(table="omr", status="failed", severity="warning", failing_rows=2)
    below.checks["hosp.patients.row_count"].table = "patients"
    assert below.failing_per_table() == {"patients": 1, "omr": 1}
    assert below.failing_per_table(blocking=True) == {"patients": 1, "omr": 0}  # a warning below the error gate
    c = compare(run("demo-2.2", "passed"), run("3.1", "failed"))
    assert not c.same_release and c.note is not None and "demo-2.2" in c.note and "3.1" in c.note
    assert [x.id for x in c.newly_failing] == ["hosp.patients.row_count"]
    assert load_runs(tmp_path / "none") == []
    shutil.rmtree(tmp_path, ignore_errors=True)
