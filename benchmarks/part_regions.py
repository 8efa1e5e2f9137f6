"""Part ``regions``: ``python -m analysis run --region <first N region ids> --jobs 2`` for each N
(full: 10, 40 and 85, once each, each on a fresh copy): wall time, peak memory (whole tree and
largest process), and a straight-line fit of time against N.

Targets: all :data:`TARGET_ALL_REGIONS_S` (90 s) or less for the 85 regions on 2 cores, and memory
flat: the peak of the whole tree at the largest N at most :data:`FLAT_MEMORY` x the peak at the
smallest.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np

from analysis.runner import workspace
from benchmarks.common import loadavg, log, log_run, measure, pipeline_cmd, region_ids

TARGET_ALL_REGIONS_S = 90.0  # all 85 regions, 2 cores
FLAT_MEMORY = 1.25  # "flat": the peak at 85 regions within 25 % of the peak at 10
ALL_REGIONS = 85


def fit(ns: list[int], seconds: list[float]) -> dict[str, float]:
    """Least-squares line ``seconds = fixed + per_region * n`` and the log-log slope (1: linear)."""
    n, t = np.asarray(ns, float), np.asarray(seconds, float)
    per_region, fixed = np.polyfit(n, t, 1)
    return {
        "fit_fixed_s": float(fixed),
        "fit_per_region_s": float(per_region),
        "loglog_slope": float(np.polyfit(np.log(n), np.log(t), 1)[0]),
    }


def run(work: Path, files: list[str], counts: list[int], steps: str | None) -> dict:
    """Measure the part for each count of ``counts`` (see the module's doc); a run that fails is
    retried once, and the result says so."""
    probe = workspace.make_copy(work / "regions-probe", files)
    ids = region_ids(probe)
    shutil.rmtree(probe, ignore_errors=True)
    runs = []
    for n in counts:
        chosen = ids[:n]
        retried = None
        for attempt in (1, 2):
            copy = workspace.make_copy(work / f"regions-{n}-{attempt}", files)
            logfile = work / f"regions-{n}-{attempt}.log"
            la = loadavg()
            m = measure(pipeline_cmd(steps, chosen), copy, workspace.copy_env(copy), logfile)
            text = logfile.read_text(errors="replace")
            shutil.rmtree(copy, ignore_errors=True)
            if m["rc"] == 0 or attempt == 2:
                break
            last = [ln for ln in text.strip().splitlines() if ln.strip()]
            retried = {"seconds": m["seconds"], "error": last[-1] if last else "?"}
            log(f"  {n} regions: failed after {m['seconds']:.0f} s ({retried['error']}); retrying once")
        m.update(
            n=len(chosen),
            load_before=la,
            retried=retried,
            failed_steps=len(re.findall(r"^FAILED ", text, flags=re.M)),
        )
        runs.append(m)
        log_run(f"{len(chosen)} regions", m, la, logfile, text)
    res: dict = {"runs": runs, "total_regions": len(ids)}
    if len({r["n"] for r in runs}) >= 2:
        res.update(fit([r["n"] for r in runs], [r["seconds"] for r in runs]))
    return res
