"""The benchmark's pure parts: medians, formatting, each target's verdict and the report written
from a made-up results dict (no measuring), the alternation of commands, the fit of time against
regions, and the generated files of the limits part."""

from __future__ import annotations

import copy
import math

import pytest

from analysis.core.sources import MAX_CATEGORIES, MAX_FILE_BYTES, MAX_ROWS
from benchmarks import common, part_default, part_limits, part_regions, report


def _m(seconds: float, rc: int = 0, tree: float = 500.0, largest: float = 250.0, **kw) -> dict:
    return {
        "rc": rc,
        "seconds": seconds,
        "peak_tree_rss_mib": tree,
        "max_child_rss_mib": largest,
        "load_before": "1.00 1.00 1.00",
        **kw,
    }


def _runs(pipeline: list[float], nbconvert: list[float]) -> list[dict]:
    runs = [_m(t, mode="pipeline", rep=i, steps={"01_a": t / 2}) for i, t in enumerate(pipeline)]
    return runs + [_m(t, mode="nbconvert", rep=i) for i, t in enumerate(nbconvert)]


RESULTS = {
    "quick": False,
    "parts": ["default", "indicators", "limits", "regions", "tests"],
    "deps": None,
    "machine": {
        "date": "2026-12-06 03:00 UTC",
        "cpu": "test CPU",
        "logical_cpus": 2,
        "usable_cpus": 2,
        "memory_gib": 8.0,
        "os": "Linux",
        "python": "3.11.7",
        "packages": {"numpy": "2.4.6"},
        "openblas_env": {"OPENBLAS_CORETYPE": "unset"},
        "blas": [],
    },
    "load_start": "0.5 0.5 0.5",
    "load_end": "0.6 0.6 0.6",
    "elapsed_s": 1234.0,
    "copy": {"files": 345, "root_ok": True, "real_changed": []},
    "default": part_default.summarise(_runs([10.0, 12.0, 11.0], [40.0, 30.0, 35.0]), ["01_a"]),
    "indicators": {
        "shape": {"regions": 85, "activities": 100, "years": 20, "rows": 170_000},
        "timings": {
            "lq": {
                "library": {"median_s": 0.03, "repeat": 7},
                "numpy": {"median_s": 0.003},
                "floor_ratio": 10.0,
            },
            "hhi": {
                "library": {"median_s": 0.05, "repeat": 7},
                "numpy": {"median_s": 0.002},
                "floor_ratio": 25.0,
            },
        },
        "key_coding": {"median_s": 0.17},
        "ecomplexity": {"error": "not installed"},
        "agreement": {"lq_vs_numpy": {"max_abs_diff": 1e-13, "ok": True}},
        "agreement_ok": True,
    },
    "regions": {
        "runs": [
            _m(20.0, n=10, tree=500.0, failed_steps=0, retried=None),
            _m(80.0, n=85, tree=600.0, failed_steps=0, retried={"seconds": 3.0, "error": "boom"}),
        ],
        "fit_fixed_s": 3.0,
        "fit_per_region_s": 0.9,
        "loglog_slope": 1.0,
    },
    "tests": {
        "runs": {
            "test-fast": _m(31.0, target_s=30.0, summary="900 passed"),
            "test": _m(150.0, target_s=180.0, summary="1000 passed"),
        }
    },
    "limits": {
        "file": {"bytes": 4_990_000, "rows": 20_000, "categories": 100},
        "oversized_bytes": 200_000_000,
        "check_at_limits": _m(3.0, largest=150.0, last_line="OK"),
        "run_at_limits": _m(100.0, largest=600.0, last_line="done"),
        "check_oversized": _m(1.0, rc=2, largest=80.0, last_line="error: too large"),
    },
}


def test_median_and_time_format():
    assert common.median([3.0, 1.0, 2.0]) == 2.0 and common.median([1.0, 2.0]) == 1.5
    assert math.isnan(common.median([]))
    assert [common.fmt_s(x) for x in (0.0004, 0.0123, 4.56, 456, None, float("nan"))] == [
        "400 µs",
        "12.3 ms",
        "4.6 s",
        "456 s",
        "n/a",
        "n/a",
    ]


def test_default_part_takes_medians_and_their_ratio():
    D = RESULTS["default"]
    assert D["pipeline_median_s"] == 11.0 and D["nbconvert_median_s"] == 35.0
    assert D["ratio"] == pytest.approx(11 / 35) and D["failed"] == []
    assert D["step_median_s"] == {"01_a": 5.5}


def test_commands_alternate_each_first_in_turn():
    order = part_default.alternation(["a", "b", "c"], 3)
    assert order == [(0, "a"), (0, "b"), (0, "c"), (1, "b"), (1, "c"), (1, "a"), (2, "c"), (2, "a"), (2, "b")]


def test_verdicts_of_every_target():
    got = [(t.target.split()[0:2], t.ok) for t in report.targets(RESULTS)]
    assert got == [
        (["default", "region:"], True),  # 11 / 35 = 0.31 <= 0.33
        (["each", "indicator"], False),  # hhi at 25 x the floor
        (["LQ", "at"], None),  # ecomplexity not installed: not measured
        (["indicators", "agree"], True),
        (["all", "85"], True),  # 80 s
        (["memory", "flat:"], True),  # 600 / 500 = 1.2
        (["`make", "test-fast`"], False),  # 31 s
        (["`make", "test`"], True),
        (["a", "run"], True),  # 600 MiB, exit 0
        (["`check-inputs`", "refuses"], True),  # 80 / 150 MiB, refused
    ]


def test_verdicts_turn_with_the_numbers():
    R = copy.deepcopy(RESULTS)
    R["default"] = part_default.summarise(_runs([12.0], [35.0]), ["01_a"])  # 0.34 > 0.33
    R["regions"]["runs"][1].update(seconds=91.0)
    R["limits"]["check_oversized"]["max_child_rss_mib"] = 190.0  # 1.27 x the at-limits check
    bad = [t for t in report.targets(R) if t.ok is False]
    assert len(bad) == 5, bad  # the three above, and hhi and test-fast as before
    R["regions"]["runs"] = R["regions"]["runs"][:1]  # 10 regions only: the 85-region target not judged
    assert [t.ok for t in report.targets_regions(R["regions"])] == [None]


def test_report_states_each_target_measured_value_and_verdict():
    text = report.report(RESULTS)
    rows = text.split("## Against the targets")[1].split("\n## ")[0]
    assert "| default region: `python -m analysis run` at most 0.33 x sequential" in rows
    assert "0.31 x (11.0 s vs 35.0 s, medians) | **met** |" in rows
    assert "worst 25.0 x (hhi); lq 10.0 x, hhi 25.0 x | **missed** |" in rows
    assert "not measured: not installed | n/a |" in rows
    assert "80.0 s for 85 regions, exit 0 | **met** |" in rows
    assert "31.0 s, exit 0 | **missed** |" in rows
    assert "80 MiB vs 150 MiB (0.53 x), exit 2 | **met** |" in rows
    for section in (
        "## Default region",
        "## Indicators",
        "## All regions",
        "## Tests",
        "## A user's input limits",
    ):
        assert section in text
    assert "first failed after 3.0 s (`boom`)" in text


def test_table_writer():
    assert report.table(["a", "b"], [[1, "x"], [2, "y"]]) == [
        "| a | b |",
        "|---|---|",
        "| 1 | x |",
        "| 2 | y |",
    ]


def test_fit_of_time_against_regions():
    f = part_regions.fit([10, 40, 85], [13.0, 43.0, 88.0])  # 3 s + 1 s per region
    assert f["fit_fixed_s"] == pytest.approx(3.0) and f["fit_per_region_s"] == pytest.approx(1.0)
    assert 0.8 < f["loglog_slope"] < 1.0


def test_limits_file_is_at_every_limit(tmp_path):
    rows = part_limits.freight_rows(MAX_ROWS, MAX_CATEGORIES)
    assert len(rows) == len(set(rows)) == MAX_ROWS
    keys = {tuple(r.split(",")[i] for i in (0, 2, 3, 4)) for r in rows}  # cargo, direction, year, quantity
    assert len(keys) == MAX_ROWS and len({k[0] for k in keys}) == MAX_CATEGORIES
    text = part_limits.padded_csv(rows, MAX_FILE_BYTES)
    assert MAX_FILE_BYTES - MAX_ROWS < len(text.encode("utf-8")) <= MAX_FILE_BYTES
    assert text.count("\n") == MAX_ROWS + 1
    big = tmp_path / "big.csv"
    part_limits.write_oversized(big, text, 12_345_678)
    assert big.stat().st_size == 12_345_678 and big.read_bytes().startswith(part_limits.HEADER.encode())
    with pytest.raises(ValueError, match="distinct rows"):
        part_limits.freight_rows(MAX_ROWS, 10)
