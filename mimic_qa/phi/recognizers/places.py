"""LOCATION without an NLP model: facilities (named words before "Hospital", "Clinic", "Police" ...), towns
of the US place list, towns before a state, counties, and places after residence or transfer cues.

* facility: one to four capitalised words ending in a facility word, at least one of them not clinical
  ("Lowell General Hospital", "HOLY FAMILY HOSPITAL"; not "MICROBIOLOGY LAB"); after a service word
  ("Ambulance", "EMS", "Laboratory") a word that is not ordinary English ("Cataldo Ambulance"): 0.75;
* town before ", MA" or "County": 0.8;
* a listed US town after a stay, move or origin ("lives in", "OSH in", "went home to", "pt from", "travel to"),
  after a specimen sent to it, or before "resident", "EMS", "police": 0.7 even when it is an ordinary word
  ("Revere") or a first name ("Lynn"); after records or specimens "from" it, unless it is clinical: 0.7;
* a listed US town after any place cue ("from", "in", "at") or before "lab", "ED", "area": 0.7 unless it is an
  ordinary English word; such a word only when it is a city of 100,000 people or more ("sent to Providence"),
  before "lab" ("FROM DOVER LAB"), or capitalised inside a lower-case sentence at the end of a phrase
  ("recent travel to Reading."): 0.6;
* a listed US town that is neither English, clinical nor a listed person name, with no cue: 0.55.

Never a town: a country's name ("from Brazil") unless a state follows, and the few listed towns that are
common nouns after "to" and "from" in clinical prose ("discharged to Home", "drawn from Central line").
"""

from __future__ import annotations

import re as _stdre

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.lexicon import country_names, large_us_cities, us_places
from mimic_qa.phi.recognizers.cues import POSTCODE, US_STATE_NAMES, US_STATES
from mimic_qa.phi.recognizers.names import (CUE_LAST, PERSON_CUE, SENTENCE_END, SENTENCE_START, SERVICE_AFTER,
                                           SPECIMEN_SENT, overlaps, window)
from mimic_qa.phi.recognizers.words import (EPONYM_HEADS, FACILITY_HEADS, HEAD, SERVICE_HEAD, SERVICE_HEADS, STOP, longest,
                                           TextIndex, Token, lexicon, match_place, tokens, words_of)
from mimic_qa.phi.vocabulary import CLINICAL_WORDS, Vocabulary

CAPWORD = r"(?:St\.|ST\.|[A-Z][A-Za-z]*(?:['\u2019-][A-Za-z]+)*)"
FACILITY = re.compile(rf"\b((?:{CAPWORD}[ \t]+(?:(?:of|and|&|the|OF|AND|THE)[ \t]+)?){{1,4}})({HEAD})\b")
# a state after a town: a state name, or a two-letter code followed by a ZIP or the end of a phrase
# (", OK TO RUN" and "HOME IN ..." are words, not Oklahoma and Indiana)
_CODE = rf"(?:{'|'.join(US_STATES)})(?=[ \t]*(?:\d{{5}}|[.;,)]|(?m:$)))"  # the end of a line ends a phrase
STATE_AFTER = re.compile(rf"^(?:,?[ \t]*(?:{US_STATE_NAMES}|{US_STATE_NAMES.upper()})\b|,?[ \t]*{_CODE})")
COUNTY_AFTER = re.compile(r"^[ \t]+(?:County|COUNTY|Parish|PARISH)\b")
PLACE_CUE = re.compile(r"""(?ix)\b(?:from|in|to|at|near|of|osh|sendout[ \t]+to|sent[ \t]+to|outside|lives|living|
    resides|residing|resident|home|native|born|visiting|town|city|transferred|transfer|moved|travell?ed|trip|
    discharged|admitted|referred[ \t]+from|originally[ \t]+from)[ \t]*[:\-]?[ \t]*$""")
# A stay, a move or an origin: what follows is a place even when it is an ordinary word ("lives in Revere",
# "went home to Reading", "OSH in Dover", "pt from Lynn", "lives with daughter in Milton").
RESIDENCE_CUE = re.compile(r"""(?ix)\b(?:
    (?:lives|living|resides|residing|stays|staying|home|house|apartment|shelter)
        (?:[ \t]+(?:with|alone)(?:[ \t]+[a-z']+){0,2})?[ \t]+(?:in|at) |
    (?:summers|winters)[ \t]+in | (?:resident|native|citizen)[ \t]+of | (?:born|raised|grew[ \t]+up)[ \t]+in |
    (?:town|city)[ \t]+of | (?:pt|patient|family|he|she)[ \t]+(?:is[ \t]+|was[ \t]+)?from |
    (?:originally|visiting|coming|came|arrived|back)(?:[ \t]+(?:in|over|up|down|back))?[ \t]+from |
    (?:transferred|transfer|xfer|moved(?:[ \t]+here)?|relocated|discharged(?:[ \t]+home)?|d/c'?d?|
       went(?:[ \t]+home|[ \t]+back)?|returned(?:[ \t]+home)?|sent[ \t]+home|travell?(?:ed|ing)?|trip|
       vacation(?:ed|ing)?|visit(?:ed|ing)?|flown|med[ \t]*flight|helicopter|ems|ambulance|transported|
       brought[ \t]+in)[ \t]+(?:from|to|in) |
    (?:osh|outside[ \t]+hospital|seen|treated|hospitali[sz]ed|admitted|admission|stay|works?|worked|employed|
       rehab|snf|nursing[ \t]+(?:home|facility)|assisted[ \t]+living|facility|hospital|clinic|hospice|pcp|practice|
       office)(?:[ \t]+(?:is|was))?[ \t]+(?:in|at) |
    osh | outside[ \t]+hospital | send-?[ \t]?out(?:[ \t]+lab)?[ \t]+to | sent[ \t]+out[ \t]+to
)(?:[ \t]+the)?[ \t]*[:\-(=,]?[ \t]*$""")
# records and specimens come from places: "outside films from Ware", "results from Dover" (not for clinical words:
# "culture from Drain")
DOCUMENT_FROM = re.compile(r"""(?ix)\b(?:films?|records?|images?|imaging|reports?|results?|labs?|studies|study|
    slides?|specimens?|samples?|cultures?|blocks?|isolates?|x-?rays?|scans?|paperwork)[ \t]+from[ \t]*[:\-]?[ \t]*$""")
# cues after which the next proper name is a place, whatever it is
STRONG_PLACE_CUE = re.compile(r"""(?ix)\b(?:
    (?:transferred|transfer|xfer|discharged|d/c'?d?|sent|referred|brought|arrived|came|returned|moved|relocated)
        (?:[ \t]+(?:home|back|here|out))?[ \t]+(?:from|to|via) |
    (?:lives|living|resides|residing|staying|stays|lived|home)[ \t]+(?:in|at) | (?:travel(?:l?ed|l?ing)?|trip|vacation)[ \t]+to |
    (?:specimens?|samples?|slides?|blocks?|isolates?)[ \t]+(?:(?:was|were|is)[ \t]+)?(?:sent|forwarded|referred)(?:[ \t]+out)?[ \t]+to |
    send-?[ \t]?out[ \t]+to | sendout[ \t]+to | (?:results?|records?|films?|labs?)[ \t]+from | osh[ \t]*: | outside[ \t]+hospital[ \t]*: |
    (?:seen|treated|admitted|admission|hospitali[sz]ed|followed)[ \t]+at | prior[ \t]+admission[ \t]+at | via |
    originally[ \t]+from | visiting[ \t]+from | native[ \t]+of | resident[ \t]+of | born[ \t]+in
)[ \t]*(?:the[ \t]+)?""")
_GAP = re.compile(r"[ \t]{1,2}|-")
TOWN_BEFORE_STATE = re.compile(rf"(?:(?m:^)|[,;:.][ \t]*)((?:[^\W\d_][\w'’.\-]*[ \t]+){{0,2}}[^\W\d_][\w'’.\-]*),[ \t]*"
                               rf"(?i:{'|'.join(US_STATES)})\.?(?:[ \t]+(?P<zip>\d{{5}})(?:-\d{{4}})?(?![\d-])|(?=[ \t]*(?:[.;,)]|(?m:$))))")
# an address written postcode first: a house number (with a letter, a flat or a dot), a comma, a postcode of four to
# seven digits in one or two groups (a country letter or two before it), a town to the end of the phrase
_COMMA_POSTCODE = _stdre.compile(r",[ \t]*(?:[A-Z]{1,2}-)?\d{2,3}[ ]?\d{2,3}")  # a cheap look before the pattern
POSTCODE_TOWN = re.compile(rf"\d[A-Za-z]?(?:/\d+)?\.?[ \t]*,[ \t]*(?P<code>{POSTCODE})[ \t]+"
                           rf"(?P<town>[^\W\d_][\w'’.\-]*(?:[ \t]+[^\W\d_][\w'’.\-]*){{0,3}})(?=[ \t]*(?:[.;,)]|(?m:$)))")
# a noun that makes the town before it a place: "Lynn resident", "Brockton OSH" (and a service: "Quincy police")
PLACE_AFTER = re.compile(r"""(?x)^[ \t]+(?:(?i:residents?|natives?)|OSH)\b""")
# ... or, for a town that is not an ordinary word, one of these: "Lowell lab", "Milton ED", "Lynn area"
LOCAL_AFTER = re.compile(r"""(?x)^[ \t]+(?:(?i:lab|labs|laboratory|area|rehab|vna|nursing[ \t]+home|health[ \t]+center|
    emergency[ \t]+(?:room|department)|urgent[ \t]+care|dialysis)|ED|ER)\b""")
# what may follow a capitalised ordinary word that is a town in mixed-case text ("travel to Reading.",
# "from Brunswick lab", "in Dover with wife"; not "to Orange top tube")
PHRASE_END = re.compile(r"""(?x)^(?:[ \t]*(?:[.,;:)!?]|(?m:$))|[ \t]+(?:with|for|on|and|since|until|last|this|yesterday|
    today|recently|area|lab|labs|ed|er|ems|prior|before|after|x[0-9])\b)""")
# listed towns that follow "to", "from", "in" as common nouns in clinical prose ("discharged to Home")
# between two towns of one list ("Concord and Reading", "Lynn, Salem")
LIST_GAP = re.compile(r"[ \t]*(?:,|/|&|and|or|AND|OR)[ \t]*")
PLACE_STOP = frozenset({"home", "center", "centre", "central", "mobile", "ward", "progress"})
CONNECTORS = frozenset({"of", "and", "the"})
STATE_NAME = re.compile(rf"\b(?:{US_STATE_NAMES}|{US_STATE_NAMES.upper()})\b")
# words that precede a facility's name without being part of it ("HOME IN", "OUTSIDE", "SENDOUT TO")
LEAD_WORDS = STOP | CLINICAL_WORDS | frozenset("home outside osh sendout transferred transfer referred discharged "
                                               "admitted sent films records lives resides".split())


# a head word used as an ordinary word, not a facility's name: "Brief Hospital Course:" (a discharge summary's
# section), "hospital day 3", "Clinic visit"
HEAD_AS_WORD = re.compile(r"[ \t]*(?i:course|stay|day|days|admission|discharge|visit|visits|follow-?up|note|notes)\b")
# the first word of every facility head, as written ("Hospital", "HOSPITAL", "Medical Center"): where a facility
# can end
HEAD_FIRST = frozenset(w for heads in (FACILITY_HEADS, SERVICE_HEADS) for h in heads.split("|")
                       for w in (h.split()[0], h.split()[0].upper()))
# the last word of every cue phrase (the word right before the place, or before "the")
STRONG_LAST = frozenset("from to via in at osh hospital of".split())
RESIDENCE_LAST = frozenset("in at of from to osh hospital the".split())
PLACE_LAST = frozenset("""from in to at near of osh outside lives living resides residing resident home native born
visiting town city transferred transfer moved travelled traveled trip discharged admitted""".split())
_HEAD, _STRONG_LAST, _STATE_CODE, _TOWN, _STATE_WORD, _THE, _ENDS_PLACE, _MAY_NAME_PLACE = (1 << k for k in range(8))
STATE_CODES = frozenset(c.lower() for c in US_STATES)
STATE_NAMES = frozenset(n for name in US_STATE_NAMES.split("|") for n in (name, name.upper()))
STATE_WORDS = frozenset(w for name in STATE_NAMES for w in name.split())


class LocationRecognizer(EntityRecognizer):
    """Towns, counties and facilities below state level (Safe Harbor B)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__(supported_entities=[Entity.LOCATION.value], name="MimicLocationRecognizer")
        self.lex = lexicon(vocabulary)
        self.eponyms = vocabulary.phrase_regex
        self._flag_cache: dict[str, int] = {}
        self._follow_cache: dict[str, int] = {}

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        toks = tokens(text)
        found = self._facilities(text, toks) + self._towns(text, toks) + self._cued(text, toks) + \
            self._before_state(text, toks) + (self._postcode_towns(text) if _COMMA_POSTCODE.search(text) else [])
        return [RecognizerResult(Entity.LOCATION.value, a, b, s,
                                 recognition_metadata={"recognizer_name": self.name, "recognizer_identifier": self.id})
                for a, b, s in found if not overlaps(self.eponyms, text, a, b)]

    def _facilities(self, text: str, toks: TextIndex) -> list[tuple[int, int, float]]:
        """Named words before a facility head; the pattern is tried only where a head word is, from a few words
        before it (a facility's name is at most four words and their connectors)."""
        out: list[tuple[int, int, float]] = []
        for k in self._with(toks, _HEAD):
            at = toks.starts[k]
            pos = toks.starts[k - 9] if k >= 9 else 0
            for m in FACILITY.finditer(text, pos, min(len(text), at + 45)):
                if not m.start(2) <= at < m.end(2) or HEAD_AS_WORD.match(text, m.end()):
                    continue
                words = words_of(m.group(1))
                # drop leading clinical or stop words ("Outside", "Sendout", "FROM") that only precede the name
                while words and (words[0].low in LEAD_WORDS or not self._named(words[0])) and \
                        words[0].low not in ("st", "saint"):
                    words.pop(0)
                stops = [i for i, t in enumerate(words) if t.low in STOP and t.low not in CONNECTORS]
                words = words[stops[-1] + 1:] if stops else words  # "STEINBERG AT THE CLINIC": no facility name
                proper = self._proper if SERVICE_HEAD.fullmatch(m.group(2)) else self._named
                if any(proper(t) for t in words) and (not out or out[-1][:2] != (m.start(1) + words[0].start, m.end())):
                    out.append((m.start(1) + words[0].start, m.end(), 0.75))
        return out

    def _with(self, toks: TextIndex, flag: int) -> list[int]:
        """Indices of the words with ``flag`` (flags cached per spelling)."""
        flags = toks.flags(self._flag_cache, self._flags)
        return [k for k in toks.flagged(self._flag_cache, self._flags) if flags[k] & flag]

    def _flags(self, word: str) -> int:
        """Where a place can start or be cued (sparse: most words have none)."""
        t = Token(word, 0, len(word))
        return ((_HEAD if word in HEAD_FIRST else 0) | (_STRONG_LAST if t.low in STRONG_LAST else 0) |
                (_STATE_CODE if t.low in STATE_CODES else 0) | (_STATE_WORD if word in STATE_WORDS else 0) |
                (_TOWN if t.capitalised and not t.is_initial and t.low in us_places() else 0))

    def _follow_flags(self, word: str) -> int:
        """What a word after a cue can do (see ``_could_follow``)."""
        t, lex = Token(word, 0, len(word)), self.lex
        ends = t.low in STOP or t.low in PLACE_STOP or lex.is_clinical(t)
        return ((_THE if t.low == "the" else 0) | (_ENDS_PLACE if ends else 0) |
                (_MAY_NAME_PLACE if not lex.is_english(t) or t.is_caps or (t.low,) in us_places().get(t.low, ()) else 0))

    def _cued(self, text: str, toks: TextIndex) -> list[tuple[int, int, float]]:
        """Proper names right after a stay, move, transfer or specimen cue, listed or not ("transferred from
        SMC", "d/c to Spaulding", "travel to Pécs", "result from Göteborg lab"): one to four words that are
        neither ordinary English nor clinical (a word in capitals of two to five letters counts: a facility's
        initials), or capitalised listed names. The cue is looked for only before such words."""
        out: list[tuple[int, int, float]] = []
        cues = self._with(toks, _STRONG_LAST)
        flags = toks.flags(self._follow_cache, self._follow_flags) if cues else []
        for k in cues:
            if not self._could_follow(flags, k + 1):
                continue
            start, end = toks.starts[k], toks.ends[k]
            for m in STRONG_PLACE_CUE.finditer(text, max(0, start - 40), min(len(text), end + 12)):
                if m.start() <= start < m.end() and (not out or out[-1][2] != m.end()):
                    found = self._after_cue(text, m.end())
                    if found:
                        out.append((*found, m.end()))
        return [(a, b, 0.6) for a, b, _ in out]

    def _could_follow(self, flags: list[int], k: int) -> bool:
        """Can the words from ``k`` on (after an optional "the") name a place after a cue? One of the next four
        must be neither ordinary English in lower case nor clinical."""
        if k < len(flags) and flags[k] & _THE:
            k += 1
        for f in flags[k:k + 4]:
            if f & _ENDS_PLACE:
                return False
            if f & _MAY_NAME_PLACE:
                return True
        return False

    def _after_cue(self, text: str, at: int) -> tuple[int, int] | None:
        words: list[Token] = []
        for t in words_of(text[at:at + 60]):
            gap = text[at + (words[-1].end if words else 0):at + t.start]
            if len(words) == 4 or (words and not _GAP.fullmatch(gap)) or (not words and gap.strip(" \t:(")):
                break
            if t.low in STOP or t.low in PLACE_STOP or self.lex.is_clinical(t):
                break
            words.append(t)
        while words and self.lex.is_english(words[-1]) and not (words[-1].low,) in us_places().get(words[-1].low, ()):
            words.pop()
        if not words or all(self.lex.is_english(t) and not t.is_caps for t in words):
            return None
        if text[at + words[-1].end:at + words[-1].end + 1].isdigit():
            return None
        return at + words[0].start, at + words[-1].end

    def _before_state(self, text: str, toks: TextIndex) -> list[tuple[int, int, float]]:
        """The town of an address: the words before ", MA 02114" or ", ma." ("Cazadero, CA 95421"); the pattern is
        tried only before a state code that follows a comma."""
        out: list[tuple[int, int, float]] = []
        starts, ends = toks.starts, toks.ends
        for k in self._with(toks, _STATE_CODE):
            if not k or not text[ends[k - 1]:starts[k]].strip(" \t").endswith(","):
                continue
            pos = starts[k - 5] if k >= 5 else 0
            for m in TOWN_BEFORE_STATE.finditer(text, pos, min(len(text), ends[k] + 20)):
                if not m.start() <= starts[k] < m.end():
                    continue
                words = words_of(m.group(1))
                # with a ZIP code the town is sure even when it is also a word ("Eastern, KY 41622")
                while words and (words[0].low in STOP or (self.lex.is_clinical(words[0]) and not m.group("zip"))):
                    words.pop(0)
                if words and (not out or out[-1][:2] != (m.start(1) + words[0].start, m.start(1) + words[-1].end)):
                    out.append((m.start(1) + words[0].start, m.start(1) + words[-1].end, 0.75))
        return out

    def _postcode_towns(self, text: str) -> list[tuple[int, int, float]]:
        """The town of an address written postcode first ("Gröttnerstraße 1, 62857 Günzburg", "MYHREGJERDET 3, 8607
        TONJEBØ", "SZEGEDI UTCA 191., H-1963 SZOMBATHELY"): one to four words that are not clinical after a postcode
        that follows a house number and a comma, at the end of a phrase."""
        out: list[tuple[int, int, float]] = []
        for m in POSTCODE_TOWN.finditer(text):
            words = words_of(m.group("town"))
            if words and not any(self.lex.is_clinical(t) or t.low in STOP for t in words):
                out.append((m.start("town"), m.start("town") + words[-1].end, 0.7))
        return out

    def _named(self, t: Token) -> bool:
        """A word that can name a facility: not clinical, or a listed place or person name ("Boston", "Lowell")."""
        return not self.lex.is_clinical(t) or (t.low,) in us_places().get(t.low, ()) or self.lex.is_name(t)

    def _proper(self, t: Token) -> bool:
        """A word that names a service ("Cataldo", "Boston"): a listed place, or not ordinary English ("Core"
        is a surname too, but "Core Laboratory" is no place)."""
        return self._named(t) and (not self.lex.is_english(t) or (t.low,) in us_places().get(t.low, ()))

    def _towns(self, text: str, toks: TextIndex) -> list[tuple[int, int, float]]:
        places = us_places()
        out: list[tuple[int, int, float]] = []
        n, done = len(toks), 0
        flags = toks.flags(self._flag_cache, self._flags)
        for i in self._with(toks, _TOWN):
            t = toks[i]
            if i < done or (flags[i] & _STATE_WORD and _in_state(text, toks, i)):
                continue
            # the words from here on, without those of a state's name ("New Hampshire" is a state)
            ahead: list[int] = []  # as many as the longest place listed under this word ("Fall River": 2)
            idx, most = i, longest(places[t.low])
            while idx < n and len(ahead) < most:
                if not (flags[idx] & _STATE_WORD and _in_state(text, toks, idx)):
                    ahead.append(idx)
                idx += 1
            match = match_place(text, [toks[j] for j in ahead], 0, places[t.low])
            if not match:
                continue
            run = [toks[j] for j in ahead[:match]]
            score = self._town_score(text, run, toks[i - 1].low if i else "")
            if out and LIST_GAP.fullmatch(text[out[-1][1]:run[0].start]) and not self._never(run):
                score = max(score, out[-1][2])  # "travelled to Concord and Reading": the list goes on
            if score:
                out.append((run[0].start, run[-1].end, score))
            done = ahead[match - 1] + 1
        return out

    @staticmethod
    def _never(run: list[Token]) -> bool:
        """Not a town: "discharged to Home", "from Brazil" (a country, not the town in Indiana), clinical words."""
        return (len(run) == 1 and run[0].low in PLACE_STOP or tuple(t.low for t in run) in country_names()
                or any(t.low in CLINICAL_WORDS or t.low in STOP for t in run))

    def _town_score(self, text: str, run: list[Token], prev: str = "") -> float:
        """``prev``: the word before the town (lower case), which any cue before it must end with."""
        before, after = window(text, run[0].start, run[-1].end)
        if STATE_AFTER.match(after) or COUNTY_AFTER.match(after):
            return 0.8
        lex = self.lex
        if EPONYM_HEADS.match(after) or self._never(run):
            return 0.0
        if (prev in RESIDENCE_LAST and RESIDENCE_CUE.search(before)) or \
                (prev == "to" and SPECIMEN_SENT.search(before)) or PLACE_AFTER.match(after) or \
                SERVICE_AFTER.match(after):
            return 0.7
        if len(run) == 1 and lex.is_clinical(run[0]):  # a word of the data's dictionaries ("Boston" of a device)
            return 0.0
        if prev == "from" and DOCUMENT_FROM.search(before):
            return 0.7
        if len(run) == 1 and lex.is_english(run[0]):
            return self._english_town_score(before, after, run[0], prev)
        if (prev in PLACE_LAST and PLACE_CUE.search(before)) or LOCAL_AFTER.match(after):
            return 0.7
        if SENTENCE_START.search(before) and SENTENCE_END.match(after) and not any(lex.is_english(t) for t in run):
            return 0.55  # a sentence of a comment that is nothing but a listed town ("...  Rhinelander.")
        if len(run) == 1 and lex.is_name(run[0]) or (prev in CUE_LAST and PERSON_CUE.search(before)):
            return 0.0  # "Everett" with no place cue, or "per Whitfield", is more likely a person
        if len(run) == 1 and tuple(t.low for t in run) not in large_us_cities():
            return 0.0  # a lone small town's name with no cue is as often a brand ("Norco")
        return 0.55

    @staticmethod
    def _english_town_score(before: str, after: str, t: Token, prev: str) -> float:
        """A town that is an ordinary word ("Revere", "Normal") with no residence cue."""
        cue = PLACE_CUE.search(before) if prev in PLACE_LAST else None
        if cue is None:
            return 0.0
        if (t.low,) in large_us_cities() or LOCAL_AFTER.match(after):
            return 0.6  # "sent to Providence", "FROM DOVER LAB"
        # capitalised inside a sentence, not a Title Case label: the cue and the word before it are lower case
        # ("recent travel to Reading."; "Result in Progress" is a label)
        lead = re.search(r"([A-Za-z]+)[ \t]+$", before[:cue.start()])
        proper = t.is_title and cue.group().strip(" \t:-").islower() and lead is not None and lead.group(1).islower()
        return 0.6 if proper and PHRASE_END.match(after) else 0.0


def _in_state(text: str, toks: TextIndex, i: int) -> bool:
    """Is word ``i`` part of a US state's name ("New Hampshire", "NEW YORK")?"""
    for a in range(max(0, i - 2), i + 1):
        for b in range(max(a, i), min(len(toks), a + 3)):
            if text[toks[a].start:toks[b].end] in STATE_NAMES:
                return True
    return False
