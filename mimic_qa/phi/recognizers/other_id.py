"""OTHER_ID: long numbers and letter-digit codes that no other recognizer explains (Safe Harbor R)."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from mimic_qa.phi.entities import Entity


NOTE_ID = re.compile(r"\d{8}-(?:DS|AD|RR|AR)-\d{1,5}")


class OtherIdRecognizer(PatternRecognizer):
    """Nine or more digits in a row, or a code of 8+ characters with 5+ digits and a letter."""

    def __init__(self) -> None:
        patterns = [
            Pattern("long-number", r"(?<![\d.,])\d{9,}(?![\d]|\.\d)", 0.5),
            Pattern("code", r"\b(?=[A-Za-z0-9-]*[A-Za-z])(?=(?:[A-Za-z-]*\d){5})[A-Za-z0-9][A-Za-z0-9-]{6,}[A-Za-z0-9]\b",
                    0.5),
            Pattern("labelled-id", r"(?<=\b(?i:id|identifier|accession|acc|ref|case|record|reference)[ \t]*[:#]?[ \t]*"
                                   r"(?i:no\.?|number|#)?[ \t]*[:#]?[ \t]*)[A-Za-z]{0,3}\d{6,}\b", 0.6),
        ]
        super().__init__(supported_entity=Entity.OTHER_ID.value, patterns=patterns, name="MimicOtherIdRecognizer",
                         global_regex_flags=re.DOTALL | re.MULTILINE, context=[])

    def invalidate_result(self, pattern_text: str) -> bool:
        """Units and measurement strings ("10000000units") are not identifiers, nor MIMIC's own note identifiers
        ("10000032-RR-14": a de-identified subject_id, the note type and its number)."""
        return bool(re.search(r"(?i)(?:mg|mcg|ml|units?|meq|mmol|iu|kg)$", pattern_text)) or \
            bool(NOTE_ID.fullmatch(pattern_text))
