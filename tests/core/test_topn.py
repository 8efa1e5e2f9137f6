"""At most N categories in a figure (issue 23.3): the largest kept, the rest folded or dropped."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import topn


def test_rank_puts_the_largest_first_missing_last_and_breaks_ties_by_name():
    c = pd.Series({"b": 2.0, "a": 2.0, "z": np.nan, "c": 5.0, "y": np.nan, "d": -1.0})
    assert topn.rank(c) == ["c", "a", "b", "d", "y", "z"]
    assert topn.largest(c, 2) == (["c", "a"], ["b", "d", "y", "z"])
    with pytest.raises(ValueError, match="at least 1"):
        topn.largest(c, 0)


def test_latest_is_each_categorys_sum_in_its_own_last_year_with_a_value():
    f = pd.DataFrame(
        {
            "cargo": ["a", "a", "a", "b", "b", "c"],
            "direction": ["in", "out", "in", "in", "in", "in"],
            "year": [2015, 2015, 2014, 2014, 2015, 2015],
            "v": [1.0, 2.0, 100.0, 7.0, np.nan, np.nan],
        }
    )
    got = topn.latest(f, "cargo", "v", "year")
    assert got["a"] == 3.0 and got["b"] == 7.0 and math.isnan(got["c"])


def test_fold_sums_the_rest_per_year_and_direction_and_leaves_small_frames_alone():
    f = pd.DataFrame(
        {
            "cargo": ["a", "a", "b", "b", "c", "c", "d", "d"],
            "year": [2014, 2015] * 4,
            "v": [10.0, 11.0, 1.0, 2.0, 3.0, np.nan, 5.0, 6.0],
        }
    )
    top = topn.fold(f, "cargo", "v", 2, criterion=topn.latest(f, "cargo", "v", "year"))
    # c's criterion is 3, its 2014 value (its last year with one): above b's 2
    assert top.kept == ("a", "d") and top.rest == ("c", "b") and top.k == 2 and top.other == topn.OTHER
    other = top.frame[top.frame["cargo"] == topn.OTHER].set_index("year")["v"]
    assert other.to_dict() == {2014: 4.0, 2015: 2.0}  # c's missing 2015 skipped, not NaN
    assert topn.fold(f, "cargo", "v", 4).frame is f  # four categories, N = 4: nothing folded


def test_the_other_id_never_collides_with_a_users_category():
    f = pd.DataFrame({"c": ["<other>", "x", "y"], "v": [1.0, 2.0, 3.0]})
    top = topn.fold(f, "c", "v", 1)
    assert top.other == "<other>_" and set(top.frame["c"]) == {"y", "<other>_"}


def test_keep_drops_the_rest_and_keeps_row_order():
    f = pd.DataFrame({"a": ["x", "y", "z", "x"], "lq": [0.5, 3.0, 1.0, 2.0]})
    top = topn.keep(f, "a", 2, f.groupby("a")["lq"].max())
    assert list(top.frame.index) == [0, 1, 3] and top.kept == ("y", "x") and top.rest == ("z",)


_values = st.one_of(st.floats(0, 1e6, allow_nan=False), st.just(math.nan))


@st.composite
def tidy(draw):
    n_cats = draw(st.integers(1, 30))
    years = draw(st.integers(1, 3))
    cats = [f"c{i:02d}" for i in range(n_cats)]
    rows = [(c, d, 2014 + y, draw(_values)) for c in cats for d in ("in", "out") for y in range(years)]
    return pd.DataFrame(rows, columns=["cargo", "direction", "year", "v"]), draw(st.integers(1, 30))


@settings(max_examples=150, deadline=None)
@given(tidy())
def test_folding_keeps_the_total_draws_at_most_n_plus_one_and_keeps_the_largest(case):
    f, n = case
    crit = topn.latest(f, "cargo", "v", "year")
    top = topn.fold(f, "cargo", "v", n, criterion=crit)
    cats = set(top.frame["cargo"])
    assert len(cats) <= n + 1
    assert top.frame["v"].sum() == pytest.approx(f["v"].sum(), rel=1e-9, abs=1e-9)  # NaN skipped in both
    # every cell (direction, year) keeps its total too
    cell = ["direction", "year"]
    assert top.frame.groupby(cell)["v"].sum().to_dict() == pytest.approx(f.groupby(cell)["v"].sum().to_dict())
    assert len(top.kept) == min(n, f["cargo"].nunique()) and set(top.kept) | set(top.rest) == set(f["cargo"])
    # the kept ones are the largest: none left out is larger than one kept (missing counts as smallest)
    size = crit.fillna(-math.inf)
    if top.rest:
        assert min(size[list(top.kept)]) >= max(size[list(top.rest)])
        assert top.other in cats and (top.k == len(top.rest))
    else:
        assert top.frame is f


@settings(max_examples=100, deadline=None)
@given(tidy())
def test_keeping_draws_at_most_n_and_never_invents_rows(case):
    f, n = case
    crit = f.groupby("cargo")["v"].max()
    top = topn.keep(f, "cargo", n, crit)
    assert top.frame["cargo"].nunique() <= n
    assert top.frame.equals(f.loc[top.frame.index])
    size = crit.fillna(-math.inf)
    if top.rest:
        assert min(size[list(top.kept)]) >= max(size[list(top.rest)])
