"""Part ``profile``: where the time goes. Kernel start-up and the imports every notebook begins
with; one region's steps in one worker (``pipeline.run_batch`` on three regions, in-process as
every run executes, and in a fresh kernel per notebook for comparison); each notebook's code under
cProfile (for the default region and one other), split into imports, figure saving per format and
the slowest functions of the ``analysis`` package.

Diagnostic only: no target. How to read it: benchmarks/README.md.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

from analysis.runner import workspace
from benchmarks.common import PY, log, median

# The figures of a batch run (several regions), as `python -m analysis run --region a,b` writes
# them: notebook parameters (analysis.study.start), said once here for the run_batch diagnostic.
BATCH_FIGURE_PARAMS = {"figure_formats": "png", "figure_langs": "en", "figure_dpi": 100}

KERNEL_START = r"""
import json, time
from jupyter_client import KernelManager
times = []
for _ in range({reps}):
    t0 = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=120)
    t1 = time.perf_counter()
    kc.execute_interactive("import pandas, matplotlib.pyplot, analysis.study, analysis.core.figures", timeout=120)
    t2 = time.perf_counter()
    kc.stop_channels(); km.shutdown_kernel(now=True)
    times.append((t1 - t0, t2 - t1, time.perf_counter() - t2))
print(json.dumps(times))
"""

IMPORTS = (
    "import numpy, pandas, matplotlib, matplotlib.pyplot, analysis.study, analysis.core.figures, "
    "analysis.indicators, analysis.inputs.regions"
)

PROFILE_NB = r"""
import cProfile, json, pstats, sys, time
import nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
region = sys.argv[3] if len(sys.argv) > 3 else ""
src = []
for c in nb.cells:
    if c.cell_type == "code":
        src.append("\n".join(l for l in c.source.splitlines() if not l.lstrip().startswith(("%", "!"))))
        if region and "parameters" in c.metadata.get("tags", []):
            src.append(f"region = {region!r}")  # as papermill injects it
code = compile("\n\n".join(src), sys.argv[1], "exec")
pr = cProfile.Profile()
t0 = time.perf_counter()
pr.enable()
exec(code, {"__name__": "__main__"})
pr.disable()
total = time.perf_counter() - t0
pr.dump_stats(sys.argv[2])
print(json.dumps({"total": total}))
"""


def pstats_summary(path: str, total: float) -> dict:
    """Seconds (cumulative) of imports, figure saving per format, PDF font subsetting and a few
    known functions in one notebook's profile, and its slowest ``analysis`` functions."""
    import pstats

    st = pstats.Stats(path)
    rows = st.stats  # (file, line, func) -> (cc, nc, tt, ct, callers)

    def cum(pred) -> float:
        return max([v[3] for k, v in rows.items() if pred(k)] or [0.0])

    figure_save = cum(lambda k: k[0].endswith("analysis/core/figures.py") and k[2] == "save")
    summary = {
        "total_s": total,
        "imports_s": cum(lambda k: k[2] == "_find_and_load"),
        "figures_save_s": figure_save,
        "png_s": cum(lambda k: k[0].endswith("backend_agg.py") and k[2] == "print_png"),
        "svg_s": cum(lambda k: k[0].endswith("backend_svg.py") and k[2] == "print_svg"),
        "pdf_s": cum(lambda k: k[0].endswith("backend_pdf.py") and k[2] == "print_pdf"),
        "tight_bbox_s": cum(lambda k: k[0].endswith("figures.py") and k[2] == "_finalise"),
        "rosstat_read_s": cum(lambda k: k[0].endswith("analysis/inputs/rosstat.py") and k[2] == "table"),
        "font_subset_s": cum(lambda k: "fontTools/subset" in k[0] and k[2] == "subset"),
        "seaborn_import_s": cum(lambda k: k[0].endswith("seaborn/__init__.py") and k[2] == "<module>"),
        "write_table_s": cum(lambda k: k[0].endswith("analysis/study.py") and k[2] == "write_table"),
        "registry_s": cum(lambda k: k[0].endswith("analysis/inputs/regions.py") and k[2] == "_registry"),
    }
    own = sorted(
        (
            (v[3], f"{Path(k[0]).parent.name}/{Path(k[0]).name}:{k[1]} {k[2]}", v[1])
            for k, v in rows.items()
            if "/analysis/" in k[0] and k[2] not in ("<module>",) and not k[0].endswith("figures.py")
        ),
        reverse=True,
    )
    summary["top_analysis"] = [(name, ct, n) for ct, name, n in own[:12]]
    tot = sorted(((v[2], f"{Path(k[0]).name}:{k[1]} {k[2]}", v[1]) for k, v in rows.items()), reverse=True)
    summary["top_tottime"] = [(name, tt, n) for tt, name, n in tot[:6]]
    return summary


def run(
    work: Path,
    files: list[str],
    steps: list[str],
    batch_regions: list[str] | None,
    kernel_reps: int = 3,
    other_region: str | None = None,
) -> dict:
    """Measure the part (see the module's doc) on one copy of the repository."""
    copy = workspace.make_copy(work / "profile", files)
    env = workspace.copy_env(copy)
    res: dict = {}
    # kernel start-up, and the imports every notebook starts with, in a fresh kernel
    out = subprocess.run(
        [PY, "-c", KERNEL_START.replace("{reps}", str(kernel_reps))],
        cwd=copy / "notebooks",
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode == 0:
        t = json.loads(out.stdout.strip().splitlines()[-1])
        res["kernel_start_s"] = median([x[0] for x in t])
        res["kernel_imports_s"] = median([x[1] for x in t])
        res["kernel_shutdown_s"] = median([x[2] for x in t])
    else:
        res["kernel_error"] = out.stderr[-1000:]

    # the same imports in a plain interpreter, against an empty interpreter
    def best(code: str, n: int = 3) -> float:
        ts = []
        for _ in range(n):
            t0 = time.perf_counter()
            subprocess.run([PY, "-c", code], cwd=copy, env=env, check=True, capture_output=True)
            ts.append(time.perf_counter() - t0)
        return median(ts)

    res["python_start_s"] = best("pass")
    res["python_imports_s"] = best(IMPORTS) - res["python_start_s"]
    # each notebook's code under cProfile in a plain interpreter (Agg backend), on the copy
    penv = dict(env, MPLBACKEND="Agg")
    script = work / "profile_nb.py"
    script.write_text(PROFILE_NB)
    for key, region in (("notebooks", ""), ("notebooks_other", other_region)):
        if region is None:
            continue
        nbs = {}
        for step in steps:
            prof = work / f"{step}{'-' + region if region else ''}.prof"
            out = subprocess.run(
                [PY, str(script), str(copy / "notebooks" / f"{step}.ipynb"), str(prof), region],
                cwd=copy / "notebooks",
                env=penv,
                capture_output=True,
                text=True,
            )
            if out.returncode != 0:
                nbs[step] = {"error": (out.stderr.strip().splitlines() or ["?"])[-1]}
                continue
            total = json.loads(out.stdout.strip().splitlines()[-1])["total"]
            nbs[step] = pstats_summary(str(prof), total)
            log(
                f"  profiled {step} ({region or 'kemerovo'}): {total:.1f} s, figures.save "
                f"{nbs[step]['figures_save_s']:.1f} s, imports {nbs[step]['imports_s']:.1f} s"
            )
        res[key] = nbs
    res["other_region"] = other_region
    # per step in one worker (what --region a,b,c does): run_batch on a few regions, one worker,
    # executing in-process (the runner's one engine) and, for comparison, in a fresh kernel per notebook
    for engine, key in (("inprocess", "batch"), ("kernel", "batch_kernel")):
        if not batch_regions:
            break
        code = (
            "import json; from analysis.runner import pipeline; "
            f"r = pipeline.run_batch({batch_regions!r}, pipeline.STEPS, jobs=1, engine={engine!r}, "
            f"params={BATCH_FIGURE_PARAMS!r}); "
            "print(json.dumps([[x.region, x.step, x.ok, x.seconds] for x in r]))"
        )
        t0 = time.perf_counter()
        out = subprocess.run([PY, "-c", code], cwd=copy, env=env, capture_output=True, text=True)
        res[f"{key}_wall_s"] = time.perf_counter() - t0
        if out.returncode == 0:
            rows = json.loads(out.stdout.strip().splitlines()[-1])
            res["batch_regions"] = batch_regions
            per: dict[str, list[float]] = {}
            for _region, step, _ok, sec in rows:
                per.setdefault(step, []).append(sec)
            res[f"{key}_step_median_s"] = {s: median(v) for s, v in per.items()}
            res[f"{key}_region_s"] = sum(res[f"{key}_step_median_s"].values())
            res[f"{key}_failed"] = [f"{r} {s}" for r, s, ok, _ in rows if not ok]
        else:
            res[f"{key}_error"] = out.stderr[-1500:]
    shutil.rmtree(copy, ignore_errors=True)
    return res
