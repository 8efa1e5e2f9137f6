"""Rosstat's official regional tables (``data/raw/rosstat/``) as tidy long tables: the importers
by name, their writing to ``data/interim/rosstat/``, and reading them back.

The import is in four modules, each calling only the ones before it:

- :mod:`~analysis.inputs.rosstat_layouts`    the files, their sheets, titles, units and activities
- :mod:`~analysis.inputs.rosstat_sheets`     reading a sheet: cells, headers, years, numbers, region rows
- :mod:`~analysis.inputs.rosstat_importers`  one importer per file of its own layout
- :mod:`~analysis.inputs.rosstat_appendix`   the importers of the appendix to «Регионы России»

This module names them all (:data:`IMPORTERS`) and is what the rest of the package calls; the
importers and the layout names are importable from here. :data:`CODE` lists the four modules and
this one: the import stamp hashes them, so a change to any of them imports the tables again.

Every importer returns the same columns (:data:`COLUMNS`):

``region_id``  registry id (:mod:`analysis.inputs.regions`), e.g. ``kemerovo``; ``russia`` for the country
``okato``      OKATO code of the region, a string (leading zero kept)
``region``     canonical Russian name from the registry
``year``       int
``activity``   OKVED section letter in Latin (``C``), or ``total``
``okved``      ``OKVED2007``, ``OKVED2`` or ``""`` when not by activity
``value``      float; NaN where Rosstat prints "…", "-" or nothing (never 0)
``unit``       ``percent of total GVA``, ``persons``, ``mln RUB``, ``percent of previous year``
``source``     ``<file name>:<sheet>`` (CSV: the row's date stands in for the sheet)

Rows are the 85 regions, the two ``region_excluding_ao`` parts (Arkhangelsk region without the
Nenets AO, Tyumen region without its two AOs) and ``russia``; federal districts are dropped. The
three okrugs are also inside their parent's row: before summing regions, join the registry and
keep ``kind == "region"`` (:func:`analysis.inputs.regions.top_level_regions`).

Speed: all tables import in about 2 s (openpyxl read-only mode), so the loaders always
rebuild from the raw files; there is no cache to go stale. ``python -m analysis import`` (or
:func:`import_all`) writes them to ``data/interim/rosstat/`` with ``import_log.csv``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.core import provenance
from analysis.core.errors import InputError
from analysis.core.outputs import write_csv
from analysis.core.paths import INTERIM_ROSSTAT
from analysis.inputs.rosstat_appendix import (
    electricity_production,
    employment_total,
    grp_volume_index,
    investment_total,
    production_indices,
    rail_dispatch,
    shipments_okved2,
    turnover_total,
)
from analysis.inputs.rosstat_importers import (
    fixed_assets,
    grp,
    grp_rr2019,
    gva_structure,
    population,
    production_index,
    shipments,
)
from analysis.inputs.rosstat_layouts import (
    COLUMNS,
    FIXED_ASSETS_FILE,
    GRP_FILE,
    GRP_RR2019_FILE,
    GVA_ACTIVITIES,
    GVA_FILE,
    KEEP_KINDS,
    LOG_COLUMNS,
    POPULATION_FILE,
    PRODUCTION_INDEX_FILE,
    RR2022_ENTERPRISES_FILE,
    RR2022_GRP_FILE,
    RR2022_INDUSTRY_FILE,
    RR2022_INVESTMENT_FILE,
    RR2022_LABOUR_FILE,
    RR2022_TRANSPORT_FILE,
    SHIPMENTS_FILE,
    okved_edition,
)

__all__ = [
    "CODE",
    "COLUMNS",
    "FIXED_ASSETS_FILE",
    "GRP_FILE",
    "GRP_RR2019_FILE",
    "GVA_ACTIVITIES",
    "GVA_FILE",
    "IMPORTERS",
    "KEEP_KINDS",
    "LOG_COLUMNS",
    "POPULATION_FILE",
    "PRODUCTION_INDEX_FILE",
    "RR2022_ENTERPRISES_FILE",
    "RR2022_GRP_FILE",
    "RR2022_INDUSTRY_FILE",
    "RR2022_INVESTMENT_FILE",
    "RR2022_LABOUR_FILE",
    "RR2022_TRANSPORT_FILE",
    "SHIPMENTS_FILE",
    "electricity_production",
    "employment_total",
    "fixed_assets",
    "grp",
    "grp_rr2019",
    "grp_volume_index",
    "gva_structure",
    "import_all",
    "investment_total",
    "log_frame",
    "okved_edition",
    "population",
    "production_index",
    "production_indices",
    "rail_dispatch",
    "shipments",
    "shipments_okved2",
    "table",
    "turnover_total",
]

# The import's code, relative to ``analysis/``: the import stamp (runner.pipeline) hashes these
# files, so an edit to any of them makes the next run import again.
CODE = (
    "inputs/rosstat.py",
    "inputs/rosstat_layouts.py",
    "inputs/rosstat_sheets.py",
    "inputs/rosstat_importers.py",
    "inputs/rosstat_appendix.py",
)

IMPORTERS: dict[str, Callable[..., pd.DataFrame]] = {
    "gva_structure": gva_structure,
    "population": population,
    "grp": grp,
    "grp_rr2019": grp_rr2019,
    "shipments": shipments,
    "fixed_assets": fixed_assets,
    "production_index": production_index,
    "production_indices": production_indices,
    "shipments_okved2": shipments_okved2,
    "rail_dispatch": rail_dispatch,
    "grp_volume_index": grp_volume_index,
    "employment_total": employment_total,
    "investment_total": investment_total,
    "turnover_total": turnover_total,
    "electricity_production": electricity_production,
}


def log_frame(log: list[dict]) -> pd.DataFrame:
    """The import log as a sorted table (``table, source, row, action, reason``)."""
    df = pd.DataFrame(log, columns=LOG_COLUMNS)
    df["row"] = df["row"].astype("Int64")
    return df.sort_values(
        ["table", "source", "row", "action", "reason"], kind="mergesort", na_position="first"
    ).reset_index(drop=True)


def import_all(out_dir: Path = INTERIM_ROSSTAT) -> dict[str, Path]:
    """Import every table and write ``<out_dir>/<name>.csv`` and ``import_log.csv``.

    Deterministic: rows sorted, files written atomically, identical bytes on a rerun.
    Returns ``{name: path}``.
    """
    out_dir = Path(out_dir)
    log: list[dict] = []
    written = {}
    for name, importer in IMPORTERS.items():
        written[name] = write_csv(importer(log=log), out_dir / f"{name}.csv")
    written["import_log"] = write_csv(log_frame(log), out_dir / "import_log.csv")
    return written


_TIDY_DTYPES = {
    "region_id": str,
    "okato": str,
    "region": str,
    "year": int,
    "activity": str,
    "okved": str,
    "value": float,
    "unit": str,
    "source": str,
}


def table(name: str) -> pd.DataFrame:
    """A tidy Rosstat table (a name of :data:`IMPORTERS`: ``gva_structure``, ``population``,
    ``production_indices``, ``rail_dispatch``, ...) from ``data/interim/rosstat/``.

    ``python -m analysis run`` re-imports the raw files first, so these are current; when a table
    is missing it is imported now.
    """
    path = INTERIM_ROSSTAT / f"{name}.csv"
    if not path.exists():
        import_all()
    if not path.exists():
        raise InputError(path, f"no Rosstat table named {name!r}")
    stat = path.stat()
    provenance.note(path)
    return _read_table(str(path), stat.st_mtime_ns, stat.st_size).copy()


@lru_cache(maxsize=16)
def _read_table(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    # Keyed by modification time and size: a warm kernel (several notebooks or regions in a row)
    # parses each table once, and a re-import is picked up at once.
    return pd.read_csv(path, dtype=_TIDY_DTYPES, keep_default_na=False, na_values={"value": [""]})
