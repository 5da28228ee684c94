"""What the PhysioNet data use agreement asks of whoever reads or files a report.

Paraphrased from the PhysioNet Credentialed Health Data Use Agreement 1.5.0 (the terms MIMIC-IV is
released under, together with the Credentialed Health Data License 1.5.0); clause numbers refer to
that agreement. Reports render this list; they never restate it in a template.
"""

from __future__ import annotations

from dataclasses import dataclass

PHI_REPORT_ADDRESS = "PHI-report@physionet.org"
AGREEMENT = "PhysioNet Credentialed Health Data Use Agreement 1.5.0"
LICENSE = "PhysioNet Credentialed Health Data License 1.5.0"
AGREEMENT_SOURCE = "https://github.com/MIT-LCP/license-and-dua/blob/master/releases/DataUseAgreement-v1.5.0.md"


@dataclass(frozen=True)
class Obligation:
    title: str
    text: str
    clauses: str  # where the agreement says it


OBLIGATIONS: tuple[Obligation, ...] = (
    Obligation("Do not share the data or your access",
               "Each person who works with MIMIC-IV needs their own credentialed PhysioNet access. Do not pass "
               "files, extracts, database credentials or logins to anyone, and keep your copy secure.",
               "clauses 3 and 4"),
    Obligation("Do not try to re-identify anyone",
               "Never attempt to identify a patient or an institution, and take care that nothing you publish "
               "or say discloses one.",
               "clauses 1 and 2"),
    Obligation("Report suspected PHI by its location",
               f"If you find anything that might identify a person or an institution, email {PHI_REPORT_ADDRESS} "
               "promptly, citing where it is (release, table, column, row keys), not what it says, so it can be "
               "investigated and removed.",
               "clause 5"),
    Obligation("Make your analysis code available",
               "If you openly disseminate results, contribute the code that produced them to a repository open "
               "to the research community. This report records the command, versions and times to help.",
               "clause 9"),
    Obligation("Cite the data set",
               "Cite the MIMIC-IV release you used, the original publication and PhysioNet, as listed below.",
               "requested on the PhysioNet project page"),
)


def demo_note(release_kind: str) -> str | None:
    """A note for open demo releases, whose terms differ from the credentialed release."""
    if release_kind == "demo":
        return ("The 100-patient demo is openly published and not under the data use agreement; the "
                "obligations below apply as soon as you work with the credentialed MIMIC-IV release.")
    return None
