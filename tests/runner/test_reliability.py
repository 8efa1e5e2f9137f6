"""Same bytes on every run, and nothing lost when a run is interrupted.

Both tests work on a copy of the repository (tracked files only) so that they never touch this
working tree; the copy's own code is used (PYTHONPATH), which the first test checks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from helpers import run_cli

from analysis.runner import pipeline, workspace

pytestmark = pytest.mark.slow

OUTPUT_DIRS = ("data/processed/kemerovo", "figures/kemerovo")


_env = workspace.copy_env


def _digests(root: Path, rels) -> dict[str, str]:
    out = {}
    for d in rels:
        for p in sorted((root / d).rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_rerun_writes_the_committed_bytes(repo_copy):
    """Steps 3 and 5 rerun in a copy give byte-identical tables, figures and notebooks."""
    assert workspace.root_seen_from(repo_copy) == repo_copy  # the copy's code, not this tree's
    before = _digests(repo_copy, OUTPUT_DIRS + ("notebooks", "data/interim/rosstat"))
    r = run_cli(repo_copy, "run", "--steps", "3,5", "--jobs", "2")
    assert r.returncode == 0, r.stdout + r.stderr
    after = _digests(repo_copy, OUTPUT_DIRS + ("notebooks", "data/interim/rosstat"))
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"a rerun changed bytes: {changed}"


def test_interrupted_run_leaves_old_or_new_files_never_half(repo_copy):
    """Mark every output as 'old', interrupt a full run midway (Ctrl-C to the process group):
    each output is then either the old marker or the complete new file, and no temp file is left.

    The figures manifest is an index updated one row per figure, not replaced whole: it is left
    as committed, and must still be exactly that (every row re-recorded with the same captions)."""
    committed = _digests(repo_copy, OUTPUT_DIRS)
    manifest = "figures/kemerovo/manifest.csv"
    manifest_bytes = (repo_copy / manifest).read_bytes()
    del committed[manifest]
    for rel in committed:
        (repo_copy / rel).write_bytes(b"OLD\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "run", "--jobs", "2"],
        cwd=repo_copy,
        env=_env(repo_copy),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 120
    # wait until the run has started replacing outputs, then interrupt it
    while time.time() < deadline and proc.poll() is None:
        now = _digests(repo_copy, OUTPUT_DIRS)
        if any(now.get(k) == v for k, v in committed.items()):
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the run did not stop after Ctrl-C")
    assert proc.returncode != 0
    old = hashlib.sha256(b"OLD\n").hexdigest()
    now = _digests(repo_copy, OUTPUT_DIRS)
    half = [k for k in committed if now.get(k) not in (old, committed[k])]
    assert not half, f"half-written or wrong files: {half}"
    assert (repo_copy / manifest).read_bytes() == manifest_bytes
    assert any(now.get(k) == old for k in committed), "the run was not interrupted midway"
    leftovers = [p for d in OUTPUT_DIRS + ("notebooks",) for p in (repo_copy / d).rglob("*.tmp")]
    assert not leftovers, leftovers


def test_rerun_on_a_busy_machine_writes_the_committed_notebook_bytes(repo_copy):
    """With both CPUs kept busy, kernels flush printed text at other moments; the executed
    notebooks must not depend on that (consecutive stream outputs are merged when normalised)."""
    busy = [
        subprocess.Popen(
            [sys.executable, "-c", "import time\nend = time.time() + 90\nwhile time.time() < end: pass"]
        )
        for _ in range(2)
    ]
    try:
        before = _digests(repo_copy, ("notebooks",) + OUTPUT_DIRS)
        r = run_cli(repo_copy, "run", "--steps", "2,5,7", "--jobs", "2")
        assert r.returncode == 0, r.stdout + r.stderr
        after = _digests(repo_copy, ("notebooks",) + OUTPUT_DIRS)
    finally:
        for p in busy:
            p.kill()
            p.wait()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"a rerun under load changed bytes: {changed}"


def test_consecutive_stream_outputs_are_merged():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "print(1)",
                outputs=[
                    nbformat.v4.new_output("stream", name="stdout", text="a\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="b\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="c\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="d\n"),
                ],
            )
        ]
    )
    out = json.loads(pipeline.normalise(nb))["cells"][0]["outputs"]
    assert [(o["name"], "".join(o["text"])) for o in out] == [
        ("stdout", "a\nb\n"),
        ("stderr", "c\n"),
        ("stdout", "d\n"),
    ]


def test_an_input_gone_removes_the_outputs_that_depended_on_it(repo_copy):
    """A user's freight.csv for Tomsk, then no freight.csv: the second run removes the freight
    tables and figure the first one wrote (and their manifest entry), keeps what it still writes,
    and records each step's inputs with their SHA-256 in run_record.json."""
    user = repo_copy / "data" / "user" / "tomsk"
    user.mkdir(parents=True)
    example = repo_copy / "data" / "user" / "example_region"
    (user / "region.yml").write_text(
        (example / "region.yml").read_text(encoding="utf-8").replace("synthetic example, not data", "a test"),
        encoding="utf-8",
    )
    (user / "freight.csv").write_text(
        (example / "freight.csv")
        .read_text(encoding="utf-8")
        .replace("synthetic example, not data", "a test"),
        encoding="utf-8",
    )
    out, figs = repo_copy / "data" / "processed" / "tomsk", repo_copy / "figures" / "tomsk"
    r = run_cli(repo_copy, "run", "--region", "tomsk", "--steps", "5", "--all-figures")
    assert r.returncode == 0, r.stdout + r.stderr
    assert (out / "rail_out_over_in.csv").is_file() and (figs / "05_rail_freight.en.png").is_file()
    record = json.loads((out / "run_record.json").read_text(encoding="utf-8"))
    inputs = record["steps"]["05_freight"]["inputs"]
    assert (
        inputs["data/user/tomsk/freight.csv"]
        == hashlib.sha256((user / "freight.csv").read_bytes()).hexdigest()
    )
    assert "data/interim/rosstat/rail_dispatch.csv" in inputs
    assert len(record["runs"][record["steps"]["05_freight"]["run"]]["code_sha256"]) == 64
    origins = {o["what"]: o["kind"] for o in record["steps"]["05_freight"]["origins"]}  # for the book
    assert origins == {"rail freight in and out by cargo": "user", "rail freight dispatched": "rosstat"}

    (user / "freight.csv").unlink()
    r = run_cli(repo_copy, "run", "--region", "tomsk", "--steps", "5", "--all-figures")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "removed data/processed/tomsk/rail_out_over_in.csv" in r.stdout
    for gone in ("rail_freight.csv", "rail_out_over_in.csv", "rail_implied_totals.csv"):
        assert not (out / gone).exists(), gone
    assert not list(figs.glob("05_rail_freight.*"))
    assert (out / "rail_dispatch.csv").is_file() and (figs / "05_rail_dispatch.en.png").is_file()
    names = (figs / "manifest.csv").read_text(encoding="utf-8")
    assert "05_rail_freight," not in names and "05_rail_dispatch," in names
    record = json.loads((out / "run_record.json").read_text(encoding="utf-8"))
    assert "data/user/tomsk/freight.csv" not in record["steps"]["05_freight"]["inputs"]
    origins = {o["what"]: o["kind"] for o in record["steps"]["05_freight"]["origins"]}
    assert origins["rail freight in and out by cargo"] == "missing"


def test_kill_9_of_the_run_leaves_no_worker_running(repo_copy):
    """``kill -9`` of ``python -m analysis run`` (no handler of it runs): its workers die with it
    within seconds, instead of running on, writing files, then idling at about 740 MB each."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "run", "--region", "tomsk,adygea,omsk,altai_krai", "--jobs", "2"],
        cwd=repo_copy,
        env=_env(repo_copy),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parent = psutil.Process(proc.pid)
    workers: list[psutil.Process] = []
    try:
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            workers = [c for c in parent.children(recursive=True) if "spawn_main" in " ".join(c.cmdline())]
            if len(workers) == 2:
                break
            time.sleep(0.2)
        assert len(workers) == 2 and proc.poll() is None, "the run ended before its workers started"
        time.sleep(3)  # the workers are executing notebooks now
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        _gone, alive = psutil.wait_procs(workers, timeout=5)
        alive = [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
        assert not alive, f"workers still running 5 s after the run was killed: {alive}"
    finally:
        for p in workers:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()


def test_steps_that_succeed_before_a_failure_are_recorded_with_their_run(repo_copy):
    """Step 8 fails, step 1 succeeds: step 1 enters run_record.json at once, under this run's id;
    step 8 keeps its earlier entry, from another run (its notebook changed), and the record says
    so (pipeline.mixed_runs, which the book can print)."""
    nb_path = repo_copy / "notebooks" / "08_regions_compared.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("raise RuntimeError('a failing step')"))
    nbformat.write(nb, nb_path)
    rec_path = repo_copy / "data" / "processed" / "kemerovo" / "run_record.json"
    before = json.loads(rec_path.read_text(encoding="utf-8"))
    r = run_cli(repo_copy, "run", "--steps", "1,8")
    assert r.returncode == 1 and "FAILED kemerovo 08_regions_compared" in r.stderr, r.stdout + r.stderr
    after = json.loads(rec_path.read_text(encoding="utf-8"))
    assert after["steps"]["08_regions_compared"] == before["steps"]["08_regions_compared"]
    first = after["steps"]["01_factor_selection"]["run"]
    assert first in after["runs"] and first != before["steps"]["08_regions_compared"].get("run")
    probe = "from analysis.runner import pipeline; print(pipeline.mixed_runs('kemerovo'))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo_copy, env=_env(repo_copy), capture_output=True, text=True
    ).stdout
    assert f"run {first}: 01_factor_selection" in out and "08_regions_compared" in out, out
