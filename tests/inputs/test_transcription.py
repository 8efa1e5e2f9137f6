"""The transcription of the paper (data/raw/paper/) against an independent second transcription
(tests/data/transcription_b/, made without seeing the first) and against the identities the paper
itself implies. See data/raw/README.md for every judgement these tests pin down."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.inputs import paper

B = Path(__file__).parents[1] / "data" / "transcription_b"


def _ours_wide(n: int) -> pd.DataFrame:
    """Our tidy table laid out as printed, in the second transcription's column names."""
    t = paper.table(n)
    if n == 4:
        t = t.assign(
            col=t["year"].astype(str).where(t["period"] == "year", "2017ytd")
            + "_"
            + t["quantity"].map(
                {"rail_volume": "volume", "rail_share_of_russia": "share", "rail_rank": "rank"}
            )
        )
    elif n == 6:
        t = t[t["basis"] != "unplaced"].assign(col=lambda d: d["basis"])
    else:
        t = t.assign(col=t["year"].astype(str))
    w = t.pivot_table(index="row", columns="col", values="value", aggfunc="first")
    return w.reindex(sorted(paper.table(n)["row"].unique()))


@pytest.mark.parametrize("n", range(1, 8))
def test_tables_match_second_transcription_cell_by_cell(n):
    theirs = pd.read_csv(B / f"table{n}.csv").set_index("row").drop(columns="label_ru")
    ours = _ours_wide(n).reindex(columns=theirs.columns)
    assert list(ours.index) == list(theirs.index), "row positions differ"
    diff = ~np.isclose(ours.to_numpy(float), theirs.to_numpy(float), rtol=0, atol=1e-9, equal_nan=True)
    cells = [
        (r, c, ours.iloc[i, j], theirs.iloc[i, j])
        for i, r in enumerate(ours.index)
        for j, c in enumerate(ours.columns)
        if diff[i, j]
    ]
    assert not cells, f"Table {n}: cells that differ (row, column, ours, theirs): {cells}"


# Values one transcription lists and the other does not, each for a stated reason.
_EXPECTED_ONLY_OURS = {
    0.0: "oil-product exports 'none' in 2012, a number in words",
    0.333: "'треть' (a third) of monotowns, a number in words",
    2012.0: "start year of the pilot cluster programme (context, not a cluster fact)",
}
_EXPECTED_ONLY_THEIRS: dict[float, str] = {}


def test_text_numbers_match_second_transcription():
    # Distinct values: how often a word-number such as "one" is repeated is a matter of taste.
    ours = set(paper.text_numbers()["value"].abs().round(4))
    theirs = set(pd.read_csv(B / "text_numbers.csv")["value"].abs().round(4))
    only_ours, only_theirs = ours - theirs, theirs - ours
    assert only_ours <= set(_EXPECTED_ONLY_OURS), only_ours - set(_EXPECTED_ONLY_OURS)
    assert only_theirs <= set(_EXPECTED_ONLY_THEIRS), only_theirs - set(_EXPECTED_ONLY_THEIRS)


def test_table1_years_sum_to_100_with_short_rows_in_2011_2015():
    w = paper.wide(1).drop(index="total")
    sums = w.sum(min_count=len(w))
    assert np.isnan(sums[2010])  # 2010 is incomplete: seven rows print no 2010 value
    # Rounded shares: 15 shares of 1-3 decimals; the paper's own sums are 99.93-100.01.
    assert sums[[2011, 2012, 2013, 2014, 2015]].sub(100).abs().max() < 0.1
    shifted = w.apply(lambda r: pd.Series(r.dropna().to_numpy(), index=w.columns[: r.notna().sum()]), axis=1)
    assert shifted.sum()[[2011, 2012]].sub(100).abs().min() > 3  # the other placement fails


def test_table1_budget_sectors_restate_text():
    w = paper.wide(1)
    budget = w.loc[["public_administration", "education", "health"]].sum()
    assert budget[2011] == pytest.approx(paper.claim("gva_budget_2011"), abs=1e-9)
    assert budget[2015] == pytest.approx(paper.claim("gva_budget_2015"), abs=1e-9)


def test_table3_total_is_domestic_plus_export():
    w = paper.wide(3, index="quantity")
    total = w.loc["coal_out_domestic"] + w.loc["coal_out_export"]
    np.testing.assert_allclose(total, w.loc["coal_out_total"], atol=0.005)


def test_table3_domestic_outflow_equals_table4_coal_out():
    t3 = paper.wide(3, index="quantity").loc["coal_out_domestic"]
    t4 = (
        paper.table(4)
        .query("item == 'coal' and direction == 'out' and quantity == 'rail_volume' and period == 'year'")
        .set_index("year")["value"]
    )
    np.testing.assert_allclose(t3.to_numpy(), t4.loc[t3.index].to_numpy(), atol=0)


def test_table6_turnover_equals_table5_2016():
    t5 = paper.table(5).query("year == 2016").set_index("item")["value"]
    t6 = paper.table(6).query("basis == 'turnover'").set_index("item")["value"]
    common = t6.index.intersection(t5.index)
    assert set(common) == {"agriculture", "mining", "manufacturing", "utilities"}
    np.testing.assert_allclose(t6[common], t5[common], atol=0)


def test_table6_transport_row_is_unplaced():
    t6 = paper.table(6).query("item == 'transport_communications'")
    assert set(t6["basis"]) == {"unplaced"} and len(t6) == 3


def test_text_restatements_equal_table_cells():
    w1, w2 = paper.wide(1), paper.wide(2)
    assert paper.claim("gva_mining_2010") == w1.loc["mining", 2010]
    assert paper.claim("gva_trade_2015") == w1.loc["trade", 2015]
    assert paper.claim("gva_mining_2015") == pytest.approx(round(w1.loc["mining", 2015], 1))
    for claim, item, year in [
        ("coef_coal_2011", "coal", 2011),
        ("coef_coal_2016", "coal", 2016),
        ("coef_steel_2011", "steel", 2011),
        ("coef_meat_2016", "meat", 2016),
        ("coef_fueloil_2016", "fuel_oil", 2016),
    ]:
        assert paper.claim(claim) == w2.loc[item, year], claim
    t5 = paper.table(5).query("item == 'chemicals' and year == 2016")["value"].iloc[0]
    assert paper.claim("lq_chem_turnover_2016") == t5


def test_every_table_file_has_checksum_and_notes_for_gaps():
    for n in range(1, 8):
        t = paper.table(n)
        missing = t[t["value"].isna()]
        assert missing["note"].notna().all(), f"Table {n}: a missing value without a note"
