"""The one command line: ``python -m analysis <command>`` (also installed as ``analysis``).

=================  ==========================================================================
``run``            execute the notebooks with papermill for a region, several, or ``all``
``report``         build the offline book (Sphinx, MyST-NB) of a region's executed notebooks
``figures-readme`` write ``figures/README.md`` from the default region's figures
``check-inputs``   list and validate a user's folder ``data/user/<region>/``; with ``--national``,
                   the national cluster lists (``data/raw/clusters/``, ``data/user/national_lists/``)
``import``         re-import Rosstat's raw files into ``data/interim/rosstat/``
``registry``       rebuild the region registry ``data/reference/regions.csv``
=================  ==========================================================================

Each command's module is imported only when that command runs: the runner pulls in papermill and
Sphinx (about 1.3 s each, measured with ``python -X importtime``), which ``check-inputs`` does
not need.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from analysis.core import paths
from analysis.core.errors import InputError


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m analysis", description="Rerun the study of Ivanova (2018) for a region."
    )
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute the notebooks with papermill")
    run.add_argument(
        "--region",
        default=paths.DEFAULT_REGION,
        help="region id, OKATO code, Russian or English name, several separated by "
        f"commas, or 'all' (default: {paths.DEFAULT_REGION})",
    )
    run.add_argument("--steps", help="comma-separated steps, e.g. 3,5 or 03_gva_hhi (default: all)")
    run.add_argument("--jobs", type=int, default=2, help="steps run in parallel (default: 2)")
    run.add_argument("--lang", choices=["en", "ru"], help="language of printed labels and shown figures")
    run.add_argument(
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="a notebook parameter; VALUE is read as YAML (quote strings: name='\"01\"')",
    )
    run.add_argument(
        "--engine",
        choices=["inprocess", "kernel"],
        default="inprocess",
        help="where the notebooks execute: in the worker processes themselves (the default), or each "
        "in a fresh Jupyter kernel, as Jupyter and nbval run them (slower; for debugging: a crash in C "
        "code then names its step and cell)",
    )
    figs = run.add_mutually_exclusive_group()
    figs.add_argument(
        "--all-figures",
        dest="all_figures",
        action="store_const",
        const=True,
        help="every figure in PNG, SVG and PDF, English and Russian (the default for one region)",
    )
    figs.add_argument(
        "--light-figures",
        dest="all_figures",
        action="store_const",
        const=False,
        help="figures in PNG and one language only (the default for several regions)",
    )
    rep = sub.add_parser("report", help="offline book of a region's executed notebooks (no re-execution)")
    rep.add_argument(
        "--region", default=paths.DEFAULT_REGION, help=f"region id or name (default: {paths.DEFAULT_REGION})"
    )
    rep.add_argument("--out", help="output folder (default: build/report/<region>)")
    sub.add_parser("figures-readme", help="write figures/README.md (figures, captions, notebooks)")
    chk = sub.add_parser("check-inputs", help="list present/missing user files and validate them")
    chk.add_argument(
        "region",
        nargs="?",
        help="region id or Russian/English name, or a folder "
        "(e.g. example_region) whose region.yml names the region",
    )
    chk.add_argument(
        "--folder", help="read this folder instead of data/user/<region>/ (or data/user/national_lists/)"
    )
    chk.add_argument(
        "--national",
        action="store_true",
        help="validate the national cluster lists (data/raw/clusters/ and data/user/national_lists/)",
    )
    sub.add_parser("import", help="re-import Rosstat's raw files into tidy tables")
    sub.add_parser("registry", help="rebuild the region registry from Rosstat's files")
    return ap


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "run":
        from analysis.runner import pipeline, workspace

        # The Makefile's settings, for the workers and kernels the run starts (they inherit this
        # process's environment): without them a run started from the command line, not from
        # make, writes PDFs whose bytes change with the time of the run.
        for name, value in workspace.MAKE_ENV.items():
            os.environ.setdefault(name, value)
        return pipeline.main_run(
            args.region, args.steps, args.jobs, args.lang, args.param, args.all_figures, args.engine
        )
    if args.command == "report":
        from analysis.runner import book

        start = time.perf_counter()
        try:
            built = book.build(args.region, args.out)
        except book.BookError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for warning in built.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        shown = paths.rel(built.out) if paths.ROOT in built.out.resolve().parents else str(built.out)
        print(f"wrote {shown}/index.html in {time.perf_counter() - start:.1f} s")
        return 0
    if args.command == "figures-readme":
        from analysis.runner import book

        print(f"wrote {paths.rel(book.write_figures_readme())}")
        return 0
    if args.command == "check-inputs":
        from analysis.inputs import national, userdata

        if args.national:
            return national.check(args.folder)
        if args.region is None:
            print(
                "error: check-inputs needs a region, or --national for the national cluster lists",
                file=sys.stderr,
            )
            return 2
        return userdata.check(*_check_inputs_target(args.region, args.folder))
    if args.command == "import":
        from analysis.runner import pipeline

        start = time.perf_counter()
        for p in pipeline.import_rosstat().values():
            with open(p, encoding="utf-8") as fh:
                n = sum(1 for _ in fh) - 1
            print(f"{paths.rel(p)}: {n} rows")
        print(f"done in {time.perf_counter() - start:.1f} s")
        return 0
    if args.command == "registry":
        from analysis.inputs import regions

        print(f"wrote {paths.rel(regions.write_registry())}")
        return 0
    raise AssertionError(args.command)  # argparse allows only the commands above


def _check_inputs_target(arg: str, folder: str | None) -> tuple[str, str | None]:
    """``check-inputs``'s (region, folder) from its argument, which may be a region or a folder.

    A folder (a path with a slash, or an existing folder) is read as given: its region is the
    one its ``region.yml`` names, else the one its name is (``data/user/tatarstan``). A path that
    is no folder is an error naming the closest folders, as ``--param user_folder`` is."""
    from analysis.inputs.region import given_folder
    from analysis.inputs.regions import resolve

    path = Path(arg)
    looks_like_path = os.sep in arg or "/" in arg or (path.is_dir() and folder is None)
    if folder is not None or not looks_like_path:
        return arg, folder
    d = path if path.is_dir() else given_folder(arg)  # relative to here, else to the repository
    if (d / "region.yml").is_file():
        return str(d), None  # userdata.check reads the region from region.yml
    try:
        return resolve(d.name).id, str(d)
    except InputError as exc:
        raise InputError(
            d,
            "a folder with no region.yml whose name is not a region",
            expected="a region.yml naming the region, or a folder named by the region's id "
            "(data/user/<region>/)",
            found=d.name,
        ) from exc


def _term(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, run the command; 0 on success, 1 if a step failed, 2 on bad input, 130 if
    interrupted."""
    args = _parser().parse_args(argv)
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so temporary files are removed.
    signal.signal(signal.SIGTERM, _term)
    try:
        return _dispatch(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `... | head`: the reader left; not an error of ours
        # What stdout still buffers would fail again when the interpreter flushes it at exit
        # (exit code 120, "Exception ignored ... BrokenPipeError"): send it to /dev/null.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # stdout has no file descriptor (captured): silence the rest
            sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(
            "interrupted: outputs already in place are complete; nothing half-written was kept",
            file=sys.stderr,
        )
        return 130
