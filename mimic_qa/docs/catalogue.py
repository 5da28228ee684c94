"""``docs/checks.md``: every check id of the spec, one table per MIMIC-IV table, rendered from the spec.

Each check id has its own anchor (``checks.md#hosp.admissions.fk.subject_id``); the per-kind
"why it matters / what to do" text (each kind's ``guide``) appears once and every row links to it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from mimic_qa.checks import CheckDef, build_catalog
from mimic_qa.checks.kinds import KINDS, Kind
from mimic_qa.checks.kinds.pk import PrimaryKey
from mimic_qa.checks.kinds.rule import RuleKind
from mimic_qa.spec import Quirk, Spec

if TYPE_CHECKING:
    from mimic_qa.config import SiteConfig

GENERATED_BY = "mimic-qa spec --docs docs/"
SEVERITY_TEXT = {
    "error": "fails the gate (the default `--fail-on error`)",
    "warning": "fails the gate only with `--fail-on warning`",
    "info": "never fails the gate; reported for your information",
}
CATEGORY_TEXT = {
    "conformance": "the data has the form the release defines (files, columns, types, keys, domains)",
    "completeness": "nothing is missing (files, rows, values in NOT NULL columns)",
    "plausibility": "the values make sense together (time order, plausible ranges)",
}


def cell(text: str) -> str:
    """Text made safe for one Markdown table cell: one line, pipes escaped, nothing read as an HTML tag."""
    text = " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)


def code(text: str) -> str:
    """``text`` as a code span inside a table cell (only pipes need escaping there)."""
    return "`" + " ".join(text.split()).replace("|", "\\|") + "`"


def kind_anchor(kind: str) -> str:
    return "kind-" + kind.replace(".", "-")


def quirk_anchor(check_id: str) -> str:
    return "quirk-" + check_id


def _num(n: int | str) -> str:
    return f"{n:,}" if isinstance(n, int) else str(n)


def _fraction(x: float) -> str:
    return f"{x * 100:.4f}".rstrip("0").rstrip(".") + "%"


def release_label(release: str) -> str:
    """``v3.1`` for a full release, ``demo-2.2`` as it is."""
    return f"v{release}" if release[:1].isdigit() else release


def quirk_counts(q: Quirk) -> str:
    """The failing rows the real releases are known to have, e.g. "175 in v3.1"."""
    if not q.rows:
        return "count not published"
    return ", ".join(f"{_num(n)} in {release_label(release)}" for release, n in q.rows.items())


def evidence(c: CheckDef) -> str:
    """Where the check's fact comes from: real data it was observed on, or documents only."""
    if c.observed:
        return "observed in real data: " + ", ".join(release_label(r) for r in c.observed)
    real = [r for r in (c.quirk.rows if c.quirk else {}) if not r[:1].isdigit()]
    if real:
        return "observed in real data, as a known quirk: " + ", ".join(release_label(r) for r in real)
    return "documents only"


def tolerance_rule(q: Quirk) -> str:
    rule = f"up to {_fraction(q.max_fraction)} of the table's rows"
    return rule + (f" (at least {q.min_rows:,})" if q.min_rows else "")


def _what(c: CheckDef) -> str:
    text = cell(c.description.rstrip(".") + ".")
    if c.kind == RuleKind.name:
        text += f" A row fails when {code(c.params['expr'])} is false."
    if c.source and c.kind != PrimaryKey.name:
        text += f" Source: {cell(c.source)}."
    return text


def _official(c: CheckDef) -> str:
    if c.quirk is None:
        return "no known failure"
    return f"[known quirk](#{quirk_anchor(c.id)}): {cell(quirk_counts(c.quirk))}"


def kind_module(kind: Kind) -> str:
    """The file that defines a kind: ``mimic_qa/checks/kinds/fk.py``."""
    return type(kind).__module__.replace(".", "/") + ".py"


def _kinds_section(catalog: list[CheckDef]) -> list[str]:
    counts = Counter(c.kind for c in catalog)
    out = ["## Check kinds: why they matter and what to do", ""]
    for kind in (k for k in KINDS if k.name in counts):
        categories = " or ".join(sorted({c.category for c in catalog if c.kind == kind.name}))
        out += [
            f'### <a id="{kind_anchor(kind.name)}"></a>`{kind.name}`: {kind.guide.title}', "",
            (f"**Tests:** {kind.tests}. Kahn category: {categories}. "
             f"Checks of this kind: {counts[kind.name]:,}. Defined in `{kind_module(kind)}`."), "",
            f"**Why it matters:** {kind.guide.why}", "",
            f"**What to do:** {kind.guide.fix}", "",
        ]
    return out


def _quirks_section(spec: Spec, catalog: list[CheckDef]) -> list[str]:
    out = [
        "## Known quirks of the official release", "",
        ("The real release fails these checks by a documented number of rows. Up to the tolerance, a failure "
        "is reported as a warning that cites the reference (an error check is downgraded to a warning); "
        "beyond it, the check keeps its severity and the message says it exceeds what the quirk explains. "
        "Tolerance = the larger of the minimum and the fraction times the table's rows."), "",
        "| check | known failing rows | tolerance | tolerated at the full release's size | what it is | reference |",
        "|---|---|---|---|---|---|",
    ]
    for c in catalog:
        q = c.quirk
        if q is None:
            continue
        full = spec.release(spec.project_of(c.table).default_release) if c.table else None
        at_full = q.tolerance(full.row_counts.get(c.table or "", 0) if full else 0)
        out.append(f'| <a id="{quirk_anchor(c.id)}"></a>[`{c.id}`](#{c.id}) | {cell(quirk_counts(q))} | '
                   f"{cell(tolerance_rule(q))} | {at_full:,} | {cell(q.description)} | {cell(q.reference)} |")
    return out + [""]


def _check_rows(checks: list[CheckDef]) -> list[str]:
    out = ["| id | kind | category | severity | what it tests | evidence | official release |",
           "|---|---|---|---|---|---|---|"]
    for c in checks:
        out.append(f'| <a id="{c.id}"></a>`{c.id}` | [{c.kind}](#{kind_anchor(c.kind)}) | {c.category} | '
                   f"{c.severity} | {_what(c)} | {evidence(c)} | {_official(c)} |")
    return out


def _evidence_section(spec: Spec, catalog: list[CheckDef]) -> list[str]:
    counts = Counter(evidence(c).split(":")[0] for c in catalog)
    unobserved = sorted({c.table or "" for c in catalog if c.table and not spec.tables[c.table].observed})
    return [
        "## Evidence: real data and documents", "",
        ("Each fact of the spec names its documentary source, and the facts checked against the real open demo "
         "(MIMIC-IV Clinical Database Demo v2.2, byte-identical to PhysioNet's files) say so: "
         "`observed: [demo-2.2]` in the spec, *observed in real data* below. Where the demo and a document "
         "disagreed, the demo won or the difference became a known quirk with the rate measured in the demo. "
         "Every relationship the demo holds without an orphan is checked at error severity, declared in "
         "mimic-code's constraint.sql or not."), "",
        f"- observed in real data: {counts.get('observed in real data', 0):,} checks",
        f"- observed in real data, as a known quirk: {counts.get('observed in real data, as a known quirk', 0):,} checks",
        f"- documents only: {counts.get('documents only', 0):,} checks (release-level checks, and every check of "
        f"{', '.join(unobserved) or 'no table'}, whose file is not in the project's copy of the demo)", "",
    ]


def _tables_overview(spec: Spec, catalog: list[CheckDef]) -> list[str]:
    validatable = [spec.release(k) for k in spec.validatable_releases]
    others = [r for r in spec.releases.values() if r.detection_only]
    per_table = Counter(c.table for c in catalog)
    head = ["table", "file", "checks"] + [f"rows in {r.title}" for r in validatable]
    out = [
        "## Tables and where the releases differ", "",
        (f"Every release uses the same check ids; what differs is the exact row count each table must have. "
        f"Copies are validated against {' or '.join(r.title for r in validatable)}. The row counts of "
        f"{' and '.join(r.title for r in others)} are known only to recognise a copy of the wrong release "
        "(see the `row_count` kind)."), "",
        "| " + " | ".join(head) + " |", "|" + "---|" * len(head),
    ]
    for name, t in spec.tables.items():
        counts = [f"{r.row_counts[name]:,}" if name in r.row_counts else "-" for r in validatable]
        out.append(f"| [{t.qualified_name}](#table-{t.qualified_name}) | `{t.file}` | {per_table[name]} | "
                   + " | ".join(counts) + " |")
    return out + [""]


def render_checks(spec: Spec) -> str:
    """The whole catalogue as Markdown (deterministic: the same spec gives the same bytes)."""
    catalog = build_catalog(spec)
    release_level = [c for c in catalog if c.table is None]
    out = [
        "# Check catalogue", "",
        (f"<!-- Generated from the release spec by `{GENERATED_BY}`. Do not edit: change the spec or "
        "mimic_qa/docs/, then regenerate. -->"), "",
        (f"Every check `mimic-qa validate` can report: {len(catalog):,} check ids, the same for every release "
        f"(spec version {spec.spec_version}). A failing check id is one click away: "
        "`docs/checks.md#<check id>`, e.g. [`hosp.admissions.fk.subject_id`](#hosp.admissions.fk.subject_id)."), "",
        ("Ids read `<module>.<table>.<kind>[.<column or name>]`. For each check: its kind (linked to why it "
        "matters and what to do), its Kahn category, its severity, what it tests, and whether the official "
        "release is known to fail it."), "",
        "- **Severity**: " + "; ".join(f"`{s}` {t}" for s, t in SEVERITY_TEXT.items()) + ".",
        "- **Category** (Kahn et al., as in OHDSI DQD): " + "; ".join(f"`{k}`: {t}" for k, t in CATEGORY_TEXT.items())
        + ".",
        ("- **Outcome**: `passed`; `failed` (with the number of failing rows); `error` (the check could not run, "
        "e.g. the file is unreadable or the query failed: it blocks the gate like a failure); `skipped` (not "
        "applicable: file checks on a database, checksums without `SHA256SUMS.txt`, checks on a missing "
        "column or table)."),
        ("- **Official release**: *no known failure* means a pristine download is expected to pass; a *known "
        "quirk* gives the rows the real release fails by, with its tolerance and reference "
        "([Known quirks](#known-quirks-of-the-official-release))."), "",
        ("Contents: [Evidence](#evidence-real-data-and-documents) · "
        "[Check kinds](#check-kinds-why-they-matter-and-what-to-do) · "
        "[Known quirks](#known-quirks-of-the-official-release) · "
        "[Tables and releases](#tables-and-where-the-releases-differ) · "
        "[Release-level checks](#release-level-checks) · one section per table."), "",
    ]
    out += _evidence_section(spec, catalog)
    out += _kinds_section(catalog)
    out += _quirks_section(spec, catalog)
    out += _tables_overview(spec, catalog)
    out += ["## Release-level checks", ""] + _check_rows(release_level) + [""]
    for name, t in spec.tables.items():
        checks = [c for c in catalog if c.table == name]
        rows = " · ".join(f"{r.title}: {r.row_counts[name]:,}" for r in spec.releases.values() if name in r.row_counts)
        out += [
            f'## <a id="table-{t.qualified_name}"></a>{t.qualified_name}', "",
            (f"`{t.file}`: {cell(t.description)} Rows: {rows}. "
            f"Columns, types and keys: `mimic-qa spec --table {name}`; their facts: table `{name}` in "
            f"`mimic_qa/spec/modules/{t.module}.yaml`, its row counts in "
            f"`mimic_qa/spec/releases/{spec.modules[t.module].project}.yaml`."), "",
        ]
        out += _check_rows(checks) + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_local_checks(site: SiteConfig, catalogue: str = "checks.md") -> str:
    """A site's local checks as a Markdown catalogue page (``mimic-qa checks --config ... --markdown``): the same
    columns and per-id anchors as ``docs/checks.md``, each kind linked to its guide there."""
    out = [
        "# Local checks", "",
        (f"<!-- Generated from {site.path.name} by `mimic-qa checks --config {site.path.name} --markdown`. -->"), "",
        (f"The site's own checks, declared in `{site.path.name}` and run by `mimic-qa validate` after the release's "
         "checks, as compiled SQL on the engine. Ids read `local.<table>.<kind>[.<name>]`; each kind's guide is in "
         f"the release's [check catalogue]({catalogue})."), "",
    ]
    if site.local.site_tables:
        out += ["## Site tables", "", "| table | where | columns | what it is |", "|---|---|---|---|"]
        out += [f"| {cell(t.name)} | {code(t.relation)} | {cell(', '.join(t.columns))} | {cell(t.description)} |"
                for t in site.local.site_tables.values()]
        out.append("")
    out += ["## Checks", "", "| id | kind | category | severity | on | what it tests |", "|---|---|---|---|---|---|"]
    for c in site.local.checks:
        where = site.local.site_tables[c.table].relation if c.table in site.local.site_tables else c.table or ""
        out.append(f'| <a id="{c.id}"></a>`{c.id}` | [{c.kind}]({catalogue}#{kind_anchor(c.kind)}) | {c.category} | '
                   f"{c.severity} | {code(where)} | {_what(replace(c, source=None))} |")
    if site.waivers:
        out += ["", "## Waivers", "", "| check or glob | reason | owner | expires | ceiling |", "|---|---|---|---|---|"]
        for w in site.waivers:
            ceiling = " · ".join([*([f"{w.max_failing_rows:,} failing"] if w.max_failing_rows is not None else []),
                                  *([f"{_fraction(w.max_failing_fraction)} of the rows"]
                                    if w.max_failing_fraction is not None else [])]) or "none"
            out.append(f"| {code(w.check)} | {cell(w.reason)} | {cell(w.owner)} | {w.expires.isoformat()} | {ceiling} |")
    return "\n".join(out).rstrip("\n") + "\n"
