"""Which files are read: staged only, given paths, synthetic markers, allow patterns; and argument errors."""

from __future__ import annotations

import json

import pytest

from mimic_qa.errors import UsageError
from mimic_qa.guard import run_guard, strip_outputs
from mimic_qa.guard.config import GuardConfig, load_config
from mimic_qa.sources.layout import SYNTH_MARKER
from mimic_qa.synth import generate
from tests.cli import run_cli
from tests.guard.mimic_like import dataframe_output, git, init_repo, notebook, write_csv


def paths(result) -> list[str]:
    return sorted(f.path for f in result.findings)


def test_staged_scans_only_what_is_staged(tmp_path):
    repo = init_repo(tmp_path / "r")
    write_csv(repo / "staged.csv", "icustays", 10)
    write_csv(repo / "untracked.csv", "icustays", 10)
    git(repo, "add", "staged.csv")
    assert paths(run_guard([], staged=True, cwd=repo)) == ["staged.csv"]
    assert paths(run_guard([], cwd=repo)) == ["staged.csv", "untracked.csv"]  # the work tree: both


def test_given_folder_inside_a_repository_respects_gitignore(tmp_path):
    repo = init_repo(tmp_path / "r")
    (repo / ".gitignore").write_text("*.local.csv\n", encoding="utf-8")
    write_csv(repo / "data/a.local.csv", "icustays", 10)
    write_csv(repo / "data/b.csv", "icustays", 10)
    assert paths(run_guard([repo / "data"], cwd=repo)) == ["data/b.csv"]
    assert paths(run_guard([repo / "data/a.local.csv"], cwd=repo)) == ["data/a.local.csv"]  # named: read


def test_folder_outside_git_is_walked(tmp_path):
    write_csv(tmp_path / "x/y/z.tsv", "icustays", 10, delimiter="\t")
    result = run_guard([tmp_path / "x"], cwd=tmp_path)
    assert paths(result) == ["x/y/z.tsv"]


def test_synthetic_marker_skips_the_folder_below_it(tmp_path):
    repo = init_repo(tmp_path / "r")
    synth = repo / "fixtures/mimic"
    write_csv(synth / "hosp/admissions.csv", "admissions", 10)
    (synth / SYNTH_MARKER).write_text("{}", encoding="utf-8")
    write_csv(repo / "fixtures/other.csv", "admissions", 10)
    result = run_guard([], cwd=repo)
    assert paths(result) == ["fixtures/other.csv"]
    assert sorted((s.path, s.reason) for s in result.skipped) == [
        ("fixtures/mimic/hosp/admissions.csv", "synthetic"), (f"fixtures/mimic/{SYNTH_MARKER}", "synthetic")]
    (synth / SYNTH_MARKER).unlink()
    assert paths(run_guard([], cwd=repo)) == ["fixtures/mimic/hosp/admissions.csv", "fixtures/other.csv"]


def test_real_synth_output_is_skipped_by_its_marker(tmp_path):
    repo = init_repo(tmp_path / "r")
    out = repo / "tests/data/mimic"
    out.parent.mkdir(parents=True)
    generate(out, scale=0.001, seed=1)
    assert (out / SYNTH_MARKER).is_file()
    result = run_guard([], cwd=repo)
    assert result.findings == []
    assert result.skipped and {s.reason for s in result.skipped} == {"synthetic"}
    (out / SYNTH_MARKER).unlink()
    flagged = run_guard([], cwd=repo)
    assert {f.path.split("/")[3] for f in flagged.findings} >= {"hosp", "icu"}


def test_allow_patterns():
    cfg = GuardConfig(allow=["tests/fixtures/", "*.example.csv"])
    assert cfg.allowed("tests/fixtures/a/b.csv")
    assert cfg.allowed("data/cohort.example.csv")
    assert not cfg.allowed("tests/other/b.csv")


@pytest.mark.parametrize("text, message", [
    ("allow: tests/\n", "allow"),
    ("min_rows: 0\n", "min_rows"),
    ("allowed: [x]\n", "allowed"),
    ("allow: [unclosed\n", "not valid YAML"),
    ("- a\n- b\n", "expected a mapping"),
])
def test_bad_config_is_a_usage_error(tmp_path, text, message):
    path = tmp_path / "guard.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_config(path, tmp_path)


@pytest.mark.parametrize("args, message", [
    (("guard", "no/such/path"), "no/such/path: no such file or directory"),
    (("guard", "--staged"), "--staged needs a git repository"),
    (("guard", "--format", "xml", "."), "unknown format 'xml'"),
    (("guard", "--config", "notes.txt", "."), "notes.txt: bad config"),
    (("guard", "--strip-outputs"), "--strip-outputs needs one or more notebook paths"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, args, message):
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    done = run_cli(*args, cwd=str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_config_and_non_notebooks_are_usage_errors(tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    with pytest.raises(UsageError, match="missing.yaml: config file not found"):
        run_guard([], config=tmp_path / "missing.yaml", cwd=tmp_path)
    with pytest.raises(UsageError, match="not a Jupyter notebook"):
        strip_outputs(tmp_path / "notes.txt")


def test_strip_outputs_clears_a_notebook_in_place(tmp_path):
    nb = notebook(tmp_path / "labs.ipynb", [dataframe_output("labevents", 20)])
    assert len(run_guard([nb], cwd=tmp_path).findings) == 1
    done = run_cli("guard", "--strip-outputs", str(nb), cwd=str(tmp_path))
    assert done.returncode == 0 and "cleared 1 output(s)" in done.stdout
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert code[0]["source"]  # the code itself is kept
    assert run_guard([nb], cwd=tmp_path).findings == []


def test_sarif_output_shape(tmp_path):
    write_csv(tmp_path / "cohort.csv", "icustays", 10)
    notebook(tmp_path / "labs.ipynb", [dataframe_output("labevents", 20)])
    done = run_cli("guard", "--format", "sarif", ".", cwd=str(tmp_path))
    assert done.returncode == 1
    sarif = json.loads(done.stdout)
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    results = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in run["results"]}
    assert set(results) == {"cohort.csv", "labs.ipynb"}
    assert {r["ruleId"] for r in results.values()} <= rule_ids
    assert results["cohort.csv"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    assert results["labs.ipynb"]["message"]["text"].startswith("cell 1, output 0: 20 rows")
    assert results["labs.ipynb"]["properties"] == {"rows": 20, "cell": 1, "output": 0}
