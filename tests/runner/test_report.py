"""The offline HTML report (analysis/report.py): built from the committed notebooks of Kemerovo
region into a temporary folder, checked statically and in headless Chromium."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis import cli
from analysis.core import manifest, paths
from analysis.runner import report
from analysis.runner.pipeline import STEPS

REGION = "kemerovo"
HERE = Path(__file__).resolve().parent


def _browser_check():
    spec = importlib.util.spec_from_file_location("browser_check", HERE / "browser_check.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["browser_check"] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


class Page(HTMLParser):
    """Tags and attributes of a page, plus the ledger cells and the text of <title>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.cells: dict[tuple[str, str], str] = {}
        self.title = ""
        self._cell = None
        self._in_title = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "td" and "data-source" in a:
            self._cell = (a["data-source"], a["data-status"])
            self.cells[self._cell] = ""
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._cell:
            self.cells[self._cell] += data
        if self._in_title:
            self.title += data

    def links(self, **attrs) -> list[str]:
        return [
            a["href"]
            for t, a in self.tags
            if t == "a"
            and "href" in a
            and all(a.get(k) == v or v in (a.get(k) or "").split() for k, v in attrs.items())
        ]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / REGION
    assert cli.main(["report", "--region", REGION, "--out", str(out)]) == 0
    return out


def page(site: Path, name: str) -> Page:
    return Page((site / name).read_text(encoding="utf-8"))


def titles() -> dict[str, str]:
    return {
        s: report.step_title(nbformat.read(paths.NOTEBOOKS / f"{s}.ipynb", as_version=4), s) for s in STEPS
    }


# ----------------------------------------------------------------------------- structure


def test_index_lists_every_step_page(site):
    index = page(site, "index.html")
    assert index.links(**{"class": "step-link"}) == [f"{s}.html" for s in STEPS]
    for s in STEPS:
        assert (site / f"{s}.html").is_file(), s
    assert "https://doi.org/10.17059/2018-4-12" in index.links()  # a hyperlink, not a load


def test_every_step_page_links_back_and_to_its_neighbours(site):
    names = titles()
    for i, s in enumerate(STEPS):
        p = page(site, f"{s}.html")
        assert "index.html" in p.links(), s
        # the navigation bar is at the top and at the bottom of the page
        assert p.links(rel="prev") == ([f"{STEPS[i - 1]}.html"] * 2 if i > 0 else []), s
        assert p.links(rel="next") == ([f"{STEPS[i + 1]}.html"] * 2 if i + 1 < len(STEPS) else []), s
        assert p.title.strip() == names[s] and names[s].startswith("Step "), s
        assert p.links(**{"class": "report-index"}) == ["index.html"] * 2, s


def test_ledger_summary_equals_the_ledger_csv(site):
    led = pd.read_csv(paths.processed_dir(REGION) / "reproduction.csv")
    expected = pd.crosstab(led["source"], led["status"])
    cells = page(site, "index.html").cells
    shown_sources = {src for src, _ in cells} - {"total"}
    assert shown_sources == set(expected.index)
    for src in expected.index:
        for status in ("reproduced", "within_rounding", "discrepancy", "transcribed_only"):
            n = int(expected.loc[src, status]) if status in expected.columns else 0
            assert int(cells[(src, status)]) == n, (src, status)
        assert int(cells[(src, "total")]) == int((led["source"] == src).sum()), src
    for status, n in led["status"].value_counts().items():
        assert int(cells[("total", status)]) == n, status
    assert int(cells[("total", "total")]) == len(led)


def test_gallery_shows_every_png_copied_and_linked_to_its_step(site):
    pngs = sorted(paths.figures_dir(REGION).glob("*.png"))
    assert pngs
    index = page(site, "index.html")
    srcs = [a["src"] for t, a in index.tags if t == "img"]
    assert sorted(srcs) == sorted(f"figures/{p.name}" for p in pngs)
    for p in pngs:
        assert (site / "figures" / p.name).read_bytes() == p.read_bytes(), p.name
    names = sorted({p.name.split(".")[0] for p in pngs})
    step_links = index.links(**{"class": "figure-step"})
    assert len(step_links) == len(names)  # every figure is made by some notebook
    for href in step_links:
        target, _, anchor = href.partition("#")
        assert (site / target).is_file(), href
        if anchor:
            assert f'id="{anchor}"' in (site / target).read_text(encoding="utf-8"), href
    alts = [a.get("alt", "") for t, a in index.tags if t == "img"]
    assert all(alts), "every gallery image has a caption as alt text"


def test_pages_load_nothing_from_the_network(site):
    pages = sorted(site.glob("*.html"))
    assert len(pages) == len(STEPS) + 1
    loads = {
        "script": ("src",),
        "link": ("href",),
        "img": ("src", "srcset"),
        "iframe": ("src",),
        "source": ("src", "srcset"),
        "embed": ("src",),
        "object": ("data",),
    }
    for p in pages:
        text = p.read_text(encoding="utf-8")
        parsed = Page(text)
        for tag, attrs in parsed.tags:
            for key in loads.get(tag, ()):
                value = attrs.get(key) or ""
                assert not re.match(r"\s*(https?:)?//", value, re.I), (p.name, tag, value[:100])
        for cdn in ("cdnjs", "unpkg.com", "jsdelivr", "fonts.googleapis", "require.min.js", "MathJax"):
            assert cdn not in text, (p.name, cdn)
        assert not any(t == "script" and "src" in a for t, a in parsed.tags), p.name
        assert report.network_references(text) == [], p.name


def test_rendering_twice_gives_the_same_bytes(site):
    again = report.render(REGION)
    written = (site / report.MANIFEST).read_text(encoding="utf-8").split()
    assert written == list(again)  # sorted, the same files
    for rel_path, data in again.items():
        assert (site / rel_path).read_bytes() == data, rel_path
    assert cli.main(["report", "--region", REGION, "--out", str(site)]) == 0  # a rebuild in place
    for rel_path, data in again.items():
        assert (site / rel_path).read_bytes() == data, rel_path


def test_figures_readme_is_up_to_date():
    text = report.figures_readme().decode("utf-8")
    assert (paths.FIGURES / "README.md").read_text(encoding="utf-8") == text, (
        "figures/README.md is stale: run `python -m analysis figures-readme`"
    )
    entries = manifest.read(REGION)
    pngs = {p.name.split(".")[0] for p in paths.figures_dir(REGION).glob("*.png")}
    assert set(entries) == pngs  # every figure saved has its captions, and nothing else is listed
    for name, e in entries.items():
        step = next(s for s in STEPS if s.startswith(e.step + "_"))
        assert f"| `{name}` | {e.caption_en} | {e.caption_ru} | `notebooks/{step}.ipynb` |" in text


# ----------------------------------------------------------------------------- units


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


def test_network_references_finds_loads_but_not_hyperlinks():
    assert report.network_references('<a href="https://doi.org/x">doi</a><img src="figures/a.png">') == []
    bad = (
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//fonts.example/c.css">'
        '<img src="http://e.example/i.png"><style>@import url("https://e.example/f.css");</style>'
    )
    assert len(report.network_references(bad)) == 4
    # nbconvert's stock lab template links to CDNs; the report's template does not
    from nbconvert import HTMLExporter

    nb = new_notebook(cells=[new_markdown_cell("# Step 1. x"), new_code_cell("1")])
    stock, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert report.network_references(stock)
    step = report.Step("01_x", "Step 1. x", Path("x.ipynb"))
    ours, _ = report.exporter().from_notebook_node(
        nb,
        resources={
            "metadata": {"name": step.title},
            "report": {"css": "", "region": REGION, "source": "x", "prev": None, "next": None},
        },
    )
    assert report.network_references(ours) == []


def test_build_removes_files_of_the_previous_build_only(tmp_path, monkeypatch):
    out = tmp_path / "site"
    out.mkdir()
    (out / "mine.txt").write_text("not the report's")
    monkeypatch.setattr(report, "render", lambda region: {"figures/a.en.png": b"a", "index.html": b"i"})
    report.build(REGION, out)
    assert (out / "figures" / "a.en.png").read_bytes() == b"a"
    monkeypatch.setattr(report, "render", lambda region: {"index.html": b"i2"})
    report.build(REGION, out)
    assert not (out / "figures" / "a.en.png").exists()
    assert (out / "index.html").read_bytes() == b"i2"
    assert (out / "mine.txt").exists()
    assert (out / report.MANIFEST).read_text() == "index.html\n"


def test_a_region_without_executed_notebooks_is_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(report, "notebooks_dir", lambda region: tmp_path / "none")
    assert cli.main(["report", "--region", REGION, "--out", str(tmp_path / "out")]) == 2
    assert "no executed notebooks" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- in a browser


@pytest.mark.slow
def test_every_page_loads_offline_in_headless_chromium(site, tmp_path):
    bc = _browser_check()
    chromium = bc.find_chromium()
    if chromium is None:
        msg = (
            "Chromium not found (install the Debian packages chromium and chromium-driver, or set "
            "$CHROMIUM): the report's browser check did not run"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg + "; in CI it must run (.ci/run installs Chromium)")
        pytest.skip(msg)
    results = bc.check_site(site, chromium, jobs=min(4, os.cpu_count() or 1), work=tmp_path)
    assert sorted(results) == sorted(["index.html", *(f"{s}.html" for s in STEPS)])
    problems = {name: r.problems for name, r in results.items() if r.problems}
    assert not problems, problems
    names = titles()
    for s in STEPS:
        assert results[f"{s}.html"].title == names[s], s
    n_png = len(list(paths.figures_dir(REGION).glob("*.png")))
    assert results["index.html"].images == n_png
    # the notebooks' own images (data: URIs) are there and load too
    assert sum(results[f"{s}.html"].images for s in STEPS) >= 1
