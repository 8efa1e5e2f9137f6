"""Property tests of the step readings (hypothesis): for random tables (flat, single-year, with
gaps, tiny and zero values), every claim a reading makes is true of the table it describes. The
checks are those of ``tests/sentences.py``; each test adds the claims its reading alone makes
(counts, "faster than Russia", the year a cluster is judged in)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from sentences import assert_no_false_zero, assert_no_nan, assert_ranges_differ, assert_true_of

from analysis.steps import (
    cluster_profiling,
    coefficients,
    conclusion,
    gva_hhi,
    localization,
    regions_compared,
)

SETTINGS = settings(max_examples=120, deadline=None)
MAYBE = st.one_of(
    st.floats(min_value=1e-4, max_value=1e4, allow_nan=False),
    st.sampled_from([20.0, 20.0, 20.1, 41.2, 0.004, float("nan")]),
)
POSITIVE = st.one_of(
    st.floats(min_value=1e-4, max_value=1e4, allow_nan=False), st.sampled_from([1.0, 0.004, 2.5])
)


@st.composite
def shipments(draw):
    """One or two products, 1-4 years, export shares flat, rising, tiny or missing."""
    rows = []
    for product in draw(st.sampled_from([["coal"], ["crude_oil", "trucks"]])):
        n = draw(st.integers(min_value=1, max_value=4))
        for i in range(n):
            dom, exp = draw(MAYBE), draw(MAYBE)
            prod = draw(POSITIVE)
            rows.append((product, 2014 + i, "thousand t", prod, dom, exp))
    return pd.DataFrame(rows, columns=["product", "year", "unit", "production", "out_domestic", "out_export"])


@given(shipments())
@SETTINGS
def test_marketability_reading_is_true_of_each_products_export_share(ship):
    m = coefficients.marketability(ship)
    text = coefficients.reading(None, m, "R")
    assert_no_nan(text)
    assert_ranges_differ(text)
    for product, part in m.dropna(subset=["marketability"]).groupby("product", sort=False):
        clause = re.search(rf"Marketability of {product}: [^;]*; (.*?)\.(?: Marketability|$)", text)
        assert clause, text
        assert_true_of(clause.group(1), part["export_share_of_out_pct"].tolist())
    assert "coal" not in text or "coal" in set(ship["product"])


@st.composite
def hhi_series(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    values = draw(st.lists(st.sampled_from([1200.0, 1200.0, 1353.7, 980.4, 5000.0]), min_size=n, max_size=n))
    h = pd.DataFrame({"year": range(2016, 2016 + n), "okved": "OKVED2", "hhi": values})
    h["equivalent_activities"] = 10_000 / h["hhi"]
    return h


@given(hhi_series())
@SETTINGS
def test_hhi_reading_is_true_of_the_series(h):
    text = gva_hhi.reading(h, "R")
    assert_true_of(text, h["hhi"].tolist())
    if len(h) == 1:
        assert f"({int(h['year'].iloc[0])} only)" in text
    else:
        assert f"{h['year'].min()}-{h['year'].max()}" in text
        if h["hhi"].nunique() > 1:
            lo = h.loc[h["hhi"].idxmin()]
            assert f"lowest {lo['hhi']:.0f} in {int(lo['year'])}" in text
    assert "two editions" not in text  # one edition only


@given(
    st.lists(
        st.one_of(st.floats(min_value=0.01, max_value=9), st.just(float("nan"))), min_size=3, max_size=3
    ),
    st.lists(
        st.one_of(st.floats(min_value=0.001, max_value=9), st.just(float("nan"))), min_size=4, max_size=4
    ),
)
@SETTINGS
def test_localization_reading_prints_no_nan_and_counts_the_sections_above(turnover_lqs, gva_lqs):
    turnover = pd.DataFrame({2016: turnover_lqs}, index=["mining", "health", "agriculture"])
    gva = pd.DataFrame({2022: gva_lqs}, index=["A", "B", "C", "Q"])
    text = localization.reading(turnover, None, gva, 1.0, "R")
    assert_no_nan(text)
    assert_no_false_zero(text, turnover_lqs + gva_lqs)
    known = [v for v in gva_lqs if not math.isnan(v)]
    if known:
        n_above = sum(v > 1.0 for v in known)
        assert f"{n_above} of {len(known)} sections {'is' if n_above == 1 else 'are'} above 1" in text


@st.composite
def indices(draw):
    """Region and Russia, 2010-2016, the region's series starting late or with a gap."""
    years = list(range(2010, 2017))
    start = draw(st.integers(min_value=0, max_value=6))
    gap = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=6)))
    region = [
        np.nan if i < start or i == gap else draw(st.floats(min_value=40, max_value=400)) for i in range(7)
    ]
    rows = [("r", "industry", y, v) for y, v in zip(years, region)]
    rows += [("russia", "industry", y, draw(st.floats(min_value=90, max_value=110))) for y in years]
    t = pd.DataFrame(rows, columns=["region", "item", "year", "value"]).dropna()
    return conclusion.indices_wide(t)


@given(indices())
@SETTINGS
def test_chained_reading_claims_what_the_chain_shows_over_the_years_it_says(w):
    faster = conclusion.faster_than_russia(w, "r")
    text = conclusion.reading_indices(faster, "R")
    assert_no_nan(text)
    if faster.empty:  # no index of the region at all: no item read
        assert "industry" not in text
        return
    r = faster.iloc[0]
    if r["faster_over_period"] is None:
        assert "no chained level" in text
        return
    claim = "industry: faster than Russia" if r["cum_region"] > r["cum_russia"] else "industry: not faster"
    assert claim in text
    base, last = int(r["base_year"]), int(r["last_year"])
    assert (f"over {base + 1}-{last}" if last > base + 1 else f"in {last} alone") in text
    assert f"{base} = 100" in text
    assert base + 1 >= int(w.loc[("r", "industry")].first_valid_index())  # never before the data


@st.composite
def clusters_and_gva(draw):
    n = draw(st.integers(min_value=1, max_value=4))
    founded = [draw(st.sampled_from([2005.0, 2012.0, 2016.0, 2030.0, float("nan")])) for _ in range(n)]
    items = [
        draw(st.sampled_from(["health", "mining", "J", "unknown_id", "health|unknown_id"])) for _ in range(n)
    ]
    clusters = pd.DataFrame(
        {
            "cluster_id": [f"k{i}" for i in range(n)],
            "related_items": items,
            "linked_to_specialisation": "not_assessed",
            "founded": founded,
        }
    )
    rows = []
    for year, okved, letters in (
        (2012, "OKVED2007", "CNI"),
        (2016, "OKVED2", "BQJ"),
        (2022, "OKVED2", "BQJ"),
    ):
        for region in ("r", "russia"):
            for letter in letters:
                value = draw(st.sampled_from([0.004, 1.0, 2.0, 5.0, 10.0]))
                rows.append((region, year, okved, letter, value))
    gva = pd.DataFrame(rows, columns=["region_id", "year", "okved", "activity", "value"])
    return clusters, gva


@given(clusters_and_gva())
@SETTINGS
def test_rosstat_link_reading_counts_and_years_are_those_of_the_table(data):
    from analysis.inputs import region as region_data

    clusters, gva = data
    link = cluster_profiling.rosstat_link(clusters, gva, "r", region_data.activity_sections(), 1.0)
    text = cluster_profiling.reading_rosstat_link(link, 1.0)
    assert_no_nan(text)
    assessed = link[link["verdict"] != "not assessed"]
    n_linked = int((assessed["max_lq"] > 1.0).sum())
    assert f"{n_linked} of {len(assessed)} clusters with a quotient" in text
    for c, r in link.iterrows():
        assert r["verdict"] == (
            "not assessed" if pd.isna(r["max_lq"]) else "linked" if r["max_lq"] > 1 else "not linked"
        )
        f = r["founded"]
        if pd.isna(f):
            assert r["year"] == 2022 and f"{c} (" in text
        elif int(f) in (2012, 2016):
            assert r["year"] == int(f)
        else:
            assert f"nearest year with data to its founding in {int(f)}" in text
    if len(assessed) < len(link):
        assert "Not assessed" in text


@st.composite
def positions(draw):
    n = draw(st.integers(min_value=1, max_value=5))
    lq = draw(st.lists(st.sampled_from([0.004, 0.004, 1.2, 1.25, float("nan")]), min_size=n, max_size=n))
    rank = draw(st.lists(st.integers(min_value=1, max_value=85), min_size=n, max_size=n))
    return pd.DataFrame(
        {
            "year": range(2016, 2016 + n),
            "rank": rank,
            "n_regions": 85,
            "lq_mining": lq,
            "lq_mining_rank": rank,
            "lq_manufacturing": lq,
            "lq_manufacturing_rank": rank,
            "region_id": "r",
            "ranked_as": "r",
        }
    )


@given(positions())
@SETTINGS
def test_position_reading_never_prints_equal_ranges_or_false_zeros(p):
    text = regions_compared.reading(p, "R")
    assert_no_nan(text)
    assert_ranges_differ(text)
    assert_no_false_zero(text, p["lq_mining"].tolist())
    if p["lq_mining"].dropna().nunique() == 1:
        assert "mining LQ stays at" in text
