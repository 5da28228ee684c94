"""Past each known quirk's tolerance: the real demos (clinical and ED) damaged so that every quirk's check fails by
one row more than its quirk explains. Each must then fail at its own severity ("more than the N a known quirk
explains"), by the rows counted here in the damaged files; within the tolerance the pristine demos' tests show the
same checks tolerated. The two quirks of chartevents (not in the demo) are pushed past theirs on a synthetic copy.

A quirk's tolerance is written here from its documented bound: max(min_rows, ceil(max_fraction x table rows)).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mimic_qa.checks import build_catalog
from mimic_qa.spec import load_spec
from tests.cli import run_cli
from tests.damage import ZERO_LENGTH, ReleaseCopy
from tests.realdata.counting import HOUR, Files, duplicated_keys, when

Row = dict[str, str]
SPEC = load_spec()


def tolerance(check: str, rows: int) -> int:
    quirk = SPEC.quirk_for(check)
    assert quirk is not None, check
    return max(quirk.min_rows, math.ceil(quirk.max_fraction * rows))


def later_than(a: str, b: str) -> Callable[[Files, str], int]:
    """Rows whose time ``a`` is after their time ``b`` (both given)."""
    return lambda f, t: sum(1 for r in f.rows(t) if r[a] and r[b] and when(r[a]) > when(r[b]))


def orphans(column: str, parent: str, key: str) -> Callable[[Files, str], int]:
    def count(f: Files, t: str) -> int:
        keys = {v.strip('"') for v in f.column(parent, key)}
        return sum(1 for v in f.column(t, column) if v and v.strip('"') not in keys)
    return count


def zero_length(column: str) -> Callable[[Files, str], int]:
    return lambda f, t: f.column(t, column).count('""')


def held_twice(*key: str) -> Callable[[Files, str], int]:
    return lambda f, t: duplicated_keys(f.rows(t), list(key), with_nulls=False)


def outside(column: str, low: float, high: float) -> Callable[[Files, str], int]:
    return lambda f, t: sum(1 for v in f.column(t, column) if v and not low <= float(v) <= high)


def other_patients_admission(f: Files, t: str) -> int:
    admissions = {r["hadm_id"]: r["subject_id"] for r in f.rows("admissions")}
    return sum(1 for r in f.rows(t) if r["hadm_id"] in admissions and admissions[r["hadm_id"]] != r["subject_id"])


def capitals(f: Files, t: str) -> int:
    return sum(1 for h in f.raw(t)[0] if h != h.lower())


@dataclass(frozen=True)
class Push:
    """How to push one quirk's check past its tolerance: its violations counted (in a table's files), and how to
    add one (to a row that does not violate it yet): by changing the row, or (``grows``) by appending a copy."""

    check: str
    count: Callable[[Files, str], int]
    change: Callable[[Row], Row]
    where: Callable[[Row], bool] = lambda r: True
    grows: bool = False

    @property
    def table(self) -> str:
        return self.check.split(".")[1]


def _hours_before(column: str, of: str) -> Callable[[Row], Row]:
    return lambda r: {column: str(when(r[of]) - HOUR)}


def _in_order(a: str, b: str) -> Callable[[Row], bool]:
    return lambda r: bool(r[a] and r[b]) and when(r[a]) <= when(r[b])


def pushes(files: Files) -> list[Push]:
    """One push per quirk of the demos' tables. Rows are chosen so that nothing else moves: no admission an ED
    stay names (its times bound the stay's window), no row whose key another row shares."""
    in_ed = set(files.column("edstays", "hadm_id"))
    admissions = {r["hadm_id"]: r["subject_id"] for r in files.rows("admissions")}
    taken: dict[str, set[str]] = {}

    def once(table: str, *key: str) -> Callable[[Row], bool]:
        """Rows whose key no other row holds, each key once (a copy then makes one more key held twice)."""
        counts: dict[tuple[str, ...], int] = {}
        for r in files.rows(table):
            counts[tuple(r[k] for k in key)] = counts.get(tuple(r[k] for k in key), 0) + 1
        chosen = taken.setdefault(table + str(key), set())

        def fresh(r: Row) -> bool:
            k = tuple(r[c] for c in key)
            if counts[k] == 1 and "" not in k and str(k) not in chosen:
                chosen.add(str(k))
                return True
            return False
        return fresh

    other = lambda r: {"hadm_id": next(h for h in sorted(admissions) if admissions[h] != r["subject_id"])}  # noqa: E731
    seq_free = {(r["stay_id"], r["seq_num"]) for r in files.rows("diagnosis")}

    def new_seq(r: Row) -> Row:
        seq = next(str(n) for n in range(99, 0, -1) if (r["stay_id"], str(n)) not in seq_free)
        seq_free.add((r["stay_id"], seq))
        return {"seq_num": seq}

    absent_poe = lambda r: {"poe_id": f"{r['subject_id']}-9999999"}  # noqa: E731
    poe, pharmacy = set(files.column("poe", "poe_id")), set(files.column("pharmacy", "pharmacy_id"))
    has_poe = lambda r: r["poe_id"] in poe  # noqa: E731  (a reference that resolves: changing it makes an orphan)
    has_pharmacy = lambda r: r["pharmacy_id"] in pharmacy  # noqa: E731
    return [
        Push("hosp.admissions.rule.admittime_le_dischtime", later_than("admittime", "dischtime"),
             _hours_before("dischtime", "admittime"), lambda r: r["hadm_id"] not in in_ed and _in_order("admittime", "dischtime")(r)),
        Push("hosp.admissions.rule.admittime_le_deathtime", later_than("admittime", "deathtime"),
             _hours_before("deathtime", "admittime"), lambda r: r["hadm_id"] not in in_ed and _in_order("admittime", "deathtime")(r)),
        Push("hosp.admissions.rule.edregtime_le_edouttime", later_than("edregtime", "edouttime"),
             _hours_before("edouttime", "edregtime"), _in_order("edregtime", "edouttime")),
        Push("hosp.transfers.rule.intime_le_outtime", later_than("intime", "outtime"),
             _hours_before("outtime", "intime"), _in_order("intime", "outtime")),
        Push("hosp.pharmacy.rule.starttime_le_stoptime", later_than("starttime", "stoptime"),
             _hours_before("stoptime", "starttime"), _in_order("starttime", "stoptime")),
        Push("hosp.prescriptions.rule.starttime_le_stoptime", later_than("starttime", "stoptime"),
             _hours_before("stoptime", "starttime"), _in_order("starttime", "stoptime")),
        Push("hosp.prescriptions.empty_string.drug", zero_length("drug"), lambda r: {"drug": ZERO_LENGTH},
             once("prescriptions", "pharmacy_id", "drug_type")),
        Push("hosp.emar_detail.unique.emar_id_parent_field_ordinal", held_twice("emar_id", "parent_field_ordinal"),
             lambda r: {}, once("emar_detail", "emar_id", "parent_field_ordinal"), grows=True),
        Push("hosp.microbiologyevents.empty_string.spec_type_desc", zero_length("spec_type_desc"),
             lambda r: {"spec_type_desc": ZERO_LENGTH}),
        Push("hosp.emar.rule.charttime_le_storetime", later_than("charttime", "storetime"),
             _hours_before("storetime", "charttime"), _in_order("charttime", "storetime")),
        Push("hosp.emar.fk.poe_id", orphans("poe_id", "poe", "poe_id"), absent_poe, has_poe),
        Push("hosp.emar.fk.pharmacy_id", orphans("pharmacy_id", "pharmacy", "pharmacy_id"),
             lambda r: {"pharmacy_id": "99999999"}, has_pharmacy),
        Push("hosp.emar_detail.fk.pharmacy_id", orphans("pharmacy_id", "pharmacy", "pharmacy_id"),
             lambda r: {"pharmacy_id": "99999999"}, has_pharmacy),
        Push("hosp.pharmacy.fk.poe_id", orphans("poe_id", "poe", "poe_id"), absent_poe, has_poe),
        Push("hosp.prescriptions.fk.poe_id", orphans("poe_id", "poe", "poe_id"), absent_poe, has_poe),
        Push("hosp.poe.fk.discontinue_of_poe_id", orphans("discontinue_of_poe_id", "poe", "poe_id"),
             lambda r: {"discontinue_of_poe_id": f"{r['subject_id']}-9999999"},
             lambda r: r["discontinue_of_poe_id"] == ""),
        Push("hosp.labevents.identity.hadm_id", other_patients_admission, other, lambda r: r["hadm_id"] != ""),
        Push("icu.inputevents.rule.starttime_le_endtime", later_than("starttime", "endtime"),
             _hours_before("endtime", "starttime"), _in_order("starttime", "endtime")),
        Push("icu.ingredientevents.rule.starttime_le_endtime", later_than("starttime", "endtime"),
             _hours_before("endtime", "starttime"), _in_order("starttime", "endtime")),
        Push("icu.outputevents.rule.charttime_le_storetime", later_than("charttime", "storetime"),
             _hours_before("storetime", "charttime"), _in_order("charttime", "storetime")),
        Push("icu.datetimeevents.rule.charttime_le_storetime", later_than("charttime", "storetime"),
             _hours_before("storetime", "charttime"), _in_order("charttime", "storetime")),
        Push("ed.medrecon.unique.stay_id_charttime_name", held_twice("stay_id", "charttime", "name"), lambda r: {},
             once("medrecon", "stay_id", "charttime", "name"), grows=True),
        Push("ed.pyxis.unique.stay_id_charttime_name", held_twice("stay_id", "charttime", "name"), lambda r: {},
             once("pyxis", "stay_id", "charttime", "name"), grows=True),
        Push("ed.diagnosis.unique.stay_id_icd_code_icd_version", held_twice("stay_id", "icd_code", "icd_version"),
             new_seq, once("diagnosis", "stay_id", "icd_code", "icd_version"), grows=True),
        Push("ed.triage.domain.temperature", outside("temperature", 80, 115), lambda r: {"temperature": "36.5"},
             lambda r: r["temperature"] != "" and 80 <= float(r["temperature"]) <= 115),
        Push("ed.vitalsign.domain.temperature", outside("temperature", 80, 115), lambda r: {"temperature": "36.5"},
             lambda r: r["temperature"] != "" and 80 <= float(r["temperature"]) <= 115),
    ]


@dataclass
class Pushed:
    clinical: ReleaseCopy
    ed: ReleaseCopy
    quirks: dict[str, tuple[int, int]]  # check -> (violations counted after the push, tolerance)
    others: dict[str, int]  # other checks the push fails (rows appended: row counts, other keys), counted here


def _n_needed(now: int, rows: int, check: str, grows: bool) -> int:
    """How many violations to add for ``now + n`` to exceed the tolerance (of ``rows + n`` rows when each one
    appends a row)."""
    n = 1
    while now + n <= tolerance(check, rows + (n if grows else 0)):
        n += 1
    return n


@pytest.fixture(scope="module")
def pushed(real_demo, real_ed_demo, tmp_path_factory) -> Pushed:
    tmp = tmp_path_factory.mktemp("quirks")
    clinical = ReleaseCopy(real_demo, tmp / "mimic-iv-demo-2.2")
    ed = ReleaseCopy(real_ed_demo, tmp / "mimic-iv-ed-demo-2.2")
    before = Files(clinical, ed)
    copy_of = {"hosp": clinical, "icu": clinical, "ed": ed}
    published = {}
    for p in pushes(before):
        copy = copy_of[p.check.split(".")[0]]
        rows = published.setdefault(p.table, len(before.raw(p.table)[1]))
        n = _n_needed(p.count(before, p.table), rows, p.check, p.grows)
        if p.grows:
            copy.duplicate_rows(p.table, p.where, limit=n, change=p.change)
        else:
            copy.update(p.table, p.change, p.where, limit=n)
    clinical.rename_column("procedureevents", "valueuom", "VALUEUOM")  # a third name in capitals
    after = Files(clinical, ed)
    quirks = {p.check: (p.count(after, p.table), tolerance(p.check, len(after.raw(p.table)[1]))) for p in pushes(after)}
    quirks["icu.procedureevents.header_case"] = (capitals(after, "procedureevents"),
                                                 tolerance("icu.procedureevents.header_case", 0))
    others = {f"{copy_of[SPEC.tables[t].module].qualified(t)}.row_count": len(after.raw(t)[1]) - n
              for t, n in published.items() if len(after.raw(t)[1]) != n}
    others["ed.pyxis.unique.stay_id_med_rn_gsn_rn"] = duplicated_keys(after.rows("pyxis"), ["stay_id", "med_rn", "gsn_rn"],
                                                                       with_nulls=False)
    return Pushed(clinical, ed, quirks, others)


def test_every_quirk_of_the_demos_tables_is_pushed(pushed):
    in_demos = {q.check for q in SPEC.quirks if q.check.split(".")[1] != "chartevents"}
    assert set(pushed.quirks) == in_demos
    assert {c: (n, tol) for c, (n, tol) in pushed.quirks.items() if n <= tol} == {}


@pytest.fixture(scope="module")
def validated(pushed, tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("run") / "run.json"
    done = run_cli("validate", str(pushed.clinical.root), str(pushed.ed.root), "--exclude-tables", "chartevents",
                   "--checks", "sql", "--json", str(out))
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    return {c["id"]: c for c in json.loads(out.read_text(encoding="utf-8"))["checks"]}


def test_each_quirk_past_its_tolerance_fails_at_its_own_severity(pushed, validated):
    severity = {c.id: c.severity for c in build_catalog(SPEC, list(SPEC.tables)) if c.id in pushed.quirks}
    for check, (n, tol) in pushed.quirks.items():
        c = validated[check]
        assert (c["status"], c["failing_rows"], c["severity"]) == ("failed", n, severity[check]), (check, c["message"])
        assert f"more than the {tol:,} a known quirk explains" in c["message"], c["message"]
    assert "error" in severity.values()  # errors among them: a tolerance taken as unlimited would pass them


def test_nothing_else_fails_but_what_the_push_appended(pushed, validated):
    failed = {i: c["failing_rows"] for i, c in validated.items() if c["status"] in ("failed", "error")
              and i not in pushed.quirks and not c["quirk_reference"]}
    assert failed == pushed.others


def test_chartevents_quirks_past_their_tolerance(tmp_path):
    """chartevents is not in the demo: a synthetic copy's, pushed past both its quirks."""
    from mimic_qa.synth import generate

    copy = tmp_path / "synthetic"
    generate(copy, scale=0.0005, seed=11)
    tables = ["chartevents", "patients", "admissions", "icustays", "d_items", "caregiver"]
    release = ReleaseCopy(copy, tmp_path / "pushed", tables=tables)
    files = Files(release)
    table = "chartevents"
    rule, key = "icu.chartevents.rule.charttime_le_storetime", "icu.chartevents.unique.stay_id_charttime_itemid"
    rows = len(files.raw(table)[1])
    late = later_than("charttime", "storetime")
    twice = held_twice("stay_id", "charttime", "itemid")
    release.update(table, _hours_before("storetime", "charttime"), _in_order("charttime", "storetime"),
                   limit=_n_needed(late(files, table), rows, rule, grows=False))
    unique_once = {k for k, n in Counter(
        (r["stay_id"], r["charttime"], r["itemid"]) for r in files.rows(table)).items() if n == 1}
    chosen: set[tuple[str, str, str]] = set()

    def fresh(r: Row) -> bool:
        k = (r["stay_id"], r["charttime"], r["itemid"])
        if k in unique_once and k not in chosen:
            chosen.add(k)
            return True
        return False
    release.duplicate_rows(table, fresh, limit=_n_needed(twice(files, table), rows, key, grows=True))
    after = Files(release)
    n_rows = len(after.raw(table)[1])
    out = tmp_path / "run.json"
    done = run_cli("validate", str(release.root), "--tables", ",".join(tables), "--checks", "sql", "--json", str(out))
    assert done.returncode == 1, done.stderr[-2000:]
    checks = {c["id"]: c for c in json.loads(out.read_text())["checks"]}
    for check, count in ((rule, late(after, table)), (key, twice(after, table))):
        c = checks[check]
        assert c["failing_rows"] == count and c["status"] == "failed", c
        assert f"more than the {tolerance(check, n_rows):,} a known quirk explains" in c["message"], c["message"]
