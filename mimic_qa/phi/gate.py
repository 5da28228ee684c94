"""A cheap prefilter: which entity types could possibly be in a value, so Presidio runs only those
recognizers, and values with none never reach Presidio at all.

Number-like identifiers need a digit, e-mail an ``@``, web addresses ``://``/``www.``/a dotted name;
names and places need a capitalised word outside the clinical vocabulary, a cue word, or a lower-case
listed name. Plain measurements ("98.6", "120/80") are inert.
"""

from __future__ import annotations

import re

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.lexicon import large_us_cities, us_places
from mimic_qa.phi.recognizers.cues import US_STATE_NAMES, US_STATES
from mimic_qa.phi.recognizers.gated import SHORT
from mimic_qa.phi.recognizers.words import CUE_WORDS as WORD_CUES
from mimic_qa.phi.recognizers.words import HEAD, lexicon, match_place, tokens
from mimic_qa.phi.vocabulary import Vocabulary

_DIGIT = re.compile(r"\d")
_AGE_WORDS = re.compile(r"(?i)ninety|hundred")
_WEB = re.compile(r"://|www\.|\w\.[a-z]{2,}\b", re.IGNORECASE)
_INERT_NUMBER = re.compile(r"[<>=~]?[ ]?[-+]?\d{1,8}(?:\.\d+)?(?:[ ]?/[ ]?\d{1,3}(?:\.\d+)?)?[ ]?%?")
_STATE_AFTER = re.compile(rf"(?:,\s*(?:{'|'.join(US_STATES)})\b|,[ \t]*(?i:{'|'.join(US_STATES)})\.?[ \t]+\d{{5}}|\d[ \t]*,[ \t]*(?:[A-Za-z]{{1,2}}-)?\d{{2,3}}[ ]?\d{{2,3}}|\b(?:{US_STATE_NAMES}|{US_STATE_NAMES.upper()})\b|"
                          rf"\b(?:{'|'.join(US_STATES)})[ \t]*\d{{5}})")
_FACILITY = re.compile(rf"\b{HEAD}\b")

# Words that make the name and place recognizers look closer: titles, reporting verbs, relatives, residence cues.
CUE_WORDS = WORD_CUES | frozenset("""
dr doctor mr mrs ms mx miss prof professor rn md np pa pharmd rph lpn cna crna call discussed d/w w/ spoke page
read readback reported given phoned relayed faxed sent released telephoned acknowledged ordered drawn collected
interpreted reviewed approved verified confirmed seen signed delivered brought taken received accepted left order
message verbal name named lives living resides residing resident moved home native born visiting town city
transferred transfer travelled traveled trip county parish originally osh sendout discharged admitted referred
travel traveling travelling went returned seen treated hospitalized hospitalised admission visit visited vacation
native natives residents ems ambulance rescue police fire pd fd send outside hospital
""".split())

# words before a capitalised town that is also an ordinary word ("travel to Reading", "FROM DOVER LAB")
PLACE_WORDS = frozenset({"from", "in", "to", "at", "near", "of"})

NUMBERED = frozenset(e.value for e in Entity) - {Entity.PERSON.value, Entity.LOCATION.value, Entity.EMAIL_ADDRESS.value,
                                                 Entity.URL.value}
WORDS = frozenset({Entity.PERSON.value, Entity.LOCATION.value})
ALL = frozenset(e.value for e in Entity)


class Gate:
    """``gate.entities(value)``: the entity types worth looking for; empty means skip the value."""

    def __init__(self, vocabulary: Vocabulary, uses_ner: bool = False) -> None:
        self.lex = lexicon(vocabulary)
        self.vocabulary = vocabulary
        self.uses_ner = uses_ner

    def entities(self, value: str) -> frozenset[str]:
        if len(value) > SHORT:  # a long text: the recognizers' own gates are cheaper than this one
            return ALL
        found: set[str] = set()
        if _DIGIT.search(value) and not _INERT_NUMBER.fullmatch(value.strip()):
            found |= NUMBERED
        if _AGE_WORDS.search(value):
            found.add(Entity.AGE_OVER_89.value)
        if "@" in value:
            found.add(Entity.EMAIL_ADDRESS.value)
        if _WEB.search(value):
            found.add(Entity.URL.value)
        if self._names_possible(value):
            found |= WORDS
        return frozenset(found)

    def __call__(self, value: str) -> bool:
        return bool(self.entities(value))

    def _names_possible(self, value: str) -> bool:
        if _STATE_AFTER.search(value) or _FACILITY.search(value):
            return True
        lex, places, large = self.lex, us_places(), large_us_cities()
        toks = tokens(value)
        lower_name = False
        for i, t in enumerate(toks):
            if t.low in CUE_WORDS:
                return True
            if t.capitalised and not t.is_initial and not lex.is_clinical(t):
                if self.uses_ner or not lex.is_english(t) or lex.is_name(t):
                    return True
                if match_place(value, toks, i, places.get(t.low, ())) > 1 or (t.low,) in large:  # "Fall River"
                    return True
                if i and toks[i - 1].low in PLACE_WORDS and (t.low,) in places.get(t.low, ()):  # "from Reading"
                    return True
            listed = not t.capitalised and lex.is_name(t) and not lex.is_english(t) and not lex.is_clinical(t)
            if listed and lower_name:  # two listed names in lower case ("nadia o'donnell")
                return True
            lower_name = listed
        return False
