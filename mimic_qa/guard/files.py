"""Which files a scan reads: the git work tree (respecting .gitignore), given paths, or staged files.

``--staged`` reads the work-tree copy of each staged file (as pre-commit does, after stashing
unstaged changes).

Also: the synthetic marker. Files under a directory holding ``SYNTH_MARKER`` (itself or an
ancestor, up to the scan root) were written by ``mimic-qa synth`` and are not flagged.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from mimic_qa.errors import UsageError
from mimic_qa.sources.layout import SYNTH_MARKER


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None
    return done.stdout if done.returncode == 0 else None


def git_root(cwd: Path) -> Path | None:
    out = _git(cwd, "rev-parse", "--show-toplevel")
    return Path(out.strip()) if out else None


def _git_files(repo: Path, *args: str) -> list[Path]:
    out = _git(repo, *args)
    if out is None:
        raise UsageError(f"{repo}: git could not list the files")
    return [repo / name for name in out.split("\0") if name]


def _tracked_and_untracked(repo: Path, under: Path) -> list[Path]:
    return _git_files(repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--",
                      os.path.relpath(under, repo))


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        yield from (Path(dirpath) / f for f in sorted(filenames))


def select_files(paths: list[Path], staged: bool, cwd: Path) -> tuple[Path, list[Path]]:
    """The scan root and the files to read (absolute, regular files only, in a stable order)."""
    cwd = cwd.resolve()
    for p in paths:
        if not (cwd / p).exists():
            raise UsageError(f"{p}: no such file or directory")
    targets = [(cwd / p).resolve() for p in paths]
    repo = git_root(cwd)
    root = repo or cwd
    if staged:
        if repo is None:
            raise UsageError(f"{cwd}: --staged needs a git repository")
        names = ["--", *(os.path.relpath(p, repo) for p in targets)] if targets else []
        return root, _regular(_git_files(repo, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", *names))
    if not targets:
        return root, _regular(_tracked_and_untracked(repo, repo) if repo else list(_walk(cwd)))
    files: list[Path] = []
    for p in targets:
        if p.is_file():
            files.append(p)
            continue
        inner = git_root(p)
        files += _tracked_and_untracked(inner, p) if inner else list(_walk(p))
    return root, _regular(files)


def _regular(files: list[Path]) -> list[Path]:
    seen: set[Path] = set()
    out = []
    for f in files:
        if f not in seen and f.is_file() and not f.is_symlink():
            seen.add(f)
            out.append(f)
    return out


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` ('/'-separated); both are absolute, so no filesystem call is needed."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


class SyntheticMarkers:
    """Answers "was this file written by ``mimic-qa synth``?" with one stat per directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def covers(self, path: Path) -> bool:
        return self._dir_covered(path.parent)

    @cache  # noqa: B019  (one instance per scan)
    def _dir_covered(self, folder: Path) -> bool:
        if (folder / SYNTH_MARKER).is_file():
            return True
        if folder == self.root or folder.parent == folder or self.root not in folder.parents:
            return False
        return self._dir_covered(folder.parent)
