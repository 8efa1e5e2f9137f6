"""The figures manifest of a region: ``figures/<region>/manifest.csv``, one row per figure with the
step that saves it and its caption in each language, declared where the figure is saved.

``figures/README.md`` and the report read it; nothing scrapes captions from notebook code. Steps
run in parallel processes, so a row is written under an exclusive lock on the region's figure
folder, and the file is replaced atomically with its rows sorted: a rerun gives the same bytes.
"""

from __future__ import annotations

import csv
import fcntl
import io
import os
from dataclasses import dataclass
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.core.outputs import write_bytes

NAME = "manifest.csv"
COLUMNS = ["name", "step", "caption_en", "caption_ru"]


@dataclass(frozen=True)
class Entry:
    """One figure: its file name stem, the step (two digits) that saves it, its captions."""

    name: str
    step: str
    caption_en: str
    caption_ru: str

    def caption(self, lang: str) -> str:
        return self.caption_ru if lang == "ru" else self.caption_en


def path(region: str) -> Path:
    """``figures/<region>/manifest.csv``."""
    return paths.figures_dir(region) / NAME


def read(region: str) -> dict[str, Entry]:
    """The region's figures by name; empty when no figure was saved."""
    p = path(region)
    if not p.exists():
        return {}
    with p.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            raise InputError(p, "not a figures manifest", expected=",".join(COLUMNS), found=reader.fieldnames)
        return {r["name"]: Entry(r["name"], r["step"], r["caption_en"], r["caption_ru"]) for r in reader}


def _text(entries: dict[str, Entry]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for e in sorted(entries.values(), key=lambda e: e.name):
        w.writerow([e.name, e.step, e.caption_en, e.caption_ru])
    return buf.getvalue().encode("utf-8")


def record(region: str, entry: Entry) -> Path:
    """Add or replace ``entry`` in the region's manifest (under a lock: steps run in parallel)."""
    folder = paths.figures_dir(region)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        entries = read(region)
        entries[entry.name] = entry
        return write_bytes(path(region), _text(entries))
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def remove(region: str, names: list[str]) -> None:
    """Drop the entries of ``names`` (figures a run no longer makes) from the region's manifest."""
    if not names or not path(region).exists():
        return
    folder = paths.figures_dir(region)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        entries = {k: v for k, v in read(region).items() if k not in set(names)}
        write_bytes(path(region), _text(entries))
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
