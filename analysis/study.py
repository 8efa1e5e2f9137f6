"""What every notebook does first and last: check its parameters, read the region's data, write
its result tables, print them for nbval. The one module a notebook imports besides its step.

The paper covers one region, Kemerovo region (``kemerovo``): only there do the paper's tables
exist. For any region, Rosstat's files give GVA structure, population, shipments, fixed assets and
mining production indices; what only the paper has (clusters, freight, product output, turnover,
employment and investment by activity) a user supplies as CSV templates in ``data/user/<region>/``
(see ``data/README.md``). A step that lacks its inputs says so and skips, never borrowing another
region's numbers.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import figures, paths
from analysis.core.errors import InputError
from analysis.core.figures import LANGS
from analysis.core.outputs import write_csv
from analysis.inputs import paper
from analysis.inputs.regions import resolve
from analysis.inputs.rosstat import table as rosstat

__all__ = [
    "DEFAULT_REGION",
    "check",
    "figures",
    "has_paper",
    "resolve",
    "rosstat",
    "show",
    "skip",
    "write_table",
]

DEFAULT_REGION = paths.DEFAULT_REGION
has_paper = paper.covers


def check(region: str, lang: str = "en", **numbers: object) -> str:
    """Validate a notebook's parameters; return the region's id.

    ``region`` may be an id, OKATO code or any Russian or English spelling (see
    :mod:`analysis.inputs.regions`). ``numbers`` are numeric parameters that must be numbers.
    """
    if lang not in LANGS:
        raise InputError(
            None, "unknown output language", column="lang", expected=" or ".join(LANGS), found=lang
        )
    for name, value in numbers.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(
                None, "parameter has the wrong type", column=name, expected="a number", found=value
            )
    if not isinstance(region, str):
        raise InputError(
            None,
            "parameter has the wrong type",
            column="region",
            expected="a region name or id (text)",
            found=region,
        )
    return resolve(region).id


def write_table(df: pd.DataFrame, region: str, name: str) -> str:
    """Write a result table to ``data/processed/<region>/<name>.csv``; return its relative path."""
    path = paths.processed_dir(region) / f"{name}.csv"
    write_csv(df, path)
    return paths.rel(path)


def show(df: pd.DataFrame, decimals: int = 4) -> None:
    """Print a table as rounded plain text (what nbval compares)."""
    with pd.option_context(
        "display.width", 200, "display.max_columns", 50, "display.max_colwidth", 60, "display.max_rows", 500
    ):
        print(df.round(decimals).to_string())


def skip(message: str) -> None:
    """Say plainly that a part of a step is skipped and why."""
    print(f"SKIPPED: {message}")
