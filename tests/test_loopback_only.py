"""The tests talk to this machine only: no address in tests/ other than loopback, outside a short allow-list of
strings that are data or documentation and never connected to.

What counts as an address: an IPv4 literal; the host of a ``scheme://`` URL (an IPv6 host in brackets too); the
value of ``host=`` / ``hostaddr=`` (libpq key=value DSNs, keyword arguments). Hosts that start with a placeholder
(``{host}``) are built from a loopback server's DSN elsewhere in the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
LOOPBACK = {"127.0.0.1", "localhost", "::1", ""}
# (file relative to tests/, address) -> why it is never connected to
ALLOWED = {
    ("phi/corpus.jsonl", "192.168.14.201"): "PHI-scan corpus text: an IP address a note might mention",
    ("phi/corpus.jsonl", "www.example.org"): "PHI-scan corpus text: a URL a note might mention",
    ("phi/corpus.jsonl", "www.vance-avery.biz"): "PHI-scan corpus text: a URL a note might mention",
    ("phi/planted.py", "www.{d}"): "planted PHI: fake URLs written into comment text",
    ("phi/planted.py", "portal.{d}"): "planted PHI: fake URLs written into comment text",
    ("phi/test_long_text.py", "portal.example.org"): "planted PHI: a fake URL written into a long note",
    ("site/test_local_compile.py", "physionet-data"): "BigQuery project id: local checks compiled, never sent",
    ("diff/test_report.py", "www.w3.org"): "the SVG XML namespace name",
    ("postgres/test_server_helper.py", "db.example"): "mask_dsn/with_database: strings parsed, never connected",
    ("reports/test_charts.py", "www.w3.org"): "the SVG XML namespace name",
    ("reports/test_render.py", "e.org"): "hostile Markdown link text that a report must escape",
    ("engines/test_bigquery_compile.py", "physionet-data"): "BigQuery project id: queries compiled, never sent",
    ("engines/test_bigquery_compile.py", "p"): "BigQuery project id: source strings parsed, never connected",
    ("diff/test_sources.py", "physionet-data"): "BigQuery source diff refuses before connecting",
    ("docs/test_written_docs.py", "physionet-data"): "text the troubleshooting page must contain",
}
ADDRESS = re.compile(
    r"(?<![\w.])(?P<ipv4>\d{1,3}(?:\.\d{1,3}){3})(?!\w|\.\d)"  # 10.0.0.1 (not 1.2.3.4.5 or v1.2.3.4)
    r"|\b[a-z][a-z0-9+.-]*://(?:[^/@\s\"'`]*@)?(?P<url>\[[^\]\s]*\]|[^/:?#\s\"'`)>,]*)"  # scheme://user@HOST:port
    r"|\bhost(?:addr)?=[\"']?(?P<kw>[^\s\"',)&]+)")  # host=HOST in a DSN or a call


def addresses(text: str) -> list[str]:
    """Every address the text names, as written (placeholders such as ``{host}`` are skipped)."""
    found = []
    for m in ADDRESS.finditer(text):
        value = next(v for v in m.groupdict().values() if v is not None)
        if value.startswith("{"):
            continue  # an f-string placeholder: the DSN of a loopback server, built in the helper
        found.append(value.removeprefix("[").removesuffix("]"))  # an IPv6 host without its brackets
    return found


def test_the_pattern_finds_what_it_should():
    text = ('postgresql://postgres@192.0.2.1:5432/db https://example.com/x host=db.internal '
            "hostaddr=10.1.2.3 http://[fe80::1]:80/ http://localhost:8080 postgresql://u@127.0.0.1:1/db "
            "postgresql://{auth}@{host}{port}/x postgresql://{user}:{pw}@{rest} version 1.2.3.4.5 x[::2] http://[::1]/")
    assert [a for a in addresses(text) if a not in LOOPBACK] == [
        "192.0.2.1", "example.com", "db.internal", "10.1.2.3", "fe80::1"]


def test_tests_name_no_address_but_loopback():
    seen, stray = set(), []
    for path in sorted(TESTS.rglob("*")):
        if not path.is_file() or path == Path(__file__) or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(TESTS).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary fixtures: no source code
        for address in addresses(text):
            if address in LOOPBACK:
                continue
            if (rel, address) in ALLOWED:
                seen.add((rel, address))
            else:
                stray.append(f"{rel}: {address}")
    assert not stray, "tests must talk to loopback only (127.0.0.1, localhost, ::1):\n" + "\n".join(stray)
    assert not set(ALLOWED) - seen, f"allow-list entries no longer needed: {sorted(set(ALLOWED) - seen)}"
