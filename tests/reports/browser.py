"""Headless Chromium for the report tests: screenshots and print-to-PDF of a local file, offline."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.ci import unavailable

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")


def chromium() -> str:
    """Path of Debian's chromium; skip without it, but fail under CI (where .ci/run installs it)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        unavailable("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    return path


def run_chromium(page: Path, *args: str, timeout: float = 90) -> None:
    with tempfile.TemporaryDirectory(prefix="mimic-qa-chromium-") as profile:
        proc = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 2000) -> Path:
    run_chromium(page, f"--screenshot={png}", f"--window-size={width},{height}")
    return png


def print_pdf(page: Path, pdf: Path) -> Path:
    run_chromium(page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    return pdf


def page_height(page: Path, width: int = 1280) -> int:
    """The rendered height in CSS pixels of ``page`` in a ``width``-pixel-wide window (read by a script added to a
    copy of the page: the report itself carries none)."""
    with tempfile.TemporaryDirectory(prefix="mimic-qa-height-") as tmp:
        probe = Path(tmp) / page.name
        probe.write_text(page.read_text(encoding="utf-8").replace(
            "</body>", "<script>document.body.dataset.height = document.documentElement.scrollHeight</script></body>"),
            encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="mimic-qa-chromium-") as profile:
            proc = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},1000",
                                   "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=90, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = re.search(r'data-height="(\d+)"', proc.stdout)
    assert found, "the page did not report its height"
    return int(found.group(1))
