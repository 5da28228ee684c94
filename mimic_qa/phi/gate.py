"""A cheap prefilter: which entity types could possibly be in a value, so Presidio runs only those
recognizers, and values with none never reach Presidio at all.

Number-like identifiers need a digit, e-mail an ``@``, web addresses ``://``/``www.``/a dotted name;
names and places need a capitalised word next to a cue or name-list word (with an NER model, any
capitalised word outside the clinical vocabulary). Plain measurements ("98.6", "120/80") are inert.
"""

from __future__ import annotations

import re

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.recognizers.cues import US_STATES, name_lists
from mimic_qa.phi.vocabulary import Vocabulary

_DIGIT = re.compile(r"\d")
_WEB = re.compile(r"://|www\.|\w\.[a-z]{2,}\b", re.IGNORECASE)
_INERT_NUMBER = re.compile(r"[<>=~]?[ ]?[-+]?\d{1,8}(?:\.\d+)?(?:[ ]?/[ ]?\d{1,3}(?:\.\d+)?)?[ ]?%?")
_UPPER = re.compile(r"[A-Z]")
_WORDS = re.compile(r"[A-Za-z]+(?:/[A-Za-z]+)?")
_STATE_AFTER_COMMA = re.compile(rf",\s*(?:{'|'.join(US_STATES)})\b")

# Lower-case cue words of the name and place recognizers (titles, roles, reporting verbs, relatives, residence).
CUE_WORDS = frozenset("""
dr doctor mr mrs ms miss prof rn md np pa do pharmd rph lpn cna crna called call discussed d/w spoke paged notified
informed reported read readback verified confirmed per seen attending resident fellow nurse husband wife son
daughter mother father brother sister proxy hcp contact name named patient pt lives living resides residing
moved home native born visiting town city transferred travelled traveled trip county parish
""".split())

NUMBERED = frozenset(e.value for e in Entity) - {Entity.PERSON.value, Entity.LOCATION.value, Entity.EMAIL_ADDRESS.value,
                                                 Entity.URL.value}
WORDS = frozenset({Entity.PERSON.value, Entity.LOCATION.value})


class Gate:
    """``gate.entities(value)``: the entity types worth looking for; empty means skip the value."""

    def __init__(self, vocabulary: Vocabulary, uses_ner: bool = False) -> None:
        first, _ = name_lists()
        self.triggers = CUE_WORDS | {w for w in first if w not in vocabulary}
        self.vocabulary = vocabulary
        self.uses_ner = uses_ner

    def entities(self, value: str) -> frozenset[str]:
        found: set[str] = set()
        if _DIGIT.search(value) and not _INERT_NUMBER.fullmatch(value.strip()):
            found |= NUMBERED
        if "@" in value:
            found.add(Entity.EMAIL_ADDRESS.value)
        if _WEB.search(value):
            found.add(Entity.URL.value)
        if _UPPER.search(value) and self._names_possible(value):
            found |= WORDS
        return frozenset(found)

    def __call__(self, value: str) -> bool:
        return bool(self.entities(value))

    def _names_possible(self, value: str) -> bool:
        if _STATE_AFTER_COMMA.search(value):
            return True
        words = _WORDS.findall(value)
        if self.uses_ner:
            return any(w[0].isupper() and w not in self.vocabulary for w in words)
        return any(w.lower() in self.triggers for w in words)
