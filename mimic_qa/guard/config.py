"""The guard's configuration file (YAML): allowed paths and the row threshold.

Found as ``.mimic-qa-guard.yaml`` at the repository root (outside git: the current directory), or given
with ``--config``::

    allow:            # never flagged: fnmatch patterns on '/'-separated paths relative to the root
      - tests/fixtures/*   # '*' also crosses '/', so this allows everything below
    min_rows: 5       # rows that must look like MIMIC before a file or output is flagged
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mimic_qa.errors import UsageError

CONFIG_NAME = ".mimic-qa-guard.yaml"
DEFAULT_MIN_ROWS = 5


class GuardConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    allow: list[str] = Field(default_factory=list)
    min_rows: int = Field(DEFAULT_MIN_ROWS, ge=1)

    def allowed(self, rel: str) -> bool:
        """Whether a root-relative path matches an allow pattern (a pattern ending in '/' allows a folder)."""
        for pattern in self.allow:
            if pattern.endswith("/"):
                if rel.startswith(pattern) or fnmatchcase(rel, pattern + "*"):
                    return True
            elif fnmatchcase(rel, pattern):
                return True
        return False


def load_config(explicit: Path | None, root: Path) -> GuardConfig:
    """``--config FILE`` if given, else ``.mimic-qa-guard.yaml`` at the root, else the defaults."""
    path = explicit if explicit is not None else root / CONFIG_NAME
    if explicit is None and not path.is_file():
        return GuardConfig.model_validate({})
    if not path.is_file():
        raise UsageError(f"{path}: config file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise UsageError(f"{path}: bad config: expected a mapping with 'allow' and/or 'min_rows'")
        return GuardConfig.model_validate(data)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: bad config: not valid YAML ({type(exc).__name__})") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "config"
        raise UsageError(f"{path}: bad config: {where}: {err['msg']}") from None
