"""URL: web addresses with a scheme or ``www.``, whatever their top-level domain (Presidio's list lacks some)."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from mimic_qa.phi.entities import Entity

_TAIL = r"(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?/?"


class WebAddressRecognizer(PatternRecognizer):
    """"https://garcia.biz/", "www.example.org/portal"."""

    def __init__(self) -> None:
        patterns = [
            Pattern("scheme", rf"\b(?i:https?|ftp)://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?{_TAIL}", 0.85),
            Pattern("www", rf"\b(?i:www)\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+{_TAIL}", 0.7),
        ]
        super().__init__(supported_entity=Entity.URL.value, patterns=patterns, name="MimicUrlRecognizer",
                         global_regex_flags=re.DOTALL | re.MULTILINE, context=[])
