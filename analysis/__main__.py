"""Command line: ``python -m analysis run [--region R] [--steps 1,3] [--jobs N] [--param k=v]``."""
from __future__ import annotations

import argparse
import sys

from .errors import InputError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis",
                                 description="Rerun the study of Ivanova (2018) for a region.")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute the notebooks with papermill")
    run.add_argument("--region", default="kemerovo",
                     help="region id, OKATO code, Russian or English name, or 'all' (default: kemerovo)")
    run.add_argument("--steps", help="comma-separated steps, e.g. 3,5 or 03_gva_hhi (default: all)")
    run.add_argument("--jobs", type=int, default=2, help="steps run in parallel (default: 2)")
    run.add_argument("--lang", choices=["en", "ru"], help="language of printed labels and shown figures")
    run.add_argument("--param", action="append", metavar="NAME=VALUE",
                     help="a notebook parameter; VALUE is read as YAML (quote strings: name='\"01\"')")
    args = ap.parse_args(argv)
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so temporary files are removed.
    import signal

    def _term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _term)
    try:
        if args.command == "run":
            from .pipeline import main_run

            return main_run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: outputs already in place are complete; nothing half-written was kept",
              file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
