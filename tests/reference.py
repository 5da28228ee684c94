"""Parse the facts in shared/reference/*.md so tests can compare the spec with the reference itself."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.ci import unavailable


def reference_dir() -> Path | None:
    env = os.environ.get("MIMIC_QA_REFERENCE_DIR")
    candidates = [Path(env)] if env else []
    root = Path(__file__).resolve().parents[1]
    candidates += [root.parent / "shared" / "reference", root / "shared" / "reference"]
    for c in candidates:
        if (c / "mimic-iv-schema.md").is_file() and (c / "mimic-iv-facts.md").is_file():
            return c
    return None


def require_reference() -> Path:
    ref = reference_dir()
    if ref is None:
        unavailable("shared/reference is not beside this checkout (set MIMIC_QA_REFERENCE_DIR)")
    return ref


def _int(s: str) -> int:
    return int(s.replace("*", "").replace(",", "").strip())


def schema_columns(ref: Path) -> dict[str, tuple[str, list[tuple[int, str, str, bool]]]]:
    """table -> (module, [(position, name, pg type, nullable)]) for every table of the schema document (hosp,
    icu, note, ed)."""
    text = (ref / "mimic-iv-schema.md").read_text(encoding="utf-8")
    out: dict[str, tuple[str, list[tuple[int, str, str, bool]]]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"## mimiciv_(hosp|icu|note|ed)\.(\w+)", line)
        if m:
            current = m.group(2)
            out[current] = (m.group(1), [])
            continue
        m = re.match(r"\| (\d+) \| (\w+) \| ([^|]+?) \| [^|]+ \| (NO|yes) / (?:NO|yes) \|", line)
        if m and current:
            out[current][1].append((int(m.group(1)), m.group(2), m.group(3).strip(), m.group(4) == "yes"))
    return out


def row_counts(ref: Path) -> tuple[dict[str, int], dict[str, int]]:
    """(v3.1 counts, demo 2.2 counts) from the facts file's tables 1a and 1b."""
    text = (ref / "mimic-iv-facts.md").read_text(encoding="utf-8")
    part_a = text.split("### 1a.")[1].split("### 1b.")[0]
    part_b = text.split("### 1b.")[1].split("Notes on the demo")[0]
    full = {m.group(2).strip("*"): _int(m.group(3))
            for m in re.finditer(r"^\| (hosp|icu) \| ([\w*]+) \| ([\d,*]+) \|", part_a, re.M)}
    demo = {m.group(1).strip("*"): _int(m.group(2))
            for m in re.finditer(r"^\| ([\w*]+) \| ([\d,*]+) \|", part_b, re.M)}
    return full, demo


def declared_primary_keys(ref: Path) -> dict[str, list[str] | None]:
    text = (ref / "mimic-iv-facts.md").read_text(encoding="utf-8")
    section = text.split("**Primary keys**")[1].split("No PK is declared for")[0]
    out: dict[str, list[str] | None] = {}
    for m in re.finditer(r"^\| (\w+) \| ([^|]+) \|", section, re.M):
        table, key = m.group(1), m.group(2).strip()
        if table == "table":
            continue
        out[table] = None if key.startswith("none") else [k.strip() for k in key.strip("()").split(",")]
    return out


def declared_foreign_keys(ref: Path) -> set[tuple[str, str, str, str]]:
    """{(table, column, ref_table, ref_column)} from the facts file's declared-FK table."""
    text = (ref / "mimic-iv-facts.md").read_text(encoding="utf-8")
    section = text.split("**Foreign keys** (declared, all single-column)")[1].split("### 3b.")[0]
    defaults = {"subject_id": ("patients", "subject_id"), "hadm_id": ("admissions", "hadm_id"),
                "stay_id": ("icustays", "stay_id")}
    out: set[tuple[str, str, str, str]] = set()
    for m in re.finditer(r"^\| ([\w /]+) \| ([^|]+) \|", section, re.M):
        tables = [t.strip() for t in m.group(1).split("/")]
        if tables == ["table"]:
            continue
        for item in m.group(2).replace(" only", "").split(","):
            item = item.strip()
            if "→" in item:
                col, target = item.split("→")
                ref_table, _, ref_col = target.partition(".")
                target_pair = (ref_table, ref_col or col)
            else:
                col, target_pair = item, defaults[item]
            for t in tables:
                out.add((t, col, *target_pair))
    return out
