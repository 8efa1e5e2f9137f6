"""Tests of analysis.steps.gva_hhi: the HHI of Rosstat's GVA structure, the broad activities
followed across the 2016 OKVED change, and the paper's Table 1 and HHI list.

Toy GVA tables come from ``make_gva`` (tests/steps/conftest.py); paper checks cite Table 1
(data/raw/paper/table1_gva_structure.csv) and the HHI list of "Results" (text_numbers.csv).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


# ----------------------------------------------------------------------------- volume_shares
def _idx(records):
    from tests.steps.conftest import tidy

    return tidy(records, "percent of previous year")


def test_volume_shares_carry_each_editions_first_share_by_the_indices(make_gva):
    g = make_gva(
        {
            ("r", 2014, "OKVED2007"): {"C": 30.0, "D": 10.0, "E": 5.0},
            ("r", 2015, "OKVED2007"): {"C": 20.0, "D": 12.0, "E": 5.0},
            ("r", 2016, "OKVED2"): {"B": 25.0, "C": 12.0, "D": 3.0, "E": 2.0},
            ("r", 2017, "OKVED2"): {"B": 24.0, "C": 12.0, "D": 3.0, "E": 2.0},
        }
    )
    p = _idx(
        [
            ("r", 2015, "OKVED2007", "mining", 110.0),
            ("r", 2015, "OKVED2007", "manufacturing", 100.0),
            ("r", 2017, "OKVED2", "mining", 99.0),
            ("r", 2017, "OKVED2", "energy", 100.0),
        ]
    )
    y = _idx(
        [
            ("r", 2015, "", "grp_volume", 100.0),
            ("r", 2016, "", "grp_volume", 100.0),
            ("r", 2017, "", "grp_volume", 90.0),
        ]
    )
    v = gva_hhi.volume_shares(g, p, y, "r").set_index(["okved", "activity", "year"])
    assert v.at[("OKVED2007", "mining", 2015), "volume_share"] == pytest.approx(33.0)
    assert v.at[("OKVED2007", "mining", 2015), "relative_price"] == pytest.approx(20.0 / 33.0)
    assert v.at[("OKVED2007", "manufacturing", 2015), "volume_index"] == pytest.approx(100.0)
    assert v.at[("OKVED2", "mining", 2017), "volume_share"] == pytest.approx(25.0 * 99 / 90)
    # no single index for OKVED2 utilities (D + E): no volume share; never chained across 2016
    assert ("OKVED2", "utilities", 2017) not in v.index
    assert v.xs("OKVED2", level="okved")["base_year"].eq(2016).all()


def test_kemerovo_mining_gained_weight_in_volume_while_its_nominal_share_fell():
    # Issue 20, point 1: 2011-2014, mining's production index over real GRP, from Rosstat's files.
    from analysis.inputs import rosstat

    p, y, g = (rosstat.table(n) for n in ("production_indices", "grp_volume_index", "gva_structure"))
    v = gva_hhi.volume_shares(g, p, y, "kemerovo")
    c = gva_hhi.volume_change(v, "mining", 2011, 2014)
    assert c is not None
    years = [2012, 2013, 2014]
    mining = p[(p["region_id"] == "kemerovo") & (p["activity"] == "mining") & (p["okved"] == "OKVED2007")]
    grp = y[y["region_id"] == "kemerovo"]
    expected = np.prod(mining.set_index("year").loc[years, "value"] / 100) / np.prod(
        grp.set_index("year").loc[years, "value"] / 100
    )
    assert c["volume_factor"] == pytest.approx(expected, rel=1e-12)
    assert c["volume_factor"] > 1 > c["nominal_factor"]
    assert c["relative_price"] == pytest.approx(c["nominal_factor"] / c["volume_factor"], rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    ia=st.lists(st.floats(80, 120), min_size=3, max_size=3),
    iy=st.lists(st.floats(80, 120), min_size=3, max_size=3),
    mining=st.lists(st.floats(5, 60), min_size=4, max_size=4),
    other=st.lists(st.floats(5, 30), min_size=4, max_size=4),
)
def test_reading_volume_says_only_what_the_numbers_show(ia, iy, mining, other):
    from tests.steps.conftest import gva as make_gva

    years = [2009, 2010, 2011, 2012]
    g = make_gva({("r", t, "OKVED2007"): {"C": m, "G": o} for t, m, o in zip(years, mining, other)})
    p = _idx([("r", t, "OKVED2007", "mining", v) for t, v in zip(years[1:], ia)])
    y = _idx([("r", t, "", "grp_volume", v) for t, v in zip(years[1:], iy)])
    v = gva_hhi.volume_shares(g, p, y, "r")
    h = gva_hhi.rosstat_hhi(g, "r")
    text = gva_hhi.reading_volume(v, h, "R")
    falls = gva_hhi.largest_falls(h)
    if not falls:
        assert "never falls" in text
        return
    _, a, b = falls[0]
    c = gva_hhi.volume_change(v, "mining", a, b)
    assert c is not None
    assert ("share in volume (prices of 2009) rises" in text) == (c["volume_factor"] > 1)
    assert ("more specialised in it, not less" in text) == (
        c["volume_factor"] > 1 and c["nominal_factor"] < 1
    )
    assert "nan" not in text.lower()


def test_a_fall_whose_volume_share_is_missing_in_a_year_is_said_not_split():
    # Issue 19 (every sentence true): Sevastopol, Chukotka, Moscow printed "falls nan % (xnan)"
    # where the production index or the GRP volume index of the fall's last year is missing.
    from tests.steps.conftest import gva as make_gva

    years = [2009, 2010, 2011]
    g = make_gva({("r", t, "OKVED2007"): {"C": m, "G": 10.0} for t, m in zip(years, [40.0, 30.0, 20.0])})
    p = _idx([("r", 2010, "OKVED2007", "mining", 100.0)])  # no index for 2011
    y = _idx([("r", t, "", "grp_volume", 100.0) for t in years[1:]])
    v = gva_hhi.volume_shares(g, p, y, "r")
    assert gva_hhi.volume_change(v, "mining", 2009, 2011) is None
    assert gva_hhi.volume_change(v, "mining", 2009, 2010) is not None
    text = gva_hhi.reading_volume(v, gva_hhi.rosstat_hhi(g, "r"), "R")
    assert "nan" not in text.lower() and "cannot be split into volume and prices" in text
