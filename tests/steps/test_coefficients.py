"""Tests of analysis.steps.coefficients: per-capita production coefficients
(x_r / x_RF) / (P_r / P_RF) and the regional marketability of shipments.

Toy shipments and population come from ``make_tidy`` (tests/steps/conftest.py) in the shape of
data/interim/rosstat/{shipments,population}.csv; paper checks cite Tables 2 and 3.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.steps import coefficients

TOL = 1e-9


@pytest.fixture
def shipments(make_tidy) -> pd.DataFrame:
    return make_tidy(
        [
            ("kemerovo", 2015, "C", 300.0),
            ("russia", 2015, "C", 1000.0),
            ("kemerovo", 2015, "D", 50.0),
            ("russia", 2015, "D", 2000.0),
            ("kemerovo", 2016, "C", 200.0),
            ("russia", 2016, "C", 1000.0),
            ("kemerovo", 2017, "C", 1.0),  # no population for 2017: dropped
            ("russia", 2017, "C", 10.0),
            ("tomsk", 2015, "C", 500.0),  # another region: not used
        ],
        "mln RUB",
    )


@pytest.fixture
def population(make_tidy) -> pd.DataFrame:
    return make_tidy(
        [
            ("kemerovo", 2015, "total", 2.0),
            ("russia", 2015, "total", 100.0),
            ("kemerovo", 2016, "total", 4.0),
            ("russia", 2016, "total", 100.0),
            ("tomsk", 2015, "total", 50.0),
        ],
        "persons",
    )


# ----------------------------------------------------------------------- rosstat_coefficients
def test_rosstat_coefficients_are_output_share_over_population_share(shipments, population):
    got = coefficients.rosstat_coefficients(shipments, population, "kemerovo")
    expected = pd.DataFrame(
        {
            "year": [2015, 2016, 2015],
            "okved": ["OKVED2007"] * 3,
            "activity": ["C", "C", "D"],
            # C 2015: (300 / 1000) / (2 / 100) = 0.3 / 0.02 = 15
            # C 2016: (200 / 1000) / (4 / 100) = 0.2 / 0.04 = 5
            # D 2015: (50 / 2000) / (2 / 100) = 0.025 / 0.02 = 1.25
            "coefficient": [15.0, 5.0, 1.25],
        }
    )
    got.columns.name = None  # the pivot's axis name is not part of the result
    assert_frame_equal(got, expected, check_exact=False, atol=TOL, rtol=0)


def test_rosstat_coefficients_drop_years_with_an_unknown_input(shipments, population):
    s = shipments.copy()
    s.loc[(s["region_id"] == "kemerovo") & (s["year"] == 2016), "value"] = np.nan
    got = coefficients.rosstat_coefficients(s, population, "kemerovo")
    assert list(zip(got["year"], got["activity"])) == [(2015, "C"), (2015, "D")]
    assert not got["coefficient"].isna().any()


def test_rosstat_coefficients_of_an_absent_region_are_empty(shipments, population):
    got = coefficients.rosstat_coefficients(shipments, population, "omsk")
    assert got.empty
    assert list(got.columns) == ["year", "okved", "activity", "coefficient"]


def test_rosstat_coefficients_without_russia_are_empty(shipments, population):
    got = coefficients.rosstat_coefficients(
        shipments[shipments["region_id"] != "russia"], population, "kemerovo"
    )
    assert got.empty


# ------------------------------------------------------------------------------ marketability
def test_marketability_is_shipments_out_over_production():
    shipments = pd.DataFrame(
        {
            "product": ["coal"] * 4,
            "year": [2014, 2015, 2016, 2017],
            "production": [100.0, 100.0, np.nan, 100.0],
            "out_domestic": [60.0, 60.0, 60.0, np.nan],
            "out_export": [50.0, np.nan, 30.0, np.nan],
            "unit": ["thousand t"] * 4,
        }
    )
    got = coefficients.marketability(shipments).set_index("year")
    # 2014: (60 + 50) / 100 = 1.1 (above 1 is possible: shipments from stocks); export 100 * 50 / 110
    assert got.at[2014, "out_total"] == pytest.approx(110.0, abs=TOL)
    assert got.at[2014, "marketability"] == pytest.approx(1.1, abs=TOL)
    assert got.at[2014, "export_share_of_out_pct"] == pytest.approx(100 * 50 / 110, abs=TOL)
    # 2015: no export value. Current behaviour: an absent destination counts as 0 -> 60 / 100
    assert got.at[2015, "marketability"] == pytest.approx(0.6, abs=TOL)
    assert np.isnan(got.at[2015, "export_share_of_out_pct"])
    # 2016: production not given -> NaN
    assert got.at[2016, "out_total"] == pytest.approx(90.0, abs=TOL)
    assert np.isnan(got.at[2016, "marketability"])
    # 2017: neither destination -> total and marketability unknown, not 0
    assert np.isnan(got.at[2017, "out_total"]) and np.isnan(got.at[2017, "marketability"])
    # the input is not modified
    assert list(shipments.columns) == ["product", "year", "production", "out_domestic", "out_export", "unit"]


def test_marketability_of_zero_production_is_nan():
    shipments = pd.DataFrame(
        {"product": ["coal"], "year": [2015], "production": [0.0], "out_domestic": [5.0], "out_export": [0.0]}
    )
    assert np.isnan(coefficients.marketability(shipments)["marketability"].iloc[0])


@pytest.fixture
def table3() -> pd.DataFrame:
    """Table 3 (coal, thousand t) as printed: production "209709,0 215249,0 227432,7"; out,
    domestic "87811,55 88030,15 86446,76"; out, export "116697,41 115299,21 124240,19" (2014-2016)."""
    return pd.DataFrame(
        {
            "product": ["coal"] * 3,
            "year": [2014, 2015, 2016],
            "production": [209709.0, 215249.0, 227432.7],
            "out_domestic": [87811.55, 88030.15, 86446.76],
            "out_export": [116697.41, 115299.21, 124240.19],
        }
    )


def test_marketability_recomputes_table3(table3):
    m = coefficients.marketability(table3).set_index("year")
    # 2014: 87811.55 + 116697.41 = 204508.96 (Table 3 prints "204508,96"); / 209709.0 = 0.97520
    assert m.at[2014, "out_total"] == pytest.approx(204508.96, abs=1e-6)
    assert m.at[2014, "marketability"] == pytest.approx(204508.96 / 209709.0, abs=TOL)
    assert m.at[2014, "export_share_of_out_pct"] == pytest.approx(100 * 116697.41 / 204508.96, abs=TOL)
    # Table 3 prints the marketability as 0,98; 0,94; 0,93: the recomputed values rounded
    assert m["marketability"].round(2).tolist() == [0.98, 0.94, 0.93]


# ------------------------------------------------------------------------------ changes, by_year
@pytest.fixture
def table2() -> pd.DataFrame:
    """Three rows of Table 2 (2011-2016) as printed: coal "29,68 31,49 30,49 31,58 31,18 31,72";
    electricity "1,23 1,24 1,00 1,09 1,29 1,24"; fuel oil "0,10 0,16 0,48 1,03 1,22 1,50"."""
    values = {
        "coal": [29.68, 31.49, 30.49, 31.58, 31.18, 31.72],
        "electricity": [1.23, 1.24, 1.00, 1.09, 1.29, 1.24],
        "fuel_oil": [0.10, 0.16, 0.48, 1.03, 1.22, 1.50],
    }
    rows = [(p, 2011 + i, v) for p, vs in values.items() for i, v in enumerate(vs)]
    return pd.DataFrame(rows, columns=["product", "year", "coefficient"])


def test_by_year_keeps_the_product_order(table2):
    w = coefficients.by_year(table2.iloc[::-1])  # given last product first
    assert list(w.index) == ["fuel_oil", "electricity", "coal"]
    assert list(w.columns) == list(range(2011, 2017))


def test_changes_from_table2(table2):
    ch = coefficients.changes(coefficients.by_year(table2))
    # coal: 29.68 (2011) -> 31.72 (2016): (31.72 / 29.68 - 1) * 100 = 6.873 %, as the abstract says
    assert ch.at["coal", "coef_2011"] == pytest.approx(29.68, abs=TOL)
    assert ch.at["coal", "coef_2016"] == pytest.approx(31.72, abs=TOL)
    assert ch.at["coal", "change_pct"] == pytest.approx((31.72 / 29.68 - 1) * 100, abs=TOL)
    assert ch.at["coal", "ratio_last_to_first"] == pytest.approx(31.72 / 29.68, abs=TOL)
    # fuel oil 0.10 -> 1.50: ratio 15, +1400 %
    assert ch.at["fuel_oil", "change_pct"] == pytest.approx(1400.0, abs=1e-9)
    # above 1 in every year: coal yes; electricity is 1.00 in 2013 (equal, not above); fuel oil no
    assert ch["above_1_every_year"].to_dict() == {"coal": True, "electricity": False, "fuel_oil": False}


def test_changes_with_an_unknown_last_year_is_nan(table2):
    w = coefficients.by_year(table2)
    w.loc["coal", 2016] = np.nan
    ch = coefficients.changes(w)
    assert np.isnan(ch.at["coal", "change_pct"]) and np.isnan(ch.at["coal", "ratio_last_to_first"])
    assert ch.at["fuel_oil", "change_pct"] == pytest.approx(1400.0, abs=1e-9)  # other rows unaffected


def test_rosstat_coefficients_keep_the_edition_with_the_letter(shipments, population):
    """C is mining in OKVED-2007 and manufacturing in OKVED2: the two never share a series."""
    later = shipments.assign(year=shipments["year"] + 2, okved="OKVED2")
    pop = pd.concat([population, population.assign(year=population["year"] + 2)], ignore_index=True)
    got = coefficients.rosstat_coefficients(pd.concat([shipments, later]), pop, "kemerovo")
    assert set(zip(got["okved"], got["activity"])) == {
        ("OKVED2007", "C"),
        ("OKVED2007", "D"),
        ("OKVED2", "C"),
        ("OKVED2", "D"),
    }
    # the older edition first, as the years run
    assert list(got["okved"].drop_duplicates()) == ["OKVED2007", "OKVED2"]


# ------------------------------------------------------------------ cross-table plausibility
def _pop() -> pd.DataFrame:
    # Rosstat's annual averages (population.csv): Kemerovo region and Russia, 2011 and 2016
    return pd.DataFrame(
        {
            "region_id": ["kemerovo", "russia", "kemerovo", "russia"],
            "year": [2011, 2011, 2016, 2016],
            "activity": "total",
            "value": [2755459.0, 143018195.0, 2706960.0, 147381167.0],
        }
    )


def test_implied_national_output_inverts_the_coefficient():
    ps = coefficients.population_share(_pop(), "kemerovo")
    assert ps[2016] == pytest.approx(2706960 / 147381167)
    wide = pd.DataFrame({2011: [29.68], 2016: [31.72]}, index=pd.Index(["coal"], name="product"))
    market = pd.DataFrame(
        {"product": ["coal"], "year": [2016], "unit": ["thousand t"], "production": [227432.7]}
    )
    out = coefficients.implied_national_output(wide, market, ps)
    # x_RF = x_r / (K * P_r / P_RF) = 227 432.7 / (31.72 * 0.018367) = 390 373 thousand t
    assert out.at[0, "implied_national_output"] == pytest.approx(227432.7 / (31.72 * 2706960 / 147381167))
    assert out.at[0, "implied_national_output"] == pytest.approx(390373, abs=1)
    assert out.at[0, "output_share_pct"] == pytest.approx(100 * 31.72 * 2706960 / 147381167)


def test_decomposition_adds_up_and_splits_coal():
    ps = coefficients.population_share(_pop(), "kemerovo")
    wide = pd.DataFrame(
        {2011: [29.68, 6.29], 2016: [31.72, 5.32]}, index=pd.Index(["coal", "steel"], name="product")
    )
    d = coefficients.decompose_changes(wide, ps)
    assert (d["log_from_population"] + d["log_from_output_share"]).to_numpy() == pytest.approx(
        d["log_change"].to_numpy()
    )
    # the multiplicative parts: (1 + output) / (1 + 1/population-part) ... multiply back to the change
    back = (1 + d["from_output_share_pct"] / 100) * (1 + d["from_population_pct"] / 100) - 1
    assert (100 * back).to_numpy() == pytest.approx(d["change_pct"].to_numpy())
    assert d.at["coal", "change_pct"] == pytest.approx(100 * (31.72 / 29.68 - 1))  # +6.87 %
    share_ratio = (2706960 / 147381167) / (2755459 / 143018195)
    assert d.at["coal", "from_output_share_pct"] == pytest.approx(
        100 * (31.72 / 29.68 * share_ratio - 1)
    )  # ~ +1.9 %
    assert d.at["coal", "from_output_share_pct"] < d.at["coal", "from_population_pct"]
    implied = pd.DataFrame(
        {"product": ["coal"], "year": [2016], "unit": ["thousand t"], "implied_national_output": [390373.0]}
    ).assign(output_share_pct=58.3)
    text = coefficients.reading_plausibility(implied, d)
    assert f"{d.at['coal', 'from_output_share_pct']:+.1f} %" in text
    # without production the decomposition alone is no plausibility check: said so
    assert coefficients.reading_plausibility(implied.iloc[:0], d) == (
        "No product with both a coefficient and production."
    )


def test_reading_plausibility_covers_every_product_with_production_and_no_default_product():
    # a region with three products, none of them coal (the issue: "No product with both ..." under them)
    products = ["crude_oil", "polyethylene", "trucks"]
    implied = pd.DataFrame(
        {
            "product": products,
            "year": [2016] * 3,
            "unit": ["thousand t", "thousand t", "units"],
            "implied_national_output": [500000.0, 2000.0, 0.004],
            "output_share_pct": [6.0, 30.0, 0.0002],
        }
    )
    wide = pd.DataFrame(
        {2011: [1.0, 2.0, 3.0], 2016: [1.5, 2.0, 2.0]}, index=pd.Index(products, name="product")
    )
    d = coefficients.decompose_changes(wide, pd.Series({2011: 0.02, 2016: 0.021}))
    text = coefficients.reading_plausibility(implied, d)
    assert all(f"national output of {p}" in text for p in products) and "coal" not in text
    assert "0.004 (2016) units" in text and "0.0002 %" in text  # nonzero values never print as zero
    assert "nan" not in text.lower()


def _shipments(rows):
    return pd.DataFrame(
        [{"region_id": r, "year": y, "okved": "OKVED2007", "activity": a, "value": v} for r, y, a, v in rows]
    )


def test_a_region_that_enters_the_shipments_late_has_its_first_year_flagged():
    # Issue 19.12: Sevastopol's 2014 (its first year in Rosstat's tables) was not flagged.
    s = _shipments(
        [("russia", y, "D", 100.0) for y in (2012, 2013, 2014, 2015)]
        + [("r", 2014, "D", 3.0), ("r", 2014, "E", 1.0), ("r", 2015, "D", 12.0), ("r", 2015, "E", 4.0)]
        + [("old", y, "D", 5.0) for y in (2012, 2013, 2014, 2015)]
    )
    late = coefficients.late_start(s, "r")
    assert late == {"year": 2014, "first_year_russia": 2012, "ratio": pytest.approx(0.25, abs=1e-12)}
    assert coefficients.late_start(s, "old") is None
    rc = pd.DataFrame(
        {"year": [2014, 2015], "okved": "OKVED2007", "activity": "D", "coefficient": [1.0, 1.0]}
    )
    text = coefficients.reading_rosstat_coefficients(rc, s, "r", "R")
    assert "R first appears in Rosstat's shipments in 2014" in text and "0.25 of 2015's" in text
    assert "first appears" not in coefficients.reading_rosstat_coefficients(rc, s, "old", "Old")


def _entrant_pop(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region_id", "year", "value"])


def test_population_entrants_splits_the_population_term():
    # Russia grows 100 -> 110 only because "e" (10) enters: the whole population term is the entrant's
    pop = _entrant_pop(
        [("r", 1, 10.0), ("r", 2, 10.0), ("russia", 1, 100.0), ("russia", 2, 110.0), ("e", 2, 10.0)]
    )
    got = coefficients.population_entrants(pop, "r", 1, 2, ["r", "e"])
    assert got is not None and got.regions == ("e",)
    assert got.from_population_pct == pytest.approx(10.0, abs=1e-9)
    assert got.without_entrants_pct == pytest.approx(0.0, abs=1e-9)
    assert got.entrants_pct == pytest.approx(10.0, abs=1e-9)
    # a part of a region published late is no entrant (not among the units that partition Russia)
    assert coefficients.population_entrants(pop, "r", 1, 2, ["r"]) is None
    # nobody enters within the window
    assert coefficients.population_entrants(pop, "r", 2, 2, ["r", "e"]) is None


def test_population_entrants_of_kemerovo_2011_2016_are_crimea_and_sevastopol():
    """Issue 20.7: of coal's +6.9 % (Table 2, 2011-2016) the population share gives 4.9 %, about 1.7
    points of it Crimea's and Sevastopol's entry into Russia's population in 2014."""
    from analysis.inputs import regions, rosstat

    pop = rosstat.table("population")
    got = coefficients.population_entrants(
        pop, "kemerovo", 2011, 2016, [r.id for r in regions.top_level_regions()]
    )
    assert got is not None and got.regions == ("crimea", "sevastopol")
    w = pop.pivot_table(index="year", columns="region_id", values="value")
    share = w["kemerovo"] / w["russia"]
    assert got.from_population_pct == pytest.approx(100 * (share[2011] / share[2016] - 1), rel=1e-12)
    net = w.at[2016, "kemerovo"] / (w.at[2016, "russia"] - w.at[2016, "crimea"] - w.at[2016, "sevastopol"])
    assert got.without_entrants_pct == pytest.approx(100 * (share[2011] / net - 1), rel=1e-12)
    assert 1.6 < got.entrants_pct < 1.8  # the "about 1.7"
