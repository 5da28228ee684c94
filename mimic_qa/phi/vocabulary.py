"""Clinical words that must not be mistaken for names or places.

Two sources: the dataset's own dictionaries (item labels, lab labels, drug names, ICD titles), read
with one SQL query each, and a curated list of medical eponyms. Eponym *phrases* ("Hunt and Hess",
"Allen test", "Foley catheter") suppress a name finding that overlaps them; single clinical words
suppress name tokens found only by weak cues.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Eponyms that are never ordinary surnames in this data (single tokens, lower case).
EPONYM_WORDS = frozenset("""
alzheimer apgar babinski barrett bazett blakemore braden broviac brudzinski brugada chvostek coombs corpak
creutzfeldt crohn cushing dobhoff doppler fick foley glasgow groshong guedel guillain hartmann hashimoto
hickman hirschsprung hodgkin holter huntington jakob kawasaki kerlix kernig kleihauer korsakoff kussmaul
lachman lewy magill mahurkar malecot marfan meckel mobitz ommaya papanicolaou parkinson penrose pezzer
phalen pleurx quinton raynaud roux sengstaken seldinger sjogren swan ganz takotsubo tegaderm tenckhoff
tinel trendelenburg valsalva wenckebach wernicke westergren whipple wintrobe yankauer zenker ziehl neelsen
gram giemsa ranson killip nyha
kinyoun auramine rhodamine macconkey sabouraud middlebrook loeffler hektoen westergren friedewald grocott gomori
tzanck widal lancefield quellung calcofluor schilling dohle auer kleihauer betke bence ziehl neelsen lowenstein
coombs sternberg pelger huet charcot leyden bordet gengou warthin fontana negri councilman epstein mantoux
""".split())

# Genera of organisms a clinical microbiology laboratory reports (many are named after people: Klebs, Salmon,
# Morgan, Stuart); species epithets are lower case and need no list.
ORGANISMS = frozenset("""
acinetobacter achromobacter actinomyces aerococcus aeromonas alcaligenes anaplasma aspergillus babesia bacillus
bacteroides bartonella blastomyces bordetella borrelia brucella burkholderia campylobacter candida capnocytophaga
cardiobacterium chlamydia chlamydophila chryseobacterium citrobacter clostridium clostridioides coccidioides
corynebacterium coxiella cryptococcus cryptosporidium cutibacterium cyclospora delftia dermabacter eikenella
ehrlichia elizabethkingia enterobacter enterococcus erysipelothrix escherichia francisella fusarium fusobacterium
gardnerella gemella giardia granulicatella haemophilus hafnia helicobacter histoplasma kingella klebsiella kocuria
lactobacillus legionella leclercia leishmania leptospira leuconostoc listeria micrococcus moraxella morganella
mucor mycobacterium mycoplasma neisseria nocardia ochrobactrum pantoea parvimonas pasteurella pediococcus
peptostreptococcus plasmodium pneumocystis porphyromonas prevotella propionibacterium proteus providencia
pseudomonas raoultella rhizopus rhodococcus rickettsia rothia salmonella scedosporium serratia shigella
sphingomonas staphylococcus stenotrophomonas streptococcus streptomyces toxoplasma treponema trichomonas
trichophyton tropheryma ureaplasma veillonella vibrio yersinia cedecea edwardsiella kluyvera weeksella
abiotrophia actinobacillus aggregatibacter arcanobacterium bifidobacterium eggerthella finegoldia lactococcus
malassezia microsporum paecilomyces penicillium sporothrix strongyloides trichosporon wuchereria
""".split())

# Eponym phrases that contain ordinary surnames; a name finding overlapping one is dropped.
EPONYM_PHRASES = (
    "hunt and hess", "hunt & hess", "hunt-hess", "allen test", "allen's test", "allens test", "swan-ganz", "swan ganz",
    "creutzfeldt-jakob", "jackson-pratt", "jackson pratt", "miller blade", "miller fisher", "mac blade",
    "murphy sign", "murphy's sign", "murphys sign", "wolff-parkinson-white", "mallory-weiss", "cheyne-stokes",
    "bell's palsy", "bells palsy", "wilson disease", "wilson's disease", "graves disease", "graves' disease",
    "turner syndrome", "down syndrome", "down's syndrome", "child-pugh", "cockcroft-gault", "frank-starling",
    "thomas splint", "morse fall", "morse scale", "richmond agitation", "hess scale", "foley catheter",
    "non-hodgkin", "austin flint", "lewy body", "dubin-johnson", "gilbert syndrome", "gilbert's syndrome",
    "addison disease", "addison's disease", "kaposi sarcoma", "wright stain", "wright-giemsa", "miami j",
    "philadelphia collar", "aspen collar", "salem sump", "bair hugger", "glasgow coma", "young adult",
    "white blood", "white count", "green stool", "brown stool", "king airway", "king lt",
    "kirby-bauer", "kirby bauer", "thayer-martin", "thayer martin", "lowenstein-jensen", "mueller-hinton",
    "mueller hinton", "ziehl-neelsen", "wright-giemsa", "wright's stain", "wrights stain", "kleihauer-betke",
    "bence-jones", "bence jones", "epstein-barr", "epstein barr", "howell-jolly", "reed-sternberg", "pelger-huet",
    "charcot-leyden", "bordet-gengou", "regan-lowe", "todd-hewitt", "warthin-starry", "fontana-masson",
    "paul-bunnell", "weil-felix", "cockcroft-gault", "mallory-weiss", "masson trichrome", "congo red",
    "prussian blue", "india ink", "new england", "heinz bodies", "lewis antigen", "kell antibody", "duffy antigen",
    "kidd antigen", "lutheran antigen", "christmas factor", "von willebrand", "stuart factor", "hageman factor",
)

# Everyday clinical and operational words frequent in MIMIC comments, and hospital services (complements the
# data's dictionaries).
CLINICAL_WORDS = frozenset("""
am pm at on by in to of the and or for with from per via re see please note notes comment comments
result results called call calls paged page notified informed discussed spoke read back verified repeated
confirmed reported ordered sent received collected specimen specimens sample samples hemolyzed clotted
lab labs laboratory floor unit micu sicu csru ccu tsicu cvicu nicu picu ed er or pacu icu ward team house
officer resident attending fellow intern nurse rn md np pa do pharmd rph charge covering primary service
physician provider doctor staff member family patient pt pts blood bank chemistry hematology micro
microbiology culture cultures gram stain positive negative pending final preliminary corrected report
reports value values critical abnormal normal high low test tests testing please reorder canceled cancelled
unable insufficient quantity qns tube tubes redraw recollect recollected new order orders office offices
oncall aware updated bedside ems ambulance police fire rescue dept department sendout sendouts
drain saline medulla derma calcium media medium
npo tntc qns addon add-on abnl nl wnl neg pos stat asap prn qd bid tid qid qhs hs po iv im sc sq pr sl ng ngt ogt peg picc
rbc wbc hgb hct plt inr ptt esr crp bun cr lfts abg vbg ua ucx bcx csf bal ett
snf ltac ltach ecf alf nh rehab vna pcp osh ems hme dme ed ercp ir cath ep ct cta mri mra us echo ekg ecg eeg
reagent reagents lot lots kit kits control controls qc calibrator calibration instrument analyzer assay assays
vendor manufacturer cobas roche abbott siemens beckman hologic cepheid biofire sebia
quest arup mayo labcorp viracor cdc dph icu ccu micu sicu floor ward unit room bed
cardiology surgery medicine neurology neurosurgery oncology psychiatry radiology pharmacy nephrology urology
orthopedics orthopaedics gynecology gyn obstetrics pediatrics neuromed trauma transplant anesthesia hepatology
gastroenterology pulmonary renal dermatology endocrinology rheumatology hematology ophthalmology ent vascular
""".split())

_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Vocabulary:
    """Lower-case clinical words plus eponym phrases, used to suppress false name/place findings."""

    words: frozenset[str] = field(default_factory=frozenset)
    phrases: tuple[str, ...] = EPONYM_PHRASES

    @classmethod
    def build(cls, data_texts: Iterable[str] = ()) -> Vocabulary:
        """Curated eponyms, organisms and clinical words, the package's safe list (:mod:`mimic_qa.phi.safelist`)
        and every word of the given dictionary texts (a source's own dictionaries)."""
        from mimic_qa.phi.safelist import medical_words

        words = set(EPONYM_WORDS) | set(CLINICAL_WORDS) | set(ORGANISMS) | medical_words()
        for text in data_texts:
            words.update(_WORD.findall(text.lower()))
        return cls(frozenset(words))

    def __contains__(self, token: str) -> bool:
        return token.lower() in self.words

    @property
    def phrase_regex(self) -> re.Pattern[str]:
        """One case-insensitive alternation of the eponym phrases."""
        return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(self.phrases, key=len, reverse=True))
                          + r")\b", re.IGNORECASE)


def dictionary_words_sql(table_sql: str, column: str) -> str:
    """SQL yielding the distinct lower-case words of one dictionary column (runs in DuckDB, not Python)."""
    return (f"SELECT DISTINCT w FROM (SELECT unnest(regexp_split_to_array(lower(CAST(\"{column}\" AS VARCHAR)), "
            f"'[^a-z]+')) AS w FROM {table_sql}) WHERE length(w) > 1")


# Dictionary tables and columns whose words form the data's own clinical vocabulary.
DICTIONARY_COLUMNS: dict[str, tuple[str, ...]] = {
    "d_items": ("label", "abbreviation", "category"),
    "d_labitems": ("label", "fluid", "category"),
    "d_icd_diagnoses": ("long_title",),
    "d_icd_procedures": ("long_title",),
    "d_hcpcs": ("short_description",),
    "prescriptions": ("drug",),
}
