"""A fault of every check kind in copies of the real demos (clinical and ED, validated together), each on a table
of its own: every damaged check fails, by the rows this test counts in the damaged files with the standard
library, and nothing else fails at error severity. Both ways a copy is checked: the default path (pandera and
Great Expectations, with the GX suites generated in this run from the spec, so a kind's broken query cannot hide
behind the checked-in suite files) and ``--checks sql`` (the compiled SQL of Parquet, Spark and BigQuery).

The truths here come from the damage as described in plain terms (which table, which column, which rows) and from
counts over the CSV files; never from validate's code or synth's records.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.cli import run_cli
from tests.damage import NOT_UTF8, ZERO_LENGTH, ReleaseCopy
from tests.layers import KIND_NAMES
from tests.realdata.counting import HOUR, Files, duplicated_keys, published_rows, when

ABSENT_ITEM = "99999999"  # no lab item has this id
ABSENT_PATIENT = "1"  # no patient has this subject_id


def kind_of(check_id: str) -> str:
    """The kind a check id names (``hosp.labevents.fk.itemid`` -> ``fk``; ``release.files.unexpected``)."""
    rest = check_id.split(".", 2)[-1] if not check_id.startswith("release.") else check_id.split(".", 1)[1]
    return next(k for k in sorted(KIND_NAMES, key=len, reverse=True) if rest == k or rest.startswith(k + "."))


@dataclass
class Scenario:
    clinical: ReleaseCopy
    ed: ReleaseCopy
    failing: dict[str, int] = field(default_factory=dict)  # check id -> failing rows, counted here


def _damage(real_demo: Path, real_ed_demo: Path, tmp: Path) -> Scenario:
    clinical = ReleaseCopy(real_demo, tmp / "mimic-iv-demo-2.2")
    ed = ReleaseCopy(real_ed_demo, tmp / "mimic-iv-ed-demo-2.2")
    s = Scenario(clinical, ed)

    # files: a table file nobody expects, a listed file changed, one removed, one misstated, one unreadable line
    clinical.add_file("hosp/notes.csv.gz", gzip.compress(b"note_id,text\n1,x\n", mtime=0))
    clinical.append_to_file("LICENSE.txt", b"\n")
    clinical.remove_file("omr")
    clinical.misstate_checksum("provider")
    clinical.update("services", lambda r: {"curr_service": r["curr_service"] + NOT_UTF8},
                    lambda r: r["curr_service"] != "", limit=1)
    # headers: a column renamed, another spelled in capitals
    clinical.rename_column("d_icd_procedures", "long_title", "long_name")
    clinical.rename_column("d_icd_diagnoses", "long_title", "LONG_TITLE")
    # values: unparseable, NULL and zero-length, too long, out of the domain, breaking a rule
    clinical.update("diagnoses_icd", lambda r: {"seq_num": "x"}, lambda r: True, limit=2)
    clinical.update("d_items", lambda r: {"label": ""}, lambda r: int(r["itemid"]) % 2 == 0, limit=3)
    clinical.update("d_items", lambda r: {"abbreviation": ZERO_LENGTH}, lambda r: int(r["itemid"]) % 2 == 1, limit=2)
    clinical.update("d_labitems", lambda r: {"label": "L" * 60}, lambda r: True, limit=2)
    ed.update("triage", lambda r: {"acuity": "9"}, lambda r: r["acuity"] != "", limit=2)
    clinical.update("procedureevents", lambda r: {"endtime": str(when(r["starttime"]) - HOUR)}, lambda r: True,
                    limit=2)
    # keys: rows loaded twice (a declared and a candidate key), rows lost
    clinical.duplicate_rows("procedures_icd", lambda r: True, limit=2)
    clinical.duplicate_rows("ingredientevents", lambda r: r["starttime"] <= r["endtime"], limit=3)
    clinical.delete_rows("datetimeevents", lambda r: r["storetime"] != "" and r["charttime"] <= r["storetime"]
                         and int(r["itemid"]) % 7 == 0)
    # references: an orphan, another patient's admission, an ED time outside its stay, an unknown ED patient
    clinical.update("labevents", lambda r: {"itemid": ABSENT_ITEM}, lambda r: True, limit=4)
    admissions = {r["hadm_id"]: r["subject_id"] for r in Files(clinical).rows("admissions")}
    elsewhere = sorted(admissions)
    clinical.update("microbiologyevents",
                    lambda r: {"hadm_id": next(h for h in elsewhere if admissions[h] != r["subject_id"])},
                    lambda r: r["hadm_id"] != "", limit=3)
    stays = {r["stay_id"]: r for r in Files(ed).rows("edstays")}
    seen: set[str] = set()  # one row per stay: two rows of a stay moved to one time would share a key

    def first_of_stay(r: dict[str, str]) -> bool:
        fresh = r["charttime"] != "" and r["stay_id"] not in seen
        seen.add(r["stay_id"])
        return fresh

    ed.update("vitalsign", lambda r: {"charttime": str(when(stays[r["stay_id"]]["intime"]) - 48 * HOUR)},
              first_of_stay, limit=3)
    ed.update("pyxis", lambda r: {"subject_id": ABSENT_PATIENT}, lambda r: True, limit=5)
    _count(s, real_demo, real_ed_demo)
    return s


def _count(s: Scenario, demo: Path, ed_demo: Path) -> None:
    """What each damage must fail, and by how much, counted in the damaged files."""
    files = Files(s.clinical, s.ed)
    e = s.failing

    def row_count(table: str, loaded: int, published: Path = demo) -> None:
        diff = abs(loaded - published_rows(published, table))
        if diff:
            e[f"{s.clinical.qualified(table) if published == demo else s.ed.qualified(table)}.row_count"] = diff

    # files
    pristine = {line.split(" ", 1)[1] for line in (demo / "SHA256SUMS.txt").read_text().splitlines()}
    found = {p.relative_to(s.clinical.root).as_posix() for p in s.clinical.root.glob("*/*.csv.gz")}
    e["release.files.unexpected"] = len(found - pristine)
    listed = [line.split(" ", 1) for line in (s.clinical.root / "SHA256SUMS.txt").read_text().splitlines()]
    table_files = {rel for _, rel in listed if rel.endswith(".csv.gz")}
    e["release.sha256sums.listed"] = sum(
        1 for digest, rel in listed if rel != "icu/chartevents.csv.gz" and (  # not selected: --exclude-tables
            not (s.clinical.root / rel).is_file()
            or (rel not in table_files and hashlib.sha256((s.clinical.root / rel).read_bytes()).hexdigest() != digest)))
    e["hosp.omr.file.present"] = 1
    sums = {rel: digest for digest, rel in listed}
    e["hosp.provider.file.sha256"] = int(
        hashlib.sha256(s.clinical.path("provider").read_bytes()).hexdigest() != sums["hosp/provider.csv.gz"])
    raw = gzip.decompress(s.clinical.path("services").read_bytes()).split(b"\n")
    bad = 0
    for line in raw:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
    e["hosp.services.file.readable"] = bad
    row_count("services", len([line for line in raw[1:] if line]) - bad)  # a line that cannot be read is not loaded
    # headers
    header = files.raw("d_icd_procedures")[0]
    expected = ["icd_code", "icd_version", "long_title"]
    e["hosp.d_icd_procedures.columns"] = len(set(expected) - set(header)) + len(set(header) - set(expected))
    e["hosp.d_icd_diagnoses.header_case"] = sum(1 for h in files.raw("d_icd_diagnoses")[0] if h != h.lower())
    # values
    seq = files.column("diagnoses_icd", "seq_num")
    e["hosp.diagnoses_icd.type.seq_num"] = sum(1 for v in seq if v and not v.lstrip("-").isdigit())
    row_count("diagnoses_icd", sum(1 for v in seq if v.lstrip("-").isdigit()))  # rows that do not parse: not loaded
    e["icu.d_items.not_null.label"] = files.column("d_items", "label").count("")
    e["icu.d_items.empty_string.abbreviation"] = files.column("d_items", "abbreviation").count('""')
    e["hosp.d_labitems.max_length.label"] = sum(1 for r in files.rows("d_labitems") if len(r["label"]) > 50)
    e["ed.triage.domain.acuity"] = sum(1 for r in files.rows("triage") if r["acuity"] and
                                       float(r["acuity"]) not in (1, 2, 3, 4, 5))
    e["icu.procedureevents.rule.starttime_le_endtime"] = sum(
        1 for r in files.rows("procedureevents") if when(r["starttime"]) > when(r["endtime"]))
    # keys
    procedures = files.rows("procedures_icd")
    e["hosp.procedures_icd.pk"] = duplicated_keys(procedures, ["hadm_id", "seq_num", "icd_code", "icd_version"], True)
    row_count("procedures_icd", len(procedures))
    ingredients = files.rows("ingredientevents")
    e["icu.ingredientevents.unique.orderid_itemid"] = duplicated_keys(ingredients, ["orderid", "itemid"], False)
    row_count("ingredientevents", len(ingredients))
    row_count("datetimeevents", len(files.rows("datetimeevents")))
    # references
    items = set(files.column("d_labitems", "itemid"))
    e["hosp.labevents.fk.itemid"] = sum(1 for v in files.column("labevents", "itemid") if v not in items)
    admissions = {r["hadm_id"]: r["subject_id"] for r in files.rows("admissions")}
    e["hosp.microbiologyevents.identity.hadm_id"] = sum(
        1 for r in files.rows("microbiologyevents") if r["hadm_id"] in admissions
        and admissions[r["hadm_id"]] != r["subject_id"])
    stays = {r["stay_id"]: r for r in files.rows("edstays")}
    e["ed.vitalsign.window.charttime_in_stay"] = sum(  # 1 h before intime to 48 h after outtime (spec: ed.yaml)
        1 for r in files.rows("vitalsign") if r["charttime"] and r["stay_id"] in stays and not
        when(stays[r["stay_id"]]["intime"]) - HOUR <= when(r["charttime"]) <= when(stays[r["stay_id"]]["outtime"]) + 48 * HOUR)
    patients = set(files.column("patients", "subject_id"))
    pyxis = files.rows("pyxis")
    e["ed.pyxis.fk.subject_id"] = sum(1 for r in pyxis if r["subject_id"] not in patients)
    e["ed.pyxis.identity.stay_id"] = sum(1 for r in pyxis if r["stay_id"] in stays
                                         and stays[r["stay_id"]]["subject_id"] != r["subject_id"])
    assert all(n for n in e.values()), {k: n for k, n in e.items() if not n}  # each damage did damage


@pytest.fixture(scope="module")
def kinds(real_demo, real_ed_demo, tmp_path_factory) -> Scenario:
    return _damage(real_demo, real_ed_demo, tmp_path_factory.mktemp("kinds"))


@pytest.fixture(scope="module")
def suites(tmp_path_factory) -> Path:
    """The GX suites generated from the spec in this run (what the checked-in expectations/ must equal)."""
    out = tmp_path_factory.mktemp("suites")
    done = run_cli("expectations", "build", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@dataclass
class Run:
    code: int
    stdout: str
    checks: dict[str, dict]


@pytest.fixture(scope="module", params=["all", "sql"])
def validated(request, kinds, suites, tmp_path_factory) -> Run:
    out = tmp_path_factory.mktemp("run") / "run.json"
    engines = ["--expectations", str(suites)] if request.param == "all" else ["--checks", "sql"]
    done = run_cli("validate", str(kinds.clinical.root), str(kinds.ed.root), "--exclude-tables", "chartevents",
                   *engines, "--json", str(out))
    assert out.is_file(), done.stderr[-3000:]
    checks = {c["id"]: c for c in json.loads(out.read_text(encoding="utf-8"))["checks"]}
    return Run(done.returncode, done.stdout, checks)


def test_the_damage_covers_every_kind(kinds):
    assert {kind_of(i) for i in kinds.failing} == set(KIND_NAMES)


def test_each_fault_fails_its_check_by_the_rows_counted_in_the_files(validated, kinds):
    """Both directions: every damaged check fails by exactly the rows counted here, and no other check fails or
    could not run, but the known quirks of the real release, each within its tolerance."""
    failed = {i: c for i, c in validated.checks.items() if c["status"] in ("failed", "error")}
    assert {i: c["failing_rows"] for i, c in failed.items() if not c["quirk_reference"]} == kinds.failing
    quirks = [c for c in failed.values() if c["quirk_reference"]]
    assert quirks and all(c["severity"] != "error" and "tolerated up to" in c["message"] for c in quirks)
    assert validated.code == 1 and "FAIL" in validated.stdout


def test_a_header_in_capitals_is_still_read(validated):
    assert validated.checks["hosp.d_icd_diagnoses.header_case"]["severity"] == "warning"
    assert validated.checks["hosp.d_icd_diagnoses.max_length.long_title"]["status"] == "passed"
    assert validated.checks["hosp.d_icd_procedures.max_length.long_title"]["status"] == "skipped"  # renamed


def test_checks_of_the_removed_file_are_skipped(validated):
    omr = [c for i, c in validated.checks.items() if i.startswith("hosp.omr.") and i != "hosp.omr.file.present"]
    assert omr and all(c["status"] == "skipped" for c in omr)
