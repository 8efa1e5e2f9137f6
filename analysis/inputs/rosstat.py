"""Importers of Rosstat's official regional tables (``data/raw/rosstat/``) into tidy long tables.

One importer per official layout. Each one verifies the file's checksum, checks the layout cell by
cell where it relies on it (title, units, years, column headers, the first data row), and raises
:class:`~analysis.core.errors.InputError` naming file, sheet, row and column on anything it does not
know: a renamed header, shifted rows, a missing sheet, an unknown row label, an unreadable cell.
What it deliberately leaves out (a refused sheet, the repository author's formula cells, federal
district rows, okrugs merged before 2008) goes to the import log, never silently.

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

Speed: all seven tables import in about 2 s (openpyxl read-only mode), so the loaders always
rebuild from the raw files; there is no cache to go stale. ``python -m analysis import`` (or
:func:`import_all`) writes them to ``data/interim/rosstat/`` with ``import_log.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

import pandas as pd

from analysis.core import provenance
from analysis.core.errors import InputError
from analysis.core.outputs import write_csv
from analysis.core.paths import INTERIM_ROSSTAT, RAW_ROSSTAT
from analysis.core.sources import verify
from analysis.inputs import regions

COLUMNS = ["region_id", "okato", "region", "year", "activity", "okved", "value", "unit", "source"]
LOG_COLUMNS = ["table", "source", "row", "action", "reason"]
KEEP_KINDS = {"country", "region", "autonomous_okrug_within", "region_excluding_ao"}

GVA_FILE = "VRP_OKVED2_s2016_gva_structure_2009_2022.xlsx"
POPULATION_FILE = "emiss_population_avg_annual_2000_2023.xlsx"
GRP_FILE = "VRP_total_percapita_1998_2022.xlsx"
GRP_RR2019_FILE = "rr2019_razdel9_VRP.xlsx"
SHIPMENTS_FILE = "shipments_mining_manuf_egw_by_region_2005_2016.xlsx"
FIXED_ASSETS_FILE = "fixed_assets_by_region_2000_2024.xlsx"
PRODUCTION_INDEX_FILE = "m806_MAQ_IND_YTD.csv"
RR2022_INDUSTRY_FILE = "rr2022_section12_industrial_production.xlsx"
RR2022_TRANSPORT_FILE = "rr2022_section16_transport.xlsx"
RR2022_GRP_FILE = "rr2022_section8_grp.xlsx"
RR2022_LABOUR_FILE = "rr2022_section2_labour.xlsx"
RR2022_INVESTMENT_FILE = "rr2022_section10_investment.xlsx"
RR2022_ENTERPRISES_FILE = "rr2022_section11_enterprises.xlsx"

# Section code -> (Russian name as Rosstat prints it in the GVA tables, English name), per edition.
GVA_ACTIVITIES: dict[str, dict[str, tuple[str, str]]] = {
    "OKVED2007": {
        "A": ("Сельское хозяйство, охота и лесное хозяйство", "Agriculture, hunting and forestry"),
        "B": ("Рыболовство, рыбоводство", "Fishing, fish farming"),
        "C": ("Добыча полезных ископаемых", "Mining and quarrying"),
        "D": ("Обрабатывающие производства", "Manufacturing"),
        "E": (
            "Производство и распределение электроэнергии, газа и воды",
            "Electricity, gas and water supply",
        ),
        "F": ("Строительство", "Construction"),
        "G": (
            "Оптовая и розничная торговля; ремонт автотранспортных средств, мотоциклов, бытовых "
            "изделий и предметов личного пользования",
            "Wholesale and retail trade; repair of motor vehicles, motorcycles and personal and "
            "household goods",
        ),
        "H": ("Гостиницы и рестораны", "Hotels and restaurants"),
        "I": ("Транспорт и связь", "Transport and communications"),
        "J": ("Финансовая деятельность", "Financial intermediation"),
        "K": (
            "Операции с недвижимым имуществом, аренда и предоставление услуг",
            "Real estate, renting and business activities",
        ),
        "L": (
            "Государственное управление и обеспечение военной безопасности; социальное страхование",
            "Public administration and defence; compulsory social security",
        ),
        "M": ("Образование", "Education"),
        "N": ("Здравоохранение и предоставление социальных услуг", "Health and social work"),
        "O": (
            "Предоставление прочих коммунальных, социальных и персональных услуг",
            "Other community, social and personal service activities",
        ),
        "P": ("Деятельность домашних хозяйств", "Activities of households"),
    },
    "OKVED2": {
        "A": (
            "Сельское, лесное хозяйство, охота, рыболовство и рыбоводство",
            "Agriculture, forestry, hunting, fishing and fish farming",
        ),
        "B": ("Добыча полезных ископаемых", "Mining and quarrying"),
        "C": ("Обрабатывающие производства", "Manufacturing"),
        "D": (
            "Обеспечение электрической энергией, газом и паром; кондиционирование воздуха",
            "Electricity, gas, steam and air conditioning supply",
        ),
        "E": (
            "Водоснабжение; водоотведение, организация сбора и утилизация отходов, деятельность "
            "по ликвидации загрязнений",
            "Water supply; sewerage, waste management and remediation activities",
        ),
        "F": ("Строительство", "Construction"),
        "G": (
            "Торговля оптовая и розничная; ремонт автотранспортных средств и мотоциклов",
            "Wholesale and retail trade; repair of motor vehicles and motorcycles",
        ),
        "H": ("Транспортировка и хранение", "Transportation and storage"),
        "I": (
            "Деятельность гостиниц и предприятий общественного питания",
            "Accommodation and food service activities",
        ),
        "J": ("Деятельность в области информации и связи", "Information and communication"),
        "K": ("Деятельность финансовая и страховая", "Financial and insurance activities"),
        "L": ("Деятельность по операциям с недвижимым имуществом", "Real estate activities"),
        "M": (
            "Деятельность профессиональная, научная и техническая",
            "Professional, scientific and technical activities",
        ),
        "N": (
            "Деятельность административная и сопутствующие дополнительные услуги",
            "Administrative and support service activities",
        ),
        "O": (
            "Государственное управление и обеспечение военной безопасности; социальное обеспечение",
            "Public administration and defence; compulsory social security",
        ),
        "P": ("Образование", "Education"),
        "Q": (
            "Деятельность в области здравоохранения и социальных услуг",
            "Human health and social work activities",
        ),
        "R": (
            "Деятельность в области культуры, спорта, организации досуга и развлечений",
            "Arts, entertainment and recreation",
        ),
        "S": ("Предоставление прочих видов услуг", "Other service activities"),
        "T": (
            "Деятельность домашних хозяйств как работодателей; недифференцированная деятельность "
            "частных домашних хозяйств по производству товаров и оказанию услуг для "
            "собственного потребления",
            "Activities of households as employers; undifferentiated goods- and "
            "services-producing activities of households for own use",
        ),
    },
}


def okved_edition(year: int) -> str:
    """OKVED edition of Rosstat's GVA-by-activity tables: OKVED-2007 to 2015, OKVED2 from 2016."""
    return "OKVED2007" if year <= 2015 else "OKVED2"


# --- small helpers --------------------------------------------------------------------------

# Cyrillic look-alikes of Latin section letters (the GVA file writes section O as Cyrillic «О»).
_TO_LATIN = str.maketrans("АВСЕНКМОРТХ", "ABCEHKMOPTX")
# "…", "...", dashes or nothing, optionally followed by a footnote mark ("… 3", "-1)").
_MISSING = re.compile(r"(?:…|\.\.\.|-|–|—)?(?:\s*\d+\)|\s+\d+)?")


class _Sheet:
    """The cells of one worksheet as a list of equally long tuples; rows and columns as Excel
    shows them (row 1, column "A") in every message."""

    def __init__(self, path: Path, name: str | None, rows: Sequence[Sequence[object]]):
        width = max((len(r) for r in rows), default=0)
        self.path, self.name = path, name
        self.rows = [tuple(r) + (None,) * (width - len(r)) for r in rows]

    def __len__(self) -> int:
        return len(self.rows)

    def cell(self, row: int, col: int) -> object:
        """Value at Excel row ``row`` (1-based) and 0-based column ``col``; None beyond the edge."""
        if row < 1 or row > len(self.rows) or col >= len(self.rows[row - 1]):
            return None
        return self.rows[row - 1][col]

    def error(
        self,
        problem: str,
        row: int | None = None,
        col: int | None = None,
        expected: str | None = None,
        found: object = None,
    ) -> InputError:
        return InputError(
            self.path,
            problem,
            sheet=self.name,
            row=row,
            column=_letter(col) if col is not None else None,
            expected=expected,
            found=found,
        )

    def source(self) -> str:
        return f"{self.path.name}:{self.name}"


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col + 1)


def _workbook(path: Path, full: tuple[str, ...] | None = None) -> dict[str, _Sheet]:
    """The sheets of an .xlsx file (checksum verified first), read in read-only mode: all rows of
    the sheets named in ``full`` (all sheets if None), only the first 2 rows (titles) of others."""
    import openpyxl

    verify(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(path, f"cannot be read as an Excel .xlsx workbook ({exc})") from None
    try:
        return {
            ws.title: _Sheet(
                path,
                ws.title,
                list(ws.iter_rows(max_row=None if full is None or ws.title in full else 2, values_only=True)),
            )
            for ws in wb.worksheets
        }
    finally:
        wb.close()


def _need(book: dict[str, _Sheet], path: Path, name: str) -> _Sheet:
    if name not in book:
        raise InputError(
            path,
            f"sheet {name!r} is missing",
            sheet=name,
            expected=f"a sheet named {name!r}",
            found=", ".join(book),
        )
    return book[name]


def _text(value: object) -> str:
    """Normalised header text: NFKC, lower case, ё→е, footnote marks dropped, spaces collapsed."""
    s = unicodedata.normalize("NFKC", "" if value is None else str(value)).casefold()
    s = s.replace("ё", "е")
    s = re.sub(r"\d+\)", " ", s)
    s = re.sub(r"\s+", " ", s)
    return re.sub(r"\s+([,;.)])", r"\1", s).strip()


def _same_name(found: object, expected: str) -> bool:
    """Header text equal to ``expected`` up to spacing, footnotes, truncation or a typo."""
    f, e = _text(found), _text(expected)
    if not f:
        return False
    return f == e or (len(f) >= 15 and e.startswith(f)) or difflib.SequenceMatcher(None, f, e).ratio() >= 0.9


def _check_text(sheet: _Sheet, row: int, col: int, must_contain: str, what: str) -> str:
    value = sheet.cell(row, col)
    if _text(must_contain) not in _text(value):
        raise sheet.error(
            f"{what} not found where expected (renamed header or shifted rows?)",
            row,
            col,
            expected=f"text containing {must_contain!r}",
            found=value,
        )
    return str(value)


def _year(value: object) -> int | None:
    """A year header: 2005, '2005', '2022 1)', datetime(2005, 1, 1); None otherwise."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.year
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value):
        y = int(value)
    elif isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})\s*(?:г\.?)?\s*(?:\d+\))*\s*", value)
        if not m:
            return None
        y = int(m.group(1))
    else:
        return None
    return y if 1990 <= y <= 2100 else None


def _years(sheet: _Sheet, row: int, cols: list[int]) -> list[int]:
    """Consecutive years in ``cols`` of ``row``, or an error naming the first bad cell."""
    out: list[int] = []
    for c in cols:
        y = _year(sheet.cell(row, c))
        if y is None or (out and y != out[-1] + 1):
            exp = f"the year {out[-1] + 1}" if out else "a year"
            raise sheet.error(
                "year header not found where expected (shifted rows or columns?)",
                row,
                c,
                expected=exp,
                found=sheet.cell(row, c),
            )
        out.append(y)
    return out


_TIMES = re.compile(r"в\s*(\d+(?:[.,]\d+)?)\s*р\.?")


def _number(sheet: _Sheet, row: int, col: int, *, times_as_percent: bool = False) -> tuple[float, str]:
    """(value, kind) of a data cell; kind is ``num``, ``missing``, ``formula`` or ``times``.

    In tables of indices in per cent of the previous year Rosstat writes a large rise as text,
    "в 3.1 р." or "в 3,1 р." (3.1 times): with ``times_as_percent`` that is read as 310 (kind
    ``times``, which the caller logs); elsewhere it is an error.

    Numbers come as numbers or as text with a decimal comma; "…", "...", "-", empty (optionally
    followed by a footnote mark, e.g. "… 3") are missing. A formula (text starting with "=";
    openpyxl returns the formula, not a cached result) is not a published number: missing, and
    the caller reports it.
    """
    v = sheet.cell(row, col)
    if v is None:
        return math.nan, "missing"
    if isinstance(v, bool):
        raise sheet.error("unexpected cell", row, col, expected="a number", found=v)
    if isinstance(v, (int, float)):
        return float(v), "num"
    s = unicodedata.normalize("NFKC", str(v)).strip()
    if s.startswith("="):
        return math.nan, "formula"
    if _MISSING.fullmatch(s):
        return math.nan, "missing"
    m = _TIMES.fullmatch(s)
    if m and times_as_percent:
        return round(float(m.group(1).replace(",", ".")) * 100, 6), "times"
    try:
        return float(s.replace(" ", "").replace(",", ".")), "num"
    except ValueError:
        raise sheet.error(
            "unexpected cell", row, col, expected="a number, '…', '-' or an empty cell", found=v
        ) from None


def _place(sheet: _Sheet, row: int, col: int, label: object) -> tuple[str, str]:
    """(id, kind) of a row label via the registry; an unknown label is an error."""
    rid = regions.match_name(label)
    if rid is None:
        try:
            regions.resolve(str(label))
            hint = ""
        except InputError as exc:
            hint = exc.problem.partition("; closest: ")[2]
        raise sheet.error(
            "unknown row label (not a region, federal district or the country in data/reference/regions.csv)",
            row,
            col,
            expected=f"a known name{'; closest: ' + hint if hint else ''}",
            found=label,
        )
    return rid, regions.kind_of(rid)


def _is_note(value: object) -> bool:
    """Footnote or legend rows below a table ("1) Без учета ...", "... - Данные не ...")."""
    return isinstance(value, str) and bool(
        re.match(
            r"\s*(\d+\)?\s|\d+\)|\.\.\.|…|примечание|организаций, в соответствии|информация по показателю|[¾_—–-]{3,})",
            value,
            re.IGNORECASE,
        )
    )


class _Collector:
    """Tidy records and import-log entries of one importer run."""

    def __init__(self, table: str, log: list | None):
        self.table = table
        self.records: list[dict] = []
        self.log = log if log is not None else []
        self.seen: dict[tuple, tuple] = {}

    def note(self, source: str, row: int | None, action: str, reason: str) -> None:
        self.log.append(
            {"table": self.table, "source": source, "row": row, "action": action, "reason": reason}
        )

    def add(
        self,
        sheet: _Sheet,
        row: int,
        rid: str,
        year: int,
        activity: str,
        okved: str,
        value: float,
        unit: str,
        source: str | None = None,
    ) -> None:
        key, where = (rid, year, activity, okved), (sheet.name, row)
        if self.seen.setdefault(key, where) != where:
            first = self.seen[key]
            raise sheet.error(
                f"a second row for {rid}, {year}, {activity} (first: sheet {first[0]!r}, row {first[1]})",
                row,
                expected="each region once per table",
                found=rid,
            )
        self.records.append(
            {
                "region_id": rid,
                "year": year,
                "activity": activity,
                "okved": okved,
                "value": value,
                "unit": unit,
                "source": source or sheet.source(),
            }
        )

    def frame(self) -> pd.DataFrame:
        reg = regions.load_registry().set_index("id")
        df = pd.DataFrame(
            self.records, columns=["region_id", "year", "activity", "okved", "value", "unit", "source"]
        )
        df["okato"] = df["region_id"].map(reg["okato"])
        df["region"] = df["region_id"].map(reg["name_ru"])
        df["year"] = df["year"].astype(int)
        # Excel stores 16.7 as 16.700000000000003; Rosstat publishes at most 3 decimals.
        df["value"] = df["value"].astype(float).round(6)
        df = df[COLUMNS].sort_values(["region_id", "year", "okved", "activity", "source"], kind="mergesort")
        return df.reset_index(drop=True)


def _not_a_region(coll: _Collector, sheet: _Sheet, row: int, kind: str, what: str) -> bool:
    """True for rows that are not one of today's regions: federal districts (counted by the
    caller, logged once per sheet) and okrugs merged into their region before 2008 (logged here)."""
    if kind == "former_okrug":
        coll.note(
            sheet.source(),
            row,
            "skipped",
            f"{what}: okrug merged into its region before 2008, not one of today's 85 regions",
        )
    return kind in ("federal_district", "former_okrug")


def _label_text(label: object) -> str:
    """A row label without outer spaces, for the import log. Labels are text; a number that names
    a region by its code has no ``.strip()`` and raises AttributeError here, as it always did."""
    if not isinstance(label, str):
        raise AttributeError(f"{type(label).__name__!r} object has no attribute 'strip'")
    return label.strip()


def _rows_of(
    coll: _Collector,
    sheet: _Sheet,
    first: int,
    label_col: int,
    value_cols: list[tuple[int, int, str, str]],
    unit: str,
    skip_labels: tuple[str, ...] = (),
    times_as_percent: bool = False,
) -> None:
    """Read the data rows of a region-by-column table.

    From ``first`` down: a row label in ``label_col``, values in ``value_cols`` given as
    ``(column, year, activity, okved)``. The table ends at the first empty label or footnote;
    below it no region label may follow (that would be a shifted or split table). Federal
    districts and former okrugs are dropped; formula cells and all-empty rows are logged.
    """
    kinds_skipped = 0
    end = None
    for r in range(first, len(sheet) + 1):
        label = sheet.cell(r, label_col)
        if label is None or (isinstance(label, str) and not label.strip()) or _is_note(label):
            end = r
            break
        if isinstance(label, str) and _text(label).rstrip(":") in skip_labels:
            continue  # "в том числе:" heading lines
        rid, kind = _place(sheet, r, label_col, label)
        if _not_a_region(coll, sheet, r, kind, repr(label)):
            kinds_skipped += kind == "federal_district"
            continue
        if kind not in KEEP_KINDS:  # pragma: no cover - registry kinds are closed
            raise sheet.error(f"row of unexpected kind {kind!r}", r, label_col)
        cells = [
            (c, y, a, o, *_number(sheet, r, c, times_as_percent=times_as_percent))
            for c, y, a, o in value_cols
        ]
        times = [(sheet.cell(r, c), v) for c, _, _, _, v, k in cells if k == "times"]
        if times:
            coll.note(
                sheet.source(),
                r,
                "converted",
                f"{_label_text(label)!r}: {len(times)} cell(s) written as a multiple of the previous year "
                f"read as per cent (e.g. {times[0][0]!r} as {times[0][1]:g})",
            )
        formulas = [sheet.cell(r, c) for c, _, _, _, _, k in cells if k == "formula"]
        if all(k not in ("num", "times") for *_, k in cells):
            why = (
                f"only formula cells (e.g. {formulas[0]!r}; in the GVA file the "
                "repository author's), no published value"
                if formulas
                else "no value in any column"
            )
            coll.note(sheet.source(), r, "skipped", f"{_label_text(label)!r}: {why}")
            continue
        if formulas:
            coll.note(
                sheet.source(),
                r,
                "ignored_cells",
                f"{_label_text(label)!r}: {len(formulas)} formula cell(s) (e.g. "
                f"{formulas[0]!r}), not published values, read as missing",
            )
        for _c, y, a, o, v, _ in cells:
            coll.add(sheet, r, rid, y, a, o, v, unit)
    if kinds_skipped:
        coll.note(sheet.source(), None, "skipped", f"{kinds_skipped} federal-district rows (not regions)")
    if end is not None:
        for r in range(end, len(sheet) + 1):
            label = sheet.cell(r, label_col)
            if label is not None and not _is_note(label) and regions.match_name(label):
                raise sheet.error(
                    "a region row below the end of the table (an empty row inserted into the table?)",
                    r,
                    label_col,
                    expected="footnotes or nothing after the table",
                    found=label,
                )


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
    coll = _Collector("gva_structure", log)
    book = _workbook(path)
    for year in range(2009, 2023):
        _need(book, path, str(year))
    for name, sheet in book.items():
        if not re.fullmatch(r"\d{4}", name.strip()):
            coll.note(sheet.source(), None, "skipped", "sheet name is not a year")
            continue
        year = int(name)
        title = _check_text(sheet, 2, 1, "Отраслевая структура валовой добавленной стоимости", "title")
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
        _check_text(sheet, 3, 2, "Валовая добавленная стоимость в основных ценах", "GVA total header")
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
            if not _same_name(desc, expected[letter][0]):
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
        _rows_of(coll, sheet, first, 1, value_cols, "percent of total GVA")
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
    coll = _Collector("population", log)
    book = _workbook(path)
    meta = _need(book, path, "Установленные разрезы")
    _check_text(meta, 1, 0, "Численность постоянного населения в среднем за год", "indicator")
    _check_text(meta, 2, 0, "ЕДИНИЦА ИЗМЕРЕНИЯ", "unit label")
    _check_text(meta, 2, 1, "Человек", "unit (persons)")
    sheet = _need(book, path, "Отчет")
    for col, want in ((0, "OKATO"), (1, "OKATO_id")):
        if str(sheet.cell(1, col) or "").strip() != want:
            raise sheet.error(
                "header not found where expected", 1, col, expected=repr(want), found=sheet.cell(1, col)
            )
    ncols = 2
    while sheet.cell(1, ncols) is not None:
        ncols += 1
    years = _years(sheet, 1, list(range(2, ncols)))
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
        by_name, kind = _place(sheet, r, 0, name)
        if by_name != rid:
            raise sheet.error(
                f"name and OKATO code disagree ({by_name} vs {rid})",
                r,
                0,
                expected=f"the name of OKATO {code}",
                found=name,
            )
        if _not_a_region(coll, sheet, r, kind, f"{name!r} (OKATO {code})"):
            kinds_skipped += kind == "federal_district"
            continue
        zeros = []
        for i, y in enumerate(years):
            v, kind_v = _number(sheet, r, 2 + i)
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
    coll = _Collector("grp", log)
    book = _workbook(path)
    total, names = _need(book, path, "Total"), _need(book, path, "Per Capita")
    ncols = 1
    while total.cell(1, ncols) is not None:
        ncols += 1
    for sh in (total, names):
        if str(sh.cell(1, 0) or "").strip() != "OKATO":
            raise sh.error("header not found where expected", 1, 0, expected="'OKATO'", found=sh.cell(1, 0))
    years = _years(total, 1, list(range(1, ncols)))
    if _years(names, 1, list(range(1, ncols))) != years:  # pragma: no cover - same check
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
        cells = [(c, *_number(total, r, c)) for c in range(1, ncols)]
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
        rid, kind = _place(names, r, 0, label)
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
    coll = _Collector("grp_rr2019", log)
    sheet = _need(_workbook(path, full=("9.1.",)), path, "9.1.")
    _check_text(sheet, 3, 0, "9.1. ВАЛОВОЙ РЕГИОНАЛЬНЫЙ ПРОДУКТ", "table title")
    _check_text(sheet, 4, 0, "миллионов рублей", "unit")
    ncols = 1
    while sheet.cell(5, ncols) is not None:
        ncols += 1
    years = _years(sheet, 5, list(range(1, ncols)))
    _check_text(
        sheet,
        6,
        0,
        "Валовой региональный продукт по субъектам Российской Федерации",
        "total row (first data row)",
    )
    cols = [(1 + i, y, "total", "") for i, y in enumerate(years)]
    for c, y, a, o in cols:
        v, _ = _number(sheet, 6, c)
        coll.add(sheet, 6, "russia", y, a, o, v, "mln RUB")
    _rows_of(coll, sheet, 7, 0, cols, "mln RUB", skip_labels=("в том числе",))
    return coll.frame()


# --- shipments ------------------------------------------------------------------------------

_SHIPMENT_SHEETS = {  # sheet -> (OKVED-2007 section, the activity named in the title)
    "1": ("C", "Добыча полезных ископаемых"),
    "2": ("D", "Обрабатывающие производства"),
    "3": ("E", "Производство и распределение электроэнергии, газа и воды"),
}


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
    coll = _Collector("shipments", log)
    book = _workbook(path)
    for name, (section, activity) in _SHIPMENT_SHEETS.items():
        sheet = _need(book, path, name)
        _check_text(sheet, 2, 0, "Объем отгруженных товаров собственного производства", "title")
        _check_text(sheet, 2, 0, f'"{activity}"', f"activity of sheet {name} in the title")
        _check_text(sheet, 2, 0, "млн.руб", "unit (mln RUB)")
        ncols = 1
        while _year(sheet.cell(3, ncols)) is not None:
            ncols += 1
        years = _years(sheet, 3, list(range(1, max(ncols, 2))))
        if regions.match_name(sheet.cell(4, 0)) != "russia":
            raise sheet.error(
                "the first data row is not the Russian Federation (shifted rows?)",
                4,
                0,
                expected="'Российская Федерация'",
                found=sheet.cell(4, 0),
            )
        cols = [(1 + i, y, section, "OKVED2007") for i, y in enumerate(years)]
        _rows_of(coll, sheet, 4, 0, cols, "mln RUB")
    return coll.frame()


# --- fixed assets ---------------------------------------------------------------------------

_FA_UNITS = {"млн рублей": "mln RUB", "тыс. рублей": "thousand RUB", "тыс рублей": "thousand RUB"}
_FA_TITLE = "Наличие основных фондов на конец года по полной учетной стоимости"


def _fa_unit(sheet: _Sheet) -> str:
    title = _check_text(sheet, 2, 0, _FA_TITLE, "title")
    for ru, unit in _FA_UNITS.items():
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
    coll = _Collector("fixed_assets", log)
    book = _workbook(path, full=("1", "2"))
    s1, s2 = _need(book, path, "1"), _need(book, path, "2")
    for sh in (s1, s2):
        _check_text(sh, 2, 0, "по полному кругу организаций", "all-organisations title")
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
    years = _years(s1, 3, list(range(1, ncols)))
    if regions.match_name(s1.cell(4, 0)) != "russia":
        raise s1.error(
            "the first data row is not the Russian Federation (shifted rows?)",
            4,
            0,
            expected="'Российская Федерация'",
            found=s1.cell(4, 0),
        )
    _rows_of(coll, s1, 4, 0, [(1 + i, y, "total", "") for i, y in enumerate(years)], "mln RUB")
    # sheet 2: by OKVED2 section, blocks of 20 columns per year
    sections = [s for s in GVA_ACTIVITIES["OKVED2"] if s != "T"]
    block = ["total", *sections]
    cols: list[tuple[int, int, str, str]] = []
    c = 1
    while s2.cell(3, c) is not None:
        year = _year(s2.cell(3, c))
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
            if not _same_name(head, want):
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
    _rows_of(coll, s2, 5, 0, cols, "mln RUB")
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
    coll = _Collector("production_index", log)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "file is not UTF-8", expected="UTF-8 text") from None
    rows = list(csv.reader(io.StringIO(text)))
    sheet = _Sheet(path, None, rows)  # messages name the CSV row (header = row 1) and column
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
        rid, kind = _place(sheet, 1, j, label)
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


# --- all tables -----------------------------------------------------------------------------


# --- appendix to «Регионы России» (edition with data to 2021) -------------------------------


def _appendix_sheet(
    coll: _Collector,
    book: dict[str, _Sheet],
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
    sheet = _need(book, path, name)
    year_row = next(
        (r for r in range(3, 12) if _year(sheet.cell(r, 1)) is not None and sheet.cell(r, 0) is None), None
    )
    if year_row is None:
        raise sheet.error("no row of years found in rows 3-11", 3, 1, expected="a row of years from column B")
    heading = " ".join(_text(sheet.cell(r, 0)) for r in range(1, year_row))
    for must, what in ((title, "table title"), (unit_text, "unit")):
        if _text(must) not in heading:
            raise sheet.error(
                f"{what} not found above the years (renamed or another table?)",
                year_row - 1,
                0,
                expected=f"text containing {must!r}",
                found=sheet.cell(year_row - 1, 0),
            )
    ncols = 1
    while _year(sheet.cell(year_row, ncols)) is not None:
        ncols += 1
    years = _years(sheet, year_row, list(range(1, ncols)))
    cols = [(1 + i, y, activity, okved) for i, y in enumerate(years)]
    first = year_row + 1
    if total_label is not None:
        _check_text(sheet, first, 0, total_label, "total row (first data row)")
        for c, y, a, o in cols:
            v, _ = _number(sheet, first, c, times_as_percent=times_as_percent)
            coll.add(sheet, first, "russia", y, a, o, v, unit)
        first += 1
    _rows_of(
        coll, sheet, first, 0, cols, unit, skip_labels=("в том числе",), times_as_percent=times_as_percent
    )


# sheet -> (title text, activity, OKVED edition)
_INDEX_SHEETS = {
    "12.3.1.": ("12.3.1. В соответствии с ОКВЭД (2000-2016", "industry", "OKVED2007"),
    "12.4.1.": ("«Добыча полезных ископаемых»", "mining", "OKVED2007"),
    "12.5.1.": ("«Обрабатывающие производства»", "manufacturing", "OKVED2007"),
    "12.6.": ("«Производство и распределение электроэнергии, газа и воды»", "utilities", "OKVED2007"),
    "12.3.2.": ("12.3.2. В соответствии с ОКВЭД", "industry", "OKVED2"),
    "12.4.2.": ("«Добыча полезных ископаемых»", "mining", "OKVED2"),
    "12.5.2.": ("«Обрабатывающие производства»", "manufacturing", "OKVED2"),
    "12.7.": ("«Обеспечение электрической энергией, газом и паром", "energy", "OKVED2"),
    "12.8.": ("«Водоснабжение; водоотведение", "water_waste", "OKVED2"),
}


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
    coll = _Collector("production_indices", log)
    book = _workbook(path, full=tuple(_INDEX_SHEETS))
    for name, (title, activity, okved) in _INDEX_SHEETS.items():
        _appendix_sheet(
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


# sheet -> (title text, OKVED2 section)
_SHIPMENT_OKVED2_SHEETS = {
    "12.2.2.": ("12.2.2. «Добыча полезных ископаемых»", "B"),
    "12.2.4.": ("12.2.4. «Обрабатывающие производства»", "C"),
    "12.2.6.": ("12.2.6. «Обеспечение электрической энергией, газом и паром", "D"),
    "12.2.7.": ("12.2.7. «Водоснабжение; водоотведение", "E"),
}


def shipments_okved2(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Shipped goods of own production, works and services, mln RUB in current prices, by OKVED2
    section (B mining, C manufacturing, D electricity, gas and steam, E water supply and waste),
    Russia and every region, 2017-2021 (tables 12.2.2, 12.2.4, 12.2.6, 12.2.7 of the appendix to
    «Регионы России»). Continues :func:`shipments` (OKVED-2007 sections C, D, E, 2005-2016) in the
    other classification: the letters mean other activities, so ``okved`` always goes with them.
    """
    path = Path(path) if path is not None else RAW_ROSSTAT / RR2022_INDUSTRY_FILE
    coll = _Collector("shipments_okved2", log)
    book = _workbook(path, full=tuple(_SHIPMENT_OKVED2_SHEETS))
    for name, (title, letter) in _SHIPMENT_OKVED2_SHEETS.items():
        _appendix_sheet(coll, book, path, name, title, "миллионов рублей", "mln RUB", letter, "OKVED2")
    return coll.frame()


@dataclass(frozen=True)
class _OneSheet:
    """A table of the appendix to «Регионы России» that is one sheet with one quantity: where it is,
    how its title rows read, and what it becomes (see :func:`_appendix_sheet`)."""

    file: str
    sheet: str
    title: str
    unit_text: str
    unit: str
    activity: str
    total_label: str | None = None
    times_as_percent: bool = False


def _one_sheet(name: str, spec: _OneSheet, path: Path | None, log: list | None) -> pd.DataFrame:
    path = Path(path) if path is not None else RAW_ROSSTAT / spec.file
    coll = _Collector(name, log)
    book = _workbook(path, full=(spec.sheet,))
    _appendix_sheet(
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


_ONE_SHEET = {
    "rail_dispatch": _OneSheet(
        RR2022_TRANSPORT_FILE,
        "16.1.",
        "ОТПРАВЛЕНИЕ ГРУЗОВ ЖЕЛЕЗНОДОРОЖНЫМ ТРАНСПОРТОМ",
        "миллионов тонн",
        "million t",
        "rail_dispatch",
    ),
    "grp_volume_index": _OneSheet(
        RR2022_GRP_FILE,
        "8.3.",
        "8.3. ИНДЕКС ФИЗИЧЕСКОГО ОБЪЕМА ВАЛОВОГО РЕГИОНАЛЬНОГО ПРОДУКТА",
        "в процентах к предыдущему году",
        "percent of previous year",
        "grp_volume",
        total_label="Валовой региональный продукт по субъектам Российской Федерации",
        times_as_percent=True,
    ),
    "employment_total": _OneSheet(
        RR2022_LABOUR_FILE,
        "2.3.",
        "2.3. СРЕДНЕГОДОВАЯ ЧИСЛЕННОСТЬ ЗАНЯТЫХ",
        "тысяч человек",
        "thousand persons",
        "total",
    ),
    "investment_total": _OneSheet(
        RR2022_INVESTMENT_FILE,
        "10.1.",
        "10.1. ИНВЕСТИЦИИ В ОСНОВНОЙ КАПИТАЛ",
        "миллионов рублей",
        "mln RUB",
        "total",
    ),
    "turnover_total": _OneSheet(
        RR2022_ENTERPRISES_FILE, "11.2.", "11.2. ОБОРОТ ОРГАНИЗАЦИЙ", "миллиардов рублей", "bn RUB", "total"
    ),
}


def rail_dispatch(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Freight dispatched by public rail transport, million tonnes, Russia and every region,
    2000-2021 (table 16.1 of the appendix to «Регионы России»).

    Dispatch is all loading in the region, shipments to places inside it included; it is not the
    inter-regional outflow («вывоз») of the paper's Table 4. Source:
    ``data/raw/rosstat/rr2022_section16_transport.xlsx``, sheet «16.1.».
    """
    return _one_sheet("rail_dispatch", _ONE_SHEET["rail_dispatch"], path, log)


def grp_volume_index(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Physical volume index of GRP (constant prices, per cent of the previous year), Russia (the
    total over regions) and every region, 2000-2020 (table 8.3 of the appendix to «Регионы
    России»): a volume measure to set beside GVA shares in current prices."""
    return _one_sheet("grp_volume_index", _ONE_SHEET["grp_volume_index"], path, log)


def employment_total(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Average annual number of employed, thousand persons, Russia and every region, 2000-2021
    (table 2.3 of the appendix; totals only, no breakdown by activity)."""
    return _one_sheet("employment_total", _ONE_SHEET["employment_total"], path, log)


def investment_total(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Fixed-capital investment, mln RUB in current prices, Russia and every region, 2000-2021
    (table 10.1 of the appendix; totals only)."""
    return _one_sheet("investment_total", _ONE_SHEET["investment_total"], path, log)


def turnover_total(path: Path | None = None, log: list | None = None) -> pd.DataFrame:
    """Turnover of organisations, bn RUB, Russia and every region, 2005-2021 (table 11.2 of the
    appendix; totals only). Formula cells someone added to federal-district rows are logged."""
    return _one_sheet("turnover_total", _ONE_SHEET["turnover_total"], path, log)


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
