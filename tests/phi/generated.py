"""PHI whose values come from a generator nobody here controls (Faker, 23 locales), planted into real text.

The values: names (with their diacritics, hyphenated double surnames), each locale's phone formats, streets,
towns and postcodes from Faker; facilities built from Faker towns and surnames; dates from Faker rendered in
every common ``strftime`` pattern (and a few clinicians' spellings: "3rd March", "Oct '18", "May of 2017");
ages over 89 in digits and in words; e-mail, URL, IP, SSN, licence plates, IBANs and passport numbers from
Faker; record numbers as random digits, with and without a label. The detector reads none of Faker's lists
(its names come from the US Census and gender-guesser, its towns from GeoNames, its street words from its own
short list): ``bench/scan_phi.py`` reports how much the two overlap.

The carriers: real text of the demos, the distinct values of ``labevents.comments``,
``microbiologyevents.comments`` and the ED's ``triage.chiefcomplaint``. A value fills a ``___`` mask whose
words before it fit its kind, or sits in a short sentence (with a cue word, or with none) appended or
prepended to a carrier, or is the whole value; the sentence is written in upper, lower or title case, or
as the carrier is. The phrasings are split in two: ``dev`` (looked at while tuning) and ``heldout`` (not).
The generator records the spans it planted: the expected answers never come from the scanner.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

LOCALES = ("en_US", "en_GB", "ga_IE", "fr_FR", "de_DE", "es_ES", "es_MX", "it_IT", "pt_BR", "pt_PT", "pl_PL",
           "nl_NL", "sv_SE", "no_NO", "da_DK", "fi_FI", "cs_CZ", "hr_HR", "hu_HU", "ro_RO", "tr_TR", "vi_VN", "en_IN")
US_SHARE = 0.35  # a Boston hospital's text: a third of the values American, the rest from all the locales
SPLITS = ("dev", "heldout")

# strftime patterns of a full date, a date without its year, and a month with its year
FULL_DATES = ("%m/%d/%Y", "%m/%d/%y", "%-m/%-d/%Y", "%-m/%-d/%y", "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d.%m.%Y",
              "%d.%m.%y", "%d/%m/%Y", "%m-%d-%Y", "%m-%d-%y", "%d-%b-%Y", "%d-%b-%y", "%d %B %Y", "%d %b %Y",
              "%B %d, %Y", "%b %d, %Y", "%b %-d %Y", "%b. %d, %Y", "%A, %B %d, %Y", "%a %m/%d/%y", "%a, %d %b %Y",
              "%d%b%Y", "%Y.%m.%d", "%m.%d.%Y")
DAY_MONTH = ("%m/%d", "%-m/%-d", "%b %d", "%B %d", "%d %b", "%d-%b", "%a %m/%d", "%A %m/%d")
MONTH_YEAR = ("%B %Y", "%b %Y", "%m/%Y", "%b-%y", "%B, %Y")
ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}
UNITS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen")


def in_words(n: int) -> str:
    """90 -> "ninety", 93 -> "ninety-three", 104 -> "one hundred four"."""
    if n >= 100:
        rest = n - 100
        return "one hundred" + ("" if not rest else " " + (in_words(rest) if rest >= 20 else
                                                             TEENS[rest - 10] if rest >= 10 else UNITS[rest]))
    tens = {9: "ninety", 8: "eighty", 7: "seventy", 6: "sixty", 5: "fifty", 4: "forty", 3: "thirty", 2: "twenty"}
    return tens[n // 10] + ("-" + UNITS[n % 10] if n % 10 else "")


@lru_cache(maxsize=1)
def us_zip_codes() -> list[dict]:
    """US ZIP codes with their town and state (the ``zipcodes`` package: USPS data, not the detector's GeoNames)."""
    import zipcodes

    return [z for z in zipcodes.list_all() if z["zip_code_type"] == "STANDARD" and z["active"]]


@lru_cache(maxsize=1)
def us_towns() -> list[str]:
    return sorted({z["city"] for z in us_zip_codes()})


@dataclass
class Plant:
    """One planted value: the text and its PHI spans (start, end, entity type)."""

    text: str
    spans: list[tuple[int, int, str]]


class Values:
    """Faker-made values (one Faker per locale, all seeded from the planter's seed)."""

    def __init__(self, rnd: random.Random) -> None:
        from faker import Faker

        self.r = rnd
        self.fakers = {loc: Faker(loc) for loc in LOCALES}
        for i, f in enumerate(self.fakers.values()):
            f.seed_instance(rnd.randrange(2**31) + i)

    def faker(self, us: float = US_SHARE):
        loc = "en_US" if self.r.random() < us else self.r.choice(LOCALES)
        return self.fakers[loc]

    # --- names -------------------------------------------------------------------------------
    def _last(self, f) -> str:
        last = f.last_name()
        if self.r.random() < 0.12:  # a double surname
            last = f"{last}-{f.last_name()}"
        return last

    def person(self) -> str:
        f = self.faker()
        first, last, mid = f.first_name(), self._last(f), self.r.choice("ABCDEFGHJKLMNPRSTW")
        form = self.r.choice(["First Last", "First Last", "Last, First", "F. Last", "Last F", "Last, F.",
                              "First M. Last", "First Last", "Last", "F Last", "First L."])
        return {"First Last": f"{first} {last}", "Last, First": f"{last}, {first}", "F. Last": f"{first[0]}. {last}",
                "Last F": f"{last} {first[0]}", "Last, F.": f"{last}, {first[0]}.",
                "First M. Last": f"{first} {mid}. {last}", "Last": last, "F Last": f"{first[0]} {last}",
                "First L.": f"{first} {last[0]}."}[form]

    def relative(self) -> str:
        f = self.faker()
        return f.first_name() if self.r.random() < 0.6 else f"{f.first_name()} {f.last_name()}"

    # --- places ------------------------------------------------------------------------------
    def town(self) -> str:
        f = self.faker()
        if f is self.fakers["en_US"]:  # Faker's American towns are made up ("New Jeffreymouth"): real ones instead
            return self.r.choice(us_towns())
        return f.city()

    def facility(self, initials: bool = True) -> str:
        f = self.faker(0.6)
        r = self.r
        name = r.choice([f.city(), f.last_name(), f"St. {f.first_name()}'s", f"{f.last_name()} Memorial",
                         f"{f.city()} Regional"])
        head = r.choice(["Hospital", "General Hospital", "Medical Center", "Medical Ctr", "Rehab",
                         "Rehabilitation Hospital", "Nursing Home", "Nursing and Rehab", "Health Center", "Clinic",
                         "Community Health", "Hospice", "Shelter", "Manor", "Senior Living", "Urgent Care",
                         "Dialysis", "Family Practice", "Pediatrics", "Cancer Center"])
        full = f"{name} {head}"
        if initials and r.random() < 0.2:  # written as its initials, the way clinicians do ("LGH")
            return "".join(w[0] for w in re.findall(r"[A-Za-z]+", full) if w[0].isupper()).upper()
        return full

    def street(self) -> str:
        return self.faker(0.6).street_address().replace("\n", " ")

    def address(self) -> Plant:
        f = self.fakers["en_US"] if self.r.random() < 0.6 else self.faker()
        street, town, code = f.street_address().replace("\n", " "), f.city(), f.postcode()
        if f is self.fakers["en_US"]:
            place = self.r.choice(us_zip_codes())
            town, code = place["city"], place["zip_code"]
            tail = f"{town}, {place['state']} {code}"
            zip_at = len(tail) - len(code)
        else:
            tail = f"{code} {town}"
            zip_at = 0
        text = f"{street}, {tail}"
        base = len(street) + 2
        town_at = base + (0 if zip_at else len(code) + 1)
        return Plant(text, [(0, len(street), "STREET_ADDRESS"), (town_at, town_at + len(town), "LOCATION"),
                            (base + zip_at, base + zip_at + len(code), "ZIP_CODE")])

    # --- dates and ages ------------------------------------------------------------------------
    def date(self) -> str:
        d: date = self.faker().date_between(date(1925, 1, 1), date(2030, 12, 31))
        r = self.r
        kind = r.choices(["full", "day-month", "month-year", "spoken"], [0.6, 0.15, 0.1, 0.15])[0]
        if kind == "spoken":
            suffix = ORDINAL.get(d.day, "th")
            return r.choice([f"{d.day}{suffix} {d:%B}", f"{d:%B} {d.day}{suffix}", f"{d:%b} '{d:%y}",
                             f"{d:%B} of {d.year}", f"the {d.day}{suffix} of {d:%B}", f"{d.day}{suffix} {d:%b} {d.year}"])
        pattern = r.choice({"full": FULL_DATES, "day-month": DAY_MONTH, "month-year": MONTH_YEAR}[kind])
        return d.strftime(pattern)

    def birth_year(self) -> str:
        return str(self.r.randint(1905, 1935))

    def age(self) -> str:
        n, r = self.r.randint(90, 110), self.r
        if r.random() < 0.3:
            w = in_words(n)
            return r.choice([f"{w}-year-old", f"{w} year old", f"{w} years old", f"{w} yo", w])
        sex = [f"{n}M", f"{n}F"] if n < 100 else []  # "105F" is a temperature more often than an age
        return r.choice([f"{n} yo", f"{n} y/o", f"{n}-year-old", f"{n} year old", f"{n}yo", *sex,
                         f"{n} y.o.", f"{n} yrs", f"{n}-yo", f"{n} YO M", f"{n}y"])

    # --- numbers and addresses on the net --------------------------------------------------------
    def phone(self) -> str:
        f, r = self.faker(), self.r
        number = f.phone_number()
        if r.random() < 0.12:
            number = f"011 {f.country_calling_code().lstrip('+')} {f.msisdn()[-9:]}"
        elif r.random() < 0.12:
            number = f"{self.fakers['en_US'].numerify('###-###-####')} {r.choice(['x', 'ext ', 'ext. ', 'X'])}" \
                     f"{r.randint(10, 9999)}"
        return number

    def ssn(self) -> str:
        s = self.fakers["en_US"].ssn()
        return self.r.choice([s, s.replace("-", ""), s.replace("-", " ")])

    def email(self) -> str:
        f = self.faker()
        return self.r.choice([f.email(), f.free_email(), f.company_email()])

    def url(self) -> str:
        f = self.faker()
        return self.r.choice([f.url(), f.uri(), f"www.{f.domain_name()}", f.url().rstrip("/") + "/portal"])

    def ip(self) -> str:
        f = self.fakers["en_US"]
        return self.r.choice([f.ipv4(), f.ipv4_private(), f.ipv4_public(), f.ipv6() if self.r.random() < 0.3
                              else f.ipv4()])

    def mrn(self) -> str:
        return str(self.r.randint(10**5, 10**10 - 1)).zfill(self.r.choice([7, 8, 9, 10]))

    def plate(self) -> str:
        return self.faker().license_plate()

    def account(self) -> str:
        f = self.faker()
        return self.r.choice([f.iban(), f.bban(), f.credit_card_number()])

    def passport(self) -> str:
        return self.faker().passport_number()

    def digits(self, n: int) -> str:
        return "".join(str(self.r.randint(0, 9)) for _ in range(n))


def _t(*templates: str) -> tuple[str, ...]:
    return templates


# Sentences per kind: ``cue`` ones carry a word that points at the value, ``bare`` ones do not. "{v}" is the
# value, "{t}" a time. Each split has its own.
CUE: dict[str, dict[str, tuple[str, ...]]] = {
    "PERSON": {
        "dev": _t("Called to {v} at {t}.", "Critical value called to {v} @ {t}", "Read back by {v}.",
                  "{v} notified.", "Per {v}, ok to run.", "d/w {v}", "Results given to {v}, RN.", "Dr. {v} aware.",
                  "Recollect per {v}.", "Spoke with {v} re hemolysis.", "Verified by {v}.", "Collected by {v}.",
                  "Interpreted by {v}."),
        "heldout": _t("Notified {v} {t}.", "Reported to {v} (covering).", "Paged {v}.", "Acknowledged by {v}.",
                      "Discussed w/ {v}", "Relayed to {v}, RN", "Dr {v} notified of positive culture.",
                      "{v} MD informed.", "Message left for {v}.", "per {v} ok to cancel", "Drawn by {v}",
                      "Released by {v}.", "Final interpretation by {v}."),
    },
    "RELATIVE": {
        "dev": _t("Pt's daughter {v} at bedside.", "Wife {v} requests copy.", "Son {v} is HCP.",
                  "Brought in by sister {v}."),
        "heldout": _t("Husband {v} called for results.", "Per niece {v}, pt on coumadin.", "Mother {v} asked for copy",
                      "HCP is her son {v}."),
    },
    "LOCATION": {
        "dev": _t("Pt transferred from {v}.", "Specimen sent to {v} for testing.", "Lives in {v} with wife.",
                  "Result from {v} lab.", "OSH: {v}.", "Recent travel to {v}.", "Seen at {v} last week.",
                  "Arrived via {v} EMS.", "Home in {v}.", "Prior admission at {v}."),
        "heldout": _t("Sendout to {v}.", "Recently discharged from {v}.", "Originally from {v}.", "Transfer from {v}.",
                      "Resides in {v}.", "Followed at {v}.", "D/C to {v}.", "Brought from {v} by ambulance.",
                      "Prior MRSA at {v}.", "Visiting from {v}."),
    },
    "STREET_ADDRESS": {
        "dev": _t("Lives at {v}.", "Home address {v}.", "Mail report to {v}.", "Found down outside {v}."),
        "heldout": _t("Address on file: {v}.", "Pt resides at {v}.", "Send bill to {v}.", "Picked up at {v}."),
    },
    "ADDRESS": {
        "dev": _t("Lives at {v}.", "Address: {v}.", "Mail copy to {v}."),
        "heldout": _t("Home: {v}.", "Send results to {v}.", "Pt lives at {v}."),
    },
    "PHONE_NUMBER": {
        "dev": _t("Call {v} with results.", "Contact {v}.", "cb {v}", "Dr. office {v}.", "Reachable at {v}.",
                  "Tel: {v}", "Daughter's cell {v}."),
        "heldout": _t("Pls call {v} when resulted.", "Callback number {v}.", "Cell: {v}", "Page the fellow at {v}.",
                      "Phone {v}", "Wife can be reached at {v}.", "Lab # {v}"),
    },
    "FAX_NUMBER": {
        "dev": _t("Fax results to {v}.", "FAX# {v}", "fax {v}"),
        "heldout": _t("Faxed to {v}.", "Fax: {v}", "Please fax copy to {v}."),
    },
    "US_SSN": {
        "dev": _t("SSN {v}", "social security {v}.", "SS# {v}"),
        "heldout": _t("Soc sec no {v}.", "SSN: {v}", "social security number {v}"),
    },
    "DATE": {
        "dev": _t("Prior culture {v}.", "As of {v}.", "Last dose {v}.", "DOB {v}", "Collected {v} at OSH.",
                  "Admitted {v}.", "Seen in clinic on {v}."),
        "heldout": _t("Since {v}.", "Compare with {v}.", "Born {v}", "Previous specimen {v}.", "Sx began {v}.",
                      "Discharged {v}.", "Last seen {v}."),
    },
    "BIRTH_YEAR": {
        "dev": _t("Born in {v}.", "DOB {v}", "b. {v}"),
        "heldout": _t("Year of birth {v}.", "Born {v}", "DOB: {v}"),
    },
    "AGE_OVER_89": {
        "dev": _t("{v} female, dehydrated.", "Pt is {v}.", "{v} with fall", "Elderly {v}, sepsis."),
        "heldout": _t("{v} male with sepsis.", "Pt {v}, DNR.", "{v} s/p fall", "Age {v}."),
    },
    "EMAIL_ADDRESS": {"dev": _t("Email {v}.", "Send copy to {v}"), "heldout": _t("Results sent to {v}.", "E-mail: {v}")},
    "URL": {"dev": _t("See {v}.", "Results at {v}"), "heldout": _t("Results posted on {v}.", "Portal {v}")},
    "IP_ADDRESS": {"dev": _t("Uploaded from {v}.", "Host {v}"), "heldout": _t("Interface host {v}.", "From IP {v}")},
    "MEDICAL_RECORD_NUMBER": {
        "dev": _t("MRN {v}", "MR# {v}", "medical record number {v}", "Unit no. {v}"),
        "heldout": _t("MRN: {v}", "med rec # {v}", "Hospital number {v}", "Chart #{v}"),
    },
    "VEHICLE_ID": {
        "dev": _t("Plate {v}", "License plate {v}.", "MVC, car reg {v}"),
        "heldout": _t("Tag # {v}", "Vehicle plate {v}", "Driver of car {v}"),
    },
    "ACCOUNT_NUMBER": {
        "dev": _t("Acct {v}", "Account # {v}.", "Card {v}"),
        "heldout": _t("Billing account {v}", "Acct#: {v}", "Bank account {v}"),
    },
    "LICENSE_NUMBER": {
        "dev": _t("Passport {v}", "Passport no. {v}"),
        "heldout": _t("Passport #{v}", "ID: passport {v}"),
    },
}
# Sentences with no word that points at the value.
BARE: dict[str, dict[str, tuple[str, ...]]] = {
    "PERSON": {"dev": _t("{v}", "{v} {t}", "{v}: ok"), "heldout": _t("{v}.", "{t} {v}", "{v} - see above")},
    "RELATIVE": {"dev": _t("{v}",), "heldout": _t("{v}.",)},
    "LOCATION": {"dev": _t("{v}", "{v}."), "heldout": _t("{v}", "from {v}")},
    "STREET_ADDRESS": {"dev": _t("{v}",), "heldout": _t("{v}.",)},
    "ADDRESS": {"dev": _t("{v}",), "heldout": _t("{v}",)},
    "PHONE_NUMBER": {"dev": _t("{v}", "{v}."), "heldout": _t("{v}", "{v} x")},
    "FAX_NUMBER": {"dev": _t("{v}",), "heldout": _t("{v}",)},
    "US_SSN": {"dev": _t("{v}",), "heldout": _t("{v}.",)},
    "DATE": {"dev": _t("{v}", "{v}: repeat"), "heldout": _t("{v}.", "repeat {v}")},
    "BIRTH_YEAR": {"dev": _t("b {v}",), "heldout": _t("born {v}",)},
    "AGE_OVER_89": {"dev": _t("{v}",), "heldout": _t("{v}.",)},
    "EMAIL_ADDRESS": {"dev": _t("{v}",), "heldout": _t("{v}.",)},
    "URL": {"dev": _t("{v}",), "heldout": _t("{v}",)},
    "IP_ADDRESS": {"dev": _t("{v}",), "heldout": _t("{v}.",)},
    "MEDICAL_RECORD_NUMBER": {"dev": _t("{v}",), "heldout": _t("{v}.",)},
    "VEHICLE_ID": {"dev": _t("{v}",), "heldout": _t("{v}",)},
    "ACCOUNT_NUMBER": {"dev": _t("{v}",), "heldout": _t("{v}.",)},
    "LICENSE_NUMBER": {"dev": _t("{v}",), "heldout": _t("{v}",)},
}
BARE_SHARE = 0.25  # of sentences with no cue word

# kind -> entity type it is scored as, and the value maker
ENTITY = {"RELATIVE": "PERSON", "BIRTH_YEAR": "DATE", "ADDRESS": "STREET_ADDRESS"}
KINDS = tuple(CUE)
MAKERS: dict[str, Callable[[Values], str]] = {
    "PERSON": Values.person, "RELATIVE": Values.relative, "STREET_ADDRESS": Values.street,
    "PHONE_NUMBER": Values.phone, "FAX_NUMBER": Values.phone, "US_SSN": Values.ssn, "DATE": Values.date,
    "BIRTH_YEAR": Values.birth_year, "AGE_OVER_89": Values.age, "EMAIL_ADDRESS": Values.email, "URL": Values.url,
    "IP_ADDRESS": Values.ip, "MEDICAL_RECORD_NUMBER": Values.mrn, "VEHICLE_ID": Values.plate,
    "ACCOUNT_NUMBER": Values.account, "LICENSE_NUMBER": Values.passport,
}
# A mask's slot, from the words just before it (lower case): the kinds of value it may once have hidden.
SLOTS = [
    (re.compile(r"(?:interpreted|reported|interpretation|read back|notified|called to)\s+(?:by\s+)?$"), "PERSON"),
    (re.compile(r"(?:as of|effective|beginning|after|in use|on)\s+$"), "DATE"),
    (re.compile(r"(?:measured|performed|validated for use on urine samples) by (?:the )?$|available at (?:the )?$"),
     "LOCATION"),
    (re.compile(r"lab \($"), "PHONE_NUMBER"),
]


def _time(r: random.Random) -> str:
    return r.choice([f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}", f"{r.randint(1, 12)}:{r.randint(0, 59):02d}"
                     f"{r.choice(['am', 'pm', 'AM', 'PM', ''])}", f"{r.randint(0, 23):02d}{r.randint(0, 59):02d}"])


def _case(text: str, how: str) -> str:
    return {"upper": text.upper(), "lower": text.lower(), "title": text.title(), "as is": text}[how]


class Planter:
    """Plants values of one split into carriers (seeded, deterministic)."""

    def __init__(self, split: str, seed: int) -> None:
        if split not in SPLITS:
            raise ValueError(split)
        self.split, self.r = split, random.Random(f"faker-{split}-{seed}")
        self.v = Values(self.r)

    def _value(self, kind: str, bare: bool = False) -> Plant:
        if kind == "ADDRESS":
            return self.v.address()
        if kind == "LOCATION":  # a facility's initials ("LGH") only after a cue
            value = self.v.town() if self.r.random() < 0.5 else self.v.facility(initials=not bare)
        else:
            value = MAKERS[kind](self.v)
        return Plant(value, [(0, len(value), ENTITY.get(kind, kind))])

    def sentence(self, kind: str, case: str = "as is") -> Plant:
        """A short sentence holding one value of ``kind`` (several spans for an address), in ``case``."""
        bare = self.r.random() < BARE_SHARE
        form = self.r.choice((BARE if bare else CUE)[kind][self.split]).replace("{t}", _time(self.r))
        head, _, tail = form.partition("{v}")
        value = self._value(kind, bare)
        text = _case(value.text, case)
        if len(text) != len(value.text):  # a letter whose case changes its length ("ß") would shift the spans
            text = value.text
        head = _case(head, case)
        return Plant(head + text + _case(tail, case), [(a + len(head), b + len(head), e) for a, b, e in value.spans])

    def plant(self, kind: str, carrier: str) -> Plant:
        """``carrier`` (real text) with one value of ``kind`` planted in it."""
        shout = carrier.upper() == carrier and any(c.isalpha() for c in carrier)
        how = self.r.choices(["fill", "append", "prepend", "bare"], [0.25, 0.4, 0.15, 0.2])[0]
        if how == "fill" and (filled := self._fill(kind, carrier, shout)) is not None:
            return filled
        case = self.r.choices(["as is", "upper", "lower", "title"], [0.45, 0.3, 0.15, 0.1])[0]
        if shout and case == "as is" and self.r.random() < 0.7:
            case = "upper"
        s = self.sentence(kind, case)
        base = carrier.rstrip()
        if how == "bare" or not base or base == "___":
            return s
        if how in ("append", "fill"):
            lead = base + ("  " if base.endswith(".") else self.r.choice(["  ", ". ", "; ", ", ", " - "]))
            return Plant(lead + s.text, [(a + len(lead), b + len(lead), e) for a, b, e in s.spans])
        sep = self.r.choice([" ", ". ", "; ", ", "])
        return Plant(s.text + sep + base, s.spans)

    def _fill(self, kind: str, carrier: str, shout: bool) -> Plant | None:
        for m in re.finditer(r"___", carrier):
            slot = next((k for rx, k in SLOTS if rx.search(carrier[:m.start()].lower())), None)
            if slot == ENTITY.get(kind, kind) and kind not in ("BIRTH_YEAR", "ADDRESS"):
                value = self._value(kind)
                text = value.text.upper() if shout and len(value.text.upper()) == len(value.text) else value.text
                return Plant(carrier[:m.start()] + text + carrier[m.end():],
                             [(m.start() + a, m.start() + b, e) for a, b, e in value.spans])
        return None


def plants(split: str, seed: int, carriers: list[str], per_kind: int,
           kinds: tuple[str, ...] = KINDS) -> list[tuple[int, Plant, str]]:
    """``per_kind`` plants of each kind: (index of the carrier used, the plant, its kind). A carrier is used once."""
    planter = Planter(split, seed)
    free = list(range(len(carriers)))
    planter.r.shuffle(free)
    out = []
    for kind in kinds:
        for _ in range(per_kind):
            if not free:
                raise ValueError("not enough carriers for this many plants")
            i = free.pop()
            out.append((i, planter.plant(kind, carriers[i]), kind))
    return out


# --- planting into copies of the real demos --------------------------------------------------------------
CLINICAL = {"labevents": ("hosp/labevents.csv.gz", "labevent_id"),
            "microbiologyevents": ("hosp/microbiologyevents.csv.gz", "microevent_id")}
TRIAGE = ("triage.csv.gz", "stay_id", "chiefcomplaint")
SHARES = {"labevents": 0.45, "microbiologyevents": 0.2, "triage": 0.35}
ED_KEY_BASE = 90_000_000  # planted ED rows get stay_ids from here (the real ones are below 40,000,000)


def _values(con, sql: str) -> list[tuple[str, str]]:
    return [(str(k), v) for k, v in con.execute(sql).fetchall()]


def plant_demos(demo: Path, ed: Path, out: Path, split: str, seed: int, per_kind: int,
                kinds: tuple[str, ...] = KINDS) -> tuple[Path, Path, list[dict]]:
    """Copy the clinical demo to ``out/clinical`` with values planted into lab and microbiology comments, and
    write ``out/triage.csv.gz``: the ED demo's triage rows plus one planted row per ED plant (a real chief
    complaint as carrier, a new stay_id). Returns both paths and the ground truth (table, column, row, span)."""
    import duckdb

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    clinical = out / "clinical"
    shutil.copytree(demo, clinical)
    (clinical / "SHA256SUMS.txt").unlink(missing_ok=True)  # the rewritten files no longer match
    planter = Planter(split, seed)
    con = duckdb.connect()
    pools: dict[str, list[tuple[str, str]]] = {}
    for table, (file, key) in CLINICAL.items():
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{demo / file}', all_varchar=true, header=true)")
        pools[table] = _values(con, f"SELECT {key}, comments FROM {table} WHERE comments IS NOT NULL ORDER BY {key}")
    file, key, column = TRIAGE
    con.execute(f"CREATE TABLE triage AS SELECT * FROM read_csv('{ed / file}', all_varchar=true, header=true)")
    complaints = [v for _, v in _values(con, f"SELECT {key}, {column} FROM triage WHERE {column} IS NOT NULL "
                                             f"ORDER BY {key}")]
    for pool in pools.values():
        planter.r.shuffle(pool)
    truth: list[dict] = []
    updates: dict[str, list[tuple[str, str]]] = {t: [] for t in CLINICAL}
    ed_rows: list[tuple[str, str]] = []
    for kind in kinds:
        for _ in range(per_kind):
            table = planter.r.choices(list(SHARES), list(SHARES.values()))[0]
            if table == "triage":
                row_id, col = str(ED_KEY_BASE + len(ed_rows)), column
                p = planter.plant(kind, planter.r.choice(complaints))
                ed_rows.append((row_id, p.text))
                row = {key: row_id}
            else:
                row_id, carrier = pools[table].pop()
                col = "comments"
                p = planter.plant(kind, carrier)
                updates[table].append((row_id, p.text))
                row = {CLINICAL[table][1]: int(row_id)}
            truth += [{"table": table, "column": col, "row": row, "start": a, "end": b, "entity_type": e,
                       "kind": kind} for a, b, e in p.spans]
    for table, (name, key_col) in CLINICAL.items():
        con.execute("CREATE OR REPLACE TEMP TABLE upd (k VARCHAR, v VARCHAR)")
        con.executemany("INSERT INTO upd VALUES (?, ?)", updates[table])
        con.execute(f"UPDATE {table} SET comments = upd.v FROM upd WHERE {table}.{key_col} = upd.k")
        con.execute(f"COPY {table} TO '{clinical / name}' (HEADER, COMPRESSION gzip)")
    con.execute("CREATE OR REPLACE TEMP TABLE planted (k VARCHAR, v VARCHAR)")
    if ed_rows:
        con.executemany("INSERT INTO planted VALUES (?, ?)", ed_rows)
    con.execute(f"INSERT INTO triage BY NAME SELECT k AS {key}, v AS {column} FROM planted")
    triage = out / TRIAGE[0]
    con.execute(f"COPY triage TO '{triage}' (HEADER, COMPRESSION gzip)")
    con.close()
    return clinical, triage, truth
