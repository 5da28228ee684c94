"""The diff report opens in headless Chromium with its pictures; HTML and Markdown say the same things."""

from __future__ import annotations

import re

import numpy as np
from PIL import Image

from mimic_qa.diff.charts import COPY_COLOURS, SAME, SEVERITY_FILL
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
