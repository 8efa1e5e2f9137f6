"""The in-process engine: the notebooks it executes are the ones a kernel executes.

The engine's own tests run in a subprocess: its IPython shell is a process-wide singleton and
would otherwise become ``get_ipython()`` for every later test of this session.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from helpers import run_cli
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.runner import pipeline

# Runs each notebook given on the command line through the engine, one after another in one
# process, as a batch worker does; prints, per notebook, the error papermill raised (or null).
_DRIVER = textwrap.dedent(
    """
    import json, sys
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError
    from analysis.runner import inprocess

    result = []
    for src in sys.argv[1:]:
        try:
            pm.execute_notebook(src, src + ".out", engine_name=inprocess.NAME, progress_bar=False,
                                request_save_on_cell_execute=False)
            result.append(None)
        except PapermillExecutionError as exc:
            result.append([exc.exec_count, exc.ename, exc.evalue])
    print(json.dumps(result))
    """
)


def _execute(tmp_path: Path, *notebooks: list[str]) -> tuple[list, list[nbformat.NotebookNode]]:
    srcs = []
    for i, cells in enumerate(notebooks):
        nb = new_notebook(cells=[new_markdown_cell("# a heading"), *(new_code_cell(c) for c in cells)])
        nb.metadata["kernelspec"] = pipeline.KERNELSPEC
        src = tmp_path / f"nb{i}.ipynb"
        nbformat.write(nb, src)
        srcs.append(str(src))
    r = subprocess.run(
        [sys.executable, "-c", _DRIVER, *srcs], capture_output=True, text=True, timeout=120, check=False
    )
    assert r.returncode == 0, r.stderr
    errors = json.loads(r.stdout.strip().splitlines()[-1])
    return errors, [nbformat.read(s + ".out", as_version=4) for s in srcs]


def _outputs(cell) -> list[tuple]:
    out = []
    for o in cell.outputs:
        if o.output_type == "stream":
            out.append(("stream", o.name, o.text))
        elif o.output_type == "error":
            out.append(("error", o.ename, o.evalue))
        else:
            out.append((o.output_type, tuple(sorted(o.data)), o.data.get("text/plain")))
    return out


def test_outputs_come_in_order_and_of_the_kernels_kinds(tmp_path):
    errors, (nb,) = _execute(
        tmp_path,
        [
            "from IPython.display import display\n"
            "print('a')\n"
            "display({'text/plain': 'b', 'text/markdown': '**b**'}, raw=True)\n"
            "print('c')\nprint('d')",
            "import sys, warnings\nprint('to stderr', file=sys.stderr)\n40 + 2",
            "   ",
            "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nNone",  # left open: the inline backend shows it
            "from IPython.display import clear_output\nprint('gone')\nclear_output()\nprint('kept')",
        ],
    )
    assert errors == [None]
    cells = [c for c in nb.cells if c.cell_type == "code"]
    assert _outputs(cells[0]) == [
        ("stream", "stdout", "a\n"),
        ("display_data", ("text/markdown", "text/plain"), "b"),
        ("stream", "stdout", "c\nd\n"),  # consecutive writes are one output, as nbclient makes them
    ]
    assert _outputs(cells[1]) == [
        ("stream", "stderr", "to stderr\n"),
        ("execute_result", ("text/plain",), "42"),
    ]
    assert cells[1].outputs[1].execution_count == cells[1].execution_count == 2
    assert cells[2].execution_count is None and cells[2].outputs == []  # blank: not executed
    [figure] = cells[3].outputs
    assert figure.output_type == "display_data" and "image/png" in figure.data
    assert _outputs(cells[4]) == [("stream", "stdout", "kept\n")]


def test_a_failing_cell_stops_the_notebook_and_papermill_reports_it(tmp_path):
    errors, (nb,) = _execute(tmp_path, ["x = 1", "raise ValueError('boom')", "y = 2"])
    assert errors == [[2, "ValueError", "boom"]]
    cells = [c for c in nb.cells if c.cell_type == "code"]
    [err] = cells[1].outputs
    assert err.output_type == "error" and err.ename == "ValueError" and err.evalue == "boom"
    assert any("boom" in line for line in err.traceback)
    assert cells[2].execution_count is None and cells[2].outputs == []


def test_each_notebook_starts_with_an_empty_namespace_counting_from_one(tmp_path):
    errors, (first, second) = _execute(tmp_path, ["x = 1", "x"], ["x"])
    assert errors == [None, [1, "NameError", "name 'x' is not defined"]]
    assert [c.execution_count for c in first.cells if c.cell_type == "code"] == [1, 2]
    assert [c.execution_count for c in second.cells if c.cell_type == "code"] == [1]


WATCHED = ("notebooks", "data/processed/kemerovo", "figures/kemerovo")


def _files(root: Path, folders: tuple[str, ...]) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for d in folders
        for p in sorted((root / d).rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
@pytest.mark.parametrize("regions", ["kemerovo", "tomsk,kemerovo"])
def test_the_default_regions_outputs_executed_in_process_are_the_committed_ones(repo_copy, regions):
    """The whole study for the default region in-process, in a copy of the repository: every
    notebook, table and figure, and the run record, byte for byte the committed one (nbval checks
    those against a kernel). Also when its worker ran another region first (one worker,
    ``tomsk,kemerovo``): nothing of one region's notebooks leaks into the next's."""
    before = _files(repo_copy, WATCHED)
    r = run_cli(repo_copy, "run", "--region", regions, "--jobs", "1" if "," in regions else "2")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "9 step(s), 0 failed" in r.stdout
    after = _files(repo_copy, WATCHED)
    assert after.keys() == before.keys()
    assert [k for k in before if before[k] != after[k]] == []


def _user_region(copy: Path, region: str) -> None:
    """data/user/<region>/: the worked example's files, its region.yml naming ``region``."""
    example = copy / "data" / "user" / "example_region"
    folder = copy / "data" / "user" / region
    folder.mkdir()
    for f in example.iterdir():
        text = f.read_text(encoding="utf-8").replace("synthetic example, not data", "a test")
        (folder / f.name).write_text(text.replace("region: tomsk", f"region: {region}"), encoding="utf-8")


@pytest.mark.slow
def test_two_user_regions_give_the_same_bytes_in_either_order(repo_copy):
    """Two regions with a user's folder each, in one worker, ``tomsk,omsk`` then ``omsk,tomsk``:
    every notebook, table, figure and record of both is the same bytes whichever ran first."""
    for region in ("tomsk", "omsk"):
        _user_region(repo_copy, region)
    folders = tuple(
        f"{d}/{region}"
        for region in ("tomsk", "omsk")
        for d in ("data/processed", "figures", "build/notebooks")
    )
    outputs = []
    for order in ("tomsk,omsk", "omsk,tomsk"):
        for d in (*folders, "build/runs"):
            shutil.rmtree(repo_copy / d, ignore_errors=True)
        r = run_cli(repo_copy, "run", "--region", order, "--jobs", "1")
        assert r.returncode == 0, r.stdout + r.stderr
        outputs.append(_files(repo_copy, folders))
    first, second = outputs
    assert len(first) > 50 and first.keys() == second.keys()
    assert any(k.startswith("data/processed/omsk/") for k in first)
    assert [k for k in first if first[k] != second[k]] == []
