"""The one table writer: benchmarks/RESULTS.md from the results of the parts (a dict, also
written as JSON with ``--json``). Each target with its measured value (medians where repeated) and
a verdict, then each part's own table. Measures nothing; what the numbers mean and why they are
what they are is in benchmarks/README.md, not here.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from benchmarks import part_default, part_indicators, part_limits, part_regions
from benchmarks.common import REPO, fmt_s


class Target(NamedTuple):
    """One row of "Against the targets": what is asked, what was measured, and whether it holds
    (``None``: not measured in this run, e.g. fewer regions than the target names)."""

    target: str
    measured: str
    ok: bool | None


def verdict(ok: bool | None) -> str:
    """``**met**``, ``**missed**`` or ``n/a`` (not measured)."""
    return "n/a" if ok is None else "**met**" if ok else "**missed**"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table: the header row, the rule, one line per row (cells as given)."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def mib(x: float) -> str:
    """Memory in MiB, whole."""
    return f"{x:.0f} MiB"


# ------------------------------------------------------------------------------ the verdicts
def targets_default(D: dict) -> list[Target]:
    """Part ``default``: the run at most 0.33 x sequential nbconvert; no slower than before."""
    out = [
        Target(
            f"default region: `python -m analysis run` at most {part_default.TARGET_RATIO:g} x sequential "
            "`jupyter nbconvert --execute` (2 cores)",
            f"{D['ratio']:.2f} x ({fmt_s(D['pipeline_median_s'])} vs {fmt_s(D['nbconvert_median_s'])}, medians)",
            None if D["failed"] else D["ratio"] <= part_default.TARGET_RATIO,
        )
    ]
    if "before_median_s" in D:
        out.append(
            Target(
                f"default region no slower than at commit {D['before']} (same machine, alternated)",
                f"{fmt_s(D['pipeline_median_s'])} now vs {fmt_s(D['before_median_s'])} before, medians",
                D["pipeline_median_s"] <= D["before_median_s"],
            )
        )
    return out


def targets_indicators(ind: dict) -> list[Target]:
    """Part ``indicators``: within 20x of the NumPy floor, 20x faster than ecomplexity, agreement."""
    T = ind["timings"]
    worst = max(T, key=lambda k: T[k]["floor_ratio"])
    out = [
        Target(
            f"each indicator within {part_indicators.TARGET_FLOOR_RATIO:g} x the NumPy floor",
            f"worst {T[worst]['floor_ratio']:.1f} x ({worst}); "
            + ", ".join(f"{k} {t['floor_ratio']:.1f} x" for k, t in T.items()),
            T[worst]["floor_ratio"] <= part_indicators.TARGET_FLOOR_RATIO,
        )
    ]
    ecx = f"LQ at least {part_indicators.TARGET_ECX_SPEEDUP:g} x faster than ecomplexity's RCA path"
    if "ecx_speedup" in ind:
        out.append(
            Target(
                ecx,
                f"{ind['ecx_speedup']:.1f} x ({fmt_s(T['lq']['library']['median_s'])} vs "
                f"{fmt_s(ind['ecomplexity']['rca_timing']['median_s'])}, medians)",
                ind["ecx_speedup"] >= part_indicators.TARGET_ECX_SPEEDUP,
            )
        )
    else:
        out.append(Target(ecx, "not measured: " + ind["ecomplexity"].get("error", "not installed"), None))
    largest = max(c["max_abs_diff"] for c in ind["agreement"].values())
    out.append(
        Target(
            f"indicators agree (library, NumPy, ecomplexity), {part_indicators.TOLERANCE:g} relative",
            f"largest difference {largest:.1e}",
            ind["agreement_ok"],
        )
    )
    return out


def targets_regions(G: dict) -> list[Target]:
    """Part ``regions``: all 85 regions within 90 s; memory flat in the number of regions."""
    if not G["runs"]:
        return []
    big = max(G["runs"], key=lambda r: r["n"])
    small = min(G["runs"], key=lambda r: r["n"])
    full = big["n"] >= part_regions.ALL_REGIONS
    out = [
        Target(
            f"all {part_regions.ALL_REGIONS} regions in at most {part_regions.TARGET_ALL_REGIONS_S:g} s (2 cores)",
            f"{fmt_s(big['seconds'])} for {big['n']} regions, exit {big['rc']}",
            (big["seconds"] <= part_regions.TARGET_ALL_REGIONS_S and big["rc"] == 0) if full else None,
        )
    ]
    if big is not small:
        ratio = big["peak_tree_rss_mib"] / small["peak_tree_rss_mib"]
        out.append(
            Target(
                f"memory flat: peak at {big['n']} regions at most {part_regions.FLAT_MEMORY:g} x the peak at {small['n']}",
                f"{mib(small['peak_tree_rss_mib'])} at {small['n']}, {mib(big['peak_tree_rss_mib'])} at "
                f"{big['n']} ({ratio:.2f} x)",
                ratio <= part_regions.FLAT_MEMORY,
            )
        )
    return out


def targets_tests(S: dict) -> list[Target]:
    """Part ``tests``: ``make test`` at most 180 s, ``make test-fast`` under 30 s, on a fresh copy."""
    out = []
    for name, m in S["runs"].items():
        limit = m.get("target_s")
        out.append(
            Target(
                f"`make {name}` on a fresh copy at most {limit:g} s" if limit else f"`{name}` (smoke test)",
                f"{fmt_s(m['seconds'])}, exit {m['rc']}",
                None if not limit else (m["seconds"] <= limit and m["rc"] == 0),
            )
        )
    return out


def targets_limits(L: dict) -> list[Target]:
    """Part ``limits``: a run at the input limits under 1 GiB; an oversized file refused in flat memory."""
    run, at, big = L["run_at_limits"], L["check_at_limits"], L["check_oversized"]
    ratio = big["max_child_rss_mib"] / at["max_child_rss_mib"]
    return [
        Target(
            f"a run at the input limits ({L['file']['bytes'] / 1e6:.2f} MB, {L['file']['rows']:,} rows, "
            f"{L['file']['categories']} categories) succeeds, largest process at most "
            f"{part_limits.TARGET_RUN_MIB:g} MiB",
            f"{mib(run['max_child_rss_mib'])} in {fmt_s(run['seconds'])}, exit {run['rc']}",
            run["rc"] == 0 and run["max_child_rss_mib"] <= part_limits.TARGET_RUN_MIB,
        ),
        Target(
            f"`check-inputs` refuses a {L['oversized_bytes'] / 1e6:.0f} MB file, largest process at most "
            f"{part_limits.FLAT_MEMORY:g} x that at the limits",
            f"{mib(big['max_child_rss_mib'])} vs {mib(at['max_child_rss_mib'])} ({ratio:.2f} x), exit {big['rc']}",
            big["rc"] != 0 and ratio <= part_limits.FLAT_MEMORY,
        ),
    ]


def targets(R: dict) -> list[Target]:
    """Every target of the parts that ran, in the report's order."""
    out: list[Target] = []
    for key, fn in (
        ("default", targets_default),
        ("indicators", targets_indicators),
        ("regions", targets_regions),
        ("tests", targets_tests),
        ("limits", targets_limits),
    ):
        if R.get(key):
            out += fn(R[key])
    return out


# ------------------------------------------------------------------------------ the sections
def machine_section(R: dict) -> list[str]:
    """Where and when: the machine, the load, the copy's isolation, the benchmark-only packages."""
    M, C = R["machine"], R["copy"]
    deps = R.get("deps")
    shown = Path(deps).relative_to(REPO) if deps and Path(deps).is_relative_to(REPO) else deps
    rows = [
        ["date", M["date"]],
        ["CPU", M["cpu"]],
        ["cores", f"{M['logical_cpus']} logical, {M['usable_cpus']} usable"],
        ["memory", f"{M['memory_gib']} GiB"],
        ["OS", M["os"]],
        ["Python", M["python"]],
        ["packages", ", ".join(f"{k} {v}" for k, v in M["packages"].items())],
        ["OpenBLAS variables", ", ".join(f"{k}={v}" for k, v in M["openblas_env"].items())],
    ]
    if M.get("blas"):
        rows.append(["BLAS (threadpoolctl)", "; ".join(M["blas"])])
    rows.append(["load average (1, 5, 15 min)", f"at start {R['load_start']}, at end {R['load_end']}"])
    if R.get("load_wait"):
        rows.append(["waiting for a quiet machine", R["load_wait"]])
    rows.append(["total benchmark time", fmt_s(R["elapsed_s"])])
    rows.append(
        [
            "repository copy",
            f"{C['files']} files from `git ls-files`, a fresh copy for every run; the copy's code imported: "
            f"{'verified' if C['root_ok'] else 'NOT verified'}; files of the real outputs changed "
            f"meanwhile: {len(C.get('real_changed', []))}",
        ]
    )
    rows.append(
        [
            "benchmark-only packages",
            (f"`{shown}` (pip --target), this process only" if deps else "none found")
            + "; scipy importable by the notebooks: "
            + ("**yes** (inflates their times)" if C.get("scipy_in_project_env") else "no"),
        ]
    )
    return ["## Machine", "", *table(["", ""], rows), ""]


def default_section(D: dict) -> list[str]:
    """Part ``default``: every run, the medians, and the steps inside the analysis run."""
    names = {
        "pipeline": "`python -m analysis run --jobs 2`",
        "nbconvert": "`jupyter nbconvert --execute` (sequential)",
        "before": f"`python -m analysis run --jobs 2` at {D.get('before')}",
    }
    out = [
        "## Default region: `python -m analysis run` vs sequential `jupyter nbconvert --execute`",
        "",
        f"Steps: {', '.join(D['steps'])}. nbconvert's notebooks are parameterised with "
        f"`{part_default.BASELINE_PARAMETERS}` (papermill) before the timing.",
        "",
        *table(
            ["rep", "command", "wall", "peak RSS, whole tree", "largest process", "load before", "exit"],
            [
                [
                    r["rep"] + 1,
                    names[r["mode"]],
                    fmt_s(r["seconds"]),
                    mib(r["peak_tree_rss_mib"]),
                    mib(r["max_child_rss_mib"]),
                    r["load_before"],
                    r["rc"],
                ]
                for r in D["runs"]
            ],
        ),
        "",
        f"Medians: run **{fmt_s(D['pipeline_median_s'])}**, nbconvert **{fmt_s(D['nbconvert_median_s'])}**: "
        f"ratio **{D['ratio']:.2f}** (target at most {part_default.TARGET_RATIO:g})."
        + (f" Failed runs: {', '.join(D['failed'])}." if D["failed"] else ""),
        "",
    ]
    if D["step_median_s"]:
        cells = D["cells_sum_median_s"]
        rows = [
            [s, fmt_s(t), fmt_s(cells.get(s)), fmt_s(t - cells[s]) if s in cells else "n/a"]
            for s, t in D["step_median_s"].items()
        ]
        rows.append(["sum", fmt_s(sum(D["step_median_s"].values())), fmt_s(sum(cells.values())), ""])
        out += ["Inside the run (medians):", "", *table(["step", "step wall", "cells", "overhead"], rows), ""]
    return out


CALLS = {
    "lq": "`location_quotient_long(df)`",
    "hhi": "`hhi(df.assign(value=shares_long(df)), by=[year, region])`",
    "hhi_from_shares": "`hhi(shares, by=[year, region])`",
    "pcc": "`per_capita_coefficient(x, x_total, pop, pop_total)`",
}


def indicators_section(ind: dict) -> list[str]:
    """Part ``indicators``: per-call medians against the NumPy variants, ecomplexity, agreement."""
    sh, E = ind["shape"], ind["ecomplexity"]
    rows = []
    for k, t in ind["timings"].items():
        fz = (
            [fmt_s(t["factorize"]["median_s"]), f"{t['factorize_ratio']:.1f} x"]
            if "factorize" in t
            else ["–"] * 2
        )
        rows.append(
            [
                k,
                CALLS.get(k, k),
                fmt_s(t["library"]["median_s"]),
                fmt_s(t["numpy"]["median_s"]),
                f"{t['floor_ratio']:.1f} x",
                *fz,
                fmt_s(t["dense"]["median_s"]) if "dense" in t else "–",
            ]
        )
    out = [
        "## Indicators on a synthetic panel",
        "",
        f"{sh['regions']} regions x {sh['activities']} activities x {sh['years']} years = {sh['rows']:,} rows; "
        f"per-call medians of {ind['timings']['lq']['library']['repeat']} repeats. Coding the keys with "
        f"`np.unique` instead: {fmt_s(ind['key_coding']['median_s'])} per table.",
        "",
        *table(
            [
                "indicator",
                "library call",
                "library",
                "NumPy floor",
                "ratio",
                "NumPy + keys coded once",
                "ratio",
                "dense 3-D",
            ],
            rows,
        ),
        "",
        f"ecomplexity {E.get('version', '(not installed)')}: "
        + (
            f"RCA path {fmt_s(E['rca_timing']['median_s'])}"
            if "rca_timing" in E
            else f"not run ({E.get('error')})"
        )
        + (
            f"; the whole `ecomplexity()` call {fmt_s(E['full_timing']['median_s'])}"
            if "full_timing" in E
            else ""
        )
        + (
            f"; a NaN value coerced to zero as it says: {'yes' if E['nan_coerced_to_zero'] else '**no**'}"
            if "nan_coerced_to_zero" in E
            else ""
        )
        + (". Warnings: " + "; ".join(f"`{x}`" for x in E["warnings"]) if E.get("warnings") else "")
        + ".",
        "",
        *table(
            ["agreement", "max abs difference", ""],
            [
                [k, f"{c['max_abs_diff']:.1e}", "ok" if c["ok"] else "**differs**"]
                for k, c in ind["agreement"].items()
            ],
        ),
        "",
    ]
    return out


def regions_section(G: dict) -> list[str]:
    """Part ``regions``: one row per count of regions, retries, the fit."""
    rows = [
        [
            r["n"],
            fmt_s(r["seconds"]),
            fmt_s(r["seconds"] / r["n"]),
            mib(r["peak_tree_rss_mib"]),
            mib(r["max_child_rss_mib"]),
            r["failed_steps"],
            r["rc"],
            r["load_before"],
        ]
        for r in G["runs"]
    ]
    out = [
        "## All regions: `python -m analysis run --region <first N> --jobs 2`",
        "",
        *table(
            [
                "regions",
                "wall",
                "per region",
                "peak RSS, whole tree",
                "largest process",
                "failed steps",
                "exit",
                "load before",
            ],
            rows,
        ),
        "",
    ]
    for r in G["runs"]:
        if r.get("retried"):
            out += [
                f"The {r['n']}-region run first failed after {fmt_s(r['retried']['seconds'])} "
                f"(`{r['retried']['error']}`); the row shows the second run.",
                "",
            ]
    if "fit_per_region_s" in G:
        out += [
            f"Fit: {fmt_s(G['fit_fixed_s'])} fixed + {fmt_s(G['fit_per_region_s'])} per region "
            f"(log-log slope {G['loglog_slope']:.2f}; 1 is linear).",
            "",
        ]
    return out


def tests_section(S: dict) -> list[str]:
    """Part ``tests``: each command's wall time, memory and last line."""
    rows = [
        [
            f"`{n}`",
            fmt_s(m["seconds"]),
            mib(m["peak_tree_rss_mib"]),
            m["rc"],
            m["load_before"],
            m["summary"][:160],
        ]
        for n, m in S["runs"].items()
    ]
    return [
        "## Tests on a fresh copy",
        "",
        *table(["command", "wall", "peak RSS, whole tree", "exit", "load before", "last line"], rows),
        "",
    ]


def limits_section(L: dict) -> list[str]:
    """Part ``limits``: the three commands at and over a user's input limits."""
    names = {
        "check_at_limits": "`check-inputs`, file at the limits",
        "run_at_limits": "`analysis run`, file at the limits",
        "check_oversized": f"`check-inputs`, {L['oversized_bytes'] / 1e6:.0f} MB file",
    }
    rows = [
        [
            names[k],
            fmt_s(L[k]["seconds"]),
            mib(L[k]["peak_tree_rss_mib"]),
            mib(L[k]["max_child_rss_mib"]),
            L[k]["rc"],
            L[k]["last_line"][:160],
        ]
        for k in names
    ]
    return [
        "## A user's input limits (freight.csv)",
        "",
        *table(["command", "wall", "peak RSS, whole tree", "largest process", "exit", "last line"], rows),
        "",
    ]


def profile_section(P: dict) -> list[str]:
    """Part ``profile``: start-up and import costs, a region's steps in one worker, the profiles."""
    out = ["## Where the time goes", ""]
    if "kernel_start_s" in P:
        out.append(
            f"- kernel start {fmt_s(P['kernel_start_s'])}, the notebooks' imports in it "
            f"{fmt_s(P['kernel_imports_s'])}, shutdown {fmt_s(P['kernel_shutdown_s'])}; a bare interpreter "
            f"{fmt_s(P['python_start_s'])}, the package's imports in it {fmt_s(P['python_imports_s'])}."
        )
    for key, how in (("batch", "in-process"), ("batch_kernel", "a fresh kernel per notebook")):
        if f"{key}_step_median_s" in P:
            out.append(
                f"- one region's steps in one worker ({how}; {', '.join(P['batch_regions'])}): "
                f"{fmt_s(P[f'{key}_region_s'])}: "
                + ", ".join(f"{s.split('_')[0]} {fmt_s(t)}" for s, t in P[f"{key}_step_median_s"].items())
                + (f"; failed: {', '.join(P[f'{key}_failed'])}" if P.get(f"{key}_failed") else "")
            )
        if f"{key}_error" in P:
            out.append(f"- run_batch ({how}) failed: `{P[f'{key}_error'].strip().splitlines()[-1]}`")
    out.append("")
    for key, who in (("notebooks", "kemerovo"), ("notebooks_other", P.get("other_region"))):
        if not P.get(key):
            continue
        rows = []
        for s, n in P[key].items():
            if "error" in n:
                rows.append([s, f"failed: {n['error']}", *[""] * 7])
                continue
            tops = [
                f"`{nm.split(':')[0].split('/')[-1]} {nm.split()[-1]}` {fmt_s(ct)}"
                for nm, ct, _ in n["top_analysis"]
                if ct >= 0.05 * n["total_s"]
            ][:3]
            rows.append(
                [
                    s,
                    fmt_s(n["total_s"]),
                    fmt_s(n["imports_s"]),
                    f"{fmt_s(n['figures_save_s'])} ({n['figures_save_s'] / n['total_s']:.0%})",
                    fmt_s(n["png_s"]),
                    fmt_s(n["svg_s"]),
                    fmt_s(n["pdf_s"]),
                    fmt_s(n["font_subset_s"]),
                    ", ".join(tops),
                ]
            )
        out += [
            f"Each notebook's code for **{who}** under cProfile (Agg backend):",
            "",
            *table(
                [
                    "notebook",
                    "total",
                    "imports",
                    "figures",
                    "png",
                    "svg",
                    "pdf",
                    "PDF fonts",
                    "analysis functions",
                ],
                rows,
            ),
            "",
        ]
    return out


def report(R: dict) -> str:
    """RESULTS.md: the machine, every target with its verdict, then each part's section."""
    L = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`benchmarks/run.py{' --quick' if R['quick'] else ''}`, parts "
        f"{', '.join(R['parts'])}); do not edit by hand. How each number is measured and how to read "
        "it: `benchmarks/README.md`.",
        "",
    ]
    if R["quick"]:
        L += ["**Quick mode: tiny sizes, a smoke test of the benchmark code; the numbers mean nothing.**", ""]
    L += machine_section(R)
    L += ["## Against the targets", ""]
    L += table(["target", "measured", ""], [[t.target, t.measured, verdict(t.ok)] for t in targets(R)])
    L.append("")
    if R.get("plumbing"):
        PL = R["plumbing"]
        L += [
            "## Measuring plumbing",
            "",
            f"A 150 MB array on a copy, through the wrapper: {fmt_s(PL['seconds'])}, peak tree RSS "
            f"{mib(PL['peak_tree_rss_mib'])}, largest process {mib(PL['max_child_rss_mib'])}, exit {PL['rc']}, "
            f"imported the copy's code: {PL['root_is_copy']}.",
            "",
        ]
    for key, section in (
        ("default", default_section),
        ("indicators", indicators_section),
        ("regions", regions_section),
        ("tests", tests_section),
        ("limits", limits_section),
        ("profile", profile_section),
    ):
        if R.get(key):
            L += section(R[key])
    return "\n".join(L) + "\n"
