"""A Parquet folder in the release layout: ``<module>/<table>.parquet`` or ``<module>/<table>/**/*.parquet``."""

from __future__ import annotations

from pathlib import Path

from mimic_qa.spec import Spec, Table


def parquet_location(root: Path, table: Table) -> str | None:
    """The file, or a glob over a partitioned folder, holding ``table`` under ``root``; None if neither exists."""
    single = root / table.module / f"{table.name}.parquet"
    if single.is_file():
        return str(single)
    folder = root / table.module / table.name
    if folder.is_dir() and any(folder.rglob("*.parquet")):
        return str(folder / "**" / "*.parquet")
    return None


def is_parquet_dir(path: Path, spec: Spec) -> bool:
    """Does ``path`` hold at least one spec table as Parquet?"""
    return any(parquet_location(path, t) for t in spec.tables.values())
