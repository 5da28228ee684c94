"""PHONE_NUMBER and FAX_NUMBER: North American numbers in their usual spellings, with extensions."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from mimic_qa.phi.entities import Entity

# area code and exchange: "617-555-0100", "(617) 555-0100", "617.555.0100", "617/555-0100", "+1 617 555 0100"
_SEP = r"[ \t]*[-./][ \t]*"
NANP = (r"(?<![\d.])(?:(?:\+?1|001)[ \t]*[-.]?[ \t]*)?"
        rf"(?:\([ \t]*\d{{3}}[ \t]*\)[ \t]*(?:[-.][ \t]*)?|\d{{3}}{_SEP})\d{{3}}{_SEP}\d{{4}}"
        r"(?:[ \t]*,?[ \t]*(?:x|ext\.?|extension|EXT\.?|X)[ \t]*\d{1,6})?(?![\d])")
# space-separated groups only with a valid area code and exchange (not "100 200 3000")
NANP_SPACED = (r"(?<![\d.])(?:\+?1[ \t]+)?[2-9]\d{2}[ \t]+[2-9]\d{2}[ \t]+\d{4}"
               r"(?:[ \t]*(?:x|ext\.?|extension|EXT\.?|X)[ \t]*\d{1,6})?(?![\d])")
PLAIN10 = r"(?<![\d.])(?:\+?1)?\d{10}(?!\d|\.\d)"
PHONE_CUE = r"(?i:phone|tel|telephone|cell|mobile|pager|beeper|call(?:ed)?(?:\s+back)?(?:\s+at)?|contact|ph|#)"
NANP_PLAIN = r"(?<![\d.])(?:\+?1)?[2-9]\d{2}[2-9]\d{6}(?!\d|\.\d)"  # valid area code and exchange, no separators
FAX_CUE = r"(?i:fax|facsimile)"


class PhoneRecognizer(PatternRecognizer):
    """Formatted ten-digit numbers anywhere; bare ten digits after a phone cue or shaped like a US number."""

    def __init__(self) -> None:
        patterns = [
            Pattern("nanp", NANP, 0.6),
            Pattern("nanp-spaced", NANP_SPACED, 0.6),
            Pattern("cued-plain", rf"(?<={PHONE_CUE}\W{{0,6}}){PLAIN10}", 0.6),
            Pattern("plain-nanp", NANP_PLAIN, 0.55),  # above OTHER_ID's 0.5 for the same digits
        ]
        super().__init__(supported_entity=Entity.PHONE_NUMBER.value, patterns=patterns, name="MimicPhoneRecognizer",
                         global_regex_flags=re.DOTALL | re.MULTILINE, context=[])


class FaxRecognizer(PatternRecognizer):
    """The same numbers after "fax"; scored above PHONE_NUMBER so the overlap resolves to FAX_NUMBER."""

    def __init__(self) -> None:
        patterns = [Pattern("fax", rf"(?<={FAX_CUE}[^\d\n]{{0,15}})(?:{NANP}|{NANP_SPACED}|{PLAIN10})", 0.75)]
        super().__init__(supported_entity=Entity.FAX_NUMBER.value, patterns=patterns, name="MimicFaxRecognizer",
                         global_regex_flags=re.DOTALL | re.MULTILINE, context=[])
