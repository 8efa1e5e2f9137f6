"""Smoke test of the benchmark harness (benchmarks/run.py and its parts): its quick mode runs in
seconds, its agreement checks hold, and its notebook runs would use a throwaway copy of the
repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analysis.runner import workspace
from benchmarks import common, part_indicators, run

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "benchmarks" / "run.py"


def test_synthetic_panel_is_complete_and_seeded():
    df, dense, _pop = part_indicators.make_panel(4, 3, 2)
    assert len(df) == 4 * 3 * 2 == dense["x"].size
    assert not df.duplicated(["year", "region", "activity"]).any()
    assert (df["value"] >= 0).all()
    again, _, _ = part_indicators.make_panel(4, 3, 2)
    assert df.equals(again)  # same seed, same panel
    # every region and activity has a positive total each year (no empty rows or columns)
    assert (dense["x"].sum(axis=2) > 0).all() and (dense["x"].sum(axis=1) > 0).all()
    np.testing.assert_allclose(df.groupby("year")["value"].sum().to_numpy(), dense["x"].sum(axis=(1, 2)))


@pytest.mark.slow
def test_quick_mode_runs_and_agrees(tmp_path):
    out, js = tmp_path / "RESULTS.md", tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--out", str(out), "--json", str(js)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    R = json.loads(js.read_text())
    # the notebook runs' isolation: the copy's code is what a kernel in <copy>/notebooks imports
    assert R["copy"]["root_ok"] and R["copy"]["files"] > 50
    assert R["plumbing"]["rc"] == 0 and R["plumbing"]["root_is_copy"]
    assert R["plumbing"]["peak_tree_rss_mib"] > 100 and R["plumbing"]["max_child_rss_mib"] > 100
    # the indicators agree with plain NumPy (and with ecomplexity's RCA where it is installed)
    ind = R["indicators"]
    assert ind["agreement_ok"], ind["agreement"]
    for check in (
        "lq_vs_numpy",
        "hhi_vs_numpy",
        "hhi_shares_vs_numpy",
        "pcc_vs_numpy",
        "lq_vs_dense",
        "hhi_vs_dense",
        "lq_vs_factorize",
        "hhi_vs_factorize",
    ):
        assert ind["agreement"][check]["ok"], check
    if "rca_timing" in ind["ecomplexity"]:
        assert ind["agreement"]["lq_vs_ecomplexity_rca"]["max_abs_diff"] < 1e-9
    for name, t in ind["timings"].items():
        assert t["library"]["median_s"] > 0 and t["numpy"]["median_s"] > 0, name
    text = out.read_text()
    assert "## Machine" in text and "## Against the targets" in text and "Quick mode" in text


def test_real_outputs_are_never_the_copy(tmp_path):
    files = workspace.tracked_files()
    assert "analysis/core/paths.py" in files and ".venv" not in {f.split("/")[0] for f in files}
    copy = workspace.make_copy(tmp_path / "copy", [f for f in files if f.startswith("analysis/")])
    (copy / "notebooks").mkdir()
    assert Path(common.check_copy(copy)).resolve() == copy.resolve() != ROOT


def test_parts_are_chosen_by_name():
    assert run.parse(["--parts", "regions, limits"]).part_set == {"regions", "limits"}
    assert run.parse(["--quick"]).part_set == {"indicators", "plumbing"}
    assert run.parse([]).part_set == set(run.FULL_PARTS.split(","))
    with pytest.raises(SystemExit):
        run.parse(["--parts", "regoins"])


def test_problems_are_failed_runs_not_missed_targets():
    R = {
        "copy": {"root_ok": True},
        "regions": {"runs": [{"rc": 0, "n": 85, "seconds": 500.0}]},  # far over its target
        "tests": {"runs": {"test": {"rc": 1}}},
    }
    assert run.problems(R) == ["a test command failed"]
