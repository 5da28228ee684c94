"""PHI entity types shared by the scanner, the synthetic PHI injector and the evaluation.

Names follow Presidio where Presidio has the entity; the rest cover HIPAA Safe Harbor identifiers
that Presidio lacks (MRN, ZIP, age over 89, street address, device serial, account number).
"""

from enum import Enum


class Entity(str, Enum):
    PERSON = "PERSON"  # Safe Harbor A: names
    STREET_ADDRESS = "STREET_ADDRESS"  # B: geography below state
    ZIP_CODE = "ZIP_CODE"  # B
    LOCATION = "LOCATION"  # B: city, county (NER or gazetteer)
    DATE = "DATE"  # C: a real (unshifted) date
    AGE_OVER_89 = "AGE_OVER_89"  # C
    PHONE_NUMBER = "PHONE_NUMBER"  # D
    FAX_NUMBER = "FAX_NUMBER"  # E
    EMAIL_ADDRESS = "EMAIL_ADDRESS"  # F
    US_SSN = "US_SSN"  # G
    MEDICAL_RECORD_NUMBER = "MEDICAL_RECORD_NUMBER"  # H
    HEALTH_PLAN_NUMBER = "HEALTH_PLAN_NUMBER"  # I
    ACCOUNT_NUMBER = "ACCOUNT_NUMBER"  # J
    LICENSE_NUMBER = "LICENSE_NUMBER"  # K
    VEHICLE_ID = "VEHICLE_ID"  # L
    DEVICE_ID = "DEVICE_ID"  # M
    URL = "URL"  # N
    IP_ADDRESS = "IP_ADDRESS"  # O
    OTHER_ID = "OTHER_ID"  # R: any other unique number or code
