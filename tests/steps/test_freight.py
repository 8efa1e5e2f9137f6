"""Tests of analysis.steps.freight: out/in ratios and the national totals implied by volume and share.

Toy frames have the shape of ``freight_wide`` / ``usershapes.freight_wide``; paper checks cite
Table 4 (data/raw/paper/table4_rail_freight.csv) and the text's per-cent excesses.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.inputs import usershapes
from analysis.steps import freight

TOL = 1e-9
OUT_COLUMNS = ["cargo", "year", "in_kt", "out_kt", "out_over_in", "excess_pct"]


def wide(*rows: tuple) -> pd.DataFrame:
    """Rows (cargo, direction, year, volume_kt, share_pct, share_decimals) in the shape of
    ``usershapes.freight_wide`` (decimals nullable, rank unknown)."""
    df = pd.DataFrame(
        rows, columns=["cargo", "direction", "year", "volume_kt", "share_pct", "share_decimals"]
    ).astype({"year": "int64", "volume_kt": float, "share_pct": float, "share_decimals": "Int64"})
    df["rank"] = np.nan
    return df[["cargo", "direction", "year", "volume_kt", "share_pct", "rank", "share_decimals"]]


# ------------------------------------------------------------------------------ out_over_in
def test_out_over_in_ratio_and_excess_on_toy_frame():
    w = wide(
        ("coal", "in", 2015, 40.0, 1.0, 1),
        ("coal", "out", 2015, 100.0, 2.0, 1),
        ("coal", "in", 2016, 80.0, 1.0, 1),
        ("coal", "out", 2016, 60.0, 1.0, 1),
    )
    got = freight.out_over_in(w)
    expected = pd.DataFrame(
        {
            "cargo": ["coal", "coal"],
            "year": [2015, 2016],
            "in_kt": [40.0, 80.0],
            "out_kt": [100.0, 60.0],
            "out_over_in": [2.5, 0.75],  # 100 / 40; 60 / 80
            "excess_pct": [150.0, -25.0],  # (2.5 - 1) * 100; (0.75 - 1) * 100
        }
    )
    assert_frame_equal(got, expected, check_exact=False, atol=TOL, rtol=0)


def test_out_over_in_zero_or_missing_inbound_gives_nan_not_inf():
    w = wide(
        ("coke", "in", 2015, 0.0, 0.0, 1),  # nothing brought in: 5 / 0 is undefined
        ("coke", "out", 2015, 5.0, 1.0, 1),
        ("ores", "in", 2015, 10.0, 1.0, 1),  # no outbound row at all
    )
    got = freight.out_over_in(w).set_index("cargo")
    assert np.isnan(got.at["coke", "out_over_in"]) and np.isnan(got.at["coke", "excess_pct"])
    assert got.at["ores", "in_kt"] == pytest.approx(10.0, abs=TOL)
    assert np.isnan(got.at["ores", "out_kt"])
    assert np.isnan(got.at["ores", "out_over_in"])
    assert not np.isinf(got[["out_over_in", "excess_pct"]].to_numpy(float)).any()


def test_out_over_in_of_an_empty_user_table_is_empty():
    got = freight.out_over_in(usershapes.freight_wide(pd.DataFrame()))
    assert got.empty
    assert list(got.columns) == OUT_COLUMNS


@pytest.fixture
def table4_all_cargo() -> pd.DataFrame:
    """Table 4, rows 1 ("Всего ввоз") and 2 ("Всего вывоз"), full years 2014-2016, typed from the
    printed cells "volume/share (rank)": e.g. "71903,87/8,9 (1)" and "116028,69/14,4 (1)"."""
    return wide(
        ("all_cargo", "in", 2014, 71903.87, 8.9, 1),
        ("all_cargo", "in", 2015, 75691.55, 9.6, 1),
        ("all_cargo", "in", 2016, 74416.31, 9.4, 1),
        ("all_cargo", "out", 2014, 116028.69, 14.4, 1),
        ("all_cargo", "out", 2015, 117590.27, 14.9, 1),
        ("all_cargo", "out", 2016, 117271.93, 14.7, 1),
    )


def test_out_over_in_on_paper_table4_matches_the_texts_excess(table4_all_cargo):
    got = freight.out_over_in(table4_all_cargo).set_index("year")
    # 2014: out 116028.69 / in 71903.87 = 1.61366
    assert got.at[2014, "out_over_in"] == pytest.approx(116028.69 / 71903.87, abs=TOL)
    assert got.at[2014, "excess_pct"] == pytest.approx((116028.69 / 71903.87 - 1) * 100, abs=TOL)
    # 2016: (117271.93 / 74416.31 - 1) * 100 = 57.589
    assert got.at[2016, "excess_pct"] == pytest.approx((117271.93 / 74416.31 - 1) * 100, abs=TOL)
    # the text: outbound above inbound by 61, 55 and 58 % in 2014-2016
    assert got["excess_pct"].round(0).tolist() == [61.0, 55.0, 58.0]


# --------------------------------------------------------------------------- implied_totals
def test_implied_totals_gap_and_rounding_bound_on_toy_frame():
    w = wide(
        # coal: in 50 at 10.0 % -> 50 / 0.10 = 500; out 101 at 20.0 % -> 101 / 0.20 = 505
        ("coal", "in", 2015, 50.0, 10.0, 1),
        ("coal", "out", 2015, 101.0, 20.0, 1),
        # ores: shares printed without decimals: 30 / 0.03 = 1000; 40 / 0.04 = 1000
        ("ores", "in", 2015, 30.0, 3.0, 0),
        ("ores", "out", 2015, 40.0, 4.0, 0),
    )
    got = freight.implied_totals(w)
    expected = pd.DataFrame(
        {
            "cargo": ["coal", "ores"],
            "year": [2015, 2015],
            "implied_by_in_kt": [500.0, 1000.0],
            "implied_by_out_kt": [505.0, 1000.0],
            # 100 * (505 / 500 - 1) = 1.0; 100 * (1000 / 1000 - 1) = 0
            "gap_pct": [1.0, 0.0],
            # half a unit of the last printed decimal over each share, summed, in per cent:
            # coal 100 * (0.05 / 10 + 0.05 / 20) = 0.75; ores 100 * (0.5 / 3 + 0.5 / 4) = 29.1666...
            "rounding_bound_pct": [0.75, 100 * (0.5 / 3 + 0.5 / 4)],
            # |1.0| > 0.75: the printed shares cannot both be right; |0| <= 29.17
            "consistent": [False, True],
        }
    )
    assert_frame_equal(got, expected, check_exact=False, atol=TOL, rtol=0, check_names=False)


def test_implied_totals_unknown_decimals_are_taken_as_one_decimal():
    w = wide(("coal", "in", 2015, 50.0, 10.0, None), ("coal", "out", 2015, 100.0, 20.0, None))
    got = freight.implied_totals(w)
    # both 500; decimals unknown -> half unit 0.05: 100 * (0.05 / 10 + 0.05 / 20) = 0.75
    assert got.loc[0, "rounding_bound_pct"] == pytest.approx(0.75, abs=TOL)
    assert got.loc[0, "gap_pct"] == pytest.approx(0.0, abs=TOL)


def test_implied_totals_missing_share_leaves_the_gap_unknown():
    w = wide(
        ("coal", "in", 2015, 50.0, 10.0, 1),
        ("coal", "out", 2015, 100.0, np.nan, 1),  # share not printed
        ("ores", "in", 2015, 30.0, 3.0, 1),
        ("ores", "out", 2015, 40.0, 4.0, 1),
    )
    got = freight.implied_totals(w).set_index("cargo")
    assert got.at["coal", "implied_by_in_kt"] == pytest.approx(500.0, abs=TOL)  # 50 / 0.10
    assert np.isnan(got.at["coal", "implied_by_out_kt"])
    assert np.isnan(got.at["coal", "gap_pct"])
    assert got.at["ores", "gap_pct"] == pytest.approx(0.0, abs=TOL)  # 30 / 0.03 = 40 / 0.04


def test_implied_totals_with_one_direction_only_is_an_empty_frame():
    w = wide(("coal", "in", 2015, 50.0, 10.0, 1), ("ores", "in", 2015, 30.0, 3.0, 1))
    got = freight.implied_totals(w)
    assert got.empty
    assert list(got.columns) == freight.IMPLIED_TOTALS_COLUMNS


def test_implied_totals_on_paper_table4_all_cargo_2014(table4_all_cargo):
    got = freight.implied_totals(table4_all_cargo).query("year == 2014").iloc[0]
    # Table 4 row 1 "71903,87/8,9 (1)": 71903.87 / 0.089; row 2 "116028,69/14,4 (1)": 116028.69 / 0.144
    by_in, by_out = 71903.87 / 0.089, 116028.69 / 0.144
    assert got["implied_by_in_kt"] == pytest.approx(by_in, abs=1e-6)
    assert got["implied_by_out_kt"] == pytest.approx(by_out, abs=1e-6)
    assert got["gap_pct"] == pytest.approx(100 * (by_out / by_in - 1), abs=TOL)  # -0.2666 %
    assert got["rounding_bound_pct"] == pytest.approx(100 * (0.05 / 8.9 + 0.05 / 14.4), abs=TOL)  # 0.909
    assert bool(got["consistent"]) is True


def test_the_freight_figure_keeps_its_legend_off_the_bars_and_uses_a_users_russian_names():
    from analysis.core import figures as F
    from analysis.inputs import region as region_data

    fr = region_data.freight("tomsk", "data/user/example_region")
    fig = freight.draw_freight(fr.table, lang="ru", region="tomsk", source="x", names=fr.names)
    F._finalise(fig)
    renderer = fig.canvas.get_renderer()
    legend = fig.legends[0].get_window_extent(renderer)
    bars = [p.get_window_extent(renderer) for ax in fig.axes for p in ax.patches]
    assert bars and not any(legend.overlaps(b) for b in bars)
    texts = [ax.xaxis.label.get_window_extent(renderer) for ax in fig.axes]
    texts += [t.get_window_extent(renderer) for ax in fig.axes for t in ax.get_xticklabels() if t.get_text()]
    assert not any(legend.overlaps(t) for t in texts)
    title = fig._suptitle.get_window_extent(renderer)
    assert not any(title.overlaps(ax.title.get_window_extent(renderer)) for ax in fig.axes)
    assert "Все грузы" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    F.plt.close(fig)


def test_dispatch_identity_and_its_reading_are_true_of_the_tables():
    # Issue 20.3: the dispatch gap is mostly coal exports; marketability net of inbound coal
    from analysis.reproduction import ledger

    t = freight.dispatch_identity()
    assert list(t["year"]) == [2014, 2015, 2016]
    for r in t.itertuples():
        out = ledger.t4("all_cargo", "out", "rail_volume", r.year)().value / 1000
        assert r.outflow_plus_coal_exports_mt == pytest.approx(out + r.coal_exports_mt, abs=1e-6)
        s = ledger.t3("coal_out_total", r.year)().value
        p = ledger.t3("coal_production", r.year)().value
        assert r.marketability_net_of_inbound == pytest.approx((s - 1000 * r.coal_in_mt) / p, abs=1e-9)
        assert r.marketability_net_of_inbound < r.marketability_printed
    text = freight.reading_identity(t)
    assert ("mostly coal exports" in text) == bool((t["coal_exports_mt"] > t["other_exports_mt"]).all())
