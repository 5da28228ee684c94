"""What each kind of check means for a user: why a failure matters and what to try, one entry per kind.

The catalogue (``docs/checks.md``) prints these once, at the top, and links every check to its kind.
Issue numbers refer to github.com/MIT-LCP/mimic-code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindGuide:
    """Plain-words guidance for every check of one kind."""

    title: str
    why: str
    fix: str


GUIDES: dict[str, KindGuide] = {
    "files.unexpected": KindGuide(
        "Unexpected table files",
        "A `.csv.gz` in `hosp/` or `icu/` that the release does not define is usually a file left over from "
        "another version in the same folder, or an extract you saved inside the release. Tools that load "
        "every file they find will load it too.",
        "Keep one pristine folder per release version (`physionet.org/files/mimiciv/3.1/`). Move your own "
        "files elsewhere; delete files of other versions. This is a warning: it fails the gate only with "
        "`--fail-on warning`.",
    ),
    "sha256sums.listed": KindGuide(
        "Every file in SHA256SUMS.txt is present",
        "PhysioNet lists every file of the release in `SHA256SUMS.txt`. A listed file that is missing means an "
        "incomplete download; a non-table file (e.g. `LICENSE.txt`) that does not match was changed.",
        "Resume the download (`wget -r -N -c -np ...` again: it fetches only what is missing), then run "
        "`sha256sum -c SHA256SUMS.txt` in the release folder.",
    ),
    "file.present": KindGuide(
        "Table file present",
        "A missing table file means the download stopped early or an accept pattern skipped it. Every check "
        "on that table is skipped, and foreign keys pointing into it cannot be checked.",
        "Resume the download with `wget -r -N -c -np` on the release URL, then verify with "
        "`sha256sum -c SHA256SUMS.txt`. Check that you downloaded the version folder you meant (`3.1/`).",
    ),
    "file.readable": KindGuide(
        "File decompresses completely and is UTF-8",
        "A truncated gzip stream (interrupted download, full disk, a copy that stopped) silently drops every "
        "row after the break in most loaders; DuckDB does not even check the gzip CRC. Lines that are not "
        "UTF-8 come from a tool that re-encoded the file. The table's other checks are skipped when the file "
        "cannot be read at all.",
        "Delete the file and download it again, then `sha256sum -c SHA256SUMS.txt`. Never open and re-save "
        "a release CSV in a spreadsheet or editor. When loading PostgreSQL, use a UTF-8 client encoding "
        "(mimic-code #840).",
    ),
    "file.sha256": KindGuide(
        "File matches SHA256SUMS.txt",
        "The checksum is the only proof that the bytes are the ones PhysioNet published. A corrupt download "
        "often shows up much later as odd parse errors (mimic-code #293). Skipped when the release folder "
        "has no `SHA256SUMS.txt`.",
        "Download the file again and run `sha256sum -c SHA256SUMS.txt` in the release folder. Make sure "
        "`SHA256SUMS.txt` comes from the same version as the files.",
    ),
    "columns": KindGuide(
        "Header / columns as the spec says",
        "Columns are added, renamed and removed between versions (a `chartdate` added to hcpcsevents broke "
        "old DDL, mimic-code #1112), and loader bugs shift columns (mimic-code #1483). Checks on a missing "
        "column are skipped.",
        "Compare with `mimic-qa spec --table TABLE`. Check that the files and the release you validate "
        "against match (`--release`). For a database, rebuild the table with the release's own DDL, e.g. "
        "`mimic-qa load DIR postgresql://... --tables TABLE --drop`.",
    ),
    "header_case": KindGuide(
        "Header spelled in the spec's letter case",
        "SQL names are case-insensitive, so a header that differs from the spec only in letter case still has "
        "the spec's columns (the `columns` check passes and validate reads them by name); but case-sensitive "
        "tools (pandas, R, Spark with case sensitivity on) see other names. The real release does this: "
        "PhysioNet's procedureevents file spells `ORIGINALAMOUNT` and `ORIGINALRATE` in capitals.",
        "Nothing, for the known quirk. Otherwise lower-case the names when you load the file (mimic-code's "
        "DDL creates lower-case columns and COPY reads by position), or refer to them in the file's spelling.",
    ),
    "type": KindGuide(
        "Values parse as the column type",
        "Values that do not parse (the count and the first line number are reported, never the value) point "
        "to a corrupt download, the wrong release, or CSV quoting read with the wrong escape character "
        "(`d_hcpcs` line 82579 needs `ESCAPE '\"'`, mimic-code #1881). Rows that do not parse are not loaded, "
        "so row counts and keys fail too. For a database: a column stored with a type that cannot hold the "
        "spec's type.",
        "Check `file.sha256` and `file.readable` first: if the file is damaged, download it again. If the "
        "checksum matches, report the check id and line number to the maintainers. For a database, recreate "
        "the column with the type `mimic-qa spec --table TABLE` shows.",
    ),
    "not_null": KindGuide(
        "NOT NULL column has no NULL",
        "A NULL where the release has none means lost values: shifted or truncated rows, or a loader that "
        "turns empty strings into NULLs. A PostgreSQL load with mimic-code's NOT NULL constraints would "
        "reject these rows.",
        "Fix `file.readable`, `columns` and `type` failures of the table first. Then reload the table with "
        "`NULL ''` semantics, as mimic-code's `COPY` and `mimic-qa load` do (only an unquoted empty field "
        "is NULL).",
    ),
    "empty_string": KindGuide(
        "NOT NULL text column has no zero-length string",
        "A zero-length string is not a NULL, but many CSV readers turn it into one, and then a NOT NULL "
        "constraint fails (mimic-code's DuckDB build). A load can also do the reverse and turn NULLs into "
        "empty strings (mimic-code #81), which breaks `IS NULL` filters. The real release has a few; see the "
        "known quirks.",
        "Within a known quirk's tolerance, nothing is wrong with your copy. Otherwise check how your loader "
        "maps empty fields (quoted `\"\"` is an empty string, an unquoted empty field is NULL) and reload the "
        "table.",
    ),
    "max_length": KindGuide(
        "Value fits the declared length",
        "mimic-code's `create.sql` declares `VARCHAR(n)` / `CHAR(n)` widths. A longer value makes the "
        "PostgreSQL load fail (\"value too long for type character varying(10)\", mimic-code #1770) or, in "
        "some loaders, is silently cut. A very long value can also mean that columns have shifted.",
        "Use the DDL of the release you load (mimic-code widened `admissions.language` to 25 for v3.0), or "
        "`mimic-qa load`, which takes the widths from the spec. If `columns` also fails, fix that first.",
    ),
    "pk": KindGuide(
        "Primary key unique and not NULL",
        "Duplicate key values usually mean rows loaded twice: a load that was restarted and appended, or two "
        "files of different versions loaded into one table. Every join on that key then multiplies rows.",
        "Drop and reload the table (`mimic-qa load DIR postgresql://... --tables TABLE --drop`); for a "
        "release folder, download the file again.",
    ),
    "unique": KindGuide(
        "Candidate key unique (documented, not declared)",
        "These keys are documented but not declared in `constraint.sql`, so no database enforces them. "
        "Duplicates point to double-loaded rows; the real release has some (e.g. emar_detail, mimic-code "
        "#1326), listed as known quirks.",
        "Within a known quirk's tolerance, deduplicate in your analysis if it matters. Beyond it, reload the "
        "table as for a primary key.",
    ),
    "fk": KindGuide(
        "Foreign key resolves",
        "A reference with no parent row means the parent table is missing, truncated or only partly loaded, "
        "or tables of different versions are mixed (v3.0 had a real orphan in diagnoses_icd, mimic-code "
        "#1787). Joins silently drop those rows. Every relationship the real demo holds without an orphan is an "
        "error, declared in constraint.sql or not; relationships with real orphans in the demo are known "
        "quirks, tolerated up to their measured rate.",
        "Look at the parent table's `row_count` and `file.readable` first and load it completely. After a "
        "subset load (`--tables`), load the parent tables too. Skipped, with the reason, when the parent "
        "table is not available or not among the `--tables` selected.",
    ),
    "domain": KindGuide(
        "Values in the documented domain",
        "Values outside the documented set or range come from shifted columns, a different coding, or the "
        "wrong release; plausibility ranges (e.g. ages) catch implausible but well-formed values.",
        "Fix `columns` and `type` failures first. If the checksums match and the value set is really "
        "different, report the check id and the count (not the values) to the maintainers.",
    ),
    "rule": KindGuide(
        "Row-level rule holds",
        "Time rules such as `admittime <= dischtime` hold for almost every row of the real data. The real "
        "release has documented exceptions (known quirks, shown below with their counts); far more than "
        "that usually means timestamps were converted on load (a time zone applied, a date compared with a "
        "timestamp, mimic-code #1346).",
        "Within a known quirk's tolerance you get a warning: exclude or handle those rows in your analysis. "
        "Beyond it, reload the table with `TIMESTAMP` (without time zone) columns as in the spec.",
    ),
    "row_count": KindGuide(
        "Exact row count of the release",
        "The strongest sign of a complete copy. Fewer rows: a truncated file or an interrupted load (e.g. "
        "PostgreSQL on Windows cannot COPY files over 4 GB, mimic-code #901). More rows: a table loaded "
        "twice. Many tables off at once: the wrong release; the summary then says \"this copy looks like "
        "MIMIC-IV v2.2, not MIMIC-IV v3.1\".",
        "Read the summary's release note and pass `--release` if you meant another release. Otherwise "
        "download or reload the table (`--drop` with `mimic-qa load`).",
    ),
}
