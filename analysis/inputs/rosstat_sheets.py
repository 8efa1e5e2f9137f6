"""Reading Rosstat's workbooks: a sheet's cells, its header texts and years, its numbers, its
region rows.

:func:`workbook` verifies a file's checksum and reads its sheets; :class:`Sheet` gives their
cells and builds errors that name file, sheet, row and column as Excel shows them; the text and
number readers normalise headers and read Rosstat's ways of writing a missing value or a multiple
("…", "-", "в 3.1 р."); :func:`place` finds a row label in the region registry. :func:`region_rows`
reads the data rows of a region-by-column table into a :class:`Collector`, which gathers one
importer's tidy records and import-log entries: what is left out (federal districts, former
okrugs, formula cells, rows without a value) is logged, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError
from analysis.core.sources import verify
from analysis.inputs import regions
from analysis.inputs.rosstat_layouts import COLUMNS, KEEP_KINDS

# "…", "...", dashes or nothing, optionally followed by a footnote mark ("… 3", "-1)").
_MISSING = re.compile(r"(?:…|\.\.\.|-|–|—)?(?:\s*\d+\)|\s+\d+)?")


class Sheet:
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


def workbook(path: Path, full: tuple[str, ...] | None = None) -> dict[str, Sheet]:
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
            ws.title: Sheet(
                path,
                ws.title,
                list(ws.iter_rows(max_row=None if full is None or ws.title in full else 2, values_only=True)),
            )
            for ws in wb.worksheets
        }
    finally:
        wb.close()


def need_sheet(book: dict[str, Sheet], path: Path, name: str) -> Sheet:
    if name not in book:
        raise InputError(
            path,
            f"sheet {name!r} is missing",
            sheet=name,
            expected=f"a sheet named {name!r}",
            found=", ".join(book),
        )
    return book[name]


def norm_text(value: object) -> str:
    """Normalised header text: NFKC, lower case, ё→е, footnote marks dropped, spaces collapsed."""
    s = unicodedata.normalize("NFKC", "" if value is None else str(value)).casefold()
    s = s.replace("ё", "е")
    s = re.sub(r"\d+\)", " ", s)
    s = re.sub(r"\s+", " ", s)
    return re.sub(r"\s+([,;.)])", r"\1", s).strip()


def same_name(found: object, expected: str) -> bool:
    """Header text equal to ``expected`` up to spacing, footnotes, truncation or a typo."""
    f, e = norm_text(found), norm_text(expected)
    if not f:
        return False
    return f == e or (len(f) >= 15 and e.startswith(f)) or difflib.SequenceMatcher(None, f, e).ratio() >= 0.9


def check_text(sheet: Sheet, row: int, col: int, must_contain: str, what: str) -> str:
    value = sheet.cell(row, col)
    if norm_text(must_contain) not in norm_text(value):
        raise sheet.error(
            f"{what} not found where expected (renamed header or shifted rows?)",
            row,
            col,
            expected=f"text containing {must_contain!r}",
            found=value,
        )
    return str(value)


def year_of(value: object) -> int | None:
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


def misprinted_years(sheet: Sheet, row: int) -> dict[int, int]:
    """Columns of ``row`` whose header is a year misprinted with a doubled zero, between the two
    years it must stand for (sheet 12.10 prints 2009 as 20009 between 2008 and 2010), with that
    year. Only this pattern: any other bad header stays an error of :func:`years_in`."""
    width = len(sheet.rows[row - 1]) if 1 <= row <= len(sheet) else 0
    out = {}
    for c in range(2, width - 1):
        before, after = year_of(sheet.cell(row, c - 1)), year_of(sheet.cell(row, c + 1))
        found = norm_text(sheet.cell(row, c))
        misprint = found.replace("00", "0", 1) == str(before + 1) if before is not None else False
        if misprint and after == (before or 0) + 2 and year_of(found) is None:
            out[c] = (before or 0) + 1
    return out


def years_in(
    sheet: Sheet, row: int, cols: list[int], misprints: Mapping[int, int] | None = None
) -> list[int]:
    """Consecutive years in ``cols`` of ``row`` (``misprints``: columns whose header is a known
    misprint of a year, :func:`misprinted_years`), or an error naming the first bad cell."""
    out: list[int] = []
    for c in cols:
        y = (misprints or {}).get(c) or year_of(sheet.cell(row, c))
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


def number(sheet: Sheet, row: int, col: int, *, times_as_percent: bool = False) -> tuple[float, str]:
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


def place(sheet: Sheet, row: int, col: int, label: object) -> tuple[str, str]:
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


def is_note(value: object) -> bool:
    """Footnote or legend rows below a table ("1) Без учета ...", "... - Данные не ...")."""
    return isinstance(value, str) and bool(
        re.match(
            r"\s*(\d+\)?\s|\d+\)|\.\.\.|…|примечание|организаций, в соответствии|информация по показателю|[¾_—–-]{3,})",
            value,
            re.IGNORECASE,
        )
    )


class Collector:
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
        sheet: Sheet,
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


def not_a_region(coll: Collector, sheet: Sheet, row: int, kind: str, what: str) -> bool:
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


def region_rows(
    coll: Collector,
    sheet: Sheet,
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
        if label is None or (isinstance(label, str) and not label.strip()) or is_note(label):
            end = r
            break
        if isinstance(label, str) and norm_text(label).rstrip(":") in skip_labels:
            continue  # "в том числе:" heading lines
        rid, kind = place(sheet, r, label_col, label)
        if not_a_region(coll, sheet, r, kind, repr(label)):
            kinds_skipped += kind == "federal_district"
            continue
        if kind not in KEEP_KINDS:  # pragma: no cover - registry kinds are closed
            raise sheet.error(f"row of unexpected kind {kind!r}", r, label_col)
        cells = [
            (c, y, a, o, *number(sheet, r, c, times_as_percent=times_as_percent)) for c, y, a, o in value_cols
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
            if label is not None and not is_note(label) and regions.match_name(label):
                raise sheet.error(
                    "a region row below the end of the table (an empty row inserted into the table?)",
                    r,
                    label_col,
                    expected="footnotes or nothing after the table",
                    found=label,
                )
