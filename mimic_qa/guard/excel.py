"""Excel workbooks (.xlsx / .xlsm), streamed with openpyxl in read-only mode: first rows of each sheet.

Legacy binary .xls files are not inspected: openpyxl cannot read them and no light reader exists.
"""

from __future__ import annotations

from mimic_qa.guard.model import Finding, Location
from mimic_qa.guard.probe import SAMPLE_ROWS, Probe
from mimic_qa.guard.signals import assess_table

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"


def is_excel(probe: Probe) -> bool:
    return probe.head[:4] == ZIP_MAGIC and probe.path.suffix.lower() in EXCEL_SUFFIXES


def scan_excel(probe: Probe) -> list[Finding]:
    from openpyxl import load_workbook

    wb = load_workbook(probe.path, read_only=True, data_only=True)
    try:
        findings = []
        for ws in wb.worksheets:
            rows = ws.iter_rows(max_row=SAMPLE_ROWS + 1, values_only=True)
            header = next(rows, ())
            ev = assess_table(["" if h is None else h for h in header], rows, probe.signals, first_line=2)
            found = probe.rows_finding(ev, location=Location(sheet=ws.title, line=ev.first_line))
            if found:
                findings.append(found)
        return findings
    finally:
        wb.close()
