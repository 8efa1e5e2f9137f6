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


def attributed(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """Rows (factor_id, depends_on_specialisation, dependence_basis, named_in_conclusion), with
    an indicator for each."""
    f = pd.DataFrame(
        rows, columns=["factor_id", "depends_on_specialisation", "dependence_basis", "named_in_conclusion"]
    )
    return f.assign(indicators="some indicator")


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
    assert len(f) == 17  # factors.csv: the Method's 14, and 3 the Introduction or Conclusion names
    assert list(f.columns) == factor_selection.COLUMNS
    assert {"dependence_basis", "dependence_passage"} <= set(f.columns)  # stated or inferred, and where
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


# ------------------------------------------------------------------ stated by the Method or inferred
# The Method ("Из данной совокупности факторов выделяем те, которые зависят от производственной
# специализации региона ...") names six: production potential, concentration of members, the
# demography of SMEs, science and education potential, attractiveness for qualified staff, striving
# for structural change. Anything else marked as depending on the specialisation is our inference.
METHOD_SIX = [
    "production_potential",
    "critical_mass",
    "sme_share",
    "science_education",
    "talent_attraction",
    "structural_change",
]


def test_the_method_states_exactly_its_six_factors():
    f = factor_selection.factor_table()
    # fails if an inferred row (proximity, competitive_firms) is marked as stated, or a stated one dropped
    assert factor_selection.dependent(f, "stated") == METHOD_SIX
    assert factor_selection.dependent(f, "inferred") == ["proximity", "competitive_firms"]
    assert_frame_equal(
        factor_selection.dependence_summary(f),
        pd.DataFrame(
            [[6, 2], [8, 1]],  # "no": 8 of the Method's list left out of the six; natural_potential inferred
            index=pd.Index(["yes", "no"], name="depends_on_specialisation"),
            columns=pd.Index(["stated", "inferred"], name="dependence_basis"),
        ),
        check_dtype=False,
    )


def test_every_row_names_the_passage_its_basis_rests_on():
    f = factor_selection.factor_table()
    assert set(f["dependence_basis"]) == {"stated", "inferred"}
    stated = f[f["dependence_basis"] == "stated"]
    inferred = f[f["dependence_basis"] == "inferred"]
    # a stated row rests on the Method and cites it; an inferred row says it is not the Method's
    assert stated["dependence_passage"].str.startswith("Method:").all()
    assert stated["source"].str.contains("Method").all()
    assert inferred["dependence_passage"].str.contains("this compendium").all()
    assert not inferred["dependence_passage"].str.startswith("Method").any()


def test_dependent_and_dependence_summary_on_a_toy_table():
    f = attributed(
        ("a", "yes", "stated", "yes"),
        ("b", "yes", "inferred", "yes"),
        ("c", "no", "stated", "no"),
        ("d", "no", "inferred", "yes"),
        ("e", "yes", "stated", "no"),
    )
    assert factor_selection.dependent(f, "stated") == ["a", "e"]
    assert factor_selection.dependent(f, "inferred") == ["b"]
    got = factor_selection.dependence_summary(f)
    assert got.loc["yes"].tolist() == [2, 1]
    assert got.loc["no"].tolist() == [1, 1]


def test_readings_attribute_only_stated_rows_to_the_method():
    f = attributed(
        ("a", "yes", "stated", "yes"),
        ("b", "yes", "inferred", "yes"),
        ("c", "no", "stated", "no"),
        ("d", "no", "inferred", "yes"),
    )
    text = factor_selection.reading_attribution(f)
    method_sentence = text.split(". ")[0]
    assert method_sentence == "The Method states that the specialisation shapes 1 factors (a)"
    assert "b" not in method_sentence
    assert (
        "also marks 1 as depending on it on its own reading of other passages (b), shown as inferred" in text
    )
    assert "For d the Method says nothing either way" in text
    r = factor_selection.reading(f)
    assert "the Conclusion names 2 as at work in the paper's region: 1 the Method states" in r
    assert "(a) and 1 inferred here (b)" in r
    # no inferred row: no sentence about inferences
    plain = attributed(("a", "yes", "stated", "yes"), ("c", "no", "stated", "no"))
    assert "inferred" not in factor_selection.reading_attribution(plain)
    assert "inferred" not in factor_selection.reading(plain)


def test_the_figure_marks_inferred_dependences_apart():
    f = attributed(("a", "yes", "stated", "no"), ("b", "yes", "inferred", "no"), ("c", "no", "stated", "no"))
    fig = factor_selection.draw_factors(f, lang="en")
    marks = {
        (round(t.get_position()[0]), round(t.get_position()[1])): t.get_text() for t in fig.axes[0].texts
    }
    # column 0: depends on the specialisation; rows a, b, c
    assert marks[(0, 0)] == "●"
    assert marks[(0, 1)] == "○"
    assert marks[(0, 2)] == ""
