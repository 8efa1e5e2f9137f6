"""The reproduction ledger: complete, honest about discrepancies, and pinned on key values."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis.core import paths
from analysis.inputs import paper, rosstat
from analysis.reproduction import checks, claims, ledger, official


@pytest.fixture(scope="module")
def led() -> pd.DataFrame:
    return ledger.build()


def test_columns_and_statuses(led):
    assert list(led.columns) == ledger.COLUMNS
    assert set(led["status"]) <= set(ledger.STATUSES)
    assert led["claim_id"].is_unique


def test_every_transcribed_number_is_in_the_ledger(led):
    ids = set(led["claim_id"])
    for n in range(1, 8):
        t = paper.table(n)
        for _, row in t[t["value"].notna()].iterrows():
            assert ledger.table_claim_id(row) in ids, f"Table {n} cell missing: {ledger.table_claim_id(row)}"
    missing = set(paper.text_numbers()["claim_id"]) - ids
    assert not missing, f"text numbers missing from the ledger: {sorted(missing)}"
    n_cells = sum(int(paper.table(n)["value"].notna().sum()) for n in range(1, 8))
    assert len(led) == n_cells + len(paper.text_numbers()) + len(claims.CLAIMS)


def test_recomputable_numbers_within_tolerance_or_diagnosed(led):
    rec = led[led["recomputed"].notna()]
    outside = rec[(rec["abs_diff"] > rec["tolerance"] + 1e-9) & (rec["status"] != "reproduced")]
    undiagnosed = outside[
        ~outside["note"].str.startswith("DIAGNOSIS: ") | (outside["note"].str.len() < len("DIAGNOSIS: ") + 20)
    ]
    assert undiagnosed.empty, undiagnosed[["claim_id", "published", "recomputed"]].to_string()
    assert (led.loc[led["status"] == "discrepancy", "claim_id"].isin(ledger.DIAGNOSES)).all()


def test_every_contradiction_lists_its_exceptions(led):
    c = led[led["status"] == "contradicted"]
    assert len(c) > 0
    assert c["note"].str.startswith("DIAGNOSIS: ").all()
    assert (c["recomputed"] > 0).all() and (c["published"] == 0).all()


def test_transcribed_only_have_no_recomputation(led):
    t = led[led["status"] == "transcribed_only"]
    assert t["recomputed"].isna().all()
    assert led.loc[led["status"] != "transcribed_only", "recomputed"].notna().all()


@pytest.mark.parametrize(
    "year, expected",
    [(2011, 1726.031), (2012, 1366.8925), (2013, 1187.3089), (2014, 1213.333), (2015, 1327.667745)],
)
def test_hhi_recomputed_from_table1(led, year, expected):
    # Sum of squares of Table 1's printed shares, computed by hand in a spreadsheet.
    row = led.set_index("claim_id").loc[f"hhi_{year}"]
    assert row["recomputed"] == pytest.approx(expected, abs=1e-4)
    assert row["status"] in ("reproduced", "within_rounding")


def test_known_discrepancies_are_flagged(led):
    s = led.set_index("claim_id")["status"]
    for cid in (
        "tourism_participants_2017",
        "agro_sme_share",
        "rail_ferrous_in_share",
        "coal_coke_investment_change",
        "export_coal_growth",
    ):
        assert s[cid] == "discrepancy", cid
    for cid in (
        "t3_marketability_2014",
        "t3_marketability_2016",
        "coef_coal_change",
        "rail_out_over_in_2014",
        "gva_budget_2011",
        "hhi_2012",
    ):
        assert s[cid] == "reproduced", cid


def test_propagate_bounds_rounding():
    # 0.48 / 0.07 with inputs rounded to 2 decimals can lie anywhere in [0.475/0.075, 0.485/0.065].
    val, tol = ledger.propagate(lambda x: x[0] / x[1], [ledger.Cell(0.48, 2), ledger.Cell(0.07, 2)])
    assert val == pytest.approx(0.48 / 0.07)
    assert val + tol >= 0.485 / 0.065 - 0.2 and val - tol <= 0.475 / 0.075
    # sums: exact bound = sum of half units
    assert ledger.propagate(np.sum, [ledger.Cell(1.0, 1), ledger.Cell(2.0, 2)])[1] == pytest.approx(0.055)


def test_committed_ledger_is_current(led):
    """data/processed/kemerovo/reproduction.csv is what the code computes now (not stale)."""
    path = paths.processed_dir("kemerovo") / "reproduction.csv"
    committed = pd.read_csv(path, keep_default_na=False, na_values=[""])
    text = ["note", "official_source", "official_status", "official_note", "checked_via"]
    pd.testing.assert_frame_equal(
        committed.fillna(dict.fromkeys(text, "")),
        checks.with_checked_via(official.official_axis(led))
        .fillna(dict.fromkeys(text, ""))
        .reset_index(drop=True),
        check_dtype=False,
        atol=1e-6,
    )


# --- the official axis ----------------------------------------------------------------------------


def test_every_number_with_an_official_counterpart_has_its_value_and_status(led):
    o = official.official_axis(led)
    text = paper.text_numbers()
    in_rosstat = set(text.loc[(text["quantity"] == "hhi_gva") & text["year"].between(2009, 2015), "claim_id"])
    counterpart = (
        o["source"].isin(["Table 1", "Table 7"]) & ~o["claim_id"].str.startswith("t1_total")
        | o["claim_id"].isin(in_rosstat)
        | o["claim_id"].isin(list(official.restated_table1()))
        | o["claim_id"].str.startswith("t2_electricity_")
    )
    assert o.loc[counterpart, "official"].notna().all(), o.loc[counterpart & o["official"].isna(), "claim_id"]
    assert set(o.loc[counterpart, "official_status"]) <= set(official.STATUSES)
    assert (o.loc[~counterpart, "official_status"] == "").all()


def test_table2_electricity_against_rosstat(led):
    """Issue 20.5: K = (E_r/E_RF)/(P_r/P_RF) from table 12.10 and mean annual population, beside
    the printed row (1.23, 1.24, 1.00, 1.09, 1.29, 1.24); the bound is the printed half-unit plus
    the output's one-decimal rounding propagated (about 0.0075)."""
    from analysis.inputs import rosstat

    o = official.official_axis(led).set_index("claim_id")
    e = rosstat.table("electricity_production").pivot_table(index="year", columns="region_id", values="value")
    p = rosstat.table("population").pivot_table(index="year", columns="region_id", values="value")
    for y in range(2011, 2017):
        k = (e.at[y, "kemerovo"] / e.at[y, "russia"]) / (p.at[y, "kemerovo"] / p.at[y, "russia"])
        row = o.loc[f"t2_electricity_{y}"]
        assert row["official"] == pytest.approx(k, abs=1e-6)
        expected = "official_match" if abs(k - row["published"]) <= 0.0076 else "official_differs"
        assert row["official_status"] == expected, (y, k, row["published"])
    assert o.at["t2_electricity_2013", "official_status"] == "official_match"  # 0.998 against 1.00
    assert o.at["t2_electricity_2015", "official_status"] == "official_differs"  # 1.308 against 1.29
    assert "not one misprint" in o.at["t2_electricity_2015", "official_note"]


def test_every_official_difference_has_a_diagnosis(led):
    o = official.official_axis(led)
    differs = o[o["official_status"] == "official_differs"]
    assert len(differs) > 0
    assert (differs["official_note"].str.len() > 40).all()
    others = o.loc[o["official_status"] != "official_differs", "official_note"]
    assert ((others == "") | others.str.startswith("Second source: ")).all()


def test_the_mining_index_against_the_monthly_bulletin(led):
    """Table 7's mining cells 2010-2015 name the monthly bulletin too; where it differs (Kemerovo
    2013-2015: 99.6, 105.2, 103.1 against the printed and annual 101.4, 104.2, 102.6) the note says so."""
    o = official.official_axis(led).set_index("claim_id")
    for region in ("kemerovo", "russia"):
        for y in range(2010, 2016):
            assert "m806_MAQ_IND_YTD.csv" in o.at[f"t7_{region}_mining_{y}", "official_source"]
    assert "m806" not in o.at["t7_kemerovo_mining_2016", "official_source"]  # the bulletin ends in 2015
    note = o.at["t7_kemerovo_mining_2013", "official_note"]
    assert note.startswith("Second source: ") and "gives 99.6 (-1.8" in note
    assert o.at["t7_kemerovo_mining_2012", "official_note"] == ""  # 104.5 in both
    differs = [c for c in o.index if o.at[c, "official_note"].startswith("Second source")]
    assert sorted(differs) == [f"t7_kemerovo_mining_{y}" for y in (2013, 2014, 2015)]


def test_official_axis_by_hand(led):
    o = official.official_axis(led).set_index("claim_id")
    # Table 7, Kemerovo mining 2013: the paper's 101.4 is Rosstat's annual index (12.4.1)
    assert o.at["t7_kemerovo_mining_2013", "official"] == pytest.approx(101.4)
    assert o.at["t7_kemerovo_mining_2013", "official_status"] == "official_match"
    # Table 7, industry 2015: the paper prints 105.8, Rosstat's 12.3.1 gives 101.8
    assert o.at["t7_kemerovo_industry_2015", "official_diff"] == pytest.approx(-4.0)
    assert o.at["t7_kemerovo_industry_2015", "official_status"] == "official_differs"
    # Table 1, mining 2014: 21.4 printed, 21.5 in Rosstat's table: within both printed precisions
    assert o.at["t1_mining_2014", "official_status"] == "official_match"


def test_table4_shares_agree_with_the_other_direction(led):
    """Every share in Table 4 is recomputed from the national total the opposite direction implies;
    all 40 agree within the rounding of the printed shares (none is a discrepancy)."""
    t4 = led[led["claim_id"].str.startswith("t4_") & led["claim_id"].str.contains("rail_share")]
    assert len(t4) == 40
    assert set(t4["status"]) <= {"reproduced", "within_rounding"}
    assert (t4["abs_diff"] <= t4["tolerance"]).all()


def test_the_texts_hhi_beside_rosstats(led):
    """The text's HHIs against the HHI of Rosstat's one-decimal shares, whose rounding alone allows
    +-10.04 (0.1 x the sum of the shares, about 100): 2011-2014 match, 2015 does not (1353.70 against
    1327.65), where Table 1's shares themselves differ from Rosstat's current ones."""
    o = official.official_axis(led).set_index("claim_id")
    h, bound, n, _ = official.rosstat_hhi(2015)
    g = rosstat.table("gva_structure")
    g = g[(g["region_id"] == "kemerovo") & (g["okved"] == "OKVED2007") & (g["year"] == 2015)]
    assert n == 16 and h == pytest.approx(float((g["value"] ** 2).sum()), abs=1e-9)
    assert h == pytest.approx(1353.70, abs=0.005) and bound == pytest.approx(10.04, abs=0.005)
    for y, diff in ((2011, 3.15), (2012, -0.59), (2013, -0.29), (2014, 7.12)):
        assert o.at[f"hhi_{y}", "official_diff"] == pytest.approx(diff, abs=0.005), y
        assert o.at[f"hhi_{y}", "official_status"] == "official_match", y
    assert o.at["abs_hhi_2012", "official_status"] == "official_match"
    for cid in ("hhi_2015", "abs_hhi_2015"):
        assert o.at[cid, "official_diff"] == pytest.approx(26.05, abs=0.005)
        assert o.at[cid, "official_status"] == "official_differs"
        assert "t1_construction_2015 -0.83" in o.at[cid, "official_note"]
    assert o.at["hhi_2008", "official_status"] == ""  # Rosstat's table begins in 2009


def test_the_texts_restatements_of_table1_beside_rosstats(led):
    o = official.official_axis(led).set_index("claim_id")
    # mining 2015: the text's 25.6 (Table 1: 25.632), Rosstat 25.8: beyond 0.05 + 0.05
    assert o.at["gva_mining_2015", "official_diff"] == pytest.approx(0.2)
    assert o.at["gva_mining_2015", "official_status"] == "official_differs"
    assert o.at["gva_mining_2015", "official_note"].startswith("the text restates Table 1 (t1_mining_2015)")
    # "more than 25 %" holds against Rosstat's 25.8 too
    assert o.at["abs_mining_share_2015", "official_status"] == "official_match"
    # public administration + education + health, 2011: 11.00 against Rosstat's 4.1 + 2.8 + 4.0 = 10.9,
    # within 0.005 + 3 x 0.05
    assert o.at["gva_budget_2011", "official"] == pytest.approx(10.9)
    assert o.at["gva_budget_2011", "official_status"] == "official_match"
    assert o.at["gva_budget_2011", "official_source"].endswith(": L + M + N")
    for cid in ("gva_mining_2010", "gva_manuf_2010", "gva_trade_2010"):
        assert o.at[cid, "official_diff"] == pytest.approx(0.0, abs=1e-9), cid


def test_official_axis_counts(led):
    """Before issue 20 part 5: 128 match, 11 differ (Tables 1 and 7 only); the text's HHIs (7, of
    them 2 differ) and its 10 restatements of Table 1 (3 differ) add 12 matches and 5 differences;
    Table 2's electricity row (6) adds 2 matches and 4 differences."""
    s = official.summary(official.official_axis(led))
    assert (s.at["total", "official_match"], s.at["total", "official_differs"]) == (142, 20)
    assert (s.at["Table 2", "official_match"], s.at["Table 2", "official_differs"]) == (2, 4)
    assert s.at["Table 1", "official_match"] == 75 and s.at["Table 7", "official_match"] == 53


# --- exact counts ---------------------------------------------------------------------------------


def test_counts_carry_no_rounding_tolerance(led):
    """Sums of member counts, cluster counts and ranks are exact: tolerance 0, not +-0.5."""
    s = led.set_index("claim_id")
    for cid in (
        "biomed_participants",
        "intro_agro_participants",
        "tourism_participants_2017",
        "rail_rank_all",
    ):
        assert s.at[cid, "tolerance"] == 0.0, cid


def test_a_one_unit_slip_in_a_count_is_a_discrepancy(text_number):
    """74 + 22 = 96 members against the printed 97: with the old +-0.5 per count this passed as
    within rounding (tolerance 1.5); a count cannot be rounded, so it must be a discrepancy."""
    text_number("tourism_participants_added_2017", 22.0)
    s = ledger.build().set_index("claim_id")
    assert s.at["tourism_participants_2017", "recomputed"] == pytest.approx(96.0)
    assert s.at["tourism_participants_2017", "abs_diff"] == pytest.approx(1.0)
    assert s.at["tourism_participants_2017", "status"] == "discrepancy"


def test_a_rounded_measurement_keeps_its_half_unit():
    assert ledger.Cell(8.0, 0).half_unit == pytest.approx(0.5)  # 8 thousand employees: rounded
    assert ledger.Cell(97.0, 0, count=True).half_unit == 0.0
    status, _, tol = ledger._status(97.0, 96.0, 0, None, 0.0, count=True)
    assert (status, tol) == ("discrepancy", 0.0)
    status, _, tol = ledger._status(97.0, 96.6, 0, None, 0.0, count=False)
    assert (status, tol) == ("reproduced", 0.5)


def test_agro_cluster_size_is_read_one_way(led):
    """The agro cluster has 130 members in the ledger and in step 2's profiles alike: 123 SMEs + 7
    anchors, the 2 research institutions counted among the anchors (text_numbers.csv note)."""
    from analysis.inputs import region as region_data
    from analysis.steps import cluster_profiling

    p = cluster_profiling.profiles(
        region_data.clusters("kemerovo").table, region_data.cluster_facts("kemerovo").table
    )
    row = led.set_index("claim_id").loc["intro_agro_participants"]
    assert row["recomputed"] == pytest.approx(130.0)
    assert row["status"] == "reproduced"
    assert p.at["agro", "members_listed"] == pytest.approx(row["recomputed"])
    assert "among the anchors" in row["note"]


# --- restatements and the monotowns' share (issue 12, item 10) ------------------------------------


def test_mono_population_share_from_rosstat_population(led):
    row = led.set_index("claim_id").loc["mono_population_share"]
    # 1636 thousand / Rosstat's 2015 average population of the region, 2 716 100 persons
    assert row["recomputed"] == pytest.approx(100 * 1636 / 2716.1, abs=1e-4)  # 60.233
    assert row["status"] == "reproduced"
    assert "the text names no year" in row["note"] and "2016: 60.44" in row["note"]
    assert ledger.mono_base_year() == 2015


def test_restatements_are_checked(led):
    s = led.set_index("claim_id")
    # "more than 80 %" of the tourism cluster's members are SMEs: the Introduction's 82.3 %
    assert s.at["tourism_sme_share", "recomputed"] == pytest.approx(82.3)
    assert s.at["tourism_sme_share", "status"] == "reproduced"
    # first by inbound AND outbound rail volume: the worst of 8 printed ranks is 1
    assert s.at["rail_rank_all", "recomputed"] == 1.0
    assert "inbound and outbound" in s.at["rail_rank_all", "note"]
    # Table 3's export rows from total - domestic: 204508.96 - 87811.55 = 116697.41
    assert s.at["t3_coal_out_export_2014", "recomputed"] == pytest.approx(116697.41, abs=1e-6)
    for y in (2014, 2015, 2016):
        assert s.at[f"t3_coal_out_export_{y}", "status"] == "reproduced"


def _with_table4(monkeypatch, item: str, quantity: str, value: float, year: int | None = None) -> None:
    """paper.table with Table 4's inbound ``quantity`` of ``item`` (in ``year``, or every year) set
    to ``value``: what the ledger would say of another printed number."""
    real = paper.table

    def changed(n: int) -> pd.DataFrame:
        t = real(n)
        if n == 4:
            hit = (t["item"] == item) & (t["direction"] == "in") & (t["quantity"] == quantity)
            if year is not None:
                hit &= t["year"] == year
            t.loc[hit, "value"] = value
        return t

    monkeypatch.setattr(paper, "table", changed)


def test_an_inbound_rank_other_than_first_breaks_rail_rank_all(monkeypatch):
    _with_table4(monkeypatch, "all_cargo", "rail_rank", 2.0, year=2015)
    ledger._records.cache_clear()
    try:
        s = ledger.build().set_index("claim_id")
    finally:
        ledger._records.cache_clear()
    assert s.at["rail_rank_all", "status"] == "discrepancy"


# --- sentences without numbers, against the tables (issue 12, items 8 and 9) ----------------------


def test_sentences_against_the_tables(led):
    s = led.set_index("claim_id")
    # Table 4: coal's inbound share 27.1, 28.3, 29 % (rank 1) tops every year; the text names ores, ferrous metals
    assert s.at["claim_inbound_largest", "recomputed"] == 3
    assert "coal 29 % (rank 1) in 2016" in s.at["claim_inbound_largest", "note"]
    # ores arrive in larger volume than they leave in 2014, 2015 and 2016 (14 987 > 11 343 thousand t in 2014)
    assert s.at["claim_all_cargo_in_below_out", "recomputed"] == 3
    assert "ores 2014: in 14,987 >= out 11,343" in s.at["claim_all_cargo_in_below_out", "note"]
    # crude oil refined, fuel oil, whole-milk products and flour rise 2011-2016 (Table 2)
    assert s.at["claim_processing_coefficients_fall", "recomputed"] == 4
    # 2010 -> 2015, the paragraph's endpoints, trade (the yardstick, 12.3 -> 9.36: -2.94) left out: only
    # mining, 31.4 -> 25.632 (-5.77), changed more; manufacturing 14.7 -> 17.439 (+2.74) did not
    assert s.at["claim_gva_structure_stable", "recomputed"] == 1
    note = s.at["claim_gva_structure_stable", "note"]
    assert "mining 31.4 -> 25.632 (-5.77 points)" in note and "fall of 2.94 points" in note
    assert "manufacturing, +2.74" in note and "trade" not in note.split("significant; ")[1].split(";")[0]
    for cid in (
        "claim_inbound_largest",
        "claim_all_cargo_in_below_out",
        "claim_processing_coefficients_fall",
        "claim_gva_structure_stable",
    ):
        assert s.at[cid, "status"] == "contradicted", cid
    for cid in ("claim_machinery_specialisation", "claim_nonmetallic_near_one", "claim_education_near_one"):
        assert s.at[cid, "status"] == "unsupported", cid
        assert np.isnan(s.at[cid, "published"])


def test_a_sentence_status_is_computed_not_typed(monkeypatch):
    """Were ores to arrive in smaller volume than they leave, the sentence would hold."""
    _with_table4(monkeypatch, "ores", "rail_volume", 100.0)
    row = {r["claim_id"]: r for r in claims.rows()}["claim_all_cargo_in_below_out"]
    assert (row["status"], row["recomputed"]) == ("reproduced", 0.0)


# --- the notes of issue 20, part 8: computed, and worded as far as the evidence goes --------------


def test_hhi_2011_note_weighs_both_readings(led):
    # 1724.03 - 1726.031 = -2.001; mining alone at sqrt(34.6^2 - 2.001) = 34.5711 closes it and rounds to 34.6
    assert ledger.hhi_gap(2011) == pytest.approx(-2.001, abs=1e-6)
    assert list(ledger.closing_shares(2011)) == ["mining"]  # manufacturing would need 13.627, not 13.7
    assert ledger.closing_shares(2011)["mining"][1] == pytest.approx(34.5711, abs=1e-4)
    note = led.set_index("claim_id").at["hhi_2011", "note"]
    assert "mining alone at 34.571 (printed 34.6)" in note and "favours neither reading" in note
    assert "likelier" not in note and "Rosstat's 2011 mining share, 34.6, is also rounded" in note


def test_hhi_2014_note_gives_the_reason_for_its_gap(led):
    # -0.673 against 2012's -0.0025: 269 times; sqrt(21.4^2 - 0.673) = 21.3843, sqrt(18.8^2 - 0.673) = 18.7821
    assert ledger.hhi_gap(2014) / ledger.hhi_gap(2012) == pytest.approx(269.2, abs=0.1)
    close = ledger.closing_shares(2014)
    assert close["mining"][1] == pytest.approx(21.3843, abs=1e-4)
    assert close["manufacturing"][1] == pytest.approx(18.7821, abs=1e-4)
    note = led.set_index("claim_id").at["hhi_2014", "note"]
    assert "269 times 2012's gap" in note and "mining alone at 21.384 (printed 21.4)" in note


def test_a_check_that_cannot_fail_is_not_counted(led):
    """Table 2's fuel oil, printed 0,1 and 1,5: 1.5 / 0.1 = 15, but the rounding allows 1.45/0.15 = 9.67
    to 1.55/0.05 = 31; with two decimals (0.10, 1.50) it would be 1.495/0.105 = 14.24 to 1.505/0.095 = 15.84."""
    row = led.set_index("claim_id").loc["coef_fueloil_ratio"]
    assert row["status"] == "transcribed_only" and np.isnan(row["recomputed"])
    assert "from 9.67 to 31.00" in row["note"] and "would lie in 14.24-15.84" in row["note"]
    one = ledger.Rule(
        "x", ledger.cells(lambda: ledger.Cell(1.5, 1), lambda: ledger.Cell(0.1, 1)), lambda x: x[0] / x[1], ""
    )
    assert one.span() == pytest.approx((1.45 / 0.15, 1.55 / 0.05))
    assert ledger._row("x", "s", "q", 15.0, 0, None, one, None)["status"] == "transcribed_only"
    two = replace(one, inputs=ledger.cells(lambda: ledger.Cell(1.5, 2), lambda: ledger.Cell(0.1, 2)))
    assert ledger._row("x", "s", "q", 15.0, 0, None, two, None)["status"] == "reproduced"
    assert ledger._row("x", "s", "q", 17.0, 0, None, two, None)["status"] == "discrepancy"  # it can fail


def test_agro_and_mono_notes_say_what_is_guessed(led):
    s = led.set_index("claim_id")
    agro = s.at["agro_sme_share", "note"]
    # 119/130 = 91.5 %, 120/130 = 92.3 %; 123/133 = 92.5 %, 123/134 = 91.8 %
    assert "119 or 120 SMEs" in agro and "133 or 134 members" in agro and "A hypothesis" in agro
    mono = s.at["mono_population_share", "note"]
    # 1636 / 2755.459 (2011) = 59.37 % ... 1636 / 2706.96 (2016) = 60.44 %
    assert (
        "chosen because it fits" in mono
        and "range 59.37-60.44" in mono
        and "60.0-60.4 over 2014-2016" in mono
    )
