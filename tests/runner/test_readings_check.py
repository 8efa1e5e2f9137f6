"""The sweep of generated sentences, on hand-made notebooks and texts; the full sweep over every
region is slow (``make check-readings``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import run_cli
from PIL import Image

from analysis.runner import readings_check as rc
from analysis.runner import workspace


def _checks(text: str, kemerovo: bool = False) -> list[str]:
    return [c for c, _ in rc.check_text(text, kemerovo=kemerovo)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("not faster than Russia over the period (nan against 116.2)", ["nan"]),
        ("the ratio is inf", ["nan"]),
        ("Financing is not a finance word", []),
        ("GRP per inhabitant ranged from 41.2 to 41.2 %.", ["from_x_to_x"]),
        ("from 0.00 to 0.00 times Russia's", ["from_x_to_x"]),
        ("HHI fell from 1 520 to 1 480 in 2014-2016.", []),
        ("The export share rose every year: 20.0, 20.0, 20.1 %.", ["monotonic"]),
        ("The export share rose every year (20.0, 20.5, 21.1 %).", []),
        ("The share fell every year, 30.1, 29.0, 29.5 %.", ["monotonic"]),
        ("Output rose every year 2012-2016 (index above 100) while its share fell from 34.6 to 21.4 %.", []),
        ("Coal leaves the region.", ["kemerovo_words"]),
        ("Output rose every year of 2014-2016 (1.0 (2014), 2.0 (2016)).", ["few_years"]),
        ("Output rose every year of 2014-2016 (1.0 (2014), 2.0 (2015), 3.0 (2016)).", []),
        ("Доля угля в Кузбассе выросла.", ["kemerovo_words"]),
    ],
)
def test_each_check_finds_what_it_names_and_nothing_else(text, found):
    assert _checks(text) == found


def test_coal_words_belong_to_kemerovo_regions_own_notebooks():
    assert _checks("Coal leaves Kuzbass.", kemerovo=True) == []


def test_a_region_is_checked_from_its_notebook_outputs_captions_and_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(rc.paths, "figures_dir", lambda region: tmp_path / "figures" / region)
    monkeypatch.setattr(rc.manifest.paths, "figures_dir", lambda region: tmp_path / "figures" / region)
    nbs = tmp_path / "nb"
    nbs.mkdir()
    cells = [
        {
            "cell_type": "markdown",
            "source": "Method: coal regions and nan are words of the prose",
            "metadata": {},
        },
        {
            "cell_type": "code",
            "source": "study.say(...)",
            "outputs": [{"output_type": "display_data", "data": {"text/markdown": "ranged from 3 to 3 %"}}],
        },
    ]
    (nbs / "03_gva_hhi.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")
    figs = tmp_path / "figures" / "tomsk"
    figs.mkdir(parents=True)
    Image.new("RGB", (260, 100)).save(figs / "03_hhi.en.png")
    Image.new("RGB", (250, 100)).save(figs / "03_ok.en.png")
    (figs / "manifest.csv").write_text(
        "name,step,caption_en,caption_ru\n03_hhi,03,HHI of coal,ИХХ\n", encoding="utf-8"
    )
    found = rc.check_region("tomsk", nbs)
    assert sorted((f.where, f.check) for f in found) == [
        ("03_gva_hhi", "from_x_to_x"),
        ("03_hhi", "kemerovo_words"),
        ("03_hhi.en.png", "wide_figure"),
    ]
    out = tmp_path / "check.csv"
    rc.write(found, out)
    rc.write(found[:1], out, append=True)
    assert out.read_text(encoding="utf-8").count("\n") == 1 + 3 + 1
    assert "from_x_to_x: 1" in rc.summary(found, ["tomsk"])


@pytest.mark.slow
@pytest.mark.sweep
def test_every_region_and_the_worked_example_read_true(repo_copy):
    """make check-readings, in a copy of the repository: every region a run accepts and
    data/user/example_region; the findings are listed in the copy's build/check-readings.csv."""
    env = workspace.copy_env(repo_copy)
    r = run_cli(repo_copy, "run", "--region", "all", "--jobs", "2", timeout=3600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    r = run_cli(repo_copy, "run", "--region", "tyumen_excl_ao,arkhangelsk_excl_nenets", "--jobs", "2")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    check = [sys.executable, "-m", "analysis.runner.readings_check"]
    every = subprocess.run(check, cwd=repo_copy, env=env, capture_output=True, text=True, check=False)
    # then the worked example, run as tomsk (after the sweep, which would read it as tomsk's)
    r = run_cli(repo_copy, "run", "--region", "tomsk", "--param", "user_folder=data/user/example_region")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    example = subprocess.run(
        [*check, "tomsk", "--as", "example_region", "--out", "build/example.csv"],
        cwd=repo_copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert " 0 finding(s)" in every.stdout, every.stdout + every.stderr[-2000:]
    assert "1 region(s) checked, 0 finding(s)" in example.stdout, example.stdout + example.stderr[-2000:]


def test_a_coal_word_the_region_supplied_is_its_own(tmp_path):
    folder = tmp_path / "tomsk"
    folder.mkdir()
    (folder / "freight.csv").write_text("cargo,value\ncoal,10\n", encoding="utf-8")
    own = rc.own_words(folder)
    text = "More leaves than arrives in every year for: coal."
    assert _checks(text) == ["kemerovo_words"]
    assert [c for c, _ in rc.check_text(text, kemerovo=False, own=own)] == []
    # a word the files do not have is still found: Kuzbass is not the region's own
    assert [c for c, _ in rc.check_text("Coal as in Kuzbass.", kemerovo=False, own=own)] == ["kemerovo_words"]
    assert rc.own_words(tmp_path / "missing") == ""
