"""Fallback vocabularies in MIMIC-IV's style, for the few columns the demo cannot calibrate (chartevents, which the
demo copy lacks; DRG descriptions, which too few of its patients share; invented rows).
"""

TEXT_VALUES = ["Normal", "Sinus Rhythm", "Clear", "Diminished", "Yes", "No", "Alert", "Oriented x3", "Warm",
               "Dry", "Intact", "Unable to assess", "Regular", "Moderate", "None", "Other/Remarks", "Full Code"]
DRUGS = ["Acetaminophen", "Heparin", "Sodium Chloride 0.9%  Flush", "Insulin", "Potassium Chloride", "Furosemide",
         "Metoprolol Tartrate", "Docusate Sodium", "Senna", "Ondansetron", "Pantoprazole", "Magnesium Sulfate",
         "OxyCODONE (Immediate Release)", "Vancomycin", "Atorvastatin", "Aspirin", "Lorazepam", "Bisacodyl",
         "Polyethylene Glycol", "Morphine Sulfate", "HYDROmorphone (Dilaudid)", "Ceftriaxone", "Lisinopril",
         "Amlodipine", "Gabapentin", "Levothyroxine Sodium", "Tamsulosin", "Famotidine", "Dextrose 50%",
         "Iso-Osmotic Dextrose", "Bag", "Warfarin", "Prednisone", "Albuterol 0.083% Neb Soln", "Lidocaine 5% Patch"]
POE_FIELDS = ["Admit to", "Code status", "Level of Urgency", "Consult Status", "Discharge Planning", "Tubes & Drains type",
              "Indication", "Transfer to", "Discharge When Criteria Met", "Consult Status Time"]
DRG_DESCRIPTIONS = ["SEPTICEMIA OR SEVERE SEPSIS W/O MV >96 HOURS W MCC", "HEART FAILURE & SHOCK W CC",
                    "OTHER PNEUMONIA", "ALCOHOL ABUSE & DEPENDENCE", "MAJOR JOINT REPLACEMENT",
                    "CARDIAC ARRHYTHMIA & CONDUCTION DISORDERS", "KIDNEY & URINARY TRACT INFECTIONS",
                    "CHEST PAIN", "VAGINAL DELIVERY", "INTRACRANIAL HEMORRHAGE OR CEREBRAL INFARCTION W MCC"]
WORDS = ["patient", "specimen", "received", "sample", "result", "repeat", "verified", "hemolyzed", "see", "note",
         "clinical", "correlation", "suggested", "performed", "at", "request", "of", "physician", "reviewed"]
