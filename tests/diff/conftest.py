"""The real demo, a damaged copy of it (damage written here, independently of the diff code), and the
facts about the damage computed from the CSV files themselves."""

from __future__ import annotations

import csv
import gzip
import json
import os
import random
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.ci import unavailable
from tests.cli import run_cli
from tests.postgres.conftest import synthetic_pg  # noqa: F401  (a PostgreSQL copy loaded by `mimic-qa load`)

ROOT = Path(__file__).resolve().parents[2]
DEMO_ENV = "MIMIC_QA_DEMO_DIR"

# Planted in the damaged copy: values that must never reach an output unless --show-values lets them
# (CANARY_BIG: 12 rows, shown with --show-values; CANARY_SMALL: 3 rows, a small cell, never shown;
# CANARY_TEXT: free text, never shown; CANARY_NUMBER: one extreme value, never shown).
CANARY_BIG = "CANARYBIG-7f3e"
CANARY_SMALL = "CANARYSMALL-9d1c"
CANARY_TEXT = "CANARYTEXT-5b2a"
CANARY_NUMBER = "987654.321"
SKEWED = ("admissions", "insurance")
SKEW_TO = "Medicaid"


def demo_dir() -> Path:
    """The real MIMIC-IV demo v2.2 beside the checkout (or $MIMIC_QA_DEMO_DIR); skipped when absent,
    except under CI=true, where it must be there."""
    env = os.environ.get(DEMO_ENV)
    for candidate in ([Path(env)] if env else []) + [ROOT.parent / "shared" / "data" / "mimic-iv-demo-2.2"]:
        if (candidate / "hosp" / "labevents.csv.gz").is_file():
            return candidate
    unavailable(f"the MIMIC-IV demo is not beside this checkout (set {DEMO_ENV})")


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with gzip.open(path, "rt", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write a CSV as PhysioNet does: quoted only where needed, empty fields for NULL."""
    with gzip.open(path, "wt", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def tvd_of(a: list[str], b: list[str]) -> float:
    """Total variation distance of two lists of values, empty strings (NULLs) left out."""
    ca, cb = Counter(x for x in a if x != ""), Counter(x for x in b if x != "")
    na, nb = sum(ca.values()), sum(cb.values())
    return 0.5 * sum(abs(ca[k] / na - cb[k] / nb) for k in set(ca) | set(cb))


@dataclass
class Damaged:
    """The damaged copy and what the test knows about it from the files."""

    path: Path
    labevents_rows: tuple[int, int]  # (demo, damaged)
    skew_tvd: float
    only_in_a: dict[str, int] = field(default_factory=dict)  # labevents key -> distinct values lost


@pytest.fixture(scope="session")
def demo() -> Path:
    return demo_dir()


@pytest.fixture(scope="session")
def damaged(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Damaged:
    """A copy of the demo with 10% of labevents rows removed, admissions.insurance skewed, and canaries planted."""
    out = tmp_path_factory.mktemp("damaged") / "mimic-iv-demo-2.2"
    shutil.copytree(demo, out)
    for p in out.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    rng = random.Random(17)

    header, rows = read_csv(out / "hosp" / "labevents.csv.gz")
    kept = [r for r in rows if rng.random() >= 0.1]
    comments = header.index("comments")
    for r in kept[:4]:
        r[comments] = CANARY_TEXT
    kept[5][header.index("valuenum")] = CANARY_NUMBER
    write_csv(out / "hosp" / "labevents.csv.gz", header, kept)
    only_in_a = {}
    for key in ("subject_id", "hadm_id", "itemid"):
        i = header.index(key)
        only_in_a[key] = len({r[i] for r in rows if r[i]} - {r[i] for r in kept if r[i]})

    header_adm, adm = read_csv(out / "hosp" / "admissions.csv.gz")
    col = header_adm.index(SKEWED[1])
    before = [r[col] for r in adm]
    for r in adm:
        if rng.random() < 0.4:
            r[col] = SKEW_TO
    marital = header_adm.index("marital_status")
    for i, r in enumerate(adm[:15]):
        r[marital] = CANARY_BIG if i < 12 else CANARY_SMALL
    write_csv(out / "hosp" / "admissions.csv.gz", header_adm, adm)
    (out / "SHA256SUMS.txt").unlink()  # the copy no longer matches its checksums
    return Damaged(out, (len(rows), len(kept)), tvd_of(before, [r[col] for r in adm]), only_in_a)


@dataclass
class Run:
    """A finished `mimic-qa diff`: exit code, console, JSON, report folder."""

    code: int
    stdout: str
    stderr: str
    result: dict
    report: Path

    @property
    def outputs(self) -> str:
        """Everything the run wrote, as text."""
        return "\n".join([self.stdout, self.stderr, json.dumps(self.result),
                          *(p.read_text(encoding="utf-8") for p in sorted(self.report.iterdir()))])

    def findings(self, severity: str | None = None) -> list[dict]:
        return [f for f in self.result["findings"] if severity is None or f["severity"] == severity]


def run_diff(a: Path | str, b: Path | str, out: Path, *args: str) -> Run:
    out.mkdir(parents=True, exist_ok=True)
    proc = run_cli("diff", str(a), str(b), "--json", str(out / "diff.json"), "--report-dir", str(out / "report"),
                   *args)
    result = json.loads((out / "diff.json").read_text()) if (out / "diff.json").is_file() else {}
    return Run(proc.returncode, proc.stdout, proc.stderr, result, out / "report")


@pytest.fixture(scope="session")
def demo_vs_itself(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_diff(demo, demo, tmp_path_factory.mktemp("same"))


@pytest.fixture(scope="session")
def demo_vs_damaged(demo: Path, damaged: Damaged, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_diff(demo, damaged.path, tmp_path_factory.mktemp("drift"))
