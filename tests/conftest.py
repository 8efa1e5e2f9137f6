"""Fixtures shared by the tests, and the ``slow`` and ``sweep`` markers.

``raw_copy`` copies a shipped Rosstat file into ``tmp_path``, optionally breaks it, and writes a
``SHA256SUMS`` for the copy, so the importer gets past the checksum and meets the broken layout.
``tables`` imports every Rosstat table once per session. ``repo_copy`` is a throwaway copy of the
repository (tracked files) for tests that run the study: no test writes into this working tree.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.paths import RAW_ROSSTAT
from analysis.core.sources import sha256
from analysis.inputs import rosstat
from analysis.runner import workspace


def _write_sums(folder: Path) -> None:
    lines = [
        f"{sha256(p)}  {p.name}" for p in sorted(folder.iterdir()) if p.is_file() and p.name != "SHA256SUMS"
    ]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def raw_copy(tmp_path: Path) -> Callable[..., Path]:
    """``raw_copy(name, xlsx=fn(workbook), text=fn(str) -> str, sums=True) -> path``."""

    def make(
        name: str, xlsx: Callable | None = None, text: Callable[[str], str] | None = None, sums: bool = True
    ) -> Path:
        dest = tmp_path / name
        shutil.copyfile(RAW_ROSSTAT / name, dest)
        if xlsx is not None:
            import openpyxl

            wb = openpyxl.load_workbook(dest)
            xlsx(wb)
            wb.save(dest)
        if text is not None:
            dest.write_text(text(dest.read_text(encoding="utf-8")), encoding="utf-8")
        if sums:
            _write_sums(tmp_path)
        return dest

    return make


@pytest.fixture(scope="session")
def tables() -> dict:
    """Every table imported once from the real files, plus ``"log"`` (list of dicts)."""
    log: list[dict] = []
    out = {name: fn(log=log) for name, fn in rosstat.IMPORTERS.items()}
    out["log"] = log
    return out


@pytest.fixture()
def repo_copy(tmp_path: Path) -> Path:
    """A fresh copy of the repository's tracked files, whose own ``analysis`` package runs."""
    return workspace.make_copy(tmp_path / "repo")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--sweep",
        action="store_true",
        help="run the tests marked sweep: every region through every step (tens of minutes; make sweep)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``sweep`` run every region, tens of minutes on two cores: ``make sweep`` runs
    them, ``make test`` (and so CI) skips them and runs a handful of hard regions instead."""
    if config.getoption("--sweep"):
        return
    skip = pytest.mark.skip(reason="every region: make sweep")
    for item in items:
        if "sweep" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def econgeo() -> pd.DataFrame:
    """EconGeo documentation matrix (Balland): rows regions, columns industries (tests of the
    indicators in tests/ and tests/benchmarks/)."""
    return pd.DataFrame(
        [[100, 0, 0, 0, 0], [0, 15, 5, 70, 10], [0, 20, 10, 20, 50], [0, 25, 30, 5, 40], [0, 40, 55, 5, 0]],
        index=[f"R{i}" for i in range(1, 6)],
        columns=[f"I{i}" for i in range(1, 6)],
        dtype=float,
    )


@pytest.fixture
def text_number(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, float], None]:
    """``text_number(claim_id, value)``: the paper's text numbers as shipped, but with ``claim_id``
    printed as ``value``, for this test (what a check or rule makes of another printed figure)."""
    from analysis.inputs import paper

    real = paper.text_numbers()

    def set_value(claim_id: str, value: float) -> None:
        t = real.copy()
        assert (t["claim_id"] == claim_id).any(), claim_id
        t.loc[t["claim_id"] == claim_id, "value"] = value
        monkeypatch.setattr(paper, "text_numbers", lambda: t)

    return set_value
