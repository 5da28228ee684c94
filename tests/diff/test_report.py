"""The diff report opens in headless Chromium with its pictures; HTML and Markdown say the same things."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import numpy as np
from PIL import Image

from mimic_qa.diff import DiffResult, rejudge
from mimic_qa.diff.charts import COPY_COLOURS, SAME, SEVERITY_FILL
from mimic_qa.diff.model import Shape, TableDiff
from mimic_qa.diff.report import build_view
from mimic_qa.diff.statistics import ks_from_quantiles, shape_numeric
from tests.diff.conftest import Run
from tests.reports.browser import screenshot

WIDTH, HEIGHT = 1280, 3000


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])


def _share(image: Image.Image, colour: str, box: tuple[int, int, int, int]) -> float:
    pixels = np.asarray(image.crop(box), dtype=np.int16)
    return float((np.abs(pixels - _rgb(colour)).sum(axis=2) < 24).mean())


def test_drift_report_renders_with_its_pictures(demo_vs_damaged: Run, tmp_path):
    html = demo_vs_damaged.report / "diff.html"
    text = html.read_text()
    assert text.count("<svg") >= 6  # row counts, drift bars, items and categories side by side, per-table bars
    assert re.search(r'<figure id="row-chart">\s*<figcaption>', text)
    assert 'id="item-labevents-' in text and 'id="col-admissions-insurance"' in text
    image = Image.open(screenshot(html, tmp_path / "drift.png", WIDTH, HEIGHT)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200
    assert _share(image, SEVERITY_FILL["error"], (40, 80, WIDTH - 40, 180)) > 0.5  # the DRIFT banner
    assert _share(image, SAME, (0, 500, WIDTH, HEIGHT)) > 0.01  # unchanged tables' bars
    assert _share(image, SEVERITY_FILL["error"], (0, 500, WIDTH, HEIGHT)) > 0.001  # labevents, insurance
    for colour in COPY_COLOURS.values():  # the two copies' distributions, side by side
        assert _share(image, colour, (0, 500, WIDTH, HEIGHT)) > 0.0005


def test_same_report_is_green(demo_vs_itself: Run, tmp_path):
    html = demo_vs_itself.report / "diff.html"
    image = Image.open(screenshot(html, tmp_path / "same.png", WIDTH, 1200)).convert("RGB")
    assert _share(image, SAME, (40, 80, WIDTH - 40, 180)) > 0.5  # the SAME banner
    assert "No difference found" in html.read_text()


def test_markdown_names_the_same_findings(demo_vs_damaged: Run):
    md = (demo_vs_damaged.report / "diff.md").read_text()
    assert md.startswith("# MIMIC-IV diff report: DRIFT")
    assert "| error | labevents |  |  | `rows` | 0.1" in md
    assert "| error | admissions | insurance |  | `tvd` |" in md
    assert "PHI-report@physionet.org" in md  # the data use agreement reminders, as in the audit report
    html = (demo_vs_damaged.report / "diff.html").read_text()
    for f in demo_vs_damaged.findings("error"):
        assert f["message"] in md and f["message"] in html


def _texts(svg: str) -> list[tuple[float, float, float, str]]:
    """(left, right, baseline, text) of each horizontal text of an SVG, its width estimated from its length (0.62
    em a character: DejaVu Sans, the report's font, averages 0.55 to 0.6)."""
    root = ET.fromstring(svg)
    out = []
    for el in root.iter("{http://www.w3.org/2000/svg}text"):
        if "rotate" in el.get("transform", "") or not el.text:
            continue
        size = float(el.get("font-size") or root.get("font-size") or 12)
        width = 0.62 * size * len(el.text)
        x = float(el.get("x", 0))
        left = {"middle": x - width / 2, "end": x - width}.get(el.get("text-anchor", "start"), x)
        out.append((left, left + width, float(el.get("y", 0)), el.text))
    return out


def _overlaps(svg: str) -> list[tuple[str, str]]:
    texts = _texts(svg)
    return [(a[3], b[3]) for i, a in enumerate(texts) for b in texts[i + 1:]
            if abs(a[2] - b[2]) < 10 and a[0] < b[1] and b[0] < a[1]]


def test_pictures_label_their_axes_without_overlapping_text(demo_vs_damaged: Run):
    """Each picture names its axes, and no two texts on a line overlap (the row chart's 150% tick once ran into
    its column title, the drift chart's last tick into "distance")."""
    view = build_view(DiffResult.model_validate(demo_vs_damaged.result))
    pictures = {"row": str(view.row_chart), "drift": str(view.drift_chart),
                **{p.key: str(p.svg) for p in view.item_pictures + view.category_pictures}}
    assert len(pictures) > 4
    for name, svg in pictures.items():
        assert _overlaps(svg) == [], name
    assert "rows in B as a share of rows in A" in pictures["row"] and "table" in pictures["row"]
    assert "distance: 0 the same" in pictures["drift"] and "table.column" in pictures["drift"]
    for p in view.item_pictures + view.category_pictures:
        assert "share of values" in str(p.svg) and ("quantiles" in str(p.svg) or "categories" in str(p.svg))


def test_the_row_chart_shows_a_table_in_one_copy_only(demo_vs_damaged: Run):
    result = DiffResult.model_validate(demo_vs_damaged.result)
    result.tables.append(TableDiff(name="chartevents", module="icu", in_a=False, in_b=True))
    result.tables.insert(0, TableDiff(name="caregiver", module="icu", in_a=True, in_b=False))
    svg = str(build_view(rejudge(result, result.thresholds)).row_chart)
    labels = [t[3] for t in _texts(svg)]
    assert labels[labels.index("chartevents") + 1:].count("only in B") == 1
    assert labels[labels.index("caregiver") + 1:].count("only in A") == 1


def test_values_far_apart_are_drawn_in_different_bins():
    """Two copies of one value each, far apart (a KS distance of 1): each copy's bar stands in its own bin, not
    both at 100% in one."""
    a, b = [10.0] * 101, [3.0] * 101
    shape = Shape(**dict(zip(("a", "b"), shape_numeric(a, b)[:2])))
    assert max(shape.a) == max(shape.b) == 1.0
    assert shape.a.index(1.0) != shape.b.index(1.0)
    assert ks_from_quantiles(a, b) == 1.0
