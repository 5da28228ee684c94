"""ZIP_CODE: five-digit ZIPs after a state or a ZIP cue, and ZIP+4 anywhere."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.recognizers.cues import POSTCODE, STATE, US_STATE_NAMES, US_STATES

ZIP = r"\d{5}(?:-\d{4})?(?![\d-])"


class ZipCodeRecognizer(PatternRecognizer):
    """"Boston, MA 02114", "zip 02114", "02114-1234"."""

    def __init__(self) -> None:
        patterns = [
            Pattern("after-state", rf"(?<=\b(?:{STATE}|{US_STATE_NAMES.upper()}),?[ \t]+)(?<!\d){ZIP}", 0.8),
            Pattern("after-town-state", rf"(?<=,[ \t]*(?i:{'|'.join(US_STATES)})[ \t]+){ZIP}", 0.8),
            Pattern("cued", rf"(?<=(?i:\bzip(?:[ \t]*code)?|postal[ \t]+code)[ \t]*[:#]?[ \t]*){ZIP}", 0.85),
            Pattern("zip-plus-4", r"(?<![\d-])\d{5}-\d{4}(?![\d-])", 0.5),
            # a postcode written before the town, after a house number and a comma ("Skolgatan 86, 123 45 Malmö")
            Pattern("postcode-first", rf"(?<=\d[A-Za-z]?(?:/\d+)?\.?[ \t]*,[ \t]*){POSTCODE}(?=[ \t]+[^\W\d_])", 0.7),
        ]
        super().__init__(supported_entity=Entity.ZIP_CODE.value, patterns=patterns, name="MimicZipCodeRecognizer",
                         global_regex_flags=re.DOTALL | re.MULTILINE, context=[])
