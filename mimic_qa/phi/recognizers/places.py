"""LOCATION without an NLP model: a town before a state ("Springfield, MA"), after residence cues, or a county."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.recognizers.cues import NAME, STATE
from mimic_qa.phi.recognizers.trimmed import TrimmedNameRecognizer
from mimic_qa.phi.vocabulary import Vocabulary

_STATE = re.compile(STATE)
RESIDENCE = (r"(?i:lives\s+in|living\s+in|resides\s+in|residing\s+in|resident\s+of|moved\s+(?:here\s+)?from|"
             r"home\s+in|native\s+of|born\s+in|visiting\s+from|town\s+of|city\s+of|transferred\s+from|"
             r"travell?ed\s+to|trip\s+to)")


class LocationRecognizer(TrimmedNameRecognizer):
    """Towns and counties below state level (Safe Harbor B)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        patterns = [
            Pattern("strong:town-state", rf"\b{NAME}(?=,[ \t]*{STATE}\b)", 0.75),
            Pattern("strong:county", rf"\b{NAME}(?=[ \t]+(?:County|COUNTY|Parish)\b)", 0.75),
            Pattern("cue:residence", rf"(?<=\b{RESIDENCE}[ \t]+){NAME}", 0.7),
        ]
        super().__init__(Entity.LOCATION.value, patterns, vocabulary, "MimicLocationRecognizer")

    def _refine(self, text, res, kind):  # noqa: D102  (places are not in the name lists: no name-list weakening)
        kept = super()._refine(text, res, "strong" if kind == "strong" else "place")
        if kept is not None and _STATE.fullmatch(text[kept.start:kept.end]):
            return None  # a whole state is not below state level
        return kept
