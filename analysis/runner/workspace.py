"""Throwaway copies of the repository, for runs that must never touch this working tree: the
reliability tests (rerun and interrupt the study) and the benchmarks.

A copy holds the files ``git ls-files`` lists (tracked, plus untracked files that are not ignored),
as they are in the working tree. :func:`copy_env` makes a subprocess import the copy's own
``analysis`` package (``PYTHONPATH``), so its paths resolve inside the copy; :func:`root_seen_from`
checks that from ``<copy>/notebooks``, where the kernels run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from analysis.core import paths

# What the Makefile exports for byte-stable outputs.
MAKE_ENV = {"SOURCE_DATE_EPOCH": "0", "PYTHONHASHSEED": "0", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def tracked_files(repo: Path = paths.ROOT) -> list[str]:
    """Repository-relative files ``git ls-files`` lists: tracked, and untracked but not ignored."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=repo,
        check=True,
        capture_output=True,
    ).stdout
    return sorted({f for f in out.decode().split("\0") if f})


def make_copy(dest: Path, files: list[str] | None = None, repo: Path = paths.ROOT) -> Path:
    """Copy ``files`` (default: :func:`tracked_files`) from ``repo`` into ``dest``; files deleted in
    the working tree but still in the index are left out."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in tracked_files(repo) if files is None else files:
        src = repo / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    return dest


def copy_env(copy: Path) -> dict:
    """Environment for a subprocess that must run the copy's code with the Makefile's settings."""
    env = dict(os.environ)
    env.update(MAKE_ENV)
    env["PYTHONPATH"] = str(copy)
    env.pop("PYTHONSTARTUP", None)
    return env


def root_seen_from(copy: Path, python: str = sys.executable) -> Path:
    """``analysis.core.paths.ROOT`` as a kernel in ``<copy>/notebooks`` sees it (should be ``copy``)."""
    out = subprocess.run(
        [python, "-c", "import analysis.core.paths as p; print(p.ROOT)"],
        cwd=copy / "notebooks",
        env=copy_env(copy),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return Path(out)
