#!/usr/bin/env python
"""Benchmarks of the compendium; ``make bench`` runs the full mode and writes benchmarks/RESULTS.md.

    python benchmarks/run.py                 # full: minutes; writes benchmarks/RESULTS.md
    python benchmarks/run.py --quick         # tiny sizes, seconds; writes nothing unless --out/--json

Three parts (see benchmarks/README.md):

1. the default-region run ``python -m analysis run --jobs 2`` against executing the same notebooks
   one after another with ``jupyter nbconvert --execute``, alternated, medians;
2. the indicator library on a synthetic long panel (85 regions x 100 activities x 20 years) against
   a plain NumPy computation of the same numbers and against the RCA step of ``ecomplexity``, with
   agreement checks;
3. ``python -m analysis run --region <first N regions> --jobs 2`` for N = 10, 40, 85: wall time,
   peak memory, growth with N.

Every notebook run happens on a throwaway copy of the repository (the files ``git ls-files``
lists, tracked and untracked-but-not-ignored, as they are in the work tree), run with
``cwd=<copy>`` and ``PYTHONPATH=<copy>``, so the real ``notebooks/``, ``data/processed/`` and
``figures/`` are never written; the script checks both (``analysis.core.paths.ROOT`` seen from the
copy, and the real outputs' modification times before and after).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import timeit
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS_MD = HERE / "RESULTS.md"
# benchmarks/requirements-bench.txt is installed here (pip --target), not into the project's
# environment: scipy, which scikit-learn (an ecomplexity dependency) brings, makes seaborn import
# scipy.stats, about 1 s more for every kernel that draws the LQ heatmap, which would distort the
# very runs measured here.
BENCH_DEPS = REPO / "build" / "bench-deps"
PY = sys.executable
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from analysis.runner import workspace  # noqa: E402  (the repository's own package, found via REPO)

REAL_OUTPUTS = ("notebooks", "data/processed", "figures", "build/runs", "build/notebooks")
KEY_PACKAGES = (
    "numpy",
    "pandas",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbclient",
    "nbconvert",
    "jupyter_client",
    "ipykernel",
    "pyzmq",
    "psutil",
    "ecomplexity",
    "scikit-learn",
    "threadpoolctl",
)

# Targets of the brief.
TARGET_SPEEDUP = 2.0  # default run vs sequential nbconvert, on 2 cores
TARGET_FLOOR_RATIO = 20.0  # indicators within 20x of the NumPy floor
TARGET_ECX_SPEEDUP = 20.0  # indicators at least 20x faster than ecomplexity's RCA path
TARGET_ALL_REGIONS_S = 180.0  # all 85 regions in at most 3 minutes (issue 11)
DEFAULT_BEFORE = "43f1495"  # the commit before the redesign (issue 10): the default run must be no slower
FLAT_MEMORY = 1.25  # "flat": peak at 85 regions within 25 % of the peak at 10


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def load1() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def median(xs):
    return statistics.median(xs) if xs else float("nan")


# ------------------------------------------------------------------------------------ machine
def machine() -> dict:
    info: dict = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["cpu"] = cpu
    info["logical_cpus"] = os.cpu_count()
    try:
        info["usable_cpus"] = len(os.sched_getaffinity(0))
    except AttributeError:
        info["usable_cpus"] = os.cpu_count()
    try:
        kb = next(
            int(ln.split()[1])
            for ln in Path("/proc/meminfo").read_text().splitlines()
            if ln.startswith("MemTotal:")
        )
        info["memory_gib"] = round(kb / 2**20, 1)
    except (OSError, StopIteration):
        info["memory_gib"] = None
    info["os"] = platform.platform()
    info["python"] = platform.python_version()
    from importlib import metadata

    versions = {}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    info["packages"] = versions
    info["openblas_env"] = {
        k: os.environ.get(k, "unset")
        for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    }
    try:
        import numpy  # noqa: F401  (loads its BLAS)
        from threadpoolctl import threadpool_info

        info["blas"] = [
            f"{d.get('internal_api')} {d.get('version')} {d.get('architecture')}, "
            f"{d.get('num_threads')} thread(s)"
            for d in threadpool_info()
        ]
    except Exception:  # threadpoolctl is installed with the benchmark's requirements only
        info["blas"] = []
    return info


# ----------------------------------------------------------------------------- repository copy
# The copy helpers are shared with tests/runner/test_reliability.py (analysis.runner.workspace).
def make_copy(dest: Path, files: list[str], repo: Path = REPO) -> Path:
    return workspace.make_copy(dest, files, repo)


def tracked_files(repo: Path = REPO) -> list[str]:
    return workspace.tracked_files(repo)


copy_env = workspace.copy_env


def check_copy(copy: Path) -> str:
    """``analysis.core.paths.ROOT`` as seen from ``<copy>/notebooks`` (where the kernels run)."""
    out = workspace.root_seen_from(copy, PY)
    if out.resolve() != copy.resolve():
        raise RuntimeError(
            f"the copy's code is not the one imported: analysis.core.paths.ROOT = {out}, expected {copy}"
        )
    return str(out)


def snapshot_outputs(repo: Path = REPO) -> dict[str, float]:
    snap = {}
    for sub in REAL_OUTPUTS:
        base = repo / sub
        if base.exists():
            for p in base.rglob("*"):
                if p.is_file():
                    snap[str(p.relative_to(repo))] = p.stat().st_mtime_ns
    return snap


# ---------------------------------------------------------------------- measuring a command
class TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and all its descendants, sampled every ``interval``.

    Each sample walks the process table (psutil), about 10 ms: at 0.2 s the sampler took an eighth
    of a core from the runs it measures; at 0.5 s it takes a twentieth, and the peaks it looks for
    (kernels holding their tables for seconds) last longer than that."""

    def __init__(self, pid: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak, self.peak_procs, self.samples = 0, 0, 0
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._halt.is_set():
            try:
                procs = [root] + root.children(recursive=True)
            except psutil.Error:
                break
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.samples += 1
            if total > self.peak:
                self.peak, self.peak_procs = total, len(procs)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def measure(cmd: list[str], cwd: Path, env: dict, logfile: Path) -> dict:
    """Run ``cmd`` through a small wrapper process (this script, ``--child``) that reports its own
    wall time of the command and ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the largest single
    process of the tree); meanwhile sample the summed RSS of the whole tree."""
    fd, jpath = tempfile.mkstemp(prefix="bench-child-", suffix=".json")
    os.close(fd)
    try:
        with open(logfile, "w") as out:
            proc = subprocess.Popen(
                [PY, str(Path(__file__).resolve()), "--child", jpath, "--", *cmd],
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            sampler = TreeSampler(proc.pid)
            sampler.start()
            proc.wait()
            sampler.stop()
        child = json.loads(Path(jpath).read_text() or "{}")
    finally:
        os.unlink(jpath)
    return {
        "rc": child.get("rc", proc.returncode),
        "seconds": child.get("seconds", float("nan")),
        "peak_tree_rss_mib": sampler.peak / 2**20,
        "peak_tree_procs": sampler.peak_procs,
        "max_child_rss_mib": child.get("maxrss_kib", 0) / 1024,
        "log": str(logfile),
    }


def child_main(jpath: str, cmd: list[str]) -> int:
    import resource

    start = time.perf_counter()
    rc = subprocess.call(cmd)
    seconds = time.perf_counter() - start
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    Path(jpath).write_text(json.dumps({"rc": rc, "seconds": seconds, "maxrss_kib": maxrss}))
    return rc


def project_has(work: Path, files: list[str], module: str) -> bool:
    """Whether ``module`` is importable where the notebooks run (the project's environment)."""
    probe = make_copy(work / "has-probe", [f for f in files if f.startswith("analysis/")])
    out = subprocess.run(
        [PY, "-c", f"import importlib.util as u; print(u.find_spec({module!r}) is not None)"],
        cwd=probe,
        env=copy_env(probe),
        capture_output=True,
        text=True,
    )
    shutil.rmtree(probe, ignore_errors=True)
    return out.stdout.strip() == "True"


def part_plumbing(work: Path, files: list[str]) -> dict:
    """A small command measured like the notebook runs (wrapper, RSS sampler) on a copy: it must see
    the copy's code and report a wall time and both memory figures."""
    copy = make_copy(work / "plumbing", files)
    code = (
        "import time, analysis.core.paths as p, numpy as np; a = np.ones(20_000_000); time.sleep(0.5); "
        "print(p.ROOT)"
    )
    m = measure([PY, "-c", code], copy / "notebooks", copy_env(copy), work / "plumbing.log")
    m["root_is_copy"] = (
        Path((work / "plumbing.log").read_text().strip().splitlines()[-1]).resolve() == copy.resolve()
    )
    shutil.rmtree(copy, ignore_errors=True)
    log(
        f"  {m['seconds']:.2f} s, peak tree RSS {m['peak_tree_rss_mib']:.0f} MiB, largest process "
        f"{m['max_child_rss_mib']:.0f} MiB, ROOT is the copy: {m['root_is_copy']}"
    )
    return m


# ------------------------------------------------------------------ part 1: default region
STEP_LINE = re.compile(r"\[\d+/\d+\] (\S+) (\S+): (ok|FAILED) \(([\d.]+) s\)")
IMPORT_LINE = re.compile(r"imported Rosstat tables \(([\d.]+) s\)")


def pipeline_cmd(steps: str | None = None, regions: list[str] | None = None, jobs: int = 2) -> list[str]:
    cmd = [PY, "-m", "analysis", "run", "--jobs", str(jobs)]
    if regions:
        cmd += ["--region", ",".join(regions)]
    if steps:
        cmd += ["--steps", steps]
    return cmd


def nbconvert_cmd(copy: Path, outdir: Path, steps: list[str] | None) -> list[str]:
    nbs = sorted((copy / "notebooks").glob("*.ipynb"))
    if steps:
        nbs = [p for p in nbs if p.stem in steps]
    return [
        PY,
        "-m",
        "jupyter",
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--output-dir",
        str(outdir),
        *[str(p.relative_to(copy)) for p in nbs],
    ]


def copy_of_commit(dest: Path, commit: str) -> Path:
    """The files of ``commit`` (``git archive``), for the same command on the code of before."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def part_default(
    work: Path, files: list[str], reps: int, steps: str | None, before: str | None = None
) -> dict:
    sys.path.insert(0, str(REPO))
    from analysis.runner.pipeline import select_steps  # the step names only; nothing runs here

    chosen = select_steps(steps)
    runs = []
    modes = ["pipeline", "nbconvert"] + (["before"] if before else [])
    for i in range(reps):
        order = modes[i % len(modes) :] + modes[: i % len(modes)]  # each mode first once in turn
        for mode in order:
            if mode == "before":
                assert before is not None
                copy = copy_of_commit(work / f"default-{mode}-{i}", before)
            else:
                copy = make_copy(work / f"default-{mode}-{i}", files)
            env = copy_env(copy)
            if mode in ("pipeline", "before"):
                cmd = pipeline_cmd(steps)
            else:
                outdir = work / f"nbconvert-out-{i}"
                outdir.mkdir()
                cmd = nbconvert_cmd(copy, outdir, None if steps is None else chosen)
            logfile = work / f"default-{mode}-{i}.log"
            la = loadavg()
            m = measure(cmd, copy, env, logfile)
            m.update(mode=mode, rep=i, load_before=la)
            text = logfile.read_text(errors="replace")
            if mode == "pipeline":  # the steps of today's code only
                m["steps"] = {s: float(t) for _, s, ok, t in STEP_LINE.findall(text)}
                mi = IMPORT_LINE.search(text)
                m["rosstat_import_s"] = float(mi.group(1)) if mi else None
                m["cell_times"] = papermill_cell_times(copy / "build" / "runs" / "kemerovo")
            runs.append(m)
            log(
                f"  default region, {mode} rep {i + 1}/{reps}: {m['seconds']:.1f} s "
                f"(rc {m['rc']}, peak tree RSS {m['peak_tree_rss_mib']:.0f} MiB, load {la})"
            )
            if m["rc"] != 0:
                log(f"  FAILED: see {logfile}\n" + text[-2000:])
            shutil.rmtree(copy, ignore_errors=True)
    pipe = [r["seconds"] for r in runs if r["mode"] == "pipeline"]
    seq = [r["seconds"] for r in runs if r["mode"] == "nbconvert"]
    res = {
        "runs": runs,
        "steps": chosen,
        "pipeline_median_s": median(pipe),
        "nbconvert_median_s": median(seq),
    }
    res["speedup"] = res["nbconvert_median_s"] / res["pipeline_median_s"]
    if before:
        res["before"] = before
        res["before_median_s"] = median([r["seconds"] for r in runs if r["mode"] == "before"])
    res["failed"] = [f"{r['mode']} rep {r['rep']}" for r in runs if r["rc"] != 0]
    step_times: dict[str, list[float]] = {}
    for r in runs:
        for s, t in r.get("steps", {}).items():
            step_times.setdefault(s, []).append(t)
    res["step_median_s"] = {s: median(step_times[s]) for s in chosen if s in step_times}
    res["rosstat_import_median_s"] = median(
        [r["rosstat_import_s"] for r in runs if r.get("rosstat_import_s") is not None]
    )
    cells: dict[str, list[float]] = {}
    for r in runs:
        for s, t in (r.get("cell_times") or {}).items():
            cells.setdefault(s, []).append(t)
    res["cells_sum_median_s"] = {s: median(v) for s, v in cells.items()}
    return res


def papermill_cell_times(folder: Path) -> dict[str, float]:
    """Sum of the cells' execution times of each notebook papermill left in build/runs/<region>/."""
    out = {}
    for p in sorted(folder.glob("*.ipynb")):
        try:
            nb = json.loads(p.read_text())
        except (OSError, ValueError):
            continue
        out[p.stem] = sum(
            (c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0) for c in nb.get("cells", [])
        )
    return out


# ------------------------------------------------------------------ part 3: many regions
def region_ids(copy: Path) -> list[str]:
    out = subprocess.run(
        [
            PY,
            "-c",
            "from analysis.inputs.regions import all_regions; print(','.join(r.id for r in all_regions()))",
        ],
        cwd=copy,
        env=copy_env(copy),
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().split(",")


def part_regions(work: Path, files: list[str], counts: list[int], steps: str | None) -> dict:
    probe = make_copy(work / "regions-probe", files)
    ids = region_ids(probe)
    shutil.rmtree(probe, ignore_errors=True)
    runs = []
    for n in counts:
        chosen = ids[:n]
        retried = None
        for attempt in (1, 2):  # a run that dies (e.g. a kernel that never answers) is retried once
            copy = make_copy(work / f"regions-{n}-{attempt}", files)
            logfile = work / f"regions-{n}-{attempt}.log"
            la = loadavg()
            m = measure(pipeline_cmd(steps, chosen), copy, copy_env(copy), logfile)
            text = logfile.read_text(errors="replace")
            if m["rc"] == 0 or attempt == 2:
                break
            last = [ln for ln in text.strip().splitlines() if ln.strip()]
            retried = {"seconds": m["seconds"], "error": last[-1] if last else "?"}
            log(
                f"  {len(chosen)} regions: failed after {m['seconds']:.0f} s ({retried['error']}); retrying once"
            )
            shutil.rmtree(copy, ignore_errors=True)
        m.update(
            n=len(chosen),
            load_before=la,
            includes_default="kemerovo" in chosen,
            retried=retried,
            failed_steps=len(re.findall(r"^FAILED ", text, flags=re.M)),
        )
        done = re.search(r"done in ([\d.]+) s", text)
        m["reported_s"] = float(done.group(1)) if done else None
        runs.append(m)
        log(
            f"  {len(chosen)} regions: {m['seconds']:.1f} s (rc {m['rc']}, peak tree RSS "
            f"{m['peak_tree_rss_mib']:.0f} MiB, largest process {m['max_child_rss_mib']:.0f} MiB, load {la})"
        )
        if m["rc"] != 0:
            log(f"  FAILED: see {logfile}\n" + text[-2000:])
        shutil.rmtree(copy, ignore_errors=True)
    res = {"runs": runs, "total_regions": len(ids)}
    if len(runs) >= 2:
        import numpy as np

        n = np.array([r["n"] for r in runs], float)
        t = np.array([r["seconds"] for r in runs], float)
        b, a = np.polyfit(n, t, 1)
        res["fit_fixed_s"], res["fit_per_region_s"] = float(a), float(b)
        res["extrapolated_85_s"] = float(a + b * 85)
        if len(runs) >= 2:
            res["loglog_slope"] = float(np.polyfit(np.log(n), np.log(t), 1)[0])
    return res


# ------------------------------------------------------------ where the time goes (profile)
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


def _pstats_summary(path: str, total: float) -> dict:
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


def part_profile(
    work: Path,
    files: list[str],
    steps: list[str],
    batch_regions: list[str] | None,
    kernel_reps: int = 3,
    other_region: str | None = None,
) -> dict:
    copy = make_copy(work / "profile", files)
    env = copy_env(copy)
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
            nbs[step] = _pstats_summary(str(prof), total)
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
            "import json, os; from analysis.runner import pipeline; "
            # the figures of a batch run (pipeline.main_run sets these for several regions)
            "os.environ.update(ANALYSIS_FIGURE_FORMATS='png', ANALYSIS_FIGURE_LANGS='en', ANALYSIS_FIGURE_DPI='100'); "
            f"r = pipeline.run_batch({batch_regions!r}, pipeline.STEPS, jobs=1, engine={engine!r}); "
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


# ---------------------------------------------------------------- part 2: indicators
def make_panel(n_regions: int, n_activities: int, n_years: int, seed: int = 20180412):
    """A complete long panel (one row per year, region, activity) in shuffled row order, with
    about 5 % zero cells; every region and activity has a positive total each year."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    size_r = rng.lognormal(0.0, 1.0, n_regions)
    size_a = rng.lognormal(0.0, 1.0, n_activities)
    x = (
        size_r[None, :, None]
        * size_a[None, None, :]
        * rng.lognormal(0.0, 0.5, (n_years, n_regions, n_activities))
        * 1000.0
    )
    x[rng.random(x.shape) < 0.05] = 0.0
    x[:, :, 0] = np.maximum(x[:, :, 0], 1.0)  # no empty region
    x[:, 0, :] = np.maximum(x[:, 0, :], 1.0)  # no empty activity
    x = np.round(x, 3)
    years = np.arange(2000, 2000 + n_years)
    regions = np.array([f"r{i:03d}" for i in range(n_regions)], dtype=object)
    acts = np.array([f"a{j:03d}" for j in range(n_activities)], dtype=object)
    yy, rr, aa = np.meshgrid(np.arange(n_years), np.arange(n_regions), np.arange(n_activities), indexing="ij")
    order = rng.permutation(x.size)
    df = pd.DataFrame(
        {
            "year": years[yy.ravel()[order]],
            "region": regions[rr.ravel()[order]],
            "activity": acts[aa.ravel()[order]],
            "value": x.ravel()[order],
        }
    )
    pop = rng.lognormal(14.0, 1.0, (n_years, n_regions)).round()
    df["population"] = pop[yy.ravel()[order], rr.ravel()[order]]
    df["x_total"] = x.sum(axis=1)[yy.ravel()[order], aa.ravel()[order]]  # the reference: all regions
    df["population_total"] = pop.sum(axis=1)[yy.ravel()[order]]
    dense = {"x": x, "pop": pop}
    pop_long = pd.DataFrame(
        {
            "year": years[np.repeat(np.arange(n_years), n_regions)],
            "region": np.tile(regions, n_years),
            "pop": pop.ravel(),
        }
    )
    return df, dense, pop_long


def _timeit(fn, repeat: int, min_time: float) -> dict:
    t = timeit.Timer(fn)
    number = 1
    while True:
        dt = t.timeit(number)
        if dt >= min_time or number >= 1 << 16:
            break
        number *= 2 if dt * 2 >= min_time else max(2, min(10, int(min_time / max(dt, 1e-9))))
    per = [x / number for x in t.repeat(repeat=repeat, number=number)]
    return {"median_s": median(per), "min_s": min(per), "number": number, "repeat": repeat}


def part_indicators(shape: tuple[int, int, int], repeat: int, min_time: float) -> dict:
    import warnings

    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(REPO))
    from analysis import indicators as ind
    from benchmarks import panel_indicators as pind

    nR, nA, nY = shape
    df, dense, pop_long = make_panel(nR, nA, nY)
    res: dict = {"shape": {"regions": nR, "activities": nA, "years": nY, "rows": len(df)}}
    v = df["value"].to_numpy()

    # ---- the library
    def lib_lq():
        return pind.location_quotient_long(df)

    def lib_hhi():  # from volumes: shares within (year, region), then the HHI of each region-year
        s = pind.shares_long(df)
        return ind.hhi(df.assign(value=s), by=["year", "region"])

    share_df = df[["year", "region", "activity"]].assign(value=pind.shares_long(df).to_numpy())

    def lib_hhi_shares():  # from the shares (as Table 1 publishes them)
        return ind.hhi(share_df, by=["year", "region"])

    def lib_pcc():
        return ind.per_capita_coefficient(
            df["value"], df["x_total"], df["population"], df["population_total"]
        )

    # ---- plain NumPy: the same numbers from the same long rows
    def codes():
        yu, yc = np.unique(df["year"].to_numpy(), return_inverse=True)
        ru, rc = np.unique(df["region"].to_numpy(), return_inverse=True)
        au, ac = np.unique(df["activity"].to_numpy(), return_inverse=True)
        return yu, yc, ru, rc, au, ac

    yu, yc, ru, rc, au, ac = codes()
    nYu, nRu, nAu = len(yu), len(ru), len(au)

    def np_lq():
        kr, ki = yc * nRu + rc, yc * nAu + ac
        xr = np.bincount(kr, v, nYu * nRu)[kr]
        xi = np.bincount(ki, v, nYu * nAu)[ki]
        x = np.bincount(yc, v, nYu)[yc]
        return (v / xr) / (xi / x)

    def np_hhi():
        g = yc * nRu + rc
        s = v / np.bincount(g, v, nYu * nRu)[g] * 100.0
        return np.bincount(g, s * s, nYu * nRu)

    sv = share_df["value"].to_numpy()

    def np_hhi_shares():
        g = yc * nRu + rc
        return np.bincount(g, sv * sv, nYu * nRu)

    xt, p, pt = df["x_total"].to_numpy(), df["population"].to_numpy(), df["population_total"].to_numpy()

    def np_pcc():
        return (v / xt) / (p / pt)

    # ---- the same NumPy, the keys coded once by hashing (pandas.factorize), as a library must
    def fcodes(col):
        c, u = pd.factorize(df[col], sort=True)
        return c, len(u)

    def fz_lq():
        (y, ny), (r, nr), (a_, na) = fcodes("year"), fcodes("region"), fcodes("activity")
        kr, ki = y * nr + r, y * na + a_
        return (v / np.bincount(kr, v, ny * nr)[kr]) / (
            np.bincount(ki, v, ny * na)[ki] / np.bincount(y, v, ny)[y]
        )

    def fz_hhi():
        (y, ny), (r, nr) = fcodes("year"), fcodes("region")
        g = y * nr + r
        s = v / np.bincount(g, v, ny * nr)[g] * 100.0
        return np.bincount(g, s * s, ny * nr)

    def fz_hhi_shares():
        (y, ny), (r, nr) = fcodes("year"), fcodes("region")
        g = y * nr + r
        return np.bincount(g, sv * sv, ny * nr)

    X = dense["x"]

    def dense_lq():
        return (X / X.sum(axis=2, keepdims=True)) / (
            X.sum(axis=1, keepdims=True) / X.sum(axis=(1, 2), keepdims=True)
        )

    def dense_hhi():
        s = X / X.sum(axis=2, keepdims=True) * 100.0
        return (s * s).sum(axis=2)

    # ---- agreement: library vs NumPy
    def maxdiff(a, b) -> float:
        a, b = np.asarray(a, float), np.asarray(b, float)
        if a.shape != b.shape or (np.isnan(a) != np.isnan(b)).any():
            return float("inf")
        return float(np.nanmax(np.abs(a - b))) if a.size else 0.0

    agree = {}
    lq = lib_lq()
    agree["lq_vs_numpy"] = maxdiff(lq.to_numpy(), np_lq())
    h = lib_hhi()
    g_index = pd.MultiIndex.from_arrays([yu[np.arange(nYu * nRu) // nRu], ru[np.arange(nYu * nRu) % nRu]])
    floor_h = pd.Series(np_hhi(), index=g_index)
    agree["hhi_vs_numpy"] = maxdiff(h.to_numpy(), floor_h.reindex(h.index).to_numpy())
    agree["hhi_shares_vs_numpy"] = maxdiff(lib_hhi_shares().to_numpy(), floor_h.reindex(h.index).to_numpy())
    agree["pcc_vs_numpy"] = maxdiff(lib_pcc().to_numpy(), np_pcc())
    agree["lq_vs_factorize"] = maxdiff(lq.to_numpy(), fz_lq())
    agree["hhi_vs_factorize"] = maxdiff(h.to_numpy(), fz_hhi())
    # dense arrays: rows in (year, region, activity) order after sorting the table
    key = df.sort_values(["year", "region", "activity"]).index.to_numpy()
    agree["lq_vs_dense"] = maxdiff(lq.to_numpy()[key], dense_lq().ravel())
    agree["hhi_vs_dense"] = maxdiff(h.to_numpy(), dense_hhi().ravel())
    scale = {"lq_vs_numpy": float(np.nanmax(np.abs(lq))), "hhi_vs_numpy": float(h.max())}

    # ---- ecomplexity (Harvard Growth Lab): RCA step, and RPOP for the per-capita coefficient
    ecx: dict = {}
    cols = {"time": "year", "loc": "region", "prod": "activity", "val": "value"}
    try:
        from importlib import metadata

        ecx["version"] = metadata.version("ecomplexity")
        from ecomplexity.ComplexityData import ComplexityData
    except Exception as exc:
        ecx["error"] = (
            f"{type(exc).__name__}: {exc}"
            if type(exc).__name__ != "PackageNotFoundError"
            else "not installed (`make bench` installs benchmarks/requirements-bench.txt into build/bench-deps)"
        )
        ComplexityData = None
    if ComplexityData is not None:
        ecx_in = df[["year", "region", "activity", "value"]]

        def ecx_rca():
            cd = ComplexityData(ecx_in, cols, "coerce")
            out = {}
            for t in cd.data.index.unique("time"):
                cd.create_full_df(t)
                cd.calculate_rca()
                out[t] = (cd.data_t.index.levels[0], cd.data_t.index.levels[1], cd.rca_t)
            return out

        def to_long(out) -> pd.Series:
            parts = []
            for t, (locs, prods, m) in out.items():
                parts.append(
                    pd.Series(
                        np.asarray(m, float).ravel(),
                        index=pd.MultiIndex.from_product(
                            [[t], locs, prods], names=["year", "region", "activity"]
                        ),
                    )
                )
            return pd.concat(parts)

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                rca = to_long(ecx_rca())
                lq_idx = pd.Series(
                    lq.to_numpy(), index=pd.MultiIndex.from_frame(df[["year", "region", "activity"]])
                )
                al = rca.reindex(lq_idx.index)
                agree["lq_vs_ecomplexity_rca"] = maxdiff(lq_idx.to_numpy(), al.to_numpy())
                ecx["rca_cells"] = int(rca.size)
                # RPOP = (x_cp / pop_c) / (sum_c x_cp / sum_c pop_c): the per-capita coefficient
                cd = ComplexityData(ecx_in, cols, "coerce")
                parts = []
                for t in cd.data.index.unique("time"):
                    cd.create_full_df(t)
                    cd.calculate_rpop(pop_long.rename(columns={"region": "region"}), t)
                    locs, prods = cd.data_t.index.levels
                    parts.append(
                        pd.Series(
                            np.asarray(cd.rpop_t, float).ravel(),
                            index=pd.MultiIndex.from_product(
                                [[t], locs, prods], names=["year", "region", "activity"]
                            ),
                        )
                    )
                rpop = pd.concat(parts).reindex(lq_idx.index)
                agree["pcc_vs_ecomplexity_rpop"] = maxdiff(lib_pcc().to_numpy(), rpop.to_numpy())
            except Exception as exc:
                ecx["error"] = f"{type(exc).__name__}: {exc}"
        ecx["warnings"] = sorted(
            {f"{w.category.__name__}: {str(w.message).splitlines()[0][:160]}" for w in caught}
        )
        # pandas 3 (Copy-on-Write): does ecomplexity's "NaN value(s) present, coercing to zero(es)" still zero them?
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tiny = pd.DataFrame(
                    {
                        "year": [1, 1, 1, 1],
                        "region": ["a", "a", "b", "b"],
                        "activity": ["x", "y", "x", "y"],
                        "value": [1.0, np.nan, 2.0, 3.0],
                    }
                )
                cd = ComplexityData(tiny, cols, "coerce")
                ecx["nan_coerced_to_zero"] = bool(not cd.data["val"].isna().any())
        except Exception as exc:
            ecx["nan_check_error"] = f"{type(exc).__name__}: {exc}"
        if "error" not in ecx:
            ecx["rca_timing"] = _timeit(ecx_rca, max(3, repeat // 2), min_time)
            try:
                from ecomplexity import ecomplexity as ecx_full

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ecx["full_timing"] = _timeit(
                        lambda: ecx_full(ecx_in, cols, verbose=False, check_logsupermodularity=False),
                        3,
                        min_time,
                    )
            except Exception as exc:
                ecx["full_error"] = f"{type(exc).__name__}: {exc}"
    res["ecomplexity"] = ecx

    tol = 1e-9
    checks = {}
    for k, d in agree.items():
        base = scale.get(k.split("_vs_")[0] + "_vs_numpy", 1.0)
        checks[k] = {"max_abs_diff": d, "ok": bool(d <= tol * max(1.0, base))}
    res["agreement"] = checks
    res["agreement_ok"] = all(c["ok"] for c in checks.values())

    # ---- timings
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the library must not warn on complete data
        timings = {
            "lq": {
                "library": _timeit(lib_lq, repeat, min_time),
                "numpy": _timeit(np_lq, repeat, min_time),
                "factorize": _timeit(fz_lq, repeat, min_time),
                "dense": _timeit(dense_lq, repeat, min_time),
            },
            "hhi": {
                "library": _timeit(lib_hhi, repeat, min_time),
                "numpy": _timeit(np_hhi, repeat, min_time),
                "factorize": _timeit(fz_hhi, repeat, min_time),
                "dense": _timeit(dense_hhi, repeat, min_time),
            },
            "hhi_from_shares": {
                "library": _timeit(lib_hhi_shares, repeat, min_time),
                "numpy": _timeit(np_hhi_shares, repeat, min_time),
                "factorize": _timeit(fz_hhi_shares, repeat, min_time),
            },
            "pcc": {
                "library": _timeit(lib_pcc, repeat, min_time),
                "numpy": _timeit(np_pcc, repeat, min_time),
            },
        }
    res["key_coding"] = _timeit(codes, repeat, min_time)
    res["timings"] = timings
    for _k, t in timings.items():
        t["floor_ratio"] = t["library"]["median_s"] / t["numpy"]["median_s"]
        if "factorize" in t:
            t["factorize_ratio"] = t["library"]["median_s"] / t["factorize"]["median_s"]
    if "rca_timing" in ecx:
        res["ecx_speedup"] = ecx["rca_timing"]["median_s"] / timings["lq"]["library"]["median_s"]
    return res


# ---------------------------------------------------------------------------- the report
def fmt_s(x) -> str:
    if x is None or x != x:
        return "n/a"
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 1:
        return f"{x:.1f} s"
    if x >= 1e-3:
        return f"{x * 1e3:.1f} ms"
    return f"{x * 1e6:.0f} µs"


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def report(R: dict) -> str:
    M = R["machine"]
    L = []
    w = L.append
    w("# Benchmarks")
    w("")
    w(
        f"Written by `make bench` (`benchmarks/run.py{' --quick' if R['quick'] else ''}`); do not edit by hand, "
        "rerun it. How each number is measured: `benchmarks/README.md`."
    )
    if R["quick"]:
        w("")
        w("**Quick mode: tiny sizes, a smoke test of the benchmark code; the numbers mean nothing.**")
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    w(f"| date | {M['date']} |")
    w(f"| CPU | {M['cpu']} |")
    w(f"| cores | {M['logical_cpus']} logical, {M['usable_cpus']} usable |")
    w(f"| memory | {M['memory_gib']} GiB |")
    w(f"| OS | {M['os']} |")
    w(f"| Python | {M['python']} |")
    w("| packages | " + ", ".join(f"{k} {v}" for k, v in M["packages"].items()) + " |")
    w(
        "| OpenBLAS variables | "
        + ", ".join(f"{k}={v}" for k, v in M["openblas_env"].items())
        + " (left as they are: no step measured here calls BLAS) |"
    )
    if M.get("blas"):
        w("| BLAS (threadpoolctl) | " + "; ".join(M["blas"]) + " |")
    w(f"| load average (1, 5, 15 min) | at start {R['load_start']}, at end {R['load_end']} |")
    if R.get("load_wait"):
        w(f"| waiting for a quiet machine | {R['load_wait']} |")
    w(f"| total benchmark time | {fmt_s(R['elapsed_s'])} |")
    C = R["copy"]
    w(
        f"| repository copy | {C['files']} files from `git ls-files` (tracked and untracked-not-ignored), a fresh "
        f"copy for every run; `analysis.core.paths.ROOT` seen from `<copy>/notebooks` is the copy: "
        f"{'verified' if C['root_ok'] else 'NOT verified'}; files of the real `notebooks/`, `data/processed/`, "
        f"`figures/`, `build/` changed meanwhile: {len(C.get('real_changed', []))}"
        + (" (other work on the machine)" if C.get("real_changed") else "")
        + " |"
    )
    w(
        "| benchmark-only packages | "
        + (
            f"`{Path(R['deps']).relative_to(REPO) if Path(R['deps']).is_relative_to(REPO) else R['deps']}` "
            "(pip --target), seen by this process only"
            if R.get("deps")
            else "none found: from the environment, if at all"
        )
        + "; scipy importable by the notebooks: "
        + (
            "**yes** (inflates their times: seaborn then imports scipy.stats)"
            if C.get("scipy_in_project_env")
            else "no, as with `make reproduce`"
        )
        + " |"
    )
    w("")

    # ---- summary
    w("## Against the targets")
    w("")
    w("| target | result | |")
    w("|---|---|---|")
    D, I, G = R.get("default"), R.get("indicators"), R.get("regions")
    if D:
        w(
            f"| default run at least {TARGET_SPEEDUP:g}x faster than sequential nbconvert (2 cores) | "
            f"{D['speedup']:.2f}x ({fmt_s(D['pipeline_median_s'])} vs {fmt_s(D['nbconvert_median_s'])}, medians) | "
            f"{verdict(D['speedup'] >= TARGET_SPEEDUP)} |"
        )
        if D.get("before"):
            w(
                f"| default run no slower than before the redesign (commit {D['before']}, same machine, "
                f"alternated) | {fmt_s(D['pipeline_median_s'])} now vs {fmt_s(D['before_median_s'])} before, "
                f"medians | {verdict(D['pipeline_median_s'] <= D['before_median_s'])} |"
            )
    if I:
        worst = max(I["timings"].items(), key=lambda kv: kv[1]["floor_ratio"])
        w(
            f"| indicators within {TARGET_FLOOR_RATIO:g}x of the NumPy floor | worst {worst[1]['floor_ratio']:.1f}x "
            f"({worst[0]}); "
            + ", ".join(f"{k} {t['floor_ratio']:.1f}x" for k, t in I["timings"].items())
            + f" | {verdict(worst[1]['floor_ratio'] <= TARGET_FLOOR_RATIO)} |"
        )
        if "ecx_speedup" in I:
            w(
                f"| LQ at least {TARGET_ECX_SPEEDUP:g}x faster than ecomplexity's RCA path | "
                f"{I['ecx_speedup']:.1f}x ({fmt_s(I['timings']['lq']['library']['median_s'])} vs "
                f"{fmt_s(I['ecomplexity']['rca_timing']['median_s'])}) | {verdict(I['ecx_speedup'] >= TARGET_ECX_SPEEDUP)} |"
            )
        else:
            w(
                f"| LQ at least {TARGET_ECX_SPEEDUP:g}x faster than ecomplexity's RCA path | not measured: "
                f"{I['ecomplexity'].get('error', 'not installed')} | n/a |"
            )
        w(
            f"| indicators agree (library, NumPy, ecomplexity) | largest difference "
            f"{max(c['max_abs_diff'] for c in I['agreement'].values()):.1e} | "
            f"{'**ok**' if I['agreement_ok'] else '**DISAGREE**'} |"
        )
    if G and G["runs"]:
        big = max(G["runs"], key=lambda r: r["n"])
        small = min(G["runs"], key=lambda r: r["n"])
        ok85 = big["n"] >= 85 and big["seconds"] <= TARGET_ALL_REGIONS_S and big["rc"] == 0
        w(
            f"| all {big['n']} regions under {TARGET_ALL_REGIONS_S / 60:g} minutes (2 cores) | {fmt_s(big['seconds'])}"
            + (
                f" ({big['seconds'] / TARGET_ALL_REGIONS_S:.1f}x the target)"
                if big["seconds"] > TARGET_ALL_REGIONS_S
                else ""
            )
            + f" | {verdict(ok85) if big['n'] >= 85 else 'n/a (fewer regions run)'} |"
        )
        if big is not small:
            ratio = big["peak_tree_rss_mib"] / small["peak_tree_rss_mib"]
            w(
                f"| memory flat in the number of regions | peak tree RSS {small['peak_tree_rss_mib']:.0f} MiB at "
                f"{small['n']}, {big['peak_tree_rss_mib']:.0f} MiB at {big['n']} ({ratio:.2f}x) | "
                f"{verdict(ratio <= FLAT_MEMORY)} |"
            )
    w("")

    PL = R.get("plumbing")
    if PL:
        w("## Measuring plumbing")
        w("")
        w(
            f"`python -c 'import analysis.core.paths; numpy.ones(20e6); sleep 0.5'` on a copy, through the wrapper: "
            f"{fmt_s(PL['seconds'])}, peak tree RSS {PL['peak_tree_rss_mib']:.0f} MiB, largest process "
            f"{PL['max_child_rss_mib']:.0f} MiB, exit {PL['rc']}, imported the copy's code: {PL['root_is_copy']}."
        )
        w("")
    if D:
        w(
            "## 1. Default region: `python -m analysis run --jobs 2` vs sequential `jupyter nbconvert --execute`"
        )
        w("")
        w(
            f"Steps: {', '.join(D['steps'])}. Each run on a fresh copy of the repository; the commands "
            "alternate, each first in turn"
            + (
                f"; *before* is the same `python -m analysis run --jobs 2` on the files of commit {D['before']} "
                "(`git archive`), the code before the redesign."
                if D.get("before")
                else "."
            )
        )
        w("")
        w("| rep | command | wall | peak RSS, whole tree | largest process | load before | exit |")
        w("|---|---|---|---|---|---|---|")
        for r in D["runs"]:
            name = {
                "pipeline": "`python -m analysis run --jobs 2`",
                "before": f"before: `python -m analysis run --jobs 2` at {D.get('before')}",
            }.get(r["mode"], "`jupyter nbconvert --execute` (sequential)")
            w(
                f"| {r['rep'] + 1} | {name} | {fmt_s(r['seconds'])} | {r['peak_tree_rss_mib']:.0f} MiB | "
                f"{r['max_child_rss_mib']:.0f} MiB | {r['load_before']} | {r['rc']} |"
            )
        w("")
        w(
            f"Medians: analysis run **{fmt_s(D['pipeline_median_s'])}**, nbconvert **{fmt_s(D['nbconvert_median_s'])}**: "
            f"speed-up **{D['speedup']:.2f}x** (target {TARGET_SPEEDUP:g}x)."
        )
        if D["failed"]:
            w(f"Failed runs: {', '.join(D['failed'])}.")
        w("")
        if D["step_median_s"]:
            w(
                "Inside the analysis run (medians over the repetitions): each step is one papermill execution "
                "with its own kernel; *cells* is the sum of its cells' execution times, the rest is kernel start-up, "
                "papermill and writing the notebook."
            )
            w("")
            w("| step | step wall | cells | overhead |")
            w("|---|---|---|---|")
            for s, t in D["step_median_s"].items():
                c = D["cells_sum_median_s"].get(s)
                w(f"| {s} | {fmt_s(t)} | {fmt_s(c)} | {fmt_s(t - c) if c is not None else 'n/a'} |")
            tot = sum(D["step_median_s"].values())
            w(f"| sum | {fmt_s(tot)} | {fmt_s(sum(D['cells_sum_median_s'].values()))} | |")
            w("")
            w(f"Rosstat import before the steps (`import_all`): {fmt_s(D['rosstat_import_median_s'])}.")
            w("")

    if I:
        sh = I["shape"]
        w("## 2. Indicators on a synthetic panel")
        w("")
        w(
            f"{sh['regions']} regions x {sh['activities']} activities x {sh['years']} years = {sh['rows']:,} rows, long "
            "format (year, region, activity, value), rows shuffled, about 5 % zero cells, seeded RNG "
            "(`make_panel` in `benchmarks/run.py`). Per-call times: median of "
            f"{I['timings']['lq']['library']['repeat']} repeats (timeit, each repeat long enough to time)."
        )
        w("")
        w(
            "| indicator | library call | library | NumPy floor | ratio | NumPy + keys coded once | ratio | dense 3-D NumPy |"
        )
        w("|---|---|---|---|---|---|---|---|")
        calls = {
            "lq": "`location_quotient_long(df)`",
            "hhi": "`hhi(df.assign(value=shares_long(df)), by=[year, region])`",
            "hhi_from_shares": "`hhi(shares, by=[year, region])`",
            "pcc": "`per_capita_coefficient(x, x_total, pop, pop_total)` (Series)",
        }
        for k, t in I["timings"].items():
            dense = fmt_s(t["dense"]["median_s"]) if "dense" in t else "–"
            fz = (
                f"{fmt_s(t['factorize']['median_s'])} | {t['factorize_ratio']:.1f}x"
                if "factorize" in t
                else "– (element-wise, no keys) | –"
            )
            w(
                f"| {k} | {calls[k]} | {fmt_s(t['library']['median_s'])} | {fmt_s(t['numpy']['median_s'])} | "
                f"{t['floor_ratio']:.1f}x | {fz} | {dense} |"
            )
        w("")
        w(
            "*NumPy floor*: the same numbers from the same long rows, with the keys (year, region, activity) "
            "already integer codes: `np.bincount` group sums and element-wise division; the target is judged "
            "against it. *NumPy + keys coded once*: the same, plus coding the key columns by hashing "
            "(`pandas.factorize`, once per column) inside the timed call, which is the least a function taking "
            "a long table with text keys must do. Coding the keys in plain NumPy (`np.unique` on the string "
            f"columns, a sort of Python objects) would cost {fmt_s(I['key_coding']['median_s'])} per table, "
            "more than the library's whole call, so it is not used as a floor. *Dense*: the bare arithmetic on a "
            "ready (year, region, activity) array, for scale."
        )
        w("")
        E = I["ecomplexity"]
        w(
            f"**ecomplexity** {E.get('version', '(not installed)')}: its RCA path is `ComplexityData(df, cols)` "
            "(rename, `to_numeric`, index) and, per year, `create_full_df(t)` (rectangularise) and `calculate_rca()`."
        )
        w("")
        if "error" in E:
            w(f"- could not be run: `{E['error']}`")
        if "rca_timing" in E:
            w(
                f"- RCA path: **{fmt_s(E['rca_timing']['median_s'])}** per panel, "
                f"{I['ecx_speedup']:.0f}x the library's `location_quotient_long` "
                f"({fmt_s(I['timings']['lq']['library']['median_s'])})."
            )
        if "full_timing" in E:
            w(
                f"- the whole `ecomplexity()` call (RCA, ECI/PCI, proximity, density; no log-supermodularity check), "
                f"for scale: {fmt_s(E['full_timing']['median_s'])}."
            )
        if "full_error" in E:
            w(f"- the whole `ecomplexity()` call fails: `{E['full_error']}`")
        if "nan_coerced_to_zero" in E:
            w(
                f"- with pandas {M['packages'].get('pandas')}: a NaN value is "
                + (
                    "coerced to zero as documented."
                    if E["nan_coerced_to_zero"]
                    else "**not** coerced to zero although it warns that it is (`self.data.val.fillna(0, inplace=True)` "
                    "acts on a copy under Copy-on-Write): on data with gaps its RCA differs. The panel here has none."
                )
            )
        if E.get("warnings"):
            w("- warnings it raised: " + "; ".join(f"`{x}`" for x in E["warnings"]))
        elif "version" in E:
            w("- it raised no warning on this panel.")
        w("")
        w("Agreement (largest absolute difference; tolerance 1e-9 relative to the largest value):")
        w("")
        w("| check | max abs difference | |")
        w("|---|---|---|")
        names = {
            "lq_vs_numpy": "LQ: library vs NumPy",
            "hhi_vs_numpy": "HHI from volumes: library vs NumPy",
            "hhi_shares_vs_numpy": "HHI from shares: library vs NumPy",
            "pcc_vs_numpy": "per-capita coefficient: library vs NumPy",
            "lq_vs_dense": "LQ: library vs dense NumPy",
            "hhi_vs_dense": "HHI: library vs dense NumPy",
            "lq_vs_factorize": "LQ: library vs NumPy + keys coded once",
            "hhi_vs_factorize": "HHI: library vs NumPy + keys coded once",
            "lq_vs_ecomplexity_rca": "LQ vs ecomplexity RCA (same matrix)",
            "pcc_vs_ecomplexity_rpop": "per-capita coefficient vs ecomplexity RPOP",
        }
        for k, c in I["agreement"].items():
            w(f"| {names.get(k, k)} | {c['max_abs_diff']:.1e} | {'ok' if c['ok'] else '**differs**'} |")
        w("")

    if G and G["runs"]:
        w("## 3. All regions: `python -m analysis run --region <first N> --jobs 2`")
        w("")
        w(
            "First N region ids of `analysis.inputs.regions.all_regions()` (OKATO order), each N once, each on a fresh copy. "
            "*Peak RSS, whole tree* is the largest sum of the resident set sizes of the command and all its "
            "descendants (psutil, sampled every 0.2 s; shared pages count once per process, so this overstates "
            "the physical memory); *largest process* is `getrusage(RUSAGE_CHILDREN).ru_maxrss` of a wrapper "
            "process, the peak of the single biggest process of the tree."
        )
        w("")
        w(
            "| regions | wall | per region | peak RSS, whole tree | largest process | failed steps | exit | load before |"
        )
        w("|---|---|---|---|---|---|---|---|")
        for r in G["runs"]:
            w(
                f"| {r['n']} | {fmt_s(r['seconds'])} | {fmt_s(r['seconds'] / r['n'])} | {r['peak_tree_rss_mib']:.0f} MiB | "
                f"{r['max_child_rss_mib']:.0f} MiB | {r['failed_steps']} | {r['rc']} | {r['load_before']} |"
            )
        w("")
        for r in G["runs"]:
            if r.get("retried"):
                w(
                    f"The {r['n']}-region run first failed after {fmt_s(r['retried']['seconds'])} "
                    f"(`{r['retried']['error']}`) and was run again; the row shows the second run."
                )
                w("")
        if "fit_per_region_s" in G:
            w(
                f"Growth: a straight line through the points gives {fmt_s(G['fit_fixed_s'])} fixed + "
                f"{fmt_s(G['fit_per_region_s'])} per region (log-log slope {G['loglog_slope']:.2f}: 1 is linear). "
                f"With 2 workers, one region costs about {fmt_s(2 * G['fit_per_region_s'])} of one worker's time."
            )
            w("")

    P = R.get("profile")
    if P:
        w("## Where the time goes")
        w("")
        if "kernel_start_s" in P:
            w(
                f"- Starting a kernel (ipykernel, to ready): {fmt_s(P['kernel_start_s'])}; in it, the imports every "
                f"notebook begins with (pandas, matplotlib.pyplot, analysis.study, analysis.core.figures): "
                f"{fmt_s(P['kernel_imports_s'])}; shutting it down {fmt_s(P['kernel_shutdown_s'])}. "
                f"A bare interpreter starts in {fmt_s(P['python_start_s'])}; `{IMPORTS}` adds {fmt_s(P['python_imports_s'])}."
            )
        if "batch_step_median_s" in P:
            w(
                f"- In one worker (`run_batch`, as `--region a,b,c` runs; {', '.join(P['batch_regions'])}), "
                f"executing the notebooks itself (the in-process engine, the default for several regions), one "
                f"region's 8 steps take {fmt_s(P['batch_region_s'])}: "
                + ", ".join(f"{s.split('_')[0]} {fmt_s(t)}" for s, t in P["batch_step_median_s"].items())
                + "."
                + (f" Failed: {', '.join(P['batch_failed'])}." if P.get("batch_failed") else "")
                + (
                    f" The same in a fresh kernel per notebook (`--engine kernel`): {fmt_s(P['batch_kernel_region_s'])}"
                    f" ({P['batch_kernel_region_s'] / P['batch_region_s']:.2f}x)."
                    if P.get("batch_kernel_region_s")
                    else ""
                )
            )
        for key in ("batch_error", "batch_kernel_error"):
            if key in P:
                w(f"- run_batch diagnostic ({key}) failed: `{P[key].strip().splitlines()[-1]}`")
        w("")
        for key, who in (
            ("notebooks", "kemerovo, the default region"),
            ("notebooks_other", P.get("other_region")),
        ):
            if not P.get(key):
                continue
            w(
                f"Each notebook's code for **{who}** run under cProfile in a plain interpreter (Agg backend; cProfile "
                "adds overhead, so compare shares rather than absolute times). *figures*: `analysis.core.figures.save` "
                "(draw each figure in en and ru, lay it out, write PNG at 300 dpi, SVG and PDF); *png/svg/pdf*: the "
                "backends' `print_*` inside it; *PDF fonts*: fontTools subsetting the embedded TrueType font "
                "(`pdf.fonttype: 42`), part of *pdf*. *imports* overlaps *figures* where a backend or seaborn is "
                "first imported while saving; *analysis functions*: the slowest functions of the `analysis` package "
                "other than `figures`, cumulative (they include their drawing)."
            )
            w("")
            w(
                "| notebook | total | imports | figures | png | svg | pdf | PDF fonts | analysis functions (cumulative) |"
            )
            w("|---|---|---|---|---|---|---|---|---|")
            for s, n in P[key].items():
                if "error" in n:
                    w(f"| {s} | failed: {n['error']} | | | | | | | |")
                    continue
                tops = [
                    f"`{nm.split(':')[0].split('/')[-1]} {nm.split()[-1]}` {fmt_s(ct)}"
                    for nm, ct, _ in n["top_analysis"]
                    if nm.split()[-1] not in ("_display",) and ct >= 0.05 * n["total_s"]
                ][:3]
                w(
                    f"| {s} | {fmt_s(n['total_s'])} | {fmt_s(n['imports_s'])} | {fmt_s(n['figures_save_s'])} "
                    f"({n['figures_save_s'] / n['total_s']:.0%}) | {fmt_s(n['png_s'])} | {fmt_s(n['svg_s'])} | "
                    f"{fmt_s(n['pdf_s'])} | {fmt_s(n['font_subset_s'])} | " + ", ".join(tops) + " |"
                )
            w("")
            vals = [n for n in P[key].values() if "total_s" in n]
            tot = sum(n["total_s"] for n in vals)
            if tot:
                w(
                    f"Over these notebooks: figures {sum(n['figures_save_s'] for n in vals) / tot:.0%} of the profiled "
                    f"time (PNG {sum(n['png_s'] for n in vals) / tot:.0%}, SVG {sum(n['svg_s'] for n in vals) / tot:.0%}, "
                    f"PDF {sum(n['pdf_s'] for n in vals) / tot:.0%}, of which font subsetting "
                    f"{sum(n['font_subset_s'] for n in vals) / tot:.0%}); imports {sum(n['imports_s'] for n in vals) / tot:.0%}."
                )
                w("")
    if R.get("analysis"):
        w("## Reading the results")
        w("")
        for line in R["analysis"]:
            w(f"- {line}")
        w("")
    return "\n".join(L) + "\n"


def analyse(R: dict) -> list[str]:
    """Plain-language conclusions from the numbers, including what bounds a missed target."""
    out = []
    D, I, G, P = R.get("default"), R.get("indicators"), R.get("regions"), R.get("profile")

    def fig_share(key: str):
        vals = [n for n in ((P or {}).get(key) or {}).values() if "total_s" in n]
        tot = sum(n["total_s"] for n in vals)
        if not tot:
            return None
        return {
            k: sum(n[k] for n in vals) / tot
            for k in ("figures_save_s", "png_s", "svg_s", "pdf_s", "font_subset_s", "imports_s")
        }

    if D and D["step_median_s"]:
        st = D["step_median_s"]
        seq = D["nbconvert_median_s"]
        par = [t for s, t in st.items() if s != "07_conclusion"]
        tail = st.get("07_conclusion", 0.0)
        head = D.get("rosstat_import_median_s") or 0.0
        ideal = head + max(sum(par) / 2, max(par or [0])) + tail  # perfect 2-worker schedule of these steps
        line = (
            f"**Default run** ({fmt_s(D['pipeline_median_s'])}): {D['speedup']:.2f}x the sequential nbconvert "
            f"({fmt_s(seq)}), "
        )
        if D["speedup"] >= TARGET_SPEEDUP:
            line += f"meeting the {TARGET_SPEEDUP:g}x target."
        else:
            line += (
                f"short of the {TARGET_SPEEDUP:g}x target by a factor {TARGET_SPEEDUP / D['speedup']:.2f} "
                f"({fmt_s(D['pipeline_median_s'] - seq / TARGET_SPEEDUP)} too slow). What bounds it: the run has a "
                f"serial head, the Rosstat import ({fmt_s(head)}, which nbconvert does not do), and a serial tail, "
                f"07_conclusion ({fmt_s(tail)}, one core idle); in between, {len(par)} steps totalling "
                f"{fmt_s(sum(par))} share 2 workers. Even a perfect schedule of these step times (as measured "
                f"in the parallel run) takes "
                f"{fmt_s(ideal)}, {seq / ideal:.2f}x the sequential run: 2x is out of reach with 2 workers "
                "however the steps are ordered."
            )
            if P and "kernel_start_s" in P:
                per = P["kernel_start_s"] + P["kernel_imports_s"]
                line += (
                    f" Starting a kernel ({fmt_s(P['kernel_start_s'])}) and importing pandas, matplotlib and "
                    f"the package ({fmt_s(P['kernel_imports_s'])}) costs {fmt_s(per)}: nbconvert pays it for each "
                    f"of the {len(st)} notebooks, the default run imports once per worker and starts no kernel "
                    "(its workers execute the notebooks in-process), which is most of the gain; the rest is "
                    "the notebooks' own work."
                )
            n07 = ((P or {}).get("notebooks") or {}).get("07_conclusion", {})
            led = next(
                (x for x in n07.get("top_analysis", []) if x[0].endswith(" build") and "ledger" in x[0]), None
            )
            tc = next((x for x in n07.get("top_analysis", []) if x[0].endswith(" t_cell")), None)
            if led and tc:
                line += (
                    f" The tail step 07 is on the critical path; in it `ledger.build` takes {fmt_s(led[1])} of "
                    f"{fmt_s(n07['total_s'])} under cProfile (`ledger.t_cell`, {tc[2]} calls, {fmt_s(tc[1])}); "
                    "its figures take most of the rest."
                )
            fs = fig_share("notebooks")
            if fs:
                line += (
                    f" Inside the notebooks, `analysis.core.figures.save` is {fs['figures_save_s']:.0%} of the "
                    f"profiled time: every figure is drawn in two languages and written three times; PDF "
                    f"({fs['pdf_s']:.0%}; fontTools subsetting the embedded DejaVu font on every PDF, "
                    f"`pdf.fonttype: 42`, {fs['font_subset_s']:.0%}) costs more than PNG at 300 dpi "
                    f"({fs['png_s']:.0%}) and SVG ({fs['svg_s']:.0%}). Figures and kernel start-up slow both "
                    "commands alike; what raises the ratio is a shorter serial head and tail."
                )
        out.append(line)
    if I:
        T = I["timings"]
        lq = T["lq"]
        missed = [(k, t["floor_ratio"]) for k, t in T.items() if t["floor_ratio"] > TARGET_FLOOR_RATIO]
        met = [(k, t["floor_ratio"]) for k, t in T.items() if t["floor_ratio"] <= TARGET_FLOOR_RATIO]
        line = f"**Indicators** ({I['shape']['rows']:,} rows), against the {TARGET_FLOOR_RATIO:g}x-of-the-floor target: "
        if missed:
            line += "missed by " + ", ".join(
                f"{k} ({r:.0f}x the floor, {r / TARGET_FLOOR_RATIO:.1f}x over the target)" for k, r in missed
            )
        if met:
            line += ("; " if missed else "") + "met by " + ", ".join(f"{k} ({r:.0f}x)" for k, r in met)
        line += ". "
        line += (
            f"`location_quotient_long` takes {fmt_s(lq['library']['median_s'])}, the floor "
            f"{fmt_s(lq['numpy']['median_s'])}, and NumPy with the three key columns coded once by "
            f"`pandas.factorize` {fmt_s(lq['factorize']['median_s'])} ({lq['factorize_ratio']:.0f}x less than "
            "the library). `_long_spec` codes each key column once (`pandas.factorize`) and sums with "
            "`np.bincount`; what it adds over the keys-coded-once figure is validation: four more group sums "
            "that check parts against totals, a duplicate-key check and the non-negativity checks. "
            f"`hhi(by=)` ({fmt_s(T['hhi_from_shares']['library']['median_s'])} from shares) spends its time in "
            "the pandas grouping of the text keys (`_segments`: `groupby(keys).size()` for the index, `.ngroup()` "
            "for the codes); its arithmetic is `np.bincount`; keys given as categoricals or integer codes "
            "avoid most of that hashing. "
            f"`per_capita_coefficient` is element-wise, {T['pcc']['floor_ratio']:.0f}x the floor: the input "
            "checks and pandas alignment."
        )
        E = I["ecomplexity"]
        if "ecx_speedup" in I:
            line += (
                f" Against ecomplexity's RCA path ({fmt_s(E['rca_timing']['median_s'])}): "
                f"{I['ecx_speedup']:.1f}x faster, "
                + (
                    "meeting"
                    if I["ecx_speedup"] >= TARGET_ECX_SPEEDUP
                    else f"short of the {TARGET_ECX_SPEEDUP:g}x target by a factor {TARGET_ECX_SPEEDUP / I['ecx_speedup']:.0f}"
                )
                + ". ecomplexity's cost is per-year pandas work (`data.loc[t]`, two groupbys, two merges, a "
                "MultiIndex reindex per year) before three lines of NumPy; the library's is hashing the text "
                "keys and validating. The NumPy floor is "
                f"{E['rca_timing']['median_s'] / lq['numpy']['median_s']:.0f}x faster than ecomplexity and the "
                f"keys-coded-once version {E['rca_timing']['median_s'] / lq['factorize']['median_s']:.0f}x, so "
                "20x would need the keys already coded (no text hashing in the call): the arithmetic is not "
                "what costs."
            )
        elif "error" in E:
            line += f" ecomplexity could not be compared: {E['error']}."
        out.append(line)
    if G and G["runs"]:
        big = max(G["runs"], key=lambda r: r["n"])
        line = f"**All regions**: {big['n']} regions in {fmt_s(big['seconds'])}"
        if big["n"] >= 85:
            if big["seconds"] > TARGET_ALL_REGIONS_S:
                line += (
                    f", {big['seconds'] / TARGET_ALL_REGIONS_S:.2f}x the 3-minute target (over by "
                    f"{fmt_s(big['seconds'] - TARGET_ALL_REGIONS_S)})."
                )
            else:
                line += (
                    f", within the 3-minute target ({fmt_s(TARGET_ALL_REGIONS_S - big['seconds'])} to spare)."
                )
        else:
            line += "."
        if "fit_per_region_s" in G:
            need = (TARGET_ALL_REGIONS_S - max(G["fit_fixed_s"], 0)) / 85
            slope = G["loglog_slope"]
            how = (
                "linearly"
                if 0.85 <= slope <= 1.15
                else "less than linearly (the fixed part weighs)"
                if slope < 0.85
                else "faster than linearly"
            )
            line += (
                f" Time grows {how} with the number of regions: {fmt_s(G['fit_per_region_s'])} per region "
                f"with 2 workers, {fmt_s(G['fit_fixed_s'])} fixed (log-log slope {G['loglog_slope']:.2f}); "
                f"the 3-minute target allows {fmt_s(need)} per region."
            )
        if P and "batch_step_median_s" in P:
            steps = sorted(P["batch_step_median_s"].items(), key=lambda kv: -kv[1])
            line += (
                f" In this mode each of the two workers executes the notebooks itself (no kernel to start, no "
                f"message per output), so start-up is paid twice, not {8 * big['n']} times; the "
                f"notebooks' own work is what is left: one region takes {fmt_s(P['batch_region_s'])} in one "
                "worker running alone, "
                + ", ".join(f"{s} {fmt_s(t)}" for s, t in steps[:3])
                + ", the other steps (which skip: the paper's data exist for Kemerovo region only) "
                f"{fmt_s(sum(t for _, t in steps[3:]))} together."
            )
            if "fit_per_region_s" in G:
                line += (
                    f" With two workers each region costs {fmt_s(2 * G['fit_per_region_s'])} of a worker's time, "
                    f"{2 * G['fit_per_region_s'] / P['batch_region_s']:.2f}x that: the two workers share two "
                    "cores (and, where the machine's other work takes its part, less)."
                )
            fo = fig_share("notebooks_other")
            if fo:
                line += (
                    f" For a region other than Kemerovo run alone (every figure drawn in 2 languages and written "
                    f"in 3 formats), `analysis.core.figures.save` is {fo['figures_save_s']:.0%} of the notebooks' "
                    f"profiled time (PDF {fo['pdf_s']:.0%}, of which font subsetting {fo['font_subset_s']:.0%}; "
                    f"PNG {fo['png_s']:.0%}; SVG {fo['svg_s']:.0%}); a batch writes PNG in one language at 100 dpi, "
                    "and its figures are still most of a region's work (the LQ heatmap of 06, seaborn, and the "
                    "two among-regions figures of 08 the largest)."
                )
        if len(G["runs"]) >= 2:
            small = min(G["runs"], key=lambda r: r["n"])
            ratio = big["peak_tree_rss_mib"] / small["peak_tree_rss_mib"]
            line += (
                f" Memory: peak tree RSS {small['peak_tree_rss_mib']:.0f} MiB at {small['n']} regions, "
                f"{big['peak_tree_rss_mib']:.0f} MiB at {big['n']} ({ratio:.2f}x); largest single process "
                f"{small['max_child_rss_mib']:.0f} and {big['max_child_rss_mib']:.0f} MiB: "
                + (
                    "flat in the number of regions."
                    if ratio <= FLAT_MEMORY
                    else "it grows with the number of regions (the workers keep state between notebooks)."
                )
            )
        out.append(line)
    return out


# ------------------------------------------------------------------------------------ main
def wait_for_quiet(threshold: float, max_wait: float) -> str:
    start, first = time.time(), loadavg()
    while load1() >= threshold and time.time() - start < max_wait:
        log(
            f"load average {loadavg()}: waiting for the 1-minute load to fall below {threshold:g} "
            f"({(time.time() - start) / 60:.0f}/{max_wait / 60:.0f} min)"
        )
        time.sleep(30)
    waited = time.time() - start
    ok = load1() < threshold
    return f"load {first} when called; waited {waited / 60:.1f} min; " + (
        f"1-minute load {load1():.2f} < {threshold:g} at start"
        if ok
        else f"gave up after {max_wait / 60:.0f} min at 1-minute load {load1():.2f}: numbers may be inflated"
    )


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return child_main(argv[1], argv[3:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="tiny sizes, seconds (the smoke test)")
    ap.add_argument(
        "--out", help="Markdown report (default: benchmarks/RESULTS.md in full mode, none in quick)"
    )
    ap.add_argument("--json", help="also write all numbers as JSON here")
    ap.add_argument(
        "--parts",
        help="comma-separated: default, indicators, regions, profile, plumbing "
        "(full: default,indicators,regions,profile; quick: indicators,plumbing)",
    )
    ap.add_argument(
        "--deps",
        default=str(BENCH_DEPS),
        help="folder where benchmarks/requirements-bench.txt was installed with pip --target",
    )
    ap.add_argument("--reps", type=int, help="repetitions of each command in part 1 (full: 3)")
    ap.add_argument(
        "--before",
        default=None,
        help=f"part 1 also runs the default region on this commit's code (full: {DEFAULT_BEFORE}; 'none' to skip)",
    )
    ap.add_argument("--regions", help="region counts for part 3 (full: 10,40,85)")
    ap.add_argument("--wait-load", type=float, default=1.0, help="wait until the 1-minute load is below this")
    ap.add_argument(
        "--max-wait", type=float, default=900, help="seconds to wait for that at most (full mode)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    ap.add_argument(
        "--render", metavar="JSON", help="measure nothing: write the report of a --json file again"
    )
    a = ap.parse_args(argv)
    if a.render:
        R = json.loads(Path(a.render).read_text())
        R["analysis"] = analyse(R)
        out = a.out or (None if R.get("quick") else str(RESULTS_MD))
        text = report(R)
        if out:
            Path(out).write_text(text)
            log(f"wrote {out} from {a.render}")
        else:
            print(text)
        return 0
    quick = a.quick
    spec = a.parts or ("indicators,plumbing" if quick else "default,indicators,regions,profile")
    parts = {p.strip() for p in spec.split(",") if p.strip()}
    unknown = parts - {"default", "indicators", "regions", "profile", "plumbing"}
    if unknown:
        ap.error(f"unknown part(s) {sorted(unknown)}")
    # The benchmark's own packages (ecomplexity and its dependencies) for this process only; the
    # notebook runs below get PYTHONPATH=<copy> and never see them.
    if Path(a.deps).is_dir() and a.deps not in sys.path:
        sys.path.append(a.deps)
    t_start = time.perf_counter()
    R: dict = {"quick": quick, "parts": sorted(parts), "deps": a.deps if Path(a.deps).is_dir() else None}
    if not quick and a.max_wait > 0:
        R["load_wait"] = wait_for_quiet(a.wait_load, a.max_wait)
    R["load_start"] = loadavg()
    R["machine"] = machine()
    log(f"machine: {R['machine']['cpu']}, {R['machine']['usable_cpus']} cores, load {R['load_start']}")
    work = Path(tempfile.mkdtemp(prefix="kuzbass-bench-"))
    before = snapshot_outputs()
    try:
        files = tracked_files()
        probe = make_copy(work / "probe", files)
        root = check_copy(probe)
        shutil.rmtree(probe)
        R["copy"] = {
            "files": len(files),
            "root_ok": True,
            "root_seen": "<copy>" if root else root,
            "scipy_in_project_env": project_has(work, files, "scipy"),
        }
        log(
            f"repository copy: {len(files)} files; analysis.core.paths.ROOT from <copy>/notebooks is the copy"
        )
        if R["copy"]["scipy_in_project_env"]:
            log(
                "WARNING: scipy is importable in the project's environment (requirements.txt has no scipy): "
                "seaborn then imports scipy.stats, which slows the notebooks measured here"
            )
        if "plumbing" in parts:
            log("plumbing: one small command through the measuring wrapper, on a copy")
            R["plumbing"] = part_plumbing(work, files)

        if "indicators" in parts:
            log("part 2: indicators")
            shape = (6, 5, 3) if quick else (85, 100, 20)
            R["indicators"] = part_indicators(
                shape, repeat=3 if quick else 7, min_time=0.01 if quick else 0.2
            )
            for k, t in R["indicators"]["timings"].items():
                log(
                    f"  {k}: library {fmt_s(t['library']['median_s'])}, numpy {fmt_s(t['numpy']['median_s'])} "
                    f"({t['floor_ratio']:.1f}x)"
                )
            if "ecx_speedup" in R["indicators"]:
                log(
                    f"  ecomplexity RCA path: {R['indicators']['ecx_speedup']:.0f}x slower than the library's LQ"
                )
            log(f"  agreement: {'ok' if R['indicators']['agreement_ok'] else 'DIFFERS'}")
        if "default" in parts:
            reps = a.reps or (1 if quick else 3)
            steps = "1" if quick else None
            log(f"part 1: default region, {reps} repetition(s) of each command")
            before_commit = a.before or (None if quick else DEFAULT_BEFORE)
            R["default"] = part_default(
                work, files, reps, steps, None if before_commit == "none" else before_commit
            )
        if "regions" in parts:
            counts = [int(x) for x in (a.regions or ("2" if quick else "10,40,85")).split(",")]
            log(f"part 3: regions {counts}")
            R["regions"] = part_regions(work, files, counts, "1" if quick else None)
        if "profile" in parts:
            log("profile: kernel start-up, imports, notebooks under cProfile")
            sys.path.insert(0, str(REPO))
            from analysis.runner.pipeline import STEPS

            steps = STEPS[:1] if quick else STEPS
            probe = make_copy(work / "ids", files)
            ids = region_ids(probe)
            shutil.rmtree(probe)
            others = [i for i in ids if i != "kemerovo"]
            R["profile"] = part_profile(
                work,
                files,
                steps,
                None if quick else others[:3],
                kernel_reps=1 if quick else 3,
                other_region=others[0],
            )
    finally:
        if a.keep:
            log(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    after = snapshot_outputs()
    changed = sorted({k for k in set(before) | set(after) if before.get(k) != after.get(k)})
    R.setdefault("copy", {"files": 0, "root_ok": False})["real_changed"] = changed
    if changed:
        log(
            f"note: {len(changed)} file(s) under the real repository's outputs changed meanwhile, e.g. "
            f"{changed[:3]}: other work on this machine (every run here imports the copy's code, checked above)"
        )
    R["load_end"] = loadavg()
    R["elapsed_s"] = time.perf_counter() - t_start
    R["analysis"] = analyse(R)
    text = report(R)
    out = a.out or (None if quick else str(RESULTS_MD))
    if out:
        Path(out).write_text(text)
        log(f"wrote {out}")
    if a.json:
        Path(a.json).write_text(json.dumps(R, indent=1, default=str))
    if quick and not out:
        print(text)
    bad = []
    if "indicators" in R and not R["indicators"]["agreement_ok"]:
        bad.append("indicators disagree")
    if "default" in R and R["default"]["failed"]:
        bad.append("a default-region run failed")
    if "regions" in R and any(r["rc"] != 0 for r in R["regions"]["runs"]):
        bad.append("a many-region run failed")
    if not R["copy"]["root_ok"]:
        bad.append("copy not isolated")
    if "plumbing" in R and not (
        R["plumbing"]["rc"] == 0
        and R["plumbing"]["root_is_copy"]
        and R["plumbing"]["max_child_rss_mib"] > 100
    ):
        bad.append("measuring plumbing failed")
    for b in bad:
        log(f"PROBLEM: {b}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
