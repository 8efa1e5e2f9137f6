"""Importers of Rosstat's tables: hand-checked values on the real files, the files' oddities, and
broken copies that must fail with file, sheet and row."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.errors import InputError
from analysis.inputs import regions, rosstat

REGIONS_85 = {r.id for r in regions.all_regions()}
TOP_82 = {r.id for r in regions.top_level_regions()}


def value(
    df: pd.DataFrame, region: str, year: int, activity: str = "total", okved: str | None = None
) -> float:
    sel = df[(df.region_id == region) & (df.year == year) & (df.activity == activity)]
    if okved is not None:
        sel = sel[sel.okved == okved]
    assert len(sel) == 1, sel
    return float(sel.value.iloc[0])


def wide(df: pd.DataFrame, activity: str = "total") -> pd.DataFrame:
    return df[df.activity == activity].pivot(index="year", columns="region_id", values="value")


# --- shape common to all tables -----------------------------------------------------------------


@pytest.mark.parametrize("name", list(rosstat.IMPORTERS))
def test_tidy_columns_and_keys(tables, name):
    df = tables[name]
    assert list(df.columns) == rosstat.COLUMNS
    assert not df.duplicated(["region_id", "year", "activity", "okved"]).any()
    assert df.year.dtype.kind == "i" and df.value.dtype.kind == "f"
    assert df.okato.str.fullmatch(r"\d{3}|\d{11}").all()
    kinds = df.region_id.map(regions.kind_of)
    assert set(kinds) <= rosstat.KEEP_KINDS  # no federal districts, no merged okrugs
    assert df.region_id.isin(REGIONS_85).sum() > 0
    assert df.equals(
        df.sort_values(["region_id", "year", "okved", "activity", "source"]).reset_index(drop=True)
    )


# --- GVA structure -------------------------------------------------------------------------------


def test_gva_hand_checked_values(tables):
    g = tables["gva_structure"]
    assert value(g, "kemerovo", 2014, "C", "OKVED2007") == 21.5  # mining, OKVED-2007
    assert value(g, "kemerovo", 2014, "D", "OKVED2007") == 18.9
    assert value(g, "russia", 2014, "C", "OKVED2007") == 10.6
    assert value(g, "kemerovo", 2016, "B", "OKVED2") == 28.4  # mining, OKVED2
    assert value(g, "russia", 2016, "B", "OKVED2") == 10.2
    assert g.loc[g.region_id == "kemerovo", "region"].iloc[0] == "Кемеровская область - Кузбасс"


def test_gva_editions_and_latin_letters(tables):
    g = tables["gva_structure"]
    assert (g.okved == g.year.map(rosstat.okved_edition)).all()
    assert set(g.activity) == set("ABCDEFGHIJKLMNOPQRST")  # Cyrillic «О» read as Latin O
    letters = g.groupby("year").activity.apply(lambda s: "".join(sorted(set(s))))
    assert letters[2009] == letters[2010] == "ABCDEFGHIJKLMNO"  # households (P) from 2011
    assert all(letters[y] == "ABCDEFGHIJKLMNOP" for y in range(2011, 2016))
    assert all(letters[y] == "ABCDEFGHIJKLMNOPQRST" for y in range(2016, 2023))
    assert set(rosstat.GVA_ACTIVITIES["OKVED2007"]) == set("ABCDEFGHIJKLMNOP")
    assert set(rosstat.GVA_ACTIVITIES["OKVED2"]) == set("ABCDEFGHIJKLMNOPQRST")
    for edition in rosstat.GVA_ACTIVITIES.values():
        assert all(len(names) == 2 and all(names) for names in edition.values())


def test_gva_shares_sum_to_100(tables):
    """Tolerance 0.05 points (20 sections rounded to 0.1 could drift further, but Rosstat
    balances the rounding). Found: every region and year sums to 100 within 3e-14; no
    exceptions."""
    g = tables["gva_structure"]
    sums = g.groupby(["region_id", "year"]).value.sum()
    exceptions = sums[(sums - 100).abs() > 0.05]
    assert exceptions.empty, exceptions
    assert g.value.notna().all()  # no "…" in this file


def test_gva_regions_per_year(tables):
    g = tables["gva_structure"]
    n = g[g.region_id.isin(REGIONS_85)].groupby("year").region_id.nunique()
    assert all(n[y] == 85 for y in range(2014, 2023))
    # Crimea and Sevastopol enter Rosstat's tables in 2014; the author's empty 2009 rows are out
    assert all(n[y] == 83 for y in range(2009, 2014))
    assert set(g.year) == set(range(2009, 2023))
    assert (g.groupby("year").region_id.apply(lambda s: "russia" in set(s))).all()


def test_gva_2023_2024_refused(tables):
    g = tables["gva_structure"]
    assert g.year.max() == 2022
    refused = [e for e in tables["log"] if e["action"] == "refused"]
    assert {e["source"].split(":")[1] for e in refused} == {"2023", "2024"}
    assert all("titled 2022" in e["reason"] for e in refused)


def test_gva_author_formula_rows_logged(tables):
    skipped = {
        (e["source"], e["row"])
        for e in tables["log"]
        if e["table"] == "gva_structure" and e["action"] == "skipped" and e["row"]
    }
    src = rosstat.GVA_FILE + ":2009"
    assert {(src, 100), (src, 101), (src, 102), (src, 103)} <= skipped


# --- population ----------------------------------------------------------------------------------


def test_population_values(tables):
    p = tables["population"]
    assert value(p, "kemerovo", 2000) == 2952850
    assert value(p, "kemerovo", 2023) == 2557961
    assert value(p, "russia", 2023) == 146299106
    assert set(p.year) == set(range(2000, 2024))
    assert set(p.unit) == {"persons"}
    assert set(p.region_id) >= REGIONS_85
    assert math.isnan(value(p, "crimea", 2013)) and value(p, "crimea", 2014) > 0


def test_autonomous_okrugs_not_double_counted(tables):
    """The 82 top-level regions add up to Russia; the 85 exceed it by exactly the three okrugs,
    which their parents (Arkhangelsk, Tyumen) already contain."""
    w = wide(tables["population"])
    top = w[sorted(TOP_82)].sum(axis=1)
    rel = (top - w["russia"]).abs() / w["russia"]
    assert (rel < 1e-5).all(), rel  # annual averages rounded per region: a few dozen persons
    all85 = w[sorted(REGIONS_85)].sum(axis=1)
    okrugs = w[["nenets", "khanty_mansi", "yamal_nenets"]].sum(axis=1)
    assert ((all85 - top) == okrugs).all()
    parts = w["khanty_mansi"] + w["yamal_nenets"] + w["tyumen_excl_ao"]
    assert ((w["tyumen"] - parts).loc[2011:].abs() <= 5).all()  # rounding of averages
    assert ((w["arkhangelsk"] - w["nenets"] - w["arkhangelsk_excl_nenets"]).loc[2011:].abs() <= 5).all()
    for rid in ("nenets", "khanty_mansi", "yamal_nenets"):
        assert regions.kind_of(rid) == "autonomous_okrug_within"


def test_population_merged_okrugs_logged(tables):
    skipped = [e["reason"] for e in tables["log"] if e["table"] == "population" and "merged" in e["reason"]]
    assert len(skipped) == 6


# --- GRP -----------------------------------------------------------------------------------------


def test_grp_values(tables):
    g, old = tables["grp"], tables["grp_rr2019"]
    assert value(g, "kemerovo", 2014) == 752024.0
    assert value(g, "kemerovo", 2016) == 903348.9  # revised series
    assert value(old, "kemerovo", 2016) == 865325.3  # «Регионы России 2019»
    assert value(old, "kemerovo", 2014) == value(g, "kemerovo", 2014)
    assert set(g.year) == set(range(1998, 2023)) and "russia" not in set(g.region_id)
    assert set(old.year) == set(range(2000, 2018))
    assert math.isnan(value(old, "chechnya", 2004))  # "…"
    w = wide(old)
    assert ((w[sorted(TOP_82)].sum(axis=1) - w["russia"]).abs() < 0.5).all()
    wg = wide(g)
    tyumen = wg["khanty_mansi"] + wg["yamal_nenets"] + wg["tyumen_excl_ao"]
    assert ((wg["tyumen"] - tyumen).loc[2011:].abs() < 0.2).all()


# --- shipments -----------------------------------------------------------------------------------


def test_shipments_values(tables):
    s = tables["shipments"]
    assert value(s, "kemerovo", 2005, "C") == 161231
    assert value(s, "kemerovo", 2014, "C") == 457400
    assert value(s, "russia", 2016, "C") == 11730498
    assert set(s.activity) == {"C", "D", "E"} and set(s.okved) == {"OKVED2007"}
    assert set(s.year) == set(range(2005, 2017))
    assert math.isnan(value(s, "kalmykia", 2016, "C"))  # "… 3": confidential
    assert math.isnan(value(s, "chechnya", 2005, "C"))  # "…"
    tyumen_d = s[(s.region_id == "tyumen_excl_ao") & (s.activity == "D")].set_index("year").value
    assert tyumen_d.loc[2006:2012].isna().all() and tyumen_d[2005] == 227735  # formula cells
    assert any(e["action"] == "ignored_cells" and e["table"] == "shipments" for e in tables["log"])


# --- fixed assets --------------------------------------------------------------------------------


def test_fixed_assets_values(tables):
    f = tables["fixed_assets"]
    assert set(f.unit) == {"mln RUB"}
    assert value(f, "kemerovo", 2016, "total", "") == 2404891
    assert value(f, "kemerovo", 2017, "total", "OKVED2") == 2545178
    assert value(f, "kemerovo", 2017, "B", "OKVED2") == 647425
    assert value(f, "russia", 2017, "total", "OKVED2") == 194649464
    by_section = f[f.okved == "OKVED2"]
    assert set(by_section.year) == set(range(2017, 2025))
    assert set(by_section.activity) == {"total", *"ABCDEFGHIJKLMNOPQRS"}
    assert set(f[f.okved == ""].year) == set(range(2000, 2017))
    skipped = {
        e["source"].split(":")[1]: e["reason"]
        for e in tables["log"]
        if e["table"] == "fixed_assets" and "organisations only" in e["reason"]
    }
    assert set(skipped) == {"3", "4", "5", "6"}
    assert "thousand RUB" in skipped["4"] and "thousand RUB" in skipped["6"]


# --- production index ----------------------------------------------------------------------------


def test_production_index_values(tables):
    p = tables["production_index"]
    assert value(p, "kemerovo", 2014, "C") == 105.2  # December's January-December value
    assert value(p, "kemerovo", 2010, "C") == 109.6
    assert value(p, "russia", 2010, "C") == 103.8
    assert value(p, "russia", 2014, "C") == 101.4
    assert set(p.year) == set(range(2009, 2016))
    assert set(p.region_id) >= REGIONS_85
    assert set(p.unit) == {"percent of previous year"}


# --- import_all ----------------------------------------------------------------------------------


@pytest.mark.slow  # every importer twice
def test_import_all_is_deterministic(tmp_path):
    paths = rosstat.import_all(tmp_path)
    first = {name: p.read_bytes() for name, p in paths.items()}
    assert set(first) == {*rosstat.IMPORTERS, "import_log"}
    rosstat.import_all(tmp_path)
    assert {name: p.read_bytes() for name, p in paths.items()} == first
    log = pd.read_csv(paths["import_log"])
    assert list(log.columns) == rosstat.LOG_COLUMNS
    assert (log.action == "refused").sum() == 2
    # "в 3.1 р." cells of the production-index tables, read as per cent and logged one row each
    assert (log[log.table == "production_indices"].action == "converted").sum() == 31
    back = pd.read_csv(paths["gva_structure"], dtype={"okato": str}, keep_default_na=False)
    assert back.okato.str.len().isin([3, 11]).all()


# --- broken copies -------------------------------------------------------------------------------


def _insert_top_row(sheet):
    return lambda wb: wb[sheet].insert_rows(1)


def _set(sheet, cell, new):
    def mutate(wb):
        wb[sheet][cell] = new

    return mutate


def _drop(sheet):
    return lambda wb: wb.remove(wb[sheet])


BROKEN = [
    # (id, file, mutation, importer, sheet named in the error, row named in the error)
    ("gva rows shifted", rosstat.GVA_FILE, _insert_top_row("2014"), rosstat.gva_structure, "2014", 2),
    (
        "gva header renamed",
        rosstat.GVA_FILE,
        _set("2016", "E5", "Добыча угля"),
        rosstat.gva_structure,
        "2016",
        5,
    ),
    (
        "gva section letter",
        rosstat.GVA_FILE,
        _set("2012", "F4", "Раздел Ц"),
        rosstat.gva_structure,
        "2012",
        4,
    ),
    ("gva sheet missing", rosstat.GVA_FILE, _drop("2014"), rosstat.gva_structure, "2014", None),
    (
        "gva empty row inside table",
        rosstat.GVA_FILE,
        lambda wb: wb["2015"].insert_rows(30),
        rosstat.gva_structure,
        "2015",
        31,
    ),
    (
        "gva unknown region",
        rosstat.GVA_FILE,
        _set("2014", "B88", "Кемеровская обл."),
        rosstat.gva_structure,
        "2014",
        88,
    ),
    ("gva bad cell", rosstat.GVA_FILE, _set("2014", "F88", "21,5%"), rosstat.gva_structure, "2014", 88),
    (
        "population header renamed",
        rosstat.POPULATION_FILE,
        _set("Отчет", "B1", "OKATO id"),
        rosstat.population,
        "Отчет",
        1,
    ),
    (
        "population code and name disagree",
        rosstat.POPULATION_FILE,
        _set("Отчет", "B89", "50000000000"),
        rosstat.population,
        "Отчет",
        89,
    ),
    (
        "population empty row",
        rosstat.POPULATION_FILE,
        lambda wb: wb["Отчет"].insert_rows(10),
        rosstat.population,
        "Отчет",
        10,
    ),
    (
        "population unit",
        rosstat.POPULATION_FILE,
        _set("Установленные разрезы", "B2", "Тысяча"),
        rosstat.population,
        "Установленные разрезы",
        2,
    ),
    ("grp rows shifted", rosstat.GRP_FILE, lambda wb: wb["Total"].insert_rows(5), rosstat.grp, "Total", 5),
    (
        "rr2019 unit",
        rosstat.GRP_RR2019_FILE,
        _set("9.1.", "A4", "(тысяч рублей)"),
        rosstat.grp_rr2019,
        "9.1.",
        4,
    ),
    ("shipments sheet missing", rosstat.SHIPMENTS_FILE, _drop("2"), rosstat.shipments, "2", None),
    ("shipments rows shifted", rosstat.SHIPMENTS_FILE, _insert_top_row("3"), rosstat.shipments, "3", 2),
    (
        "fixed assets column deleted",
        rosstat.FIXED_ASSETS_FILE,
        lambda wb: wb["2"].delete_cols(5),
        rosstat.fixed_assets,
        "2",
        4,
    ),
    (
        "fixed assets unit",
        rosstat.FIXED_ASSETS_FILE,
        _set(
            "2",
            "A2",
            "Наличие основных фондов на конец года по полной учетной стоимости по "
            "полному кругу организаций (тыс. рублей)",
        ),
        rosstat.fixed_assets,
        "2",
        2,
    ),
    (
        "appendix years broken",
        rosstat.RR2022_INDUSTRY_FILE,
        _set("12.4.1.", "E7", 2005),
        rosstat.production_indices,
        "12.4.1.",
        7,
    ),
    (
        "appendix title renamed",
        rosstat.RR2022_INDUSTRY_FILE,
        _set("12.4.2.", "A4", "12.4. ИНДЕКСЫ ПРОИЗВОДСТВА по виду «Добыча угля»"),
        rosstat.production_indices,
        "12.4.2.",
        6,
    ),
    (
        "appendix bad cell",
        rosstat.RR2022_INDUSTRY_FILE,
        _set("12.4.1.", "O92", "101,4%"),
        rosstat.production_indices,
        "12.4.1.",
        92,
    ),
    (
        "appendix unknown region",
        rosstat.RR2022_TRANSPORT_FILE,
        _set("16.1.", "A89", "Кемеровская обл."),
        rosstat.rail_dispatch,
        "16.1.",
        89,
    ),
    (
        "appendix sheet missing",
        rosstat.RR2022_TRANSPORT_FILE,
        _drop("16.1."),
        rosstat.rail_dispatch,
        "16.1.",
        None,
    ),
]


@pytest.mark.slow  # a workbook loaded and saved per case
@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_xlsx_copy_fails_naming_file_sheet_row(raw_copy, case):
    _, name, mutate, importer, sheet, row = case
    path = raw_copy(name, xlsx=mutate)
    with pytest.raises(InputError) as err:
        importer(path)
    exc = err.value
    assert exc.file == name and name in str(exc)
    assert exc.sheet == sheet and f"sheet {sheet!r}" in str(exc)
    assert exc.row == row
    if row is not None:
        assert f"row {row}" in str(exc)


def test_unknown_region_error_lists_close_matches(raw_copy):
    path = raw_copy(rosstat.GVA_FILE, xlsx=_set("2014", "B88", "Кемеровская обл."))
    with pytest.raises(InputError, match="kemerovo"):
        rosstat.gva_structure(path)


def test_checksum_mismatch(raw_copy):
    path = raw_copy(rosstat.GVA_FILE)
    with open(path, "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(InputError, match="checksum does not match") as err:
        rosstat.gva_structure(path)
    assert err.value.file == rosstat.GVA_FILE


def test_unlisted_file(raw_copy):
    path = raw_copy(rosstat.SHIPMENTS_FILE, sums=False)
    with pytest.raises(InputError, match=r"checksum list is missing|not listed"):
        rosstat.shipments(path)


@pytest.mark.parametrize(
    "mutate, row, match",
    [
        (lambda t: t.replace(",varname,", ",variable,", 1), 1, "unexpected header"),
        (
            lambda t: "\n".join(line for line in t.splitlines() if not line.startswith("2013-12-01")),
            None,
            "no December row for 2013",
        ),
        (lambda t: t.replace("MAQ_IND_YTD", "MAQ_IND_YOY", 1), 2, "another indicator"),
    ],
    ids=["header renamed", "december missing", "wrong indicator"],
)
def test_broken_production_index_csv(raw_copy, mutate, row, match):
    path = raw_copy(rosstat.PRODUCTION_INDEX_FILE, text=mutate)
    with pytest.raises(InputError, match=match) as err:
        rosstat.production_index(path)
    assert err.value.file == rosstat.PRODUCTION_INDEX_FILE and err.value.row == row


def test_gva_shares_that_do_not_sum_to_100_are_refused():
    from analysis.core.paths import RAW_ROSSTAT
    from analysis.inputs import rosstat_importers

    df = pd.DataFrame(
        {
            "region_id": ["x", "x"],
            "year": [2016, 2016],
            "source": ["f.xlsx:2016"] * 2,
            "region": ["X", "X"],
            "activity": ["A", "B"],
            "value": [40.0, 50.0],
        }
    )
    with pytest.raises(InputError, match=r"do not sum to about 100.*sheet '2016'|sheet '2016'.*do not sum"):
        rosstat_importers._check_shares(df, RAW_ROSSTAT / rosstat.GVA_FILE)
    df.loc[1, "value"] = 160.0
    with pytest.raises(InputError, match="outside 0-100"):
        rosstat_importers._check_shares(df, RAW_ROSSTAT / rosstat.GVA_FILE)


# --- appendix to «Регионы России» (data to 2021) ------------------------------------------------


def test_production_indices_hand_checked(tables):
    df = tables["production_indices"]
    # 12.4.1 mining (OKVED-2007), Kemerovo 2013: 101.4, the value the paper's Table 7 prints
    assert value(df, "kemerovo", 2013, "mining", "OKVED2007") == pytest.approx(101.4)
    # 12.4.2 mining (OKVED2), Kemerovo 2016: 109.7; 12.3.2 industry, Russia 2016: 101.8
    assert value(df, "kemerovo", 2016, "mining", "OKVED2") == pytest.approx(109.7)
    assert value(df, "russia", 2016, "industry", "OKVED2") == pytest.approx(101.8)
    # the two editions overlap in 2015-2016 and are both kept, never spliced
    k = df[(df.region_id == "kemerovo") & (df.activity == "mining")]
    assert set(k[k.okved == "OKVED2007"].year) == set(range(2000, 2017))
    assert set(k[k.okved == "OKVED2"].year) == set(range(2015, 2022))
    assert set(df.activity) == {"industry", "mining", "manufacturing", "utilities", "energy", "water_waste"}
    assert set(df[df.activity.isin(["energy", "water_waste"])].okved) == {"OKVED2"}
    assert set(df[df.activity == "utilities"].okved) == {"OKVED2007"}
    assert set(df.unit) == {"percent of previous year"}


def test_production_indices_times_read_as_percent(tables):
    df = tables["production_indices"]
    # 12.3.1, Sevastopol 2015 (or the year the file writes "в 3.7 р."): 3.7 times -> 370
    assert (df.value == 370.0).any()
    log = [e for e in tables["log"] if e["table"] == "production_indices" and e["action"] == "converted"]
    assert any("'в 3.7 р.' as 370" in e["reason"] for e in log)


def test_rail_dispatch_hand_checked(tables):
    df = tables["rail_dispatch"]
    # 16.1: Kemerovo 2016 249.7 million t, Russia 1325.2 (the README of the data mirror)
    assert value(df, "kemerovo", 2016, "rail_dispatch") == pytest.approx(249.7)
    assert value(df, "russia", 2016, "rail_dispatch") == pytest.approx(1325.2)
    assert set(df.unit) == {"million t"} and df.year.min() == 2000 and df.year.max() == 2021
    # regions without public railways are logged, not imported as zeros
    assert "altai_rep" not in set(df.region_id) or df[df.region_id == "altai_rep"].value.isna().all()


def test_appendix_totals_hand_checked(tables):
    # 2.3 employed, 10.1 investment, 11.2 turnover: Kemerovo 2016 (the data mirror's README)
    assert value(tables["employment_total"], "kemerovo", 2016) == pytest.approx(1220.4)
    assert value(tables["investment_total"], "kemerovo", 2016) == pytest.approx(165665.6)
    assert value(tables["investment_total"], "russia", 2016) == pytest.approx(14748846.9)
    assert tables["turnover_total"].year.min() == 2005
    g = tables["grp_volume_index"]
    # 8.3: the first data row is the total over regions, imported as russia (2000: 110.6)
    assert value(g, "russia", 2000, "grp_volume") == pytest.approx(110.6)


def test_appendix_table_moved_down_is_found_by_its_content(raw_copy, tables):
    """The year row is found by content, so a table one row lower is read exactly the same."""
    path = raw_copy(rosstat.RR2022_TRANSPORT_FILE, xlsx=_insert_top_row("16.1."))
    moved = rosstat.rail_dispatch(path)
    pd.testing.assert_frame_equal(
        moved.drop(columns="source"), tables["rail_dispatch"].drop(columns="source")
    )


def test_shipments_okved2_hand_checked(tables):
    df = tables["shipments_okved2"]
    # 12.2.2 mining (OKVED2 B), Kemerovo 2017: 899 156 mln RUB; 12.2.7 water (E) 2021: 109 379
    assert value(df, "kemerovo", 2017, "B", "OKVED2") == pytest.approx(899156)
    assert value(df, "kemerovo", 2021, "E", "OKVED2") == pytest.approx(109379)
    assert set(df.year) == set(range(2017, 2022))  # the header "20202)" is 2020 with a footnote mark
    assert set(df.okved) == {"OKVED2"} and set(df.activity) == {"B", "C", "D", "E"}


def test_a_year_misprinted_with_a_doubled_zero_is_read_and_only_that():
    """Sheet 12.10 prints 2009 as 20009 between 2008 and 2010: read as 2009; any other bad header
    (a jump, or a misprint that is not between its neighbours) stays an error naming the cell."""
    from analysis.inputs.rosstat_sheets import Sheet, misprinted_years, years_in

    ok = Sheet(Path("x.xlsx"), "12.10.", [(None, 2007, 2008, 20009, 2010, 2011)])
    assert misprinted_years(ok, 1) == {3: 2009}
    assert years_in(ok, 1, [1, 2, 3, 4, 5], misprinted_years(ok, 1)) == [2007, 2008, 2009, 2010, 2011]
    for row in [(None, 2007, 2008, 20019, 2010, 2011), (None, 2007, 2008, 20009, 2011, 2012)]:
        bad = Sheet(Path("x.xlsx"), "12.10.", [row])
        assert misprinted_years(bad, 1) == {}
        with pytest.raises(InputError, match="year header not found"):
            years_in(bad, 1, [1, 2, 3, 4, 5], misprinted_years(bad, 1))


def test_electricity_production_hand_checked(tables):
    df = tables["electricity_production"]
    assert value(df, "kemerovo", 2011, "electricity") == pytest.approx(24.7)
    assert value(df, "russia", 2009, "electricity") == pytest.approx(992.0)  # the misprinted year
    assert value(df, "kemerovo", 2016, "electricity") == pytest.approx(24.4)
    assert set(df["unit"]) == {"bn kWh"}
