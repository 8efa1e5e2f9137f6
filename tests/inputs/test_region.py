"""The input layer: per quantity, the region's table and its origin, or what is missing."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.inputs import region as region_data
from analysis.inputs import rosstat
from analysis.inputs.region import Missing, Sourced
from analysis.inputs.regions import resolve

EXAMPLE = "data/user/example_region"


def test_the_papers_region_gets_the_papers_tables():
    for get in (
        region_data.freight,
        region_data.product_coefficients,
        region_data.lq_bases,
        region_data.clusters,
    ):
        x = get("kemerovo")
        assert isinstance(x, Sourced) and x.origin == "paper" and x.source.startswith("Ivanova (2018)")


def test_another_region_without_files_says_what_is_missing_and_where_to_supply_it():
    x = region_data.freight("omsk")
    assert isinstance(x, Missing) and not x
    assert str(x) == (
        "SKIPPED: rail freight in and out by cargo: inter-regional rail freight by cargo is not among the "
        "official data shipped here; supply data/user/omsk/freight.csv (see data/README.md)"
    )


def test_the_same_columns_whatever_the_origin():
    for get in (
        region_data.freight,
        region_data.product_coefficients,
        region_data.shipments_out,
        region_data.lq_turnover,
        region_data.lq_bases,
        region_data.clusters,
        region_data.cluster_facts,
    ):
        paper, user = get("kemerovo"), get("tomsk", EXAMPLE)
        assert user.origin == "user", get.__name__
        assert set(user.table.columns) <= set(paper.table.columns), get.__name__


def test_novosibirsk_by_its_russian_name_gets_the_official_production_indices():
    rid = resolve("Новосибирская область").id
    x = region_data.production_indices(rid)
    assert x.origin == "rosstat"
    official = rosstat.table("production_indices")
    o = official[(official.okved == "OKVED2007") & official.year.between(2010, 2016)]
    o = o[o.region_id.isin([rid, "russia"])].rename(columns={"region_id": "r", "activity": "item"})
    got = x.table.merge(o, left_on=["region", "item", "year"], right_on=["r", "item", "year"])
    assert len(got) == len(x.table) == 2 * 4 * 7  # region and Russia, four items, 2010-2016
    pd.testing.assert_series_equal(got["value_x"], got["value_y"], check_names=False)


def test_user_coefficients_are_computed_with_rosstats_population():
    x = region_data.product_coefficients("tomsk", EXAMPLE)
    pop = rosstat.table("population").pivot_table(index="year", columns="region_id", values="value")
    # example production.csv: sawn wood 2016, 1200 of Russia's 22000 thousand m3
    expected = (1200 / 22000) / (pop.at[2016, "tomsk"] / pop.at[2016, "russia"])
    got = x.table.set_index(["product", "year"]).at[("sawn_wood", 2016), "coefficient"]
    assert got == pytest.approx(expected, rel=1e-12)


def test_user_lq_with_the_users_totals():
    x = region_data.lq_bases("tomsk", EXAMPLE)
    lq = x.table.set_index(["activity", "basis"])["lq"]
    # example activity_bases.csv: health 50 of 1000 against 4000 of 100000 -> 1.25 on every basis
    assert lq[("health", "employment")] == pytest.approx(1.25, abs=1e-12)
    assert set(x.table["year"]) == {2016}  # the latest year given on the most bases


def test_founding_years_of_a_users_clusters():
    x = region_data.clusters("tomsk", EXAMPLE)
    assert x.table.set_index("cluster_id")["founded"].to_dict() == {
        "wood_processing": 2013,
        "pharma": 2015,
        "it_services": 2016,
    }


def test_a_related_activity_that_maps_to_nothing_names_file_row_and_column(tmp_path, monkeypatch):
    from analysis.core import paths
    from analysis.core.errors import InputError

    folder = tmp_path / "tomsk"
    folder.mkdir()
    example = paths.USER / "example_region"
    (folder / "region.yml").write_text(
        (example / "region.yml")
        .read_text(encoding="utf-8")
        .replace("synthetic example, not data: invented numbers", "a test folder: numbers"),
        encoding="utf-8",
    )
    text = (example / "clusters.csv").read_text(encoding="utf-8")
    text = text.replace("synthetic example, not data", "test").replace(
        "manufacturing|health", "manufacturing|timber"
    )
    (folder / "clusters.csv").write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "USER", tmp_path)
    with pytest.raises(InputError) as err:
        region_data.clusters("tomsk")
    e = err.value
    assert e.row == 3 and e.column == "related_activities" and e.found == "timber"
    assert "clusters.csv" in str(e) and "activity_okved.csv" in str(e)


def test_an_okved2_letter_and_a_users_sub_activity_with_a_parent_are_accepted(tmp_path, monkeypatch):
    from analysis.core import paths

    folder = tmp_path / "tomsk"
    folder.mkdir()
    example = paths.USER / "example_region"
    (folder / "region.yml").write_text(
        (example / "region.yml")
        .read_text(encoding="utf-8")
        .replace("synthetic example, not data: invented numbers", "a test folder: numbers"),
        encoding="utf-8",
    )
    clusters = (
        (example / "clusters.csv").read_text(encoding="utf-8").replace("synthetic example, not data", "test")
    )
    clusters = clusters.replace("manufacturing|health", "J|my_trucks").replace(",manufacturing,", ",B,")
    (folder / "clusters.csv").write_text(clusters, encoding="utf-8")
    bases = (
        (example / "activity_bases.csv")
        .read_text(encoding="utf-8")
        .replace("synthetic example, not data", "test")
    )
    lines = bases.splitlines()
    sub = [
        ln.replace(
            "manufacturing,Обрабатывающие производства,,", "my_trucks,Грузовики,manufacturing,", 1
        ).replace(",200,20000,", ",20,2000,")
        for ln in lines
        if ln.startswith("manufacturing,")
    ]
    (folder / "activity_bases.csv").write_text("\n".join([*lines, *sub]) + "\n", encoding="utf-8")
    monkeypatch.setattr(paths, "USER", tmp_path)
    got = region_data.clusters("tomsk").table.set_index("cluster_id")
    assert (
        got.at["pharma", "related_items"] == "J|my_trucks"
        and got.at["wood_processing", "related_items"] == "B"
    )
    assert region_data.activity_parents("tomsk") == {"my_trucks": "manufacturing"}
    assert region_data.activity_parents("kemerovo") == {}


def test_a_users_russian_names_come_with_its_tables_and_the_papers_tables_have_none():
    cases = {
        region_data.freight: ("all_cargo", "Все грузы"),
        region_data.product_coefficients: ("sawn_wood", "Лесоматериалы"),
        region_data.shipments_out: ("sawn_wood", "Лесоматериалы"),
        region_data.lq_turnover: ("mining", "Добыча полезных ископаемых"),
        region_data.lq_bases: ("total", "Всего"),
    }
    for get, (item, name) in cases.items():
        x = get("tomsk", EXAMPLE)
        assert isinstance(x, Sourced) and x.names.get(item) == name, get.__name__
        assert get("kemerovo").names == {}
