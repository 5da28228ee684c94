"""``<table>.window.<name>``: a time of each row falls inside a window of the row another table's key names.

An ED vital sign charted a year after its stay, a note dated outside its admission, an ED visit after the patient's
death: each key resolves (the ``fk`` kind is content), yet the times cannot be right, which is what charttimes off by
a year (mimic-code #1694) or a merge of mismatched extracts look like. The window is the referenced row's own times,
widened by the slack its spec entry gives (measured on the real demos, with headroom); NULL times pass.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, SetBased, all_of, any_of, checked, col, literal, relation
from mimic_qa.spec.models import Spec, Table


def _shifted(column: str, hours: float, later: bool) -> exp.Expr:
    """``p.column`` moved by ``hours`` (in minutes, so fractions of an hour stay exact)."""
    if not hours:
        return col(column, "p")
    interval = exp.Interval(this=literal(round(hours * 60)), unit=exp.var("MINUTE"))
    return (exp.Add if later else exp.Sub)(this=exp.cast(col(column, "p"), "TIMESTAMP"), expression=interval)


class WindowKind(SetBased):
    name = "window"
    category = "plausibility"
    what = "rows outside the window of the row they name"
    tests = "a time of each row falls inside the time window of the row its key names"
    guide = Guide(
        "Times inside the window of the row they belong to",
        "A row whose time lies outside the stay, admission or life of the row its key names passes every key "
        "check, yet cannot be right: a time shifted by another patient's offset, a charttime off by a year "
        "(mimic-code #1694), or tables of different extracts merged. Analyses that window events by their stay "
        "silently drop such rows.",
        "Compare the row's table and the referenced table's `row_count` and `file.sha256`: mixing files of "
        "different releases or extracts is the usual cause. Rebuild both tables from one release.",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        for w in table.windows:
            bounds = " and ".join(
                b for b in ((f"{w.before:g} h before {w.start}" if w.start else ""),
                            (f"{w.after:g} h after {w.end}" if w.end else "")) if b)
            yield self.define(
                spec, table, w.name, severity=w.severity, columns=(w.column, *w.key),
                description=f"{w.column} lies between {bounds} of the {w.ref_table} row its "
                            f"{', '.join(w.key)} names. {w.description}",
                observed=w.observed, ref_table=w.ref_table, key=list(w.key), column=w.column, start=w.start,
                end=w.end, before=w.before, after=w.after, source=w.source)

    def violations(self, check: CheckDef, spec: Spec) -> exp.Select:
        p = check.params
        time = exp.cast(col(p["column"], "c"), "TIMESTAMP")
        outside = ([exp.LT(this=time, expression=_shifted(p["start"], p["before"], later=False))] if p["start"] else []) \
            + ([exp.GT(this=time, expression=_shifted(p["end"], p["after"], later=True))] if p["end"] else [])
        match = all_of([exp.EQ(this=col(k, "p"), expression=col(k, "c")) for k in p["key"]])
        return (exp.select("1 AS outside").from_(checked(spec.tables[check.table or ""], "c"))
                .join(relation(spec.tables[p["ref_table"]], "p"), on=match)
                .where(any_of(outside)))

    def violations_named(self, check: CheckDef) -> str:
        return f"rows whose {check.params['column']} lies outside the window of their {check.params['ref_table']} row"
