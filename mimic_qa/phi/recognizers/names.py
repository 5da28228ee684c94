"""PERSON without an NLP model: names after titles, roles and reporting phrases, or known first+last pairs."""

from __future__ import annotations

from presidio_analyzer import Pattern

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.recognizers.cues import NAME, NAME_TOKEN
from mimic_qa.phi.recognizers.trimmed import TrimmedNameRecognizer
from mimic_qa.phi.vocabulary import Vocabulary

TITLE = r"(?:Dr|DR|dr|Doctor|DOCTOR|doctor|Mr|Mrs|MRS|Ms|Miss|MISS|Prof|PROF)\.?|MR\.|MS\."
ROLE_AFTER = r"(?:RN|R\.N\.|MD|M\.D\.|NP|PA-C|PA|DO|PharmD|RPh|LPN|CNA|CRNA)"
PHRASE = (r"(?i:called\s+to|called\s+by|call\s+to|discussed\s+with|d/w|spoke\s+(?:with|to)|paged|notified|"
          r"informed|reported\s+to|read\s*back\s+(?:by|to)|verified\s+(?:by|with)|confirmed\s+(?:by|with)|"
          r"per|seen\s+by|attending|resident|fellow|nurse|husband|wife|son|daughter|mother|father|brother|"
          r"sister|proxy|hcp|contact|name(?:d|\s+is)?|patient|pt)")


class PersonRecognizer(TrimmedNameRecognizer):
    """Names found from cues (Dr./Mr., ", RN", "called to", "discussed with", ...) and Faker's name lists."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        patterns = [
            Pattern("strong:title", rf"(?<=\b(?:{TITLE})[ \t]+){NAME}", 0.85),
            Pattern("cue:role-after", rf"\b{NAME}(?=,?[ \t]+{ROLE_AFTER}\b)", 0.75),
            Pattern("cue:phrase", rf"(?<=\b{PHRASE}[ \t]*:?[ \t]+(?:(?i:dr|rn|np|md|pa|nurse)\.?[ \t]+)?){NAME}", 0.7),
            Pattern("pair:name-list", rf"\b{NAME_TOKEN}[ \t]+(?:[A-Z]\.[ \t]+)?{NAME_TOKEN}\b", 0.6),
        ]
        super().__init__(Entity.PERSON.value, patterns, vocabulary, "MimicPersonRecognizer")
