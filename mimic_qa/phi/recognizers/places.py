"""LOCATION without an NLP model: facilities (named words before "Hospital", "Clinic", "Police" ...), towns
of the US place list, towns before a state, counties, and places after residence or transfer cues.

* facility: one to four capitalised words ending in a facility word, at least one of them not clinical
  ("Lowell General Hospital", "HOLY FAMILY HOSPITAL"; not "MICROBIOLOGY LAB"): 0.75;
* town before ", MA" or "County": 0.8;
* a listed US town after a place cue ("from", "in", "lives in", "OSH:"): 0.7; a town that is also an
  ordinary English word ("Revere") only after a residence or transfer cue (0.7), or, for a city of 100,000
  people or more ("Providence"), after any place cue (0.6);
* a listed US town that is neither English, clinical nor a listed person name, with no cue: 0.55.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.lexicon import large_us_cities, us_places
from mimic_qa.phi.recognizers.cues import US_STATE_NAMES, US_STATES
from mimic_qa.phi.recognizers.names import PERSON_CUE
from mimic_qa.phi.recognizers.words import EPONYM_HEADS, HEAD, STOP, Lexicon, Token, match_place, tokens
from mimic_qa.phi.vocabulary import CLINICAL_WORDS, Vocabulary

CAPWORD = r"(?:St\.|ST\.|[A-Z][A-Za-z]*(?:['\u2019-][A-Za-z]+)*)"
FACILITY = re.compile(rf"\b((?:{CAPWORD}[ \t]+(?:(?:of|and|&|the|OF|AND|THE)[ \t]+)?){{1,4}}){HEAD}\b")
# a state after a town: a state name, or a two-letter code followed by a ZIP or the end of a phrase
# (", OK TO RUN" and "HOME IN ..." are words, not Oklahoma and Indiana)
_CODE = rf"(?:{'|'.join(US_STATES)})(?=[ \t]*(?:\d{{5}}|[.;,)]|$))"
STATE_AFTER = re.compile(rf"^(?:,?[ \t]*(?:{US_STATE_NAMES}|{US_STATE_NAMES.upper()})\b|,?[ \t]*{_CODE})")
COUNTY_AFTER = re.compile(r"^[ \t]+(?:County|COUNTY|Parish|PARISH)\b")
PLACE_CUE = re.compile(r"""(?ix)\b(?:from|in|to|at|near|of|osh|sendout[ \t]+to|sent[ \t]+to|outside|lives|living|
    resides|residing|resident|home|native|born|visiting|town|city|transferred|transfer|moved|travell?ed|trip|
    discharged|admitted|referred[ \t]+from|originally[ \t]+from)[ \t]*[:\-]?[ \t]*$""")
RESIDENCE_CUE = re.compile(r"""(?ix)\b(?:lives[ \t]+in|living[ \t]+in|resides[ \t]+in|residing[ \t]+in|resident[ \t]+of|
    home[ \t]+in|native[ \t]+of|born[ \t]+in|visiting[ \t]+from|town[ \t]+of|city[ \t]+of|transferred[ \t]+from|
    moved[ \t]+(?:here[ \t]+)?(?:from|to)|originally[ \t]+from|osh)[ \t]*[:\-]?[ \t]*$""")
CONNECTORS = frozenset({"of", "and", "the"})
STATE_NAME = re.compile(rf"\b(?:{US_STATE_NAMES}|{US_STATE_NAMES.upper()})\b")
# words that precede a facility's name without being part of it ("HOME IN", "OUTSIDE", "SENDOUT TO")
LEAD_WORDS = STOP | CLINICAL_WORDS | frozenset("home outside osh sendout transferred transfer referred discharged "
                                               "admitted sent films records lives resides".split())


class LocationRecognizer(EntityRecognizer):
    """Towns, counties and facilities below state level (Safe Harbor B)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__(supported_entities=[Entity.LOCATION.value], name="MimicLocationRecognizer")
        self.lex = Lexicon(vocabulary)
        self.eponyms = vocabulary.phrase_regex

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        found = self._facilities(text) + self._towns(text)
        eponyms = [(m.start(), m.end()) for m in self.eponyms.finditer(text)]
        return [RecognizerResult(Entity.LOCATION.value, a, b, s,
                                 recognition_metadata={"recognizer_name": self.name, "recognizer_identifier": self.id})
                for a, b, s in found if not any(x < b and a < y for x, y in eponyms)]

    def _facilities(self, text: str) -> list[tuple[int, int, float]]:
        out = []
        for m in FACILITY.finditer(text):
            words = tokens(m.group(1))
            # drop leading clinical or stop words ("Outside", "Sendout", "FROM") that only precede the name
            while words and (words[0].low in LEAD_WORDS or not self._named(words[0])) and \
                    words[0].low not in ("st", "saint"):
                words.pop(0)
            stops = [k for k, t in enumerate(words) if t.low in STOP and t.low not in CONNECTORS]
            words = words[stops[-1] + 1:] if stops else words  # "STEINBERG AT THE CLINIC": no facility name
            if any(self._named(t) for t in words):
                out.append((m.start(1) + words[0].start, m.end(), 0.75))
        return out

    def _named(self, t: Token) -> bool:
        """A word that can name a facility: not clinical, or a listed place or person name ("Boston", "Lowell")."""
        return not self.lex.is_clinical(t) or (t.low,) in us_places().get(t.low, ()) or self.lex.is_name(t)

    def _towns(self, text: str) -> list[tuple[int, int, float]]:
        places = us_places()
        states = [(m.start(), m.end()) for m in STATE_NAME.finditer(text)]
        toks = [t for t in tokens(text) if not any(a <= t.start < b for a, b in states)]  # "New Hampshire" is a state
        out, i = [], 0
        while i < len(toks):
            t = toks[i]
            match = match_place(text, toks, i, places.get(t.low, ())) if t.capitalised and not t.is_initial else 0
            if not match:
                i += 1
                continue
            run = toks[i:i + match]
            score = self._town_score(text, run)
            if score:
                out.append((run[0].start, run[-1].end, score))
            i += match
        return out

    def _town_score(self, text: str, run: list[Token]) -> float:
        before, after = text[:run[0].start], text[run[-1].end:]
        if STATE_AFTER.match(after) or COUNTY_AFTER.match(after):
            return 0.8
        lex = self.lex
        if EPONYM_HEADS.match(after) or any(t.low in CLINICAL_WORDS or t.low in STOP for t in run):
            return 0.0
        if RESIDENCE_CUE.search(before):
            return 0.7
        if len(run) == 1 and lex.is_clinical(run[0]):  # a word of the data's dictionaries ("Boston" of a device)
            return 0.0
        english = len(run) == 1 and lex.is_english(run[0])
        if english:  # "Revere", "Normal": only a large city after a place cue ("sent to Providence")
            big = tuple(t.low for t in run) in large_us_cities()
            return 0.6 if big and PLACE_CUE.search(before) else 0.0
        if PLACE_CUE.search(before):
            return 0.7
        if len(run) == 1 and lex.is_name(run[0]) or PERSON_CUE.search(before):
            return 0.0  # "Everett" with no place cue, or "per Whitfield", is more likely a person
        return 0.55
