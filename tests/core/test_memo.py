"""core.memo: results keyed by content, never by identity, and handed out as copies."""

from __future__ import annotations

import pandas as pd

from analysis.core import memo


def _counted():
    calls: list[int] = []

    @memo.by_content
    def total(df: pd.DataFrame, scale: int = 1) -> pd.DataFrame:
        calls.append(1)
        return pd.DataFrame({"total": [df["v"].sum() * scale]})

    return total, calls


def test_equal_content_is_computed_once_and_changed_content_again():
    total, calls = _counted()
    a = pd.DataFrame({"v": [1.0, 2.0]})
    assert total(a)["total"].item() == 3.0
    assert total(a.copy())["total"].item() == 3.0  # another object, same content
    assert len(calls) == 1
    b = a.copy()
    b.loc[1, "v"] = 2.5  # one value changed
    assert total(b)["total"].item() == 3.5
    assert total(a, scale=2)["total"].item() == 6.0  # another argument
    assert len(calls) == 3


def test_column_names_and_dtypes_are_part_of_the_content():
    total, calls = _counted()
    total(pd.DataFrame({"v": [1, 2]}))
    total(pd.DataFrame({"v": [1.0, 2.0]}))
    assert len(calls) == 2
    assert memo.content_key(pd.DataFrame({"v": [1]})) != memo.content_key(pd.DataFrame({"w": [1]}))


def test_a_caller_that_modifies_its_result_does_not_change_the_next_callers():
    total, _ = _counted()
    a = pd.DataFrame({"v": [1.0, 2.0]})
    first = total(a)
    first.loc[0, "total"] = -1
    assert total(a)["total"].item() == 3.0


def test_the_cache_keeps_a_bounded_number_of_results():
    total, calls = _counted()
    frames = [pd.DataFrame({"v": [float(i)]}) for i in range(memo.MAXSIZE + 1)]
    for f in frames:
        total(f)
    total(frames[-1])  # still cached
    assert len(calls) == memo.MAXSIZE + 1
    total(frames[0])  # the oldest was dropped
    assert len(calls) == memo.MAXSIZE + 2
