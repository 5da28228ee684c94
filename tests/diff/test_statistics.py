"""The drift statistics against exact answers computed here: KS from quantile grids, TVD, the small-cell
rule for quantiles, severities from thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from mimic_qa.diff.statistics import GRID, ks_from_quantiles, shape_numeric, shown_quantiles, tvd
from mimic_qa.diff.thresholds import Levels, Thresholds


def _exact_ks(a: np.ndarray, b: np.ndarray) -> float:
    grid = np.union1d(a, b)
    fa = np.searchsorted(np.sort(a), grid, side="right") / len(a)
    fb = np.searchsorted(np.sort(b), grid, side="right") / len(b)
    return float(np.abs(fa - fb).max())


def _disc_quantiles(x: np.ndarray) -> list[float]:
    """Exact quantiles on the grid, as the generalized inverse of the CDF (PostgreSQL's percentile_disc)."""
    return [float(v) for v in np.quantile(x, GRID, method="inverted_cdf")]


@pytest.mark.parametrize("seed", range(8))
def test_ks_from_exact_quantiles_is_within_a_grid_step(seed: int):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 1, 3000)
    b = rng.normal(rng.uniform(-1, 1), rng.uniform(0.5, 2), 2000)
    if seed % 2:  # discrete values with ties, as in seq_num or anchor_age
        a, b = np.round(a * 3), np.round(b * 3)
    estimate = ks_from_quantiles(_disc_quantiles(a), _disc_quantiles(b))
    assert abs(estimate - _exact_ks(a, b)) <= 0.01 + 1e-9


def test_ks_of_identical_and_disjoint_distributions():
    q = _disc_quantiles(np.arange(100.0))
    assert ks_from_quantiles(q, q) == 0
    assert ks_from_quantiles(q, [x + 1000 for x in q]) == 1
    assert ks_from_quantiles(q, None) is None


def test_tvd_is_half_the_l1_distance_of_shares():
    assert tvd({"x": 50, "y": 50}, {"x": 50, "y": 50}) == 0
    assert tvd({"x": 10}, {"y": 3}) == 1
    assert tvd({"x": 3, "y": 1}, {"x": 1, "y": 1}) == pytest.approx(0.25)
    assert tvd({}, {"x": 1}) is None


def test_shapes_share_the_mass_of_each_copy():
    a = _disc_quantiles(np.arange(1000.0))
    b = _disc_quantiles(np.arange(1000.0) + 500)
    sa, sb, edges = shape_numeric(a, b)
    assert sum(sa) == pytest.approx(1) and sum(sb) == pytest.approx(1)
    assert len(sa) == len(edges)  # (-inf, e0], (e0, e1], ..., up to the larger maximum
    beyond = [i for i, e in enumerate(edges) if e > max(a)]
    assert sum(sb[i] for i in beyond) == pytest.approx(0.5, abs=0.01)  # half of B lies beyond A's largest value
    assert sum(sa[i] for i in beyond) == 0
    assert max(sa) < 0.06 and max(sb) < 0.06  # each copy is spread over 5% bins


def test_quantiles_shown_only_with_ten_values_beyond_them():
    q = list(range(101))
    assert shown_quantiles(q, n=100, minimum=10) == {"p25": 25.0, "p50": 50.0, "p75": 75.0}
    assert set(shown_quantiles(q, n=1000, minimum=10) or {}) == {"p01", "p05", "p25", "p50", "p75", "p95", "p99"}
    assert shown_quantiles(q, n=15, minimum=10) is None


def test_levels_give_the_highest_severity_reached():
    levels = Levels(info=0.01, warning=0.1, error=0.2)
    assert levels.severity(0) is None and levels.severity(0.005) is None
    assert levels.severity(0.01) == ("info", 0.01)
    assert levels.severity(0.15) == ("warning", 0.1)
    assert levels.severity(0.2) == ("error", 0.2)
    tight = Thresholds().with_levels("ks", 0.02, 0.04)
    assert tight.ks.severity(0.03) == ("warning", 0.02) and tight.ks.info == 0.02
    with pytest.raises(ValueError):
        Thresholds().with_levels("nonsense", 0.1, 0.2)


def test_tvd_in_the_engine_is_none_where_a_copy_has_no_value(tmp_path):
    """A categorical column NULL throughout one copy has no distribution there: no TVD (as ``tvd`` above), no
    shape; the NULL rate carries the change. Where both copies have values, the engine's TVD is ``tvd``'s."""
    import duckdb

    from mimic_qa.diff import compare
    from mimic_qa.spec import load_spec

    patients = load_spec().tables["patients"]
    cols = ", ".join(f'"{c.name}" {c.sql_type("duckdb")}' for c in patients.columns)
    rows = {"a": [(i, "F" if i % 3 else "M", 40, 2150, "2014 - 2016", None) for i in range(60)],
            "b": [(i, "F" if i % 2 else "M", 40, 2150, None, None) for i in range(60)]}
    for label, values in rows.items():
        con = duckdb.connect(str(tmp_path / f"{label}.duckdb"))
        con.execute(f"CREATE SCHEMA mimiciv_hosp; CREATE TABLE mimiciv_hosp.patients ({cols})")
        con.executemany(f"INSERT INTO mimiciv_hosp.patients VALUES ({', '.join('?' * len(patients.columns))})", values)
        con.close()
    result = compare(tmp_path / "a.duckdb", tmp_path / "b.duckdb", tables=["patients"])
    group = result.column("patients", "anchor_year_group")
    assert group.role == "categorical" and group.null_rate_delta == 1
    assert group.tvd is None and group.shape is None
    assert not [s for s in result.statistics() if s.column == "anchor_year_group" and s.statistic == "tvd"]
    gender = result.column("patients", "gender")
    assert gender.tvd == pytest.approx(tvd({"F": 40, "M": 20}, {"F": 30, "M": 30}))
