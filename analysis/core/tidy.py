"""Tidy (long) tables into the wide views a notebook shows."""

from __future__ import annotations

import pandas as pd


def wide(long: pd.DataFrame, index: str, columns: str, values: str) -> pd.DataFrame:
    """``long`` pivoted to ``index`` x ``columns``, rows in the order they first appear (the
    source's order, e.g. a table's as printed), no name on the column axis."""
    order = list(dict.fromkeys(long[index]))
    w = long.pivot(index=index, columns=columns, values=values).reindex(order)
    w.columns.name = None
    return w
