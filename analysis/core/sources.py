"""Loading raw inputs: checksums and schema-checked CSV reading.

Raw files are immutable. Each folder under ``data/raw/`` keeps a ``SHA256SUMS`` file
(``sha256sum`` format); :func:`verify` refuses a file whose bytes changed. :func:`read_csv`
reads a CSV against a small schema and reports bad input with file, row (as a spreadsheet shows
it: the header is row 1) and column, never with a traceback from inside pandas.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.core import provenance
from analysis.core.errors import InputError
from analysis.core.paths import rel

SUMS_NAME = "SHA256SUMS"
MAX_CELL = 10_000  # characters; the longest cell of every shipped CSV is under 500
# Limits of a user's file (data/README.md, "Limits"): far above any region's real inputs (the
# largest example file has 30 rows), low enough that reading and checking one stays well under
# 1 GB of memory and a figure stays drawable.
MAX_FILE_BYTES = 5_000_000
MAX_ROWS = 20_000
MAX_CATEGORIES = 100  # different cargos, products, activities or clusters in one file


def check_size(path: Path, *, max_bytes: int = MAX_FILE_BYTES, max_rows: int = MAX_ROWS) -> None:
    """Refuse a file larger than the study reads, before it is read: its size from the file
    system, its lines counted in 1 MB chunks (memory bounded whatever the file's size)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            path,
            "file is larger than the study reads",
            expected=f"at most {max_bytes / 1e6:g} MB (data/README.md, Limits)",
            found=f"{size / 1e6:.1f} MB",
        )
    lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
    if lines - 1 > max_rows:
        raise InputError(
            path,
            "file has more rows than the study reads",
            expected=f"at most {max_rows} data rows (data/README.md, Limits)",
            found=f"{lines - 1} lines after the header",
        )


def check_categories(path: Path, df: pd.DataFrame, column: str, *, most: int = MAX_CATEGORIES) -> None:
    """Refuse a file with more different values of ``column`` (cargos, products, activities,
    clusters) than the study reads; its figures draw the largest of them (:mod:`analysis.core.topn`)."""
    n = df[column].nunique()
    if n > most:
        raise InputError(
            path,
            "more different values than the study reads",
            column=column,
            expected=f"at most {most} (data/README.md, Limits): keep the largest, sum the rest as one 'other' row",
            found=n,
        )


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_sums(folder: Path) -> dict[str, str]:
    """``{file name: sha256}`` from ``folder/SHA256SUMS``."""
    sums_file = folder / SUMS_NAME
    if not sums_file.exists():
        raise InputError(sums_file, "checksum list is missing")
    out: dict[str, str] = {}
    for i, line in enumerate(sums_file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2 or len(parts[0]) != 64:
            raise InputError(
                sums_file, "malformed line", row=i, expected="'<64 hex digits>  <file name>'", found=line
            )
        out[parts[1].strip().lstrip("*")] = parts[0].lower()
    return out


def verify(path: Path) -> Path:
    """Check ``path`` against the ``SHA256SUMS`` of its folder; return the path.

    Raises :class:`InputError` when the file is missing, unlisted, or its bytes changed.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file is missing")
    sums = read_sums(path.parent)
    if path.name not in sums:
        raise InputError(path, f"file is not listed in {rel(path.parent / SUMS_NAME)}")
    actual = sha256(path)
    provenance.note(path, actual)
    if actual != sums[path.name]:
        raise InputError(
            path,
            "checksum does not match: the raw file changed since it was "
            "recorded (raw data are immutable; restore it with git, or record a "
            "new version deliberately)",
            expected=sums[path.name],
            found=actual,
        )
    return path


@dataclass(frozen=True)
class Column:
    """One column of a CSV schema.

    ``kind`` is ``str``, ``int`` or ``float``; ``required`` means the column must exist;
    ``nullable`` allows empty cells; ``choices`` restricts values; ``min``/``max`` bound numbers.
    """

    name: str
    kind: str = "str"
    required: bool = True
    nullable: bool = False
    choices: tuple[object, ...] | None = None
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Schema:
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = field(default=())  # key columns: duplicates are an error

    def names(self) -> list[str]:
        return [c.name for c in self.columns]


_KIND_NAMES = {"int": "a whole number", "float": "a number", "str": "a text value"}


def _decode(path: Path, raw: bytes) -> str:
    if not raw.strip():
        raise InputError(path, "file is empty", expected="a header row and data rows")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            raw.decode("cp1251")
            hint = " (it decodes as Windows-1251, as Excel saves Russian text: save it as 'CSV UTF-8')"
        except UnicodeDecodeError:
            pass
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(path, "file is not UTF-8" + hint, row=line, expected="UTF-8 text") from None


def _dialect(path: Path, text: str) -> tuple[str, str]:
    """(separator, decimal mark). Russian spreadsheets export ``;`` with decimal commas."""
    header = text.splitlines()[0]
    if header.count(";") > 0 and header.count(",") == 0:
        return ";", ","
    if header.count(",") > 0:
        return ",", "."
    if header.count(";") > 0:
        raise InputError(
            path, "cannot tell the separator", row=1, expected="commas or semicolons, not both", found=header
        )
    return ",", "."


def _to_number(value: str, decimal: str) -> float:
    v = value.strip().replace("\u00a0", "").replace(" ", "")
    if decimal == ",":
        v = v.replace(",", ".")
    return float(v)


def parse(path: Path, text: str, sep: str) -> list[list[str]]:
    """The records of a CSV text (blank lines as ``[]``: record ``i`` is spreadsheet row ``i + 1``).

    A cell longer than :data:`MAX_CELL` characters, or text the csv module cannot parse (a NUL
    byte), is an :class:`InputError` with row (and column), not a ``_csv.Error`` traceback.
    """
    rows: list[list[str]] = []
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, len(text) + 1))  # read any cell, then refuse a long one below
    try:
        for row in csv.reader(io.StringIO(text), delimiter=sep):
            rows.append(row)
    except csv.Error as exc:
        raise InputError(
            path, f"cannot read this row as CSV ({exc})", row=len(rows) + 1, expected="plain text cells"
        ) from None
    finally:
        csv.field_size_limit(old)
    header = [h.strip() for h in rows[0]] if rows else []
    for i, row in enumerate(rows, start=1):
        for j, cell in enumerate(row):
            if len(cell) > MAX_CELL:
                raise InputError(
                    path,
                    f"cell longer than {MAX_CELL} characters",
                    row=i,
                    column=(header[j] if i > 1 and j < len(header) else None),
                    expected="a short value (put long text in a file of its own and cite it in "
                    'source or note); an unclosed quote (") also swallows the rows after it',
                    found=f"{len(cell)} characters starting {cell[:40]!r}",
                )
    return rows


_THOUSANDS = {  # decimal mark -> (a number grouped in thousands, the separator) the reader refuses
    ".": (re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?"), ","),
    ",": (re.compile(r"[-+]?\d{1,3}(\.\d{3})+(,\d+)?"), "."),
}


def _number_hint(value: str, decimal: str) -> tuple[str, str] | None:
    """(problem, expected) for a cell that is a number written with a thousands separator or the
    other decimal mark; None when it does not look like one."""
    v = value.strip().replace("\u00a0", "").replace(" ", "")
    grouped, thousands = _THOUSANDS[decimal]
    fix = v.replace(thousands, "")
    if grouped.fullmatch(v):
        also = (
            f" (or {v.replace(thousands, decimal)} if the {thousands!r} is a decimal mark)"
            if v.count(thousands) == 1 and decimal not in v
            else ""
        )
        return (
            f"not a number: the {thousands!r} looks like a thousands separator",
            f"{fix}{also}: no thousands separators, {decimal!r} as the decimal mark",
        )
    if decimal == "." and re.fullmatch(r"[-+]?\d+,\d+", v):
        return (
            "not a number: the ',' looks like a decimal comma",
            f"{v.replace(',', '.')}: a decimal point in a comma-separated file "
            "(or save the file with semicolons, as Russian Excel does, to keep decimal commas)",
        )
    if decimal == "," and re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+\.\d+", v):
        return (
            "not a number: ',' as thousands separator and '.' as decimal mark",
            f"{v.replace(',', '').replace('.', ',')}: a decimal comma and no thousands "
            "separators in a semicolon-separated file",
        )
    return None


def _split_numbers(row: list[str], header: list[str], schema: Schema, decimal: str) -> str | None:
    """Why a comma-separated row has too many cells, if a number written with a thousands
    separator comma explains it (``1,234.5`` unquoted reads as cells ``1`` and ``234.5``): joining
    such cells gives the header's number of cells and a number in every number column."""
    lead, group = re.compile(r"[-+]?\d{1,3}"), re.compile(r"\d{3}(\.\d+)?")
    cells = [c.strip() for c in row]
    windows = []  # (first cell, cells joined): a lead and 3-digit groups, a decimal part last only
    for k in range(len(cells)):
        n = 1
        while lead.fullmatch(cells[k]) and k + n < len(cells) and group.fullmatch(cells[k + n]):
            n += 1
            windows.append((k, n))
            if "." in cells[k + n - 1]:
                break
    extra = len(cells) - len(header)
    maximal: list[tuple[int, int]] = []  # the longest windows, left to right, not overlapping
    for k, n in windows:
        if maximal and k < maximal[-1][0] + maximal[-1][1]:
            if k == maximal[-1][0]:
                maximal[-1] = (k, n)
            continue
        maximal.append((k, n))
    by_name = {c.name: c for c in schema.columns}
    for chosen in [[w] for w in windows if w[1] - 1 == extra] + [maximal]:
        if not chosen or sum(n - 1 for _, n in chosen) != extra:
            continue
        joined, spans = list(cells), []
        for k, n in reversed(chosen):
            joined[k : k + n] = ["".join(cells[k : k + n]).replace(",", "")]
        shift = 0
        for k, n in chosen:
            spans.append((",".join(cells[k : k + n]), header[k - shift]))
            shift += n - 1
        numbers = [c for c in schema.columns if c.kind in ("int", "float")]
        try:
            for c in numbers:
                if c.name in header and (joined[header.index(c.name)] or not c.nullable):
                    _to_number(joined[header.index(c.name)], decimal)
        except ValueError:
            continue
        if all(by_name.get(col, Column(col)).kind in ("int", "float") for _, col in spans):
            return "; ".join(
                f"{w!r} in column {col!r} looks like one number with a thousands separator comma: "
                f"write {w.replace(',', '')} (no separator) or quote the cell"
                for w, col in spans
            )
    return None


def _split_decimal_commas(row: list[str], header: list[str], schema: Schema) -> str | None:
    """Why a comma-separated row has too many cells, if unquoted decimal commas explain it
    (``1,5`` reads as cells ``1`` and ``5``): joining such pairs of cells with a decimal point
    gives the header's number of cells, a number in every number column and a whole number in
    every integer column (so ``2015,1`` is not taken for a year)."""
    whole, part = re.compile(r"[-+]?\d+"), re.compile(r"\d+")
    cells = [c.strip() for c in row]
    extra = len(cells) - len(header)
    candidates = [
        k for k in range(len(cells) - 1) if whole.fullmatch(cells[k]) and part.fullmatch(cells[k + 1])
    ]
    if not 0 < extra <= 3:
        return None
    for chosen in itertools.combinations(candidates, extra):
        if any(b - a < 2 for a, b in itertools.pairwise(chosen)):
            continue
        joined = list(cells)
        for k in reversed(chosen):
            joined[k : k + 2] = [f"{cells[k]}.{cells[k + 1]}"]
        spans = [(f"{cells[k]},{cells[k + 1]}", header[k - i]) for i, k in enumerate(chosen)]
        kinds = {c.name: c.kind for c in schema.columns}
        try:
            for name, value in zip(header, joined):
                if kinds.get(name) in ("int", "float") and value:
                    number = _to_number(value, ".")
                    if kinds[name] == "int" and not number.is_integer():
                        raise ValueError(value)
        except ValueError:
            continue
        if all(kinds.get(col) in ("int", "float") for _, col in spans):
            return "; ".join(
                f"{w!r} in column {col!r} looks like one number with a decimal comma: "
                f"write {w.replace(',', '.')} (a decimal point) or quote the cell"
                for w, col in spans
            )
    return None


def read_csv(path: Path, schema: Schema, *, check_sum: bool = True) -> pd.DataFrame:
    """Read a CSV file, validated against ``schema``.

    Accepts UTF-8 (with or without BOM), comma-separated with decimal points, or
    semicolon-separated with decimal commas. Extra columns are kept. Raises
    :class:`InputError` naming file, row and column on the first problem found. A file without a
    checksum (a user's) larger than :data:`MAX_FILE_BYTES` or :data:`MAX_ROWS` is refused unread.
    """
    path = Path(path)
    if check_sum:
        verify(path)
    elif not path.exists():
        raise InputError(path, "file is missing")
    else:  # a user's file, or one the project made: bounded before it is read
        check_size(path)
    text = _decode(path, path.read_bytes())
    sep, decimal = _dialect(path, text)
    rows = parse(path, text, sep)
    header = [h.strip() for h in rows[0]]
    for col in schema.columns:
        if col.required and col.name not in header:
            close = difflib.get_close_matches(col.name, header, n=1)
            raise InputError(
                path,
                f"required column {col.name!r} is missing",
                row=1,
                expected=", ".join(schema.names()),
                found=(f"{close[0]!r} (misspelt?)" if close else ", ".join(header)),
            )
    records = []
    for i, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if [c.strip() for c in row] == header:
            raise InputError(
                path,
                "the header line is repeated",
                row=i,
                expected="the header once, in row 1: delete this row (were two files pasted together?)",
                found=sep.join(header)[:60],
            )
        if len(row) != len(header):
            split = (
                (_split_numbers(row, header, schema, decimal) or _split_decimal_commas(row, header, schema))
                if sep == ","
                else None
            )
            raise InputError(
                path,
                "wrong number of cells" + (f": {split}" if split else ""),
                row=i,
                expected=f"{len(header)} cells as in the header",
                found=len(row),
            )
        records.append((i, dict(zip(header, (c.strip() for c in row)))))
    if not records:
        raise InputError(path, "file has a header but no data rows")
    by_name = {c.name: c for c in schema.columns}
    out: dict[str, list[str | float | None]] = {h: [] for h in header}
    for i, rec in records:
        for h in header:
            value = rec[h]
            spec = by_name.get(h)
            if spec is None:
                out[h].append(value if value != "" else None)
                continue
            if value == "":
                if not spec.nullable:
                    raise InputError(path, "empty cell", row=i, column=h, expected=_KIND_NAMES[spec.kind])
                out[h].append(None)
                continue
            cell: str | float = value  # the text, or the number it reads as
            if spec.kind in ("int", "float"):
                try:
                    num = _to_number(value, decimal)
                except ValueError:
                    problem, expected = _number_hint(value, decimal) or (
                        "not a number",
                        _KIND_NAMES[spec.kind],
                    )
                    raise InputError(path, problem, row=i, column=h, expected=expected, found=value) from None
                if spec.kind == "int":
                    if num != int(num):
                        raise InputError(
                            path, "not a whole number", row=i, column=h, expected="an integer", found=value
                        )
                    num = int(num)
                if spec.min is not None and num < spec.min:
                    raise InputError(
                        path, "value out of range", row=i, column=h, expected=f">= {spec.min}", found=value
                    )
                if spec.max is not None and num > spec.max:
                    raise InputError(
                        path, "value out of range", row=i, column=h, expected=f"<= {spec.max}", found=value
                    )
                cell = num
            if spec.choices is not None and cell not in spec.choices:
                raise InputError(
                    path,
                    "unexpected value",
                    row=i,
                    column=h,
                    expected="one of " + ", ".join(map(str, spec.choices)),
                    found=cell,
                )
            out[h].append(cell)
    df = pd.DataFrame(out)
    for col in schema.columns:
        if col.name in df and col.kind == "int":
            df[col.name] = df[col.name].astype("Int64")
        elif col.name in df and col.kind == "float":
            df[col.name] = df[col.name].astype("float64")
    if schema.unique:
        dup = df.duplicated(list(schema.unique), keep=False)
        if dup.any():
            first = [i for (i, _), d in zip(records, dup) if d]
            key = ", ".join(f"{k}={df.loc[dup, k].iloc[0]!r}" for k in schema.unique)
            raise InputError(
                path,
                f"duplicate rows for the same key ({key})",
                row=first[1],
                expected=f"one row per {', '.join(schema.unique)}",
                found=f"rows {', '.join(map(str, first[:5]))}",
            )
    return df
