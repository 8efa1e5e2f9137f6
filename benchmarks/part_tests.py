"""Part ``tests``: the test suite's wall time on a fresh ``git clone`` of the repository's
committed ``HEAD`` (no ``build/``, no pytest cache, ``shared/`` beside it as CI has it), as CI runs
it, with the project's environment already made (``make -o <stamp>``: the environment is not
rebuilt). A plain copy of the files is not enough: some tests ask git which files are tracked.

Targets: ``make test`` at most :data:`TARGET_TEST_S` (180 s), ``make test-fast`` under
:data:`TARGET_TEST_FAST_S` (30 s).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from analysis.core import paths
from analysis.runner import workspace
from benchmarks.common import PY, loadavg, log, measure

TARGET_TEST_S = 180.0
TARGET_TEST_FAST_S = 30.0
TARGETS = {"test": TARGET_TEST_S, "test-fast": TARGET_TEST_FAST_S}
# The smallest size (quick mode): one module through pytest, the harness's smoke test only.
QUICK_MODULE = "tests/test_architecture.py"


def make_cmd(target: str, venv: Path) -> list[str]:
    """``make <target>`` with the project's environment ``venv`` taken as made: its stamp is
    marked old (``-o``), so make neither rebuilds nor reinstalls it."""
    return ["make", "-o", str(venv / ".installed"), f"VENV={venv}", target]


def fresh_clone(dest: Path, repo: Path = paths.ROOT) -> Path:
    """``git clone`` of ``repo`` into ``dest``, with the ``shared/`` folder beside ``repo`` linked
    beside ``dest`` (the data the study reads from ``../shared``, as CI lays it out)."""
    subprocess.run(["git", "clone", "-q", str(repo), str(dest)], check=True)
    shared, link = repo.parent / "shared", dest.parent / "shared"
    if shared.exists() and not link.exists():
        link.symlink_to(shared.resolve(), target_is_directory=True)
    return dest


def run(work: Path, files: list[str], quick: bool = False) -> dict:
    """Measure ``make test-fast`` and ``make test`` (quick: ``pytest`` on :data:`QUICK_MODULE`),
    each on its own fresh clone (``files``, the copy's list of the other parts, is not used: a
    clone holds what is committed)."""
    venv = Path(sys.prefix)
    commands = (
        {"pytest " + QUICK_MODULE: [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", QUICK_MODULE]}
        if quick
        else {"test-fast": make_cmd("test-fast", venv), "test": make_cmd("test", venv)}
    )
    runs: dict[str, dict] = {}
    for name, cmd in commands.items():
        copy = fresh_clone(work / f"tests-{name.replace(' ', '-').replace('/', '-')}")
        logfile = work / f"tests-{len(runs)}.log"
        la = loadavg()
        m = measure(cmd, copy, workspace.copy_env(copy), logfile)
        m.update(load_before=la, target_s=TARGETS.get(name))
        lines = logfile.read_text(errors="replace").strip().splitlines()
        m["summary"] = lines[-1] if lines else ""
        runs[name] = m
        log(f"  {name}: {m['seconds']:.1f} s (rc {m['rc']}; {m['summary']})")
        shutil.rmtree(copy, ignore_errors=True)
    return {"runs": runs, "quick": quick}
