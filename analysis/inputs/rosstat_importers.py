"""Importers of Rosstat's files of their own layout: GVA structure, population, GRP (two
editions), shipments, fixed assets and the mining production index.

One importer per official layout (the sheets of the appendix to «Регионы России» share one:
:mod:`analysis.inputs.rosstat_appendix`). Each one verifies the file's checksum, checks the
layout cell by cell where it relies on it (title, units, years, column headers, the first data
row), and raises :class:`~analysis.core.errors.InputError` naming file, sheet, row and column on
anything it does not know: a renamed header, shifted rows, a missing sheet, an unknown row label,
an unreadable cell. What it deliberately leaves out (a refused sheet, the repository author's
formula cells, federal district rows, okrugs merged before 2008) goes to the import log, never
silently. Each returns the tidy columns of :data:`analysis.inputs.rosstat_layouts.COLUMNS`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import cast

import pandas as pd

from analysis.core.errors import InputError
from analysis.core.paths import RAW_ROSSTAT
from analysis.core.sources import verify
from analysis.inputs import regions
from analysis.inputs.rosstat_layouts import (
    FIXED_ASSETS_FILE,
    FIXED_ASSETS_TITLE,
    FIXED_ASSETS_UNITS,
    GRP_FILE,
    GRP_RR2019_FILE,
    GVA_ACTIVITIES,
    GVA_FILE,
    KEEP_KINDS,
    POPULATION_FILE,
    PRODUCTION_INDEX_FILE,
    SHIPMENT_SHEETS,
    SHIPMENTS_FILE,
    okved_edition,
)
from analysis.inputs.rosstat_sheets import (
    Collector,
    Sheet,
    check_text,
    need_sheet,
    not_a_region,
    number,
    place,
    region_rows,
    same_name,
    workbook,
    year_of,
    years_in,
)

# Cyrillic look-alikes of Latin section letters (the GVA file writes section O as Cyrillic «О»).
_TO_LATIN = str.maketrans("АВСЕНКМОРТХ", "ABCEHKMOPTX")


# --- GVA structure --------------------------------------------------------------------------


def gva_structure(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Structure of gross value added by activity, % of total, by region and Russia, 2009–2022.

    Source: ``data/raw/rosstat/VRP_OKVED2_s2016_gva_structure_2009_2022.xlsx`` (Rosstat's
    «Отраслевая структура валовой добавленной стоимости субъектов Российской Федерации», as
    committed by devproglab/Regional-Multipliers-RU). Layout expected, one sheet per year:

    * row 2, column B: title "... в <year> г. ..."; a sheet whose title names another year is
      refused and logged (sheets "2023" and "2024" are copies of 2022);
    * row 3, column C: "Валовая добавленная стоимость в основных ценах" (that column and column A
      hold the repository author's =SUM and INDEX/MATCH formulas: ignored);
    * row 4 from column D: "Раздел A", "Раздел B", ... (Cyrillic look-alike letters read as
      Latin); OKVED-2007 sections A–O (P from 2011) for 2009–2015, OKVED2 A–T from 2016;
    * row 5 from column D: the sections' names (checked against :data:`GVA_ACTIVITIES`);
    * column B from row 8 (2009–2015) or row 6 (2016 on): "Российская Федерация из суммы
      субъектов", then federal districts (dropped) and regions.

    Every sheet 2009–2022 must exist. "…", "-" and empty cells are NaN; formula cells in data
    columns (the author's, e.g. "=D31") are NaN and logged; rows with no published value at all
    (Crimea and Sevastopol in 2009, added by the author) are logged and left out.
    """
    path = Path(path) if path is not None else RAW_ROSSTAT / GVA_FILE
    coll = Collector("gva_structure", log)
    book = workbook(path)
    for year in range(2009, 2023):
        need_sheet(book, path, str(year))
    for name, sheet in book.items():
        if not re.fullmatch(r"\d{4}", name.strip()):
            coll.note(sheet.source(), None, "skipped", "sheet name is not a year")
            continue
        year = int(name)
        title = check_text(sheet, 2, 1, "Отраслевая структура валовой добавленной стоимости", "title")
        m = re.search(r"\bв\s+(\d{4})\s*г", title)
        if not m:
            raise sheet.error("the title names no year", 2, 1, expected="'... в <year> г. ...'", found=title)
        if int(m.group(1)) != year:
            coll.note(
                sheet.source(),
                2,
                "refused",
                f"sheet {name!r} is titled {m.group(1)} (a copy of the {m.group(1)} "
                f"sheet, not {year} data); not imported",
            )
            continue
        check_text(sheet, 3, 2, "Валовая добавленная стоимость в основных ценах", "GVA total header")
        edition = okved_edition(year)
        expected = GVA_ACTIVITIES[edition]
        value_cols = []
        for i, letter in enumerate(expected):
            col = 3 + i
            head = sheet.cell(4, col)
            if head is None and edition == "OKVED2007" and letter == "P":
                break  # households (P) appear only from 2011
            m = re.fullmatch(r"\s*Раздел\s+(\S)\s*", str(head or ""))
            found = m.group(1).translate(_TO_LATIN) if m else None
            if found != letter:
                raise sheet.error(
                    "section header not found where expected (renamed header or shifted rows/columns?)",
                    4,
                    col,
                    expected=f"'Раздел {letter}' ({edition})",
                    found=head,
                )
            desc = sheet.cell(5, col)
            if not same_name(desc, expected[letter][0]):
                raise sheet.error(
                    f"section {letter} is named differently (renamed header?)",
                    5,
                    col,
                    expected=repr(expected[letter][0]),
                    found=desc,
                )
            value_cols.append((col, year, letter, edition))
        extra = sheet.cell(4, 3 + len(value_cols))
        if extra is not None:
            raise sheet.error(
                "an extra column after the last section",
                4,
                3 + len(value_cols),
                expected="nothing",
                found=extra,
            )
        first = 8 if edition == "OKVED2007" else 6
        if regions.match_name(sheet.cell(first, 1)) != "russia":
            raise sheet.error(
                "the first data row is not the Russian Federation (shifted rows?)",
                first,
                1,
                expected="'Российская Федерация ...'",
                found=sheet.cell(first, 1),
            )
        region_rows(coll, sheet, first, 1, value_cols, "percent of total GVA")
    df = coll.frame()
    _check_shares(df, path)
    return df


# Shares printed with one decimal over up to 20 sections: their sum may miss 100 by up to
# 20 x 0.05 = 1.0 point; Rosstat's own rows miss by far less (tests/inputs/test_rosstat.py).
SHARE_SUM_TOLERANCE = 1.0


def _check_shares(df: pd.DataFrame, path: Path) -> None:
    """Refuse GVA shares outside 0-100 and regions whose shares do not sum to about 100."""
    bad = df[(df["value"] < 0) | (df["value"] > 100)]
    if not bad.empty:
        r = bad.iloc[0]
        raise InputError(
            path,
            f"a GVA share outside 0-100 for {r['region']}, section {r['activity']}",
            sheet=r["source"].split(":")[-1],
            expected="0 to 100 per cent",
            found=r["value"],
        )
    sums = df.groupby(["region_id", "year", "source"])["value"].sum(min_count=1).dropna()
    off = sums[(sums - 100).abs() > SHARE_SUM_TOLERANCE]
    if not off.empty:
        key, total = next(iter(off.items()))
        # A label of the (region_id, year, source) MultiIndex; pandas-stubs types labels Hashable.
        rid, year, source = cast(tuple[str, int, str], key)
        raise InputError(
            path,
            f"the GVA shares of {rid} in {year} do not sum to about 100",
            sheet=source.split(":")[-1],
            expected=f"100 +- {SHARE_SUM_TOLERANCE}",
            found=round(float(total), 3),
        )


# --- population -----------------------------------------------------------------------------


def population(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Resident population, annual average (persons), by region and Russia, 2000–2023.

    Source: ``data/raw/rosstat/emiss_population_avg_annual_2000_2023.xlsx``, an EMISS (fedstat)
    export of indicator «Численность постоянного населения в среднем за год». Layout expected:

    * sheet «Установленные разрезы»: A1 names the indicator, A2/B2 "ЕДИНИЦА ИЗМЕРЕНИЯ"/"Человек";
    * sheet «Отчет», row 1: "OKATO", "OKATO_id", then one year per column (hand-edited header:
      dates 2000-01-01 ... stand for years); from row 2: column A the name, column B the OKATO
      code (text). Rows are matched by OKATO code and the name must agree with it.

    Okrugs merged into their regions in 2005–2008 (Komi-Permyak, Taymyr, ...) and federal
    districts are left out (logged); their populations are inside their parents' rows. A
    population of 0 (EMISS's placeholder: Crimea and Sevastopol 2011–2013) is NaN (logged).
    """
    path = Path(path) if path is not None else RAW_ROSSTAT / POPULATION_FILE
    coll = Collector("population", log)
    book = workbook(path)
    meta = need_sheet(book, path, "Установленные разрезы")
    check_text(meta, 1, 0, "Численность постоянного населения в среднем за год", "indicator")
    check_text(meta, 2, 0, "ЕДИНИЦА ИЗМЕРЕНИЯ", "unit label")
    check_text(meta, 2, 1, "Человек", "unit (persons)")
    sheet = need_sheet(book, path, "Отчет")
    for col, want in ((0, "OKATO"), (1, "OKATO_id")):
        if str(sheet.cell(1, col) or "").strip() != want:
            raise sheet.error(
                "header not found where expected", 1, col, expected=repr(want), found=sheet.cell(1, col)
            )
    ncols = 2
    while sheet.cell(1, ncols) is not None:
        ncols += 1
    years = years_in(sheet, 1, list(range(2, ncols)))
    kinds_skipped = 0
    for r in range(2, len(sheet) + 1):
        name, code = sheet.cell(r, 0), sheet.cell(r, 1)
        if name is None and code is None:
            later = [
                i
                for i in range(r + 1, len(sheet) + 1)
                if sheet.cell(i, 0) is not None or sheet.cell(i, 1) is not None
            ]
            if later:
                raise sheet.error(
                    "an empty row inside the table (rows shifted?)",
                    r,
                    0,
                    expected="a name and an OKATO code",
                    found=None,
                )
            break
        code = str(code).strip() if code is not None else ""
        rid = regions.match_name(code) if code else None
        if rid is None or not re.fullmatch(r"\d{3}|\d{11}", code):
            raise sheet.error(
                "unknown OKATO code",
                r,
                1,
                expected="an OKATO code in data/reference/regions.csv",
                found=sheet.cell(r, 1),
            )
        by_name, kind = place(sheet, r, 0, name)
        if by_name != rid:
            raise sheet.error(
                f"name and OKATO code disagree ({by_name} vs {rid})",
                r,
                0,
                expected=f"the name of OKATO {code}",
                found=name,
            )
        if not_a_region(coll, sheet, r, kind, f"{name!r} (OKATO {code})"):
            kinds_skipped += kind == "federal_district"
            continue
        zeros = []
        for i, y in enumerate(years):
            v, kind_v = number(sheet, r, 2 + i)
            if kind_v == "formula":
                raise sheet.error(
                    "formula cell in an EMISS export",
                    r,
                    2 + i,
                    expected="a number",
                    found=sheet.cell(r, 2 + i),
                )
            if v == 0:  # EMISS writes 0 for "no data" (Crimea, Sevastopol 2011-2013)
                v = math.nan
                zeros.append(y)
            coll.add(sheet, r, rid, y, "total", "", v, "persons")
        if zeros:
            coll.note(
                sheet.source(),
                r,
                "ignored_cells",
                f"{name!r}: population 0 in {', '.join(map(str, zeros))} (EMISS's "
                "placeholder for no data) read as missing",
            )
    if kinds_skipped:
        coll.note(sheet.source(), None, "skipped", f"{kinds_skipped} federal-district rows (not regions)")
    return coll.frame()


# --- GRP ------------------------------------------------------------------------------------


def grp(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Gross regional product, mln RUB at current prices, by region, 1998–2022 (revised series).

    Source: ``data/raw/rosstat/VRP_total_percapita_1998_2022.xlsx`` (devproglab/
    Regional-Multipliers-RU ``Data/VRP.xlsx``). Layout expected: sheet «Total», row 1 "OKATO"
    then one year per column; each row's column A is a formula ``='Per Capita'!A<same row>``
    pointing at the region name in sheet «Per Capita» (same header). Federal-district rows carry
    the author's =SUM formulas under an "#N/A" name: left out and logged. The file has no
    Russian Federation row (use :func:`grp_rr2019` for Russia, an older edition).
    """
    path = Path(path) if path is not None else RAW_ROSSTAT / GRP_FILE
    coll = Collector("grp", log)
    book = workbook(path)
    total, names = need_sheet(book, path, "Total"), need_sheet(book, path, "Per Capita")
    ncols = 1
    while total.cell(1, ncols) is not None:
        ncols += 1
    for sh in (total, names):
        if str(sh.cell(1, 0) or "").strip() != "OKATO":
            raise sh.error("header not found where expected", 1, 0, expected="'OKATO'", found=sh.cell(1, 0))
    years = years_in(total, 1, list(range(1, ncols)))
    if years_in(names, 1, list(range(1, ncols))) != years:  # pragma: no cover - same check
        raise names.error("years differ from sheet 'Total'", 1, 1)
    coll.note(total.source(), None, "note", "no Russian Federation row in this file")
    fd_rows = 0
    last = max(
        (r for r in range(2, len(total) + 1) if any(v is not None for v in total.rows[r - 1])), default=1
    )
    for r in range(2, last + 1):
        ref = total.cell(r, 0)
        if ref is None:
            raise total.error(
                "an empty row inside the table (rows shifted?)",
                r,
                0,
                expected="='Per Capita'!A<row>",
                found=None,
            )
        label = ref
        if isinstance(ref, str) and ref.startswith("="):
            m = re.fullmatch(r"='Per Capita'!A(\d+)", ref.strip())
            if not m or int(m.group(1)) != r:
                raise total.error(
                    "row name formula does not point at the same row of sheet 'Per Capita' (rows shifted?)",
                    r,
                    0,
                    expected=f"='Per Capita'!A{r}",
                    found=ref,
                )
            label = names.cell(r, 0)
        cells = [(c, *number(total, r, c)) for c in range(1, ncols)]
        if label == "#N/A":
            # the author's federal-district subtotals: =SUM formulas, pasted sums from 2016
            if not str(total.cell(r, 1) or "").startswith("=SUM("):
                raise names.error(
                    "a row without a name that is not a federal-district subtotal",
                    r,
                    0,
                    expected="a region name",
                    found=label,
                )
            fd_rows += 1
            continue
        rid, kind = place(names, r, 0, label)
        if kind not in KEEP_KINDS:
            fd_rows += kind == "federal_district"
            continue
        formulas = [total.cell(r, c) for c, _, k in cells if k == "formula"]
        if formulas:
            coll.note(
                total.source(),
                r,
                "ignored_cells",
                f"{label!r}: {len(formulas)} formula cell(s) (e.g. {formulas[0]!r}) read as missing",
            )
        for (_c, v, _), y in zip(cells, years):
            coll.add(total, r, rid, y, "total", "", v, "mln RUB")
    if fd_rows:
        coll.note(
            total.source(),
            None,
            "skipped",
            f"{fd_rows} federal-district rows: the "
            "repository author's subtotals (=SUM formulas, pasted sums from 2016) under "
            "an '#N/A' name, not Rosstat's",
        )
    return coll.frame()


def grp_rr2019(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Gross regional product, mln RUB at current prices, Russia and regions, 2000–2017, as
    published in «Регионы России. Социально-экономические показатели 2019», table 9.1.

    Source: ``data/raw/rosstat/rr2019_razdel9_VRP.xlsx``, sheet «9.1.». Layout expected: A3
    "9.1. ВАЛОВОЙ РЕГИОНАЛЬНЫЙ ПРОДУКТ", A4 "(миллионов рублей)", row 5 years from column B,
    row 6 the total over regions ("Валовой региональный продукт по субъектам Российской
    Федерации ... – всего", imported as ``russia``), then federal districts (dropped), regions,
    "в том числе:" lines and okrug rows. "…" is NaN. Figures are those of the 2019 edition
    (later editions revised them: :func:`grp`).
    """
    path = Path(path) if path is not None else RAW_ROSSTAT / GRP_RR2019_FILE
    coll = Collector("grp_rr2019", log)
    sheet = need_sheet(workbook(path, full=("9.1.",)), path, "9.1.")
    check_text(sheet, 3, 0, "9.1. ВАЛОВОЙ РЕГИОНАЛЬНЫЙ ПРОДУКТ", "table title")
    check_text(sheet, 4, 0, "миллионов рублей", "unit")
    ncols = 1
    while sheet.cell(5, ncols) is not None:
        ncols += 1
    years = years_in(sheet, 5, list(range(1, ncols)))
    check_text(
        sheet,
        6,
        0,
        "Валовой региональный продукт по субъектам Российской Федерации",
        "total row (first data row)",
    )
    cols = [(1 + i, y, "total", "") for i, y in enumerate(years)]
    for c, y, a, o in cols:
        v, _ = number(sheet, 6, c)
        coll.add(sheet, 6, "russia", y, a, o, v, "mln RUB")
    region_rows(coll, sheet, 7, 0, cols, "mln RUB", skip_labels=("в том числе",))
    return coll.frame()


# --- shipments ------------------------------------------------------------------------------


def shipments(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Shipped goods of own production, works and services, mln RUB, by region and Russia,
    2005–2016, for OKVED-2007 sections C (mining), D (manufacturing) and E (electricity, gas and
    water).

    Source: ``data/raw/rosstat/shipments_mining_manuf_egw_by_region_2005_2016.xlsx`` (Rosstat,
    via findatalab/rosstat-open-data). Layout expected, sheets «1», «2», «3» (C, D, E): A2 the
    title «Объем отгруженных товаров собственного производства ... "<activity>" ...» with the
    unit "(млн.руб.)"; row 3 the years 2005... from column B; row 4 "Российская Федерация"; then
    federal districts (dropped) and regions; numbered footnotes below. "…" (also "… 3") is NaN;
    formula cells (sheet 2, Tyumen without okrugs 2006–2012: "=C72-C73-C74") are NaN and logged.
    """
    path = Path(path) if path is not None else RAW_ROSSTAT / SHIPMENTS_FILE
    coll = Collector("shipments", log)
    book = workbook(path)
    for name, (section, activity) in SHIPMENT_SHEETS.items():
        sheet = need_sheet(book, path, name)
        check_text(sheet, 2, 0, "Объем отгруженных товаров собственного производства", "title")
        check_text(sheet, 2, 0, f'"{activity}"', f"activity of sheet {name} in the title")
        check_text(sheet, 2, 0, "млн.руб", "unit (mln RUB)")
        ncols = 1
        while year_of(sheet.cell(3, ncols)) is not None:
            ncols += 1
        years = years_in(sheet, 3, list(range(1, max(ncols, 2))))
        if regions.match_name(sheet.cell(4, 0)) != "russia":
            raise sheet.error(
                "the first data row is not the Russian Federation (shifted rows?)",
                4,
                0,
                expected="'Российская Федерация'",
                found=sheet.cell(4, 0),
            )
        cols = [(1 + i, y, section, "OKVED2007") for i, y in enumerate(years)]
        region_rows(coll, sheet, 4, 0, cols, "mln RUB")
    return coll.frame()


# --- fixed assets ---------------------------------------------------------------------------


def _fa_unit(sheet: Sheet) -> str:
    title = check_text(sheet, 2, 0, FIXED_ASSETS_TITLE, "title")
    for ru, unit in FIXED_ASSETS_UNITS.items():
        if ru in title:
            return unit
    raise sheet.error("no unit in the title", 2, 0, expected="'млн рублей' or 'тыс. рублей'", found=title)


def fixed_assets(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Fixed assets at full book value, end of year, mln RUB, all organisations, by region and
    Russia: totals 2000–2016, and by OKVED2 section (A–S) plus total 2017–2024.

    Source: ``data/raw/rosstat/fixed_assets_by_region_2000_2024.xlsx`` (Rosstat, via
    findatalab/rosstat-open-data). Sheets and units, as their titles state:

    ====  ==========================================================  ======================
    1     all organisations («по полному кругу организаций»), 2000–2016  mln RUB (imported)
    2     all organisations, by OKVED2 section, 2017–2024              mln RUB (imported)
    3     commercial organisations without small businesses, 2000–2016 mln RUB (not imported)
    4     commercial organisations without small businesses, 2017–2024 thousand RUB (not imp.)
    5     non-commercial organisations, 2000–2016                      mln RUB (not imported)
    6     non-commercial organisations, 2017–2024                      thousand RUB (not imp.)
    ====  ==========================================================  ======================

    Layout expected: A2 the title (unit in it, must be "млн рублей"); sheet 1: row 3 years from
    column B, row 4 "Российская Федерация"; sheet 2: row 3 a year label ("2022 1)" allowed) every
    20 columns from column B, row 4 the 20 activity names of each block ("Всего по обследуемым
    видам экономической деятельности" = ``total``, then OKVED2 sections A–S), row 5 "Российская
    Федерация". Totals 2000–2016 have ``okved`` ""; the 2017–2024 rows ``OKVED2`` (their total is
    over the surveyed activities). "…" (confidential) is NaN. Fixed assets by activity before
    2017 are not in this file.
    """
    path = Path(path) if path is not None else RAW_ROSSTAT / FIXED_ASSETS_FILE
    coll = Collector("fixed_assets", log)
    book = workbook(path, full=("1", "2"))
    s1, s2 = need_sheet(book, path, "1"), need_sheet(book, path, "2")
    for sh in (s1, s2):
        check_text(sh, 2, 0, "по полному кругу организаций", "all-organisations title")
        if _fa_unit(sh) != "mln RUB":
            raise sh.error("unexpected unit", 2, 0, expected="млн рублей", found=sh.cell(2, 0))
    for name in ("3", "4", "5", "6"):
        if name in book:
            coll.note(
                book[name].source(),
                None,
                "skipped",
                f"commercial or non-commercial organisations only (unit "
                f"{_fa_unit(book[name])}); the all-organisations sheets 1 and 2 are used",
            )
    # sheet 1: totals
    ncols = 1
    while s1.cell(3, ncols) is not None:
        ncols += 1
    years = years_in(s1, 3, list(range(1, ncols)))
    if regions.match_name(s1.cell(4, 0)) != "russia":
        raise s1.error(
            "the first data row is not the Russian Federation (shifted rows?)",
            4,
            0,
            expected="'Российская Федерация'",
            found=s1.cell(4, 0),
        )
    region_rows(coll, s1, 4, 0, [(1 + i, y, "total", "") for i, y in enumerate(years)], "mln RUB")
    # sheet 2: by OKVED2 section, blocks of 20 columns per year
    sections = [s for s in GVA_ACTIVITIES["OKVED2"] if s != "T"]
    block = ["total", *sections]
    cols: list[tuple[int, int, str, str]] = []
    c = 1
    while s2.cell(3, c) is not None:
        year = year_of(s2.cell(3, c))
        if year is None or (cols and year != cols[-1][1] + 1):
            raise s2.error(
                "year label not found where expected (shifted columns?)",
                3,
                c,
                expected="a year (e.g. '2022 1)')",
                found=s2.cell(3, c),
            )
        for i, act in enumerate(block):
            head = s2.cell(4, c + i)
            want = (
                "Всего по обследуемым видам экономической деятельности"
                if act == "total"
                else GVA_ACTIVITIES["OKVED2"][act][0]
            )
            if not same_name(head, want):
                raise s2.error(
                    f"activity header of {year} not found where expected (renamed "
                    "header or shifted columns?)",
                    4,
                    c + i,
                    expected=repr(want),
                    found=head,
                )
            if i and s2.cell(3, c + i) is not None:
                raise s2.error(
                    "a year label inside a year's block (columns shifted?)",
                    3,
                    c + i,
                    expected="an empty cell",
                    found=s2.cell(3, c + i),
                )
            cols.append((c + i, year, act, "OKVED2"))
        c += len(block)
    if not cols:
        raise s2.error("no year labels", 3, 1, expected="2017", found=s2.cell(3, 1))
    if regions.match_name(s2.cell(5, 0)) != "russia":
        raise s2.error(
            "the first data row is not the Russian Federation (shifted rows?)",
            5,
            0,
            expected="'Российская Федерация'",
            found=s2.cell(5, 0),
        )
    region_rows(coll, s2, 5, 0, cols, "mln RUB")
    return coll.frame()


# --- mining production index ------------------------------------------------------------------


def production_index(
    path: Path | None = None, log: list | None = None, years: range = range(2009, 2016)
) -> pd.DataFrame:
    """Annual mining production index, % of the previous year, by region and Russia, 2009–2015.

    Source: ``data/raw/rosstat/m806_MAQ_IND_YTD.csv`` (epogrebnyak/data-rosstat-806-regional,
    from Rosstat's monthly bulletin, table 014-022 «Добыча полезных ископаемых»). Layout
    expected: header row ``,varname,<region>,<region>,...``; one row per month, first cell the
    date (``2009-01-01`` ... ``2016-01-01``), ``varname`` = ``MAQ_IND_YTD`` (January to month, %
    of the same period a year earlier). The annual index is December's value. Activity is
    OKVED-2007 section C (mining), the classification of 2009–2015. Empty cells are NaN.
    """
    path = Path(verify(Path(path) if path is not None else RAW_ROSSTAT / PRODUCTION_INDEX_FILE))
    coll = Collector("production_index", log)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "file is not UTF-8", expected="UTF-8 text") from None
    rows = list(csv.reader(io.StringIO(text)))
    sheet = Sheet(path, None, rows)  # messages name the CSV row (header = row 1) and column
    header = rows[0] if rows else []
    if len(header) < 3 or header[0].strip() != "" or header[1].strip() != "varname":
        raise InputError(
            path,
            "unexpected header (renamed column or shifted rows?)",
            row=1,
            expected="',varname,<region>,...'",
            found=",".join(header[:3]),
        )
    places = []
    fd = 0
    for j, label in enumerate(header[2:], start=2):
        rid, kind = place(sheet, 1, j, label)
        if kind == "federal_district":
            fd += 1
        elif kind in KEEP_KINDS:
            places.append((j, rid))
    by_date: dict[str, int] = {}
    for i, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise InputError(
                path,
                "wrong number of cells",
                row=i,
                expected=f"{len(header)} as in the header",
                found=len(row),
            )
        if not re.fullmatch(r"\d{4}-\d{2}-01", row[0].strip()):
            raise InputError(path, "not a month date", row=i, column="A", expected="YYYY-MM-01", found=row[0])
        if row[1].strip() != "MAQ_IND_YTD":
            raise InputError(
                path,
                "another indicator in column varname",
                row=i,
                column="B",
                expected="MAQ_IND_YTD",
                found=row[1],
            )
        by_date[row[0].strip()] = i
    for year in years:
        date = f"{year}-12-01"
        if date not in by_date:
            raise InputError(path, f"no December row for {year}", expected=f"a row dated {date}")
        i = by_date[date]
        for j, rid in places:
            cell = rows[i - 1][j].strip()
            try:
                v = float(cell.replace(",", ".")) if cell else math.nan
            except ValueError:
                raise InputError(
                    path,
                    "not a number",
                    row=i,
                    column=header[j],
                    expected="a number or an empty cell",
                    found=cell,
                ) from None
            coll.add(
                sheet,
                i,
                rid,
                year,
                "C",
                "OKVED2007",
                v,
                "percent of previous year",
                source=f"{path.name}:{date}",
            )
    if fd:
        coll.note(path.name, 1, "skipped", f"{fd} federal-district columns (not regions)")
    return coll.frame()
