"""What every part of the benchmark shares: the machine's description, the throwaway copy of the
repository each run uses, and measuring one command (wall time and peak memory).

Measures nothing by itself and has no target. How the numbers are taken (wrapper process, RSS
sampling, why a copy): benchmarks/README.md, "How".
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from analysis.runner import workspace  # noqa: E402  (the repository's own package, found via REPO)

# Folders of the real repository a benchmark must never write (checked before and after).
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

# The wrapper process between the benchmark and a measured command: its own wall time of the
# command and getrusage(RUSAGE_CHILDREN).ru_maxrss (KiB on Linux), the largest single process.
CHILD = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
seconds = time.perf_counter() - start
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(json.dumps({"rc": rc, "seconds": seconds, "maxrss_kib": maxrss}))
sys.exit(rc)
"""


def log(msg: str) -> None:
    """One progress line on stdout, with the time of day."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def log_run(what: str, m: dict, load: str, logfile: Path, text: str) -> None:
    """One measured command (``m``: :func:`measure`) in the log, and the tail of its own log
    (``text``, from ``logfile``) when it failed."""
    log(
        f"  {what}: {m['seconds']:.1f} s (rc {m['rc']}, peak tree RSS {m['peak_tree_rss_mib']:.0f} MiB, "
        f"largest process {m['max_child_rss_mib']:.0f} MiB, load {load})"
    )
    if m["rc"] != 0:
        log(f"  FAILED: see {logfile}\n" + text[-2000:])


def loadavg() -> str:
    """The 1-, 5- and 15-minute load averages as /proc/loadavg gives them, or ``n/a``."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def load1() -> float:
    """The 1-minute load average (0.0 where /proc/loadavg cannot be read)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def median(xs: Sequence[float]) -> float:
    """The median of ``xs``; NaN for no values (a part that measured nothing)."""
    return statistics.median(xs) if xs else float("nan")


def fmt_s(x: float | None) -> str:
    """A duration for the report: µs, ms or s with three significant figures at most."""
    if x is None or x != x:
        return "n/a"
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 1:
        return f"{x:.1f} s"
    if x >= 1e-3:
        return f"{x * 1e3:.1f} ms"
    return f"{x * 1e6:.0f} µs"


def machine() -> dict:
    """Date, CPU, cores, memory, OS, Python, the key packages' versions and the BLAS in use."""
    from importlib import metadata

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
    info["usable_cpus"] = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
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
    except ImportError:  # threadpoolctl comes with the benchmark's requirements only
        info["blas"] = []
    return info


# ----------------------------------------------------------------------------- repository copy
def check_copy(copy: Path) -> str:
    """``analysis.core.paths.ROOT`` as seen from ``<copy>/notebooks`` (where the notebooks run);
    an error if it is not the copy."""
    out = workspace.root_seen_from(copy, PY)
    if out.resolve() != copy.resolve():
        raise RuntimeError(
            f"the copy's code is not the one imported: analysis.core.paths.ROOT = {out}, expected {copy}"
        )
    return str(out)


def snapshot_outputs(repo: Path = REPO) -> dict[str, int]:
    """Modification time (ns) of every file under the real repository's output folders."""
    snap = {}
    for sub in REAL_OUTPUTS:
        base = repo / sub
        if base.exists():
            for p in base.rglob("*"):
                if p.is_file():
                    snap[str(p.relative_to(repo))] = p.stat().st_mtime_ns
    return snap


def project_has(work: Path, files: list[str], module: str) -> bool:
    """Whether ``module`` is importable where the notebooks run (the project's environment)."""
    probe = workspace.make_copy(work / "has-probe", [f for f in files if f.startswith("analysis/")])
    out = subprocess.run(
        [PY, "-c", f"import importlib.util as u; print(u.find_spec({module!r}) is not None)"],
        cwd=probe,
        env=workspace.copy_env(probe),
        capture_output=True,
        text=True,
    )
    shutil.rmtree(probe, ignore_errors=True)
    return out.stdout.strip() == "True"


def region_ids(copy: Path) -> list[str]:
    """Every region id of ``analysis.inputs.regions.all_regions()`` (OKATO order), from the copy."""
    out = subprocess.run(
        [
            PY,
            "-c",
            "from analysis.inputs.regions import all_regions; print(','.join(r.id for r in all_regions()))",
        ],
        cwd=copy,
        env=workspace.copy_env(copy),
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().split(",")


def pipeline_cmd(steps: str | None = None, regions: list[str] | None = None, jobs: int = 2) -> list[str]:
    """``python -m analysis run --jobs N [--region a,b] [--steps s]``."""
    cmd = [PY, "-m", "analysis", "run", "--jobs", str(jobs)]
    if regions:
        cmd += ["--region", ",".join(regions)]
    if steps:
        cmd += ["--steps", steps]
    return cmd


# ---------------------------------------------------------------------- measuring a command
class TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and all its descendants, sampled every ``interval``
    seconds (psutil; without psutil the peak stays 0)."""

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
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:  # the process ended between listing and reading
                    continue
            self.samples += 1
            if total > self.peak:
                self.peak, self.peak_procs = total, len(procs)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def measure(cmd: list[str], cwd: Path, env: dict, logfile: Path) -> dict:
    """Run ``cmd`` (output to ``logfile``) through the wrapper :data:`CHILD`, sampling the summed
    RSS of the whole tree meanwhile: exit code, wall seconds, peak tree RSS and largest process
    (MiB)."""
    jpath = logfile.with_suffix(".child.json")
    with open(logfile, "w") as out:
        proc = subprocess.Popen(
            [PY, "-c", CHILD, str(jpath), *cmd], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        proc.wait()
        sampler.stop()
    child = json.loads(jpath.read_text()) if jpath.is_file() else {}
    jpath.unlink(missing_ok=True)
    return {
        "rc": child.get("rc", proc.returncode),
        "seconds": child.get("seconds", float("nan")),
        "peak_tree_rss_mib": sampler.peak / 2**20,
        "peak_tree_procs": sampler.peak_procs,
        "max_child_rss_mib": child.get("maxrss_kib", 0) / 1024,
        "log": str(logfile),
    }


def plumbing(work: Path, files: list[str]) -> dict:
    """A small command measured like the notebook runs (wrapper, RSS sampler) on a copy: it must
    see the copy's code and report a wall time and both memory figures (the smoke test of
    :func:`measure`)."""
    copy = workspace.make_copy(work / "plumbing", files)
    code = (
        "import time, analysis.core.paths as p, numpy as np; a = np.ones(20_000_000); time.sleep(0.5); "
        "print(p.ROOT)"
    )
    logfile = work / "plumbing.log"
    m = measure([PY, "-c", code], copy / "notebooks", workspace.copy_env(copy), logfile)
    lines = logfile.read_text().strip().splitlines()
    m["root_is_copy"] = bool(lines) and Path(lines[-1]).resolve() == copy.resolve()
    shutil.rmtree(copy, ignore_errors=True)
    log(
        f"  {m['seconds']:.2f} s, peak tree RSS {m['peak_tree_rss_mib']:.0f} MiB, largest process "
        f"{m['max_child_rss_mib']:.0f} MiB, ROOT is the copy: {m['root_is_copy']}"
    )
    return m


def wait_for_quiet(threshold: float, max_wait: float) -> str:
    """Wait (at most ``max_wait`` seconds) for the 1-minute load to fall below ``threshold``; a
    sentence for the report saying how long and how it ended."""
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
