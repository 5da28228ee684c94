"""Drift statistics from the summaries the engine returns: quantile sketches and frequency tables.

**Kolmogorov-Smirnov from quantiles.** Each copy returns its quantiles q_0 <= ... <= q_G at p_i = i / G
(G = 100). Since Q(p) <= x exactly when p <= F(x), the CDF at any x lies in [p_k, p_(k+1)) where k is the
last quantile <= x. Both CDFs are estimated by the middle of that interval at every knot (every quantile
of either copy; between knots neither interval changes), and KS is the largest difference of the two
estimates. Each estimate is within 1 / (2G) of the true CDF, so the distance is within 1 / G = 0.01 of the
exact two-sample statistic when the quantiles are exact (PostgreSQL's percentile_disc), plus the rank error of
DuckDB's t-digest sketch (approx_quantile, well under 0.01 for the middle of the distribution and smaller at
the tails). The tests compare it with the exact statistic. The sketch interpolates between values (it puts
the k-th of n values at (k - 0.5) / n) where exact quantiles step, so between a DuckDB copy and a PostgreSQL
copy the two conventions add up to 1 / (2n) for n values: at most 0.01 from ``min_values`` (50) values on.

**Total variation distance** is exact: half the sum of the absolute differences of the two copies' shares
over all values (``categorical`` in SQL in the workspace; items and units here).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import TypeVar

GRID = tuple(i / 100 for i in range(101))  # quantile probabilities every sketch is taken at
SHAPE_STEP = 5  # the pictures' bins: between both copies' quantiles at every 5%
SHOWN = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)  # quantiles written with show_values (small cells allowing)

K = TypeVar("K")


def cdf_mid(quantiles: Sequence[float], x: float) -> float:
    """The middle of the interval the CDF at ``x`` must lie in, given quantiles on an even grid."""
    g = len(quantiles) - 1
    k = bisect_right(quantiles, x)  # quantiles[0..k-1] <= x
    if k == 0:
        return 0.0
    if k > g:
        return 1.0
    return (k - 0.5) / g


def ks_from_quantiles(qa: Sequence[float] | None, qb: Sequence[float] | None) -> float | None:
    """Estimated KS distance of two distributions given by quantiles on the same even grid (None if either
    copy has no values)."""
    if not qa or not qb or any(v is None for v in (*qa, *qb)):
        return None
    a, b = sorted(qa), sorted(qb)  # sketches are monotone up to rounding; keep bisect valid
    return round(max(abs(cdf_mid(a, x) - cdf_mid(b, x)) for x in set(a) | set(b)), 6)


def convention_margin(n: int | None) -> float:
    """How far two engines' KS estimates of the same ``n`` values can lie apart: a sketch that interpolates puts
    the k-th value at (k - 0.5) / n, exact quantiles step at k / n, so their CDFs differ by up to 1 / (2n) (0.25
    for an item with 2 values). Diff judges a KS estimate less this margin: equal data on DuckDB and PostgreSQL
    is no finding, however few its values."""
    return 1 / (2 * n) if n else 0.0


def tvd(a: Mapping[K, int], b: Mapping[K, int]) -> float | None:
    """Total variation distance of two frequency tables (None if either is empty)."""
    na, nb = sum(a.values()), sum(b.values())
    if not na or not nb:
        return None
    return 0.5 * sum(abs(a.get(k, 0) / na - b.get(k, 0) / nb) for k in set(a) | set(b))


def shape_numeric(qa: Sequence[float], qb: Sequence[float]) -> tuple[list[float], list[float], list[float]]:
    """Each copy's share of values per bin, the bins cut at both copies' quantiles at every 5% (ties merged):
    (-inf, e0], (e0, e1], ..., (e_(last-1), e_last], where e0 is the smaller minimum and e_last the larger
    maximum. Values that differ land in different bins, however little the copies overlap (cut at A's quantiles
    alone, two copies of one value each, far apart, shared a bin: two bars at 100% for a KS distance of 1).
    Returns (shares of A, shares of B, the edges e)."""
    a, b = sorted(qa), sorted(qb)
    edges = sorted(set(a[::SHAPE_STEP]) | set(b[::SHAPE_STEP]) | {a[-1], b[-1]})

    def shares(q: list[float]) -> list[float]:
        cdf = [cdf_mid(q, e) for e in edges]
        return [cdf[0]] + [max(cdf[i + 1] - cdf[i], 0.0) for i in range(len(edges) - 1)]

    return shares(a), shares(b), edges


def shown_quantiles(quantiles: Sequence[float] | None, n: int, minimum: int) -> dict[str, float] | None:
    """The quantiles that may be shown under the small-cell rule: q_p only when at least ``minimum`` values
    lie on each side of it (p * n >= minimum and (1 - p) * n >= minimum), so no quantile is one of the
    few most extreme values."""
    if not quantiles:
        return None
    g = len(quantiles) - 1
    out = {f"p{round(p * 100):02d}": float(quantiles[round(p * g)]) for p in SHOWN
           if min(p, 1 - p) * n >= minimum and quantiles[round(p * g)] is not None}
    return out or None
