"""Tests of benchmarks/panel_indicators.py, the indicators the study's steps do not call: hand-computed
cases, peers' published examples (EconGeo, REAT), properties, and the long tables against the wide
matrices. They were part of tests/test_indicators.py; the tolerances are the same.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from analysis import indicators as ind
from analysis.indicators import MissingDataWarning
from benchmarks import panel_indicators as pind

# Any warning is an error here (numpy's divide-by-zero included); expected ones use pytest.warns.
pytestmark = pytest.mark.filterwarnings("error")

EXACT = 1e-12


def make_long(
    n_regions: int = 85, n_activities: int = 100, n_years: int = 20, seed: int = 2018
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx = pd.MultiIndex.from_product(
        [
            range(2000, 2000 + n_years),
            [f"r{i:02d}" for i in range(n_regions)],
            [f"a{j:03d}" for j in range(n_activities)],
        ],
        names=["year", "region", "activity"],
    )
    values = rng.gamma(0.8, 100.0, len(idx)) * (rng.random(len(idx)) > 0.1)  # ~10 % zeros
    return pd.DataFrame({"value": values}, index=idx).reset_index()


def wide(long: pd.DataFrame, year: int, value: str = "value") -> pd.DataFrame:
    return long[long["year"] == year].pivot(index="region", columns="activity", values=value)


# ------------------------------------------------------------------ published peer examples
def test_econgeo_location_quotient(econgeo):
    expected = [
        [5, 0, 0, 0, 0],
        [0, 0.75, 0.25, 3.5, 0.5],
        [0, 1, 0.5, 1, 2.5],
        [0, 1.25, 1.5, 0.25, 2],
        [0, 2, 2.75, 0.25, 0],
    ]
    lq = pind.location_quotient(econgeo)
    assert isinstance(lq, pd.DataFrame) and lq.index.equals(econgeo.index)
    np.testing.assert_allclose(lq.to_numpy(), expected, rtol=0, atol=EXACT)


def test_econgeo_herfindahl_on_fractions(econgeo):
    h = ind.hhi(pind.shares(econgeo, scale=1), scale=1)
    assert h.tolist() == pytest.approx([1, 0.525, 0.34, 0.315, 0.465], abs=EXACT)


def test_econgeo_krugman_index_reference_includes_the_region(econgeo):
    k = pind.krugman_index(econgeo)
    assert k.tolist() == pytest.approx([1.6, 1.0, 0.6, 0.7, 1.1], abs=EXACT)
    # the reference is the total of ALL regions: with the rest only, R1 would score 2.0
    rest = econgeo.iloc[1:].sum() / econgeo.iloc[1:].to_numpy().sum()
    assert np.abs(econgeo.iloc[0] / 100 - rest).sum() == pytest.approx(2.0)


def test_econgeo_hachman_by_hand(econgeo):
    # every industry holds 1/5 of the total, so HI_r = 1 / (5 * sum_i s_ri^2)
    expected = [1 / (5 * h) for h in (1, 0.525, 0.34, 0.315, 0.465)]
    assert pind.hachman_index(econgeo).tolist() == pytest.approx(expected, abs=EXACT)


def test_reat_herf_and_normalised():
    """REAT (Wieland): herf(c(20,50,20,10)) = 0.34, normalised (coefnorm) 0.12."""
    x = [20, 50, 20, 10]
    assert ind.hhi(pind.shares(x, scale=1), scale=1) == pytest.approx(0.34, abs=EXACT)
    assert ind.hhi(pind.shares(x)) == pytest.approx(3400, abs=1e-9)
    assert ind.hhi_normalised(pind.shares(x)) == pytest.approx(0.12, abs=EXACT)
    assert ind.hhi_normalised(pind.shares(x, scale=1), scale=1) == pytest.approx(0.12, abs=EXACT)
    assert ind.equivalent_number(pind.shares(x)) == pytest.approx(1 / 0.34, abs=EXACT)


def test_reat_gini():
    """REAT (Wieland): gini(c(20,50,20,10)) = 0.3 (coefnorm=FALSE); coefnorm=TRUE: 0.3*4/3."""
    assert pind.gini([20, 50, 20, 10]) == pytest.approx(0.3, abs=EXACT)
    assert pind.gini([20, 50, 20, 10], normalised=True) == pytest.approx(0.4, abs=EXACT)


def test_econgeo_gini_example_by_hand():
    # EconGeo Gini documentation vector; its trapezoid formula gives 1.2 - 0.72 = 0.48
    assert pind.gini([0, 10, 10, 30, 50]) == pytest.approx(0.48, abs=EXACT)
    assert pind.gini([0, 0, 0, 0, 7]) == pytest.approx(4 / 5, abs=EXACT)  # max (n-1)/n


# -------------------------------------------------------------------- hand-computed cases
def test_shares_vector_matrix_and_explicit_total():
    assert pind.shares([1, 3]).tolist() == [25.0, 75.0]
    assert pind.shares(pd.Series([1.0, 3.0], index=["a", "b"]), scale=1)["b"] == 0.75
    # a Rosstat-like total including unlisted activities
    assert pind.shares([10, 30], total=200).tolist() == pytest.approx([5.0, 15.0])
    df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 2.0]}, index=["x", "y"])
    assert pind.shares(df).loc["y"].tolist() == [50.0, 50.0]
    assert pind.shares(df, axis=0)["a"].tolist() == pytest.approx([100 / 3, 200 / 3])
    tot = pd.Series({"y": 8.0, "x": 10.0})  # aligned by label, not position
    assert pind.shares(df, tot).loc["x"].tolist() == [10.0, 30.0]


def test_location_quotient_with_explicit_rosstat_totals():
    # region: A=30, B=10 of a total 50 (other activities unlisted); Russia: A=300, B=200 of 1000
    lq = pind.location_quotient(
        pd.Series([30.0, 10.0], index=["A", "B"]),
        region_total=50,
        activity_total=pd.Series({"B": 200.0, "A": 300.0}),
        total=1000,
    )
    assert lq["A"] == pytest.approx(2.0, abs=EXACT) and lq["B"] == pytest.approx(1.0, abs=EXACT)
    # only x_i passed: x_r = 40 (listed), x = 500: LQ_A = (30/40)/(300/500) = 1.25
    lq = pind.location_quotient([30.0, 10.0], activity_total=[300.0, 200.0])
    assert lq.tolist() == pytest.approx([1.25, 0.625], abs=EXACT)


def test_location_quotient_vector_matches_matrix_row(econgeo):
    row = pind.location_quotient(econgeo.loc["R3"], activity_total=econgeo.sum())
    pd.testing.assert_series_equal(row, pind.location_quotient(econgeo).loc["R3"], rtol=1e-12)


# --------------------------------------------------------------------- missing and zero data
def test_location_quotient_one_missing_cell_stays_local(econgeo):
    m = econgeo.copy()
    m.loc["R2", "I3"] = np.nan
    with pytest.warns(MissingDataWarning, match=r"\('R2', 'I3'\)"):
        lq = pind.location_quotient(m)
    assert lq.isna().to_numpy().sum() == 1 and math.isnan(lq.loc["R2", "I3"])
    # documented: the other cells are the LQ of the matrix with the unknown cell set to 0
    with_zero = pind.location_quotient(m.fillna(0.0))
    mask = ~lq.isna()
    np.testing.assert_allclose(lq[mask].to_numpy(), with_zero[mask].to_numpy(), atol=EXACT)


def test_location_quotient_missing_cell_with_passed_totals_is_exact(econgeo):
    m = econgeo.copy()
    m.loc["R2", "I3"] = np.nan
    lq = pind.location_quotient(
        m, region_total=econgeo.sum(axis=1), activity_total=econgeo.sum(), total=500.0
    )  # no warning
    full = pind.location_quotient(econgeo)
    assert math.isnan(lq.loc["R2", "I3"])
    full.loc["R2", "I3"] = np.nan
    pd.testing.assert_frame_equal(lq, full, rtol=1e-12)


def test_krugman_and_hachman_nan_rows(econgeo):
    m = econgeo.copy()
    m.loc["R2", "I3"] = np.nan
    with pytest.warns(MissingDataWarning):
        k = pind.krugman_index(m, activity_total=econgeo.sum())
    assert k.isna().tolist() == [False, True, False, False, False]
    assert k["R3"] == pytest.approx(0.6, abs=EXACT)  # other rows exact, x_i passed
    with pytest.warns(MissingDataWarning):
        assert pind.hachman_index(m).isna().sum() == 1


def test_shares_missing_part_warns_and_stays_local():
    with pytest.warns(MissingDataWarning, match="1 cell"):
        s = pind.shares([1.0, np.nan, 3.0])
    assert math.isnan(s[1]) and s[[0, 2]].tolist() == [25.0, 75.0]
    assert pind.shares([1.0, np.nan, 3.0], total=8.0)[2] == 37.5  # total passed: no warning


def test_dynamics_with_gaps():
    assert ind.chain_index([110, np.nan, 105]).tolist()[0] == pytest.approx(110.0)
    assert np.isnan(ind.chain_index([110, np.nan, 105])[1:]).all()  # the chain is broken
    assert math.isnan(ind.growth_rate([100, 120, np.nan]))
    assert ind.growth_rate([100, 120, np.nan], skipna=True) == pytest.approx(20.0)
    assert math.isnan(ind.growth_rate([np.nan, 120, np.nan], skipna=True))  # one known value
    assert math.isnan(pind.gini([1.0, np.nan])) and pind.gini(
        [1.0, np.nan, 3.0], skipna=True
    ) == pytest.approx(0.25)


def test_zero_denominators_give_nan_silently():
    lq = pind.location_quotient(pd.DataFrame([[0.0, 0.0], [1.0, 0.0]]))
    assert lq.isna().to_numpy().tolist() == [[True, True], [False, True]] and lq.iloc[1, 0] == 1
    assert math.isnan(pind.gini([0.0, 0.0])) and math.isnan(pind.gini([3.0], normalised=True))
    assert pind.shares(pd.DataFrame([[0.0, 0.0]])).isna().all(axis=None)
    assert pind.hachman_index(pd.DataFrame([[1.0, 0.0], [1.0, 0.0]])).tolist() == [1.0, 1.0]


# --------------------------------------------------------------------------- bad input
def test_negative_message_names_the_cell(econgeo):
    m = econgeo.copy()
    m.loc["R4", "I2"] = -1.0
    with pytest.raises(ValueError, match=r"\('R4', 'I2'\)"):
        pind.location_quotient(m)


def test_location_quotient_argument_errors():
    with pytest.raises(ValueError, match="pass total"):
        pind.location_quotient(pd.DataFrame([[1.0, 2.0]]), region_total=[5.0], activity_total=[2.0, 3.0])
    with pytest.raises(ValueError, match="activity_total"):
        pind.location_quotient([1.0, 2.0])
    with pytest.raises(ValueError, match="no value for"):
        pind.location_quotient(
            pd.DataFrame([[1.0]], index=["a"]),
            region_total=pd.Series({"b": 1}),
            activity_total=[1.0],
            total=1.0,
        )


@pytest.mark.parametrize(
    "call",
    [
        lambda: pind.shares([1.0, -1.0]),
        lambda: pind.gini([1.0, -2.0]),
        lambda: pind.location_quotient(pd.DataFrame([[1.0, -2.0], [1.0, 1.0]])),
    ],
)
def test_negative_values_raise(call):
    with pytest.raises(ValueError, match="non-negative"):
        call()


def test_shares_above_scale_and_parts_above_totals_raise():
    with pytest.raises(ValueError, match="sum to more than their total"):
        pind.shares([5.0, 6.0], total=10.0)  # each part fits, their sum does not
    with pytest.raises(ValueError, match="sum to more than their total"):
        pind.shares_long(
            pd.DataFrame({"g": ["a", "a"], "value": [5.0, 6.0], "t": 10.0}), within="g", total="t"
        )
    with pytest.raises(ValueError, match="sum to more than its total x_r"):
        pind.location_quotient([5.0, 6.0], region_total=10.0, activity_total=[10, 10], total=30)
    with pytest.raises(ValueError, match="sum to more than the total x"):
        pind.location_quotient([5.0, 6.0], activity_total=[10, 10], total=15)
    with pytest.raises(ValueError, match="sum to more than its total x_i"):
        pind.location_quotient(pd.DataFrame([[5.0], [6.0]]), activity_total=[10.0])


# ------------------------------------------------------------------------------ properties
fractions = st.lists(st.floats(0.001, 1e6, allow_subnormal=False), min_size=1, max_size=40)


@given(fractions)
def test_hhi_bounds_on_percent_shares(w):
    s = pind.shares(w)  # per cent, summing to 100
    n = len(w)
    h = ind.hhi(s)
    assert 10_000 / n * (1 - 1e-9) <= h <= 10_000 * (1 + 1e-9)
    assert -1e-9 <= ind.equivalent_number(s) - 1 <= n - 1 + 1e-9


@given(fractions, st.randoms(use_true_random=False))
def test_permutation_invariance(w, rnd):
    p = list(w)
    rnd.shuffle(p)
    for f in (ind.hhi, pind.gini, ind.entropy_index):
        a, b = f(pind.shares(w)), f(pind.shares(p))
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12)


@given(fractions)
def test_gini_bounds(w):
    n = len(w)
    assert -1e-12 <= pind.gini(w) <= (n - 1) / n + 1e-12
    if n > 1:
        assert pind.gini(w, normalised=True) <= 1 + 1e-12


# economic magnitudes: exact zeros, else 1e-6..1e6 (near 1e-308 ratios overflow to NaN)
matrices = arrays(
    np.float64,
    st.tuples(st.integers(1, 7), st.integers(1, 7)),
    elements=st.one_of(st.just(0.0), st.floats(1e-6, 1e6)),
)


@given(matrices)
def test_lq_weighted_means_are_one(m):
    """sum_i (x_i/x) LQ_ri = 1 for each region; sum_r (x_r/x) LQ_ri = 1 for each activity."""
    assume((m.sum(axis=1) > 0).all())
    lq, x = pind.location_quotient(m), m.sum()
    xi, xr = m.sum(axis=0), m.sum(axis=1)
    across_activities = np.nansum(lq * (xi / x)[None, :], axis=1)
    assert across_activities == pytest.approx(np.ones(len(xr)), rel=1e-9)
    present = xi > 0
    across_regions = (lq[:, present] * (xr / x)[:, None]).sum(axis=0)
    assert across_regions == pytest.approx(np.ones(present.sum()), rel=1e-9)


@given(matrices, st.floats(1e-3, 1e3))
def test_scale_invariance(m, c):
    assume((m.sum(axis=1) > 0).all())
    np.testing.assert_allclose(
        pind.location_quotient(m * c), pind.location_quotient(m), rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(pind.shares(m * c), pind.shares(m), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(pind.gini(m * c), pind.gini(m), rtol=1e-9, atol=1e-12)


@given(matrices)
def test_krugman_and_hachman_bounds(m):
    assume((m.sum(axis=1) > 0).all())
    k, h = pind.krugman_index(m), pind.hachman_index(m)
    assert ((k >= -1e-12) & (k <= 2 + 1e-12)).all()
    assert ((h > 0) & (h <= 1 + 1e-9)).all()


# ------------------------------------------------------------------------ long tables
@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return make_long()


def test_long_lq_matches_wide_and_is_fast(panel):
    start = time.perf_counter()
    lq = pind.location_quotient_long(panel)
    elapsed = time.perf_counter() - start
    assert elapsed < 5.0, f"{elapsed:.2f} s for {len(panel)} rows"  # ~0.1 s here
    assert len(panel) == 170_000 and lq.index.equals(panel.index)
    for year in (2000, 2019):
        got = panel.assign(lq=lq)[panel["year"] == year].pivot(
            index="region", columns="activity", values="lq"
        )
        pd.testing.assert_frame_equal(
            got, pind.location_quotient(wide(panel, year)), rtol=1e-12, check_names=False
        )


def test_long_reducers_match_wide(panel):
    df = panel.assign(share=pind.shares_long(panel))
    w = wide(df, 2005, "share")
    pd.testing.assert_frame_equal(w, pind.shares(wide(panel, 2005)), rtol=1e-12, check_names=False)
    for f in (ind.hhi, ind.hhi_normalised, ind.equivalent_number, ind.entropy_index, pind.gini):
        got = f(df, by=["year", "region"], value="share").xs(2005, level="year")
        pd.testing.assert_series_equal(got, f(w), rtol=1e-12, check_names=False)
    for long_f, wide_f in (
        (pind.krugman_index_long, pind.krugman_index),
        (pind.hachman_index_long, pind.hachman_index),
    ):
        got = long_f(panel).xs(2005, level="year")
        pd.testing.assert_series_equal(got, wide_f(wide(panel, 2005)), rtol=1e-12, check_names=False)


def test_long_absent_rows_count_as_zero(panel):
    """A (year, region, activity) row absent from a long table is a zero of the wide matrix."""
    df = panel[panel["year"].isin([2001, 2002])]
    sparse = df[df["value"] > 0]
    assert len(sparse) < len(df)
    for f in (pind.krugman_index_long, pind.hachman_index_long):
        pd.testing.assert_series_equal(f(sparse), f(df), rtol=1e-12)
        one_year = sparse[sparse["year"] == 2002].drop(columns="year")
        pd.testing.assert_series_equal(f(one_year, year=None), f(df).xs(2002, level="year"), rtol=1e-12)
    lq = pind.location_quotient_long(sparse)
    pd.testing.assert_series_equal(lq, pind.location_quotient_long(df).loc[sparse.index], rtol=1e-12)
    # skipna leaves an unknown cell out of K_r, in the long form as in the wide one
    m = df[df["year"] == 2001].copy()
    m.loc[m.index[3], "value"] = np.nan
    w = wide(m, 2001)
    with pytest.warns(MissingDataWarning):
        k_long = pind.krugman_index_long(m, skipna=True).xs(2001, level="year")
    with pytest.warns(MissingDataWarning):
        k_wide = pind.krugman_index(w, skipna=True)
    pd.testing.assert_series_equal(k_long, k_wide, rtol=1e-12, check_names=False)


def test_long_explicit_totals_match_wide(panel):
    """Totals with unlisted activities, differing by year: long and wide forms agree."""
    df = panel[panel["year"].isin([2001, 2002])].copy()
    df["xi"] = df.groupby(["year", "activity"])["value"].transform("sum") * 1.1
    df["x"] = df.groupby("year")["value"].transform("sum") * df["year"].map({2001: 1.3, 2002: 2.0})
    for long_f, wide_f in (
        (pind.krugman_index_long, pind.krugman_index),
        (pind.hachman_index_long, pind.hachman_index),
    ):
        got = long_f(df, activity_total="xi", total="x")
        for year in (2001, 2002):
            d = df[df["year"] == year]
            w = wide(d, year)
            xi = d.groupby("activity")["xi"].first()
            expected = wide_f(w, activity_total=xi, total=d["x"].iloc[0])
            pd.testing.assert_series_equal(
                got.xs(year, level="year"), expected, rtol=1e-12, check_names=False
            )


def test_long_with_explicit_total_columns():
    df = pd.DataFrame(
        {
            "year": [2016, 2016],
            "region": ["kem", "kem"],
            "activity": ["A", "B"],
            "value": [30.0, 10.0],
            "xr": [50.0, 50.0],
            "xi": [300.0, 200.0],
            "x": [1000.0, 1000.0],
        }
    )
    lq = pind.location_quotient_long(df, region_total="xr", activity_total="xi", total="x")
    assert lq.tolist() == pytest.approx([2.0, 1.0], abs=EXACT)
    assert pind.shares_long(df, total="xr").tolist() == [60.0, 20.0]
    with pytest.raises(ValueError, match="duplicate"):
        pind.location_quotient_long(pd.concat([df, df]))
    with pytest.raises(ValueError, match="not in the table"):
        pind.location_quotient_long(df, value="amount")


def test_long_missing_cell_warning_names_it(panel):
    df = panel[panel["year"] == 2003].copy()
    df.loc[df.index[5], "value"] = np.nan
    with pytest.warns(MissingDataWarning, match=r"\(2003, 'r00', 'a005'\)"):
        lq = pind.location_quotient_long(df)
    assert math.isnan(lq.iloc[5])
    # documented: every other row is the LQ of the table with the unknown cell set to 0
    with_zero = pind.location_quotient_long(df.fillna({"value": 0.0})).drop(df.index[5])
    pd.testing.assert_series_equal(lq.drop(df.index[5]), with_zero, rtol=1e-12)
    assert with_zero.notna().all()
    with pytest.raises(ValueError, match="long table"):
        ind.hhi(df)  # a long table without by=


def test_long_dynamics_match_wide_and_respect_gaps():
    df = pd.DataFrame(
        {
            "region": ["a"] * 4 + ["b"] * 3,
            "activity": "coal",
            "year": [2014, 2015, 2016, 2017, 2016, 2014, 2015],  # b is unsorted
            "value": [100.0, 110.0, 99.0, 120.0, 90.0, 100.0, 120.0],
        }
    )
    g = pind.growth_rate_long(df, how="period")
    np.testing.assert_allclose(
        g.to_numpy(), [np.nan, 10, -10, (120 / 99 - 1) * 100, -25, np.nan, 20], atol=1e-9
    )
    total = pind.growth_rate_long(df)  # default: first to last
    assert total.tolist() == pytest.approx([20.0, -10.0])
    gap = df.drop(index=2)  # a has no 2016: 2017 does not follow 2015
    assert math.isnan(pind.growth_rate_long(gap, how="period").loc[3])
    chain = pind.chain_index_long(df.assign(value=[110.0, 110.0, 100.0, 50.0, 100.0, 100.0, 50.0]))
    np.testing.assert_allclose(chain.to_numpy(), [110, 121, 121, 60.5, 50, 100, 50], atol=1e-9)
    broken = pind.chain_index_long(gap.assign(value=110.0))
    assert broken.loc[[0, 1]].tolist() == pytest.approx([110, 121]) and math.isnan(broken.loc[3])
    nan_idx = df.assign(value=[110.0, np.nan, 110.0, 110.0, 100.0, 100.0, 100.0])
    assert pind.chain_index_long(nan_idx).loc[[0, 1, 2, 3]].isna().tolist() == [False, True, True, True]


def test_long_dynamics_large_panel(panel):
    start = time.perf_counter()
    g = pind.growth_rate_long(panel, how="period")
    c = pind.chain_index_long(panel.assign(value=100.0 + panel["value"] % 10))
    assert time.perf_counter() - start < 5.0
    w = panel[(panel["region"] == "r07") & (panel["activity"] == "a042")].sort_values("year")
    np.testing.assert_allclose(
        g.loc[w.index], ind.growth_rate(w["value"].to_numpy(), how="period"), rtol=1e-12
    )
    idx = 100.0 + w["value"].to_numpy() % 10
    np.testing.assert_allclose(c.loc[w.index], ind.chain_index(idx), rtol=1e-12)
