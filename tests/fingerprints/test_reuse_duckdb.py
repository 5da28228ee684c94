"""``validate --reuse`` on a kept DuckDB database of the real demo: an unchanged copy reuses the earlier verdict and
says so; one value edited, one row added, one row deleted are each noticed, and only the checks that depend on the
changed table run again, with the outcome the edit implies (counted from the demo's files)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import duckdb

import mimic_qa
from mimic_qa.results import RunResult
from tests.cli import run_cli
from tests.fingerprints.conftest import TABLES, expected_rerun, ids_of, outcome


def changed_copy(kept: Path, tmp_path: Path, statement: str) -> Path:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(kept, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(statement)
    return copy


def same_as_before(run: RunResult, baseline: Path) -> None:
    """Every reused check carries the earlier run's outcome."""
    before = {c["id"]: (c["status"], c["failing_rows"]) for c in json.loads(baseline.read_text())["checks"]}
    assert {c.id: (c.status.value, c.failing_rows) for c in run.checks if c.reused} == \
        {i: before[i] for i in ids_of(run, reused=True)}


def test_an_unchanged_copy_reuses_the_verdict_and_says_so(kept, baseline, tmp_path):
    out = tmp_path / "again.json"
    done = run_cli("validate", str(kept), "--checks", "sql", "--reuse", str(baseline), "--json", str(out))
    assert done.returncode == 0, done.stderr
    run = RunResult.model_validate_json(out.read_text())
    assert sorted(run.reuse.tables_reused) == sorted(TABLES) and run.reuse.tables_changed == []
    assert run.reuse.reason is None and run.reuse.checks_run == 0
    assert all(c.reused for c in run.checks) and run.reuse.checks_reused == len(run.checks)
    same_as_before(run, baseline)
    assert run.fingerprint == json.loads(baseline.read_text())["fingerprint"]
    said = " ".join(done.stdout.split())  # the summary wraps at the terminal's width
    assert f"for {len(TABLES)} unchanged table(s): {len(run.checks)} checks reused, 0 run; no table changed" in said


def test_one_value_edited_is_caught_and_only_its_dependents_rerun(kept, baseline, demo_rows, tmp_path):
    itemid, labs = Counter(r["itemid"] for r in demo_rows["labevents"]).most_common(1)[0]
    copy = changed_copy(kept, tmp_path, f"UPDATE mimiciv_hosp.d_labitems SET itemid = 99999999 WHERE itemid = {itemid}")
    run = mimic_qa.validate(copy, checks="sql", reuse=baseline).run
    assert run.reuse.tables_changed == ["d_labitems"]
    assert ids_of(run, reused=False) == expected_rerun(run, "d_labitems")
    assert outcome(run, "hosp.labevents.fk.itemid") == ("failed", labs)  # every lab of that item lost its parent
    same_as_before(run, baseline)


def test_an_added_row_is_caught(kept, baseline, demo_rows, tmp_path):
    hadm = demo_rows["admissions"][0]["hadm_id"]
    copy = changed_copy(kept, tmp_path, "INSERT INTO mimiciv_hosp.admissions "
                                        f"SELECT * FROM mimiciv_hosp.admissions WHERE hadm_id = {hadm}")
    run = mimic_qa.validate(copy, checks="sql", reuse=baseline).run
    assert run.reuse.tables_changed == ["admissions"]
    assert ids_of(run, reused=False) == expected_rerun(run, "admissions")
    assert outcome(run, "hosp.admissions.pk") == ("failed", 1)  # one key value held twice
    assert run.row_counts["admissions"]["observed"] == len(demo_rows["admissions"]) + 1


def test_a_deleted_row_is_caught(kept, baseline, demo_rows, tmp_path):
    subject, stays = Counter(r["subject_id"] for r in demo_rows["admissions"]).most_common(1)[0]
    labs = sum(r["subject_id"] == subject for r in demo_rows["labevents"])
    copy = changed_copy(kept, tmp_path, f"DELETE FROM mimiciv_hosp.patients WHERE subject_id = {subject}")
    result = mimic_qa.validate(copy, checks="sql", reuse=baseline)
    run = result.run
    assert run.reuse.tables_changed == ["patients"]
    assert ids_of(run, reused=False) == expected_rerun(run, "patients")
    assert outcome(run, "hosp.admissions.fk.subject_id") == ("failed", stays)
    assert outcome(run, "hosp.labevents.fk.subject_id") == ("failed", labs)
    assert not result.ok


def test_with_the_libraries_only_the_dependents_rerun_too(kept, tmp_path, demo_rows):
    """``--checks all``: pandera and GX take only the checks left to run (a relationship of an unchanged table)."""
    first = tmp_path / "all.json"
    first.write_text(mimic_qa.validate(kept, checks="all").run.model_dump_json())
    itemid, labs = Counter(r["itemid"] for r in demo_rows["labevents"]).most_common(1)[0]
    copy = changed_copy(kept, tmp_path, f"UPDATE mimiciv_hosp.d_labitems SET itemid = 99999999 WHERE itemid = {itemid}")
    run = mimic_qa.validate(copy, checks="all", reuse=first).run
    assert ids_of(run, reused=False) == expected_rerun(run, "d_labitems")
    assert outcome(run, "hosp.labevents.fk.itemid") == ("failed", labs)
    assert {c.engine for c in run.checks if not c.reused and c.status.value != "skipped"} >= {"pandera", "gx"}


def test_a_check_that_could_not_run_runs_again(kept, baseline, tmp_path):
    earlier = json.loads(baseline.read_text())
    broken = next(c for c in earlier["checks"] if c["id"] == "hosp.labevents.fk.itemid")
    broken.update(status="error", failing_rows=None, message="query failed on duckdb (OutOfMemoryException)")
    edited = tmp_path / "earlier.json"
    edited.write_text(json.dumps(earlier))
    run = mimic_qa.validate(kept, checks="sql", reuse=edited).run
    assert ids_of(run, reused=False) == {"hosp.labevents.fk.itemid"} and run.reuse.tables_changed == []
    assert outcome(run, "hosp.labevents.fk.itemid") == ("passed", 0)


def test_nothing_is_reused_from_another_mode_or_a_missing_file(kept, baseline, tmp_path):
    other = mimic_qa.validate(kept, checks="all", reuse=baseline).run
    assert other.reuse.reason == "the earlier run differs in: --checks mode" and not any(c.reused for c in other.checks)
    first = mimic_qa.validate(kept, checks="sql", reuse=tmp_path / "none-yet.json").run
    assert first.reuse.reason and first.reuse.earlier_started_at is None and first.reuse.checks_reused == 0


def test_the_quiet_verdict_says_what_was_reused(kept, baseline):
    done = run_cli("validate", str(kept), "--checks", "sql", "--reuse", str(baseline), "--quiet")
    assert done.returncode == 0 and done.stdout.startswith("PASS")
    checks = len(json.loads(baseline.read_text())["checks"])
    assert done.stdout.rstrip().endswith(f"gate: --fail-on error, {checks:,} reused]")


def test_a_file_that_is_not_results_is_one_line(kept, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    done = run_cli("validate", str(kept), "--reuse", str(bad))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is not a mimic-qa results file" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_the_history_says_whether_the_content_changed(kept, tmp_path):
    history = tmp_path / "history"
    mimic_qa.validate(kept, checks="sql", history=history)
    copy = changed_copy(kept, tmp_path, "DELETE FROM mimiciv_hosp.labevents WHERE labevent_id = "
                                        "(SELECT max(labevent_id) FROM mimiciv_hosp.labevents)")
    run = mimic_qa.validate(copy, checks="sql", history=history).run
    assert run.notes[0] == "changed since mimic-qa built this database: labevents"
    done = run_cli("history", str(history), "--compare", "1", "2")
    assert done.returncode == 0 and "the source's content is different (fingerprints)" in " ".join(done.stdout.split())


def test_the_report_says_what_was_reused(kept, baseline, tmp_path):
    from mimic_qa.reports import render_report

    run = mimic_qa.validate(kept, checks="sql", reuse=baseline).run
    paths = render_report(run, tmp_path / "report")
    for path in paths:
        if path.suffix in (".md", ".html"):
            text = " ".join(path.read_text().split())
            assert f"{len(run.checks)} checks from the run of {run.reuse.earlier_started_at}" in text, path
            assert f"{len(TABLES)} table(s) unchanged" in text


def test_a_parquet_folder_is_fingerprinted_in_place(kept, tmp_path):
    """Parquet read in place (views in DuckDB): one file rewritten with a row fewer is the one table re-checked."""
    root = tmp_path / "parquet"
    (root / "hosp").mkdir(parents=True)
    with duckdb.connect(str(kept), read_only=True) as con:
        for table in TABLES:
            con.execute(f"COPY mimiciv_hosp.{table} TO '{root / 'hosp' / table}.parquet' (FORMAT parquet)")
    first = tmp_path / "parquet.json"
    first.write_text(mimic_qa.validate(root, tables=TABLES, checks="sql").run.model_dump_json())
    again = mimic_qa.validate(root, tables=TABLES, checks="sql", reuse=first).run
    assert again.summary.source_kind == "parquet" and all(c.reused for c in again.checks)
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * FROM '{root}/hosp/d_labitems.parquet' WHERE itemid <> "
                    f"(SELECT max(itemid) FROM '{root}/hosp/d_labitems.parquet')) TO '{tmp_path}/d.parquet' "
                    "(FORMAT parquet)")
    shutil.move(tmp_path / "d.parquet", root / "hosp" / "d_labitems.parquet")
    changed = mimic_qa.validate(root, tables=TABLES, checks="sql", reuse=first).run
    assert changed.reuse.tables_changed == ["d_labitems"]
    assert ids_of(changed, reused=False) == expected_rerun(changed, "d_labitems")
