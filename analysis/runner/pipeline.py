"""Run the study's notebooks with papermill: ``python -m analysis run``.

- Steps 01-06 and 08 are independent and run in parallel (``--jobs`` worker processes, each
  keeping one warm kernel, longest step first; no step reads another's outputs). Several regions
  (``--region a,b`` or ``all``) are dealt to the workers a region at a time, and by default each
  worker executes the notebooks itself, without a kernel (:mod:`analysis.runner.inprocess`, the
  same executed notebooks for a third less work; ``--engine`` chooses).
- Parameters are checked against each notebook's ``parameters`` cell before anything runs:
  an unknown name or a value of the wrong type is an error (papermill would only warn).
- Each step executes into ``build/runs/<region>/<step>.ipynb``. On success the notebook is
  normalised (no machine paths, no timings, a stable kernelspec) and moved atomically to its
  place: ``notebooks/`` for the default region (the committed, nbval-checked copies), else
  ``build/notebooks/<region>/``. On failure the executed copy with the error stays in
  ``build/runs/`` for inspection, the previous outputs are untouched, and the command exits
  non-zero naming the step and the failing cell.
"""

from __future__ import annotations

import ast
import atexit
import json
import os
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat
import papermill as pm
import yaml
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.exceptions import PapermillExecutionError
from papermill.inspection import inspect_notebook

from analysis.core import manifest, paths, provenance
from analysis.core.errors import InputError
from analysis.core.figures import DPI_ENV, FORMATS_ENV, LANGS_ENV, SCREEN_DPI
from analysis.core.outputs import write_bytes
from analysis.inputs import userdata
from analysis.inputs.regions import all_regions
from analysis.inputs.rosstat import import_all
from analysis.runner import inprocess, workspace
from analysis.study import DEFAULT_REGION, check

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
# Steps that must run after the others. None today: every step reads its inputs (data/raw,
# data/interim, data/user) and none reads another step's outputs, so the conclusion too is
# scheduled by its cost; a step that came to depend on another's tables would be listed here.
FINAL: list[str] = []
KERNEL = "python3"
RUNNER_ENV = "ANALYSIS_RUNNER"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL}


class QuickReadyClient(AsyncKernelClient):
    """A kernel client whose ``wait_for_ready`` ends as soon as the kernel is known to be ready.

    jupyter_client's version, which papermill calls before every notebook and the runner before
    every namespace reset, ends only after IOPub has been silent for 0.2 s, twice: 0.4 s of
    waiting a notebook, a third of a batch run's time for a small region (make bench). Here the
    proof is positive: the kernel publishes its ``idle`` status on IOPub after answering a
    request, so receiving the ``idle`` of our own ``kernel_info`` request shows that IOPub is
    connected and holds nothing older. Until it arrives (IOPub may still be connecting), the
    request is sent again.
    """

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else 60.0)
        while time.monotonic() < deadline:
            msg_id = self.kernel_info()
            try:
                reply = await self._async_recv_reply(msg_id, timeout=1.0)
            except TimeoutError:
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info") from None
                continue
            until = time.monotonic() + 0.5
            while (left := until - time.monotonic()) > 0:
                try:
                    msg = await self._async_get_iopub_msg(timeout=left)
                except Empty:
                    break
                if (
                    msg["msg_type"] == "status"
                    and msg["parent_header"].get("msg_id") == msg_id
                    and msg["content"].get("execution_state") == "idle"
                ):
                    self._handle_kernel_info_reply(reply)
                    return
        raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    wait_for_ready = _async_wait_for_ready  # the public name is bound to the base's function


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager that talks to the kernel over local IPC sockets instead of TCP: nothing
    listens on a network port, and ipykernel does not warn about unencrypted TCP on every start.
    Its clients are :class:`QuickReadyClient`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", _ipc_path())  # one socket prefix per kernel: parallel kernels never meet
        kwargs.setdefault("client_class", f"{__name__}.QuickReadyClient")
        super().__init__(*args, **kwargs)
        self._clients: list[AsyncKernelClient] = []

    def client(self, **kwargs: Any) -> AsyncKernelClient:
        kc = super().client(**kwargs)
        self._clients.append(kc)
        return kc

    def close_clients(self) -> None:
        """Stop the channels of every client made so far. nbclient leaves its client open when
        the kernel is not its own (a warm kernel): without this, each notebook would leave three
        threads, 18 file descriptors and about 9 MB behind in the worker (make bench, memory)."""
        while self._clients:
            kc = self._clients.pop()
            if kc.channels_running:
                kc.stop_channels()


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
        # A warm kernel counts on from the previous notebook: number each notebook from 1.
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
    step: str, region: str, params: dict, default_region: str, km=None, engine: str = "kernel"
) -> Result:
    """Execute one notebook with papermill; see the module docstring for where outputs go.

    With ``km`` (a running kernel manager, see :func:`_warm_kernel`) the notebook runs in that
    kernel after its namespace is cleared; otherwise in a fresh kernel of its own. With
    ``engine="inprocess"`` it runs in this process (:mod:`analysis.runner.inprocess`).
    """
    work = paths.RUNS / region / f"{step}.ipynb"
    work.parent.mkdir(parents=True, exist_ok=True)
    # papermill writes the executed notebook at the end or at a failing cell; a kernel that dies
    # leaves none, and last run's copy must not pass for this run's.
    work.unlink(missing_ok=True)
    start = time.perf_counter()
    kernel: dict[str, Any]
    if engine == "inprocess":
        kernel = {"engine_name": inprocess.NAME, "preload": PRELOAD_MODULES}
    elif km is not None:
        kernel = {"km": km}
    else:
        kernel = {"kernel_manager_class": IPCKernelManager}
    try:
        if km is not None and engine == "kernel":
            _reset(km)
        pm.execute_notebook(
            str(paths.NOTEBOOKS / f"{step}.ipynb"),
            str(work),
            parameters=for_step(step, params) or None,
            kernel_name=KERNEL,
            progress_bar=False,
            cwd=str(paths.NOTEBOOKS),
            log_output=False,
            # Written once at the end (or at the failing cell), not twice per cell: those saves
            # were most of the runner's own time in batch runs (make bench).
            request_save_on_cell_execute=False,
            **kernel,
        )
    except Exception as exc:  # a failing cell; or the kernel died, the notebook is unreadable, ...
        _restart(km)
        error = (
            f"cell {exc.exec_count} failed: {exc.ename}: {exc.evalue}"
            if isinstance(exc, PapermillExecutionError)
            else f"{type(exc).__name__}: {exc}"
        )
        # papermill writes the notebook at a failing cell, not when the kernel dies
        kept = paths.rel(work) if work.exists() else "(none written)"
        return Result(step, region, False, time.perf_counter() - start, kept, error)
    finally:
        if isinstance(km, IPCKernelManager):
            km.close_clients()
    dest = destination(step, region, default_region)
    write_bytes(dest, normalise(work))
    return Result(step, region, True, time.perf_counter() - start, paths.rel(dest))


# ---------------------------------------------------------------------------- warm kernels
# Starting a kernel and importing pandas, matplotlib and the package costs about 1.7 s a notebook
# (make bench). Each worker process keeps one kernel and runs its notebooks there, one after
# another, clearing the namespace (%reset -f) before each: no variable survives from one notebook
# to the next, only imported modules; execution counts are renumbered by normalise().
_WARM = {}

# Median seconds of each step in a warm kernel (make bench, benchmarks/RESULTS.md): the longest
# start first, so that two workers finish together.
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


# Run in every warm kernel before its first notebook (and again after a restart; see _reset): the
# modules every notebook imports, then gc.freeze(). Each notebook starts with %reset -f, and
# IPython's reset calls gc.collect() twice; a full collection walks every object alive, most of
# them the modules' (pandas, matplotlib, the package): about 0.1 s each, 1.7 s of a region's 4.5 s
# in a batch run (make bench). Frozen objects are left out of every collection; they are the
# imported modules alone, objects that live as long as the kernel, so nothing that could become
# garbage is kept. The notebooks' own objects are collected as before. An import that fails here
# fails again, with its traceback, in the notebook's own cell.
PRELOAD_MODULES = ("matplotlib.pyplot", "analysis.study", *(step_module(s) for s in STEPS))
PRELOAD = "\n".join(
    [
        "import gc",
        "try:",
        *(f"    import {m}" for m in PRELOAD_MODULES),
        "finally:",
        "    gc.collect()",
        "    gc.freeze()",
    ]
)


def _warm_kernel():
    """Start this process's kernel (once) and return its manager."""
    if "km" not in _WARM:
        km = IPCKernelManager(kernel_name=KERNEL)
        run_sync(km.start_kernel)(cwd=str(paths.NOTEBOOKS))
        _WARM["km"] = km
        atexit.register(_stop_warm_kernel)
    return _WARM["km"]


def _stop_warm_kernel() -> None:
    km = _WARM.pop("km", None)
    if km is not None:
        run_sync(km.shutdown_kernel)(now=True)


def _reset(km) -> None:
    """Clear the kernel's namespace for the next notebook; the first time (after a start or a
    restart), run :data:`PRELOAD` before."""
    kc = km.client()
    kc.start_channels()
    try:
        run_sync(kc.wait_for_ready)(timeout=120)
        if not getattr(km, "preloaded", False):
            run_sync(kc.execute_interactive)(
                PRELOAD, silent=True, store_history=False, timeout=120, output_hook=lambda _: None
            )
            km.preloaded = True
        run_sync(kc.execute_interactive)("%reset -f", timeout=60)
    finally:
        kc.stop_channels()


def _restart(km) -> None:
    """After a failure the kernel's state is unknown: restart it (the next reset preloads it)."""
    if km is not None:
        run_sync(km.restart_kernel)(now=True)
        km.preloaded = False


def _run_step_warm(
    step: str, region: str, params: dict, default_region: str, engine: str = "kernel"
) -> Result:
    if engine == "inprocess":
        return run_step(step, region, params, default_region, engine=engine)
    return run_step(step, region, params, default_region, km=_warm_kernel())


def run(
    region: str,
    steps: list[str],
    jobs: int = 2,
    params: dict | None = None,
    default_region: str = "kemerovo",
    log=print,
    engine: str = "kernel",
) -> list[Result]:
    """Run ``steps`` for one region: the independent ones in parallel (longest first, in ``jobs``
    worker processes with a warm kernel each, or executing in-process with ``engine``), the final
    ones after."""
    params = dict(params or {})
    if region != default_region:
        params.setdefault("region", region)
    validate_all(steps, params)
    first = sorted((s for s in steps if s not in FINAL), key=lambda s: -STEP_COST.get(s, 0))
    last = [s for s in steps if s in FINAL]
    results: list[Result] = []
    total = len(steps)

    def report(r: Result) -> None:
        results.append(r)
        mark = "ok" if r.ok else "FAILED"
        log(
            f"[{len(results)}/{total}] {r.region} {r.step}: {mark} ({r.seconds:.1f} s) -> {r.output}"
            + (f"\n      {r.error}" if r.error else "")
        )

    def finish(submit) -> None:
        if all(r.ok for r in results):
            for s in last:
                report(submit(s))
        elif last:
            log(f"skipped {', '.join(last)}: an earlier step failed")

    if jobs > 1 and len(first) > 1:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            for fut in as_completed(
                [pool.submit(_run_step_warm, s, region, params, default_region, engine) for s in first]
            ):
                report(fut.result())
            finish(lambda s: pool.submit(_run_step_warm, s, region, params, default_region, engine).result())
    else:
        try:
            for s in first:
                report(_run_step_warm(s, region, params, default_region, engine))
            finish(lambda s: _run_step_warm(s, region, params, default_region, engine))
        finally:
            _stop_warm_kernel()
    results.sort(key=lambda r: STEPS.index(r.step))
    return results


def _run_region_warm(
    region: str, steps: list[str], params: dict, default_region: str, engine: str = "kernel"
) -> list[Result]:
    """All ``steps`` of one region, one after another, in this worker's warm kernel (or in this
    worker itself, ``engine="inprocess"``)."""
    p = dict(params)
    if region != default_region:
        p.setdefault("region", region)
    results = [_run_step_warm(step, region, p, default_region, engine) for step in steps]
    print(f"  {region}: {sum(r.ok for r in results)}/{len(steps)} steps ok", flush=True)
    return results


def run_batch(
    regions: list[str],
    steps: list[str],
    jobs: int = 2,
    params: dict | None = None,
    default_region: str = "kemerovo",
    engine: str = "inprocess",
) -> list[Result]:
    """Run ``steps`` for many regions: ``jobs`` worker processes, a region at a time, each
    executing the notebooks itself (``engine="inprocess"``) or in one warm kernel of its own
    (``"kernel"``); within a region the final steps run last."""
    params = dict(params or {})
    validate_all(steps, params)
    ordered = [s for s in steps if s not in FINAL] + [s for s in steps if s in FINAL]
    jobs = max(1, min(jobs, len(regions)))
    results: list[Result] = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = {
            pool.submit(_run_region_warm, r, ordered, params, default_region, engine): r for r in regions
        }
        for fut in as_completed(futures):
            try:
                results += fut.result()
            except BrokenProcessPool:  # a worker died (a notebook ended its process: a crash in C code)
                why = (
                    "the worker process died (a notebook ended the Python process, e.g. a crash in C code), "
                    "so this region was not run to the end; rerun it with --engine kernel to see which step"
                )
                results += [Result(s, futures[fut], False, 0.0, "(none written)", why) for s in ordered]
    return sorted(results, key=lambda r: (r.region, STEPS.index(r.step)))


RECORD = "run_record.json"
# Committed beside the tables it vouches for: a fresh clone whose raw files, importer code and
# tables all match it skips the import (about 2 s of every first run).
IMPORT_STAMP = paths.INTERIM_ROSSTAT / "FINGERPRINT"


def _import_fingerprint() -> str:
    """What the imported tables depend on and are: the raw files' checksum list, the importer
    code, and every imported table's bytes (a table edited by hand is imported again).
    ``tests/runner/test_pipeline.py`` checks that the code list covers the importers' imports."""
    parts = [paths.RAW_ROSSTAT / "SHA256SUMS", paths.REFERENCE / "regions.csv"]
    # The importers and what they call in the package (rosstat.py's and regions.py's imports).
    code = ["inputs/rosstat.py", "inputs/regions.py"]
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


def _removable(path: Path, region: str) -> bool:
    """Only a region's own tables and figures are ever removed, never shared or raw files."""
    return any(
        d in path.resolve().parents
        for d in (paths.processed_dir(region).resolve(), paths.figures_dir(region).resolve())
    )


def finish_region(region: str, steps: list[str]) -> list[str]:
    """After a successful run of ``steps`` for ``region``: gather the steps' records into
    ``data/processed/<region>/run_record.json`` (each step's inputs with their SHA-256, its
    outputs, and the digest of the code), and remove the outputs a step wrote last time but not
    this time (an input gone, a part now skipped), with their figures' manifest entries.

    Only files the previous record lists for the same step are removed, and only inside the
    region's own folders. Returns the removed files (repository-relative)."""
    rec_path = paths.processed_dir(region) / RECORD
    old = json.loads(rec_path.read_text(encoding="utf-8")) if rec_path.exists() else {}
    merged = dict(old.get("steps", {}))
    removed: list[str] = []
    for step in steps:
        f = paths.RUNS / region / f"{step}.record.json"
        if not f.exists():
            continue
        r = json.loads(f.read_text(encoding="utf-8"))
        stale = set(merged.get(step, {}).get("outputs", [])) - set(r["outputs"])
        for rel_path in sorted(stale):
            p = paths.ROOT / rel_path
            if p.is_file() and _removable(p, region):
                p.unlink()
                removed.append(rel_path)
        merged[step] = {"inputs": r["inputs"], "outputs": r["outputs"]}
    gone = sorted(
        {Path(r).name.split(".")[0] for r in removed if r.startswith(paths.rel(paths.figures_dir(region)))}
    )
    manifest.remove(region, [n for n in gone if not any(paths.figures_dir(region).glob(f"{n}.*.*"))])
    record = {
        "region": region,
        "code_sha256": provenance.code_digest(),
        "steps": dict(sorted(merged.items())),
    }
    write_bytes(
        rec_path, (json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    )
    return removed


def main_run(
    region: str = DEFAULT_REGION,
    steps_spec: str | None = None,
    jobs: int = 2,
    lang: str | None = None,
    param_items: list[str] | None = None,
    all_figures: bool | None = None,
    engine: str | None = None,
) -> int:
    """``python -m analysis run``: validate, import Rosstat's tables, run; the exit code.

    ``region`` is a name, id, OKATO code, several separated by commas, or ``all``;
    ``param_items`` are ``NAME=VALUE`` strings, VALUE read as YAML."""
    steps = select_steps(steps_spec)
    # The kernels and workers inherit this: a notebook knows it runs under the runner (see study.check).
    os.environ[RUNNER_ENV] = "1"
    # ... and these, the Makefile's: without them a run started from the command line, not from
    # make, writes PDFs whose bytes change with the time of the run.
    for name, value in workspace.MAKE_ENV.items():
        os.environ.setdefault(name, value)
    params: dict = {}
    for item in param_items or []:
        if "=" not in item:
            raise InputError(None, f"bad --param {item!r}", expected="NAME=VALUE")
        name, value = item.split("=", 1)
        params[name] = yaml.safe_load(value)
    if lang:
        params["lang"] = lang
    if region == "all":
        regions = [r.id for r in all_regions()]
    else:  # one region, or several separated by commas
        regions = list(dict.fromkeys(check(r.strip()) for r in region.split(",") if r.strip()))
    validate_all(steps, params)  # a misspelt parameter stops the run before anything is written
    # A user's own inputs are checked before anything runs: a bad file stops the run with its
    # file, row and column, instead of failing one notebook deep inside. A folder meant for the
    # region but not named by its id would be skipped silently: that stops the run too.
    for region in regions:
        folder = (paths.ROOT / params["user_folder"]) if params.get("user_folder") else None
        if folder is None and not paths.user_dir(region).is_dir():
            wrong = userdata.misnamed_folders(region)
            if wrong:
                d, why = wrong[0]
                raise InputError(
                    d,
                    f"this folder is not read for {region}: {why}",
                    expected=f"the region's files in {paths.rel(paths.user_dir(region))}/ (rename the folder), "
                    f"or --param user_folder={paths.rel(d)}",
                )
        if folder is not None or paths.user_dir(region).is_dir():
            userdata.validate_folder(region, folder)
    # Several regions: PNG in one language unless every format is asked for (--all-figures).
    if all_figures is False or (all_figures is None and len(regions) > 1):
        os.environ[FORMATS_ENV] = "png"
        os.environ[LANGS_ENV] = params.get("lang", "en")
        os.environ[DPI_ENV] = str(SCREEN_DPI)
        print(
            f"figures: PNG at {SCREEN_DPI} dpi, {os.environ[LANGS_ENV]} only "
            "(--all-figures for every format and language at 300 dpi)"
        )
    start = time.perf_counter()
    # Every notebook must read tables that match data/raw and the importer code of this run:
    # they are rebuilt (about 2 s) unless the stamp of the last import says nothing changed.
    if interim_is_current():
        print(f"Rosstat tables current ({time.perf_counter() - start:.1f} s)")
    else:
        import_rosstat()
        print(f"imported Rosstat tables ({time.perf_counter() - start:.1f} s)")
    failed = []
    if len(regions) > 1:
        res = run_batch(
            regions,
            steps,
            jobs=jobs,
            params=params,
            default_region=DEFAULT_REGION,
            engine=engine or "inprocess",
        )
    else:
        res = run(
            regions[0],
            steps,
            jobs=jobs,
            params=params,
            default_region=DEFAULT_REGION,
            engine=engine or "kernel",
        )
    failed += [r for r in res if not r.ok]
    for region in regions:
        if all(r.ok for r in res if r.region == region):
            for gone in finish_region(region, steps):
                print(f"removed {gone}: this run no longer writes it")
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
