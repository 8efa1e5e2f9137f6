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
    ("analysis/inputs/rosstat.py", "openpyxl"),
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
    assert {nb.split("_", 1)[1] for nb in notebooks} == steps
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
