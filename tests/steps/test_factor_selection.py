"""Tests of analysis.steps.factor_selection: the factor table and the count of factors by
(depends on the specialisation) x (named in the Conclusion).

Toy frames have the columns of ``factor_table()``; the paper check cites data/raw/paper/factors.csv.
"""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis.steps import factor_selection


def factors(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """Rows (factor_id, depends_on_specialisation, named_in_conclusion)."""
    return pd.DataFrame(rows, columns=["factor_id", "depends_on_specialisation", "named_in_conclusion"])


def summary(yes_yes: int, yes_no: int, no_yes: int, no_no: int) -> pd.DataFrame:
    """The expected crosstab: rows depends_on_specialisation, columns named_in_conclusion."""
    return pd.DataFrame(
        [[yes_yes, yes_no], [no_yes, no_no]],
        index=pd.Index(["yes", "no"], name="depends_on_specialisation"),
        columns=pd.Index(["yes", "no"], name="named_in_conclusion"),
    )


def test_factor_summary_counts_each_combination():
    f = factors(
        ("a", "yes", "yes"),
        ("b", "yes", "yes"),
        ("c", "yes", "no"),
        ("d", "no", "yes"),
        ("e", "no", "no"),
        ("f", "no", "no"),
        ("g", "no", "no"),
    )
    # yes/yes: a, b; yes/no: c; no/yes: d; no/no: e, f, g
    assert_frame_equal(factor_selection.factor_summary(f), summary(2, 1, 1, 3), check_dtype=False)


def test_factor_summary_fills_absent_combinations_with_zero():
    f = factors(("a", "yes", "yes"), ("b", "yes", "yes"))  # no "no" anywhere
    got = factor_selection.factor_summary(f)
    assert_frame_equal(got, summary(2, 0, 0, 0), check_dtype=False)
    assert got.to_numpy().sum() == 2


def test_factor_summary_leaves_out_values_other_than_yes_and_no():
    f = factors(("a", "yes", "yes"), ("b", "unclear", "yes"), ("c", "no", None))
    # b's "unclear" and c's missing answer are in neither row or column
    assert_frame_equal(factor_selection.factor_summary(f), summary(1, 0, 0, 0), check_dtype=False)


def test_factor_table_and_summary_of_the_paper():
    f = factor_selection.factor_table()
    assert len(f) == 17  # factors.csv: 17 factors (Method section)
    assert list(f.columns) == [
        "factor_id",
        "factor_en",
        "depends_on_specialisation",
        "indicators",
        "named_in_conclusion",
        "source",
    ]
    # factors without an indicator get "" (not NaN), e.g. talent_attraction
    assert f.set_index("factor_id").at["talent_attraction", "indicators"] == ""
    assert not f["indicators"].isna().any()
    # factors.csv: depends & named: critical_mass, proximity, sme_share, science_education,
    # structural_change (5); depends only: production_potential, talent_attraction,
    # competitive_firms (3); named only: cooperation_networks, strategy, natural_potential (3);
    # neither: the other 6
    assert_frame_equal(factor_selection.factor_summary(f), summary(5, 3, 3, 6), check_dtype=False)


@pytest.mark.parametrize("column", ["depends_on_specialisation", "named_in_conclusion"])
def test_factor_table_answers_are_yes_or_no(column):
    assert set(factor_selection.factor_table()[column]) <= {"yes", "no"}
