"""DATE: real calendar dates in the forms clinicians write them. Years 2100-2210 are MIMIC's shifted dates and
are not PHI; a year alone is PHI only as a year of birth.

Forms (case-insensitive, any separator kept consistent within a date):

* numeric with a year: month/day/year, day.month.year, year/month/day, two- or four-digit years, checked to be
  a real calendar date in at least one reading ("3/14/19", "14.03.2019", "2019/03/14", "03-14-2019");
* eight digits run together as year, month and day ("20190314");
* a month's name or abbreviation with a day and/or a year, in either order, with an ordinal day, a weekday
  before it, "of" between, or a two-digit year after an apostrophe ("March 3rd", "3rd March", "the 3rd of
  March", "Mon, Mar 3 2019", "Oct '18", "May of 2017", "14-MAR-2019", "14MAR2019");
* month/day with no year only after a weekday or a date word ("Mon 3/14", "since 3/14"): a bare "3/4" is as
  often a fraction or a count;
* a four-digit year after a birth cue ("born in 1931", "DOB 1931", "b. 1931").
"""

from __future__ import annotations

import re
from datetime import date

from presidio_analyzer import EntityRecognizer, RecognizerResult

from mimic_qa.phi.entities import Entity

SHIFTED_YEARS = range(2100, 2211)
FIRST_YEAR, LAST_YEAR = 1850, 2099  # four-digit years read as real ones
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
           "nov": 11, "dec": 12}
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
WEEKDAY = r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
YEAR2 = r"(?:'\d\d|\d\d)"
_WD = rf"(?:{WEEKDAY},?[ \t]+)?"
# words after which a month/day with no year ("3/14") is a date
DATE_WORDS = (r"on|of|since|dob|d\.o\.b\.?|born|dated|admitted|admit|discharged|prior|previous|last|collected|drawn|"
              r"from|until|till|through|thru|before|after|culture|specimen|dose|seen|visit|done|repeat|compare|"
              r"compared|began|begin|started|start|starting|onset|due|sent|received|date|dt|dd|as of|effective|"
              r"beginning|in use")

_NUMERIC = re.compile(r"(?<![\w/.\-])(\d{1,4})([/.\-])(\d{1,2})\2(\d{2,4})(?![\w/\-]|\.\d)")
# (not the subject_id of a MIMIC note identifier: "19430609-RR-2")
_COMPACT = re.compile(r"(?<![\w.])((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\w]|\.\d|-(?:DS|AD|RR|AR)-\d)")
_WORDED = re.compile(rf"""(?ix)(?<![\w'])(?:
    {_WD}(?:the[ \t]+)?{DAY}(?:[ \t]+of)?[ \t\-]*{MONTH}(?:,?[ \t\-]*(?:{YEAR}|{YEAR2})(?![\w:]))? |
    {_WD}{MONTH}[ \t\-]*{DAY}(?:,?[ \t]+{YEAR})?(?![\w/]|[:.]\d) |
    {_WD}{MONTH}(?:,|[ \t]+of)?[ \t]*{YEAR}(?!\w) |
    {_WD}{MONTH}[ \t\-]*'\d\d(?!\w) |
    {_WD}{MONTH}-\d\d(?![\w\-])
)""")
_DAY_NAMED = re.compile(rf"(?i)(?<![\w/])(?:{WEEKDAY.replace('sat(?:urday)?', 'saturday').replace('sun(?:day)?', 'sunday')}|(?:{DATE_WORDS})[ \t]*:?)[ \t,]*((?:0?[1-9]|1[0-2])/(?:3[01]|[12]\d|0?[1-9]))"
                        r"(?![\w/]|\.\d)")
_BIRTH_YEAR = re.compile(r"(?i)(?<!\w)(?:born(?:[ \t]+in)?|b\.|b|dob|d\.o\.b\.?|yob|year[ \t]+of[ \t]+birth)[ \t]*[:\-]?"
                         r"[ \t]*(1[89]\d\d|20[0-2]\d)(?![\w/\-]|\.\d)")
# what follows a number that makes "May 2" or "Dec 3" a quantity, not a date
_QUANTITY_AFTER = re.compile(r"(?i)[ \t]*(?:mg|mcg|g|ml|l|units?|u|%|mm|cm|kg|meq|mmol|doses?|tabs?|x|times|hours?|hrs?|"
                             r"days?|wks?|weeks?|min|minutes?|cells?|bottles?|sets?|of[ \t]+\d)\b")
_YEAR_IN = re.compile(r"\d{4}")
# month abbreviations that are also words ("may", "MAR" the administration record, "dec" decreased, "Jan" a name):
# without a year they need an ordinal day, "of", or a weekday
_AMBIGUOUS = re.compile(r"(?i)\b(?:may|mar|dec|jan)[ \t]|[ \t](?:may|mar|dec|jan)\b")
_CUE_BEFORE = re.compile(rf"(?i)\b(?:{DATE_WORDS})[ \t]*:?[ \t]*$")
_SURE = re.compile(rf"(?i)\d(?:st|nd|rd|th)\b|\bof\b|^{WEEKDAY}")


def _real_year(y: int) -> bool:
    return FIRST_YEAR <= y <= LAST_YEAR and y not in SHIFTED_YEARS


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y if y >= 100 else 2000 + y, m, d)
    except ValueError:
        return False
    return True


def numeric_date(a: str, b: str, c: str) -> bool:
    """Is a/b/c a real calendar date in some reading (y/m/d, m/d/y or d/m/y) whose year is not shifted?"""
    x, y, z = int(a), int(b), int(c)
    if len(a) == 4:
        return len(c) <= 2 and _real_year(x) and _valid(x, y, z)
    if len(a) == 3 or len(c) == 3:
        return False
    if len(c) == 4 and not _real_year(z):
        return False
    return _valid(z, x, y) or _valid(z, y, x)


class UnshiftedDateRecognizer(EntityRecognizer):
    """Dates whose year is not in the shifted range (or that have no year), in the forms above."""

    def __init__(self) -> None:
        super().__init__(supported_entities=[Entity.DATE.value], name="MimicDateRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        found: list[tuple[int, int, float]] = []
        for m in _NUMERIC.finditer(text):
            if numeric_date(m.group(1), m.group(3), m.group(4)):
                found.append((m.start(), m.end(), 0.85 if len(m.group(4)) == 4 or len(m.group(1)) == 4 else 0.7))
        for m in _COMPACT.finditer(text):
            if _real_year(int(m.group(1))) and _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))):
                found.append((m.start(), m.end(), 0.6))
        for m in _WORDED.finditer(text):
            span = m.group()
            years = [int(y) for y in _YEAR_IN.findall(span)]
            if any(not _real_year(y) for y in years):
                continue
            if not years and _QUANTITY_AFTER.match(text, m.end()):
                continue  # "Dec 2 units", "may 2 doses"
            if not years and _AMBIGUOUS.search(span) and not _SURE.search(span) and \
                    not _CUE_BEFORE.search(text, max(0, m.start() - 16), m.start()):
                continue  # "results may 2", "MAR 2 doses", "dec 3": a verb or an abbreviation and a number
            found.append((m.start(), m.end(), 0.85 if years else 0.6))
        for m in _DAY_NAMED.finditer(text):
            found.append((m.start(1), m.end(1), 0.6))
        for m in _BIRTH_YEAR.finditer(text):
            found.append((m.start(1), m.end(1), 0.6))
        return [RecognizerResult(Entity.DATE.value, a, b, s, recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
                for a, b, s in found]
