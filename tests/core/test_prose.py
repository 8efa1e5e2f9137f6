"""Property tests of analysis.core.prose: for random series (flat, single values, with NaN, tiny,
negative), every claim a generated phrase makes is true of the series it describes. The checks
(``tests/sentences.py``) are shared with the tests of the step readings (tests/steps/test_readings.py)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sentences import assert_no_nan, assert_true_of, finite

from analysis.core import prose as P

# values as readings meet them: ordinary, tiny, negative, repeated, missing
VALUE = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-6, max_value=1e-6, allow_nan=False),
    st.sampled_from([0.0, 20.0, 20.04, 20.1, 41.2, 1e-9, -0.001, float("nan"), float("inf")]),
)
SERIES = st.lists(VALUE, min_size=0, max_size=8)


@given(SERIES, st.integers(min_value=0, max_value=3))
@settings(max_examples=400, deadline=None)
def test_series_says_only_what_is_true_of_the_series(values, decimals):
    years = list(range(2010, 2010 + len(values)))
    text = P.series(years, values, decimals, "%")
    assert_true_of(text, values)
    v = finite(values)
    if len(v) > 1:
        known = [y for y, x in zip(years, values) if x is not None and math.isfinite(x)]
        assert P.years_span(known) in text  # the years the claim covers


@given(SERIES, st.integers(min_value=0, max_value=3))
@settings(max_examples=300, deadline=None)
def test_span_and_nums_never_print_equal_ends_or_false_zeros(values, decimals):
    text = P.span(values, decimals)
    assert_true_of(text, values)
    shown = P.nums(finite(values), decimals)
    # different values print differently
    v = finite(values)
    for i in range(len(v)):
        for j in range(len(v)):
            if v[i] != v[j] and abs(v[i] - v[j]) >= 10 ** -(decimals + P.MAX_EXTRA):
                assert shown[i] != shown[j], (v[i], v[j], shown)


@given(VALUE, st.integers(min_value=0, max_value=3), st.booleans())
@settings(max_examples=300, deadline=None)
def test_num_never_prints_a_nonzero_value_as_zero_nor_nan(x, decimals, sign):
    text = P.num(x, decimals, sign=sign)
    assert_no_nan(text)
    if not math.isfinite(x):
        assert text == "not available"
    elif x != 0 and abs(x) >= 10 ** -(decimals + P.MAX_EXTRA):
        assert float(text) != 0, (x, text)
    assert not text.startswith("-0") or float(text) != 0


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([20.0, 20.0, 20.1], "did not fall in 2014-2016 (20.0 % (2014), 20.0 % (2015), 20.1 % (2016))"),
        (
            [20.0, 20.04, 20.1],
            "rose every year of 2014-2016 (20.00 % (2014), 20.04 % (2015), 20.10 % (2016))",
        ),
        ([41.2, 41.2, 41.2], "stayed at 41.2 % in 2014-2016"),
        ([41.2, float("nan"), 41.2], "stayed at 41.2 % in 2014, 2016"),
        ([56.7, 59.0, 57.0], "ranged from 56.7 to 59.0 % over 2014-2016"),
        ([0.001, float("nan"), float("nan")], "was 0.001 % in 2014 only"),
        ([float("nan")] * 3, "has no value"),
    ],
)
def test_series_examples_from_the_issue(values, expected):
    assert P.series([2014, 2015, 2016], values, 1, "%") == expected


def test_num_examples():
    assert P.num(0.004, 2) == "0.004"  # Moscow's "0.00"
    assert P.num(0.04, 1) == "0.04"  # "0.0 times Russia's"
    assert P.num(0.0, 1) == "0.0" and P.num(-0.0001, 1) == "-0.0001"
    assert P.num(float("nan")) == "not available" and P.num(None) == "not available"
    assert P.num(6.87, 1, sign=True) == "+6.9"
    assert P.span([41.2, 41.2]) == "stays at 41.2" and P.span([1.0, 1.04], 1) == "ranges from 1.00 to 1.04"
    assert P.unique(["Rosstat", "Rosstat", "", "paper"]) == "Rosstat, paper"
