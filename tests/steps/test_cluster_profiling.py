"""Tests of analysis.steps.cluster_profiling: member counts against the stated totals, the SME
share, and the verdict on each cluster's link to the specialisation against the LQ threshold.

Toy ``meta`` / ``facts`` have the shape of ``analysis.inputs.region.clusters`` / ``cluster_facts``
tables; paper checks cite text_numbers.csv, clusters.csv and Tables 5-6.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.inputs import paper
from analysis.inputs import region as region_data
from analysis.steps import cluster_profiling

TOL = 1e-9


def meta(*clusters: tuple[str, str]) -> pd.DataFrame:
    """Rows (cluster_id, linked_to_specialisation) in the shape of the clusters tables."""
    return pd.DataFrame(
        {
            "cluster_id": [c for c, _ in clusters],
            "name_ru": [c for c, _ in clusters],
            "name_en": [c.title() for c, _ in clusters],
            "linked_to_specialisation": [link for _, link in clusters],
            "related_items": ["mining"] * len(clusters),
        }
    )


def facts(*rows: tuple) -> pd.DataFrame:
    """Rows (cluster_id, quantity, year or None, value) in the shape of the facts tables."""
    df = pd.DataFrame(rows, columns=["cluster_id", "quantity", "year", "value"])
    df["year"] = df["year"].astype("Int64")
    df["value"] = df["value"].astype(float)
    df["unit"] = "organisations"
    df["qualifier"] = None
    df["claim_id"] = [f"toy:{i}" for i in range(len(df))]
    return df[["cluster_id", "quantity", "year", "value", "unit", "qualifier", "claim_id"]]


@pytest.fixture
def toy_profiles() -> pd.DataFrame:
    m = meta(("steel", "yes"), ("pharma", "no"), ("textile", "not_assessed"))
    f = facts(
        ("steel", "founded", None, 2012),
        # stated totals in two years: the latest (2016) is the one compared
        ("steel", "participants", 2015, 40),
        ("steel", "participants", 2016, 50),
        ("steel", "anchor_participants", None, 5),
        ("steel", "sme_participants", None, 30),
        ("steel", "education_organisations", None, 3),
        ("steel", "research_organisations", None, 2),
        ("steel", "sme_share", None, 55),
        ("steel", "employees", None, 8),
        # no stated total: the SME share is taken of the listed members
        ("pharma", "anchor_participants", None, 2),
        ("pharma", "sme_participants", None, 8),
        ("pharma", "pharma_producers", None, 1),
        ("pharma", "foreign_participants", None, 1),
        # founding year only
        ("textile", "founded", None, 2019),
    )
    return cluster_profiling.profiles(m, f)


def test_profiles_keep_the_clusters_in_the_given_order(toy_profiles):
    assert list(toy_profiles.index) == ["steel", "pharma", "textile"]
    assert toy_profiles["linked_to_specialisation"].tolist() == ["yes", "no", "not_assessed"]
    assert toy_profiles["name_en"].tolist() == ["Steel", "Pharma", "Textile"]


def test_profiles_member_sums_against_the_stated_total(toy_profiles):
    steel = toy_profiles.loc["steel"]
    assert steel["founded"] == pytest.approx(2012.0, abs=TOL)
    assert steel["members_stated"] == pytest.approx(50.0, abs=TOL)  # 2016, not 2015's 40
    # 5 anchors + 30 SMEs + 3 education + 2 research = 40: ten fewer than stated
    assert steel["members_listed"] == pytest.approx(40.0, abs=TOL)
    assert steel["sme_share_published"] == pytest.approx(55.0, abs=TOL)
    assert steel["sme_share_recomputed"] == pytest.approx(100 * 30 / 50, abs=TOL)  # of the stated 50
    assert steel["employees_thousand"] == pytest.approx(8.0, abs=TOL)


def test_profiles_sme_share_falls_back_on_the_listed_members(toy_profiles):
    pharma = toy_profiles.loc["pharma"]
    assert np.isnan(pharma["members_stated"])
    # 2 anchors + 8 SMEs + 1 pharma producer + 1 foreign = 12
    assert pharma["members_listed"] == pytest.approx(12.0, abs=TOL)
    assert pharma["sme_share_recomputed"] == pytest.approx(100 * 8 / 12, abs=TOL)


def test_profiles_with_no_member_counts_stay_unknown(toy_profiles):
    textile = toy_profiles.loc["textile"]
    assert textile["founded"] == pytest.approx(2019.0, abs=TOL)
    # nothing listed: unknown, not 0 members (sum with min_count=1)
    for column in ("members_stated", "members_listed", "sme", "sme_share_recomputed", "employees_thousand"):
        assert np.isnan(textile[column]), column


def test_profiles_on_the_papers_clusters():
    p = cluster_profiling.profiles(
        region_data.clusters("kemerovo").table, region_data.cluster_facts("kemerovo").table
    )
    # text_numbers: coal_anchor 6 + coal_sme 54 + coal_education 4 + coal_research 6 = 70, no total
    assert np.isnan(p.at["coal_processing", "members_stated"])
    assert p.at["coal_processing", "members_listed"] == pytest.approx(70.0, abs=TOL)
    assert p.at["coal_processing", "sme_share_recomputed"] == pytest.approx(100 * 54 / 70, abs=TOL)  # 77.14
    # biomed: 17 anchors + 30 SMEs + 6 education + 3 research + 1 pharma + 2 foreign = 59 = stated 59
    assert p.at["biomedical", "members_listed"] == pytest.approx(
        p.at["biomedical", "members_stated"], abs=TOL
    )
    assert p.at["biomedical", "members_listed"] == pytest.approx(59.0, abs=TOL)
    # agro: 7 anchors (the 2 research institutions among them, "в том числе") + 123 SMEs = 130,
    # the total the Introduction states; the research institutions are shown but not added again
    assert p.at["agro", "members_listed"] == pytest.approx(130.0, abs=TOL)
    assert p.at["agro", "research"] == pytest.approx(2.0, abs=TOL)
    assert p.at["agro", "anchor"] == pytest.approx(7.0, abs=TOL)
    assert p.at["agro", "members_stated"] == pytest.approx(130.0, abs=TOL)
    assert p.at["agro", "sme_share_recomputed"] == pytest.approx(100 * 123 / 130, abs=TOL)


# ---------------------------------------------------------------------------------- link_lqs
def lq_rows(*rows: tuple, basis: bool = False) -> pd.DataFrame:
    cols = ["activity", "basis", "year", "lq"] if basis else ["activity", "year", "lq"]
    return pd.DataFrame(rows, columns=cols)


def test_link_lqs_takes_the_latest_turnover_year_then_the_bases():
    turnover = lq_rows(("mining", 2015, 3.65), ("mining", 2016, 4.25), ("agriculture", 2016, 0.49))
    bases = lq_rows(
        ("mining", "turnover", 2016, 9.99),  # turnover's own value wins
        ("health", "turnover", 2016, 1.04),  # not in the turnover table: taken from the bases
        ("health", "employment", 2016, 1.64),  # another basis: never used
        basis=True,
    )
    lq, label = cluster_profiling.link_lqs(turnover, bases)
    assert lq.to_dict() == {"mining": 4.25, "agriculture": 0.49, "health": 1.04}
    assert label == "turnover 2016"


def test_link_lqs_label_names_every_year_used():
    turnover = lq_rows(("mining", 2018, 4.0))
    bases = lq_rows(("health", "turnover", 2016, 1.04), basis=True)
    lq, label = cluster_profiling.link_lqs(turnover, bases)
    assert label == "turnover 2016, 2018"  # the two tables' years differ: both are named
    assert lq.to_dict() == {"mining": 4.0, "health": 1.04}


@pytest.mark.parametrize("turnover", [None, lq_rows()])
def test_link_lqs_without_tables_is_empty(turnover):
    lq, label = cluster_profiling.link_lqs(turnover, None)
    assert lq.empty and label == ""
    lq, label = cluster_profiling.link_lqs(turnover, lq_rows(("trade", "investment", 2016, 1.18), basis=True))
    assert lq.empty and label == ""  # bases without turnover give nothing either


# ------------------------------------------------------------------------ specialisation_link
@pytest.fixture
def paper_lq() -> pd.Series:
    """Turnover LQs, 2016, as printed: Table 5 mining "4,25", coke_petroleum "0,75", chemicals
    "1,086", metallurgy_metal_products "2,31", agriculture "0,49", manufacturing "0,88"; Table 6
    health "1,04" (not in Table 5). Hotels and restaurants (tourism) have none."""
    return pd.Series(
        {
            "mining": 4.25,
            "coke_petroleum": 0.75,
            "chemicals": 1.086,
            "metallurgy_metal_products": 2.31,
            "agriculture": 0.49,
            "manufacturing": 0.88,
            "health": 1.04,
        }
    )


@pytest.mark.parametrize(
    ("threshold", "above"),
    [
        # the best LQ of each cluster's activities: coal processing 4.25 (mining), biomedical 1.04
        # (health), agro 0.49 (agriculture), light industry 0.88 (manufacturing)
        (0.48, ["coal_processing", "biomedical", "agro", "light_industry"]),
        (0.49, ["coal_processing", "biomedical", "light_industry"]),  # agro 0.49 is not above 0.49
        (1.0, ["coal_processing", "biomedical"]),
        (1.03, ["coal_processing", "biomedical"]),
        (1.04, ["coal_processing"]),  # equal is not above
        (4.25, []),
    ],
)
def test_specialisation_link_moves_with_the_threshold(paper_lq, threshold, above):
    link = cluster_profiling.specialisation_link(paper.clusters(), paper_lq, threshold)
    assert link.index[link["above_threshold"] == True].tolist() == above  # noqa: E712


def test_specialisation_link_values_and_unknowns(paper_lq):
    link = cluster_profiling.specialisation_link(paper.clusters(), paper_lq, 1.0)
    assert list(link.index) == cluster_profiling.CLUSTER_ORDER  # clusters.csv order
    assert link.at["coal_processing", "max_lq"] == pytest.approx(4.25, abs=TOL)
    assert link.at["coal_processing", "lq_turnover"] == (
        "mining 4.25, coke_petroleum 0.75, chemicals 1.086, metallurgy_metal_products 2.31"
    )
    assert link.at["biomedical", "max_lq"] == pytest.approx(1.04, abs=TOL)
    # tourism: no LQ for hotels and restaurants -> unknown, not "not above"
    assert np.isnan(link.at["tourism", "max_lq"])
    assert link.at["tourism", "above_threshold"] is None
    assert link.at["tourism", "lq_turnover"] == "no LQ"
    # the source's own judgement travels with the row
    assert link["source_says_linked"].tolist() == ["yes", "no", "no", "no", "not_assessed"]


def test_specialisation_link_ignores_unknown_lqs():
    clusters = pd.DataFrame(
        {
            "cluster_id": ["a", "b"],
            "related_items": ["x|y", "z"],
            "linked_to_specialisation": ["yes", "no"],
        }
    )
    lq = pd.Series({"x": np.nan, "y": 0.8, "z": np.nan})
    link = cluster_profiling.specialisation_link(clusters, lq, 0.5)
    # a: x unknown, y 0.8 > 0.5 -> judged on y alone; b: its only LQ unknown -> no verdict
    assert link.at["a", "max_lq"] == pytest.approx(0.8, abs=TOL)
    assert link.at["a", "lq_turnover"] == "y 0.8"
    assert link.at["a", "above_threshold"] is True
    assert link.at["b", "above_threshold"] is None


def test_link_on_the_papers_tables_matches_the_typed_values(paper_lq):
    lq, label = cluster_profiling.link_lqs(
        region_data.lq_turnover("kemerovo").table, region_data.lq_bases("kemerovo").table
    )
    assert label == "turnover 2016"
    for activity, value in paper_lq.items():
        assert lq[activity] == pytest.approx(value, abs=TOL), activity


def _sections() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["mining", "chemicals", "utilities"],
            "okved2007": ["C", "D", "E"],
            "okved2": ["B", "C", "D|E"],
            "scope_okved2007": ["section", "within", "section"],
            "scope": ["section", "within", "section"],
            "name_en": ["m", "c", "u"],
            "note": [None, None, None],
        }
    )


def test_rosstat_link_maps_activities_to_sections(make_gva):
    gva = make_gva(
        {
            ("r", 2022, "OKVED2"): {"B": 30.0, "C": 10.0, "D": 5.0, "E": 1.0, "G": 54.0},
            ("russia", 2022, "OKVED2"): {"B": 10.0, "C": 20.0, "D": 3.0, "E": 1.0, "G": 66.0},
        }
    )
    clusters = pd.DataFrame(
        {
            "cluster_id": ["k1", "k2", "k3"],
            "related_items": ["mining|chemicals", "utilities", "tourism"],
            "linked_to_specialisation": ["yes", "no", "not_assessed"],
        }
    )
    got = cluster_profiling.rosstat_link(clusters, gva, "r", _sections(), 1.0)
    # mining: B 30/10 = 3; chemicals within C: 10/20 = 0.5; utilities D+E: (5+1)/(3+1) = 1.5
    assert got.at["k1", "max_lq"] == pytest.approx(3.0) and got.at["k1", "above_threshold"]
    assert "chemicals: C (within)" in got.at["k1", "sections"]
    assert got.at["k2", "max_lq"] == pytest.approx(1.5) and got.at["k2", "sections"] == "utilities: D+E"
    # an id the crosswalk lacks has no LQ, and no verdict
    assert pd.isna(got.at["k3", "max_lq"]) and got.at["k3", "above_threshold"] is None
    assert set(got["year"]) == {2022} and set(got["okved"]) == {"OKVED2"}


def test_latest_facts_prefer_an_exact_value_to_a_bound_of_the_same_year():
    facts = pd.DataFrame(
        {
            "cluster_id": ["t", "t", "t"],
            "quantity": ["sme_share"] * 3,
            "year": [2016, 2017, 2017],
            "value": [70.0, 82.3, 80.0],
            "qualifier": [None, None, ">"],
        }
    )
    for rows in ([0, 1, 2], [0, 2, 1], [2, 1, 0]):  # whatever the order of the rows
        got = cluster_profiling.latest_facts(facts.iloc[rows], ["t"])
        assert got.at["t", "sme_share"] == 82.3
        # and its qualifier is that value's (exact), not the bound's of another row
        assert cluster_profiling.latest_qualifiers(facts.iloc[rows], ["t"], "sme_share")["t"] == ""
    only_bound = facts.iloc[[0, 2]]
    assert cluster_profiling.latest_qualifiers(only_bound, ["t", "u"], "sme_share").tolist() == [">", ""]


def test_link_points_list_every_lq_the_link_rests_on_and_the_figure_draws_them(make_gva):
    from analysis.core import figures as F

    gva = make_gva(
        {
            ("r", 2022, "OKVED2"): {"B": 30.0, "C": 10.0, "D": 5.0, "E": 1.0, "G": 54.0},
            ("russia", 2022, "OKVED2"): {"B": 10.0, "C": 20.0, "D": 3.0, "E": 1.0, "G": 66.0},
        }
    )
    clusters = pd.DataFrame(
        {
            "cluster_id": ["k1", "k2"],
            "name_en": ["One", "Two"],
            "name_ru": ["Один", "Два"],
            "related_items": ["mining|chemicals", "tourism"],
            "linked_to_specialisation": ["yes", "no"],
        }
    )
    turnover = pd.Series({"mining": 2.5, "tourism": 0.4})
    pts = cluster_profiling.link_points(clusters, turnover, "turnover 2016", gva, "r", _sections())
    got = {(r.cluster_id, r.activity, r.basis): r.lq for r in pts.itertuples()}
    assert got == pytest.approx(
        {
            ("k1", "mining", "turnover"): 2.5,
            ("k1", "mining", "gva"): 3.0,  # B 30/10
            ("k1", "chemicals", "gva"): 0.5,  # within C: 10/20
            ("k2", "tourism", "turnover"): 0.4,  # no section for tourism in the crosswalk
        }
    )
    assert set(pts.loc[pts["basis"] == "gva", "years"]) == {"2022 (OKVED2)"}
    fig = cluster_profiling.draw_link(
        pts, meta=clusters, threshold=1.0, lang="ru", region_name="R", source="s", names={"mining": "Добыча"}
    )
    ax = fig.axes[0]
    ticks = [t.get_text().strip() for t in ax.get_yticklabels()]
    assert ticks[:2] == ["Один", "Добыча"] and ticks[3] == "Два"  # headings, activities below them
    assert sum(len(c.get_offsets()) for c in ax.collections) == 4  # one marker per LQ
    assert any(abs(line.get_xdata()[0] - 1.0) < 1e-12 for line in ax.get_lines())  # the threshold
    F.plt.close(fig)


# ------------------------------------------------ the link judged at founding, every id mapped
@pytest.mark.parametrize(
    ("founded", "year", "basis"),
    [
        (2014, 2014, "founding year"),
        (2005, 2009, "nearest year with data to the founding year 2005"),
        (2030, 2022, "nearest year with data to the founding year 2030"),
        (np.nan, 2022, "latest year with data; founding year unknown"),
        (None, 2022, "latest year with data; founding year unknown"),
    ],
)
def test_judgement_year_is_the_founding_year_else_the_nearest_or_latest(founded, year, basis):
    assert cluster_profiling.judgement_year(founded, list(range(2009, 2023))) == (year, basis)


def test_judgement_year_between_two_years_with_data_takes_the_later():
    assert cluster_profiling.judgement_year(2016, [2015, 2017])[0] == 2017


def _two_editions(make_gva):
    return make_gva(
        {
            # 2014, OKVED-2007: health is N, mining C, manufacturing D
            ("r", 2014, "OKVED2007"): {"C": 20.0, "D": 10.0, "N": 6.0, "I": 9.0, "K": 55.0},
            ("russia", 2014, "OKVED2007"): {"C": 10.0, "D": 20.0, "N": 4.0, "I": 10.0, "K": 56.0},
            # 2022, OKVED2: health is Q
            ("r", 2022, "OKVED2"): {"B": 30.0, "C": 10.0, "Q": 3.0, "H": 5.0, "J": 2.0, "G": 50.0},
            ("russia", 2022, "OKVED2"): {"B": 10.0, "C": 20.0, "Q": 4.0, "H": 6.0, "J": 4.0, "G": 56.0},
        }
    )


def test_rosstat_link_is_judged_in_the_founding_year_and_says_so(make_gva):
    sections = region_data.activity_sections()
    clusters = pd.DataFrame(
        {
            "cluster_id": ["health_2014", "health_unknown", "it_2010"],
            "related_items": ["health", "health", "information_communication"],
            "linked_to_specialisation": ["no", "no", "not_assessed"],
            "founded": [2014.0, np.nan, 2010.0],
        }
    )
    got = cluster_profiling.rosstat_link(clusters, _two_editions(make_gva), "r", sections, 1.0)
    # founded 2014: N 6/4 = 1.5 on OKVED-2007; unknown founding: 2022, Q 3/4 = 0.75
    assert (
        got.at["health_2014", "max_lq"] == pytest.approx(1.5) and got.at["health_2014", "verdict"] == "linked"
    )
    assert (got.at["health_2014", "year"], got.at["health_2014", "okved"]) == (2014, "OKVED2007")
    assert got.at["health_unknown", "max_lq"] == pytest.approx(0.75)
    assert got.at["health_unknown", "verdict"] == "not linked" and got.at["health_unknown", "year"] == 2022
    # founded 2010, no data before 2014: the nearest year, OKVED-2007 I (transport and communications)
    assert got.at["it_2010", "year"] == 2014 and got.at["it_2010", "max_lq"] == pytest.approx(0.9)
    assert got.at["it_2010", "sections"] == "information_communication: I (within)"
    text = cluster_profiling.reading_rosstat_link(got, 1.0)
    assert "1 of 3 clusters with a quotient" in text
    assert "health_2014 (1.50 in 2014, OKVED2007)" in text
    assert "health_unknown (0.75 in 2022, OKVED2: the latest year with data, founding year unknown)" in text
    assert "it_2010 (0.90 in 2014, OKVED2007: the nearest year with data to its founding in 2010)" in text


def test_okved_letters_and_a_users_parents_get_a_quotient_and_the_rest_is_not_assessed(make_gva):
    sections = region_data.activity_sections()
    clusters = pd.DataFrame(
        {
            "cluster_id": ["it_letter", "cars", "tourism", "mixed"],
            "related_items": ["J", "motor_vehicles|my_cars", "my_resorts", "my_resorts|H"],
            "linked_to_specialisation": ["not_assessed"] * 4,
            "founded": [2022.0] * 4,
        }
    )
    parents = {"my_cars": "motor_vehicles", "my_resorts_part": "my_resorts"}
    got = cluster_profiling.rosstat_link(clusters, _two_editions(make_gva), "r", sections, 1.0, parents)
    assert got.at["it_letter", "max_lq"] == pytest.approx(0.5)  # J: 2 / 4
    assert "J: information_communication → J" in got.at["it_letter", "sections"]
    # motor_vehicles is division 29 of C (within); my_cars through its parent, also within C
    assert got.at["cars", "lq_gva"] == "motor_vehicles 0.500, my_cars 0.500"
    assert "my_cars: motor_vehicles → C (within)" in got.at["cars", "sections"]
    # an id of the user's without a parent or a crosswalk row: no quotient, the cluster not assessed
    assert got.at["tourism", "verdict"] == "not assessed" and got.at["tourism", "above_threshold"] is None
    assert got.at["mixed", "max_lq"] == pytest.approx(5 / 6)  # H 5/6; my_resorts unknown
    text = cluster_profiling.reading_rosstat_link(got, 1.0)
    assert "0 of 3 clusters with a quotient" in text
    assert "Not assessed, no GVA quotient for its activities: tourism (2022, OKVED2)." in text


def test_every_okved2_section_letter_has_exactly_one_crosswalk_id():
    from analysis.inputs.rosstat import GVA_ACTIVITIES

    m = region_data.activity_sections()
    exact = m[m["scope"] == "section"]
    for letter in GVA_ACTIVITIES["OKVED2"]:
        assert (exact["okved2"] == letter).sum() == 1, letter
    for letters in (*m["okved2007"], *m["okved2"]):
        edition = "OKVED2007" if letters in set(m["okved2007"]) else "OKVED2"
        assert set(letters.split("|")) <= set(GVA_ACTIVITIES["OKVED2007"]) | set(GVA_ACTIVITIES[edition])


def test_reading_counts_one_member_group_apart_and_compares_a_bound_as_a_bound():
    m = meta(("one_group", "no"), ("bound", "no"), ("off", "no"))
    f = facts(
        # only the SMEs given beside the total: no listing to add up (the issue: "do not add up (40 vs 50)")
        ("one_group", "participants", None, 50),
        ("one_group", "sme_participants", None, 40),
        # the paper's biomedical cluster: "more than 50 %" of 59 members, 30 SMEs = 50.8 %
        ("bound", "participants", None, 59),
        ("bound", "sme_participants", None, 30),
        ("bound", "anchor_participants", None, 29),
        ("bound", "sme_share", None, 50),
        ("off", "participants", None, 10),
        ("off", "sme_participants", None, 3),
        ("off", "anchor_participants", None, 3),
        ("off", "sme_share", None, 50),
    )
    f.loc[(f["cluster_id"] == "bound") & (f["quantity"] == "sme_share"), "qualifier"] = ">"
    p = cluster_profiling.profiles(m, f)
    text = cluster_profiling.reading(p, None, 1.0, "R")
    assert "40 vs 50" not in text and "one_group: one member group given beside the total" in text
    assert "1 of 2 clusters with a total and two or more member groups" in text
    assert "off (6 listed vs 10 stated)" in text
    assert "bound: the SME share stated is more than 50 %, and the counts give 50.8 %, as stated." in text
    assert "off: the SME share stated is 50 %, the counts give 30.0 %." in text


@pytest.mark.parametrize(
    ("published", "recomputed", "qualifier", "agrees"),
    [
        (50, 50.8, ">", True),
        (50, 49.9, ">", False),
        (50, 50.0, ">", False),
        (50, 50.0, ">=", True),
        (50, 50.8, "", False),
        (50, 50.4, "", True),
        (80, 79.0, "<", True),
        (80, 80.0, "<=", True),
        (80, 80.3, "~", True),
    ],
)
def test_share_agrees_with_the_stated_inequality(published, recomputed, qualifier, agrees):
    assert cluster_profiling.share_agrees(published, recomputed, qualifier) is agrees


def test_the_clusters_link_is_set_against_the_share_of_sections_above_the_threshold():
    # Issue 19.12: the comparison with chance ran for the paper's region only.
    from analysis.steps.cluster_profiling import base_rate, reading_base_rate

    gva = pd.DataFrame(
        [
            {"region_id": r, "year": y, "okved": "OKVED2", "activity": a, "value": v}
            for y in (2015, 2016)
            for r, shares in (
                ("r", {"B": 30.0, "C": 10.0, "G": 60.0}),
                ("russia", {"B": 10.0, "C": 20.0, "G": 70.0}),
            )
            for a, v in shares.items()
        ]
    )
    link = pd.DataFrame(
        {"verdict": ["linked", "not linked", "not assessed"], "year": [2015, 2016, 2016]},
        index=["a", "b", "c"],
    )
    b = base_rate(link, gva, "r", 1.0)
    # per year: B 3.0 above, C 0.5 and G 0.857 below: 1 of 3 sections, pooled over 2015 and 2016
    assert b == {
        "linked": 1,
        "assessed": 2,
        "above": 2,
        "sections": 6,
        "rate": pytest.approx(1 / 3),
        "share": 0.5,
    }
    text = reading_base_rate(b, 1.0)
    assert text.startswith(
        "1 of 2 assessed clusters (50 %) sit in an activity above 1; of the region's OKVED"
    )
    assert "2 of 6 (33 %) are above it" in text and "more often than chance" in text
    assert base_rate(link.iloc[[2]], gva, "r", 1.0) is None
