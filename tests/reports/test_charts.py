"""The inline SVG pictures: well-formed, labelled, escaped, and drawn to scale."""

from __future__ import annotations

from collections import Counter
from xml.etree import ElementTree as ET

from mimic_qa.reports.charts import COLORS, GridRow, RowCount, legend, row_count_chart, status_grid

NS = {"s": "http://www.w3.org/2000/svg"}


def _bars(svg: ET.Element) -> list[ET.Element]:
    return [r for r in svg.iter("{http://www.w3.org/2000/svg}rect") if r.get("height") == "14"]


def test_row_count_chart_draws_shares_to_scale():
    rows = [RowCount("full", 100, 100, "passed"), RowCount("half", 50, 100, "error"),
            RowCount("huge", 900, 100, "error"), RowCount("gone", None, 100, "skipped")]
    svg = ET.fromstring(str(row_count_chart([("hosp", rows)])))
    assert svg.find("s:title", NS).text.startswith("Observed row counts")
    widths = [float(r.get("width")) for r in _bars(svg)]
    full, half, huge, gone = widths
    assert abs(half - full / 2) < 0.01
    assert huge == gone  # clipped at the chart's edge (150%), like the full-width hatched "not counted" bar
    fills = [r.get("fill") for r in _bars(svg)]
    assert fills[:3] == [COLORS["passed"][0], COLORS["error"][0], COLORS["error"][0]] and fills[3] == "url(#hatch)"
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "50 / 100  (-50)" in texts and "not counted / 100" in texts and "»" in texts


def test_status_grid_cells_name_the_worst_outcome():
    rows = [GridRow("a", ((None, Counter()), ("passed", Counter(passed=7)),
                          ("error", Counter(error=1, passed=33))))]
    svg = ET.fromstring(str(status_grid([("hosp", rows)], ["conformance", "completeness", "plausibility"])))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert ["no checks", "7 passed", "1 error of 34"] == texts[-3:]
    assert {"conformance", "completeness", "plausibility", "hosp", "a"} <= set(texts)


def test_labels_are_escaped():
    hostile = '<script>alert("x")</script>'
    out = str(row_count_chart([("g", [RowCount(hostile, 1, 1, "passed")])]))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert ET.fromstring(out) is not None
    assert ET.fromstring(str(legend(["passed", "error"], {"passed": "passed", "error": "failed & <b>"}))) is not None
