"""Every path of the compendium, resolved from the repository root.

Nothing else in the project builds paths by hand: notebooks run by papermill (caller's working
directory) and by nbval (the notebook's folder) see the same files. Use :func:`rel` to show a path
to a reader: it never prints the machine-specific absolute part.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_REGION = "kemerovo"  # the region whose outputs are committed (the paper's)
ROOT = Path(__file__).resolve().parents[2]  # analysis/core/paths.py -> repository root
DATA = ROOT / "data"
RAW = DATA / "raw"
RAW_PAPER = RAW / "paper"
RAW_ROSSTAT = RAW / "rosstat"
PROCESSED = DATA / "processed"  # result tables of each region's run
REFERENCE = DATA / "reference"  # tables derived once from raw/ (the region registry)
INTERIM = DATA / "interim"  # tidy tables imported from raw/, inputs of the steps
INTERIM_ROSSTAT = INTERIM / "rosstat"
USER = DATA / "user"  # users' own inputs: one folder per region, templates, a worked example
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"
RUNS = ROOT / "build" / "runs"  # executed notebooks of non-default regions and failed runs


def processed_dir(region: str) -> Path:
    """``data/processed/<region>/``: result tables of one region."""
    return PROCESSED / region


def figures_dir(region: str) -> Path:
    """``figures/<region>/``: figures of one region."""
    return FIGURES / region


def user_dir(region: str) -> Path:
    """``data/user/<region>/``: a user's own inputs for a region (CSV templates + region.yml)."""
    return USER / region


def rel(path: Path | str) -> str:
    """Path relative to the repository root, with forward slashes, for messages and tables."""
    p = Path(path)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return p.name
