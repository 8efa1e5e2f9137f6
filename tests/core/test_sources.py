"""Bad input ends in a clear InputError naming file, row and column; never a wrong number."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.core.sources import Column, Schema, read_csv, verify
from analysis.inputs import paper

SCHEMA = Schema(
    (
        Column("region"),
        Column("year", "int", min=2000, max=2030),
        Column("value", "float", min=0),
        Column("unit", nullable=True),
    ),
    unique=("region", "year"),
)


def _write(tmp_path, text, name="in.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def read(p):
    return read_csv(p, SCHEMA, check_sum=False)


def test_reads_comma_file(tmp_path):
    df = read(_write(tmp_path, "region,year,value,unit\nkemerovo,2016,1.5,t\n"))
    assert df.loc[0, "value"] == 1.5 and df.loc[0, "year"] == 2016


def test_semicolons_and_decimal_commas_are_accepted(tmp_path):
    df = read(_write(tmp_path, "region;year;value;unit\nkemerovo;2016;1 234,5;т\n"))
    assert df.loc[0, "value"] == 1234.5


@pytest.mark.parametrize(
    "text, match",
    [
        ("", "file is empty"),
        ("region,year,value,unit\n", "no data rows"),
        ("region,yaer,value,unit\nk,2016,1,t\n", r"required column 'year' is missing.*'yaer' \(misspelt\?\)"),
        ("region,year,value,unit\nk,1999,1,t\n", r"row 2, column 'year': value out of range"),
        ("region,year,value,unit\nk,2016,abc,t\n", r"row 2, column 'value': not a number.*'abc'"),
        ("region,year,value,unit\nk,2016,-5,t\n", r"row 2, column 'value': value out of range"),
        ("region,year,value,unit\nk,2016,1,t\nk,2016,2,t\n", r"duplicate rows.*rows 2, 3"),
        ("region,year,value,unit\nk,2016,1\n", r"row 2: wrong number of cells"),
        ("region,year,value,unit\nk,2016.5,1,t\n", r"column 'year': not a whole number"),
        ("region,year,value,unit\n,2016,1,t\n", r"row 2, column 'region': empty cell"),
    ],
)
def test_bad_csv_gives_clear_error(tmp_path, text, match):
    with pytest.raises(InputError, match=match) as exc:
        read(_write(tmp_path, text))
    assert "in.csv" in str(exc.value) and "/" not in str(exc.value).split(":")[0].replace("in.csv", "")


def test_cp1251_is_recognised(tmp_path):
    p = _write(tmp_path, "region,year,value,unit\nКемерово,2016,1,т\n", encoding="cp1251")
    with pytest.raises(InputError, match=r"not UTF-8.*Windows-1251.*CSV UTF-8"):
        read(p)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file is missing"):
        read(tmp_path / "nope.csv")


def test_changed_raw_file_fails_checksum(tmp_path, monkeypatch):
    folder = tmp_path / "paper"
    shutil.copytree(paths.RAW_PAPER, folder)
    target = folder / "table3_coal_marketability.csv"
    verify(target)  # intact copy passes
    target.write_text(target.read_text().replace("209709.0", "209709.1"))
    with pytest.raises(InputError, match="checksum does not match"):
        verify(target)


def test_unlisted_raw_file_is_refused(tmp_path):
    folder = tmp_path / "paper"
    shutil.copytree(paths.RAW_PAPER, folder)
    extra = folder / "extra.csv"
    extra.write_text("a\n1\n")
    with pytest.raises(InputError, match="not listed"):
        verify(extra)


def test_recorded_checksums_match_files():
    for folder in (paths.RAW_PAPER, paths.RAW_ROSSTAT):
        for line in (folder / "SHA256SUMS").read_text().splitlines():
            digest, name = line.split(maxsplit=1)
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_paper_loader_uses_checksums(monkeypatch, tmp_path):
    folder = tmp_path / "paper"
    shutil.copytree(paths.RAW_PAPER, folder)
    (folder / "table1_gva_structure.csv").write_text("table,row\n1,1\n")
    monkeypatch.setattr(paths, "RAW_PAPER", folder)
    paper._table.cache_clear()
    try:
        with pytest.raises(InputError, match="checksum does not match"):
            paper.table(1)
    finally:
        paper._table.cache_clear()


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["kemerovo", "tomsk", "altai_krai"]),
            st.integers(2000, 2030),
            st.floats(0, 1e7, allow_nan=False).map(lambda v: round(v, 3)),
        ),
        min_size=1,
        max_size=20,
        unique_by=lambda r: (r[0], r[1]),
    ),
    russian=st.booleans(),
)
def test_read_csv_round_trip(tmp_path_factory, rows, russian):
    """Whatever a user writes in either dialect (',' with '.', or ';' with decimal commas) reads
    back as the same numbers."""
    sep = ";" if russian else ","
    fmt = (lambda v: repr(v).replace(".", ",")) if russian else repr
    text = (
        sep.join(["region", "year", "value", "unit"])
        + "\n"
        + "".join(sep.join([r, str(y), fmt(v), "t"]) + "\n" for r, y, v in rows)
    )
    p = tmp_path_factory.mktemp("rt") / "in.csv"
    p.write_text(text, encoding="utf-8")
    df = read(p)
    assert list(zip(df["region"], df["year"], df["value"])) == [(r, y, v) for r, y, v in rows]


@pytest.mark.parametrize(
    "text, match",
    [
        (
            'region,year,value,unit\nk,2016,"1,234.5",t\n',
            r"^in.csv, row 2, column 'value': not a number: the ',' looks like a thousands separator; "
            r"expected 1234.5: no thousands separators",
        ),
        (
            'region,year,value,unit\nk,2016,"12,345",t\n',
            r"thousands separator; expected 12345 \(or 12.345 if the ',' is a decimal mark\)",
        ),
        (
            'region,year,value,unit\nk,2016,"1234,5",t\n',
            r"column 'value': not a number: the ',' looks like a decimal comma; expected 1234.5",
        ),
        (
            "region;year;value;unit\nk;2016;1.234,5;t\n",
            r"column 'value': not a number: the '.' looks like a thousands separator; expected 1234,5",
        ),
        (
            "region;year;value;unit\nk;2016;1,234.5;t\n",
            r"column 'value': not a number: ',' as thousands separator and '.' as decimal mark; expected 1234,5",
        ),
        (
            "region,year,value,unit\nk,2016,1,234.5,t\n",
            r"^in.csv, row 2: wrong number of cells: '1,234.5' in column 'value' looks like one number with "
            r"a thousands separator comma: write 1234.5 \(no separator\) or quote the cell; expected 4 cells",
        ),
        (
            "region,year,value,unit\nk,2016,1,234,567,t\n",
            r"row 2: wrong number of cells: '1,234,567' in column 'value' .*write 1234567",
        ),
        (  # a comma in a text cell: not a number's, no hint
            "region,year,value,unit\nk,2016,10,t, or kg\n",
            r"row 2: wrong number of cells; expected 4 cells",
        ),
        (
            "region,year,value,unit\nk,2015,1,t\n\nregion,year,value,unit\nk,2016,2,t\n",
            r"^in.csv, row 4: the header line is repeated; expected the header once, in row 1",
        ),
        (
            "region,year,value,unit\nk,2016,1," + "t" * 200_000 + "\n",
            r"^in.csv, row 2, column 'unit': cell longer than 10000 characters",
        ),
        (
            'region,year,value,unit\nk,2016,1,"t\nk,2017,2,t\n' + "k,2018,3,t\n" * 3000,
            r"^in.csv, row 2, column 'unit': cell longer than 10000 characters.*an unclosed quote",
        ),
    ],
)
def test_bad_csv_says_the_fix(tmp_path, text, match):
    with pytest.raises(InputError, match=match):
        read(_write(tmp_path, text))


def test_a_long_cell_does_not_change_the_csv_field_limit(tmp_path):
    import csv

    before = csv.field_size_limit()
    with pytest.raises(InputError, match="cell longer than"):
        read(_write(tmp_path, "region,year,value,unit\nk,2016,1," + "t" * 1_000_000 + "\n"))
    assert csv.field_size_limit() == before
