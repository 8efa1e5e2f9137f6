"""What every notebook does first and last: check its parameters, know what data exist for the
region, write its result tables, print them for nbval.

The paper covers one region, Kemerovo region (``kemerovo``): only there do the paper's tables
exist. For any region, Rosstat's files give GVA structure, population, shipments, fixed assets and
mining production indices; what only the paper has (clusters, freight, product output, turnover,
employment and investment by activity) a user supplies as CSV templates in ``data/raw/<region>/``
(see ``data/README.md``). A step that lacks its inputs says so and skips, never borrowing another
region's numbers.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths
from .errors import InputError
from .figures import LANGS
from .outputs import write_csv

DEFAULT_REGION = "kemerovo"
PAPER_REGION = "kemerovo"  # Ivanova (2018) studies Kemerovo region only


def check(region: str, lang: str = "en", **numbers) -> str:
    """Validate a notebook's parameters; return the region's id.

    ``region`` may be an id, OKATO code or any Russian or English spelling (see
    :mod:`analysis.regions`). ``numbers`` are numeric parameters that must be numbers.
    """
    if lang not in LANGS:
        raise InputError(None, "unknown output language", column="lang",
                         expected=" or ".join(LANGS), found=lang)
    for name, value in numbers.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(None, "parameter has the wrong type", column=name,
                             expected="a number", found=value)
    if not isinstance(region, str):
        raise InputError(None, "parameter has the wrong type", column="region",
                         expected="a region name or id (text)", found=region)
    from .regions import resolve

    return resolve(region).id


def has_paper(region: str) -> bool:
    """Whether the paper's own tables exist for ``region``."""
    return region == PAPER_REGION


def user_file(region: str, name: str) -> Path | None:
    """``data/raw/<region>/<name>`` if the user supplied it, else None."""
    p = paths.region_raw_dir(region) / name
    return p if p.exists() else None


def write_table(df: pd.DataFrame, region: str, name: str) -> str:
    """Write a result table to ``data/processed/<region>/<name>.csv``; return its relative path."""
    path = paths.processed_dir(region) / f"{name}.csv"
    write_csv(df, path)
    return paths.rel(path)


def show(df: pd.DataFrame, decimals: int = 4) -> None:
    """Print a table as rounded plain text (what nbval compares)."""
    with pd.option_context("display.width", 200, "display.max_columns", 50,
                           "display.max_colwidth", 60, "display.max_rows", 500):
        print(df.round(decimals).to_string())


def skip(message: str) -> None:
    """Say plainly that a part of a step is skipped and why."""
    print(f"SKIPPED: {message}")


_ROSSTAT_DTYPES = {"region_id": str, "okato": str, "region": str, "year": int, "activity": str,
                   "okved": str, "value": float, "unit": str, "source": str}


def rosstat(name: str) -> pd.DataFrame:
    """A tidy Rosstat table (``gva_structure``, ``population``, ``grp``, ``shipments``,
    ``fixed_assets``, ``production_index``) from ``data/processed/rosstat/``.

    ``python -m analysis run`` re-imports the raw files first, so these are current; when a table
    is missing it is imported now.
    """
    path = paths.PROCESSED_ROSSTAT / f"{name}.csv"
    if not path.exists():
        from .rosstat import import_all

        import_all()
    if not path.exists():
        raise InputError(path, f"no Rosstat table named {name!r}")
    stat = path.stat()
    return _read_rosstat(str(path), stat.st_mtime_ns, stat.st_size).copy()


@lru_cache(maxsize=16)
def _read_rosstat(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    # Keyed by modification time and size: a warm kernel (several notebooks or regions in a row)
    # parses each table once, and a re-import is picked up at once.
    return pd.read_csv(path, dtype=_ROSSTAT_DTYPES, keep_default_na=False, na_values={"value": [""]})
