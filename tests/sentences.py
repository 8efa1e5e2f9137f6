"""Checks that a generated sentence is true of the values it describes, shared by the property
tests of analysis.core.prose and of the step readings: no missing value printed, "from X to Y" only
with X and Y different, no nonzero value printed as zero, monotonic words only for monotonic
series."""

from __future__ import annotations

import math
import re
from itertools import pairwise

NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?![\w.])")


def finite(values: list[float]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def assert_no_nan(text: str) -> None:
    """No missing or infinite value printed."""
    assert not re.search(r"\b(nan|inf|NaN|None)\b", text), text
    assert "<NA>" not in text, text


def assert_ranges_differ(text: str) -> None:
    """Every "from X to Y" has X and Y different as printed."""
    for a, b in re.findall(r"from ([-+]?\d[\d.]*)\S* to ([-+]?\d[\d.]*)", text):
        assert a.rstrip(".") != b.rstrip("."), text


def assert_no_false_zero(text: str, values: list[float]) -> None:
    """A number printed as zero only where a value is zero (none shows a nonzero value as 0)."""
    if any(v == 0 for v in finite(values)):
        return
    for n in NUMBER.findall(text):
        if "." in n:  # a value printed with decimals; counts ("0 of 3 sections") may well be 0
            assert float(n) != 0, (n, text)


def assert_trend_true(text: str, values: list[float]) -> None:
    """Monotonic words only for series that are so (consecutive known values)."""
    v = finite(values)
    steps = list(pairwise(v))
    if "rose every year" in text:
        assert steps and all(a < b for a, b in steps), (text, v)
    if "fell every year" in text:
        assert steps and all(a > b for a, b in steps), (text, v)
    if "did not fall" in text:
        assert steps and all(a <= b for a, b in steps) and any(a == b for a, b in steps), (text, v)
    if "did not rise" in text:
        assert steps and all(a >= b for a, b in steps) and any(a == b for a, b in steps), (text, v)
    if "stayed at" in text or "stays at" in text:
        assert len(set(v)) == 1, (text, v)
    if " only" in text and re.search(r"\bwas\b", text):
        assert len(v) == 1, (text, v)


def assert_true_of(text: str, values: list[float]) -> None:
    assert_no_nan(text)
    assert_ranges_differ(text)
    assert_no_false_zero(text, values)
    assert_trend_true(text, values)
