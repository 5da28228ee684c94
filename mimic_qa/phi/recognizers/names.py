"""PERSON without an NLP model: runs of name-shaped words judged by the cues around them and the name lists.

A run is up to four capitalised words or initials ("Kwame R. Halvorsen", "J.CASTELLANO", "TRAN, MEI"),
or lower-case words that are all listed names ("nadia o'donnell"). It is a name when

* a title precedes it ("Dr.", "Mrs."): score 0.85, whatever the words;
* a person cue precedes or follows it ("called to", "read back by", "daughter", ", RN", "aware") and it has
  a listed name (0.75) or a word that is neither English nor clinical (0.6);
* a generic cue precedes it ("by", "to", "for", "with") and it has a listed name that is not an ordinary
  English word (0.6);
* with no cue, it pairs a listed first name with a listed or unknown surname, an initial with a listed
  surname, or "Last, First" (0.6);
* an eponymous surname as the rest of a sentence after a "<verb> by" person cue ("Verified by Barton."): 0.6;
* an ordinary word right before "aware" or "notified" ("Castellano notified"), or a value or a sentence of a
  comment that is nothing but one listed name that is not an ordinary word ("OKAFOR", "...  Okafor."): 0.55.

Clinical words (the data's own dictionaries, eponyms, units) end a run, except after a title.
"""

from __future__ import annotations

from functools import reduce
from itertools import compress
from operator import or_

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.recognizers.words import CUE_WORDS, EPONYM_HEADS, STOP, TextIndex, Token, lexicon, tokens
from mimic_qa.phi.vocabulary import CLINICAL_WORDS, Vocabulary

# titles; upper-case "MS"/"MR" only with a dot ("MS Contin" is morphine)
TITLE = re.compile(r"\b(?:(?:Dr|DR|dr|Doctor|DOCTOR|doctor|Mr|Mrs|MRS|Ms|Mx|Miss|MISS|Prof|PROF)\.?|MR\.|MS\.)[ \t]*$")
PERSON_CUE = re.compile(r"""(?ix)\b(?:
    called(?:[ \t]+back)?(?:[ \t]+(?:to|by))? | call[ \t]+to | paged | page | notified | informed | d/w | w/ |
    discussed[ \t]+with | spoke[ \t]+(?:with|to) | read[ \t]*back[ \t]+(?:by|to) | reported[ \t]+(?:to|by) |
    (?:given|phoned|relayed|faxed|sent|released|telephoned|reported)[ \t]+to | (?:acknowledged|requested|ordered|
    drawn|collected|interpreted|reviewed|approved|verified|confirmed|seen|signed|delivered|hand-delivered|
    brought(?:[ \t]+(?:down|up|in))?|taken|received|accepted)[ \t]+by |
    reviewed[ \t]+with | left[ \t]+for | order[ \t]+from | per | attending | resident | fellow | intern | nurse |
    covering | charge | contact | cc | hcp | proxy | guardian | caregiver | husband | wife | spouse | son |
    daughter | mother | father | mom | dad | brother | sister | niece | nephew | aunt | uncle | cousin | grandson |
    granddaughter | grandmother | grandfather | friend | partner | neighbou?r | fiance | fiancee | name[ \t]+is |
    named | name | pt | patient | message[ \t]+for | verbal[ \t]+from
)[ \t]*[:\-]?[ \t]*(?:(?:dr|rn|np|md|pa|nurse)\.?[ \t]+)?$""")
# a specimen goes to a laboratory, not to a person: "Specimen sent to Holden for testing"
SPECIMEN_SENT = re.compile(r"""(?ix)\b(?:specimens?|samples?|slides?|isolates?|blocks?|cultures?|serum|sera|plasma|
    urine|csf|tissue)(?:[ \t]+(?:was|were|is|are|has[ \t]+been|will[ \t]+be))?[ \t]+(?:sent(?:[ \t]+out)?|forwarded|
    referred|shipped|mailed)[ \t]+to[ \t]*$""")
# a service after a word makes it a place or a company, not a person: "Lynn ambulance", "Quincy police"
SERVICE_AFTER = re.compile(r"""(?x)^[ \t]+(?:(?i:ambulance|police|rescue|fire(?:[ \t]+(?:dept|department))?) |
    EMS|PD|FD)\b""")
GENERIC_CUE = re.compile(r"(?i:\b(?:by|to|for|with)[ \t]*$)")
AFTER_CUE = re.compile(r"""(?ix)^\.?[ \t]*(?:
    ,?[ \t]*(?:rn|r\.n\.|md|m\.d\.|np|pa-c|pa|do|pharmd|rph|lpn|cna|crna)\b |
    (?:is|was)?[ \t]*(?:aware|notified|made[ \t]+aware|informed|paged|called|updated|at[ \t]+bedside|
    requests?|requested|asked|agrees|(?:is|was)[ \t]+(?:the[ \t]+)?hcp|hcp)\b | \([ \t]*(?:covering|rn|md|np)[ \t]*\)
)""")
# where a sentence of a comment starts and ends: after ".  ", "; " or " - ", before a full stop, ";" or the end
SENTENCE_START = re.compile(r"(?:[.;!?][ \t]+|[ \t]-[ \t]+)$")
SENTENCE_END = re.compile(r"[ \t]*(?:[.;!?](?:[ \t]|$)|$)")
AFTER_VERB = re.compile(r"(?i)^\.?[ \t]*(?:is|was)?[ \t]*(?:aware|notified|made[ \t]+aware|informed|paged|updated)\b")
_GAP = re.compile(r"[ \t]{1,2}|\.[ \t]{0,2}|,[ \t]{1,2}")
# the small words inside a surname ("van brenen", "de la cruz", "mac briartaigh")
PARTICLES = frozenset("van von de da di del della der den le la mac mc ter ten bin ibn al el dos das du".split())
_CUE_GAP = re.compile(r"[ \t]*[:\-]?[ \t]*")
MAX_RUN = 4
TITLE_WORDS = frozenset("dr doctor mr mrs ms mx miss prof".split())
# the last word of every PERSON_CUE phrase (a cue ends right before a name, so the word before it is one of these)
CUE_LAST = frozenset("""called back to by call paged page notified informed w with per attending resident fellow
intern nurse covering charge contact cc hcp proxy guardian caregiver husband wife spouse son daughter mother father
mom dad brother sister niece nephew aunt uncle cousin grandson granddaughter grandmother grandfather friend partner
neighbor neighbour fiance fiancee is named name pt patient for from readback dr rn np md pa""".split())
GENERIC_WORDS = frozenset({"by", "to", "for", "with"})
# the first word of every AFTER_CUE phrase
AFTER_FIRST = frozenset("""rn r md m np pa c do pharmd rph lpn cna crna is was aware notified made informed paged called
updated at requests request requested asked agrees hcp covering pa-c""".split())
_BREAK, _TITLE, _NAME, _CUE_LAST, _AFTER_FIRST, _AFTER_VERB, _PROPER, _LOWER, _LOWER_RARE, _SHAPED, _BY = (
    1 << k for k in range(11))  # _SHAPED: not _BREAK
AFTER_VERB_FIRST = frozenset("is was aware notified made informed paged updated".split())
WINDOW = 60  # characters on each side in which cues are looked for: the work per word stays bounded on long text


def overlaps(pattern: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """Does a match of ``pattern`` (phrases shorter than ``WINDOW``) overlap ``text[start:end]``? Searched only
    around the span: a phrase that overlaps it lies within ``WINDOW`` characters of it."""
    return any(m.start() < end and start < m.end()
               for m in pattern.finditer(text, max(0, start - WINDOW), min(len(text), end + WINDOW)))


def _abbreviation(text: str, t: Token) -> bool:
    """A letter of a slashed abbreviation ("D/W", "S/P", "W/O"): not an initial of a name."""
    return t.is_initial and (text[t.start - 1:t.start] == "/" or text[t.end:t.end + 1] == "/")


def window(text: str, start: int, end: int) -> tuple[str, str]:
    """The text just before ``start`` and just after ``end`` (at most ``WINDOW`` characters each)."""
    return text[max(0, start - WINDOW):start], text[end:end + WINDOW]


class PersonRecognizer(EntityRecognizer):
    """Names of patients, relatives and staff, found from cues, name lists and word shapes."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__(supported_entities=[Entity.PERSON.value], name="MimicPersonRecognizer")
        self.lex = lexicon(vocabulary)
        self.eponyms = vocabulary.phrase_regex
        self._flag_cache: dict[str, int] = {}

    def load(self) -> None:  # noqa: D102  (lists load lazily in Lexicon)
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        results = []
        toks = tokens(text)
        for start, end in self._lower_after_cue(text, toks):
            if not overlaps(self.eponyms, text, start, end):
                results.append(RecognizerResult(Entity.PERSON.value, start, end, 0.6,
                                                recognition_metadata={"recognizer_name": self.name,
                                                                      "recognizer_identifier": self.id}))
        for start, end in self._listed_after_by(text, toks):
            results.append(RecognizerResult(Entity.PERSON.value, start, end, 0.6,
                                            recognition_metadata={"recognizer_name": self.name,
                                                                  "recognizer_identifier": self.id}))
        for a, b in self._segments(toks):
            for run, strong, at in self._runs(text, toks, a, b):
                start, end = run[0].start, run[-1].end
                score = self._score(text, run, strong, toks[at - 1].low if at else "")
                if score and not overlaps(self.eponyms, text, start, end):
                    results.append(RecognizerResult(Entity.PERSON.value, start, end, score,
                                                    recognition_metadata={"recognizer_name": self.name,
                                                                          "recognizer_identifier": self.id}))
        return results

    def _segments(self, toks: TextIndex) -> list[tuple[int, int]]:
        """Index ranges of the words that can hold a name: stretches between words that never can (lower-case
        ordinary words, stop, cue and clinical words, titles), kept only when something in or around them can
        make a name: a listed name, a title, or a person cue before or after them. Runs never cross such a word,
        so each stretch is judged exactly as within the whole text; the rest of a long text costs one look-up
        per word."""
        flags = toks.flags(self._flag_cache, self._flags)
        out: list[tuple[int, int]] = []
        n = len(flags)
        # the words that are not breaks (a sixth of a note's words), found in C; consecutive ones form a stretch
        shaped = list(compress(range(n), map(_SHAPED.__and__, flags)))
        k, m = 0, len(shaped)
        while k < m:
            i = j = shaped[k]
            k += 1
            while k < m and shaped[k] == j + 1:
                j += 1
                k += 1
            j += 1
            inside = reduce(or_, flags[i:j])
            around = inside | (flags[i - 1] if i else 0)
            after = flags[j] if j < n else 0
            if around & (_TITLE | _NAME):
                out.append((i, j))
            elif (around & _CUE_LAST or (after | inside) & _AFTER_FIRST) and \
                    ((after | inside) & _AFTER_VERB or inside & _PROPER):
                out.append((i, j))
        return out

    def _lower_after_cue(self, text: str, toks: TextIndex) -> list[tuple[int, int]]:
        """Names written in lower case right after a person cue ("called to galloway, latoya", "spoke with t niță",
        "son samarth is hcp"): up to four words, none clinical, each a listed name or not ordinary English, one
        of them not English; a single unknown word needs a cue after it too."""
        flags = toks.flags(self._flag_cache, self._flags)
        lex, out = self.lex, []
        for k in compress(range(len(flags)), map(_CUE_LAST.__and__, flags)):
            if k + 1 >= len(flags) or not flags[k + 1] & _LOWER or \
                    not any(f & _LOWER_RARE for f in flags[k + 1:k + 1 + MAX_RUN]):
                continue  # the words after the cue cannot be a lower-case name with a word that is not English
            words: list[Token] = []
            j = k + 1
            while j < len(toks) and len(words) < MAX_RUN:
                t = toks[j]
                gap = text[(words[-1] if words else toks[k]).end:t.start]
                if t.capitalised and not t.is_initial and not t.text.islower():
                    break
                if (words and not _GAP.fullmatch(gap)) or (not words and not _CUE_GAP.fullmatch(gap)):
                    break
                particle = t.low in PARTICLES and j + 1 < len(toks)
                clinical = lex.is_clinical(t) and not lex.is_common_name(t)  # "wilson, k." is a name here
                if not particle and (t.low in STOP or t.low in CUE_WORDS or clinical or
                                     not (lex.is_name(t) or not lex.is_english(t) or len(t.text) == 1)):
                    break
                words.append(t)
                j += 1
            while words and words[-1].low in PARTICLES:
                words.pop()
            named = [t for t in words if len(t.text) > 1 and t.low not in PARTICLES]
            if not named or all(t.capitalised for t in words) or all(lex.is_english(t) for t in named):
                continue
            start, end = words[0].start, words[-1].end
            before, after = window(text, start, end)
            if not PERSON_CUE.search(before) or SPECIMEN_SENT.search(before):
                continue
            if len(named) == 1 and not (lex.is_name(named[0]) and not lex.is_english(named[0])) and \
                    not AFTER_CUE.match(after):
                continue
            out.append((start, end))
        return out

    def _listed_after_by(self, text: str, toks: TextIndex) -> list[tuple[int, int]]:
        """A frequent or rare surname that is also a clinical word (an eponym: "Barton", "Smith") as the whole
        rest of a sentence after a person cue ending in "by" ("Verified by Barton.", "INTERPRETED BY SMITH"); not
        before an eponym's head noun ("by Gram stain")."""
        lex, out = self.lex, []
        flags = toks.flags(self._flag_cache, self._flags)
        for k in compress(range(len(flags) - 1), map(_BY.__and__, flags)):
            t = toks[k + 1]
            if not t.capitalised or t.is_initial or t.low in STOP or \
                    t.low in CUE_WORDS or t.low in CLINICAL_WORDS or not lex.is_last(t) or \
                    not (lex.is_common_name(t) or not lex.is_english(t)) or text[toks.ends[k]:t.start] not in (" ", "  "):
                continue
            before, after = window(text, t.start, t.end)
            if PERSON_CUE.search(before) and not SPECIMEN_SENT.search(before) and SENTENCE_END.match(after) and \
                    not EPONYM_HEADS.match(after):
                out.append((t.start, t.end))
        return out

    def _flags(self, word: str) -> int:
        """What a spelling can do for a name (see ``_segments``)."""
        lex, t = self.lex, Token(word, 0, len(word))
        low = t.low
        f = _SHAPED if self._shaped(t, True) or t.is_initial else _BREAK
        f |= _TITLE if low in TITLE_WORDS else 0
        f |= _NAME if not f & _BREAK and lex.is_name(t) and not lex.is_clinical(t) else 0
        f |= _CUE_LAST if low in CUE_LAST else 0
        f |= _BY if low == "by" else 0
        f |= _AFTER_FIRST if low in AFTER_FIRST else 0
        f |= _AFTER_VERB if low in AFTER_VERB_FIRST else 0
        f |= _PROPER if t.is_initial or (t.capitalised and lex.is_unknown(t)) else 0
        lower_name = not t.capitalised and (lex.is_name(t) or not lex.is_english(t)) and \
            not (lex.is_clinical(t) and not lex.is_common_name(t)) and low not in STOP and low not in CUE_WORDS
        f |= _LOWER if lower_name or low in PARTICLES or (len(word) == 1 and word.islower()) else 0
        f |= _LOWER_RARE if lower_name and len(word) > 1 and not lex.is_english(t) else 0
        return f

    def _shaped(self, t: Token, strong: bool) -> bool:
        """Can ``t`` be part of a name? (After a title even clinical words can: "Dr. Foley".)"""
        if t.low in ("dr", "mr", "mrs", "ms", "rn", "md", "np", "pa", "pt"):
            return False
        if t.is_initial:
            return True
        if t.low in STOP or t.low in CUE_WORDS or t.low in CLINICAL_WORDS or (self.lex.is_clinical(t) and not strong):
            return False
        if t.capitalised:
            return True
        return self.lex.is_name(t) and not self.lex.is_english(t)  # lower case: listed names only

    def _strong(self, text: str, toks: TextIndex, i: int) -> bool:
        """A title right before word ``i`` ("Dr.", "Mrs")."""
        return i > 0 and toks[i - 1].low in TITLE_WORDS and \
            bool(TITLE.search(text, max(0, toks[i].start - WINDOW), toks[i].start))

    def _runs(self, text: str, toks: TextIndex, a: int, b: int) -> list[tuple[list[Token], bool, int]]:
        """(words, after a title, index of the first word) of each candidate name among words ``a`` to ``b``."""
        runs, i = [], a
        while i < b:
            strong = self._strong(text, toks, i)
            if not self._shaped(toks[i], strong) or _abbreviation(text, toks[i]):
                i += 1
                continue
            run, commas = [toks[i]], 0
            j = i + 1
            while j < b and len(run) < MAX_RUN:
                gap = text[run[-1].end:toks[j].start]
                if not _GAP.fullmatch(gap) or not (self._shaped(toks[j], strong or run[-1].is_initial) or
                                                   self._surname_after_first(run[-1], toks[j])):
                    break
                if "." in gap and not run[-1].is_initial:
                    break
                if "," in gap:
                    commas += 1
                    if commas > 1 or len(run) != 1 or toks[j].is_initial or strong:
                        break
                if run[-1].is_caps != toks[j].is_caps and not (run[-1].is_initial or toks[j].is_initial):
                    break  # "Results NEG" is not one name
                run.append(toks[j])
                j += 1
            first = i
            while run and run[-1].is_initial and len(run) > 1 and "," in text[run[-2].end:run[-1].start] and \
                    not (len(run) == 2 and text[run[-1].end:run[-1].end + 1] == "." and self._rare_surname(run[0])):
                run.pop()  # "Results, A" is no name; "Sanders, E." is
            if not strong and not (len(run) > 1 and "," in text[run[0].end:run[1].start]):
                # ordinary English words at either end are not part of the name ("COLLEEN REQUESTS")
                while len(run) > 1 and self._plain(run[-1]) and not run[-2].is_initial:
                    run.pop()
                while len(run) > 1 and self._plain(run[0]):
                    run.pop(0)
                    first += 1
            runs.append((run, strong, first))
            i = j
        return runs

    def _plain(self, t: Token) -> bool:
        return not t.is_initial and self.lex.is_english(t) and not self.lex.is_name(t)

    def _evidence(self, t: Token) -> bool:
        """A listed name that is not clinical and not a short acronym ("IFA", "ANA")."""
        return self.lex.is_name(t) and not self.lex.is_clinical(t) and not (t.is_caps and len(t.text) <= 3)

    def _score(self, text: str, run: list[Token], strong: bool, prev: str = "") -> float:
        """``prev``: the word before the run (lower case), which any cue before it must end with."""
        lex = self.lex
        words = [t for t in run if not t.is_initial]
        if not words:
            return 0.0
        if strong:
            return 0.85
        if prev == "w" and run[0].text in ("O", "o") and text[run[0].start - 1:run[0].start] == "/":
            return 0.0  # "W/O CONTRAST": w/o is "without", not "with O."
        before, after = window(text, run[0].start, run[-1].end)
        if EPONYM_HEADS.match(after) or SERVICE_AFTER.match(after):
            return 0.0
        listed = [t for t in words if self._evidence(t)]
        unknown = [t for t in words if lex.is_unknown(t) and t.capitalised]
        lower = not any(t.capitalised for t in run)
        if (prev in CUE_LAST and PERSON_CUE.search(before) and not SPECIMEN_SENT.search(before)) or \
                AFTER_CUE.match(after):
            if listed:
                return 0.75
            if unknown or len(words) < len(run):  # an unknown word, or initials
                return 0.6
            # an ordinary word right before "aware" or "notified" ("Castellano notified"; not "Cardiology NP")
            return 0.55 if AFTER_VERB.match(after) and all(t.capitalised for t in words) else 0.0
        if lower and (len(words) < 2 or not all(lex.is_name(t) and not lex.is_english(t) for t in words)):
            return 0.0
        rare_listed = [t for t in listed if not lex.is_english(t)]
        if rare_listed and prev in GENERIC_WORDS and GENERIC_CUE.search(before):
            return 0.6
        if self._pair(text, run):
            return 0.6
        # a value, or a sentence of a comment, that is nothing but one listed name ("CHELSEA", "...  Okafor.")
        alone = (SENTENCE_START.search(before) or (run[0].start <= WINDOW and not before.strip(" .,;:*"))) and \
            (SENTENCE_END.match(after) or (len(text) - run[-1].end <= WINDOW and not after.strip(" .,;:*")))
        whole = [t for t in rare_listed if "-" not in t.text or lex.is_common_name(t)]  # not "Rena-Vite"
        return 0.55 if alone and whole else 0.0

    def _surname_after_first(self, prev: Token, t: Token) -> bool:
        """A frequent surname that is also a clinical word right after a listed first name ("Paul Smith", "Matthew
        Bell": Smith's and Bell's names are in ICD titles)."""
        lex = self.lex
        return (t.capitalised and not t.is_initial and t.low not in STOP and t.low not in CUE_WORDS and
                t.low not in CLINICAL_WORDS and not prev.is_initial and prev.is_caps == t.is_caps and lex.is_first(prev) and
                self._evidence(prev) and not lex.is_english(prev) and lex.is_last(t) and lex.is_common_name(t))

    def _rare_surname(self, t: Token) -> bool:
        return self.lex.is_last(t) and self._evidence(t) and not self.lex.is_english(t)

    def _pair(self, text: str, run: list[Token]) -> bool:
        """A first name with a surname, an initial with a surname, or "Last, First"."""
        lex = self.lex
        words = [t for t in run if not t.is_initial]
        if all(lex.is_english(t) for t in words):
            return False
        if len(run) >= 2 and "," in text[run[0].end:run[1].start]:  # "Last, First": one listed, the other
            last, first = run[0], run[1]  # listed too or unknown
            if first.is_initial:  # "Sanders, E."
                return self._rare_surname(last)
            return ((lex.is_last(last) and (lex.is_first(first) or lex.is_unknown(first))) or
                    (lex.is_first(first) and lex.is_unknown(last)))
        if len(words) >= 2:
            first, last = words[0], words[-1]
            if self._evidence(first) and lex.is_first(first) and (lex.is_last(last) or lex.is_unknown(last)):
                # an English first name ("Early", "Rose") needs a listed surname that is not English too
                return not lex.is_english(first) or (last.low in lex.last and not lex.is_english(last))
            return lex.is_unknown(first) and self._evidence(last) and lex.is_last(last) and not lex.is_english(last)
        word = words[0]
        if len(run) < 2 or lex.is_english(word) or not self._evidence(word):
            return False
        if run[0].is_initial:  # "J. Castellano"
            return lex.is_last(word)
        return lex.is_first(word) and run[-1].is_initial  # "Maeve S."
