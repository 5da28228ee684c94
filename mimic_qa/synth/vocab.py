"""Value vocabularies in MIMIC-IV's style (categorical values seen in the public docs and demo).

Only lists of plausible values live here; which column uses which list is decided in ``realism.py``.
"""

ADMISSION_LOCATIONS = ["EMERGENCY ROOM", "PHYSICIAN REFERRAL", "TRANSFER FROM HOSPITAL", "WALK-IN/SELF REFERRAL",
                       "CLINIC REFERRAL", "PROCEDURE SITE", "PACU", "TRANSFER FROM SKILLED NURSING FACILITY",
                       "INFORMATION NOT AVAILABLE", "AMBULATORY SURGERY TRANSFER", "INTERNAL TRANSFER TO OR FROM PSYCH"]
DISCHARGE_LOCATIONS = ["HOME", "HOME HEALTH CARE", "SKILLED NURSING FACILITY", "REHAB", "CHRONIC/LONG TERM ACUTE CARE",
                       "HOSPICE", "ACUTE HOSPITAL", "AGAINST ADVICE", "ASSISTED LIVING", "PSYCH FACILITY",
                       "OTHER FACILITY", "HEALTHCARE FACILITY"]
LANGUAGES = ["English"] * 12 + ["Spanish", "Chinese", "Russian", "Portuguese", "Haitian", "Vietnamese", "Other"]
MARITAL = ["MARRIED", "SINGLE", "WIDOWED", "DIVORCED"]
RACES = ["WHITE"] * 6 + ["BLACK/AFRICAN AMERICAN", "HISPANIC/LATINO - PUERTO RICAN", "ASIAN - CHINESE", "OTHER",
                         "UNKNOWN", "WHITE - OTHER EUROPEAN", "ASIAN", "UNABLE TO OBTAIN", "PATIENT DECLINED TO ANSWER"]
ICU_UNITS = ["Medical Intensive Care Unit (MICU)", "Surgical Intensive Care Unit (SICU)",
             "Cardiac Vascular Intensive Care Unit (CVICU)", "Medical/Surgical Intensive Care Unit (MICU/SICU)",
             "Trauma SICU (TSICU)", "Coronary Care Unit (CCU)", "Neuro Surgical Intensive Care Unit (Neuro SICU)"]
WARD_UNITS = ["Emergency Department", "Medicine", "Med/Surg", "Neurology", "Cardiology", "Surgery",
              "Vascular", "Transplant", "Hematology/Oncology", "Observation", "PACU", "Labor & Delivery"]
FLUIDS = ["Blood", "Urine", "Other Body Fluid", "Cerebrospinal Fluid", "Ascites", "Pleural", "Joint Fluid", "Stool"]
LAB_CATEGORIES = ["Chemistry", "Hematology", "Blood Gas"]
LAB_LABELS = ["Glucose", "Creatinine", "Sodium", "Potassium", "Chloride", "Bicarbonate", "Urea Nitrogen", "Hemoglobin",
              "Hematocrit", "Platelet Count", "White Blood Cells", "Red Blood Cells", "MCV", "MCH", "RDW", "Lactate",
              "pH", "pO2", "pCO2", "Base Excess", "Calcium, Total", "Magnesium", "Phosphate", "Anion Gap",
              "Albumin", "Bilirubin, Total", "Alkaline Phosphatase", "Asparate Aminotransferase (AST)",
              "Alanine Aminotransferase (ALT)", "INR(PT)", "PT", "PTT", "Troponin T", "Creatine Kinase (CK)"]
UNITS = ["mg/dL", "mEq/L", "g/dL", "%", "K/uL", "m/uL", "fL", "pg", "mmol/L", "units", "IU/L", "sec", "ng/mL",
         "mmHg", "bpm", "insp/min", "°C", "°F", "kg", "cmH2O", "mL", "L/min"]
ITEM_CATEGORIES = {
    "chartevents": ["Routine Vital Signs", "Respiratory", "Labs", "Neurological", "Cardiovascular", "Pain/Sedation",
                    "Alarms", "Skin - Impairment", "General", "Treatments"],
    "datetimeevents": ["Access Lines - Invasive", "Treatments", "General", "Adm History/FHPA"],
    "inputevents": ["Fluids/Intake", "Antibiotics", "Medications", "Blood Products/Colloids", "Nutrition - Enteral"],
    "ingredientevents": ["Ingredients", "Ingredients - general (Not In Use)"],
    "outputevents": ["Output"],
    "procedureevents": ["Procedures", "Access Lines - Invasive", "Imaging", "Communication"],
}
PARAM_TYPES = {"chartevents": "Numeric", "datetimeevents": "Date and time", "inputevents": "Solution",
               "ingredientevents": "Ingredient", "outputevents": "Numeric", "procedureevents": "Process"}
ITEM_WORDS = ["Heart Rate", "Arterial Blood Pressure systolic", "Respiratory Rate", "O2 saturation pulseoxymetry",
              "Temperature Fahrenheit", "GCS - Eye Opening", "Richmond-RAS Scale", "Pain Level", "Foley",
              "Chest Tube", "Urine Out", "Sodium Chloride 0.9%", "Dextrose 5%", "Propofol", "Norepinephrine",
              "Heparin Sodium", "Insulin - Regular", "Free Water", "Invasive Ventilation", "Arterial Line",
              "PICC Line", "Chest X-Ray", "Dialysis Catheter", "Last dose of Heparin", "Admission Weight (Kg)"]
TEXT_VALUES = ["Normal", "Sinus Rhythm", "Clear", "Diminished", "Yes", "No", "Alert", "Oriented x3", "Warm",
               "Dry", "Intact", "Unable to assess", "Regular", "Moderate", "None", "Other/Remarks", "Full Code"]
DRUGS = ["Acetaminophen", "Heparin", "Sodium Chloride 0.9%  Flush", "Insulin", "Potassium Chloride", "Furosemide",
         "Metoprolol Tartrate", "Docusate Sodium", "Senna", "Ondansetron", "Pantoprazole", "Magnesium Sulfate",
         "OxyCODONE (Immediate Release)", "Vancomycin", "Atorvastatin", "Aspirin", "Lorazepam", "Bisacodyl",
         "Polyethylene Glycol", "Morphine Sulfate", "HYDROmorphone (Dilaudid)", "Ceftriaxone", "Lisinopril",
         "Amlodipine", "Gabapentin", "Levothyroxine Sodium", "Tamsulosin", "Famotidine", "Dextrose 50%",
         "Iso-Osmotic Dextrose", "Bag", "Warfarin", "Prednisone", "Albuterol 0.083% Neb Soln", "Lidocaine 5% Patch"]
ROUTES = ["PO", "IV", "SC", "PO/NG", "IH", "TP", "IM", "NG", "IV DRIP", "PR"]
FREQUENCIES = ["Q6H", "Q8H", "Q12H", "Q24H", "DAILY", "BID", "TID", "QID", "ONCE", "Q4H:PRN", "PRN"]
FORMS = ["TAB", "CAP", "VIAL", "SYR", "BAG", "SOLN", "PTCH", "INHALER", "AMP"]
DOSE_UNITS = ["mg", "mL", "UNIT", "mEq", "g", "mcg", "PUFF", "TAB", "CAP"]
PROC_TYPES = ["Unit Dose", "IV Piggyback", "IV Large Volume", "Non-formulary", "Discharge Med", "Misc Charge"]
PHARMACY_STATUS = ["Discontinued", "Inactive (Due to a change order)", "Discontinued via patient discharge", "Active"]
DISPENSATION = ["Omnicell", "Floor Stock Item", "Floor Stock Bag", "Bag", "Vial"]
EVENT_TXT = ["Administered", "Not Given", "Flushed", "Stopped", "Applied", "Confirmed", "Held", "Delayed Administered",
             "Started", "Removed", "Not Read"]
ORDER_SUBTYPES = ["Vitals/Monitoring", "Activity", "Diet", "Nursing", "IV access", "Pharmacy", "Admit", "Discharge",
                  "Consults", "Imaging", "Lab", None]
POE_FIELDS = ["Admit to", "Code status", "Level of Urgency", "Consult Status", "Discharge Planning", "Tubes & Drains type",
              "Indication", "Transfer to", "Discharge When Criteria Met", "Consult Status Time"]
POE_FIELD_VALUES = ["Medicine", "Full code (presumed)", "Routine", "Ordered", "Finalized", "DNR/DNI", "Surgery",
                    "Foley Catheter", "Inactive", "Other: ___", "Discharge to home with services",
                    "See orders for ___", "Stat"]
ADMIN_TYPES = ["Standard Medication", "IV Bolus", "Continuous IV", "Non-IV Pump", "Pre-Admission Med Rec"]
SPECIMENS = ["BLOOD CULTURE", "URINE", "SPUTUM", "SWAB", "MRSA SCREEN", "STOOL", "CATHETER TIP-IV", "CSF;SPINAL FLUID",
             "TISSUE", "FLUID RECEIVED IN BLOOD CULTURE BOTTLES", "Blood (Toxo)", "SEROLOGY/BLOOD"]
MICRO_TESTS = ["Blood Culture, Routine", "URINE CULTURE", "GRAM STAIN", "MRSA SCREEN", "RESPIRATORY CULTURE",
               "C. difficile PCR", "FUNGAL CULTURE", "ANAEROBIC CULTURE", "Aerobic Bottle Gram Stain"]
ORGANISMS = ["ESCHERICHIA COLI", "STAPH AUREUS COAG +", "KLEBSIELLA PNEUMONIAE", "ENTEROCOCCUS SP.",
             "PSEUDOMONAS AERUGINOSA", "PROTEUS MIRABILIS", "CANDIDA ALBICANS", "STAPHYLOCOCCUS, COAGULASE NEGATIVE"]
ANTIBIOTICS = ["GENTAMICIN", "CEFAZOLIN", "CIPROFLOXACIN", "VANCOMYCIN", "OXACILLIN", "TRIMETHOPRIM/SULFA",
               "NITROFURANTOIN", "AMPICILLIN", "CEFTRIAXONE", "MEROPENEM", "PIPERACILLIN/TAZO", "LEVOFLOXACIN"]
QUANTITIES = ["1", "2", "3", "4", ">100,000 ORGANISMS/ML.", "SPARSE GROWTH", "MODERATE GROWTH", "10,000-100,000 ORGS/ML"]
DRG_DESCRIPTIONS = ["SEPTICEMIA OR SEVERE SEPSIS W/O MV >96 HOURS W MCC", "HEART FAILURE & SHOCK W CC",
                    "OTHER PNEUMONIA", "ALCOHOL ABUSE & DEPENDENCE", "MAJOR JOINT REPLACEMENT",
                    "CARDIAC ARRHYTHMIA & CONDUCTION DISORDERS", "KIDNEY & URINARY TRACT INFECTIONS",
                    "CHEST PAIN", "VAGINAL DELIVERY", "INTRACRANIAL HEMORRHAGE OR CEREBRAL INFARCTION W MCC"]
DIAG_TITLES = ["Essential (primary) hypertension", "Hyperlipidemia, unspecified", "Acute kidney failure, unspecified",
               "Atrial fibrillation", "Type 2 diabetes mellitus without complications", "Sepsis, unspecified organism",
               "Congestive heart failure, unspecified", "Anemia, unspecified", "Depressive disorder, not elsewhere classified",
               "Gastro-esophageal reflux disease without esophagitis", "Personal history of nicotine dependence",
               "Other chronic pain", "Urinary tract infection, site not specified", "Long term (current) use of anticoagulants"]
PROC_TITLES = ["Insertion of endotracheal tube", "Venous catheterization, not elsewhere classified",
               "Transfusion of packed cells", "Introduction of Nutritional Substance into Upper GI, Via Opening",
               "Drainage of Pleural Cavity with Drainage Device, Percutaneous Approach", "Hemodialysis",
               "Continuous invasive mechanical ventilation for less than 96 consecutive hours",
               "Replacement of Right Hip Joint with Synthetic Substitute, Cemented, Open Approach"]
HCPCS_DESCRIPTIONS = ["Hospital observation per hr", "Emergency dept visit", "Initial hospital care",
                      "Subsequent hospital care", "Critical care, first hour", "Ambulance service, basic life support",
                      "Insert intravascular vascular device", "Cardiovascular stress test", "Echo transthoracic"]
OMR_RESULTS = ["Blood Pressure", "Weight (Lbs)", "BMI (kg/m2)", "Height (Inches)", "eGFR"]
ORDER_CATEGORIES = ["01-Drips", "02-Fluids (Crystalloids)", "03-IV Fluid Bolus", "05-Med Bolus", "08-Antibiotics (IV)",
                    "11-Prophylaxis (IV)", "12-Parenteral Nutrition", "14-Oral/Gastric Intake"]
SECONDARY_CATEGORIES = ["Additive", "Additives (Bolus)", "Main order parameter", "Bolus", "Continuous Med"]
COMPONENT_TYPES = ["Main order parameter", "Additive", "Mixed solution", "Bolus"]
ORDER_CATEGORY_DESCRIPTIONS = ["Continuous Med", "Continuous IV", "Drug Push", "Bolus", "Non Iv Meds", "Task"]
LOCATIONS = ["Left Arm", "Right Arm", "Left Subclavian", "Right IJ", "Left Femoral", "Right Radial", "Chest"]
LOCATION_CATEGORIES = ["Peripheral", "Invasive Venous", "Invasive Arterial", "Drains"]
BARCODE_TYPES = ["ID", "BM", "SF", "SCAN"]
NO_BARCODE_REASONS = ["Barcode Damaged", "Barcode Missing", "Scanner Not Working", "Emergency",
                      "Medication from ___", "Other: ___"]
SITES = ["Abdomen", "Left Upper Arm", "Right Upper Arm", "Left Thigh", "Right Thigh", "Chest"]
INFUSION_UNITS = ["mL/hr", "mcg/kg/min", "units/hr", "mg/hr"]
WORDS = ["patient", "specimen", "received", "sample", "result", "repeat", "verified", "hemolyzed", "see", "note",
         "clinical", "correlation", "suggested", "performed", "at", "request", "of", "physician", "reviewed"]
