"""The PHI-report draft (Markdown and plain text) the DUA asks for: where, not what. Nothing is sent."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.findings import PRIVATE_FILE
from mimic_qa.reports.dua import PHI_REPORT_ADDRESS
from mimic_qa.reports.render import md_env, text_env
from mimic_qa.results.io import write_atomic

DRAFT_NAME = "phi-report-draft"

# Plain-words category of each entity type, as the report names it (HIPAA Safe Harbor letter in brackets).
CATEGORIES: dict[str, str] = {
    Entity.PERSON: "name (A)", Entity.STREET_ADDRESS: "street address (B)", Entity.ZIP_CODE: "ZIP code (B)",
    Entity.LOCATION: "town or county (B)", Entity.DATE: "unshifted date (C)", Entity.AGE_OVER_89: "age over 89 (C)",
    Entity.PHONE_NUMBER: "telephone number (D)", Entity.FAX_NUMBER: "fax number (E)",
    Entity.EMAIL_ADDRESS: "e-mail address (F)", Entity.US_SSN: "social security number (G)",
    Entity.MEDICAL_RECORD_NUMBER: "medical record number (H)", Entity.HEALTH_PLAN_NUMBER: "health plan number (I)",
    Entity.ACCOUNT_NUMBER: "account number (J)", Entity.LICENSE_NUMBER: "certificate or licence number (K)",
    Entity.VEHICLE_ID: "vehicle identifier (L)", Entity.DEVICE_ID: "device identifier or serial (M)",
    Entity.URL: "web address (N)", Entity.IP_ADDRESS: "IP address (O)", Entity.OTHER_ID: "other identifying number (R)",
}


@dataclass
class DraftFacts:
    """Everything a draft states: dataset and version, where each finding is, and counts."""

    dataset: str
    version: str
    doi: str | None
    source_kind: str
    files: dict[str, str]  # table -> file or qualified table name
    generated_at: str
    min_score: float
    findings_total: int
    by_entity_type: dict[str, int]
    locations: list[dict[str, Any]]  # the first findings (no text)


def _context(facts: DraftFacts) -> dict[str, Any]:
    rows = [{**loc, "file": facts.files.get(loc["table"], loc["table"]),
             "category": CATEGORIES.get(loc["entity_type"], loc["entity_type"]),
             "key": ", ".join(f"{k}={v}" for k, v in loc["row"].items())} for loc in facts.locations]
    return {"f": facts, "address": PHI_REPORT_ADDRESS, "rows": rows,
            "omitted": facts.findings_total - len(rows),
            "by_type": sorted(facts.by_entity_type.items(), key=lambda kv: (-kv[1], kv[0])),
            "categories": CATEGORIES}


def write_drafts(out_dir: Path, facts: DraftFacts) -> list[Path]:
    """Render ``phi-report-draft.md`` and ``.txt`` into ``out_dir`` (owner-only files)."""
    ctx = _context(facts)
    written = []
    for env, ext in ((md_env(), "md"), (text_env(), "txt")):
        path = out_dir / f"{DRAFT_NAME}.{ext}"
        write_atomic(path, env.get_template(f"phi/{DRAFT_NAME}.{ext}.j2").render(**ctx).encode("utf-8"),
                     mode=PRIVATE_FILE)
        written.append(path)
    return written


def remove_drafts(out_dir: Path) -> None:
    """Remove the drafts of an earlier scan into ``out_dir`` (a scan with no findings drafts nothing)."""
    for ext in ("md", "txt"):
        (out_dir / f"{DRAFT_NAME}.{ext}").unlink(missing_ok=True)
