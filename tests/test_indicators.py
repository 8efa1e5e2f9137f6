"""Tests of analysis.indicators: hand-computed cases, peers' published examples, properties.

Tolerances: exact arithmetic cases use abs=1e-12 (a few float operations); published values
rounded by their source are compared after the same rounding; properties use rel=1e-9.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import indicators as ind

# Any warning is an error here (numpy's divide-by-zero included); expected ones use pytest.warns.
pytestmark = pytest.mark.filterwarnings("error")

EXACT = 1e-12


# ------------------------------------------------------------------ published peer examples
def test_econgeo_entropy(econgeo):
    e = ind.entropy_index(econgeo)
    by_hand = -sum(p * math.log2(p) for p in (0.15, 0.05, 0.7, 0.1))
    assert e["R1"] == 0.0 and e["R2"] == pytest.approx(by_hand, abs=EXACT)
    assert round(e["R2"], 3) == 1.319  # EconGeo rounds to 3 decimals


def test_paper_kemerovo_2011_hhi_sum_of_squares():
    """Ivanova (2018), Table 1, Kemerovo GVA structure 2011 (%). Sum of squares by hand
    (exact decimals): 1726.031. The paper prints 1724.03; the ledger handles the gap."""
    s = [34.6, 13.7, 4.30, 3.18, 5.08, 11.87, 7.58, 0.0, 0.63, 0.40, 6.76, 4.18, 2.82, 4.00, 0.86]
    assert ind.hhi(s) == pytest.approx(1726.031, abs=1e-9)
    assert ind.hhi(np.array(s) / 100, scale=1) == pytest.approx(0.1726031, abs=1e-13)


def test_paper_table3_marketability_coal():
    """Ivanova (2018), Table 3: coal shipped out / produced, 2014-2016: 0.98, 0.94, 0.93."""
    out = pd.Series([204508.96, 203329.36, 210686.95], index=[2014, 2015, 2016])
    prod = pd.Series([209709.0, 215249.0, 227432.7], index=[2014, 2015, 2016])
    m = ind.marketability(out, prod)
    assert m.round(2).tolist() == [0.98, 0.94, 0.93]
    assert m[2014] == pytest.approx(204508.96 / 209709.0, abs=EXACT)
    assert ind.marketability(1.0, 4.0, scale=100) == pytest.approx(25.0)


def test_paper_table4_freight():
    """Ivanova (2018), Table 4 and text: outbound above inbound by 61, 55, 58 % (2014-2016);
    inbound 71903.87 thousand t is 8.9 % of Russia in 2014."""
    r = ind.outbound_inbound_ratio([116028.69, 117590.27, 117271.93], [71903.87, 75691.55, 74416.31])
    assert np.round((r - 1) * 100).tolist() == [61, 55, 58]
    assert ind.implied_total(71903.87, 8.9) == pytest.approx(71903.87 / 0.089, rel=1e-12)
    assert ind.implied_total(0.5, 0.25, scale=1) == pytest.approx(2.0)


# -------------------------------------------------------------------- hand-computed cases
def test_per_capita_coefficient():
    # 10 % of Russia's output with 2.6 of 146 million people: 0.1 / (2.6/146) = 14.6/2.6
    assert ind.per_capita_coefficient(30, 300, 2.6, 146) == pytest.approx(14.6 / 2.6, rel=1e-12)
    s = ind.per_capita_coefficient(
        pd.Series({"coal": 50.0, "steel": 5.0}), pd.Series({"coal": 100.0, "steel": 50.0}), 2.0, 100.0
    )
    assert s.tolist() == pytest.approx([25.0, 5.0])


def test_growth_rate_and_chain_index():
    assert ind.growth_rate([100, 110, 121]) == pytest.approx(21.0, abs=1e-12)
    np.testing.assert_allclose(ind.growth_rate([100, 110, 121], how="period"), [np.nan, 10, 10], atol=1e-12)
    assert ind.chain_index([110, 110]).tolist() == pytest.approx([110.0, 121.0], abs=1e-12)
    assert ind.chain_index([110, 90], base=1.0).tolist() == pytest.approx([1.1, 0.99])
    df = pd.DataFrame({2014: [100.0, 50.0], 2015: [150.0, 25.0]}, index=["x", "y"])
    assert ind.growth_rate(df).tolist() == pytest.approx([50.0, -50.0])
    assert ind.growth_rate(df.T, axis=0).tolist() == pytest.approx([50.0, -50.0])
    with pytest.raises(ValueError, match="how"):
        ind.growth_rate([1, 2], how="yearly")


# --------------------------------------------------------------------- missing and zero data
def test_hhi_nan_is_nan_unless_skipna():
    assert math.isnan(ind.hhi([50.0, np.nan, 20.0]))
    assert ind.hhi([50.0, np.nan, 20.0], skipna=True) == pytest.approx(2900.0)
    df = pd.DataFrame([[50.0, 50.0], [np.nan, 100.0]], index=["a", "b"])
    h = ind.hhi(df)
    assert h["a"] == 5000.0 and math.isnan(h["b"])  # only the row with the gap
    assert math.isnan(ind.hhi_normalised([np.nan, 100.0], skipna=True))  # n = 1 known
    assert math.isnan(ind.hhi([np.nan, np.nan], skipna=True))  # nothing known


def test_nullable_na_is_nan():
    s = pd.Series([60.0, None, 40.0], dtype="Float64")
    assert math.isnan(ind.hhi(s)) and ind.hhi(s, skipna=True) == pytest.approx(5200.0)


def test_zero_denominators_give_nan_silently():
    assert math.isnan(ind.growth_rate([0.0, 5.0]))
    assert np.isnan(ind.growth_rate([0.0, 0.0, 5.0], how="period")[1:]).all()
    assert math.isnan(ind.marketability(5.0, 0.0))
    assert math.isnan(ind.outbound_inbound_ratio(5.0, 0.0))
    assert math.isnan(ind.implied_total(5.0, 0.0))
    assert math.isnan(ind.per_capita_coefficient(1.0, 2.0, 0.0, 0.0))
    assert math.isnan(ind.hhi_normalised([100.0]))  # n = 1
    assert math.isnan(ind.equivalent_number([0.0, 0.0]))
    assert math.isnan(ind.entropy_index([0.0, 0.0]))


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "call",
    [
        lambda: ind.hhi([60.0, -1.0]),
        lambda: ind.entropy_index([1.0, -2.0]),
        lambda: ind.growth_rate([-1.0, 2.0]),
        lambda: ind.chain_index([101.0, -3.0]),
        lambda: ind.marketability(-1.0, 2.0),
        lambda: ind.per_capita_coefficient(1.0, 2.0, -1.0, 3.0),
        lambda: ind.implied_total(1.0, -2.0),
    ],
)
def test_negative_values_raise(call):
    with pytest.raises(ValueError, match="non-negative"):
        call()


def test_shares_above_scale_and_parts_above_totals_raise():
    with pytest.raises(ValueError, match="above 100"):
        ind.hhi([100.5, 0.0])
    with pytest.raises(ValueError, match="above 1"):
        ind.hhi([0.5, 1.5], scale=1)
    assert ind.hhi([100.0 + 1e-10]) == pytest.approx(1e4)  # rounding in published tables
    with pytest.raises(ValueError, match="share above 100"):
        ind.implied_total(5.0, 101.0)
    with pytest.raises(ValueError, match="exceeds"):
        ind.per_capita_coefficient(5.0, 4.0, 1.0, 2.0)


# ------------------------------------------------------------------------------ properties
@given(st.lists(st.floats(1.0, 400.0), min_size=1, max_size=25))
def test_chain_index_round_trip_with_growth_rates(idx):
    chain = ind.chain_index(idx)
    back = ind.growth_rate(np.r_[100.0, chain], how="period")[1:]
    np.testing.assert_allclose(back, np.array(idx) - 100, rtol=1e-9, atol=1e-9)
    total = ind.growth_rate(np.r_[100.0, chain])
    assert total == pytest.approx(chain[-1] - 100, rel=1e-9, abs=1e-9)


# ------------------------------------------------------------------------ long tables
def test_specialisation_from_shares_by_hand():
    df = pd.DataFrame(
        {
            "r": ["a", "a", "b", "b", "c", "c"],
            "share_region": [60.0, 40.0, 50.0, 50.0, 100.0, 0.0],
            "share_reference": [50.0, 50.0, 50.0, 50.0, 50.0, 50.0],
        }
    )
    got = ind.specialisation_from_shares(df, by="r").set_index("r")
    # a: |0.6-0.5| + |0.4-0.5| = 0.2; 1 / (0.6*1.2 + 0.4*0.8) = 1 / 1.04
    assert got.at["a", "krugman"] == pytest.approx(0.2, abs=1e-12)
    assert got.at["a", "hachman"] == pytest.approx(1 / 1.04, abs=1e-12)
    # b has the reference's structure: K = 0, H = 1; c is all in one activity: K = 1, H = 1 / 2
    assert got.at["b", "krugman"] == pytest.approx(0.0, abs=1e-12) and got.at[
        "b", "hachman"
    ] == pytest.approx(1.0)
    assert got.at["c", "krugman"] == pytest.approx(1.0) and got.at["c", "hachman"] == pytest.approx(0.5)


def test_specialisation_from_shares_unknown_share_is_nan():
    df = pd.DataFrame({"r": ["a", "a"], "share_region": [60.0, np.nan], "share_reference": [50.0, 50.0]})
    got = ind.specialisation_from_shares(df, by="r")
    assert got["krugman"].isna().all() and got["hachman"].isna().all()


# ------------------------------------------------------------------------------- volume_share
def test_volume_share_carries_the_base_share_by_the_ratio_of_indices():
    a = pd.Series({2011: 110.0, 2012: 90.0, 2013: 100.0})
    y = pd.Series({2011: 100.0, 2012: 100.0, 2013: 125.0})
    v = ind.volume_share(20.0, a, y, 2011)
    # forward from 2011: x 0.9, then x 0.8; backward to 2010: / 1.1
    assert v.to_dict() == pytest.approx({2010: 20.0 / 1.1, 2011: 20.0, 2012: 18.0, 2013: 14.4}, rel=1e-12)


def test_volume_share_stops_at_the_first_missing_index():
    a = pd.Series({2011: 110.0, 2012: np.nan, 2013: 100.0})
    y = pd.Series({2011: 100.0, 2012: 100.0, 2013: 100.0})
    assert list(ind.volume_share(20.0, a, y, 2011).index) == [2010, 2011]


@given(
    st.lists(st.floats(50, 150), min_size=1, max_size=8),
    st.floats(0.1, 90),
)
def test_volume_share_of_equal_indices_is_constant(idx, s0):
    a = pd.Series(idx, index=range(2001, 2001 + len(idx)))
    v = ind.volume_share(s0, a, a.copy(), 2000)
    assert np.allclose(v.to_numpy(), s0)


def test_volume_share_rejects_non_positive_indices_and_unknown_base():
    a = pd.Series({2011: 0.0})
    with pytest.raises(ValueError, match="positive; not in 2011"):
        ind.volume_share(20.0, a, a + 100, 2010)
    with pytest.raises(ValueError, match="nominal share of 2010 is unknown"):
        ind.volume_share(np.nan, a + 100, a + 100, 2010)
