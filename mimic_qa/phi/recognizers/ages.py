"""AGE_OVER_89: ages of 90 and above (Safe Harbor C; MIMIC groups them as 91)."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from mimic_qa.phi.entities import Entity

AGE = r"(?:9\d|1[0-2]\d)"
UNIT = r"(?:y/?o\b|y\.o\.?|yo\b|yrs?\b|years?\b|year-old\b|yr-old\b)"


class AgeOver89Recognizer(PatternRecognizer):
    """"93 yo", "95-year-old", "age 97", "aged 101"."""

    def __init__(self) -> None:
        patterns = [
            Pattern("age-unit", rf"(?<![\d.]){AGE}(?=[ \t]*-?[ \t]*{UNIT})", 0.85),
            Pattern("age-cue", rf"(?<=\b(?:age|aged|AGE|AGED|Age|Aged)[ \t]*:?[ \t]*){AGE}(?!\d|\.\d)", 0.7),
        ]
        super().__init__(supported_entity=Entity.AGE_OVER_89.value, patterns=patterns, name="MimicAgeRecognizer",
                         global_regex_flags=re.DOTALL | re.MULTILINE | re.IGNORECASE, context=[])
