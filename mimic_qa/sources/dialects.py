"""What SQL dialects spell differently, in one place (as sqlglot keeps its dialects): the few expressions diff's
profiles need that sqlglot does not translate the way diff needs them (a t-digest sketch in DuckDB, exact
quantiles of the same grid in PostgreSQL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mimic_qa.errors import UsageError


@dataclass(frozen=True)
class Spelling:
    """One dialect's templates; ``{x}`` is the expression, ``{probs}`` a comma-separated list of probabilities."""

    name: str
    text_type: str
    quantile_list: str
    approx_distinct: str
    epoch_seconds: str
    text_cast: str
    double_cast: str

    def quantiles(self, expr: str, probs: Sequence[float]) -> str:
        """A list of quantiles of ``expr`` at ``probs``."""
        return self.quantile_list.format(x=expr, probs=", ".join(f"{p:g}" for p in probs))

    def distinct(self, expr: str) -> str:
        return self.approx_distinct.format(x=expr)

    def epoch(self, expr: str) -> str:
        return self.epoch_seconds.format(x=expr)

    def text(self, expr: str) -> str:
        return self.text_cast.format(x=expr)

    def as_double(self, expr: str) -> str:
        return self.double_cast.format(x=expr)


SPELLINGS: dict[str, Spelling] = {
    "duckdb": Spelling("duckdb", "VARCHAR",
                       quantile_list="approx_quantile(CAST({x} AS DOUBLE), [{probs}])",
                       approx_distinct="approx_count_distinct({x})",
                       epoch_seconds="epoch(CAST({x} AS TIMESTAMP))",
                       text_cast="CAST({x} AS VARCHAR)",
                       double_cast="CAST({x} AS DOUBLE)"),
    # exact quantiles (the generalized inverse of the CDF, as the sketch approximates); a cast to text drops
    # CHAR(n)'s padding
    "postgres": Spelling("postgres", "TEXT",
                         quantile_list="percentile_disc(ARRAY[{probs}]::float8[]) WITHIN GROUP (ORDER BY CAST({x} AS float8))",
                         approx_distinct="count(DISTINCT {x})",
                         epoch_seconds="extract(epoch FROM CAST({x} AS timestamp))",
                         text_cast="CAST({x} AS TEXT)",
                         double_cast="CAST({x} AS float8)"),
}


def spelling(dialect: str) -> Spelling:
    try:
        return SPELLINGS[dialect]
    except KeyError:
        raise UsageError(f"profiles are not written for {dialect} yet") from None
