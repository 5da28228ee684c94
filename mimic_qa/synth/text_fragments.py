"""Fragments of synthetic clinical notes, written for mimic-qa (no sentence comes from a real note): sentence
templates expanded with seeded fills into pools the Note generator draws from. ``___`` stands where MIMIC's
de-identification removes text. No fragment contains a double quote (the CSV writer relies on it)."""

from __future__ import annotations

import random
from itertools import product

SERVICES = ["MEDICINE", "SURGERY", "CARDIOTHORACIC", "NEUROLOGY", "ORTHOPAEDICS", "OBSTETRICS/GYNECOLOGY",
            "NEUROSURGERY", "UROLOGY", "PSYCHIATRY", "VASCULAR"]

INDICATIONS = ["shortness of breath", "chest pain", "fever and cough", "abdominal pain", "fall with head strike",
               "altered mental status", "hypoxia", "leg swelling", "syncope", "nausea and vomiting",
               "worsening dyspnea on exertion", "evaluate for pneumonia", "evaluate for effusion", "line placement",
               "evaluate for fracture", "right upper quadrant pain", "flank pain", "weakness", "headache",
               "evaluate for bleed", "post-operative check", "rule out obstruction", "hematuria", "back pain"]

_ORGANS = ["heart failure", "pneumonia", "acute kidney injury", "atrial fibrillation", "cellulitis", "COPD exacerbation",
           "urinary tract infection", "delirium", "anemia", "hyperkalemia", "sepsis", "pancreatitis",
           "GI bleed", "hyponatremia", "DVT", "diabetes"]
_DRUGS = ["furosemide", "metoprolol", "ceftriaxone", "vancomycin", "heparin", "insulin", "lisinopril", "apixaban",
          "prednisone", "albuterol", "pantoprazole", "acetaminophen", "oxycodone", "amlodipine", "atorvastatin"]
_DAYS = ["hospital day 2", "hospital day 3", "the day of admission", "the following morning", "discharge",
         "the second day", "day 4 of admission"]
_WHO = ["the primary team", "cardiology", "the renal service", "physical therapy", "nephrology", "the ICU team",
        "infectious disease", "social work", "the surgical team", "pharmacy"]

_HPI = [
    "Symptoms began {day} before presentation and worsened over time.",
    "Patient reports intermittent {finding} without clear triggers.",
    "At home the patient had been taking {drug} as prescribed.",
    "In the ED, initial vitals were notable for tachycardia and mild hypoxia.",
    "Labs in the ED were significant for an elevated creatinine and a leukocytosis.",
    "Patient denies recent travel, sick contacts or new medications.",
    "A recent outpatient visit with ___ noted {finding}.",
    "Prior workup for {organ} had been unrevealing.",
    "Received {drug} in the ED with some improvement.",
    "Review of systems otherwise negative except as noted above.",
]
_COURSE = [
    "# {organ}: treated with {drug} with gradual improvement; monitored closely by {who}.",
    "The patient was started on {drug} on {day} and tolerated it well.",
    "{who} was consulted and recommended continuing {drug} with close follow-up.",
    "Repeat labs on {day} showed improvement in renal function.",
    "Course was complicated by {organ}, which resolved with supportive care.",
    "Home {drug} was held on admission and restarted at discharge.",
    "Electrolytes were repleted as needed throughout the admission.",
    "Imaging on {day} showed no acute process.",
    "Pain was controlled with {drug} and the patient ambulated with {who}.",
    "Blood cultures drawn on {day} remained no growth to date.",
    "Volume status was assessed daily and {drug} was titrated to a net negative goal.",
    "The patient was evaluated by {who} who felt the patient was safe for discharge.",
    "# {organ}: likely multifactorial; will need outpatient follow-up with ___.",
    "Telemetry was notable for brief runs of a regular rhythm without further events.",
    "Diet was advanced as tolerated on {day} without nausea.",
    "Code status was confirmed as full code with the patient and ___.",
    "The patient remained afebrile and hemodynamically stable after {day}.",
    "Transitional issues: follow up pending labs and titrate {drug} as needed.",
]
_INSTRUCTIONS = [
    "You were admitted to the hospital for {organ}.",
    "While you were here, you were treated with {drug}.",
    "Please take all of your medications as prescribed.",
    "Please weigh yourself every morning and call your doctor if your weight goes up by more than 3 pounds.",
    "Please follow up with your primary care doctor within one week.",
    "If you develop fever, chest pain or shortness of breath, please return to the emergency department.",
    "We made changes to your medications: please review the list below.",
    "It was a pleasure taking care of you.",
]
_FINDINGS = [
    "The lungs are clear without focal consolidation.",
    "There is no pleural effusion or pneumothorax.",
    "The cardiomediastinal silhouette is within normal limits.",
    "There is a small {side} pleural effusion with adjacent atelectasis.",
    "Mild pulmonary vascular congestion is present.",
    "No acute osseous abnormality is identified.",
    "A {size} cm hypodense lesion in the {organ2} is too small to characterize.",
    "The {organ2} is normal in size and echotexture.",
    "There is no free fluid in the abdomen or pelvis.",
    "No evidence of intracranial hemorrhage, mass effect or midline shift.",
    "Degenerative changes are seen in the visualized spine.",
    "A {side} internal jugular line terminates in the low SVC.",
    "Streaky opacity at the {side} lung base may reflect atelectasis or early pneumonia.",
    "The ventricles and sulci are normal in size and configuration.",
    "There is no hydronephrosis or perinephric stranding.",
    "Surgical clips are noted in the {organ2} bed.",
    "Compared to the prior study there is interval improvement.",
    "The visualized bowel loops are nondilated.",
]
_IMPRESSIONS = [
    "No acute cardiopulmonary process.",
    "Small {side} pleural effusion, likely with atelectasis.",
    "No acute intracranial abnormality.",
    "Findings concerning for pneumonia in the appropriate clinical setting.",
    "No evidence of deep venous thrombosis.",
    "Interval improvement compared to ___.",
    "{size} cm {organ2} lesion: recommend nonurgent follow-up imaging.",
    "No acute fracture or dislocation.",
]
_SIDES = ["right", "left", "bilateral"]
_ORGANS2 = ["liver", "kidney", "spleen", "pancreas", "gallbladder", "adrenal", "thyroid"]
_SIZES = ["0.4", "0.6", "0.8", "1.1", "1.3", "1.7", "2.2"]

# (exam name, technique, exam code, CPT-like code): invented codes
EXAMS = [
    ("CHEST (PA AND LAT)", "Chest PA and lateral", "C11", "71046"),
    ("CHEST (PORTABLE AP)", "Portable AP chest radiograph", "C12", "71045"),
    ("CT HEAD W/O CONTRAST", "Contiguous axial images of the brain without contrast", "H21", "70450"),
    ("CT ABD AND PELVIS WITH CONTRAST", "Axial images of the abdomen and pelvis after IV contrast", "A31", "74177"),
    ("CTA CHEST", "CT angiography of the chest with IV contrast", "C13", "71275"),
    ("LIVER OR GALLBLADDER US (SINGLE ORGAN)", "Grayscale and color Doppler ultrasound", "U41", "76705"),
    ("UNILAT LOWER EXT VEINS", "Grayscale and Doppler evaluation of the deep veins", "U42", "93971"),
    ("MR HEAD W AND W/O CONTRAST", "Multiplanar MR images of the brain before and after contrast", "M51", "70553"),
    ("RENAL U.S.", "Grayscale ultrasound of the kidneys and bladder", "U43", "76770"),
    ("CT CHEST W/O CONTRAST", "Axial images of the chest without contrast", "C14", "71250"),
    ("KNEE (AP, LAT AND OBLIQUE)", "Three views of the knee", "X61", "73562"),
    ("ABDOMEN (SUPINE AND ERECT)", "Supine and upright views of the abdomen", "X62", "74019"),
    ("CT C-SPINE W/O CONTRAST", "Axial images of the cervical spine", "S71", "72125"),
    ("ECHO-GUIDED LINE PLACEMENT", "Ultrasound-guided placement of a central line", "I81", "36556"),
]

LABS = [("WBC", 4.0, 11.0, 1), ("RBC", 3.9, 5.2, 2), ("Hgb", 11.2, 15.7, 1), ("Hct", 34.0, 45.0, 1),
        ("MCV", 82, 98, 0), ("Plt", 150, 400, 0), ("Glucose", 70, 100, 0), ("UreaN", 6, 20, 0),
        ("Creat", 0.4, 1.1, 1), ("Na", 133, 145, 0), ("K", 3.3, 5.1, 1), ("Cl", 96, 108, 0), ("HCO3", 22, 32, 0),
        ("AnGap", 8, 20, 0), ("Calcium", 8.4, 10.3, 1), ("Phos", 2.7, 4.5, 1), ("Mg", 1.6, 2.6, 1),
        ("ALT", 0, 40, 0), ("AST", 0, 40, 0), ("AlkPhos", 35, 105, 0), ("TotBili", 0.0, 1.5, 1)]
_PANELS = [["WBC", "RBC", "Hgb", "Hct", "MCV", "Plt"], ["Glucose", "UreaN", "Creat", "Na", "K", "Cl", "HCO3", "AnGap"],
           ["Calcium", "Phos", "Mg"], ["ALT", "AST", "AlkPhos", "TotBili"]]


def _expand(templates: list[str], rng: random.Random, per: int) -> list[str]:
    """``per`` seeded fills of each template's slots (duplicates dropped, order kept)."""
    fills = {"organ": _ORGANS, "drug": _DRUGS, "day": _DAYS, "who": _WHO, "side": _SIDES, "organ2": _ORGANS2,
             "size": _SIZES, "finding": INDICATIONS}
    out: dict[str, None] = {}
    for t in templates:
        for _ in range(per):
            out[t.format(**{k: rng.choice(v) for k, v in fills.items()})] = None
    return list(out)


def lab_lines(rng: random.Random, labs: list[tuple[str, float, float, int]], n: int) -> list[str]:
    """Lab result lines in the style of a discharge summary's results section (values flagged * when abnormal)."""
    ranges = {name: (lo, hi, d) for name, lo, hi, d in labs}
    lines = []
    for _ in range(n):
        panel = rng.choice(_PANELS)
        parts = []
        for name in panel:
            lo, hi, d = ranges[name]
            v = max(0.0, rng.uniform(lo - (hi - lo) * 0.3, hi + (hi - lo) * 0.3))
            parts.append(f"{name}-{v:.{d}f}{'*' if not lo <= v <= hi else ''}")
        hour = rng.randrange(24)
        lines.append(f"___ {hour % 12 or 12:02d}:{rng.randrange(60):02d}{'AM' if hour < 12 else 'PM'} BLOOD " + " ".join(parts))
    return lines


def medication_lines(rng: random.Random, drugs: list[str], n: int) -> list[str]:
    """Medication list entries: drug, dose, route and frequency."""
    doses = ["5 mg", "10 mg", "20 mg", "25 mg", "40 mg", "81 mg", "100 mg", "500 mg", "1 g", "2 puff", "1 tab"]
    routes = ["PO", "PO", "PO", "IV", "SC", "IH"]
    freq = ["DAILY", "BID", "TID", "Q6H:PRN pain", "QHS", "Q8H", "DAILY:PRN constipation"]
    combos = list(product(drugs, doses, routes, freq))
    return [f"{d} {dose} {route} {f}" for d, dose, route, f in rng.sample(combos, min(n, len(combos)))]


_RNG = random.Random(2024)
DS_HPI = _expand(_HPI, _RNG, 40)
DS_COURSE = _expand(_COURSE, _RNG, 120)
DS_INSTRUCTIONS = _expand(_INSTRUCTIONS, _RNG, 10)
FINDINGS = _expand(_FINDINGS, _RNG, 30)
IMPRESSIONS = _expand(_IMPRESSIONS, _RNG, 20)
