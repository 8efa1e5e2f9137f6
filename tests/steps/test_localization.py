"""Tests of analysis.steps.localization: which activities exceed the LQ threshold (strictly), the
activity x year / basis tables, and LQs from Rosstat's GVA shares against Russia.

Toy GVA tables come from ``make_gva`` (tests/steps/conftest.py); paper checks cite Tables 5 and 6
(data/raw/paper/table5_lq_turnover.csv, table6_lq_bases_2016.csv).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.steps import localization

TOL = 1e-9
LQ_COLUMNS = ["year", "okved", "activity", "share_region", "share_russia", "lq"]


# ---------------------------------------------------------------------------- above_threshold
@pytest.fixture
def lq_wide() -> pd.DataFrame:
    return pd.DataFrame(
        {
            2015: [1.5, 1.0, 0.5, np.nan],
            2016: [2.0, 1.2345678, 1.0, 0.9],
        },
        index=pd.Index(["a", "b", "c", "d"], name="item"),
    )


def test_above_threshold_is_strict_and_skips_unknown_cells(lq_wide):
    got = localization.above_threshold(lq_wide, 1.0).set_index("column")
    # 2015: a 1.5 > 1 counts; b = 1.0 is not above; c 0.5 below; d unknown (not counted as known)
    assert got.loc[2015].to_dict() == {"n_above": 1, "n_known": 3, "activities_above": "a 1.5"}
    # 2016: a 2.0 and b 1.2345678 (printed rounded to 3 decimals), highest first; c = 1.0 is out
    assert got.loc[2016].to_dict() == {"n_above": 2, "n_known": 4, "activities_above": "a 2, b 1.235"}


@pytest.mark.parametrize(
    ("threshold", "n_above_2015", "listed_2015"),
    [
        (0.9999, 2, "a 1.5, b 1"),  # just below b's 1.0: a and b are above
        (1.0, 1, "a 1.5"),  # equal to b's 1.0: b is not above
        (1.4999, 1, "a 1.5"),  # just below a
        (1.5, 0, ""),  # equal to a: nothing is above
        (1.5001, 0, ""),
    ],
)
def test_above_threshold_moves_with_the_threshold(lq_wide, threshold, n_above_2015, listed_2015):
    got = localization.above_threshold(lq_wide, threshold).set_index("column")
    assert got.at[2015, "n_above"] == n_above_2015
    assert got.at[2015, "activities_above"] == listed_2015


def test_above_threshold_of_an_empty_table_is_empty():
    got = localization.above_threshold(pd.DataFrame(), 1.0)
    assert got.empty


@pytest.fixture
def table6_long() -> pd.DataFrame:
    """Table 6 (2016), a few rows as printed: agriculture "0,49 0,31 0,23 0,58", mining
    "4,25 2,72 7,26 3,33", trade "0,61 1,18 0,55 1,03", health "1,04 0,98 1,64 0,06" (turnover,
    investment, employment, fixed assets); given here basis-major and in a shuffled basis order."""
    values = {
        "agriculture": [0.49, 0.31, 0.23, 0.58],
        "mining": [4.25, 2.72, 7.26, 3.33],
        "trade": [0.61, 1.18, 0.55, 1.03],
        "health": [1.04, 0.98, 1.64, 0.06],
    }
    rows = [
        (activity, basis, 2016, v[localization.BASES.index(basis)])
        for basis in ["fixed_assets", "employment", "turnover", "investment"]
        for activity, v in values.items()
    ]
    return pd.DataFrame(rows, columns=["activity", "basis", "year", "lq"])


def test_by_basis_orders_bases_as_the_paper_and_keeps_activity_order(table6_long):
    w = localization.by_basis(table6_long)
    assert list(w.columns) == ["turnover", "investment", "employment", "fixed_assets"]
    assert list(w.index) == ["agriculture", "mining", "trade", "health"]
    assert w.at["health", "employment"] == pytest.approx(1.64, abs=TOL)


def test_above_threshold_on_paper_table6_bases(table6_long):
    got = localization.above_threshold(localization.by_basis(table6_long), 1.0).set_index("column")
    # turnover: mining 4.25 and health 1.04 are above 1; agriculture 0.49, trade 0.61 are not
    assert got.at["turnover", "activities_above"] == "mining 4.25, health 1.04"
    assert got.at["turnover", "n_known"] == 4
    # investment: mining 2.72, trade 1.18 (health 0.98 is below)
    assert got.at["investment", "activities_above"] == "mining 2.72, trade 1.18"
    # fixed assets: mining 3.33, trade 1.03
    assert got.at["fixed_assets", "n_above"] == 2
    # at the threshold 1.04 health's turnover LQ (1.04) is no longer above: equality does not count
    at_health = localization.above_threshold(localization.by_basis(table6_long), 1.04).set_index("column")
    assert at_health.at["turnover", "activities_above"] == "mining 4.25"


def test_by_year_pivots_activities_by_year_and_leaves_gaps_nan():
    lq = pd.DataFrame(
        {
            "activity": ["mining", "mining", "agriculture"],
            "year": [2013, 2016, 2016],
            "lq": [3.02, 4.25, 0.49],  # Table 5: mining 2013 "3,02", 2016 "4,25"; agriculture 2016 "0,49"
        }
    )
    w = localization.by_year(lq)
    assert list(w.index) == ["mining", "agriculture"]
    assert list(w.columns) == [2013, 2016]
    assert w.at["mining", 2016] == pytest.approx(4.25, abs=TOL)
    assert np.isnan(w.at["agriculture", 2013])  # not given: unknown, not 0


# ---------------------------------------------------------------------------------- rosstat_lq
@pytest.fixture
def two_regions(make_gva) -> pd.DataFrame:
    return make_gva(
        {
            ("kemerovo", 2015, "OKVED2007"): {"A": 10.0, "B": 0.0, "C": 50.0, "D": 20.0, "E": 20.0},
            ("russia", 2015, "OKVED2007"): {"A": 5.0, "B": 0.0, "C": 10.0, "D": 40.0, "E": 45.0},
            ("kemerovo", 2016, "OKVED2"): {"A": 10.0, "B": 40.0, "C": 30.0},
            ("russia", 2016, "OKVED2"): {"A": 5.0, "B": 10.0, "C": 60.0},
            # another region: must not enter Kemerovo's LQs
            ("tomsk", 2015, "OKVED2007"): {"A": 80.0, "B": 0.0, "C": 20.0, "D": 0.0, "E": 0.0},
        }
    )


def test_rosstat_lq_is_the_ratio_of_gva_shares(two_regions):
    got = localization.rosstat_lq(two_regions, "kemerovo")
    expected = pd.DataFrame(
        {
            "year": [2015] * 5 + [2016] * 3,
            "okved": ["OKVED2007"] * 5 + ["OKVED2"] * 3,
            "activity": ["A", "B", "C", "D", "E", "A", "B", "C"],
            "share_region": [10.0, 0.0, 50.0, 20.0, 20.0, 10.0, 40.0, 30.0],
            "share_russia": [5.0, 0.0, 10.0, 40.0, 45.0, 5.0, 10.0, 60.0],
            # 10/5, 0/0 (absent in Russia: NaN), 50/10, 20/40, 20/45; 10/5, 40/10, 30/60
            "lq": [2.0, np.nan, 5.0, 0.5, 20 / 45, 2.0, 4.0, 0.5],
        }
    )
    assert_frame_equal(got, expected, check_exact=False, atol=TOL, rtol=0)
    assert "total" not in set(got["activity"])


def test_rosstat_lq_unknown_regional_share_stays_nan(two_regions):
    g = two_regions.copy()
    g.loc[(g["region_id"] == "kemerovo") & (g["year"] == 2015) & (g["activity"] == "C"), "value"] = np.nan
    got = localization.rosstat_lq(g, "kemerovo").set_index(["year", "activity"])
    assert np.isnan(got.at[(2015, "C"), "share_region"])
    assert np.isnan(got.at[(2015, "C"), "lq"])
    assert got.at[(2015, "A"), "lq"] == pytest.approx(2.0, abs=TOL)  # 10 / 5, unaffected


def test_rosstat_lq_of_an_absent_region_is_empty(two_regions):
    got = localization.rosstat_lq(two_regions, "omsk")
    assert got.empty
    assert list(got.columns) == LQ_COLUMNS


def test_rosstat_lq_year_without_russia_is_left_out(two_regions):
    g = two_regions[~((two_regions["region_id"] == "russia") & (two_regions["year"] == 2016))]
    got = localization.rosstat_lq(g, "kemerovo")
    assert sorted(set(got["year"])) == [2015]


def test_gva_years_line_names_the_years_present():
    import pandas as pd

    lq = pd.DataFrame(
        {"okved": ["OKVED2007"] * 2 + ["OKVED2"] * 3, "year": [2009, 2016, 2016, 2017, 2022], "lq": 1.0}
    )
    assert localization.gva_years_line(lq) == (
        "Shown: OKVED2 sections, 2016–2022; `lq_gva_rosstat.csv` also holds OKVED2007 2009–2016."
    )
    assert (
        localization.gva_years_line(lq[lq["okved"] == "OKVED2"].iloc[:1]) == "Shown: OKVED2 sections, 2016."
    )
    assert "no OKVED2" in localization.gva_years_line(lq[lq["okved"] == "OKVED2007"])
