"""PHI planted into the REAL demo's comments, with ground truth recorded here (never by the scanner).

``plant_demo(demo, out, split, seed)`` copies the demo release to ``out`` (the original is only read) and
rewrites ``labevents.comments`` and ``microbiologyevents.comments`` of chosen rows. Each planted value is
written the way clinicians write it, in one of four ways:

* ``fill``: a ``___`` mask of a real comment is replaced by a value of the kind it once hid (a name after
  "INTERPRETED BY", a date after "AS OF", a laboratory after "MEASURED BY", a phone number in "LAB (___)");
* ``append`` / ``prepend``: a short clinical sentence around the value, from this split's own phrasings,
  joined to the real comment (upper-cased when the comment is);
* ``bare``: the whole comment is the value, as a fully masked comment once was.

Names, towns, streets and facilities come from :mod:`tests.phi.planted_sources` (hand-written, split
into disjoint dev and held-out halves). The phrasings are split too: ``dev`` templates were looked at while
tuning the recognizers; ``heldout`` templates and values were not. ``sealed`` (places only) was written before the
place rules were last changed and first run on the final rules.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tests.phi import planted_sources as S

TRUTH_FILE = "planted-truth.jsonl"
TABLES = {"labevents": ("hosp/labevents.csv.gz", "labevent_id"),
          "microbiologyevents": ("hosp/microbiologyevents.csv.gz", "microevent_id")}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass
class Plant:
    """One planted comment: the new text and its PHI spans (start, end, entity type)."""

    text: str
    spans: list[tuple[int, int, str]]


class Values:
    """Surrogate values of one split, in varied surface forms."""

    def __init__(self, split: str, rnd: random.Random) -> None:
        self.split, self.r = split, rnd

    def pick(self, items):
        return self.r.choice(items[self.split] if isinstance(items, dict) else items)

    # --- names ---------------------------------------------------------------------------------
    def person(self) -> str:
        first, last = self.pick(S.FIRST), self.pick(S.LAST)
        form = self.r.choice(["first last", "FIRST LAST", "first last lower", "Last", "LAST", "F. Last",
                              "First M. Last", "Last, First", "LAST, FIRST", "First L.", "F.LAST"])
        return {"first last": f"{first} {last}", "FIRST LAST": f"{first} {last}".upper(),
                "first last lower": f"{first} {last}".lower(), "Last": last, "LAST": last.upper(),
                "F. Last": f"{first[0]}. {last}", "First M. Last": f"{first} {self.r.choice('ABCDEJKMRST')}. {last}",
                "Last, First": f"{last}, {first}", "LAST, FIRST": f"{last}, {first}".upper(),
                "First L.": f"{first} {last[0]}.", "F.LAST": f"{first[0]}.{last}".upper()}[form]

    def first_name(self) -> str:
        first = self.pick(S.FIRST)
        return self.r.choice([first, first.upper(), first])

    # --- places --------------------------------------------------------------------------------
    def town(self) -> str:
        town = self.pick(S.TOWNS)
        return town.upper() if self.r.random() < 0.3 else town

    def facility(self) -> str:
        f = self.pick(S.FACILITIES)
        return f.upper() if self.r.random() < 0.3 else f

    def street(self) -> str:
        num, street = self.r.randint(2, 4999), self.pick(S.STREETS)
        r = self.r
        unit = r.choice(["", "", f", Apt {r.randint(1, 40)}", f" #{r.randint(1, 12)}{r.choice('ABC')}",
                         f" Unit {r.randint(1, 300)}", f", Apt. {r.randint(1, 9)}{r.choice('RLF')}"])
        v = f"{num} {street}{unit}"
        return v.upper() if self.r.random() < 0.25 else v

    def zip_code(self) -> str:
        z = f"0{self.r.randint(1000, 2799)}"
        return z + (f"-{self.r.randint(1000, 9999)}" if self.r.random() < 0.2 else "")

    # --- numbers -------------------------------------------------------------------------------
    def _nanp(self) -> tuple[str, str, str]:
        return (str(self.r.choice([617, 781, 508, 978, 413, 603, 401, 857, 339, 774])),
                f"{self.r.randint(2, 9)}{self.r.randint(10, 99)}", f"{self.r.randint(0, 9999):04d}")

    def phone(self) -> str:
        a, b, c = self._nanp()
        shape = self.r.choice(["{a}-{b}-{c}", "({a}) {b}-{c}", "{a}.{b}.{c}", "{a} {b} {c}", "+1 {a} {b} {c}",
                               "1-{a}-{b}-{c}", "{a}{b}{c}", "({a}){b}-{c}", "+1 ({a}) {b}-{c}", "{a}-{b}-{c} x{e}",
                               "{a}-{b}-{c} ext. {e}", "{a}/{b}-{c}"])
        return shape.format(a=a, b=b, c=c, e=self.r.randint(2, 9999))

    def ssn(self) -> str:
        a, b, c = self.r.randint(1, 665), self.r.randint(1, 99), self.r.randint(1, 9999)
        return self.r.choice(["{:03d}-{:02d}-{:04d}", "{:03d} {:02d} {:04d}", "{:03d}{:02d}{:04d}"]).format(a, b, c)

    def date(self) -> str:
        y, m, d = self.r.randint(1990, 2023), self.r.randint(1, 12), self.r.randint(1, 28)
        mon = MONTHS[m - 1]
        return self.r.choice([f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y % 100:02d}", f"{y}-{m:02d}-{d:02d}",
                              f"{mon} {d}, {y}", f"{d} {mon[:3]} {y}", f"{mon[:3]} {d}", f"{mon} {y}",
                              f"{m}-{d}-{y}", f"{d}-{mon[:3].upper()}-{y}", f"{mon.upper()} {d}", f"{m}/{d}"])

    def age(self) -> str:
        n = self.r.randint(90, 104)
        return self.r.choice([f"{n} yo", f"{n} y/o", f"{n}-year-old", f"{n} year old", f"{n}yo", f"{n} y.o.",
                              f"{n} yrs"])  # not "100F": a temperature as much as an age

    def email(self) -> str:
        first, last = self.pick(S.FIRST).lower(), self.pick(S.LAST).lower().replace("'", "")
        user = self.r.choice([f"{first}.{last}", f"{first[0]}{last}", f"{last}{self.r.randint(1, 99)}"])
        return f"{user}@{self.pick(S.EMAIL_DOMAINS)}"

    def url(self) -> str:
        d = self.pick(S.WEB_DOMAINS)
        return self.r.choice([f"https://{d}/results", f"http://www.{d}", f"www.{d}/login", f"https://portal.{d}"])

    def ip(self) -> str:
        return self.r.choice([f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                              f"192.168.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                              f"{self.r.randint(11, 223)}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}."
                              f"{self.r.randint(1, 254)}"])

    def digits(self, n: int) -> str:
        return "".join(str(self.r.randint(0, 9)) for _ in range(n))

    def letters(self, n: int) -> str:
        return "".join(self.r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def _t(*templates: str) -> list[str]:
    return list(templates)


# Contexts per entity type and split; "{v}" is the planted value, "{t}" a time, "{f}" a relative's first name.
CONTEXTS: dict[str, dict[str, list[str]]] = {
    "PERSON": {
        "dev": _t("Called to {v} at {t}.", "Results given to {v}.", "{v} aware.", "Read back by {v}.",
                  "Spoke with {v} re: hemolysis.", "Specimen brought down by {v}.", "{v} notified of critical value.",
                  "Per {v}, OK to run.", "Reported to {v}, RN at {t}.", "{v}", "Drawn by {v}.",
                  "Results phoned to {v} on 7 West."),
        "heldout": _t("Critical result relayed to {v} @ {t}.", "Acknowledged by {v}.", "Informed {v} from the floor.",
                      "{v} (covering) made aware.", "Message left for {v}.", "Repeat requested by {v}.", "{v}",
                      "Verbal order from {v}.", "Sample hand-delivered by {v}.", "Paged {v} x2, no response.",
                      "Reviewed with {v}.", "Faxed copy to {v} at the clinic."),
    },
    "RELATIVE": {
        "dev": _t("Daughter {v} requests copy of results.", "Pt's wife {v} at bedside.", "Son {v} is HCP."),
        "heldout": _t("Husband {v} called for results.", "Per niece {v}, pt on coumadin.",
                      "Mother {v} asked for a copy."),
    },
    "LOCATION": {
        "dev": _t("Pt transferred from {v}.", "Specimen sent to {v} for testing.", "Outside films from {v}.",
                  "Lives in {v} with wife.", "{v}", "Result from {v} lab.", "Referred by {v}.", "Home in {v}.",
                  "Pt from {v}.", "{v} resident.", "Went home to {v} after last admit.", "OSH in {v}.",
                  "Resident of {v}.", "Seen at {v} ED last week.", "Arrived via {v} EMS.",
                  "Lives with daughter in {v}, MA.", "Recent travel to {v}.", "Prior admission at {v}."),
        "heldout": _t("OSH: {v}.", "Sendout to {v}.", "Recently discharged from {v}.", "Originally from {v}.",
                      "{v}", "Prior MRSA at {v}.", "Brought in by {v} ambulance.", "Moved to {v} last year."),
        "sealed": _t("Specimen received from {v}.", "Pt lives in {v}.", "{v}", "Outside hospital: {v}.",
                     "Transfer from {v} ICU.", "Resides in {v} with family.", "Hx of TB exposure in {v}.",
                     "Travelled to {v} recently.", "Pt is from {v}, lives alone.", "Sample drawn at {v}.",
                     "Per {v} lab, prior culture negative.", "Returned from {v} yesterday.", "Followed at {v}.",
                     "D/C to rehab in {v}."),
    },
    "STREET_ADDRESS": {
        "dev": _t("Home address {v}.", "Lives at {v}.", "Mail report to {v}.", "{v}"),
        "heldout": _t("Address on file: {v}.", "D/c to {v}.", "Send bill to {v}.", "{v}"),
    },
    "PHONE_NUMBER": {
        "dev": _t("Call {v} with results.", "Contact {v}.", "cb {v}", "{v}", "Dr. office {v}.", "Reachable at {v}."),
        "heldout": _t("Pls call {v} when resulted.", "Tel {v}.", "{v}", "Callback number {v}.", "Cell: {v}",
                      "Page the fellow at {v}."),
    },
    "FAX_NUMBER": {
        "dev": _t("Fax results to {v}.", "FAX# {v}", "fax {v}"),
        "heldout": _t("Faxed to {v}.", "Fax: {v}", "Please fax copy to {v}."),
    },
    "US_SSN": {
        "dev": _t("SSN {v}", "social security {v}.", "{v}"),
        "heldout": _t("SS# {v}", "Soc sec no {v}.", "{v}"),
    },
    "DATE": {
        "dev": _t("Prior culture {v}.", "As of {v}.", "Last dose {v}.", "DOB {v}", "{v}", "Collected {v} at OSH."),
        "heldout": _t("Since {v}.", "Compare with {v}.", "Admitted {v}.", "Born {v}", "{v}", "Previous specimen {v}."),
    },
    "AGE_OVER_89": {
        "dev": _t("{v} female, dehydrated.", "Pt is {v}.", "{v}"),
        "heldout": _t("{v} male with sepsis.", "Pt {v}, DNR.", "{v}"),
    },
    "EMAIL_ADDRESS": {"dev": _t("Email {v}.", "{v}"), "heldout": _t("Send to {v}.", "{v}")},
    "URL": {"dev": _t("See {v}.", "{v}"), "heldout": _t("Results posted on {v}.", "{v}")},
    "IP_ADDRESS": {"dev": _t("Uploaded from {v}.", "{v}"), "heldout": _t("Interface host {v}.", "{v}")},
}

# Labelled identifiers: (label forms, value maker) per type and split.
LABELLED: dict[str, dict[str, list[tuple[str, Callable[[Values], str]]]]] = {
    "MEDICAL_RECORD_NUMBER": {
        "dev": [("MRN {v}", lambda x: x.digits(8)), ("MR# {v}", lambda x: x.digits(7)),
                ("medical record number {v}", lambda x: x.digits(8))],
        "heldout": [("Unit No. {v}", lambda x: x.digits(7)), ("MRN: {v}", lambda x: "0" + x.digits(7)),
                    ("med rec # {v}", lambda x: x.digits(8))],
    },
    "HEALTH_PLAN_NUMBER": {
        "dev": [("Medicaid ID {v}", lambda x: x.digits(12)), ("member ID {v}", lambda x: x.letters(3) + x.digits(9))],
        "heldout": [("Medicare # {v}", lambda x: x.digits(9) + "A"),
                    ("policy no. {v}", lambda x: x.letters(2) + x.digits(8))],
    },
    "ACCOUNT_NUMBER": {
        "dev": [("acct {v}", lambda x: x.digits(9)), ("account # {v}", lambda x: x.digits(3) + "-" + x.digits(6))],
        "heldout": [("Acct#: {v}", lambda x: x.digits(10)), ("billing account {v}", lambda x: x.digits(8))],
    },
}

# A mask's slot, from the words just before it (lower case): what kind of value it once hid.
SLOTS = [
    (re.compile(r"(?:interpreted|reported|interpretation|read back|notified|called to)\s+(?:by\s+)?$"), "PERSON"),
    (re.compile(r"(?:as of|effective|beginning|after|in use|on)\s+$"), "DATE"),
    (re.compile(r"(?:measured|performed|validated for use on urine samples) by (?:the )?$|available at (?:the )?$|"
                r"in the $|using (?:the )?$"), "FACILITY"),
    (re.compile(r"lab \($"), "PHONE_NUMBER"),
]
KINDS = list(CONTEXTS) + list(LABELLED)  # RELATIVE counts as PERSON
# "sealed" has places only (towns, facilities and LOCATION phrasings): plant it with kinds=("LOCATION",)
SPLITS = ("dev", "heldout", "sealed")
ENTITY = {"RELATIVE": "PERSON"}


def _time(r: random.Random) -> str:
    return f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}"


class Planter:
    """Makes planted comments of one split from real comments (seeded, deterministic)."""

    def __init__(self, split: str, seed: int) -> None:
        if split not in SPLITS:
            raise ValueError(split)
        self.split, self.r = split, random.Random(f"{split}-{seed}")
        self.v = Values(split, self.r)

    def value(self, kind: str) -> tuple[str, str]:
        """(value, entity type) of a kind; LOCATION is a town or a facility."""
        v = self.v
        maker = {"PERSON": v.person, "RELATIVE": v.first_name, "STREET_ADDRESS": v.street, "PHONE_NUMBER": v.phone,
                 "FAX_NUMBER": v.phone, "US_SSN": v.ssn, "DATE": v.date, "AGE_OVER_89": v.age, "EMAIL_ADDRESS": v.email,
                 "URL": v.url, "IP_ADDRESS": v.ip, "FACILITY": v.facility,
                 "LOCATION": (v.town if self.r.random() < 0.5 else v.facility)}[kind]
        return maker(), ENTITY.get(kind, "LOCATION" if kind == "FACILITY" else kind)

    def sentence(self, kind: str) -> Plant:
        """A clinical sentence holding one value of ``kind`` (several spans for a town with a ZIP)."""
        if kind in LABELLED:
            form, make = self.r.choice(LABELLED[kind][self.split])
            value, entity = make(self.v), kind
        else:
            form = self.r.choice(CONTEXTS[kind][self.split])
            value, entity = self.value(kind)
        form = form.replace("{t}", _time(self.r))
        head, _, tail = form.partition("{v}")
        spans = [(len(head), len(head) + len(value), entity)]
        text = head + value + tail
        if kind == "STREET_ADDRESS" and self.r.random() < 0.5:  # add town, state and ZIP
            town, state, zipc = self.v.town(), self.v.pick(S.STATES), self.v.zip_code()
            tail_start = len(head) + len(value)
            extra = f", {town}, {state} {zipc}"
            spans += [(tail_start + 2, tail_start + 2 + len(town), "LOCATION"),
                      (tail_start + len(extra) - len(zipc), tail_start + len(extra), "ZIP_CODE")]
            text = head + value + extra + tail
        return Plant(text, spans)

    def plant(self, kind: str, comment: str) -> Plant | None:
        """The real ``comment`` with one value of ``kind`` planted in it (None: this comment has no fitting slot)."""
        how = self.r.choices(["fill", "append", "prepend", "bare"], [0.3, 0.35, 0.15, 0.2])[0]
        if how == "fill":
            return self._fill(kind, comment)
        s = self.sentence(kind)
        shout = comment.upper() == comment and any(c.isalpha() for c in comment) and self.r.random() < 0.7
        if shout:
            s = Plant(s.text.upper(), s.spans)
        base = comment.rstrip()
        if how == "bare" or not base or base == "___":
            return s
        if how == "append":
            lead = base + ("  " if base.endswith(".") else ". ")
            return Plant(lead + s.text, [(a + len(lead), b + len(lead), e) for a, b, e in s.spans])
        return Plant(s.text + " " + base, s.spans)

    def _fill(self, kind: str, comment: str) -> Plant | None:
        for m in re.finditer(r"___", comment):
            before = comment[:m.start()].lower()
            slot = next((k for rx, k in SLOTS if rx.search(before)), None)
            fits = (slot == kind or (slot == "FACILITY" and kind == "LOCATION")
                    or (slot == "PERSON" and kind == "RELATIVE"))
            if fits:
                value, entity = self.value(slot if slot != "PERSON" else kind)
                if comment.upper() == comment:
                    value = value.upper()
                return Plant(comment[:m.start()] + value + comment[m.end():],
                             [(m.start(), m.start() + len(value), entity)])
        return None


def plant_demo(demo: Path, out: Path, split: str, seed: int, per_kind: int = 40,
               kinds: tuple[str, ...] = tuple(KINDS)) -> list[dict]:
    """Copy ``demo`` to ``out``, plant ``per_kind`` values of each kind into real comments, write the truth."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(demo, out)
    planter = Planter(split, seed)
    con = duckdb.connect()
    rows: dict[str, list[tuple[str, str]]] = {}
    for table, (file, key) in TABLES.items():
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{demo / file}', all_varchar=true, header=true)")
        rows[table] = con.execute(f"SELECT {key}, comments FROM {table} WHERE comments IS NOT NULL "
                                  f"ORDER BY {key}").fetchall()
    truth: list[dict] = []
    used: set[tuple[str, str]] = set()
    updates: dict[str, list[tuple[str, str]]] = {t: [] for t in TABLES}
    for kind in kinds:
        made = tries = 0
        while made < per_kind and tries < per_kind * 50:
            tries += 1
            table = "labevents" if planter.r.random() < 0.8 else "microbiologyevents"
            row_id, comment = planter.r.choice(rows[table])
            if (table, row_id) in used:
                continue
            p = planter.plant(kind, comment)
            if p is None:
                continue
            used.add((table, row_id))
            updates[table].append((row_id, p.text))
            key = TABLES[table][1]
            truth += [{"table": table, "column": "comments", "row": {key: int(row_id)}, "start": a, "end": b,
                       "entity_type": e, "kind": kind} for a, b, e in p.spans]
            made += 1
    for table, (file, key) in TABLES.items():
        if updates[table]:
            con.execute("CREATE OR REPLACE TEMP TABLE upd (k VARCHAR, v VARCHAR)")
            con.executemany("INSERT INTO upd VALUES (?, ?)", updates[table])
            con.execute(f"UPDATE {table} SET comments = upd.v FROM upd WHERE {table}.{key} = upd.k")
            con.execute(f"COPY {table} TO '{out / file}' (HEADER, COMPRESSION gzip)")
    con.close()
    (out / "SHA256SUMS.txt").unlink(missing_ok=True)  # the rewritten files no longer match
    with open(out.parent / f"{out.name}-{TRUTH_FILE}", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(t, sort_keys=True) + "\n" for t in truth)
    return truth
