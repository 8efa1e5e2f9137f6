"""Which files a notebook read, with their SHA-256: the record of a run's inputs.

The loaders call :func:`note` for every file they read (raw files when their checksum is
verified, derived and interim tables, a user's files); :mod:`analysis.study` resets the record
when a notebook starts and writes it, with the files the notebook wrote, when it ends; the runner
gathers the steps' records into ``data/processed/<region>/run_record.json``. Loaders cache their
tables, so a second notebook in the same kernel does not read a file again: the loaders' public
functions note the file on every call, the digest itself is computed once per file version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.core import paths

_READ: dict[str, str] = {}
_DIGESTS: dict[tuple[str, int, int], str] = {}


def digest(path: Path) -> str:
    """SHA-256 of a file, computed once per (path, modification time, size)."""
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _DIGESTS:
        _DIGESTS[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _DIGESTS[key]


def note(path: Path | str, sha256: str | None = None) -> None:
    """Record that ``path`` was read (its digest is computed when not given)."""
    p = Path(path)
    if not p.is_absolute():
        p = paths.ROOT / p
    if p.is_file():
        _READ[paths.rel(p)] = sha256 or digest(p)


@contextmanager
def capture() -> Iterator[dict[str, str]]:
    """Collect the files noted inside the block (they are noted as usual too): a result cached for
    later notebooks notes them again on every use (see ``study._ledger``), so that a notebook's
    record does not depend on which notebook ran before it in the same process."""
    before = dict(_READ)
    _READ.clear()
    seen: dict[str, str] = {}
    try:
        yield seen
    finally:
        seen.update(_READ)
        _READ.update(before)


def reads() -> dict[str, str]:
    """Files read since the last :func:`reset`, repository-relative path -> SHA-256, sorted."""
    return dict(sorted(_READ.items()))


def reset() -> None:
    """Start a new record (a new notebook)."""
    _READ.clear()


def code_digest() -> str:
    """SHA-256 over the package's source files (path and bytes, in path order): which code made
    the outputs, stable across clones and commits that do not touch the code."""
    h = hashlib.sha256()
    for f in sorted((paths.ROOT / "analysis").rglob("*.py")):
        h.update(paths.rel(f).encode("utf-8") + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()
