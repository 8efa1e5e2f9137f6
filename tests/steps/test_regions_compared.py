"""Tests of analysis.steps.regions_compared: the HHI of every region with its rank, the LQs of the
broad activities of every region against Russia, and one region's position.

Toy GVA tables come from ``make_gva`` (tests/steps/conftest.py) with real region ids (the
functions keep only the 85 regions of data/reference/regions.csv).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.steps import regions_compared

TOL = 1e-9


@pytest.fixture
def gva(make_gva) -> pd.DataFrame:
    return make_gva(
        {
            # HHI 50^2 + 10^2 + 20^2 + 20^2 = 3400
            ("kemerovo", 2015, "OKVED2007"): {"A": 10.0, "C": 50.0, "D": 20.0, "E": 20.0},
            # 25^2 * 4 = 2500
            ("tomsk", 2015, "OKVED2007"): {"A": 25.0, "C": 25.0, "D": 25.0, "E": 25.0},
            # 10^2 + 80^2 + 10^2 = 6600
            ("khanty_mansi", 2015, "OKVED2007"): {"A": 10.0, "C": 80.0, "D": 10.0},
            # OKVED2 (mining = B, manufacturing = C): 10^2 + 40^2 + 30^2 + 10^2 + 10^2 = 2800 each
            ("kemerovo", 2016, "OKVED2"): {"A": 10.0, "B": 40.0, "C": 30.0, "D": 10.0, "E": 10.0},
            ("tomsk", 2016, "OKVED2"): {"A": 10.0, "B": 30.0, "C": 40.0, "D": 10.0, "E": 10.0},
            # Russia and a federal district are not regions: not ranked
            ("russia", 2015, "OKVED2007"): {"A": 10.0, "C": 10.0, "D": 40.0, "E": 40.0},
            ("russia", 2016, "OKVED2"): {"A": 10.0, "B": 20.0, "C": 50.0, "D": 10.0, "E": 10.0},
            ("siberian_fd", 2015, "OKVED2007"): {"A": 100.0},
        }
    )


# ------------------------------------------------------------------------------------ hhi_all
def test_hhi_all_ranks_regions_by_concentration(gva):
    got = regions_compared.hhi_all(gva)
    expected = pd.DataFrame(
        {
            "region_id": ["khanty_mansi", "kemerovo", "tomsk", "kemerovo", "tomsk"],
            "year": [2015, 2015, 2015, 2016, 2016],
            "okved": ["OKVED2007"] * 3 + ["OKVED2"] * 2,
            "hhi": [6600.0, 3400.0, 2500.0, 2800.0, 2800.0],
            # 1 = most concentrated; equal HHIs share the better rank (method "min")
            "rank": pd.array([1, 2, 3, 1, 1], dtype="Int64"),
            "n_regions": [3, 3, 3, 2, 2],
        }
    )
    assert_frame_equal(got, expected, check_exact=False, atol=TOL, rtol=0)


def test_hhi_all_region_with_an_unknown_share_is_unranked(gva):
    g = gva.copy()
    g.loc[(g["region_id"] == "tomsk") & (g["year"] == 2015) & (g["activity"] == "C"), "value"] = np.nan
    got = regions_compared.hhi_all(g).set_index(["region_id", "year"])
    assert np.isnan(got.at[("tomsk", 2015), "hhi"])
    assert pd.isna(got.at[("tomsk", 2015), "rank"])
    assert got.at[("khanty_mansi", 2015), "rank"] == 1
    assert got.at[("kemerovo", 2015), "rank"] == 2


# ------------------------------------------------------------------------------- lq_broad_all
def test_lq_broad_all_ranks_regions_against_russia(gva):
    got = regions_compared.lq_broad_all(gva).set_index(["region_id", "year", "activity"])
    assert "russia" not in set(got.index.get_level_values("region_id"))
    assert "siberian_fd" not in set(got.index.get_level_values("region_id"))
    expected = {
        # mining 2015 (C): 50/10 = 5, 25/10 = 2.5, 80/10 = 8 -> ranks 2, 3, 1
        ("kemerovo", 2015, "mining"): (5.0, 2),
        ("tomsk", 2015, "mining"): (2.5, 3),
        ("khanty_mansi", 2015, "mining"): (8.0, 1),
        # manufacturing 2015 (D): 20/40 = 0.5, 25/40 = 0.625, 10/40 = 0.25 -> 2, 1, 3
        ("kemerovo", 2015, "manufacturing"): (0.5, 2),
        ("tomsk", 2015, "manufacturing"): (0.625, 1),
        ("khanty_mansi", 2015, "manufacturing"): (0.25, 3),
        # mining 2016 (B): 40/20 = 2, 30/20 = 1.5; manufacturing 2016 (C): 30/50 = 0.6, 40/50 = 0.8
        ("kemerovo", 2016, "mining"): (2.0, 1),
        ("tomsk", 2016, "mining"): (1.5, 2),
        ("kemerovo", 2016, "manufacturing"): (0.6, 2),
        ("tomsk", 2016, "manufacturing"): (0.8, 1),
    }
    assert len(got) == len(expected)
    for key, (lq, rank) in expected.items():
        assert got.at[key, "lq"] == pytest.approx(lq, abs=TOL), key
        assert got.at[key, "rank"] == rank, key
    assert got.at[("tomsk", 2015, "manufacturing"), "share_russia"] == pytest.approx(40.0, abs=TOL)


def test_lq_broad_all_region_absent_from_russias_year_is_nan(make_gva):
    g = make_gva(
        {
            ("kemerovo", 2015, "OKVED2007"): {"C": 50.0, "D": 20.0},
            ("tomsk", 2015, "OKVED2007"): {"C": 25.0, "D": 25.0},
            ("russia", 2015, "OKVED2007"): {"D": 40.0},  # Russia's mining share not given
        }
    )
    got = regions_compared.lq_broad_all(g).set_index(["region_id", "activity"])
    assert np.isnan(got.at[("kemerovo", "mining"), "lq"])
    assert pd.isna(got.at[("kemerovo", "mining"), "rank"])
    assert got.at[("kemerovo", "manufacturing"), "lq"] == pytest.approx(0.5, abs=TOL)  # 20 / 40


# ---------------------------------------------------------------------------- region_position
def test_region_position_joins_hhi_rank_and_lqs(gva):
    h, lq = regions_compared.hhi_all(gva), regions_compared.lq_broad_all(gva)
    got = regions_compared.region_position(h, lq, "kemerovo").set_index("year")
    assert list(got.index) == [2015, 2016]
    assert got["okved"].tolist() == ["OKVED2007", "OKVED2"]
    assert got["hhi"].tolist() == pytest.approx([3400.0, 2800.0], abs=TOL)
    assert got["rank"].tolist() == [2, 1]
    assert got["n_regions"].tolist() == [3, 2]
    assert got["lq_mining"].tolist() == pytest.approx([5.0, 2.0], abs=TOL)  # 50/10; 40/20
    assert got["lq_mining_rank"].tolist() == [2, 1]
    assert got["lq_manufacturing"].tolist() == pytest.approx([0.5, 0.6], abs=TOL)  # 20/40; 30/50
    assert got["lq_manufacturing_rank"].tolist() == [2, 2]


def test_region_position_of_a_region_without_lqs_has_nan_lqs(gva):
    h = regions_compared.hhi_all(gva)
    lq = regions_compared.lq_broad_all(gva)
    got = regions_compared.region_position(h, lq[lq["region_id"] != "khanty_mansi"], "khanty_mansi")
    assert got["hhi"].tolist() == pytest.approx([6600.0], abs=TOL)
    assert got["rank"].tolist() == [1]
    assert got["lq_mining"].isna().all() and got["lq_manufacturing"].isna().all()


def test_region_position_of_an_absent_region_is_empty(gva):
    h, lq = regions_compared.hhi_all(gva), regions_compared.lq_broad_all(gva)
    got = regions_compared.region_position(h, lq, "omsk")
    assert got.empty
    assert {"year", "hhi", "rank", "lq_mining", "lq_manufacturing_rank"} <= set(got.columns)


def test_all_regions_tables_equal_the_one_region_computations():
    """The all-regions tables (one row per region and year) agree with the per-region functions
    of steps 4, 5 and 7, on the real Rosstat tables."""
    from analysis.inputs import rosstat
    from analysis.steps import coefficients, freight

    rail, pop = rosstat.table("rail_dispatch"), rosstat.table("population")
    ship = pd.concat([rosstat.table("shipments"), rosstat.table("shipments_okved2")], ignore_index=True)
    for region in ("kemerovo", "tomsk", "khanty_mansi"):
        one = freight.dispatch(rail, pop, region).dropna(subset=["dispatch_mt"]).set_index("year")
        every = regions_compared.dispatch_all(rail, pop).query("region_id == @region").set_index("year")
        assert list(every.index) == list(one.index)
        np.testing.assert_allclose(every["share_pct"], one["share_pct"], rtol=1e-12)
        np.testing.assert_allclose(every["per_capita_vs_russia"], one["per_capita_vs_russia"], rtol=1e-12)
        assert (every["rank"] == one["rank"]).all()
        c1 = coefficients.rosstat_coefficients(ship, pop, region).set_index(["year", "okved", "activity"])
        c2 = regions_compared.coefficients_all(ship, pop).query("region_id == @region")
        c2 = c2.set_index(["year", "okved", "activity"])["coefficient"].reindex(c1.index)
        np.testing.assert_allclose(c2.to_numpy(), c1["coefficient"].to_numpy(), rtol=1e-12)
    i = regions_compared.indices_all(rosstat.table("production_indices")).set_index(
        ["region_id", "year", "okved", "item"]
    )
    # 12.4.1, Kemerovo mining 2013: 101.4 against Russia's 101.1 -> faster
    assert i.loc[("kemerovo", 2013, "OKVED2007", "mining"), "faster_than_russia"]
