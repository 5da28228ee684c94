"""The pre-commit hook as users configure it blocks a commit of a leaking file (offline: a local system hook)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.guard.mimic_like import GIT_ENV, git, init_repo, write_csv

ROOT = Path(__file__).resolve().parents[2]


def hook_config() -> str:
    """.pre-commit-hooks.yaml's hook, run from this interpreter instead of a venv pre-commit would build."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "mimic-qa guard"
    local = {**hook, "language": "system", "entry": f"{sys.executable} -m mimic_qa guard"}
    for key in ("description", "additional_dependencies"):  # a system hook installs nothing
        local.pop(key, None)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]})


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    return subprocess.run(list(args), cwd=repo, capture_output=True, text=True, env=env, timeout=300,
                          check=False)


def test_pre_commit_blocks_a_leaking_file(tmp_path):
    import pre_commit  # noqa: F401  (in the test extra)
    repo = init_repo(tmp_path / "repo")
    (repo / ".pre-commit-config.yaml").write_text(hook_config(), encoding="utf-8")
    (repo / "analysis.py").write_text("import duckdb\nprint(duckdb.sql('SELECT 42'))\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")

    write_csv(repo / "cohort.csv", "icustays", 50)
    git(repo, "add", "cohort.csv")
    done = run(repo, sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "mimic-qa guard" in done.stdout and "Failed" in done.stdout
    assert "cohort.csv: line 2: 50 rows look like MIMIC-IV data" in done.stdout

    assert run(repo, sys.executable, "-m", "pre_commit", "install").returncode == 0
    commit = run(repo, "git", "commit", "-m", "add cohort")
    assert commit.returncode != 0
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"  # nothing was committed

    git(repo, "rm", "-q", "--cached", "cohort.csv")
    (repo / "notes.md").write_text("Cohort: first ICU stays (subject_id, hadm_id, stay_id).\n", encoding="utf-8")
    git(repo, "add", "notes.md")
    ok = run(repo, "git", "commit", "-m", "notes")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "2"
