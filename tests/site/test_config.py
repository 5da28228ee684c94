"""The configuration file: found walking up from the working directory, every bad key one line, and the
settings' sources as `mimic-qa config` shows them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from mimic_qa.cli import app
from mimic_qa.config import find_config
from tests.cli import run_cli


def test_the_nearest_file_is_found_walking_up(tmp_path):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[tool.mimic-qa]\nfail-on = "warning"\n')
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (deep / "pyproject.toml").write_text('[project]\nname = "x"\n')  # no [tool.mimic-qa]: not a configuration
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "mimic-qa.toml").write_text('fail-on = "info"\n')
    assert find_config(deep) == tmp_path / "a" / "mimic-qa.toml"
    (deep / "pyproject.toml").write_text('[tool.mimic-qa]\nengine = "duckdb"\n')
    assert find_config(deep) == deep / "pyproject.toml"
    (deep / "mimic-qa.toml").write_text("")
    assert find_config(deep) == deep / "mimic-qa.toml"  # beside a pyproject.toml, mimic-qa.toml wins


def _setting(output: str, name: str) -> str:
    """The settings table's row (or line) of one setting."""
    return next(line for line in output.splitlines() if line.startswith(f"{name} "))


def test_config_says_where_each_setting_came_from(tmp_path, monkeypatch):
    (tmp_path / "mimic-qa.toml").write_text(
        'exclude-tables = ["chartevents"]\nfail-on = "warning"\n[outputs]\njson = "out/results.json"\n')
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    done = CliRunner().invoke(app, ["config", "--engine", "duckdb"], env={"COLUMNS": "250"})
    assert done.exit_code == 0, done.output
    where = str(tmp_path / "mimic-qa.toml")
    assert f"configuration file: {where}" in done.output
    assert "chartevents" in _setting(done.output, "exclude-tables") and where in _setting(done.output, "exclude-tables")
    assert "warning" in _setting(done.output, "fail-on") and where in _setting(done.output, "fail-on")
    assert "duckdb" in _setting(done.output, "engine") and "command line" in _setting(done.output, "engine")
    assert "default" in _setting(done.output, "release")
    # a relative path is relative to the file's folder, not to the working directory
    assert str(tmp_path / "out" / "results.json") in _setting(done.output, "outputs.json")


BAD = {  # a bad key -> the line that names it
    'relase = "3.1"': "relase: unknown key (did you mean release?)",
    'fail-on = "fatal"': "fail-on:",
    'engine = "oracle"': "engine:",
    'tables = "patients"': "tables:",
    '[outputs]\njsn = "r.json"': "outputs.jsn: unknown key (did you mean json?)",
    '[[waivers]]\ncheck = "hosp.*"\nreason = "r"\nowner = "o"\nexpires = "soon"': "waivers[0].expires:",
    '[[local-checks]]\nkind = "pk"\ntable = "icustays"\ncolumn = "stay_id"':
        "local-checks[0] (pk on icustays): column does not apply",
}


def test_every_bad_key_is_one_line_and_nothing_runs(tmp_path):
    config = tmp_path / "mimic-qa.toml"
    # the TOML tables last, so that each key lands where it is written
    config.write_text("\n".join(sorted(BAD, key=lambda k: k.startswith("["))) + "\n")
    done = run_cli("validate", str(tmp_path / "no-such-copy"), "--config", str(config), cwd=str(tmp_path))
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == len(BAD)
    for line in lines:
        assert line.startswith(f"mimic-qa: error: {config}: ")
    for expected in BAD.values():
        assert sum(expected in line for line in lines) == 1, expected


def test_a_malformed_local_check_is_one_error_before_anything_runs(tmp_path):
    config = tmp_path / "site.toml"
    config.write_text('[site-tables.cohort]\nschema = "mimiciv_derived"\ncolumns = ["subject_id", "stay_id"]\n'
                      '[[local-checks]]\nkind = "fk"\ntable = "cohort"\ncolumns = ["stay_id"]\nref-table = "icustay"\n')
    for args in (["validate", str(tmp_path / "no-such-copy")], ["checks"]):
        done = run_cli(*args, "--config", str(config))
        assert done.returncode == 2, done.stderr
        assert done.stderr.splitlines() == [
            f"mimic-qa: error: {config}: local-checks[0] (fk on cohort): ref-table 'icustay' is neither a MIMIC table "
            "nor one of site-tables (did you mean icustays?)"]


def test_a_pyproject_without_the_table_named_by_config_is_an_error(tmp_path):
    project = tmp_path / "pyproject.toml"
    project.write_text('[project]\nname = "x"\n')
    done = run_cli("config", "--config", str(project))
    assert done.returncode == 2
    assert done.stderr.strip() == f"mimic-qa: error: {project}: no [tool.mimic-qa] table"


def test_checks_lists_the_local_checks_in_the_catalogue(tmp_path):
    config = tmp_path / "mimic-qa.toml"
    config.write_text('[[local-checks]]\nkind = "unique"\ntable = "icustays"\ncolumns = ["hadm_id"]\n'
                      '[[local-checks]]\nkind = "rule"\ntable = "admissions"\nname = "short_stay"\n'
                      'expr = "dischtime - admittime < INTERVAL 365 DAY"\nseverity = "warning"\n')
    done = CliRunner().invoke(app, ["checks", "--config", str(config), "--local"], env={"COLUMNS": "250"})
    assert done.exit_code == 0, done.output
    assert "local.icustays.unique.hadm_id" in done.output and "local.admissions.rule.short_stay" in done.output
    whole = CliRunner().invoke(app, ["checks", "--config", str(config), "--table", "icustays"], env={"COLUMNS": "250"})
    assert "icu.icustays.pk" in whole.output and "local.icustays.unique.hadm_id" in whole.output
    page = CliRunner().invoke(app, ["checks", "--config", str(config), "--markdown"]).output
    assert '<a id="local.admissions.rule.short_stay"></a>' in page and "(checks.md#kind-rule)" in page
    assert Path(config).name in page


def test_the_readme_example_is_a_valid_configuration(tmp_path):
    from mimic_qa.config import load_config

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = next(b for b in readme.split("```toml\n")[1:] if b.startswith("# mimic-qa.toml")).split("```")[0]
    (tmp_path / "mimic-qa.toml").write_text(example)
    site = load_config(tmp_path / "mimic-qa.toml")
    assert [c.id for c in site.local.checks] == ["local.first_icu_stay.pk", "local.first_icu_stay.row_count",
                                                 "local.icustays.unique.hadm_id"]
    assert [w.check for w in site.waivers] == ["local.icustays.unique.hadm_id"]
    assert site.settings["exclude-tables"] == ["chartevents"] and site.settings["history"] == str(tmp_path / "qa-history")
    assert site.options() == {"exclude_tables": ["chartevents"], "fail_on": "error",
                              "history": str(tmp_path / "qa-history")}
