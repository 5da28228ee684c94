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

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.lexicon import country_names, large_us_cities, us_places
from mimic_qa.phi.recognizers.cues import US_STATE_NAMES, US_STATES
from mimic_qa.phi.recognizers.names import PERSON_CUE, SERVICE_AFTER, SPECIMEN_SENT, window
from mimic_qa.phi.recognizers.words import EPONYM_HEADS, HEAD, SERVICE_HEAD, STOP, Lexicon, Token, match_place, tokens
from mimic_qa.phi.vocabulary import CLINICAL_WORDS, Vocabulary

CAPWORD = r"(?:St\.|ST\.|[A-Z][A-Za-z]*(?:['\u2019-][A-Za-z]+)*)"
FACILITY = re.compile(rf"\b((?:{CAPWORD}[ \t]+(?:(?:of|and|&|the|OF|AND|THE)[ \t]+)?){{1,4}})({HEAD})\b")
# a state after a town: a state name, or a two-letter code followed by a ZIP or the end of a phrase
# (", OK TO RUN" and "HOME IN ..." are words, not Oklahoma and Indiana)
_CODE = rf"(?:{'|'.join(US_STATES)})(?=[ \t]*(?:\d{{5}}|[.;,)]|$))"
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
    (?:lives|living|resides|residing|staying|stays|lived)[ \t]+(?:in|at) | (?:travel(?:l?ed|l?ing)?|trip|vacation)[ \t]+to |
    (?:specimens?|samples?|slides?|blocks?|isolates?)[ \t]+(?:(?:was|were|is)[ \t]+)?(?:sent|forwarded|referred)(?:[ \t]+out)?[ \t]+to |
    send-?[ \t]?out[ \t]+to | sendout[ \t]+to | (?:results?|records?|films?|labs?)[ \t]+from | osh[ \t]*: | outside[ \t]+hospital[ \t]*: |
    (?:seen|treated|admitted|admission|hospitali[sz]ed|followed)[ \t]+at | prior[ \t]+admission[ \t]+at | via |
    originally[ \t]+from | visiting[ \t]+from | native[ \t]+of | resident[ \t]+of | born[ \t]+in
)[ \t]*(?:the[ \t]+)?""")
_GAP = re.compile(r"[ \t]{1,2}|-")
TOWN_BEFORE_STATE = re.compile(rf"(?:^|[,;:.][ \t]*)((?:[^\W\d_][\w'’.\-]*[ \t]+){{0,2}}[^\W\d_][\w'’.\-]*),[ \t]*"
                               rf"(?i:{'|'.join(US_STATES)})\.?(?:[ \t]+\d{{5}}(?:-\d{{4}})?)?(?=[ \t]*(?:[.;,)]|$))")
# a noun that makes the town before it a place: "Lynn resident", "Brockton OSH" (and a service: "Quincy police")
PLACE_AFTER = re.compile(r"""(?x)^[ \t]+(?:(?i:residents?|natives?)|OSH)\b""")
# ... or, for a town that is not an ordinary word, one of these: "Lowell lab", "Milton ED", "Lynn area"
LOCAL_AFTER = re.compile(r"""(?x)^[ \t]+(?:(?i:lab|labs|laboratory|area|rehab|vna|nursing[ \t]+home|health[ \t]+center|
    emergency[ \t]+(?:room|department)|urgent[ \t]+care|dialysis)|ED|ER)\b""")
# what may follow a capitalised ordinary word that is a town in mixed-case text ("travel to Reading.",
# "from Brunswick lab", "in Dover with wife"; not "to Orange top tube")
PHRASE_END = re.compile(r"""(?x)^(?:[ \t]*(?:[.,;:)!?]|$)|[ \t]+(?:with|for|on|and|since|until|last|this|yesterday|
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


class LocationRecognizer(EntityRecognizer):
    """Towns, counties and facilities below state level (Safe Harbor B)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__(supported_entities=[Entity.LOCATION.value], name="MimicLocationRecognizer")
        self.lex = Lexicon(vocabulary)
        self.eponyms = vocabulary.phrase_regex

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        found = self._facilities(text) + self._towns(text) + self._cued(text) + self._before_state(text)
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
            proper = self._proper if SERVICE_HEAD.fullmatch(m.group(2)) else self._named
            if any(proper(t) for t in words):
                out.append((m.start(1) + words[0].start, m.end(), 0.75))
        return out

    def _cued(self, text: str) -> list[tuple[int, int, float]]:
        """Proper names right after a stay, move, transfer or specimen cue, listed or not ("transferred from
        SMC", "d/c to Spaulding", "travel to Pécs", "result from Göteborg lab"): one to four words that are
        neither ordinary English nor clinical (a word in capitals of two to five letters counts: a facility's
        initials), or capitalised listed names."""
        out = []
        for m in STRONG_PLACE_CUE.finditer(text):
            words: list[Token] = []
            for t in tokens(text[m.end():m.end() + 60]):
                gap = text[m.end() + (words[-1].end if words else 0):m.end() + t.start]
                if len(words) == 4 or (words and not _GAP.fullmatch(gap)) or (not words and gap.strip(" \t:(")):
                    break
                if t.low in STOP or t.low in PLACE_STOP or self.lex.is_clinical(t):
                    break
                words.append(t)
            while words and self.lex.is_english(words[-1]) and not (words[-1].low,) in us_places().get(words[-1].low, ()):
                words.pop()
            if not words or all(self.lex.is_english(t) and not t.is_caps for t in words):
                continue
            if text[m.end() + words[-1].end:m.end() + words[-1].end + 1].isdigit():
                continue
            out.append((m.end() + words[0].start, m.end() + words[-1].end, 0.6))
        return out

    def _before_state(self, text: str) -> list[tuple[int, int, float]]:
        """The town of an address: the words before ", MA 02114" or ", ma." ("Cazadero, CA 95421")."""
        out = []
        for m in TOWN_BEFORE_STATE.finditer(text):
            words = tokens(m.group(1))
            while words and (words[0].low in STOP or self.lex.is_clinical(words[0])):
                words.pop(0)
            if words:
                out.append((m.start(1) + words[0].start, m.start(1) + words[-1].end, 0.75))
        return out

    def _named(self, t: Token) -> bool:
        """A word that can name a facility: not clinical, or a listed place or person name ("Boston", "Lowell")."""
        return not self.lex.is_clinical(t) or (t.low,) in us_places().get(t.low, ()) or self.lex.is_name(t)

    def _proper(self, t: Token) -> bool:
        """A word that names a service ("Cataldo", "Boston"): a listed place, or not ordinary English ("Core"
        is a surname too, but "Core Laboratory" is no place)."""
        return self._named(t) and (not self.lex.is_english(t) or (t.low,) in us_places().get(t.low, ()))

    def _towns(self, text: str) -> list[tuple[int, int, float]]:
        places = us_places()
        states = [(m.start(), m.end()) for m in STATE_NAME.finditer(text)]
        toks = [t for t in tokens(text) if not any(a <= t.start < b for a, b in states)]  # "New Hampshire" is a state
        out: list[tuple[int, int, float]] = []
        i = 0
        while i < len(toks):
            t = toks[i]
            match = match_place(text, toks, i, places.get(t.low, ())) if t.capitalised and not t.is_initial else 0
            if not match:
                i += 1
                continue
            run = toks[i:i + match]
            score = self._town_score(text, run)
            if out and LIST_GAP.fullmatch(text[out[-1][1]:run[0].start]) and not self._never(run):
                score = max(score, out[-1][2])  # "travelled to Concord and Reading": the list goes on
            if score:
                out.append((run[0].start, run[-1].end, score))
            i += match
        return out

    @staticmethod
    def _never(run: list[Token]) -> bool:
        """Not a town: "discharged to Home", "from Brazil" (a country, not the town in Indiana), clinical words."""
        return (len(run) == 1 and run[0].low in PLACE_STOP or tuple(t.low for t in run) in country_names()
                or any(t.low in CLINICAL_WORDS or t.low in STOP for t in run))

    def _town_score(self, text: str, run: list[Token]) -> float:
        before, after = window(text, run[0].start, run[-1].end)
        if STATE_AFTER.match(after) or COUNTY_AFTER.match(after):
            return 0.8
        lex = self.lex
        if EPONYM_HEADS.match(after) or self._never(run):
            return 0.0
        if RESIDENCE_CUE.search(before) or SPECIMEN_SENT.search(before) or PLACE_AFTER.match(after) or \
                SERVICE_AFTER.match(after):
            return 0.7
        if len(run) == 1 and lex.is_clinical(run[0]):  # a word of the data's dictionaries ("Boston" of a device)
            return 0.0
        if DOCUMENT_FROM.search(before):
            return 0.7
        if len(run) == 1 and lex.is_english(run[0]):
            return self._english_town_score(before, after, run[0])
        if PLACE_CUE.search(before) or LOCAL_AFTER.match(after):
            return 0.7
        if len(run) == 1 and lex.is_name(run[0]) or PERSON_CUE.search(before):
            return 0.0  # "Everett" with no place cue, or "per Whitfield", is more likely a person
        if len(run) == 1 and tuple(t.low for t in run) not in large_us_cities():
            return 0.0  # a lone small town's name with no cue is as often a brand ("Norco")
        return 0.55

    @staticmethod
    def _english_town_score(before: str, after: str, t: Token) -> float:
        """A town that is an ordinary word ("Revere", "Normal") with no residence cue."""
        cue = PLACE_CUE.search(before)
        if cue is None:
            return 0.0
        if (t.low,) in large_us_cities() or LOCAL_AFTER.match(after):
            return 0.6  # "sent to Providence", "FROM DOVER LAB"
        # capitalised inside a sentence, not a Title Case label: the cue and the word before it are lower case
        # ("recent travel to Reading."; "Result in Progress" is a label)
        lead = re.search(r"([A-Za-z]+)[ \t]+$", before[:cue.start()])
        proper = t.is_title and cue.group().strip(" \t:-").islower() and lead is not None and lead.group(1).islower()
        return 0.6 if proper and PHRASE_END.match(after) else 0.0
