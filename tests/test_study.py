"""What every notebook calls: parameter checks, the input lines, the paper-only sections."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from analysis import study
from analysis.core import figures
from analysis.core.errors import InputError
from analysis.inputs.region import Missing, Sourced


def test_start_resolves_names_and_refuses_bad_parameters(capsys):
    run = study.start("Томская область", "en", runner=True, threshold=1.0)
    assert run == study.Run("tomsk", "en", figures.FORMATS, figures.LANGS, 300, True)
    assert study.current() is run
    with pytest.raises(InputError, match="lang"):
        study.start("tomsk", "de")
    with pytest.raises(InputError, match="threshold"):
        study.start("tomsk", "en", threshold="1")
    with pytest.raises(InputError, match="column 'runner'"):
        study.start("tomsk", runner="yes")
    with pytest.raises(InputError, match=r"column 'user_folder'.*does not exist"):
        study.start("tomsk", user_folder="data/user/no_such_folder")
    assert "NOTE" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("param", "value"), [("figure_formats", "png,gif"), ("figure_langs", "de"), ("figure_dpi", -100)]
)
def test_start_refuses_unknown_figure_parameters_naming_them(param, value):
    with pytest.raises(InputError, match=rf"^column '{param}': .*found {value!r}"):
        study.start("tomsk", **{param: value})


def test_the_run_carries_the_figures_asked_for_but_the_default_region_writes_all():
    light = {"figure_formats": "png", "figure_langs": "ru", "figure_dpi": 100}
    run = study.start("tomsk", **light)
    assert (run.formats, run.langs, run.dpi) == (("png",), ("ru",), 100)
    run = study.start("kemerovo", **light)
    assert (run.formats, run.langs, run.dpi) == (figures.FORMATS, figures.LANGS, 300)


def test_another_region_run_by_hand_warns_about_the_committed_notebook(capsys):
    study.start("tomsk")
    out = capsys.readouterr().out
    assert "NOTE: this is the committed notebook of kemerovo" in out and "--region tomsk" in out
    study.start("kemerovo")
    assert "NOTE" not in capsys.readouterr().out
    study.start("tomsk", runner=True)  # the runner writes it to build/notebooks/tomsk/
    assert "NOTE" not in capsys.readouterr().out


def test_figure_writes_what_the_run_asks_for_and_lists_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(study.paths, "FIGURES", tmp_path)
    monkeypatch.setattr(study.paths, "RUNS", tmp_path / "runs")
    monkeypatch.setattr(study.manifest, "record", lambda region, entry: None)

    def draw(lang):
        fig, ax = figures.new(3, 2)
        ax.plot([1, 2], [1, 2])
        return fig

    for region, light, expected in (
        ("tomsk", "png", ["f.en.png"]),
        ("tomsk", "", [f"f.{lg}.{fmt}" for lg in figures.LANGS for fmt in figures.FORMATS]),
        ("kemerovo", "png", [f"f.{lg}.{fmt}" for lg in figures.LANGS for fmt in figures.FORMATS]),
    ):
        shutil.rmtree(tmp_path / region, ignore_errors=True)
        study.start(region, figure_formats=light, figure_langs="en" if light else "", runner=True)
        study.figure(draw, "f", region, caption=("A figure", "Рисунок"))
        assert sorted(p.name for p in (tmp_path / region).iterdir()) == sorted(expected), (region, light)
        study.outputs("99_test")
        assert sorted(capsys.readouterr().out.split()) == sorted(expected)  # outputs lists them


def test_source_and_has_print_where_data_come_from_or_one_skipped_line(capsys):
    study.start("tomsk", runner=True)
    got = Sourced("rail freight", pd.DataFrame({"a": [1]}), "user", "data/user/x/freight.csv")
    missing = Missing("rail freight", "not among the official data", "data/user/x/freight.csv")
    study.source(got)
    study.source(missing)
    assert study.has(got) and not study.has(missing)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "rail freight: from the user's folder, data/user/x/freight.csv"
    assert lines[1] == (
        "SKIPPED: rail freight: not among the official data; supply data/user/x/freight.csv (see data/README.md)"
    )
    assert lines[2].startswith("SKIPPED: no rail freight")


def test_against_paper_skips_other_regions_and_shows_ledger_rows_for_the_papers(capsys):
    study.against_paper("tomsk", sources=("Table 3",))
    assert capsys.readouterr().out.startswith("SKIPPED: the paper prints these numbers")
    study.against_paper("kemerovo", sources=("Table 3",))
    out = capsys.readouterr().out
    # Table 3: 3 domestic (= Table 4), 3 exports (total - domestic), 3 totals, 3 marketability ratios
    assert "12 published numbers recomputed: 12 reproduced." in out


def test_write_table_records_the_file_for_the_outputs_list(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(study.paths, "PROCESSED", tmp_path)
    monkeypatch.setattr(study.paths, "RUNS", tmp_path / "runs")
    study.start("tomsk", runner=True)
    study.write_table(pd.DataFrame({"a": [1]}), "tomsk", "t")
    study.outputs("99_test")
    assert capsys.readouterr().out.strip().endswith("t.csv")
    assert (tmp_path / "tomsk" / "t.csv").read_text() == "a\n1\n"
    record = json.loads((tmp_path / "runs" / "tomsk" / "99_test.record.json").read_text())
    assert record["outputs"] == ["t.csv"]  # outside the repository a path shows as its name only
    assert "data/reference/regions.csv" in record["inputs"]
    # A new run (the next notebook of the worker) starts with nothing written; by hand, no record.
    (tmp_path / "runs" / "tomsk" / "99_test.record.json").unlink()
    study.start("tomsk")
    study.outputs("99_test")
    assert "no files written" in capsys.readouterr().out
    assert not (tmp_path / "runs" / "tomsk" / "99_test.record.json").exists()


def test_the_steps_record_keeps_where_each_input_comes_from_as_data(tmp_path, monkeypatch, capsys):
    # Issue 21: the book parsed these lines back out of the notebooks' printed outputs.
    monkeypatch.setattr(study.paths, "RUNS", tmp_path / "runs")
    study.start("tomsk", runner=True)
    got = Sourced("clusters", pd.DataFrame(), "user", "data/user/tomsk/clusters.csv")
    study.source(got)
    study.source(Missing("rail freight", "not among the official data", "data/user/tomsk/freight.csv"))
    study.declare("GVA structure", "rosstat", "data/raw/rosstat/a.xlsx")
    study.source(got)  # said twice, recorded once
    study.outputs("99_test")
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "GVA structure: from Rosstat, data/raw/rosstat/a.xlsx"  # as the input layer says it
    record = json.loads((tmp_path / "runs" / "tomsk" / "99_test.record.json").read_text())
    assert record["origins"] == [
        {"what": "clusters", "kind": "user", "source": "data/user/tomsk/clusters.csv"},
        {
            "what": "rail freight",
            "kind": "missing",
            "source": "not among the official data; supply data/user/tomsk/freight.csv (see data/README.md)",
        },
        {"what": "GVA structure", "kind": "rosstat", "source": "data/raw/rosstat/a.xlsx"},
    ]
    study.start("tomsk", runner=True)  # the next notebook in the same worker starts with none
    study.outputs("98_test")
    assert json.loads((tmp_path / "runs" / "tomsk" / "98_test.record.json").read_text())["origins"] == []


def test_names_and_notes_over_several_inputs():
    a = Sourced("a", pd.DataFrame(), "user", "data/user/x/a.csv", {"coal": "Уголь", "ore": "Руда"})
    b = Sourced("b", pd.DataFrame(), "user", "data/user/x/b.csv", {"coal": "Уголь каменный"})
    gone = Missing("c", "not there")
    assert study.names(a, gone, b) == {"coal": "Уголь", "ore": "Руда"}  # the first input wins
    assert study.names(gone) == {}
    line = study.notes([a, gone, b], "en", rosstat=True)
    assert line == "Source: data/user/x/a.csv; data/user/x/b.csv; Rosstat"  # "Source:" said once
    # one file read twice, Rosstat named by an input already: each said once ("Rosstat, Rosstat")
    r = Sourced("r", pd.DataFrame(), "rosstat", "Rosstat, Regions of Russia appendix, table 16.1")
    assert study.notes([a, a, r], "en", rosstat=True) == (
        "Source: data/user/x/a.csv; Rosstat, Regions of Russia appendix, table 16.1"
    )
    assert str(r) == "r: from Rosstat, Regions of Russia appendix, table 16.1"
    assert study.notes([gone], "ru") == ""


def test_notes_say_one_source_once():
    a = Sourced("turnover", pd.DataFrame(), "user", "data/user/x/activity_bases.csv (yearbook)")
    b = Sourced("bases", pd.DataFrame(), "user", "data/user/x/activity_bases.csv (yearbook)")
    assert (
        study.notes([a, b], "en", rosstat=True)
        == "Source: data/user/x/activity_bases.csv (yearbook); Rosstat"
    )


def test_years_show_as_integers_where_tables_are_shown():
    df = pd.DataFrame({"founded": [2012.0, None], "value": [2012.0, 3.5], 2010.0: [1.0, 2.0]})
    d = study.years_as_integers(df)
    assert list(d.columns) == ["founded", "value", 2010]
    assert d["founded"].tolist()[0] == 2012 and pd.isna(d["founded"].tolist()[1])
    assert d["value"].tolist() == [2012.0, 3.5]
    html = d.to_html(na_rep="")
    assert (
        "&lt;NA&gt;" not in html
        and "<th>2010</th>" in html
        and "<td>2012</td>" in html
        and "<td>2012.0</td>" in html
    )  # value keeps it
    # the index too: a year level (float for a missing year) as integers, other levels as they are
    idx = pd.MultiIndex.from_arrays([[2010.0, 2011.0, None], [1.5, 2.0, 3.0]], names=["year", "x"])
    text = study.years_as_integers(pd.DataFrame({"v": [1, 2, 3]}, index=idx)).to_string()
    assert "2010 1.5" in " ".join(text.split()) and "2010.0" not in text and "2.0" in text
    one = study.years_as_integers(pd.DataFrame({"v": [1.0]}, index=pd.Index([2016.0], name="founded")))
    assert one.index.tolist() == [2016] and one.index.name == "founded"


@pytest.mark.parametrize(
    ("kwargs", "column", "expected"),
    [
        ({"region": 42}, "region", "a region name or id (text)"),
        ({"user_folder": 3}, "user_folder", "a folder (text)"),
        ({"runner": "yes"}, "runner", "True or False"),
        ({"threshold": True}, "threshold", "a number"),  # a bool is no number to a reader
        ({"threshold": "1"}, "threshold", "a number"),
    ],
)
def test_start_refuses_a_parameter_of_the_wrong_type_naming_it(kwargs, column, expected):
    args = {"region": "kemerovo", **kwargs}
    with pytest.raises(InputError) as err:
        study.start(args.pop("region"), **args)
    assert err.value.column == column and err.value.expected == expected
    assert study.start("kemerovo", threshold=1.5).region == "kemerovo"
