"""The set-up promises: pins agree, paths never leak, and the README shows the two commands."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import yaml

from analysis.core import paths

ROOT = paths.ROOT


def _pins(lines):
    return {
        ln.split("==")[0].lower().replace("_", "-"): ln.split("==")[1].strip()
        for ln in lines
        if "==" in ln and not ln.strip().startswith("#")
    }


def test_environment_yml_has_the_same_pins_as_requirements():
    req = _pins((ROOT / "requirements.txt").read_text().splitlines())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert _pins(pip_section) == req
    assert "python=3.11" in env["dependencies"]


def test_environment_yml_is_generated_from_the_lock():
    spec = importlib.util.spec_from_file_location("lock", ROOT / "tools" / "lock.py")
    assert spec is not None and spec.loader is not None
    lock = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lock)
    expected = lock.environment_yml((ROOT / "requirements.txt").read_text())
    assert (ROOT / "environment.yml").read_text() == expected, "run `python tools/lock.py environment`"


def test_requirements_in_pins_are_in_the_lock():
    top = _pins([ln.split("#")[0] for ln in (ROOT / "requirements.in").read_text().splitlines()])
    lock = _pins((ROOT / "requirements.txt").read_text().splitlines())
    for name, version in top.items():
        assert lock.get(name) == version, name


def test_readme_shows_the_two_commands():
    text = (ROOT / "README.md").read_text()
    assert "make reproduce" in text and "make test" in text


def test_ci_runs_make_lint_then_make_test():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make lint" in ci and "make test" in ci
    assert ci.index("make lint") < ci.index("make test")


def test_committed_notebooks_have_no_machine_paths_or_timings():
    for nb in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        text = nb.read_text()
        assert not re.search(r'"/(root|tmp|work|home)/', text), nb.name
        data = json.loads(text)
        assert "papermill" not in data["metadata"], nb.name
        assert data["metadata"]["kernelspec"]["name"] == "python3"
        for cell in data["cells"]:
            assert "execution" not in cell["metadata"] and "papermill" not in cell["metadata"]
        codes = [c for c in data["cells"] if c["cell_type"] == "code"]
        assert any(c.get("outputs") for c in codes), f"{nb.name} has no stored outputs"
        assert any("parameters" in c["metadata"].get("tags", []) for c in codes), nb.name


def test_rel_never_prints_absolute_paths():
    assert paths.rel(paths.RAW_PAPER / "x.csv") == "data/raw/paper/x.csv"
    assert not paths.rel(Path("/somewhere/else/file.csv")).startswith("/")
