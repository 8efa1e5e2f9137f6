"""Tests of analysis.steps.gva_hhi: the HHI of Rosstat's GVA structure, the broad activities
followed across the 2016 OKVED change, and the paper's Table 1 and HHI list.

Toy GVA tables come from ``make_gva`` (tests/steps/conftest.py); paper checks cite Table 1
(data/raw/paper/table1_gva_structure.csv) and the HHI list of "Results" (text_numbers.csv).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.steps import gva_hhi

TOL = 1e-9


@pytest.fixture
def gva(make_gva) -> pd.DataFrame:
    return make_gva(
        {
            ("kemerovo", 2015, "OKVED2007"): {"A": 4.0, "B": 1.0, "C": 30.0, "D": 15.0, "E": 5.0, "F": 45.0},
            ("kemerovo", 2016, "OKVED2"): {"A": 5.0, "B": 28.0, "C": 16.0, "D": 3.0, "E": 2.0, "F": 46.0},
            ("tomsk", 2015, "OKVED2007"): {"A": 50.0, "B": 0.0, "C": 50.0, "D": 0.0, "E": 0.0, "F": 0.0},
            ("russia", 2015, "OKVED2007"): {"A": 4.0, "B": 0.2, "C": 11.0, "D": 17.0, "E": 3.8, "F": 64.0},
        }
    )


# -------------------------------------------------------------------------------- rosstat_hhi
def test_rosstat_hhi_is_the_sum_of_squared_percent_shares(make_gva):
    g = make_gva(
        {
            ("kemerovo", 2015, "OKVED2007"): {"A": 50.0, "B": 30.0, "C": 20.0},
            ("kemerovo", 2016, "OKVED2"): {"A": 40.0, "B": 40.0, "C": 10.0, "D": 10.0},
            ("tomsk", 2015, "OKVED2007"): {"A": 100.0},  # another region: left out
        }
    )
    got = gva_hhi.rosstat_hhi(g, "kemerovo")
    expected = pd.DataFrame(
        {
            "year": [2015, 2016],
            "okved": ["OKVED2007", "OKVED2"],
            "n_activities": [3, 4],
            "sum_of_shares": [100.0, 100.0],
            # 50^2 + 30^2 + 20^2 = 2500 + 900 + 400; 40^2 + 40^2 + 10^2 + 10^2 = 1600 + 1600 + 100 + 100
            # (the total row of 100 would add 10 000 if it were counted)
            "hhi": [3800.0, 3400.0],
            "equivalent_activities": [10_000 / 3800, 10_000 / 3400],  # 2.6316, 2.9412
        }
    )
    assert_frame_equal(got, expected, check_exact=False, atol=TOL, rtol=0)


def test_rosstat_hhi_of_a_year_with_an_unknown_share_is_nan(make_gva):
    g = make_gva(
        {
            ("kemerovo", 2015, "OKVED2007"): {"A": 50.0, "B": np.nan, "C": 20.0},
            ("kemerovo", 2016, "OKVED2"): {"A": 60.0, "B": 40.0},
        }
    )
    got = gva_hhi.rosstat_hhi(g, "kemerovo").set_index("year")
    assert np.isnan(got.at[2015, "hhi"])
    assert np.isnan(got.at[2015, "equivalent_activities"])
    assert got.at[2015, "n_activities"] == 2  # the known shares only
    assert got.at[2015, "sum_of_shares"] == pytest.approx(70.0, abs=TOL)  # 50 + 20, as printed
    assert got.at[2016, "hhi"] == pytest.approx(5200.0, abs=TOL)  # 60^2 + 40^2 = 3600 + 1600


def test_rosstat_hhi_of_an_absent_region_is_empty(gva):
    got = gva_hhi.rosstat_hhi(gva, "omsk")
    assert got.empty
    assert {"year", "okved", "hhi", "equivalent_activities"} <= set(got.columns)


# --------------------------------------------------------------------------- broad_activities
def test_broad_activities_follow_the_okved_change(gva):
    got = gva_hhi.broad_activities(gva, ["kemerovo"]).set_index(["activity", "year"])
    assert set(got["region_id"]) == {"kemerovo"}
    assert got.loc[("mining", 2015), "okved"] == "OKVED2007"
    assert got.loc[("mining", 2016), "okved"] == "OKVED2"
    expected = {
        ("mining", 2015): 30.0,  # OKVED-2007 C
        ("mining", 2016): 28.0,  # OKVED2 B
        ("manufacturing", 2015): 15.0,  # OKVED-2007 D
        ("manufacturing", 2016): 16.0,  # OKVED2 C
        ("utilities", 2015): 5.0,  # OKVED-2007 E
        ("utilities", 2016): 5.0,  # OKVED2 D + E = 3 + 2
        ("agriculture", 2015): 5.0,  # OKVED-2007 A + B = 4 + 1
        ("agriculture", 2016): 5.0,  # OKVED2 A
        ("construction", 2015): 45.0,  # F in both editions
        ("construction", 2016): 46.0,
    }
    for key, value in expected.items():
        assert got.at[key, "value"] == pytest.approx(value, abs=TOL), key
    # trade (G) is in neither toy year: no row rather than a zero
    assert "trade" not in set(got.index.get_level_values("activity"))


def test_broad_activities_without_a_region_filter_keep_every_region(gva):
    got = gva_hhi.broad_activities(gva)
    assert set(got["region_id"]) == {"kemerovo", "tomsk", "russia"}
    tomsk_mining = got[(got["region_id"] == "tomsk") & (got["activity"] == "mining")]["value"]
    assert tomsk_mining.tolist() == [50.0]


def test_broad_activity_with_all_sections_unknown_stays_nan(make_gva):
    g = make_gva({("kemerovo", 2016, "OKVED2"): {"A": 5.0, "B": 28.0, "D": np.nan, "E": np.nan}})
    got = gva_hhi.broad_activities(g, ["kemerovo"]).set_index("activity")
    assert np.isnan(got.at["utilities", "value"])
    assert got.at["mining", "value"] == pytest.approx(28.0, abs=TOL)


def test_broad_activity_with_one_section_unknown_is_nan(make_gva):
    g = make_gva({("kemerovo", 2016, "OKVED2"): {"A": 5.0, "B": 28.0, "D": np.nan, "E": 2.0}})
    got = gva_hhi.broad_activities(g, ["kemerovo"]).set_index("activity")
    assert np.isnan(got.at["utilities", "value"])  # D + E with D unknown is unknown, not 2


# ------------------------------------------------------------------------ the paper's Table 1
def test_hhi_table_recomputes_the_papers_hhi_list():
    h = gva_hhi.hhi_table().set_index("year")
    assert 2009 not in h.index  # neither the paper nor Table 1 has 2009
    # "Results": 2012 -- 1366,89 (text_numbers hhi_2012)
    assert h.at[2012, "published"] == pytest.approx(1366.89, abs=TOL)
    complete = [2011, 2012, 2013, 2014, 2015]
    assert (h.loc[complete, "difference"].abs() <= h.loc[complete, "rounding_tolerance"]).all()
    assert h.loc[complete, "difference"].to_numpy() == pytest.approx(
        (h.loc[complete, "recomputed"] - h.loc[complete, "published"]).to_numpy(), abs=TOL
    )
    # 1 / sum (s_i / 100)^2 = 10 000 / HHI
    assert h.loc[complete, "equivalent_activities"].to_numpy() == pytest.approx(
        (10_000 / h.loc[complete, "recomputed"]).to_numpy(), rel=1e-9
    )
    # Table 1 lacks 2010 for seven activities: nothing is recomputed
    assert np.isnan(h.at[2010, "recomputed"]) and np.isnan(h.at[2010, "hhi_normalised"])
    # 2008 is the reference [29]: published 1562, no shares
    assert h.at[2008, "published"] == pytest.approx(1562.0, abs=TOL)
    assert np.isnan(h.at[2008, "recomputed"])


def test_paper_structure_sum_of_shares_is_nan_for_the_incomplete_year():
    w = gva_hhi.paper_structure_wide()
    assert np.isnan(w.at["sum of shares", 2010])  # seven activities missing in 2010
    assert w.at["sum of shares", 2015] == pytest.approx(w.drop(index="sum of shares")[2015].sum(), abs=TOL)


def test_paper_vs_rosstat_matches_letters_and_years(make_gva):
    g = make_gva(
        {
            ("kemerovo", 2012, "OKVED2007"): {"C": 30.0},
            ("kemerovo", 2016, "OKVED2"): {"C": 99.0},  # another edition: not compared
            ("tomsk", 2012, "OKVED2007"): {"C": 99.0},  # another region: not compared
        }
    )
    got = gva_hhi.paper_vs_rosstat(g).set_index(["activity", "year"])
    row = got.loc[("mining", 2012)]
    assert row["letter"] == "C"
    # Table 1, row 2 (mining, OKVED-2007 C), 2012: "26,8"; 30.0 - 26.8 = 3.2
    assert row["paper"] == pytest.approx(26.8, abs=TOL)
    assert row["difference"] == pytest.approx(3.2, abs=1e-9)
    # every other cell of Table 1 has no Rosstat counterpart in the toy table: NaN, not 0
    others = got.drop(index=("mining", 2012))
    assert others["rosstat"].isna().all() and others["difference"].isna().all()


def test_paper_reading_points_to_the_misprint_in_2011():
    """2011: 1724.03 printed, 1726.031 recomputed: 2.00 apart with the same last digits."""
    text = gva_hhi.paper_reading(gva_hhi.hhi_table())
    assert "5 of 5 published indices lie within the bound" in text
    assert "+2.00 in 2011" in text and "misprinted digit" in text
