"""The runner: step selection, parameter validation, normalised notebooks, failures kept."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from helpers import run_cli
from nbformat.v4 import new_code_cell, new_notebook

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.runner import pipeline


def test_select_steps():
    assert pipeline.select_steps(None) == pipeline.STEPS
    assert pipeline.select_steps("5,3") == ["03_gva_hhi", "05_freight"]
    assert pipeline.select_steps("03_gva_hhi") == ["03_gva_hhi"]
    with pytest.raises(InputError, match="unknown step"):
        pipeline.select_steps("42")


def test_validate_refuses_unknown_names_and_wrong_types():
    pipeline.validate("06_localization", {"threshold": 1.5, "region": "tatarstan", "lang": "ru"})
    with pytest.raises(InputError, match=r"unknown parameter 'treshold'.*threshold"):
        pipeline.validate("06_localization", {"treshold": 1.5})
    with pytest.raises(InputError, match="wrong type"):
        pipeline.validate("06_localization", {"threshold": "high"})
    with pytest.raises(InputError, match="wrong type"):
        pipeline.validate("03_gva_hhi", {"region": 42})


def test_every_notebook_declares_region_and_lang():
    for step in pipeline.STEPS:
        params = pipeline.notebook_parameters(step)
        assert {"region", "lang"} <= set(params), step
        assert params["region"]["default"].strip("\"'") == "kemerovo"


def test_normalise_strips_metadata_and_machine_paths(tmp_path):
    nb = new_notebook(cells=[new_code_cell("print(1)")])
    nb.metadata["papermill"] = {"input_path": str(paths.ROOT / "x.ipynb")}
    nb.cells[0].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00"}
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text=f"{paths.ROOT}/data/processed/x.csv\n")]
    p = tmp_path / "n.ipynb"
    nbformat.write(nb, p)
    data = json.loads(pipeline.normalise(p))
    assert "papermill" not in data["metadata"]
    assert data["metadata"]["kernelspec"]["name"] == "python3"
    assert "execution" not in data["cells"][0]["metadata"]
    assert "".join(data["cells"][0]["outputs"][0]["text"]) == "data/processed/x.csv\n"


def test_failed_step_keeps_its_notebook_and_leaves_outputs_alone(tmp_path, monkeypatch):
    src, runs = tmp_path / "nb", tmp_path / "runs"
    src.mkdir()
    nb = new_notebook(
        cells=[
            new_code_cell('region = "kemerovo"', metadata={"tags": ["parameters"]}),
            new_code_cell("1 / 0"),
        ]
    )
    nb.metadata["kernelspec"] = pipeline.KERNELSPEC
    nbformat.write(nb, src / "99_fail.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS", src)
    monkeypatch.setattr(paths, "RUNS", runs)
    before = (src / "99_fail.ipynb").read_bytes()
    res = pipeline.run_step("99_fail", "kemerovo", {}, "kemerovo")
    assert not res.ok and "ZeroDivisionError" in res.error and "cell 2" in res.error
    kept = nbformat.read(runs / "kemerovo" / "99_fail.ipynb", as_version=4)
    errors = [o for c in kept.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors and errors[0]["ename"] == "ZeroDivisionError"
    assert (src / "99_fail.ipynb").read_bytes() == before  # the committed notebook is untouched


@pytest.mark.slow
def test_a_kernel_that_dies_leaves_no_notebook_that_passes_for_this_runs(tmp_path, monkeypatch):
    """papermill writes the executed notebook at the end or at a failing cell; a kernel that dies
    writes none, so last run's copy is removed first and the failure says none was written."""
    src, runs = tmp_path / "nb", tmp_path / "runs"
    src.mkdir()
    nb = new_notebook(cells=[new_code_cell('region = "kemerovo"', metadata={"tags": ["parameters"]})])
    nb.cells.append(new_code_cell("import os\nos._exit(1)"))
    nb.metadata["kernelspec"] = pipeline.KERNELSPEC
    nbformat.write(nb, src / "99_die.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS", src)
    monkeypatch.setattr(paths, "RUNS", runs)
    stale = runs / "kemerovo" / "99_die.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("last run's notebook")
    res = pipeline.run_step("99_die", "kemerovo", {}, "kemerovo")
    assert not res.ok and "DeadKernelError" in res.error
    assert not stale.exists() and res.output == "(none written)"


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=paths.ROOT, timeout=120
    )


def test_cli_unknown_region_lists_close_matches():
    r = _cli("run", "--region", "Кемеровская обл", "--steps", "3")
    assert r.returncode == 2
    assert "Кемеровская" in r.stderr and "Traceback" not in r.stderr


def test_cli_misspelt_parameter_is_an_error():
    r = _cli("run", "--steps", "6", "--param", "treshold=1.2")
    assert r.returncode == 2 and "unknown parameter 'treshold'" in r.stderr


@pytest.mark.slow
@pytest.mark.parametrize("engine", [None, "kernel"])
def test_batch_runs_several_regions_in_its_workers_or_warm_kernels(repo_copy, engine):
    """Two regions, one step each, in two workers (executing the notebooks themselves, the
    default, or in a warm kernel each): both succeed, each notebook carries its own region and is
    numbered from 1 although its worker ran another notebook before."""
    choice = ("--engine", engine) if engine else ()
    r = run_cli(repo_copy, "run", "--region", "tomsk,adygea", "--steps", "8", "--jobs", "2", *choice)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 region(s), 1 step(s), 0 failed" in r.stdout
    for region in ("tomsk", "adygea"):
        nb = json.loads(
            (repo_copy / "build" / "notebooks" / region / "08_regions_compared.ipynb").read_text()
        )
        counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
        assert counts == list(range(1, len(counts) + 1))
        sources = "".join("".join(c["source"]) for c in nb["cells"])
        assert f'region = "{region}"' in sources  # papermill's injected parameters
        # ... in a cell whose id is fixed: papermill's random one would change the bytes every run
        assert "injected-parameters" in [c["id"] for c in nb["cells"]]


def test_a_folder_named_after_the_region_stops_the_run(tmp_path, monkeypatch):
    """data/user/Томская область/ is not read for tomsk: the run stops before anything is written
    and says how to fix it, instead of skipping the user's files silently."""
    monkeypatch.setattr(paths, "USER", tmp_path)
    (tmp_path / "Томская область").mkdir()
    with pytest.raises(InputError, match=r"not read for tomsk: named after the region's name") as err:
        pipeline.main_run("tomsk", "3")
    assert "rename the folder" in str(err.value) and "user_folder=" in str(err.value)


def test_finish_region_removes_only_what_the_same_step_wrote_before(tmp_path, monkeypatch):
    for name, sub in (
        ("ROOT", ""),
        ("PROCESSED", "data/processed"),
        ("FIGURES", "figures"),
        ("RUNS", "build/runs"),
    ):
        monkeypatch.setattr(paths, name, tmp_path / sub if sub else tmp_path)
    out, runs = tmp_path / "data/processed/r", tmp_path / "build/runs/r"
    out.mkdir(parents=True)
    runs.mkdir(parents=True)
    for f in ("a.csv", "b.csv", "c.csv"):
        (out / f).write_text("x\n")
    shared = tmp_path / "data/processed/all_regions/t.csv"
    shared.parent.mkdir(parents=True)
    shared.write_text("x\n")
    old = {
        "steps": {
            "05_x": {
                "inputs": {},
                "outputs": [
                    "data/processed/r/a.csv",
                    "data/processed/r/b.csv",
                    "data/processed/all_regions/t.csv",
                ],
            }
        }
    }
    (out / pipeline.RECORD).write_text(json.dumps(old))
    (runs / "05_x.record.json").write_text(
        json.dumps({"inputs": {"f": "1"}, "outputs": ["data/processed/r/a.csv"]})
    )
    removed = pipeline.finish_region("r", ["05_x"])
    # b.csv is gone (written before, not now); c.csv was never listed; the shared table is not the region's
    assert removed == ["data/processed/r/b.csv"]
    assert (out / "a.csv").exists() and not (out / "b.csv").exists() and (out / "c.csv").exists()
    assert shared.exists()
    record = json.loads((out / pipeline.RECORD).read_text())
    assert record["steps"]["05_x"] == {"inputs": {"f": "1"}, "outputs": ["data/processed/r/a.csv"]}


def test_the_import_is_skipped_only_while_nothing_it_depends_on_changed(tmp_path, monkeypatch):
    interim = tmp_path / "interim"
    interim.mkdir()
    (interim / "t.csv").write_text("a\n1\n")
    monkeypatch.setattr(paths, "INTERIM_ROSSTAT", interim)
    monkeypatch.setattr(pipeline, "IMPORT_STAMP", tmp_path / "stamp")
    assert not pipeline.interim_is_current()  # no stamp: import
    (tmp_path / "stamp").write_text(pipeline._import_fingerprint())
    assert pipeline.interim_is_current()
    (interim / "t.csv").write_text("a\n2\n")  # an imported table edited by hand
    assert not pipeline.interim_is_current()


def test_the_committed_import_fingerprint_vouches_for_the_committed_tables():
    """A fresh clone skips the import only because data/interim/rosstat/FINGERPRINT matches what
    the tables are and were made from; a stale fingerprint would make every run import again."""
    assert pipeline.IMPORT_STAMP.is_relative_to(paths.INTERIM_ROSSTAT)
    assert pipeline.interim_is_current(), "run `python -m analysis import` (or make reproduce) and commit"


def test_the_fingerprint_covers_every_package_module_the_importers_use():
    import ast

    listed = {line.split()[0] for line in pipeline._import_fingerprint().splitlines()}
    for importer in ("analysis/inputs/rosstat.py", "analysis/inputs/regions.py"):
        tree = ast.parse((paths.ROOT / importer).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
                parts = node.module.split(".")[1:]
                names = [parts] if len(parts) > 1 else [[*parts, a.name] for a in node.names]
                for p in names:
                    assert "analysis/" + "/".join(p) + ".py" in listed, (importer, p)


def test_the_runner_does_not_pay_for_the_iri_grammar_and_still_validates_notebooks():
    probe = "import sys, analysis.runner.pipeline; print(sys.modules['rfc3987_syntax'])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"  # blocked by analysis.runner before nbformat is imported
    nb = nbformat.read(paths.NOTEBOOKS / "01_factor_selection.ipynb", as_version=4)
    nbformat.validate(nb)
    nb.cells[0]["cell_type"] = "not a cell type"
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(nb)


@pytest.mark.slow
def test_the_quick_ready_client_sees_every_output_of_a_warm_kernel():
    """QuickReadyClient.wait_for_ready returns once IOPub is proven connected: a client made
    right after it, as papermill makes one for each notebook, receives the first output."""
    from jupyter_core.utils import run_sync

    km = pipeline.IPCKernelManager(kernel_name=pipeline.KERNEL)
    run_sync(km.start_kernel)()
    try:
        for i in range(3):
            kc = km.client()
            assert isinstance(kc, pipeline.QuickReadyClient)
            kc.start_channels()
            try:
                run_sync(kc.wait_for_ready)(timeout=60)
                seen: list[str] = []
                run_sync(kc.execute_interactive)(
                    f"print('out {i}')",
                    timeout=60,
                    output_hook=lambda m, seen=seen: seen.append(m["content"].get("text", "")),
                )
                assert "".join(seen) == f"out {i}\n"
            finally:
                kc.stop_channels()
    finally:
        run_sync(km.shutdown_kernel)(now=True)


@pytest.mark.slow
def test_a_warm_kernel_leaves_no_client_open_after_each_notebook(tmp_path):
    """nbclient leaves its kernel client running when the kernel is not its own; the runner
    closes every client after each notebook, so a worker's threads do not grow with the regions
    it runs (three threads and 18 file descriptors a notebook before)."""
    import threading

    import papermill as pm
    from jupyter_core.utils import run_sync

    nb = new_notebook(cells=[new_code_cell("x = 1")])
    nb.metadata["kernelspec"] = pipeline.KERNELSPEC
    nbformat.write(nb, tmp_path / "t.ipynb")
    km = pipeline.IPCKernelManager(kernel_name=pipeline.KERNEL)
    run_sync(km.start_kernel)()
    try:
        counts = []
        for _ in range(3):
            pm.execute_notebook(
                str(tmp_path / "t.ipynb"), str(tmp_path / "o.ipynb"), km=km, progress_bar=False
            )
            assert km._clients and all(kc.channels_running for kc in km._clients)
            km.close_clients()
            assert not km._clients
            counts.append(threading.active_count())
        assert counts[0] == counts[1] == counts[2]
    finally:
        run_sync(km.shutdown_kernel)(now=True)


def test_the_preload_imports_every_step_module():
    """The warm kernel's preload names each step's module (``03_gva_hhi`` -> ``analysis.steps.gva_hhi``),
    so a new step is frozen with the rest; each of them exists."""
    import importlib.util

    for step in pipeline.STEPS:
        module = pipeline.step_module(step)
        assert f"import {module}\n" in pipeline.PRELOAD, step
        assert importlib.util.find_spec(module) is not None, module
    assert pipeline.PRELOAD.rstrip().endswith("gc.freeze()")


@pytest.mark.slow
def test_a_warm_kernel_is_frozen_after_the_preload_and_a_reset_stays_cheap():
    """After the preload the imported modules are frozen out of the garbage collector: IPython's
    %reset -f (two full collections) then walks only what the notebooks made. Before, each reset
    took about 0.2 s of a warm kernel's time (make bench)."""
    from jupyter_core.utils import run_sync

    km = pipeline._warm_kernel()
    try:
        pipeline._reset(km)  # before the first notebook: the preload, then %reset -f
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=60)
            seen: list[str] = []
            run_sync(kc.execute_interactive)(
                "%reset -f\nimport gc\nprint(gc.get_freeze_count(), len(gc.get_objects()))",
                timeout=60,
                output_hook=lambda m: seen.append(m["content"].get("text", "")),
            )
        finally:
            kc.stop_channels()
        frozen, tracked = (int(x) for x in "".join(seen).split())
        assert frozen > 100_000, (frozen, tracked)  # pandas, matplotlib and the package
        assert tracked < frozen / 100, (frozen, tracked)  # what a collection still walks
    finally:
        km.close_clients()
        pipeline._stop_warm_kernel()


def test_the_makefiles_byte_stable_settings_are_the_runners():
    from analysis.runner import workspace

    exported = dict(
        line.removeprefix("export ").split(" := ")
        for line in (paths.ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
        if line.startswith("export ")
    )
    assert exported == workspace.MAKE_ENV


@pytest.mark.slow
def test_a_run_from_the_command_line_without_make_writes_the_committed_bytes(repo_copy):
    """``python -m analysis run`` as the README shows it, without the Makefile's environment: the
    runner sets SOURCE_DATE_EPOCH itself, so step 1's PDFs are the committed bytes (they carried
    the time of the run before)."""
    from analysis.runner import workspace

    env = {k: v for k, v in workspace.copy_env(repo_copy).items() if k not in workspace.MAKE_ENV}
    figures = sorted((repo_copy / "figures" / "kemerovo").glob("01_*"))
    before = {p.name: p.read_bytes() for p in figures}
    assert any(name.endswith(".pdf") for name in before)
    r = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--steps", "1"],
        cwd=repo_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert {p.name: p.read_bytes() for p in figures} == before


@pytest.mark.slow
@pytest.mark.parametrize(
    ("engine", "message"),
    [("inprocess", "the worker process died"), ("kernel", "DeadKernelError: Kernel died")],
)
def test_a_notebook_that_ends_its_process_is_reported_not_a_traceback(repo_copy, engine, message):
    """A notebook that ends its process (here os._exit; in life a crash in C code): in-process it
    takes its worker with it, and the run names the regions not run; in a warm kernel the kernel
    dies, is restarted and preloaded again, and the next region runs in it (one worker: both
    regions in turn, each failing the same way, in seconds, not a ready-wait's two minutes)."""
    nb_path = repo_copy / "notebooks" / "08_regions_compared.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.insert(2, new_code_cell("import os\nos._exit(3)"))
    nbformat.write(nb, nb_path)
    r = run_cli(
        repo_copy,
        "run",
        "--region",
        "tomsk,adygea",
        "--steps",
        "8",
        "--jobs",
        "1",
        "--engine",
        engine,
        timeout=90,
    )
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    for region in ("tomsk", "adygea"):
        assert f"FAILED {region} 08_regions_compared: {message}" in r.stderr, r.stderr
    assert "2 region(s), 1 step(s), 2 failed" in r.stdout
