"""DATE: real calendar dates. Years 2100-2210 are MIMIC's shifted dates and are not PHI."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from mimic_qa.phi.entities import Entity

SHIFTED_YEARS = range(2100, 2211)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH_WORD = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
               r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
MONTH = rf"(?:{_MONTH_WORD}|{_MONTH_WORD.upper()})\.?"
DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th|ST|ND|RD|TH)?"
YEAR4 = r"(?:1[89]\d\d|2\d\d\d)"

# words after which a bare month/day ("6/25") is a date rather than a ratio
DATE_CUE = (r"(?i:on|of|since|dob|d\.o\.b\.|born|dated|admitted|discharged|prior|previous|last|collected|drawn|"
            r"from|until|through|thru|before|after|with|culture|specimen|dose|seen|visit|done)")

_NUMBERS = re.compile(r"\d+")


class UnshiftedDateRecognizer(PatternRecognizer):
    """Numeric and month-name dates whose year is not in the shifted range (or that have no year)."""

    def __init__(self) -> None:
        patterns = [
            Pattern("iso", rf"\b{YEAR4}-(?:0?[1-9]|1[0-2])-(?:[12][0-9]|3[01]|0?[1-9])\b", 0.85),
            Pattern("us-numeric", rf"(?<![\d/.])(?:0?[1-9]|1[0-2])[/-](?:[12][0-9]|3[01]|0?[1-9])[/-]{YEAR4}\b", 0.85),
            Pattern("us-numeric-yy", r"(?<![\d/.])(?:0?[1-9]|1[0-2])/(?:[12][0-9]|3[01]|0?[1-9])/\d\d(?![\d/])", 0.6),
            Pattern("cued-month-day", rf"(?<=\b{DATE_CUE}[ \t]*:?[ \t]*)(?:0?[1-9]|1[0-2])/(?:[12][0-9]|3[01]|0?[1-9])"
                                      r"(?![\d/])", 0.6),
            Pattern("month-day-year", rf"\b{MONTH}[ \t]+{DAY},?[ \t]+{YEAR4}\b", 0.85),
            Pattern("day-month-year", rf"\b{DAY}(?:[ \t]+of)?[ \t-]+{MONTH}[ \t,-]+{YEAR4}\b", 0.85),
            Pattern("month-day", rf"\b{MONTH}[ \t]+{DAY}\b(?![ \t]*(?:mg|mcg|ml|units?|%|g\b|,?[ \t]*\d))", 0.6),
            Pattern("day-of-month", rf"\b{DAY}[ \t]+of[ \t]+{MONTH}\b", 0.6),
            Pattern("month-year", rf"\b{MONTH},?[ \t]+{YEAR4}\b", 0.6),
            Pattern("numeric-month-year", rf"(?<![\d/.])(?:0?[1-9]|1[0-2])/{YEAR4}\b", 0.5),
        ]
        super().__init__(supported_entity=Entity.DATE.value, patterns=patterns, name="MimicDateRecognizer",
                         global_regex_flags=re.DOTALL | re.MULTILINE, context=[])

    def invalidate_result(self, pattern_text: str) -> bool:
        """A date whose four-digit year is in MIMIC's shifted range is already de-identified."""
        return any(len(n) == 4 and int(n) in SHIFTED_YEARS for n in _NUMBERS.findall(pattern_text))
