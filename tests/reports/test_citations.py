"""Citations come from the spec: text as PhysioNet gives it, BibTeX derived from that text, per release."""

from __future__ import annotations

import re

import pytest

from mimic_qa.reports.citations import bibtex_escape, references
from mimic_qa.reports.render import render_citations
from mimic_qa.spec import load_spec
from tests.cli import run_cli
from tests.reference import require_reference


def _entries(bib: str) -> dict[str, dict[str, str]]:
    """A minimal BibTeX reader: entries by key, fields with their outer braces removed."""
    out: dict[str, dict[str, str]] = {}
    for kind, key, body in re.findall(r"@(\w+)\{([^,]+),\n(.*?)\n\}", bib, flags=re.DOTALL):
        fields = dict(re.findall(r"^\s+(\w+) = \{(.*)\},?$", body, flags=re.MULTILINE))
        out[key] = {"type": kind, **fields}
    return out


@pytest.mark.parametrize("release", load_spec().validatable_releases)
def test_every_release_has_three_parsable_references(release):
    spec = load_spec()
    refs = references(spec, release)
    assert [r.role for r in refs] == ["dataset", "paper", "physionet"]
    own = spec.release(release)  # a demo PhysioNet gives no citation text for is cited as its project's release
    cited = own if own.citation else spec.release(spec.projects[own.project].default_release)
    assert refs[0].doi == cited.doi
    assert refs[1].doi == spec.citations["paper"].doi and refs[2].doi == spec.citations["physionet"].doi
    for r in refs:
        fields = dict(r.fields)
        assert fields["author"] and fields["title"] and re.fullmatch(r"\d{4}", fields["year"])
        assert r.doi in r.text  # the text to paste carries its DOI


def test_a_copy_of_several_projects_cites_each_data_set_once():
    spec = load_spec()
    refs = references(spec, ["demo-2.2", "ed-demo-2.2", "note-2.2"])
    assert [r.doi for r in refs if r.role == "dataset"] == [spec.release(k).doi for k in ("demo-2.2", "ed-2.2", "note-2.2")]


def test_bibtex_fields_match_the_spec_text():
    bib = _entries(render_citations("3.1", "bibtex"))
    assert set(bib) == {"mimiciv-3.1", "johnson2023mimiciv", "goldberger2000physiobank"}
    data = bib["mimiciv-3.1"]
    assert data["type"] == "misc" and data["doi"] == "10.13026/kpb9-mt58" and data["year"] == "2024"
    assert data["title"] == "{MIMIC-IV (version 3.1)}" and data["publisher"] == "PhysioNet"
    assert data["author"].startswith("Johnson, A. and Bulgarelli, L.") and data["author"].endswith("Mark, R.")
    paper = bib["johnson2023mimiciv"]
    assert (paper["type"], paper["journal"], paper["volume"], paper["year"]) == ("article", "Sci Data", "10", "2023")
    assert paper["author"].endswith("and others")  # "et al." in the spec text
    physionet = bib["goldberger2000physiobank"]
    assert (physionet["journal"], physionet["volume"], physionet["number"], physionet["pages"]) == (
        "Circulation", "101", "23", "e215--e220")
    assert physionet["doi"] == "10.1161/01.CIR.101.23.e215"
    assert physionet["author"].endswith("Mark, R. and others")  # authors after the ellipsis are not guessed


def test_demo_release_cites_the_demo():
    bib = _entries(render_citations("demo-2.2", "bibtex"))
    assert bib["mimiciv-demo-2.2"]["doi"] == "10.13026/dp1f-ex47"
    text = render_citations("demo-2.2", "text")
    assert "10.13026/dp1f-ex47" in text and "10.13026/kpb9-mt58" not in text


def test_bibtex_escapes_special_characters():
    assert bibtex_escape("Celi & Mark 100% #1 a_b") == r"Celi \& Mark 100\% \#1 a\_b"


def test_cite_command():
    out = run_cli("cite")
    assert out.returncode == 0
    paragraphs = out.stdout.strip().split("\n\n")
    assert paragraphs == [r.text for r in references(load_spec(), "3.1")]
    bad = run_cli("cite", "--release", "9.9", "--format", "bibtex")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr


def test_dois_agree_with_the_reference_facts():
    facts = (require_reference() / "mimic-iv-facts.md").read_text(encoding="utf-8")
    section = facts[facts.index("## 8. Citations"):facts.index("## 9.")]
    for release in load_spec().validatable_releases:
        for r in references(load_spec(), release):
            assert r.doi in section, r.doi
