#!/usr/bin/env python
"""Benchmarks of the compendium: the command line. ``make bench`` runs every part at full size
and writes benchmarks/RESULTS.md; ``--parts`` runs some parts alone; ``--quick`` runs them at
their smallest size (seconds to a few minutes; writes nothing unless --out or --json).

    python benchmarks/run.py                              # full: tens of minutes
    python benchmarks/run.py --quick                      # indicators and plumbing, tiny
    python benchmarks/run.py --quick --parts regions      # one part, smallest size

One module per part, each saying what it measures and its target: part_default.py,
part_indicators.py, part_regions.py, part_tests.py, part_limits.py, part_profile.py (no target);
common.py measures a command; report.py writes every table. Every notebook run happens on a
throwaway copy of the repository; the real outputs are checked before and after.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # the repository's own package and benchmarks/, run as a script

from analysis.runner import workspace  # noqa: E402
from analysis.runner.pipeline import STEPS  # noqa: E402
from benchmarks import (  # noqa: E402
    common,
    part_default,
    part_indicators,
    part_limits,
    part_profile,
    part_regions,
    part_tests,
    report,
)
from benchmarks.common import fmt_s, log  # noqa: E402

RESULTS_MD = REPO / "benchmarks" / "RESULTS.md"
# benchmarks/requirements-bench.txt, installed by `make bench` with pip --target (README.md).
BENCH_DEPS = REPO / "build" / "bench-deps"
PARTS = ("plumbing", "default", "indicators", "regions", "tests", "limits", "profile")
FULL_PARTS = "default,indicators,regions,tests,limits,profile"
QUICK_PARTS = "indicators,plumbing"


def parse(argv: list[str]) -> argparse.Namespace:
    """The options (``--help``)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="every part at its smallest size")
    ap.add_argument(
        "--out", help="Markdown report (default: benchmarks/RESULTS.md in full mode, none in quick)"
    )
    ap.add_argument("--json", help="also write all numbers as JSON here")
    ap.add_argument(
        "--parts",
        help=f"comma-separated, of {', '.join(PARTS)} (full: {FULL_PARTS}; quick: {QUICK_PARTS})",
    )
    ap.add_argument("--deps", default=str(BENCH_DEPS), help="where requirements-bench.txt was installed")
    ap.add_argument("--reps", type=int, help="repetitions of each command in part default (full: 3)")
    ap.add_argument(
        "--before",
        help=f"part default also runs this commit's code (full: {part_default.DEFAULT_BEFORE}; 'none' skips)",
    )
    ap.add_argument("--regions", help="region counts for part regions (full: 10,40,85; quick: 2)")
    ap.add_argument(
        "--oversized-mb", type=float, help="size of part limits' oversized file (full: 200; quick: 6)"
    )
    ap.add_argument("--wait-load", type=float, default=1.0, help="wait until the 1-minute load is below this")
    ap.add_argument(
        "--max-wait", type=float, default=900, help="seconds to wait for that at most (full mode)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    ap.add_argument(
        "--render", metavar="JSON", help="measure nothing: write the report of a --json file again"
    )
    a = ap.parse_args(argv)
    a.part_set = {
        p.strip() for p in (a.parts or (QUICK_PARTS if a.quick else FULL_PARTS)).split(",") if p.strip()
    }
    unknown = a.part_set - set(PARTS)
    if unknown:
        ap.error(f"unknown part(s) {sorted(unknown)}; known: {', '.join(PARTS)}")
    return a


def measure_parts(a: argparse.Namespace, R: dict, work: Path) -> None:
    """Run the chosen parts into ``R``, each at full or quick size."""
    quick, parts = a.quick, a.part_set
    files = workspace.tracked_files()
    probe = workspace.make_copy(work / "probe", files)
    common.check_copy(probe)
    ids = common.region_ids(probe)
    shutil.rmtree(probe)
    R["copy"] = {
        "files": len(files),
        "root_ok": True,
        "scipy_in_project_env": common.project_has(work, files, "scipy"),
    }
    log(f"repository copy: {len(files)} files; analysis.core.paths.ROOT from <copy>/notebooks is the copy")
    if "plumbing" in parts:
        log("plumbing: one small command through the measuring wrapper, on a copy")
        R["plumbing"] = common.plumbing(work, files)
    if "indicators" in parts:
        log("indicators")
        R["indicators"] = part_indicators.run(
            (6, 5, 3) if quick else (85, 100, 20), repeat=3 if quick else 7, min_time=0.01 if quick else 0.2
        )
        for k, t in R["indicators"]["timings"].items():
            log(f"  {k}: library {fmt_s(t['library']['median_s'])}, {t['floor_ratio']:.1f} x the NumPy floor")
    if "default" in parts:
        reps = a.reps or (1 if quick else 3)
        before = a.before or (None if quick else part_default.DEFAULT_BEFORE)
        log(f"default region, {reps} repetition(s) of each command")
        R["default"] = part_default.run(
            work, files, reps, "1" if quick else None, None if before == "none" else before
        )
    if "regions" in parts:
        counts = [int(x) for x in (a.regions or ("2" if quick else "10,40,85")).split(",")]
        log(f"regions {counts}")
        R["regions"] = part_regions.run(work, files, counts, "1" if quick else None)
    if "tests" in parts:
        log("tests on a fresh copy" + (" (one module)" if quick else ": make test-fast, make test"))
        R["tests"] = part_tests.run(work, files, quick)
    if "limits" in parts:
        mb = a.oversized_mb or (6 if quick else part_limits.OVERSIZED_BYTES / 1e6)
        log(f"limits: a file at a user's input limits, and one of {mb:g} MB")
        R["limits"] = part_limits.run(work, files, int(mb * 1e6), "1" if quick else None)
    if "profile" in parts:
        log("profile: kernel start-up, imports, notebooks under cProfile")
        others = [i for i in ids if i != "kemerovo"]
        R["profile"] = part_profile.run(
            work,
            files,
            STEPS[:1] if quick else STEPS,
            None if quick else others[:3],
            kernel_reps=1 if quick else 3,
            other_region=others[0],
        )


def problems(R: dict) -> list[str]:
    """What makes the benchmark itself fail (exit 1): a run that failed, indicators that disagree,
    a copy that is not isolated. A missed target is not one: the report says it."""
    bad = []
    if "indicators" in R and not R["indicators"]["agreement_ok"]:
        bad.append("indicators disagree")
    if "default" in R and R["default"]["failed"]:
        bad.append("a default-region run failed")
    if "regions" in R and any(r["rc"] != 0 for r in R["regions"]["runs"]):
        bad.append("a many-region run failed")
    if "tests" in R and any(m["rc"] != 0 for m in R["tests"]["runs"].values()):
        bad.append("a test command failed")
    if "limits" in R and R["limits"]["run_at_limits"]["rc"] != 0:
        bad.append("the run at the input limits failed")
    if not R["copy"]["root_ok"]:
        bad.append("copy not isolated")
    PL = R.get("plumbing")
    if PL and not (PL["rc"] == 0 and PL["root_is_copy"] and PL["max_child_rss_mib"] > 100):
        bad.append("measuring plumbing failed")
    return bad


def main(argv: list[str] | None = None) -> int:
    """Measure (or ``--render``), write the report and the JSON; exit 1 on :func:`problems`."""
    a = parse(list(sys.argv[1:] if argv is None else argv))
    if a.render:
        R = json.loads(Path(a.render).read_text())
    else:
        # The benchmark's own packages (ecomplexity and its dependencies), for this process only;
        # the notebook runs get PYTHONPATH=<copy> and never see them.
        if Path(a.deps).is_dir() and a.deps not in sys.path:
            sys.path.append(a.deps)
        t_start = time.perf_counter()
        R = {"quick": a.quick, "parts": sorted(a.part_set), "deps": a.deps if Path(a.deps).is_dir() else None}
        if not a.quick and a.max_wait > 0:
            R["load_wait"] = common.wait_for_quiet(a.wait_load, a.max_wait)
        R["load_start"] = common.loadavg()
        R["machine"] = common.machine()
        log(f"machine: {R['machine']['cpu']}, {R['machine']['usable_cpus']} cores, load {R['load_start']}")
        work = Path(tempfile.mkdtemp(prefix="kuzbass-bench-"))
        before = common.snapshot_outputs()
        try:
            measure_parts(a, R, work)
        finally:
            if a.keep:
                log(f"work folder kept: {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
        after = common.snapshot_outputs()
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        R.setdefault("copy", {"files": 0, "root_ok": False})["real_changed"] = changed
        if changed:
            log(
                f"note: {len(changed)} file(s) of the real outputs changed meanwhile (other work), e.g. {changed[:3]}"
            )
        R["load_end"] = common.loadavg()
        R["elapsed_s"] = time.perf_counter() - t_start
    text = report.report(R)
    out = a.out or (None if R["quick"] else str(RESULTS_MD))
    if out:
        Path(out).write_text(text)
        log(f"wrote {out}")
    elif R["quick"]:
        print(text)
    if a.json and not a.render:
        Path(a.json).write_text(json.dumps(R, indent=1, default=str))
    bad = problems(R)
    for b in bad:
        log(f"PROBLEM: {b}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
