"""The package's shape: every module on the map in ``analysis/__init__.py``, layers that call only
downwards, one step module per notebook with the notebook's name, imports at module top."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import analysis
from analysis.core import paths

PACKAGE = paths.ROOT / "analysis"
# Layers from the bottom up; a module may import its own layer and the layers below.
LAYERS = ["core", "indicators", "inputs", "reproduction", "steps", "study", "runner", "cli", "__main__"]
# Imports inside functions, each with the reason it is not at module top.
LAZY_IMPORTS = {
    ("analysis/cli.py", "analysis.runner"),  # papermill and Sphinx: about 1.3 s each, only for run/report
    ("analysis/cli.py", "analysis.inputs"),  # one command, one module
    ("analysis/steps/localization.py", "seaborn"),  # 127 ms, one figure
    ("analysis/steps/national_clusters.py", "scipy"),  # scipy.stats: about 0.5 s, one test in one step
    ("analysis/inputs/regions.py", "openpyxl"),  # 219 ms, only when the raw workbooks are re-read
    ("analysis/inputs/regions.py", "xlrd"),
    ("analysis/inputs/rosstat_sheets.py", "openpyxl"),  # as for regions.py
    ("analysis/core/figures.py", "IPython"),  # present only inside a kernel
}


def _modules() -> dict[str, Path]:
    return {
        ".".join(p.relative_to(paths.ROOT).with_suffix("").parts): p
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.name != "__init__.py"
    }


def _layer(module: str) -> int:
    part = module.split(".")[1]
    return LAYERS.index(part)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, inside a function?) for every import of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, id(node) not in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = (
                [f"{node.module}.{a.name}" for a in node.names]
                if node.module == "analysis"
                else [node.module]
            )
            out += [(n, id(node) not in top) for n in names]
    return out


def test_package_map_names_every_module_and_nothing_else():
    doc = analysis.__doc__ or ""
    mapped = set(re.findall(r"^- ``([\w.]+)``", doc, flags=re.M))
    actual = {m.removeprefix("analysis.") for m in _modules()} - {"__main__"}
    assert mapped == actual


def test_layers_call_only_downwards():
    upward = []
    for module, path in _modules().items():
        for name, _inside in _imports(path):
            if name.startswith("analysis.") and _layer(name) > _layer(module):
                upward.append(f"{module} imports {name}")
    assert not upward, upward


def test_each_notebook_has_its_step_module():
    notebooks = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    steps = {p.stem for p in (PACKAGE / "steps").glob("*.py")} - {"__init__"}
    names = {nb.split("_", 1)[1] for nb in notebooks}
    assert names <= steps
    # a step module split by seam (issue 21): the part is named <step>_<seam> and serves its notebook
    parts = steps - names
    assert all(any(s.startswith(f"{n}_") for n in names) for s in parts), parts
    for nb in notebooks:
        text = (paths.NOTEBOOKS / f"{nb}.ipynb").read_text(encoding="utf-8")
        assert f"from analysis.steps import {nb.split('_', 1)[1]}" in text, nb


def test_imports_at_module_top_unless_a_cost_says_otherwise():
    inside = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(paths.ROOT).as_posix()
        for name, is_inside in _imports(path):
            if is_inside and not any(rel == f and name.startswith(m) for f, m in LAZY_IMPORTS):
                inside.append(f"{rel}: {name}")
    assert not inside, inside


MAX_LINES = 800
# TODO (issue 21, "modules by seam"): split each of these, then remove it here. Others were
# editing them when the limit came in; a listed module may shrink, never grow past its line.
OVER_MAX_LINES = {
    "analysis/inputs/userdata.py": 1412,
    "analysis/runner/book.py": 1043,
}
# The process environment is the command line's (cli.py: the Makefile's byte-stable settings for
# the workers a run starts). What a notebook runs with travels as its parameters, which papermill
# records (figure formats, languages, DPI, "under the runner": study.start). The one other module:
ENVIRON_ALLOWED = {
    "analysis/cli.py",
    # builds the environment of a subprocess in a repository copy: the caller's (PATH, HOME, ...)
    # plus the copy's PYTHONPATH; it reads no setting of the study
    "analysis/runner/workspace.py",
}


def test_no_module_over_800_lines_but_the_known_ones():
    over = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(paths.ROOT).as_posix()
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > OVER_MAX_LINES.get(rel, MAX_LINES):
            over[rel] = n
    assert not over, f"modules over {MAX_LINES} lines (or grown past their known size): {over}"


_ENVIRON_NAMES = ("environ", "environb", "getenv")


def _touches_environ(source: str) -> bool:
    """Whether Python ``source`` names the process environment: ``os.environ``, ``os.getenv``,
    ``environb``, or one of them imported by name (``from os import environ``)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in _ENVIRON_NAMES:
            return True
        if isinstance(node, ast.Name) and node.id in _ENVIRON_NAMES:
            return True
        if isinstance(node, ast.alias) and node.name in _ENVIRON_NAMES:
            return True
    return False


def test_the_environment_is_read_by_the_command_line_only():
    """No module but the command line (and a subprocess's environment) reads or writes the
    process environment: a notebook's settings are its parameters (issue 21)."""
    for bad in ('os.environ.get("X")', 'os.environ["X"] = "1"', "from os import getenv", "os.getenv('X')"):
        assert _touches_environ(bad), bad
    assert not _touches_environ("figures.options(formats, langs, dpi)")
    touching = {
        path.relative_to(paths.ROOT).as_posix()
        for path in sorted(PACKAGE.rglob("*.py"))
        if _touches_environ(path.read_text(encoding="utf-8"))
    }
    assert touching - ENVIRON_ALLOWED == set(), sorted(touching - ENVIRON_ALLOWED)
