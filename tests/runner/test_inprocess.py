"""The in-process engine: the notebooks it executes are the ones a kernel executes.

The engine's own tests run in a subprocess: its IPython shell is a process-wide singleton and
would otherwise become ``get_ipython()`` for every later test of this session.
"""

from __future__ import annotations

import json
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


@pytest.mark.slow
def test_the_default_regions_notebooks_executed_in_process_are_the_committed_ones(repo_copy):
    """The whole study for the default region through the engine, in a copy of the repository:
    every notebook, table and figure is byte for byte the committed one (nbval checks those
    against a kernel), and so is the record of what each step read, although the steps ran in
    other groupings than in the kernels' run: a batch run that includes the default region
    changes nothing."""
    watched = ("notebooks", "data/processed/kemerovo", "figures/kemerovo")

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for d in watched
            for p in sorted((root / d).rglob("*"))
            if p.is_file()
        }

    before = files(repo_copy)
    r = run_cli(repo_copy, "run", "--engine", "inprocess", "--jobs", "2")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "9 step(s), 0 failed" in r.stdout
    after = files(repo_copy)
    assert after.keys() == before.keys()
    assert [k for k in before if before[k] != after[k]] == []
