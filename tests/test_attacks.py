"""The attacks of issue 23 that were silent or crashed, each refused or handled now.

A table of attack -> result is in the closing note of the issue; the slow ones (a run, a book)
are marked ``slow``."""

from __future__ import annotations

import csv
import io
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import study
from analysis.core import paths
from analysis.core.errors import InputError


@pytest.mark.parametrize("value", [-1, -0.5, 0, math.nan, math.inf, -math.inf])
def test_a_threshold_that_no_quotient_can_exceed_meaningfully_is_a_parameter_error(value):
    # Issue 23.11: a negative or NaN threshold ended in a matplotlib error inside step 6.
    with pytest.raises(
        InputError, match=r"^column 'threshold': parameter threshold .*expected a finite number above 0"
    ):
        study.check_values({"threshold": value})
    with pytest.raises(InputError, match="threshold"):
        study.start("tomsk", "en", threshold=value)


@pytest.mark.parametrize("value", [1, 1.0, 0.8, 2])
def test_a_positive_threshold_passes(value):
    study.check_values({"threshold": value, "founded": 0})


# ------------------------------------------------ 23.1: no user string runs in the book
PAYLOAD = (
    '<script>alert("s")</script> <img src=x onerror=alert("i")> [click](javascript:alert("m")) '
    "<a href=\"javascript:alert('a')\">a</a> <div onmouseover=\"alert('d')\">raw</div> *em* `code`"
)


def test_user_text_is_literal_markdown_and_generated_markdown_loses_html_and_script_links():
    from analysis.core import escape

    literal = escape.markdown(PAYLOAD + "\n\n<script>x</script>")
    assert "<" not in literal.replace("\\<", "") and "\n" not in literal
    safe = escape.safe_markdown(f"The cluster **{PAYLOAD}** works.\n[r]: javascript:alert(1)\n")
    assert "<" not in safe and "](javascript" not in safe and "\n[r]:" not in safe
    assert "**" in safe and escape.safe_markdown("[doi](https://doi.org/x)") == "[doi](https://doi.org/x)"


def test_the_book_checker_finds_scripts_handlers_and_script_links_it_did_not_write():
    from analysis.runner import book_check

    own = (
        "<script src=\"_static/book.js\"></script><script>DOCUMENTATION_OPTIONS.pagename = 'index';</script>"
        '<a href="https://doi.org/10.17059/2018-4-12">doi</a>'
    )
    assert book_check.foreign_scripts(own) == []
    found = book_check.foreign_scripts(own + "<p>" + PAYLOAD + '</p><script src="x.js"></script>')
    assert len(found) == 5, found  # the inline script, both handlers, the javascript: link, x.js


def _payload_folder(src: Path, dst: Path) -> None:
    """A copy of the worked example with the payload in every free-text cell and region.yml."""
    shutil.copytree(src, dst)
    for f in dst.glob("*.csv"):
        rows = list(csv.DictReader(io.StringIO(f.read_text(encoding="utf-8"))))
        cols = list(rows[0])
        for r in rows:
            for c in cols:
                if c.endswith("_label") or c.startswith("name"):
                    r[c] = f"{PAYLOAD} {r[c]}"
                elif c in ("source", "note"):
                    r[c] = PAYLOAD
        buf = io.StringIO()
        w = csv.DictWriter(buf, cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        f.write_text(buf.getvalue(), encoding="utf-8")
    quoted = PAYLOAD.replace("'", "''")
    (dst / "region.yml").write_text(
        f"region: tomsk\nsource: '{quoted}'\nyears: 2014-2016\nnotes: |\n  {PAYLOAD}\n\n  <script>alert('block')</script>\n",
        encoding="utf-8",
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_book_built_after_a_run_with_payloads_in_every_user_string_runs_none_of_them(tmp_path, lang):
    # Issue 23.1: a product_label <script> ran in the Russian caption of step 4's figure. The
    # check inside the build (book_check.script_problems) would fail the report; the scan here is the same.
    from analysis.runner import book_check, workspace

    copy = workspace.make_copy(tmp_path / "repo")
    _payload_folder(paths.USER / "example_region", copy / "data" / "user" / "evil")
    env = workspace.copy_env(copy)
    run = [sys.executable, "-m", "analysis"]
    r = subprocess.run(
        [
            *run,
            "run",
            "--region",
            "tomsk",
            "--lang",
            lang,
            "--engine",
            "inprocess",
            "--light-figures",
            "--param",
            "user_folder=data/user/evil",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run(
        [*run, "report", "--region", "tomsk"], cwd=copy, env=env, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr
    site = copy / "build" / "report" / "tomsk"
    assert book_check.script_problems(site) == []
    pages = " ".join(p.read_text(encoding="utf-8") for p in site.glob("*.html"))
    assert "onmouseover=" in pages.replace("&quot;", '"')  # the text is there, shown, not run


# ------------------------------------------------ 23.6: a full disk during report
def test_a_full_disk_during_report_leaves_the_book_in_place_and_says_the_disk_is_full(tmp_path, monkeypatch):
    import errno

    from analysis.runner import book

    html, out = tmp_path / "html", tmp_path / "out"
    for name, text in {"index.html": "new index", "a.html": "new a", "_images/f.png": "new png"}.items():
        (html / name).parent.mkdir(parents=True, exist_ok=True)
        (html / name).write_text(text, encoding="utf-8")
    out.mkdir()
    (out / "index.html").write_text("old index", encoding="utf-8")
    (out / "mine.txt").write_text("not the book's", encoding="utf-8")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    writes = []
    real = book.write_bytes

    def full_disk(path, data):
        writes.append(path)
        if len(writes) == 2:  # the second page: the book is half written
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(book, "write_bytes", full_disk)
    with pytest.raises(
        book.BookError, match=r"^the disk is full: writing the book in .*out/ failed .*not changed"
    ):
        book.swap_in(html, out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "out"]  # no half-made copy left
    monkeypatch.setattr(book, "write_bytes", real)
    book.swap_in(html, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "new index"
    assert (out / "mine.txt").exists() and (out / "_images" / "f.png").exists()


@pytest.mark.parametrize("value", [0, -1, float("nan")])
def test_a_senseless_threshold_stops_the_run_before_anything_runs(value):
    from analysis.runner import pipeline

    with pytest.raises(InputError, match="not a location quotient a specialisation can exceed"):
        pipeline.prepare("kemerovo", ["06_localization"], {"threshold": value})


# ------------------------------------------------ 23.3: bounded input, bounded memory
def _example_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "tomsk"
    shutil.copytree(paths.USER / "example_region", folder)
    return folder


def _freight_rows(n_cargos: int, years: int = 1) -> str:
    head = "cargo,cargo_label,direction,year,quantity,value,unit,source,note\n"
    return head + "".join(
        f"c{i},Груз {i},{d},{2014 + y},volume,1,thousand t,a test,\n"
        for i in range(n_cargos)
        for d in ("in", "out")
        for y in range(years)
    )


def test_a_file_larger_than_the_limit_is_refused_unread(tmp_path):
    from analysis.core import sources
    from analysis.inputs import userdata

    folder = _example_copy(tmp_path)
    big = folder / "freight.csv"
    big.write_text(_freight_rows(1) + "x" * (sources.MAX_FILE_BYTES + 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"freight\.csv.*larger than the study reads.*at most 5 MB"):
        userdata.validate_folder("tomsk", folder)


def test_a_file_with_more_rows_than_the_limit_is_refused(tmp_path):
    from analysis.core import sources
    from analysis.inputs import userdata

    folder = _example_copy(tmp_path)
    (folder / "freight.csv").write_text(_freight_rows(sources.MAX_ROWS // 2 + 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"more rows than the study reads.*at most 20000 data rows"):
        userdata.validate_folder("tomsk", folder)


def test_more_cargos_than_a_figure_can_show_are_refused_with_the_count(tmp_path):
    from analysis.core import sources
    from analysis.inputs import userdata

    folder = _example_copy(tmp_path)
    (folder / "freight.csv").write_text(_freight_rows(sources.MAX_CATEGORIES + 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"column 'cargo'.*more different values.*found 101"):
        userdata.validate_folder("tomsk", folder)
    (folder / "freight.csv").write_text(_freight_rows(sources.MAX_CATEGORIES), encoding="utf-8")
    userdata.validate_folder("tomsk", folder)  # at the limit: accepted
