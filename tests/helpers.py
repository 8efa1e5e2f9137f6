"""Helpers for tests that run the study in a copy of the repository (see ``repo_copy`` in
``conftest.py``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analysis.runner import workspace


def run_cli(copy: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """``python -m analysis ARGS`` inside ``copy`` with the Makefile's environment."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=copy,
        env=workspace.copy_env(copy),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
