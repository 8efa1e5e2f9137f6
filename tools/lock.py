"""Keep the pins in one place: ``requirements.txt`` is the lock; ``environment.yml`` is generated from it.

    python tools/lock.py environment     # write environment.yml from requirements.txt
    python tools/lock.py freeze VENV     # write requirements.txt from VENV's packages (make lock)

``make lock`` builds a fresh virtual environment from ``requirements.in`` and runs both.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.txt"
ENV_YML = ROOT / "environment.yml"

LOCK_HEADER = """\
# The lock: every package of the environment, pinned (a pip freeze of a fresh venv built from
# requirements.in by `make lock`). environment.yml is generated from this file (tools/lock.py).
"""
ENV_HEADER = """\
# Generated from requirements.txt by `python tools/lock.py environment`: do not edit by hand.
# Conda users: `conda env create -f environment.yml` gives the same pins as requirements.txt.
# `make` uses a plain venv instead; no conda needed.
name: kuzbass-clusters
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - make
  - pip:
"""


def pins(text: str) -> list[str]:
    """The ``name==version`` lines of a requirements file, comments and blanks left out."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def environment_yml(lock_text: str) -> str:
    """The text of ``environment.yml`` for the pins of ``lock_text``."""
    return ENV_HEADER + "".join(f"      - {p}\n" for p in pins(lock_text))


def freeze(venv: Path) -> str:
    """The lock text for the packages installed in ``venv`` (the project itself left out)."""
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = sorted(
        (p for p in pins(out) if not p.startswith("analysis")), key=lambda p: p.split("==")[0].lower()
    )
    return LOCK_HEADER + "".join(f"{p}\n" for p in lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["environment"]:
        ENV_YML.write_text(environment_yml(LOCK.read_text()), encoding="utf-8")
        return 0
    if argv[:1] == ["freeze"] and len(argv) == 2:
        LOCK.write_text(freeze(Path(argv[1])), encoding="utf-8")
        ENV_YML.write_text(environment_yml(LOCK.read_text()), encoding="utf-8")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
