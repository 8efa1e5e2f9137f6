"""Tests of analysis.steps.national_clusters on hand-made frames: the partition rule, section LQs,
base rates, each cluster's LQ at its listing year or the nearest year (said), verdict counts, the
exact binomial test against a hand computation, monotowns per unit, map values and the readings.

Toy GVA tables come from ``make_gva`` (tests/steps/conftest.py), with real region ids (the
partition is over the 85 regions of data/reference/regions.csv).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.inputs import national
from analysis.inputs.regions import all_regions
from analysis.steps import national_clusters as nc

TOL = 1e-9


@pytest.fixture
def gva(make_gva) -> pd.DataFrame:
    return make_gva(
        {
            ("russia", 2012, "OKVED2007"): {"A": 50.0, "D": 50.0},
            ("kemerovo", 2012, "OKVED2007"): {"A": 80.0, "D": 20.0},  # LQ A 1.6, D 0.4
            ("tomsk", 2012, "OKVED2007"): {"A": 30.0, "D": 70.0},  # 0.6, 1.4
            ("tyumen", 2012, "OKVED2007"): {"A": 10.0, "D": 90.0},  # container: never a unit
            ("tyumen_excl_ao", 2012, "OKVED2007"): {"A": 60.0, "D": 40.0},  # 1.2, 0.8
            ("khanty_mansi", 2012, "OKVED2007"): {"A": 45.0, "D": 55.0},  # 0.9, 1.1
            # 2010: the part without the okrugs is not published, so Tyumen region is left out
            ("russia", 2010, "OKVED2007"): {"A": 40.0, "D": 60.0},
            ("kemerovo", 2010, "OKVED2007"): {"A": 20.0, "D": 80.0},  # 0.5, 1.333
            ("tyumen", 2010, "OKVED2007"): {"A": 80.0, "D": 20.0},
            ("khanty_mansi", 2010, "OKVED2007"): {"A": 30.0, "D": 70.0},  # 0.75, 1.1667
            ("russia", 2017, "OKVED2"): {"B": 20.0, "C": 60.0, "J": 20.0},
            ("kemerovo", 2017, "OKVED2"): {"B": 50.0, "C": 30.0, "J": 20.0},  # 2.5, 0.5, 1.0
            ("tomsk", 2017, "OKVED2"): {"B": 10.0, "C": 50.0, "J": 40.0},  # 0.5, 0.8333, 2.0
        }
    )


def _clusters(rows: list[tuple[str, str, object, str, str]]) -> pd.DataFrame:
    """(cluster, region_id, year, sections, divisions) as national.national_clusters gives them."""
    df = pd.DataFrame(rows, columns=["cluster", "region_id", "year", "sections", "divisions"])
    df["year"] = df["year"].astype("Int64")
    df["list"] = "toy"
    df["codes"] = ""
    return df


def test_partition_replaces_containers_by_their_parts_and_never_keeps_both():
    ids = [r.id for r in all_regions()]
    with_parts = nc.partition_units([*ids, "tyumen_excl_ao", "arkhangelsk_excl_nenets"])
    assert len(with_parts) == 85
    assert {"tyumen", "arkhangelsk"}.isdisjoint(with_parts)
    assert {"tyumen_excl_ao", "arkhangelsk_excl_nenets", "khanty_mansi", "yamal_nenets", "nenets"} <= set(
        with_parts
    )
    without = nc.partition_units(ids)  # parts not published: containers left out, okrugs kept
    assert len(without) == 83 and {"tyumen", "arkhangelsk"}.isdisjoint(without)
    assert set(nc.partition_units(["kemerovo", "crimea", "russia"])) == {"kemerovo", "crimea"}


def test_section_lqs_are_share_over_russias_share(gva):
    lq = nc.section_lqs(gva).set_index(["region_id", "year", "section"])["lq"]
    assert lq["kemerovo", 2012, "A"] == pytest.approx(1.6, abs=TOL)
    assert lq["tomsk", 2017, "J"] == pytest.approx(2.0, abs=TOL)
    assert "total" not in set(nc.section_lqs(gva)["section"])


def test_base_rates_count_the_units_of_the_partition(gva):
    b = nc.base_rates(nc.section_lqs(gva), 1.0).set_index("year")
    # 2012: kemerovo, tomsk, tyumen_excl_ao, khanty_mansi (not tyumen): 8 pairs, 4 above 1
    assert b.at[2012, "units"] == 4 and b.at[2012, "pairs"] == 8 and b.at[2012, "above"] == 4
    assert b.at[2012, "base_rate"] == pytest.approx(0.5, abs=TOL)
    # 2010: the part is not published: Tyumen region left out, 2 units, D above 1 in both
    assert b.at[2010, "units"] == 2 and b.at[2010, "above"] == 2
    assert b.at[2010, "base_rate"] == pytest.approx(0.5, abs=TOL)
    # 2017: LQ exactly 1 is not above the threshold: 2 of 6
    assert b.at[2017, "base_rate"] == pytest.approx(2 / 6, abs=TOL)


def test_cluster_lq_at_listing_year_and_nearest_year_said(gva):
    lqs = nc.section_lqs(gva)
    base = nc.base_rates(lqs, 1.0)
    cl = _clusters(
        [
            ("at listing year", "tomsk", 2012, "C", "21"),  # OKVED-2007 D: 1.4
            ("two sections", "tomsk", 2012, "C|J", "21|62"),  # D + K; K not published: not assessable
            ("earlier than data", "kemerovo", 2005, "C", "24"),  # nearest: 2010, D 1.333
            ("between years", "kemerovo", 2014, "B", "05"),  # 2012 and 2017 are 2 and 3 away: 2012, C
            ("later than data", "kemerovo", 2021, "B|C", "05|19"),  # 2017: (50 + 30) / (20 + 60) = 1.0
            ("no year", "kemerovo", None, "C", "10"),
            ("no data", "moscow_city", 2012, "C", "26"),
        ]
    )
    t = nc.cluster_lqs(cl, lqs, national.divisions(), base, 1.0).set_index("cluster")
    assert t.at["at listing year", "lq"] == pytest.approx(1.4, abs=TOL)
    assert t.at["at listing year", "verdict"] == "linked"
    assert t.at["at listing year", "year_note"] == "listing year"
    assert t.at["at listing year", "base_rate"] == pytest.approx(0.5, abs=TOL)
    assert t.at["two sections", "sections"] == "D+K"
    assert t.at["two sections", "verdict"] == "not assessable"
    assert "not published" in t.at["two sections", "year_note"]
    assert t.at["earlier than data", "year_used"] == 2010
    assert t.at["earlier than data", "year_note"] == "nearest year with data to 2005"
    assert t.at["earlier than data", "lq"] == pytest.approx(80 / 60, abs=TOL)
    assert t.at["between years", "year_used"] == 2012
    assert t.at["between years", "sections"] == "C"  # mining is C in OKVED-2007; no C share here
    assert t.at["later than data", "year_used"] == 2017
    assert t.at["later than data", "lq"] == pytest.approx(1.0, abs=TOL)
    assert t.at["later than data", "verdict"] == "not linked"  # not above the threshold
    assert t.at["no year", "year_note"] == "no listing year in the list"
    assert t.at["no data", "year_note"] == "no GVA structure for the region"
    assert nc.counts(t.reset_index()) == {"linked": 2, "not linked": 1, "not assessable": 4}


def test_sections_in_edition_uses_the_division_crosswalk():
    cw = national.divisions()
    assert nc.sections_in_edition("C|J", "26|62", "OKVED2", cw) == ["C", "J"]
    assert nc.sections_in_edition("C|J", "26|62", "OKVED2007", cw) == ["D", "K"]
    assert nc.sections_in_edition("B|C|E", "05|19|20|38", "OKVED2007", cw) == ["C", "D", "O"]
    assert nc.sections_in_edition("F", "", "OKVED2007", cw) == ["F"]  # a section alone: its divisions


def _binom_pmf(j: int, n: int, p: float) -> float:
    return math.comb(n, j) * p**j * (1 - p) ** (n - j)


def _clopper_pearson_low(k: int, n: int, alpha: float = 0.05) -> float:
    """The p at which P(X >= k | p) = alpha / 2, by bisection."""
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        tail = sum(_binom_pmf(j, n, mid) for j in range(k, n + 1))
        lo, hi = (mid, hi) if tail < alpha / 2 else (lo, mid)
    return (lo + hi) / 2


def test_binomial_p_value_and_interval_against_a_hand_computation():
    t = pd.DataFrame(
        {
            "verdict": ["linked", "linked", "linked", "not linked", "not assessable"],
            "base_rate": [0.25, 0.25, 0.25, 0.25, np.nan],
        }
    )
    r = nc.binomial(t)
    assert r is not None
    assert (r.linked, r.assessed) == (3, 4)
    # two-sided: the outcomes no more likely than 3 of 4 at p0 = 1/4 are 3 and 4
    hand = _binom_pmf(3, 4, 0.25) + _binom_pmf(4, 4, 0.25)
    assert hand == pytest.approx(0.05078125, abs=1e-12)
    assert r.p_value == pytest.approx(hand, abs=1e-9)
    assert r.ci_low == pytest.approx(_clopper_pearson_low(3, 4), abs=1e-6)
    assert r.base_rate == pytest.approx(0.25, abs=TOL) and r.share == pytest.approx(0.75, abs=TOL)
    assert nc.binomial(t[t["verdict"] == "not assessable"]) is None


def test_monotowns_per_unit_with_container_towns_in_its_part(make_gva):
    g = make_gva(
        {
            ("russia", 2014, "OKVED2007"): {"C": 10.0, "D": 20.0, "G": 70.0},
            ("arkhangelsk", 2014, "OKVED2007"): {"C": 30.0, "D": 20.0, "G": 50.0},
            ("arkhangelsk_excl_nenets", 2014, "OKVED2007"): {"C": 5.0, "D": 25.0, "G": 70.0},
            ("nenets", 2014, "OKVED2007"): {"C": 90.0, "D": 0.0, "G": 10.0},
            ("kemerovo", 2014, "OKVED2007"): {"C": 40.0, "D": 20.0, "G": 40.0},
        }
    )
    towns = pd.DataFrame(
        {
            "category": [1, 2, 2, 3],
            "town": ["a", "b", "c", "d"],
            "region_id": ["arkhangelsk", "arkhangelsk", "kemerovo", "kemerovo"],
        }
    )
    m = nc.monotown_table(towns, g, year=2014).set_index("region_id")
    assert set(m.index) == {"arkhangelsk_excl_nenets", "nenets", "kemerovo"}
    assert m.at["arkhangelsk_excl_nenets", "monotowns"] == 2
    assert m.at["arkhangelsk_excl_nenets", "category_1"] == 1
    assert m.at["nenets", "monotowns"] == 0
    assert m.at["kemerovo", "lq_mining"] == pytest.approx(4.0, abs=TOL)
    assert m.at["kemerovo", "hhi"] == pytest.approx(40**2 + 20**2 + 40**2, abs=TOL)
    assert nc.unassigned_towns(towns, m.reset_index()) == 0
    v = nc.map_values(m.reset_index(), "monotowns")
    assert len(v) == 85 and v["arkhangelsk"] == 2 and np.isnan(v["tomsk"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["linked", "not linked", "not assessable"]), min_size=1, max_size=40))
def test_reading_states_the_counts_of_its_table(verdicts):
    t = pd.DataFrame(
        {
            "verdict": verdicts,
            "base_rate": [0.4] * len(verdicts),
            "year_note": [
                "no listing year in the list" if v == "not assessable" else "listing year" for v in verdicts
            ],
            "year_used": [2012] * len(verdicts),
            "listing_year": [2012] * len(verdicts),
        }
    )
    c = nc.counts(t)
    text = nc.reading_clusters(t, nc.binomial(t), 1.0)
    assert f"Of the {len(t)} cluster-region rows" in text
    assert f"{c['linked']} are linked" in text and f"{c['not linked']} are not" in text
    assert f"{c['not assessable']} cannot be assessed" in text
    r = nc.binomial(t)
    if r is not None:
        assert f"of the {r.assessed} assessable clusters" in text
        assert f"p = {r.p_value:.3g}" in text
        assert ("more often" in text) == (r.share > r.base_rate)
        assert ("well within chance" in text) == (r.p_value >= 0.05)


def test_belongs_note_names_the_okrugs_and_the_parent():
    assert "Khanty" in nc.belongs_note("tyumen", "Tyumen Oblast") and "Yamal" in nc.belongs_note(
        "tyumen", "x"
    )
    assert "part of Arkhangelsk" in nc.belongs_note("nenets", "Nenets AO")
    assert nc.belongs_note("kemerovo", "Kemerovo") == ""


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=3, max_size=3))
def test_monotown_reading_states_true_counts_and_ranks(n):
    t = pd.DataFrame(
        {
            "region_id": ["kemerovo", "tomsk", "tyumen_excl_ao"],
            "year": [2014] * 3,
            "monotowns": n,
            "category_1": n,
            "category_2": [0] * 3,
            "category_3": [0] * 3,
            "hhi": [1000.0, 2000.0, 3000.0],
            "lq_mining": [2.0, 0.5, 1.0],
        }
    )
    towns = pd.DataFrame({"region_id": ["kemerovo"] * n[0] + ["tomsk"] * n[1] + ["tyumen"] * n[2]})
    text = nc.reading_monotowns(t, towns, "tyumen", "Tyumen Oblast")
    assert (
        f"{sum(n)} single-industry towns of the order lie in {sum(v > 0 for v in n)} of the 3 units" in text
    )
    if n[2] == 0:
        assert f"has none; {sum(v == 0 for v in n)} of the 3 units have none" in text
    else:
        assert f"Tyumen Oblast without its okrugs has {n[2]} " in text
        assert f"rank {sum(v > n[2] for v in n) + 1} of 3" in text


def test_maps_reading_ranks_the_part_and_states_the_whole_unranked():
    m = pd.DataFrame(
        {
            "region_id": ["kemerovo", "tyumen_excl_ao", "khanty_mansi"],
            "year": [2022] * 3,
            "hhi": [2000.0, 1000.0, 5000.0],
            "lq_mining": [3.0, 1.0, 6.0],
            "lq_manufacturing": [0.5, 1.5, 0.1],
        }
    )
    whole = pd.DataFrame({"hhi": [4000.0], "lq_mining": [4.5], "lq_manufacturing": [0.4]}, index=["tyumen"])
    text = nc.reading_maps(m, "tyumen", "Tyumen Oblast", whole)
    assert "with its okrugs: HHI 4000.00, LQ of mining 4.50, LQ of manufacturing 0.40 (not ranked" in text
    assert "without its okrugs: HHI 1000.00 (rank 3 of 3), LQ of mining 1.00 (rank 3 of 3)" in text
    assert "LQ of manufacturing 1.50 (rank 1 of 3)" in text
    assert "(rank 1 of 3)" in nc.reading_maps(m, "khanty_mansi", "Khanty-Mansi AO")


def test_national_tables_are_computed_once_per_content(make_gva, monkeypatch):
    """Step 9's tables that do not depend on the run's region are computed once per process for
    the same inputs (batch runs), and again, with the new values, when an input changes."""
    g = make_gva(
        {
            ("russia", 2014, "OKVED2007"): {"C": 10.0, "D": 20.0, "G": 70.0},
            ("kemerovo", 2014, "OKVED2007"): {"C": 40.0, "D": 20.0, "G": 40.0},
        }
    )
    towns = pd.DataFrame({"category": [1], "town": ["a"], "region_id": ["kemerovo"]})
    calls: list[int] = []
    measured = nc.measures
    monkeypatch.setattr(nc, "measures", lambda *a: calls.append(1) or measured(*a))
    nc.monotown_table.cache_clear()  # type: ignore[attr-defined]
    first = nc.monotown_table(towns, g, year=2014)
    again = nc.monotown_table(towns.copy(), g.copy(), year=2014)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, again)
    again.loc[0, "monotowns"] = 99  # a caller's change does not reach the next caller
    assert nc.monotown_table(towns, g, year=2014).equals(first)
    changed = g.copy()
    changed.loc[(changed["region_id"] == "kemerovo") & (changed["activity"] == "C"), "value"] = 80.0
    m = nc.monotown_table(towns, changed, year=2014).set_index("region_id")
    assert len(calls) == 2
    assert m.at["kemerovo", "lq_mining"] == pytest.approx(8.0, abs=TOL)


def test_cluster_lqs_figure_keeps_the_regions_own_and_the_highest_and_names_the_table():
    """Issue 23.3: a national list a user adds can bring hundreds of clusters; the figure draws at
    most CLUSTER_LQS_TOP rows, the region's own clusters first, then the highest LQs."""
    ids = [r.id for r in all_regions()]
    n = nc.CLUSTER_LQS_TOP + 40
    table = pd.DataFrame(
        {
            "cluster": [f"c{i:03d}" for i in range(n)],
            "region_id": [ids[i % len(ids)] for i in range(n)],
            "lq": [0.1 + i / 10 for i in range(n)],
            "verdict": ["linked"] * n,
        }
    )
    region = ids[20]  # one cluster, c020, with a low LQ
    own = table.loc[table["region_id"] == region, "cluster"].tolist()
    assert own == ["c020"]
    fig = nc.draw_cluster_lqs(table, region=region, threshold=1.0, lang="en")
    drawn = [t.get_text().split(": ", 1)[1] for t in fig.axes[0].get_yticklabels()]
    assert len(drawn) == nc.CLUSTER_LQS_TOP
    assert set(own) <= set(drawn)
    highest = table.sort_values("lq", ascending=False)["cluster"].head(nc.CLUSTER_LQS_TOP - len(own))
    assert set(highest) <= set(drawn)
    from analysis.core import figures as F

    assert F._SOURCE_NOTE[fig].startswith("40 more not drawn; all in the table national_cluster_lqs.csv\n")
    # the shipped size is drawn whole, without a note
    fig = nc.draw_cluster_lqs(table.head(30), region=region, threshold=1.0, lang="en")
    assert len(fig.axes[0].get_yticklabels()) == 30
    assert "not drawn" not in F._SOURCE_NOTE[fig]
