"""AGE_OVER_89: ages of 90 and above (Safe Harbor C; MIMIC groups them as 91), in digits or in words."""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from mimic_qa.phi.entities import Entity

AGE = r"(?:9\d|1[01]\d)"
UNIT = r"(?:years?[- ]old|year-old|yr-old|y/?o|y\.o\.?|yo|yrs?|years?|y)(?![a-z])"
_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
# 90-119 in words: "ninety", "ninety-three", "one hundred", "one hundred and four", "a hundred and ten"
_NINETIES = rf"ninety(?:[- ]?(?:{'|'.join(_UNITS)}))?"
_HUNDREDS = (rf"(?:one|a)[- ]hundred(?:[- ](?:and[- ])?(?:{'|'.join(_TEENS)}|{'|'.join(_UNITS)}))?")
AGE_WORDS = rf"(?:{_NINETIES}|{_HUNDREDS})"
# what a number in words may count instead of years
_OTHER_COUNT = r"(?:percent|%|minutes?|mins?|seconds?|secs?|hours?|hrs?|days?|weeks?|months?|times|mg|ml|cc|units?|beats|bpm|degrees?|pounds?|lbs?|kg|cells|colonies|mmhg)"
_TEMPERATURE = re.compile(r"(?i)\b(?:t|temp|tmax|tcurrent|temperature|febrile|fever|afebrile|hypothermi[ac])\b[^\n]{0,12}$")

_DIGITS = re.compile(rf"(?i)(?<![\d.,/\-])({AGE})(?:[ \t]*-?[ \t]*{UNIT}|([MF])\b|[ \t]?(?:yo|y/o)?[ \t]?([MF])\b(?=[ \t,]))")
_CUED = re.compile(rf"(?i)\b(?:age|aged)[ \t]*:?[ \t]*({AGE}|{AGE_WORDS})(?!\d|\.\d|[ \t]*(?:{_OTHER_COUNT})\b)")
_WORDS = re.compile(rf"(?i)(?<![\w-])({AGE_WORDS})(?:([ \t]*-?[ \t]*{UNIT})|(?![\w-]|[ \t]*(?:{_OTHER_COUNT}|and|point|hundred)\b))")


class AgeOver89Recognizer(EntityRecognizer):
    """"93 yo", "95-year-old", "91M", "age 97", "ninety-three year old", "one hundred and two"."""

    def __init__(self) -> None:
        super().__init__(supported_entities=[Entity.AGE_OVER_89.value], name="MimicAgeRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        found: list[tuple[int, int, float]] = []
        for m in _DIGITS.finditer(text):
            sex = m.group(2) or m.group(3)
            if sex and (_TEMPERATURE.search(text, max(0, m.start() - 20), m.start())
                        or (sex.upper() == "F" and int(m.group(1)) >= 100)):
                continue  # "T 101F" is a temperature
            found.append((m.start(), m.end(), 0.85 if not sex else 0.7))
        for m in _CUED.finditer(text):
            found.append((m.start(1), m.end(1), 0.7))
        for m in _WORDS.finditer(text):
            found.append((m.start(), m.end(), 0.85 if m.group(2) else 0.6))
        return [RecognizerResult(Entity.AGE_OVER_89.value, a, b, s, recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
                for a, b, s in found]
