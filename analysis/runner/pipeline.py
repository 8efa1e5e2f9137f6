"""Run the study's notebooks with papermill: ``python -m analysis run``.

- One execution model: every notebook executes in a worker process, in that process's own IPython
  shell (:mod:`analysis.runner.inprocess`), the default region included. ``--engine kernel``
  executes each notebook in a fresh Jupyter kernel instead, as Jupyter and nbval do: slower, for
  debugging (a crash in C code then names its step and cell).
- Steps 01-08 are independent (no step reads another's outputs): for one region they are dealt
  to ``--jobs`` workers, longest first; several regions (``--region a,b`` or ``all``) are dealt to
  the workers a region at a time. Workers die with the run (:func:`_die_with_parent`).
- A run is validated before anything executes (:func:`prepare`): steps, parameters against each
  notebook's ``parameters`` cell (papermill would only warn), regions, a user's folder.
- Each step executes into ``build/runs/<region>/<step>.ipynb``. On success the notebook is
  normalised (no machine paths, no timings, a stable kernelspec) and moved atomically to its
  place: ``notebooks/`` for the default region (the committed, nbval-checked copies), else
  ``build/notebooks/<region>/``; then the step enters ``run_record.json`` at once
  (:func:`record_step`), with the id of its run. On failure the executed copy with the error stays
  in ``build/runs/`` for inspection, the step's previous outputs and record are untouched, and the
  command exits non-zero naming the step and the failing cell.
"""

from __future__ import annotations

import ast
import ctypes
import fcntl
import hashlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
import yaml
from jupyter_client.manager import AsyncKernelManager
from papermill.exceptions import PapermillExecutionError
from papermill.inspection import inspect_notebook

from analysis.core import figures, manifest, paths, provenance
from analysis.core.errors import InputError
from analysis.core.figures import SCREEN_DPI
from analysis.core.outputs import write_bytes
from analysis.inputs import userdata
from analysis.inputs.rosstat import CODE as ROSSTAT_CODE
from analysis.inputs.rosstat import import_all
from analysis.runner import inprocess
from analysis.study import DEFAULT_REGION, check_run, check_values

STEPS = [
    "01_factor_selection",
    "02_cluster_profiling",
    "03_gva_hhi",
    "04_coefficients",
    "05_freight",
    "06_localization",
    "07_conclusion",
    "08_regions_compared",
    "09_national_clusters",
]
KERNEL = "python3"
ENGINES = ("inprocess", "kernel")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL}


class IPCKernelManager(AsyncKernelManager):
    """``--engine kernel``: a kernel that talks over local IPC sockets instead of TCP, so nothing
    listens on a network port and ipykernel does not warn about unencrypted TCP on every start."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", _ipc_path())  # one socket prefix per kernel: parallel kernels never meet
        super().__init__(*args, **kwargs)


def _ipc_path() -> str:
    return os.path.join(tempfile.gettempdir(), f"kuzbass-kernel-{uuid.uuid4().hex}")


@dataclass
class Result:
    step: str
    region: str
    ok: bool
    seconds: float
    output: str  # repository-relative path of the executed notebook
    error: str = ""


def select_steps(spec: str | None) -> list[str]:
    """``None`` -> all steps; ``"3,5"`` or ``"03_gva_hhi,05"`` -> those steps, in study order."""
    if not spec:
        return list(STEPS)
    chosen = []
    for tok in (t.strip() for t in spec.split(",") if t.strip()):
        hits = [
            s
            for s in STEPS
            if s == tok or s.split("_")[0].lstrip("0") == tok.lstrip("0") or s.startswith(tok)
        ]
        if len(hits) != 1:
            raise InputError(
                None,
                f"unknown step {tok!r}",
                column="--steps",
                expected="one of " + ", ".join(STEPS) + " (or their numbers)",
            )
        chosen.append(hits[0])
    return [s for s in STEPS if s in chosen]


@cache
def notebook_parameters(step: str) -> dict[str, dict]:
    """Names, inferred types and defaults of a notebook's ``parameters`` cell (papermill)."""
    return inspect_notebook(str(paths.NOTEBOOKS / f"{step}.ipynb"))


def validate_all(steps: list[str], params: dict) -> None:
    """Refuse a parameter no step of ``steps`` declares, and a value of the wrong type for a step
    that declares it. Each step is later given only the parameters it declares
    (:func:`for_step`): ``user_folder`` reaches the steps that read a user's files."""
    declared = {step: notebook_parameters(step) for step in steps}
    for name in params:
        if not any(name in known for known in declared.values()):
            everything = sorted({n for known in declared.values() for n in known})
            raise InputError(
                paths.NOTEBOOKS / f"{steps[0]}.ipynb" if len(steps) == 1 else None,
                f"unknown parameter {name!r}",
                column="parameters",
                expected="one of " + ", ".join(everything),
            )
    for step, known in declared.items():
        validate(step, {k: v for k, v in params.items() if k in known})


def for_step(step: str, params: dict) -> dict:
    """The parameters of ``params`` that the notebook of ``step`` declares."""
    known = notebook_parameters(step)
    return {k: v for k, v in params.items() if k in known}


_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "list": (list,)}


def validate(step: str, params: dict) -> None:
    """Refuse unknown parameter names and values of the wrong type for ``step``."""
    known = notebook_parameters(step)
    for name, value in params.items():
        if name not in known:
            raise InputError(
                paths.NOTEBOOKS / f"{step}.ipynb",
                f"unknown parameter {name!r}",
                column="parameters",
                expected="one of " + ", ".join(sorted(known)),
            )
        kind = known[name]["inferred_type_name"]
        if kind == "None":  # papermill infers types from annotations only; use the default's
            try:
                kind = type(ast.literal_eval(known[name]["default"])).__name__
            except (ValueError, SyntaxError):
                kind = "None"
        ok = _TYPES.get(kind)
        if ok and (not isinstance(value, ok) or (kind != "bool" and isinstance(value, bool))):
            raise InputError(
                paths.NOTEBOOKS / f"{step}.ipynb",
                f"parameter {name!r} has the wrong type",
                column="parameters",
                expected=kind,
                found=value,
            )


def normalise(nb_path) -> bytes:
    """The executed notebook (a path or a notebook object) without execution metadata and
    machine paths, as bytes."""
    nb = nbformat.read(nb_path, as_version=4) if isinstance(nb_path, (str, Path)) else nb_path
    nb.metadata.pop("papermill", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.cells = [c for c in (_without_runner(c) for c in nb.cells) if c is not None]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.get("outputs", []))
    nb.metadata["language_info"] = {"name": "python"}
    count = 0
    for cell in nb.cells:
        for key in ("papermill", "execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        # papermill gives the cell it injects a random id: a rerun would change the notebook's bytes
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        # Each notebook numbered from 1, whichever engine executed it.
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for out in cell.get("outputs", []):
                if out.get("output_type") == "execute_result":
                    out["execution_count"] = count
    text = nbformat.writes(nb) + "\n"
    # A safety net: no absolute path of this machine ever reaches a committed notebook.
    for root in {str(paths.ROOT), os.path.realpath(paths.ROOT)}:
        text = text.replace(root + "/", "").replace(root, ".")
    return text.encode("utf-8")


def _without_runner(cell: Any) -> Any:
    """A cell of an executed notebook without the ``runner`` parameter papermill injected, and
    without the injected cell if that was all of it: None.

    ``runner`` says how the notebook was executed, as papermill's metadata does (also removed),
    not what it computed; the raw output in ``build/runs/`` keeps both. Left in the committed
    notebooks, it would follow them into Lab, where a region set by hand would then run as
    if under the runner, without the NOTE of ``study.start`` that keeps another region's
    outputs out of the default region's notebook."""
    if "injected-parameters" not in cell.metadata.get("tags", []):
        return cell
    lines = [line for line in cell.source.splitlines() if line != "runner = True"]
    if all(not line.strip() or line.lstrip().startswith("#") for line in lines):
        return None
    cell.source = "\n".join(lines) + ("\n" if cell.source.endswith("\n") else "")
    return cell


def merge_streams(outputs: list) -> list:
    """Consecutive stream outputs of the same name (stdout, stderr) merged into one.

    How a kernel splits printed text into messages depends on when it flushes, i.e. on the load of
    the machine; merged, the notebook's bytes do not (nbconvert's coalesce_streams does the same)."""
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (
            out.get("output_type") == "stream"
            and prev is not None
            and prev.get("output_type") == "stream"
            and prev.get("name") == out.get("name")
        ):
            prev["text"] = prev["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def destination(step: str, region: str, default_region: str) -> Path:
    if region == default_region:
        return paths.NOTEBOOKS / f"{step}.ipynb"
    return paths.ROOT / "build" / "notebooks" / region / f"{step}.ipynb"


def run_step(
    step: str, region: str, params: dict, default_region: str, engine: str, run: dict[str, Any] | None = None
) -> Result:
    """Execute one notebook with papermill; see the module docstring for where outputs go.

    ``engine="inprocess"`` executes it in this process (:mod:`analysis.runner.inprocess`),
    ``"kernel"`` in a fresh Jupyter kernel. With ``run`` (the run's id and what it is made of, :func:`run_info`) a
    step that succeeds enters the region's ``run_record.json`` at once (:func:`record_step`).
    """
    work = paths.RUNS / region / f"{step}.ipynb"
    work.parent.mkdir(parents=True, exist_ok=True)
    # papermill writes the executed notebook at the end or at a failing cell, and the notebook its
    # record at its end; a kernel that dies leaves neither, and last run's must not pass for this run's.
    work.unlink(missing_ok=True)
    (paths.RUNS / region / f"{step}.record.json").unlink(missing_ok=True)
    start = time.perf_counter()
    kernel: dict[str, Any] = (
        {"engine_name": inprocess.NAME, "preload": PRELOAD_MODULES}
        if engine == "inprocess"
        else {"kernel_manager_class": IPCKernelManager}
    )
    try:
        pm.execute_notebook(
            str(paths.NOTEBOOKS / f"{step}.ipynb"),
            str(work),
            parameters=for_step(step, params) or None,
            kernel_name=KERNEL,
            progress_bar=False,
            cwd=str(paths.NOTEBOOKS),
            log_output=False,
            # Written once at the end (or at the failing cell), not twice per cell.
            request_save_on_cell_execute=False,
            **kernel,
        )
    except Exception as exc:  # a failing cell; or the kernel died, the notebook is unreadable, ...
        error = (
            f"cell {exc.exec_count} failed: {exc.ename}: {exc.evalue}"
            if isinstance(exc, PapermillExecutionError)
            else f"{type(exc).__name__}: {exc}"
        )
        # papermill writes the notebook at a failing cell, not when the kernel dies
        kept = paths.rel(work) if work.exists() else "(none written)"
        return Result(step, region, False, time.perf_counter() - start, kept, error)
    dest = destination(step, region, default_region)
    write_bytes(dest, normalise(work))
    if run:
        for gone in record_step(region, step, run):
            print(f"removed {gone}: this run no longer writes it", flush=True)
    return Result(step, region, True, time.perf_counter() - start, paths.rel(dest))


# Median seconds of each step (make bench, benchmarks/RESULTS.md): the longest start first, so
# that two workers finish together.
STEP_COST = {
    "06_localization": 5.6,
    "07_conclusion": 4.2,
    "04_coefficients": 4.2,
    "03_gva_hhi": 3.1,
    "08_regions_compared": 3.1,
    "09_national_clusters": 3.1,  # not yet benchmarked: step 8's, whose all-regions work it resembles
    "05_freight": 2.7,
    "01_factor_selection": 1.9,
    "02_cluster_profiling": 1.5,
}


def step_module(step: str) -> str:
    """The package module of a step: ``03_gva_hhi`` -> ``analysis.steps.gva_hhi``."""
    return "analysis.steps." + step.split("_", 1)[1]


# Imported by each worker's shell once, before its first notebook, then frozen out of the garbage
# collector (see inprocess.shell; the measured gain is in benchmarks/README.md).
PRELOAD_MODULES = (
    "matplotlib.pyplot",
    "analysis.study",
    *(step_module(s) for s in STEPS),
    "analysis.steps.conclusion_paper",  # step 7's judgement of the paper, beside its module
)

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(parent: int) -> None:
    """A worker's initializer: the worker ends when the process that started it ends, also by
    ``kill -9`` (which no handler of the parent sees). On Linux the kernel sends it SIGKILL
    (``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread sees the worker adopted by another parent."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _run_steps(
    region: str, steps: list[str], params: dict, default_region: str, engine: str, run: dict[str, Any]
) -> list[Result]:
    """A worker's task: ``steps`` of ``region``, one after another, each recorded as it finishes.
    Each notebook is told that the runner executes it (its ``runner`` parameter: it then records
    its step, see ``study.outputs``)."""
    p = {**region_params(region, params, default_region), "runner": True}
    return [run_step(step, region, p, default_region, engine, run) for step in steps]


FIGURE_PARAMS = ("figure_formats", "figure_langs", "figure_dpi")


def region_params(region: str, params: dict, default_region: str = DEFAULT_REGION) -> dict:
    """The parameters of a run that ``region``'s notebooks are given: its ``region`` (the default
    region's is the notebooks' own). The default region's figures are always written in full
    (:func:`analysis.core.figures.saved_formats`): figure parameters, which cannot change its
    notebooks, stay out of them and out of its run's id, so that a batch run leaves its committed
    notebooks and run record as a run of it alone does."""
    if region == default_region:
        return {k: v for k, v in params.items() if k not in FIGURE_PARAMS}
    return {**params, "region": params.get("region", region)}


def dead_worker(region: str, steps: list[str], engine: str) -> list[Result]:
    """The failures of ``steps`` of ``region`` when the worker running them died, with what to do."""
    also = "" if engine == "kernel" else " --engine kernel"
    why = (
        "not run to the end: its worker process died (a notebook ended the Python process, e.g. a "
        "crash in C code, or the system ran out of memory and killed it); the steps recorded before "
        "are kept. To see which step and cell, run this region alone: python -m analysis run "
        f"--region {region} --steps {','.join(s.split('_')[0] for s in steps)} --jobs 1{also}"
    )
    return [Result(s, region, False, 0.0, "(none written)", why) for s in steps]


def execute(
    tasks: list[tuple[str, list[str]]],
    jobs: int,
    params: dict,
    default_region: str,
    engine: str,
    runs: dict[str, dict[str, Any]],
    done: Callable[[list[Result]], None] = lambda _: None,
) -> list[Result]:
    """Run each task (a region and steps to run there in turn) in ``jobs`` worker processes,
    in the order given; ``done`` sees each task's results as it finishes. The notebooks never
    execute in this process: a notebook that ends its process ends a worker, not the run."""
    results: list[Result] = []
    with ProcessPoolExecutor(
        max_workers=max(1, min(jobs, len(tasks))),
        mp_context=get_context("spawn"),
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        futures = {
            pool.submit(_run_steps, region, steps, params, default_region, engine, runs[region]): (
                region,
                steps,
            )
            for region, steps in tasks
        }
        for fut in as_completed(futures):
            try:
                got = fut.result()
            except BrokenProcessPool:
                got = dead_worker(*futures[fut], engine)
            results += got
            done(got)
    return sorted(results, key=lambda r: (r.region, STEPS.index(r.step)))


def run(
    region: str,
    steps: list[str],
    jobs: int = 2,
    params: dict | None = None,
    default_region: str = DEFAULT_REGION,
    log=print,
    engine: str = "inprocess",
) -> list[Result]:
    """Run ``steps`` for one region, in parallel in ``jobs`` workers, longest first."""
    params = dict(params or {})
    validate_all(steps, params)
    first = sorted(steps, key=lambda s: -STEP_COST.get(s, 0))
    runs = {region: run_info(region, params, default_region)}
    count = [0]

    def report(got: list[Result]) -> None:
        for r in got:
            count[0] += 1
            mark = "ok" if r.ok else "FAILED"
            log(
                f"[{count[0]}/{len(steps)}] {r.region} {r.step}: {mark} ({r.seconds:.1f} s) -> {r.output}"
                + (f"\n      {r.error}" if r.error else "")
            )

    return execute([(region, [s]) for s in first], jobs, params, default_region, engine, runs, report)


def run_batch(
    regions: list[str],
    steps: list[str],
    jobs: int = 2,
    params: dict | None = None,
    default_region: str = DEFAULT_REGION,
    engine: str = "inprocess",
) -> list[Result]:
    """Run ``steps`` for many regions in ``jobs`` workers, a region at a time."""
    params = dict(params or {})
    validate_all(steps, params)
    runs = {r: run_info(r, params, default_region) for r in regions}

    def report(got: list[Result]) -> None:
        print(f"  {got[0].region}: {sum(r.ok for r in got)}/{len(got)} steps ok", flush=True)

    return execute([(r, list(steps)) for r in regions], jobs, params, default_region, engine, runs, report)


RECORD = "run_record.json"
# Committed beside the tables it vouches for: a fresh clone whose raw files, importer code and
# tables all match it skips the import (about 2 s of every first run).
IMPORT_STAMP = paths.INTERIM_ROSSTAT / "FINGERPRINT"


def _import_fingerprint() -> str:
    """What the imported tables depend on and are: the raw files' checksum list, the importer
    code, and every imported table's bytes (a table edited by hand is imported again).
    ``tests/runner/test_pipeline.py`` checks that the code list covers the importers' imports."""
    parts = [paths.RAW_ROSSTAT / "SHA256SUMS", paths.REFERENCE / "regions.csv"]
    # The importers and what they call in the package (the rosstat modules' and regions.py's imports).
    code = [*ROSSTAT_CODE, "inputs/regions.py"]
    code += [f"core/{m}.py" for m in ("errors", "outputs", "paths", "provenance", "sources")]
    parts += [paths.ROOT / "analysis" / c for c in code]
    parts += sorted(paths.INTERIM_ROSSTAT.glob("*.csv"))
    return "".join(f"{paths.rel(p)} {provenance.digest(p)}\n" for p in parts if p.is_file())


def interim_is_current() -> bool:
    """True if ``data/interim/rosstat/`` was imported from today's raw files by today's code."""
    return IMPORT_STAMP.is_file() and IMPORT_STAMP.read_text(encoding="utf-8") == _import_fingerprint()


def import_rosstat() -> dict[str, Path]:
    """Import Rosstat's raw files into ``data/interim/rosstat/`` and write the fingerprint that
    lets later runs (and fresh clones, where it is committed) skip the import."""
    written = import_all()
    write_bytes(IMPORT_STAMP, _import_fingerprint().encode("utf-8"))
    return written


def run_info(region: str, params: dict, default_region: str = DEFAULT_REGION) -> dict[str, Any]:
    """What a run of ``region`` is made of, and its id: the digest of the package's code, the
    notebooks' cells (not their outputs), the parameters, the figures it writes, and every file a
    step may read (``data/raw``,
    ``data/interim``, ``data/reference``, the user's folder), each with its SHA-256.

    The id is the first 16 hex digits of the SHA-256 of all that. Made of contents, not of a
    time, it is the same for a rerun of the same code on the same inputs (whose outputs are the
    same bytes), so the committed ``run_record.json`` changes only when the code or an input does;
    steps recorded under different ids come from different code or inputs."""
    p = region_params(region, params, default_region)
    fmts, langs, dpi = figures.options(
        p.get("figure_formats", ""), p.get("figure_langs", ""), p.get("figure_dpi", 0)
    )
    fmts, langs = figures.saved_formats(region, fmts, langs)
    p["figures"] = {"formats": list(fmts), "languages": list(langs), "dpi": figures.saved_dpi(region, dpi)}
    user = (paths.ROOT / p["user_folder"]) if p.get("user_folder") else paths.user_dir(region)
    files = [f for d in (paths.RAW, paths.INTERIM, paths.REFERENCE, user) for f in sorted(d.rglob("*"))]
    code = provenance.code_digest()
    h = hashlib.sha256(code.encode() + json.dumps(p, sort_keys=True, ensure_ascii=False).encode())
    for step in STEPS:  # the notebooks' cells are code too; their outputs are what a run makes
        nb = nbformat.read(paths.NOTEBOOKS / f"{step}.ipynb", as_version=4)
        tagged = [
            (c.cell_type, c.source)
            for c in nb.cells
            if "injected-parameters" not in c.metadata.get("tags", [])
        ]
        h.update(json.dumps([step, tagged], ensure_ascii=False).encode())
    for f in files:
        if f.is_file():
            h.update(f"{paths.rel(f)} {provenance.digest(f)}\n".encode())
    return {"id": h.hexdigest()[:16], "code_sha256": code, "parameters": p}


def _removable(path: Path, region: str) -> bool:
    """Only a region's own tables and figures are ever removed, never shared or raw files."""
    return any(
        d in path.resolve().parents
        for d in (paths.processed_dir(region).resolve(), paths.figures_dir(region).resolve())
    )


@contextmanager
def _locked(region: str) -> Iterator[None]:
    """The region's record is read and rewritten by one step at a time: steps finish in parallel."""
    lock = paths.RUNS / region / "record.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_record(region: str) -> dict[str, Any]:
    """``data/processed/<region>/run_record.json`` (empty if there is none)."""
    rec_path = paths.processed_dir(region) / RECORD
    return json.loads(rec_path.read_text(encoding="utf-8")) if rec_path.exists() else {}


def record_step(region: str, step: str, run: dict[str, Any]) -> list[str]:
    """Enter a step that has just succeeded into ``data/processed/<region>/run_record.json``: the
    files it read (with their SHA-256, from ``build/runs/<region>/<step>.record.json``, which the
    notebook wrote at its end), where each of its inputs comes from (``origins``: what, kind,
    source, as :func:`analysis.study.source` said it), the files it wrote, and the id of its run
    (:func:`run_info`, whose code digest and parameters the record keeps under ``runs``). A step
    is recorded as soon as it finishes, so the outputs of steps that succeeded before another
    failed, or before the run was interrupted, are in the record too, with their run.

    Outputs the same step wrote last time but not this time (an input gone, a part now skipped)
    are removed with their figures' manifest entries; only files the previous record lists for
    that step, and only inside the region's own folders. Returns the removed files."""
    f = paths.RUNS / region / f"{step}.record.json"
    if not f.exists():
        return []
    r = json.loads(f.read_text(encoding="utf-8"))
    removed: list[str] = []
    with _locked(region):
        old = read_record(region)
        steps = dict(old.get("steps", {}))
        for rel_path in sorted(set(steps.get(step, {}).get("outputs", [])) - set(r["outputs"])):
            p = paths.ROOT / rel_path
            if p.is_file() and _removable(p, region):
                p.unlink()
                removed.append(rel_path)
        figs = paths.rel(paths.figures_dir(region))
        gone = sorted({Path(x).name.split(".")[0] for x in removed if x.startswith(figs)})
        manifest.remove(region, [n for n in gone if not any(paths.figures_dir(region).glob(f"{n}.*.*"))])
        origins = r.get("origins", [])  # a record written before steps declared their origins has none
        steps[step] = {"inputs": r["inputs"], "origins": origins, "outputs": r["outputs"], "run": run["id"]}
        runs = {**old.get("runs", {}), run["id"]: {k: v for k, v in run.items() if k != "id"}}
        used = {s.get("run") for s in steps.values()}
        record = {
            "region": region,
            "runs": {k: v for k, v in sorted(runs.items()) if k in used},
            "steps": dict(sorted(steps.items())),
        }
        text = json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        write_bytes(paths.processed_dir(region) / RECORD, text.encode("utf-8"))
    return removed


def runs_of(region: str) -> dict[str, str]:
    """Each recorded step of ``region`` -> the id of the run its outputs come from ("" for a step
    recorded before runs had ids)."""
    return {step: s.get("run", "") for step, s in read_record(region).get("steps", {}).items()}


def mixed_runs(region: str) -> str | None:
    """A warning when the recorded steps of ``region`` come from more than one run (different code
    or inputs: a run that failed or was interrupted, a step rerun alone after a change), naming
    the steps of each run and the command that makes them one; None when they come from one."""
    by_run: dict[str, list[str]] = {}
    for step, rid in runs_of(region).items():
        by_run.setdefault(rid or "(no id)", []).append(step)
    if len(by_run) < 2:
        return None
    parts = "; ".join(f"run {rid}: {', '.join(steps)}" for rid, steps in sorted(by_run.items()))
    return (
        f"the steps of {region} come from {len(by_run)} different runs ({parts}); "
        f"rerun them together: python -m analysis run --region {region}"
    )


def prepare(region: str, steps: list[str], params: dict) -> list[str]:
    """Validate a run before anything executes; return the ids of its regions.

    ``region`` is a name, id, OKATO code, several separated by commas, or ``all``; names are
    resolved by the registry (:func:`analysis.inputs.regions.resolve`). A misspelt parameter, an
    unknown region or a bad file in a user's folder stops the run here, with its file, row and
    column, instead of failing one notebook deep inside; so does a folder meant for a region but
    not named by its id, which would be skipped silently."""
    # The regions, --param region (refused) and user_folder (it must exist) first.
    regions = check_run(region, params)
    validate_all(steps, params)
    check_values(params)  # a threshold of 0, NaN or -1 stops the run, not step 6 deep inside
    for rid in regions:
        folder = (paths.ROOT / params["user_folder"]) if params.get("user_folder") else None
        if folder is None and not paths.user_dir(rid).is_dir():
            wrong = userdata.misnamed_folders(rid)
            if wrong:
                d, why = wrong[0]
                raise InputError(
                    d,
                    f"this folder is not read for {rid}: {why}",
                    expected=f"the region's files in {paths.rel(paths.user_dir(rid))}/ (rename the folder), "
                    f"or --param user_folder={paths.rel(d)}",
                )
        if folder is not None or paths.user_dir(rid).is_dir():
            userdata.validate_folder(rid, folder)
    return regions


def main_run(
    region: str = DEFAULT_REGION,
    steps_spec: str | None = None,
    jobs: int = 2,
    lang: str | None = None,
    param_items: list[str] | None = None,
    all_figures: bool | None = None,
    engine: str = "inprocess",
) -> int:
    """``python -m analysis run``: validate, import Rosstat's tables, run; the exit code.

    ``region`` is a name, id, OKATO code, several separated by commas, or ``all``;
    ``param_items`` are ``NAME=VALUE`` strings, VALUE read as YAML."""
    steps = select_steps(steps_spec)
    params: dict = {}
    for item in param_items or []:
        if "=" not in item:
            raise InputError(None, f"bad --param {item!r}", expected="NAME=VALUE")
        name, value = item.split("=", 1)
        params[name] = yaml.safe_load(value)
    if lang:
        params["lang"] = lang
    regions = prepare(region, steps, params)
    # Several regions: PNG in one language unless every format is asked for (--all-figures). They
    # are the notebooks' parameters, so the executed notebooks record them; a --param figure_* wins.
    light = {"figure_formats": "png", "figure_langs": params.get("lang", "en"), "figure_dpi": SCREEN_DPI}
    if all_figures is False or (all_figures is None and len(regions) > 1):
        for name, value in light.items():
            params.setdefault(name, value)
    if light.keys() & params.keys():
        fmts, langs, dpi = figures.options(
            params.get("figure_formats", ""), params.get("figure_langs", ""), params.get("figure_dpi", 0)
        )
        print(
            f"figures: {', '.join(f.upper() for f in fmts)} at {dpi} dpi, {', '.join(langs)} only "
            f"(--all-figures for every format and language at {figures.DPI} dpi)"
        )
    start = time.perf_counter()
    # Every notebook must read tables that match data/raw and the importer code of this run:
    # they are rebuilt (about 2 s) unless the stamp of the last import says nothing changed.
    if interim_is_current():
        print(f"Rosstat tables current ({time.perf_counter() - start:.1f} s)")
    else:
        import_rosstat()
        print(f"imported Rosstat tables ({time.perf_counter() - start:.1f} s)")
    if len(regions) > 1:
        res = run_batch(regions, steps, jobs=jobs, params=params, engine=engine)
    else:
        res = run(regions[0], steps, jobs=jobs, params=params, engine=engine)
    failed = [r for r in res if not r.ok]
    print(
        f"done in {time.perf_counter() - start:.1f} s: {len(regions)} region(s), {len(steps)} step(s), "
        f"{len(failed)} failed"
    )
    for r in failed:
        print(
            f"FAILED {r.region} {r.step}: {r.error}\n  the executed notebook with the error: {r.output}",
            file=sys.stderr,
        )
    return 1 if failed else 0
