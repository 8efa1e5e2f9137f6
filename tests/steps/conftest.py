"""Toy tables for the step-module tests, in the shape of the tidy Rosstat tables
(``data/interim/rosstat/*.csv``: region_id, okato, region, year, activity, okved, value, unit,
source).

``make_gva({(region_id, year, okved): {letter: share, ...}, ...})`` builds a GVA-structure table
(per-cent shares; a ``total`` row of 100 is added to every region-year, as Rosstat prints one, so
that each test also checks it is left out). ``make_tidy([(region_id, year, activity, value), ...],
unit)`` builds population or shipments tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import pytest

COLUMNS = ["region_id", "okato", "region", "year", "activity", "okved", "value", "unit", "source"]


def tidy(records: Iterable[tuple[str, int, str, str, float]], unit: str) -> pd.DataFrame:
    """Rows (region_id, year, okved, activity, value) as a tidy Rosstat-like table."""
    df = pd.DataFrame(list(records), columns=["region_id", "year", "okved", "activity", "value"])
    df["okato"] = "00000000000"
    df["region"] = df["region_id"]
    df["unit"] = unit
    df["source"] = "toy"
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype(float)
    return df[COLUMNS]


def gva(structure: Mapping[tuple[str, int, str], Mapping[str, float]], total: bool = True) -> pd.DataFrame:
    records = []
    for (region_id, year, okved), shares in structure.items():
        records += [(region_id, year, okved, letter, value) for letter, value in shares.items()]
        if total:
            records.append((region_id, year, "", "total", 100.0))
    return tidy(records, "percent of total GVA")


@pytest.fixture
def make_gva():
    return gva


@pytest.fixture
def make_tidy():
    def make(records: Iterable[tuple[str, int, str, float]], unit: str) -> pd.DataFrame:
        return tidy(
            [(r, y, "" if a == "total" else "OKVED2007", a, v) for r, y, a, v in records],
            unit,
        )

    return make


ITEMS = ["industry", "mining", "manufacturing", "utilities"]


def indices(
    years: list[int], series: dict[tuple[str, str], list[float]], regions=("kemerovo",)
) -> pd.DataFrame:
    """A tidy ``region, item, year, value`` table of "% of the previous year" indices. Items not
    given are 100 every year (no change) for Russia and for each of ``regions``."""
    rows = {(r, i): [100.0] * len(years) for r in (*regions, "russia") for i in ITEMS}
    rows.update(series)
    return pd.DataFrame(
        [(r, i, y, v) for (r, i), values in rows.items() for y, v in zip(years, values)],
        columns=["region", "item", "year", "value"],
    )
