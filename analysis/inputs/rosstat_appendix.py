"""Importers of the appendix to «Регионы России» (the edition with data to 2021): production
indices, OKVED2 shipments, rail dispatch, the GRP volume index, employment, investment, turnover,
electricity production.

Every table of the appendix has one layout, read by :func:`appendix_sheet`: title rows naming
the table and its unit, a row of years, the country, federal districts and regions, footnotes.
Which sheets are read, with the titles and units they must show, is declared in
:mod:`analysis.inputs.rosstat_layouts` (:data:`~analysis.inputs.rosstat_layouts.INDEX_SHEETS`,
:data:`~analysis.inputs.rosstat_layouts.SHIPMENT_OKVED2_SHEETS`,
:data:`~analysis.inputs.rosstat_layouts.ONE_SHEET`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.paths import RAW_ROSSTAT
from analysis.inputs.rosstat_layouts import (
    INDEX_SHEETS,
    ONE_SHEET,
    RR2022_INDUSTRY_FILE,
    SHIPMENT_OKVED2_SHEETS,
    OneSheet,
)
from analysis.inputs.rosstat_sheets import (
    Collector,
    Sheet,
    check_text,
    misprinted_years,
    need_sheet,
    norm_text,
    number,
    region_rows,
    workbook,
    year_of,
    years_in,
)


def appendix_sheet(
    coll: Collector,
    book: dict[str, Sheet],
    path: Path,
    name: str,
    title: str,
    unit_text: str,
    unit: str,
    activity: str,
    okved: str,
    *,
    total_label: str | None = None,
    times_as_percent: bool = False,
) -> None:
    """One table of the appendix: title rows, a row of consecutive years from column B, then the
    country (imported as ``russia``), federal districts (dropped) and regions, then footnotes.

    ``title`` and ``unit_text`` must appear in the title rows above the years (a renamed or
    shifted table is an error naming the cell); ``total_label`` is the country row's label where
    it is not «Российская Федерация» (the GRP tables print a total over regions instead).
    """
    sheet = need_sheet(book, path, name)
    year_row = next(
        (r for r in range(3, 12) if year_of(sheet.cell(r, 1)) is not None and sheet.cell(r, 0) is None), None
    )
    if year_row is None:
        raise sheet.error("no row of years found in rows 3-11", 3, 1, expected="a row of years from column B")
    heading = " ".join(norm_text(sheet.cell(r, 0)) for r in range(1, year_row))
    for must, what in ((title, "table title"), (unit_text, "unit")):
        if norm_text(must) not in heading:
            raise sheet.error(
                f"{what} not found above the years (renamed or another table?)",
                year_row - 1,
                0,
                expected=f"text containing {must!r}",
                found=sheet.cell(year_row - 1, 0),
            )
    misprints = misprinted_years(sheet, year_row)
    for c, y in misprints.items():
        coll.note(
            sheet.source(),
            year_row,
            f"year header {sheet.cell(year_row, c)!r} in column {c + 1} read as {y}",
            "misprint",
        )
    ncols = 1
    while year_of(sheet.cell(year_row, ncols)) is not None or ncols in misprints:
        ncols += 1
    years = years_in(sheet, year_row, list(range(1, ncols)), misprints)
    cols = [(1 + i, y, activity, okved) for i, y in enumerate(years)]
    first = year_row + 1
    if total_label is not None:
        check_text(sheet, first, 0, total_label, "total row (first data row)")
        for c, y, a, o in cols:
            v, _ = number(sheet, first, c, times_as_percent=times_as_percent)
            coll.add(sheet, first, "russia", y, a, o, v, unit)
        first += 1
    region_rows(
        coll, sheet, first, 0, cols, unit, skip_labels=("в том числе",), times_as_percent=times_as_percent
    )


def production_indices(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Annual production indices, per cent of the previous year (comparable prices), Russia and
    every region: industry as a whole, mining, manufacturing and utilities, by OKVED-2007
    (2000-2016: tables 12.3.1, 12.4.1, 12.5.1, 12.6 ``utilities``) and by OKVED2 (2015-2021:
    12.3.2, 12.4.2, 12.5.2, 12.7 electricity, gas and steam ``energy``, 12.8 water supply and
    waste ``water_waste``; OKVED2 splits the old utilities section in two).

    Source: ``data/raw/rosstat/rr2022_section12_industrial_production.xlsx``, section 12 of the
    appendix to «Регионы России». The two editions overlap in 2015-2016 and are kept apart by
    ``okved`` (never spliced: their sections differ in scope). "в 3.1 р." (3.1 times) is read as
    310 and logged; "…", "-" and empty cells are NaN (confidential or not produced).
    """
    path = Path(path) if path is not None else RAW_ROSSTAT / RR2022_INDUSTRY_FILE
    coll = Collector("production_indices", log)
    book = workbook(path, full=tuple(INDEX_SHEETS))
    for name, (title, activity, okved) in INDEX_SHEETS.items():
        appendix_sheet(
            coll,
            book,
            path,
            name,
            title,
            "в процентах к предыдущему году",
            "percent of previous year",
            activity,
            okved,
            times_as_percent=True,
        )
    return coll.frame()


def shipments_okved2(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Shipped goods of own production, works and services, mln RUB in current prices, by OKVED2
    section (B mining, C manufacturing, D electricity, gas and steam, E water supply and waste),
    Russia and every region, 2017-2021 (tables 12.2.2, 12.2.4, 12.2.6, 12.2.7 of the appendix to
    «Регионы России»). Continues :func:`~analysis.inputs.rosstat_importers.shipments` (OKVED-2007
    sections C, D, E, 2005-2016) in the other classification: the letters mean other activities,
    so ``okved`` always goes with them.
    """
    path = Path(path) if path is not None else RAW_ROSSTAT / RR2022_INDUSTRY_FILE
    coll = Collector("shipments_okved2", log)
    book = workbook(path, full=tuple(SHIPMENT_OKVED2_SHEETS))
    for name, (title, letter) in SHIPMENT_OKVED2_SHEETS.items():
        appendix_sheet(coll, book, path, name, title, "миллионов рублей", "mln RUB", letter, "OKVED2")
    return coll.frame()


def _one_sheet(name: str, spec: OneSheet, path: Path | None, log: list | None) -> pd.DataFrame:
    path = Path(path) if path is not None else RAW_ROSSTAT / spec.file
    coll = Collector(name, log)
    book = workbook(path, full=(spec.sheet,))
    appendix_sheet(
        coll,
        book,
        path,
        spec.sheet,
        spec.title,
        spec.unit_text,
        spec.unit,
        spec.activity,
        "",
        total_label=spec.total_label,
        times_as_percent=spec.times_as_percent,
    )
    return coll.frame()


def rail_dispatch(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Freight dispatched by public rail transport, million tonnes, Russia and every region,
    2000-2021 (table 16.1 of the appendix to «Регионы России»).

    Dispatch is all loading in the region, shipments to places inside it included; it is not the
    inter-regional outflow («вывоз») of the paper's Table 4. Source:
    ``data/raw/rosstat/rr2022_section16_transport.xlsx``, sheet «16.1.».
    """
    return _one_sheet("rail_dispatch", ONE_SHEET["rail_dispatch"], path, log)


def grp_volume_index(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Physical volume index of GRP (constant prices, per cent of the previous year), Russia (the
    total over regions) and every region, 2000-2020 (table 8.3 of the appendix to «Регионы
    России»): a volume measure to set beside GVA shares in current prices."""
    return _one_sheet("grp_volume_index", ONE_SHEET["grp_volume_index"], path, log)


def employment_total(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Average annual number of employed, thousand persons, Russia and every region, 2000-2021
    (table 2.3 of the appendix; totals only, no breakdown by activity)."""
    return _one_sheet("employment_total", ONE_SHEET["employment_total"], path, log)


def investment_total(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Fixed-capital investment, mln RUB in current prices, Russia and every region, 2000-2021
    (table 10.1 of the appendix; totals only)."""
    return _one_sheet("investment_total", ONE_SHEET["investment_total"], path, log)


def turnover_total(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Turnover of organisations, bn RUB, Russia and every region, 2005-2021 (table 11.2 of the
    appendix; totals only). Formula cells someone added to federal-district rows are logged."""
    return _one_sheet("turnover_total", ONE_SHEET["turnover_total"], path, log)


def electricity_production(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Electricity production, bn kWh, Russia and every region, 2000-2021 (table 12.10 of the
    appendix; its header prints 2009 as 20009, read as 2009 and logged): the output part of Table
    2's electricity coefficient."""
    return _one_sheet("electricity_production", ONE_SHEET["electricity_production"], path, log)
