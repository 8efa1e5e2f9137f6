"""Part ``default``: the default region's run against executing the same notebooks one after
another with ``jupyter nbconvert --execute``.

Measures ``python -m analysis run --jobs 2`` and the sequential nbconvert baseline (and, with
``--before``, the same run on an older commit's files), alternated, each command first in turn,
each on a fresh copy of the repository; medians over the repetitions, and each step's wall time
and the sum of its cells' times from the run's log and the notebooks papermill leaves.

Target: the run's median at most :data:`TARGET_RATIO` (0.33) x the baseline's median.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
from papermill.parameterize import parameterize_notebook

from analysis.runner import workspace
from analysis.runner.pipeline import select_steps
from benchmarks.common import PY, REPO, loadavg, log_run, measure, median, pipeline_cmd

TARGET_RATIO = 0.33  # the run at most a third of sequential nbconvert, medians, same machine and run
DEFAULT_BEFORE = "43f1495"  # the commit before the redesign (issue 10)
# The parameters injected into each notebook of the nbconvert baseline (papermill's own
# injection into a copy, which nbconvert then executes), said once. What `python -m analysis run`
# gives the default region: the notebooks' own figure settings, every format and language, as the
# timed run writes them. A name a notebook does not declare is injected all the same (papermill
# only warns), so a renamed or new parameter goes here and nowhere else.
BASELINE_PARAMETERS: dict[str, object] = {"region": "kemerovo"}

STEP_LINE = re.compile(r"\[\d+/\d+\] (\S+) (\S+): (ok|FAILED) \(([\d.]+) s\)")
IMPORT_LINE = re.compile(r"imported Rosstat tables \(([\d.]+) s\)")


def parameterized_copies(notebooks: list[Path], parameters: dict[str, object]) -> list[Path]:
    """Overwrite each notebook (in a throwaway copy) with papermill's parameterised version: an
    ``injected-parameters`` cell after the ``parameters`` cell, as ``analysis run`` executes it."""
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        nb.metadata.setdefault("papermill", nbformat.from_dict({}))  # papermill's execute adds it first
        nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
        nbformat.write(nb, path)
    return notebooks


def nbconvert_cmd(copy: Path, outdir: Path, steps: list[str]) -> list[str]:
    """``jupyter nbconvert --to notebook --execute`` of the copy's notebooks of ``steps``, in order,
    each first parameterised with :data:`BASELINE_PARAMETERS` (not timed)."""
    nbs = [copy / "notebooks" / f"{s}.ipynb" for s in steps]
    parameterized_copies(nbs, BASELINE_PARAMETERS)
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


def cell_times(folder: Path) -> dict[str, float]:
    """Sum of the cells' execution times of each notebook papermill left in ``folder``."""
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


def alternation(modes: list[str], reps: int) -> list[tuple[int, str]]:
    """(repetition, mode) in run order: each mode first once in turn, so a drift of the machine's
    load does not favour one command."""
    return [(i, m) for i in range(reps) for m in modes[i % len(modes) :] + modes[: i % len(modes)]]


def summarise(runs: list[dict], chosen: list[str]) -> dict:
    """Medians of the runs of each mode, the ratio run / baseline, failures and per-step medians."""
    by = {m: [r["seconds"] for r in runs if r["mode"] == m] for m in ("pipeline", "nbconvert", "before")}
    res: dict = {
        "runs": runs,
        "steps": chosen,
        "pipeline_median_s": median(by["pipeline"]),
        "nbconvert_median_s": median(by["nbconvert"]),
        "failed": [f"{r['mode']} rep {r['rep']}" for r in runs if r["rc"] != 0],
    }
    res["ratio"] = res["pipeline_median_s"] / res["nbconvert_median_s"]
    if by["before"]:
        res["before_median_s"] = median(by["before"])
    steps: dict[str, list[float]] = {}
    cells: dict[str, list[float]] = {}
    for r in runs:
        for s, t in r.get("steps", {}).items():
            steps.setdefault(s, []).append(t)
        for s, t in (r.get("cell_times") or {}).items():
            cells.setdefault(s, []).append(t)
    res["step_median_s"] = {s: median(steps[s]) for s in chosen if s in steps}
    res["cells_sum_median_s"] = {s: median(v) for s, v in cells.items()}
    res["rosstat_import_median_s"] = median(
        [r["rosstat_import_s"] for r in runs if r.get("rosstat_import_s") is not None]
    )
    return res


def run(work: Path, files: list[str], reps: int, steps: str | None, before: str | None = None) -> dict:
    """Measure the part: ``reps`` repetitions of each command, alternated (see the module's doc)."""
    chosen = select_steps(steps)
    runs = []
    modes = ["pipeline", "nbconvert"] + (["before"] if before else [])
    for i, mode in alternation(modes, reps):
        name = f"default-{mode}-{i}"
        copy = copy_of_commit(work / name, before) if mode == "before" and before else None
        copy = copy or workspace.make_copy(work / name, files)
        if mode == "nbconvert":
            outdir = work / f"nbconvert-out-{i}"
            outdir.mkdir()
            cmd = nbconvert_cmd(copy, outdir, chosen)
        else:
            cmd = pipeline_cmd(steps)
        logfile = work / f"{name}.log"
        la = loadavg()
        m = measure(cmd, copy, workspace.copy_env(copy), logfile)
        m.update(mode=mode, rep=i, load_before=la)
        text = logfile.read_text(errors="replace")
        if mode == "pipeline":  # the steps of today's code only
            m["steps"] = {s: float(t) for _, s, _ok, t in STEP_LINE.findall(text)}
            mi = IMPORT_LINE.search(text)
            m["rosstat_import_s"] = float(mi.group(1)) if mi else None
            m["cell_times"] = cell_times(copy / "build" / "runs" / "kemerovo")
        runs.append(m)
        log_run(f"default region, {mode} rep {i + 1}/{reps}", m, la, logfile, text)
        shutil.rmtree(copy, ignore_errors=True)
    res = summarise(runs, chosen)
    if before:
        res["before"] = before
    return res
