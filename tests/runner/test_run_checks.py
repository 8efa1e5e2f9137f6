"""What ``python -m analysis run`` and ``check-inputs`` refuse before anything is executed or
removed (issue 19.1, 23.7, 23.8), and every id the registry offers runs every step (19.5): the
regions that broke it (containers, their parts and okrugs, Sevastopol, Moscow, Chukotka) in
``make test``, all 87 in ``make sweep``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import run_cli

from analysis.cli import main
from analysis.core import paths
from analysis.core.errors import InputError
from analysis.inputs.regions import studiable_regions
from analysis.runner import pipeline, workspace


@pytest.fixture
def earlier_output(tmp_path, monkeypatch):
    """An earlier result of step 2 for tomsk, and a RUNS folder that must stay empty."""
    monkeypatch.setattr(paths, "RUNS", tmp_path / "runs")
    out = paths.processed_dir("tomsk") / "clusters.csv"
    existed = out.exists()
    if not existed:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("earlier\n", encoding="utf-8")
    before = out.read_bytes()
    yield out, before
    if not existed:
        out.unlink()


@pytest.mark.parametrize(
    ("region", "params", "message"),
    [
        (
            "tomsk",
            ["user_folder=data/user/exampl_region"],
            r"does not exist.*closest: data/user/example_region",
        ),
        ("kemerovo", ["region=tomsk"], r"the region is chosen with --region only"),
        ("tomsk", ["runner=false"], r"parameter runner is set by the runner itself"),
        ("tomsk", ["figure_formats=png,gif"], r"column 'figure_formats': unknown value"),
        ("tomsk", ["figure_langs=de"], r"column 'figure_langs': unknown value"),
        ("tomsk", ["figure_dpi=-1"], r"column 'figure_dpi': parameter figure_dpi is not a resolution"),
        ("russia", [], r"Russia is the benchmark, not a region to study"),
        ("central_fd", [], r"federal district"),
        ("", [], r"no region given"),
        (" , ", [], r"no region given"),
    ],
)
def test_refused_before_anything_runs_or_is_removed(earlier_output, region, params, message):
    out, before = earlier_output
    with pytest.raises(InputError, match=message):
        pipeline.main_run(region, "2", param_items=params)
    assert out.read_bytes() == before  # the earlier result survives
    assert not paths.RUNS.exists()  # nothing executed


def test_check_inputs_accepts_a_folder_path(capsys):
    assert main(["check-inputs", "data/user/example_region"]) == 0
    assert "OK: every file present is valid" in capsys.readouterr().out


def test_check_inputs_names_the_closest_folder_of_a_misspelt_path(capsys):
    assert main(["check-inputs", "data/user/exampl_region"]) == 2
    assert "closest: data/user/example_region" in capsys.readouterr().err


# The ids that crashed a step or printed a false sentence in the outside read (issue 19.3-19.5).
HARD = (
    "tyumen",
    "tyumen_excl_ao",
    "khanty_mansi",
    "arkhangelsk_excl_nenets",
    "nenets",
    "sevastopol",
    "moscow_city",
    "chukotka",
)


def _runs_every_step(copy, ids: list[str], timeout: int) -> None:
    r = run_cli(copy, "run", "--region", ",".join(ids), "--jobs", "2", timeout=timeout)
    n = len(pipeline.STEPS)
    assert f"{len(ids)} region(s), {n} step(s), 0 failed" in r.stdout, r.stdout[-3000:] + r.stderr[-3000:]
    assert r.returncode == 0


@pytest.mark.slow
def test_the_regions_that_broke_a_step_run_every_step(repo_copy):
    """... and every sentence they print passes the sweep of generated sentences (no nan, no
    "from x to x", no false "every year", no Kemerovo's words, no figure wider than 3:1)."""
    assert set(HARD) <= {r.id for r in studiable_regions()}
    _runs_every_step(repo_copy, list(HARD), timeout=1200)
    r = subprocess.run(
        [sys.executable, "-m", "analysis.runner.readings_check", *HARD, "--out", "build/check.csv"],
        cwd=repo_copy,
        env=workspace.copy_env(repo_copy),
        capture_output=True,
        text=True,
        check=False,
    )
    assert f"{len(HARD)} region(s) checked, 0 finding(s)" in r.stdout, r.stdout + r.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.sweep
def test_every_offered_id_runs_every_step(repo_copy):
    """The 85 regions and the two parts without okrugs, every step, in the in-process batch."""
    _runs_every_step(repo_copy, [r.id for r in studiable_regions()], timeout=3600)
