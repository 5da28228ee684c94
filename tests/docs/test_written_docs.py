"""The hand-written pages only name check ids that exist, and link to anchors the catalogue has."""

from __future__ import annotations

import fnmatch
import re

import pytest

from mimic_qa.checks import build_catalog
from mimic_qa.docs import CHECKS_PAGE
from mimic_qa.spec import load_spec
from tests.docs.conftest import DOCS, ROOT

CHECK_LINK = re.compile(r"\]\(checks\.md#([^)]+)\)")
ID_IN_CODE = re.compile(r"`((?:hosp|icu|release|\*)\.[a-z0-9_.*]+)`")
FAILURE_CLASSES = ("Wrong release", "Truncated", "Encoding", "CHAR padding", "NULL versus empty string",
                   "4 GB COPY", "BigQuery dataset names")


@pytest.mark.parametrize("page", ["troubleshooting.md", "tutorial.md"])
def test_links_into_the_catalogue_resolve(page):
    catalogue = (DOCS / CHECKS_PAGE).read_text(encoding="utf-8")
    links = CHECK_LINK.findall((DOCS / page).read_text(encoding="utf-8"))
    assert links or page == "tutorial.md"
    for anchor in links:
        assert f'<a id="{anchor}"></a>' in catalogue or anchor.startswith("known-quirks"), anchor


def test_troubleshooting_names_only_real_check_ids():
    ids = [c.id for c in build_catalog(load_spec())]
    named = ID_IN_CODE.findall((DOCS / "troubleshooting.md").read_text(encoding="utf-8"))
    assert len(named) >= 20
    for pattern in named:
        assert fnmatch.filter(ids, pattern), f"{pattern} matches no check id"


def test_troubleshooting_covers_the_failure_classes_users_hit():
    headings = [line for line in (DOCS / "troubleshooting.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("## ")]
    for name in FAILURE_CLASSES:
        assert any(name.lower() in h.lower() for h in headings), name
    text = (DOCS / "troubleshooting.md").read_text(encoding="utf-8")
    assert "mimiciv_3_1_hosp" in text and "bigquery://physionet-data/latest" in text
    assert "this copy looks like MIMIC-IV v2.2" in text


def test_readme_points_to_the_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("docs/checks.md", "docs/tutorial.md", "docs/troubleshooting.md", "docs/cli.md", "docs/json-output.md"):
        assert page in readme


def _fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_names_what_ci_installs_for_the_tests():
    """Java (Spark), PostgreSQL and Chromium come from Debian in CI: a reader running the tests must learn it."""
    packages = re.search(r"APT_PACKAGES=\(([^)]*)\)", (ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert packages, ".ci/run lists its Debian packages in APT_PACKAGES"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.partition("## Set up")[2].partition("\n## ")[0]
    for name in packages.group(1).split():
        assert f"`{name}`" in setup, f"the README's set-up section does not name {name}"
    assert "Java" in setup and "Spark" in setup


def test_readme_pre_commit_configs_use_hooks_and_revisions_that_exist():
    """Every .pre-commit-config the README shows parses, names this repository's hook, and pins either a tag that
    exists or a commit the reader fills in (a made-up tag makes pre-commit fail on the first commit)."""
    import subprocess

    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    tags = set(subprocess.run(["git", "tag", "--list"], cwd=ROOT, capture_output=True, text=True).stdout.split())
    configs = [yaml.safe_load(b) for b in _fenced((ROOT / "README.md").read_text(encoding="utf-8"), "yaml")
               if b.startswith("repos:")]
    assert len(configs) >= 2
    for config in configs:
        for repo in config["repos"]:
            assert [h["id"] for h in repo["hooks"]] == [hook["id"]]
            if repo["repo"] == "local":
                assert repo["hooks"][0]["entry"] == hook["entry"] and repo["hooks"][0]["language"] == "system"
            else:
                assert repo["rev"] in tags or repo["rev"] == "<full commit hash>", repo["rev"]
