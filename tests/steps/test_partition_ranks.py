"""Regions that contain other regions, in step 8 and step 5 (issue 19.4, 19.5): every ranking
counts the partition of analysis.inputs.regions (never a region beside its own okrugs), a
container is shown whole with the rank of its part without okrugs, and every id the registry
offers to study gets a position and a reading."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.inputs import regions as R
from analysis.inputs import rosstat
from analysis.steps import freight, regions_compared

TOL = 1e-9
NESTED = ["tyumen", "tyumen_excl_ao", "khanty_mansi", "yamal_nenets"]


@pytest.fixture
def nested_gva(make_gva) -> pd.DataFrame:
    """Tyumen region, its two okrugs and its part without them, all present, and Kemerovo region."""
    return make_gva(
        {
            ("tyumen", 2015, "OKVED2007"): {"A": 10.0, "C": 70.0, "D": 20.0},  # 5400: would rank 2nd
            ("khanty_mansi", 2015, "OKVED2007"): {"A": 10.0, "C": 80.0, "D": 10.0},  # 6600
            ("yamal_nenets", 2015, "OKVED2007"): {"A": 20.0, "C": 60.0, "D": 20.0},  # 4400
            ("tyumen_excl_ao", 2015, "OKVED2007"): {"A": 30.0, "C": 10.0, "D": 60.0},  # 4600
            ("kemerovo", 2015, "OKVED2007"): {"A": 10.0, "C": 50.0, "D": 20.0, "E": 20.0},  # 3400
            ("russia", 2015, "OKVED2007"): {"A": 10.0, "C": 10.0, "D": 40.0, "E": 40.0},
        }
    )


def test_ranks_come_from_the_partition_only(nested_gva):
    h = regions_compared.hhi_all(nested_gva).set_index("region_id")
    assert "tyumen" not in h.index
    assert h["rank"].to_dict() == {"khanty_mansi": 1, "tyumen_excl_ao": 2, "yamal_nenets": 3, "kemerovo": 4}
    assert set(h["n_regions"]) == {4}
    lq = regions_compared.lq_broad_all(nested_gva)
    assert "tyumen" not in set(lq["region_id"]) and set(lq["n_regions"]) == {4}
    spec = regions_compared.specialisation_all(nested_gva)
    assert "tyumen" not in set(spec["region_id"]) and set(spec["n_regions"]) == {4}


def test_a_container_is_shown_whole_with_the_rank_of_its_part(nested_gva):
    h, lq = regions_compared.hhi_all(nested_gva), regions_compared.lq_broad_all(nested_gva)
    pos = regions_compared.region_position(h, lq, "tyumen", nested_gva).set_index("year")
    assert pos.at[2015, "hhi"] == pytest.approx(10**2 + 70**2 + 20**2, abs=TOL)  # the whole region's
    assert pos.at[2015, "rank"] == 2  # tyumen_excl_ao's
    assert pos.at[2015, "lq_mining"] == pytest.approx(70 / 10, abs=TOL)  # the whole region's
    assert pos.at[2015, "lq_mining_rank"] == 4  # tyumen_excl_ao's mining LQ, 1.0, is the lowest of 4
    assert pos.at[2015, "ranked_as"] == "tyumen_excl_ao"
    text = regions_compared.reading(pos.reset_index(), "Tyumen Oblast")
    assert "of Tyumen Oblast as a whole" in text and "those of Tyumen Oblast excluding" in text
    with pytest.raises(ValueError, match="contains okrugs"):
        regions_compared.region_position(h, lq, "tyumen")


# ----------------------------------------------------------------------------- the real tables
@pytest.fixture(scope="module")
def real() -> dict[str, pd.DataFrame]:
    gva = rosstat.table("gva_structure")
    return {
        "gva": gva,
        "hhi": regions_compared.hhi_all(gva),
        "lq": regions_compared.lq_broad_all(gva),
        "spec": regions_compared.specialisation_all(gva),
    }


def test_tyumen_is_never_ranked_beside_its_okrugs_in_the_real_hhi_table(real):
    h = real["hhi"]
    assert "tyumen" not in set(h["region_id"]) and "arkhangelsk" not in set(h["region_id"])
    pos = regions_compared.region_position(h, real["lq"], "tyumen", real["gva"]).set_index("year")
    okrugs = h[h["region_id"].isin(["khanty_mansi", "yamal_nenets"])].set_index(["year", "region_id"])["rank"]
    for year, rank in pos["rank"].dropna().items():
        assert rank not in set(okrugs.loc[year]), year  # ranks are unique (HHIs differ): a rank of its own
        assert rank == h.query("year == @year and region_id == 'tyumen_excl_ao'")["rank"].iloc[0]
    # Rosstat's GVA structure of the parts without okrugs starts in 2011: before, no rank
    assert pos.loc[[2009, 2010], "rank"].isna().all()
    assert R.left_out(real["gva"][real["gva"]["activity"] != "total"]) == {
        "arkhangelsk": [2009, 2010],
        "tyumen": [2009, 2010],
    }


def test_the_number_of_regions_is_counted_per_year(real):
    n = real["hhi"].groupby("year")["n_regions"].first()
    counted = real["hhi"].dropna(subset=["hhi"]).groupby("year")["region_id"].nunique()
    assert n.to_dict() == counted.to_dict()
    assert n[2022] == 85 and n[2013] == 83  # Crimea and Sevastopol from 2014
    text = regions_compared.reading_units(real["hhi"], real["gva"])
    assert "83 in 2011-2013" in text and "85 in 2014-2022" in text
    assert "Tyumen Oblast in 2009, 2010" in text


EXCL = ["tyumen_excl_ao", "arkhangelsk_excl_nenets"]


@pytest.mark.parametrize("rid", [*EXCL, "tyumen", "arkhangelsk", "nenets", "khanty_mansi", "kemerovo"])
def test_step_8_functions_run_for_the_nested_ids(real, rid):
    pos = regions_compared.region_position(real["hhi"], real["lq"], rid, real["gva"])
    assert not pos.empty
    name = R.resolve(rid).name_en
    text = regions_compared.reading(pos, name)
    assert "nan" not in text.lower() and "<NA>" not in text
    spec_text = regions_compared.reading_specialisation(real["spec"], rid, name)
    assert "No GVA structure" not in spec_text


@pytest.mark.parametrize("rid", EXCL)
def test_step_5_dispatch_of_a_part_without_okrugs(rid):
    rail, pop = rosstat.table("rail_dispatch"), rosstat.table("population")
    d = freight.dispatch(rail, pop, rid).set_index("year")
    expected = rail[(rail["region_id"] == rid)].set_index("year")["value"]
    assert d["dispatch_mt"].dropna().to_dict() == pytest.approx(expected.dropna().to_dict(), abs=TOL)
    if rid == "tyumen_excl_ao":
        assert d.at[2021, "dispatch_mt"] == pytest.approx(11.7, abs=0.05)  # Rosstat 16.1, as issue 19 read
    assert d["rank"].notna().all()


def test_step_5_container_has_its_whole_dispatch_and_its_parts_rank():
    rail, pop = rosstat.table("rail_dispatch"), rosstat.table("population")
    whole = freight.dispatch(rail, pop, "tyumen").set_index("year")
    part = freight.dispatch(rail, pop, "tyumen_excl_ao").set_index("year")
    assert whole.at[2021, "dispatch_mt"] == pytest.approx(38.8, abs=0.05)
    assert (whole["rank"] == part["rank"]).all()


# ----------------------------------------------------------------------- readings, properties
@st.composite
def positions(draw: st.DrawFn) -> pd.DataFrame:
    years = list(range(2009, 2009 + draw(st.integers(1, 8))))
    n = [draw(st.integers(3, 85)) for _ in years]
    ranks = [draw(st.one_of(st.none(), st.integers(1, k))) for k in n]
    lqs = draw(st.lists(st.floats(0.01, 9, allow_nan=False), min_size=len(years), max_size=len(years)))
    return pd.DataFrame(
        {
            "year": years,
            "okved": "OKVED2",
            "hhi": 1000.0,
            "rank": pd.array(ranks, dtype="Int64"),
            "n_regions": n,
            "lq_mining": lqs,
            "lq_mining_rank": pd.array(ranks, dtype="Int64"),
            "lq_manufacturing": float("nan"),
            "lq_manufacturing_rank": pd.array([None] * len(years), dtype="Int64"),
            "region_id": "tomsk",
            "ranked_as": "tomsk",
        }
    )


@settings(max_examples=80, deadline=None)
@given(positions())
def test_reading_states_only_what_the_position_shows(pos):
    text = regions_compared.reading(pos, "Tomsk Oblast")
    assert "nan" not in text.lower()
    ranked = pos.dropna(subset=["rank"])
    m = re.search(r"ranges from (\d+) to (\d+) of", text)
    if ranked.empty:
        assert "not ranked" in text
    elif m:
        lo, hi = int(m.group(1)), int(m.group(2))
        assert (lo, hi) == (ranked["rank"].min(), ranked["rank"].max()) and lo != hi
    else:
        assert f"is {ranked['rank'].min()} of" in text
    m = re.search(r"of (\d+) to (\d+) regions \(counted per year\)", text)
    if m:
        assert (int(m.group(1)), int(m.group(2))) == (ranked["n_regions"].min(), ranked["n_regions"].max())
    elif not ranked.empty:
        assert f"of {ranked['n_regions'].iloc[0]} regions" in text and ranked["n_regions"].nunique() == 1
    unranked = sorted(set(pos["year"]) - set(ranked["year"]))
    if unranked and not ranked.empty:
        assert "not ranked in " + ", ".join(map(str, unranked)) in text
    above = int((pos["lq_mining"] > 1).sum())
    assert f"above 1 in {above} of {len(pos)} {'year' if len(pos) == 1 else 'years'}" in text


@pytest.mark.parametrize("rid", ["tyumen", "arkhangelsk", "tyumen_excl_ao", "kemerovo"])
def test_step_5_reading_names_the_unit_its_rank_belongs_to(rid):
    # Issue 19.4: Tyumen region's reading set its whole 38.8 Mt beside the rank of its part.
    rail, pop = rosstat.table("rail_dispatch"), rosstat.table("population")
    d = freight.dispatch(rail, pop, rid)
    text = freight.reading_dispatch(d, R.resolve(rid).name_en)
    last = d.dropna(subset=["dispatch_mt"]).iloc[-1]
    part = R.ranked_as(rid)
    assert (f"its part without okrugs, {R.resolve(part).name_en}" in text) == (part != rid)
    if part != rid and pd.notna(last["rank"]):
        assert f"dispatched {last['ranked_mt']:.1f} million t: rank {int(last['rank'])} of" in text
    assert "nan" not in text.lower() and " 0.0 times" not in text
