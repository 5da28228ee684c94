"""A site's configuration, checked whole before anything runs: every CLI default, the waivers, the site's tables
and its local checks. Each bad key is one line naming the file and the key; all of them are reported at once.

    release = "demo-2.2"
    exclude-tables = ["chartevents"]
    fail-on = "error"
    history = "qa-history"            # relative paths are relative to the file's folder

    [outputs]
    json = "out/results.json"
    report-dir = "out/report"

    [[waivers]]
    check = "local.icustays.unique.hadm_id"   # an id, or a glob of ids
    reason = "..."
    owner = "data-team"
    expires = 2026-12-31
    max-failing-rows = 20                     # or max-failing-fraction = 0.1

    [site-tables.first_icu_stay]
    schema = "mimiciv_derived"
    columns = ["subject_id", "hadm_id", "stay_id"]

    [[local-checks]]
    kind = "pk"
    table = "first_icu_stay"
    columns = ["subject_id"]
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import sqlglot
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mimic_qa.config.file import read_config
from mimic_qa.config.local_checks import LocalChecks, LocalKind, SiteTable, local_check
from mimic_qa.errors import UsageError
from mimic_qa.results.model import Waiver
from mimic_qa.selection import ENGINES, unknown_tables
from mimic_qa.spec import Spec, load_spec
from mimic_qa.spec.severity import Severity, SeverityName


class ConfigError(UsageError):
    """A configuration file with bad keys: one line per problem."""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=lambda n: n.rstrip("_").replace("_", "-"))


class Outputs(_Entry):
    json_: str | None = None
    junit: str | None = None
    report_dir: str | None = None


class WaiverEntry(_Entry):
    check: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    expires: date
    max_failing_rows: int | None = Field(default=None, ge=0)
    max_failing_fraction: float | None = Field(default=None, gt=0, le=1)


class SiteTableEntry(_Entry):
    schema_: str = Field(min_length=1)
    columns: list[str] = Field(min_length=1)
    description: str = ""


# the fields each kind takes besides kind, table, name, severity and description (a ? marks an optional one)
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "not_null": ("column",), "unique": ("columns",), "pk": ("columns",),
    "fk": ("columns", "ref_table", "ref_columns?", "where?"),
    "domain": ("column", "values?", "min?", "max?", "pattern?", "case_insensitive?"),
    "rule": ("name", "expr"), "row_count": ("rows",), "identity": ("columns", "ref_table"),
}
COMMON = ("kind", "table", "name", "severity", "description")


class LocalCheckEntry(_Entry):
    kind: LocalKind
    table: str = Field(min_length=1)
    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_]+$")
    severity: SeverityName = "error"
    description: str | None = None
    column: str | None = None
    columns: list[str] | None = Field(default=None, min_length=1)
    ref_table: str | None = None
    ref_columns: list[str] | None = None
    where: str | None = None
    values: list[str | int] | None = None
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    case_insensitive: bool = False
    expr: str | None = None
    rows: int | None = Field(default=None, ge=0)

    @field_validator("values", mode="before")
    @classmethod
    def _text_or_whole_numbers(cls, values: Any) -> Any:
        if isinstance(values, list) and not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
            raise ValueError("values must be text or whole numbers")
        return values

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> LocalCheckEntry:
        takes = KIND_FIELDS[self.kind]
        allowed = {f.rstrip("?") for f in takes} | set(COMMON)
        given = {f for f in self.model_fields_set if f not in COMMON}
        stray = sorted(given - allowed)
        if stray:
            raise ValueError(f"{', '.join(_key(f) for f in stray)} {'does' if len(stray) == 1 else 'do'} not apply to a "
                             f"{self.kind} check "
                             f"(it takes {', '.join(_key(f.rstrip('?')) for f in takes)})")
        missing = [_key(f) for f in takes if not f.endswith("?") and getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.kind} check needs {', '.join(missing)}")
        if self.kind == "domain" and [self.values is not None, self.min is not None or self.max is not None,
                                      self.pattern is not None].count(True) != 1:
            raise ValueError("a domain check takes exactly one of values, min/max, pattern")
        if self.kind == "identity" and len(self.columns or []) < 2:
            raise ValueError("an identity check needs two columns or more: the identifiers, then the key")
        return self

    @property
    def column_list(self) -> list[str]:
        return [self.column] if self.column else list(self.columns or [])


class ConfigFile(_Entry):
    release: str | None = None
    tables: list[str] | None = None
    exclude_tables: list[str] | None = None
    fail_on: SeverityName | None = None
    engine: Literal[ENGINES] | None = None  # type: ignore[valid-type]
    checks: Literal["all", "sql"] | None = None
    history: str | None = None
    outputs: Outputs = Outputs()
    waivers: list[WaiverEntry] = Field(default_factory=list)
    site_tables: dict[str, SiteTableEntry] = Field(default_factory=dict)
    local_checks: list[LocalCheckEntry] = Field(default_factory=list)


# settings as the file spells them, in the order ``mimic-qa config`` shows them
SETTINGS = ("release", "tables", "exclude-tables", "fail-on", "engine", "checks", "history",
            "outputs.json", "outputs.junit", "outputs.report-dir")
PATH_SETTINGS = ("history", "outputs.json", "outputs.junit", "outputs.report-dir")


@dataclass(frozen=True)
class SiteConfig:
    """A checked configuration file: the defaults it sets (by setting name, paths made absolute), its waivers and
    its local checks."""

    path: Path
    settings: dict[str, Any]
    waivers: tuple[Waiver, ...]
    local: LocalChecks

    def options(self) -> dict[str, Any]:
        """The file's settings as ``mimic_qa.validate`` keywords (the outputs are the CLI's)::

            site = load_config("mimic-qa.toml")
            mimic_qa.validate("mimic.duckdb", config=site, **site.options())
        """
        names = {"release": "release", "tables": "tables", "exclude-tables": "exclude_tables", "fail-on": "fail_on",
                 "engine": "engine", "checks": "checks", "history": "history"}
        return {names[k]: v for k, v in self.settings.items() if k in names}


def _key(field: str) -> str:
    return field.rstrip("_").replace("_", "-")


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "file"


def _known_keys(model: type[BaseModel]) -> list[str]:
    return [_key(name) for name in model.model_fields]


def _structure_problems(exc: ValidationError, data: dict[str, Any]) -> list[str]:
    """Pydantic's errors as ``key: problem`` lines, an unknown key with its nearest known one."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        tail = _where(loc[2:]) if loc[2:] else ""
        where = _where(loc[:2]) + _entry_label(data, loc) + (f".{tail}" if tail else "")
        if err["type"] == "extra_forbidden":
            parents: dict[str, type[BaseModel]] = {"outputs": Outputs, "waivers": WaiverEntry,
                                                   "site-tables": SiteTableEntry, "local-checks": LocalCheckEntry}
            parent = parents.get(str(loc[0]) if len(loc) > 1 else "", ConfigFile)
            close = difflib.get_close_matches(str(loc[-1]), _known_keys(parent), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(f"{where}: unknown key{hint}")
        elif loc[-1:] == ("expires",):
            problems.append(f"{where}: must be a date, written 2026-12-31 (got {err['input']!r})")
        else:
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {msg}" + (f" (got {err['input']!r})" if err["type"] == "literal_error" else ""))
    return problems


def _entry_label(data: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """`` (pk on cohort)`` after ``local-checks[2]``, from what the file says."""
    if len(loc) < 2 or loc[0] != "local-checks" or not isinstance(loc[1], int):
        return ""
    entries = data.get("local-checks")
    entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
    return f" ({entry.get('kind')} on {entry.get('table')})" if isinstance(entry, dict) else ""


def _check_tables(key: str, names: list[str] | None, spec: Spec) -> list[str]:
    return [f"{key}: unknown table {n!r}" + (f" (did you mean {close}?)" if close else "")
            for n, close in unknown_tables(spec, names or []).items()]


def _did_you_mean(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _release_problem(release: str | None, spec: Spec, folder: Path) -> list[str]:
    if release is None or release in spec.validatable_releases:
        return []
    if release.endswith(".json"):
        return [] if (folder / release).is_file() else [f"release: no release file at {folder / release}"]
    return [f"release: unknown release {release!r}; choose one of: {', '.join(spec.validatable_releases)}, "
            "or a release file (JSON)"]


def _local(cfg: ConfigFile, spec: Spec, path: Path) -> tuple[LocalChecks, list[str]]:
    """The site's tables and checks, or the problems of each bad entry."""
    problems: list[str] = []
    site: dict[str, SiteTable] = {}
    for name, t in cfg.site_tables.items():
        if name in spec.tables:
            problems.append(f"site-tables.{name}: a MIMIC table has this name; give the site's table another")
        else:
            site[name] = SiteTable(name, t.schema_, tuple(t.columns), t.description)
    local_spec = spec.model_copy(update={"tables": {**spec.tables, **{n: s.as_table() for n, s in site.items()}}})
    checks = []
    for i, entry in enumerate(cfg.local_checks):
        where = f"local-checks[{i}] ({entry.kind} on {entry.table})"
        found = _entry_problems(entry, local_spec, site)
        if found:
            problems += [f"{where}: {p}" for p in found]
            continue
        params = {"ref_table": entry.ref_table, "ref_columns": entry.ref_columns or entry.column_list,
                  "where": entry.where, "values": entry.values, "min": entry.min, "max": entry.max,
                  "pattern": entry.pattern, "case_insensitive": entry.case_insensitive, "expr": entry.expr,
                  "rows": entry.rows}
        checks.append(local_check(local_spec, entry.table, entry.kind, entry.column_list, params, entry.severity,
                                  entry.name, entry.description, str(path)))
    seen: dict[str, int] = {}
    for i, c in enumerate(checks):
        if c.id in seen:
            problems.append(f"local-checks: two checks have the id {c.id}; give one a name")
        seen[c.id] = i
    return LocalChecks(local_spec, tuple(checks), site), problems


def _entry_problems(entry: LocalCheckEntry, spec: Spec, site: dict[str, SiteTable]) -> list[str]:
    """What names a table, a column or SQL that does not exist or parse."""
    table = spec.tables.get(entry.table)
    if table is None:
        return [f"table {entry.table!r} is neither a MIMIC table nor one of site-tables"
                + _did_you_mean(entry.table, spec.tables)]
    problems = [f"{table.name} has no column {c!r}" + _did_you_mean(c, table.column_names)
                for c in entry.column_list if c not in table.column_names]
    if entry.ref_table is not None:
        ref = spec.tables.get(entry.ref_table)
        if ref is None:
            problems.append(f"ref-table {entry.ref_table!r} is neither a MIMIC table nor one of site-tables"
                            + _did_you_mean(entry.ref_table, spec.tables))
        else:
            wanted = entry.ref_columns or entry.column_list
            problems += [f"{ref.name} has no column {c!r}" for c in wanted if c not in ref.column_names]
            if entry.ref_columns is not None and len(entry.ref_columns) != len(entry.column_list):
                problems.append("ref-columns must name as many columns as columns")
    for key, sql in (("expr", entry.expr), ("where", entry.where)):
        if sql is not None:
            try:
                sqlglot.parse_one(sql, read="duckdb")
            except sqlglot.errors.SqlglotError:
                problems.append(f"{key} is not a SQL condition DuckDB's dialect reads")
    return problems


def load_config(path: Path, spec: Spec | None = None) -> SiteConfig:
    """The configuration in ``path``, checked whole: a ``ConfigError`` with one line per bad key otherwise."""
    path = Path(path).expanduser().resolve()
    data = read_config(path)
    spec = spec or load_spec()
    try:
        cfg = ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("\n".join(f"{path}: {p}" for p in _structure_problems(exc, data))) from None
    problems = _check_tables("tables", cfg.tables, spec) + _check_tables("exclude-tables", cfg.exclude_tables, spec)
    problems += _release_problem(cfg.release, spec, path.parent)
    local, found = _local(cfg, spec, path)
    problems += found
    if problems:
        raise ConfigError("\n".join(f"{path}: {p}" for p in problems))
    values: dict[str, Any] = {"release": cfg.release, "tables": cfg.tables, "exclude-tables": cfg.exclude_tables,
              "fail-on": Severity(cfg.fail_on) if cfg.fail_on else None, "engine": cfg.engine, "checks": cfg.checks,
              "history": cfg.history, "outputs.json": cfg.outputs.json_, "outputs.junit": cfg.outputs.junit,
              "outputs.report-dir": cfg.outputs.report_dir}
    if cfg.release and cfg.release.endswith(".json"):
        values["release"] = str(path.parent / cfg.release)
    for key in PATH_SETTINGS:
        if values[key] is not None and values[key] != "-":
            values[key] = str((path.parent / Path(values[key]).expanduser()).resolve())
    waivers = tuple(Waiver(**w.model_dump()) for w in cfg.waivers)
    return SiteConfig(path, {k: v for k, v in values.items() if v is not None}, waivers, local)
