"""National lists of clusters, the single-industry towns, and the reference tables the national
step reads: the OKVED2 divisions with their OKVED-2007 sections, and the tile grid of regions.

A *national cluster list* is a CSV file with one row per cluster (the format is documented in
``README.md``, "National cluster lists", and ``data/README.md``). The shipped list,
``data/raw/clusters/russian_clusters_transcribed.csv``, is checksummed like every raw file; a user
adds another list as a CSV file in ``data/user/national_lists/`` (not committed), and every file
there is read beside the shipped one: the national table changes without touching code.
``python -m analysis check-inputs --national`` validates them all, naming file, row and column.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import pandas as pd

from analysis.core import paths, provenance
from analysis.core.errors import InputError
from analysis.core.sources import Column, Schema, _decode, _dialect, parse, read_csv
from analysis.inputs.regions import match_name, resolve

RAW_CLUSTERS = paths.RAW / "clusters"
SHIPPED_LISTS = ("russian_clusters_transcribed.csv",)
MONOTOWNS = RAW_CLUSTERS / "monotowns_order_1398r.csv"
USER_LISTS = paths.USER / "national_lists"
DIVISIONS = paths.REFERENCE / "okved2_divisions.csv"
TILES = paths.REFERENCE / "region_tiles.csv"

# Listing years a list may give: from the Russian Federation's first year to a bound well past
# the data (Rosstat's GVA structure ends in 2022); outside it, a typo.
YEAR_MIN, YEAR_MAX = 1991, 2030
REGION_SEP = "; "  # a cluster spanning regions names them all, separated so
# An OKVED2 code as the lists write it: a section letter, optionally its division, optionally a
# finer code in brackets ("C30 (30.1)"), which the GVA data cannot use and only documents.
_FINE = r"\d{2}(?:\.\d{1,2})*"
_CODE = re.compile(rf"^([A-U])(\d{{2}})?(?:\s*\(({_FINE}(?:\s*;\s*{_FINE})*)\))?$")
_SPLIT = re.compile(r";(?![^(]*\))")  # ';' between codes, not inside their brackets

LIST_SCHEMA = Schema(
    columns=(
        Column("cluster"),
        Column("region"),
        Column("sector", required=False, nullable=True),
        Column("okved_mapped"),
        Column("year", kind="int", nullable=True, min=YEAR_MIN, max=YEAR_MAX),
        Column("year_meaning", required=False, nullable=True),
        Column("list"),
        Column("source"),
        Column("evidence_grade", required=False, nullable=True, choices=("A", "B")),
        Column("notes", required=False, nullable=True),
    ),
)


def divisions() -> pd.DataFrame:
    """The 88 divisions of OKVED2 (OK 029-2014) with their section and the OKVED-2007 section
    that holds the same activities (``division, section, okved2007, note``); made for this
    project from the two editions' division headings (documented in data/README.md)."""
    schema = Schema(
        columns=(
            Column("division"),
            Column("section"),
            Column("okved2007"),
            Column("note", nullable=True),
        ),
        unique=("division",),
    )
    d = read_csv(DIVISIONS, schema, check_sum=False)
    provenance.note(DIVISIONS)
    d["division"] = d["division"].astype(str).str.zfill(2)
    return d


def region_tiles() -> pd.DataFrame:
    """The tile grid of the 85 regions (``region_id, row, col, abbr_en, abbr_ru``; row 0 at the
    top), after the layout of Papashanskiy/gos_analytics; the abbreviations are the project's
    (see data/README.md)."""
    schema = Schema(
        columns=(
            Column("region_id"),
            Column("row", kind="int", min=0),
            Column("col", kind="int", min=0),
            Column("abbr_en"),
            Column("abbr_ru"),
        ),
        unique=("region_id",),
    )
    t = read_csv(TILES, schema, check_sum=False)
    provenance.note(TILES)
    return t


def _row_numbers(path: Path) -> list[int]:
    """Spreadsheet row numbers of the data rows, blank lines skipped as read_csv skips them."""
    text = _decode(path, path.read_bytes())
    sep, _ = _dialect(path, text)
    rows = parse(path, text, sep)
    return [i for i, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]


def division_sections() -> pd.Series:
    """Each OKVED2 division's section (:func:`divisions`), indexed by division ('21' -> 'C')."""
    return divisions().set_index("division")["section"]


def parse_codes(
    text: str, *, path: Path | None = None, row: int | None = None, known: pd.Series | None = None
) -> list[tuple[str, str]]:
    """The (section, division) pairs of an ``okved_mapped`` cell ("C21; M72" -> [("C", "21"),
    ("M", "72")]; a section alone gives division ""). An unknown code or a division outside its
    section raises :class:`InputError` at ``path``, ``row``, column ``okved_mapped``. ``known``
    is :func:`division_sections`, read here when not given (callers parsing a whole list read it
    once)."""
    if known is None:
        known = division_sections()
    out = []
    for token in (t.strip() for t in _SPLIT.split(str(text))):
        m = _CODE.match(token)
        if not m:
            raise InputError(
                path,
                "unknown OKVED code",
                row=row,
                column="okved_mapped",
                expected="OKVED2 codes such as 'C' or 'C21' or 'C30 (30.1)', separated by ';'",
                found=token,
            )
        section, division = m.group(1), m.group(2) or ""
        if division and known.get(division) != section:
            raise InputError(
                path,
                "unknown OKVED code",
                row=row,
                column="okved_mapped",
                expected=f"an OKVED2 division of section {section}"
                + (f" (division {division} is in section {known[division]})" if division in known else ""),
                found=token,
            )
        out.append((section, division))
    return out


def read_list(path: Path, *, check_sum: bool = False) -> pd.DataFrame:
    """One national cluster list, validated: every region known to the registry (several
    separated by '; '), every OKVED code known (:func:`parse_codes`), the year within
    YEAR_MIN..YEAR_MAX. Adds ``file`` and ``row`` (the spreadsheet row)."""
    df = read_csv(path, LIST_SCHEMA, check_sum=check_sum)
    if not check_sum:  # verify() notes the checksummed ones
        provenance.note(path)
    numbers = _row_numbers(path)
    df["file"] = paths.rel(path)
    df["row"] = numbers
    known = division_sections()
    for row, region, codes in zip(numbers, df["region"].astype(str), df["okved_mapped"].astype(str)):
        for name in region.split(REGION_SEP.strip()):
            if match_name(name.strip()) is None:
                try:
                    resolve(name.strip())
                except InputError as exc:
                    raise InputError(
                        path,
                        "unknown region",
                        row=row,
                        column="region",
                        expected="a Russian region as data/reference/regions.csv names it"
                        + (f" ({exc.problem.split('; ', 1)[1]})" if "; closest" in exc.problem else ""),
                        found=name.strip(),
                    ) from None
        parse_codes(codes, path=path, row=row, known=known)
    return df


def list_files(folder: Path | None = None) -> list[Path]:
    """The national lists read: the shipped ones, then every ``*.csv`` of ``folder`` (default
    ``data/user/national_lists/``), in name order."""
    user = USER_LISTS if folder is None else Path(folder)
    extra = sorted(user.glob("*.csv")) if user.is_dir() else []
    return [RAW_CLUSTERS / f for f in SHIPPED_LISTS] + extra


def national_clusters(folder: Path | None = None) -> pd.DataFrame:
    """Every cluster of every national list, one row per cluster and region it names:
    ``file, row, cluster, list, region, region_id, year, codes, sections, evidence_grade``;
    ``codes`` as listed, ``sections`` the OKVED2 sections ('C|M'), ``divisions`` ('21|72')."""
    frames = []
    for path in list_files(folder):
        shipped = path.parent == RAW_CLUSTERS
        frames.append(read_list(path, check_sum=shipped))
    df = pd.concat(frames, ignore_index=True)
    known = division_sections()
    rows = []
    for r in df.itertuples(index=False):
        codes = parse_codes(str(r.okved_mapped), known=known)
        sections = sorted({s for s, _ in codes})
        for name in str(r.region).split(REGION_SEP.strip()):
            rows.append(
                {
                    "file": r.file,
                    "row": r.row,
                    "cluster": r.cluster,
                    "list": r.list,
                    "region": name.strip(),
                    "region_id": resolve(name.strip()).id,
                    "year": r.year,
                    "codes": r.okved_mapped,
                    "sections": "|".join(sections),
                    "divisions": "|".join(sorted({d for _, d in codes if d})),
                    "evidence_grade": getattr(r, "evidence_grade", None),
                }
            )
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype("Int64")
    return out


def monotowns() -> pd.DataFrame:
    """The single-industry towns of order 1398-р (checksummed copy): ``category`` (1 most
    difficult, 2, 3 stable), ``town``, ``admin_center``, ``region``, ``region_id``."""
    schema = Schema(
        columns=(
            Column("category", kind="float", choices=(1.0, 2.0, 3.0)),
            Column("mo_name_1398"),
            Column("admin_center", nullable=True),
            Column("region"),
        )
    )
    df = read_csv(MONOTOWNS, schema)
    numbers = _row_numbers(MONOTOWNS)
    ids = []
    for name, row in zip(df["region"], numbers):
        rid = match_name(name)
        if rid is None:
            raise InputError(
                MONOTOWNS, "unknown region", row=row, column="region", expected="a Russian region", found=name
            )
        ids.append(rid)
    df["region_id"] = ids
    df["category"] = df["category"].astype(int)
    return df.rename(columns={"mo_name_1398": "town"})


def check(folder: str | None = None, out: TextIO | None = None, files: Sequence[Path] | None = None) -> int:
    """What ``python -m analysis check-inputs --national`` does: validate every national list
    (the shipped ones and ``folder``'s, default data/user/national_lists/); exit code 0 or 2."""
    out = sys.stdout if out is None else out
    problems = 0
    for path in files if files is not None else list_files(Path(folder) if folder else None):
        try:
            df = read_list(path, check_sum=path.parent == RAW_CLUSTERS)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            problems += 1
            continue
        print(f"  {paths.rel(path)}: {len(df)} clusters, {df['list'].nunique()} list(s)", file=out)
    if problems:
        return 2
    print("OK: every national list is valid", file=out)
    out.flush()
    return 0
