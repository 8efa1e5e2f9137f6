"""The book of executed notebooks (analysis/runner/book.py): built from the committed notebooks of
Kemerovo region into a temporary folder, checked statically and in headless Chromium; a book of
another region from made-up executed notebooks; the pieces on their own."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis import cli
from analysis.core import escape, manifest, paths
from analysis.reproduction import ledger
from analysis.runner import book, book_check
from analysis.runner.pipeline import STEPS

REGION = "kemerovo"
HERE = Path(__file__).resolve().parent
BACK_MATTER = ["gallery", "ledger", "data", "references"]


def _browser_check():
    spec = importlib.util.spec_from_file_location("browser_check", HERE / "browser_check.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["browser_check"] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


class Page(HTMLParser):
    """Tags and attributes of a page, the text of <title>, and the cells of every table with an id."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.tables: dict[str, list[list[str]]] = {}  # table id -> rows of cell texts (header first)
        self.title = ""
        self.text = ""
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._in_title = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table] = []
        if self._table and tag == "tr":
            self.tables[self._table].append([])
        if self._table and tag in ("td", "th"):
            self._cell = []
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "table":
            self._table = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        self.text += data
        if self._cell is not None:
            self._cell.append(data)
        if self._in_title:
            self.title += data

    def links(self, cls: str = "") -> list[str]:
        return [
            a["href"]
            for t, a in self.tags
            if t == "a" and "href" in a and (not cls or cls in (a.get("class") or "").split())
        ]

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book") / REGION
    with pytest.MonkeyPatch.context() as mp:  # the Sphinx sources too go to a temporary folder
        mp.setattr(book, "SOURCES", tmp_path_factory.mktemp("book-src"))
        assert cli.main(["report", "--region", REGION, "--out", str(out)]) == 0
    return out


def page(site: Path, name: str) -> Page:
    return Page((site / name).read_text(encoding="utf-8"))


def plain(text: str) -> str:
    """``text`` with Sphinx's typographic quotes made plain again."""
    return text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))


def titles() -> dict[str, str]:
    return {s: book.step_title(nbformat.read(paths.NOTEBOOKS / f"{s}.ipynb", as_version=4), s) for s in STEPS}


# ----------------------------------------------------------------------------- structure


def test_one_chapter_per_step_in_study_order_then_the_back_matter(site):
    index = page(site, "index.html")
    nav = [h.split("#")[0] for h in index.links("reference") if not h.startswith(("http", "#"))]
    chapters = [h for h in dict.fromkeys(nav) if h.removesuffix(".html") in STEPS + BACK_MATTER]
    assert chapters == [f"{s}.html" for s in STEPS + BACK_MATTER]
    names = titles()
    for s in STEPS:
        p = page(site, f"{s}.html")
        assert plain(p.title).startswith(names[s]) and names[s].startswith("Step "), s
        assert "index.html" in p.links(), s  # the sidebar leads home
    assert "https://doi.org/10.17059/2018-4-12" in index.links()  # a hyperlink, not a load


def test_front_page_asks_the_question_and_keeps_a_place_for_each_axis(site):
    index = page(site, "index.html")
    assert "Kemerovo region (Kuzbass) lives off coal" in plain(index.text)
    assert {"ledger-recomputation-axis", "ledger-official-axis", "origins"} <= index.ids()
    assert "Axis 2: official statistics" in index.text
    led = pd.read_csv(paths.processed_dir(REGION) / "reproduction.csv", keep_default_na=False)
    header, *rows = index.tables["ledger-official-summary"]
    assert header == ["source", "official_match", "official_differs", "total"]
    counted = {r[0]: [int(v) for v in r[1:]] for r in rows}
    for src in ("Table 1", "Table 7"):
        part = led[led["source"] == src]
        assert counted[src] == [
            int((part["official_status"] == "official_match").sum()),
            int((part["official_status"] == "official_differs").sum()),
            int((part["official_status"] != "").sum()),
        ]
    rows = [[plain(c) for c in r] for r in index.tables["origins-table"][1:]]
    assert rows
    assert {r[2] for r in rows} <= set(book.ORIGIN_SHORT.values()) | {"the paper's method"}
    assert any(r[2] == book.ORIGIN_SHORT["paper"] for r in rows)  # Kemerovo: the paper's own numbers
    assert any(r[2] == book.ORIGIN_SHORT["rosstat"] for r in rows)


def test_ledger_summary_equals_the_ledger_csv(site):
    led = pd.read_csv(paths.processed_dir(REGION) / "reproduction.csv")
    expected = pd.crosstab(led["source"], led["status"])
    header, *rows = page(site, "index.html").tables["ledger-summary"]
    statuses = list(ledger.STATUSES)
    assert header == ["source", *statuses, "total"]
    *body, total = rows
    assert [r[0] for r in body] == sorted(expected.index)
    for src, *counts, n in body:
        for status, shown in zip(statuses, counts, strict=True):
            assert int(shown) == (int(expected.loc[src, status]) if status in expected.columns else 0), (
                src,
                status,
            )
        assert int(n) == int((led["source"] == src).sum()), src
    assert total[0] == "total"
    assert [int(c) for c in total[1:-1]] == [int((led["status"] == st).sum()) for st in statuses]
    assert int(total[-1]) == len(led)


def test_ledger_page_shows_every_row_in_a_filterable_table(site):
    led = pd.read_csv(paths.processed_dir(REGION) / "reproduction.csv", dtype=str, keep_default_na=False)
    p = page(site, "ledger.html")
    header, *rows = p.tables["ledger-rows"]
    assert header == list(led.columns)
    assert [r[0] for r in rows] == list(led["claim_id"])
    assert rows[5] == list(led.iloc[5])
    assert any(t == "table" and "filterable" in a.get("class", "") for t, a in p.tags)
    assert "_static/book.js" in " ".join(a.get("src", "") for t, a in p.tags if t == "script")


def test_gallery_shows_every_manifest_figure_full_size_captioned_with_its_step(site):
    entries = manifest.read(REGION)
    assert entries
    p = page(site, "gallery.html")
    full = {h: i for i, h in enumerate(p.links("image-reference"))}
    for name, e in entries.items():
        png = paths.figures_dir(REGION) / f"{name}.en.png"
        target = f"_images/{png.name}"
        assert target in full, name  # the thumbnail opens the full figure...
        assert (site / target).read_bytes() == png.read_bytes(), name  # ...byte for byte
        assert "fig-" + name.replace("_", "-") in p.ids(), name
        step = next(s for s in STEPS if s.startswith(e.step + "_"))
        caption = " ".join(e.caption_en.split())
        m = re.search(re.escape(caption) + r".{0,200}?Made by step (\d+)", plain(" ".join(p.text.split())))
        assert m and int(m[1]) == int(e.step), name
        assert f"{step}.html" in p.links(), name
    alts = [a.get("alt", "") for t, a in p.tags if t == "img"]
    assert len(alts) == len(entries) and all(alts)


def test_notebook_figures_open_their_full_size_png(site):
    linked = 0
    for s in STEPS:
        for href in page(site, f"{s}.html").links("full-figure"):
            assert (site / href).is_file(), (s, href)
            assert Path(href).name.split(".")[0] in manifest.read(REGION), href
            linked += 1
    assert linked >= len(STEPS)


def test_formulas_are_typeset_by_the_local_mathjax(site):
    p = page(site, "03_gva_hhi.html")
    maths = [a for t, a in p.tags if t in ("span", "div") and "math" in (a.get("class") or "").split()]
    assert maths, "the notebook's LaTeX reaches the page as math elements"
    scripts = [a.get("src", "") for t, a in p.tags if t == "script"]
    mathjax = [s for s in scripts if "MathJax.js" in s]
    assert mathjax == [f"_static/mathjax/MathJax.js?config={book.MATHJAX_CONFIG}"]
    assert (site / "_static" / "mathjax" / "MathJax.js").is_file()
    assert (site / "_static" / "mathjax" / "config" / f"{book.MATHJAX_CONFIG}.js").is_file()


def test_each_chapter_says_the_run_it_comes_from(site):
    recorded = json.loads((paths.processed_dir(REGION) / "run_record.json").read_text(encoding="utf-8"))
    for s in STEPS:
        text = " ".join(page(site, f"{s}.html").text.split())
        assert f"This chapter comes from run {recorded['steps'][s]['run']} (run_record.json)." in text, s


def test_years_are_integers_in_the_notebook_tables(site):
    text = (site / "02_cluster_profiling.html").read_text(encoding="utf-8")
    assert "<td>2012</td>" in text and "2012.00" not in text


def test_data_page_lists_every_raw_file_with_its_origin_and_checksum(site):
    p = page(site, "data.html")
    shown = {}
    for table, rows in p.tables.items():
        if table.startswith("raw-"):
            shown.update({(table.removeprefix("raw-"), r[0]): r for r in rows[1:]})
    expected = {}
    for sums in paths.RAW.glob("*/SHA256SUMS"):
        for line in sums.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sha, name = line.split(maxsplit=1)
                expected[(sums.parent.name, name.lstrip("*"))] = sha
    assert set(shown) == set(expected)
    for key, sha in expected.items():
        assert shown[key][2] == sha, key
        assert shown[key][1] and shown[key][1] != "see data/raw/README.md", key  # an origin for each
    assert all(" : " in shown[k][1] for k in shown if k[0] == "rosstat")  # repository : path @ commit


def test_bibliography_has_the_paper_the_data_and_the_methods(site):
    text = plain(" ".join(page(site, "references.html").text.split()))
    bib = (book.BOOK / "references.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{(\w+),", bib, flags=re.M)
    for title in re.findall(r"^\s*title\s*=\s*\{\{(.+)\}\},$", bib, flags=re.M):
        assert title.replace("\\_", "_") in text, title
    assert len(keys) >= 12
    for method in ("Hoover", "Hirschman", "Herfindahl", "Krugman", "Hachman", "Ivanova", "Rosstat"):
        assert method in text, method
    chapter = page(site, "06_localization.html")
    assert any(h.startswith("references.html#") for h in chapter.links()), (
        "Hoover (1936) cites the bibliography"
    )


def test_pages_load_nothing_from_the_network(site):
    pages = sorted(site.glob("*.html"))
    assert {p.stem for p in pages} >= {"index", "search", *STEPS, *BACK_MATTER}
    assert book_check.offline_problems(site) == []
    for p in pages:
        text = p.read_text(encoding="utf-8")
        for cdn in ("cdnjs", "unpkg.com", "jsdelivr", "fonts.googleapis", "cdn.mathjax"):
            assert cdn not in text, (p.name, cdn)
        for tag, attrs in Page(text).tags:
            for key in ("src", "href"):
                value = attrs.get(key) or ""
                if tag != "a":
                    assert not re.match(r"\s*(https?:)?//", value, re.I), (p.name, tag, value[:100])


@pytest.mark.slow  # builds the book
def test_rebuilding_gives_the_same_bytes(site, tmp_path):
    listed = (site / book.MANIFEST).read_text(encoding="utf-8").split()
    assert "index.html" in listed and "searchindex.js" in listed
    before = {f: (site / f).read_bytes() for f in listed}
    again = book.build(REGION, tmp_path / "again", sources_dir=tmp_path / "src")
    assert again.warnings == []  # Sphinx found nothing wrong (a broken reference, a bad directive)
    assert (again.out / book.MANIFEST).read_text(encoding="utf-8").split() == listed
    for f, data in before.items():
        assert (again.out / f).read_bytes() == data, f


def test_every_origin_repository_is_in_the_bibliography():
    bib = (book.BOOK / "references.bib").read_text(encoding="utf-8").replace("\\_", "_")
    repos = {m[1] for f in book.raw_files() if (m := re.match(r"([\w.-]+/[\w.-]+) : ", f.origin))}
    assert repos
    for repo in sorted(repos):
        assert f"GitHub repository {repo}" in bib, f"{repo}: add a data_... entry to book/references.bib"


def test_figures_readme_is_up_to_date():
    text = book.figures_readme().decode("utf-8")
    assert (paths.FIGURES / "README.md").read_text(encoding="utf-8") == text, (
        "figures/README.md is stale: run `python -m analysis figures-readme`"
    )
    entries = manifest.read(REGION)
    pngs = {p.name.split(".")[0] for p in paths.figures_dir(REGION).glob("*.png")}
    assert set(entries) == pngs  # every figure saved has its captions, and nothing else is listed
    for name, e in entries.items():
        step = next(s for s in STEPS if s.startswith(e.step + "_"))
        en, ru = escape.markdown(e.caption_en), escape.markdown(e.caption_ru)  # shown as typed
        assert f"| `{name}` | {en} | {ru} | `notebooks/{step}.ipynb` |" in text


# ----------------------------------------------------------------------------- another region


# Where the made-up steps' inputs come from, one origin of each kind among them, as study.source
# records them.
MADE_UP_ORIGINS = {
    "01_factor_selection": [("factors", "paper", "Ivanova (2018), Method (data/raw/paper/factors.csv)")],
    "02_cluster_profiling": [("clusters", "user", "data/user/tomsk/clusters.csv")],
    "03_gva_hhi": [("GVA structure by activity", "rosstat", "data/raw/rosstat/gva.xlsx")],
    "04_coefficients": [
        ("per-capita coefficients by product", "user", "data/user/tomsk/production.csv"),
        ("population", "rosstat", "Rosstat"),
    ],
    "05_freight": [("rail freight in and out by cargo", "missing", "not among the official data")],
}


def _made_up_notebooks(folder: Path, processed: Path | None = None) -> None:
    """Executed notebooks of Tomsk region, made up: each step's title, its parameters and a first
    cell that prints nothing about its inputs; with ``processed``, a run record of steps 1-5 (runs
    1111 and 2222) that says where their inputs come from (:data:`MADE_UP_ORIGINS`)."""
    if processed is not None:
        steps = {
            s: {"origins": [dict(zip(("what", "kind", "source"), o, strict=True)) for o in found]}
            | {"run": "2222" if s == "05_freight" else "1111", "inputs": {}, "outputs": []}
            for s, found in MADE_UP_ORIGINS.items()
        }
        record = {"region": "tomsk", "runs": {"1111": {"date": "2026-12-01"}, "2222": {}}, "steps": steps}
        (processed / "tomsk").mkdir(parents=True)
        (processed / "tomsk" / "run_record.json").write_text(json.dumps(record), encoding="utf-8")
    folder.mkdir(parents=True)
    for s, title in titles().items():
        nb = new_notebook(
            cells=[
                new_markdown_cell(f"# {title}\n\nThe method, $H = \\sum_i s_i^2$."),
                new_code_cell('region = "kemerovo"\nlang = "en"', metadata={"tags": ["parameters"]}),
                new_code_cell('region = "tomsk"', metadata={"tags": ["injected-parameters"]}),
                new_code_cell(
                    "study.check(region)",
                    outputs=[new_output("stream", name="stdout", text="clusters: from the paper\n")],
                ),
            ]
        )
        nbformat.write(nb, folder / f"{s}.ipynb")


@pytest.mark.slow  # builds the book
def test_another_regions_front_page_says_where_each_part_comes_from(tmp_path, monkeypatch):
    # Issue 21: the origins come from the run record, not from the text the notebooks printed.
    _made_up_notebooks(tmp_path / "notebooks", tmp_path / "processed")
    monkeypatch.setattr(book, "notebooks_dir", lambda region: tmp_path / "notebooks")
    monkeypatch.setattr(paths, "FIGURES", tmp_path / "figures")  # no figures, no ledger
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    built = book.build("Томская область", tmp_path / "out", sources_dir=tmp_path / "src")
    index = page(built.out, "index.html")
    text = plain(" ".join(index.text.split()))
    assert "This book is for Tomsk Oblast" in text
    assert "There is no ledger for Tomsk Oblast" in text
    for kind, steps_ in [
        ("rosstat", "steps 3, 4"),
        ("user", "steps 2, 4"),
        ("paper", "none"),  # step 1's factors are the paper's method, not Kemerovo region's numbers
        ("missing", "step 5"),
    ]:
        assert f"{book.ORIGIN_LABELS[kind]}: {steps_}" in text, kind
    assert "the paper's method (any region): step 1" in text
    assert (  # steps 6-9 ran, but their record says nothing about their inputs
        "The run record does not say where the inputs of steps 6, 7, 8, 9 come from: "
        "rerun the region (python -m analysis run --region tomsk)." in text
    )
    rows = [[plain(c) for c in r] for r in index.tables["origins-table"][1:]]
    assert [r[:3] for r in rows] == [
        ["step 1", "factors", "the paper's method"],
        ["step 2", "clusters", book.ORIGIN_SHORT["user"]],
        ["step 3", "GVA structure by activity", book.ORIGIN_SHORT["rosstat"]],
        ["step 4", "per-capita coefficients by product", book.ORIGIN_SHORT["user"]],
        ["step 4", "population", book.ORIGIN_SHORT["rosstat"]],
        ["step 5", "rail freight in and out by cargo", book.ORIGIN_SHORT["missing"]],
    ]
    assert "No figure was saved for this region." in page(built.out, "gallery.html").text
    # Issue 23: each chapter says which run it comes from, and the front page that runs are mixed.
    assert "Not one run: the steps of tomsk come from 2 different runs" in text
    chapter = {s: " ".join(page(built.out, f"{s}.html").text.split()) for s in STEPS}
    assert (
        "This chapter comes from run 1111 of 2026-12-01 (run_record.json)." in chapter["01_factor_selection"]
    )
    assert "This chapter comes from run 2222 (run_record.json)." in chapter["05_freight"]
    assert "Other chapters come from other runs: see the front page." in chapter["05_freight"]
    assert "The run of this chapter is not recorded" in chapter["06_localization"]


@pytest.mark.slow  # builds the book
def test_the_data_page_lists_exactly_the_files_the_run_read_user_files_included(tmp_path, monkeypatch):
    # Issue 19.11: the page listed Kemerovo region's paper files and none of the user files read.
    _made_up_notebooks(tmp_path / "notebooks")
    monkeypatch.setattr(book, "notebooks_dir", lambda region: tmp_path / "notebooks")
    monkeypatch.setattr(paths, "FIGURES", tmp_path / "figures")
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    read = {
        "data/interim/rosstat/gva_structure.csv": "a" * 64,
        "data/reference/regions.csv": "b" * 64,
        "data/user/tomsk/clusters.csv": "c" * 64,
        "build/my_folder/production.csv": "d" * 64,
    }
    record = {
        "region": "tomsk",
        "steps": {
            "02_cluster_profiling": {"inputs": dict(list(read.items())[:3])},
            "04_coefficients": {"inputs": dict(list(read.items())[3:])},
        },
    }
    (tmp_path / "processed" / "tomsk").mkdir(parents=True)
    (tmp_path / "processed" / "tomsk" / "run_record.json").write_text(json.dumps(record), encoding="utf-8")
    built = book.build("tomsk", tmp_path / "out", sources_dir=tmp_path / "src")
    p = page(built.out, "data.html")
    rows = p.tables["run-inputs-table"][1:]
    assert {r[0]: r[2] for r in rows} == read
    origin = {r[0]: plain(r[1]) for r in rows}
    assert (
        origin["data/user/tomsk/clusters.csv"]
        == origin["build/my_folder/production.csv"]
        == "the user's folder"
    )
    assert "raw-paper" not in p.tables and "raw-rosstat" in p.tables  # no paper file was read


# ----------------------------------------------------------------------------- units


def test_origins_are_read_from_the_run_record_and_a_bad_entry_is_named():
    steps = [book.Step(s, s, Path(f"{s}.ipynb")) for s in ("01_a", "02_b")] + [book.Step("03_c", "c", None)]
    record = {
        "steps": {
            "02_b": {"origins": [{"what": "clusters", "kind": "user", "source": "data/user/x/c.csv"}]},
            "01_a": {"origins": [{"what": "gva", "kind": "rosstat", "source": "data/raw/rosstat/a.xlsx"}]},
            "03_c": {"origins": [{"what": "not run", "kind": "paper", "source": "Table 1"}]},
        }
    }
    assert book.origins(record, steps) == [  # study order, executed steps only
        book.Origin("01_a", "gva", "rosstat", "data/raw/rosstat/a.xlsx"),
        book.Origin("02_b", "clusters", "user", "data/user/x/c.csv"),
    ]
    assert book.origins({}, steps) == []  # no record: nothing declared
    record["steps"]["02_b"]["origins"].append({"what": "freight", "kind": "somewhere", "source": ""})
    with pytest.raises(book.BookError, match=r"run_record.json: steps.02_b.origins\[1\] .*'somewhere'"):
        book.origins(record, steps)


def test_a_chapter_says_its_run_under_its_title():
    record = {"runs": {"abc": {"date": "2026-12-01"}, "def": {}}, "steps": {"01_a": {"run": "abc"}}}
    line = book.run_line(record, "01_a", mixed=False)
    assert line == "*This chapter comes from run `abc` of 2026-12-01 (`run_record.json`).*"
    record["steps"]["01_a"]["run"] = "def"
    assert book.run_line(record, "01_a", mixed=True) == (
        "*This chapter comes from run `def` (`run_record.json`). "
        "Other chapters come from other runs: see the {doc}`front page <index>`.*"
    )
    assert "not recorded" in book.run_line(record, "02_b", mixed=False)
    nb = new_notebook(cells=[new_markdown_cell("Intro.\n# Step 1. A\nThe method."), new_markdown_cell("# B")])
    copy = book.prepare_notebook(nb, "*Run.*")
    assert [c.source for c in copy.cells] == ["Intro.\n# Step 1. A\n\n*Run.*\nThe method.", "# B"]


def test_notebook_language_is_the_lang_it_ran_with():
    nb = new_notebook(
        cells=[
            new_code_cell('lang = "en"', metadata={"tags": ["parameters"]}),
            new_code_cell('lang = "ru"', metadata={"tags": ["injected-parameters"]}),
        ]
    )
    assert book.notebook_lang(nb) == "ru"
    assert book.notebook_lang(new_notebook()) == "en"


def test_network_references_finds_loads_but_not_hyperlinks():
    assert book_check.network_references('<a href="https://doi.org/x">doi</a><img src="_images/a.png">') == []
    bad = (
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//fonts.example/c.css">'
        '<img src="http://e.example/i.png"><style>@import url("https://e.example/f.css");</style>'
    )
    assert len(book_check.network_references(bad)) == 4


@pytest.mark.slow  # builds the book
def test_a_page_that_would_load_over_http_fails_the_build(tmp_path, monkeypatch, capsys):
    remote = '\n```{raw} html\n<img src="https://example.org/logo.png" alt="remote">\n```\n'
    monkeypatch.setattr(book, "references_page", lambda: "# References\n" + remote)
    out = tmp_path / "out"
    monkeypatch.setattr(book, "SOURCES", tmp_path / "src")
    assert cli.main(["report", "--region", REGION, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "references.html" in err and "https://example.org/logo.png" in err
    assert not out.exists()


def test_sync_removes_files_of_the_previous_build_only(tmp_path):
    html, out = tmp_path / "html", tmp_path / "out"
    (html / "_images").mkdir(parents=True)
    (html / "_images" / "a.png").write_bytes(b"a")
    (html / "index.html").write_bytes(b"i")
    out.mkdir()
    (out / "mine.txt").write_text("not the book's")
    assert book.sync(html, out) == ["_images/a.png", "index.html"]
    (html / "_images" / "a.png").unlink()
    (html / "index.html").write_bytes(b"i2")
    book.sync(html, out)
    assert not (out / "_images" / "a.png").exists()
    assert (out / "index.html").read_bytes() == b"i2"
    assert (out / "mine.txt").exists()
    assert (out / book.MANIFEST).read_text() == "index.html\n"


def test_a_region_without_executed_notebooks_is_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(book, "notebooks_dir", lambda region: tmp_path / "none")
    assert cli.main(["report", "--region", REGION, "--out", str(tmp_path / "out")]) == 2
    assert "no executed notebooks" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_manifest_rows_are_replaced_sorted_and_stable(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "FIGURES", tmp_path)
    manifest.record("r", manifest.Entry("09_b", "09", "B, with a comma", "Б"))
    manifest.record("r", manifest.Entry("09_a", "09", "A", "А"))
    first = manifest.path("r").read_bytes()
    manifest.record("r", manifest.Entry("09_b", "09", "B, with a comma", "Б"))  # the same again
    assert manifest.path("r").read_bytes() == first
    assert list(manifest.read("r")) == ["09_a", "09_b"]
    manifest.record("r", manifest.Entry("09_a", "09", "A new caption", "А"))
    assert manifest.read("r")["09_a"].caption("en") == "A new caption"
    assert manifest.read("r")["09_b"].caption("ru") == "Б"


# ----------------------------------------------------------------------------- in a browser


@pytest.mark.slow
def test_every_page_loads_offline_in_headless_chromium(site, tmp_path):
    bc = _browser_check()
    chromium = bc.find_chromium()
    if chromium is None:
        msg = (
            "Chromium not found (install the Debian packages chromium and chromium-driver, or set "
            "$CHROMIUM): the book's browser check did not run"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg + "; in CI it must run (.ci/run installs Chromium)")
        pytest.skip(msg)
    results = bc.check_site(
        site, chromium, jobs=min(4, os.cpu_count() or 1), work=tmp_path, search="Herfindahl"
    )
    pages = {p.name for p in site.glob("*.html")}
    assert set(results) == pages | {"search.html?q=Herfindahl"}
    problems = {name: r.problems for name, r in results.items() if r.problems}
    assert not problems, problems
    names = titles()
    for s in STEPS:
        assert plain(results[f"{s}.html"].title).startswith(names[s]), s
    # every figure of the gallery is there and loads (naturalWidth > 0, checked in problems)
    assert results["gallery.html"].images == len(manifest.read(REGION))
    assert sum(results[f"{s}.html"].images for s in STEPS) >= len(STEPS)
    # MathJax typeset the formulas of step 3
    assert results["03_gva_hhi.html"].math > 0
    # the search, run from file://, finds step 3's chapter
    assert "03_gva_hhi.html" in [
        h.split("?")[0].split("#")[0] for h in results["search.html?q=Herfindahl"].found
    ]


def test_the_papers_method_is_not_listed_as_the_papers_own_numbers():
    """Step 1 reads the factors of the paper's Method, the study's method for any region: the front
    page lists it apart, never under "the paper's own (Kemerovo region only)" for a user region."""
    found = [
        book.Origin(
            "01_factor_selection", "factors", "paper", "Ivanova (2018), Method (data/raw/paper/factors.csv)"
        ),
        book.Origin("03_gva_hhi", "GVA structure", "rosstat", "Rosstat"),
    ]
    lines = book._origins_section(found)
    assert f"- **{book.ORIGIN_LABELS['paper']}**: none" in lines
    assert "- **the paper's method (any region)**: step 1" in lines


def test_a_book_of_steps_from_different_runs_says_so_on_its_front_page(monkeypatch):
    # Issue 23.4: a book built from a mix of old and new runs said nothing.
    said = "the steps of tomsk come from 2 different runs (run a: 01_factor_selection; run b: 02_cluster_profiling)"
    monkeypatch.setattr(book, "mixed_runs", lambda region: said)
    page = book.index_page("tomsk", [], [], None)
    assert "```{warning}" in page and "Not one run: the steps of tomsk come from 2 different runs" in page
    monkeypatch.setattr(book, "mixed_runs", lambda region: None)
    assert "{warning}" not in book.index_page("tomsk", [], [], None)
