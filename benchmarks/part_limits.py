"""Part ``limits`` (issue 23): memory at a user's input limits (data/README.md, "Limits";
``analysis.core.sources.MAX_FILE_BYTES``, ``MAX_ROWS``, ``MAX_CATEGORIES``).

In a fresh copy, a user folder ``data/user/tomsk/`` holds a ``freight.csv`` of generated rows:

- *at the limits*: 100 cargos, 20 000 data rows, padded to just under 5 MB; measured are
  ``python -m analysis check-inputs tomsk`` and ``python -m analysis run --region tomsk --jobs 2``;
- *oversized*: the same rows repeated to 200 MB; ``check-inputs`` refuses it by its size before
  reading it, and its memory is measured anyway.

Targets: the run at the limits succeeds with its largest process at most :data:`TARGET_RUN_MIB`
(1 GiB: the limits are set so that reading and checking a file stays well under it); ``check-inputs``
on the 200 MB file refuses it (non-zero exit) with its largest process at most
:data:`FLAT_MEMORY` x that of ``check-inputs`` at the limits (memory independent of the file's size).
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

from analysis.core.sources import MAX_CATEGORIES, MAX_FILE_BYTES, MAX_ROWS
from analysis.runner import workspace
from benchmarks.common import PY, loadavg, log, measure, pipeline_cmd

TARGET_RUN_MIB = 1024.0
FLAT_MEMORY = 1.25
OVERSIZED_BYTES = 200_000_000
REGION = "tomsk"  # any region without a user folder of its own in the repository
HEADER = "cargo,cargo_label,direction,year,quantity,value,unit,source,note\n"
UNITS = {"volume": "thousand t", "share_of_russia": "percent", "rank": "rank"}
REGION_YML = (
    f"region: {REGION}\n"
    'source: "benchmark rows generated at the documented limits (benchmarks/part_limits.py)"\n'
    "years: 1990-2030\n"
)


def freight_rows(n_rows: int, n_cargos: int) -> list[str]:
    """``n_rows`` distinct freight rows (CSV lines without the note) over ``n_cargos`` cargos,
    both directions, years from 1990 and the three quantities, every cargo present."""
    combos = itertools.product(range(1990, 2031), UNITS, ("in", "out"), range(n_cargos))
    rows = []
    for year, quantity, direction, c in itertools.islice(combos, n_rows):
        value = {"volume": 100.0 + c, "share_of_russia": 0.5, "rank": 1 + c % 85}[quantity]
        rows.append(
            f"c{c:03d},Груз {c},{direction},{year},{quantity},{value},{UNITS[quantity]},benchmark rows,"
        )
    if len(rows) < n_rows:
        raise ValueError(f"only {len(rows)} distinct rows for {n_cargos} cargos, {n_rows} asked for")
    return rows


def padded_csv(rows: list[str], max_bytes: int) -> str:
    """The CSV of ``rows`` with each row's note padded so the file (UTF-8) is as large as it can be
    without exceeding ``max_bytes``."""
    base = len((HEADER + "".join(r + "\n" for r in rows)).encode("utf-8"))
    pad = max(0, (max_bytes - base) // len(rows))
    note = "p" * pad
    return HEADER + "".join(f"{r}{note}\n" for r in rows)


def write_oversized(path: Path, at_limits: str, size: int) -> None:
    """A file of the at-limits CSV's data rows repeated until ``size`` bytes, written in chunks."""
    body = at_limits.split("\n", 1)[1].encode("utf-8")
    with path.open("wb") as fh:
        fh.write(HEADER.encode("utf-8"))
        written = len(HEADER)
        while written < size:
            chunk = body[: size - written]
            fh.write(chunk)
            written += len(chunk)


def user_folder(copy: Path) -> Path:
    """``data/user/<REGION>/`` of the copy with its region.yml (made empty of CSV files)."""
    folder = copy / "data" / "user" / REGION
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "region.yml").write_text(REGION_YML, encoding="utf-8")
    return folder


def run(work: Path, files: list[str], oversized_bytes: int, steps: str | None) -> dict:
    """Measure the part (see the module's doc); ``steps`` narrows the run at the limits."""
    copy = workspace.make_copy(work / "limits", files)
    env = workspace.copy_env(copy)
    folder = user_folder(copy)
    text = padded_csv(freight_rows(MAX_ROWS, MAX_CATEGORIES), MAX_FILE_BYTES)
    (folder / "freight.csv").write_text(text, encoding="utf-8")
    size = (folder / "freight.csv").stat().st_size
    res: dict = {"file": {"bytes": size, "rows": MAX_ROWS, "categories": MAX_CATEGORIES}}
    check = [PY, "-m", "analysis", "check-inputs", REGION]
    cases = {
        "check_at_limits": check,
        "run_at_limits": pipeline_cmd(steps, [REGION]),
    }
    for name, cmd in cases.items():
        la = loadavg()
        res[name] = measure(cmd, copy, env, work / f"limits-{name}.log") | {"load_before": la}
    write_oversized(folder / "freight.csv", text, oversized_bytes)
    res["oversized_bytes"] = (folder / "freight.csv").stat().st_size
    res["check_oversized"] = measure(check, copy, env, work / "limits-check_oversized.log")
    for name in ("check_at_limits", "run_at_limits", "check_oversized"):
        m = res[name]
        lines = Path(m["log"]).read_text(errors="replace").strip().splitlines()
        m["last_line"] = lines[-1][:300] if lines else ""
        log(
            f"  {name}: {m['seconds']:.1f} s, rc {m['rc']}, largest process {m['max_child_rss_mib']:.0f} MiB, "
            f"tree {m['peak_tree_rss_mib']:.0f} MiB ({m['last_line'][:120]})"
        )
    shutil.rmtree(copy, ignore_errors=True)
    return res
