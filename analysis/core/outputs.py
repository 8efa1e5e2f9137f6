"""Writing outputs so that a failed or interrupted run never leaves half-written files, and a
rerun writes the same bytes.

Every file is written to a temporary file in the same folder, flushed, then moved into place with
``os.replace`` (atomic on POSIX): readers see the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Atomically write ``data``; skip the write when the file already holds these bytes."""
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return path
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def csv_bytes(df: pd.DataFrame, float_format: str | None = None) -> bytes:
    """Deterministic CSV text: UTF-8, ``\\n`` line ends, no index, floats with repr precision
    unless ``float_format`` is given."""
    return df.to_csv(index=False, lineterminator="\n", float_format=float_format).encode("utf-8")


def write_csv(df: pd.DataFrame, path: Path | str, float_format: str | None = None) -> Path:
    """Atomically write ``df`` as deterministic CSV (see :func:`csv_bytes`)."""
    return write_bytes(path, csv_bytes(df, float_format))
