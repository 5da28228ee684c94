"""STREET_ADDRESS: a house number, street name words and a street suffix, a PO box, or after an address cue
("lives at", "address:", "mail copy to") any street written with a number, in any country's order
("Skolgatan 86", "Felix-Ritter-Gasse 835", "12, rue de la Paix").

The suffixes are a short list of the common US ones written here (not Faker's, which the evaluation uses).
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.recognizers.cues import POSTCODE, US_STATES

SUFFIXES = ("Street St Avenue Ave Av Road Rd Boulevard Blvd Lane Ln Drive Dr Court Ct Place Pl Square Sq Terrace Ter "
            "Circle Cir Way Highway Hwy Parkway Pkwy Route Rte Turnpike Tpke Park Plaza Pike Row Path Trail Trl Alley "
            "Heights Hts Hill Hills Point Pt Ridge Extension Ext Crossing Xing Commons Green Gardens Wharf Pier "
            "Broadway Mall Loop Walk Close Crescent Cres Grove Gr Mews Rise View").split()
_SUFFIX = "|".join(sorted(SUFFIXES + [w.upper() for w in SUFFIXES], key=len, reverse=True))
_UNIT = r"(?:[ \t,]+(?i:apt|suite|unit|ste|#|floor|fl|room|rm)\.?[ \t]*#?[A-Za-z0-9-]+)?"
_WORD = r"(?:[A-Z][\w'’.\-]*|[A-Z]{2,}|\d+(?:st|nd|rd|th))"
_ANY = r"[^\W\d_][\w'’\-]*\.?"  # a word in any case and script, an abbreviation's dot
_STATES = "|".join(US_STATES)
# the words of the address cues and of a PO box (for the gate)
ADDRESS_WORDS = frozenset("lives living resides residing staying stays address mail send sent deliver found picked "
                          "home d dc c box pobox apt suite ste unit".split())
ADDRESS_CUE = (r"(?i:\b(?:lives|living|resides|residing|staying|stays)[ \t]+(?:at|on)|\baddress(?:[ \t]+on[ \t]+file)?[ \t]*:?|"
               r"\b(?:mail|send|sent|deliver)(?:[ \t]+(?:a[ \t]+)?(?:copy|report|results|bill|letter|it))?[ \t]+to|"
               r"\bfound[ \t]+(?:down[ \t]+)?(?:outside|at|near)|\bpicked[ \t]+up[ \t]+at|\bhome[ \t]*:|\bd/?c[ \t]+to)")


class StreetAddressRecognizer(PatternRecognizer):
    """"27868 Tiffany Road", "80695 Brown Hills Apt. 304", "PO Box 123", "lives at Skolgatan 86"."""

    def __init__(self) -> None:
        patterns = [
            Pattern("street", rf"(?<![\d.,/:-])\b\d{{1,6}}[ \t]+(?:[NSEW]\.?[ \t]+)?(?:{_WORD}[ \t]+){{1,3}}"
                              rf"(?:{_SUFFIX})\b\.?{_UNIT}", 0.7),
            Pattern("po-box", r"\b(?i:p\.?[ \t]*o\.?[ \t]*box)[ \t]+\d{1,6}\b", 0.8),
            # a house number, words and a flat or suite number, whatever the street's suffix and case
            Pattern("with-unit", rf"(?<![\d.,/:-])\b\d{{1,6}}[ \t]+(?:[NSEW]\.?[ \t]+)?(?:{_ANY}[ \t]+){{1,3}}"
                                 rf"(?i:apt|suite|ste|unit)\.?[ \t]*#?[A-Za-z]?\d{{1,5}}[A-Za-z]?\b", 0.7),
            # a house number and words before ", Town, ST 12345"
            Pattern("before-town-state-zip", rf"(?<![\d.,/:-])\b\d{{1,6}}[ \t]+(?:{_ANY}[ \t]+){{0,3}}{_ANY}"
                                             rf"(?=,[ \t]*(?:{_ANY}[ \t]+){{0,2}}{_ANY},[ \t]*(?i:{_STATES})\.?[ \t]+\d{{5}})", 0.7),
            # after an address cue: a number and words, or words and a number, in any case
            Pattern("cued-number-first", rf"(?<={ADDRESS_CUE}[ \t]+)\d{{1,6}}[a-zA-Z]?,?[ \t]+(?:[^\W\d_][\w'’.\-]*[ \t]*){{1,4}}"
                                         rf"{_UNIT}(?=[ \t]*(?:[.,;)]|$))", 0.7),
            Pattern("cued-name-first", rf"(?<={ADDRESS_CUE}[ \t]+)(?:[^\W\d_][\w'’.\-]*,?[ \t]+){{1,4}}\d{{1,5}}[a-zA-Z]?"
                                       rf"(?:/\d+)?{_UNIT}(?![\w/-])", 0.7),
        ]
        super().__init__(supported_entity=Entity.STREET_ADDRESS.value, patterns=patterns,
                         name="MimicStreetAddressRecognizer", global_regex_flags=re.DOTALL | re.MULTILINE, context=[])


_POSTCODE_NEXT = re.compile(rf",[ \t]*{POSTCODE}[ \t]+[^\W\d_]")
_STREET_BEFORE = re.compile(rf"(?:{_ANY}[ \t]){{0,3}}{_ANY}[ \t]+\d{{1,5}}[A-Za-z]?(?:/\d+)?\.?[ \t]*$")


class PostcodeStreetRecognizer(EntityRecognizer):
    """Words and a house number before ", postcode Town" (Europe's order: "Gröttnerstraße 1, 62857 Günzburg",
    "SZEGEDI UTCA 191., H-1963 SZOMBATHELY"): found from the comma and postcode back to the street."""

    def __init__(self) -> None:
        super().__init__(supported_entities=[Entity.STREET_ADDRESS.value], name="MimicPostcodeStreetRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        out = []
        for m in _POSTCODE_NEXT.finditer(text):
            street = _STREET_BEFORE.search(text, max(0, m.start() - 80), m.start())
            if street:
                end = street.start() + len(street.group().rstrip(" \t"))
                out.append(RecognizerResult(Entity.STREET_ADDRESS.value, street.start(), end, 0.7, recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return out
