"""The attacks of issue 23 that were silent or crashed, each refused or handled now.

A table of attack -> result is in the closing note of the issue; the slow ones (a run, a book)
are marked ``slow``."""

from __future__ import annotations

import math

import pytest

from analysis import study
from analysis.core.errors import InputError


@pytest.mark.parametrize("value", [-1, -0.5, 0, math.nan, math.inf, -math.inf])
def test_a_threshold_that_no_quotient_can_exceed_meaningfully_is_a_parameter_error(value):
    # Issue 23.11: a negative or NaN threshold ended in a matplotlib error inside step 6.
    with pytest.raises(
        InputError, match=r"^column 'threshold': parameter threshold .*expected a finite number above 0"
    ):
        study.check_values({"threshold": value})
    with pytest.raises(InputError, match="threshold"):
        study.check("tomsk", "en", threshold=value)


@pytest.mark.parametrize("value", [1, 1.0, 0.8, 2])
def test_a_positive_threshold_passes(value):
    study.check_values({"threshold": value, "founded": 0})
