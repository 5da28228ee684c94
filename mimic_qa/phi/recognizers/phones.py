"""PHONE_NUMBER and FAX_NUMBER: telephone numbers of any country, checked with ``phonenumbers`` (Google's
libphonenumber metadata, which Presidio ships with).

A candidate is a run of digit groups with the separators people type (spaces, dashes, dots, slashes,
brackets), an optional "+", "00" or "011" in front and an extension after ("x123", "ext. 45"). It is a number
when:

* it has an international prefix and its country code and length fit that country (score 0.7);
* it is a valid North American number (area code and exchange), separated or not (0.6);
* a phone word precedes it ("tel", "cell", "call", "contact", "cb", "pager", "#") and it has 7 to 15 digits
  (0.6): each country's national format ("0808 1570141", "06-14/177 7631");
* it is written in a national format with a trunk "0" and separators, and its length fits one of the
  countries whose people a US hospital most often sees (0.55).

After "fax" the same numbers are FAX_NUMBER (0.75, above PHONE_NUMBER for the same span).
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult

from mimic_qa.phi.entities import Entity

_EXT = r"(?:[ \t]*,?[ \t]*(?:x|ext\.?|extension|EXT\.?|X)[ \t]*\d{1,6})?"
CANDIDATE = re.compile(r"(?<![\w.+/\-])(?:(\+|00(?=[1-9])|011(?=[ \t\-.]*[1-9]))[ \t]*)?"
                       r"(\(?\d[\d \t().\-/]{4,24}\d)" + rf"({_EXT})" + r"(?![\w/\-]|[.,:]\d)")
PHONE_CUE = re.compile(r"(?i)\b(?:phone|ph|tel|telephone|cell|cellphone|mobile|mob|pager|beeper|call(?:ed)?(?:[ \t]+back)?"
                       r"(?:[ \t]+(?:at|on))?|contact|reach(?:ed|able)?(?:[ \t]+at)?|cb|callback|#|home|work|"
                       r"office|line|tele)\b[ \t.:#\-]*(?:\w+[ \t]+)?$|#[ \t]*$")
FAX_CUE = re.compile(r"(?i)\b(?:fax|faxed|facsimile)\b[^\d\n]{0,15}$")
_DIGIT = re.compile(r"\d")
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d")
_SSN_SHAPE = re.compile(r"\d{3}([ \-]?)\d{2}\1\d{4}")
_NANP_SHAPE = re.compile(r"(?:1[ \t.\-]?)?(?:\(\d{3}\)[ \t]?|\d{3}[ \t]?[.\-/][ \t]?)\d{3}[ \t]?[.\-][ \t]?\d{4}")
# a range or a list of measurements, not a number: "5-20", "7-10AM 6.0-18.4", "120/80"
_MEASURES = re.compile(r"\d\.\d|\d[ \t]*/[ \t]*\d{1,3}(?!\d)")
# countries of a trunk-"0" national format whose length is checked without a phone word
NATIONAL_REGIONS = ("GB", "IE", "FR", "DE", "AT", "CH", "IT", "ES", "PT", "NL", "BE", "SE", "NO", "DK", "FI", "PL",
                    "CZ", "SK", "HU", "RO", "HR", "TR", "GR", "IN", "PK", "BR", "MX", "VN", "PH", "CN", "JP", "KR",
                    "HT", "DO", "CV", "NG", "ET", "IL", "RU", "UA", "AU", "NZ", "ZA")


@lru_cache(maxsize=4096)
def _possible(number: str, region: str | None) -> bool:
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(number, region))
    except phonenumbers.NumberParseException:
        return False


@lru_cache(maxsize=4096)
def _valid_us(number: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, "US"))
    except phonenumbers.NumberParseException:
        return False


def phone_score(text: str, m: re.Match[str]) -> float:
    """The score of one candidate (0: not a telephone number)."""
    prefix, body, ext = m.group(1) or "", m.group(2), m.group(3)
    digits = "".join(_DIGIT.findall(body))
    if not 7 <= len(digits) <= 15 or body.count("(") != body.count(")"):
        return 0.0
    if prefix:
        intl = "+" + digits if prefix == "+" else "+" + digits  # 00 and 011 are international call prefixes
        return 0.7 if _possible(intl, None) else 0.0
    separated = len(re.findall(r"[ \t().\-/]+", body.strip())) > 0
    before = text[max(0, m.start() - 30):m.start()]
    if _TIMESTAMP.search(body) or _SSN_SHAPE.fullmatch(body):
        return 0.0  # "2148-08-16 12:27:56"; "123-45-6789" and nine digits are read as SSNs
    if PHONE_CUE.search(before) or FAX_CUE.search(before):
        return 0.6
    if _NANP_SHAPE.fullmatch(body):
        return 0.6  # "676-463-1630", "(617) 555-0100": the North American shape, whatever the area code
    if _MEASURES.search(body) and not re.fullmatch(r"\(?\d{3}\)?[ .\-/]?\d{3}[ .\-]\d{4}", body):
        return 0.0  # "6.0-18.4", "120/80 130/90": measurements, not a number
    if len(digits) in (10, 11) and _valid_us(digits if len(digits) == 10 or digits[0] != "1" else digits[1:]):
        if separated or ext or len(digits) == 10:
            return 0.6
    if digits[0] == "0" and separated and 9 <= len(digits) <= 12:
        if any(_possible(digits, r) for r in NATIONAL_REGIONS):
            return 0.55
    return 0.0


class MimicPhoneRecognizer(EntityRecognizer):
    """Telephone and fax numbers of every country (see the module's notes)."""

    def __init__(self) -> None:
        super().__init__(supported_entities=[Entity.PHONE_NUMBER.value, Entity.FAX_NUMBER.value],
                         name="MimicPhoneRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        out = []
        for m in CANDIDATE.finditer(text):
            score = phone_score(text, m)
            if not score:
                continue
            start = m.start(1) if m.group(1) else m.start(2)
            end = m.end(3) if m.group(3) else m.end(2)
            while end > start and text[end - 1] in " \t.-/(":
                end -= 1
            fax = FAX_CUE.search(text, max(0, start - 20), start)
            entity, score = (Entity.FAX_NUMBER.value, 0.75) if fax else (Entity.PHONE_NUMBER.value, score)
            if entities and entity not in entities:
                continue
            out.append(RecognizerResult(entity, start, end, score, recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return out
