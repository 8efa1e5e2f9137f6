"""Tests of analysis.steps.conclusion: faster than Russia year by year and cumulatively (chained
indices), the paper's question asked again with Rosstat's GVA (``after_the_clusters``) and Table 7
beside Rosstat's bulletin. The rules that judge the paper's conclusions are tested in
test_conclusion_paper.py.

Toy indices are tidy ``region, item, year, value`` tables like ``paper_indices()``. Paper checks
cite Table 7 (data/raw/paper/table7_production_indices.csv) and Tables 5-6.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.steps import conclusion

TOL = 1e-9
from tests.steps.conftest import ITEMS, indices  # noqa: E402


def wide(years, series, regions=("kemerovo",)) -> pd.DataFrame:
    return conclusion.indices_wide(indices(years, series, regions))


# -------------------------------------------------------------------- cumulative, faster_than_russia
def test_cumulative_chains_the_yearly_indices_from_a_base_of_100():
    c = conclusion.cumulative(wide([2010, 2011, 2012], {("kemerovo", "industry"): [110.0, 110.0, 90.0]}))
    assert list(c.columns) == [2009, 2010, 2011, 2012]  # the year before the first index = 100
    # 100 -> 100 * 1.1 = 110 -> 110 * 1.1 = 121 -> 121 * 0.9 = 108.9
    assert c.loc[("kemerovo", "industry")].tolist() == pytest.approx([100.0, 110.0, 121.0, 108.9], abs=TOL)
    assert c.loc[("russia", "industry")].tolist() == pytest.approx([100.0] * 4, abs=TOL)


def test_faster_than_russia_year_by_year_and_cumulatively():
    w = wide(
        [2010, 2011, 2012],
        {
            # faster every year: 110^3 / 100^2 = 133.1 vs 100
            ("kemerovo", "industry"): [110.0, 110.0, 110.0],
            # faster in 2010 only, yet faster over the period: 120 * 0.95 * 1.00 = 114 vs 100
            ("kemerovo", "mining"): [120.0, 95.0, 100.0],
            # faster in 2010 and 2012 but slower overall: 105 * 0.9 * 1.05 = 99.225 vs 100
            ("kemerovo", "manufacturing"): [105.0, 90.0, 105.0],
            # utilities: 100 in both regions every year -> equal is never "faster"
        },
    )
    got = conclusion.faster_than_russia(w, "kemerovo").set_index("item")
    assert list(got.index) == ITEMS
    assert got.at["industry", "years_region_faster"] == "2010, 2011, 2012"
    assert got.at["industry", "n_years_faster"] == 3
    assert got.at["industry", "cum_region"] == pytest.approx(133.1, abs=TOL)
    assert got.at["mining", "years_region_faster"] == "2010"
    assert got.at["mining", "cum_region"] == pytest.approx(114.0, abs=TOL)
    assert bool(got.at["mining", "faster_over_period"]) is True
    assert got.at["manufacturing", "years_region_faster"] == "2010, 2012"
    assert got.at["manufacturing", "cum_region"] == pytest.approx(99.225, abs=TOL)
    assert bool(got.at["manufacturing", "faster_over_period"]) is False
    assert got.at["utilities", "n_years_faster"] == 0
    assert got.at["utilities", "years_region_faster"] == ""
    assert bool(got.at["utilities", "faster_over_period"]) is False  # 100 vs 100: not faster
    assert (got["n_years"] == 3).all()
    assert got["cum_russia"].tolist() == pytest.approx([100.0] * 4, abs=TOL)


def test_faster_than_russia_of_another_region_and_of_missing_items():
    t = indices([2010, 2011], {("tomsk", "mining"): [102.0, 102.0]}, regions=("kemerovo", "tomsk"))
    t = t[~((t["region"] == "tomsk") & (t["item"] != "mining"))]  # Tomsk has mining only
    got = conclusion.faster_than_russia(conclusion.indices_wide(t), "tomsk").set_index("item")
    assert list(got.index) == ["mining"]  # items the region lacks are left out
    assert got.at["mining", "cum_region"] == pytest.approx(100 * 1.02 * 1.02, abs=TOL)  # 104.04
    # a region without indices: no rows
    assert conclusion.faster_than_russia(conclusion.indices_wide(t), "omsk").empty


def test_an_unknown_index_breaks_the_chain_from_that_year():
    w = wide([2010, 2011, 2012], {("kemerovo", "mining"): [110.0, np.nan, 110.0]})
    k = conclusion.cumulative(w).loc[("kemerovo", "mining")]
    assert k[2010] == pytest.approx(110.0, abs=TOL)
    assert np.isnan(k[2011]) and np.isnan(k[2012])  # no level after an unknown year
    got = conclusion.faster_than_russia(w, "kemerovo").set_index("item")
    assert got.at["mining", "years_region_faster"] == "2010, 2012"  # the unknown year is not counted
    assert got.at["mining", "n_years"] == 2  # known years only
    # the claim over the period covers the unbroken chain only, and says so
    assert got.at["mining", "last_year"] == 2010 and got.at["mining", "cum_region"] == pytest.approx(110.0)
    text = conclusion.reading_indices(got.reset_index(), "R")
    assert "mining: faster than Russia in 2010 alone (2009 = 100: 110.0 against 100.0)" in text


def test_a_series_that_starts_late_is_chained_from_its_first_year_with_russia_rebased():
    # Sevastopol: OKVED-2007 indices from 2015 only (the issue: an invented 2009 = 100, then NaN)
    w = wide(
        [2010, 2011, 2012],
        # mining: known in 2010 and 2012, unknown in 2011, the first year of the common chain
        {
            ("sevastopol", "industry"): [np.nan, 150.0, 110.0],
            ("sevastopol", "mining"): [100.0, np.nan, 100.0],
        },
        regions=("sevastopol",),
    )
    c = conclusion.cumulative(w)
    assert list(c.columns) == [2010, 2011, 2012]  # base: the year before the first index of every row
    assert c.loc[("sevastopol", "industry")].tolist() == pytest.approx([100.0, 150.0, 165.0])
    assert c.loc[("russia", "industry")].tolist() == pytest.approx([100.0] * 3)
    got = conclusion.faster_than_russia(w, "sevastopol").set_index("item")
    assert got.at["industry", "n_years"] == 2 and got.at["industry", "base_year"] == 2010
    text = conclusion.reading_indices(got.reset_index(), "Sevastopol")
    assert "nan" not in text.lower()
    assert "industry: faster than Russia over 2011-2012 (2010 = 100: 165.0 against 100.0)" in text
    # an item without any index of the region: said, no number printed for it
    assert "mining: no chained level for the region; faster in 0 of 2 years." in text


def test_faster_than_russia_on_paper_table7():
    w = conclusion.indices_wide(conclusion.paper_indices())
    got = conclusion.faster_than_russia(w, "kemerovo").set_index("item")
    # Table 7, Kemerovo mining 2010-2016: 109,6 98,1 104,5 101,4 104,2 102,6 106,7
    kem = 100 * 1.096 * 0.981 * 1.045 * 1.014 * 1.042 * 1.026 * 1.067  # 129.96
    # Russia mining: 103,8 101,8 101,0 101,1 101,4 100,3 102,5
    rus = 100 * 1.038 * 1.018 * 1.010 * 1.011 * 1.014 * 1.003 * 1.025  # 112.48
    assert got.at["mining", "cum_region"] == pytest.approx(kem, abs=1e-9)
    assert got.at["mining", "cum_russia"] == pytest.approx(rus, abs=1e-9)
    # slower only in 2011 (98,1 < 101,8)
    assert got.at["mining", "years_region_faster"] == "2010, 2012, 2013, 2014, 2015, 2016"
    assert got.at["mining", "n_years"] == 7


# --------------------------------------------------------------------------- after_the_clusters
@pytest.fixture
def gva_2009_2018(make_gva) -> pd.DataFrame:
    kemerovo = {
        # OKVED-2007 (mining = C): HHI 40^2+10^2+30^2+20^2 = 3000; 50^2+10^2+20^2+20^2 = 3400;
        # 30^2+20^2+30^2+20^2 = 2600
        2009: {"A": 10.0, "C": 40.0, "D": 30.0, "E": 20.0},
        2010: {"A": 10.0, "C": 50.0, "D": 20.0, "E": 20.0},
        2011: {"A": 20.0, "C": 30.0, "D": 30.0, "E": 20.0},
        # OKVED2 (mining = B): 10^2+50^2+20^2+10^2+10^2 = 3200; 10^2+40^2+30^2+10^2+10^2 = 2800;
        # 10^2+60^2+10^2+10^2+10^2 = 4000
        2016: {"A": 10.0, "B": 50.0, "C": 20.0, "D": 10.0, "E": 10.0},
        2017: {"A": 10.0, "B": 40.0, "C": 30.0, "D": 10.0, "E": 10.0},
        2018: {"A": 10.0, "B": 60.0, "C": 10.0, "D": 10.0, "E": 10.0},
    }
    russia_2007 = {"A": 10.0, "C": 10.0, "D": 40.0, "E": 40.0}  # mining 10 %
    russia_2 = {"A": 10.0, "B": 20.0, "C": 50.0, "D": 10.0, "E": 10.0}  # mining 20 %
    structure = {}
    for year, shares in kemerovo.items():
        okved = "OKVED2007" if year < 2016 else "OKVED2"
        structure[("kemerovo", year, okved)] = shares
        structure[("russia", year, okved)] = russia_2007 if year < 2016 else russia_2
    return make_gva(structure)


def test_after_the_clusters_compares_the_years_before_with_the_last_three(gva_2009_2018):
    got = conclusion.after_the_clusters(gva_2009_2018, "kemerovo", founded=2012).set_index("indicator")
    assert got["before_years"].tolist() == ["2009-2011"] * 3
    assert got["after_years"].tolist() == ["2016-2018"] * 3
    assert got["editions"].tolist() == ["OKVED2007 / OKVED2"] * 3
    expected = {
        # (3000 + 3400 + 2600) / 3 = 3000; (3200 + 2800 + 4000) / 3 = 3333.33
        "hhi": (3000.0, 10_000 / 3),
        # mining share (40 + 50 + 30) / 3 = 40; (50 + 40 + 60) / 3 = 50
        "share_pct": (40.0, 50.0),
        # LQ against Russia: (40/10 + 50/10 + 30/10) / 3 = 4; (50/20 + 40/20 + 60/20) / 3 = 2.5
        "lq": (4.0, 2.5),
    }
    for indicator, (before, after) in expected.items():
        assert got.at[indicator, "before"] == pytest.approx(before, abs=TOL), indicator
        assert got.at[indicator, "after"] == pytest.approx(after, abs=TOL), indicator
        assert got.at[indicator, "change"] == pytest.approx(after - before, abs=TOL), indicator


def test_after_the_clusters_window_moves_with_the_founding_year(gva_2009_2018):
    got = conclusion.after_the_clusters(gva_2009_2018, "kemerovo", founded=2010).set_index("indicator")
    assert got.at["hhi", "before_years"] == "2009-2009"
    assert got.at["hhi", "before"] == pytest.approx(3000.0, abs=TOL)  # 2009 only
    assert got.at["lq", "before"] == pytest.approx(4.0, abs=TOL)  # 40 / 10


def test_after_the_clusters_unknown_year_is_left_out_of_the_mean(gva_2009_2018):
    g = gva_2009_2018.copy()
    g.loc[(g["region_id"] == "kemerovo") & (g["year"] == 2010) & (g["activity"] == "C"), "value"] = np.nan
    got = conclusion.after_the_clusters(g, "kemerovo", founded=2012).set_index("indicator")
    # 2010's HHI, mining share and LQ are unknown: the means are of 2009 and 2011
    assert got.at["hhi", "before"] == pytest.approx((3000.0 + 2600.0) / 2, abs=TOL)
    assert got.at["share_pct", "before"] == pytest.approx((40.0 + 30.0) / 2, abs=TOL)
    assert got.at["lq", "before"] == pytest.approx((4.0 + 3.0) / 2, abs=TOL)


def test_after_the_clusters_founded_before_the_data_leaves_before_unknown(gva_2009_2018):
    got = conclusion.after_the_clusters(gva_2009_2018, "kemerovo", founded=2009).set_index("indicator")
    assert got["before"].isna().all()
    assert got.at["hhi", "after"] == pytest.approx(10_000 / 3, abs=TOL)


# --------------------------------------------------------------------- paper_vs_rosstat_indices
def bulletin(rows: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region_id", "year", "activity", "value"])


def test_paper_vs_rosstat_indices_sets_table7_mining_beside_the_bulletin():
    b = bulletin(
        [
            ("kemerovo", 2016, "C", 107.0),
            ("russia", 2016, "C", 102.0),
            ("kemerovo", 2016, "D", 50.0),  # manufacturing: not compared
            ("tomsk", 2016, "C", 50.0),  # another region
            ("kemerovo", 2020, "C", 101.0),  # not in Table 7
        ]
    )
    got = conclusion.paper_vs_rosstat_indices(b).set_index(["region", "year"])
    assert list(got.index) == [("kemerovo", 2016), ("russia", 2016)]
    # Table 7, mining 2016: Kemerovo "106,7", Russia "102,5"
    assert got.at[("kemerovo", 2016), "paper"] == pytest.approx(106.7, abs=TOL)
    assert got.at[("kemerovo", 2016), "difference"] == pytest.approx(107.0 - 106.7, abs=TOL)
    assert got.at[("russia", 2016), "difference"] == pytest.approx(102.0 - 102.5, abs=TOL)


def test_paper_vs_rosstat_indices_without_common_years_is_empty():
    got = conclusion.paper_vs_rosstat_indices(bulletin([("kemerovo", 2020, "C", 101.0)]))
    assert got.empty
    assert {"region", "year", "paper", "rosstat_bulletin", "difference"} <= set(got.columns)


def test_parse_windows():
    assert conclusion.parse_windows("2013-2015, 2017-2019,2021") == [(2013, 2015), (2017, 2019), (2021, 2021)]
    assert conclusion.parse_windows("") == []
    with pytest.raises(ValueError, match="ends before it starts"):
        conclusion.parse_windows("2019-2017")
    with pytest.raises(ValueError, match="YEAR or YEAR-YEAR"):
        conclusion.parse_windows("twenty")


def test_default_windows_after_the_founding_year():
    years = list(range(2009, 2023))
    assert conclusion.default_windows(2012, years) == [(2013, 2015), (2017, 2019), (2020, 2022)]
    # founded in 2018: the three years after it, and the last three, without repeating 2017-2019
    assert conclusion.default_windows(2018, years) == [(2019, 2021), (2020, 2022)]


def test_real_grp_relative_chains_the_ratio_of_volume_indices():
    v = pd.DataFrame(
        {
            "region_id": ["r", "r", "russia", "russia"],
            "year": [2010, 2011, 2010, 2011],
            "value": [110.0, 99.0, 100.0, 110.0],
        }
    )
    got = conclusion.real_grp_relative(v, "r")
    # 2009 = 100; 2010: 100 * 1.10 / 1.00 = 110; 2011: 110 * 0.99 / 1.10 = 99
    assert list(got.index) == [2009, 2010, 2011]
    assert got.to_numpy() == pytest.approx([100.0, 110.0, 99.0], abs=1e-12)


def test_after_the_clusters_reports_every_window_and_the_volume_measure(gva_2009_2018):
    v = pd.DataFrame(
        {"region_id": ["kemerovo", "russia"] * 2, "year": [2010, 2010, 2017, 2017], "value": 100.0}
    )
    got = conclusion.after_the_clusters(gva_2009_2018, "kemerovo", 2012, [(2016, 2017), (2018, 2018)], v)
    assert list(got["after_years"].drop_duplicates()) == ["2016-2017", "2018-2018"]
    assert set(got["indicator"]) == {"hhi", "share_pct", "lq", "real_grp_vs_russia"}
    assert set(got.loc[got["indicator"] == "lq", "activity"]) == {"mining"}
    assert set(got.loc[got["indicator"] == "real_grp_vs_russia", "measure"]) == {"volume"}


def test_draw_windows_shows_the_before_mean_and_each_window_and_says_when_a_window_is_short():
    from analysis.core import figures as F

    after = pd.DataFrame(
        {
            "indicator": ["hhi", "hhi", "real_grp_vs_russia", "real_grp_vs_russia"],
            "measure": ["nominal shares", "nominal shares", "volume", "volume"],
            "before": [1500.0, 1500.0, 90.0, 90.0],
            "before_years": ["2009-2011"] * 4,
            "after": [1400.0, 1700.0, 80.0, 70.0],
            "after_years": ["2013-2015", "2020-2022"] * 2,
            "years_with_data": [3, 3, 3, 1],
            "change": [-100.0, 200.0, -10.0, -20.0],
            "editions": ["x"] * 4,
        }
    )
    fig = conclusion.draw_windows(after, lang="en", region_name="R", founded=2012)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 2  # one panel per indicator present
    hhi, grp = shown
    assert [p.get_height() for p in hhi.patches] == [1500.0, 1400.0, 1700.0]
    assert [t.get_text() for t in hhi.get_xticklabels()] == ["2009-2011", "2013-2015", "2020-2022"]
    assert grp.get_xticklabels()[2].get_text() == "2020-2022\n1 of 3 years"  # a mean of one year, said
    assert hhi.patches[0].get_facecolor() != hhi.patches[1].get_facecolor()  # before and after apart
    F.plt.close(fig)


# ------------------------------------------------------------- the region's own specialisation
def test_specialisations_rank_broad_activities_by_lq_before_the_founding(gva_2009_2018):
    got = conclusion.specialisations(gva_2009_2018, "kemerovo", 2012)
    assert set(got["year"]) == {2011}  # the last year before 2012 with data
    assert got["activity"].iloc[0] == "mining"
    assert got["lq"].iloc[0] == pytest.approx(30.0 / 10.0, abs=TOL)  # C: 30 against Russia's 10


def test_the_question_asked_again_follows_a_trade_city_s_trade_not_mining(make_gva):
    # a region whose top LQ is trade (G): no "mining" hard-wired, and no volume share for trade
    g = make_gva(
        {("city", y, "OKVED2007"): {"C": 1.0, "D": 20.0, "G": 40.0, "K": 39.0} for y in (2010, 2011, 2013)}
        | {
            ("russia", y, "OKVED2007"): {"C": 10.0, "D": 20.0, "G": 20.0, "K": 50.0}
            for y in (2010, 2011, 2013)
        }
    )
    after = conclusion.after_the_clusters(g, "city", 2012, [(2013, 2013)])
    assert set(after.loc[after["indicator"].isin(["share_pct", "lq"]), "activity"]) == {"trade"}
    spec = conclusion.specialisations(g, "city", 2012)
    text = conclusion.reading_specialisation(spec, "trade", None, "City")
    assert "trade, its broad activity with the highest LQ of GVA against Russia in 2011 (2.00)" in text
    assert "Trade has no share in volume here" in text
    assert "mining" not in text.split("the highest LQs that year")[0]


def test_reading_bulletin_counts_and_lists_the_region_years_that_differ():
    pvr = pd.DataFrame(
        {
            "region": ["kemerovo", "kemerovo", "russia"],
            "year": [2010, 2011, 2010],
            "difference": [0.0, -0.3, 0.04],
        }
    )
    text = conclusion.reading_bulletin(pvr)
    assert text == "The bulletin equals Table 7 in 2 of 3 region-years; it differs in kemerovo 2011 (-0.3)."
    assert conclusion.reading_bulletin(pvr.iloc[[0]]).endswith("it differs in none.")


def _pvo(rows: list[tuple[str, str, int, float, float]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["region", "item", "year", "paper", "official"])
    return df.assign(difference=df["official"] - df["paper"])


def test_official_chains_set_the_official_indices_against_the_faster_judgement():
    """Issue 20.9: where Table 7's cells differ from Rosstat's, the reading says what Rosstat's
    indices make of "faster than Russia" (chained margins, and the years whose verdict flips)."""
    pvo = _pvo(
        [
            ("r", "industry", 2015, 110.0, 102.0),  # faster either way (Russia 100)
            ("r", "industry", 2016, 103.0, 99.0),  # faster on paper, slower officially (Russia 101)
            ("r", "mining", 2015, 105.0, 105.0),  # no difference: no chain
            ("russia", "industry", 2015, 100.0, 100.0),
            ("russia", "industry", 2016, 101.0, 101.0),
            ("russia", "mining", 2015, 100.0, 100.0),
        ]
    )
    c = conclusion.official_chains(pvo)
    assert c["item"].tolist() == ["industry"]
    r = c.iloc[0]
    assert r["base"] == 2014
    assert r["cum_paper"] == pytest.approx(113.3)
    assert r["cum_official"] == pytest.approx(100.98)
    assert r["cum_russia"] == pytest.approx(101.0)
    assert r["years_flipped"] == "2016"
    text = conclusion.reading_official(pvo)
    assert "r industry is 100.98 against Russia's 101.00" in text  # decimals enough to tell them apart
    assert "not faster than Russia, unlike the paper" in text
    assert "change which years it grew faster: 2016." in text


def test_reading_official_on_table7_keeps_faster_with_half_the_margin():
    from analysis.inputs import region as region_data

    pvo = conclusion.paper_vs_official_indices(
        conclusion.paper_indices(), region_data.official_indices("kemerovo", "OKVED2007", 2010, 2016)
    )
    text = conclusion.reading_official(pvo)
    # Rosstat's chained industry 126.4 against Russia's 116.2 (the paper's 137.1): faster still
    assert "kemerovo industry is 126.4 against Russia's 116.2 (2009 = 100; Table 7 gives 137.1)" in text
    assert "faster than Russia, as in the paper, with a margin of +10.2 points against +20.9" in text
