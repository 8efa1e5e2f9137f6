"""Tests of analysis.inputs.national: the shipped national cluster list and monotowns (checksummed,
counts as their README states), validation of a user's list naming file, row and column, the
reference tables, and a second list that changes the national table without touching code."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.errors import InputError
from analysis.inputs import national
from analysis.inputs.regions import all_regions
from analysis.inputs.rosstat import table
from analysis.steps import national_clusters as nc

HEADER = "cluster,region,sector,okved_mapped,year,year_meaning,list,source,evidence_grade,notes\n"
# Invented rows, for the tests only: no such clusters are claimed to exist.
INVENTED = (
    "Invented cluster one,Томская область,test,C21,2013,invented,test_list,invented for a test,B,\n"
    "Invented cluster two,Республика Коми,test,B06; C19,2019,invented,test_list,invented for a test,B,\n"
)


def test_shipped_list_and_monotowns_as_their_readme_says():
    c = national.read_list(national.RAW_CLUSTERS / "russian_clusters_transcribed.csv", check_sum=True)
    assert len(c) == 38  # data/raw/clusters/README.md: 38 clusters
    assert (c["list"] == "pilot_itc_2012").sum() == 26  # the 25 of 2012 and the Udmurt addition
    m = national.monotowns()
    assert len(m) == 312 and m["region_id"].nunique() == 62  # 312 towns in 62 regions
    assert m["category"].value_counts().to_dict() == {1: 75, 2: 148, 3: 89}
    assert (m["region_id"] == "kemerovo").sum() == 24  # the paper: 24 monotowns


def test_reference_tables_cover_every_division_and_region():
    d = national.divisions()
    assert len(d) == 88 and d["division"].is_unique  # OKVED2 (OK 029-2014) has 88 divisions
    t = national.region_tiles()
    assert set(t["region_id"]) == {r.id for r in all_regions()}
    assert not t.duplicated(["row", "col"]).any()
    assert t["abbr_en"].is_unique and t["abbr_ru"].is_unique


def _write(folder: Path, name: str, rows: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(HEADER + rows, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "row, column, problem",
    [
        ("X,Томская обл-ть штат,s,C21,2013,,l,src,,\n", "region", "unknown region"),
        ("X,Томская область,s,C99,2013,,l,src,,\n", "okved_mapped", "unknown OKVED code"),
        ("X,Томская область,s,B21,2013,,l,src,,\n", "okved_mapped", "unknown OKVED code"),
        ("X,Томская область,s,manufacturing,2013,,l,src,,\n", "okved_mapped", "unknown OKVED code"),
        ("X,Томская область,s,C21,1890,,l,src,,\n", "year", "value out of range"),
        ("X,Томская область,s,C21,2013,,l,src,Z,\n", "evidence_grade", "unexpected value"),
    ],
)
def test_bad_rows_name_file_row_and_column(tmp_path, row, column, problem):
    p = _write(tmp_path, "mine.csv", INVENTED + row)
    with pytest.raises(InputError) as e:
        national.read_list(p)
    assert (e.value.row, e.value.column) == (4, column)  # header is row 1, two good rows
    assert problem in e.value.problem and e.value.file == "mine.csv"
    out = io.StringIO()
    assert national.check(str(tmp_path), out=out) == 2


def test_check_accepts_good_lists(tmp_path):
    _write(tmp_path, "mine.csv", INVENTED)
    out = io.StringIO()
    assert national.check(str(tmp_path), out=out) == 0
    assert "mine.csv: 2 clusters" in out.getvalue() and "OK" in out.getvalue()


def test_a_second_list_changes_the_national_table_without_code(tmp_path):
    gva = table("gva_structure")
    lqs = nc.section_lqs(gva)
    base = nc.base_rates(lqs, 1.0)
    cw = national.divisions()
    before = nc.cluster_lqs(national.national_clusters(tmp_path / "none"), lqs, cw, base, 1.0)
    _write(tmp_path / "lists", "invented.csv", INVENTED)
    clusters = national.national_clusters(tmp_path / "lists")
    after = nc.cluster_lqs(clusters, lqs, cw, base, 1.0)
    assert len(after) == len(before) + 2
    added = after[after["cluster"].str.startswith("Invented")].set_index("cluster")
    assert set(added["region_id"]) == {"tomsk", "komi"}
    assert added.at["Invented cluster two", "sections"] == "B+C"  # OKVED2 in 2019
    assert set(clusters.loc[clusters["cluster"].str.startswith("Invented"), "file"]) == {"invented.csv"}
    shipped = after[~after["cluster"].str.startswith("Invented")].reset_index(drop=True)
    pd.testing.assert_frame_equal(shipped, before)


def test_a_list_reads_the_division_table_once_not_per_row(monkeypatch):
    """Parsing a list checks every code against the divisions read once per list, not per row."""
    reads: list[int] = []
    real = national.divisions
    monkeypatch.setattr(national, "divisions", lambda: reads.append(1) or real())
    table = national.national_clusters()
    assert len(table) > 10
    assert len(reads) == 2 * len(national.list_files())  # once validating each list, once parsing it
