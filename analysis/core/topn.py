"""At most N categories in a figure: the largest kept, the rest folded into one "other" or dropped.

A user's file may bring up to :data:`analysis.core.sources.MAX_CATEGORIES` cargos, products,
activities or clusters; a figure with one bar, line, row or legend entry each would grow with them
(issue 23.3). Each such figure draws at most N of them (a constant beside its draw function) and
either *folds* the rest into one "other (k more)" category, where summing is meaningful (volumes,
counts), or *drops* them with a note naming the table that holds them all, where it is not (ratios,
coefficients, location quotients). The tables written stay complete: only the figure is bounded.

Which categories are kept is deterministic: the largest by the figure's criterion (missing values
last), ties broken by the category's name (:func:`rank`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.core.labels import label

# The id of the folded rows; made unique against the ids of the frame (:func:`other_id`).
OTHER = "<other>"


@dataclass(frozen=True)
class Top:
    """A frame cut to its ``n`` largest categories: ``frame`` holds the kept rows (and, when
    folded, the rows of category ``other``); ``kept`` and ``rest`` (the categories not drawn) are in
    rank order; ``other`` is None when nothing was folded."""

    frame: pd.DataFrame
    kept: tuple[str, ...]
    rest: tuple[str, ...]
    other: str | None = None

    @property
    def k(self) -> int:
        """How many categories are not drawn (folded or dropped)."""
        return len(self.rest)


def _key(item: tuple[str, float]) -> tuple[bool, float, str]:
    name, v = item
    missing = v is None or math.isnan(v)
    return (missing, 0.0 if missing else -v, name)


def rank(criterion: pd.Series) -> list[str]:
    """The categories of ``criterion`` (its index, as strings) largest value first; those without
    a value (NaN) last; ties, and the categories without a value, in order of their names."""
    return [c for c, _ in sorted(((str(c), float(v)) for c, v in criterion.items()), key=_key)]


def largest(criterion: pd.Series, n: int) -> tuple[list[str], list[str]]:
    """``(kept, rest)``: the ``n`` first categories of :func:`rank` and the others, each in rank
    order. Raises ValueError for ``n`` below 1."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    order = rank(criterion)
    return order[:n], order[n:]


def latest(frame: pd.DataFrame, category: str, value: str, time: str) -> pd.Series:
    """Each category's value at its latest ``time`` with a value: the sum of ``value`` over the
    category's rows of that time (e.g. a cargo's inbound plus outbound volume in its last year);
    NaN for a category without any value. The criterion "last-year value" of a figure."""
    known = frame.dropna(subset=[value])
    last = known.groupby(category)[time].transform("max")
    at_last = known[known[time] == last]
    out = at_last.groupby(category)[value].sum()
    cats = pd.Index(pd.unique(frame[category]))
    return out.reindex(cats).rename(value)


def other_id(categories: Sequence[object]) -> str:
    """:data:`OTHER`, lengthened with underscores until no category of ``categories`` has it."""
    taken = {str(c) for c in categories}
    other = OTHER
    while other in taken:
        other += "_"
    return other


def keep(frame: pd.DataFrame, category: str, n: int, criterion: pd.Series) -> Top:
    """The rows of ``frame`` whose ``category`` is among the ``n`` largest of ``criterion``
    (:func:`largest`), the others dropped: for values that do not add up (ratios, quotients), which
    a figure leaves out with a note that the table holds them. Row order is kept."""
    kept, rest = largest(criterion.reindex(pd.unique(frame[category])), n)
    mask = frame[category].astype(str).isin(kept)
    return Top(frame[mask], tuple(kept), tuple(rest))


def fold(
    frame: pd.DataFrame,
    category: str,
    value: str,
    n: int,
    criterion: pd.Series | None = None,
    by: Sequence[str] | None = None,
) -> Top:
    """``frame`` with at most ``n`` categories plus one "other": the ``n`` largest by
    ``criterion`` (default: each category's total of ``value``) kept as they are, the rest summed
    into rows of category :attr:`Top.other`, one per combination of the ``by`` columns (default:
    every column but ``category`` and ``value``). The sum skips missing values and is missing only
    where every folded value is (``min_count=1``), so the total of ``value`` over the frame is
    unchanged. The folded frame has the columns ``category``, ``by`` and ``value`` only; with ``n``
    or fewer categories, ``frame`` is returned as it is, nothing folded."""
    cats = pd.unique(frame[category])
    if criterion is None:
        criterion = frame.groupby(category, sort=False)[value].sum(min_count=1)
    kept, rest = largest(criterion.reindex(cats), n)
    if not rest:
        return Top(frame, tuple(kept), ())
    keys = [c for c in frame.columns if c not in (category, value)] if by is None else list(by)
    mask = frame[category].astype(str).isin(kept)
    folded = frame[~mask]
    if keys:
        summed = folded.groupby(keys, sort=False, dropna=False)[value].sum(min_count=1).reset_index()
    else:
        summed = pd.DataFrame({value: [folded[value].sum(min_count=1)]})
    other = other_id(list(cats))
    summed[category] = other
    out = pd.concat(
        [frame[mask][[category, *keys, value]], summed[[category, *keys, value]]], ignore_index=True
    )
    return Top(out, tuple(kept), tuple(rest), other)


def note(k: int, table: str, lang: str) -> str:
    """The line a figure that leaves ``k`` categories out puts above its source note: "k more not
    drawn; all in the table <table>", with its line break; empty when ``k`` is 0."""
    return label("not_drawn", lang, k=k, table=table) + "\n" if k else ""
