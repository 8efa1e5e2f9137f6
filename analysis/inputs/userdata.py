"""A user's own inputs for a region: ``data/user/<region>/`` (see ``data/README.md``).

The paper publishes, for Kemerovo region only, numbers that Rosstat's shipped files do not hold:
the clusters, rail freight by cargo, output of products, coal shipped out of the region, and
turnover, investment, employment and fixed assets by activity. To rerun those steps for another
region a user fills in the CSV templates of ``data/user/_template/`` and puts them, with a
``region.yml`` saying which region and where the numbers come from, into ``data/user/<region id>/``:

=====================  ==========================================================  ==========
file                   what                                                        used by
=====================  ==========================================================  ==========
``region.yml``         region (id or name), source; optional years, notes          every step
``clusters.csv``       one row per cluster: name, founded, related activities      02
``cluster_facts.csv``  members by kind, SME share, employees (one value a row)     02
``freight.csv``        rail freight in/out by cargo: volume, share of Russia, rank 05
``production.csv``     output of products, region and Russia, by year              04
``shipments_out.csv``  products shipped out of the region, domestic/export         04
``activity_bases.csv`` turnover, investment, employment, fixed assets by activity  06 (and 02)
=====================  ==========================================================  ==========

Every file is optional: :func:`load` returns ``None`` for a file the user did not supply and the
step skips what needs it. A file that is there is validated in full; bad input raises
:class:`~analysis.core.errors.InputError` naming the file, the row (as a spreadsheet shows it: the
header is row 1) and the column. User folders are not immutable raw data, so no ``SHA256SUMS``
is kept; instead the SHA-256 of every file read is recorded in the frame's
``.attrs["sha256"]`` (and the file in ``.attrs["file"]``, the spreadsheet row of each frame row in
``.attrs["rows"]``) for the run's record.

Command line: ``python -m analysis check-inputs <region> [--folder PATH]`` lists what is
present and missing and validates it (exit 2 on bad input).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ParamSpec, TextIO, TypedDict, TypeVar

import pandas as pd
import yaml

from analysis.core import paths, provenance
from analysis.core.errors import InputError
from analysis.core.sources import (
    Column,
    Schema,
    _decode,
    _dialect,
    check_categories,
    check_size,
    parse,
    read_csv,
    sha256,
)
from analysis.inputs.regions import resolve

YML = "region.yml"
TEMPLATE_FOLDER = "_template"
EXAMPLE_FOLDER = "example_region"
YEAR_MIN, YEAR_MAX = 1990, 2030
EXAMPLE_MARK = "example row"  # in any cell (case-insensitive): a template row left in
SYNTHETIC_MARK = "synthetic example"  # in source: the worked example's invented numbers
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")
CHECKED_SUFFIXES = (".csv", ".yml", ".yaml", ".tsv")  # other files of these kinds are errors
YML_KEYS = {"region": True, "source": True, "years": False, "notes": False}  # name: required
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.]*$")
ID_EXPECTED = "an id: Latin letters, digits, '_' or '.', no spaces (e.g. coal, all_cargo, B)"
_RTOL = 1e-9  # a part may exceed its total by this relative amount (float noise only)
_P = ParamSpec("_P")
_T = TypeVar("_T")

BASES = ("turnover", "investment", "employment", "fixed_assets")
DIRECTIONS = ("in", "out")
DESTINATIONS = ("domestic", "export")
FREIGHT_QUANTITIES = ("volume", "share_of_russia", "rank")
MEMBER_QUANTITIES = (
    "anchor_participants",
    "sme_participants",
    "education_organisations",
    "research_organisations",
    "foreign_participants",
    "other_participants",
)
FACT_QUANTITIES = ("participants", *MEMBER_QUANTITIES, "sme_share", "employees")
QUALIFIERS = (">", ">=", "<", "<=", "~")
LINKS = ("yes", "no", "not_assessed")

# Accepted spellings of the unit of each quantity -> the canonical unit.
FREIGHT_UNITS = {
    "volume": {"thousand t": "thousand t", "тыс. т": "thousand t"},
    "share_of_russia": {"percent": "percent", "%": "percent"},
    "rank": {"rank": "rank", "место": "rank"},
}
_COUNT_UNITS = {"organisations": "organisations", "организаций": "organisations"}
FACT_UNITS = {
    **dict.fromkeys(("participants", *MEMBER_QUANTITIES), _COUNT_UNITS),
    "sme_share": {"percent": "percent", "percent of participants": "percent", "%": "percent"},
    "employees": {
        "persons": "persons",
        "чел.": "persons",
        "thousand persons": "thousand persons",
        "тыс. чел.": "thousand persons",
    },
}


def _year(name: str = "year", *, required: bool = True, nullable: bool = False) -> Column:
    return Column(name, "int", required=required, nullable=nullable, min=YEAR_MIN, max=YEAR_MAX)


def _opt(name: str, *, choices: tuple[object, ...] | None = None) -> Column:
    return Column(name, required=False, nullable=True, choices=choices)


SOURCE, NOTE = Column("source"), _opt("note")

SCHEMAS: dict[str, Schema] = {
    "clusters": Schema(
        (
            Column("cluster_id"),
            Column("name"),
            _opt("name_en"),
            _year("founded", required=False, nullable=True),
            Column("related_activities"),
            _opt("linked_to_specialisation", choices=LINKS),
            _opt("status"),
            SOURCE,
            NOTE,
        ),
        unique=("cluster_id",),
    ),
    "cluster_facts": Schema(
        (
            Column("cluster_id"),
            Column("quantity", choices=FACT_QUANTITIES),
            _year(required=False, nullable=True),
            Column("value", "float", min=0),
            Column("unit"),
            _opt("qualifier", choices=QUALIFIERS),
            SOURCE,
            NOTE,
        ),
        unique=("cluster_id", "quantity", "year"),
    ),
    "freight": Schema(
        (
            Column("cargo"),
            _opt("cargo_label"),
            Column("direction", choices=DIRECTIONS),
            _year(),
            Column("quantity", choices=FREIGHT_QUANTITIES),
            Column("value", "float", min=0),
            Column("unit"),
            SOURCE,
            NOTE,
        ),
        unique=("cargo", "direction", "year", "quantity"),
    ),
    "production": Schema(
        (
            Column("product"),
            _opt("product_label"),
            _year(),
            Column("region_value", "float", min=0),
            Column("russia_value", "float", min=0),
            Column("unit"),
            SOURCE,
            NOTE,
        ),
        unique=("product", "year"),
    ),
    "shipments_out": Schema(
        (
            Column("product"),
            _opt("product_label"),
            _year(),
            Column("destination", choices=DESTINATIONS),
            Column("value", "float", min=0),
            Column("unit"),
            SOURCE,
            NOTE,
        ),
        unique=("product", "year", "destination"),
    ),
    "activity_bases": Schema(
        (
            Column("activity"),
            _opt("activity_label"),
            _opt("parent"),
            Column("basis", choices=BASES),
            _year(),
            Column("region_value", "float", min=0),
            Column("russia_value", "float", min=0),
            Column("unit"),
            SOURCE,
            NOTE,
        ),
        unique=("activity", "basis", "year"),
    ),
}
NAMES = tuple(SCHEMAS)
# A file's categories: at most MAX_CATEGORIES per file; a figure draws the largest (core.topn).
CATEGORY = {
    "clusters": "cluster_id",
    "cluster_facts": "cluster_id",
    "freight": "cargo",
    "production": "product",
    "shipments_out": "product",
    "activity_bases": "activity",
}
USED_BY = {
    "clusters": "02_cluster_profiling: cluster profiles and their link to the specialisation",
    "cluster_facts": "02_cluster_profiling: members by kind, SME share, employees",
    "freight": "05_freight: rail freight in and out, out/in ratio, implied national totals",
    "production": "04_coefficients: per-capita production coefficients by product",
    "shipments_out": "04_coefficients: regional marketability (needs production.csv too)",
    "activity_bases": "06_localization: location quotients on four bases "
    "(and 02: the clusters' link to the specialisation)",
}


# ------------------------------------------------------------------------------- locations
def folder_of(region_id: str) -> Path:
    """``data/user/<region_id>/``: where the study looks for the user's files of a region."""
    return paths.user_dir(region_id)


def template_folder() -> Path:
    """``data/user/_template/``: the documented templates."""
    return paths.USER / TEMPLATE_FOLDER


def _name(name: str) -> str:
    n = str(name).removesuffix(".csv")
    if n in ("region", "region.yml"):
        return "region"
    if n not in SCHEMAS:
        raise InputError(None, f"unknown user input {name!r}", expected="one of region, " + ", ".join(NAMES))
    return n


def _file(name: str) -> str:
    return YML if name == "region" else f"{name}.csv"


def _rid(region: str) -> str:
    """The registry id of a region given by id or any spelling (notebooks pass ids already)."""

    return resolve(region).id


def _folder(region_id: str, folder: Path | str | None) -> Path:
    return folder_of(region_id) if folder is None else Path(folder)


def _is_study_folder(region_id: str, folder: Path) -> bool:
    return folder.resolve() == folder_of(region_id).resolve()


def available(region_id: str, folder: Path | str | None = None) -> dict[str, bool]:
    """``{"region": bool, "clusters": bool, ...}``: which files the user supplied (not validated)."""
    region_id = _rid(region_id)
    f = _folder(region_id, folder)
    return {n: (f / _file(n)).is_file() for n in ("region", *NAMES)}


# ------------------------------------------------------------------------------ region.yml
def _yml_line(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*{re.escape(str(key))}\s*:", line):
            return i
    return None


def _parse_years(value: object, path: Path, row: int | None) -> list[int]:
    def bad(found: object) -> InputError:
        return InputError(
            path,
            "years are not understood",
            row=row,
            column="years",
            expected=f"a year, a list of years or 'YYYY-YYYY', {YEAR_MIN}-{YEAR_MAX}",
            found=found,
        )

    if isinstance(value, bool):
        raise bad(value)
    if isinstance(value, int):
        years = [value]
    elif isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})\s*[-\u2013]\s*(\d{4})\s*", value)
        if not m or int(m.group(1)) > int(m.group(2)):
            raise bad(value)
        years = list(range(int(m.group(1)), int(m.group(2)) + 1))
    elif (
        isinstance(value, list)
        and value
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        years = sorted(set(value))
    else:
        raise bad(value)
    for y in years:
        if not YEAR_MIN <= y <= YEAR_MAX:
            raise InputError(
                path, "year out of range", row=row, column="years", expected=f"{YEAR_MIN}-{YEAR_MAX}", found=y
            )
    return years


# What PyYAML was reading when it failed -> (the mistake, its fix), reported at the line where
# that started: PyYAML notices an unclosed quote or bracket, or a missing ':', lines later.
_YAML_OPENED = {
    "while scanning a quoted scalar": (
        "a quote opened here is not closed",
        'the closing quote on the same line (source: "...")',
    ),
    "while scanning a simple key": (
        "a line without ':' after its key",
        "'key: value', a colon and a space after the key",
    ),
    "while parsing a flow sequence": (
        "a '[' opened here is not closed",
        "a list closed on the same line, e.g. years: [2014, 2015]",
    ),
    "while parsing a flow mapping": (
        "a '{' opened here is not closed",
        "plain 'key: value' lines; quote a value that starts with '{'",
    ),
}


def _yaml_error(path: Path, text: str, exc: yaml.YAMLError) -> InputError:
    """A region.yml that is not YAML, at the line of the mistake and with its fix."""
    lines = text.splitlines()
    mark = getattr(exc, "problem_mark", None)
    opened = getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or str(exc).splitlines()[0])
    context = str(getattr(exc, "context", None) or "")
    row = mark.line + 1 if mark is not None else None

    def line(n: int | None) -> str | None:
        return lines[n - 1] if n is not None and 0 < n <= len(lines) else None

    found = line(row)
    if found is not None and "\t" in found and "'\\t'" in problem:
        return InputError(
            path,
            "not valid YAML: a tab character"
            + (f" (character {mark.column + 1})" if mark is not None else ""),
            row=row,
            expected="spaces: replace the tab by spaces (YAML allows no tabs for indentation or around ':')",
            found=found,
        )
    if context in _YAML_OPENED and opened is not None and row is not None and opened.line + 1 < row:
        what, fix = _YAML_OPENED[context]
        return InputError(
            path,
            f"not valid YAML: {what} (the parser noticed it in row {row})",
            row=opened.line + 1,
            expected=fix,
            found=line(opened.line + 1),
        )
    indented = next(
        (i for i, t in enumerate(lines, start=1) if re.match(rf"^\s+({'|'.join(YML_KEYS)})\s*:", t)), None
    )
    if indented is not None and (row is None or indented <= row):
        return InputError(
            path,
            "not valid YAML: a key indented",
            row=indented,
            expected="every key at the start of its line (delete the spaces before it)",
            found=line(indented),
        )
    hint = {
        "mapping values are not allowed here": "one 'key: value' a line, every key at the start of its "
        "line; quote a value that contains ': ' (source: \"see: p. 5\")",
        "could not find expected ':'": "'key: value', a colon and a space after the key",
    }.get(problem, "'key: value' lines (region, source, years, notes), every key at the start of its line")
    return InputError(path, f"not valid YAML: {problem}", row=row, expected=hint, found=found)


class RegionMeta(TypedDict, total=False):
    """What region.yml says (see :func:`describe`): every key, or none when nothing was supplied."""

    region: str
    region_name_ru: str
    region_name_en: str
    source: str | None
    notes: str | None
    years: list[int] | None
    file: str
    sha256: str


def _read_yml(
    path: Path, region_id: str | None, *, template: bool = False, study_folder: bool = False
) -> RegionMeta:
    """Validate a region.yml; ``region_id=None`` accepts any region (to find a folder's region)."""

    text = _decode(path, path.read_bytes())
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, text, exc) from None
    if not isinstance(data, dict):
        raise InputError(
            path,
            "not a list of 'key: value' lines",
            expected="keys " + ", ".join(YML_KEYS),
            found=type(data).__name__,
        )
    for key in data:
        if key not in YML_KEYS:
            close = difflib.get_close_matches(str(key), list(YML_KEYS), n=1)
            raise InputError(
                path,
                f"unknown key {key!r}" + (f" (misspelt {close[0]!r}?)" if close else ""),
                row=_yml_line(text, key),
                column=str(key),
                expected="only " + ", ".join(YML_KEYS),
            )
    for key, required in YML_KEYS.items():
        if required and (data.get(key) is None or str(data.get(key)).strip() == ""):
            raise InputError(
                path,
                f"required key {key!r} is missing or empty",
                row=_yml_line(text, key),
                column=key,
                expected={
                    "region": "a region id or name, e.g. tomsk or Томская область",
                    "source": "where the numbers come from",
                }[key],
            )
    raw_region = data["region"]
    row = _yml_line(text, "region")
    if not isinstance(raw_region, str):
        raise InputError(
            path,
            "region must be text",
            row=row,
            column="region",
            expected="a region id or name; quote numeric codes ('69000000000')",
            found=raw_region,
        )
    try:
        reg = resolve(raw_region)
    except InputError as exc:
        raise InputError(path, exc.problem, row=row, column="region", expected=exc.expected) from None
    if reg.kind == "country":
        raise InputError(
            path,
            "a user folder holds one region's inputs, not the country's",
            row=row,
            column="region",
            expected="a region",
            found=raw_region,
        )
    if region_id is not None and reg.id != region_id:
        raise InputError(
            path,
            "region.yml names another region than the folder's",
            row=row,
            column="region",
            expected=f"{region_id} (the region this folder is read for)",
            found=f"{raw_region} ({reg.id})",
        )

    def free_text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InputError(
                path,
                f"{key} must be text",
                row=_yml_line(text, key),
                column=key,
                expected="free text (quote it if it starts with a special character)",
                found=value,
            )
        value = value.strip()
        if not template and value.upper().startswith("EXAMPLE"):
            raise InputError(
                path,
                "the template's example text is still there",
                row=_yml_line(text, key),
                column=key,
                expected="your own text",
                found=value[:60],
            )
        if study_folder and key == "source" and SYNTHETIC_MARK in value.lower():
            raise InputError(
                path,
                "source says these are synthetic example numbers, not data",
                row=_yml_line(text, key),
                column=key,
                expected="real data and their source in a region's own folder",
                found=value[:60],
            )
        return value

    years = data.get("years")
    return {
        "region": reg.id,
        "region_name_ru": reg.name_ru,
        "region_name_en": reg.name_en,
        "source": free_text("source"),
        "notes": free_text("notes"),
        "years": None if years is None else _parse_years(years, path, _yml_line(text, "years")),
        "file": paths.rel(path),
        "sha256": sha256(path),
    }


def _meta(region_id: str, folder: Path, *, required: bool) -> RegionMeta:
    path = folder / YML
    if not path.is_file():
        if required:
            raise InputError(
                path,
                "region.yml is missing",
                expected="region.yml next to the CSV files (copy "
                "data/user/_template/region.yml: region and source)",
            )
        return {}
    return _read_yml(path, region_id, study_folder=_is_study_folder(region_id, folder))


def describe(region_id: str, folder: Path | str | None = None) -> RegionMeta:
    """What ``region.yml`` says: ``region`` (id), ``region_name_ru``, ``region_name_en``,
    ``source``, ``years`` (sorted list or None), ``notes``, ``file``, ``sha256``.

    ``{}`` when the user supplied nothing for the region; InputError when CSV files are there
    without a region.yml, or region.yml is invalid or names another region.
    """
    region_id = _rid(region_id)
    f = _folder(region_id, folder)
    have = available(region_id, f)
    return _meta(region_id, f, required=any(have[n] for n in NAMES))


# ------------------------------------------------------------------------------------- CSVs
def _raw_cells(path: Path) -> tuple[list[str], list[int], list[dict[str, str]], str]:
    """Header, spreadsheet row numbers of the data rows, their raw cells, decimal mark.
    Parses exactly as :func:`analysis.core.sources.read_csv` (blank lines skipped)."""
    text = _decode(path, path.read_bytes())
    sep, decimal = _dialect(path, text)
    rows = parse(path, text, sep)
    header = [h.strip() for h in rows[0]] if rows else []
    numbers, cells = [], []
    for i, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        numbers.append(i)
        cells.append(dict(zip(header, (c.strip() for c in row))))
    return header, numbers, cells, decimal


def _check_header(path: Path, schema: Schema) -> None:
    text = _decode(path, path.read_bytes())
    sep, _ = _dialect(path, text)
    header = [h.strip() for h in parse(path, text, sep)[0]]
    seen = set()
    for h in header:
        if h in seen:
            raise InputError(
                path, f"column {h!r} appears twice", row=1, column=h, expected="each column once"
            )
        seen.add(h)
        if h == "":
            raise InputError(path, "a column has no name", row=1, expected=", ".join(schema.names()))
    known = schema.names()
    unknown = [h for h in header if h not in known]
    for col in schema.columns:  # before read_csv, whose hint may name a correct column
        if col.required and col.name not in header:
            close = difflib.get_close_matches(col.name, unknown, n=1, cutoff=0.75)
            raise InputError(
                path,
                f"required column {col.name!r} is missing",
                row=1,
                expected=", ".join(known),
                found=(f"{close[0]!r} (misspelt?)" if close else ", ".join(header)),
            )


def _decimals(token: str, decimal: str) -> int | None:
    t = token.replace("\u00a0", "").replace(" ", "")
    if not t:
        return None
    return len(t.split(decimal, 1)[1]) if decimal in t else 0


class _Rows:
    """Raise InputError at a frame row, by its spreadsheet row number."""

    def __init__(self, path: Path, numbers: list[int], cells: list[dict[str, str]]):
        self.path, self.numbers, self.cells = path, numbers, cells

    def error(
        self, i: int, column: str, problem: str, expected: str | None = None, found: object = None
    ) -> InputError:
        if found is None:
            found = self.cells[i].get(column)
        return InputError(
            self.path, problem, row=self.numbers[i], column=column, expected=expected, found=found
        )


def _read_file(name: str, path: Path, *, template: bool = False, study_folder: bool = False) -> pd.DataFrame:
    schema = SCHEMAS[name]
    check_size(path)  # before even the header is read
    _check_header(path, schema)
    df = read_csv(path, dataclasses.replace(schema, unique=()), check_sum=False)
    check_categories(path, df, CATEGORY[name])
    header, numbers, cells, decimal = _raw_cells(path)
    rows = _Rows(path, numbers, cells)
    _duplicates(df, rows, schema.unique)
    known = schema.names()
    for h in header:  # an optional column misspelt would be silently ignored
        if h not in known:
            close = difflib.get_close_matches(h, known, n=1, cutoff=0.8)
            if close and close[0] not in header:
                raise InputError(
                    path,
                    f"unknown column {h!r} (misspelt {close[0]!r}?)",
                    row=1,
                    column=h,
                    expected=", ".join(known),
                )
    for col in schema.columns:  # optional columns the user left out: present, empty
        if col.name not in df:
            df[col.name] = pd.Series(
                [None] * len(df),
                dtype="Int64" if col.kind == "int" else "float64" if col.kind == "float" else object,
            )
    for col in schema.columns:  # float() accepts 'nan' and 'inf': not numbers for us
        if col.kind == "float":
            for i, v in enumerate(df[col.name]):
                if cells[i].get(col.name, "") != "" and not math.isfinite(v):
                    raise rows.error(
                        i,
                        col.name,
                        "not a finite number",
                        "a number (leave the cell empty only where allowed)",
                    )
    for i, rec in enumerate(cells):
        for column, token in rec.items():
            if not template and EXAMPLE_MARK in token.lower():
                raise rows.error(
                    i,
                    column,
                    "a template example row is still in the file",
                    "your own rows only (delete the rows marked EXAMPLE ROW)",
                    token[:60],
                )
        if study_folder and SYNTHETIC_MARK in rec.get("source", "").lower():
            raise rows.error(
                i,
                "source",
                "row is a synthetic example, not data",
                "real data with their source in a region's own folder",
            )
    _CHECKS[name](df, rows, decimal)
    df.attrs["sha256"] = sha256(path)
    df.attrs["file"] = paths.rel(path)
    df.attrs["rows"] = list(numbers)
    return df


def _duplicates(df: pd.DataFrame, rows: _Rows, key: tuple[str, ...]) -> None:
    """Schema.unique, checked here to say whether the repeated rows also differ in value."""
    seen: dict[tuple, int] = {}
    for i, k in enumerate(zip(*(df[c] for c in key))):
        k = tuple(None if pd.isna(v) else v.item() if hasattr(v, "item") else v for v in k)
        if k in seen:
            j = seen[k]
            same = rows.cells[i] == rows.cells[j]
            where = ", ".join(f"{c}={v!r}" for c, v in zip(key, k))
            raise InputError(
                rows.path,
                f"duplicate rows for the same key ({where})"
                + ("; the row is repeated" if same else " with different values"),
                row=rows.numbers[i],
                expected="one row per " + ", ".join(key),
                found=f"rows {rows.numbers[j]}, {rows.numbers[i]}",
            )
        seen[k] = i


def _ids(df: pd.DataFrame, rows: _Rows, *columns: str, sep: str | None = None) -> None:
    for col in columns:
        for i, v in enumerate(df[col]):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            for tok in str(v).split(sep) if sep else [str(v)]:
                if not ID_RE.match(tok.strip()):
                    raise rows.error(
                        i, col, "not an id", ID_EXPECTED + (f"; several joined by {sep!r}" if sep else "")
                    )


def _rows_list(numbers: list[int], limit: int = 6) -> str:
    shown = ", ".join(map(str, numbers[:limit]))
    return ("row " if len(numbers) == 1 else "rows ") + shown + (", ..." if len(numbers) > limit else "")


def _id_case(
    df: pd.DataFrame, rows: _Rows, *columns: str, sep: str | None = None, reserved: str | None = None
) -> None:
    """One spelling per id: ids are compared ignoring case, so ``Timber`` in one row and ``timber``
    in others would be two series of one cargo. ``columns`` name the same things (``activity`` and
    its ``parent``); ``reserved`` is the id with a meaning (``all_cargo``, ``total``), which must be
    spelt as documented. The spelling to use is the reserved one, else that of most cells."""
    seen: dict[str, dict[str, list[tuple[int, str]]]] = {}  # casefold -> spelling -> cells
    for col in columns:
        for i, v in enumerate(df[col]):
            if pd.isna(v):
                continue
            for tok in str(v).split(sep) if sep else [str(v)]:
                seen.setdefault(tok.strip().casefold(), {}).setdefault(tok.strip(), []).append((i, col))
    bad = []
    for key, spellings in seen.items():
        if reserved is not None and key == reserved.casefold():
            use, why = reserved, f"{reserved!r} is the documented id of the total"
        elif len(spellings) > 1:
            use = max(spellings, key=lambda s: len(spellings[s]))  # ties: the first seen
            why = "the spelling of most cells"
        else:
            continue
        for spelling, cells in spellings.items():
            if spelling != use:
                bad.append((min(cells), spelling, use, why, spellings.get(use, [])))
    if bad:
        (i, col), spelling, use, why, cells = min(bad, key=lambda b: rows.numbers[b[0][0]])
        where = sorted({rows.numbers[j] for j, _ in cells})
        cols = sorted({c for _, c in cells} - {col})
        also = f" in {_rows_list(where)}" + (f" (column {', '.join(map(repr, cols))})" if cols else "")
        raise rows.error(
            i,
            col,
            f"id {spelling!r} differs from {use!r}{also if where else ''} only in case: "
            "ids are compared ignoring case",
            f"{use!r} ({why}): one spelling for one id, or ids that differ in more than case",
        )


def _units(df: pd.DataFrame, rows: _Rows, accepted: dict[str, dict[str, str]]) -> None:
    canon = []
    for i, (q, u) in enumerate(zip(df["quantity"], df["unit"])):
        ok = accepted[q]
        if u not in ok:
            raise rows.error(i, "unit", f"unexpected unit for {q}", "one of " + ", ".join(ok))
        canon.append(ok[u])
    df["unit"] = canon


def _whole(v: float) -> bool:
    return float(v).is_integer()


def _above(part: float, whole: float) -> bool:
    return part > whole * (1 + _RTOL) + 1e-12


def _crosswalk_ids() -> dict[str, str]:
    """{id ignoring case: its spelling} of the activity crosswalk, data/reference/activity_okved.csv."""
    path = paths.REFERENCE / "activity_okved.csv"
    ids = pd.read_csv(path, usecols=["id"], dtype=str, keep_default_na=False)["id"]
    return {i.casefold(): i for i in ids if i}


def _crosswalk_case(df: pd.DataFrame, rows: _Rows, *columns: str, sep: str | None = None) -> None:
    """Refuse an activity id spelt as one of the crosswalk's except for case (``MINING`` for
    ``mining``): step 2 looks up the official GVA quotient by the crosswalk's id, so the cluster
    would silently get no quotient."""
    known = _crosswalk_ids()
    for col in columns:
        if col not in df:
            continue
        for i, v in enumerate(df[col]):
            if pd.isna(v):
                continue
            for tok in (t.strip() for t in (str(v).split(sep) if sep else [str(v)])):
                use = known.get(tok.casefold())
                if use is not None and use != tok:
                    raise rows.error(
                        i,
                        col,
                        f"activity id {tok!r} differs from {use!r} of data/reference/activity_okved.csv "
                        "only in case: ids are compared ignoring case, and the official quotients "
                        "are found by the crosswalk's spelling",
                        f"{use!r}",
                    )


def _check_clusters(df: pd.DataFrame, rows: _Rows, decimal: str) -> None:
    _ids(df, rows, "cluster_id")
    _ids(df, rows, "related_activities", sep="|")
    _id_case(df, rows, "cluster_id")
    _crosswalk_case(df, rows, "related_activities", sep="|")  # before _id_case: the crosswalk's spelling wins
    _id_case(df, rows, "related_activities", sep="|")


def _check_cluster_facts(df: pd.DataFrame, rows: _Rows, decimal: str) -> None:
    _ids(df, rows, "cluster_id")
    _id_case(df, rows, "cluster_id")
    _units(df, rows, FACT_UNITS)
    for i, (q, v) in enumerate(zip(df["quantity"], df["value"])):
        if q == "sme_share" and v > 100:
            raise rows.error(i, "value", "share above 100", "a per cent, 0-100")
        if (q == "participants" or q in MEMBER_QUANTITIES) and not _whole(v):
            raise rows.error(i, "value", "a count of organisations is not a whole number", "an integer")
    exact = df["qualifier"].isna()
    total = {
        (c, y): v
        for c, q, y, v, e in zip(df["cluster_id"], df["quantity"], df["year"], df["value"], exact)
        if q == "participants" and e
    }
    for i, (c, q, y, v, e) in enumerate(
        zip(df["cluster_id"], df["quantity"], df["year"], df["value"], exact)
    ):
        t = total.get((c, y))
        if q in MEMBER_QUANTITIES and e and t is not None and _above(v, t):
            raise rows.error(
                i,
                "value",
                f"{q} above the cluster's participants in the same year",
                f"<= {t:g} (participants)",
            )


def _check_freight(df: pd.DataFrame, rows: _Rows, decimal: str) -> None:
    _ids(df, rows, "cargo")
    _id_case(df, rows, "cargo", reserved="all_cargo")
    _units(df, rows, FREIGHT_UNITS)
    for i, (q, v) in enumerate(zip(df["quantity"], df["value"])):
        if q == "share_of_russia" and v > 100:
            raise rows.error(i, "value", "share of Russia above 100", "a per cent, 0-100")
        if q == "rank" and (not _whole(v) or v < 1):
            raise rows.error(
                i, "value", "rank is not a whole number of at least 1", "1, 2, 3, ... (1 = largest)"
            )
    df["decimals"] = pd.array([_decimals(c.get("value", ""), decimal) for c in rows.cells], dtype="Int64")
    vol = df["quantity"] == "volume"
    total = {
        (d, y): v
        for c, d, y, v in zip(
            df.loc[vol, "cargo"], df.loc[vol, "direction"], df.loc[vol, "year"], df.loc[vol, "value"]
        )
        if c == "all_cargo"
    }
    value = df["value"].to_numpy()  # by position: the frame has the default index, as rows has
    for i in df.index[vol]:
        t = total.get((df.at[i, "direction"], df.at[i, "year"]))
        if df.at[i, "cargo"] != "all_cargo" and t is not None and _above(value[i], t):
            raise rows.error(
                i,
                "value",
                "a cargo's volume is above all cargo's",
                f"<= {t:g} (all_cargo, same direction and year)",
            )


def _russia_not_below(df: pd.DataFrame, rows: _Rows) -> None:
    for i, (r, ru) in enumerate(zip(df["region_value"], df["russia_value"])):
        if _above(r, ru):
            raise rows.error(
                i,
                "russia_value",
                "Russia's value is smaller than the region's",
                f">= {r:g} (region_value): Russia includes the region",
            )


def _russia_as_region(df: pd.DataFrame, rows: _Rows) -> None:
    """Russia's figures entered as the region's, whole or in part, or scaled.

    - region_value equal to russia_value (not zero) in at least two rows and at least half of
      them: Russia's column copied into the region's. One such row among others is possible (a
      product made only in the region), so it passes.
    - the region's share of Russia, :math:`s_i = r_i / R_i`, the same in every row, within 1 %
      of :math:`\\bar s`, over at least three rows of at least two items (Russia's figures divided
      by a constant): every location quotient would be 1 and every per-capita coefficient the
      same multiple of Russia's, which no economy gives.

    Either would pass every other check and make every location quotient 1."""
    r, ru = df["region_value"].to_numpy(float), df["russia_value"].to_numpy(float)
    item = df.columns[0]  # product or activity: the first column of both schemas
    n = rows.numbers
    same = [i for i, (a, b) in enumerate(zip(r, ru)) if a > 0 and not _above(a, b) and not _above(b, a)]
    if len(same) >= 2 and 2 * len(same) >= len(df):
        listed = [n[i] for i in same]
        every = "every row" if len(same) == len(df) else f"{len(same)} of {len(df)} rows"
        span = f"rows {listed[0]}-{listed[-1]}" if len(same) == len(df) > 2 else _rows_list(listed)
        raise rows.error(
            same[0],
            "region_value",
            f"region_value equals russia_value in {every} ({span}): this looks like "
            "Russia's figures entered as the region's",
            "the region's own figures in region_value (in EMISS select the region, not "
            "'Российская Федерация') and Russia's in russia_value",
        )
    pos = [i for i in range(len(df)) if r[i] > 0 and ru[i] > 0]
    if len(pos) >= 3 and df[item].iloc[pos].nunique() >= 2:
        shares = [r[i] / ru[i] for i in pos]
        lo, hi = min(shares), max(shares)
        if hi <= lo * 1.01:
            raise rows.error(
                pos[0],
                "region_value",
                f"the region's share of Russia is the same in every row ({100 * lo:.4g} % to "
                f"{100 * hi:.4g} %, {_rows_list([n[i] for i in pos])}): this looks like Russia's figures "
                "divided by a constant, not the region's",
                "the region's own figures, whose shares of Russia differ between products, activities "
                "or years",
            )


def _check_production(df: pd.DataFrame, rows: _Rows, decimal: str) -> None:
    _ids(df, rows, "product")
    _id_case(df, rows, "product")
    _russia_not_below(df, rows)
    _russia_as_region(df, rows)


def _check_shipments_out(df: pd.DataFrame, rows: _Rows, decimal: str) -> None:
    _ids(df, rows, "product")
    _id_case(df, rows, "product")
    first: dict[tuple, tuple[int, str]] = {}
    unit = df["unit"].to_numpy()  # by position: the frame has the default index, as rows has
    for i, key in enumerate(zip(df["product"], df["year"])):
        u = unit[i]
        if key in first and first[key][1] != u:
            raise rows.error(
                i,
                "unit",
                "domestic and export of one product and year in different units",
                f"{first[key][1]!r} as in row {rows.numbers[first[key][0]]}",
            )
        first.setdefault(key, (i, u))


def _check_activity_bases(df: pd.DataFrame, rows: _Rows, decimal: str) -> None:
    _ids(df, rows, "activity", "parent")
    _crosswalk_case(df, rows, "activity", "parent")  # before _id_case: the crosswalk's spelling wins
    _id_case(df, rows, "activity", "parent", reserved="total")
    _russia_not_below(df, rows)
    _russia_as_region(df, rows)
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(df["basis"], df["year"])):
        groups.setdefault(key, []).append(i)
    # Cells by position (the frame has the default index, as rows has), as the columns hold them.
    activity, parent_of, unit = (df[c].to_numpy() for c in ("activity", "parent", "unit"))
    values = {c: df[c].to_numpy() for c in ("region_value", "russia_value")}
    ids = [str(a) for a in activity]
    parents = [None if pd.isna(x) else str(x) for x in parent_of]
    numbers = {c: [float(x) for x in v] for c, v in values.items()}
    for (basis, year), idx in groups.items():
        by_act = {activity[i]: i for i in idx}
        if "total" not in by_act:
            raise rows.error(
                idx[0],
                "activity",
                f"no 'total' row for {basis} {year}",
                "a row with activity 'total' (all activities of the economy) for "
                "each basis and year: location quotients need the totals",
            )
        t = by_act["total"]
        for i in idx:
            if unit[i] != unit[t]:
                raise rows.error(
                    i,
                    "unit",
                    f"units differ within {basis} {year}",
                    f"{unit[t]!r} as the total in row {rows.numbers[t]}",
                )
            if i == t:
                if pd.notna(parent_of[i]):
                    raise rows.error(i, "parent", "the total has no parent", "an empty cell")
                continue
            parent = parent_of[i]
            p = t
            if pd.notna(parent):
                if parent not in by_act or parent == activity[i]:
                    raise rows.error(
                        i,
                        "parent",
                        f"parent activity has no row for {basis} {year}",
                        "the id of another activity of the same basis and year",
                    )
                p = by_act[parent]
            for col, v in values.items():
                if _above(v[i], v[p]):
                    raise rows.error(
                        i,
                        col,
                        f"activity above its {'parent' if p != t else 'total'}",
                        f"<= {v[p]:g} ({activity[p]}, row {rows.numbers[p]})",
                    )
        if values["region_value"][t] > 0 and not _above(values["russia_value"][t], values["region_value"][t]):
            raise rows.error(
                t,
                "region_value",
                f"the region's total for {basis} {year} equals Russia's: no region is the whole "
                "country; this looks like Russia's figures entered as the region's",
                f"< {values['russia_value'][t]:g} (russia_value): the region's own total in region_value",
            )
        _parts_within(idx, t, ids, parents, numbers, rows, decimal)


def _parts_within(
    idx: list[int],
    t: int,
    activity: list[str],
    parent_of: list[str | None],
    values: Mapping[str, list[float]],
    rows: _Rows,
    decimal: str,
) -> None:
    """The activities under the total (those without a parent) or under a parent sum to no more
    than it, within the rounding of the numbers as written (half a unit of the last decimal of
    each: 60 + 41 under a total of 100 may be 59.6 + 40.6 under 100.4)."""
    by_act = {activity[i]: i for i in idx}
    under: dict[int, list[int]] = {}
    for i in idx:
        if i != t:
            parent = parent_of[i]
            under.setdefault(t if parent is None else by_act[parent], []).append(i)

    def half_unit(i: int, col: str) -> float:
        return 0.5 * 10.0 ** -(_decimals(rows.cells[i].get(col, ""), decimal) or 0)

    for p, parts in under.items():
        for col, v in values.items():
            total = sum(v[i] for i in parts)
            slack = half_unit(p, col) + sum(half_unit(i, col) for i in parts)
            if _above(total - slack, v[p]):
                which = "the total" if p == t else f"their parent {activity[p]!r}"
                raise rows.error(
                    p,
                    col,
                    f"the activities under {which} sum to more than it: {total:g} "
                    f"({_rows_list([rows.numbers[i] for i in parts])})",
                    f"parts that add up to at most {v[p]:g}: give a sub-activity its parent (parent "
                    "mining for mining_coal) and list no activity twice under two ids (B and mining)",
                )


_CHECKS: dict[str, Callable[[pd.DataFrame, _Rows, str], None]] = {
    "clusters": _check_clusters,
    "cluster_facts": _check_cluster_facts,
    "freight": _check_freight,
    "production": _check_production,
    "shipments_out": _check_shipments_out,
    "activity_bases": _check_activity_bases,
}


# ------------------------------------------------------------------------ cross-file checks
def _row_of(df: pd.DataFrame, i: int) -> int:
    return df.attrs["rows"][i]


def _cross(name: str, frames: Mapping[str, pd.DataFrame | None], folder: Path) -> None:
    """Checks between files; ``frames`` holds what was loaded (None: not supplied)."""
    facts = frames.get("cluster_facts")
    if name == "cluster_facts" and facts is not None:
        cl = frames.get("clusters")
        path = folder / "cluster_facts.csv"
        if cl is None:
            raise InputError(
                path,
                "cluster_facts.csv without clusters.csv",
                expected="clusters.csv listing the clusters the facts are about",
            )
        ids = set(cl["cluster_id"])
        _same_case(facts, "cluster_id", cl, "cluster_id", path, "cluster id", "clusters.csv", "")
        for i, c in enumerate(facts["cluster_id"]):
            if c not in ids:
                raise InputError(
                    path,
                    "cluster is not in clusters.csv",
                    row=_row_of(facts, i),
                    column="cluster_id",
                    expected="one of " + ", ".join(sorted(ids)),
                    found=c,
                )
    ship, prod = frames.get("shipments_out"), frames.get("production")
    if name == "shipments_out" and ship is not None and prod is not None:
        _same_case(
            ship,
            "product",
            prod,
            "product",
            folder / "shipments_out.csv",
            "product",
            "production.csv",
            "marketability pairs the two files by product; ",
        )
        units = {(p, y): u for p, y, u in zip(prod["product"], prod["year"], prod["unit"])}
        for i, (p, y, u) in enumerate(zip(ship["product"], ship["year"], ship["unit"])):
            if (p, y) in units and units[(p, y)] != u:
                raise InputError(
                    folder / "shipments_out.csv",
                    "unit differs from production.csv's",
                    row=_row_of(ship, i),
                    column="unit",
                    expected=f"{units[(p, y)]!r} as production.csv for {p} {y}: "
                    "marketability divides one by the other",
                    found=u,
                )

    cl, bases = frames.get("clusters"), frames.get("activity_bases")
    if name == "clusters" and cl is not None and bases is not None:
        _same_case(
            cl,
            "related_activities",
            bases,
            "activity",
            folder / "clusters.csv",
            "related activity",
            "activity_bases.csv",
            "step 02 looks up its location quotient by id; ",
            sep="|",
        )


def _same_case(
    child: pd.DataFrame,
    column: str,
    parent: pd.DataFrame,
    parent_column: str,
    path: Path,
    what: str,
    parent_file: str,
    why: str,
    *,
    sep: str | None = None,
) -> None:
    """Refuse an id of ``child[column]`` (each ``sep``-separated token, if ``sep``) that is spelt
    as one of ``parent[parent_column]`` except for case, naming both spellings and rows; ``why``
    says what pairs the two files."""
    spelt = _spellings(parent, parent_column)
    for i, cell in enumerate(child[column]):
        for tok in (t.strip() for t in str(cell).split(sep)) if sep else [cell]:
            use, row = spelt.get(str(tok).casefold(), (tok, 0))
            if use != tok:
                raise InputError(
                    path,
                    f"{what} {tok!r} differs from {parent_file}'s {use!r} only in case",
                    row=_row_of(child, i),
                    column=column,
                    expected=f"{use!r} as in {parent_file}, row {row}: {why}ids are compared ignoring case",
                    found=cell,
                )


def _spellings(df: pd.DataFrame, column: str) -> dict[str, tuple[str, int]]:
    """{id ignoring case: (its spelling, the spreadsheet row of its first cell)} of a column."""
    out: dict[str, tuple[str, int]] = {}
    for i, v in enumerate(df[column]):
        out.setdefault(str(v).casefold(), (str(v), _row_of(df, i)))
    return out


# ----------------------------------------------------------------------------------- loading
def load(region_id: str, name: str, folder: Path | str | None = None) -> pd.DataFrame | None:
    """The validated file ``name`` (e.g. ``"freight"``) of the region, or ``None`` if the user
    did not supply it.

    Checks region.yml too (it must exist and name ``region_id``) and, for ``cluster_facts`` and
    ``shipments_out``, the files they depend on. ``folder`` overrides ``data/user/<region_id>/``
    (e.g. the worked example). The frame's ``.attrs`` hold ``sha256``, ``file`` and ``rows``.
    """
    name = _name(name)
    if name == "region":
        raise InputError(None, "region.yml is read with describe(), not load()")
    region_id = _rid(region_id)
    f = _folder(region_id, folder)
    path = f / _file(name)
    if not _supplied(path):
        return None
    _meta(region_id, f, required=True)
    study = _is_study_folder(region_id, f)
    df = _read_file(name, path, study_folder=study)
    frames = {name: df}
    needs = {"cluster_facts": "clusters", "shipments_out": "production"}.get(name)
    if needs and (f / _file(needs)).is_file():
        frames[needs] = _read_file(needs, f / _file(needs), study_folder=study)
    _cross(name, frames, f)
    provenance.note(path, df.attrs.get("sha256"))
    provenance.note(f / YML)
    return df


def _supplied(path: Path) -> bool:
    """Whether the user supplied the file ``path``; a link to nothing, or a folder where the file
    should be, is an error (not a file left out)."""
    if path.is_file():
        return True
    if path.exists():
        raise InputError(path, "not a file", expected=f"{path.name} a file (CSV text), not a folder")
    if path.is_symlink():  # the message names the link itself: paths.rel would follow it
        raise InputError(
            None,
            f"{paths.rel(path.parent)}/{path.name}: a link to a file that does not exist",
            expected=f"{path.name} itself in the folder, or a link to a file that exists",
            found=f"a link to {os.readlink(path)}",
        )
    return False


def _not_csv(path: Path, name: str) -> None:
    """A file where ``name`` (e.g. freight.csv) is expected, saved in another format."""
    if path.suffix.lower() in SPREADSHEETS:
        raise InputError(
            path,
            f"a spreadsheet where {name} is expected: the study reads CSV text only",
            expected=f"{name}: in Excel, File > Save As > 'CSV UTF-8 (comma delimited)', named {name}",
        )
    raise InputError(
        path,
        f"{path.name} where {name} is expected",
        expected=f"the file renamed to {name} if it is {'YAML' if name == YML else 'CSV'} text "
        "(Windows may hide the real extension)",
    )


def misnamed_folders(region_id: str) -> list[tuple[Path, str]]:
    """Folders next to ``data/user/<region_id>/`` that look meant for the region but are not
    read for it: (folder, why), e.g. ``data/user/Tomsk/`` or ``data/user/Томская область/``."""
    study = folder_of(region_id)
    out: list[tuple[Path, str]] = []
    if not study.parent.is_dir():
        return out
    for d in sorted(study.parent.iterdir()):
        if not d.is_dir() or d.name in (TEMPLATE_FOLDER, EXAMPLE_FOLDER, study.name):
            continue
        if study.is_dir() and os.path.samefile(d, study):
            continue  # a file system that ignores case: this is the study's folder
        try:
            if resolve(d.name).id == region_id:
                out.append((d, "named after the region's name, not by its id"))
                continue
        except InputError:
            pass
        if (d / YML).is_file():
            try:
                if _read_yml(d / YML, None).get("region") == region_id:
                    out.append((d, f"its region.yml names {region_id}"))
            except InputError:
                pass
    return out


def _unknown_file(path: Path, expected: set[str]) -> None:
    close = difflib.get_close_matches(path.name, sorted(expected), n=1, cutoff=0.6)
    raise InputError(
        path,
        "unknown file" + (f" (misspelt {close[0]!r}?)" if close else ""),
        expected="file names " + ", ".join(sorted(expected)),
    )


def validate_folder(region_id: str, folder: Path | str | None = None, *, collect: bool = False) -> list[str]:
    """Validate everything the user supplied for a region.

    Raises InputError on the first problem (default); with ``collect=True`` returns every file's
    first problem as a message instead (an empty list: all is well). Nothing supplied is no
    problem. Unknown ``.csv``/``.yml`` files are (a misspelt name would be silently skipped).
    """
    region_id = _rid(region_id)
    f = _folder(region_id, folder)
    problems: list[str] = []

    def attempt(fn: Callable[_P, _T], *args: _P.args, **kw: _P.kwargs) -> _T | None:
        try:
            return fn(*args, **kw)
        except InputError as exc:
            if not collect:
                raise
            problems.append(str(exc))
            return None

    if not f.is_dir():
        return problems
    expected = {YML, *(_file(n) for n in NAMES)}
    broken = {e for e in sorted(expected) if attempt(_supplied, f / e) is None}
    for p in sorted(f.iterdir()):
        if p.is_file() and p.suffix.lower() in CHECKED_SUFFIXES and p.name not in expected:
            attempt(_unknown_file, p, expected)
        elif (p.is_file() or p.is_symlink()) and p.suffix.lower() not in CHECKED_SUFFIXES:
            # freight.xlsx, freight.csv.txt, region.yml.txt: the file the study reads, saved wrong
            stem = p.name.lower().split(".")[0]
            want = YML if stem == "region" else f"{stem}.csv"
            if want in expected and not (f / want).exists() and not (f / want).is_symlink():
                attempt(_not_csv, p, want)
    have = available(region_id, f)
    if YML not in broken:
        attempt(_meta, region_id, f, required=any(have[n] for n in NAMES))
    study = _is_study_folder(region_id, f)
    frames: dict[str, pd.DataFrame | None] = {}
    for n in NAMES:
        if have[n]:
            frames[n] = attempt(_read_file, n, f / _file(n), study_folder=study)
    for n in ("cluster_facts", "shipments_out", "clusters"):
        if have[n] and frames.get(n) is not None:
            if n == "cluster_facts" and (
                (have["clusters"] and frames.get("clusters") is None) or _file("clusters") in broken
            ):
                continue  # clusters.csv is broken: already reported
            attempt(_cross, n, frames, f)
    return problems


def load_template(name: str) -> pd.DataFrame:
    """A template of ``data/user/_template/`` read with every check except the example-row one."""
    name = _name(name)
    return _read_file(name, template_folder() / _file(name), template=True)


def describe_template() -> RegionMeta:
    """``data/user/_template/region.yml`` read as a template (its example text allowed)."""
    return _read_yml(template_folder() / YML, None, template=True)


# -------------------------------------------------------------------------------- command line
def _folder_region(arg: str) -> tuple[str, Path] | None:
    """A folder named on the command line (path or name under data/user/) -> (its region, folder)."""
    for cand in (Path(arg), paths.USER / arg):
        if cand.is_dir() and (cand / YML).is_file():
            return _read_yml(cand / YML, None)["region"], cand
    return None


def check(region: str, folder: str | None = None, out: TextIO | None = None) -> int:
    """What ``python -m analysis check-inputs`` does; returns the exit code.

    ``out`` (default stdout) is flushed before returning, so that a reader that left early
    (``check-inputs tomsk | head -1``) is a BrokenPipeError here, which the command line turns
    into a quiet exit, not an error when the interpreter flushes stdout at exit."""
    out = sys.stdout if out is None else out
    try:
        return _check(region, folder, out)
    finally:
        out.flush()


def _check(region: str, folder: str | None, out: TextIO) -> int:
    try:
        if folder is not None:
            f = Path(folder)
            region_id = resolve(region).id
        else:
            try:
                region_id, f = resolve(region).id, None
            except InputError:
                found = _folder_region(region)
                if found is None:
                    raise
                region_id, f = found
        stray = [] if f is not None else misnamed_folders(region_id)
        f = _folder(region_id, f)
        print(f"region: {region_id}; folder: {paths.rel(f)}/", file=out)
        for d, why in stray:  # the study reads f only: a misnamed folder's files would be skipped
            exc = InputError(
                d,
                f"a folder for {region_id} that the study does not read ({why})",
                expected=f"the files in {paths.rel(f)}/ (rename the folder to {f.name}"
                + (", or move its files there)" if f.is_dir() else ")"),
            )
            print(("warning" if f.is_dir() else "error") + f": {exc}", file=sys.stderr)
        if not f.is_dir() and stray:
            return 2
        if not f.is_dir():
            print(
                "  nothing supplied: steps 02, 04, 05 and 06 skip what needs user inputs "
                "(see data/README.md)",
                file=out,
            )
            return 0
        have = available(region_id, f)
        for n in ("region", *NAMES):
            status = "present" if have[n] else "missing"
            what = "region and source of the numbers" if n == "region" else USED_BY[n]
            print(f"  {_file(n):20s} {status:8s} {what}", file=out)
        problems = validate_folder(region_id, f, collect=True)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if problems:
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        return 2
    meta = describe(region_id, f)
    if meta:
        print(f"source: {meta['source']}", file=out)
    for n in NAMES:
        if have[n]:
            df = load(region_id, n, f)
            if df is None:  # have[n] saw the file: only one deleted since then gets here
                raise TypeError(f"{_file(n)} disappeared while being checked")
            print(f"  {_file(n)}: {len(df)} rows, sha256 {df.attrs['sha256'][:16]}...", file=out)
    print("OK: every file present is valid", file=out)
    return 0
