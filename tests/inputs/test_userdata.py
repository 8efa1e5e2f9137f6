"""A user's own inputs (data/user/<region>/): templates, the worked example, and bad input that
must end in an InputError naming file, row and column."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import cli
from analysis.core import paths
from analysis.core.errors import InputError
from analysis.core.sources import sha256
from analysis.inputs import userdata, usershapes

EXAMPLE = paths.USER / userdata.EXAMPLE_FOLDER
TEMPLATE = paths.USER / userdata.TEMPLATE_FOLDER

GOOD = {
    "region.yml": 'region: Томская область\nsource: "test fixture"\nyears: [2014, 2015, 2016]\n',
    "production.csv": "product,product_label,year,region_value,russia_value,unit,source,note\n"
    "coal,Уголь,2016,10,100,thousand t,test fixture,\n",
    "shipments_out.csv": "product,year,destination,value,unit,source\n"
    "coal,2016,domestic,4,thousand t,test fixture\n"
    "coal,2016,export,5,thousand t,test fixture\n",
    "activity_bases.csv": "activity,parent,basis,year,region_value,russia_value,unit,source\n"
    "total,,turnover,2016,100,1000,mln rub,test fixture\n"
    "mining,,turnover,2016,40,100,mln rub,test fixture\n"
    "mining_coal,mining,turnover,2016,30,50,mln rub,test fixture\n",
    "clusters.csv": "cluster_id,name,founded,related_activities,source\n"
    "c1,Кластер 1,2012,mining|chemicals,test fixture\n",
    "cluster_facts.csv": "cluster_id,quantity,year,value,unit,qualifier,source\n"
    "c1,participants,2016,20,organisations,,test fixture\n"
    "c1,sme_participants,2016,15,organisations,,test fixture\n"
    "c1,sme_share,2016,75,percent,,test fixture\n"
    "c1,employees,2016,8000,persons,>,test fixture\n",
}


@pytest.fixture
def raw(tmp_path, monkeypatch):
    """data/user/<region>/ is tmp_path/<region>/ for the test."""
    monkeypatch.setattr(paths, "user_dir", lambda region: tmp_path / region)
    return tmp_path


@pytest.fixture
def good(raw):
    """A valid folder for tomsk: every file, real-looking structure, fixture numbers."""
    folder = raw / "tomsk"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    freight = (EXAMPLE / "freight.csv").read_text(encoding="utf-8")
    (folder / "freight.csv").write_text(
        freight.replace('"synthetic example, not data"', "test fixture"), encoding="utf-8"
    )
    return folder


def edit(path: Path, fn) -> None:
    """Rewrite a CSV: ``fn(rows)`` changes the list of rows (header first) in place."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    fn(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(row: int, column: str, value: str):
    def fn(rows):
        rows[row - 1][rows[0].index(column)] = value

    return fn


def rename_column(old: str, new: str):
    def fn(rows):
        rows[0][rows[0].index(old)] = new

    return fn


def drop_column(name: str):
    def fn(rows):
        i = rows[0].index(name)
        for r in rows:
            del r[i]

    return fn


def append_row(row: list[str]):
    def fn(rows):
        rows.append(row)

    return fn


# ------------------------------------------------------------------------------ templates
@pytest.mark.parametrize("name", userdata.NAMES)
def test_templates_parse_and_are_marked_as_examples(name):
    df = userdata.load_template(name)
    assert 1 <= len(df) <= 2
    assert df["note"].str.startswith("EXAMPLE ROW: replace").all()
    assert df["source"].str.startswith("EXAMPLE ROW").all()
    assert df.attrs["sha256"] == sha256(TEMPLATE / f"{name}.csv")


def test_template_region_yml_parses():
    meta = userdata.describe_template()
    assert meta["region"] == "tomsk" and meta["source"].startswith("EXAMPLE")
    assert meta["years"] == [2014, 2015, 2016]


def test_every_template_column_is_documented():
    readme = (paths.DATA / "README.md").read_text(encoding="utf-8")
    for name, schema in userdata.SCHEMAS.items():
        header = (TEMPLATE / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == schema.names(), name
        for col in schema.names():
            assert f"`{col}`" in readme, (name, col)
    for key in userdata.YML_KEYS:
        assert f"`{key}`" in readme


def test_templates_copied_unchanged_into_a_region_folder_are_refused(raw):
    folder = raw / "tomsk"
    shutil.copytree(TEMPLATE, folder)
    problems = userdata.validate_folder("tomsk", collect=True)
    assert any("region.yml" in p and "example text" in p for p in problems)
    for name in userdata.NAMES:
        assert any(p.startswith(f"{name}.csv, row 2, column") and "example row" in p for p in problems), name


# -------------------------------------------------------------------------- worked example
def test_example_folder_validates():
    assert userdata.validate_folder("tomsk", EXAMPLE) == []
    # every file, so that every step has user inputs to run on
    assert all(userdata.available("tomsk", EXAMPLE).values())
    meta = userdata.describe("tomsk", EXAMPLE)
    assert meta["region"] == "tomsk" and meta["source"].startswith("synthetic example, not data")


@pytest.mark.parametrize("name", userdata.NAMES)
def test_example_numbers_are_marked_synthetic(name):
    df = userdata.load("tomsk", name, EXAMPLE)
    assert (df["source"] == "synthetic example, not data").all()
    assert df.attrs["sha256"] == sha256(EXAMPLE / f"{name}.csv")
    assert df.attrs["file"] == f"data/user/example_region/{name}.csv"


def test_example_freight_in_the_shape_of_table_4():
    df = userdata.load("tomsk", "freight", EXAMPLE)
    w = usershapes.freight_wide(df)
    assert list(w.columns) == [
        "cargo",
        "direction",
        "year",
        "volume_kt",
        "share_pct",
        "rank",
        "share_decimals",
    ]
    assert len(w) == 12 and w["share_decimals"].dropna().eq(1).all()


def test_example_is_never_read_as_a_region_s_data(raw):
    shutil.copytree(EXAMPLE, raw / "tomsk")
    with pytest.raises(
        InputError,
        match=r"region.yml, row \d+, column 'source': source says "
        r"these are synthetic",
    ):
        userdata.validate_folder("tomsk")
    (raw / "tomsk" / "region.yml").write_text('region: tomsk\nsource: "mine"\n', encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"freight.csv, row 2, column 'source': row is a "
        r"synthetic example",
    ):
        userdata.load("tomsk", "freight")


def test_cli_checks_the_example(capsys):
    assert cli.main(["check-inputs", "example_region"]) == 0
    out = capsys.readouterr().out
    assert "freight.csv          present" in out and "clusters.csv         present" in out
    assert "OK" in out


# ------------------------------------------------------------------------------ a good folder
def test_good_folder_loads_everything(good):
    assert userdata.validate_folder("tomsk") == []
    assert all(userdata.available("tomsk").values())
    for name in userdata.NAMES:
        df = userdata.load("tomsk", name)
        assert df.attrs["sha256"] == sha256(good / f"{name}.csv")
        assert df.attrs["rows"][0] == 2
    assert userdata.describe("tomsk")["years"] == [2014, 2015, 2016]


def test_adapters(good):
    cl, facts = userdata.load("tomsk", "clusters"), userdata.load("tomsk", "cluster_facts")
    long = usershapes.cluster_facts_long(cl, facts).set_index("quantity")
    assert long.at["founded", "value"] == 2012
    assert long.at["employees", "value"] == 8.0 and long.at["employees", "unit"] == "thousand persons"
    assert long.at["employees", "qualifier"] == ">"
    assert long.at["sme_share", "claim_id"] == "cluster_facts.csv:4"
    assert usershapes.clusters_like_paper(cl).at[0, "related_items"] == "mining|chemicals"
    m = usershapes.marketability_inputs(
        userdata.load("tomsk", "production"), userdata.load("tomsk", "shipments_out")
    )
    assert m.loc[0, ["production", "out_domestic", "out_export"]].tolist() == [10, 4, 5]
    b = usershapes.bases_with_totals(userdata.load("tomsk", "activity_bases")).set_index("activity")
    assert b.at["mining", "region_total"] == 100 and b.at["mining_coal", "russia_total"] == 1000


def test_nothing_supplied_is_no_problem(raw):
    assert userdata.load("omsk", "freight") is None
    assert userdata.describe("omsk") == {}
    assert userdata.validate_folder("omsk") == []
    assert not any(userdata.available("omsk").values())


# ---------------------------------------------------------------------------- broken copies
BROKEN = [
    # file, change, error (file, row, column, problem)
    ("freight.csv", drop_column("unit"), r"^freight.csv, row 1: required column 'unit' is missing"),
    (
        "freight.csv",
        rename_column("value", "vaule"),
        r"^freight.csv, row 1: required column 'value' is missing.*'vaule' \(misspelt\?\)",
    ),
    (
        "freight.csv",
        rename_column("note", "notes"),
        r"^freight.csv, row 1, column 'notes': unknown column 'notes' \(misspelt 'note'\?\)",
    ),
    (
        "freight.csv",
        set_cell(2, "value", "about 500"),
        r"^freight.csv, row 2, column 'value': not a number; expected a number; found 'about 500'",
    ),
    (
        "freight.csv",
        set_cell(2, "value", "-500"),
        r"^freight.csv, row 2, column 'value': value out of range; expected >= 0",
    ),
    ("freight.csv", set_cell(2, "value", "nan"), r"^freight.csv, row 2, column 'value': not a finite number"),
    (
        "freight.csv",
        set_cell(3, "value", "100.5"),
        r"^freight.csv, row 3, column 'value': share of Russia above 100",
    ),
    (
        "freight.csv",
        set_cell(4, "value", "0"),
        r"^freight.csv, row 4, column 'value': rank is not a whole number of at least 1",
    ),
    (
        "freight.csv",
        set_cell(4, "value", "2.5"),
        r"^freight.csv, row 4, column 'value': rank is not a whole number",
    ),
    (
        "freight.csv",
        set_cell(8, "value", "100000"),
        r"^freight.csv, row 8, column 'value': a cargo's volume is above all cargo's",
    ),
    (
        "freight.csv",
        set_cell(2, "year", "1989"),
        r"^freight.csv, row 2, column 'year': value out of range; expected >= 1990",
    ),
    (
        "freight.csv",
        set_cell(2, "direction", "inbound"),
        r"^freight.csv, row 2, column 'direction': unexpected value; expected one of in, out",
    ),
    (
        "freight.csv",
        set_cell(2, "unit", "t"),
        r"^freight.csv, row 2, column 'unit': unexpected unit for volume",
    ),
    ("freight.csv", set_cell(2, "cargo", "Все грузы"), r"^freight.csv, row 2, column 'cargo': not an id"),
    ("freight.csv", set_cell(2, "source", ""), r"^freight.csv, row 2, column 'source': empty cell"),
    (
        "freight.csv",
        append_row(
            [
                "example_cargo",
                "Пример",
                "out",
                "2000",
                "volume",
                "1000",
                "thousand t",
                "EXAMPLE ROW: name the source",
                "EXAMPLE ROW: replace",
            ]
        ),
        r"^freight.csv, row 26, column 'source': a template example row is still in the file",
    ),
    (
        "freight.csv",
        append_row(
            ["all_cargo", "Все грузы", "in", "2014", "volume", "600", "thousand t", "test fixture", ""]
        ),
        r"^freight.csv, row 26: duplicate rows for the same key .*rows 2, 26",
    ),
    (
        "production.csv",
        set_cell(2, "russia_value", "5"),
        r"^production.csv, row 2, column 'russia_value': Russia's value is smaller than the region's",
    ),
    (
        "shipments_out.csv",
        set_cell(3, "unit", "t"),
        r"^shipments_out.csv, row 3, column 'unit': domestic and export .* different units",
    ),
    (
        "shipments_out.csv",
        lambda rows: [r.__setitem__(4, "million t") for r in rows[1:]],
        r"^shipments_out.csv, row 2, column 'unit': unit differs from production.csv's",
    ),
    (
        "activity_bases.csv",
        lambda rows: rows.pop(1),
        r"^activity_bases.csv, row 2, column 'activity': no 'total' row for turnover 2016",
    ),
    (
        "activity_bases.csv",
        set_cell(3, "basis", "sales"),
        r"^activity_bases.csv, row 3, column 'basis': unexpected value; expected one of turnover, "
        r"investment, employment, fixed_assets",
    ),
    (
        "activity_bases.csv",
        set_cell(4, "region_value", "41"),
        r"^activity_bases.csv, row 4, column 'region_value': activity above its parent",
    ),
    (
        "activity_bases.csv",
        set_cell(3, "unit", "bn rub"),
        r"^activity_bases.csv, row 3, column 'unit': units differ within turnover 2016",
    ),
    (
        "activity_bases.csv",
        set_cell(4, "parent", "oil"),
        r"^activity_bases.csv, row 4, column 'parent': parent activity has no row",
    ),
    (
        "cluster_facts.csv",
        set_cell(4, "value", "120"),
        r"^cluster_facts.csv, row 4, column 'value': share above 100",
    ),
    (
        "cluster_facts.csv",
        set_cell(3, "value", "25"),
        r"^cluster_facts.csv, row 3, column 'value': sme_participants above the cluster's participants",
    ),
    (
        "cluster_facts.csv",
        set_cell(2, "value", "20.5"),
        r"^cluster_facts.csv, row 2, column 'value': a count of organisations is not a whole number",
    ),
    (
        "cluster_facts.csv",
        set_cell(2, "cluster_id", "c2"),
        r"^cluster_facts.csv, row 2, column 'cluster_id': cluster is not in clusters.csv",
    ),
    (
        "clusters.csv",
        set_cell(2, "related_activities", "mining, chemicals"),
        r"^clusters.csv, row 2, column 'related_activities': not an id",
    ),
    (
        "clusters.csv",
        set_cell(2, "founded", "2031"),
        r"^clusters.csv, row 2, column 'founded': value out of range; expected <= 2030",
    ),
]


@pytest.mark.parametrize("name, change, error", BROKEN, ids=[f"{b[0]}:{b[2][1:60]}" for b in BROKEN])
def test_broken_copy_raises_input_error(good, name, change, error):
    edit(good / name, change)
    base = name.removesuffix(".csv")
    with pytest.raises(InputError, match=error):
        userdata.load("tomsk", base)
    with pytest.raises(InputError, match=error):
        userdata.validate_folder("tomsk")
    problems = userdata.validate_folder("tomsk", collect=True)
    assert len(problems) == 1 and problems[0].startswith(name)


@pytest.mark.parametrize(
    "text, error",
    [
        (
            'region: Омская область\nsource: "x"\n',
            r"^region.yml, row 1, column 'region': region.yml names another region than the folder's; "
            r"expected tomsk .*found 'Омская область \(omsk\)'",
        ),
        (
            'region: tomsk\nsource: "x"\nyear: 2016\n',
            r"^region.yml, row 3, column 'year': unknown key 'year' \(misspelt 'years'\?\)",
        ),
        ('region: tomsk\nsource: "x"\nauthor: me\n', r"^region.yml, row 3, column 'author': unknown key"),
        ("region: tomsk\n", r"^region.yml, column 'source': required key 'source' is missing"),
        (
            'region: Томская обл\nsource: "x"\n',
            r"^region.yml, row 1, column 'region': unknown region 'Томская обл'; closest: tomsk",
        ),
        ('region: russia\nsource: "x"\n', r"row 1, column 'region': a user folder holds one region"),
        (
            'region: tomsk\nsource: "x"\nyears: 2016-2014\n',
            r"row 3, column 'years': years are not understood",
        ),
        ('region: tomsk\nsource: "x"\nyears: [1985, 2016]\n', r"row 3, column 'years': year out of range"),
        ("region: tomsk\nsource: [x\n", r"^region.yml, row \d: not valid YAML"),
    ],
)
def test_bad_region_yml(good, text, error):
    (good / "region.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=error):
        userdata.describe("tomsk")
    with pytest.raises(InputError, match=error):
        userdata.load("tomsk", "freight")


def test_region_yml_is_required_next_to_data(good):
    (good / "region.yml").unlink()
    with pytest.raises(InputError, match=r"^region.yml: region.yml is missing"):
        userdata.load("tomsk", "freight")


def test_unknown_file_is_reported(good):
    shutil.copy(good / "freight.csv", good / "frieght.csv")
    with pytest.raises(InputError, match=r"^frieght.csv: unknown file \(misspelt 'freight.csv'\?\)"):
        userdata.validate_folder("tomsk")


def test_cp1251_file_is_refused_with_a_hint(good):
    text = (good / "freight.csv").read_text(encoding="utf-8")
    (good / "freight.csv").write_bytes(text.encode("cp1251"))
    with pytest.raises(
        InputError,
        match=r"^freight.csv, row 2: file is not UTF-8 \(it decodes as "
        r"Windows-1251.*CSV UTF-8",
    ):
        userdata.load("tomsk", "freight")
    (good / "region.yml").write_bytes(GOOD["region.yml"].encode("cp1251"))
    with pytest.raises(InputError, match=r"^region.yml, row 1: file is not UTF-8.*Windows-1251"):
        userdata.describe("tomsk")


def test_semicolons_and_decimal_commas_are_accepted(good):
    (good / "production.csv").write_text(
        "product;product_label;year;region_value;russia_value;unit;source;note\n"
        "coal;Уголь;2016;1 234,5;432 100,25;тыс. т;Росстат, ЕМИСС 40557;\n",
        encoding="utf-8",
    )
    df = userdata.load("tomsk", "production")
    assert df.loc[0, "region_value"] == 1234.5 and df.loc[0, "russia_value"] == 432100.25
    assert df.loc[0, "source"] == "Росстат, ЕМИСС 40557"


def test_semicolon_freight_keeps_the_written_decimals(good):
    (good / "freight.csv").write_text(
        "cargo;direction;year;quantity;value;unit;source\n"
        "coal;out;2016;volume;1 000,50;тыс. т;fixture\n"
        "coal;out;2016;share_of_russia;8,9;%;fixture\n",
        encoding="utf-8",
    )
    w = usershapes.freight_wide(userdata.load("tomsk", "freight"))
    assert w.loc[0, "volume_kt"] == 1000.5 and w.loc[0, "share_pct"] == 8.9
    assert w.loc[0, "share_decimals"] == 1


def test_identical_duplicates_are_also_refused(good):
    edit(good / "production.csv", lambda rows: rows.append(list(rows[1])))
    with pytest.raises(InputError, match=r"^production.csv, row 3: duplicate rows"):
        userdata.load("tomsk", "production")


def test_collect_reports_every_broken_file(good):
    edit(good / "freight.csv", set_cell(3, "value", "101"))
    edit(good / "production.csv", set_cell(2, "russia_value", "1"))
    problems = userdata.validate_folder("tomsk", collect=True)
    assert [p.split(",")[0] for p in problems] == ["freight.csv", "production.csv"]


def test_cli_exit_code_and_message(good, capsys):
    assert cli.main(["check-inputs", "Томская область"]) == 0
    assert "OK" in capsys.readouterr().out
    edit(good / "freight.csv", set_cell(4, "value", "0"))
    assert cli.main(["check-inputs", "tomsk"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: freight.csv, row 4, column 'value': rank")
    assert cli.main(["check-inputs", "no such region"]) == 2
    assert "unknown region" in capsys.readouterr().err


@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False), min_size=1, max_size=5))
def test_decimal_comma_volumes_round_trip(volumes):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "region.yml").write_text('region: tomsk\nsource: "fixture"\n', encoding="utf-8")
        lines = ["cargo;direction;year;quantity;value;unit;source"]
        lines += [
            f"c{i};out;2016;volume;{str(v).replace('.', ',')};thousand t;fixture"
            for i, v in enumerate(volumes)
        ]
        (folder / "freight.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        df = userdata.load("tomsk", "freight", folder)
        assert df["value"].tolist() == [float(v) for v in volumes]


def test_emiss_ids_in_the_data_readme_match_the_catalogue():
    import gzip
    import json
    import re

    catalogue = {
        x["id"]: x["title"]
        for x in json.loads(
            gzip.decompress((paths.RAW_ROSSTAT / "fedstat_indicators_catalog.json.gz").read_bytes())
        )
    }
    readme = (paths.DATA / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|[^|\n]*\| (\d{5}) \| ([^|\n]+?) \|$", readme, flags=re.MULTILINE)
    assert len(rows) >= 11
    for ident, title in rows:
        assert catalogue.get(ident) == title, ident
    for ident in ("37667", "62020"):  # cited in the notes, title quoted as a prefix
        assert catalogue[ident].startswith("Отгружено (передано) продукции в натуральном выражении")
        assert ident in readme


def test_region_may_be_given_by_name(good):
    assert userdata.load("Томская область", "production").loc[0, "region_value"] == 10
    assert userdata.available("Tomsk Oblast")["freight"]


# ------------------------------------------------------------- ids compared ignoring case
CASE = [
    # file, change, error: one cargo (product, ...) spelt two ways would be two series
    (
        "freight.csv",
        set_cell(9, "cargo", "Coal"),
        r"^freight.csv, row 9, column 'cargo': id 'Coal' differs from 'coal' in rows 8, 16, 17, 24, 25 "
        r"only in case: ids are compared ignoring case; expected 'coal' \(the spelling of most cells\)",
    ),
    (
        "freight.csv",
        lambda rows: [r.__setitem__(0, "All_Cargo") for r in rows[1:] if r[0] == "all_cargo"],
        r"^freight.csv, row 2, column 'cargo': id 'All_Cargo' differs from 'all_cargo' only in case.*"
        r"expected 'all_cargo' \('all_cargo' is the documented id of the total\)",
    ),
    (
        "production.csv",
        append_row(["Coal", "", "2015", "9", "90", "thousand t", "test fixture", ""]),
        r"^production.csv, row 3, column 'product': id 'Coal' differs from 'coal' in row 2 only in case",
    ),
    (
        "activity_bases.csv",
        append_row(
            ["coal_open_pit", "Mining_coal", "turnover", "2016", "10", "20", "mln rub", "test fixture"]
        ),
        r"^activity_bases.csv, row 5, column 'parent': id 'Mining_coal' differs from 'mining_coal' in row 4 "
        r"\(column 'activity'\) only in case",
    ),
    (
        "activity_bases.csv",
        set_cell(2, "activity", "TOTAL"),
        r"^activity_bases.csv, row 2, column 'activity': id 'TOTAL' differs from 'total' only in case",
    ),
    (
        "clusters.csv",
        set_cell(2, "related_activities", "mining_coal|Mining_coal"),
        r"^clusters.csv, row 2, column 'related_activities': id 'Mining_coal' differs from 'mining_coal' in row 2",
    ),
    (
        "cluster_facts.csv",
        lambda rows: [r.__setitem__(0, "C1") for r in rows[1:]],
        r"^cluster_facts.csv, row 2, column 'cluster_id': cluster id 'C1' differs from clusters.csv's "
        r"'c1' only in case; expected 'c1' as in clusters.csv, row 2",
    ),
    (
        "shipments_out.csv",
        lambda rows: [r.__setitem__(0, "Coal") for r in rows[1:]],
        r"^shipments_out.csv, row 2, column 'product': product 'Coal' differs from production.csv's "
        r"'coal' only in case; expected 'coal' as in production.csv, row 2: marketability pairs",
    ),
]


@pytest.mark.parametrize("name, change, error", CASE, ids=[f"{c[0]}:{c[2][1:50]}" for c in CASE])
def test_an_id_in_another_case_is_refused(good, name, change, error):
    edit(good / name, change)
    with pytest.raises(InputError, match=error):
        userdata.load("tomsk", name.removesuffix(".csv"))
    problems = userdata.validate_folder("tomsk", collect=True)
    assert len(problems) == 1 and problems[0].startswith(name)


def test_timber_spelt_two_ways_is_refused(good):
    """The review's case: a new cargo written `timber` in most rows and `Timber` in one."""
    rows = [
        ["timber", "Лесные грузы", d, str(y), "volume", "50", "thousand t", "test fixture", ""]
        for y in (2014, 2015)
        for d in ("in", "out")
    ]
    rows[2][0] = "Timber"
    edit(good / "freight.csv", lambda r: r.extend(rows))
    with pytest.raises(
        InputError,
        match=r"^freight.csv, row 28, column 'cargo': id 'Timber' differs from 'timber' in rows 26, 27, 29 "
        r"only in case.*expected 'timber'",
    ):
        userdata.validate_folder("tomsk")


def test_related_activity_in_another_case_than_activity_bases_is_refused(good):
    edit(good / "clusters.csv", set_cell(2, "related_activities", "Mining_coal|chemicals"))
    assert userdata.load("tomsk", "clusters") is not None  # alone the file is valid
    with pytest.raises(
        InputError,
        match=r"^clusters.csv, row 2, column 'related_activities': related activity 'Mining_coal' differs "
        r"from activity_bases.csv's 'mining_coal' only in case; expected 'mining_coal' as in "
        r"activity_bases.csv, row 4: step 02 looks up",
    ):
        userdata.validate_folder("tomsk")


@pytest.mark.parametrize(
    "name, column, value",
    [
        ("clusters.csv", "related_activities", "MINING|chemicals"),
        ("clusters.csv", "related_activities", "mining | Chemicals"),
        ("activity_bases.csv", "activity", "Mining"),
    ],
)
def test_a_crosswalk_id_in_another_case_is_refused_not_left_unmatched(good, name, column, value):
    # Issue 23.9: upper-case related_activities passed, and step 2 then found no quotient for
    # any cluster. Alone, the file names the crosswalk's spelling.
    edit(good / name, set_cell(2 if name == "clusters.csv" else 3, column, value))
    with pytest.raises(
        InputError,
        match=rf"^{name}, row {2 if name == 'clusters.csv' else 3}, column '{column}': activity id "
        r"'(MINING|Chemicals|Mining)' differs from '(mining|chemicals)' of data/reference/activity_okved.csv "
        r"only in case",
    ):
        userdata.load("tomsk", name.removesuffix(".csv"))


# ------------------------------------------------------ Russia's figures entered as the region's
def test_production_equal_to_russia_in_every_row_is_refused(good):
    (good / "production.csv").write_text(
        "product,year,region_value,russia_value,unit,source\n"
        + "".join(
            f"coal,{y},{v},{v},thousand t,test fixture\n" for y, v in ((2014, 350), (2015, 372), (2016, 385))
        )
        + "\n"
        + "steel,2016,70.5,70.5,thousand t,test fixture\n",
        encoding="utf-8",
    )
    with pytest.raises(
        InputError,
        match=r"^production.csv, row 2, column 'region_value': region_value equals russia_value in every "
        r"row \(rows 2-6\): this looks like Russia's figures entered as the region's; expected the "
        r"region's own figures in region_value",
    ):
        userdata.load("tomsk", "production")
    # all rows but one: still Russia's figures (issue 23.10), named by row
    edit(good / "production.csv", set_cell(2, "russia_value", "3500"))
    with pytest.raises(
        InputError,
        match=r"^production.csv, row 3, column 'region_value': region_value equals russia_value in 3 of 4 "
        r"rows \(rows 3, 4, 6\): this looks like Russia's figures",
    ):
        userdata.load("tomsk", "production")
    # one row equal among others: a product made only in the region is possible
    for row, value in ((3, "3720"), (4, "3850")):
        edit(good / "production.csv", set_cell(row, "russia_value", value))
    assert len(userdata.load("tomsk", "production")) == 4


@pytest.mark.parametrize("divisor", [100, 7.5])
def test_russias_figures_divided_by_a_constant_are_refused(good, divisor):
    # Issue 23.10: Russia's figures / 100 passed every check; every LQ would be exactly 1.
    (good / "production.csv").write_text(
        "product,year,region_value,russia_value,unit,source\n"
        + "".join(
            f"{p},{y},{v / divisor:g},{v},thousand t,test fixture\n"
            for p, y, v in (("coal", 2015, 372000), ("coal", 2016, 385000), ("steel", 2016, 70500))
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        InputError,
        match=r"^production.csv, row 2, column 'region_value': the region's share of Russia is the same "
        r"in every row",
    ):
        userdata.load("tomsk", "production")
    edit(good / "production.csv", set_cell(4, "region_value", "3000"))  # one share differs: a region
    assert len(userdata.load("tomsk", "production")) == 3


def test_activity_bases_equal_to_russia_in_every_row_is_refused(good):
    edit(good / "activity_bases.csv", lambda rows: [r.__setitem__(5, r[4]) for r in rows[1:]])
    with pytest.raises(
        InputError,
        match=r"^activity_bases.csv, row 2, column 'region_value': region_value equals russia_value in "
        r"every row \(rows 2-4\): this looks like Russia's figures",
    ):
        userdata.validate_folder("tomsk")


RUSSIA = [
    (
        set_cell(2, "russia_value", "100"),
        r"^activity_bases.csv, row 2, column 'region_value': the region's total for turnover 2016 equals "
        r"Russia's: no region is the whole country",
    ),
    (
        set_cell(2, "region_value", "2000"),
        r"^activity_bases.csv, row 2, column 'russia_value': Russia's value is smaller than the region's",
    ),
    (
        append_row(["manufacturing", "", "turnover", "2016", "70", "500", "mln rub", "test fixture"]),
        r"^activity_bases.csv, row 2, column 'region_value': the activities under the total sum to more "
        r"than it: 110 \(rows 3, 5\); expected parts that add up to at most 100",
    ),
    (
        append_row(["manufacturing", "", "turnover", "2016", "50", "950", "mln rub", "test fixture"]),
        r"^activity_bases.csv, row 2, column 'russia_value': the activities under the total sum to more "
        r"than it: 1050 \(rows 3, 5\)",
    ),
    (
        append_row(["mining_oil", "mining", "turnover", "2016", "15", "40", "mln rub", "test fixture"]),
        r"^activity_bases.csv, row 3, column 'region_value': the activities under their parent 'mining' "
        r"sum to more than it: 45 \(rows 4, 5\)",
    ),
]


@pytest.mark.parametrize("change, error", RUSSIA, ids=[r[1][40:100] for r in RUSSIA])
def test_region_above_russia_and_parts_above_their_total_are_refused(good, change, error):
    edit(good / "activity_bases.csv", change)
    with pytest.raises(InputError, match=error):
        userdata.load("tomsk", "activity_bases")


def test_parts_may_exceed_their_total_within_rounding(good):
    # 40 + 61 = 101 over a total of 100: rounded from e.g. 39.6 + 60.6 = 100.2, total 100.4
    edit(
        good / "activity_bases.csv",
        append_row(["trade", "", "turnover", "2016", "61", "500", "mln rub", "x"]),
    )
    assert len(userdata.load("tomsk", "activity_bases")) == 4
    # with one decimal written, the rounding allowed is a tenth of that
    edit(good / "activity_bases.csv", set_cell(5, "region_value", "61.0"))
    edit(good / "activity_bases.csv", set_cell(3, "region_value", "40.0"))
    edit(good / "activity_bases.csv", set_cell(2, "region_value", "100.0"))
    with pytest.raises(InputError, match=r"row 2, column 'region_value': the activities under the total"):
        userdata.load("tomsk", "activity_bases")


# --------------------------------------------------------------------------- CSV that breaks csv
def test_a_one_megabyte_cell_is_refused_with_file_row_and_column(good, capsys):
    edit(good / "freight.csv", set_cell(3, "note", "x" * 1_000_000))
    error = r"^freight.csv, row 3, column 'note': cell longer than 10000 characters"
    with pytest.raises(InputError, match=error):
        userdata.load("tomsk", "freight")
    assert cli.main(["check-inputs", "tomsk"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: freight.csv, row 3, column 'note': cell longer than 10000 characters")
    assert "Traceback" not in err and "_csv.Error" not in err


def test_a_long_header_cell_is_refused_at_row_1(good):
    edit(good / "production.csv", lambda rows: rows[0].__setitem__(7, "n" * 200_000))
    with pytest.raises(InputError, match=r"^production.csv, row 1: cell longer than 10000 characters"):
        userdata.load("tomsk", "production")


# ------------------------------------------------------------------ messages that say the fix
FIXES = [
    (
        "production.csv",
        set_cell(2, "region_value", "1,234.5"),
        r"^production.csv, row 2, column 'region_value': not a number: the ',' looks like a thousands "
        r"separator; expected 1234.5: no thousands separators, '.' as the decimal mark; found '1,234.5'",
    ),
    (
        "production.csv",
        lambda rows: rows.append(["coal,,2015,1,234.5,432100,thousand t,test fixture,"]),
        r"^production.csv, row 3: wrong number of cells: '1,234.5' in column 'region_value' looks like one "
        r"number with a thousands separator comma: write 1234.5 \(no separator\) or quote the cell; "
        r"expected 8 cells",
    ),
    (
        "freight.csv",
        lambda rows: rows.insert(10, list(rows[0])),
        r"^freight.csv, row 11: the header line is repeated; expected the header once, in row 1: delete "
        r"this row",
    ),
]


@pytest.mark.parametrize("name, change, error", FIXES, ids=[f[2][1:70] for f in FIXES])
def test_messages_say_the_fix(good, name, change, error):
    if name == "production.csv" and "wrong number" in error:  # a raw line: the comma unquoted
        with open(good / name, "a", encoding="utf-8") as fh:
            fh.write("coal,,2015,1,234.5,432100,thousand t,test fixture,\n")
    else:
        edit(good / name, change)
    with pytest.raises(InputError, match=error):
        userdata.load("tomsk", name.removesuffix(".csv"))


@pytest.mark.parametrize(
    "text, error",
    [
        (
            'region: tomsk\n\tsource: "x"\n',
            r"^region.yml, row 2: not valid YAML: a tab character \(character 1\); expected spaces: replace "
            r"the tab by spaces .*; found '\\tsource: \"x\"'$",
        ),
        (
            "region: tomsk\nsource: x\nyears:\n  - 2014\n\t- 2015\n",
            r"^region.yml, row 5: not valid YAML: a tab character.*replace the tab by spaces",
        ),
        (
            'region: tomsk\nsource: "x\nyears: 2016\nnotes: y\n',
            r"^region.yml, row 2: not valid YAML: a quote opened here is not closed \(the parser noticed "
            r"it in row 5\); expected the closing quote",
        ),
        (
            "region: tomsk\nsource x\nyears: 2016\n",
            r"^region.yml, row 2: not valid YAML: a line without ':' after its key .*found 'source x'",
        ),
        (
            "region: tomsk\nsource: [x\nnotes: y\n",
            r"^region.yml, row 2: not valid YAML: a '\[' opened here is not closed",
        ),
        (
            " region: tomsk\nsource: x\n",
            r"^region.yml, row 1: not valid YAML: a key indented; expected every key at the start of its line",
        ),
    ],
)
def test_region_yml_syntax_errors_point_to_the_mistake(good, text, error):
    (good / "region.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=error) as exc:
        userdata.describe("tomsk")
    assert "\\\\t" not in str(exc.value)  # a tab shown as \t, not double-escaped


@pytest.mark.parametrize("misnamed", ["Tomsk", "Томская область", "TOMSK"])
def test_check_reports_a_folder_named_after_the_region(raw, capsys, misnamed):
    folder = raw / misnamed
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert cli.main(["check-inputs", "tomsk"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"error: {misnamed}: a folder for tomsk that the study does not read (named after the "
        "region's name, not by its id); expected the files in tomsk/ (rename the folder to tomsk)"
    )
    # a folder whose region.yml names the region, under another name
    folder.rename(raw / "my_region")
    assert cli.main(["check-inputs", "Tomsk Oblast"]) == 2
    assert "my_region: a folder for tomsk that the study does not read (its region.yml names tomsk)" in (
        capsys.readouterr().err
    )
    # next to the region's own folder: a warning, the check itself passes
    shutil.copytree(raw / "my_region", raw / "tomsk")
    assert cli.main(["check-inputs", "tomsk"]) == 0
    out, err = capsys.readouterr()
    assert "OK" in out and err.startswith("warning: my_region: a folder for tomsk")


def test_a_spreadsheet_where_the_csv_is_expected_is_reported(good, capsys):
    (good / "freight.csv").rename(good / "freight.xlsx")
    (good / "region.csv.txt").write_text("x", encoding="utf-8")  # not an expected name: ignored
    error = (
        r"^freight.xlsx: a spreadsheet where freight.csv is expected: the study reads CSV text only; "
        r"expected freight.csv: in Excel, File > Save As > 'CSV UTF-8 \(comma delimited\)', named freight.csv"
    )
    with pytest.raises(InputError, match=error):
        userdata.validate_folder("tomsk")
    assert cli.main(["check-inputs", "tomsk"]) == 2
    assert "error: freight.xlsx: a spreadsheet" in capsys.readouterr().err
    (good / "production.csv").rename(good / "production.csv.txt")
    problems = userdata.validate_folder("tomsk", collect=True)
    assert any(
        p.startswith("production.csv.txt: production.csv.txt where production.csv is expected")
        for p in problems
    )
    # an original kept next to the CSV it was saved as is no problem
    shutil.copy(good / "production.csv.txt", good / "production.csv")
    (good / "freight.xlsx").rename(good / "freight.csv")
    (good / "production.csv.txt").unlink()
    (good / "freight.xlsx").write_bytes(b"PK")
    assert userdata.validate_folder("tomsk") == []


def test_a_dangling_link_is_reported(good, capsys):
    (good / "freight.csv").unlink()
    (good / "freight.csv").symlink_to("missing")
    error = (
        r"^tomsk/freight.csv: a link to a file that does not exist; expected freight.csv itself in the folder, "
        r"or a link to a file that exists; found 'a link to missing'"
    )
    with pytest.raises(InputError, match=error):
        userdata.validate_folder("tomsk")
    with pytest.raises(InputError, match=error):
        userdata.load("tomsk", "freight")
    assert cli.main(["check-inputs", "tomsk"]) == 2
    assert "error: tomsk/freight.csv: a link to a file that does not exist" in capsys.readouterr().err


# ---------------------------------------------------------------------------------- | head -1
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "PYTHONUNBUFFERED"])
def test_check_inputs_into_a_reader_that_left(good, unbuffered):
    """`python -m analysis check-inputs tomsk | head -1`: head may exit before Python writes (or
    flushes at exit) what it printed; that is no error, and no traceback."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "analysis", "check-inputs", "tomsk", "--folder", str(good)],
            cwd=paths.ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
    finally:
        os.close(write_end)
    err = done.stderr.decode()
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert done.returncode == 0, err


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            "coal,,2015,1,5,432100,thousand t,test fixture,",
            r"^production.csv, row 3: wrong number of cells: '1,5' in column 'region_value' looks like one "
            r"number with a decimal comma: write 1.5 \(a decimal point\) or quote the cell; expected 8 cells",
        ),
        (
            "coal,,2015,1,5,4321,5,thousand t,test fixture,",
            r"'1,5' in column 'region_value' .* write 1.5 .*; '4321,5' in column 'russia_value' .* write "
            r"4321.5 ",
        ),
    ],
)
def test_an_unquoted_decimal_comma_gets_the_corrected_number(good, line, error):
    """data/README.md promises the number as it should be written, also when the comma splits it
    into two cells; ``2015,1`` is not offered as a year."""
    with open(good / "production.csv", "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    with pytest.raises(InputError, match=error):
        userdata.load("tomsk", "production")
