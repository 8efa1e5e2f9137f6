"""The runner: step selection, parameter validation, normalised notebooks, failures kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest
from helpers import run_cli
from nbformat.v4 import new_code_cell, new_notebook

from analysis.core import paths, provenance
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
        # what a run is executed with (issue 21): the figures it writes, and whether the runner runs it
        defaults = {
            k: params[k]["default"] for k in ("figure_formats", "figure_langs", "figure_dpi", "runner")
        }
        assert defaults == {
            "figure_formats": '""',
            "figure_langs": '""',
            "figure_dpi": "0",
            "runner": "False",
        }


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


def test_normalise_keeps_the_injected_parameters_but_runner(tmp_path):
    """``runner = True`` says how a notebook was executed, like papermill's metadata: it leaves
    the normalised copy, with the injected cell if that was all of it; other parameters stay."""
    for injected, kept in (
        (
            '# Parameters\nregion = "tomsk"\nfigure_formats = "png"\nrunner = True\n',
            '# Parameters\nregion = "tomsk"\nfigure_formats = "png"\n',
        ),
        ("# Parameters\nrunner = True\n", None),
    ):
        nb = new_notebook(
            cells=[
                new_code_cell("runner = False", metadata={"tags": ["parameters"]}),
                new_code_cell(injected, metadata={"tags": ["injected-parameters"]}, execution_count=1),
                new_code_cell("print(runner)", execution_count=2),
            ]
        )
        data = json.loads(pipeline.normalise(nb))
        sources = ["".join(c["source"]) for c in data["cells"]]
        assert sources == ["runner = False", *([kept] if kept else []), "print(runner)"]
        assert [c["execution_count"] for c in data["cells"]][1:] == ([1, 2] if kept else [1])


@pytest.fixture
def no_shell_left():
    """The in-process engine's IPython shell is a process-wide singleton: a test that runs it in
    this process clears it afterwards, or ``display`` in every later test of the session would go
    to that shell instead of stdout (``study.say`` read with ``capsys`` would see nothing)."""
    yield
    from IPython.core.interactiveshell import InteractiveShell

    from analysis.runner import inprocess

    if InteractiveShell.initialized():
        InteractiveShell.clear_instance()
    inprocess._SHELL.clear()


@pytest.mark.parametrize("engine", ["inprocess", "kernel"])
def test_both_engines_give_a_notebook_its_parameters_and_record_them(
    tmp_path, monkeypatch, engine, no_shell_left
):
    """The figure parameters and ``runner`` reach the notebook as papermill parameters, with
    either engine, and papermill's record of the executed notebook carries them."""
    src, runs = tmp_path / "nb", tmp_path / "runs"
    src.mkdir()
    nb = new_notebook(
        cells=[
            new_code_cell(
                'figure_formats = ""\nfigure_dpi = 0\nrunner = False', metadata={"tags": ["parameters"]}
            ),
            new_code_cell("print(figure_formats, figure_dpi, runner)"),
        ]
    )
    nb.metadata["kernelspec"] = pipeline.KERNELSPEC
    step = f"99_params_{engine}"  # notebook_parameters caches by step
    nbformat.write(nb, src / f"{step}.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS", src)
    monkeypatch.setattr(paths, "RUNS", runs)
    params = {"figure_formats": "png", "figure_dpi": 100, "runner": True, "threshold": 2.0}
    res = pipeline.run_step(step, "kemerovo", params, "kemerovo", engine=engine)
    assert res.ok, res.error
    raw = nbformat.read(runs / "kemerovo" / f"{step}.ipynb", as_version=4)
    assert raw.metadata.papermill.parameters == {"figure_formats": "png", "figure_dpi": 100, "runner": True}
    assert raw.cells[-1].outputs[0]["text"] == "png 100 True\n"
    committed = nbformat.read(src / f"{step}.ipynb", as_version=4)  # the default region's place
    assert committed.cells[1].source == '# Parameters\nfigure_formats = "png"\nfigure_dpi = 100\n'
    assert committed.cells[-1].outputs[0]["text"] == "png 100 True\n"


def test_light_figures_leave_the_default_regions_notebooks_and_run_id_alone():
    """A batch run's figure parameters reach another region's notebooks and run record; the
    default region's figures are written in full, so its notebooks get none and its run is the
    run of it alone (same id, same record)."""
    light = {"figure_formats": "png", "figure_langs": "en", "figure_dpi": 100, "threshold": 2.0}
    assert pipeline.region_params("kemerovo", light, "kemerovo") == {"threshold": 2.0}
    assert pipeline.region_params("tomsk", light, "kemerovo") == {**light, "region": "tomsk"}
    alone, in_batch = (pipeline.run_info("kemerovo", p) for p in ({"threshold": 2.0}, light))
    assert in_batch == alone
    assert alone["parameters"]["figures"] == {
        "formats": ["png", "svg", "pdf"],
        "languages": ["en", "ru"],
        "dpi": 300,
    }
    tomsk = pipeline.run_info("tomsk", light)["parameters"]
    assert tomsk["figures"] == {"formats": ["png"], "languages": ["en"], "dpi": 100}


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
    res = pipeline.run_step("99_fail", "kemerovo", {}, "kemerovo", engine="kernel")
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
    res = pipeline.run_step("99_die", "kemerovo", {}, "kemerovo", engine="kernel")
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
def test_batch_runs_several_regions_in_its_workers_or_fresh_kernels(repo_copy, engine):
    """Two regions, one step each, in two workers (executing the notebooks themselves, the
    default, or in a fresh kernel each): both succeed, each notebook carries its own region and is
    numbered from 1."""
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
        # A batch run's light figures are the notebook's parameters, and reach its figures
        raw = json.loads((repo_copy / "build" / "runs" / region / "08_regions_compared.ipynb").read_text())
        assert raw["metadata"]["papermill"]["parameters"] == {
            "region": region,
            "figure_formats": "png",
            "figure_langs": "en",
            "figure_dpi": 100,
            "runner": True,
        }
        assert 'figure_formats = "png"' in sources and "runner = True" not in sources
        written = {p.name.split(".", 1)[1] for p in (repo_copy / "figures" / region).glob("08_*")}
        assert written == {"en.png"}
        record = json.loads((repo_copy / "data" / "processed" / region / "run_record.json").read_text())
        (run,) = record["runs"].values()
        assert run["parameters"]["figures"] == {"formats": ["png"], "languages": ["en"], "dpi": 100}


def test_a_folder_named_after_the_region_stops_the_run(tmp_path, monkeypatch):
    """data/user/Томская область/ is not read for tomsk: the run stops before anything is written
    and says how to fix it, instead of skipping the user's files silently."""
    monkeypatch.setattr(paths, "USER", tmp_path)
    (tmp_path / "Томская область").mkdir()
    with pytest.raises(InputError, match=r"not read for tomsk: named after the region's name") as err:
        pipeline.main_run("tomsk", "3")
    assert "rename the folder" in str(err.value) and "user_folder=" in str(err.value)


def test_record_step_removes_only_what_the_same_step_wrote_before(tmp_path, monkeypatch):
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
    origins = [{"what": "clusters", "kind": "user", "source": "data/user/r/clusters.csv"}]
    (runs / "05_x.record.json").write_text(
        json.dumps({"inputs": {"f": "1"}, "origins": origins, "outputs": ["data/processed/r/a.csv"]})
    )
    removed = pipeline.record_step("r", "05_x", {"id": "abc", "code_sha256": "c", "parameters": {}})
    # b.csv is gone (written before, not now); c.csv was never listed; the shared table is not the region's
    assert removed == ["data/processed/r/b.csv"]
    assert (out / "a.csv").exists() and not (out / "b.csv").exists() and (out / "c.csv").exists()
    assert shared.exists()
    record = json.loads((out / pipeline.RECORD).read_text())
    assert record["steps"]["05_x"] == {
        "inputs": {"f": "1"},
        "origins": origins,  # where the step's inputs come from, for the book
        "outputs": ["data/processed/r/a.csv"],
        "run": "abc",
    }
    assert record["runs"] == {"abc": {"code_sha256": "c", "parameters": {}}}


def test_each_step_is_recorded_with_its_run_and_a_mix_of_runs_is_named(tmp_path, monkeypatch):
    """Steps enter the record one at a time, each with the id of its run; runs no step refers to
    any more leave the record; steps from different runs give a warning naming them and the fix."""
    for name, sub in (
        ("ROOT", ""),
        ("PROCESSED", "data/processed"),
        ("FIGURES", "figures"),
        ("RUNS", "build/runs"),
    ):
        monkeypatch.setattr(paths, name, tmp_path / sub if sub else tmp_path)
    runs = tmp_path / "build/runs/r"
    runs.mkdir(parents=True)
    for step in ("01_a", "02_b"):
        (runs / f"{step}.record.json").write_text(json.dumps({"inputs": {}, "outputs": []}))
    first, second = ({"id": i, "code_sha256": i * 4, "parameters": {}} for i in ("1111", "2222"))
    pipeline.record_step("r", "01_a", first)
    assert pipeline.runs_of("r") == {"01_a": "1111"} and pipeline.mixed_runs("r") is None
    pipeline.record_step("r", "02_b", second)  # the first run failed at 02_b; a later run got that far
    assert pipeline.runs_of("r") == {"01_a": "1111", "02_b": "2222"}
    warning = pipeline.mixed_runs("r")
    assert warning is not None
    assert "run 1111: 01_a" in warning and "run 2222: 02_b" in warning
    assert "python -m analysis run --region r" in warning
    pipeline.record_step("r", "01_a", second)
    assert pipeline.mixed_runs("r") is None
    record = json.loads((tmp_path / "data/processed/r" / pipeline.RECORD).read_text())
    assert list(record["runs"]) == ["2222"]  # run 1111 no longer made any recorded output


def test_the_run_id_is_made_of_contents_not_of_time(tmp_path):
    """Two computations of a run's id on the same code, notebooks, inputs and parameters agree
    (the committed run_record.json stays byte-stable); a parameter or an input changes it."""
    a = pipeline.run_info("kemerovo", {})
    assert a == pipeline.run_info("kemerovo", {})
    assert len(a["id"]) == 16 and a["code_sha256"] == provenance.code_digest()
    assert pipeline.run_info("kemerovo", {"lang": "ru"})["id"] != a["id"]
    folder = tmp_path / "user"
    folder.mkdir()
    (folder / "clusters.csv").write_text("x\n")
    rel = os.path.relpath(folder, paths.ROOT)
    b = pipeline.run_info("kemerovo", {"user_folder": rel})
    (folder / "clusters.csv").write_text("y\n")
    assert pipeline.run_info("kemerovo", {"user_folder": rel})["id"] != b["id"]


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
    """Closed under imports: every package module a listed module imports is listed too."""
    import ast

    listed = {line.split()[0] for line in pipeline._import_fingerprint().splitlines()}
    importers = sorted(f for f in listed if f.startswith("analysis/") and f.endswith(".py"))
    assert {"analysis/inputs/rosstat.py", "analysis/inputs/regions.py"} <= set(importers)
    for importer in importers:
        tree = ast.parse((paths.ROOT / importer).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
                parts = node.module.split(".")[1:]
                names = [parts] if len(parts) > 1 else [[*parts, a.name] for a in node.names]
                for p in names:
                    assert "analysis/" + "/".join(p) + ".py" in listed, (importer, p)


def test_an_edit_to_any_module_of_the_rosstat_import_makes_the_next_run_import_again(tmp_path, monkeypatch):
    """The import is split over several modules (``rosstat.CODE``); the stamp hashes each of them."""
    import shutil

    from analysis.inputs import rosstat

    inputs = paths.ROOT / "analysis" / "inputs"
    assert set(rosstat.CODE) == {f"inputs/{p.name}" for p in inputs.glob("rosstat*.py")}
    shutil.copytree(
        paths.ROOT / "analysis", tmp_path / "analysis", ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    before = pipeline._import_fingerprint()
    for module in rosstat.CODE:
        f = tmp_path / "analysis" / module
        f.write_text(f.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        after = pipeline._import_fingerprint()
        assert after != before, module
        before = after


def test_the_runner_does_not_pay_for_the_iri_grammar_and_still_validates_notebooks():
    probe = "import sys, analysis.runner.pipeline; print(sys.modules['rfc3987_syntax'])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"  # blocked by analysis.runner before nbformat is imported
    nb = nbformat.read(paths.NOTEBOOKS / "01_factor_selection.ipynb", as_version=4)
    nbformat.validate(nb)
    nb.cells[0]["cell_type"] = "not a cell type"
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(nb)


def test_the_preload_imports_every_step_module():
    """Each worker's shell imports every step's module (``03_gva_hhi`` -> ``analysis.steps.gva_hhi``)
    before it freezes them out of the garbage collector; each of them exists."""
    import importlib.util

    for step in pipeline.STEPS:
        module = pipeline.step_module(step)
        assert module in pipeline.PRELOAD_MODULES, step
        assert importlib.util.find_spec(module) is not None, module


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
    notebook = (repo_copy / "notebooks" / "01_factor_selection.ipynb").read_bytes()
    # Light figures asked for: the default region's are written in full all the same, and its
    # committed notebook gets neither them nor runner = True.
    r = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--steps", "1", "--light-figures"],
        cwd=repo_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert {p.name: p.read_bytes() for p in figures} == before
    assert (repo_copy / "notebooks" / "01_factor_selection.ipynb").read_bytes() == notebook


@pytest.mark.slow
@pytest.mark.parametrize(
    ("engine", "message"),
    [
        ("inprocess", "not run to the end: its worker process died"),
        ("kernel", "DeadKernelError: Kernel died"),
    ],
)
def test_a_notebook_that_ends_its_process_is_reported_not_a_traceback(repo_copy, engine, message):
    """A notebook that ends its process (here os._exit; in life a crash in C code): in-process it
    takes its worker with it, and the run names each region not run and the command that shows
    the step; in a fresh kernel the kernel dies and the step is named (one worker: both regions in
    turn, each failing the same way)."""
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
    if engine == "inprocess":
        assert "python -m analysis run --region adygea --steps 08 --jobs 1 --engine kernel" in r.stderr
